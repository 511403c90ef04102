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
package io.github.nettytun.examples.tunnel;

import io.github.nettytun.channel.TunChannelConfig;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.offload.TunCoalescingHandler;
import io.github.nettytun.offload.TunOffloadSwitches;
import io.github.nettytun.offload.TunSegmentationHandler;
import io.netty.channel.ChannelPipeline;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The device side of {@code --offload on}: the device is opened with {@code IFF_VNET_HDR} and TSO (and
 * USO where the kernel has it), so one read returns up to 64 KiB of one flow. A
 * {@link TunSegmentationHandler} cuts that into MTU-sized packets before the peer seals them, because
 * each sealed message must fit one outer datagram on a 1500-byte path (a 64 KiB datagram would be IP
 * fragmented, and one lost fragment would lose all of it). The other way, a {@link TunCoalescingHandler}
 * merges the packets decrypted from one socket read batch into super-packets, so the kernel here takes one
 * write (and one trip through its stack) per batch of segments instead of one per packet. With
 * {@code --queues} every lane has its own instance (the handlers keep per-read-batch state), while the
 * offload mask they rely on is the device's, set once.
 */
final class DeviceOffload {

    /** virtio_net_hdr_v1 (12 bytes), what current kernels and the forwarder use. */
    static final int VNET_HDR_SIZE = 12;
    /** Asked for at bind; every kernel with {@code IFF_VNET_HDR} has these. USO is added if probed. */
    static final Set<TunOffload> TCP_OFFLOADS = EnumSet.of(TunOffload.CSUM, TunOffload.TSO4, TunOffload.TSO6,
            TunOffload.TSO_ECN);

    private final TunSegmentationHandler segmentation = new TunSegmentationHandler(VNET_HDR_SIZE);
    private final TunCoalescingHandler coalescing = new TunCoalescingHandler(VNET_HDR_SIZE);

    /** Adds the two handlers in front of the tunnel's device handler. */
    void addTo(ChannelPipeline pipeline) {
        pipeline.addLast("coalescing", coalescing);
        pipeline.addLast("segmentation", segmentation);
    }

    /**
     * Adds USO (Linux 6.2+) when the bind-time probe found it, so UDP sent into the tunnel arrives as
     * super-packets too; without it the kernel segments UDP before the read, which is only slower.
     */
    void enableUdp(EpollTunChannel device) {
        if (!enableUdp(device.supportedOffloads(), device.config())) {
            noUdpGro();
        }
    }

    /**
     * Adds USO to the device whose config is {@code config} if {@code supported} (the bind-time probe) has
     * it. The mask is device-wide: for a multi-queue device call this once, with the parent's config, and
     * {@link #noUdpGro()} on every lane if it returns {@code false}.
     *
     * @return whether USO is on
     */
    static boolean enableUdp(Set<TunOffload> supported, TunChannelConfig config) {
        if (supported.contains(TunOffload.USO4) && supported.contains(TunOffload.USO6)) {
            TunOffloadSwitches.setUdpGso(config, true);
            return true;
        }
        Log.info("offload: this kernel has no USO (needs Linux 6.2); UDP crosses the device packet by packet");
        return false;
    }

    /** Writes UDP packet by packet: writes of coalesced UDP ({@code GSO_UDP_L4}) need the kernel's USO too. */
    void noUdpGro() {
        coalescing.setUdpGro(false);
    }

    /** Returns the offloads set on the device, for the start-up line. */
    static String describe(TunChannelConfig device) {
        return "on (device " + device.getOffloads() + ")";
    }

    /** Returns how much the handlers of every lane did together, for the exit line. */
    static String stats(List<DeviceOffload> lanes) {
        long superIn = 0;
        long segments = 0;
        long checksums = 0;
        long dropped = 0;
        long packetsIn = 0;
        long superOut = 0;
        long coalesced = 0;
        long badChecksums = 0;
        for (DeviceOffload o : lanes) {
            superIn += o.segmentation.superPackets();
            segments += o.segmentation.segments();
            checksums += o.segmentation.checksumsCompleted();
            dropped += o.segmentation.droppedFrames();
            packetsIn += o.coalescing.packetsIn();
            superOut += o.coalescing.superPacketsOut();
            coalesced += o.coalescing.packetsCoalesced();
            badChecksums += o.coalescing.badChecksums();
        }
        return "offload: read " + superIn + " super-packets -> " + segments + " segments, " + checksums
                + " checksums completed, " + dropped + " dropped; wrote " + packetsIn + " packets as " + superOut
                + " super-packets (" + coalesced + " coalesced, " + badChecksums + " bad checksums)";
    }
}
