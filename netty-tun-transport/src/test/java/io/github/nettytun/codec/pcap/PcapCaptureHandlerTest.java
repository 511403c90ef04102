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
package io.github.nettytun.codec.pcap;

import io.github.nettytun.codec.Ipv4Packets;
import io.github.nettytun.codec.Ipv6Packets;
import io.github.nettytun.codec.TunPiEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapCaptureHandlerTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @TempDir
    Path dir;

    private static Inet4Address v4(String s) throws IOException {
        return (Inet4Address) InetAddress.getByName(s);
    }

    private static Inet6Address v6(String s) throws IOException {
        return (Inet6Address) InetAddress.getByName(s);
    }

    private static List<ByteBuf> samplePackets() throws IOException {
        List<ByteBuf> packets = new ArrayList<>();
        ByteBuf data = Unpooled.wrappedBuffer("netty-tun pcap".getBytes(StandardCharsets.US_ASCII));
        packets.add(Ipv4Packets.icmpEchoRequest(ALLOC, v4("198.18.0.1"), v4("198.18.0.2"), 1, 1, data));
        packets.add(Ipv4Packets.udp(ALLOC, v4("198.18.0.1"), 1000, v4("198.18.0.2"), 2000, data));
        packets.add(Ipv6Packets.icmpv6EchoRequest(ALLOC, v6("2001:2::1"), v6("2001:2::2"), 1, 1, data));
        packets.add(Ipv6Packets.udp(ALLOC, v6("2001:2::1"), 1000, v6("2001:2::2"), 2000, data));
        data.release();
        return packets;
    }

    /** Captures inbound and outbound frames of a TUN pipeline with PI, leaving the PI header out. */
    private Path captureTunWithPi() throws IOException {
        Path file = dir.resolve("tun.pcap");
        try (PcapWriter writer = new PcapWriter(file, PcapWriter.LINKTYPE_RAW)) {
            // Outbound: the capture sits next to the channel, after the PI encoder, so it skips 4 bytes.
            EmbeddedChannel ch = new EmbeddedChannel(new PcapCaptureHandler(writer, 4), new TunPiEncoder());
            for (ByteBuf p : samplePackets()) {
                ByteBuf withPi = Unpooled.buffer().writeShort(0)
                        .writeShort(p.getByte(0) >> 4 == 4 ? 0x0800 : 0x86DD).writeBytes(p, 0, p.readableBytes());
                assertTrue(ch.writeInbound(withPi));
                ((ByteBuf) ch.readInbound()).release();
                assertTrue(ch.writeOutbound(p));
                ((ByteBuf) ch.readOutbound()).release();
            }
            assertFalse(ch.finish());
            assertEquals(8, writer.packetsWritten());
        }
        return file;
    }

    @Test
    void writesEveryFrameWithoutTheSkippedHeader() throws IOException {
        Path file = captureTunWithPi();
        List<PcapRecord> records = PcapReader.readAll(file);
        assertEquals(8, records.size());
        List<ByteBuf> expected = samplePackets();
        for (int i = 0; i < expected.size(); i++) {
            byte[] want = ByteBufUtil.getBytes(expected.get(i));
            assertArrayEquals(want, records.get(2 * i).data(), "inbound " + i);
            assertArrayEquals(want, records.get(2 * i + 1).data(), "outbound " + i);
            assertEquals(want.length, records.get(2 * i).originalLength());
            expected.get(i).release();
        }
        try (PcapReader reader = new PcapReader(Files.newInputStream(file))) {
            assertEquals(PcapWriter.LINKTYPE_RAW, reader.linkType());
        }
    }

    @Test
    void rotatesAndBoundsFiles() throws IOException {
        Path file = dir.resolve("rot.pcap");
        ByteBuf packet = Unpooled.wrappedBuffer(new byte[100]);
        try (PcapWriter writer = new PcapWriter(file, PcapWriter.LINKTYPE_RAW, 65535, 24 + 3 * 116, 3)) {
            for (int i = 0; i < 20; i++) {
                writer.write(packet, 0, 100);
            }
            assertEquals(20, writer.packetsWritten());
            assertTrue(writer.rotations() >= 6);
        }
        packet.release();
        assertEquals(2, PcapReader.readAll(file).size()); // 20 = 6 x 3 + 2
        assertEquals(3, PcapReader.readAll(file.resolveSibling("rot.pcap.1")).size());
        assertEquals(3, PcapReader.readAll(file.resolveSibling("rot.pcap.2")).size());
        assertFalse(Files.exists(file.resolveSibling("rot.pcap.3")));
    }

    @Test
    void snapLengthCutsPacketsAndKeepsOriginalLength() throws IOException {
        Path file = dir.resolve("snap.pcap");
        ByteBuf packet = Unpooled.wrappedBuffer(new byte[300]);
        try (PcapWriter writer = new PcapWriter(file, PcapWriter.LINKTYPE_ETHERNET, 64, Long.MAX_VALUE, 1)) {
            writer.write(packet, 0, 300);
        }
        packet.release();
        PcapRecord r = PcapReader.readAll(file).get(0);
        assertEquals(64, r.data().length);
        assertEquals(300, r.originalLength());
    }

    @Test
    void concurrentWritersProduceAReadableFile() throws Exception {
        Path file = dir.resolve("mt.pcap");
        ByteBuf packet = Unpooled.wrappedBuffer(new byte[60]);
        try (PcapWriter writer = new PcapWriter(file, PcapWriter.LINKTYPE_RAW)) {
            PcapCaptureHandler shared = new PcapCaptureHandler(writer, 0);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    EmbeddedChannel ch = new EmbeddedChannel(shared);
                    for (int i = 0; i < 500; i++) {
                        ch.writeInbound(packet.retainedDuplicate());
                        ((ByteBuf) ch.readInbound()).release();
                    }
                    ch.finish();
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        packet.release();
        assertEquals(2000, PcapReader.readAll(file).size());
    }

    @Test
    void ioErrorsStopTheCaptureButNotThePipeline() throws IOException {
        Path file = dir.resolve("gone.pcap");
        PcapWriter writer = new PcapWriter(file, PcapWriter.LINKTYPE_RAW);
        writer.close();
        EmbeddedChannel ch = new EmbeddedChannel(new PcapCaptureHandler(writer, 0));
        assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x45})));
        ((ByteBuf) ch.readInbound()).release();
        assertFalse(ch.finish());
        assertTrue(writer.isClosed());
        assertEquals(0, writer.packetsWritten());
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Paths.get(d, tool))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        // stderr goes to a file: tshark warns about running as root there, and it must not be counted.
        File err = File.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
            String text = new String(out, StandardCharsets.UTF_8);
            String errors = Files.readString(err.toPath());
            assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + text + errors);
            return text;
        } finally {
            Files.deleteIfExists(err.toPath());
        }
    }

    @Test
    void tcpdumpReadsTheCapture() throws Exception {
        Assumptions.assumeTrue(onPath("tcpdump"), "tcpdump is not installed (apt-get install tcpdump)");
        String out = run("tcpdump", "-nn", "-r", captureTunWithPi().toString());
        assertEquals(8, out.lines().filter(l -> l.contains(" IP")).count(), out);
        assertTrue(out.contains("198.18.0.1 > 198.18.0.2: ICMP echo request, id 1, seq 1"), out);
        assertTrue(out.contains("2001:2::1.1000 > 2001:2::2.2000: UDP"), out);
    }

    @Test
    void tsharkReadsTheCaptureAndVerifiesChecksums() throws Exception {
        Assumptions.assumeTrue(onPath("tshark"), "tshark is not installed (apt-get install tshark)");
        String out = run("tshark", "-n", "-r", captureTunWithPi().toString(), "-o", "udp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-T", "fields", "-e", "frame.protocols", "-e", "udp.checksum.status",
                "-e", "icmp.checksum.status", "-e", "icmpv6.checksum.status", "-e", "ip.checksum.status");
        List<String> lines = out.lines().filter(l -> l.startsWith("raw:")).collect(java.util.stream.Collectors.toList());
        assertEquals(8, lines.size(), out);
        assertFalse(out.contains("\t0"), "a checksum marked bad (status 0):\n" + out);
    }

    @Test
    void tsharkOpensTheKernelCaptures() throws Exception {
        Assumptions.assumeTrue(onPath("tshark"), "tshark is not installed (apt-get install tshark)");
        Path captures;
        try {
            captures = Paths.get(getClass().getResource("/io/github/nettytun/codec/captures/tun.pcap").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        for (String name : new String[] {"tun.pcap", "tun-pi.pcap", "tun-pi-strip.pcap", "tun-vnet.pcap", "tap.pcap",
                "tap-vlan.pcap"}) {
            String out = run("tshark", "-n", "-r", captures.resolve(name).toString());
            assertEquals(PcapReader.readAll(captures.resolve(name)).size(), out.lines().count(), name + ":\n" + out);
        }
        String vlan = run("tshark", "-n", "-r", captures.resolve("tap-vlan.pcap").toString(), "-T", "fields",
                "-e", "ieee8021ad.id", "-e", "vlan.id");
        List<String> ids = vlan.lines().map(String::strip).collect(java.util.stream.Collectors.toList());
        assertTrue(ids.contains("100") && ids.contains("200\t300") && ids.contains("5"), vlan);
    }
}
