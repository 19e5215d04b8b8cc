/*
 * UDF in later sessions (fsi_image_options.session_start with udf_partition_start and
 * udf_first_unique_id): a session is made, imported through a disc that serves each session from
 * its own image reader, changed (files added and removed), and written at the end of the old one;
 * the engine's own UDF reader must then find the changed tree in the new session, with the kept
 * files' data where the first session recorded it (pointed at, not copied: the new session holds
 * only the new files' data and metadata), unique ids after the old ones and every block before
 * the new session's area allocated in its space bitmap. Every revision, alone and bridged with
 * ISO 9660 + Joliet; then a third session; a file of 1.5 GiB whose two extents are kept; bad
 * partition starts; and a session far into the disc, whose metadata file cannot be one extent
 * from block 0. Not here: other readers (tests/tool/test_append_udf.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "byte_order.h"
#include "openfsi/image.h"
#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/tree.h"

#define TEST_TIME ((fsi_time)133000000000000000ll)
#define SECTOR FSI_SECTOR_SIZE
#define BIG_SIZE (2u << 20)             /* a kept file far larger than any session's metadata */

static const uint32_t revisions[] = { FSI_UDF_REVISION_1_02, FSI_UDF_REVISION_1_50,
                                      FSI_UDF_REVISION_2_00, FSI_UDF_REVISION_2_01,
                                      FSI_UDF_REVISION_2_50, FSI_UDF_REVISION_2_60 };

/* ---- A disc made of sessions, each served by its image's reader; zeros between them ---- */

struct session_disc {
    struct fsi_disc disc;
    struct fsi_reader *readers[4];
    uint32_t first[4], end[4];
    size_t count;
};

static enum fsi_status session_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    struct session_disc *d = context;
    uint8_t *out = buffer;
    uint32_t i;
    size_t k;

    assert_true((uint64_t)first + count <= d->disc.sector_count);
    for (i = 0; i < count; i++, out += SECTOR) {
        uint32_t sector = first + i;
        memset(out, 0, SECTOR);
        for (k = 0; k < d->count; k++)
            if (sector >= d->first[k] && sector < d->end[k])
                assert_int_equal(fsi_reader_read(d->readers[k],
                                                 (uint64_t)(sector - d->first[k]) * SECTOR, out,
                                                 SECTOR),
                                 FSI_OK);
    }
    return FSI_OK;
}

static void disc_init(struct session_disc *d)
{
    memset(d, 0, sizeof(*d));
    d->disc.read = session_read;
    d->disc.context = d;
}

static void disc_add(struct session_disc *d, const struct fsi_image *image)
{
    assert_true(d->count < 4);
    assert_int_equal(fsi_reader_create(image, &d->readers[d->count]), FSI_OK);
    d->first[d->count] = fsi_image_first_sector(image);
    d->end[d->count] = fsi_image_sector_count(image);
    d->disc.sector_count = fsi_image_sector_count(image);
    d->count++;
}

static void disc_free(struct session_disc *d)
{
    size_t k;
    for (k = 0; k < d->count; k++)
        fsi_reader_destroy(d->readers[k]);
}

static void read_disc(struct session_disc *d, uint32_t sector, uint8_t *out)
{
    assert_int_equal(session_read(d, sector, 1, out), FSI_OK);
}

/* ---- Trees ---- */

static uint8_t big[BIG_SIZE];

static size_t units(const char *utf8, uint16_t *out)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p) {
        if (*p < 0x80)
            out[n++] = *p++;
        else {          /* two-byte sequences are all these tests use */
            out[n++] = (uint16_t)((p[0] & 0x1F) << 6 | (p[1] & 0x3F));
            p += 2;
        }
    }
    return n;
}

static struct fsi_node *find(struct fsi_tree *tree, const char *path)
{
    uint16_t name[256];
    struct fsi_node *node = NULL;
    if (fsi_tree_lookup(tree, fsi_tree_root(tree), name, units(path, name), &node) != FSI_OK)
        return NULL;
    return node;
}

