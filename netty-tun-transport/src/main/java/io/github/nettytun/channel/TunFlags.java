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

import java.util.StringJoiner;

/**
 * The {@code IFF_*} flags of {@code <linux/if_tun.h>}, as used by {@code TUNSETIFF},
 * {@code TUNGETIFF} and {@code TUNGETFEATURES}. {@link TunChannel#deviceFlags()} and
 * {@link TunChannel#kernelFeatures()} return them; {@link #toString(int)} spells them out.
 */
public final class TunFlags {
    /** Layer 3 device: reads and writes IP packets. */
    public static final int IFF_TUN = 0x0001;
    /** Layer 2 device: reads and writes Ethernet frames. */
    public static final int IFF_TAP = 0x0002;
    /** Use NAPI for frames written to the device. */
    public static final int IFF_NAPI = 0x0010;
    /** NAPI with page fragments (needs CAP_NET_ADMIN and a TAP). */
    public static final int IFF_NAPI_FRAGS = 0x0020;
    /** Create the device with the carrier off. */
    public static final int IFF_NO_CARRIER = 0x0040;
    /** The device has several queues, one fd each. */
    public static final int IFF_MULTI_QUEUE = 0x0100;
    /** {@code TUNSETQUEUE}: put the queue back into the steering. */
    public static final int IFF_ATTACH_QUEUE = 0x0200;
    /** {@code TUNSETQUEUE}: take the queue out of the steering. */
    public static final int IFF_DETACH_QUEUE = 0x0400;
    /** The device outlives its file descriptors ({@code TUNGETIFF} only). */
    public static final int IFF_PERSIST = 0x0800;
    /** No 4-byte packet information header in front of each frame. */
    public static final int IFF_NO_PI = 0x1000;
    /** Obsolete, ignored by the kernel. */
    public static final int IFF_ONE_QUEUE = 0x2000;
    /** A {@code struct virtio_net_hdr} in front of each frame (offloads). */
    public static final int IFF_VNET_HDR = 0x4000;
    /** Fail with {@code EBUSY} if the device exists (kernel 6.x drops this flag silently). */
    public static final int IFF_TUN_EXCL = 0x8000;

    private static final int[] BITS = {
        IFF_TUN, IFF_TAP, IFF_NAPI, IFF_NAPI_FRAGS, IFF_NO_CARRIER, IFF_MULTI_QUEUE, IFF_ATTACH_QUEUE,
        IFF_DETACH_QUEUE, IFF_PERSIST, IFF_NO_PI, IFF_ONE_QUEUE, IFF_VNET_HDR, IFF_TUN_EXCL,
    };
    private static final String[] NAMES = {
        "IFF_TUN", "IFF_TAP", "IFF_NAPI", "IFF_NAPI_FRAGS", "IFF_NO_CARRIER", "IFF_MULTI_QUEUE",
        "IFF_ATTACH_QUEUE", "IFF_DETACH_QUEUE", "IFF_PERSIST", "IFF_NO_PI", "IFF_ONE_QUEUE", "IFF_VNET_HDR",
        "IFF_TUN_EXCL",
    };

    private TunFlags() {
    }

    /**
     * Spells out a set of flags, e.g. {@code "IFF_TUN|IFF_NO_PI"}; unknown bits appear in hex.
     *
     * @param flags the flags
     * @return their names joined by {@code |}, or {@code "0"}
     */
    public static String toString(int flags) {
        StringJoiner joiner = new StringJoiner("|");
        int rest = flags;
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                joiner.add(NAMES[i]);
                rest &= ~BITS[i];
            }
        }
        if (rest != 0) {
            joiner.add("0x" + Integer.toHexString(rest));
        }
        return joiner.length() == 0 ? "0" : joiner.toString();
    }
}
