/*
 * ISO 9660 record layouts (src/core/ecma119.h): each struct's size and each field's offset is the
 * standard's byte position (BP) minus one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/byte_order.h"
#include "../../src/core/ecma119.h"

#define BP(n) ((size_t)(n) - 1)

static void test_volume_descriptors_fill_one_sector(void **state)
{
    (void)state;
    assert_int_equal(ECMA119_SECTOR_SIZE, 2048);
    assert_int_equal(sizeof(struct ecma119_volume_descriptor), 2048);
    assert_int_equal(sizeof(struct ecma119_boot_record), 2048);
    assert_int_equal(sizeof(struct ecma119_volume_descriptor_set_terminator), 2048);
    assert_int_equal(sizeof(struct ecma119_primary_volume_descriptor), 2048);
    assert_int_equal(sizeof(struct ecma119_supplementary_volume_descriptor), 2048);
}

static void test_dir_record_fixed_part_is_33_bytes_at_the_standard_positions(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct ecma119_dir_record), 33);
    assert_int_equal(ECMA119_DIR_RECORD_FIXED_SIZE, 33);
    assert_int_equal(offsetof(struct ecma119_dir_record, length), BP(1));
    assert_int_equal(offsetof(struct ecma119_dir_record, ext_attr_length), BP(2));
    assert_int_equal(offsetof(struct ecma119_dir_record, extent), BP(3));
    assert_int_equal(offsetof(struct ecma119_dir_record, data_length), BP(11));
    assert_int_equal(offsetof(struct ecma119_dir_record, recording_date), BP(19));
    assert_int_equal(offsetof(struct ecma119_dir_record, flags), BP(26));
    assert_int_equal(offsetof(struct ecma119_dir_record, file_unit_size), BP(27));
    assert_int_equal(offsetof(struct ecma119_dir_record, interleave_gap), BP(28));
    assert_int_equal(offsetof(struct ecma119_dir_record, volume_seq_number), BP(29));
    assert_int_equal(offsetof(struct ecma119_dir_record, file_id_length), BP(33));
}

static void test_path_table_record_fixed_part_is_8_bytes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct ecma119_path_table_record), 8);
    assert_int_equal(ECMA119_PATH_TABLE_RECORD_FIXED_SIZE, 8);
    assert_int_equal(offsetof(struct ecma119_path_table_record, dir_id_length), BP(1));
    assert_int_equal(offsetof(struct ecma119_path_table_record, ext_attr_length), BP(2));
    assert_int_equal(offsetof(struct ecma119_path_table_record, extent), BP(3));
    assert_int_equal(offsetof(struct ecma119_path_table_record, parent_number), BP(7));
}

static void test_primary_descriptor_fields_sit_at_their_byte_positions(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, type), BP(1));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, standard_id), BP(2));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, version), BP(7));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, system_id), BP(9));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, volume_id), BP(41));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, volume_space_size), 80);
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, volume_set_size), BP(121));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, volume_seq_number),
                     BP(125));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, logical_block_size),
                     BP(129));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, path_table_size), BP(133));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, l_path_table_pos),
                     BP(141));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, opt_l_path_table_pos),
                     BP(145));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, m_path_table_pos),
                     BP(149));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, opt_m_path_table_pos),
                     BP(153));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, root_dir_record), 156);
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, volume_set_id), BP(191));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, publisher_id), BP(319));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, data_preparer_id),
                     BP(447));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, application_id), BP(575));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, copyright_file_id),
                     BP(703));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, abstract_file_id),
                     BP(740));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, bibliographic_file_id),
                     BP(777));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, creation_date), 813);
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, modification_date),
                     BP(831));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, expiration_date),
                     BP(848));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, effective_date), BP(865));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, file_structure_version),
                     BP(882));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, application_use),
                     BP(884));
    assert_int_equal(offsetof(struct ecma119_primary_volume_descriptor, reserved_1396), BP(1396));
}

static void test_supplementary_descriptor_has_flags_at_bp8_and_escapes_at_bp89(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct ecma119_supplementary_volume_descriptor, volume_flags), 7);
    assert_int_equal(offsetof(struct ecma119_supplementary_volume_descriptor, escape_sequences),
                     88);
    /* Everything else lines up with the primary descriptor. */
    assert_int_equal(offsetof(struct ecma119_supplementary_volume_descriptor, volume_space_size),
                     offsetof(struct ecma119_primary_volume_descriptor, volume_space_size));
    assert_int_equal(offsetof(struct ecma119_supplementary_volume_descriptor, root_dir_record),
                     offsetof(struct ecma119_primary_volume_descriptor, root_dir_record));
    assert_int_equal(offsetof(struct ecma119_supplementary_volume_descriptor, creation_date),
                     offsetof(struct ecma119_primary_volume_descriptor, creation_date));
    assert_int_equal(offsetof(struct ecma119_supplementary_volume_descriptor, application_use),
                     offsetof(struct ecma119_primary_volume_descriptor, application_use));
}

