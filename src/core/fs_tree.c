/*
 * One file system's view of the tree (layout.h): its identifiers, the ECMA-119 9.3 order of each
 * directory's records, the path-table order of directories (6.9.1), where each record falls in
 * the directory's sectors (a record never crosses a sector, 6.8.1.1) and the rendered path tables
 * (9.4). ISO 9660 and Joliet differ only in their identifiers and how those compare.
 */
#include <stdlib.h>
#include <string.h>

#include "byte_order.h"
#include "ecma119.h"
#include "layout.h"

/* "." and ".." are 34-byte records with one-byte identifiers 0x00 and 0x01 (6.8.2.2). */
#define DOT_RECORD_SIZE 34
/* ECMA-119 6.8.2.1: at most 8 levels of directories, the root being the first. */
#define MAX_DIRECTORY_LEVELS 8

static const uint8_t root_identifier_byte = 0;

static int compare_iso9660_entries(const void *a, const void *b)
{
    return iso9660_identifier_compare(&((const struct fs_entry *)a)->id,
                                      &((const struct fs_entry *)b)->id);
}

static int compare_joliet_entries(const void *a, const void *b)
{
    return joliet_identifier_compare(&((const struct fs_entry *)a)->id,
                                     &((const struct fs_entry *)b)->id);
}

static uint8_t record_length_for(uint8_t id_length)
{
    /* 9.1.12: a padding byte keeps the record length even when the identifier's is even. */
    return (uint8_t)(ECMA119_DIR_RECORD_FIXED_SIZE + id_length + (id_length % 2 == 0 ? 1 : 0));
}

/* How many directory records a file needs at this interchange level. */
static enum fsi_status records_for_file(uint64_t size, int level, uint32_t *count)
{
    if (size <= 0xFFFFFFFFu) {
        *count = 1;
        return FSI_OK;
    }
    if (level < 3)
        return FSI_E_FILE_TOO_LARGE;
    *count = (uint32_t)((size + MAX_EXTENT_BYTES - 1) / MAX_EXTENT_BYTES);
    return FSI_OK;
}

/* Identifiers and sorted entries of one directory. */
static enum fsi_status build_entries(struct fsi_image *image, struct fs_tree *fs,
                                     struct fs_dir *dir)
{
    struct fsi_node *node = dir->node;
    struct name_input *inputs;
    struct identifier *ids;
    enum fsi_status status;
    uint32_t i;

    dir->entry_count = node->child_count;
    if (!node->child_count)
        return FSI_OK;
    dir->entries = arena_alloc(&image->arena, node->child_count * sizeof(*dir->entries));
    inputs = malloc(node->child_count * sizeof(*inputs));
    ids = malloc(node->child_count * sizeof(*ids));
    if (!dir->entries || !inputs || !ids) {
        free(inputs);
        free(ids);
        return FSI_E_OUT_OF_MEMORY;
    }
    for (i = 0; i < node->child_count; i++) {
        inputs[i].name = node->children[i]->name;
        inputs[i].length = node->children[i]->name_length;
        inputs[i].is_directory = node->children[i]->is_directory;
    }
    if (fs->kind == FS_ISO9660)
        status = iso9660_identifiers(inputs, node->child_count, image->options.iso9660_level,
                                     &image->arena, ids);
    else
        status = joliet_identifiers(inputs, node->child_count, &image->arena, ids);
    for (i = 0; status == FSI_OK && i < node->child_count; i++) {
        struct fs_entry *entry = &dir->entries[i];
        entry->node = node->children[i];
        entry->id = ids[i];
        entry->record_length = record_length_for(ids[i].length);
        entry->record_count = 1;
        if (!entry->node->is_directory)
            status = records_for_file(entry->node->size, image->options.iso9660_level,
                                      &entry->record_count);
    }
    free(inputs);
    free(ids);
    if (status != FSI_OK)
        return status;
    if (dir->entry_count > 1)
        qsort(dir->entries, dir->entry_count, sizeof(*dir->entries),
              fs->kind == FS_ISO9660 ? compare_iso9660_entries : compare_joliet_entries);
    return FSI_OK;
}

