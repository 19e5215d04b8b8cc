/*
 * The volume map (volume_map.h): reservations and first-fit allocation over a sorted list of
 * free gaps. It decides where things go; what they hold is the layout's business.
 */
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "volume_map.h"

#define SECTOR_SPACE_END 0xFFFFFFFFull     /* sectors are numbered by uint32_t: 0 .. 2^32 - 2 */

static uint64_t gap_end(const struct volume_gap *gap)
{
    return (uint64_t)gap->first_sector + gap->sector_count;
}

void volume_map_init(struct volume_map *map)
{
    memset(map, 0, sizeof(*map));
}

void volume_map_free(struct volume_map *map)
{
    free(map->extents);
    free(map->gaps);
    volume_map_init(map);
}

/* The map starts as one gap over the whole sector space. */
static enum fsi_status ensure_gaps(struct volume_map *map)
{
    enum fsi_status status;

    if (map->gap_count)
        return FSI_OK;
    status = array_grow((void **)&map->gaps, &map->gap_capacity, 1, sizeof(*map->gaps));
    if (status != FSI_OK)
        return status;
    map->gaps[0].first_sector = 0;
    map->gaps[0].sector_count = (uint32_t)SECTOR_SPACE_END;
    map->gap_count = 1;
    return FSI_OK;
}

/* Index of the last gap starting at or below `sector` (gap_count when there is none). */
static size_t gap_at_or_below(const struct volume_map *map, uint32_t sector)
{
    size_t low = 0, high = map->gap_count;

    if (!map->gap_count || map->gaps[0].first_sector > sector)
        return map->gap_count;
    while (high - low > 1) {
        size_t middle = low + (high - low) / 2;
        if (map->gaps[middle].first_sector <= sector)
            low = middle;
        else
            high = middle;
    }
    return low;
}

/* Takes [first, first + count) out of gap `g`, which holds it. */
static enum fsi_status split_gap(struct volume_map *map, size_t g, uint32_t first, uint32_t count)
{
    struct volume_gap old = map->gaps[g];
    uint64_t end = (uint64_t)first + count;
    int left = first > old.first_sector, right = end < gap_end(&old);
    enum fsi_status status;

    if (left && right) {
        status = array_grow((void **)&map->gaps, &map->gap_capacity, map->gap_count + 1,
                      sizeof(*map->gaps));
        if (status != FSI_OK)
            return status;
        memmove(&map->gaps[g + 2], &map->gaps[g + 1],
                (map->gap_count - g - 1) * sizeof(*map->gaps));
        map->gap_count++;
        map->gaps[g].sector_count = first - old.first_sector;
        map->gaps[g + 1].first_sector = (uint32_t)end;
        map->gaps[g + 1].sector_count = (uint32_t)(gap_end(&old) - end);
    } else if (left) {
        map->gaps[g].sector_count = first - old.first_sector;
    } else if (right) {
        map->gaps[g].first_sector = (uint32_t)end;
        map->gaps[g].sector_count = (uint32_t)(gap_end(&old) - end);
    } else {
        memmove(&map->gaps[g], &map->gaps[g + 1], (map->gap_count - g - 1) * sizeof(*map->gaps));
        map->gap_count--;
    }
    return FSI_OK;
}

static enum fsi_status record(struct volume_map *map, const struct extent *extent)
{
    enum fsi_status status = array_grow((void **)&map->extents, &map->extent_capacity,
                                  map->extent_count + 1, sizeof(*map->extents));
    uint32_t end = extent->first_sector + extent->sector_count;

    if (status != FSI_OK)
        return status;
    map->extents[map->extent_count++] = *extent;
    if (end > map->end)
        map->end = end;
    return FSI_OK;
}

enum fsi_status volume_map_reserve(struct volume_map *map, const struct extent *extent)
{
    uint64_t end = (uint64_t)extent->first_sector + extent->sector_count;
    enum fsi_status status;
    size_t g;

