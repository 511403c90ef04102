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

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketAddress;

/**
 * Program under test (3): drasyl netty-tun 1.2.2 ({@code org.drasyl:netty-tun}), the existing Java library,
 * driven exactly like the shared harness' {@code DrasylRx}/{@code DrasylTx}: {@code TunChannel} on a
 * {@code DefaultEventLoopGroup(1)} (drasyl requires it and adds its own blocking read thread), RX handler
 * counts and releases, TX writes {@code Tun4Packet(template.retainedDuplicate())} x batch, flush, re-schedule.
 *
 * <p>It runs in its own JVM on drasyl's class path (Netty 4.1.91, JNA 5.13; see the {@code bench} profile),
 * because drasyl does not run on Netty 4.2. This class is compiled against Netty 4.2 but touches only API
 * that is binary-identical in 4.1 ({@code Bootstrap}, {@code Channel}, {@code ByteBuf}...), and reaches the
 * drasyl types by reflection so the module does not need drasyl on its compile class path.
 *
 * <pre>  --dir rx|tx --tun ppsb0 [--src .. --dst .. --sport .. --dport .. --len .. --batch 64]</pre>
 */
public final class DrasylDut {
    private DrasylDut() {
    }

    /** Constructors of drasyl's types, looked up once; constant method handles inline like a plain {@code new}. */
    static final class Drasyl {
        static final Class<? extends Channel> CHANNEL;
        static final MethodHandle NEW_ADDRESS;
        static final MethodHandle NEW_TUN4_PACKET;

        static {
            try {
                ClassLoader cl = DrasylDut.class.getClassLoader();
                CHANNEL = Class.forName("org.drasyl.channel.tun.TunChannel", true, cl).asSubclass(Channel.class);
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                NEW_ADDRESS = l.findConstructor(Class.forName("org.drasyl.channel.tun.TunAddress", true, cl),
                        MethodType.methodType(void.class, String.class)).asType(
                        MethodType.methodType(SocketAddress.class, String.class));
                NEW_TUN4_PACKET = l.findConstructor(Class.forName("org.drasyl.channel.tun.Tun4Packet", true, cl),
                        MethodType.methodType(void.class, ByteBuf.class)).asType(
                        MethodType.methodType(ByteBufHolder.class, ByteBuf.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError("org.drasyl:netty-tun 1.2.2 is not on the class path: " + e);
            }
        }

        private Drasyl() {
        }
    }

    /**
     * Runs the reader or writer until the JVM is terminated.
     *
     * @param argv see the class comment
     * @throws Throwable if the channel cannot attach
     */
    public static void main(String[] argv) throws Throwable {
        Args a = Args.parse(argv);
        boolean tx = "tx".equals(a.str("dir", "rx"));
        long[] counts = new long[2]; // packets, errors
        EventLoopGroup group = new DefaultEventLoopGroup(1);
        Channel ch = new Bootstrap().group(group).channel(Drasyl.CHANNEL)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        counts[0]++;
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        if (++counts[1] <= 5) {
                            cause.printStackTrace();
                        }
                    }
                })
                .bind((SocketAddress) Drasyl.NEW_ADDRESS.invokeExact(a.str("tun", "ppsb0"))).sync().channel();
        System.err.println("READY " + ch.localAddress() + " (drasyl netty-tun " + (tx ? "tx" : "rx") + ")");
        if (tx) {
            byte[] packet = Ipv4Udp.build(a.str("src", "198.18.0.2"), a.str("dst", "198.18.0.1"),
                    a.integer("sport", 40000), a.integer("dport", 9000), a.integer("len", 1400));
            ByteBuf template = Unpooled.directBuffer(packet.length).writeBytes(packet);
            int batch = a.integer("batch", 64);
            ch.eventLoop().execute(new Runnable() {
                @Override
                public void run() {
                    if (!ch.isActive()) {
                        return;
                    }
                    int n = 0;
                    try {
                        while (n < batch && ch.isWritable()) {
                            ch.write((ByteBufHolder) Drasyl.NEW_TUN4_PACKET.invokeExact(template.retainedDuplicate()),
                                    ch.voidPromise());
                            n++;
                        }
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                    ch.flush(); // drasyl writes synchronously (a JNA write per packet) inside flush
                    counts[0] += n;
                    ch.eventLoop().execute(this);
                }
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.println("drasyl " + (tx ? "tx" : "rx") + " packets=" + counts[0] + " errors=" + counts[1])));
        ch.closeFuture().sync();
    }
}
