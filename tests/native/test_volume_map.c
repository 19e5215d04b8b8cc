/*
 * The volume map (src/core/volume_map.c): fixed reservations, first-fit allocation into the gaps
 * between them, refusal of overlaps, and finish() covering the volume exactly once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "volume_map.h"

static struct extent piece(uint32_t first, uint32_t count, uint32_t index)
{
    struct extent e = { first, count, 1, 0, index, NULL };
    return e;
}

static void test_allocation_fills_the_first_gap_that_fits(void **state)
{
    struct volume_map map;
    struct extent e;
    (void)state;

    volume_map_init(&map);
    e = piece(0, 16, 0);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_OK);
    e = piece(20, 10, 1);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_OK);
    e = piece(0, 5, 2);                     /* too big for the gap 16-19 */
    assert_int_equal(volume_map_allocate(&map, 0, &e), FSI_OK);
    assert_int_equal(e.first_sector, 30);
    e = piece(0, 4, 3);                     /* fits 16-19 exactly */
    assert_int_equal(volume_map_allocate(&map, 0, &e), FSI_OK);
    assert_int_equal(e.first_sector, 16);
    e = piece(0, 1, 4);                     /* above the floor only */
    assert_int_equal(volume_map_allocate(&map, 100, &e), FSI_OK);
    assert_int_equal(e.first_sector, 100);
    assert_false(volume_map_is_free(&map, 99, 2));
    assert_true(volume_map_is_free(&map, 35, 65));
    volume_map_free(&map);
}

static void test_overlapping_reservations_are_refused(void **state)
{
    struct volume_map map;
    struct extent e;
    (void)state;

    volume_map_init(&map);
    e = piece(10, 10, 0);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_OK);
    e = piece(19, 2, 1);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_E_INVALID_ARGUMENT);
    e = piece(5, 6, 1);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_E_INVALID_ARGUMENT);
    e = piece(0xFFFFFFF0u, 0x20, 1);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_E_IMAGE_TOO_LARGE);
    assert_int_equal(map.extent_count, 1);
    volume_map_free(&map);
}

static void test_finish_covers_the_volume_once_with_zero_gaps(void **state)
{
    struct volume_map map;
    struct extent e;
    uint32_t at = 0;
    size_t i;
    (void)state;

    volume_map_init(&map);
    e = piece(50, 5, 0);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_OK);
    e = piece(10, 5, 1);
    assert_int_equal(volume_map_reserve(&map, &e), FSI_OK);
    assert_int_equal(volume_map_finish(&map, 60), FSI_OK);
    assert_int_equal(map.end, 60);
    for (i = 0; i < map.extent_count; i++) {
        assert_int_equal(map.extents[i].first_sector, at);
        at += map.extents[i].sector_count;
    }
    assert_int_equal(at, 60);
    assert_int_equal(map.extent_count, 5);  /* zero, piece, zero, piece, zero */
    assert_int_equal(map.extents[0].content, 0);
    assert_int_equal(map.extents[1].index, 1);
    assert_int_equal(map.extents[3].index, 0);
    volume_map_free(&map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocation_fills_the_first_gap_that_fits),
        cmocka_unit_test(test_overlapping_reservations_are_refused),
        cmocka_unit_test(test_finish_covers_the_volume_once_with_zero_gaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
