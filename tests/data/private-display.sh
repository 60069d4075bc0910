# shellcheck shell=bash
# Sourced by the tests that start a whole kiosk process: gives it an X
# server of its own, and with it (dbus-x11 starts one on first use) the
# session bus a desktop has, so that the kiosk, its bus and its
# accessibility bus stay off the display the other tests share, and end
# with this server.
#
# pk_private_display DIR: starts Xvfb, sets $pk_display (":N") and
# $pk_xvfb_pid; the caller kills $pk_xvfb_pid when done.
pk_private_display () {
  local dir=$1
  Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$dir/display" 2>"$dir/xvfb.log" &
  pk_xvfb_pid=$!
  for _ in $(seq 100); do
    [ -s "$dir/display" ] && break
    if ! kill -0 "$pk_xvfb_pid" 2>/dev/null; then
      echo "Xvfb did not start: $(cat "$dir/xvfb.log")" >&2
      return 1
    fi
    sleep 0.1
  done
  [ -s "$dir/display" ] || { echo "Xvfb did not say which display it opened" >&2; return 1; }
  pk_display=:$(head -n1 "$dir/display")
}
