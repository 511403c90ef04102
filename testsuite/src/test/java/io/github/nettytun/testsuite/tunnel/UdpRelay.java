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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A man in the middle for the UDP transport, in the test JVM's namespace (the router between the two
 * ends): the client connects to it, it forwards each datagram to the server and back, and keeps a copy of
 * every datagram from the client so a test can replay or alter them and inject them towards the server
 * from the same address the real client appears to use.
 */
final class UdpRelay implements AutoCloseable {

    private final DatagramChannel clientSide;
    private final DatagramChannel serverSide;
    private final InetSocketAddress server;
    private final List<byte[]> fromClient = new ArrayList<>();
    private final Thread up;
    private final Thread down;
    private volatile SocketAddress client;
    private volatile boolean running = true;

    UdpRelay(InetSocketAddress listen, String towardsServer, InetSocketAddress server) throws IOException {
        this.server = server;
        clientSide = DatagramChannel.open().bind(listen);
        serverSide = DatagramChannel.open().bind(new InetSocketAddress(towardsServer, 0));
        up = new Thread(this::upLoop, "relay-up");
        down = new Thread(this::downLoop, "relay-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
    }

    private void upLoop() {
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (running) {
            try {
                b.clear();
                SocketAddress from = clientSide.receive(b);
                client = from;
                b.flip();
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                synchronized (fromClient) {
                    fromClient.add(copy);
                }
                serverSide.send(ByteBuffer.wrap(copy), server);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void downLoop() {
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (running) {
            try {
                b.clear();
                serverSide.receive(b);
                b.flip();
                SocketAddress c = client;
                if (c != null) {
                    clientSide.send(b, c);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Returns copies of the datagrams the client sent so far whose first byte is {@code type}. */
    List<byte[]> captured(int type) {
        List<byte[]> out = new ArrayList<>();
        synchronized (fromClient) {
            for (byte[] d : fromClient) {
                if (d.length > 0 && d[0] == type) {
                    out.add(d.clone());
                }
            }
        }
        return out;
    }

    /** Sends a datagram to the server as if from the client. */
    void inject(byte[] datagram) throws IOException {
        serverSide.send(ByteBuffer.wrap(datagram), server);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        clientSide.close();
        serverSide.close();
        up.join(2000);
        down.join(2000);
    }
}
