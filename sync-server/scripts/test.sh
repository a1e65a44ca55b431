#!/bin/sh
# The server's part of `pnpm test`. Every file runs once per backend it belongs to
# (vitest.config.ts): the PostgreSQL project at the real date, and the SQLite project in two
# parts — the time-sensitive files with the clock 400 days ahead (test-time-shift.sh, SPEC
# 10.2), the rest at the real date. Running the time-sensitive files a second time at the
# real date, as this did until 2026-12-05, doubled the suite's longest part; a developer's
# `vitest` runs them at the real date anyway.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-postgres.sh
sh scripts/ensure-redis.sh
npx vitest run --project postgres
sh scripts/test-time-shift.sh
shifted=$(sh scripts/time-sensitive-tests.sh)
rest=$(find src -name '*.test.ts' | sort | grep -vxF "$shifted" || true)
echo "real date: $(echo "$rest" | grep -c . || true) more files"
# An empty filter list would run every file again.
if [ -n "$rest" ]; then npx vitest run --project sqlite $rest; fi
