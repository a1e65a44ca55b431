#!/bin/sh
# SPEC 10.2: the suites that read or store times (sessions, injected clocks, dates) pass
# with the process clock 400 days ahead of the real date, so none is a time bomb. Files are
# picked by what they use, so a new time-sensitive test joins without editing this list.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-faketime.sh
files=$(grep -lE 'T0|clock|\.advance\(|api\.now|createTestApi|createWorld|collabWorld|signUp|auth/register' \
  $(find src -name '*.test.ts') | sort)
echo "time-shift: $(echo "$files" | wc -l) files, clock +400 days"
# FAKETIME_DONT_FAKE_MONOTONIC: only the calendar moves; timeouts and timers keep real time.
FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '+400d' npx vitest run --project sqlite $files
