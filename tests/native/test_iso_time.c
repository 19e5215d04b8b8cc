/* fsi_time and ISO 9660 dates (include/openfsi/time.h, src/core/iso_time.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "openfsi/time.h"
#include "../../src/core/iso_time.h"

#define TICKS_PER_SECOND INT64_C(10000000)
#define TICKS_PER_DAY (86400 * TICKS_PER_SECOND)

/* Expected times, worked out independently (Python's datetime). */
#define T_1900_01_01 INT64_C(94354848000000000)
#define T_1970_01_01 INT64_C(116444736000000000)
#define T_2024_02_29_123456 INT64_C(133536836960000000)
#define T_2024_02_29_233000 INT64_C(133537230000000000)
#define T_2155_12_31_235959 INT64_C(175140575990000000)
#define T_2156_01_01 INT64_C(175140576000000000)

static void assert_dir_date(fsi_time t, int offset, const uint8_t expected[7])
{
    uint8_t out[7];
    iso_dir_record_date(t, offset, out);
    assert_memory_equal(out, expected, 7);
}

/* expected: the 16 digits as a string, then the offset byte. */
static void assert_volume_date(fsi_time t, int offset, const char *digits, uint8_t offset_byte)
{
    uint8_t out[17];
    iso_volume_date(t, offset, out);
    assert_memory_equal(out, digits, 16);
    assert_int_equal(out[16], offset_byte);
}

static void test_unix_epoch_is_filetime_116444736000000000(void **state)
{
    int32_t ns = -1;
    (void)state;
    assert_true(fsi_time_from_unix(0, 0) == T_1970_01_01);
    assert_true(FSI_TIME_UNIX_EPOCH == T_1970_01_01);
    assert_true(fsi_time_to_unix(T_1970_01_01, &ns) == 0);
    assert_int_equal(ns, 0);
    assert_true(fsi_time_to_unix(0, &ns) == INT64_C(-11644473600));
    assert_int_equal(ns, 0);
    assert_true(fsi_time_to_unix(T_2024_02_29_123456, NULL) == INT64_C(1709210096));
}

static void test_unix_conversion_truncates_to_ticks_and_carries_nanoseconds(void **state)
{
    (void)state;
    assert_true(fsi_time_from_unix(0, 199) == T_1970_01_01 + 1);
    assert_true(fsi_time_from_unix(0, 1999999999) == T_1970_01_01 + 19999999);
    assert_true(fsi_time_from_unix(1, -100) == T_1970_01_01 + TICKS_PER_SECOND - 1);
    assert_true(fsi_time_from_unix(-1, 999999950) == T_1970_01_01 - 1);
}

static void test_times_before_1970_floor_to_the_earlier_second(void **state)
{
    int32_t ns = -1;
    (void)state;
    assert_true(fsi_time_to_unix(T_1970_01_01 - 1, &ns) == -1);
    assert_int_equal(ns, 999999900);
    assert_true(fsi_time_to_unix(T_1970_01_01 - TICKS_PER_SECOND, &ns) == -1);
    assert_int_equal(ns, 0);
    assert_true(fsi_time_to_unix(T_1970_01_01 - TICKS_PER_SECOND - 1, &ns) == -2);
    assert_int_equal(ns, 999999900);
    assert_true(fsi_time_to_unix(INT64_MIN, &ns) < 0);
    assert_true(ns >= 0 && ns <= 999999900);
}

static void test_unix_times_beyond_fsi_time_saturate(void **state)
{
    (void)state;
    assert_true(fsi_time_from_unix(INT64_MAX, 999999999) == INT64_MAX);
    assert_true(fsi_time_from_unix(INT64_MIN, -999999999) == INT64_MIN);
    assert_true(fsi_time_from_unix(INT64_C(1000000000000), 0) == INT64_MAX);
    assert_true(fsi_time_from_unix(INT64_C(-1000000000000), 0) == INT64_MIN);
}

static void test_dir_record_date_of_the_unix_epoch(void **state)
{
    const uint8_t expected[7] = { 70, 1, 1, 0, 0, 0, 0 };
    (void)state;
    assert_dir_date(T_1970_01_01, 0, expected);
    /* Sub-second ticks are dropped, never rounded up. */
    assert_dir_date(T_1970_01_01 + TICKS_PER_SECOND - 1, 0, expected);
}

