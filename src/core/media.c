/*
 * Per-media defaults (include/openfsi/media.h). Microsoft documents that these calls set "the
 * default file system types and the image size" but not the values, so the table is our
 * choice (README says so): CDs get ISO 9660 + Joliet at Microsoft's documented default size of
 * 332,800 sectors (a 74-minute, 650 MB disc); DVDs the ISO 9660/Joliet/UDF 1.02 bridge, as
 * Windows writes data DVDs; Blu-ray and HD DVD UDF 2.50 alone; random-access disks UDF 2.01.
 * Capacities are those of a blank single-sided disc of each kind.
 */
#include <stddef.h>

#include "openfsi/media.h"

#define ISO_JOLIET (FSI_FILE_SYSTEM_ISO9660 | FSI_FILE_SYSTEM_JOLIET)
#define BRIDGE (ISO_JOLIET | FSI_FILE_SYSTEM_UDF)

struct media_row {
    int media_type;                 /* IMAPI_MEDIA_PHYSICAL_TYPE */
    struct fsi_media_defaults defaults;
};

static const struct media_row media_rows[] = {
    { 1, { ISO_JOLIET, 0x102, 332800 } },             /* CDROM */
    { 2, { ISO_JOLIET, 0x102, 332800 } },             /* CDR */
    { 3, { ISO_JOLIET, 0x102, 332800 } },             /* CDRW */
    { 4, { BRIDGE, 0x102, 2295104 } },                /* DVDROM */
    { 5, { BRIDGE, 0x102, 2236704 } },                /* DVDRAM */
    { 6, { BRIDGE, 0x102, 2295104 } },                /* DVDPLUSR */
    { 7, { BRIDGE, 0x102, 2295104 } },                /* DVDPLUSRW */
    { 8, { BRIDGE, 0x102, 4173824 } },                /* DVDPLUSR_DUALLAYER */
    { 9, { BRIDGE, 0x102, 2298496 } },                /* DVDDASHR */
    { 10, { BRIDGE, 0x102, 2298496 } },               /* DVDDASHRW */
    { 11, { BRIDGE, 0x102, 4171712 } },               /* DVDDASHR_DUALLAYER */
    { 12, { FSI_FILE_SYSTEM_UDF, 0x201, 0 } },        /* DISK: the size is the disk's own */
    { 13, { BRIDGE, 0x102, 4173824 } },               /* DVDPLUSRW_DUALLAYER */
    { 14, { FSI_FILE_SYSTEM_UDF, 0x250, 7341056 } },  /* HDDVDROM */
    { 15, { FSI_FILE_SYSTEM_UDF, 0x250, 7341056 } },  /* HDDVDR */
    { 16, { FSI_FILE_SYSTEM_UDF, 0x250, 7341056 } },  /* HDDVDRAM */
    { 17, { FSI_FILE_SYSTEM_UDF, 0x250, 12219392 } }, /* BDROM */
    { 18, { FSI_FILE_SYSTEM_UDF, 0x250, 12219392 } }, /* BDR */
    { 19, { FSI_FILE_SYSTEM_UDF, 0x250, 12219392 } }, /* BDRE */
};

int fsi_media_defaults(int media_type, struct fsi_media_defaults *defaults)
{
    size_t i;

    for (i = 0; i < sizeof media_rows / sizeof media_rows[0]; i++)
        if (media_rows[i].media_type == media_type) {
            *defaults = media_rows[i].defaults;
            return 1;
        }
    return 0;
}

/* MMC-6 feature 0000h profile numbers (IMAPI_PROFILE_TYPE) and the media they mean. */
int fsi_media_type_for_profile(int profile)
{
    switch (profile) {
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: return 12;  /* disks, MO */
    case 0x08: return 1;
    case 0x09: return 2;
    case 0x0A: return 3;
    case 0x10: return 4;
    case 0x11: return 9;
    case 0x12: return 5;
    case 0x13: case 0x14: return 10;
    case 0x15: case 0x16: return 11;
    case 0x1A: return 7;
    case 0x1B: return 6;
    case 0x2A: return 13;
    case 0x2B: return 8;
    case 0x40: return 17;
    case 0x41: case 0x42: return 18;
    case 0x43: return 19;
    case 0x50: return 14;
    case 0x51: return 15;
    case 0x52: return 16;
    }
    return 0;
}
