/*
 * The UDF layout (udf_layout.h): directories breadth first with their entries in name order and
 * their names in CS0 (udf_names.h decides them), the blocks of every file entry and identifier
 * stream in the metadata area, the fixed areas (recognition sequence, volume descriptor
 * sequences, integrity sequence, anchors), the space bitmaps and, from 2.50, the metadata
 * partition's files. It places; what the blocks hold is udf_render.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "ecma167.h"
#include "udf_descriptor.h"
#include "udf_layout.h"
#include "udf_names.h"
#include "import_internal.h"

#define VDS_SECTORS 16              /* each volume descriptor sequence's extent */
/* Sectors from the session's start (session_start): */
#define MAIN_VDS_SECTOR 32
#define RESERVE_VDS_SECTOR (MAIN_VDS_SECTOR + VDS_SECTORS)
#define INTEGRITY_SECTOR (RESERVE_VDS_SECTOR + VDS_SECTORS)
#define INTEGRITY_SECTORS 2
#define PARTITION_START (UDF_ANCHOR_SECTOR + 1)
#define FIRST_UNIQUE_ID 16          /* UDF 2.60 3.2.1.1: 1-15 are reserved, the root has 0 */
#define METADATA_ALLOCATION_UNIT 32 /* blocks; the metadata partition map's allocation unit */
#define PARENT_FID_SIZE UDF_FID_SIZE(0, 0)

static uint32_t blocks_for(uint64_t bytes)
{
    return (uint32_t)((bytes + UDF_SECTOR_SIZE - 1) / UDF_SECTOR_SIZE);
}

static struct fsi_node *tree_root(const struct fsi_tree *tree)
{
    return (struct fsi_node *)&tree->root;
}

uint32_t udf_partition_start(const struct fsi_image *image)
{
    return image->udf ? image->udf->partition_start : 0;
}

uint32_t udf_area_start(const struct fsi_image *image)
{
    return image->udf ? image->udf->partition_start + image->udf->area_block : 0;
}

/* The next unique id: the low 32 bits, which identifiers record, skip 0-15 when they wrap
   (UDF 2.60 3.2.1.1). */
static uint64_t take_unique_id(struct udf_volume *udf)
{
    if ((udf->next_unique_id & 0xFFFFFFFFu) < FIRST_UNIQUE_ID)
        udf->next_unique_id = (udf->next_unique_id & ~(uint64_t)0xFFFFFFFFu) + FIRST_UNIQUE_ID;
    return udf->next_unique_id++;
}

int udf_can_point_at(const struct fsi_image *image, const struct fsi_node *node)
{
    const struct udf_volume *udf = image->udf;
    uint32_t session = image->options.session_start;
    uint64_t left = node->size, descriptors = 0;
    size_t i, fixed, size;

    if (!udf || !session || !node->disc_extent_count || !left)
        return 0;
    for (i = 0; i < node->disc_extent_count && left; i++) {
        const struct fsi_disc_extent *x = &node->disc_extents[i];
        uint64_t bytes = (uint64_t)x->sector_count * UDF_SECTOR_SIZE;
        if (bytes > left)
            bytes = left;
        if (!bytes || x->first_sector < udf->partition_start ||
            (uint64_t)x->first_sector + blocks_for(bytes) > session)
            return 0;
        descriptors += (bytes + UDF_MAX_EXTENT_BYTES - 1) / UDF_MAX_EXTENT_BYTES;
        left -= bytes;
    }
    if (left)
        return 0;
    /* Every descriptor in the entry's one block (no allocation extent descriptors). */
    fixed = node->stream_owner || (udf->streams && node->stream_count) ? UDF_EFE_FIXED_SIZE
                                                                        : UDF_FE_FIXED_SIZE;
    size = udf->metadata_partition ? sizeof(struct udf_long_ad) : sizeof(struct udf_short_ad);
    return descriptors * size <= UDF_SECTOR_SIZE - fixed;
}

int udf_data_in_place(const struct fsi_image *image, const struct fsi_node *node)
{
    if (image->udf && image->udf->in_place)
        return image->udf->data_kept[node->id];
    return image->options.session_start && node->size && node->disc_extent_count &&
           image->data_lba[node->id] < image->options.session_start;
}

void udf_layout_free(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;

    if (!udf)
        return;
    free(udf->dirs);
    free(udf->fe_block);
    free(udf->unique_id);
    free(udf->dir_index);
    free(udf->stream_dir_index);
    free(udf->fe_nodes);
    free(udf->data_kept);
    free(udf->old_tree);
    free(udf);
    image->udf = NULL;
}

static int compare_entries(const void *a, const void *b)
{
    const struct fsi_node *x = ((const struct udf_entry *)a)->node;
    const struct fsi_node *y = ((const struct udf_entry *)b)->node;
    return udf_name_order(x->name, x->name_length, y->name, y->name_length);
}

/*
 * Entries of `dir` (a directory's children, or a stream directory's streams) in name order with
 * their CS0 names (udf_names.h) and identifier offsets.
 */
static enum fsi_status build_entries(struct fsi_image *image, struct udf_dir *dir)
{
    const struct fsi_node *node = dir->node;
    struct fsi_node *const *children = dir->owner ? node->streams : node->children;
    uint32_t count = dir->owner ? node->stream_count : node->child_count;
    uint32_t i, offset = PARENT_FID_SIZE;
    struct udf_name *names;
    enum fsi_status status;

    dir->entry_count = count;
    dir->stream_size = offset;
    if (!count)
        return FSI_OK;
    dir->entries = arena_alloc(&image->arena, count * sizeof(*dir->entries));
    names = malloc(count * sizeof(*names));
    if (!dir->entries || !names) {
        free(names);
        return FSI_E_OUT_OF_MEMORY;
    }
    for (i = 0; i < count; i++) {
        memset(&dir->entries[i], 0, sizeof(dir->entries[i]));
        dir->entries[i].node = children[i];
    }
    if (dir->entry_count > 1)
        qsort(dir->entries, dir->entry_count, sizeof(*dir->entries), compare_entries);
    for (i = 0; i < dir->entry_count; i++) {
        names[i].text = dir->entries[i].node->name;
        names[i].length = dir->entries[i].node->name_length;
    }
    status = udf_names_assign(names, dir->entry_count, &image->arena);
    for (i = 0; i < dir->entry_count && status == FSI_OK; i++) {
        dir->entries[i].name = names[i].cs0;
        dir->entries[i].name_size = names[i].size;
        dir->entries[i].fid_offset = offset;
        offset += UDF_FID_SIZE(0, dir->entries[i].name_size);
        if (dir->entries[i].node->is_directory)
            dir->subdirectory_count++;
    }
    free(names);
    dir->stream_size = offset;
    return status;
}

