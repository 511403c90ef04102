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
package io.github.nettytun.testsuite.support;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * A separate program that {@link UnprivilegedProcess} starts as an unprivileged user: it binds an
 * {@link EpollTunChannel} to the device named on the command line and prints {@code ATTACHED <name>
 * <flags>} or {@code FAILED errno=<n> <message>}.
 */
public final class AttachProbe {

    private AttachProbe() {
    }

    public static void main(String[] args) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        int exit = 0;
        try {
            ChannelFuture f = new Bootstrap().group(group).channel(EpollTunChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new TunAddress(args[0])).await();
            if (f.isSuccess()) {
                Channel ch = f.channel();
                System.out.println("ATTACHED " + ch.localAddress() + " "
                        + TunFlags.toString(((EpollTunChannel) ch).deviceFlags()));
                ch.close().sync();
            } else {
                Throwable cause = f.cause();
                while (cause.getCause() != null && !(cause instanceof TunException)) {
                    cause = cause.getCause();
                }
                int errno = cause instanceof TunException ? ((TunException) cause).errno() : -1;
                System.out.println("FAILED errno=" + errno + " " + cause.getMessage());
                exit = 3;
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
        System.exit(exit);
    }
}
