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

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Packet-rate benchmark (issue 5): packets per second read from (RX) and written into (TX) one TUN queue,
 * for {@link NettyDut} (EpollTunChannel), {@link BareDut} (the JVM floor), {@link DrasylDut} (drasyl 1.2.2)
 * and, when the shared harness' C sources are at hand, the C reference ({@code tunrx -m read},
 * {@code tuntx}), side by side in one run, as medians over repetitions with ratios.
 *
 * <p>The outer process creates a network namespace {@code ppsb<pid>}, re-runs itself inside it
 * ({@code ip netns exec}) and deletes it afterwards, also on failure and on SIGINT/SIGTERM. Inside, for
 * every run it creates the persistent device {@code ppsb0} with 198.18.0.1/24 (IPv6 off, so no RS/MLD
 * noise), starts the program under test pinned with {@code taskset} (default CPU 1) and the traffic tool
 * on the other CPU (default 0), and samples kernel counters over a window after a warm-up:
 * <ul>
 * <li>RX: {@code udpblast} (C, {@code sendmmsg}) floods 198.18.0.2:9000, routed out through the device;
 *     rate = device {@code tx_packets} (packets handed to {@code read()}), with {@code tx_dropped} (ring
 *     full: the reader was the bottleneck) and {@code Udp OutDatagrams} (offered) alongside.</li>
 * <li>TX: the program writes IPv4/UDP 198.18.0.2 -> 198.18.0.1:9000, delivered locally to {@code udpsink}
 *     (C, {@code recvmmsg}); rate = device {@code rx_packets}, with {@code Udp InDatagrams}.</li>
 * </ul>
 * The traffic tools are the shared harness' C sources ({@code --c-src}), compiled with gcc into the
 * output directory under /tmp at start; nothing of them lives in this project.
 *
 * <p>{@code --mode mq} measures multi-queue RX scaling (issue 4): the device is created {@code multi_queue},
 * {@link FlowBlast} sends {@code --flows} UDP flows (distinct source ports, so the kernel's flow hash spreads
 * them over the queues), and the programs are {@link NettyDut} variants {@code netty:queues=1} and
 * {@code netty:queues=2} ({@code EpollTunMultiQueueChannel}, the same code for both), unpinned. {@code --gen}
 * picks the generator: {@code udp} (UDP sockets, the default) or {@code packet} / {@code packet-mmsg} (pre-built
 * packets through an AF_PACKET socket into the device's transmit path, see {@link FlowBlast}). The table adds
 * each queue's rate and event-loop CPU (from the program), the generator's CPU, and the ratios to 1 queue.
 * Implementation specs {@code name:k=v,...} pass {@code --k v} to the program, e.g. {@code netty:alloc=pooled}.
 *
 * <p>Run as root (see {@code testsuite/BENCHMARKS.md}):
 * {@code mvn -B -Pbench -pl testsuite -am verify -DskipTests -Dpps.args="--reps 3"}, or directly
 * {@code java -cp <testsuite class path> io.github.nettytun.testsuite.bench.PpsBench --help}.
 */
public final class PpsBench {
    private static final String TUN_ADDR = "198.18.0.1";
    private static final String PEER_ADDR = "198.18.0.2";
    private static final int PREFIX = 24;
    private static final int DPORT = 9000;
    private static final int SPORT = 40000;
    private static final String DEFAULT_JAVA_OPTS =
            "-Xms256m -Xmx256m -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled";
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("netty", "(1) netty-tun EpollTunChannel");
        LABELS.put("bare", "(2) bare FileDescriptor loop");
        LABELS.put("drasyl", "(3) drasyl netty-tun 1.2.2");
        LABELS.put("c", "C read()/write() loop");
    }

    /** Processes of the current run, stopped by the shutdown hook if the benchmark is interrupted. */
    private static final List<Process> LIVE = new CopyOnWriteArrayList<>();

    private final Args a;
    private final Path out;
    private final Path logs;
    private final Path bin;
    private final String tun;
    private final String pinDut;
    private final String pinGen;
    private final double secs;
    private final double warmup;
    private final long clkTck;
    private final String java;
    /** {@code --mode mq}: RX over a multi-queue device from many flows, 1 queue vs N queues. */
    private final boolean mqMode;
    private final int flows;
    /**
     * The multi-queue generator: {@code udp} (connected UDP sockets: the kernel's UDP send path and routing
     * run in the generator), {@code packet} or {@code packet-mmsg} (pre-built packets through an AF_PACKET
     * socket straight into the device's transmit path, by TX ring or sendmmsg: 1.5-2x less CPU per packet
     * here; see {@link FlowBlast}).
     */
    private final String genMode;
    /** Total packets per second the generator is paced to; 0 = as fast as it can. */
    private final long genRate;
    private Path flowBlast;

    private PpsBench(Args a) throws IOException, InterruptedException {
        this.a = a;
        this.out = Paths.get(a.str("out", "/tmp/ppsb-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        this.logs = out.resolve("logs");
        this.bin = out.resolve("bin");
        Files.createDirectories(logs);
        Files.createDirectories(bin);
        this.tun = a.str("tun", "ppsb0");
        this.mqMode = "mq".equals(a.str("mode", "single"));
        // Multi-queue: the queues' event loops must be free to use both CPUs, and so must the generator.
        this.pinDut = a.str("pin-dut", mqMode ? "none" : "1");
        this.pinGen = a.str("pin-gen", mqMode ? "none" : "0");
        this.flows = a.integer("flows", 16);
        this.genMode = a.str("gen", "udp");
        if (!List.of("udp", "packet", "packet-mmsg").contains(genMode)) {
            throw new IllegalArgumentException("--gen udp|packet|packet-mmsg, not " + genMode);
        }
        this.genRate = Long.parseLong(a.str("gen-rate", "0"));
        this.secs = a.decimal("secs", 3);
        this.warmup = a.decimal("warmup", 2);
        this.clkTck = Long.parseLong(capture("getconf", "CLK_TCK").trim());
        this.java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Entry point; {@code --help} lists the options.
     *
     * @param argv options
     * @throws Exception on set-up failures
     */
    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        if (a.flag("help")) {
            System.out.println(String.join("\n",
                    "PpsBench [options]   (root; creates and deletes netns ppsb<pid>)",
                    "  --dir rx|tx|both        directions (both)",
                    "  --sizes \"64 1400\"       UDP payload sizes",
                    "  --impls \"netty bare drasyl c\"  programs (c only if --c-src compiles)",
                    "  --reps 3 --secs 3 --warmup 2   repetitions (median), window and warm-up seconds",
                    "  --pin-dut 1 --pin-gen 0 CPU lists for taskset ('none' = unpinned)",
                    "  --c-src DIR             the shared harness' C sources (udpblast/udpsink, tunrx/tuntx)",
                    "  --drasyl-lib DIR        jars of org.drasyl:netty-tun 1.2.2 and its Netty 4.1 (bench profile)",
                    "  --java-opts \"...\"       JVM options of the Java programs (" + DEFAULT_JAVA_OPTS + ")",
                    "  --jfr                   record JFR (settings=profile) per Java run into <out>/jfr",
                    "  --mq                    create the device multi_queue and attach with IFF_MULTI_QUEUE",
                    "  --mode mq               multi-queue RX: device multi_queue, --flows UDP flows from one C",
                    "                          generator, impls \"netty:queues=1 netty:queues=2\", unpinned; per-queue",
                    "                          counts from the program; table of N queues vs 1 queue",
                    "  --flows 16              flows (distinct source ports) of the multi-queue generator",
                    "  --gen udp|packet|packet-mmsg  multi-queue generator: UDP sockets + sendmmsg (udp, default),",
                    "                          or pre-built packets through an AF_PACKET socket on the device with the",
                    "                          qdisc bypassed: TX ring (packet) or sendmmsg (packet-mmsg)",
                    "  --gen-rate 0            pace the multi-queue generator to this many pps in total (0 = flat out)",
                    "  impl variants           netty:k=v,k=v passes --k v to NettyDut, e.g. netty:alloc=pooled,",
                    "                          netty:mmpr=16 (MAX_MESSAGES_PER_READ), netty:mmpw=16, netty:queues=2",
                    "  --out DIR               results (/tmp/ppsb-<time>): runs.csv, table.md, logs/"));
            return;
        }
        if (a.flag("inside")) {
            System.exit(new PpsBench(a).inside());
        }
        System.exit(outside(a, argv));
    }

    // ---- outside the namespace: create it, run ourselves inside, always delete it ----

    private static int outside(Args a, String[] argv) throws Exception {
        if (!isRoot()) {
            System.err.println("PpsBench: must run as root (creates a network namespace and TUN devices)");
            return 2;
        }
        String ns = a.str("netns", "ppsb" + ProcessHandle.current().pid());
        if (!ns.startsWith("ppsb")) {
            throw new IllegalArgumentException("--netns must start with ppsb (only our own namespaces are deleted)");
        }
        if (Arrays.asList(capture("ip", "netns", "list").split("\\s+")).contains(ns)) {
            System.err.println("PpsBench: netns " + ns + " exists (another run?); not touching it");
            return 2;
        }
        exec("ip", "netns", "add", ns);
        Process[] inner = new Process[1];
        Thread cleanup = new Thread(() -> {
            Process p = inner[0];
            if (p != null && p.isAlive()) {
                p.destroy(); // SIGTERM to that PID: its own hook stops its children and deletes the device
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
            quiet("ip", "netns", "del", ns);
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PpsBench.class.getName(), "--inside"));
            cmd.addAll(Arrays.asList(argv));
            inner[0] = new ProcessBuilder(cmd).inheritIO().start();
            return inner[0].waitFor();
        } finally {
            quiet("ip", "netns", "del", ns);
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return "0".equals(line.split("\\s+")[2]); // effective uid
            }
        }
        return false;
    }

    // ---- inside the namespace ----

    private int inside() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                stop(p);
            }
            quiet("ip", "link", "del", "dev", tun);
        }));
        exec("ip", "link", "set", "lo", "up");
        exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
        List<String> impls = new ArrayList<>(Arrays.asList(a.str("impls",
                mqMode ? "netty:queues=1 netty:queues=2" : "netty bare drasyl c").trim().split("\\s+")));
        boolean haveC = compileC(impls.contains("c"));
        if (mqMode) {
            flowBlast = FlowBlast.compile(bin);
            Files.createDirectories(out.resolve("stats"));
        }
        if (!haveC) {
            impls.remove("c");
        }
        String drasylLib = a.str("drasyl-lib", "");
        if (impls.contains("drasyl") && !new File(drasylLib, "netty-tun-1.2.2.jar").isFile()) {
            System.err.println("PpsBench: no drasyl jars in '" + drasylLib + "' (use -Pbench or --drasyl-lib): skipping drasyl");
            impls.remove("drasyl");
        }
        writeEnv(impls);
        String dirArg = a.str("dir", mqMode ? "rx" : "both");
        List<String> dirs = "both".equals(dirArg) ? List.of("rx", "tx") : List.of(dirArg);
        if (mqMode && !dirs.equals(List.of("rx"))) {
            throw new IllegalArgumentException("--mode mq measures rx only");
        }
        int[] sizes = Arrays.stream(a.str("sizes", mqMode ? "64" : "64 1400").trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        int reps = a.integer("reps", 3);
        System.out.println("PpsBench: out=" + out + " impls=" + impls + " dirs=" + dirs + " sizes="
                + Arrays.toString(sizes) + " reps=" + reps + " window=" + secs + "s warmup=" + warmup + "s");
        List<Row> rows = new ArrayList<>();
        try (PrintStream csv = new PrintStream(Files.newOutputStream(out.resolve("runs.csv")), true, "UTF-8")) {
            csv.println(Row.HEADER);
            for (String dir : dirs) {
                for (int size : sizes) {
                    // Interleave programs within each repetition so drift and other tenants hit all alike.
                    for (int rep = 1; rep <= reps; rep++) {
                        for (String impl : impls) {
                            Row r;
                            try {
                                r = run(dir, impl, size, rep);
                            } catch (Exception e) {
                                r = new Row(dir, impl, size, rep);
                                r.note = "FAILED: " + e.getMessage();
                            }
                            rows.add(r);
                            csv.println(r.csv());
                            System.out.println(r.progress());
                        }
                    }
                }
            }
        }
        String table = mqMode ? mqTable(rows, impls, genMode, genRate) : table(rows, impls);
        Files.write(out.resolve("table.md"), table.getBytes(StandardCharsets.UTF_8));
        System.out.println();
        System.out.print(table);
        return rows.stream().anyMatch(r -> r.note.startsWith("FAILED")) ? 1 : 0;
    }

    /** Compiles the traffic tools (always needed) and the C reference (if wanted) from the shared sources. */
    private boolean compileC(boolean wantReference) throws IOException, InterruptedException {
        Path src = Paths.get(a.str("c-src", "../shared/bench/pps/c"));
        if (!Files.isRegularFile(src.resolve("udpblast.c"))) {
            throw new IllegalStateException("no traffic generator sources in " + src.toAbsolutePath()
                    + " (udpblast.c, udpsink.c): pass --c-src <shared harness>/c");
        }
        List<String> tools = new ArrayList<>(List.of("udpblast", "udpsink"));
        if (wantReference) {
            tools.addAll(List.of("tunrx", "tuntx"));
        }
        for (String t : tools) {
            exec("gcc", "-O2", "-Wall", "-o", bin.resolve(t).toString(), src.resolve(t + ".c").toString());
        }
        return wantReference;
    }

    private void writeEnv(List<String> impls) throws IOException, InterruptedException {
        String env = "date: " + LocalDateTime.now() + "\nimpls: " + impls
                + (mqMode ? "\ngenerator: " + genMode + " rate=" + genRate + " flows=" + flows : "")
                + "\nuname: " + capture("uname", "-a")
                + "cpus: " + Runtime.getRuntime().availableProcessors() + "\njava: " + System.getProperty("java.version")
                + "\nloadavg: " + Files.readString(Paths.get("/proc/loadavg"));
        Files.write(out.resolve("env.txt"), env.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> dutCommand(String impl, String dir, int size, String tag) {
        List<String> cmd = new ArrayList<>();
        if ("c".equals(impl)) {
            if ("rx".equals(dir)) {
                cmd.addAll(List.of(bin.resolve("tunrx").toString(), "-i", tun, "-m", "read"));
            } else {
                cmd.addAll(List.of(bin.resolve("tuntx").toString(), "-i", tun, "-s", PEER_ADDR, "-d", TUN_ADDR,
                        "-p", String.valueOf(DPORT), "-P", String.valueOf(SPORT), "-l", String.valueOf(size)));
            }
            if (a.flag("mq")) {
                cmd.add("-Q");
            }
            return cmd;
        }
        cmd.add(java);
        cmd.addAll(Arrays.asList(a.str("java-opts", DEFAULT_JAVA_OPTS).trim().split("\\s+")));
        if (a.flag("jfr")) {
            Path jfr = out.resolve("jfr");
            try {
                Files.createDirectories(jfr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr.resolve(tag + ".jfr"));
        }
        String classes = codeSource();
        switch (base(impl)) {
            case "netty":
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NettyDut.class.getName()));
                break;
            case "bare":
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BareDut.class.getName()));
                break;
            case "drasyl":
                // Only our classes dir plus drasyl's own jars: Netty 4.1.91 must not meet Netty 4.2.
                cmd.addAll(List.of("-cp", classes + File.pathSeparator + a.str("drasyl-lib", "") + "/*",
                        DrasylDut.class.getName()));
                break;
            default:
                throw new IllegalArgumentException("unknown implementation " + impl + " (netty, bare, drasyl, c)");
        }
        cmd.addAll(List.of("--dir", dir, "--tun", tun, "--src", PEER_ADDR, "--dst", TUN_ADDR,
                "--sport", String.valueOf(SPORT), "--dport", String.valueOf(DPORT), "--len", String.valueOf(size)));
        if (a.flag("mq") && !mqMode) {
            cmd.add("--mq");
        }
        cmd.addAll(variantArgs(impl));
        if (mqMode) {
            cmd.addAll(List.of("--stats", statsFile(tag).toString()));
        }
        return cmd;
    }

    /** The program of an implementation spec {@code name[:k=v,k=v]}. */
    static String base(String impl) {
        int i = impl.indexOf(':');
        return i < 0 ? impl : impl.substring(0, i);
    }

    /** The extra options of an implementation spec: {@code netty:alloc=pooled,mmpr=16} gives --alloc pooled --mmpr 16. */
    static List<String> variantArgs(String impl) {
        List<String> args = new ArrayList<>();
        int i = impl.indexOf(':');
        if (i < 0) {
            return args;
        }
        for (String kv : impl.substring(i + 1).split(",")) {
            String[] p = kv.split("=", 2);
            args.add("--" + p[0]);
            if (p.length > 1) {
                args.add(p[1]);
            }
        }
        return args;
    }

    static String label(String impl) {
        String l = LABELS.getOrDefault(base(impl), base(impl));
        int i = impl.indexOf(':');
        return i < 0 ? l : l + " [" + impl.substring(i + 1) + "]";
    }

    private Path statsFile(String tag) {
        return out.resolve("stats").resolve(tag + ".txt");
    }

    private static String codeSource() {
        try {
            return Paths.get(PpsBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Row run(String dir, String impl, int size, int rep) throws Exception {
        String tag = dir + "-" + impl.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + size + "-r" + rep;
        Row row = new Row(dir, impl, size, rep);
        tunCreate();
        Process dut = null;
        Process gen = null;
        Sample s0;
        Sample s1;
        try {
            if ("tx".equals(dir)) { // sink first, so nothing hits a closed port (ICMP noise)
                gen = start(pinned(pinGen, List.of(bin.resolve("udpsink").toString(), "-a", TUN_ADDR,
                        "-p", String.valueOf(DPORT))), tag + ".sink");
                Thread.sleep(200);
            }
            dut = start(pinned(pinDut, dutCommand(impl, dir, size, tag)), tag + ".dut");
            waitAttached(dut, tag);
            if ("rx".equals(dir)) {
                Thread.sleep(300); // let the reader enter its read loop
                if (mqMode) {
                    // The same packets in both modes: 198.18.0.1:41000.. -> 198.18.0.2:9000, one flow per source port.
                    List<String> blast = new ArrayList<>(List.of(flowBlast.toString(),
                            "-m", packetGen() ? "packet" : "udp",
                            "-d", PEER_ADDR, "-p", String.valueOf(DPORT), "-l", String.valueOf(size),
                            "-f", String.valueOf(flows), "-P", String.valueOf(SPORT + 1000),
                            "-r", String.valueOf(genRate)));
                    if (packetGen()) {
                        blast.addAll(List.of("-i", tun, "-s", TUN_ADDR, "-R", "packet".equals(genMode) ? "1" : "0"));
                    }
                    gen = start(pinned(pinGen, blast), tag + ".blast");
                } else {
                    gen = start(pinned(pinGen, List.of(bin.resolve("udpblast").toString(), "-d", PEER_ADDR,
                            "-p", String.valueOf(DPORT), "-l", String.valueOf(size))), tag + ".blast");
                }
            }
            Thread.sleep((long) (warmup * 1000));
            s0 = sample(dut.pid(), gen.pid());
            long[][] q0 = mqMode ? queueStats(statsFile(tag)) : null;
            Thread.sleep((long) (secs * 1000));
            s1 = sample(dut.pid(), gen.pid());
            long[][] q1 = mqMode ? queueStats(statsFile(tag)) : null;
            if (q0 != null && q1 != null && q0.length == q1.length && q0.length > 1) {
                // Row 0 is {t}; rows 1.. are {packets, thread cpu ns} per queue, from the program's own clock.
                double qdt = (q1[0][0] - q0[0][0]) / 1e9;
                row.queuePps = new double[q1.length - 1];
                row.queueCpu = new double[q1.length - 1];
                for (int q = 1; q < q1.length; q++) {
                    row.queuePps[q - 1] = (q1[q][0] - q0[q][0]) / qdt;
                    row.queueCpu[q - 1] = 100.0 * (q1[q][1] - q0[q][1]) / 1e9 / qdt;
                }
            }
            if (!dut.isAlive()) {
                row.note = "dut exited rc=" + dut.exitValue();
            }
        } finally {
            // RX: stop the flood first so the reader is not killed mid-flood; TX: stop the writer first.
            if ("rx".equals(dir)) {
                stop(gen);
                stop(dut);
            } else {
                stop(dut);
                stop(gen);
            }
            quiet("ip", "link", "del", "dev", tun);
        }
        double dt = (s1.nanos - s0.nanos) / 1e9;
        double tick = clkTck * dt;
        row.secs = dt;
        row.dutCpu = 100.0 * (s1.dutTicks - s0.dutTicks) / tick;
        row.genCpu = 100.0 * (s1.genTicks - s0.genTicks) / tick;
        row.otherCpu = 100.0 * (s1.busyTicks - s0.busyTicks) / tick - row.dutCpu - row.genCpu;
        if ("rx".equals(dir)) {
            row.pps = (s1.tunTxPackets - s0.tunTxPackets) / dt;
            // The packet generator bypasses UDP: what it offered is what reached tun_net_xmit(), queued or dropped.
            row.offeredOrReceived = mqMode && packetGen()
                    ? (s1.tunTxPackets - s0.tunTxPackets + s1.tunTxDropped - s0.tunTxDropped) / dt
                    : (s1.udpOut - s0.udpOut) / dt;
            row.dropped = (s1.tunTxDropped - s0.tunTxDropped) / dt;
        } else {
            row.pps = (s1.tunRxPackets - s0.tunRxPackets) / dt;
            row.offeredOrReceived = (s1.udpIn - s0.udpIn) / dt;
            row.dropped = (s1.tunRxDropped - s0.tunRxDropped + s1.udpRcvbuf - s0.udpRcvbuf) / dt;
        }
        return row;
    }

    /** The generator sends through an AF_PACKET socket on the device (TX ring or sendmmsg), not through UDP. */
    private boolean packetGen() {
        return genMode.startsWith("packet");
    }

    private void tunCreate() throws IOException, InterruptedException {
        quiet("ip", "link", "del", "dev", tun); // a leftover of an interrupted run in this namespace
        if (a.flag("mq") || mqMode) {
            exec("ip", "tuntap", "add", "dev", tun, "mode", "tun", "multi_queue");
        } else {
            exec("ip", "tuntap", "add", "dev", tun, "mode", "tun");
        }
        quiet("sysctl", "-qw", "net.ipv6.conf." + tun + ".disable_ipv6=1");
        exec("ip", "addr", "add", TUN_ADDR + "/" + PREFIX, "dev", tun);
        exec("ip", "link", "set", "dev", tun, "up");
    }

    /** The program has attached to the persistent device when its carrier goes up. */
    private void waitAttached(Process dut, String tag) throws Exception {
        Path carrier = Paths.get("/sys/class/net", tun, "carrier");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!dut.isAlive()) {
                throw new IllegalStateException("did not attach: exited (see " + logs.resolve(tag + ".dut.log") + ")");
            }
            try {
                if ("1".equals(Files.readString(carrier).trim())) {
                    return;
                }
            } catch (IOException ignored) {
                // carrier is unreadable while the device is down: keep polling
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("did not attach within 60 s (see " + logs.resolve(tag + ".dut.log") + ")");
    }

    private static List<String> pinned(String cpus, List<String> cmd) {
        if (cpus.isEmpty() || "none".equals(cpus)) {
            return cmd;
        }
        List<String> c = new ArrayList<>(List.of("taskset", "-c", cpus)); // taskset execs: the PID stays the same
        c.addAll(cmd);
        return c;
    }

    private Process start(List<String> cmd, String tag) throws IOException {
        File log = logs.resolve(tag + ".log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        LIVE.add(p);
        return p;
    }

    /** Stops one process we started, by its PID only: SIGTERM, then SIGKILL after 8 s. */
    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        try {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(8, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
        }
    }

    // ---- counters ----

    /** Kernel counters at one instant (all of this namespace only). */
    private static final class Sample {
        long nanos;
        long tunTxPackets;
        long tunTxDropped;
        long tunRxPackets;
        long tunRxDropped;
        long udpOut;
        long udpIn;
        long udpRcvbuf;
        long busyTicks;
        long dutTicks;
        long genTicks;
    }

    private Sample sample(long dutPid, long genPid) throws IOException {
        Sample s = new Sample();
        long t0 = System.nanoTime();
        Path stats = Paths.get("/sys/class/net", tun, "statistics");
        s.tunTxPackets = readLong(stats.resolve("tx_packets"));
        s.tunTxDropped = readLong(stats.resolve("tx_dropped"));
        s.tunRxPackets = readLong(stats.resolve("rx_packets"));
        s.tunRxDropped = readLong(stats.resolve("rx_dropped"));
        List<String[]> udp = Files.readAllLines(Paths.get("/proc/net/snmp")).stream()
                .filter(l -> l.startsWith("Udp:")).map(l -> l.trim().split("\\s+")).collect(Collectors.toList());
        List<String> names = Arrays.asList(udp.get(0));
        s.udpOut = Long.parseLong(udp.get(1)[names.indexOf("OutDatagrams")]);
        s.udpIn = Long.parseLong(udp.get(1)[names.indexOf("InDatagrams")]);
        s.udpRcvbuf = Long.parseLong(udp.get(1)[names.indexOf("RcvbufErrors")]);
        String[] cpu = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8; i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]); // minus idle and iowait
        }
        s.busyTicks = busy;
        s.dutTicks = procTicks(dutPid);
        s.genTicks = procTicks(genPid);
        s.nanos = (t0 + System.nanoTime()) / 2;
        return s;
    }

    /** utime + stime of a process including all its threads, in clock ticks. */
    private static long procTicks(long pid) {
        try {
            String stat = Files.readString(Paths.get("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The program's per-queue stats file: {{t}, {packets, cpu ns} per queue}, or null if not written yet. */
    private static long[][] queueStats(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            long[][] v = new long[lines.size()][];
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split("\\s+");
                v[i] = new long[f.length - 1];
                for (int j = 1; j < f.length; j++) {
                    v[i][j - 1] = Long.parseLong(f[j]);
                }
            }
            return v;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long readLong(Path p) throws IOException {
        return Long.parseLong(Files.readString(p).trim());
    }

    // ---- results ----

    /** One measured run. */
    private static final class Row {
        static final String HEADER = "dir,impl,payload,rep,secs,pps,offered_or_received_pps,dropped_pps,"
                + "dut_cpu_pct,gen_cpu_pct,other_cpu_pct,queue_pps,queue_cpu_pct,note";
        final String dir;
        final String impl;
        final int size;
        final int rep;
        double secs;
        double pps = Double.NaN;
        double offeredOrReceived = Double.NaN;
        double dropped = Double.NaN;
        double dutCpu = Double.NaN;
        double genCpu = Double.NaN;
        double otherCpu = Double.NaN;
        /** Multi-queue mode: packets per second and event-loop CPU % of each queue, from the program. */
        double[] queuePps;
        double[] queueCpu;
        String note = "";

        Row(String dir, String impl, int size, int rep) {
            this.dir = dir;
            this.impl = impl;
            this.size = size;
            this.rep = rep;
        }

        boolean ok() {
            return !Double.isNaN(pps);
        }

        double perCore() {
            return dutCpu > 1 ? pps / (dutCpu / 100.0) : Double.NaN;
        }

        String csv() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%s,%s,\"%s\"", dir, impl,
                    size, rep, secs, pps, offeredOrReceived, dropped, dutCpu, genCpu, otherCpu, join(queuePps, " "),
                    join(queueCpu, " "), note.replace('"', '\''));
        }

        String progress() {
            return String.format(Locale.ROOT, "%s %-6s %5dB rep%d: pps=%,.0f %s=%,.0f drop=%,.0f dutcpu=%.0f%% "
                    + "gencpu=%.0f%% other=%.0f%% %s%s", dir, impl, size, rep, pps, "rx".equals(dir) ? "offered" : "recv",
                    offeredOrReceived, dropped, dutCpu, genCpu, otherCpu,
                    queuePps == null ? "" : "queues pps=" + join(queuePps, "/") + " cpu%=" + join(queueCpu, "/") + " ",
                    note);
        }
    }

    private static String join(double[] v, String sep) {
        if (v == null) {
            return "";
        }
        return Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%.0f", d)).collect(Collectors.joining(sep));
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().filter(d -> !Double.isNaN(d)).sorted().collect(Collectors.toList());
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String ratio(double x, double ref) {
        return Double.isNaN(x) || Double.isNaN(ref) || ref == 0 ? "-" : String.format(Locale.ROOT, "%.2f", x / ref);
    }

    /** One table: a row per direction, size and program; medians; ratios of pps (and pps per DUT core). */
    static String table(List<Row> rows, List<String> impls) {
        StringBuilder sb = new StringBuilder();
        sb.append("| dir | payload B | program | n | median pps | min..max pps | Gbit/s (L3) | offered/recv pps "
                + "| dropped pps | DUT cpu % | other cpu % | pps per DUT core | vs (2) bare | vs (2) per core "
                + "| vs C | vs drasyl |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> dirs = rows.stream().map(r -> r.dir).distinct().collect(Collectors.toList());
        List<Integer> sizes = rows.stream().map(r -> r.size).distinct().collect(Collectors.toList());
        for (String dir : dirs) {
            for (int size : sizes) {
                Map<String, double[]> med = new LinkedHashMap<>(); // impl -> {pps, perCore}
                for (String impl : impls) {
                    List<Row> rs = rows.stream().filter(r -> r.dir.equals(dir) && r.size == size
                            && r.impl.equals(impl) && r.ok()).collect(Collectors.toList());
                    med.put(impl, new double[] {median(rs.stream().map(r -> r.pps).collect(Collectors.toList())),
                            median(rs.stream().map(Row::perCore).collect(Collectors.toList()))});
                }
                double[] bare = med.getOrDefault("bare", new double[] {Double.NaN, Double.NaN});
                double c = med.getOrDefault("c", new double[] {Double.NaN})[0];
                double drasyl = med.getOrDefault("drasyl", new double[] {Double.NaN})[0];
                for (String impl : impls) {
                    List<Row> rs = rows.stream().filter(r -> r.dir.equals(dir) && r.size == size
                            && r.impl.equals(impl) && r.ok()).collect(Collectors.toList());
                    if (rs.isEmpty()) {
                        sb.append(String.format(Locale.ROOT, "| %s | %d | %s | 0 | failed | | | | | | | | | | | |%n",
                                dir, size, label(impl)));
                        continue;
                    }
                    double pps = med.get(impl)[0];
                    double min = rs.stream().mapToDouble(r -> r.pps).min().orElse(Double.NaN);
                    double max = rs.stream().mapToDouble(r -> r.pps).max().orElse(Double.NaN);
                    sb.append(String.format(Locale.ROOT,
                            "| %s | %d | %s | %d | %,.0f | %,.0f..%,.0f | %.3f | %,.0f | %,.0f | %.0f | %.0f | %,.0f "
                                    + "| %s | %s | %s | %s |%n",
                            dir, size, label(impl), rs.size(), pps, min, max,
                            pps * (Ipv4Udp.HEADERS + size) * 8 / 1e9,
                            median(rs.stream().map(r -> r.offeredOrReceived).collect(Collectors.toList())),
                            median(rs.stream().map(r -> r.dropped).collect(Collectors.toList())),
                            median(rs.stream().map(r -> r.dutCpu).collect(Collectors.toList())),
                            median(rs.stream().map(r -> r.otherCpu).collect(Collectors.toList())),
                            med.get(impl)[1], ratio(pps, bare[0]), ratio(med.get(impl)[1], bare[1]),
                            ratio(pps, c), ratio(pps, drasyl)));
                }
            }
        }
        sb.append("\nrx: pps = packets handed to read() (device tx_packets); offered = Udp OutDatagrams of the C "
                + "blaster; dropped = device tx_dropped (ring full: the reader is the bottleneck).\n"
                + "tx: pps = packets accepted by write() (device rx_packets); recv = Udp InDatagrams at the C sink; "
                + "dropped = device rx_dropped + Udp RcvbufErrors.\n"
                + "Medians over repetitions. Gbit/s counts whole IPv4 packets (28 B headers + payload). "
                + "pps per DUT core = pps / the program's CPU share (all its threads).\n");
        return sb.toString();
    }

    /**
     * The multi-queue table: per program (normally 1 and N queues), median pps from the device counter, the
     * share of each queue, CPU of the program, the generator and everything else, and the ratios to the first
     * program (1 queue) of raw pps and pps per DUT core.
     */
    static String mqTable(List<Row> rows, List<String> impls, String generator, long genRate) {
        StringBuilder sb = new StringBuilder();
        sb.append("generator: ").append("packet".equals(generator)
                ? "packet (AF_PACKET TX ring, PACKET_QDISC_BYPASS, pre-built IPv4/UDP packets)"
                : "packet-mmsg".equals(generator)
                ? "packet-mmsg (AF_PACKET sendmmsg, PACKET_QDISC_BYPASS, pre-built IPv4/UDP packets)"
                : "udp (connected UDP sockets, sendmmsg)")
                .append(genRate > 0 ? String.format(Locale.ROOT, ", paced to %,d pps", genRate) : ", flat out")
                .append("\n\n");
        sb.append("| payload B | program | n | median pps | min..max pps | offered pps | dropped pps | per-queue pps "
                + "(share) | per-queue loop cpu % | DUT cpu % | generator cpu % | other cpu % | pps per DUT core "
                + "| generator µs/pkt | vs 1st pps | vs 1st per core |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Integer> sizes = rows.stream().map(r -> r.size).distinct().collect(Collectors.toList());
        for (int size : sizes) {
            double refPps = Double.NaN;
            double refCore = Double.NaN;
            for (String impl : impls) {
                List<Row> rs = rows.stream().filter(r -> r.size == size && r.impl.equals(impl) && r.ok())
                        .collect(Collectors.toList());
                if (rs.isEmpty()) {
                    sb.append(String.format(Locale.ROOT, "| %d | %s | 0 | failed |||||||||||||%n", size, label(impl)));
                    continue;
                }
                double pps = median(rs.stream().map(r -> r.pps).collect(Collectors.toList()));
                double core = median(rs.stream().map(Row::perCore).collect(Collectors.toList()));
                if (Double.isNaN(refPps)) {
                    refPps = pps;
                    refCore = core;
                }
                double offered = median(rs.stream().map(r -> r.offeredOrReceived).collect(Collectors.toList()));
                double gen = median(rs.stream().map(r -> r.genCpu).collect(Collectors.toList()));
                int nq = rs.stream().mapToInt(r -> r.queuePps == null ? 0 : r.queuePps.length).max().orElse(0);
                StringBuilder qp = new StringBuilder();
                StringBuilder qc = new StringBuilder();
                double[] qm = new double[nq];
                double qsum = 0;
                for (int q = 0; q < nq; q++) {
                    final int qi = q;
                    qm[q] = median(rs.stream().filter(r -> r.queuePps != null && r.queuePps.length > qi)
                            .map(r -> r.queuePps[qi]).collect(Collectors.toList()));
                    qsum += qm[q];
                    qc.append(q == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", median(rs.stream()
                            .filter(r -> r.queueCpu != null && r.queueCpu.length > qi).map(r -> r.queueCpu[qi])
                            .collect(Collectors.toList()))));
                }
                for (int q = 0; q < nq; q++) {
                    qp.append(q == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f (%.0f %%)", qm[q],
                            100 * qm[q] / qsum));
                }
                sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %,.0f | %,.0f..%,.0f | %,.0f | %,.0f | %s | %s "
                                + "| %.0f | %.0f | %.0f | %,.0f | %.2f | %s | %s |%n",
                        size, label(impl), rs.size(), pps,
                        rs.stream().mapToDouble(r -> r.pps).min().orElse(Double.NaN),
                        rs.stream().mapToDouble(r -> r.pps).max().orElse(Double.NaN), offered,
                        median(rs.stream().map(r -> r.dropped).collect(Collectors.toList())), qp, qc,
                        median(rs.stream().map(r -> r.dutCpu).collect(Collectors.toList())), gen,
                        median(rs.stream().map(r -> r.otherCpu).collect(Collectors.toList())), core,
                        gen / 100.0 / offered * 1e6, ratio(pps, refPps), ratio(core, refCore)));
            }
        }
        sb.append("\npps = packets handed to read() over all queues (device tx_packets); offered = "
                + (generator.startsWith("packet")
                        ? "device tx_packets + tx_dropped (every packet that reached tun_net_xmit)"
                        : "Udp OutDatagrams of the generator")
                + "; dropped = device tx_dropped (a queue's ring was full). Per-queue pps and event-loop CPU "
                + "come from the program's own per-queue counters (ThreadMXBean for the loop thread). "
                + "generator µs/pkt = generator CPU / offered pps (the kernel's send path and tun xmit run in the "
                + "generator's context). Medians over repetitions; CPU % of one core (200 % = the whole machine).\n");
        return sb.toString();
    }

    // ---- processes ----

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + output.trim());
        }
    }

    private static void quiet(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort clean-up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String capture(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }
}
