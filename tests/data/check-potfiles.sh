#!/bin/sh
# Fails if a source file with translatable strings is missing from
# po/POTFILES.in (its strings would never reach the translators, and
# check-translations.sh could not see them), or if POTFILES.in lists a
# file that does not exist (xgettext would fail).
# Usage: check-potfiles.sh SOURCE_ROOT
set -u
src=$1
potfiles="$src/po/POTFILES.in"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$potfiles" | sort -u >"$tmp/listed"

cd "$src" || exit 1
{
  # C: _("…"), N_("…"), C_("ctx", "…"), NC_(…), ngettext (…),
  # pk_count_text (…)
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|ngettext|g_dngettext|pk_count_text) ?\(' --include='*.c' src
  grep -rl 'translatable="yes"' --include='*.ui' src data
  find data -maxdepth 1 \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
    -o -name '*.gschema.xml' \) -print
} | sort -u >"$tmp/needed"

status=0
for file in $(comm -23 "$tmp/needed" "$tmp/listed"); do
  echo "FAIL: $file has translatable strings but is not in po/POTFILES.in" >&2
  status=1
done
while read -r file; do
  if [ ! -f "$file" ]; then
    echo "FAIL: po/POTFILES.in lists $file, which does not exist" >&2
    status=1
  fi
done <"$tmp/listed"
[ "$status" -eq 0 ] && echo "ok: po/POTFILES.in lists all $(wc -l <"$tmp/needed") files with strings"
exit $status
