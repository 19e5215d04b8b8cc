/*
 * The UDF writer (src/core/udf_layout.c, udf_render.c) read back through the engine's reader and
 * checked field by field against ECMA-167 3rd edition and UDF 2.60: the recognition sequence,
 * anchors at 256 and N-1, both volume descriptor sequences, the integrity descriptor's counts,
 * the file set, file entries and identifiers (tags, CRCs, CS0 names, sizes, times, unique ids),
 * the space bitmap against the extents, the metadata partition and its mirror from 2.50, files
 * of 4 GiB and more, names too long for CS0, and that a bridge shares each file's data.
 */
#include "image_test_util.h"

#include "ecma167.h"
#include "udf_cs0.h"
#include "udf_descriptor.h"
#include "udf_time.h"

static const uint32_t all_revisions[] = { 0x102, 0x150, 0x200, 0x201, 0x250, 0x260 };

static struct fsi_image *make_udf_image(struct fsi_tree *tree, uint32_t revision, int iso)
{
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    static const uint16_t label[] = { 'U', 'D', 'F', ' ', 'T', 'e', 's', 't' };

    fsi_image_options_init(&options, TEST_TIME);
    options.udf_revision = revision;
    options.iso9660 = iso;
    options.joliet = iso;
    options.iso9660_level = 3;
    options.volume_name = label;
    options.volume_name_length = 8;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    return image;
}

/* Reads a sector and checks its tag: identifier, location, checksum and CRC. */
static void read_tagged(struct fsi_image *image, uint32_t sector, uint32_t location,
                        uint16_t identifier, uint8_t *out)
{
    uint16_t found = 0;
    read_sector(image, sector, out);
    assert_true(udf_tag_check(out, FSI_SECTOR_SIZE, location, &found));
    assert_int_equal(found, identifier);
}

/* What a test needs of a UDF volume, found from the anchor the way a reader does. */
struct volume {
    uint32_t sectors;
    uint32_t partition_start;
    uint32_t partition_length;
    uint16_t version;
    int maps;
    uint32_t metadata_file;         /* 2.50+: the metadata file's file entry block */
    uint32_t metadata_start;        /* its extent's first block */
    uint32_t mirror_start;
    uint32_t metadata_bitmap;       /* the metadata bitmap's file entry block */
    uint8_t metadata_flags;
    uint32_t root_block;
    uint32_t bitmap_block, bitmap_bytes;
};

static void find_volume(struct fsi_image *image, uint32_t revision, struct volume *v)
{
    uint8_t s[FSI_SECTOR_SIZE];
    uint32_t vds, i;

    memset(v, 0, sizeof(*v));
    v->sectors = fsi_image_sector_count(image);
    v->version = revision >= 0x200 ? 3 : 2;
    read_tagged(image, 256, 256, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER, s);
    vds = get_le32(s + 20);
    assert_int_equal(get_le32(s + 16), 16 * 2048);
    assert_int_equal(get_le32(s + 24), 16 * 2048);        /* a reserve sequence is there */
    assert_int_equal(get_le16(s + 2), v->version);
    {
        uint8_t last[FSI_SECTOR_SIZE];
        read_tagged(image, v->sectors - 1, v->sectors - 1,
                    UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER, last);
        assert_memory_equal(last + 16, s + 16, 16);
    }
    for (i = 0;; i++) {
        uint16_t id = 0;
        read_sector(image, vds + i, s);
        assert_true(udf_tag_check(s, FSI_SECTOR_SIZE, vds + i, &id));
        if (id == UDF_TAG_TERMINATING_DESCRIPTOR)
            break;
        if (id == UDF_TAG_PARTITION_DESCRIPTOR) {
            v->partition_start = get_le32(s + 188);
            v->partition_length = get_le32(s + 192);
            assert_memory_equal(s + 25, revision >= 0x200 ? "+NSR03" : "+NSR02", 6);
            v->bitmap_bytes = get_le32(s + 56 + 8);       /* unallocated space bitmap short_ad */
            v->bitmap_block = get_le32(s + 56 + 12);
        }
        if (id == UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR) {
            const uint8_t *maps = s + UDF_LVD_FIXED_SIZE;
            assert_int_equal(get_le32(s + 212), 2048);
            assert_memory_equal(s + 217, "*OSTA UDF Compliant", 19);
            assert_int_equal(get_le16(s + 216 + 24), revision);    /* domain suffix */
            v->maps = (int)get_le32(s + 268);
            assert_int_equal(maps[0], 1);
            assert_int_equal(maps[1], 6);
            if (v->maps == 2) {
                const uint8_t *m = maps + 6;
                assert_int_equal(m[0], 2);
                assert_int_equal(m[1], 64);
                assert_memory_equal(m + 5, "*UDF Metadata Partition", 23);
                v->metadata_file = get_le32(m + 40);
                v->mirror_start = get_le32(m + 44);               /* the mirror's file entry */
                v->metadata_bitmap = get_le32(m + 48);            /* the bitmap's */
                v->metadata_flags = m[58];
            }
        }
        assert_true(i < 16);
    }
    assert_int_equal(v->maps, revision >= 0x250 ? 2 : 1);
}

