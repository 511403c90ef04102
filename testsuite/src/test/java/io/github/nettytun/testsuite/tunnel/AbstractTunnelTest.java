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
package io.github.nettytun.testsuite.tunnel;

import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The frame of every tunnel end-to-end test: a fresh {@link TunnelTestBed} (two namespaces and the router
 * between them) per test, and the tunnel processes a test started, stopped afterwards (also on failure), then
 * checked for leak reports and for the key in their logs.
 */
abstract class AbstractTunnelTest extends AbstractDeviceTest {

    /** The key file's text; it must never show up in a log. */
    static final String SECRET = "correct horse battery staple 0123456789";

    TunnelTestBed bed;
    final List<TunnelProcess> processes = new ArrayList<>();

    @BeforeEach
    void setUpBed() throws Exception {
        bed = new TunnelTestBed();
    }

    @AfterEach
    void tearDownBed() throws Exception {
        try {
            for (TunnelProcess p : processes) {
                p.stop();
            }
        } finally {
            if (bed != null) {
                bed.close();
            }
        }
        for (TunnelProcess p : processes) {
            p.assertNoLeaks();
            assertFalse(p.log().contains(SECRET), "the key appeared in " + p + "'s log");
        }
    }
}
