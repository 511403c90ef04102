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

/**
 * The identity of a TCP or UDP flow (version, protocol, addresses, ports) read from a raw packet: the key
 * under which {@link GroBatch} keeps the one open coalescing run of each flow.
 */
final class FlowKey {

    private final long source0;
    private final long source1;
    private final long destination0;
    private final long destination1;
    private final int ports;
    private final int versionAndProtocol;

    private FlowKey(long source0, long source1, long destination0, long destination1, int ports,
                    int versionAndProtocol) {
        this.source0 = source0;
        this.source1 = source1;
        this.destination0 = destination0;
        this.destination1 = destination1;
        this.ports = ports;
        this.versionAndProtocol = versionAndProtocol;
    }

    /**
     * Reads the key of a packet whose transport header (at least 4 bytes of it) is at {@code base + l4}.
     */
    static FlowKey of(ByteBuf buf, int base, int l4, int protocol) {
        int ports = buf.getInt(base + l4);
        if (buf.getUnsignedByte(base) >>> 4 == 4) {
            return new FlowKey(buf.getUnsignedInt(base + 12), 0, buf.getUnsignedInt(base + 16), 0, ports,
                    4 << 8 | protocol);
        }
        return new FlowKey(buf.getLong(base + 8), buf.getLong(base + 16), buf.getLong(base + 24),
                buf.getLong(base + 32), ports, 6 << 8 | protocol);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowKey)) {
            return false;
        }
        FlowKey k = (FlowKey) o;
        return source0 == k.source0 && source1 == k.source1 && destination0 == k.destination0
                && destination1 == k.destination1 && ports == k.ports && versionAndProtocol == k.versionAndProtocol;
    }

    @Override
    public int hashCode() {
        long h = source0 * 31 + source1;
        h = h * 31 + destination0;
        h = h * 31 + destination1;
        h = h * 31 + ports;
        h = h * 31 + versionAndProtocol;
        return (int) (h ^ (h >>> 32));
    }
}
