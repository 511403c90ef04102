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
package io.github.nettytun.examples.tunnel.transport;

import io.github.nettytun.examples.tunnel.session.OuterTransport;
import io.github.nettytun.examples.tunnel.session.Peer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/**
 * One UDP datagram per message, on an {@link EpollDatagramChannel} registered on the device's event
 * loop. The client connects its socket to the server; the server answers whichever address the last
 * authenticated message came from, so a client that changes address (or restarts) is followed.
 */
public final class UdpTransport implements OuterTransport {

    /** Datagrams per recvmmsg call. */
    private static final int BATCH = 16;

    private final Channel device;
    private final boolean connected;
    private Channel channel;
    private InetSocketAddress remote;

    private UdpTransport(Channel device, boolean connected) {
        this.device = device;
        this.connected = connected;
    }

    /**
     * Opens the socket: bound to {@code local} (server) or connected to {@code server} (client), and
     * starts the peer on it. {@code maxMessage} is the largest datagram the peer sends.
     */
    public static ChannelFuture open(Channel device, Peer peer, InetSocketAddress local, InetSocketAddress server,
                                     int socketBuffer, int maxMessage) {
        UdpTransport transport = new UdpTransport(device, server != null);
        Bootstrap b = new Bootstrap().group(device.eventLoop())
                .channel(EpollDatagramChannel.class)
                // recvmmsg: one system call fills up to BATCH datagram slots of one pooled buffer. Messages are at
                // most MTU + overhead, so a slot of that size never cuts one short.
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxMessage)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxMessage * BATCH))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .handler(new MessageHandler(peer, device));
        if (socketBuffer > 0) {
            b.option(ChannelOption.SO_RCVBUF, socketBuffer).option(ChannelOption.SO_SNDBUF, socketBuffer);
        }
        ChannelFuture f = server != null ? b.connect(server) : b.bind(local);
        f.addListener(done -> {
            if (done.isSuccess()) {
                transport.channel = f.channel();
                transport.remote = server;
                peer.start(transport);
                peer.onLinkUp();
            }
        });
        return f;
    }

    @Override
    public int headroom() {
        return 0;
    }

    @Override
    public boolean send(ByteBuf message) {
        if (channel == null || remote == null) {
            message.release();
            return false;
        }
        if (connected) {
            channel.write(message, channel.voidPromise());
        } else {
            channel.write(new DatagramPacket(message, remote), channel.voidPromise());
        }
        return true;
    }

    @Override
    public void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    @Override
    public void authenticated(Object source) {
        if (!connected && source instanceof InetSocketAddress && !source.equals(remote)) {
            remote = (InetSocketAddress) source;
        }
    }

    @Override
    public void setReading(boolean reading) {
        if (channel != null) {
            channel.config().setAutoRead(reading);
        }
    }

    @Override
    public void reconnect() {
        // Datagrams need no connection.
    }
}
