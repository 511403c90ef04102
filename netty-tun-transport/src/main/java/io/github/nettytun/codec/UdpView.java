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
 * A view of a UDP header (RFC 768) at the start of a buffer's readable bytes, such as the content of
 * an {@link IpPacket}. Reads and writes go straight to the buffer; the view neither copies nor changes
 * the buffer's indexes or reference count, and is valid as long as the buffer is.
 */
public final class UdpView {

    /** Length of the UDP header. */
    public static final int HEADER_LENGTH = 8;

    private final ByteBuf buf;
    private final int index;

    private UdpView(ByteBuf buf, int index) {
        this.buf = buf;
        this.index = index;
    }

    /**
     * Returns a view of the header at the reader index.
     *
     * @param segment the UDP datagram
     * @return the view
     * @throws IllegalArgumentException if fewer than 8 bytes are readable
     */
    public static UdpView wrap(ByteBuf segment) {
        if (segment.readableBytes() < HEADER_LENGTH) {
            throw new IllegalArgumentException("UDP header needs 8 bytes, have " + segment.readableBytes());
        }
        return new UdpView(segment, segment.readerIndex());
    }

    /** @return the source port */
    public int sourcePort() {
        return buf.getUnsignedShort(index);
    }

    /** @return the destination port */
    public int destinationPort() {
        return buf.getUnsignedShort(index + 2);
    }

    /** @return the length field: header plus data */
    public int length() {
        return buf.getUnsignedShort(index + 4);
    }

    /** @return the checksum field */
    public int checksum() {
        return buf.getUnsignedShort(index + 6);
    }

    /**
     * Sets the source port.
     *
     * @param port the port
     * @return this view
     */
    public UdpView setSourcePort(int port) {
        buf.setShort(index, port);
        return this;
    }

    /**
     * Sets the destination port.
     *
     * @param port the port
     * @return this view
     */
    public UdpView setDestinationPort(int port) {
        buf.setShort(index + 2, port);
        return this;
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum the checksum
     * @return this view
     */
    public UdpView setChecksum(int checksum) {
        buf.setShort(index + 6, checksum);
        return this;
    }

    /**
     * Returns the data after the header, up to the length field or the end of the buffer, whichever
     * comes first. A derived slice: not retained.
     *
     * @return the data
     */
    public ByteBuf payload() {
        int available = buf.writerIndex() - index;
        int length = Math.max(HEADER_LENGTH, Math.min(length(), available));
        return buf.slice(index + HEADER_LENGTH, length - HEADER_LENGTH);
    }

    @Override
    public String toString() {
        return "UdpView(" + sourcePort() + " > " + destinationPort() + ", len=" + length() + ')';
    }
}
