#!/usr/bin/env bash
# Runs one JScript or VBScript test under Wine's cscript: the one of the side OPENFSI_WINE_ARCH
# names (64: system32's, 32: syswow64's; see wine-env.sh). Wine's cscript exits 0 and prints
# nothing after an uncaught script error, so a script passes only if it exits 0 AND its last
# line of output is the marker below.
# Usage: run-script.sh PREFIX SCRIPT [ARGUMENTS...] (arguments go to the script as they are)
set -u
here=$(dirname "$0")
. "$here/wine-env.sh" "$1"
script=$2
shift 2
marker="OPENFSI SCRIPT PASSED"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$WINE" "$WINE_SYSTEM\\cscript.exe" //nologo "$(winepath -w "$script")" "$@" >"$log" 2>&1
status=$?
output=$(tr -d '\r' <"$log")
printf '%s\n' "$output"
if [ "$status" -ne 0 ]; then
    echo "FAILED: cscript exited with $status" >&2
    exit 1
fi
last=$(printf '%s\n' "$output" | sed '/^[[:space:]]*$/d' | tail -n 1)
if [ "$last" != "$marker" ]; then
    echo "FAILED: the script did not reach its end marker ('$marker')" >&2
    exit 1
fi
