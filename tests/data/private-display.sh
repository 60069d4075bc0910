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

# pk_private_session_bus HOME: starts the session bus of $pk_display and
# its accessibility bus now, in a clean environment with @HOME, and waits
# until both answer (bounded). The kiosk and the screen-reader check then
# find the same buses, as on a desktop, instead of racing to autolaunch
# one each, and a loaded machine's slow start of the accessibility bus
# cannot make the first caller give up.
pk_private_session_bus () {
  local home=$1
  env -i PATH=/usr/bin:/bin HOME="$home" DISPLAY="$pk_display" \
    gdbus call --session --timeout 60 --dest org.freedesktop.DBus \
      --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.GetId >/dev/null \
    && env -i PATH=/usr/bin:/bin HOME="$home" DISPLAY="$pk_display" \
      gdbus call --session --timeout 120 --dest org.a11y.Bus \
        --object-path /org/a11y/bus --method org.a11y.Bus.GetAddress >/dev/null
}
