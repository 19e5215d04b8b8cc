/*
 * UDF descriptor layouts (src/core/ecma167.h) and their small pieces (src/core/udf_descriptor.h):
 * struct sizes and field offsets against ECMA-167 3rd edition and UDF 2.60 (offsets are the
 * standards' relative byte positions, RBP, counted from 0), the CRC against published vectors,
 * and tags checked and rebuilt against descriptors taken from images made by mkudffs (udftools
 * 2.3, UDF 2.01) and genisoimage -udf (UDF 1.02).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/byte_order.h"
#include "../../src/core/ecma167.h"
#include "../../src/core/udf_descriptor.h"
#include "../../src/core/udf_crc_table.h"

/* Sector 256 of `mkudffs --media-type=hd --blocksize=2048` on a 4 MiB file: the anchor's first
 * 32 bytes (tag, main and reserve sequence extents); the other 480 bytes are zero. */
static const uint8_t mkudffs_anchor_head[32] = {
    0x02, 0x00, 0x03, 0x00, 0x3F, 0x00, 0x01, 0x00, 0x04, 0x43, 0xF0, 0x01,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00,
    0x00, 0x80, 0x00, 0x00, 0xEF, 0x07, 0x00, 0x00,
};

/* Sector 257 of the same image: a space bitmap descriptor at block 0 whose CRC covers 8 bytes. */
static const uint8_t mkudffs_space_bitmap_head[24] = {
    0x08, 0x01, 0x03, 0x00, 0xB6, 0x00, 0x01, 0x00, 0x43, 0x5E, 0x08, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xE8, 0x06, 0x00, 0x00, 0xDD, 0x00, 0x00, 0x00,
};

