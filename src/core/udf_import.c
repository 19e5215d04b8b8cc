/*
 * The UDF reader (import_internal.h): ECMA-167 3rd edition volumes as OSTA UDF 1.02 to 2.60
 * records them. It finds an anchor, reads the main volume descriptor sequence (the reserve one
 * when the main is damaged), maps type 1 and metadata partitions (the mirror file when the
 * metadata file is damaged), then walks the file set from its root directory: file entries and
 * extended file entries, short and long allocation descriptors with their continuation extents,
 * embedded data, file identifiers, named streams of extended file entries.
 *
 * The disc is hostile: every length and position read from it is checked against the buffer that
 * holds it, the partition and the disc before use; loops over descriptors are bounded by the
 * sectors they lie in and by the context's read budget; directories are walked with an explicit
 * stack no deeper than IMPORT_MAX_DEPTH, and a directory met twice is a loop. A malformed volume
 * is an error value naming the structure and its sector.
 *
 * Not read (FSI_E_NOT_IMPLEMENTED with a sentence): logical blocks other than 2048 bytes, sparable
 * and virtual partitions (CD-RW, CD-R written incrementally), ICB strategy 4096, extended
 * allocation descriptors, extents allocated but not recorded within a file's length (sparse files:
 * a disc extent cannot say "zeros"), and entries other than directories, files and real-time files
 * (symbolic links, devices), which a tree cannot hold. Streams of directories and UDF's own
 * streams ("*UDF ..." and metadata streams) are left out: the tree has no place for them. Nothing
 * here writes.
 */
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "byte_order.h"
#include "ecma167.h"
#include "import_internal.h"
#include "udf_cs0.h"
#include "udf_descriptor.h"
#include "udf_time.h"

#define BLOCK_SIZE UDF_SECTOR_SIZE          /* the only logical block size read */
#define VRS_MAX_SECTORS 256                 /* volume structure descriptors looked at */
#define SEQUENCE_MAX_SECTORS 512            /* descriptors of one volume descriptor sequence */
#define SEQUENCE_MAX_EXTENTS 32             /* its extents (volume descriptor pointers) */
#define MAX_PARTITIONS 16                   /* partition descriptors and maps kept */
#define MAX_AED_HOPS 65536                  /* allocation extent descriptors of one entry */
#define MAX_METADATA_EXTENTS 65536
#define FID_MAX_SIZE UDF_FID_SIZE(0xFFFF, 0xFF)
#define NAME_CAPACITY 255

/* ---- The volume as read ---- */

struct partition {
    uint16_t number;
    uint32_t sequence_number;           /* the prevailing descriptor has the highest */
    uint32_t start;                     /* sector of block 0 */
    uint32_t length;                    /* blocks */
    uint32_t bitmap_block, bitmap_bytes;    /* its unallocated space bitmap (0 bytes: none) */
    int other_tables;                   /* space tables or freed-space structures recorded */
};

/* An extent of the metadata file: metadata blocks [first, first + count) are physical blocks
   [physical, physical + count) of the metadata map's partition; a hole is not allocated. */
struct metadata_extent {
    uint32_t first;
    uint32_t physical;
    uint32_t count;
    int hole;
};

struct metadata_file {
    struct metadata_extent *extents;
    size_t count, capacity;
    uint32_t blocks;                    /* metadata blocks the extents cover */
};

enum map_kind { MAP_PHYSICAL, MAP_METADATA };

struct partition_map {
    enum map_kind kind;
    uint16_t number;                    /* physical: the partition's number */
    uint32_t start, length;             /* physical: the partition's sectors, in blocks */
    uint32_t physical;                  /* metadata: index of the map of its partition */
    uint32_t file_location, mirror_location, bitmap_location;
    struct metadata_file files[2];      /* metadata: [0] the metadata file, [1] its mirror */
    int file_ok[2];
    int in_use;                         /* which of files[] maps blocks */
    int duplicate;                      /* metadata: the mirror is a copy (UDF 2.2.10) */
};

/* Runs of sectors: a file's data, or a directory's identifiers. */
struct runs {
    int counted;                        /* against reader.runs_left */
    struct fsi_disc_extent *extents;
    uint32_t *blocks;                   /* the logical block of each run's first sector */
    size_t count, capacity;
};

/* What a file entry or extended file entry says (4/14.9, 4/14.17). */
struct entry {
    uint32_t sector;                    /* where it was read */
    uint16_t reference;                 /* its partition reference */
    uint8_t file_type;
    uint16_t flags;                     /* ICB flags */
    uint64_t unique_id;
    uint64_t length;                    /* information length */
    fsi_time accessed, modified, created;
    int has_stream_directory;
    uint32_t stream_directory_block;
    uint16_t stream_directory_reference;
    uint32_t ad_offset, ad_length;      /* allocation descriptors (or data) in the entry */
};

/* A directory's identifiers being read: embedded in its entry or in runs of sectors. */
struct identifier_stream {
    const uint8_t *embedded;            /* NULL when in runs */
    uint32_t embedded_sector;
    struct runs runs;
    uint64_t length;
    uint64_t offset;                    /* of the next identifier */
    size_t run;                         /* the run holding the last byte read, and its start */
    uint64_t run_start;
    uint32_t cached_sector;
    int cached;
    uint8_t cache[BLOCK_SIZE];
};

/* A directory on the walk's stack. */
struct frame {
    struct fsi_node *node;
    uint8_t entry[BLOCK_SIZE];
    struct identifier_stream ids;
};

struct reader {
    struct import_context *c;
    struct partition partitions[MAX_PARTITIONS];
    size_t partition_count;
    int have_lvd;
    uint32_t lvd_sequence_number;
    uint8_t lvd[BLOCK_SIZE];
    struct partition_map maps[MAX_PARTITIONS];
    size_t map_count;
    int metadata_map;                   /* index of the metadata map, or -1 */

    uint8_t sector[BLOCK_SIZE];         /* scratch: descriptors, entries */
    uint8_t aed[BLOCK_SIZE];            /* allocation extent descriptors */
    uint8_t stream_entry[BLOCK_SIZE];   /* a stream directory's entry */
    uint8_t *fid;                       /* FID_MAX_SIZE bytes */
    struct identifier_stream streams;   /* a stream directory's identifiers */

    uint32_t *seen;                     /* sectors of directory entries met: open addressing */
    size_t seen_count, seen_capacity;
    struct frame **frames;              /* the walk's stack, frames kept for reuse */
    size_t depth, frames_made;
    uint64_t runs_left;                 /* runs all files may still have */
    uint64_t entries_left;              /* identifiers the walk may still import */
    uint64_t max_unique_id;             /* the largest an entry read has (for a later session) */
};

static enum fsi_status unsupported(struct import_context *c, const char *what, uint32_t sector,
                                   const char *why)
{
    import_corrupt(c, what, sector, why);
    return FSI_E_NOT_IMPLEMENTED;
}

/* ---- What a walk notes for an in-place layout (udf_read_usage; nothing without it) ---- */

/* Notes sectors [first, first + count) as used by the volume. */
static enum fsi_status note_used(struct reader *r, uint32_t first, uint32_t count)
{
    struct udf_usage *u = r->c->usage;
    struct fsi_disc_extent *last;
    enum fsi_status status;

    if (!u || !count)
        return FSI_OK;
    last = u->used_count ? &u->used[u->used_count - 1] : NULL;
    if (last && (uint64_t)last->first_sector + last->sector_count == first) {
        last->sector_count += count;
        return FSI_OK;
    }
    status = array_grow((void **)&u->used, &u->used_capacity, u->used_count + 1,
                        sizeof(*u->used));
    if (status != FSI_OK)
        return status;
    u->used[u->used_count].first_sector = first;
    u->used[u->used_count].sector_count = count;
    u->used_count++;
    return FSI_OK;
}

/* Notes the file entry `e` of a file or directory of the tree; its runs follow (note_runs). */
static enum fsi_status note_entry(struct reader *r, const struct entry *e, int is_directory)
{
    struct udf_usage *u = r->c->usage;
    struct udf_usage_entry *entry;
    enum fsi_status status;

    if (!u)
        return FSI_OK;
    status = array_grow((void **)&u->entries, &u->entry_capacity, u->entry_count + 1,
                        sizeof(*u->entries));
    if (status != FSI_OK)
        return status;
    entry = &u->entries[u->entry_count++];
    memset(entry, 0, sizeof(*entry));
    entry->sector = e->sector;
    entry->unique_id = e->unique_id;
    entry->length = e->length;
    entry->is_directory = (uint8_t)is_directory;
    entry->first_run = (uint32_t)u->run_count;
    return FSI_OK;
}

/* Notes the sectors of `runs` as used and, when `of_entry`, as the last entry's. */
static enum fsi_status note_runs(struct reader *r, const struct runs *runs, int of_entry)
{
    struct udf_usage *u = r->c->usage;
    enum fsi_status status = FSI_OK;
    size_t i;

    if (!u)
        return FSI_OK;
    for (i = 0; i < runs->count && status == FSI_OK; i++)
        status = note_used(r, runs->extents[i].first_sector, runs->extents[i].sector_count);
    if (status != FSI_OK || !of_entry || !u->entry_count)
        return status;
    if (runs->count) {          /* none: an entry without data (NULL arrays) */
        status = array_grow((void **)&u->runs, &u->run_capacity, u->run_count + runs->count,
                            sizeof(*u->runs));
        if (status != FSI_OK)
            return status;
        memcpy(u->runs + u->run_count, runs->extents, runs->count * sizeof(*u->runs));
        u->run_count += runs->count;
    }
    u->entries[u->entry_count - 1].first_run = (uint32_t)(u->run_count - runs->count);
    u->entries[u->entry_count - 1].run_count = (uint32_t)runs->count;
    return FSI_OK;
}

