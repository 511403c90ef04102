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
package io.github.nettytun.testsuite;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.epoll.EpollTunMultiQueueChannel;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Bpf;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multi-queue devices through {@link EpollTunMultiQueueChannel} and {@link ServerBootstrap}: flows spread
 * over the queues, "tx follows rx" steering, detaching and re-attaching queues, closing one queue or all,
 * children on different event loops, adding a queue, eBPF steering, classic BPF filters.
 */
class TunMultiQueueTest extends AbstractDeviceTest {

    private EventLoopGroup boss;
    /** UDP datagrams (source port) seen per queue (child). */
    private final Map<EpollTunChannel, Set<Integer>> flowsByQueue = new ConcurrentHashMap<>();
    private final Map<EpollTunChannel, Set<String>> threadsByQueue = new ConcurrentHashMap<>();
    private final AtomicInteger udpPackets = new AtomicInteger();
    /** Picks the queue to reply on; by default the one that received the packet. */
    private volatile BiFunction<EpollTunChannel, Integer, EpollTunChannel> replyOn = (child, port) -> child;

    @BeforeEach
    void startBoss() {
        boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void stopBoss() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private EpollTunMultiQueueChannel bind(int queues) throws InterruptedException {
        EpollTunMultiQueueChannel parent = (EpollTunMultiQueueChannel) new ServerBootstrap().group(boss, group)
                .channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.QUEUES, queues)
                .option(TunChannelOption.ADDRESSES, TestNet.deviceAddresses())
                .childHandler(new QueueReflector())
                .bind(new TunAddress(Names.next("q"))).sync().channel();
        TunBackpressureTest.waitFor(() -> parent.queues().size() == queues
                && parent.queues().stream().allMatch(Channel::isRegistered), parent.queues());
        return parent;
    }

