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
package io.github.nettytun.examples.tunnel.session;

import io.github.nettytun.examples.tunnel.crypto.CipherSuite;
import io.github.nettytun.examples.tunnel.crypto.PreSharedKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lanes (several responder {@link Peer}s under one key, {@code --queues}): an initiation accepted by one
 * lane must be refused by every other, as one lane refuses a replayed initiation.
 */
class AcceptedInitiationsTest {

    @TempDir
    Path dir;

    /** Keeps what a peer sends; the tests hand it to the other peer themselves. */
    private static final class Captured implements OuterTransport {
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public int headroom() {
            return 0;
        }

        @Override
        public boolean send(ByteBuf message) {
            byte[] b = new byte[message.readableBytes()];
            message.readBytes(b);
            message.release();
            sent.add(b);
            return true;
        }

        @Override
        public void flush() {
        }

        @Override
        public void authenticated(Object source) {
        }

        @Override
        public void malformed(Object source) {
        }

        @Override
        public void setReading(boolean reading) {
        }

        @Override
        public void reconnect() {
        }
    }

    private Handshake handshake() throws Exception {
        Path f = dir.resolve("k");
        if (!Files.exists(f)) {
            Files.writeString(f, "0123456789abcdef-secret", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return new Handshake(PreSharedKey.load(f, w -> { }), CipherSuite.AES_256_GCM);
    }

    private static PeerSettings settings(boolean initiator) {
        return new PeerSettings(initiator, CipherSuite.AES_256_GCM, 10_000, 30_000, 1_000, 120_000, 100_000_000L,
                2048, 0, 1400);
    }

    /** Returns the initiation message of a fresh client peer. */
    private byte[] initiation(EmbeddedChannel device) throws Exception {
        Captured out = new Captured();
        Peer client = new Peer(settings(true), handshake(), device, new TunnelStats());
        client.start(out);
        client.onLinkUp();
        client.stop();
        assertEquals(1, out.sent.size());
        assertEquals(WireFormat.TYPE_INIT, out.sent.get(0)[0]);
        return out.sent.get(0);
    }

    /** Returns the stats of a server lane after it was handed {@code initiation}. */
    private TunnelStats deliver(byte[] initiation, EmbeddedChannel device, AcceptedInitiations shared)
            throws Exception {
        TunnelStats stats = new TunnelStats();
        Peer lane = new Peer(settings(false), handshake(), device, stats);
        if (shared != null) {
            lane.shareAcceptedInitiations(shared);
        }
        lane.start(new Captured());
        lane.onMessage(Unpooled.wrappedBuffer(initiation.clone()), "198.18.2.2:40000");
        lane.stop();
        return stats;
    }

    @Test
    void anInitiationIsAcceptedByOneLaneOnly() throws Exception {
        EmbeddedChannel device = new EmbeddedChannel();
        try {
            byte[] init = initiation(device);
            AcceptedInitiations shared = new AcceptedInitiations();
            TunnelStats lane0 = deliver(init, device, shared);
            assertEquals(1, lane0.handshakes(), "lane 0 accepts the genuine initiation");
            TunnelStats lane1 = deliver(init, device, shared);
            assertEquals(0, lane1.handshakes(), "lane 1 refuses the same initiation replayed to it");
            assertEquals(1, lane1.drops(DropReason.HANDSHAKE_FAILED));

            // Without the shared record a second lane has no way to know (what the record is for).
            TunnelStats unshared = deliver(init, device, null);
            assertEquals(1, unshared.handshakes());

            // A new initiation is a new message: still accepted.
            assertEquals(1, deliver(initiation(device), device, shared).handshakes());
            assertEquals(2, shared.size());
        } finally {
            device.finishAndReleaseAll();
        }
    }

    @Test
    void oldEntriesAreForgotten() {
        AcceptedInitiations shared = new AcceptedInitiations();
        byte[] a = new byte[80];
        byte[] b = new byte[80];
        b[79] = 1;
        long t0 = System.nanoTime();
        assertTrue(shared.add(a, t0));
        assertFalse(shared.add(a, t0 + 1));
        // Far past the 120 s window an initiation would fail the clock check anyway: no need to keep it.
        assertTrue(shared.add(b, t0 + TimeUnit.SECONDS.toNanos(300)));
        assertEquals(1, shared.size());
    }
}
