#!/usr/bin/env bash
# Runs a script that builds an image through COM (build_image.js / .vbs) on a folder made here,
# then lets independent readers judge the image it wrote against that folder: pycdlib (every
# record, every file's bytes: tests/conformance/check_image.py) and isoinfo.
# Usage: check-image-script.sh PREFIX SCRIPT WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
prefix=$1 script=$2 work=$3
name=$(basename "$script")
volume=SCRIPT_${name##*.}
volume=${volume^^}

rm -rf "$work"
mkdir -p "$work"
# The tree the image must hold, and the folder given to the script: the same folder for
# JScript (AddTree without its base), its parent for VBScript (AddTree with the base folder).
tree=$work/tree
folder=$tree
case $name in *.vbs) folder="$tree/Script Folder" ;; esac
mkdir -p "$folder/sub dir/deeper" "$folder/empty" "$folder/Ünïcode"
printf 'hello from a script\n' >"$folder/hello.txt"
head -c 3000001 /dev/urandom >"$folder/sub dir/random.bin"
: >"$folder/sub dir/deeper/zero.txt"
printf 'Привет\n' >"$folder/Ünïcode/файл.txt"
for i in $(seq 1 40); do printf 'file %d\n' "$i" >"$folder/sub dir/file $i.txt"; done
out=$work/image.iso

. "$top/tests/wine/wine-env.sh" "$prefix"
"$top/tests/wine/run-script.sh" "$prefix" "$script" "$(winepath -w "$folder")" \
    "$(winepath -w "$out")" "$volume" "$(find "$folder" -type f | wc -l)" \
    "$(find "$folder" -mindepth 1 -type d | wc -l)" || exit 1

status=0
/usr/bin/python3 "$top/tests/conformance/check_image.py" "$out" "$tree" --volume "$volume" \
    || status=1
CONFORMANCE_PYTHON=/usr/bin/python3 "$top/tests/conformance/readers/isoinfo.sh" "$out" "$tree" \
    --volume "$volume" --level 2 || status=1
[ $status -eq 0 ] && echo "OK: pycdlib and isoinfo agree with the source folder"
exit $status
