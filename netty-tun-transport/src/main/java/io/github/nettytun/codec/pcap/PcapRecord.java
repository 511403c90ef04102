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
package io.github.nettytun.codec.pcap;

/**
 * One packet read from a pcap file by {@link PcapReader}.
 */
public final class PcapRecord {

    private final long timestampNanos;
    private final int originalLength;
    private final byte[] data;

    /**
     * Creates a record.
     *
     * @param timestampNanos the capture time in nanoseconds since the epoch
     * @param originalLength the packet's length on the wire
     * @param data           the captured bytes (not copied)
     */
    public PcapRecord(long timestampNanos, int originalLength, byte[] data) {
        this.timestampNanos = timestampNanos;
        this.originalLength = originalLength;
        this.data = data;
    }

    /** @return the capture time in nanoseconds since the epoch */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** @return the packet's length when captured */
    public int originalLength() {
        return originalLength;
    }

    /** @return the captured bytes; the array itself, not a copy */
    public byte[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "PcapRecord(" + data.length + "/" + originalLength + "B)";
    }
}
