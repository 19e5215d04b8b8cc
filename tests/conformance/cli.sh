#!/bin/bash
# cli.sh TOOL WORKDIR: the tool's command-line contract.
#   exit 2 and a message on stderr for usage errors (no command, no -o, no PATH, a bad
#   --iso-level, an unknown option); exit 1 and a message for errors (a PATH that does not
#   exist, an output that cannot be written, two names equal ignoring case in one directory);
#   exit 0 for a good command line.
set -u
export LC_ALL=C.UTF-8
tool=$1 work=$2
status=0
rm -rf "$work"
mkdir -p "$work/tree/sub" "$work/case"
echo hello >"$work/tree/a.txt"
echo x >"$work/case/Readme.txt"
echo y >"$work/case/README.TXT"

expect() {
    local want=$1 what=$2
    shift 2
    "$tool" "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    if [ $rc -ne "$want" ]; then
        echo "FAIL cli: $what: exit $rc, expected $want ($tool $*): $(head -c 300 "$work/err")"
        status=1
    elif [ "$want" -ne 0 ] && [ ! -s "$work/err" ]; then
        echo "FAIL cli: $what: exit $rc but nothing on stderr ($tool $*)"
        status=1
    else
        echo "OK cli: $what: exit $rc"
    fi
}

expect 2 "no arguments"
expect 2 "create without -o" create "$work/tree"
expect 2 "create without PATH" create -o "$work/x.iso"
expect 2 "--iso-level 4" create -o "$work/x.iso" --iso-level 4 "$work/tree"
expect 2 "unknown option" create -o "$work/x.iso" --no-such-option "$work/tree"
expect 1 "PATH that does not exist" create -o "$work/x.iso" "$work/no-such-path"
expect 1 "output in a missing directory" create -o "$work/no-such-dir/x.iso" "$work/tree"
expect 1 "names equal ignoring case" create -o "$work/case.iso" "$work/case"
expect 0 "good command line" create -o "$work/ok.iso" --volume CLI --iso-level 1 --no-joliet "$work/tree"
[ -s "$work/ok.iso" ] || { echo "FAIL cli: good command line: no image written"; status=1; }
[ $status -eq 0 ] && rm -rf "$work"
exit $status
