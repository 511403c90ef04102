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
package io.github.nettytun.codec.bench;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as Netty {@code FastThreadLocalThread}s, like event loop threads: Netty 4.2
 * recycles slices and pooled buffer objects only on those, so on JMH's plain threads every slice and
 * buffer handle would show up as allocation that a real pipeline does not have. Selected with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=}this class (see {@link CodecBenchmark#main}).
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {

    /**
     * Called reflectively by JMH.
     *
     * @param maxThreads the number of benchmark threads
     * @param prefix     the thread name prefix
     */
    public FastThreadLocalExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