/* The domain identifier of its logical volume descriptor (UDF 2.01, no domain flags). */
static const uint8_t mkudffs_lvd_domain[32] = {
    0x00, 0x2A, 0x4F, 0x53, 0x54, 0x41, 0x20, 0x55, 0x44, 0x46, 0x20, 0x43,
    0x6F, 0x6D, 0x70, 0x6C, 0x69, 0x61, 0x6E, 0x74, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* `genisoimage -udf` of a directory holding a.txt: the root directory at block 3 of the
 * partition, its parent FID (40 bytes) and the FID of "a.txt" (44 bytes), descriptor version 2. */
static const uint8_t genisoimage_parent_fid[40] = {
    0x01, 0x01, 0x02, 0x00, 0xC8, 0x00, 0x00, 0x00, 0x47, 0x62, 0x18, 0x00,
    0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0A, 0x00, 0x00, 0x08, 0x00, 0x00,
    0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

static const uint8_t genisoimage_file_fid[44] = {
    0x01, 0x01, 0x02, 0x00, 0x26, 0x00, 0x00, 0x00, 0xE2, 0x21, 0x1C, 0x00,
    0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00,
    0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x08, 0x61, 0x2E, 0x74, 0x78, 0x74,
};

static void mkudffs_anchor(uint8_t out[512])
{
    memset(out, 0, 512);
    memcpy(out, mkudffs_anchor_head, sizeof mkudffs_anchor_head);
}

/* ---- CRC and checksum ---- */

static void test_crc_matches_the_itu_t_check_value_and_the_ecma_167_example(void **state)
{
    static const uint8_t ecma_example[3] = { 0x70, 0x6A, 0x77 };   /* 1/7.2.6: CRC #3299 */
    (void)state;
    assert_int_equal(udf_crc((const uint8_t *)"123456789", 9), 0x31C3);
    assert_int_equal(udf_crc(ecma_example, sizeof ecma_example), 0x3299);
    assert_int_equal(udf_crc((const uint8_t *)"A", 1), 0x58E5);
    assert_int_equal(udf_crc((const uint8_t *)"", 0), 0);
    assert_int_equal(udf_crc(NULL, 5), 0);
}

/* The CRC one bit at a time, as ECMA-167 1/7.2.6 defines it. */
static uint16_t crc_bit_by_bit(const uint8_t *data, size_t length)
{
    unsigned crc = 0;
    size_t i;
    int bit;

    for (i = 0; i < length; i++)
        for (bit = 7; bit >= 0; bit--) {
            unsigned top = ((crc >> 15) ^ (data[i] >> bit)) & 1;
            crc = ((crc << 1) ^ (top ? 0x1021u : 0)) & 0xFFFF;
        }
    return (uint16_t)crc;
}

/* The tables (udf_crc_table.h) hold what their two rules give, and the eight-byte steps agree
   with the definition on every length and alignment. */
static void test_crc_tables_and_eight_byte_steps_agree_with_the_definition(void **state)
{
    uint8_t data[600];
    size_t length, offset;
    int k, b;
    (void)state;

    for (b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        assert_int_equal(udf_crc_table[0][b], crc_bit_by_bit(&byte, 1));
        for (k = 1; k < 8; k++)
            assert_int_equal(udf_crc_table[k][b],
                             (uint16_t)((udf_crc_table[k - 1][b] << 8) ^
                                        udf_crc_table[0][udf_crc_table[k - 1][b] >> 8]));
    }
    for (length = 0; length < sizeof(data); length++)
        data[length] = (uint8_t)(length * 131 + 7 + (length >> 3));
    for (offset = 0; offset < 9; offset++)
        for (length = 0; length + offset <= sizeof(data); length += 1 + length / 16)
            assert_int_equal(udf_crc(data + offset, length),
                             crc_bit_by_bit(data + offset, length));
}

static void test_crc_of_zeros_is_zero_and_data_followed_by_its_crc_gives_zero(void **state)
{
    uint8_t zeros[496] = { 0 };
    uint8_t high[1] = { 0x80 };
    uint8_t message[11];
    uint16_t crc;
    (void)state;
    assert_int_equal(udf_crc(zeros, sizeof zeros), 0);
    /* Entry 0x80 of the usual CRC-CCITT (0x1021) table. */
    assert_int_equal(udf_crc(high, 1), 0x9188);
    /* With no reflection and no final XOR, appending the CRC big-endian leaves remainder 0. */
    memcpy(message, "123456789", 9);
    crc = udf_crc(message, 9);
    put_be16(message + 9, crc);
    assert_int_equal(udf_crc(message, sizeof message), 0);
}

static void test_checksum_sums_bytes_0_to_3_and_5_to_15_modulo_256(void **state)
{
    uint8_t tag[16];
    int i;
    (void)state;
    assert_int_equal(udf_tag_checksum(mkudffs_anchor_head), 0x3F);
    assert_int_equal(udf_tag_checksum(genisoimage_parent_fid), 0xC8);
    for (i = 0; i < 16; i++)
        tag[i] = 0xFF;
    /* 15 bytes of 0xFF: 15 * 255 = 3825 = 0xEF1; byte 4 itself is not counted. */
    assert_int_equal(udf_tag_checksum(tag), 0xF1);
    tag[4] = 0;
    assert_int_equal(udf_tag_checksum(tag), 0xF1);
}

/* ---- Tags from real images ---- */

static void test_tag_check_accepts_descriptors_from_mkudffs_and_genisoimage(void **state)
{
    uint8_t anchor[512];
    uint16_t identifier = 0;
    (void)state;
    mkudffs_anchor(anchor);
    assert_int_equal(udf_tag_check(anchor, sizeof anchor, 256, &identifier), 1);
    assert_int_equal(identifier, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER);
    assert_int_equal(udf_tag_check(mkudffs_space_bitmap_head, sizeof mkudffs_space_bitmap_head, 0,
                                   &identifier), 1);
    assert_int_equal(identifier, UDF_TAG_SPACE_BITMAP_DESCRIPTOR);
    assert_int_equal(udf_tag_check(genisoimage_parent_fid, sizeof genisoimage_parent_fid, 3,
                                   &identifier), 1);
    assert_int_equal(identifier, UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR);
    assert_int_equal(udf_tag_check(genisoimage_file_fid, sizeof genisoimage_file_fid, 3, NULL), 1);
}

/* Zeroes the tag of a copy of `original`, finishes it and compares the whole descriptor. */
static void assert_tag_rebuilt(const uint8_t *original, size_t length, uint16_t identifier,
                               uint16_t version, uint16_t serial, uint32_t location)
{
    uint8_t copy[512];
    assert_true(length <= sizeof copy);
    memcpy(copy, original, length);
    memset(copy, 0, UDF_DESCRIPTOR_TAG_SIZE);
    udf_tag_finish(copy, identifier, version, serial, location, length);
    assert_memory_equal(copy, original, length);
}

static void test_tag_finish_reproduces_the_tags_of_real_descriptors(void **state)
{
    uint8_t anchor[512], copy[24];
    (void)state;
    mkudffs_anchor(anchor);
    assert_tag_rebuilt(anchor, sizeof anchor, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER,
                       UDF_DESCRIPTOR_VERSION_NSR03, 1, 256);
    assert_tag_rebuilt(genisoimage_parent_fid, sizeof genisoimage_parent_fid,
                       UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR, UDF_DESCRIPTOR_VERSION_NSR02, 0, 3);
    assert_tag_rebuilt(genisoimage_file_fid, sizeof genisoimage_file_fid,
                       UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR, UDF_DESCRIPTOR_VERSION_NSR02, 0, 3);

    /* The space bitmap's CRC covers only its 8 fixed bytes after the tag. */
    memcpy(copy, mkudffs_space_bitmap_head, sizeof copy);
    memset(copy, 0xEE, UDF_DESCRIPTOR_TAG_SIZE);
    udf_tag_finish_crc(copy, UDF_TAG_SPACE_BITMAP_DESCRIPTOR, UDF_DESCRIPTOR_VERSION_NSR03, 1, 0,
                       8);
    assert_memory_equal(copy, mkudffs_space_bitmap_head, sizeof copy);
}

static void test_tag_finish_records_every_field_in_little_endian(void **state)
{
    uint8_t descriptor[64];
    const struct udf_descriptor_tag *tag = (const struct udf_descriptor_tag *)descriptor;
    (void)state;
    memset(descriptor, 0xAB, sizeof descriptor);
    udf_tag_finish(descriptor, 0x0105, 3, 0x1234, 0x89ABCDEF, sizeof descriptor);
    assert_int_equal(descriptor[0], 0x05);
    assert_int_equal(descriptor[1], 0x01);
    assert_int_equal(descriptor[2], 3);
    assert_int_equal(descriptor[3], 0);
    assert_int_equal(descriptor[5], 0);
    assert_int_equal(descriptor[6], 0x34);
    assert_int_equal(descriptor[7], 0x12);
    assert_int_equal(get_le16(tag->descriptor_crc), udf_crc(descriptor + 16, 48));
    assert_int_equal(get_le16(tag->descriptor_crc_length), 48);
    assert_int_equal(descriptor[12], 0xEF);
    assert_int_equal(descriptor[15], 0x89);
    assert_int_equal(descriptor[4], udf_tag_checksum(descriptor));
    assert_int_equal(udf_tag_check(descriptor, sizeof descriptor, 0x89ABCDEF, NULL), 1);
}

static void test_tag_finish_of_a_bare_tag_has_crc_length_0_and_ignores_short_lengths(void **state)
{
    uint8_t descriptor[16], untouched[16];
    (void)state;
    memset(descriptor, 0x55, sizeof descriptor);
    memcpy(untouched, descriptor, sizeof untouched);
    udf_tag_finish(descriptor, 8, 2, 0, 7, 15);
    assert_memory_equal(descriptor, untouched, sizeof descriptor);
    udf_tag_finish(NULL, 8, 2, 0, 7, 512);

    udf_tag_finish(descriptor, 8, 2, 0, 7, 16);
    assert_int_equal(get_le16(descriptor + 10), 0);
    assert_int_equal(get_le16(descriptor + 8), 0);
    assert_int_equal(udf_tag_check(descriptor, 16, 7, NULL), 1);
}

static void test_tag_finish_caps_the_crc_length_at_65535(void **state)
{
    static uint8_t big[16 + 70000];
    (void)state;
    memset(big, 0x5A, sizeof big);
    udf_tag_finish(big, UDF_TAG_SPACE_BITMAP_DESCRIPTOR, 3, 1, 0, sizeof big);
    assert_int_equal(get_le16(big + 10), 0xFFFF);
    assert_int_equal(get_le16(big + 8), udf_crc(big + 16, 0xFFFF));
    assert_int_equal(udf_tag_check(big, sizeof big, 0, NULL), 1);
}

/* ---- Tags refused ---- */

static void test_tag_check_refuses_a_flipped_byte_in_the_tag_or_the_body(void **state)
{
    uint8_t anchor[512];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof anchor; i++) {
        mkudffs_anchor(anchor);
        anchor[i] ^= 0x01;
        if (i == 4)
            continue;   /* the checksum byte itself: tested below */
        assert_int_equal(udf_tag_check(anchor, sizeof anchor, 256, NULL), 0);
    }
    mkudffs_anchor(anchor);
    anchor[4] ^= 0x01;
    assert_int_equal(udf_tag_check(anchor, sizeof anchor, 256, NULL), 0);
}

static void test_tag_check_refuses_a_descriptor_at_another_location(void **state)
{
    uint8_t anchor[512];
    uint16_t identifier = 0;
    (void)state;
    mkudffs_anchor(anchor);
    assert_int_equal(udf_tag_check(anchor, sizeof anchor, 257, &identifier), 0);
    assert_int_equal(identifier, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER);
    assert_int_equal(udf_tag_check(anchor, sizeof anchor, 0, NULL), 0);
    assert_int_equal(udf_tag_check(genisoimage_parent_fid, sizeof genisoimage_parent_fid, 4, NULL),
                     0);
}

static void test_tag_check_refuses_a_crc_length_beyond_the_available_bytes(void **state)
{
    uint8_t anchor[512];
    uint16_t identifier = 0;
    (void)state;
    mkudffs_anchor(anchor);
    assert_int_equal(udf_tag_check(anchor, 511, 256, NULL), 0);
    assert_int_equal(udf_tag_check(anchor, 32, 256, NULL), 0);
    assert_int_equal(udf_tag_check(genisoimage_file_fid, 43, 3, NULL), 0);
    /* Fewer than 16 bytes: not even a tag, and no identifier. */
    assert_int_equal(udf_tag_check(anchor, 15, 256, &identifier), 0);
    assert_int_equal(identifier, 0);
    assert_int_equal(udf_tag_check(NULL, 512, 256, &identifier), 0);

    /* A consistent tag that claims more than is there. */
    udf_tag_finish(anchor, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER, 3, 1, 256, sizeof anchor);
    assert_int_equal(udf_tag_check(anchor, sizeof anchor, 256, NULL), 1);
    assert_int_equal(udf_tag_check(anchor, sizeof anchor - 1, 256, NULL), 0);
}

static void test_tag_check_refuses_a_nonzero_reserved_byte_even_with_a_good_checksum(void **state)
{
    uint8_t anchor[512];
    (void)state;
    mkudffs_anchor(anchor);
    anchor[5] = 1;
    anchor[4] = udf_tag_checksum(anchor);
    assert_int_equal(udf_tag_check(anchor, sizeof anchor, 256, NULL), 0);
}

/* ---- Layouts ---- */

static void test_basic_types_have_the_standard_sizes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct udf_charspec), 64);
    assert_int_equal(sizeof(struct udf_timestamp), 12);
    assert_int_equal(sizeof(struct udf_regid), 32);
    assert_int_equal(sizeof(struct udf_descriptor_tag), 16);
    assert_int_equal(sizeof(struct udf_extent_ad), 8);
    assert_int_equal(sizeof(struct udf_short_ad), 8);
    assert_int_equal(sizeof(struct udf_long_ad), 16);
    assert_int_equal(sizeof(struct udf_lb_addr), 6);
    assert_int_equal(sizeof(struct udf_icb_tag), 20);
    assert_int_equal(offsetof(struct udf_timestamp, year), 2);
    assert_int_equal(offsetof(struct udf_timestamp, microseconds), 11);
    assert_int_equal(offsetof(struct udf_regid, identifier_suffix), 24);
    assert_int_equal(offsetof(struct udf_descriptor_tag, tag_checksum), 4);
    assert_int_equal(offsetof(struct udf_descriptor_tag, descriptor_crc), 8);
    assert_int_equal(offsetof(struct udf_descriptor_tag, descriptor_crc_length), 10);
    assert_int_equal(offsetof(struct udf_descriptor_tag, tag_location), 12);
    assert_int_equal(offsetof(struct udf_long_ad, extent_location), 4);
    assert_int_equal(offsetof(struct udf_long_ad, implementation_use), 10);
    assert_int_equal(offsetof(struct udf_icb_tag, strategy_type), 4);
    assert_int_equal(offsetof(struct udf_icb_tag, file_type), 11);
    assert_int_equal(offsetof(struct udf_icb_tag, parent_icb_location), 12);
    assert_int_equal(offsetof(struct udf_icb_tag, flags), 18);
}

