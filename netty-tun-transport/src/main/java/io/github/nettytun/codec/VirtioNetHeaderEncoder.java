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
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Prepends the virtio-net header for devices opened with {@code IFF_VNET_HDR}. A
 * {@link VirtioNetFrame} is written with its header; a plain {@link ByteBuf} gets
 * {@link VirtioNetHeader#NONE} (a whole packet with a complete checksum).
 *
 * <p>The header is written with the fields that fit its size (see {@link VirtioNetHeader#write}), so a
 * frame decoded with the same size is written back byte for byte. A frame whose UDP tunnel GSO type
 * needs the tunnel offsets of a {@value VirtioNetHeader#LENGTH_HASH_TUNNEL}-byte header fails with an
 * {@link io.netty.handler.codec.EncoderException} if the size is shorter: the kernel would refuse it
 * anyway, with a less telling {@code EINVAL} from {@code write()}.
 */
public class VirtioNetHeaderEncoder extends MessageToMessageEncoder<Object> {

    private final int headerLength;
    private final boolean composite;

    /**
     * Creates an encoder that copies the packet behind the header.
     *
     * @param headerLength the vnet header size set with {@code TUNSETVNETHDRSZ}, from
     *                     {@link VirtioNetHeader#LENGTH} to {@link VirtioNetHeader#MAX_LENGTH}
     * @throws IllegalArgumentException if the size is outside that range
     */
    public VirtioNetHeaderEncoder(int headerLength) {
        this(headerLength, false);
    }

    /**
     * Creates an encoder.
     *
     * @param headerLength the vnet header size, from {@link VirtioNetHeader#LENGTH} to
     *                     {@link VirtioNetHeader#MAX_LENGTH}
     * @param composite    {@code true} to output a composite of header and packet instead of a copy
     *                     (worth it for GSO super-packets)
     * @throws IllegalArgumentException if the size is outside that range
     */
    public VirtioNetHeaderEncoder(int headerLength, boolean composite) {
        super(Object.class);
        this.headerLength = VirtioNetHeader.checkLength(headerLength);
        this.composite = composite;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ByteBuf || msg instanceof VirtioNetFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        VirtioNetHeader header;
        ByteBuf packet;
        if (msg instanceof VirtioNetFrame) {
            header = ((VirtioNetFrame) msg).header();
            packet = ((VirtioNetFrame) msg).content();
        } else {
            header = VirtioNetHeader.NONE;
            packet = (ByteBuf) msg;
        }
        if (!header.fitsIn(headerLength)) {
            // Before allocating, so that nothing is left to release.
            throw new IllegalArgumentException(header + " does not fit a " + headerLength + "-byte vnet header");
        }
        ByteBuf buf = FrameOutput.allocate(ctx, headerLength, packet, composite);
        header.write(buf, headerLength);
        out.add(FrameOutput.finish(ctx, buf, packet, composite));
    }
}
