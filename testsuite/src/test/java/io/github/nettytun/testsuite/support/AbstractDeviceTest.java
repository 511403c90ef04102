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

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

/**
 * Base of the real-device tests: skips without privileges, gives each class an epoll event loop group
 * (shut down after the class) and checks that the class leaves no file descriptor open.
 */
@ExtendWith(FdLeakCheck.class)
public abstract class AbstractDeviceTest {

    protected static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        if (Privileges.hasNetAdmin() && Privileges.inPrivateNetns()) {
            group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        }
    }

    @AfterAll
    static void stopGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    @BeforeEach
    void checkPrivileges() {
        Privileges.assumeDeviceTests();
    }
}
