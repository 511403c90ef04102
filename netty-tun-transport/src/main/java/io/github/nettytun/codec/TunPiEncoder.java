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
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Prepends the 4-byte PI header for devices opened without {@code IFF_NO_PI}.
 *
 * <p>A {@link TunPiFrame} is written with its own flags and protocol. A plain {@link ByteBuf} gets
 * flags 0 and a protocol derived from its content: for a TUN device from the IP version nibble
 * ({@code 0x0800} or {@code 0x86DD}; the kernel uses {@code proto} as {@code skb->protocol}, so a wrong
 * value would misroute the packet), for a TAP device from the frame's EtherType field.
 * A buffer whose protocol cannot be derived fails the write with an {@link EncoderException}.
 */
public class TunPiEncoder extends MessageToMessageEncoder<Object> {

    private final boolean ethernet;
    private final boolean composite;

    /** Creates an encoder for a TUN (IP) device that copies the packet behind the header. */
    public TunPiEncoder() {
        this(false, false);
    }

    /**
     * Creates an encoder.
     *
     * @param ethernet  {@code true} for a TAP device (frames are Ethernet), {@code false} for TUN
     * @param composite {@code true} to output a composite of header and packet instead of a copy
     */
    public TunPiEncoder(boolean ethernet, boolean composite) {
        super(Object.class);
        this.ethernet = ethernet;
        this.composite = composite;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ByteBuf || msg instanceof TunPiFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        int flags;
        int protocol;
        ByteBuf packet;
        if (msg instanceof TunPiFrame) {
            TunPiFrame frame = (TunPiFrame) msg;
            flags = frame.flags();
            protocol = frame.protocol();
            packet = frame.content();
        } else {
            packet = (ByteBuf) msg;
            flags = 0;
            protocol = protocolOf(packet);
        }
        ByteBuf buf = FrameOutput.allocate(ctx, TunPiFrame.HEADER_LENGTH, packet, composite);
        buf.writeShortLE(flags);
        buf.writeShort(protocol);
        out.add(FrameOutput.finish(ctx, buf, packet, composite));
    }

    private int protocolOf(ByteBuf packet) {
        int index = packet.readerIndex();
        if (ethernet) {
            if (packet.readableBytes() < 14) {
                throw new EncoderException("Ethernet frame of " + packet.readableBytes() + " bytes");
            }
            return packet.getUnsignedShort(index + 12);
        }
        int protocol = packet.isReadable() ? EtherTypes.ofIpVersion(packet.getByte(index)) : -1;
        if (protocol < 0) {
            throw new EncoderException("not an IPv4 or IPv6 packet, cannot derive the PI protocol");
        }
        return protocol;
    }
}
