#!/usr/bin/env bash
# `openfsi create --boot/--efi`: El Torito images judged by independent readers. Three images: a
# BIOS entry without emulation, a 1.44 MB floppy-emulation entry, and a BIOS + UEFI pair (and a
# UDF bridge image with a floppy + UEFI pair). For
# each, xorriso's -report_el_torito, isoinfo -d and pycdlib must report the catalog entries
# (platform, emulation, load size, LBA) we expect, and the bytes at each reported LBA must equal
# the source file. A floppy emulation of a file of the wrong size must be refused with a message.
# Usage: test_boot.sh OPENFSI [PYTHON]
set -u
tool=$1
python=${2:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
for t in xorriso isoinfo dd cmp; do
    command -v "$t" >/dev/null || { echo "FAILED: $t is not installed"; exit 1; }
done
"$python" -c 'import pycdlib' 2>/dev/null || { echo "FAILED: $python lacks pycdlib"; exit 1; }

mkdir -p "$work/tree"
echo "hello" >"$work/tree/readme.txt"
head -c 2500 /dev/urandom >"$work/bios.bin"        # 5 virtual sectors
head -c 1474560 /dev/urandom >"$work/floppy.img"   # a 1.44 MB diskette
head -c 20000 /dev/urandom >"$work/efi.img"        # 40 virtual sectors

make_image() {  # make_image NAME ARGS...
    local name=$1
    shift
    if ! "$tool" create -o "$work/$name.iso" "$@" "$work/tree" >"$work/$name.out" 2>&1; then
        fail "$name: openfsi create failed: $(cat "$work/$name.out")"
        return 1
    fi
}

# check_image NAME "PLATFORM EMULATION LOADSIZE FILE"... : xorriso's rows, in order.
check_image() {
    local name=$1 img=$work/$1.iso
    shift
    local report rows n=0 want
    report=$(xorriso -indev "$img" -report_el_torito plain 2>&1)
    rows=$(printf '%s\n' "$report" | grep '^El Torito boot img :')
    [ "$(printf '%s\n' "$rows" | grep -c .)" -eq $# ] ||
        fail "$name: xorriso lists $(printf '%s\n' "$rows" | grep -c .) boot images, want $#: $report"
    for want in "$@"; do
        n=$((n + 1))
        set -- $want
        local platform=$1 emulation=$2 load=$3 file=$4
        local row lba
        row=$(printf '%s\n' "$rows" | awk -v n="$n" '$6 == n')
        # "El Torito boot img :   1  BIOS  y   none  0x0000  0x00      5          27"
        set -- $row
        [ "${6:-}" = "$n" ] && [ "${7:-}" = "$platform" ] && [ "${8:-}" = y ] &&
            [ "${9:-}" = "$emulation" ] && [ "${12:-}" = "$load" ] ||
            { fail "$name: xorriso's entry $n is '$row', want $platform $emulation load $load"; continue; }
        lba=${13}
        local size=$(stat -c %s "$work/$file")
        if ! dd if="$img" bs=2048 skip="$lba" count=$(( (size + 2047) / 2048 )) status=none |
                head -c "$size" | cmp -s - "$work/$file"; then
            fail "$name: the bytes at LBA $lba are not $file"
        fi
        echo "$lba" >>"$work/$name.lbas"
    done
}

# isoinfo -d: the validation entry and the default entry.
check_isoinfo() {   # check_isoinfo NAME MEDIA NSECT
    local name=$1 out
    out=$(isoinfo -d -i "$work/$name.iso" 2>&1)
    printf '%s\n' "$out" | grep -q 'El Torito VD version 1 found' ||
        fail "$name: isoinfo finds no El Torito boot record: $out"
    printf '%s\n' "$out" | grep -q 'Key 55 AA' || fail "$name: isoinfo: no 55 AA key"
    printf '%s\n' "$out" | grep -q 'Arch 0 (x86)' || fail "$name: isoinfo: platform is not x86"
    printf '%s\n' "$out" | grep -q "Boot media $2 " || fail "$name: isoinfo: boot media is not $2"
    printf '%s\n' "$out" | grep -q "Nsect $3\$" || fail "$name: isoinfo: Nsect is not $3"
    printf '%s\n' "$out" | grep -q "Bootoff [0-9A-F]* $(head -1 "$work/$name.lbas")\$" ||
        fail "$name: isoinfo's Bootoff is not xorriso's LBA"
}

# pycdlib: the catalog as a list "platform media count lba" per entry, sections included.
check_pycdlib() {   # check_pycdlib NAME EXPECTED
    local name=$1 got
    got=$("$python" - "$work/$name.iso" <<'PY' 2>&1
import sys, pycdlib
iso = pycdlib.PyCdlib()
iso.open(sys.argv[1])
catalog = iso.eltorito_boot_catalog
e = catalog.initial_entry
rows = ["%d %d %d %d" % (catalog.validation_entry.platform_id, e.boot_media_type, e.sector_count, e.load_rba)]
for i, section in enumerate(catalog.sections):
    last = i + 1 == len(catalog.sections)
    assert section.header_indicator == (0x91 if last else 0x90), section.header_indicator
    for s in section.section_entries:
        rows.append("%d %d %d %d" % (section.platform_id, s.boot_media_type, s.sector_count, s.load_rba))
print(";".join(rows))
iso.close()
PY
)
    [ "$got" = "$2" ] || fail "$name: pycdlib reports '$got', want '$2'"
}

if make_image bios --boot "$work/bios.bin"; then
    check_image bios "BIOS none 5 bios.bin"
    check_isoinfo bios 0 5
    check_pycdlib bios "0 0 5 $(sed -n 1p "$work/bios.lbas")"
fi
if make_image floppy --boot "$work/floppy.img" --boot-emulation floppy; then
    check_image floppy "BIOS fd1.4 1 floppy.img"
    check_isoinfo floppy 2 1
    check_pycdlib floppy "0 2 1 $(sed -n 1p "$work/floppy.lbas")"
fi
if make_image pair --boot "$work/bios.bin" --efi "$work/efi.img"; then
    check_image pair "BIOS none 5 bios.bin" "UEFI none 40 efi.img"
    check_isoinfo pair 0 5
    check_pycdlib pair "0 0 5 $(sed -n 1p "$work/pair.lbas");239 0 40 $(sed -n 2p "$work/pair.lbas")"
    # Neither the catalog nor the boot images are files of the tree.
    listing=$(isoinfo -J -f -i "$work/pair.iso")
    [ "$listing" = "/readme.txt" ] || fail "pair: the tree holds more than readme.txt: $listing"
fi

# A UDF bridge image boots the same way; UDF's space bitmap counts the boot images as used.
if make_image bridge --udf 2.01 --boot "$work/floppy.img" --boot-emulation floppy --efi "$work/efi.img"; then
    check_image bridge "BIOS fd1.4 1 floppy.img" "UEFI none 40 efi.img"
    if command -v udfinfo >/dev/null; then
        used=$(udfinfo "$work/bridge.iso" 2>/dev/null | sed -n 's/^usedblocks=//p')
        [ -n "$used" ] && [ "$used" -ge $(( 1474560 / 2048 + 20000 / 2048 )) ] ||
            fail "bridge: udfinfo counts ${used:-no} used blocks, fewer than the boot images take"
    fi
fi

# The tool's own refusals (not for other writers, e.g. the COM path: BOOT_TEST_ONLY_IMAGES=1).
if [ -z "${BOOT_TEST_ONLY_IMAGES-}" ]; then
    # A floppy emulation needs a diskette-sized file.
    if "$tool" create -o "$work/bad.iso" --boot "$work/bios.bin" --boot-emulation floppy \
            "$work/tree" >"$work/bad.out" 2>&1; then
        fail "a 2500-byte floppy image was accepted"
    elif ! grep -q "floppy emulation needs a 1.2 MB" "$work/bad.out"; then
        fail "the refusal of a wrong-sized floppy says: $(cat "$work/bad.out")"
    fi
    [ ! -e "$work/bad.iso" ] || fail "a refused image left $work/bad.iso behind"
    "$tool" create -o "$work/bad.iso" --boot-emulation tape --boot "$work/bios.bin" "$work/tree" \
        >"$work/bad2.out" 2>&1
    [ $? -eq 2 ] && grep -q "unknown boot emulation" "$work/bad2.out" ||
        fail "an unknown emulation is not refused as a usage error: $(cat "$work/bad2.out")"
    # mkisofs users' spellings make the same images as the long ones.
    for pair in "--no-emul:none:bios.bin" "--floppy:floppy:floppy.img"; do
        short=${pair%%:*}; rest=${pair#*:}; long=${rest%%:*}; file=${rest#*:}
        SOURCE_DATE_EPOCH=1700000000 "$tool" create -o "$work/short.iso" -b "$work/$file" \
            "$short" "$work/tree" >/dev/null 2>&1 &&
        SOURCE_DATE_EPOCH=1700000000 "$tool" create -o "$work/long.iso" --boot "$work/$file" \
            --boot-emulation "$long" "$work/tree" >/dev/null 2>&1 &&
        cmp -s "$work/short.iso" "$work/long.iso" ||
            fail "-b FILE $short does not make the image --boot FILE --boot-emulation $long makes"
    done

fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "boot images: all checks passed"
