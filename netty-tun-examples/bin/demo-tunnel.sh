#!/bin/bash
# Copyright 2026 The netty-tun Project. Licensed under the Apache License, Version 2.0.
#
# Demo: the encrypting tunnel (io.github.nettytun.examples.tunnel.Tunnel) between two network namespaces
# that this script creates and joins with a veth pair (the "internet"). Builds the project if needed,
# starts a server end and a client end (one TUN device each), pings through the tunnel over IPv4 and IPv6,
# measures TCP throughput (iperf3 if installed, else the example's SpeedTest), and removes every
# namespace, device, file and process it created on exit, failure or Ctrl-C.
# Needs root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and /dev/net/tun.
#
# Environment: TRANSPORT=udp|tcp (udp), CIPHER=aes-256-gcm|chacha20-poly1305 (aes-256-gcm), MODE=tun|tap
# (tun), OFFLOAD=on|off (on: TSO/USO super-packets on the devices, UDP GSO/GRO on the sockets),
# SECONDS_IPERF=5, JAVA=java, NO_IPERF=1 (use SpeedTest even if iperf3 exists), QUEUES=1 (--queues: lanes over
# a multi-queue device on each end), PARALLEL=1 (iperf3 -P: parallel TCP flows, which lanes spread).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P="ntvt$$"
NSA="${P}a"            # server side
NSB="${P}b"            # client side
TRANSPORT="${TRANSPORT:-udp}"
CIPHER="${CIPHER:-aes-256-gcm}"
MODE="${MODE:-tun}"
OFFLOAD="${OFFLOAD:-on}"
SECONDS_IPERF="${SECONDS_IPERF:-5}"
QUEUES="${QUEUES:-1}"
PARALLEL="${PARALLEL:-1}"
WORK=$(mktemp -d /tmp/demo-tunnel.XXXXXX)
PIDS=""

