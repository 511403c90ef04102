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
 * Why a decoder refused a frame. Each decoder counts refusals per reason in its {@link DropCounters}.
 */
public enum DropReason {
    /** The frame ended before a header it must contain (PI, vnet header, Ethernet header, IP header). */
    TRUNCATED,
    /**
     * The kernel set {@code TUN_PKT_STRIP} in the PI header: the read buffer was shorter than the
     * packet and the packet was cut (see {@code tun_put_user} in {@code drivers/net/tun.c}).
     */
    KERNEL_TRUNCATED,
    /** The IP version nibble is neither 4 nor 6, or not the version the header must have. */
    BAD_VERSION,
    /** The IPv4 IHL is below 5 (20 bytes) or reaches past the end of the frame. */
    BAD_HEADER_LENGTH,
    /** The IPv4 total length or IPv6 payload length is shorter than the headers or longer than the frame. */
    BAD_LENGTH,
    /** The IPv4 header checksum does not verify. */
    BAD_CHECKSUM,
    /** An IPv6 packet has more extension headers than the decoder accepts. */
    EXTENSION_CHAIN_TOO_LONG,
    /** An IPv6 extension header reaches past the end of the packet. */
    TRUNCATED_EXTENSION_HEADER,
    /** An Ethernet frame has more stacked 802.1Q/802.1ad tags than the decoder accepts. */
    TOO_MANY_VLAN_TAGS,
    /** A virtio-net header describes a checksum or segmentation the packet cannot hold. */
    BAD_VNET_HEADER,
    /**
     * An IPv6 Jumbo Payload option (RFC 2675) that breaks the rules: an option length other than 4, a
     * jumbo length of 65535 or less, a payload length other than 0 in the fixed header, the option
     * outside the Hop-by-Hop header that follows the fixed header or twice, or a Fragment header in the
     * same packet. A jumbo length past the end of the frame counts as {@link #BAD_LENGTH}.
     */
    BAD_JUMBOGRAM
}