/* Every directory, breadth first, with its entries; then the files' stream directories. */
static enum fsi_status build_dirs(struct fsi_image *image, const struct fsi_tree *tree)
{
    struct udf_volume *udf = image->udf;
    struct fsi_node *node;
    uint32_t count = 1, i, j, directories;
    enum fsi_status status;

    for (node = tree_root(tree); node; node = tree_next_in_subtree(tree_root(tree), node))
        if (node != tree_root(tree)) {
            if (node->is_directory)
                count++;
            else
                udf->file_count++;
            if (udf->streams && node->stream_count)
                count++;
        }
    udf->dirs = calloc(count, sizeof(*udf->dirs));
    if (!udf->dirs)
        return FSI_E_OUT_OF_MEMORY;
    udf->dirs[0].node = tree_root(tree);
    udf->dir_count = 1;
    for (i = 0; i < udf->dir_count; i++) {
        struct udf_dir *dir = &udf->dirs[i];
        udf->dir_index[dir->node->id] = i;
        status = build_entries(image, dir);
        if (status != FSI_OK)
            return status;
        for (j = 0; j < dir->entry_count; j++)
            if (dir->entries[j].node->is_directory) {
                struct udf_dir *sub = &udf->dirs[udf->dir_count++];
                sub->node = dir->entries[j].node;
                sub->parent = i;
                dir = &udf->dirs[i];
            }
    }
    directories = udf->directory_count = udf->dir_count;
    for (i = 0; udf->streams && i < directories; i++)
        for (j = 0; j < udf->dirs[i].entry_count; j++) {
            struct fsi_node *file = udf->dirs[i].entries[j].node;
            struct udf_dir *streams;
            if (file->is_directory || !file->stream_count)
                continue;
            streams = &udf->dirs[udf->dir_count];
            streams->node = streams->owner = file;
            streams->parent = i;
            udf->stream_dir_index[file->id] = udf->dir_count++;
            status = build_entries(image, streams);
            if (status != FSI_OK)
                return status;
        }
    return FSI_OK;
}

/* Gives the nodes fe_nodes[from .. fe_count) their blocks from *block on and unique ids. */
static void number_entries(struct udf_volume *udf, uint32_t from, uint32_t *block)
{
    uint32_t j;

    for (j = from; j < udf->fe_count; j++) {
        udf->fe_block[udf->fe_nodes[j]->id] = *block;
        udf->unique_id[udf->fe_nodes[j]->id] =
            udf->fe_nodes[j] == udf->dirs[0].node ? 0 : take_unique_id(udf);
        (*block)++;
    }
}

static enum fsi_status reserve_piece(struct fsi_image *image, uint32_t sector, uint32_t count,
                                     enum udf_piece piece, uint32_t index)
{
    struct extent extent = { sector, count, CONTENT_UDF, (uint8_t)piece, index, NULL };
    return volume_map_reserve(&image->map, &extent);
}

/* Blocks of a space bitmap descriptor for `bits` blocks. */
static uint32_t bitmap_blocks_for(uint64_t bits)
{
    return blocks_for(UDF_SBD_FIXED_SIZE + (bits + 7) / 8);
}

/* The recognition sequence, both volume descriptor sequences, the integrity sequence, the
   anchor at `anchor` and the file set descriptor, where udf_volume says (a first session's
   places, a later session's, or in place the old volume's). */
static enum fsi_status reserve_fixed_areas(struct fsi_image *image, uint32_t anchor)
{
    const struct udf_volume *udf = image->udf;
    enum fsi_status status;

    status = reserve_piece(image, udf->recognition_sector, 3, UDF_PIECE_RECOGNITION, 0);
    if (status == FSI_OK)
        status = reserve_piece(image, udf->vds_sector[0], VDS_SECTORS,
                               UDF_PIECE_VOLUME_SEQUENCE, 0);
    if (status == FSI_OK)
        status = reserve_piece(image, udf->vds_sector[1], VDS_SECTORS,
                               UDF_PIECE_VOLUME_SEQUENCE, 1);
    if (status == FSI_OK)
        status = reserve_piece(image, udf->integrity_sector, INTEGRITY_SECTORS,
                               UDF_PIECE_INTEGRITY, 0);
    if (status == FSI_OK)
        status = reserve_piece(image, anchor, 1, UDF_PIECE_ANCHOR, 0);
    if (status == FSI_OK)
        status = reserve_piece(image, udf->partition_start + udf->file_set_block, 2,
                               UDF_PIECE_FILE_SET, 0);
    return status;
}

/* A stream directory: its file entry, its streams' entries, its identifiers. */
static enum fsi_status place_stream_directory(struct fsi_image *image, uint32_t index,
                                              uint32_t *block)
{
    struct udf_volume *udf = image->udf;
    struct udf_dir *dir = &udf->dirs[index];
    uint32_t start = udf->partition_start, run = udf->fe_count, first, j;
    enum fsi_status status;

    dir->fe_block = *block;
    dir->unique_id = take_unique_id(udf);
    status = reserve_piece(image, start + *block, 1, UDF_PIECE_STREAM_DIRECTORY_ENTRY, index);
    (*block)++;
    first = *block;
    for (j = 0; j < dir->entry_count; j++)
        udf->fe_nodes[udf->fe_count++] = dir->entries[j].node;
    number_entries(udf, run, block);
    if (status == FSI_OK)
        status = reserve_piece(image, start + first, *block - first, UDF_PIECE_FILE_ENTRIES, run);
    dir->stream_block = *block;
    if (status == FSI_OK)
        status = reserve_piece(image, start + *block, blocks_for(dir->stream_size),
                               UDF_PIECE_DIRECTORY, index);
    *block += blocks_for(dir->stream_size);
    return status;
}

