/*
 * OSTA Compressed Unicode and dstrings (src/core/udf_cs0.h): the 8-bit form for Latin-1, the
 * 16-bit big-endian form otherwise, capacity limits, dstrings cut at whole characters with their
 * length byte, and decoding back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/udf_cs0.h"

static const uint16_t cafe[] = { 'c', 'a', 'f', 0x00E9 };
static const uint16_t privet[] = { 0x041F, 0x0440, 0x0438, 0x0432, 0x0435, 0x0442 };  /* Привет */
static const uint16_t nihon[] = { 0x65E5, 0x672C };                                   /* 日本 */
static const uint16_t testvol[] = { 'T', 'E', 'S', 'T', 'V', 'O', 'L' };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_latin1_text_is_recorded_with_compression_id_8(void **state)
{
    static const uint8_t expected[] = { 8, 'c', 'a', 'f', 0xE9 };
    uint8_t out[16];
    (void)state;
    assert_int_equal(udf_cs0_encoded_size(cafe, COUNT(cafe)), 5);
    assert_int_equal(udf_cs0_encode(cafe, COUNT(cafe), out, sizeof out), 5);
    assert_memory_equal(out, expected, sizeof expected);
}

static void test_cyrillic_and_cjk_text_is_recorded_as_big_endian_16_bit_units(void **state)
{
    static const uint8_t expected_privet[] = { 16, 0x04, 0x1F, 0x04, 0x40, 0x04, 0x38,
                                               0x04, 0x32, 0x04, 0x35, 0x04, 0x42 };
    static const uint8_t expected_nihon[] = { 16, 0x65, 0xE5, 0x67, 0x2C };
    uint8_t out[32];
    (void)state;
    assert_int_equal(udf_cs0_encode(privet, COUNT(privet), out, sizeof out), 13);
    assert_memory_equal(out, expected_privet, sizeof expected_privet);
    assert_int_equal(udf_cs0_encode(nihon, COUNT(nihon), out, sizeof out), 5);
    assert_memory_equal(out, expected_nihon, sizeof expected_nihon);
    assert_int_equal(udf_cs0_encoded_size(nihon, COUNT(nihon)), 5);
}

static void test_one_unit_above_ff_makes_the_whole_name_16_bit(void **state)
{
    static const uint16_t ff[] = { 'a', 0x00FF };
    static const uint16_t a_macron[] = { 'a', 0x0100 };
    static const uint8_t expected[] = { 16, 0x00, 'a', 0x01, 0x00 };
    uint8_t out[8];
    (void)state;
    assert_int_equal(udf_cs0_encode(ff, 2, out, sizeof out), 3);
    assert_int_equal(out[0], 8);
    assert_int_equal(out[2], 0xFF);
    assert_int_equal(udf_cs0_encode(a_macron, 2, out, sizeof out), 5);
    assert_memory_equal(out, expected, sizeof expected);
}

static void test_encode_returns_0_when_the_result_does_not_fit_or_there_is_no_text(void **state)
{
    uint8_t out[16];
    (void)state;
    memset(out, 0xAA, sizeof out);
    assert_int_equal(udf_cs0_encode(cafe, COUNT(cafe), out, 4), 0);
    assert_int_equal(out[0], 0xAA);     /* nothing written */
    assert_int_equal(udf_cs0_encode(cafe, COUNT(cafe), out, 5), 5);
    assert_int_equal(udf_cs0_encode(nihon, COUNT(nihon), out, 4), 0);
    assert_int_equal(udf_cs0_encode(cafe, 0, out, sizeof out), 0);
    assert_int_equal(udf_cs0_encoded_size(cafe, 0), 0);
    assert_int_equal(udf_cs0_encode(NULL, 3, out, sizeof out), 0);
    assert_int_equal(udf_cs0_encode(cafe, COUNT(cafe), NULL, 64), 0);
}

static void test_dstring_matches_the_mkudffs_volume_identifier(void **state)
{
    /* The 32-byte volume identifier of the primary volume descriptor of `mkudffs --label=TESTVOL`. */
    static const uint8_t mkudffs[32] = { 0x08, 'T', 'E', 'S', 'T', 'V', 'O', 'L', [31] = 0x08 };
    uint8_t field[32];
    (void)state;
    memset(field, 0xAA, sizeof field);
    udf_put_dstring(field, sizeof field, testvol, COUNT(testvol));
    assert_memory_equal(field, mkudffs, sizeof field);
}

