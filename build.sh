#!/usr/bin/env bash
# The project's one entry point on a Debian 12 machine (as root, or with sudo):
#   ./build.sh demo   install what is missing, build, and run the demonstration
#   ./build.sh test   install what is missing, build, and run every test (ctest)
#   ./build.sh build  install what is missing and build only
# Extra arguments after `test` go to ctest (e.g. ./build.sh test -L native).
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
build="$top/build"
jobs=$(nproc 2>/dev/null || echo 2)

setup_and_build() {
    "$top/scripts/install-deps"
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --parallel "$jobs"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
    build)
        setup_and_build ;;
    test)
        setup_and_build
        cd "$build"
        ctest --output-on-failure --parallel "$jobs" "$@" ;;
    demo)
        setup_and_build
        "$top/scripts/demo" "$build" ;;
    *)
        echo "usage: $0 demo | test [ctest arguments] | build" >&2
        exit 2 ;;
esac