/*
 * The metadata area from block `block` on: for each directory its file entry and those of its
 * files in one run, then its identifiers and a block of slack, then its files' stream
 * directories. Returns the next block.
 */
static enum fsi_status place_metadata(struct fsi_image *image, uint32_t *block)
{
    struct udf_volume *udf = image->udf;
    uint32_t start = udf->partition_start, i, j;
    enum fsi_status status;

    for (i = 0; i < udf->dir_count; i++) {
        struct udf_dir *dir = &udf->dirs[i];
        uint32_t run = udf->fe_count, first = *block;
        if (dir->owner)
            continue;       /* placed after its file's directory */
        udf->fe_nodes[udf->fe_count++] = dir->node;
        for (j = 0; j < dir->entry_count; j++)
            if (!dir->entries[j].node->is_directory)
                udf->fe_nodes[udf->fe_count++] = dir->entries[j].node;
        number_entries(udf, run, block);
        status = reserve_piece(image, start + first, *block - first, UDF_PIECE_FILE_ENTRIES, run);
        if (status != FSI_OK)
            return status;
        dir->stream_block = *block;
        status = reserve_piece(image, start + *block, blocks_for(dir->stream_size),
                               UDF_PIECE_DIRECTORY, i);
        *block += blocks_for(dir->stream_size);
        if (status == FSI_OK)
            status = reserve_piece(image, start + *block, 1, UDF_PIECE_SLACK, 0);
        *block += 1;
        for (j = 0; j < dir->entry_count && status == FSI_OK; j++) {
            const struct fsi_node *file = dir->entries[j].node;
            if (udf->streams && !file->is_directory && file->stream_count)
                status = place_stream_directory(image, udf->stream_dir_index[file->id], block);
        }
        if (status != FSI_OK)
            return status;
    }
    return FSI_OK;
}

enum fsi_status udf_layout_place_streams(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;
    enum fsi_status status = FSI_OK;
    uint32_t i, j;

    for (i = 0; i < udf->dir_count && status == FSI_OK; i++)
        for (j = 0; udf->dirs[i].owner && j < udf->dirs[i].entry_count && status == FSI_OK; j++)
            status = layout_place_file_data(image, udf->dirs[i].entries[j].node,
                                            udf_area_start(image));
    return status;
}

/* ---- In place over the base disc's volume (udf_layout.h) ---- */

#define NOT_IN_PLACE FSI_E_NOT_IMPLEMENTED

static int compare_runs(const void *a, const void *b)
{
    const struct fsi_disc_extent *x = a, *y = b;
    return x->first_sector < y->first_sector ? -1 : x->first_sector > y->first_sector;
}

int udf_sector_in_old_tree(const struct fsi_image *image, uint32_t sector)
{
    const struct udf_volume *udf = image->udf;
    size_t low = 0, high;

    if (!udf || !udf->in_place)
        return 0;
    high = udf->old_tree_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const struct fsi_disc_extent *x = &udf->old_tree[middle];
        if (sector < x->first_sector)
            high = middle;
        else if (sector - x->first_sector >= x->sector_count)
            low = middle + 1;
        else
            return 1;
    }
    return 0;
}

uint32_t udf_mirrored_sector(const struct fsi_image *image, uint32_t mirror)
{
    return mirror - image->udf->mirror_block + image->udf->area_block;
}

/* Reserves the parts of [first, first + count) nothing has taken yet (volume_map.h). */
static enum fsi_status reserve_free_parts(struct fsi_image *image, uint32_t first, uint32_t count,
                                          uint8_t content, uint32_t index)
{
    return volume_map_reserve_free(&image->map, first, count, content, index);
}

/* The sectors the old tree reads, sorted and merged: its entries, their data and identifiers,
   the file set descriptor. */
static enum fsi_status collect_old_tree(struct udf_volume *udf, const struct udf_usage *usage)
{
    size_t n = usage->entry_count + usage->run_count + 1, i, count = 0;
    struct fsi_disc_extent *x = malloc(n * sizeof(*x));

    if (!x)
        return FSI_E_OUT_OF_MEMORY;
    for (i = 0; i < usage->entry_count; i++) {
        x[count].first_sector = usage->entries[i].sector;
        x[count++].sector_count = 1;
    }
    for (i = 0; i < usage->run_count; i++)
        if (usage->runs[i].sector_count)
            x[count++] = usage->runs[i];
    x[count].first_sector = usage->partition_start + usage->file_set_block;
    x[count++].sector_count = usage->file_set_blocks;
    qsort(x, count, sizeof(*x), compare_runs);
    for (i = 0, n = 0; i < count; i++) {
        uint64_t end = (uint64_t)x[i].first_sector + x[i].sector_count;
        if (n && (uint64_t)x[n - 1].first_sector + x[n - 1].sector_count >= x[i].first_sector) {
            uint64_t last = (uint64_t)x[n - 1].first_sector + x[n - 1].sector_count;
            if (end > last)
                x[n - 1].sector_count = (uint32_t)(end - x[n - 1].first_sector);
        } else {
            x[n++] = x[i];
        }
    }
    udf->old_tree = x;
    udf->old_tree_count = n;
    return FSI_OK;
}

/* 1 when the disc's volume recognition sequence is BEA01, NSR0x, TEA01 at `first`: at 16, UDF
   alone, no ISO 9660 whose structures the UDF walk would not see; after the ISO 9660 set (the
   bridge), that set's hierarchies are the ISO 9660 layout's to keep (layout.c). */
