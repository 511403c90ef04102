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
 * crafted chains can neither run past the buffer nor make the walk long. It also finds the Jumbo
 * Payload option of a jumbogram (RFC 2675) and enforces where it may be.
 */
final class Ipv6Chain {

    /** RFC 2675 section 2: the Jumbo Payload option type. */
    static final int JUMBO_PAYLOAD_OPTION = 0xC2;
    /** RFC 2675 section 2: the Jumbo Payload option carries a 32-bit length. */
    static final int JUMBO_PAYLOAD_OPTION_LENGTH = 4;

    int length;
    int protocol;
    int count;
    boolean hasFragmentHeader;
    int fragmentOffset;
    boolean moreFragments;
    long fragmentIdentification;
    /** Where the 4-byte value of the Jumbo Payload option starts, from the start of the chain; -1 if none. */
    int jumboOffset = -1;

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
            if (type == IpProtocols.HOP_BY_HOP || type == IpProtocols.DESTINATION_OPTIONS) {
                int jumbo = findJumboOption(buf, i, i + length);
                if (jumbo >= 0) {
                    // RFC 2675 section 2: only in the Hop-by-Hop header, which must come first (RFC 8200).
                    if (type != IpProtocols.HOP_BY_HOP || chain.count != 0) {
                        throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM,
                                "Jumbo Payload option in header " + type + " at " + (i - index));
                    }
                    chain.jumboOffset = jumbo - index;
                }
            }
            if (chain.hasFragmentHeader && chain.jumboOffset >= 0) {
                // RFC 2675 section 3: a jumbogram cannot be fragmented.
                throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM,
                        "Jumbo Payload option with a Fragment header");
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

    /**
     * Returns the jumbo payload length of a packet whose fixed header says payload length 0 and whose
     * first extension header has options, before the chain is walked (its end depends on this length).
     *
     * @param buf   the packet
     * @param index where the Hop-by-Hop (or Destination Options) header starts
     * @param end   the end of the frame (not of the packet, which is not known yet)
     * @return the option's unsigned 32-bit value, or -1 if the header is cut off or has no such option
     * @throws MalformedFrameException if the option is malformed
     */
    static long jumboPayloadLength(ByteBuf buf, int index, int end) {
        if (index + 8 > end) {
            return -1; // the walk reports the cut-off header
        }
        int headerEnd = index + ((buf.getUnsignedByte(index + 1) + 1) << 3);
        if (headerEnd > end) {
            return -1;
        }
        int option = findJumboOption(buf, index, headerEnd);
        return option < 0 ? -1 : buf.getUnsignedInt(option);
    }

    /**
     * Looks for a Jumbo Payload option in a Hop-by-Hop or Destination Options header (RFC 8200 section
     * 4.2: type-length-value options after the two header bytes, Pad1 being a lone zero byte). Stops at an
     * option that runs past the header: what follows cannot be parsed, and the options are otherwise not
     * this decoder's business.
     *
     * @param buf       the packet
     * @param header    where the header starts
     * @param headerEnd where it ends, within the packet
     * @return where the option's value starts, or -1 if there is none
     * @throws MalformedFrameException if the option has a length other than 4 or appears twice
     */
    private static int findJumboOption(ByteBuf buf, int header, int headerEnd) {
        int found = -1;
        int i = header + 2;
        while (i < headerEnd) {
            int type = buf.getUnsignedByte(i);
            if (type == 0) { // Pad1
                i++;
                continue;
            }
            if (i + 2 > headerEnd) {
                break;
            }
            int length = buf.getUnsignedByte(i + 1);
            if (i + 2 + length > headerEnd) {
                break;
            }
            if (type == JUMBO_PAYLOAD_OPTION) {
                if (length != JUMBO_PAYLOAD_OPTION_LENGTH) {
                    throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM,
                            "Jumbo Payload option of length " + length);
                }
                if (found >= 0) {
                    throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM, "two Jumbo Payload options");
                }
                found = i + 2;
            }
            i += 2 + length;
        }
        return found;
    }
}
