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
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.internal.ObjectUtil;

import java.util.List;

/**
 * Base of the frame decoders: takes a {@link ByteBuf} (or the content of an outer frame message it
 * accepts), decodes one header, and passes on a message holding a retained slice of the rest.
 *
 * <p>Malformed frames are counted in {@link #dropCounters()} and then dropped or raised according to
 * {@link #policy()}; the input is released in both cases (by {@link MessageToMessageDecoder}).
 * Subclasses must validate the whole header before they take a slice, so that a refused frame never
 * leaves a buffer behind.
 */
public abstract class AbstractFrameDecoder extends MessageToMessageDecoder<Object> {

    private final MalformedFramePolicy policy;
    private final DropCounters counters;

    /**
     * Creates a decoder.
     *
     * @param policy   what to do with malformed frames
     * @param counters where to count them; may be shared between decoders
     */
    protected AbstractFrameDecoder(MalformedFramePolicy policy, DropCounters counters) {
        super(Object.class);
        this.policy = ObjectUtil.checkNotNull(policy, "policy");
        this.counters = ObjectUtil.checkNotNull(counters, "counters");
    }

    /**
     * Returns what this decoder does with malformed frames.
     *
     * @return the policy
     */
    public final MalformedFramePolicy policy() {
        return policy;
    }

    /**
     * Returns the counts of frames this decoder refused, per reason.
     *
     * @return the counters given at construction
     */
    public final DropCounters dropCounters() {
        return counters;
    }

    @Override
    public final boolean acceptInboundMessage(Object msg) {
        return msg instanceof ByteBuf || acceptOuterFrame(msg);
    }

    /**
     * Returns whether this decoder decodes the {@linkplain ByteBufHolder#content() content} of an
     * outer frame message, such as the packet carried by a {@link TunPiFrame}. The outer header is
     * then discarded. Other messages pass by untouched.
     *
     * @param msg an inbound message that is not a {@link ByteBuf}
     * @return {@code true} to decode its content
     */
    protected boolean acceptOuterFrame(Object msg) {
        return false;
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ByteBuf frame = msg instanceof ByteBuf ? (ByteBuf) msg : ((ByteBufHolder) msg).content();
        Object decoded;
        try {
            decoded = decodeFrame(frame);
        } catch (MalformedFrameException e) {
            counters.increment(e.reason());
            if (policy == MalformedFramePolicy.FAIL) {
                throw e;
            }
            return;
        }
        out.add(decoded);
    }

    /**
     * Decodes one frame. Must not change the frame's reference count or indexes, and must throw
     * before allocating or retaining anything when the frame is malformed.
     *
     * @param frame the readable bytes of the frame
     * @return the message, holding a retained slice of {@code frame}
     * @throws MalformedFrameException when the frame is malformed
     */
    protected abstract Object decodeFrame(ByteBuf frame);
}
