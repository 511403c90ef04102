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
package io.github.nettytun.channel.epoll;

import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.TunInterfaceAddress;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.TunTxFilter;
import io.github.nettytun.channel.linux.Errno;
import io.github.nettytun.channel.linux.NetDevice;
import io.github.nettytun.channel.linux.RtNetlink;
import io.github.nettytun.channel.linux.TunIoctls;
import io.github.nettytun.codec.MacAddress;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Applies an {@link EpollTunChannelConfig} to a device: the {@code TUNSETIFF} flags it asks for, and the
 * set-up after attaching (virtio-net header, owner, MTU, link, addresses, persistence), in the order the
 * kernel needs. Shared by the single-queue channel and the multi-queue parent.
 */
final class TunDeviceSetup {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(TunDeviceSetup.class);

    /** How long set-up waits for the kernel to mark the device running and addresses routable. */
    static final long READY_TIMEOUT_MILLIS = 2000;

    private TunDeviceSetup() {
    }

    /** Returns the address a channel binds to, or says why it cannot bind to what it was given. */
    static io.github.nettytun.channel.TunAddress requireTunAddress(java.net.SocketAddress address) {
        if (!(address instanceof io.github.nettytun.channel.TunAddress)) {
            throw new IllegalArgumentException("a TUN/TAP channel binds to a TunAddress, not "
                    + (address == null ? "null" : address.getClass().getName()));
        }
        return (io.github.nettytun.channel.TunAddress) address;
    }

    /** The {@code IFF_*} flags for {@code TUNSETIFF}. */
    static int iffFlags(EpollTunChannelConfig c, boolean multiQueue) {
        return c.getMode().flag()
                | (c.isPacketInfo() ? 0 : TunFlags.IFF_NO_PI)
                | (multiQueue ? TunFlags.IFF_MULTI_QUEUE : 0)
                | (c.isVnetHdr() ? TunFlags.IFF_VNET_HDR : 0)
                | (c.isNapi() ? TunFlags.IFF_NAPI : 0)
                | (c.isExclusive() ? TunFlags.IFF_TUN_EXCL : 0);
    }

    /**
     * Writes the offload mask. On {@code EINVAL} finds out which of the asked offloads this kernel refuses
     * (one bit at a time), leaves the mask at 0 and says so.
     */
    static void setOffloads(int fd, String name, Set<TunOffload> offloads, int vnetHdrSize) {
        int mask = TunOffload.toMask(offloads);
        try {
            TunIoctls.setOffload(fd, name, mask);
        } catch (TunException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            // Probing leaves the mask at 0.
            Set<TunOffload> refused = EnumSet.copyOf(offloads);
            refused.removeAll(probeOffloads(fd, name, vnetHdrSize, Set.of()));
            throw new TunException("TUNSETOFFLOAD" + offloads + " on " + name + " failed (EINVAL): this kernel does "
                    + "not support " + refused + " (USO needs Linux 6.2, UDP tunnel GSO 6.17, UFO is gone); "
                    + "drop them from TunChannelOption.OFFLOADS (segmentation offloads also need CSUM)", Errno.EINVAL, e);
        }
    }

    /**
     * Probes which offloads the kernel accepts on this device, one {@code TUNSETOFFLOAD} per offload, and
     * restores the given mask. The mask is device-wide: probe before traffic flows.
     */
    static Set<TunOffload> probeOffloads(int fd, String name, int vnetHdrSize, Set<TunOffload> restore) {
        Set<TunOffload> supported = EnumSet.noneOf(TunOffload.class);
        try {
            for (TunOffload o : TunOffload.values()) {
                if ((o == TunOffload.UDP_TUNNEL_GSO || o == TunOffload.UDP_TUNNEL_GSO_CSUM) && vnetHdrSize < 24) {
                    // Accepted with a short header, but then every read fails with EFAULT: do not even try.
                    continue;
                }
                int bits = o.bit() | (o == TunOffload.CSUM ? 0 : TunOffload.CSUM.bit())
                        | (o == TunOffload.TSO_ECN ? TunOffload.TSO4.bit() : 0)
                        // tun.c takes USO only for both families at once.
                        | (o == TunOffload.USO4 || o == TunOffload.USO6
                           ? TunOffload.USO4.bit() | TunOffload.USO6.bit() : 0);
                try {
                    TunIoctls.setOffload(fd, name, bits);
                    supported.add(o);
                } catch (TunException refused) {
                    // not supported
                }
            }
        } finally {
            TunIoctls.setOffload(fd, name, TunOffload.toMask(restore));
        }
        return supported;
    }

