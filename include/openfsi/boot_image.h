/*
 * Rules for an El Torito boot image as IBootOptions describes it: which emulation a boot image of
 * a given size implies, and whether an emulation fits a size. Writing the boot catalog belongs to
 * the El Torito writer, not here.
 */
#ifndef OPENFSI_BOOT_IMAGE_H
#define OPENFSI_BOOT_IMAGE_H

#include <stdint.h>

/* Values of Microsoft's EmulationType, which are El Torito's boot media types (2.1, 2.2). */
enum fsi_boot_emulation {
    FSI_BOOT_EMULATION_NONE = 0,
    FSI_BOOT_EMULATION_FLOPPY_1_2M = 1,
    FSI_BOOT_EMULATION_FLOPPY_1_44M = 2,
    FSI_BOOT_EMULATION_FLOPPY_2_88M = 3,
    FSI_BOOT_EMULATION_HARD_DISK = 4
};

/* Values of Microsoft's PlatformId, which are El Torito's platform ids (2.1). */
enum fsi_boot_platform {
    FSI_BOOT_PLATFORM_X86 = 0,
    FSI_BOOT_PLATFORM_POWERPC = 1,
    FSI_BOOT_PLATFORM_MAC = 2,
    FSI_BOOT_PLATFORM_EFI = 0xEF
};

/* The longest manufacturer id: the ID string of the El Torito validation entry (2.1). */
#define FSI_BOOT_MANUFACTURER_MAX 24

int fsi_boot_emulation_is_known(int emulation);
int fsi_boot_platform_is_known(int platform);

/*
 * The emulation a newly assigned image of `size` bytes implies: the floppy type whose size it has
 * exactly, or `current` for any other size.
 */
enum fsi_boot_emulation fsi_boot_emulation_for_size(uint64_t size,
                                                    enum fsi_boot_emulation current);

/* Whether an image of `size` bytes can be booted with `emulation` (floppies need their size). */
int fsi_boot_emulation_fits(enum fsi_boot_emulation emulation, uint64_t size);

#endif
