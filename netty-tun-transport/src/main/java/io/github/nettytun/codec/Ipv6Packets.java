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

import java.net.Inet6Address;

/**
 * Builds whole IPv6 packets with correct upper-layer checksums, for tests and examples. Every packet
 * has hop limit 64, traffic class and flow label 0, and no extension headers.
 *
 * <p>Payload arguments are read (from their reader index, without moving it) and copied; they are not
 * released. The returned buffer belongs to the caller.
 */
public final class Ipv6Packets {

    /** The hop limit of built packets. */
    public static final int DEFAULT_HOP_LIMIT = 64;

    private Ipv6Packets() {
    }

    /**
     * Builds an IPv6/UDP packet.
     *
     * @param alloc           where to allocate the packet
     * @param source          source address
     * @param sourcePort      source port
     * @param destination     destination address
     * @param destinationPort destination port
     * @param payload         the datagram's data; not released
     * @return the packet
     */
    public static ByteBuf udp(ByteBufAllocator alloc, Inet6Address source, int sourcePort, Inet6Address destination,
                              int destinationPort, ByteBuf payload) {
        int length = UdpView.HEADER_LENGTH + payload.readableBytes();
        ByteBuf buf = header(alloc, source, destination, IpProtocols.UDP, length);
        buf.writeShort(sourcePort).writeShort(destinationPort).writeShort(length).writeShort(0);
        return finish(buf, payload);
    }

    /**
     * Builds an IPv6/UDP packet.
     *
     * @param alloc           where to allocate the packet
     * @param source          source address
     * @param sourcePort      source port
     * @param destination     destination address
     * @param destinationPort destination port
     * @param payload         the datagram's data
     * @return the packet
     */
    public static ByteBuf udp(ByteBufAllocator alloc, Inet6Address source, int sourcePort, Inet6Address destination,
                              int destinationPort, byte[] payload) {
        return udp(alloc, source, sourcePort, destination, destinationPort, Unpooled.wrappedBuffer(payload));
    }

    /**
     * Builds an IPv6/TCP segment without options.
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
    public static ByteBuf tcp(ByteBufAllocator alloc, Inet6Address source, int sourcePort, Inet6Address destination,
                              int destinationPort, long sequence, long acknowledgment, int flags, int window,
                              ByteBuf payload) {
        ByteBuf buf = header(alloc, source, destination, IpProtocols.TCP,
                TcpView.MIN_HEADER_LENGTH + payload.readableBytes());
        writeTcpHeader(buf, sourcePort, destinationPort, sequence, acknowledgment, flags, window);
        return finish(buf, payload);
    }

    /**
     * Builds an ICMPv6 echo request.
     *
     * @param alloc       where to allocate the packet
     * @param source      source address
     * @param destination destination address
     * @param identifier  echo identifier
     * @param sequence    echo sequence number
     * @param payload     the echo data; not released
     * @return the packet
     */
    public static ByteBuf icmpv6EchoRequest(ByteBufAllocator alloc, Inet6Address source, Inet6Address destination,
                                            int identifier, int sequence, ByteBuf payload) {
        return icmpv6Echo(alloc, source, destination, IcmpView.V6_ECHO_REQUEST, identifier, sequence, payload);
    }

    /**
     * Builds an ICMPv6 echo reply.
     *
     * @param alloc       where to allocate the packet
     * @param source      source address
     * @param destination destination address
     * @param identifier  echo identifier
     * @param sequence    echo sequence number
     * @param payload     the echo data; not released
     * @return the packet
     */
    public static ByteBuf icmpv6EchoReply(ByteBufAllocator alloc, Inet6Address source, Inet6Address destination,
                                          int identifier, int sequence, ByteBuf payload) {
        return icmpv6Echo(alloc, source, destination, IcmpView.V6_ECHO_REPLY, identifier, sequence, payload);
    }

    private static ByteBuf icmpv6Echo(ByteBufAllocator alloc, Inet6Address source, Inet6Address destination,
                                      int type, int identifier, int sequence, ByteBuf payload) {
        ByteBuf buf = header(alloc, source, destination, IpProtocols.ICMPV6,
                IcmpView.HEADER_LENGTH + payload.readableBytes());
        buf.writeByte(type).writeByte(0).writeShort(0).writeShort(identifier).writeShort(sequence);
        return finish(buf, payload);
    }

    /**
     * Wraps an upper-layer message into an IPv6 header. The message's own checksum is left alone.
     *
     * @param alloc       where to allocate the packet
     * @param source      source address
     * @param destination destination address
     * @param protocol    the upper-layer protocol (the next header)
     * @param message     the upper-layer message; not released
     * @return the packet
     */
    public static ByteBuf packet(ByteBufAllocator alloc, Inet6Address source, Inet6Address destination,
                                 int protocol, ByteBuf message) {
        ByteBuf buf = header(alloc, source, destination, protocol, message.readableBytes());
        return buf.writeBytes(message, message.readerIndex(), message.readableBytes());
    }

    static void writeTcpHeader(ByteBuf buf, int sourcePort, int destinationPort, long sequence,
                               long acknowledgment, int flags, int window) {
        buf.writeShort(sourcePort).writeShort(destinationPort).writeInt((int) sequence).writeInt((int) acknowledgment)
                .writeShort(5 << 12 | flags & 0x1FF).writeShort(window).writeShort(0).writeShort(0);
    }

    private static ByteBuf header(ByteBufAllocator alloc, Inet6Address source, Inet6Address destination,
                                  int protocol, int upperLength) {
        if (upperLength > 0xFFFF) {
            throw new IllegalArgumentException("IPv6 payload of " + upperLength + " bytes");
        }
        ByteBuf buf = alloc.buffer(Ipv6Packet.HEADER_LENGTH + upperLength);
        buf.writeInt(6 << 28).writeShort(upperLength).writeByte(protocol).writeByte(DEFAULT_HOP_LIMIT)
                .writeBytes(source.getAddress()).writeBytes(destination.getAddress());
        return buf;
    }

    private static ByteBuf finish(ByteBuf buf, ByteBuf payload) {
        buf.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        TransportChecksums.fill(buf);
        return buf;
    }
}
