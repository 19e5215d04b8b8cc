/*
 * The on-disc name of one item (src/core/disc_names.c): it must be the identifier the layout
 * records for it among its siblings, as a reader shows it (ISO 9660, Joliet and UDF, where long
 * names are shortened), and the room an image may take (max_sectors) must be enforced by the
 * layout.
 */
#include "image_test_util.h"
#include "openfsi/disc_names.h"
#include "../../src/core/udf_cs0.h"
#include "../../src/core/udf_descriptor.h"

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

/* The names of the file identifiers in the run of FID sectors that starts at `sector` (a
   directory's stream, parent entry first; the test's own walk). Returns the count. */
static size_t read_fids(struct fsi_image *image, uint32_t sector, uint16_t names[][256],
                        size_t *lengths, size_t capacity)
{
    static uint8_t stream[8 * FSI_SECTOR_SIZE];
    size_t at = 0, count = 0, i;
    int ok;

    memset(stream, 0, sizeof stream);
    for (i = 0; i < 8 && sector + i < fsi_image_sector_count(image); i++)
        read_sector(image, sector + (uint32_t)i, stream + i * FSI_SECTOR_SIZE);
    while (at + 38 <= sizeof stream && stream[at] == 0x01 && stream[at + 1] == 0x01) {
        size_t l_fi = stream[at + 19], l_iu = stream[at + 36] | stream[at + 37] << 8;
        if (l_fi && count < capacity) {
            lengths[count] = udf_cs0_decode(stream + at + 38 + l_iu, l_fi, names[count], 256, &ok);
            assert_int_equal(ok, 1);
            count++;
        }
        at += (38 + l_iu + l_fi + 3) & ~(size_t)3;
    }
    return count;
}

static void test_udf_names_are_the_ones_the_writer_records(void **state)
{
    static uint16_t recorded[8][256];
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *nodes[4], *detached = NULL;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    uint16_t name[300], out[300];
    size_t lengths[8], length, count = 0, i, j;
    struct fsi_source none = { FSI_SOURCE_NONE, { 0 } };
    uint8_t sector[FSI_SECTOR_SIZE], crc_input[510];
    uint16_t crc;
    uint32_t s;
    (void)state;

    for (i = 0; i < 255; i++)
        name[i] = 'a';
    assert_int_equal(fsi_tree_add_file(tree, root, name, 255, 0, &none, &nodes[0]), FSI_OK);
    name[254] = 'b';
    assert_int_equal(fsi_tree_add_file(tree, root, name, 255, 0, &none, &nodes[1]), FSI_OK);
    for (i = 0; i < 130; i++)
        name[i] = 0x0416;
    assert_int_equal(fsi_tree_add_directory(tree, root, name, 130, &nodes[2]), FSI_OK);
    nodes[3] = add_memory_file(tree, root, "short.txt", "x", 1);
    assert_int_equal(fsi_tree_new_file(tree, name, 130, 0, &none, &detached), FSI_OK);

    fsi_image_options_init(&options, TEST_TIME);
    options.iso9660 = 0;
    options.joliet = 0;
    options.udf_revision = 0x0102;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    /* The root's identifiers: the first run of FID sectors whose parent FID is followed by 4. */
    for (s = 257; s < fsi_image_sector_count(image) && !count; s++) {
        read_sector(image, s, sector);
        if (sector[0] == 0x01 && sector[1] == 0x01)
            count = read_fids(image, s, recorded, lengths, 8);
    }
    assert_int_equal(count, 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(fsi_disc_name(nodes[i], FSI_DISC_NAME_UDF, 2, out, 300, &length), FSI_OK);
        assert_true(length <= 254);
        for (j = 0; j < count; j++)
            if (lengths[j] == length && !memcmp(recorded[j], out, length * sizeof(uint16_t)))
                break;
        if (j == count)
            fail_msg("the UDF name of item %u is not in the image", (unsigned)i);
    }
    /* Whole names stay whole; long ones keep a prefix and "#XXXX". */
    assert_int_equal(fsi_disc_name(nodes[3], FSI_DISC_NAME_UDF, 2, out, 300, &length), FSI_OK);
    assert_int_equal(length, 9);
    assert_int_equal(fsi_disc_name(nodes[0], FSI_DISC_NAME_UDF, 2, out, 300, &length), FSI_OK);
    assert_int_equal(length, 254);
    assert_int_equal(out[249], '#');
    for (i = 0; i < 510; i++)
        crc_input[i] = i % 2 ? 0 : 'a';
    crc = udf_crc(crc_input, 510);
    for (i = 0; i < 4; i++)
        assert_int_equal(out[250 + i], "0123456789ABCDEF"[(crc >> (12 - 4 * i)) & 15]);
    assert_int_equal(fsi_disc_name(nodes[2], FSI_DISC_NAME_UDF, 2, out, 300, &length), FSI_OK);
    assert_int_equal(length, 127);
    assert_int_equal(out[121], 0x0416);
    assert_int_equal(out[122], '#');
    /* A detached item is named as if alone; a short buffer gets the start and the length. */
    assert_int_equal(fsi_disc_name(detached, FSI_DISC_NAME_UDF, 2, out, 300, &length), FSI_OK);
    assert_int_equal(length, 127);
    assert_int_equal(fsi_disc_name(nodes[0], FSI_DISC_NAME_UDF, 2, out, 3, &length), FSI_OK);
    assert_int_equal(length, 254);
    assert_int_equal(out[2], 'a');
    assert_int_equal(fsi_disc_name(root, FSI_DISC_NAME_UDF, 2, out, 300, &length), FSI_OK);
    assert_int_equal(length, 0);
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
        cmocka_unit_test(test_udf_names_are_the_ones_the_writer_records),
        cmocka_unit_test(test_root_has_an_empty_name_and_bad_arguments_fail),
        cmocka_unit_test(test_image_larger_than_max_sectors_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
