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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunnelOptionsTest {

    @TempDir
    Path dir;

    @Test
    void commandLineOverridesTheConfigFile() throws Exception {
        Path file = dir.resolve("vt.conf");
        Files.writeString(file, "# a comment\nrole = server\nkey-file /k\ntransport = tcp\naddress = 198.18.10.1/24\n"
                + "address = 2001:2::1/64\ncompress\nmtu = 1300\n");
        TunnelConfig c = new TunnelConfig(TunnelOptions.parse(new String[] {"--config", file.toString(), "--mtu=1280",
            "--keepalive", "0.5"}));
        assertTrue(c.server);
        assertEquals(TunnelConfig.Transport.TCP, c.transport);
        assertEquals(1280, c.mtu);
        assertEquals(2, c.addresses.size());
        assertEquals(1, c.compressionLevel);
        assertEquals(500, c.keepaliveMillis);
        assertEquals(5000, c.listen.getPort());
    }

    @Test
    void clientNeedsAServer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TunnelConfig(TunnelOptions.parse(new String[] {"client", "--key-file", "/k"})));
        assertTrue(e.getMessage().contains("--connect"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TunnelOptions.parse(new String[] {"server", "--nope"}));
    }

    @Test
    void helpExplainsEveryOption() {
        String help = TunnelOptions.help();
        for (TunnelOptions.Option o : TunnelOptions.OPTIONS) {
            assertTrue(help.contains("--" + o.name + " ") || help.contains("--" + o.name + "\n"), o.name);
        }
    }

    @Test
    void queuesGiveEachLaneTheNextPort() throws Exception {
        TunnelConfig one = new TunnelConfig(TunnelOptions.parse(new String[] {"server", "--key-file", "/k"}));
        assertEquals(1, one.queues, "one lane unless asked");
        assertEquals(one.listen, one.laneAddress(0));

        Path file = dir.resolve("vt.conf");
        Files.writeString(file, "role = client\nkey-file /k\nconnect = 198.18.1.2:6000\nqueues = 4\n");
        TunnelConfig c = new TunnelConfig(TunnelOptions.parse(new String[] {"--config", file.toString()}));
        assertEquals(4, c.queues);
        assertEquals(new InetSocketAddress("198.18.1.2", 6000), c.laneAddress(0));
        assertEquals(new InetSocketAddress("198.18.1.2", 6003), c.laneAddress(3));

        TunnelConfig s = new TunnelConfig(TunnelOptions.parse(new String[] {"server", "--key-file", "/k", "--listen",
            "198.18.1.2:5000", "--queues", "2", "--transport", "tcp", "--device-mode", "tap"}));
        assertEquals(new InetSocketAddress("198.18.1.2", 5001), s.laneAddress(1));
    }

    @Test
    void queuesAreValidated() {
        for (String[] args : new String[][] {
            {"server", "--key-file", "/k", "--queues", "0"},
            {"server", "--key-file", "/k", "--queues", String.valueOf(TunnelConfig.MAX_QUEUES + 1)},
            {"server", "--key-file", "/k", "--queues", "2", "--listen", "0"},
            {"client", "--key-file", "/k", "--queues", "3", "--connect", "198.18.1.2:65534"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TunnelConfig(TunnelOptions.parse(args)), String.join(" ", args));
            assertTrue(e.getMessage().contains("--queues"), e.getMessage());
        }
    }
}
