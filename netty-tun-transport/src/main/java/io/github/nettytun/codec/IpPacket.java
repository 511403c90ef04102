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
import io.netty.buffer.DefaultByteBufHolder;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 packet: the decoded IP header and the upper-layer payload, which is this holder's
 * {@linkplain #content() content} (a slice of the received frame). For a fragment the content is the
 * fragment's data, which is a whole upper-layer header only in the first fragment.
 *
 * <p>Produced by {@link IpPacketDecoder}, written by {@link IpPacketEncoder}. The only subclasses are
 * {@link Ipv4Packet} and {@link Ipv6Packet}.
 */
public abstract class IpPacket extends DefaultByteBufHolder {

    IpPacket(ByteBuf payload) {
        super(payload);
    }

    /** @return 4 or 6 */
    public abstract int version();

    /**
     * Returns the upper-layer protocol: the IPv4 protocol field, or for IPv6 the next-header value
     * that ends the extension header chain.
     *
     * @return the protocol, such as {@link IpProtocols#UDP}
     */
    public abstract int protocol();

    /** @return the source address */
    public abstract InetAddress source();

    /** @return the destination address */
    public abstract InetAddress destination();

    /** @return the IPv4 TTL or the IPv6 hop limit */
    public abstract int hopLimit();

    /** @return the length of everything before the content: fixed header and options or extension headers */
    public abstract int headerLength();

    /** @return the fragment offset in bytes (0 for an unfragmented packet) */
    public abstract int fragmentOffset();

    /** @return whether the more-fragments flag is set */
    public abstract boolean moreFragments();

    /** @return whether this is a fragment, so that the content is not a whole upper-layer message */
    public boolean isFragment() {
        return moreFragments() || fragmentOffset() != 0;
    }

    /**
     * Returns the pseudo-header sum for the upper-layer checksum of this packet: addresses,
     * {@link #protocol()} and the length of the content. See {@link InternetChecksum}.
     *
     * @return the unfolded partial sum
     */
    public abstract long pseudoHeaderSum();

    /** @return the length of the whole packet: {@link #headerLength()} plus the content */
    public int totalLength() {
        return headerLength() + content().readableBytes();
    }

    /**
     * Writes the header at the writer index.
     *
     * @param buf               the buffer
     * @param recomputeChecksum for IPv4, whether to compute the header checksum or write the stored one
     */
    abstract void writeHeader(ByteBuf buf, boolean recomputeChecksum);

    @Override
    public abstract IpPacket replace(ByteBuf content);

    @Override
    public IpPacket copy() {
        return (IpPacket) super.copy();
    }

    @Override
    public IpPacket duplicate() {
        return (IpPacket) super.duplicate();
    }

    @Override
    public IpPacket retainedDuplicate() {
        return (IpPacket) super.retainedDuplicate();
    }

    @Override
    public IpPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public IpPacket retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public IpPacket touch() {
        super.touch();
        return this;
    }

    @Override
    public IpPacket touch(Object hint) {
        super.touch(hint);
        return this;
    }
}
