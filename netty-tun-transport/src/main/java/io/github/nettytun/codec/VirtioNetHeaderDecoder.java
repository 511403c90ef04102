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
 * Decodes the virtio-net header of frames from a device opened with {@code IFF_VNET_HDR} into
 * {@link VirtioNetFrame}s. Place it after a {@link TunPiDecoder} if the device also has a PI header
 * (the kernel's read layout is PI, then vnet header, then packet); it decodes the content of
 * {@link TunPiFrame}s.
 *
 * <p>The header size is the device's {@code TUNSETVNETHDRSZ}: any size from
 * {@link VirtioNetHeader#LENGTH} to {@link VirtioNetHeader#MAX_LENGTH}. See {@link VirtioNetHeader} for
 * which fields each size carries.
 *
 * <p>Besides truncation it refuses, as {@link DropReason#BAD_VNET_HEADER}, headers that offload code
 * downstream could not use without indexing outside the packet: a {@code NEEDS_CSUM} range outside the
 * packet, a GSO type without a segment size, and for UDP tunnel GSO (checked like the kernel's
 * {@code virtio_net_hdr_tnl_to_skb} in {@code include/linux/virtio_net.h}) a header too short for the
 * tunnel offsets, both tunnel bits at once, an inner GSO type that is none or UFO, or tunnel offsets
 * out of order or beyond the packet. The tunnel offsets of packets without a tunnel GSO type are not
 * checked: nothing reads them (the kernel writes zeros there).
 */
public class VirtioNetHeaderDecoder extends AbstractFrameDecoder {

    private static final int UDP_HEADER_LENGTH = 8;

    private final int headerLength;

    /**
     * Creates a decoder that drops malformed frames and counts them in its own counters.
     *
     * @param headerLength the vnet header size set with {@code TUNSETVNETHDRSZ}, from
     *                     {@link VirtioNetHeader#LENGTH} to {@link VirtioNetHeader#MAX_LENGTH}
     * @throws IllegalArgumentException if the size is outside that range
     */
    public VirtioNetHeaderDecoder(int headerLength) {
        this(headerLength, MalformedFramePolicy.DROP, new DropCounters());
    }

    /**
     * Creates a decoder.
     *
     * @param headerLength the vnet header size, from {@link VirtioNetHeader#LENGTH} to
     *                     {@link VirtioNetHeader#MAX_LENGTH}
     * @param policy       what to do with malformed frames
     * @param counters     where to count them
     * @throws IllegalArgumentException if the size is outside that range
     */
    public VirtioNetHeaderDecoder(int headerLength, MalformedFramePolicy policy, DropCounters counters) {
        super(policy, counters);
        this.headerLength = VirtioNetHeader.checkLength(headerLength);
    }

    /**
     * Returns the header length this decoder expects.
     *
     * @return the vnet header size, from {@link VirtioNetHeader#LENGTH} to {@link VirtioNetHeader#MAX_LENGTH}
     */
    public int headerLength() {
        return headerLength;
    }

    @Override
    protected boolean acceptOuterFrame(Object msg) {
        return msg instanceof TunPiFrame;
    }

    @Override
    protected Object decodeFrame(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length < headerLength) {
            throw new MalformedFrameException(DropReason.TRUNCATED,
                    length + " bytes, vnet header needs " + headerLength);
        }
        int index = frame.readerIndex();
        VirtioNetHeader header = VirtioNetHeader.read(frame, index, headerLength);
        int packetLength = length - headerLength;
        if (header.needsChecksum() && (header.flags() & VirtioNetHeader.FLAG_RSC_INFO) == 0
                && header.checksumStart() + header.checksumOffset() + 2 > packetLength) {
            throw new MalformedFrameException(DropReason.BAD_VNET_HEADER, "checksum at "
                    + header.checksumStart() + '+' + header.checksumOffset() + " beyond " + packetLength);
        }
        if (header.gsoProtocol() != VirtioNetHeader.GSO_NONE && header.gsoSize() == 0) {
            throw new MalformedFrameException(DropReason.BAD_VNET_HEADER, "GSO type "
                    + header.gsoType() + " with gso_size 0");
        }
        if (header.gsoUdpTunnel()) {
            checkTunnel(header, packetLength);
        }
        return new VirtioNetFrame(header, frame.retainedSlice(index + headerLength, packetLength));
    }

    private void checkTunnel(VirtioNetHeader header, int packetLength) {
        if (headerLength < VirtioNetHeader.LENGTH_HASH_TUNNEL) {
            // The tun driver reports tunnel GSO only with a 24-byte header (tun_vnet_hdr_guest_features):
            // with a shorter one the offsets are missing and the super-packet cannot be segmented.
            throw new MalformedFrameException(DropReason.BAD_VNET_HEADER, "UDP tunnel GSO type 0x"
                    + Integer.toHexString(header.gsoType()) + " in a " + headerLength + "-byte header");
        }
        int gsoType = header.gsoType();
        if ((gsoType & VirtioNetHeader.GSO_UDP_TUNNEL_IPV4) != 0
                && (gsoType & VirtioNetHeader.GSO_UDP_TUNNEL_IPV6) != 0) {
            throw new MalformedFrameException(DropReason.BAD_VNET_HEADER, "both UDP tunnel GSO bits");
        }
        int inner = header.gsoInnerProtocol();
        if (inner == VirtioNetHeader.GSO_NONE || inner == VirtioNetHeader.GSO_UDP) {
            throw new MalformedFrameException(DropReason.BAD_VNET_HEADER,
                    "UDP tunnel GSO with inner GSO type " + inner);
        }
        int outerTh = header.outerTransportOffset();
        int innerNh = header.innerNetworkOffset();
        // The outer UDP header lies before the inner IP header, and both inside the packet.
        if (outerTh + UDP_HEADER_LENGTH > innerNh || innerNh >= packetLength) {
            throw new MalformedFrameException(DropReason.BAD_VNET_HEADER, "UDP tunnel offsets outer_th "
                    + outerTh + ", inner_nh " + innerNh + " in " + packetLength + " bytes");
        }
    }
}
