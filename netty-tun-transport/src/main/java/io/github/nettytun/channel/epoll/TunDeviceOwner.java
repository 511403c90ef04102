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
package io.github.nettytun.channel.epoll;

import io.github.nettytun.channel.TunAddress;

/**
 * What a {@link EpollTunChannelConfig} needs from the channel it configures: whether a device is attached,
 * which one, a descriptor to run device ioctls on, and who to tell about changes that affect reading.
 */
interface TunDeviceOwner {

    /** Whether a device is attached (bound, adopted, or a queue of a bound multi-queue parent). */
    boolean isDeviceAttached();

    /** The device's name and index. */
    TunAddress localAddress();

    /** A descriptor attached to the device, for {@code TUN*} ioctls. */
    int controlFd();

    /** The MTU was changed through the config: resize reads. */
    void mtuChanged(int mtu);

    /** The offload mask changed: super-packets may now arrive (or no longer). */
    void offloadsChanged(java.util.Set<io.github.nettytun.channel.TunOffload> offloads);

    /** autoRead was switched off: stop watching for input unless a read is pending. */
    void autoReadCleared();
}
