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
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the TCP transport: one connection to the server, on the device's event loop. When
 * it fails or closes, the sessions go with it and the client connects again after a second, for as
 * long as it runs.
 */
public final class TcpClientTransport implements OuterTransport {

    private static final long RECONNECT_MILLIS = 1000;

    private final Channel device;
    private final Peer peer;
    private final InetSocketAddress server;
    private final Bootstrap bootstrap;
    private Channel channel;
    private boolean stopped;
    private boolean started;

    private TcpClientTransport(Channel device, Peer peer, InetSocketAddress server, int socketBuffer,
                               int maxMessage) {
        this.device = device;
        this.peer = peer;
        this.server = server;
        this.bootstrap = new Bootstrap().group(device.eventLoop())
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        TcpFraming.init(ch, peer, device, socketBuffer, maxMessage);
                    }
                });
    }

    /**
     * Starts connecting (on the device's event loop); returns the transport for {@link #stop}. {@code maxMessage}
     * is the largest message this end accepts; a longer length prefix closes the connection (see
     * {@link TcpFraming}).
     */
    public static TcpClientTransport start(Channel device, Peer peer, InetSocketAddress server, int socketBuffer,
                                           int maxMessage) {
        TcpClientTransport t = new TcpClientTransport(device, peer, server, socketBuffer, maxMessage);
        device.eventLoop().execute(t::connect);
        return t;
    }

    /** Stops reconnecting and closes the connection; call on the event loop. */
    public void stop() {
        stopped = true;
        if (channel != null) {
            channel.close();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        if (!started) {
            started = true;
            peer.start(this);
        }
        ChannelFuture f = bootstrap.connect(server);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                Log.warnLimited("tcp-connect", 10_000, "cannot connect to " + server + ": " + done.cause().getMessage()
                        + "; retrying every " + RECONNECT_MILLIS + " ms");
                scheduleConnect();
                return;
            }
            Channel ch = f.channel();
            channel = ch;
            Log.info("connected to " + server + " over TCP");
            ch.closeFuture().addListener(closed -> {
                if (channel == ch) {
                    channel = null;
                    device.config().setAutoRead(true);
                    peer.onLinkDown();
                    scheduleConnect();
                }
            });
            peer.onLinkUp();
        });
    }

    private void scheduleConnect() {
        if (!stopped) {
            device.eventLoop().schedule(this::connect, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public int headroom() {
        return TcpFraming.PREFIX;
    }

    @Override
    public boolean send(ByteBuf message) {
        if (channel == null) {
            message.release();
            return false;
        }
        TcpFraming.write(channel, message);
        return true;
    }

    @Override
    public void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    @Override
    public void authenticated(Object source) {
        // The connection is the peer.
    }

    @Override
    public void malformed(Object source) {
        TcpFraming.unusableFrame(source);
    }

    @Override
    public void setReading(boolean reading) {
        if (channel != null) {
            channel.config().setAutoRead(reading);
        }
    }

    @Override
    public void reconnect() {
        if (channel != null) {
            channel.close();
        }
    }
}