static int recognition_at(const struct fsi_disc *disc, uint32_t first)
{
    static const char *const expected[3][2] = { { UDF_VSD_BEA01, UDF_VSD_BEA01 },
                                                { UDF_VSD_NSR02, UDF_VSD_NSR03 },
                                                { UDF_VSD_TEA01, UDF_VSD_TEA01 } };
    uint8_t sector[UDF_SECTOR_SIZE];
    uint32_t i;

    for (i = 0; i < 3; i++)
        if (first + i >= disc->sector_count ||
            disc->read(disc->context, first + i, 1, sector) != FSI_OK ||
            (memcmp(sector + 1, expected[i][0], UDF_VSD_IDENTIFIER_SIZE) &&
             memcmp(sector + 1, expected[i][1], UDF_VSD_IDENTIFIER_SIZE)))
            return 0;
    return 1;
}

/* 1 when the old volume's metadata partition is as a first session of this writer has it:
   the metadata file one extent from partition block 0 (so metadata block n is partition block
   n), within one allocation descriptor; the mirror a copy after it, or the same extent, as the
   new image asks; the bitmap file covering the metadata file's blocks; the three entries in
   the order render_metadata_files records them, after the metadata file. */
static int metadata_fits(const struct fsi_image *image, const struct udf_usage *u)
{
    const struct udf_usage_metadata *m = &u->metadata;

    if (m->file_block != 0 || m->blocks < 2 ||
        (uint64_t)m->blocks * UDF_SECTOR_SIZE > UDF_MAX_EXTENT_BYTES ||
        m->duplicate != image->udf->redundant_metadata ||
        (m->duplicate ? m->mirror_block < m->blocks : m->mirror_block != m->file_block) ||
        m->mirror_entry != m->bitmap_entry + 1 || m->file_entry != m->bitmap_entry + 2 ||
        m->bitmap_entry < m->blocks || m->bitmap_block < m->blocks ||
        u->bitmap_block < m->blocks ||
        m->bitmap_bytes != UDF_SBD_FIXED_SIZE + (m->blocks + 7) / 8)
        return 0;
    return (uint64_t)m->file_entry < u->partition_length &&
           (uint64_t)m->mirror_block + m->blocks <= u->partition_length &&
           (uint64_t)m->bitmap_block + blocks_for(m->bitmap_bytes) <= u->partition_length;
}

/* 1 when the volume on the disc is laid out as this writer lays out a first session, so that
   the new volume's fixed areas can stay where the old one has them. */
static int old_volume_fits(const struct fsi_image *image, const struct udf_usage *u,
                           uint32_t recognition_sector)
{
    const struct udf_volume *udf = image->udf;
    uint32_t i;

    /* UDF alone: the sequence at 16. The bridge: where this layout puts it, after the ISO 9660
       set the ISO 9660 layout found where it puts it. */
    if (!recognition_at(image->options.base, recognition_sector) ||
        (!image->options.iso9660 && recognition_sector != UDF_VRS_FIRST_SECTOR))
        return 0;

    /* The descriptor sequences where a first session has them, or where a later session (v0)
       put them, with the file set descriptor in its area (its copy at block 0 is kept). */
    if (!u->plain || !u->anchor_256 || u->partition_start != PARTITION_START ||
        u->main_vds_sectors != VDS_SECTORS || u->reserve_vds_sectors != VDS_SECTORS ||
        u->integrity_sectors != INTEGRITY_SECTORS || u->main_vds < MAIN_VDS_SECTOR ||
        u->reserve_vds != u->main_vds + VDS_SECTORS ||
        u->integrity != u->reserve_vds + VDS_SECTORS ||
        (u->main_vds != MAIN_VDS_SECTOR && u->file_set_block < 2) ||
        u->file_set_blocks != 2 || !u->bitmap_bytes || u->bitmap_block < 2 ||
        (uint64_t)u->file_set_block + 2 > u->partition_length ||
        u->last_anchor != u->partition_start + u->partition_length)
        return 0;
    for (i = 0; i < udf->dir_count; i++)
        if (udf->dirs[i].owner)
            return 0;       /* named streams: their stream directories are not taken over */
    return udf->metadata_partition == u->has_metadata &&
           (!u->has_metadata || metadata_fits(image, u));
}

/* The usage entry whose file entry `node` may keep, or NULL (claimed: one node per entry). */
static const struct udf_usage_entry *kept_entry(const struct udf_volume *udf,
                                                const struct udf_usage *u, uint8_t *claimed,
                                                const struct fsi_node *node)
{
    const struct udf_usage_entry *e;

    if (!node->udf_entry_sector)
        return NULL;
    e = udf_usage_find(u, node->udf_entry_sector);
    if (!e || claimed[e - u->entries] || e->unique_id != node->udf_unique_id ||
        e->is_directory != node->is_directory || e->sector < udf->partition_start ||
        e->sector - udf->partition_start >= u->partition_length)
        return NULL;
    claimed[e - u->entries] = 1;
    return e;
}

/* 1 when a file's data may be pointed at where the old entry `e` has it. */
static int data_matches(const struct fsi_image *image, const struct udf_usage *u,
                        const struct udf_usage_entry *e, const struct fsi_node *node)
{
    uint32_t i;

    size_t ad = image->udf->metadata_partition ? sizeof(struct udf_long_ad)
                                               : sizeof(struct udf_short_ad);

    if (!node->size || node->size != e->length || !e->run_count ||
        node->disc_extent_count != e->run_count || !node->disc_extents ||
        !import_node_reads_disc(node, image->options.base) ||
        e->run_count * ad > UDF_SECTOR_SIZE - UDF_FE_FIXED_SIZE)
        return 0;
    for (i = 0; i < e->run_count; i++) {
        const struct fsi_disc_extent *a = &node->disc_extents[i], *b = &u->runs[e->first_run + i];
        if (a->first_sector != b->first_sector || a->sector_count != b->sector_count ||
            a->first_sector < image->udf->partition_start ||
            !volume_map_is_free(&image->map, a->first_sector, a->sector_count))
            return 0;
    }
    return 1;
}

