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
import io.github.nettytun.channel.TunInterfaceAddress;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.TunTxFilter;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.epoll.EpollTunMultiQueueChannel;
import io.github.nettytun.channel.linux.Errno;
import io.github.nettytun.codec.MacAddress;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.Reflector;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel features beyond the basics, each on a real device: exclusive creation ({@code IFF_TUN_EXCL}),
 * NAPI ({@code IFF_NAPI}), a chosen interface index ({@code TUNSETIFINDEX}), point-to-point addresses and
 * the TAP transmit filter ({@code TUNSETTXFILTER}).
 */
class TunKernelFeaturesTest extends AbstractDeviceTest {

    private static final MacAddress MAC_A = MacAddress.parse("02:00:5e:10:00:0a");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:5e:10:00:0b");
    private static final InetAddress HOST_A = TestNet.PEER4;
    private static final InetAddress HOST_B = address("198.18.0.3");

    @Test
    void exclusiveRefusesAnExistingDeviceAndCreatesANewOne() throws Exception {
        String name = Names.next("x");
        Channel first = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.EXCLUSIVE, true).option(TunChannelOption.PERSIST, true)
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync().channel();
        try {
            assertEquals(name, ((TunAddress) first.localAddress()).ifName(), "exclusive creates a new device");
            first.close().sync();
            TunException e = assertThrows(TunException.class, () -> new Bootstrap().group(group)
                    .channel(EpollTunChannel.class).option(TunChannelOption.EXCLUSIVE, true)
                    .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync());
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(e.getMessage().contains("exists already"), e.getMessage());
            // Without EXCLUSIVE the same bind attaches to the persistent device.
            Channel again = new Bootstrap().group(group).channel(EpollTunChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync().channel();
            again.close().sync();
        } finally {
            Commands.ip("link", "del", "dev", name);
        }
    }

