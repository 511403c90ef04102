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
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow control in both directions: autoRead off and on, write-buffer water marks, the kernel's send
 * buffer filling up (EAGAIN, EPOLLOUT) and the kinds of buffers a write accepts.
 */
class TunBackpressureTest extends AbstractDeviceTest {

    static final int SINK_PORT = 9000;

    /** An IPv4/UDP packet 198.18.0.2:40000 -> 198.18.0.1:9000 whose payload starts with {@code seq}. */
    static ByteBuf udpPacket(ByteBuf buf, int seq, int payloadLength) {
        int total = 28 + payloadLength;
        int start = buf.writerIndex();
        buf.writeByte(0x45).writeByte(0).writeShort(total).writeShort(seq & 0xffff).writeShort(0x4000)
                .writeByte(64).writeByte(17).writeShort(0)
                .writeBytes(TestNet.PEER4.getAddress()).writeBytes(TestNet.LOCAL4.getAddress());
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += buf.getUnsignedShort(start + i);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        buf.setShort(start + 10, ~sum & 0xffff);
        buf.writeShort(40000).writeShort(SINK_PORT).writeShort(8 + payloadLength).writeShort(0); // no UDP checksum
        buf.writeInt(seq);
        buf.writeZero(payloadLength - 4);
        return buf;
    }

