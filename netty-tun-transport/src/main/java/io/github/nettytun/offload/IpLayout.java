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

import io.github.nettytun.codec.IpProtocols;
import io.netty.buffer.ByteBuf;

/**
 * Finds the transport header of a raw IP packet without allocating: the offload code needs only its
 * offset and protocol. Packets whose lengths disagree with the buffer, fragments and unknown versions are
 * refused, since neither segmentation nor coalescing may touch them.
 */
final class IpLayout {

    /** Returned by {@link #locate} for a packet that has no addressable transport header. */
    static final long NONE = -1;

    /** Extension headers walked at most, as {@code Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS}. */
    private static final int MAX_EXTENSION_HEADERS = 8;

    private IpLayout() {
    }

    /**
     * Locates the transport header.
     *
     * @param buf    the buffer
     * @param base   where the IP header starts
     * @param length the packet's length (the IP length fields must match it exactly)
     * @return {@code protocol << 32 | offset} (offset from {@code base}), or {@link #NONE}
     */
    static long locate(ByteBuf buf, int base, int length) {
        if (length < 20) {
            return NONE;
        }
        int version = buf.getUnsignedByte(base) >>> 4;
        if (version == 4) {
            int ihl = (buf.getUnsignedByte(base) & 0x0F) * 4;
            if (ihl < 20 || ihl > length || buf.getUnsignedShort(base + 2) != length
                    // MF set or a fragment offset: the transport header (or its checksum) is elsewhere
                    || (buf.getUnsignedShort(base + 6) & 0x3FFF) != 0) {
                return NONE;
            }
            return (long) buf.getUnsignedByte(base + 9) << 32 | ihl;
        }
        if (version != 6 || length < 40 || buf.getUnsignedShort(base + 4) != length - 40) {
            return NONE;
        }
        int next = buf.getUnsignedByte(base + 6);
        int offset = 40;
        for (int i = 0; i <= MAX_EXTENSION_HEADERS; i++) {
            int headerLength;
            switch (next) {
                case IpProtocols.HOP_BY_HOP:
                case IpProtocols.ROUTING:
                case IpProtocols.DESTINATION_OPTIONS:
                    if (offset + 8 > length) {
                        return NONE;
                    }
                    headerLength = (buf.getUnsignedByte(base + offset + 1) + 1) * 8;
                    break;
                case IpProtocols.AH:
                    if (offset + 8 > length) {
                        return NONE;
                    }
                    headerLength = (buf.getUnsignedByte(base + offset + 1) + 2) * 4;
                    break;
                case IpProtocols.FRAGMENT:
                    return NONE;
                default:
                    return offset <= length ? (long) next << 32 | offset : NONE;
            }
            next = buf.getUnsignedByte(base + offset);
            offset += headerLength;
        }
        return NONE;
    }

    static int protocol(long located) {
        return (int) (located >>> 32);
    }

    static int offset(long located) {
        return (int) located;
    }

    /**
     * Returns the pseudo-header sum of a packet without the upper-layer length (added by the caller, since
     * it changes per segment).
     */
    static long pseudoHeaderSumWithoutLength(ByteBuf buf, int base, int protocol) {
        if (buf.getUnsignedByte(base) >>> 4 == 4) {
            return (buf.getUnsignedInt(base + 12)) + buf.getUnsignedInt(base + 16) + protocol;
        }
        long sum = protocol;
        for (int i = 8; i < 40; i += 4) {
            sum += buf.getUnsignedInt(base + i);
        }
        return sum;
    }

    /** Recomputes the IPv4 header checksum of the header at {@code base}. */
    static void fillIpv4HeaderChecksum(ByteBuf buf, int base) {
        int ihl = (buf.getUnsignedByte(base) & 0x0F) * 4;
        buf.setShort(base + 10, 0);
        long sum = 0;
        for (int i = 0; i < ihl; i += 2) {
            sum += buf.getUnsignedShort(base + i);
        }
        buf.setShort(base + 10, io.github.nettytun.codec.InternetChecksum.finish(sum));
    }
}
