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

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.nettytun.codec.TestFrames.V4_A;
import static io.github.nettytun.codec.TestFrames.V4_B;
import static io.github.nettytun.codec.TestFrames.V6_A;
import static io.github.nettytun.codec.TestFrames.V6_B;
import static io.github.nettytun.codec.TestFrames.bytes;
import static io.github.nettytun.codec.TestFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPacketCodecTest {

    /** IPv4, IHL 6 (one NOP-padded option), tos 0xb8, id 0x1234, MF, offset 1480, ttl 7, UDP, 198.18.0.1 > .2. */
    private static ByteBuf ipv4WithOptions() {
        ByteBuf buf = hex("46 b8 0020 1234 20b9 07 11 0000 c6120001 c6120002 01010100 aabbccdd eeff0011");
        buf.setShort(10, InternetChecksum.compute(buf, 0, 24));
        return buf;
    }

    private static EmbeddedChannel channel(IpPacketDecoder decoder) {
        return new EmbeddedChannel(decoder);
    }

    @Test
    void decodesIpv4FieldsOptionsAndFragmentInfo() {
        EmbeddedChannel ch = channel(new IpPacketDecoder());
        assertTrue(ch.writeInbound(ipv4WithOptions()));
        Ipv4Packet p = ch.readInbound();
        try {
            assertEquals(4, p.version());
            assertEquals(0xb8, p.tos());
            assertEquals(46, p.dscp());
            assertEquals(0, p.ecn());
            assertEquals(0x1234, p.identification());
            assertTrue(p.moreFragments());
            assertFalse(p.dontFragment());
            assertEquals(185 * 8, p.fragmentOffset());
            assertTrue(p.isFragment());
            assertEquals(7, p.ttl());
            assertEquals(IpProtocols.UDP, p.protocol());
            assertEquals(V4_A, p.source());
            assertEquals(V4_B, p.destination());
            assertEquals(0xc6120001, p.sourceAddress());
            assertArrayEquals(bytes(hex("01010100")), p.options());
            assertEquals(24, p.headerLength());
            assertEquals(32, p.totalLength());
            assertArrayEquals(bytes(hex("aabbccdd eeff0011")), bytes(p.content()));
        } finally {
            p.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void trimsBytesAfterTotalLengthAndReencodesIdentically() {
        ByteBuf padded = Unpooled.buffer().writeBytes(ipv4WithOptions()).writeZero(10);
        EmbeddedChannel ch = new EmbeddedChannel(new IpPacketDecoder(), new IpPacketEncoder());
        byte[] expected = bytes(ipv4WithOptionsReleased());
        assertTrue(ch.writeInbound(padded));
        Ipv4Packet p = ch.readInbound();
        assertEquals(8, p.content().readableBytes());
        assertTrue(ch.writeOutbound(p));
        assertArrayEquals(expected, TestFrames.drainOutbound(ch));
        assertFalse(ch.finish());
    }

    private static ByteBuf ipv4WithOptionsReleased() {
        ByteBuf buf = ipv4WithOptions();
        ByteBuf copy = Unpooled.copiedBuffer(buf);
        buf.release();
        return copy;
    }

    @Test
    void refusesMalformedIpv4() {
        IpPacketDecoder decoder = new IpPacketDecoder();
        EmbeddedChannel ch = channel(decoder);
        ByteBuf good = ipv4WithOptionsReleased();
        byte[] g = bytes(good);
        good.release();

        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(g, 0, 19)));               // truncated
        byte[] ihl4 = g.clone();
        ihl4[0] = 0x44;
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(ihl4)));                   // IHL < 5
        byte[] ihl15 = g.clone();
        ihl15[0] = 0x4f;
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(ihl15)));                  // IHL past end
        byte[] longTotal = g.clone();
        longTotal[3] = 0x40;
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(longTotal)));              // total > buffer
        byte[] shortTotal = g.clone();
        shortTotal[2] = 0;
        shortTotal[3] = 20;
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(shortTotal)));             // total < header
        byte[] badSum = g.clone();
        badSum[8] = 8;
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(badSum)));                 // checksum
        byte[] v5 = g.clone();
        v5[0] = 0x56;
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(v5)));                     // version
        assertFalse(ch.writeInbound(Unpooled.EMPTY_BUFFER));

        DropCounters c = decoder.dropCounters();
        assertEquals(2, c.get(DropReason.TRUNCATED));
        assertEquals(2, c.get(DropReason.BAD_HEADER_LENGTH));
        assertEquals(2, c.get(DropReason.BAD_LENGTH));
        assertEquals(1, c.get(DropReason.BAD_CHECKSUM));
        assertEquals(1, c.get(DropReason.BAD_VERSION));
        assertFalse(ch.finish());

        // Checksum verification can be switched off.
        EmbeddedChannel lax = channel(new IpPacketDecoder(MalformedFramePolicy.DROP, new DropCounters(), false, 8));
        assertTrue(lax.writeInbound(Unpooled.wrappedBuffer(badSum)));
        Ipv4Packet p = lax.readInbound();
        p.release();
        assertFalse(lax.finish());
    }

    @Test
    void failPolicyRaisesThroughThePipeline() {
        EmbeddedChannel ch = channel(new IpPacketDecoder(MalformedFramePolicy.FAIL, new DropCounters(), true, 8));
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(hex("45 00 0014")));
        assertInstanceOf(MalformedFrameException.class, e);
        assertFalse(ch.finish());
    }

    /** IPv6 UDP 2001:2::1 > ::2 with hop-by-hop (PadN), destination options (PadN) and an atomic fragment header. */
    private static ByteBuf ipv6WithChain(int payloadLengthAdjust) {
        String chain = "3c00 0104 00000000" + "2c00 0104 00000000" + "1100 0000 abcdef01";
        String udp = "1000 2000 000a 0000 6869";
        int payloadLength = 24 + 10 + payloadLengthAdjust;
        return hex(String.format("6a123450 %04x 00 40", payloadLength).replace(" ", "")
                + "20010002000000000000000000000001 20010002000000000000000000000002" + chain + udp);
    }

    @Test
    void walksIpv6ExtensionChain() {
        EmbeddedChannel ch = new EmbeddedChannel(new IpPacketDecoder(), new IpPacketEncoder());
        ByteBuf in = ipv6WithChain(0);
        byte[] original = bytes(in);
        assertTrue(ch.writeInbound(in));
        Ipv6Packet p = ch.readInbound();
        assertEquals(6, p.version());
        assertEquals(0xa1, p.trafficClass());
        assertEquals(0x23450, p.flowLabel());
        assertEquals(64, p.hopLimit());
        assertEquals(IpProtocols.HOP_BY_HOP, p.nextHeader());
        assertEquals(IpProtocols.UDP, p.protocol());
        assertEquals(V6_A, p.source());
        assertEquals(V6_B, p.destination());
        assertEquals(24, p.extensionHeadersLength());
        List<Ipv6ExtensionHeader> headers = p.extensionHeaders();
        assertEquals(3, headers.size());
        assertEquals(IpProtocols.HOP_BY_HOP, headers.get(0).type());
        assertEquals(IpProtocols.DESTINATION_OPTIONS, headers.get(1).type());
        assertEquals(IpProtocols.FRAGMENT, headers.get(2).type());
        assertEquals(IpProtocols.UDP, headers.get(2).nextHeader());
        assertTrue(p.hasFragmentHeader());
        assertFalse(p.isFragment()); // atomic fragment
        assertEquals(0xabcdef01L, p.fragmentIdentification());
        assertEquals(10, p.content().readableBytes());
        assertEquals(0x1000, UdpView.wrap(p.content()).sourcePort());
        assertTrue(ch.writeOutbound(p));
        assertArrayEquals(original, TestFrames.drainOutbound(ch));
        assertFalse(ch.finish());
    }

    @Test
    void laterFragmentEndsTheChainAtTheFragmentHeader() {
        ByteBuf in = hex("60000000 0010 2c 40 20010002000000000000000000000001 20010002000000000000000000000002"
                + "3a00 05a9 00000007" + "0102030405060708");
        EmbeddedChannel ch = new EmbeddedChannel(new IpPacketDecoder());
        assertTrue(ch.writeInbound(in));
        Ipv6Packet p = ch.readInbound();
        assertEquals(IpProtocols.ICMPV6, p.protocol());
        assertEquals(0x5a8, p.fragmentOffset());
        assertTrue(p.moreFragments());
        assertTrue(p.isFragment());
        assertEquals(8, p.content().readableBytes());
        p.release();
        assertFalse(ch.finish());
    }

    @Test
    void refusesMalformedIpv6() {
        IpPacketDecoder decoder = new IpPacketDecoder(MalformedFramePolicy.DROP, new DropCounters(), true, 4);
        EmbeddedChannel ch = channel(decoder);
        assertFalse(ch.writeInbound(ipv6WithChain(1)));                       // payload length past end
        ByteBuf shortChain = ipv6WithChain(-14);                              // chain cut by payload length
        assertFalse(ch.writeInbound(shortChain));
        assertFalse(ch.writeInbound(hex("6000000000003b40")));                // truncated fixed header
        // Endless chain: hop-by-hop headers pointing at each other, more than the limit.
        StringBuilder endless = new StringBuilder("60000000 0030 00 40" + "00".repeat(32));
        for (int i = 0; i < 6; i++) {
            endless.append("0000 0000 00000000");
        }
        assertFalse(ch.writeInbound(hex(endless.toString())));
        // A header whose length field reaches past the packet.
        assertFalse(ch.writeInbound(hex("60000000 0008 00 40" + "00".repeat(32) + "3b05 0000 00000000")));
        DropCounters c = decoder.dropCounters();
        assertEquals(1, c.get(DropReason.BAD_LENGTH));
        assertEquals(2, c.get(DropReason.TRUNCATED_EXTENSION_HEADER));
        assertEquals(1, c.get(DropReason.TRUNCATED));
        assertEquals(1, c.get(DropReason.EXTENSION_CHAIN_TOO_LONG));
        assertFalse(ch.finish());
    }

    /** 70000 bytes of upper-layer data: with an 8-byte Hop-by-Hop header the payload is 70008 (0x11178). */
    private static final int JUMBO_CONTENT = 70_000;

    /**
     * An IPv6 packet from 2001:2::1 to 2001:2::2 with the given payload length field and next header, the
     * chain in hex, {@code content} bytes of upper-layer data (i & 0xFF) and {@code extra} bytes after it.
     */
    private static ByteBuf ipv6(int payloadLengthField, int nextHeader, String chain, int content, int extra) {
        ByteBuf buf = hex(String.format("60000000 %04x %02x 40", payloadLengthField, nextHeader).replace(" ", "")
                + "20010002000000000000000000000001 20010002000000000000000000000002" + chain);
        ByteBuf out = Unpooled.buffer(buf.readableBytes() + content + extra).writeBytes(buf);
        buf.release();
        for (int i = 0; i < content; i++) {
            out.writeByte(i);
        }
        return out.writeZero(extra);
    }

    /** A Hop-by-Hop header (next header UDP) holding only a Jumbo Payload option with this value. */
    private static String jumboHopByHop(long jumboLength) {
        return String.format("11 00 c2 04 %08x", jumboLength);
    }

    @Test
    void decodesAndReencodesJumbograms() {
        EmbeddedChannel ch = new EmbeddedChannel(new IpPacketDecoder(), new IpPacketEncoder());
        ByteBuf in = ipv6(0, IpProtocols.HOP_BY_HOP, jumboHopByHop(8 + JUMBO_CONTENT), JUMBO_CONTENT, 0);
        byte[] original = bytes(in);
        assertTrue(ch.writeInbound(in));
        Ipv6Packet p = ch.readInbound();
        assertTrue(p.isJumbogram());
        assertEquals(IpProtocols.UDP, p.protocol());
        assertEquals(8 + JUMBO_CONTENT, p.payloadLength());
        assertEquals(JUMBO_CONTENT, p.content().readableBytes());
        assertEquals(8, p.extensionHeadersLength());
        assertTrue(p.toString().contains("jumbo"), p.toString());
        assertTrue(ch.writeOutbound(p.retain()));
        assertArrayEquals(original, TestFrames.drainOutbound(ch));
        // An edited content gets its length written into the option; the fixed header still says 0.
        Ipv6Packet shorter = p.replace(p.content().retainedSlice(0, 66_000));
        p.release();
        assertTrue(ch.writeOutbound(shorter));
        ByteBuf encoded = Unpooled.wrappedBuffer(TestFrames.drainOutbound(ch));
        assertEquals(0, encoded.getUnsignedShort(4));
        assertEquals(66_008, encoded.getInt(44));
        assertEquals(40 + 66_008, encoded.readableBytes());
        encoded.release();
        // Bytes after the jumbo length are not part of the packet.
        assertTrue(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, jumboHopByHop(8 + JUMBO_CONTENT),
                JUMBO_CONTENT, 9)));
        Ipv6Packet trimmed = ch.readInbound();
        assertEquals(JUMBO_CONTENT, trimmed.content().readableBytes());
        trimmed.release();
        assertFalse(ch.finish());
    }

    @Test
    void refusesMalformedJumbograms() {
        IpPacketDecoder decoder = new IpPacketDecoder();
        EmbeddedChannel ch = channel(decoder);
        int payload = 8 + JUMBO_CONTENT;
        // Option length 3 instead of 4 (then a Pad1 to fill the header).
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, "11 00 c2 03 000111 00", JUMBO_CONTENT, 0)));
        // Jumbo lengths that a plain payload length could hold.
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, jumboHopByHop(0xFFFF), 0xFFFF - 8, 0)));
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, jumboHopByHop(8), 0, 0)));
        // A Jumbo Payload option with a non-zero payload length.
        assertFalse(ch.writeInbound(ipv6(8, IpProtocols.HOP_BY_HOP, jumboHopByHop(payload), 0, 0)));
        // A Jumbo Payload option in a Destination Options header, and in a second Hop-by-Hop header.
        assertFalse(ch.writeInbound(ipv6(16, IpProtocols.HOP_BY_HOP, "3c00 0104 00000000" + jumboHopByHop(payload),
                0, 0)));
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.DESTINATION_OPTIONS, jumboHopByHop(payload), JUMBO_CONTENT,
                0)));
        // Two Jumbo Payload options in one header.
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, "11 01 c2 04 00011178 c2 04 00011178 0000",
                JUMBO_CONTENT, 0)));
        // A jumbogram with a Fragment header.
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, "2c 00 c2 04 00011180 1100 0000 00000001",
                JUMBO_CONTENT, 0)));
        assertEquals(8, decoder.dropCounters().get(DropReason.BAD_JUMBOGRAM));
        // A jumbo length past the end of the frame, by one byte.
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, jumboHopByHop(payload + 1), JUMBO_CONTENT, 0)));
        assertEquals(1, decoder.dropCounters().get(DropReason.BAD_LENGTH));
        // Payload length 0 and a Hop-by-Hop header without the option, or cut off: as before, truncated.
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, "11 00 0104 00000000", 100, 0)));
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, "11 00 c2 04", 0, 0)));
        assertFalse(ch.writeInbound(ipv6(0, IpProtocols.HOP_BY_HOP, "11 01 c2 04 00011178", 0, 0)));
        assertEquals(3, decoder.dropCounters().get(DropReason.TRUNCATED_EXTENSION_HEADER));
        assertEquals(12, decoder.dropCounters().total());
        assertFalse(ch.finish());
    }

    @Test
    void buildsJumbogramsFromFields() {
        EmbeddedChannel ch = new EmbeddedChannel(new IpPacketEncoder(), new IpPacketDecoder());
        byte[] chain = bytes(hex(jumboHopByHop(0))); // the encoder fills in the length
        ByteBuf data = ipv6(0, IpProtocols.UDP, "", JUMBO_CONTENT, 0).skipBytes(Ipv6Packet.HEADER_LENGTH);
        Ipv6Packet jumbo = new Ipv6Packet(0, 0, 64, IpProtocols.HOP_BY_HOP, chain, V6_A, V6_B, data);
        assertTrue(jumbo.isJumbogram());
        assertTrue(ch.writeOutbound(jumbo));
        ByteBuf expected = ipv6(0, IpProtocols.HOP_BY_HOP, jumboHopByHop(8 + JUMBO_CONTENT), JUMBO_CONTENT, 0);
        assertArrayEquals(bytes(expected), TestFrames.drainOutbound(ch));
        expected.release();
        // Too small for a jumbogram, and too big for a plain packet: refused when written.
        Ipv6Packet small = new Ipv6Packet(0, 0, 64, IpProtocols.HOP_BY_HOP, chain, V6_A, V6_B,
                Unpooled.buffer().writeZero(100));
        assertThrows(EncoderException.class, () -> ch.writeOutbound(small));
        Ipv6Packet big = new Ipv6Packet(V6_A, V6_B, IpProtocols.UDP, 64, Unpooled.buffer().writeZero(JUMBO_CONTENT));
        assertFalse(big.isJumbogram());
        assertThrows(EncoderException.class, () -> ch.writeOutbound(big));
        // A Jumbo Payload option where it does not belong.
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Packet(0, 0, 64, IpProtocols.DESTINATION_OPTIONS,
                chain, V6_A, V6_B, Unpooled.EMPTY_BUFFER));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Packet(0, 0, 64, IpProtocols.HOP_BY_HOP,
                bytes(hex("2c 00 c2 04 00000000 1100 0000 00000001")), V6_A, V6_B, Unpooled.EMPTY_BUFFER));
        assertFalse(ch.finish());
    }

    @Test
    void buildsAndEncodesPacketsFromFields() {
        EmbeddedChannel ch = new EmbeddedChannel(new IpPacketEncoder(), new IpPacketDecoder());
        ByteBuf udp = Unpooled.buffer().writeShort(1).writeShort(2).writeShort(10).writeShort(0).writeShort(0x6869);
        Ipv4Packet v4 = new Ipv4Packet(V4_A, V4_B, IpProtocols.UDP, 64, udp);
        TransportChecksums.fill(v4);
        assertTrue(TransportChecksums.verify(v4));
        ByteBuf expected = Ipv4Packets.udp(ch.alloc(), V4_A, 1, V4_B, 2, new byte[] {0x68, 0x69});
        assertTrue(ch.writeOutbound(v4));
        assertArrayEquals(bytes(expected), TestFrames.drainOutbound(ch));
        expected.release();

        ByteBuf udp6 = Unpooled.buffer().writeShort(1).writeShort(2).writeShort(10).writeShort(0).writeShort(0x6869);
        Ipv6Packet v6 = new Ipv6Packet(V6_A, V6_B, IpProtocols.UDP, 64, udp6);
        TransportChecksums.fill(v6);
        ByteBuf expected6 = Ipv6Packets.udp(ch.alloc(), V6_A, 1, V6_B, 2, new byte[] {0x68, 0x69});
        assertTrue(ch.writeOutbound(v6));
        assertArrayEquals(bytes(expected6), TestFrames.drainOutbound(ch));
        expected6.release();

        byte[] chain = bytes(hex("3a00 0104 00000000"));
        Ipv6Packet withChain = new Ipv6Packet(0, 7, 1, IpProtocols.HOP_BY_HOP, chain, V6_A, V6_B,
                Unpooled.wrappedBuffer(new byte[8]));
        assertEquals(IpProtocols.ICMPV6, withChain.protocol());
        assertEquals(48, withChain.headerLength());
        withChain.release();
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Packet(0, 0, 1, IpProtocols.HOP_BY_HOP,
                bytes(hex("3a01 0104 00000000")), V6_A, V6_B, Unpooled.EMPTY_BUFFER));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Packet(0, 0, 0, 0, 64, 17, V4_A, V4_B,
                new byte[3], Unpooled.EMPTY_BUFFER));
        assertFalse(ch.finish());
    }

    @Test
    void decodesContentOfOuterFramesAndPassesOtherEtherTypes() {
        EmbeddedChannel ch = new EmbeddedChannel(new EthernetDecoder(), new IpPacketDecoder());
        ByteBuf ip = Ipv4Packets.udp(ch.alloc(), V4_A, 1, V4_B, 2, new byte[1]);
        ByteBuf frame = Unpooled.buffer().writeBytes(hex("ffffffffffff 020000000001 0800")).writeBytes(ip);
        ip.release();
        assertTrue(ch.writeInbound(frame));
        IpPacket p = ch.readInbound();
        assertEquals(IpProtocols.UDP, p.protocol());
        p.release();
        assertTrue(ch.writeInbound(hex("ffffffffffff 020000000001 0806 0001")));
        EthernetFrame arp = ch.readInbound();
        assertEquals(EtherTypes.ARP, arp.etherType());
        arp.release();
        assertFalse(ch.finish());
    }

    @Test
    void checksumHelpersAgreeWithEachOther() {
        ByteBuf data = hex("0001f203f4f5f6f7");
        // RFC 1071 section 3 example: sum 0xddf2, checksum ~0xddf2.
        assertEquals(~0xddf2 & 0xFFFF, InternetChecksum.compute(data, 0, 8));
        ByteBuf big = Unpooled.buffer();
        for (int i = 0; i < 301; i++) {
            big.writeByte(i * 7);
        }
        long slow = 0;
        for (int i = 0; i + 1 < 301; i += 2) {
            slow += big.getUnsignedShort(i);
        }
        slow += big.getUnsignedByte(300) << 8;
        assertEquals(InternetChecksum.finish(slow), InternetChecksum.compute(big, 0, 301));
        ByteBuf direct = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(big, 0, 301);
        assertEquals(InternetChecksum.finish(slow), InternetChecksum.compute(direct, 0, 301));
        direct.release();
        big.release();
        data.release();
        assertEquals(InternetChecksum.ipv4PseudoHeaderSum(V4_A, V4_B, 17, 10),
                InternetChecksum.ipv4PseudoHeaderSum(0xc6120001, 0xc6120002, 17, 10));
    }
}
