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
import io.netty.util.internal.ObjectUtil;

/**
 * Computes, verifies and fills the checksums of TCP, UDP, ICMP and ICMPv6 messages carried in IP
 * packets, including the pseudo-header for TCP, UDP and ICMPv6 (ICMP for IPv4 has none).
 *
 * <p>Works on a decoded {@link IpPacket} (the checksum covers its content) or on a raw, whole IP
 * packet in a {@link ByteBuf} (its readable bytes). Fragments are refused: their checksum covers data
 * in other fragments.
 */
public final class TransportChecksums {

    private TransportChecksums() {
    }

    /**
     * Returns where a protocol keeps its checksum in its header.
     *
     * @param version  4 or 6
     * @param protocol the upper-layer protocol
     * @return the offset of the checksum field, or -1 if the protocol is not one of the four
     */
    public static int checksumOffset(int version, int protocol) {
        switch (protocol) {
            case IpProtocols.TCP:
                return 16;
            case IpProtocols.UDP:
                return 6;
            case IpProtocols.ICMP:
                return version == 4 ? 2 : -1;
            case IpProtocols.ICMPV6:
                return version == 6 ? 2 : -1;
            default:
                return -1;
        }
    }

    /**
     * Computes the checksum the packet's upper-layer header should hold, ignoring the value it holds.
     *
     * @param packet a whole, unfragmented packet carrying TCP, UDP, ICMP (IPv4) or ICMPv6 (IPv6)
     * @return the 16-bit checksum (for UDP never 0, which means "none": 0xFFFF instead)
     * @throws IllegalArgumentException for fragments, other protocols, or a message too short for its header
     */
    public static int compute(IpPacket packet) {
        int offset = checkedOffset(packet);
        ByteBuf segment = packet.content();
        int index = segment.readerIndex();
        int length = segment.readableBytes();
        long sum = pseudoSum(packet) + InternetChecksum.sum(segment, index, length)
                - segment.getUnsignedShort(index + offset);
        int checksum = InternetChecksum.finish(sum);
        return checksum == 0 && packet.protocol() == IpProtocols.UDP ? 0xFFFF : checksum;
    }

    /**
     * Returns whether the packet's upper-layer checksum is correct. A zero UDP checksum over IPv4
     * ("no checksum", RFC 768) counts as correct; over IPv6 it is not (RFC 8200 section 8.1).
     *
     * @param packet a whole, unfragmented packet carrying TCP, UDP, ICMP or ICMPv6
     * @return {@code true} if the checksum verifies
     * @throws IllegalArgumentException for fragments, other protocols, or a message too short
     */
    public static boolean verify(IpPacket packet) {
        int offset = checkedOffset(packet);
        ByteBuf segment = packet.content();
        int index = segment.readerIndex();
        if (packet.version() == 4 && packet.protocol() == IpProtocols.UDP
                && segment.getUnsignedShort(index + offset) == 0) {
            return true;
        }
        return InternetChecksum.finish(pseudoSum(packet)
                + InternetChecksum.sum(segment, index, segment.readableBytes())) == 0;
    }

    /**
     * Computes the packet's upper-layer checksum and stores it in the content's header (in place).
     *
     * @param packet a whole, unfragmented packet carrying TCP, UDP, ICMP or ICMPv6
     * @throws IllegalArgumentException for fragments, other protocols, or a message too short
     */
    public static void fill(IpPacket packet) {
        int checksum = compute(packet);
        ByteBuf segment = packet.content();
        segment.setShort(segment.readerIndex() + checksumOffset(packet.version(), packet.protocol()), checksum);
    }

    /**
     * Computes and stores the upper-layer checksum of a raw IP packet, in place.
     *
     * @param ipPacket a whole IPv4 or IPv6 packet (its readable bytes)
     * @throws IllegalArgumentException if it is malformed, a fragment, or carries another protocol
     */
    public static void fill(ByteBuf ipPacket) {
        IpPacket packet = parse(ipPacket);
        try {
            fill(packet);
        } finally {
            packet.release();
        }
    }

    /**
     * Returns whether the upper-layer checksum of a raw IP packet is correct.
     *
     * @param ipPacket a whole IPv4 or IPv6 packet (its readable bytes)
     * @return {@code true} if it verifies
     * @throws IllegalArgumentException if it is malformed, a fragment, or carries another protocol
     */
    public static boolean verify(ByteBuf ipPacket) {
        IpPacket packet = parse(ipPacket);
        try {
            return verify(packet);
        } finally {
            packet.release();
        }
    }

    /**
     * Decodes a raw packet without verifying the IPv4 header checksum; the caller releases the result.
     */
    static IpPacket parse(ByteBuf ipPacket) {
        ObjectUtil.checkNotNull(ipPacket, "ipPacket");
        try {
            if (!ipPacket.isReadable()) {
                throw new MalformedFrameException(DropReason.TRUNCATED, "empty packet");
            }
            int version = ipPacket.getUnsignedByte(ipPacket.readerIndex()) >>> 4;
            if (version == 4) {
                return IpPacketDecoder.decodeIpv4(ipPacket, false);
            }
            if (version == 6) {
                return IpPacketDecoder.decodeIpv6(ipPacket, Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS);
            }
            throw new MalformedFrameException(DropReason.BAD_VERSION, "IP version " + version);
        } catch (MalformedFrameException e) {
            throw new IllegalArgumentException("not a valid IP packet: " + e.getMessage(), e);
        }
    }

    private static long pseudoSum(IpPacket packet) {
        return packet.protocol() == IpProtocols.ICMP ? 0 : packet.pseudoHeaderSum();
    }

    private static int checkedOffset(IpPacket packet) {
        if (packet.isFragment()) {
            throw new IllegalArgumentException("cannot checksum a fragment: " + packet);
        }
        int offset = checksumOffset(packet.version(), packet.protocol());
        if (offset < 0) {
            throw new IllegalArgumentException("no checksum known for protocol " + packet.protocol()
                    + " over IPv" + packet.version());
        }
        if (packet.content().readableBytes() < offset + 2) {
            throw new IllegalArgumentException("message of " + packet.content().readableBytes()
                    + " bytes is too short for its checksum field");
        }
        return offset;
    }
}
