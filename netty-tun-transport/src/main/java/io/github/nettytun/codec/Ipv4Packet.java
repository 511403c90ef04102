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
import io.netty.util.internal.ObjectUtil;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 packet (RFC 791): header fields, options, and the payload as {@linkplain #content() content}.
 *
 * <p>The total length and (by default) the header checksum are not stored but derived when encoding,
 * so a packet whose payload is replaced encodes correctly. Options, rare in practice, are copied into
 * an array when decoded.
 */
public final class Ipv4Packet extends IpPacket {

    /** Length of the header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Longest header: IHL 15. */
    public static final int MAX_HEADER_LENGTH = 60;
    /** The don't-fragment flag, in the flags argument of the constructor. */
    public static final int FLAG_DF = 0x2;
    /** The more-fragments flag. */
    public static final int FLAG_MF = 0x1;
    /** The reserved ("evil") bit. */
    public static final int FLAG_RESERVED = 0x4;

    private final int tos;
    private final int identification;
    private final int flagsAndOffset; // 3 flag bits and the 13-bit offset in 8-byte units, as on the wire
    private final int ttl;
    private final int protocol;
    private final int headerChecksum;
    private final int source;
    private final int destination;
    private final byte[] options;

    /**
     * Creates an unfragmented packet with the don't-fragment flag, TOS 0, identification 0 and no options.
     *
     * @param source      the source address
     * @param destination the destination address
     * @param protocol    the upper-layer protocol
     * @param ttl         the time to live
     * @param payload     the upper-layer message; ownership passes to this packet
     */
    public Ipv4Packet(Inet4Address source, Inet4Address destination, int protocol, int ttl, ByteBuf payload) {
        this(0, 0, FLAG_DF, 0, ttl, protocol, source, destination, EmptyArrays.EMPTY_BYTES, payload);
    }

    /**
     * Creates a packet.
     *
     * @param tos            the type-of-service byte (DSCP and ECN)
     * @param identification the 16-bit identification
     * @param flags          {@link #FLAG_DF}, {@link #FLAG_MF}, {@link #FLAG_RESERVED} or-ed
     * @param fragmentOffset the fragment offset in bytes, a multiple of 8
     * @param ttl            the time to live
     * @param protocol       the upper-layer protocol
     * @param source         the source address
     * @param destination    the destination address
     * @param options        the options, padded to a multiple of 4 bytes, at most 40; copied
     * @param payload        the payload; ownership passes to this packet
     */
    public Ipv4Packet(int tos, int identification, int flags, int fragmentOffset, int ttl, int protocol,
                      Inet4Address source, Inet4Address destination, byte[] options, ByteBuf payload) {
        this(tos, identification, (flags & 0x7) << 13 | checkOffset(fragmentOffset) >>> 3, ttl, protocol, 0,
                toInt(source), toInt(destination), checkOptions(options).clone(), payload);
    }

    Ipv4Packet(int tos, int identification, int flagsAndOffset, int ttl, int protocol, int headerChecksum,
               int source, int destination, byte[] options, ByteBuf payload) {
        super(payload);
        this.tos = tos & 0xFF;
        this.identification = identification & 0xFFFF;
        this.flagsAndOffset = flagsAndOffset & 0xFFFF;
        this.ttl = ttl & 0xFF;
        this.protocol = protocol & 0xFF;
        this.headerChecksum = headerChecksum & 0xFFFF;
        this.source = source;
        this.destination = destination;
        this.options = options;
    }

    private static int checkOffset(int offset) {
        if (offset < 0 || offset > 0xFFF8 || (offset & 7) != 0) {
            throw new IllegalArgumentException("fragment offset must be a multiple of 8 in 0..65528: " + offset);
        }
        return offset;
    }

    private static byte[] checkOptions(byte[] options) {
        ObjectUtil.checkNotNull(options, "options");
        if (options.length > MAX_HEADER_LENGTH - MIN_HEADER_LENGTH || (options.length & 3) != 0) {
            throw new IllegalArgumentException("options must be a multiple of 4 bytes up to 40: " + options.length);
        }
        return options;
    }

    static int toInt(Inet4Address address) {
        byte[] b = ObjectUtil.checkNotNull(address, "address").getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    static Inet4Address toAddress(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a wrong array length
        }
    }

    @Override
    public int version() {
        return 4;
    }

    /** @return the type-of-service byte: DSCP in the upper 6 bits, ECN in the lower 2 */
    public int tos() {
        return tos;
    }

    /** @return the differentiated services code point */
    public int dscp() {
        return tos >>> 2;
    }

    /** @return the explicit congestion notification bits */
    public int ecn() {
        return tos & 3;
    }

    /** @return the 16-bit identification */
    public int identification() {
        return identification;
    }

    /** @return the three flag bits: {@link #FLAG_RESERVED}, {@link #FLAG_DF}, {@link #FLAG_MF} */
    public int flags() {
        return flagsAndOffset >>> 13;
    }

    /** @return whether the don't-fragment flag is set */
    public boolean dontFragment() {
        return (flags() & FLAG_DF) != 0;
    }

    @Override
    public boolean moreFragments() {
        return (flags() & FLAG_MF) != 0;
    }

    @Override
    public int fragmentOffset() {
        return (flagsAndOffset & 0x1FFF) << 3;
    }

    /** @return the time to live */
    public int ttl() {
        return ttl;
    }

    @Override
    public int hopLimit() {
        return ttl;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    /**
     * Returns the header checksum as decoded (0 for packets built with a public constructor). The
     * encoder computes a fresh one unless told otherwise.
     *
     * @return the stored 16-bit checksum
     */
    public int headerChecksum() {
        return headerChecksum;
    }

    /** @return the source address as a big-endian int, without creating an object */
    public int sourceAddress() {
        return source;
    }

    /** @return the destination address as a big-endian int, without creating an object */
    public int destinationAddress() {
        return destination;
    }

    @Override
    public Inet4Address source() {
        return toAddress(source);
    }

    @Override
    public Inet4Address destination() {
        return toAddress(destination);
    }

    /** @return a copy of the options (empty if there are none) */
    public byte[] options() {
        return options.clone();
    }

    /** @return the length of the options in bytes */
    public int optionsLength() {
        return options.length;
    }

    @Override
    public int headerLength() {
        return MIN_HEADER_LENGTH + options.length;
    }

    @Override
    public long pseudoHeaderSum() {
        return InternetChecksum.ipv4PseudoHeaderSum(source, destination, protocol, content().readableBytes());
    }

    @Override
    void writeHeader(ByteBuf buf, boolean recomputeChecksum) {
        int start = buf.writerIndex();
        int headerLength = headerLength();
        int totalLength = headerLength + content().readableBytes();
        if (totalLength > 0xFFFF) {
            throw new IllegalStateException("IPv4 packet of " + totalLength + " bytes");
        }
        buf.writeByte(0x40 | headerLength >>> 2);
        buf.writeByte(tos);
        buf.writeShort(totalLength);
        buf.writeShort(identification);
        buf.writeShort(flagsAndOffset);
        buf.writeByte(ttl);
        buf.writeByte(protocol);
        buf.writeShort(recomputeChecksum ? 0 : headerChecksum);
        buf.writeInt(source);
        buf.writeInt(destination);
        buf.writeBytes(options);
        if (recomputeChecksum) {
            buf.setShort(start + 10, InternetChecksum.compute(buf, start, headerLength));
        }
    }

    @Override
    public Ipv4Packet replace(ByteBuf content) {
        return new Ipv4Packet(tos, identification, flagsAndOffset, ttl, protocol, headerChecksum, source,
                destination, options, content);
    }

    @Override
    public Ipv4Packet copy() {
        return (Ipv4Packet) super.copy();
    }

    @Override
    public Ipv4Packet duplicate() {
        return (Ipv4Packet) super.duplicate();
    }

    @Override
    public Ipv4Packet retainedDuplicate() {
        return (Ipv4Packet) super.retainedDuplicate();
    }

    @Override
    public Ipv4Packet retain() {
        super.retain();
        return this;
    }

    @Override
    public Ipv4Packet retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Ipv4Packet touch() {
        super.touch();
        return this;
    }

    @Override
    public Ipv4Packet touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "Ipv4Packet(" + source().getHostAddress() + " > " + destination().getHostAddress()
                + ", proto=" + protocol + ", ttl=" + ttl + ", id=" + identification + ", flags=" + flags()
                + ", frag=" + fragmentOffset() + ", options=" + options.length + "B, "
                + content().readableBytes() + "B)";
    }
}
