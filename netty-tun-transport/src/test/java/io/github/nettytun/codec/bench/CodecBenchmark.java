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
package io.github.nettytun.codec.bench;

import io.github.nettytun.codec.EthernetDecoder;
import io.github.nettytun.codec.EthernetEncoder;
import io.github.nettytun.codec.IpPacketDecoder;
import io.github.nettytun.codec.IpPacketEncoder;
import io.github.nettytun.codec.Ipv4Packets;
import io.github.nettytun.codec.Ipv6Packets;
import io.github.nettytun.codec.TunPiDecoder;
import io.github.nettytun.codec.TunPiEncoder;
import io.github.nettytun.codec.VirtioNetHeader;
import io.github.nettytun.codec.VirtioNetHeaderDecoder;
import io.github.nettytun.codec.VirtioNetHeaderEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * Decode plus re-encode of one packet through one codec layer, in a real (embedded) pipeline:
 * {@code ip4}/{@code ip6} through {@link IpPacketDecoder} and {@link IpPacketEncoder}, {@code pi},
 * {@code vnet} and {@code eth} through their layer's decoder and encoder. Reported per packet:
 * time ({@code ns/op}) and, with the GC profiler, heap bytes allocated ({@code gc.alloc.rate.norm}).
 * Buffers are pooled and direct, as from the channel, and JMH's threads are Netty threads (see
 * {@link FastThreadLocalExecutor}), so the allocation is what a real event loop sees.
 *
 * <p>Not a test: run it with
 * <pre>
 * mvn -B -q -pl netty-tun-transport test-compile exec:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test -Dexec.args="-cp %classpath io.github.nettytun.codec.bench.CodecBenchmark"
 * </pre>
 * Any arguments are passed to JMH's command line instead of the built-in options (e.g. {@code -h}); add
 * {@code -jvmArgsAppend} with the properties of {@link #JVM_ARGS} then.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    @Param({"ip4", "ip6", "pi", "vnet", "eth"})
    public String layer;

    @Param({"64", "1400"})
    public int payload;

    @Param({"false", "true"})
    public boolean composite;

    /** Fork options: no leak tracking, benchmark threads that Netty recycles objects on. */
    static final String[] JVM_ARGS = {
        "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=" + FastThreadLocalExecutor.class.getName(),
    };

    private EmbeddedChannel channel;
    private InboundSink inbound;
    private ByteBuf frame;

    /** Keeps the last decoded message instead of queueing it. */
    private static final class InboundSink extends ChannelInboundHandlerAdapter {
        Object last;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            last = msg;
        }
    }

    /** Takes the encoded frame at the head of the pipeline and releases it: no channel write machinery. */
    private static final class OutboundSink extends ChannelOutboundHandlerAdapter {
        long bytes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            bytes += ((ByteBuf) msg).readableBytes();
            ReferenceCountUtil.release(msg);
        }
    }

    /** Builds the pipeline and the frame of the chosen layer. */
    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        Inet4Address a4 = (Inet4Address) InetAddress.getByName("198.18.0.1");
        Inet4Address b4 = (Inet4Address) InetAddress.getByName("198.18.0.2");
        Inet6Address a6 = (Inet6Address) InetAddress.getByName("2001:2::1");
        Inet6Address b6 = (Inet6Address) InetAddress.getByName("2001:2::2");
        ByteBuf data = Unpooled.wrappedBuffer(new byte[payload]);
        ByteBuf packet = "ip6".equals(layer) ? Ipv6Packets.udp(alloc, a6, 1000, b6, 2000, data)
                : Ipv4Packets.udp(alloc, a4, 1000, b4, 2000, data);
        ChannelHandler decoder;
        ChannelHandler encoder;
        frame = alloc.directBuffer();
        switch (layer) {
            case "ip4":
            case "ip6":
                decoder = new IpPacketDecoder();
                encoder = new IpPacketEncoder(true, composite);
                break;
            case "pi":
                frame.writeShort(0).writeShort(0x0800);
                decoder = new TunPiDecoder();
                encoder = new TunPiEncoder(false, composite);
                break;
            case "vnet":
                new VirtioNetHeader(VirtioNetHeader.FLAG_NEEDS_CSUM, 0, 0, 0, 20, 6, 0).write(frame, 12);
                decoder = new VirtioNetHeaderDecoder(12);
                encoder = new VirtioNetHeaderEncoder(12, composite);
                break;
            case "eth":
                frame.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0});
                decoder = new EthernetDecoder();
                encoder = new EthernetEncoder(composite);
                break;
            default:
                throw new IllegalArgumentException(layer);
        }
        frame.writeBytes(packet);
        packet.release();
        inbound = new InboundSink();
        channel = new EmbeddedChannel(new OutboundSink(), encoder, decoder, inbound);
        channel.config().setAllocator(alloc); // what a channel configured for pooled direct buffers uses
    }

    /** Releases the frame and closes the channel. */
    @TearDown(Level.Trial)
    public void tearDown() {
        frame.release();
        channel.finishAndReleaseAll();
    }

    /**
     * Decodes the frame into a message and encodes the message back into a frame.
     *
     * @return the decoded message, so that the JIT cannot drop the work
     */
    @Benchmark
    public Object decodeAndEncode() {
        // The decoder releases its input and never moves the frame's indexes: retaining is enough.
        channel.pipeline().fireChannelRead(frame.retain());
        Object msg = inbound.last;
        channel.pipeline().write(msg, channel.voidPromise());
        return msg;
    }

    /**
     * Runs the benchmark with the GC profiler (bytes allocated per packet).
     *
     * @param args JMH command line arguments; none for the built-in options
     * @throws RunnerException if JMH fails
     * @throws java.io.IOException if JMH cannot read its options
     */
    public static void main(String[] args) throws RunnerException, java.io.IOException {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = new OptionsBuilder()
                .include(CodecBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(JVM_ARGS)
                .addProfiler(GCProfiler.class)
                .build();
        new Runner(options).run();
    }
}
