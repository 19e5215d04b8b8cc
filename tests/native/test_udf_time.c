/*
 * UDF timestamps (src/core/udf_time.h): exact bytes for known dates and offsets, the type and
 * timezone field, sub-second fields, clamping, a timestamp written by mkudffs, and reading back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/byte_order.h"
#include "../../src/core/udf_time.h"

/* Expected times, worked out independently (Python's datetime), in 100 ns ticks since 1601. */
#define T_2026_12_01_140506_1234567 INT64_C(134406075061234567)
#define T_2026_12_01_144141 INT64_C(134406097010000000)
#define T_2024_02_29_120000 INT64_C(133536816000000000)
#define T_1500_06_15_083000 INT64_C(-31730094000000000)
#define T_9999_12_31_230000 INT64_C(2650467708000000000)
#define T_0001_01_01_003000 INT64_C(-504911214000000000)

static void assert_timestamp(fsi_time t, int offset, const uint8_t expected[12])
{
    struct udf_timestamp ts;
    memset(&ts, 0xAA, sizeof ts);
    udf_put_timestamp(&ts, t, offset);
    assert_memory_equal(&ts, expected, 12);
}

static void test_known_date_at_utc_gives_the_exact_bytes(void **state)
{
    /* Type 1, offset 0; 2026 = 0x07EA; 12-01 14:05:06; .12 s, 34 hundreds of us, 56 us. */
    static const uint8_t expected[12] = { 0x00, 0x10, 0xEA, 0x07, 12, 1, 14, 5, 6, 12, 34, 56 };
    (void)state;
    assert_timestamp(T_2026_12_01_140506_1234567, 0, expected);
}

static void test_offsets_record_local_time_and_the_offset_in_minutes(void **state)
{
    /* +60: 0x1000 | 0x03C; 15:05 local. */
    static const uint8_t plus60[12] = { 0x3C, 0x10, 0xEA, 0x07, 12, 1, 15, 5, 6, 12, 34, 56 };
    /* -300: 0x1000 | (0x1000 - 300 = 0xED4); 09:05 local. */
    static const uint8_t minus300[12] = { 0xD4, 0x1E, 0xEA, 0x07, 12, 1, 9, 5, 6, 12, 34, 56 };
    /* -900: 0x1000 | 0xC7C; 23:05 on the day before. */
    static const uint8_t minus900[12] = { 0x7C, 0x1C, 0xEA, 0x07, 11, 30, 23, 5, 6, 12, 34, 56 };
    (void)state;
    assert_timestamp(T_2026_12_01_140506_1234567, 60, plus60);
    assert_timestamp(T_2026_12_01_140506_1234567, -300, minus300);
    assert_timestamp(T_2026_12_01_140506_1234567, -900, minus900);
}

static uint16_t type_and_timezone(int offset)
{
    struct udf_timestamp ts;
    udf_put_timestamp(&ts, T_2024_02_29_120000, offset);
    return get_le16(ts.type_and_timezone);
}

static void test_type_is_1_in_the_top_bits_and_the_offset_is_12_bit_twos_complement(void **state)
{
    (void)state;
    assert_int_equal(type_and_timezone(0), 0x1000);
    assert_int_equal(type_and_timezone(1), 0x1001);
    assert_int_equal(type_and_timezone(-1), 0x1FFF);
    assert_int_equal(type_and_timezone(1440), 0x15A0);
    assert_int_equal(type_and_timezone(-1440), 0x1A60);
    assert_int_equal(type_and_timezone(2000), 0x15A0);     /* clamped */
    assert_int_equal(type_and_timezone(-5000), 0x1A60);
}

static void test_sub_second_fields_split_the_ticks_and_drop_the_last_one(void **state)
{
    struct udf_timestamp ts;
    (void)state;
    udf_put_timestamp(&ts, T_2024_02_29_120000 + 9999999, 0);
    assert_int_equal(ts.second[0], 0);
    assert_int_equal(ts.centiseconds[0], 99);
    assert_int_equal(ts.hundreds_of_microseconds[0], 99);
    assert_int_equal(ts.microseconds[0], 99);
    udf_put_timestamp(&ts, T_2024_02_29_120000 + 9, 0);
    assert_int_equal(ts.centiseconds[0], 0);
    assert_int_equal(ts.hundreds_of_microseconds[0], 0);
    assert_int_equal(ts.microseconds[0], 0);
    udf_put_timestamp(&ts, T_2024_02_29_120000 + 10, 0);
    assert_int_equal(ts.microseconds[0], 1);
    udf_put_timestamp(&ts, T_2024_02_29_120000 + 1000, 0);
    assert_int_equal(ts.hundreds_of_microseconds[0], 1);
    assert_int_equal(ts.microseconds[0], 0);
    assert_int_equal(ts.month[0], 2);
    assert_int_equal(ts.day[0], 29);
}

static void test_mkudffs_timestamp_reads_back_and_is_rewritten_identically(void **state)
{
    /* The primary volume descriptor's recording time in an image made by mkudffs 2.3. */
    static const uint8_t mkudffs[12] = { 0x00, 0x10, 0xEA, 0x07, 0x0C, 0x01, 0x0E, 0x29, 0x29,
                                         0x2E, 0x01, 0x12 };
    struct udf_timestamp ts;
    fsi_time t = 0;
    (void)state;
    memcpy(&ts, mkudffs, sizeof ts);
    assert_int_equal(udf_get_timestamp(&ts, &t), 1);
    /* 14:41:41, 46 centiseconds, 1 hundred microseconds, 18 microseconds. */
    assert_true(t == T_2026_12_01_144141 + 4601180);
    assert_timestamp(t, 0, mkudffs);
}

