/*
 * session_head.h: the sectors a grown disc or image file gets at its start after a session is
 * added, found by reading the session's volume descriptors and recognition sequence. Every sector
 * read is checked before it is trusted (identifiers, the anchor's tag and CRC), scans are bounded,
 * and nothing is written here: the caller writes what fsi_session_head_render gives.
 */
#include <string.h>

#include "openfsi/session_head.h"
#include "byte_order.h"
#include "ecma119.h"
#include "ecma167.h"
#include "udf_descriptor.h"

#define SECTOR 2048
#define VSD_ID_SIZE 5

static enum fsi_status read_sector(const struct fsi_disc *disc, uint32_t at, uint8_t *sector)
{
    if (at >= disc->sector_count)
        return FSI_E_NOT_FOUND;
    return disc->read(disc->context, at, 1, sector) == FSI_OK ? FSI_OK : FSI_E_DISC_READ;
}

static int has_id(const uint8_t *sector, const char *id)
{
    return !memcmp(sector + 1, id, VSD_ID_SIZE);
}

/* A volume structure descriptor of the UDF recognition sequence (ECMA-167 2/9) other than
   TEA01, which ends it. */
static int recognition_descriptor(const uint8_t *sector)
{
    return has_id(sector, "BEA01") || has_id(sector, "NSR02") || has_id(sector, "NSR03") ||
           has_id(sector, "BOOT2") || has_id(sector, "CDW02");
}

/*
 * The descriptors from `first` on: the ISO 9660 set through its terminator (ECMA-119 6.7.1),
 * then BEA01 ... TEA01 if the next sector is BEA01. *count 0 when `first` holds neither.
 */
static enum fsi_status scan_descriptors(const struct fsi_disc *disc, uint32_t first,
                                        uint32_t *count)
{
    uint8_t sector[SECTOR];
    uint32_t n = 0;
    enum fsi_status status;
    int terminated = 0;

    *count = 0;
    for (; n < FSI_SESSION_HEAD_MAX_DESCRIPTORS; n++) {
        status = read_sector(disc, first + n, sector);
        if (status == FSI_E_NOT_FOUND)
            break;
        if (status != FSI_OK)
            return status;
        if (!has_id(sector, ECMA119_STANDARD_ID))
            break;
        if (sector[0] == ECMA119_VD_SET_TERMINATOR) {
            n++;
            terminated = 1;
            break;
        }
    }
    if (n && !terminated)
        return FSI_E_CORRUPT_FILE_SYSTEM;
    status = read_sector(disc, first + n, sector);
    if (status == FSI_E_DISC_READ)
        return status;
    if (status == FSI_OK && has_id(sector, "BEA01")) {
        int ended = 0;
        for (; n < FSI_SESSION_HEAD_MAX_DESCRIPTORS; n++) {
            status = read_sector(disc, first + n, sector);
            if (status != FSI_OK)
                return status == FSI_E_NOT_FOUND ? FSI_E_CORRUPT_FILE_SYSTEM : status;
            if (has_id(sector, "TEA01")) {
                n++;
                ended = 1;
                break;
            }
            if (!recognition_descriptor(sector))
                return FSI_E_CORRUPT_FILE_SYSTEM;
        }
        if (!ended)
            return FSI_E_CORRUPT_FILE_SYSTEM;
    }
    *count = n;
    return FSI_OK;
}

/* 1 when sector `at` is an anchor volume descriptor pointer (3/10.2) recorded for `at`. */
static int anchor_at(const struct fsi_disc *disc, uint32_t at, enum fsi_status *status)
{
    uint8_t sector[SECTOR];
    uint16_t identifier = 0;

    *status = read_sector(disc, at, sector);
    if (*status == FSI_E_NOT_FOUND) {
        *status = FSI_OK;
        return 0;
    }
    if (*status != FSI_OK)
        return 0;
    return udf_tag_check(sector, SECTOR, at, &identifier) &&
           identifier == UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER;
}

/* The session's partition start and file set descriptor, from its anchor, partition descriptor
   and logical volume descriptor (ECMA-167 3/10.2, 3/10.5, 3/10.6); 0 when they cannot be read. */
static int session_file_set(const struct fsi_disc *disc, uint32_t session_start,
                            uint32_t *partition, uint32_t *file_set)
{
    uint8_t sector[SECTOR];
    uint32_t first, count, i;
    int have_partition = 0, have_file_set = 0;

    if (read_sector(disc, session_start + UDF_ANCHOR_SECTOR, sector) != FSI_OK)
        return 0;
    count = get_le32(sector + 16) / SECTOR;     /* the main sequence's extent */
    first = get_le32(sector + 20);
    if (count > 16)
        count = 16;
    for (i = 0; i < count && !(have_partition && have_file_set); i++) {
        uint16_t identifier = 0;
        if (read_sector(disc, first + i, sector) != FSI_OK ||
            !udf_tag_check(sector, SECTOR, first + i, &identifier))
            break;
        if (identifier == UDF_TAG_PARTITION_DESCRIPTOR) {
            *partition = get_le32(sector + 188);    /* partition starting location */
            have_partition = 1;
        } else if (identifier == UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR) {
            *file_set = get_le32(sector + 252);     /* contents use: the file set's block */
            have_file_set = 1;
        } else if (identifier == UDF_TAG_TERMINATING_DESCRIPTOR)
            break;
    }
    return have_partition && have_file_set;
}