static struct fsi_node *add_file(struct fsi_tree *tree, const char *dir, const char *name,
                                 const void *data, size_t size)
{
    uint16_t units16[256];
    struct fsi_source source = fsi_source_memory(data, size);
    struct fsi_node *parent = dir ? find(tree, dir) : fsi_tree_root(tree), *node = NULL;
    assert_non_null(parent);
    assert_int_equal(fsi_tree_add_file(tree, parent, units16, units(name, units16), size, &source,
                                       &node),
                     FSI_OK);
    return node;
}

static void add_dir(struct fsi_tree *tree, const char *dir, const char *name)
{
    uint16_t units16[256];
    struct fsi_node *parent = dir ? find(tree, dir) : fsi_tree_root(tree), *node = NULL;
    assert_non_null(parent);
    assert_int_equal(fsi_tree_add_directory(tree, parent, units16, units(name, units16), &node),
                     FSI_OK);
}

/* Reads a node's bytes through its source (an imported node's from the disc). */
static void assert_node_bytes(const struct fsi_node *node, const void *expected, size_t size)
{
    static uint8_t buffer[1 << 16];
    const struct fsi_source *source = fsi_node_source(node);
    size_t offset = 0;

    assert_int_equal(fsi_node_size(node), size);
    assert_int_equal(source->kind, FSI_SOURCE_CALLBACK);
    while (offset < size) {
        size_t want = size - offset < sizeof(buffer) ? size - offset : sizeof(buffer), done = 0;
        assert_int_equal(source->u.callback.callbacks->read(source->u.callback.context, offset,
                                                            buffer, want, &done),
                         FSI_OK);
        assert_true(done > 0 && done <= want);
        assert_memory_equal(buffer, (const uint8_t *)expected + offset, done);
        offset += done;
    }
}

static const struct fsi_disc_extent *extents_of(struct fsi_tree *tree, const char *path,
                                                size_t *count)
{
    struct fsi_node *node = find(tree, path);
    assert_non_null(node);
    return fsi_node_disc_extents(node, count);
}

/* Sectors of the data of `tree`'s files that lie below sector `below` (kept from earlier
   sessions, as the reader found them). */
static uint32_t kept_sectors(struct fsi_node *dir, uint32_t below)
{
    uint32_t i, kept = 0;

    for (i = 0; i < fsi_node_child_count(dir); i++) {
        struct fsi_node *child = fsi_node_child(dir, i);
        size_t count, k;
        const struct fsi_disc_extent *x = fsi_node_disc_extents(child, &count);
        if (fsi_node_is_directory(child))
            kept += kept_sectors(child, below);
        else
            for (k = 0; k < count; k++)
                if (x[k].first_sector < below)
                    kept += x[k].sector_count;
    }
    return kept;
}

/* ---- Images ---- */

static void options_for(struct fsi_image_options *o, uint32_t revision, int bridge)
{
    fsi_image_options_init(o, TEST_TIME);
    o->udf_revision = revision;
    o->iso9660 = o->joliet = bridge;
}

/* Sectors of FSI_EXTENT_FILE extents, and how many of them start below `below`. */
static uint32_t copied_sectors(const struct fsi_image *image, uint32_t below)
{
    struct fsi_extent_info e;
    uint32_t copied = 0;
    size_t i;

    for (i = 0; i < fsi_image_extent_count(image); i++) {
        fsi_image_extent(image, i, &e);
        if (e.kind == FSI_EXTENT_FILE) {
            assert_true(e.first_sector >= below);   /* nothing is written in old sessions */
            copied += e.sector_count;
        }
    }
    return copied;
}

/*
 * The new session's partition descriptor (its main sequence at S + 32) and space bitmap: every
 * block below S + 257 is allocated; returns the partition start.
 */
