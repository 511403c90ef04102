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

import io.github.nettytun.examples.tunnel.Tunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tunnel end ({@link Tunnel}) as a child JVM in a network namespace, started with
 * {@code ip netns exec} (which execs, so the process's PID is the JVM's) and stopped by that PID with
 * SIGTERM, so it prints its final stats line. Its output goes to a log file the test reads. The child runs
 * Netty's leak detector at PARANOID; {@link #assertNoLeaks()} checks its log.
 */
final class TunnelProcess implements AutoCloseable {

    private static final Pattern STATS = Pattern.compile(
            "device->peer (\\d+) pkts .*peer->device (\\d+) pkts .*handshakes (\\d+)");

    private final String name;
    private final Path log;
    private final Process process;

    private TunnelProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@link Tunnel} with {@code args} in namespace {@code ns}, logging to {@code dir/name.log}. */
    static TunnelProcess start(String name, String ns, Path dir, String... args) throws IOException {
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(Arrays.asList("ip", "netns", "exec", ns, javaBinary(), "-Xmx96m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dio.netty.leakDetection.level=paranoid",
                "-cp", classPath(), Tunnel.class.getName()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        p.getOutputStream().close();
        return new TunnelProcess(name, log, p);
    }

    static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Returns the log so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits until the log contains {@code text}; returns whether it did within the time. */
    boolean awaitLog(String text, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return log().contains(text);
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Returns how many times {@code text} occurs in the log. */
    int count(String text) {
        String l = log();
        int n = 0;
        for (int i = l.indexOf(text); i >= 0; i = l.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    /** Returns {device->peer, peer->device, handshakes} from the last stats line, or null. */
    long[] lastStats() {
        Matcher m = STATS.matcher(log());
        long[] last = null;
        while (m.find()) {
            last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
        }
        return last;
    }

    /** Returns the value of drop counter {@code label} in the last stats line, or -1. */
    long lastDrop(String label) {
        Matcher m = Pattern.compile(" " + Pattern.quote(label) + "=(\\d+)").matcher(log());
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Fails if the child's leak detector reported anything. */
    void assertNoLeaks() {
        String l = log();
        if (l.contains("LEAK:")) {
            throw new AssertionError(name + " leaked buffers:\n" + l);
        }
    }

    /** Stops the JVM by its PID (SIGTERM, then SIGKILL after 5 s) and waits for it. */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Kills the JVM at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
