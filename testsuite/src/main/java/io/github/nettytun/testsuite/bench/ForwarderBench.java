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
package io.github.nettytun.testsuite.bench;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.offload.TunCoalescingHandler;
import io.github.nettytun.offload.TunSegmentationHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * TCP throughput through a TUN-to-TUN forwarder in this JVM, with offloads on and off, in one run
 * (issue 7; results and command in testsuite/OFFLOAD.md).
 *
 * <p>Two TUN devices are created down and without addresses, moved into two namespaces of their own
 * ({@code ip link set dev X netns NS}: the fd stays attached), and configured there; the forwarder copies
 * every frame from one device to the other on one event loop. A sender in the first namespace streams a
 * fixed pattern over TCP to a receiver in the second, which checks every byte. Modes:
 * <ul>
 *   <li>{@code off}: no offloads; MTU-sized packets, one read and one write each;</li>
 *   <li>{@code passthrough}: TSO/USO on; the kernel's super-packets (up to 64 KiB) are forwarded as they
 *       are, header included;</li>
 *   <li>{@code segment}: TSO/USO on; {@link TunSegmentationHandler} splits each super-packet into real
 *       packets and {@link TunCoalescingHandler} merges them again on the other device (what a forwarder
 *       that must see real packets, such as a VPN, pays).</li>
 * </ul>
 * The same class is the sender and the receiver ({@code send}/{@code recv} as first argument), started in
 * the namespaces with {@code ip netns exec}. The real-kernel test reuses {@link Forwarder} and these modes.
 */
public final class ForwarderBench {

    /** The offloads the forwarder asks for when on. */
    public static final Set<TunOffload> OFFLOADS = EnumSet.of(TunOffload.CSUM, TunOffload.TSO4, TunOffload.TSO6,
            TunOffload.TSO_ECN, TunOffload.USO4, TunOffload.USO6);
    /** The virtio-net header size used by the forwarder. */
    public static final int VNET_HDR_SIZE = 12;
    /** Length of the repeating byte pattern (not a power of two, so it drifts across segment boundaries). */
    private static final int PATTERN = 1_000_003;
    private static final int CHUNK = 256 * 1024;

    private ForwarderBench() {
    }

    /** How the forwarder treats frames. */
    public enum Mode {
        /** No offloads. */
        OFF,
        /** Offloads on, super-packets forwarded as they are. */
        PASSTHROUGH,
        /** Offloads on, segmented on read and coalesced on write. */
        SEGMENT
    }

    /**
     * Two TUN channels on one event loop, each forwarding what it reads to the other.
     */
    public static final class Forwarder implements AutoCloseable {
        private final Channel a;
        private final Channel b;
        private final List<Object> handlers = new ArrayList<>();
        private volatile long frames;
        private volatile long superFrames;

        private Forwarder(EventLoop loop, String nameA, String nameB, Mode mode) throws InterruptedException {
            a = bind(loop, nameA, mode);
            try {
                b = bind(loop, nameB, mode);
            } catch (InterruptedException | RuntimeException e) {
                a.close().sync();
                throw e;
            }
        }

        /**
         * Creates both devices (link down, no addresses) and starts forwarding.
         *
         * @param loop  the event loop of both channels
         * @param nameA the first device's name
         * @param nameB the second device's name
         * @param mode  what to do with frames
         * @return the forwarder
         * @throws InterruptedException if interrupted while binding
         */
        public static Forwarder start(EventLoop loop, String nameA, String nameB, Mode mode)
                throws InterruptedException {
            return new Forwarder(loop, nameA, nameB, mode);
        }