static uint32_t check_bitmap(struct session_disc *d, uint32_t session)
{
    uint8_t sector[SECTOR], lvd[SECTOR];
    uint32_t i, start = 0, length = 0, bitmap = 0, area, bits, block;
    int found = 0;

    for (i = 0; i < 16; i++) {
        read_disc(d, session + 32 + i, sector);
        if (get_le16(sector) == 5) {            /* partition descriptor */
            start = get_le32(sector + 188);
            length = get_le32(sector + 192);
            bitmap = get_le32(sector + 56 + 8 + 4);  /* its header's unallocated bitmap */
            found = 1;
        }
        if (get_le16(sector) == 6)
            memcpy(lvd, sector, SECTOR);
    }
    assert_true(found);
    assert_true(start <= session + 257);
    area = session + 257 - start;
    read_disc(d, start + bitmap, sector);
    assert_int_equal(get_le16(sector), 264);      /* space bitmap descriptor */
    bits = get_le32(sector + 16);
    assert_int_equal(bits, length);
    for (block = 0; block < area; block++) {
        uint32_t byte = 24 + block / 8;
        if (byte % SECTOR == 0 || block == 0)
            read_disc(d, start + bitmap + byte / SECTOR, sector);
        assert_false(sector[byte % SECTOR] >> (block % 8) & 1);
    }
    return start;
}

/* The block the logical volume descriptor of the session at `session` names for its file set. */
static uint32_t file_set_block(struct session_disc *d, uint32_t session)
{
    uint8_t sector[SECTOR];
    uint32_t i;

    for (i = 0; i < 16; i++) {
        read_disc(d, session + 32 + i, sector);
        if (get_le16(sector) == 6)
            return get_le32(sector + 248 + 4);
    }
    fail();
    return 0;
}

