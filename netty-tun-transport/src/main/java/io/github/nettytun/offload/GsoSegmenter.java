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
package io.github.nettytun.offload;

import io.github.nettytun.codec.InternetChecksum;
import io.github.nettytun.codec.IpProtocols;
import io.github.nettytun.codec.TcpView;
import io.github.nettytun.codec.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * Splits one GSO super-packet into wire-sized packets, the way the kernel's {@code tcp_gso_segment} and
 * {@code __udp_gso_segment} would, and completes partial checksums. Stateless; {@link TunSegmentationHandler}
 * wraps it in a pipeline.
 *
 * <p>Each segment is one pooled buffer: the headers are copied, then the segment's payload. A copy of at
 * most one MTU per segment is cheaper than a composite (header + slice) whose consumers would walk two
 * components for every checksum and {@code writev}.
 */
final class GsoSegmenter {

    /** Why a frame was refused; {@code null} from {@link #segment} means it was handled. */
    static final String UNSUPPORTED_UFO = "GSO_UDP (UFO, IP fragmentation) is not supported";

    private GsoSegmenter() {
    }

    /**
     * Segments a packet or completes its checksum.
     *
     * @param alloc    where segments are allocated
     * @param header   the packet's virtio-net header
     * @param packet   the packet (its readable bytes); not released, but its bytes may be changed in place
     * @param headroom bytes of zeroed virtio-net header to put in front of every output (0 for plain packets)
     * @param out      receives the output buffers, in order
     * @return {@code null} on success, else why the packet was refused (nothing was added to {@code out})
     */
    static String segment(ByteBufAllocator alloc, VirtioNetHeader header, ByteBuf packet, int headroom,
                          List<Object> out) {
        int base = packet.readerIndex();
        int length = packet.readableBytes();
        int gso = header.gsoProtocol();
        if (gso == VirtioNetHeader.GSO_NONE) {
            return header.needsChecksum() ? completeChecksum(header, packet, base, length) : null;
        }
        if (gso == VirtioNetHeader.GSO_UDP) {
            return UNSUPPORTED_UFO;
        }
        long located = IpLayout.locate(packet, base, length);
        if (located == IpLayout.NONE) {
            return "GSO packet without a locatable transport header";
        }
        int l4 = IpLayout.offset(located);
        int protocol = IpLayout.protocol(located);
        int version = packet.getUnsignedByte(base) >>> 4;
        if (header.needsChecksum() && header.checksumStart() != l4) {
            return "csum_start " + header.checksumStart() + " is not the transport header at " + l4;
        }
        int gsoSize = header.gsoSize();
        if (gsoSize == 0) {
            return "gso_size 0";
        }
        switch (gso) {
            case VirtioNetHeader.GSO_TCPV4:
            case VirtioNetHeader.GSO_TCPV6:
                if (protocol != IpProtocols.TCP || version != (gso == VirtioNetHeader.GSO_TCPV4 ? 4 : 6)) {
                    return "gso_type " + header.gsoType() + " on an IPv" + version + " packet of protocol " + protocol;
                }
                if (l4 + TcpView.MIN_HEADER_LENGTH > length) {
                    return "TCP header truncated";
                }
                int tcpHeader = (packet.getUnsignedByte(base + l4 + 12) >>> 4) * 4;
                if (tcpHeader < TcpView.MIN_HEADER_LENGTH || l4 + tcpHeader > length) {
                    return "bad TCP data offset";
                }
                split(alloc, packet, base, length, l4, l4 + tcpHeader, gsoSize, true, headroom, out);
                return null;
            case VirtioNetHeader.GSO_UDP_L4:
                if (protocol != IpProtocols.UDP || l4 + 8 > length) {
                    return "GSO_UDP_L4 on a packet of protocol " + protocol;
                }
                split(alloc, packet, base, length, l4, l4 + 8, gsoSize, false, headroom, out);
                return null;
            default:
                return "unknown gso_type " + header.gsoType();
        }
    }

    /**
     * {@code NEEDS_CSUM} without GSO: the field at {@code csum_start + csum_offset} holds the pseudo-header
     * sum; summing from {@code csum_start} to the end and storing the complement completes it (the
     * contract of {@code CHECKSUM_PARTIAL}, see the kernel's {@code skb_checksum_help}).
     */
    private static String completeChecksum(VirtioNetHeader header, ByteBuf packet, int base, int length) {
        int start = header.checksumStart();
        int field = start + header.checksumOffset();
        if (field + 2 > length || (field & 1) != (start & 1)) {
            return "checksum at " + start + '+' + header.checksumOffset() + " outside a " + length + "-byte packet";
        }
        int checksum = InternetChecksum.compute(packet, base + start, length - start);
        if (checksum == 0 && header.checksumOffset() == 6) {
            // UDP: 0 means "no checksum"; the kernel writes CSUM_MANGLED_0 (0xFFFF) instead.
            checksum = 0xFFFF;
        }
        packet.setShort(base + field, checksum);
        return null;
    }

    private static void split(ByteBufAllocator alloc, ByteBuf packet, int base, int length, int l4, int headers,
                              int gsoSize, boolean tcp, int headroom, List<Object> out) {
        boolean ipv4 = packet.getUnsignedByte(base) >>> 4 == 4;
        int protocol = tcp ? IpProtocols.TCP : IpProtocols.UDP;
        long pseudo = IpLayout.pseudoHeaderSumWithoutLength(packet, base, protocol);
        int payload = length - headers;
        int segments = payload == 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
        int id = ipv4 ? packet.getUnsignedShort(base + 4) : 0;
        long sequence = tcp ? packet.getUnsignedInt(base + l4 + 4) : 0;
        int flags = tcp ? packet.getUnsignedByte(base + l4 + 13) : 0;
        for (int i = 0; i < segments; i++) {
            int from = headers + i * gsoSize;
            int size = Math.min(gsoSize, length - from);
            int segmentLength = headers + size;
            ByteBuf seg = alloc.directBuffer(headroom + segmentLength);
            seg.writeZero(headroom);
            seg.writeBytes(packet, base, headers);
            seg.writeBytes(packet, base + from, size);
            int s = headroom;
            if (ipv4) {
                seg.setShort(s + 2, segmentLength);
                seg.setShort(s + 4, id + i);
                IpLayout.fillIpv4HeaderChecksum(seg, s);
            } else {
                seg.setShort(s + 4, segmentLength - 40);
            }
            if (tcp) {
                seg.setInt(s + l4 + 4, (int) (sequence + (long) i * gsoSize));
                int f = flags;
                if (i + 1 < segments) {
                    f &= ~(TcpView.FIN | TcpView.PSH); // only the last segment ends the push / the stream
                }
                if (i > 0) {
                    f &= ~TcpView.CWR;                 // congestion window reduced is signalled once
                }
                seg.setByte(s + l4 + 13, f);
                seg.setShort(s + l4 + 16, 0);
            } else {
                seg.setShort(s + l4 + 4, segmentLength - l4);
                seg.setShort(s + l4 + 6, 0);
            }
            int transportLength = segmentLength - l4;
            int checksum = InternetChecksum.finish(pseudo + transportLength
                    + InternetChecksum.sum(seg, s + l4, transportLength));
            if (!tcp && checksum == 0) {
                checksum = 0xFFFF;
            }
            seg.setShort(s + l4 + (tcp ? 16 : 6), checksum);
            out.add(seg);
        }
    }
}
