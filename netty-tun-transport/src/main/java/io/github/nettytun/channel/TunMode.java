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

/**
 * The kind of device: a layer-3 TUN device (IP packets) or a layer-2 TAP device (Ethernet frames).
 */
public enum TunMode {
    /** IP packets ({@code IFF_TUN}). */
    TUN(TunFlags.IFF_TUN),
    /** Ethernet frames ({@code IFF_TAP}). */
    TAP(TunFlags.IFF_TAP);

    private final int flag;

    TunMode(int flag) {
        this.flag = flag;
    }

    /**
     * Returns the {@code IFF_TUN} or {@code IFF_TAP} flag.
     *
     * @return the flag
     */
    public int flag() {
        return flag;
    }

    /**
     * Returns the mode named by a set of {@code IFF_*} flags.
     *
     * @param flags flags as {@code TUNGETIFF} returns them
     * @return the mode
     * @throws IllegalArgumentException if neither {@code IFF_TUN} nor {@code IFF_TAP} is set
     */
    public static TunMode fromFlags(int flags) {
        if ((flags & TunFlags.IFF_TAP) != 0) {
            return TAP;
        }
        if ((flags & TunFlags.IFF_TUN) != 0) {
            return TUN;
        }
        throw new IllegalArgumentException("neither IFF_TUN nor IFF_TAP in " + TunFlags.toString(flags));
    }
}
