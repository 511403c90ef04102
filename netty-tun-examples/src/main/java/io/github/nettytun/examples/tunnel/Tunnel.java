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

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannelConfig;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.epoll.EpollTunMultiQueueChannel;
import io.github.nettytun.examples.tunnel.crypto.PreSharedKey;
import io.github.nettytun.examples.tunnel.session.AcceptedInitiations;
import io.github.nettytun.examples.tunnel.session.Handshake;
import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.examples.tunnel.session.TunnelStats;
import io.github.nettytun.examples.tunnel.transport.UdpTransport;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A VTun-style encrypting tunnel between two hosts: each end owns a TUN (routed) or TAP (bridged)
 * device; frames read from it are sealed with AES-256-GCM or ChaCha20-Poly1305 under per-session keys and
 * sent over UDP or TCP to the other end, which verifies them and writes them to its own device. The
 * device channel, the outer socket and the protocol all run on one event loop thread. With
 * {@code --offload on} (the default, tun mode) the device hands over TSO/USO super-packets that are segmented
 * before sealing, received packets are written back coalesced, and the UDP socket uses GSO/GRO
 * ({@code DeviceOffload}). With {@code --queues N} the end runs N {@code Lane}s over one multi-queue device:
 * queue i, an outer socket on port base + i and a peer with its own handshake, each on its own event loop
 * thread; the kernel keeps every flow on one lane, and lane i talks only to lane i of the other end.
 *
 * <pre>
 * java -cp ... io.github.nettytun.examples.tunnel.Tunnel genkey /etc/vt.key
 * java -cp ... io.github.nettytun.examples.tunnel.Tunnel server --key-file /etc/vt.key --address 198.18.10.1/24
 * java -cp ... io.github.nettytun.examples.tunnel.Tunnel client --key-file /etc/vt.key --connect 192.0.2.1:5000 \
 *      --address 198.18.10.2/24
 * </pre>
 *
 * {@code --help} lists every option; see {@code netty-tun-examples/TUNNEL.md} for the protocol.
 */
public final class Tunnel {

