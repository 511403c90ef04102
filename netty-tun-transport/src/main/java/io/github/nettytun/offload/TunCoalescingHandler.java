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

import io.github.nettytun.codec.VirtioNetFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import java.nio.channels.ClosedChannelException;

/**
 * Outbound GRO: coalesces the packets written between two flushes into GSO super-packets, so the kernel
 * takes one 64 KiB write instead of ~45 MTU-sized ones. For devices opened with {@code IFF_VNET_HDR}.
 *
 * <p>Input: plain IP packets as {@link ByteBuf}s (complete checksums), or {@link VirtioNetFrame}s (a frame
 * with GSO or {@code NEEDS_CSUM} goes out as it is). Output: frames {@code [virtio_net_hdr][packet]} for
 * the channel. Consecutive TCP segments of one flow become one {@code GSO_TCPV4}/{@code GSO_TCPV6} frame,
 * consecutive equal-sized UDP datagrams of one flow one {@code GSO_UDP_L4} frame (USO, Linux 6.2+), both
 * with {@code NEEDS_CSUM}, {@code csum_start}/{@code csum_offset} and the pseudo-header sum in place (the
 * kernel checksums each segment it makes). Everything else is written unchanged behind a zero header.
 * The merge rules are those of the kernel's GRO; see {@code GroBatch}.
 *
 * <p>Packets are held until {@code flush()} (or until {@code maxBatch} are queued; they are then written
 * without flushing), so coalescing spans one read batch when a forwarder writes in
 * {@code channelRead} and flushes in {@code channelReadComplete}. The promise of a merged packet completes
 * with the super-packet's write. Unflushed packets fail with {@link ClosedChannelException} on close.
 *
 * <p>Switches, read at each flush: {@link #setTcpGro(boolean)} and {@link #setUdpGro(boolean)} turn the
 * merging off at run time, e.g. on kernels whose GSO write path is broken (Linux 6.6.44 rejected TCP GRO
 * writes with {@code EINVAL}); packets then pass one by one behind zero headers.
 */
public class TunCoalescingHandler extends ChannelOutboundHandlerAdapter {

    /** Default for {@code maxBatch}: enough for a full read batch of super-packets segmented. */
    public static final int DEFAULT_MAX_BATCH = 4096;

    private final GroBatch batch;
    private final int maxBatch;
    private volatile boolean tcpGro = true;
    private volatile boolean udpGro = true;

    /**
     * Creates a handler with TCP and UDP coalescing on.
     *
     * @param vnetHeaderLength the device's virtio-net header size ({@code VNET_HDR_SIZE}): 10, 12 or 24
     */
    public TunCoalescingHandler(int vnetHeaderLength) {
        this(vnetHeaderLength, DEFAULT_MAX_BATCH);
    }

    /**
     * Creates a handler with TCP and UDP coalescing on.
     *
     * @param vnetHeaderLength the device's virtio-net header size: 10, 12 or 24
     * @param maxBatch         packets held at most before they are coalesced and written without a flush
     */
    public TunCoalescingHandler(int vnetHeaderLength, int maxBatch) {
        this.batch = new GroBatch(TunSegmentationHandler.checkHeaderLength(vnetHeaderLength));
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive: " + maxBatch);
        }
        this.maxBatch = maxBatch;
    }

    /**
     * Turns TCP coalescing on or off; takes effect at the next flush.
     *
     * @param on whether to merge TCP segments
     * @return this handler
     */
    public TunCoalescingHandler setTcpGro(boolean on) {
        tcpGro = on;
        return this;
    }

    /**
     * Turns UDP coalescing (USO super-packets; needs Linux 6.2+) on or off; takes effect at the next flush.
     *
     * @param on whether to merge UDP datagrams
     * @return this handler
     */
    public TunCoalescingHandler setUdpGro(boolean on) {
        udpGro = on;
        return this;
    }

    /**
     * Returns whether TCP segments are merged.
     *
     * @return the switch
     */
    public boolean isTcpGro() {
        return tcpGro;
    }

    /**
     * Returns whether UDP datagrams are merged.
     *
     * @return the switch
     */
    public boolean isUdpGro() {
        return udpGro;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        batch.add(msg, promise);
        if (batch.size() >= maxBatch) {
            batch.drain(ctx, tcpGro, udpGro);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        batch.drain(ctx, tcpGro, udpGro);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        batch.discard(new ClosedChannelException());
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        batch.discard(new ClosedChannelException());
    }

    /**
     * Returns how many packets were written to this handler.
     *
     * @return the count
     */
    public long packetsIn() {
        return batch.packetsIn;
    }

    /**
     * Returns how many super-packets were written.
     *
     * @return the count
     */
    public long superPacketsOut() {
        return batch.superPacketsOut;
    }

    /**
     * Returns how many packets went into super-packets.
     *
     * @return the count
     */
    public long packetsCoalesced() {
        return batch.packetsCoalesced;
    }

    /**
     * Returns how many coalescing candidates had a wrong checksum and were written alone.
     *
     * @return the count
     */
    public long badChecksums() {
        return batch.badChecksums;
    }
}
