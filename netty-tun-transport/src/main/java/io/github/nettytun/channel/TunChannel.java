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

import io.netty.channel.Channel;

/**
 * A {@link Channel} over one queue (file descriptor) of a Linux TUN or TAP device. Each inbound
 * message is a {@link io.netty.buffer.ByteBuf} holding exactly one frame as the kernel returned it
 * (with the packet information and virtio-net headers when they are enabled); each outbound
 * {@link io.netty.buffer.ByteBuf} or {@link io.netty.buffer.ByteBufHolder} is written as one frame.
 */
public interface TunChannel extends Channel {

    @Override
    TunChannelConfig config();

    /**
     * Returns the device's name and interface index once bound, {@code null} before.
     */
    @Override
    TunAddress localAddress();

    /** Always {@code null}: a device has no remote peer. */
    @Override
    TunAddress remoteAddress();

    /**
     * Returns the device's {@code IFF_*} flags as {@code TUNGETIFF} reported them at bind (see
     * {@link TunFlags#toString(int)}), or 0 before bind. {@code TUNGETIFF} uses bit 0x1000 for "no
     * socket filter attached" ({@code IFF_NOFILTER}), the same bit as {@code IFF_NO_PI}; this method
     * puts the packet-information state in that bit instead.
     *
     * @return the flags
     */
    int deviceFlags();

    /**
     * Returns the {@code IFF_*} flags this kernel supports ({@code TUNGETFEATURES}).
     *
     * @return the supported flags
     */
    int kernelFeatures();

    /**
     * Returns the number of frames dropped because they were longer than the read buffer (the MTU
     * was raised behind the channel's back); the buffer grows after the first such frame.
     *
     * @return the count
     */
    long truncatedFrames();
}
