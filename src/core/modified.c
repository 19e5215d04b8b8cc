/*
 * fsi_image_modified() (image.h): the sectors to write over the base disc, found by reading.
 * Every sector the layout does not keep from the disc is rendered and compared with the disc's
 * sector; sectors past the disc's end, or that it cannot give, are listed unread. Each listed
 * sector has a class, and the list is ordered by class:
 *   (a) what the old tree never reads: new entries, identifiers and data, the space bitmap;
 *   (b) in place: the UDF volume descriptors but the logical volume's (the partition descriptors
 *       growing the partition), a new last anchor, the metadata mirror's copies of sectors the
 *       old tree reads (the mirror's own switch), and ISO 9660 / Joliet volume descriptors
 *       whose only changes are the volume space size and the dates;
 *   (c) the switch: a new session's head copies (base_disc.h), or in place the sectors an old
 *       tree reads (UDF: its file entries, identifiers, file set, the logical volume
 *       descriptor, the anchor at 256, the recognition sequence; ISO 9660 and Joliet: its
 *       directories, path tables, other descriptor changes, the terminator), of which
 *       fsi_image_create allows one per file system;
 *   (d) in place: the integrity descriptor.
 * modified_switch_count counts the listed sectors of class (c) by file system.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "udf_layout.h"
#include "openfsi/import.h"

enum sector_class { CLASS_FREE, CLASS_DESCRIPTOR, CLASS_SWITCH, CLASS_INTEGRITY, CLASS_COUNT };

/* The class of `sector` of extent `e` (not kept); for a switch, *systems gets the file systems
   whose old tree reads it (SWITCH_*, layout.h). */
static enum sector_class sector_class(const struct fsi_image *image, const struct extent *e,
                                      uint32_t sector, unsigned *systems)
{
    int k;

    *systems = 0;
    if (!image->in_place) {
        *systems = e->content == CONTENT_ALIAS ? SWITCH_UDF : 0;
        return e->content == CONTENT_ALIAS ? CLASS_SWITCH : CLASS_FREE;
    }
    if (e->content == CONTENT_UDF) {
        *systems = SWITCH_UDF;
        switch ((enum udf_piece)e->fs) {
        case UDF_PIECE_RECOGNITION:
        case UDF_PIECE_FILE_SET: return CLASS_SWITCH;
        case UDF_PIECE_VOLUME_SEQUENCE:
            return sector - e->first_sector == 3 ? CLASS_SWITCH    /* the logical volume */
                                                 : CLASS_DESCRIPTOR;
        case UDF_PIECE_ANCHOR: return e->index == 0 ? CLASS_SWITCH : CLASS_DESCRIPTOR;
        case UDF_PIECE_INTEGRITY: return CLASS_INTEGRITY;
        case UDF_PIECE_SPACE_BITMAP: return CLASS_FREE;
        case UDF_PIECE_MIRROR:
            /* The copy of an old tree's sector switches the mirror's view: after everything
               new, before the metadata file's own switch. */
            *systems = 0;
            return udf_sector_in_old_tree(image, udf_mirrored_sector(image, sector))
                       ? CLASS_DESCRIPTOR
                       : CLASS_FREE;
        default: break;
        }
        *systems = 0;
    }
    /* ISO 9660 and Joliet: a primary or supplementary descriptor is a switch unless only its
       volume space size and dates change (volume_descriptor_class); the terminator is both's. */
    if (e->content == CONTENT_VOLUME_DESCRIPTOR) {
        *systems = 1u << e->index;
        return CLASS_SWITCH;
    }
    if (e->content == CONTENT_TERMINATOR) {
        *systems = SWITCH_ISO9660 | SWITCH_JOLIET;
        return CLASS_SWITCH;
    }
    if (udf_sector_in_old_tree(image, sector))
        *systems |= SWITCH_UDF;
    for (k = 0; k < FS_COUNT; k++)
        if (iso_sector_in_old_tree(image, (enum fs_kind)k, sector))
            *systems |= 1u << k;
    return *systems ? CLASS_SWITCH : CLASS_FREE;
}

/* A primary or supplementary volume descriptor that differs from the disc's only in its volume
   space size (ECMA-119 8.4.8) and its dates (8.4.26-29): the old tree reads as it did on the
   grown volume, so it is written before the switches. */
static int only_size_and_dates_differ(const uint8_t *mine, const uint8_t *theirs)
{
    uint8_t a[FSI_SECTOR_SIZE], b[FSI_SECTOR_SIZE];

    memcpy(a, mine, sizeof(a));
    memcpy(b, theirs, sizeof(b));
    memset(a + 80, 0, 8);
    memset(b + 80, 0, 8);
    memset(a + 813, 0, 4 * 17);
    memset(b + 813, 0, 4 * 17);
    return !memcmp(a, b, sizeof(a));
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
                                   struct fsi_modified_stats *stats, uint32_t *switches)
{
    const struct fsi_disc *disc = image->options.base;
    uint32_t first = e->first_sector, count = e->sector_count;

