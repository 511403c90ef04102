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
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.util.internal.ObjectUtil;

/**
 * A packet with its {@link VirtioNetHeader}, as read from or written to a device opened with
 * {@code IFF_VNET_HDR}. The packet (an IP packet for TUN, an Ethernet frame for TAP; possibly a GSO
 * super-packet of up to 64 KiB) is this holder's {@linkplain #content() content}.
 */
public final class VirtioNetFrame extends DefaultByteBufHolder {

    private final VirtioNetHeader header;

    /**
     * Creates a frame.
     *
     * @param header the virtio-net header
     * @param packet the packet; ownership passes to this frame
     */
    public VirtioNetFrame(VirtioNetHeader header, ByteBuf packet) {
        super(packet);
        this.header = ObjectUtil.checkNotNull(header, "header");
    }

    /**
     * Returns the virtio-net header.
     *
     * @return the header
     */
    public VirtioNetHeader header() {
        return header;
    }

    @Override
    public VirtioNetFrame replace(ByteBuf content) {
        return new VirtioNetFrame(header, content);
    }

    @Override
    public VirtioNetFrame copy() {
        return (VirtioNetFrame) super.copy();
    }

    @Override
    public VirtioNetFrame duplicate() {
        return (VirtioNetFrame) super.duplicate();
    }

    @Override
    public VirtioNetFrame retainedDuplicate() {
        return (VirtioNetFrame) super.retainedDuplicate();
    }

    @Override
    public VirtioNetFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public VirtioNetFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public VirtioNetFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public VirtioNetFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "VirtioNetFrame(" + header + ", " + content().readableBytes() + "B)";
    }
}
