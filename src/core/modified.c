/*
 * fsi_image_modified() (image.h): the sectors to write over the base disc, found by reading.
 * Every sector the layout does not keep from the disc is rendered and compared with the disc's
 * sector; sectors past the disc's end, or that it cannot give, are listed unread. Each listed
 * sector has a class, and the list is ordered by class:
 *   (a) what the old tree never reads: new entries, identifiers and data, the space bitmap;
 *   (b) in place: the volume descriptors but the logical volume's (the partition descriptors
 *       growing the partition), and a new last anchor;
 *   (c) the switch: a new session's head copies (base_disc.h), or in place the sectors the old
 *       tree reads (its file entries, identifiers, file set, the logical volume descriptor, the
 *       anchor at 256, the recognition sequence), of which fsi_image_create allows one;
 *   (d) in place: the integrity descriptor.
 * modified_switch_count counts the listed sectors of class (c) only.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "udf_layout.h"
#include "openfsi/import.h"

enum sector_class { CLASS_FREE, CLASS_DESCRIPTOR, CLASS_SWITCH, CLASS_INTEGRITY, CLASS_COUNT };

/* The class of `sector` of extent `e` (not kept). */
static enum sector_class sector_class(const struct fsi_image *image, const struct extent *e,
                                      uint32_t sector)
{
    if (!image->in_place)
        return e->content == CONTENT_ALIAS ? CLASS_SWITCH : CLASS_FREE;
    if (e->content == CONTENT_UDF)
        switch ((enum udf_piece)e->fs) {
        case UDF_PIECE_RECOGNITION:
        case UDF_PIECE_FILE_SET: return CLASS_SWITCH;
        case UDF_PIECE_VOLUME_SEQUENCE:
            return sector - e->first_sector == 3 ? CLASS_SWITCH    /* the logical volume */
                                                 : CLASS_DESCRIPTOR;
        case UDF_PIECE_ANCHOR: return e->index == 0 ? CLASS_SWITCH : CLASS_DESCRIPTOR;
        case UDF_PIECE_INTEGRITY: return CLASS_INTEGRITY;
        case UDF_PIECE_SPACE_BITMAP: return CLASS_FREE;
        default: break;
        }
    return udf_sector_in_old_tree(image, sector) ? CLASS_SWITCH : CLASS_FREE;
}

#define RUN 32                      /* sectors compared at a time */
#define SECTOR FSI_SECTOR_SIZE

struct range_list {
    struct fsi_block_range *ranges;
    size_t count, capacity;
};

static enum fsi_status list_sector(struct range_list *list, uint32_t sector)
{
    struct fsi_block_range *last = list->count ? &list->ranges[list->count - 1] : NULL;

    if (last && last->last + 1 == sector) {
        last->last = sector;
        return FSI_OK;
    }
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        struct fsi_block_range *grown = realloc(list->ranges, capacity * sizeof(*grown));
        if (!grown)
            return FSI_E_OUT_OF_MEMORY;
        list->ranges = grown;
        list->capacity = capacity;
    }
    list->ranges[list->count].first = sector;
    list->ranges[list->count].last = sector;
    list->count++;
    return FSI_OK;
}

/* Compares the sectors of extent `e` whose class `wanted` has (a bit per class) with the disc's
   and lists those that differ in lists[class]. */
static enum fsi_status compare_run(const struct fsi_image *image, struct fsi_reader *reader,
                                   const struct extent *e, unsigned wanted, uint8_t *mine,
                                   uint8_t *theirs, struct range_list *lists,
                                   struct fsi_modified_stats *stats)
{
    const struct fsi_disc *disc = image->options.base;
    uint32_t first = e->first_sector, count = e->sector_count;