static void test_volume_descriptors_have_the_standard_sizes_and_positions(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct udf_volume_structure_descriptor), 2048);
    assert_int_equal(offsetof(struct udf_volume_structure_descriptor, structure_version), 6);
    assert_int_equal(offsetof(struct udf_volume_structure_descriptor, structure_data), 7);

    assert_int_equal(sizeof(struct udf_primary_volume_descriptor), 512);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, volume_identifier), 24);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, volume_set_identifier), 72);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, descriptor_character_set), 200);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, application_identifier), 344);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, recording_date_and_time), 376);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, implementation_identifier),
                     388);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor,
                              predecessor_volume_descriptor_sequence_location), 484);
    assert_int_equal(offsetof(struct udf_primary_volume_descriptor, flags), 488);

    assert_int_equal(sizeof(struct udf_anchor_volume_descriptor_pointer), 512);
    assert_int_equal(offsetof(struct udf_anchor_volume_descriptor_pointer,
                              reserve_volume_descriptor_sequence_extent), 24);

    assert_int_equal(sizeof(struct udf_implementation_use_volume_descriptor), 512);
    assert_int_equal(offsetof(struct udf_implementation_use_volume_descriptor,
                              implementation_use), 52);
    assert_int_equal(sizeof(struct udf_lv_info), 460);
    assert_int_equal(offsetof(struct udf_lv_info, lv_info1), 192);
    assert_int_equal(offsetof(struct udf_lv_info, implementation_id), 300);

    assert_int_equal(sizeof(struct udf_partition_descriptor), 512);
    assert_int_equal(sizeof(struct udf_partition_header_descriptor), 128);
    assert_int_equal(offsetof(struct udf_partition_header_descriptor, unallocated_space_bitmap),
                     8);
    assert_int_equal(offsetof(struct udf_partition_descriptor, partition_contents), 24);
    assert_int_equal(offsetof(struct udf_partition_descriptor, partition_contents_use), 56);
    assert_int_equal(offsetof(struct udf_partition_descriptor, access_type), 184);
    assert_int_equal(offsetof(struct udf_partition_descriptor, partition_starting_location), 188);
    assert_int_equal(offsetof(struct udf_partition_descriptor, implementation_identifier), 196);
    assert_int_equal(offsetof(struct udf_partition_descriptor, reserved_356), 356);

    assert_int_equal(sizeof(struct udf_logical_volume_descriptor), UDF_LVD_FIXED_SIZE);
    assert_int_equal(UDF_LVD_FIXED_SIZE, 440);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, logical_volume_identifier),
                     84);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, logical_block_size), 212);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, domain_identifier), 216);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, logical_volume_contents_use),
                     248);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, map_table_length), 264);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, implementation_identifier),
                     272);
    assert_int_equal(offsetof(struct udf_logical_volume_descriptor, integrity_sequence_extent),
                     432);
    assert_int_equal(sizeof(struct udf_partition_map_type1), 6);
    assert_int_equal(sizeof(struct udf_metadata_partition_map), 64);
    assert_int_equal(offsetof(struct udf_metadata_partition_map, partition_type_identifier), 4);
    assert_int_equal(offsetof(struct udf_metadata_partition_map, partition_number), 38);
    assert_int_equal(offsetof(struct udf_metadata_partition_map, metadata_file_location), 40);
    assert_int_equal(offsetof(struct udf_metadata_partition_map, allocation_unit_size), 52);
    assert_int_equal(offsetof(struct udf_metadata_partition_map, alignment_unit_size), 56);
    assert_int_equal(offsetof(struct udf_metadata_partition_map, flags), 58);

    assert_int_equal(sizeof(struct udf_unallocated_space_descriptor), UDF_USD_FIXED_SIZE);
    assert_int_equal(UDF_USD_FIXED_SIZE, 24);
    assert_int_equal(sizeof(struct udf_terminating_descriptor), 512);

    assert_int_equal(sizeof(struct udf_logical_volume_integrity_descriptor), UDF_LVID_FIXED_SIZE);
    assert_int_equal(UDF_LVID_FIXED_SIZE, 80);
    assert_int_equal(offsetof(struct udf_logical_volume_integrity_descriptor, integrity_type), 28);
    assert_int_equal(offsetof(struct udf_logical_volume_integrity_descriptor,
                              logical_volume_contents_use), 40);
    assert_int_equal(offsetof(struct udf_logical_volume_integrity_descriptor,
                              number_of_partitions), 72);
    assert_int_equal(sizeof(struct udf_logical_volume_header_descriptor), 32);
    assert_int_equal(sizeof(struct udf_lvid_implementation_use), 46);
    assert_int_equal(offsetof(struct udf_lvid_implementation_use, number_of_files), 32);
    assert_int_equal(offsetof(struct udf_lvid_implementation_use, minimum_udf_read_revision), 40);
    assert_int_equal(offsetof(struct udf_lvid_implementation_use, maximum_udf_write_revision), 44);
}

