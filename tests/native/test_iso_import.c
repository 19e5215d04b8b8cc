/*
 * The ISO 9660 and Joliet reader (src/core/iso_import.c): images made by the engine's own writer
 * read back into trees equal to their sources (names, sizes, dates, hidden flags, bytes,
 * multi-extent files of 4.5 GiB), identification of the file systems, and hostile images:
 * thousands of damaged variants must each give a tree or an error with a message, never a crash
 * or a hang, and targeted damage (a loop, an identifier longer than its record, an extent past
 * the end) must be named.
 */
#include "image_test_util.h"

#include "openfsi/import.h"
#include "openfsi/media.h"

/* A disc over an image the engine lays out: sectors are rendered when read. */
static enum fsi_status image_disc_read(void *context, uint32_t first, uint32_t count,
                                       void *buffer)
{
    struct fsi_reader *reader = context;
    return fsi_reader_read(reader, (uint64_t)first * FSI_SECTOR_SIZE, buffer,
                           (size_t)count * FSI_SECTOR_SIZE) == FSI_OK
               ? FSI_OK
               : FSI_E_DISC_READ;
}

/* A disc over bytes in memory. */
struct memory_disc {
    uint8_t *bytes;
    size_t size;
};

static enum fsi_status memory_disc_read(void *context, uint32_t first, uint32_t count,
                                        void *buffer)
{
    struct memory_disc *m = context;
    if (((uint64_t)first + count) * FSI_SECTOR_SIZE > m->size)
        return FSI_E_DISC_READ;
    memcpy(buffer, m->bytes + (size_t)first * FSI_SECTOR_SIZE, (size_t)count * FSI_SECTOR_SIZE);
    return FSI_OK;
}

static struct fsi_node *child_named(struct fsi_node *dir, const char *name)
{
    uint16_t units[256];
    size_t n = ascii_units(name, units), i;
    for (i = 0; i < fsi_node_child_count(dir); i++) {
        size_t length;
        const uint16_t *got = fsi_node_name(fsi_node_child(dir, i), &length);
        if (length == n && !memcmp(got, units, n * 2))
            return fsi_node_child(dir, i);
    }
    return NULL;
}

static void read_node(struct fsi_node *node, uint64_t offset, void *out, size_t length)
{
    const struct fsi_source *source = fsi_node_source(node);
    size_t done = 0;
    assert_int_equal(source->kind, FSI_SOURCE_CALLBACK);
    assert_int_equal(source->u.callback.callbacks->read(source->u.callback.context, offset, out,
                                                        length, &done),
                     FSI_OK);
    assert_int_equal(done, length);
}

static struct fsi_tree *sample_tree(void)
{
    static char data[7000];
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *dir, *file;
    int i;

    for (i = 0; i < (int)sizeof(data); i++)
        data[i] = (char)(i * 7);
    dir = add_dir(tree, fsi_tree_root(tree), "Folder");
    file = add_memory_file(tree, dir, "data.bin", data, sizeof(data));
    fsi_node_set_times(file, TEST_TIME, TEST_TIME, TEST_TIME + 50000000);
    fsi_node_set_hidden(file, 1);
    add_memory_file(tree, fsi_tree_root(tree), "empty", "", 0);
    add_memory_file(tree, fsi_tree_root(tree), "Readme.TXT", "hello", 5);
    add_dir(tree, add_dir(tree, dir, "deeper"), "deepest");
    return tree;
}

