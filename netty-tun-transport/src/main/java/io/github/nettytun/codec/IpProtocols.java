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
package io.github.nettytun.codec;

/**
 * IP protocol numbers (IPv4 protocol field, IPv6 next-header field) used by the codecs.
 */
public final class IpProtocols {

    /** IPv6 hop-by-hop options. */
    public static final int HOP_BY_HOP = 0;
    /** ICMP for IPv4. */
    public static final int ICMP = 1;
    /** TCP. */
    public static final int TCP = 6;
    /** UDP. */
    public static final int UDP = 17;
    /** IPv6 routing header. */
    public static final int ROUTING = 43;
    /** IPv6 fragment header. */
    public static final int FRAGMENT = 44;
    /** Encapsulating security payload: the chain cannot be walked past it. */
    public static final int ESP = 50;
    /** Authentication header (length in 4-byte units). */
    public static final int AH = 51;
    /** ICMPv6. */
    public static final int ICMPV6 = 58;
    /** IPv6 "no next header". */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 destination options. */
    public static final int DESTINATION_OPTIONS = 60;
    /** Mobility header. */
    public static final int MOBILITY = 135;
    /** Host identity protocol. */
    public static final int HIP = 139;
    /** Shim6. */
    public static final int SHIM6 = 140;
    /** Experimental extension header 253 (RFC 3692). */
    public static final int EXPERIMENTAL_1 = 253;
    /** Experimental extension header 254 (RFC 3692). */
    public static final int EXPERIMENTAL_2 = 254;

    private IpProtocols() {
    }

    /**
     * Returns whether a next-header value names an IPv6 extension header with the generic
     * "next header, length" layout that a decoder can step over (RFC 8200 section 4, RFC 7045).
     * ESP and "no next header" end the walk and are not included.
     *
     * @param nextHeader an IPv6 next-header value
     * @return {@code true} for walkable extension headers
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        switch (nextHeader) {
            case HOP_BY_HOP:
            case ROUTING:
            case FRAGMENT:
            case AH:
            case DESTINATION_OPTIONS:
            case MOBILITY:
            case HIP:
            case SHIM6:
            case EXPERIMENTAL_1:
            case EXPERIMENTAL_2:
                return true;
            default:
                return false;
        }
    }
}
