/*
 * Reading a disc's file systems back (the previous session, `openfsi ls`, the importer of
 * IFileSystemImage::ImportFileSystem). The disc is anything that can read 2048-byte sectors: an
 * image file, or the recorder's READ commands. Every structure read from it is treated as hostile:
 * lengths and locations are checked against the buffer and the disc, loops and depth are bounded,
 * and a malformed file system fails with FSI_E_CORRUPT_FILE_SYSTEM and a sentence naming the
 * structure and its sector, never a crash, a hang or a wrong tree.
 *
 * An imported file's bytes stay on the disc: its source reads them from there when the image is
 * read, and the layout of a later session may point at them where they lie
 * (fsi_node_disc_extents()).
 */
#ifndef OPENFSI_IMPORT_H
#define OPENFSI_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/status.h"
#include "openfsi/tree.h"

struct fsi_disc {
    /* Reads `count` sectors from `first` into `buffer` (count * 2048 bytes). FSI_OK, or
       FSI_E_DISC_READ when the sectors cannot be read. */
    enum fsi_status (*read)(void *context, uint32_t first, uint32_t count, void *buffer);
    void *context;
    uint32_t sector_count;          /* readable sectors; nothing at or past it is read */
};

/* Where a file's data lies on the disc, in whole sectors (the last one may be partly used). */
struct fsi_disc_extent {
    uint32_t first_sector;
    uint32_t sector_count;
};

/* What an import found. */
struct fsi_import_info {
    uint32_t file_system;           /* FSI_FILE_SYSTEM_* (media.h) that was read */
    uint16_t volume_name[128];      /* UTF-16, no NUL */
    size_t volume_name_length;
    uint32_t udf_revision;          /* UDF: the domain's revision (e.g. 0x0250); else 0 */
    /* UDF, for a later session (fsi_image_options): the sector of block 0 of the partition
       holding the file set, the next unique id (the integrity descriptor's, or one past the
       largest met when that is larger), and whether a metadata partition (2.50+) keeps its
       mirror as a second copy; else 0. */
    uint32_t udf_partition_start;
    uint64_t udf_next_unique_id;
    int udf_duplicate_metadata;
    uint32_t files, directories;
    char error[256];                /* on failure: which structure at which sector, and why */
};

/*
 * The file systems of the session whose volume descriptors start at `session_start` + 16
 * (0 for a single-session disc or image): FSI_FILE_SYSTEM_* bits in *file_systems (0 when none is
 * recognised). Fails only when the disc cannot be read.
 */
enum fsi_status fsi_disc_identify(const struct fsi_disc *disc, uint32_t session_start,
                                  uint32_t *file_systems);

/*
 * Adds the files and directories of `file_system` (one FSI_FILE_SYSTEM_* bit) found on the disc
 * to the root of `tree`, with their names, sizes, times and hidden flags, each file's data read
 * from the disc. FSI_E_NOT_FOUND when the disc has no such file system, FSI_E_CORRUPT_FILE_SYSTEM
 * when it is malformed (info->error says where), FSI_E_DISC_READ when a sector cannot be read.
 * The disc must outlive the tree's reads of imported data.
 */
enum fsi_status fsi_disc_import(const struct fsi_disc *disc, uint32_t session_start,
                                uint32_t file_system, struct fsi_tree *tree,
                                struct fsi_import_info *info);

/* The file system to import from the FSI_FILE_SYSTEM_* bits `found`: the richest, UDF, then
   Joliet, then ISO 9660, as Windows chooses (GetDefaultFileSystemForImport); 0 for none. */
uint32_t fsi_preferred_file_system(uint32_t found);

/*
 * Checks that the disc holds a file system the readers can walk whole: the richest one found
 * (UDF, then Joliet, then ISO 9660) is imported into a scratch tree and dropped. FSI_OK (and
 * info->file_system says which), FSI_E_NOT_FOUND when none is recognised, or the import's
 * failure with info->error (IIsoImageManager::Validate).
 */
enum fsi_status fsi_disc_validate(const struct fsi_disc *disc, struct fsi_import_info *info);

/* The extents of an imported file's data on the disc (count 0 for other nodes). */
const struct fsi_disc_extent *fsi_node_disc_extents(const struct fsi_node *node, size_t *count);

#endif