    private Tunnel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("genkey")) {
            if (args.length != 2) {
                System.err.println("usage: Tunnel genkey FILE");
                System.exit(2);
            }
            PreSharedKey.generate(Path.of(args[1]));
            System.out.println("wrote a new key to " + args[1] + " (mode 600); copy it to the other end securely");
            return;
        }
        TunnelConfig config;
        try {
            TunnelOptions options = TunnelOptions.parse(args);
            if (options.isSet("help") || args.length == 0) {
                System.out.print(TunnelOptions.help());
                return;
            }
            config = new TunnelConfig(options);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(config);
        } catch (java.io.IOException | io.github.nettytun.channel.TunException e) {
            // Missing key file, no CAP_NET_ADMIN, port in use...: the message says what to do.
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(TunnelConfig config) throws Exception {
        PreSharedKey psk = PreSharedKey.load(config.keyFile, Log::warn);
        int n = config.queues;
        // One event loop thread per lane: its device queue, its socket and its peer never leave it.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(n, EpollIoHandler.newFactory());
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            boolean offload = config.offload && config.deviceMode == TunMode.TUN;
            if (config.offload && !offload) {
                // On by default, so say it quietly: TAP frames are Ethernet, and the segmenting works on IP packets.
                Log.info("offload: tun mode only; off for this tap device");
            }
            Lane[] lanes = new Lane[n];
            for (int i = 0; i < n; i++) {
                lanes[i] = new Lane(i, offload);
            }
            Channel[] queues = new Channel[n];
            // The single-queue channel, or the multi-queue parent whose children are the queues.
            Channel device;
            Set<TunOffload> supportedOffloads;
            if (n == 1) {
                Bootstrap b = deviceOptions(new Bootstrap(), config, offload).group(group)
                        .channel(EpollTunChannel.class)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                lanes[0].initPipeline(ch.pipeline());
                            }
                        });
                device = b.bind(new TunAddress(config.device)).sync().channel();
                queues[0] = device;
                supportedOffloads = ((EpollTunChannel) device).supportedOffloads();
            } else {
                device = bindQueues(config, offload, group, lanes, queues);
                supportedOffloads = ((EpollTunMultiQueueChannel) device).supportedOffloads();
            }
            if (offload && !DeviceOffload.enableUdp(supportedOffloads, (TunChannelConfig) device.config())) {
                for (Lane lane : lanes) {
                    lane.offload.noUdpGro();
                }
            }
            ChannelFuture[] sockets = new ChannelFuture[n];
            // Lanes are independent tunnels under one key: this keeps an initiation from being accepted twice.
            AcceptedInitiations accepted = n > 1 ? new AcceptedInitiations() : null;
            for (int i = 0; i < n; i++) {
                Lane lane = lanes[i];
                Channel queue = queues[i];
                // Its own Handshake too: a lane shares nothing mutable with another lane.
                Handshake handshake = new Handshake(psk, config.cipher);
                sockets[i] = queue.eventLoop().submit(() -> lane.start(queue, config, handshake, offload, accepted))
                        .get();
            }
            for (ChannelFuture socket : sockets) {
                if (socket != null) {
                    socket.sync();
                }
            }
            Log.info(upLine(config, device, offload, n));
            if (config.statsMillis > 0) {
                queues[0].eventLoop().scheduleAtFixedRate(() -> logStats(liveStats(lanes)), config.statsMillis,
                        config.statsMillis, TimeUnit.MILLISECONDS);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    TunnelStats[] last = new TunnelStats[n];
                    for (int i = 0; i < n; i++) {
                        last[i] = lanes[i].device().eventLoop().submit(lanes[i]::stop).get(2, TimeUnit.SECONDS);
                    }
                    logStats(last);
                    if (offload) {
                        List<DeviceOffload> offloads = new ArrayList<>(n);
                        for (Lane lane : lanes) {
                            offloads.add(lane.offload);
                        }
                        Log.info(DeviceOffload.stats(offloads));
                    }
                    device.close().await(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    Log.warn("shutdown: " + e);
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
                stopped.countDown();
            }, "tunnel-shutdown"));
            device.closeFuture().sync();
            stopped.await();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Sets the device options both kinds of device share. */
    private static <B extends AbstractBootstrap<B, ?>> B deviceOptions(B b, TunnelConfig config, boolean offload) {
        b.option(TunChannelOption.MODE, config.deviceMode)
                .option(TunChannelOption.ADDRESSES, config.addresses)
                .option(TunChannelOption.MTU, config.mtu);
        if (offload) {
            b.option(TunChannelOption.VNET_HDR, true)
                    .option(TunChannelOption.VNET_HDR_SIZE, DeviceOffload.VNET_HDR_SIZE)
                    .option(TunChannelOption.OFFLOADS, DeviceOffload.TCP_OFFLOADS);
        }
        return b;
    }

    /**
     * Creates the multi-queue device and waits until each queue is registered, with lane i's handlers, on
     * an event loop of its own. Returns the parent channel.
     */
    private static Channel bindQueues(TunnelConfig config, boolean offload, EventLoopGroup group, Lane[] lanes,
                                      Channel[] queues) throws Exception {
        int n = lanes.length;
        CountDownLatch registered = new CountDownLatch(n);
        // Parent and queues share the group: the parent does no I/O, and ServerBootstrap registers the n queues
        // with n consecutive next() calls of a round-robin chooser, so each queue gets a thread of its own.
        ServerBootstrap b = deviceOptions(new ServerBootstrap(), config, offload).group(group)
                .channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.QUEUES, n)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Lane i takes the queue opened i-th, so lane numbers are stable from run to run.
                        int i = ((EpollTunMultiQueueChannel) ch.parent()).queues().indexOf(ch);
                        lanes[i].initPipeline(ch.pipeline());
                        queues[i] = ch;
                        registered.countDown();
                    }
                });
        Channel parent = b.bind(new TunAddress(config.device)).sync().channel();
        if (!registered.await(5, TimeUnit.SECONDS)) {
            parent.close();
            throw new IllegalStateException("only " + (n - registered.getCount()) + " of " + n + " queues of "
                    + parent.localAddress() + " were registered within 5 s");
        }
        Set<EventLoop> loops = new HashSet<>();
        for (Channel q : queues) {
            loops.add(q.eventLoop());
        }
        if (loops.size() != n) {
            Log.warn("the " + n + " queues share " + loops.size() + " event loops: lanes are not independent");
        }
        return parent;
    }

    private static String upLine(TunnelConfig config, Channel device, boolean offload, int n) {
        InetSocketAddress base = config.server ? config.listen : config.connect;
        String ports = n == 1 ? "" : " (lane i on port " + base.getPort() + "+i, " + base.getPort() + ".."
                + (base.getPort() + n - 1) + ")";
        TunChannelConfig deviceConfig = (TunChannelConfig) device.config();
        return (config.server ? "server" : "client") + " up: device " + device.localAddress() + " ("
                + config.deviceMode.name().toLowerCase() + ", mtu " + config.mtu + ", " + config.addresses
                + (n == 1 ? "" : ", " + n + " queues") + "), "
                + config.transport.name().toLowerCase() + " " + (config.server ? "listening on " + config.listen
                : "to " + config.connect) + ports + ", " + config.cipher + ", compression "
                + (config.compressionLevel > 0 ? "level " + config.compressionLevel : "off") + ", offload "
                + (offload ? DeviceOffload.describe(deviceConfig)
                   + (config.transport == TunnelConfig.Transport.UDP
                      ? ", udp gso/gro " + (UdpTransport.isGsoSupported() ? "on" : "unsupported") : "")
                   : "off");
    }

    private static TunnelStats[] liveStats(Lane[] lanes) {
        TunnelStats[] stats = new TunnelStats[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            stats[i] = lanes[i].stats;
        }
        return stats;
    }

    /**
     * Logs the stats line (lane i's counters are {@code lanes[i]}): with several lanes their sum, then one
     * line with each lane's packet and handshake counts (worded so that it never reads as a second stats line).
     */
    private static void logStats(TunnelStats[] lanes) {
        if (lanes.length == 1) {
            Log.info(lanes[0].format());
            return;
        }
        TunnelStats total = new TunnelStats();
        StringBuilder perLane = new StringBuilder("lanes:");
        for (int i = 0; i < lanes.length; i++) {
            // A copy first, so that the sum and the lane's numbers agree even while the lane counts on.
            TunnelStats s = new TunnelStats();
            s.add(lanes[i]);
            total.add(s);
            perLane.append(i == 0 ? " #" : "; #").append(i)
                    .append(" device->peer/peer->device ").append(s.devicePackets()).append('/')
                    .append(s.peerPackets()).append(" pkts, handshakes ").append(s.handshakes());
        }
        Log.info(total.format());
        Log.info(perLane.toString());
    }
}
