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
package io.github.nettytun.testsuite.support;

import io.github.nettytun.codec.IcmpEcho;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The far end of a test device: a pipeline handler that plays a peer at {@link TestNet#PEER4} /
 * {@link TestNet#PEER6} (and {@link TestNet#PEER_MAC} on TAP). It answers UDP datagrams by sending them
 * back (addresses and ports swapped), ICMP and ICMPv6 echo requests with echo replies ({@link IcmpEcho}),
 * and ARP requests for the peer's address with ARP replies. It edits each frame in place and writes the same buffer back,
 * so it works for every layout (PI header, virtio-net header, Ethernet). Everything else (router
 * solicitations, MLD reports) is counted and released.
 */
public final class Reflector extends ChannelInboundHandlerAdapter {

    private final boolean tap;
    private final int prefix;

    public final AtomicLong udp = new AtomicLong();
    public final AtomicLong echo4 = new AtomicLong();
    public final AtomicLong echo6 = new AtomicLong();
    public final AtomicLong arp = new AtomicLong();
    public final AtomicLong ignored = new AtomicLong();

    /**
     * @param tap        frames are Ethernet frames
     * @param headerSize bytes in front of the packet or Ethernet frame (PI + virtio-net header)
     */
    public Reflector(boolean tap, int headerSize) {
        this.tap = tap;
        this.prefix = headerSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (reflect(frame)) {
            ctx.write(frame);
        } else {
            ignored.incrementAndGet();
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private boolean reflect(ByteBuf frame) {
        int base = frame.readerIndex() + prefix;
        int ip = base;
        if (tap) {
            if (frame.writerIndex() < base + 14) {
                return false;
            }
            int etherType = frame.getUnsignedShort(base + 12);
            if (etherType == 0x0806) {
                return answerArp(frame, base);
            }
            swapMacs(frame, base);
            ip = base + 14;
        }
        if (frame.writerIndex() < ip + 20) {
            return false;
        }
        int version = frame.getUnsignedByte(ip) >> 4;
        if (IcmpEcho.toReplyInPlace(frame.slice(ip, frame.writerIndex() - ip))) {
            (version == 4 ? echo4 : echo6).incrementAndGet();
            return true;
        }
        if (version == 4) {
            int l4 = ip + (frame.getUnsignedByte(ip) & 0xf) * 4;
            if (frame.getUnsignedByte(ip + 9) == 17) {
                swap(frame, ip + 12, ip + 16, 4);
                swap(frame, l4, l4 + 2, 2);
                udp.incrementAndGet();
                return true;
            }
        } else if (version == 6 && frame.writerIndex() >= ip + 40 && frame.getUnsignedByte(ip + 6) == 17) {
            swap(frame, ip + 8, ip + 24, 16);
            swap(frame, ip + 40, ip + 42, 2);
            udp.incrementAndGet();
            return true;
        }
        return false;
    }

    private boolean answerArp(ByteBuf frame, int eth) {
        int arpStart = eth + 14;
        if (frame.writerIndex() < arpStart + 28 || frame.getUnsignedShort(arpStart + 6) != 1) {
            return false;
        }
        byte[] target = new byte[4];
        frame.getBytes(arpStart + 24, target);
        if (!java.util.Arrays.equals(target, TestNet.PEER4.getAddress())) {
            return false;
        }
        byte[] requesterMac = new byte[6];
        byte[] requesterIp = new byte[4];
        frame.getBytes(arpStart + 8, requesterMac);
        frame.getBytes(arpStart + 14, requesterIp);
        frame.setBytes(eth, requesterMac);
        frame.setBytes(eth + 6, TestNet.PEER_MAC);
        frame.setShort(arpStart + 6, 2);
        frame.setBytes(arpStart + 8, TestNet.PEER_MAC);
        frame.setBytes(arpStart + 14, target);
        frame.setBytes(arpStart + 18, requesterMac);
        frame.setBytes(arpStart + 24, requesterIp);
        arp.incrementAndGet();
        return true;
    }

    private static void swapMacs(ByteBuf frame, int eth) {
        swap(frame, eth, eth + 6, 6);
    }

    private static void swap(ByteBuf buf, int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            byte x = buf.getByte(a + i);
            buf.setByte(a + i, buf.getByte(b + i));
            buf.setByte(b + i, x);
        }
    }
}
