#!/usr/bin/env bash
# IIsoImageManager::Validate, as a script calls it, on images made by genisoimage (ISO 9660 +
# Joliet, and its UDF 1.02 bridge), xorriso (Joliet, and a two-session image) and openfsi's tool,
# which must pass, and on a truncated image, a corrupted one, a file of zeros and one that is not
# whole sectors, which must fail with Microsoft's codes (IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND,
# IMAPI_E_IMAGEMANAGER_IMAGE_NOT_ALIGNED) and a description.
# Usage: check-validate-script.sh PREFIX SCRIPT WORKDIR OPENFSI
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
prefix=$1 script=$2 work=$3 tool=$4
rm -rf "$work"
mkdir -p "$work/tree/sub" "$work/more"
echo "validate me" >"$work/tree/a.txt"
head -c 70000 /dev/urandom >"$work/tree/sub/b.bin"
echo "second session" >"$work/more/c.txt"

genisoimage -quiet -J -o "$work/genisoimage.iso" "$work/tree"
genisoimage -quiet -J -udf -o "$work/genisoimage-udf.iso" "$work/tree"
xorriso -as mkisofs -quiet -J -o "$work/xorriso.iso" "$work/tree" 2>/dev/null
xorriso -dev "$work/xorriso-2.iso" -joliet on -map "$work/tree" / -commit >/dev/null 2>&1
xorriso -dev "$work/xorriso-2.iso" -joliet on -map "$work/more" /more -commit >/dev/null 2>&1
"$tool" create -o "$work/openfsi.iso" --udf 2.60 "$work/tree"
head -c $((20 * 2048)) "$work/genisoimage.iso" >"$work/truncated.iso"
cp "$work/genisoimage.iso" "$work/corrupt.iso"
# The Joliet root directory's extent (supplementary descriptor at 17, root record at 156) far away.
printf '\377\377\377\017' | dd of="$work/corrupt.iso" bs=1 seek=$((17 * 2048 + 156 + 2)) conv=notrunc 2>/dev/null
printf '\017\377\377\377' | dd of="$work/corrupt.iso" bs=1 seek=$((17 * 2048 + 156 + 6)) conv=notrunc 2>/dev/null
head -c $((40 * 2048)) /dev/zero >"$work/zeros.iso"
head -c 5000 "$work/genisoimage.iso" >"$work/unaligned.iso"

. "$top/tests/wine/wine-env.sh" "$prefix"
args=()
for f in genisoimage genisoimage-udf xorriso xorriso-2 openfsi truncated corrupt zeros unaligned; do
    args+=("$f=$(winepath -w "$work/$f.iso")")
done
output=$("$top/tests/wine/run-script.sh" "$prefix" "$script" "${args[@]}") || { echo "$output"; exit 1; }
echo "$output"
failures=0
expect() {  # expect NAME PATTERN
    printf '%s\n' "$output" | grep -q "^$1 $2" || { echo "FAILED: $1 should answer $2"; failures=$((failures + 1)); }
}
for good in genisoimage genisoimage-udf xorriso xorriso-2 openfsi; do expect "$good" "OK"; done
expect truncated "0xC0AAB201 .*sector"
expect corrupt "0xC0AAB201 .*beyond the end"
expect zeros "0xC0AAB201 "
expect unaligned "0xC0AAB200 "
[ $failures -eq 0 ] && echo "Validate: all checks passed"
exit $((failures != 0))
