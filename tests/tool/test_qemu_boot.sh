#!/usr/bin/env bash
# A boot image made by the writer really boots: a 512-byte BIOS loader, assembled here with GNU
# as/ld, that writes OPENFSI-BOOT-OK to COM1 and halts, is put in an image as an El Torito entry
# without emulation (`create --boot`); qemu-system-x86_64 (SeaBIOS, TCG) boots the image from its
# CD drive, and the marker must come out of the emulated serial port. The negative control is an
# image of the same tree (the loader is also a plain file there) without --boot: SeaBIOS must
# reach the CD and refuse it, and the marker must not appear. It does not judge the catalog's
# fields (test_boot.sh does that with xorriso, isoinfo and pycdlib) nor UEFI booting. The native
# tool's image is also appended to in place and booted again.
# Usage: test_qemu_boot.sh OPENFSI   (OPENFSI may be tests/conformance/standin/com.sh, with its
# environment, to boot an image made through COM under Wine)
# Environment: QEMU_BOOT_TIMEOUT (seconds to wait for the marker, 60), QEMU_NOBOOT_TIMEOUT (for
# the negative control, 10).
set -u
tool=$1
boot_timeout=${QEMU_BOOT_TIMEOUT:-60}
noboot_timeout=${QEMU_NOBOOT_TIMEOUT:-10}
marker=OPENFSI-BOOT-OK
work=$(mktemp -d)
qemu_pid=
cleanup() {
    [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
for t in as ld qemu-system-x86_64 timeout; do
    command -v "$t" >/dev/null || { echo "FAILED: $t is not installed (scripts/install-deps)"; exit 1; }
done

# The loader. The BIOS loads it at 0000:7C00 (El Torito's default load segment 0 means 07C0, and
# some BIOSes enter at 07C0:0000, so the far jump makes CS 0 before anything uses an address).
cat >"$work/loader.S" <<EOF
    .code16
    .text
    .globl _start
_start:
    cli
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw \$0x7c00, %sp
    ljmp \$0, \$main
main:
    cld
    movw \$message, %si
next_byte:
    lodsb
    testb %al, %al
    jz halt
    movb %al, %bl
    movw \$0x3fd, %dx           # COM1's line status register
wait_empty:
    inb %dx, %al
    testb \$0x20, %al           # bit 5: the transmit holding register is empty
    jz wait_empty
    movw \$0x3f8, %dx           # COM1's data register
    movb %bl, %al
    outb %al, %dx
    jmp next_byte
halt:
    cli
    hlt
    jmp halt
message:
    .asciz "$marker\r\n"
    .org 510
    .byte 0x55, 0xaa
EOF
if ! as --32 -o "$work/loader.o" "$work/loader.S" >"$work/as.out" 2>&1 ||
        ! ld -m elf_i386 -Ttext 0x7c00 --oformat binary -o "$work/loader.bin" "$work/loader.o" \
            >"$work/ld.out" 2>&1; then
    echo "FAILED: the loader does not assemble: $(cat "$work/as.out" "$work/ld.out")"
    exit 1
fi
size=$(stat -c %s "$work/loader.bin")
[ "$size" -eq 512 ] || { echo "FAILED: the loader is $size bytes, not 512"; exit 1; }
mkdir -p "$work/tree"
echo "hello" >"$work/tree/readme.txt"
cp "$work/loader.bin" "$work/tree/loader.bin"   # on both discs: the marker's bytes alone print nothing

make_image() {  # make_image NAME ARGS...
    local name=$1
    shift
    if ! "$tool" create -o "$work/$name.iso" "$@" "$work/tree" >"$work/$name.out" 2>&1; then
        fail "$name: create failed: $(cat "$work/$name.out")"
        return 1
    fi
}

# boot NAME SECONDS: qemu boots NAME.iso from its CD drive until the marker is on the serial port,
# SeaBIOS says no device boots, qemu ends, or SECONDS pass. SeaBIOS's own log (port 0x402) goes
# to NAME.bios, the serial port to NAME.serial.
boot() {
    local name=$1 seconds=$2 start=$SECONDS
    : >"$work/$name.serial"
    : >"$work/$name.bios"
    timeout "$((seconds + 5))" qemu-system-x86_64 -accel tcg -m 64 -no-reboot -display none \
        -nic none -cdrom "$work/$name.iso" -boot d \
        -serial "file:$work/$name.serial" \
        -debugcon "file:$work/$name.bios" -global isa-debugcon.iobase=0x402 \
        >"$work/$name.qemu" 2>&1 &
    qemu_pid=$!
    while [ $((SECONDS - start)) -lt "$seconds" ] && kill -0 "$qemu_pid" 2>/dev/null; do
        grep -qa "$marker" "$work/$name.serial" && break
        grep -qa "No bootable device" "$work/$name.bios" && break
        sleep 0.2
    done
    kill "$qemu_pid" 2>/dev/null
    wait "$qemu_pid" 2>/dev/null
    qemu_pid=
    echo "$name: qemu ran $((SECONDS - start)) s"
}

# What a failure shows: the serial port, the end of SeaBIOS's log, qemu's messages.
show() {
    echo "  serial port: '$(tr -d '\r' <"$work/$1.serial")'"
    echo "  SeaBIOS (last lines):"
    tail -n 8 "$work/$1.bios" | sed 's/^/    /'
    grep -v 'terminating on signal' "$work/$1.qemu" | sed 's/^/  qemu: /'   # not our own kill
    return 0
}

if make_image boot --boot "$work/loader.bin"; then
    boot boot "$boot_timeout"
    if ! tr -d '\r' <"$work/boot.serial" | grep -qx "$marker"; then
        fail "the bootable image did not print $marker within $boot_timeout s"
        show boot
        command -v xorriso >/dev/null &&
            xorriso -indev "$work/boot.iso" -report_el_torito plain 2>&1 | grep 'El Torito' | sed 's/^/  /'
    elif ! grep -qa "Booting from DVD/CD" "$work/boot.bios" ||
            ! grep -qa "Booting from 0000:7c00" "$work/boot.bios"; then
        fail "the marker came, but SeaBIOS did not say it started the CD's image at 0000:7c00"
        show boot
    else
        echo "boot: the serial port says $marker"
        command -v xorriso >/dev/null &&
            xorriso -indev "$work/boot.iso" -report_el_torito plain 2>&1 | grep 'boot img' | sed 's/^/  /'
    fi
fi

# Appended to in place (openfsi append, the native tool only), the disc keeps its boot record,
# catalog and boot image where they are, so it boots as before.
if [ "$(basename "$tool")" = openfsi ] && [ -s "$work/boot.iso" ]; then
    cp "$work/boot.iso" "$work/grown.iso"
    mkdir -p "$work/more"
    echo "added later" >"$work/more/added.txt"
    if ! "$tool" append "$work/grown.iso" "$work/more" >"$work/grown.out" 2>&1; then
        fail "grown: append failed: $(cat "$work/grown.out")"
    elif ! grep -q "updated in place" "$work/grown.out"; then
        fail "grown: the append was not made in place: $(tail -1 "$work/grown.out")"
    elif ! isoinfo -J -f -i "$work/grown.iso" | grep -qx /added.txt; then
        fail "grown: isoinfo does not list /added.txt"
    else
        boot grown "$boot_timeout"
        if ! tr -d '\r' <"$work/grown.serial" | grep -qx "$marker"; then
            fail "the image appended to in place did not print $marker within $boot_timeout s"
            show grown
        else
            echo "grown: appended in place ($(grep -o 'wrote [0-9]* sectors' "$work/grown.out")), the serial port says $marker"
        fi
    fi
fi

if make_image plain; then
    boot plain "$noboot_timeout"
    if grep -qa "$marker" "$work/plain.serial"; then
        fail "an image without --boot printed $marker"
        show plain
    elif ! grep -qa "Booting from DVD/CD" "$work/plain.bios" ||
            ! grep -qa "Boot failed: Could not read from CDROM" "$work/plain.bios"; then
        fail "the negative control did not get as far as SeaBIOS refusing the CD"
        show plain
    else
        echo "plain: no marker; SeaBIOS refused the CD"
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "qemu boot: all checks passed"
