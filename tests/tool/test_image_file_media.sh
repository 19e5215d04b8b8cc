#!/usr/bin/env bash
# The image file that a COM run makes through OpenFsi.ImageFileMedia (tests/script/
# image_file_media.js under Wine: two sessions on write-once media, the second imported, changed
# and appended), judged by independent readers that look only at the start of the file: isoinfo
# (ISO 9660 and Joliet listings), xorriso, 7-Zip (whole tree extracted and compared byte for byte)
# and pycdlib's checker must all see exactly the second session's tree, and a file kept from the
# first session must still lie in the first session's sectors.
# Usage: test_image_file_media.sh WINE_PREFIX IMAGE_FILE_MEDIA_JS [PYTHON CHECK_IMAGE_PY]
set -u
here=$(cd "$(dirname "$0")" && pwd)
prefix=$1
script=$2
python=${3:-/usr/bin/python3}
checker=${4:-$here/../conformance/check_image.py}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

mkdir -p "$work/s1/docs" "$work/s2/docs/new" "$work/want"
printf 'first a\r\n' >"$work/s1/a.txt"
printf 'to be removed\r\n' >"$work/s1/old.txt"
head -c 2000000 /dev/urandom >"$work/s1/docs/b.txt"   # far more than a session's metadata
printf 'second a, longer than the first\r\n' >"$work/s2/a.txt"
printf 'new in session 2\r\n' >"$work/s2/docs/new/c.txt"
img=$work/media.iso

. "$here/../wine/wine-env.sh" "$prefix"
if ! "$here/../wine/run-script.sh" "$prefix" "$script" "$(winepath -w "$img")" \
        "$(winepath -w "$work/s1")" "$(winepath -w "$work/s2")" >"$work/script.log" 2>&1; then
    cat "$work/script.log"
    echo "FAILED: the script did not make the image"
    exit 1
fi

# What the second session holds: session 1 less old.txt, plus extra.txt (AddFile), with
# session 2's folder over it.
cp -a "$work/s1/." "$work/want/"
rm "$work/want/old.txt"
printf 'added with AddFile from a stream\r\n' >"$work/want/extra.txt"
cp -a "$work/s2/." "$work/want/"
(cd "$work/want" && find . -mindepth 1 -printf '/%P\n' | sort) >"$work/want.list"
(cd "$work/want" && find . -mindepth 1 -type f -printf '/%P\n' | sort) >"$work/want.files"

isoinfo -J -f -i "$img" | sort >"$work/joliet.list" || fail "isoinfo -J cannot read the image"
diff "$work/want.list" "$work/joliet.list" >/dev/null ||
    fail "isoinfo -J lists other paths: $(tr '\n' ' ' <"$work/joliet.list")"
isoinfo -l -i "$img" >"$work/iso.l" 2>&1 || fail "isoinfo -l cannot read the image"
grep -q "OLD.TXT" "$work/iso.l" && fail "isoinfo -l still lists OLD.TXT (the first session)"
for name in A.TXT EXTRA.TXT B.TXT C.TXT; do
    grep -q " $name;1" "$work/iso.l" || fail "isoinfo -l does not list $name;1"
done

xorriso -indev "$img" -find / -type f 2>/dev/null | tr -d "'" | sort >"$work/xorriso.files"
diff "$work/want.files" "$work/xorriso.files" >/dev/null ||
    fail "xorriso -find lists other files: $(tr '\n' ' ' <"$work/xorriso.files")"

mkdir -p "$work/x"
if ! 7z x -tIso -o"$work/x" "$img" >/dev/null 2>&1; then
    fail "7z cannot extract the image"
elif ! diff -r "$work/want" "$work/x" >"$work/diff" 2>&1; then
    fail "7z's tree differs from the expected one:"; head "$work/diff"
fi
7z l -tIso "$img" >"$work/7z.l" 2>&1 || fail "7z l cannot list the image"
grep -q "old.txt" "$work/7z.l" && fail "7z l lists old.txt"

# The UDF side (the script writes the bridge): 7-Zip's UDF reader and udfinfo.
mkdir -p "$work/u"
if ! 7z x -tUDF -o"$work/u" "$img" >/dev/null 2>&1; then
    fail "7z -tUDF cannot extract the image"
elif ! diff -r "$work/want" "$work/u" >"$work/udiff" 2>&1; then
    fail "7z -tUDF's tree differs from the expected one:"; head "$work/udiff"
fi
udfinfo "$img" >"$work/udfinfo" 2>&1 || fail "udfinfo cannot read the image: $(head -3 "$work/udfinfo")"
grep -q "^numfiles=$(wc -l <"$work/want.files")$" "$work/udfinfo" ||
    fail "udfinfo counts other files: $(grep numfiles "$work/udfinfo")"

if [ -x "$python" ] && [ -f "$checker" ]; then
    # extra.txt came from a stream the script wrote: the image records that file's time, not the
    # time of the copy made here after the script, which may be a second later.
    "$python" - "$img" "$work/want/extra.txt" <<'PY' || fail "the recorded time of /extra.txt cannot be read"
import calendar, os, sys
import pycdlib
iso = pycdlib.PyCdlib()
iso.open(sys.argv[1])
d = iso.get_record(joliet_path='/extra.txt').date
t = calendar.timegm((1900 + d.years_since_1900, d.month, d.day_of_month, d.hour, d.minute,
                     d.second)) - d.gmtoffset * 15 * 60
os.utime(sys.argv[2], (t, t))
iso.close()
PY
    "$python" "$checker" "$img" "$work/want" --volume MEDIA >"$work/pycdlib" 2>&1 ||
        { fail "pycdlib's checker:"; grep FAIL "$work/pycdlib" | head -5; }
fi

# b.txt (300,000 bytes) is pointed at in the first session, not copied.
first_end=$(grep -o 'session 1 ends at [0-9]*' "$work/script.log" | grep -o '[0-9]*$')
b_extent=$(isoinfo -J -l -i "$img" | awk '/ b.txt *$/ { gsub(/\[/, ""); print $9 }')
if [ -n "$first_end" ] && [ -n "$b_extent" ]; then
    [ "$b_extent" -lt "$first_end" ] || fail "b.txt lies at $b_extent, after session 1's end ($first_end)"
else
    fail "b.txt's extent ($b_extent) or session 1's end ($first_end) not found"
fi

[ $failures -eq 0 ] && echo "image file media: all readers agree ($(($(stat -c %s "$img") / 2048)) sectors, 2 sessions)"
exit $((failures != 0))
