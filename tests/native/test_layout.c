/*
 * The layout of an image (src/core/layout.c, fs_tree.c, ecma119_render.c): where the volume
 * descriptors, path tables and directories go, that the extents cover the image once, that ISO
 * 9660 and Joliet share one copy of each file's data, record placement in sectors, path-table
 * order, multi-extent files and the depth rule.
 */
#include "image_test_util.h"

#define EMPTY_IMAGE_SECTORS (16 + 3 + 4 + 2)   /* system area, PVD SVD term, 4 path tables, 2 roots */

static void test_empty_tree_lays_out_descriptors_tables_and_roots(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image *image = make_image(tree, 2, 1);
    uint8_t sector[FSI_SECTOR_SIZE];
    (void)state;

    assert_int_equal(fsi_image_sector_count(image), EMPTY_IMAGE_SECTORS);
    read_sector(image, 16, sector);
    assert_int_equal(sector[0], ECMA119_VD_PRIMARY);
    assert_memory_equal(sector + 1, "CD001", 5);
    assert_int_equal(get_both32(sector + 80, NULL), EMPTY_IMAGE_SECTORS);
    read_sector(image, 17, sector);
    assert_int_equal(sector[0], ECMA119_VD_SUPPLEMENTARY);
    assert_memory_equal(sector + 88, "%/E", 3);
    read_sector(image, 18, sector);
    assert_int_equal(sector[0], ECMA119_VD_SET_TERMINATOR);
    read_sector(image, 0, sector);
    assert_int_equal(sector[0], 0);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_without_joliet_there_is_no_supplementary_descriptor(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image *image = make_image(tree, 2, 0);
    uint8_t sector[FSI_SECTOR_SIZE];
    (void)state;

    assert_int_equal(fsi_image_sector_count(image), 16 + 2 + 2 + 1);
    read_sector(image, 17, sector);
    assert_int_equal(sector[0], ECMA119_VD_SET_TERMINATOR);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_extents_cover_the_image_once_in_order(void **state)
{
    static const char data[5000] = "x";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "dir");
    struct fsi_extent_info info;
    struct fsi_image *image;
    uint32_t next = 0;
    size_t i;
    (void)state;

    add_memory_file(tree, dir, "a.bin", data, sizeof(data));
    add_memory_file(tree, fsi_tree_root(tree), "b.bin", data, 1);
    image = make_image(tree, 2, 1);
    for (i = 0; i < fsi_image_extent_count(image); i++) {
        fsi_image_extent(image, i, &info);
        assert_int_equal(info.first_sector, next);
        assert_true(info.sector_count > 0);
        next += info.sector_count;
    }
    assert_int_equal(next, fsi_image_sector_count(image));
    /* The last two extents are the two files, 3 and 1 sectors, in ISO 9660 order. */
    fsi_image_extent(image, fsi_image_extent_count(image) - 1, &info);
    assert_int_equal(info.kind, FSI_EXTENT_FILE);
    assert_int_equal(info.file_size, 5000);
    assert_int_equal(info.sector_count, 3);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_extents_say_which_part_of_the_image_they_hold(void **state)
{
    static const char data[10] = "x";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_extent_info info;
    struct fsi_image *image;
    const uint16_t *label;
    size_t i, n, length;
    static const struct { enum fsi_extent_part part; enum fsi_extent_hierarchy hierarchy; }
    expected[] = {
        { FSI_PART_SYSTEM_AREA, FSI_HIERARCHY_NONE },
        { FSI_PART_VOLUME_DESCRIPTORS, FSI_HIERARCHY_NONE },    /* primary */
        { FSI_PART_VOLUME_DESCRIPTORS, FSI_HIERARCHY_NONE },    /* Joliet */
        { FSI_PART_VOLUME_DESCRIPTORS, FSI_HIERARCHY_NONE },    /* terminator */
        { FSI_PART_PATH_TABLES, FSI_HIERARCHY_ISO9660 },
        { FSI_PART_PATH_TABLES, FSI_HIERARCHY_ISO9660 },
        { FSI_PART_PATH_TABLES, FSI_HIERARCHY_JOLIET },
        { FSI_PART_PATH_TABLES, FSI_HIERARCHY_JOLIET },
        { FSI_PART_DIRECTORIES, FSI_HIERARCHY_ISO9660 },
        { FSI_PART_DIRECTORIES, FSI_HIERARCHY_JOLIET },
        { FSI_PART_FILE_DATA, FSI_HIERARCHY_NONE },
    };
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "a.bin", data, sizeof(data));
    image = make_image(tree, 2, 1);
    n = fsi_image_extent_count(image);
    assert_int_equal(n, sizeof(expected) / sizeof(expected[0]));
    for (i = 0; i < n; i++) {
        fsi_image_extent(image, i, &info);
        assert_int_equal(info.part, expected[i].part);
        assert_int_equal(info.hierarchy, expected[i].hierarchy);
    }
    label = fsi_image_volume_name(image, &length);
    assert_int_equal(length, 15);       /* YYYYMMDD_HHMMSS: make_image gives no label */
    assert_int_equal(label[8], '_');
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_unused_sectors_after_the_system_area_are_not_called_system_area(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_extent_info info;
    struct fsi_image *image = NULL;
    size_t i, unused = 0;
    (void)state;

    /* A UDF bridge leaves sectors free between its fixed areas (e.g. before the anchor). */
    fsi_image_options_init(&options, TEST_TIME);
    options.udf_revision = FSI_UDF_REVISION_1_02;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    for (i = 0; i < fsi_image_extent_count(image); i++) {
        fsi_image_extent(image, i, &info);
        if (info.first_sector < 16) {
            assert_int_equal(info.part, FSI_PART_SYSTEM_AREA);
        } else {
            assert_int_not_equal(info.part, FSI_PART_SYSTEM_AREA);
            if (info.part == FSI_PART_UNUSED) {
                assert_int_equal(info.kind, FSI_EXTENT_ZERO);
                unused++;
            }
        }
    }
    assert_true(unused > 0);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_iso9660_and_joliet_records_share_the_file_data(void **state)
{
    static const char data[] = "shared bytes";
    struct fsi_tree *tree = fsi_tree_create();
    struct test_record iso[8], joliet[8];
    uint32_t iso_root, joliet_root, iso_size, joliet_size;
    struct fsi_image *image;
    size_t n;
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "Readme.txt", data, sizeof(data) - 1);
    image = make_image(tree, 2, 1);
    read_root(image, 16, &iso_root, &iso_size);
    read_root(image, 17, &joliet_root, &joliet_size);
    assert_int_not_equal(iso_root, joliet_root);
    n = read_directory(image, iso_root, iso_size, iso, 8);
    assert_int_equal(n, 3);
    assert_int_equal(read_directory(image, joliet_root, joliet_size, joliet, 8), 3);
    assert_int_equal(iso[2].id_length, 12);
    assert_memory_equal(iso[2].id, "README.TXT;1", 12);
    /* Joliet records the name without a version (";1" is ISO 9660's alone). */
    assert_int_equal(joliet[2].id_length, 20);
    assert_memory_equal(joliet[2].id, "\0R\0e\0a\0d\0m\0e\0.\0t\0x\0t", 20);
    assert_int_equal(iso[2].extent, joliet[2].extent);
    assert_int_equal(iso[2].length, sizeof(data) - 1);
    /* . and .. of the root both point at the root itself. */
    assert_int_equal(iso[0].extent, iso_root);
    assert_int_equal(iso[1].extent, iso_root);
    assert_int_equal(iso[0].flags & ECMA119_FLAG_DIRECTORY, ECMA119_FLAG_DIRECTORY);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_large_directory_spans_sectors_in_record_order(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct test_record *records = calloc(400, sizeof(*records));
    uint32_t root, size;
    struct fsi_image *image;
    char name[32];
    size_t n, i;
    (void)state;

    /* Added in reverse so the order on disc must come from sorting. */
    for (i = 300; i > 0; i--) {
        snprintf(name, sizeof(name), "FILE%04u.DAT", (unsigned)i);
        add_memory_file(tree, fsi_tree_root(tree), name, NULL, 0);
    }
    image = make_image(tree, 2, 0);
    read_root(image, 16, &root, &size);
    assert_true(size > FSI_SECTOR_SIZE);
    n = read_directory(image, root, size, records, 400);
    assert_int_equal(n, 302);
    for (i = 2; i < n; i++) {
        snprintf(name, sizeof(name), "FILE%04u.DAT;1", (unsigned)(i - 1));
        assert_int_equal(records[i].id_length, strlen(name));
        assert_memory_equal(records[i].id, name, strlen(name));
    }
    free(records);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_path_tables_list_directories_by_level_parent_and_name(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *b = add_dir(tree, fsi_tree_root(tree), "b");
    struct fsi_node *a = add_dir(tree, fsi_tree_root(tree), "a");
    uint8_t l[FSI_SECTOR_SIZE], m[FSI_SECTOR_SIZE], pvd[FSI_SECTOR_SIZE];
    static const char *const expected_ids[] = { "\0", "A", "B", "X", "Y" };
    static const uint16_t expected_parents[] = { 1, 1, 1, 2, 3 };
    uint32_t table_size, at = 0, i;
    struct fsi_image *image;
    (void)state;

    add_dir(tree, b, "y");
    add_dir(tree, a, "x");
    image = make_image(tree, 2, 0);
    read_sector(image, 16, pvd);
    table_size = get_both32(pvd + 132, NULL);
    read_sector(image, get_le32(pvd + 140), l);
    read_sector(image, get_be32(pvd + 148), m);
    for (i = 0; i < 5; i++) {
        uint8_t length = l[at];
        assert_int_equal(length, 1);
        assert_memory_equal(l + at + 8, expected_ids[i], 1);
        assert_int_equal(get_le16(l + at + 6), expected_parents[i]);
        assert_int_equal(get_be16(m + at + 6), expected_parents[i]);
        assert_int_equal(get_le32(l + at + 2), get_be32(m + at + 2));
        at += 8 + length + (length % 2);
    }
    assert_int_equal(at, table_size);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* A callback source that is never read: the layout alone is under test. */
static enum fsi_status unread_source(void *context, uint64_t offset, void *buffer, size_t length,
                                     size_t *done)
{
    (void)context; (void)offset; (void)buffer; (void)length; (void)done;
    fail_msg("the layout must not read file data");
    return FSI_E_SOURCE_READ;
}

static const struct fsi_source_callbacks unread_callbacks = { unread_source, NULL, NULL };

static void test_files_of_4gib_need_level_3_and_become_multi_extent(void **state)
{
    const uint64_t size = 4608ull * 1024 * 1024;     /* 4.5 GiB */
    struct fsi_source source = fsi_source_callback(&unread_callbacks, NULL);
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_tree *tree = fsi_tree_create();
    struct test_record records[8];
    uint32_t root, root_size;
    uint16_t name[] = { 'b', 'i', 'g' };
    size_t n;
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 3, size, &source, NULL),
                     FSI_OK);
    fsi_image_options_init(&options, TEST_TIME);
    options.iso9660_level = 2;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_FILE_TOO_LARGE);
    assert_null(image);

    image = make_image(tree, 3, 1);
    read_root(image, 16, &root, &root_size);
    n = read_directory(image, root, root_size, records, 8);
    assert_int_equal(n, 4);
    assert_int_equal(records[2].flags & ECMA119_FLAG_MULTI_EXTENT, ECMA119_FLAG_MULTI_EXTENT);
    assert_int_equal(records[3].flags & ECMA119_FLAG_MULTI_EXTENT, 0);
    assert_int_equal(records[2].length, 0xFFFFF800u);
    assert_int_equal((uint64_t)records[2].length + records[3].length, size);
    assert_int_equal(records[3].extent, records[2].extent + 0xFFFFF800u / FSI_SECTOR_SIZE);
    assert_memory_equal(records[2].id, records[3].id, records[2].id_length);
    assert_true((uint64_t)fsi_image_sector_count(image) * FSI_SECTOR_SIZE > size);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_strict_mode_refuses_more_than_eight_levels(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *node = fsi_tree_root(tree);
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    int level;
    (void)state;

    for (level = 2; level <= 8; level++)
        node = add_dir(tree, node, "d");
    fsi_image_options_init(&options, TEST_TIME);
    options.strict = 1;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);   /* exactly 8 levels */
    fsi_image_destroy(image);
    add_dir(tree, node, "d");                                               /* a ninth */
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_DIRECTORY_TOO_DEEP);
    options.strict = 0;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_volume_name_is_recorded_in_both_descriptors(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint8_t sector[FSI_SECTOR_SIZE];
    uint16_t name[] = { 'M', 'y', ' ', 'D', 'i', 's', 'c' };
    (void)state;

    fsi_image_options_init(&options, TEST_TIME);
    options.volume_name = name;
    options.volume_name_length = 7;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    read_sector(image, 16, sector);
    assert_memory_equal(sector + 40, "MY_DISC                         ", 32);
    read_sector(image, 17, sector);
    assert_memory_equal(sector + 40, "\0M\0y\0 \0D\0i\0s\0c\0 ", 16);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* The content of the file recorded third in the root (after . and ..) of `image`. */
static void expect_first_file_holds(struct fsi_image *image, const char *data, size_t size)
{
    struct test_record records[4];
    uint8_t sector[FSI_SECTOR_SIZE];
    uint32_t root, root_size;

    read_root(image, 16, &root, &root_size);
    assert_int_equal(read_directory(image, root, root_size, records, 4), 3);
    assert_int_equal(records[2].length, size);
    read_sector(image, records[2].extent, sector);
    assert_memory_equal(sector, data, size);
}

static void test_two_images_of_one_tree_keep_their_own_layouts(void **state)
{
    static const char data[] = "laid out twice";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image *with_joliet, *without_joliet;
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "twice.txt", data, sizeof(data) - 1);
    with_joliet = make_image(tree, 2, 1);
    without_joliet = make_image(tree, 1, 0);
    assert_int_not_equal(fsi_image_sector_count(with_joliet),
                         fsi_image_sector_count(without_joliet));
    expect_first_file_holds(with_joliet, data, sizeof(data) - 1);
    expect_first_file_holds(without_joliet, data, sizeof(data) - 1);
    fsi_image_destroy(without_joliet);
    fsi_image_destroy(with_joliet);
    fsi_tree_destroy(tree);
}

static void test_duplicate_names_differing_in_case_are_refused(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    uint16_t upper[] = { 'A', '.', 'T', 'X', 'T' }, lower[] = { 'a', '.', 't', 'x', 't' };
    struct fsi_source none = { FSI_SOURCE_NONE, { 0 } };
    struct fsi_node *file = NULL;
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), upper, 5, 0, &none, &file), FSI_OK);
    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), lower, 5, 0, &none, NULL),
                     FSI_E_DUPLICATE_NAME);
    assert_int_equal(fsi_tree_add_directory(tree, fsi_tree_root(tree), lower, 5, NULL),
                     FSI_E_DUPLICATE_NAME);
    assert_int_equal(fsi_tree_add_directory(tree, file, lower, 5, NULL), FSI_E_NOT_DIRECTORY);
    assert_ptr_equal(fsi_tree_find(tree, fsi_tree_root(tree), lower, 5), file);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_tree_lays_out_descriptors_tables_and_roots),
        cmocka_unit_test(test_without_joliet_there_is_no_supplementary_descriptor),
        cmocka_unit_test(test_extents_cover_the_image_once_in_order),
        cmocka_unit_test(test_unused_sectors_after_the_system_area_are_not_called_system_area),
        cmocka_unit_test(test_iso9660_and_joliet_records_share_the_file_data),
        cmocka_unit_test(test_large_directory_spans_sectors_in_record_order),
        cmocka_unit_test(test_path_tables_list_directories_by_level_parent_and_name),
        cmocka_unit_test(test_files_of_4gib_need_level_3_and_become_multi_extent),
        cmocka_unit_test(test_strict_mode_refuses_more_than_eight_levels),
        cmocka_unit_test(test_volume_name_is_recorded_in_both_descriptors),
        cmocka_unit_test(test_extents_say_which_part_of_the_image_they_hold),
        cmocka_unit_test(test_two_images_of_one_tree_keep_their_own_layouts),
        cmocka_unit_test(test_duplicate_names_differing_in_case_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
