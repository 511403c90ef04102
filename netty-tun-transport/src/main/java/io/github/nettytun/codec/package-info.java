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
/**
 * Frame codecs and packet types for TUN and TAP devices.
 *
 * <p>A frame read from a device is, in order: the PI header (unless {@code IFF_NO_PI}), the virtio-net
 * header (with {@code IFF_VNET_HDR}), then an IP packet (TUN) or an Ethernet frame (TAP). Each layer has
 * a decoder that strips its header into a reference-counted message whose content is a slice of the
 * frame, and an encoder that puts it back:
 * <ul>
 *   <li>{@link io.github.nettytun.codec.TunPiDecoder} / {@link io.github.nettytun.codec.TunPiEncoder}:
 *       {@link io.github.nettytun.codec.TunPiFrame};</li>
 *   <li>{@link io.github.nettytun.codec.VirtioNetHeaderDecoder} /
 *       {@link io.github.nettytun.codec.VirtioNetHeaderEncoder}:
 *       {@link io.github.nettytun.codec.VirtioNetFrame} with a {@link io.github.nettytun.codec.VirtioNetHeader};</li>
 *   <li>{@link io.github.nettytun.codec.EthernetDecoder} / {@link io.github.nettytun.codec.EthernetEncoder}:
 *       {@link io.github.nettytun.codec.EthernetFrame} with {@link io.github.nettytun.codec.VlanTag}s;</li>
 *   <li>{@link io.github.nettytun.codec.IpPacketDecoder} / {@link io.github.nettytun.codec.IpPacketEncoder}:
 *       {@link io.github.nettytun.codec.Ipv4Packet} and {@link io.github.nettytun.codec.Ipv6Packet}.</li>
 * </ul>
 * An inner decoder also accepts the message of the outer one and decodes its content, so a TUN pipeline
 * with PI is simply {@code TunPiDecoder, IpPacketDecoder}, and a TAP pipeline
 * {@code EthernetDecoder, IpPacketDecoder} (non-IP frames such as ARP pass the IP decoder untouched).
 *
 * <p>Malformed input never escapes as an unexpected exception and never leaks a buffer: every decoder
 * counts it under a {@link io.github.nettytun.codec.DropReason} and drops it or raises a
 * {@link io.github.nettytun.codec.MalformedFrameException}, per its
 * {@link io.github.nettytun.codec.MalformedFramePolicy}.
 *
 * <p>For the upper layer there are buffer views ({@link io.github.nettytun.codec.UdpView},
 * {@link io.github.nettytun.codec.TcpView}, {@link io.github.nettytun.codec.IcmpView}), checksum helpers
 * ({@link io.github.nettytun.codec.InternetChecksum}, {@link io.github.nettytun.codec.TransportChecksums}),
 * packet builders ({@link io.github.nettytun.codec.Ipv4Packets}, {@link io.github.nettytun.codec.Ipv6Packets})
 * and an echo responder ({@link io.github.nettytun.codec.IcmpEcho}). Packet capture to pcap files lives in
 * {@link io.github.nettytun.codec.pcap}.
 */
package io.github.nettytun.codec;
