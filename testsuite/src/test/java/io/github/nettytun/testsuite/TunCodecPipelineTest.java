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
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.codec.DropCounters;
import io.github.nettytun.codec.IcmpEcho;
import io.github.nettytun.codec.IcmpView;
import io.github.nettytun.codec.IpPacket;
import io.github.nettytun.codec.IpPacketDecoder;
import io.github.nettytun.codec.IpPacketEncoder;
import io.github.nettytun.codec.IpProtocols;
import io.github.nettytun.codec.Ipv4Packets;
import io.github.nettytun.codec.Ipv6Packets;
import io.github.nettytun.codec.MalformedFramePolicy;
import io.github.nettytun.codec.TunPiDecoder;
import io.github.nettytun.codec.TunPiEncoder;
import io.github.nettytun.codec.UdpView;
import io.github.nettytun.codec.pcap.PcapCaptureHandler;
import io.github.nettytun.codec.pcap.PcapWriter;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codecs in a live pipeline: a TUN device with the PI header, decoded to {@link IpPacket}s; pings are
 * answered with {@link IcmpEcho}, UDP datagrams with packets built by {@link Ipv4Packets}, encoded back
 * through {@link TunPiEncoder}; a {@link PcapCaptureHandler} records both directions and tshark reads the file.
 */
class TunCodecPipelineTest extends AbstractDeviceTest {

    @Test
    void pingAndUdpThroughDecodersAndEncodersWithCapture() throws Exception {
        Path pcap = Files.createTempFile("nettytun-pipeline", ".pcap");
        DropCounters drops = new DropCounters();
        AtomicInteger decoded = new AtomicInteger();
        PcapWriter writer = new PcapWriter(pcap, PcapWriter.LINKTYPE_RAW);
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.PACKET_INFO, true)
                .option(TunChannelOption.ADDRESSES, TestNet.deviceAddresses())
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new PcapCaptureHandler(writer, 4),
                                new TunPiDecoder(MalformedFramePolicy.DROP, drops), new TunPiEncoder(),
                                new IpPacketDecoder(MalformedFramePolicy.DROP, drops, true, 8), new IpPacketEncoder(),
                                new SimpleChannelInboundHandler<IpPacket>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, IpPacket p) {
                                        decoded.incrementAndGet();
                                        answer(ctx, p);
                                    }
                                });
                    }
                })
                .bind(new TunAddress(Names.next("k"))).sync().channel();
        try {
            Commands.Result ping = Commands.run(20, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                    TestNet.PEER4.getHostAddress());
            assertEquals(0, ping.exitCode, ping.output);
            Commands.Result ping6 = Commands.run(20, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                    TestNet.PEER6.getHostAddress());
            assertEquals(0, ping6.exitCode, ping6.output);
            TunRoundTripTest.echoUdp(TestNet.LOCAL4, TestNet.PEER4, 5);
            assertTrue(decoded.get() >= 11, "decoded packets: " + decoded);
            assertEquals(0, drops.total(), "no frame of the kernel's was refused: " + drops.snapshot());
        } finally {
            ch.close().sync();
            writer.close();
        }
        try {
            Commands.Result tshark = Commands.run(60, "tshark", "-r", pcap.toString(), "-Y", "icmp || icmpv6 || udp");
            if (tshark.exitCode == 0) {
                long requests = tshark.output.lines().filter(l -> l.contains("Echo (ping) request")).count();
                long replies = tshark.output.lines().filter(l -> l.contains("Echo (ping) reply")).count();
                assertEquals(6, requests, tshark.output);
                assertEquals(6, replies, tshark.output);
            } else {
                assertTrue(tshark.output.contains("not found") || tshark.exitCode == 127 || tshark.exitCode < 0,
                        "tshark failed on our capture: " + tshark);
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
    }

    /** Echo requests get echo replies built by the packet builders; UDP datagrams to the peer come back. */
    private static void answer(ChannelHandlerContext ctx, IpPacket p) {
        if (p.isFragment()) {
            return;
        }
        if (p.protocol() == IpProtocols.UDP && p.version() == 4) {
            UdpView udp = UdpView.wrap(p.content());
            ctx.writeAndFlush(Ipv4Packets.udp(ctx.alloc(), (Inet4Address) p.destination(), udp.destinationPort(),
                    (Inet4Address) p.source(), udp.sourcePort(), udp.payload()));
        } else if (IcmpEcho.isEchoRequest(p)) {
            IcmpView icmp = IcmpView.wrap(p.content());
            ctx.writeAndFlush(p.version() == 4
                    ? Ipv4Packets.icmpEchoReply(ctx.alloc(), (Inet4Address) p.destination(), (Inet4Address) p.source(),
                            icmp.identifier(), icmp.sequenceNumber(), icmp.payload())
                    : Ipv6Packets.icmpv6EchoReply(ctx.alloc(), (Inet6Address) p.destination(),
                            (Inet6Address) p.source(), icmp.identifier(), icmp.sequenceNumber(), icmp.payload()));
        }
    }
}
