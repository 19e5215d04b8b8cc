# Sourced by the Wine test scripts: a private 64-bit (WoW64) prefix, no debug output, no offer to
# install Mono or Gecko (they are never needed and would block a headless run), and the loader
# for the side of the prefix a test runs on.
# Usage: . wine-env.sh PREFIX
#
# Debian's /usr/bin/wine starts the 32-bit loader whenever wine32 is installed, so plain
# `wine cscript` is then the 32-bit script host. Nothing here relies on that: every command names
# its loader and its program's folder.
#   WINE64, WINE32   the 64-bit and 32-bit loaders (WINE32 is empty without wine32)
#   OPENFSI_WINE_ARCH   64 (the default) or 32: the side this test runs on; it sets
#   WINE             that side's loader, and
#   WINE_SYSTEM      that side's system folder as its programs see it: C:\windows\system32 for
#                    64-bit programs, C:\windows\syswow64 for 32-bit ones (cscript.exe,
#                    regsvr32.exe and our imapi2fs.dll are there)
export WINEPREFIX="$1"
export WINEARCH=win64
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
export DISPLAY=
command -v wine >/dev/null || { echo "wine is not installed (run scripts/install-deps)" >&2; exit 2; }

if [ -x /usr/lib/wine/wine64 ]; then
    WINE64=/usr/lib/wine/wine64
elif command -v wine64 >/dev/null; then
    WINE64=$(command -v wine64)
else
    WINE64=wine
fi
WINE32=
[ -x /usr/lib/wine/wine ] && WINE32=/usr/lib/wine/wine

case ${OPENFSI_WINE_ARCH:-64} in
    64)
        WINE=$WINE64
        WINE_SYSTEM='C:\windows\system32' ;;
    32)
        if [ -z "$WINE32" ]; then
            echo "32-bit Wine is not installed (Debian's wine32:i386: run scripts/install-deps)" >&2
            exit 2
        fi
        WINE=$WINE32
        WINE_SYSTEM='C:\windows\syswow64' ;;
    *)
        echo "OPENFSI_WINE_ARCH must be 64 or 32, not '$OPENFSI_WINE_ARCH'" >&2
        exit 2 ;;
esac
export WINE64 WINE32 WINE WINE_SYSTEM
