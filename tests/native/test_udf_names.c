/*
 * The names UDF records for a directory's entries (src/core/udf_names.h): names that fit kept
 * whole in CS0, the order of entries, long names shortened to a prefix and "#XXXX" (the CRC of
 * the whole name, computed here bit by bit rather than with the engine's table), never half a
 * surrogate pair, and short forms kept unique against whole names and earlier short forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/core/udf_cs0.h"
#include "../../src/core/udf_names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* CRC-ITU-T (x^16 + x^12 + x^5 + 1, not reflected) of units `from` to `to` as UTF-16LE bytes,
   going on from `crc`. */
static uint16_t crc_update(uint16_t crc, const uint16_t *name, size_t from, size_t to)
{
    size_t i;
    int b, k;

    for (i = 2 * from; i < 2 * to; i++) {
        uint8_t byte = (uint8_t)(i % 2 ? name[i / 2] >> 8 : name[i / 2] & 0xFF);
        for (b = 7; b >= 0; b--) {
            k = ((crc >> 15) ^ (byte >> b)) & 1;
            crc = (uint16_t)(crc << 1);
            if (k)
                crc ^= 0x1021;
        }
    }
    return crc;
}

/* The CRC of a whole name (initial value 0). */
static uint16_t name_crc(const uint16_t *name, size_t length)
{
    return crc_update(0, name, 0, length);
}

static uint16_t *repeat(uint16_t unit, size_t count)
{
    uint16_t *text = malloc((count + 8) * sizeof(uint16_t));
    size_t i;

    assert_non_null(text);
    for (i = 0; i < count; i++)
        text[i] = unit;
    return text;
}

/* Appends "#XXXX" for `mark` to `prefix` (length `keep`) in `out`; returns the length. */
static size_t marked(const uint16_t *prefix, size_t keep, uint16_t mark, uint16_t *out)
{
    size_t i;

    memcpy(out, prefix, keep * sizeof(uint16_t));
    out[keep] = '#';
    for (i = 0; i < 4; i++)
        out[keep + 1 + i] = (uint16_t)"0123456789ABCDEF"[(mark >> (12 - 4 * i)) & 15];
    return keep + 5;
}

/* Asserts that `name` records as the CS0 of `text`. */
static void assert_recorded(const struct udf_name *name, const uint16_t *text, size_t length)
{
    uint16_t decoded[UDF_NAME_MAX_SIZE + 8];
    int ok = 0;

    assert_non_null(name->cs0);
    assert_true(name->size >= 2 && name->size <= UDF_NAME_MAX_SIZE);
    assert_int_equal(udf_cs0_decode(name->cs0, name->size, decoded, COUNT(decoded), &ok),
                     length);
    assert_int_equal(ok, 1);
    assert_memory_equal(decoded, text, length * sizeof(uint16_t));
}

static void assign(struct udf_name *names, size_t count, struct arena *arena)
{
    arena_init(arena);
    qsort(names, count, sizeof(*names), udf_name_compare);
    assert_int_equal(udf_names_assign(names, count, arena), FSI_OK);
}

static void test_entries_are_ordered_by_utf16_code_units(void **state)
{
    static const uint16_t upper_b[] = { 'B' }, lower_a[] = { 'a' }, ab[] = { 'a', 'b' };
    static const uint16_t e_acute[] = { 0x00E9 }, fullwidth_a[] = { 0xFF21 };
    static const uint16_t smile[] = { 0xD83D, 0xDE00 }, private_use[] = { 0xE000 };
    (void)state;

    assert_true(udf_name_order(upper_b, 1, lower_a, 1) < 0);      /* 'B' before 'a' */
    assert_true(udf_name_order(lower_a, 1, ab, 2) < 0);           /* a prefix first */
    assert_true(udf_name_order(ab, 2, lower_a, 1) > 0);
    assert_true(udf_name_order(e_acute, 1, fullwidth_a, 1) < 0);
    assert_true(udf_name_order(smile, 2, private_use, 1) < 0);    /* units, not code points */
    assert_int_equal(udf_name_order(ab, 2, ab, 2), 0);
}

