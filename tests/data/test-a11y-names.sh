#!/usr/bin/env bash
# What a screen reader reads on the kiosk, in Korean and in German
# (issue 13, item 7): a fresh kiosk is walked over AT-SPI, from its PIN
# set-up page through admin's tabs to the signer's form, by
# a11y-walk.py, which fails on a name said twice ("성 성") or with a
# mnemonic in it ("배치 닫기(_C)…"), or on a control named by its widget
# type ("GtkToggleButton"). Each language gets a kiosk, an X
# server and a session bus of its own (private-display.sh).
set -uo pipefail

build=${PK_BUILD_ROOT:?run this through meson test}
binary=${PK_BINARY:?run this through meson test}
source_root=${PK_SOURCE_ROOT:?run this through meson test}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
xvfb_pid= kiosk_pid=

stop () {
  [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null && wait "$kiosk_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  kiosk_pid= xvfb_pid=
}
cleanup () {
  stop
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$here/private-display.sh"
status=0
for lang in ko de; do
  dir=$tmp/$lang
  mkdir -p "$dir/home" "$dir/db"
  pk_private_display "$dir" || { echo "FAIL: no X server" >&2; exit 1; }
  xvfb_pid=$pk_xvfb_pid
  pk_private_session_bus "$dir/home" || { echo "FAIL: no session or accessibility bus" >&2; exit 1; }

  # An organizer's choice of the kiosk's language, as the command line
  # makes it: the welcome page and admin then open in it.
  env -i PATH=/usr/bin:/bin HOME="$dir/home" DISPLAY="$pk_display" \
    gsettings --schemadir "$build/data" set io.github.petitionkiosk.PetitionKiosk default-language $lang \
    || { echo "FAIL: cannot set the kiosk's language" >&2; exit 1; }
  env -i PATH=/usr/bin:/bin HOME="$dir/home" DISPLAY="$pk_display" LANG=C.UTF-8 LANGUAGE=$lang \
    ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} ${LSAN_OPTIONS:+LSAN_OPTIONS="$LSAN_OPTIONS"} \
    ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
    "$binary" --windowed --db "$dir/db/kiosk.db" \
      --petition "$source_root/data/demo/prisoners-of-conscience.petition" >"$dir/kiosk.log" 2>&1 &
  kiosk_pid=$!

  echo "# $lang"
  env -i PATH=/usr/bin:/bin HOME="$dir/home" DISPLAY="$pk_display" \
    /usr/bin/python3 "$here/a11y-walk.py" 120 "$kiosk_pid" $lang \
      "$build/po/$lang/LC_MESSAGES/petition-kiosk.mo"
  result=$?
  if [ $result -ne 0 ]; then
    echo "FAIL: $lang: a screen reader reads names wrongly, or the walk stopped ($result)" >&2
    cat "$dir/kiosk.log" >&2
    status=1
  fi
  stop
done
exit $status
