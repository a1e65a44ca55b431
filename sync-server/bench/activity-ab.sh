#!/usr/bin/env bash
# Interleaved A/B of the harness's relay benchmark with and without activity/notification
# derivation (TASKFLOW_ACTIVITY=1|0), as a signed-in member of a real project so every update
# goes through the observers. Needs the harness in $BENCH_DIR (bench/run.mjs installs it)
# and sync-server/dist/main.js built.
#   N=50 ROUNDS=3 OUT=/tmp/activity-ab.jsonl bash bench/activity-ab.sh
set -euo pipefail
SERVER_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "${BENCH_DIR:-/tmp/tf-bench}"
N=${N:-50}; ROUNDS=${ROUNDS:-3}; PORT=${PORT:-12360}; OUT=${OUT:-/tmp/activity-ab.jsonl}
SETUP='
const base = `http://127.0.0.1:${process.env.PORT}/api/v1`
const post = async (p, body, token) => {
  const r = await fetch(base + p, { method: "POST", headers: { "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })
  if (!r.ok) throw new Error(`${p}: ${r.status}`)
  return r.json()
}
const id = Math.random().toString(36).slice(2, 10)
const { token } = await post("/auth/register", { email: `bench-${id}@example.org`, password: "benchmark password", name: "Bench" })
const project = await post("/projects", { name: "bench" }, token)
console.log(`${token} ${project.id}`)'
for r in $(seq 1 "$ROUNDS"); do
  for v in 1 0; do
    D=$(mktemp -d /tmp/activity-ab.XXXX)
    TASKFLOW_ACTIVITY=$v TASKFLOW_INSECURE_OPEN=0 HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn \
      TASKFLOW_DB="$D/t.db" node "$SERVER_ROOT/dist/main.js" >"$D/log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    read -r TOKEN ROOM < <(PORT=$PORT node --input-type=module -e "$SETUP")
    node relay.mjs --url "ws://127.0.0.1:$PORT/sync" --kind y-websocket --server-pid "$PID" \
      --clients "$N" --threads 2 --token "$TOKEN" --room "$ROOM" --label "activity=$v" \
      --json-out "$OUT" | tail -n 1 || true
    sqlite3 "$D/t.db" 'select count(*) from activity' 2>/dev/null | sed "s/^/activity rows (activity=$v): /" || true
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
  done
done
