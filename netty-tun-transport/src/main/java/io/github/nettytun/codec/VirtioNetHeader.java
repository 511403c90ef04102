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

import java.util.Arrays;

/**
 * The virtio-net header that precedes every packet on a device opened with {@code IFF_VNET_HDR}:
 * {@code struct virtio_net_hdr} (10 bytes), {@code struct virtio_net_hdr_v1} (12 bytes, adds
 * {@code num_buffers}), {@code struct virtio_net_hdr_v1_hash} (20 bytes, adds the hash report) or
 * {@code struct virtio_net_hdr_v1_hash_tunnel} (24 bytes, adds the UDP tunnel offsets), see
 * {@code include/uapi/linux/virtio_net.h}. All fields are little-endian on the wire (the kernel's tun
 * driver uses the little-endian layout unless {@code TUNSETVNETBE} is set, which this codec does not
 * support).
 *
 * <p>The header size is the device's {@code TUNSETVNETHDRSZ}, which the kernel accepts from 10 bytes up
 * without a limit ({@code tun_vnet_ioctl} in {@code drivers/net/tun_vnet.h}). The tun driver fills only
 * the structure it knows (10 bytes, or 24 once UDP tunnel GSO is possible) and zeroes the rest when it
 * writes a header, and skips the rest when it reads one. A field lies in the header only if its whole
 * structure fits: the hash fields from {@link #LENGTH_HASH} bytes, the tunnel offsets from
 * {@link #LENGTH_HASH_TUNNEL} bytes. Fields outside the header read as 0, which is also what the kernel
 * reports when it has nothing to say (mainline tun never fills the hash report yet). Bytes of the header
 * that belong to no such field (the part of a 16-byte header after {@code num_buffers}, anything after
 * 24 bytes) are kept as {@linkplain #trailingBytes() trailing bytes}, so that a decoded header written
 * back with the same size gives the same bytes.
 *
 * <p>An immutable value; {@link #NONE} is the header of a plain packet (no checksum offload, no GSO).
 */
public final class VirtioNetHeader {