static void test_names_that_fit_are_recorded_whole(void **state)
{
    uint16_t *ascii_254 = repeat('x', 254), *cyrillic_127 = repeat(0x0416, 127);
    uint16_t *latin1_254 = repeat(0x00E9, 254);
    static const uint16_t readme[] = { 'R', 'e', 'a', 'd', 'm', 'e', '.', 't', 'x', 't' };
    struct udf_name names[4] = { { readme, COUNT(readme), NULL, 0 },
                                 { ascii_254, 254, NULL, 0 },
                                 { cyrillic_127, 127, NULL, 0 },
                                 { latin1_254, 254, NULL, 0 } };
    uint8_t whole[UDF_NAME_MAX_SIZE];
    struct arena arena;
    size_t i;
    (void)state;

    assign(names, COUNT(names), &arena);
    for (i = 0; i < COUNT(names); i++) {
        assert_recorded(&names[i], names[i].text, names[i].length);
        assert_int_equal(udf_name_whole(names[i].text, names[i].length, whole), names[i].size);
        assert_memory_equal(whole, names[i].cs0, names[i].size);
    }
    /* 254 Latin-1 characters: id 8 and 254 bytes; 127 Cyrillic ones: id 16 and 254 bytes. */
    assert_int_equal(udf_name_whole(ascii_254, 254, whole), 255);
    assert_int_equal(whole[0], 8);
    assert_int_equal(udf_name_whole(cyrillic_127, 127, whole), 255);
    assert_int_equal(whole[0], 16);
    assert_int_equal(udf_name_whole(ascii_254, 255, whole), 0);
    arena_free(&arena);
    free(ascii_254);
    free(cyrillic_127);
    free(latin1_254);
}

static void test_a_long_name_keeps_what_fits_before_its_crc(void **state)
{
    uint16_t *ascii_255 = repeat('a', 255), *cyrillic_128 = repeat(0x0416, 128);
    uint16_t *cyrillic_255 = repeat(0x0431, 255), expected[UDF_NAME_MAX_SIZE + 8];
    struct udf_name names[3] = { { ascii_255, 255, NULL, 0 },
                                 { cyrillic_128, 128, NULL, 0 },
                                 { cyrillic_255, 255, NULL, 0 } };
    struct arena arena;
    size_t length;
    (void)state;

    assign(names, COUNT(names), &arena);
    /* id 8: 1 + 249 + 5 bytes; id 16: 1 + 2 * (122 + 5) bytes. */
    length = marked(ascii_255, 249, name_crc(ascii_255, 255), expected);
    assert_recorded(&names[0], expected, length);
    assert_int_equal(names[0].size, 255);
    assert_int_equal(names[0].cs0[0], 8);
    length = marked(cyrillic_128, 122, name_crc(cyrillic_128, 128), expected);
    assert_recorded(&names[1], expected, length);
    assert_int_equal(names[1].size, 255);
    assert_int_equal(names[1].cs0[0], 16);
    length = marked(cyrillic_255, 122, name_crc(cyrillic_255, 255), expected);
    assert_recorded(&names[2], expected, length);
    arena_free(&arena);
    free(ascii_255);
    free(cyrillic_128);
    free(cyrillic_255);
}

