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

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A man in the middle for the TCP transport, in the test JVM's namespace (the router between the two
 * ends), like {@link UdpRelay} for UDP: the client connects to it, and for each connection it opens one to
 * the server. Towards the server it cuts the stream into the transport's frames (a 16-bit big-endian
 * length, then the message), so it can alter the {@code n}th data message, send one twice, and put a
 * copy of an earlier frame or arbitrary bytes into the stream between two frames. Towards the client it
 * copies bytes unchanged. It keeps copies of the first frames the client sent (with their prefix) and
 * counts the data messages it forwarded intact, which is exactly what the server may write to its device.
 */
final class TcpRelay implements AutoCloseable {

    /** Bytes of the transport's length prefix. */
    static final int PREFIX = 2;
    /** Message type of a data message that carries a device frame (see {@code WireFormat.TYPE_DATA}). */
    static final int TYPE_DATA = 3;
    private static final int KEEP_FRAMES = 1000;

    private enum Action { FLIP, DUPLICATE }

    private final ServerSocket listener;
    private final String towardsServer;
    private final InetSocketAddress server;
    private final Thread acceptor;
    private final List<Link> links = new ArrayList<>();
    private final List<byte[]> captured = new ArrayList<>();
    /** Planned actions by the absolute number of the data message (1-based) they apply to. */
    private final TreeMap<Long, Action> plan = new TreeMap<>();
    private long dataMessages;
    private long intact;
    private long flipped;
    private long duplicated;
    private volatile Link current;
    private volatile boolean running = true;

    TcpRelay(InetSocketAddress listen, String towardsServer, InetSocketAddress server) throws IOException {
        this.towardsServer = towardsServer;
        this.server = server;
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(listen);
        acceptor = new Thread(this::acceptLoop, "tcp-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (running) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream = new Socket();
            Link link;
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.bind(new InetSocketAddress(towardsServer, 0));
                upstream.connect(server, 5000);
                link = new Link(client, upstream);
            } catch (IOException e) {
                // The server is not up yet: the client sees the close and retries, as it would without us.
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (links) {
                if (!running) {
                    link.close();
                    return;
                }
                links.add(link);
            }
            current = link;
            link.start();
        }
    }

    /** Returns how many connections the relay has passed on to the server so far. */
    int connections() {
        synchronized (links) {
            return links.size();
        }
    }

    /** Alters one byte of the authentication tag of the {@code nth} data message from now on (1: the next). */
    synchronized void flipInDataMessage(int nth) {
        plan.put(dataMessages + nth, Action.FLIP);
    }

    /** Sends the {@code nth} data message from now on twice, the copy right after the original. */
    synchronized void duplicateDataMessage(int nth) {
        plan.put(dataMessages + nth, Action.DUPLICATE);
    }

    /** Returns whether every planned alteration and duplicate has been carried out. */
    synchronized boolean planDone() {
        return plan.isEmpty();
    }

    /** Returns how many data messages went to the server as the client sent them (duplicates not counted). */
    synchronized long intactDataMessages() {
        return intact;
    }

    /** Returns how many data messages were altered. */
    synchronized long flipped() {
        return flipped;
    }

    /** Returns how many data messages were sent twice. */
    synchronized long duplicated() {
        return duplicated;
    }

    /** Returns copies of the first frames (prefix included) the client sent whose message type is {@code type}. */
    List<byte[]> captured(int type) {
        List<byte[]> out = new ArrayList<>();
        synchronized (captured) {
            for (byte[] f : captured) {
                if (f.length > PREFIX && f[PREFIX] == type) {
                    out.add(f.clone());
                }
            }
        }
        return out;
    }

    /**
     * Writes {@code bytes} into the current connection towards the server, between two of the client's
     * frames: a whole frame (prefix included) to replay or forge a message, or anything else to break the
     * framing.
     */
    void inject(byte[] bytes) throws IOException {
        Link link = current;
        if (link == null) {
            throw new IOException("no connection to inject into");
        }
        link.writeUp(bytes);
    }