static void test_dir_record_date_applies_gmt_offset(void **state)
{
    /* 2024-02-29 23:30 UTC is 01:30 the next day at UTC+2 and 18:30 at UTC-5. */
    const uint8_t east[7] = { 124, 3, 1, 1, 30, 0, 8 };
    const uint8_t west[7] = { 124, 2, 29, 18, 30, 0, 0xEC };
    const uint8_t india[7] = { 124, 3, 1, 5, 0, 0, 22 };
    (void)state;
    assert_dir_date(T_2024_02_29_233000, 8, east);
    assert_dir_date(T_2024_02_29_233000, -20, west);
    assert_dir_date(T_2024_02_29_233000, 22, india);     /* UTC+5:30 */
}

static void test_dir_record_date_floors_times_before_1970(void **state)
{
    const uint8_t expected[7] = { 69, 12, 31, 23, 59, 59, 0 };
    (void)state;
    assert_dir_date(T_1970_01_01 - TICKS_PER_SECOND / 2, 0, expected);
}

static void test_dates_before_1900_are_clamped(void **state)
{
    const uint8_t first[7] = { 0, 1, 1, 0, 0, 0, 0 };
    const uint8_t first_west[7] = { 0, 1, 1, 0, 0, 0, 0xFC };
    (void)state;
    assert_dir_date(T_1900_01_01, 0, first);
    assert_dir_date(T_1900_01_01 - 1, 0, first);
    assert_dir_date(0, 0, first);                       /* 1601 */
    assert_dir_date(INT64_MIN, 0, first);
    /* The clamp is on local time: 00:00 UTC is still 1899 at UTC-1. */
    assert_dir_date(T_1900_01_01, -4, first_west);
}

static void test_dates_after_2155_are_clamped(void **state)
{
    const uint8_t last[7] = { 255, 12, 31, 23, 59, 59, 0 };
    const uint8_t last_east[7] = { 255, 12, 31, 23, 59, 59, 4 };
    (void)state;
    assert_dir_date(T_2155_12_31_235959, 0, last);
    assert_dir_date(T_2156_01_01, 0, last);
    assert_dir_date(INT64_MAX, 0, last);
    assert_dir_date(T_2155_12_31_235959 - 3600 * TICKS_PER_SECOND + TICKS_PER_SECOND, 4, last_east);
}

static void test_gmt_offsets_outside_the_standard_range_are_clamped(void **state)
{
    const uint8_t far_east[7] = { 70, 1, 1, 13, 0, 0, 52 };
    const uint8_t far_west[7] = { 69, 12, 31, 12, 0, 0, 0xD0 };
    uint8_t out[17];
    (void)state;
    assert_dir_date(T_1970_01_01, 100, far_east);
    assert_dir_date(T_1970_01_01, -100, far_west);
    iso_volume_date(T_1970_01_01, -1000, out);
    assert_int_equal(out[16], 0xD0);
}

static void test_volume_date_is_digits_and_offset(void **state)
{
    (void)state;
    assert_volume_date(T_1970_01_01, 0, "1970010100000000", 0);
    assert_volume_date(T_2024_02_29_123456, 0, "2024022912345600", 0);
    /* Tokyo, UTC+9: already the first of March. */
    assert_volume_date(T_2024_02_29_233000, 36, "2024030108300000", 36);
    assert_volume_date(T_2024_02_29_233000, -48, "2024022911300000", 0xD0);
}

static void test_volume_date_hundredths(void **state)
{
    (void)state;
    /* 0.78 s and 0.0099999 s more: hundredths are truncated, so still 78. */
    assert_volume_date(T_2024_02_29_123456 + 7800000, 0, "2024022912345678", 0);
    assert_volume_date(T_2024_02_29_123456 + 7899999, 0, "2024022912345678", 0);
    assert_volume_date(T_2024_02_29_123456 + 99999, 0, "2024022912345600", 0);
    assert_volume_date(T_2024_02_29_123456 + 100000, 0, "2024022912345601", 0);
}

static void test_volume_dates_are_clamped_to_years_1_to_9999(void **state)
{
    (void)state;
    assert_volume_date(INT64_MAX, 0, "9999123123595999", 0);
    assert_volume_date(INT64_MIN, 0, "0001010100000000", 0);
    assert_volume_date(0, 0, "1601010100000000", 0);
}

static void test_unset_volume_date_is_zero_digits_and_zero_offset(void **state)
{
    const uint8_t expected[17] = { '0', '0', '0', '0', '0', '0', '0', '0',
                                   '0', '0', '0', '0', '0', '0', '0', '0', 0 };
    uint8_t out[17];
    (void)state;
    memset(out, 0xAA, sizeof out);
    iso_volume_date_unset(out);
    assert_memory_equal(out, expected, sizeof expected);
}

