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

import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Turns errno values of the TUN/TAP calls into messages that give the reason and the remedy.
 * Where the kernel's answer is ambiguous ({@code EINVAL} from {@code TUNSETIFF} has several
 * causes), the existing device is inspected through sysfs to tell which one it was.
 */
final class TunErrors {

    private static final int TYPE_MASK = TunFlags.IFF_TUN | TunFlags.IFF_TAP;

    private TunErrors() {
    }

    static TunException setIffFailed(String name, int flags, int errno, Throwable cause) {
        String what = "TUNSETIFF(" + name + ", " + TunFlags.toString(flags) + ") failed (" + Errno.name(errno) + "): ";
        switch (errno) {
            case Errno.EPERM:
                return new TunException(what + (deviceExists(name)
                        ? "device " + name + " exists and belongs to another user or group; attaching to it needs "
                          + "CAP_NET_ADMIN, or the device must be created with owner/group set to this process's "
                          + "uid/gid (TunChannelOption.OWNER / GROUP, 'ip tuntap add ... user U group G')"
                        : "creating a device needs CAP_NET_ADMIN: run as root, grant the capability "
                          + "('setcap cap_net_admin+ep <java>'), or have root create a persistent device owned by "
                          + "this user and attach to it"), errno, cause);
            case Errno.EBUSY:
                if ((flags & TunFlags.IFF_TUN_EXCL) != 0 && deviceExists(name)) {
                    return new TunException(what + "device " + name + " exists already and EXCLUSIVE asked for a new "
                            + "one: pick another name (or a template such as tun%d), or attach without "
                            + "TunChannelOption.EXCLUSIVE", errno, cause);
                }
                if (!deviceExists(name)) {
                    // A new device fails with EBUSY only when the index chosen with TUNSETIFINDEX is taken.
                    return new TunException(what + "the interface index chosen with TunChannelOption.IF_INDEX is "
                            + "taken by another interface in this network namespace: pick another, or 0 to let "
                            + "the kernel choose", errno, cause);
                }
                return new TunException(what + "device " + name + " is already open: a single-queue device "
                        + "takes one file descriptor at a time; close the other user, or create the device "
                        + "with IFF_MULTI_QUEUE (TunChannelOption.MULTI_QUEUE) to open several queues", errno, cause);
            case Errno.EINVAL:
                return new TunException(what + explainInvalid(name, flags), errno, cause);
            case Errno.ENOMEM:
                return new TunException(what + "the kernel could not allocate the device", errno, cause);
            default:
                return new TunException(what + "the kernel refused the device", errno, cause);
        }
    }

    private static String explainInvalid(String name, int flags) {
        Path sys = Paths.get("/sys/class/net", name);
        if (!name.contains("%") && Files.isDirectory(sys)) {
            Path tunFlags = sys.resolve("tun_flags");
            if (!Files.exists(tunFlags)) {
                return "an interface named " + name + " exists and is not a TUN/TAP device; pick another name";
            }
            try {
                String text = new String(Files.readAllBytes(tunFlags), StandardCharsets.US_ASCII).trim();
                int existing = Integer.decode(text);
                if ((existing & TYPE_MASK) != (flags & TYPE_MASK)) {
                    return "device " + name + " exists as " + TunFlags.toString(existing & TYPE_MASK)
                            + ", not " + TunFlags.toString(flags & TYPE_MASK) + ": use the same mode (TunChannelOption.MODE)";
                }
                if ((existing & TunFlags.IFF_MULTI_QUEUE) != (flags & TunFlags.IFF_MULTI_QUEUE)) {
                    return "device " + name + ((existing & TunFlags.IFF_MULTI_QUEUE) != 0
                            ? " is multi-queue: attach with IFF_MULTI_QUEUE (TunChannelOption.MULTI_QUEUE)"
                            : " is single-queue: attach without IFF_MULTI_QUEUE");
                }
                return "the flags do not match device " + name + " (existing flags " + TunFlags.toString(existing) + ")";
            } catch (IOException | NumberFormatException e) {
                return "the flags do not match the existing device " + name;
            }
        }
        return "invalid name or flags (names: at most 15 bytes, no '/', ':' or white space; one %d at most)";
    }

    static TunException ioctlFailed(String what, String device, int errno, Throwable cause) {
        String prefix = what + (device == null ? "" : " on " + device) + " failed (" + Errno.name(errno) + ")";
        switch (errno) {
            case Errno.EPERM:
                return new TunException(prefix + ": this needs CAP_NET_ADMIN (run as root or grant the capability)",
                        errno, cause);
            case Errno.EBADFD:
                return new TunException(prefix + ": the device is gone (deleted, or the queue is detached)",
                        errno, cause);
            case Errno.EINVAL:
                return new TunException(prefix + ": the kernel does not accept this value"
                        + ("TUNSETOFFLOAD".equals(what) ? " (unknown offload bits: probe what it supports)" : ""),
                        errno, cause);
            case Errno.ENOTTY:
                return new TunException(prefix + ": not a TUN/TAP descriptor, or the kernel does not know this ioctl",
                        errno, cause);
            default:
                return new TunException(prefix, errno, cause);
        }
    }

    private static boolean deviceExists(String name) {
        return !name.contains("%") && Files.isDirectory(Paths.get("/sys/class/net", name));
    }
}