static void test_a_short_form_never_splits_a_surrogate_pair(void **state)
{
    uint16_t text[160], expected[UDF_NAME_MAX_SIZE + 8];
    struct udf_name names[2];
    struct arena arena;
    size_t i, length;
    (void)state;

    /* 'x' then pairs: 122 units would fit before the mark, but the 122nd is a high surrogate. */
    text[0] = 'x';
    for (i = 1; i + 1 < COUNT(text); i += 2) {
        text[i] = 0xD83D;
        text[i + 1] = 0xDE00;
    }
    names[0].text = text;
    names[0].length = 151;                              /* 'x' and 75 pairs */
    names[1].text = text + 1;
    names[1].length = 150;                              /* 75 pairs */
    assign(names, COUNT(names), &arena);
    /* names[0] is "x..." (0x78) and sorts before the surrogates (0xD83D). */
    length = marked(text, 121, name_crc(text, 151), expected);
    assert_recorded(&names[0], expected, length);
    length = marked(text + 1, 122, name_crc(text + 1, 150), expected);
    assert_recorded(&names[1], expected, length);
    assert_int_equal(names[1].size, 1 + 2 * 127);
    arena_free(&arena);
}

static void test_a_short_form_taken_by_a_whole_name_gets_the_next_crc(void **state)
{
    uint16_t *ascii_255 = repeat('a', 255), taken[UDF_NAME_MAX_SIZE + 8];
    uint16_t expected[UDF_NAME_MAX_SIZE + 8];
    uint16_t crc = name_crc(ascii_255, 255);
    struct udf_name names[2];
    struct arena arena;
    size_t taken_length, length;
    (void)state;

    /* A sibling is named exactly what the long name would be shortened to. */
    taken_length = marked(ascii_255, 249, crc, taken);
    names[0].text = ascii_255;
    names[0].length = 255;
    names[1].text = taken;
    names[1].length = taken_length;
    assign(names, COUNT(names), &arena);
    assert_true(names[0].text == taken);                /* '#' sorts before 'a' */
    assert_recorded(&names[0], taken, taken_length);
    length = marked(ascii_255, 249, (uint16_t)(crc + 1), expected);
    assert_recorded(&names[1], expected, length);
    arena_free(&arena);
    free(ascii_255);
}

static void test_two_long_names_with_one_short_form_differ_by_their_marks(void **state)
{
    uint16_t *a = repeat('a', 255), *b = repeat('a', 255), expected[UDF_NAME_MAX_SIZE + 8];
    uint16_t crc = name_crc(a, 255), prefix_crc = name_crc(a, 249);
    struct udf_name names[2];
    struct arena arena;
    unsigned i;
    size_t k, length;
    (void)state;

    /* A second name that differs from the first only after the kept 249 characters and has the
       same CRC: searched for among 26^4 endings (the CRC of the shared prefix is kept). */
    for (i = 0; i < 26u * 26 * 26 * 26; i++) {
        unsigned rest = i;
        for (k = 249; k < 253; k++, rest /= 26)
            b[k] = (uint16_t)('A' + rest % 26);
        if (crc_update(prefix_crc, b, 249, 255) == crc)
            break;
    }
    assert_true(i < 26u * 26 * 26 * 26);
    assert_int_equal(name_crc(b, 255), crc);
    names[0].text = a;
    names[0].length = 255;
    names[1].text = b;
    names[1].length = 255;
    assign(names, COUNT(names), &arena);
    /* Both shorten to the same text: the first in directory order (b: 'A'-'Z' sort before 'a')
       gets the CRC, the second the next value. */
    assert_true(names[0].text == b);
    length = marked(a, 249, crc, expected);
    assert_recorded(&names[0], expected, length);
    length = marked(a, 249, (uint16_t)(crc + 1), expected);
    assert_recorded(&names[1], expected, length);
    arena_free(&arena);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_are_ordered_by_utf16_code_units),
        cmocka_unit_test(test_names_that_fit_are_recorded_whole),
        cmocka_unit_test(test_a_long_name_keeps_what_fits_before_its_crc),
        cmocka_unit_test(test_a_short_form_never_splits_a_surrogate_pair),
        cmocka_unit_test(test_a_short_form_taken_by_a_whole_name_gets_the_next_crc),
        cmocka_unit_test(test_two_long_names_with_one_short_form_differ_by_their_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
