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
package io.github.nettytun.testsuite.support;

import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * One way of setting up a device, for tests that run the same body over every permutation (in the
 * style of Netty's testsuite): TUN or TAP, with or without the PI header, with or without the
 * virtio-net header.
 */
public final class DeviceSetup {
    public final TunMode mode;
    public final boolean packetInfo;
    public final boolean vnetHdr;

    public DeviceSetup(TunMode mode, boolean packetInfo, boolean vnetHdr) {
        this.mode = mode;
        this.packetInfo = packetInfo;
        this.vnetHdr = vnetHdr;
    }

    /** Every permutation: TUN/TAP x PI x vnet header. */
    public static List<DeviceSetup> all() {
        List<DeviceSetup> setups = new ArrayList<>();
        for (TunMode mode : TunMode.values()) {
            for (boolean pi : new boolean[] { false, true }) {
                for (boolean vnet : new boolean[] { false, true }) {
                    setups.add(new DeviceSetup(mode, pi, vnet));
                }
            }
        }
        return setups;
    }

    /** Bytes in front of the IP packet or Ethernet frame. */
    public int headerSize() {
        return (packetInfo ? 4 : 0) + (vnetHdr ? 10 : 0);
    }

    /** A bootstrap for this setup with the test addresses. */
    public Bootstrap bootstrap(EventLoopGroup group) {
        return new Bootstrap().group(group)
                .channel(EpollTunChannel.class)
                .option(TunChannelOption.MODE, mode)
                .option(TunChannelOption.PACKET_INFO, packetInfo)
                .option(TunChannelOption.VNET_HDR, vnetHdr)
                .option(TunChannelOption.ADDRESSES, TestNet.deviceAddresses());
    }

    /** A reflector that understands this setup's frames. */
    public Reflector reflector() {
        return new Reflector(mode == TunMode.TAP, headerSize());
    }

    /** After bind: lets the kernel reach the IPv6 peer on a TAP without neighbour discovery. */
    public void addPeerNeighbour(String device) {
        if (mode == TunMode.TAP) {
            Commands.Result r = Commands.ip("-6", "neigh", "replace", TestNet.PEER6.getHostAddress(),
                    "lladdr", "02:00:5e:10:00:02", "dev", device, "nud", "permanent");
            if (r.exitCode != 0) {
                throw new IllegalStateException("ip neigh: " + r);
            }
        }
    }

    /** A short name hint for device names. */
    public String kind() {
        return (mode == TunMode.TAP ? "a" : "u") + (packetInfo ? "p" : "") + (vnetHdr ? "v" : "");
    }

    @Override
    public String toString() {
        return mode + (packetInfo ? "+PI" : "") + (vnetHdr ? "+VNET" : "");
    }
}
