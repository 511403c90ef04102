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
package io.github.nettytun.offload;

import io.github.nettytun.codec.IpProtocols;
import io.github.nettytun.codec.TcpView;
import io.github.nettytun.codec.VirtioNetFrame;
import io.github.nettytun.codec.VirtioNetHeader;
import io.github.nettytun.codec.pcap.PcapReader;
import io.github.nettytun.codec.pcap.PcapRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.github.nettytun.offload.OffloadPackets.assertValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TunSegmentationHandler} on super-packets the kernel really produced (tun-vnet.pcap), on
 * hand-built ones with every flag and header variant, and on garbage.
 */
class TunSegmentationHandlerTest {

    static List<PcapRecord> capture(String name) {
        try (InputStream in = TunSegmentationHandlerTest.class.getResourceAsStream(
                "/io/github/nettytun/codec/captures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing capture " + name);
            }
            return PcapReader.readAll(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ByteBuf pooled(byte[] data) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(data.length).writeBytes(data);
    }

    static List<ByteBuf> drain(EmbeddedChannel ch) {
        List<ByteBuf> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            out.add((ByteBuf) o);
        }
        return out;
    }

    static void release(List<ByteBuf> list) {
        for (ByteBuf b : list) {
            b.release();
        }
    }

    @Test
    void capturedSuperPacketsSegmentIntoValidPackets() {
        Set<Integer> seen = new HashSet<>();
        TunSegmentationHandler handler = new TunSegmentationHandler(VirtioNetHeader.LENGTH_V1);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        int completed = 0;
        for (PcapRecord r : capture("tun-vnet.pcap")) {
            byte[] frame = r.data();
            ByteBuf in = Unpooled.wrappedBuffer(frame);
            VirtioNetHeader h = VirtioNetHeader.read(in, 0, 12);
            ByteBuf original = in.slice(12, frame.length - 12);
            ch.writeInbound(pooled(frame));
            List<ByteBuf> out = drain(ch);
            try {
                seen.add(h.gsoProtocol());
                if (h.gsoProtocol() == VirtioNetHeader.GSO_NONE) {
                    assertEquals(1, out.size());
                    if (h.needsChecksum()) {
                        completed++;
                        assertValid(out.get(0));
                    }
                    // everything but the checksum field is as read
                    assertEquals(original.readableBytes(), out.get(0).readableBytes());
                    continue;
                }
                checkSegments(original, h, out);
            } finally {
                release(out);
            }
        }
        assertTrue(seen.containsAll(Set.of(VirtioNetHeader.GSO_NONE, VirtioNetHeader.GSO_TCPV4,
                VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.GSO_UDP_L4)), seen.toString());
        assertTrue(completed > 0, "captures hold partial checksums");
        assertEquals(0, handler.droppedFrames());
        assertEquals(completed, handler.checksumsCompleted());
        assertTrue(handler.superPackets() >= 3);
        assertFalse(ch.finish());
    }

    /** Checks segments against the super-packet they came from, field by field. */
    static void checkSegments(ByteBuf superPacket, VirtioNetHeader h, List<ByteBuf> segments) {
        int base = superPacket.readerIndex();
        int length = superPacket.readableBytes();
        long located = IpLayout.locate(superPacket, base, length);
        int l4 = IpLayout.offset(located);
        boolean tcp = IpLayout.protocol(located) == IpProtocols.TCP;
        boolean v4 = superPacket.getUnsignedByte(base) >>> 4 == 4;
        int headers = l4 + (tcp ? (superPacket.getUnsignedByte(base + l4 + 12) >>> 4) * 4 : 8);
        int payload = length - headers;
        assertEquals((payload + h.gsoSize() - 1) / h.gsoSize(), segments.size(), "segment count");
        int flags = tcp ? superPacket.getUnsignedByte(base + l4 + 13) : 0;
        ByteBuf joined = Unpooled.buffer(payload);
        for (int i = 0; i < segments.size(); i++) {
            ByteBuf s = segments.get(i);
            int sb = s.readerIndex();
            assertValid(s);
            boolean last = i == segments.size() - 1;
            assertEquals(last ? payload - i * h.gsoSize() : h.gsoSize(), s.readableBytes() - headers);
            if (v4) {
                assertEquals((superPacket.getUnsignedShort(base + 4) + i) & 0xFFFF, s.getUnsignedShort(sb + 4), "id");
            }
            if (tcp) {
                assertEquals((superPacket.getUnsignedInt(base + l4 + 4) + (long) i * h.gsoSize()) & 0xFFFF_FFFFL,
                        s.getUnsignedInt(sb + l4 + 4), "seq");
                int expected = flags;
                if (!last) {
                    expected &= ~(TcpView.FIN | TcpView.PSH);
                }
                if (i > 0) {
                    expected &= ~TcpView.CWR;
                }
                assertEquals(expected, s.getUnsignedByte(sb + l4 + 13), "flags of segment " + i);
                // options, ack, window as in the super-packet
                assertTrue(ByteBufUtil.equals(superPacket, base + l4 + 8, s, sb + l4 + 8, 5), "ack, data offset");
                assertTrue(ByteBufUtil.equals(superPacket, base + l4 + 14, s, sb + l4 + 14, 2), "window");
                assertTrue(ByteBufUtil.equals(superPacket, base + l4 + 18, s, sb + l4 + 18, headers - l4 - 18));
            }
            // addresses and ports unchanged
            int addr = v4 ? 12 : 8;
            assertTrue(ByteBufUtil.equals(superPacket, base + addr, s, sb + addr, l4 - addr + 4));
            joined.writeBytes(s, sb + headers, s.readableBytes() - headers);
        }
        assertTrue(ByteBufUtil.equals(superPacket, base + headers, joined, 0, payload), "payload preserved");
    }

