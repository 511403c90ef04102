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
package io.github.nettytun.testsuite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The multi-flow traffic generator of the multi-queue RX benchmark. The shared harness' {@code udpblast}
 * sends one flow; the kernel steers a flow to one queue (by its hash, DESIGN.md §3), so spreading needs many
 * flows. This C program (written from this string into the benchmark's output directory under /tmp and
 * compiled with gcc at run time; no C file lives in the repository) opens {@code -f} UDP sockets bound to
 * source ports {@code -P}, {@code -P}+1, ... and connected to {@code -d}:{@code -p}, and sends {@code -b}
 * datagrams with one {@code sendmmsg} per socket in turn, until SIGTERM.
 *
 * <pre>
 *   flowblast -d 198.18.0.2 -p 9000 -l 64 -f 16 -P 41000 [-b 32]
 * </pre>
 */
final class FlowBlast {
    /** The program's name in the output directory. */
    static final String NAME = "flowblast";

    private static final String SOURCE = """
            #define _GNU_SOURCE
            #include <arpa/inet.h>
            #include <errno.h>
            #include <netinet/in.h>
            #include <signal.h>
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/socket.h>
            #include <unistd.h>

            static volatile sig_atomic_t stop;
            static void on_stop(int sig) { (void)sig; stop = 1; }

            int main(int argc, char **argv) {
                const char *dst = "198.18.0.2";
                int port = 9000, flows = 16, sport = 41000, batch = 32, opt;
                size_t payload = 64;
                while ((opt = getopt(argc, argv, "d:p:l:f:P:b:")) != -1) {
                    switch (opt) {
                    case 'd': dst = optarg; break;
                    case 'p': port = atoi(optarg); break;
                    case 'l': payload = (size_t)atol(optarg); break;
                    case 'f': flows = atoi(optarg); break;
                    case 'P': sport = atoi(optarg); break;
                    case 'b': batch = atoi(optarg); break;
                    default:
                        fprintf(stderr, "usage: %s -d dst -p port -l payload -f flows -P first-sport [-b batch]\\n", argv[0]);
                        return 2;
                    }
                }
                if (flows < 1 || flows > 4096 || batch < 1 || batch > 1024 || payload > 65507) {
                    fprintf(stderr, "bad flows/batch/payload\\n");
                    return 2;
                }
                struct sigaction sa;
                memset(&sa, 0, sizeof(sa));
                sa.sa_handler = on_stop;
                sigaction(SIGTERM, &sa, NULL);
                sigaction(SIGINT, &sa, NULL);
                int *s = calloc((size_t)flows, sizeof(int));
                struct sockaddr_in d;
                memset(&d, 0, sizeof(d));
                d.sin_family = AF_INET;
                d.sin_port = htons((uint16_t)port);
                if (!inet_aton(dst, &d.sin_addr)) { fprintf(stderr, "bad address\\n"); return 2; }
                for (int i = 0; i < flows; i++) {
                    s[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                    int sz = 4 << 20;
                    setsockopt(s[i], SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
                    struct sockaddr_in b;
                    memset(&b, 0, sizeof(b));
                    b.sin_family = AF_INET;
                    b.sin_port = htons((uint16_t)(sport + i));
                    if (bind(s[i], (struct sockaddr *)&b, sizeof(b)) < 0) { perror("bind"); return 1; }
                    if (connect(s[i], (struct sockaddr *)&d, sizeof(d)) < 0) { perror("connect"); return 1; }
                }
                static uint8_t data[65536];
                for (size_t i = 0; i < payload; i++) data[i] = (uint8_t)i;
                struct iovec *iov = calloc((size_t)batch, sizeof(*iov));
                struct mmsghdr *msgs = calloc((size_t)batch, sizeof(*msgs));
                for (int i = 0; i < batch; i++) {
                    iov[i].iov_base = data;
                    iov[i].iov_len = payload;
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                }
                fprintf(stderr, "READY flowblast -> %s:%d payload=%zu flows=%d sports=%d..%d batch=%d\\n",
                        dst, port, payload, flows, sport, sport + flows - 1, batch);
                unsigned long long sent = 0, errs = 0;
                for (int f = 0; !stop; f = (f + 1) % flows) {
                    int r = sendmmsg(s[f], msgs, (unsigned)batch, 0);
                    if (r < 0) { if (errno != EINTR) errs++; continue; }
                    sent += (unsigned long long)r;
                }
                printf("flowblast sent=%llu errors=%llu\\n", sent, errs);
                return 0;
            }
            """;

    private FlowBlast() {
    }

    /**
     * Writes the C source into {@code bin} and compiles it there.
     *
     * @param bin the output directory's {@code bin}
     * @return the executable
     */
    static Path compile(Path bin) throws IOException, InterruptedException {
        Path src = bin.resolve(NAME + ".c");
        Files.write(src, SOURCE.getBytes(StandardCharsets.US_ASCII));
        Path exe = bin.resolve(NAME);
        Process p = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("gcc " + src + " failed: " + output.trim());
        }
        return exe;
    }
}
