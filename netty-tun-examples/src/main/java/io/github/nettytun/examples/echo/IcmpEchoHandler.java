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
package io.github.nettytun.examples.echo;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.LongAdder;

/**
 * Answers ICMP (IPv4) and ICMPv6 echo requests that arrive on a TUN device without packet
 * information header, as the host behind the device would: the request becomes the reply in place
 * (addresses swapped, type changed, checksum updated incrementally) and goes back out of the same
 * channel. Every other packet is counted and released.
 */
@ChannelHandler.Sharable
public final class IcmpEchoHandler extends ChannelInboundHandlerAdapter {

    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int ICMP_ECHO_REPLY = 0;
    private static final int ICMPV6_ECHO_REQUEST = 128;
    private static final int ICMPV6_ECHO_REPLY = 129;

    private final LongAdder answered = new LongAdder();
    private final LongAdder ignored = new LongAdder();

    /** Returns how many echo requests were answered. */
    public long answered() {
        return answered.sum();
    }

    /** Returns how many packets were not echo requests (or were malformed). */
    public long ignored() {
        return ignored.sum();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf packet = (ByteBuf) msg;
        if (turnIntoReply(packet)) {
            answered.increment();
            ctx.write(packet);
        } else {
            ignored.increment();
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per batch of reads: one wake-up of the event loop answers many pings.
        ctx.flush();
    }

    private static boolean turnIntoReply(ByteBuf p) {
        int start = p.readerIndex();
        int length = p.readableBytes();
        if (length < 1) {
            return false;
        }
        int version = p.getUnsignedByte(start) >> 4;
        if (version == 4) {
            int ihl = (p.getUnsignedByte(start) & 0x0f) * 4;
            if (ihl < 20 || length < ihl + 8 || p.getUnsignedByte(start + 9) != 1
                    || p.getUnsignedByte(start + ihl) != ICMP_ECHO_REQUEST) {
                return false;
            }
            swap(p, start + 12, start + 16, 4);
            p.setByte(start + ihl, ICMP_ECHO_REPLY);
            updateChecksum(p, start + ihl + 2, ICMP_ECHO_REQUEST << 8, ICMP_ECHO_REPLY << 8);
            return true;
        }
        if (version == 6) {
            // Echo requests carry no extension headers in practice; anything else is left alone.
            if (length < 48 || p.getUnsignedByte(start + 6) != 58
                    || p.getUnsignedByte(start + 40) != ICMPV6_ECHO_REQUEST) {
                return false;
            }
            swap(p, start + 8, start + 24, 16);
            p.setByte(start + 40, ICMPV6_ECHO_REPLY);
            // The pseudo-header sum is unchanged by the swap; only the type word changed.
            updateChecksum(p, start + 42, ICMPV6_ECHO_REQUEST << 8, ICMPV6_ECHO_REPLY << 8);
            return true;
        }
        return false;
    }

    private static void swap(ByteBuf p, int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            byte x = p.getByte(a + i);
            p.setByte(a + i, p.getByte(b + i));
            p.setByte(b + i, x);
        }
    }

    /** RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m'). */
    private static void updateChecksum(ByteBuf p, int offset, int oldWord, int newWord) {
        int sum = (~p.getUnsignedShort(offset) & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        p.setShort(offset, ~sum & 0xffff);
    }
}
