#!/bin/bash
#
# Copyright 2026 The netty-tun Project
#
# The netty-tun Project licenses this file to you under the Apache License, version 2.0 (the
# "License"); you may not use this file except in compliance with the License. You may obtain a
# copy of the License at:
#
#   https://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software distributed under the License
# is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express
# or implied. See the License for the specific language governing permissions and limitations under
# the License.
#
# Captures frames from real TUN and TAP devices into the pcap files the codec tests replay.
#
# Usage (as root, or with CAP_NET_ADMIN + CAP_SYS_ADMIN for unshare):
#   netty-tun-transport/src/test/scripts/capture-frames.sh [output-dir]
#
# Everything happens in a private network namespace (unshare --net): no packet can leave the machine.
# Addresses are from 198.18.0.0/15 and 2001:2::/48 only. Devices are created with TUNSETIFF on
# /dev/net/tun (non-persistent: they vanish with their fd), configured with `ip` inside the namespace,
# and deleted explicitly on exit (trap and python finally); the namespace dies with the script.
#
# Output (see captures/README.md for what is in each):
#   tun.pcap        LINKTYPE_RAW (101)    TUN, IFF_NO_PI: ICMP, ICMPv6, UDP, TCP SYN, fragments, ext headers
#   tun-pi.pcap     LINKTYPE_USER0 (147)  TUN with PI: the raw reads, 4-byte PI + packet
#   tun-pi-strip.pcap LINKTYPE_USER0      TUN with PI, read into a short buffer: TUN_PKT_STRIP set
#   tun-vnet.pcap   LINKTYPE_USER1 (148)  TUN, IFF_VNET_HDR (12 bytes), offloads on: vnet header + packet
#   tun-vnet24.pcap LINKTYPE_USER2 (149)  TUN, IFF_VNET_HDR (24 bytes), UDP tunnel GSO on: USO super-packets
#                                         of VXLAN devices (IPv4 and IPv6 outer) routed through the TUN
#   tap.pcap        LINKTYPE_ETHERNET (1) TAP: ARP, ICMP, ICMPv6 ND, UDP, TCP SYN
#   tap-vlan.pcap   LINKTYPE_ETHERNET (1) 802.1Q and 802.1ad+802.1Q frames written into one TAP of a
#                                         Linux bridge and read from another TAP of the same bridge
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../resources/io/github/nettytun/codec/captures}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "${NETTYTUN_CAPTURE_NETNS:-}" != "1" ]; then
    exec env NETTYTUN_CAPTURE_NETNS=1 unshare --net -- "$0" "$out"
fi

tmp=$(mktemp -d)
cleanup() {
    # The namespace and its devices go away with this process; delete them anyway, in case the
    # script was started inside an existing namespace.
    for dev in ntcvx4 ntcvx6 ntc0 ntc1 ntc2 ntc6 ntc3 ntc4 ntc5 ntcbr0; do
        ip link del "$dev" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip link set lo up
python3 - "$tmp" <<'PY'
import errno, fcntl, os, select, socket, struct, subprocess, sys, time

TUNSETIFF = 0x400454CA
TUNSETOFFLOAD = 0x400454D0
TUNSETVNETHDRSZ = 0x400454D8
IFF_TUN, IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0001, 0x0002, 0x1000, 0x4000
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, TUN_F_TSO_ECN, TUN_F_USO4, TUN_F_USO6 = 1, 2, 4, 8, 0x20, 0x40
TUN_F_UDP_TUNNEL_GSO, TUN_F_UDP_TUNNEL_GSO_CSUM = 0x80, 0x100  # Linux 6.17+, need a 24-byte vnet header
UDP_SEGMENT = 103
IPV6_HOPOPTS, IPV6_DSTOPTS = 54, 59

tmp = sys.argv[1]
fds = []


def ip(*args):
    subprocess.run(["ip"] + list(args), check=True)


def sysctl(key, value):
    with open("/proc/sys/" + key.replace(".", "/"), "w") as f:
        f.write(str(value))


def open_dev(name, flags):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), flags))
    fds.append(fd)
    return fd


class Pcap:
    def __init__(self, name, linktype):
        self.f = open(os.path.join(tmp, name), "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        self.count = 0

    def write(self, data):
        t = time.time()
        self.f.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(data), len(data)))
        self.f.write(data)
        self.count += 1

    def close(self):
        self.f.close()


