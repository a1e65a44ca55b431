#!/usr/bin/env bash
# Interleaved fan-out benchmark of two TaskFlow builds beside the reference server: each round
# a fresh in-memory @y/websocket-server, a fresh server from BASE_ROOT (e.g. main, checked
# out and built elsewhere) and a fresh server from this checkout, in rotating order, all on
# SQLite in a fresh folder, so the three see the same machine noise. Needs the harness
# installed in $BENCH_DIR (bench/run.mjs does that) and both sync-server/dist/main.js built.
#   BASE_ROOT=/tmp/base N=50 ROUNDS=5 OUT=/tmp/ab-builds.jsonl bash bench/ab-relay-builds.sh
#   node bench/ab-summary.mjs /tmp/ab-builds.jsonl
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE_ROOT=${BASE_ROOT:?path of the other checkout (its sync-server/dist/main.js is run)}
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-5}; PORT=${PORT:-12370}; DATA_ROOT=${DATA_ROOT:-/tmp}
OUT=${OUT:-/tmp/ab-relay-builds.jsonl}
VARIANTS=(ref base new)
for r in $(seq 1 "$ROUNDS"); do
  for k in 0 1 2; do
    v=${VARIANTS[$(((r + k) % 3))]}
    D=$(mktemp -d "$DATA_ROOT/ab-builds.XXXX")
    if [ "$v" = ref ]; then
      HOST=127.0.0.1 PORT=$PORT node node_modules/@y/websocket-server/src/server.js >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT
    else
      if [ "$v" = base ]; then MAIN="$BASE_ROOT/sync-server/dist/main.js"; else MAIN="$SERVER_ROOT/dist/main.js"; fi
      env MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 \
        TASKFLOW_INSECURE_OPEN=1 HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn \
        TASKFLOW_DB="$D/t.db" node "$MAIN" >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT/sync
    fi
    PID=$!
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    node relay.mjs --url "$URL" --kind y-websocket --server-pid "$PID" --clients "$N" --threads 2 \
      --label "$v round $r" --json-out "$OUT" | tail -n 1 || true
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
done