cleanup() {
  status=$?
  trap - EXIT INT TERM
  for pid in $PIDS; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  for pid in $PIDS; do
    wait "$pid" 2>/dev/null || true
  done
  for f in "$WORK"/server.log "$WORK"/client.log; do
    if [ -s "$f" ] && [ "$status" != 0 ]; then
      echo "--- $(basename "$f") (last lines)"; tail -n 15 "$f"
    fi
  done
  ip netns del "$NSA" 2>/dev/null || true   # takes the veth pair and the devices with it
  ip netns del "$NSB" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
  echo "demo-tunnel: run as root (it creates network namespaces and TUN devices)" >&2
  exit 1
fi
JAR="$ROOT/netty-tun-examples/target/netty-tun-examples-0.1.0-SNAPSHOT.jar"
LIB="$ROOT/netty-tun-examples/target/lib"
if [ ! -d "$LIB" ] || [ ! -f "$JAR" ]; then
  echo "== building (mvn -B -q -DskipTests install)"
  (cd "$ROOT" && mvn -B -q -DskipTests install)
fi
CP="$JAR:$LIB/*"
JAVA="${JAVA:-java}"

echo "== namespaces $NSA (server) and $NSB (client), joined by veth ${P}x 198.18.0.1 <-> ${P}y 198.18.0.2"
ip netns add "$NSA"
ip netns add "$NSB"
ip -n "$NSA" link set lo up
ip -n "$NSB" link set lo up
ip link add "${P}x" netns "$NSA" type veth peer name "${P}y" netns "$NSB"
ip -n "$NSA" addr add 198.18.0.1/30 dev "${P}x"
ip -n "$NSB" addr add 198.18.0.2/30 dev "${P}y"
ip -n "$NSA" link set "${P}x" up
ip -n "$NSB" link set "${P}y" up

echo "== key file (32 random bytes, mode 600)"
"$JAVA" -cp "$CP" io.github.nettytun.examples.tunnel.Tunnel genkey "$WORK/tunnel.key"

COMMON=(--key-file "$WORK/tunnel.key" --transport "$TRANSPORT" --cipher "$CIPHER" --device-mode "$MODE"
        --mtu 1400 --stats-interval 0 --offload "$OFFLOAD" --queues "$QUEUES")
echo "== starting the server in $NSA and the client in $NSB ($TRANSPORT, $CIPHER, $MODE, offload $OFFLOAD," \
  "$QUEUES queue(s))"
ip netns exec "$NSA" "$JAVA" -cp "$CP" io.github.nettytun.examples.tunnel.Tunnel server "${COMMON[@]}" \
  --listen 198.18.0.1:5000 --device vts0 --address 198.18.10.1/24 --address 2001:2:0:10::1/64 \
  >"$WORK/server.log" 2>&1 &
PIDS="$PIDS $!"
ip netns exec "$NSB" "$JAVA" -cp "$CP" io.github.nettytun.examples.tunnel.Tunnel client "${COMMON[@]}" \
  --connect 198.18.0.1:5000 --device vtc0 --address 198.18.10.2/24 --address 2001:2:0:10::2/64 \
  >"$WORK/client.log" 2>&1 &
PIDS="$PIDS $!"

i=0
# Every lane handshakes on its own ("lane N: session ... set up" with --queues > 1).
until [ "$(grep -c "session .* set up" "$WORK/client.log" 2>/dev/null)" -ge "$QUEUES" ]; do
  i=$((i + 1))
  if [ $i -gt 150 ]; then
    echo "the tunnel did not come up within 15 s" >&2
    exit 1
  fi
  sleep 0.1
done
sed 's/^/server| /' "$WORK/server.log"
sed 's/^/client| /' "$WORK/client.log"

echo "== ping 198.18.10.1 through the tunnel (from $NSB)"
ip netns exec "$NSB" ping -n -c 5 -i 0.2 198.18.10.1
echo "== ping 2001:2:0:10::1 through the tunnel"
ip netns exec "$NSB" ping -6 -n -c 5 -i 0.2 2001:2:0:10::1

if [ -z "${NO_IPERF:-}" ] && command -v iperf3 >/dev/null 2>&1; then
  echo "== iperf3 TCP, ${SECONDS_IPERF} s, $PARALLEL flow(s), $NSB -> $NSA through the tunnel"
  ip netns exec "$NSA" iperf3 -s -1 -B 198.18.10.1 >/dev/null 2>&1 &
  PIDS="$PIDS $!"
  sleep 0.5
  ip netns exec "$NSB" iperf3 -c 198.18.10.1 -t "$SECONDS_IPERF" -P "$PARALLEL" -f m \
    | grep -E "sender|receiver" | { if [ "$PARALLEL" -gt 1 ]; then grep SUM; else cat; fi; }
else
  echo "== TCP throughput, ${SECONDS_IPERF} s, $NSB -> $NSA through the tunnel (SpeedTest; iperf3 not installed or NO_IPERF set)"
  ip netns exec "$NSA" "$JAVA" -cp "$CP" io.github.nettytun.examples.tunnel.tools.SpeedTest sink 5201 \
    >"$WORK/sink.log" 2>&1 &
  SINK=$!
  PIDS="$PIDS $SINK"
  i=0
  until grep -q listening "$WORK/sink.log" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "SpeedTest sink did not start" >&2; exit 1; }; sleep 0.1
  done
  ip netns exec "$NSB" "$JAVA" -cp "$CP" io.github.nettytun.examples.tunnel.tools.SpeedTest send 198.18.10.1 5201 \
    "$SECONDS_IPERF"
  wait "$SINK" 2>/dev/null || true
  cat "$WORK/sink.log" | tail -1
fi

echo "== stopping the tunnel (each end prints its stats line)"
for pid in $PIDS; do kill "$pid" 2>/dev/null || true; done
for pid in $PIDS; do wait "$pid" 2>/dev/null || true; done
PIDS=""
echo "server| $(grep 'stats:' "$WORK/server.log" | tail -1)"
echo "client| $(grep 'stats:' "$WORK/client.log" | tail -1)"
if [ "$QUEUES" -gt 1 ]; then
  echo "server| $(grep 'lanes:' "$WORK/server.log" | tail -1)"
  echo "client| $(grep 'lanes:' "$WORK/client.log" | tail -1)"
fi
echo "== done; namespaces $NSA and $NSB removed"
