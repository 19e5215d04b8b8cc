/*
 * The portable engine inside Windows: a tree whose file comes from a host file with a non-ASCII
 * name (UTF-8 in the engine, opened by its UTF-16 name on Windows) becomes an image whose
 * Joliet record points at exactly that file's bytes.
 */
#include "com_test.h"

#include <stdio.h>
#include <string.h>

#include "openfsi/image.h"
#include "openfsi/tree.h"

static void test_host_file_with_non_ascii_name_is_read(void **state)
{
    static const char data[] = "bytes of a file named in Greek";
    WCHAR directory[MAX_PATH], path[MAX_PATH];
    char utf8_path[MAX_PATH * 3];
    uint16_t name[] = { 'd', 'a', 't', 'a' };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source;
    struct fsi_extent_info info;
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_reader *reader = NULL;
    uint8_t sector[FSI_SECTOR_SIZE];
    HANDLE file;
    DWORD written;
    (void)state;

    GetTempPathW(MAX_PATH, directory);
    wsprintfW(path, L"%s\\openfsi-\x03b1\x03b2\x03b3.bin", directory);   /* alpha beta gamma */
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(file, data, sizeof(data) - 1, &written, NULL));
    CloseHandle(file);
    assert_true(WideCharToMultiByte(CP_UTF8, 0, path, -1, utf8_path, sizeof(utf8_path), NULL,
                                    NULL) > 0);

    source = fsi_source_host_file(utf8_path);
    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 4, sizeof(data) - 1,
                                       &source, NULL),
                     FSI_OK);
    fsi_image_options_init(&options, 0);
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    fsi_image_extent(image, fsi_image_extent_count(image) - 1, &info);
    assert_int_equal(info.kind, FSI_EXTENT_FILE);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, (uint64_t)info.first_sector * FSI_SECTOR_SIZE,
                                     sector, FSI_SECTOR_SIZE),
                     FSI_OK);
    assert_memory_equal(sector, data, sizeof(data) - 1);

    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    DeleteFileW(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_file_with_non_ascii_name_is_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
