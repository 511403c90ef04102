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
import io.github.nettytun.codec.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Inbound GSO: turns each frame read from a device with {@code IFF_VNET_HDR} (and segmentation offloads
 * on) into real, wire-sized packets with complete checksums, for consumers that need them (a tunnel that
 * encrypts packet by packet, a user-space stack, a capture).
 *
 * <p>Input: a {@link ByteBuf} frame {@code [virtio_net_hdr][packet]} as the channel reads it (the header of
 * the length given here), or a decoded {@link VirtioNetFrame}. Other messages pass untouched. Per frame:
 * <ul>
 *   <li>{@code GSO_TCPV4}/{@code GSO_TCPV6}: split into {@code gso_size} segments with incrementing IPv4
 *       ids, fixed total/payload lengths and header checksums, advancing sequence numbers, FIN and PSH on
 *       the last segment only, CWR on the first only, and full TCP checksums;</li>
 *   <li>{@code GSO_UDP_L4} (USO): split into datagrams with their own UDP lengths and checksums;</li>
 *   <li>no GSO but {@code NEEDS_CSUM}: the partial checksum is completed in place (no copy);</li>
 *   <li>anything else passes as it is (a slice, no copy).</li>
 * </ul>
 * Output: plain IP packets, or (with {@code emitVnetHeader}) frames {@code [zero virtio_net_hdr][packet]}
 * ready to be written to another device with {@code IFF_VNET_HDR}. Frames that cannot be segmented
 * (malformed headers, obsolete {@code GSO_UDP}) are dropped, counted in {@link #droppedFrames()} and
 * logged at debug level; nothing escapes as an exception.
 *
 * <p>The kernel-side switch for read-side segmentation is the channel's offload set: without
 * {@code TSO4}/{@code TSO6} (or {@code USO4}/{@code USO6}) the kernel segments before the read and this
 * handler only completes checksums. See {@link TunOffloadSwitches}.
 */
public class TunSegmentationHandler extends ChannelInboundHandlerAdapter {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(TunSegmentationHandler.class);

    private final int vnetHeaderLength;
    private final boolean emitVnetHeader;
    private final List<Object> out = new ArrayList<>();

    private volatile long superPackets;
    private volatile long segments;
    private volatile long checksumsCompleted;
    private volatile long droppedFrames;

    /**
     * Creates a handler that emits plain IP packets.
     *
     * @param vnetHeaderLength the device's virtio-net header size ({@code VNET_HDR_SIZE}): 10, 12 or 24
     */
    public TunSegmentationHandler(int vnetHeaderLength) {
        this(vnetHeaderLength, false);
    }

    /**
     * Creates a handler.
     *
     * @param vnetHeaderLength the device's virtio-net header size ({@code VNET_HDR_SIZE}): 10, 12 or 24
     * @param emitVnetHeader   {@code true} to put a zeroed header of that size in front of every output
     */
    public TunSegmentationHandler(int vnetHeaderLength, boolean emitVnetHeader) {
        this.vnetHeaderLength = checkHeaderLength(vnetHeaderLength);
        this.emitVnetHeader = emitVnetHeader;
    }

    static int checkHeaderLength(int length) {
        if (length != VirtioNetHeader.LENGTH && length != VirtioNetHeader.LENGTH_V1 && length != 24) {
            throw new IllegalArgumentException("virtio-net header length must be 10, 12 or 24: " + length);
        }
        return length;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        VirtioNetHeader header;
        ByteBuf packet;
        if (msg instanceof VirtioNetFrame) {
            header = ((VirtioNetFrame) msg).header();
            packet = ((VirtioNetFrame) msg).content();
        } else if (msg instanceof ByteBuf) {
            ByteBuf frame = (ByteBuf) msg;
            if (frame.readableBytes() < vnetHeaderLength) {
                drop(msg, "frame of " + frame.readableBytes() + " bytes is shorter than its virtio-net header");
                return;
            }
            header = VirtioNetHeader.read(frame, frame.readerIndex(), Math.min(vnetHeaderLength,
                    VirtioNetHeader.LENGTH_V1));
            packet = frame.slice(frame.readerIndex() + vnetHeaderLength, frame.readableBytes() - vnetHeaderLength);
        } else {
            ctx.fireChannelRead(msg);
            return;
        }
        String refused;
        try {
            refused = header.gsoProtocol() == VirtioNetHeader.GSO_NONE
                    ? single(ctx, msg, header, packet)
                    : GsoSegmenter.segment(ctx.alloc(), header, packet, emitVnetHeader ? vnetHeaderLength : 0, out);
        } catch (RuntimeException e) {
            refused = e.toString(); // a header that lies about the packet: never let it out of the pipeline
        }
        if (refused != null) {
            releaseAll(out);
            drop(msg, refused);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (header.gsoProtocol() != VirtioNetHeader.GSO_NONE) {
            superPackets++;
            segments += out.size();
        }
        for (int i = 0; i < out.size(); i++) {
            ctx.fireChannelRead(out.get(i));
        }
        out.clear();
    }

    /** A packet without GSO: complete its checksum if needed, then pass it on without copying. */
    private String single(ChannelHandlerContext ctx, Object msg, VirtioNetHeader header, ByteBuf packet) {
        String refused = GsoSegmenter.segment(ctx.alloc(), header, packet, 0, out);
        if (refused != null) {
            return refused;
        }
        if (header.needsChecksum()) {
            checksumsCompleted++;
        }
        if (!emitVnetHeader) {
            out.add(packet.retainedSlice());
        } else if (msg instanceof ByteBuf) {
            ByteBuf frame = (ByteBuf) msg;
            // The read frame already has room for the header: zero it (no copy).
            frame.setZero(frame.readerIndex(), vnetHeaderLength);
            out.add(frame.retainedSlice());
        } else {
            ByteBuf frame = ctx.alloc().directBuffer(vnetHeaderLength + packet.readableBytes());
            frame.writeZero(vnetHeaderLength).writeBytes(packet, packet.readerIndex(), packet.readableBytes());
            out.add(frame);
        }
        return null;
    }

    private void drop(Object msg, String why) {
        droppedFrames++;
        if (logger.isDebugEnabled()) {
            logger.debug("dropping {}: {}", msg, why);
        }
        ReferenceCountUtil.release(msg);
    }

    private static void releaseAll(List<Object> list) {
        for (Object o : list) {
            ReferenceCountUtil.safeRelease(o);
        }
        list.clear();
    }

    /**
     * Returns how many GSO super-packets were segmented.
     *
     * @return the count
     */
    public long superPackets() {
        return superPackets;
    }

    /**
     * Returns how many segments were made from super-packets.
     *
     * @return the count
     */
    public long segments() {
        return segments;
    }

    /**
     * Returns how many partial checksums ({@code NEEDS_CSUM} without GSO) were completed.
     *
     * @return the count
     */
    public long checksumsCompleted() {
        return checksumsCompleted;
    }

    /**
     * Returns how many frames were dropped as malformed or unsupported.
     *
     * @return the count
     */
    public long droppedFrames() {
        return droppedFrames;
    }
}
