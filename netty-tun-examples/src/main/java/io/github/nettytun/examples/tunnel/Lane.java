/*
 * Copyright 2026 The netty-tun Project
 *
 * The netty-tun Project licenses this file to you under the Apache License, version 2.0 (the
 * "License"); you may not use this file except in compliance with the License. You may obtain a
 * copy of the License at:
 *
 *   https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software distributed under the License
 * is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express
 * or implied. See the License for the specific language governing permissions and limitations under
 * the License.
 */
package io.github.nettytun.examples.tunnel;

import io.github.nettytun.examples.tunnel.session.AcceptedInitiations;
import io.github.nettytun.examples.tunnel.session.Handshake;
import io.github.nettytun.examples.tunnel.session.Peer;
import io.github.nettytun.examples.tunnel.session.TunnelStats;
import io.github.nettytun.examples.tunnel.session.WireFormat;
import io.github.nettytun.examples.tunnel.transport.TcpClientTransport;
import io.github.nettytun.examples.tunnel.transport.TcpServerTransport;
import io.github.nettytun.examples.tunnel.transport.UdpTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;

import java.net.InetSocketAddress;

/**
 * One complete tunnel inside a tunnel end: a device queue, its own outer socket, its own {@link Peer}
 * (handshake, session keys, replay window) and its own {@link TunnelStats}, all on the event loop of the
 * queue's channel. With {@code --queues 1} the tunnel has one lane on a single-queue device, which is the
 * tunnel as it always was. With N lanes over an {@code IFF_MULTI_QUEUE} device, lane i pairs with lane i of
 * the other end through port base + i; no message ever crosses lanes, so the protocol does not know about
 * them. The kernel's "tx follows rx" steering keeps a flow on the queue that last wrote one of its packets,
 * so a flow that arrived through lane i is answered through lane i too.
 */
final class Lane {

    final int index;
    final DeviceHandler deviceHandler = new DeviceHandler();
    /** The lane's offload handlers (they keep per-read-batch state), or {@code null} with offloads off. */
    final DeviceOffload offload;
    final TunnelStats stats = new TunnelStats();
    private Channel device;
    private Peer peer;
    private TcpClientTransport client;

    Lane(int index, boolean offload) {
        this.index = index;
        this.offload = offload ? new DeviceOffload() : null;
    }

    /** Adds the lane's handlers to its device channel's pipeline (before the channel reads). */
    void initPipeline(ChannelPipeline pipeline) {
        if (offload != null) {
            offload.addTo(pipeline);
        }
        pipeline.addLast(deviceHandler);
    }

    /** Returns the lane's device channel (a queue of the device), once {@link #start} ran. */
    Channel device() {
        return device;
    }

    /**
     * Creates the peer and opens the outer socket of this lane on the device's event loop; runs on that
     * loop. Returns the socket's bind/connect future, or {@code null} for a TCP client (it connects, and
     * reconnects, by itself).
     *
     * @param accepted the initiations every lane of this end accepted, or {@code null} with one lane
     */
    ChannelFuture start(Channel device, TunnelConfig c, Handshake handshake, boolean offloadOn,
                        AcceptedInitiations accepted) {
        this.device = device;
        peer = new Peer(c.peerSettings(), handshake, device, stats);
        if (accepted != null) {
            peer.setLogName("lane " + index);
            peer.shareAcceptedInitiations(accepted);
        }
        deviceHandler.attach(peer);
        InetSocketAddress address = c.laneAddress(index);
        int maxMessage = c.maxFrame() + WireFormat.DATA_OVERHEAD;
        // Handshake messages do not grow with the MTU; a TCP frame longer than both cannot be meant for this end.
        int maxTcpMessage = Math.max(maxMessage, WireFormat.INIT_LENGTH);
        switch (c.transport) {
            case TCP:
                if (c.server) {
                    return TcpServerTransport.open(device, peer, address, c.socketBuffer, maxTcpMessage);
                }
                client = TcpClientTransport.start(device, peer, address, c.socketBuffer, maxTcpMessage);
                return null;
            default:
                return UdpTransport.open(device, peer, c.server ? address : null, c.server ? null : address,
                        c.socketBuffer, maxMessage, offloadOn);
        }
    }

    /**
     * Stops reconnecting, forgets the keys and stops the timers; runs on the lane's event loop. Returns the
     * counters as they were at that moment: the device stays open until every lane stopped, and what it
     * still reads (or the peer still sends) in between is not the tunnel's traffic.
     */
    TunnelStats stop() {
        if (client != null) {
            client.stop();
        }
        if (peer != null) {
            peer.stop();
        }
        TunnelStats snapshot = new TunnelStats();
        snapshot.add(stats);
        return snapshot;
    }
}
