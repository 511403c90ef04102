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

/**
 * A frame read from or written to a device without {@code IFF_NO_PI}: the 4-byte {@code struct tun_pi}
 * ({@code flags} u16 in host order, {@code proto} be16) followed by the packet, which is this
 * holder's {@linkplain #content() content}.
 */
public final class TunPiFrame extends DefaultByteBufHolder {

    /** Length of {@code struct tun_pi}. */
    public static final int HEADER_LENGTH = 4;
    /**
     * {@code TUN_PKT_STRIP}: the kernel cut the packet to fit the read buffer. The decoder refuses
     * such frames as {@link DropReason#KERNEL_TRUNCATED}.
     */
    public static final int FLAG_STRIP = 0x0001;

    private final int flags;
    private final int protocol;

    /**
     * Creates a frame.
     *
     * @param flags    the PI flags (0 when writing; the kernel ignores them on write)
     * @param protocol the EtherType of the packet, such as {@link EtherTypes#IPV4}
     * @param packet   the packet; ownership passes to this frame
     */
    public TunPiFrame(int flags, int protocol, ByteBuf packet) {
        super(packet);
        this.flags = flags & 0xFFFF;
        this.protocol = protocol & 0xFFFF;
    }

    /**
     * Returns the PI flags.
     *
     * @return the 16-bit flags
     */
    public int flags() {
        return flags;
    }

    /**
     * Returns the EtherType the kernel gave the packet.
     *
     * @return the 16-bit protocol
     */
    public int protocol() {
        return protocol;
    }

    @Override
    public TunPiFrame replace(ByteBuf content) {
        return new TunPiFrame(flags, protocol, content);
    }

    @Override
    public TunPiFrame copy() {
        return (TunPiFrame) super.copy();
    }

    @Override
    public TunPiFrame duplicate() {
        return (TunPiFrame) super.duplicate();
    }

    @Override
    public TunPiFrame retainedDuplicate() {
        return (TunPiFrame) super.retainedDuplicate();
    }

    @Override
    public TunPiFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public TunPiFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public TunPiFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public TunPiFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "TunPiFrame(flags=0x" + Integer.toHexString(flags) + ", proto=0x" + Integer.toHexString(protocol)
                + ", " + content().readableBytes() + "B)";
    }
}
