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
package io.github.nettytun.codec;

import io.github.nettytun.codec.pcap.PcapRecord;
import io.github.nettytun.codec.pcap.PcapWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.github.nettytun.codec.TestFrames.bytes;
import static io.github.nettytun.codec.TestFrames.capture;
import static io.github.nettytun.codec.TestFrames.v4;
import static io.github.nettytun.codec.TestFrames.v6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays frames captured from the real kernel by {@code src/test/scripts/capture-frames.sh}: every frame
 * decodes, the interesting ones field by field, and every layer re-encodes to the captured bytes.
 */
class CaptureReplayTest {

    private static final int LINKTYPE_USER1 = 148;
    private static final int LINKTYPE_USER2 = 149;
    private static final int VXLAN_PORT = 4789;
    /** UDP header, VXLAN header, inner Ethernet header. */
    private static final int VXLAN_OVERHEAD = 8 + 8 + 14;

    /** Decodes one frame with a fresh decoder, asserting it is neither dropped nor split. */
    @SuppressWarnings("unchecked")
    private static <T> T decode(AbstractFrameDecoder decoder, ByteBuf frame) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertTrue(ch.writeInbound(frame), () -> "dropped: " + decoder.dropCounters());
        T msg = ch.readInbound();
        assertFalse(ch.finish());
        return msg;
    }

    /** Encodes a message (not consumed) and asserts the bytes. */
    private static void assertReencodes(ChannelHandler encoder, Object msg, byte[] expected) {
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        assertTrue(ch.writeOutbound(ReferenceCountUtil.retain(msg)));
        assertArrayEquals(expected, TestFrames.drainOutbound(ch));
        assertFalse(ch.finish());
    }

    /** Decodes an IP packet and checks its re-encoding and, where complete, its checksums. */
    private static IpPacket decodeIp(ByteBuf packet, boolean checksumsComplete) {
        byte[] original = bytes(packet);
        IpPacket p = decode(new IpPacketDecoder(), packet.retain());
        assertReencodes(new IpPacketEncoder(), p, Arrays.copyOf(original, p.totalLength()));
        if (checksumsComplete && !p.isFragment()
                && TransportChecksums.checksumOffset(p.version(), p.protocol()) >= 0) {
            assertTrue(TransportChecksums.verify(p), () -> "bad checksum in " + p);
        }
        return p;
    }

    @Test
    void tunFramesDecodeFieldByFieldAndReencode() {
        assertEquals(PcapWriter.LINKTYPE_RAW, TestFrames.captureLinkType("tun.pcap"));
        List<PcapRecord> records = capture("tun.pcap");
        assertFalse(records.isEmpty());
        Set<String> seen = new HashSet<>();
        for (PcapRecord r : records) {
            ByteBuf frame = Unpooled.wrappedBuffer(r.data());
            IpPacket p = decodeIp(frame, true);
            try {
                if (p.version() == 4) {
                    Ipv4Packet v4 = (Ipv4Packet) p;
                    assertEquals(v4("198.18.0.1"), v4.source());
                    assertEquals(v4("198.18.0.2"), v4.destination());
                    if (v4.protocol() == IpProtocols.ICMP && !v4.isFragment()) {
                        IcmpView icmp = IcmpView.wrap(v4.content());
                        assertEquals(IcmpView.ECHO_REQUEST, icmp.type());
                        assertTrue(IcmpEcho.isEchoRequest(frame));
                        checkEchoReply(frame);
                        seen.add("icmp");
                    } else if (v4.isFragment()) {
                        assertEquals(IpProtocols.ICMP, v4.protocol());
                        seen.add(v4.moreFragments() ? "v4 fragment" : "v4 last fragment");
                        if (v4.fragmentOffset() != 0) {
                            assertEquals(0, v4.fragmentOffset() % 8);
                        }
                    } else if (v4.protocol() == IpProtocols.UDP) {
                        UdpView udp = UdpView.wrap(v4.content());
                        assertEquals(9999, udp.destinationPort());
                        assertEquals("netty-tun udp4", udp.payload().toString(StandardCharsets.US_ASCII));
                        seen.add("udp4");
                    } else if (v4.protocol() == IpProtocols.TCP) {
                        TcpView tcp = TcpView.wrap(v4.content());
                        assertEquals(8080, tcp.destinationPort());
                        assertTrue(tcp.hasFlags(TcpView.SYN));
                        assertTrue(v4.dontFragment());
                        seen.add("tcp4");
                    }
                } else {
                    Ipv6Packet v6 = (Ipv6Packet) p;
                    if (v6.protocol() == IpProtocols.UDP && v6.extensionHeadersLength() > 0) {
                        assertEquals(IpProtocols.HOP_BY_HOP, v6.nextHeader());
                        List<Ipv6ExtensionHeader> ext = v6.extensionHeaders();
                        assertEquals(2, ext.size());
                        assertEquals(IpProtocols.DESTINATION_OPTIONS, ext.get(1).type());
                        assertEquals(IpProtocols.UDP, ext.get(1).nextHeader());
                        UdpView udp = UdpView.wrap(v6.content());
                        assertEquals(10000, udp.destinationPort());
                        assertEquals("netty-tun udp6 with options", udp.payload().toString(StandardCharsets.US_ASCII));
                        seen.add("udp6 ext");
                    } else if (v6.hasFragmentHeader()) {
                        assertEquals(IpProtocols.ICMPV6, v6.protocol());
                        assertEquals(v6("2001:2::2"), v6.destination());
                        seen.add(v6.fragmentOffset() == 0 ? "v6 first fragment" : "v6 later fragment");
                    } else if (v6.protocol() == IpProtocols.ICMPV6) {
                        IcmpView icmp = IcmpView.wrap(v6.content());
                        if (icmp.type() == IcmpView.V6_ECHO_REQUEST) {
                            assertEquals(v6("2001:2::1"), v6.source());
                            checkEchoReply(frame);
                            seen.add("icmp6");
                        }
                    } else if (v6.protocol() == IpProtocols.TCP) {
                        assertTrue(TcpView.wrap(v6.content()).hasFlags(TcpView.SYN));
                        seen.add("tcp6");
                    } else if (v6.protocol() == IpProtocols.UDP) {
                        seen.add("udp6");
                    }
                }
            } finally {
                p.release();
                frame.release();
            }
        }
        assertTrue(seen.containsAll(Set.of("icmp", "icmp6", "udp4", "udp6", "udp6 ext", "tcp4", "tcp6",
                "v4 fragment", "v4 last fragment", "v6 first fragment", "v6 later fragment")), seen.toString());
    }

    private static void checkEchoReply(ByteBuf request) {
        ByteBuf reply = IcmpEcho.reply(ByteBufAllocator.DEFAULT, request);
        assertNotNull(reply);
        ByteBuf inPlace = Unpooled.copiedBuffer(request);
        IpPacket req = TransportChecksums.parse(request);
        try {
            assertTrue(IcmpEcho.toReplyInPlace(inPlace));
            IcmpView reqIcmp = IcmpView.wrap(req.content());
            for (ByteBuf answer : new ByteBuf[] {reply, inPlace}) {
                // The two differ only in fields a reply may choose (IPv4 id, IPv6 flow label).
                IpPacket rep = TransportChecksums.parse(answer);
                try {
                    assertEquals(req.source(), rep.destination());
                    assertEquals(req.destination(), rep.source());
                    assertTrue(TransportChecksums.verify(rep));
                    IcmpView icmp = IcmpView.wrap(rep.content());
                    assertEquals(req.version() == 4 ? IcmpView.ECHO_REPLY : IcmpView.V6_ECHO_REPLY, icmp.type());
                    assertEquals(reqIcmp.identifier(), icmp.identifier());
                    assertEquals(reqIcmp.sequenceNumber(), icmp.sequenceNumber());
                    assertEquals(reqIcmp.payload(), icmp.payload());
                } finally {
                    rep.release();
                }
            }
        } finally {
            req.release();
            inPlace.release();
            reply.release();
        }
    }

    @Test
    void piFramesCarryTheProtocolOfTheirPacket() {
        int count = 0;
        for (PcapRecord r : capture("tun-pi.pcap")) {
            ByteBuf frame = Unpooled.wrappedBuffer(r.data());
            TunPiFrame pi = decode(new TunPiDecoder(), frame);
            try {
                assertEquals(0, pi.flags());
                assertReencodes(new TunPiEncoder(), pi, r.data());
                assertReencodes(new TunPiEncoder(), pi.content(), r.data()); // protocol from the nibble
                IpPacket p = decodeIp(pi.content(), true);
                assertEquals(p.version() == 4 ? EtherTypes.IPV4 : EtherTypes.IPV6, pi.protocol());
                p.release();
                count++;
            } finally {
                pi.release();
            }
        }
        assertTrue(count >= 5);
    }

    @Test
    void strippedPiFrameIsRefused() {
        List<PcapRecord> records = capture("tun-pi-strip.pcap");
        assertEquals(1, records.size());
        assertEquals(200, records.get(0).data().length);
        TunPiDecoder decoder = new TunPiDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(records.get(0).data())));
        assertEquals(1, decoder.dropCounters().get(DropReason.KERNEL_TRUNCATED));
        assertFalse(ch.finish());
    }

    @Test
    void vnetFramesDescribeOffloadsCorrectly() {
        assertEquals(LINKTYPE_USER1, TestFrames.captureLinkType("tun-vnet.pcap"));
        Set<Integer> gsoTypes = new HashSet<>();
        for (PcapRecord r : capture("tun-vnet.pcap")) {
            ByteBuf frame = Unpooled.wrappedBuffer(r.data());
            VirtioNetFrame vf = decode(new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_V1), frame);
            try {
                assertReencodes(new VirtioNetHeaderEncoder(VirtioNetHeader.LENGTH_V1), vf, r.data());
                VirtioNetHeader h = vf.header();
                IpPacket p = decodeIp(vf.content(), !h.needsChecksum());
                try {
                    if (h.needsChecksum()) {
                        assertEquals(p.headerLength(), h.checksumStart());
                        assertEquals(TransportChecksums.checksumOffset(p.version(), p.protocol()), h.checksumOffset());
                    }
                    gsoTypes.add(h.gsoType());
                    switch (h.gsoProtocol()) {
                        case VirtioNetHeader.GSO_TCPV4:
                        case VirtioNetHeader.GSO_TCPV6:
                            assertEquals(h.gsoType() == VirtioNetHeader.GSO_TCPV4 ? 4 : 6, p.version());
                            assertEquals(1440, h.gsoSize());
                            assertEquals(p.headerLength() + TcpView.wrap(p.content()).headerLength(),
                                    h.headerLength());
                            assertTrue(p.content().readableBytes() > h.gsoSize());
                            break;
                        case VirtioNetHeader.GSO_UDP_L4:
                            assertEquals(1000, h.gsoSize());
                            assertEquals(3508, p.content().readableBytes());
                            break;
                        default:
                            assertEquals(VirtioNetHeader.GSO_NONE, h.gsoType());
                    }
                } finally {
                    p.release();
                }
            } finally {
                vf.release();
            }
        }
        assertTrue(gsoTypes.containsAll(Set.of(VirtioNetHeader.GSO_NONE, VirtioNetHeader.GSO_TCPV4,
                VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.GSO_UDP_L4)), gsoTypes.toString());
    }

    @Test
    void vnet24FramesCarryUdpTunnelOffsets() {
        assertEquals(LINKTYPE_USER2, TestFrames.captureLinkType("tun-vnet24.pcap"));
        Set<Integer> gsoTypes = new HashSet<>();
        for (PcapRecord r : capture("tun-vnet24.pcap")) {
            VirtioNetFrame vf = decode(new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_HASH_TUNNEL),
                    Unpooled.wrappedBuffer(r.data()));
            try {
                assertReencodes(new VirtioNetHeaderEncoder(VirtioNetHeader.LENGTH_HASH_TUNNEL), vf, r.data());
                VirtioNetHeader h = vf.header();
                // Mainline tun reports no hash and zeroes what it does not fill.
                assertEquals(0, h.hashReport());
                assertEquals(0, h.hashValue());
                assertEquals(0, h.trailingBytes().length);
                gsoTypes.add(h.gsoType());
                IpPacket outer = decodeIp(vf.content(), !h.needsChecksum());
                try {
                    if (!h.gsoUdpTunnel()) {
                        assertEquals(0, h.outerTransportOffset());
                        assertEquals(0, h.innerNetworkOffset());
                        continue;
                    }
                    // The offsets count from the start of the packet (the outer IP header on a TUN).
                    assertEquals(outer.version() == 4 ? VirtioNetHeader.GSO_UDP_TUNNEL_IPV4
                            : VirtioNetHeader.GSO_UDP_TUNNEL_IPV6, h.gsoType() & ~VirtioNetHeader.GSO_UDP_L4);
                    assertEquals(VirtioNetHeader.GSO_UDP_L4, h.gsoInnerProtocol());
                    assertEquals(VirtioNetHeader.FLAG_UDP_TUNNEL_CSUM | VirtioNetHeader.FLAG_NEEDS_CSUM, h.flags());
                    assertEquals(IpProtocols.UDP, outer.protocol());
                    assertEquals(outer.headerLength(), h.outerTransportOffset());
                    assertEquals(VXLAN_PORT, UdpView.wrap(outer.content()).destinationPort());
                    assertEquals(h.outerTransportOffset() + VXLAN_OVERHEAD, h.innerNetworkOffset());
                    ByteBuf innerBytes = vf.content().slice(h.innerNetworkOffset(),
                            vf.content().readableBytes() - h.innerNetworkOffset());
                    IpPacket inner = decodeIp(innerBytes, false);
                    try {
                        assertEquals(IpProtocols.UDP, inner.protocol());
                        assertEquals(h.innerNetworkOffset() + inner.headerLength(), h.checksumStart());
                        assertEquals(h.checksumStart() + 8, h.headerLength());
                        assertEquals(1000, h.gsoSize());
                        assertEquals(3508, inner.content().readableBytes());
                    } finally {
                        inner.release();
                    }
                } finally {
                    outer.release();
                }
            } finally {
                vf.release();
            }
        }
        int udpL4 = VirtioNetHeader.GSO_UDP_L4;
        assertTrue(gsoTypes.containsAll(Set.of(VirtioNetHeader.GSO_NONE, udpL4 | VirtioNetHeader.GSO_UDP_TUNNEL_IPV4,
                udpL4 | VirtioNetHeader.GSO_UDP_TUNNEL_IPV6)), gsoTypes.toString());
    }

    @Test
    void tapFramesDecodeAndReencode() {
        assertEquals(PcapWriter.LINKTYPE_ETHERNET, TestFrames.captureLinkType("tap.pcap"));
        MacAddress self = MacAddress.parse("02:00:00:00:06:01");
        Set<String> seen = new HashSet<>();
        for (PcapRecord r : capture("tap.pcap")) {
            ByteBuf buf = Unpooled.wrappedBuffer(r.data());
            EthernetFrame f = decode(new EthernetDecoder(), buf);
            try {
                assertReencodes(new EthernetEncoder(), f, r.data());
                assertEquals(self, f.source());
                assertEquals(0, f.tagCount());
                if (f.etherType() == EtherTypes.ARP) {
                    assertTrue(f.destination().isBroadcast());
                    assertEquals(0x0001_0800, f.content().getInt(f.content().readerIndex()));
                    seen.add("arp");
                } else {
                    IpPacket p = decodeIp(f.content(), true);
                    seen.add("ipv" + p.version());
                    if (p.version() == 6 && p.destination().isMulticastAddress()) {
                        assertTrue(f.destination().isMulticast());
                        // 33:33 + the low 32 bits of the group (RFC 2464 section 7).
                        assertEquals(0x3333_0000_0000L | (((Ipv6Packet) p).destinationLow() & 0xFFFF_FFFFL),
                                f.destinationLong());
                        seen.add("ipv6 multicast");
                    }
                    p.release();
                }
            } finally {
                f.release();
            }
        }
        assertTrue(seen.containsAll(Set.of("arp", "ipv4", "ipv6", "ipv6 multicast")), seen.toString());
    }

    @Test
    void vlanTagsSurviveTheKernelBridge() {
        List<VlanTag> dot1q = List.of(VlanTag.of(EtherTypes.VLAN_8021Q, 3, false, 100));
        List<VlanTag> qinq = List.of(VlanTag.dot1ad(200), VlanTag.of(EtherTypes.VLAN_8021Q, 5, true, 300));
        List<VlanTag> arp = List.of(VlanTag.dot1q(5));
        Set<List<VlanTag>> seen = new HashSet<>();
        for (PcapRecord r : capture("tap-vlan.pcap")) {
            ByteBuf buf = Unpooled.wrappedBuffer(r.data());
            EthernetFrame f = decode(new EthernetDecoder(), buf);
            try {
                assertReencodes(new EthernetEncoder(), f, r.data());
                List<VlanTag> tags = f.tags();
                seen.add(tags);
                if (tags.equals(dot1q)) {
                    assertEquals(EtherTypes.IPV4, f.etherType());
                    IpPacket p = decodeIp(f.content(), true);
                    assertEquals("vlan 100", UdpView.wrap(p.content()).payload().toString(StandardCharsets.US_ASCII));
                    p.release();
                } else if (tags.equals(qinq)) {
                    assertEquals(EtherTypes.IPV6, f.etherType());
                    IpPacket p = decodeIp(f.content(), true);
                    assertEquals("qinq 200/300", UdpView.wrap(p.content()).payload().toString(StandardCharsets.US_ASCII));
                    p.release();
                } else if (tags.equals(arp)) {
                    assertEquals(EtherTypes.ARP, f.etherType());
                }
            } finally {
                f.release();
            }
        }
        assertTrue(seen.containsAll(Set.of(dot1q, qinq, arp, List.of())), seen.toString());
    }
}
