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
import io.netty.channel.unix.SegmentedDatagramPacket;

import java.net.InetSocketAddress;

/**
 * One UDP datagram per message, on an {@link EpollDatagramChannel} registered on the device's event
 * loop. The client connects its socket to the server; the server answers whichever address the last
 * authenticated message came from, so a client that changes address (or restarts) is followed.
 *
 * <p>With offloads ({@code --offload on}) consecutive messages of equal size (the segments of one device
 * super-packet, sealed one by one) leave as one {@link SegmentedDatagramPacket}: one {@code UDP_SEGMENT}
 * send per up to {@value #MAX_SEGMENTS} datagrams, which the kernel (or the NIC) cuts into ordinary
 * datagrams, so the peer needs no offload to read them. The socket also reads with {@code UDP_GRO}, so a
 * peer's GSO batch that crosses a veth whole (or that the receiving NIC coalesced) arrives in one read.
 */
public final class UdpTransport implements OuterTransport {

    /** Datagrams per recvmmsg call. */
    private static final int BATCH = 16;
    /** Largest GRO read (the kernel's limit for one coalesced UDP payload). */
    private static final int GRO_READ = 65535;
    /** Datagrams per GSO send: the kernel's UDP_MAX_SEGMENTS was 64 before Linux 6.9. */
    static final int MAX_SEGMENTS = 64;
    /** Bytes per GSO send: the UDP payload limit of one IPv4 datagram, rounded down for headers. */
    static final int MAX_GSO_BYTES = 65000;

    private final Channel device;
    private final boolean connected;
    private final boolean gso;
    private Channel channel;
    private InetSocketAddress remote;
    /** Messages written since the last flush, not yet handed to the channel (GSO only). */
    private ByteBuf batch;
    private int segmentSize;
    private int segments;
    /** The batch ended with a shorter message: UDP GSO allows only the last segment to be short. */
    private boolean batchClosed;

    private UdpTransport(Channel device, boolean connected, boolean gso) {
        this.device = device;
        this.connected = connected;
        this.gso = gso;
    }

    /** Returns whether this kernel and Netty can send {@link SegmentedDatagramPacket}s (UDP GSO). */
    public static boolean isGsoSupported() {
        return EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    /**
     * Opens the socket: bound to {@code local} (server) or connected to {@code server} (client), and
     * starts the peer on it. {@code maxMessage} is the largest datagram the peer sends.
     */
    public static ChannelFuture open(Channel device, Peer peer, InetSocketAddress local, InetSocketAddress server,
                                     int socketBuffer, int maxMessage) {
        return open(device, peer, local, server, socketBuffer, maxMessage, false);
    }

    /**
     * Opens the socket as {@link #open(Channel, Peer, InetSocketAddress, InetSocketAddress, int, int)} does;
     * with {@code offload} (and {@link #isGsoSupported()}) it sends with UDP GSO and reads with UDP GRO.
     */
    public static ChannelFuture open(Channel device, Peer peer, InetSocketAddress local, InetSocketAddress server,
                                     int socketBuffer, int maxMessage, boolean offload) {
        boolean gso = offload && isGsoSupported();
        UdpTransport transport = new UdpTransport(device, server != null, gso);
        // Without GRO, recvmmsg: one system call fills BATCH datagram slots of one pooled buffer. Messages are at
        // most MTU + overhead, so a slot of that size never cuts one short. With GRO, recvmsg into a 64 KiB
        // buffer: Netty reads the UDP_GRO segment size only there (its recvmmsg path does not), and hands the
        // coalesced datagrams on one DatagramPacket each. MAX_DATAGRAM_PAYLOAD_SIZE 0 selects that path.
        Bootstrap b = new Bootstrap().group(device.eventLoop())
                .channel(EpollDatagramChannel.class)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, gso ? 0 : maxMessage)
                .option(ChannelOption.RECVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(gso ? GRO_READ : maxMessage * BATCH))
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 64)
                .handler(new MessageHandler(peer, device));
        if (gso) {
            b.option(EpollChannelOption.UDP_GRO, true);
        }
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
        if (!gso) {
            write(message, 1, 0);
            return true;
        }
        int n = message.readableBytes();
        if (batch != null && (batchClosed || n > segmentSize || segments == MAX_SEGMENTS
                || batch.readableBytes() + n > MAX_GSO_BYTES)) {
            writeBatch();
        }
        if (batch == null) {
            // A lone message goes out as it is: copy only once a second one joins it.
            batch = message;
            segmentSize = n;
            segments = 1;
            batchClosed = false;
            return true;
        }
        if (segments == 1) {
            ByteBuf b = channel.alloc().directBuffer(Math.min(MAX_GSO_BYTES, segmentSize * MAX_SEGMENTS));
            b.writeBytes(batch);
            batch.release();
            batch = b;
        }
        batch.writeBytes(message);
        message.release();
        segments++;
        batchClosed = n < segmentSize;
        return true;
    }

    private void writeBatch() {
        ByteBuf b = batch;
        batch = null;
        write(b, segments, segmentSize);
    }

    private void write(ByteBuf content, int count, int size) {
        Object msg;
        if (count > 1) {
            msg = new SegmentedDatagramPacket(content, size, remote);
        } else if (connected) {
            msg = content;
        } else {
            msg = new DatagramPacket(content, remote);
        }
        channel.write(msg, channel.voidPromise());
    }

    @Override
    public void flush() {
        if (channel != null) {
            if (batch != null) {
                writeBatch();
            }
            channel.flush();
        }
    }

    /** Returns whether datagrams are sent with UDP GSO and read with UDP GRO. */
    public boolean isGso() {
        return gso;
    }

    @Override
    public void authenticated(Object source) {
        if (!connected && source instanceof InetSocketAddress && !source.equals(remote)) {
            remote = (InetSocketAddress) source;
        }
    }

    @Override
    public void malformed(Object source) {
        // A datagram is its own frame: the next one is unaffected.
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
