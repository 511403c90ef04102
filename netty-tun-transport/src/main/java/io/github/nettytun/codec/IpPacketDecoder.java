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
import io.netty.util.internal.EmptyArrays;

/**
 * Decodes IP packets into {@link Ipv4Packet}s and {@link Ipv6Packet}s, dispatching on the version
 * nibble. It decodes plain buffers (what a TUN device without PI or vnet header delivers), the content
 * of {@link TunPiFrame}s and {@link VirtioNetFrame}s (put it after those decoders on a TUN device),
 * and the payload of {@link EthernetFrame}s whose EtherType is IPv4 or IPv6 (other frames, such as ARP,
 * pass by untouched).
 *
 * <p>Checks, each counted under its {@link DropReason}: at least a fixed header; version 4 or 6;
 * IPv4 IHL at least 5 and within the frame; IPv4 total length between the header length and the frame
 * length; IPv4 header checksum (unless switched off, e.g. for frames whose checksum a NIC would fill);
 * IPv6 payload length within the frame; IPv6 extension headers within the packet and at most
 * {@code maxExtensionHeaders} of them; IPv6 jumbograms (RFC 2675: payload length 0 and a Jumbo Payload
 * option in the Hop-by-Hop header) with a jumbo length over 65535 that fits the frame, and no Jumbo
 * Payload option anywhere else ({@link DropReason#BAD_JUMBOGRAM}). Bytes after the IP packet (Ethernet
 * padding) are not part of the content.
 */
public class IpPacketDecoder extends AbstractFrameDecoder {

    private final boolean verifyChecksum;
    private final int maxExtensionHeaders;

    /** Creates a decoder that verifies checksums, drops malformed packets and counts them in its own counters. */
    public IpPacketDecoder() {
        this(MalformedFramePolicy.DROP, new DropCounters(), true, Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS);
    }

    /**
     * Creates a decoder.
     *
     * @param policy              what to do with malformed packets
     * @param counters            where to count them
     * @param verifyChecksum      whether to refuse IPv4 headers whose checksum does not verify
     * @param maxExtensionHeaders the most IPv6 extension headers a packet may carry
     */
    public IpPacketDecoder(MalformedFramePolicy policy, DropCounters counters, boolean verifyChecksum,
                           int maxExtensionHeaders) {
        super(policy, counters);
        if (maxExtensionHeaders < 0) {
            throw new IllegalArgumentException("maxExtensionHeaders: " + maxExtensionHeaders);
        }
        this.verifyChecksum = verifyChecksum;
        this.maxExtensionHeaders = maxExtensionHeaders;
    }

    @Override
    protected boolean acceptOuterFrame(Object msg) {
        if (msg instanceof EthernetFrame) {
            int type = ((EthernetFrame) msg).etherType();
            return type == EtherTypes.IPV4 || type == EtherTypes.IPV6;
        }
        return msg instanceof TunPiFrame || msg instanceof VirtioNetFrame;
    }

    @Override
    protected Object decodeFrame(ByteBuf frame) {
        if (!frame.isReadable()) {
            throw new MalformedFrameException(DropReason.TRUNCATED, "empty packet");
        }
        int version = frame.getUnsignedByte(frame.readerIndex()) >>> 4;
        if (version == 4) {
            return decodeIpv4(frame, verifyChecksum);
        }
        if (version == 6) {
            return decodeIpv6(frame, maxExtensionHeaders);
        }
        throw new MalformedFrameException(DropReason.BAD_VERSION, "IP version " + version);
    }

