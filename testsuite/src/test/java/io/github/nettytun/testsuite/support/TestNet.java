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

import io.github.nettytun.channel.TunInterfaceAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The addresses tests use: only from 198.18.0.0/15 and 2001:2::/48 (DESIGN.md §4). The device gets
 * {@code .1}, the simulated peer behind it (a {@link Reflector}) is {@code .2}.
 */
public final class TestNet {
    public static final InetAddress LOCAL4 = address("198.18.0.1");
    public static final InetAddress PEER4 = address("198.18.0.2");
    public static final InetAddress LOCAL6 = address("2001:2::1");
    public static final InetAddress PEER6 = address("2001:2::2");
    public static final byte[] PEER_MAC = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };

    private TestNet() {
    }

    /** The device's addresses: 198.18.0.1/24 and 2001:2::1/64. */
    public static List<TunInterfaceAddress> deviceAddresses() {
        return List.of(new TunInterfaceAddress(LOCAL4, 24), new TunInterfaceAddress(LOCAL6, 64));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
