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
import io.github.nettytun.examples.tunnel.crypto.Hkdf;
import io.github.nettytun.examples.tunnel.crypto.PreSharedKey;
import io.github.nettytun.examples.tunnel.crypto.X25519;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Builds and checks the two handshake messages (see {@link WireFormat}) and derives session keys.
 *
 * <p>Both messages carry a fresh X25519 public key and an HMAC-SHA256 under a key derived from the
 * pre-shared key, so only holders of the key file can complete a handshake (the response's MAC also
 * covers the initiation, binding the two). Session keys come from HKDF over the X25519 secret, salted
 * with another PSK-derived key and bound to a hash of both messages. The ephemeral private keys are
 * dropped after each handshake, so recorded traffic stays secret even if the key file leaks later
 * (forward secrecy); a leaked key file does let an active attacker impersonate either end.
 */
public final class Handshake {

    private static final byte[] SESSION_INFO = "netty-tun-vtun v1 session keys".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_MATERIAL = 2 * CipherSuite.KEY_LENGTH + 2 * CipherSuite.NONCE_LENGTH;
    private static final int INIT_MAC_AT = WireFormat.INIT_LENGTH - Hkdf.HASH_LENGTH;
    private static final int RESPONSE_MAC_AT = WireFormat.RESPONSE_LENGTH - Hkdf.HASH_LENGTH;

    private final CipherSuite suite;
    private final byte[] macKey;
    private final byte[] sessionSalt;

    /** Creates the handshake of one end: both ends need the same key and cipher. */
    public Handshake(PreSharedKey psk, CipherSuite suite) {
        this.suite = suite;
        this.macKey = psk.derive("handshake mac");
        this.sessionSalt = psk.derive("session salt");
    }

    /** An initiation that was sent and waits for its response. */
    public static final class Initiation {
        final byte[] message;
        final KeyPair ephemeral;
        final int localId;

        Initiation(byte[] message, KeyPair ephemeral, int localId) {
            this.message = message;
            this.ephemeral = ephemeral;
            this.localId = localId;
        }

        /** Returns the message to send (do not modify it). */
        public byte[] message() {
            return message;
        }

        /** Returns the session id this end chose. */
        public int localId() {
            return localId;
        }
    }

    /** An accepted initiation: the response to send and the new session's keys. */
    public static final class Response {
        final byte[] message;
        final SessionKeys keys;
        final long timestamp;

        Response(byte[] message, SessionKeys keys, long timestamp) {
            this.message = message;
            this.keys = keys;
            this.timestamp = timestamp;
        }

        /** Returns the message to send back. */
        public byte[] message() {
            return message;
        }

        /** Returns the keys of the session the response sets up. */
        public SessionKeys keys() {
            return keys;
        }

        /** Returns the initiator's timestamp (microseconds since the epoch), for replay checks. */
        public long timestamp() {
            return timestamp;
        }
    }

    /** Starts a handshake: a fresh ephemeral key, an initiation message with the given id and time. */
    public Initiation initiate(int localId, long timestampMicros) {
        KeyPair ephemeral = X25519.generate();
        ByteBuffer m = ByteBuffer.allocate(WireFormat.INIT_LENGTH);
        m.put((byte) WireFormat.TYPE_INIT).put((byte) WireFormat.VERSION).put((byte) suite.id()).put((byte) 0);
        m.putInt(localId).putLong(timestampMicros).put(X25519.raw(ephemeral.getPublic()));
        byte[] message = m.array();
        byte[] mac = Hkdf.hmac(macKey, Arrays.copyOf(message, INIT_MAC_AT));
        System.arraycopy(mac, 0, message, INIT_MAC_AT, mac.length);
        return new Initiation(message, ephemeral, localId);
    }

    /**
     * Checks an initiation and answers it.
     *
     * @throws HandshakeException if it is malformed, not made with the same key file, or asks for
     *                            another protocol version or cipher
     */
    public Response respond(byte[] init, int localId) throws HandshakeException {
        if (init.length != WireFormat.INIT_LENGTH) {
            throw new HandshakeException("malformed initiation (" + init.length + " bytes)");
        }
        verifyMac(init, INIT_MAC_AT, Arrays.copyOf(init, INIT_MAC_AT));
        checkVersionAndCipher(init);
        ByteBuffer in = ByteBuffer.wrap(init);
        int peerId = in.getInt(4);
        long timestamp = in.getLong(8);
        byte[] peerKey = Arrays.copyOfRange(init, 16, 16 + X25519.KEY_LENGTH);

        KeyPair ephemeral = X25519.generate();
        ByteBuffer m = ByteBuffer.allocate(WireFormat.RESPONSE_LENGTH);
        m.put((byte) WireFormat.TYPE_RESPONSE).put((byte) WireFormat.VERSION).put((byte) suite.id()).put((byte) 0);
        m.putInt(localId).putInt(peerId).put(X25519.raw(ephemeral.getPublic()));
        byte[] response = m.array();
        byte[] mac = Hkdf.hmac(macKey, Arrays.copyOf(response, RESPONSE_MAC_AT), init);
        System.arraycopy(mac, 0, response, RESPONSE_MAC_AT, mac.length);

        byte[] material = keyMaterial(ephemeral, peerKey, init, response);
        SessionKeys keys = split(material, localId, peerId, false);
        return new Response(response, keys, timestamp);
    }

