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

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Per-frame raw deflate (java.util.zip), one {@link Deflater} and one {@link Inflater} reused for every
 * frame. Each frame is compressed on its own because datagrams may be lost or reordered. A frame that
 * does not shrink is sent as is.
 *
 * <p>Compressing before encrypting leaks the compressed length; with attacker-chosen data mixed with
 * secrets in one packet that can reveal the secrets (CRIME, BREACH). That is why it is off by default.
 */
final class Compression {

    private final Deflater deflater;
    private final Inflater inflater = new Inflater(true);

    Compression(int level) {
        deflater = new Deflater(level, true);
    }

    /** Returns the deflated length in {@code out}, or -1 if deflating would not save a byte. */
    int deflate(byte[] in, int length, byte[] out) {
        deflater.reset();
        deflater.setInput(in, 0, length);
        deflater.finish();
        int n = deflater.deflate(out, 0, length - 1);
        return deflater.finished() ? n : -1;
    }

    /** Returns the inflated length in {@code out} (at most {@code max}), or -1 if invalid or too long. */
    int inflate(byte[] in, int length, byte[] out, int max) {
        inflater.reset();
        inflater.setInput(in, 0, length);
        try {
            int n = inflater.inflate(out, 0, max);
            return inflater.finished() ? n : -1;
        } catch (DataFormatException e) {
            return -1;
        }
    }

    void close() {
        deflater.end();
        inflater.end();
    }
}
