/*
 * An image laid out from a tree, and readers that serve its bytes.
 *
 * fsi_image_create() decides the sector of every byte before any is produced: the system area,
 * the volume descriptors, path tables, directories and file data (one copy of each file, pointed
 * to by both the ISO 9660 and the Joliet records). The result is an ordered list of extents, each
 * saying what produces its bytes, and the total size. The tree must not change while an image
 * made from it exists.
 *
 * A reader serves any byte range on demand: metadata sectors are rendered from the layout, file
 * bytes are read from the sources at that moment. An image may have several readers (one per
 * thread); a reader is not shared between threads.
 */
#ifndef OPENFSI_IMAGE_H
#define OPENFSI_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/boot_image.h"
#include "openfsi/source.h"
#include "openfsi/status.h"
#include "openfsi/time.h"
#include "openfsi/tree.h"

#define FSI_SECTOR_SIZE 2048

struct fsi_image;
struct fsi_reader;
struct fsi_disc;                    /* import.h */

/* UDF revisions the writer knows (UDF 2.60 1.3.2: the revision as BCD, 0x0102 is 1.02). */
#define FSI_UDF_REVISION_1_02 0x0102
#define FSI_UDF_REVISION_1_50 0x0150
#define FSI_UDF_REVISION_2_00 0x0200
#define FSI_UDF_REVISION_2_01 0x0201
#define FSI_UDF_REVISION_2_50 0x0250
#define FSI_UDF_REVISION_2_60 0x0260

/* 1 when `revision` is one of the FSI_UDF_REVISION_* values. */
int fsi_udf_revision_is_supported(uint32_t revision);

/*
 * One El Torito boot image (El Torito 1.0, 2.0 to 2.4). The first is the initial/default entry of
 * the boot catalog; each further one gets a section of its own with its platform id. A boot image
 * is laid out once as data outside the directory tree (neither the catalog nor the images appear
 * as files, as with Microsoft's IMAPI).
 */
#define FSI_BOOT_ENTRY_MAX 32       /* what one catalog sector holds with a section per entry */

struct fsi_boot_entry {
    enum fsi_boot_platform platform;
    enum fsi_boot_emulation emulation;  /* floppies need an image of their exact size */
    uint16_t load_segment;          /* 0: the BIOS's default, 0x7C0 */
    /* No emulation only: 512-byte virtual sectors to load; 0: the whole image (at most 0xFFFF,
       what genisoimage and xorriso record by default). Emulation records 1. */
    uint16_t load_sectors;
    const char *manufacturer;       /* ASCII, up to FSI_BOOT_MANUFACTURER_MAX; NULL: none. Only
                                       the first entry's goes into the validation entry; the
                                       others name their section. */
    uint64_t size;                  /* bytes of the boot image, at least 1 */
    /* Its bytes. A host path is copied; a memory buffer must outlive the image; a callback source
       is held by the image (callbacks->retain, then release when the image is destroyed), so
       the caller may let go of its own hold once the image is made. */
    struct fsi_source source;
};

