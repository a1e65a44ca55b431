#!/bin/sh
# The time-shift run (SPEC 10.2) moves the process clock with Debian's faketime. Install it
# when missing and we are root; otherwise say how, in one line.
set -eu
if command -v faketime >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-faketime: installing Debian's faketime package…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq faketime >/dev/null
  exit 0
fi
echo "ensure-faketime: faketime is missing; run as root: apt-get update && apt-get install -y faketime" >&2
exit 1