/* ---- Volume recognition and anchors (ECMA-167 2/8.3, 3/8.4.2.1) ---- */

/* 1 when the volume recognition sequence of the session holds NSR02 or NSR03. */
static int has_nsr(struct import_context *c)
{
    static const char *const known[] = { "CD001", "BEA01", "NSR02", "NSR03",
                                         "TEA01", "BOOT2", "CDW02" };
    uint8_t sector[IMPORT_SECTOR_SIZE];
    uint32_t i;
    int nsr = 0;

    for (i = 0; i < VRS_MAX_SECTORS; i++) {
        uint64_t at = (uint64_t)c->session_start + UDF_VRS_FIRST_SECTOR + i;
        size_t k;
        if (at >= c->disc->sector_count ||
            import_read(c, (uint32_t)at, 1, sector, "a volume structure descriptor") != FSI_OK)
            break;
        for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
            if (!memcmp(sector + 1, known[k], UDF_VSD_IDENTIFIER_SIZE))
                break;
        if (k == sizeof(known) / sizeof(known[0]))
            break;                      /* the sequence ends at the first other sector */
        if (k == 2 || k == 3)
            nsr = 1;
    }
    return nsr;
}

/* The places on the disc an anchor may be, in the order they are tried; returns how many. */
static int anchor_places(const struct import_context *c, uint32_t places[4])
{
    uint64_t candidates[4], n = c->disc->sector_count;
    int count = 0, k, found = 0;

    if (c->session_start)
        candidates[count++] = (uint64_t)c->session_start + UDF_ANCHOR_SECTOR;
    candidates[count++] = UDF_ANCHOR_SECTOR;
    if (n >= 1)
        candidates[count++] = n - 1;
    if (n > UDF_ANCHOR_SECTOR + 1)
        candidates[count++] = n - 1 - UDF_ANCHOR_SECTOR;
    for (k = 0; k < count; k++)
        if (candidates[k] < n)
            places[found++] = (uint32_t)candidates[k];
    return found;
}

/* Reads the anchor at `sector` into `buffer`: 1 when it is one. */
static int read_anchor(struct import_context *c, uint32_t sector, uint8_t *buffer)
{
    uint16_t id = 0;
    return import_read(c, sector, 1, buffer, "an anchor volume descriptor pointer") == FSI_OK &&
           udf_tag_check(buffer, IMPORT_SECTOR_SIZE, sector, &id) &&
           id == UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER;
}

int udf_import_identify(struct import_context *c)
{
    uint8_t sector[IMPORT_SECTOR_SIZE];
    uint32_t places[4];
    int n, count;

    if (!has_nsr(c))
        return 0;
    count = anchor_places(c, places);
    for (n = 0; n < count; n++)
        if (read_anchor(c, places[n], sector))
            return 1;
    return 0;
}

/* ---- The volume descriptor sequence (3/8.4) ---- */

static int tag_is_blank(const uint8_t *tag)
{
    size_t i;
    for (i = 0; i < UDF_DESCRIPTOR_TAG_SIZE; i++)
        if (tag[i])
            return 0;
    return 1;
}

static void keep_partition(struct reader *r, const uint8_t *sector)
{
    const struct udf_partition_descriptor *pd = (const void *)sector;
    uint32_t sequence_number = get_le32(pd->volume_descriptor_sequence_number);
    uint16_t number = get_le16(pd->partition_number);
    size_t i;

    for (i = 0; i < r->partition_count; i++)
        if (r->partitions[i].number == number)
            break;
    if (i == r->partition_count) {
        if (r->partition_count == MAX_PARTITIONS)
            return;                     /* more than any volume uses: the maps will say */
        r->partition_count++;
    } else if (r->partitions[i].sequence_number > sequence_number) {
        return;
    }
    r->partitions[i].number = number;
    r->partitions[i].sequence_number = sequence_number;
    r->partitions[i].start = get_le32(pd->partition_starting_location);
    r->partitions[i].length = get_le32(pd->partition_length);
    {
        const struct udf_partition_header_descriptor *h = &pd->partition_contents_use;
        r->partitions[i].bitmap_bytes =
            get_le32(h->unallocated_space_bitmap.extent_length) & UDF_EXTENT_LENGTH_MASK;
        r->partitions[i].bitmap_block = get_le32(h->unallocated_space_bitmap.extent_position);
        r->partitions[i].other_tables =
            (get_le32(h->unallocated_space_table.extent_length) |
             get_le32(h->partition_integrity_table.extent_length) |
             get_le32(h->freed_space_table.extent_length) |
             get_le32(h->freed_space_bitmap.extent_length)) != 0;
    }
}

/*
 * Reads the sequence in the extent at `location` of `length` bytes, following volume descriptor
 * pointers, and keeps its partition descriptors and logical volume descriptor. FSI_OK when it
 * was read through without a damaged descriptor and has both.
 */
static enum fsi_status read_sequence(struct reader *r, uint32_t location, uint32_t length)
{
    struct import_context *c = r->c;
    uint32_t extents = 0, read = 0;

    r->partition_count = 0;
    r->have_lvd = 0;
    while (length >= BLOCK_SIZE) {
        uint32_t sectors = length / BLOCK_SIZE, i;
        int next = 0;

        if (++extents > SEQUENCE_MAX_EXTENTS)
            return import_corrupt(c, "a volume descriptor pointer", location,
                                  "the volume descriptor sequence goes on through too many "
                                  "extents (a loop?)");
        for (i = 0; i < sectors && !next; i++) {
            uint32_t at = location + i;
            uint16_t id = 0;
            enum fsi_status status;

            if (at < location)
                return import_corrupt(c, "the volume descriptor sequence", location,
                                      "it runs past the last sector number");
            if (++read > SEQUENCE_MAX_SECTORS)
                return import_corrupt(c, "the volume descriptor sequence", location,
                                      "it has no terminating descriptor");
            status = import_read(c, at, 1, r->sector, "a volume descriptor");
            if (status != FSI_OK)
                return status;
            if (!udf_tag_check(r->sector, BLOCK_SIZE, at, &id)) {
                if (tag_is_blank(r->sector))
                    goto end;           /* an unrecorded sector ends the sequence */
                return import_corrupt(c, "a volume descriptor", at,
                                      "its tag is damaged (checksum, location or CRC)");
            }
            switch (id) {
            case UDF_TAG_PARTITION_DESCRIPTOR:
                keep_partition(r, r->sector);
                break;
            case UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR: {
                const struct udf_logical_volume_descriptor *lvd = (const void *)r->sector;
                uint32_t number = get_le32(lvd->volume_descriptor_sequence_number);
                if (!r->have_lvd || number >= r->lvd_sequence_number) {
                    memcpy(r->lvd, r->sector, BLOCK_SIZE);
                    r->lvd_sequence_number = number;
                    r->have_lvd = 1;
                }
                break;
            }
            case UDF_TAG_VOLUME_DESCRIPTOR_POINTER: {
                const struct udf_volume_descriptor_pointer *vdp = (const void *)r->sector;
                length = get_le32(vdp->next_volume_descriptor_sequence_extent.extent_length);
                location = get_le32(vdp->next_volume_descriptor_sequence_extent.extent_location);
                next = 1;
                break;
            }
            case UDF_TAG_TERMINATING_DESCRIPTOR:
                goto end;
            default:
                break;                  /* primary, implementation use, unallocated space */
            }
        }
        if (!next)
            break;
    }
end:
    if (!r->have_lvd)
        return import_corrupt(c, "the volume descriptor sequence", location,
                              "it has no logical volume descriptor");
    if (!r->partition_count)
        return import_corrupt(c, "the volume descriptor sequence", location,
                              "it has no partition descriptor");
    return FSI_OK;
}

/* ---- Partition maps (3/10.7, UDF 2.2.8 to 2.2.10) ---- */

static const struct partition *find_partition(const struct reader *r, uint16_t number)
{
    size_t i;
    for (i = 0; i < r->partition_count; i++)
        if (r->partitions[i].number == number)
            return &r->partitions[i];
    return NULL;
}

static void free_maps(struct reader *r)
{
    size_t i;
    for (i = 0; i < r->map_count; i++) {
        free(r->maps[i].files[0].extents);
        free(r->maps[i].files[1].extents);
    }
    memset(r->maps, 0, sizeof(r->maps));
    r->map_count = 0;
    r->metadata_map = -1;
}

/* Reads the logical volume descriptor's partition maps into r->maps. */
static enum fsi_status read_maps(struct reader *r, uint32_t lvd_sector)
{
    struct import_context *c = r->c;
    const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
    uint32_t table = get_le32(lvd->map_table_length);
    uint32_t count = get_le32(lvd->number_of_partition_maps), i, at = 0;
    const uint8_t *maps = r->lvd + UDF_LVD_FIXED_SIZE;

