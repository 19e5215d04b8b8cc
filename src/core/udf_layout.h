/*
 * The UDF part of an image's layout (ECMA-167 3rd edition, OSTA UDF 1.02 to 2.60): what
 * udf_layout.c decides and udf_render.c renders. One partition (number 0) starts after the anchor
 * at sector 256 and runs to the sector before the last anchor, so it holds every file's data,
 * which ISO 9660 and Joliet share. A later session (session_start S) records a whole volume
 * again at S + 16 .. S + 256 and the last sector; its partition may start where an earlier
 * session's did (udf_partition_start), so that it covers the old data: everything below S + 257
 * is then allocated, and this session's area (below) starts at S + 257, block area_block.
 * The area's first blocks are the metadata area: the file set
 * descriptor and its terminator, then for each directory (breadth first) the file entries of the
 * directory and of its files, the directory's identifiers and one block of slack, so adding a
 * file later changes few blocks. A file with named streams (UDF 2.00 on) has an extended file
 * entry naming its stream directory, placed after its directory with the streams' entries. From
 * UDF 2.50 that area is the metadata partition's one extent (so metadata block n is physical
 * block n: readers that ignore the metadata partition still find everything), with its mirror,
 * bitmap file and their file entries after it; in a later session the metadata file and its
 * mirror also cover blocks 0 .. area_block - 1 (old sessions' blocks, shared by the two, not
 * copied) so the identity holds, unless that would take more than one allocation descriptor
 * (7-Zip reads a metadata file of one extent only): then the metadata file starts at the area.
 */
#ifndef OPENFSI_CORE_UDF_LAYOUT_H
#define OPENFSI_CORE_UDF_LAYOUT_H

#include "layout.h"

/* Most bytes one allocation descriptor records: 30-bit lengths in whole blocks (4/14.14.1.1). */
#define UDF_MAX_EXTENT_BYTES 0x3FFFF800u

/* What a CONTENT_UDF extent holds (its `fs` field); `index` is given per piece. */
enum udf_piece {
    UDF_PIECE_RECOGNITION,      /* 3 sectors: BEA01, NSR0x, TEA01 */
    UDF_PIECE_VOLUME_SEQUENCE,  /* 16 sectors; index 0 main, 1 reserve */
    UDF_PIECE_INTEGRITY,        /* 2 sectors: logical volume integrity, terminator */
    UDF_PIECE_ANCHOR,           /* 1 sector */
    UDF_PIECE_FILE_SET,         /* 2 blocks: file set descriptor, terminator */
    UDF_PIECE_FILE_ENTRIES,     /* index: first entry in udf_volume.fe_nodes */
    UDF_PIECE_DIRECTORY,        /* index: the directory; its file identifiers */
    UDF_PIECE_SPACE_BITMAP,     /* the partition's unallocated space bitmap */
    UDF_PIECE_METADATA_FILES,   /* 3 blocks: metadata, mirror and bitmap file entries */
    UDF_PIECE_METADATA_BITMAP,  /* the metadata bitmap file's data */
    UDF_PIECE_MIRROR,           /* the metadata area again, block for block */
    UDF_PIECE_SLACK,            /* zeros kept free for later growth */
    UDF_PIECE_STREAM_DIRECTORY_ENTRY    /* index: the stream directory; its file entry */
};

struct udf_entry {
    struct fsi_node *node;
    const uint8_t *name;        /* CS0, compression id first */
    uint8_t name_size;
    uint32_t fid_offset;        /* where its identifier starts in the directory's stream */
};

/*
 * A directory, or a file's stream directory (ECMA-167 4/9.2, UDF 2.60 3.3.5): the same identifier
 * stream, whose entries are the file's named streams and whose parent identifier names the file.
 */
struct udf_dir {
    struct fsi_node *node;      /* the directory, or the file owning the streams */
    struct fsi_node *owner;     /* a stream directory's file; NULL for a directory */
    uint32_t fe_block;          /* a stream directory's own file entry (directories: fe_block[]) */
    uint64_t unique_id;         /* likewise */
    uint32_t parent;            /* index in udf_volume.dirs; the root's is 0 */
    struct udf_entry *entries;  /* by name */
    uint32_t entry_count;
    uint32_t stream_size;       /* bytes of identifiers, the parent's first */
    uint32_t stream_block;      /* first block, in the partition of the file entries */
    uint32_t subdirectory_count;
};

struct udf_volume {
    uint32_t revision;
    uint16_t descriptor_version;
    int metadata_partition;     /* 2.50 and later */
    int redundant_metadata;     /* the mirror is a copy (else it shares the main extent) */

    struct udf_dir *dirs;       /* breadth first; dirs[0] is the root */
    uint32_t dir_count;
    uint32_t *fe_block;         /* by node id: its file entry's block */
    uint64_t *unique_id;        /* by node id: 0 for the root, then 16, 17, ... */
    uint32_t *dir_index;        /* by node id: index in dirs */
    uint32_t *stream_dir_index; /* by node id of a file with streams: its stream directory */
    int streams;                /* 2.00 and later record named streams */
    struct fsi_node **fe_nodes; /* the file entries' nodes in block order */
    uint32_t fe_count;
    uint32_t file_count;
    uint32_t directory_count;   /* the root and directories, not stream directories (LVID) */
    uint64_t next_unique_id;

