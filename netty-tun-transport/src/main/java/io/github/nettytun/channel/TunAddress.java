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

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The address of a TUN/TAP channel: the interface name, and once the channel is bound, the
 * interface index the kernel gave it.
 *
 * <p>Bind a channel to {@code new TunAddress("tun%d")} to let the kernel pick a free name
 * ({@code %d} becomes the lowest free number), or to a fixed name to create that device or attach to
 * it if it exists. {@link io.netty.channel.Channel#localAddress()} of the bound channel returns the
 * real name and index.
 */
public final class TunAddress extends SocketAddress {

    private static final long serialVersionUID = 1L;

    private final String ifName;
    private final int ifIndex;

    /**
     * Creates an address for binding.
     *
     * @param ifName the interface name or a template with one {@code %d}; at most 15 bytes, no
     *               {@code '/'}, {@code ':'} or white space, not {@code "."} or {@code ".."}
     * @throws IllegalArgumentException if the name is not a valid Linux interface name
     */
    public TunAddress(String ifName) {
        this(ifName, 0);
    }

    /**
     * Creates an address that names a device and its interface index.
     *
     * @param ifName  the interface name
     * @param ifIndex the interface index, 0 if unknown
     * @throws IllegalArgumentException if the name is not a valid Linux interface name
     */
    public TunAddress(String ifName, int ifIndex) {
        this.ifName = validate(ifName);
        if (ifIndex < 0) {
            throw new IllegalArgumentException("ifIndex must be >= 0: " + ifIndex);
        }
        this.ifIndex = ifIndex;
    }

    private static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty (use a template such as \"tun%d\")");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 15) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes.length
                    + " bytes long; Linux allows at most 15 (IFNAMSIZ - 1)");
        }
        if (".".equals(name) || "..".equals(name)) {
            throw new IllegalArgumentException("interface name must not be '.' or '..'");
        }
        int percent = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("interface name '" + name
                        + "' contains an invalid character (allowed: printable ASCII except '/', ':' and white space)");
            }
            if (c == '%') {
                percent++;
                if (i + 1 >= name.length() || name.charAt(i + 1) != 'd' || percent > 1) {
                    throw new IllegalArgumentException("interface name '" + name
                            + "' may contain '%' only once, as the template '%d'");
                }
            }
        }
        return name;
    }

    /**
     * Returns the interface name (a template such as {@code tun%d} until the channel is bound).
     *
     * @return the name
     */
    public String ifName() {
        return ifName;
    }

    /**
     * Returns the interface index, or 0 if it is not known (an address made for binding).
     *
     * @return the index
     */
    public int ifIndex() {
        return ifIndex;
    }

    /**
     * Returns whether the name is a template that the kernel completes ({@code %d}).
     *
     * @return {@code true} for a template
     */
    public boolean isTemplate() {
        return ifName.contains("%d");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TunAddress)) {
            return false;
        }
        TunAddress that = (TunAddress) o;
        return ifIndex == that.ifIndex && ifName.equals(that.ifName);
    }

    @Override
    public int hashCode() {
        return 31 * ifName.hashCode() + ifIndex;
    }

    @Override
    public String toString() {
        return ifIndex == 0 ? ifName : ifName + '#' + ifIndex;
    }
}
