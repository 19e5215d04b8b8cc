#!/usr/bin/env bash
# Runs a script that builds a UDF bridge image through COM (build_udf_image.js) on a folder made
# here, then lets independent readers judge the image against that folder: udfinfo (udftools:
# label, revision, counts, closed integrity), 7-Zip's UDF reader (7z t, and 7z x compared with
# the folder by diff -r) and isoinfo for the ISO 9660 and Joliet trees of the bridge.
# (pycdlib is left out: it cannot parse the metadata partition map of UDF 2.50 and later.)
# Usage: check-udf-image-script.sh PREFIX SCRIPT WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
prefix=$1 script=$2 work=$3
volume=SCRIPT_UDF

rm -rf "$work"
mkdir -p "$work"
tree=$work/tree
mkdir -p "$tree/sub dir/deeper" "$tree/empty" "$tree/Ünïcode"
printf 'hello from a script\n' >"$tree/hello.txt"
head -c 3000001 /dev/urandom >"$tree/sub dir/random.bin"
: >"$tree/sub dir/deeper/zero.txt"
printf 'Привет\n' >"$tree/Ünïcode/файл.txt"
for i in $(seq 1 40); do printf 'file %d\n' "$i" >"$tree/sub dir/file $i.txt"; done
# Names at the edge of what UDF keeps whole: 254 Latin-1 bytes, 127 Cyrillic characters.
printf 'long\n' >"$tree/$(printf 'n%.0s' $(seq 1 254))"
printf 'long\n' >"$tree/Ünïcode/$(printf 'Ж%.0s' $(seq 1 127))"
files=$(find "$tree" -type f | wc -l)
dirs=$(find "$tree" -mindepth 1 -type d | wc -l)
out=$work/image.iso

. "$top/tests/wine/wine-env.sh" "$prefix"
"$top/tests/wine/run-script.sh" "$prefix" "$script" "$(winepath -w "$tree")" \
    "$(winepath -w "$out")" "$volume" "$files" "$dirs" || exit 1

status=0
fail() { echo "FAIL $*"; status=1; }

if udfinfo "$out" >"$work/udfinfo.out" 2>&1; then
    field() { sed -n "s/^$1=//p" "$work/udfinfo.out"; }
    [ "$(field label)" = "$volume" ] || fail "udfinfo: label '$(field label)', not $volume"
    [ "$(field lvid)" = "$volume" ] || fail "udfinfo: lvid '$(field lvid)', not $volume"
    [ "$(field udfwriterev)" = 2.50 ] || fail "udfinfo: udfwriterev $(field udfwriterev), not 2.50"
    [ "$(field integrity)" = closed ] || fail "udfinfo: integrity $(field integrity)"
    [ "$(field numfiles)" = "$files" ] || fail "udfinfo: numfiles $(field numfiles), not $files"
    # udfinfo counts the root directory too.
    [ "$(field numdirs)" = $((dirs + 1)) ] || fail "udfinfo: numdirs $(field numdirs), not $((dirs + 1))"
    [ $status -eq 0 ] && echo "OK udfinfo: label, UDF 2.50, closed, $files files, $dirs directories"
else
    fail "udfinfo cannot read $out: $(head -5 "$work/udfinfo.out")"
fi

if 7z t -tUDF "$out" >"$work/7z-t.out" 2>&1 && grep -qx 'Everything is Ok' "$work/7z-t.out"; then
    echo "OK 7z t -tUDF: Everything is Ok"
else
    fail "7z t -tUDF: $(grep -iE 'error|warning' "$work/7z-t.out" | head -5)"
fi
if 7z x -tUDF -y -o"$work/x" "$out" >"$work/7z-x.out" 2>&1; then
    if diff -r "$tree" "$work/x" >"$work/diff.out" 2>&1; then
        echo "OK 7z x -tUDF: the extracted tree equals the source (diff -r)"
    else
        fail "7z x -tUDF differs from the source: $(head -10 "$work/diff.out")"
    fi
else
    fail "7z x -tUDF: $(grep -iE 'error|warning' "$work/7z-x.out" | head -5)"
fi
rm -rf "$work/x"

CONFORMANCE_PYTHON=/usr/bin/python3 "$top/tests/conformance/readers/isoinfo.sh" "$out" "$tree" \
    --volume "$volume" --level 2 || status=1
[ $status -eq 0 ] && echo "OK: udfinfo, 7z (UDF) and isoinfo agree with the source folder"
exit $status