static void test_round_trip_keeps_the_time_to_the_microsecond(void **state)
{
    static const fsi_time times[] = { T_2026_12_01_140506_1234567, T_2024_02_29_120000,
                                      T_1500_06_15_083000, 0, T_2024_02_29_120000 + 12345678 };
    static const int offsets[] = { 0, 60, -300, 1440, -1440, 345, -1 };
    struct udf_timestamp ts;
    fsi_time back;
    size_t i, j;
    (void)state;
    for (i = 0; i < sizeof times / sizeof times[0]; i++) {
        for (j = 0; j < sizeof offsets / sizeof offsets[0]; j++) {
            udf_put_timestamp(&ts, times[i], offsets[j]);
            back = -1;
            assert_int_equal(udf_get_timestamp(&ts, &back), 1);
            assert_true(back == times[i] - (times[i] % 10 + 10) % 10);
        }
    }
}

static void test_times_outside_years_1_to_9999_are_clamped(void **state)
{
    static const uint8_t first[12] = { 0x00, 0x10, 0x01, 0x00, 1, 1, 0, 0, 0, 0, 0, 0 };
    static const uint8_t last[12] = { 0x00, 0x10, 0x0F, 0x27, 12, 31, 23, 59, 59, 99, 99, 99 };
    static const uint8_t last_plus120[12] = { 0x78, 0x10, 0x0F, 0x27, 12, 31, 23, 59, 59,
                                              99, 99, 99 };
    static const uint8_t first_minus60[12] = { 0xC4, 0x1F, 0x01, 0x00, 1, 1, 0, 0, 0, 0, 0, 0 };
    (void)state;
    assert_timestamp(INT64_MIN, 0, first);
    assert_timestamp(INT64_MAX, 0, last);
    /* In range in UTC, out of range once the offset is applied. */
    assert_timestamp(T_9999_12_31_230000, 120, last_plus120);
    assert_timestamp(T_0001_01_01_003000, -60, first_minus60);
}

static void set_fields(struct udf_timestamp *ts, uint16_t tz, int year, int month, int day,
                       int hour)
{
    memset(ts, 0, sizeof *ts);
    put_le16(ts->type_and_timezone, tz);
    put_le16(ts->year, (uint16_t)year);
    ts->month[0] = (uint8_t)month;
    ts->day[0] = (uint8_t)day;
    ts->hour[0] = (uint8_t)hour;
}

static void test_reading_refuses_fields_out_of_range_and_leaves_the_time_alone(void **state)
{
    struct udf_timestamp ts;
    fsi_time t = 42;
    (void)state;
    set_fields(&ts, 0x1000, 2026, 13, 1, 0);
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000, 2026, 2, 29, 0);            /* not a leap year */
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000, 2026, 1, 1, 24);
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000, 0, 1, 1, 0);
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000, 10000, 1, 1, 0);
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000, 0xFFFF, 1, 1, 0);           /* year -1 */
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000 | 1441, 2026, 1, 1, 0);
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x2000, 2026, 1, 1, 0);             /* type 2: by agreement */
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    set_fields(&ts, 0x1000, 2026, 1, 1, 0);
    ts.centiseconds[0] = 100;
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    ts.centiseconds[0] = 0;
    ts.microseconds[0] = 100;
    assert_int_equal(udf_get_timestamp(&ts, &t), 0);
    assert_true(t == 42);
    assert_int_equal(udf_get_timestamp(NULL, &t), 0);
}

static void test_reading_takes_type_0_and_an_unspecified_offset_as_utc(void **state)
{
    struct udf_timestamp ts;
    fsi_time t = 0;
    (void)state;
    set_fields(&ts, 0x1000, 2024, 2, 29, 12);
    assert_int_equal(udf_get_timestamp(&ts, &t), 1);
    assert_true(t == T_2024_02_29_120000);
    set_fields(&ts, 0x0000 | 0x03C, 2024, 2, 29, 12);   /* type 0 ignores the zone */
    assert_int_equal(udf_get_timestamp(&ts, &t), 1);
    assert_true(t == T_2024_02_29_120000);
    set_fields(&ts, 0x1801, 2024, 2, 29, 12);           /* -2047: not specified */
    assert_int_equal(udf_get_timestamp(&ts, &t), 1);
    assert_true(t == T_2024_02_29_120000);
    set_fields(&ts, 0x103C, 2024, 2, 29, 13);           /* 13:00 at +60 is 12:00 UTC */
    assert_int_equal(udf_get_timestamp(&ts, &t), 1);
    assert_true(t == T_2024_02_29_120000);
    assert_int_equal(udf_get_timestamp(&ts, NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_date_at_utc_gives_the_exact_bytes),
        cmocka_unit_test(test_offsets_record_local_time_and_the_offset_in_minutes),
        cmocka_unit_test(test_type_is_1_in_the_top_bits_and_the_offset_is_12_bit_twos_complement),
        cmocka_unit_test(test_sub_second_fields_split_the_ticks_and_drop_the_last_one),
        cmocka_unit_test(test_mkudffs_timestamp_reads_back_and_is_rewritten_identically),
        cmocka_unit_test(test_round_trip_keeps_the_time_to_the_microsecond),
        cmocka_unit_test(test_times_outside_years_1_to_9999_are_clamped),
        cmocka_unit_test(test_reading_refuses_fields_out_of_range_and_leaves_the_time_alone),
        cmocka_unit_test(test_reading_takes_type_0_and_an_unspecified_offset_as_utc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