/* 1 when directory `index`, its stream placed at the old one's, renders as the disc has it. */
static int stream_unchanged(const struct fsi_image *image, uint32_t index,
                            const struct udf_usage *u, const struct udf_usage_entry *e)
{
    struct udf_volume *udf = image->udf;
    struct udf_dir *dir = &udf->dirs[index];
    const struct fsi_disc *disc = image->options.base;
    uint8_t mine[UDF_SECTOR_SIZE], theirs[UDF_SECTOR_SIZE];
    const struct fsi_disc_extent *run;
    uint32_t blocks = blocks_for(dir->stream_size), i;

    if (e->run_count != 1 || e->length != dir->stream_size)
        return 0;
    run = &u->runs[e->first_run];
    if (run->sector_count != blocks || run->first_sector < udf->partition_start ||
        !volume_map_is_free(&image->map, run->first_sector, blocks))
        return 0;
    dir->stream_block = run->first_sector - udf->partition_start;
    for (i = 0; i < blocks; i++) {
        udf_render_directory_sector(udf, index, i, mine);
        if (disc->read(disc->context, run->first_sector + i, 1, theirs) != FSI_OK ||
            memcmp(mine, theirs, UDF_SECTOR_SIZE))
            return 0;
    }
    return 1;
}

static enum fsi_status reserve_entry(struct fsi_image *image, uint32_t position)
{
    struct udf_volume *udf = image->udf;
    return reserve_piece(image, udf->partition_start + udf->fe_block[udf->fe_nodes[position]->id],
                         1, UDF_PIECE_FILE_ENTRIES, position);
}

/* 1 when every one of `runs` lies on the disc of `sectors` sectors: what is kept must be there. */
static int within_disc(const struct fsi_disc_extent *runs, size_t count, uint32_t sectors)
{
    size_t i;

    for (i = 0; i < count; i++)
        if ((uint64_t)runs[i].first_sector + runs[i].sector_count > sectors)
            return 0;
    return 1;
}

/* 2.50+: the metadata partition's files where the old volume has them (metadata_fits): their
   entries are kept (the old volume's used sectors), the metadata bitmap is rendered anew. */
static enum fsi_status begin_metadata_in_place(struct fsi_image *image, const struct udf_usage *u)
{
    struct udf_volume *udf = image->udf;
    const struct udf_usage_metadata *m = &u->metadata;

    udf->metadata_base = 0;
    udf->metadata_blocks = m->blocks;
    udf->metadata_files_block = m->bitmap_entry;
    udf->metadata_bitmap_block = m->bitmap_block;
    udf->metadata_bitmap_blocks = blocks_for(m->bitmap_bytes);
    udf->mirror_block = m->mirror_block;
    return reserve_piece(image, udf->partition_start + m->bitmap_block,
                         udf->metadata_bitmap_blocks, UDF_PIECE_METADATA_BITMAP, 0);
}

/* A new file entry or identifier stream: in the partition's free space or, from 2.50, in the
   metadata file's (which does not grow in place). */
static enum fsi_status allocate_metadata(struct fsi_image *image, struct extent *extent)
{
    const struct udf_volume *udf = image->udf;
    enum fsi_status status = volume_map_allocate(&image->map, udf->partition_start, extent);

    if (status == FSI_OK && udf->metadata_partition &&
        (uint64_t)extent->first_sector + extent->sector_count >
            (uint64_t)udf->partition_start + udf->metadata_blocks)
        return NOT_IN_PLACE;
    return status;
}

/* 2.50+, once the metadata is placed: the metadata file's free blocks stay as the disc has
   them (free in its bitmap), so no data goes there; a redundant mirror copies, block for block,
   what is new in the metadata file and keeps what is kept (the old mirror's copy). Anything but
   UDF's own structures in the metadata file leaves the volume to a new session. */
static enum fsi_status end_metadata_in_place(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;
    uint32_t first = udf->partition_start, end = first + udf->metadata_blocks;
    enum fsi_status status = reserve_free_parts(image, first, udf->metadata_blocks,
                                                CONTENT_DISC, 1);
    size_t i, count = image->map.extent_count;

    for (i = 0; i < count && status == FSI_OK; i++) {
        struct extent e = image->map.extents[i], copy;
        uint32_t from, to;
        if (e.first_sector >= end || e.first_sector + e.sector_count <= first)
            continue;
        if (e.content != CONTENT_UDF && e.content != CONTENT_DISC)
            return NOT_IN_PLACE;
        if (!udf->redundant_metadata)
            continue;
        from = e.first_sector < first ? first : e.first_sector;
        to = e.first_sector + e.sector_count > end ? end : e.first_sector + e.sector_count;
        memset(&copy, 0, sizeof(copy));
        copy.first_sector = from - first + udf->partition_start + udf->mirror_block;
        copy.sector_count = to - from;
        copy.content = e.content;
        copy.fs = e.content == CONTENT_UDF ? UDF_PIECE_MIRROR : 0;
        status = volume_map_reserve(&image->map, &copy);
    }
    return status;
}

