#!/usr/bin/env bash
# Installs the build into a scratch DESTDIR and checks that every file
# lands where GNOME looks for it, then runs the installed binary from
# there under LANG=ko_KR.UTF-8, with nothing telling it where its files
# are: it finds them beside itself. Checks that it speaks Korean, that the
# kiosk window starts, stays up and reads Korean to a screen reader, and
# that a broken installation (no compiled schema, a translation missing)
# ends with status 1 and a message saying what to do, never a crash.
#
# Runs from `meson test` (suite 'install'), which sets PK_BUILD_ROOT; the
# GUI part needs the X display that build-aux/run-tests provides with
# xvfb-run. Exit 77 (skip) only when a precondition cannot be met.
set -uo pipefail

build=${PK_BUILD_ROOT:?run this through meson test}
app_id=io.github.petitionkiosk.PetitionKiosk
destdir=$(mktemp -d)
here=$(cd "$(dirname "$0")" && pwd)
kiosk_pid= pk_xvfb_pid=
cleanup () {
  if [ -n "$kiosk_pid" ] && kill -0 "$kiosk_pid" 2>/dev/null; then
    kill "$kiosk_pid"
    wait "$kiosk_pid" 2>/dev/null
  fi
  [ -n "$pk_xvfb_pid" ] && kill "$pk_xvfb_pid" 2>/dev/null && wait "$pk_xvfb_pid" 2>/dev/null
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
for key in ("bindir", "datadir", "localedir", "libdir"):
    print(f"{key}={os.path.join(prefix, opts[key])!r}")
')" || fail "cannot read the install directories from meson introspect"

root=$destdir
bin=$root$bindir/petition-kiosk
share=$root$datadir
# The kiosk's and the coordinator's windows: a private module, opened only
# when no subcommand is given (src/app/pk-app-module.h).
app_module=$root$libdir/petition-kiosk/petition-kiosk-app.so
# The PostgreSQL backend, opened only for a postgresql:// address
# (src/core/pk-pg-module.h).
pg_module=$root$libdir/petition-kiosk/petition-kiosk-pg.so
expected=(
  "$bin"
  "$app_module"
  "$pg_module"
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

# The installed binary is told nothing about where it was installed: it
# finds its catalogues, schema and icons beside its own PREFIX/bin, which
# here is under DESTDIR (src/core/pk-data-dirs.c). XDG_DATA_DIRS names no
# folder of this tree, and leaves out /usr/local/share, where a developer's
# own `meson install` could otherwise stand in for a missing file (the
# session bus and the accessibility bus the kiosk starts need /usr/share). Korean need not be a generated locale: pk-language.c
# then runs under C.UTF-8 with LANGUAGE=ko.
# Call it only in a subshell ($(...) or &): it execs, so that the kiosk
# started with & is $kiosk_pid itself. Otherwise $! was the subshell,
# cleanup's kill ended only that, and the kiosk stayed on the X display.
home=$destdir/home
mkdir -p "$home"
run_installed () {
  exec env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u GSETTINGS_SCHEMA_DIR \
    LANG=ko_KR.UTF-8 \
    HOME="$home" \
    XDG_DATA_HOME="$home/.local/share" \
    XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" \
    XDG_DATA_DIRS=/usr/share \
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

# --- A broken installation is explained, with status 1 ---------------------
kiosk_args=(--windowed --db "$destdir/kiosk.db"
            --petition "$share/petition-kiosk/demo/prisoners-of-conscience.petition")

# Without a display the message goes to stderr alone.
expect_refusal () {
  local what=$1 needle=$2 out status
  out=$(DISPLAY= run_installed "${kiosk_args[@]}" 2>&1)
  status=$?
  printf '%s\n' "$out"
  [ "$status" -eq 1 ] || fail "with $what the kiosk exited with status $status, not 1"
  printf '%s' "$out" | grep -q -- "$needle" || fail "with $what the message does not say \"$needle\""
  if printf '%s' "$out" | grep -q -E 'CRITICAL|ERROR \*\*|Trace|trap'; then
    fail "with $what the kiosk crashed instead of explaining"
  fi
  echo "ok: $what is explained, status 1"
}

schemas=$share/glib-2.0/schemas/gschemas.compiled
mv "$schemas" "$schemas.away"
expect_refusal "no compiled schema" "glib-compile-schemas $share/glib-2.0/schemas"
mv "$schemas.away" "$schemas"

german=$root$localedir/de/LC_MESSAGES/petition-kiosk.mo
mv "$german" "$german.away"
expect_refusal "the German translation missing" "$german"
mv "$german.away" "$german"

# Without the window's module the commands still run; the kiosk says
# which file it could not open.
mv "$app_module" "$app_module.away"
expect_refusal "the window's module missing" "$app_module"
version=$(run_installed --version 2>&1) || fail "--version failed without the window's module: $version"
(run_installed sign --db "$destdir/cli.db" --petition "$share/petition-kiosk/demo/prisoners-of-conscience.petition" \
  --lang ko --given-name 지우 --family-name 김 --email jiwoo@example.org --consent --sensitive-consent) \
  || fail "sign did not run without the window's module"
count=$(run_installed count --db "$destdir/cli.db" 2>&1)
[ "$count" = 1 ] || fail "count did not run without the window's module: $count"
mv "$app_module.away" "$app_module"
echo "ok: the commands run without the window's module"

# Without the PostgreSQL module a master in a file still counts, and an
# address is refused with the file that is missing, never a crash.
mv "$pg_module" "$pg_module.away"
count=$(run_installed count --db "$destdir/cli.db" 2>&1)
[ "$count" = 1 ] || fail "count on a file did not run without the PostgreSQL module: $count"
out=$(run_installed count --db "postgresql:///petitions?host=$destdir" 2>&1)
status=$?
printf '%s\n' "$out"
# Status 2: the address is checked with the options, before any work.
[ "$status" -eq 2 ] || fail "without the PostgreSQL module count exited with status $status, not 2"
if printf '%s' "$out" | grep -q -E 'CRITICAL|ERROR \*\*|Trace|trap'; then
  fail "without the PostgreSQL module count crashed instead of explaining"
fi
printf '%s' "$out" | grep -q -- "$pg_module" || fail "the message does not name $pg_module"
mv "$pg_module.away" "$pg_module"
out=$(run_installed count --db "postgresql:///petitions?host=$destdir" 2>&1)
printf '%s' "$out" | grep -q "$destdir/.s.PGSQL" \
  || fail "the installed PostgreSQL module did not try the server: $out"
echo "ok: PostgreSQL needs its module, and a file does not"

# --- The installed kiosk runs, in Korean ----------------------------------
. "$here/private-display.sh"
pk_private_display "$destdir" || fail "no X server for the installed kiosk"
pk_private_session_bus "$home" || fail "no session or accessibility bus on $pk_display"

# With a display, the same refusal is a dialog; closing it ends the kiosk.
mv "$schemas" "$schemas.away"
DISPLAY=$pk_display run_installed "${kiosk_args[@]}" >"$destdir/broken.log" 2>&1 &
kiosk_pid=$!
env -i PATH="$PATH" HOME="$home" DISPLAY="$pk_display" \
  /usr/bin/python3 "$here/a11y-names.py" 60 "$kiosk_pid" >"$destdir/dialog.txt" \
  || fail "no dialog explained the missing schema"
grep -q "glib-compile-schemas" "$destdir/dialog.txt" \
  || { cat "$destdir/dialog.txt" >&2; fail "the dialog does not say what to run"; }
env -i PATH="$PATH" HOME="$home" DISPLAY="$pk_display" xdotool key Escape
wait "$kiosk_pid"
status=$?
kiosk_pid=
[ "$status" -eq 1 ] || fail "after its dialog the kiosk exited with status $status, not 1"
mv "$schemas.away" "$schemas"
echo "ok: with a display, the missing schema is a dialog, then status 1"

# The kiosk must come up from the install tree and keep running. It never
# exits by itself (that is the point of a kiosk), so "still alive after it
# had time to start and fail" is the check; the wait is not a timing claim.
DISPLAY=$pk_display run_installed "${kiosk_args[@]}" >"$destdir/gui.log" 2>&1 &
kiosk_pid=$!
env -i PATH="$PATH" HOME="$home" DISPLAY="$pk_display" \
  /usr/bin/python3 "$here/a11y-names.py" 60 "$kiosk_pid" >"$destdir/names.txt" \
  || { cat "$destdir/gui.log" >&2; fail "the installed kiosk showed no window"; }
python3 "$here/check-translated.py" "$root$localedir/ko/LC_MESSAGES/petition-kiosk.mo" \
  "$destdir/names.txt" || fail "the installed kiosk shows English where Korean exists"
sleep 2
if ! kill -0 "$kiosk_pid" 2>/dev/null; then
  wait "$kiosk_pid"
  status=$?
  kiosk_pid=
  cat "$destdir/gui.log" >&2
  fail "the installed kiosk exited with status $status after starting"
fi
if grep -E 'CRITICAL|WARNING' "$destdir/gui.log"; then
  fail "the installed kiosk logged warnings while starting"
fi
[ -s "$destdir/kiosk.db" ] || fail "the installed kiosk did not create its database"
echo "ok: the installed kiosk runs and reads Korean"
