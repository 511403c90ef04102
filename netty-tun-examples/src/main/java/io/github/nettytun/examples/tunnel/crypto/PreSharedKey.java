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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The secret both ends share, read from a key file. The whole file is the secret (trailing whitespace
 * removed, so a base64 line from {@link #generate} and a raw binary file both work); it is never used
 * directly, only through HKDF, and it never appears in {@link #toString()} or logs.
 */
public final class PreSharedKey {

    /** Fewer bytes than this could be guessed; refuse them. */
    public static final int MIN_LENGTH = 16;

    private final byte[] secret;

    private PreSharedKey(byte[] secret) {
        this.secret = secret;
    }

    /**
     * Reads a key file. Calls {@code warn} (with a message that names the file, never its content) if the
     * file is readable by group or others.
     *
     * @throws IOException if the file cannot be read or holds fewer than {@value #MIN_LENGTH} bytes
     */
    public static PreSharedKey load(Path file, Consumer<String> warn) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                warn.accept("key file " + file + " is readable by " + (perms.contains(PosixFilePermission.OTHERS_READ)
                        ? "everyone" : "its group") + " (mode " + PosixFilePermissions.toString(perms)
                        + "): anyone who reads it can join or impersonate this tunnel; run chmod 600 " + file);
            }
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: nothing to check.
        }
        byte[] raw = Files.readAllBytes(file);
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r' || raw[end - 1] == ' ' || raw[end - 1] == '\t')) {
            end--;
        }
        byte[] secret = Arrays.copyOf(raw, end);
        Arrays.fill(raw, (byte) 0);
        if (secret.length < MIN_LENGTH) {
            throw new IOException("key file " + file + " holds " + secret.length + " bytes; at least " + MIN_LENGTH
                    + " are needed (create one with: genkey " + file + ")");
        }
        return new PreSharedKey(secret);
    }

    /** Writes a new random key (32 bytes, base64) to a file created with mode 600; refuses to overwrite. */
    public static void generate(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(key, (byte) 0);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
        Arrays.fill(text, (byte) 0);
    }

    /** Derives a key for one purpose: HKDF-SHA256 with the secret as input and {@code label} as info. */
    public byte[] derive(String label) {
        byte[] prk = Hkdf.extract("netty-tun-vtun psk".getBytes(StandardCharsets.US_ASCII), secret);
        try {
            return Hkdf.expand(prk, label.getBytes(StandardCharsets.US_ASCII), Hkdf.HASH_LENGTH);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "PreSharedKey(redacted)";
    }
}