    @Test
    void exclusiveMultiQueueDeviceOpensAllItsQueues() throws Exception {
        String name = Names.next("xq");
        AtomicInteger children = new AtomicInteger();
        Channel parent = new ServerBootstrap().group(group, group).channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.EXCLUSIVE, true).option(TunChannelOption.QUEUES, 3)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.incrementAndGet();
                    }
                }).bind(new TunAddress(name)).sync().channel();
        try {
            // Queues 2 and 3 (and one added later) attach to the device the first created: they must not
            // ask for exclusivity, or the kernel would refuse them with EBUSY.
            EpollTunChannel added = ((EpollTunMultiQueueChannel) parent).addQueue().sync().getNow();
            assertTrue(added.isActive());
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (children.get() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(4, children.get());
        } finally {
            parent.close().sync();
        }
        assertTrue(!Commands.linkExists(name));
    }

    @Test
    void napiQueueCarriesTraffic() throws Exception {
        String name = Names.next("n");
        Reflector reflector = new Reflector(false, 0);
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.NAPI, true)
                .option(TunChannelOption.ADDRESSES, TestNet.deviceAddresses())
                .handler(reflector).bind(new TunAddress(name)).sync().channel();
        try {
            int sysFlags = Integer.decode(new String(Files.readAllBytes(
                    Paths.get("/sys/class/net", name, "tun_flags"))).trim());
            assertTrue((sysFlags & TunFlags.IFF_NAPI) != 0, "tun_flags " + TunFlags.toString(sysFlags));
            assertTrue((((EpollTunChannel) ch).deviceFlags() & TunFlags.IFF_NAPI) != 0);
            TunRoundTripTest.echoUdp(TestNet.LOCAL4, TestNet.PEER4, 20);
            TunRoundTripTest.echoUdp(TestNet.LOCAL6, TestNet.PEER6, 20);
            assertEquals(40, reflector.udp.get());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void chosenInterfaceIndexIsUsedAndATakenOneIsRefused() throws Exception {
        int index = 3000 + ThreadLocalRandom.current().nextInt(20_000);
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.IF_INDEX, index)
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("i"))).sync().channel();
        try {
            assertEquals(index, ((TunAddress) ch.localAddress()).ifIndex());
            String other = Names.next("i");
            TunException e = assertThrows(TunException.class, () -> new Bootstrap().group(group)
                    .channel(EpollTunChannel.class).option(TunChannelOption.IF_INDEX, index)
                    .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(other)).sync());
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(e.getMessage().contains("IF_INDEX"), e.getMessage());
            assertTrue(!Commands.linkExists(other), "the refused device is not left behind");
        } finally {
            ch.close().sync();
        }
        Channel parent = new ServerBootstrap().group(group, group).channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.IF_INDEX, index + 1).option(TunChannelOption.QUEUES, 2)
                .childHandler(new Sharable()).bind(new TunAddress(Names.next("iq"))).sync().channel();
        try {
            assertEquals(index + 1, ((TunAddress) parent.localAddress()).ifIndex());
        } finally {
            parent.close().sync();
        }
    }

    @Test
    void pointToPointAddressRoutesThePeerIntoTheDevice() throws Exception {
        String name = Names.next("pp");
        TunInterfaceAddress p2p = TunInterfaceAddress.parse(
                TestNet.LOCAL4.getHostAddress() + " peer " + TestNet.PEER4.getHostAddress() + "/32");
        assertEquals(TunInterfaceAddress.pointToPoint(TestNet.LOCAL4, TestNet.PEER4, 32), p2p);
        Reflector reflector = new Reflector(false, 0);
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.ADDRESSES, List.of(p2p))
                .handler(reflector).bind(new TunAddress(name)).sync().channel();
        try {
            Commands.Result show = Commands.ip("-o", "-4", "addr", "show", "dev", name);
            assertTrue(show.output.contains(TestNet.LOCAL4.getHostAddress() + " peer "
                    + TestNet.PEER4.getHostAddress() + "/32"), show.output);
            Commands.Result route = Commands.ip("route", "get", TestNet.PEER4.getHostAddress());
            assertTrue(route.output.contains("dev " + name), route.output);
            TunRoundTripTest.echoUdp(TestNet.LOCAL4, TestNet.PEER4, 10);
            assertEquals(10, reflector.udp.get());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void transmitFilterPassesOnlyListedAddresses() throws Exception {
        String name = Names.next("tf");
        UdpByDestination seen = new UdpByDestination();
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.MODE, TunMode.TAP)
                .option(TunChannelOption.ADDRESSES, List.of(new TunInterfaceAddress(TestNet.LOCAL4, 24)))
                .option(TunChannelOption.TX_FILTER, TunTxFilter.of(MAC_A))
                .handler(seen).bind(new TunAddress(name)).sync().channel();
        try {
            neighbour(HOST_A, MAC_A, name);
            neighbour(HOST_B, MAC_B, name);
            send(HOST_A, 20);
            send(HOST_B, 20);
            seen.await(MAC_A, 20);
            Thread.sleep(200);
            assertEquals(0, seen.count(MAC_B), "frames to an address outside the filter never reach the program");

            // Off on the live device: now both arrive.
            ((EpollTunChannel) ch).config().setTxFilter(TunTxFilter.NONE);
            send(HOST_B, 20);
            seen.await(MAC_B, 20);

            // On again, with both addresses.
            ((EpollTunChannel) ch).config().setTxFilter(TunTxFilter.of(MAC_A, MAC_B).allMulticast());
            send(HOST_A, 5);
            send(HOST_B, 5);
            seen.await(MAC_A, 25);
            seen.await(MAC_B, 25);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void transmitFilterIsRefusedOnTunAndForUnicastBeyondTheExactSlots() {
        TunException e = assertThrows(TunException.class, () -> new Bootstrap().group(group)
                .channel(EpollTunChannel.class).option(TunChannelOption.TX_FILTER, TunTxFilter.of(MAC_A))
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(Names.next("tf"))).sync());
        assertTrue(e.getMessage().contains("TAP devices only"), e.getMessage());
        MacAddress[] nine = new MacAddress[9];
        for (int i = 0; i < nine.length; i++) {
            nine[i] = MacAddress.fromLong(0x02005e100000L + i);
        }
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> TunTxFilter.of(nine));
        assertTrue(tooMany.getMessage().contains("unicast"), tooMany.getMessage());
        nine[8] = MacAddress.parse("01:00:5e:00:00:01");
        assertEquals(9, TunTxFilter.of(nine).addresses().size(), "multicast addresses may follow the exact eight");
    }

    @Test
    void parentClosesQueuesWhoseHandOverFailed() throws Exception {
        String name = Names.next("hf");
        // A handler that is not @Sharable cannot go into two children: ServerBootstrap fails the second
        // child's registration. Closing the parent must still close every queue (FdLeakCheck counts fds).
        Channel parent = new ServerBootstrap().group(group, group).channel(EpollTunMultiQueueChannel.class)
                .option(TunChannelOption.QUEUES, 2)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync().channel();
        parent.close().sync();
        assertTrue(!Commands.linkExists(name), "every queue closed: the device is gone");
    }

    private static void neighbour(InetAddress host, MacAddress mac, String device) {
        Commands.Result r = Commands.ip("neigh", "replace", host.getHostAddress(), "lladdr", mac.toString(),
                "dev", device, "nud", "permanent");
        assertEquals(0, r.exitCode, r.toString());
    }

    private static void send(InetAddress to, int count) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(TestNet.LOCAL4, 0))) {
            byte[] payload = new byte[32];
            for (int i = 0; i < count; i++) {
                socket.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(to, 9000 + i)));
            }
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class Sharable extends ChannelInboundHandlerAdapter {
    }

    /** Counts IPv4/UDP frames read from a TAP by destination MAC address. */
    private static final class UdpByDestination extends ChannelInboundHandlerAdapter {
        private final Map<MacAddress, AtomicLong> counts = new ConcurrentHashMap<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                int base = frame.readerIndex();
                if (frame.readableBytes() >= 34 && frame.getUnsignedShort(base + 12) == 0x0800
                        && frame.getUnsignedByte(base + 14 + 9) == 17) {
                    counts.computeIfAbsent(MacAddress.read(frame, base), k -> new AtomicLong()).incrementAndGet();
                }
            } finally {
                frame.release();
            }
        }

        long count(MacAddress mac) {
            AtomicLong n = counts.get(mac);
            return n == null ? 0 : n.get();
        }

        void await(MacAddress mac, long expected) throws InterruptedException {
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (count(mac) < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(expected, count(mac), "UDP frames to " + mac);
        }
    }
}