static void test_leap_day_2024_round_trips(void **state)
{
    static const int offsets[] = { -48, -20, 0, 22, 36, 52 };
    const fsi_time with_hundredths = T_2024_02_29_123456 + 7800000;
    uint8_t dir[7], vol[17];
    fsi_time back;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        iso_dir_record_date(T_2024_02_29_123456, offsets[i], dir);
        back = 0;
        assert_int_equal(iso_dir_record_date_parse(dir, &back), 0);
        assert_true(back == T_2024_02_29_123456);

        iso_volume_date(with_hundredths, offsets[i], vol);
        back = 0;
        assert_int_equal(iso_volume_date_parse(vol, &back), 0);
        assert_true(back == with_hundredths);
    }
}

static void test_parsing_subtracts_the_gmt_offset(void **state)
{
    const uint8_t dir[7] = { 124, 3, 1, 1, 30, 0, 8 };
    const uint8_t vol[17] = { '2', '0', '2', '4', '0', '3', '0', '1',
                              '0', '8', '3', '0', '0', '0', '0', '0', 36 };
    fsi_time t = 0;
    (void)state;
    assert_int_equal(iso_dir_record_date_parse(dir, &t), 0);
    assert_true(t == T_2024_02_29_233000);
    t = 0;
    assert_int_equal(iso_volume_date_parse(vol, &t), 0);
    assert_true(t == T_2024_02_29_233000);
}

static void test_parsing_follows_gregorian_leap_years(void **state)
{
    const uint8_t leap_2000[7] = { 100, 2, 29, 0, 0, 0, 0 };
    const uint8_t not_leap_1900[7] = { 0, 2, 29, 0, 0, 0, 0 };
    const uint8_t not_leap_2023[7] = { 123, 2, 29, 0, 0, 0, 0 };
    const uint8_t not_leap_2100[7] = { 200, 2, 29, 0, 0, 0, 0 };
    fsi_time t = 0;
    (void)state;
    assert_int_equal(iso_dir_record_date_parse(leap_2000, &t), 0);
    assert_true(t == INT64_C(125962560000000000));
    assert_int_equal(iso_dir_record_date_parse(not_leap_1900, NULL), -1);
    assert_int_equal(iso_dir_record_date_parse(not_leap_2023, NULL), -1);
    assert_int_equal(iso_dir_record_date_parse(not_leap_2100, NULL), -1);
}

static void test_dir_record_date_parse_refuses_out_of_range_fields(void **state)
{
    static const uint8_t bad[][7] = {
        { 0, 0, 0, 0, 0, 0, 0 },            /* "not specified" */
        { 124, 13, 1, 0, 0, 0, 0 },
        { 124, 1, 0, 0, 0, 0, 0 },
        { 124, 4, 31, 0, 0, 0, 0 },
        { 124, 1, 1, 24, 0, 0, 0 },
        { 124, 1, 1, 0, 60, 0, 0 },
        { 124, 1, 1, 0, 0, 60, 0 },
        { 124, 1, 1, 0, 0, 0, 53 },
        { 124, 1, 1, 0, 0, 0, 0xCF },       /* -49 */
    };
    const fsi_time untouched = 12345;
    fsi_time t;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = untouched;
        assert_int_equal(iso_dir_record_date_parse(bad[i], &t), -1);
        assert_true(t == untouched);
    }
}

static void test_volume_date_parse_refuses_out_of_range_fields(void **state)
{
    static const char *const bad_digits[] = {
        "0000000000000000",                 /* "not specified" */
        "0000010100000000",                 /* year 0 */
        "2024130100000000",
        "2023022900000000",
        "2024010124000000",
        "2024010100600000",
        "2024010100006000",
        " 024010100000000",
        "202401010000009a",
        "2024-1010000000",
    };
    uint8_t in[17];
    fsi_time t;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad_digits / sizeof bad_digits[0]; i++) {
        memcpy(in, bad_digits[i], 16);
        in[16] = 0;
        t = 12345;
        assert_int_equal(iso_volume_date_parse(in, &t), -1);
        assert_true(t == 12345);
    }
    memcpy(in, "2024010100000000", 16);
    in[16] = 53;
    assert_int_equal(iso_volume_date_parse(in, NULL), -1);
    in[16] = 52;
    assert_int_equal(iso_volume_date_parse(in, NULL), 0);
}

