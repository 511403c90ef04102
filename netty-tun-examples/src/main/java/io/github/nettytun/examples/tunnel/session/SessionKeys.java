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

import java.util.Arrays;

/**
 * What a completed handshake yields: the two session ids and one key and base IV per direction.
 */
public final class SessionKeys {
    final CipherSuite suite;
    final int localId;
    final int remoteId;
    final byte[] sendKey;
    final byte[] sendIv;
    final byte[] receiveKey;
    final byte[] receiveIv;

    SessionKeys(CipherSuite suite, int localId, int remoteId, byte[] sendKey, byte[] sendIv, byte[] receiveKey,
                byte[] receiveIv) {
        this.suite = suite;
        this.localId = localId;
        this.remoteId = remoteId;
        this.sendKey = sendKey;
        this.sendIv = sendIv;
        this.receiveKey = receiveKey;
        this.receiveIv = receiveIv;
    }

    /** Overwrites the key bytes once the session's ciphers hold their own copies. */
    void wipe() {
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(sendIv, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
        Arrays.fill(receiveIv, (byte) 0);
    }

    @Override
    public String toString() {
        return "SessionKeys(" + suite + ", local " + Integer.toHexString(localId) + ", remote "
                + Integer.toHexString(remoteId) + ", keys redacted)";
    }
}
