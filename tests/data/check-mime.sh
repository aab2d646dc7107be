#!/bin/sh
# check-mime.sh UPDATE-MIME-DATABASE MIME-XML — the shared-mime-info package
# compiles and makes *.mallipaja files application/x-mallipaja.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/packages"
cp "$2" "$dir/packages/"
"$1" "$dir"
grep -q '^application/x-mallipaja:\*\.mallipaja$' "$dir/globs" || {
  echo "FAIL: *.mallipaja is not application/x-mallipaja in $dir/globs"
  exit 1
}
grep -q '^application/x-mallipaja application/json$' "$dir/subclasses"
echo "ok: *.mallipaja is application/x-mallipaja"
