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
package io.github.nettytun.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.github.nettytun.codec.TestFrames.bytes;
import static io.github.nettytun.codec.TestFrames.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EthernetCodecTest {

    private static final String MACS = "ffffffffffff 020000000401";

    @Test
    void macAddressParsesFormatsAndClassifies() {
        MacAddress mac = MacAddress.parse("02:00:5E:10:00:01");
        assertEquals("02:00:5e:10:00:01", mac.toString());
        assertEquals(mac, MacAddress.of(mac.toBytes()));
        assertEquals(mac, MacAddress.fromLong(0x02005e100001L));
        assertTrue(mac.isLocallyAdministered());
        assertFalse(mac.isMulticast());
        assertTrue(MacAddress.BROADCAST.isBroadcast());
        assertTrue(MacAddress.parse("33-33-00-00-00-16").isMulticast());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:5e:10:00:zz"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
    }

    @Test
    void decodesUntaggedSingleAndDoubleTaggedFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new EthernetDecoder());
        assertTrue(ch.writeInbound(hex(MACS + "0806 aabb")));
        EthernetFrame plain = ch.readInbound();
        assertEquals(MacAddress.BROADCAST, plain.destination());
        assertEquals(MacAddress.parse("02:00:00:00:04:01"), plain.source());
        assertEquals(EtherTypes.ARP, plain.etherType());
        assertEquals(0, plain.tagCount());
        assertArrayEquals(bytes(hex("aabb")), bytes(plain.content()));
        plain.release();

        assertTrue(ch.writeInbound(hex(MACS + "8100 6064 0800 45")));
        EthernetFrame dot1q = ch.readInbound();
        assertEquals(List.of(VlanTag.of(EtherTypes.VLAN_8021Q, 3, false, 100)), dot1q.tags());
        assertEquals(EtherTypes.IPV4, dot1q.etherType());
        assertEquals(18, dot1q.headerLength());
        dot1q.release();

        assertTrue(ch.writeInbound(hex(MACS + "88a8 00c8 8100 b12c 86dd 60")));
        EthernetFrame qinq = ch.readInbound();
        assertEquals(2, qinq.tagCount());
        assertEquals(VlanTag.dot1ad(200), qinq.tag(0));
        VlanTag inner = qinq.tag(1);
        assertEquals(EtherTypes.VLAN_8021Q, inner.tpid());
        assertEquals(300, inner.vid());
        assertEquals(5, inner.pcp());
        assertTrue(inner.dei());
        assertEquals(EtherTypes.IPV6, qinq.etherType());
        qinq.release();
        assertFalse(ch.finish());
    }

    @Test
    void refusesTagFloodsAndTruncation() {
        EthernetDecoder decoder = new EthernetDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        assertFalse(ch.writeInbound(hex(MACS + "8100 0001 8100 0002 8100 0003 0800 45")));
        assertFalse(ch.writeInbound(hex(MACS + "8100 00")));
        assertFalse(ch.writeInbound(hex("ffffffffffff 0200")));
        assertFalse(ch.writeInbound(hex(MACS + "8100 0001")));
        assertEquals(1, decoder.dropCounters().get(DropReason.TOO_MANY_VLAN_TAGS));
        assertEquals(3, decoder.dropCounters().get(DropReason.TRUNCATED));
        assertFalse(ch.finish());

        // A long flood with a generous limit still ends at the limit.
        StringBuilder flood = new StringBuilder(MACS);
        for (int i = 0; i < 5000; i++) {
            flood.append("8100 0001 ");
        }
        EthernetDecoder generous = new EthernetDecoder(MalformedFramePolicy.DROP, new DropCounters(), 64);
        EmbeddedChannel ch2 = new EmbeddedChannel(generous);
        assertFalse(ch2.writeInbound(hex(flood + "0800")));
        assertEquals(1, generous.dropCounters().get(DropReason.TOO_MANY_VLAN_TAGS));
        assertFalse(ch2.finish());
    }

    @Test
    void roundTripsAndBuildsFrames() {
        for (boolean composite : new boolean[] {false, true}) {
            for (String frame : Arrays.asList(MACS + "0806 aabb", MACS + "8100 6064 0800 45",
                    MACS + "88a8 00c8 8100 b12c 86dd 60", MACS + "0800 " + "00".repeat(46))) {
                ByteBuf in = hex(frame);
                byte[] original = bytes(in);
                EmbeddedChannel ch = new EmbeddedChannel(new EthernetDecoder(), new EthernetEncoder(composite));
                assertTrue(ch.writeInbound(in));
                EthernetFrame decoded = ch.readInbound();
                assertTrue(ch.writeOutbound(decoded));
                assertArrayEquals(original, TestFrames.drainOutbound(ch));
                assertFalse(ch.finish());
            }
        }
        EmbeddedChannel ch = new EmbeddedChannel(new EthernetEncoder());
        EthernetFrame built = new EthernetFrame(MacAddress.BROADCAST, MacAddress.parse("02:00:00:00:04:01"),
                List.of(VlanTag.of(EtherTypes.VLAN_8021Q, 3, false, 100)), EtherTypes.IPV4,
                Unpooled.wrappedBuffer(new byte[] {0x45}));
        assertTrue(ch.writeOutbound(built));
        assertArrayEquals(bytes(hex(MACS + "8100 6064 0800 45")), TestFrames.drainOutbound(ch));
        assertFalse(ch.finish());
    }

    @Test
    void vlanTagValidatesFields() {
        assertThrows(IllegalArgumentException.class, () -> VlanTag.of(EtherTypes.VLAN_8021Q, 8, false, 1));
        assertThrows(IllegalArgumentException.class, () -> VlanTag.of(EtherTypes.VLAN_8021Q, 0, false, 4096));
        assertEquals(0x3064, VlanTag.of(EtherTypes.VLAN_8021Q, 1, true, 100).tci());
    }
}
