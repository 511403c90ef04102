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
 * (see {@link TunChannelOption#ADDRESSES}).
 */
public final class TunInterfaceAddress {

    private final InetAddress address;
    private final int prefixLength;

    /**
     * Creates an interface address.
     *
     * @param address      an IPv4 or IPv6 address
     * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
     * @throws IllegalArgumentException if the prefix length does not fit the family
     */
    public TunInterfaceAddress(InetAddress address, int prefixLength) {
        this.address = Objects.requireNonNull(address, "address");
        int max = address instanceof Inet6Address ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0.." + max
                    + " for " + address.getHostAddress());
        }
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code "198.18.0.1/24"} or {@code "2001:2::1/64"} (literal addresses only, no name lookup).
     *
     * @param cidr the address and prefix length
     * @return the interface address
     * @throws IllegalArgumentException if the text is not an address with a prefix length
     */
    public static TunInterfaceAddress parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected address/prefix, e.g. 198.18.0.1/24: " + cidr);
        }
        String host = cidr.substring(0, slash);
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not a literal IPv4 or IPv6 address: " + host);
        }
        try {
            return new TunInterfaceAddress(InetAddress.getByName(host), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address/prefix: " + cidr, e);
        }
    }

    /** Returns the address. */
    public InetAddress address() {
        return address;
    }

    /** Returns the prefix length. */
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
                && ((TunInterfaceAddress) o).prefixLength == prefixLength;
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 131 + prefixLength;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + '/' + prefixLength;
    }
}
