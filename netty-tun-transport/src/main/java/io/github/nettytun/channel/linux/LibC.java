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
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls the transport makes through JNA: only to open and configure devices. The
 * per-packet path never comes here (a JNA call costs microseconds); it uses Netty's JNI
 * {@link io.netty.channel.unix.FileDescriptor}.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** {@code ioctl} whose argument is a pointer to a structure or an int. */
    int ioctl(int fd, NativeLong request, Pointer argument) throws LastErrorException;

    /** {@code ioctl} whose argument is passed by value (e.g. {@code TUNSETPERSIST}, {@code TUNSETOFFLOAD}). */
    int ioctl(int fd, NativeLong request, NativeLong argument) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    NativeLong sendto(int fd, Pointer buffer, NativeLong length, int flags, Pointer address, int addressLength)
            throws LastErrorException;

    NativeLong recv(int fd, Pointer buffer, NativeLong length, int flags) throws LastErrorException;

    int getuid();

    int getgid();
}
