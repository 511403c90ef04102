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

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails a test class that leaves file descriptors open: tun fds, sockets, epoll/eventfd/timerfd of
 * event loops. Counted before the class and after its {@code @AfterAll} (which must shut its event
 * loops down). Jar files the JVM opens while loading classes are not counted.
 */
public final class FdLeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        warmUp();
        context.getStore(NS).put("before", openFds());
    }

    /**
     * Does once what opens descriptors for the JVM's lifetime (loading the epoll library, starting an
     * event loop, spawning a process), so they are in the "before" count and not taken for leaks.
     */
    private static synchronized void warmUp() {
        if (warmedUp) {
            return;
        }
        warmedUp = true;
        io.netty.channel.epoll.Epoll.ensureAvailability();
        io.netty.channel.EventLoopGroup g = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.epoll.EpollIoHandler.newFactory());
        g.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        Commands.run(10, "true");
    }

    private static boolean warmedUp;

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        List<String> before = context.getStore(NS).get("before", List.class);
        List<String> after = openFds();
        // Event loop threads close their epoll fds as they terminate; give them a moment.
        for (int i = 0; i < 50 && after.size() > before.size(); i++) {
            Thread.sleep(100);
            after = openFds();
        }
        if (after.size() > before.size()) {
            List<String> extra = new ArrayList<>(after);
            for (String fd : before) {
                extra.remove(fd);
            }
            throw new AssertionError(context.getDisplayName() + " leaked " + (after.size() - before.size())
                    + " file descriptor(s): " + extra + " " + describeSockets());
        }
    }

    /** Names the kind (netlink, udp, unix, ...) of each open socket, to make a leak report useful. */
    private static String describeSockets() {
        StringBuilder sb = new StringBuilder();
        fdTargets().forEach((fd, target) -> {
            if (!target.startsWith("socket:[")) {
                return;
            }
            String inode = target.substring(8, target.length() - 1);
            for (String table : new String[] { "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "netlink", "packet" }) {
                try {
                    for (String line : Files.readAllLines(Paths.get("/proc/self/net", table))) {
                        if (line.matches(".*\\s" + inode + "(\\s.*)?")) {
                            sb.append(fd).append('=').append(table).append(' ');
                        }
                    }
                } catch (IOException ignored) {
                    // table absent
                }
            }
        });
        return sb.length() == 0 ? "" : "(sockets: " + sb.toString().trim() + ')';
    }

    /** Returns fd number to link target for every open fd of this process. */
    private static java.util.Map<String, String> fdTargets() {
        java.util.Map<String, String> targets = new java.util.TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    targets.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // the fd used to list the directory, or one closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return targets;
    }

    /** Returns the targets of this process's open fds, without jar and class files. */
    public static List<String> openFds() {
        List<String> targets = new ArrayList<>();
        for (String target : fdTargets().values()) {
            if (target.endsWith(".jar") || target.endsWith("/modules") || target.endsWith(".so")
                    || target.startsWith("/proc/") || target.contains("surefire")
                    || "/dev/random".equals(target) || "/dev/urandom".equals(target)) {
                // Class loading and the JDK's entropy source keep these open for the JVM's lifetime.
                continue;
            }
            targets.add(target.replaceAll("\\[[0-9]+\\]", "[]"));
        }
        return targets;
    }
}
