/*
 * The UDF reader (src/core/udf_import.c) through fsi_disc_import(): round trips through the
 * engine's own writer for every revision, bridged and alone (names long and non-ASCII, hidden
 * items, empty files and directories, times to the microsecond, real-time files, named streams,
 * a 4.5 GiB file in five extents, a directory whose identifiers cross sectors), an imported tree
 * written again and read back, then damaged volumes: targeted ones (an identifier running past
 * its directory, an extent outside its partition, a directory inside itself, a metadata file
 * without extents, entries whose lengths run past their block, loops of continuation extents,
 * unsupported structures) and a few thousand deterministic pseudo-random ones that must each
 * give a tree or an error with a sentence, never a crash, a hang or a read off the disc.
 */
#include "image_test_util.h"

#include <stddef.h>

#include "ecma167.h"
#include "openfsi/import.h"
#include "openfsi/media.h"
#include "udf_descriptor.h"

static const uint32_t all_revisions[] = { 0x102, 0x150, 0x200, 0x201, 0x250, 0x260 };
#define REVISION_COUNT (sizeof(all_revisions) / sizeof(all_revisions[0]))
#define BASE_TIME ((fsi_time)132000000000000000ll)     /* 2019-04-16 */

static const uint16_t label[] = { 'U', 'D', 'F', ' ', 'I', 'm', 'p', 'o', 'r', 't' };

/* ---- Discs ---- */

/* A disc in memory; reading past sector_count fails the test (the reader must never ask). */
struct memory_disc {
    struct fsi_disc disc;
    uint8_t *data;
    uint32_t sectors;                   /* what `data` holds */
};

static enum fsi_status memory_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    struct memory_disc *m = context;
    assert_true((uint64_t)first + count <= m->disc.sector_count);
    assert_true((uint64_t)first + count <= m->sectors);
    memcpy(buffer, m->data + (size_t)first * FSI_SECTOR_SIZE, (size_t)count * FSI_SECTOR_SIZE);
    return FSI_OK;
}

static void memory_disc_init(struct memory_disc *m, uint8_t *data, uint32_t sectors)
{
    m->data = data;
    m->sectors = sectors;
    m->disc.read = memory_read;
    m->disc.context = m;
    m->disc.sector_count = sectors;
}

/* A disc served by an image reader, for images too large for memory. */
static enum fsi_status image_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    return fsi_reader_read(context, (uint64_t)first * FSI_SECTOR_SIZE, buffer,
                           (size_t)count * FSI_SECTOR_SIZE) == FSI_OK
               ? FSI_OK
               : FSI_E_DISC_READ;
}

static struct fsi_image *make_udf_image(struct fsi_tree *tree, uint32_t revision, int iso,
                                        int redundant)
{
    struct fsi_image_options options;
    struct fsi_image *image = NULL;

    fsi_image_options_init(&options, TEST_TIME);
    options.udf_revision = revision;
    options.iso9660 = iso;
    options.joliet = iso;
    options.iso9660_level = 3;
    options.udf_redundant_metadata = redundant;
    options.volume_name = label;
    options.volume_name_length = sizeof(label) / sizeof(label[0]);
    assert_int_equal(fsi_image_create(tree, &options, &image), FSI_OK);
    return image;
}

/* The whole image in memory. */
static uint8_t *render(struct fsi_image *image, uint32_t *sectors)
{
    struct fsi_reader *reader;
    uint8_t *data;

    *sectors = fsi_image_sector_count(image);
    data = malloc((size_t)*sectors * FSI_SECTOR_SIZE);
    assert_non_null(data);
    assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
    assert_int_equal(fsi_reader_read(reader, 0, data, (size_t)*sectors * FSI_SECTOR_SIZE),
                     FSI_OK);
    fsi_reader_destroy(reader);
    return data;
}

static enum fsi_status import_udf(const struct fsi_disc *disc, struct fsi_tree *tree,
                                  struct fsi_import_info *info)
{
    return fsi_disc_import(disc, 0, FSI_FILE_SYSTEM_UDF, tree, info);
}

/* ---- Reading a node's bytes ---- */

static enum fsi_status node_read(const struct fsi_node *node, uint64_t offset, void *buffer,
                                 size_t length)
{
    const struct fsi_source *source = fsi_node_source(node);
    uint8_t *out = buffer;

    if (source->kind == FSI_SOURCE_MEMORY) {
        if (offset + length > source->u.memory.size)
            return FSI_E_SOURCE_SHORT;
        memcpy(buffer, (const uint8_t *)source->u.memory.data + offset, length);
        return FSI_OK;
    }
    if (source->kind != FSI_SOURCE_CALLBACK)
        return length ? FSI_E_SOURCE_SHORT : FSI_OK;
    while (length) {
        size_t done = 0;
        enum fsi_status status = source->u.callback.callbacks->read(source->u.callback.context,
                                                                    offset, out, length, &done);
        if (status != FSI_OK)
            return status;
        if (!done)
            return FSI_E_SOURCE_SHORT;
        out += done;
        offset += done;
        length -= done;
    }
    return FSI_OK;
}

/* The bytes of two nodes are the same, read through their sources. */
static void assert_same_bytes(const struct fsi_node *a, const struct fsi_node *b)
{
    static uint8_t x[1 << 16], y[1 << 16];
    uint64_t size = fsi_node_size(a), offset;

    assert_int_equal(fsi_node_size(b), size);
    for (offset = 0; offset < size; offset += sizeof(x)) {
        size_t n = size - offset < sizeof(x) ? (size_t)(size - offset) : sizeof(x);
        assert_int_equal(node_read(a, offset, x, n), FSI_OK);
        assert_int_equal(node_read(b, offset, y, n), FSI_OK);
        assert_memory_equal(x, y, n);
    }
}

/* ---- The tree a round trip starts from ---- */

static uint8_t pattern[70001];
static uint8_t realtime_data[5000];
static uint8_t stream_data[5003];
static const char zone[] = "[ZoneTransfer]\r\nZoneId=3\r\n";

static struct fsi_node *add_units_file(struct fsi_tree *tree, struct fsi_node *parent,
                                       const uint16_t *name, size_t length, const void *data,
                                       size_t size)
{
    struct fsi_source source = fsi_source_memory(data, size);
    struct fsi_node *node = NULL;
    assert_int_equal(fsi_tree_add_file(tree, parent, name, length, size, &source, &node), FSI_OK);
    return node;
}

static void add_stream(struct fsi_tree *tree, struct fsi_node *file, const char *name,
                       const void *data, size_t size)
{
    uint16_t units[64];
    struct fsi_source source = fsi_source_memory(data, size);
    struct fsi_node *stream = NULL;
    assert_int_equal(fsi_tree_add_stream(tree, file, units, ascii_units(name, units), size,
                                         &source, &stream),
                     FSI_OK);
}

