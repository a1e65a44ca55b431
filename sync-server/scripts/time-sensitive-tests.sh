#!/bin/sh
# Prints the test files that read or store times (sessions, injected clocks, dates), one per
# line: the ones SPEC 10.2 runs with the process clock 400 days ahead. Picked by what they
# use, so a new time-sensitive test joins without editing a list.
set -eu
cd "$(dirname "$0")/.."
grep -lE 'T0|clock|describeTokenMatrix|\.advance\(|api\.now|createTestApi|createWorld|collabWorld|signUp|auth/register' \
  $(find src -name '*.test.ts') | sort
