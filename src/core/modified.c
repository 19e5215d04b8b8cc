/*
 * fsi_image_modified() (image.h): the sectors to write over the base disc, found by reading.
 * Every sector the layout does not keep from the disc is rendered and compared with the disc's
 * sector; sectors past the disc's end, or that it cannot give, are listed unread. The head copies
 * (base_disc.h) are compared and listed last: they switch readers over to the new session, so
 * they must follow everything the new tree needs.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "openfsi/import.h"

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

/* Compares sectors [first, first + count) of the image with the disc's and lists those that
   differ. */
static enum fsi_status compare_run(struct fsi_reader *reader, const struct fsi_disc *disc,
                                   uint32_t first, uint32_t count, uint8_t *mine,
                                   uint8_t *theirs, struct range_list *list,
                                   struct fsi_modified_stats *stats)
{
    while (count) {
        uint32_t n = count < RUN ? count : RUN, readable = 0, i;
        enum fsi_status status = fsi_reader_read(reader, (uint64_t)first * SECTOR, mine,
                                                 (size_t)n * SECTOR);
        int whole = 0;

        if (status != FSI_OK)
            return status;
        if (first < disc->sector_count) {
            readable = disc->sector_count - first < n ? disc->sector_count - first : n;
            whole = disc->read(disc->context, first, readable, theirs) == FSI_OK;
        }
        for (i = 0; i < n && status == FSI_OK; i++) {
            int same = 0;
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
                status = list_sector(list, first + i);
            }
        }
        if (status != FSI_OK)
            return status;
        first += n;
        count -= n;
    }
    return FSI_OK;
}

enum fsi_status fsi_image_modified(const struct fsi_image *image,
                                   struct fsi_block_range **ranges, size_t *count,
                                   struct fsi_modified_stats *stats)
{
    struct range_list list = { NULL, 0, 0 };
    struct fsi_modified_stats local;
    struct fsi_reader *reader = NULL;
    uint8_t *mine = NULL, *theirs = NULL;
    enum fsi_status status = FSI_OK;
    size_t i;
    int pass;

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
    mine = malloc((size_t)RUN * SECTOR);
    theirs = malloc((size_t)RUN * SECTOR);
    if (!mine || !theirs)
        status = FSI_E_OUT_OF_MEMORY;
    if (status == FSI_OK)
        status = fsi_reader_create(image, &reader);
    /* First what the old tree never looks at, then the head that switches over to the new. */
    for (pass = 0; pass < 2 && status == FSI_OK; pass++)
        for (i = 0; i < image->extent_count && status == FSI_OK; i++) {
            const struct extent *e = &image->extents[i];
            if (e->content == CONTENT_DISC || (e->content == CONTENT_ALIAS) != pass)
                continue;
            status = compare_run(reader, image->options.base, e->first_sector, e->sector_count,
                                 mine, theirs, &list, stats);
        }
    fsi_reader_destroy(reader);
    free(mine);
    free(theirs);
    if (status != FSI_OK) {
        free(list.ranges);
        return status;
    }
    *ranges = list.ranges;
    *count = list.count;
    return FSI_OK;
}
