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

import java.util.Arrays;

/**
 * Decodes Ethernet II frames from a TAP device into {@link EthernetFrame}s, stepping over stacked
 * 802.1Q ({@code 0x8100}) and 802.1ad ({@code 0x88A8}) tags. It decodes plain buffers and the content
 * of {@link TunPiFrame}s and {@link VirtioNetFrame}s.
 *
 * <p>A frame with more tags than {@code maxVlanTags} is refused as {@link DropReason#TOO_MANY_VLAN_TAGS}:
 * a flood of tags is a known way to hide a payload from filters, and no real network stacks more than
 * two (QinQ).
 */
public class EthernetDecoder extends AbstractFrameDecoder {

    /** Default maximum number of VLAN tags: two, for QinQ. */
    public static final int DEFAULT_MAX_VLAN_TAGS = 2;

    private final int maxVlanTags;

    /** Creates a decoder that drops malformed frames, accepts up to two tags and counts in its own counters. */
    public EthernetDecoder() {
        this(MalformedFramePolicy.DROP, new DropCounters(), DEFAULT_MAX_VLAN_TAGS);
    }

    /**
     * Creates a decoder.
     *
     * @param policy      what to do with malformed frames
     * @param counters    where to count them
     * @param maxVlanTags the most tags a frame may carry
     */
    public EthernetDecoder(MalformedFramePolicy policy, DropCounters counters, int maxVlanTags) {
        super(policy, counters);
        if (maxVlanTags < 0) {
            throw new IllegalArgumentException("maxVlanTags: " + maxVlanTags);
        }
        this.maxVlanTags = maxVlanTags;
    }

    @Override
    protected boolean acceptOuterFrame(Object msg) {
        return msg instanceof TunPiFrame || msg instanceof VirtioNetFrame;
    }

    @Override
    protected Object decodeFrame(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length < EthernetFrame.HEADER_LENGTH) {
            throw new MalformedFrameException(DropReason.TRUNCATED, length + " bytes, Ethernet header needs 14");
        }
        int start = frame.readerIndex();
        int end = start + length;
        int index = start + 12;
        int type = frame.getUnsignedShort(index);
        int[] tags = null;
        int count = 0;
        while (EtherTypes.isVlanTpid(type)) {
            if (count == maxVlanTags) {
                throw new MalformedFrameException(DropReason.TOO_MANY_VLAN_TAGS, "more than " + maxVlanTags);
            }
            if (index + 6 > end) {
                throw new MalformedFrameException(DropReason.TRUNCATED, "VLAN tag " + count + " cut off");
            }
            if (tags == null) {
                tags = new int[Math.min(maxVlanTags, 2)];
            } else if (count == tags.length) {
                tags = Arrays.copyOf(tags, Math.min(maxVlanTags, count * 2));
            }
            tags[count++] = type << 16 | frame.getUnsignedShort(index + 2);
            index += EthernetFrame.TAG_LENGTH;
            type = frame.getUnsignedShort(index);
        }
        int[] exact = tags == null ? EthernetFrame.NO_TAGS : count == tags.length ? tags : Arrays.copyOf(tags, count);
        int payload = index + 2;
        return new EthernetFrame(MacAddress.getLong(frame, start), MacAddress.getLong(frame, start + 6),
                exact, type, frame.retainedSlice(payload, end - payload));
    }
}
