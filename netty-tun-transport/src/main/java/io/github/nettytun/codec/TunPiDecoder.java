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

/**
 * Decodes the PI header of frames from a device opened without {@code IFF_NO_PI} into
 * {@link TunPiFrame}s. Frames the kernel truncated ({@code TUN_PKT_STRIP}) are refused as
 * {@link DropReason#KERNEL_TRUNCATED} rather than passed on as if whole.
 *
 * <p>{@code flags} is a host-order {@code unsigned short} in the kernel's struct; it is read
 * little-endian, the order of the x86-64 and aarch64 hosts this transport supports. {@code proto} is
 * big-endian ({@code __be16}).
 */
public class TunPiDecoder extends AbstractFrameDecoder {

    /** Creates a decoder that drops malformed frames and counts them in its own counters. */
    public TunPiDecoder() {
        this(MalformedFramePolicy.DROP, new DropCounters());
    }

    /**
     * Creates a decoder.
     *
     * @param policy   what to do with malformed frames
     * @param counters where to count them
     */
    public TunPiDecoder(MalformedFramePolicy policy, DropCounters counters) {
        super(policy, counters);
    }

    @Override
    protected Object decodeFrame(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length < TunPiFrame.HEADER_LENGTH) {
            throw new MalformedFrameException(DropReason.TRUNCATED, length + " bytes, PI header needs 4");
        }
        int index = frame.readerIndex();
        int flags = frame.getUnsignedShortLE(index);
        if ((flags & TunPiFrame.FLAG_STRIP) != 0) {
            throw new MalformedFrameException(DropReason.KERNEL_TRUNCATED, "TUN_PKT_STRIP set");
        }
        int protocol = frame.getUnsignedShort(index + 2);
        return new TunPiFrame(flags, protocol, frame.retainedSlice(index + TunPiFrame.HEADER_LENGTH,
                length - TunPiFrame.HEADER_LENGTH));
    }
}
