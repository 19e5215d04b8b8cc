/*
 * Writes the fuzzer's seed corpus, in the fuzzer's sparse form (fuzz_import.c: the sector count,
 * then each sector that is not all zeros with its number): small images made by the engine of one tree (nested and empty
 * directories, an empty file, a hidden file, a long and a non-ASCII name, named streams), as ISO
 * 9660, ISO 9660 + Joliet, and each UDF revision alone and bridged. Usage: make_seeds DIR
 */
#include <stdio.h>
#include <string.h>

#include "openfsi/image.h"
#include "openfsi/tree.h"

static size_t units(const char *ascii, uint16_t *out)
{
    size_t n = 0;
    while (ascii[n]) {
        out[n] = (uint8_t)ascii[n];
        n++;
    }
    return n;
}

static struct fsi_tree *seed_tree(void)
{
    static const char text[] = "seed file contents, more than nothing";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source data = fsi_source_memory(text, sizeof(text));
    struct fsi_source none = fsi_source_memory(NULL, 0);
    struct fsi_node *dir = NULL, *sub = NULL, *file = NULL, *stream = NULL;
    uint16_t name[128];
    static const uint16_t cyrillic[] = { 0x0444, 0x0430, 0x0439, 0x043B, '.', 't', 'x', 't' };

    fsi_tree_add_directory(tree, fsi_tree_root(tree), name, units("dir", name), &dir);
    fsi_tree_add_directory(tree, dir, name, units("empty", name), &sub);
    fsi_tree_add_file(tree, dir, name, units("a file with a rather long name.txt", name),
                      sizeof(text), &data, &file);
    fsi_tree_add_stream(tree, file, name, units("Zone.Identifier", name), sizeof(text), &data,
                        &stream);
    fsi_tree_add_file(tree, fsi_tree_root(tree), cyrillic, 8, sizeof(text), &data, &file);
    fsi_node_set_hidden(file, 1);
    fsi_tree_add_file(tree, fsi_tree_root(tree), name, units("zero", name), 0, &none, &file);
    return tree;
}

static void put32(unsigned char *p, uint32_t value)
{
    p[0] = (unsigned char)value;
    p[1] = (unsigned char)(value >> 8);
    p[2] = (unsigned char)(value >> 16);
    p[3] = (unsigned char)(value >> 24);
}

static int write_image(struct fsi_tree *tree, const struct fsi_image_options *options,
                       const char *path)
{
    static unsigned char sector[2048], zeros[2048];
    struct fsi_image *image = NULL;
    struct fsi_reader *reader = NULL;
    unsigned char number[4];
    uint32_t s, count;
    FILE *out;

    if (fsi_image_create(tree, options, &image) != FSI_OK ||
        fsi_reader_create(image, &reader) != FSI_OK)
        return 1;
    count = fsi_image_sector_count(image);
    out = fopen(path, "wb");
    if (!out)
        return 1;
    put32(number, count);
    fwrite(number, 1, 4, out);
    for (s = 0; s < count; s++) {
        if (fsi_reader_read(reader, (uint64_t)s * 2048, sector, sizeof(sector)) != FSI_OK)
            return 1;
        if (!memcmp(sector, zeros, sizeof(sector)))
            continue;
        put32(number, s);
        if (fwrite(number, 1, 4, out) != 4 || fwrite(sector, 1, sizeof(sector), out) != 2048)
            return 1;
    }
    if (fclose(out) != 0)
        return 1;
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    return 0;
}

int main(int argc, char **argv)
{
    static const uint32_t revisions[] = { 0x102, 0x150, 0x200, 0x201, 0x250, 0x260 };
    struct fsi_tree *tree;
    struct fsi_image_options options;
    char path[4096];
    size_t i;
    int failed = 0;

    if (argc != 2)
        return 2;
    tree = seed_tree();
    fsi_image_options_init(&options, 133000000000000000ll);
    options.joliet = 0;
    snprintf(path, sizeof(path), "%s/iso9660.iso", argv[1]);
    failed |= write_image(tree, &options, path);
    options.joliet = 1;
    snprintf(path, sizeof(path), "%s/joliet.iso", argv[1]);
    failed |= write_image(tree, &options, path);
    for (i = 0; i < sizeof(revisions) / sizeof(revisions[0]); i++) {
        options.udf_revision = revisions[i];
        options.iso9660 = options.joliet = 1;
        snprintf(path, sizeof(path), "%s/bridge-%03x.iso", argv[1], revisions[i]);
        failed |= write_image(tree, &options, path);
        options.iso9660 = options.joliet = 0;
        snprintf(path, sizeof(path), "%s/udf-%03x.img", argv[1], revisions[i]);
        failed |= write_image(tree, &options, path);
    }
    {
        /* A bootable bridge: the El Torito boot record and catalog an append keeps. */
        static unsigned char loader[2048];
        struct fsi_boot_entry entry;
        memset(&entry, 0, sizeof(entry));
        entry.platform = FSI_BOOT_PLATFORM_X86;
        entry.emulation = FSI_BOOT_EMULATION_NONE;
        entry.size = sizeof(loader);
        entry.source = fsi_source_memory(loader, sizeof(loader));
        options.iso9660 = options.joliet = 1;
        options.udf_revision = 0x102;
        options.boot_entries = &entry;
        options.boot_entry_count = 1;
        snprintf(path, sizeof(path), "%s/bootable-bridge.iso", argv[1]);
        failed |= write_image(tree, &options, path);
        options.boot_entries = NULL;
        options.boot_entry_count = 0;
    }
    fsi_tree_destroy(tree);
    if (failed)
        fprintf(stderr, "make_seeds: an image could not be written\n");
    return failed;
}
