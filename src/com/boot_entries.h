/*
 * The boot images of BootImageOptions / BootImageOptionsArray as the engine's El Torito entries
 * (include/openfsi/image.h struct fsi_boot_entry). Each IBootOptions's stream becomes a callback
 * source (stream_source.h); the engine's image takes its own hold of it, so the set is discarded
 * right after fsi_image_create. It is not the El Torito writer (src/core/eltorito.c).
 */
#ifndef OPENFSI_COM_BOOT_ENTRIES_H
#define OPENFSI_COM_BOOT_ENTRIES_H

#include "module.h"
#include "openfsi/image.h"

struct boot_entries {
    struct fsi_boot_entry entries[FSI_BOOT_ENTRY_MAX];
    char manufacturers[FSI_BOOT_ENTRY_MAX][FSI_BOOT_MANUFACTURER_MAX + 1];
    size_t count;
};

/*
 * Fills `set` from `array` when it is not NULL (BootImageOptionsArray: IBootOptions as
 * VT_DISPATCH/VT_UNKNOWN elements or in VARIANTs; empty: no boot image), else from `single`
 * (BootImageOptions) when that is not NULL.
 * On failure returns Microsoft's HRESULT with a message and leaves `set` empty.
 */
HRESULT boot_entries_collect(IBootOptions *single, SAFEARRAY *array, REFIID iid,
                             struct boot_entries *set);

/* Lets go of the sources the set holds. */
void boot_entries_discard(struct boot_entries *set);

#endif