    /**
     * Segmenting a captured TCP super-packet and coalescing the segments gives back the kernel's own frame:
     * the same virtio-net header (hdr_len, gso_size, csum_start/offset) and the same bytes, partial checksum
     * included.
     */
    @Test
    void capturedTcpSuperPacketsSurviveSegmentAndCoalesce() {
        int checked = 0;
        for (PcapRecord r : capture("tun-vnet.pcap")) {
            byte[] frame = r.data();
            VirtioNetHeader h = VirtioNetHeader.read(Unpooled.wrappedBuffer(frame), 0, 12);
            if (h.gsoProtocol() != VirtioNetHeader.GSO_TCPV4 && h.gsoProtocol() != VirtioNetHeader.GSO_TCPV6) {
                continue;
            }
            EmbeddedChannel in = new EmbeddedChannel(new TunSegmentationHandler(12));
            in.writeInbound(pooled(frame));
            EmbeddedChannel out = new EmbeddedChannel(new TunCoalescingHandler(12));
            for (ByteBuf segment : drain(in)) {
                out.write(segment);
            }
            out.flush();
            ByteBuf merged = out.readOutbound();
            try {
                assertEquals((Object) null, out.readOutbound());
                assertEquals(h, VirtioNetHeader.read(merged, 0, 12));
                assertArrayEquals(frame, OffloadPackets.bytes(merged));
            } finally {
                merged.release();
            }
            assertFalse(in.finish());
            assertFalse(out.finish());
            checked++;
        }
        assertTrue(checked >= 2, "TSO4 and TSO6 frames in the capture");
    }

    @Test
    void tcpFlagsOptionsAndIpv6ExtensionHeaders() {
        Random random = new Random(7);
        for (int version : new int[] {4, 6}) {
            for (boolean extension : new boolean[] {false, true}) {
                OffloadPackets.Ip ip = new OffloadPackets.Ip();
                ip.version = version;
                ip.id = 0xFFFE; // wraps
                if (extension) {
                    ip.options = version == 4 ? new byte[] {1, 1, 1, 0} : new byte[] {1, 4, 0, 0, 0, 0};
                }
                byte[] payload = new byte[5000];
                random.nextBytes(payload);
                byte[] tcpOptions = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
                int flags = TcpView.ACK | TcpView.PSH | TcpView.FIN | TcpView.CWR | TcpView.ECE;
                ByteBuf superPacket = OffloadPackets.tcp(ip, 1000, 2000, 0xFFFFF000L, 77, flags, 512, tcpOptions,
                        payload);
                int l4 = IpLayout.offset(IpLayout.locate(superPacket, 0, superPacket.readableBytes()));
                // the kernel's form: partial checksum (pseudo-header sum only)
                int gsoSize = 1200;
                VirtioNetHeader h = new VirtioNetHeader(VirtioNetHeader.FLAG_NEEDS_CSUM,
                        (version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6) | VirtioNetHeader.GSO_ECN,
                        l4 + 32, gsoSize, l4, 16, 0);
                ByteBuf copy = superPacket.copy();
                EmbeddedChannel ch = new EmbeddedChannel(new TunSegmentationHandler(10));
                ch.writeInbound(new VirtioNetFrame(h, superPacket));
                List<ByteBuf> out = drain(ch);
                try {
                    checkSegments(copy, h, out);
                    assertEquals(5, out.size());
                } finally {
                    release(out);
                    copy.release();
                }
                assertFalse(ch.finish());
            }
        }
    }

