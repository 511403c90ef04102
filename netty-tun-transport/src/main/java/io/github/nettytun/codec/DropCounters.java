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

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped (or rejected) frames per {@link DropReason}.
 *
 * <p>Thread-safe and cheap to increment from several event loops at once ({@link LongAdder}s), so one
 * instance may be shared by the decoders of all queues of a multiqueue device to get device-wide totals.
 */
public final class DropCounters {

    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder[] counts = new LongAdder[REASONS.length];

    /** Creates counters that all start at zero. */
    public DropCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /**
     * Adds one to the count of a reason.
     *
     * @param reason why a frame was refused
     */
    public void increment(DropReason reason) {
        counts[reason.ordinal()].increment();
    }

    /**
     * Returns the count of one reason.
     *
     * @param reason the reason
     * @return frames refused for that reason so far
     */
    public long get(DropReason reason) {
        return counts[reason.ordinal()].sum();
    }

    /**
     * Returns the count over all reasons.
     *
     * @return frames refused so far
     */
    public long total() {
        long total = 0;
        for (LongAdder count : counts) {
            total += count.sum();
        }
        return total;
    }

    /**
     * Returns the non-zero counts.
     *
     * @return a new map from reason to count, in {@link DropReason} order
     */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
        for (DropReason reason : REASONS) {
            long value = get(reason);
            if (value != 0) {
                map.put(reason, value);
            }
        }
        return map;
    }

    /** Sets every count back to zero. */
    public void reset() {
        for (LongAdder count : counts) {
            count.reset();
        }
    }

    @Override
    public String toString() {
        return "DropCounters" + snapshot();
    }
}
