#!/usr/bin/env python3
"""Walks a fresh kiosk's screens over AT-SPI and checks what a screen
reader reads (issue 13, item 7).

Usage: /usr/bin/python3 a11y-walk.py SECONDS PID LANG CATALOG

(The system's Python: pyatspi is Debian's python3-pyatspi.)

The kiosk, process PID, runs on a new database, so it opens on the page
that sets the admin PIN. This script, as an assistive technology would,
types a PIN into that page's fields and presses its button through
AT-SPI, which opens admin with every tab (Kiosk, Paper, Batches, Sync)
in the window's tree; then presses admin's Lock, the welcome page's
button of LANG ("ko" or "de") and "Sign", for the signer's form.
CATALOG is the kiosk's compiled translation (.mo) of LANG, used to find
those buttons by the names a listener hears.

On each screen every visible object's name is checked: a name must not
say itself twice ("성 성", "이메일 (선택) 이메일 (선택)") nor carry a
mnemonic ("_Close", "배치 닫기(_C)…", "배치 닫기(C)…"), and a control
a person operates must not be named by its widget type ("GtkToggleButton",
what GTK 4.8 falls back to when a control has no name). Prints every
object, "role<TAB>name", then each bad name, and exits 1 when there is
one, 2 when a step could not be taken.
"""
import gettext
import importlib.util
import os
import re
import sys
import time

import pyatspi

# The test reads the source tree; it writes nothing into it.
sys.dont_write_bytecode = True
_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("a11y_names", os.path.join(_here, "a11y-names.py"))
a11y_names = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(a11y_names)

LANGUAGE_BUTTONS = {"ko": "한국어로 보기", "de": "Auf Deutsch anzeigen"}

# The whole name twice, with a space or nothing between: "성 성".
REPEATED = re.compile(r"(.+?)\s*\1", re.DOTALL)
# A mnemonic underscore at the start of a word ("_Close", "(_C)"), or
# what is left of a "(_C)" once GTK drops the underscore: "(C)" after
# text that is not Latin.
MNEMONIC = re.compile(r"(?<![\w_])_\w|\(_?[A-Z]\)")
# A GTK, libadwaita or kiosk type name, GTK's name for a nameless object.
TYPE_NAME = re.compile(r"(Gtk|Adw|Pk)[A-Z]\w+")
# The roles of what a person presses, types into or picks from: a screen
# reader says their names as focus reaches them. (Panels and fillers,
# the layout boxes, are not read, and GTK 4.8 names them all by type.)
CONTROL_ROLES = {"push button", "toggle button", "check box", "radio button", "combo box",
                 "spin button", "text", "password text", "entry", "menu item", "page tab",
                 "link", "slider", "switch", "list item"}


def problems(lines):
    bad = []
    for line in lines:
        role, _, name = line.partition("\t")
        name = name.strip()
        if not name:
            continue
        if REPEATED.fullmatch(name):
            bad.append(f"said twice: {role} “{name}”")
        if MNEMONIC.search(name):
            bad.append(f"mnemonic: {role} “{name}”")
        if role in CONTROL_ROLES and TYPE_NAME.fullmatch(name):
            bad.append(f"a type name, no real name: {role} “{name}”")
    return bad


def find_all(accessible, role, name=None, out=None, depth=0):
    if out is None:
        out = []
    if accessible is None or depth > 60:
        return out
    if accessible.getRoleName() == role and (name is None or accessible.name == name):
        out.append(accessible)
    for i in range(accessible.childCount):
        find_all(accessible.getChildAtIndex(i), role, name, out, depth + 1)
    return out


def find_filler(accessible, name, depth=0):
    """The object GTK names by its widget type, e.g. "PkPinPage"."""
    if accessible is None or depth > 60:
        return None
    if accessible.getRoleName() == "filler" and accessible.name == name:
        return accessible
    for i in range(accessible.childCount):
        found = find_filler(accessible.getChildAtIndex(i), name, depth + 1)
        if found is not None:
            return found
    return None


def press(button):
    action = button.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == "click":
            action.doAction(i)
            return
    raise RuntimeError(f"“{button.name}” cannot be pressed")


def wait_for(what, seconds, pid):
    """Polls what() until it returns something, for at most seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}"):
            raise RuntimeError(f"process {pid} ended")
        try:
            found = what()
        except Exception:  # the bus or the app is still starting
            found = None
        if found:
            return found
        time.sleep(0.2)
    return None


def screen(title, window):
    lines = a11y_names.walk(window, [])
    print(f"## {title}")
    print("\n".join(lines))
    return problems(lines)


def main():
    seconds, pid, lang, catalog = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(catalog, "rb") as mo:
        _ = gettext.GNUTranslations(mo).gettext
    bad = []

    window = wait_for(lambda: find_filler(a11y_names.find_kiosk_window(pid), "PkPinPage")
                      and a11y_names.find_kiosk_window(pid), seconds, pid)
    if window is None:
        print("the kiosk did not open on its PIN page", file=sys.stderr)
        return 2
    bad += screen("PIN set-up", window)

    # The PIN, typed into both fields, and the page's one button.
    pin_page = find_filler(window, "PkPinPage")
    fields = find_all(pin_page, "password text")
    buttons = find_all(pin_page, "push button")
    if len(fields) != 2 or len(buttons) != 1:
        print(f"the PIN page has {len(fields)} fields and {len(buttons)} buttons", file=sys.stderr)
        return 2
    for field in fields:
        field.queryEditableText().setTextContents("2468")
    press(buttons[0])

    # Admin, all of its tabs: GTK lists the tabs not on screen too.
    window = wait_for(lambda: find_all(a11y_names.find_kiosk_window(pid), "page tab")
                      and a11y_names.find_kiosk_window(pid), seconds, pid)
    if window is None:
        print("admin did not open after the PIN was set", file=sys.stderr)
        return 2
    bad += screen("admin, the PIN prompt and the welcome page", window)

    # Each button's name as a listener hears it in LANG; the language
    # buttons are named in their own language, whatever the kiosk's.
    for name in (_("Lock"), LANGUAGE_BUTTONS[lang], _("Sign the petition here")):
        buttons = wait_for(lambda: find_all(a11y_names.find_kiosk_window(pid), "push button", name),
                           20, pid)
        if not buttons:
            print(f"no button “{name}”", file=sys.stderr)
            return 2
        press(buttons[0])
        time.sleep(1)
    window = wait_for(lambda: find_filler(a11y_names.find_kiosk_window(pid), "PkFormPage")
                      and a11y_names.find_kiosk_window(pid), seconds, pid)
    if window is None:
        print("the form did not open", file=sys.stderr)
        return 2
    bad += screen("the signer's form", window)

    if bad:
        print("## names a screen reader reads wrongly")
        print("\n".join(sorted(set(bad))))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
