/*
 * fsi_image_create(): lays an image out from a tree in one pass (layout.h). Sectors, in order:
 * the system area (16), the volume descriptor set (primary, Joliet supplementary, terminator),
 * the L and M path tables of each file system, the ISO 9660 directories, the Joliet directories,
 * then the data of every file once, in ISO 9660 directory order. Later parts (El Torito's boot
 * record right after the primary descriptor, its catalog and boot images; UDF) add their
 * descriptors and extents here.
 */
#include <stdlib.h>
#include <string.h>

#include "base_disc.h"
#include "ecma119.h"
#include "eltorito.h"
#include "iso_time.h"
#include "layout.h"
#include "import_internal.h"
#include "udf_layout.h"

void fsi_image_options_init(struct fsi_image_options *options, fsi_time creation_time)
{
    memset(options, 0, sizeof(*options));
    options->iso9660 = 1;
    options->iso9660_level = 2;
    options->joliet = 1;
    options->udf_redundant_metadata = 1;
    options->creation_time = creation_time;
}

static uint32_t sectors_for(uint64_t bytes)
{
    return (uint32_t)((bytes + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE);
}

/* Reserves `sectors` at `first` for metadata. */
static enum fsi_status reserve(struct fsi_image *image, uint32_t first, uint32_t sectors,
                               uint8_t content, uint8_t fs, uint32_t index)
{
    struct extent extent = { first, sectors, content, fs, index, NULL };
    return volume_map_reserve(&image->map, &extent);
}

/* Places `sectors` of metadata in the first free run at or above `floor`; *first gets it. */
static enum fsi_status allocate(struct fsi_image *image, uint32_t floor, uint64_t sectors,
                                uint8_t content, uint8_t fs, uint32_t index, uint32_t *first)
{
    struct extent extent = { 0, (uint32_t)sectors, content, fs, index, NULL };
    enum fsi_status status;

    if (sectors > 0xFFFFFFFFu)
        return FSI_E_IMAGE_TOO_LARGE;
    status = volume_map_allocate(&image->map, floor, &extent);
    if (status == FSI_OK && first)
        *first = extent.first_sector;
    return status;
}

/* 1 when the first `sectors` sectors of an imported node's data lie in one run (extents that
   follow each other count as one) ending at or below `end`. */
static int in_one_run(const struct fsi_node *node, uint64_t sectors, uint32_t end)
{
    uint64_t first = node->disc_extents[0].first_sector, next = first;
    size_t i;

    for (i = 0; i < node->disc_extent_count && next - first < sectors; i++) {
        if (node->disc_extents[i].first_sector != next)
            return 0;
        next += node->disc_extents[i].sector_count;
    }
    return next - first >= sectors && first + sectors <= end;
}

/* 1 when every file system written can point at the data an earlier session recorded for
   `node`: ISO 9660 and Joliet at one run below the session, UDF at extents inside its
   partition (udf_can_point_at). Otherwise the data is copied once and all point at the copy. */
static int can_point_at(const struct fsi_image *image, const struct fsi_node *node,
                        uint64_t sectors)
{
    if (!image->options.session_start || !node->disc_extent_count)
        return 0;
    /* Over a rewritable disc: only data that is this disc's (not another disc's alike). */
    if (image->options.base && !import_node_reads_disc(node, image->options.base))
        return 0;
    if (image->options.iso9660 && !node->stream_owner &&
        !in_one_run(node, sectors, image->options.session_start))
        return 0;
    return !image->udf || udf_can_point_at(image, node);
}

/* ---- In place with ISO 9660 (fsi_image.in_place, README "Rewritable media in place") ---- */

#define NOT_IN_PLACE FSI_E_NOT_IMPLEMENTED
#define NO_DIR 0xFFFFFFFFu

/* Reserves the parts of [first, first + count) nothing has taken yet (volume_map.h). */
static enum fsi_status reserve_free_parts(struct fsi_image *image, uint32_t first, uint32_t count,
                                          uint8_t content, uint32_t index)
{
    return volume_map_reserve_free(&image->map, first, count, content, index);
}

int iso_sector_in_old_tree(const struct fsi_image *image, enum fs_kind kind, uint32_t sector)
{
    const struct iso_usage *u = image->iso_old ? &image->iso_old[kind] : NULL;
    return u && u->metadata_count && disc_runs_contain(u->metadata, u->metadata_count, sector, 1);
}

/* 1 when the image keeps, in place, the old disc's El Torito boot record (at 17, after the
   primary descriptor) and so its catalog and boot images: the disc boots as it did. */
static int old_boot_record(const struct fsi_image *image)
{
    return image->in_place && !image->eltorito && image->iso_old &&
           image->iso_old[FS_ISO9660].boot_record_sector;
}

/* Reads where the old hierarchies lie; refuses a disc whose volume descriptor set is not the
   one this layout writes (the primary at 16, an El Torito boot record at 17 if the disc has one
   and this image adds no boot image, Joliet's next, then the terminator). */
static enum fsi_status iso_in_place_begin(struct fsi_image *image)
{
    enum fsi_status status = FSI_OK;
    uint32_t boot, terminator;
    int k;

    image->iso_old = calloc(FS_COUNT, sizeof(*image->iso_old));
    if (!image->iso_old)
        return FSI_E_OUT_OF_MEMORY;
    for (k = 0; k < FS_COUNT && status == FSI_OK; k++)
        if (image->has_fs[k])
            status = iso_read_usage(image->options.base, k == FS_JOLIET, &image->iso_old[k]);
    if (status != FSI_OK)
        return status == FSI_E_OUT_OF_MEMORY ? status : NOT_IN_PLACE;
    boot = image->iso_old[FS_ISO9660].boot_record_sector != 0;
    terminator = ECMA119_SYSTEM_AREA_SECTORS + 1 + boot + (image->has_fs[FS_JOLIET] != 0);
    if ((boot && (image->eltorito || image->iso_old[FS_ISO9660].boot_record_sector !=
                                         ECMA119_SYSTEM_AREA_SECTORS + 1)) ||
        image->iso_old[FS_ISO9660].descriptor_sector != ECMA119_SYSTEM_AREA_SECTORS)
        return NOT_IN_PLACE;
    for (k = 0; k < FS_COUNT; k++)
        if (image->has_fs[k] &&
            ((k == FS_JOLIET && image->iso_old[k].descriptor_sector !=
                                    ECMA119_SYSTEM_AREA_SECTORS + 1 + boot) ||
             image->iso_old[k].terminator_sector != terminator))
            return NOT_IN_PLACE;
    return FSI_OK;
}

/* The old directory whose path the new directory `i` of `fs` has, or NO_DIR. */
static uint32_t old_directory(const struct fs_tree *fs, const struct iso_usage *u,
                              const uint32_t *old_of, uint32_t i)
{
    const struct fs_dir *dir = &fs->dirs[i];
    const struct iso_usage_dir *parent;
    uint32_t c;

    if (i == 0)
        return u->dir_count ? 0 : NO_DIR;
    if (old_of[dir->parent] == NO_DIR)
        return NO_DIR;
    parent = &u->dirs[old_of[dir->parent]];
    for (c = parent->first_child; c < parent->first_child + parent->child_count; c++)
        if (u->dirs[c].id_length == dir->id.length &&
            !memcmp(u->dirs[c].id, dir->id.bytes, dir->id.length))
            return c;
    return NO_DIR;
}

/* A directory of several sectors whose old one's sectors break where its records can: it keeps
   those breaks, so that a change inside one sector changes only that sector. */
static enum fsi_status keep_breaks(struct fsi_image *image, struct fs_tree *fs,
                                   struct fs_dir *dir, const struct iso_usage *u,
                                   const struct iso_usage_dir *old)
{
    struct record_position *starts;

    if (old->sectors < 2 || !old->has_breaks)
        return FSI_OK;
    starts = arena_alloc(&image->arena, old->sectors * sizeof(*starts));
    if (!starts)
        return FSI_E_OUT_OF_MEMORY;
    if (fs_tree_place_records_at(fs, dir, u->breaks + old->first_break, old->sectors, starts)) {
        dir->sector_starts = starts;
        dir->sector_count = old->sectors;
    }
    return FSI_OK;
}

/* Each directory and path table stays where the old one of its path lies when it has as many
   sectors; then every sector the old hierarchies' metadata uses is kept as the disc has it, so
   that nothing new goes there. A directory that is new, gone or moved changes its parent's
   records and the path table, two sectors the old tree reads: more than the one switch
   fsi_image_create allows, so that is known here, before anything is measured. */
static enum fsi_status iso_in_place_keep(struct fsi_image *image)
{
    enum fsi_status status = FSI_OK;
    uint32_t i, *old_of;
    size_t r;
    int k, m;

    for (k = 0; k < FS_COUNT && status == FSI_OK; k++) {
        struct fs_tree *fs = &image->fs[k];
        const struct iso_usage *u = &image->iso_old[k];
        uint32_t table = sectors_for(fs->path_table_size);
        if (!image->has_fs[k])
            continue;
        if (table && table == sectors_for(u->path_table_size) && u->path_table[0] &&
            u->path_table[1])
            for (m = 0; m < 2 && status == FSI_OK; m++) {
                status = reserve(image, u->path_table[m], table, CONTENT_PATH_TABLE, (uint8_t)k,
                                 (uint32_t)(k * 2 + m));
                fs->path_table_sector[m] = u->path_table[m];
            }
        old_of = malloc((fs->dir_count + 1) * sizeof(*old_of));
        if (!old_of)
            return FSI_E_OUT_OF_MEMORY;
        for (i = 0; i < fs->dir_count && status == FSI_OK; i++) {
            old_of[i] = old_directory(fs, u, old_of, i);
            if (old_of[i] != NO_DIR && !fs->dirs[i].node->modified)
                fs->dirs[i].old_date = u->dirs[old_of[i]].date;
            if (old_of[i] != NO_DIR)
                status = keep_breaks(image, fs, &fs->dirs[i], u, &u->dirs[old_of[i]]);
            if (status != FSI_OK)
                break;
            if (old_of[i] != NO_DIR && u->dirs[old_of[i]].sectors == fs->dirs[i].sector_count) {
                status = reserve(image, u->dirs[old_of[i]].extent, fs->dirs[i].sector_count,
                                 CONTENT_DIRECTORY, (uint8_t)k, i);
                fs->dirs[i].first_sector = u->dirs[old_of[i]].extent;
            } else {
                status = NOT_IN_PLACE;
            }
        }
        if (status == FSI_OK && fs->dir_count != u->dir_count)
            status = NOT_IN_PLACE;
        free(old_of);
    }
    for (k = 0; k < FS_COUNT && status == FSI_OK; k++)
        for (r = 0; image->has_fs[k] && r < image->iso_old[k].metadata_count && status == FSI_OK;
             r++)
            status = reserve_free_parts(image, image->iso_old[k].metadata[r].first_sector,
                                        image->iso_old[k].metadata[r].sector_count, CONTENT_DISC,
                                        0);
    return status == FSI_OK || status == FSI_E_OUT_OF_MEMORY ? status : NOT_IN_PLACE;
}

enum fsi_status iso_in_place_reserve_data(struct fsi_image *image)
{
    enum fsi_status status = FSI_OK;
    size_t r;
    int k;

    for (k = 0; image->iso_old && k < FS_COUNT && status == FSI_OK; k++)
        for (r = 0; image->has_fs[k] && r < image->iso_old[k].data_count && status == FSI_OK; r++)
            status = reserve_free_parts(image, image->iso_old[k].data[r].first_sector,
                                        image->iso_old[k].data[r].sector_count, CONTENT_DISC, 0);
    return status;
}

/* In place with ISO 9660 alone: 1 when `node`'s data stays where the old hierarchy has it (read
   from this disc, in one run the old hierarchy's files use, so kept as the disc has it). */
static int iso_data_kept(const struct fsi_image *image, const struct fsi_node *node,
                         uint64_t sectors)
{
    const struct iso_usage *u = &image->iso_old[FS_ISO9660];

    return node->disc_extent_count && sectors <= 0xFFFFFFFFu &&
           import_node_reads_disc(node, image->options.base) &&
           in_one_run(node, sectors, 0xFFFFFFFFu) &&
           disc_runs_contain(u->data, u->data_count, node->disc_extents[0].first_sector,
                             (uint32_t)sectors);
}

enum fsi_status layout_place_file_data(struct fsi_image *image, struct fsi_node *node,
                                       uint32_t floor)
{
    struct extent extent = { 0, 0, CONTENT_FILE, 0, 0, node };
    uint64_t sectors = sectors_for(node->size);
    enum fsi_status status;

    if (!sectors)
        return FSI_OK;
    if (image->in_place) {
        /* Kept where it lies: reserved by the UDF layout (with ISO 9660 too: in one run, as its
           records need), or by iso_in_place_reserve_data. */
        int kept = image->udf ? udf_data_in_place(image, node)
                              : image->options.iso9660 && iso_data_kept(image, node, sectors);
        if (kept && image->udf && image->options.iso9660 &&
            !in_one_run(node, sectors, 0xFFFFFFFFu))
            return NOT_IN_PLACE;
        if (kept) {
            image->data_lba[node->id] = node->disc_extents[0].first_sector;
            return FSI_OK;
        }
    }
    /* Data an earlier session recorded stays where it is when every file system can say so. */
    if (can_point_at(image, node, sectors)) {
        image->data_lba[node->id] = node->disc_extents[0].first_sector;
        return FSI_OK;
    }
    if (sectors > 0xFFFFFFFFu)
        return FSI_E_IMAGE_TOO_LARGE;
    extent.sector_count = (uint32_t)sectors;
    status = volume_map_allocate(&image->map, floor, &extent);
    if (status == FSI_OK)
        image->data_lba[node->id] = extent.first_sector;
    return status;
}

/* The label: the caller's, or "YYYYMMDD_HHMMSS" of the creation time as Windows makes one. */
static void choose_volume_name(struct fsi_image *image, const struct fsi_image_options *options)
{
    size_t i;

    if (options->volume_name && options->volume_name_length) {
        image->volume_name_length = options->volume_name_length > 32 ? 32
                                                                     : options->volume_name_length;
        memcpy(image->volume_name, options->volume_name,
               image->volume_name_length * sizeof(uint16_t));
    } else {
        uint8_t date[17];
        iso_volume_date(options->creation_time, 0, date);
        for (i = 0; i < 8; i++)
            image->volume_name[i] = date[i];
        image->volume_name[8] = '_';
        for (i = 8; i < 14; i++)
            image->volume_name[i + 1] = date[i];
        image->volume_name_length = 15;
    }
}

/* Sectors the ISO 9660 metadata, the boot images and every file's data take: what the UDF
   bitmap must cover. */
static uint64_t estimate_other_sectors(const struct fsi_image *image, const struct fsi_tree *tree)
{
    const struct fsi_node *root = &tree->root, *node;
    uint64_t sectors = 64;
    uint32_t i;
    int k;

    for (k = 0; k < FS_COUNT; k++)
        for (i = 0; image->has_fs[k] && i < image->fs[k].dir_count; i++)
            sectors += image->fs[k].dirs[i].sector_count;
    for (k = 0; k < FS_COUNT; k++)
        if (image->has_fs[k])
            sectors += 2 * (uint64_t)sectors_for(image->fs[k].path_table_size);
    for (i = 0; image->eltorito && i < image->eltorito->count; i++)     /* boot images */
        sectors += sectors_for(image->eltorito->images[i].node.size) + 1;
    for (node = root; node; node = tree_next_in_subtree(root, node)) {
        sectors += sectors_for(node->size);
        for (i = 0; i < node->stream_count; i++)    /* a stream's data and its entry */
            sectors += sectors_for(node->streams[i]->size) + 2;
    }
    return sectors;
}

static enum fsi_status lay_out(struct fsi_image *image, const struct fsi_tree *tree)
{
    enum fsi_status status;
    uint32_t i, j, at = ECMA119_SYSTEM_AREA_SECTORS, data_floor = at;
    int k, m;

    status = eltorito_prepare(image);
    if (status != FSI_OK)
        return status;
    for (k = 0; k < FS_COUNT; k++) {
        if (!image->has_fs[k])
            continue;
        status = fs_tree_build(image, tree, (enum fs_kind)k);
        if (status == FSI_OK)
            status = fs_tree_place_records(image, &image->fs[k]);
        if (status != FSI_OK)
            return status;
    }

    /* Earlier sessions' sectors are not this image's: nothing may be placed there. Over a
       rewritable disc they are, as the disc has them, but for the head (base_disc.h). */
    if (image->in_place)        /* nothing below: the system area is kept as the disc has it */
        status = reserve(image, 0, ECMA119_SYSTEM_AREA_SECTORS, CONTENT_DISC, 0, 1);
    else
        status = image->options.base
                     ? base_disc_reserve(image)
                     : reserve(image, 0, image->options.session_start, CONTENT_ZERO, 0, 0);
    at += image->options.session_start;
    data_floor = at;
    if (status == FSI_OK && !image->in_place)
        status = reserve(image, image->options.session_start, ECMA119_SYSTEM_AREA_SECTORS,
                         CONTENT_ZERO, 0, 0);
    /* In place: where the old hierarchies lie, read first (their descriptor set decides ours). */
    if (status == FSI_OK && image->in_place && image->options.iso9660)
        status = iso_in_place_begin(image);
    for (k = 0; k < FS_COUNT && status == FSI_OK; k++)
        if (image->has_fs[k]) {
            image->fs[k].volume_descriptor_sector = at;
            status = reserve(image, at++, 1, CONTENT_VOLUME_DESCRIPTOR, (uint8_t)k, (uint32_t)k);
            if (status == FSI_OK && k == FS_ISO9660 && image->eltorito)
                status = reserve(image, at++, 1, CONTENT_BOOT_RECORD, 0, 0);
            else if (status == FSI_OK && k == FS_ISO9660 && old_boot_record(image))
                status = reserve(image, at++, 1, CONTENT_DISC, 0, 0);  /* the disc still boots */
        }
    if (status == FSI_OK && image->options.iso9660)
        status = reserve(image, at++, 1, CONTENT_TERMINATOR, 0, 0);
    /* In place: the old hierarchies' directories, path tables and data first, so nothing new
       (UDF's included) goes where an old tree reads; an old boot catalog and its boot images
       are data too. */
    if (status == FSI_OK && image->in_place && image->options.iso9660) {
        status = iso_in_place_keep(image);
        if (status == FSI_OK && !image->options.udf_revision)
            status = iso_in_place_reserve_data(image);
    }
    /* UDF's fixed areas and its metadata go first, so ISO 9660's fill the gaps around them. */
    if (status == FSI_OK && image->options.udf_revision) {
        status = udf_layout_begin(image, tree, at, estimate_other_sectors(image, tree));
        data_floor = udf_area_start(image);
    }

    for (k = 0; k < FS_COUNT && status == FSI_OK; k++)
        for (m = 0; m < 2 && image->has_fs[k] && status == FSI_OK; m++)
            if (!image->fs[k].path_table_sector[m])     /* not kept in place */
                status = allocate(image, ECMA119_SYSTEM_AREA_SECTORS,
                              sectors_for(image->fs[k].path_table_size), CONTENT_PATH_TABLE,
                              (uint8_t)k, (uint32_t)(k * 2 + m), &image->fs[k].path_table_sector[m]);

    for (k = 0; k < FS_COUNT && status == FSI_OK; k++)
        for (i = 0; image->has_fs[k] && i < image->fs[k].dir_count && status == FSI_OK; i++)
            if (!image->fs[k].dirs[i].first_sector)     /* not kept in place */
                status = allocate(image, ECMA119_SYSTEM_AREA_SECTORS, image->fs[k].dirs[i].sector_count,
                              CONTENT_DIRECTORY, (uint8_t)k, i, &image->fs[k].dirs[i].first_sector);

    if (status == FSI_OK)
        status = eltorito_place(image, ECMA119_SYSTEM_AREA_SECTORS, data_floor);

    /* Named streams' data first (udf_layout.h says why), then the files' data once, in ISO 9660
       order (UDF's without ISO 9660); all records point at it. */
    if (status == FSI_OK && image->options.udf_revision)
        status = udf_layout_place_streams(image);
    if (status == FSI_OK && !image->options.iso9660)
        status = udf_layout_place_files(image);
    for (i = 0; image->options.iso9660 && i < image->fs[FS_ISO9660].dir_count && status == FSI_OK;
         i++) {
        const struct fs_dir *dir = &image->fs[FS_ISO9660].dirs[i];
        for (j = 0; j < dir->entry_count && status == FSI_OK; j++)
            if (!dir->entries[j].node->is_directory)
                status = layout_place_file_data(image, dir->entries[j].node, data_floor);
    }

    if (status == FSI_OK && image->options.udf_revision)
        status = udf_layout_end(image);
    else if (status == FSI_OK && image->in_place)  /* the free space, as the disc has it */
        status = reserve_free_parts(image, 0, image->options.base->sector_count, CONTENT_DISC, 1);
    if (status == FSI_OK)
        status = volume_map_finish(&image->map, image->map.end);
    if (status != FSI_OK)
        return status;
    image->extents = image->map.extents;
    image->extent_count = image->map.extent_count;
    image->sector_count = image->map.end;

    if (image->options.max_sectors && image->sector_count > image->options.max_sectors)
        return FSI_E_IMAGE_TOO_LARGE;
    for (k = 0; k < FS_COUNT; k++)
        if (image->has_fs[k]) {
            status = fs_tree_render_path_tables(&image->fs[k]);
            if (status != FSI_OK)
                return status;
        }
    return FSI_OK;
}

/* Lays the image out, in place over the base disc's volume (v1) or not. */
static enum fsi_status create(const struct fsi_tree *tree, const struct fsi_image_options *options,
                              int in_place, struct fsi_image **out)
{
    struct fsi_image *image;
    enum fsi_status status;

    *out = NULL;
    image = calloc(1, sizeof(*image));
    if (!image)
        return FSI_E_OUT_OF_MEMORY;
    arena_init(&image->arena);
    image->options = *options;
    image->options.volume_name = NULL;
    image->in_place = in_place;
    if (in_place) {             /* one volume from sector 0, over the old one */
        image->options.session_start = 0;
        image->options.udf_partition_start = 0;
    }
    choose_volume_name(image, options);
    volume_map_init(&image->map);
    image->has_fs[FS_ISO9660] = options->iso9660 != 0;
    image->has_fs[FS_JOLIET] = options->iso9660 && options->joliet;
    image->data_lba = calloc(tree_node_id_limit(tree), sizeof(*image->data_lba));
    image->directory_index[FS_ISO9660] = calloc(tree_node_id_limit(tree), sizeof(uint32_t));
    image->directory_index[FS_JOLIET] = calloc(tree_node_id_limit(tree), sizeof(uint32_t));
    if (!image->data_lba || !image->directory_index[FS_ISO9660] ||
        !image->directory_index[FS_JOLIET]) {
        fsi_image_destroy(image);
        return FSI_E_OUT_OF_MEMORY;
    }

    status = lay_out(image, tree);
    if (status != FSI_OK) {
        fsi_image_destroy(image);
        return status;
    }
    *out = image;
    return FSI_OK;
}

/* 1 when an in-place layout may be tried: ISO 9660 (and Joliet), UDF, or both (the bridge);
   no boot images. */
static int may_be_in_place(const struct fsi_image_options *options)
{
    return options->in_place && options->base && !options->boot_entry_count &&
           (options->iso9660 || options->udf_revision);
}

enum fsi_status fsi_image_create(const struct fsi_tree *tree,
                                 const struct fsi_image_options *options,
                                 struct fsi_image **out)
{
    struct fsi_image_options fallback;
    enum fsi_status status;

    if (!tree || !options || !out)
        return FSI_E_INVALID_ARGUMENT;
    *out = NULL;
    if (options->iso9660_level < 1 || options->iso9660_level > 3)
        return FSI_E_INVALID_ARGUMENT;
    if ((!options->iso9660 && !options->udf_revision) || (options->joliet && !options->iso9660) ||
        (options->udf_revision && !fsi_udf_revision_is_supported(options->udf_revision)) ||
        eltorito_check_options(options) != FSI_OK)
        return FSI_E_INVALID_ARGUMENT;
    if (may_be_in_place(options)) {
        uint32_t switches[SWITCH_SYSTEMS] = { 0 }, first = 0;
        status = create(tree, options, 1, out);
        /* Safe only when, in each file system, one sector its old tree reads switches it to
           its new tree. */
        if (status == FSI_OK)
            status = modified_switch_count(*out, switches, &first);
        if (status == FSI_OK && switches[0] <= 1 && switches[1] <= 1 && switches[2] <= 1)
            return FSI_OK;
        fsi_image_destroy(*out);
        *out = NULL;
        if (status == FSI_E_OUT_OF_MEMORY)
            return status;
    }
    fallback = *options;
    if (options->in_place && options->base && !fallback.session_start)
        fallback.session_start = (options->base->sector_count + 31) / 32 * 32;
    return create(tree, &fallback, 0, out);
}

int fsi_image_in_place(const struct fsi_image *image) { return image->in_place; }

void fsi_image_destroy(struct fsi_image *image)
{
    int k;

    if (!image)
        return;
    for (k = 0; k < FS_COUNT; k++) {
        fs_tree_free(&image->fs[k]);
        free(image->directory_index[k]);
    }
    for (k = 0; image->iso_old && k < FS_COUNT; k++)
        iso_usage_free(&image->iso_old[k]);
    free(image->iso_old);
    udf_layout_free(image);
    eltorito_free(image);
    free(image->modified);
    free(image->data_lba);
    volume_map_free(&image->map);
    arena_free(&image->arena);
    free(image);
}

int fsi_udf_revision_is_supported(uint32_t revision)
{
    switch (revision) {
    case FSI_UDF_REVISION_1_02:
    case FSI_UDF_REVISION_1_50:
    case FSI_UDF_REVISION_2_00:
    case FSI_UDF_REVISION_2_01:
    case FSI_UDF_REVISION_2_50:
    case FSI_UDF_REVISION_2_60:
        return 1;
    default:
        return 0;
    }
}

uint32_t fsi_image_sector_count(const struct fsi_image *image) { return image->sector_count; }

size_t layout_extent_of(const struct fsi_image *image, uint32_t sector)
{
    size_t low = 0, high = image->extent_count;

    while (high - low > 1) {
        size_t middle = low + (high - low) / 2;
        if (image->extents[middle].first_sector <= sector)
            low = middle;
        else
            high = middle;
    }
    return low;
}

uint32_t fsi_image_first_sector(const struct fsi_image *image)
{
    return image->options.base ? 0 : image->options.session_start;
}

uint64_t fsi_image_size(const struct fsi_image *image)
{
    return (uint64_t)(image->sector_count - fsi_image_first_sector(image)) * ECMA119_SECTOR_SIZE;
}

size_t fsi_image_extent_count(const struct fsi_image *image) { return image->extent_count; }

void fsi_image_extent(const struct fsi_image *image, size_t index, struct fsi_extent_info *info)
{
    const struct extent *extent = &image->extents[index];

    info->first_sector = extent->first_sector;
    info->sector_count = extent->sector_count;
    info->file = extent->file;
    info->file_size = extent->file ? extent->file->size : 0;
    switch (extent->content) {
    case CONTENT_ZERO: info->kind = FSI_EXTENT_ZERO; break;
    case CONTENT_DISC: info->kind = FSI_EXTENT_DISC; break;
    case CONTENT_FILE:
    case CONTENT_BOOT_IMAGE: info->kind = FSI_EXTENT_FILE; break;
    default: info->kind = FSI_EXTENT_METADATA; break;
    }
    info->hierarchy = FSI_HIERARCHY_NONE;
    switch (extent->content) {
    case CONTENT_ZERO:
        info->part = extent->first_sector >= image->options.session_start &&
                             extent->first_sector <
                                 image->options.session_start + ECMA119_SYSTEM_AREA_SECTORS
                         ? FSI_PART_SYSTEM_AREA
                         : FSI_PART_UNUSED;     /* gaps, and earlier sessions' sectors */
        break;
    case CONTENT_BOOT_CATALOG: info->part = FSI_PART_BOOT_CATALOG; break;
    case CONTENT_DISC: info->part = FSI_PART_KEPT; break;
    case CONTENT_ALIAS:
        info->part = extent->fs == ALIAS_ANCHOR     ? FSI_PART_UDF_DESCRIPTORS
                     : extent->fs == ALIAS_FILE_SET ? FSI_PART_UDF_FILE_SET
                                                    : FSI_PART_VOLUME_DESCRIPTORS;
        break;
    case CONTENT_BOOT_IMAGE:
        info->part = FSI_PART_BOOT_IMAGE;
        info->file = NULL;      /* not a file of the tree */
        break;
    case CONTENT_VOLUME_DESCRIPTOR:
    case CONTENT_BOOT_RECORD:
    case CONTENT_TERMINATOR: info->part = FSI_PART_VOLUME_DESCRIPTORS; break;
    case CONTENT_PATH_TABLE:
    case CONTENT_DIRECTORY:
        info->part = extent->content == CONTENT_PATH_TABLE ? FSI_PART_PATH_TABLES
                                                           : FSI_PART_DIRECTORIES;
        info->hierarchy = extent->fs == FS_JOLIET ? FSI_HIERARCHY_JOLIET : FSI_HIERARCHY_ISO9660;
        break;
    case CONTENT_UDF: udf_extent_part(extent, info); break;
    default: info->part = FSI_PART_FILE_DATA; break;
    }
}

const uint16_t *fsi_image_volume_name(const struct fsi_image *image, size_t *length)
{
    *length = image->volume_name_length;
    return image->volume_name;
}
