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

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address with its prefix length, to be put on the device when the channel binds
 * (see {@link TunChannelOption#ADDRESSES}); optionally with the address of the other end of a
 * point-to-point link ({@code ip addr add A peer B/len}), which routes that peer (or the prefix around
 * it) into the device without a subnet on this side.
 */
public final class TunInterfaceAddress {

    private final InetAddress address;
    private final InetAddress peer;
    private final int prefixLength;

    /**
     * Creates an interface address.
     *
     * @param address      an IPv4 or IPv6 address
     * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
     * @throws IllegalArgumentException if the prefix length does not fit the family
     */
    public TunInterfaceAddress(InetAddress address, int prefixLength) {
        this(address, null, prefixLength);
    }

    private TunInterfaceAddress(InetAddress address, InetAddress peer, int prefixLength) {
        this.address = Objects.requireNonNull(address, "address");
        if (peer != null && (peer instanceof Inet6Address) != (address instanceof Inet6Address)) {
            throw new IllegalArgumentException("peer " + peer.getHostAddress() + " and local address "
                    + address.getHostAddress() + " must be of the same IP version");
        }
        int max = address instanceof Inet6Address ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0.." + max
                    + " for " + address.getHostAddress());
        }
        this.peer = peer;
        this.prefixLength = prefixLength;
    }

    /**
     * Creates a point-to-point address: {@code local} on the device, {@code peer} the other end, and the
     * prefix length applying to the peer (the kernel routes {@code peer/prefixLength} into the device).
     *
     * @param local        the address of this end
     * @param peer         the address of the other end, of the same IP version
     * @param prefixLength 0..32 for IPv4, 0..128 for IPv6; usually 32 or 128
     * @return the interface address
     * @throws IllegalArgumentException if the versions differ or the prefix length does not fit
     */
    public static TunInterfaceAddress pointToPoint(InetAddress local, InetAddress peer, int prefixLength) {
        return new TunInterfaceAddress(local, Objects.requireNonNull(peer, "peer"), prefixLength);
    }

    /**
     * Parses {@code "198.18.0.1/24"}, {@code "2001:2::1/64"} or, as {@code ip addr} spells a point-to-point
     * address, {@code "198.18.0.1 peer 198.18.0.2/32"} (literal addresses only, no name lookup).
     *
     * @param cidr the address and prefix length
     * @return the interface address
     * @throws IllegalArgumentException if the text is not an address with a prefix length
     */
    public static TunInterfaceAddress parse(String cidr) {
        String[] words = cidr.trim().split("\\s+");
        if (words.length == 3 && "peer".equals(words[1])) {
            TunInterfaceAddress remote = parse(words[2]);
            return pointToPoint(literal(words[0]), remote.address, remote.prefixLength);
        }
        if (words.length != 1) {
            throw new IllegalArgumentException("expected address/prefix or 'address peer address/prefix': " + cidr);
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected address/prefix, e.g. 198.18.0.1/24: " + cidr);
        }
        try {
            return new TunInterfaceAddress(literal(cidr.substring(0, slash).trim()),
                    Integer.parseInt(cidr.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an address/prefix: " + cidr, e);
        }
    }

    private static InetAddress literal(String host) {
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not a literal IPv4 or IPv6 address: " + host);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a literal IPv4 or IPv6 address: " + host, e);
        }
    }

    /** Returns the address. */
    public InetAddress address() {
        return address;
    }

    /** Returns the address of the other end of a point-to-point link, or {@code null}. */
    public InetAddress peer() {
        return peer;
    }

    /** Returns the prefix length (of the peer, for a point-to-point address). */
    public int prefixLength() {
        return prefixLength;
    }

    /** Returns whether this is an IPv6 address. */
    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** Returns whether this is an IPv4 address. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunInterfaceAddress && ((TunInterfaceAddress) o).address.equals(address)
                && Objects.equals(((TunInterfaceAddress) o).peer, peer)
                && ((TunInterfaceAddress) o).prefixLength == prefixLength;
    }

    @Override
    public int hashCode() {
        return (address.hashCode() * 31 + Objects.hashCode(peer)) * 131 + prefixLength;
    }

    @Override
    public String toString() {
        return peer == null ? address.getHostAddress() + '/' + prefixLength
                : address.getHostAddress() + " peer " + peer.getHostAddress() + '/' + prefixLength;
    }
}
