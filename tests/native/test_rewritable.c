/*
 * Images written over a rewritable disc (fsi_image_options.base) and their measured modified
 * sectors (fsi_image_modified): for ISO 9660 + Joliet and UDF 1.02 to 2.60, alone and bridged
 * (2.50+ with and without a metadata mirror), a disc in memory gets three more sessions of
 * changes (files added, removed, replaced, a new directory). After each: the old disc with only
 * the listed ranges written equals the full image byte for byte; every listed sector differs
 * from the disc (none is listed for nothing); the kept files' data is never listed; and a burn
 * stopped after any listed sector (every one, or a sample of each session's long runs, the head
 * always) leaves each file system on the disc reading as exactly its old or exactly its new
 * tree. Not here: other readers (the tool tests).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "openfsi/image.h"
#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/tree.h"

#define TEST_TIME ((fsi_time)133000000000000000ll)
#define SECTOR FSI_SECTOR_SIZE
#define ALL_CUTS 400                /* sessions listing more sectors are sampled */

/* ---- A disc in memory, growing as sectors are written past its end ---- */

struct memory_disc {
    struct fsi_disc disc;
    uint8_t *bytes;
    uint32_t sectors;               /* allocated */
    uint32_t damaged;               /* a sector that reads as zeros (0: none) */
};

static enum fsi_status memory_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    struct memory_disc *m = context;
    if ((uint64_t)first + count > m->disc.sector_count)
        return FSI_E_DISC_READ;
    memcpy(buffer, m->bytes + (size_t)first * SECTOR, (size_t)count * SECTOR);
    if (m->damaged && m->damaged >= first && m->damaged - first < count)
        memset((uint8_t *)buffer + (size_t)(m->damaged - first) * SECTOR, 0, SECTOR);
    return FSI_OK;
}

/* The sector of the UDF metadata file's entry (file type 250, UDF 2.2.13.1), or 0. */
static uint32_t metadata_file_entry(const struct memory_disc *m)
{
    uint32_t s;

    for (s = 257; s < m->disc.sector_count; s++) {
        const uint8_t *b = m->bytes + (size_t)s * SECTOR;
        unsigned tag = b[0] | (unsigned)b[1] << 8;
        if ((tag == 261 || tag == 266) && b[27] == 250)
            return s;
    }
    return 0;
}

static void disc_init(struct memory_disc *m)
{
    memset(m, 0, sizeof(*m));
    m->disc.read = memory_read;
    m->disc.context = m;
}

static void disc_write(struct memory_disc *m, uint32_t sector, const uint8_t *data, uint32_t count)
{
    if (sector + count > m->sectors) {
        uint32_t grown = (sector + count) * 2;
        m->bytes = realloc(m->bytes, (size_t)grown * SECTOR);
        assert_non_null(m->bytes);
        memset(m->bytes + (size_t)m->sectors * SECTOR, 0, (size_t)(grown - m->sectors) * SECTOR);
        m->sectors = grown;
    }
    memcpy(m->bytes + (size_t)sector * SECTOR, data, (size_t)count * SECTOR);
    if (sector + count > m->disc.sector_count)
        m->disc.sector_count = sector + count;
}

static void disc_copy(struct memory_disc *to, const struct memory_disc *from)
{
    disc_init(to);
    if (from->disc.sector_count)
        disc_write(to, 0, from->bytes, from->disc.sector_count);
}

static uint8_t *image_bytes(const struct fsi_image *image)
{
    uint64_t size = fsi_image_size(image);
    uint8_t *bytes = malloc((size_t)size + 1);
    struct fsi_reader *reader;

    assert_non_null(bytes);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, 0, bytes, (size_t)size), FSI_OK);
    fsi_reader_destroy(reader);
    return bytes;
}

/* ---- Trees and what a reader sees of them ---- */

static uint32_t rng_state;

static uint32_t next_random(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

static uint8_t pool[3u << 20];          /* file contents are slices of it */

static size_t units(const char *ascii, uint16_t *out)
{
    size_t n = 0;
    while (ascii[n]) {
        out[n] = (uint8_t)ascii[n];
        n++;
    }
    return n;
}

static struct fsi_node *child(struct fsi_node *dir, const char *name)
{
    uint16_t u[64];
    size_t n = units(name, u), i;
    for (i = 0; i < fsi_node_child_count(dir); i++) {
        size_t length;
        const uint16_t *got = fsi_node_name(fsi_node_child(dir, i), &length);
        if (length == n && !memcmp(got, u, n * 2))
            return fsi_node_child(dir, i);
    }
    return NULL;
}

static struct fsi_node *add_dir(struct fsi_tree *tree, struct fsi_node *parent, const char *name)
{
    uint16_t u[64];
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_add_directory(tree, parent, u, units(name, u), &node), FSI_OK);
    return node;
}

static struct fsi_node *add_file(struct fsi_tree *tree, struct fsi_node *parent, const char *name,
                                 size_t size)
{
    uint16_t u[64];
    size_t offset = size < sizeof(pool) ? next_random() % (sizeof(pool) - size) : 0;
    struct fsi_source source = fsi_source_memory(pool + offset, size);
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_add_file(tree, parent, u, units(name, u), size, &source, &node),
                     FSI_OK);
    fsi_node_set_times(node, TEST_TIME, TEST_TIME, TEST_TIME);
    return node;
}

