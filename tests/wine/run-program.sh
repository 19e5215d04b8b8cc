#!/usr/bin/env bash
# Runs one Windows test program under Wine in the test prefix, with the loader of the side
# OPENFSI_WINE_ARCH names (wine-env.sh); its exit code is the result.
# Usage: run-program.sh PREFIX PROGRAM.exe [ARGS...]
set -u
here=$(dirname "$0")
. "$here/wine-env.sh" "$1"
shift
exec "$WINE" "$@"
