/* El Torito boot image rules (include/openfsi/boot_image.h). */
#include "openfsi/boot_image.h"

/* Floppy images must have exactly these sizes (El Torito 2.2: 1.2, 1.44 and 2.88 MB diskettes). */
static const uint64_t floppy_bytes[] = {
    [FSI_BOOT_EMULATION_FLOPPY_1_2M] = 1228800,
    [FSI_BOOT_EMULATION_FLOPPY_1_44M] = 1474560,
    [FSI_BOOT_EMULATION_FLOPPY_2_88M] = 2949120,
};

static int is_floppy(enum fsi_boot_emulation emulation)
{
    return emulation >= FSI_BOOT_EMULATION_FLOPPY_1_2M &&
           emulation <= FSI_BOOT_EMULATION_FLOPPY_2_88M;
}

int fsi_boot_emulation_is_known(int emulation)
{
    return emulation >= FSI_BOOT_EMULATION_NONE && emulation <= FSI_BOOT_EMULATION_HARD_DISK;
}

int fsi_boot_platform_is_known(int platform)
{
    return platform == FSI_BOOT_PLATFORM_X86 || platform == FSI_BOOT_PLATFORM_POWERPC ||
           platform == FSI_BOOT_PLATFORM_MAC || platform == FSI_BOOT_PLATFORM_EFI;
}

enum fsi_boot_emulation fsi_boot_emulation_for_size(uint64_t size,
                                                    enum fsi_boot_emulation current)
{
    int e;
    for (e = FSI_BOOT_EMULATION_FLOPPY_1_2M; e <= FSI_BOOT_EMULATION_FLOPPY_2_88M; e++)
        if (size == floppy_bytes[e])
            return (enum fsi_boot_emulation)e;
    return current;
}

int fsi_boot_emulation_fits(enum fsi_boot_emulation emulation, uint64_t size)
{
    if (!fsi_boot_emulation_is_known(emulation))
        return 0;
    if (is_floppy(emulation))
        return size == floppy_bytes[emulation];
    return 1;
}
