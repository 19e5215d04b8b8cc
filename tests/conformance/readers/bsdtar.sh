#!/bin/bash
# bsdtar (libarchive) as a reader. libarchive reads the Joliet tree when there is one (no Rock
# Ridge here), else ISO 9660 names with ";1" stripped.
#   bsdtar -tvf   Joliet: exactly the source's paths, names and sizes (full size of multi-extent
#                 files); without Joliet: the source's shape and sizes
#   bsdtar -tf    exits 0 and lists the same paths as -tvf (the plain listing)
#   bsdtar -xf    (Joliet) the extracted tree equals the source byte for byte, with the
#                 source's file mtimes; files of 1 GiB or more are streamed with bsdtar -xOf into
#                 cmp instead of being written out. Without Joliet there is no extraction check
#                 (see the NOTE it prints).
READER=bsdtar READER_CMD=bsdtar
. "$(dirname "$0")/lib.sh"

if run tv bsdtar -tvf "$IMG"; then
    no_stderr tv
    if [ $JOLIET = 1 ]; then
        compare bsdtar joliet "$WORK/tv.out"
    else
        compare bsdtar iso "$WORK/tv.out"
    fi
fi
if run t bsdtar -tf "$IMG"; then
    no_stderr t
    # -tvf's last field is the path; -tf prints paths only.
    if ! diff <(sort "$WORK/t.out") <(sed -E 's/^([^ ]+ +){8}//' "$WORK/tv.out" | sort) >"$WORK/t.diff"; then
        fail "tf: -tf and -tvf list different paths: $(head -10 "$WORK/t.diff")"
    else
        ok "-tf: the same $(wc -l <"$WORK/t.out") paths as -tvf"
    fi
fi

mapfile -t huge < <(huge_files)
excl=()
for h in "${huge[@]}"; do excl+=(--exclude "$h"); done
mkdir -p "$WORK/x"
if [ $JOLIET = 0 ]; then
    echo "NOTE bsdtar: no extraction check without Joliet: libarchive strips \";1\" and a trailing"
    echo "NOTE bsdtar: \".\", so a file \"X.;1\" and a directory \"X\" (distinct ISO 9660 identifiers)"
    echo "NOTE bsdtar: collide on disk; pycdlib compares the contents"
elif run x bsdtar -xf "$IMG" -C "$WORK/x" "${excl[@]}"; then
    no_stderr x
    "${CONF[@]}" compare-dirs "$SRC" "$WORK/x" --allow "$ALLOW" --skip-content-over $((HUGE - 1)) \
        --mtime --label "bsdtar x" || STATUS=1
fi
chmod -R u+rwX "$WORK/x" 2>/dev/null
rm -rf "$WORK/x"
for h in "${huge[@]}"; do
    if [ $JOLIET = 0 ]; then
        fail "x: $h: a file of 1 GiB or more in an image without Joliet: not compared by this driver"
        continue
    fi
    bsdtar -xOf "$IMG" "$h" 2>"$WORK/xO.err" | cmp - "$SRC/$h" >"$WORK/cmp.out" 2>&1
    rcs=("${PIPESTATUS[@]}")
    if [ "${rcs[0]}" != 0 ] || [ "${rcs[1]}" != 0 ] || [ -s "$WORK/xO.err" ]; then
        fail "xOf: $h: bsdtar exit ${rcs[0]}, cmp: $(cat "$WORK/cmp.out") $(head -c 300 "$WORK/xO.err")"
    else
        echo "OK bsdtar -xOf: $h ($(stat -c %s "$SRC/$h") bytes) equals the source"
    fi
done
finish
