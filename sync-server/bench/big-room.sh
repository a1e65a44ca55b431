#!/usr/bin/env bash
# Issue 17 big-room benchmarks, the reference server (@y/websocket-server, in memory) and
# TaskFlow (a fresh server each, clients signed in as a project member) in the same round,
# order rotating by round, and the floor server (storm-floor-server.mjs; FLOOR=0 skips it):
#   WHAT=observers  1 writer → N observers on one board (relay.mjs: --writers 1, RATE edits/s)
#   WHAT=storm      C clients join one ≈4 MB board at once (bench/join-storm.mjs)
# Needs the harness in $BENCH_DIR (bench/run.mjs installs it) and a bundle ($BUNDLE).
# LOCK (optional): a lock file taken for each round only (flock).
#   WHAT=observers N=500 RATE=10 ROUNDS=3 LOCK=/work/wt/bench.lock bash bench/big-room.sh
#   WHAT=storm CLIENTS=150 TASKS=8500 ROUNDS=3 LOCK=/work/wt/bench.lock bash bench/big-room.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=$(realpath "${BUNDLE:-$SERVER_ROOT/dist/main.js}")
export BENCH_DIR=${BENCH_DIR:-/tmp/tf-bench}
cd "$BENCH_DIR"
WHAT=${WHAT:-observers}; ROUNDS=${ROUNDS:-3}; PORT=${PORT:-12380}
N=${N:-500}; RATE=${RATE:-10}; CLIENTS=${CLIENTS:-150}; TASKS=${TASKS:-8500}
OUT=${OUT:-/tmp/big-room-$WHAT.jsonl}
SETUP="$SERVER_ROOT/bench/authorship-setup.mjs"
VARIANTS=(ywss-mem custom)
# Each round also runs the floor (storm-floor-server.mjs: in memory, the full answer cached,
# updates applied and relayed, nothing else): what the driver and this machine allow.
if [ "${FLOOR:-1}" = 1 ]; then VARIANTS=(ywss-mem custom floor); fi
NV=${#VARIANTS[@]}
for r in $(seq 1 "$ROUNDS"); do
  if [ -n "${LOCK:-}" ]; then exec 9>"$LOCK"; flock 9; fi
  echo "round $r start: $(uptime)" >&2
  for k in $(seq 0 $((NV - 1))); do
    v=${VARIANTS[$(((r + k) % NV))]}
    D=$(mktemp -d /tmp/big-room.XXXX)
    if [ "$v" = ywss-mem ]; then
      HOST=127.0.0.1 PORT=$PORT node node_modules/@y/websocket-server/src/server.js >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT; AUTH=()
    elif [ "$v" = floor ]; then
      HOST=127.0.0.1 PORT=$PORT node "$SERVER_ROOT/bench/storm-floor-server.mjs" >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT; AUTH=()
    else
      # Every bench client signs in as the same user, where the scenario is that many
      # people: the per-user socket and output limits (64 sockets, 128 MiB) would refuse
      # or close most of them, so they are raised to the per-document ones for the run.
      MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 TASKFLOW_INSECURE_OPEN=0 \
        TASKFLOW_MAX_SOCKETS_PER_USER=2000 TASKFLOW_USER_OUTPUT_BYTES=1073741824 \
        HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn TASKFLOW_DB="$D/t.db" node "$BUNDLE" >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT/sync
    fi
    PID=$!
    for _ in $(seq 1 1200); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    if [ "$v" = custom ]; then
      OUTPUT=$(PORT=$PORT node "$SETUP")
      AUTH=(--token "$(sed -n 's/^TOKEN=//p' <<<"$OUTPUT")" --room "$(sed -n 's/^ROOM=//p' <<<"$OUTPUT")")
    fi
    echo "round $r $v load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    if [ "$WHAT" = storm ]; then
      node "$SERVER_ROOT/bench/join-storm.mjs" --url "$URL" --server-pid "$PID" --clients "$CLIENTS" \
        --tasks "$TASKS" "${AUTH[@]}" --label "$v" --json-out "$OUT" || true
    else
      node relay.mjs --url "$URL" --kind y-websocket --server-pid "$PID" --clients "$N" --threads 2 \
        --writers 1 --rate "$RATE" "${AUTH[@]}" --label "$v" --json-out "$OUT" | tail -n 1 || true
    fi
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
  echo "round $r end: $(uptime)" >&2
  if [ -n "${LOCK:-}" ]; then flock -u 9; fi
done