static void test_file_structures_have_the_standard_sizes_and_positions(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct udf_file_set_descriptor), 512);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, interchange_level), 28);
    assert_int_equal(offsetof(struct udf_file_set_descriptor,
                              logical_volume_identifier_character_set), 48);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, logical_volume_identifier), 112);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, file_set_identifier), 304);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, root_directory_icb), 400);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, domain_identifier), 416);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, next_extent), 448);
    assert_int_equal(offsetof(struct udf_file_set_descriptor, system_stream_directory_icb), 464);

    assert_int_equal(sizeof(struct udf_file_identifier_descriptor), UDF_FID_FIXED_SIZE);
    assert_int_equal(UDF_FID_FIXED_SIZE, 38);
    assert_int_equal(offsetof(struct udf_file_identifier_descriptor, file_characteristics), 18);
    assert_int_equal(offsetof(struct udf_file_identifier_descriptor, icb), 20);
    assert_int_equal(offsetof(struct udf_file_identifier_descriptor,
                              length_of_implementation_use), 36);
    assert_int_equal(UDF_FID_SIZE(0, 0), 40);   /* the genisoimage parent FID */
    assert_int_equal(UDF_FID_SIZE(0, 6), 44);   /* and its "a.txt" */
    assert_int_equal(UDF_FID_SIZE(32, 1), 72);

    assert_int_equal(sizeof(struct udf_file_entry), UDF_FE_FIXED_SIZE);
    assert_int_equal(UDF_FE_FIXED_SIZE, 176);
    assert_int_equal(offsetof(struct udf_file_entry, icb_tag), 16);
    assert_int_equal(offsetof(struct udf_file_entry, uid), 36);
    assert_int_equal(offsetof(struct udf_file_entry, file_link_count), 48);
    assert_int_equal(offsetof(struct udf_file_entry, information_length), 56);
    assert_int_equal(offsetof(struct udf_file_entry, logical_blocks_recorded), 64);
    assert_int_equal(offsetof(struct udf_file_entry, access_date_and_time), 72);
    assert_int_equal(offsetof(struct udf_file_entry, checkpoint), 108);
    assert_int_equal(offsetof(struct udf_file_entry, extended_attribute_icb), 112);
    assert_int_equal(offsetof(struct udf_file_entry, implementation_identifier), 128);
    assert_int_equal(offsetof(struct udf_file_entry, unique_id), 160);
    assert_int_equal(offsetof(struct udf_file_entry, length_of_extended_attributes), 168);
    assert_int_equal(offsetof(struct udf_file_entry, length_of_allocation_descriptors), 172);

    assert_int_equal(sizeof(struct udf_extended_file_entry), UDF_EFE_FIXED_SIZE);
    assert_int_equal(UDF_EFE_FIXED_SIZE, 216);
    assert_int_equal(offsetof(struct udf_extended_file_entry, object_size), 64);
    assert_int_equal(offsetof(struct udf_extended_file_entry, logical_blocks_recorded), 72);
    assert_int_equal(offsetof(struct udf_extended_file_entry, access_date_and_time), 80);
    assert_int_equal(offsetof(struct udf_extended_file_entry, creation_date_and_time), 104);
    assert_int_equal(offsetof(struct udf_extended_file_entry, checkpoint), 128);
    assert_int_equal(offsetof(struct udf_extended_file_entry, extended_attribute_icb), 136);
    assert_int_equal(offsetof(struct udf_extended_file_entry, stream_directory_icb), 152);
    assert_int_equal(offsetof(struct udf_extended_file_entry, implementation_identifier), 168);
    assert_int_equal(offsetof(struct udf_extended_file_entry, unique_id), 200);
    assert_int_equal(offsetof(struct udf_extended_file_entry, length_of_allocation_descriptors),
                     212);

    assert_int_equal(sizeof(struct udf_space_bitmap_descriptor), UDF_SBD_FIXED_SIZE);
    assert_int_equal(UDF_SBD_FIXED_SIZE, 24);
    assert_int_equal(offsetof(struct udf_space_bitmap_descriptor, number_of_bytes), 20);
    assert_int_equal(sizeof(struct udf_allocation_extent_descriptor), UDF_AED_FIXED_SIZE);
}

