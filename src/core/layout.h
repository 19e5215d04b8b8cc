/*
 * The laid-out image: what fsi_image_create() decides and the renderers and readers use. One
 * struct fs_tree per file system (ISO 9660, Joliet) lists its directories in path-table order,
 * each with its sorted entries and where its records fall in its sectors; struct extent lists
 * what produces every sector of the image.
 */
#ifndef OPENFSI_CORE_LAYOUT_H
#define OPENFSI_CORE_LAYOUT_H

#include "arena.h"
#include "names.h"
#include "tree_internal.h"
#include "volume_map.h"
#include "openfsi/image.h"

enum fs_kind { FS_ISO9660 = 0, FS_JOLIET = 1, FS_COUNT };

/* Largest extent one directory record can describe: 4 GiB less one sector (ECMA-119 9.1.4). */
#define MAX_EXTENT_BYTES 0xFFFFF800u

struct udf_volume;
struct eltorito;

struct fs_entry {
    struct fsi_node *node;
    struct identifier id;
    uint8_t record_length;          /* bytes of each of its directory records */
    uint32_t record_count;          /* more than 1 for a multi-extent file */
};

/* Where a directory sector begins: at record `piece` of entry `entry` (entries after . and ..). */
struct record_position {
    uint32_t entry;
    uint32_t piece;
};

struct fs_dir {
    struct fsi_node *node;
    struct identifier id;           /* the root's is one 0x00 byte */
    uint32_t parent;                /* index of the parent in fs_tree.dirs; the root's is 0 */
    uint32_t first_sector;
    uint32_t sector_count;
    struct fs_entry *entries;       /* sorted by ECMA-119 9.3 */
    uint32_t entry_count;
    struct record_position *sector_starts;  /* one per sector; the first sector starts with . */
    /* In place: the date the old directory of its path records, which its records keep when
       the node has no time (else they would take each session's creation time); or NULL. */
    const uint8_t *old_date;
};

struct fs_tree {
    enum fs_kind kind;
    struct fs_dir *dirs;            /* path-table order (ECMA-119 6.9.1): dirs[0] is the root */
    uint32_t dir_count;
    uint8_t *path_table[2];         /* rendered: [0] type L, [1] type M */
    uint32_t path_table_size;       /* bytes of each */
    uint32_t path_table_sector[2];
    uint32_t volume_descriptor_sector;
};

enum extent_content {
    CONTENT_ZERO,
    CONTENT_VOLUME_DESCRIPTOR,      /* index: enum fs_kind */
    CONTENT_TERMINATOR,
    CONTENT_PATH_TABLE,             /* index: kind * 2 + (0 L, 1 M) */
    CONTENT_DIRECTORY,              /* fs: kind, index: directory */
    CONTENT_FILE,
    CONTENT_UDF,                    /* fs: enum udf_piece, index: its number (udf_layout.h) */
    CONTENT_BOOT_RECORD,            /* El Torito's boot record volume descriptor (eltorito.h) */
    CONTENT_BOOT_CATALOG,
    CONTENT_BOOT_IMAGE,             /* index: the boot entry; file: its private node */
    CONTENT_DISC,                   /* the base disc's sectors, as they are (options.base) */
    CONTENT_ALIAS                   /* index: the sector rendered here; fs: enum alias_kind */
};

/* What a head copy (CONTENT_ALIAS) changes in the sector it copies: a UDF descriptor's tag
   records where the descriptor lies. */
enum alias_kind {
    ALIAS_AS_IS,                    /* volume descriptors, the recognition sequence */
    ALIAS_ANCHOR,                   /* tag location: the sector it is copied to */
    ALIAS_FILE_SET                  /* tag location: block 0 of the partition */
};


struct fsi_image {
    struct arena arena;
    uint32_t *data_lba;             /* by node id: first sector of a file's data (0 if empty) */
    uint32_t *directory_index[FS_COUNT];    /* by node id: a directory's index in fs[].dirs */
    struct fsi_image_options options;
    uint16_t volume_name[32];
    size_t volume_name_length;
    struct fs_tree fs[FS_COUNT];
    int has_fs[FS_COUNT];
    struct volume_map map;          /* where everything goes */
    struct udf_volume *udf;         /* NULL without UDF */
    struct eltorito *eltorito;      /* NULL without boot images; in the arena */
    const struct extent *extents;   /* map.extents once laid out: sorted, gap-free */
    size_t extent_count;
    uint32_t sector_count;
    int in_place;                   /* laid out over the base disc's own volume (v1) */
    /* In place with ISO 9660: where each hierarchy lies on the disc (by enum fs_kind). */
    struct iso_usage *iso_old;
    /* fsi_image_modified's answer once measured (modified_switch_count measures it to decide
       on v1), so the disc is compared once: malloc'd ranges in write order, and the counts. */
    struct fsi_block_range *modified;
    size_t modified_count;
    struct fsi_modified_stats modified_stats;
    int modified_known;
};

/* Where an ISO 9660 or Joliet hierarchy on a disc lies (iso_read_usage, iso_import.c): what an
   in-place layout over the disc (layout.c) must keep and may take over. */
