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

import io.github.nettytun.channel.TunChannelConfig;
import io.github.nettytun.channel.TunChannelOption;
import io.github.nettytun.channel.TunInterfaceAddress;
import io.github.nettytun.channel.TunMode;
import io.github.nettytun.channel.TunOffload;
import io.github.nettytun.channel.TunTxFilter;
import io.github.nettytun.channel.linux.NetDevice;
import io.github.nettytun.channel.linux.TunIoctls;
import io.github.nettytun.codec.VirtioNetHeader;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link TunChannelConfig} of an {@link EpollTunChannel}. Device flags are fixed once the
 * channel is bound ({@link IllegalStateException} after); interface settings changed on a bound
 * channel are applied to the device at once (and throw {@link io.github.nettytun.channel.TunException}
 * if the kernel refuses).
 */
public final class EpollTunChannelConfig extends DefaultChannelConfig implements TunChannelConfig {

    private final TunDeviceOwner device;

    private volatile TunMode mode = TunMode.TUN;
    private volatile boolean packetInfo;
    private volatile boolean multiQueue;
    private volatile boolean vnetHdr;
    private volatile int vnetHdrSize = 10;
    private volatile int mtu;
    private volatile List<TunInterfaceAddress> addresses = Collections.emptyList();
    private volatile boolean linkUp = true;
    private volatile boolean persist;
    private volatile int owner = -1;
    private volatile int group = -1;
    private volatile Boolean carrier;
    private volatile int sndbuf;
    private volatile byte[] macAddress;
    private volatile int txQueueLength;
    private volatile boolean ipv6Dad;
    private volatile int queues = DEFAULT_QUEUES;
    private volatile Set<TunOffload> offloads = Collections.emptySet();
    private volatile boolean exclusive;
    private volatile boolean napi;
    private volatile int ifIndex;
    private volatile TunTxFilter txFilter = TunTxFilter.NONE;

    /** Frames written per flush before the event loop turns to other work (then the flush goes on). */
    static final int DEFAULT_MAX_MESSAGES_PER_WRITE = 64;

    /** Default number of queues of a multi-queue parent: one per available processor. */
    static final int DEFAULT_QUEUES = Math.max(1, Math.min(256, Runtime.getRuntime().availableProcessors()));

    EpollTunChannelConfig(Channel channel, TunDeviceOwner owner) {
        // The allocator's size guess is not used (reads are sized from the MTU, see EpollTunChannel);
        // it only counts messages per read loop.
        super(channel, new FixedRecvByteBufAllocator(2048));
        this.device = owner;
        setMaxMessagesPerWrite(DEFAULT_MAX_MESSAGES_PER_WRITE);
    }

    private boolean attached() {
        return device.isDeviceAttached();
    }

