#!/bin/bash
# make_image.sh TOOL OUT [TOOL OPTIONS...] -- PATH...
# Runs "TOOL create -o OUT [OPTIONS] PATH..." and checks it exits 0 and leaves an image.
set -u
[ $# -ge 4 ] || { echo "usage: $0 TOOL OUT [OPTIONS...] -- PATH..." >&2; exit 2; }
tool=$1 out=$2
shift 2
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
[ "${1-}" = -- ] || { echo "usage: $0 TOOL OUT [OPTIONS...] -- PATH..." >&2; exit 2; }
shift
mkdir -p "$(dirname "$out")"
rm -f "$out"
echo "+ $tool create -o $out ${opts[*]} $*"
start=$(date +%s)
"$tool" create -o "$out" "${opts[@]}" "$@"
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL image: the tool exited with $rc"
    exit 1
fi
if [ ! -s "$out" ]; then
    echo "FAIL image: exit 0 but no image at $out"
    exit 1
fi
echo "OK image: $out, $(stat -c %s "$out") bytes in $(( $(date +%s) - start )) s"
