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
package io.github.nettytun.examples.tunnel.transport;

import io.github.nettytun.examples.tunnel.session.DropReason;
import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.examples.tunnel.session.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an outer socket's pipeline: hands each message (a datagram, or a TCP frame
 * without its length prefix) to the {@link Peer}, flushes the device once per read batch, and turns
 * the socket's writability into back-pressure on the device.
 */
@ChannelHandler.Sharable
final class MessageHandler extends ChannelInboundHandlerAdapter {

    private final Peer peer;
    private final Channel device;

    MessageHandler(Peer peer, Channel device) {
        this.peer = peer;
        this.device = device;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            peer.onMessage(packet.content(), packet.sender());
        } else if (msg instanceof ByteBuf) {
            if (!ctx.channel().isActive()) {
                // The decoder still hands on frames it had cut from a connection closed because its framing was
                // lost (TcpFraming): they cannot be trusted to be whole messages, so they are not looked at.
                ((ByteBuf) msg).release();
                return;
            }
            peer.onMessage((ByteBuf) msg, ctx.channel());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush (one wake-up of the device's write path) per batch of socket reads.
        peer.flushDevice();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // While the socket cannot take more, leave frames in the device's queue instead of buffering them.
        device.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // Only TCP connections have a decoder: a length prefix beyond the largest message (TcpFraming).
            if (ctx.channel().isActive()) {
                peer.stats().drop(DropReason.MALFORMED);
            }
            TcpFraming.framingLost(ctx.channel(), cause.getMessage());
            return;
        }
        Log.warnLimited("socket", 10_000, "outer socket " + ctx.channel() + ": " + cause);
    }
}
