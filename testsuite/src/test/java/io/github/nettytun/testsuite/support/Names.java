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
package io.github.nettytun.testsuite.support;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Device names for one test run: {@code nt} + a random run tag + a counter, at most 15 bytes, so
 * that everything a run creates is recognisable and no name collides with another run's.
 */
public final class Names {

    private static final String RUN = "nt" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Names() {
    }

    /** Returns the prefix of every name this run uses. */
    public static String runPrefix() {
        return RUN;
    }

    /**
     * Returns a fresh device name.
     *
     * @param kind a one- or two-letter hint ("u" for TUN, "a" for TAP, ...)
     * @return a name such as {@code ntk3fu7}
     */
    public static String next(String kind) {
        return RUN + kind + COUNTER.incrementAndGet();
    }
}
