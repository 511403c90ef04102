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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A checksummed TCP bulk transfer through the tunnel: {@code sink} (in the server's namespace) accepts one
 * connection (or several, read in parallel) and prints the byte count and SHA-256 of what it read;
 * {@code source} (in the client's) sends seeded pseudo-random bytes and prints the same for what it wrote.
 * Run as child JVMs by {@link #run}.
 */
public final class BulkTransfer {

    private BulkTransfer() {
    }

    /** Result line both sides print. */
    static String line(long bytes, byte[] digest) {
        return "bytes=" + bytes + " sha256=" + HexFormat.of().formatHex(digest);
    }

    public static void main(String[] args) throws Exception {
        // Optional last argument: parallel connections (several flows, so a multi-queue device spreads them).
        boolean sink = args[0].equals("sink");
        int connections = args.length > (sink ? 3 : 5) ? Integer.parseInt(args[sink ? 3 : 5]) : 1;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        List<Callable<String>> tasks = new ArrayList<>();
        ServerSocket server = null;
        try {
            if (sink) {
                server = new ServerSocket();
                server.bind(address, connections);
                System.out.println("listening");
                System.out.flush();
                server.setSoTimeout(20_000);
                for (int i = 0; i < connections; i++) {
                    Socket s = server.accept();
                    tasks.add(() -> receive(s));
                }
            } else {
                long size = Long.parseLong(args[3]);
                long seed = Long.parseLong(args[4]);
                for (int i = 0; i < connections; i++) {
                    long connectionSeed = seed + i;
                    tasks.add(() -> send(address, size, connectionSeed));
                }
            }
            // Sorted: the sink cannot tell which connection was which, so the two sides compare as sets.
            List<String> lines = new ArrayList<>();
            if (connections == 1) {
                lines.add(tasks.get(0).call());
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(connections);
                try {
                    for (Future<String> f : pool.invokeAll(tasks)) {
                        lines.add(f.get());
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            Collections.sort(lines);
            System.out.println(String.join(" ", lines));
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static String receive(Socket s) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        long total = 0;
        try (s; InputStream in = s.getInputStream()) {
            s.setSoTimeout(20_000);
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                total += n;
            }
        }
        return line(total, sha.digest());
    }

    private static String send(InetSocketAddress address, long size, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        long total = 0;
        Random random = new Random(seed);
        try (Socket s = new Socket()) {
            s.connect(address, 10_000);
            OutputStream out = s.getOutputStream();
            while (total < size) {
                random.nextBytes(buf);
                int n = (int) Math.min(buf.length, size - total);
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                total += n;
            }
            out.flush();
            s.shutdownOutput();
        }
        return line(total, sha.digest());
    }

    /**
     * Sends {@code size} bytes from the client namespace to the server's overlay address and returns
     * {sink's line, source's line}.
     */
    static String[] run(TunnelTestBed bed, long size, long seed) throws IOException, InterruptedException {
        return run(bed, size, seed, 1);
    }

    /**
     * Sends {@code size} bytes on each of {@code connections} parallel TCP connections (seeds {@code seed},
     * {@code seed + 1}, ...) and returns {sink's line, source's line}: each the sorted results of every
     * connection, so equal lines mean every stream arrived intact.
     */
    static String[] run(TunnelTestBed bed, long size, long seed, int connections)
            throws IOException, InterruptedException {
        String port = "7001";
        String count = String.valueOf(connections);
        Path sinkLog = bed.dir.resolve("sink-" + seed + ".log");
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", bed.nsServer, TunnelProcess.javaBinary(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", TunnelProcess.classPath(), BulkTransfer.class.getName(),
                "sink", TunnelTestBed.SERVER_OVERLAY, port, count)
                .redirectErrorStream(true).redirectOutput(sinkLog.toFile());
        Process sink = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!java.nio.file.Files.readString(sinkLog).contains("listening")) {
                if (System.nanoTime() > deadline || !sink.isAlive()) {
                    throw new AssertionError("sink did not start: " + java.nio.file.Files.readString(sinkLog));
                }
                Thread.sleep(20);
            }
            Commands.Result source = Commands.run(60, "ip", "netns", "exec", bed.nsClient, TunnelProcess.javaBinary(),
                    "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", TunnelProcess.classPath(),
                    BulkTransfer.class.getName(), "source", TunnelTestBed.SERVER_OVERLAY, port, String.valueOf(size),
                    String.valueOf(seed), count);
            if (!sink.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("sink did not finish; source said: " + source);
            }
            return new String[] {lastLine(java.nio.file.Files.readString(sinkLog)), lastLine(source.output)};
        } finally {
            if (sink.isAlive()) {
                sink.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.trim().split("\n");
        return lines[lines.length - 1].trim();
    }
}
