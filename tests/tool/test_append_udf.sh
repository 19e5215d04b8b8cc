#!/usr/bin/env bash
# `openfsi append` on UDF images: UDF 1.02, 2.01, 2.50 and 2.60 alone, and bridges (ISO 9660 +
# Joliet + UDF 1.02 and 2.50), three sessions each. Session 2 adds a subdirectory, a non-ASCII
# name and replaces a file; session 3 adds a directory, an empty file and another non-ASCII name.
# After every session independent readers must see exactly the merged tree with its bytes:
# `openfsi ls --udf` (paths), udfinfo (exit 0, file and directory counts), 7z -tUDF (extracted
# and compared byte for byte); for bridges also pycdlib's UDF side (check_udf.py) and ISO side
# (check_image.py), isoinfo -J, xorriso -find and 7z -tIso. A kept 4 MiB file must not be copied:
# each session grows the image by its metadata and new files only (and, in bridges, the ISO
# record of the kept file keeps its extent).
# MODE is how append writes: --sequential (the session after the old ones, then the head copied;
# the default here) or in-place (the tool's default: only the sectors that differ).
# Usage: test_append_udf.sh OPENFSI [PYTHON CONFORMANCE_DIR [MODE]]
set -u
tool=$1
python=${2:-/usr/bin/python3}
conformance=${3:-$(dirname "$0")/../conformance}
mode=${4:---sequential}
case $mode in
    --sequential) mode_flag=--sequential ;;
    in-place) mode_flag= ;;
    *) echo "unknown mode $mode"; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
have_python=0
[ -x "$python" ] && [ -f "$conformance/check_udf.py" ] && have_python=1

mkdir -p "$work/s1/docs" "$work/s2/docs/new" "$work/s3/sub/deeper"
echo first >"$work/s1/docs/a.txt"
head -c 300000 /dev/urandom >"$work/s1/big.bin"
head -c 4194304 /dev/urandom >"$work/s1/keep.bin"
echo second >"$work/s2/docs/new/b.txt"
head -c 5000 /dev/urandom >"$work/s2/café.bin"
echo replaced >"$work/s2/big.bin"
echo third >"$work/s3/sub/deeper/c.txt"
: >"$work/s3/sub/empty"
head -c 70001 /dev/urandom >"$work/s3/sub/Ärger ü.txt"

paths() { (cd "$1" && find . -mindepth 1 -printf '/%P\n' | LC_ALL=C sort); }

