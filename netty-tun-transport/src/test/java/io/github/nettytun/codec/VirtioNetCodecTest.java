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
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

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
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeaderDecoder(20));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeaderEncoder(24));
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
