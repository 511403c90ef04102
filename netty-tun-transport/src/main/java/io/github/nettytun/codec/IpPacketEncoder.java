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

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Encodes {@link Ipv4Packet}s and {@link Ipv6Packet}s: header (with total or payload length derived
 * from the content), options or extension headers, then the content. By default the IPv4 header
 * checksum is computed afresh, so re-encoding a decoded packet whose checksum was valid gives the same
 * bytes, and an edited packet gets a correct checksum. Upper-layer checksums are the caller's business
 * (see {@link TransportChecksums}).
 */
public class IpPacketEncoder extends MessageToMessageEncoder<IpPacket> {

    private final boolean recomputeChecksum;
    private final boolean composite;

    /** Creates an encoder that computes IPv4 header checksums and copies the payload. */
    public IpPacketEncoder() {
        this(true, false);
    }

    /**
     * Creates an encoder.
     *
     * @param recomputeChecksum {@code true} to compute the IPv4 header checksum, {@code false} to write
     *                          {@link Ipv4Packet#headerChecksum()} as is
     * @param composite         {@code true} to output a composite of header and payload instead of a copy
     */
    public IpPacketEncoder(boolean recomputeChecksum, boolean composite) {
        super(IpPacket.class);
        this.recomputeChecksum = recomputeChecksum;
        this.composite = composite;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, IpPacket packet, List<Object> out) {
        ByteBuf payload = packet.content();
        ByteBuf buf = FrameOutput.allocate(ctx, packet.headerLength(), payload, composite);
        try {
            packet.writeHeader(buf, recomputeChecksum);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        out.add(FrameOutput.finish(ctx, buf, payload, composite));
    }
}
