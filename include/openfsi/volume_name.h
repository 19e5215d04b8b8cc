/*
 * The volume label a caller may give an image (IFileSystemImage::VolumeName).
 *
 * Only the acceptance rule lives here; how each file system records the label (ISO 9660 d-chars,
 * Joliet UCS-2, UDF dstrings) belongs to its writer.
 */
#ifndef OPENFSI_VOLUME_NAME_H
#define OPENFSI_VOLUME_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/status.h"

/*
 * Longest label accepted, in UTF-16 code units: the width of the ISO 9660 volume identifier
 * (ECMA-119 8.4.6). Microsoft documents 15 characters but scripts in the wild set longer labels
 * and Windows takes them, so we accept what the widest on-disc field can hold.
 */
#define FSI_VOLUME_NAME_MAX 32

/*
 * Checks a label of `length` UTF-16 code units. An empty label is valid (a default is made when
 * the image is created). Control characters and unpaired surrogates are refused.
 */
enum fsi_status fsi_volume_name_check(const uint16_t *name, size_t length);

enum fsi_volume_label_system {
    FSI_VOLUME_LABEL_ISO9660,   /* up to 32 d-characters: uppercased, anything else '_' */
    FSI_VOLUME_LABEL_JOLIET,    /* the first 16 UCS-2 characters */
    FSI_VOLUME_LABEL_UDF        /* the label whole (a UDF volume identifier holds 63) */
};

/*
 * The label as `system` records it (IFileSystemImage::VolumeNameISO9660 and the others, and
 * what the writers put in the volume descriptors). Writes at most FSI_VOLUME_NAME_MAX units to
 * `out` and returns how many.
 */
size_t fsi_volume_label(const uint16_t *name, size_t length, enum fsi_volume_label_system system,
                        uint16_t out[FSI_VOLUME_NAME_MAX]);

#endif
