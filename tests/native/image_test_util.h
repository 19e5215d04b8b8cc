/*
 * Helpers shared by the native image tests: building trees from ASCII names and reading sectors
 * and directory records back from an image through the engine's reader.
 */
#ifndef OPENFSI_TESTS_IMAGE_TEST_UTIL_H
#define OPENFSI_TESTS_IMAGE_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "byte_order.h"
#include "ecma119.h"
#include "openfsi/image.h"
#include "openfsi/tree.h"

#define TEST_TIME ((fsi_time)133000000000000000ll)   /* 2022-06-19, any fixed time will do */

static inline size_t ascii_units(const char *ascii, uint16_t *out)
{
    size_t n = 0;
    while (ascii[n]) {
        out[n] = (uint8_t)ascii[n];
        n++;
    }
    return n;
}

static inline struct fsi_node *add_dir(struct fsi_tree *tree, struct fsi_node *parent,
                                       const char *name)
{
    uint16_t units[256];
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_add_directory(tree, parent, units, ascii_units(name, units), &node),
                     FSI_OK);
    return node;
}

static inline struct fsi_node *add_memory_file(struct fsi_tree *tree, struct fsi_node *parent,
                                               const char *name, const void *data, size_t size)
{
    uint16_t units[256];
    struct fsi_source source = fsi_source_memory(data, size);
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_add_file(tree, parent, units, ascii_units(name, units), size,
                                       &source, &node),
                     FSI_OK);
    return node;
}

static inline struct fsi_image *make_image(struct fsi_tree *tree, int level, int joliet)
{
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    fsi_image_options_init(&options, TEST_TIME);
    options.iso9660_level = level;
    options.joliet = joliet;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    return image;
}

static inline void read_sector(struct fsi_image *image, uint32_t sector, uint8_t *out)
{
    struct fsi_reader *reader;
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, (uint64_t)sector * FSI_SECTOR_SIZE, out,
                                     FSI_SECTOR_SIZE),
                     FSI_OK);
    fsi_reader_destroy(reader);
}

/* A directory record as the tests look at it. */
struct test_record {
    uint32_t extent;
    uint32_t length;
    uint8_t flags;
    uint8_t id[256];
    uint8_t id_length;
};

/*
 * Reads every record of the directory at `sector` of `size` bytes, checking on the way that no
 * record crosses a sector and that both-endian fields agree. Returns the count (with . and ..).
 */
static inline size_t read_directory(struct fsi_image *image, uint32_t sector, uint32_t size,
                                    struct test_record *records, size_t capacity)
{
    uint8_t buffer[FSI_SECTOR_SIZE];
    size_t count = 0;
    uint32_t s;

    for (s = 0; s < size / FSI_SECTOR_SIZE; s++) {
        uint32_t at = 0;
        read_sector(image, sector + s, buffer);
        while (at < FSI_SECTOR_SIZE && buffer[at]) {
            const struct ecma119_dir_record *r = (const struct ecma119_dir_record *)(buffer + at);
            int consistent = 0;
            assert_true(at + r->length[0] <= FSI_SECTOR_SIZE);
            assert_true(count < capacity);
            records[count].extent = get_both32(r->extent, &consistent);
            assert_true(consistent);
            records[count].length = get_both32(r->data_length, &consistent);
            assert_true(consistent);
            records[count].flags = r->flags[0];
            records[count].id_length = r->file_id_length[0];
            memcpy(records[count].id, buffer + at + ECMA119_DIR_RECORD_FIXED_SIZE,
                   r->file_id_length[0]);
            count++;
            at += r->length[0];
        }
    }
    return count;
}

/* The root directory record of the volume descriptor at `sector`. */
static inline void read_root(struct fsi_image *image, uint32_t sector, uint32_t *extent,
                             uint32_t *size)
{
    uint8_t buffer[FSI_SECTOR_SIZE];
    const struct ecma119_primary_volume_descriptor *vd =
        (const struct ecma119_primary_volume_descriptor *)buffer;
    const struct ecma119_dir_record *root;
    read_sector(image, sector, buffer);
    root = (const struct ecma119_dir_record *)vd->root_dir_record;
    *extent = get_both32(root->extent, NULL);
    *size = get_both32(root->data_length, NULL);
}

#endif
