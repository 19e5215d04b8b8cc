#!/bin/bash
# Stand-in for the openfsi tool, for developing and validating the conformance checks:
#   genisoimage.sh create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] [--no-joliet]
#                  [--udf 1.02] PATH...
# runs genisoimage with the same meaning (Joliet with long names, no Rock Ridge, times in UTC).
# --udf 1.02 adds genisoimage's UDF 1.02 file system (-udf: a bridge sharing the file data); it
# writes no other revision and cannot leave ISO 9660 out, so any other --udf REV and --no-iso
# are refused (exit 2). Its "create --help" names --udf, as openfsi's will: the conformance
# suite probes for that.
# genisoimage cannot write multi-extent files: an image of a file of 4 GiB or more fails here
# (use xorriso.sh for the big tree).
# Set STANDIN_BACKEND=xorriso to run "xorriso -as mkisofs" instead (multi-extent files at level
# 3, Joliet names shortened past 64 characters, stricter ECMA-119 directory names).
set -u
# (With the xorriso backend, which writes no UDF, the usage line does not name --udf.)
udf_usage=" [--udf 1.02]"
[ "${STANDIN_BACKEND:-genisoimage}" = xorriso ] && udf_usage=
usage() { echo "usage: $0 create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] [--no-joliet]$udf_usage PATH..." >&2; exit 2; }
[ "${1-}" = create ] || usage
shift
out= volume=CDROM level=2 joliet=(-J -joliet-long) udf=()
while [ $# -gt 0 ]; do
    case $1 in
        -o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
        --volume) [ $# -ge 2 ] || usage; volume=$2; shift 2 ;;
        --iso-level) [ $# -ge 2 ] || usage; level=$2; shift 2
            case $level in 1|2|3) ;; *) usage ;; esac ;;
        --no-joliet) joliet=(); shift ;;
        --udf) [ $# -ge 2 ] || usage
            [ "$2" = 1.02 ] || { echo "$0: genisoimage writes UDF 1.02 only, not $2" >&2; exit 2; }
            udf=(-udf); shift 2 ;;
        --no-iso) echo "$0: genisoimage cannot leave out ISO 9660 (--no-iso)" >&2; exit 2 ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ -n "$out" ] && [ $# -gt 0 ] || usage
for p in "$@"; do
    [ -e "$p" ] || { echo "$0: $p: no such file or directory" >&2; exit 1; }
done
# The tool refuses two names equal ignoring case in one directory; so does the stand-in.
for p in "$@"; do
    if [ -d "$p" ]; then
        dup=$(find "$p" -mindepth 1 -printf '%h/%f\n' | awk '{ k = tolower($0); if (k in s) print; s[k] = 1 }' | head -n1)
        [ -z "$dup" ] || { echo "$0: $dup: another name in its directory differs only in case" >&2; exit 1; }
    fi
done
export TZ=UTC
# -D: no deep-directory relocation (the tool writes deep trees as they are).
case ${STANDIN_BACKEND:-genisoimage} in
    genisoimage)
        genisoimage -quiet "${joliet[@]}" "${udf[@]}" -D -iso-level "$level" -V "$volume" -o "$out" "$@" || exit 1 ;;
    xorriso)
        [ ${#udf[@]} -eq 0 ] || { echo "$0: xorriso writes no UDF" >&2; exit 2; }
        # No Rock Ridge (readers would prefer it to Joliet). Joliet names without ";1", as
        # libisofs writes them by default (shortened past 64 characters, though libisofs keeps
        # 65), directory identifiers without "." (ECMA-119; mkisofs emulation relaxes it).
        [ ${#joliet[@]} -gt 0 ] && joliet=(-J)
        xorriso -as mkisofs -quiet "${joliet[@]}" -D -iso-level "$level" -V "$volume" -o "$out" "$@" \
            -- -rockridge off -compliance allow_dir_id_ext_off 2>"$out.log" \
            || { cat "$out.log" >&2; rm -f "$out.log"; exit 1; }
        rm -f "$out.log" ;;
    *) echo "$0: unknown STANDIN_BACKEND" >&2; exit 2 ;;
esac
