#!/bin/bash
# xorriso (libisoburn/libisofs) as a reader, loading the image without Rock Ridge.
#   -pvd_info                     volume id is NAME (or NAME mapped to d-characters)
#   -read_fs norock -joliet_map unmapped, -find / -exec lsdl
#                                 Joliet tree as recorded (a ";1" would show): the source's
#                                 exact paths, names and sizes (full size of multi-extent files)
#   -read_fs ecma119 -ecma119_map unmapped, -find / -exec lsdl
#                                 ISO 9660 tree as recorded: ECMA-119 identifiers for the level,
#                                 unique, the source's shape and sizes
#   -compare_r SRC /              (Joliet) every file's content and mtime agree with the source;
#                                 differences in attributes Joliet cannot hold (mode, owner,
#                                 ctime, atime) and directory times are ignored. Without Joliet
#                                 the names differ, so content is left to the other readers.
# Any WARNING/SORRY/FAILURE/FATAL/MISHAP message of xorriso is a complaint.
READER=xorriso READER_CMD=xorriso
. "$(dirname "$0")/lib.sh"

complaints() {
    local c
    c=$(grep -E ' : (WARNING|SORRY|FAILURE|FATAL|MISHAP|ABORT) : ' "$WORK/$1.err")
    [ -z "$c" ] || fail "$1: $(echo "$c" | head -10)"
}

if run pvd xorriso -indev "$IMG" -pvd_info; then
    complaints pvd
    vol=$(sed -n 's/^Volume Id    : //p' "$WORK/pvd.out")
    if [ -n "$VOLUME" ] && ! "${CONF[@]}" iso-volume-id "$VOLUME" | grep -xF -- "$vol" >/dev/null; then
        fail "pvd: Volume Id '$vol', expected '$VOLUME'"
    else
        ok "pvd: Volume Id '$vol'"
    fi
fi
if [ $JOLIET = 1 ] && run joliet xorriso -read_fs norock -joliet_map unmapped -indev "$IMG" -find / -exec lsdl; then
    complaints joliet
    compare xorriso joliet "$WORK/joliet.out" --raw-names
fi
if run iso xorriso -read_fs ecma119 -ecma119_map unmapped -indev "$IMG" -find / -exec lsdl; then
    complaints iso
    compare xorriso iso "$WORK/iso.out" --raw-names
fi
if [ $JOLIET = 1 ]; then
    "${CONF[@]}" xorriso-compare-r "$SRC" "$IMG" --allow "$ALLOW" --out "$WORK/compare_r.out" || STATUS=1
else
    echo "NOTE xorriso: no -compare_r without Joliet (ISO 9660 names differ from the source's)"
fi
finish
