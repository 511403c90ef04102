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
package io.github.nettytun.codec;

import io.github.nettytun.codec.pcap.PcapRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds random and mutated real frames to every decoder, under both policies, with pooled (hence
 * leak-tracked at PARANOID) buffers. Asserts that nothing but {@link MalformedFrameException} ever comes
 * out, that every refusal is counted, that every accepted frame re-encodes to its input bytes, and that the
 * packet helpers never throw on garbage. The leak check extension fails the test on any leaked buffer.
 *
 * <p>Runs {@value #DEFAULT_ITERATIONS} inputs by default; {@code -Dnettytun.fuzz.iterations=1000000} for a
 * long run, {@code -Dnettytun.fuzz.seed=N} to change the (fixed by default) seed.
 */
class CodecFuzzTest {

    static final int DEFAULT_ITERATIONS = 20_000;

    private static final int ITERATIONS = Integer.getInteger("nettytun.fuzz.iterations", DEFAULT_ITERATIONS);
    private static final long SEED = Long.getLong("nettytun.fuzz.seed", 0x6e6574747954756eL);
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** One outer layer: its decoder, its encoder, and whether its content is an IP packet. */
    private static final class Layer {
        final String name;
        final EmbeddedChannel decode;
        final EmbeddedChannel encode;
        final AbstractFrameDecoder decoder;
        final List<byte[]> seeds;

        Layer(String name, AbstractFrameDecoder decoder, ChannelHandler encoder, List<byte[]> seeds) {
            this.name = name;
            this.decoder = decoder;
            this.decode = new EmbeddedChannel(decoder);
            this.encode = encoder == null ? null : new EmbeddedChannel(encoder);
            this.seeds = seeds;
        }
    }

    private long accepted;
    private long refused;

    @Test
    void decodersSurviveRandomAndMutatedFrames() {
        List<byte[]> ip = new ArrayList<>();
        List<byte[]> pi = new ArrayList<>();
        List<byte[]> vnet = new ArrayList<>();
        List<byte[]> eth = new ArrayList<>();
        for (PcapRecord r : TestFrames.capture("tun.pcap")) {
            ip.add(r.data());
        }
        for (PcapRecord r : TestFrames.capture("tun-pi.pcap")) {
            pi.add(r.data());
            ip.add(Arrays.copyOfRange(r.data(), 4, r.data().length));
        }
        pi.addAll(dataOf("tun-pi-strip.pcap"));
        for (PcapRecord r : TestFrames.capture("tun-vnet.pcap")) {
            vnet.add(r.data());
            ip.add(Arrays.copyOfRange(r.data(), 12, r.data().length));
        }
        eth.addAll(dataOf("tap.pcap"));
        eth.addAll(dataOf("tap-vlan.pcap"));
        ip.addAll(jumbograms());
        Random seedRandom = new Random(SEED);
        List<byte[]> vnet20 = extendVnetHeaders(vnet, VirtioNetHeader.LENGTH_HASH, seedRandom);
        List<byte[]> vnet24 = extendVnetHeaders(vnet, VirtioNetHeader.LENGTH_HASH_TUNNEL, seedRandom);
        vnet24.addAll(dataOf("tun-vnet24.pcap")); // real UDP tunnel GSO headers
        List<byte[]> vnet32 = extendVnetHeaders(vnet, 32, seedRandom);

        List<Layer> layers = new ArrayList<>();
        for (MalformedFramePolicy policy : MalformedFramePolicy.values()) {
            boolean strict = policy == MalformedFramePolicy.DROP;
            layers.add(new Layer("ip/" + policy, new IpPacketDecoder(policy, new DropCounters(), strict, 4),
                    new IpPacketEncoder(false, !strict), ip));
            layers.add(new Layer("pi/" + policy, new TunPiDecoder(policy, new DropCounters()),
                    new TunPiEncoder(false, strict), pi));
            layers.add(new Layer("vnet12/" + policy, new VirtioNetHeaderDecoder(12, policy, new DropCounters()),
                    new VirtioNetHeaderEncoder(12, strict), vnet));
            layers.add(new Layer("vnet10/" + policy, new VirtioNetHeaderDecoder(10, policy, new DropCounters()),
                    new VirtioNetHeaderEncoder(10, !strict), vnet));
            layers.add(new Layer("eth/" + policy, new EthernetDecoder(policy, new DropCounters(), strict ? 2 : 8),
                    new EthernetEncoder(!strict), eth));
            layers.add(new Layer("vnet20/" + policy, new VirtioNetHeaderDecoder(20, policy, new DropCounters()),
                    new VirtioNetHeaderEncoder(20, strict), vnet20));
            layers.add(new Layer("vnet24/" + policy, new VirtioNetHeaderDecoder(24, policy, new DropCounters()),
                    new VirtioNetHeaderEncoder(24, !strict), vnet24));
            layers.add(new Layer("vnet32/" + policy, new VirtioNetHeaderDecoder(32, policy, new DropCounters()),
                    new VirtioNetHeaderEncoder(32, strict), vnet32));
        }
        Layer ipStrict = layers.get(0);
        Layer ipLax = layers.get(layers.size() / 2);

        Random rnd = new Random(SEED);
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            Layer layer = layers.get(i % layers.size());
            byte[] input = rnd.nextInt(4) == 0 ? random(rnd) : mutate(rnd, layer.seeds.get(rnd.nextInt(layer.seeds.size())));
            Object out = feed(layer, input, i);
            if (out == null) {
                continue;
            }
            try {
                if (out instanceof IpPacket) {
                    exerciseHelpers((IpPacket) out);
                } else {
                    // The content of an outer frame goes on to the IP decoder, as in a pipeline.
                    byte[] content = ByteBufUtil.getBytes(((ByteBufHolder) out).content());
                    Object inner = feed(rnd.nextBoolean() ? ipStrict : ipLax, content, i);
                    if (inner != null) {
                        exerciseHelpers((IpPacket) inner);
                        ReferenceCountUtil.release(inner);
                    }
                }
            } finally {
                ReferenceCountUtil.release(out);
            }
        }
        long counted = 0;
        for (Layer layer : layers) {
            counted += layer.decoder.dropCounters().total();
            layer.decode.finishAndReleaseAll();
            if (layer.encode != null) {
                layer.encode.finishAndReleaseAll();
            }
        }
        assertEquals(refused, counted, "every refusal is counted");
        System.out.printf("codec fuzz: %d inputs (seed %d), %d frames decoded, %d refused and counted, "
                        + "0 failures, in %.1f s%n", ITERATIONS, SEED, accepted, refused,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * IPv6 jumbograms (RFC 2675) just over the 64 KiB limit, UDP and ICMPv6 echo request, plus short
     * packets that look like jumbograms (payload length 0, Hop-by-Hop header first), for the mutations to
     * work on.
     */
    private static List<byte[]> jumbograms() {
        List<byte[]> list = new ArrayList<>();
        String addresses = "20010002000000000000000000000001 20010002000000000000000000000002";
        for (int protocol : new int[] {IpProtocols.UDP, IpProtocols.ICMPV6}) {
            int content = 0x1_0000; // payload 65544 with the 8-byte Hop-by-Hop header
            ByteBuf buf = TestFrames.hex("60000000 0000 00 40" + addresses
                    + String.format("%02x 00 c2 04 %08x", protocol, 8 + content));
            byte[] packet = Arrays.copyOf(TestFrames.bytes(buf), Ipv6Packet.HEADER_LENGTH + 8 + content);
            buf.release();
            if (protocol == IpProtocols.ICMPV6) {
                packet[48] = (byte) IcmpView.V6_ECHO_REQUEST;
            }
            list.add(packet);
        }
        String[] chains = {"3a00 c204 00010000", "3a00 c203 000100 00", "3a01 c204 00011178 0104 00000000",
            "2c00 c204 00011180 3a00 0000 00000001"};
        for (String chain : chains) {
            ByteBuf buf = TestFrames.hex("60000000 0000 00 40" + addresses + chain + "80000000 00000000");
            list.add(TestFrames.bytes(buf));
            buf.release();
        }
        return list;
    }

    /**
     * Turns captured frames with 12-byte vnet headers into frames with longer headers: zeros (what the
     * kernel writes), a hash report, UDP tunnel offsets where the packet is long enough (with a tunnel GSO
     * type, so that the tunnel checks run), and random bytes past the known structures.
     */
    private static List<byte[]> extendVnetHeaders(List<byte[]> frames, int length, Random rnd) {
        List<byte[]> list = new ArrayList<>();
        for (byte[] frame : frames) {
            byte[] plain = new byte[frame.length + length - 12];
            System.arraycopy(frame, 0, plain, 0, 12);
            System.arraycopy(frame, 12, plain, length, frame.length - 12);
            list.add(plain);
            byte[] hashed = plain.clone();
            ByteBuf h = Unpooled.wrappedBuffer(hashed);
            h.setIntLE(12, rnd.nextInt());
            h.setShortLE(16, 1 + rnd.nextInt(9));
            for (int i = VirtioNetHeader.LENGTH_HASH_TUNNEL; i < length; i++) {
                h.setByte(i, rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0);
            }
            list.add(hashed);
            int packetLength = frame.length - 12;
            if (length >= VirtioNetHeader.LENGTH_HASH_TUNNEL && packetLength >= 64) {
                byte[] tunnel = hashed.clone();
                ByteBuf t = Unpooled.wrappedBuffer(tunnel);
                int inner = t.getUnsignedByte(1) & 0x0F;
                t.setByte(0, t.getUnsignedByte(0) | VirtioNetHeader.FLAG_UDP_TUNNEL_CSUM);
                int tunnel4or6 = rnd.nextBoolean() ? VirtioNetHeader.GSO_UDP_TUNNEL_IPV4
                        : VirtioNetHeader.GSO_UDP_TUNNEL_IPV6;
                t.setByte(1, (inner == 0 || inner == VirtioNetHeader.GSO_UDP ? VirtioNetHeader.GSO_UDP_L4 : inner)
                        | tunnel4or6);
                if (t.getUnsignedShortLE(4) == 0) {
                    t.setShortLE(4, 1000);
                }
                t.setShortLE(20, 20);
                t.setShortLE(22, 20 + 8 + 8 + rnd.nextInt(packetLength - 36));
                list.add(tunnel);
            }
        }
        return list;
    }

    private static List<byte[]> dataOf(String capture) {
        List<byte[]> list = new ArrayList<>();
        for (PcapRecord r : TestFrames.capture(capture)) {
            list.add(r.data());
        }
        return list;
    }

    /**
     * Decodes one input; returns the decoded message (caller releases) or null if refused. Accepted
     * messages are checked to re-encode to the input.
     */
    private Object feed(Layer layer, byte[] input, int iteration) {
        ByteBuf buf = ALLOC.buffer(Math.max(1, input.length)).writeBytes(input);
        try {
            if (!layer.decode.writeInbound(buf)) {
                refused++;
                return null;
            }
        } catch (MalformedFrameException expected) {
            refused++;
            return null;
        } catch (Throwable t) {
            fail(layer.name + " threw on input " + iteration + ": " + ByteBufUtil.hexDump(input), t);
        }
        Object msg = layer.decode.readInbound();
        Object extra = layer.decode.readInbound();
        if (extra != null) {
            ReferenceCountUtil.release(extra);
            ReferenceCountUtil.release(msg);
            fail(layer.name + " produced two messages from one frame");
        }
        accepted++;
        try {
            assertTrue(layer.encode.writeOutbound(ReferenceCountUtil.retain(msg)));
            byte[] encoded = TestFrames.drainOutbound(layer.encode);
            // Only IPv4/IPv6 decoding trims: the bytes after the IP length are not part of the packet.
            byte[] expected = msg instanceof IpPacket ? Arrays.copyOf(input, encoded.length) : input;
            assertArrayEquals(expected, encoded, () -> layer.name + " does not re-encode input " + iteration
                    + ": " + ByteBufUtil.hexDump(input));
        } catch (Throwable t) {
            ReferenceCountUtil.release(msg);
            throw t;
        }
        return msg;
    }

    /** The helpers that parse packets on their own must never throw on garbage that decoded. */
    private static void exerciseHelpers(IpPacket packet) {
        ByteBuf whole = ALLOC.buffer();
        try {
            packet.writeHeader(whole, false);
            whole.writeBytes(packet.content(), packet.content().readerIndex(), packet.content().readableBytes());
            IcmpEcho.isEchoRequest(whole);
            ByteBuf reply = IcmpEcho.reply(ALLOC, whole);
            if (reply != null) {
                assertTrue(TransportChecksums.verify(reply));
                reply.release();
            }
            if (IcmpEcho.toReplyInPlace(whole)) {
                assertTrue(TransportChecksums.verify(whole));
            }
            try {
                TransportChecksums.verify(packet);
            } catch (IllegalArgumentException expected) {
                // fragments, unknown protocols and short messages are refused this way
            }
            packet.toString();
        } finally {
            whole.release();
        }
    }

    private static byte[] random(Random rnd) {
        byte[] b = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(1600) : rnd.nextInt(96)];
        rnd.nextBytes(b);
        if (b.length > 0) {
            int[] firsts = {0x45, 0x46, 0x4f, 0x60, 0x44, 0x00};
            if (rnd.nextBoolean()) {
                b[0] = (byte) firsts[rnd.nextInt(firsts.length)];
            }
        }
        return b;
    }

    private static byte[] mutate(Random rnd, byte[] seed) {
        byte[] b = seed.clone();
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            switch (rnd.nextInt(7)) {
                case 0: // flip bytes
                    for (int k = rnd.nextInt(4); k >= 0 && b.length > 0; k--) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                    break;
                case 1: // truncate
                    b = Arrays.copyOf(b, b.length == 0 ? 0 : rnd.nextInt(b.length));
                    break;
                case 2: // extend
                    byte[] tail = new byte[rnd.nextInt(64)];
                    rnd.nextBytes(tail);
                    b = concat(b, tail);
                    break;
                case 3: // a 16-bit field at a header-ish offset set to a boundary value
                    if (b.length >= 2) {
                        int off = rnd.nextInt(Math.min(b.length - 1, 80));
                        int[] values = {0, 1, 0xFFFF, b.length, b.length - 1, b.length + 1, 20, 40, 0x8100, 0x88A8};
                        int v = values[rnd.nextInt(values.length)];
                        b[off] = (byte) (v >> 8);
                        b[off + 1] = (byte) v;
                    }
                    break;
                case 4: // repeat a block: long extension chains, tag floods
                    if (b.length > 16) {
                        int off = rnd.nextInt(b.length - 8);
                        byte[] block = Arrays.copyOfRange(b, off, off + (rnd.nextBoolean() ? 4 : 8));
                        byte[] repeated = new byte[block.length * (1 + rnd.nextInt(40))];
                        for (int k = 0; k < repeated.length; k += block.length) {
                            System.arraycopy(block, 0, repeated, k, block.length);
                        }
                        b = concat(concat(Arrays.copyOf(b, off), repeated), Arrays.copyOfRange(b, off, b.length));
                    }
                    break;
                case 5: // flip bits
                    if (b.length > 0) {
                        int i = rnd.nextInt(Math.min(b.length, 64));
                        b[i] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    break;
                default: // leave as is: the frame must still decode and round-trip
                    break;
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
