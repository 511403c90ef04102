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

import io.github.nettytun.codec.InternetChecksum;
import io.github.nettytun.codec.IpProtocols;
import io.github.nettytun.codec.TcpView;
import io.github.nettytun.codec.VirtioNetFrame;
import io.github.nettytun.codec.VirtioNetHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The coalescing of one flush batch (write-side GRO). Messages are queued, then {@link #drain} groups
 * consecutive same-flow TCP segments and UDP datagrams into runs and writes each run as one super-packet
 * with a GSO virtio-net header, and everything else unchanged behind a header of its own.
 *
 * <p>Each flow has at most one open run; any packet of the flow that does not extend it closes it. So
 * the packets of a flow leave in the order they came (flows may overtake each other, as on any
 * multi-queue NIC), and segmenting a super-packet gives back exactly the packets that went in. The
 * rules follow what the kernel's own GRO merges (and what wireguard-go's {@code tcpGROTable} and
 * {@code udpGROTable} accept): no IP options or IPv6 extension headers, equal IP fields, incrementing
 * IPv4 ids, TCP ACK (and PSH/ECE) only, equal options, ack and window, adjacent sequence numbers,
 * equal-sized segments with at most a shorter last one, and nothing after a PSH.
 *
 * <p>Every packet's checksum is verified before it joins a run: the super-packet goes out with
 * {@code NEEDS_CSUM}, so the kernel would otherwise compute a valid checksum over corrupt data.
 */
final class GroBatch {

    /** The largest IP packet: a super-packet's length fields are 16 bits. */
    static final int MAX_PACKET = 65535;
    /** {@code UDP_MAX_SEGMENTS} in older kernels (64); newer ones allow 128. */
    static final int MAX_UDP_SEGMENTS = 64;
    /** Plain packets up to this length are copied behind their header; longer ones get a composite. */
    private static final int COPY_THRESHOLD = 4096;

    private final int vnetHeaderLength;
    private final List<Object> messages = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();
    private final List<GroEntry> entries = new ArrayList<>();
    private final Map<FlowKey, GroEntry> open = new HashMap<>();

    volatile long packetsIn;
    volatile long superPacketsOut;
    volatile long packetsCoalesced;
    volatile long badChecksums;

    GroBatch(int vnetHeaderLength) {
        this.vnetHeaderLength = vnetHeaderLength;
    }

    void add(Object msg, ChannelPromise promise) {
        messages.add(msg);
        promises.add(promise);
    }

    int size() {
        return messages.size();
    }

    /** Coalesces and writes (without flushing) everything queued. */
    void drain(ChannelHandlerContext ctx, boolean tcpGro, boolean udpGro) {
        int n = messages.size();
        int classified = 0;
        int written = 0;
        try {
            for (; classified < n; classified++) {
                classify(messages.get(classified), promises.get(classified), tcpGro, udpGro);
            }
            for (; written < entries.size(); written++) {
                write(ctx, entries.get(written));
            }
        } finally {
            if (classified < n || written < entries.size()) {
                // Only after an Error: nothing may stay queued or leak, and nothing be released twice.
                Throwable cause = new IllegalStateException("coalescing failed");
                for (int i = written; i < entries.size(); i++) {
                    fail(entries.get(i), cause);
                }
                for (int i = classified + 1; i < n; i++) {
                    ReferenceCountUtil.safeRelease(messages.get(i));
                    promises.get(i).tryFailure(cause);
                }
            }
            messages.clear();
            promises.clear();
            entries.clear();
            open.clear();
        }
    }

    /** Releases everything queued and fails its promises. */
    void discard(Throwable cause) {
        for (int i = 0; i < messages.size(); i++) {
            ReferenceCountUtil.safeRelease(messages.get(i));
            promises.get(i).tryFailure(cause);
        }
        messages.clear();
        promises.clear();
    }

    private void classify(Object msg, ChannelPromise promise, boolean tcpGro, boolean udpGro) {
        ByteBuf packet;
        boolean plain;
        if (msg instanceof VirtioNetFrame) {
            VirtioNetFrame frame = (VirtioNetFrame) msg;
            packet = frame.content();
            plain = frame.header().gsoType() == VirtioNetHeader.GSO_NONE && !frame.header().needsChecksum();
        } else if (msg instanceof ByteBuf) {
            packet = (ByteBuf) msg;
            plain = true;
        } else {
            entries.add(new GroEntry(msg, null, promise));
            return;
        }
        packetsIn++;
        GroEntry entry = new GroEntry(msg, packet, promise);
        try {
            classifyPacket(entry, packet, plain, tcpGro, udpGro);
        } catch (RuntimeException e) {
            // Reads are bounds-checked above; should one still fail, the packet goes out as it came.
            if (!entry.placed) {
                entries.add(entry);
            }
        }
    }

