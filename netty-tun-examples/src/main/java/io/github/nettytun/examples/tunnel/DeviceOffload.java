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

import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.examples.tunnel.session.Log;
import io.github.nettytun.offload.TunCoalescingHandler;
import io.github.nettytun.offload.TunOffloadSwitches;
import io.github.nettytun.offload.TunSegmentationHandler;
import io.netty.channel.ChannelPipeline;

import java.util.EnumSet;
import java.util.Set;

/**
 * The device side of {@code --offload on}: the device is opened with {@code IFF_VNET_HDR} and TSO (and
 * USO where the kernel has it), so one read returns up to 64 KiB of one flow. A
 * {@link TunSegmentationHandler} cuts that into MTU-sized packets before the peer seals them, because
 * each sealed message must fit one outer datagram on a 1500-byte path (a 64 KiB datagram would be IP
 * fragmented, and one lost fragment would lose all of it). The other way, a {@link TunCoalescingHandler}
 * merges the packets decrypted from one socket read batch into super-packets, so the kernel here takes one
 * write (and one trip through its stack) per batch of segments instead of one per packet.
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
        Set<TunOffload> supported = device.supportedOffloads();
        if (supported.contains(TunOffload.USO4) && supported.contains(TunOffload.USO6)) {
            TunOffloadSwitches.setUdpGso(device.config(), true);
        } else {
            // Writes of coalesced UDP (GSO_UDP_L4) need the same kernel support.
            coalescing.setUdpGro(false);
            Log.info("offload: this kernel has no USO (needs Linux 6.2); UDP crosses the device packet by packet");
        }
    }

    /** Returns the offloads set on the device, for the start-up line. */
    String describe(EpollTunChannel device) {
        return "on (device " + device.config().getOffloads() + ")";
    }

    /** Returns how much the handlers did, for the exit line. */
    String stats() {
        return "offload: read " + segmentation.superPackets() + " super-packets -> " + segmentation.segments()
                + " segments, " + segmentation.checksumsCompleted() + " checksums completed, "
                + segmentation.droppedFrames() + " dropped; wrote " + coalescing.packetsIn() + " packets as "
                + coalescing.superPacketsOut() + " super-packets (" + coalescing.packetsCoalesced()
                + " coalesced, " + coalescing.badChecksums() + " bad checksums)";
    }
}
