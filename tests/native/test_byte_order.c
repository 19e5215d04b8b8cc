/* On-disc byte order helpers (src/core/byte_order.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/byte_order.h"

#define GUARD 0xAA

static void test_little_endian_writers_put_least_significant_byte_first(void **state)
{
    uint8_t buf[8];
    const uint8_t le16[] = { 0x34, 0x12 };
    const uint8_t le32[] = { 0x78, 0x56, 0x34, 0x12 };
    const uint8_t le64[] = { 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01 };
    (void)state;
    put_le16(buf, 0x1234);
    assert_memory_equal(buf, le16, sizeof le16);
    put_le32(buf, 0x12345678);
    assert_memory_equal(buf, le32, sizeof le32);
    put_le64(buf, UINT64_C(0x0123456789ABCDEF));
    assert_memory_equal(buf, le64, sizeof le64);
}

static void test_big_endian_writers_put_most_significant_byte_first(void **state)
{
    uint8_t buf[4];
    const uint8_t be16[] = { 0x12, 0x34 };
    const uint8_t be32[] = { 0x12, 0x34, 0x56, 0x78 };
    (void)state;
    put_be16(buf, 0x1234);
    assert_memory_equal(buf, be16, sizeof be16);
    put_be32(buf, 0x12345678);
    assert_memory_equal(buf, be32, sizeof be32);
}

static void test_both16_writes_little_then_big_endian(void **state)
{
    uint8_t buf[4];
    const uint8_t expected[] = { 0x34, 0x12, 0x12, 0x34 };
    (void)state;
    put_both16(buf, 0x1234);
    assert_memory_equal(buf, expected, sizeof expected);
}

static void test_both32_writes_little_then_big_endian(void **state)
{
    uint8_t buf[8];
    const uint8_t expected[] = { 0x78, 0x56, 0x34, 0x12, 0x12, 0x34, 0x56, 0x78 };
    /* A typical volume space size: 0x0001F2A3 sectors. */
    const uint8_t volume_space_size[] = { 0xA3, 0xF2, 0x01, 0x00, 0x00, 0x01, 0xF2, 0xA3 };
    (void)state;
    put_both32(buf, 0x12345678);
    assert_memory_equal(buf, expected, sizeof expected);
    put_both32(buf, 0x0001F2A3);
    assert_memory_equal(buf, volume_space_size, sizeof volume_space_size);
}

static void test_writers_touch_only_their_width(void **state)
{
    uint8_t buf[12];
    const uint8_t expected[] = {
        GUARD, GUARD, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, GUARD, GUARD
    };
    const uint8_t expected16[] = { GUARD, 0xFF, 0xFF, GUARD };
    (void)state;
    memset(buf, GUARD, sizeof buf);
    put_both32(buf + 2, 1);
    assert_memory_equal(buf, expected, sizeof expected);

    memset(buf, GUARD, sizeof buf);
    put_be16(buf + 1, 0xFFFF);
    assert_memory_equal(buf, expected16, sizeof expected16);
}

static void test_readers_invert_writers_at_the_extremes(void **state)
{
    static const uint32_t values32[] = { 0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFFFFFF, 0x80000000,
                                         0xFFFFFFFF };
    uint8_t buf[8];
    size_t i;
    int consistent;
    (void)state;
    for (i = 0; i < sizeof values32 / sizeof values32[0]; i++) {
        uint32_t v = values32[i];
        uint16_t v16 = (uint16_t)v;

        put_le16(buf, v16);
        assert_int_equal(get_le16(buf), v16);
        put_be16(buf, v16);
        assert_int_equal(get_be16(buf), v16);
        put_le32(buf, v);
        assert_int_equal(get_le32(buf), v);
        put_be32(buf, v);
        assert_int_equal(get_be32(buf), v);
        put_both16(buf, v16);
        assert_int_equal(get_both16(buf, &consistent), v16);
        assert_true(consistent);
        put_both32(buf, v);
        assert_int_equal(get_both32(buf, &consistent), v);
        assert_true(consistent);
    }
    put_le64(buf, UINT64_MAX);
    assert_true(get_le64(buf) == UINT64_MAX);
    put_le64(buf, UINT64_C(0x8000000000000001));
    assert_true(get_le64(buf) == UINT64_C(0x8000000000000001));
}

static void test_both_readers_return_little_endian_half_and_flag_mismatch(void **state)
{
    /* Little-endian half 0x0010, big-endian half 0x0020: a disc made by a buggy writer. */
    const uint8_t mismatched16[] = { 0x10, 0x00, 0x00, 0x20 };
    const uint8_t mismatched32[] = { 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20 };
    const uint8_t matched32[] = { 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10 };
    int consistent = -1;
    (void)state;
    assert_int_equal(get_both16(mismatched16, &consistent), 0x0010);
    assert_int_equal(consistent, 0);
    consistent = -1;
    assert_int_equal(get_both32(mismatched32, &consistent), 0x00000010);
    assert_int_equal(consistent, 0);
    consistent = -1;
    assert_int_equal(get_both32(matched32, &consistent), 0x00000010);
    assert_int_equal(consistent, 1);
}

static void test_both_readers_accept_a_null_consistency_flag(void **state)
{
    const uint8_t mismatched16[] = { 0x01, 0x00, 0x00, 0x02 };
    const uint8_t mismatched32[] = { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 };
    (void)state;
    assert_int_equal(get_both16(mismatched16, NULL), 1);
    assert_int_equal(get_both32(mismatched32, NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_little_endian_writers_put_least_significant_byte_first),
        cmocka_unit_test(test_big_endian_writers_put_most_significant_byte_first),
        cmocka_unit_test(test_both16_writes_little_then_big_endian),
        cmocka_unit_test(test_both32_writes_little_then_big_endian),
        cmocka_unit_test(test_writers_touch_only_their_width),
        cmocka_unit_test(test_readers_invert_writers_at_the_extremes),
        cmocka_unit_test(test_both_readers_return_little_endian_half_and_flag_mismatch),
        cmocka_unit_test(test_both_readers_accept_a_null_consistency_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