    private void classifyPacket(GroEntry entry, ByteBuf packet, boolean plain, boolean tcpGro, boolean udpGro) {
        int base = packet.readerIndex();
        int length = packet.readableBytes();
        long located = IpLayout.locate(packet, base, length);
        int protocol = IpLayout.protocol(located);
        int l4 = IpLayout.offset(located);
        if (located == IpLayout.NONE) {
            // Fragments and malformed packets may belong to any flow: keep them in order with all of them.
            for (GroEntry run : open.values()) {
                run.open = false;
            }
            open.clear();
            place(entry);
            return;
        }
        if ((protocol != IpProtocols.TCP && protocol != IpProtocols.UDP) || l4 + 4 > length) {
            place(entry);
            return;
        }
        FlowKey key = FlowKey.of(packet, base, l4, protocol);
        GroEntry run = open.get(key);
        boolean tcp = protocol == IpProtocols.TCP;
        boolean candidate = plain && (tcp ? tcpGro && isTcpCandidate(packet, base, length, l4)
                : udpGro && isUdpCandidate(packet, base, length, l4));
        boolean valid = candidate && verified(packet, base, length, l4, protocol);
        if (valid && run != null && canAppend(run, packet, base, length)) {
            entry.placed = true;
            append(run, entry, packet, base, length);
            return;
        }
        if (run != null) {
            run.open = false;
            open.remove(key);
        }
        place(entry);
        if (valid) {
            start(entry, packet, base, length, l4, tcp);
            if (entry.open) {
                entry.key = key;
                open.put(key, entry);
            }
        }
    }

    private void place(GroEntry entry) {
        entry.placed = true;
        entries.add(entry);
    }

    private boolean verified(ByteBuf packet, int base, int length, int l4, int protocol) {
        long sum = IpLayout.pseudoHeaderSumWithoutLength(packet, base, protocol) + (length - l4)
                + InternetChecksum.sum(packet, base + l4, length - l4);
        if (InternetChecksum.finish(sum) != 0) {
            badChecksums++;
            return false;
        }
        return true;
    }

    /**
     * No IP options or IPv6 extension headers (the kernel's GRO does not merge them either), and a correct
     * IPv4 header checksum: the super-packet gets a new one, which must not launder a corrupt header.
     */
    private static boolean isPlainIpHeader(ByteBuf p, int base, int l4) {
        if ((p.getUnsignedByte(base) >>> 4) == 6) {
            return l4 == 40;
        }
        return l4 == 20 && InternetChecksum.compute(p, base, 20) == 0;
    }

    private static boolean isTcpCandidate(ByteBuf p, int base, int length, int l4) {
        if (!isPlainIpHeader(p, base, l4) || l4 + TcpView.MIN_HEADER_LENGTH > length) {
            return false;
        }
        int tcpHeader = (p.getUnsignedByte(base + l4 + 12) >>> 4) * 4;
        if (tcpHeader < TcpView.MIN_HEADER_LENGTH || l4 + tcpHeader >= length) {
            return false; // a bad offset, or no payload (pure ACKs are never merged)
        }
        int flags = (p.getUnsignedShort(base + l4 + 12) & 0x1FF) & ~TcpView.PSH;
        return flags == TcpView.ACK || flags == (TcpView.ACK | TcpView.ECE);
    }

    private static boolean isUdpCandidate(ByteBuf p, int base, int length, int l4) {
        return isPlainIpHeader(p, base, l4) && l4 + 8 < length
                && p.getUnsignedShort(base + l4 + 4) == length - l4
                // a zero (absent) IPv4 UDP checksum cannot be verified, and NEEDS_CSUM would add one
                && p.getUnsignedShort(base + l4 + 6) != 0;
    }

