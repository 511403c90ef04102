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
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.github.nettytun.codec.TestFrames.bytes;
import static io.github.nettytun.codec.TestFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirtioNetCodecTest {

    /** flags NEEDS_CSUM, gso TCPV4|ECN, hdr_len 54, gso_size 1448, csum_start 34, csum_offset 16, num_buffers 1. */
    private static final String V1_HEADER = "01 81 3600 a805 2200 1000 0100";

    @Test
    void decodesEveryFieldLittleEndian() {
        EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_V1));
        ByteBuf packet = hex(V1_HEADER + " " + "00".repeat(60));
        assertTrue(ch.writeInbound(packet));
        VirtioNetFrame frame = ch.readInbound();
        try {
            VirtioNetHeader h = frame.header();
            assertEquals(VirtioNetHeader.FLAG_NEEDS_CSUM, h.flags());
            assertTrue(h.needsChecksum());
            assertFalse(h.dataValid());
            assertEquals(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, h.gsoType());
            assertEquals(VirtioNetHeader.GSO_TCPV4, h.gsoProtocol());
            assertTrue(h.gsoEcn());
            assertEquals(54, h.headerLength());
            assertEquals(1448, h.gsoSize());
            assertEquals(34, h.checksumStart());
            assertEquals(16, h.checksumOffset());
            assertEquals(1, h.numBuffers());
            assertEquals(60, frame.content().readableBytes());
        } finally {
            frame.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void shortHeaderHasNoNumBuffersAndPlainHeaderIsShared() {
        EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH));
        assertTrue(ch.writeInbound(hex("02 05 0000 e803 0000 0000 aabb")));
        VirtioNetFrame frame = ch.readInbound();
        assertEquals(new VirtioNetHeader(VirtioNetHeader.FLAG_DATA_VALID, VirtioNetHeader.GSO_UDP_L4, 0, 1000, 0, 0, 0),
                frame.header());
        assertArrayEquals(bytes(hex("aabb")), bytes(frame.content()));
        frame.release();
        assertTrue(ch.writeInbound(hex("00".repeat(10) + "45")));
        VirtioNetFrame plain = ch.readInbound();
        assertSame(VirtioNetHeader.NONE, plain.header());
        plain.release();
        assertFalse(ch.finish());
    }

    @Test
    void refusesTruncatedAndInconsistentHeaders() {
        VirtioNetHeaderDecoder decoder = new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_V1);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertFalse(ch.writeInbound(hex("01 00 0000 0000")));
        // NEEDS_CSUM at 34+16 in a 40-byte packet.
        assertFalse(ch.writeInbound(hex("01 00 0000 0000 2200 1000 0000" + "00".repeat(40))));
        // GSO without gso_size.
        assertFalse(ch.writeInbound(hex("00 01 0000 0000 0000 0000 0000" + "00".repeat(40))));
        assertEquals(1, decoder.dropCounters().get(DropReason.TRUNCATED));
        assertEquals(2, decoder.dropCounters().get(DropReason.BAD_VNET_HEADER));
        assertFalse(ch.finish());
    }

    @Test
    void roundTripsAndEncodesPlainBuffersWithEmptyHeader() {
        for (int length : new int[] {VirtioNetHeader.LENGTH, VirtioNetHeader.LENGTH_V1}) {
            for (boolean composite : new boolean[] {false, true}) {
                String header = length == 12 ? V1_HEADER : V1_HEADER.substring(0, V1_HEADER.length() - 5);
                ByteBuf in = hex(header + "00".repeat(64));
                byte[] original = bytes(in);
                EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(length),
                        new VirtioNetHeaderEncoder(length, composite));
                assertTrue(ch.writeInbound(in));
                VirtioNetFrame frame = ch.readInbound();
                assertTrue(ch.writeOutbound(frame));
                assertArrayEquals(original, TestFrames.drainOutbound(ch));
                assertTrue(ch.writeOutbound(hex("4500")));
                assertArrayEquals(bytes(hex("00".repeat(length) + "4500")), TestFrames.drainOutbound(ch));
                assertFalse(ch.finish());
            }
        }
    }

    @Test
    void rejectsUnsupportedHeaderLengths() {
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeaderDecoder(9));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeaderDecoder(VirtioNetHeader.MAX_LENGTH + 1));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeaderEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeaderEncoder(VirtioNetHeader.MAX_LENGTH + 1));
        assertThrows(IllegalArgumentException.class, () -> VirtioNetHeader.read(hex("00".repeat(10)), 0, 9));
        assertEquals(VirtioNetHeader.MAX_LENGTH, new VirtioNetHeaderDecoder(VirtioNetHeader.MAX_LENGTH).headerLength());
    }

    @Test
    void decodesHashReportOfTwentyByteHeader() {
        EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_HASH));
        // V1 header, hash_value 0xdeadbeef, hash_report 5 (TCPv6), padding 0.
        assertTrue(ch.writeInbound(hex(V1_HEADER + " efbeadde 0500 0000" + "00".repeat(60))));
        VirtioNetFrame frame = ch.readInbound();
        VirtioNetHeader h = frame.header();
        assertEquals(1448, h.gsoSize());
        assertEquals(1, h.numBuffers());
        assertEquals(0xdeadbeefL, h.hashValue());
        assertEquals(5, h.hashReport());
        assertEquals(0, h.outerTransportOffset());
        assertEquals(0, h.innerNetworkOffset());
        assertEquals(0, h.trailingBytes().length);
        assertEquals(60, frame.content().readableBytes());
        frame.release();
        // A 12-byte header has no hash report: the fields read as 0 (VIRTIO_NET_HASH_REPORT_NONE).
        VirtioNetHeader v1 = VirtioNetHeader.read(hex(V1_HEADER + " efbeadde 0500 0000"), 0, 12);
        assertEquals(0, v1.hashValue());
        assertEquals(0, v1.hashReport());
        assertFalse(ch.finish());
    }

    /**
     * flags NEEDS_CSUM|UDP_TUNNEL_CSUM, gso UDP_L4|TUNNEL_IPV4, hdr_len 78, gso_size 1000, csum 70+6,
     * outer_th 20, inner_nh 50.
     */
    private static final String TUNNEL_HEADER = "09 25 4e00 e803 4600 0600 0000 00000000 0000 0000 1400 3200";

    @Test
    void decodesUdpTunnelOffsetsOfTwentyFourByteHeader() {
        EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_HASH_TUNNEL));
        assertTrue(ch.writeInbound(hex(TUNNEL_HEADER + "00".repeat(100))));
        VirtioNetFrame frame = ch.readInbound();
        VirtioNetHeader h = frame.header();
        assertTrue(h.needsChecksum());
        assertEquals(VirtioNetHeader.FLAG_UDP_TUNNEL_CSUM, h.flags() & VirtioNetHeader.FLAG_UDP_TUNNEL_CSUM);
        assertTrue(h.gsoUdpTunnel());
        assertEquals(VirtioNetHeader.GSO_UDP_L4 | VirtioNetHeader.GSO_UDP_TUNNEL_IPV4, h.gsoProtocol());
        assertEquals(VirtioNetHeader.GSO_UDP_L4, h.gsoInnerProtocol());
        assertEquals(78, h.headerLength());
        assertEquals(70, h.checksumStart());
        assertEquals(20, h.outerTransportOffset());
        assertEquals(50, h.innerNetworkOffset());
        assertEquals(0, h.hashReport());
        assertEquals(new VirtioNetHeader(9, 0x25, 78, 1000, 70, 6, 0, 0, 0, 20, 50), h);
        assertEquals(100, frame.content().readableBytes());
        frame.release();
        // A plain packet on a 24-byte device (what tun writes when there is no offload) shares NONE.
        assertTrue(ch.writeInbound(hex("00".repeat(24) + "60")));
        VirtioNetFrame plain = ch.readInbound();
        assertSame(VirtioNetHeader.NONE, plain.header());
        plain.release();
        assertFalse(ch.finish());
    }

    @Test
    void refusesBadUdpTunnelHeaders() {
        String packet = "00".repeat(100);
        VirtioNetHeaderDecoder short12 = new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_V1);
        VirtioNetHeaderDecoder short20 = new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_HASH);
        VirtioNetHeaderDecoder full = new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH_HASH_TUNNEL);
        EmbeddedChannel ch12 = new EmbeddedChannel(short12);
        EmbeddedChannel ch20 = new EmbeddedChannel(short20);
        EmbeddedChannel ch24 = new EmbeddedChannel(full);
        // Tunnel GSO types without room for the offsets.
        assertFalse(ch12.writeInbound(hex(TUNNEL_HEADER.replace(" ", "").substring(0, 24) + packet)));
        assertFalse(ch20.writeInbound(hex(TUNNEL_HEADER.replace(" ", "").substring(0, 40) + packet)));
        String[] bad = {
            "09 65 4e00 e803 4600 0600 0000 00000000 0000 0000 1400 3200", // both tunnel bits
            "09 20 4e00 e803 4600 0600 0000 00000000 0000 0000 1400 3200", // no inner GSO type
            "09 23 4e00 e803 4600 0600 0000 00000000 0000 0000 1400 3200", // inner UFO
            "09 25 4e00 e803 4600 0600 0000 00000000 0000 0000 1400 1b00", // inner_nh 27 < outer_th 20 + 8
            "09 25 4e00 e803 4600 0600 0000 00000000 0000 0000 1400 6400", // inner_nh 100 = packet length
            "09 25 4e00 e803 4600 0600 0000 00000000 0000 0000 ffff ff00", // outer_th far beyond the packet
        };
        for (String header : bad) {
            assertFalse(ch24.writeInbound(hex(header + packet)), header);
        }
        // Offsets without a tunnel GSO type are nobody's business: accepted as they are.
        assertTrue(ch24.writeInbound(hex("01 05 4e00 e803 4600 0600 0000 00000000 0000 0000 ffff ffff" + packet)));
        VirtioNetFrame frame = ch24.readInbound();
        assertEquals(0xffff, frame.header().outerTransportOffset());
        frame.release();
        assertEquals(1, short12.dropCounters().get(DropReason.BAD_VNET_HEADER));
        assertEquals(1, short20.dropCounters().get(DropReason.BAD_VNET_HEADER));
        assertEquals(bad.length, full.dropCounters().get(DropReason.BAD_VNET_HEADER));
        assertEquals(bad.length, full.dropCounters().total());
        assertFalse(ch12.finish());
        assertFalse(ch20.finish());
        assertFalse(ch24.finish());
    }

    @Test
    void roundTripsExtendedHeadersByteForByte() {
        Random rnd = new Random(42);
        int[] lengths = {11, 13, 16, 19, VirtioNetHeader.LENGTH_HASH, 22, VirtioNetHeader.LENGTH_HASH_TUNNEL, 25, 32,
            64, VirtioNetHeader.MAX_LENGTH};
        for (int length : lengths) {
            for (boolean composite : new boolean[] {false, true}) {
                byte[] header = new byte[length];
                rnd.nextBytes(header);
                header[0] = 0; // no NEEDS_CSUM: the random csum fields need not fit the packet
                header[1] = 0; // no GSO
                ByteBuf in = Unpooled.wrappedBuffer(header, new byte[64]);
                byte[] original = bytes(in);
                EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(length),
                        new VirtioNetHeaderEncoder(length, composite));
                assertTrue(ch.writeInbound(in));
                VirtioNetFrame frame = ch.readInbound();
                assertTrue(ch.writeOutbound(frame));
                assertArrayEquals(original, TestFrames.drainOutbound(ch), "length " + length);
                assertFalse(ch.finish());
            }
        }
        // The tunnel header too, both as copy and as composite.
        for (boolean composite : new boolean[] {false, true}) {
            ByteBuf in = hex(TUNNEL_HEADER + "ab".repeat(100));
            byte[] original = bytes(in);
            EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderDecoder(24),
                    new VirtioNetHeaderEncoder(24, composite));
            assertTrue(ch.writeInbound(in));
            VirtioNetFrame frame = ch.readInbound();
            assertTrue(ch.writeOutbound(frame));
            assertArrayEquals(original, TestFrames.drainOutbound(ch));
            assertFalse(ch.finish());
        }
    }

    @Test
    void keepsBytesNoFieldCoversAtTheirOffset() {
        // 16 bytes: V1 header, then 4 bytes of a hash_value the header is too short for.
        VirtioNetHeader h = VirtioNetHeader.read(hex(V1_HEADER + "00 07 08 00"), 0, 16);
        assertEquals(0, h.hashValue());
        assertArrayEquals(new byte[] {7, 8}, h.trailingBytes());
        assertEquals(13, h.trailingBytesOffset());
        ByteBuf out = Unpooled.buffer();
        h.write(out, 16);
        assertArrayEquals(bytes(hex(V1_HEADER + "00 07 08 00")), bytes(out));
        out.clear();
        // Written into a longer structure, the hash fields win; into a shorter one, the bytes are cut.
        h.write(out, 24);
        assertArrayEquals(bytes(hex(V1_HEADER + "00".repeat(12))), bytes(out));
        out.clear();
        h.write(out, 14);
        assertArrayEquals(bytes(hex(V1_HEADER + "00 07")), bytes(out));
        out.clear();
        // After the tunnel offsets, anything goes: kept at its place.
        ByteBuf longHeader = hex(TUNNEL_HEADER + "00 00 00 00 05 00 00 00");
        VirtioNetHeader t = VirtioNetHeader.read(longHeader, 0, 32);
        assertEquals(28, t.trailingBytesOffset());
        assertArrayEquals(new byte[] {5}, t.trailingBytes());
        assertEquals(50, t.innerNetworkOffset());
        t.write(out, 32);
        assertArrayEquals(bytes(longHeader), bytes(out));
        out.clear();
        assertTrue(t.toString().contains("innerNh=50"), t.toString());
        // A header of zeros past its known structure equals NONE, whatever the size.
        assertSame(VirtioNetHeader.NONE, VirtioNetHeader.read(hex("00".repeat(64)), 0, 64));
        assertEquals(VirtioNetHeader.NONE, new VirtioNetHeader(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        out.release();
    }

    @Test
    void encoderRefusesTunnelHeaderThatDoesNotFit() {
        VirtioNetHeader tunnel = new VirtioNetHeader(9, 0x25, 78, 1000, 70, 6, 0, 0, 0, 20, 50);
        assertFalse(tunnel.fitsIn(VirtioNetHeader.LENGTH_V1));
        assertFalse(tunnel.fitsIn(VirtioNetHeader.LENGTH_HASH));
        assertTrue(tunnel.fitsIn(VirtioNetHeader.LENGTH_HASH_TUNNEL));
        assertTrue(VirtioNetHeader.NONE.fitsIn(VirtioNetHeader.LENGTH));
        EmbeddedChannel ch = new EmbeddedChannel(new VirtioNetHeaderEncoder(VirtioNetHeader.LENGTH_V1));
        ByteBuf packet = Unpooled.buffer().writeZero(100);
        VirtioNetFrame frame = new VirtioNetFrame(tunnel, packet);
        assertThrows(EncoderException.class, () -> ch.writeOutbound(frame));
        assertEquals(0, frame.refCnt()); // released by the encoder
        assertFalse(ch.finish());
        // The same frame on a 24-byte device, and the hash fields written from a built header.
        EmbeddedChannel ch24 = new EmbeddedChannel(new VirtioNetHeaderEncoder(VirtioNetHeader.LENGTH_HASH_TUNNEL));
        VirtioNetHeader built = new VirtioNetHeader(9, 0x25, 78, 1000, 70, 6, 0, 0xdeadbeefL, 2, 20, 50);
        assertTrue(ch24.writeOutbound(new VirtioNetFrame(built, Unpooled.buffer().writeZero(4))));
        assertArrayEquals(bytes(hex("09 25 4e00 e803 4600 0600 0000 efbeadde 0200 0000 1400 3200 00000000")),
                TestFrames.drainOutbound(ch24));
        assertFalse(ch24.finish());
    }

    @Test
    void decodesContentOfPiFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new TunPiDecoder(),
                new VirtioNetHeaderDecoder(VirtioNetHeader.LENGTH));
        assertTrue(ch.writeInbound(hex("0000 0800" + "00".repeat(10) + "4500")));
        VirtioNetFrame frame = ch.readInbound();
        assertArrayEquals(bytes(hex("4500")), bytes(frame.content()));
        frame.release();
        assertFalse(ch.finish());
    }
}
