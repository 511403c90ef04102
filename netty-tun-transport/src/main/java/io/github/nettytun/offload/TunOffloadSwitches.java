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
package io.github.nettytun.offload;

import io.github.nettytun.channel.TunChannelConfig;
import io.github.nettytun.channel.TunOffload;

import java.util.EnumSet;
import java.util.Set;

/**
 * The kernel-side kill switches: which super-packets the kernel may hand to a device's readers. They
 * change the device-wide offload mask ({@code TUNSETOFFLOAD}) of a bound channel at once through
 * {@link TunChannelConfig#setOffloads(Set)}.
 *
 * <p>How the switches fit together:
 * <table>
 *   <caption>offload switches</caption>
 *   <tr><th>switch</th><th>where</th><th>off means</th></tr>
 *   <tr><td>UDP GSO</td><td>{@link #setUdpGso(TunChannelConfig, boolean)} ({@code USO4}+{@code USO6})</td>
 *       <td>the kernel segments UDP before the read; no {@code GSO_UDP_L4} frames arrive</td></tr>
 *   <tr><td>TCP GSO</td><td>{@link #setTcpGso(TunChannelConfig, boolean)} ({@code TSO4}, {@code TSO6},
 *       {@code TSO_ECN})</td><td>the kernel segments TCP before the read</td></tr>
 *   <tr><td>TCP GRO</td><td>{@link TunCoalescingHandler#setTcpGro(boolean)}</td>
 *       <td>written TCP segments go to the kernel one by one</td></tr>
 *   <tr><td>UDP GRO</td><td>{@link TunCoalescingHandler#setUdpGro(boolean)}</td>
 *       <td>written UDP datagrams go to the kernel one by one</td></tr>
 * </table>
 * The read side needs no handler switch: {@link TunSegmentationHandler} segments whatever arrives, so
 * turning a GSO switch off only moves the segmenting into the kernel. The write side needs no kernel
 * switch: a device with {@code IFF_VNET_HDR} accepts GSO frames whatever its offload mask.
 */
public final class TunOffloadSwitches {

    private static final Set<TunOffload> UDP_GSO = EnumSet.of(TunOffload.USO4, TunOffload.USO6);
    private static final Set<TunOffload> TCP_GSO = EnumSet.of(TunOffload.TSO4, TunOffload.TSO6, TunOffload.TSO_ECN);

    private TunOffloadSwitches() {
    }

    /**
     * Lets the kernel hand over UDP super-packets (USO), or not.
     *
     * @param config the channel's config (bound: applied to the device at once)
     * @param on     whether to allow {@code USO4} and {@code USO6}
     * @return the offloads now set
     */
    public static Set<TunOffload> setUdpGso(TunChannelConfig config, boolean on) {
        return change(config, UDP_GSO, on);
    }

    /**
     * Lets the kernel hand over TCP super-packets (TSO), or not.
     *
     * @param config the channel's config (bound: applied to the device at once)
     * @param on     whether to allow {@code TSO4}, {@code TSO6} and {@code TSO_ECN}
     * @return the offloads now set
     */
    public static Set<TunOffload> setTcpGso(TunChannelConfig config, boolean on) {
        return change(config, TCP_GSO, on);
    }

    private static Set<TunOffload> change(TunChannelConfig config, Set<TunOffload> which, boolean on) {
        Set<TunOffload> offloads = EnumSet.noneOf(TunOffload.class);
        offloads.addAll(config.getOffloads());
        if (on) {
            offloads.add(TunOffload.CSUM); // every segmentation offload needs checksum offload
            offloads.addAll(which);
        } else {
            offloads.removeAll(which);
        }
        config.setOffloads(offloads);
        return offloads;
    }
}
