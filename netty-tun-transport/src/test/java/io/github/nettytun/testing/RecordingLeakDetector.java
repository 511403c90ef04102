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
package io.github.nettytun.testing;

import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ResourceLeakDetector} that remembers every leak it reports, so that
 * {@link LeakCheckExtension} can fail the test that caused it. Installed for all tests with
 * {@code -Dio.netty.customResourceLeakDetector=io.github.nettytun.testing.RecordingLeakDetector}
 * (see the parent pom), which makes Netty use it for every reference-counted type from class
 * initialisation on.
 *
 * @param <T> the type of the tracked resource
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    private static final List<String> LEAKS = new ArrayList<>();

    /**
     * Called reflectively by Netty's {@code ResourceLeakDetectorFactory}.
     *
     * @param resourceType     the tracked type
     * @param samplingInterval the sampling interval (ignored at PARANOID)
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /**
     * The older constructor Netty's factory tries first; delegates to the current one.
     *
     * @param resourceType     the tracked type
     * @param samplingInterval the sampling interval
     * @param maxActive        ignored, as by Netty
     */
    @Deprecated
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        record("LEAK of " + resourceType + ':' + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        record("LEAK of " + resourceType + " (untraced)");
        super.reportUntracedLeak(resourceType);
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    /**
     * Returns and forgets the leaks reported so far.
     *
     * @return the reports, oldest first
     */
    public static List<String> drainLeaks() {
        synchronized (LEAKS) {
            List<String> copy = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    /** Returns whether this detector is the one Netty uses (the system property is set). */
    public static boolean isInstalled() {
        return RecordingLeakDetector.class.getName().equals(
                System.getProperty("io.netty.customResourceLeakDetector"));
    }
}