/* Distinct times for every node, down to the microsecond (UDF's precision). */
static void give_times(struct fsi_node *node, int k)
{
    fsi_time base = BASE_TIME + (fsi_time)k * 864000000000ll + (fsi_time)k * 1234560;
    fsi_node_set_times(node, base, base + 30000000ll * 3 + 70, base + 70000000ll + 990);
}

static struct fsi_tree *build_tree(void)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *root = fsi_tree_root(tree), *node, *dir, *deep;
    uint16_t latin[200], mixed[100];
    size_t i;
    int k = 1;

    for (i = 0; i < sizeof(pattern); i++)
        pattern[i] = (uint8_t)(i * 7 + (i >> 11));
    for (i = 0; i < sizeof(realtime_data); i++)
        realtime_data[i] = (uint8_t)(255 - i);
    for (i = 0; i < sizeof(stream_data); i++)
        stream_data[i] = (uint8_t)(i * 13);
    for (i = 0; i < 200; i++)
        latin[i] = i % 3 ? (uint16_t)('a' + i % 26) : 0xE9;        /* e acute */
    for (i = 0; i < 100; i++)
        mixed[i] = i % 2 ? (uint16_t)(0x65E5 + i % 5) : (uint16_t)('A' + i % 26);

    give_times(add_memory_file(tree, root, "hello.txt", "Hello, UDF!\n", 12), k++);
    give_times(add_memory_file(tree, root, "empty.bin", "", 0), k++);
    node = add_memory_file(tree, root, "hidden.txt", "secret", 6);
    fsi_node_set_hidden(node, 1);
    give_times(node, k++);
    dir = add_dir(tree, root, "Hidden Dir");
    fsi_node_set_hidden(dir, 1);
    give_times(dir, k++);
    give_times(add_memory_file(tree, dir, "inner.txt", "inside", 6), k++);
    give_times(add_dir(tree, root, "Empty"), k++);
    give_times(add_units_file(tree, root, latin, 200, "latin", 5), k++);
    give_times(add_units_file(tree, root, mixed, 100, "mixed", 5), k++);
    give_times(add_memory_file(tree, root, "pattern.bin", pattern, sizeof(pattern)), k++);
    node = add_memory_file(tree, root, "realtime.dat", realtime_data, sizeof(realtime_data));
    fsi_node_set_realtime(node, 1);
    give_times(node, k++);
    node = add_memory_file(tree, root, "streams.txt", "with streams", 12);
    give_times(node, k++);
    add_stream(tree, node, "Zone.Identifier", zone, sizeof(zone) - 1);
    add_stream(tree, node, "empty", "", 0);
    add_stream(tree, node, "big", stream_data, sizeof(stream_data));
    deep = root;
    for (i = 0; i < 5; i++) {
        char name[8];
        snprintf(name, sizeof(name), "d%u", (unsigned)i);
        deep = add_dir(tree, deep, name);
        give_times(deep, k++);
    }
    give_times(add_memory_file(tree, deep, "bottom.txt", "bottom", 6), k++);
    dir = add_dir(tree, root, "many");
    give_times(dir, k++);
    for (i = 0; i < 300; i++) {                 /* identifiers over several sectors */
        char name[32];
        snprintf(name, sizeof(name), "file number %03u.txt", (unsigned)i);
        give_times(add_memory_file(tree, dir, name, pattern + i, i % 7), k++);
    }
    return tree;
}

/*
 * The imported directory `b` holds what `a` holds, as the writer of `revision` records it:
 * times of file entries (no creation time: it reads as the modification time), real-time from
 * 2.01, named streams from 2.00 (whose files have extended file entries, with creation times).
 */
static void assert_same_directory(const struct fsi_node *a, const struct fsi_tree *tree,
                                  const struct fsi_node *b, uint32_t revision)
{
    size_t i, count = fsi_node_child_count(a);

    assert_int_equal(fsi_node_child_count(b), count);
    for (i = 0; i < count; i++) {
        const struct fsi_node *x = fsi_node_child(a, i), *y;
        fsi_time xc, xa, xm, yc, ya, ym;
        size_t length, other;
        const uint16_t *name = fsi_node_name(x, &length);
        int extended;
        uint32_t s;

        y = fsi_tree_find(tree, b, name, length);
        assert_non_null(y);
        assert_memory_equal(fsi_node_name(y, &other), name, length * sizeof(uint16_t));
        assert_int_equal(other, length);
        assert_int_equal(fsi_node_is_directory(y), fsi_node_is_directory(x));
        assert_int_equal(fsi_node_is_hidden(y), fsi_node_is_hidden(x));
        fsi_node_times(x, &xc, &xa, &xm);
        fsi_node_times(y, &yc, &ya, &ym);
        assert_true(xm == ym);
        assert_true(xa == ya);
        extended = revision >= 0x200 && fsi_node_stream_count(x) > 0;
        assert_true(yc == (extended ? xc : xm));
        if (fsi_node_is_directory(x)) {
            assert_same_directory(x, tree, y, revision);
            continue;
        }
        assert_int_equal(fsi_node_is_realtime(y), revision >= 0x201 && fsi_node_is_realtime(x));
        assert_same_bytes(x, y);
        assert_int_equal(fsi_node_stream_count(y),
                         revision >= 0x200 ? fsi_node_stream_count(x) : 0);
        for (s = 0; s < fsi_node_stream_count(y); s++) {
            const struct fsi_node *xs = fsi_node_stream(x, s), *ys;
            name = fsi_node_name(xs, &length);
            ys = fsi_node_find_stream(y, name, length);
            assert_non_null(ys);
            assert_int_equal(fsi_node_stream_owner(ys), y);
            assert_same_bytes(xs, ys);
        }
    }
}

static void assert_info(const struct fsi_import_info *info, const struct fsi_tree *tree,
                        uint32_t revision)
{
    assert_int_equal(info->file_system, FSI_FILE_SYSTEM_UDF);
    assert_int_equal(info->volume_name_length, sizeof(label) / sizeof(label[0]));
    assert_memory_equal(info->volume_name, label, sizeof(label));
    assert_int_equal(info->udf_revision, revision);
    assert_int_equal(info->files, fsi_tree_file_count(tree));
    assert_int_equal(info->directories, fsi_tree_directory_count(tree));
    assert_string_equal(info->error, "");
}

/* ---- Round trips ---- */

