#!/usr/bin/env bash
# Unregisters the DLL with regsvr32 /u, then runs a program that checks none of our keys is left.
# Usage: check-unregister.sh PREFIX DLL PROGRAM.exe
set -eu
here=$(dirname "$0")
. "$here/wine-env.sh" "$1"
wine regsvr32 /u /s "$(winepath -w "$2")"
wine "$3"
