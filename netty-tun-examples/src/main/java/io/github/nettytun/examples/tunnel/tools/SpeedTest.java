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
package io.github.nettytun.examples.tunnel.tools;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A minimal TCP throughput test for the demo when iperf3 is not installed: {@code sink PORT} accepts one
 * connection and reads until it ends; {@code send HOST PORT SECONDS} writes for that long. Each prints
 * what it moved and the rate.
 */
public final class SpeedTest {

    private SpeedTest() {
    }

    public static void main(String[] args) throws Exception {
        byte[] buf = new byte[128 * 1024];
        long bytes = 0;
        long start;
        String role;
        if (args.length == 2 && args[0].equals("sink")) {
            role = "received";
            try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]))) {
                System.out.println("sink listening on port " + args[1]);
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    start = System.nanoTime();
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        bytes += n;
                    }
                }
            }
        } else if (args.length == 4 && args[0].equals("send")) {
            role = "sent";
            long seconds = Long.parseLong(args[3]);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 5000);
                OutputStream out = s.getOutputStream();
                start = System.nanoTime();
                long end = start + seconds * 1_000_000_000L;
                while (System.nanoTime() < end) {
                    out.write(buf);
                    bytes += buf.length;
                }
            }
        } else {
            System.err.println("usage: SpeedTest sink PORT | SpeedTest send HOST PORT SECONDS");
            System.exit(2);
            return;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s %.1f MB in %.2f s: %.0f Mbit/s%n", role, bytes / 1e6, secs, bytes * 8 / secs / 1e6);
    }
}