static void test_joliet_and_iso9660_read_back_as_written(void **state)
{
    struct fsi_tree *tree = sample_tree();
    struct fsi_image *image = make_image(tree, 2, 1);
    struct fsi_reader *reader;
    struct fsi_disc disc;
    uint32_t systems = 0;
    int joliet;
    (void)state;

    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    disc.read = image_disc_read;
    disc.context = reader;
    disc.sector_count = fsi_image_sector_count(image);
    assert_int_equal(fsi_disc_identify(&disc, 0, &systems), FSI_OK);
    assert_int_equal(systems, FSI_FILE_SYSTEM_ISO9660 | FSI_FILE_SYSTEM_JOLIET);
    for (joliet = 0; joliet <= 1; joliet++) {
        struct fsi_tree *copy = fsi_tree_create();
        struct fsi_import_info info;
        struct fsi_node *dir, *file;
        fsi_time c, a, m;
        char bytes[7000];
        size_t count, i;

        assert_int_equal(fsi_disc_import(&disc, 0,
                                         joliet ? FSI_FILE_SYSTEM_JOLIET : FSI_FILE_SYSTEM_ISO9660,
                                         copy, &info),
                         FSI_OK);
        assert_int_equal(info.files, 3);
        assert_int_equal(info.directories, 3);
        dir = child_named(fsi_tree_root(copy), joliet ? "Folder" : "FOLDER");
        assert_non_null(dir);
        assert_true(fsi_node_is_directory(dir));
        file = child_named(dir, joliet ? "data.bin" : "DATA.BIN");
        assert_non_null(file);
        assert_int_equal(fsi_node_size(file), 7000);
        assert_true(fsi_node_is_hidden(file));
        fsi_node_times(file, &c, &a, &m);
        assert_int_equal(m, TEST_TIME + 50000000);          /* to the second */
        read_node(file, 0, bytes, sizeof(bytes));
        for (i = 0; i < sizeof(bytes); i++)
            assert_int_equal((uint8_t)bytes[i], (uint8_t)(i * 7));
        assert_non_null(fsi_node_disc_extents(file, &count));
        assert_int_equal(count, 1);
        assert_non_null(child_named(fsi_tree_root(copy), joliet ? "empty" : "EMPTY"));
        assert_non_null(child_named(fsi_tree_root(copy), joliet ? "Readme.TXT" : "README.TXT"));
        assert_non_null(child_named(child_named(dir, joliet ? "deeper" : "DEEPER"),
                                    joliet ? "deepest" : "DEEPEST"));
        fsi_tree_destroy(copy);
    }
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static enum fsi_status pattern_read(void *context, uint64_t offset, void *buffer, size_t length,
                                    size_t *done)
{
    size_t i;
    (void)context;
    for (i = 0; i < length; i++)
        ((uint8_t *)buffer)[i] = (uint8_t)((offset + i) / 4096);
    *done = length;
    return FSI_OK;
}

static void test_multi_extent_file_of_4_5_gib_reads_back_whole(void **state)
{
    static const struct fsi_source_callbacks pattern = { pattern_read, NULL, NULL };
    const uint64_t size = 4608ull << 20;
    struct fsi_tree *tree = fsi_tree_create(), *copy = fsi_tree_create();
    struct fsi_source source = fsi_source_callback(&pattern, NULL);
    uint16_t name[4] = { 'B', 'I', 'G' };
    struct fsi_node *node = NULL, *file;
    struct fsi_import_info info;
    struct fsi_reader *reader;
    struct fsi_image *image;
    struct fsi_disc disc;
    uint8_t bytes[16];
    size_t count;
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 3, size, &source, &node),
                     FSI_OK);
    image = make_image(tree, 3, 0);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    disc.read = image_disc_read;
    disc.context = reader;
    disc.sector_count = fsi_image_sector_count(image);
    assert_int_equal(fsi_disc_import(&disc, 0, FSI_FILE_SYSTEM_ISO9660, copy, &info), FSI_OK);
    file = child_named(fsi_tree_root(copy), "BIG");
    assert_non_null(file);
    assert_int_equal(fsi_node_size(file), size);
    fsi_node_disc_extents(file, &count);
    assert_int_equal(count, 2);
    read_node(file, (4ull << 30) - 8, bytes, 16);        /* across the two extents */
    assert_int_equal(bytes[0], (uint8_t)(((4ull << 30) - 8) / 4096));
    assert_int_equal(bytes[15], (uint8_t)(((4ull << 30) + 7) / 4096));
    fsi_tree_destroy(copy);
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* The whole image of `tree` in memory. */
static struct memory_disc image_bytes(struct fsi_tree *tree, int level, int joliet)
{
    struct fsi_image *image = make_image(tree, level, joliet);
    struct memory_disc m;
    struct fsi_reader *reader;

