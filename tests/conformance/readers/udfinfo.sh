#!/bin/bash
# udfinfo (udftools) as a reader of the UDF volume: it reads the anchors, both volume descriptor
# sequences, the logical volume integrity descriptor and the file set descriptor, and reports
# them as key=value lines.
#   exit status 0 and nothing on stderr (udfinfo warns there, e.g. "Logical Volume is in
#                 inconsistent state")
#   udfwriterev   the revision asked for (--udf REV, the LVID's minimum write revision); udfrev
#                 (minimum read revision) too, except that a 2.60 volume may say 2.50: UDF
#                 2.2.6.4 asks for the lowest revision that reads every structure on the medium,
#                 and 2.60 adds none a 2.50 reader cannot read unless the medium uses pseudo
#                 overwrite (mkudffs -r 2.60 writes 2.50 too)
#   label, lvid   the volume name (--volume NAME) whole; vid (primary volume descriptor, a
#                 32-byte dstring) the name as far as it fits (conformance.py udf-vid)
#   blocksize     2048
#   integrity     closed (an image is a finished volume)
#   numfiles      the source's number of files; numdirs the source's directories plus the root
#                 (UDF 2.2.6.4: the root counts)
#   usedblocks    at least one block per file (its file entry; more for data not embedded) plus
#                 one per directory, and at least the source's data in blocks when files are not
#                 embedded: used >= sum over files of max(1, ceil(size/2048)) + directories;
#                 used + free <= blocks (the device), blocks = the image's sectors
READER=udfinfo READER_CMD=udfinfo READER_FAMILY=udf
. "$(dirname "$0")/lib.sh"

if run info udfinfo "$IMG"; then
    no_stderr info
    out=$WORK/info.out
    get() { sed -n "s/^$1=//p" "$out" | head -n1; }
    rev=$(get udfrev) wrev=$(get udfwriterev)
    [ "$wrev" = "$UDF" ] || fail "udfwriterev: '$wrev', expected $UDF"
    if [ "$UDF" = 2.60 ]; then
        [ "$rev" = 2.60 ] || [ "$rev" = 2.50 ] || fail "udfrev: '$rev', expected 2.60 or 2.50"
    else
        [ "$rev" = "$UDF" ] || fail "udfrev: '$rev', expected $UDF"
    fi
    if [ -n "$VOLUME" ]; then
        for k in label lvid; do
            v=$(get $k)
            [ "$v" = "$VOLUME" ] || fail "$k: '$v', expected '$VOLUME'"
        done
        want=$("${CONF[@]}" udf-vid "$VOLUME")
        v=$(get vid)
        [ "$v" = "$want" ] || fail "vid: '$v', expected '$want'"
    fi
    [ "$(get blocksize)" = 2048 ] || fail "blocksize: '$(get blocksize)', expected 2048"
    [ "$(get integrity)" = closed ] || fail "integrity: '$(get integrity)', expected closed"
    blocks=$(get blocks) used=$(get usedblocks) free=$(get freeblocks)
    [ "$blocks" = "$((IMG_BYTES / 2048))" ] || fail "blocks: '$blocks', the image has $((IMG_BYTES / 2048)) sectors"
    read -r nfiles ndirs nbytes < <("${CONF[@]}" counts "$SRC")
    [ "$(get numfiles)" = "$nfiles" ] || fail "numfiles: '$(get numfiles)', the source has $nfiles files"
    [ "$(get numdirs)" = "$((ndirs + 1))" ] \
        || fail "numdirs: '$(get numdirs)', the source has $ndirs directories and the root"
    # The least a volume of these files and directories can use (see above).
    least=$(cd "$SRC" && find . -type f -printf '%s\n' \
        | awk -v d="$((ndirs + 1))" '{ b = int(($1 + 2047) / 2048); n += (b > 0 ? b : 1) } END { print n + d }')
    if ! [[ "$used" =~ ^[0-9]+$ && "$free" =~ ^[0-9]+$ ]]; then
        fail "usedblocks '$used', freeblocks '$free': not numbers"
    else
        [ "$used" -ge "$least" ] \
            || fail "usedblocks: $used, but the source's $nfiles files and $((ndirs + 1)) directories need at least $least blocks"
        [ $((used + free)) -le "$blocks" ] || fail "usedblocks $used + freeblocks $free exceed the $blocks blocks"
    fi
    [ $STATUS = 0 ] && ok "UDF $wrev (read $rev), label '$(get label)', $(get numfiles) files, $(get numdirs) directories, $used blocks used (at least $least needed), $free free"
fi
finish
