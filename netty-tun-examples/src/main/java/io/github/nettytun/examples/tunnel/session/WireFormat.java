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

/**
 * The tunnel's messages, as carried in one UDP datagram or one length-prefixed TCP frame. Every
 * message starts with a type byte. Integers are big-endian.
 *
 * <pre>
 * handshake initiation (80 bytes)     type=1 | version | cipher | 0 | sender id (4) | timestamp us (8)
 *                                     | ephemeral X25519 key (32) | HMAC-SHA256 over all before (32)
 * handshake response (76 bytes)       type=2 | version | cipher | 0 | sender id (4) | receiver id (4)
 *                                     | ephemeral X25519 key (32) | HMAC over all before + the initiation (32)
 * data (13 + n + 16 bytes)            type=3 (packet) / 4 (deflated packet) / 5 (keepalive, n = 0)
 *                                     | receiver id (4) | counter (8) | AEAD(packet) | tag (16)
 * </pre>
 *
 * The 13-byte data header is the AEAD's associated data, so type, session and counter are authenticated
 * too; the counter also forms the nonce.
 */
public final class WireFormat {

    /** Handshake initiation. */
    public static final int TYPE_INIT = 1;
    /** Handshake response. */
    public static final int TYPE_RESPONSE = 2;
    /** A device frame, as read. */
    public static final int TYPE_DATA = 3;
    /** A device frame, deflated. */
    public static final int TYPE_DATA_DEFLATED = 4;
    /** No frame; proves the session is alive. */
    public static final int TYPE_KEEPALIVE = 5;

    /** Protocol version in handshake messages. */
    public static final int VERSION = 1;
    /** Bytes in front of a data message's ciphertext. */
    public static final int DATA_HEADER_LENGTH = 13;
    /** Bytes a data message adds to a frame. */
    public static final int DATA_OVERHEAD = DATA_HEADER_LENGTH + CipherSuite.TAG_LENGTH;
    /** Length of a handshake initiation. */
    public static final int INIT_LENGTH = 80;
    /** Length of a handshake response. */
    public static final int RESPONSE_LENGTH = 76;
    /** Largest message: what a 16-bit TCP length prefix can describe. */
    public static final int MAX_MESSAGE = 65535;

    private WireFormat() {
    }
}
