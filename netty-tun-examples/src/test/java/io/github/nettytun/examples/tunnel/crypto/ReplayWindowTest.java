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
package io.github.nettytun.examples.tunnel.crypto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayWindowTest {

    private static boolean accept(ReplayWindow w, long counter) {
        if (!w.isFresh(counter)) {
            return false;
        }
        w.mark(counter);
        return true;
    }

    @Test
    void inOrderOnceEach() {
        ReplayWindow w = new ReplayWindow(2048);
        for (long i = 0; i < 10_000; i++) {
            assertTrue(accept(w, i));
            assertFalse(accept(w, i));
        }
    }

    @Test
    void outOfOrderInsideTheWindowOnceEach() {
        ReplayWindow w = new ReplayWindow(2048);
        assertEquals(2048, w.size());
        assertTrue(accept(w, 5000));
        assertTrue(accept(w, 5000 - 2047));
        assertFalse(accept(w, 5000 - 2047));
        assertFalse(accept(w, 5000 - 2048), "too old");
        for (long i = 4999; i > 5000 - 2047; i -= 7) {
            assertTrue(accept(w, i));
            assertFalse(accept(w, i));
        }
    }

    @Test
    void bigJumpForgetsEverythingBehind() {
        ReplayWindow w = new ReplayWindow(128);
        for (long i = 0; i < 100; i++) {
            accept(w, i);
        }
        assertTrue(accept(w, 1_000_000));
        assertFalse(accept(w, 99));
        assertTrue(accept(w, 1_000_000 - 100));
        assertFalse(accept(w, 1_000_000 - 100));
        assertFalse(accept(w, -1));
    }

    @Test
    void lookingDoesNotMark() {
        ReplayWindow w = new ReplayWindow(64);
        assertTrue(w.isFresh(1L << 50));
        // A forged message with a huge counter is checked but never marked: the window stays put.
        assertTrue(accept(w, 3));
        assertTrue(accept(w, 2));
    }
}
