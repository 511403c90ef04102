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
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * How the encoders put a freshly written header in front of a payload: either one contiguous buffer
 * (one copy of the payload; one {@code write()} iovec, the cheapest choice for MTU-sized packets) or a
 * composite of header and payload (no copy; pays off for large GSO super-packets).
 */
final class FrameOutput {

    private FrameOutput() {
    }

    /**
     * Allocates the buffer the header is written into.
     */
    static ByteBuf allocate(ChannelHandlerContext ctx, int headerLength, ByteBuf payload, boolean composite) {
        return ctx.alloc().ioBuffer(composite ? headerLength : headerLength + payload.readableBytes());
    }

    /**
     * Appends the payload to a buffer from {@link #allocate} holding the written header. Does not
     * release the payload (the encoder's caller does).
     */
    static ByteBuf finish(ChannelHandlerContext ctx, ByteBuf header, ByteBuf payload, boolean composite) {
        if (!composite) {
            return header.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        }
        CompositeByteBuf out = ctx.alloc().compositeDirectBuffer(2);
        out.addComponent(true, header);
        // Flattening keeps nesting shallow when several encoders stack composites.
        out.addFlattenedComponents(true, payload.retainedSlice());
        return out;
    }
}
