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
package io.github.nettytun.examples.echo;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunInterfaceAddress;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TUN device whose far side is this program: it answers pings to every address routed into the
 * device. Start it (as root, ideally inside a network namespace), then ping an address of the device's
 * subnet other than its own:
 *
 * <pre>
 * java ... io.github.nettytun.examples.echo.IcmpEchoServer --name echo%d --address 198.18.0.1/24  *      --address 2001:2::1/64
 * ping 198.18.0.2
 * </pre>
 */
public final class IcmpEchoServer {

    private IcmpEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        String name = "echo%d";
        List<TunInterfaceAddress> addresses = new ArrayList<>();
        int seconds = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name":
                    name = args[++i];
                    break;
                case "--address":
                    addresses.add(TunInterfaceAddress.parse(args[++i]));
                    break;
                case "--seconds":
                    seconds = Integer.parseInt(args[++i]);
                    break;
                case "--help":
                case "-h":
                    System.out.println("usage: IcmpEchoServer [--name tun%d] [--address a.b.c.d/len]... "
                            + "[--seconds n]\n  answers pings sent into a new TUN device; runs until killed, "
                            + "or for n seconds");
                    return;
                default:
                    System.err.println("unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        IcmpEchoHandler handler = new IcmpEchoHandler();
        try {
            Channel ch = new Bootstrap().group(group)
                    .channel(EpollTunChannel.class)
                    .option(TunChannelOption.ADDRESSES, addresses)
                    .handler(handler)
                    .bind(new TunAddress(name)).sync().channel();
            System.out.println("echo server on " + ch.localAddress() + " " + addresses + " - ping any other "
                    + "address of those subnets");
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
                    System.out.println("answered " + handler.answered() + " echo requests, ignored "
                            + handler.ignored() + " other packets")));
            if (seconds > 0) {
                ch.closeFuture().await(seconds, TimeUnit.SECONDS);
                ch.close().sync();
            } else {
                ch.closeFuture().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
