/*
 * The volume map: which extent produces each sector of an image. Fixed areas (the system area,
 * volume descriptors, UDF anchors) are reserved at their sectors; everything else is allocated
 * first-fit from the free space above a floor, so a structure can go into a gap between fixed
 * areas, and a later session can place new things around an earlier session's extents. When the
 * layout is done, volume_map_finish() sorts the extents and fills the gaps with zero extents, so
 * that the extents cover the image exactly once (what the reader relies on).
 *
 * Free space is a short sorted list of gaps; the last one is open-ended. Extents are kept in the
 * order they were reserved until finish.
 */
#ifndef OPENFSI_CORE_VOLUME_MAP_H
#define OPENFSI_CORE_VOLUME_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/status.h"

struct fsi_node;

struct extent {
    uint32_t first_sector;
    uint32_t sector_count;
    uint8_t content;                /* enum extent_content (layout.h) */
    uint8_t fs;                     /* enum fs_kind, for directories */
    uint32_t index;
    struct fsi_node *file;          /* CONTENT_FILE */
};

struct volume_gap {
    uint32_t first_sector;
    uint32_t sector_count;          /* the last gap's runs to the end of the 32-bit sector space */
};

struct volume_map {
    struct extent *extents;
    size_t extent_count;
    size_t extent_capacity;
    struct volume_gap *gaps;        /* sorted, disjoint, never empty */
    size_t gap_count;
    size_t gap_capacity;
    uint32_t end;                   /* one past the last reserved sector */
};

void volume_map_init(struct volume_map *map);
void volume_map_free(struct volume_map *map);

/* Reserves `extent->sector_count` sectors at `extent->first_sector`; FSI_E_INVALID_ARGUMENT when
   any of them is taken already, FSI_E_IMAGE_TOO_LARGE past the 32-bit sector space. */
enum fsi_status volume_map_reserve(struct volume_map *map, const struct extent *extent);

/* Places `extent` (its first_sector is set here) in the lowest free run of its size that starts
   at or above `floor`. A zero-sector extent takes no space and is not recorded. */
enum fsi_status volume_map_allocate(struct volume_map *map, uint32_t floor, struct extent *extent);

/* Reserves, as extents of `content` and `index`, every part of [first, first + count) that is
   still free (what an earlier reservation took stays as it is). */
enum fsi_status volume_map_reserve_free(struct volume_map *map, uint32_t first, uint32_t count,
                                        uint8_t content, uint32_t index);

/* 1 when no sector of [first, first + count) is reserved. */
int volume_map_is_free(const struct volume_map *map, uint32_t first, uint32_t count);

/* Sorts the extents and fills every gap below `end` (at least map->end) with zero extents. */
enum fsi_status volume_map_finish(struct volume_map *map, uint32_t end);

#endif