    uint32_t recognition_sector;
    uint32_t vds_sector[2];     /* main, reserve */
    uint32_t integrity_sector;
    uint32_t last_anchor_sector;
    uint32_t partition_start;   /* sector of block 0 */
    uint32_t area_block;        /* this session's first block (S + 257); all below is allocated */
    uint32_t file_set_block;    /* the file set descriptor's: area_block, or in place the old's */
    uint32_t partition_length;  /* blocks */
    uint32_t bitmap_block;      /* the partition's space bitmap */
    uint32_t bitmap_blocks;
    uint32_t free_blocks;       /* of the partition, for the integrity descriptor */

    uint32_t metadata_blocks;   /* the metadata file: physical blocks metadata_base ..
                                   metadata_blocks - 1, this session's from area_block */
    uint32_t metadata_base;     /* physical block of metadata block 0: 0 (the identity, which
                                   readers ignoring the metadata partition rely on), or a later
                                   session's area_block when blocks 0 .. metadata_blocks - 1
                                   would not fit one allocation descriptor */
    uint32_t metadata_files_block;  /* 2.50+: bitmap, mirror, metadata file entries */
    uint32_t metadata_bitmap_block;
    uint32_t metadata_bitmap_blocks;
    uint32_t mirror_block;      /* the mirror's extent (the main one when not redundant) */
    uint32_t metadata_free_blocks;

    /* In place over the base disc's volume (fsi_image.in_place; below): */
    int in_place;
    uint8_t *data_kept;         /* by node id: 1 when its data is pointed at where it lies */
    struct fsi_disc_extent *old_tree;   /* sorted, disjoint: sectors the old tree reads (its
                                           file entries, identifiers, data, file set) */
    size_t old_tree_count;
    uint32_t old_anchor;        /* the old volume's last anchor */
    uint8_t file_set_time[12];  /* the file set descriptor's recording time, kept */
};

/* Decides the UDF structures and reserves the fixed areas and the metadata area, before any
   other allocation; `recognition_sector` is where BEA01 goes, `other_sectors` bounds what the
   rest of the image (ISO 9660 metadata, file data) will take. */
enum fsi_status udf_layout_begin(struct fsi_image *image, const struct fsi_tree *tree,
                                 uint32_t recognition_sector, uint64_t other_sectors);
/* Without ISO 9660: places every file's data in UDF's order. */
enum fsi_status udf_layout_place_files(struct fsi_image *image);
/* The named streams' data, placed before the files' data: a reader that does not follow
   stream directories (7-Zip) takes the end of the last file's data for the end of the volume's
   data and expects nothing but the closing descriptors after it. */
enum fsi_status udf_layout_place_streams(struct fsi_image *image);
/* After everything else: the last anchor, the partition's length, the free-space counts. */
enum fsi_status udf_layout_end(struct fsi_image *image);
void udf_layout_free(struct fsi_image *image);
/* The sector of partition block 0 (0 without UDF). */
uint32_t udf_partition_start(const struct fsi_image *image);
/* The sector where this session's UDF area starts (session_start + 257; 0 without UDF): the
   floor of file data. */
uint32_t udf_area_start(const struct fsi_image *image);
/* 1 when UDF can point at `node`'s imported data where it lies: every extent of its data inside
   the partition and below session_start, their allocation descriptors fitting its entry. */
int udf_can_point_at(const struct fsi_image *image, const struct fsi_node *node);
/* 1 when `node`'s data was left where an earlier session recorded it. */
int udf_data_in_place(const struct fsi_image *image, const struct fsi_node *node);
/* What a CONTENT_UDF extent is, for fsi_image_extent(). */
void udf_extent_part(const struct extent *extent, struct fsi_extent_info *info);

/*
 * The in-place layout (v1) over a base disc whose volume this writer laid out (no named
 * streams; from 2.50 the metadata file one extent from partition block 0, which does not grow:
 * new entries and identifiers go into its free blocks, a redundant mirror copies them, file data
 * goes outside it and the mirror): the fixed areas stay where the old volume has them,
 * every imported node keeps its file entry's block and unique id, a directory whose identifiers
 * render as the disc has them keeps them where they are, and everything else goes into space the
 * old volume does not use; every sector the old volume uses and the new one does not take over
 * is kept (CONTENT_DISC) and stays allocated in the new bitmap for this session, and every other
 * sector below the disc's end is kept as free (CONTENT_DISC, index 1).
 * FSI_E_NOT_IMPLEMENTED when the disc's volume is not one this can take over (the caller falls
 * back to a new session, v0).
 */
int udf_sector_in_old_tree(const struct fsi_image *image, uint32_t sector);
/* The metadata file's sector that sector `mirror` of a redundant mirror copies. */
uint32_t udf_mirrored_sector(const struct fsi_image *image, uint32_t mirror);

/* udf_render.c: one sector of a directory's identifiers (for the in-place layout's check). */
void udf_render_directory_sector(const struct udf_volume *udf, uint32_t index, uint32_t within,
                                 uint8_t *sector);

/* udf_render.c: one sector of a CONTENT_UDF extent. */
void udf_render_sector(const struct fsi_image *image, const struct extent *extent,
                       uint32_t sector_in_extent, uint8_t *sector);

#endif