static void test_round_trip_every_revision_bridged_and_alone(void **state)
{
    struct fsi_tree *tree = build_tree();
    size_t k;
    (void)state;

    for (k = 0; k < REVISION_COUNT; k++) {
        int iso;
        for (iso = 0; iso <= 1; iso++) {
            struct fsi_image *image = make_udf_image(tree, all_revisions[k], iso, 1);
            struct fsi_import_info info;
            struct memory_disc m;
            struct fsi_tree *copy = fsi_tree_create();
            uint32_t sectors, systems = 0;
            uint8_t *data = render(image, &sectors);

            memory_disc_init(&m, data, sectors);
            assert_int_equal(fsi_disc_identify(&m.disc, 0, &systems), FSI_OK);
            assert_true(systems & FSI_FILE_SYSTEM_UDF);
            assert_int_equal(import_udf(&m.disc, copy, &info), FSI_OK);
            assert_info(&info, tree, all_revisions[k]);
            assert_same_directory(fsi_tree_root(tree), copy, fsi_tree_root(copy), all_revisions[k]);
            fsi_tree_destroy(copy);         /* before the disc: the sources read from it */
            free(data);
            fsi_image_destroy(image);
        }
    }
    fsi_tree_destroy(tree);
}

static void test_metadata_without_mirror_copy_round_trips(void **state)
{
    struct fsi_tree *tree = build_tree();
    uint32_t revisions[] = { 0x250, 0x260 };
    size_t k;
    (void)state;

    for (k = 0; k < 2; k++) {
        struct fsi_image *image = make_udf_image(tree, revisions[k], 0, 0);
        struct fsi_import_info info;
        struct memory_disc m;
        struct fsi_tree *copy = fsi_tree_create();
        uint32_t sectors;
        uint8_t *data = render(image, &sectors);

        memory_disc_init(&m, data, sectors);
        assert_int_equal(import_udf(&m.disc, copy, &info), FSI_OK);
        assert_info(&info, tree, revisions[k]);
        assert_same_directory(fsi_tree_root(tree), copy, fsi_tree_root(copy), revisions[k]);
        fsi_tree_destroy(copy);
        free(data);
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

/* An imported tree (its data read from the first disc) written again reads back the same. */
static void test_imported_tree_writes_and_reads_back(void **state)
{
    struct fsi_tree *tree = build_tree(), *first = fsi_tree_create(), *second = fsi_tree_create();
    struct fsi_image *image = make_udf_image(tree, 0x260, 1, 1), *again;
    struct fsi_import_info info;
    struct memory_disc m1, m2;
    uint32_t sectors1, sectors2;
    uint8_t *data1 = render(image, &sectors1), *data2;
    (void)state;

    memory_disc_init(&m1, data1, sectors1);
    assert_int_equal(import_udf(&m1.disc, first, &info), FSI_OK);
    again = make_udf_image(first, 0x201, 0, 1);
    data2 = render(again, &sectors2);
    memory_disc_init(&m2, data2, sectors2);
    assert_int_equal(import_udf(&m2.disc, second, &info), FSI_OK);
    assert_info(&info, tree, 0x201);
    assert_same_directory(fsi_tree_root(tree), second, fsi_tree_root(second), 0x201);
    fsi_tree_destroy(second);
    fsi_image_destroy(again);
    free(data2);
    fsi_tree_destroy(first);
    free(data1);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
}

/* A large file's bytes: every offset has its own value, so a misplaced extent shows. */
static uint8_t big_byte(uint64_t offset)
{
    return (uint8_t)(offset * 31 + (offset >> 11) * 7 + (offset >> 30));
}

static enum fsi_status big_read(void *context, uint64_t offset, void *buffer, size_t length,
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
        out[i] = big_byte(offset + i);
    *done = length;
    return FSI_OK;
}

static const struct fsi_source_callbacks big_callbacks = { big_read, NULL, NULL };

static void test_file_of_4_5_gib_has_five_consecutive_extents(void **state)
{
    const uint64_t size = 4608ull << 20;    /* 4.5 GiB */
    const uint64_t boundary = 0x3FFFF800u;  /* the largest extent in whole blocks */
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_source source = fsi_source_callback(&big_callbacks, (void *)&size);
    struct fsi_node *big = NULL;
    uint16_t name[8];
    size_t k;
    (void)state;

    assert_int_equal(fsi_tree_add_file(tree, fsi_tree_root(tree), name,
                                       ascii_units("big.bin", name), size, &source, &big),
                     FSI_OK);
    add_memory_file(tree, fsi_tree_root(tree), "small.txt", "small", 5);
    for (k = 0; k < REVISION_COUNT; k++) {
        struct fsi_image *image = make_udf_image(tree, all_revisions[k], k % 2, 1);
        struct fsi_tree *copy = fsi_tree_create();
        struct fsi_reader *reader;
        struct fsi_import_info info;
        struct fsi_disc disc;
        const struct fsi_disc_extent *extents;
        const struct fsi_node *node;
        struct fsi_extent_info extent;
        uint64_t offsets[] = { 0, boundary - 5, 2 * boundary - 1000, 3 * boundary, size - 4096,
                               size - 7 };
        uint8_t buffer[8192];
        size_t count, i, e;

        assert_int_equal(fsi_reader_create(image, &reader), FSI_OK);
        disc.read = image_read;
        disc.context = reader;
        disc.sector_count = fsi_image_sector_count(image);
        assert_int_equal(import_udf(&disc, copy, &info), FSI_OK);
        node = fsi_tree_find(copy, fsi_tree_root(copy), name, 7);
        assert_non_null(node);
        assert_true(fsi_node_size(node) == size);
        extents = fsi_node_disc_extents(node, &count);
        assert_int_equal(count, 5);
        for (i = 0; i + 1 < count; i++) {
            assert_int_equal(extents[i].sector_count, boundary / FSI_SECTOR_SIZE);
            assert_int_equal(extents[i + 1].first_sector,
                             extents[i].first_sector + extents[i].sector_count);
        }
        assert_int_equal(extents[4].sector_count,
                         (size - 4 * boundary + FSI_SECTOR_SIZE - 1) / FSI_SECTOR_SIZE);
        /* Where the writer put the data. */
        for (e = 0; e < fsi_image_extent_count(image); e++) {
            fsi_image_extent(image, e, &extent);
            if (extent.kind == FSI_EXTENT_FILE && extent.file == big)
                break;
        }
        assert_true(e < fsi_image_extent_count(image));
        assert_int_equal(extents[0].first_sector, extent.first_sector);
        for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
            size_t n = size - offsets[i] < sizeof(buffer) ? (size_t)(size - offsets[i])
                                                          : sizeof(buffer), j;
            assert_int_equal(node_read(node, offsets[i], buffer, n), FSI_OK);
            for (j = 0; j < n; j++)
                assert_int_equal(buffer[j], big_byte(offsets[i] + j));
        }
        fsi_tree_destroy(copy);
        fsi_reader_destroy(reader);
        fsi_image_destroy(image);
    }
    fsi_tree_destroy(tree);
}

/* ---- Finding structures in an image in memory, to damage them ---- */

struct view {
    struct memory_disc m;
    uint8_t *pristine;
    uint32_t sectors;
    uint32_t vds[2];                    /* main and reserve sequences */
    uint32_t lvd_sector[2];
    uint32_t partition_start, partition_length;
    uint32_t metadata_file, mirror_file; /* blocks of their entries (2.50+) */
    uint32_t root_sector;               /* the root directory's entry */
};

static uint8_t *at(struct view *v, uint32_t sector)
{
    assert_true(sector < v->sectors);
    return v->m.data + (size_t)sector * FSI_SECTOR_SIZE;
}

/* Recomputes a descriptor's CRC over `length` bytes after its tag, and its checksum. */
static void refinish(uint8_t *d, uint16_t crc_length)
{
    udf_tag_finish_crc(d, get_le16(d), get_le16(d + 2), get_le16(d + 6), get_le32(d + 12),
                       crc_length);
}

/* The same over the length the tag already says. */
static void refinish_same(uint8_t *d)
{
    refinish(d, get_le16(d + 10));
}

static void view_open(struct view *v, struct fsi_tree *tree, uint32_t revision, int redundant)
{
    struct fsi_image *image = make_udf_image(tree, revision, 0, redundant);
    const uint8_t *anchor, *fsd;
    uint32_t i, k;

    memset(v, 0, sizeof(*v));
    v->m.data = render(image, &v->sectors);
    fsi_image_destroy(image);
    v->pristine = malloc((size_t)v->sectors * FSI_SECTOR_SIZE);
    assert_non_null(v->pristine);
    memcpy(v->pristine, v->m.data, (size_t)v->sectors * FSI_SECTOR_SIZE);
    memory_disc_init(&v->m, v->m.data, v->sectors);
    anchor = at(v, 256);
    v->vds[0] = get_le32(anchor + 20);
    v->vds[1] = get_le32(anchor + 28);
    for (k = 0; k < 2; k++)
        for (i = 0; i < 16; i++) {
            const uint8_t *s = at(v, v->vds[k] + i);
            if (get_le16(s) == UDF_TAG_TERMINATING_DESCRIPTOR)
                break;
            if (get_le16(s) == UDF_TAG_PARTITION_DESCRIPTOR) {
                v->partition_start = get_le32(s + 188);
                v->partition_length = get_le32(s + 192);
            }
            if (get_le16(s) == UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR) {
                v->lvd_sector[k] = v->vds[k] + i;
                if (get_le32(s + 268) == 2) {
                    v->metadata_file = get_le32(s + UDF_LVD_FIXED_SIZE + 6 + 40);
                    v->mirror_file = get_le32(s + UDF_LVD_FIXED_SIZE + 6 + 44);
                }
            }
        }
    assert_true(v->partition_start && v->lvd_sector[0]);
    fsd = at(v, v->partition_start);    /* block 0; metadata block n is physical block n */
    assert_int_equal(get_le16(fsd), UDF_TAG_FILE_SET_DESCRIPTOR);
    v->root_sector = v->partition_start +
                     get_le32(fsd + offsetof(struct udf_file_set_descriptor, root_directory_icb) +
                              4);
}

static void view_close(struct view *v)
{
    free(v->m.data);
    free(v->pristine);
}

static void view_restore(struct view *v)
{
    memcpy(v->m.data, v->pristine, (size_t)v->sectors * FSI_SECTOR_SIZE);
    v->m.disc.sector_count = v->sectors;
}

/* An entry's fixed size, and where its allocation descriptors are. */
static uint32_t entry_fixed(const uint8_t *e)
{
    return get_le16(e) == UDF_TAG_EXTENDED_FILE_ENTRY ? UDF_EFE_FIXED_SIZE : UDF_FE_FIXED_SIZE;
}

static uint8_t *entry_lea(uint8_t *e) { return e + entry_fixed(e) - 8; }
static uint8_t *entry_lad(uint8_t *e) { return e + entry_fixed(e) - 4; }
static uint8_t *entry_ads(uint8_t *e) { return e + entry_fixed(e) + get_le32(entry_lea(e)); }
static uint16_t entry_crc_length(uint8_t *e)
{
    return (uint16_t)(entry_fixed(e) + get_le32(entry_lea(e)) + get_le32(entry_lad(e)) - 16);
}

/* The first sector of an entry's data (its first allocation descriptor, short or long). */
static uint32_t entry_data_sector(struct view *v, uint8_t *e)
{
    return v->partition_start + get_le32(entry_ads(e) + 4);
}

/* The identifier named `name` in the directory whose entry is at `sector`, and its item's entry. */
static uint8_t *find_fid(struct view *v, uint32_t directory_sector, const char *name,
                         uint32_t *entry_sector)
{
    uint8_t *e = at(v, directory_sector);
    uint8_t *ids = at(v, entry_data_sector(v, e));
    uint64_t length = get_le64(e + 56), offset = 0;
    size_t n = strlen(name);

    while (offset < length) {
        uint8_t *fid = ids + offset;
        uint8_t fi = fid[19];
        uint16_t iu = get_le16(fid + 36);
        if (fi == n + 1 && fid[38 + iu] == 8 && !memcmp(fid + 38 + iu + 1, name, n)) {
            if (entry_sector)
                *entry_sector = v->partition_start + get_le32(fid + 20 + 4);
            return fid;
        }
        offset += UDF_FID_SIZE(iu, fi);
    }
    fail_msg("no identifier %s", name);
    return NULL;
}

static struct fsi_tree *small_tree(void)
{
    struct fsi_tree *tree = fsi_tree_create();
    struct fsi_node *sub;

    add_memory_file(tree, fsi_tree_root(tree), "a.txt", pattern, 3000);
    add_memory_file(tree, fsi_tree_root(tree), "small.txt", pattern + 5, 100);
    sub = add_dir(tree, fsi_tree_root(tree), "sub");
    add_memory_file(tree, sub, "b.txt", "bee", 3);
    add_memory_file(tree, sub, "c.txt", "sea", 3);
    return tree;
}

/* Imports the view's disc into a fresh tree; returns the status, the tree in *out (or freed). */
static enum fsi_status import_view(struct view *v, struct fsi_import_info *info,
                                   struct fsi_tree **out)
{
    struct fsi_tree *tree = fsi_tree_create();
    enum fsi_status status = import_udf(&v->m.disc, tree, info);

    if (status != FSI_OK) {
        assert_true(info->error[0] != 0);
        assert_int_equal(fsi_tree_file_count(tree), 0);     /* nothing half imported */
        assert_int_equal(fsi_tree_directory_count(tree), 0);
    }
    if (out)
        *out = tree;
    else
        fsi_tree_destroy(tree);
    return status;
}

static void expect_failure(struct view *v, enum fsi_status expected, const char *words)
{
    struct fsi_import_info info;
    enum fsi_status status = import_view(v, &info, NULL);
    if (status != expected || !strstr(info.error, words))
        fail_msg("status %d, expected %d; error \"%s\", expected \"%s\"", (int)status,
                 (int)expected, info.error, words);
}

static void expect_success(struct view *v, const struct fsi_tree *original, uint32_t revision)
{
    struct fsi_import_info info;
    struct fsi_tree *tree = NULL;
    enum fsi_status status = import_view(v, &info, &tree);
    if (status != FSI_OK)
        fail_msg("status %d: %s", (int)status, info.error);
    assert_same_directory(fsi_tree_root((struct fsi_tree *)original), tree, fsi_tree_root(tree),
                          revision);
    fsi_tree_destroy(tree);
}

/* ---- Targeted damage ---- */

static void test_identifier_running_past_its_directory_is_refused(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint8_t *fid;
    (void)state;

    view_open(&v, tree, 0x102, 1);
    fid = find_fid(&v, v.root_sector, "sub", NULL);     /* the last identifier of the root */
    put_le16(fid + 36, 0xFFF0);                         /* implementation use length */
    refinish_same(fid);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "runs past the end of its directory");
    view_restore(&v);
    fid = find_fid(&v, v.root_sector, "a.txt", NULL);
    fid[19] = 200;                                      /* name length */
    refinish_same(fid);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "file identifier");
    view_restore(&v);
    expect_success(&v, tree, 0x102);
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_extent_outside_its_partition_is_refused(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint32_t sector;
    uint8_t *e;
    (void)state;

    view_open(&v, tree, 0x102, 1);
    find_fid(&v, v.root_sector, "a.txt", &sector);
    e = at(&v, sector);
    put_le32(entry_ads(e) + 4, v.partition_length + 5);
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "outside its partition");
    view_restore(&v);
    put_le32(entry_ads(e) + 4, v.partition_length - 1);   /* starts inside, runs out */
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "outside its partition");
    view_restore(&v);
    /* An identifier naming a partition the volume does not have. */
    put_le16(find_fid(&v, v.root_sector, "a.txt", NULL) + 20 + 8, 7);
    refinish_same(find_fid(&v, v.root_sector, "a.txt", NULL));
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "partition the logical volume does not have");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_directory_inside_itself_is_a_loop(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint32_t sub, root_block;
    uint8_t *fid;
    (void)state;

    view_open(&v, tree, 0x102, 1);
    find_fid(&v, v.root_sector, "sub", &sub);
    fid = find_fid(&v, sub, "b.txt", NULL);
    fid[18] |= UDF_FID_DIRECTORY;
    put_le32(fid + 20 + 4, sub - v.partition_start);   /* "b.txt" is sub itself */
    refinish_same(fid);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "met twice (a loop)");
    view_restore(&v);
    root_block = v.root_sector - v.partition_start;
    fid = find_fid(&v, sub, "c.txt", NULL);
    fid[18] |= UDF_FID_DIRECTORY;
    put_le32(fid + 20 + 4, root_block);                 /* "c.txt" is the root */
    refinish_same(fid);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "met twice (a loop)");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_metadata_file_without_extents_falls_back_to_the_mirror(void **state)
{
    struct fsi_tree *tree = small_tree();
    int redundant;
    (void)state;

    for (redundant = 0; redundant <= 1; redundant++) {
        struct view v;
        uint8_t *main_entry, *mirror_entry;

        view_open(&v, tree, 0x250, redundant);
        assert_true(v.metadata_file && v.mirror_file);
        main_entry = at(&v, v.partition_start + v.metadata_file);
        mirror_entry = at(&v, v.partition_start + v.mirror_file);
        assert_int_equal(main_entry[16 + 11], UDF_FILE_TYPE_METADATA);
        put_le32(entry_lad(main_entry), 0);
        refinish(main_entry, entry_crc_length(main_entry));
        expect_success(&v, tree, 0x250);
        put_le32(entry_lad(mirror_entry), 0);
        refinish(mirror_entry, entry_crc_length(mirror_entry));
        expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "has no extents");
        view_restore(&v);
        memset(main_entry, 0, FSI_SECTOR_SIZE);         /* no metadata file entry at all */
        expect_success(&v, tree, 0x250);
        view_close(&v);
    }
    fsi_tree_destroy(tree);
}

