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
import io.netty.buffer.Unpooled;
import io.netty.util.internal.EmptyArrays;
import io.netty.util.internal.ObjectUtil;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An IPv6 packet (RFC 8200): the fixed header, the extension header chain, and the upper-layer payload
 * as {@linkplain #content() content}. {@link #protocol()} is the protocol that ends the chain; the
 * fragment header, if any, is decoded into {@link #fragmentOffset()}, {@link #moreFragments()} and
 * {@link #fragmentIdentification()}. For a later fragment the chain ends at the fragment header.
 *
 * <p>The payload length is derived when encoding. The extension header bytes, rare in practice, are
 * copied into an array when decoded and written back unchanged.
 *
 * <p>A jumbogram (RFC 2675) has a Hop-by-Hop header with a Jumbo Payload option: its fixed header says
 * payload length 0 and the option holds the real length, over 65535. {@link #isJumbogram()} tells; the
 * encoder writes 0 and puts the derived length into the option. The kernel builds such packets only
 * inside the stack (BIG TCP, IPv6 GSO over 64 KiB) and strips the header before most exits, so they are
 * rare on a device; the codec parses them so that it never misreads one.
 */
public final class Ipv6Packet extends IpPacket {

    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;
    /** Default maximum number of extension headers a decoder accepts. */
    public static final int DEFAULT_MAX_EXTENSION_HEADERS = 8;

    private final int trafficClass;
    private final int flowLabel;
    private final int hopLimit;
    private final int nextHeader;
    private final long sourceHigh;
    private final long sourceLow;
    private final long destinationHigh;
    private final long destinationLow;
    private final byte[] extensionHeaders;
    private final int protocol;
    private final boolean hasFragmentHeader;
    private final int fragmentOffset;
    private final boolean moreFragments;
    private final long fragmentIdentification;
    private final int jumboOffset;

    /**
     * Creates a packet without extension headers, traffic class and flow label 0.
     *
     * @param source      the source address
     * @param destination the destination address
     * @param protocol    the upper-layer protocol (the fixed header's next header)
     * @param hopLimit    the hop limit
     * @param payload     the upper-layer message; ownership passes to this packet
     */
    public Ipv6Packet(Inet6Address source, Inet6Address destination, int protocol, int hopLimit, ByteBuf payload) {
        this(0, 0, hopLimit, protocol, EmptyArrays.EMPTY_BYTES, source, destination, payload);
    }

    /**
     * Creates a packet with extension headers.
     *
     * @param trafficClass     the traffic class
     * @param flowLabel        the 20-bit flow label
     * @param hopLimit         the hop limit
     * @param nextHeader       the fixed header's next-header value: the first extension header's type,
     *                         or the upper-layer protocol if there are none
     * @param extensionHeaders the extension header chain as on the wire; copied
     * @param source           the source address
     * @param destination      the destination address
     * @param payload          the upper-layer message; ownership passes to this packet
     * @throws IllegalArgumentException if the chain does not match {@code nextHeader} and its own lengths, or
     *                                  breaks the rules for a Jumbo Payload option (which makes the packet a
     *                                  {@linkplain #isJumbogram() jumbogram})
     */
    public Ipv6Packet(int trafficClass, int flowLabel, int hopLimit, int nextHeader, byte[] extensionHeaders,
                      Inet6Address source, Inet6Address destination, ByteBuf payload) {
        this(trafficClass, flowLabel, hopLimit, nextHeader, address(source, 0), address(source, 8),
                address(destination, 0), address(destination, 8), extensionHeaders.clone(),
                walkOwnChain(nextHeader, extensionHeaders), payload);
    }

    private Ipv6Packet(int trafficClass, int flowLabel, int hopLimit, int nextHeader, long sourceHigh,
                       long sourceLow, long destinationHigh, long destinationLow, byte[] extensionHeaders,
                       Ipv6Chain chain, ByteBuf payload) {
        this(trafficClass, flowLabel, hopLimit, nextHeader, sourceHigh, sourceLow, destinationHigh,
                destinationLow, extensionHeaders, chain == null ? nextHeader : chain.protocol,
                chain != null && chain.hasFragmentHeader, chain == null ? 0 : chain.fragmentOffset,
                chain != null && chain.moreFragments, chain == null ? 0 : chain.fragmentIdentification,
                chain == null ? -1 : chain.jumboOffset, payload);
    }

    Ipv6Packet(int trafficClass, int flowLabel, int hopLimit, int nextHeader, long sourceHigh, long sourceLow,
               long destinationHigh, long destinationLow, byte[] extensionHeaders, int protocol,
               boolean hasFragmentHeader, int fragmentOffset, boolean moreFragments, long fragmentIdentification,
               int jumboOffset, ByteBuf payload) {
        super(payload);
        this.trafficClass = trafficClass & 0xFF;
        this.flowLabel = flowLabel & 0xF_FFFF;
        this.hopLimit = hopLimit & 0xFF;
        this.nextHeader = nextHeader & 0xFF;
        this.sourceHigh = sourceHigh;
        this.sourceLow = sourceLow;
        this.destinationHigh = destinationHigh;
        this.destinationLow = destinationLow;
        this.extensionHeaders = extensionHeaders;
        this.protocol = protocol;
        this.hasFragmentHeader = hasFragmentHeader;
        this.fragmentOffset = fragmentOffset;
        this.moreFragments = moreFragments;
        this.fragmentIdentification = fragmentIdentification;
        this.jumboOffset = jumboOffset;
    }

    private static Ipv6Chain walkOwnChain(int nextHeader, byte[] extensionHeaders) {
        ObjectUtil.checkNotNull(extensionHeaders, "extensionHeaders");
        if (extensionHeaders.length == 0) {
            if (IpProtocols.isIpv6ExtensionHeader(nextHeader)) {
                throw new IllegalArgumentException("next header " + nextHeader + " needs an extension header");
            }
            return null;
        }
        ByteBuf chain = Unpooled.wrappedBuffer(extensionHeaders);
        Ipv6Chain walked;
        try {
            walked = Ipv6Chain.walk(chain, 0, extensionHeaders.length, nextHeader, Integer.MAX_VALUE);
        } catch (MalformedFrameException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            chain.release();
        }
        if (walked.length != extensionHeaders.length) {
            throw new IllegalArgumentException("the chain ends after " + walked.length + " of "
                    + extensionHeaders.length + " bytes");
        }
        return walked;
    }

    static long toLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[offset + i] & 0xFF);
        }
        return v;
    }

    private static long address(Inet6Address address, int offset) {
        return toLong(ObjectUtil.checkNotNull(address, "address").getAddress(), offset);
    }

    static Inet6Address toAddress(long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            // getByAddress(String, byte[], int) always answers an Inet6Address, even for ::ffff:a.b.c.d.
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int version() {
        return 6;
    }

    /** @return the traffic class (DSCP and ECN) */
    public int trafficClass() {
        return trafficClass;
    }

    /** @return the 20-bit flow label */
    public int flowLabel() {
        return flowLabel;
    }

    @Override
    public int hopLimit() {
        return hopLimit;
    }

    /** @return the fixed header's next-header value (the first extension header, if any) */
    public int nextHeader() {
        return nextHeader;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public Inet6Address source() {
        return toAddress(sourceHigh, sourceLow);
    }

    @Override
    public Inet6Address destination() {
        return toAddress(destinationHigh, destinationLow);
    }

    /** @return the first 8 bytes of the source address, without creating an object */
    public long sourceHigh() {
        return sourceHigh;
    }

    /** @return the last 8 bytes of the source address */
    public long sourceLow() {
        return sourceLow;
    }

    /** @return the first 8 bytes of the destination address */
    public long destinationHigh() {
        return destinationHigh;
    }

    /** @return the last 8 bytes of the destination address */
    public long destinationLow() {
        return destinationLow;
    }

    /** @return the total length of the extension headers */
    public int extensionHeadersLength() {
        return extensionHeaders.length;
    }

    /** @return a copy of the extension header chain as on the wire */
    public byte[] extensionHeaderBytes() {
        return extensionHeaders.clone();
    }

    /** @return the extension headers in order; an unmodifiable list */
    public List<Ipv6ExtensionHeader> extensionHeaders() {
        if (extensionHeaders.length == 0) {
            return Collections.emptyList();
        }
        List<Ipv6ExtensionHeader> list = new ArrayList<>();
        int i = 0;
        int type = nextHeader;
        // The chain was validated when this packet was made, so lengths stay inside the array.
        while (i < extensionHeaders.length) {
            int length;
            if (type == IpProtocols.FRAGMENT) {
                length = 8;
            } else if (type == IpProtocols.AH) {
                length = ((extensionHeaders[i + 1] & 0xFF) + 2) << 2;
            } else {
                length = ((extensionHeaders[i + 1] & 0xFF) + 1) << 3;
            }
            byte[] bytes = new byte[length];
            System.arraycopy(extensionHeaders, i, bytes, 0, length);
            list.add(new Ipv6ExtensionHeader(type, bytes));
            type = extensionHeaders[i] & 0xFF;
            i += length;
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public int headerLength() {
        return HEADER_LENGTH + extensionHeaders.length;
    }

    /**
     * Returns the payload length: extension headers plus content. For a {@linkplain #isJumbogram()
     * jumbogram} this is the Jumbo Payload option's value; the fixed header's field is then 0.
     *
     * @return the payload length
     */
    public int payloadLength() {
        return extensionHeaders.length + content().readableBytes();
    }

    /**
     * Returns whether this is a jumbogram (RFC 2675): its Hop-by-Hop header has a Jumbo Payload option,
     * so the encoder writes payload length 0 and the real length into the option, and refuses to write
     * it unless the payload length is over 65535.
     *
     * @return whether the extension headers hold a Jumbo Payload option
     */
    public boolean isJumbogram() {
        return jumboOffset >= 0;
    }

    /** @return whether the packet has a fragment header (even an atomic one, offset 0 and no more fragments) */
    public boolean hasFragmentHeader() {
        return hasFragmentHeader;
    }

    @Override
    public int fragmentOffset() {
        return fragmentOffset;
    }

    @Override
    public boolean moreFragments() {
        return moreFragments;
    }

    /** @return the fragment header's 32-bit identification, 0 without a fragment header */
    public long fragmentIdentification() {
        return fragmentIdentification;
    }

    @Override
    public long pseudoHeaderSum() {
        return InternetChecksum.ipv6PseudoHeaderSum(sourceHigh, sourceLow, destinationHigh, destinationLow,
                protocol, content().readableBytes());
    }

    @Override
    void writeHeader(ByteBuf buf, boolean recomputeChecksum) {
        int payloadLength = payloadLength();
        if (jumboOffset >= 0) {
            if (payloadLength <= 0xFFFF) {
                throw new IllegalStateException("a jumbogram needs a payload over 65535 bytes (RFC 2675): "
                        + payloadLength);
            }
        } else if (payloadLength > 0xFFFF) {
            throw new IllegalStateException("IPv6 payload of " + payloadLength
                    + " bytes needs a jumbogram (a Jumbo Payload option in a Hop-by-Hop header)");
        }
        buf.writeInt(6 << 28 | trafficClass << 20 | flowLabel);
        buf.writeShort(jumboOffset >= 0 ? 0 : payloadLength);
        buf.writeByte(nextHeader);
        buf.writeByte(hopLimit);
        buf.writeLong(sourceHigh);
        buf.writeLong(sourceLow);
        buf.writeLong(destinationHigh);
        buf.writeLong(destinationLow);
        int chain = buf.writerIndex();
        buf.writeBytes(extensionHeaders);
        if (jumboOffset >= 0) {
            // Derived like the payload length field, so that an edited content gets a correct length.
            buf.setInt(chain + jumboOffset, payloadLength);
        }
    }

    @Override
    public Ipv6Packet replace(ByteBuf content) {
        return new Ipv6Packet(trafficClass, flowLabel, hopLimit, nextHeader, sourceHigh, sourceLow,
                destinationHigh, destinationLow, extensionHeaders, protocol, hasFragmentHeader, fragmentOffset,
                moreFragments, fragmentIdentification, jumboOffset, content);
    }

    @Override
    public Ipv6Packet copy() {
        return (Ipv6Packet) super.copy();
    }

    @Override
    public Ipv6Packet duplicate() {
        return (Ipv6Packet) super.duplicate();
    }

    @Override
    public Ipv6Packet retainedDuplicate() {
        return (Ipv6Packet) super.retainedDuplicate();
    }

    @Override
    public Ipv6Packet retain() {
        super.retain();
        return this;
    }

    @Override
    public Ipv6Packet retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Ipv6Packet touch() {
        super.touch();
        return this;
    }

    @Override
    public Ipv6Packet touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "Ipv6Packet(" + source().getHostAddress() + " > " + destination().getHostAddress() + ", proto="
                + protocol + ", hlim=" + hopLimit + ", ext=" + extensionHeaders.length + "B"
                + (hasFragmentHeader ? ", frag=" + fragmentOffset + (moreFragments ? "+" : "") : "")
                + (jumboOffset >= 0 ? ", jumbo" : "") + ", " + content().readableBytes() + "B)";
    }
}
