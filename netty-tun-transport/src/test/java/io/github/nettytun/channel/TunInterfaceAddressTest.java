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


import io.github.nettytun.codec.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and validation of {@link TunInterfaceAddress} and {@link TunTxFilter} (no device needed). */
class TunInterfaceAddressTest {

    @Test
    void parsesSubnetAndPointToPointForms() throws Exception {
        TunInterfaceAddress subnet = TunInterfaceAddress.parse("198.18.0.1/24");
        assertEquals(InetAddress.getByName("198.18.0.1"), subnet.address());
        assertNull(subnet.peer());
        assertEquals(24, subnet.prefixLength());

        TunInterfaceAddress p2p = TunInterfaceAddress.parse("  198.18.0.1   peer 198.18.0.2/32 ");
        assertEquals(InetAddress.getByName("198.18.0.2"), p2p.peer());
        assertEquals(32, p2p.prefixLength());
        assertEquals("198.18.0.1 peer 198.18.0.2/32", p2p.toString());
        assertEquals(p2p, TunInterfaceAddress.parse(p2p.toString()), "toString parses back");
        assertFalse(p2p.equals(TunInterfaceAddress.parse("198.18.0.1/32")), "the peer is part of the identity");

        TunInterfaceAddress v6 = TunInterfaceAddress.parse("2001:2::1 peer 2001:2::2/128");
        assertTrue(v6.isIpv6());
        assertEquals(InetAddress.getByName("2001:2::2"), v6.peer());
    }

    @Test
    void refusesMalformedAddresses() {
        assertThrows(IllegalArgumentException.class, () -> TunInterfaceAddress.parse("198.18.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TunInterfaceAddress.parse("198.18.0.1/33"));
        assertThrows(IllegalArgumentException.class, () -> TunInterfaceAddress.parse("example.org/24"));
        assertThrows(IllegalArgumentException.class, () -> TunInterfaceAddress.parse("198.18.0.1 peer"));
        assertThrows(IllegalArgumentException.class, () -> TunInterfaceAddress.parse("198.18.0.1 via 198.18.0.2/32"));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> TunInterfaceAddress.parse("198.18.0.1 peer 2001:2::2/128"));
        assertTrue(mixed.getMessage().contains("same IP version"), mixed.getMessage());
    }

    @Test
    void transmitFilterKeepsOrderAndFlags() {
        MacAddress a = MacAddress.parse("02:00:5e:10:00:0a");
        MacAddress b = MacAddress.parse("02:00:5e:10:00:0b");
        TunTxFilter f = TunTxFilter.of(a, b);
        assertEquals(List.of(a, b), f.addresses());
        assertFalse(f.isAllMulticast());
        assertTrue(f.allMulticast().isAllMulticast());
        assertTrue(TunTxFilter.NONE.isNone());
        assertThrows(IllegalStateException.class, TunTxFilter.NONE::allMulticast);
        assertThrows(IllegalArgumentException.class, () -> TunTxFilter.of(List.of()));
    }
}
