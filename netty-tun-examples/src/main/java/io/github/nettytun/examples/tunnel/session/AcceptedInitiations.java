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

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The initiations that the responders of all lanes of one tunnel end accepted recently, so that an
 * initiation accepted on one lane is refused on every other. Each lane's {@link Peer} already refuses
 * an initiation whose timestamp is not newer than the last one it accepted, but lanes do not see each
 * other's timestamps: without this, a recorded initiation of lane 0 could be replayed to lane 1 (another
 * port, same key) within the 120 s clock window, and lane 1 would answer the replayer's address. The
 * session it set up would be useless to the replayer (no ephemeral private key), but the lane's replies
 * would go astray until the real client spoke again. With this ledger an initiation is accepted at most
 * once per tunnel end, as with one lane.
 *
 * <p>Shared by the lanes' event loops, hence synchronized; it is touched once per handshake only.
 */
public final class AcceptedInitiations {

    /** Longer than any initiation stays acceptable (its timestamp must be within 120 s of the clock). */
    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(2 * 120 + 10);

    /** MAC of the initiation (it covers the whole message) to when it was accepted; oldest first. */
    private final Map<ByteBuffer, Long> accepted = new LinkedHashMap<>();

    /**
     * Records an initiation as accepted.
     *
     * @param initiation the whole initiation message
     * @param nowNanos   {@link System#nanoTime()}
     * @return {@code false} if it was accepted before (by any lane)
     */
    public synchronized boolean add(byte[] initiation, long nowNanos) {
        for (Iterator<Long> it = accepted.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next() <= KEEP_NANOS) {
                break;
            }
            it.remove();
        }
        // The trailing HMAC-SHA256 covers every other byte, so it identifies the message.
        ByteBuffer mac = ByteBuffer.wrap(Arrays.copyOfRange(initiation, Math.max(0, initiation.length - 32),
                initiation.length));
        return accepted.putIfAbsent(mac, nowNanos) == null;
    }

    /** Returns how many initiations are remembered. */
    public synchronized int size() {
        return accepted.size();
    }
}