static uint64_t fnv(uint64_t hash, const void *data, size_t length)
{
    const uint8_t *p = data;
    while (length--) {
        hash ^= *p++;
        hash *= 0x100000001B3ull;
    }
    return hash;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A digest of the tree below `root`: every item's path, kind, size and bytes, in any order. */
static uint64_t tree_digest(struct fsi_node *root)
{
    static uint8_t data[1 << 16];
    uint64_t *lines = NULL, hash = 0xCBF29CE484222325ull;
    size_t count = 0, capacity = 0, i;
    struct fsi_node *stack[256];
    size_t depth = 0;

    stack[depth++] = root;
    while (depth) {
        struct fsi_node *dir = stack[--depth];
        for (i = 0; i < fsi_node_child_count(dir); i++) {
            struct fsi_node *node = fsi_node_child(dir, i);
            uint16_t path[1024];
            size_t n = fsi_node_path(node, path, 1024);
            uint64_t line = fnv(0xCBF29CE484222325ull, path, n * 2), size = fsi_node_size(node);
            line = fnv(line, &size, sizeof(size));
            if (fsi_node_is_directory(node)) {
                line = fnv(line, "d", 1);
                assert_true(depth < 256);
                stack[depth++] = node;
            } else if (size) {
                const struct fsi_source *source = fsi_node_source(node);
                uint64_t at = 0;
                while (at < size) {
                    size_t want = size - at < sizeof(data) ? (size_t)(size - at) : sizeof(data);
                    size_t done = 0;
                    if (source->kind == FSI_SOURCE_MEMORY)
                        memcpy(data, (const uint8_t *)source->u.memory.data + at, want);
                    else
                        assert_int_equal(source->u.callback.callbacks->read(
                                             source->u.callback.context, at, data, want, &done),
                                         FSI_OK);
                    line = fnv(line, data, want);
                    at += want;
                }
            }
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 64;
                lines = realloc(lines, capacity * sizeof(*lines));
                assert_non_null(lines);
            }
            lines[count++] = line;
        }
    }
    qsort(lines, count, sizeof(*lines), compare_u64);
    for (i = 0; i < count; i++)
        hash = fnv(hash, &lines[i], sizeof(lines[i]));
    free(lines);
    return hash;
}

/* The digest of file system `system` on the disc, or 0 when it cannot be read. */
static uint64_t disc_digest(const struct fsi_disc *disc, uint32_t system,
                            struct fsi_import_info *info)
{
    struct fsi_tree *tree = fsi_tree_create();
    uint64_t digest = 0;

    if (fsi_disc_import(disc, 0, system, tree, info) == FSI_OK)
        digest = tree_digest(fsi_tree_root(tree));
    fsi_tree_destroy(tree);
    return digest;
}

/* ---- The sessions ---- */

struct mix {
    const char *name;
    int iso9660;
    uint32_t udf_revision;
    int in_place;                   /* options.in_place */
    int one_directory;              /* each session changes one directory or one file's data */
    int expect_in_place;            /* what fsi_image_in_place must say */
    void (*change)(struct fsi_tree *tree, int session);     /* NULL: change / one_directory */
    int no_mirror;                  /* 2.50+: the metadata mirror shares the metadata file */
    int boot;                       /* the first session has an El Torito boot image */
};

static const uint32_t systems[] = { FSI_FILE_SYSTEM_ISO9660, FSI_FILE_SYSTEM_JOLIET,
                                    FSI_FILE_SYSTEM_UDF };

static void options_for(struct fsi_image_options *options, const struct mix *mix)
{
    fsi_image_options_init(options, TEST_TIME);
    options->iso9660 = mix->iso9660;
    options->joliet = mix->iso9660;
    options->iso9660_level = 3;
    options->udf_revision = mix->udf_revision;
    options->in_place = mix->in_place;
    options->udf_redundant_metadata = !mix->no_mirror;
}

static void first_session(struct memory_disc *m, const struct mix *mix)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *docs;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint8_t *bytes;
    int i;

    docs = add_dir(tree, root, "docs");
    add_dir(tree, add_dir(tree, docs, "deep"), "deeper");
    add_file(tree, root, "big.bin", 1u << 20);
    add_file(tree, root, "empty", 0);
    for (i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof(name), "file%02d.txt", i);
        add_file(tree, i % 2 ? docs : root, name, next_random() % 9000);
    }
    options_for(&options, mix);
    if (mix->boot) {
        static struct fsi_boot_entry entry;
        memset(&entry, 0, sizeof(entry));
        entry.platform = FSI_BOOT_PLATFORM_X86;
        entry.emulation = FSI_BOOT_EMULATION_NONE;
        entry.manufacturer = "openfsi test";
        entry.size = 5000;
        entry.source = fsi_source_memory(pool + 99, 5000);
        options.boot_entries = &entry;
        options.boot_entry_count = 1;
    }
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    bytes = image_bytes(image);
    disc_init(m);
    disc_write(m, 0, bytes, fsi_image_sector_count(image));
    free(bytes);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* Random changes: files added (one in a new directory), one removed, one replaced. */
static void change(struct fsi_tree *tree, int session)
{
    struct fsi_node *root = fsi_tree_root(tree), *docs = child(root, "docs"), *node, *fresh;
    char name[32];
    int i;

    assert_non_null(docs);
    for (i = 0; i < 3; i++) {
        snprintf(name, sizeof(name), "s%d_%d.dat", session, i);
        add_file(tree, i ? docs : root, name, next_random() % 20000);
    }
    snprintf(name, sizeof(name), "new%d", session);
    fresh = add_dir(tree, root, name);
    add_file(tree, fresh, "inside.txt", 100 + next_random() % 3000);
    snprintf(name, sizeof(name), "file%02d.txt", 2 * session);     /* removed */
    node = child(root, name);
    if (node)
        assert_int_equal(fsi_tree_remove(tree, node, 0), FSI_OK);
    snprintf(name, sizeof(name), "file%02d.txt", 2 * session + 1); /* replaced */
    node = child(docs, name);
    if (node) {
        struct fsi_source source = fsi_source_memory(pool + 5, 4321);
        assert_int_equal(fsi_tree_set_file_data(tree, node, 4321, &source), FSI_OK);
    }
}

