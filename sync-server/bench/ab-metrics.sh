#!/usr/bin/env bash
# Interleaved A/B of the relay benchmark with TASKFLOW_METRICS=0 and =1: each round starts a
# fresh TaskFlow server per variant, so both see the same machine noise. The metrics run is
# scraped every 5 s (a busy Prometheus) so the scrape cost is in the figure.
# Needs the harness in $BENCH_DIR (bench/run.mjs installs it) and dist/main.js built.
#   N=50 ROUNDS=5 OUT=/tmp/ab-metrics.jsonl bash bench/ab-metrics.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-5}; PORT=${PORT:-12360}
OUT=${OUT:-/tmp/ab-metrics.jsonl}
for r in $(seq 1 "$ROUNDS"); do
  for m in 0 1; do
    D=$(mktemp -d /tmp/ab-metrics.XXXX)
    env TASKFLOW_METRICS=$m TASKFLOW_INSECURE_OPEN=1 HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn \
      TASKFLOW_DB="$D/t.db" node "$SERVER_ROOT/dist/main.js" >"$D/log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    SCRAPER=
    if [ "$m" = 1 ]; then
      (while sleep 5; do curl -s "http://127.0.0.1:$PORT/metrics" >/dev/null || true; done) &
      SCRAPER=$!
    fi
    node relay.mjs --url "ws://127.0.0.1:$PORT/sync" --kind y-websocket --server-pid "$PID" \
      --clients "$N" --threads 2 --label "metrics=$m" --json-out "$OUT" | tail -n 1 || true
    [ -n "$SCRAPER" ] && kill "$SCRAPER" 2>/dev/null || true
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
done
