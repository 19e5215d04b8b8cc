/*
 * The image reader (src/core/reader.c): any byte range on demand, file bytes from the sources at
 * read time with zero padding, and a failed read — never a wrong image — when a source fails, is
 * shorter or longer than its file's size, or a host file vanished.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

#include "image_test_util.h"

static uint8_t *read_all(struct fsi_image *image)
{
    uint64_t size = fsi_image_size(image);
    uint8_t *buffer = malloc(size);
    struct fsi_reader *reader;
    assert_non_null(buffer);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, 0, buffer, size), FSI_OK);
    fsi_reader_destroy(reader);
    return buffer;
}

static void test_file_bytes_sit_at_their_sector_with_zero_padding(void **state)
{
    static const char data[] = "the quick brown fox";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "fox.txt", data,
                                            sizeof(data) - 1);
    struct fsi_extent_info info;
    struct fsi_image *image = make_image(tree, 2, 1);
    uint8_t *all = read_all(image);
    size_t i;
    (void)state;

    fsi_image_extent(image, fsi_image_extent_count(image) - 1, &info);
    assert_ptr_equal(info.file, file);
    assert_memory_equal(all + (size_t)info.first_sector * FSI_SECTOR_SIZE, data, sizeof(data) - 1);
    for (i = sizeof(data) - 1; i < FSI_SECTOR_SIZE; i++)
        assert_int_equal(all[(size_t)info.first_sector * FSI_SECTOR_SIZE + i], 0);
    free(all);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_reads_in_odd_pieces_equal_one_whole_read(void **state)
{
    static uint8_t data[10000];
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "Some Directory");
    struct fsi_reader *reader;
    struct fsi_image *image;
    uint8_t *whole, *pieces;
    uint64_t size, at = 0;
    size_t step = 1, i;
    (void)state;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + 3);
    add_memory_file(tree, dir, "one.bin", data, sizeof(data));
    add_memory_file(tree, dir, "two.bin", data, 4097);
    add_memory_file(tree, fsi_tree_root(tree), "three.bin", data + 5, 2048);
    image = make_image(tree, 2, 1);
    size = fsi_image_size(image);
    whole = read_all(image);
    pieces = malloc(size);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    while (at < size) {
        size_t n = size - at < step ? (size_t)(size - at) : step;
        assert_int_equal(fsi_reader_read(reader, at, pieces + at, n), FSI_OK);
        at += n;
        step = step * 3 + 1;        /* 1, 4, 13, 40, ... crosses every kind of boundary */
        if (step > 70000)
            step = 5;
    }
    assert_memory_equal(whole, pieces, size);
    fsi_reader_destroy(reader);
    free(pieces);
    free(whole);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_reading_past_the_end_fails(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image *image = make_image(tree, 2, 1);
    struct fsi_reader *reader;
    uint8_t byte;
    (void)state;

    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, fsi_image_size(image) - 1, &byte, 1), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, fsi_image_size(image), &byte, 1),
                     FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_reader_read(reader, UINT64_MAX, &byte, 2), FSI_E_INVALID_ARGUMENT);
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* Reads the whole image and expects `status`, with the file's path in the error text. */
static void expect_read_failure(struct fsi_tree *tree, enum fsi_status status, const char *path)
{
    struct fsi_image *image = make_image(tree, 2, 1);
    uint64_t size = fsi_image_size(image);
    uint8_t *buffer = malloc(size);
    struct fsi_reader *reader;

    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, 0, buffer, size), status);
    assert_non_null(strstr(fsi_reader_error(reader), path));
    fsi_reader_destroy(reader);
    free(buffer);
    fsi_image_destroy(image);
}

static void test_source_shorter_than_declared_fails_the_read(void **state)
{
    static const char data[100] = "short";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source = fsi_source_memory(data, 10);
    uint16_t name[] = { 's', 'h', 'r', 'u', 'n', 'k' };
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, add_dir(tree, fsi_tree_root(tree), "d"), name, 6, 100,
                                       &source, NULL),
                     FSI_OK);
    expect_read_failure(tree, FSI_E_SOURCE_SHORT, "/d/shrunk");
    fsi_tree_destroy(tree);
}

static void test_source_longer_than_declared_fails_the_read(void **state)
{
    static const char data[100] = "long";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source = fsi_source_memory(data, 100);
    uint16_t name[] = { 'g', 'r', 'e', 'w' };
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 4, 99, &source, NULL), FSI_OK);
    expect_read_failure(tree, FSI_E_SOURCE_LONG, "/grew");
    fsi_tree_destroy(tree);
}

static enum fsi_status failing_read(void *context, uint64_t offset, void *buffer, size_t length,
                                    size_t *done)
{
    (void)context; (void)buffer; (void)length;
    *done = 0;
    return offset >= 2048 ? FSI_E_SOURCE_READ : (*done = length, FSI_OK);
}

