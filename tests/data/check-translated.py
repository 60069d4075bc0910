#!/usr/bin/env python3
"""Checks that a text a person sees is in the language of a catalog.

Usage: check-translated.py CATALOG.mo NAMES [ENGLISH]

NAMES is what the person sees, one item a line (from a11y-names.py, or
pdftotext of a printed sheet). Fails when any line is an English
message that CATALOG translates (a string left untranslated on screen),
or when no line holds one of CATALOG's translations at all. With
ENGLISH, the same text produced in English: each of its lines that is a
message of CATALOG must appear translated in NAMES, so that headings
are checked by what they say, whatever the wording of the day.
"""
import gettext
import sys


def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return [line.split("\t")[-1].strip() for line in f if line.strip()]


def main():
    with open(sys.argv[1], "rb") as f:
        catalog = {k: v for k, v in gettext.GNUTranslations(f)._catalog.items()
                   if isinstance(k, str) and k and k != v}
    # Menus and buttons carry mnemonics in the catalog ("_Close").
    plain = {k.replace("_", ""): v.replace("_", "") for k, v in catalog.items()}
    seen = lines_of(sys.argv[2])
    failures = []

    for line in seen:
        if line in plain:
            failures.append(f"untranslated: {line!r} (should read {plain[line]!r})")
    translations = set(plain.values())
    found = [line for line in seen if line in translations]
    if not found:
        failures.append("none of the catalog's translations is shown")

    if len(sys.argv) > 3:
        # A translation may wrap where the English did not: compare
        # without white space.
        squashed = "".join("".join(seen).split())
        headings = [line for line in lines_of(sys.argv[3]) if line in plain]
        if not headings:
            failures.append("the English text has no message of the catalog to compare")
        for heading in headings:
            if "".join(plain[heading].split()) not in squashed:
                failures.append(f"{heading!r} is not shown as {plain[heading]!r}")
        print(f"{len(headings)} headings compared")

    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print(f"{len(found)} translated lines seen")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
