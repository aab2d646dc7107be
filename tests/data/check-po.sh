#!/bin/sh
# check-po.sh MSGFMT PO… — fail unless every PO file passes `msgfmt --check`
# and has no untranslated or fuzzy messages.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 MSGFMT PO..." >&2
  exit 2
fi

msgfmt=$1
shift

# msgfmt's statistics are translated; read them in English.
LC_ALL=C
LANGUAGE=
export LC_ALL LANGUAGE

status=0
for po in "$@"; do
  if ! stats=$("$msgfmt" --check --statistics --output-file=/dev/null "$po" 2>&1); then
    printf '%s\n' "$stats"
    echo "FAIL: $po does not pass msgfmt --check"
    status=1
    continue
  fi
  echo "$po: $stats"
  case "$stats" in
    *fuzzy*|*untranslated*)
      echo "FAIL: $po has fuzzy or untranslated messages"
      status=1
      ;;
  esac
done
exit $status
