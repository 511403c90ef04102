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

import java.net.Inet4Address;

/**
 * Builds whole IPv4 packets with correct header and upper-layer checksums, for tests and examples.
 * Every packet has TTL 64, TOS 0, identification 0 and the don't-fragment flag, and no options.
 *
 * <p>Payload arguments are read (from their reader index, without moving it) and copied; they are not
 * released. The returned buffer belongs to the caller.
 */
public final class Ipv4Packets {

    /** The TTL of built packets. */
    public static final int DEFAULT_TTL = 64;

    private Ipv4Packets() {
    }

    /**
     * Builds an IPv4/UDP packet.
     *
     * @param alloc           where to allocate the packet
     * @param source          source address
     * @param sourcePort      source port
     * @param destination     destination address
     * @param destinationPort destination port
     * @param payload         the datagram's data; not released
     * @return the packet
     */
    public static ByteBuf udp(ByteBufAllocator alloc, Inet4Address source, int sourcePort, Inet4Address destination,
                              int destinationPort, ByteBuf payload) {
        int length = UdpView.HEADER_LENGTH + payload.readableBytes();
        ByteBuf buf = header(alloc, source, destination, IpProtocols.UDP, length);
        buf.writeShort(sourcePort).writeShort(destinationPort).writeShort(length).writeShort(0);
        return finish(buf, payload);
    }

    /**
     * Builds an IPv4/UDP packet.
     *
     * @param alloc           where to allocate the packet
     * @param source          source address
     * @param sourcePort      source port
     * @param destination     destination address
     * @param destinationPort destination port
     * @param payload         the datagram's data
     * @return the packet
     */
    public static ByteBuf udp(ByteBufAllocator alloc, Inet4Address source, int sourcePort, Inet4Address destination,
                              int destinationPort, byte[] payload) {
        return udp(alloc, source, sourcePort, destination, destinationPort, Unpooled.wrappedBuffer(payload));
    }

    /**
     * Builds an IPv4/TCP segment without options.
     *
     * @param alloc           where to allocate the packet
     * @param source          source address
     * @param sourcePort      source port
     * @param destination     destination address
     * @param destinationPort destination port
     * @param sequence        sequence number
     * @param acknowledgment  acknowledgment number
     * @param flags           {@link TcpView#SYN} and friends
     * @param window          window
     * @param payload         the segment's data; not released
     * @return the packet
     */
    public static ByteBuf tcp(ByteBufAllocator alloc, Inet4Address source, int sourcePort, Inet4Address destination,
                              int destinationPort, long sequence, long acknowledgment, int flags, int window,
                              ByteBuf payload) {
        ByteBuf buf = header(alloc, source, destination, IpProtocols.TCP,
                TcpView.MIN_HEADER_LENGTH + payload.readableBytes());
        Ipv6Packets.writeTcpHeader(buf, sourcePort, destinationPort, sequence, acknowledgment, flags, window);
        return finish(buf, payload);
    }

    /**
     * Builds an ICMP echo request.
     *
     * @param alloc       where to allocate the packet
     * @param source      source address
     * @param destination destination address
     * @param identifier  echo identifier
     * @param sequence    echo sequence number
     * @param payload     the echo data; not released
     * @return the packet
     */
    public static ByteBuf icmpEchoRequest(ByteBufAllocator alloc, Inet4Address source, Inet4Address destination,
                                          int identifier, int sequence, ByteBuf payload) {
        return icmpEcho(alloc, source, destination, IcmpView.ECHO_REQUEST, identifier, sequence, payload);
    }

    /**
     * Builds an ICMP echo reply.
     *
     * @param alloc       where to allocate the packet
     * @param source      source address
     * @param destination destination address
     * @param identifier  echo identifier
     * @param sequence    echo sequence number
     * @param payload     the echo data; not released
     * @return the packet
     */
    public static ByteBuf icmpEchoReply(ByteBufAllocator alloc, Inet4Address source, Inet4Address destination,
                                        int identifier, int sequence, ByteBuf payload) {
        return icmpEcho(alloc, source, destination, IcmpView.ECHO_REPLY, identifier, sequence, payload);
    }

    private static ByteBuf icmpEcho(ByteBufAllocator alloc, Inet4Address source, Inet4Address destination,
                                    int type, int identifier, int sequence, ByteBuf payload) {
        ByteBuf buf = header(alloc, source, destination, IpProtocols.ICMP,
                IcmpView.HEADER_LENGTH + payload.readableBytes());
        buf.writeByte(type).writeByte(0).writeShort(0).writeShort(identifier).writeShort(sequence);
        return finish(buf, payload);
    }

    /**
     * Wraps an upper-layer message into an IPv4 header. The message's own checksum is left alone.
     *
     * @param alloc       where to allocate the packet
     * @param source      source address
     * @param destination destination address
     * @param protocol    the upper-layer protocol
     * @param message     the upper-layer message; not released
     * @return the packet
     */
    public static ByteBuf packet(ByteBufAllocator alloc, Inet4Address source, Inet4Address destination,
                                 int protocol, ByteBuf message) {
        ByteBuf buf = header(alloc, source, destination, protocol, message.readableBytes());
        return buf.writeBytes(message, message.readerIndex(), message.readableBytes());
    }

    private static ByteBuf header(ByteBufAllocator alloc, Inet4Address source, Inet4Address destination,
                                  int protocol, int upperLength) {
        int totalLength = Ipv4Packet.MIN_HEADER_LENGTH + upperLength;
        if (totalLength > 0xFFFF) {
            throw new IllegalArgumentException("IPv4 packet of " + totalLength + " bytes");
        }
        ByteBuf buf = alloc.buffer(totalLength);
        int start = buf.writerIndex();
        buf.writeByte(0x45).writeByte(0).writeShort(totalLength).writeShort(0)
                .writeShort(Ipv4Packet.FLAG_DF << 13).writeByte(DEFAULT_TTL).writeByte(protocol).writeShort(0)
                .writeInt(Ipv4Packet.toInt(source)).writeInt(Ipv4Packet.toInt(destination));
        buf.setShort(start + 10, InternetChecksum.compute(buf, start, Ipv4Packet.MIN_HEADER_LENGTH));
        return buf;
    }

    private static ByteBuf finish(ByteBuf buf, ByteBuf payload) {
        buf.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        TransportChecksums.fill(buf);
        return buf;
    }
}
