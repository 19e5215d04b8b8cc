#!/bin/bash
# The COM path as a conformance writer:
#   com.sh create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] [--no-joliet]
#                 [--udf REV [--no-iso] [--no-udf-mirror]] [--stream-test]
#                 [--boot FILE [--boot-emulation none|floppy|hd] [--efi FILE]] PATH...
# runs com_create.exe (tests/com/com_create.c: MsftFileSystemImage, AddTree/AddFile,
# CreateResultImage, ImageStream to a file) under Wine, in the test run's prefix where the DLL
# is registered. Paths are given to Windows as Wine sees them (Z:\...).
# Environment: OPENFSI_WINE_PREFIX (the prefix), OPENFSI_COM_CREATE (com_create.exe).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${OPENFSI_WINE_PREFIX:?set OPENFSI_WINE_PREFIX}" "${OPENFSI_COM_CREATE:?set OPENFSI_COM_CREATE}"
. "$here/../../wine/wine-env.sh" "$OPENFSI_WINE_PREFIX"
[ "${1-}" = create ] || { echo "usage: $0 create -o OUT.iso [options] PATH..." >&2; exit 2; }
shift
args=(create)
while [ $# -gt 0 ]; do
    case $1 in
        -o) args+=(-o "$(winepath -w "$2")"); shift 2 ;;
        --volume|--iso-level|--udf|--boot-emulation) args+=("$1" "$2"); shift 2 ;;
        --boot|--efi) args+=("$1" "$(winepath -w "$2")"); shift 2 ;;
        --no-joliet|--no-iso|--no-udf-mirror|--stream-test) args+=("$1"); shift ;;
        --) shift; break ;;
        --help) sed -n '3,5s/^# *//p' "$0" >&2; exit 2 ;;   # the usage above, --udf included
        -*) echo "$0: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
args+=(--)
for p in "$@"; do
    args+=("$(winepath -w "$p")")
done
exec "$WINE" "$OPENFSI_COM_CREATE" "${args[@]}"
