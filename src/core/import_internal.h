/*
 * What the file-system readers share (import.c): bounded sector reads, failures that say where,
 * and adding an imported file whose data stays on the disc. iso_import.c reads ISO 9660 and
 * Joliet, udf_import.c UDF.
 */
#ifndef OPENFSI_CORE_IMPORT_INTERNAL_H
#define OPENFSI_CORE_IMPORT_INTERNAL_H

#include "openfsi/import.h"
#include "tree_internal.h"

#define IMPORT_SECTOR_SIZE 2048
#define IMPORT_MAX_DEPTH 1024           /* deeper is a loop or an attack */

struct udf_usage;

struct import_context {
    const struct fsi_disc *disc;
    uint32_t session_start;
    struct fsi_tree *tree;
    struct fsi_import_info *info;
    uint64_t budget;                    /* sectors still allowed to be read, against loops */
    uint32_t first_id;                  /* node ids below it were in the tree before the import */
    struct udf_usage *usage;            /* UDF: where the volume's structures lie, or NULL */
};

/* 0 when `node` was in the tree before the import (a directory an imported one merged into),
   whose times and flags the walk must leave as they are. */
int import_is_new(const struct import_context *c, const struct fsi_node *node);


/* Reads sectors [first, first + count), which must lie on the disc; `what` names them in the
   error ("the primary volume descriptor"). */
enum fsi_status import_read(struct import_context *c, uint32_t first, uint32_t count,
                            void *buffer, const char *what);

/* Records "<what> at sector <sector>: <why>" and returns FSI_E_CORRUPT_FILE_SYSTEM. */
enum fsi_status import_corrupt(struct import_context *c, const char *what, uint32_t sector,
                               const char *why);

/* Adds file `name` of `size` bytes to `parent`, its data in `extents` on the disc (copied). */
enum fsi_status import_add_file(struct import_context *c, struct fsi_node *parent,
                                const uint16_t *name, size_t length, uint64_t size,
                                const struct fsi_disc_extent *extents, size_t count,
                                struct fsi_node **out);

/* The same for named stream `name` of file `file` (fsi_tree_add_stream). */
enum fsi_status import_add_stream(struct import_context *c, struct fsi_node *file,
                                  const uint16_t *name, size_t length, uint64_t size,
                                  const struct fsi_disc_extent *extents, size_t count,
                                  struct fsi_node **out);

/* Adds file `name` to directory `parent` (or, when `stream`, named stream `name` to file
   `parent`) whose `size` bytes are recorded inside a descriptor rather than in sectors of their
   own (a UDF entry's embedded data): they are copied now, and the node has no disc extents. */
enum fsi_status import_add_embedded(struct import_context *c, struct fsi_node *parent,
                                    int stream, const uint16_t *name, size_t length,
                                    const uint8_t *bytes, size_t size, struct fsi_node **out);

/* Adds directory `name` to `parent`. An entry whose name the tree refuses (a duplicate, a bad
   name) is an error of the disc: FSI_E_CORRUPT_FILE_SYSTEM naming it.

   An item added before the import wins over the disc's entry of the same path (Microsoft's
   ImportFileSystem): a directory already there takes the imported directory's entries (*out is
   it), a file already there hides the imported file (*out is a detached node the walk may fill
   but that never enters the tree). A file meeting a directory, or the other way round, fails
   with FSI_E_IMPORT_FILE_IS_DIRECTORY / FSI_E_IMPORT_DIRECTORY_IS_FILE. */
enum fsi_status import_add_directory(struct import_context *c, struct fsi_node *parent,
                                     const uint16_t *name, size_t length, struct fsi_node **out);

/* 1 when `node`'s bytes are read from `disc` (the same read function and context) at its disc
   extents: only then may a layout over that disc point at them. */
int import_node_reads_disc(const struct fsi_node *node, const struct fsi_disc *disc);

/* iso_import.c */
int iso_import_identify(struct import_context *c, uint32_t *file_systems);
enum fsi_status iso_import(struct import_context *c, int joliet);

/* udf_import.c */
int udf_import_identify(struct import_context *c);
enum fsi_status udf_import(struct import_context *c);

/*
 * Where a UDF volume's structures lie, as a walk of it finds them (udf_read_usage): what an
 * in-place layout over the disc (udf_layout.c) must keep and may take over.
 */
struct udf_usage_entry {
    uint32_t sector;                    /* a file entry of a file or directory of the tree */
    uint64_t unique_id;                 /* the one it records */
    uint64_t length;                    /* its information length */
    uint32_t first_run, run_count;      /* its data or identifiers: runs[first_run ..] */
    uint8_t is_directory;
};

/* A metadata partition over the volume's one type 1 partition (UDF 2.2.10), as the in-place
   layout knows it: each of its files one extent. Blocks are of the type 1 partition. */
struct udf_usage_metadata {
    uint32_t file_entry, mirror_entry, bitmap_entry;    /* the three files' entries */
    uint32_t file_block, blocks;        /* the metadata file's extent */
    uint32_t mirror_block;              /* the mirror's extent, as long */
    int duplicate;                      /* the mirror is a copy (else the same extent) */
    uint32_t bitmap_block, bitmap_bytes;    /* the metadata bitmap file's data */
};

struct udf_usage {
    /* 1 when the volume is one this reader fully accounts for: one type 1 partition, perhaps
       a metadata partition over it (then `metadata` says where its files lie), nothing it
       skips (named streams, partition tables, links). */
    int plain;
    int has_metadata;
    struct udf_usage_metadata metadata;
    struct fsi_disc_extent *used;       /* every sector the volume uses, unsorted */
    size_t used_count, used_capacity;
    struct udf_usage_entry *entries;    /* sorted by sector once read */
    size_t entry_count, entry_capacity;
    struct fsi_disc_extent *runs;
    size_t run_count, run_capacity;
    uint32_t root_sector;
    uint32_t partition_start, partition_length;     /* blocks */
    uint32_t main_vds, main_vds_sectors, reserve_vds, reserve_vds_sectors;
    uint32_t integrity, integrity_sectors;
    uint32_t file_set_block, file_set_blocks;
    uint32_t bitmap_block, bitmap_bytes;            /* 0 bytes: none */
    uint32_t last_anchor;               /* the anchor at the volume's end (0: none found) */
    int anchor_256;                     /* an anchor at sector 256 */
    uint16_t revision;                  /* the domain's */
    uint64_t next_unique_id;
    uint8_t file_set_time[12];          /* the file set descriptor's recording time, as recorded */
};

/* Walks the UDF volume of `disc` (session 0) into `usage` (freed by udf_usage_free, also on
   failure); fails as fsi_disc_import does. */
enum fsi_status udf_read_usage(const struct fsi_disc *disc, struct udf_usage *usage);
void udf_usage_free(struct udf_usage *usage);
/* Sorts the entries by sector (udf_read_usage does it). */
void udf_usage_sort(struct udf_usage *usage);
/* The entry of the file entry at `sector`, or NULL. */
const struct udf_usage_entry *udf_usage_find(const struct udf_usage *usage, uint32_t sector);

#endif