    /**
     * Returns the flags of the device {@code fd} was just attached to with {@code requested}. {@code TUNGETIFF}
     * puts "no socket filter" ({@code IFF_NOFILTER}) in bit 0x1000, which is also {@code IFF_NO_PI}: the
     * packet-information state is taken from what was asked instead.
     */
    static int attachedFlags(int fd, int requested) {
        return (TunIoctls.getIff(fd).flags() & ~TunFlags.IFF_NO_PI) | (requested & TunFlags.IFF_NO_PI);
    }

    /** Checks what can be checked before the kernel is asked. */
    static void validate(EpollTunChannelConfig c, String name) {
        Set<TunOffload> offloads = c.getOffloads();
        if (!offloads.isEmpty() && !c.isVnetHdr()) {
            throw new TunException("OFFLOADS " + offloads + " need the virtio-net header: set TunChannelOption.VNET_HDR",
                    0);
        }
        if ((offloads.contains(TunOffload.UDP_TUNNEL_GSO) || offloads.contains(TunOffload.UDP_TUNNEL_GSO_CSUM))
                && c.getVnetHdrSize() < 24) {
            throw new TunException("UDP tunnel GSO needs a 24-byte virtio-net header (VNET_HDR_SIZE 24), not "
                    + c.getVnetHdrSize() + ": with a shorter one every read fails with EFAULT", 0);
        }
        if (offloads.contains(TunOffload.USO4) != offloads.contains(TunOffload.USO6)) {
            throw new TunException("USO4 and USO6 go together: the kernel takes UDP segmentation offload only for "
                    + "both IP versions at once (asked: " + offloads + ")", 0);
        }
        for (TunOffload o : offloads) {
            if (o.isSegmentation() && !offloads.contains(TunOffload.CSUM)) {
                throw new TunException("offload " + o + " needs CSUM as well (the kernel hands over super-packets "
                        + "with partial checksums)", 0);
            }
        }
        checkIpv6Mtu(c.getAddresses(), c.getMtu(), name);
        if (!c.getTxFilter().isNone() && c.getMode() != TunMode.TAP) {
            throw new TunException("TX_FILTER applies to TAP devices only (it matches destination Ethernet "
                    + "addresses); " + name + " is a TUN", 0);
        }
        if (c.getMacAddress() != null && c.getMode() != TunMode.TAP) {
            throw new TunException("MAC_ADDRESS applies to TAP devices only; " + name + " is a TUN", 0);
        }
    }

