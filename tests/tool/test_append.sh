#!/usr/bin/env bash
# `openfsi append --sequential` (the session written whole after the old ones, then the head
# copied): three sessions on one image file, judged by independent readers after each.
# test_append_inplace.sh tests the default, in-place mode.
# Session 2 adds a directory's contents into an existing one and replaces a file; session 3 adds
# a file. After each, 7z and isoinfo (Joliet) must show exactly the merged tree with its bytes,
# pycdlib's checker must agree with it, a file kept from session 1 must still lie in session 1's
# sectors (not copied), and the image must grow by about the new session only. A file without a
# file system is refused with a message. Usage: test_append.sh OPENFSI [PYTHON CHECK_IMAGE_PY]
set -u
tool=$1
python=${2:-/usr/bin/python3}
checker=${3:-$(dirname "$0")/../conformance/check_image.py}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

mkdir -p "$work/s1/docs" "$work/s2/docs/new" "$work/s3" "$work/want"
echo first >"$work/s1/docs/a.txt"
head -c 300000 /dev/urandom >"$work/s1/big.bin"
echo second >"$work/s2/docs/new/b.txt"
echo replaced >"$work/s2/big.bin"
echo third >"$work/s3/c.txt"
img=$work/img.iso

check_session() {   # check_session N: the image against $work/want
    local n=$1
    local x=$work/x$n
    "$tool" ls --joliet "$img" >"$work/ls$n" 2>&1 || fail "session $n: openfsi ls: $(cat "$work/ls$n")"
    rm -rf "$x" && mkdir -p "$x"
    if ! 7z x -tIso -o"$x" "$img" >/dev/null 2>&1; then
        fail "session $n: 7z cannot extract the image"
    elif ! diff -r "$work/want" "$x" >"$work/diff" 2>&1; then
        fail "session $n: 7z's tree differs from the expected one:"; head "$work/diff"
    fi
    if ! isoinfo -J -f -i "$img" | sort >"$work/isoinfo$n" ||
       ! (cd "$work/want" && find . -mindepth 1 -printf '/%P\n' | sort) | diff - "$work/isoinfo$n" >/dev/null; then
        fail "session $n: isoinfo -J lists other paths: $(tr '\n' ' ' <"$work/isoinfo$n")"
    fi
    if [ -x "$python" ] && [ -f "$checker" ]; then
        "$python" "$checker" "$img" "$work/want" --volume APPENDED >"$work/pycdlib$n" 2>&1 ||
            { fail "session $n: pycdlib's checker:"; grep FAIL "$work/pycdlib$n" | head -5; }
    fi
}

# Session 1.
"$tool" create -o "$img" --volume APPENDED "$work/s1" || fail "create"
cp -a "$work/s1/." "$work/want/"
check_session 1
first_end=$(($(stat -c %s "$img") / 2048))
a_extent=$(isoinfo -J -l -i "$img" | awk '/ a.txt *$/ { gsub(/\[/, ""); print $9 }')

# Session 2: a directory merged into docs, big.bin replaced.
"$tool" append "$img" --sequential --replace "$work/s2" >/dev/null || fail "append 2"
cp -a "$work/s2/." "$work/want/"
check_session 2
[ "$(isoinfo -J -l -i "$img" | awk '/ a.txt *$/ { gsub(/\[/, ""); print $9 }')" = "$a_extent" ] ||
    fail "a.txt was copied instead of pointed at (extent $a_extent before)"
second_end=$(($(stat -c %s "$img") / 2048))
# The 300,000-byte file is not copied: the session is its metadata and the two new small files.
[ $((second_end - first_end)) -lt 60 ] || fail "session 2 takes $((second_end - first_end)) sectors"

# Session 3.
"$tool" append "$img" --sequential "$work/s3" >/dev/null || fail "append 3"
cp -a "$work/s3/." "$work/want/"
check_session 3
grep -q "/docs/new/b.txt" "$work/ls3" || fail "b.txt from session 2 is gone after session 3"

# A file with no file system is refused with a message and left alone (UDF images are appended
# to: test_append_udf.sh).
head -c 409600 /dev/zero >"$work/blank.iso"
before=$(md5sum <"$work/blank.iso")
if "$tool" append "$work/blank.iso" --sequential "$work/s1" >/dev/null 2>"$work/err"; then
    fail "append to a blank file succeeded"
else
    grep -q "no ISO 9660, Joliet or UDF" "$work/err" || fail "append to a blank file: $(cat "$work/err")"
fi
[ "$(md5sum <"$work/blank.iso")" = "$before" ] || fail "the refused blank file changed"

[ $failures -eq 0 ] && echo "openfsi append: all checks passed (3 sessions)"
exit $((failures != 0))
