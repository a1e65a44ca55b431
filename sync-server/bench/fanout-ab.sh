#!/usr/bin/env bash
# Issue 17: fan-out at N clients on one node against the reference y-websocket server, in
# the same run. Interleaved rounds: a fresh reference server (@y/websocket-server, in
# memory), then a fresh TaskFlow server started as `pnpm start` starts it, its clients
# signed in as a member of a real project, so every update passes authorization, the
# authorship check, the group commit and (after commit, off the relay path) the
# derivation engine (projection, activity, notifications, webhooks). Needs the harness in
# $BENCH_DIR (bench/run.mjs installs it) and a bundle ($BUNDLE, default dist/main.js).
# BASE_BUNDLE (optional): a second TaskFlow bundle (e.g. main's, built into dist-bench/base/
# so it resolves this package's dependencies) run in the same rounds; the order of the
# servers rotates every round. LOCK (optional): a lock file taken for each round only
# (flock), so a long run lets other benchmarks in between rounds.
#   N=50 ROUNDS=3 OUT=/tmp/fanout-ab.jsonl bash bench/fanout-ab.sh
#   BASE_BUNDLE=dist-bench/base/main.js LOCK=/work/wt/bench.lock ROUNDS=3 bash bench/fanout-ab.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=$(realpath "${BUNDLE:-$SERVER_ROOT/dist/main.js}")
BASE_BUNDLE=${BASE_BUNDLE:+$(realpath "$BASE_BUNDLE")}
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-3}; PORT=${PORT:-12370}; OUT=${OUT:-/tmp/fanout-ab.jsonl}
SETUP="$SERVER_ROOT/bench/authorship-setup.mjs"
VARIANTS=(ywss-mem custom)
[ -n "$BASE_BUNDLE" ] && VARIANTS=(ywss-mem base custom)
for r in $(seq 1 "$ROUNDS"); do
  if [ -n "${LOCK:-}" ]; then exec 9>"$LOCK"; flock 9; fi
  echo "round $r start: $(uptime)" >&2
  for k in $(seq 0 $((${#VARIANTS[@]} - 1))); do
    v=${VARIANTS[$(((r + k) % ${#VARIANTS[@]}))]}
    D=$(mktemp -d /tmp/fanout-ab.XXXX)
    if [ "$v" = ywss-mem ]; then
      HOST=127.0.0.1 PORT=$PORT node node_modules/@y/websocket-server/src/server.js >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT; AUTH=()
    else
      MAIN=$BUNDLE; [ "$v" = base ] && MAIN=$BASE_BUNDLE
      MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 TASKFLOW_INSECURE_OPEN=0 \
        HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn TASKFLOW_DB="$D/t.db" node "$MAIN" >"$D/log" 2>&1 &
      URL=ws://127.0.0.1:$PORT/sync
    fi
    PID=$!
    for _ in $(seq 1 1200); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    if [ "$v" != ywss-mem ]; then
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
  echo "round $r end: $(uptime)" >&2
  if [ -n "${LOCK:-}" ]; then flock -u 9; fi
done
