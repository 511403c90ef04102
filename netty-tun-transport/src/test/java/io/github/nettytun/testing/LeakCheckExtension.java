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

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test when Netty's leak detector reports a leaked buffer during or right after it.
 *
 * <p>Registered automatically for every test through {@code META-INF/services} (JUnit extension
 * auto-detection is switched on in {@code junit-platform.properties}). It checks the detector is
 * at PARANOID, and after each test forces a collection and gives the detector a chance to poll its
 * reference queue (the detector only looks when a new resource is tracked).
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid, not "
                    + ResourceLeakDetector.getLevel());
        }
        if (!RecordingLeakDetector.isInstalled()) {
            throw new IllegalStateException("tests must run with -Dio.netty.customResourceLeakDetector="
                    + RecordingLeakDetector.class.getName());
        }
        RecordingLeakDetector.drainLeaks();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks(context.getDisplayName() + " (after all)");
    }

    private static void failOnLeaks(String where) {
        for (int round = 0; round < 3; round++) {
            System.gc();
            System.runFinalization();
            // Tracking a new buffer makes the detector poll its queue of collected, unreleased ones.
            for (int i = 0; i < 8; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
                ByteBuf heap = Unpooled.buffer(16);
                heap.release();
            }
        }
        List<String> leaks = RecordingLeakDetector.drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " buffer leak(s) in " + where + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
