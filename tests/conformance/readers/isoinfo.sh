#!/bin/bash
# isoinfo (genisoimage): the primary volume descriptor, the ISO 9660 listing and the Joliet
# listing, each compared with the source tree.
#   isoinfo -d     volume id (NAME, or NAME mapped to d-characters), block size 2048, volume size
#                  = image size, "Joliet with UCS level N found" exactly when Joliet is expected
#   isoinfo -l     ISO 9660 tree: identifiers as recorded must follow ECMA-119 for the level, be
#                  unique; the tree has the source's shape and sizes
#   isoinfo -J -l  Joliet tree: exactly the source's paths, names and sizes. isoinfo prints names
#                  through ISO 8859-1 (it knows no UTF-8 output): characters above U+00FF come out
#                  as "_", so those are compared in that form.
# Multi-extent files: isoinfo lists one line per section (flags printed as "FFFF..."); at level 3
# consecutive sections of one name are added up, so the full size is checked.
READER=isoinfo READER_CMD=isoinfo
. "$(dirname "$0")/lib.sh"

if run d isoinfo -d -i "$IMG"; then
    no_stderr d
    vol=$(sed -n 's/^Volume id: //p' "$WORK/d.out")
    if [ -n "$VOLUME" ] && ! "${CONF[@]}" iso-volume-id "$VOLUME" | grep -xF -- "$vol" >/dev/null; then
        fail "-d: Volume id '$vol', expected '$VOLUME'"
    fi
    grep -qx 'Logical block size is: 2048' "$WORK/d.out" || fail "-d: logical block size is not 2048"
    blocks=$(sed -n 's/^Volume size is: //p' "$WORK/d.out")
    [ "$((blocks * 2048))" = "$IMG_BYTES" ] \
        || fail "-d: volume size $blocks blocks ($((blocks * 2048)) bytes), image is $IMG_BYTES bytes"
    if [ $JOLIET = 1 ]; then
        grep -qE '^Joliet with UCS level [123] found$' "$WORK/d.out" || fail "-d: no Joliet descriptor found"
    else
        ! grep -q '^Joliet' "$WORK/d.out" || fail "-d: Joliet found, but the image was made with --no-joliet"
    fi
    [ $STATUS = 0 ] && ok "-d: volume id '$vol', $blocks blocks, $(grep -c '^Joliet with' "$WORK/d.out") Joliet descriptor(s)"
fi

multi=()
[ "$LEVEL" = 3 ] && multi=(--multi-extent)
if run l isoinfo -l -i "$IMG"; then
    no_stderr l
    compare isoinfo iso "$WORK/l.out" --raw-names --latin1 "${multi[@]}"
fi
if [ $JOLIET = 1 ] && run J isoinfo -J -l -i "$IMG"; then
    no_stderr J
    compare isoinfo joliet "$WORK/J.out" --raw-names --latin1 "${multi[@]}"
fi
finish