    /**
     * Checks the response to our initiation and returns the session keys.
     *
     * @throws HandshakeException if it is malformed, forged, or answers another initiation
     */
    public SessionKeys complete(Initiation initiation, byte[] response) throws HandshakeException {
        if (response.length != WireFormat.RESPONSE_LENGTH) {
            throw new HandshakeException("malformed response (" + response.length + " bytes)");
        }
        verifyMac(response, RESPONSE_MAC_AT, Arrays.copyOf(response, RESPONSE_MAC_AT), initiation.message);
        checkVersionAndCipher(response);
        ByteBuffer in = ByteBuffer.wrap(response);
        int peerId = in.getInt(4);
        if (in.getInt(8) != initiation.localId) {
            throw new HandshakeException("response to another initiation");
        }
        byte[] peerKey = Arrays.copyOfRange(response, 12, 12 + X25519.KEY_LENGTH);
        byte[] material = keyMaterial(initiation.ephemeral, peerKey, initiation.message, response);
        return split(material, initiation.localId, peerId, true);
    }

    /** Returns the receiver id field of a response (unauthenticated: only to pick the initiation to check). */
    static int receiverId(byte[] response) {
        return response.length < 12 ? 0 : ByteBuffer.wrap(response).getInt(8);
    }

    private void verifyMac(byte[] message, int macAt, byte[]... covered) throws HandshakeException {
        byte[] expected = Hkdf.hmac(macKey, covered);
        byte[] actual = Arrays.copyOfRange(message, macAt, macAt + Hkdf.HASH_LENGTH);
        // Constant time, so the comparison leaks nothing about the expected MAC.
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new HandshakeException("authentication failed: the peer does not use the same key file "
                    + "(or the message was altered)");
        }
    }

    private void checkVersionAndCipher(byte[] message) throws HandshakeException {
        int version = message[1] & 0xff;
        if (version != WireFormat.VERSION) {
            throw new HandshakeException("peer speaks protocol version " + version + ", this end " + WireFormat.VERSION);
        }
        int cipherId = message[2] & 0xff;
        if (cipherId != suite.id()) {
            CipherSuite theirs = CipherSuite.fromId(cipherId);
            throw new HandshakeException("cipher mismatch: the peer uses " + (theirs == null ? "unknown cipher #"
                    + cipherId : theirs.displayName()) + ", this end " + suite.displayName()
                    + " (set the same --cipher on both ends)");
        }
    }

    private byte[] keyMaterial(KeyPair ours, byte[] theirKey, byte[] init, byte[] response) throws HandshakeException {
        byte[] shared;
        try {
            shared = X25519.agree(ours, theirKey);
        } catch (GeneralSecurityException e) {
            throw new HandshakeException("invalid ephemeral key from the peer: " + e.getMessage());
        }
        byte[] prk = Hkdf.extract(sessionSalt, shared);
        Arrays.fill(shared, (byte) 0);
        byte[] info;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SESSION_INFO);
            sha.update(init);
            sha.update(response);
            info = sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] material = Hkdf.expand(prk, info, KEY_MATERIAL);
        Arrays.fill(prk, (byte) 0);
        return material;
    }

    private SessionKeys split(byte[] m, int localId, int remoteId, boolean initiator) {
        int k = CipherSuite.KEY_LENGTH;
        int n = CipherSuite.NONCE_LENGTH;
        byte[] i2rKey = Arrays.copyOfRange(m, 0, k);
        byte[] r2iKey = Arrays.copyOfRange(m, k, 2 * k);
        byte[] i2rIv = Arrays.copyOfRange(m, 2 * k, 2 * k + n);
        byte[] r2iIv = Arrays.copyOfRange(m, 2 * k + n, 2 * k + 2 * n);
        Arrays.fill(m, (byte) 0);
        return initiator
                ? new SessionKeys(suite, localId, remoteId, i2rKey, i2rIv, r2iKey, r2iIv)
                : new SessionKeys(suite, localId, remoteId, r2iKey, r2iIv, i2rKey, i2rIv);
    }
}
