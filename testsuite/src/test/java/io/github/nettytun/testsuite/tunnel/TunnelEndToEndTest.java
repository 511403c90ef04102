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
package io.github.nettytun.testsuite.tunnel;

import io.github.nettytun.testsuite.support.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example tunnel end to end: two child JVMs (server and client) in two namespaces with real TUN/TAP
 * devices, traffic from the client's namespace to the server's overlay address, and a man in the middle
 * for the attacks. See {@link TunnelTestBed} for the topology.
 */
@Timeout(90)
class TunnelEndToEndTest extends AbstractTunnelTest {

    private static final long BULK_BYTES = 16L << 20;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"udp, aes-256-gcm", "udp, chacha20-poly1305", "tcp, aes-256-gcm", "tcp, chacha20-poly1305"})
    void pingAndBulkTransfer(String transport, String cipher) throws Exception {
        Path key = bed.keyFile("k", SECRET);
        TunnelProcess server = server("server", key, "--transport", transport, "--cipher", cipher);
        TunnelProcess client = client("client", key, direct(), "--transport", transport, "--cipher", cipher);
        awaitSession(client, server);

        assertEquals(3, bed.pingServer(3), "pings through the tunnel");
        assertBulkTransfer(ThreadLocalRandom.current().nextLong());
        long[] stats = stopAndStats(client);
        assertTrue(stats[0] > 1000, "client sent the bulk data through the tunnel: " + Arrays.toString(stats));
        assertEquals(0, client.lastDrop("auth-failed"));
        assertEquals(0, server.lastDrop("auth-failed"));
    }

    /**
     * {@code --offload} (on by default, so the tests above run with it too): TSO super-packets read on the
     * client, segmented, sealed and sent with UDP GSO; received with UDP GRO and written coalesced on the
     * server. Also one end on and the other off, since each end decides alone. The data must arrive intact
     * and neither kernel may count a checksum error (the segmenter and coalescer write checksums).
     */
    @ParameterizedTest(name = "{0} server {1} client {2}")
    @CsvSource({"udp, on, on", "tcp, on, on", "udp, on, off", "udp, off, on", "udp, off, off"})
    void offloadModes(String transport, String serverOffload, String clientOffload) throws Exception {
        Path key = bed.keyFile("k", SECRET);
        TunnelProcess server = server("server", key, "--transport", transport, "--offload", serverOffload);
        TunnelProcess client = client("client", key, direct(), "--transport", transport, "--offload", clientOffload);
        awaitSession(client, server);
        assertTrue(client.log().contains("offload " + clientOffload), client.log());

        assertEquals(3, bed.pingServer(3), "pings through the tunnel");
        assertBulkTransfer(ThreadLocalRandom.current().nextLong());
        stopAndStats(client);
        stopAndStats(server);
        long[] clientOffloads = offloadLine(client);
        long[] serverOffloads = offloadLine(server);
        if (clientOffload.equals("on")) {
            assertTrue(clientOffloads[0] > 0 && clientOffloads[1] > clientOffloads[0],
                    "the client read and segmented super-packets: " + Arrays.toString(clientOffloads));
        } else {
            assertNull(clientOffloads, client.log());
        }
        if (serverOffload.equals("on")) {
            assertTrue(serverOffloads[3] > 0 && serverOffloads[2] > serverOffloads[3],
                    "the server wrote coalesced super-packets: " + Arrays.toString(serverOffloads));
        } else {
            assertNull(serverOffloads, server.log());
        }
        for (String ns : new String[] {bed.nsServer, bed.nsClient}) {
            String snmp = Commands.run(10, "ip", "netns", "exec", ns, "cat", "/proc/net/snmp").output;
            assertEquals(0, snmpCounter(snmp, "Tcp", "InCsumErrors"), ns + ":\n" + snmp);
            assertEquals(0, snmpCounter(snmp, "Ip", "InHdrErrors"), ns + ":\n" + snmp);
        }
        assertEquals(0, client.lastDrop("auth-failed"));
        assertEquals(0, server.lastDrop("auth-failed"));
        assertEquals(0, server.lastDrop("device-write"));
    }

    @Test
    void compressionOn() throws Exception {
        Path key = bed.keyFile("k", SECRET);
        TunnelProcess server = server("server", key, "--compress");
        TunnelProcess client = client("client", key, direct(), "--compress", "--compress-level", "6");
        awaitSession(client, server);
        assertEquals(3, bed.pingServer(3));
        assertBulkTransfer(7);
        assertEquals(0, server.lastDrop("bad-compression"));
    }

    @Test
    void wrongKeyPassesNothing() throws Exception {
        TunnelProcess server = server("server", bed.keyFile("k1", SECRET));
        TunnelProcess client = client("client", bed.keyFile("k2", "another secret, not the server's one"), direct());
        assertTrue(server.awaitLog("authentication failed", 10_000), "server says why:\n" + server.log());
        assertTrue(client.awaitLog("no handshake response after 5 attempts", 10_000), "client says why:\n"
                + client.log());
        assertEquals(0, bed.pingServer(2), "nothing passes with the wrong key");
        assertEquals(0, server.count("set up"), server.log());
        long[] serverStats = stopAndStats(server);
        assertEquals(0, serverStats[1], "frames written to the server's device");
        assertTrue(server.lastDrop("handshake-failed") > 0);
    }

    @Test
    void tamperedAndReplayedMessagesNeverReachTheDevice() throws Exception {
        Path key = bed.keyFile("k", SECRET);
        InetSocketAddress relayAddress = new InetSocketAddress(TunnelTestBed.ROUTER_TO_CLIENT, 6000);
        try (UdpRelay relay = new UdpRelay(relayAddress, TunnelTestBed.ROUTER_TO_SERVER,
                new InetSocketAddress(TunnelTestBed.SERVER_UNDERLAY, 5000))) {
            TunnelProcess server = server("server", key);
            TunnelProcess client = client("client", key, TunnelTestBed.ROUTER_TO_CLIENT + ":6000");
            awaitSession(client, server);
            assertEquals(3, bed.pingServer(3));
            Thread.sleep(800);
            long[] before = server.lastStats();
            assertNotNull(before);

            List<byte[]> data = relay.captured(3);
            assertTrue(data.size() >= 3, "captured the echo requests");
            int forged = 0;
            for (byte[] d : data) {
                relay.inject(d);                                   // replayed as is
                byte[] body = d.clone();
                body[body.length - 20] ^= 0x01;                    // a flipped ciphertext bit: its counter was
                relay.inject(body);                                // seen, so the window already refuses it
                byte[] counter = d.clone();
                counter[5] ^= 0x01;                                // a counter 2^56 ahead, under the old tag: if it
                relay.inject(counter);                             // moved the window, the pings below would fail
                forged++;
            }
            relay.inject(Arrays.copyOf(data.get(0), 10));         // truncated
            relay.inject(new byte[] {9, 1, 2, 3});                 // unknown type
            byte[] stranger = data.get(0).clone();
            stranger[1] ^= 0x55;                                   // a session nobody has
            relay.inject(stranger);
            for (byte[] init : relay.captured(1)) {
                relay.inject(init);                                // replayed handshake initiation
            }
            Thread.sleep(1000);

            long[] after = server.lastStats();
            assertEquals(before[1], after[1], "frames written to the server's device must not change");
            assertEquals(before[2], after[2], "no new session from a replayed initiation");
            assertTrue(server.lastDrop("replayed") >= 2L * data.size(), server.log());
            assertTrue(server.lastDrop("auth-failed") >= forged, server.log());
            assertTrue(server.lastDrop("malformed") >= 2, server.log());
            assertTrue(server.lastDrop("unknown-session") >= 1, server.log());
            assertTrue(server.lastDrop("handshake-failed") >= 1, server.log());
            assertEquals(2, bed.pingServer(2), "the real session still works: forgeries did not move the window");
        }
    }

    /**
     * The TCP transport under a man in the middle ({@link TcpRelay}): during a checksummed bulk transfer two
     * data messages are altered and one is sent twice; afterwards early messages are replayed, forged with a
     * counter far ahead, and sent to a session nobody has. Each is dropped alone and counted by its reason while
     * the stream goes on: the transfer arrives intact (the inner TCP resends what was dropped), the connection
     * stays, and the server's device gets exactly the data messages that crossed the relay untouched.
     */
    @Test
    void tcpTamperedAndReplayedMessagesNeverReachTheDevice() throws Exception {
        Path key = bed.keyFile("k", SECRET);
        try (TcpRelay relay = tcpRelay()) {
            TunnelProcess server = server("server", key, "--transport", "tcp");
            TunnelProcess client = client("client", key, relayed(), "--transport", "tcp");
            awaitSession(client, server);
            assertEquals(3, bed.pingServer(3), "pings through the relay");

            relay.flipInDataMessage(50);
            relay.duplicateDataMessage(100);
            relay.flipInDataMessage(200);
            assertBulkTransfer(ThreadLocalRandom.current().nextLong());
            assertTrue(relay.planDone(), "the transfer carried at least 200 data messages");

            List<byte[]> early = relay.captured(TcpRelay.TYPE_DATA).subList(0, 3);
            int replays = 0;
            int forgeries = 0;
            for (byte[] frame : early) {
                relay.inject(frame);                               // far behind the window by now
                replays++;
                byte[] ahead = frame.clone();
                ahead[TcpRelay.PREFIX + 5] ^= 0x01;                // a counter 2^56 ahead under the old tag: if it
                relay.inject(ahead);                               // moved the window, the pings below would fail
                forgeries++;
            }
            byte[] stranger = early.get(0).clone();
            stranger[TcpRelay.PREFIX + 1] ^= 0x55;                 // a session nobody has
            relay.inject(stranger);

            long authFailed = relay.flipped() + forgeries;
            long replayed = relay.duplicated() + replays;
            assertEquals(2, relay.flipped());
            assertEquals(1, relay.duplicated());
            awaitDrop(server, "auth-failed", authFailed);
            awaitDrop(server, "replayed", replayed);
            awaitDrop(server, "unknown-session", 1);
            assertEquals(2, bed.pingServer(2), "the session still works: forgeries did not move the window");
            assertEquals(1, relay.connections(), "bad messages must not cost the connection");

            // Stopping the client closes the connection; once the server has seen that, it has read every frame.
            client.stop();
            assertTrue(server.awaitLog("connection to the peer lost", 10_000), server.log());
            long[] stats = stopAndStats(server);
            System.out.println("tcp tamper: relay forwarded " + relay.intactDataMessages() + " data messages intact, "
                    + relay.flipped() + " altered, " + relay.duplicated() + " twice; injected " + replays + " replays, "
                    + forgeries + " forged counters, 1 unknown session; server " + lastStatsLine(server));
            assertEquals(relay.intactDataMessages(), stats[1],
                    "the device got exactly the untouched data messages: nothing altered or replayed, nothing lost");
            assertEquals(1, stats[2], "handshakes");
            assertEquals(authFailed, server.lastDrop("auth-failed"), server.log());
            assertEquals(replayed, server.lastDrop("replayed"), server.log());
            assertEquals(1, server.lastDrop("unknown-session"), server.log());
            assertEquals(0, server.lastDrop("malformed"), server.log());
        }
    }

    /**
     * Bytes that break the TCP framing (a frame too short or of an unknown type, an empty frame, a length
     * prefix beyond any message): the server cannot trust the stream's boundaries any more, so it counts one
     * {@code malformed}, closes the connection and reads nothing more from it; the client reconnects and
     * handshakes, and traffic flows again. The peer timeout is long, so recovery cannot come from silence.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unknown-type", "short-data", "empty", "oversized-length"})
    void tcpBrokenFramingDropsTheConnectionAndTheClientReconnects(String garbage) throws Exception {
        Path key = bed.keyFile("k", SECRET);
        try (TcpRelay relay = tcpRelay()) {
            TunnelProcess server = server("server", key, "--transport", "tcp", "--peer-timeout", "30");
            TunnelProcess client = client("client", key, relayed(), "--transport", "tcp", "--peer-timeout", "30");
            awaitSession(client, server);
            assertEquals(2, bed.pingServer(2), "pings through the relay");

            relay.inject(garbageFrame(garbage));
            awaitDrop(server, "malformed", 1);
            assertTrue(server.awaitLog("its framing is lost", 5000), "the server says why:\n" + server.log());
            assertTrue(relay.awaitConnections(2, 10_000), "the client reconnects:\n" + client.log() + "\n"
                    + server.log());
            assertTrue(awaitCount(client, "set up", 2, 10_000), "a new session:\n" + client.log());
            assertTrue(bed.awaitPing(10), "ping after the reconnect");
            assertEquals(3, bed.pingServer(3), "pings on the new session");
            assertTrue(server.isAlive() && client.isAlive(), "both ends survive");

            long[] stats = stopAndStats(server);
            System.out.println("tcp framing " + garbage + ": " + relay.connections() + " connections, relay forwarded "
                    + relay.intactDataMessages() + " data messages; server " + lastStatsLine(server));
            assertEquals(1, server.lastDrop("malformed"), "one count, nothing more read from that connection:\n"
                    + server.log());
            assertEquals(0, server.lastDrop("auth-failed"), server.log());
            assertTrue(stats[1] <= relay.intactDataMessages(), "the device got no more than the client's untouched "
                    + "data messages: " + stats[1] + " > " + relay.intactDataMessages());
            assertTrue(stats[2] >= 2, "handshakes: " + stats[2]);
        }
    }

    private static byte[] garbageFrame(String kind) {
        switch (kind) {
            case "unknown-type":
                return new byte[] {0, 4, 9, 1, 2, 3};
            case "short-data":
                return new byte[] {0, 10, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0};
            case "empty":
                return new byte[] {0, 0};
            case "oversized-length":
                // 65535 announced bytes: more than any message for a 1400-byte MTU.
                return new byte[] {(byte) 0xff, (byte) 0xff, 3, 0, 0, 0};
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void peerRestartRecovers(String transport) throws Exception {
        Path key = bed.keyFile("k", SECRET);
        TunnelProcess server = server("server", key, "--transport", transport);
        TunnelProcess client = client("client", key, direct(), "--transport", transport);
        awaitSession(client, server);
        assertEquals(2, bed.pingServer(2));

        server.kill();
        TunnelProcess server2 = server("server2", key, "--transport", transport);
        assertTrue(server2.awaitLog("set up", 15_000), "client handshakes with the new server:\n" + client.log());
        assertTrue(bed.awaitPing(10), "ping after the server restart");

        client.kill();
        TunnelProcess client2 = client("client2", key, direct(), "--transport", transport);
        assertTrue(client2.awaitLog("set up", 15_000), client2.log());
        assertTrue(bed.awaitPing(10), "ping after the client restart");
    }

    @Test
    void tapModeBridgesEthernet() throws Exception {
        Path key = bed.keyFile("k", SECRET);
        TunnelProcess server = server("server", key, "--device-mode", "tap");
        TunnelProcess client = client("client", key, direct(), "--device-mode", "tap");
        awaitSession(client, server);
        assertTrue(bed.awaitPing(10), "ARP and ping across the bridged tunnel");
        assertEquals(3, bed.pingServer(3));
        assertBulkTransfer(11);
    }

    // ---- helpers ----

    private static String direct() {
        return TunnelTestBed.SERVER_UNDERLAY + ":5000";
    }

    private static String relayed() {
        return TunnelTestBed.ROUTER_TO_CLIENT + ":6000";
    }

    private static TcpRelay tcpRelay() throws IOException {
        return new TcpRelay(new InetSocketAddress(TunnelTestBed.ROUTER_TO_CLIENT, 6000), TunnelTestBed.ROUTER_TO_SERVER,
                new InetSocketAddress(TunnelTestBed.SERVER_UNDERLAY, 5000));
    }

    /** Waits until {@code p}'s stats lines (every 0.25 s) show at least {@code expected} drops of {@code label}. */
    private static void awaitDrop(TunnelProcess p, String label, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.lastDrop(label) < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(p.lastDrop(label) >= expected, label + " drops: expected " + expected + ", got " + p.lastDrop(label)
                + "\n" + p.log());
    }

    private static String lastStatsLine(TunnelProcess p) {
        String log = p.log();
        int at = log.lastIndexOf("stats:");
        if (at < 0) {
            return "(no stats line)";
        }
        int end = log.indexOf('\n', at);
        return log.substring(at, end < 0 ? log.length() : end);
    }

    /** Waits until {@code text} occurs {@code times} times in {@code p}'s log; returns whether it did in time. */
    private static boolean awaitCount(TunnelProcess p, String text, int times, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (p.count(text) < times) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private TunnelProcess server(String name, Path key, String... extra) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList("server", "--listen", TunnelTestBed.SERVER_UNDERLAY + ":5000",
                "--device", "vts%d", "--address", TunnelTestBed.SERVER_OVERLAY + "/24"));
        return start(name, bed.nsServer, key, args, extra);
    }

    private TunnelProcess client(String name, Path key, String connect, String... extra) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList("client", "--connect", connect,
                "--device", "vtc%d", "--address", TunnelTestBed.CLIENT_OVERLAY + "/24"));
        return start(name, bed.nsClient, key, args, extra);
    }

    private TunnelProcess start(String name, String ns, Path key, List<String> args, String... extra) throws Exception {
        args.addAll(Arrays.asList("--key-file", key.toString(), "--mtu", "1400", "--keepalive", "0.5",
                "--peer-timeout", "2", "--handshake-retry", "0.5", "--stats-interval", "0.25"));
        args.addAll(Arrays.asList(extra));
        TunnelProcess p = TunnelProcess.start(name, ns, bed.dir, args.toArray(new String[0]));
        processes.add(p);
        return p;
    }

    private static void awaitSession(TunnelProcess client, TunnelProcess server) throws InterruptedException {
        assertTrue(client.awaitLog("set up", 20_000), "no session:\n" + client.log() + "\n" + server.log());
    }

    private void assertBulkTransfer(long seed) throws Exception {
        String[] lines = BulkTransfer.run(bed, BULK_BYTES, seed);
        assertTrue(lines[1].startsWith("bytes=" + BULK_BYTES + " "), "source: " + lines[1]);
        assertEquals(lines[1], lines[0], "what arrived is what was sent");
    }

    private static final Pattern OFFLOAD = Pattern.compile("offload: read (\\d+) super-packets -> (\\d+) segments.*"
            + "wrote (\\d+) packets as (\\d+) super-packets");

    /** Returns {super-packets read, segments, packets written, super-packets written}, or null without the line. */
    private static long[] offloadLine(TunnelProcess p) {
        Matcher m = OFFLOAD.matcher(p.log());
        if (!m.find()) {
            return null;
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4))};
    }

    /** Reads one counter from /proc/net/snmp text: a header line and a value line per protocol. */
    private static long snmpCounter(String snmp, String protocol, String name) {
        String[] lines = snmp.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith(protocol + ":") && lines[i + 1].startsWith(protocol + ":")) {
                List<String> names = Arrays.asList(lines[i].trim().split("\\s+"));
                String[] values = lines[i + 1].trim().split("\\s+");
                int at = names.indexOf(name);
                if (at > 0) {
                    return Long.parseLong(values[at]);
                }
            }
        }
        throw new AssertionError(protocol + " " + name + " not in /proc/net/snmp:\n" + snmp);
    }

    private static long[] stopAndStats(TunnelProcess p) throws InterruptedException {
        p.stop();
        long[] s = p.lastStats();
        assertNotNull(s, p.log());
        return s;
    }
}