static uint32_t entry_sector(const struct volume *v, uint32_t block)
{
    return v->partition_start + block;     /* metadata block n is physical block n */
}

static void test_every_revision_has_recognition_anchors_and_sequences(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    uint8_t s[FSI_SECTOR_SIZE], r[FSI_SECTOR_SIZE];
    size_t k;
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "a.txt", "hello", 5);
    for (k = 0; k < sizeof(all_revisions) / sizeof(all_revisions[0]); k++) {
        uint32_t revision = all_revisions[k], i;
        int iso;
        for (iso = 0; iso <= 1; iso++) {
            struct fsi_image *image = make_udf_image(tree, revision, iso);
            struct volume v;
            uint32_t first = iso ? 19 : 16;   /* after PVD, Joliet SVD and terminator */
            find_volume(image, revision, &v);
            read_sector(image, first, s);
            assert_memory_equal(s + 1, "BEA01", 5);
            read_sector(image, first + 1, s);
            assert_memory_equal(s + 1, revision >= 0x200 ? "NSR03" : "NSR02", 5);
            read_sector(image, first + 2, s);
            assert_memory_equal(s + 1, "TEA01", 5);
            read_sector(image, 16, s);
            assert_memory_equal(s + 1, iso ? "CD001" : "BEA01", 5);
            /* The reserve sequence says what the main one says. */
            for (i = 0; i < 6; i++) {
                read_sector(image, 32 + i, s);
                read_sector(image, 48 + i, r);
                assert_memory_equal(s + 16, r + 16, 512 - 16);
            }
            assert_int_equal(v.partition_start, 257);
            assert_int_equal(v.partition_start + v.partition_length, v.sectors - 1);
            fsi_image_destroy(image);
        }
    }
    fsi_tree_destroy(tree);
}

/* The file entry of the FID at `fid`; returns the FID's size. */
static size_t check_fid(const uint8_t *fid, uint32_t location, const char *name, int is_dir,
                        uint32_t *block)
{
    uint16_t id = 0, units[256];
    int ok = 0;
    size_t n, size;

    size = UDF_FID_SIZE(get_le16(fid + 36), fid[19]);
    assert_true(udf_tag_check(fid, size, location, &id));
    assert_int_equal(id, UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR);
    assert_int_equal(get_le16(fid + 16), 1);
    assert_int_equal((fid[18] & UDF_FID_DIRECTORY) != 0, is_dir);
    n = udf_cs0_decode(fid + 38 + get_le16(fid + 36), fid[19], units, 256, &ok);
    if (name) {
        uint16_t want[256];
        size_t w = ascii_units(name, want);
        assert_true(ok);
        assert_int_equal(n, w);
        assert_memory_equal(units, want, w * 2);
    }
    *block = get_le32(fid + 24);
    return size;
}

