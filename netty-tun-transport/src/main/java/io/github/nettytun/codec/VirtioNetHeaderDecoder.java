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
 * <p>Besides truncation it refuses, as {@link DropReason#BAD_VNET_HEADER}, headers whose
 * {@code NEEDS_CSUM} range lies outside the packet or whose GSO type comes without a segment size:
 * offload code downstream would otherwise index outside the packet.
 */
public class VirtioNetHeaderDecoder extends AbstractFrameDecoder {

    private final int headerLength;

    /**
     * Creates a decoder that drops malformed frames and counts them in its own counters.
     *
     * @param headerLength the vnet header size set with {@code TUNSETVNETHDRSZ}:
     *                     {@link VirtioNetHeader#LENGTH} or {@link VirtioNetHeader#LENGTH_V1}
     */
    public VirtioNetHeaderDecoder(int headerLength) {
        this(headerLength, MalformedFramePolicy.DROP, new DropCounters());
    }

    /**
     * Creates a decoder.
     *
     * @param headerLength {@link VirtioNetHeader#LENGTH} or {@link VirtioNetHeader#LENGTH_V1}
     * @param policy       what to do with malformed frames
     * @param counters     where to count them
     */
    public VirtioNetHeaderDecoder(int headerLength, MalformedFramePolicy policy, DropCounters counters) {
        super(policy, counters);
        this.headerLength = checkHeaderLength(headerLength);
    }

    static int checkHeaderLength(int headerLength) {
        if (headerLength != VirtioNetHeader.LENGTH && headerLength != VirtioNetHeader.LENGTH_V1) {
            throw new IllegalArgumentException("vnet header length must be 10 or 12: " + headerLength);
        }
        return headerLength;
    }

    /**
     * Returns the header length this decoder expects.
     *
     * @return 10 or 12
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
        return new VirtioNetFrame(header, frame.retainedSlice(index + headerLength, packetLength));
    }
}