    /**
     * Decodes an IPv4 packet. Shared with the echo helper, which parses without a pipeline.
     */
    static Ipv4Packet decodeIpv4(ByteBuf frame, boolean verifyChecksum) {
        int length = frame.readableBytes();
        if (length < Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new MalformedFrameException(DropReason.TRUNCATED, length + " bytes, IPv4 header needs 20");
        }
        int i = frame.readerIndex();
        int versionIhl = frame.getUnsignedByte(i);
        if (versionIhl >>> 4 != 4) {
            throw new MalformedFrameException(DropReason.BAD_VERSION, "IP version " + (versionIhl >>> 4));
        }
        int headerLength = (versionIhl & 0xF) << 2;
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || headerLength > length) {
            throw new MalformedFrameException(DropReason.BAD_HEADER_LENGTH,
                    "IHL " + (versionIhl & 0xF) + " in " + length + " bytes");
        }
        int totalLength = frame.getUnsignedShort(i + 2);
        if (totalLength < headerLength || totalLength > length) {
            throw new MalformedFrameException(DropReason.BAD_LENGTH, "total length " + totalLength
                    + " with a " + headerLength + "-byte header in " + length + " bytes");
        }
        if (verifyChecksum && InternetChecksum.compute(frame, i, headerLength) != 0) {
            throw new MalformedFrameException(DropReason.BAD_CHECKSUM,
                    "header checksum 0x" + Integer.toHexString(frame.getUnsignedShort(i + 10)));
        }
        byte[] options = EmptyArrays.EMPTY_BYTES;
        if (headerLength > Ipv4Packet.MIN_HEADER_LENGTH) {
            options = new byte[headerLength - Ipv4Packet.MIN_HEADER_LENGTH];
            frame.getBytes(i + Ipv4Packet.MIN_HEADER_LENGTH, options);
        }
        return new Ipv4Packet(frame.getUnsignedByte(i + 1), frame.getUnsignedShort(i + 4),
                frame.getUnsignedShort(i + 6), frame.getUnsignedByte(i + 8), frame.getUnsignedByte(i + 9),
                frame.getUnsignedShort(i + 10), frame.getInt(i + 12), frame.getInt(i + 16), options,
                frame.retainedSlice(i + headerLength, totalLength - headerLength));
    }

    /**
     * Decodes an IPv6 packet.
     */
    static Ipv6Packet decodeIpv6(ByteBuf frame, int maxExtensionHeaders) {
        int length = frame.readableBytes();
        if (length < Ipv6Packet.HEADER_LENGTH) {
            throw new MalformedFrameException(DropReason.TRUNCATED, length + " bytes, IPv6 header needs 40");
        }
        int i = frame.readerIndex();
        int first = frame.getInt(i);
        if (first >>> 28 != 6) {
            throw new MalformedFrameException(DropReason.BAD_VERSION, "IP version " + (first >>> 28));
        }
        int payloadLengthField = frame.getUnsignedShort(i + 4);
        int payloadLength = payloadLengthField;
        int nextHeader = frame.getUnsignedByte(i + 6);
        int start = i + Ipv6Packet.HEADER_LENGTH;
        if (payloadLength == 0
                && (nextHeader == IpProtocols.HOP_BY_HOP || nextHeader == IpProtocols.DESTINATION_OPTIONS)) {
            // Possibly a jumbogram (RFC 2675): the length is in the Hop-by-Hop header's Jumbo Payload option.
            long jumbo = Ipv6Chain.jumboPayloadLength(frame, start, i + length);
            if (jumbo >= 0) {
                if (nextHeader != IpProtocols.HOP_BY_HOP) {
                    throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM,
                            "Jumbo Payload option in a Destination Options header");
                }
                if (jumbo <= 0xFFFF) {
                    throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM, "jumbo payload length " + jumbo);
                }
                if (jumbo > length - Ipv6Packet.HEADER_LENGTH) {
                    throw new MalformedFrameException(DropReason.BAD_LENGTH,
                            "jumbo payload length " + jumbo + " in " + length + " bytes");
                }
                payloadLength = (int) jumbo;
            }
        }
        if (Ipv6Packet.HEADER_LENGTH + payloadLength > length) {
            throw new MalformedFrameException(DropReason.BAD_LENGTH,
                    "payload length " + payloadLength + " in " + length + " bytes");
        }
        int end = start + payloadLength;
        byte[] chainBytes = EmptyArrays.EMPTY_BYTES;
        Ipv6Chain chain = null;
        if (IpProtocols.isIpv6ExtensionHeader(nextHeader)) {
            chain = Ipv6Chain.walk(frame, start, end, nextHeader, maxExtensionHeaders);
            if (chain.jumboOffset >= 0 && payloadLengthField != 0) {
                // RFC 2675 section 3: a Jumbo Payload option with a non-zero payload length is an error.
                throw new MalformedFrameException(DropReason.BAD_JUMBOGRAM,
                        "Jumbo Payload option with payload length " + payloadLengthField);
            }
            chainBytes = new byte[chain.length];
            frame.getBytes(start, chainBytes);
        }
        int upper = start + chainBytes.length;
        return new Ipv6Packet(first >>> 20 & 0xFF, first & 0xF_FFFF, frame.getUnsignedByte(i + 7), nextHeader,
                frame.getLong(i + 8), frame.getLong(i + 16), frame.getLong(i + 24), frame.getLong(i + 32),
                chainBytes, chain == null ? nextHeader : chain.protocol, chain != null && chain.hasFragmentHeader,
                chain == null ? 0 : chain.fragmentOffset, chain != null && chain.moreFragments,
                chain == null ? 0 : chain.fragmentIdentification, chain == null ? -1 : chain.jumboOffset,
                frame.retainedSlice(upper, end - upper));
    }
}
