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
import io.github.nettytun.channel.TunException;
import io.github.nettytun.channel.TunFlags;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.linux.Errno;
import io.github.nettytun.channel.linux.NetDevice;
import io.github.nettytun.channel.linux.TunIoctls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.Errors.NativeIoException;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.internal.StringUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A {@link TunChannel} on one file descriptor (queue) of a TUN or TAP device, driven by Netty's
 * native epoll event loop ({@code MultiThreadIoEventLoopGroup} with {@code EpollIoHandler}).
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
 * Channel ch = new Bootstrap().group(group)
 *         .channel(EpollTunChannel.class)
 *         .option(TunChannelOption.ADDRESSES, List.of(TunInterfaceAddress.parse("198.18.0.1/24")))
 *         .handler(new MyPacketHandler())
 *         .bind(new TunAddress("tun%d")).sync().channel();
 * }</pre>
 *
 * <p>Binding creates the device, or attaches to an existing device of that name, and applies the
 * {@link EpollTunChannelConfig} (MTU, addresses, link state and so on). Reads deliver one pooled direct
 * {@link ByteBuf} per frame, sized from the MTU so nothing is truncated, up to
 * {@code maxMessagesPerRead} frames per wake-up. Writes take {@link ByteBuf}s and
 * {@link ByteBufHolder}s (composite buffers are written with one {@code writev}); a frame the kernel
 * refuses fails its own promise with a {@link TunException} and the channel stays open. When the device
 * disappears ({@code ip link del}) the channel fires one exception and closes.
 *
 * <p>{@link #EpollTunChannel(int)} adopts a descriptor that another party opened and attached (for
 * example one passed over a Unix socket); such a channel is active as soon as it is registered.
 */
public class EpollTunChannel extends AbstractChannel implements TunChannel, UnixChannel {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(EpollTunChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 32);
    private static final String EXPECTED_TYPES = " (expected: " + StringUtil.simpleClassName(ByteBuf.class)
            + ", " + StringUtil.simpleClassName(ByteBufHolder.class) + ')';
    private static final int EPOLLIN = EpollIoOps.EPOLLIN.value();
    private static final int EPOLLOUT = EpollIoOps.EPOLLOUT.value();
    private static final int EPOLLERR = EpollIoOps.EPOLLERR.value();
    /** Room for an Ethernet header with two VLAN tags in front of a TAP frame's payload. */
    private static final int TAP_HEADER_ROOM = 14 + 2 * 4;
    private static final int PI_LENGTH = 4;
    private static final int MAX_SUPER_PACKET = 65535;

    static {
        // FileDescriptor's native methods live in the epoll library: load it, or fail with Netty's reason.
        Epoll.ensureAvailability();
    }

    private final EpollTunChannelConfig config;
    private final FileDescriptor fd;
    private final int kernelFeatures;
    private final Runnable flushTask = this::flushFromTask;

    private volatile TunAddress local;
    private volatile boolean deviceAttached;
    private volatile int deviceFlags;
    private volatile long truncatedFrames;

    private IoRegistration registration;
    /** The epoll interest; never 0, so the registration is never dropped from epoll (see DESIGN.md). */
    private int ops = EPOLLERR;
    private boolean readPending;
    private boolean deviceFailed;
    private boolean flushTaskScheduled;
    private volatile boolean queueDetached;
    private int readCapacity;
    /**
     * The buffer of the last read that found nothing (EAGAIN) or whose frame was copied out: reused for the
     * next read instead of allocating again. Event loop only.
     */
    private ByteBuf spareReadBuffer;
    private volatile boolean superPackets;
    private volatile Set<TunOffload> supportedOffloads = Collections.emptySet();
    private IovArray iovArray;

    /**
     * Creates an unbound channel: opens {@code /dev/net/tun}; {@code bind} attaches it to a device.
     *
     * @throws TunException if {@code /dev/net/tun} cannot be opened (with the remedy)
     */
    public EpollTunChannel() {
        super(null);
        int raw = TunIoctls.openCloneDevice();
        this.fd = new FileDescriptor(raw);
        this.config = new EpollTunChannelConfig(this, new Owner());
        int features;
        try {
            features = TunIoctls.getFeatures(raw);
        } catch (TunException e) {
            TunIoctls.closeQuietly(raw);
            throw e;
        }
        this.kernelFeatures = features;
    }

