#!/bin/sh
# Copyright 2026 The netty-tun Project. Licensed under the Apache License, Version 2.0.
#
# Demo: an ICMP echo responder on a TUN device, inside a network namespace this script creates.
# Builds the project if needed, starts IcmpEchoServer in the namespace, pings through the device
# (IPv4 and IPv6), prints the result and removes everything it created, also on failure or Ctrl-C.
# Needs root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and /dev/net/tun.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NS="ntdemo$$"
JAVA_PID=""
LOG=$(mktemp)

cleanup() {
  status=$?
  if [ -n "$JAVA_PID" ] && kill -0 "$JAVA_PID" 2>/dev/null; then
    kill "$JAVA_PID" 2>/dev/null || true
    wait "$JAVA_PID" 2>/dev/null || true
  fi
  ip netns del "$NS" 2>/dev/null || true
  rm -f "$LOG"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
  echo "demo-echo: run as root (it creates a network namespace and a TUN device)" >&2
  exit 1
fi
LIB="$ROOT/netty-tun-examples/target/lib"
if [ ! -d "$LIB" ] || [ ! -f "$ROOT/netty-tun-examples/target/netty-tun-examples-0.1.0-SNAPSHOT.jar" ]; then
  echo "== building (mvn -q -DskipTests install)"
  (cd "$ROOT" && mvn -B -q -DskipTests install)
fi
CP="$ROOT/netty-tun-examples/target/netty-tun-examples-0.1.0-SNAPSHOT.jar:$LIB/*"

echo "== network namespace $NS"
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" "${JAVA:-java}" -cp "$CP" io.github.nettytun.examples.echo.IcmpEchoServer \
  --name echo0 --address 198.18.0.1/24 --address 2001:2::1/64 >"$LOG" 2>&1 &
JAVA_PID=$!
i=0
until ip -n "$NS" addr show dev echo0 2>/dev/null | grep -q 2001:2::1; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$JAVA_PID" 2>/dev/null; then
    echo "the echo server did not come up:" >&2; cat "$LOG" >&2; exit 1
  fi
  sleep 0.1
done
cat "$LOG"
echo "== ping 198.18.0.2 (answered by the Java handler behind echo0)"
ip netns exec "$NS" ping -n -c 5 -i 0.2 198.18.0.2
echo "== ping 2001:2::2"
ip netns exec "$NS" ping -6 -n -c 5 -i 0.2 2001:2::2
echo "== flood ping, 2 s"
ip netns exec "$NS" ping -n -f -w 2 198.18.0.2 | tail -2
kill "$JAVA_PID"; wait "$JAVA_PID" 2>/dev/null || true
tail -1 "$LOG"
echo "== done; namespace $NS removed"
