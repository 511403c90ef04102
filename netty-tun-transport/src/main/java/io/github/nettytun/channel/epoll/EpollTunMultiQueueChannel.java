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
package io.github.nettytun.channel.epoll;

import io.github.nettytun.channel.TunAddress;
import io.github.nettytun.channel.TunChannel;
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.linux.NetDevice;
import io.github.nettytun.channel.linux.TunIoctls;
import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The parent of a multi-queue TUN/TAP device ({@code IFF_MULTI_QUEUE}): binding it opens
 * {@link io.github.nettytun.channel.TunChannelOption#QUEUES} file descriptors of one device and hands
 * each up as a child {@link EpollTunChannel}, so that {@link io.netty.bootstrap.ServerBootstrap}
 * registers the queues on its child event loops:
 *
 * <pre>{@code
 * new ServerBootstrap().group(boss, workers)
 *         .channel(EpollTunMultiQueueChannel.class)
 *         .option(TunChannelOption.QUEUES, 2)
 *         .option(TunChannelOption.ADDRESSES, List.of(TunInterfaceAddress.parse("198.18.0.1/24")))
 *         .childHandler(new MyPacketHandler())
 *         .bind(new TunAddress("mq%d")).sync();
 * }</pre>
 *
 * <p>The parent does no I/O itself and is not in epoll. Closing a child closes that queue only; closing
 * the parent closes every queue, and a non-persistent device disappears with its last queue. By default
 * the kernel steers a flow to the queue that last wrote a packet of it ("tx follows rx"): reply on the
 * child that received the flow. {@link #setSteeringProgram(int)} replaces that with an eBPF program.
 */
public class EpollTunMultiQueueChannel extends AbstractServerChannel implements TunChannel, ServerChannel {

    private final EpollTunChannelConfig config;
    private final List<EpollTunChannel> children = new CopyOnWriteArrayList<>();
    private final List<EpollTunChannel> pending = new ArrayList<>();

    private volatile boolean open = true;
    private volatile boolean bound;
    private volatile TunAddress local;
    private volatile int deviceFlags;
    private volatile int kernelFeatures;
    private volatile Set<TunOffload> supportedOffloads = Collections.emptySet();
    private int iffFlags;

    /** Creates an unbound parent; {@code bind} creates (or attaches to) the device and opens its queues. */
    public EpollTunMultiQueueChannel() {
        config = new EpollTunChannelConfig(this, new Owner());
        config.setMultiQueue(true);
    }

    @Override
    public EpollTunChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && bound;
    }

    @Override
    public TunAddress localAddress() {
        return (TunAddress) super.localAddress();
    }

    @Override
    public TunAddress remoteAddress() {
        return null;
    }

    @Override
    public int deviceFlags() {
        return deviceFlags;
    }

    @Override
    public int kernelFeatures() {
        return kernelFeatures;
    }

    @Override
    public long truncatedFrames() {
        long sum = 0;
        for (EpollTunChannel child : children) {
            sum += child.truncatedFrames();
        }
        return sum;
    }

    /**
     * Returns the offloads this kernel accepts for the device, probed at bind (empty without the
     * virtio-net header). The offload mask is device-wide, so every queue shares the answer.
     *
     * @return the supported offloads
     */
    public Set<TunOffload> supportedOffloads() {
        return supportedOffloads;
    }

    /**
     * Returns the queues that are open now, in the order they were opened.
     *
     * @return a snapshot of the child channels
     */
    public List<EpollTunChannel> queues() {
        return new ArrayList<>(children);
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        // No I/O of its own: any event loop can run the parent.
        return true;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        promise.setSuccess();
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        if (bound) {
            throw new IllegalStateException("already bound to " + local);
        }
        TunAddress requested = TunDeviceSetup.requireTunAddress(localAddress);
        EpollTunChannelConfig c = config;
        TunDeviceSetup.validate(c, requested.ifName());
        int flags = TunDeviceSetup.iffFlags(c, true);
        int queues = c.getQueues();
        List<Integer> fds = new ArrayList<>(queues);
        try {
            int first = TunIoctls.openCloneDevice();
            fds.add(first);
            kernelFeatures = TunIoctls.getFeatures(first);
            TunDeviceSetup.chooseIfIndex(first, c);
            String name = TunIoctls.setIff(first, requested.ifName(), flags);
            if (c.isVnetHdr()) {
                // Probe before the mask is written (configure below) and before any queue can read: probing
                // flips the device-wide mask bit by bit.
                supportedOffloads = TunDeviceSetup.probeOffloads(first, name, c.getVnetHdrSize(), c.getOffloads());
            }
            // The other queues attach to the device the first one created: "exclusive" would refuse them.
            int queueFlags = flags & ~TunFlags.IFF_TUN_EXCL;
            for (int i = 1; i < queues; i++) {
                int fd = TunIoctls.openCloneDevice();
                fds.add(fd);
                TunIoctls.setIff(fd, name, queueFlags);
            }
            // Configure once every queue is attached: the link's carrier follows the first queue.
            TunDeviceSetup.configure(first, name, c);
            deviceFlags = TunDeviceSetup.attachedFlags(first, flags);
            local = new TunAddress(name, NetDevice.index(name));
            iffFlags = queueFlags;
            for (int fd : fds) {
                pending.add(newChild(fd));
            }
            fds.clear();
            bound = true;
        } finally {
            for (int fd : fds) {
                TunIoctls.closeQuietly(fd);
            }
        }
    }

    /**
     * Creates the child channel of one queue. Override to use a subclass of {@link EpollTunChannel}.
     *
     * @param fd an attached, non-blocking queue descriptor
     * @return the child, owning the descriptor
     */
    protected EpollTunChannel newChild(int fd) {
        EpollTunChannel child = new EpollTunChannel(this, fd);
        children.add(child);
        child.closeFuture().addListener(f -> children.remove(child));
        return child;
    }

    @Override
    protected void doBeginRead() {
        // "Reading" a multi-queue parent hands out the queues opened at bind, once.
        if (pending.isEmpty()) {
            return;
        }
        List<EpollTunChannel> handOut = new ArrayList<>(pending);
        pending.clear();
        for (EpollTunChannel child : handOut) {
            pipeline().fireChannelRead(child);
        }
        pipeline().fireChannelReadComplete();
    }

    /**
     * Opens one more queue of the bound device and hands it to the pipeline like the others.
     *
     * @return a future with the new child, completed once it was handed to the pipeline
     */
    public Future<EpollTunChannel> addQueue() {
        Promise<EpollTunChannel> promise = eventLoop().newPromise();
        eventLoop().execute(() -> {
            if (!isActive()) {
                promise.setFailure(new IllegalStateException("not bound"));
                return;
            }
            int fd = -1;
            try {
                fd = TunIoctls.openCloneDevice();
                TunIoctls.setIff(fd, local.ifName(), iffFlags);
                EpollTunChannel child = newChild(fd);
                fd = -1;
                pipeline().fireChannelRead(child);
                pipeline().fireChannelReadComplete();
                promise.setSuccess(child);
            } catch (Throwable t) {
                if (fd >= 0) {
                    TunIoctls.closeQuietly(fd);
                }
                promise.setFailure(t);
            }
        });
        return promise;
    }

    /**
     * Sets (or with -1 removes) the eBPF program that picks the queue of each packet
     * ({@code TUNSETSTEERINGEBPF}); it returns a queue index (taken modulo the number of queues).
     *
     * @param bpfProgramFd the fd of a loaded {@code BPF_PROG_TYPE_SOCKET_FILTER} program, or -1
     */
    public void setSteeringProgram(int bpfProgramFd) {
        TunIoctls.setSteeringEbpf(controlFd(), local.ifName(), bpfProgramFd);
    }

    /**
     * Sets (or with -1 removes) an eBPF filter program for the device ({@code TUNSETFILTEREBPF}).
     *
     * @param bpfProgramFd the fd of a loaded socket-filter program, or -1
     */
    public void setFilterProgram(int bpfProgramFd) {
        TunIoctls.setFilterEbpf(controlFd(), local.ifName(), bpfProgramFd);
    }

    /**
     * Attaches a classic BPF filter to every queue ({@code TUNATTACHFILTER}).
     *
     * @param instructions {@code struct sock_filter} entries, each {@code {code, jt, jf, k}}
     */
    public void attachFilter(int[][] instructions) {
        TunIoctls.attachFilter(controlFd(), local.ifName(), instructions);
    }

    /** Removes the classic BPF filter from every queue ({@code TUNDETACHFILTER}). */
    public void detachFilter() {
        TunIoctls.detachFilter(controlFd(), local.ifName());
    }

    /**
     * Probes the virtio-net hash reporting of the proposed {@code TUNGETVNETHASHCAP} ioctl.
     *
     * @return the supported hash types
     * @throws UnsupportedOperationException on kernels without it (all mainline kernels so far)
     */
    public int vnetHashCapabilities() {
        return TunIoctls.vnetHashCapabilities(controlFd());
    }

    private int controlFd() {
        for (EpollTunChannel child : children) {
            if (child.isOpen()) {
                return child.fd().intValue();
            }
        }
        throw new IllegalStateException("no open queue of " + local);
    }

    @Override
    protected void doClose() {
        open = false;
        bound = false;
        for (EpollTunChannel child : pending) {
            child.unsafe().closeForcibly();
        }
        pending.clear();
        for (EpollTunChannel child : children) {
            if (child.isRegistered()) {
                child.close();
            } else {
                // A child whose registration failed (e.g. ServerBootstrap could not add its handler) has no
                // event loop to close on; its descriptor still has to go.
                child.unsafe().closeForcibly();
                children.remove(child);
            }
        }
    }

    /** The config's view of this channel. */
    private final class Owner implements TunDeviceOwner {
        @Override
        public boolean isDeviceAttached() {
            return bound;
        }

        @Override
        public TunAddress localAddress() {
            return local;
        }

        @Override
        public int controlFd() {
            return EpollTunMultiQueueChannel.this.controlFd();
        }

        @Override
        public void mtuChanged(int mtu) {
            for (EpollTunChannel child : children) {
                child.config().mtuChangedByParent(mtu);
            }
        }

        @Override
        public void offloadsChanged(java.util.Set<io.github.nettytun.channel.TunOffload> offloads) {
            for (EpollTunChannel child : children) {
                child.config().offloadsChangedByParent(offloads);
            }
        }

        @Override
        public void autoReadCleared() {
            // Nothing to stop: the parent does no I/O.
        }
    }
}