enum fsi_status fsi_session_head_sectors(const struct fsi_disc *disc, uint32_t session_start,
                                         struct fsi_session_head *head)
{
    uint32_t current = 0;
    enum fsi_status status;
    int session_anchor, head_anchor;

    if (!disc || !head)
        return FSI_E_INVALID_ARGUMENT;
    memset(head, 0, sizeof(*head));
    if (!session_start || session_start > UINT32_MAX - UDF_ANCHOR_SECTOR)
        return FSI_E_INVALID_ARGUMENT;
    head->session_start = session_start;
    status = scan_descriptors(disc, session_start + ECMA119_SYSTEM_AREA_SECTORS,
                              &head->descriptors);
    if (status != FSI_OK)
        return status;
    if (!head->descriptors)
        return FSI_E_NOT_FOUND;
    /* What the start holds now; a head that cannot be read as one is simply overwritten. */
    if (scan_descriptors(disc, ECMA119_SYSTEM_AREA_SECTORS, &current) == FSI_E_DISC_READ)
        return FSI_E_DISC_READ;
    if (current > head->descriptors)
        head->stale = current - head->descriptors;
    /* Only over the descriptors the start holds: after them may lie a file's data. */
    if (current < head->descriptors)
        return FSI_E_INCOMPATIBLE_SESSION;
    /* The copies must stay below the session's own descriptors. */
    if (head->descriptors + head->stale > session_start)
        return FSI_E_INVALID_ARGUMENT;

    session_anchor = anchor_at(disc, session_start + UDF_ANCHOR_SECTOR, &status);
    if (status != FSI_OK)
        return status;
    head_anchor = session_start > UDF_ANCHOR_SECTOR && anchor_at(disc, UDF_ANCHOR_SECTOR, &status);
    if (status != FSI_OK)
        return status;
    if (session_anchor && head_anchor)
        head->copy_anchor = 1;
    else if (session_anchor)
        head->anchor_not_copied = 1;
    else if (head_anchor)
        head->clear_anchor = 1;
    if (head->copy_anchor) {
        uint32_t partition = 0, block = 0;
        uint8_t sector[SECTOR];
        uint16_t identifier = 0;
        /* Only over the file set descriptor the partition's first session put at block 0. */
        if (session_file_set(disc, session_start, &partition, &block) && block &&
            partition > UDF_ANCHOR_SECTOR && partition < session_start &&
            (uint64_t)partition + block < disc->sector_count &&
            read_sector(disc, partition, sector) == FSI_OK &&
            udf_tag_check(sector, SECTOR, 0, &identifier) &&
            identifier == UDF_TAG_FILE_SET_DESCRIPTOR) {
            head->copy_file_set = 1;
            head->file_set_from = partition + block;
            head->file_set_to = partition;
        }
    }
    return FSI_OK;
}

uint32_t fsi_session_head_count(const struct fsi_session_head *head)
{
    return head->descriptors + head->stale + (head->copy_anchor || head->clear_anchor) +
           (head->copy_file_set != 0);
}

uint32_t fsi_session_head_target(const struct fsi_session_head *head, uint32_t n)
{
    if (n < head->descriptors + head->stale)
        return ECMA119_SYSTEM_AREA_SECTORS + n;
    if (n > head->descriptors + head->stale && head->copy_file_set)
        return head->file_set_to;
    return UDF_ANCHOR_SECTOR;
}

enum fsi_status fsi_session_head_render(const struct fsi_disc *disc,
                                        const struct fsi_session_head *head, uint32_t target,
                                        uint8_t sector[2048])
{
    uint32_t first = ECMA119_SYSTEM_AREA_SECTORS;
    enum fsi_status status;

    if (!disc || !head || !sector)
        return FSI_E_INVALID_ARGUMENT;
    memset(sector, 0, SECTOR);
    if (target >= first && target < first + head->descriptors)
        return read_sector(disc, head->session_start + target, sector) == FSI_OK
                   ? FSI_OK : FSI_E_DISC_READ;
    if (target >= first + head->descriptors && target < first + head->descriptors + head->stale)
        return FSI_OK;
    if (target == UDF_ANCHOR_SECTOR && head->clear_anchor)
        return FSI_OK;
    if (target == UDF_ANCHOR_SECTOR && head->copy_anchor) {
        struct udf_descriptor_tag *tag = (struct udf_descriptor_tag *)sector;
        status = read_sector(disc, head->session_start + UDF_ANCHOR_SECTOR, sector);
        if (status != FSI_OK)
            return FSI_E_DISC_READ;
        /* The anchor's extents are sector numbers of the whole disc and stay; only the tag says
           where it lies (3/7.2.8), which the checksum covers (3/7.2.3). */
        put_le32(tag->tag_location, UDF_ANCHOR_SECTOR);
        tag->tag_checksum[0] = udf_tag_checksum(sector);
        return FSI_OK;
    }
    if (head->copy_file_set && target == head->file_set_to) {
        struct udf_descriptor_tag *tag = (struct udf_descriptor_tag *)sector;
        if (read_sector(disc, head->file_set_from, sector) != FSI_OK)
            return FSI_E_DISC_READ;
        put_le32(tag->tag_location, 0);     /* the partition's block 0 */
        tag->tag_checksum[0] = udf_tag_checksum(sector);
        return FSI_OK;
    }
    return FSI_E_INVALID_ARGUMENT;
}
