#!/usr/bin/env bash
# Installs the build into a scratch DESTDIR and checks that every file
# lands where GNOME looks for it, then runs the installed binary from
# there under LANG=ko_KR.UTF-8 and checks it speaks Korean and that the
# kiosk window starts and stays up.
#
# Runs from `meson test` (suite 'install'), which sets PK_BUILD_ROOT; the
# GUI part needs the X display that build-aux/run-tests provides with
# xvfb-run. Exit 77 (skip) only when a precondition cannot be met.
set -uo pipefail

build=${PK_BUILD_ROOT:?run this through meson test}
app_id=io.github.petitionkiosk.PetitionKiosk
destdir=$(mktemp -d)
kiosk_pid=
cleanup () {
  if [ -n "$kiosk_pid" ] && kill -0 "$kiosk_pid" 2>/dev/null; then
    kill "$kiosk_pid"
    wait "$kiosk_pid" 2>/dev/null
  fi
  rm -rf "$destdir"
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

# --no-rebuild: meson test has already built everything, and a rebuild
# from inside a test would race the other tests.
if ! meson install -C "$build" --no-rebuild --destdir "$destdir" >"$destdir.log" 2>&1; then
  cat "$destdir.log" >&2
  rm -f "$destdir.log"
  fail "meson install --destdir failed"
fi
rm -f "$destdir.log"

# The directories come from the build's own options, so a build set up
# with another --prefix or --datadir is checked where it really installs.
eval "$(meson introspect --buildoptions "$build" | python3 -c '
import json, os, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
prefix = opts["prefix"]
for key in ("bindir", "datadir", "localedir"):
    print(f"{key}={os.path.join(prefix, opts[key])!r}")
')" || fail "cannot read the install directories from meson introspect"

root=$destdir
bin=$root$bindir/petition-kiosk
share=$root$datadir
expected=(
  "$bin"
  "$share/applications/$app_id.desktop"
  "$share/metainfo/$app_id.metainfo.xml"
  "$share/glib-2.0/schemas/$app_id.gschema.xml"
  "$share/icons/hicolor/scalable/apps/$app_id.svg"
  "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  "$share/petition-kiosk/$app_id-autostart.desktop"
  "$share/petition-kiosk/demo/prisoners-of-conscience.petition"
  "$root$localedir/ko/LC_MESSAGES/petition-kiosk.mo"
  "$root$localedir/de/LC_MESSAGES/petition-kiosk.mo"
)
missing=0
for path in "${expected[@]}"; do
  if [ -e "$path" ]; then
    echo "ok: installed ${path#"$root"}"
  else
    echo "FAIL: not installed: ${path#"$root"}" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1
[ -x "$bin" ] || fail "${bin#"$root"} is not executable"

grep -q "^Name\[ko\]=" "$share/applications/$app_id.desktop" \
  || fail "the installed desktop file has no Korean name"
grep -q 'xml:lang="ko"' "$share/metainfo/$app_id.metainfo.xml" \
  || fail "the installed metainfo has no Korean text"

# gnome.post_install skips glib-compile-schemas under DESTDIR; a package
# manager runs it later. Do it here so the installed app finds its schema.
glib-compile-schemas --strict "$share/glib-2.0/schemas" \
  || fail "the installed schemas do not compile"

# The installed binary looks for its catalogues in $localedir, which under
# DESTDIR is $root$localedir: PETITION_KIOSK_LOCALEDIR says so (it exists
# for exactly this and for running from the build tree). Everything else
# comes from the install tree too. Korean need not be a generated locale:
# src/main.c then runs under C.UTF-8 with LANGUAGE=ko.
# Call it only in a subshell ($(...) or &): it execs, so that the kiosk
# started with & is $kiosk_pid itself. Otherwise $! was the subshell,
# cleanup's kill ended only that, and the kiosk stayed on the shared X
# display for the rest of the run, where it asked every later GUI test
# for its selections (see docs/testing.md on GTK 4.8's leak there).
home=$destdir/home
mkdir -p "$home"
run_installed () {
  exec env -u LANGUAGE -u LC_ALL -u LC_MESSAGES \
    LANG=ko_KR.UTF-8 \
    HOME="$home" \
    XDG_DATA_HOME="$home/.local/share" \
    XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" \
    XDG_DATA_DIRS="$share:/usr/local/share:/usr/share" \
    GSETTINGS_SCHEMA_DIR="$share/glib-2.0/schemas" \
    PETITION_KIOSK_LOCALEDIR="$root$localedir" \
    "$bin" "$@"
}

has_hangul () {
  python3 -c '
import sys
text = sys.stdin.read()
sys.exit(0 if any("\uac00" <= c <= "\ud7a3" for c in text) else 1)'
}

help_text=$(run_installed --help 2>&1) || fail "petition-kiosk --help failed: $help_text"
printf '%s\n' "$help_text"
printf '%s' "$help_text" | has_hangul \
  || fail "petition-kiosk --help under LANG=ko_KR.UTF-8 shows no Korean"
# GLib's own catalogue translates "Usage:" and the like, so Hangul alone
# does not prove that the installed petition-kiosk.mo is used: some line
# of --help must be one of its Korean translations.
printf '%s' "$help_text" | python3 -c '
import gettext, sys
with open(sys.argv[1], "rb") as f:
    catalog = gettext.GNUTranslations(f)._catalog
korean = {v.strip() for k, v in catalog.items()
          if isinstance(k, str) and k and any("\uac00" <= c <= "\ud7a3" for c in v)}
text = sys.stdin.read()
sys.exit(0 if any(s in text for s in korean if s) else 1)' \
  "$root$localedir/ko/LC_MESSAGES/petition-kiosk.mo" \
  || fail "petition-kiosk --help shows none of the Korean translations of petition-kiosk.mo (po/ko.po incomplete?)"
echo "ok: the installed petition-kiosk --help speaks Korean from its own catalogue"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "SKIP: no display for the GUI part; run under xvfb-run (build-aux/run-tests does)"
  exit 77
fi

# The kiosk must come up from the install tree and keep running. It never
# exits by itself (that is the point of a kiosk), so "still alive after it
# had time to start and fail" is the check; the wait is not a timing claim.
run_installed --windowed --db "$destdir/kiosk.db" \
  --petition "$share/petition-kiosk/demo/prisoners-of-conscience.petition" \
  >"$destdir/gui.log" 2>&1 &
kiosk_pid=$!
for _ in 1 2 3 4 5 6; do
  sleep 0.5
  if ! kill -0 "$kiosk_pid" 2>/dev/null; then
    wait "$kiosk_pid"
    status=$?
    kiosk_pid=
    cat "$destdir/gui.log" >&2
    fail "the installed kiosk exited with status $status right after starting"
  fi
done
# A bare Xvfb has no D-Bus session bus; a desktop always has one, so that
# one warning says nothing about the installed app.
if grep -E 'CRITICAL|WARNING' "$destdir/gui.log" \
    | grep -v -q 'Unable to acquire session bus'; then
  cat "$destdir/gui.log" >&2
  fail "the installed kiosk logged warnings while starting"
fi
[ -s "$destdir/kiosk.db" ] || fail "the installed kiosk did not create its database"
echo "ok: the installed kiosk runs"
