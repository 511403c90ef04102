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
package io.github.nettytun.examples.tunnel.crypto;

/**
 * Sliding anti-replay window over 64-bit packet counters, as a ring of bit words (the scheme of
 * RFC 6479): a counter is new if it is above the highest seen, or inside the window and not marked.
 * {@link #isFresh} only looks, {@link #mark} records; a packet is marked only after its tag verified,
 * so forged packets cannot move the window.
 */
public final class ReplayWindow {

    private final long[] bits;
    private final int windowSize;
    private final int wordMask;
    private long highest = -1;

    /**
     * Creates an empty window.
     *
     * @param size how far behind the highest counter a packet may arrive, in packets; rounded up to a
     *             multiple of 64, at least 64
     */
    public ReplayWindow(int size) {
        int sizeWords = Math.max(1, (size + 63) / 64);
        // One spare word lets the ring advance without clearing bits still inside the window; a power
        // of two turns the modulo into a mask.
        int words = Integer.highestOneBit(sizeWords) << 1;
        bits = new long[words];
        wordMask = words - 1;
        windowSize = sizeWords * 64;
    }

    /** Returns whether {@code counter} was not seen yet and is not too old for the window. */
    public boolean isFresh(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > highest) {
            return true;
        }
        if (highest - counter >= windowSize) {
            return false;
        }
        return (bits[(int) (counter >>> 6) & wordMask] & (1L << (counter & 63))) == 0;
    }

    /** Records {@code counter}, which {@link #isFresh} accepted, sliding the window forward if needed. */
    public void mark(long counter) {
        if (counter > highest) {
            long oldWord = highest < 0 ? -1 : highest >>> 6;
            long newWord = counter >>> 6;
            long clear = Math.min(newWord - oldWord, bits.length);
            for (long i = 1; i <= clear; i++) {
                bits[(int) (oldWord + i) & wordMask] = 0;
            }
            highest = counter;
        }
        bits[(int) (counter >>> 6) & wordMask] |= 1L << (counter & 63);
    }

    /** Returns how many counters below the highest one are still tracked. */
    public int size() {
        return windowSize;
    }
}
