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

import io.netty.buffer.ByteBuf;

/**
 * The socket side of the tunnel, as the {@link Peer} sees it: UDP datagrams or length-framed TCP.
 * Implementations run on the peer's event loop and call back {@link Peer#onMessage},
 * {@link Peer#onLinkUp}, {@link Peer#onLinkDown} and {@link Peer#flushDevice}.
 */
public interface OuterTransport {

    /**
     * Returns how many bytes the transport needs in front of each message it sends (a TCP length
     * prefix); the peer leaves them unwritten at the start of every buffer it passes to {@link #send}.
     */
    int headroom();

    /**
     * Writes one message, without flushing; takes ownership of {@code message} (its readable bytes:
     * {@link #headroom()} bytes of room, then the message).
     *
     * @return {@code false} if there is no peer to send to (the message was released)
     */
    boolean send(ByteBuf message);

    /** Flushes what {@link #send} wrote. */
    void flush();

    /**
     * Tells the transport that a message from {@code source} (as given to {@link Peer#onMessage})
     * authenticated: that is where the peer now is.
     */
    void authenticated(Object source);

    /**
     * Tells the transport that a message from {@code source} cannot be a tunnel message at all (empty, of an
     * unknown type, or shorter than its type requires), counted as {@code malformed}. A datagram is its own
     * frame, so nothing follows from it; on a byte stream it means the message boundaries are lost, and the
     * connection must go.
     */
    void malformed(Object source);

    /** Starts or stops reading from the socket (back-pressure from the device). */
    void setReading(boolean reading);

    /** Drops the connection to the peer and connects again, if the transport has connections. */
    void reconnect();
}
