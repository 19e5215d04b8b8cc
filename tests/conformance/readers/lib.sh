# Shared part of the reader drivers (sourced). A driver is called as
#   DRIVER IMAGE SRC [--volume NAME] [--level 1|2|3] [--no-joliet] [--allow LIST]
#                    [--udf REV] [--no-iso]
# (a UDF reader, READER_FAMILY=udf, needs --udf: the revision the image was made with; --no-iso:
# the image has no ISO 9660 volume, which an ISO 9660/Joliet reader refuses) and prints "OK <reader> ..." lines, or "FAIL <reader> <check>: <path>: <difference>" lines and
# exits 1. The reader's raw output is kept in IMAGE.<reader>/ when something fails.
set -u
export LC_ALL=C.UTF-8 TZ=UTC
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Debian's python3 (python3-pycdlib); another python3 may come first on PATH.
PY=${CONFORMANCE_PYTHON:-/usr/bin/python3}
CONF=("$PY" "$HERE/../conformance.py")
STATUS=0
VOLUME= LEVEL=2 JOLIET=1 ALLOW= UDF= ISO=1
FAMILY=${READER_FAMILY:-iso}

usage() { echo "usage: $0 IMAGE SRC [--volume NAME] [--level 1|2|3] [--no-joliet] [--allow LIST] [--udf REV] [--no-iso]" >&2; exit 2; }
[ $# -ge 2 ] || usage
IMG=$1 SRC=$2
shift 2
while [ $# -gt 0 ]; do
    case $1 in
        --volume) VOLUME=$2; shift 2 ;;
        --level) LEVEL=$2; shift 2 ;;
        --no-joliet) JOLIET=0; shift ;;
        --allow) ALLOW=$2; shift 2 ;;
        --udf) UDF=$2; shift 2 ;;
        --no-iso) ISO=0; shift ;;
        *) usage ;;
    esac
done
# The view a name comparison uses: UDF keeps the source's names like Joliet, to other limits.
if [ "$FAMILY" = udf ]; then
    [ -n "$UDF" ] || { echo "$0: a UDF reader needs --udf REV" >&2; exit 2; }
    VIEW=udf
else
    [ $ISO = 1 ] || { echo "FAIL $READER: an ISO 9660 reader run on an image made with --no-iso"; exit 1; }
    VIEW=joliet
fi
# The image test skipped (a tool that writes no UDF yet, see make_image.sh): skip too.
[ -f "$IMG.skip" ] && { echo "SKIP $READER: $(cat "$IMG.skip")"; exit 77; }
[ -f "$IMG" ] || { echo "FAIL $READER: image $IMG missing (did the image test fail?)"; exit 1; }
[ -d "$SRC" ] || { echo "FAIL $READER: source tree $SRC missing"; exit 1; }
command -v "$READER_CMD" >/dev/null || { echo "FAIL $READER: $READER_CMD not installed (scripts/install-deps)"; exit 1; }
WORK=$IMG.$READER
rm -rf "$WORK"
mkdir -p "$WORK"
IMG_BYTES=$(stat -c %s "$IMG")
# Files this big are compared by streaming instead of extracting (the 4.5 GiB one; the
# self-test lowers it to exercise that path on small files).
HUGE=${CONFORMANCE_HUGE_BYTES:-$((1 << 30))}

fail() { echo "FAIL $READER $*"; STATUS=1; }
ok() { echo "OK $READER $*"; }

# run NAME CMD...: run a reader command, its stdout in $WORK/NAME.out, stderr in $WORK/NAME.err;
# a non-zero exit is a failure.
run() {
    local name=$1
    shift
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    local rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name: '$*' exited with $rc: $(head -c 600 "$WORK/$name.err")"
        return 1
    fi
    return 0
}

# no_stderr NAME: anything the reader said on stderr is a complaint.
no_stderr() {
    if [ -s "$WORK/$1.err" ]; then
        fail "$1: complaint on stderr: $(head -c 600 "$WORK/$1.err")"
    fi
}

# compare FORMAT VIEW FILE [options]: a listing against the source (conformance.py compare).
compare() {
    local fmt=$1 view=$2 file=$3
    shift 3
    "${CONF[@]}" compare "$fmt" "$view" "$SRC" "$file" --level "$LEVEL" --allow "$ALLOW" \
        --label "$READER $view listing" "$@" || STATUS=1
}

# huge_files: source files of 1 GiB or more, relative to SRC, one a line.
huge_files() { (cd "$SRC" && find . -type f -size +$((HUGE - 1))c | sed 's|^\./||' | sort); }

finish() {
    if [ $STATUS -eq 0 ]; then
        rm -rf "$WORK"
        echo "OK $READER: $IMG agrees with $SRC"
    else
        echo "FAIL $READER: outputs kept in $WORK"
    fi
    exit $STATUS
}