    m.size = (size_t)fsi_image_size(image);
    m.bytes = malloc(m.size);
    assert_non_null(m.bytes);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, 0, m.bytes, m.size), FSI_OK);
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    return m;
}

static enum fsi_status import_memory(struct memory_disc *m, uint32_t system,
                                     struct fsi_import_info *info)
{
    struct fsi_tree *copy = fsi_tree_create();
    struct fsi_disc disc;
    enum fsi_status status;

    disc.read = memory_disc_read;
    disc.context = m;
    disc.sector_count = (uint32_t)(m->size / FSI_SECTOR_SIZE);
    status = fsi_disc_import(&disc, 0, system, copy, info);
    fsi_tree_destroy(copy);
    return status;
}

static void test_damaged_images_fail_with_a_message_never_a_crash(void **state)
{
    struct fsi_tree *tree = sample_tree();
    struct memory_disc good = image_bytes(tree, 2, 1), bad;
    uint32_t seed = 12345, variant;
    (void)state;

    bad.size = good.size;
    bad.bytes = malloc(bad.size);
    assert_non_null(bad.bytes);
    for (variant = 0; variant < 4000; variant++) {
        struct fsi_import_info info;
        enum fsi_status status;
        int flips = 1 + (int)(variant % 8), k;
        memcpy(bad.bytes, good.bytes, good.size);
        for (k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            /* Damage the descriptors, path tables and directories, where the reader looks. */
            bad.bytes[16 * 2048 + (seed >> 8) % (good.size - 16 * 2048)] ^= (uint8_t)(seed >> 24 | 1);
        }
        status = import_memory(&bad, variant % 2 ? FSI_FILE_SYSTEM_JOLIET : FSI_FILE_SYSTEM_ISO9660,
                               &info);
        if (status != FSI_OK)
            assert_true(status == FSI_E_NOT_FOUND || info.error[0]);
    }
    free(bad.bytes);
    free(good.bytes);
    fsi_tree_destroy(tree);
}

static void test_loops_and_overlong_identifiers_are_named(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct memory_disc m;
    struct fsi_import_info info;
    uint32_t root, p;
    (void)state;

    add_dir(tree, fsi_tree_root(tree), "A");
    m = image_bytes(tree, 2, 0);
    root = get_le32(m.bytes + 16 * 2048 + 156 + 2);
    /* The root's third record (directory A) pointed back at the root: a loop. */
    p = 34 + 34;
    assert_int_equal(m.bytes[root * 2048 + p + 33], 'A');
    put_le32(m.bytes + root * 2048 + p + 2, root);
    put_be32(m.bytes + root * 2048 + p + 6, root);
    assert_int_equal(import_memory(&m, FSI_FILE_SYSTEM_ISO9660, &info), FSI_E_CORRUPT_FILE_SYSTEM);
    assert_non_null(strstr(info.error, "loop"));
    /* An identifier longer than its record. */
    put_le32(m.bytes + root * 2048 + p + 2, root + 1);
    m.bytes[root * 2048 + p + 32] = 200;
    assert_int_equal(import_memory(&m, FSI_FILE_SYSTEM_ISO9660, &info), FSI_E_CORRUPT_FILE_SYSTEM);
    assert_non_null(strstr(info.error, "identifier runs past"));
    /* The root's extent beyond the end of the disc. */
    put_le32(m.bytes + 16 * 2048 + 156 + 2, 0x7FFFFFF0u);
    assert_int_equal(import_memory(&m, FSI_FILE_SYSTEM_ISO9660, &info), FSI_E_CORRUPT_FILE_SYSTEM);
    assert_non_null(strstr(info.error, "beyond the end"));
    free(m.bytes);
    fsi_tree_destroy(tree);
}

