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
package io.github.nettytun.testsuite.offload;

import io.github.nettytun.offload.TunCoalescingHandler;
import io.github.nettytun.offload.TunSegmentationHandler;
import io.github.nettytun.testsuite.bench.ForwarderBench;
import io.github.nettytun.testsuite.bench.ForwarderBench.Forwarder;
import io.github.nettytun.testsuite.bench.ForwarderBench.Mode;
import io.github.nettytun.testsuite.bench.ForwarderBench.Testbed;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TCP bulk transfer through a TUN-to-TUN forwarder in this JVM (two devices moved into two namespaces of
 * their own), with offloads off, with the kernel's super-packets forwarded as they are, and with
 * {@link TunSegmentationHandler} + {@link TunCoalescingHandler} in the path: the receiver checks every byte
 * against the pattern the sender sent, and neither namespace counts a checksum error.
 */
class ForwarderOffloadTest extends AbstractDeviceTest {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long BYTES = 48L << 20;

    private Testbed testbed;

    @AfterEach
    void deleteNamespaces() {
        if (testbed != null) {
            testbed.close();
            assertFalse(Commands.run(10, "ip", "netns", "list").output.contains(testbed.ns1()), "namespace left");
            testbed = null;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tcpBulkTransferArrivesByteIdentical(Mode mode) throws Exception {
        testbed = new Testbed(Names.runPrefix() + "o" + COUNTER.incrementAndGet(), System.getProperty("java.class.path"));
        try (Forwarder forwarder = Forwarder.start(group.next(), testbed.deviceA(), testbed.deviceB(), mode)) {
            testbed.setUp(forwarder);
            for (boolean ipv6 : new boolean[] {false, true}) {
                Testbed.Transfer t = testbed.transfer(ipv6, 0, BYTES);
                String what = mode + (ipv6 ? " over IPv6: " : " over IPv4: ") + t;
                assertEquals(BYTES, t.sent, what);
                assertEquals(BYTES, t.received, what);
                assertEquals(t.sentCrc, t.receivedCrc, what);
                assertEquals(-1, t.mismatch, what);
                System.out.println(what + "; " + forwarder.frames() + " frames, " + forwarder.superFrames() + " GSO");
            }
            for (String ns : new String[] {testbed.ns1(), testbed.ns2()}) {
                String snmp = Testbed.snmp(ns);
                assertEquals(0, Testbed.counter(snmp, "Tcp", "InCsumErrors"), ns + ":\n" + snmp);
                assertEquals(0, Testbed.counter(snmp, "Udp", "InCsumErrors"), ns + ":\n" + snmp);
                assertEquals(0, Testbed.counter(snmp, "Ip", "InHdrErrors"), ns + ":\n" + snmp);
            }
            if (mode == Mode.OFF) {
                assertEquals(0, forwarder.superFrames(), "no offloads, no super-packets");
            } else {
                assertTrue(forwarder.superFrames() > 0, "the kernel handed over super-packets");
            }
            if (mode == Mode.SEGMENT) {
                long segmented = 0;
                long coalesced = 0;
                long dropped = 0;
                for (Object h : forwarder.handlers()) {
                    if (h instanceof TunSegmentationHandler) {
                        segmented += ((TunSegmentationHandler) h).superPackets();
                        dropped += ((TunSegmentationHandler) h).droppedFrames();
                    } else {
                        coalesced += ((TunCoalescingHandler) h).superPacketsOut();
                    }
                }
                assertTrue(segmented > 0, "super-packets were segmented");
                assertTrue(coalesced > 0, "segments were coalesced again");
                assertEquals(0, dropped);
            }
        }
    }
}
