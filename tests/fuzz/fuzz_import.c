/*
 * libFuzzer target for the file-system readers (src/core/iso_import.c, udf_import.c). The input
 * is a sparse disc image, so mutations land on structures rather than on the zeros a UDF image is
 * mostly made of: a 32-bit little-endian sector count, then records of a 32-bit sector number and
 * that sector's 2048 bytes; sectors without a record read as zeros (make_seeds writes this form).
 * Every file system fsi_disc_identify() finds is imported, and each imported file's data is read
 * back through its source, so the readers' bounds, loops and extents are all exercised. Then the
 * preferred one's tree is laid out over the disc as an append to rewritable media asks
 * (options.in_place), which walks the old volume again for where it lies (iso_read_usage with
 * the El Torito catalog, udf_read_usage with the metadata partition) and measures. Built
 * with clang, -fsanitize=fuzzer,address,undefined (tests/fuzz/CMakeLists.txt).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openfsi/image.h"
#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/tree.h"

#define RECORD_SIZE (4 + 2048)
#define MAX_SECTORS (1u << 22)          /* 8 GiB of disc: enough for any structure to point at */

struct sparse_disc {
    const uint8_t *data;
    size_t records;
};

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The last record for `sector` wins, as a later write would. */
static const uint8_t *sparse_sector(const struct sparse_disc *disc, uint32_t sector)
{
    const uint8_t *found = NULL;
    size_t i;

    for (i = 0; i < disc->records; i++)
        if (le32(disc->data + i * RECORD_SIZE) == sector)
            found = disc->data + i * RECORD_SIZE + 4;
    return found;
}

static enum fsi_status sparse_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    const struct sparse_disc *disc = context;
    uint32_t i;

    for (i = 0; i < count; i++) {
        const uint8_t *sector = sparse_sector(disc, first + i);
        if (sector)
            memcpy((uint8_t *)buffer + (size_t)i * 2048, sector, 2048);
        else
            memset((uint8_t *)buffer + (size_t)i * 2048, 0, 2048);
    }
    return FSI_OK;
}

/* Reads up to 64 KiB of every imported file, depth first without recursion. */
static void read_files(struct fsi_node *root)
{
    static uint8_t buffer[65536];
    struct fsi_node *stack[256];
    size_t depth = 0, index[256];

    stack[0] = root;
    index[0] = 0;
    while (1) {
        struct fsi_node *dir = stack[depth];
        if (index[depth] >= fsi_node_child_count(dir)) {
            if (!depth)
                break;
            depth--;
            continue;
        }
        {
            struct fsi_node *child = fsi_node_child(dir, index[depth]++);
            const struct fsi_source *source = fsi_node_source(child);
            uint32_t s;
            if (fsi_node_is_directory(child)) {
                if (depth + 1 < 256) {
                    stack[++depth] = child;
                    index[depth] = 0;
                }
                continue;
            }
            for (s = 0; s <= fsi_node_stream_count(child); s++) {
                const struct fsi_node *node = s ? fsi_node_stream(child, s - 1) : child;
                size_t done = 0, want;
                source = fsi_node_source(node);
                want = fsi_node_size(node) < sizeof(buffer) ? (size_t)fsi_node_size(node)
                                                             : sizeof(buffer);
                if (source->kind == FSI_SOURCE_CALLBACK)
                    source->u.callback.callbacks->read(source->u.callback.context, 0, buffer, want,
                                                       &done);
            }
        }
    }
}

/* An append over the disc: its preferred file system imported, every file system it has laid
   out in place (or as a new session when that is not safe). */
static void append_in_place(const struct fsi_disc *disc, uint32_t found)
{
    struct fsi_import_info info;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_tree *tree = fsi_tree_create();

    memset(&info, 0, sizeof(info));
    if (!tree || fsi_disc_import(disc, 0, fsi_preferred_file_system(found), tree, &info) != FSI_OK) {
        fsi_tree_destroy(tree);
        return;
    }
    fsi_image_options_init(&options, 0);
    options.iso9660 = (found & FSI_FILE_SYSTEM_ISO9660) != 0;
    options.joliet = options.iso9660 && (found & FSI_FILE_SYSTEM_JOLIET);
    options.iso9660_level = 3;
    options.udf_revision = !(found & FSI_FILE_SYSTEM_UDF)                ? 0
                           : fsi_udf_revision_is_supported(info.udf_revision) ? info.udf_revision
                                                                          : FSI_UDF_REVISION_1_02;
    options.udf_redundant_metadata = info.udf_duplicate_metadata;
    options.udf_partition_start = info.udf_partition_start;
    options.udf_first_unique_id = info.udf_next_unique_id;
    options.base = disc;
    options.in_place = 1;
    if (options.iso9660 || options.udf_revision) {
        if (fsi_image_create(tree, &options, &image) == FSI_OK) {
            struct fsi_block_range *ranges = NULL;
            size_t count = 0;
            fsi_image_modified(image, &ranges, &count, NULL);
            free(ranges);
        }
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t systems[] = { FSI_FILE_SYSTEM_ISO9660, FSI_FILE_SYSTEM_JOLIET,
                                        FSI_FILE_SYSTEM_UDF };
    struct sparse_disc sparse;
    struct fsi_disc disc;
    uint32_t found = 0;
    size_t i;

    if (size < 4)
        return 0;
    sparse.data = data + 4;
    sparse.records = (size - 4) / RECORD_SIZE;
    disc.read = sparse_read;
    disc.context = &sparse;
    disc.sector_count = le32(data) % MAX_SECTORS;
    if (fsi_disc_identify(&disc, 0, &found) != FSI_OK)
        return 0;
    for (i = 0; i < sizeof(systems) / sizeof(systems[0]); i++) {
        struct fsi_import_info info;
        struct fsi_tree *tree;
        if (!(found & systems[i]))
            continue;
        tree = fsi_tree_create();
        if (!tree)
            return 0;
        if (fsi_disc_import(&disc, 0, systems[i], tree, &info) == FSI_OK)
            read_files(fsi_tree_root(tree));
        fsi_tree_destroy(tree);
    }
    append_in_place(&disc, found);
    return 0;
}