static void test_later_sessions_point_at_old_data(void **state)
{
    static const char small[] = "first session", added[] = "second session",
                      accented[] = "caf\xc3\xa9", third[] = "third session";
    size_t r;
    int bridge;
    (void)state;

    for (r = 0; r < BIG_SIZE; r++)
        big[r] = (uint8_t)(r * 31 + r / 4096);
    for (r = 0; r < sizeof(revisions) / sizeof(revisions[0]); r++)
        for (bridge = 0; bridge < 2; bridge++) {
            struct fsi_tree *t1 = fsi_tree_create(), *t2 = fsi_tree_create(),
                            *t3 = fsi_tree_create(), *t4 = fsi_tree_create();
            struct fsi_image *i1 = NULL, *i2 = NULL, *i3 = NULL;
            struct fsi_image_options o;
            struct fsi_import_info info, info2, info3;
            struct session_disc d;
            uint32_t s2, s3, size2, size3, copied2, copied3, big_first;
            const struct fsi_disc_extent *x;
            size_t count;

            /* Session 1: /docs/a.txt, /big.bin, /gone.txt. */
            add_dir(t1, NULL, "docs");
            add_file(t1, "docs", "a.txt", small, sizeof(small));
            add_file(t1, NULL, "big.bin", big, BIG_SIZE);
            add_file(t1, NULL, "gone.txt", small, 5);
            options_for(&o, revisions[r], bridge);
            assert_int_equal(fsi_image_create(t1, &o, &i1), FSI_OK);
            disc_init(&d);
            disc_add(&d, i1);
            assert_int_equal(fsi_disc_import(&d.disc, 0, FSI_FILE_SYSTEM_UDF, t2, &info), FSI_OK);
            assert_int_equal(info.udf_revision, revisions[r]);
            assert_int_equal(info.udf_partition_start, 257);
            assert_int_equal(info.udf_next_unique_id, 16 + 4);   /* docs, a.txt, big, gone */
            assert_int_equal(info.udf_duplicate_metadata, revisions[r] >= FSI_UDF_REVISION_2_50);
            big_first = extents_of(t2, "big.bin", &count)[0].first_sector;

            /* Session 2: gone.txt removed, docs/new/b.txt and café added. */
            assert_int_equal(fsi_tree_remove(t2, find(t2, "gone.txt"), 0), FSI_OK);
            add_dir(t2, "docs", "new");
            add_file(t2, "docs/new", "b.txt", added, sizeof(added));
            add_file(t2, NULL, accented, big + 7, 3000);
            s2 = fsi_image_sector_count(i1);
            options_for(&o, revisions[r], bridge);
            o.session_start = s2;
            o.udf_partition_start = info.udf_partition_start;
            o.udf_first_unique_id = info.udf_next_unique_id;
            assert_int_equal(fsi_image_create(t2, &o, &i2), FSI_OK);
            assert_int_equal(fsi_image_first_sector(i2), s2);
            size2 = (uint32_t)(fsi_image_size(i2) / SECTOR);
            copied2 = copied_sectors(i2, s2);
            /* Only the new files' data is written: b.txt and café take a sector each. */
            assert_int_equal(copied2, 1 + 2);
            /* The session is its fixed areas and metadata, far less than the kept big file. */
            assert_true(size2 < BIG_SIZE / SECTOR / 2);
            disc_add(&d, i2);
            assert_int_equal(check_bitmap(&d, s2), 257);
            if (revisions[r] >= FSI_UDF_REVISION_2_50)   /* identity-mapped metadata partition */
                assert_int_equal(file_set_block(&d, s2), s2 + 257 - 257);

            assert_int_equal(fsi_disc_import(&d.disc, s2, FSI_FILE_SYSTEM_UDF, t3, &info2),
                             FSI_OK);
            assert_int_equal(info2.files, 4);
            assert_int_equal(info2.directories, 2);
            assert_int_equal(info2.udf_partition_start, 257);
            assert_int_equal(info2.udf_next_unique_id, 20 + 6);
            assert_null(find(t3, "gone.txt"));
            assert_node_bytes(find(t3, "docs/a.txt"), small, sizeof(small));
            assert_node_bytes(find(t3, "docs/new/b.txt"), added, sizeof(added));
            assert_node_bytes(find(t3, accented), big + 7, 3000);
            assert_node_bytes(find(t3, "big.bin"), big, BIG_SIZE);
            x = extents_of(t3, "big.bin", &count);
            assert_int_equal(count, 1);
            assert_int_equal(x[0].first_sector, big_first);     /* pointed at, not copied */
            assert_true(extents_of(t3, "docs/a.txt", &count)[0].first_sector < s2);
            assert_true(extents_of(t3, "docs/new/b.txt", &count)[0].first_sector >= s2);

            /* Session 3: one more file; the old data is still session 1's. */
            add_file(t3, "docs", "c.txt", third, sizeof(third));
            s3 = fsi_image_sector_count(i2);
            options_for(&o, revisions[r], bridge);
            o.session_start = s3;
            o.udf_partition_start = info2.udf_partition_start;
            o.udf_first_unique_id = info2.udf_next_unique_id;
            assert_int_equal(fsi_image_create(t3, &o, &i3), FSI_OK);
            size3 = (uint32_t)(fsi_image_size(i3) / SECTOR);
            copied3 = copied_sectors(i3, s3);
            assert_int_equal(copied3, 1);
            disc_add(&d, i3);
            check_bitmap(&d, s3);
            assert_int_equal(fsi_disc_import(&d.disc, s3, FSI_FILE_SYSTEM_UDF, t4, &info3),
                             FSI_OK);
            assert_int_equal(info3.files, 5);
            assert_int_equal(info3.udf_next_unique_id, 26 + 7);
            assert_node_bytes(find(t4, "docs/c.txt"), third, sizeof(third));
            assert_node_bytes(find(t4, "big.bin"), big, BIG_SIZE);
            assert_int_equal(extents_of(t4, "big.bin", &count)[0].first_sector, big_first);
            assert_true(extents_of(t4, "docs/new/b.txt", &count)[0].first_sector < s3);
            if (bridge) {           /* the ISO side points at the same kept data */
                struct fsi_tree *iso = fsi_tree_create();
                struct fsi_import_info joliet;
                assert_int_equal(fsi_disc_import(&d.disc, s3, FSI_FILE_SYSTEM_JOLIET, iso,
                                                 &joliet),
                                 FSI_OK);
                assert_int_equal(joliet.files, 5);
                assert_int_equal(extents_of(iso, "big.bin", &count)[0].first_sector, big_first);
                fsi_tree_destroy(iso);
            }
            printf("UDF %x.%02x %s: sessions of %u, %u and %u sectors; session 2 wrote %u data "
                   "sectors and pointed at %u, session 3 wrote %u and pointed at %u\n",
                   revisions[r] >> 8, revisions[r] & 0xFF, bridge ? "bridge" : "alone",
                   fsi_image_sector_count(i1), size2, size3, copied2,
                   kept_sectors(fsi_tree_root(t3), s2), copied3,
                   kept_sectors(fsi_tree_root(t4), s3));
            assert_int_equal(kept_sectors(fsi_tree_root(t3), s2), BIG_SIZE / SECTOR + 1);
            disc_free(&d);
            fsi_image_destroy(i3);
            fsi_image_destroy(i2);
            fsi_image_destroy(i1);
            fsi_tree_destroy(t4);
            fsi_tree_destroy(t3);
            fsi_tree_destroy(t2);
            fsi_tree_destroy(t1);
        }
}

