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
package io.github.nettytun.testsuite;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.UnprivilegedProcess;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching without CAP_NET_ADMIN: a persistent device owned by uid 65534 can be opened by a process
 * running as 65534 with no capabilities; creating a device, or attaching to one owned by someone else,
 * fails with EPERM and a message that names the remedy.
 */
class TunUnprivilegedAttachTest extends AbstractDeviceTest {

    @Test
    void ownerAttachesWithoutCapabilities() throws Exception {
        String name = Names.next("o");
        createPersistent(name, UnprivilegedProcess.NOBODY);
        try (UnprivilegedProcess nobody = new UnprivilegedProcess()) {
            Commands.Result r = nobody.attach(name);
            assertEquals(0, r.exitCode, r.output);
            assertTrue(r.output.contains("ATTACHED " + name), r.output);
        } finally {
            deletePersistent(name);
        }
    }

    @Test
    void othersAreRefusedWithTheRemedy() throws Exception {
        String owned = Names.next("o");
        createPersistent(owned, 12345);
        try (UnprivilegedProcess nobody = new UnprivilegedProcess()) {
            Commands.Result notOwner = nobody.attach(owned);
            assertEquals(3, notOwner.exitCode, notOwner.output);
            assertTrue(notOwner.output.contains("FAILED errno=1 "), notOwner.output);
            assertTrue(notOwner.output.contains("belongs to another user"), notOwner.output);

            String fresh = Names.next("n");
            Commands.Result create = nobody.attach(fresh);
            assertEquals(3, create.exitCode, create.output);
            assertTrue(create.output.contains("FAILED errno=1 "), create.output);
            assertTrue(create.output.contains("CAP_NET_ADMIN"), create.output);
            assertTrue(!Commands.linkExists(fresh), "no device was created");
        } finally {
            deletePersistent(owned);
        }
    }

    private static void createPersistent(String name, int owner) throws InterruptedException {
        Channel ch = new Bootstrap().group(group).channel(EpollTunChannel.class)
                .option(TunChannelOption.PERSIST, true)
                .option(TunChannelOption.OWNER, owner)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new TunAddress(name)).sync().channel();
        ch.close().sync();
        assertTrue(Commands.linkExists(name), "persistent device outlives its channel");
    }

    private static void deletePersistent(String name) {
        Commands.ip("link", "del", "dev", name);
        assertTrue(!Commands.linkExists(name));
    }
}
