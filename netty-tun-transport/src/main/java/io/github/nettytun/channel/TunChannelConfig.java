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
package io.github.nettytun.channel;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

import java.util.List;
import java.util.Set;

/**
 * The configuration of a {@link TunChannel}: the device's flags (fixed at bind), its interface
 * settings (applied at bind, and live when changed later) and the usual Netty channel settings.
 * Every setter has a {@link TunChannelOption} counterpart for {@code Bootstrap.option(..)}.
 */
public interface TunChannelConfig extends ChannelConfig {

    /** Returns the device mode. See {@link TunChannelOption#MODE}. */
    TunMode getMode();

    /** Sets the device mode; only before bind. See {@link TunChannelOption#MODE}. */
    TunChannelConfig setMode(TunMode mode);

    /** Returns whether frames carry the packet information header. See {@link TunChannelOption#PACKET_INFO}. */
    boolean isPacketInfo();

    /** Sets whether frames carry the packet information header; only before bind. */
    TunChannelConfig setPacketInfo(boolean packetInfo);

    /** Returns whether the device is multi-queue. See {@link TunChannelOption#MULTI_QUEUE}. */
    boolean isMultiQueue();

    /** Sets whether the device is multi-queue; only before bind. */
    TunChannelConfig setMultiQueue(boolean multiQueue);

    /** Returns whether frames carry a virtio-net header. See {@link TunChannelOption#VNET_HDR}. */
    boolean isVnetHdr();

    /** Sets whether frames carry a virtio-net header; only before bind. */
    TunChannelConfig setVnetHdr(boolean vnetHdr);

    /** Returns the virtio-net header size. See {@link TunChannelOption#VNET_HDR_SIZE}. */
    int getVnetHdrSize();

    /** Sets the virtio-net header size (at least 10); only before bind. */
    TunChannelConfig setVnetHdrSize(int size);

    /**
     * Returns the MTU: the configured one before bind (0 = kernel default), the device's after bind.
     * See {@link TunChannelOption#MTU}.
     */
    int getMtu();

    /** Sets the MTU (68..65535); applied to the device at once when bound. */
    TunChannelConfig setMtu(int mtu);

    /** Returns the addresses to add at bind. See {@link TunChannelOption#ADDRESSES}. */
    List<TunInterfaceAddress> getAddresses();

    /** Sets the addresses to add at bind; on a bound channel, adds them at once. */
    TunChannelConfig setAddresses(List<TunInterfaceAddress> addresses);

    /** Adds one address (see {@link #setAddresses(List)}). */
    TunChannelConfig addAddress(TunInterfaceAddress address);

    /** Returns whether the link is brought up at bind. See {@link TunChannelOption#LINK_UP}. */
    boolean isLinkUp();

    /** Sets whether the link is up; applied at once when bound. */
    TunChannelConfig setLinkUp(boolean up);

    /** Returns whether the device is (to be made) persistent. See {@link TunChannelOption#PERSIST}. */
    boolean isPersist();

    /** Sets persistence; applied at once when bound. */
    TunChannelConfig setPersist(boolean persist);

    /** Returns the owner uid to set, -1 for none. See {@link TunChannelOption#OWNER}. */
    int getOwner();

    /** Sets the owner uid (-1 for none); applied at once when bound. */
    TunChannelConfig setOwner(int uid);

    /** Returns the group gid to set, -1 for none. See {@link TunChannelOption#GROUP}. */
    int getGroup();

    /** Sets the group gid (-1 for none); applied at once when bound. */
    TunChannelConfig setGroup(int gid);

    /** Returns the carrier to set, {@code null} to leave it. See {@link TunChannelOption#CARRIER}. */
    Boolean getCarrier();

    /** Sets the carrier ({@code null} leaves it); applied at once when bound. */
    TunChannelConfig setCarrier(Boolean carrier);

    /** Returns the send buffer (bytes in flight in the kernel), 0 for the kernel's. See {@link TunChannelOption#SNDBUF}. */
    int getSndbuf();

    /** Sets the send buffer in bytes; applied at once when bound. */
    TunChannelConfig setSndbuf(int bytes);

    /** Returns a copy of the MAC address to set, or {@code null}. See {@link TunChannelOption#MAC_ADDRESS}. */
    byte[] getMacAddress();

    /** Sets the MAC address of a TAP device (6 bytes); applied at once when bound. */
    TunChannelConfig setMacAddress(byte[] mac);

    /** Returns the transmit queue length to set, 0 to leave it. See {@link TunChannelOption#TX_QUEUE_LENGTH}. */
    int getTxQueueLength();

    /** Sets the transmit queue length; applied at once when bound. */
    TunChannelConfig setTxQueueLength(int length);

    /** Returns whether IPv6 addresses go through duplicate address detection. See {@link TunChannelOption#IPV6_DAD}. */
    boolean isIpv6Dad();

    /** Sets whether IPv6 addresses go through duplicate address detection. */
    TunChannelConfig setIpv6Dad(boolean dad);

    /** Returns the offloads asked for. See {@link TunChannelOption#OFFLOADS}. */
    Set<TunOffload> getOffloads();

    /** Sets the offloads; on a bound channel, writes the device-wide mask at once. */
    TunChannelConfig setOffloads(Set<TunOffload> offloads);

    /** Returns how many queues a multi-queue parent opens. See {@link TunChannelOption#QUEUES}. */
    int getQueues();

    /** Sets how many queues a multi-queue parent opens (1..256); only before bind. */
    TunChannelConfig setQueues(int queues);

    /** Returns whether bind refuses an existing device. See {@link TunChannelOption#EXCLUSIVE}. */
    boolean isExclusive();

    /** Sets whether bind refuses an existing device; only before bind. */
    TunChannelConfig setExclusive(boolean exclusive);

    /** Returns whether the queue uses NAPI. See {@link TunChannelOption#NAPI}. */
    boolean isNapi();

    /** Sets whether the queue uses NAPI; only before bind. */
    TunChannelConfig setNapi(boolean napi);

    /** Returns the interface index asked for a new device (0: the kernel's choice). See {@link TunChannelOption#IF_INDEX}. */
    int getIfIndex();

    /** Sets the interface index for a new device (0: the kernel's choice); only before bind. */
    TunChannelConfig setIfIndex(int ifIndex);

    /** Returns the transmit filter of a TAP device. See {@link TunChannelOption#TX_FILTER}. */
    TunTxFilter getTxFilter();

    /** Sets the transmit filter of a TAP device; applied at once on a bound channel. */
    TunChannelConfig setTxFilter(TunTxFilter filter);

    @Override
    TunChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis);

    @Override
    @Deprecated
    TunChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead);

    @Override
    TunChannelConfig setWriteSpinCount(int writeSpinCount);

    /**
     * Sets how many frames one flush writes before yielding the event loop (and then going on in a
     * task). Default 64. Each frame is one {@code write()}; the write spin count is not used.
     */
    TunChannelConfig setMaxMessagesPerWrite(int maxMessagesPerWrite);

    /** Returns how many frames one flush writes before yielding the event loop. */
    int getMaxMessagesPerWrite();

    @Override
    TunChannelConfig setAllocator(ByteBufAllocator allocator);

    @Override
    TunChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator);

    @Override
    TunChannelConfig setAutoRead(boolean autoRead);

    @Override
    TunChannelConfig setAutoClose(boolean autoClose);

    @Override
    TunChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark);

    @Override
    TunChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark);

    @Override
    TunChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark);

    @Override
    TunChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator);
}