struct fsi_image_options {
    int iso9660;                    /* write the ISO 9660 hierarchy (Joliet needs it) */
    int iso9660_level;              /* 1, 2 or 3 */
    int joliet;                     /* also write a Joliet tree */
    uint32_t udf_revision;          /* 0: no UDF; else an FSI_UDF_REVISION_* value */
    int udf_redundant_metadata;     /* 2.50 and later: the metadata mirror is a second copy */
    int strict;                     /* refuse what ECMA-119 forbids (e.g. more than 8 levels) */
    const uint16_t *volume_name;    /* UTF-16; NULL or empty: made from the creation time */
    size_t volume_name_length;
    fsi_time creation_time;         /* recorded in the volume descriptors */
    uint32_t max_sectors;           /* the media's room (FreeMediaBlocks); 0: no limit */
    /*
     * The first sector of this session (SessionStartBlock; 0 for a single session). Sectors are
     * numbered on the whole disc, but the image's bytes (fsi_image_size, the reader) start at
     * this sector: the system area and volume descriptors are at session_start + 0 and + 16,
     * UDF's volume descriptor sequences at + 32 and + 48, its integrity sequence at + 64 and its
     * anchors at + 256 and at the last sector. A file imported from an earlier session
     * (fsi_node_disc_extents) is pointed at where it lies, not copied, when every file system
     * written can point at it: ISO 9660/Joliet need its data in one run of sectors below
     * session_start, UDF needs every extent inside the UDF partition and below session_start
     * (one allocation descriptor each). Otherwise it is copied once into this session, and all
     * file systems point at the copy.
     */
    uint32_t session_start;
    /*
     * UDF, a later session: the sector of the partition's block 0. 0 is the default, the sector
     * after the anchor at session_start + 256 (a partition of this session alone). A later
     * session passes the previous session's partition start (fsi_import_info) so that its
     * partition covers the old sessions' data, which can then be pointed at; every block below
     * session_start + 257 is recorded as allocated. Otherwise it must lie at sector 257 or
     * above and at or below session_start (FSI_E_INVALID_ARGUMENT).
     */
    uint32_t udf_partition_start;
    /*
     * UDF: the first unique id given to a file entry (0: the default, 16; UDF 2.60 3.2.1.1). A
     * later session passes the previous session's next unique id (fsi_import_info) so that ids
     * are never reused on the volume.
     */
    uint64_t udf_first_unique_id;
    /*
     * Rewritable media: the disc this image is written over (NULL: a new disc, or a later session
     * on write-once media). The image then covers the disc from sector 0 (fsi_image_first_sector
     * is 0): the new session is laid out at session_start as above, every sector below it keeps
     * the disc's content (read from the disc when the image is read), and only the session's head
     * is written over what readers look at first, last of all (fsi_image_modified): its volume
     * descriptors and UDF recognition sequence at 16 on, its UDF anchor at 256 and its file set
     * descriptor at the old partition's block 0 (udf_partition_start), each only where the disc
     * has the same kind of structure (FSI_E_INCOMPATIBLE_SESSION otherwise). The disc must
     * outlive the image.
     */
    const struct fsi_disc *base;
    /*
     * Rewritable media, with base: first try to lay the new volume out over the disc's own, in
     * place ("v1"; ISO 9660 + Joliet, UDF 1.02 to 2.60, or both, adding no boot images (an
     * El Torito boot record, catalog and images on the disc are kept), on a volume this writer
     * laid out): the fixed areas and the volume descriptor set stay where
     * the disc has them, every imported item keeps its UDF file entry and unique id, ISO 9660
     * and Joliet directories and path tables stay at their old extents when they keep their
     * size, a UDF directory whose identifiers change gets new ones in free space and its entry
     * rewritten where it is, new entries, directories and data go into space no old tree uses.
     * That is kept only when, in each file system, at most one sector its old tree reads
     * changes (besides descriptors the old tree reads right either way: UDF's partition
     * descriptors growing the partition, an ISO 9660 descriptor's volume size and dates): the
     * one that switches it to the new tree, written after everything it points at
     * (fsi_image_modified). Otherwise, or when the disc's volume
     * is not one it can take over, the image is laid out as above (a new session at
     * session_start, or when that is 0 at the disc's end rounded up to 32 sectors), with
     * udf_partition_start and udf_first_unique_id as given. fsi_image_in_place says which.
     */
    int in_place;
    /* El Torito boot images (ISO 9660 only): NULL and 0 for none. FSI_E_INVALID_ARGUMENT for more
       than FSI_BOOT_ENTRY_MAX, an unknown platform or emulation, an emulation that does not fit
       the size, or a manufacturer string that is too long or not ASCII. */
    const struct fsi_boot_entry *boot_entries;
    size_t boot_entry_count;
};