/* Changes an in-place layout can make with one switch sector: files and a directory added to
   one directory, a file removed and one added there, one file's data replaced. */
static void change_one_directory(struct fsi_tree *tree, int session)
{
    struct fsi_node *root = fsi_tree_root(tree), *docs = child(root, "docs"), *node;
    char name[32];

    assert_non_null(docs);
    if (session == 2) {
        add_file(tree, docs, "s2_a.dat", 10240);
        add_file(tree, docs, "s2_b.dat", next_random() % 20000);
        add_file(tree, add_dir(tree, docs, "new2"), "inside.txt", 1000);
    } else if (session == 3) {
        node = child(docs, "file03.txt");
        assert_non_null(node);
        assert_int_equal(fsi_tree_remove(tree, node, 0), FSI_OK);
        add_file(tree, docs, "s3.dat", 5000);
    } else {
        struct fsi_source source = fsi_source_memory(pool + 5, 4321);
        snprintf(name, sizeof(name), "file%02d.txt", 5);
        node = child(docs, name);
        assert_non_null(node);
        assert_int_equal(fsi_tree_set_file_data(tree, node, 4321, &source), FSI_OK);
    }
}

/* Changes that keep every directory in its sectors and add none (in place, ISO 9660 and Joliet
   then switch at one directory sector each): files added to one directory, a file removed and
   one added there, one file's data replaced. */
static void change_one_directory_files(struct fsi_tree *tree, int session)
{
    struct fsi_node *root = fsi_tree_root(tree), *docs = child(root, "docs"), *node;

    assert_non_null(docs);
    if (session == 2) {
        add_file(tree, docs, "s2_a.dat", 10240);
        add_file(tree, docs, "s2_b.dat", next_random() % 20000);
    } else if (session == 3) {
        node = child(docs, "file03.txt");
        assert_non_null(node);
        assert_int_equal(fsi_tree_remove(tree, node, 0), FSI_OK);
        add_file(tree, docs, "s3.dat", 5000);
    } else {
        struct fsi_source source = fsi_source_memory(pool + 5, 4321);
        node = child(docs, "file05.txt");
        assert_non_null(node);
        assert_int_equal(fsi_tree_set_file_data(tree, node, 4321, &source), FSI_OK);
    }
}

/* The sectors the ranges list, in write order. */
static uint32_t *write_order(const struct fsi_block_range *ranges, size_t count, size_t *total)
{
    uint32_t *order;
    size_t i, n = 0;
    uint32_t s;

    *total = 0;
    for (i = 0; i < count; i++)
        *total += ranges[i].last - ranges[i].first + 1;
    order = malloc((*total + 1) * sizeof(*order));
    assert_non_null(order);
    for (i = 0; i < count; i++)
        for (s = ranges[i].first; s <= ranges[i].last; s++)
            order[n++] = s;
    return order;
}

/* One more session over the disc in `m` (which becomes the written disc); returns the sectors
   listed. */
