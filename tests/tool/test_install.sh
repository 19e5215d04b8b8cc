#!/usr/bin/env bash
# `cmake --install` into a scratch prefix puts every file in place: the tool, the engine library
# and its public headers, the pkg-config file and (with OPENFSI_WINDOWS) both DLLs where Wine
# keeps PE builds. A small program (install_consumer.c) is then built with nothing but
# `pkg-config --cflags --libs openfsi` and run, once in place and once after the prefix has been
# moved (the .pc file finds its prefix from where it lies). The prefix is removed at the end.
# Usage: test_install.sh CMAKE BUILD_DIR SOURCE_DIR C_COMPILER WINDOWS(ON|OFF)
set -u
cmake=$1 build=$2 source=$3 cc=$4 windows=$5
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
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

# The PE machine of a DLL: the 2 bytes after "PE\0\0", at the offset stored at 0x3C.
pe_machine() {
    local offset
    offset=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
    [ "$(od -An -c -j"$offset" -N2 "$1" | tr -d ' ')" = PE ] || { echo none; return; }
    od -An -tx2 -j$((offset + 4)) -N2 "$1" | tr -d ' '
}

consumer() {   # consumer PREFIX: builds and runs install_consumer.c against PREFIX
    local flags
    flags=$(PKG_CONFIG_PATH="$1/lib/pkgconfig" pkg-config --cflags --libs openfsi) || return 1
    echo "  pkg-config: $flags"
    case " $flags " in *" -I$1/"*) ;; *) echo "  -I does not point into $1"; return 1 ;; esac
    # shellcheck disable=SC2086
    "$cc" -std=c99 -Wall -Wextra -Werror -o "$work/consumer" "$here/install_consumer.c" $flags \
        && "$work/consumer"
}

check "cmake --install into an empty prefix succeeds" \
    bash -c "'$cmake' --install '$build' --prefix '$prefix' >'$work/install.log' 2>&1 || { cat '$work/install.log'; false; }"

check "bin/openfsi is an executable" test -x "$prefix/bin/openfsi"
check "lib/libopenfsi.a is there" test -s "$prefix/lib/libopenfsi.a"
check "lib/libopenfsi.a holds the engine" bash -c "nm '$prefix/lib/libopenfsi.a' | grep -q ' T fsi_image_create$'"
check "lib/pkgconfig/openfsi.pc is there" test -s "$prefix/lib/pkgconfig/openfsi.pc"
for header in "$source"/include/openfsi/*.h; do
    check "include/openfsi/$(basename "$header") is the source's" cmp -s "$header" "$prefix/include/openfsi/$(basename "$header")"
done
check "no other headers are installed" \
    test "$(ls "$prefix/include/openfsi" | wc -l)" -eq "$(ls "$source"/include/openfsi/*.h | wc -l)"
if [ "$windows" = ON ]; then
    check "lib/openfsi/x86_64-windows/imapi2fs.dll is a 64-bit PE (machine 8664)" \
        test "$(pe_machine "$prefix/lib/openfsi/x86_64-windows/imapi2fs.dll")" = 8664
    check "lib/openfsi/i386-windows/imapi2fs.dll is a 32-bit PE (machine 014c)" \
        test "$(pe_machine "$prefix/lib/openfsi/i386-windows/imapi2fs.dll")" = 014c
    check "the 64-bit DLL is the one built" cmp -s "$build/windows-x86_64/src/com/imapi2fs.dll" "$prefix/lib/openfsi/x86_64-windows/imapi2fs.dll"
    check "the 32-bit DLL is the one built" cmp -s "$build/windows-i686/src/com/imapi2fs.dll" "$prefix/lib/openfsi/i386-windows/imapi2fs.dll"
else
    check "no DLL without OPENFSI_WINDOWS" test ! -e "$prefix/lib/openfsi"
fi

mkdir -p "$work/tree" && echo hello >"$work/tree/hello.txt"
check "the installed tool makes an image" \
    bash -c "'$prefix/bin/openfsi' create -o '$work/t.iso' '$work/tree' && test -s '$work/t.iso'"
check "a program built with pkg-config against the installed engine runs" consumer "$prefix"
mv "$prefix" "$work/moved"
check "... and still after the prefix has moved" consumer "$work/moved"

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