static int released;
static void count_release(void *context)
{
    (void)context;
    released++;
}

static const struct fsi_source_callbacks failing_callbacks = { failing_read, count_release, NULL };

static void test_failing_callback_fails_the_read_and_is_released_once(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source = fsi_source_callback(&failing_callbacks, NULL);
    uint16_t name[] = { 'b', 'a', 'd' };
    (void)state;

    released = 0;
    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 3, 5000, &source, NULL),
                     FSI_OK);
    expect_read_failure(tree, FSI_E_SOURCE_READ, "/bad");
    fsi_tree_destroy(tree);
    assert_int_equal(released, 1);
}

/* A tree whose root holds "host", a host file of `size` bytes made at `path` (a mkstemp
   template). */
static struct fsi_tree *tree_with_host_file(char *path, const void *data, size_t size)
{
    int fd = mkstemp(path);
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source = fsi_source_host_file(path);
    uint16_t name[] = { 'h', 'o', 's', 't' };

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, size), (ssize_t)size);
    close(fd);
    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 4, size, &source, NULL),
                     FSI_OK);
    return tree;
}

static void test_host_file_is_read_and_its_removal_is_reported(void **state)
{
    char path[] = "/tmp/openfsi-reader-XXXXXX";
    static const char data[] = "bytes from a host file";
    struct fsi_tree *tree = tree_with_host_file(path, data, sizeof(data) - 1);
    struct fsi_extent_info info;
    struct fsi_image *image;
    uint8_t *all;
    (void)state;

    image = make_image(tree, 2, 1);
    all = read_all(image);
    fsi_image_extent(image, fsi_image_extent_count(image) - 1, &info);
    assert_memory_equal(all + (size_t)info.first_sector * FSI_SECTOR_SIZE, data, sizeof(data) - 1);
    free(all);
    fsi_image_destroy(image);

    unlink(path);
    expect_read_failure(tree, FSI_E_SOURCE_READ, path);
    fsi_tree_destroy(tree);
}

static void test_host_runs_say_where_a_host_file_lies_and_nothing_else(void **state)
{
    char path[] = "/tmp/openfsi-reader-XXXXXX";
    static const char data[] = "a host file of some bytes";
    struct fsi_tree *tree = tree_with_host_file(path, data, sizeof(data) - 1);
    uint64_t start, file_offset = 99, file_size = 99;
    const char *run_path = NULL;
    struct fsi_image *image;
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "memory.bin", data, sizeof(data) - 1);
    image = make_image(tree, 2, 1);
    /* The first sector that gives a run must be the host file's first. */
    for (start = 0; start < fsi_image_size(image); start += FSI_SECTOR_SIZE)
        if (fsi_image_host_run(image, start, &run_path, &file_offset, &file_size))
            break;
    assert_true(start < fsi_image_size(image));
    assert_string_equal(run_path, path);
    assert_int_equal(file_offset, 0);
    assert_int_equal(file_size, sizeof(data) - 1);
    assert_int_equal(fsi_image_host_run(image, start, NULL, NULL, NULL), sizeof(data) - 1);
    assert_int_equal(fsi_image_host_run(image, start + 5, NULL, &file_offset, NULL),
                     sizeof(data) - 6);
    assert_int_equal(file_offset, 5);
    /* Its padding, the volume descriptors, the memory file and the end give no run. */
    assert_int_equal(fsi_image_host_run(image, start + sizeof(data) - 1, NULL, NULL, NULL), 0);
    assert_int_equal(fsi_image_host_run(image, 16 * FSI_SECTOR_SIZE, NULL, NULL, NULL), 0);
    assert_int_equal(fsi_image_host_run(image, fsi_image_size(image), NULL, NULL, NULL), 0);
    for (start = 0; start < fsi_image_size(image); start += FSI_SECTOR_SIZE) {
        const char *other = NULL;
        if (fsi_image_host_run(image, start, &other, NULL, NULL))
            assert_string_equal(other, path);       /* only the host file has runs */
    }
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_bytes_sit_at_their_sector_with_zero_padding),
        cmocka_unit_test(test_reads_in_odd_pieces_equal_one_whole_read),
        cmocka_unit_test(test_reading_past_the_end_fails),
        cmocka_unit_test(test_source_shorter_than_declared_fails_the_read),
        cmocka_unit_test(test_source_longer_than_declared_fails_the_read),
        cmocka_unit_test(test_failing_callback_fails_the_read_and_is_released_once),
        cmocka_unit_test(test_host_file_is_read_and_its_removal_is_reported),
        cmocka_unit_test(test_host_runs_say_where_a_host_file_lies_and_nothing_else),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
