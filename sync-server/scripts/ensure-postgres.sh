#!/bin/sh
# The storage and sync suites also run against PostgreSQL (issue 17: one contract suite, two
# backends). Start the local cluster when it is down and we are root; otherwise stop the run
# with one line saying how — never skip those tests silently.
set -eu
URL="${TASKFLOW_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
ready() { node -e "
const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1))" "$URL"; }
if ready 2>/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | head -n 1)
  echo "ensure-postgres: starting PostgreSQL $version (cluster main)…"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  i=0
  until ready 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -ge 30 ]; then break; fi
    sleep 1
  done
  if ready 2>/dev/null; then exit 0; fi
fi
echo "ensure-postgres: PostgreSQL is not reachable at $URL; start it as root: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start (or set TASKFLOW_TEST_DATABASE_URL)" >&2
exit 1