    if (!extent->sector_count)
        return FSI_OK;
    if (end >= SECTOR_SPACE_END)
        return FSI_E_IMAGE_TOO_LARGE;
    status = ensure_gaps(map);
    if (status != FSI_OK)
        return status;
    g = gap_at_or_below(map, extent->first_sector);
    if (g == map->gap_count || end > gap_end(&map->gaps[g]))
        return FSI_E_INVALID_ARGUMENT;
    status = record(map, extent);
    if (status != FSI_OK)
        return status;
    status = split_gap(map, g, extent->first_sector, extent->sector_count);
    if (status != FSI_OK)
        map->extent_count--;
    return status;
}

enum fsi_status volume_map_allocate(struct volume_map *map, uint32_t floor, struct extent *extent)
{
    enum fsi_status status;
    size_t g;

    if (!extent->sector_count) {
        extent->first_sector = 0;
        return FSI_OK;
    }
    status = ensure_gaps(map);
    if (status != FSI_OK)
        return status;
    g = gap_at_or_below(map, floor);
    if (g == map->gap_count)
        g = 0;
    for (; g < map->gap_count; g++) {
        const struct volume_gap *gap = &map->gaps[g];
        uint32_t start = gap->first_sector > floor ? gap->first_sector : floor;
        if (gap_end(gap) > start && gap_end(gap) - start >= extent->sector_count) {
            extent->first_sector = start;
            return volume_map_reserve(map, extent);
        }
    }
    return FSI_E_IMAGE_TOO_LARGE;
}

int volume_map_is_free(const struct volume_map *map, uint32_t first, uint32_t count)
{
    size_t g;

    if (!map->gap_count)
        return 1;
    g = gap_at_or_below(map, first);
    return g < map->gap_count && (uint64_t)first + count <= gap_end(&map->gaps[g]);
}

static int compare_extents(const void *a, const void *b)
{
    const struct extent *x = a, *y = b;
    return x->first_sector < y->first_sector ? -1 : x->first_sector > y->first_sector;
}

enum fsi_status volume_map_finish(struct volume_map *map, uint32_t end)
{
    size_t capacity = map->extent_count * 2 + 1;
    struct extent *sorted;
    size_t count = 0, i;
    uint32_t at = 0;

    if (end < map->end)
        end = map->end;
    if (map->extent_count > 1)
        qsort(map->extents, map->extent_count, sizeof(*map->extents), compare_extents);
    /* Each extent may need a zero extent before it, and the end one more. */
    sorted = malloc(capacity * sizeof(*sorted));
    if (!sorted)
        return FSI_E_OUT_OF_MEMORY;
    for (i = 0; i <= map->extent_count; i++) {
        uint32_t next = i < map->extent_count ? map->extents[i].first_sector : end;
        if (next > at) {
            memset(&sorted[count], 0, sizeof(*sorted));
            sorted[count].first_sector = at;
            sorted[count].sector_count = next - at;
            count++;            /* content 0 is CONTENT_ZERO */
        }
        if (i < map->extent_count) {
            sorted[count++] = map->extents[i];
            at = map->extents[i].first_sector + map->extents[i].sector_count;
        }
    }
    free(map->extents);
    map->extents = sorted;
    map->extent_count = count;
    map->extent_capacity = capacity;
    map->end = end;
    return FSI_OK;
}

enum fsi_status volume_map_reserve_free(struct volume_map *map, uint32_t first, uint32_t count,
                                        uint8_t content, uint32_t index)
{
    uint64_t end = (uint64_t)first + count, at = first;

    while (at < end) {
        size_t low = 0, high = map->gap_count;
        uint64_t from, to;
        struct extent extent = { 0, 0, content, 0, index, NULL };
        enum fsi_status status;

        while (low < high) {        /* the first gap ending after `at` */
            size_t middle = low + (high - low) / 2;
            const struct volume_gap *g = &map->gaps[middle];
            if ((uint64_t)g->first_sector + g->sector_count <= at)
                low = middle + 1;
            else
                high = middle;
        }
        if (low == map->gap_count || map->gaps[low].first_sector >= end)
            break;
        from = map->gaps[low].first_sector > at ? map->gaps[low].first_sector : at;
        to = (uint64_t)map->gaps[low].first_sector + map->gaps[low].sector_count;
        if (to > end)
            to = end;
        extent.first_sector = (uint32_t)from;
        extent.sector_count = (uint32_t)(to - from);
        status = volume_map_reserve(map, &extent);
        if (status != FSI_OK)
            return status;
        at = to;
    }
    return FSI_OK;
}
