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

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.linux.TunIoctls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.FileDescriptor;

/**
 * Program under test (2), the JVM floor: the same kind of fd as {@code EpollTunChannel} (the project's
 * {@code TunIoctls.openCloneDevice} + {@code setIff}), then one thread in a loop over Netty's JNI
 * {@link FileDescriptor#readAddress}/{@link FileDescriptor#writeAddress} with one preallocated direct
 * buffer: no event loop, no pipeline, no allocation. Like the C reference {@code tunrx -m read} the fd is
 * switched to blocking mode, so the thread sleeps in {@code read()} instead of spinning on EAGAIN and its
 * CPU share means the same as C's.
 *
 * <pre>  --dir rx|tx --tun ppsb0 [--mq] [--src .. --dst .. --sport .. --dport .. --len ..]</pre>
 */
public final class BareDut {
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;

    private static volatile long packets;
    private static volatile long errors;

    private BareDut() {
    }

    /** {@code fcntl} through JNA: called twice at start-up, never per packet. */
    interface Fcntl extends Library {
        int fcntl(int fd, int cmd, int arg) throws LastErrorException;
    }

    /**
     * Runs the read or write loop until the JVM is terminated.
     *
     * @param argv see the class comment
     * @throws Exception if the device cannot be attached
     */
    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        boolean tx = "tx".equals(a.str("dir", "rx"));
        Epoll.ensureAvailability(); // FileDescriptor's natives live in the epoll library
        int raw = TunIoctls.openCloneDevice();
        TunIoctls.setIff(raw, a.str("tun", "ppsb0"),
                TunFlags.IFF_TUN | TunFlags.IFF_NO_PI | (a.flag("mq") ? TunFlags.IFF_MULTI_QUEUE : 0));
        Fcntl libc = Native.load("c", Fcntl.class);
        libc.fcntl(raw, F_SETFL, libc.fcntl(raw, F_GETFL, 0) & ~O_NONBLOCK);
        FileDescriptor fd = new FileDescriptor(raw);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.println("bare " + (tx ? "tx" : "rx") + " packets=" + packets + " errors=" + errors)));
        System.err.println("READY " + a.str("tun", "ppsb0") + " (bare FileDescriptor loop " + (tx ? "tx" : "rx") + ")");
        if (tx) {
            byte[] packet = Ipv4Udp.build(a.str("src", "198.18.0.2"), a.str("dst", "198.18.0.1"),
                    a.integer("sport", 40000), a.integer("dport", 9000), a.integer("len", 1400));
            ByteBuf buf = Unpooled.directBuffer(packet.length).writeBytes(packet);
            writeLoop(fd, buf.memoryAddress(), packet.length);
        } else {
            ByteBuf buf = Unpooled.directBuffer(65536);
            readLoop(fd, buf.memoryAddress(), buf.capacity());
        }
    }

    // Local counters, published every 1024 packets: a volatile store per packet would cost more than C pays.
    private static void readLoop(FileDescriptor fd, long address, int capacity) {
        long n = 0;
        for (;;) {
            try {
                if (fd.readAddress(address, 0, capacity) > 0) {
                    if ((++n & 1023) == 0) {
                        packets = n;
                    }
                }
            } catch (Exception e) {
                errorOrExit(e);
            }
        }
    }

    private static void writeLoop(FileDescriptor fd, long address, int length) {
        long n = 0;
        for (;;) {
            try {
                if (fd.writeAddress(address, 0, length) > 0) {
                    if ((++n & 1023) == 0) {
                        packets = n;
                    }
                }
            } catch (Exception e) {
                errorOrExit(e);
            }
        }
    }

    private static void errorOrExit(Exception e) {
        if (++errors <= 5) {
            e.printStackTrace();
        }
        if (errors > 1000) {
            // The device is gone (EBADFD forever): stop instead of spinning.
            System.exit(1);
        }
    }
}