static void test_dstring_without_text_is_all_zeros(void **state)
{
    uint8_t field[32], zeros[32] = { 0 };
    (void)state;
    memset(field, 0xAA, sizeof field);
    udf_put_dstring(field, sizeof field, testvol, 0);
    assert_memory_equal(field, zeros, sizeof field);
    memset(field, 0xAA, sizeof field);
    udf_put_dstring(field, sizeof field, NULL, 5);
    assert_memory_equal(field, zeros, sizeof field);
    /* Room for the length byte and the compression id only: no character fits. */
    memset(field, 0xAA, sizeof field);
    udf_put_dstring(field, 2, testvol, COUNT(testvol));
    assert_memory_equal(field, zeros, 2);
    assert_int_equal(field[2], 0xAA);
}

static void test_dstring_cuts_8_bit_text_to_fill_the_field(void **state)
{
    static const uint8_t expected[8] = { 8, 'T', 'E', 'S', 'T', 'V', 'O', 7 };
    uint8_t field[8];
    (void)state;
    udf_put_dstring(field, sizeof field, testvol, COUNT(testvol));
    assert_memory_equal(field, expected, sizeof field);
}

static void test_dstring_cuts_16_bit_text_at_whole_units(void **state)
{
    static const uint8_t expected8[8] = { 16, 0x04, 0x1F, 0x04, 0x40, 0x04, 0x38, 7 };
    static const uint8_t expected9[9] = { 16, 0x04, 0x1F, 0x04, 0x40, 0x04, 0x38, 0, 7 };
    uint8_t field[9];
    (void)state;
    udf_put_dstring(field, 8, privet, COUNT(privet));
    assert_memory_equal(field, expected8, 8);
    /* 8 bytes of room: 3.5 units; the half unit is left as zero fill. */
    udf_put_dstring(field, 9, privet, COUNT(privet));
    assert_memory_equal(field, expected9, 9);
}

static void test_dstring_never_ends_a_cut_with_a_lone_high_surrogate(void **state)
{
    static const uint16_t pe_smile[] = { 0x041F, 0xD83D, 0xDE00 };     /* П😀 */
    static const uint8_t cut[7] = { 16, 0x04, 0x1F, 0, 0, 0, 3 };
    static const uint8_t whole[8] = { 16, 0x04, 0x1F, 0xD8, 0x3D, 0xDE, 0x00, 7 };
    uint8_t field[8];
    (void)state;
    udf_put_dstring(field, 7, pe_smile, COUNT(pe_smile));
    assert_memory_equal(field, cut, 7);
    udf_put_dstring(field, 8, pe_smile, COUNT(pe_smile));
    assert_memory_equal(field, whole, 8);
}

static void test_dstring_cut_keeps_more_characters_as_8_bit_when_the_prefix_is_latin1(void **state)
{
    static const uint16_t text[] = { 'a', 'b', 'c', 'd', 'e', 'f', 0x041F };
    static const uint8_t expected[8] = { 8, 'a', 'b', 'c', 'd', 'e', 'f', 7 };
    uint8_t field[8];
    (void)state;
    udf_put_dstring(field, sizeof field, text, COUNT(text));
    assert_memory_equal(field, expected, sizeof field);
}

static void test_dstring_length_byte_counts_at_most_255(void **state)
{
    uint16_t text[300];
    uint8_t field[300];
    size_t i;
    (void)state;
    for (i = 0; i < 300; i++)
        text[i] = 'x';
    udf_put_dstring(field, sizeof field, text, 300);
    assert_int_equal(field[299], 255);
    assert_int_equal(field[254], 'x');
    assert_int_equal(field[255], 0);
}

static void assert_round_trip(const uint16_t *text, size_t length)
{
    uint8_t encoded[64];
    uint16_t decoded[32];
    size_t size;
    int ok = 0;

    size = udf_cs0_encode(text, length, encoded, sizeof encoded);
    assert_true(size > 0);
    assert_int_equal(udf_cs0_decode(encoded, size, decoded, COUNT(decoded), &ok), length);
    assert_int_equal(ok, 1);
    assert_memory_equal(decoded, text, length * sizeof(uint16_t));
}

