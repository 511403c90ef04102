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
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.linux.Errno;
import io.github.nettytun.channel.linux.NetDevice;
import io.github.nettytun.channel.linux.TunIoctls;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.DeviceSetup;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.Reflector;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device lifecycle: deletion under an open channel, persistence across close and reopen, adopting an
 * fd opened elsewhere, and interface settings changed on a bound channel.
 */
class TunLifecycleTest extends AbstractDeviceTest {

    @Test
    void deletingTheDeviceClosesTheChannelWithOneException() throws Exception {
        String name = Names.next("d");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                })
                .bind(new TunAddress(name)).sync().channel();
        Commands.Result del = Commands.ip("link", "del", "dev", name);
        assertEquals(0, del.exitCode, del.toString());
        assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS), "channel closes when its device is deleted");
        Thread.sleep(300);
        assertEquals(1, errors.size(), "exactly one exception event, no EPOLLERR spin: " + errors);
        TunException e = assertInstanceOf(TunException.class, errors.get(0));
        assertEquals(Errno.EBADFD, e.errno());
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("gone"), e.getMessage());
    }

    @Test
    void persistentDeviceSurvivesCloseAndIsReopened() throws Exception {
        String name = Names.next("p");
        DeviceSetup setup = new DeviceSetup(TunMode.TUN, false, false);
        Channel first = setup.bootstrap(group).option(TunChannelOption.PERSIST, true)
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync().channel();
        int index = ((TunAddress) first.localAddress()).ifIndex();
        first.close().sync();
        try {
            assertTrue(Commands.linkExists(name), "persistent device outlives the channel");
            Reflector reflector = setup.reflector();
            Channel second = new Bootstrap().group(group).channel(EpollTunChannel.class)
                    .handler(reflector).bind(new TunAddress(name)).sync().channel();
            assertEquals(index, ((TunAddress) second.localAddress()).ifIndex(), "same device again");
            assertTrue((((EpollTunChannel) second).deviceFlags() & TunFlags.IFF_PERSIST) != 0);
            TunRoundTripTest.echoUdp(TestNet.LOCAL4, TestNet.PEER4, 5);
            // Make it non-persistent from the live channel: closing it now removes the device.
            ((EpollTunChannel) second).config().setPersist(false);
            second.close().sync();
            assertFalse(Commands.linkExists(name), "non-persistent again: gone with its last fd");
        } finally {
            Commands.ip("link", "del", "dev", name);
        }
    }

    @Test
    void adoptsAnAlreadyOpenDescriptor() throws Exception {
        String name = Names.next("f");
        int fd = TunIoctls.openCloneDevice();
        String attached = TunIoctls.setIff(fd, name, TunFlags.IFF_TUN | TunFlags.IFF_NO_PI);
        assertEquals(name, attached);
        Reflector reflector = new Reflector(false, 0);
        Channel ch = new Bootstrap().group(group).channelFactory(() -> new EpollTunChannel(fd))
                .handler(reflector).register().sync().channel();
        try {
            assertTrue(ch.isActive(), "an adopted descriptor is active once registered");
            assertEquals(name, ((TunAddress) ch.localAddress()).ifName());
            EpollTunChannel tun = (EpollTunChannel) ch;
            assertEquals(TunMode.TUN, tun.config().getMode());
            assertFalse(tun.config().isPacketInfo());
            // An adopted device is configured by whoever opened it; here the test does it through the channel.
            tun.config().setLinkUp(true).setAddresses(TestNet.deviceAddresses());
            TunRoundTripTest.echoUdp(TestNet.LOCAL4, TestNet.PEER4, 5);
            TunRoundTripTest.echoUdp(TestNet.LOCAL6, TestNet.PEER6, 5);
            assertEquals(10, reflector.udp.get());
        } finally {
            ch.close().sync();
        }
        assertFalse(Commands.linkExists(name), "closing the adopted channel closed the descriptor");
    }

    @Test
    void interfaceSettingsApplyToALiveDevice() throws Exception {
        String name = Names.next("l");
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.MTU, 1400)
                .option(TunChannelOption.TX_QUEUE_LENGTH, 1234)
                .option(TunChannelOption.SNDBUF, 65536)
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync().channel();
        try {
            EpollTunChannel tun = (EpollTunChannel) ch;
            assertEquals(1400, NetDevice.mtu(name));
            assertTrue(Commands.ip("link", "show", "dev", name).output.contains("qlen 1234"));
            assertEquals(65536, TunIoctls.getSndbuf(tun.fd().intValue()));
            tun.config().setMtu(9000);
            assertEquals(9000, NetDevice.mtu(name));
            assertEquals(9000, tun.config().getMtu());
            tun.config().addAddress(new TunInterfaceAddress(InetAddress.getByName("198.19.7.1"), 30));
            assertTrue(Commands.ip("-4", "addr", "show", "dev", name).output.contains("198.19.7.1/30"));
            tun.config().setLinkUp(false);
            assertFalse(NetDevice.isUp(name));
            tun.config().setLinkUp(true);
            assertTrue(NetDevice.isUp(name));
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void classicBpfFilterOnATap() throws Exception {
        String name = Names.next("c");
        DeviceSetup setup = new DeviceSetup(TunMode.TAP, false, false);
        Reflector reflector = setup.reflector();
        Channel ch = setup.bootstrap(group).handler(reflector).bind(new TunAddress(name)).sync().channel();
        try {
            EpollTunChannel tap = (EpollTunChannel) ch;
            tap.attachFilter(new int[][] { { 0x06, 0, 0, 0 } }); // BPF_RET|BPF_K 0: drop every frame
            long seen = reflector.arp.get() + reflector.udp.get() + reflector.ignored.get();
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(
                    new java.net.InetSocketAddress(TestNet.LOCAL4, 0))) {
                s.send(new java.net.DatagramPacket(new byte[8], 8, new java.net.InetSocketAddress(TestNet.PEER4, 9)));
            }
            Thread.sleep(300);
            assertEquals(seen, reflector.arp.get() + reflector.udp.get() + reflector.ignored.get(),
                    "no frame passes the filter");
            tap.detachFilter();
            TunRoundTripTest.echoUdp(TestNet.LOCAL4, TestNet.PEER4, 3);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void tapGetsTheConfiguredMacAddress() throws Exception {
        String name = Names.next("m");
        byte[] mac = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.MODE, TunMode.TAP)
                .option(TunChannelOption.MAC_ADDRESS, mac)
                .handler(new ChannelInboundHandlerAdapter()).bind(new TunAddress(name)).sync().channel();
        try {
            assertTrue(java.util.Arrays.equals(mac, NetDevice.macAddress(name)));
            assertTrue(Commands.ip("link", "show", "dev", name).output.contains("02:11:22:33:44:55"));
        } finally {
            ch.close().sync();
        }
    }
}
