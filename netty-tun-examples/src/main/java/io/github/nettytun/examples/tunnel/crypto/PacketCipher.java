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

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The AEAD of one direction of one session: one {@link Cipher} kept for the session's life (creating a
 * Cipher per packet costs far more than initialising it), the key and the 12-byte base IV. The nonce of
 * packet {@code n} is the base IV XOR {@code n} in its last 8 bytes (as in TLS 1.3), so as long as
 * counters never repeat, nonces never repeat under one key.
 *
 * <p>Works on byte arrays: measured on Java 17, AES-GCM on heap arrays is about 1.6x faster than on
 * direct {@code ByteBuffer}s, which more than pays for copying a packet in and out. Not thread-safe: one
 * event loop owns it.
 */
public final class PacketCipher {

    private final CipherSuite suite;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] ivBase;
    private final byte[] nonce = new byte[CipherSuite.NONCE_LENGTH];
    private final int mode;

    private PacketCipher(CipherSuite suite, byte[] key, byte[] ivBase, int mode) {
        if (key.length != CipherSuite.KEY_LENGTH || ivBase.length != CipherSuite.NONCE_LENGTH) {
            throw new IllegalArgumentException("bad key or IV length");
        }
        this.suite = suite;
        this.cipher = suite.newCipher();
        this.key = new SecretKeySpec(key, suite.keyAlgorithm());
        this.ivBase = ivBase.clone();
        this.mode = mode;
    }

    /** Returns a cipher that seals (encrypts and authenticates) outgoing packets. */
    public static PacketCipher sealer(CipherSuite suite, byte[] key, byte[] ivBase) {
        return new PacketCipher(suite, key, ivBase, Cipher.ENCRYPT_MODE);
    }

    /** Returns a cipher that opens (verifies and decrypts) incoming packets. */
    public static PacketCipher opener(CipherSuite suite, byte[] key, byte[] ivBase) {
        return new PacketCipher(suite, key, ivBase, Cipher.DECRYPT_MODE);
    }

    /**
     * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}, authenticating
     * {@code aad[0, aadLen)} too; returns the bytes written ({@code len} + the 16-byte tag).
     */
    public int seal(long counter, byte[] aad, int aadLen, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws GeneralSecurityException {
        init(counter);
        cipher.updateAAD(aad, 0, aadLen);
        return cipher.doFinal(in, inOff, len, out, outOff);
    }

    /**
     * Verifies and decrypts {@code in[inOff, inOff+len)} (ciphertext and tag) into {@code out} at
     * {@code outOff}; returns the plaintext length.
     *
     * @throws AEADBadTagException if the packet was forged, altered or sealed under another key
     */
    public int open(long counter, byte[] aad, int aadLen, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws GeneralSecurityException {
        init(counter);
        cipher.updateAAD(aad, 0, aadLen);
        return cipher.doFinal(in, inOff, len, out, outOff);
    }

    private void init(long counter) throws GeneralSecurityException {
        System.arraycopy(ivBase, 0, nonce, 0, nonce.length);
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (counter >>> (8 * i));
        }
        // The spec copies the nonce, so reusing the array is safe.
        cipher.init(mode, key, suite.nonceSpec(nonce));
    }

    /** Overwrites the IV copy this object holds (the JCE keeps its own key copy until collected). */
    public void destroy() {
        Arrays.fill(ivBase, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
    }
}
