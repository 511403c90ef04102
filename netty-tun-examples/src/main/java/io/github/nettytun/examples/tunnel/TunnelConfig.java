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

import io.github.nettytun.channel.TunInterfaceAddress;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.examples.tunnel.crypto.CipherSuite;
import io.github.nettytun.examples.tunnel.session.PeerSettings;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validated configuration of one tunnel end, built from {@link TunnelOptions}.
 */
final class TunnelConfig {

    /** Most lanes {@code --queues} allows: each costs a thread, a socket and a port; more than cores gains nothing. */
    static final int MAX_QUEUES = 64;

    /** Outer transport. */
    enum Transport { UDP, TCP }

    final boolean server;
    final Path keyFile;
    final Transport transport;
    final InetSocketAddress listen;
    final InetSocketAddress connect;
    final TunMode deviceMode;
    final String device;
    final List<TunInterfaceAddress> addresses;
    final int mtu;
    final CipherSuite cipher;
    final int compressionLevel;
    final long rekeyMillis;
    final long rekeyPackets;
    final long keepaliveMillis;
    final long peerTimeoutMillis;
    final long handshakeRetryMillis;
    final int replayWindow;
    final int socketBuffer;
    final long statsMillis;
    final boolean offload;
    /** Lanes: queues of one multi-queue device, each with its own socket, peer and event loop. */
    final int queues;

    TunnelConfig(TunnelOptions o) {
        String role = require(o, "role").toLowerCase(Locale.ROOT);
        if (!role.equals("server") && !role.equals("client")) {
            throw new IllegalArgumentException("role must be server or client, not '" + role + "'");
        }
        server = role.equals("server");
        keyFile = Path.of(require(o, "key-file"));
        transport = Transport.valueOf(o.get("transport").toUpperCase(Locale.ROOT));
        listen = server ? endpoint(o.get("listen"), "0.0.0.0") : null;
        connect = server ? null : endpoint(require(o, "connect"), null);
        deviceMode = TunMode.valueOf(o.get("device-mode").toUpperCase(Locale.ROOT));
        device = o.get("device");
        addresses = new ArrayList<>();
        for (String a : o.all("address")) {
            addresses.add(TunInterfaceAddress.parse(a));
        }
        mtu = intIn(o, "mtu", 576, 65000);
        cipher = CipherSuite.fromName(o.get("cipher"));
        compressionLevel = o.isSet("compress") ? intIn(o, "compress-level", 1, 9) : 0;
        rekeyMillis = millis(o, "rekey-seconds");
        rekeyPackets = Long.parseLong(o.get("rekey-packets"));
        keepaliveMillis = millis(o, "keepalive");
        peerTimeoutMillis = millis(o, "peer-timeout");
        handshakeRetryMillis = millis(o, "handshake-retry");
        replayWindow = intIn(o, "replay-window", 64, 1 << 20);
        socketBuffer = intIn(o, "socket-buffer", 0, Integer.MAX_VALUE);
        statsMillis = millis(o, "stats-interval");
        String off = o.get("offload").toLowerCase(Locale.ROOT);
        // "offload" alone in a config file reads as "true", like the other switches there.
        if (off.equals("on") || off.equals("true")) {
            offload = true;
        } else if (off.equals("off") || off.equals("false")) {
            offload = false;
        } else {
            throw new IllegalArgumentException("--offload must be on or off, not '" + off + "'");
        }
        queues = intIn(o, "queues", 1, MAX_QUEUES);
        if (queues > 1) {
            // Lane i uses port base + i on both ends, so the base must be fixed and leave room for every lane.
            InetSocketAddress base = server ? listen : connect;
            if (base.getPort() == 0) {
                throw new IllegalArgumentException("--queues " + queues + " needs a fixed port (lane i uses port + i), "
                        + "not port 0");
            }
            if (base.getPort() + queues - 1 > 65535) {
                throw new IllegalArgumentException("--queues " + queues + " needs ports " + base.getPort() + ".."
                        + (base.getPort() + queues - 1) + ", beyond 65535");
            }
        }
        if (rekeyMillis <= 0 || rekeyPackets <= 0 || keepaliveMillis <= 0 || handshakeRetryMillis <= 0) {
            throw new IllegalArgumentException("rekey, keepalive and retry intervals must be positive");
        }
    }

    /** Returns the largest frame the device delivers: the MTU plus the Ethernet header on a TAP. */
    int maxFrame() {
        return mtu + (deviceMode == TunMode.TAP ? 14 + 8 : 0);
    }

    /** Returns the outer address of lane {@code lane}: the listen (server) or connect (client) port plus the lane. */
    InetSocketAddress laneAddress(int lane) {
        InetSocketAddress base = server ? listen : connect;
        if (lane == 0) {
            return base;
        }
        return base.isUnresolved() ? InetSocketAddress.createUnresolved(base.getHostString(), base.getPort() + lane)
                : new InetSocketAddress(base.getAddress(), base.getPort() + lane);
    }

    PeerSettings peerSettings() {
        return new PeerSettings(!server, cipher, keepaliveMillis, peerTimeoutMillis, handshakeRetryMillis, rekeyMillis,
                rekeyPackets, replayWindow, compressionLevel, maxFrame());
    }

    private static String require(TunnelOptions o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required (try --help)");
        }
        return v;
    }

    private static int intIn(TunnelOptions o, String name, int min, int max) {
        int v = Integer.parseInt(o.get(name));
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + name + " must be within " + min + ".." + max + ", not " + v);
        }
        return v;
    }

    private static long millis(TunnelOptions o, String name) {
        double seconds = Double.parseDouble(o.get(name));
        if (seconds < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return Math.round(seconds * 1000);
    }

    /** Parses {@code host:port}, {@code [v6]:port} or (with a default host) {@code port}. */
    static InetSocketAddress endpoint(String s, String defaultHost) {
        String host;
        String port;
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            if (defaultHost == null) {
                throw new IllegalArgumentException("'" + s + "' needs HOST:PORT");
            }
            host = defaultHost;
            port = s;
        } else {
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
        }
        return new InetSocketAddress(host, Integer.parseInt(port));
    }
}