static void test_damaged_metadata_is_read_from_the_mirror(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint32_t sub;
    (void)state;

    view_open(&v, tree, 0x260, 1);
    find_fid(&v, v.root_sector, "sub", &sub);
    at(&v, sub)[100] ^= 0x40;                           /* the main copy's "sub" entry */
    expect_success(&v, tree, 0x260);
    view_restore(&v);
    memset(at(&v, v.root_sector), 0, FSI_SECTOR_SIZE);
    expect_success(&v, tree, 0x260);
    view_close(&v);
    /* Without a second copy, the damage stays. */
    view_open(&v, tree, 0x260, 0);
    find_fid(&v, v.root_sector, "sub", &sub);
    at(&v, sub)[100] ^= 0x40;
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "its tag is damaged");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_lengths_past_the_entry_block_are_refused(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint32_t sector;
    uint8_t *e;
    (void)state;

    view_open(&v, tree, 0x102, 1);
    find_fid(&v, v.root_sector, "a.txt", &sector);
    e = at(&v, sector);
    put_le32(entry_lea(e), 3000);
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "run past its block");
    view_restore(&v);
    put_le32(entry_lad(e), 5000);
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "run past its block");
    view_restore(&v);
    put_le32(entry_lea(e), 0xFFFFFFF0u);                /* wraps if added carelessly */
    put_le32(entry_lad(e), 0x20);
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "run past its block");
    view_restore(&v);
    put_le64(e + 56, 3000 + 2049);                      /* longer than its extents */
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "fewer bytes than its information length");
    view_close(&v);
    fsi_tree_destroy(tree);
}

