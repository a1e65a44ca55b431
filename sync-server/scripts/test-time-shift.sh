#!/bin/sh
# SPEC 10.2: the suites that read or store times (scripts/time-sensitive-tests.sh) pass with
# the process clock 400 days ahead of the real date, so none is a time bomb.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-faketime.sh
files=$(sh scripts/time-sensitive-tests.sh)
echo "time-shift: $(echo "$files" | wc -l) files, clock +400 days"
# FAKETIME_DONT_FAKE_MONOTONIC: only the calendar moves; timeouts and timers keep real time.
FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '+400d' npx vitest run --project sqlite $files
