#!/usr/bin/env bash
# Interleaved A/B of the harness's relay benchmark between two settings of the TaskFlow
# server: each round a fresh server started with A_ENV, then a fresh one with B_ENV (the
# order alternates every round), so both see the same machine noise. Data goes to a fresh
# folder under DATA_ROOT, a real disk (not tmpfs), so an fsync costs what it costs. Needs
# the harness installed in $BENCH_DIR (bench/run.mjs does that) and sync-server/dist/main.js
# built. Prints one line per run; medians: node bench/ab-summary.mjs $OUT
#   A_ENV=TASKFLOW_SYNC_DURABILITY=normal B_ENV=TASKFLOW_SYNC_DURABILITY=full \
#     N=50 ROUNDS=5 OUT=/tmp/ab-durability.jsonl bash bench/ab-env.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-5}; PORT=${PORT:-12360}; DATA_ROOT=${DATA_ROOT:-/tmp}
A_ENV=${A_ENV:?}; B_ENV=${B_ENV:?}; RELAY_ARGS=${RELAY_ARGS:-}
OUT=${OUT:-/tmp/ab-env.jsonl}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then ORDER="A B"; else ORDER="B A"; fi
  for v in $ORDER; do
    if [ "$v" = A ]; then ENV=$A_ENV; else ENV=$B_ENV; fi
    D=$(mktemp -d "$DATA_ROOT/ab-env.XXXX")
    # shellcheck disable=SC2086 # ENV is a list of VAR=value words
    env $ENV MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 \
      TASKFLOW_INSECURE_OPEN=1 HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn \
      TASKFLOW_DB="$D/t.db" node "$SERVER_ROOT/dist/main.js" >"$D/log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    # shellcheck disable=SC2086
    node relay.mjs --url "ws://127.0.0.1:$PORT/sync" --kind y-websocket --server-pid "$PID" \
      --clients "$N" --threads 2 $RELAY_ARGS --label "$v round $r: $ENV" --json-out "$OUT" \
      | tail -n 1 || true
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
done
