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
import io.netty.util.internal.ObjectUtil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An Ethernet II frame: destination, source, zero or more 802.1Q/802.1ad tags (outermost first), the
 * EtherType and the payload, which is this holder's {@linkplain #content() content}. The frame check
 * sequence is not part of it (TAP devices neither deliver nor expect one). Short frames keep their
 * padding in the payload, so re-encoding gives back the same bytes.
 */
public final class EthernetFrame extends DefaultByteBufHolder {

    /** Length of the untagged header: two addresses and the EtherType. */
    public static final int HEADER_LENGTH = 14;
    /** Length of one VLAN tag. */
    public static final int TAG_LENGTH = 4;

    static final int[] NO_TAGS = new int[0];

    private final long destination;
    private final long source;
    private final int[] tags; // tpid << 16 | tci, outermost first; never modified
    private final int etherType;

    /**
     * Creates an untagged frame.
     *
     * @param destination the destination address
     * @param source      the source address
     * @param etherType   the EtherType, such as {@link EtherTypes#IPV4}
     * @param payload     the payload; ownership passes to this frame
     */
    public EthernetFrame(MacAddress destination, MacAddress source, int etherType, ByteBuf payload) {
        this(destination.toLong(), source.toLong(), NO_TAGS, etherType, payload);
    }

    /**
     * Creates a frame.
     *
     * @param destination the destination address
     * @param source      the source address
     * @param tags        the VLAN tags, outermost first
     * @param etherType   the EtherType of the payload
     * @param payload     the payload; ownership passes to this frame
     */
    public EthernetFrame(MacAddress destination, MacAddress source, List<VlanTag> tags, int etherType,
                         ByteBuf payload) {
        this(destination.toLong(), source.toLong(), toWire(tags), etherType, payload);
    }

    EthernetFrame(long destination, long source, int[] tags, int etherType, ByteBuf payload) {
        super(payload);
        this.destination = destination;
        this.source = source;
        this.tags = tags;
        this.etherType = etherType & 0xFFFF;
    }

    private static int[] toWire(List<VlanTag> tags) {
        ObjectUtil.checkNotNull(tags, "tags");
        if (tags.isEmpty()) {
            return NO_TAGS;
        }
        int[] wire = new int[tags.size()];
        for (int i = 0; i < wire.length; i++) {
            VlanTag tag = tags.get(i);
            wire[i] = tag.tpid() << 16 | tag.tci();
        }
        return wire;
    }

    /** @return the destination address */
    public MacAddress destination() {
        return MacAddress.fromLong(destination);
    }

    /** @return the source address */
    public MacAddress source() {
        return MacAddress.fromLong(source);
    }

    /** @return the destination address as a 48-bit value, without creating an object */
    public long destinationLong() {
        return destination;
    }

    /** @return the source address as a 48-bit value, without creating an object */
    public long sourceLong() {
        return source;
    }

    /** @return the number of VLAN tags */
    public int tagCount() {
        return tags.length;
    }

    /**
     * Returns one VLAN tag.
     *
     * @param i 0 for the outermost tag
     * @return the tag
     */
    public VlanTag tag(int i) {
        int wire = tags[i];
        return VlanTag.fromWire(wire >>> 16, wire);
    }

    /** @return the VLAN tags, outermost first; an unmodifiable list */
    public List<VlanTag> tags() {
        if (tags.length == 0) {
            return Collections.emptyList();
        }
        List<VlanTag> list = new ArrayList<>(tags.length);
        for (int i = 0; i < tags.length; i++) {
            list.add(tag(i));
        }
        return Collections.unmodifiableList(list);
    }

    /** @return the EtherType after the tags (or an 802.3 length, if below {@link EtherTypes#MIN_ETHERTYPE}) */
    public int etherType() {
        return etherType;
    }

    /** @return the length of the header this frame encodes to: 14 plus 4 per tag */
    public int headerLength() {
        return HEADER_LENGTH + TAG_LENGTH * tags.length;
    }

    void writeHeader(ByteBuf buf) {
        MacAddress.write(buf, destination);
        MacAddress.write(buf, source);
        for (int tag : tags) {
            buf.writeInt(tag);
        }
        buf.writeShort(etherType);
    }

    @Override
    public EthernetFrame replace(ByteBuf content) {
        return new EthernetFrame(destination, source, tags, etherType, content);
    }

    @Override
    public EthernetFrame copy() {
        return (EthernetFrame) super.copy();
    }

    @Override
    public EthernetFrame duplicate() {
        return (EthernetFrame) super.duplicate();
    }

    @Override
    public EthernetFrame retainedDuplicate() {
        return (EthernetFrame) super.retainedDuplicate();
    }

    @Override
    public EthernetFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public EthernetFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public EthernetFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public EthernetFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "EthernetFrame(" + source() + " > " + destination() + ", tags=" + tags() + ", type=0x"
                + Integer.toHexString(etherType) + ", " + content().readableBytes() + "B)";
    }
}