    free_maps(r);
    if (get_le32(lvd->logical_block_size) != BLOCK_SIZE)
        return unsupported(c, "the logical volume descriptor", lvd_sector,
                           "its logical blocks are not 2048 bytes, which is not supported");
    if (table > BLOCK_SIZE - UDF_LVD_FIXED_SIZE)
        return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                              "its partition maps run past its sector");
    if (count == 0)
        return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                              "it has no partition map");
    if (count > MAX_PARTITIONS)
        return unsupported(c, "the logical volume descriptor", lvd_sector,
                           "it has more partition maps than are supported");
    for (i = 0; i < count; i++) {
        struct partition_map *map = &r->maps[i];
        const struct partition *partition;
        uint8_t type, size;

        if (table - at < 2)
            return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                  "its partition maps run past their table");
        type = maps[at];
        size = maps[at + 1];
        if (size < 2 || size > table - at)
            return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                  "a partition map's length is wrong");
        r->map_count = i + 1;
        if (type == UDF_PARTITION_MAP_TYPE_1) {
            const struct udf_partition_map_type1 *m = (const void *)(maps + at);
            if (size != sizeof(*m))
                return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                      "a type 1 partition map is not 6 bytes long");
            partition = find_partition(r, get_le16(m->partition_number));
            if (!partition)
                return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                      "a partition map names a partition that has no "
                                      "partition descriptor");
            map->kind = MAP_PHYSICAL;
            map->number = partition->number;
            map->start = partition->start;
            map->length = partition->length;
        } else if (type == UDF_PARTITION_MAP_TYPE_2) {
            const struct udf_metadata_partition_map *m = (const void *)(maps + at);
            const char *id = (const char *)m->partition_type_identifier.identifier;
            if (size < 4 + sizeof(struct udf_regid))
                return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                      "a type 2 partition map is too short for its identifier");
            if (!memcmp(id, UDF_ID_SPARABLE_PARTITION, sizeof(UDF_ID_SPARABLE_PARTITION) - 1))
                return unsupported(c, "the logical volume descriptor", lvd_sector,
                                   "it has a sparable partition (rewritable media), which is "
                                   "not supported");
            if (!memcmp(id, UDF_ID_VIRTUAL_PARTITION, sizeof(UDF_ID_VIRTUAL_PARTITION) - 1))
                return unsupported(c, "the logical volume descriptor", lvd_sector,
                                   "it has a virtual partition (a disc written incrementally), "
                                   "which is not supported");
            if (memcmp(id, UDF_ID_METADATA_PARTITION, sizeof(UDF_ID_METADATA_PARTITION) - 1))
                return unsupported(c, "the logical volume descriptor", lvd_sector,
                                   "it has a type 2 partition map of a kind that is not "
                                   "supported");
            if (size != sizeof(*m))
                return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                      "a metadata partition map is not 64 bytes long");
            if (r->metadata_map >= 0)
                return unsupported(c, "the logical volume descriptor", lvd_sector,
                                   "it has more than one metadata partition");
            map->kind = MAP_METADATA;
            map->duplicate = (m->flags[0] & UDF_METADATA_FLAG_DUPLICATE) != 0;
            map->file_location = get_le32(m->metadata_file_location);
            map->mirror_location = get_le32(m->metadata_mirror_file_location);
            map->bitmap_location = get_le32(m->metadata_bitmap_file_location);
            /* Its partition's type 1 map, found when all maps are read. */
            map->physical = get_le16(m->partition_number);
            r->metadata_map = (int)i;
        } else {
            return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                  "a partition map has a type other than 1 and 2");
        }
        at += size;
    }
    if (r->metadata_map >= 0) {
        struct partition_map *map = &r->maps[r->metadata_map];
        for (i = 0; i < r->map_count; i++)
            if (r->maps[i].kind == MAP_PHYSICAL && r->maps[i].number == map->physical)
                break;
        if (i == r->map_count)
            return import_corrupt(c, "the logical volume descriptor", lvd_sector,
                                  "the metadata partition lies in a partition no type 1 map "
                                  "names");
        map->physical = i;
    }
    return FSI_OK;
}

/* ---- From logical blocks to sectors ---- */

static enum fsi_status add_run(struct reader *r, struct runs *runs, uint32_t sector,
                               uint32_t count, uint32_t block)
{
    if (runs->count == runs->capacity) {
        size_t capacity = runs->capacity ? runs->capacity * 2 : 8;
        struct fsi_disc_extent *extents;
        uint32_t *blocks;
        if (capacity > ((size_t)-1) / sizeof(*extents))
            return FSI_E_OUT_OF_MEMORY;
        extents = realloc(runs->extents, capacity * sizeof(*extents));
        if (!extents)
            return FSI_E_OUT_OF_MEMORY;
        runs->extents = extents;
        blocks = realloc(runs->blocks, capacity * sizeof(*blocks));
        if (!blocks)
            return FSI_E_OUT_OF_MEMORY;
        runs->blocks = blocks;
        runs->capacity = capacity;
    }
    if (runs->counted && !r->runs_left)
        return import_corrupt(r->c, "a file's data", sector,
                              "the files have more extents than the disc has sectors "
                              "(overlapping allocations?)");
    if (runs->counted)
        r->runs_left--;
    runs->extents[runs->count].first_sector = sector;
    runs->extents[runs->count].sector_count = count;
    runs->blocks[runs->count] = block;
    runs->count++;
    return FSI_OK;
}

static void free_runs(struct runs *runs)
{
    free(runs->extents);
    free(runs->blocks);
    memset(runs, 0, sizeof(*runs));
}

/* The metadata extent holding metadata block `block`, or NULL. */
static const struct metadata_extent *find_metadata_extent(const struct metadata_file *file,
                                                          uint32_t block)
{
    size_t low = 0, high = file->count;

    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const struct metadata_extent *e = &file->extents[middle];
        if (block < e->first)
            high = middle;
        else if (block - e->first >= e->count)
            low = middle + 1;
        else
            return e;
    }
    return NULL;
}

/*
 * Appends to `runs` the sectors of blocks [block, block + count) of the partition of map
 * `reference` (`what` names them in errors, `sector` says where they were named). A range
 * of a metadata partition may become several runs.
 */
static enum fsi_status map_blocks(struct reader *r, uint16_t reference, uint32_t block,
                                  uint32_t count, struct runs *runs, const char *what,
                                  uint32_t sector)
{
    const struct partition_map *map;

    if (reference >= r->map_count)
        return import_corrupt(r->c, what, sector,
                              "it names a partition the logical volume does not have");
    map = &r->maps[reference];
    if (map->kind == MAP_PHYSICAL) {
        if (block >= map->length || count > map->length - block ||
            (uint64_t)map->start + block + count > UINT32_MAX)
            return import_corrupt(r->c, what, sector, "it lies outside its partition");
        return add_run(r, runs, map->start + block, count, block);
    }
    while (count) {
        const struct metadata_file *file = &map->files[map->in_use];
        const struct metadata_extent *e = find_metadata_extent(file, block);
        const struct partition_map *physical = &r->maps[map->physical];
        uint32_t n, at;
        enum fsi_status status;

        if (!e)
            return import_corrupt(r->c, what, sector,
                                  "it lies outside the metadata partition");
        if (e->hole)
            return import_corrupt(r->c, what, sector,
                                  "it lies in a part of the metadata file that is not "
                                  "allocated");
        n = e->count - (block - e->first);
        if (n > count)
            n = count;
        at = e->physical + (block - e->first);
        if (at >= physical->length || n > physical->length - at)
            return import_corrupt(r->c, what, sector, "it lies outside its partition");
        if (runs->count && runs->blocks[runs->count - 1] +
                                   runs->extents[runs->count - 1].sector_count == block &&
            runs->extents[runs->count - 1].first_sector +
                    runs->extents[runs->count - 1].sector_count == physical->start + at)
            runs->extents[runs->count - 1].sector_count += n;      /* one run goes on */
        else if ((status = add_run(r, runs, physical->start + at, n, block)) != FSI_OK)
            return status;
        block += n;
        count -= n;
    }
    return FSI_OK;
}

/* Reads logical block `block` of partition `reference` into `buffer`; *sector gets its sector. */
static enum fsi_status read_block(struct reader *r, uint16_t reference, uint32_t block,
                                  uint8_t *buffer, const char *what, uint32_t named_at,
                                  uint32_t *sector)
{
    struct fsi_disc_extent extent;
    uint32_t logical;
    struct runs one;
    enum fsi_status status;

    memset(&one, 0, sizeof(one));
    one.extents = &extent;              /* room for the one run a block maps to */
    one.blocks = &logical;
    one.capacity = 1;
    status = map_blocks(r, reference, block, 1, &one, what, named_at);
    if (status != FSI_OK)
        return status;
    *sector = extent.first_sector;
    return import_read(r->c, *sector, 1, buffer, what);
}

/* ---- File entries (4/14.9, 4/14.17) ---- */

static void get_time(const struct udf_timestamp *ts, fsi_time *t)
{
    if (!udf_get_timestamp(ts, t))
        *t = 0;                         /* a time that cannot be read is not the tree's business */
}

/*
 * Reads the entry at block `block` of partition `reference` into `buffer` and what it says into
 * `e`, checking its tag, its strategy and that its extended attributes and allocation
 * descriptors lie inside it.
 */
static enum fsi_status read_entry(struct reader *r, uint16_t reference, uint32_t block,
                                  uint8_t *buffer, const char *what, uint32_t named_at,
                                  struct entry *e)
{
    struct import_context *c = r->c;
    const struct udf_icb_tag *icb = (const void *)(buffer + UDF_DESCRIPTOR_TAG_SIZE);
    uint32_t fixed, ea, ad;
    uint16_t id = 0, strategy;
    enum fsi_status status;