/* A zero block of the partition before `limit` that nothing uses (slack). */
static uint32_t free_block(struct view *v, uint32_t limit)
{
    static const uint8_t zeros[FSI_SECTOR_SIZE];
    uint32_t s;
    for (s = v->partition_start + 2; s < limit; s++)
        if (!memcmp(at(v, s), zeros, FSI_SECTOR_SIZE))
            return s;
    fail_msg("no free block");
    return 0;
}

static void test_allocation_extent_descriptors_continue_and_loops_end(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct fsi_tree *copy;
    struct fsi_import_info info;
    struct view v;
    const struct fsi_disc_extent *extents;
    const struct fsi_node *node;
    uint32_t sector, data, aed, k;
    uint16_t name[8];
    size_t count;
    uint8_t *e, *ads, *d;
    (void)state;

    view_open(&v, tree, 0x102, 1);
    find_fid(&v, v.root_sector, "a.txt", &sector);
    e = at(&v, sector);
    data = entry_data_sector(&v, e);
    aed = free_block(&v, data);
    ads = entry_ads(e);
    udf_put_short_ad((struct udf_short_ad *)ads, 2048, data - v.partition_start);
    udf_put_short_ad((struct udf_short_ad *)(ads + 8), 2048 | UDF_EXTENT_NEXT_ALLOCATION_DESCRIPTORS,
                     aed - v.partition_start);
    put_le32(entry_lad(e), 16);
    refinish(e, entry_crc_length(e));
    d = at(&v, aed);
    put_le32(d + 20, 8);
    udf_put_short_ad((struct udf_short_ad *)(d + 24), 3000 - 2048, data + 1 - v.partition_start);
    udf_tag_finish(d, UDF_TAG_ALLOCATION_EXTENT_DESCRIPTOR, 2, 1, aed - v.partition_start, 32);
    expect_success(&v, tree, 0x102);
    assert_int_equal(import_view(&v, &info, &copy), FSI_OK);
    node = fsi_tree_find(copy, fsi_tree_root(copy), name, ascii_units("a.txt", name));
    extents = fsi_node_disc_extents(node, &count);
    assert_int_equal(count, 2);
    assert_int_equal(extents[0].first_sector, data);
    assert_int_equal(extents[1].first_sector, data + 1);
    fsi_tree_destroy(copy);
    /* An allocation extent descriptor that continues into itself, and one with a bad tag. */
    udf_put_short_ad((struct udf_short_ad *)(d + 24), 2048 | UDF_EXTENT_NEXT_ALLOCATION_DESCRIPTORS,
                     aed - v.partition_start);
    udf_tag_finish(d, UDF_TAG_ALLOCATION_EXTENT_DESCRIPTOR, 2, 1, aed - v.partition_start, 32);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "(a loop?)");
    put_le32(d + 12, 3);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "allocation extent descriptor");
    /* Many extents of one block: each is a run of its own. */
    view_restore(&v);
    e = at(&v, sector);
    ads = entry_ads(e);
    for (k = 0; k < 2; k++)
        udf_put_short_ad((struct udf_short_ad *)(ads + 8 * k), k ? 3000 - 2048 : 2048,
                         data + k - v.partition_start);
    put_le32(entry_lad(e), 16);
    refinish(e, entry_crc_length(e));
    expect_success(&v, tree, 0x102);
    /* An extent other than the last that is not whole blocks. */
    udf_put_short_ad((struct udf_short_ad *)ads, 1000, data - v.partition_start);
    udf_put_short_ad((struct udf_short_ad *)(ads + 8), 2000, data + 1 - v.partition_start);
    refinish(e, entry_crc_length(e));
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "not a whole number of blocks");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_embedded_data_is_read_from_the_entry(void **state)
{
    struct fsi_tree *tree = small_tree(), *copy;
    struct fsi_import_info info;
    struct view v;
    const struct fsi_node *node;
    uint32_t sector;
    uint16_t name[16];
    size_t count;
    uint8_t *e, bytes[100];
    (void)state;

    view_open(&v, tree, 0x201, 1);
    find_fid(&v, v.root_sector, "small.txt", &sector);
    e = at(&v, sector);
    memset(at(&v, entry_data_sector(&v, e)), 0xEE, 100);    /* not where the bytes come from */
    put_le16(e + 16 + 18, (uint16_t)((get_le16(e + 16 + 18) & ~7u) | UDF_ICB_FLAG_AD_EMBEDDED));
    memcpy(entry_ads(e), pattern + 5, 100);
    put_le32(entry_lad(e), 100);
    refinish(e, entry_crc_length(e));
    assert_int_equal(import_view(&v, &info, &copy), FSI_OK);
    node = fsi_tree_find(copy, fsi_tree_root(copy), name, ascii_units("small.txt", name));
    assert_non_null(node);
    assert_true(fsi_node_size(node) == 100);
    assert_int_equal(node_read(node, 0, bytes, 100), FSI_OK);
    assert_memory_equal(bytes, pattern + 5, 100);
    fsi_node_disc_extents(node, &count);
    assert_int_equal(count, 0);
    fsi_tree_destroy(copy);
    put_le32(entry_lad(e), 99);                         /* less than its length */
    refinish(e, entry_crc_length(e));
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "larger than its embedded data");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_unsupported_structures_are_refused_with_a_reason(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint32_t sector;
    uint8_t *e, *lvd;
    (void)state;

    view_open(&v, tree, 0x250, 1);
    lvd = at(&v, v.lvd_sector[0]);
    memcpy(lvd + UDF_LVD_FIXED_SIZE + 6 + 5, "*UDF Sparable Partition", 23);
    refinish_same(lvd);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "sparable partition");
    memcpy(lvd + UDF_LVD_FIXED_SIZE + 6 + 5, "*UDF Virtual Partition\0", 23);
    refinish_same(lvd);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "virtual partition");
    view_restore(&v);
    put_le32(lvd + 212, 4096);                          /* logical block size */
    refinish_same(lvd);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "not 2048 bytes");
    view_close(&v);

    view_open(&v, tree, 0x102, 1);
    find_fid(&v, v.root_sector, "a.txt", &sector);
    e = at(&v, sector);
    put_le16(e + 16 + 4, 4096);                         /* strategy */
    refinish_same(e);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "strategy 4096");
    view_restore(&v);
    put_le16(e + 16 + 18, (uint16_t)((get_le16(e + 16 + 18) & ~7u) | UDF_ICB_FLAG_AD_EXTENDED));
    refinish_same(e);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "extended allocation descriptors");
    view_restore(&v);
    put_le32(entry_ads(e), get_le32(entry_ads(e)) | UDF_EXTENT_NOT_RECORDED_ALLOCATED);
    refinish_same(e);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "sparse file");
    view_restore(&v);
    e[16 + 11] = UDF_FILE_TYPE_SYMLINK;
    refinish_same(e);
    expect_failure(&v, FSI_E_NOT_IMPLEMENTED, "symbolic link");
    view_restore(&v);
    e[16 + 11] = UDF_FILE_TYPE_DIRECTORY;               /* the identifier says file */
    refinish_same(e);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "its file type says directory");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_damaged_anchor_or_sequence_uses_another(void **state)
{
    struct fsi_tree *tree = small_tree();
    struct view v;
    uint32_t systems = 0;
    uint8_t *lvd;
    (void)state;

    view_open(&v, tree, 0x201, 1);
    memset(at(&v, 256), 0, FSI_SECTOR_SIZE);
    expect_success(&v, tree, 0x201);                    /* the anchor at N - 1 */
    memset(at(&v, v.sectors - 1), 0, FSI_SECTOR_SIZE);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "anchor");
    assert_int_equal(fsi_disc_identify(&v.m.disc, 0, &systems), FSI_OK);
    assert_false(systems & FSI_FILE_SYSTEM_UDF);
    view_restore(&v);
    lvd = at(&v, v.lvd_sector[0]);
    lvd[300] ^= 1;                                      /* its CRC no longer matches */
    expect_success(&v, tree, 0x201);                    /* the reserve sequence */
    at(&v, v.lvd_sector[1])[300] ^= 1;
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "a volume descriptor at sector");
    view_restore(&v);
    memset(at(&v, v.vds[0]), 0, 16 * FSI_SECTOR_SIZE);  /* no main sequence at all */
    expect_success(&v, tree, 0x201);
    view_restore(&v);
    put_le32(lvd + 264, 0);                             /* no partition maps */
    refinish_same(lvd);
    expect_success(&v, tree, 0x201);
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_deleted_and_badly_named_identifiers(void **state)
{
    struct fsi_tree *tree = small_tree(), *copy;
    struct fsi_import_info info;
    struct view v;
    uint16_t name[8];
    uint8_t *fid;
    (void)state;

    view_open(&v, tree, 0x102, 1);
    fid = find_fid(&v, v.root_sector, "a.txt", NULL);
    fid[18] |= UDF_FID_DELETED;
    refinish_same(fid);
    assert_int_equal(import_view(&v, &info, &copy), FSI_OK);
    assert_null(fsi_tree_find(copy, fsi_tree_root(copy), name, ascii_units("a.txt", name)));
    assert_non_null(fsi_tree_find(copy, fsi_tree_root(copy), name, ascii_units("sub", name)));
    assert_int_equal(info.files, 3);
    fsi_tree_destroy(copy);
    view_restore(&v);
    fid = find_fid(&v, v.root_sector, "a.txt", NULL);
    fid[38 + get_le16(fid + 36)] = 7;                   /* compression id */
    refinish_same(fid);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "not OSTA Compressed Unicode");
    view_restore(&v);
    memcpy(fid + 38 + get_le16(fid + 36) + 1, "s:b", 3);    /* "s:bxt": Windows refuses ':' */
    refinish_same(fid);
    expect_failure(&v, FSI_E_CORRUPT_FILE_SYSTEM, "cannot be imported");
    view_close(&v);
    fsi_tree_destroy(tree);
}

