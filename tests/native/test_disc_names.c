/*
 * The on-disc name of one item (src/core/disc_names.c): it must be the identifier the layout
 * records for it among its siblings, as a reader shows it, and the room an image may take
 * (max_sectors) must be enforced by the layout.
 */
#include "image_test_util.h"
#include "openfsi/disc_names.h"

static void assert_disc_name(const struct fsi_node *node, enum fsi_disc_name_system system,
                             int level, const char *expected)
{
    uint16_t out[80], want[80];
    size_t length = 0, want_length = ascii_units(expected, want);

    assert_int_equal(fsi_disc_name(node, system, level, out, 80, &length), FSI_OK);
    assert_int_equal(length, want_length);
    assert_memory_equal(out, want, length * sizeof(uint16_t));
}

static void test_iso9660_name_is_mapped_without_version(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "read me.txt", "x", 1);
    struct fsi_node *bare = add_memory_file(tree, fsi_tree_root(tree), "README", "x", 1);
    (void)state;

    assert_disc_name(file, FSI_DISC_NAME_ISO9660, 2, "READ_ME.TXT");
    assert_disc_name(file, FSI_DISC_NAME_ISO9660, 1, "READ_ME.TXT");
    assert_disc_name(bare, FSI_DISC_NAME_ISO9660, 2, "README");
    assert_disc_name(file, FSI_DISC_NAME_JOLIET, 2, "read me.txt");
    fsi_tree_destroy(tree);
}

static void test_colliding_siblings_get_the_suffix_the_layout_gives(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree);
    struct fsi_node *first = add_memory_file(tree, root, "a+b.txt", "x", 1);
    struct fsi_node *second = add_memory_file(tree, root, "a-b.txt", "x", 1);
    struct fsi_image *image = make_image(tree, 2, 1);
    struct test_record records[8];
    uint32_t extent, size;
    size_t n;
    (void)state;

    assert_disc_name(first, FSI_DISC_NAME_ISO9660, 2, "A_B.TXT");
    assert_disc_name(second, FSI_DISC_NAME_ISO9660, 2, "A_B_1.TXT");
    /* The same identifiers are in the image's root directory. */
    read_root(image, 16, &extent, &size);
    n = read_directory(image, extent, size, records, 8);
    assert_int_equal(n, 4);
    assert_int_equal(records[2].id_length, 9);
    assert_memory_equal(records[2].id, "A_B.TXT;1", 9);
    assert_int_equal(records[3].id_length, 11);
    assert_memory_equal(records[3].id, "A_B_1.TXT;1", 11);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_root_has_an_empty_name_and_bad_arguments_fail(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    uint16_t out[4];
    size_t length = 7;
    (void)state;

    assert_int_equal(fsi_disc_name(fsi_tree_root(tree), FSI_DISC_NAME_JOLIET, 2, out, 4, &length),
                     FSI_OK);
    assert_int_equal(length, 0);
    assert_int_equal(fsi_disc_name(NULL, FSI_DISC_NAME_JOLIET, 2, out, 4, &length),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_disc_name(fsi_tree_root(tree), FSI_DISC_NAME_ISO9660, 4, out, 4, &length),
                     FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
}

static void test_image_larger_than_max_sectors_is_refused(void **state)
{
    static const char data[10 * FSI_SECTOR_SIZE];
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint32_t needed;
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "big.bin", data, sizeof(data));
    fsi_image_options_init(&options, TEST_TIME);
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    needed = fsi_image_sector_count(image);
    fsi_image_destroy(image);

    options.max_sectors = needed;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    fsi_image_destroy(image);
    options.max_sectors = needed - 1;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_IMAGE_TOO_LARGE);
    assert_null(image);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso9660_name_is_mapped_without_version),
        cmocka_unit_test(test_colliding_siblings_get_the_suffix_the_layout_gives),
        cmocka_unit_test(test_root_has_an_empty_name_and_bad_arguments_fail),
        cmocka_unit_test(test_image_larger_than_max_sectors_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
