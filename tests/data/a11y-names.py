#!/usr/bin/env python3
"""Prints what a screen reader would read of a running petition-kiosk.

Usage: /usr/bin/python3 a11y-names.py SECONDS [PID]

(The system's Python: pyatspi is Debian's python3-pyatspi.)

Waits, at most SECONDS, until an application called petition-kiosk (with
PID: that process) shows a window on the accessibility bus of $DISPLAY, then prints one line per
visible object in it, "role<TAB>name", and exits 0; exits 1 when no such window
appeared in time. The kiosk is looked at the way an assistive
technology sees it, through AT-SPI, so this needs the session bus that
every desktop has (on a bare X server, dbus-x11 starts one for it).
"""
import os
import sys
import time

import pyatspi


def showing_window(app):
    # A window is "showing" once mapped; GTK 4.8 leaves that state off a
    # dialog without a parent, which is only "visible".
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getState().contains(pyatspi.STATE_VISIBLE):
            return child
    return None


def find_kiosk_window(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None or app.name != "petition-kiosk":
            continue
        # Two windows of the program on one desktop (a kiosk and the
        # coordinator's window) are told apart by their process.
        if pid is not None and app.get_process_id() != pid:
            continue
        return showing_window(app)
    return None


def walk(accessible, out, depth=0):
    # Bounded: a kiosk window is a few hundred objects deep at most.
    if accessible is None or depth > 60:
        return out
    # GTK 4.8 marks only the window "showing"; the pages of a stack that
    # are not on screen are still "visible", so this lists them too.
    if accessible.getState().contains(pyatspi.STATE_VISIBLE):
        out.append(f"{accessible.getRoleName()}\t{accessible.name}")
        for i in range(accessible.childCount):
            walk(accessible.getChildAtIndex(i), out, depth + 1)
    return out


def main():
    deadline = time.monotonic() + float(sys.argv[1])
    pid = int(sys.argv[2]) if len(sys.argv) > 2 else None
    while time.monotonic() < deadline:
        if pid is not None and not os.path.exists(f"/proc/{pid}"):
            print(f"process {pid} ended before showing a window", file=sys.stderr)
            return 1
        try:
            window = find_kiosk_window(pid)
        except Exception:  # the bus or the app is still starting
            window = None
        # The window reaches the bus before its first frame: wait until a
        # button shows.
        names = walk(window, []) if window is not None else []
        if any(line.startswith("push button\t") for line in names):
            print("\n".join(names))
            return 0
        time.sleep(0.2)
    print("no petition-kiosk window appeared", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
