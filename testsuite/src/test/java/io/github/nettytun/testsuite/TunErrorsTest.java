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
import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunInterfaceAddress;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.epoll.EpollTunChannel;
import io.github.nettytun.channel.linux.Errno;
import io.github.nettytun.channel.linux.TunIoctls;
import io.github.nettytun.testsuite.support.AbstractDeviceTest;
import io.github.nettytun.testsuite.support.Commands;
import io.github.nettytun.testsuite.support.Names;
import io.github.nettytun.testsuite.support.TestNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error a user can run into gives the reason and the remedy, and leaves nothing behind.
 */
class TunErrorsTest extends AbstractDeviceTest {

    private static Bootstrap bootstrap() {
        return new Bootstrap().group(group).channel(EpollTunChannel.class).handler(new ChannelInboundHandlerAdapter());
    }

    private static TunException bindFails(Bootstrap b, String name, int errno) throws InterruptedException {
        ChannelFuture f = b.bind(new TunAddress(name)).await();
        assertFalse(f.isSuccess(), "bind to " + name + " should fail");
        Throwable cause = f.cause();
        while (!(cause instanceof TunException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof TunException, "expected a TunException: " + f.cause());
        TunException e = (TunException) cause;
        assertEquals(errno, e.errno(), e.getMessage());
        if (f.channel() instanceof EpollTunChannel) {
            assertTrue(f.channel().closeFuture().await(2000), "a failed bind closes the channel (and its fd)");
        }
        return e;
    }

    @Test
    void missingCloneDeviceNamesTheModule() throws Exception {
        String previous = System.getProperty(TunIoctls.CLONE_DEVICE_PROPERTY);
        System.setProperty(TunIoctls.CLONE_DEVICE_PROPERTY, "/nonexistent-nettytun/tun");
        try {
            TunException e = bindFails(bootstrap(), Names.next("x"), Errno.ENOENT);
            assertTrue(e.getMessage().contains("modprobe tun"), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(TunIoctls.CLONE_DEVICE_PROPERTY);
            } else {
                System.setProperty(TunIoctls.CLONE_DEVICE_PROPERTY, previous);
            }
        }
    }

    @Test
    void invalidNamesAreRejectedBeforeTheKernel() {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> new TunAddress("sixteen-bytes-xx"));
        assertTrue(tooLong.getMessage().contains("at most 15"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TunAddress("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new TunAddress("has space"));
        assertThrows(IllegalArgumentException.class, () -> new TunAddress(".."));
        assertThrows(IllegalArgumentException.class, () -> new TunAddress("t%d%d"));
        assertThrows(IllegalArgumentException.class, () -> new TunAddress(""));
        assertEquals("fifteen-bytes-x", new TunAddress("fifteen-bytes-x").ifName());
    }

    @Test
    void singleQueueDeviceIsBusy() throws Exception {
        String name = Names.next("b");
        Channel first = bootstrap().bind(new TunAddress(name)).sync().channel();
        try {
            TunException e = bindFails(bootstrap(), name, Errno.EBUSY);
            assertTrue(e.getMessage().contains("already open") && e.getMessage().contains("MULTI_QUEUE"),
                    e.getMessage());
            assertTrue(first.isActive(), "the first channel is unaffected");
        } finally {
            first.close().sync();
        }
    }

    @Test
    void flagsThatDoNotMatchTheExistingDevice() throws Exception {
        String name = Names.next("k");
        Channel tun = bootstrap().option(TunChannelOption.PERSIST, true).bind(new TunAddress(name)).sync().channel();
        tun.close().sync();
        try {
            TunException mode = bindFails(bootstrap().option(TunChannelOption.MODE, TunMode.TAP), name, Errno.EINVAL);
            assertTrue(mode.getMessage().contains("exists as IFF_TUN, not IFF_TAP"), mode.getMessage());
            TunException mq = bindFails(bootstrap().option(TunChannelOption.MULTI_QUEUE, true), name, Errno.EINVAL);
            assertTrue(mq.getMessage().contains("single-queue"), mq.getMessage());
            assertTrue(Commands.linkExists(name), "the existing device is untouched");
        } finally {
            Commands.ip("link", "del", "dev", name);
        }
        TunException notTun = bindFails(bootstrap(), "lo", Errno.EINVAL);
        assertTrue(notTun.getMessage().contains("not a TUN/TAP device"), notTun.getMessage());
    }

    @Test
    void ipv6NeedsMtu1280() throws Exception {
        String name = Names.next("6");
        TunException e = bindFails(bootstrap().option(TunChannelOption.MTU, 1000)
                .option(TunChannelOption.ADDRESSES, List.of(new TunInterfaceAddress(TestNet.LOCAL6, 64))), name, 0);
        assertTrue(e.getMessage().contains("at least 1280"), e.getMessage());
        assertFalse(Commands.linkExists(name), "nothing was created");
    }

    @Test
    void macAddressOnATunIsRefused() throws Exception {
        TunException e = bindFails(bootstrap().option(TunChannelOption.MAC_ADDRESS, new byte[6]), Names.next("h"), 0);
        assertTrue(e.getMessage().contains("TAP devices only"), e.getMessage());
    }

    @Test
    void aFrameTheKernelRejectsFailsOnlyItsOwnWrite() throws Exception {
        String name = Names.next("r");
        Channel ch = bootstrap().option(TunChannelOption.ADDRESSES,
                List.of(new TunInterfaceAddress(InetAddress.getByName("198.18.0.1"), 24))).bind(new TunAddress(name))
                .sync().channel();
        try {
            ByteBuf garbage = Unpooled.directBuffer().writeBytes(new byte[] { 0x00, 0x01, 0x02, 0x03 });
            ChannelFuture bad = ch.writeAndFlush(garbage).await();
            assertFalse(bad.isSuccess());
            TunException e = (TunException) bad.cause();
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("not an IPv4/IPv6 packet") && e.getMessage().contains("stays open"),
                    e.getMessage());
            assertTrue(ch.isActive(), "the channel stays open");

            ChannelFuture empty = ch.writeAndFlush(Unpooled.EMPTY_BUFFER).await();
            assertFalse(empty.isSuccess(), "an empty frame is refused");

            ChannelFuture unsupported = ch.writeAndFlush("a string").await();
            assertTrue(unsupported.cause() instanceof UnsupportedOperationException, String.valueOf(unsupported.cause()));

            ((EpollTunChannel) ch).config().setLinkUp(false);
            ChannelFuture down = ch.writeAndFlush(TunBackpressureTest.udpPacket(Unpooled.directBuffer(), 1, 8))
                    .await();
            assertEquals(Errno.EIO, ((TunException) down.cause()).errno(), String.valueOf(down.cause()));
            assertTrue(down.cause().getMessage().contains("down"), down.cause().getMessage());
            assertTrue(ch.isActive());
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void bindingToSomethingElseThanATunAddress() throws Exception {
        ChannelFuture f = bootstrap().bind(new java.net.InetSocketAddress(0)).await();
        assertTrue(f.cause() instanceof IllegalArgumentException, String.valueOf(f.cause()));
        assertTrue(f.channel().closeFuture().await(2000));
    }
}
