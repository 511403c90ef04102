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

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-header sums that TCP, UDP and ICMPv6
 * checksums cover (RFC 793, RFC 768, RFC 8200 section 8.1).
 *
 * <p>Sums are kept as unfolded {@code long}s so that parts can be added: a pseudo-header sum plus the
 * sum of the segment, then {@link #finish(long)}. Adding 32-bit words is the same as adding 16-bit
 * words once folded, because 2<sup>16</sup> is 1 modulo 2<sup>16</sup>-1. Only the last part summed
 * may have an odd length (it is padded with a zero byte).
 */
public final class InternetChecksum {

    /** Below this length words are read one by one; above, through one NIO view (cheaper per byte). */
    private static final int NIO_THRESHOLD = 64;

    private InternetChecksum() {
    }

    /**
     * Returns the unfolded sum of a byte range, as big-endian 16-bit words.
     *
     * @param buf    the buffer
     * @param index  the first byte
     * @param length how many bytes
     * @return the partial sum
     */
    public static long sum(ByteBuf buf, int index, int length) {
        if (length > NIO_THRESHOLD && buf.nioBufferCount() == 1) {
            return sum(buf.nioBuffer(index, length).order(ByteOrder.BIG_ENDIAN));
        }
        long sum = 0;
        int end = index + length;
        int i = index;
        for (; i + 4 <= end; i += 4) {
            sum += buf.getUnsignedInt(i);
        }
        if (i + 2 <= end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    private static long sum(ByteBuffer nio) {
        long sum = 0;
        int i = nio.position();
        int end = nio.limit();
        for (; i + 8 <= end; i += 8) {
            long word = nio.getLong(i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= end; i += 2) {
            sum += nio.getShort(i) & 0xFFFF;
        }
        if (i < end) {
            sum += (nio.get(i) & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * Folds a partial sum to 16 bits and complements it: the value to store in a checksum field.
     *
     * @param sum a partial sum
     * @return the 16-bit checksum
     */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) ~sum & 0xFFFF;
    }

    /**
     * Computes the checksum of a byte range. Over a range that contains a correct checksum field the
     * result is 0.
     *
     * @param buf    the buffer
     * @param index  the first byte
     * @param length how many bytes
     * @return the 16-bit checksum
     */
    public static int compute(ByteBuf buf, int index, int length) {
        return finish(sum(buf, index, length));
    }

    /**
     * Returns the sum of the IPv4 pseudo-header.
     *
     * @param source      the source address as a big-endian int
     * @param destination the destination address as a big-endian int
     * @param protocol    the upper-layer protocol
     * @param length      the upper-layer length (header and data)
     * @return the partial sum
     */
    public static long ipv4PseudoHeaderSum(int source, int destination, int protocol, int length) {
        return (source & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL) + protocol + length;
    }

    /**
     * Returns the sum of the IPv4 pseudo-header.
     *
     * @param source      the source address
     * @param destination the destination address
     * @param protocol    the upper-layer protocol
     * @param length      the upper-layer length
     * @return the partial sum
     */
    public static long ipv4PseudoHeaderSum(Inet4Address source, Inet4Address destination, int protocol, int length) {
        return ipv4PseudoHeaderSum(Ipv4Packet.toInt(source), Ipv4Packet.toInt(destination), protocol, length);
    }

    /**
     * Returns the sum of the IPv6 pseudo-header, with addresses as two big-endian longs each.
     *
     * @param sourceHigh      the first 8 bytes of the source
     * @param sourceLow       the last 8 bytes of the source
     * @param destinationHigh the first 8 bytes of the destination
     * @param destinationLow  the last 8 bytes of the destination
     * @param protocol        the upper-layer protocol (not the first next-header)
     * @param length          the upper-layer length
     * @return the partial sum
     */
    public static long ipv6PseudoHeaderSum(long sourceHigh, long sourceLow, long destinationHigh,
                                           long destinationLow, int protocol, int length) {
        return halves(sourceHigh) + halves(sourceLow) + halves(destinationHigh) + halves(destinationLow)
                + (length & 0xFFFF_FFFFL) + protocol;
    }

    /**
     * Returns the sum of the IPv6 pseudo-header.
     *
     * @param source      the source address
     * @param destination the destination address
     * @param protocol    the upper-layer protocol
     * @param length      the upper-layer length
     * @return the partial sum
     */
    public static long ipv6PseudoHeaderSum(Inet6Address source, Inet6Address destination, int protocol, int length) {
        byte[] s = source.getAddress();
        byte[] d = destination.getAddress();
        return ipv6PseudoHeaderSum(Ipv6Packet.toLong(s, 0), Ipv6Packet.toLong(s, 8), Ipv6Packet.toLong(d, 0),
                Ipv6Packet.toLong(d, 8), protocol, length);
    }

    private static long halves(long v) {
        return (v >>> 32) + (v & 0xFFFF_FFFFL);
    }
}
