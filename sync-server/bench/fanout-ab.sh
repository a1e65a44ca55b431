#!/usr/bin/env bash
# Issue 17: fan-out at N clients on one node against the reference y-websocket server, in
# the same run. Interleaved rounds: a fresh reference server (@y/websocket-server, in
# memory), then a fresh TaskFlow server started as `pnpm start` starts it, its clients
# signed in as a member of a real project, so every update passes authorization, the
# authorship check, the group commit and (after commit, off the relay path) the
# derivation engine (projection, activity, notifications, webhooks). Needs the harness in
# $BENCH_DIR (bench/run.mjs installs it) and a bundle ($BUNDLE, default dist/main.js).
#   N=50 ROUNDS=3 OUT=/tmp/fanout-ab.jsonl bash bench/fanout-ab.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=${BUNDLE:-$SERVER_ROOT/dist/main.js}
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-3}; PORT=${PORT:-12370}; OUT=${OUT:-/tmp/fanout-ab.jsonl}
SETUP="$SERVER_ROOT/bench/authorship-setup.mjs"
for r in $(seq 1 "$ROUNDS"); do
  for v in ywss-mem custom; do
    D=$(mktemp -d /tmp/fanout-ab.XXXX)
    if [ "$v" = ywss-mem ]; then
      HOST=127.0.0.1 PORT=$PORT node node_modules/@y/websocket-server/src/server.js >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT; AUTH=()
    else
      MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 TASKFLOW_INSECURE_OPEN=0 \
        HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn TASKFLOW_DB="$D/t.db" node "$BUNDLE" >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT/sync
    fi
    PID=$!
    for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    if [ "$v" = custom ]; then
      OUTPUT=$(PORT=$PORT node "$SETUP")
      AUTH=(--token "$(sed -n 's/^TOKEN=//p' <<<"$OUTPUT")" --room "$(sed -n 's/^ROOM=//p' <<<"$OUTPUT")")
    fi
    echo "round $r $v load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    node relay.mjs --url "$URL" --kind y-websocket --server-pid "$PID" --clients "$N" --threads 2 \
      "${AUTH[@]}" --label "$v" --json-out "$OUT" | tail -n 1 || true
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
done