static void test_depth_is_bounded(void **state)
{
    int levels[] = { 1024, 1025 };
    int k;
    (void)state;

    for (k = 0; k < 2; k++) {
        struct fsi_tree *tree = fsi_tree_create(), *copy = fsi_tree_create();
        struct fsi_node *node = fsi_tree_root(tree);
        struct fsi_image *image;
        struct fsi_import_info info;
        struct memory_disc m;
        uint32_t sectors;
        uint8_t *data;
        int i;

        for (i = 0; i < levels[k]; i++)
            node = add_dir(tree, node, "d");
        add_memory_file(tree, node, "f", "f", 1);
        image = make_udf_image(tree, 0x150, 0, 1);
        data = render(image, &sectors);
        memory_disc_init(&m, data, sectors);
        if (k == 0) {
            assert_int_equal(import_udf(&m.disc, copy, &info), FSI_OK);
            assert_int_equal(info.directories, 1024);
            assert_int_equal(info.files, 1);
        } else {
            assert_int_equal(import_udf(&m.disc, copy, &info), FSI_E_CORRUPT_FILE_SYSTEM);
            assert_non_null(strstr(info.error, "deeper than 1024"));
        }
        fsi_tree_destroy(copy);
        free(data);
        fsi_image_destroy(image);
        fsi_tree_destroy(tree);
    }
}

