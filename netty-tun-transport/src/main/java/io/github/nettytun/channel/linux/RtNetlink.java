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
package io.github.nettytun.channel.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.github.nettytun.channel.TunException;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Adds IPv4 and IPv6 addresses to an interface with an {@code RTM_NEWADDR} request on an
 * {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket, as {@code ip addr replace} does, waiting for
 * the kernel's acknowledgement. Several addresses per family are possible this way (the
 * {@code SIOCSIFADDR} ioctl only knows one IPv4 address).
 *
 * <p>Internal API: used by the channels of this project, not meant for applications.
 */
public final class RtNetlink {
    private static final int AF_NETLINK = 16;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;

    private static final short RTM_NEWADDR = 20;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_GETROUTE = 26;
    private static final short RTA_DST = 1;
    private static final byte RTN_LOCAL = 2;
    private static final int RTMSG_LEN = 12;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_REPLACE = 0x100;
    private static final short NLM_F_CREATE = 0x400;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final int IFA_F_NODAD = 0x02;
    private static final int RT_SCOPE_UNIVERSE = 0;

    private static final int NLMSG_HDRLEN = 16;
    private static final int IFADDRMSG_LEN = 8;

    private RtNetlink() {
    }

    /**
     * Adds (or replaces) an address with its prefix length on an interface.
     *
     * @param ifIndex      the interface index
     * @param ifName       the interface name (for messages)
     * @param address      an IPv4 or IPv6 address
     * @param prefixLength 0..32 or 0..128
     * @param noDad        for IPv6: skip duplicate address detection, so the address is usable at
     *                     once (a point-to-point TUN has no neighbours to collide with)
     */
    public static void addAddress(int ifIndex, String ifName, InetAddress address, int prefixLength, boolean noDad) {
        addAddress(ifIndex, ifName, address, null, prefixLength, noDad);
    }

    /**
     * Adds (or replaces) an address on an interface; with a {@code peer}, a point-to-point address
     * ({@code IFA_LOCAL} this end, {@code IFA_ADDRESS} the other, the prefix length applying to the peer).
     *
     * @param ifIndex      the interface index
     * @param ifName       the interface name (for messages)
     * @param address      an IPv4 or IPv6 address
     * @param peer         the other end of a point-to-point link, or {@code null}
     * @param prefixLength 0..32 or 0..128
     * @param noDad        for IPv6: skip duplicate address detection
     */
    public static void addAddress(int ifIndex, String ifName, InetAddress address, InetAddress peer, int prefixLength,
                                  boolean noDad) {
        byte[] raw = address.getAddress();
        byte[] remote = peer == null ? raw : peer.getAddress();
        boolean v6 = address instanceof Inet6Address;
        int attributeLength = align(4 + raw.length);
        int total = NLMSG_HDRLEN + IFADDRMSG_LEN + 2 * attributeLength;
        Memory request = new Memory(total);
        request.clear();
        request.setInt(0, total);
        request.setShort(4, RTM_NEWADDR);
        request.setShort(6, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE));
        request.setInt(8, 1);
        request.setInt(12, 0);
        int offset = NLMSG_HDRLEN;
        request.setByte(offset, (byte) (v6 ? AF_INET6 : AF_INET));
        request.setByte(offset + 1, (byte) prefixLength);
        request.setByte(offset + 2, (byte) (v6 && noDad ? IFA_F_NODAD : 0));
        request.setByte(offset + 3, (byte) RT_SCOPE_UNIVERSE);
        request.setInt(offset + 4, ifIndex);
        offset += IFADDRMSG_LEN;
        offset = putAttribute(request, offset, IFA_LOCAL, raw);
        putAttribute(request, offset, IFA_ADDRESS, remote);

