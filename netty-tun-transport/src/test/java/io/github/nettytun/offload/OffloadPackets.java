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
package io.github.nettytun.offload;

import io.github.nettytun.codec.InternetChecksum;
import io.github.nettytun.codec.IpProtocols;
import io.github.nettytun.codec.TransportChecksums;
import io.github.nettytun.codec.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds raw TCP/UDP packets over IPv4/IPv6 with every field under the test's control, and checks that
 * packets are well formed. Addresses are from 198.18.0.0/15 and 2001:2::/48.
 */
final class OffloadPackets {

    /** IP header fields of a built packet. */
    static final class Ip {
        int version = 4;
        int source = 1;
        int destination = 2;
        int id;
        int tos;
        int ttl = 64;
        boolean dontFragment = true;
        int flowLabel;
        /** IPv4 options or IPv6 hop-by-hop option bytes (a multiple of 4, resp. 8 with its 2-byte head). */
        byte[] options = new byte[0];

        Ip copy() {
            Ip c = new Ip();
            c.version = version;
            c.source = source;
            c.destination = destination;
            c.id = id;
            c.tos = tos;
            c.ttl = ttl;
            c.dontFragment = dontFragment;
            c.flowLabel = flowLabel;
            c.options = options;
            return c;
        }
    }

    private OffloadPackets() {
    }

    static ByteBuf tcp(Ip ip, int sourcePort, int destinationPort, long seq, long ack, int flags, int window,
                       byte[] tcpOptions, byte[] payload) {
        int tcpLength = 20 + tcpOptions.length + payload.length;
        ByteBuf b = ipHeader(ip, IpProtocols.TCP, tcpLength);
        int l4 = b.writerIndex();
        b.writeShort(sourcePort).writeShort(destinationPort).writeInt((int) seq).writeInt((int) ack);
        b.writeShort(((5 + tcpOptions.length / 4) << 12) | flags).writeShort(window).writeShort(0).writeShort(0);
        b.writeBytes(tcpOptions).writeBytes(payload);
        fillTransportChecksum(b, l4, IpProtocols.TCP, 16);
        return b;
    }

    static ByteBuf udp(Ip ip, int sourcePort, int destinationPort, byte[] payload) {
        ByteBuf b = ipHeader(ip, IpProtocols.UDP, 8 + payload.length);
        int l4 = b.writerIndex();
        b.writeShort(sourcePort).writeShort(destinationPort).writeShort(8 + payload.length).writeShort(0);
        b.writeBytes(payload);
        fillTransportChecksum(b, l4, IpProtocols.UDP, 6);
        return b;
    }

    private static ByteBuf ipHeader(Ip ip, int protocol, int transportLength) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(60 + 40 + transportLength);
        if (ip.version == 4) {
            int ihl = 5 + ip.options.length / 4;
            b.writeByte(0x40 | ihl).writeByte(ip.tos).writeShort(ihl * 4 + transportLength).writeShort(ip.id);
            b.writeShort(ip.dontFragment ? 0x4000 : 0).writeByte(ip.ttl).writeByte(protocol).writeShort(0);
            b.writeInt(0xC6120000 | ip.source).writeInt(0xC6120000 | ip.destination).writeBytes(ip.options);
            b.setShort(10, InternetChecksum.compute(b, 0, ihl * 4));
        } else {
            int ext = ip.options.length == 0 ? 0 : ip.options.length + 2;
            b.writeInt(0x6000_0000 | ip.tos << 20 | ip.flowLabel).writeShort(ext + transportLength);
            b.writeByte(ext == 0 ? protocol : IpProtocols.HOP_BY_HOP).writeByte(ip.ttl);
            b.writeInt(0x20010002).writeInt(0).writeInt(0).writeInt(ip.source);
            b.writeInt(0x20010002).writeInt(0).writeInt(0).writeInt(ip.destination);
            if (ext != 0) {
                b.writeByte(protocol).writeByte(ext / 8 - 1).writeBytes(ip.options);
            }
        }
        return b;
    }

    private static void fillTransportChecksum(ByteBuf b, int l4, int protocol, int field) {
        int length = b.writerIndex() - l4;
        long sum = IpLayout.pseudoHeaderSumWithoutLength(b, 0, protocol) + length + InternetChecksum.sum(b, l4, length);
        int checksum = InternetChecksum.finish(sum);
        b.setShort(l4 + field, checksum == 0 && protocol == IpProtocols.UDP ? 0xFFFF : checksum);
    }

    /** Asserts a packet is a well-formed IPv4/IPv6 packet with correct header and transport checksums. */
    static void assertValid(ByteBuf p) {
        int base = p.readerIndex();
        int length = p.readableBytes();
        int version = p.getUnsignedByte(base) >>> 4;
        if (version == 4) {
            assertEquals(length, p.getUnsignedShort(base + 2), "IPv4 total length");
            int ihl = (p.getUnsignedByte(base) & 0xF) * 4;
            assertEquals(0, InternetChecksum.compute(p, base, ihl), "IPv4 header checksum");
        } else {
            assertEquals(6, version);
            assertEquals(length - 40, p.getUnsignedShort(base + 4), "IPv6 payload length");
        }
        long located = IpLayout.locate(p, base, length);
        assertTrue(located != IpLayout.NONE, "transport header");
        if (IpLayout.protocol(located) == IpProtocols.UDP) {
            assertEquals(length - IpLayout.offset(located), p.getUnsignedShort(base + IpLayout.offset(located) + 4),
                    "UDP length");
        }
        assertTrue(TransportChecksums.verify(p), "transport checksum of " + ByteBufUtil.hexDump(p, base,
                Math.min(length, 80)));
    }

    /** Splits a frame [vnet header][packet] with the segmenter into plain packets (the caller releases them). */
    static List<ByteBuf> segmentFrame(ByteBuf frame, int vnetHeaderLength) {
        VirtioNetHeader h = VirtioNetHeader.read(frame, frame.readerIndex(), Math.min(vnetHeaderLength, 12));
        ByteBuf packet = frame.slice(frame.readerIndex() + vnetHeaderLength, frame.readableBytes() - vnetHeaderLength);
        List<Object> out = new ArrayList<>();
        List<ByteBuf> result = new ArrayList<>();
        if (h.gsoProtocol() == VirtioNetHeader.GSO_NONE) {
            assertEquals(null, GsoSegmenter.segment(PooledByteBufAllocator.DEFAULT, h, packet, 0, out));
            result.add(packet.retainedSlice());
            return result;
        }
        String refused = GsoSegmenter.segment(PooledByteBufAllocator.DEFAULT, h, packet, 0, out);
        assertEquals(null, refused);
        for (Object o : out) {
            result.add((ByteBuf) o);
        }
        return result;
    }

    static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b);
    }
}