static size_t next_session(struct memory_disc *m, const struct mix *mix, int session)
{
    uint64_t old_digest[3], new_digest[3];
    struct fsi_import_info info;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_block_range *ranges = NULL;
    struct fsi_modified_stats stats;
    struct memory_disc written, cut;
    struct fsi_tree *tree = fsi_tree_create();
    uint32_t found = 0, *order, k, mirror_view;
    size_t count, total, i, step;
    uint8_t *full;

    assert_int_equal(fsi_disc_identify(&m->disc, 0, &found), FSI_OK);
    for (k = 0; k < 3; k++)
        old_digest[k] = (found & systems[k]) ? disc_digest(&m->disc, systems[k], &info) : 0;
    assert_int_equal(fsi_disc_import(&m->disc, 0, fsi_preferred_file_system(found), tree, &info),
                     FSI_OK);
    if (mix->change)
        mix->change(tree, session);
    else if (mix->one_directory)
        change_one_directory(tree, session);
    else
        change(tree, session);

    options_for(&options, mix);
    options.base = &m->disc;
    options.session_start = (m->disc.sector_count + 15) / 16 * 16;
    options.udf_partition_start = info.udf_partition_start;
    options.udf_first_unique_id = info.udf_next_unique_id;
    if (mix->in_place) {
        /* As a caller would: a new time, the disc's label kept. */
        options.creation_time = TEST_TIME + (fsi_time)session * 600000000;
        options.volume_name = info.volume_name;
        options.volume_name_length = info.volume_name_length;
    }
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    assert_int_equal(fsi_image_first_sector(image), 0);
    if (fsi_image_in_place(image) != mix->expect_in_place)
        fail_msg("%s session %d: laid out %s", mix->name, session,
                 fsi_image_in_place(image) ? "in place" : "as a new session");
    assert_int_equal(fsi_image_modified(image, &ranges, &count, &stats), FSI_OK);
    assert_true(count >= 1);
    full = image_bytes(image);

    /* Recall: the old disc with only the ranges written is the image. */
    order = write_order(ranges, count, &total);
    assert_int_equal(total, stats.listed);
    disc_copy(&written, m);
    for (i = 0; i < total; i++)
        disc_write(&written, order[i], full + (size_t)order[i] * SECTOR, 1);
    assert_int_equal(written.disc.sector_count, fsi_image_sector_count(image));
    assert_memory_equal(written.bytes, full, fsi_image_size(image));
    /* Precision: every listed sector the disc had differs from the image's. */
    for (i = 0; i < total; i++)
        if (order[i] < m->disc.sector_count)
            assert_memory_not_equal(m->bytes + (size_t)order[i] * SECTOR,
                                    full + (size_t)order[i] * SECTOR, SECTOR);
    /* The kept big file's data is never rewritten. */
    {
        struct fsi_node *big = child(fsi_tree_root(tree), "big.bin");
        size_t n = 0;
        const struct fsi_disc_extent *e = big ? fsi_node_disc_extents(big, &n) : NULL;
        assert_true(n >= 1 || mix->change);
        for (i = 0; n && i < total; i++)
            assert_false(order[i] >= e[0].first_sector &&
                         order[i] < e[0].first_sector + e[0].sector_count);
    }
    for (k = 0; k < 3; k++)
        new_digest[k] = (found & systems[k]) ? disc_digest(&written.disc, systems[k], &info) : 0;
    assert_true(new_digest[fsi_preferred_file_system(found) == FSI_FILE_SYSTEM_UDF ? 2 : 1] ==
                tree_digest(fsi_tree_root(tree)));

    /* A burn stopped after any sector: each file system reads as its old or its new tree, and
       so does a redundant metadata mirror, read when the metadata file's entry is damaged. */
    mirror_view = mix->udf_revision >= FSI_UDF_REVISION_2_50 && !mix->no_mirror &&
                  fsi_image_in_place(image) ? metadata_file_entry(m) : 0;
    step = total <= ALL_CUTS ? 1 : total / 97;
    for (i = 0; i <= total; i++) {
        size_t j;
        if (i % step && i + 20 < total)
            continue;
        disc_copy(&cut, m);
        for (j = 0; j < i; j++)
            disc_write(&cut, order[j], full + (size_t)order[j] * SECTOR, 1);
        for (k = 0; k < 3; k++) {
            uint64_t digest;
            if (!(found & systems[k]))
                continue;
            digest = disc_digest(&cut.disc, systems[k], &info);
            if (digest != old_digest[k] && digest != new_digest[k])
                fail_msg("%s session %d: stopped after %zu of %zu sectors, file system %u "
                         "reads neither the old nor the new tree (%s)",
                         mix->name, session, i, total, systems[k], info.error);
        }
        if (mirror_view) {
            uint64_t digest;
            cut.damaged = mirror_view;
            digest = disc_digest(&cut.disc, FSI_FILE_SYSTEM_UDF, &info);
            if (digest != old_digest[2] && digest != new_digest[2])
                fail_msg("%s session %d: stopped after %zu of %zu sectors, the metadata "
                         "mirror reads neither the old nor the new tree (%s)",
                         mix->name, session, i, total, info.error);
        }
        free(cut.bytes);
    }
    printf("%s session %d (%s): %zu sectors listed in %zu ranges of %lu (compared %llu)\n",
           mix->name, session, fsi_image_in_place(image) ? "in place" : "new session", total,
           count, (unsigned long)fsi_image_sector_count(image),
           (unsigned long long)stats.compared);
    if (total <= 30) {
        printf("  written in this order:");
        for (i = 0; i < count; i++)
            printf(ranges[i].first == ranges[i].last ? " %lu" : " %lu-%lu",
                   (unsigned long)ranges[i].first, (unsigned long)ranges[i].last);
        printf("\n");
    }

    free(m->bytes);
    *m = written;
    m->disc.context = m;
    free(order);
    free(full);
    free(ranges);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    return total;
}

static void run_mix(const struct mix *mix)
{
    struct memory_disc m;
    int session;

    rng_state = 12345;
    first_session(&m, mix);
    for (session = 2; session <= 4; session++)
        next_session(&m, mix, session);
    if (getenv("OPENFSI_DUMP_DISC") && mix->in_place) {   /* for other readers, by hand */
        char path[256];
        FILE *out;
        snprintf(path, sizeof(path), "%s/%s.iso", getenv("OPENFSI_DUMP_DISC"), mix->name);
        out = fopen(path, "wb");
        if (out) {
            fwrite(m.bytes, SECTOR, m.disc.sector_count, out);
            fclose(out);
        }
    }
    free(m.bytes);
}

