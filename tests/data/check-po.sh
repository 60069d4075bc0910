#!/bin/sh
# Runs `msgfmt --check` (format strings, header, plural forms) on the
# catalogue of every language in po/LINGUAS; a listed language without a
# .po file is an error too.
# Usage: check-po.sh PO_DIR
set -u
po_dir=$1
failed=0
checked=0
for lang in $(sed -e 's/#.*//' "$po_dir/LINGUAS"); do
  po="$po_dir/$lang.po"
  if [ ! -f "$po" ]; then
    echo "FAIL: $lang is in LINGUAS but $po does not exist" >&2
    failed=1
    continue
  fi
  if msgfmt --check --output-file=/dev/null "$po"; then
    echo "ok: $po"
  else
    echo "FAIL: msgfmt --check $po" >&2
    failed=1
  fi
  checked=$((checked + 1))
done
if [ "$checked" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "FAIL: no languages in $po_dir/LINGUAS" >&2
  exit 1
fi
exit $failed
