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
import io.github.nettytun.channel.TunFlags;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code /dev/net/tun} calls: open, {@code TUNSETIFF} and the other {@code TUN*} ioctls of
 * {@code <linux/if_tun.h>}. Every failure becomes a {@link TunException} that says what to do.
 *
 * <p>Internal API: used by the channels of this project, not meant for applications.
 */
public final class TunIoctls {
    /** Default path of the clone device. */
    public static final String DEFAULT_CLONE_DEVICE = "/dev/net/tun";
    /**
     * System property naming another clone device node (for example {@code /dev/tun} on some systems, or a
     * node with other permissions made with {@code mknod <path> c 10 200}).
     */
    public static final String CLONE_DEVICE_PROPERTY = "io.github.nettytun.cloneDevice";
    /** Longest interface name, without the terminating NUL ({@code IFNAMSIZ - 1}). */
    public static final int MAX_NAME_LENGTH = 15;

    // x86_64/aarch64 values of the _IOW/_IOR encodings in <linux/if_tun.h>.
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETPERSIST = 0x400454cbL;
    static final long TUNSETOWNER = 0x400454ccL;
    static final long TUNSETGROUP = 0x400454ceL;
    static final long TUNGETFEATURES = 0x800454cfL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNGETSNDBUF = 0x800454d3L;
    static final long TUNSETSNDBUF = 0x400454d4L;
    static final long TUNGETVNETHDRSZ = 0x800454d7L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final long TUNSETQUEUE = 0x400454d9L;
    static final long TUNSETCARRIER = 0x400454e2L;
    static final long TUNSETTXFILTER = 0x400454d1L;
    static final long TUNSETIFINDEX = 0x400454daL;
    static final long TUNATTACHFILTER = 0x401054d5L;
    static final long TUNDETACHFILTER = 0x401054d6L;
    static final long TUNSETSTEERINGEBPF = 0x800454e0L;
    static final long TUNSETFILTEREBPF = 0x800454e1L;
    /**
     * {@code _IOR('T', 228, struct tun_vnet_hash)} of the proposed (not merged) virtio-net hash series,
     * with its 8-byte structure. Only probed, never relied on.
     */
    static final long TUNGETVNETHASHCAP = 0x800854e4L;

    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    static final int IFREQ_SIZE = 40;
    static final int IFREQ_UNION_OFFSET = 16;

    private TunIoctls() {
    }

    /**
     * Opens the clone device non-blocking and close-on-exec.
     *
     * @return the new file descriptor
     * @throws TunException if the device node is missing or not accessible, with the remedy
     */
    public static int openCloneDevice() {
        String path = System.getProperty(CLONE_DEVICE_PROPERTY, DEFAULT_CLONE_DEVICE);
        try {
            return LibC.INSTANCE.open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            switch (errno) {
                case Errno.ENOENT:
                case Errno.ENODEV:
                case Errno.ENXIO:
                    throw new TunException(path + " is missing (" + Errno.name(errno)
                            + "): load the tun module with 'modprobe tun', or create the node with "
                            + "'mknod /dev/net/tun c 10 200' (inside a container: pass the device in)", errno, e);
                case Errno.EACCES:
                case Errno.EPERM:
                    throw new TunException("no permission to open " + path + " (" + Errno.name(errno)
                            + "): run as root, or give this user read/write access to the device node", errno, e);
                default:
                    throw new TunException("open(" + path + ") failed: " + Errno.name(errno), errno, e);
            }
        }
    }

