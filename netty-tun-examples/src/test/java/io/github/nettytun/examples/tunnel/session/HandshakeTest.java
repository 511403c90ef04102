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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeTest {

    @TempDir
    Path dir;

    private PreSharedKey key(String name, String secret, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, secret, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        List<String> warnings = new ArrayList<>();
        PreSharedKey k = PreSharedKey.load(f, warnings::add);
        boolean othersCanRead = mode.charAt(3) == 'r' || mode.charAt(6) == 'r';
        assertEquals(othersCanRead, !warnings.isEmpty(), "a warning exactly for readable files: " + warnings);
        warnings.forEach(w -> assertTrue(!w.contains(secret), "warning shows the key"));
        return k;
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void bothEndsDeriveMatchingKeysAndDataFlowsBothWays(CipherSuite suite) throws Exception {
        PreSharedKey psk = key("k", "0123456789abcdef-secret", "rw-------");
        Handshake initiator = new Handshake(psk, suite);
        Handshake responder = new Handshake(psk, suite);
        Handshake.Initiation init = initiator.initiate(11, 1);
        Handshake.Response response = responder.respond(init.message(), 22);
        SessionKeys i = initiator.complete(init, response.message());
        assertEquals(22, i.remoteId);
        assertEquals(11, response.keys().remoteId);

        Session a = new Session(i, 2048, new Session.Scratch(), 0);
        Session b = new Session(response.keys(), 2048, new Session.Scratch(), 0);
        roundTrip(a, b, "from the initiator");
        roundTrip(b, a, "from the responder");
    }

    private static void roundTrip(Session from, Session to, String text) throws Exception {
        byte[] plain = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuf wire = Unpooled.buffer();
        from.seal(WireFormat.TYPE_DATA, plain, plain.length, wire);
        assertEquals(WireFormat.DATA_OVERHEAD + plain.length, wire.readableBytes());
        byte[] copy = new byte[wire.readableBytes()];
        wire.getBytes(0, copy);
        int n = to.open(wire);
        assertEquals(plain.length, n);
        // Replayed: refused by the window.
        assertEquals(Session.REPLAYED, to.open(Unpooled.wrappedBuffer(copy.clone())));
        // Altered, with a fresh counter so the window lets it through to the tag check.
        from.seal(WireFormat.TYPE_DATA, plain, plain.length, wire.clear());
        byte[] altered = new byte[wire.readableBytes()];
        wire.getBytes(0, altered);
        altered[altered.length - 1] ^= 1;
        assertEquals(Session.FORGED, to.open(Unpooled.wrappedBuffer(altered)));
        wire.release();
    }

    @Test
    void wrongKeyFailsWithAClearReason() throws Exception {
        Handshake initiator = new Handshake(key("a", "the first secret key", "rw-------"), CipherSuite.AES_256_GCM);
        Handshake responder = new Handshake(key("b", "the other secret key", "rw-------"), CipherSuite.AES_256_GCM);
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> responder.respond(initiator.initiate(1, 1).message(), 2));
        assertTrue(e.getMessage().contains("same key file"), e.getMessage());
    }

    @Test
    void cipherMismatchIsNamed() throws Exception {
        PreSharedKey psk = key("k", "0123456789abcdef-secret", "rw-r--r--");
        Handshake initiator = new Handshake(psk, CipherSuite.CHACHA20_POLY1305);
        Handshake responder = new Handshake(psk, CipherSuite.AES_256_GCM);
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> responder.respond(initiator.initiate(1, 1).message(), 2));
        assertTrue(e.getMessage().contains("chacha20-poly1305"), e.getMessage());
    }

    @Test
    void alteredResponseIsRefused() throws Exception {
        PreSharedKey psk = key("k", "0123456789abcdef-secret", "rw-------");
        Handshake h = new Handshake(psk, CipherSuite.AES_256_GCM);
        Handshake.Initiation init = h.initiate(1, 1);
        byte[] response = h.respond(init.message(), 2).message();
        for (int i = 0; i < response.length; i += 7) {
            byte[] bad = response.clone();
            bad[i] ^= 0x20;
            assertThrows(HandshakeException.class, () -> h.complete(init, bad), "byte " + i);
        }
        assertThrows(HandshakeException.class, () -> h.complete(init, Arrays.copyOf(response, 40)));
    }

    @Test
    void shortKeyFileIsRefused() throws Exception {
        Path f = dir.resolve("short");
        Files.writeString(f, "short\n");
        assertThrows(java.io.IOException.class, () -> PreSharedKey.load(f, w -> { }));
    }
}