static void test_iso9660_and_joliet(void **state)
{
    static const struct mix mix = { "ISO 9660 + Joliet", 1, 0, 0, 0, 0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_udf_1_02(void **state)
{
    static const struct mix mix = { "UDF 1.02", 0, FSI_UDF_REVISION_1_02, 0, 0, 0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_udf_1_02_in_place(void **state)
{
    static const struct mix mix = { "UDF 1.02 in place", 0, FSI_UDF_REVISION_1_02,
                                    1, 1, 1, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_udf_2_01_in_place(void **state)
{
    static const struct mix mix = { "UDF 2.01 in place", 0, FSI_UDF_REVISION_2_01,
                                    1, 1, 1, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

/* Changes in two directories each session: in place would switch twice, so a new session. */
static void test_udf_1_02_in_place_falls_back(void **state)
{
    static const struct mix mix = { "UDF 1.02 falls back", 0, FSI_UDF_REVISION_1_02,
                                    1, 0, 0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_iso9660_and_joliet_in_place(void **state)
{
    static const struct mix mix = { "ISO 9660 + Joliet in place", 1, 0, 1, 0, 1,
                                    change_one_directory_files, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_bridge_1_02_in_place(void **state)
{
    static const struct mix mix = { "bridge UDF 1.02 in place", 1, FSI_UDF_REVISION_1_02, 1, 0, 1,
                                    change_one_directory_files, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_bridge_2_01_in_place(void **state)
{
    static const struct mix mix = { "bridge UDF 2.01 in place", 1, FSI_UDF_REVISION_2_01, 1, 0, 1,
                                    change_one_directory_files, 0, 0 };
    (void)state;
    run_mix(&mix);
}

/* Changes in two directories (and a new directory, which moves the path tables): more than one
   switch in a file system, so a new session. */
static void test_iso9660_and_joliet_in_place_falls_back(void **state)
{
    static const struct mix mix = { "ISO 9660 + Joliet falls back", 1, 0, 1, 0, 0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_bridge_1_02_in_place_falls_back(void **state)
{
    static const struct mix mix = { "bridge UDF 1.02 falls back", 1, FSI_UDF_REVISION_1_02, 1, 0,
                                    0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

/* A new directory (session 2): the path tables change where they lie and its parent too (two
   switches in ISO 9660), so a new session, though UDF alone could switch at one sector. The
   next sessions change files of one directory: in place again, over the volume that session
   made (its descriptor sequences and file set descriptor where it put them). */
static void test_bridge_new_directory_falls_back_then_in_place_again(void **state)
{
    struct mix mix = { "bridge UDF 1.02, new directory", 1, FSI_UDF_REVISION_1_02, 1, 1, 0, NULL,
                       0, 0 };
    struct memory_disc m;
    int session;
    (void)state;

    rng_state = 12345;
    first_session(&m, &mix);
    for (session = 2; session <= 4; session++) {
        mix.expect_in_place = session > 2;
        next_session(&m, &mix, session);
    }
    free(m.bytes);
}

/* 2.50 and 2.60: new entries and identifiers go into the metadata file's free blocks, and a
   redundant mirror copies them (its own switch before the metadata file's). */
static void test_udf_2_50_in_place(void **state)
{
    static const struct mix mix = { "UDF 2.50 in place", 0, FSI_UDF_REVISION_2_50,
                                    1, 1, 1, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_udf_2_60_in_place_without_mirror(void **state)
{
    static const struct mix mix = { "UDF 2.60 in place, no mirror", 0, FSI_UDF_REVISION_2_60, 1,
                                    1, 1, NULL, 1, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_bridge_2_50_in_place(void **state)
{
    static const struct mix mix = { "bridge UDF 2.50 in place", 1, FSI_UDF_REVISION_2_50, 1, 0, 1,
                                    change_one_directory_files, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_bridge_2_60_in_place_without_mirror(void **state)
{
    static const struct mix mix = { "bridge UDF 2.60 in place, no mirror", 1,
                                    FSI_UDF_REVISION_2_60, 1, 0, 1, change_one_directory_files, 1,
                                    0 };
    (void)state;
    run_mix(&mix);
}

/* Changes in two directories: a new session for 2.50 as for 1.02. */
static void test_udf_2_50_in_place_falls_back(void **state)
{
    static const struct mix mix = { "UDF 2.50 falls back", 0, FSI_UDF_REVISION_2_50,
                                    1, 0, 0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_udf_2_50(void **state)
{
    static const struct mix mix = { "UDF 2.50", 0, FSI_UDF_REVISION_2_50, 0, 0, 0, NULL, 0, 0 };
    (void)state;
    run_mix(&mix);
}

static void test_bridge_2_60(void **state)
{
    static const struct mix mix = { "bridge UDF 2.60", 1, FSI_UDF_REVISION_2_60, 0, 0, 0, NULL, 0,
                                    0 };
    (void)state;
    run_mix(&mix);
}

/* ---- A disc with 2,000 files in 200 directories ---- */

#define BIG_DIRS 200
#define BIG_FILES_PER_DIR 10

static void many_files_session(struct memory_disc *m, int iso9660, uint32_t revision)
{
    struct mix mix = { "many", 0, 0, 0, 0, 0, NULL, 0, 0 };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint8_t *bytes;
    int d, f;

    for (d = 0; d < BIG_DIRS; d++) {
        char name[32];
        struct fsi_node *dir;
        snprintf(name, sizeof(name), "dir%03d", d);
        dir = add_dir(tree, fsi_tree_root(tree), name);
        for (f = 0; f < BIG_FILES_PER_DIR; f++) {
            snprintf(name, sizeof(name), "file%04d.txt", d * BIG_FILES_PER_DIR + f);
            add_file(tree, dir, name, next_random() % 5000);
        }
    }
    assert_int_equal(fsi_tree_file_count(tree), 2000);
    mix.iso9660 = iso9660;
    options_for(&options, &mix);
    options.udf_revision = revision;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    bytes = image_bytes(image);
    disc_init(m);
    disc_write(m, 0, bytes, fsi_image_sector_count(image));
    free(bytes);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static struct fsi_node *path2(struct fsi_tree *tree, const char *dir, const char *file)
{
    struct fsi_node *d = child(fsi_tree_root(tree), dir);
    assert_non_null(d);
    return file ? child(d, file) : d;
}

/* Session 2: one 10 KiB file appended in one directory; 3: one file removed; 4: one file's data
   replaced; 5: files added in two directories (two switches: a new session). */
static void change_many(struct fsi_tree *tree, int session)
{
    struct fsi_node *node;

    switch (session) {
    case 2: add_file(tree, path2(tree, "dir100", NULL), "appended.bin", 10240); break;
    case 3:
        node = path2(tree, "dir050", "file0503.txt");
        assert_non_null(node);
        assert_int_equal(fsi_tree_remove(tree, node, 0), FSI_OK);
        break;
    case 4: {
        struct fsi_source source = fsi_source_memory(pool + 77, 3000);
        node = path2(tree, "dir150", "file1507.txt");
        assert_non_null(node);
        assert_int_equal(fsi_tree_set_file_data(tree, node, 3000, &source), FSI_OK);
        break;
    }
    default:
        add_file(tree, path2(tree, "dir010", NULL), "two_a.bin", 2000);
        add_file(tree, path2(tree, "dir020", NULL), "two_b.bin", 2000);
        break;
    }
}

/* `limit`: what one appended file, one removed file and one replaced file's data may list. */
static void run_many(const char *name, int iso9660, uint32_t revision, size_t limit)
{
    struct mix mix = { name, iso9660, revision, 1, 0, 1, change_many, 0, 0 };
    static const char *const what[] = { "", "", "append one 10 KiB file", "remove one file",
                                        "replace one file's data", "add files in two directories" };
    struct memory_disc m;
    size_t listed[6];
    int session;

    rng_state = 777;
    many_files_session(&m, iso9660, revision);
    for (session = 2; session <= 5; session++) {
        mix.expect_in_place = session < 5;
        listed[session] = next_session(&m, &mix, session);
    }
    for (session = 2; session <= 5; session++)
        printf("%s, 2,000 files in 200 directories, %s: %zu sectors listed (%s)\n", name,
               what[session], listed[session], session < 5 ? "in place" : "new session");
    assert_true(listed[2] < limit);
    assert_true(listed[3] < limit);
    assert_true(listed[4] < limit);
    /* A whole new volume head: UDF's runs to its anchor at 256, ISO 9660's past its
       descriptors to its path tables and root. */
    assert_true(listed[5] >= (revision ? 257u : 20u));
    free(m.bytes);
}

static void test_many_files_udf_1_02(void **state)
{
    (void)state;
    run_many("UDF 1.02", 0, FSI_UDF_REVISION_1_02, 30);
}

static void test_many_files_udf_2_01(void **state)
{
    (void)state;
    run_many("UDF 2.01", 0, FSI_UDF_REVISION_2_01, 30);
}

static void test_many_files_iso9660_and_joliet(void **state)
{
    (void)state;
    run_many("ISO 9660 + Joliet", 1, 0, 20);
}

static void test_many_files_bridge_1_02(void **state)
{
    (void)state;
    run_many("bridge UDF 1.02", 1, FSI_UDF_REVISION_1_02, 30);
}

static void test_many_files_udf_2_50(void **state)
{
    (void)state;
    run_many("UDF 2.50", 0, FSI_UDF_REVISION_2_50, 30);
}

static void test_many_files_udf_2_60(void **state)
{
    (void)state;
    run_many("UDF 2.60", 0, FSI_UDF_REVISION_2_60, 30);
}

static void test_many_files_bridge_2_50(void **state)
{
    (void)state;
    run_many("bridge UDF 2.50", 1, FSI_UDF_REVISION_2_50, 30);
}

/* ---- A bootable disc ---- */

/* The disc's El Torito boot record (at 17), its catalog and the boot image it names: sectors
   [0] 17, [1] the catalog, [2] the image's first, [3] its sector count. */
static void boot_sectors(const struct memory_disc *m, uint32_t where[4])
{
    const uint8_t *record = m->bytes + 17 * SECTOR, *catalog;

    assert_int_equal(record[0], 0);
    assert_memory_equal(record + 7, "EL TORITO SPECIFICATION", 23);
    where[0] = 17;
    where[1] = record[71] | record[72] << 8 | (uint32_t)record[73] << 16 |
               (uint32_t)record[74] << 24;
    catalog = m->bytes + (size_t)where[1] * SECTOR;
    where[2] = catalog[40] | catalog[41] << 8 | (uint32_t)catalog[42] << 16 |
               (uint32_t)catalog[43] << 24;
    where[3] = (5000 + SECTOR - 1) / SECTOR;
    assert_memory_equal(m->bytes + (size_t)where[2] * SECTOR, pool + 99, 5000);
}

/* Changes in one directory of a bootable disc are made in place, and the boot record, catalog
   and boot image stay as they are: the disc still boots (a new session, which Microsoft's DLL
   would make without them, would not). */
static void run_bootable(const char *name, uint32_t revision)
{
    struct mix mix = { name, 1, revision, 1, 0, 1, change_one_directory_files, 0, 1 };
    struct memory_disc m;
    uint32_t where[4], again[4];
    uint8_t *kept;
    int session, k;

    rng_state = 4242;
    first_session(&m, &mix);
    boot_sectors(&m, where);
    kept = malloc((size_t)(2 + where[3]) * SECTOR);
    assert_non_null(kept);
    memcpy(kept, m.bytes + 17 * SECTOR, SECTOR);
    memcpy(kept + SECTOR, m.bytes + (size_t)where[1] * SECTOR, SECTOR);
    memcpy(kept + 2 * SECTOR, m.bytes + (size_t)where[2] * SECTOR, (size_t)where[3] * SECTOR);
    for (session = 2; session <= 4; session++) {
        next_session(&m, &mix, session);
        boot_sectors(&m, again);
        for (k = 0; k < 4; k++)
            assert_int_equal(again[k], where[k]);
        assert_memory_equal(m.bytes + 17 * SECTOR, kept, SECTOR);
        assert_memory_equal(m.bytes + (size_t)where[1] * SECTOR, kept + SECTOR, SECTOR);
        assert_memory_equal(m.bytes + (size_t)where[2] * SECTOR, kept + 2 * SECTOR,
                            (size_t)where[3] * SECTOR);
    }
    free(kept);
    free(m.bytes);
}

static void test_a_bootable_disc_changes_in_place_and_keeps_booting(void **state)
{
    (void)state;
    run_bootable("bootable ISO 9660 + Joliet", 0);
}

static void test_a_bootable_bridge_changes_in_place_and_keeps_booting(void **state)
{
    (void)state;
    run_bootable("bootable bridge UDF 2.50", FSI_UDF_REVISION_2_50);
}

/* ---- One directory of 300 files: several sectors in ISO 9660 and Joliet ---- */

static void wide_directory_session(struct memory_disc *m, int iso9660, uint32_t revision)
{
    struct mix mix = { "wide", 0, 0, 0, 0, 0, NULL, 0, 0 };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "photos");
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint8_t *bytes;
    int f;

    for (f = 0; f < 300; f++) {
        char name[32];
        snprintf(name, sizeof(name), "img_%04d.jpg", f * 2);
        add_file(tree, dir, name, 100 + f);
    }
    mix.iso9660 = iso9660;
    options_for(&options, &mix);
    options.udf_revision = revision;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    bytes = image_bytes(image);
    disc_init(m);
    disc_write(m, 0, bytes, fsi_image_sector_count(image));
    free(bytes);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* Session 2: a file that sorts in the middle; 3: one removed near the start; 4: two added in
   one sector; 5: one added at the end. */
static void change_wide(struct fsi_tree *tree, int session)
{
    struct fsi_node *dir = child(fsi_tree_root(tree), "photos"), *node;

    assert_non_null(dir);
    switch (session) {
    case 2: add_file(tree, dir, "img_0301.jpg", 5000); break;
    case 3:
        node = child(dir, "img_0010.jpg");
        assert_non_null(node);
        assert_int_equal(fsi_tree_remove(tree, node, 0), FSI_OK);
        break;
    case 4:
        add_file(tree, dir, "img_0401.jpg", 7000);
        add_file(tree, dir, "img_0403.jpg", 70);
        break;
    default: add_file(tree, dir, "zz_last.jpg", 3000); break;
    }
}

/* The directory keeps its sectors' breaks (and its first session left room in each sector), so
   each change rewrites one of its sectors per hierarchy: in place, few sectors. */
static void run_wide(const char *name, int iso9660, uint32_t revision, size_t limit)
{
    struct mix mix = { name, iso9660, revision, 1, 0, 1, change_wide, 0, 0 };
    struct memory_disc m;
    int session;

    rng_state = 99;
    wide_directory_session(&m, iso9660, revision);
    for (session = 2; session <= 5; session++) {
        size_t listed = next_session(&m, &mix, session);
        printf("%s, 300 files in one directory, session %d: %zu sectors listed\n", name, session,
               listed);
        assert_true(listed < limit);
    }
    free(m.bytes);
}

static void test_a_directory_of_several_sectors_changes_in_place_iso9660(void **state)
{
    (void)state;
    run_wide("ISO 9660 + Joliet", 1, 0, 20);
}

/* UDF writes the directory's identifiers (8 blocks) anew elsewhere, and the mirror copies them. */
static void test_a_directory_of_several_sectors_changes_in_place_bridge(void **state)
{
    (void)state;
    run_wide("bridge UDF 2.50", 1, FSI_UDF_REVISION_2_50, 45);
}

/* A bridge disc asked for a UDF-only session in place: the UDF walk does not see the ISO 9660
   structures, so nothing is laid out over them (a new session, exact and safe). */
static void test_in_place_over_a_bridge_falls_back(void **state)
{
    static const struct mix bridge = { "bridge", 1, FSI_UDF_REVISION_2_01, 0, 0, 0, NULL, 0, 0 };
    static const struct mix alone = { "UDF 2.01 over a bridge", 0, FSI_UDF_REVISION_2_01, 1, 1, 0,
                                      NULL, 0, 0 };
    struct memory_disc m;
    (void)state;

    rng_state = 4242;
    first_session(&m, &bridge);
    next_session(&m, &alone, 2);
    free(m.bytes);
}

/* A disc laid out alike: the same names, sizes and times, other bytes (`salt`). */
static void alike_session(struct memory_disc *m, size_t salt)
{
    static const struct mix mix = { "alike", 0, FSI_UDF_REVISION_1_02, 0, 0, 0, NULL, 0, 0 };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "d");
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint8_t *bytes;
    int i;

    for (i = 0; i < 10; i++) {
        uint16_t name[8] = { 'f', (uint16_t)('0' + i) };
        struct fsi_source source = fsi_source_memory(pool + salt + (size_t)i * 7001, 3000);
        struct fsi_node *node = NULL;
        assert_int_equal(fsi_tree_add_file(tree, dir, name, 2, 3000, &source, &node), FSI_OK);
        fsi_node_set_times(node, TEST_TIME, TEST_TIME, TEST_TIME);
    }
    options_for(&options, &mix);
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    bytes = image_bytes(image);
    disc_init(m);
    disc_write(m, 0, bytes, fsi_image_sector_count(image));
    free(bytes);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* A tree imported from one disc laid over another laid out alike: no old data is pointed at,
   as it is the other disc's; the result reads as the tree, with its own bytes. */
static void test_a_tree_from_another_disc_is_not_pointed_at(void **state)
{
    static const struct mix mix = { "alike", 0, FSI_UDF_REVISION_1_02, 1, 0, 0, NULL, 0, 0 };
    struct memory_disc a, b, written;
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_import_info info;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_block_range *ranges = NULL;
    size_t count = 0, i, total;
    uint32_t *order;
    uint8_t *full;
    (void)state;

    alike_session(&a, 0);
    alike_session(&b, 1);
    assert_int_equal(a.disc.sector_count, b.disc.sector_count);
    assert_memory_not_equal(a.bytes, b.bytes, (size_t)a.disc.sector_count * SECTOR);
    assert_int_equal(fsi_disc_import(&a.disc, 0, FSI_FILE_SYSTEM_UDF, tree, &info), FSI_OK);
    add_file(tree, child(fsi_tree_root(tree), "d"), "new.bin", 10240);
    options_for(&options, &mix);
    options.base = &b.disc;
    options.session_start = (b.disc.sector_count + 15) / 16 * 16;
    options.udf_partition_start = info.udf_partition_start;
    options.udf_first_unique_id = info.udf_next_unique_id;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    assert_int_equal(fsi_image_modified(image, &ranges, &count, NULL), FSI_OK);
    full = image_bytes(image);
    order = write_order(ranges, count, &total);
    disc_copy(&written, &b);
    for (i = 0; i < total; i++)
        disc_write(&written, order[i], full + (size_t)order[i] * SECTOR, 1);
    assert_memory_equal(written.bytes, full, fsi_image_size(image));
    assert_true(disc_digest(&written.disc, FSI_FILE_SYSTEM_UDF, &info) ==
                tree_digest(fsi_tree_root(tree)));
    printf("a tree from another disc alike: %s, %zu sectors listed\n",
           fsi_image_in_place(image) ? "in place" : "new session", total);
    free(order);
    free(full);
    free(ranges);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    free(a.bytes);
    free(b.bytes);
    free(written.bytes);
}

/* Without a base disc: one range, the image from its first sector. */
static void test_without_a_base_the_whole_session_is_listed(void **state)
{
    static const struct mix mix = { "ISO", 1, 0, 0, 0, 0, NULL, 0, 0 };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_block_range *ranges = NULL;
    size_t count = 0;
    (void)state;

    add_file(tree, fsi_tree_root(tree), "a", 10);
    options_for(&options, &mix);
    options.session_start = 1000;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    assert_int_equal(fsi_image_modified(image, &ranges, &count, NULL), FSI_OK);
    assert_int_equal(count, 1);
    assert_int_equal(ranges[0].first, 1000);
    assert_int_equal(ranges[0].last, fsi_image_sector_count(image) - 1);
    free(ranges);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* A disc without volume descriptors where the head goes is refused before anything is listed. */
static void test_a_disc_without_room_for_the_head_is_refused(void **state)
{
    static const struct mix mix = { "ISO", 1, 0, 0, 0, 0, NULL, 0, 0 };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct memory_disc m;
    uint8_t zeros[SECTOR * 64];
    (void)state;

    memset(zeros, 0, sizeof(zeros));
    disc_init(&m);
    disc_write(&m, 0, zeros, 64);
    add_file(tree, fsi_tree_root(tree), "a", 10);
    options_for(&options, &mix);
    options.base = &m.disc;
    options.session_start = 64;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_INCOMPATIBLE_SESSION);
    assert_null(image);
    free(m.bytes);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso9660_and_joliet),
        cmocka_unit_test(test_udf_1_02),
        cmocka_unit_test(test_udf_1_02_in_place),
        cmocka_unit_test(test_udf_2_01_in_place),
        cmocka_unit_test(test_udf_1_02_in_place_falls_back),
        cmocka_unit_test(test_udf_2_50_in_place),
        cmocka_unit_test(test_udf_2_60_in_place_without_mirror),
        cmocka_unit_test(test_bridge_2_50_in_place),
        cmocka_unit_test(test_bridge_2_60_in_place_without_mirror),
        cmocka_unit_test(test_udf_2_50_in_place_falls_back),
        cmocka_unit_test(test_iso9660_and_joliet_in_place),
        cmocka_unit_test(test_bridge_1_02_in_place),
        cmocka_unit_test(test_bridge_2_01_in_place),
        cmocka_unit_test(test_iso9660_and_joliet_in_place_falls_back),
        cmocka_unit_test(test_bridge_1_02_in_place_falls_back),
        cmocka_unit_test(test_bridge_new_directory_falls_back_then_in_place_again),
        cmocka_unit_test(test_many_files_iso9660_and_joliet),
        cmocka_unit_test(test_many_files_bridge_1_02),
        cmocka_unit_test(test_many_files_udf_1_02),
        cmocka_unit_test(test_many_files_udf_2_01),
        cmocka_unit_test(test_many_files_udf_2_50),
        cmocka_unit_test(test_many_files_udf_2_60),
        cmocka_unit_test(test_many_files_bridge_2_50),
        cmocka_unit_test(test_a_bootable_disc_changes_in_place_and_keeps_booting),
        cmocka_unit_test(test_a_bootable_bridge_changes_in_place_and_keeps_booting),
        cmocka_unit_test(test_a_directory_of_several_sectors_changes_in_place_iso9660),
        cmocka_unit_test(test_a_directory_of_several_sectors_changes_in_place_bridge),
        cmocka_unit_test(test_in_place_over_a_bridge_falls_back),
        cmocka_unit_test(test_a_tree_from_another_disc_is_not_pointed_at),
        cmocka_unit_test(test_udf_2_50),
        cmocka_unit_test(test_bridge_2_60),
        cmocka_unit_test(test_without_a_base_the_whole_session_is_listed),
        cmocka_unit_test(test_a_disc_without_room_for_the_head_is_refused),
    };
    size_t i;

    for (i = 0; i < sizeof(pool); i++)
        pool[i] = (uint8_t)(i * 131 + (i >> 9));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
