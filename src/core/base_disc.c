/*
 * base_disc.h: the sectors below a new session on rewritable media. Nothing old is moved or
 * cleared: every sector keeps the disc's content, but for the few where readers look first, which
 * get the new session's head as growing an image file does (xorriso's overwriteable media): its
 * volume descriptors and UDF recognition sequence at 16 on, its anchor at 256, its file set
 * descriptor at block 0 of the partition the new session continues. Each copy goes only over a
 * sector that holds the same kind of structure on the disc, so no old file or directory is hit;
 * the descriptors must fit in the set the disc has.
 */
#include <string.h>

#include "base_disc.h"
#include "ecma119.h"
#include "ecma167.h"
#include "udf_descriptor.h"
#include "openfsi/import.h"

#define HEAD_FIRST 16               /* ECMA-119 6.2.1: the volume descriptors' place */
#define HEAD_MAX 32
#define ANCHOR 256                  /* UDF 2.60 2.2.3: the first anchor */
#define SESSION_FILE_SET 257        /* where a session's file set descriptor lies, from its start */

struct head_copy {
    uint32_t at;                    /* where the copy goes */
    uint32_t from;                  /* the session's sector it copies */
    uint8_t kind;                   /* enum alias_kind */
};

static int read_disc(const struct fsi_disc *disc, uint32_t sector, uint8_t *data)
{
    return sector < disc->sector_count && disc->read(disc->context, sector, 1, data) == FSI_OK;
}

/* A volume structure descriptor (ECMA-119 8.1, ECMA-167 2/9.1). */
static int is_volume_structure(const uint8_t *sector)
{
    static const char *const known[] = { "CD001", "BEA01", "NSR02", "NSR03", "TEA01", "BOOT2",
                                         "CDW02" };
    size_t k;

    for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
        if (!memcmp(sector + 1, known[k], 5))
            return 1;
    return 0;
}

/* The session's volume descriptors and recognition sequence: sectors from S + 16. */
static uint32_t head_descriptor_count(const struct fsi_image *image)
{
    uint32_t count = 0;

    if (image->options.iso9660)
        count += 2 + (image->options.joliet != 0) + (image->eltorito != NULL);
    if (image->options.udf_revision)
        count += 3;
    return count;
}

static enum fsi_status plan(struct fsi_image *image, struct head_copy *copies, size_t *count)
{
    const struct fsi_disc *disc = image->options.base;
    uint32_t session = image->options.session_start, partition = image->options.udf_partition_start;
    uint32_t i, n = head_descriptor_count(image), tag_location;
    uint8_t sector[ECMA119_SECTOR_SIZE];
    uint16_t identifier;

    *count = 0;
    if (session < HEAD_FIRST + n)
        return FSI_E_INCOMPATIBLE_SESSION;
    for (i = 0; i < n; i++) {
        if (!read_disc(disc, HEAD_FIRST + i, sector))
            return FSI_E_DISC_READ;
        if (!is_volume_structure(sector))
            return FSI_E_INCOMPATIBLE_SESSION;  /* the new set is longer than the disc's */
        copies[(*count)++] = (struct head_copy){ HEAD_FIRST + i, session + HEAD_FIRST + i,
                                                 ALIAS_AS_IS };
    }
    if (!image->options.udf_revision)
        return FSI_OK;
    if (session <= SESSION_FILE_SET)
        return FSI_E_INCOMPATIBLE_SESSION;
    if (!read_disc(disc, ANCHOR, sector))
        return FSI_E_DISC_READ;
    if (!udf_tag_check(sector, sizeof(sector), ANCHOR, &identifier) ||
        identifier != UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER)
        return FSI_E_INCOMPATIBLE_SESSION;
    copies[(*count)++] = (struct head_copy){ ANCHOR, session + ANCHOR, ALIAS_ANCHOR };
    /* Readers that take the file set at block 0 whatever the logical volume says (pycdlib). */
    tag_location = 0;
    if (partition && partition < session && partition != ANCHOR && read_disc(disc, partition, sector) &&
        udf_tag_check(sector, sizeof(sector), tag_location, &identifier) &&
        identifier == UDF_TAG_FILE_SET_DESCRIPTOR)
        copies[(*count)++] = (struct head_copy){ partition, session + SESSION_FILE_SET,
                                                 ALIAS_FILE_SET };
    return FSI_OK;
}

static enum fsi_status reserve_run(struct fsi_image *image, uint32_t first, uint32_t count,
                                   uint8_t content, uint8_t kind, uint32_t index)
{
    struct extent extent = { first, count, content, kind, index, NULL };
    return count ? volume_map_reserve(&image->map, &extent) : FSI_OK;
}

enum fsi_status base_disc_reserve(struct fsi_image *image)
{
    struct head_copy copies[HEAD_MAX + 2];
    uint32_t at = 0, end = image->options.base->sector_count < image->options.session_start
                               ? image->options.base->sector_count
                               : image->options.session_start;
    size_t count, i;
    enum fsi_status status = plan(image, copies, &count);

    /* The copies are in sector order: the descriptors, the anchor, then the partition's start. */
    for (i = 0; i < count && status == FSI_OK; i++) {
        status = reserve_run(image, at, copies[i].at - at, CONTENT_DISC, 0, 0);
        if (status == FSI_OK)
            status = reserve_run(image, copies[i].at, 1, CONTENT_ALIAS, copies[i].kind,
                                 copies[i].from);
        at = copies[i].at + 1;
    }
    /* Up to the session, but for what lies past the disc's end (a session rounded up to a
       write unit): that is new, and zero. */
    if (status == FSI_OK && at < end)
        status = reserve_run(image, at, end - at, CONTENT_DISC, 0, 0);
    if (status == FSI_OK && end < image->options.session_start)
        status = reserve_run(image, end < at ? at : end,
                             image->options.session_start - (end < at ? at : end), CONTENT_ZERO,
                             0, 0);
    return status;
}

void base_disc_adjust_alias(const struct fsi_image *image, const struct extent *extent,
                            uint32_t sector, uint8_t *data)
{
    uint32_t location;

    if (extent->fs == ALIAS_AS_IS)
        return;
    location = extent->fs == ALIAS_ANCHOR ? sector
                                          : sector - image->options.udf_partition_start;
    /* The CRC covers what follows the tag; only the location and the checksum change. */
    data[12] = (uint8_t)location;
    data[13] = (uint8_t)(location >> 8);
    data[14] = (uint8_t)(location >> 16);
    data[15] = (uint8_t)(location >> 24);
    data[4] = udf_tag_checksum(data);
}