static void test_a_second_session_points_at_the_first_sessions_data(void **state)
{
    struct fsi_tree *tree = sample_tree(), *next = fsi_tree_create(), *back = fsi_tree_create();
    struct memory_disc first = image_bytes(tree, 2, 1), both;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_reader *reader;
    struct fsi_import_info info;
    struct fsi_disc disc;
    struct fsi_node *dir, *file;
    uint32_t start = (uint32_t)(first.size / FSI_SECTOR_SIZE);
    size_t count;
    (void)state;

    disc.read = memory_disc_read;
    disc.context = &first;
    disc.sector_count = start;
    assert_int_equal(fsi_disc_import(&disc, 0, FSI_FILE_SYSTEM_JOLIET, next, &info), FSI_OK);
    add_memory_file(next, fsi_tree_root(next), "added.txt", "new", 3);
    fsi_image_options_init(&options, TEST_TIME);
    options.session_start = start;
    assert_int_equal(fsi_image_create(next, &options, &image), FSI_OK);
    assert_int_equal(fsi_image_first_sector(image), start);
    /* Only the new session's sectors: metadata and the one new file, not the old data. */
    {
        struct fsi_extent_info e;
        size_t i, files = 0;
        for (i = 0; i < fsi_image_extent_count(image); i++) {
            fsi_image_extent(image, i, &e);
            if (e.kind == FSI_EXTENT_FILE) {
                files++;
                assert_true(e.first_sector >= start);
            }
        }
        assert_int_equal(files, 1);
    }
    both.size = first.size + (size_t)fsi_image_size(image);
    both.bytes = malloc(both.size);
    assert_non_null(both.bytes);
    memcpy(both.bytes, first.bytes, first.size);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, 0, both.bytes + first.size, both.size - first.size),
                     FSI_OK);
    fsi_reader_destroy(reader);
    /* The new session read from its own start: old and new files, old data where it was. */
    disc.context = &both;
    disc.sector_count = (uint32_t)(both.size / FSI_SECTOR_SIZE);
    assert_int_equal(fsi_disc_import(&disc, start, FSI_FILE_SYSTEM_JOLIET, back, &info), FSI_OK);
    assert_int_equal(info.files, 4);
    assert_non_null(child_named(fsi_tree_root(back), "added.txt"));
    dir = child_named(fsi_tree_root(back), "Folder");
    file = child_named(dir, "data.bin");
    assert_non_null(file);
    assert_true(fsi_node_disc_extents(file, &count)[0].first_sector < start);
    {
        char bytes[7000];
        size_t i;
        read_node(file, 0, bytes, sizeof(bytes));
        for (i = 0; i < sizeof(bytes); i++)
            assert_int_equal((uint8_t)bytes[i], (uint8_t)(i * 7));
    }
    free(both.bytes);
    free(first.bytes);
    fsi_image_destroy(image);
    fsi_tree_destroy(back);
    fsi_tree_destroy(next);
    fsi_tree_destroy(tree);
}

