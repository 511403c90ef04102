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

/**
 * Why a message or frame was dropped; each has a counter in {@link TunnelStats}.
 */
public enum DropReason {
    /** Too short, unknown type or wrong length for its type. */
    MALFORMED("malformed"),
    /** A data message for a session this end does not have (e.g. after a restart). */
    UNKNOWN_SESSION("unknown-session"),
    /** A data message whose counter was seen before or is older than the replay window. */
    REPLAYED("replayed"),
    /** A data message whose authentication tag did not verify: forged, altered or wrong key. */
    AUTH_FAILED("auth-failed"),
    /** A handshake message that failed its MAC, version, cipher or freshness check. */
    HANDSHAKE_FAILED("handshake-failed"),
    /** A handshake message this end did not expect (e.g. a response to nothing). */
    UNEXPECTED_HANDSHAKE("unexpected-handshake"),
    /** A device frame that arrived while no session was up. */
    NO_SESSION("no-session"),
    /** A device frame too large for one message. */
    TOO_LARGE("too-large"),
    /** A deflated message that did not inflate to a frame of acceptable size. */
    BAD_COMPRESSION("bad-compression"),
    /** The device refused a frame. */
    DEVICE_WRITE("device-write"),
    /** The outer socket refused a message. */
    SOCKET_WRITE("socket-write");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** Returns the name used in the stats line. */
    public String label() {
        return label;
    }
}
