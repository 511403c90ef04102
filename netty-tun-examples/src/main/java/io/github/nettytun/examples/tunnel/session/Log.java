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

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The tunnel's log: one timestamped line per event on standard output. Warnings that an attacker or a
 * misconfigured peer can trigger at packet rate go through {@link #warnLimited} so they cannot flood
 * the log. Nothing logged here ever contains key material.
 */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Map<String, long[]> LIMITS = new HashMap<>();

    private Log() {
    }

    /** Logs an event. */
    public static void info(String message) {
        print("INFO ", message);
    }

    /** Logs a problem. */
    public static void warn(String message) {
        print("WARN ", message);
    }

    /**
     * Logs a problem at most once per {@code intervalMillis} per {@code key}; the next line says how
     * many were suppressed.
     */
    public static synchronized void warnLimited(String key, long intervalMillis, String message) {
        long now = System.nanoTime();
        long[] state = LIMITS.computeIfAbsent(key, k -> new long[] {now - intervalMillis * 1_000_000L - 1, 0});
        if (now - state[0] > intervalMillis * 1_000_000L) {
            String suffix = state[1] > 0 ? " (" + state[1] + " more like this suppressed)" : "";
            state[0] = now;
            state[1] = 0;
            print("WARN ", message + suffix);
        } else {
            state[1]++;
        }
    }

    private static void print(String level, String message) {
        System.out.println(LocalTime.now().format(TIME) + ' ' + level + message);
        System.out.flush();
    }
}
