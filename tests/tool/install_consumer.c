/*
 * A program that knows openfsi only as installed: built by test_install.sh with nothing but
 * `pkg-config --cflags --libs openfsi`, it makes an image of one file held in memory and checks
 * its size and that the file's bytes are where the layout puts them (the last sectors). It is
 * not a test of the engine itself (tests/native does that): it proves the installed headers and
 * library are complete and usable.
 */
#include <stdio.h>
#include <string.h>

#include <openfsi/image.h>
#include <openfsi/source.h>
#include <openfsi/status.h>
#include <openfsi/time.h>
#include <openfsi/tree.h>
#include <openfsi/utf.h>

#define FILE_SIZE 5000
/* System area 16, primary + Joliet + terminator 3, four path tables, two root directories, then
   the file: 5000 bytes take 3 sectors. */
#define EXPECTED_SECTORS (16 + 3 + 4 + 2 + 3)

static int fail(const char *what, enum fsi_status status)
{
    fprintf(stderr, "install_consumer: %s: %s\n", what, fsi_status_message(status));
    return 1;
}

int main(void)
{
    static unsigned char data[FILE_SIZE], image_bytes[EXPECTED_SECTORS * FSI_SECTOR_SIZE];
    const char *name = "hello.txt";
    uint16_t units[16];
    size_t length = fsi_utf8_to_utf16(name, strlen(name), units, 16), i;
    struct fsi_source source = fsi_source_memory(data, sizeof data);
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    struct fsi_reader *reader = NULL;
    struct fsi_tree *tree = fsi_tree_create();
    enum fsi_status status;
    uint64_t size;

    if (!tree)
        return fail("fsi_tree_create", FSI_E_OUT_OF_MEMORY);
    for (i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 1);
    status = fsi_tree_add_file(tree, fsi_tree_root(tree), units, length, sizeof data, &source,
                               NULL);
    if (status != FSI_OK)
        return fail("fsi_tree_add_file", status);
    fsi_image_options_init(&options, fsi_time_from_unix(1600000000, 0));
    status = fsi_image_create(tree, &options, &image);
    if (status != FSI_OK)
        return fail("fsi_image_create", status);
    size = fsi_image_size(image);
    printf("image of one %d-byte file: %llu bytes, %u sectors\n", FILE_SIZE,
           (unsigned long long)size, (unsigned)fsi_image_sector_count(image));
    if (size != (uint64_t)EXPECTED_SECTORS * FSI_SECTOR_SIZE) {
        fprintf(stderr, "install_consumer: expected %d sectors\n", EXPECTED_SECTORS);
        return 1;
    }
    status = fsi_reader_create(image, &reader);
    if (status != FSI_OK)
        return fail("fsi_reader_create", status);
    status = fsi_reader_read(reader, 0, image_bytes, sizeof image_bytes);
    if (status != FSI_OK)
        return fail(fsi_reader_error(reader), status);
    if (memcmp(image_bytes + (EXPECTED_SECTORS - 3) * FSI_SECTOR_SIZE, data, sizeof data) != 0 ||
        memcmp(image_bytes + 16 * FSI_SECTOR_SIZE + 1, "CD001", 5) != 0) {
        fprintf(stderr, "install_consumer: the image does not hold the file where expected\n");
        return 1;
    }
    fsi_reader_destroy(reader);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    puts("install_consumer: OK");
    return 0;
}