/* ---- A file of 1.5 GiB: two allocation descriptors, both kept ---- */

static uint8_t huge_byte(uint64_t offset) { return (uint8_t)(offset ^ (offset >> 13)); }

static enum fsi_status huge_read(void *context, uint64_t offset, void *buffer, size_t length,
                                 size_t *done)
{
    uint64_t size = *(const uint64_t *)context;
    uint8_t *out = buffer;
    size_t i;

    if (offset >= size)
        length = 0;
    else if (length > size - offset)
        length = (size_t)(size - offset);
    for (i = 0; i < length; i++)
        out[i] = huge_byte(offset + i);
    *done = length;
    return FSI_OK;
}

static void huge_release(void *context) { (void)context; }

static const struct fsi_source_callbacks huge_callbacks = { huge_read, huge_release, NULL };

static void test_a_file_of_two_extents_is_kept_whole(void **state)
{
    static uint64_t size = 3ull << 29;          /* 1.5 GiB: two descriptors of at most 1 GiB */
    static const uint32_t cases[][2] = { { FSI_UDF_REVISION_2_01, 1 },
                                         { FSI_UDF_REVISION_2_60, 0 } };
    size_t c;
    (void)state;

    for (c = 0; c < 2; c++) {
        struct fsi_tree *t1 = fsi_tree_create(), *t2 = fsi_tree_create(), *t3 = fsi_tree_create();
        struct fsi_source source = fsi_source_callback(&huge_callbacks, &size);
        struct fsi_image *i1 = NULL, *i2 = NULL;
        struct fsi_image_options o;
        struct fsi_import_info info;
        struct fsi_node *node = NULL;
        struct session_disc d;
        const struct fsi_disc_extent *x, *y;
        size_t count, count2;
        uint16_t name[] = { 'h', 'u', 'g', 'e' };
        uint8_t tail[16], want[16];
        size_t done = 0, i;

        assert_int_equal(fsi_tree_add_file(t1, fsi_tree_root(t1), name, 4, size, &source, &node),
                         FSI_OK);
        options_for(&o, cases[c][0], (int)cases[c][1]);
        assert_int_equal(fsi_image_create(t1, &o, &i1), FSI_OK);
        disc_init(&d);
        disc_add(&d, i1);
        assert_int_equal(fsi_disc_import(&d.disc, 0, FSI_FILE_SYSTEM_UDF, t2, &info), FSI_OK);
        x = extents_of(t2, "huge", &count);
        assert_int_equal(count, 2);
        add_file(t2, NULL, "small", "x", 1);
        options_for(&o, cases[c][0], (int)cases[c][1]);
        o.session_start = fsi_image_sector_count(i1);
        o.udf_partition_start = info.udf_partition_start;
        o.udf_first_unique_id = info.udf_next_unique_id;
        assert_int_equal(fsi_image_create(t2, &o, &i2), FSI_OK);
        assert_int_equal(copied_sectors(i2, o.session_start), 1);
        disc_add(&d, i2);
        assert_int_equal(fsi_disc_import(&d.disc, o.session_start, FSI_FILE_SYSTEM_UDF, t3,
                                         &info),
                         FSI_OK);
        y = extents_of(t3, "huge", &count2);
        assert_int_equal(count2, 2);
        for (i = 0; i < 2; i++) {
            assert_int_equal(y[i].first_sector, x[i].first_sector);
            assert_int_equal(y[i].sector_count, x[i].sector_count);
        }
        source = *fsi_node_source(find(t3, "huge"));
        assert_int_equal(source.u.callback.callbacks->read(source.u.callback.context, size - 16,
                                                           tail, 16, &done),
                         FSI_OK);
        assert_int_equal(done, 16);
        for (i = 0; i < 16; i++)
            want[i] = huge_byte(size - 16 + i);
        assert_memory_equal(tail, want, 16);
        disc_free(&d);
        fsi_image_destroy(i2);
        fsi_image_destroy(i1);
        fsi_tree_destroy(t3);
        fsi_tree_destroy(t2);
        fsi_tree_destroy(t1);
    }
}

