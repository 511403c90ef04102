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

import io.github.nettytun.examples.tunnel.session.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * The TCP framing: every message is preceded by its length as an unsigned 16-bit big-endian number.
 * The sender writes the prefix into the headroom the peer leaves, so a message goes out as one buffer.
 */
final class TcpFraming {

    /** Bytes of the length prefix. */
    static final int PREFIX = 2;

    private TcpFraming() {
    }

    /** Sets up a connection's pipeline and socket options. */
    static void init(Channel ch, Peer peer, Channel device, int socketBuffer) {
        SocketChannelConfig config = (SocketChannelConfig) ch.config();
        // Each message is a whole packet; Nagle would only add latency to the inner connections.
        config.setOption(ChannelOption.TCP_NODELAY, true);
        if (socketBuffer > 0) {
            config.setOption(ChannelOption.SO_RCVBUF, socketBuffer);
            config.setOption(ChannelOption.SO_SNDBUF, socketBuffer);
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("framer", new LengthFieldBasedFrameDecoder(0xffff + PREFIX, 0, PREFIX, 0, PREFIX));
        p.addLast("tunnel", new MessageHandler(peer, device));
    }

    /** Writes the length prefix into the message's headroom and writes it (without flushing). */
    static void write(Channel ch, ByteBuf message) {
        message.setShort(message.readerIndex(), message.readableBytes() - PREFIX);
        ch.write(message, ch.voidPromise());
    }
}
