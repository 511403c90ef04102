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
 * Encodes {@link EthernetFrame}s for a TAP device: addresses, tags, EtherType, then the payload.
 * No padding to 60 bytes is added and no frame check sequence: the kernel accepts short frames
 * from a TAP and computes nothing on them.
 */
public class EthernetEncoder extends MessageToMessageEncoder<EthernetFrame> {

    private final boolean composite;

    /** Creates an encoder that copies the payload behind the header. */
    public EthernetEncoder() {
        this(false);
    }

    /**
     * Creates an encoder.
     *
     * @param composite {@code true} to output a composite of header and payload instead of a copy
     */
    public EthernetEncoder(boolean composite) {
        super(EthernetFrame.class);
        this.composite = composite;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, EthernetFrame frame, List<Object> out) {
        ByteBuf payload = frame.content();
        ByteBuf buf = FrameOutput.allocate(ctx, frame.headerLength(), payload, composite);
        frame.writeHeader(buf);
        out.add(FrameOutput.finish(ctx, buf, payload, composite));
    }
}
