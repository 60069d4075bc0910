#!/usr/bin/env bash
# One kiosk a desktop, and the coordinator's window beside it, on a
# desktop with a session bus (where GApplication's uniqueness applies):
#  1. a kiosk opens;
#  2. `--coordinator` started while it runs opens a window of its own
#     process, instead of bringing the kiosk to the front;
#  3. a second kiosk ends at once with status 0, says in the desktop's
#     language that the first one was brought to the front, and creates
#     no database.
set -uo pipefail

source_root=${PK_SOURCE_ROOT:?run this through meson test}
build=${PK_BUILD_ROOT:?run this through meson test}
here=$(cd "$(dirname "$0")" && pwd)
kiosk=$build/src/petition-kiosk
petition=$source_root/data/demo/prisoners-of-conscience.petition
tmp=$(mktemp -d)
xvfb_pid= kiosk_pid= coordinator_pid=

cleanup () {
  for pid in $coordinator_pid $kiosk_pid $xvfb_pid; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*" >&2
  for log in "$tmp"/*.log; do echo "--- $log" >&2; cat "$log" >&2; done
  exit 1
}

home=$tmp/home
mkdir -p "$home"

# A desktop session's environment and nothing else; an array, not a
# function, so that "$!" of a background start is the program's own
# process (env execs it), the one the screen-reader check looks for.
desktop=(env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 LANGUAGE=ko)
for sanitizer in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
  [ -n "${!sanitizer:-}" ] && desktop+=("$sanitizer=${!sanitizer}")
done

. "$here/private-display.sh"
pk_private_display "$tmp" || fail "no X server"
xvfb_pid=$pk_xvfb_pid
pk_private_session_bus "$home" || fail "no session or accessibility bus on $pk_display"
desktop+=(DISPLAY="$pk_display")

# --- 1. the kiosk -------------------------------------------------------
"${desktop[@]}" "$kiosk" --windowed --db "$tmp/kiosk.db" --petition "$petition" >"$tmp/kiosk.log" 2>&1 &
kiosk_pid=$!
"${desktop[@]}" /usr/bin/python3 "$here/a11y-names.py" 120 "$kiosk_pid" >/dev/null \
  || fail "the kiosk showed no window"

# --- 2. the coordinator's window beside it -------------------------------
"${desktop[@]}" "$kiosk" --coordinator >"$tmp/coordinator.log" 2>&1 &
coordinator_pid=$!
"${desktop[@]}" /usr/bin/python3 "$here/a11y-names.py" 120 "$coordinator_pid" >"$tmp/coordinator-names.txt" \
  || fail "--coordinator beside a running kiosk showed no window of its own"
kill -0 "$kiosk_pid" 2>/dev/null || fail "the kiosk ended when the coordinator's window opened"

# --- 3. a second kiosk ---------------------------------------------------
"${desktop[@]}" timeout 120 "$kiosk" --windowed --db "$tmp/second.db" --petition "$petition" \
  >"$tmp/second.log" 2>&1
status=$?
[ "$status" -eq 0 ] || fail "a second kiosk ended with status $status, not 0"
grep -q '이미 키오스크가 열려 있습니다' "$tmp/second.log" \
  || fail "a second kiosk did not say, in Korean, that one is already open"
[ ! -e "$tmp/second.db" ] || fail "a second kiosk created its database"
kill -0 "$kiosk_pid" 2>/dev/null || fail "the first kiosk ended when a second was started"

if grep -E 'CRITICAL|WARNING' "$tmp/kiosk.log" "$tmp/coordinator.log" "$tmp/second.log"; then
  fail "a process logged warnings"
fi
echo "PASS: one kiosk a desktop, the coordinator's window beside it"
