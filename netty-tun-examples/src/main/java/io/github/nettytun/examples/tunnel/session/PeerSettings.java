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

import io.github.nettytun.examples.tunnel.crypto.CipherSuite;

import java.util.concurrent.TimeUnit;

/**
 * The protocol settings of one tunnel end (see the {@code --help} of the tunnel program for each).
 */
public final class PeerSettings {
    final boolean initiator;
    final CipherSuite cipher;
    final long keepaliveNanos;
    final long peerTimeoutNanos;
    final long handshakeRetryNanos;
    final long rekeyNanos;
    final long rekeyPackets;
    final int replayWindow;
    final int compressionLevel;
    final int maxFrame;

    /**
     * Creates settings.
     *
     * @param initiator        whether this end starts handshakes (the client)
     * @param cipher           the AEAD for data messages
     * @param keepaliveMillis  send a keepalive when nothing was sent for this long
     * @param peerTimeoutMillis give a session up when nothing arrived for this long
     * @param handshakeRetryMillis repeat an unanswered initiation after this long
     * @param rekeyMillis      start a new handshake when the session is this old (initiator)
     * @param rekeyPackets     ... or has carried this many messages
     * @param replayWindow     anti-replay window in packets
     * @param compressionLevel deflate level 1-9, or 0 for no compression
     * @param maxFrame         largest frame the device may deliver or accept (MTU + link header)
     */
    public PeerSettings(boolean initiator, CipherSuite cipher, long keepaliveMillis, long peerTimeoutMillis,
                        long handshakeRetryMillis, long rekeyMillis, long rekeyPackets, int replayWindow,
                        int compressionLevel, int maxFrame) {
        if (peerTimeoutMillis <= keepaliveMillis) {
            throw new IllegalArgumentException("the peer timeout (" + peerTimeoutMillis
                    + " ms) must be longer than the keepalive interval (" + keepaliveMillis + " ms)");
        }
        this.initiator = initiator;
        this.cipher = cipher;
        this.keepaliveNanos = TimeUnit.MILLISECONDS.toNanos(keepaliveMillis);
        this.peerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(peerTimeoutMillis);
        this.handshakeRetryNanos = TimeUnit.MILLISECONDS.toNanos(handshakeRetryMillis);
        this.rekeyNanos = TimeUnit.MILLISECONDS.toNanos(rekeyMillis);
        this.rekeyPackets = rekeyPackets;
        this.replayWindow = replayWindow;
        this.compressionLevel = compressionLevel;
        this.maxFrame = maxFrame;
    }
}