/* Items added before the import win over the disc's of the same path; directories merge. */
static void test_items_already_in_the_tree_win_over_the_discs(void **state)
{
    struct fsi_tree *source = sample_tree(), *tree = fsi_tree_create(), *clash = fsi_tree_create();
    struct memory_disc m = image_bytes(source, 2, 1);
    struct fsi_import_info info;
    struct fsi_node *folder, *readme, *mine;
    struct fsi_disc disc;
    char bytes[5];

    (void)state;
    disc.read = memory_disc_read;
    disc.context = &m;
    disc.sector_count = (uint32_t)(m.size / FSI_SECTOR_SIZE);
    folder = add_dir(tree, fsi_tree_root(tree), "FOLDER");
    mine = add_memory_file(tree, folder, "mine.txt", "mine", 4);
    readme = add_memory_file(tree, fsi_tree_root(tree), "readme.txt", "HELLO, WORLD", 12);
    fsi_node_set_times(folder, TEST_TIME, TEST_TIME, TEST_TIME);
    assert_int_equal(fsi_disc_import(&disc, 0, FSI_FILE_SYSTEM_JOLIET, tree, &info), FSI_OK);
    /* The disc's Readme.TXT (5 bytes) is hidden by ours; its Folder merged into our FOLDER. */
    assert_ptr_equal(child_named(fsi_tree_root(tree), "readme.txt"), readme);
    assert_null(child_named(fsi_tree_root(tree), "Readme.TXT"));
    assert_int_equal(fsi_node_size(readme), 12);
    assert_ptr_equal(child_named(fsi_tree_root(tree), "FOLDER"), folder);
    assert_ptr_equal(child_named(folder, "mine.txt"), mine);
    assert_non_null(child_named(folder, "data.bin"));
    assert_non_null(child_named(child_named(folder, "deeper"), "deepest"));
    assert_non_null(child_named(fsi_tree_root(tree), "empty"));
    {
        fsi_time created, accessed, modified;
        fsi_node_times(folder, &created, &accessed, &modified);
        assert_true(modified == TEST_TIME);     /* our directory keeps its times */
    }
    assert_int_equal(fsi_tree_file_count(tree), 4);    /* readme, mine, data.bin, empty */
    read_node(child_named(folder, "data.bin"), 0, bytes, 5);
    assert_int_equal(bytes[1], 7);

    /* A file of ours where the disc has a directory, and the other way round. */
    add_memory_file(clash, fsi_tree_root(clash), "folder", "x", 1);
    assert_int_equal(fsi_disc_import(&disc, 0, FSI_FILE_SYSTEM_JOLIET, clash, &info),
                     FSI_E_IMPORT_DIRECTORY_IS_FILE);
    assert_non_null(strstr(info.error, "Folder"));
    fsi_tree_destroy(clash);
    clash = fsi_tree_create();
    add_dir(clash, fsi_tree_root(clash), "EMPTY");
    assert_int_equal(fsi_disc_import(&disc, 0, FSI_FILE_SYSTEM_JOLIET, clash, &info),
                     FSI_E_IMPORT_FILE_IS_DIRECTORY);
    fsi_tree_destroy(clash);
    fsi_tree_destroy(tree);
    fsi_tree_destroy(source);
    free(m.bytes);
}

static void test_a_disc_without_iso9660_has_none_found(void **state)
{
    struct memory_disc m;
    struct fsi_import_info info;
    struct fsi_disc disc;
    uint32_t systems = 7;
    (void)state;

    m.size = 64 * 2048;
    m.bytes = calloc(1, m.size);
    assert_non_null(m.bytes);
    disc.read = memory_disc_read;
    disc.context = &m;
    disc.sector_count = 64;
    assert_int_equal(fsi_disc_identify(&disc, 0, &systems), FSI_OK);
    assert_int_equal(systems, 0);
    assert_int_equal(import_memory(&m, FSI_FILE_SYSTEM_ISO9660, &info), FSI_E_NOT_FOUND);
    free(m.bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_joliet_and_iso9660_read_back_as_written),
        cmocka_unit_test(test_multi_extent_file_of_4_5_gib_reads_back_whole),
        cmocka_unit_test(test_damaged_images_fail_with_a_message_never_a_crash),
        cmocka_unit_test(test_loops_and_overlong_identifiers_are_named),
        cmocka_unit_test(test_a_second_session_points_at_the_first_sessions_data),
        cmocka_unit_test(test_items_already_in_the_tree_win_over_the_discs),
        cmocka_unit_test(test_a_disc_without_iso9660_has_none_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