    memset(e, 0, sizeof(*e));
    status = read_block(r, reference, block, buffer, what, named_at, &e->sector);
    if (status != FSI_OK)
        return status;
    e->reference = reference;
    if (!udf_tag_check(buffer, BLOCK_SIZE, block, &id))
        return import_corrupt(c, what, e->sector, "its tag is damaged (checksum, location or CRC)");
    if (id == UDF_TAG_INDIRECT_ENTRY)
        return unsupported(c, what, e->sector,
                           "it is an indirect entry (ICB strategy 4096), which is not supported");
    if (id != UDF_TAG_FILE_ENTRY && id != UDF_TAG_EXTENDED_FILE_ENTRY)
        return import_corrupt(c, what, e->sector, "it is not a file entry");
    strategy = get_le16(icb->strategy_type);
    if (strategy == UDF_ICB_STRATEGY_4096)
        return unsupported(c, what, e->sector, "it uses ICB strategy 4096, which is not supported");
    if (strategy != UDF_ICB_STRATEGY_4)
        return import_corrupt(c, what, e->sector, "its ICB strategy is neither 4 nor 4096");
    e->file_type = icb->file_type[0];
    e->flags = get_le16(icb->flags);
    if (id == UDF_TAG_EXTENDED_FILE_ENTRY) {
        const struct udf_extended_file_entry *efe = (const void *)buffer;
        fixed = UDF_EFE_FIXED_SIZE;
        ea = get_le32(efe->length_of_extended_attributes);
        ad = get_le32(efe->length_of_allocation_descriptors);
        e->length = get_le64(efe->information_length);
        e->unique_id = get_le64(efe->unique_id);
        if (get_le64(efe->unique_id) > r->max_unique_id)
            r->max_unique_id = get_le64(efe->unique_id);
        get_time(&efe->access_date_and_time, &e->accessed);
        get_time(&efe->modification_date_and_time, &e->modified);
        get_time(&efe->creation_date_and_time, &e->created);
        if (get_le32(efe->stream_directory_icb.extent_length) & UDF_EXTENT_LENGTH_MASK) {
            e->has_stream_directory = 1;
            e->stream_directory_block =
                get_le32(efe->stream_directory_icb.extent_location.logical_block_number);
            e->stream_directory_reference =
                get_le16(efe->stream_directory_icb.extent_location.partition_reference_number);
        }
    } else {
        const struct udf_file_entry *fe = (const void *)buffer;
        fixed = UDF_FE_FIXED_SIZE;
        ea = get_le32(fe->length_of_extended_attributes);
        ad = get_le32(fe->length_of_allocation_descriptors);
        e->length = get_le64(fe->information_length);
        e->unique_id = get_le64(fe->unique_id);
        if (get_le64(fe->unique_id) > r->max_unique_id)
            r->max_unique_id = get_le64(fe->unique_id);
        get_time(&fe->access_date_and_time, &e->accessed);
        get_time(&fe->modification_date_and_time, &e->modified);
        e->created = e->modified;       /* a file entry records no creation time */
    }
    if (ea > BLOCK_SIZE - fixed || ad > BLOCK_SIZE - fixed - ea)
        return import_corrupt(c, what, e->sector,
                              "its extended attributes and allocation descriptors run past "
                              "its block");
    e->ad_offset = fixed + ea;
    e->ad_length = ad;
    return note_used(r, e->sector, 1);
}

/* ---- Allocation descriptors (4/12, 4/14.14) ---- */

/* What the data of an entry is being gathered for. */
struct gathering {
    struct runs *runs;                  /* file data or directory identifiers */
    struct metadata_file *metadata;     /* or the metadata file's extents */
    uint64_t wanted;                    /* the information length */
    uint64_t covered;
    int partial;                        /* an extent shorter than whole blocks was seen */
};

/* Takes one allocation descriptor; *done when the information length is covered. */
static enum fsi_status take_extent(struct reader *r, const struct entry *e, struct gathering *g,
                                   uint16_t reference, uint32_t block, uint32_t length,
                                   uint32_t type, const char *what, int *done)
{
    uint32_t blocks = (uint32_t)(((uint64_t)length + BLOCK_SIZE - 1) / BLOCK_SIZE);

    if (g->covered >= g->wanted) {
        *done = 1;                      /* extents past the length (preallocation) are not data */
        return FSI_OK;
    }
    if (g->partial)
        return import_corrupt(r->c, what, e->sector,
                              "an extent other than the last is not a whole number of blocks");
    if (length % BLOCK_SIZE)
        g->partial = 1;
    if (g->metadata) {
        struct metadata_file *m = g->metadata;
        struct metadata_extent *x;
        if (reference != e->reference)
            return import_corrupt(r->c, what, e->sector,
                                  "its extents lie outside the partition holding it");
        if (m->count == m->capacity) {
            size_t capacity = m->capacity ? m->capacity * 2 : 4;
            if (capacity > MAX_METADATA_EXTENTS)
                return import_corrupt(r->c, what, e->sector, "it has too many extents");
            x = realloc(m->extents, capacity * sizeof(*x));
            if (!x)
                return FSI_E_OUT_OF_MEMORY;
            m->extents = x;
            m->capacity = capacity;
        }
        if ((uint64_t)m->blocks + blocks > UINT32_MAX)
            return import_corrupt(r->c, what, e->sector, "its extents hold too many blocks");
        x = &m->extents[m->count++];
        x->first = m->blocks;
        x->physical = block;
        x->count = blocks;
        x->hole = type == (UDF_EXTENT_NOT_RECORDED_NOT_ALLOCATED >> 30);
        m->blocks += blocks;
    } else {
        enum fsi_status status;
        if (type != 0)
            return unsupported(r->c, what, e->sector,
                               "part of its data is allocated but not recorded (a sparse file), "
                               "which is not supported");
        status = map_blocks(r, reference, block, blocks, g->runs, what, e->sector);
        if (status != FSI_OK)
            return status;
    }
    g->covered += length;
    *done = g->covered >= g->wanted;
    return FSI_OK;
}

/*
 * Gathers the extents of entry `e` (read into `buffer`) up to its information length: its
 * short or long allocation descriptors, then those of the allocation extent descriptors they
 * continue into. Embedded data is the caller's.
 */
static enum fsi_status gather(struct reader *r, const struct entry *e, const uint8_t *buffer,
                              struct gathering *g, const char *what)
{
    struct import_context *c = r->c;
    uint16_t type = e->flags & UDF_ICB_FLAG_AD_MASK;
    const uint8_t *area = buffer + e->ad_offset;
    uint32_t area_length = e->ad_length, hops = 0;
    size_t size;

    if (type == UDF_ICB_FLAG_AD_EXTENDED)
        return unsupported(c, what, e->sector,
                           "it uses extended allocation descriptors, which are not supported");
    if (type != UDF_ICB_FLAG_AD_SHORT && type != UDF_ICB_FLAG_AD_LONG)
        return import_corrupt(c, what, e->sector, "its allocation descriptor type is unknown");
    size = type == UDF_ICB_FLAG_AD_SHORT ? sizeof(struct udf_short_ad)
                                         : sizeof(struct udf_long_ad);
    g->covered = 0;
    g->partial = 0;
    if (!g->wanted)
        return FSI_OK;
    for (;;) {
        uint32_t at, next_block = 0;
        uint16_t next_reference = 0;
        int next = 0, done = 0;

        for (at = 0; area_length - at >= size; at += (uint32_t)size) {
            uint32_t raw = get_le32(area + at), length = raw & UDF_EXTENT_LENGTH_MASK;
            uint32_t kind = raw >> 30, block = get_le32(area + at + 4);
            uint16_t reference = size == sizeof(struct udf_short_ad) ? e->reference
                                                                     : get_le16(area + at + 8);
            enum fsi_status status;

            if (!length)
                break;                  /* the descriptors end (4/12.1) */
            if (kind == 3) {
                next = 1;
                next_block = block;
                next_reference = reference;
                break;
            }
            status = take_extent(r, e, g, reference, block, length, kind, what, &done);
            if (status != FSI_OK)
                return status;
            if (done)
                return FSI_OK;
        }
        if (!next)
            break;
        {
            const struct udf_allocation_extent_descriptor *aed = (const void *)r->aed;
            uint32_t sector, length;
            uint16_t id = 0;
            enum fsi_status status;

            if (++hops > MAX_AED_HOPS)
                return import_corrupt(c, what, e->sector,
                                      "its allocation descriptors continue through too many "
                                      "extents (a loop?)");
            status = read_block(r, next_reference, next_block, r->aed,
                                "an allocation extent descriptor", e->sector, &sector);
            if (status != FSI_OK)
                return status;
            if (!udf_tag_check(r->aed, BLOCK_SIZE, next_block, &id) ||
                id != UDF_TAG_ALLOCATION_EXTENT_DESCRIPTOR)
                return import_corrupt(c, "an allocation extent descriptor", sector,
                                      "its tag is damaged or it is not one");
            status = note_used(r, sector, 1);
            if (status != FSI_OK)
                return status;
            length = get_le32(aed->length_of_allocation_descriptors);
            if (length > BLOCK_SIZE - UDF_AED_FIXED_SIZE)
                return import_corrupt(c, "an allocation extent descriptor", sector,
                                      "its allocation descriptors run past its block");
            area = r->aed + UDF_AED_FIXED_SIZE;
            area_length = length;
        }
    }
    if (g->covered < g->wanted)
        return import_corrupt(c, what, e->sector,
                              "its extents hold fewer bytes than its information length");
    return FSI_OK;
}

/* ---- The metadata partition (UDF 2.2.13) ---- */

/* Reads the metadata file (which 0) or its mirror (1) of the metadata map. */
static enum fsi_status read_metadata_file(struct reader *r, int which)
{
    struct partition_map *map = &r->maps[r->metadata_map];
    struct metadata_file *file = &map->files[which];
    const char *what = which ? "the metadata mirror file's entry" : "the metadata file's entry";
    struct gathering g;
    struct entry e;
    enum fsi_status status;

    memset(&g, 0, sizeof(g));
    status = read_entry(r, (uint16_t)map->physical,
                        which ? map->mirror_location : map->file_location, r->sector, what,
                        0, &e);
    if (status != FSI_OK)
        return status;
    if (e.file_type != (which ? UDF_FILE_TYPE_METADATA_MIRROR : UDF_FILE_TYPE_METADATA))
        return import_corrupt(r->c, what, e.sector, "its file type is wrong");
    if ((e.flags & UDF_ICB_FLAG_AD_MASK) == UDF_ICB_FLAG_AD_EMBEDDED)
        return import_corrupt(r->c, what, e.sector, "it has embedded data, not extents");
    if (e.ad_length < sizeof(struct udf_short_ad) || !(get_le32(r->sector + e.ad_offset) &
                                                       UDF_EXTENT_LENGTH_MASK))
        return import_corrupt(r->c, what, e.sector, "it has no extents");
    g.metadata = file;
    g.wanted = e.length;
    status = gather(r, &e, r->sector, &g, what);
    if (status != FSI_OK)
        return status;
    if (!file->count)
        return import_corrupt(r->c, what, e.sector, "it has no extents");
    return FSI_OK;
}

