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
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketBuildersTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static IpPacket parse(ByteBuf packet) {
        return TransportChecksums.parse(packet);
    }

    @Test
    void ipv4UdpMatchesAKnownGoodPacket() {
        // Checksums computed independently (Python, RFC 1071) for the same fields.
        ByteBuf p = Ipv4Packets.udp(ALLOC, V4_A, 1000, V4_B, 2000, new byte[] {'h', 'i'});
        try {
            assertArrayEquals(bytes(hex("4500 001e 0000 4000 4011 aea7 c6120001 c6120002 03e8 07d0 000a ff90 6869")),
                    bytes(p));
        } finally {
            p.release();
        }
    }

    @Test
    void everyBuilderProducesValidChecksums() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5});
        ByteBuf[] packets = {
            Ipv4Packets.udp(ALLOC, V4_A, 1, V4_B, 2, payload),
            Ipv4Packets.tcp(ALLOC, V4_A, 1, V4_B, 2, 100, 0, TcpView.SYN, 65535, Unpooled.EMPTY_BUFFER),
            Ipv4Packets.icmpEchoRequest(ALLOC, V4_A, V4_B, 7, 9, payload),
            Ipv4Packets.icmpEchoReply(ALLOC, V4_A, V4_B, 7, 9, payload),
            Ipv6Packets.udp(ALLOC, V6_A, 1, V6_B, 2, payload),
            Ipv6Packets.tcp(ALLOC, V6_A, 1, V6_B, 2, 100, 5, TcpView.ACK | TcpView.PSH, 512, payload),
            Ipv6Packets.icmpv6EchoRequest(ALLOC, V6_A, V6_B, 7, 9, payload),
            Ipv6Packets.icmpv6EchoReply(ALLOC, V6_A, V6_B, 7, 9, payload),
        };
        assertEquals(0, payload.readerIndex());
        for (ByteBuf packet : packets) {
            IpPacket p = parse(packet);
            try {
                assertTrue(TransportChecksums.verify(p), p.toString());
                if (p.version() == 4) {
                    Ipv4Packet v4 = (Ipv4Packet) p;
                    assertEquals(0, InternetChecksum.compute(packet, 0, 20));
                    assertEquals(64, v4.ttl());
                    assertTrue(v4.dontFragment());
                }
            } finally {
                p.release();
            }
            assertTrue(TransportChecksums.verify(packet));
            packet.release();
        }
        payload.release();
    }

    @Test
    void viewsReadWhatBuildersWrote() {
        ByteBuf tcp = Ipv6Packets.tcp(ALLOC, V6_A, 40000, V6_B, 80, 0xfffffff0L, 12, TcpView.SYN | TcpView.ECE,
                1000, Unpooled.wrappedBuffer(new byte[] {9}));
        IpPacket p = parse(tcp);
        TcpView view = TcpView.wrap(p.content());
        assertEquals(40000, view.sourcePort());
        assertEquals(80, view.destinationPort());
        assertEquals(0xfffffff0L, view.sequenceNumber());
        assertEquals(12, view.acknowledgmentNumber());
        assertTrue(view.hasFlags(TcpView.SYN | TcpView.ECE));
        assertFalse(view.hasFlags(TcpView.ACK));
        assertEquals(20, view.headerLength());
        assertEquals(1000, view.window());
        assertEquals(0, view.options().readableBytes());
        assertEquals(1, view.payload().readableBytes());
        assertEquals(TransportChecksums.compute(p), view.checksum());
        p.release();
        tcp.release();

        ByteBuf udp = Ipv4Packets.udp(ALLOC, V4_A, 53, V4_B, 5353, new byte[] {1, 2, 3});
        p = parse(udp);
        UdpView u = UdpView.wrap(p.content());
        assertEquals(53, u.sourcePort());
        assertEquals(5353, u.destinationPort());
        assertEquals(11, u.length());
        assertEquals(3, u.payload().readableBytes());
        u.setDestinationPort(5354);
        assertFalse(TransportChecksums.verify(p));
        TransportChecksums.fill(p);
        assertTrue(TransportChecksums.verify(p));
        u.setChecksum(0);
        assertTrue(TransportChecksums.verify(p), "zero UDP checksum over IPv4 means none");
        p.release();
        udp.release();
    }

    @Test
    void echoReplyInPlaceForIpv4AndIpv6() {
        ByteBuf payload = Unpooled.wrappedBuffer("ping payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuf[] requests = {
            Ipv4Packets.icmpEchoRequest(ALLOC, V4_A, V4_B, 0x1234, 7, payload),
            Ipv6Packets.icmpv6EchoRequest(ALLOC, V6_A, V6_B, 0x1234, 7, payload),
        };
        ByteBuf[] expected = {
            Ipv4Packets.icmpEchoReply(ALLOC, V4_B, V4_A, 0x1234, 7, payload),
            Ipv6Packets.icmpv6EchoReply(ALLOC, V6_B, V6_A, 0x1234, 7, payload),
        };
        for (int i = 0; i < requests.length; i++) {
            assertTrue(IcmpEcho.isEchoRequest(requests[i]));
            ByteBuf copy = IcmpEcho.reply(ALLOC, requests[i]);
            assertNotNull(copy);
            assertArrayEquals(bytes(expected[i]), bytes(copy));
            assertTrue(IcmpEcho.toReplyInPlace(requests[i]));
            assertArrayEquals(bytes(expected[i]), bytes(requests[i]));
            assertFalse(IcmpEcho.isEchoRequest(requests[i]));
            assertFalse(IcmpEcho.toReplyInPlace(requests[i]));
            assertNull(IcmpEcho.reply(ALLOC, requests[i]));
            copy.release();
            requests[i].release();
            expected[i].release();
        }
        payload.release();
    }

    @Test
    void echoHelpersIgnoreEverythingElse() {
        ByteBuf udp = Ipv4Packets.udp(ALLOC, V4_A, 1, V4_B, 2, new byte[8]);
        byte[] before = bytes(udp);
        assertFalse(IcmpEcho.isEchoRequest(udp));
        assertFalse(IcmpEcho.toReplyInPlace(udp));
        assertNull(IcmpEcho.reply(ALLOC, udp));
        assertArrayEquals(before, bytes(udp));
        udp.release();
        for (String junk : new String[] {"", "45", "60", "ff00", "4500 0014 0000 0000 4001 0000 00000000 00000000"}) {
            ByteBuf b = hex(junk);
            assertFalse(IcmpEcho.isEchoRequest(b));
            assertFalse(IcmpEcho.toReplyInPlace(b));
            assertNull(IcmpEcho.reply(ALLOC, b));
            b.release();
        }
        assertFalse(IcmpEcho.isEchoRequest(Unpooled.EMPTY_BUFFER));
    }
}
