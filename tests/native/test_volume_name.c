/* Which volume labels the engine accepts (include/openfsi/volume_name.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openfsi/volume_name.h"

static size_t to_utf16(const char *ascii, uint16_t *out)
{
    size_t n = 0;
    while (ascii[n]) {
        out[n] = (uint8_t)ascii[n];
        n++;
    }
    return n;
}

static void test_empty_label_is_valid(void **state)
{
    (void)state;
    assert_int_equal(fsi_volume_name_check(NULL, 0), FSI_OK);
}

static void test_ordinary_labels_are_valid(void **state)
{
    uint16_t name[64];
    (void)state;
    assert_int_equal(fsi_volume_name_check(name, to_utf16("MYDISC", name)), FSI_OK);
    assert_int_equal(fsi_volume_name_check(name, to_utf16("Holiday photos 2026", name)), FSI_OK);
}

static void test_label_of_32_units_is_valid_and_33_is_not(void **state)
{
    uint16_t name[64];
    (void)state;
    assert_int_equal(fsi_volume_name_check(name, to_utf16("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", name)),
                     FSI_OK);
    assert_int_equal(fsi_volume_name_check(name, to_utf16("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", name)),
                     FSI_E_INVALID_VOLUME_NAME);
}

static void test_control_characters_are_refused(void **state)
{
    uint16_t tab[] = { 'A', 0x09, 'B' };
    uint16_t del[] = { 'A', 0x7F };
    uint16_t nul[] = { 'A', 0x00, 'B' };
    (void)state;
    assert_int_equal(fsi_volume_name_check(tab, 3), FSI_E_INVALID_VOLUME_NAME);
    assert_int_equal(fsi_volume_name_check(del, 2), FSI_E_INVALID_VOLUME_NAME);
    assert_int_equal(fsi_volume_name_check(nul, 3), FSI_E_INVALID_VOLUME_NAME);
}

static void test_surrogates_must_pair(void **state)
{
    uint16_t paired[] = { 'X', 0xD83D, 0xDCBF };   /* U+1F4BF, an optical disc */
    uint16_t lone_high[] = { 'X', 0xD83D };
    uint16_t lone_low[] = { 0xDCBF, 'X' };
    uint16_t reversed[] = { 0xDCBF, 0xD83D };
    (void)state;
    assert_int_equal(fsi_volume_name_check(paired, 3), FSI_OK);
    assert_int_equal(fsi_volume_name_check(lone_high, 2), FSI_E_INVALID_VOLUME_NAME);
    assert_int_equal(fsi_volume_name_check(lone_low, 2), FSI_E_INVALID_VOLUME_NAME);
    assert_int_equal(fsi_volume_name_check(reversed, 2), FSI_E_INVALID_VOLUME_NAME);
}

static void test_null_label_with_length_is_an_argument_error(void **state)
{
    (void)state;
    assert_int_equal(fsi_volume_name_check(NULL, 3), FSI_E_INVALID_ARGUMENT);
}

static void test_each_file_system_records_the_label_its_way(void **state)
{
    static const uint16_t name[] = { 'H', 'o', 'l', 'i', 'd', 'a', 'y', ' ', 0x00E9, 't', 0x00E9,
                                     ' ', '2', '0', '2', '6', ' ', 'v', '2' };
    uint16_t out[FSI_VOLUME_NAME_MAX];
    size_t length, i;
    (void)state;

    length = fsi_volume_label(name, 19, FSI_VOLUME_LABEL_ISO9660, out);
    assert_int_equal(length, 19);
    {
        static const char expected[] = "HOLIDAY__T__2026_V2";
        for (i = 0; i < length; i++)
            assert_int_equal(out[i], (uint16_t)expected[i]);
    }
    length = fsi_volume_label(name, 19, FSI_VOLUME_LABEL_JOLIET, out);
    assert_int_equal(length, 16);
    assert_memory_equal(out, name, 16 * sizeof(uint16_t));
    length = fsi_volume_label(name, 19, FSI_VOLUME_LABEL_UDF, out);
    assert_int_equal(length, 19);
    assert_memory_equal(out, name, 19 * sizeof(uint16_t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_label_is_valid),
        cmocka_unit_test(test_ordinary_labels_are_valid),
        cmocka_unit_test(test_label_of_32_units_is_valid_and_33_is_not),
        cmocka_unit_test(test_control_characters_are_refused),
        cmocka_unit_test(test_surrogates_must_pair),
        cmocka_unit_test(test_null_label_with_length_is_an_argument_error),
        cmocka_unit_test(test_each_file_system_records_the_label_its_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