static void test_real_fids_read_through_the_struct(void **state)
{
    const struct udf_file_identifier_descriptor *fid =
        (const struct udf_file_identifier_descriptor *)genisoimage_file_fid;
    const struct udf_file_identifier_descriptor *parent =
        (const struct udf_file_identifier_descriptor *)genisoimage_parent_fid;
    (void)state;
    assert_int_equal(parent->file_characteristics[0], UDF_FID_DIRECTORY | UDF_FID_PARENT);
    assert_int_equal(get_le32(parent->icb.extent_length), 2048);
    assert_int_equal(get_le32(parent->icb.extent_location.logical_block_number), 2);
    assert_int_equal(get_le16(fid->file_version_number), 1);
    assert_int_equal(fid->file_characteristics[0], 0);
    assert_int_equal(fid->length_of_file_identifier[0], 6);
    assert_int_equal(get_le32(fid->icb.extent_location.logical_block_number), 4);
    assert_int_equal(get_le16(fid->length_of_implementation_use), 0);
    assert_memory_equal(genisoimage_file_fid + UDF_FID_FIXED_SIZE, "\x08" "a.txt", 6);
}

static void test_identifiers_and_types_are_the_standard_values(void **state)
{
    (void)state;
    assert_int_equal(UDF_TAG_PRIMARY_VOLUME_DESCRIPTOR, 1);
    assert_int_equal(UDF_TAG_IMPLEMENTATION_USE_VOLUME_DESCRIPTOR, 4);
    assert_int_equal(UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR, 9);
    assert_int_equal(UDF_TAG_FILE_SET_DESCRIPTOR, 256);
    assert_int_equal(UDF_TAG_FILE_ENTRY, 261);
    assert_int_equal(UDF_TAG_SPACE_BITMAP_DESCRIPTOR, 264);
    assert_int_equal(UDF_TAG_EXTENDED_FILE_ENTRY, 266);
    assert_int_equal(UDF_FILE_TYPE_DIRECTORY, 4);
    assert_int_equal(UDF_FILE_TYPE_REGULAR, 5);
    assert_int_equal(UDF_FILE_TYPE_STREAM_DIRECTORY, 13);
    assert_int_equal(UDF_FILE_TYPE_METADATA, 250);
    assert_int_equal(UDF_FILE_TYPE_METADATA_MIRROR, 251);
    assert_int_equal(UDF_FILE_TYPE_METADATA_BITMAP, 252);
    assert_int_equal(UDF_ICB_FLAG_AD_LONG, 1);
    assert_int_equal(UDF_ICB_FLAG_AD_EMBEDDED, 3);
    assert_int_equal(UDF_ICB_FLAG_ARCHIVE, 0x20);
    assert_int_equal(UDF_FID_HIDDEN, 1);
    assert_int_equal(UDF_FID_DELETED, 4);
    assert_int_equal(UDF_ACCESS_READ_ONLY, 1);
    assert_int_equal(UDF_ACCESS_OVERWRITABLE, 4);
    assert_string_equal(UDF_VSD_BEA01, "BEA01");
    assert_string_equal(UDF_VSD_NSR03, "NSR03");
    assert_string_equal(UDF_PARTITION_CONTENTS_NSR02, "+NSR02");
    assert_string_equal(UDF_ID_DOMAIN, "*OSTA UDF Compliant");
    assert_string_equal(UDF_ID_METADATA_PARTITION, "*UDF Metadata Partition");
}

