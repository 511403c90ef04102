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
package io.github.nettytun.testsuite.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * A tiny {@code --key value} / {@code --flag} parser shared by the benchmark programs. It uses only the
 * JDK on purpose: {@link DrasylDut} runs on drasyl's Netty 4.1 class path and must not load anything of
 * Netty 4.2.
 */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    /**
     * Parses {@code --key value} pairs; a {@code --key} followed by another {@code --key} (or nothing) is a
     * flag with the value {@code "true"}.
     *
     * @param args the command line
     * @return the parsed arguments
     */
    public static Args parse(String[] args) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException("expected --key [value], got: " + k);
            }
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                a.values.put(k.substring(2), args[++i]);
            } else {
                a.values.put(k.substring(2), "true");
            }
        }
        return a;
    }

    /** Returns the value of {@code key}, or {@code def}. */
    public String str(String key, String def) {
        return values.getOrDefault(key, def);
    }

    /** Returns the integer value of {@code key}, or {@code def}. */
    public int integer(String key, int def) {
        String v = values.get(key);
        return v == null ? def : Integer.parseInt(v);
    }

    /** Returns the decimal value of {@code key}, or {@code def}. */
    public double decimal(String key, double def) {
        String v = values.get(key);
        return v == null ? def : Double.parseDouble(v);
    }

    /** Returns whether the flag {@code key} was given (and not set to {@code false}). */
    public boolean flag(String key) {
        String v = values.get(key);
        return v != null && !"false".equals(v);
    }
}