check_session() {   # check_session LABEL IMG REV BRIDGE N
    local label=$1 img=$2 rev=$3 bridge=$4 n=$5 want=$work/want x=$work/x
    local files dirs
    files=$(find "$want" -type f | wc -l)
    dirs=$(($(find "$want" -type d | wc -l)))     # the root included, as udfinfo counts
    if "$tool" ls --udf "$img" >"$work/ls" 2>&1; then
        sed -n 's/^[fd] *[0-9]* [0-9-]* [0-9:.]* //p' "$work/ls" | LC_ALL=C sort >"$work/ls.paths"
        paths "$want" | diff - "$work/ls.paths" >/dev/null ||
            fail "$label session $n: openfsi ls --udf lists other paths: $(tr '\n' ' ' <"$work/ls.paths")"
    else
        fail "$label session $n: openfsi ls --udf: $(head -3 "$work/ls")"
    fi
    if udfinfo "$img" >"$work/udfinfo" 2>&1; then
        grep -qx "numfiles=$files" "$work/udfinfo" ||
            fail "$label session $n: udfinfo: $(grep numfiles "$work/udfinfo"), want $files"
        grep -qx "numdirs=$dirs" "$work/udfinfo" ||
            fail "$label session $n: udfinfo: $(grep numdirs "$work/udfinfo"), want $dirs"
        grep -qx "udfwriterev=$rev" "$work/udfinfo" ||
            fail "$label session $n: udfinfo: $(grep udfwriterev "$work/udfinfo"), want $rev"
    else
        fail "$label session $n: udfinfo fails: $(head -3 "$work/udfinfo")"
    fi
    rm -rf "$x" && mkdir -p "$x"
    if ! 7z x -tUDF -o"$x" "$img" >"$work/7z" 2>&1; then
        fail "$label session $n: 7z -tUDF cannot extract the image: $(grep -i -m3 'error\|warn' "$work/7z")"
    elif ! diff -r "$want" "$x" >"$work/diff" 2>&1; then
        fail "$label session $n: 7z -tUDF's tree differs:"; head -5 "$work/diff"
    fi
    [ "$bridge" = 1 ] || return 0
    rm -rf "$x" && mkdir -p "$x"
    if ! 7z x -tIso -o"$x" "$img" >"$work/7z" 2>&1; then
        fail "$label session $n: 7z -tIso cannot extract the image"
    elif ! diff -r "$want" "$x" >"$work/diff" 2>&1; then
        fail "$label session $n: 7z -tIso's tree differs:"; head -5 "$work/diff"
    fi
    isoinfo -J -j iso8859-1 -f -i "$img" 2>/dev/null | iconv -f ISO-8859-1 -t UTF-8 | LC_ALL=C sort >"$work/isoinfo"
    paths "$want" | diff - "$work/isoinfo" >/dev/null ||
        fail "$label session $n: isoinfo -J lists other paths: $(tr '\n' ' ' <"$work/isoinfo")"
    xorriso -indev "$img" -find 2>/dev/null | sed -n "s/^'\.\(\/.*\)'$/\1/p" | LC_ALL=C sort >"$work/xorriso"
    paths "$want" | diff - "$work/xorriso" >/dev/null ||
        fail "$label session $n: xorriso -find lists other paths: $(tr '\n' ' ' <"$work/xorriso")"
    if [ $have_python = 1 ]; then
        "$python" "$conformance/check_udf.py" "$img" "$want" --udf "$rev" --volume APPENDED \
            >"$work/pycdlib" 2>&1 ||
            { fail "$label session $n: pycdlib's UDF side:"; grep -m5 'FAIL' "$work/pycdlib"; }
        "$python" "$conformance/check_image.py" "$img" "$want" --volume APPENDED \
            >"$work/pycdlib" 2>&1 ||
            { fail "$label session $n: pycdlib's ISO side:"; grep -m5 'FAIL' "$work/pycdlib"; }
    fi
}

keep_extent() { isoinfo -J -l -i "$1" | awk '/ keep.bin *$/ { gsub(/\[/, ""); print $9 }'; }

for config in "1.02 0" "2.01 0" "2.50 0" "2.60 0" "1.02 1" "2.50 1"; do
    set -- $config
    rev=$1 bridge=$2
    label="UDF $rev $([ "$bridge" = 1 ] && echo bridge || echo alone)"
    img=$work/img.iso
    rm -rf "$work/want" "$img" && mkdir -p "$work/want"
    no_iso=--no-iso
    [ "$bridge" = 1 ] && no_iso=
    "$tool" create -o "$img" --volume APPENDED --udf "$rev" $no_iso "$work/s1" >/dev/null ||
        { fail "$label: create"; continue; }
    cp -a "$work/s1/." "$work/want/"
    check_session "$label" "$img" "$rev" "$bridge" 1
    [ "$bridge" = 1 ] && first_keep=$(keep_extent "$img")
    sizes=$(($(stat -c %s "$img") / 2048))
    for n in 2 3; do
        before=$(($(stat -c %s "$img") / 2048))
        # Session 2 replaces big.bin.
        "$tool" append "$img" $mode_flag --replace "$work/s$n" >"$work/append" 2>&1 ||
            { fail "$label: append $n: $(cat "$work/append")"; continue 2; }
        cp -a "$work/s$n/." "$work/want/"
        check_session "$label" "$img" "$rev" "$bridge" $n
        after=$(($(stat -c %s "$img") / 2048))
        sizes="$sizes +$((after - before))"
        # 4 MiB kept would be 2,048 sectors: a session is its metadata (under 500 sectors even
        # with 2.50's mirror) plus its new files (under 80 sectors).
        [ $((after - before)) -lt 600 ] ||
            fail "$label: session $n takes $((after - before)) sectors (kept data copied?)"
        if [ "$bridge" = 1 ] && [ "$(keep_extent "$img")" != "$first_keep" ]; then
            fail "$label: session $n: keep.bin moved from sector $first_keep to $(keep_extent "$img")"
        fi
    done
    echo "$label: sessions of $sizes sectors"
done

[ $failures -eq 0 ] && echo "openfsi append UDF ($mode): all checks passed (6 images, 3 sessions each)"
exit $((failures != 0))
