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
package io.github.nettytun.examples.tunnel.session;

/**
 * The tunnel's counters. Written only by the event loop that owns the tunnel, so plain fields suffice
 * there; {@link #format()} from another thread may see slightly stale values, which is fine for a
 * report.
 */
public final class TunnelStats {

    long devicePackets;
    long deviceBytes;
    long peerPackets;
    long peerBytes;
    long keepalivesSent;
    long keepalivesReceived;
    long handshakes;
    private final long[] drops = new long[DropReason.values().length];

    /** Counts one drop. */
    public void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    /** Returns how many drops of that reason happened. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Returns how many device frames were sent to the peer. */
    public long devicePackets() {
        return devicePackets;
    }

    /** Returns how many frames from the peer were written to the device. */
    public long peerPackets() {
        return peerPackets;
    }

    /** Returns how many handshakes completed. */
    public long handshakes() {
        return handshakes;
    }

    /**
     * Adds every counter of {@code other} to this one (the tunnel's total over its lanes). Call from any
     * thread; {@code other}'s owner may still be counting, which only makes the sum a little stale.
     */
    public void add(TunnelStats other) {
        devicePackets += other.devicePackets;
        deviceBytes += other.deviceBytes;
        peerPackets += other.peerPackets;
        peerBytes += other.peerBytes;
        keepalivesSent += other.keepalivesSent;
        keepalivesReceived += other.keepalivesReceived;
        handshakes += other.handshakes;
        for (int i = 0; i < drops.length; i++) {
            drops[i] += other.drops[i];
        }
    }

    /** Returns one line for operators: traffic both ways, handshakes, keepalives and every drop counter. */
    public String format() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("stats: device->peer ").append(devicePackets).append(" pkts ").append(bytes(deviceBytes))
                .append(", peer->device ").append(peerPackets).append(" pkts ").append(bytes(peerBytes))
                .append(", handshakes ").append(handshakes)
                .append(", keepalives sent/received ").append(keepalivesSent).append('/').append(keepalivesReceived)
                .append(", drops");
        for (DropReason r : DropReason.values()) {
            sb.append(' ').append(r.label()).append('=').append(drops[r.ordinal()]);
        }
        return sb.toString();
    }

    private static String bytes(long n) {
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return (n / 1000) + " kB";
        }
        return (n / 1_000_000) + " MB";
    }
}