/* Reads both metadata files; fails when neither can be used. */
static enum fsi_status read_metadata(struct reader *r)
{
    struct partition_map *map = &r->maps[r->metadata_map];
    enum fsi_status status;
    char first[sizeof(r->c->info->error)];

    status = read_metadata_file(r, 0);
    map->file_ok[0] = status == FSI_OK;
    if (status == FSI_E_OUT_OF_MEMORY)
        return status;
    memcpy(first, r->c->info->error, sizeof(first));
    if (read_metadata_file(r, 1) == FSI_OK)
        map->file_ok[1] = 1;
    if (!map->file_ok[0] && !map->file_ok[1]) {
        memcpy(r->c->info->error, first, sizeof(first));
        return status;
    }
    r->c->info->error[0] = 0;
    map->in_use = map->file_ok[0] ? 0 : 1;
    return FSI_OK;
}

/* 1 when the mirror maps blocks elsewhere than the metadata file (a retry may help). */
static int mirror_differs(const struct partition_map *map)
{
    const struct metadata_file *a = &map->files[0], *b = &map->files[1];
    size_t i;

    if (!map->file_ok[0] || !map->file_ok[1] || a->count != b->count)
        return map->file_ok[0] && map->file_ok[1];
    for (i = 0; i < a->count; i++)
        if (a->extents[i].physical != b->extents[i].physical ||
            a->extents[i].count != b->extents[i].count)
            return 1;
    return 0;
}

/* ---- Directories: file identifiers (4/14.4) ---- */

static void stream_reset(struct identifier_stream *s)
{
    free_runs(&s->runs);
    s->embedded = NULL;
    s->length = s->offset = 0;
    s->run = 0;
    s->run_start = 0;
    s->cached = 0;
}

/* Makes `s` the identifiers of directory entry `e` read into `buffer` (kept by the caller). */
static enum fsi_status stream_open(struct reader *r, struct identifier_stream *s,
                                   const struct entry *e, const uint8_t *buffer, const char *what)
{
    struct gathering g;

    stream_reset(s);
    s->length = e->length;
    s->embedded_sector = e->sector;
    if ((e->flags & UDF_ICB_FLAG_AD_MASK) == UDF_ICB_FLAG_AD_EMBEDDED) {
        if (e->length > e->ad_length)
            return import_corrupt(r->c, what, e->sector,
                                  "its information length is larger than its embedded data");
        s->embedded = buffer + e->ad_offset;
        return FSI_OK;
    }
    memset(&g, 0, sizeof(g));
    s->runs.counted = 1;
    g.runs = &s->runs;
    g.wanted = e->length;
    return gather(r, e, buffer, &g, what);
}

/* Where byte `offset` of the stream lies: its run (in s->run) and the offset in the run. */
static uint64_t stream_locate(struct identifier_stream *s, uint64_t offset)
{
    if (offset < s->run_start) {
        s->run = 0;
        s->run_start = 0;
    }
    while (s->run < s->runs.count &&
           offset - s->run_start >= (uint64_t)s->runs.extents[s->run].sector_count * BLOCK_SIZE) {
        s->run_start += (uint64_t)s->runs.extents[s->run].sector_count * BLOCK_SIZE;
        s->run++;
    }
    return offset - s->run_start;
}

/* Copies `length` bytes from `offset` (inside the stream's length) into `out`. */
static enum fsi_status stream_copy(struct reader *r, struct identifier_stream *s,
                                   uint64_t offset, uint8_t *out, size_t length)
{
    if (s->embedded) {
        memcpy(out, s->embedded + offset, length);
        return FSI_OK;
    }
    while (length) {
        uint64_t within = stream_locate(s, offset);
        uint32_t sector, skip;
        size_t n;

        if (s->run >= s->runs.count)    /* gather() covered the length: cannot happen */
            return import_corrupt(r->c, "a directory", s->embedded_sector,
                                  "its identifiers run past its extents");
        sector = s->runs.extents[s->run].first_sector + (uint32_t)(within / BLOCK_SIZE);
        skip = (uint32_t)(within % BLOCK_SIZE);
        if (!s->cached || s->cached_sector != sector) {
            enum fsi_status status = import_read(r->c, sector, 1, s->cache, "a directory");
            if (status != FSI_OK)
                return status;
            s->cached = 1;
            s->cached_sector = sector;
        }
        n = BLOCK_SIZE - skip;
        if (n > length)
            n = length;
        memcpy(out, s->cache + skip, n);
        out += n;
        offset += n;
        length -= n;
    }
    return FSI_OK;
}

/* The sector holding byte `offset` of the stream, for errors. */
static uint32_t stream_sector(struct identifier_stream *s, uint64_t offset)
{
    uint64_t within;

    if (s->embedded)
        return s->embedded_sector;
    within = stream_locate(s, offset);
    if (s->run >= s->runs.count)
        return 0;
    return s->runs.extents[s->run].first_sector + (uint32_t)(within / BLOCK_SIZE);
}

/* One file identifier, decoded. */
struct identifier {
    uint8_t characteristics;
    uint16_t name[NAME_CAPACITY];
    size_t name_length;
    uint16_t reference;
    uint32_t block;
    uint32_t sector;                    /* where it starts, for errors */
};

/* Reads the next identifier of `s` into `id`; *end when there is none. */
static enum fsi_status next_identifier(struct reader *r, struct identifier_stream *s,
                                       struct identifier *id, int *end)
{
    struct import_context *c = r->c;
    const struct udf_file_identifier_descriptor *fid = (const void *)r->fid;
    uint32_t size, iu, fi;
    uint16_t tag = 0;
    enum fsi_status status;
    int ok = 0;

    *end = s->offset >= s->length;
    if (*end)
        return FSI_OK;
    id->sector = stream_sector(s, s->offset);
    if (s->length - s->offset < UDF_FID_FIXED_SIZE)
        return import_corrupt(c, "a file identifier", id->sector,
                              "it is cut short by the end of its directory");
    status = stream_copy(r, s, s->offset, r->fid, UDF_FID_FIXED_SIZE);
    if (status != FSI_OK)
        return status;
    iu = get_le16(fid->length_of_implementation_use);
    fi = fid->length_of_file_identifier[0];
    size = UDF_FID_SIZE(iu, fi);
    if (size > s->length - s->offset) {
        /* Padding may be left out at the very end of the directory. */
        if ((uint64_t)UDF_FID_FIXED_SIZE + iu + fi > s->length - s->offset)
            return import_corrupt(c, "a file identifier", id->sector,
                                  "its length runs past the end of its directory");
        size = (uint32_t)(s->length - s->offset);
    }
    status = stream_copy(r, s, s->offset + UDF_FID_FIXED_SIZE, r->fid + UDF_FID_FIXED_SIZE,
                         size - UDF_FID_FIXED_SIZE);
    if (status != FSI_OK)
        return status;
    /* Its location is not held against it (writers differ, as Linux reads them); its checksum
       and CRC are. */
    if (!udf_tag_check(r->fid, size, get_le32(fid->tag.tag_location), &tag) ||
        tag != UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR)
        return import_corrupt(c, "a file identifier", id->sector,
                              "its tag is damaged (checksum or CRC) or it is not one");
    s->offset += size;
    id->characteristics = fid->file_characteristics[0];
    id->block = get_le32(fid->icb.extent_location.logical_block_number);
    id->reference = get_le16(fid->icb.extent_location.partition_reference_number);
    id->name_length = 0;
    if (id->characteristics & (UDF_FID_DELETED | UDF_FID_PARENT))
        return FSI_OK;
    if (!fi)
        return import_corrupt(c, "a file identifier", id->sector, "it has no name");
    id->name_length = udf_cs0_decode(r->fid + UDF_FID_FIXED_SIZE + iu, fi, id->name,
                                     NAME_CAPACITY, &ok);
    if (!ok || !id->name_length)
        return import_corrupt(c, "a file identifier", id->sector,
                              "its name is not OSTA Compressed Unicode");
    return FSI_OK;
}

/* ---- Directories met, against loops ---- */

static size_t seen_slot(uint32_t sector, size_t capacity)
{
    return (size_t)((sector * 2654435761u) & (capacity - 1));
}

/* Notes the entry at `sector`; *again when it had been met before. */
static enum fsi_status see(struct reader *r, uint32_t sector, int *again)
{
    size_t i;

    *again = 0;
    if (2 * (r->seen_count + 1) > r->seen_capacity) {
        size_t capacity = r->seen_capacity ? 2 * r->seen_capacity : 64, k;
        uint32_t *table = calloc(capacity, sizeof(*table));
        if (!table)
            return FSI_E_OUT_OF_MEMORY;
        for (k = 0; k < r->seen_capacity; k++)
            if (r->seen[k]) {
                size_t j = seen_slot(r->seen[k] - 1, capacity);
                while (table[j])
                    j = (j + 1) & (capacity - 1);
                table[j] = r->seen[k];
            }
        free(r->seen);
        r->seen = table;
        r->seen_capacity = capacity;
    }
    for (i = seen_slot(sector, r->seen_capacity); r->seen[i];
         i = (i + 1) & (r->seen_capacity - 1))
        if (r->seen[i] == sector + 1u) {
            *again = 1;
            return FSI_OK;
        }
    r->seen[i] = sector + 1u;           /* 0 marks an empty slot; sectors are below 2^32 - 1 */
    r->seen_count++;
    return FSI_OK;
}

/* ---- The walk ---- */

