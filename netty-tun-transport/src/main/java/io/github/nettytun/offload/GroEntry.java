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
package io.github.nettytun.offload;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;

import java.util.ArrayList;
import java.util.List;

/**
 * One output of a {@link GroBatch}: a message written as it came, or a run of same-flow packets that
 * will be written as one super-packet. A run starts as a single packet and grows by appending.
 */
final class GroEntry {

    /** The messages (a {@link ByteBuf} or a {@code VirtioNetFrame}, or anything else passed on untouched). */
    final List<Object> messages = new ArrayList<>(1);
    /** The packet inside each message (its readable bytes), or {@code null} for other messages. */
    final List<ByteBuf> packets = new ArrayList<>(1);
    final List<ChannelPromise> promises = new ArrayList<>(1);

    /** Whether this entry is in the batch's output list (or merged into an entry that is). */
    boolean placed;
    /** The flow of an open run, to close it by. */
    FlowKey key;
    /** Whether this entry may still grow: a run whose flow has not been closed. */
    boolean open;
    boolean tcp;
    int transportOffset;
    int headerLength;
    int gsoSize;
    int payloadBytes;
    long nextSequence;
    int nextId;
    boolean lastPush;

    GroEntry(Object message, ByteBuf packet, ChannelPromise promise) {
        add(message, packet, promise);
    }

    void add(Object message, ByteBuf packet, ChannelPromise promise) {
        messages.add(message);
        packets.add(packet);
        promises.add(promise);
    }

    int count() {
        return messages.size();
    }

    ByteBuf head() {
        return packets.get(0);
    }
}
