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
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.DeviceSetup;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.Reflector;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.channel.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel socket -> device -> channel -> handler -> channel -> device -> kernel socket, over every
 * device set-up (TUN/TAP x PI x virtio-net header), for UDP over IPv4 and IPv6 and for ping.
 */
class TunRoundTripTest extends AbstractDeviceTest {

    static List<DeviceSetup> setups() {
        return DeviceSetup.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void udpRoundTripIpv4AndIpv6(DeviceSetup setup) throws Exception {
        Reflector reflector = setup.reflector();
        String name = Names.next(setup.kind());
        Channel ch = setup.bootstrap(group).handler(reflector).bind(new TunAddress(name)).sync().channel();
        try {
            TunAddress local = (TunAddress) ch.localAddress();
            assertEquals(name, local.ifName());
            assertTrue(local.ifIndex() > 0, "interface index after bind");
            int flags = ((EpollTunChannel) ch).deviceFlags();
            assertEquals(setup.mode.flag(), flags & (TunFlags.IFF_TUN | TunFlags.IFF_TAP), TunFlags.toString(flags));
            assertEquals(!setup.packetInfo, (flags & TunFlags.IFF_NO_PI) != 0, TunFlags.toString(flags));
            assertEquals(setup.vnetHdr, (flags & TunFlags.IFF_VNET_HDR) != 0, TunFlags.toString(flags));
            int features = ((EpollTunChannel) ch).kernelFeatures();
            int expected = TunFlags.IFF_TUN | TunFlags.IFF_TAP | TunFlags.IFF_NO_PI | TunFlags.IFF_VNET_HDR
                    | TunFlags.IFF_MULTI_QUEUE;
            assertEquals(expected, features & expected, "TUNGETFEATURES: " + TunFlags.toString(features));
            setup.addPeerNeighbour(name);

            echoUdp(TestNet.LOCAL4, TestNet.PEER4, 20);
            try {
                echoUdp(TestNet.LOCAL6, TestNet.PEER6, 20);
            } catch (AssertionError e) {
                throw new AssertionError("reflected " + reflector.udp + " ignored " + reflector.ignored + " "
                        + Commands.ip("-s", "link", "show", "dev", name).output
                        + Commands.run(5, "sh", "-c", "grep -E 'Ip6|Udp6' /proc/net/snmp6 | grep -v ' 0$'").output, e);
            }
            assertEquals(40, reflector.udp.get());
            if (setup.mode == TunMode.TAP) {
                assertTrue(reflector.arp.get() >= 1, "the kernel resolved the IPv4 peer through our ARP reply");
            }
        } finally {
            ch.close().sync();
        }
        assertTrue(!Commands.linkExists(name), "a non-persistent device disappears on close");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void pingIsAnsweredByTheHandler(DeviceSetup setup) throws Exception {
        Reflector reflector = setup.reflector();
        String name = Names.next(setup.kind());
        Channel ch = setup.bootstrap(group).handler(reflector).bind(new TunAddress(name)).sync().channel();
        try {
            setup.addPeerNeighbour(name);
            Commands.Result ping4 = Commands.run(20, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                    TestNet.PEER4.getHostAddress());
            assertEquals(0, ping4.exitCode, ping4.output);
            assertTrue(ping4.output.contains("3 received"), ping4.output);
            Commands.Result ping6 = Commands.run(20, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                    TestNet.PEER6.getHostAddress());
            assertEquals(0, ping6.exitCode, ping6.output);
            assertTrue(ping6.output.contains("3 received"), ping6.output);
            assertEquals(3, reflector.echo4.get());
            assertEquals(3, reflector.echo6.get());
        } finally {
            ch.close().sync();
        }
    }

    /** Sends {@code count} datagrams to the peer and expects each back, from the peer. */
    static void echoUdp(InetAddress local, InetAddress peer, int count) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            socket.setSoTimeout(3000);
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < count; i++) {
                byte[] payload = ("datagram " + i + " via " + peer.getHostAddress()).getBytes(StandardCharsets.US_ASCII);
                sent.add(new String(payload, StandardCharsets.US_ASCII));
                socket.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(peer, 7000 + i)));
            }
            Set<String> received = new HashSet<>();
            byte[] buffer = new byte[2048];
            try {
                while (received.size() < count) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    assertEquals(peer, p.getAddress(), "reply comes from the peer");
                    received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                }
            } catch (SocketTimeoutException e) {
                // fall through to the assertion, which shows what is missing
            }
            assertEquals(sent, received);
        }
    }
}
