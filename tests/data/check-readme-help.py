#!/usr/bin/env python3
"""Fails when README.md no longer shows what `--help` prints.

Usage: check-readme-help.py README.md PETITION-KIOSK

The README quotes the main `--help` and each command's, so a changed
option or summary must change it too. GOption's own "Help Options" block
is left out of the README and of the comparison.
"""
import os
import re
import subprocess
import sys


def help_of(binary, *args):
    env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")
    out = subprocess.run([binary, *args, "--help"], capture_output=True, text=True,
                         env=env, check=True).stdout
    return re.sub(r"Help Options:\n  -h, --help[^\n]*\n\n", "", out).strip("\n")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        readme = f.read()
    binary = sys.argv[2]
    main_help = subprocess.run([binary, "--help"], capture_output=True, text=True,
                               env=dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8"),
                               check=True).stdout.strip("\n")
    stale = [] if main_help in readme else ["petition-kiosk --help"]
    commands = re.findall(r"^  (\S+)\s{2,}", main_help.split("Commands (each has --help):")[1], re.M)
    for command in commands:
        if help_of(binary, command) not in readme:
            stale.append(f"petition-kiosk {command} --help")
    for what in stale:
        print(f"FAIL: README.md does not show what `{what}` prints", file=sys.stderr)
    print(f"{len(commands) + 1} help texts compared")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