/* ---- Charspec, entity identifiers, allocation descriptors ---- */

static void test_charspec_cs0_is_type_0_osta_compressed_unicode_zero_padded(void **state)
{
    struct udf_charspec c;
    uint8_t expected[64] = { 0 };
    (void)state;
    memset(&c, 0xCC, sizeof c);
    memcpy(expected + 1, "OSTA Compressed Unicode", 23);
    udf_put_charspec_cs0(&c);
    assert_memory_equal(&c, expected, 64);
}

static void test_domain_regid_matches_mkudffs_and_records_revision_and_flags(void **state)
{
    struct udf_regid r;
    (void)state;
    memset(&r, 0xCC, sizeof r);
    udf_put_domain_regid(&r, UDF_REVISION_2_01, 0);
    assert_memory_equal(&r, mkudffs_lvd_domain, 32);

    udf_put_domain_regid(&r, UDF_REVISION_2_60, UDF_DOMAIN_FLAG_HARD_WRITE_PROTECT
                                                 | UDF_DOMAIN_FLAG_SOFT_WRITE_PROTECT);
    assert_int_equal(r.identifier_suffix[0], 0x60);
    assert_int_equal(r.identifier_suffix[1], 0x02);
    assert_int_equal(r.identifier_suffix[2], 0x03);
    assert_memory_equal(r.identifier_suffix + 3, "\0\0\0\0\0", 5);
}

