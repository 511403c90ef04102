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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --queues 2} on both ends: each end opens one {@code IFF_MULTI_QUEUE} device with two queues and runs
 * two lanes (queue, outer socket on port 5000 + lane, peer with its own handshake). Many parallel TCP
 * connections make the kernel spread flows over both queues; the test checks that the data arrives intact,
 * that each lane of each end handshook and carried data both ways, and that the lane counts add up to the
 * stats line. See {@link TunnelTestBed} for the topology.
 */
@Timeout(90)
class TunnelMultiQueueTest extends AbstractTunnelTest {

    /**
     * Parallel connections. The kernel puts a new flow on a queue by its hash, so with two queues all of
     * them land on the same one with probability 2^-(n-1): 16 makes that 1 in 32768.
     */
    private static final int CONNECTIONS = 16;
    private static final long BYTES_PER_CONNECTION = 1L << 20;
    /** A lane that carried at least one 1 MiB connection sent ~770 MTU-sized (1400) packets of it. */
    private static final long MIN_BULK_PACKETS = 500;
    private static final Pattern LANE = Pattern.compile(
            "#(\\d+) device->peer/peer->device (\\d+)/(\\d+) pkts, handshakes (\\d+)");
    private static final Pattern OFFLOAD = Pattern.compile(
            "offload: read (\\d+) super-packets -> (\\d+) segments.*wrote (\\d+) packets as (\\d+) super-packets");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"udp, tun", "tcp, tun", "udp, tap"})
    void twoLanesCarryParallelFlows(String transport, String mode) throws Exception {
        Path key = bed.keyFile("k", SECRET);
        TunnelProcess server = start("server", bed.nsServer, key, "server", "--listen",
                TunnelTestBed.SERVER_UNDERLAY + ":5000", "--device", "vts%d", "--address",
                TunnelTestBed.SERVER_OVERLAY + "/24", "--transport", transport, "--device-mode", mode);
        TunnelProcess client = start("client", bed.nsClient, key, "client", "--connect",
                TunnelTestBed.SERVER_UNDERLAY + ":5000", "--device", "vtc%d", "--address",
                TunnelTestBed.CLIENT_OVERLAY + "/24", "--transport", transport, "--device-mode", mode);
        for (TunnelProcess p : new TunnelProcess[] {client, server}) {
            for (int lane = 0; lane < 2; lane++) {
                assertTrue(p.awaitLog("lane " + lane + ": session ", 20_000),
                        p + ": lane " + lane + " handshook:\n" + client.log() + "\n" + server.log());
            }
            assertTrue(p.log().contains("2 queues"), p.log());
        }
        // The devices are really multi-queue devices (IFF_MULTI_QUEUE = 0x100 in tun_flags).
        assertMultiQueue(bed.nsServer, "vts0");
        assertMultiQueue(bed.nsClient, "vtc0");

        assertEquals(3, bed.pingServer(3), "pings through the tunnel");
        long seed = ThreadLocalRandom.current().nextLong();
        String[] lines = BulkTransfer.run(bed, BYTES_PER_CONNECTION, seed, CONNECTIONS);
        assertEquals(CONNECTIONS, lines[1].split(" sha256=").length - 1, "source: " + lines[1]);
        assertTrue(lines[1].startsWith("bytes=" + BYTES_PER_CONNECTION + " "), "source: " + lines[1]);
        assertEquals(lines[1], lines[0], "what arrived on every connection is what was sent");

        client.stop();
        server.stop();
        long[][] clientLanes = lanes(client);
        long[][] serverLanes = lanes(server);
        for (int lane = 0; lane < 2; lane++) {
            String where = "lane " + lane + ": client " + Arrays.toString(clientLanes[lane]) + ", server "
                    + Arrays.toString(serverLanes[lane]);
            // The bulk data goes client -> server; the ACKs come back on the same lane (tx follows rx).
            assertTrue(clientLanes[lane][0] >= MIN_BULK_PACKETS, "client sent bulk data on " + where);
            assertTrue(serverLanes[lane][1] >= MIN_BULK_PACKETS, "server received bulk data on " + where);
            assertTrue(serverLanes[lane][0] > 0 && clientLanes[lane][1] > 0, "replies came back on " + where);
            assertTrue(clientLanes[lane][2] >= 1 && serverLanes[lane][2] >= 1, "each end handshook on " + where);
        }
        assertLanesAddUp(client, clientLanes);
        assertLanesAddUp(server, serverLanes);
        if (mode.equals("tun")) {
            // Offloads stay on per lane: each queue read TSO super-packets, the other end wrote coalesced ones.
            long[] c = offloadLine(client);
            long[] s = offloadLine(server);
            assertTrue(c[0] > 0 && c[1] > c[0], "client read and segmented super-packets: " + Arrays.toString(c));
            assertTrue(s[3] > 0 && s[2] > s[3], "server wrote coalesced super-packets: " + Arrays.toString(s));
        }
        for (TunnelProcess p : new TunnelProcess[] {client, server}) {
            assertEquals(0, p.lastDrop("auth-failed"), p.log());
            assertEquals(0, p.lastDrop("replayed"), p.log());
            assertEquals(0, p.lastDrop("device-write"), p.log());
        }
    }

    private TunnelProcess start(String name, String ns, Path key, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList("--key-file", key.toString(), "--queues", "2", "--mtu", "1400", "--keepalive",
                "0.5", "--peer-timeout", "2", "--handshake-retry", "0.5", "--stats-interval", "0.25"));
        TunnelProcess p = TunnelProcess.start(name, ns, bed.dir, all.toArray(new String[0]));
        processes.add(p);
        return p;
    }

    private static void assertMultiQueue(String ns, String device) {
        Commands.Result r = Commands.run(10, "ip", "netns", "exec", ns, "cat", "/sys/class/net/" + device
                + "/tun_flags");
        assertEquals(0, r.exitCode, r.toString());
        int flags = Integer.decode(r.output.trim());
        assertTrue((flags & 0x100) != 0, device + " tun_flags " + r.output.trim());
    }

    /** Returns {device->peer, peer->device, handshakes} of each lane from the last "lanes:" line. */
    private static long[][] lanes(TunnelProcess p) {
        String log = p.log();
        int at = log.lastIndexOf("lanes: #0");
        assertTrue(at >= 0, "no lanes line:\n" + log);
        String line = log.substring(at, log.indexOf('\n', at));
        long[][] lanes = new long[2][];
        Matcher m = LANE.matcher(line);
        while (m.find()) {
            lanes[Integer.parseInt(m.group(1))] = new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4))};
        }
        assertNotNull(lanes[0], line);
        assertNotNull(lanes[1], line);
        return lanes;
    }

    /** The stats line is the sum of the lanes (the final lines are printed after the lanes stopped). */
    private static void assertLanesAddUp(TunnelProcess p, long[][] lanes) {
        long[] total = p.lastStats();
        assertNotNull(total, p.log());
        for (int i = 0; i < 3; i++) {
            assertEquals(total[i], lanes[0][i] + lanes[1][i], p + " column " + i + ": " + Arrays.toString(total));
        }
    }

    /** Returns {super-packets read, segments, packets written, super-packets written}. */
    private static long[] offloadLine(TunnelProcess p) {
        Matcher m = OFFLOAD.matcher(p.log());
        assertTrue(m.find(), p.log());
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4))};
    }
}
