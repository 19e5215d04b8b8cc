#!/usr/bin/env bash
# Makes a new Wine prefix for this test run and installs our DLLs in it as Windows does on a
# 64-bit system: the x86_64 DLL in system32, registered by the 64-bit regsvr32 into the 64-bit
# registry view, and (given, and with Debian's wine32 installed) the i686 DLL in syswow64,
# registered by the 32-bit regsvr32 into the 32-bit view. One WoW64 prefix serves both sides.
# Usage: setup-prefix.sh PREFIX DLL64 [DLL32]
set -eu
here=$(dirname "$0")
. "$here/wine-env.sh" "$1"
dll64=$2 dll32=${3-}

for dll in "$dll64" $dll32; do
    [ -f "$dll" ] || { echo "no DLL at $dll: build first" >&2; exit 1; }
done
wineserver -k 2>/dev/null || true
rm -rf "$WINEPREFIX"
"$WINE64" wineboot --init >/dev/null 2>&1
wineserver -w

# install SIDE DLL FOLDER: copies DLL into the side's system folder and registers it there with
# that side's own regsvr32.
install_dll() {
    local loader=$1 dll=$2 folder=$3
    [ -d "$WINEPREFIX/drive_c/windows/$folder" ] ||
        { echo "the prefix has no $folder folder" >&2; exit 1; }
    cp "$dll" "$WINEPREFIX/drive_c/windows/$folder/imapi2fs.dll"
    "$loader" "C:\\windows\\$folder\\regsvr32.exe" /s "C:\\windows\\$folder\\imapi2fs.dll"
    echo "registered C:\\windows\\$folder\\imapi2fs.dll ($dll) in $WINEPREFIX"
}
install_dll "$WINE64" "$dll64" system32
if [ -n "$dll32" ]; then
    if [ -n "$WINE32" ]; then
        install_dll "$WINE32" "$dll32" syswow64
    else
        echo "NOTE: no 32-bit Wine (wine32:i386), so $dll32 is not installed: the 32-bit tests fail"
    fi
fi
