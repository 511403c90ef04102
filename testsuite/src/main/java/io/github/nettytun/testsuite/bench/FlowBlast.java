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
 * flows. This C program is written from this string into the benchmark's output directory under /tmp and
 * compiled with gcc at run time (no C file lives in the repository). It sends {@code -f} flows 198.18.0.1:{@code
 * -P}+i -> {@code -d}:{@code -p} until SIGTERM, in one of two modes:
 * <ul>
 * <li>{@code -m udp} (default): one connected UDP socket per flow, {@code -b} (32) datagrams per
 *     {@code sendmmsg}, socket after socket. The UDP send path, routing and {@code tun_net_xmit} all run in the
 *     generator's context: about 2 µs of CPU per packet here, as much as the reader spends.</li>
 * <li>{@code -m packet -i dev}: pre-built IPv4/UDP packets (valid header checksum, UDP checksum 0) through an
 *     {@code AF_PACKET} {@code SOCK_DGRAM} socket bound to the device with {@code PACKET_QDISC_BYPASS}, so
 *     {@code packet_xmit()} hands each one to {@code dev_direct_xmit()} on the queue that
 *     {@code tun_select_queue()} picks from the flow hash: no UDP, no routing, no qdisc. Batching with a
 *     {@code PACKET_TX_RING} of 1024 frames, {@code -b} (256) frames per {@code send()}; {@code -R 0} uses
 *     {@code sendmmsg} of {@code -b} packets on the same socket instead of the ring. When a tun queue's ring is
 *     full (the packet is dropped, {@code tx_dropped}, and {@code send} fails with {@code ENOBUFS}) the generator
 *     sleeps 20 µs, so the readers rather than a spinning sender get the CPU.</li>
 * </ul>
 * {@code -r pps} paces either mode to a total rate (0, the default: flat out).
 *
 * <pre>
 *   flowblast -d 198.18.0.2 -p 9000 -l 64 -f 16 -P 41000 [-b 32]
 *   flowblast -m packet -i ppsb0 -s 198.18.0.1 -d 198.18.0.2 -p 9000 -l 64 -f 32 -P 41000 [-b 256] [-R 0]
 * </pre>
 */
final class FlowBlast {
    /** The program's name in the output directory. */
    static final String NAME = "flowblast";

