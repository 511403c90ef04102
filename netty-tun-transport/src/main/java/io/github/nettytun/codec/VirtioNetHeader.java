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
 * The {@code struct virtio_net_hdr} (10 bytes) or {@code struct virtio_net_hdr_v1} (12 bytes, adds
 * {@code num_buffers}) that precedes every packet on a device opened with {@code IFF_VNET_HDR}.
 * All fields are little-endian on the wire (the kernel's tun driver uses the little-endian layout
 * unless {@code TUNSETVNETBE} is set, which this codec does not support).
 *
 * <p>An immutable value; {@link #NONE} is the header of a plain packet (no checksum offload, no GSO).
 */
public final class VirtioNetHeader {

    /** Length of {@code struct virtio_net_hdr}. */
    public static final int LENGTH = 10;
    /** Length of {@code struct virtio_net_hdr_v1} (with {@code num_buffers}). */
    public static final int LENGTH_V1 = 12;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: checksum from {@code csum_start}, store at {@code +csum_offset}. */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the checksum was already verified. */
    public static final int FLAG_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_F_RSC_INFO}: {@code csum_start}/{@code csum_offset} hold coalescing counts. */
    public static final int FLAG_RSC_INFO = 4;

    /** {@code VIRTIO_NET_HDR_GSO_NONE}. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP} (UFO, IP fragmentation of a UDP datagram). */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_L4} (USO, segmentation into UDP datagrams). */
    public static final int GSO_UDP_L4 = 5;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: or-ed into the GSO type; the TCP segments carry ECN CWR. */
    public static final int GSO_ECN = 0x80;

    /** The header of a packet with no offload: all fields zero. */
    public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0, 0);

    private final int flags;
    private final int gsoType;
    private final int headerLength;
    private final int gsoSize;
    private final int checksumStart;
    private final int checksumOffset;
    private final int numBuffers;

    /**
     * Creates a header. Values are truncated to the width of their field.
     *
     * @param flags          {@code flags} (u8): {@link #FLAG_NEEDS_CSUM} and friends
     * @param gsoType        {@code gso_type} (u8): {@link #GSO_NONE} and friends, possibly or-ed with {@link #GSO_ECN}
     * @param headerLength   {@code hdr_len} (le16): length of the headers of a GSO packet
     * @param gsoSize        {@code gso_size} (le16): payload bytes per segment
     * @param checksumStart  {@code csum_start} (le16): where checksumming starts
     * @param checksumOffset {@code csum_offset} (le16): where the checksum goes, from {@code csum_start}
     * @param numBuffers     {@code num_buffers} (le16, v1 header only; 0 otherwise)
     */
    public VirtioNetHeader(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart,
                           int checksumOffset, int numBuffers) {
        this.flags = flags & 0xFF;
        this.gsoType = gsoType & 0xFF;
        this.headerLength = headerLength & 0xFFFF;
        this.gsoSize = gsoSize & 0xFFFF;
        this.checksumStart = checksumStart & 0xFFFF;
        this.checksumOffset = checksumOffset & 0xFFFF;
        this.numBuffers = numBuffers & 0xFFFF;
    }

    /**
     * Reads a header. The caller checks that {@code length} bytes are there.
     *
     * @param buf    the buffer
     * @param index  where the header starts
     * @param length {@link #LENGTH} or {@link #LENGTH_V1}
     * @return the header
     */
    public static VirtioNetHeader read(ByteBuf buf, int index, int length) {
        int flags = buf.getUnsignedByte(index);
        int gsoType = buf.getUnsignedByte(index + 1);
        int hdrLen = buf.getUnsignedShortLE(index + 2);
        int gsoSize = buf.getUnsignedShortLE(index + 4);
        int csumStart = buf.getUnsignedShortLE(index + 6);
        int csumOffset = buf.getUnsignedShortLE(index + 8);
        int numBuffers = length >= LENGTH_V1 ? buf.getUnsignedShortLE(index + 10) : 0;
        if ((flags | gsoType | hdrLen | gsoSize | csumStart | csumOffset | numBuffers) == 0) {
            return NONE; // the common case of a plain packet allocates nothing
        }
        return new VirtioNetHeader(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset, numBuffers);
    }

    /**
     * Writes this header.
     *
     * @param buf    the buffer, written at its writer index
     * @param length {@link #LENGTH} or {@link #LENGTH_V1} ({@code num_buffers} is written only for the latter)
     */
    public void write(ByteBuf buf, int length) {
        buf.writeByte(flags);
        buf.writeByte(gsoType);
        buf.writeShortLE(headerLength);
        buf.writeShortLE(gsoSize);
        buf.writeShortLE(checksumStart);
        buf.writeShortLE(checksumOffset);
        if (length >= LENGTH_V1) {
            buf.writeShortLE(numBuffers);
        }
    }

    /** @return {@code flags} */
    public int flags() {
        return flags;
    }

    /** @return whether {@link #FLAG_NEEDS_CSUM} is set */
    public boolean needsChecksum() {
        return (flags & FLAG_NEEDS_CSUM) != 0;
    }

    /** @return whether {@link #FLAG_DATA_VALID} is set */
    public boolean dataValid() {
        return (flags & FLAG_DATA_VALID) != 0;
    }

    /** @return {@code gso_type} including the {@link #GSO_ECN} bit */
    public int gsoType() {
        return gsoType;
    }

    /** @return {@code gso_type} without the {@link #GSO_ECN} bit */
    public int gsoProtocol() {
        return gsoType & ~GSO_ECN;
    }

    /** @return whether {@link #GSO_ECN} is set */
    public boolean gsoEcn() {
        return (gsoType & GSO_ECN) != 0;
    }

    /** @return {@code hdr_len} */
    public int headerLength() {
        return headerLength;
    }

    /** @return {@code gso_size} */
    public int gsoSize() {
        return gsoSize;
    }

    /** @return {@code csum_start} */
    public int checksumStart() {
        return checksumStart;
    }

    /** @return {@code csum_offset} */
    public int checksumOffset() {
        return checksumOffset;
    }

    /** @return {@code num_buffers} (0 when read from a 10-byte header) */
    public int numBuffers() {
        return numBuffers;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VirtioNetHeader)) {
            return false;
        }
        VirtioNetHeader h = (VirtioNetHeader) o;
        return flags == h.flags && gsoType == h.gsoType && headerLength == h.headerLength
                && gsoSize == h.gsoSize && checksumStart == h.checksumStart
                && checksumOffset == h.checksumOffset && numBuffers == h.numBuffers;
    }

    @Override
    public int hashCode() {
        int h = flags;
        h = 31 * h + gsoType;
        h = 31 * h + headerLength;
        h = 31 * h + gsoSize;
        h = 31 * h + checksumStart;
        h = 31 * h + checksumOffset;
        return 31 * h + numBuffers;
    }

    @Override
    public String toString() {
        return "VirtioNetHeader(flags=" + flags + ", gsoType=0x" + Integer.toHexString(gsoType)
                + ", hdrLen=" + headerLength + ", gsoSize=" + gsoSize + ", csumStart=" + checksumStart
                + ", csumOffset=" + checksumOffset + ", numBuffers=" + numBuffers + ')';
    }
}