    /**
     * Adopts an open tun descriptor that is already attached to a device (with {@code TUNSETIFF} done
     * elsewhere, e.g. passed from a privileged helper or an Android {@code VpnService}). The channel takes
     * ownership: closing it closes the descriptor. It is active once registered; binding it fails.
     *
     * @param fd the descriptor; it is switched to non-blocking mode by the caller's contract (open it
     *           with {@code O_NONBLOCK})
     * @throws TunException if the descriptor is not attached to a TUN/TAP device
     */
    public EpollTunChannel(int fd) {
        this(null, fd);
    }

    /**
     * Adopts an attached tun descriptor as a child of {@code parent} (used by multi-queue parents).
     *
     * @param parent the parent channel, or {@code null}
     * @param fd     an attached, non-blocking tun descriptor
     */
    protected EpollTunChannel(Channel parent, int fd) {
        super(parent);
        this.fd = new FileDescriptor(fd);
        this.config = new EpollTunChannelConfig(this, new Owner());
        TunIoctls.Iff iff = TunIoctls.getIff(fd);
        this.kernelFeatures = TunIoctls.getFeatures(fd);
        // TUNGETIFF reports IFF_NOFILTER in the bit of IFF_NO_PI (both 0x1000): ask sysfs for the real flags.
        int flags = TunIoctls.deviceFlags(iff);
        boolean vnet = (flags & TunFlags.IFF_VNET_HDR) != 0;
        config.adoptFlags(TunMode.fromFlags(flags), (flags & TunFlags.IFF_NO_PI) == 0,
                (flags & TunFlags.IFF_MULTI_QUEUE) != 0, vnet, vnet ? TunIoctls.getVnetHdrSize(fd) : 10);
        int index = 0;
        int mtu = MAX_SUPER_PACKET;
        try {
            index = NetDevice.index(iff.name());
            mtu = NetDevice.mtu(iff.name());
        } catch (TunException e) {
            // The device may live in another network namespace than this thread: read frames of any size.
            logger.debug("cannot query interface {} from this network namespace", iff.name(), e);
        }
        config.mtuFromDevice(mtu);
        if (parent instanceof EpollTunMultiQueueChannel) {
            EpollTunMultiQueueChannel mq = (EpollTunMultiQueueChannel) parent;
            Set<TunOffload> offloads = mq.config().getOffloads();
            config.adoptOffloads(offloads);
            // The parent probed the device; the answer holds for every queue.
            supportedOffloads = mq.supportedOffloads();
            superPackets = hasSegmentation(offloads);
        } else {
            // The offload mask of a device opened elsewhere cannot be read back: be ready for super-packets.
            superPackets = vnet;
        }
        this.local = new TunAddress(iff.name(), index);
        this.deviceFlags = flags;
        this.readCapacity = frameCapacity(mtu);
        this.deviceAttached = true;
    }

