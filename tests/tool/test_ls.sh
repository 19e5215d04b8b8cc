#!/usr/bin/env bash
# `openfsi ls` reads images made by other writers: genisoimage and xorriso (ISO 9660 + Joliet) of
# a generated tree with nested and empty directories, 0-byte files and sizes around sector
# multiples. Its Joliet listing must name exactly the source's paths, with their sizes, and its
# ISO 9660 listing the same count of files and directories. Usage: test_ls.sh OPENFSI
set -u
tool=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

src=$work/src
mkdir -p "$src/a/b/c" "$src/empty" "$src/x y"
: >"$src/zero"
head -c 2048 /dev/urandom >"$src/a/exact"
head -c 2049 /dev/urandom >"$src/a/b/over"
head -c 100000 /dev/urandom >"$src/a/b/c/big"
echo "spaces" >"$src/x y/file name.txt"
for i in $(seq 1 300); do echo "$i" >"$src/a/n$i.txt"; done

# The source as "type size path", sorted; directories have size 0 in the listing.
(cd "$src" && find . -mindepth 1 -printf '%y %s /%P\n' | sed 's/^d [0-9]*/d 0/') | sort >"$work/want"

for writer in genisoimage xorriso; do
    command -v $writer >/dev/null || { echo "FAILED: $writer is not installed"; failures=$((failures + 1)); continue; }
    case $writer in
    genisoimage) genisoimage -quiet -J -joliet-long -o "$work/$writer.iso" "$src" ;;
    xorriso) xorriso -as mkisofs -quiet -J -joliet-long -o "$work/$writer.iso" "$src" 2>/dev/null ;;
    esac
    if ! "$tool" ls --joliet "$work/$writer.iso" >"$work/out" 2>"$work/err"; then
        echo "FAILED: openfsi ls --joliet on $writer's image: $(cat "$work/err")"
        failures=$((failures + 1))
        continue
    fi
    grep -v '^#' "$work/out" | awk '{ size = $2; $1 = $1; t = $1; $1 = ""; $2 = ""; $3 = ""; $4 = ""; sub(/^ +/, ""); print t " " size " " $0 }' | sort >"$work/got"
    if ! diff "$work/want" "$work/got" >"$work/diff"; then
        echo "FAILED: openfsi ls --joliet on $writer's image differs from the source:"
        head -20 "$work/diff"
        failures=$((failures + 1))
    fi
    files=$(grep -c '^f' "$work/want"); dirs=$(grep -c '^d' "$work/want")
    if ! "$tool" ls --iso9660 "$work/$writer.iso" >"$work/iso" 2>"$work/err" ||
       ! head -1 "$work/iso" | grep -q ", $files files, $dirs directories"; then
        echo "FAILED: openfsi ls --iso9660 on $writer's image: $(head -1 "$work/iso") $(cat "$work/err")"
        failures=$((failures + 1))
    fi
done

# A file that is not an image, and one that is cut short.
head -c 100000 /dev/zero >"$work/zeros.iso"
"$tool" ls "$work/zeros.iso" >/dev/null 2>"$work/err"
[ $? -eq 1 ] && grep -q "no ISO 9660, Joliet or UDF" "$work/err" ||
    { echo "FAILED: a file of zeros: $(cat "$work/err")"; failures=$((failures + 1)); }
head -c 40000 "$work/genisoimage.iso" >"$work/cut.iso"
"$tool" ls --joliet "$work/cut.iso" >/dev/null 2>"$work/err"
[ $? -eq 1 ] && grep -q "sector" "$work/err" ||
    { echo "FAILED: a cut image: $(cat "$work/err")"; failures=$((failures + 1)); }

[ $failures -eq 0 ] && echo "openfsi ls: all checks passed"
exit $((failures != 0))
