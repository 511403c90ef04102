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
package io.github.nettytun.testsuite.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Decides whether the privileged tests may run: they need CAP_NET_ADMIN, and they must run inside the
 * private network namespace that {@code src/test/netns/bin/java} creates, so that nothing they do
 * can reach the machine's real interfaces. Otherwise they skip with the reason.
 */
public final class Privileges {

    private static final int CAP_NET_ADMIN = 12;

    private Privileges() {
    }

    /** Skips the calling test unless it may create devices. */
    public static void assumeDeviceTests() {
        Assumptions.assumeTrue(hasNetAdmin(), "needs CAP_NET_ADMIN to create TUN/TAP devices (run as root; CI does)");
        Assumptions.assumeTrue(inPrivateNetns(), "refusing to create devices outside a private network namespace: "
                + "run through Maven (surefire starts the test JVM under unshare --net)");
        Assumptions.assumeTrue(Files.exists(Paths.get("/dev/net/tun")), "/dev/net/tun is missing (modprobe tun)");
    }

    /** Returns whether this process has CAP_NET_ADMIN in its effective set. */
    public static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /** Returns whether this JVM runs in a network namespace other than init's, made by the test wrapper. */
    public static boolean inPrivateNetns() {
        String outer = System.getenv("NETTY_TUN_OUTER_NETNS");
        if (!"1".equals(System.getenv("NETTY_TUN_PRIVATE_NETNS")) || outer == null || outer.isEmpty()) {
            return false;
        }
        try {
            Path self = Files.readSymbolicLink(Paths.get("/proc/self/ns/net"));
            return !self.toString().equals(outer);
        } catch (IOException e) {
            return false;
        }
    }
}