    /** Length of {@code struct virtio_net_hdr}. */
    public static final int LENGTH = 10;
    /** Length of {@code struct virtio_net_hdr_v1} (with {@code num_buffers}). */
    public static final int LENGTH_V1 = 12;
    /** Length of {@code struct virtio_net_hdr_v1_hash} (with {@code hash_value} and {@code hash_report}). */
    public static final int LENGTH_HASH = 20;
    /**
     * Length of {@code struct virtio_net_hdr_v1_hash_tunnel} (with {@code outer_th_offset} and
     * {@code inner_nh_offset}); the size the kernel needs for UDP tunnel GSO ({@code TUN_F_UDP_TUNNEL_GSO}).
     */
    public static final int LENGTH_HASH_TUNNEL = 24;
    /**
     * The largest header size the codec accepts. The kernel has no upper bound, but no structure is
     * longer than {@link #LENGTH_HASH_TUNNEL} today; the limit leaves room for future ones while catching
     * a size that is really something else (an MTU, a buffer size), and it bounds the bytes kept per
     * header. It equals the largest {@code VNET_HDR_SIZE} the channel accepts.
     */
    public static final int MAX_LENGTH = 128;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: checksum from {@code csum_start}, store at {@code +csum_offset}. */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the checksum was already verified. */
    public static final int FLAG_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_F_RSC_INFO}: {@code csum_start}/{@code csum_offset} hold coalescing counts. */
    public static final int FLAG_RSC_INFO = 4;
    /** {@code VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM}: the outer UDP header of a tunnel GSO packet has a checksum. */
    public static final int FLAG_UDP_TUNNEL_CSUM = 8;

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
    /**
     * {@code VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4}: or-ed into the GSO type; the inner GSO packet is
     * carried in UDP over IPv4 (VXLAN, GENEVE), described by the tunnel offsets of a 24-byte header.
     */
    public static final int GSO_UDP_TUNNEL_IPV4 = 0x20;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6}: like {@link #GSO_UDP_TUNNEL_IPV4} with an IPv6 outer header. */
    public static final int GSO_UDP_TUNNEL_IPV6 = 0x40;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: or-ed into the GSO type; the TCP segments carry ECN CWR. */
    public static final int GSO_ECN = 0x80;

    /** The header of a packet with no offload: all fields zero. */
    public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0, 0);

    private static final int GSO_UDP_TUNNEL = GSO_UDP_TUNNEL_IPV4 | GSO_UDP_TUNNEL_IPV6;

    private final int flags;
    private final int gsoType;
    private final int headerLength;
    private final int gsoSize;
    private final int checksumStart;
    private final int checksumOffset;
    private final int numBuffers;
    private final int hashValue;
    private final int hashReport;
    private final int hashPadding;
    private final int outerTransportOffset;
    private final int innerNetworkOffset;
    // Header bytes no field covers, and where in the header the first of them was; no leading or
    // trailing zeros (they are written as zero padding anyway), so that equal output means equal headers.
    private final int trailingOffset;
    private final byte[] trailing;

    /**
     * Creates a header without hash report or tunnel offsets. Values are truncated to the width of
     * their field.
     *
     * @param flags          {@code flags} (u8): {@link #FLAG_NEEDS_CSUM} and friends
     * @param gsoType        {@code gso_type} (u8): {@link #GSO_NONE} and friends, possibly or-ed with {@link #GSO_ECN}
     * @param headerLength   {@code hdr_len} (le16): length of the headers of a GSO packet
     * @param gsoSize        {@code gso_size} (le16): payload bytes per segment
     * @param checksumStart  {@code csum_start} (le16): where checksumming starts
     * @param checksumOffset {@code csum_offset} (le16): where the checksum goes, from {@code csum_start}
     * @param numBuffers     {@code num_buffers} (le16, from 12-byte headers on; 0 otherwise)
     */
    public VirtioNetHeader(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart,
                           int checksumOffset, int numBuffers) {
        this(flags, gsoType, headerLength, gsoSize, checksumStart, checksumOffset, numBuffers, 0, 0, 0, 0);
    }

    /**
     * Creates a header with all the fields of {@code struct virtio_net_hdr_v1_hash_tunnel}. Values are
     * truncated to the width of their field. {@link #write} leaves out the fields that do not fit the
     * header size it writes.
     *
     * @param flags                {@code flags} (u8): {@link #FLAG_NEEDS_CSUM} and friends
     * @param gsoType              {@code gso_type} (u8): {@link #GSO_NONE} and friends, possibly or-ed with
     *                             {@link #GSO_ECN} and one of {@link #GSO_UDP_TUNNEL_IPV4}/{@link #GSO_UDP_TUNNEL_IPV6}
     * @param headerLength         {@code hdr_len} (le16): length of the headers of a GSO packet
     * @param gsoSize              {@code gso_size} (le16): payload bytes per segment
     * @param checksumStart        {@code csum_start} (le16): where checksumming starts
     * @param checksumOffset       {@code csum_offset} (le16): where the checksum goes, from {@code csum_start}
     * @param numBuffers           {@code num_buffers} (le16, from 12-byte headers on)
     * @param hashValue            {@code hash_value} (le32, from 20-byte headers on); the low 32 bits are used
     * @param hashReport           {@code hash_report} (le16, from 20-byte headers on): {@code VIRTIO_NET_HASH_REPORT_*}
     * @param outerTransportOffset {@code outer_th_offset} (le16, 24-byte headers): where the outer UDP header starts
     * @param innerNetworkOffset   {@code inner_nh_offset} (le16, 24-byte headers): where the inner IP header starts
     */
    public VirtioNetHeader(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart,
                           int checksumOffset, int numBuffers, long hashValue, int hashReport,
                           int outerTransportOffset, int innerNetworkOffset) {
        this(flags, gsoType, headerLength, gsoSize, checksumStart, checksumOffset, numBuffers, (int) hashValue,
                hashReport, 0, outerTransportOffset, innerNetworkOffset, 0, EmptyArrays.EMPTY_BYTES);
    }

    private VirtioNetHeader(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart,
                            int checksumOffset, int numBuffers, int hashValue, int hashReport, int hashPadding,
                            int outerTransportOffset, int innerNetworkOffset, int trailingOffset, byte[] trailing) {
        this.flags = flags & 0xFF;
        this.gsoType = gsoType & 0xFF;
        this.headerLength = headerLength & 0xFFFF;
        this.gsoSize = gsoSize & 0xFFFF;
        this.checksumStart = checksumStart & 0xFFFF;
        this.checksumOffset = checksumOffset & 0xFFFF;
        this.numBuffers = numBuffers & 0xFFFF;
        this.hashValue = hashValue;
        this.hashReport = hashReport & 0xFFFF;
        this.hashPadding = hashPadding & 0xFFFF;
        this.outerTransportOffset = outerTransportOffset & 0xFFFF;
        this.innerNetworkOffset = innerNetworkOffset & 0xFFFF;
        this.trailingOffset = trailingOffset;
        this.trailing = trailing;
    }

    /**
     * Returns how many bytes of a header of the given size the known structures cover: 10, 12, 20 or
     * 24. The rest are trailing bytes.
     */
    private static int structureLength(int length) {
        if (length >= LENGTH_HASH_TUNNEL) {
            return LENGTH_HASH_TUNNEL;
        }
        if (length >= LENGTH_HASH) {
            return LENGTH_HASH;
        }
        return length >= LENGTH_V1 ? LENGTH_V1 : LENGTH;
    }

    /**
     * Checks a header size given to a decoder or encoder.
     *
     * @param length the size, as set with {@code TUNSETVNETHDRSZ}
     * @return {@code length}
     * @throws IllegalArgumentException if it is below {@link #LENGTH} or above {@link #MAX_LENGTH}
     */
    static int checkLength(int length) {
        if (length < LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("vnet header length must be " + LENGTH + ".." + MAX_LENGTH + ": "
                    + length);
        }
        return length;
    }

    /**
     * Reads a header. The caller checks that {@code length} bytes are there.
     *
     * @param buf    the buffer
     * @param index  where the header starts
     * @param length the header size, at least {@link #LENGTH}
     * @return the header
     * @throws IllegalArgumentException if {@code length} is below {@link #LENGTH}
     */
    public static VirtioNetHeader read(ByteBuf buf, int index, int length) {
        if (length < LENGTH) {
            throw new IllegalArgumentException("vnet header length below " + LENGTH + ": " + length);
        }
        int flags = buf.getUnsignedByte(index);
        int gsoType = buf.getUnsignedByte(index + 1);
        int hdrLen = buf.getUnsignedShortLE(index + 2);
        int gsoSize = buf.getUnsignedShortLE(index + 4);
        int csumStart = buf.getUnsignedShortLE(index + 6);
        int csumOffset = buf.getUnsignedShortLE(index + 8);
        int numBuffers = length >= LENGTH_V1 ? buf.getUnsignedShortLE(index + 10) : 0;
        int hashValue = 0;
        int hashReport = 0;
        int hashPadding = 0;
        int outer = 0;
        int inner = 0;
        if (length >= LENGTH_HASH) {
            hashValue = buf.getIntLE(index + 12);
            hashReport = buf.getUnsignedShortLE(index + 16);
            hashPadding = buf.getUnsignedShortLE(index + 18);
            if (length >= LENGTH_HASH_TUNNEL) {
                outer = buf.getUnsignedShortLE(index + 20);
                inner = buf.getUnsignedShortLE(index + 22);
            }
        }
        int from = structureLength(length);
        int to = length;
        // The kernel zeroes what it does not fill: skip zeros, so that a plain packet allocates nothing.
        while (from < to && buf.getByte(index + from) == 0) {
            from++;
        }
        while (to > from && buf.getByte(index + to - 1) == 0) {
            to--;
        }
        if ((flags | gsoType | hdrLen | gsoSize | csumStart | csumOffset | numBuffers | hashValue | hashReport
                | hashPadding | outer | inner) == 0 && from == to) {
            return NONE; // the common case of a plain packet allocates nothing
        }
        byte[] trailing = EmptyArrays.EMPTY_BYTES;
        if (from < to) {
            trailing = new byte[to - from];
            buf.getBytes(index + from, trailing);
        } else {
            from = 0;
        }
        return new VirtioNetHeader(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset, numBuffers, hashValue,
                hashReport, hashPadding, outer, inner, from, trailing);
    }

    /**
     * Writes this header as a header of {@code length} bytes: the fields of the largest structure that
     * fits, then the {@linkplain #trailingBytes() trailing bytes} at the offset they were read from, then
     * zeros. Fields that do not fit are left out (as the kernel would ignore them); so are trailing bytes
     * where this size has a field or beyond {@code length}.
     *
     * @param buf    the buffer, written at its writer index
     * @param length the header size, at least {@link #LENGTH}
     * @throws IllegalArgumentException if {@code length} is below {@link #LENGTH}
     */
    public void write(ByteBuf buf, int length) {
        if (length < LENGTH) {
            throw new IllegalArgumentException("vnet header length below " + LENGTH + ": " + length);
        }
        int start = buf.writerIndex();
        buf.writeByte(flags);
        buf.writeByte(gsoType);
        buf.writeShortLE(headerLength);
        buf.writeShortLE(gsoSize);
        buf.writeShortLE(checksumStart);
        buf.writeShortLE(checksumOffset);
        if (length >= LENGTH_V1) {
            buf.writeShortLE(numBuffers);
        }
        if (length >= LENGTH_HASH) {
            buf.writeIntLE(hashValue);
            buf.writeShortLE(hashReport);
            buf.writeShortLE(hashPadding);
            if (length >= LENGTH_HASH_TUNNEL) {
                buf.writeShortLE(outerTransportOffset);
                buf.writeShortLE(innerNetworkOffset);
            }
        }
        int structure = structureLength(length);
        buf.writeZero(length - structure);
        int from = Math.max(structure, trailingOffset);
        int to = Math.min(length, trailingOffset + trailing.length);
        if (from < to) {
            buf.setBytes(start + from, trailing, from - trailingOffset, to - from);
        }
    }

    /**
     * Returns whether this header can be written as a header of {@code length} bytes without losing
     * what the kernel needs: a UDP tunnel GSO type needs the tunnel offsets, so at least
     * {@link #LENGTH_HASH_TUNNEL} bytes (with fewer the kernel fails the write with {@code EINVAL}).
     *
     * @param length the header size
     * @return {@code true} if it fits
     */
    public boolean fitsIn(int length) {
        return length >= LENGTH && (!gsoUdpTunnel() || length >= LENGTH_HASH_TUNNEL);
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

    /** @return {@code gso_type} including the {@link #GSO_ECN} and UDP tunnel bits */
    public int gsoType() {
        return gsoType;
    }

    /**
     * Returns {@code gso_type} without the {@link #GSO_ECN} bit. The UDP tunnel bits stay, so that
     * code switching over the plain GSO types does not take a tunnel super-packet for a plain one.
     *
     * @return {@code gso_type} without {@link #GSO_ECN}
     */
    public int gsoProtocol() {
        return gsoType & ~GSO_ECN;
    }

    /** @return whether {@link #GSO_ECN} is set */
    public boolean gsoEcn() {
        return (gsoType & GSO_ECN) != 0;
    }

    /** @return whether {@link #GSO_UDP_TUNNEL_IPV4} or {@link #GSO_UDP_TUNNEL_IPV6} is set */
    public boolean gsoUdpTunnel() {
        return (gsoType & GSO_UDP_TUNNEL) != 0;
    }

    /**
     * Returns the GSO type of the packet inside a UDP tunnel: {@code gso_type} without the
     * {@link #GSO_ECN} and tunnel bits. For a packet without tunnel this is {@link #gsoProtocol()}.
     *
     * @return {@link #GSO_TCPV4}, {@link #GSO_TCPV6}, {@link #GSO_UDP_L4} (or another value, which the
     *         decoder refuses for tunnel packets)
     */
    public int gsoInnerProtocol() {
        return gsoType & ~(GSO_ECN | GSO_UDP_TUNNEL);
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

    /**
     * Returns the packet's hash as reported by the device ({@code hash_value}, unsigned 32 bits).
     * Meaningful only if {@link #hashReport()} is not 0 ({@code VIRTIO_NET_HASH_REPORT_NONE}).
     *
     * @return the hash, 0 when read from a header shorter than {@link #LENGTH_HASH}
     */
    public long hashValue() {
        return hashValue & 0xFFFF_FFFFL;
    }

    /**
     * Returns {@code hash_report}: which fields the {@linkplain #hashValue() hash} covers
     * ({@code VIRTIO_NET_HASH_REPORT_IPv4} = 1 up to {@code VIRTIO_NET_HASH_REPORT_UDPv6_EX} = 9).
     *
     * @return the report type, 0 ({@code VIRTIO_NET_HASH_REPORT_NONE}) when read from a header shorter
     *         than {@link #LENGTH_HASH}
     */
    public int hashReport() {
        return hashReport;
    }

    /**
     * Returns {@code outer_th_offset}: where the outer UDP header of a UDP tunnel GSO packet starts,
     * counted from the start of the packet. Meaningful only if {@link #gsoUdpTunnel()}.
     *
     * @return the offset, 0 when read from a header shorter than {@link #LENGTH_HASH_TUNNEL}
     */
    public int outerTransportOffset() {
        return outerTransportOffset;
    }

    /**
     * Returns {@code inner_nh_offset}: where the inner IP header of a UDP tunnel GSO packet starts,
     * counted from the start of the packet. Meaningful only if {@link #gsoUdpTunnel()}.
     *
     * @return the offset, 0 when read from a header shorter than {@link #LENGTH_HASH_TUNNEL}
     */
    public int innerNetworkOffset() {
        return innerNetworkOffset;
    }

    /**
     * Returns the header bytes that no field covers, as read: those after the last structure that fit
     * the header size (after {@code num_buffers} in a 16-byte header, after the tunnel offsets in a
     * 32-byte header), without leading and trailing zeros. The kernel writes zeros there, so this is
     * normally empty.
     *
     * @return a copy of the bytes; empty if there are none
     */
    public byte[] trailingBytes() {
        return trailing.length == 0 ? trailing : trailing.clone();
    }

    /**
     * Returns where in the header the first of the {@linkplain #trailingBytes() trailing bytes} was.
     *
     * @return the offset from the start of the header; 0 if there are no trailing bytes
     */
    public int trailingBytesOffset() {
        return trailingOffset;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VirtioNetHeader)) {
            return false;
        }
        VirtioNetHeader h = (VirtioNetHeader) o;
        return flags == h.flags && gsoType == h.gsoType && headerLength == h.headerLength
                && gsoSize == h.gsoSize && checksumStart == h.checksumStart
                && checksumOffset == h.checksumOffset && numBuffers == h.numBuffers
                && hashValue == h.hashValue && hashReport == h.hashReport && hashPadding == h.hashPadding
                && outerTransportOffset == h.outerTransportOffset && innerNetworkOffset == h.innerNetworkOffset
                && trailingOffset == h.trailingOffset && Arrays.equals(trailing, h.trailing);
    }

    @Override
    public int hashCode() {
        int h = flags;
        h = 31 * h + gsoType;
        h = 31 * h + headerLength;
        h = 31 * h + gsoSize;
        h = 31 * h + checksumStart;
        h = 31 * h + checksumOffset;
        h = 31 * h + numBuffers;
        h = 31 * h + hashValue;
        h = 31 * h + (hashReport << 16 | hashPadding);
        h = 31 * h + (outerTransportOffset << 16 | innerNetworkOffset);
        return 31 * h + trailingOffset * 31 + Arrays.hashCode(trailing);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(128).append("VirtioNetHeader(flags=").append(flags)
                .append(", gsoType=0x").append(Integer.toHexString(gsoType))
                .append(", hdrLen=").append(headerLength).append(", gsoSize=").append(gsoSize)
                .append(", csumStart=").append(checksumStart).append(", csumOffset=").append(checksumOffset)
                .append(", numBuffers=").append(numBuffers);
        // The extension fields are rare: show them only when set, which keeps the common case short.
        if (hashReport != 0 || hashValue != 0) {
            sb.append(", hash=0x").append(Long.toHexString(hashValue())).append(", hashReport=").append(hashReport);
        }
        if (outerTransportOffset != 0 || innerNetworkOffset != 0) {
            sb.append(", outerTh=").append(outerTransportOffset).append(", innerNh=").append(innerNetworkOffset);
        }
        if (trailing.length != 0) {
            sb.append(", trailing=").append(trailing.length).append("B@").append(trailingOffset);
        }
        return sb.append(')').toString();
    }
}
