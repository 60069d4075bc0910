#!/usr/bin/env python3
"""Checks the Flatpak manifest against the project.

It must parse as JSON, name the project's app ID and command, build
libqrencode, libsodium, libphonenumber, libpq and petition-kiosk, pin every downloaded source
(archive or file) by sha256, and ask for no more sandbox holes than a
kiosk needs: a display, DRI, IPC and the network for sync. Files come
through the file-chooser portal, so any --filesystem is refused.

Usage: check-flatpak-manifest.py MANIFEST.json
"""
import json
import re
import sys

APP_ID = "io.github.petitionkiosk.PetitionKiosk"
COMMAND = "petition-kiosk"
REQUIRED_MODULES = {"libqrencode", "libsodium", "libphonenumber", "libpq", "petition-kiosk"}
ALLOWED_FINISH_ARGS = {
    "--socket=wayland",
    "--socket=fallback-x11",
    "--share=ipc",
    "--device=dri",
    "--share=network",
}
REQUIRED_FINISH_ARGS = ALLOWED_FINISH_ARGS
DOWNLOADED = {"archive", "file"}


def walk_modules(modules, found, problems, path="modules"):
    for index, module in enumerate(modules):
        where = f"{path}[{index}]"
        if isinstance(module, str):
            problems.append(f"{where}: external module file {module!r} cannot be checked; inline it")
            continue
        name = module.get("name")
        if not name:
            problems.append(f"{where}: module without a name")
            continue
        found.append(name)
        for s_index, source in enumerate(module.get("sources", [])):
            s_where = f"{where} {name} sources[{s_index}]"
            if isinstance(source, str):
                problems.append(f"{s_where}: external source file {source!r}; inline it")
                continue
            kind = source.get("type")
            if kind in DOWNLOADED:
                digest = source.get("sha256", "")
                if not re.fullmatch(r"[0-9a-f]{64}", digest):
                    problems.append(f"{s_where}: {kind} source without a valid sha256")
                if not source.get("url", "").startswith("https://") and "path" not in source:
                    problems.append(f"{s_where}: {kind} source must be fetched over https")
            elif kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                    problems.append(f"{s_where}: git source must pin a commit")
            elif kind not in ("dir", "patch", "shell", "script"):
                problems.append(f"{s_where}: unexpected source type {kind!r}")
        walk_modules(module.get("modules", []), found, problems, where + ".modules")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"FAIL: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1

    problems = []
    app_id = manifest.get("id", manifest.get("app-id"))
    if app_id != APP_ID:
        problems.append(f"app id is {app_id!r}, expected {APP_ID!r}")
    if manifest.get("command") != COMMAND:
        problems.append(f"command is {manifest.get('command')!r}, expected {COMMAND!r}")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("runtime and sdk must be org.gnome.Platform and org.gnome.Sdk")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        if arg.startswith("--filesystem"):
            problems.append(f"finish-arg {arg}: no filesystem access, files come through the portal")
        elif arg not in ALLOWED_FINISH_ARGS:
            problems.append(f"finish-arg {arg} is not needed by a kiosk")
    for arg in sorted(REQUIRED_FINISH_ARGS - set(finish_args)):
        problems.append(f"finish-arg {arg} is missing")

    modules = []
    walk_modules(manifest.get("modules", []), modules, problems)
    for name in sorted(REQUIRED_MODULES - set(modules)):
        problems.append(f"module {name} is missing")
    if modules and modules[-1] != "petition-kiosk":
        problems.append("petition-kiosk must be the last module, built on its dependencies")

    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: {APP_ID}, modules {', '.join(modules)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
