#!/bin/sh
# with-keyring.sh PROGRAM [ARG…]: runs PROGRAM, a TAP test, with a real
# secret service: a session bus of its own (dbus-run-session) on which
# gnome-keyring-daemon runs, its login keyring made and unlocked with a
# test password, all kept in a fresh home folder removed afterwards.
# Without gnome-keyring-daemon the test is skipped, or fails under
# PK_TEST_REQUIRE_ALL=1 (docs/testing.md).
set -eu

if ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null; then
  if [ "${PK_TEST_REQUIRE_ALL:-}" = 1 ]; then
    echo "gnome-keyring-daemon or dbus-run-session is missing (build-aux/ensure-deps test)" >&2
    exit 1
  fi
  echo "1..0 # SKIP gnome-keyring-daemon or dbus-run-session is not installed"
  exit 0
fi

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
  XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
status=0
dbus-run-session -- sh -c '
  printf %s pk-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' with-keyring "$@" || status=$?
exit "$status"
