#!/usr/bin/env bash
# `openfsi ls` reads images made by other writers: genisoimage and xorriso (ISO 9660 + Joliet),
# genisoimage -udf (its UDF side), xorriso's two-session image file, pycdlib's Joliet and UDF 2.60
# images, of a generated tree with nested and empty directories, 0-byte files and sizes around sector
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

# compare_listing NAME OPTION IMAGE WANT: `openfsi ls OPTION IMAGE` names exactly WANT's paths.
compare_listing() {
    local name=$1 option=$2 image=$3 want=$4
    if ! "$tool" ls "$option" "$image" >"$work/out" 2>"$work/err"; then
        echo "FAILED: openfsi ls $option on $name: $(cat "$work/err")"
        failures=$((failures + 1))
        return
    fi
    grep -v '^#' "$work/out" | awk '{ size = $2; $1 = $1; t = $1; $1 = ""; $2 = ""; $3 = ""; $4 = ""; sub(/^ +/, ""); print t " " size " " $0 }' | sort >"$work/got"
    if ! diff "$want" "$work/got" >"$work/diff"; then
        echo "FAILED: openfsi ls $option on $name differs from the source:"
        head -20 "$work/diff"
        failures=$((failures + 1))
    fi
}

# genisoimage's UDF bridge, read on its UDF side.
genisoimage -quiet -J -joliet-long -udf -o "$work/udf-bridge.iso" "$src" 2>/dev/null
compare_listing "genisoimage -udf's image" --udf "$work/udf-bridge.iso" "$work/want"

# xorriso's multisession image file: a second session adds a directory; on a file xorriso
# writes it after the first and rewrites the descriptors at the start, so the latest session is
# the one at sector 16. Both sessions' files must be listed.
mkdir -p "$work/more/deep"
head -c 5000 /dev/urandom >"$work/more/deep/added.bin"
echo "second" >"$work/more/second.txt"
if xorriso -abort_on FAILURE -outdev "$work/multi.iso" -joliet on -map "$src" / -commit \
        >/dev/null 2>&1 &&
   xorriso -abort_on FAILURE -dev "$work/multi.iso" -joliet on -map "$work/more" /more -commit \
        >/dev/null 2>&1; then
    { cat "$work/want"
      (cd "$work/more" && find . -printf '%y %s /more/%P\n' | sed 's/^d [0-9]*/d 0/; s|/more/$|/more|'); } |
        sort >"$work/want-multi"
    compare_listing "xorriso's two-session image" --joliet "$work/multi.iso" "$work/want-multi"
else
    echo "FAILED: xorriso could not make a two-session image"
    failures=$((failures + 1))
fi

# pycdlib's images: ISO 9660 + Joliet, and a UDF 2.60 bridge (read on its UDF side).
if /usr/bin/python3 - "$src" "$work" <<'PY'
import os, sys, pycdlib
src, work = sys.argv[1], sys.argv[2]
for kind in ("joliet", "udf"):
    iso = pycdlib.PyCdlib()
    if kind == "joliet":
        iso.new(interchange_level=3, joliet=3)
    else:
        iso.new(interchange_level=3, udf="2.60")
    n = 0
    for top, dirs, files in os.walk(src):
        rel = os.path.relpath(top, src)
        for d in sorted(dirs):
            path = "/" + (d if rel == "." else rel + "/" + d)
            n += 1
            args = {"iso_path": "/D%06d" % n}
            args["joliet_path" if kind == "joliet" else "udf_path"] = path
            iso.add_directory(**args)
        for f in sorted(files):
            path = "/" + (f if rel == "." else rel + "/" + f)
            n += 1
            args = {"iso_path": "/F%06d.;1" % n}
            args["joliet_path" if kind == "joliet" else "udf_path"] = path
            iso.add_file(os.path.join(top, f), **args)
    iso.write(os.path.join(work, "pycdlib-%s.iso" % kind))
    iso.close()
PY
then
    compare_listing "pycdlib's Joliet image" --joliet "$work/pycdlib-joliet.iso" "$work/want"
    compare_listing "pycdlib's UDF 2.60 bridge" --udf "$work/pycdlib-udf.iso" "$work/want"
else
    echo "FAILED: pycdlib could not make its images"
    failures=$((failures + 1))
fi

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
