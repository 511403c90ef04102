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

/**
 * Walks an IPv6 extension header chain (RFC 8200 section 4) to the upper-layer protocol, validating
 * every length against the end of the packet and the number of headers against a limit, so that
 * crafted chains can neither run past the buffer nor make the walk long.
 */
final class Ipv6Chain {

    int length;
    int protocol;
    int count;
    boolean hasFragmentHeader;
    int fragmentOffset;
    boolean moreFragments;
    long fragmentIdentification;

    /**
     * Walks the chain.
     *
     * @param buf        the packet
     * @param index      where the first extension header starts (after the fixed header)
     * @param end        the end of the packet
     * @param nextHeader the fixed header's next-header value
     * @param maxHeaders the most extension headers accepted
     * @return the result
     * @throws MalformedFrameException if a header is cut off or there are too many
     */
    static Ipv6Chain walk(ByteBuf buf, int index, int end, int nextHeader, int maxHeaders) {
        Ipv6Chain chain = new Ipv6Chain();
        int i = index;
        int type = nextHeader;
        while (IpProtocols.isIpv6ExtensionHeader(type)) {
            if (chain.count == maxHeaders) {
                throw new MalformedFrameException(DropReason.EXTENSION_CHAIN_TOO_LONG, "more than " + maxHeaders);
            }
            if (i + 8 > end) {
                throw new MalformedFrameException(DropReason.TRUNCATED_EXTENSION_HEADER,
                        "header " + type + " at " + (i - index) + " cut off");
            }
            int next = buf.getUnsignedByte(i);
            int length;
            if (type == IpProtocols.FRAGMENT) {
                length = 8;
                int field = buf.getUnsignedShort(i + 2);
                chain.hasFragmentHeader = true;
                chain.fragmentOffset = field & 0xFFF8;
                chain.moreFragments = (field & 1) != 0;
                chain.fragmentIdentification = buf.getUnsignedInt(i + 4);
            } else if (type == IpProtocols.AH) {
                length = (buf.getUnsignedByte(i + 1) + 2) << 2; // RFC 4302: in 4-byte units, minus 2
            } else {
                length = (buf.getUnsignedByte(i + 1) + 1) << 3;
            }
            if (i + length > end) {
                throw new MalformedFrameException(DropReason.TRUNCATED_EXTENSION_HEADER,
                        "header " + type + " of " + length + " bytes at " + (i - index) + " cut off");
            }
            i += length;
            type = next;
            chain.count++;
            if (chain.hasFragmentHeader && chain.fragmentOffset != 0) {
                break; // a later fragment: what follows is data, not headers
            }
        }
        chain.length = i - index;
        chain.protocol = type;
        return chain;
    }
}
