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
 * A view of a TCP header (RFC 9293) at the start of a buffer's readable bytes, such as the content of
 * an {@link IpPacket}. Reads and writes go straight to the buffer.
 */
public final class TcpView {

    /** Length of the header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** FIN flag. */
    public static final int FIN = 0x001;
    /** SYN flag. */
    public static final int SYN = 0x002;
    /** RST flag. */
    public static final int RST = 0x004;
    /** PSH flag. */
    public static final int PSH = 0x008;
    /** ACK flag. */
    public static final int ACK = 0x010;
    /** URG flag. */
    public static final int URG = 0x020;
    /** ECE flag. */
    public static final int ECE = 0x040;
    /** CWR flag. */
    public static final int CWR = 0x080;
    /** AE (accurate ECN, formerly NS) flag. */
    public static final int AE = 0x100;

    private final ByteBuf buf;
    private final int index;

    private TcpView(ByteBuf buf, int index) {
        this.buf = buf;
        this.index = index;
    }

    /**
     * Returns a view of the header at the reader index.
     *
     * @param segment the TCP segment
     * @return the view
     * @throws IllegalArgumentException if fewer than 20 bytes are readable
     */
    public static TcpView wrap(ByteBuf segment) {
        if (segment.readableBytes() < MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("TCP header needs 20 bytes, have " + segment.readableBytes());
        }
        return new TcpView(segment, segment.readerIndex());
    }

    /** @return the source port */
    public int sourcePort() {
        return buf.getUnsignedShort(index);
    }

    /** @return the destination port */
    public int destinationPort() {
        return buf.getUnsignedShort(index + 2);
    }

    /** @return the sequence number, unsigned */
    public long sequenceNumber() {
        return buf.getUnsignedInt(index + 4);
    }

    /** @return the acknowledgment number, unsigned */
    public long acknowledgmentNumber() {
        return buf.getUnsignedInt(index + 8);
    }

    /** @return the header length in bytes (data offset times 4) */
    public int headerLength() {
        return (buf.getUnsignedByte(index + 12) >>> 4) << 2;
    }

    /** @return the nine flag bits ({@link #FIN} to {@link #AE}) */
    public int flags() {
        return buf.getUnsignedShort(index + 12) & 0x1FF;
    }

    /**
     * Returns whether all the given flags are set.
     *
     * @param flags flags or-ed together
     * @return {@code true} if every one is set
     */
    public boolean hasFlags(int flags) {
        return (flags() & flags) == flags;
    }

    /** @return the window */
    public int window() {
        return buf.getUnsignedShort(index + 14);
    }

    /** @return the checksum field */
    public int checksum() {
        return buf.getUnsignedShort(index + 16);
    }

    /** @return the urgent pointer */
    public int urgentPointer() {
        return buf.getUnsignedShort(index + 18);
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum the checksum
     * @return this view
     */
    public TcpView setChecksum(int checksum) {
        buf.setShort(index + 16, checksum);
        return this;
    }

    /**
     * Returns the options between the fixed header and the data. A derived slice: not retained.
     *
     * @return the options, empty if there are none
     * @throws IllegalStateException if the data offset is below 5 or beyond the buffer
     */
    public ByteBuf options() {
        return buf.slice(index + MIN_HEADER_LENGTH, checkedHeaderLength() - MIN_HEADER_LENGTH);
    }

    /**
     * Returns the data after the header. A derived slice: not retained.
     *
     * @return the data
     * @throws IllegalStateException if the data offset is below 5 or beyond the buffer
     */
    public ByteBuf payload() {
        int headerLength = checkedHeaderLength();
        return buf.slice(index + headerLength, buf.writerIndex() - index - headerLength);
    }

    private int checkedHeaderLength() {
        int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH || index + headerLength > buf.writerIndex()) {
            throw new IllegalStateException("TCP data offset " + (headerLength >>> 2) + " does not fit");
        }
        return headerLength;
    }

    @Override
    public String toString() {
        return "TcpView(" + sourcePort() + " > " + destinationPort() + ", seq=" + sequenceNumber()
                + ", flags=0x" + Integer.toHexString(flags()) + ')';
    }
}