        String what = "adding address " + address.getHostAddress()
                + (peer == null ? "" : " peer " + peer.getHostAddress()) + '/' + prefixLength + " to " + ifName;
        Memory reply;
        try {
            reply = transact(request, total);
        } catch (LastErrorException e) {
            throw new TunException(what + " failed: netlink: " + Errno.name(e.getErrorCode()), e.getErrorCode(), e);
        }
        if (reply == null || reply.getShort(4) != NLMSG_ERROR) {
            throw new TunException(what + " failed: unexpected netlink answer", 0);
        }
        int error = -reply.getInt(NLMSG_HDRLEN);
        if (error != 0) {
            String message = what + " failed (" + Errno.name(error) + ")";
            if (error == Errno.EPERM || error == Errno.EACCES) {
                message += ": this needs CAP_NET_ADMIN";
            } else if (v6 && (error == Errno.EOPNOTSUPP || error == Errno.ENOENT)) {
                message += ": IPv6 is off on this interface (MTU below 1280, or disable_ipv6 is set)";
            } else if (error == Errno.EINVAL) {
                message += ": invalid prefix length or address for this interface";
            }
            throw new TunException(message, error);
        }
    }

    /**
     * Sends one request to the kernel on a fresh {@code NETLINK_ROUTE} socket and returns the first answer.
     *
     * @return the answer, or {@code null} if it is shorter than a message header plus 12 bytes
     */
    private static Memory transact(Memory request, int length) {
        int sock = LibC.INSTANCE.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        try {
            Memory kernel = new Memory(12);
            kernel.clear();
            kernel.setShort(0, (short) AF_NETLINK);
            LibC.INSTANCE.sendto(sock, request, new NativeLong(length), 0, kernel, 12);
            Memory reply = new Memory(8192);
            long n = LibC.INSTANCE.recv(sock, reply, new NativeLong(reply.size()), 0).longValue();
            return n >= NLMSG_HDRLEN + RTMSG_LEN ? reply : null;
        } finally {
            TunIoctls.closeQuietly(sock);
        }
    }

    /**
     * Waits until the kernel routes an address of this host locally ({@code ip route get} answers
     * {@code local}). An IPv6 address reports success before its local route is in place (the
     * address's set-up finishes in the kernel's workqueue), and packets to it that arrive meanwhile are
     * dropped as not ours ({@code Ip6InAddrErrors}).
     *
     * @param address       the address just added
     * @param timeoutMillis how long to wait at most
     * @return whether the address is routed locally
     */
    public static boolean awaitLocalRoute(InetAddress address, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pauseMicros = 50;
        while (!isLocal(address)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pauseMicros * 1000);
            pauseMicros = Math.min(pauseMicros * 2, 10_000);
        }
        return true;
    }

    private static boolean isLocal(InetAddress address) {
        byte[] raw = address.getAddress();
        boolean v6 = address instanceof Inet6Address;
        int total = NLMSG_HDRLEN + RTMSG_LEN + align(4 + raw.length);
        Memory request = new Memory(total);
        request.clear();
        request.setInt(0, total);
        request.setShort(4, RTM_GETROUTE);
        request.setShort(6, NLM_F_REQUEST);
        request.setInt(8, 1);
        request.setByte(NLMSG_HDRLEN, (byte) (v6 ? AF_INET6 : AF_INET));
        request.setByte(NLMSG_HDRLEN + 1, (byte) (raw.length * 8));
        putAttribute(request, NLMSG_HDRLEN + RTMSG_LEN, RTA_DST, raw);
        try {
            Memory reply = transact(request, total);
            return reply != null && reply.getShort(4) == RTM_NEWROUTE && reply.getByte(NLMSG_HDRLEN + 7) == RTN_LOCAL;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private static int putAttribute(Memory buffer, int offset, short type, byte[] value) {
        buffer.setShort(offset, (short) (4 + value.length));
        buffer.setShort(offset + 2, type);
        buffer.write(offset + 4, value, 0, value.length);
        return offset + align(4 + value.length);
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }
}
