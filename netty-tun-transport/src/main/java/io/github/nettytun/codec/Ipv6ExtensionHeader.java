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
package io.github.nettytun.codec;

import io.netty.util.internal.ObjectUtil;

/**
 * One IPv6 extension header as it appears in a decoded {@link Ipv6Packet}: its own type (the
 * next-header value that named it) and its bytes, starting with its next-header field.
 */
public final class Ipv6ExtensionHeader {

    private final int type;
    private final byte[] bytes;

    /**
     * Creates a header.
     *
     * @param type  the protocol number of this header, such as {@link IpProtocols#HOP_BY_HOP}
     * @param bytes the header's bytes; copied
     */
    public Ipv6ExtensionHeader(int type, byte[] bytes) {
        ObjectUtil.checkNotNull(bytes, "bytes");
        if (bytes.length < 8) {
            throw new IllegalArgumentException("an extension header has at least 8 bytes: " + bytes.length);
        }
        this.type = type;
        this.bytes = bytes.clone();
    }

    /** @return the protocol number of this header */
    public int type() {
        return type;
    }

    /** @return the next-header field: the type of what follows this header */
    public int nextHeader() {
        return bytes[0] & 0xFF;
    }

    /** @return the length of this header in bytes */
    public int length() {
        return bytes.length;
    }

    /** @return a copy of this header's bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "Ipv6ExtensionHeader(type=" + type + ", next=" + nextHeader() + ", " + bytes.length + "B)";
    }
}
