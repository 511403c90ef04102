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
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.examples.tunnel.crypto.PreSharedKey;
import io.github.nettytun.examples.tunnel.session.Handshake;
import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.examples.tunnel.session.Peer;
import io.github.nettytun.examples.tunnel.session.TunnelStats;
import io.github.nettytun.examples.tunnel.transport.TcpClientTransport;
import io.github.nettytun.examples.tunnel.transport.TcpServerTransport;
import io.github.nettytun.examples.tunnel.transport.UdpTransport;
import io.github.nettytun.examples.tunnel.session.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A VTun-style encrypting tunnel between two hosts: each end owns a TUN (routed) or TAP (bridged)
 * device; frames read from it are sealed with AES-256-GCM or ChaCha20-Poly1305 under per-session keys and
 * sent over UDP or TCP to the other end, which verifies them and writes them to its own device. The
 * device channel, the outer socket and the protocol all run on one event loop thread. With
 * {@code --offload on} (the default, tun mode) the device hands over TSO/USO super-packets that are segmented
 * before sealing, received packets are written back coalesced, and the UDP socket uses GSO/GRO
 * ({@code DeviceOffload}).
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
        Handshake handshake = new Handshake(psk, config.cipher);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            DeviceHandler deviceHandler = new DeviceHandler();
            boolean offload = config.offload && config.deviceMode == TunMode.TUN;
            if (config.offload && !offload) {
                // On by default, so say it quietly: TAP frames are Ethernet, and the segmenting works on IP packets.
                Log.info("offload: tun mode only; off for this tap device");
            }
            DeviceOffload deviceOffload = offload ? new DeviceOffload() : null;
            Bootstrap deviceBootstrap = new Bootstrap().group(group)
                    .channel(EpollTunChannel.class)
                    .option(TunChannelOption.MODE, config.deviceMode)
                    .option(TunChannelOption.ADDRESSES, config.addresses)
                    .option(TunChannelOption.MTU, config.mtu);
            if (offload) {
                deviceBootstrap.option(TunChannelOption.VNET_HDR, true)
                        .option(TunChannelOption.VNET_HDR_SIZE, DeviceOffload.VNET_HDR_SIZE)
                        .option(TunChannelOption.OFFLOADS, DeviceOffload.TCP_OFFLOADS)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                deviceOffload.addTo(ch.pipeline());
                                ch.pipeline().addLast(deviceHandler);
                            }
                        });
            } else {
                deviceBootstrap.handler(deviceHandler);
            }
            Channel device = deviceBootstrap.bind(new TunAddress(config.device)).sync().channel();
            if (offload) {
                deviceOffload.enableUdp((EpollTunChannel) device);
            }
            TunnelStats stats = new TunnelStats();
            Peer peer = new Peer(config.peerSettings(), handshake, device, stats);
            Object[] client = new Object[1];
            ChannelFuture socket = device.eventLoop().submit(() -> {
                deviceHandler.attach(peer);
                return open(config, device, peer, client, offload);
            }).get();
            if (socket != null) {
                socket.sync();
            }
            Log.info((config.server ? "server" : "client") + " up: device " + device.localAddress() + " ("
                    + config.deviceMode.name().toLowerCase() + ", mtu " + config.mtu + ", " + config.addresses + "), "
                    + config.transport.name().toLowerCase() + " " + (config.server ? "listening on " + config.listen
                    : "to " + config.connect) + ", " + config.cipher + ", compression "
                    + (config.compressionLevel > 0 ? "level " + config.compressionLevel : "off") + ", offload "
                    + (offload ? deviceOffload.describe((EpollTunChannel) device)
                       + (config.transport == TunnelConfig.Transport.UDP
                          ? ", udp gso/gro " + (UdpTransport.isGsoSupported() ? "on" : "unsupported") : "")
                       : "off"));
            if (config.statsMillis > 0) {
                device.eventLoop().scheduleAtFixedRate(() -> Log.info(stats.format()), config.statsMillis,
                        config.statsMillis, TimeUnit.MILLISECONDS);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    device.eventLoop().submit(() -> {
                        if (client[0] != null) {
                            ((TcpClientTransport) client[0]).stop();
                        }
                        peer.stop();
                        Log.info(stats.format());
                        if (deviceOffload != null) {
                            Log.info(deviceOffload.stats());
                        }
                        device.close();
                    }).get(2, TimeUnit.SECONDS);
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

    /** Opens the outer socket for the configured role and transport; runs on the event loop. */
    private static ChannelFuture open(TunnelConfig c, Channel device, Peer peer, Object[] client, boolean offload) {
        int maxMessage = c.maxFrame() + WireFormat.DATA_OVERHEAD;
        // Handshake messages do not grow with the MTU; a TCP frame longer than both cannot be meant for this end.
        int maxTcpMessage = Math.max(maxMessage, WireFormat.INIT_LENGTH);
        switch (c.transport) {
            case TCP:
                if (c.server) {
                    return TcpServerTransport.open(device, peer, c.listen, c.socketBuffer, maxTcpMessage);
                }
                client[0] = TcpClientTransport.start(device, peer, c.connect, c.socketBuffer, maxTcpMessage);
                return null;
            default:
                return UdpTransport.open(device, peer, c.server ? c.listen : null, c.server ? null : c.connect,
                        c.socketBuffer, maxMessage, offload);
        }
    }
}