/* Adds an entry's data to the tree as file `name` of `parent` (a stream of it when `stream`). */
static enum fsi_status add_data(struct reader *r, struct fsi_node *parent, int stream,
                                const uint16_t *name, size_t length, const struct entry *e,
                                const uint8_t *buffer, const char *what, struct fsi_node **out)
{
    struct gathering g;
    struct runs runs = { 1, NULL, NULL, 0, 0 };
    enum fsi_status status;

    if ((e->flags & UDF_ICB_FLAG_AD_MASK) == UDF_ICB_FLAG_AD_EMBEDDED) {
        if (e->length > e->ad_length)
            return import_corrupt(r->c, what, e->sector,
                                  "its information length is larger than its embedded data");
        return import_add_embedded(r->c, parent, stream, name, length, buffer + e->ad_offset,
                                   (size_t)e->length, out);
    }
    memset(&g, 0, sizeof(g));
    g.runs = &runs;
    g.wanted = e->length;
    status = gather(r, e, buffer, &g, what);
    if (status == FSI_OK)
        status = note_runs(r, &runs, !stream);
    if (status == FSI_OK)
        status = stream ? import_add_stream(r->c, parent, name, length, e->length,
                                            runs.extents, runs.count, out)
                        : import_add_file(r->c, parent, name, length, e->length, runs.extents,
                                          runs.count, out);
    free_runs(&runs);
    return status;
}

/* 1 when `name` is one UDF reserves for its own streams ("*UDF ..."). */
static int is_udf_stream_name(const uint16_t *name, size_t length)
{
    return length >= 4 && name[0] == '*' && name[1] == 'U' && name[2] == 'D' && name[3] == 'F';
}

/* Adds the named streams of the stream directory entry `e` names to `file`. */
static enum fsi_status add_streams(struct reader *r, struct fsi_node *file, const struct entry *e)
{
    struct identifier_stream *s = &r->streams;
    struct identifier id;
    struct entry directory, stream;
    enum fsi_status status;
    int end = 0;

    status = read_entry(r, e->stream_directory_reference, e->stream_directory_block,
                        r->stream_entry, "a stream directory's entry", e->sector, &directory);
    if (status != FSI_OK)
        return status;
    if (directory.file_type != UDF_FILE_TYPE_STREAM_DIRECTORY)
        return import_corrupt(r->c, "a stream directory's entry", directory.sector,
                              "its file type is not that of a stream directory");
    /* Not noted as met: files linked twice share it, and streams have no streams of their own
       to loop through. */
    status = stream_open(r, s, &directory, r->stream_entry, "a stream directory's entry");
    if (status == FSI_OK)
        status = note_runs(r, &s->runs, 0);
    if (r->c->usage)
        r->c->usage->plain = 0;         /* the in-place layout keeps no stream directory */
    while (status == FSI_OK) {
        struct fsi_node *node = NULL;
        status = next_identifier(r, s, &id, &end);
        if (status != FSI_OK || end)
            break;
        if (id.characteristics & (UDF_FID_DELETED | UDF_FID_PARENT | UDF_FID_METADATA) ||
            is_udf_stream_name(id.name, id.name_length))
            continue;
        if (id.characteristics & UDF_FID_DIRECTORY)
            return import_corrupt(r->c, "a file identifier", id.sector,
                                  "a stream directory names a directory");
        if (!r->entries_left--)
            return import_corrupt(r->c, "a file identifier", id.sector,
                                  "the volume names more items than the disc has sectors");
        status = read_entry(r, id.reference, id.block, r->sector, "a named stream's entry",
                            id.sector, &stream);
        if (status != FSI_OK)
            break;
        status = add_data(r, file, 1, id.name, id.name_length, &stream, r->sector,
                          "a named stream's entry", &node);
    }
    stream_reset(s);
    return status;
}

/* Pushes directory `node` whose entry `e` was read into `buffer`. */
static enum fsi_status push(struct reader *r, struct fsi_node *node, const struct entry *e,
                            const uint8_t *buffer)
{
    struct frame *f;
    enum fsi_status status;

    if (r->depth > IMPORT_MAX_DEPTH)
        return import_corrupt(r->c, "a directory's entry", e->sector,
                              "directories are nested deeper than 1024 levels");
    if (r->depth == r->frames_made) {
        struct frame **frames = realloc(r->frames, (r->frames_made + 1) * sizeof(*frames));
        if (!frames)
            return FSI_E_OUT_OF_MEMORY;
        r->frames = frames;
        f = calloc(1, sizeof(*f));
        if (!f)
            return FSI_E_OUT_OF_MEMORY;
        r->frames[r->frames_made++] = f;
    }
    f = r->frames[r->depth];
    f->node = node;
    memcpy(f->entry, buffer, BLOCK_SIZE);
    r->depth++;
    status = stream_open(r, &f->ids, e, f->entry, "a directory's entry");
    return status == FSI_OK ? note_runs(r, &f->ids.runs, 1) : status;
}

/* Imports the item one identifier of the directory on top of the stack names. */
static enum fsi_status import_item(struct reader *r, struct frame *f, const struct identifier *id)
{
    struct import_context *c = r->c;
    struct fsi_node *node = NULL;
    struct entry e;
    enum fsi_status status;
    int again = 0;

    if (!r->entries_left--)
        return import_corrupt(c, "a file identifier", id->sector,
                              "the volume names more items than the disc has sectors");
    status = read_entry(r, id->reference, id->block, r->sector, "a file entry", id->sector, &e);
    if (status != FSI_OK)
        return status;
    if (id->characteristics & UDF_FID_DIRECTORY) {
        if (e.file_type != UDF_FILE_TYPE_DIRECTORY)
            return import_corrupt(c, "a file entry", e.sector,
                                  "its identifier says directory, its file type does not");
        status = see(r, e.sector, &again);
        if (status != FSI_OK)
            return status;
        if (again)
            return import_corrupt(c, "a directory's entry", e.sector,
                                  "the directory is met twice (a loop)");
        status = note_entry(r, &e, 1);
        if (status == FSI_OK)
            status = import_add_directory(c, f->node, id->name, id->name_length, &node);
        if (status != FSI_OK)
            return status;
        c->info->directories++;
    } else {
        if (e.file_type == UDF_FILE_TYPE_DIRECTORY)
            return import_corrupt(c, "a file entry", e.sector,
                                  "its file type says directory, its identifier does not");
        if (e.file_type != UDF_FILE_TYPE_REGULAR && e.file_type != UDF_FILE_TYPE_REAL_TIME)
            return unsupported(c, "a file entry", e.sector,
                               "it is neither a file nor a directory (a symbolic link, a "
                               "device?), which cannot be imported");
        status = note_entry(r, &e, 0);
        if (status == FSI_OK)
            status = add_data(r, f->node, 0, id->name, id->name_length, &e, r->sector,
                              "a file entry", &node);
        if (status != FSI_OK)
            return status;
        c->info->files++;
        if (e.file_type == UDF_FILE_TYPE_REAL_TIME)
            fsi_node_set_realtime(node, 1);
    }
    node->udf_entry_sector = e.sector;
    node->udf_unique_id = e.unique_id;
    if (import_is_new(c, node)) {
        fsi_node_set_times(node, e.created, e.accessed, e.modified);
        if (id->characteristics & UDF_FID_HIDDEN)
            fsi_node_set_hidden(node, 1);
    }
    if (node->is_directory)
        return push(r, node, &e, r->sector);
    if (e.has_stream_directory)
        return add_streams(r, node, &e);
    return FSI_OK;
}

/* Walks the file set whose root directory's entry is at (reference, block). */
static enum fsi_status walk(struct reader *r, uint16_t reference, uint32_t block,
                            uint32_t named_at)
{
    struct identifier id;
    struct entry root;
    enum fsi_status status;
    int again = 0;

    status = read_entry(r, reference, block, r->sector, "the root directory's entry", named_at,
                        &root);
    if (status != FSI_OK)
        return status;
    if (root.file_type != UDF_FILE_TYPE_DIRECTORY)
        return import_corrupt(r->c, "the root directory's entry", root.sector,
                              "its file type is not that of a directory");
    status = see(r, root.sector, &again);
    if (status == FSI_OK && r->c->usage)
        r->c->usage->root_sector = root.sector;
    if (status == FSI_OK)
        status = note_entry(r, &root, 1);
    if (status == FSI_OK) {
        fsi_tree_root(r->c->tree)->udf_entry_sector = root.sector;
        fsi_tree_root(r->c->tree)->udf_unique_id = root.unique_id;
        /* The root's times are the disc's, as ISO 9660's import takes them from its record. */
        fsi_node_set_times(fsi_tree_root(r->c->tree), root.created, root.accessed, root.modified);
        status = push(r, fsi_tree_root(r->c->tree), &root, r->sector);
    }
    while (status == FSI_OK && r->depth) {
        struct frame *f = r->frames[r->depth - 1];
        int end = 0;
        status = next_identifier(r, &f->ids, &id, &end);
        if (status != FSI_OK)
            break;
        if (end) {
            stream_reset(&f->ids);
            r->depth--;
            continue;
        }
        if (id.characteristics & (UDF_FID_DELETED | UDF_FID_PARENT))
            continue;
        status = import_item(r, f, &id);
    }
    return status;
}

/* ---- The volume ---- */

/* Reads the volume from the main sequence an anchor names, or from the reserve one. */
static enum fsi_status read_volume(struct reader *r, const uint8_t *anchor, uint32_t anchor_sector)
{
    const struct udf_anchor_volume_descriptor_pointer *avdp = (const void *)anchor;
    const struct udf_extent_ad *sequences[2];
    enum fsi_status status = FSI_E_CORRUPT_FILE_SYSTEM, first_status = FSI_OK;
    char first[sizeof(r->c->info->error)];
    int k;

