/*
 * The head of a grown disc (src/core/session_head.c): a later session's descriptor set and
 * recognition sequence go to sector 16, its UDF anchor to 256 (retagged for 256) only where the
 * first session's anchor was, stale recognition descriptors and anchors of an earlier head are
 * cleared, and malformed or unreadable sessions fail with the documented status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "openfsi/session_head.h"
#include "ecma167.h"
#include "udf_descriptor.h"

#define SECTOR 2048
#define DISC_SECTORS 1200
#define LATER 400           /* the later session's first sector */

static uint8_t disc_bytes[DISC_SECTORS * SECTOR];
static uint32_t failing_sector = UINT32_MAX;

static enum fsi_status memory_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    (void)context;
    if (failing_sector >= first && failing_sector < first + count)
        return FSI_E_DISC_READ;
    memcpy(buffer, disc_bytes + (size_t)first * SECTOR, (size_t)count * SECTOR);
    return FSI_OK;
}

static const struct fsi_disc disc = { memory_read, NULL, DISC_SECTORS };

static uint8_t *sector_at(uint32_t n)
{
    return disc_bytes + (size_t)n * SECTOR;
}

static void put_vd(uint32_t at, uint8_t type)
{
    uint8_t *s = sector_at(at);
    memset(s, 0, SECTOR);
    s[0] = type;
    memcpy(s + 1, "CD001", 5);
    s[6] = 1;
    s[7] = (uint8_t)(at & 0xFF);     /* something to tell one session's copy from another's */
}

static void put_vsd(uint32_t at, const char *id)
{
    uint8_t *s = sector_at(at);
    memset(s, 0, SECTOR);
    memcpy(s + 1, id, 5);
    s[6] = 1;
}

/* An anchor recorded at `at` whose main sequence is at `vds`. */
static void put_anchor(uint32_t at, uint32_t vds)
{
    uint8_t *s = sector_at(at);
    memset(s, 0, SECTOR);
    s[16] = 0x00; s[17] = 0x80;                         /* extent length 32768, little endian */
    s[20] = (uint8_t)vds; s[21] = (uint8_t)(vds >> 8);
    udf_tag_finish(s, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER, UDF_DESCRIPTOR_VERSION_NSR02, 1,
                   at, 512);
}

/* An ISO 9660 + Joliet + UDF bridge head at base + 16 (and base + 256). */
static void put_bridge_session(uint32_t base)
{
    put_vd(base + 16, 1);
    put_vd(base + 17, 2);
    put_vd(base + 18, 255);
    put_vsd(base + 19, "BEA01");
    put_vsd(base + 20, "NSR02");
    put_vsd(base + 21, "TEA01");
    put_anchor(base + 256, base + 32);
}

static void put_iso_session(uint32_t base)
{
    put_vd(base + 16, 1);
    put_vd(base + 17, 2);
    put_vd(base + 18, 255);
}

static int setup(void **state)
{
    (void)state;
    memset(disc_bytes, 0, sizeof(disc_bytes));
    failing_sector = UINT32_MAX;
    return 0;
}

static void test_bridge_session_over_bridge_copies_descriptors_and_retags_anchor(void **state)
{
    struct fsi_session_head head;
    uint8_t sector[SECTOR];
    uint16_t identifier = 0;
    uint32_t n;
    (void)state;

    put_bridge_session(0);
    put_bridge_session(LATER);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_int_equal(head.descriptors, 6);
    assert_int_equal(head.stale, 0);
    assert_true(head.copy_anchor);
    assert_false(head.clear_anchor);
    assert_false(head.anchor_not_copied);
    assert_int_equal(fsi_session_head_count(&head), 7);
    for (n = 0; n < 6; n++) {
        assert_int_equal(fsi_session_head_target(&head, n), 16 + n);
        assert_int_equal(fsi_session_head_render(&disc, &head, 16 + n, sector), FSI_OK);
        assert_memory_equal(sector, sector_at(LATER + 16 + n), SECTOR);
    }
    assert_int_equal(fsi_session_head_target(&head, 6), 256);
    assert_int_equal(fsi_session_head_render(&disc, &head, 256, sector), FSI_OK);
    /* Valid where it is written, and still pointing at the later session's sequence. */
    assert_true(udf_tag_check(sector, SECTOR, 256, &identifier));
    assert_int_equal(identifier, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER);
    assert_false(udf_tag_check(sector, SECTOR, LATER + 256, NULL));
    assert_memory_equal(sector + 16, sector_at(LATER + 256) + 16, SECTOR - 16);
}

