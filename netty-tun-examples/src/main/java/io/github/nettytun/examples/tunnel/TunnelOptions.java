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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tunnel's options: their names, defaults and help, and parsing from the command line and a
 * config file. A config file holds one {@code name = value} (or {@code name value}) per line, with the
 * option names of the command line without dashes; {@code #} starts a comment. Command-line values
 * override the file's.
 */
final class TunnelOptions {

    /** One option; {@code arg == null} for a switch. */
    static final class Option {
        final String name;
        final String arg;
        final String defaultValue;
        final String help;
        final boolean repeatable;

        Option(String name, String arg, String defaultValue, boolean repeatable, String help) {
            this.name = name;
            this.arg = arg;
            this.defaultValue = defaultValue;
            this.repeatable = repeatable;
            this.help = help;
        }
    }

    static final List<Option> OPTIONS = List.of(
            new Option("role", "server|client", null, false,
                    "server: waits for the client (UDP: learns its address from its first authenticated message; "
                    + "TCP: listens). client: starts handshakes and reconnects. May also be given as the first word"),
            new Option("config", "FILE", null, false, "read options from FILE (name = value per line)"),
            new Option("key-file", "FILE", null, false,
                    "pre-shared key file, the same on both ends (at least 16 bytes; make one with 'genkey FILE'); "
                    + "a warning is logged if group or others can read it"),
            new Option("transport", "udp|tcp", "udp", false,
                    "outer transport: one UDP datagram per frame, or a TCP connection with 2-byte length prefixes"),
            new Option("listen", "[HOST:]PORT", "0.0.0.0:5000", false, "server: address to bind the outer socket to"),
            new Option("connect", "HOST:PORT", null, false, "client: the server's outer address (required for a client)"),
            new Option("device-mode", "tun|tap", "tun", false,
                    "tun: IP packets, routed (layer 3); tap: Ethernet frames, bridged (layer 2)"),
            new Option("device", "NAME", "vt%d", false, "device name; %d lets the kernel pick a number"),
            new Option("address", "CIDR", null, true,
                    "address with prefix for the device, e.g. 198.18.10.1/24 or 2001:2:0:10::1/64 (repeatable; none: "
                    + "leave addressing to someone else)"),
            new Option("mtu", "BYTES", "1400", false,
                    "device MTU; keep MTU + 29 (+14 for tap) + outer IP/UDP headers within the outer path MTU"),
            new Option("cipher", "NAME", "aes-256-gcm", false, "aes-256-gcm or chacha20-poly1305; the same on both ends"),
            new Option("compress", null, null, false,
                    "deflate each frame before encrypting it (off by default: costs CPU and leaks sizes, see TUNNEL.md)"),
            new Option("compress-level", "1-9", "1", false, "deflate level with --compress"),
            new Option("rekey-seconds", "SECONDS", "120", false, "client: new session keys after this long"),
            new Option("rekey-packets", "N", "100000000", false, "client: new session keys after this many messages"),
            new Option("keepalive", "SECONDS", "10", false, "send a keepalive when nothing was sent for this long"),
            new Option("peer-timeout", "SECONDS", "30", false,
                    "drop the session when nothing arrived for this long; the client then handshakes (and for TCP, "
                    + "reconnects) again; must exceed --keepalive"),
            new Option("handshake-retry", "SECONDS", "1", false, "client: repeat an unanswered handshake after this long"),
            new Option("replay-window", "PACKETS", "2048", false,
                    "how far out of order a message may arrive and still be accepted (once)"),
            new Option("socket-buffer", "BYTES", "4194304", false,
                    "SO_RCVBUF and SO_SNDBUF of the outer socket (the kernel caps them at net.core.*mem_max)"),
            new Option("offload", "on|off", "on", false,
                    "tun mode: read TSO/USO super-packets from the device (IFF_VNET_HDR) and segment them before "
                    + "sealing, coalesce received packets into super-packets on write (GRO), and batch datagrams "
                    + "with UDP GSO/GRO on the outer socket; each end decides alone, the wire format is the same; off: one "
                    + "packet per device read/write and per datagram"),
            new Option("queues", "N", "1", false,
                    "run N independent lanes over one multi-queue device (IFF_MULTI_QUEUE, 1.."
                    + TunnelConfig.MAX_QUEUES + "): lane i is queue i of the device, an outer socket on port "
                    + "listen+i (server) or connect+i (client), its own handshake and session keys, and its own event "
                    + "loop thread; the kernel keeps each flow on one lane. Works with udp and tcp, tun and tap. Both "
                    + "ends need the same N; 1: one single-queue device, one socket"),
            new Option("stats-interval", "SECONDS", "60", false, "print the stats line this often (0: only on exit)"),
            new Option("help", null, null, false, "print this help"));

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private TunnelOptions() {
    }

    /** Parses command-line words (and the config file they name). */
    static TunnelOptions parse(String[] args) throws IOException {
        Map<String, List<String>> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i == 0 && !a.startsWith("-")) {
                put(cli, "role", a);
                continue;
            }
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (try --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = option(name);
            if (o.arg == null) {
                put(cli, name, value == null ? "true" : value);
            } else {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value " + o.arg);
                    }
                    value = args[++i];
                }
                put(cli, name, value);
            }
        }
        TunnelOptions options = new TunnelOptions();
        List<String> config = cli.get("config");
        if (config != null) {
            options.readFile(Path.of(config.get(0)));
        }
        // Command line wins: its values replace the file's, repeatable ones as a whole.
        options.values.putAll(cli);
        return options;
    }

    private void readFile(Path file) throws IOException {
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            int hash = line.indexOf('#');
            String s = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (s.isEmpty()) {
                continue;
            }
            int sep = s.indexOf('=');
            if (sep < 0) {
                sep = s.indexOf(' ');
            }
            String name = (sep < 0 ? s : s.substring(0, sep)).trim();
            String value = sep < 0 ? "true" : s.substring(sep + 1).trim();
            try {
                option(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage());
            }
            if (name.equals("config")) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": config files do not nest");
            }
            put(values, name, value);
        }
    }

    private static void put(Map<String, List<String>> map, String name, String value) {
        Option o = option(name);
        List<String> list = map.computeIfAbsent(name, k -> new ArrayList<>());
        if (!o.repeatable) {
            list.clear();
        }
        list.add(value);
    }

    private static Option option(String name) {
        for (Option o : OPTIONS) {
            if (o.name.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown option '" + name + "' (try --help)");
    }

    /** Returns the value, the default, or {@code null}. */
    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? option(name).defaultValue : v.get(v.size() - 1);
    }

    /** Returns every value of a repeatable option. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Returns whether a switch is on. */
    boolean isSet(String name) {
        String v = get(name);
        return v != null && !v.equalsIgnoreCase("false") && !v.equals("0") && !v.equalsIgnoreCase("no");
    }

    /** Returns the help text. */
    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: Tunnel server|client --key-file FILE [options]\n")
          .append("       Tunnel genkey FILE       (writes a new random key, mode 600)\n\n")
          .append("A VTun-style tunnel: frames read from a TUN/TAP device are encrypted (AEAD, per-session keys from an\n")
          .append("X25519 handshake authenticated by the pre-shared key) and sent over UDP or TCP to the peer, which\n")
          .append("writes them to its own device. Runs until SIGINT/SIGTERM; prints a stats line periodically and at exit.\n\n")
          .append("options (also as 'name = value' lines in a --config file; the command line wins):\n");
        for (Option o : OPTIONS) {
            String head = "  --" + o.name + (o.arg == null ? "" : " " + o.arg);
            sb.append(head);
            sb.append(head.length() < 30 ? " ".repeat(30 - head.length()) : "\n" + " ".repeat(30));
            sb.append(o.help);
            if (o.defaultValue != null) {
                sb.append(" [").append(o.defaultValue).append(']');
            }
            if (o.repeatable) {
                sb.append(" (repeatable)");
            }
            sb.append('\n');
        }
        sb.append("\nexample:\n")
          .append("  Tunnel genkey /etc/vt.key   # copy it to the other end, keep it mode 600\n")
          .append("  Tunnel server --key-file /etc/vt.key --listen 5000 --address 198.18.10.1/24\n")
          .append("  Tunnel client --key-file /etc/vt.key --connect 192.0.2.1:5000 --address 198.18.10.2/24\n");
        return sb.toString();
    }
}