    sequences[0] = &avdp->main_volume_descriptor_sequence_extent;
    sequences[1] = &avdp->reserve_volume_descriptor_sequence_extent;
    for (k = 0; k < 2; k++) {
        uint32_t length = get_le32(sequences[k]->extent_length);
        uint32_t location = get_le32(sequences[k]->extent_location);

        if (length < BLOCK_SIZE)
            status = import_corrupt(r->c, "the anchor volume descriptor pointer", anchor_sector,
                                    k ? "its reserve volume descriptor sequence is empty"
                                      : "its main volume descriptor sequence is empty");
        else
            status = read_sequence(r, location, length);
        if (status == FSI_OK) {
            const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
            status = read_maps(r, get_le32(lvd->tag.tag_location));
        }
        if (status == FSI_OK) {
            r->c->info->error[0] = 0;
            return FSI_OK;
        }
        if (status != FSI_E_CORRUPT_FILE_SYSTEM && status != FSI_E_DISC_READ)
            return status;              /* refused as not supported, or out of memory */
        if (k == 0) {
            first_status = status;      /* said if the reserve cannot be read either */
            memcpy(first, r->c->info->error, sizeof(first));
        }
    }
    memcpy(r->c->info->error, first, sizeof(first));
    return first_status;
}

/* Records the volume's name and revision from the logical volume descriptor. */
static enum fsi_status read_label(struct reader *r)
{
    const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
    struct fsi_import_info *info = r->c->info;
    int ok = 0;

    info->volume_name_length =
        udf_get_dstring(lvd->logical_volume_identifier, sizeof(lvd->logical_volume_identifier),
                        info->volume_name, sizeof(info->volume_name) / sizeof(uint16_t), &ok);
    if (!ok)
        return import_corrupt(r->c, "the logical volume descriptor",
                              get_le32(lvd->tag.tag_location),
                              "its logical volume identifier is not OSTA Compressed Unicode");
    if (!memcmp(lvd->domain_identifier.identifier, UDF_ID_DOMAIN, sizeof(UDF_ID_DOMAIN) - 1))
        info->udf_revision = get_le16(lvd->domain_identifier.identifier_suffix);
    return FSI_OK;
}

/* Reads the file set descriptor and walks its root. */
static enum fsi_status read_file_set(struct reader *r)
{
    const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
    const struct udf_file_set_descriptor *fsd = (const void *)r->sector;
    uint32_t lvd_sector = get_le32(lvd->tag.tag_location), sector = 0;
    uint32_t block = get_le32(lvd->logical_volume_contents_use.extent_location.logical_block_number);
    uint16_t reference =
        get_le16(lvd->logical_volume_contents_use.extent_location.partition_reference_number);
    uint16_t id = 0;
    enum fsi_status status;

    status = read_block(r, reference, block, r->sector, "the file set descriptor", lvd_sector,
                        &sector);
    if (status != FSI_OK)
        return status;
    if (!udf_tag_check(r->sector, BLOCK_SIZE, block, &id) || id != UDF_TAG_FILE_SET_DESCRIPTOR)
        return import_corrupt(r->c, "the file set descriptor", sector,
                              "its tag is damaged (checksum, location or CRC) or it is not one");
    if (r->c->usage) {
        struct udf_usage *u = r->c->usage;
        uint32_t length = get_le32(lvd->logical_volume_contents_use.extent_length) &
                          UDF_EXTENT_LENGTH_MASK;
        memcpy(u->file_set_time, &fsd->recording_date_and_time, sizeof(u->file_set_time));
        u->file_set_block = block;
        u->file_set_blocks = (length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        if ((reference != 0 && (int)reference != r->metadata_map) || u->file_set_blocks == 0)
            u->plain = 0;
        status = note_used(r, sector, u->file_set_blocks ? u->file_set_blocks : 1);
        if (status != FSI_OK)
            return status;
    }
    return walk(r, get_le16(fsd->root_directory_icb.extent_location.partition_reference_number),
                get_le32(fsd->root_directory_icb.extent_location.logical_block_number), sector);
}

/*
 * The next unique id the logical volume integrity sequence records (its last descriptor's), or
 * 0 when it cannot be read: only a later session's numbering depends on it, so a damaged
 * sequence does not fail the import.
 */
static uint64_t integrity_next_unique_id(struct reader *r)
{
    const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
    uint32_t length = get_le32(lvd->integrity_sequence_extent.extent_length);
    uint32_t location = get_le32(lvd->integrity_sequence_extent.extent_location);
    uint32_t extents = 0, read = 0;
    uint64_t next = 0;

    while (length >= BLOCK_SIZE && ++extents <= SEQUENCE_MAX_EXTENTS) {
        uint32_t sectors = length / BLOCK_SIZE, i;
        int moved = 0;
        for (i = 0; i < sectors && !moved; i++) {
            const struct udf_logical_volume_integrity_descriptor *lvid = (const void *)r->sector;
            uint32_t at = location + i;
            uint16_t id = 0;
            if (at < location || at >= r->c->disc->sector_count || ++read > SEQUENCE_MAX_SECTORS ||
                import_read(r->c, at, 1, r->sector, "a logical volume integrity descriptor") !=
                    FSI_OK ||
                !udf_tag_check(r->sector, BLOCK_SIZE, at, &id) ||
                id != UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR)
                return next;            /* a terminator, an unrecorded sector or damage */
            next = get_le64(lvid->logical_volume_contents_use.unique_id);
            if (get_le32(lvid->next_integrity_extent.extent_length) >= BLOCK_SIZE) {
                length = get_le32(lvid->next_integrity_extent.extent_length);
                location = get_le32(lvid->next_integrity_extent.extent_location);
                moved = 1;
            }
        }
        if (!moved)
            break;
    }
    return next;
}

/* What a later session needs (fsi_import_info): the file set's partition, the next unique id
   and whether the metadata mirror is a copy. */
static void report_volume(struct reader *r)
{
    const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
    uint16_t reference =
        get_le16(lvd->logical_volume_contents_use.extent_location.partition_reference_number);
    struct fsi_import_info *info = r->c->info;
    uint64_t next = integrity_next_unique_id(r);

    if (reference < r->map_count) {
        const struct partition_map *map = &r->maps[reference];
        if (map->kind == MAP_METADATA) {
            info->udf_duplicate_metadata = map->duplicate;
            map = &r->maps[map->physical];
        }
        info->udf_partition_start = map->start;
    }
    if (r->max_unique_id >= next)
        next = r->max_unique_id + 1;
    info->udf_next_unique_id = next;
}

/* 1 when the walk noted `sector` as used: a file's data or a structure, so no anchor (and not
   read for one: it may be a file's data, which an append does not read). */
static int noted_used(const struct udf_usage *u, uint32_t sector)
{
    size_t i;

    for (i = 0; i < u->used_count; i++)
        if (sector >= u->used[i].first_sector &&
            sector - u->used[i].first_sector < u->used[i].sector_count)
            return 1;
    return 0;
}

/* Notes the metadata partition's files (udf_usage_metadata) when each is one extent, the mirror
   the metadata file's extent or one as long, and the main file in use; else the volume is not
   plain. Their entries are noted as used when read; the metadata bitmap's data is noted here. */
static enum fsi_status note_metadata(struct reader *r, const struct partition *partition)
{
    struct udf_usage *u = r->c->usage;
    const struct partition_map *map = &r->maps[r->metadata_map];
    const struct metadata_file *main = &map->files[0], *mirror = &map->files[1];
    struct udf_usage_metadata *m = &u->metadata;
    const struct udf_short_ad *ad;
    struct entry e;
    enum fsi_status status;
    uint32_t length;

    u->plain = 0;
    if (map->physical != 0 || map->in_use != 0 || !map->file_ok[0] || !map->file_ok[1] ||
        main->count != 1 || mirror->count != 1 || main->extents[0].hole ||
        mirror->extents[0].hole || main->extents[0].count != mirror->extents[0].count ||
        map->duplicate != (main->extents[0].physical != mirror->extents[0].physical) ||
        map->bitmap_location == 0xFFFFFFFFu)
        return FSI_OK;
    status = read_entry(r, (uint16_t)map->physical, map->bitmap_location, r->sector,
                        "the metadata bitmap file's entry", 0, &e);
    if (status != FSI_OK)
        return status == FSI_E_OUT_OF_MEMORY ? status : FSI_OK;
    ad = (const void *)(r->sector + e.ad_offset);
    if (e.file_type != UDF_FILE_TYPE_METADATA_BITMAP ||
        (e.flags & UDF_ICB_FLAG_AD_MASK) != UDF_ICB_FLAG_AD_SHORT || e.ad_length < sizeof(*ad))
        return FSI_OK;
    length = get_le32(ad->extent_length);
    if (length != e.length || !length ||
        (e.ad_length >= 2 * sizeof(*ad) &&
         (get_le32(ad[1].extent_length) & UDF_EXTENT_LENGTH_MASK)))
        return FSI_OK;          /* not recorded and allocated, or more than one extent */
    m->file_entry = map->file_location;
    m->mirror_entry = map->mirror_location;
    m->bitmap_entry = map->bitmap_location;
    m->file_block = main->extents[0].physical;
    m->blocks = main->extents[0].count;
    m->mirror_block = mirror->extents[0].physical;
    m->duplicate = map->duplicate;
    m->bitmap_block = get_le32(ad->extent_position);
    m->bitmap_bytes = length;
    u->has_metadata = 1;
    u->plain = 1;
    return note_used(r, partition->start + m->bitmap_block,
                     (length + BLOCK_SIZE - 1) / BLOCK_SIZE);
}

/* Notes the volume's own structures (udf_read_usage): the anchors, the volume descriptor
   sequences the anchor at `anchor_sector` names, the integrity sequence, the recognition
   sequence, the partition and its space bitmap. */
static enum fsi_status note_volume(struct reader *r, uint32_t anchor_sector, const uint8_t *anchor)
{
    static const char *const known[] = { "CD001", "BEA01", "NSR02", "NSR03", "TEA01", "BOOT2",
                                         "CDW02" };
    const struct udf_anchor_volume_descriptor_pointer *avdp = (const void *)anchor;
    const struct udf_logical_volume_descriptor *lvd = (const void *)r->lvd;
    struct import_context *c = r->c;
    struct udf_usage *u = c->usage;
    const struct partition *partition = NULL;
    uint32_t n = c->disc->sector_count, places[3], i;
    enum fsi_status status = FSI_OK;
    uint8_t sector[BLOCK_SIZE];