enum fsi_status fs_tree_build(struct fsi_image *image, const struct fsi_tree *tree,
                              enum fs_kind kind)
{
    struct fs_tree *fs = &image->fs[kind];
    uint32_t capacity = (uint32_t)fsi_tree_directory_count(tree) + 1;
    uint32_t level_end = 1, level = 1, i, j;
    struct fsi_node *root = fsi_tree_root((struct fsi_tree *)tree);

    memset(fs, 0, sizeof(*fs));
    fs->kind = kind;
    fs->dirs = calloc(capacity, sizeof(*fs->dirs));
    if (!fs->dirs)
        return FSI_E_OUT_OF_MEMORY;

    fs->dirs[0].node = root;
    fs->dirs[0].id.bytes = &root_identifier_byte;
    fs->dirs[0].id.length = 1;
    image->directory_index[kind][root->id] = 0;
    fs->dir_count = 1;

    /* Breadth first with each directory's subdirectories in record order: that is path-table
       order, by level, then parent number, then identifier. */
    for (i = 0; i < fs->dir_count; i++) {
        struct fs_dir *dir = &fs->dirs[i];
        enum fsi_status status;

        if (i == level_end) {
            level++;
            level_end = fs->dir_count;
        }
        status = build_entries(image, fs, dir);
        if (status != FSI_OK)
            return status;
        for (j = 0; j < dir->entry_count; j++) {
            struct fs_entry *entry = &dir->entries[j];
            struct fs_dir *child;
            if (!entry->node->is_directory)
                continue;
            if (image->options.strict && level + 1 > MAX_DIRECTORY_LEVELS)
                return FSI_E_DIRECTORY_TOO_DEEP;
            if (fs->dir_count == capacity)
                return FSI_E_INVALID_ARGUMENT;  /* the tree changed under us */
            child = &fs->dirs[fs->dir_count];
            child->node = entry->node;
            child->id = entry->id;
            child->parent = i;
            image->directory_index[kind][entry->node->id] = fs->dir_count;
            fs->dir_count++;
        }
    }

    fs->path_table_size = 0;
    for (i = 0; i < fs->dir_count; i++) {
        uint8_t length = fs->dirs[i].id.length;
        fs->path_table_size += ECMA119_PATH_TABLE_RECORD_FIXED_SIZE + length + (length % 2);
    }
    return FSI_OK;
}

void fs_tree_free(struct fs_tree *fs)
{
    free(fs->dirs);
    free(fs->path_table[0]);
    free(fs->path_table[1]);
    memset(fs, 0, sizeof(*fs));
}

/*
 * Walks the records of one directory in order and notes, in `starts` when given, the record that
 * opens each sector; a sector takes records up to `fill` bytes. Returns the number of sectors.
 * Rendering follows these starts.
 */
static uint32_t walk_records(struct fs_dir *dir, uint32_t fill, struct record_position *starts)
{
    uint32_t sectors = 1, used = 2 * DOT_RECORD_SIZE, i, piece;

    if (starts) {
        starts[0].entry = 0;
        starts[0].piece = 0;
    }
    for (i = 0; i < dir->entry_count; i++)
        for (piece = 0; piece < dir->entries[i].record_count; piece++) {
            uint32_t length = dir->entries[i].record_length;
            if (used + length > fill) {
                if (starts) {
                    starts[sectors].entry = i;
                    starts[sectors].piece = piece;
                }
                sectors++;
                used = 0;
            }
            used += length;
        }
    return sectors;
}

/* A directory of more than one sector fills each only to DIRECTORY_FILL, so that a later
   session in place can add a record or two to any sector without moving the records after it
   into the next (fs_tree_place_records_at keeps the sectors' breaks). */