static void test_boot_record_and_terminator_fields_sit_at_their_byte_positions(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct ecma119_boot_record, boot_system_id), BP(8));
    assert_int_equal(offsetof(struct ecma119_boot_record, boot_id), BP(40));
    assert_int_equal(offsetof(struct ecma119_boot_record, boot_system_use), BP(72));
    assert_int_equal(offsetof(struct ecma119_volume_descriptor_set_terminator, reserved_8), BP(8));
    assert_int_equal(offsetof(struct ecma119_volume_descriptor, data), BP(8));
}

static void test_identifiers_and_types_are_the_standard_values(void **state)
{
    (void)state;
    assert_int_equal(ECMA119_SYSTEM_AREA_SECTORS, 16);
    assert_int_equal(ECMA119_VD_BOOT_RECORD, 0);
    assert_int_equal(ECMA119_VD_PRIMARY, 1);
    assert_int_equal(ECMA119_VD_SUPPLEMENTARY, 2);
    assert_int_equal(ECMA119_VD_SET_TERMINATOR, 255);
    assert_int_equal(ECMA119_VD_VERSION, 1);
    assert_int_equal(ECMA119_FILE_STRUCTURE_VERSION, 1);
    assert_int_equal(strlen(ECMA119_STANDARD_ID), ECMA119_STANDARD_ID_SIZE);
    assert_memory_equal(ECMA119_STANDARD_ID, "\x43\x44\x30\x30\x31", 5);
}

static void test_joliet_escape_sequences_are_percent_slash_at_c_e(void **state)
{
    (void)state;
    assert_memory_equal(JOLIET_ESCAPE_UCS2_LEVEL_1, "\x25\x2F\x40", JOLIET_ESCAPE_SIZE);
    assert_memory_equal(JOLIET_ESCAPE_UCS2_LEVEL_2, "\x25\x2F\x43", JOLIET_ESCAPE_SIZE);
    assert_memory_equal(JOLIET_ESCAPE_UCS2_LEVEL_3, "\x25\x2F\x45", JOLIET_ESCAPE_SIZE);
    assert_int_equal(strlen(JOLIET_ESCAPE_UCS2_LEVEL_3), JOLIET_ESCAPE_SIZE);
}

static void test_file_flags_are_the_standard_bits(void **state)
{
    (void)state;
    assert_int_equal(ECMA119_FLAG_HIDDEN, 1 << 0);
    assert_int_equal(ECMA119_FLAG_DIRECTORY, 1 << 1);
    assert_int_equal(ECMA119_FLAG_ASSOCIATED, 1 << 2);
    assert_int_equal(ECMA119_FLAG_RECORD, 1 << 3);
    assert_int_equal(ECMA119_FLAG_PROTECTION, 1 << 4);
    assert_int_equal(ECMA119_FLAG_MULTI_EXTENT, 1 << 7);
}

static void test_root_dir_record_filled_through_the_struct_has_the_standard_bytes(void **state)
{
    /* The root of a small volume: extent 20, one sector long, 2024-02-29 12:34:56 UTC. */
    const uint8_t expected[ECMA119_ROOT_DIR_RECORD_SIZE] = {
        34, 0,
        0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14,
        0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00,
        124, 2, 29, 12, 34, 56, 0,
        ECMA119_FLAG_DIRECTORY, 0, 0,
        0x01, 0x00, 0x00, 0x01,
        1, 0x00
    };
    const uint8_t date[7] = { 124, 2, 29, 12, 34, 56, 0 };
    struct ecma119_dir_record record;
    uint8_t bytes[ECMA119_ROOT_DIR_RECORD_SIZE];
    (void)state;

    memset(&record, 0, sizeof record);
    record.length[0] = ECMA119_ROOT_DIR_RECORD_SIZE;
    put_both32(record.extent, 20);
    put_both32(record.data_length, ECMA119_SECTOR_SIZE);
    memcpy(record.recording_date, date, sizeof date);
    record.flags[0] = ECMA119_FLAG_DIRECTORY;
    put_both16(record.volume_seq_number, 1);
    record.file_id_length[0] = 1;

    memcpy(bytes, &record, ECMA119_DIR_RECORD_FIXED_SIZE);
    bytes[ECMA119_DIR_RECORD_FIXED_SIZE] = 0x00;   /* the root's identifier */
    assert_memory_equal(bytes, expected, sizeof expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_volume_descriptors_fill_one_sector),
        cmocka_unit_test(test_dir_record_fixed_part_is_33_bytes_at_the_standard_positions),
        cmocka_unit_test(test_path_table_record_fixed_part_is_8_bytes),
        cmocka_unit_test(test_primary_descriptor_fields_sit_at_their_byte_positions),
        cmocka_unit_test(test_supplementary_descriptor_has_flags_at_bp8_and_escapes_at_bp89),
        cmocka_unit_test(test_boot_record_and_terminator_fields_sit_at_their_byte_positions),
        cmocka_unit_test(test_identifiers_and_types_are_the_standard_values),
        cmocka_unit_test(test_joliet_escape_sequences_are_percent_slash_at_c_e),
        cmocka_unit_test(test_file_flags_are_the_standard_bits),
        cmocka_unit_test(test_root_dir_record_filled_through_the_struct_has_the_standard_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