static enum fsi_status begin_in_place(struct fsi_image *image, uint32_t limit,
                                      uint32_t recognition_sector)
{
    struct udf_volume *udf = image->udf;
    struct udf_usage u;
    uint32_t start = PARTITION_START, i, j;
    uint8_t *claimed = NULL, *entry_kept = NULL, *stream_kept = NULL;
    enum fsi_status status = udf_read_usage(image->options.base, &u);

    if (status != FSI_OK)
        return status == FSI_E_OUT_OF_MEMORY ? status : NOT_IN_PLACE;
    if (!old_volume_fits(image, &u, recognition_sector) ||
        !within_disc(u.used, u.used_count, image->options.base->sector_count)) {
        udf_usage_free(&u);
        return NOT_IN_PLACE;
    }
    udf->in_place = 1;
    udf->partition_start = start;
    udf->area_block = 0;
    udf->file_set_block = u.file_set_block;
    udf->recognition_sector = recognition_sector;
    udf->vds_sector[0] = u.main_vds;
    udf->vds_sector[1] = u.reserve_vds;
    udf->integrity_sector = u.integrity;
    udf->bitmap_block = u.bitmap_block;
    udf->bitmap_blocks = blocks_for(u.bitmap_bytes);
    udf->old_anchor = u.last_anchor;
    memcpy(udf->file_set_time, u.file_set_time, sizeof(udf->file_set_time));
    if (u.next_unique_id > udf->next_unique_id)
        udf->next_unique_id = u.next_unique_id;
    udf->data_kept = calloc(limit, 1);
    claimed = calloc(u.entry_count + 1, 1);
    entry_kept = calloc(limit, 1);
    stream_kept = calloc(udf->dir_count + 1, 1);
    if (!udf->data_kept || !claimed || !entry_kept || !stream_kept)
        status = FSI_E_OUT_OF_MEMORY;

    /* The fixed areas where the old volume has them. */
    if (status == FSI_OK)
        status = reserve_fixed_areas(image, UDF_ANCHOR_SECTOR);
    /* A later session's copy of its file set descriptor at block 0 (session_head.h), for
       readers that look there: kept, and allocated. */
    if (status == FSI_OK && udf->file_set_block)
        status = reserve_free_parts(image, start, 2, CONTENT_DISC, 0);
    if (status == FSI_OK)
        status = reserve_piece(image, start + udf->bitmap_block, udf->bitmap_blocks,
                               UDF_PIECE_SPACE_BITMAP, 0);
    /* The old last anchor: the new one when nothing grows past it, else kept. */
    if (status == FSI_OK)
        status = reserve_piece(image, udf->old_anchor, 1, UDF_PIECE_ANCHOR, 1);
    if (status == FSI_OK && udf->metadata_partition)
        status = begin_metadata_in_place(image, &u);

    /* Every node in the order of a first session; those imported from this volume keep their
       entry's block and id, and files their data. */
    for (i = 0; i < udf->dir_count && status == FSI_OK; i++) {
        struct udf_dir *dir = &udf->dirs[i];
        udf->fe_nodes[udf->fe_count++] = dir->node;
        for (j = 0; j < dir->entry_count; j++)
            if (!dir->entries[j].node->is_directory)
                udf->fe_nodes[udf->fe_count++] = dir->entries[j].node;
    }
    for (i = 0; i < udf->fe_count && status == FSI_OK; i++) {
        struct fsi_node *node = udf->fe_nodes[i];
        const struct udf_usage_entry *e = kept_entry(udf, &u, claimed, node);
        if (!e)
            continue;
        udf->fe_block[node->id] = e->sector - start;
        udf->unique_id[node->id] = e->unique_id;
        entry_kept[node->id] = 1;
        status = reserve_entry(image, i);
        if (status == FSI_OK && !node->is_directory && data_matches(image, &u, e, node)) {
            for (j = 0; j < e->run_count && status == FSI_OK; j++) {
                struct extent data = { node->disc_extents[j].first_sector,
                                       node->disc_extents[j].sector_count, CONTENT_DISC, 0, 0,
                                       NULL };
                status = volume_map_reserve(&image->map, &data);
            }
            udf->data_kept[node->id] = 1;
        }
    }
    /* A directory whose entries all kept theirs may keep its identifiers, if they render as
       the disc has them. */
    for (i = 0; i < udf->dir_count && status == FSI_OK; i++) {
        struct udf_dir *dir = &udf->dirs[i];
        const struct udf_usage_entry *e;
        int all = entry_kept[dir->node->id] && entry_kept[udf->dirs[dir->parent].node->id];
        for (j = 0; all && j < dir->entry_count; j++)
            all = entry_kept[dir->entries[j].node->id];
        if (!all)
            continue;
        e = udf_usage_find(&u, udf->partition_start + udf->fe_block[dir->node->id]);
        if (e && stream_unchanged(image, i, &u, e)) {
            stream_kept[i] = 1;
            status = reserve_piece(image, start + dir->stream_block, blocks_for(dir->stream_size),
                                   UDF_PIECE_DIRECTORY, i);
        }
    }
    /* What else the old volume uses stays as it is, and allocated: the bitmap is written before
       the switch, so while the old tree may still be the disc's its blocks must not look free
       to another writer. The next in-place session, whose old tree no longer names them, frees
       them. */
    for (i = 0; i < u.used_count && status == FSI_OK; i++)
        status = reserve_free_parts(image, u.used[i].first_sector, u.used[i].sector_count,
                                    CONTENT_DISC, 0);
    /* The bridge: the ISO 9660 hierarchies' file data too (their metadata is reserved). */
    if (status == FSI_OK && image->options.iso9660)
        status = iso_in_place_reserve_data(image);
    /* New entries and changed identifiers go into free space of the partition. */
    for (i = 0; i < udf->fe_count && status == FSI_OK; i++) {
        struct fsi_node *node = udf->fe_nodes[i];
        struct extent extent = { 0, 1, CONTENT_UDF, UDF_PIECE_FILE_ENTRIES, i, NULL };
        if (entry_kept[node->id])
            continue;
        status = allocate_metadata(image, &extent);
        udf->fe_block[node->id] = extent.first_sector - start;
        udf->unique_id[node->id] = node == udf->dirs[0].node ? 0 : take_unique_id(udf);
    }
    for (i = 0; i < udf->dir_count && status == FSI_OK; i++) {
        struct extent extent = { 0, blocks_for(udf->dirs[i].stream_size), CONTENT_UDF,
                                 UDF_PIECE_DIRECTORY, i, NULL };
        if (stream_kept[i])
            continue;
        status = allocate_metadata(image, &extent);
        udf->dirs[i].stream_block = extent.first_sector - start;
    }
    if (status == FSI_OK && udf->metadata_partition)
        status = end_metadata_in_place(image);
    if (status == FSI_OK)
        status = collect_old_tree(udf, &u);
    free(claimed);
    free(entry_kept);
    free(stream_kept);
    udf_usage_free(&u);
    return status;
}

/* Keeps every gap below the disc's end as the disc has it (free in the new bitmap). */
static enum fsi_status keep_gaps(struct fsi_image *image, uint32_t below)
{
    return reserve_free_parts(image, 0, below, CONTENT_DISC, 1);
}