    private static void start(GroEntry e, ByteBuf p, int base, int length, int l4, boolean tcp) {
        e.tcp = tcp;
        e.transportOffset = l4;
        e.headerLength = l4 + (tcp ? (p.getUnsignedByte(base + l4 + 12) >>> 4) * 4 : 8);
        e.gsoSize = length - e.headerLength;
        e.payloadBytes = e.gsoSize;
        e.nextId = ipv4(p, base) ? (p.getUnsignedShort(base + 4) + 1) & 0xFFFF : 0;
        if (tcp) {
            e.nextSequence = (p.getUnsignedInt(base + l4 + 4) + e.gsoSize) & 0xFFFF_FFFFL;
            e.lastPush = (p.getUnsignedByte(base + l4 + 13) & TcpView.PSH) != 0;
        }
        // Nothing may follow a PSH (it ends what the sender pushed).
        e.open = !e.lastPush;
    }

    private static boolean canAppend(GroEntry run, ByteBuf p, int base, int length) {
        ByteBuf head = run.head();
        int hb = head.readerIndex();
        int l4 = run.transportOffset;
        int headers = run.headerLength;
        int payload = length - headers;
        if (!run.open || payload <= 0 || payload > run.gsoSize
                || run.headerLength + run.payloadBytes + payload > MAX_PACKET
                || !run.tcp && run.count() >= MAX_UDP_SEGMENTS) {
            return false;
        }
        if (ipv4(p, base)) {
            // TOS, DF/reserved bits and TTL equal; ids incrementing, as segmentation will number them
            if (p.getByte(base + 1) != head.getByte(hb + 1) || p.getUnsignedShort(base + 4) != run.nextId
                    || (p.getByte(base + 6) & 0xE0) != (head.getByte(hb + 6) & 0xE0)
                    || p.getByte(base + 8) != head.getByte(hb + 8)) {
                return false;
            }
        } else if (p.getInt(base) != head.getInt(hb) || p.getByte(base + 7) != head.getByte(hb + 7)) {
            return false; // traffic class, flow label, hop limit
        }
        if (!run.tcp) {
            return true;
        }
        int tcpHeader = (p.getUnsignedByte(base + l4 + 12) >>> 4) * 4;
        return tcpHeader == headers - l4
                && p.getUnsignedInt(base + l4 + 4) == run.nextSequence
                // ack, data offset and flags except PSH, window, then (after the checksum) urgent pointer
                && p.getInt(base + l4 + 8) == head.getInt(hb + l4 + 8)
                && (p.getInt(base + l4 + 12) | TcpView.PSH << 16) == (head.getInt(hb + l4 + 12) | TcpView.PSH << 16)
                && p.getShort(base + l4 + 18) == head.getShort(hb + l4 + 18)
                && ByteBufUtil.equals(p, base + l4 + 20, head, hb + l4 + 20, tcpHeader - 20);
    }

    private void append(GroEntry run, GroEntry entry, ByteBuf p, int base, int length) {
        int payload = length - run.headerLength;
        run.add(entry.messages.get(0), p, entry.promises.get(0));
        run.payloadBytes += payload;
        run.nextId = (run.nextId + 1) & 0xFFFF;
        if (run.tcp) {
            run.nextSequence = (run.nextSequence + payload) & 0xFFFF_FFFFL;
            run.lastPush = (p.getUnsignedByte(base + run.transportOffset + 13) & TcpView.PSH) != 0;
        }
        // A shorter segment can only be the last one; so is one with PSH.
        run.open = payload == run.gsoSize && !run.lastPush;
        if (!run.open) {
            open.remove(run.key);
        }
    }

    private static boolean ipv4(ByteBuf p, int base) {
        return p.getUnsignedByte(base) >>> 4 == 4;
    }

    private void write(ChannelHandlerContext ctx, GroEntry e) {
        if (e.count() > 1) {
            writeSuperPacket(ctx, e);
            return;
        }
        Object msg = e.messages.get(0);
        ByteBuf packet = e.packets.get(0);
        ChannelPromise promise = e.promises.get(0);
        if (packet == null) {
            ctx.write(msg, promise); // not a packet: another handler's business
            return;
        }
        VirtioNetHeader header = msg instanceof VirtioNetFrame ? ((VirtioNetFrame) msg).header() : VirtioNetHeader.NONE;
        ByteBuf out;
        try {
            out = withHeader(ctx, header, packet);
        } catch (RuntimeException | Error t) {
            ReferenceCountUtil.safeRelease(msg);
            promise.tryFailure(t);
            return;
        }
        ReferenceCountUtil.release(msg);
        ctx.write(out, promise);
    }

