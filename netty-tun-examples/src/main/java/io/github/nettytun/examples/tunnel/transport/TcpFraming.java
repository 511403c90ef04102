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

import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.examples.tunnel.session.OuterTransport;
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
 *
 * <p>A byte stream cannot resynchronise once a boundary is wrong: every later length would be read from the
 * middle of some message. So when the framing is evidently lost, the connection is closed (the client
 * reconnects and handshakes) instead of waiting for the peer timeout: when a length prefix announces more
 * than the largest message this end accepts (checked as soon as the prefix arrives, so the announced bytes are
 * never buffered), or a frame cannot be a tunnel message ({@link OuterTransport#malformed}). Either counts one
 * {@code malformed}; bytes already read from that connection are discarded. A message that fails
 * authentication or is replayed keeps its frame boundaries, so it costs only itself.
 */
final class TcpFraming {

    /** Bytes of the length prefix. */
    static final int PREFIX = 2;

    private TcpFraming() {
    }

    /**
     * Sets up a connection's pipeline and socket options; {@code maxMessage} is the largest message this end
     * accepts (at most 65535).
     */
    static void init(Channel ch, Peer peer, Channel device, int socketBuffer, int maxMessage) {
        SocketChannelConfig config = (SocketChannelConfig) ch.config();
        // Each message is a whole packet; Nagle would only add latency to the inner connections.
        config.setOption(ChannelOption.TCP_NODELAY, true);
        if (socketBuffer > 0) {
            config.setOption(ChannelOption.SO_RCVBUF, socketBuffer);
            config.setOption(ChannelOption.SO_SNDBUF, socketBuffer);
        }
        ChannelPipeline p = ch.pipeline();
        // failFast: a TooLongFrameException as soon as a too long prefix is read (MessageHandler closes then).
        p.addLast("framer", new LengthFieldBasedFrameDecoder(maxMessage + PREFIX, 0, PREFIX, 0, PREFIX, true));
        p.addLast("tunnel", new MessageHandler(peer, device));
    }

    /** Closes a connection whose framing is lost; {@code why} goes into the (rate-limited) log line. */
    static void framingLost(Channel ch, String why) {
        if (ch.isOpen()) {
            Log.warnLimited("tcp-framing", 10_000, "closing the connection with " + ch.remoteAddress() + ": " + why
                    + "; its framing is lost (corrupted or injected bytes, or a peer with a larger --mtu)");
            ch.close();
        }
    }

    /**
     * Closes the connection a frame came from that cannot be a tunnel message (empty, unknown type or too short):
     * on a byte stream it means the boundaries are lost ({@link OuterTransport#malformed}).
     */
    static void unusableFrame(Object source) {
        if (source instanceof Channel) {
            framingLost((Channel) source, "a frame that cannot be a tunnel message (empty, unknown type or too short)");
        }
    }

    /** Writes the length prefix into the message's headroom and writes it (without flushing). */
    static void write(Channel ch, ByteBuf message) {
        message.setShort(message.readerIndex(), message.readableBytes() - PREFIX);
        ch.write(message, ch.voidPromise());
    }
}
