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

import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import java.security.NoSuchAlgorithmException;
import java.security.spec.AlgorithmParameterSpec;

/**
 * The AEAD ciphers the tunnel offers, both from the JDK's SunJCE provider: 256-bit keys, 96-bit nonces
 * and 128-bit tags. AES-256-GCM is the default because the JIT turns it into AES-NI/CLMUL instructions;
 * ChaCha20-Poly1305 is pure Java on Java 17 and suits machines without AES instructions.
 */
public enum CipherSuite {
    /** AES-256 in Galois/Counter mode (NIST SP 800-38D). */
    AES_256_GCM(1, "aes-256-gcm", "AES/GCM/NoPadding", "AES") {
        @Override
        AlgorithmParameterSpec nonceSpec(byte[] nonce) {
            return new GCMParameterSpec(TAG_LENGTH * 8, nonce);
        }
    },
    /** ChaCha20 with the Poly1305 authenticator (RFC 8439). */
    CHACHA20_POLY1305(2, "chacha20-poly1305", "ChaCha20-Poly1305", "ChaCha20") {
        @Override
        AlgorithmParameterSpec nonceSpec(byte[] nonce) {
            return new IvParameterSpec(nonce);
        }
    };

    /** Bytes of the authentication tag appended to every ciphertext. */
    public static final int TAG_LENGTH = 16;
    /** Bytes of a key. */
    public static final int KEY_LENGTH = 32;
    /** Bytes of a nonce. */
    public static final int NONCE_LENGTH = 12;

    private final int id;
    private final String displayName;
    private final String transformation;
    private final String keyAlgorithm;

    CipherSuite(int id, String displayName, String transformation, String keyAlgorithm) {
        this.id = id;
        this.displayName = displayName;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** Returns the number that identifies the suite in handshake messages. */
    public int id() {
        return id;
    }

    /** Returns the name used on the command line, e.g. {@code aes-256-gcm}. */
    public String displayName() {
        return displayName;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }

    abstract AlgorithmParameterSpec nonceSpec(byte[] nonce);

    Cipher newCipher() {
        try {
            return Cipher.getInstance(transformation);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException(transformation + " is not available in this JDK", e);
        }
    }

    /** Returns the suite with that command-line name; throws with the valid names otherwise. */
    public static CipherSuite fromName(String name) {
        for (CipherSuite s : values()) {
            if (s.displayName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown cipher '" + name + "' (expected aes-256-gcm or chacha20-poly1305)");
    }

    /** Returns the suite with that handshake number, or {@code null}. */
    public static CipherSuite fromId(int id) {
        for (CipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