/* The in-place volume's end: its last anchor where the old one is when nothing lies past it. */
static enum fsi_status end_in_place(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;
    uint32_t end = image->map.end, disc_end = image->options.base->sector_count;
    enum fsi_status status = FSI_OK;
    size_t i;

    if (end > udf->old_anchor + 1) {
        for (i = 0; i < image->map.extent_count; i++) {
            struct extent *e = &image->map.extents[i];
            if (e->content == CONTENT_UDF && e->fs == UDF_PIECE_ANCHOR && e->index == 1) {
                e->content = CONTENT_DISC;  /* kept, and free in the new bitmap */
                e->fs = 0;
                e->index = 1;
            }
        }
        udf->last_anchor_sector = end;
        status = reserve_piece(image, end, 1, UDF_PIECE_ANCHOR, 1);
    } else {
        udf->last_anchor_sector = udf->old_anchor;
    }
    if (status == FSI_OK)
        status = keep_gaps(image, disc_end < udf->last_anchor_sector ? disc_end
                                                                     : udf->last_anchor_sector);
    udf->partition_length = udf->last_anchor_sector - udf->partition_start;
    if (status == FSI_OK &&
        (uint64_t)udf->partition_length + UDF_SBD_FIXED_SIZE * 8 >
            (uint64_t)udf->bitmap_blocks * UDF_SECTOR_SIZE * 8)
        status = NOT_IN_PLACE;      /* the old bitmap's blocks cannot cover the partition */
    return status;
}

enum fsi_status udf_layout_begin(struct fsi_image *image, const struct fsi_tree *tree,
                                 uint32_t recognition_sector, uint64_t other_sectors)
{
    uint32_t limit = tree_node_id_limit(tree), block, used, session = image->options.session_start;
    uint32_t start, area;
    struct udf_volume *udf;
    enum fsi_status status;
    uint64_t estimate;

    /* This session's partition: its own (after the anchor at S + 256), or one an earlier session
       began, which then also holds everything recorded before this session's area. */
    if (session > 0xFFFFFFFFu - 4096)
        return FSI_E_IMAGE_TOO_LARGE;
    start = image->options.udf_partition_start ? image->options.udf_partition_start
                                               : session + PARTITION_START;
    if (start != session + PARTITION_START && (start < PARTITION_START || start > session))
        return FSI_E_INVALID_ARGUMENT;
    area = session + PARTITION_START - start;

    udf = image->udf = calloc(1, sizeof(*udf));
    if (!udf)
        return FSI_E_OUT_OF_MEMORY;
    udf->revision = image->options.udf_revision;
    udf->descriptor_version = udf->revision >= UDF_REVISION_2_00 ? UDF_DESCRIPTOR_VERSION_NSR03
                                                                 : UDF_DESCRIPTOR_VERSION_NSR02;
    udf->metadata_partition = udf->revision >= UDF_REVISION_2_50;
    udf->redundant_metadata = udf->metadata_partition && image->options.udf_redundant_metadata;
    udf->streams = udf->revision >= UDF_REVISION_2_00;
    udf->next_unique_id = image->options.udf_first_unique_id > FIRST_UNIQUE_ID
                              ? image->options.udf_first_unique_id
                              : FIRST_UNIQUE_ID;
    udf->fe_block = calloc(limit, sizeof(uint32_t));
    udf->unique_id = calloc(limit, sizeof(uint64_t));
    udf->dir_index = calloc(limit, sizeof(uint32_t));
    udf->stream_dir_index = calloc(limit, sizeof(uint32_t));
    udf->fe_nodes = calloc(limit, sizeof(*udf->fe_nodes));
    if (!udf->fe_block || !udf->unique_id || !udf->dir_index || !udf->stream_dir_index ||
        !udf->fe_nodes)
        return FSI_E_OUT_OF_MEMORY;
    status = build_dirs(image, tree);
    if (status != FSI_OK)
        return status;
    if (image->in_place)
        return begin_in_place(image, limit, recognition_sector);

    udf->recognition_sector = recognition_sector;
    udf->vds_sector[0] = session + MAIN_VDS_SECTOR;
    udf->vds_sector[1] = session + RESERVE_VDS_SECTOR;
    udf->integrity_sector = session + INTEGRITY_SECTOR;
    udf->partition_start = start;
    udf->area_block = area;
    udf->file_set_block = area;
    if (recognition_sector < session || recognition_sector + 3 > session + MAIN_VDS_SECTOR)
        return FSI_E_INVALID_ARGUMENT;
    status = reserve_fixed_areas(image, session + UDF_ANCHOR_SECTOR);
    if (status != FSI_OK)
        return status;

    /* The bitmap covers the media's room, or all this image can need: it must not move later. */
    estimate = other_sectors + 3 * (uint64_t)udf->dir_count + udf->file_count + 256 + area;
    for (block = 0; block < udf->dir_count; block++)
        estimate += 2 * (uint64_t)blocks_for(udf->dirs[block].stream_size);
    if (udf->metadata_partition)
        estimate *= 2;
    if (image->options.max_sectors > estimate)
        estimate = image->options.max_sectors;
    if (estimate > 0xFFFFFFFFu)
        return FSI_E_IMAGE_TOO_LARGE;
    udf->bitmap_blocks = bitmap_blocks_for(estimate);

    block = area + 2;
    if (!udf->metadata_partition) {
        udf->bitmap_block = block;
        status = reserve_piece(image, start + block, udf->bitmap_blocks,
                               UDF_PIECE_SPACE_BITMAP, 0);
        block += udf->bitmap_blocks;
        if (status == FSI_OK)
            status = place_metadata(image, &block);
        udf->metadata_blocks = block;
        return status;
    }

    /* 2.50+: the metadata area is the metadata file's recorded extent, in whole allocation
       units with at least one unit to spare, then the bitmaps, the mirror and the three file
       entries. */
    status = place_metadata(image, &block);
    if (status != FSI_OK)
        return status;
    used = block - area;
    udf->metadata_blocks = area + (used + 2 * METADATA_ALLOCATION_UNIT - 1) /
                                      METADATA_ALLOCATION_UNIT * METADATA_ALLOCATION_UNIT;
    udf->metadata_base =
        (uint64_t)udf->metadata_blocks * UDF_SECTOR_SIZE <= UDF_MAX_EXTENT_BYTES ? 0 : area;
    status = reserve_piece(image, start + block, udf->metadata_blocks - block, UDF_PIECE_SLACK,
                           0);
    block = udf->metadata_blocks;
    udf->metadata_bitmap_block = block;
    udf->metadata_bitmap_blocks = bitmap_blocks_for(udf->metadata_blocks);
    if (status == FSI_OK)
        status = reserve_piece(image, start + block, udf->metadata_bitmap_blocks,
                               UDF_PIECE_METADATA_BITMAP, 0);
    block += udf->metadata_bitmap_blocks;
    udf->bitmap_block = block;
    if (status == FSI_OK)
        status = reserve_piece(image, start + block, udf->bitmap_blocks,
                               UDF_PIECE_SPACE_BITMAP, 0);
    block += udf->bitmap_blocks;
    udf->mirror_block = udf->metadata_base;
    if (status == FSI_OK && udf->redundant_metadata) {
        udf->mirror_block = block;
        status = reserve_piece(image, start + block, udf->metadata_blocks - area,
                               UDF_PIECE_MIRROR, 0);
        block += udf->metadata_blocks - area;
    }
    /* The three file entries last: a reader that checks what follows the last sector it reads
       (7-Zip) then finds only the closing anchor, even when no file data comes after. */
    udf->metadata_files_block = block;
    if (status == FSI_OK)
        status = reserve_piece(image, start + block, 3, UDF_PIECE_METADATA_FILES, 0);
    return status;
}