    while (count) {
        uint32_t n = count < RUN ? count : RUN, readable = 0, i;
        uint8_t classes[RUN];
        enum fsi_status status = FSI_OK;
        int whole = 0, any = 0;

        for (i = 0; i < n; i++) {
            classes[i] = (uint8_t)sector_class(image, e, first + i);
            any |= (wanted >> classes[i]) & 1;
        }
        if (!any) {
            first += n;
            count -= n;
            continue;
        }
        status = fsi_reader_read(reader, (uint64_t)first * SECTOR, mine, (size_t)n * SECTOR);
        if (status != FSI_OK)
            return status;
        if (first < disc->sector_count) {
            readable = disc->sector_count - first < n ? disc->sector_count - first : n;
            whole = disc->read(disc->context, first, readable, theirs) == FSI_OK;
        }
        for (i = 0; i < n && status == FSI_OK; i++) {
            int same = 0;
            if (!((wanted >> classes[i]) & 1))
                continue;
            if (i < readable) {
                int got = whole || disc->read(disc->context, first + i, 1,
                                              theirs + (size_t)i * SECTOR) == FSI_OK;
                stats->compared++;
                if (!got)
                    stats->unreadable++;
                same = got && !memcmp(mine + (size_t)i * SECTOR, theirs + (size_t)i * SECTOR,
                                      SECTOR);
            }
            if (!same) {
                stats->listed++;
                status = list_sector(&lists[classes[i]], first + i);
            }
        }
        if (status != FSI_OK)
            return status;
        first += n;
        count -= n;
    }
    return FSI_OK;
}

/* Compares every sector not kept whose class `wanted` has; lists[class] get those that differ. */
static enum fsi_status compare_all(const struct fsi_image *image, unsigned wanted,
                                   struct range_list *lists, struct fsi_modified_stats *stats)
{
    struct fsi_reader *reader = NULL;
    uint8_t *mine = malloc((size_t)RUN * SECTOR), *theirs = malloc((size_t)RUN * SECTOR);
    enum fsi_status status = mine && theirs ? FSI_OK : FSI_E_OUT_OF_MEMORY;
    size_t i;

    if (status == FSI_OK)
        status = fsi_reader_create(image, &reader);
    for (i = 0; i < image->extent_count && status == FSI_OK; i++)
        if (image->extents[i].content != CONTENT_DISC)
            status = compare_run(image, reader, &image->extents[i], wanted, mine, theirs, lists,
                                 stats);
    fsi_reader_destroy(reader);
    free(mine);
    free(theirs);
    return status;
}

enum fsi_status fsi_image_modified(const struct fsi_image *image,
                                   struct fsi_block_range **ranges, size_t *count,
                                   struct fsi_modified_stats *stats)
{
    struct range_list lists[CLASS_COUNT], all = { NULL, 0, 0 };
    struct fsi_modified_stats local;
    enum fsi_status status = FSI_OK;
    size_t i;
    int k;

    if (!image || !ranges || !count)
        return FSI_E_INVALID_ARGUMENT;
    *ranges = NULL;
    *count = 0;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (!image->options.base) {
        /* A new disc or session: all of it. */
        uint32_t first = fsi_image_first_sector(image);
        if (image->sector_count > first) {
            *ranges = malloc(sizeof(**ranges));
            if (!*ranges)
                return FSI_E_OUT_OF_MEMORY;
            (*ranges)->first = first;
            (*ranges)->last = image->sector_count - 1;
            *count = 1;
            stats->listed = image->sector_count - first;
        }
        return FSI_OK;
    }
    memset(lists, 0, sizeof(lists));
    status = compare_all(image, (1u << CLASS_COUNT) - 1, lists, stats);
    /* In class order: the old tree's switch follows everything the new tree needs. */
    for (k = 0; k < CLASS_COUNT && status == FSI_OK; k++)
        for (i = 0; i < lists[k].count && status == FSI_OK; i++) {
            uint32_t s;
            for (s = lists[k].ranges[i].first; status == FSI_OK; s++) {
                status = list_sector(&all, s);
                if (s == lists[k].ranges[i].last)
                    break;
            }
        }
    for (k = 0; k < CLASS_COUNT; k++)
        free(lists[k].ranges);
    if (status != FSI_OK) {
        free(all.ranges);
        return status;
    }
    *ranges = all.ranges;
    *count = all.count;
    return FSI_OK;
}

enum fsi_status modified_switch_count(const struct fsi_image *image, uint32_t *count,
                                      uint32_t *first)
{
    struct range_list lists[CLASS_COUNT];
    struct fsi_modified_stats stats;
    enum fsi_status status;
    int k;

    memset(lists, 0, sizeof(lists));
    memset(&stats, 0, sizeof(stats));
    status = compare_all(image, 1u << CLASS_SWITCH, lists, &stats);
    *count = (uint32_t)stats.listed;
    *first = lists[CLASS_SWITCH].count ? lists[CLASS_SWITCH].ranges[0].first : 0;
    for (k = 0; k < CLASS_COUNT; k++)
        free(lists[k].ranges);
    return status;
}