    private ByteBuf withHeader(ChannelHandlerContext ctx, VirtioNetHeader header, ByteBuf packet) {
        int length = packet.readableBytes();
        if (length <= COPY_THRESHOLD) {
            ByteBuf out = ctx.alloc().directBuffer(vnetHeaderLength + length);
            writeHeader(out, header);
            return out.writeBytes(packet, packet.readerIndex(), length);
        }
        ByteBuf h = ctx.alloc().directBuffer(vnetHeaderLength);
        writeHeader(h, header);
        CompositeByteBuf out = ctx.alloc().compositeDirectBuffer(2);
        out.addComponent(true, h);
        out.addComponent(true, packet.retainedSlice());
        return out;
    }

    private void writeHeader(ByteBuf out, VirtioNetHeader header) {
        int fixed = Math.min(vnetHeaderLength, VirtioNetHeader.LENGTH_V1);
        header.write(out, fixed);
        out.writeZero(vnetHeaderLength - fixed); // e.g. the tunnel fields of a 24-byte header
    }

    private void writeSuperPacket(ChannelHandlerContext ctx, GroEntry e) {
        ByteBuf head = e.head();
        int l4 = e.transportOffset;
        int total = e.headerLength + e.payloadBytes;
        boolean v4 = ipv4(head, head.readerIndex());
        ByteBuf out = null;
        try {
            out = ctx.alloc().directBuffer(vnetHeaderLength + total);
            int gsoType = e.tcp ? (v4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6)
                    : VirtioNetHeader.GSO_UDP_L4;
            writeHeader(out, new VirtioNetHeader(VirtioNetHeader.FLAG_NEEDS_CSUM, gsoType, e.headerLength,
                    e.gsoSize, l4, e.tcp ? 16 : 6, 0));
            out.writeBytes(head, head.readerIndex(), e.headerLength);
            for (ByteBuf p : e.packets) {
                out.writeBytes(p, p.readerIndex() + e.headerLength, p.readableBytes() - e.headerLength);
            }
            int s = vnetHeaderLength;
            if (v4) {
                out.setShort(s + 2, total);
                IpLayout.fillIpv4HeaderChecksum(out, s);
            } else {
                out.setShort(s + 4, total - 40);
            }
            int protocol;
            if (e.tcp) {
                protocol = IpProtocols.TCP;
                if (e.lastPush) {
                    out.setByte(s + l4 + 13, out.getUnsignedByte(s + l4 + 13) | TcpView.PSH);
                }
            } else {
                protocol = IpProtocols.UDP;
                out.setShort(s + l4 + 4, total - l4);
            }
            // CHECKSUM_PARTIAL: the field holds the folded (not complemented) pseudo-header sum
            long pseudo = IpLayout.pseudoHeaderSumWithoutLength(out, s, protocol) + (total - l4);
            out.setShort(s + l4 + (e.tcp ? 16 : 6), ~InternetChecksum.finish(pseudo) & 0xFFFF);
        } catch (RuntimeException | Error t) {
            ReferenceCountUtil.safeRelease(out);
            fail(e, t);
            return;
        }
        for (Object m : e.messages) {
            ReferenceCountUtil.release(m);
        }
        superPacketsOut++;
        packetsCoalesced += e.count();
        ctx.write(out, combine(ctx, e.promises));
    }

    private static ChannelPromise combine(ChannelHandlerContext ctx, List<ChannelPromise> promises) {
        boolean allVoid = true;
        for (ChannelPromise p : promises) {
            allVoid &= p.isVoid();
        }
        if (allVoid) {
            return ctx.voidPromise();
        }
        ChannelPromise combined = ctx.newPromise();
        List<ChannelPromise> copy = new ArrayList<>(promises);
        combined.addListener((ChannelFutureListener) (ChannelFuture f) -> {
            for (ChannelPromise p : copy) {
                if (p.isVoid()) {
                    continue;
                }
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            }
        });
        return combined;
    }

    private static void fail(GroEntry e, Throwable cause) {
        for (int i = 0; i < e.count(); i++) {
            ReferenceCountUtil.safeRelease(e.messages.get(i));
            e.promises.get(i).tryFailure(cause);
        }
    }
}