    private String deviceName() {
        return device.localAddress().ifName();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(),
                TunChannelOption.MODE, TunChannelOption.PACKET_INFO, TunChannelOption.MULTI_QUEUE,
                TunChannelOption.VNET_HDR, TunChannelOption.VNET_HDR_SIZE, TunChannelOption.MTU,
                TunChannelOption.ADDRESSES, TunChannelOption.LINK_UP, TunChannelOption.PERSIST,
                TunChannelOption.OWNER, TunChannelOption.GROUP, TunChannelOption.CARRIER,
                TunChannelOption.SNDBUF, TunChannelOption.MAC_ADDRESS, TunChannelOption.TX_QUEUE_LENGTH,
                TunChannelOption.IPV6_DAD, TunChannelOption.QUEUES, TunChannelOption.OFFLOADS,
                TunChannelOption.EXCLUSIVE, TunChannelOption.NAPI, TunChannelOption.IF_INDEX, TunChannelOption.TX_FILTER);
    }

    @SuppressWarnings({ "unchecked", "deprecation" })
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (option == TunChannelOption.MODE) {
            return (T) getMode();
        }
        if (option == TunChannelOption.PACKET_INFO) {
            return (T) Boolean.valueOf(isPacketInfo());
        }
        if (option == TunChannelOption.MULTI_QUEUE) {
            return (T) Boolean.valueOf(isMultiQueue());
        }
        if (option == TunChannelOption.VNET_HDR) {
            return (T) Boolean.valueOf(isVnetHdr());
        }
        if (option == TunChannelOption.VNET_HDR_SIZE) {
            return (T) Integer.valueOf(getVnetHdrSize());
        }
        if (option == TunChannelOption.MTU) {
            return (T) Integer.valueOf(getMtu());
        }
        if (option == TunChannelOption.ADDRESSES) {
            return (T) getAddresses();
        }
        if (option == TunChannelOption.LINK_UP) {
            return (T) Boolean.valueOf(isLinkUp());
        }
        if (option == TunChannelOption.PERSIST) {
            return (T) Boolean.valueOf(isPersist());
        }
        if (option == TunChannelOption.OWNER) {
            return (T) Integer.valueOf(getOwner());
        }
        if (option == TunChannelOption.GROUP) {
            return (T) Integer.valueOf(getGroup());
        }
        if (option == TunChannelOption.CARRIER) {
            return (T) getCarrier();
        }
        if (option == TunChannelOption.SNDBUF || option == ChannelOption.SO_SNDBUF) {
            return (T) Integer.valueOf(getSndbuf());
        }
        if (option == TunChannelOption.MAC_ADDRESS) {
            return (T) getMacAddress();
        }
        if (option == TunChannelOption.TX_QUEUE_LENGTH) {
            return (T) Integer.valueOf(getTxQueueLength());
        }
        if (option == TunChannelOption.IPV6_DAD) {
            return (T) Boolean.valueOf(isIpv6Dad());
        }
        if (option == TunChannelOption.QUEUES) {
            return (T) Integer.valueOf(getQueues());
        }
        if (option == TunChannelOption.OFFLOADS) {
            return (T) getOffloads();
        }
        if (option == TunChannelOption.EXCLUSIVE) {
            return (T) Boolean.valueOf(isExclusive());
        }
        if (option == TunChannelOption.NAPI) {
            return (T) Boolean.valueOf(isNapi());
        }
        if (option == TunChannelOption.IF_INDEX) {
            return (T) Integer.valueOf(getIfIndex());
        }
        if (option == TunChannelOption.TX_FILTER) {
            return (T) getTxFilter();
        }
        return super.getOption(option);
    }

    @SuppressWarnings({ "unchecked", "deprecation" })
    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == TunChannelOption.MODE) {
            setMode((TunMode) value);
        } else if (option == TunChannelOption.PACKET_INFO) {
            setPacketInfo((Boolean) value);
        } else if (option == TunChannelOption.MULTI_QUEUE) {
            setMultiQueue((Boolean) value);
        } else if (option == TunChannelOption.VNET_HDR) {
            setVnetHdr((Boolean) value);
        } else if (option == TunChannelOption.VNET_HDR_SIZE) {
            setVnetHdrSize((Integer) value);
        } else if (option == TunChannelOption.MTU) {
            setMtu((Integer) value);
        } else if (option == TunChannelOption.ADDRESSES) {
            setAddresses((List<TunInterfaceAddress>) value);
        } else if (option == TunChannelOption.LINK_UP) {
            setLinkUp((Boolean) value);
        } else if (option == TunChannelOption.PERSIST) {
            setPersist((Boolean) value);
        } else if (option == TunChannelOption.OWNER) {
            setOwner((Integer) value);
        } else if (option == TunChannelOption.GROUP) {
            setGroup((Integer) value);
        } else if (option == TunChannelOption.CARRIER) {
            setCarrier((Boolean) value);
        } else if (option == TunChannelOption.SNDBUF || option == ChannelOption.SO_SNDBUF) {
            setSndbuf((Integer) value);
        } else if (option == TunChannelOption.MAC_ADDRESS) {
            setMacAddress((byte[]) value);
        } else if (option == TunChannelOption.TX_QUEUE_LENGTH) {
            setTxQueueLength((Integer) value);
        } else if (option == TunChannelOption.IPV6_DAD) {
            setIpv6Dad((Boolean) value);
        } else if (option == TunChannelOption.QUEUES) {
            setQueues((Integer) value);
        } else if (option == TunChannelOption.OFFLOADS) {
            setOffloads((Set<TunOffload>) value);
        } else if (option == TunChannelOption.EXCLUSIVE) {
            setExclusive((Boolean) value);
        } else if (option == TunChannelOption.NAPI) {
            setNapi((Boolean) value);
        } else if (option == TunChannelOption.IF_INDEX) {
            setIfIndex((Integer) value);
        } else if (option == TunChannelOption.TX_FILTER) {
            setTxFilter((TunTxFilter) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    private void checkUnbound(String what) {
        if (attached()) {
            throw new IllegalStateException(what + " is fixed once the channel is bound (device "
                    + device.localAddress() + ")");
        }
    }

    @Override
    public TunMode getMode() {
        return mode;
    }

    @Override
    public EpollTunChannelConfig setMode(TunMode mode) {
        checkUnbound("MODE");
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    @Override
    public boolean isPacketInfo() {
        return packetInfo;
    }

    @Override
    public EpollTunChannelConfig setPacketInfo(boolean packetInfo) {
        checkUnbound("PACKET_INFO");
        this.packetInfo = packetInfo;
        return this;
    }

    @Override
    public boolean isMultiQueue() {
        return multiQueue;
    }

    @Override
    public EpollTunChannelConfig setMultiQueue(boolean multiQueue) {
        checkUnbound("MULTI_QUEUE");
        this.multiQueue = multiQueue;
        return this;
    }

    @Override
    public boolean isVnetHdr() {
        return vnetHdr;
    }

    @Override
    public EpollTunChannelConfig setVnetHdr(boolean vnetHdr) {
        checkUnbound("VNET_HDR");
        this.vnetHdr = vnetHdr;
        return this;
    }

    @Override
    public int getVnetHdrSize() {
        return vnetHdrSize;
    }

    @Override
    public EpollTunChannelConfig setVnetHdrSize(int size) {
        checkUnbound("VNET_HDR_SIZE");
        // The codec reads what the channel may be set to: one pair of limits for both.
        if (size < VirtioNetHeader.LENGTH || size > VirtioNetHeader.MAX_LENGTH) {
            throw new IllegalArgumentException("VNET_HDR_SIZE must be 10..128 (10 = virtio_net_hdr, "
                    + "12 = virtio_net_hdr_v1 / mergeable buffers): " + size);
        }
        this.vnetHdrSize = size;
        return this;
    }

    @Override
    public int getMtu() {
        return mtu;
    }

    @Override
    public EpollTunChannelConfig setMtu(int mtu) {
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new IllegalArgumentException("MTU must be 68..65535 (or 0 for the kernel default): " + mtu);
        }
        if (attached() && mtu != 0) {
            String name = deviceName();
            if (mtu < 1280 && NetDevice.mtu(name) >= 1280) {
                TunDeviceSetup.checkIpv6Mtu(addresses, mtu, name);
            }
            NetDevice.setMtu(name, mtu);
            device.mtuChanged(mtu);
        }
        this.mtu = mtu;
        return this;
    }

    /** Takes the offloads of the device a queue was opened for (before the channel reads). */
    void adoptOffloads(Set<TunOffload> offloads) {
        this.offloads = offloads;
    }

    /** The parent of this queue changed the device's offloads: follow them. */
    void offloadsChangedByParent(Set<TunOffload> offloads) {
        this.offloads = offloads;
        device.offloadsChanged(offloads);
    }

    /** The parent of this queue changed the device's MTU: follow it. */
    void mtuChangedByParent(int mtu) {
        this.mtu = mtu;
        device.mtuChanged(mtu);
    }

    /** Records the MTU the device really has (at bind, or after it changed behind our back). */
    void mtuFromDevice(int mtu) {
        this.mtu = mtu;
    }

    @Override
    public List<TunInterfaceAddress> getAddresses() {
        return addresses;
    }

    @Override
    public EpollTunChannelConfig setAddresses(List<TunInterfaceAddress> addresses) {
        List<TunInterfaceAddress> copy = Collections.unmodifiableList(new ArrayList<>(addresses));
        for (TunInterfaceAddress a : copy) {
            Objects.requireNonNull(a, "addresses must not contain null");
        }
        if (attached()) {
            TunDeviceSetup.addAddresses(deviceName(), copy, NetDevice.mtu(deviceName()), this);
        }
        this.addresses = copy;
        return this;
    }

    @Override
    public EpollTunChannelConfig addAddress(TunInterfaceAddress address) {
        List<TunInterfaceAddress> list = new ArrayList<>(addresses);
        list.add(Objects.requireNonNull(address, "address"));
        if (attached()) {
            TunDeviceSetup.addAddresses(deviceName(), Collections.singletonList(address), NetDevice.mtu(deviceName()), this);
        }
        this.addresses = Collections.unmodifiableList(list);
        return this;
    }

    @Override
    public boolean isLinkUp() {
        return linkUp;
    }

    @Override
    public EpollTunChannelConfig setLinkUp(boolean up) {
        if (attached()) {
            NetDevice.setUp(deviceName(), up);
            if (up) {
                TunDeviceSetup.awaitRunning(deviceName(), this);
            }
        }
        this.linkUp = up;
        return this;
    }

    @Override
    public boolean isPersist() {
        return persist;
    }

    @Override
    public EpollTunChannelConfig setPersist(boolean persist) {
        if (attached()) {
            TunIoctls.setPersist(device.controlFd(), deviceName(), persist);
        }
        this.persist = persist;
        return this;
    }

    @Override
    public int getOwner() {
        return owner;
    }

    @Override
    public EpollTunChannelConfig setOwner(int uid) {
        if (uid < -1) {
            throw new IllegalArgumentException("OWNER must be a uid or -1: " + uid);
        }
        if (attached() && uid >= 0) {
            TunIoctls.setOwner(device.controlFd(), deviceName(), uid);
        }
        this.owner = uid;
        return this;
    }

    @Override
    public int getGroup() {
        return group;
    }

    @Override
    public EpollTunChannelConfig setGroup(int gid) {
        if (gid < -1) {
            throw new IllegalArgumentException("GROUP must be a gid or -1: " + gid);
        }
        if (attached() && gid >= 0) {
            TunIoctls.setGroup(device.controlFd(), deviceName(), gid);
        }
        this.group = gid;
        return this;
    }

    @Override
    public Boolean getCarrier() {
        return carrier;
    }

    @Override
    public EpollTunChannelConfig setCarrier(Boolean carrier) {
        if (attached() && carrier != null) {
            TunIoctls.setCarrier(device.controlFd(), deviceName(), carrier);
        }
        this.carrier = carrier;
        return this;
    }

    @Override
    public int getSndbuf() {
        return sndbuf;
    }

    @Override
    public EpollTunChannelConfig setSndbuf(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("SNDBUF must be >= 0: " + bytes);
        }
        if (attached() && bytes > 0) {
            TunIoctls.setSndbuf(device.controlFd(), deviceName(), bytes);
        }
        this.sndbuf = bytes;
        return this;
    }

    @Override
    public byte[] getMacAddress() {
        byte[] mac = macAddress;
        return mac == null ? null : mac.clone();
    }

    @Override
    public EpollTunChannelConfig setMacAddress(byte[] mac) {
        if (mac != null && mac.length != 6) {
            throw new IllegalArgumentException("MAC_ADDRESS must have 6 bytes, not " + mac.length);
        }
        byte[] copy = mac == null ? null : mac.clone();
        if (attached() && copy != null) {
            NetDevice.setMacAddress(deviceName(), copy);
        }
        this.macAddress = copy;
        return this;
    }

    @Override
    public int getTxQueueLength() {
        return txQueueLength;
    }

    @Override
    public EpollTunChannelConfig setTxQueueLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("TX_QUEUE_LENGTH must be >= 0: " + length);
        }
        if (attached() && length > 0) {
            NetDevice.setTxQueueLength(deviceName(), length);
        }
        this.txQueueLength = length;
        return this;
    }

    @Override
    public boolean isIpv6Dad() {
        return ipv6Dad;
    }

    @Override
    public EpollTunChannelConfig setIpv6Dad(boolean dad) {
        this.ipv6Dad = dad;
        return this;
    }

    @Override
    public Set<TunOffload> getOffloads() {
        return offloads;
    }

    @Override
    public EpollTunChannelConfig setOffloads(Set<TunOffload> offloads) {
        Set<TunOffload> copy = offloads.isEmpty() ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(offloads));
        if (attached()) {
            if (!copy.isEmpty() && !vnetHdr) {
                throw new IllegalStateException("OFFLOADS need VNET_HDR, which is fixed at bind and off on "
                        + device.localAddress());
            }
            TunDeviceSetup.setOffloads(device.controlFd(), deviceName(), copy, vnetHdrSize);
            this.offloads = copy;
            device.offloadsChanged(copy);
        } else {
            this.offloads = copy;
        }
        return this;
    }

    @Override
    public int getQueues() {
        return queues;
    }

    @Override
    public EpollTunChannelConfig setQueues(int queues) {
        checkUnbound("QUEUES");
        if (queues < 1 || queues > 256) {
            throw new IllegalArgumentException("QUEUES must be 1..256 (the kernel's limit): " + queues);
        }
        this.queues = queues;
        return this;
    }

    @Override
    public boolean isExclusive() {
        return exclusive;
    }

    @Override
    public EpollTunChannelConfig setExclusive(boolean exclusive) {
        checkUnbound("EXCLUSIVE");
        this.exclusive = exclusive;
        return this;
    }

    @Override
    public boolean isNapi() {
        return napi;
    }

    @Override
    public EpollTunChannelConfig setNapi(boolean napi) {
        checkUnbound("NAPI");
        this.napi = napi;
        return this;
    }

    @Override
    public int getIfIndex() {
        return ifIndex;
    }

    @Override
    public EpollTunChannelConfig setIfIndex(int ifIndex) {
        checkUnbound("IF_INDEX");
        if (ifIndex < 0) {
            throw new IllegalArgumentException("IF_INDEX must be > 0, or 0 for the kernel's choice: " + ifIndex);
        }
        this.ifIndex = ifIndex;
        return this;
    }

    @Override
    public TunTxFilter getTxFilter() {
        return txFilter;
    }

    @Override
    public EpollTunChannelConfig setTxFilter(TunTxFilter filter) {
        Objects.requireNonNull(filter, "filter");
        if (attached()) {
            TunDeviceSetup.setTxFilter(device.controlFd(), deviceName(), filter);
        }
        this.txFilter = filter;
        return this;
    }

    /** Adopts the flags of a device that was opened elsewhere (fd passing, multiqueue children). */
    void adoptFlags(TunMode mode, boolean packetInfo, boolean multiQueue, boolean vnetHdr, int vnetHdrSize) {
        this.mode = mode;
        this.packetInfo = packetInfo;
        this.multiQueue = multiQueue;
        this.vnetHdr = vnetHdr;
        this.vnetHdrSize = vnetHdrSize;
    }

    @Override
    public EpollTunChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public EpollTunChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public EpollTunChannelConfig setMaxMessagesPerWrite(int maxMessagesPerWrite) {
        super.setMaxMessagesPerWrite(maxMessagesPerWrite);
        return this;
    }

    @Override
    public EpollTunChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public EpollTunChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public EpollTunChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public EpollTunChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public EpollTunChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public EpollTunChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    public EpollTunChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public EpollTunChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public EpollTunChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    protected void autoReadCleared() {
        device.autoReadCleared();
    }
}
