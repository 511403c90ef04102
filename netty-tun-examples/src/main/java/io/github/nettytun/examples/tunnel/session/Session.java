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
import io.github.nettytun.examples.tunnel.crypto.PacketCipher;
import io.github.nettytun.examples.tunnel.crypto.ReplayWindow;
import io.netty.buffer.ByteBuf;

import javax.crypto.AEADBadTagException;
import java.security.GeneralSecurityException;

/**
 * One set of session keys, in use for sending and receiving data messages: the two ciphers, the
 * send counter and the replay window. Owned by one event loop.
 */
final class Session {

    /** {@link #open} result: the counter was seen before or is too old. */
    static final int REPLAYED = -1;
    /** {@link #open} result: the tag did not verify. */
    static final int FORGED = -2;
    /** Counters stop well before 2^64 so they can never wrap; a rekey comes long before. */
    private static final long COUNTER_LIMIT = 1L << 60;

    final int localId;
    final int remoteId;
    final long createdNanos;
    private final PacketCipher sealer;
    private final PacketCipher opener;
    private final ReplayWindow window;
    private final Scratch scratch;
    private long nextCounter;
    long sent;
    long received;

    Session(SessionKeys keys, int replayWindow, Scratch scratch, long nowNanos) {
        this.localId = keys.localId;
        this.remoteId = keys.remoteId;
        this.createdNanos = nowNanos;
        this.sealer = PacketCipher.sealer(keys.suite, keys.sendKey, keys.sendIv);
        this.opener = PacketCipher.opener(keys.suite, keys.receiveKey, keys.receiveIv);
        this.window = new ReplayWindow(replayWindow);
        this.scratch = scratch;
        keys.wipe();
    }

    /** Returns whether the send counter is used up (the session must not send any more). */
    boolean exhausted() {
        return nextCounter >= COUNTER_LIMIT;
    }

    /**
     * Appends a data message carrying {@code plain[0, length)} to {@code out}: header, ciphertext, tag.
     */
    void seal(int type, byte[] plain, int length, ByteBuf out) throws GeneralSecurityException {
        long counter = nextCounter++;
        byte[] header = scratch.header;
        putHeader(header, type, remoteId, counter);
        byte[] sealed = scratch.sealed;
        int n = sealer.seal(counter, header, WireFormat.DATA_HEADER_LENGTH, plain, 0, length, sealed, 0);
        out.writeBytes(header, 0, WireFormat.DATA_HEADER_LENGTH).writeBytes(sealed, 0, n);
        sent++;
    }

    /**
     * Verifies and decrypts the data message {@code message} (readable bytes: the whole message, at least
     * {@link WireFormat#DATA_OVERHEAD}) into {@code scratch.plain}.
     *
     * @return the plaintext length, or {@link #REPLAYED} or {@link #FORGED}
     */
    int open(ByteBuf message) throws GeneralSecurityException {
        int at = message.readerIndex();
        long counter = message.getLong(at + 5);
        if (!window.isFresh(counter)) {
            return REPLAYED;
        }
        byte[] header = scratch.header;
        message.getBytes(at, header, 0, WireFormat.DATA_HEADER_LENGTH);
        int sealedLength = message.readableBytes() - WireFormat.DATA_HEADER_LENGTH;
        byte[] sealed = scratch.sealed;
        message.getBytes(at + WireFormat.DATA_HEADER_LENGTH, sealed, 0, sealedLength);
        int n;
        try {
            n = opener.open(counter, header, WireFormat.DATA_HEADER_LENGTH, sealed, 0, sealedLength, scratch.plain, 0);
        } catch (AEADBadTagException e) {
            return FORGED;
        }
        // Only now, with the tag verified, may the counter move the window.
        window.mark(counter);
        received++;
        return n;
    }

    void destroy() {
        sealer.destroy();
        opener.destroy();
    }

    static void putHeader(byte[] h, int type, int receiverId, long counter) {
        h[0] = (byte) type;
        h[1] = (byte) (receiverId >>> 24);
        h[2] = (byte) (receiverId >>> 16);
        h[3] = (byte) (receiverId >>> 8);
        h[4] = (byte) receiverId;
        for (int i = 0; i < 8; i++) {
            h[5 + i] = (byte) (counter >>> (56 - 8 * i));
        }
    }

    /**
     * Working arrays shared by all sessions of one event loop, so no packet allocates any: one for the
     * header, one for sealed bytes and one for plaintext, each as large as the largest message.
     */
    static final class Scratch {
        final byte[] header = new byte[WireFormat.DATA_HEADER_LENGTH];
        final byte[] sealed = new byte[WireFormat.MAX_MESSAGE + CipherSuite.TAG_LENGTH];
        final byte[] plain = new byte[WireFormat.MAX_MESSAGE + CipherSuite.TAG_LENGTH];
        final byte[] deflated = new byte[WireFormat.MAX_MESSAGE + CipherSuite.TAG_LENGTH];
    }
}
