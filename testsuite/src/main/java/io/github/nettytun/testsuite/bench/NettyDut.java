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
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.epoll.EpollTunMultiQueueChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Program under test (1): {@link EpollTunChannel} through a full Netty pipeline on one epoll event loop.
 * It attaches to an existing TUN device ({@code IFF_TUN|IFF_NO_PI}, leaving the link alone) and runs until
 * SIGTERM, then prints its own totals (the benchmark does not trust them: rates come from kernel counters).
 *
 * <pre>
 *   --dir rx|tx --tun ppsb0 [--mq] [--src 198.18.0.2 --dst 198.18.0.1 --sport 40000 --dport 9000 --len 64]
 *   [--batch 64] [--spin N]   (TX: writes per flush; WRITE_SPIN_COUNT, default Netty's 16)
 *   [--alloc pooled|adaptive|unpooled] [--mmpr N] [--mmpw N]   (ALLOCATOR, MAX_MESSAGES_PER_READ,
 *   MAX_MESSAGES_PER_WRITE; default: the channel's)
 *   [--queues N --stats FILE]  (RX only: the multi-queue parent, see below)
 * </pre>
 *
 * <ul>
 * <li>RX: a handler counts and releases every packet: the work any real handler must at least do.</li>
 * <li>TX: an event-loop task writes {@code batch} {@code retainedDuplicate()}s of one direct template with
 *     the void promise, flushes, and re-schedules itself; the duplicate is what an application that
 *     forwards a shared buffer would write; the template comes from the pooled allocator, so the
 *     duplicate is a recycled view (no copy of the payload, no garbage).</li>
 * <li>RX with {@code --queues N}: {@link EpollTunMultiQueueChannel} on a {@link ServerBootstrap} with N
 *     worker event loops attaches N queues of the existing {@code multi_queue} device (the same code path
 *     for N = 1 and N = 2, so only the queue count differs). Each queue counts into its own counter; a
 *     daemon thread rewrites {@code FILE} every 100 ms with one line per queue
 *     ({@code q<i> <packets> <event-loop thread CPU ns>}) after a {@code t <System.nanoTime()>} line, so the
 *     benchmark can show how the kernel spread the flows over the queues.</li>
 * </ul>
 */
public final class NettyDut {
    private NettyDut() {
    }

    /**
     * Runs the reader or writer until the JVM is terminated.
     *
     * @param argv see the class comment
     * @throws Exception if the channel cannot attach
     */
    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        boolean tx = "tx".equals(a.str("dir", "rx"));
        String tun = a.str("tun", "ppsb0");
        Counter counter = new Counter();
        if (a.integer("queues", 0) > 0) {
            if (tx) {
                throw new IllegalArgumentException("--queues is for --dir rx only");
            }
            runMultiQueue(a, tun);
            return;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Bootstrap b = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.MODE, TunMode.TUN)
                .option(TunChannelOption.PACKET_INFO, false)
                .option(TunChannelOption.MULTI_QUEUE, a.flag("mq"))
                // The harness owns the device (address, MTU, link): attach only.
                .option(TunChannelOption.LINK_UP, false)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        counter.packets++;
                        counter.bytes += buf.readableBytes();
                        buf.release();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        if (++counter.errors <= 5) {
                            cause.printStackTrace();
                        }
                    }
                });
        ByteBufAllocator alloc = allocator(a.str("alloc", ""));
        if (alloc != null) {
            b.option(ChannelOption.ALLOCATOR, alloc);
        }
        if (a.integer("mmpr", 0) > 0) {
            b.option(ChannelOption.MAX_MESSAGES_PER_READ, a.integer("mmpr", 0));
        }
        if (a.integer("mmpw", 0) > 0) {
            // MAX_MESSAGES_PER_WRITE: the channel's frame budget per flush (default 64); 16 reproduces the
            // budget of the writeSpinCount-based loop it replaced.
            b.option(ChannelOption.MAX_MESSAGES_PER_WRITE, a.integer("mmpw", 0));
        }
        if (a.integer("spin", 0) > 0) {
            b.option(io.netty.channel.ChannelOption.WRITE_SPIN_COUNT, a.integer("spin", 16));
        }
        Channel ch = b.bind(new TunAddress(tun)).sync().channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.println("netty-tun " + (tx ? "tx" : "rx") + " packets=" + counter.packets
                        + " bytes=" + counter.bytes + " errors=" + counter.errors)));
        System.err.println("READY " + ch.localAddress() + " (netty-tun EpollTunChannel " + (tx ? "tx" : "rx") + ")");
        if (tx) {
            byte[] packet = Ipv4Udp.build(a.str("src", "198.18.0.2"), a.str("dst", "198.18.0.1"),
                    a.integer("sport", 40000), a.integer("dport", 9000), a.integer("len", 1400));
            // From the pooled allocator: its retainedDuplicate() is a recycled PooledDuplicatedByteBuf. An Unpooled
            // template, and (measured with JFR) one from Netty 4.2's default adaptive allocator, allocate a fresh
            // ~40-byte duplicate per write in AbstractByteBuf.duplicate(): garbage that is the writer's, not the channel's.
            ByteBuf template = PooledByteBufAllocator.DEFAULT.directBuffer(packet.length).writeBytes(packet);
            ch.eventLoop().execute(new Writer(ch, template, a.integer("batch", 64), counter));
        }
        ch.closeFuture().sync();
    }

    private static ByteBufAllocator allocator(String name) {
        switch (name) {
            case "":
            case "default":
                return null; // the channel's default: Netty 4.2's ByteBufAllocator.DEFAULT (adaptive)
            case "pooled":
                return PooledByteBufAllocator.DEFAULT;
            case "adaptive":
                return new AdaptiveByteBufAllocator();
            case "unpooled":
                return UnpooledByteBufAllocator.DEFAULT;
            default:
                throw new IllegalArgumentException("--alloc pooled|adaptive|unpooled|default, not " + name);
        }
    }

    /** RX over {@code --queues} queues of one multi-queue device, one worker event loop per queue. */
    private static void runMultiQueue(Args a, String tun) throws Exception {
        int queues = a.integer("queues", 1);
        List<QueueCounter> counters = new CopyOnWriteArrayList<>();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(queues, EpollIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.MODE, TunMode.TUN)
                .option(TunChannelOption.PACKET_INFO, false)
                .option(TunChannelOption.QUEUES, queues)
                // The harness created the device multi_queue and owns its address and link: attach only.
                .option(TunChannelOption.LINK_UP, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        QueueCounter qc = new QueueCounter(); // one per queue
                        counters.add(qc);
                        ch.pipeline().addLast(qc);
                    }
                });
        ByteBufAllocator alloc = allocator(a.str("alloc", ""));
        if (alloc != null) {
            b.childOption(ChannelOption.ALLOCATOR, alloc);
        }
        if (a.integer("mmpr", 0) > 0) {
            b.childOption(ChannelOption.MAX_MESSAGES_PER_READ, a.integer("mmpr", 0));
        }
        Channel parent = b.bind(new TunAddress(tun)).sync().channel();
        String stats = a.str("stats", "");
        if (!stats.isEmpty()) {
            Thread t = new Thread(() -> writeStats(Paths.get(stats), counters), "pps-stats");
            t.setDaemon(true);
            t.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            StringBuilder sb = new StringBuilder("netty-tun mq rx queues=" + queues);
            for (QueueCounter qc : counters) {
                sb.append(" q=").append(qc.packets);
            }
            System.out.println(sb);
        }));
        System.err.println("READY " + parent.localAddress() + " (netty-tun EpollTunMultiQueueChannel rx, "
                + queues + " queues)");
        parent.closeFuture().sync();
    }

    private static void writeStats(Path file, List<QueueCounter> counters) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        while (true) {
            StringBuilder sb = new StringBuilder("t ").append(System.nanoTime()).append('\n');
            int i = 0;
            for (QueueCounter qc : counters) {
                long tid = qc.threadId;
                sb.append('q').append(i++).append(' ').append(qc.packets).append(' ')
                        .append(tid > 0 ? mx.getThreadCpuTime(tid) : -1).append('\n');
            }
            try {
                Files.write(tmp, sb.toString().getBytes(StandardCharsets.UTF_8));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Thread.sleep(100);
            } catch (IOException e) {
                e.printStackTrace();
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Counts and releases the packets of one queue. The event loop is the only writer; it publishes the count
     * with a release store ({@code lazySet}: no fence on x86), read by the stats thread.
     */
    static final class QueueCounter extends ChannelInboundHandlerAdapter {
        private static final AtomicLongFieldUpdater<QueueCounter> PACKETS =
                AtomicLongFieldUpdater.newUpdater(QueueCounter.class, "packets");
        volatile long packets;
        volatile long threadId;
        private long count;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().eventLoop().execute(() -> threadId = Thread.currentThread().getId());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            PACKETS.lazySet(this, ++count);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
        }
    }

    /** Totals for the exit line; plain fields, written by the event loop only. */
    static final class Counter {
        long packets;
        long bytes;
        long errors;
    }

    /** Writes up to {@code batch} packets, flushes once, and queues itself behind any pending I/O. */
    static final class Writer implements Runnable {
        private final Channel ch;
        private final ByteBuf template;
        private final int batch;
        private final Counter counter;

        Writer(Channel ch, ByteBuf template, int batch, Counter counter) {
            this.ch = ch;
            this.template = template;
            this.batch = batch;
            this.counter = counter;
        }

        @Override
        public void run() {
            if (!ch.isActive()) {
                return;
            }
            int n = 0;
            while (n < batch && ch.isWritable()) {
                ch.write(template.retainedDuplicate(), ch.voidPromise());
                n++;
            }
            ch.flush();
            counter.packets += n;
            // Re-schedule rather than loop so the event loop still runs epoll (EPOLLOUT, errors) between batches.
            ch.eventLoop().execute(this);
        }
    }
}
