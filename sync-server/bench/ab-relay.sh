#!/usr/bin/env bash
# Interleaved A/B of the harness's relay benchmark: for each round a fresh reference server
# (@y/websocket-server, in memory), then a fresh TaskFlow server, so both see the same
# machine noise. Needs the harness installed in $BENCH_DIR (bench/run.mjs does that) and
# sync-server/dist/main.js built.
#   N=200 ROUNDS=3 EXTRA_ENV="TASKFLOW_FANOUT_BATCH_MS=50" OUT=/tmp/ab.jsonl bash bench/ab-relay.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-3}; EXTRA_ENV=${EXTRA_ENV:-}; PORT=${PORT:-12350}
OUT=${OUT:-/tmp/ab-relay.jsonl}
for r in $(seq 1 "$ROUNDS"); do
  for v in ywss-mem custom; do
    D=$(mktemp -d /tmp/ab-relay.XXXX)
    if [ "$v" = ywss-mem ]; then
      HOST=127.0.0.1 PORT=$PORT node node_modules/@y/websocket-server/src/server.js >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT
    else
      env $EXTRA_ENV TASKFLOW_INSECURE_OPEN=1 HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn \
        TASKFLOW_DB="$D/t.db" node "$SERVER_ROOT/dist/main.js" >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT/sync
    fi
    PID=$!
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    node relay.mjs --url "$URL" --kind y-websocket --server-pid "$PID" --clients "$N" --threads 2 \
      --label "$v" --json-out "$OUT" | tail -n 1 || true
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
done