    /**
     * Closes a file descriptor, ignoring errors (used on failure paths before a channel owns it).
     *
     * @param fd the descriptor
     */
    public static void closeQuietly(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // Nothing useful to do: the descriptor is gone either way.
        }
    }

    /**
     * Attaches the fd to a device with {@code TUNSETIFF}, creating the device if it does not exist.
     *
     * @param fd    an fd of the clone device
     * @param name  the interface name or a template such as {@code tun%d}
     * @param flags the {@code IFF_*} flags
     * @return the name of the device the kernel attached
     * @throws TunException with the reason and remedy
     */
    public static String setIff(int fd, String name, int flags) {
        Memory ifreq = ifreq(name);
        ifreq.setShort(IFREQ_UNION_OFFSET, (short) flags);
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETIFF), ifreq);
        } catch (LastErrorException e) {
            throw TunErrors.setIffFailed(name, flags, e.getErrorCode(), e);
        }
        return ifreqName(ifreq);
    }

    /**
     * Returns the name and flags of the device an fd is attached to ({@code TUNGETIFF}).
     *
     * @param fd an attached tun fd
     * @return the device name and its flags
     */
    public static Iff getIff(int fd) {
        Memory ifreq = new Memory(IFREQ_SIZE);
        ifreq.clear();
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNGETIFF), ifreq);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            throw new TunException("TUNGETIFF failed (" + Errno.name(errno) + "): the descriptor "
                    + "is not attached to a TUN/TAP device" + (errno == Errno.ENOTTY ? " (not a tun fd)" : ""),
                    errno, e);
        }
        return new Iff(ifreqName(ifreq), ifreq.getShort(IFREQ_UNION_OFFSET) & 0xffff);
    }

    /**
     * Returns the real flags of a device found with {@code TUNGETIFF}. That ioctl reports
     * {@code IFF_NOFILTER} (no socket filter attached) in bit 0x1000, which is also {@code IFF_NO_PI}, so
     * the packet-information state is read from {@code /sys/class/net/<name>/tun_flags} when this network
     * namespace shows the device; otherwise {@code IFF_NO_PI} (the common case) is assumed.
     *
     * @param iff the answer of {@link #getIff(int)}
     * @return the flags with a trustworthy {@code IFF_NO_PI} bit
     */
    public static int deviceFlags(Iff iff) {
        java.nio.file.Path sys = java.nio.file.Paths.get("/sys/class/net", iff.name(), "tun_flags");
        try {
            String text = new String(java.nio.file.Files.readAllBytes(sys), java.nio.charset.StandardCharsets.US_ASCII);
            int real = Integer.decode(text.trim());
            return (iff.flags() & ~0x1000) | (real & 0x1000);
        } catch (java.io.IOException | NumberFormatException e) {
            return iff.flags() | 0x1000;
        }
    }

    /**
     * Returns the {@code IFF_*} flags this kernel supports ({@code TUNGETFEATURES}).
     *
     * @param fd any fd of the clone device
     * @return the feature flags
     */
    public static int getFeatures(int fd) {
        return getInt(fd, TUNGETFEATURES, "TUNGETFEATURES");
    }

    /** {@code TUNSETPERSIST}. */
    public static void setPersist(int fd, String device, boolean persist) {
        byValue(fd, TUNSETPERSIST, persist ? 1 : 0, "TUNSETPERSIST", device);
    }

    /** {@code TUNSETOWNER}: the uid that may attach without CAP_NET_ADMIN. */
    public static void setOwner(int fd, String device, int uid) {
        byValue(fd, TUNSETOWNER, uid, "TUNSETOWNER", device);
    }

    /** {@code TUNSETGROUP}: the gid whose members may attach without CAP_NET_ADMIN. */
    public static void setGroup(int fd, String device, int gid) {
        byValue(fd, TUNSETGROUP, gid, "TUNSETGROUP", device);
    }

    /** {@code TUNSETOFFLOAD}: the {@code TUN_F_*} offload mask (device-wide). */
    public static void setOffload(int fd, String device, int offloads) {
        byValue(fd, TUNSETOFFLOAD, offloads, "TUNSETOFFLOAD", device);
    }

    /** {@code TUNSETSNDBUF}: how many bytes written to the fd may be in flight in the kernel. */
    public static void setSndbuf(int fd, String device, int bytes) {
        byPointer(fd, TUNSETSNDBUF, bytes, "TUNSETSNDBUF", device);
    }

    /** {@code TUNGETSNDBUF}. */
    public static int getSndbuf(int fd) {
        return getInt(fd, TUNGETSNDBUF, "TUNGETSNDBUF");
    }

    /** {@code TUNSETVNETHDRSZ}: size of the virtio-net header in front of each frame. */
    public static void setVnetHdrSize(int fd, String device, int size) {
        byPointer(fd, TUNSETVNETHDRSZ, size, "TUNSETVNETHDRSZ", device);
    }

    /** {@code TUNGETVNETHDRSZ}. */
    public static int getVnetHdrSize(int fd) {
        return getInt(fd, TUNGETVNETHDRSZ, "TUNGETVNETHDRSZ");
    }

    /** {@code TUNSETCARRIER}: switch the carrier of the device on or off. */
    public static void setCarrier(int fd, String device, boolean on) {
        byPointer(fd, TUNSETCARRIER, on ? 1 : 0, "TUNSETCARRIER", device);
    }

    /**
     * Chooses the interface index of the device the next {@code TUNSETIFF} on this fd creates
     * ({@code TUNSETIFINDEX}); must come before it.
     *
     * @param fd      a fresh fd of the clone device
     * @param ifIndex the index, greater than 0
     */
    public static void setIfIndex(int fd, int ifIndex) {
        byPointer(fd, TUNSETIFINDEX, ifIndex, "TUNSETIFINDEX(" + ifIndex + ")", null);
    }

    /**
     * Sets the transmit filter of a TAP device ({@code TUNSETTXFILTER}, {@code struct tun_filter}); no
     * addresses switch it off.
     *
     * @param fd           any queue of the device
     * @param device       its name, for messages
     * @param allMulticast pass every multicast frame ({@code TUN_FLT_ALLMULTI})
     * @param addresses    6-byte destination addresses that pass
     * @return how many addresses the kernel matches exactly
     */
    public static int setTxFilter(int fd, String device, boolean allMulticast, List<byte[]> addresses) {
        Memory filter = new Memory(4 + 6L * Math.max(1, addresses.size()));
        filter.clear();
        filter.setShort(0, (short) (allMulticast ? 1 : 0));
        filter.setShort(2, (short) addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            filter.write(4 + 6L * i, addresses.get(i), 0, 6);
        }
        try {
            return LibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETTXFILTER), filter);
        } catch (LastErrorException e) {
            throw tapOnlyIoctlFailed(fd, "TUNSETTXFILTER", device,
                    "the transmit filter applies to TAP devices only", e);
        }
    }

    /** {@code TUNSETQUEUE} with {@code IFF_ATTACH_QUEUE} or {@code IFF_DETACH_QUEUE}. */
    public static void setQueue(int fd, String device, int flags) {
        Memory ifreq = new Memory(IFREQ_SIZE);
        ifreq.clear();
        ifreq.setShort(IFREQ_UNION_OFFSET, (short) flags);
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETQUEUE), ifreq);
        } catch (LastErrorException e) {
            throw TunErrors.ioctlFailed("TUNSETQUEUE", device, e.getErrorCode(), e);
        }
    }

    /**
     * Sets (or with -1 removes) the eBPF program that picks the queue of each packet
     * ({@code TUNSETSTEERINGEBPF}, device-wide).
     *
     * @param fd      any queue of the device
     * @param device  its name, for messages
     * @param progFd  an fd of a loaded {@code BPF_PROG_TYPE_SOCKET_FILTER} program, or -1
     */
    public static void setSteeringEbpf(int fd, String device, int progFd) {
        byPointer(fd, TUNSETSTEERINGEBPF, progFd, "TUNSETSTEERINGEBPF", device);
    }

    /**
     * Sets (or with -1 removes) the eBPF program that filters packets before they are queued
     * ({@code TUNSETFILTEREBPF}, device-wide; a return value of 0 drops the packet).
     */
    public static void setFilterEbpf(int fd, String device, int progFd) {
        byPointer(fd, TUNSETFILTEREBPF, progFd, "TUNSETFILTEREBPF", device);
    }

    /**
     * Attaches a classic BPF socket filter to every queue of the device ({@code TUNATTACHFILTER}).
     *
     * @param instructions {@code struct sock_filter} entries: code, jt, jf, k
     */
    public static void attachFilter(int fd, String device, int[][] instructions) {
        Memory program = new Memory(8L * instructions.length);
        for (int i = 0; i < instructions.length; i++) {
            int[] insn = instructions[i];
            program.setShort(8L * i, (short) insn[0]);
            program.setByte(8L * i + 2, (byte) insn[1]);
            program.setByte(8L * i + 3, (byte) insn[2]);
            program.setInt(8L * i + 4, insn[3]);
        }
        Memory fprog = new Memory(16);
        fprog.clear();
        fprog.setShort(0, (short) instructions.length);
        fprog.setPointer(8, program);
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNATTACHFILTER), fprog);
        } catch (LastErrorException e) {
            throw tapOnlyIoctlFailed(fd, "TUNATTACHFILTER", device,
                    "classic BPF filters apply to TAP devices only; on a TUN use an eBPF filter (setFilterProgram)", e);
        }
    }

    /** Removes the classic BPF filter ({@code TUNDETACHFILTER}). */
    public static void detachFilter(int fd, String device) {
        Memory fprog = new Memory(16);
        fprog.clear();
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNDETACHFILTER), fprog);
        } catch (LastErrorException e) {
            throw TunErrors.ioctlFailed("TUNDETACHFILTER", device, e.getErrorCode(), e);
        }
    }

    /**
     * Asks for the virtio-net hash capabilities ({@code TUNGETVNETHASHCAP}) of the proposed hash-reporting
     * series. Mainline Linux (up to 7.0 at least) does not have it and answers {@code EINVAL}.
     *
     * @return the supported hash types
     * @throws UnsupportedOperationException when the kernel does not know the ioctl
     */
    public static int vnetHashCapabilities(int fd) {
        Memory arg = new Memory(8);
        arg.clear();
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNGETVNETHASHCAP), arg);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == Errno.EINVAL || errno == Errno.ENOTTY || errno == Errno.EOPNOTSUPP) {
                throw new UnsupportedOperationException("virtio-net hash reporting (TUNGETVNETHASHCAP/"
                        + "TUNSETVNETHASH) is unsupported by this kernel (" + Errno.name(errno) + "): it is a "
                        + "proposed patch series, not in mainline Linux; steer with TUNSETSTEERINGEBPF instead");
            }
            throw TunErrors.ioctlFailed("TUNGETVNETHASHCAP", null, errno, e);
        }
        return arg.getInt(4);
    }

    /**
     * The exception for a failed ioctl that tun.c accepts on TAP devices only ("Can be set only for TAPs"): on a TUN
     * its {@code EINVAL} gets {@code tapOnly} as the reason.
     */
    private static TunException tapOnlyIoctlFailed(int fd, String what, String device, String tapOnly,
                                                   LastErrorException e) {
        if (e.getErrorCode() == Errno.EINVAL && (getIff(fd).flags() & TunFlags.IFF_TAP) == 0) {
            return new TunException(what + " on " + device + " failed (EINVAL): " + tapOnly, Errno.EINVAL, e);
        }
        return TunErrors.ioctlFailed(what, device, e.getErrorCode(), e);
    }

    private static void byValue(int fd, long request, int value, String what, String device) {
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(request), new NativeLong(value & 0xffffffffL));
        } catch (LastErrorException e) {
            throw TunErrors.ioctlFailed(what, device, e.getErrorCode(), e);
        }
    }

    private static void byPointer(int fd, long request, int value, String what, String device) {
        Memory arg = new Memory(4);
        arg.setInt(0, value);
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(request), arg);
        } catch (LastErrorException e) {
            throw TunErrors.ioctlFailed(what, device, e.getErrorCode(), e);
        }
    }

    private static int getInt(int fd, long request, String what) {
        Memory arg = new Memory(4);
        arg.setInt(0, 0);
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(request), arg);
        } catch (LastErrorException e) {
            throw TunErrors.ioctlFailed(what, null, e.getErrorCode(), e);
        }
        return arg.getInt(0);
    }

    static Memory ifreq(String name) {
        Memory ifreq = new Memory(IFREQ_SIZE);
        ifreq.clear();
        if (name != null) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            ifreq.write(0, bytes, 0, Math.min(bytes.length, MAX_NAME_LENGTH));
        }
        return ifreq;
    }

    static String ifreqName(Memory ifreq) {
        byte[] bytes = ifreq.getByteArray(0, MAX_NAME_LENGTH + 1);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * The answer of {@code TUNGETIFF}: the device name and its flags.
     */
    public static final class Iff {
        private final String name;
        private final int flags;

        Iff(String name, int flags) {
            this.name = name;
            this.flags = flags;
        }

        /** Returns the interface name. */
        public String name() {
            return name;
        }

        /** Returns the {@code IFF_*} flags of the device (as {@code TUNGETIFF} reports them). */
        public int flags() {
            return flags;
        }
    }
}
