#!/bin/sh
# The cluster tests (src/cluster/) use the machine's Redis at 127.0.0.1:6379, each under
# its own key prefix. Start it when it is down; otherwise say how, in one line.
set -eu
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
if command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis: starting redis-server on 127.0.0.1:6379…"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
    sleep 0.25
  done
fi
echo "ensure-redis: Redis 7 is not answering on 127.0.0.1:6379; install it (apt-get install -y redis-server) and run: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no" >&2
exit 1