    if (!u)
        return FSI_OK;
    u->main_vds = get_le32(avdp->main_volume_descriptor_sequence_extent.extent_location);
    u->main_vds_sectors =
        get_le32(avdp->main_volume_descriptor_sequence_extent.extent_length) / BLOCK_SIZE;
    u->reserve_vds = get_le32(avdp->reserve_volume_descriptor_sequence_extent.extent_location);
    u->reserve_vds_sectors =
        get_le32(avdp->reserve_volume_descriptor_sequence_extent.extent_length) / BLOCK_SIZE;
    u->integrity = get_le32(lvd->integrity_sequence_extent.extent_location);
    u->integrity_sectors = get_le32(lvd->integrity_sequence_extent.extent_length) / BLOCK_SIZE;
    status = note_used(r, u->main_vds, u->main_vds_sectors);
    if (status == FSI_OK)
        status = note_used(r, u->reserve_vds, u->reserve_vds_sectors);
    if (status == FSI_OK)
        status = note_used(r, u->integrity, u->integrity_sectors);
    if (anchor_sector != UDF_ANCHOR_SECTOR)
        u->plain = 0;
    /* One type 1 partition, perhaps with a metadata partition over it, is what the in-place
       layout knows. */
    if (r->map_count < 1 || r->map_count != 1u + (r->metadata_map >= 0) ||
        r->maps[0].kind != MAP_PHYSICAL)
        u->plain = 0;
    else
        partition = find_partition(r, r->maps[0].number);
    if (!partition || r->partition_count != 1 || partition->other_tables)
        u->plain = 0;
    if (partition && r->metadata_map >= 0 && u->plain)
        status = note_metadata(r, partition);
    if (partition) {
        u->partition_start = partition->start;
        u->partition_length = partition->length;
        u->bitmap_block = partition->bitmap_block;
        u->bitmap_bytes = partition->bitmap_bytes;
        if (u->bitmap_bytes && status == FSI_OK)
            status = note_used(r, partition->start + partition->bitmap_block,
                               (u->bitmap_bytes + BLOCK_SIZE - 1) / BLOCK_SIZE);
    }
    places[0] = UDF_ANCHOR_SECTOR;
    places[1] = n - 1;
    places[2] = n > UDF_ANCHOR_SECTOR + 1 ? n - 1 - UDF_ANCHOR_SECTOR : 0;
    for (i = 0; i < 3 && status == FSI_OK; i++)
        if (places[i] && places[i] < n && (i == 0 || places[i] != UDF_ANCHOR_SECTOR) &&
            (i == 0 || !noted_used(u, places[i])) && read_anchor(c, places[i], sector)) {
            status = note_used(r, places[i], 1);
            if (i == 0)
                u->anchor_256 = 1;
            if (i == 1)
                u->last_anchor = places[i];
        }
    /* The last anchor of a volume that does not fill the disc: at its partition's end. */
    if (partition && status == FSI_OK && (uint64_t)partition->start + partition->length < n &&
        partition->start + partition->length != places[1] &&
        read_anchor(c, partition->start + partition->length, sector)) {
        status = note_used(r, partition->start + partition->length, 1);
        u->last_anchor = partition->start + partition->length;
    }
    for (i = 0; i < VRS_MAX_SECTORS && status == FSI_OK; i++) {
        uint32_t at = UDF_VRS_FIRST_SECTOR + i;
        size_t k;
        if (at >= n || import_read(c, at, 1, sector, "a volume structure descriptor") != FSI_OK)
            break;
        for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
            if (!memcmp(sector + 1, known[k], UDF_VSD_IDENTIFIER_SIZE))
                break;
        if (k == sizeof(known) / sizeof(known[0]))
            break;
        status = note_used(r, at, 1);
    }
    u->revision = (uint16_t)c->info->udf_revision;
    u->next_unique_id = c->info->udf_next_unique_id;
    return status;
}

static int compare_usage_entries(const void *a, const void *b)
{
    const struct udf_usage_entry *x = a, *y = b;
    return x->sector < y->sector ? -1 : x->sector > y->sector;
}

void udf_usage_free(struct udf_usage *usage)
{
    free(usage->used);
    free(usage->entries);
    free(usage->runs);
    memset(usage, 0, sizeof(*usage));
}

/* Sorts the entries; an entry named twice (a link) makes the volume one the in-place layout
   does not take over. */
void udf_usage_sort(struct udf_usage *usage)
{
    size_t i;

    if (usage->entry_count > 1)
        qsort(usage->entries, usage->entry_count, sizeof(*usage->entries),
              compare_usage_entries);
    for (i = 1; i < usage->entry_count; i++)
        if (usage->entries[i].sector == usage->entries[i - 1].sector)
            usage->plain = 0;
}

const struct udf_usage_entry *udf_usage_find(const struct udf_usage *usage, uint32_t sector)
{
    size_t low = 0, high = usage->entry_count;

    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (usage->entries[middle].sector < sector)
            low = middle + 1;
        else
            high = middle;
    }
    return low < usage->entry_count && usage->entries[low].sector == sector
               ? &usage->entries[low]
               : NULL;
}

static void reader_free(struct reader *r)
{
    size_t i;

    free_maps(r);
    stream_reset(&r->streams);
    for (i = 0; i < r->frames_made; i++) {
        stream_reset(&r->frames[i]->ids);
        free(r->frames[i]);
    }
    free(r->frames);
    free(r->seen);
    free(r->fid);
    free(r);
}

/* Forgets what a walk met, for another one. */
static void reader_restart(struct reader *r)
{
    size_t i;

    for (i = 0; i < r->depth; i++)
        stream_reset(&r->frames[i]->ids);
    r->depth = 0;
    stream_reset(&r->streams);
    if (r->seen)
        memset(r->seen, 0, r->seen_capacity * sizeof(*r->seen));
    r->seen_count = 0;
    r->runs_left = r->entries_left = 2 * (uint64_t)r->c->disc->sector_count + 1024;
    r->c->info->files = r->c->info->directories = 0;
}

enum fsi_status udf_import(struct import_context *c)
{
    struct reader *r;
    uint8_t anchor[IMPORT_SECTOR_SIZE];
    uint32_t places[4], point = fsi_tree_change_point(c->tree), anchor_sector = 0;
    struct fsi_node *root = fsi_tree_root(c->tree);
    uint32_t root_sector = root->udf_entry_sector;
    uint64_t root_id = root->udf_unique_id;
    enum fsi_status status = FSI_E_CORRUPT_FILE_SYSTEM;
    int n, count, found = 0;

    if (!has_nsr(c)) {
        import_corrupt(c, "the volume recognition sequence", c->session_start + 16,
                       "it has no NSR02 or NSR03 descriptor (no UDF volume)");
        return FSI_E_NOT_FOUND;
    }
    r = calloc(1, sizeof(*r));
    if (!r)
        return FSI_E_OUT_OF_MEMORY;
    r->fid = malloc(FID_MAX_SIZE);
    if (!r->fid) {
        free(r);
        return FSI_E_OUT_OF_MEMORY;
    }
    r->c = c;
    r->metadata_map = -1;
    reader_restart(r);
    count = anchor_places(c, places);
    for (n = 0; n < count; n++) {
        if (!read_anchor(c, places[n], anchor))
            continue;
        found = 1;
        anchor_sector = places[n];
        status = read_volume(r, anchor, places[n]);
        if (status != FSI_E_CORRUPT_FILE_SYSTEM && status != FSI_E_DISC_READ)
            break;                      /* read, refused, or out of memory */
    }
    if (!found)
        import_corrupt(c, "the anchor volume descriptor pointer", UDF_ANCHOR_SECTOR,
                       "there is no valid one at sector 256, N - 257 or N - 1");
    if (status == FSI_OK)
        status = read_label(r);
    if (status == FSI_OK && r->metadata_map >= 0)
        status = read_metadata(r);
    if (status == FSI_OK)
        status = read_file_set(r);
    if (status == FSI_E_CORRUPT_FILE_SYSTEM && r->metadata_map >= 0 &&
        r->maps[r->metadata_map].in_use == 0 && mirror_differs(&r->maps[r->metadata_map]) &&
        fsi_tree_rollback(c->tree, point) == FSI_OK) {
        /* The mirror, a copy kept elsewhere, may hold what the damaged metadata does not. */
        char first[sizeof(c->info->error)];
        memcpy(first, c->info->error, sizeof(first));
        reader_restart(r);
        r->maps[r->metadata_map].in_use = 1;
        status = read_file_set(r);
        if (status == FSI_E_CORRUPT_FILE_SYSTEM)
            memcpy(c->info->error, first, sizeof(first));
    }
    if (status == FSI_OK) {
        report_volume(r);
        c->info->error[0] = 0;
        status = note_volume(r, anchor_sector, anchor);
    }
    if (status != FSI_OK) {
        /* Leave the tree as it was: no half-imported volume. */
        root->udf_entry_sector = root_sector;
        root->udf_unique_id = root_id;
        fsi_tree_rollback(c->tree, point);
        c->info->files = c->info->directories = 0;
    }
    reader_free(r);
    return status;
}