static void test_iso_session_over_bridge_clears_stale_recognition_and_anchor(void **state)
{
    struct fsi_session_head head;
    uint8_t sector[SECTOR];
    static const uint8_t zeros[SECTOR];
    (void)state;

    put_bridge_session(0);
    put_iso_session(LATER);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_int_equal(head.descriptors, 3);
    assert_int_equal(head.stale, 3);
    assert_true(head.clear_anchor);
    assert_false(head.copy_anchor);
    assert_int_equal(fsi_session_head_count(&head), 7);
    assert_int_equal(fsi_session_head_render(&disc, &head, 18, sector), FSI_OK);
    assert_memory_equal(sector, sector_at(LATER + 18), SECTOR);
    assert_int_equal(fsi_session_head_render(&disc, &head, 20, sector), FSI_OK);
    assert_memory_equal(sector, zeros, SECTOR);
    assert_int_equal(fsi_session_head_render(&disc, &head, 256, sector), FSI_OK);
    assert_memory_equal(sector, zeros, SECTOR);
}

static void test_anchor_is_not_copied_over_sector_256_without_an_anchor(void **state)
{
    struct fsi_session_head head;
    uint8_t sector[SECTOR];
    (void)state;

    put_bridge_session(0);
    memset(sector_at(256), 0x5A, SECTOR);       /* a file of the first session lies there */
    put_bridge_session(LATER);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_int_equal(head.descriptors, 6);
    assert_false(head.copy_anchor);
    assert_true(head.anchor_not_copied);
    assert_int_equal(fsi_session_head_count(&head), 6);
    assert_int_equal(fsi_session_head_render(&disc, &head, 256, sector), FSI_E_INVALID_ARGUMENT);
}

static void test_iso_session_over_iso_copies_only_the_set(void **state)
{
    struct fsi_session_head head;
    (void)state;

    put_iso_session(0);
    put_vd(19, 0);              /* the first session's set: four descriptors too */
    put_vd(18, 0);
    put_vd(19, 255);
    put_vd(LATER + 16, 1);
    put_vd(LATER + 17, 0);      /* a boot record */
    put_vd(LATER + 18, 2);
    put_vd(LATER + 19, 255);
    memset(sector_at(LATER + 20), 0x11, SECTOR);      /* path tables: not a descriptor */
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_int_equal(head.descriptors, 4);
    assert_int_equal(head.stale, 0);
    assert_false(head.copy_anchor || head.clear_anchor || head.anchor_not_copied);
    assert_int_equal(fsi_session_head_count(&head), 4);
}

/* A set longer than the one at 16 is refused: what follows that one may be a file's data. */
static void test_a_longer_set_than_the_starts_is_refused(void **state)
{
    struct fsi_session_head head;
    (void)state;

    put_iso_session(0);
    memset(sector_at(19), 0x5A, SECTOR);        /* the first session's data */
    put_bridge_session(LATER);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_E_INCOMPATIBLE_SESSION);
}

static void test_udf_only_session_copies_its_recognition_sequence(void **state)
{
    struct fsi_session_head head;
    (void)state;

    put_bridge_session(0);
    put_vsd(LATER + 16, "BEA01");
    put_vsd(LATER + 17, "NSR03");
    put_vsd(LATER + 18, "TEA01");
    put_anchor(LATER + 256, LATER + 32);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_int_equal(head.descriptors, 3);
    assert_int_equal(head.stale, 3);
    assert_true(head.copy_anchor);
}

static void test_bad_sessions_fail(void **state)
{
    struct fsi_session_head head;
    uint8_t sector[SECTOR];
    uint32_t n;
    (void)state;

    put_bridge_session(0);
    assert_int_equal(fsi_session_head_sectors(&disc, 0, &head), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_session_head_sectors(NULL, LATER, &head), FSI_E_INVALID_ARGUMENT);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_E_NOT_FOUND);
    assert_int_equal(fsi_session_head_sectors(&disc, DISC_SECTORS + 5, &head), FSI_E_NOT_FOUND);

    /* A set without its terminator. */
    for (n = 0; n < FSI_SESSION_HEAD_MAX_DESCRIPTORS + 2; n++)
        put_vd(LATER + 16 + n, 2);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_E_CORRUPT_FILE_SYSTEM);
    put_vd(LATER + 16, 1);
    put_vd(LATER + 17, 255);
    memset(sector_at(LATER + 18), 0, SECTOR);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);

    /* A recognition sequence that never ends, or holds something else before TEA01. */
    put_vsd(LATER + 18, "BEA01");
    put_vsd(LATER + 19, "NSR02");
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_E_CORRUPT_FILE_SYSTEM);
    put_vsd(LATER + 20, "XXXXX");
    put_vsd(LATER + 21, "TEA01");
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_E_CORRUPT_FILE_SYSTEM);
    put_vsd(LATER + 20, "TEA01");
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_int_equal(head.descriptors, 5);

    /* A session too close to the start for its head to be copied below it. */
    put_iso_session(2);
    assert_int_equal(fsi_session_head_sectors(&disc, 2, &head), FSI_E_INVALID_ARGUMENT);

    /* Unreadable sectors. */
    failing_sector = LATER + 17;
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_E_DISC_READ);
    failing_sector = UINT32_MAX;
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    failing_sector = LATER + 16;
    assert_int_equal(fsi_session_head_render(&disc, &head, 16, sector), FSI_E_DISC_READ);
    failing_sector = UINT32_MAX;
    assert_int_equal(fsi_session_head_render(&disc, &head, 40, sector), FSI_E_INVALID_ARGUMENT);
}

