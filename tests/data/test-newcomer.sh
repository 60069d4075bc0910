#!/usr/bin/env bash
# The README's first steps, the way a newcomer takes them: from the
# source tree, in a clean environment (env -i with only PATH, HOME,
# DISPLAY, LANG=C.UTF-8 and LANGUAGE=ko), nothing else handed over.
#  1. `build-aux/run-demo` opens the kiosk: its window appears, is still
#     there a few seconds later, and reads Korean to a screen reader.
#  2. The uninstalled binary prints Korean and German signature sheets
#     and flyers: every heading of the English ones appears translated.
# The kiosk gets an X server of its own, and with it (through dbus-x11)
# the session bus every desktop has, so that nothing of it is left on the
# display the other tests share.
set -uo pipefail

source_root=${PK_SOURCE_ROOT:?run this through meson test}
build=${PK_BUILD_ROOT:?run this through meson test}
here=$(cd "$(dirname "$0")" && pwd)
catalog=$build/po/ko/LC_MESSAGES/petition-kiosk.mo
tmp=$(mktemp -d)
xvfb_pid= kiosk_pid=

cleanup () {
  [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null && wait "$kiosk_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

home=$tmp/home
mkdir -p "$home"
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# A newcomer's shell: nothing but these five variables, and in the
# sanitizer build the sanitizers' own settings, which the program never
# reads (a clean environment would otherwise report cairo's and
# fontconfig's known leaks as this test's failure).
clean_env () {
  local display=$1; shift
  env -i PATH="$path" HOME="$home" DISPLAY="$display" LANG=C.UTF-8 LANGUAGE=ko \
    ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} ${LSAN_OPTIONS:+LSAN_OPTIONS="$LSAN_OPTIONS"} \
    ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} "$@"
}

# --- 1. build-aux/run-demo ---------------------------------------------
. "$here/private-display.sh"
pk_private_display "$tmp" || fail "no X server for the kiosk"
xvfb_pid=$pk_xvfb_pid
display=$pk_display

# run-demo execs the kiosk, so this is the kiosk's process in the end.
(cd "$source_root" && exec env -i PATH="$path" HOME="$home" DISPLAY="$display" \
   LANG=C.UTF-8 LANGUAGE=ko build-aux/run-demo) >"$tmp/demo.log" 2>&1 &
kiosk_pid=$!

clean_env "$display" /usr/bin/python3 "$here/a11y-names.py" 120 "$kiosk_pid" >"$tmp/names.txt" \
  || { cat "$tmp/demo.log" >&2; fail "build-aux/run-demo showed no window"; }
cat "$tmp/names.txt"
python3 -c '
import sys
sys.exit(0 if any(line.startswith("push button\t") and any("\uac00" <= c <= "\ud7a3" for c in line)
                  for line in open(sys.argv[1], encoding="utf-8")) else 1)' "$tmp/names.txt" \
  || fail "no button of the kiosk has a Korean name"
python3 "$here/check-translated.py" "$catalog" "$tmp/names.txt" \
  || fail "the kiosk under LANGUAGE=ko shows English where Korean exists"

# "Stays open": a kiosk that fails late (a missing resource looked up on
# the first frame) is gone by now; a window and a live process remain.
sleep 3
kill -0 "$kiosk_pid" 2>/dev/null \
  || { cat "$tmp/demo.log" >&2; fail "the kiosk exited after it had opened"; }
clean_env "$display" /usr/bin/python3 "$here/a11y-names.py" 10 "$kiosk_pid" >/dev/null \
  || fail "the kiosk's window is gone after a few seconds"
if grep -E 'CRITICAL|WARNING|ERROR' "$tmp/demo.log"; then
  fail "the kiosk logged warnings while starting"
fi
echo "ok: build-aux/run-demo opens a Korean kiosk that stays open"

# --- 2. Korean and German sheets and flyers from the uninstalled binary ---
petition=$source_root/data/demo/prisoners-of-conscience.petition
for what in "sheets --count 1" "flyers --pages 1"; do
  set -- $what
  what=$1
  for lang in en ko de; do
    clean_env "" "$build/src/petition-kiosk" "$@" --petition "$petition" --lang "$lang" \
      --out "$tmp/$what-$lang.pdf" || fail "petition-kiosk $what --lang $lang failed"
    pdftotext -layout "$tmp/$what-$lang.pdf" - | sed -e 's/^ *//' -e 's/  \+/\n/g' \
      >"$tmp/$what-$lang.txt"
  done
  for lang in ko de; do
    python3 "$here/check-translated.py" "$build/po/$lang/LC_MESSAGES/petition-kiosk.mo" \
      "$tmp/$what-$lang.txt" "$tmp/$what-en.txt" \
      || fail "the $what in $lang show English where a translation exists"
    echo "ok: petition-kiosk $what --lang $lang prints $lang"
  done
done
