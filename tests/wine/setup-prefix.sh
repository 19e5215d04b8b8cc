#!/usr/bin/env bash
# Makes a new Wine prefix for this test run and registers the DLL in it with regsvr32.
# Usage: setup-prefix.sh PREFIX DLL
set -eu
here=$(dirname "$0")
. "$here/wine-env.sh" "$1"
dll=$2

[ -f "$dll" ] || { echo "no DLL at $dll: build first" >&2; exit 1; }
wineserver -k 2>/dev/null || true
rm -rf "$WINEPREFIX"
wine wineboot --init >/dev/null 2>&1
wineserver -w
wine regsvr32 /s "$(winepath -w "$dll")"
echo "registered $(winepath -w "$dll") in $WINEPREFIX"
