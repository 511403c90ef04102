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
 * Packet capture: {@link io.github.nettytun.codec.pcap.PcapCaptureHandler} copies the frames passing a
 * pipeline into a size-bounded, rotating pcap file written by
 * {@link io.github.nettytun.codec.pcap.PcapWriter} ({@code LINKTYPE_RAW} for TUN, {@code LINKTYPE_ETHERNET}
 * for TAP), which {@code tcpdump -r}, {@code tshark -r} and Wireshark read;
 * {@link io.github.nettytun.codec.pcap.PcapReader} reads such files back.
 */
package io.github.nettytun.codec.pcap;
