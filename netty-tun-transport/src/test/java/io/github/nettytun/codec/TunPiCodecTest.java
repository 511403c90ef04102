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
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;

import static io.github.nettytun.codec.TestFrames.V4_A;
import static io.github.nettytun.codec.TestFrames.V4_B;
import static io.github.nettytun.codec.TestFrames.V6_A;
import static io.github.nettytun.codec.TestFrames.V6_B;
import static io.github.nettytun.codec.TestFrames.bytes;
import static io.github.nettytun.codec.TestFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunPiCodecTest {

    @Test
    void decodesFlagsAndProtocolAndSlicesThePacket() {
        EmbeddedChannel ch = new EmbeddedChannel(new TunPiDecoder());
        assertTrue(ch.writeInbound(hex("0000 86dd 6000 0000")));
        TunPiFrame frame = ch.readInbound();
        try {
            assertEquals(0, frame.flags());
            assertEquals(EtherTypes.IPV6, frame.protocol());
            assertArrayEquals(bytes(hex("6000 0000")), bytes(frame.content()));
        } finally {
            frame.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void kernelTruncatedFrameIsDroppedAndCounted() {
        TunPiDecoder decoder = new TunPiDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        // TUN_PKT_STRIP as the kernel writes it on x86: host-order u16 1 = bytes 01 00.
        assertFalse(ch.writeInbound(hex("0100 0800 4500 0404")));
        assertFalse(ch.writeInbound(hex("0000 08")));
        assertEquals(1, decoder.dropCounters().get(DropReason.KERNEL_TRUNCATED));
        assertEquals(1, decoder.dropCounters().get(DropReason.TRUNCATED));
        assertEquals(2, decoder.dropCounters().total());
        assertFalse(ch.finish());
    }

    @Test
    void failPolicyRaisesMalformedFrameException() {
        DropCounters counters = new DropCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new TunPiDecoder(MalformedFramePolicy.FAIL, counters));
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> ch.writeInbound(hex("0100 0800 45")));
        assertEquals(DropReason.KERNEL_TRUNCATED, e.reason());
        assertEquals(1, counters.get(DropReason.KERNEL_TRUNCATED));
        assertFalse(ch.finish());
    }

    @Test
    void encoderDerivesProtocolFromVersionNibble() {
        for (boolean composite : new boolean[] {false, true}) {
            EmbeddedChannel ch = new EmbeddedChannel(new TunPiEncoder(false, composite));
            ByteBuf v4 = Ipv4Packets.udp(ch.alloc(), V4_A, 1, V4_B, 2, new byte[3]);
            ByteBuf v6 = Ipv6Packets.udp(ch.alloc(), V6_A, 1, V6_B, 2, new byte[3]);
            byte[] v4Bytes = bytes(v4);
            byte[] v6Bytes = bytes(v6);
            assertTrue(ch.writeOutbound(v4));
            byte[] out = TestFrames.drainOutbound(ch);
            assertArrayEquals(bytes(hex("0000 0800")), java.util.Arrays.copyOf(out, 4));
            assertArrayEquals(v4Bytes, java.util.Arrays.copyOfRange(out, 4, out.length));
            assertTrue(ch.writeOutbound(v6));
            out = TestFrames.drainOutbound(ch);
            assertArrayEquals(bytes(hex("0000 86dd")), java.util.Arrays.copyOf(out, 4));
            assertArrayEquals(v6Bytes, java.util.Arrays.copyOfRange(out, 4, out.length));
            assertFalse(ch.finish());
        }
    }

    @Test
    void encoderRefusesNonIpAndUsesEtherTypeForTap() {
        EmbeddedChannel tun = new EmbeddedChannel(new TunPiEncoder());
        assertThrows(EncoderException.class, () -> tun.writeOutbound(hex("1234")));
        assertNull(tun.readOutbound());
        assertFalse(tun.finish());

        EmbeddedChannel tap = new EmbeddedChannel(new TunPiEncoder(true, false));
        ByteBuf frame = hex("ffffffffffff 020000000001 0806 0001");
        assertTrue(tap.writeOutbound(frame));
        byte[] out = TestFrames.drainOutbound(tap);
        assertArrayEquals(bytes(hex("0000 0806")), java.util.Arrays.copyOf(out, 4));
        assertFalse(tap.finish());
    }

    @Test
    void roundTripIsByteIdentical() {
        ByteBuf in = hex("0000 86dd 6000 0000 0000 3bff");
        byte[] original = bytes(in);
        EmbeddedChannel ch = new EmbeddedChannel(new TunPiDecoder(), new TunPiEncoder());
        assertTrue(ch.writeInbound(in));
        TunPiFrame frame = ch.readInbound();
        assertTrue(ch.writeOutbound(frame));
        assertArrayEquals(original, TestFrames.drainOutbound(ch));
        assertFalse(ch.finish());
    }
}
