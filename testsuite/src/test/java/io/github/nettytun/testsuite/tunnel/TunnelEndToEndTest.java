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

import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example tunnel end to end: two child JVMs (server and client) in two namespaces with real TUN/TAP
 * devices, traffic from the client's namespace to the server's overlay address, and a man in the middle
 * for the attacks. See {@link TunnelTestBed} for the topology.
 */
@Timeout(90)
class TunnelEndToEndTest extends AbstractDeviceTest {

    private static final String SECRET = "correct horse battery staple 0123456789";
    private static final long BULK_BYTES = 16L << 20;

    private TunnelTestBed bed;
    private final List<TunnelProcess> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        bed = new TunnelTestBed();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (TunnelProcess p : processes) {
                p.stop();
            }
        } finally {
            if (bed != null) {
                bed.close();
            }
        }
        for (TunnelProcess p : processes) {
            p.assertNoLeaks();
            assertFalse(p.log().contains(SECRET), "the key appeared in " + p + "'s log");
        }
    }

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