    private static final String SOURCE = """
            #define _GNU_SOURCE
            #include <arpa/inet.h>
            #include <errno.h>
            #include <linux/filter.h>
            #include <linux/if_ether.h>
            #include <linux/if_packet.h>
            #include <net/if.h>
            #include <netinet/in.h>
            #include <signal.h>
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/mman.h>
            #include <sys/prctl.h>
            #include <sys/socket.h>
            #include <time.h>
            #include <unistd.h>

            static volatile sig_atomic_t stop;
            static void on_stop(int sig) { (void)sig; stop = 1; }

            static uint16_t ip_csum(const uint8_t *p, size_t n) {
                uint32_t acc = 0;
                for (size_t i = 0; i + 1 < n; i += 2) acc += (uint32_t)(p[i] << 8 | p[i + 1]);
                while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
                return (uint16_t)~acc;
            }

            /* One IPv4/UDP packet src:sport -> dst:dport, the same bytes the kernel builds in udp mode, except the
               UDP checksum: 0 means "none" in IPv4 (RFC 768), and the reader never checks it. */
            static size_t build(uint8_t *p, struct in_addr src, struct in_addr dst, int sport, int dport,
                                size_t payload) {
                size_t total = 28 + payload;
                memset(p, 0, 28);
                p[0] = 0x45;
                p[2] = (uint8_t)(total >> 8); p[3] = (uint8_t)total;
                p[6] = 0x40; /* DF */
                p[8] = 64; p[9] = 17;
                memcpy(p + 12, &src, 4);
                memcpy(p + 16, &dst, 4);
                uint16_t c = ip_csum(p, 20);
                p[10] = (uint8_t)(c >> 8); p[11] = (uint8_t)c;
                p[20] = (uint8_t)(sport >> 8); p[21] = (uint8_t)sport;
                p[22] = (uint8_t)(dport >> 8); p[23] = (uint8_t)dport;
                p[24] = (uint8_t)((8 + payload) >> 8); p[25] = (uint8_t)(8 + payload);
                for (size_t i = 0; i < payload; i++) p[28 + i] = (uint8_t)i;
                return total;
            }

            static uint64_t now_ns(void) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
            }

            /* Sleeps until the packets sent so far are due at the given rate (0: no pacing). */
            static void pace(uint64_t t0, unsigned long long sent, long rate) {
                if (rate <= 0) return;
                uint64_t due = t0 + (uint64_t)((double)sent * 1e9 / (double)rate);
                if (now_ns() >= due) return;
                struct timespec ts = { (time_t)(due / 1000000000ull), (long)(due % 1000000000ull) };
                clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
            }

            /* -m packet -R 0: the same socket without the ring, one sendmmsg of batch packets per call (packet_snd()
               copies each into a linear skb). */
            static int run_packet_mmsg(int fd, unsigned ifindex, struct in_addr src, struct in_addr dst, int dport,
                                       size_t payload, int flows, int sport, int batch, long rate) {
                struct sockaddr_ll ll;
                memset(&ll, 0, sizeof(ll));
                ll.sll_family = AF_PACKET;
                ll.sll_protocol = htons(ETH_P_IP);
                ll.sll_ifindex = (int)ifindex;
                if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) { perror("bind(AF_PACKET)"); return 1; }
                uint8_t *pkts = calloc((size_t)flows, 2048);
                size_t len = 0;
                for (int f = 0; f < flows; f++) {
                    len = build(pkts + (size_t)f * 2048, src, dst, sport + f, dport, payload);
                }
                struct iovec *iov = calloc((size_t)batch, sizeof(*iov));
                struct mmsghdr *msgs = calloc((size_t)batch, sizeof(*msgs));
                for (int i = 0; i < batch; i++) {
                    iov[i].iov_base = pkts + (size_t)(i % flows) * 2048;
                    iov[i].iov_len = len;
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                }
                prctl(PR_SET_TIMERSLACK, 1UL);
                fprintf(stderr, "READY flowblast packet (sendmmsg) ifindex=%u payload=%zu flows=%d batch=%d"
                        " rate=%ld\\n", ifindex, payload, flows, batch, rate);
                unsigned long long sent = 0, full = 0, errs = 0;
                uint64_t t0 = now_ns();
                int off = 0;
                while (!stop) {
                    int r = sendmmsg(fd, msgs + off, (unsigned)(batch - off), MSG_DONTWAIT);
                    if (r > 0) { sent += (unsigned long long)r; off = (off + r) % batch; }
                    else if (r < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
                        /* the next message hit a full tun ring (dropped): back off as in ring mode */
                        full++;
                        off = (off + 1) % batch;
                        struct timespec ts = { 0, 20000 };
                        nanosleep(&ts, NULL);
                    } else if (r < 0 && errno != EINTR) errs++;
                    pace(t0, sent, rate);
                }
                printf("flowblast packet sent=%llu ring-full=%llu errors=%llu\\n", sent, full, errs);
                return 0;
            }

            /*
             * -m packet: pre-built packets straight into the device's transmit path. An AF_PACKET SOCK_DGRAM socket
             * bound to the device with PACKET_QDISC_BYPASS sends through packet_xmit() -> dev_direct_xmit(skb,
             * packet_pick_tx_queue(skb)) (net/packet/af_packet.c): no UDP socket, no routing, no qdisc. The queue is
             * the driver's choice, ndo_select_queue = tun_select_queue() -> tun_automq_select_queue()
             * (drivers/net/tun.c): the symmetric flow hash scaled to the number of queues (no flow entries exist,
             * the reader never writes), so distinct source ports spread over the queues as in udp mode.
             * PACKET_TX_RING: the frames are filled once at start (frame i carries flow i % flows); per batch we only
             * hand frames back to the kernel and kick it with one send(). tun_net_xmit() calls skb_orphan(), which
             * runs the ring's destructor at once, so a frame is free again as soon as tun queued it, while its page
             * still backs the queued skb: harmless, because a frame's bytes never change after start.
             */
            static int run_packet(const char *ifname, struct in_addr src, struct in_addr dst, int dport, size_t payload,
                                  int flows, int sport, int batch, long rate, int use_ring) {
                unsigned ifindex = if_nametoindex(ifname);
                if (!ifindex) { perror(ifname); return 1; }
                if (payload + 28 > 1500) {
                    fprintf(stderr, "packet mode: payload must fit the 1500-byte MTU\\n");
                    return 2;
                }
                int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
                if (fd < 0) { perror("socket(AF_PACKET)"); return 1; }
                /* The socket only sends: a drop-all filter keeps anything the device might receive off its queue. */
                struct sock_filter drop_all = BPF_STMT(BPF_RET | BPF_K, 0);
                struct sock_fprog prog = { 1, &drop_all };
                if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
                    perror("SO_ATTACH_FILTER");
                    return 1;
                }
                int one = 1;
                if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
                    perror("PACKET_QDISC_BYPASS");
                    return 1;
                }
                if (!use_ring) return run_packet_mmsg(fd, ifindex, src, dst, dport, payload, flows, sport, batch, rate);
                int ver = TPACKET_V2;
                if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) < 0) {
                    perror("PACKET_VERSION");
                    return 1;
                }
                struct tpacket_req req;
                memset(&req, 0, sizeof(req));
                req.tp_frame_size = 2048; /* > TPACKET2 header + 1500 */
                req.tp_block_size = 1 << 16;
                req.tp_block_nr = 32;
                req.tp_frame_nr = req.tp_block_nr * (req.tp_block_size / req.tp_frame_size); /* 1024 */
                if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0) {
                    perror("PACKET_TX_RING");
                    return 1;
                }
                size_t ring_len = (size_t)req.tp_block_size * req.tp_block_nr;
                uint8_t *ring = mmap(NULL, ring_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
                if (ring == MAP_FAILED) { perror("mmap"); return 1; }
                struct sockaddr_ll ll;
                memset(&ll, 0, sizeof(ll));
                ll.sll_family = AF_PACKET;
                ll.sll_protocol = htons(ETH_P_IP);
                ll.sll_ifindex = (int)ifindex;
                if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) { perror("bind(AF_PACKET)"); return 1; }
                /* SOCK_DGRAM without PACKET_TX_HAS_OFF: the packet starts right after the aligned tpacket2_hdr. */
                const size_t data_off = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));
                const unsigned nframes = req.tp_frame_nr;
                size_t len = 0;
                for (unsigned i = 0; i < nframes; i++) {
                    struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)i * req.tp_frame_size);
                    len = build((uint8_t *)h + data_off, src, dst, sport + (int)(i % (unsigned)flows), dport, payload);
                    h->tp_len = (uint32_t)len;
                    h->tp_status = TP_STATUS_AVAILABLE;
                }
                prctl(PR_SET_TIMERSLACK, 1UL); /* pacing sleeps of tens of microseconds */
                char dbuf[INET_ADDRSTRLEN];
                inet_ntop(AF_INET, &dst, dbuf, sizeof(dbuf));
                fprintf(stderr, "READY flowblast packet %s -> %s:%d payload=%zu flows=%d sports=%d..%d batch=%d"
                        " ring=%u rate=%ld\\n",
                        ifname, dbuf, dport, payload, flows, sport, sport + flows - 1, batch, nframes, rate);
                unsigned long long queued = 0, kicks = 0, full = 0, errs = 0;
                unsigned head = 0;
                uint64_t t0 = now_ns();
                while (!stop) {
                    int n = 0;
                    for (; n < batch; n++) {
                        struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)head * req.tp_frame_size);
                        if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) break;
                        h->tp_len = (uint32_t)len;
                        __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
                        head = (head + 1) % nframes;
                    }
                    queued += (unsigned long long)n;
                    kicks++;
                    if (send(fd, NULL, 0, MSG_DONTWAIT) < 0) {
                        /* ENOBUFS: a tun queue's ring was full and dropped a packet (tx_dropped); the kernel left
                           that frame and the rest queued for the next send(). Back off briefly so the readers, not
                           a spinning sender, get the CPU: a real sender would see the same backpressure. */
                        if (errno == ENOBUFS || errno == EAGAIN) {
                            full++;
                            struct timespec ts = { 0, 20000 };
                            nanosleep(&ts, NULL);
                        } else if (errno != EINTR) {
                            errs++;
                        }
                    }
                    pace(t0, queued, rate);
                }
                /* Frames still waiting at the end were never sent. */
                unsigned long long pending = 0;
                for (unsigned i = 0; i < nframes; i++) {
                    struct tpacket2_hdr *h = (struct tpacket2_hdr *)(ring + (size_t)i * req.tp_frame_size);
                    if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE) pending++;
                }
                printf("flowblast packet sent=%llu kicks=%llu ring-full=%llu errors=%llu\\n",
                       queued - pending, kicks, full, errs);
                return 0;
            }

            int main(int argc, char **argv) {
                const char *dst = "198.18.0.2", *src = "198.18.0.1", *mode = "udp", *ifname = "ppsb0";
                int port = 9000, flows = 16, sport = 41000, batch = 0, use_ring = 1, opt;
                long rate = 0;
                size_t payload = 64;
                while ((opt = getopt(argc, argv, "d:p:l:f:P:b:m:i:s:r:R:")) != -1) {
                    switch (opt) {
                    case 'd': dst = optarg; break;
                    case 'p': port = atoi(optarg); break;
                    case 'l': payload = (size_t)atol(optarg); break;
                    case 'f': flows = atoi(optarg); break;
                    case 'P': sport = atoi(optarg); break;
                    case 'b': batch = atoi(optarg); break;
                    case 'm': mode = optarg; break;
                    case 'i': ifname = optarg; break;
                    case 's': src = optarg; break;
                    case 'r': rate = atol(optarg); break;
                    case 'R': use_ring = atoi(optarg); break;
                    default:
                        fprintf(stderr, "usage: %s [-m udp|packet] -d dst -p port -l payload -f flows -P first-sport"
                                " [-b batch]"
                                " [-i dev -s src] [-r pps]\\n", argv[0]);
                        return 2;
                    }
                }
                int packet = strcmp(mode, "packet") == 0;
                if (!packet && strcmp(mode, "udp") != 0) { fprintf(stderr, "bad mode %s\\n", mode); return 2; }
                if (batch == 0) batch = packet ? 256 : 32;
                if (flows < 1 || flows > 4096 || batch < 1 || batch > 1024 || payload > 65507) {
                    fprintf(stderr, "bad flows/batch/payload\\n");
                    return 2;
                }
                struct sigaction sa;
                memset(&sa, 0, sizeof(sa));
                sa.sa_handler = on_stop;
                sigaction(SIGTERM, &sa, NULL);
                sigaction(SIGINT, &sa, NULL);
                if (packet) {
                    struct in_addr s4, d4;
                    if (!inet_aton(src, &s4) || !inet_aton(dst, &d4)) { fprintf(stderr, "bad address\\n"); return 2; }
                    return run_packet(ifname, s4, d4, port, payload, flows, sport, batch, rate, use_ring);
                }
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
                fprintf(stderr, "READY flowblast -> %s:%d payload=%zu flows=%d sports=%d..%d batch=%d rate=%ld\\n",
                        dst, port, payload, flows, sport, sport + flows - 1, batch, rate);
                unsigned long long sent = 0, errs = 0;
                uint64_t t0 = now_ns();
                for (int f = 0; !stop; f = (f + 1) % flows) {
                    int r = sendmmsg(s[f], msgs, (unsigned)batch, 0);
                    if (r < 0) { if (errno != EINTR) errs++; continue; }
                    sent += (unsigned long long)r;
                    pace(t0, sent, rate);
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