enum fsi_status udf_layout_place_files(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;
    enum fsi_status status = FSI_OK;
    uint32_t i, j;

    /* Directories only: the stream directories' entries are placed by udf_layout_place_streams. */
    for (i = 0; i < udf->directory_count && status == FSI_OK; i++)
        for (j = 0; j < udf->dirs[i].entry_count && status == FSI_OK; j++)
            if (!udf->dirs[i].entries[j].node->is_directory)
                status = layout_place_file_data(image, udf->dirs[i].entries[j].node,
                                                udf_area_start(image));
    return status;
}

/* Counts the partition's blocks in zero and slack extents (free), the metadata area's apart;
   nothing below this session's area is free. */
static void count_free_blocks(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;
    uint32_t start = udf->partition_start + udf->area_block;
    uint32_t end = udf->partition_start + udf->partition_length;
    uint32_t meta_end = udf->partition_start + udf->metadata_blocks;
    size_t i;

    udf->free_blocks = 0;
    udf->metadata_free_blocks = 0;
    for (i = 0; i < image->map.extent_count; i++) {
        const struct extent *e = &image->map.extents[i];
        uint32_t first = e->first_sector, last = e->first_sector + e->sector_count;
        int free_here = e->content == CONTENT_ZERO ||
                        (e->content == CONTENT_UDF && e->fs == UDF_PIECE_SLACK) ||
                        (e->content == CONTENT_DISC && e->index == 1);
        if (!free_here || last <= start || first >= end)
            continue;
        if (first < start)
            first = start;
        if (last > end)
            last = end;
        if (udf->metadata_partition && first < meta_end) {
            uint32_t inside_end = last < meta_end ? last : meta_end;
            udf->metadata_free_blocks += inside_end - first;
            first = inside_end;     /* the metadata file's extent is allocated as a whole */
        }
        if (last > first)
            udf->free_blocks += last - first;
    }
}

enum fsi_status udf_layout_end(struct fsi_image *image)
{
    struct udf_volume *udf = image->udf;
    enum fsi_status status;
    uint32_t end = image->map.end;

    if (udf->in_place) {
        status = end_in_place(image);
        if (status == FSI_OK)
            status = volume_map_finish(&image->map, udf->last_anchor_sector + 1);
        if (status == FSI_OK)
            count_free_blocks(image);
        return status;
    }
    /* The partition runs to the sector before the last anchor. */
    if (end < udf->partition_start + 2)
        end = udf->partition_start + 2;
    if (end >= 0xFFFFFFFEu)
        return FSI_E_IMAGE_TOO_LARGE;
    udf->last_anchor_sector = end;
    udf->partition_length = end - udf->partition_start;
    if (udf->partition_length > (uint64_t)udf->bitmap_blocks * UDF_SECTOR_SIZE * 8 -
                                    UDF_SBD_FIXED_SIZE * 8)
        return FSI_E_IMAGE_TOO_LARGE;   /* the estimate was wrong: never a short bitmap */
    status = reserve_piece(image, end, 1, UDF_PIECE_ANCHOR, 1);
    if (status != FSI_OK)
        return status;
    status = volume_map_finish(&image->map, end + 1);
    if (status == FSI_OK)
        count_free_blocks(image);
    return status;
}

void udf_extent_part(const struct extent *extent, struct fsi_extent_info *info)
{
    info->hierarchy = FSI_HIERARCHY_UDF;
    switch ((enum udf_piece)extent->fs) {
    case UDF_PIECE_RECOGNITION: info->part = FSI_PART_UDF_RECOGNITION; break;
    case UDF_PIECE_FILE_SET: info->part = FSI_PART_UDF_FILE_SET; break;
    case UDF_PIECE_FILE_ENTRIES:
    case UDF_PIECE_STREAM_DIRECTORY_ENTRY:
    case UDF_PIECE_METADATA_FILES: info->part = FSI_PART_UDF_FILE_ENTRIES; break;
    case UDF_PIECE_DIRECTORY: info->part = FSI_PART_UDF_DIRECTORIES; break;
    case UDF_PIECE_SPACE_BITMAP:
    case UDF_PIECE_METADATA_BITMAP: info->part = FSI_PART_UDF_SPACE_BITMAP; break;
    case UDF_PIECE_MIRROR: info->part = FSI_PART_UDF_METADATA_MIRROR; break;
    case UDF_PIECE_SLACK:
        info->kind = FSI_EXTENT_ZERO;
        info->part = FSI_PART_UDF_DIRECTORIES;
        break;
    default: info->part = FSI_PART_UDF_DESCRIPTORS; break;
    }
}
