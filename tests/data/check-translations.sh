#!/bin/sh
# Fails if any user-visible string of the current sources is untranslated
# or fuzzy in one of the given languages.
#
# Each catalogue is first merged with a template made fresh from
# po/POTFILES.in, so a string added to the code but missing from ko.po
# counts as untranslated, as the person at the kiosk would see it; a stale
# po/petition-kiosk.pot cannot hide it.
# Usage: check-translations.sh SOURCE_ROOT LANG...
set -u
src=$1
shift
for tool in xgettext msgmerge msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool not found (Debian: apt-get install gettext)" >&2
    # A skip, except where every test must run (tests/pk-test-skip.h).
    [ "${PK_TEST_REQUIRE_ALL:-}" = 1 ] && exit 1
    exit 77
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same options as po/meson.build: meson's i18n 'glib' preset and
# the keyword of pk_count_text.
if ! xgettext --package-name=petition-kiosk --force-po --from-code=UTF-8 \
    --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
    --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
    --keyword=g_dpgettext2:2c,3 --keyword=pk_count_text:2,3 \
    --directory="$src" --files-from="$src/po/POTFILES.in" \
    --output="$tmp/template.pot"; then
  echo "FAIL: xgettext could not extract the strings listed in po/POTFILES.in" >&2
  exit 1
fi

failed=0
for lang in "$@"; do
  po="$src/po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "FAIL: $po does not exist" >&2
    failed=1
    continue
  fi
  if ! msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" \
      "$po" "$tmp/template.pot"; then
    echo "FAIL: msgmerge could not merge $po" >&2
    failed=1
    continue
  fi
  # msgattrib prints nothing at all (not even the header) when no entry
  # matches, so any output means a problem.
  msgattrib --no-wrap --untranslated --no-obsolete "$tmp/$lang.po" >"$tmp/$lang.untranslated"
  msgattrib --no-wrap --only-fuzzy --no-obsolete "$tmp/$lang.po" >"$tmp/$lang.fuzzy"
  # "translator-credits" is left empty on purpose while no translator
  # has asked to be named; the About window then shows
  # no credit. It is the one string that may stay untranslated.
  untranslated=$(grep '^msgid ' "$tmp/$lang.untranslated" | grep -v -c '^msgid "translator-credits"$')
  fuzzy=$(grep -c '^msgid ' "$tmp/$lang.fuzzy")
  # Both counts include the header entry whenever they are non-zero.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
    echo "FAIL: $lang: $untranslated untranslated, $fuzzy fuzzy" >&2
    sed -n '1,/^$/d; /^msgid /p' "$tmp/$lang.untranslated" \
      | head -n 20 | sed "s/^/  $lang untranslated: /" >&2
    sed -n '1,/^$/d; /^msgid /p' "$tmp/$lang.fuzzy" \
      | head -n 20 | sed "s/^/  $lang fuzzy: /" >&2
    failed=1
  else
    echo "ok: $lang has every string translated"
  fi
done
exit $failed
