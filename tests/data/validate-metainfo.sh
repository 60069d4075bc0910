#!/bin/sh
# Validates an AppStream metainfo file offline. appstreamcli exits 0 on
# warnings, but this project ships with none, so any "W:" (or "E:") line
# fails the test. Informational and pedantic hints are allowed.
# Usage: validate-metainfo.sh FILE.metainfo.xml
set -u
if ! command -v appstreamcli >/dev/null 2>&1; then
  echo "appstreamcli not found (Debian: apt-get install appstream)" >&2
  # A skip, except where every test must run (tests/pk-test-skip.h).
  [ "${PK_TEST_REQUIRE_ALL:-}" = 1 ] && exit 1
  exit 77
fi
out=$(appstreamcli validate --no-net --explain "$1" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne 0 ]; then
  echo "FAIL: appstreamcli validate exited $status" >&2
  exit 1
fi
if printf '%s\n' "$out" | grep -q '^[EW]: '; then
  echo "FAIL: appstreamcli reported warnings or errors" >&2
  exit 1
fi
exit 0