/*
 * Options as Microsoft's defaults: ISO 9660 level 2 and Joliet, no UDF, not strict, redundant
 * UDF metadata (used once a 2.50 or later revision is chosen); the caller sets the time.
 * fsi_image_create() fails with FSI_E_INVALID_ARGUMENT when no file system is chosen, Joliet
 * is chosen without ISO 9660, or the UDF revision is unknown.
 */
void fsi_image_options_init(struct fsi_image_options *options, fsi_time creation_time);

/* FSI_E_IMAGE_TOO_LARGE when the image would need more than options->max_sectors sectors. */
enum fsi_status fsi_image_create(const struct fsi_tree *tree,
                                 const struct fsi_image_options *options,
                                 struct fsi_image **image);
void fsi_image_destroy(struct fsi_image *image);

/* Sectors of the whole disc up to the image's end (what the volume descriptors record). */
uint32_t fsi_image_sector_count(const struct fsi_image *image);
/* 1 when the image was laid out in place over the base disc's volume (options.in_place). */
int fsi_image_in_place(const struct fsi_image *image);
/* The image's first sector (options.session_start; 0 with options.base). */
uint32_t fsi_image_first_sector(const struct fsi_image *image);
/* Bytes of the image: from its first sector to its end. */
uint64_t fsi_image_size(const struct fsi_image *image);

/* What produces the bytes of one extent of the image. */
enum fsi_extent_kind {
    FSI_EXTENT_ZERO,        /* unused sectors */
    FSI_EXTENT_METADATA,    /* rendered from the layout */
    FSI_EXTENT_FILE,        /* a file's data, zero-padded to the end of its last sector */
    FSI_EXTENT_DISC         /* kept: the base disc's sectors as they are (options.base) */
};

/* What an extent is for, finer than its kind: what a progress report names. */
enum fsi_extent_part {
    FSI_PART_SYSTEM_AREA,           /* the 16 sectors before the volume descriptors */
    FSI_PART_VOLUME_DESCRIPTORS,    /* the descriptor set, its terminator included */
    FSI_PART_PATH_TABLES,
    FSI_PART_DIRECTORIES,
    FSI_PART_FILE_DATA,
    FSI_PART_UDF_RECOGNITION,       /* the volume recognition sequence (BEA01, NSR0x, TEA01) */
    FSI_PART_UDF_DESCRIPTORS,       /* anchors, volume descriptor sequences, integrity */
    FSI_PART_UDF_FILE_SET,          /* file set descriptor and its terminator */
    FSI_PART_UDF_FILE_ENTRIES,      /* file entries of files and directories */
    FSI_PART_UDF_DIRECTORIES,       /* directories' file identifier descriptors */
    FSI_PART_UDF_SPACE_BITMAP,      /* the partition's unallocated space bitmap */
    FSI_PART_UDF_METADATA_MIRROR,   /* 2.50+: the second copy of the metadata partition */
    FSI_PART_UNUSED,                /* zero sectors after the system area that nothing uses */
    FSI_PART_BOOT_CATALOG,          /* El Torito's boot catalog */
    FSI_PART_BOOT_IMAGE,            /* an El Torito boot image (kind FSI_EXTENT_FILE, file NULL,
                                       file_size its size) */
    FSI_PART_KEPT                   /* the base disc's sectors below the session, as they are */
};

/* Which directory hierarchy a path-table or directory extent belongs to. */
enum fsi_extent_hierarchy {
    FSI_HIERARCHY_NONE,
    FSI_HIERARCHY_ISO9660,
    FSI_HIERARCHY_JOLIET,
    FSI_HIERARCHY_UDF
};

struct fsi_extent_info {
    uint32_t first_sector;
    uint32_t sector_count;
    enum fsi_extent_kind kind;
    enum fsi_extent_part part;
    enum fsi_extent_hierarchy hierarchy;
    const struct fsi_node *file;    /* FSI_EXTENT_FILE only; NULL for a boot image */
    uint64_t file_size;             /* FSI_EXTENT_FILE only: bytes of data before the padding */
};

