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

import io.github.nettytun.codec.pcap.PcapReader;
import io.github.nettytun.codec.pcap.PcapRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Shared helpers of the codec tests: addresses, hex, captured frames, and draining embedded channels.
 */
final class TestFrames {

    static final Inet4Address V4_A = v4("198.18.0.1");
    static final Inet4Address V4_B = v4("198.18.0.2");
    static final Inet6Address V6_A = v6("2001:2::1");
    static final Inet6Address V6_B = v6("2001:2::2");

    private TestFrames() {
    }

    static Inet4Address v4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Inet6Address v6(String text) {
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
    }

    static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** The records of a capture under src/test/resources/io/github/nettytun/codec/captures. */
    static List<PcapRecord> capture(String name) {
        try (InputStream in = TestFrames.class.getResourceAsStream("captures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing capture " + name);
            }
            return PcapReader.readAll(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int captureLinkType(String name) {
        try (InputStream in = TestFrames.class.getResourceAsStream("captures/" + name);
             PcapReader reader = new PcapReader(in)) {
            return reader.linkType();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads all outbound buffers of a channel into one array and releases them. */
    static byte[] drainOutbound(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        try {
            for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
                ByteBuf b = (ByteBuf) o;
                all.writeBytes(b);
                b.release();
            }
            return bytes(all);
        } finally {
            all.release();
        }
    }
}