static void test_no_udf_and_a_failed_import_leaves_the_tree_alone(void **state)
{
    struct fsi_tree *tree = small_tree(), *target = fsi_tree_create();
    struct fsi_image *image = make_image(tree, 2, 1);       /* ISO 9660 and Joliet only */
    struct fsi_import_info info;
    struct memory_disc m;
    struct view v;
    uint32_t sectors, systems = 0;
    uint8_t *data = render(image, &sectors);
    (void)state;

    memory_disc_init(&m, data, sectors);
    assert_int_equal(fsi_disc_identify(&m.disc, 0, &systems), FSI_OK);
    assert_false(systems & FSI_FILE_SYSTEM_UDF);
    assert_int_equal(import_udf(&m.disc, target, &info), FSI_E_NOT_FOUND);
    assert_true(info.error[0] != 0);
    free(data);
    fsi_image_destroy(image);

    add_memory_file(target, fsi_tree_root(target), "keep.txt", "keep", 4);
    view_open(&v, tree, 0x102, 1);
    {
        uint32_t sub;
        find_fid(&v, v.root_sector, "sub", &sub);
        at(&v, sub)[100] ^= 1;                          /* "sub" is met after a.txt */
    }
    assert_int_equal(import_udf(&v.m.disc, target, &info), FSI_E_CORRUPT_FILE_SYSTEM);
    assert_int_equal(fsi_tree_file_count(target), 1);
    assert_int_equal(fsi_node_child_count(fsi_tree_root(target)), 1);
    assert_int_equal(info.files, 0);
    view_close(&v);
    fsi_tree_destroy(target);
    fsi_tree_destroy(tree);
}

/* ---- Pseudo-random damage ---- */

static uint32_t rng_state;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

struct tag_place {
    size_t offset;                      /* byte offset in the image */
    uint16_t crc_length;
};

/* Every descriptor tag in the metadata sectors of the image (where they may start). */
static size_t find_tags(struct view *v, struct tag_place *tags, size_t capacity)
{
    size_t count = 0, offset;
    size_t end = (size_t)v->sectors * FSI_SECTOR_SIZE;

    for (offset = 0; offset + 16 <= end && count < capacity; offset += 4) {
        const uint8_t *d = v->m.data + offset;
        uint16_t id = get_le16(d), crc_length = get_le16(d + 10);
        if (!((id >= 1 && id <= 9) || (id >= 256 && id <= 266)) || d[5] != 0 ||
            d[4] != udf_tag_checksum(d) || offset + 16 + crc_length > end)
            continue;
        if (udf_crc(d + 16, crc_length) != get_le16(d + 8))
            continue;
        tags[count].offset = offset;
        tags[count].crc_length = crc_length;
        count++;
    }
    return count;
}

/* Fixes the CRC and checksum of every tag whose descriptor covers byte `offset`. */
static void fix_tags(struct view *v, const struct tag_place *tags, size_t count, size_t offset)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (offset >= tags[i].offset && offset < tags[i].offset + 16 + tags[i].crc_length) {
            uint8_t *d = v->m.data + tags[i].offset;
            uint16_t crc_length = get_le16(d + 10);
            if (tags[i].offset + 16 + crc_length > (size_t)v->sectors * FSI_SECTOR_SIZE)
                crc_length = tags[i].crc_length;
            refinish(d, crc_length);
        }
}