/* ---- Bad options, and a session far into the disc ---- */

static void test_partition_start_is_checked(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options o;
    struct fsi_image *image = NULL;
    (void)state;

    add_file(tree, NULL, "f", "abc", 3);
    options_for(&o, FSI_UDF_REVISION_2_01, 0);
    o.session_start = 1000;
    o.udf_partition_start = 100;                /* before the first session's anchor */
    assert_int_equal(fsi_image_create(tree, &o, &image), FSI_E_INVALID_ARGUMENT);
    o.udf_partition_start = 1001;               /* inside this session's fixed areas */
    assert_int_equal(fsi_image_create(tree, &o, &image), FSI_E_INVALID_ARGUMENT);
    o.udf_partition_start = 1257;               /* the session's own partition: allowed */
    assert_int_equal(fsi_image_create(tree, &o, &image), FSI_OK);
    fsi_image_destroy(image);
    image = NULL;
    o.session_start = 0;
    o.udf_partition_start = 300;                /* a first session's partition is its own */
    assert_int_equal(fsi_image_create(tree, &o, &image), FSI_E_INVALID_ARGUMENT);
    fsi_tree_destroy(tree);
}

static void test_far_session_has_its_metadata_file_at_its_area(void **state)
{
    static const uint32_t far = 600000;        /* blocks 0 .. far + 257 exceed one descriptor */
    struct fsi_tree *tree = fsi_tree_create(), *back = fsi_tree_create();
    struct fsi_image_options o;
    struct fsi_image *image = NULL;
    struct fsi_import_info info;
    struct session_disc d;
    int redundant;
    (void)state;

    add_dir(tree, NULL, "dir");
    add_file(tree, "dir", "f", "abc", 3);
    for (redundant = 0; redundant < 2; redundant++) {
        options_for(&o, FSI_UDF_REVISION_2_60, 0);
        o.udf_redundant_metadata = redundant;
        o.session_start = far;
        o.udf_partition_start = 257;
        o.udf_first_unique_id = 1000;
        assert_int_equal(fsi_image_create(tree, &o, &image), FSI_OK);
        disc_init(&d);
        disc_add(&d, image);
        check_bitmap(&d, far);
        assert_int_equal(file_set_block(&d, far), 0);   /* metadata block 0 is the area's */
        assert_int_equal(fsi_disc_import(&d.disc, far, FSI_FILE_SYSTEM_UDF, back, &info), FSI_OK);
        assert_int_equal(info.files, 1);
        assert_int_equal(info.udf_next_unique_id, 1002);
        assert_node_bytes(find(back, "dir/f"), "abc", 3);
        assert_int_equal(fsi_tree_remove(back, find(back, "dir"), 1), FSI_OK);
        disc_free(&d);
        fsi_image_destroy(image);
        image = NULL;
    }
    fsi_tree_destroy(back);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_later_sessions_point_at_old_data),
        cmocka_unit_test(test_a_file_of_two_extents_is_kept_whole),
        cmocka_unit_test(test_partition_start_is_checked),
        cmocka_unit_test(test_far_session_has_its_metadata_file_at_its_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
