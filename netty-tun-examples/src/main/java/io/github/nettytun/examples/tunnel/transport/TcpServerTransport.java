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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the TCP transport: accepts connections on the device's event loop; the connection
 * whose handshake authenticated last is the peer (a reconnecting client replaces its old connection).
 * Connections that do not authenticate within ten seconds are closed.
 */
public final class TcpServerTransport implements OuterTransport {

    private static final long AUTH_TIMEOUT_MILLIS = 10_000;

    private final Channel device;
    private final Peer peer;
    private Channel peerChannel;

    private TcpServerTransport(Channel device, Peer peer) {
        this.device = device;
        this.peer = peer;
    }

    /**
     * Binds the listening socket and starts the peer on it. {@code maxMessage} is the largest message this end
     * accepts; a longer length prefix closes the connection (see {@link TcpFraming}).
     */
    public static ChannelFuture open(Channel device, Peer peer, InetSocketAddress local, int socketBuffer,
                                     int maxMessage) {
        TcpServerTransport t = new TcpServerTransport(device, peer);
        ServerBootstrap b = new ServerBootstrap().group(device.eventLoop(), device.eventLoop())
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        TcpFraming.init(ch, peer, device, socketBuffer, maxMessage);
                        t.accepted(ch);
                    }
                });
        ChannelFuture f = b.bind(local);
        f.addListener(done -> {
            if (done.isSuccess()) {
                peer.start(t);
                peer.onLinkUp();
            }
        });
        return f;
    }

    private void accepted(Channel ch) {
        ch.eventLoop().schedule(() -> {
            if (ch != peerChannel && ch.isOpen()) {
                Log.warnLimited("tcp-unauth", 10_000, "closing " + ch.remoteAddress()
                        + ": no valid handshake within " + AUTH_TIMEOUT_MILLIS + " ms");
                ch.close();
            }
        }, AUTH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(closed -> {
            if (ch == peerChannel) {
                peerChannel = null;
                device.config().setAutoRead(true);
                peer.onLinkDown();
            }
        });
    }

    @Override
    public int headroom() {
        return TcpFraming.PREFIX;
    }

    @Override
    public boolean send(ByteBuf message) {
        Channel ch = peerChannel;
        if (ch == null) {
            message.release();
            return false;
        }
        TcpFraming.write(ch, message);
        return true;
    }

    @Override
    public void flush() {
        if (peerChannel != null) {
            peerChannel.flush();
        }
    }

    @Override
    public void authenticated(Object source) {
        if (source instanceof Channel && source != peerChannel) {
            Channel old = peerChannel;
            peerChannel = (Channel) source;
            Log.info("peer connection is now " + peerChannel.remoteAddress());
            if (old != null) {
                // Its sessions are replaced by the new connection's; do not let its close drop them.
                old.close();
            }
        }
    }

    @Override
    public void malformed(Object source) {
        TcpFraming.unusableFrame(source);
    }

    @Override
    public void setReading(boolean reading) {
        if (peerChannel != null) {
            peerChannel.config().setAutoRead(reading);
        }
    }

    @Override
    public void reconnect() {
        if (peerChannel != null) {
            peerChannel.close();
        }
    }
}