static void test_decode_returns_the_encoded_text(void **state)
{
    static const uint16_t smile[] = { 'x', 0xD83D, 0xDE00 };
    uint8_t field[32];
    uint16_t decoded[32];
    int ok = 0;
    (void)state;
    assert_round_trip(cafe, COUNT(cafe));
    assert_round_trip(privet, COUNT(privet));
    assert_round_trip(nihon, COUNT(nihon));
    assert_round_trip(smile, COUNT(smile));

    udf_put_dstring(field, sizeof field, privet, COUNT(privet));
    assert_int_equal(udf_get_dstring(field, sizeof field, decoded, COUNT(decoded), &ok),
                     COUNT(privet));
    assert_int_equal(ok, 1);
    assert_memory_equal(decoded, privet, sizeof privet);
}

static void test_decode_counts_without_output_and_accepts_no_bytes(void **state)
{
    static const uint8_t encoded[] = { 16, 0x65, 0xE5, 0x67, 0x2C };
    int ok = 0;
    (void)state;
    assert_int_equal(udf_cs0_decode(encoded, sizeof encoded, NULL, 0, &ok), 2);
    assert_int_equal(ok, 1);
    ok = 0;
    assert_int_equal(udf_cs0_decode(encoded, 0, NULL, 0, &ok), 0);
    assert_int_equal(ok, 1);
    assert_int_equal(udf_cs0_decode(encoded, 1, NULL, 0, NULL), 0);   /* id only: no text */
}

static void test_decode_refuses_unknown_ids_odd_16_bit_lengths_and_small_buffers(void **state)
{
    static const uint8_t id0[] = { 0, 'a', 'b' };
    static const uint8_t id254[] = { 254, 'a', 'b' };
    static const uint8_t odd[] = { 16, 0x04, 0x1F, 0x04 };
    static const uint8_t latin[] = { 8, 'a', 'b', 'c' };
    uint16_t out[2];
    uint8_t field[8] = { 8, 'a', 'b', 0, 0, 0, 0, 8 };     /* claims 8 bytes of 7 */
    int ok = 1;
    (void)state;
    assert_int_equal(udf_cs0_decode(id0, sizeof id0, out, 2, &ok), 0);
    assert_int_equal(ok, 0);
    ok = 1;
    assert_int_equal(udf_cs0_decode(id254, sizeof id254, out, 2, &ok), 0);
    assert_int_equal(ok, 0);
    ok = 1;
    assert_int_equal(udf_cs0_decode(odd, sizeof odd, out, 2, &ok), 0);
    assert_int_equal(ok, 0);
    ok = 1;
    assert_int_equal(udf_cs0_decode(latin, sizeof latin, out, 2, &ok), 0);
    assert_int_equal(ok, 0);
    ok = 1;
    assert_int_equal(udf_cs0_decode(NULL, 3, out, 2, &ok), 0);
    assert_int_equal(ok, 0);
    ok = 1;
    assert_int_equal(udf_get_dstring(field, sizeof field, out, 2, &ok), 0);
    assert_int_equal(ok, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin1_text_is_recorded_with_compression_id_8),
        cmocka_unit_test(test_cyrillic_and_cjk_text_is_recorded_as_big_endian_16_bit_units),
        cmocka_unit_test(test_one_unit_above_ff_makes_the_whole_name_16_bit),
        cmocka_unit_test(test_encode_returns_0_when_the_result_does_not_fit_or_there_is_no_text),
        cmocka_unit_test(test_dstring_matches_the_mkudffs_volume_identifier),
        cmocka_unit_test(test_dstring_without_text_is_all_zeros),
        cmocka_unit_test(test_dstring_cuts_8_bit_text_to_fill_the_field),
        cmocka_unit_test(test_dstring_cuts_16_bit_text_at_whole_units),
        cmocka_unit_test(test_dstring_never_ends_a_cut_with_a_lone_high_surrogate),
        cmocka_unit_test(test_dstring_cut_keeps_more_characters_as_8_bit_when_the_prefix_is_latin1),
        cmocka_unit_test(test_dstring_length_byte_counts_at_most_255),
        cmocka_unit_test(test_decode_returns_the_encoded_text),
        cmocka_unit_test(test_decode_counts_without_output_and_accepts_no_bytes),
        cmocka_unit_test(test_decode_refuses_unknown_ids_odd_16_bit_lengths_and_small_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
