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
package io.github.nettytun.testsuite.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Builds the one IPv4/UDP packet the TX writers send: valid IP header and UDP checksums and DF set, so
 * the kernel delivers every packet to the UDP sink instead of dropping it as malformed. Byte-for-byte the
 * packet of the shared harness' C writer ({@code tuntx.c}). JDK only (see {@link Args}).
 */
public final class Ipv4Udp {
    /** IPv4 + UDP header bytes in front of the payload. */
    public static final int HEADERS = 28;

    private Ipv4Udp() {
    }

    /**
     * Returns the packet.
     *
     * @param src     source address (a non-local peer, so the kernel needs no {@code accept_local})
     * @param dst     destination address (the device's own address)
     * @param sport   UDP source port
     * @param dport   UDP destination port (the sink's)
     * @param payload UDP payload bytes
     * @return the whole IPv4 packet
     * @throws UnknownHostException if an address does not parse
     */
    public static byte[] build(String src, String dst, int sport, int dport, int payload)
            throws UnknownHostException {
        byte[] s = ((Inet4Address) InetAddress.getByName(src)).getAddress();
        byte[] d = ((Inet4Address) InetAddress.getByName(dst)).getAddress();
        int udpLen = 8 + payload;
        int total = 20 + udpLen;
        byte[] p = new byte[total];
        p[0] = 0x45;
        p[2] = (byte) (total >>> 8);
        p[3] = (byte) total;
        p[6] = 0x40; // DF: no fragmentation path in the measurement
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(s, 0, p, 12, 4);
        System.arraycopy(d, 0, p, 16, 4);
        int hc = fold(sum(0, p, 0, 20));
        p[10] = (byte) (hc >>> 8);
        p[11] = (byte) hc;
        p[20] = (byte) (sport >>> 8);
        p[21] = (byte) sport;
        p[22] = (byte) (dport >>> 8);
        p[23] = (byte) dport;
        p[24] = (byte) (udpLen >>> 8);
        p[25] = (byte) udpLen;
        for (int i = 0; i < payload; i++) {
            p[HEADERS + i] = (byte) (i * 7 + 1);
        }
        long acc = sum(0, p, 12, 8) + 17 + udpLen; // pseudo header: addresses, protocol, UDP length
        int uc = fold(sum(acc, p, 20, udpLen));
        if (uc == 0) {
            uc = 0xffff; // RFC 768: a computed 0 is sent as all ones
        }
        p[26] = (byte) (uc >>> 8);
        p[27] = (byte) uc;
        return p;
    }

    private static long sum(long acc, byte[] p, int off, int len) {
        int i = 0;
        for (; i + 1 < len; i += 2) {
            acc += ((p[off + i] & 0xff) << 8) | (p[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            acc += (p[off + len - 1] & 0xff) << 8;
        }
        return acc;
    }

    private static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) (~acc & 0xffff);
    }
}