static const uint32_t nasty[] = { 0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF, 0x100, 0x7FF, 0x800, 0x801,
                                  0xFFFF, 0x10000, 0x3FFFF800, 0x40000000, 0x7FFFFFFF,
                                  0x80000000, 0xC0000000, 0xFFFFFFFE, 0xFFFFFFFF };

/* Reads every file's and stream's bytes of an imported tree (they must all read). */
static void read_everything(const struct fsi_node *directory)
{
    static uint8_t buffer[1 << 16];
    size_t i;

    for (i = 0; i < fsi_node_child_count(directory); i++) {
        const struct fsi_node *node = fsi_node_child(directory, i);
        uint32_t s;
        if (fsi_node_is_directory(node)) {
            read_everything(node);
            continue;
        }
        for (s = 0; s <= fsi_node_stream_count(node); s++) {
            const struct fsi_node *item = s ? fsi_node_stream(node, s - 1) : node;
            uint64_t offset, size = fsi_node_size(item);
            for (offset = 0; offset < size; offset += sizeof(buffer)) {
                size_t n = size - offset < sizeof(buffer) ? (size_t)(size - offset)
                                                          : sizeof(buffer);
                assert_int_equal(node_read(item, offset, buffer, n), FSI_OK);
            }
        }
    }
}

static void damage_many_times(struct fsi_tree *original, uint32_t revision, int redundant,
                              uint32_t seed, int variants, int *outcomes)
{
    static struct tag_place tags[8192];
    struct view v;
    size_t tag_count;
    int n;

    view_open(&v, original, revision, redundant);
    tag_count = find_tags(&v, tags, sizeof(tags) / sizeof(tags[0]));
    assert_true(tag_count > 10);
    rng_state = seed;
    for (n = 0; n < variants; n++) {
        struct fsi_import_info info;
        struct fsi_tree *tree = NULL;
        uint32_t mode = rng() % 10, k, changes = 1 + rng() % 3;
        enum fsi_status status;

        for (k = 0; k < changes; k++) {
            const struct tag_place *t = &tags[rng() % tag_count];
            size_t span = 16 + t->crc_length, offset;
            if (mode < 4) {                     /* random bytes in a descriptor */
                offset = t->offset + rng() % span;
                v.m.data[offset] = (uint8_t)rng();
                if (rng() % 4)
                    fix_tags(&v, tags, tag_count, offset);
            } else if (mode < 8) {              /* a nasty number in a descriptor */
                uint32_t value = rng() % 3 ? nasty[rng() % (sizeof(nasty) / sizeof(nasty[0]))]
                                           : rng() % (2 * v.sectors);
                offset = t->offset + 16 + (rng() % span & ~(size_t)1);
                if (offset + 4 > t->offset + span)
                    offset = t->offset + 16;
                if (rng() % 2)
                    put_le32(v.m.data + offset, value);
                else
                    put_le16(v.m.data + offset, (uint16_t)value);
                fix_tags(&v, tags, tag_count, offset);
            } else if (mode == 8) {             /* a descriptor copied over another */
                const struct tag_place *u = &tags[rng() % tag_count];
                size_t length = 16 + u->crc_length;
                if (length > span)
                    length = span;
                memmove(v.m.data + t->offset, v.m.data + u->offset, length);
                if (rng() % 2) {
                    put_le32(v.m.data + t->offset + 12, get_le32(v.pristine + t->offset + 12));
                    refinish_same(v.m.data + t->offset);
                }
            } else {                            /* the disc cut short */
                v.m.disc.sector_count = rng() % v.sectors;
            }
        }
        status = import_view(&v, &info, &tree);
        assert_true(status == FSI_OK || status == FSI_E_CORRUPT_FILE_SYSTEM ||
                    status == FSI_E_NOT_IMPLEMENTED || status == FSI_E_NOT_FOUND);
        outcomes[status == FSI_OK ? 0 : status == FSI_E_CORRUPT_FILE_SYSTEM ? 1 : 2]++;
        if (status == FSI_OK)
            read_everything(fsi_tree_root(tree));
        fsi_tree_destroy(tree);
        view_restore(&v);
    }
    view_close(&v);
}

static void test_damaged_images_give_a_tree_or_an_error(void **state)
{
    struct fsi_tree *tree = build_tree();
    int outcomes[3] = { 0, 0, 0 }, variants = 1000;
    const char *more = getenv("UDF_IMPORT_VARIANTS");  /* for longer runs by hand */
    uint32_t seed = 0;
    (void)state;

    if (more && atoi(more) > 0) {
        variants = atoi(more);
        seed = (uint32_t)variants * 2654435761u;
    }
    damage_many_times(tree, 0x102, 1, 0x12345678u ^ seed, variants, outcomes);
    damage_many_times(tree, 0x201, 1, 0x9E3779B9u ^ seed, variants, outcomes);
    damage_many_times(tree, 0x250, 0, 0x2545F491u ^ seed, variants, outcomes);
    damage_many_times(tree, 0x260, 1, 0x6C078965u ^ seed, variants, outcomes);
    print_message("damaged images: %d read, %d refused as corrupt, %d otherwise\n", outcomes[0],
                  outcomes[1], outcomes[2]);
    assert_true(outcomes[0] > 0 && outcomes[1] > 0);
    fsi_tree_destroy(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_revision_bridged_and_alone),
        cmocka_unit_test(test_metadata_without_mirror_copy_round_trips),
        cmocka_unit_test(test_imported_tree_writes_and_reads_back),
        cmocka_unit_test(test_file_of_4_5_gib_has_five_consecutive_extents),
        cmocka_unit_test(test_identifier_running_past_its_directory_is_refused),
        cmocka_unit_test(test_extent_outside_its_partition_is_refused),
        cmocka_unit_test(test_directory_inside_itself_is_a_loop),
        cmocka_unit_test(test_metadata_file_without_extents_falls_back_to_the_mirror),
        cmocka_unit_test(test_damaged_metadata_is_read_from_the_mirror),
        cmocka_unit_test(test_lengths_past_the_entry_block_are_refused),
        cmocka_unit_test(test_allocation_extent_descriptors_continue_and_loops_end),
        cmocka_unit_test(test_embedded_data_is_read_from_the_entry),
        cmocka_unit_test(test_unsupported_structures_are_refused_with_a_reason),
        cmocka_unit_test(test_damaged_anchor_or_sequence_uses_another),
        cmocka_unit_test(test_deleted_and_badly_named_identifiers),
        cmocka_unit_test(test_depth_is_bounded),
        cmocka_unit_test(test_no_udf_and_a_failed_import_leaves_the_tree_alone),
        cmocka_unit_test(test_damaged_images_give_a_tree_or_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
