#!/usr/bin/env bash
# Runs test_multisession.exe under Wine with OPENFSI_MULTISESSION_VIEWS set, so that it leaves
# the disc of every session it writes as a view file (CONFIG-sessionN.iso: what a reader of
# plain image files sees as the disc's last session, see recorder_double_write_view) with a
# manifest of the tree the disc must hold (CONFIG-sessionN.manifest). Then independent readers
# judge each view against that tree, made here from the manifest (each file's bytes come from
# its seed, as fsi_test_pattern makes them; its mtime from the manifest):
#   ISO 9660 / Joliet: isoinfo -d/-l/-J -l, xorriso -find and -compare_r, 7z l/t/x -tIso
#                      (tests/conformance/readers) and pycdlib (check_image.py)
#   UDF:               udfinfo (label, revision, integrity, counts; see udfinfo_check),
#                      7z l/t/x -tUDF and, on a bridge, pycdlib's UDF side
#                      (check_udf.py, with fix_pycdlib_partition_maps for 2.50 and later)
# Every configuration must have a view of each of its 5 sessions: a missing one (the program
# failed before writing it) fails this test too, as does the program's own failure.
# Usage: check_multisession_views.sh PREFIX test_multisession.exe WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
readers=$top/tests/conformance/readers
py=${CONFORMANCE_PYTHON:-/usr/bin/python3}
[ $# -eq 3 ] || { echo "usage: $0 PREFIX test_multisession.exe WORKDIR" >&2; exit 2; }
prefix=$1 program=$2 work=$3
configs="iso9660-joliet udf102 udf250 bridge"
sessions=5
export LC_ALL=C.UTF-8 TZ=UTC CONFORMANCE_PYTHON=$py

rm -rf "$work"
mkdir -p "$work/views"
status=0
fail() { echo "FAIL $*"; status=1; }

. "$top/tests/wine/wine-env.sh" "$prefix"
OPENFSI_MULTISESSION_VIEWS=$(winepath -w "$work/views") "$WINE" "$program" >"$work/program.out" 2>&1
rc=$?
cat "$work/program.out"
[ $rc -eq 0 ] || fail "test_multisession.exe exited with $rc (its failures are above)"

# The expected tree of a manifest, as host files: directories, files of the seed's pattern,
# modification times.
materialize() {
    "$py" - "$1" "$2" <<'EOF'
import os, sys
manifest, root = sys.argv[1], sys.argv[2]
os.makedirs(root)
files = []
for line in open(manifest, encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if f[0] == 'dir':
        os.makedirs(os.path.join(root, f[1]), exist_ok=True)
    elif f[0] == 'file':
        size, seed, mtime, path = int(f[1]), int(f[2]), int(f[3]), f[4]
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as out:
            out.write(bytes((i * 7 + seed + (i >> 11)) & 0xFF for i in range(size)))
        files.append((full, mtime))
for full, mtime in files:
    os.utime(full, (mtime, mtime))
EOF
}

field() { sed -n "s/^$1\t//p" "$2" | head -n1; }

# udfinfo on a view: exit 0, the label, revision, closed integrity, the manifest's counts (the
# root counts as a directory) and every sector of the view. Its only tolerated complaint is the
# one about a later session: the partition, continued from the first session so that kept data
# stays where it is, spans the new session's own volume structures, and udfinfo says
# "Partition Space overlaps with other blocks".
udfinfo_check() {
    local n=$1 out=$view.udfinfo.out err=$view.udfinfo.err
    local files dirs got problems=0
    files=$(grep -c "^file$(printf '\t')" "$manifest")
    dirs=$(( $(grep -c "^dir$(printf '\t')" "$manifest") + 1 ))
    if ! udfinfo "$view" >"$out" 2>"$err"; then
        echo "FAIL udfinfo exited with an error: $(head -c 300 "$err")"
        problems=1
    fi
    if [ "$n" -gt 1 ] && grep -qx 'udfinfo: Warning: Partition Space overlaps with other blocks' "$err"; then
        echo "NOTE udfinfo: 'Partition Space overlaps with other blocks' (the continued partition)"
        sed -i '/^udfinfo: Warning: Partition Space overlaps with other blocks$/d' "$err"
    fi
    [ -s "$err" ] && { echo "FAIL udfinfo complains: $(head -c 300 "$err")"; problems=1; }
    get() { sed -n "s/^$1=//p" "$out" | head -n1; }
    for check in "label=$volume" "lvid=$volume" "udfwriterev=$udf" "integrity=closed" \
                 "numfiles=$files" "numdirs=$dirs" "blocks=$(( $(stat -c %s "$view") / 2048 ))"; do
        got=$(get "${check%%=*}")
        if [ "$got" = "${check#*=}" ]; then
            echo "OK udfinfo ${check%%=*} $got"
        else
            echo "FAIL udfinfo ${check%%=*}: '$got', expected '${check#*=}'"
            problems=1
        fi
    done
    return $problems
}

# reader NAME CMD...: one reader's verdict; its OK/FAIL lines are kept in the log.
reader() {
    local name=$1
    shift
    "$@" >"$view.$name.log" 2>&1
    local rc=$?
    if [ $rc -eq 0 ]; then
        echo "OK $base: $name ($(grep -c '^OK' "$view.$name.log") checks)"
        grep '^NOTE' "$view.$name.log" | sed 's/^/    /'
    else
        fail "$base: $name (exit $rc):"
        grep -E '^(FAIL|SKIP|NOTE)' "$view.$name.log" | head -15 | sed 's/^/    /'
        grep -qE '^(FAIL|SKIP)' "$view.$name.log" || tail -5 "$view.$name.log" | sed 's/^/    /'
    fi
}

judged=0
for config in $configs; do
    for n in $(seq 1 $sessions); do
        base=$config-session$n
        view=$work/views/$base.iso manifest=$work/views/$base.manifest
        if [ ! -f "$view" ] || [ ! -f "$manifest" ]; then
            fail "$base: no view (test_multisession.exe did not get this far)"
            continue
        fi
        tree=$work/views/$base.tree
        materialize "$manifest" "$tree" || { fail "$base: cannot make the tree of $manifest"; continue; }
        volume=$(field volume "$manifest")
        systems=$(field filesystems "$manifest")
        udf=$(field udf "$manifest")
        iso=() joliet=()
        [ $((systems & 2)) -ne 0 ] || joliet=(--no-joliet)
        if [ $((systems & 1)) -ne 0 ]; then
            common=("$view" "$tree" --volume "$volume" --level 2 "${joliet[@]}")
            reader isoinfo "$readers/isoinfo.sh" "${common[@]}"
            reader xorriso "$readers/xorriso.sh" "${common[@]}"
            reader 7z-iso "$readers/7z.sh" "${common[@]}"
            reader pycdlib "$py" "$top/tests/conformance/check_image.py" "${common[@]}"
        else
            iso=(--no-iso)
        fi
        if [ $((systems & 4)) -ne 0 ]; then
            common=("$view" "$tree" --volume "$volume" --udf "$udf" "${iso[@]}")
            reader udfinfo udfinfo_check "$n"
            reader 7z-udf "$readers/7z_udf.sh" "${common[@]}"
            if [ ${#iso[@]} -eq 0 ]; then
                reader pycdlib-udf "$py" "$top/tests/conformance/check_udf.py" "${common[@]}"
            else
                echo "NOTE $base: no pycdlib for UDF alone (pycdlib reads UDF only beside ISO 9660)"
            fi
        fi
        judged=$((judged + 1))
    done
done
echo "$judged of $(( $(echo $configs | wc -w) * sessions )) views judged"
[ $status -eq 0 ] && echo "OK: every session's view agrees with its manifest for every reader"
exit $status
