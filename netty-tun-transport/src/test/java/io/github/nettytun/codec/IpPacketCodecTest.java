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