    private static Channel bind(Bootstrap b) throws InterruptedException {
        return b.group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.ADDRESSES, TestNet.deviceAddresses())
                .bind(new TunAddress(Names.next("w"))).sync().channel();
    }

    @Test
    void autoReadOffDeliversOnlyWhatIsAskedFor() throws Exception {
        AtomicInteger frames = new AtomicInteger();
        Channel ch = bind(new Bootstrap().option(io.netty.channel.ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        if ((b.getUnsignedByte(0) >> 4) == 4 && b.getUnsignedByte(9) == 17) {
                            frames.incrementAndGet();
                        } else if (!ctx.channel().config().isAutoRead()) {
                            // IPv6 noise (router solicitation, MLD): ask for the next frame instead.
                            ctx.read();
                        }
                        b.release();
                    }
                }));
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(TestNet.LOCAL4, 0))) {
            for (int i = 0; i < 5; i++) {
                s.send(new DatagramPacket(new byte[16], 16, new InetSocketAddress(TestNet.PEER4, 5000)));
            }
            Thread.sleep(300);
            assertEquals(0, frames.get(), "nothing is read while autoRead is off");
            ch.read();
            waitFor(() -> frames.get() >= 1, frames);
            Thread.sleep(200);
            assertEquals(1, frames.get(), "one read() delivers one frame while autoRead is off");
            ch.config().setAutoRead(true);
            waitFor(() -> frames.get() == 5, frames);
            ch.config().setAutoRead(false);
            Thread.sleep(100);
            for (int i = 0; i < 3; i++) {
                s.send(new DatagramPacket(new byte[16], 16, new InetSocketAddress(TestNet.PEER4, 5000)));
            }
            Thread.sleep(300);
            // The pipeline's head asked for one more read() while autoRead was on; Netty honours it.
            assertTrue(frames.get() <= 6, "off again: at most the outstanding read() is served: " + frames);
            ch.config().setAutoRead(true);
            waitFor(() -> frames.get() == 8, frames);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void maxMessagesPerReadBoundsEachReadLoop() throws Exception {
        AtomicInteger frames = new AtomicInteger();
        AtomicInteger largestBatch = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        Channel ch = bind(new Bootstrap()
                .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(2048)
                        .maxMessagesPerRead(4))
                .option(io.netty.channel.ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter() {
                    private int batch;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        batch++;
                        frames.incrementAndGet();
                        ((ByteBuf) msg).release();
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        largestBatch.accumulateAndGet(batch, Math::max);
                        if (batch > 0) {
                            batches.incrementAndGet();
                        }
                        batch = 0;
                    }
                }));
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(TestNet.LOCAL4, 0))) {
            // Queue 40 datagrams in the device while nobody reads, then let the channel read them all.
            for (int i = 0; i < 40; i++) {
                s.send(new DatagramPacket(new byte[16], 16, new InetSocketAddress(TestNet.PEER4, 5000)));
            }
            Thread.sleep(200);
            ch.config().setAutoRead(true);
            waitFor(() -> frames.get() >= 40, frames);
            assertEquals(4, largestBatch.get(), "read loops stop at maxMessagesPerRead and batch up to it");
            assertTrue(batches.get() >= 10, "40 frames need at least 10 read loops: " + batches);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void writesBeyondTheHighWaterMarkMakeTheChannelUnwritableAndAllArrive() throws Exception {
        Channel ch = bind(new Bootstrap()
                .option(io.netty.channel.ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 64 * 1024))
                // A small kernel send buffer: writes hit EAGAIN and the channel must wait for EPOLLOUT.
                .option(TunChannelOption.SNDBUF, 8 * 1024)
                .handler(new ChannelInboundHandlerAdapter()));
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(TestNet.LOCAL4, SINK_PORT))) {
            sink.setReceiveBufferSize(8 << 20);
            sink.setSoTimeout(3000);
            CountDownLatch writable = new CountDownLatch(1);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                    if (ctx.channel().isWritable()) {
                        writable.countDown();
                    }
                }
            });
            int[] written = new int[1];
            ch.eventLoop().submit(() -> {
                while (ch.isWritable()) {
                    ch.write(udpPacket(PooledByteBufAllocator.DEFAULT.directBuffer(1428), written[0]++, 1400));
                }
                ch.flush();
            }).sync();
            int n = written[0];
            // 64 KiB of 1428-byte frames plus Netty's per-entry overhead: about 44 frames.
            assertTrue(n >= 40, "wrote up to the high water mark: " + n);
            assertTrue(writable.await(10, TimeUnit.SECONDS), "writable again after draining");
            boolean[] seen = new boolean[n];
            int received = 0;
            byte[] buffer = new byte[2048];
            try {
                while (received < n) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    sink.receive(p);
                    int seq = ByteBuffer.wrap(buffer, 0, 4).getInt();
                    assertFalse(seen[seq], "duplicate " + seq);
                    seen[seq] = true;
                    received++;
                }
            } catch (SocketTimeoutException e) {
                // reported below
            }
            assertEquals(n, received, "every frame written reached the kernel socket");
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void compositeHolderAndHeapBuffersAreWrittenWhole() throws Exception {
        Channel ch = bind(new Bootstrap().handler(new ChannelInboundHandlerAdapter()));
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(TestNet.LOCAL4, SINK_PORT))) {
            sink.setSoTimeout(3000);
            ByteBuf whole = udpPacket(Unpooled.buffer(), 1, 100);
            CompositeByteBuf composite = Unpooled.compositeBuffer();
            composite.addComponent(true, Unpooled.directBuffer().writeBytes(whole, 0, 20));
            composite.addComponent(true, Unpooled.directBuffer().writeBytes(whole, 20, 8));
            composite.addComponent(true, Unpooled.directBuffer().writeBytes(whole, 28, whole.readableBytes() - 28));
            ch.writeAndFlush(composite).sync();
            ch.writeAndFlush(new DefaultByteBufHolder(udpPacket(Unpooled.directBuffer(), 2, 100))).sync();
            ch.writeAndFlush(whole.setInt(28, 3)).sync(); // a heap buffer: copied to a direct one
            List<Integer> got = new java.util.ArrayList<>();
            byte[] buffer = new byte[2048];
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                sink.receive(p);
                assertEquals(100, p.getLength());
                got.add(ByteBuffer.wrap(buffer, 0, 4).getInt());
            }
            assertEquals(List.of(1, 2, 3), got);
        } finally {
            ch.close().sync();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Object state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s; state: " + state);
            }
            Thread.sleep(10);
        }
    }
}