static void test_udf_regid_has_revision_then_os_class_and_identifier(void **state)
{
    struct udf_regid r;
    uint8_t expected[32] = { 0 };
    (void)state;
    memcpy(expected + 1, "*UDF LV Info", 12);
    expected[24] = 0x50;
    expected[25] = 0x01;
    expected[26] = UDF_OPENFSI_OS_CLASS;
    expected[27] = UDF_OPENFSI_OS_IDENTIFIER;
    memset(&r, 0xCC, sizeof r);
    udf_put_udf_regid(&r, UDF_ID_LV_INFO, UDF_REVISION_1_50);
    assert_memory_equal(&r, expected, 32);
}

static void test_implementation_regid_is_openfsi_with_the_os_first_in_its_suffix(void **state)
{
    struct udf_regid r;
    uint8_t expected[32] = { 0 };
    (void)state;
    memcpy(expected + 1, "*openfsi", 8);
    expected[24] = UDF_OPENFSI_OS_CLASS;
    expected[25] = UDF_OPENFSI_OS_IDENTIFIER;
    memset(&r, 0xCC, sizeof r);
    udf_put_implementation_regid(&r);
    assert_memory_equal(&r, expected, 32);
#if defined(__linux__)
    /* The pair mkudffs records on Linux ("*Linux UDFFS", UNIX class, Linux). */
    assert_int_equal(expected[24], 4);
    assert_int_equal(expected[25], 5);
#endif
}

