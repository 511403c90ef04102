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
 * A view of an ICMP (RFC 792) or ICMPv6 (RFC 4443) header at the start of a buffer's readable bytes.
 * Both share the layout type, code, checksum, then a 4-byte field that echo messages split into
 * identifier and sequence number. Reads and writes go straight to the buffer.
 */
public final class IcmpView {

    /** Length of the header including the 4-byte rest-of-header field. */
    public static final int HEADER_LENGTH = 8;
    /** ICMP echo reply. */
    public static final int ECHO_REPLY = 0;
    /** ICMP destination unreachable. */
    public static final int DESTINATION_UNREACHABLE = 3;
    /** ICMP echo request. */
    public static final int ECHO_REQUEST = 8;
    /** ICMP time exceeded. */
    public static final int TIME_EXCEEDED = 11;
    /** ICMPv6 destination unreachable. */
    public static final int V6_DESTINATION_UNREACHABLE = 1;
    /** ICMPv6 packet too big. */
    public static final int V6_PACKET_TOO_BIG = 2;
    /** ICMPv6 echo request. */
    public static final int V6_ECHO_REQUEST = 128;
    /** ICMPv6 echo reply. */
    public static final int V6_ECHO_REPLY = 129;
    /** ICMPv6 router solicitation. */
    public static final int V6_ROUTER_SOLICITATION = 133;
    /** ICMPv6 neighbor solicitation. */
    public static final int V6_NEIGHBOR_SOLICITATION = 135;
    /** ICMPv6 neighbor advertisement. */
    public static final int V6_NEIGHBOR_ADVERTISEMENT = 136;
    /** ICMPv6 multicast listener report v2 (MLDv2). */
    public static final int V6_MLD2_REPORT = 143;

    private final ByteBuf buf;
    private final int index;

    private IcmpView(ByteBuf buf, int index) {
        this.buf = buf;
        this.index = index;
    }

    /**
     * Returns a view of the header at the reader index.
     *
     * @param message the ICMP or ICMPv6 message
     * @return the view
     * @throws IllegalArgumentException if fewer than 8 bytes are readable
     */
    public static IcmpView wrap(ByteBuf message) {
        if (message.readableBytes() < HEADER_LENGTH) {
            throw new IllegalArgumentException("ICMP header needs 8 bytes, have " + message.readableBytes());
        }
        return new IcmpView(message, message.readerIndex());
    }

    /** @return the type */
    public int type() {
        return buf.getUnsignedByte(index);
    }

    /** @return the code */
    public int code() {
        return buf.getUnsignedByte(index + 1);
    }

    /** @return the checksum field */
    public int checksum() {
        return buf.getUnsignedShort(index + 2);
    }

    /** @return the identifier of an echo message */
    public int identifier() {
        return buf.getUnsignedShort(index + 4);
    }

    /** @return the sequence number of an echo message */
    public int sequenceNumber() {
        return buf.getUnsignedShort(index + 6);
    }

    /** @return the 4-byte rest-of-header field as an unsigned value */
    public long restOfHeader() {
        return buf.getUnsignedInt(index + 4);
    }

    /**
     * Sets the type.
     *
     * @param type the type
     * @return this view
     */
    public IcmpView setType(int type) {
        buf.setByte(index, type);
        return this;
    }

    /**
     * Sets the code.
     *
     * @param code the code
     * @return this view
     */
    public IcmpView setCode(int code) {
        buf.setByte(index + 1, code);
        return this;
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum the checksum
     * @return this view
     */
    public IcmpView setChecksum(int checksum) {
        buf.setShort(index + 2, checksum);
        return this;
    }

    /**
     * Returns the data after the 8-byte header (an echo payload, or the invoking packet of an error).
     * A derived slice: not retained.
     *
     * @return the data
     */
    public ByteBuf payload() {
        return buf.slice(index + HEADER_LENGTH, buf.writerIndex() - index - HEADER_LENGTH);
    }

    @Override
    public String toString() {
        return "IcmpView(type=" + type() + ", code=" + code() + ')';
    }
}
