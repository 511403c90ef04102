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
package io.github.nettytun.testsuite;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.epoll.EpollTunMultiQueueChannel;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channel's side of offloads: probing what the kernel accepts, validating the options, and reading
 * UDP super-packets (USO) that the kernel builds from one {@code UDP_SEGMENT} send, sized far beyond the MTU.
 */
class TunOffloadTest extends AbstractDeviceTest {

    private static final Set<TunOffload> ALL_TCP_UDP = EnumSet.of(TunOffload.CSUM, TunOffload.TSO4, TunOffload.TSO6,
            TunOffload.TSO_ECN, TunOffload.USO4, TunOffload.USO6);

    /** Records the virtio-net header (gso_type, gso_size) and length of each IPv4/UDP frame. */
    private static final class UdpFrames extends ChannelInboundHandlerAdapter {
        final List<int[]> frames = new CopyOnWriteArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf f = (ByteBuf) msg;
            // virtio_net_hdr: flags u8, gso_type u8, hdr_len le16, gso_size le16, csum_start le16, csum_offset le16
            if (f.readableBytes() > 30 && (f.getUnsignedByte(10) >> 4) == 4 && f.getUnsignedByte(19) == 17) {
                frames.add(new int[] { f.getUnsignedByte(1), f.getUnsignedShortLE(4), f.readableBytes() - 10 });
            }
            f.release();
        }
    }

    private static Channel bind(Set<TunOffload> offloads, UdpFrames handler) throws InterruptedException {
        return new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.VNET_HDR, true)
                .option(TunChannelOption.OFFLOADS, offloads)
                .option(TunChannelOption.ADDRESSES, TestNet.deviceAddresses())
                .handler(handler).bind(new TunAddress(Names.next("g"))).sync().channel();
    }

    /** Sends 8000 bytes as one UDP_SEGMENT (GSO) send of 1000-byte datagrams to the peer. */
    private static void sendSegmented() throws InterruptedException {
        Channel udp = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(TestNet.LOCAL4, 0)).sync().channel();
        try {
            ByteBuf payload = Unpooled.directBuffer(8000).writeZero(8000);
            ChannelFuture f = udp.writeAndFlush(new SegmentedDatagramPacket(payload, 1000,
                    new InetSocketAddress(TestNet.PEER4, 4000))).sync();
            assertTrue(f.isSuccess());
        } finally {
            udp.close().sync();
        }
    }

    @Test
    void kernelOffloadsAreProbed() throws Exception {
        Channel ch = bind(Set.of(), new UdpFrames());
        try {
            Set<TunOffload> supported = ((EpollTunChannel) ch).supportedOffloads();
            assertTrue(supported.containsAll(ALL_TCP_UDP), "this kernel (6.2+) takes TCP and UDP offloads: " + supported);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void multiQueueParentProbesOffloadsForEveryQueue() throws Exception {
        EpollTunMultiQueueChannel parent = (EpollTunMultiQueueChannel) new ServerBootstrap().group(group)
                .channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.QUEUES, 2)
                .option(TunChannelOption.VNET_HDR, true)
                .option(TunChannelOption.OFFLOADS, EnumSet.of(TunOffload.CSUM, TunOffload.TSO4))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Only the offload answers matter here; frames go to the pipeline's tail.
                    }
                })
                .bind(new TunAddress(Names.next("g"))).sync().channel();
        try {
            Set<TunOffload> supported = parent.supportedOffloads();
            assertTrue(supported.containsAll(ALL_TCP_UDP), "this kernel (6.2+) takes TCP and UDP offloads: " + supported);
            TunBackpressureTest.waitFor(() -> parent.queues().size() == 2, parent.queues());
            for (EpollTunChannel queue : parent.queues()) {
                assertEquals(supported, queue.supportedOffloads(), "every queue reports the device's answer");
            }
        } finally {
            parent.close().sync();
        }
    }

    @Test
    void udpSuperPacketsArriveWholeWithUsoAndSegmentedWithout() throws Exception {
        UdpFrames withUso = new UdpFrames();
        Channel ch = bind(ALL_TCP_UDP, withUso);
        try {
            sendSegmented();
            TunBackpressureTest.waitFor(() -> !withUso.frames.isEmpty(), withUso.frames);
            Thread.sleep(100);
            assertEquals(1, withUso.frames.size(), "one super-packet");
            int[] f = withUso.frames.get(0);
            assertEquals(5, f[0], "gso_type VIRTIO_NET_HDR_GSO_UDP_L4");
            assertEquals(1000, f[1], "gso_size");
            assertEquals(8000 + 28, f[2], "the whole 8000-byte payload behind one IPv4/UDP header");

            // The kill switch: turn segmentation offloads off at run time; now the kernel segments.
            ((EpollTunChannel) ch).config().setOffloads(EnumSet.of(TunOffload.CSUM));
            withUso.frames.clear();
            sendSegmented();
            TunBackpressureTest.waitFor(() -> withUso.frames.size() >= 8, withUso.frames);
            for (int[] g : withUso.frames) {
                assertEquals(0, g[0], "no GSO");
                assertEquals(1028, g[2]);
            }
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void offloadOptionsAreValidated() throws Exception {
        ChannelFuture noVnet = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.OFFLOADS, EnumSet.of(TunOffload.CSUM))
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("g"))).await();
        assertTrue(noVnet.cause() instanceof TunException && noVnet.cause().getMessage().contains("VNET_HDR"),
                String.valueOf(noVnet.cause()));
        ChannelFuture shortHeader = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.VNET_HDR, true)
                .option(TunChannelOption.OFFLOADS, EnumSet.of(TunOffload.CSUM, TunOffload.UDP_TUNNEL_GSO))
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("g"))).await();
        assertTrue(shortHeader.cause() instanceof TunException
                && shortHeader.cause().getMessage().contains("24-byte"), String.valueOf(shortHeader.cause()));
        ChannelFuture noCsum = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.VNET_HDR, true)
                .option(TunChannelOption.OFFLOADS, EnumSet.of(TunOffload.TSO4))
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("g"))).await();
        assertTrue(noCsum.cause() instanceof TunException && noCsum.cause().getMessage().contains("needs CSUM"),
                String.valueOf(noCsum.cause()));
        ChannelFuture uso4 = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.VNET_HDR, true)
                .option(TunChannelOption.OFFLOADS, EnumSet.of(TunOffload.CSUM, TunOffload.USO4))
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("g"))).await();
        assertTrue(uso4.cause() instanceof TunException && uso4.cause().getMessage().contains("go together"),
                String.valueOf(uso4.cause()));
    }
}
