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

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.ObjectUtil;

/**
 * A 48-bit IEEE 802 MAC address. Immutable; held as the low 48 bits of a {@code long} so that
 * comparing and hashing cost nothing.
 */
public final class MacAddress implements Comparable<MacAddress> {

    /** Length of a MAC address in bytes. */
    public static final int LENGTH = 6;
    /** {@code ff:ff:ff:ff:ff:ff}. */
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    /** {@code 00:00:00:00:00:00}. */
    public static final MacAddress ZERO = new MacAddress(0);

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    private final long value;

    private MacAddress(long value) {
        this.value = value & MASK;
    }

    /**
     * Returns the address with the given 48-bit value (first octet most significant).
     *
     * @param value the address in the low 48 bits
     * @return the address
     */
    public static MacAddress fromLong(long value) {
        return new MacAddress(value);
    }

    /**
     * Returns the address with the given octets.
     *
     * @param octets 6 bytes, in wire order
     * @return the address
     */
    public static MacAddress of(byte[] octets) {
        ObjectUtil.checkNotNull(octets, "octets");
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address has 6 octets, not " + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = v << 8 | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /**
     * Parses {@code 02:00:5e:10:00:01} (colons or dashes, either case).
     *
     * @param text the address
     * @return the address
     * @throws IllegalArgumentException if it is not six hexadecimal octets
     */
    public static MacAddress parse(String text) {
        ObjectUtil.checkNotNull(text, "text");
        String[] parts = text.split("[:-]", -1);
        if (parts.length != LENGTH) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            try {
                v = v << 8 | Integer.parseInt(part, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: " + text, e);
            }
        }
        return new MacAddress(v);
    }

    /**
     * Reads 6 bytes as an address value without creating an object.
     *
     * @param buf   the buffer
     * @param index where the address starts
     * @return the 48-bit value
     */
    public static long getLong(ByteBuf buf, int index) {
        return ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
    }

    /**
     * Reads an address.
     *
     * @param buf   the buffer
     * @param index where the address starts
     * @return the address
     */
    public static MacAddress read(ByteBuf buf, int index) {
        return new MacAddress(getLong(buf, index));
    }

    /**
     * Writes an address value at the writer index.
     *
     * @param buf   the buffer
     * @param value the 48-bit value
     */
    static void write(ByteBuf buf, long value) {
        buf.writeShort((int) (value >>> 32));
        buf.writeInt((int) value);
    }

    /**
     * Writes this address at the writer index.
     *
     * @param buf the buffer
     */
    public void write(ByteBuf buf) {
        write(buf, value);
    }

    /** @return the address as the low 48 bits of a long, first octet most significant */
    public long toLong() {
        return value;
    }

    /** @return a new array of the 6 octets in wire order */
    public byte[] toBytes() {
        byte[] octets = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            octets[i] = (byte) (value >>> (40 - 8 * i));
        }
        return octets;
    }

    /** @return whether this is a group address (I/G bit set), broadcast included */
    public boolean isMulticast() {
        return (value & 0x0100_0000_0000L) != 0;
    }

    /** @return whether this is {@code ff:ff:ff:ff:ff:ff} */
    public boolean isBroadcast() {
        return value == MASK;
    }

    /** @return whether the locally administered (U/L) bit is set, as in Linux' random TAP addresses */
    public boolean isLocallyAdministered() {
        return (value & 0x0200_0000_0000L) != 0;
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && ((MacAddress) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int octet = (int) (value >>> (40 - 8 * i)) & 0xFF;
            sb.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return sb.toString();
    }
}