    /** Waits until the relay has passed on {@code count} connections; returns whether it did in time. */
    boolean awaitConnections(int count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (connections() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Decides what happens to one frame from the client; returns how many times to send it (0, 1 or 2). */
    private synchronized int onFrame(byte[] frame) {
        synchronized (captured) {
            if (captured.size() < KEEP_FRAMES) {
                captured.add(frame.clone());
            }
        }
        if (frame.length <= PREFIX || frame[PREFIX] != TYPE_DATA) {
            return 1;
        }
        Action a = plan.remove(++dataMessages);
        if (a == Action.FLIP) {
            // The last byte is part of the tag: the message keeps its shape and its fresh counter, so only
            // the authentication can refuse it.
            frame[frame.length - 1] ^= 0x01;
            flipped++;
            return 1;
        }
        intact++;
        if (a == Action.DUPLICATE) {
            duplicated++;
            return 2;
        }
        return 1;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        listener.close();
        List<Link> all;
        synchronized (links) {
            all = new ArrayList<>(links);
        }
        for (Link l : all) {
            l.close();
        }
        acceptor.join(2000);
        for (Link l : all) {
            l.join();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing: nothing left to do.
        }
    }

    /** One client connection and its connection to the server, with a thread per direction. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final OutputStream up;
        private final Thread upThread;
        private final Thread downThread;
        private int finished;

        Link(Socket client, Socket upstream) throws IOException {
            this.client = client;
            this.upstream = upstream;
            this.up = upstream.getOutputStream();
            upThread = new Thread(this::upLoop, "tcp-relay-up");
            downThread = new Thread(this::downLoop, "tcp-relay-down");
            upThread.setDaemon(true);
            downThread.setDaemon(true);
        }

        void start() {
            upThread.start();
            downThread.start();
        }

        private void upLoop() {
            // No try-with-resources on the streams: closing one closes its socket, which finished() does.
            try {
                DataInputStream in = new DataInputStream(client.getInputStream());
                while (running) {
                    int length = in.readUnsignedShort();
                    byte[] frame = new byte[PREFIX + length];
                    frame[0] = (byte) (length >>> 8);
                    frame[1] = (byte) length;
                    in.readFully(frame, PREFIX, length);
                    int times = onFrame(frame);
                    for (int i = 0; i < times; i++) {
                        writeUp(frame);
                    }
                }
            } catch (IOException e) {
                // The client closed or reset, the server went away, or we are closing.
            } finally {
                // A FIN after everything forwarded, not a close: closing with unread bytes from the server
                // would send a reset, and the server might then lose frames it has not read yet.
                shutdownOutput(upstream);
                finished();
            }
        }

        private void downLoop() {
            byte[] buf = new byte[65536];
            boolean clientGone = false;
            try {
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (!clientGone) {
                        try {
                            out.write(buf, 0, n);
                        } catch (IOException e) {
                            // Keep reading until the server closes too (see upLoop).
                            clientGone = true;
                        }
                    }
                }
            } catch (IOException e) {
                // Reset, or closed by us.
            } finally {
                shutdownOutput(client);
                finished();
            }
        }

        private synchronized void finished() {
            if (++finished == 2) {
                close();
            }
        }

        private void shutdownOutput(Socket s) {
            try {
                s.shutdownOutput();
            } catch (IOException ignored) {
                // Already closed.
            }
        }

        /** Writes whole frames (or injected bytes) towards the server; one writer at a time keeps frames whole. */
        void writeUp(byte[] bytes) throws IOException {
            synchronized (up) {
                up.write(bytes);
                up.flush();
            }
        }

        /** Closes both sockets (both directions are done, or the relay closes). */
        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }

        void join() throws InterruptedException {
            upThread.join(2000);
            downThread.join(2000);
        }
    }
}
