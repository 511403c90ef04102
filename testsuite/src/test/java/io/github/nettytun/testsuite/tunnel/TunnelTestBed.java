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
import io.github.nettytun.testsuite.support.Names;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two network namespaces for the two ends of a tunnel, made inside the test JVM's own private
 * namespace, which sits between them as a router:
 *
 * <pre>
 *   ns A (server)  198.18.1.2 --veth-- 198.18.1.1  [test JVM's ns]  198.18.2.1 --veth-- 198.18.2.2  ns B (client)
 * </pre>
 *
 * The test JVM forwards between the two, so the client reaches the server directly, and it can also
 * stand in the path itself (see {@link UdpRelay} and {@link TcpRelay}) to capture, alter and replay
 * messages. Tunnel overlay addresses are 198.18.10.1 (A) and 198.18.10.2 (B). {@link #close()} deletes both
 * namespaces (with every device in them) and the scratch directory.
 */
final class TunnelTestBed implements AutoCloseable {

    static final String SERVER_UNDERLAY = "198.18.1.2";
    static final String ROUTER_TO_SERVER = "198.18.1.1";
    static final String ROUTER_TO_CLIENT = "198.18.2.1";
    static final String SERVER_OVERLAY = "198.18.10.1";
    static final String CLIENT_OVERLAY = "198.18.10.2";

    final String nsServer;
    final String nsClient;
    final Path dir;
    private final List<String> created = new ArrayList<>();

    TunnelTestBed() throws IOException {
        String tag = Names.next("v");
        nsServer = tag + "a";
        nsClient = tag + "b";
        dir = Files.createTempDirectory("nettytun-tunnel");
        try {
            ns(nsServer);
            ns(nsClient);
            veth(tag + "x", nsServer, "198.18.1.1/24", "198.18.1.2/24");
            veth(tag + "y", nsClient, "198.18.2.1/24", "198.18.2.2/24");
            ok(Commands.ip("-n", nsServer, "route", "add", "198.18.2.0/24", "via", ROUTER_TO_SERVER));
            ok(Commands.ip("-n", nsClient, "route", "add", "198.18.1.0/24", "via", ROUTER_TO_CLIENT));
            // This JVM's namespace is private (see Privileges), so turning on forwarding here touches nothing else.
            Files.writeString(Paths.get("/proc/sys/net/ipv4/ip_forward"), "1");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void ns(String name) {
        ok(Commands.ip("netns", "add", name));
        created.add(name);
        ok(Commands.ip("-n", name, "link", "set", "lo", "up"));
    }

    private void veth(String name, String ns, String hereAddress, String thereAddress) {
        String there = name + "p";
        ok(Commands.ip("link", "add", name, "type", "veth", "peer", "name", there, "netns", ns));
        ok(Commands.ip("addr", "add", hereAddress, "dev", name));
        ok(Commands.ip("link", "set", name, "up"));
        ok(Commands.ip("-n", ns, "addr", "add", thereAddress, "dev", there));
        ok(Commands.ip("-n", ns, "link", "set", there, "up"));
    }

    /** Writes a key file (mode 600) with the given secret and returns its path. */
    Path keyFile(String name, String secret) throws IOException {
        Path file = dir.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
        return file;
    }

    /** Pings the server's overlay address from the client's namespace; returns how many replies came back. */
    int pingServer(int count) {
        Commands.Result r = Commands.run(count + 10L, "ip", "netns", "exec", nsClient, "ping", "-n", "-c",
                String.valueOf(count), "-i", "0.2", "-W", "2", SERVER_OVERLAY);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(r.output);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Pings until one reply arrives or {@code seconds} pass; returns whether a reply came. */
    boolean awaitPing(int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Commands.Result r = Commands.run(5, "ip", "netns", "exec", nsClient, "ping", "-n", "-c", "1", "-W", "1",
                    SERVER_OVERLAY);
            if (r.exitCode == 0) {
                return true;
            }
        }
        return false;
    }

    static void ok(Commands.Result r) {
        if (r.exitCode != 0) {
            throw new IllegalStateException("command failed: " + r);
        }
    }

    @Override
    public void close() {
        for (String ns : created) {
            // Deleting a namespace destroys its veth ends (and so their peers here) and its TUN/TAP devices.
            Commands.ip("netns", "del", ns);
        }
        created.clear();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: it lives under the temp directory.
        }
    }

    @Override
    public String toString() {
        return "namespaces " + Arrays.asList(nsServer, nsClient);
    }
}