def drain(fd, seconds, sink, size=70000, handler=None):
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(fd, size)
        except BlockingIOError:
            continue
        sink.write(data)
        if handler:
            handler(data)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, ttl, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def l4_ipv4(src, dst, proto, seg, off):
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, len(seg))
    c = csum(pseudo + seg)
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]


def ipv6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64, socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def l4_ipv6(src, dst, proto, seg, off):
    pseudo = (socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
              + struct.pack("!IxxxB", len(seg), proto))
    c = csum(pseudo + seg)
    return seg[:off] + struct.pack("!H", c) + seg[off + 2:]


def udp_seg(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def background(*cmd):
    return subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def traffic(v4_peer, v6_peer, udp_port, tcp_port, extras=True):
    """Starts pings and sends UDP and TCP SYNs towards peers routed through the device."""
    procs = [background("ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", v4_peer),
             background("ping", "-6", "-n", "-c", "2", "-i", "0.2", "-W", "1", v6_peer)]
    if extras:
        # 3000 bytes over a 1500-byte MTU: the kernel fragments, giving fragment headers.
        procs.append(background("ping", "-6", "-n", "-c", "1", "-s", "3000", "-W", "1", v6_peer))
        procs.append(background("ping", "-n", "-c", "1", "-s", "3000", "-M", "dont", "-W", "1", v4_peer))
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s4.sendto(b"netty-tun udp4", (v4_peer, udp_port))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s6.sendto(b"netty-tun udp6", (v6_peer, udp_port))
    socks = [s4, s6]
    if extras:
        # Hop-by-hop and destination options headers (PadN), both sticky options of one socket.
        s6x = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s6x.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
        s6x.setsockopt(socket.IPPROTO_IPV6, IPV6_DSTOPTS, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
        s6x.sendto(b"netty-tun udp6 with options", (v6_peer, udp_port + 1))
        socks.append(s6x)
    for family, peer in ((socket.AF_INET, v4_peer), (socket.AF_INET6, v6_peer)):
        t = socket.socket(family, socket.SOCK_STREAM)
        t.setblocking(False)
        t.connect_ex((peer, tcp_port))
        socks.append(t)
    return procs, socks


def finish(procs, socks):
    for p in procs:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
    for s in socks:
        s.close()


def up(dev, v4, v6, mtu=1500):
    ip("link", "set", dev, "mtu", str(mtu), "up")
    ip("addr", "add", v4, "dev", dev)
    ip("-6", "addr", "add", v6, "dev", dev, "nodad")


try:
    # 1. TUN without PI: bare IP packets, LINKTYPE_RAW.
    fd = open_dev("ntc0", IFF_TUN | IFF_NO_PI)
    pcap = Pcap("tun.pcap", 101)
    up("ntc0", "198.18.0.1/24", "2001:2::1/64")
    procs, socks = traffic("198.18.0.2", "2001:2::2", 9999, 8080)
    drain(fd, 2.5, pcap)
    finish(procs, socks)
    pcap.close()
    print("tun.pcap", pcap.count)

    # 2. TUN with PI: the kernel prepends flags and proto.
    fd = open_dev("ntc1", IFF_TUN)
    pcap = Pcap("tun-pi.pcap", 147)
    up("ntc1", "198.18.2.1/24", "2001:2:0:2::1/64")
    procs, socks = traffic("198.18.2.2", "2001:2:0:2::2", 9999, 8080, extras=False)
    drain(fd, 2.5, pcap)
    finish(procs, socks)
    pcap.close()
    print("tun-pi.pcap", pcap.count)
    # A read buffer shorter than the packet: the kernel sets TUN_PKT_STRIP and cuts the packet.
    pcap = Pcap("tun-pi-strip.pcap", 147)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x" * 1000, ("198.18.2.2", 9999))
    s.close()
    drain(fd, 0.5, pcap, size=200)
    pcap.close()
    print("tun-pi-strip.pcap", pcap.count)

    # 3. TUN with a 12-byte virtio-net header and offloads: partial checksums, TSO and USO super-packets.
    fd = open_dev("ntc2", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR)
    fcntl.ioctl(fd, TUNSETVNETHDRSZ, struct.pack("i", 12))
    try:
        fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN | TUN_F_USO4 | TUN_F_USO6)
    except OSError as e:
        if e.errno != errno.EINVAL:
            raise
        fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)
    pcap = Pcap("tun-vnet.pcap", 148)
    up("ntc2", "198.18.4.1/24", "2001:2:0:4::1/64")
    procs, socks = traffic("198.18.4.2", "2001:2:0:4::2", 9999, 8080, extras=False)
    for family, peer in ((socket.AF_INET, "198.18.4.2"), (socket.AF_INET6, "2001:2:0:4::2")):
        u = socket.socket(family, socket.SOCK_DGRAM)
        u.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, 1000)
        u.sendto(b"u" * 3500, (peer, 9998))  # one USO super-packet of four segments
        socks.append(u)

    # A fake peer on port 5001 answers SYNs so that the kernel sends TSO super-packets.
    def answer_syn(frame):
        pkt = frame[12:]
        if pkt[0] >> 4 == 4 and pkt[9] == 6:
            hl = (pkt[0] & 15) * 4
            src, dst = socket.inet_ntoa(pkt[12:16]), socket.inet_ntoa(pkt[16:20])
            tcp = pkt[hl:]
            v6 = False
        elif pkt[0] >> 4 == 6 and pkt[6] == 6:
            src = socket.inet_ntop(socket.AF_INET6, pkt[8:24])
            dst = socket.inet_ntop(socket.AF_INET6, pkt[24:40])
            tcp = pkt[40:]
            v6 = True
        else:
            return
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        if dport != 5001 or tcp[13] & 0x12 != 0x02:
            return
        seg = struct.pack("!HHIIHHHH", 5001, sport, 7000, (seq + 1) & 0xFFFFFFFF, (6 << 12) | 0x12, 65535, 0, 0)
        seg += struct.pack("!BBH", 2, 4, 1440)
        if v6:
            reply = ipv6(dst, src, 6, l4_ipv6(dst, src, 6, seg, 16))
        else:
            reply = ipv4(dst, src, 6, l4_ipv4(dst, src, 6, seg, 16))
        os.write(fd, bytes(12) + reply)

    senders = []
    for family, peer in ((socket.AF_INET, "198.18.4.2"), (socket.AF_INET6, "2001:2:0:4::2")):
        t = socket.socket(family, socket.SOCK_STREAM)
        t.setblocking(False)
        t.connect_ex((peer, 5001))
        senders.append(t)
    drain(fd, 1.0, pcap, handler=answer_syn)
    for t in senders:
        try:
            t.send(b"t" * 20000)
        except BlockingIOError:
            pass
    drain(fd, 1.5, pcap, handler=answer_syn)
    socks.extend(senders)
    finish(procs, socks)
    pcap.close()
    print("tun-vnet.pcap", pcap.count)

    # 3b. TUN with a 24-byte virtio-net header (virtio_net_hdr_v1_hash_tunnel) and UDP tunnel GSO: VXLAN
    # devices whose underlay is the TUN hand it USO super-packets still inside their tunnel, described by
    # gso_type UDP_L4|UDP_TUNNEL_IPV4/IPV6 and the outer_th/inner_nh offsets.
    fd = open_dev("ntc6", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR)
    fcntl.ioctl(fd, TUNSETVNETHDRSZ, struct.pack("i", 24))
    fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6
                | TUN_F_UDP_TUNNEL_GSO | TUN_F_UDP_TUNNEL_GSO_CSUM)
    pcap = Pcap("tun-vnet24.pcap", 149)
    up("ntc6", "198.18.10.1/24", "2001:2:0:10::1/64")
    ip("link", "add", "ntcvx4", "type", "vxlan", "id", "4", "local", "198.18.10.1", "remote", "198.18.10.2",
       "dstport", "4789", "dev", "ntc6")
    ip("link", "add", "ntcvx6", "type", "vxlan", "id", "6", "local", "2001:2:0:10::1", "remote",
       "2001:2:0:10::2", "dstport", "4789", "dev", "ntc6")
    ip("link", "set", "ntcvx4", "address", "02:00:00:00:0b:01")
    ip("link", "set", "ntcvx6", "address", "02:00:00:00:0c:01")
    up("ntcvx4", "198.18.11.1/24", "2001:2:0:11::1/64", mtu=1400)
    up("ntcvx6", "198.18.12.1/24", "2001:2:0:12::1/64", mtu=1400)
    ip("neigh", "add", "198.18.11.2", "lladdr", "02:00:00:00:0b:02", "dev", "ntcvx4")
    ip("-6", "neigh", "add", "2001:2:0:12::2", "lladdr", "02:00:00:00:0c:02", "dev", "ntcvx6")
    time.sleep(0.5)
    socks = []
    for family, peer in ((socket.AF_INET, "198.18.11.2"), (socket.AF_INET6, "2001:2:0:12::2")):
        u = socket.socket(family, socket.SOCK_DGRAM)
        u.sendto(b"netty-tun through vxlan", (peer, 9999))
        u.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, 1000)
        u.sendto(b"v" * 3500, (peer, 9998))  # one USO super-packet of four segments, in the tunnel
        socks.append(u)
    drain(fd, 1.5, pcap)
    finish([], socks)
    pcap.close()
    print("tun-vnet24.pcap", pcap.count)

    # 4. TAP: Ethernet frames; a static neighbour lets pings out, an unknown one makes ARP/ND.
    fd = open_dev("ntc3", IFF_TAP | IFF_NO_PI)
    pcap = Pcap("tap.pcap", 1)
    ip("link", "set", "ntc3", "address", "02:00:00:00:06:01")
    up("ntc3", "198.18.6.1/24", "2001:2:0:6::1/64")
    ip("neigh", "add", "198.18.6.2", "lladdr", "02:00:00:00:06:02", "dev", "ntc3")
    ip("-6", "neigh", "add", "2001:2:0:6::2", "lladdr", "02:00:00:00:06:02", "dev", "ntc3")
    procs, socks = traffic("198.18.6.2", "2001:2:0:6::2", 9999, 8080)
    procs.append(background("ping", "-n", "-c", "1", "-W", "1", "198.18.6.3"))
    procs.append(background("ping", "-6", "-n", "-c", "1", "-W", "1", "2001:2:0:6::3"))
    drain(fd, 2.5, pcap)
    finish(procs, socks)
    pcap.close()
    print("tap.pcap", pcap.count)

    # 5. VLAN tags across a real bridge (no 8021q devices on this kernel): write tagged frames into
    # one TAP, read them from another. IPv6 off so the bridge adds no chatter of its own.
    sysctl("net.ipv6.conf.default.disable_ipv6", 1)
    ip("link", "add", "ntcbr0", "type", "bridge", "stp_state", "0")
    fd_in = open_dev("ntc4", IFF_TAP | IFF_NO_PI)
    fd_out = open_dev("ntc5", IFF_TAP | IFF_NO_PI)
    for dev in ("ntc4", "ntc5"):
        ip("link", "set", dev, "master", "ntcbr0")
        ip("link", "set", dev, "up")
    ip("link", "set", "ntcbr0", "up")
    time.sleep(0.5)
    src_mac = bytes.fromhex("020000000401")
    bcast = b"\xff" * 6
    udp4 = ipv4("198.18.8.1", "198.18.8.255", 17,
                l4_ipv4("198.18.8.1", "198.18.8.255", 17, udp_seg(4000, 4001, b"vlan 100"), 6))
    udp6 = ipv6("2001:2:0:8::1", "ff02::1", 17,
                l4_ipv6("2001:2:0:8::1", "ff02::1", 17, udp_seg(4000, 4001, b"qinq 200/300"), 6))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src_mac, socket.inet_aton("198.18.8.1"),
                      bytes(6), socket.inet_aton("198.18.8.2"))
    frames = [
        bcast + src_mac + struct.pack("!HH", 0x8100, (3 << 13) | 100) + b"\x08\x00" + udp4,
        bcast + src_mac + struct.pack("!HHHH", 0x88A8, 200, 0x8100, (5 << 13) | 0x1000 | 300) + b"\x86\xdd" + udp6,
        bcast + src_mac + struct.pack("!HH", 0x8100, 5) + b"\x08\x06" + arp,
        bcast + src_mac + b"\x08\x00" + udp4,
    ]
    pcap = Pcap("tap-vlan.pcap", 1)
    for frame in frames:
        os.write(fd_in, frame)
    drain(fd_out, 1.0, pcap)
    pcap.close()
    print("tap-vlan.pcap", pcap.count)
finally:
    for fd in fds:
        os.close(fd)
    for dev in ("ntcvx4", "ntcvx6", "ntcbr0"):
        subprocess.run(["ip", "link", "del", dev], stderr=subprocess.DEVNULL)
PY

cp "$tmp"/*.pcap "$out"/
ls -l "$out"