struct iso_usage_dir {
    uint32_t parent;                /* index in iso_usage.dirs; the root's is 0 */
    uint32_t first_child, child_count;  /* its subdirectories: dirs[first_child ..] */
    uint32_t extent, sectors;
    uint8_t date[7];                /* its record's recording date (ECMA-119 9.1.5) */
    uint8_t id_length;
    uint8_t id[255];                /* as its parent's record has it */
    /* Where its sectors break: iso_usage.breaks[first_break + s - 1] is the identifier of the
       first record in sector s (s >= 1); has_breaks is 0 when a sector has no records or
       begins inside a multi-extent file's records. */
    uint32_t first_break;
    int has_breaks;
};

struct iso_usage_break {
    uint8_t length;
    uint8_t bytes[255];
};

struct iso_usage {
    uint32_t descriptor_sector;     /* its volume descriptor */
    uint32_t terminator_sector;     /* the set's terminator */
    uint32_t boot_record_sector;    /* an El Torito boot record in the set (0: none); its
                                       catalog and boot images are among the data runs */
    uint32_t path_table_size;
    uint32_t path_table[2];         /* type L, type M */
    struct iso_usage_dir *dirs;     /* breadth first: dirs[0] is the root */
    uint32_t dir_count;
    struct fsi_disc_extent *metadata;   /* sorted, merged: descriptors, path tables, directories */
    size_t metadata_count;
    struct fsi_disc_extent *data;       /* sorted, merged: the files' data */
    size_t data_count;
    struct iso_usage_break *breaks;     /* by directory (iso_usage_dir.first_break) */
    size_t break_count;
};

/* Walks the ISO 9660 (or Joliet) hierarchy of `disc` (session 0) without a tree. Fails
   (FSI_E_NOT_IMPLEMENTED) when it has what an in-place layout does not take over: extended
   attribute records, interleaving, a directory seen twice, file data among its metadata. */
enum fsi_status iso_read_usage(const struct fsi_disc *disc, int joliet, struct iso_usage *usage);
void iso_usage_free(struct iso_usage *usage);
/* 1 when [first, first + count) lies inside one of the sorted, merged `runs`. */
int disc_runs_contain(const struct fsi_disc_extent *runs, size_t count, uint32_t first,
                      uint32_t sectors);
/* Sorts and merges `runs`; returns how many are left. */
size_t disc_runs_merge(struct fsi_disc_extent *runs, size_t count);

/* layout.c: the index of the laid-out extent holding `sector`. */
size_t layout_extent_of(const struct fsi_image *image, uint32_t sector);

/* layout.c: puts a file's data (if any) in the first free run at or above `floor`. */
enum fsi_status layout_place_file_data(struct fsi_image *image, struct fsi_node *node,
                                       uint32_t floor);

/* layout.c, in place with ISO 9660: reserves the old hierarchies' file data (but for what is
   taken already) so that nothing new goes there; the UDF layout calls it before it places
   anything new. */
enum fsi_status iso_in_place_reserve_data(struct fsi_image *image);
/* 1 when the old hierarchy `kind` reads `sector` (its descriptors, path tables, directories). */
int iso_sector_in_old_tree(const struct fsi_image *image, enum fs_kind kind, uint32_t sector);

/* The file systems a switch sector belongs to: one bit each. */
enum { SWITCH_ISO9660 = 1u << FS_ISO9660, SWITCH_JOLIET = 1u << FS_JOLIET, SWITCH_UDF = 4u };
#define SWITCH_SYSTEMS 3

/* modified.c: how many sectors each old tree on the base disc reads would change (counts: by
   ISO 9660, Joliet, UDF), and the first (for a message). It measures every sector and keeps the
   whole answer in the image for fsi_image_modified. */
enum fsi_status modified_switch_count(struct fsi_image *image, uint32_t counts[SWITCH_SYSTEMS],
                                      uint32_t *first);

/* fs_tree.c: identifiers, order, numbering and record placement of one file system. */
enum fsi_status fs_tree_build(struct fsi_image *image, const struct fsi_tree *tree,
                              enum fs_kind kind);
void fs_tree_free(struct fs_tree *fs);
/* Sectors of every directory of `fs` (their sector_count and sector_starts). */
enum fsi_status fs_tree_place_records(struct fsi_image *image, struct fs_tree *fs);
struct iso_usage_break;
/* In place: places the records of `dir` in `sectors` sectors that break before the records
   `breaks` name (those of the old directory of its path: breaks[s - 1] opens sector s), into
   `starts` (room for `sectors`). 0 when a sector would overflow or hold no records. */
int fs_tree_place_records_at(struct fs_tree *fs, struct fs_dir *dir,
                             const struct iso_usage_break *breaks, uint32_t sectors,
                             struct record_position *starts);
/* The L and M path tables of `fs`, once its directories have sectors. */
enum fsi_status fs_tree_render_path_tables(struct fs_tree *fs);

/* ecma119_render.c: one sector of metadata. */
void render_volume_descriptor(const struct fsi_image *image, enum fs_kind kind, uint8_t *sector);
void render_terminator(uint8_t *sector);
void render_directory_sector(const struct fsi_image *image, enum fs_kind kind, uint32_t dir,
                             uint32_t sector_in_dir, uint8_t *sector);

#endif