        private Channel bind(EventLoop loop, String name, Mode mode) throws InterruptedException {
            return new Bootstrap().group(loop).channel(EpollTunChannel.class)
                    .option(TunChannelOption.VNET_HDR, true)
                    .option(TunChannelOption.VNET_HDR_SIZE, VNET_HDR_SIZE)
                    .option(TunChannelOption.OFFLOADS, mode == Mode.OFF ? Set.<TunOffload>of() : OFFLOADS)
                    .option(TunChannelOption.LINK_UP, false)
                    .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (mode == Mode.SEGMENT) {
                                TunCoalescingHandler coalescing = new TunCoalescingHandler(VNET_HDR_SIZE);
                                TunSegmentationHandler segmentation = new TunSegmentationHandler(VNET_HDR_SIZE);
                                handlers.add(coalescing);
                                handlers.add(segmentation);
                                ch.pipeline().addLast(new Counter(), coalescing, segmentation);
                            } else {
                                ch.pipeline().addLast(new Counter());
                            }
                            ch.pipeline().addLast(new Forward());
                        }
                    })
                    .bind(new TunAddress(name)).sync().channel();
        }

        private Channel peer(Channel ch) {
            return ch == a ? b : a;
        }

        /** Counts frames and GSO frames as read (before any segmentation). */
        private final class Counter extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf f = (ByteBuf) msg;
                frames++;
                if (f.readableBytes() > 1 && f.getByte(f.readerIndex() + 1) != 0) {
                    superFrames++;
                }
                ctx.fireChannelRead(msg);
            }
        }

        /** Writes to the other device; flushes once per read batch so the coalescer sees the batch. */
        private final class Forward extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                Channel peer = peer(ctx.channel());
                if (peer == null || !peer.isActive()) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                // Between two devices the peer's pipeline (with its coalescer) takes the write.
                peer.write(msg, peer.voidPromise());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // A write the peer's kernel refused (e.g. EIO while its link is still down during set-up)
                // comes back here through the void promise: a forwarder drops such a packet and goes on.
                if (!(cause instanceof io.github.nettytun.channel.TunException)) {
                    ctx.fireExceptionCaught(cause);
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                Channel peer = peer(ctx.channel());
                if (peer != null) {
                    peer.flush();
                }
            }
        }

        /** @return the first channel */
        public Channel a() {
            return a;
        }

        /** @return the second channel */
        public Channel b() {
            return b;
        }

        /** @return frames read from both devices */
        public long frames() {
            return frames;
        }

        /** @return frames read with a GSO type in their virtio-net header */
        public long superFrames() {
            return superFrames;
        }

        /** @return the offload handlers (segment mode), coalescing then segmentation, for device a then b */
        public List<Object> handlers() {
            return handlers;
        }

        @Override
        public void close() throws InterruptedException {
            try {
                a.close().sync();
            } finally {
                b.close().sync();
            }
        }
    }

    /** The byte pattern both ends use. */
    static byte[] pattern() {
        byte[] p = new byte[PATTERN + CHUNK];
        new Random(7).nextBytes(p);
        System.arraycopy(p, 0, p, PATTERN, CHUNK); // lets a chunk at any offset be one slice
        return p;
    }

    /**
     * Sends the pattern for some seconds or bytes: {@code send HOST PORT SECONDS BYTES} (one of them 0).
     * Prints {@code SENT <bytes> <crc32c>}.
     */
    static void send(String host, int port, double seconds, long bytes) throws IOException, InterruptedException {
        byte[] p = pattern();
        CRC32C crc = new CRC32C();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long sent = 0;
        try (Socket s = connect(host, port)) {
            OutputStream out = s.getOutputStream();
            while (bytes > 0 ? sent < bytes : System.nanoTime() < deadline) {
                int offset = (int) (sent % PATTERN);
                int n = bytes > 0 ? (int) Math.min(CHUNK, bytes - sent) : CHUNK;
                out.write(p, offset, n);
                crc.update(p, offset, n);
                sent += n;
            }
        }
        System.out.println("SENT " + sent + ' ' + Long.toHexString(crc.getValue()));
    }

    private static Socket connect(String host, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 2000);
                return s;
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Receives one connection and checks every byte against the pattern: {@code recv PORT}. Prints
     * {@code RECV <bytes> <crc32c> <nanos from first byte to end> <first mismatch offset or -1>}.
     */
    static void receive(int port) throws IOException {
        byte[] p = pattern();
        byte[] buf = new byte[CHUNK];
        CRC32C crc = new CRC32C();
        long received = 0;
        long mismatch = -1;
        long start = 0;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            System.out.println("LISTENING");
            System.out.flush();
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    int offset = (int) (received % PATTERN);
                    if (mismatch < 0) {
                        int m = Arrays.mismatch(buf, 0, n, p, offset, offset + n);
                        if (m >= 0) {
                            mismatch = received + m;
                        }
                    }
                    crc.update(buf, 0, n);
                    received += n;
                }
            }
        }
        System.out.println("RECV " + received + ' ' + Long.toHexString(crc.getValue()) + ' '
                + (System.nanoTime() - start) + ' ' + mismatch);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("send")) {
            send(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]), Long.parseLong(args[4]));
            return;
        }
        if (args.length > 0 && args[0].equals("recv")) {
            receive(Integer.parseInt(args[1]));
            return;
        }
        bench(args);
    }

    /**
     * Two namespaces with one forwarder device each: {@code 198.18.1.1/24} and {@code 2001:2:0:1::1/64} in
     * the first, {@code 198.18.2.1/24} and {@code 2001:2:0:2::1/64} in the second, each routing the other's
     * prefix into its device. Close the forwarder before this (a closed fd removes its device), then this
     * deletes the namespaces.
     */
    public static final class Testbed implements AutoCloseable {
        private static final int PORT = 5201;
        private final String ns1;
        private final String ns2;
        private final String deviceA;
        private final String deviceB;
        private final String classPath;

        /**
         * Names everything after a prefix; creates nothing yet.
         *
         * @param prefix    a short per-run prefix (device names are at most 15 bytes)
         * @param classPath the class path holding this class, for the sender and receiver
         */
        public Testbed(String prefix, String classPath) {
            this.ns1 = prefix + "n1";
            this.ns2 = prefix + "n2";
            this.deviceA = prefix + "fa";
            this.deviceB = prefix + "fb";
            this.classPath = classPath;
        }

        /** @return the name for the forwarder's first device */
        public String deviceA() {
            return deviceA;
        }

        /** @return the name for the forwarder's second device */
        public String deviceB() {
            return deviceB;
        }

        /** @return the first namespace */
        public String ns1() {
            return ns1;
        }

        /** @return the second namespace */
        public String ns2() {
            return ns2;
        }

        /**
         * Creates the namespaces, moves the forwarder's devices into them and configures them.
         *
         * @param forwarder a forwarder bound to {@link #deviceA()} and {@link #deviceB()}
         */
        public void setUp(Forwarder forwarder) throws IOException, InterruptedException {
            ip("netns", "add", ns1);
            ip("netns", "add", ns2);
            setUp(ns1, deviceA, 1, 2);
            setUp(ns2, deviceB, 2, 1);
        }

        private void setUp(String ns, String device, int self, int other) throws IOException, InterruptedException {
            ip("link", "set", "dev", device, "netns", ns);
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "link", "set", device, "up");
            ip("-n", ns, "addr", "add", "198.18." + self + ".1/24", "dev", device);
            ip("-n", ns, "-6", "addr", "add", "2001:2:0:" + self + "::1/64", "dev", device, "nodad");
            ip("-n", ns, "route", "add", "198.18." + other + ".0/24", "dev", device);
            ip("-n", ns, "-6", "route", "add", "2001:2:0:" + other + "::/64", "dev", device);
        }

        /** The outcome of one transfer. */
        public static final class Transfer {
            /** Bytes the sender wrote. */
            public final long sent;
            /** Bytes the receiver read. */
            public final long received;
            /** CRC-32C of the bytes sent and received. */
            public final String sentCrc;
            public final String receivedCrc;
            /** Offset of the first byte that differs from the pattern, or -1. */
            public final long mismatch;
            /** Receiver time from first byte to end. */
            public final long nanos;

            Transfer(String sender, String receiver) {
                String[] s = lastLine(sender, "SENT ").split(" ");
                String[] r = lastLine(receiver, "RECV ").split(" ");
                sent = Long.parseLong(s[1]);
                sentCrc = s[2];
                received = Long.parseLong(r[1]);
                receivedCrc = r[2];
                nanos = Long.parseLong(r[3]);
                mismatch = Long.parseLong(r[4]);
            }

            /** @return the receiver's throughput in Gbit/s */
            public double gbps() {
                return received * 8.0 / nanos;
            }

            @Override
            public String toString() {
                return "sent " + sent + " (crc " + sentCrc + "), received " + received + " (crc " + receivedCrc
                        + "), mismatch at " + mismatch + ", " + String.format("%.2f Gbit/s", gbps());
            }
        }

        /**
         * Streams from the first namespace to the second over TCP and returns what both ends saw.
         *
         * @param ipv6    over IPv6 instead of IPv4
         * @param seconds how long to send (or 0)
         * @param bytes   how much to send (or 0)
         * @return the outcome
         */
        public Transfer transfer(boolean ipv6, double seconds, long bytes) throws IOException, InterruptedException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process receiver = new ProcessBuilder("ip", "netns", "exec", ns2, java, "-cp", classPath,
                    ForwarderBench.class.getName(), "recv", String.valueOf(PORT)).redirectErrorStream(true).start();
            try {
                // the sender retries its connect until the receiver listens
                String host = ipv6 ? "2001:2:0:2::1" : "198.18.2.1";
                String sender = run(120, "ip", "netns", "exec", ns1, java, "-cp", classPath,
                        ForwarderBench.class.getName(), "send", host, String.valueOf(PORT),
                        String.valueOf(seconds), String.valueOf(bytes));
                if (!receiver.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IOException("receiver did not finish; sender: " + sender);
                }
                String out = new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new Transfer(sender, out);
            } finally {
                if (receiver.isAlive()) {
                    receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }

        /**
         * Returns {@code /proc/net/snmp} of a namespace.
         *
         * @param ns the namespace
         * @return its content
         */
        public static String snmp(String ns) throws IOException, InterruptedException {
            return run(10, "ip", "netns", "exec", ns, "cat", "/proc/net/snmp");
        }

        /**
         * Reads a counter from {@code /proc/net/snmp} text.
         *
         * @param snmp    the file's content
         * @param section {@code Tcp}, {@code Udp}, ...
         * @param name    the counter, e.g. {@code InCsumErrors}
         * @return its value
         */
        public static long counter(String snmp, String section, String name) {
            String[] header = null;
            for (String line : snmp.split("\n")) {
                if (!line.startsWith(section + ':')) {
                    continue;
                }
                String[] fields = line.trim().split("\\s+");
                if (header == null) {
                    header = fields;
                } else {
                    for (int i = 1; i < header.length; i++) {
                        if (header[i].equals(name)) {
                            return Long.parseLong(fields[i]);
                        }
                    }
                }
            }
            throw new IllegalArgumentException("no " + section + ' ' + name + " in " + snmp);
        }

        @Override
        public void close() {
            for (String ns : new String[] {ns1, ns2}) {
                try {
                    run(10, "ip", "netns", "del", ns);
                } catch (IOException | InterruptedException | RuntimeException ignored) {
                    // not created, or already gone
                }
            }
        }

        private static void ip(String... args) throws IOException, InterruptedException {
            String[] command = new String[args.length + 1];
            command[0] = "ip";
            System.arraycopy(args, 0, command, 1, args.length);
            run(10, command);
        }
    }

    static String lastLine(String output, String prefix) {
        String found = null;
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                found = line.trim();
            }
        }
        if (found == null) {
            throw new IllegalStateException("no line starting with " + prefix + " in: " + output);
        }
        return found;
    }

    /** Runs a command, fails unless it exits with 0, returns its output. */
    static String run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread pump = new Thread(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = new byte[0];
            }
        });
        pump.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("timed out: " + String.join(" ", command));
        }
        pump.join(5000);
        String out = output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + out);
        }
        return out;
    }

    /**
     * The benchmark: {@code [--secs S] [--reps N] [--modes off,passthrough,segment] [--ipv6]}. Modes are
     * interleaved within each repetition; the table shows the median of each.
     */
    static void bench(String[] args) throws Exception {
        double secs = 8;
        int reps = 3;
        boolean ipv6 = false;
        List<Mode> modes = new ArrayList<>(List.of(Mode.OFF, Mode.PASSTHROUGH, Mode.SEGMENT));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--secs": secs = Double.parseDouble(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--ipv6": ipv6 = true; break;
                case "--modes":
                    modes.clear();
                    for (String m : args[++i].split(",")) {
                        modes.add(Mode.valueOf(m.trim().toUpperCase(java.util.Locale.ROOT)));
                    }
                    break;
                default: throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --secs S --reps N --modes off,passthrough,segment --ipv6");
            }
        }
        String prefix = "fwb" + Long.toString(ProcessHandle.current().pid() % 46656, 36);
        String cp = System.getProperty("java.class.path");
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        java.util.Map<Mode, List<Double>> results = new java.util.EnumMap<>(Mode.class);
        java.util.Map<Mode, double[]> framesPerSuper = new java.util.EnumMap<>(Mode.class);
        try {
            for (int rep = 0; rep < reps; rep++) {
                for (Mode mode : modes) {
                    Testbed tb = new Testbed(prefix, cp);
                    try {
                        Testbed.Transfer t;
                        long frames;
                        long supers;
                        try (Forwarder f = Forwarder.start(group.next(), tb.deviceA(), tb.deviceB(), mode)) {
                            tb.setUp(f);
                            t = tb.transfer(ipv6, secs, 0);
                            frames = f.frames();
                            supers = f.superFrames();
                        }
                        if (t.mismatch >= 0 || t.sent != t.received || !t.sentCrc.equals(t.receivedCrc)) {
                            throw new IllegalStateException(mode + ": data differs: " + t);
                        }
                        results.computeIfAbsent(mode, m -> new ArrayList<>()).add(t.gbps());
                        framesPerSuper.put(mode, new double[] {frames, supers});
                        System.out.printf("rep %d %-11s %6.2f Gbit/s  %d frames read, %d of them GSO, %d MB%n",
                                rep + 1, mode.name().toLowerCase(java.util.Locale.ROOT), t.gbps(), frames, supers,
                                t.received / 1_000_000);
                    } finally {
                        tb.close();
                    }
                }
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        StringBuilder table = new StringBuilder();
        table.append("| mode | median Gbit/s | runs (Gbit/s) | vs off |\n|---|---|---|---|\n");
        double off = results.containsKey(Mode.OFF) ? median(results.get(Mode.OFF)) : Double.NaN;
        for (Mode mode : modes) {
            double m = median(results.get(mode));
            StringBuilder runs = new StringBuilder();
            for (double v : results.get(mode)) {
                runs.append(runs.length() == 0 ? "" : ", ").append(String.format("%.2f", v));
            }
            table.append(String.format("| %s | %.2f | %s | %.2fx |%n", mode.name().toLowerCase(java.util.Locale.ROOT),
                    m, runs, m / off));
        }
        System.out.println();
        System.out.print(table);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