    /**
     * Configures a device that {@code fd} was just attached to.
     *
     * @return the device's MTU afterwards
     */
    static int configure(int fd, String name, EpollTunChannelConfig c) {
        if (c.isVnetHdr()) {
            TunIoctls.setVnetHdrSize(fd, name, c.getVnetHdrSize());
            // The offload mask is device-wide and outlives detached queues: always write it.
            setOffloads(fd, name, c.getOffloads(), c.getVnetHdrSize());
        }
        if (c.getOwner() >= 0) {
            TunIoctls.setOwner(fd, name, c.getOwner());
        }
        if (c.getGroup() >= 0) {
            TunIoctls.setGroup(fd, name, c.getGroup());
        }
        if (c.getSndbuf() > 0) {
            TunIoctls.setSndbuf(fd, name, c.getSndbuf());
        }
        if (c.getCarrier() != null) {
            TunIoctls.setCarrier(fd, name, c.getCarrier());
        }
        if (!c.getTxFilter().isNone()) {
            setTxFilter(fd, name, c.getTxFilter());
        }
        int mtu = NetDevice.mtu(name);
        if (c.getMtu() != 0 && c.getMtu() != mtu) {
            NetDevice.setMtu(name, c.getMtu());
            mtu = c.getMtu();
        }
        c.mtuFromDevice(mtu);
        byte[] mac = c.getMacAddress();
        if (mac != null) {
            NetDevice.setMacAddress(name, mac);
        }
        if (c.getTxQueueLength() > 0) {
            NetDevice.setTxQueueLength(name, c.getTxQueueLength());
        }
        if (c.isLinkUp()) {
            // IPv6 addresses need the link up first; no-op (and no privilege needed) when already up.
            NetDevice.setUp(name, true);
            awaitRunning(name, c);
        }
        List<TunInterfaceAddress> addresses = c.getAddresses();
        if (!addresses.isEmpty()) {
            addAddresses(name, addresses, mtu, c);
        }
        if (c.isPersist()) {
            // Last, so that a failure above leaves no persistent half-configured device behind.
            TunIoctls.setPersist(fd, name, true);
        }
        return mtu;
    }

    /**
     * Chooses the interface index of the device that {@code TUNSETIFF} on this fresh fd may create, when
     * {@link EpollTunChannelConfig#getIfIndex()} asks for one.
     */
    static void chooseIfIndex(int fd, EpollTunChannelConfig c) {
        if (c.getIfIndex() > 0) {
            TunIoctls.setIfIndex(fd, c.getIfIndex());
        }
    }

    /** Writes the transmit filter ({@code TUNSETTXFILTER}); {@link TunTxFilter#NONE} switches it off. */
    static void setTxFilter(int fd, String name, TunTxFilter filter) {
        List<byte[]> raw = new ArrayList<>(filter.addresses().size());
        for (MacAddress a : filter.addresses()) {
            raw.add(a.toBytes());
        }
        TunIoctls.setTxFilter(fd, name, filter.isAllMulticast(), raw);
    }

    /**
     * Waits for the kernel's link-watch to mark the device running: until then packets routed into it are
     * dropped (no-op qdisc), and IPv6 re-runs its set-up when the operstate changes.
     */
    static void awaitRunning(String name, EpollTunChannelConfig c) {
        if ((c.getCarrier() == null || c.getCarrier()) && !NetDevice.awaitRunning(name, READY_TIMEOUT_MILLIS)) {
            logger.debug("{} is not running {} ms after link up; the first packets routed into it may be dropped",
                    name, READY_TIMEOUT_MILLIS);
        }
    }

    /** Adds addresses and returns once they work (see {@link RtNetlink#awaitLocalRoute}). */
    static void addAddresses(String name, List<TunInterfaceAddress> addresses, int mtu, EpollTunChannelConfig c) {
        checkIpv6Mtu(addresses, mtu, name);
        int index = NetDevice.index(name);
        for (TunInterfaceAddress a : addresses) {
            RtNetlink.addAddress(index, name, a.address(), a.peer(), a.prefixLength(), !c.isIpv6Dad());
        }
        if (c.isIpv6Dad() || !NetDevice.isUp(name)) {
            return;
        }
        for (TunInterfaceAddress a : addresses) {
            if (a.isIpv6() && !RtNetlink.awaitLocalRoute(a.address(), READY_TIMEOUT_MILLIS)) {
                logger.debug("{} is not routed locally {} ms after it was added", a, READY_TIMEOUT_MILLIS);
            }
        }
    }

    static void checkIpv6Mtu(List<TunInterfaceAddress> addresses, int mtu, String name) {
        if (mtu != 0 && mtu < 1280) {
            for (TunInterfaceAddress a : addresses) {
                if (a.isIpv6()) {
                    throw new TunException("IPv6 address " + a + " on " + name + " needs an MTU of at least 1280, "
                            + "but the MTU is " + mtu + ": raise TunChannelOption.MTU or drop the IPv6 address", 0);
                }
            }
        }
    }
}
