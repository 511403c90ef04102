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
 * EtherType values used by the codecs (IEEE 802 numbers, big-endian on the wire). The PI header
 * carries the same numbers in its {@code proto} field.
 */
public final class EtherTypes {

    /** IPv4, {@code ETH_P_IP}. */
    public static final int IPV4 = 0x0800;
    /** ARP, {@code ETH_P_ARP}. */
    public static final int ARP = 0x0806;
    /** IPv6, {@code ETH_P_IPV6}. */
    public static final int IPV6 = 0x86DD;
    /** 802.1Q customer VLAN tag protocol identifier, {@code ETH_P_8021Q}. */
    public static final int VLAN_8021Q = 0x8100;
    /** 802.1ad service VLAN (QinQ) tag protocol identifier, {@code ETH_P_8021AD}. */
    public static final int VLAN_8021AD = 0x88A8;
    /** Values below this are 802.3 length fields, not EtherTypes. */
    public static final int MIN_ETHERTYPE = 0x0600;

    private EtherTypes() {
    }

    /**
     * Returns whether a type is a VLAN tag protocol identifier the Ethernet decoder steps over.
     *
     * @param type a 16-bit EtherType
     * @return {@code true} for 802.1Q and 802.1ad
     */
    public static boolean isVlanTpid(int type) {
        return type == VLAN_8021Q || type == VLAN_8021AD;
    }

    /**
     * Returns the EtherType of an IP packet, from the version nibble of its first byte.
     *
     * @param firstByte the packet's first byte
     * @return {@link #IPV4}, {@link #IPV6}, or {@code -1} for other versions
     */
    public static int ofIpVersion(int firstByte) {
        switch ((firstByte >> 4) & 0xF) {
            case 4:
                return IPV4;
            case 6:
                return IPV6;
            default:
                return -1;
        }
    }
}
