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
package io.github.nettytun.channel;

import io.netty.channel.ChannelException;

/**
 * A TUN/TAP operation failed. The message names the operation, the device, the kernel's reason and,
 * where there is one, the remedy (for example "needs CAP_NET_ADMIN: run as root or ...").
 */
public class TunException extends ChannelException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * Creates an exception for a failed call.
     *
     * @param message what failed, why and what to do about it
     * @param errno   the positive errno value the kernel returned, or 0 when the failure was detected
     *                before calling the kernel
     */
    public TunException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /**
     * Creates an exception for a failed call with a cause.
     *
     * @param message what failed, why and what to do about it
     * @param errno   the positive errno value, or 0
     * @param cause   the underlying exception
     */
    public TunException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /**
     * Returns the errno value the kernel returned ({@code EPERM} = 1 and so on), or 0 when the
     * failure was found before the kernel was asked.
     *
     * @return the errno value
     */
    public int errno() {
        return errno;
    }
}