static void test_file_entries_and_identifiers_follow_ecma_167(void **state)
{
    static const char data[5000] = "udf data";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *dir = add_dir(tree, fsi_tree_root(tree), "dir");
    struct fsi_node *file = add_memory_file(tree, dir, "file.bin", data, sizeof(data));
    uint8_t s[FSI_SECTOR_SIZE], fe[FSI_SECTOR_SIZE];
    size_t k;
    (void)state;

    fsi_node_set_hidden(file, 1);
    fsi_node_set_times(file, TEST_TIME, TEST_TIME + 10, TEST_TIME + 12345670);
    for (k = 0; k < sizeof(all_revisions) / sizeof(all_revisions[0]); k++) {
        uint32_t revision = all_revisions[k], root_fe, dir_fe, file_fe, stream, data_block, uid;
        struct fsi_image *image = make_udf_image(tree, revision, 1);
        struct volume v;
        fsi_time t;
        size_t at;

        find_volume(image, revision, &v);
        /* The file set descriptor is block 0 of the (metadata) partition, then a terminator. */
        read_tagged(image, v.partition_start, 0, UDF_TAG_FILE_SET_DESCRIPTOR, s);
        assert_int_equal(get_le16(s + 16 + 12), 3);           /* interchange level */
        root_fe = get_le32(s + 400 + 4);
        assert_int_equal(get_le16(s + 400 + 8), v.maps == 2 ? 1 : 0);
        read_tagged(image, v.partition_start + 1, 1, UDF_TAG_TERMINATING_DESCRIPTOR, s);

        /* Root: a directory file entry whose stream has the parent FID, then "dir". */
        read_tagged(image, entry_sector(&v, root_fe), root_fe, UDF_TAG_FILE_ENTRY, fe);
        assert_int_equal(fe[16 + 11], UDF_FILE_TYPE_DIRECTORY);
        assert_int_equal(get_le64(fe + 160), 0);               /* the root's unique id */
        assert_int_equal(get_le16(fe + 48), 2);                /* link count: itself and dir */
        stream = get_le32(fe + UDF_FE_FIXED_SIZE + 4);
        read_sector(image, entry_sector(&v, stream), s);
        at = check_fid(s, stream, NULL, 1, &dir_fe);
        assert_true(s[18] & UDF_FID_PARENT);
        assert_int_equal(dir_fe, root_fe);
        at += check_fid(s + at, stream, "dir", 1, &dir_fe);
        assert_int_equal(get_le64(fe + 56), at);               /* information length */

        read_tagged(image, entry_sector(&v, dir_fe), dir_fe, UDF_TAG_FILE_ENTRY, fe);
        assert_true(get_le64(fe + 160) >= 16);                 /* 1-15 are reserved */
        stream = get_le32(fe + UDF_FE_FIXED_SIZE + 4);
        read_sector(image, entry_sector(&v, stream), s);
        at = check_fid(s, stream, NULL, 1, &root_fe);
        at += check_fid(s + at, stream, "file.bin", 0, &file_fe);
        assert_true(s[40 + 18] & UDF_FID_HIDDEN);
        uid = get_le32(s + 40 + 32);    /* UDF 2.3.4.3: the ICB's implementation use */

        read_tagged(image, entry_sector(&v, file_fe), file_fe, UDF_TAG_FILE_ENTRY, fe);
        assert_int_equal(fe[16 + 11], UDF_FILE_TYPE_REGULAR);
        assert_int_equal(get_le64(fe + 160), uid);
        assert_int_equal(get_le64(fe + 56), sizeof(data));
        assert_int_equal(get_le64(fe + 64), 3);                /* blocks recorded */
        assert_int_equal(get_le32(fe + 108), 1);               /* checkpoint */
        assert_int_equal(get_le32(fe + 36), 0xFFFFFFFFu);      /* uid: not specified */
        /* Modification time (4/14.9.13) to the microsecond; access time (4/14.9.12). */
        assert_true(udf_get_timestamp((const struct udf_timestamp *)(fe + 84), &t));
        assert_int_equal(t, TEST_TIME + 12345670);
        assert_true(udf_get_timestamp((const struct udf_timestamp *)(fe + 72), &t));
        assert_int_equal(t, TEST_TIME + 10);
        if (v.maps == 2) {
            /* Long allocation descriptors into the physical partition. */
            assert_int_equal(get_le16(fe + 16 + 18) & 7, UDF_ICB_FLAG_AD_LONG);
            assert_int_equal(get_le32(fe + 172), 16);
            assert_int_equal(get_le16(fe + UDF_FE_FIXED_SIZE + 8), 0);
        } else {
            assert_int_equal(get_le16(fe + 16 + 18) & 7, UDF_ICB_FLAG_AD_SHORT);
            assert_int_equal(get_le32(fe + 172), 8);
        }
        assert_int_equal(get_le32(fe + UDF_FE_FIXED_SIZE) & 0x3FFFFFFF, sizeof(data));
        data_block = get_le32(fe + UDF_FE_FIXED_SIZE + 4);
        read_sector(image, v.partition_start + data_block, s);
        assert_memory_equal(s, "udf data", 8);
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

static void test_bridge_shares_each_files_data_with_iso9660(void **state)
{
    static const char data[3000] = "shared";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image *image;
    struct fsi_extent_info info;
    size_t i, files = 0;
    (void)state;

    add_memory_file(tree, fsi_tree_root(tree), "one.bin", data, sizeof(data));
    add_memory_file(tree, fsi_tree_root(tree), "two.bin", data, 1);
    image = make_udf_image(tree, 0x201, 1);
    for (i = 0; i < fsi_image_extent_count(image); i++) {
        fsi_image_extent(image, i, &info);
        if (info.kind == FSI_EXTENT_FILE) {
            files++;
            assert_true(info.first_sector > 257);   /* inside the UDF partition */
        }
    }
    assert_int_equal(files, 2);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* Counts set bits of the space bitmap and checks each against what the extents hold. */
static void test_space_bitmap_marks_exactly_the_unused_blocks(void **state)
{
    static const char data[9000] = "x";
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *d = add_dir(tree, fsi_tree_root(tree), "d");
    size_t k;
    (void)state;

    add_memory_file(tree, d, "f", data, sizeof(data));
    add_dir(tree, d, "e");
    for (k = 0; k < sizeof(all_revisions) / sizeof(all_revisions[0]); k++) {
        struct fsi_image *image = make_udf_image(tree, all_revisions[k], 1);
        uint8_t s[FSI_SECTOR_SIZE];
        struct volume v;
        uint32_t b, free_bits = 0, lvid_free;
        size_t e = 0;

        find_volume(image, all_revisions[k], &v);
        read_tagged(image, v.partition_start + v.bitmap_block, v.bitmap_block,
                    UDF_TAG_SPACE_BITMAP_DESCRIPTOR, s);
        assert_int_equal(get_le32(s + 16), v.partition_length);
        assert_int_equal(get_le32(s + 20), (v.partition_length + 7) / 8);
        assert_int_equal(v.bitmap_bytes, 24 + (v.partition_length + 7) / 8);
        assert_true(v.partition_length < (2048 - 24) * 8);     /* one sector is enough here */
        for (b = 0; b < v.partition_length; b++) {
            struct fsi_extent_info info;
            int is_free = (s[24 + b / 8] >> (b % 8)) & 1;
            while (fsi_image_extent(image, e, &info),
                   info.first_sector + info.sector_count <= v.partition_start + b)
                e++;
            if (is_free) {
                free_bits++;
                /* Free blocks hold nothing: zeros or slack, never data or a descriptor. */
                assert_int_equal(info.kind, FSI_EXTENT_ZERO);
                if (v.maps == 2)
                    assert_true(b >= v.mirror_start);   /* never inside the metadata file */
            } else {
                assert_true(info.kind != FSI_EXTENT_ZERO || v.maps == 2);
            }
        }
        read_tagged(image, 64, 64, UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR, s);
        lvid_free = get_le32(s + 80);
        assert_int_equal(lvid_free, free_bits);
        assert_int_equal(get_le32(s + 80 + 4 * get_le32(s + 72)), v.partition_length);
        assert_int_equal(get_le32(s + 16 + 12), UDF_INTEGRITY_CLOSE);
        {
            const uint8_t *use = s + 80 + 8 * get_le32(s + 72);
            assert_int_equal(get_le32(use + 32), 1);           /* files */
            assert_int_equal(get_le32(use + 36), 3);           /* directories, root included */
            assert_int_equal(get_le16(use + 42), all_revisions[k]);
        }
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

static void test_metadata_partition_has_files_and_a_mirror_copy(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    uint8_t s[FSI_SECTOR_SIZE], main_block[FSI_SECTOR_SIZE], mirror_block[FSI_SECTOR_SIZE];
    int redundant;
    (void)state;

    add_memory_file(tree, add_dir(tree, fsi_tree_root(tree), "d"), "f", "abc", 3);
    for (redundant = 0; redundant <= 1; redundant++) {
        struct fsi_image_options options;
        struct fsi_image *image = NULL;
        uint32_t metadata_start, metadata_length, mirror_start, b, fe_block;
        struct volume v;

        fsi_image_options_init(&options, TEST_TIME);
        options.udf_revision = 0x250;
        options.udf_redundant_metadata = redundant;
        assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
        find_volume(image, 0x250, &v);
        assert_int_equal(v.metadata_flags, redundant ? UDF_METADATA_FLAG_DUPLICATE : 0);
        fe_block = v.metadata_file;
        read_tagged(image, v.partition_start + fe_block, fe_block, UDF_TAG_FILE_ENTRY, s);
        assert_int_equal(s[16 + 11], UDF_FILE_TYPE_METADATA);
        metadata_length = get_le32(s + UDF_FE_FIXED_SIZE) & 0x3FFFFFFF;
        metadata_start = get_le32(s + UDF_FE_FIXED_SIZE + 4);
        assert_int_equal(metadata_start, 0);                   /* metadata block n = block n */
        assert_int_equal(metadata_length % (32 * 2048), 0);    /* whole allocation units */
        read_tagged(image, v.partition_start + v.mirror_start, v.mirror_start,
                    UDF_TAG_FILE_ENTRY, s);
        assert_int_equal(s[16 + 11], UDF_FILE_TYPE_METADATA_MIRROR);
        mirror_start = get_le32(s + UDF_FE_FIXED_SIZE + 4);
        assert_int_equal(get_le32(s + UDF_FE_FIXED_SIZE) & 0x3FFFFFFF, metadata_length);
        if (!redundant)
            assert_int_equal(mirror_start, metadata_start);
        else
            assert_true(mirror_start >= metadata_length / 2048);
        for (b = 0; b < metadata_length / 2048; b++) {
            read_sector(image, v.partition_start + metadata_start + b, main_block);
            read_sector(image, v.partition_start + mirror_start + b, mirror_block);
            assert_memory_equal(main_block, mirror_block, FSI_SECTOR_SIZE);
        }
        read_tagged(image, v.partition_start + v.metadata_bitmap, v.metadata_bitmap,
                    UDF_TAG_FILE_ENTRY, s);
        assert_int_equal(s[16 + 11], UDF_FILE_TYPE_METADATA_BITMAP);
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

static enum fsi_status zero_read(void *context, uint64_t offset, void *buffer, size_t length,
                                 size_t *done)
{
    (void)context;
    (void)offset;
    memset(buffer, 0, length);
    *done = length;
    return FSI_OK;
}

static void test_file_of_4_5_gib_takes_five_allocation_descriptors(void **state)
{
    static const struct fsi_source_callbacks zeros = { zero_read, NULL, NULL };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source = fsi_source_callback(&zeros, NULL);
    const uint64_t size = 4608ull * 1024 * 1024;
    uint16_t name[4] = { 'b', 'i', 'g', 0 };
    struct fsi_node *node = NULL;
    uint8_t s[FSI_SECTOR_SIZE], fe[FSI_SECTOR_SIZE];
    uint32_t block, file_fe, i;
    uint64_t total = 0;
    struct fsi_image *image;
    struct volume v;
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name, 3, size, &source, &node),
                     FSI_OK);
    image = make_udf_image(tree, 0x201, 0);
    find_volume(image, 0x201, &v);
    read_sector(image, v.partition_start, s);
    block = get_le32(s + 400 + 4);
    read_sector(image, v.partition_start + block, fe);
    read_sector(image, v.partition_start + get_le32(fe + UDF_FE_FIXED_SIZE + 4), s);
    check_fid(s + 40, get_le32(fe + UDF_FE_FIXED_SIZE + 4), "big", 0, &file_fe);
    read_tagged(image, v.partition_start + file_fe, file_fe, UDF_TAG_FILE_ENTRY, fe);
    assert_int_equal(get_le64(fe + 56), size);
    assert_int_equal(get_le32(fe + 172), 5 * 8);
    for (i = 0; i < 5; i++) {
        uint32_t length = get_le32(fe + UDF_FE_FIXED_SIZE + 8 * i);
        assert_int_equal(length >> 30, 0);                      /* recorded and allocated */
        if (i < 4)
            assert_int_equal(length % 2048, 0);
        if (i)
            assert_int_equal(get_le32(fe + UDF_FE_FIXED_SIZE + 8 * i + 4),
                             get_le32(fe + UDF_FE_FIXED_SIZE + 8 * (i - 1) + 4) +
                                 get_le32(fe + UDF_FE_FIXED_SIZE + 8 * (i - 1)) / 2048);
        total += length;
    }
    assert_int_equal(total, size);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_names_too_long_for_cs0_are_shortened_uniquely(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    uint16_t name[256];
    uint8_t fe[FSI_SECTOR_SIZE], s[3 * FSI_SECTOR_SIZE];
    struct fsi_node *node = NULL;
    struct fsi_image *image;
    struct fsi_reader *reader;
    uint32_t block, stream, length, at, seen = 0;
    struct volume v;
    int i;
    (void)state;

    /* Two 200-character Cyrillic names alike but for the last: 401 bytes each in CS0. */
    for (i = 0; i < 2; i++) {
        int k;
        for (k = 0; k < 200; k++)
            name[k] = 0x0430 + (uint16_t)(k % 32);
        name[199] = (uint16_t)(0x0410 + i);
        assert_int_equal(fsi_tree_add_directory(tree, fsi_tree_root(tree), name, 200, &node),
                         FSI_OK);
    }
    image = make_udf_image(tree, 0x102, 0);
    find_volume(image, 0x102, &v);
    read_sector(image, v.partition_start, s);
    block = get_le32(s + 400 + 4);
    read_sector(image, v.partition_start + block, fe);
    stream = get_le32(fe + UDF_FE_FIXED_SIZE + 4);
    length = get_le32(fe + UDF_FE_FIXED_SIZE);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, (uint64_t)(v.partition_start + stream) * 2048, s,
                                     sizeof(s)),
                     FSI_OK);
    fsi_reader_destroy(reader);
    {
        uint16_t first[128], second[128];
        size_t n1 = 0, n2 = 0;
        int ok = 0;
        for (at = 40; at < length;) {
            uint32_t fe_block;
            size_t size = check_fid(s + at, stream + at / 2048, NULL, 1, &fe_block);
            uint16_t *out = seen ? second : first;
            size_t n = udf_cs0_decode(s + at + 38, s[at + 19], out, 128, &ok);
            assert_true(ok);
            assert_true(s[at + 19] <= 255);
            assert_int_equal(out[n - 5], '#');
            if (seen)
                n2 = n;
            else
                n1 = n;
            seen++;
            at += (uint32_t)size;
        }
        assert_int_equal(seen, 2);
        assert_false(n1 == n2 && !memcmp(first, second, n1 * 2));
    }
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

static void test_named_streams_have_a_stream_directory_from_2_00(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "f.txt", "main", 4);
    struct fsi_source one = fsi_source_memory("first stream", 12);
    struct fsi_source two = fsi_source_memory("2nd", 3);
    struct fsi_node *stream = NULL;
    uint16_t name[16];
    size_t k;
    (void)state;

    assert_int_equal(fsi_tree_add_stream(tree, file, name, ascii_units("Zone.Identifier", name),
                                         12, &one, &stream), FSI_OK);
    assert_int_equal(fsi_tree_add_stream(tree, file, name, ascii_units("alpha", name), 3, &two,
                                         &stream), FSI_OK);
    /* The file's times change after its streams were added: the streams are recorded with the
       file's times all the same. */
    fsi_node_set_times(file, TEST_TIME + 10000000, TEST_TIME + 20000000, TEST_TIME + 30000000);
    for (k = 0; k < sizeof(all_revisions) / sizeof(all_revisions[0]); k++) {
        uint32_t revision = all_revisions[k], root_fe, file_fe, stream_dir, stream_fe, sblock;
        struct fsi_image *image = make_udf_image(tree, revision, 1);
        uint8_t s[FSI_SECTOR_SIZE], fe[FSI_SECTOR_SIZE], ids[FSI_SECTOR_SIZE];
        uint16_t id = 0;
        struct volume v;
        size_t at;

        find_volume(image, revision, &v);
        read_sector(image, v.partition_start, s);
        root_fe = get_le32(s + 400 + 4);
        read_sector(image, entry_sector(&v, root_fe), fe);
        sblock = get_le32(fe + UDF_FE_FIXED_SIZE + 4);
        read_sector(image, entry_sector(&v, sblock), s);
        check_fid(s + 40, sblock, "f.txt", 0, &file_fe);
        read_sector(image, entry_sector(&v, file_fe), fe);
        assert_true(udf_tag_check(fe, FSI_SECTOR_SIZE, file_fe, &id));
        if (revision < 0x200) {
            /* Before 2.00 there are no streams: a plain file entry. */
            assert_int_equal(id, UDF_TAG_FILE_ENTRY);
            fsi_image_destroy(image);
            continue;
        }
        assert_int_equal(id, UDF_TAG_EXTENDED_FILE_ENTRY);
        assert_int_equal(get_le64(fe + 56), 4);                 /* information length */
        assert_int_equal(get_le64(fe + 64), 4 + 12 + 3);        /* object size */
        stream_dir = get_le32(fe + 152 + 4);                    /* stream directory ICB */
        assert_int_equal(get_le32(fe + 152) & 0x3FFFFFFF, 2048);
        read_tagged(image, entry_sector(&v, stream_dir), stream_dir,
                    UDF_TAG_EXTENDED_FILE_ENTRY, s);
        assert_int_equal(s[16 + 11], UDF_FILE_TYPE_STREAM_DIRECTORY);
        sblock = get_le32(s + UDF_EFE_FIXED_SIZE + 4);
        read_sector(image, entry_sector(&v, sblock), ids);
        at = check_fid(ids, sblock, NULL, 1, &stream_fe);
        assert_true(ids[18] & UDF_FID_PARENT);
        assert_int_equal(stream_fe, file_fe);                   /* the parent is the file */
        at += check_fid(ids + at, sblock, "Zone.Identifier", 0, &stream_fe);
        read_tagged(image, entry_sector(&v, stream_fe), stream_fe, UDF_TAG_EXTENDED_FILE_ENTRY,
                    s);
        assert_int_equal(s[16 + 11], UDF_FILE_TYPE_REGULAR);
        assert_true(get_le16(s + 16 + 18) & UDF_ICB_FLAG_STREAM);
        assert_memory_equal(s + 80, fe + 80, 48);               /* access to attribute times */
        assert_int_equal(get_le64(s + 56), 12);
        {
            uint32_t data = get_le32(s + UDF_EFE_FIXED_SIZE + 4);
            uint8_t bytes[FSI_SECTOR_SIZE];
            read_sector(image, v.partition_start + data, bytes);
            assert_memory_equal(bytes, "first stream", 12);
            /* Streams' data comes before the files' (udf_layout.h says why). */
            assert_true(data < get_le32(fe + UDF_EFE_FIXED_SIZE + 4));
        }
        /* The integrity descriptor counts the file and the root, not the stream directory. */
        {
            uint8_t lvid[FSI_SECTOR_SIZE];
            const uint8_t *use;
            read_tagged(image, 64, 64, UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR, lvid);
            use = lvid + 80 + 8 * get_le32(lvid + 72);
            assert_int_equal(get_le32(use + 32), 1);           /* files */
            assert_int_equal(get_le32(use + 36), 1);           /* directories: the root */
        }
        check_fid(ids + at, sblock, "alpha", 0, &stream_fe);
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

/* With ISO 9660 or without, each stream's data is one extent, before every file's data. */
static void test_stream_data_is_placed_once_before_the_files_data(void **state)
{
    static const uint32_t revisions[] = { 0x201, 0x260 };
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *file = add_memory_file(tree, fsi_tree_root(tree), "f.txt", "main", 4);
    struct fsi_node *other = add_memory_file(tree, fsi_tree_root(tree), "g.txt", "more", 4);
    struct fsi_source data = fsi_source_memory("stream", 6);
    struct fsi_node *stream = NULL;
    uint16_t name[8];
    size_t k, i;
    int iso;
    (void)state;

    assert_int_equal(fsi_tree_add_stream(tree, file, name, ascii_units("s", name), 6, &data,
                                         &stream), FSI_OK);
    for (k = 0; k < sizeof(revisions) / sizeof(revisions[0]); k++)
        for (iso = 0; iso <= 1; iso++) {
            struct fsi_image *image = make_udf_image(tree, revisions[k], iso);
            uint32_t stream_at = 0, stream_extents = 0, first_file = UINT32_MAX;
            for (i = 0; i < fsi_image_extent_count(image); i++) {
                struct fsi_extent_info info;
                fsi_image_extent(image, i, &info);
                if (info.kind != FSI_EXTENT_FILE)
                    continue;
                if (info.file == stream) {
                    stream_at = info.first_sector;
                    stream_extents++;
                } else if (info.file == file || info.file == other) {
                    if (info.first_sector < first_file)
                        first_file = info.first_sector;
                }
            }
            assert_int_equal(stream_extents, 1);
            assert_true(stream_at < first_file);
            fsi_image_destroy(image);
        }
    fsi_tree_destroy(tree);
}

static void test_unknown_revision_and_no_file_system_are_refused(void **state)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_image_options options;
    struct fsi_image *image = NULL;
    (void)state;

    fsi_image_options_init(&options, TEST_TIME);
    options.udf_revision = 0x103;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_INVALID_ARGUMENT);
    options.udf_revision = 0;
    options.iso9660 = 0;
    options.joliet = 0;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_INVALID_ARGUMENT);
    options.joliet = 1;
    options.udf_revision = 0x102;
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_E_INVALID_ARGUMENT);
    assert_null(image);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_revision_has_recognition_anchors_and_sequences),
        cmocka_unit_test(test_file_entries_and_identifiers_follow_ecma_167),
        cmocka_unit_test(test_bridge_shares_each_files_data_with_iso9660),
        cmocka_unit_test(test_space_bitmap_marks_exactly_the_unused_blocks),
        cmocka_unit_test(test_metadata_partition_has_files_and_a_mirror_copy),
        cmocka_unit_test(test_file_of_4_5_gib_takes_five_allocation_descriptors),
        cmocka_unit_test(test_names_too_long_for_cs0_are_shortened_uniquely),
        cmocka_unit_test(test_named_streams_have_a_stream_directory_from_2_00),
        cmocka_unit_test(test_stream_data_is_placed_once_before_the_files_data),
        cmocka_unit_test(test_unknown_revision_and_no_file_system_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