/* The extents in sector order; together they cover sectors 0 to the end exactly once (those
   below the first sector, a later session's, as one FSI_EXTENT_ZERO extent). */
size_t fsi_image_extent_count(const struct fsi_image *image);
void fsi_image_extent(const struct fsi_image *image, size_t index, struct fsi_extent_info *info);

/*
 * The volume label the image records (the caller's, or the one made from the creation time), in
 * UTF-16 without a NUL; valid as long as the image.
 */
const uint16_t *fsi_image_volume_name(const struct fsi_image *image, size_t *length);

enum fsi_status fsi_reader_create(const struct fsi_image *image, struct fsi_reader **reader);
void fsi_reader_destroy(struct fsi_reader *reader);

/*
 * Fills `buffer` with `length` bytes of the image from `offset` (counted from the image's first
 * sector). Reading past the end fails with
 * FSI_E_INVALID_ARGUMENT. When a source fails, is shorter or longer than declared, the read fails
 * with FSI_E_SOURCE_READ, FSI_E_SOURCE_SHORT or FSI_E_SOURCE_LONG and fsi_reader_error() names
 * the file.
 */
enum fsi_status fsi_reader_read(struct fsi_reader *reader, uint64_t offset, void *buffer,
                                size_t length);

/* A sentence about the last failure of this reader ("" when there was none). */
const char *fsi_reader_error(const struct fsi_reader *reader);

/*
 * A host file's bytes at byte `offset` of the image (counted as fsi_reader_read counts them),
 * for a caller that copies them itself rather than through a reader's buffer (the tool maps big
 * files). Returns how many of the file's bytes follow there contiguously, up to the end of its
 * data (its padding is not included); `*path` gets the file's UTF-8 path, `*file_offset` where
 * in the file they start and `*file_size` the size the image records for it. Returns 0 where
 * something else lies. Such a caller must check the file's size as the reader does: a file
 * shorter or longer than `*file_size` must fail the image.
 */
uint64_t fsi_image_host_run(const struct fsi_image *image, uint64_t offset, const char **path,
                            uint64_t *file_offset, uint64_t *file_size);

/* A run of sectors, first and last inclusive (as IBlockRange has them). */
struct fsi_block_range {
    uint32_t first;
    uint32_t last;
};

struct fsi_modified_stats {
    uint64_t compared;              /* sectors whose new content was compared with the disc's */
    uint64_t listed;                /* sectors listed: those that differ */
    uint64_t unreadable;            /* compared sectors the disc could not give (listed) */
};

/*
 * The sectors a recorder must write to turn the base disc (options.base) into this image,
 * measured: every sector the image does not keep from the disc is rendered and compared with
 * the disc's, and only those that differ are listed (a sector the disc cannot give counts as
 * different). Writing the ranges over the disc gives the image byte for byte. The order is the
 * order to write them in: first everything the old tree does not look at, then the head that
 * switches the disc over to the new tree (volume descriptors, anchor, file set descriptor), so a
 * burn stopped after any sector leaves each file system as its old or its new tree. In place
 * (fsi_image_in_place): what no old tree reads (new entries, identifiers, directories and data,
 * the space bitmap), then the descriptors the old trees read right either way (UDF's but the
 * logical volume's, the new last anchor, ISO 9660 and Joliet descriptors changing only their
 * volume size and dates), then in each file system the one sector its old tree reads that
 * changes (its switch), the integrity descriptor last. Without
 * options.base: the whole image from its first sector, as one range. *ranges is malloc'd (free
 * it); failures: FSI_E_OUT_OF_MEMORY, or the reader's.
 */
enum fsi_status fsi_image_modified(const struct fsi_image *image,
                                   struct fsi_block_range **ranges, size_t *count,
                                   struct fsi_modified_stats *stats);

#endif