#define DIRECTORY_FILL (ECMA119_SECTOR_SIZE - ECMA119_SECTOR_SIZE / 8)

enum fsi_status fs_tree_place_records(struct fsi_image *image, struct fs_tree *fs)
{
    uint32_t i;

    for (i = 0; i < fs->dir_count; i++) {
        struct fs_dir *dir = &fs->dirs[i];
        uint32_t fill = ECMA119_SECTOR_SIZE;
        dir->sector_count = walk_records(dir, fill, NULL);
        if (dir->sector_count > 1) {
            fill = DIRECTORY_FILL;
            dir->sector_count = walk_records(dir, fill, NULL);
        }
        dir->sector_starts = arena_alloc(&image->arena,
                                         dir->sector_count * sizeof(*dir->sector_starts));
        if (!dir->sector_starts)
            return FSI_E_OUT_OF_MEMORY;
        walk_records(dir, fill, dir->sector_starts);
    }
    return FSI_OK;
}

int fs_tree_place_records_at(struct fs_tree *fs, struct fs_dir *dir,
                             const struct iso_usage_break *breaks, uint32_t sectors,
                             struct record_position *starts)
{
    int (*compare)(const struct identifier *, const struct identifier *) =
        fs->kind == FS_JOLIET ? joliet_identifier_compare : iso9660_identifier_compare;
    uint32_t sector = 0, used = 2 * DOT_RECORD_SIZE, i, piece;

    starts[0].entry = 0;
    starts[0].piece = 0;
    for (i = 0; i < dir->entry_count; i++)
        for (piece = 0; piece < dir->entries[i].record_count; piece++) {
            uint32_t length = dir->entries[i].record_length;
            int opened = 0;
            while (sector + 1 < sectors) {
                const struct iso_usage_break *b = &breaks[sector];
                struct identifier old = { b->bytes, b->length };
                if (compare(&dir->entries[i].id, &old) < 0)
                    break;
                if (opened++)
                    return 0;       /* the sector before would hold no records */
                sector++;
                starts[sector].entry = i;
                starts[sector].piece = piece;
                used = 0;
            }
            if (used + length > ECMA119_SECTOR_SIZE)
                return 0;
            used += length;
        }
    return sector + 1 == sectors;
}

enum fsi_status fs_tree_render_path_tables(struct fs_tree *fs)
{
    uint32_t i, offset = 0;
    int m;

    for (m = 0; m < 2; m++) {
        fs->path_table[m] = calloc(1, fs->path_table_size ? fs->path_table_size : 1);
        if (!fs->path_table[m])
            return FSI_E_OUT_OF_MEMORY;
    }
    for (i = 0; i < fs->dir_count; i++) {
        const struct fs_dir *dir = &fs->dirs[i];
        /* 9.4.4: directory numbers are 16 bits; past 65535 (beyond what the standard can
           describe) readers must use the directory records, which stay exact. */
        uint16_t parent_number = dir->parent + 1 > 0xFFFF ? 0xFFFF : (uint16_t)(dir->parent + 1);
        for (m = 0; m < 2; m++) {
            uint8_t *p = fs->path_table[m] + offset;
            struct ecma119_path_table_record *record = (struct ecma119_path_table_record *)p;
            record->dir_id_length[0] = dir->id.length;
            if (m == 0) {
                put_le32(record->extent, dir->first_sector);
                put_le16(record->parent_number, parent_number);
            } else {
                put_be32(record->extent, dir->first_sector);
                put_be16(record->parent_number, parent_number);
            }
            memcpy(p + ECMA119_PATH_TABLE_RECORD_FIXED_SIZE, dir->id.bytes, dir->id.length);
        }
        offset += ECMA119_PATH_TABLE_RECORD_FIXED_SIZE + dir->id.length + (dir->id.length % 2);
    }
    return FSI_OK;
}
