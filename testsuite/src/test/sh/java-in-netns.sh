#!/bin/sh
# Copyright 2026 The netty-tun Project. Licensed under the Apache License, Version 2.0.
#
# Starts the forked test JVM in a private network namespace (and nothing else private), so the
# devices the tests create, their routes and every packet they send stay inside it and vanish
# with the JVM. Used by surefire as <jvm>. Without the privilege to unshare, java starts as is and
# the privileged tests skip with a reason (see io.github.nettytun.testsuite.Privileges).
JAVA="${NETTY_TUN_REAL_JAVA:-java}"
if unshare --net true 2>/dev/null; then
  exec unshare --net sh -c 'ip link set lo up && export NETTY_TUN_PRIVATE_NETNS=1 && exec "$0" "$@"' "$JAVA" "$@"
fi
exec "$JAVA" "$@"