    while (count) {
        uint32_t n = count < RUN ? count : RUN, readable = 0, i;
        uint8_t classes[RUN];
        unsigned systems[RUN];
        enum fsi_status status = FSI_OK;
        int whole = 0, any = 0;

        for (i = 0; i < n; i++) {
            classes[i] = (uint8_t)sector_class(image, e, first + i, &systems[i]);
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
                int k;
                if (classes[i] == CLASS_SWITCH && e->content == CONTENT_VOLUME_DESCRIPTOR &&
                    i < readable &&
                    only_size_and_dates_differ(mine + (size_t)i * SECTOR,
                                               theirs + (size_t)i * SECTOR)) {
                    classes[i] = CLASS_DESCRIPTOR;
                    systems[i] = 0;
                }
                stats->listed++;
                status = list_sector(&lists[classes[i]], first + i);
                for (k = 0; classes[i] == CLASS_SWITCH && k < SWITCH_SYSTEMS; k++)
                    if (systems[i] & (1u << k))
                        switches[k]++;
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
                                   struct range_list *lists, struct fsi_modified_stats *stats,
                                   uint32_t *switches)
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
                                 stats, switches);
    fsi_reader_destroy(reader);
    free(mine);
    free(theirs);
    return status;
}

/* Every sector measured: the ranges in write order (class by class), the stats, and how many
   of each old tree's sectors (class switch; by SWITCH_* bit) change. */
static enum fsi_status measure(const struct fsi_image *image, struct range_list *all,
                               struct fsi_modified_stats *stats, uint32_t *switches,
                               uint32_t *first_switch)
{
    struct range_list lists[CLASS_COUNT];
    enum fsi_status status;
    size_t i;
    int k;

    memset(lists, 0, sizeof(lists));
    memset(all, 0, sizeof(*all));
    for (k = 0; k < SWITCH_SYSTEMS; k++)
        switches[k] = 0;
    status = compare_all(image, (1u << CLASS_COUNT) - 1, lists, stats, switches);
    *first_switch = lists[CLASS_SWITCH].count ? lists[CLASS_SWITCH].ranges[0].first : 0;
    /* In class order: the old tree's switch follows everything the new tree needs. */
    for (k = 0; k < CLASS_COUNT && status == FSI_OK; k++)
        for (i = 0; i < lists[k].count && status == FSI_OK; i++) {
            uint32_t s;
            for (s = lists[k].ranges[i].first; status == FSI_OK; s++) {
                status = list_sector(all, s);
                if (s == lists[k].ranges[i].last)
                    break;
            }
        }
    for (k = 0; k < CLASS_COUNT; k++)
        free(lists[k].ranges);
    if (status != FSI_OK) {
        free(all->ranges);
        memset(all, 0, sizeof(*all));
    }
    return status;
}

enum fsi_status fsi_image_modified(const struct fsi_image *image,
                                   struct fsi_block_range **ranges, size_t *count,
                                   struct fsi_modified_stats *stats)
{
    struct range_list all;
    struct fsi_modified_stats local;
    enum fsi_status status;
    uint32_t switches[SWITCH_SYSTEMS], first;

    if (!image || !ranges || !count)
        return FSI_E_INVALID_ARGUMENT;
    *ranges = NULL;
    *count = 0;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (!image->options.base) {
        /* A new disc or session: all of it. */
        uint32_t start = fsi_image_first_sector(image);
        if (image->sector_count > start) {
            *ranges = malloc(sizeof(**ranges));
            if (!*ranges)
                return FSI_E_OUT_OF_MEMORY;
            (*ranges)->first = start;
            (*ranges)->last = image->sector_count - 1;
            *count = 1;
            stats->listed = image->sector_count - start;
        }
        return FSI_OK;
    }
    if (image->modified_known) {    /* measured when the image was made */
        *ranges = malloc((image->modified_count ? image->modified_count : 1) * sizeof(**ranges));
        if (!*ranges)
            return FSI_E_OUT_OF_MEMORY;
        memcpy(*ranges, image->modified, image->modified_count * sizeof(**ranges));
        *count = image->modified_count;
        *stats = image->modified_stats;
        return FSI_OK;
    }
    status = measure(image, &all, stats, switches, &first);
    if (status != FSI_OK)
        return status;
    *ranges = all.ranges;
    *count = all.count;
    return FSI_OK;
}

enum fsi_status modified_switch_count(struct fsi_image *image, uint32_t counts[SWITCH_SYSTEMS],
                                      uint32_t *first)
{
    struct range_list all;
    enum fsi_status status;

    memset(&image->modified_stats, 0, sizeof(image->modified_stats));
    status = measure(image, &all, &image->modified_stats, counts, first);
    if (status != FSI_OK)
        return status;
    free(image->modified);
    image->modified = all.ranges;
    image->modified_count = all.count;
    image->modified_known = 1;
    return FSI_OK;
}
