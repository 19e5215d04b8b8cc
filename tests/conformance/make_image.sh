#!/bin/bash
# make_image.sh TOOL OUT [TOOL OPTIONS...] -- PATH...
# Runs "TOOL create -o OUT [OPTIONS] PATH..." and checks it exits 0 and leaves an image.
# With --udf among the options, the tool is first asked whether it writes UDF at all: its
# "create --help" output (stdout and stderr) must name --udf. If not, CONFORMANCE_UDF decides:
# AUTO (the default) skips (exit 77, and OUT.skip tells the readers to skip too), ON fails.
set -u
[ $# -ge 4 ] || { echo "usage: $0 TOOL OUT [OPTIONS...] -- PATH..." >&2; exit 2; }
tool=$1 out=$2
shift 2
opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
[ "${1-}" = -- ] || { echo "usage: $0 TOOL OUT [OPTIONS...] -- PATH..." >&2; exit 2; }
shift
mkdir -p "$(dirname "$out")"
rm -f "$out" "$out.skip"
for o in "${opts[@]}"; do
    [ "$o" = --udf ] || continue
    if ! "$tool" create --help 2>&1 | grep -q -- '--udf'; then
        why="'$tool create --help' names no --udf: the tool writes no UDF yet"
        if [ "${CONFORMANCE_UDF:-AUTO}" = ON ]; then
            echo "FAIL image: $why (OPENFSI_CONFORMANCE_UDF=ON)"
            exit 1
        fi
        echo "$why" >"$out.skip"
        echo "SKIP image: $why (OPENFSI_CONFORMANCE_UDF=AUTO)"
        exit 77
    fi
    break
done
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
