#!/bin/sh
# check-potfiles.sh — fail when po/POTFILES.in misses a file with translatable
# strings, or lists a file that does not exist. Run from the source root or
# from anywhere (it finds the root itself), as libadwaita's check does.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

cd "$(dirname "$0")/.." || exit 1

potfiles=po/POTFILES.in
dirs="app server ui data"

# Strings marked for gettext in C (_(), N_(), C_(), NC_(), ngettext ()) and
# translatable properties in GtkBuilder files.
pattern='(^|[^A-Za-z0-9_])(N|C|NC)?_ ?\("|(^|[^A-Za-z0-9_])ngettext ?\(|translatable="yes"'

listed=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles")

candidates() {
  for d in $dirs; do
    [ -d "$d" ] || continue
    find "$d" -type f
  done
  if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- $dirs
  fi
}

status=0

missing=$(candidates | sort -u | while IFS= read -r f; do
  [ -f "$f" ] || continue
  case "$f" in
    data/sample-bank.json|data/sql/*) continue ;;
  esac
  if grep -I -q -E "$pattern" "$f" 2>/dev/null; then
    printf '%s\n' "$listed" | grep -q -x -F -- "$f" || printf '%s\n' "$f"
  fi
done)

if [ -n "$missing" ]; then
  echo "These files have translatable strings but are not in $potfiles:"
  printf '%s\n' "$missing" | sed 's/^/  /'
  status=1
fi

gone=$(printf '%s\n' "$listed" | while IFS= read -r f; do
  [ -n "$f" ] || continue
  [ -f "$f" ] || printf '%s\n' "$f"
done)

if [ -n "$gone" ]; then
  echo "These files are in $potfiles but do not exist:"
  printf '%s\n' "$gone" | sed 's/^/  /'
  status=1
fi

sorted=$(printf '%s\n' "$listed" | LC_ALL=C sort)
if [ "$sorted" != "$listed" ]; then
  echo "$potfiles is not sorted (LC_ALL=C sort)."
  status=1
fi

if [ $status -eq 0 ]; then
  echo "$potfiles lists every file with translatable strings."
fi
exit $status