    /** Reflects UDP from the peer back (see Reflector) on the queue {@link #replyOn} picks. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class QueueReflector extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf p = (ByteBuf) msg;
            EpollTunChannel child = (EpollTunChannel) ctx.channel();
            threadsByQueue.computeIfAbsent(child, c -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            if ((p.getUnsignedByte(0) >> 4) != 4 || p.getUnsignedByte(9) != 17) {
                p.release();
                return;
            }
            int ihl = (p.getUnsignedByte(0) & 0xf) * 4;
            int sport = p.getUnsignedShort(ihl);
            flowsByQueue.computeIfAbsent(child, c -> ConcurrentHashMap.newKeySet()).add(sport);
            udpPackets.incrementAndGet();
            for (int i = 0; i < 4; i++) {
                byte b = p.getByte(12 + i);
                p.setByte(12 + i, p.getByte(16 + i));
                p.setByte(16 + i, b);
            }
            int dport = p.getUnsignedShort(ihl + 2);
            p.setShort(ihl, dport);
            p.setShort(ihl + 2, sport);
            replyOn.apply(child, sport).writeAndFlush(p);
        }
    }

    /** Opens {@code count} UDP flows (one socket each), sends {@code perFlow} datagrams on each, awaits the echoes. */
    private static List<DatagramSocket> flows(int count) throws Exception {
        List<DatagramSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(TestNet.LOCAL4, 0));
            s.setSoTimeout(3000);
            sockets.add(s);
        }
        return sockets;
    }

    private static int exchange(List<DatagramSocket> sockets, int perFlow) throws Exception {
        for (DatagramSocket s : sockets) {
            for (int i = 0; i < perFlow; i++) {
                s.send(new DatagramPacket(new byte[32], 32, new InetSocketAddress(TestNet.PEER4, 7777)));
            }
        }
        int received = 0;
        byte[] buffer = new byte[256];
        for (DatagramSocket s : sockets) {
            try {
                for (int i = 0; i < perFlow; i++) {
                    s.receive(new DatagramPacket(buffer, buffer.length));
                    received++;
                }
            } catch (SocketTimeoutException e) {
                // counted as missing
            }
        }
        return received;
    }

    private static void close(List<DatagramSocket> sockets) {
        sockets.forEach(DatagramSocket::close);
    }

    @Test
    void flowsSpreadOverEveryQueueOnDifferentEventLoops() throws Exception {
        EpollTunMultiQueueChannel parent = bind(2);
        String name = parent.localAddress().ifName();
        try {
            assertTrue((parent.deviceFlags() & TunFlags.IFF_MULTI_QUEUE) != 0);
            List<EpollTunChannel> queues = parent.queues();
            assertNotEquals(queues.get(0).eventLoop(), queues.get(1).eventLoop(), "queues on different event loops");
            List<DatagramSocket> sockets = flows(24);
            try {
                assertEquals(24 * 5, exchange(sockets, 5), "every flow's replies arrive");
            } finally {
                close(sockets);
            }
            for (EpollTunChannel q : queues) {
                assertTrue(flowsByQueue.getOrDefault(q, Set.of()).size() > 0, "queue " + q + " got flows: " + flowsByQueue);
            }
            Set<String> threads0 = threadsByQueue.get(queues.get(0));
            Set<String> threads1 = threadsByQueue.get(queues.get(1));
            assertEquals(1, threads0.size());
            assertEquals(1, threads1.size());
            assertNotEquals(threads0, threads1, "each queue is served by its own thread");
            // Each flow stays on one queue.
            int total = flowsByQueue.values().stream().mapToInt(Set::size).sum();
            assertEquals(24, total, "no flow seen on two queues: " + flowsByQueue);
        } finally {
            parent.close().sync();
            for (EpollTunChannel q : parent.queues()) {
                q.closeFuture().await(2000);
            }
        }
        TunBackpressureTest.waitFor(() -> !Commands.linkExists(name), name);
    }

    @Test
    void txFollowsRx() throws Exception {
        EpollTunMultiQueueChannel parent = bind(2);
        try {
            List<EpollTunChannel> queues = parent.queues();
            AtomicInteger first = new AtomicInteger(-1);
            // Reply to the flow's first packet on the other queue; the kernel then steers the flow there.
            replyOn = (child, port) -> {
                int index = queues.indexOf(child);
                return first.compareAndSet(-1, index) ? queues.get(1 - index) : child;
            };
            List<DatagramSocket> one = flows(1);
            try {
                assertEquals(1, exchange(one, 1));
                int moved = 1 - first.get();
                flowsByQueue.clear();
                assertEquals(5, exchange(one, 5));
                assertEquals(Set.of(queues.get(moved)), flowsByQueue.keySet(),
                        "after a reply on queue " + moved + " the flow arrives there");
            } finally {
                close(one);
            }
        } finally {
            parent.close().sync();
        }
    }

    @Test
    void detachingAQueueMovesItsFlowsAndAttachingSpreadsAgain() throws Exception {
        EpollTunMultiQueueChannel parent = bind(2);
        try {
            List<EpollTunChannel> queues = parent.queues();
            EpollTunChannel detached = queues.get(1);
            assertTrue(detached.detachQueue().sync().isSuccess());
            assertTrue(detached.isQueueDetached());
            ChannelFuture refused = detached.writeAndFlush(
                    TunBackpressureTest.udpPacket(Unpooled.directBuffer(), 1, 8)).await();
            assertTrue(refused.cause() instanceof TunException && refused.cause().getMessage().contains("detached"),
                    String.valueOf(refused.cause()));
            List<DatagramSocket> sockets = flows(16);
            try {
                assertEquals(16 * 3, exchange(sockets, 3), "no flow lost while a queue is detached");
                assertEquals(Set.of(queues.get(0)), flowsByQueue.keySet(), "all flows on the attached queue");
            } finally {
                close(sockets);
            }
            assertTrue(detached.attachQueue().sync().isSuccess());
            flowsByQueue.clear();
            List<DatagramSocket> fresh = flows(24);
            try {
                assertEquals(24 * 3, exchange(fresh, 3));
                assertEquals(2, flowsByQueue.size(), "new flows spread over both queues again: " + flowsByQueue);
            } finally {
                close(fresh);
            }
        } finally {
            parent.close().sync();
        }
    }

    @Test
    void closingOneQueueLeavesTheOthersAndAddingOneWorks() throws Exception {
        EpollTunMultiQueueChannel parent = bind(2);
        String name = parent.localAddress().ifName();
        try {
            List<EpollTunChannel> queues = parent.queues();
            queues.get(1).close().sync();
            assertTrue(queues.get(0).isActive());
            assertTrue(Commands.linkExists(name), "the device lives while a queue is open");
            List<DatagramSocket> sockets = flows(16);
            try {
                assertEquals(16 * 2, exchange(sockets, 2));
            } finally {
                close(sockets);
            }
            EpollTunChannel added = parent.addQueue().sync().getNow();
            TunBackpressureTest.waitFor(added::isRegistered, added);
            assertEquals(2, parent.queues().size());
            assertTrue(added.isActive());
        } finally {
            parent.close().sync();
        }
        TunBackpressureTest.waitFor(() -> !Commands.linkExists(name), name);
        TunBackpressureTest.waitFor(() -> parent.queues().isEmpty(), "every queue closed with the parent");
    }

    @Test
    void steeringProgramAndFilters() throws Exception {
        EpollTunMultiQueueChannel parent = bind(2);
        try {
            List<EpollTunChannel> queues = parent.queues();
            int prog = Bpf.loadReturning(1);
            try {
                parent.setSteeringProgram(prog);
            } finally {
                Bpf.close(prog);
            }
            List<DatagramSocket> sockets = flows(16);
            try {
                assertEquals(16 * 2, exchange(sockets, 2));
                assertEquals(Set.of(queues.get(1)), flowsByQueue.keySet(), "the program steers every flow to queue 1");
                parent.setSteeringProgram(-1);

                // An eBPF filter returning 0 drops everything before it is queued.
                int drop = Bpf.loadReturning(0);
                try {
                    parent.setFilterProgram(drop);
                } finally {
                    Bpf.close(drop);
                }
                int before = udpPackets.get();
                assertEquals(0, exchange(sockets.subList(0, 2), 1), "filtered out");
                assertEquals(before, udpPackets.get());
                parent.setFilterProgram(-1);
                assertEquals(2 * 2, exchange(sockets.subList(0, 2), 2), "traffic flows again");
                // Classic BPF filters are for TAP devices only; a TUN gets the reason.
                TunException classic = assertThrows(TunException.class,
                        () -> parent.attachFilter(new int[][] { { 0x06, 0, 0, 0 } }));
                assertTrue(classic.getMessage().contains("TAP devices only"), classic.getMessage());
            } finally {
                close(sockets);
            }
            UnsupportedOperationException hash = assertThrows(UnsupportedOperationException.class,
                    parent::vnetHashCapabilities);
            assertTrue(hash.getMessage().contains("not in mainline"), hash.getMessage());
        } finally {
            parent.close().sync();
        }
    }

    @Test
    void singleQueueChannelsCannotDetach() throws Exception {
        Channel ch = new io.netty.bootstrap.Bootstrap().group(group).channel(EpollTunChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("s"))).sync().channel();
        try {
            ChannelFuture f = ((EpollTunChannel) ch).detachQueue().await();
            assertFalse(f.isSuccess());
            assertTrue(f.cause().getMessage().contains("single-queue"), f.cause().getMessage());
        } finally {
            ch.close().sync();
        }
    }
}
