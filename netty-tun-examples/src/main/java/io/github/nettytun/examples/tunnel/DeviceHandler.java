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
package io.github.nettytun.examples.tunnel;

import io.github.nettytun.examples.tunnel.session.DropReason;
import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.examples.tunnel.session.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The device channel's handler: every frame read goes to the {@link Peer}; the transport is flushed once
 * per read batch (so a burst of frames leaves in one {@code sendmmsg} or one TCP write); frames the
 * device refuses are counted.
 */
final class DeviceHandler extends ChannelInboundHandlerAdapter {

    private Peer peer;

    /** Starts handing frames to {@code peer}; until then they are dropped. Call on the event loop. */
    void attach(Peer peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null || !(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.onDeviceFrame((ByteBuf) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer != null) {
            peer.flushTransport();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The device's send queue is full: stop reading the socket rather than queueing without bound.
        if (peer != null) {
            peer.onDeviceWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A write the kernel refused (e.g. not an IP packet): count it, never let it close the device.
        if (peer != null) {
            peer.stats().drop(DropReason.DEVICE_WRITE);
        }
        Log.warnLimited("device", 10_000, "device " + ctx.channel().localAddress() + ": " + cause.getMessage());
    }
}
