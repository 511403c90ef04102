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
package io.github.nettytun.codec.pcap;

import io.github.nettytun.codec.TunPiFrame;
import io.github.nettytun.codec.VirtioNetFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.internal.ObjectUtil;

/**
 * Copies every frame passing through it, inbound and outbound, to a {@link PcapWriter}, and passes the
 * frame on unchanged.
 *
 * <p>Place it next to the channel, before the decoders. Frames are {@link ByteBuf}s whose first
 * {@code skipBytes} bytes (the PI header, 4, and/or the virtio-net header, 10 or 12) are left out of
 * the capture so that the file holds bare IP packets ({@link PcapWriter#LINKTYPE_RAW}) or Ethernet
 * frames ({@link PcapWriter#LINKTYPE_ETHERNET}). {@link TunPiFrame}s and {@link VirtioNetFrame}s are
 * captured by their content, without skipping. Other messages are not captured.
 *
 * <p>Sharable: a multiqueue device may use one handler (and one file) for all its queues; the
 * writer serialises them. The writer is flushed at the end of each read batch and on each outbound
 * flush, so the file lags by at most one batch. The handler does not close the writer: its owner does.
 */
@ChannelHandler.Sharable
public class PcapCaptureHandler extends ChannelDuplexHandler {

    private final PcapWriter writer;
    private final int skipBytes;

    /**
     * Creates a handler.
     *
     * @param writer    where to write
     * @param skipBytes how many leading bytes of a {@link ByteBuf} frame to leave out
     */
    public PcapCaptureHandler(PcapWriter writer, int skipBytes) {
        this.writer = ObjectUtil.checkNotNull(writer, "writer");
        this.skipBytes = ObjectUtil.checkPositiveOrZero(skipBytes, "skipBytes");
    }

    /** @return the writer */
    public PcapWriter writer() {
        return writer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        capture(msg);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        writer.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        capture(msg);
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) throws Exception {
        writer.flush();
        ctx.flush();
    }

    private void capture(Object msg) {
        ByteBuf buf;
        int skip;
        if (msg instanceof ByteBuf) {
            buf = (ByteBuf) msg;
            skip = skipBytes;
        } else if (msg instanceof TunPiFrame || msg instanceof VirtioNetFrame) {
            buf = ((ByteBufHolder) msg).content();
            skip = 0;
        } else {
            return;
        }
        int length = buf.readableBytes() - skip;
        if (length > 0 && buf.refCnt() > 0) {
            writer.write(buf, buf.readerIndex() + skip, length);
        }
    }
}
