#!/bin/bash
# 7-Zip (p7zip) as a reader, of the ISO 9660/Joliet volume (-tIso, named so: on a UDF bridge 7z
# would otherwise pick the UDF file system) or, called as "7z.sh --7z-udf ..." (7z_udf.sh), of
# the UDF file system (-tUDF). 7z shows Joliet names when a Joliet tree exists, else ISO 9660
# names with ";1" stripped; UDF names as recorded.
#   7z l -slt   Joliet or UDF: exactly the source's paths, names, sizes (full size of multi-extent
#               files) and file mtimes (UTC; UDF: within 1 s, it records microseconds); without
#               Joliet: the source's shape and sizes. UDF: also "Type = Udf", "Version" is the
#               revision asked for, and the logical volume "Id" and the primary volume
#               "VolumeId" are the volume name (the latter cut to what a 32-byte dstring holds);
#               a metadata partition ("IsMetadata: 1") from UDF 2.50 on, none before
#   7z t        exits 0, "Everything is Ok", no warnings; its Files/Folders/Size totals equal
#               the source's (so every byte was read back)
#   7z x        (Joliet, UDF) the extracted tree equals the source byte for byte; files of 1 GiB
#               or more are streamed with 7z x -so into cmp instead of being written out. Without
#               Joliet there is no extraction check (see the NOTE it prints).
if [ "${1-}" = --7z-udf ]; then
    shift
    READER=7z_udf READER_CMD=7z READER_FAMILY=udf TYPE=-tUDF
else
    READER=7z READER_CMD=7z TYPE=-tIso
fi
. "$(dirname "$0")/lib.sh"

complaints() {
    local c
    c=$(grep -iE 'warning|error|unsupported|can not|cannot' "$WORK/$1.out" | grep -v '^Path = ')
    [ -z "$c" ] || fail "$1: $(echo "$c" | head -10)"
}

read -r nfiles ndirs nbytes < <("${CONF[@]}" counts "$SRC")

if run l 7z l $TYPE -slt "$IMG"; then
    complaints l
    if [ "$FAMILY" = udf ]; then
        grep -qx 'Type = Udf' "$WORK/l.out" || fail "l: 7z does not see a UDF file system: $(grep '^Type = ' "$WORK/l.out")"
        # The header, before the file list: "Version = 2.01", "  VolumeId: ..." (primary volume
        # descriptor), "  Id: ..." (logical volume descriptor).
        sed '/^----------$/q' "$WORK/l.out" >"$WORK/l.head"
        ver=$(sed -n 's/^Version = //p' "$WORK/l.head")
        [ "$ver" = "$UDF" ] || fail "l: UDF Version '$ver', expected $UDF"
        if [ -n "$VOLUME" ]; then
            lvid=$(sed -n '/^Logical Volumes:/,$ s/^  Id: //p' "$WORK/l.head" | head -n1)
            [ "$lvid" = "$VOLUME" ] || fail "l: logical volume Id '$lvid', expected '$VOLUME'"
            vid=$(sed -n 's/^  VolumeId: //p' "$WORK/l.head" | head -n1)
            want=$("${CONF[@]}" udf-vid "$VOLUME")
            [ "$vid" = "$want" ] || fail "l: primary VolumeId '$vid', expected '$want'"
        fi
        # UDF 2.50 and later keep the file entries in a metadata partition (a type 2 map, which
        # 7z lists as a partition with "IsMetadata: 1"); earlier revisions have none.
        meta=$(grep -c '^  IsMetadata: 1$' "$WORK/l.head")
        if awk -v r="$UDF" 'BEGIN { exit !(r + 0 >= 2.50) }'; then
            [ "$meta" -ge 1 ] || fail "l: UDF $UDF without a metadata partition (7z lists none)"
        else
            [ "$meta" = 0 ] || fail "l: a metadata partition in a UDF $UDF volume (from 2.50 on only)"
        fi
        [ $STATUS = 0 ] && ok "l: UDF $ver, logical volume '${lvid-}', $meta metadata partition(s)"
        compare 7z udf "$WORK/l.out" --mtime
    elif [ $JOLIET = 1 ]; then
        grep -qx 'Type = Iso' "$WORK/l.out" || fail "l: 7z does not see an ISO image: $(grep '^Type = ' "$WORK/l.out")"
        compare 7z joliet "$WORK/l.out" --mtime
    else
        grep -qx 'Type = Iso' "$WORK/l.out" || fail "l: 7z does not see an ISO image: $(grep '^Type = ' "$WORK/l.out")"
        compare 7z iso "$WORK/l.out"
    fi
fi

if run t 7z t $TYPE "$IMG"; then
    complaints t
    grep -qx 'Everything is Ok' "$WORK/t.out" || fail "t: no 'Everything is Ok'"
    got_files=$(sed -n 's/^Files: *//p' "$WORK/t.out")
    got_dirs=$(sed -n 's/^Folders: *//p' "$WORK/t.out")
    got_bytes=$(sed -n 's/^Size: *//p' "$WORK/t.out")
    [ "${got_files:-0}" = "$nfiles" ] || fail "t: Files: ${got_files:-0}, source has $nfiles"
    [ "${got_dirs:-0}" = "$ndirs" ] || fail "t: Folders: ${got_dirs:-0}, source has $ndirs"
    [ "${got_bytes:-0}" = "$nbytes" ] || fail "t: Size: ${got_bytes:-0}, source has $nbytes bytes"
    [ $STATUS = 0 ] && ok "t: Everything is Ok, $got_files files, ${got_dirs:-0} folders, $got_bytes bytes as in the source"
fi

mapfile -t huge < <(huge_files)
excl=()
for h in "${huge[@]}"; do excl+=("-x!$h"); done
mkdir -p "$WORK/x"          # 7z makes it only when it extracts something
if [ $JOLIET = 0 ] && [ "$FAMILY" = iso ]; then
    echo "NOTE 7z: no extraction check without Joliet: 7z strips \";1\" and a trailing \".\", so a file"
    echo "NOTE 7z: \"X.;1\" and a directory \"X\" (distinct ISO 9660 identifiers) collide on disk;"
    echo "NOTE 7z: 7z t above read every byte, pycdlib compares the contents"
elif run x 7z x $TYPE -y -o"$WORK/x" "$IMG" "${excl[@]}"; then
    complaints x
    "${CONF[@]}" compare-dirs "$SRC" "$WORK/x" --allow "$ALLOW" --skip-content-over $((HUGE - 1)) \
        --view "$VIEW" --label "$READER x" || STATUS=1
fi
rm -rf "$WORK/x"
for h in "${huge[@]}"; do
    if [ $JOLIET = 0 ] && [ "$FAMILY" = iso ]; then
        fail "x: $h: a file of 1 GiB or more in an image without Joliet: not compared by this driver"
        continue
    fi
    7z x $TYPE -so "$IMG" "$h" 2>"$WORK/so.err" | cmp - "$SRC/$h" >"$WORK/cmp.out" 2>&1
    rcs=("${PIPESTATUS[@]}")
    if [ "${rcs[0]}" != 0 ] || [ "${rcs[1]}" != 0 ]; then
        fail "x -so: $h: 7z exit ${rcs[0]}, cmp: $(cat "$WORK/cmp.out") $(head -c 300 "$WORK/so.err")"
    else
        echo "OK $READER x -so: $h ($(stat -c %s "$SRC/$h") bytes) equals the source"
    fi
done
finish