/* Checks every day against a calendar counted one day at a time, independent of the code. */
static void next_day(int *year, int *month, int *day)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = *year % 4 == 0 && (*year % 100 != 0 || *year % 400 == 0);
    int length = *month == 2 && leap ? 29 : days[*month - 1];
    if (++*day > length) {
        *day = 1;
        if (++*month > 12) {
            *month = 1;
            ++*year;
        }
    }
}

static void test_every_dir_record_day_from_1900_to_2155_matches_the_calendar(void **state)
{
    int year = 1900, month = 1, day = 1;
    fsi_time t = T_1900_01_01 + 12 * 3600 * TICKS_PER_SECOND;   /* noon */
    uint8_t out[7];
    fsi_time back;
    (void)state;
    while (year <= 2155) {
        iso_dir_record_date(t, 0, out);
        if (out[0] != year - 1900 || out[1] != month || out[2] != day || out[3] != 12)
            fail_msg("%04d-%02d-%02d recorded as %d-%d-%d", year, month, day, out[0], out[1],
                     out[2]);
        if (iso_dir_record_date_parse(out, &back) != 0 || back != t)
            fail_msg("%04d-%02d-%02d does not parse back", year, month, day);
        next_day(&year, &month, &day);
        t += TICKS_PER_DAY;
    }
}

static void test_every_volume_date_year_from_1_to_9999_matches_the_calendar(void **state)
{
    int year = 1, month = 1, day = 1;
    fsi_time t;
    uint8_t out[17];
    char expected[17];
    (void)state;
    /* 0001-01-01 00:00:00 UTC, from time.h rather than the code under test's calendar. */
    t = fsi_time_from_unix(INT64_C(-62135596800), 0);
    while (year <= 9999) {
        iso_volume_date(t, 0, out);
        expected[0] = (char)('0' + year / 1000);
        expected[1] = (char)('0' + year / 100 % 10);
        expected[2] = (char)('0' + year / 10 % 10);
        expected[3] = (char)('0' + year % 10);
        expected[4] = (char)('0' + month / 10);
        expected[5] = (char)('0' + month % 10);
        expected[6] = (char)('0' + day / 10);
        expected[7] = (char)('0' + day % 10);
        memcpy(expected + 8, "00000000", 8);
        expected[16] = '\0';
        if (memcmp(out, expected, 16) != 0)
            fail_msg("expected %s, recorded %.16s", expected, (const char *)out);
        /* Every day of the Gregorian reform's century and around 2000; otherwise one a month. */
        if ((year >= 1580 && year <= 1610) || (year >= 1999 && year <= 2001)) {
            next_day(&year, &month, &day);
            t += TICKS_PER_DAY;
        } else {
            int m = month;
            while (month == m) {
                next_day(&year, &month, &day);
                t += TICKS_PER_DAY;
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unix_epoch_is_filetime_116444736000000000),
        cmocka_unit_test(test_unix_conversion_truncates_to_ticks_and_carries_nanoseconds),
        cmocka_unit_test(test_times_before_1970_floor_to_the_earlier_second),
        cmocka_unit_test(test_unix_times_beyond_fsi_time_saturate),
        cmocka_unit_test(test_dir_record_date_of_the_unix_epoch),
        cmocka_unit_test(test_dir_record_date_applies_gmt_offset),
        cmocka_unit_test(test_dir_record_date_floors_times_before_1970),
        cmocka_unit_test(test_dates_before_1900_are_clamped),
        cmocka_unit_test(test_dates_after_2155_are_clamped),
        cmocka_unit_test(test_gmt_offsets_outside_the_standard_range_are_clamped),
        cmocka_unit_test(test_volume_date_is_digits_and_offset),
        cmocka_unit_test(test_volume_date_hundredths),
        cmocka_unit_test(test_volume_dates_are_clamped_to_years_1_to_9999),
        cmocka_unit_test(test_unset_volume_date_is_zero_digits_and_zero_offset),
        cmocka_unit_test(test_leap_day_2024_round_trips),
        cmocka_unit_test(test_parsing_subtracts_the_gmt_offset),
        cmocka_unit_test(test_parsing_follows_gregorian_leap_years),
        cmocka_unit_test(test_dir_record_date_parse_refuses_out_of_range_fields),
        cmocka_unit_test(test_volume_date_parse_refuses_out_of_range_fields),
        cmocka_unit_test(test_every_dir_record_day_from_1900_to_2155_matches_the_calendar),
        cmocka_unit_test(test_every_volume_date_year_from_1_to_9999_matches_the_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
