#!/usr/bin/env python3
# Fails when a translation uses a word that po/GLOSSARY.md rules out
# (the rows marked "checked" there), naming the string, the word and what
# to write instead. Obsolete (#~) entries are not translations any more
# and are skipped.
# Usage: check-glossary.py PO_DIR
import re
import sys

RULES = {
    'ko': [
        (r'배치', '서명 묶음 (배치 reads as 配置)'),
        (r'종이', '서명지'),
        (r'용지(?! 크기)', '서명지 (only the paper size stays 용지 크기)'),
        (r'(?<!전자 )서명된', '전자 서명된 for a cryptographic signature'),
        (r'(?<!전자 )서명 키(?!오스크)', '전자 서명 키'),
        (r'(?<!관리자 )PIN', '관리자 PIN'),
        (r'을\(를\)|이\(가\)|은\(는\)|\(으\)로|\(이\)라', 'a fixed noun after the placeholder, then a plain particle ("%s 파일을")'),
    ],
    'de': [
        (r'Koordinator', 'Koordination, Koordinationsschlüssel'),
        (r'(?<!des )(?<!dieses )(?<!eines )(?<!jedes )Kiosks', 'Kioske (the plural; the genitive "des Kiosks" is right)'),
        (r'^Synchronisierung$', 'Abgleich (the tab name)'),
    ],
}


def unquote(lines):
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', '\n'.join(lines)))


def entries(path):
    """(msgid, msgstr texts) of each active entry, the header left out."""
    with open(path, encoding='utf-8') as f:
        blocks = f.read().split('\n\n')
    for block in blocks:
        lines = [l for l in block.split('\n') if l and not l.startswith('#')]
        msgid, strs, current = [], [], None
        for line in lines:
            if line.startswith('msgid_plural') or line.startswith('msgctxt'):
                current = None
            elif line.startswith('msgid'):
                current = msgid
            elif line.startswith('msgstr'):
                strs.append([])
                current = strs[-1]
            if current is not None:
                current.append(line)
        if msgid and unquote(msgid):
            yield unquote(msgid), [unquote(s) for s in strs]


def main():
    failures = 0
    for lang, rules in RULES.items():
        path = f'{sys.argv[1]}/{lang}.po'
        for msgid, msgstrs in entries(path):
            for msgstr in msgstrs:
                for pattern, instead in rules:
                    match = re.search(pattern, msgstr, re.M)
                    if match:
                        failures += 1
                        print(f'{lang}.po: “{match.group(0)}” in the translation of “{msgid}”: '
                              f'use {instead} (po/GLOSSARY.md)', file=sys.stderr)
    return 1 if failures else 0


sys.exit(main())
