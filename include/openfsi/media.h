/*
 * What an image should be like for a kind of disc (IFileSystemImage::ChooseImageDefaults,
 * ChooseImageDefaultsForMediaType, SetMaxMediaBlocksFromDevice): which file systems, which UDF
 * revision, and how many 2048-byte sectors the blank disc holds. Media kinds are Microsoft's
 * IMAPI_MEDIA_PHYSICAL_TYPE values and drive profiles MMC's (IMAPI_PROFILE_TYPE), as numbers, so
 * the engine needs no Windows header.
 */
#ifndef OPENFSI_MEDIA_H
#define OPENFSI_MEDIA_H

#include <stdint.h>

/* The file system bits, as Microsoft's FsiFileSystems. */
#define FSI_FILE_SYSTEM_ISO9660 1u
#define FSI_FILE_SYSTEM_JOLIET 2u
#define FSI_FILE_SYSTEM_UDF 4u

struct fsi_media_defaults {
    uint32_t file_systems;      /* FSI_FILE_SYSTEM_* bits */
    uint32_t udf_revision;      /* e.g. 0x102 */
    uint32_t sectors;           /* capacity of a blank disc of this kind; 0: unknown */
};

/* Defaults for media kind `media_type`; 0 when it is not a kind we know (or an unknown disc). */
int fsi_media_defaults(int media_type, struct fsi_media_defaults *defaults);

/* The media kind a drive profile means; 0 (IMAPI_MEDIA_TYPE_UNKNOWN) for other profiles. */
int fsi_media_type_for_profile(int profile);

#endif
