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

import io.github.nettytun.codec.IcmpEcho;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.LongAdder;

/**
 * Answers ICMP (IPv4) and ICMPv6 echo requests that arrive on a TUN device without packet
 * information header, as the host behind the device would: the request becomes the reply in place
 * (addresses swapped, type changed, checksums fixed) and goes back out of the same
 * channel ({@link IcmpEcho#toReplyInPlace(ByteBuf)}: no copy, no allocation). Every other packet is counted
 * and released.
 */
@ChannelHandler.Sharable
public final class IcmpEchoHandler extends ChannelInboundHandlerAdapter {

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

    private static boolean turnIntoReply(ByteBuf packet) {
        // Swaps the addresses, sets the reply type and fixes the checksums in place; false for anything else.
        return IcmpEcho.toReplyInPlace(packet);
    }
}
