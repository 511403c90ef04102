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

import io.github.nettytun.codec.InternetChecksum;
import io.github.nettytun.codec.IpProtocols;
import io.github.nettytun.codec.TcpView;
import io.github.nettytun.codec.VirtioNetFrame;
import io.github.nettytun.codec.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.nettytun.offload.OffloadPackets.assertValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TunCoalescingHandler}: the super-packets it builds, and the property that segmenting its output
 * gives back exactly what was written (every packet byte-identical, each flow in order), for random and
 * adversarial sequences.
 */
class TunCoalescingHandlerTest {

    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};

    static byte[] payload(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    /** Writes the packets (each flush-separated batch as given), returns the frames written. */
    static List<ByteBuf> run(TunCoalescingHandler handler, List<List<ByteBuf>> batches) {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        List<ChannelFuture> futures = new ArrayList<>();
        for (List<ByteBuf> batch : batches) {
            for (ByteBuf p : batch) {
                futures.add(ch.write(p));
            }
            ch.flush();
        }
        for (ChannelFuture f : futures) {
            assertTrue(f.isSuccess(), String.valueOf(f.cause()));
        }
        List<ByteBuf> out = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            out.add((ByteBuf) o);
        }
        assertFalse(ch.finish());
        return out;
    }

    /** Checks a GSO frame's header the way the kernel's virtio_net_hdr_to_skb and GSO code will use it. */
    static void checkSuperPacket(ByteBuf frame, int vnetLength) {
        VirtioNetHeader h = VirtioNetHeader.read(frame, frame.readerIndex(), Math.min(12, vnetLength));
        int base = frame.readerIndex() + vnetLength;
        int length = frame.readableBytes() - vnetLength;
        long located = IpLayout.locate(frame, base, length);
        int l4 = IpLayout.offset(located);
        int protocol = IpLayout.protocol(located);
        boolean v4 = frame.getUnsignedByte(base) >>> 4 == 4;
        assertEquals(VirtioNetHeader.FLAG_NEEDS_CSUM, h.flags());
        assertEquals(protocol == IpProtocols.UDP ? VirtioNetHeader.GSO_UDP_L4
                : v4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, h.gsoType());
        assertEquals(l4, h.checksumStart());
        assertEquals(protocol == IpProtocols.UDP ? 6 : 16, h.checksumOffset());
        int headers = l4 + (protocol == IpProtocols.UDP ? 8 : (frame.getUnsignedByte(base + l4 + 12) >>> 4) * 4);
        assertEquals(headers, h.headerLength());
        assertTrue(length - headers > h.gsoSize(), "more than one segment");
        if (v4) {
            assertEquals(length, frame.getUnsignedShort(base + 2));
            assertEquals(0, InternetChecksum.compute(frame, base, 20), "IPv4 header checksum");
        } else {
            assertEquals(length - 40, frame.getUnsignedShort(base + 4));
        }
        long pseudo = IpLayout.pseudoHeaderSumWithoutLength(frame, base, protocol) + (length - l4);
        assertEquals(~InternetChecksum.finish(pseudo) & 0xFFFF, frame.getUnsignedShort(base + l4 + h.checksumOffset()),
                "pseudo-header sum in the checksum field");
    }

    /** Segments every frame back into packets, checking headers on the way; releases the frames. */
    static List<byte[]> unframe(List<ByteBuf> frames, int vnetLength, int[] superPackets) {
        List<byte[]> packets = new ArrayList<>();
        for (ByteBuf f : frames) {
            try {
                VirtioNetHeader h = VirtioNetHeader.read(f, f.readerIndex(), Math.min(12, vnetLength));
                if (h.gsoProtocol() != VirtioNetHeader.GSO_NONE) {
                    superPackets[0]++;
                    checkSuperPacket(f, vnetLength);
                    List<ByteBuf> segments = OffloadPackets.segmentFrame(f, vnetLength);
                    for (ByteBuf s : segments) {
                        assertValid(s);
                        packets.add(OffloadPackets.bytes(s));
                        s.release();
                    }
                } else {
                    assertEquals(VirtioNetHeader.NONE, h);
                    packets.add(ByteBufUtil.getBytes(f, f.readerIndex() + vnetLength, f.readableBytes() - vnetLength));
                }
            } finally {
                f.release();
            }
        }
        return packets;
    }

    @Test
    void consecutiveTcpSegmentsBecomeOneSuperPacket() {
        Random random = new Random(1);
        for (int version : new int[] {4, 6}) {
            OffloadPackets.Ip ip = new OffloadPackets.Ip();
            ip.version = version;
            List<ByteBuf> batch = new ArrayList<>();
            List<byte[]> expected = new ArrayList<>();
            long seq = 1000;
            for (int i = 0; i < 10; i++) {
                int size = i == 9 ? 300 : 1400;
                ip.id = 100 + i;
                ByteBuf p = OffloadPackets.tcp(ip, 4000, 5000, seq, 9, TcpView.ACK | (i == 9 ? TcpView.PSH : 0), 1000,
                        TIMESTAMPS, payload(random, size));
                seq += size;
                expected.add(OffloadPackets.bytes(p));
                batch.add(p);
            }
            TunCoalescingHandler handler = new TunCoalescingHandler(12);
            List<ByteBuf> out = run(handler, List.of(batch));
            assertEquals(1, out.size());
            ByteBuf f = out.get(0);
            VirtioNetHeader h = VirtioNetHeader.read(f, 0, 12);
            assertEquals(1400, h.gsoSize());
            assertEquals(12 + (version == 4 ? 20 : 40) + 32 + 9 * 1400 + 300, f.readableBytes());
            assertEquals(TcpView.ACK | TcpView.PSH, f.getUnsignedByte(12 + (version == 4 ? 20 : 40) + 13));
            int[] supers = {0};
            List<byte[]> back = unframe(out, 12, supers);
            assertEquals(expected.size(), back.size());
            for (int i = 0; i < back.size(); i++) {
                assertArrayEquals(expected.get(i), back.get(i), "segment " + i);
            }
            assertEquals(1, handler.superPacketsOut());
            assertEquals(10, handler.packetsCoalesced());
        }
    }

    @Test
    void udpDatagramsBecomeOneUsoSuperPacketAndSwitchesTurnItOff() {
        Random random = new Random(2);
        OffloadPackets.Ip ip = new OffloadPackets.Ip();
        for (boolean on : new boolean[] {true, false}) {
            List<ByteBuf> batch = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ip.id = i;
                batch.add(OffloadPackets.udp(ip, 7, 8, payload(random, i == 5 ? 10 : 1000)));
            }
            for (int i = 0; i < 6; i++) {
                ip.id = 10 + i;
                batch.add(OffloadPackets.tcp(ip, 7, 8, 1000L * i, 1, TcpView.ACK, 1, new byte[0], payload(random, 1000)));
            }
            TunCoalescingHandler handler = new TunCoalescingHandler(10).setUdpGro(on).setTcpGro(on);
            List<ByteBuf> out = run(handler, List.of(batch));
            assertEquals(on ? 2 : 12, out.size());
            if (on) {
                assertEquals(VirtioNetHeader.GSO_UDP_L4, out.get(0).getUnsignedByte(1));
                assertEquals(1000, out.get(0).getUnsignedShortLE(4));
            }
            int[] supers = {0};
            assertEquals(12, unframe(out, 10, supers).size());
            assertEquals(on ? 2 : 0, supers[0]);
        }
    }

    @Test
    void corruptPacketsAreNeverLaunderedIntoSuperPackets() {
        OffloadPackets.Ip ip = new OffloadPackets.Ip();
        List<ByteBuf> batch = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ip.id = i;
            ByteBuf p = OffloadPackets.tcp(ip, 1, 2, 100L * i, 1, TcpView.ACK, 1, new byte[0], new byte[100]);
            if (i == 2) {
                p.setByte(p.writerIndex() - 1, 1); // payload corrupted after the checksum
            }
            expected.add(OffloadPackets.bytes(p));
            batch.add(p);
        }
        TunCoalescingHandler handler = new TunCoalescingHandler(10);
        List<ByteBuf> out = run(handler, List.of(batch));
        int[] supers = {0};
        List<byte[]> back = unframe(out, 10, supers);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(expected.get(i), back.get(i));
        }
        assertEquals(1, handler.badChecksums());
        assertEquals(3, out.size(), "0+1 merged, 2 alone, 3 alone");
    }

    @Test
    void framesWithHeadersAndOtherMessagesPassInOrder() {
        OffloadPackets.Ip ip = new OffloadPackets.Ip();
        ByteBuf big = OffloadPackets.tcp(ip, 1, 2, 0, 1, TcpView.ACK, 1, new byte[0], new byte[6000]);
        VirtioNetHeader gso = new VirtioNetHeader(VirtioNetHeader.FLAG_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 40,
                1000, 20, 16, 0);
        EmbeddedChannel ch = new EmbeddedChannel(new TunCoalescingHandler(10));
        ch.write(new VirtioNetFrame(gso, big));
        ch.write("not a packet");
        ch.writeAndFlush(PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(new byte[] {1, 2, 3}));
        ByteBuf first = ch.readOutbound();
        assertEquals(gso, VirtioNetHeader.read(first, 0, 10));
        assertEquals(10 + 6040, first.readableBytes());
        first.release();
        assertEquals("not a packet", ch.readOutbound());
        ByteBuf third = ch.readOutbound();
        assertEquals(13, third.readableBytes());
        third.release();
        assertFalse(ch.finish());
    }

    @Test
    void unflushedPacketsAreReleasedOnClose() {
        EmbeddedChannel ch = new EmbeddedChannel(new TunCoalescingHandler(10));
        ChannelFuture f = ch.write(OffloadPackets.udp(new OffloadPackets.Ip(), 1, 2, new byte[10]));
        ch.close();
        assertFalse(f.isSuccess());
        assertFalse(ch.finish());
    }

    /** One generated flow; its next packet is normally the next segment, sometimes something adversarial. */
    private static final class Flow {
        final OffloadPackets.Ip ip = new OffloadPackets.Ip();
        final boolean tcp;
        final int port;
        final int mss;
        long seq;
        long ack;
        int window = 500;
        byte[] options;

        Flow(Random random, int index) {
            ip.version = random.nextBoolean() ? 4 : 6;
            ip.source = 1 + index;
            ip.destination = 200;
            ip.id = random.nextInt(65536);
            ip.flowLabel = random.nextInt(1 << 20);
            tcp = random.nextInt(4) != 0;
            port = 10000 + index;
            mss = 1 + random.nextInt(random.nextBoolean() ? 1460 : 100);
            seq = random.nextLong() & 0xFFFF_FFFFL;
            ack = random.nextLong() & 0xFFFF_FFFFL;
            options = random.nextBoolean() ? TIMESTAMPS : new byte[0];
        }

        ByteBuf next(Random random) {
            OffloadPackets.Ip ip = this.ip.copy();
            int size = mss;
            int flags = TcpView.ACK;
            byte[] opts = options;
            long s = seq;
            boolean corrupt = false;
            boolean corruptIp = false;
            switch (random.nextInt(40)) {
                case 0: size = 1 + random.nextInt(mss); break;            // short tail
                case 1: flags |= TcpView.PSH; break;
                case 2: s += 1 + random.nextInt(5000); break;              // gap
                case 3: s -= 1 + random.nextInt(3000); break;              // overlap / retransmission
                case 4: flags |= new int[] {TcpView.FIN, TcpView.SYN, TcpView.RST, TcpView.URG, TcpView.CWR,
                        TcpView.ECE}[random.nextInt(6)]; break;
                case 5: opts = new byte[] {1, 1, 1, 0}; break;             // other options
                case 6: ack++; break;
                case 7: window++; break;
                case 8: this.ip.ttl--; break;
                case 9: this.ip.id += 7; break;                            // id jump
                case 10: corrupt = true; break;
                case 11: corruptIp = ip.version == 4; break;
                case 12: size = mss + 1 + random.nextInt(100); break;      // larger than the flow's segments
                case 13: size = 0; break;                                  // pure ACK
                case 14: ip.options = ip.version == 4 ? new byte[] {1, 1, 1, 0} : new byte[] {1, 4, 0, 0, 0, 0}; break;
                case 15: ip.tos ^= 1; break;
                case 16: ip.dontFragment = !ip.dontFragment; break;
                default: break;
            }
            ip.ttl = this.ip.ttl;
            ip.id = this.ip.id;
            this.ip.id = (this.ip.id + 1) & 0xFFFF;
            byte[] data = payload(random, size);
            ByteBuf p = tcp ? OffloadPackets.tcp(ip, port, 80, s, ack, flags, window, opts, data)
                    : OffloadPackets.udp(ip, port, 80, data);
            if (tcp) {
                seq = (s + size) & 0xFFFF_FFFFL;
            }
            if (corrupt && p.readableBytes() > 0) {
                int at = p.writerIndex() - 1;
                p.setByte(at, p.getByte(at) ^ 0x5A);
            }
            if (corruptIp) {
                p.setByte(8, p.getByte(8) ^ 1); // TTL changed without the header checksum
            }
            return p;
        }
    }

    private static int flowOf(byte[] packet) {
        if (packet.length < 20 || (packet[0] >> 4 & 0xF) != 4 && (packet[0] >> 4 & 0xF) != 6) {
            return -1;
        }
        int l4 = (packet[0] >> 4 & 0xF) == 4 ? (packet[0] & 0xF) * 4 : 40;
        if ((packet[0] >> 4 & 0xF) == 6 && packet[6] == IpProtocols.HOP_BY_HOP) {
            l4 += 8;
        }
        return packet.length < l4 + 2 ? -1 : (packet[l4] & 0xFF) << 8 | packet[l4 + 1] & 0xFF;
    }

    @Test
    void segmentingWhatWasCoalescedGivesBackTheOriginals() {
        Random seeds = new Random(20261126);
        int totalSupers = 0;
        long deadline = System.nanoTime() + 6_000_000_000L;
        int rounds = 0;
        while (rounds < 400 && System.nanoTime() < deadline) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            rounds++;
            int vnetLength = new int[] {10, 12, 24}[random.nextInt(3)];
            TunCoalescingHandler handler = new TunCoalescingHandler(vnetLength, 1 + random.nextInt(200))
                    .setTcpGro(random.nextInt(8) != 0).setUdpGro(random.nextInt(8) != 0);
            List<Flow> flows = new ArrayList<>();
            for (int i = random.nextInt(6); i >= 0; i--) {
                flows.add(new Flow(random, flows.size()));
            }
            List<List<ByteBuf>> batches = new ArrayList<>();
            Map<Integer, List<byte[]>> sent = new LinkedHashMap<>();
            for (int b = 1 + random.nextInt(5); b > 0; b--) {
                List<ByteBuf> batch = new ArrayList<>();
                for (int n = random.nextInt(120); n > 0; ) {
                    Flow flow = flows.get(random.nextInt(flows.size()));
                    for (int burst = 1 + random.nextInt(20); burst > 0 && n > 0; burst--, n--) {
                        ByteBuf p;
                        if (random.nextInt(100) == 0) {
                            p = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(payload(random,
                                    random.nextInt(60)));   // not an IP packet
                        } else {
                            p = flow.next(random);
                        }
                        byte[] bytes = OffloadPackets.bytes(p);
                        sent.computeIfAbsent(flowOf(bytes), k -> new ArrayList<>()).add(bytes);
                        batch.add(p);
                    }
                }
                batches.add(batch);
            }
            List<ByteBuf> out = run(handler, batches);
            int[] supers = {0};
            List<byte[]> back = unframe(out, vnetLength, supers);
            totalSupers += supers[0];
            Map<Integer, List<byte[]>> received = new LinkedHashMap<>();
            for (byte[] p : back) {
                received.computeIfAbsent(flowOf(p), k -> new ArrayList<>()).add(p);
            }
            assertEquals(sent.keySet(), received.keySet(), "seed " + seed);
            for (Map.Entry<Integer, List<byte[]>> e : sent.entrySet()) {
                List<byte[]> r = received.get(e.getKey());
                assertEquals(e.getValue().size(), r.size(), "flow " + e.getKey() + ", seed " + seed);
                for (int i = 0; i < r.size(); i++) {
                    if (!Arrays.equals(e.getValue().get(i), r.get(i))) {
                        throw new AssertionError("seed " + seed + ", flow " + e.getKey() + ", packet " + i
                                + "\n sent " + ByteBufUtil.hexDump(e.getValue().get(i))
                                + "\n got  " + ByteBufUtil.hexDump(r.get(i)));
                    }
                }
            }
        }
        assertTrue(totalSupers > rounds, "coalescing happened: " + totalSupers + " in " + rounds + " rounds");
        System.out.println("coalescing property: " + rounds + " rounds, " + totalSupers + " super-packets");
    }
}
