/*
 * libFuzzer target for the file-system readers (src/core/iso_import.c, udf_import.c): the input
 * is a disc image (zero-padded to whole sectors); every file system fsi_disc_identify() finds is
 * imported, and each imported file's data is read back through its source, so the readers'
 * bounds, loops and extents are all exercised. Built with clang, -fsanitize=fuzzer,address,
 * undefined (tests/fuzz/CMakeLists.txt).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/tree.h"

struct memory_disc {
    const uint8_t *data;
    size_t size;
};

static enum fsi_status memory_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    const struct memory_disc *disc = context;
    uint64_t offset = (uint64_t)first * 2048, length = (uint64_t)count * 2048;

    memset(buffer, 0, (size_t)length);
    if (offset < disc->size)
        memcpy(buffer, disc->data + offset,
               (size_t)(disc->size - offset < length ? disc->size - offset : length));
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t systems[] = { FSI_FILE_SYSTEM_ISO9660, FSI_FILE_SYSTEM_JOLIET,
                                        FSI_FILE_SYSTEM_UDF };
    struct memory_disc memory = { data, size };
    struct fsi_disc disc;
    uint32_t found = 0;
    size_t i;

    disc.read = memory_read;
    disc.context = &memory;
    disc.sector_count = (uint32_t)((size + 2047) / 2048);
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
    return 0;
}
