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
package io.github.nettytun.testsuite.support;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Loads tiny eBPF socket-filter programs through the {@code bpf(2)} system call, for the steering and
 * filter tests (the library takes program fds from the user; making them is the user's business).
 */
public final class Bpf {
    private static final long SYS_BPF = 321; // x86_64
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;

    interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        long syscall(long number, Object... args);

        int close(int fd);
    }

    private Bpf() {
    }

    /**
     * Loads {@code r0 = value; exit}: a steering program that picks queue {@code value}, or a filter that
     * keeps {@code value} bytes of each packet (0 drops it).
     *
     * @return the program fd; close it with {@link #close(int)}
     */
    public static int loadReturning(int value) {
        Memory insns = new Memory(16);
        insns.clear();
        insns.setByte(0, (byte) 0xb7); // BPF_ALU64 | BPF_MOV | BPF_K, dst r0
        insns.setInt(4, value);
        insns.setByte(8, (byte) 0x95); // BPF_JMP | BPF_EXIT
        Memory license = new Memory(4);
        license.setString(0, "GPL");
        Memory attr = new Memory(128);
        attr.clear();
        attr.setInt(0, BPF_PROG_TYPE_SOCKET_FILTER);
        attr.setInt(4, 2);
        attr.setPointer(8, insns);
        attr.setPointer(16, license);
        long fd = C.INSTANCE.syscall(SYS_BPF, BPF_PROG_LOAD, attr, 128);
        if (fd < 0) {
            throw new IllegalStateException("bpf(BPF_PROG_LOAD) failed: errno " + Native.getLastError());
        }
        return (int) fd;
    }

    public static void close(int fd) {
        C.INSTANCE.close(fd);
    }
}
