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

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code TUN_F_*} offloads of {@code TUNSETOFFLOAD}: what the kernel may hand to the channel (and accept
 * from it) instead of finished packets. They need the virtio-net header ({@link TunChannelOption#VNET_HDR}),
 * which describes each super-packet or partial checksum. The mask is device-wide and outlives detached
 * queues; the channel always writes it (0 when no offload is asked for).
 */
public enum TunOffload {
    /** Packets may carry a partial checksum ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}); needed by the others. */
    CSUM(0x01),
    /** TCP over IPv4 super-packets (up to 64 KiB) to be segmented. */
    TSO4(0x02),
    /** TCP over IPv6 super-packets. */
    TSO6(0x04),
    /** TCP super-packets with ECN (CWR) set. */
    TSO_ECN(0x08),
    /** UDP fragmentation offload (obsolete: current kernels accept the bit and never use it). */
    UFO(0x10),
    /** UDP segmentation offload over IPv4 ({@code VIRTIO_NET_HDR_GSO_UDP_L4}, Linux 6.2+); only with {@link #USO6}. */
    USO4(0x20),
    /** UDP segmentation offload over IPv6 (Linux 6.2+); only with {@link #USO4}. */
    USO6(0x40),
    /** UDP tunnel (VXLAN, GENEVE) segmentation (Linux 6.17+); needs a 24-byte virtio-net header. */
    UDP_TUNNEL_GSO(0x80),
    /** UDP tunnel segmentation with outer checksum (Linux 6.17+); needs a 24-byte virtio-net header. */
    UDP_TUNNEL_GSO_CSUM(0x100);

    private final int bit;

    TunOffload(int bit) {
        this.bit = bit;
    }

    /**
     * Returns the {@code TUN_F_*} bit.
     *
     * @return the bit
     */
    public int bit() {
        return bit;
    }

    /**
     * Returns whether this offload makes the kernel hand over super-packets larger than the MTU.
     *
     * @return {@code true} for the segmentation offloads
     */
    public boolean isSegmentation() {
        return this != CSUM;
    }

    /**
     * Returns the {@code TUNSETOFFLOAD} mask of a set of offloads.
     *
     * @param offloads the offloads
     * @return the mask
     */
    public static int toMask(Set<TunOffload> offloads) {
        int mask = 0;
        for (TunOffload o : offloads) {
            mask |= o.bit;
        }
        return mask;
    }

    /**
     * Returns the offloads of a mask (unknown bits are ignored).
     *
     * @param mask a {@code TUN_F_*} mask
     * @return the offloads, unmodifiable
     */
    public static Set<TunOffload> fromMask(int mask) {
        EnumSet<TunOffload> set = EnumSet.noneOf(TunOffload.class);
        for (TunOffload o : values()) {
            if ((mask & o.bit) != 0) {
                set.add(o);
            }
        }
        return Collections.unmodifiableSet(set);
    }
}
