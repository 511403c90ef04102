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

import javax.crypto.KeyAgreement;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ephemeral X25519 (RFC 7748) from the JDK's XDH provider, with public keys as their raw 32 bytes on
 * the wire. The JDK only speaks X.509 encodings, which for X25519 are a fixed 12-byte prefix followed by
 * the raw key, so conversion is slicing and prefixing.
 */
public final class X25519 {

    /** Bytes of a raw public key. */
    public static final int KEY_LENGTH = 32;
    private static final byte[] X509_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00
    };

    private X25519() {
    }

    /** Returns a fresh key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /** Returns the raw 32-byte public key. */
    public static byte[] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
    }

    /**
     * Returns the shared secret of our key pair and the peer's raw public key.
     *
     * @throws GeneralSecurityException if the peer's key is invalid or of small order (an all-zero
     *                                  result, which would make the "secret" public)
     */
    public static byte[] agree(KeyPair ours, byte[] theirRaw) throws GeneralSecurityException {
        byte[] encoded = new byte[X509_PREFIX.length + KEY_LENGTH];
        System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
        System.arraycopy(theirRaw, 0, encoded, X509_PREFIX.length, KEY_LENGTH);
        PublicKey theirs = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(encoded));
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(ours.getPrivate());
        ka.doPhase(theirs, true);
        byte[] secret = ka.generateSecret();
        int or = 0;
        for (byte b : secret) {
            or |= b;
        }
        if (or == 0) {
            throw new GeneralSecurityException("peer public key has small order");
        }
        return secret;
    }
}
