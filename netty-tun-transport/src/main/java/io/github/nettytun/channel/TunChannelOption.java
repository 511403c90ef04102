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
package io.github.nettytun.channel;

import io.netty.channel.ChannelOption;

import java.util.List;
import java.util.Set;

/**
 * Options of TUN/TAP channels. Those that shape the device ({@link #MODE}, {@link #PACKET_INFO},
 * {@link #MULTI_QUEUE}, {@link #VNET_HDR}, {@link #VNET_HDR_SIZE}) take effect at bind and cannot change
 * afterwards; the interface settings ({@link #MTU}, {@link #ADDRESSES}, {@link #LINK_UP}, ...) are applied
 * at bind and, when set on a bound channel, applied to the live device at once.
 *
 * @param <T> the option's value type
 */
public final class TunChannelOption<T> extends ChannelOption<T> {

    /** TUN (IP packets) or TAP (Ethernet frames). Default {@link TunMode#TUN}. */
    public static final ChannelOption<TunMode> MODE = valueOf(TunChannelOption.class, "MODE");

    /**
     * Whether each frame carries the 4-byte {@code struct tun_pi} header (flags, EtherType). Default
     * {@code false} ({@code IFF_NO_PI}), as almost every program wants.
     */
    public static final ChannelOption<Boolean> PACKET_INFO = valueOf(TunChannelOption.class, "PACKET_INFO");

    /** Open the device with {@code IFF_MULTI_QUEUE}, so other fds (queues) can attach. Default {@code false}. */
    public static final ChannelOption<Boolean> MULTI_QUEUE = valueOf(TunChannelOption.class, "MULTI_QUEUE");

    /** Whether each frame carries a {@code struct virtio_net_hdr} ({@code IFF_VNET_HDR}). Default {@code false}. */
    public static final ChannelOption<Boolean> VNET_HDR = valueOf(TunChannelOption.class, "VNET_HDR");

    /** Size of the virtio-net header when {@link #VNET_HDR} is on: 10, 12 or more. Default 10. */
    public static final ChannelOption<Integer> VNET_HDR_SIZE = valueOf(TunChannelOption.class, "VNET_HDR_SIZE");

    /** The MTU of the interface; 0 (default) leaves the kernel's (1500 for a new device). */
    public static final ChannelOption<Integer> MTU = valueOf(TunChannelOption.class, "MTU");

    /** IPv4 and IPv6 addresses with prefix lengths to add to the interface. Default none. */
    public static final ChannelOption<List<TunInterfaceAddress>> ADDRESSES =
            valueOf(TunChannelOption.class, "ADDRESSES");

    /** Whether to bring the link up at bind. Default {@code true}. */
    public static final ChannelOption<Boolean> LINK_UP = valueOf(TunChannelOption.class, "LINK_UP");

    /**
     * {@code true} makes the device persistent ({@code TUNSETPERSIST}): it outlives the channel. Default
     * {@code false}, which at bind leaves an existing device's persistence as it is; set {@code false}
     * on a bound channel to make its device non-persistent.
     */
    public static final ChannelOption<Boolean> PERSIST = valueOf(TunChannelOption.class, "PERSIST");

    /** The uid allowed to attach without CAP_NET_ADMIN ({@code TUNSETOWNER}); -1 (default) leaves it. */
    public static final ChannelOption<Integer> OWNER = valueOf(TunChannelOption.class, "OWNER");

    /** The gid whose members may attach without CAP_NET_ADMIN ({@code TUNSETGROUP}); -1 (default) leaves it. */
    public static final ChannelOption<Integer> GROUP = valueOf(TunChannelOption.class, "GROUP");

    /** The carrier state ({@code TUNSETCARRIER}); {@code null} (default) leaves it (on while a queue is attached). */
    public static final ChannelOption<Boolean> CARRIER = valueOf(TunChannelOption.class, "CARRIER");

    /**
     * Bytes written to the fd that may be in flight in the kernel before writes fail with {@code EAGAIN}
     * ({@code TUNSETSNDBUF}); 0 (default) leaves the kernel's (unlimited). {@link ChannelOption#SO_SNDBUF}
     * is accepted as an alias.
     */
    public static final ChannelOption<Integer> SNDBUF = valueOf(TunChannelOption.class, "SNDBUF");

    /** The Ethernet address of a TAP device (6 bytes); {@code null} (default) keeps the random one. */
    public static final ChannelOption<byte[]> MAC_ADDRESS = valueOf(TunChannelOption.class, "MAC_ADDRESS");

    /** The transmit queue length ({@code txqueuelen}) of the interface; 0 (default) leaves the kernel's (500). */
    public static final ChannelOption<Integer> TX_QUEUE_LENGTH = valueOf(TunChannelOption.class, "TX_QUEUE_LENGTH");

    /**
     * Whether IPv6 addresses go through duplicate address detection. Default {@code false}: a
     * point-to-point TUN has no neighbours, and with DAD an address stays unusable ("tentative") for
     * about a second after bind.
     */
    public static final ChannelOption<Boolean> IPV6_DAD = valueOf(TunChannelOption.class, "IPV6_DAD");

    /**
     * Number of queues (file descriptors) a multi-queue parent channel opens at bind, one child channel
     * each: 1..256. Default: the number of available processors.
     */
    public static final ChannelOption<Integer> QUEUES = valueOf(TunChannelOption.class, "QUEUES");

    /**
     * The offloads to enable ({@code TUNSETOFFLOAD}); needs {@link #VNET_HDR}. Default none (the mask is
     * still written, as 0). Changing it on a bound channel changes the device-wide mask at once, which is
     * how segmentation offloads are switched off at run time.
     */
    public static final ChannelOption<Set<TunOffload>> OFFLOADS = valueOf(TunChannelOption.class, "OFFLOADS");

    /**
     * Fail the bind if a device of that name exists already, instead of attaching to it
     * ({@code IFF_TUN_EXCL}). Default {@code false}. Only meaningful with a fixed name: a template such as
     * {@code tun%d} always creates a new device.
     */
    public static final ChannelOption<Boolean> EXCLUSIVE = valueOf(TunChannelOption.class, "EXCLUSIVE");

    /**
     * Let the kernel pass frames written to the device through NAPI and GRO ({@code IFF_NAPI}), as a
     * driver of a real NIC does; the queue then gets its own NAPI context. Default {@code false}. Mostly for
     * testing the kernel's receive path: a plain {@code write()} schedules NAPI once per frame, so GRO
     * rarely finds two frames to merge.
     */
    public static final ChannelOption<Boolean> NAPI = valueOf(TunChannelOption.class, "NAPI");

    /**
     * The interface index for a new device ({@code TUNSETIFINDEX}), for programs that need stable indexes
     * (routes or eBPF maps written before the device exists); 0 (default) lets the kernel choose. Ignored
     * when the bind attaches to an existing device; a taken index fails the bind with {@code EBUSY}.
     */
    public static final ChannelOption<Integer> IF_INDEX = valueOf(TunChannelOption.class, "IF_INDEX");

    /**
     * The transmit filter of a TAP device ({@code TUNSETTXFILTER}): only frames to these destination
     * addresses reach the program. Default {@link TunTxFilter#NONE}. Device-wide; can be changed on a bound
     * channel.
     */
    public static final ChannelOption<TunTxFilter> TX_FILTER = valueOf(TunChannelOption.class, "TX_FILTER");

    @SuppressWarnings({ "unused", "deprecation" })
    private TunChannelOption() {
        super(null);
    }
}
