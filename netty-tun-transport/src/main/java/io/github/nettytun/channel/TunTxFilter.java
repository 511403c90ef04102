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

import io.github.nettytun.codec.MacAddress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The transmit filter of a TAP device ({@code TUNSETTXFILTER}): which destination Ethernet addresses the
 * kernel hands to the program at all. Frames to other addresses are dropped in the kernel (counted as
 * transmit drops of the interface) before they cost a wake-up, a read or a buffer, which is what a
 * bridge port or a virtual NIC with a known MAC address wants.
 *
 * <p>The kernel matches up to {@value #MAX_EXACT} addresses exactly; further addresses must be multicast
 * and are matched by a 64-bit hash (so a few other multicast addresses may pass). {@link #allMulticast()}
 * lets every multicast and broadcast frame through. Broadcast ({@code ff:ff:ff:ff:ff:ff}) is a multicast
 * address: without {@code allMulticast} it passes only if listed, and ARP needs it.
 *
 * <p>The filter is device-wide (shared by all queues of a multi-queue device) and TAP-only: the kernel
 * refuses it on a TUN device.
 *
 * @see TunChannelOption#TX_FILTER
 */
public final class TunTxFilter {

    /** How many addresses the kernel matches exactly ({@code FLT_EXACT_COUNT}). */
    public static final int MAX_EXACT = 8;

    /** The flag of {@code struct tun_filter} that passes all multicast frames ({@code TUN_FLT_ALLMULTI}). */
    static final int TUN_FLT_ALLMULTI = 0x0001;

    /** No filter: every frame reaches the program (the kernel's default). */
    public static final TunTxFilter NONE = new TunTxFilter(Collections.emptyList(), false);

    private final List<MacAddress> addresses;
    private final boolean allMulticast;

    private TunTxFilter(List<MacAddress> addresses, boolean allMulticast) {
        this.addresses = addresses;
        this.allMulticast = allMulticast;
    }

    /**
     * Returns a filter that passes frames addressed to one of {@code addresses}.
     *
     * @param addresses at least one address; the first {@value #MAX_EXACT} are matched exactly, any others
     *                  must be multicast
     * @return the filter
     * @throws IllegalArgumentException if the list is empty or a unicast address comes after the first
     *                                  {@value #MAX_EXACT} (the kernel would silently switch the filter off)
     */
    public static TunTxFilter of(Collection<MacAddress> addresses) {
        List<MacAddress> copy = new ArrayList<>(addresses.size());
        for (MacAddress a : addresses) {
            copy.add(Objects.requireNonNull(a, "addresses contains null"));
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a transmit filter needs at least one address (use NONE for none)");
        }
        for (int i = MAX_EXACT; i < copy.size(); i++) {
            if (!copy.get(i).isMulticast()) {
                throw new IllegalArgumentException("unicast address " + copy.get(i) + " at position " + i
                        + ": the kernel matches only " + MAX_EXACT + " addresses exactly and hashes the rest, "
                        + "which works for multicast addresses only (a unicast one would switch the filter off)");
            }
        }
        return new TunTxFilter(Collections.unmodifiableList(copy), false);
    }

    /**
     * Returns a filter that passes frames addressed to one of {@code addresses}.
     *
     * @param addresses see {@link #of(Collection)}
     * @return the filter
     */
    public static TunTxFilter of(MacAddress... addresses) {
        return of(List.of(addresses));
    }

    /**
     * Returns a copy of this filter that also passes every multicast and broadcast frame.
     *
     * @return the filter
     * @throws IllegalStateException on {@link #NONE}, which passes everything already
     */
    public TunTxFilter allMulticast() {
        if (addresses.isEmpty()) {
            throw new IllegalStateException("NONE passes every frame already; list the unicast addresses to keep");
        }
        return new TunTxFilter(addresses, true);
    }

    /** Returns the addresses that pass, in the order given; empty for {@link #NONE}. */
    public List<MacAddress> addresses() {
        return addresses;
    }

    /** Returns whether all multicast (and broadcast) frames pass. */
    public boolean isAllMulticast() {
        return allMulticast;
    }

    /** Returns whether this is the empty filter that passes every frame. */
    public boolean isNone() {
        return addresses.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunTxFilter && ((TunTxFilter) o).addresses.equals(addresses)
                && ((TunTxFilter) o).allMulticast == allMulticast;
    }

    @Override
    public int hashCode() {
        return addresses.hashCode() * 2 + (allMulticast ? 1 : 0);
    }

    @Override
    public String toString() {
        return isNone() ? "TunTxFilter(none)" : "TunTxFilter(" + addresses + (allMulticast ? ", all multicast)" : ")");
    }
}