    @Test
    void udpSegmentationWithVnetHeaderOutput() {
        OffloadPackets.Ip ip = new OffloadPackets.Ip();
        for (int version : new int[] {4, 6}) {
            ip.version = version;
            byte[] payload = new byte[3500];
            new Random(version).nextBytes(payload);
            ByteBuf superPacket = OffloadPackets.udp(ip, 53, 5353, payload);
            int l4 = version == 4 ? 20 : 40;
            ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer();
            new VirtioNetHeader(VirtioNetHeader.FLAG_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, l4 + 8, 1000, l4, 6, 0)
                    .write(frame, 12);
            frame.writeBytes(superPacket, 0, superPacket.readableBytes());
            EmbeddedChannel ch = new EmbeddedChannel(new TunSegmentationHandler(12, true));
            ch.writeInbound(frame);
            List<ByteBuf> out = drain(ch);
            try {
                assertEquals(4, out.size());
                List<ByteBuf> packets = new ArrayList<>();
                for (ByteBuf f : out) {
                    assertEquals(VirtioNetHeader.NONE, VirtioNetHeader.read(f, f.readerIndex(), 12));
                    packets.add(f.slice(f.readerIndex() + 12, f.readableBytes() - 12));
                }
                VirtioNetHeader h = new VirtioNetHeader(0, VirtioNetHeader.GSO_UDP_L4, l4 + 8, 1000, l4, 6, 0);
                checkSegments(superPacket, h, packets);
                assertEquals(l4 + 8 + 500, packets.get(3).readableBytes());
            } finally {
                release(out);
                superPacket.release();
            }
            assertFalse(ch.finish());
        }
    }

    @Test
    void partialChecksumIsCompletedInPlace() {
        OffloadPackets.Ip ip = new OffloadPackets.Ip();
        ip.version = 6;
        ByteBuf packet = OffloadPackets.udp(ip, 1, 2, new byte[] {1, 2, 3});
        byte[] expected = OffloadPackets.bytes(packet);
        // replace the checksum by the pseudo-header sum, as the kernel hands it over with NEEDS_CSUM
        long pseudo = IpLayout.pseudoHeaderSumWithoutLength(packet, 0, IpProtocols.UDP) + 11;
        packet.setShort(46, ~io.github.nettytun.codec.InternetChecksum.finish(pseudo) & 0xFFFF);
        EmbeddedChannel ch = new EmbeddedChannel(new TunSegmentationHandler(10));
        ch.writeInbound(new VirtioNetFrame(new VirtioNetHeader(VirtioNetHeader.FLAG_NEEDS_CSUM, 0, 0, 0, 40, 6, 0),
                packet));
        ByteBuf out = ch.readInbound();
        assertArrayEquals(expected, OffloadPackets.bytes(out));
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void garbageIsDroppedWithoutExceptionsOrLeaks() {
        Random random = new Random(11);
        TunSegmentationHandler handler = new TunSegmentationHandler(10);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        List<PcapRecord> records = capture("tun-vnet.pcap");
        for (int i = 0; i < 3000; i++) {
            byte[] frame;
            if (i % 2 == 0) {
                // a real frame (12-byte header squeezed to 10) with a few corrupted bytes
                byte[] data = records.get(random.nextInt(records.size())).data();
                frame = new byte[data.length - 2];
                System.arraycopy(data, 0, frame, 0, 10);
                System.arraycopy(data, 12, frame, 10, data.length - 12);
                for (int k = random.nextInt(4); k >= 0; k--) {
                    frame[random.nextInt(Math.min(frame.length, 80))] = (byte) random.nextInt();
                }
                if (random.nextBoolean()) {
                    frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length + 1));
                }
            } else {
                frame = new byte[random.nextInt(200)];
                random.nextBytes(frame);
                if (frame.length > 10) {
                    frame[1] = (byte) new int[] {0, 1, 3, 4, 5, 0x81}[random.nextInt(6)];
                    frame[10] = (byte) (random.nextBoolean() ? 0x45 : 0x60);
                }
            }
            ch.writeInbound(pooled(frame));
            for (ByteBuf b : drain(ch)) {
                b.release(); // validity is not promised for garbage, only safety
            }
        }
        assertTrue(handler.droppedFrames() > 0);
        assertFalse(ch.finish());
    }
}