    @Override
    public EpollTunChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public boolean isActive() {
        return deviceAttached && fd.isOpen();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
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

    /**
     * Returns the offloads this kernel accepts for this device, probed at bind (empty without the
     * virtio-net header).
     *
     * @return the supported offloads
     */
    public Set<TunOffload> supportedOffloads() {
        return supportedOffloads;
    }

    private static boolean hasSegmentation(Set<TunOffload> offloads) {
        for (TunOffload o : offloads) {
            if (o.isSegmentation()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long truncatedFrames() {
        return truncatedFrames;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop && ((IoEventLoop) loop).isCompatible(TunUnsafe.class);
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new TunUnsafe();
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        ((IoEventLoop) eventLoop()).register((TunUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                if (deviceAttached) {
                    // Only an attached descriptor may enter epoll: an unattached one reports EPOLLERR forever.
                    registration.submit(EpollIoOps.valueOf(ops));
                }
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        if (deviceAttached) {
            throw new IllegalStateException("already attached to " + local);
        }
        TunAddress requested = TunDeviceSetup.requireTunAddress(localAddress);
        EpollTunChannelConfig c = config;
        TunDeviceSetup.validate(c, requested.ifName());
        int flags = TunDeviceSetup.iffFlags(c, c.isMultiQueue());
        int raw = fd.intValue();
        TunDeviceSetup.chooseIfIndex(raw, c);
        String name = TunIoctls.setIff(raw, requested.ifName(), flags);
        if (c.isVnetHdr()) {
            supportedOffloads = TunDeviceSetup.probeOffloads(raw, name, c.getVnetHdrSize(), c.getOffloads());
        }
        superPackets = hasSegmentation(c.getOffloads());
        int mtu = TunDeviceSetup.configure(raw, name, c);
        readCapacity = frameCapacity(mtu);
        deviceFlags = TunDeviceSetup.attachedFlags(raw, flags);
        local = new TunAddress(name, NetDevice.index(name));
        deviceAttached = true;
        IoRegistration r = registration;
        if (r != null) {
            r.submit(EpollIoOps.valueOf(ops));
        }
    }

    /** Bytes to allocate per read: the largest frame plus one byte, so a truncated read is detectable. */
    private int frameCapacity(int mtu) {
        EpollTunChannelConfig c = config;
        int headers = (c.isPacketInfo() ? PI_LENGTH : 0) + (c.isVnetHdr() ? c.getVnetHdrSize() : 0)
                + (c.getMode() == TunMode.TAP ? TAP_HEADER_ROOM : 0);
        int payload = superPackets ? MAX_SUPER_PACKET : Math.max(mtu, 68);
        return headers + payload + 1;
    }

    /**
     * Takes this queue out of the device's steering ({@code TUNSETQUEUE} with {@code IFF_DETACH_QUEUE}):
     * the kernel sends its flows to the other queues. The channel stays open; reads pause and writes fail
     * until {@link #attachQueue()}. Only for queues of a multi-queue device.
     *
     * @return a future that completes once the queue is detached
     */
    public ChannelFuture detachQueue() {
        ChannelPromise promise = newPromise();
        eventLoop().execute(() -> {
            try {
                checkMultiQueue();
                if (!queueDetached) {
                    // A detached queue polls EPOLLERR forever: leave epoll first, then detach.
                    IoRegistration r = registration;
                    registration = null;
                    if (r != null) {
                        r.cancel();
                    }
                    TunIoctls.setQueue(fd.intValue(), local.ifName(), TunFlags.IFF_DETACH_QUEUE);
                    queueDetached = true;
                }
                promise.setSuccess();
            } catch (Throwable t) {
                promise.setFailure(t);
            }
        });
        return promise;
    }

    /**
     * Puts a detached queue back into the device's steering ({@code IFF_ATTACH_QUEUE}) and resumes it.
     *
     * @return a future that completes once the queue takes traffic again
     */
    public ChannelFuture attachQueue() {
        ChannelPromise promise = newPromise();
        eventLoop().execute(() -> {
            try {
                checkMultiQueue();
                if (!queueDetached) {
                    promise.setSuccess();
                    return;
                }
                TunIoctls.setQueue(fd.intValue(), local.ifName(), TunFlags.IFF_ATTACH_QUEUE);
                queueDetached = false;
                ((IoEventLoop) eventLoop()).register((TunUnsafe) unsafe()).addListener(f -> {
                    if (f.isSuccess()) {
                        registration = (IoRegistration) f.getNow();
                        registration.submit(EpollIoOps.valueOf(ops));
                        promise.setSuccess();
                        // Writes that failed fast while detached are gone; anything queued since goes now.
                        flush();
                    } else {
                        promise.setFailure(f.cause());
                    }
                });
            } catch (Throwable t) {
                promise.setFailure(t);
            }
        });
        return promise;
    }

    /** Returns whether this queue is detached from the device's steering. */
    public boolean isQueueDetached() {
        return queueDetached;
    }

    private void checkMultiQueue() {
        if (!deviceAttached) {
            throw new IllegalStateException("not bound to a device");
        }
        if (!config.isMultiQueue()) {
            throw new IllegalStateException(local + " is a single-queue device: queues can only be detached "
                    + "from a multi-queue device (TunChannelOption.MULTI_QUEUE)");
        }
    }

    /**
     * Attaches a classic BPF socket filter to the device ({@code TUNATTACHFILTER}; all queues): packets
     * for which it returns 0 are dropped before they are queued.
     *
     * @param instructions {@code struct sock_filter} entries, each {@code {code, jt, jf, k}}
     */
    public void attachFilter(int[][] instructions) {
        TunIoctls.attachFilter(fd.intValue(), local.ifName(), instructions);
    }

    /** Removes the classic BPF filter ({@code TUNDETACHFILTER}). */
    public void detachFilter() {
        TunIoctls.detachFilter(fd.intValue(), local.ifName());
    }

    /**
     * Sets (or with -1 removes) an eBPF filter program ({@code TUNSETFILTEREBPF}).
     *
     * @param bpfProgramFd the fd of a loaded socket-filter program, or -1
     */
    public void setFilterProgram(int bpfProgramFd) {
        TunIoctls.setFilterEbpf(fd.intValue(), local.ifName(), bpfProgramFd);
    }

    /** The config's view of this channel. */
    private final class Owner implements TunDeviceOwner {
        @Override
        public boolean isDeviceAttached() {
            return deviceAttached;
        }

        @Override
        public TunAddress localAddress() {
            return local;
        }

        @Override
        public int controlFd() {
            return fd.intValue();
        }

        @Override
        public void mtuChanged(int mtu) {
            int capacity = frameCapacity(mtu);
            eventLoopOrDirect(() -> readCapacity = Math.max(readCapacity, capacity));
        }

        @Override
        public void offloadsChanged(Set<TunOffload> offloads) {
            // Grow at once; never shrink: super-packets queued before the switch may still arrive.
            if (hasSegmentation(offloads)) {
                superPackets = true;
                mtuChanged(config.getMtu());
            }
        }

        @Override
        public void autoReadCleared() {
            clearReadInterest();
        }
    }

    private void eventLoopOrDirect(Runnable task) {
        if (isRegistered() && !eventLoop().inEventLoop()) {
            eventLoop().execute(task);
        } else {
            task.run();
        }
    }

    // Epoll interest.

    private void setFlag(int flag) {
        if ((ops & flag) != 0) {
            return;
        }
        ops |= flag;
        submitOps();
    }

    private void clearFlag(int flag) {
        if ((ops & flag) == 0) {
            return;
        }
        ops &= ~flag;
        submitOps();
    }

    private void submitOps() {
        IoRegistration r = registration;
        if (r != null && deviceAttached && fd.isOpen()) {
            r.submit(EpollIoOps.valueOf(ops));
        }
    }

    /** Called when autoRead is switched off: stop watching EPOLLIN unless a read() is pending. */
    private void clearReadInterest() {
        if (!isRegistered()) {
            ops &= ~EPOLLIN;
            return;
        }
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            ((TunUnsafe) unsafe()).clearEpollIn();
        } else {
            loop.execute(() -> {
                if (!readPending && !config.isAutoRead()) {
                    ((TunUnsafe) unsafe()).clearEpollIn();
                }
            });
        }
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        setFlag(EPOLLIN);
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        deviceAttached = false;
        try {
            IoRegistration r = registration;
            if (r != null) {
                // Cancel before closing: registrations are keyed by fd number, which the kernel reuses.
                r.cancel();
            }
        } finally {
            try {
                fd.close();
            } finally {
                if (iovArray != null) {
                    iovArray.release();
                    iovArray = null;
                }
                if (spareReadBuffer != null) {
                    spareReadBuffer.release();
                    spareReadBuffer = null;
                }
            }
        }
    }

    @Override
    protected void doDeregister() {
        IoRegistration r = registration;
        if (r != null) {
            registration = null;
            r.cancel();
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) msg;
            return buf.isDirect() ? buf : newDirectBuffer(buf, buf);
        }
        if (msg instanceof ByteBufHolder) {
            ByteBuf content = ((ByteBufHolder) msg).content();
            return content.isDirect() ? msg : newDirectBuffer(msg, content);
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + EXPECTED_TYPES);
    }

    private ByteBuf newDirectBuffer(Object holder, ByteBuf buf) {
        int length = buf.readableBytes();
        ByteBuf direct = alloc().directBuffer(length);
        direct.writeBytes(buf, buf.readerIndex(), length);
        ReferenceCountUtil.safeRelease(holder);
        return direct;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        // One write() per frame and no partial writes on a tun fd: the budget counts frames, as Netty's
        // datagram channels do with maxMessagesPerWrite (64 by default here, so reads are not starved).
        int budget = config.getMaxMessagesPerWrite();
        while (budget-- > 0) {
            Object msg = in.current();
            if (msg == null) {
                clearFlag(EPOLLOUT);
                return;
            }
            if (queueDetached) {
                in.remove(new TunException("queue of " + local + " is detached (IFF_DETACH_QUEUE): attach it "
                        + "again with attachQueue(), or write on another queue", Errno.EBADFD));
                continue;
            }
            ByteBuf frame = msg instanceof ByteBuf ? (ByteBuf) msg : ((ByteBufHolder) msg).content();
            int length = frame.readableBytes();
            if (length == 0) {
                in.remove(new TunException("cannot write an empty frame to " + local, Errno.EINVAL));
                continue;
            }
            long written;
            try {
                written = writeFrame(frame, length);
            } catch (NativeIoException e) {
                int errno = -e.expectedErr();
                if (errno == Errno.EBADFD) {
                    in.remove(e);
                    deviceGone(errno);
                    return;
                }
                in.remove(frameRejected(errno, length, e));
                continue;
            }
            if (written == 0) {
                // EAGAIN: the send buffer (TUNSETSNDBUF) is full; wait for EPOLLOUT.
                setFlag(EPOLLOUT);
                return;
            }
            in.remove();
        }
        if (in.current() != null && !flushTaskScheduled) {
            // Yield to reads and other channels on this loop, then go on writing.
            flushTaskScheduled = true;
            eventLoop().execute(flushTask);
        }
    }

    private long writeFrame(ByteBuf frame, int length) throws IOException {
        if (frame.hasMemoryAddress()) {
            return fd.writeAddress(frame.memoryAddress(), frame.readerIndex(), frame.writerIndex());
        }
        if (frame.nioBufferCount() > 1) {
            IovArray array = iovArray();
            array.clear();
            if (array.add(frame, frame.readerIndex(), length)) {
                return fd.writevAddresses(array.memoryAddress(0), array.count());
            }
            // More components than IOV_MAX: write a flattened copy.
            ByteBuf copy = alloc().directBuffer(length).writeBytes(frame, frame.readerIndex(), length);
            try {
                return fd.writeAddress(copy.memoryAddress(), copy.readerIndex(), copy.writerIndex());
            } finally {
                copy.release();
            }
        }
        ByteBuffer nio = frame.internalNioBuffer(frame.readerIndex(), length);
        return fd.write(nio, nio.position(), nio.limit());
    }

    private IovArray iovArray() {
        IovArray array = iovArray;
        if (array == null) {
            iovArray = array = new IovArray();
        }
        return array;
    }

    private TunException frameRejected(int errno, int length, Throwable cause) {
        String why;
        switch (errno) {
            case Errno.EINVAL:
                why = config.getMode() == TunMode.TUN
                        ? "it is not an IPv4/IPv6 packet" + (config.isPacketInfo() ? " behind a 4-byte PI header" : "")
                          + (config.isVnetHdr() ? " behind a valid virtio-net header" : "")
                        : "it is not an Ethernet frame (at least 14 bytes)"
                          + (config.isVnetHdr() ? " behind a valid virtio-net header" : "");
                break;
            case Errno.EIO:
                why = "the device is down: bring the link up (TunChannelOption.LINK_UP)";
                break;
            case Errno.EFAULT:
                why = "the frame is shorter than the headers the device expects";
                break;
            case Errno.ENOMEM:
            case Errno.EMSGSIZE:
                why = "it is too large for the device";
                break;
            default:
                why = "the kernel refused it";
        }
        return new TunException("write of a " + length + "-byte frame to " + local + " failed ("
                + Errno.name(errno) + "): " + why + "; the channel stays open", errno, cause);
    }

    private void flushFromTask() {
        flushTaskScheduled = false;
        ((TunUnsafe) unsafe()).flushNow();
    }

    /** The device was deleted or the queue detached: report it once and close. */
    private void deviceGone(int errno) {
        if (deviceFailed) {
            return;
        }
        deviceFailed = true;
        TunAddress address = local;
        pipeline().fireExceptionCaught(new TunException("device " + address + " is gone ("
                + Errno.name(errno) + "): it was deleted (e.g. 'ip link del') or this queue was detached; "
                + "closing the channel", errno));
        unsafe().close(unsafe().voidPromise());
    }

    /**
     * The channel's unsafe, and the handle registered with the epoll event loop.
     */
    private final class TunUnsafe extends AbstractUnsafe implements EpollIoHandle {

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void close() {
            close(voidPromise());
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException(
                    "a TUN/TAP channel has no peer to connect to: bind it to a TunAddress"));
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            int ready = ((EpollIoEvent) event).ops().value();
            if ((ready & EPOLLERR) != 0) {
                // tun_chr_poll() reports only EPOLLERR once the file has no device: it will not recover.
                deviceGone(Errno.EBADFD);
                return;
            }
            if ((ready & EPOLLOUT) != 0) {
                flushNow();
            }
            if ((ready & EPOLLIN) != 0) {
                readReady();
            }
        }

        void flushNow() {
            super.flush0();
        }

        @Override
        protected void flush0() {
            // While waiting for EPOLLOUT the kernel buffer is full; the event will flush.
            if ((ops & EPOLLOUT) == 0) {
                super.flush0();
            }
        }

        void clearEpollIn() {
            readPending = false;
            clearFlag(EPOLLIN);
        }

        private void readReady() {
            ChannelConfig cfg = config();
            if (!readPending && !cfg.isAutoRead()) {
                clearEpollIn();
                return;
            }
            RecvByteBufAllocator.Handle handle = recvBufAllocHandle();
            RecvByteBufAllocator.ExtendedHandle extended = handle instanceof RecvByteBufAllocator.ExtendedHandle
                    ? (RecvByteBufAllocator.ExtendedHandle) handle : null;
            handle.reset(cfg);
            ByteBufAllocator allocator = cfg.getAllocator();
            ChannelPipeline pipeline = pipeline();
            Throwable failure = null;
            try {
                // With segmentation offloads each read needs room for a 64 KiB super-packet; small frames are
                // copied out so a 100-byte ACK does not pin 64 KiB while it travels the pipeline.
                int copyBelow = superPackets ? readCapacity / 8 : 0;
                do {
                    ByteBuf buf = takeReadBuffer(allocator);
                    int n;
                    try {
                        handle.attemptedBytesRead(buf.writableBytes());
                        n = readInto(buf);
                    } catch (Throwable t) {
                        buf.release();
                        throw t;
                    }
                    if (n <= 0) {
                        // EAGAIN: the queue is empty.
                        keepSpare(buf);
                        handle.lastBytesRead(0);
                        break;
                    }
                    handle.lastBytesRead(n);
                    handle.incMessagesRead(1);
                    readPending = false;
                    if (n >= buf.capacity()) {
                        frameTruncated(buf);
                        continue;
                    }
                    buf.writerIndex(n);
                    if (n < copyBelow) {
                        ByteBuf frame = allocator.directBuffer(n).writeBytes(buf, 0, n);
                        keepSpare(buf);
                        pipeline.fireChannelRead(frame);
                    } else {
                        pipeline.fireChannelRead(buf);
                    }
                } while (extended != null
                        ? extended.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)
                        : handle.continueReading());
            } catch (Throwable t) {
                failure = t;
            }
            handle.readComplete();
            pipeline.fireChannelReadComplete();
            if (failure != null) {
                readFailed(failure);
                return;
            }
            if (!readPending && !cfg.isAutoRead()) {
                clearEpollIn();
            }
        }

        private ByteBuf takeReadBuffer(ByteBufAllocator allocator) {
            ByteBuf spare = spareReadBuffer;
            if (spare != null) {
                spareReadBuffer = null;
                if (spare.capacity() >= readCapacity) {
                    return spare.clear();
                }
                spare.release();
            }
            return allocator.directBuffer(readCapacity);
        }

        private void keepSpare(ByteBuf buf) {
            if (spareReadBuffer == null && buf.refCnt() == 1) {
                spareReadBuffer = buf.clear();
            } else {
                buf.release();
            }
        }

        private int readInto(ByteBuf buf) throws IOException {
            int writerIndex = buf.writerIndex();
            if (buf.hasMemoryAddress()) {
                return fd.readAddress(buf.memoryAddress(), writerIndex, buf.capacity());
            }
            ByteBuffer nio = buf.internalNioBuffer(writerIndex, buf.writableBytes());
            return fd.read(nio, nio.position(), nio.limit());
        }

        private void frameTruncated(ByteBuf buf) {
            buf.release();
            truncatedFrames++;
            int mtu;
            try {
                mtu = NetDevice.mtu(local.ifName());
            } catch (TunException e) {
                mtu = MAX_SUPER_PACKET;
            }
            int before = readCapacity;
            readCapacity = Math.max(before, frameCapacity(Math.max(mtu, before)));
            if (readCapacity == before) {
                readCapacity = frameCapacity(MAX_SUPER_PACKET);
            }
            config.mtuFromDevice(mtu);
            logger.warn("{}: dropped a frame longer than the {}-byte read buffer (the MTU is now {}); reads now use "
                    + "{} bytes. Set the MTU through TunChannelOption.MTU to avoid this.",
                    local, before - 1, mtu, readCapacity - 1);
        }

        private void readFailed(Throwable cause) {
            if (cause instanceof NativeIoException && -((NativeIoException) cause).expectedErr() == Errno.EBADFD) {
                deviceGone(Errno.EBADFD);
                return;
            }
            pipeline().fireExceptionCaught(cause);
            if (cause instanceof IOException) {
                close(voidPromise());
            }
        }
    }
}
