#!/usr/bin/env bash
# The command line of `openfsi create`: exit codes (0 done, 1 failed, 2 usage), messages that
# name the problem, no half-written image left behind, quiet when stderr is not a terminal, and a
# progress bar (percent, MB/s, time left) when it is.
# Usage: test_cli.sh OPENFSI
set -u
tool=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passed=0

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

run() {     # run EXPECTED_STATUS ARGS...: runs the tool, keeps stderr in $work/err
    local expected=$1
    shift
    "$tool" "$@" >"$work/out" 2>"$work/err" </dev/null
    local status=$?
    [ "$status" -eq "$expected" ] || { echo "  exit $status, expected $expected: $*"; cat "$work/err"; return 1; }
}

mkdir -p "$work/a/sub" "$work/b"
printf 'alpha' >"$work/a/sub/Alpha.txt"
printf 'one' >"$work/a/same.txt"
printf 'two' >"$work/b/SAME.TXT"

check "no arguments is a usage error" run 2
check "unknown command is a usage error" run 2 frobnicate
check "missing -o is a usage error" run 2 create "$work/a"
check "missing path is a usage error" run 2 create -o "$work/x.iso"
check "bad ISO level is a usage error" run 2 create -o "$work/x.iso" --iso-level 4 "$work/a"
check "unknown option is a usage error" run 2 create -o "$work/x.iso" --fast "$work/a"
check "a volume name over 32 characters is a usage error" \
    run 2 create -o "$work/x.iso" --volume "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456" "$work/a"
check "no image is left after usage errors" test ! -e "$work/x.iso"

check "a missing path fails" run 1 create -o "$work/x.iso" "$work/nowhere"
check "... and names the path" grep -q "nowhere" "$work/err"
check "... and leaves no image" test ! -e "$work/x.iso"

check "the same name in two paths (any case) fails" run 1 create -o "$work/x.iso" "$work/a" "$work/b"
check "... and says the name exists" grep -qi "already exists" "$work/err"
check "... and leaves no image" test ! -e "$work/x.iso"

check "an output in a missing directory fails" run 1 create -o "$work/no/dir/x.iso" "$work/a"
check "... and names the output" grep -q "no/dir/x.iso" "$work/err"

mkdir -p "$work/c" && printf 'x' >"$work/c/other.txt"
check "a good run succeeds" run 0 create -o "$work/x.iso" --volume "Test Disc" "$work/a" "$work/c"
check "... quietly when stderr is not a terminal" test ! -s "$work/err"
check "... with a whole number of sectors" test $(( $(stat -c %s "$work/x.iso") % 2048 )) -eq 0
check "... and the volume name" bash -c "isoinfo -d -i '$work/x.iso' | grep -q 'Volume id: TEST_DISC'"
check "a file given as a path lands in the root" \
    bash -c "'$tool' create -o '$work/y.iso' '$work/c/other.txt' && isoinfo -J -f -i '$work/y.iso' | grep -qx '/other.txt'"

# An image written over an older file at the same path is the new image alone: the tool
# overwrites the file rather than truncating it first, so a longer old file must lose its tail.
mkdir -p "$work/big" && head -c 3000000 /dev/urandom >"$work/big/large.bin"
run 0 create -o "$work/over.iso" "$work/big"
old_size=$(stat -c %s "$work/over.iso")
check "an image over a longer old file succeeds" run 0 create -o "$work/over.iso" "$work/a"
run 0 create -o "$work/fresh.iso" "$work/a"
check "... and is as long as the same image made afresh" \
    test "$(stat -c %s "$work/over.iso")" -eq "$(stat -c %s "$work/fresh.iso")" -a "$old_size" -gt "$(stat -c %s "$work/fresh.iso")"
check "... and lists only the new tree" \
    bash -c "isoinfo -J -f -i '$work/over.iso' | sort | tr '\n' ' ' | grep -qx '/same.txt /sub /sub/Alpha.txt '"
check "... and 7-Zip tests it clean" bash -c "7z t '$work/over.iso' >/dev/null"
printf 'short' >"$work/short.iso"
check "an image over a shorter old file succeeds" run 0 create -o "$work/short.iso" "$work/big"
check "... and holds the new file whole" \
    bash -c "7z x -so '$work/short.iso' large.bin 2>/dev/null | cmp -s - '$work/big/large.bin'"

# A terminal gets the progress bar (script(1) gives the tool a pseudo-terminal).
script -qec "'$tool' create -o '$work/z.iso' '$work/a'" "$work/typescript" >/dev/null 2>&1
check "a terminal gets a progress bar with percent, MB/s and time left" \
    grep -q "100.0%.*MB/s.*left" "$work/typescript"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
