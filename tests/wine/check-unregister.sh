#!/usr/bin/env bash
# Unregisters the DLL of one side of the prefix (OPENFSI_WINE_ARCH: 64, system32's, or 32,
# syswow64's) with that side's own regsvr32 /u, then runs a program that checks what is left.
# Usage: check-unregister.sh PREFIX PROGRAM.exe [ARGS...]
set -eu
here=$(dirname "$0")
. "$here/wine-env.sh" "$1"
shift
"$WINE" "$WINE_SYSTEM\\regsvr32.exe" /u /s "$WINE_SYSTEM\\imapi2fs.dll"
"$WINE" "$@"
