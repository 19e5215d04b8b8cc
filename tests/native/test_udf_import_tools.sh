#!/usr/bin/env bash
# The UDF reader on images other tools make, generated here: genisoimage -udf (a UDF 1.02 bridge
# with files) must import as the tree it was made from (names, sizes, bytes, modification times);
# mkudffs (udftools) empty file systems of every revision it makes on a hard disk (root entry
# embedded, short, long, file entries or extended ones) must import empty with their label; its
# virtual (VAT), sparable and strategy 4096 volumes must be refused as not supported.
# Usage: test_udf_import_tools.sh IMPORT_DUMP
set -u
dump=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passed=0
skipped=0

check() {   # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $name"
        failures=$((failures + 1))
    fi
}

# imports IMAGE [OUTDIR] expecting exit status STATUS; the listing is left in $work/out
imports() { # imports STATUS IMAGE [OUTDIR]
    local expected=$1
    shift
    "$dump" "$@" >"$work/out" 2>"$work/err"
    local status=$?
    [ "$status" -eq "$expected" ] || { echo "  exit $status, expected $expected: $*"; cat "$work/out" "$work/err"; return 1; }
}

first_line_is() { head -n 1 "$work/out" | grep -qxF -- "$1" || { echo "  got: $(head -n 1 "$work/out")"; return 1; }; }
error_says() { grep -q -- "$1" "$work/out" || { echo "  got: $(cat "$work/out")"; return 1; }; }

# File times as "path type size mtime" (whole seconds), directories without their times.
times_of() {
    (cd "$1" && find . -mindepth 1 \( -type f -printf '%P f %s %Ts\n' \) -o \( -type d -printf '%P d\n' \) | LC_ALL=C sort)
}

# ---- genisoimage -udf ----
if command -v genisoimage >/dev/null 2>&1; then
    src=$work/src
    mkdir -p "$src/sub/deeper/deepest" "$src/empty dir" "$src/Ünïcödé 日本"
    printf 'hello, world\n' >"$src/hello.txt"
    : >"$src/empty.txt"
    head -c 300000 /dev/urandom >"$src/sub/random.bin"
    head -c 5000 /dev/urandom >"$src/sub/deeper/deepest/five.bin"
    printf 'accents' >"$src/Ünïcödé 日本/café crème.txt"
    long=$(printf 'a%.0s' $(seq 1 56))     # genisoimage cuts UDF names at 64 characters
    printf 'long' >"$src/sub/$long.txt"
    touch -d '2001-02-03 04:05:06' "$src/hello.txt"
    touch -d '1999-12-31 23:59:58' "$src/sub/random.bin"
    genisoimage -quiet -udf -J -R -V GENISO -o "$work/g.iso" "$src" 2>"$work/err"
    check "genisoimage -udf imports" imports 0 "$work/g.iso" "$work/g"
    check "genisoimage: label, revision 1.02 and counts" \
        first_line_is "status 0 volume GENISO revision 0102 files 6 directories 5"
    check "genisoimage: the same names and bytes" diff -r "$src" "$work/g"
    times_of "$src" >"$work/t1"
    times_of "$work/g" >"$work/t2"
    check "genisoimage: the same sizes and modification times" diff "$work/t1" "$work/t2"
else
    echo "SKIPPED: genisoimage is not installed"
    skipped=$((skipped + 1))
fi

# ---- mkudffs ----
if command -v mkudffs >/dev/null 2>&1; then
    mk() {  # mk IMAGE OPTIONS...: an empty 2048-byte-block file system of 8192 blocks
        local image=$1
        shift
        rm -f "$image"
        mkudffs --blocksize=2048 "$@" "$image" 8192 >/dev/null 2>"$work/err" || { cat "$work/err"; return 1; }
    }
    for rev in 1.02 1.50 2.00 2.01; do
        hex=$(printf '%s' "$rev" | tr -d .)
        for ad in inicb short long; do
            img=$work/mk-$rev-$ad.img
            check "mkudffs $rev --ad=$ad makes an image" mk "$img" --media-type=hd --udfrev=$rev --ad=$ad --label="MK $rev $ad"
            check "mkudffs $rev --ad=$ad imports empty" imports 0 "$img"
            check "mkudffs $rev --ad=$ad: label and revision" \
                first_line_is "status 0 volume MK $rev $ad revision 0$hex files 0 directories 0"
            check "mkudffs $rev --ad=$ad: nothing in it" test "$(wc -l <"$work/out")" -eq 1
        done
    done
    img=$work/mk-noefe.img
    check "mkudffs --noefe makes an image" mk "$img" --media-type=hd --udfrev=2.01 --noefe --label=NOEFE
    check "mkudffs --noefe imports" imports 0 "$img"
    check "mkudffs --noefe: label" first_line_is "status 0 volume NOEFE revision 0201 files 0 directories 0"

    img=$work/mk-vat.img
    check "mkudffs --vat makes an image" mk "$img" --media-type=hd --vat
    check "mkudffs --vat is refused" imports 1 "$img"
    check "mkudffs --vat: not implemented" error_says "^status 17 "
    check "mkudffs --vat: says virtual partition" error_says "virtual partition.*not supported"

    img=$work/mk-sparable.img
    check "mkudffs --spartable makes an image" mk "$img" --media-type=hd --spartable
    check "mkudffs --spartable is refused" imports 1 "$img"
    check "mkudffs --spartable: not implemented" error_says "^status 17 "
    check "mkudffs --spartable: says sparable partition" error_says "sparable partition.*not supported"

    img=$work/mk-4096.img
    check "mkudffs --strategy=4096 makes an image" mk "$img" --media-type=hd --strategy=4096
    check "mkudffs --strategy=4096 is refused" imports 1 "$img"
    check "mkudffs --strategy=4096: not implemented" error_says "^status 17 "
    check "mkudffs --strategy=4096: says strategy 4096" error_says "strategy 4096.*not supported"

    img=$work/mk-512.img
    rm -f "$img"
    mkudffs --blocksize=512 --media-type=hd "$img" 16384 >/dev/null 2>&1
    check "mkudffs --blocksize=512 is not found or refused" imports 1 "$img"
else
    echo "SKIPPED: mkudffs is not installed"
    skipped=$((skipped + 1))
fi

echo "$passed passed, $failures failed, $skipped tool(s) skipped"
[ "$failures" -eq 0 ]