/* A partition descriptor starting at `start` and a logical volume descriptor whose file set is
   at block `file_set`, the main sequence at `vds`; a file set descriptor recorded for `block` at
   `start + block`. */
static void put_volume(uint32_t vds, uint32_t start, uint32_t file_set)
{
    uint8_t *pd = sector_at(vds), *lvd = sector_at(vds + 1);
    memset(pd, 0, SECTOR);
    pd[188] = (uint8_t)start; pd[189] = (uint8_t)(start >> 8);
    udf_tag_finish(pd, UDF_TAG_PARTITION_DESCRIPTOR, UDF_DESCRIPTOR_VERSION_NSR02, 1, vds, 512);
    memset(lvd, 0, SECTOR);
    lvd[252] = (uint8_t)file_set; lvd[253] = (uint8_t)(file_set >> 8);
    udf_tag_finish(lvd, UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR, UDF_DESCRIPTOR_VERSION_NSR02, 1,
                   vds + 1, 512);
}

static void put_file_set(uint32_t start, uint32_t block, uint8_t mark)
{
    uint8_t *s = sector_at(start + block);
    memset(s, 0, SECTOR);
    s[100] = mark;
    udf_tag_finish(s, UDF_TAG_FILE_SET_DESCRIPTOR, UDF_DESCRIPTOR_VERSION_NSR02, 1, block, 512);
}

/* A session continuing the first one's partition: its file set descriptor goes to block 0. */
static void test_continued_partition_gets_its_file_set_at_block_0(void **state)
{
    struct fsi_session_head head;
    uint8_t sector[SECTOR];
    uint16_t identifier = 0;
    (void)state;

    put_bridge_session(0);
    put_volume(32, 257, 0);
    put_file_set(257, 0, 1);
    put_bridge_session(LATER);
    put_volume(LATER + 32, 257, LATER);             /* partition from 257, file set at S + 257 */
    put_file_set(257, LATER, 2);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_true(head.copy_anchor);
    assert_true(head.copy_file_set);
    assert_int_equal(head.file_set_from, 257 + LATER);
    assert_int_equal(fsi_session_head_count(&head), 8);
    assert_int_equal(fsi_session_head_target(&head, 7), 257);
    assert_int_equal(fsi_session_head_render(&disc, &head, 257, sector), FSI_OK);
    assert_true(udf_tag_check(sector, SECTOR, 0, &identifier));
    assert_int_equal(identifier, UDF_TAG_FILE_SET_DESCRIPTOR);
    assert_int_equal(sector[100], 2);               /* the later session's */

    /* Not over a sector that holds no file set descriptor of block 0. */
    memset(sector_at(257), 0, SECTOR);
    assert_int_equal(fsi_session_head_sectors(&disc, LATER, &head), FSI_OK);
    assert_false(head.copy_file_set);
    assert_int_equal(fsi_session_head_count(&head), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bridge_session_over_bridge_copies_descriptors_and_retags_anchor,
                               setup),
        cmocka_unit_test_setup(test_continued_partition_gets_its_file_set_at_block_0, setup),
        cmocka_unit_test_setup(test_a_longer_set_than_the_starts_is_refused, setup),
        cmocka_unit_test_setup(test_iso_session_over_bridge_clears_stale_recognition_and_anchor,
                               setup),
        cmocka_unit_test_setup(test_anchor_is_not_copied_over_sector_256_without_an_anchor, setup),
        cmocka_unit_test_setup(test_iso_session_over_iso_copies_only_the_set, setup),
        cmocka_unit_test_setup(test_udf_only_session_copies_its_recognition_sequence, setup),
        cmocka_unit_test_setup(test_bad_sessions_fail, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
