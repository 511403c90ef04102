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

/**
 * Answers pings: recognises ICMP and ICMPv6 echo requests in raw IP packets and turns them into echo
 * replies, either in place (cheapest: a responder can write the very buffer it read) or as a new packet.
 *
 * <p>None of the methods throw on malformed input: anything that is not a well-formed, unfragmented echo
 * request (IPv4 header checksum included) is simply not one. None releases its argument.
 */
public final class IcmpEcho {

    private IcmpEcho() {
    }

    /**
     * Returns whether a raw IP packet is an ICMP (IPv4) or ICMPv6 (IPv6) echo request.
     *
     * @param ipPacket an IP packet (its readable bytes)
     * @return {@code true} for a well-formed, unfragmented echo request
     */
    public static boolean isEchoRequest(ByteBuf ipPacket) {
        IpPacket packet = tryParse(ipPacket);
        if (packet == null) {
            return false;
        }
        try {
            return isEchoRequest(packet);
        } finally {
            packet.release();
        }
    }

    /**
     * Returns whether a decoded packet is an echo request.
     *
     * @param packet a decoded packet
     * @return {@code true} for an unfragmented echo request
     */
    public static boolean isEchoRequest(IpPacket packet) {
        if (packet.isFragment() || packet.content().readableBytes() < IcmpView.HEADER_LENGTH) {
            return false;
        }
        ByteBuf icmp = packet.content();
        int type = icmp.getUnsignedByte(icmp.readerIndex());
        int code = icmp.getUnsignedByte(icmp.readerIndex() + 1);
        if (code != 0) {
            return false;
        }
        return packet.version() == 4
                ? packet.protocol() == IpProtocols.ICMP && type == IcmpView.ECHO_REQUEST
                : packet.protocol() == IpProtocols.ICMPV6 && type == IcmpView.V6_ECHO_REQUEST;
    }

    /**
     * Turns an echo request into its reply in place: swaps source and destination, sets the TTL or hop
     * limit to 64, sets the reply type and recomputes the checksums. The packet keeps its length, IPv4
     * options and identification; IPv6 packets with extension headers are not handled (a routing header
     * would have to be reversed), nor is anything after the IP packet's own length.
     *
     * @param ipPacket an IP packet (its readable bytes); changed only if this returns {@code true}
     * @return {@code true} if it was an echo request and is now a reply
     */
    public static boolean toReplyInPlace(ByteBuf ipPacket) {
        IpPacket packet = tryParse(ipPacket);
        if (packet == null) {
            return false;
        }
        try {
            if (!isEchoRequest(packet)) {
                return false;
            }
            int start = ipPacket.readerIndex();
            if (packet.version() == 4) {
                Ipv4Packet v4 = (Ipv4Packet) packet;
                ipPacket.setInt(start + 12, v4.destinationAddress());
                ipPacket.setInt(start + 16, v4.sourceAddress());
                ipPacket.setByte(start + 8, Ipv4Packets.DEFAULT_TTL);
                ipPacket.setShort(start + 10, 0);
                ipPacket.setShort(start + 10, InternetChecksum.compute(ipPacket, start, v4.headerLength()));
                IcmpView.wrap(packet.content()).setType(IcmpView.ECHO_REPLY);
            } else {
                Ipv6Packet v6 = (Ipv6Packet) packet;
                if (v6.extensionHeadersLength() != 0) {
                    return false;
                }
                ipPacket.setLong(start + 8, v6.destinationHigh());
                ipPacket.setLong(start + 16, v6.destinationLow());
                ipPacket.setLong(start + 24, v6.sourceHigh());
                ipPacket.setLong(start + 32, v6.sourceLow());
                ipPacket.setByte(start + 7, Ipv6Packets.DEFAULT_HOP_LIMIT);
                IcmpView.wrap(packet.content()).setType(IcmpView.V6_ECHO_REPLY);
            }
            // The pseudo-header sum does not change when the addresses swap, so the decoded packet's is right.
            TransportChecksums.fill(packet);
            return true;
        } finally {
            packet.release();
        }
    }

    /**
     * Builds the reply to an echo request as a new packet, with the request's identifier, sequence
     * number and data, addresses swapped, and no IPv4 options or IPv6 extension headers.
     *
     * @param alloc   where to allocate the reply
     * @param request an IP packet (its readable bytes); not changed, not released
     * @return the reply, owned by the caller, or {@code null} if {@code request} is not an echo request
     *         or is an IPv6 jumbogram (RFC 2675)
     */
    public static ByteBuf reply(ByteBufAllocator alloc, ByteBuf request) {
        IpPacket packet = tryParse(request);
        if (packet == null) {
            return null;
        }
        try {
            if (!isEchoRequest(packet)) {
                return null;
            }
            IcmpView icmp = IcmpView.wrap(packet.content());
            ByteBuf data = icmp.payload();
            if (packet.version() == 4) {
                Ipv4Packet v4 = (Ipv4Packet) packet;
                return Ipv4Packets.icmpEchoReply(alloc, v4.destination(), v4.source(), icmp.identifier(),
                        icmp.sequenceNumber(), data);
            }
            Ipv6Packet v6 = (Ipv6Packet) packet;
            if (v6.isJumbogram()) {
                return null; // the reply, without extension headers, could not carry the data
            }
            return Ipv6Packets.icmpv6EchoReply(alloc, v6.destination(), v6.source(), icmp.identifier(),
                    icmp.sequenceNumber(), data);
        } finally {
            packet.release();
        }
    }

    private static IpPacket tryParse(ByteBuf ipPacket) {
        if (ipPacket == null || !ipPacket.isReadable()) {
            return null;
        }
        try {
            int version = ipPacket.getUnsignedByte(ipPacket.readerIndex()) >>> 4;
            if (version == 4) {
                return IpPacketDecoder.decodeIpv4(ipPacket, true);
            }
            if (version == 6) {
                return IpPacketDecoder.decodeIpv6(ipPacket, Ipv6Packet.DEFAULT_MAX_EXTENSION_HEADERS);
            }
            return null;
        } catch (MalformedFrameException e) {
            return null;
        }
    }
}