static void test_regid_cuts_long_identifiers_at_23_bytes(void **state)
{
    struct udf_regid r;
    (void)state;
    udf_put_regid(&r, "+NSR03", NULL);
    assert_memory_equal(r.identifier, "+NSR03\0\0", 8);
    assert_memory_equal(r.identifier_suffix, "\0\0\0\0\0\0\0\0", 8);
    udf_put_regid(&r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", NULL);
    assert_memory_equal(r.identifier, "ABCDEFGHIJKLMNOPQRSTUVW", 23);
    assert_int_equal(r.identifier_suffix[0], 0);
}

static void test_allocation_descriptors_are_little_endian_with_the_type_in_the_length(void **state)
{
    struct udf_extent_ad e;
    struct udf_short_ad s;
    struct udf_long_ad l;
    static const uint8_t use[6] = { 1, 2, 3, 4, 5, 6 };
    static const uint8_t extent[8] = { 0x00, 0x80, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00 };
    static const uint8_t short_ad[8] = { 0x00, 0x08, 0x00, 0x40, 0x04, 0x03, 0x02, 0x01 };
    static const uint8_t long_ad[16] = { 0x00, 0x08, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
                                         0x01, 0x00, 1, 2, 3, 4, 5, 6 };
    (void)state;
    udf_put_extent_ad(&e, 0x8000, 96);      /* the mkudffs anchor's main sequence */
    assert_memory_equal(&e, mkudffs_anchor_head + 16, 8);
    assert_memory_equal(&e, extent, 8);
    udf_put_short_ad(&s, 2048 | UDF_EXTENT_NOT_RECORDED_ALLOCATED, 0x01020304);
    assert_memory_equal(&s, short_ad, 8);
    udf_put_long_ad(&l, 2048, 2, 1, use);
    assert_memory_equal(&l, long_ad, 16);
    udf_put_long_ad(&l, 2048, 2, 0, NULL);
    assert_memory_equal(&l, genisoimage_parent_fid + 20, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_matches_the_itu_t_check_value_and_the_ecma_167_example),
        cmocka_unit_test(test_crc_tables_and_eight_byte_steps_agree_with_the_definition),
        cmocka_unit_test(test_crc_of_zeros_is_zero_and_data_followed_by_its_crc_gives_zero),
        cmocka_unit_test(test_checksum_sums_bytes_0_to_3_and_5_to_15_modulo_256),
        cmocka_unit_test(test_tag_check_accepts_descriptors_from_mkudffs_and_genisoimage),
        cmocka_unit_test(test_tag_finish_reproduces_the_tags_of_real_descriptors),
        cmocka_unit_test(test_tag_finish_records_every_field_in_little_endian),
        cmocka_unit_test(test_tag_finish_of_a_bare_tag_has_crc_length_0_and_ignores_short_lengths),
        cmocka_unit_test(test_tag_finish_caps_the_crc_length_at_65535),
        cmocka_unit_test(test_tag_check_refuses_a_flipped_byte_in_the_tag_or_the_body),
        cmocka_unit_test(test_tag_check_refuses_a_descriptor_at_another_location),
        cmocka_unit_test(test_tag_check_refuses_a_crc_length_beyond_the_available_bytes),
        cmocka_unit_test(test_tag_check_refuses_a_nonzero_reserved_byte_even_with_a_good_checksum),
        cmocka_unit_test(test_basic_types_have_the_standard_sizes),
        cmocka_unit_test(test_volume_descriptors_have_the_standard_sizes_and_positions),
        cmocka_unit_test(test_file_structures_have_the_standard_sizes_and_positions),
        cmocka_unit_test(test_real_fids_read_through_the_struct),
        cmocka_unit_test(test_identifiers_and_types_are_the_standard_values),
        cmocka_unit_test(test_charspec_cs0_is_type_0_osta_compressed_unicode_zero_padded),
        cmocka_unit_test(test_domain_regid_matches_mkudffs_and_records_revision_and_flags),
        cmocka_unit_test(test_udf_regid_has_revision_then_os_class_and_identifier),
        cmocka_unit_test(test_implementation_regid_is_openfsi_with_the_os_first_in_its_suffix),
        cmocka_unit_test(test_regid_cuts_long_identifiers_at_23_bytes),
        cmocka_unit_test(test_allocation_descriptors_are_little_endian_with_the_type_in_the_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
