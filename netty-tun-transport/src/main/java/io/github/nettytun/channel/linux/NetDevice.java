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

/**
 * Interface set-up through the classic {@code SIOC*} ioctls on an {@code AF_INET} datagram socket:
 * MTU, link state, MAC address, transmit queue length and interface index. These act on the
 * network namespace of the calling thread, like {@code ip link} would.
 *
 * <p>Internal API: used by the channels of this project, not meant for applications.
 */
public final class NetDevice {
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCSIFMTU = 0x8922;
    private static final long SIOCSIFHWADDR = 0x8924;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final long SIOCSIFTXQLEN = 0x8943;

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int IFF_UP = 0x1;
    private static final int IFF_RUNNING = 0x40;
    private static final int ARPHRD_ETHER = 1;

    private NetDevice() {
    }

    /** Returns the interface index ({@code SIOCGIFINDEX}). */
    public static int index(String name) {
        Memory ifreq = call(name, SIOCGIFINDEX, null, "SIOCGIFINDEX");
        return ifreq.getInt(TunIoctls.IFREQ_UNION_OFFSET);
    }

    /** Returns the MTU ({@code SIOCGIFMTU}). */
    public static int mtu(String name) {
        Memory ifreq = call(name, SIOCGIFMTU, null, "SIOCGIFMTU");
        return ifreq.getInt(TunIoctls.IFREQ_UNION_OFFSET);
    }

    /** Sets the MTU ({@code SIOCSIFMTU}). */
    public static void setMtu(String name, int mtu) {
        Memory ifreq = TunIoctls.ifreq(name);
        ifreq.setInt(TunIoctls.IFREQ_UNION_OFFSET, mtu);
        call(name, SIOCSIFMTU, ifreq, "SIOCSIFMTU(" + mtu + ")");
    }

    /** Returns whether the interface is administratively up. */
    public static boolean isUp(String name) {
        return (flags(name) & IFF_UP) != 0;
    }

    /** Brings the interface up or down; does nothing (and needs no privilege) if it already is. */
    public static void setUp(String name, boolean up) {
        int flags = flags(name);
        if (((flags & IFF_UP) != 0) == up) {
            return;
        }
        Memory ifreq = TunIoctls.ifreq(name);
        ifreq.setShort(TunIoctls.IFREQ_UNION_OFFSET, (short) (up ? flags | IFF_UP : flags & ~IFF_UP));
        call(name, SIOCSIFFLAGS, ifreq, up ? "SIOCSIFFLAGS(up)" : "SIOCSIFFLAGS(down)");
    }

    /**
     * Waits until the interface is operationally up ({@code IFF_RUNNING}). The kernel turns the carrier
     * on when a queue attaches, but only its link-watch work, run later and sometimes up to a second
     * later, replaces the interface's no-op qdisc: until then everything routed into the device is dropped.
     *
     * @param name          the interface
     * @param timeoutMillis how long to wait at most
     * @return whether the interface is running
     */
    public static boolean awaitRunning(String name, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pauseMicros = 50;
        while ((flags(name) & IFF_RUNNING) == 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pauseMicros * 1000);
            pauseMicros = Math.min(pauseMicros * 2, 10_000);
        }
        return true;
    }

    /** Returns the interface flags ({@code SIOCGIFFLAGS}, the {@code IFF_UP} family, not the TUN flags). */
    public static int flags(String name) {
        Memory ifreq = call(name, SIOCGIFFLAGS, null, "SIOCGIFFLAGS");
        return ifreq.getShort(TunIoctls.IFREQ_UNION_OFFSET) & 0xffff;
    }

    /** Sets the Ethernet address of a TAP device ({@code SIOCSIFHWADDR}). */
    public static void setMacAddress(String name, byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        Memory ifreq = TunIoctls.ifreq(name);
        ifreq.setShort(TunIoctls.IFREQ_UNION_OFFSET, (short) ARPHRD_ETHER);
        ifreq.write(TunIoctls.IFREQ_UNION_OFFSET + 2, mac, 0, 6);
        call(name, SIOCSIFHWADDR, ifreq, "SIOCSIFHWADDR");
    }

    /** Returns the Ethernet address of the interface ({@code SIOCGIFHWADDR}). */
    public static byte[] macAddress(String name) {
        Memory ifreq = call(name, SIOCGIFHWADDR, null, "SIOCGIFHWADDR");
        return ifreq.getByteArray(TunIoctls.IFREQ_UNION_OFFSET + 2, 6);
    }

    /** Sets the transmit queue length ({@code SIOCSIFTXQLEN}). */
    public static void setTxQueueLength(String name, int length) {
        Memory ifreq = TunIoctls.ifreq(name);
        ifreq.setInt(TunIoctls.IFREQ_UNION_OFFSET, length);
        call(name, SIOCSIFTXQLEN, ifreq, "SIOCSIFTXQLEN(" + length + ")");
    }

    private static Memory call(String name, long request, Memory given, String what) {
        Memory ifreq = given != null ? given : TunIoctls.ifreq(name);
        int sock;
        try {
            sock = LibC.INSTANCE.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new TunException("socket(AF_INET) for interface set-up failed: " + Errno.name(e.getErrorCode()),
                    e.getErrorCode(), e);
        }
        try {
            LibC.INSTANCE.ioctl(sock, new NativeLong(request), ifreq);
            return ifreq;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            String message = what + " on " + name + " failed (" + Errno.name(errno) + ")";
            if (errno == Errno.EPERM || errno == Errno.EACCES) {
                message += ": changing an interface needs CAP_NET_ADMIN; without it, leave MTU, addresses, "
                        + "MAC address and link state to whoever created the device";
            } else if (errno == Errno.ENODEV) {
                message += ": no such interface in this network namespace";
            } else if (errno == Errno.EINVAL) {
                message += ": the kernel does not accept this value for this interface";
            }
            throw new TunException(message, errno, e);
        } finally {
            TunIoctls.closeQuietly(sock);
        }
    }
}
