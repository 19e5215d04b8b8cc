/*
 * The ISO 9660 and Joliet reader (import_internal.h): the session's volume descriptors, then the
 * directory hierarchy breadth first from the root record, with names (";1" and a bare trailing
 * dot dropped; Joliet's UCS-2), sizes, multi-extent files, dates and the hidden flag. Path
 * tables are not needed to walk the tree and are not read. Every record is checked against its
 * sector and the disc, directories seen twice are a loop, and the depth is bounded. Rock Ridge
 * names are not read (an image without Joliet imports with its ISO 9660 names).
 */
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "byte_order.h"
#include "ecma119.h"
#include "eltorito.h"
#include "import_internal.h"
#include "iso_time.h"
#include "layout.h"
#include "openfsi/media.h"

#define MAX_DESCRIPTORS 64              /* a session's volume descriptor set, bounded */
#define RECORD_FIXED 33                 /* bytes before the identifier (ECMA-119 9.1) */
#define FLAG_HIDDEN 0x01
#define FLAG_DIRECTORY 0x02
#define FLAG_MULTI_EXTENT 0x80
#define MAX_DIRECTORY_BYTES (64u << 20)  /* larger is an attack, not a directory */

static int is_joliet(const uint8_t *vd)
{
    const uint8_t *escape = vd + 88;
    return vd[0] == ECMA119_VD_SUPPLEMENTARY && escape[0] == '%' && escape[1] == '/' &&
           (escape[2] == '@' || escape[2] == 'C' || escape[2] == 'E');
}

/* Finds the primary (or Joliet) descriptor; its sector in *where, 0 when there is none. */
static enum fsi_status find_descriptor(struct import_context *c, int joliet, uint8_t *vd,
                                       uint32_t *where)
{
    uint32_t i;

    *where = 0;
    for (i = 0; i < MAX_DESCRIPTORS; i++) {
        uint32_t sector = c->session_start + ECMA119_SYSTEM_AREA_SECTORS + i;
        enum fsi_status status;
        if (sector >= c->disc->sector_count)
            return FSI_OK;
        status = import_read(c, sector, 1, vd, "a volume descriptor");
        if (status != FSI_OK)
            return status;
        if (memcmp(vd + 1, ECMA119_STANDARD_ID, ECMA119_STANDARD_ID_SIZE))
            return FSI_OK;              /* BEA01 and the like end the ISO 9660 set */
        if (vd[0] == ECMA119_VD_SET_TERMINATOR)
            return FSI_OK;
        if ((!joliet && vd[0] == ECMA119_VD_PRIMARY) || (joliet && is_joliet(vd))) {
            *where = sector;
            return FSI_OK;
        }
    }
    return FSI_OK;
}

int iso_import_identify(struct import_context *c, uint32_t *file_systems)
{
    uint8_t vd[ECMA119_SECTOR_SIZE];
    uint32_t where;

    if (find_descriptor(c, 0, vd, &where) == FSI_OK && where)
        *file_systems |= FSI_FILE_SYSTEM_ISO9660;
    if (find_descriptor(c, 1, vd, &where) == FSI_OK && where)
        *file_systems |= FSI_FILE_SYSTEM_JOLIET;
    return *file_systems != 0;
}

/* A record's name in UTF-16 without ";version" or a bare trailing dot; 0 if it is unusable. */
static size_t record_name(const uint8_t *id, size_t length, int joliet, uint16_t *out)
{
    size_t n = 0, i;

    if (joliet) {
        for (i = 0; i + 1 < length; i += 2)
            out[n++] = get_be16(id + i);
    } else {
        for (i = 0; i < length; i++)
            out[n++] = id[i];
    }
    for (i = 0; i < n; i++)
        if (out[i] == ';') {
            n = i;
            break;
        }
    if (!joliet && n > 1 && out[n - 1] == '.')
        n--;
    return n;
}

struct pending_dir {
    struct fsi_node *node;
    uint32_t extent;
    uint32_t length;
    uint32_t depth;
};

struct walk {
    struct import_context *c;
    int joliet;
    struct pending_dir *queue;
    size_t head, count, capacity;
    uint32_t *seen;                 /* open addressing over directory extents (0 = empty) */
    size_t seen_capacity, seen_count;
    struct fsi_disc_extent *extents;    /* a multi-extent file being gathered */
    size_t extent_count, extent_capacity;
};

/* 1 when the directory at `extent` was walked already; else remembers it. */
static int seen_before(struct walk *w, uint32_t extent, enum fsi_status *status)
{
    size_t i, mask;
    uint32_t key = extent + 1;

    if (w->seen_count * 2 >= w->seen_capacity) {
        size_t capacity = w->seen_capacity ? w->seen_capacity * 2 : 256, j;
        uint32_t *table = calloc(capacity, sizeof(*table));
        if (!table) {
            *status = FSI_E_OUT_OF_MEMORY;
            return 1;
        }
        for (j = 0; j < w->seen_capacity; j++)
            if (w->seen[j]) {
                size_t k = (w->seen[j] * 2654435761u) & (capacity - 1);
                while (table[k])
                    k = (k + 1) & (capacity - 1);
                table[k] = w->seen[j];
            }
        free(w->seen);
        w->seen = table;
        w->seen_capacity = capacity;
    }
    mask = w->seen_capacity - 1;
    for (i = (key * 2654435761u) & mask; w->seen[i]; i = (i + 1) & mask)
        if (w->seen[i] == key)
            return 1;
    w->seen[i] = key;
    w->seen_count++;
    return 0;
}

static enum fsi_status push_dir(struct walk *w, struct fsi_node *node, uint32_t extent,
                                uint32_t length, uint32_t depth)
{
    enum fsi_status status = FSI_OK;

    if (depth > IMPORT_MAX_DEPTH)
        return import_corrupt(w->c, "a directory", extent, "the tree is deeper than 1024 levels");
    if (length > MAX_DIRECTORY_BYTES)
        return import_corrupt(w->c, "a directory", extent, "its length is beyond any directory");
    if (seen_before(w, extent, &status))
        return status != FSI_OK ? status
                                : import_corrupt(w->c, "a directory", extent,
                                                 "it appears twice in the tree (a loop)");
    if (w->count == w->capacity) {
        size_t capacity = w->capacity ? w->capacity * 2 : 64;
        struct pending_dir *queue = realloc(w->queue, capacity * sizeof(*queue));
        if (!queue)
            return FSI_E_OUT_OF_MEMORY;
        w->queue = queue;
        w->capacity = capacity;
    }
    w->queue[w->count].node = node;
    w->queue[w->count].extent = extent;
    w->queue[w->count].length = length;
    w->queue[w->count].depth = depth;
    w->count++;
    return FSI_OK;
}

static enum fsi_status add_extent(struct walk *w, uint32_t location, uint32_t size)
{
    if (w->extent_count == w->extent_capacity) {
        size_t capacity = w->extent_capacity ? w->extent_capacity * 2 : 8;
        struct fsi_disc_extent *extents = realloc(w->extents, capacity * sizeof(*extents));
        if (!extents)
            return FSI_E_OUT_OF_MEMORY;
        w->extents = extents;
        w->extent_capacity = capacity;
    }
    w->extents[w->extent_count].first_sector = location;
    w->extents[w->extent_count].sector_count =
        (uint32_t)(((uint64_t)size + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE);
    w->extent_count++;
    return FSI_OK;
}

/* Walks the records of one directory, adding its entries and queueing its subdirectories. */
static enum fsi_status walk_directory(struct walk *w, const struct pending_dir *dir)
{
    struct import_context *c = w->c;
    uint32_t sectors = (dir->length + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE, s;
    uint16_t name[256], pending_name[256];
    size_t pending_length = 0;
    uint64_t pending_size = 0;
    fsi_time pending_time = 0;
    int pending_hidden = 0, in_multi = 0, records = 0;
    enum fsi_status status;
    uint8_t *data;

    if (!sectors)
        return import_corrupt(c, "a directory", dir->extent, "it has no records");
    data = malloc((size_t)sectors * ECMA119_SECTOR_SIZE);
    if (!data)
        return FSI_E_OUT_OF_MEMORY;
    status = import_read(c, dir->extent, sectors, data, "a directory");
    for (s = 0; s < sectors && status == FSI_OK; s++) {
        const uint8_t *sector = data + (size_t)s * ECMA119_SECTOR_SIZE;
        uint32_t p = 0, end = ECMA119_SECTOR_SIZE;
        if ((uint64_t)s * ECMA119_SECTOR_SIZE + end > dir->length)
            end = dir->length - s * ECMA119_SECTOR_SIZE;
        while (p < end && status == FSI_OK) {
            uint8_t r = sector[p], id_length, flags;
            uint32_t location, size;
            fsi_time when = 0;
            size_t n;
            if (r == 0)
                break;              /* the rest of the sector is padding (6.8.1.1) */
            if (r < RECORD_FIXED + 1 || p + r > end) {
                status = import_corrupt(c, "a directory record", dir->extent + s,
                                        "its length runs past its sector");
                break;
            }
            id_length = sector[p + 32];
            if (RECORD_FIXED + (uint32_t)id_length > r) {
                status = import_corrupt(c, "a directory record", dir->extent + s,
                                        "its identifier runs past the record");
                break;
            }
            flags = sector[p + 25];
            location = get_le32(sector + p + 2);
            size = get_le32(sector + p + 10);
            records++;
            if (records <= 2 && id_length == 1 && sector[p + 33] <= 1) {
                p += r;             /* "." and ".." */
                continue;
            }
            n = record_name(sector + p + 33, id_length, w->joliet, name);
            if (!n) {
                status = import_corrupt(c, "a directory record", dir->extent + s,
                                        "its identifier is empty");
                break;
            }
            if (iso_dir_record_date_parse(sector + p + 18, &when) != 0)
                when = 0;
            if ((uint64_t)location + (size + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE >
                    c->disc->sector_count && size) {
                status = import_corrupt(c, "a directory record", dir->extent + s,
                                        "its extent lies beyond the end of the disc");
                break;
            }
            if (flags & FLAG_DIRECTORY) {
                struct fsi_node *sub = NULL;
                if (in_multi) {
                    status = import_corrupt(c, "a directory record", dir->extent + s,
                                            "a multi-extent file ends in a directory");
                    break;
                }
                status = import_add_directory(c, dir->node, name, n, &sub);
                if (status == FSI_OK) {
                    if (import_is_new(c, sub)) {
                        fsi_node_set_times(sub, when, when, when);
                        fsi_node_set_hidden(sub, flags & FLAG_HIDDEN);
                    }
                    c->info->directories++;
                    status = push_dir(w, sub, location, size, dir->depth + 1);
                }
            } else {
                if (in_multi && (n != pending_length || memcmp(name, pending_name, n * 2))) {
                    status = import_corrupt(c, "a directory record", dir->extent + s,
                                            "a multi-extent file's parts have different names");
                    break;
                }
                if (!in_multi) {
                    memcpy(pending_name, name, n * 2);
                    pending_length = n;
                    pending_size = 0;
                    pending_time = when;
                    pending_hidden = flags & FLAG_HIDDEN;
                    w->extent_count = 0;
                }
                if (size)
                    status = add_extent(w, location, size);
                pending_size += size;
                in_multi = (flags & FLAG_MULTI_EXTENT) != 0;
                if (status == FSI_OK && !in_multi) {
                    struct fsi_node *file = NULL;
                    status = import_add_file(c, dir->node, pending_name, pending_length,
                                             pending_size, w->extents, w->extent_count, &file);
                    if (status == FSI_OK) {
                        fsi_node_set_times(file, pending_time, pending_time, pending_time);
                        fsi_node_set_hidden(file, pending_hidden);
                        c->info->files++;
                    }
                }
            }
            p += r;
        }
    }
    if (status == FSI_OK && in_multi)
        status = import_corrupt(c, "a directory", dir->extent,
                                "it ends inside a multi-extent file");
    free(data);
    return status;
}

enum fsi_status iso_import(struct import_context *c, int joliet)
{
    uint8_t vd[ECMA119_SECTOR_SIZE];
    struct walk w;
    uint32_t where, root_extent, root_length, i;
    enum fsi_status status;
    size_t n;

    status = find_descriptor(c, joliet, vd, &where);
    if (status != FSI_OK)
        return status;
    if (!where)
        return FSI_E_NOT_FOUND;
    if (get_le16(vd + 128) != ECMA119_SECTOR_SIZE)
        return import_corrupt(c, "the volume descriptor", where,
                              "its logical block size is not 2048 (not supported)");
    if (vd[156] < 34)
        return import_corrupt(c, "the root directory record", where, "it is too short");
    root_extent = get_le32(vd + 156 + 2);
    root_length = get_le32(vd + 156 + 10);
    /* The label, without the padding. */
    n = record_name(vd + 40, 32, joliet, c->info->volume_name);
    if (!joliet)
        for (i = 0; i < n; i++)
            if (c->info->volume_name[i] == ';')
                n = i;
    while (n && (c->info->volume_name[n - 1] == ' ' || c->info->volume_name[n - 1] == 0))
        n--;
    c->info->volume_name_length = n;

    memset(&w, 0, sizeof(w));
    w.c = c;
    w.joliet = joliet;
    {
        struct fsi_node *root = fsi_tree_root(c->tree);
        uint8_t *when = vd + 156 + 18;
        fsi_time t;
        if (iso_dir_record_date_parse(when, &t) == 0)
            fsi_node_set_times(root, t, t, t);
        status = push_dir(&w, root, root_extent, root_length, 0);
    }
    while (status == FSI_OK && w.head < w.count) {
        struct pending_dir dir = w.queue[w.head++];
        status = walk_directory(&w, &dir);
    }
    free(w.queue);
    free(w.seen);
    free(w.extents);
    return status;
}

/* ---- The usage walk (layout.h): where a hierarchy lies, for an in-place layout ---- */

#define NOT_IN_PLACE FSI_E_NOT_IMPLEMENTED

static int compare_disc_runs(const void *a, const void *b)
{
    const struct fsi_disc_extent *x = a, *y = b;
    return x->first_sector < y->first_sector ? -1 : x->first_sector > y->first_sector;
}

size_t disc_runs_merge(struct fsi_disc_extent *runs, size_t count)
{
    size_t i, n = 0;

    if (count > 1)      /* qsort wants a buffer, even for nothing */
        qsort(runs, count, sizeof(*runs), compare_disc_runs);
    for (i = 0; i < count; i++) {
        uint64_t end = (uint64_t)runs[i].first_sector + runs[i].sector_count;
        if (!runs[i].sector_count)
            continue;
        if (n && (uint64_t)runs[n - 1].first_sector + runs[n - 1].sector_count >=
                     runs[i].first_sector) {
            if (end > (uint64_t)runs[n - 1].first_sector + runs[n - 1].sector_count)
                runs[n - 1].sector_count = (uint32_t)(end - runs[n - 1].first_sector);
        } else {
            runs[n++] = runs[i];
        }
    }
    return n;
}

int disc_runs_contain(const struct fsi_disc_extent *runs, size_t count, uint32_t first,
                      uint32_t sectors)
{
    size_t low = 0, high = count;

    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (runs[middle].first_sector > first)
            high = middle;
        else
            low = middle + 1;
    }
    /* runs[low - 1] is the last run starting at or before `first`. */
    return low && (uint64_t)first + sectors <=
                      (uint64_t)runs[low - 1].first_sector + runs[low - 1].sector_count;
}

static int runs_overlap(const struct fsi_disc_extent *a, size_t a_count,
                        const struct fsi_disc_extent *b, size_t b_count)
{
    size_t i = 0, j = 0;

    while (i < a_count && j < b_count) {
        uint64_t a_end = (uint64_t)a[i].first_sector + a[i].sector_count;
        uint64_t b_end = (uint64_t)b[j].first_sector + b[j].sector_count;
        if (a_end <= b[j].first_sector)
            i++;
        else if (b_end <= a[i].first_sector)
            j++;
        else
            return 1;
    }
    return 0;
}

struct usage_walk {
    struct import_context *c;
    struct iso_usage *u;
    size_t dir_capacity, metadata_capacity, data_capacity, break_capacity;
    uint8_t *dir_sectors;           /* a bit per disc sector some directory's extent covers */
};

static enum fsi_status note_run(struct fsi_disc_extent **runs, size_t *count, size_t *capacity,
                                uint32_t first, uint32_t sectors);

/* Sectors of a boot image of El Torito media type `media` whose entry loads `count` virtual
   sectors from `first`: a floppy's size, a hard disk's partitions (its MBR read), or the loaded
   sectors; 0 when that cannot be told. */
static uint32_t boot_image_sectors(struct usage_walk *w, uint8_t media, uint16_t count,
                                   uint32_t first)
{
    static const uint32_t floppy[] = { 0, 600, 720, 1440 };    /* 1.2, 1.44, 2.88 MB */
    uint8_t mbr[ECMA119_SECTOR_SIZE];
    uint64_t end = 0;
    int p;

    if (media >= 1 && media <= 3)
        return floppy[media];
    if (media == 0)
        return ((uint32_t)(count ? count : 1) * ELTORITO_VIRTUAL_SECTOR + ECMA119_SECTOR_SIZE - 1) /
               ECMA119_SECTOR_SIZE;
    if (media != 4 || import_read(w->c, first, 1, mbr, "a boot image") != FSI_OK ||
        mbr[510] != 0x55 || mbr[511] != 0xAA)
        return 0;
    for (p = 0; p < 4; p++) {
        const uint8_t *entry = mbr + 446 + 16 * p;
        uint64_t last = (uint64_t)get_le32(entry + 8) + get_le32(entry + 12);
        if (entry[4] && last > end)
            end = last;
    }
    end = (end * ELTORITO_VIRTUAL_SECTOR + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE;
    return end && end <= w->c->disc->sector_count ? (uint32_t)end : 0;
}

/* An El Torito boot record at `sector` (ECMA-119 8.2, El Torito 2.0): its catalog (one sector:
   the validation entry, the default entry, sections up to the last header) and every boot
   image it names are noted as data, which an in-place layout keeps where it lies. A catalog it
   cannot account for leaves the disc to a new session. */
static enum fsi_status note_boot(struct usage_walk *w, uint32_t sector, uint32_t catalog)
{
    struct iso_usage *u = w->u;
    uint8_t c[ECMA119_SECTOR_SIZE];
    uint32_t at = ELTORITO_ENTRY_SIZE, left = 1;
    enum fsi_status status;
    int last = 0;

    if (u->boot_record_sector || catalog < ECMA119_SYSTEM_AREA_SECTORS ||
        catalog >= w->c->disc->sector_count)
        return NOT_IN_PLACE;
    u->boot_record_sector = sector;
    status = import_read(w->c, catalog, 1, c, "the boot catalog");
    if (status == FSI_OK && (c[0] != ELTORITO_HEADER_ID || c[30] != ELTORITO_KEY_55 ||
                             c[31] != ELTORITO_KEY_AA))
        status = NOT_IN_PLACE;
    if (status == FSI_OK)
        status = note_run(&u->data, &u->data_count, &w->data_capacity, catalog, 1);
    /* `left` entries of the current section (first the default entry alone). */
    while (status == FSI_OK && at + ELTORITO_ENTRY_SIZE <= ECMA119_SECTOR_SIZE) {
        const uint8_t *e = c + at;
        if (left) {
            uint32_t first = get_le32(e + 8), sectors;
            if (e[0] != ELTORITO_BOOTABLE && e[0] != 0)
                return NOT_IN_PLACE;
            sectors = boot_image_sectors(w, e[1] & 0x0F, get_le16(e + 6), first);
            if (!sectors || first < ECMA119_SYSTEM_AREA_SECTORS ||
                (uint64_t)first + sectors > w->c->disc->sector_count)
                return NOT_IN_PLACE;
            status = note_run(&u->data, &u->data_count, &w->data_capacity, first, sectors);
            left--;
            at += ELTORITO_ENTRY_SIZE;
            while (at + ELTORITO_ENTRY_SIZE <= ECMA119_SECTOR_SIZE && c[at] == 0x44)
                at += ELTORITO_ENTRY_SIZE;  /* extension entries of that entry */
            continue;
        }
        if (last || (e[0] != ELTORITO_SECTION_HEADER && e[0] != ELTORITO_SECTION_HEADER_LAST))
            return last || !e[0] ? status : NOT_IN_PLACE;
        last = e[0] == ELTORITO_SECTION_HEADER_LAST;
        left = get_le16(e + 2);
        at += ELTORITO_ENTRY_SIZE;
    }
    return status == FSI_OK && (left || !last) ? NOT_IN_PLACE : status;
}

/* Notes the identifier of the record opening sector `s` of directory `index`: the break the
   in-place layout keeps (fs_tree_place_records_at). */
static enum fsi_status note_break(struct usage_walk *w, uint32_t index, const uint8_t *record,
                                  const uint8_t *previous)
{
    struct iso_usage *u = w->u;
    struct iso_usage_break *b;
    uint8_t length = record[32];

    if (previous && previous[32] == length && !memcmp(previous + 33, record + 33, length))
        u->dirs[index].has_breaks = 0;  /* a multi-extent file's records go on */
    if (array_grow((void **)&u->breaks, &w->break_capacity, u->break_count + 1, sizeof(*b)) !=
        FSI_OK)
        return FSI_E_OUT_OF_MEMORY;
    b = &u->breaks[u->break_count++];
    b->length = length;
    memcpy(b->bytes, record + 33, length);
    return FSI_OK;
}

static enum fsi_status note_run(struct fsi_disc_extent **runs, size_t *count, size_t *capacity,
                                uint32_t first, uint32_t sectors)
{
    if (!sectors)
        return FSI_OK;
    if (array_grow((void **)runs, capacity, *count + 1, sizeof(**runs)) != FSI_OK)
        return FSI_E_OUT_OF_MEMORY;
    (*runs)[*count].first_sector = first;
    (*runs)[*count].sector_count = sectors;
    (*count)++;
    return FSI_OK;
}

static enum fsi_status note_dir(struct usage_walk *w, uint32_t parent, const uint8_t *id,
                                uint8_t id_length, uint32_t extent, uint32_t length,
                                const uint8_t *date)
{
    struct iso_usage *u = w->u;
    struct iso_usage_dir *d;

    uint32_t sectors = (length + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE, s;

    if (length > MAX_DIRECTORY_BYTES || !length || u->dir_count >= w->c->disc->sector_count ||
        (uint64_t)extent + sectors > w->c->disc->sector_count)
        return NOT_IN_PLACE;
    /* Directories sharing a sector are no tree to take over (a loop, a link, or a hostile disc
       multiplying them): refused as they are met, so they cost no memory. */
    if (!w->dir_sectors) {
        w->dir_sectors = calloc((size_t)w->c->disc->sector_count / 8 + 1, 1);
        if (!w->dir_sectors)
            return FSI_E_OUT_OF_MEMORY;
    }
    for (s = extent; s < extent + sectors; s++) {
        if (w->dir_sectors[s / 8] & (1u << (s % 8)))
            return NOT_IN_PLACE;
        w->dir_sectors[s / 8] |= (uint8_t)(1u << (s % 8));
    }
    if (array_grow((void **)&u->dirs, &w->dir_capacity, u->dir_count + 1, sizeof(*d)) !=
        FSI_OK)
        return FSI_E_OUT_OF_MEMORY;
    d = &u->dirs[u->dir_count++];
    memset(d, 0, sizeof(*d));
    d->parent = parent;
    d->extent = extent;
    d->sectors = sectors;
    d->id_length = id_length;
    memcpy(d->id, id, id_length);
    memcpy(d->date, date, sizeof(d->date));
    return note_run(&u->metadata, &u->metadata_count, &w->metadata_capacity, extent, d->sectors);
}

/* The records of directory `index`: its subdirectories noted after the others, its files'
   data as used. */
static enum fsi_status usage_directory(struct usage_walk *w, uint32_t index)
{
    struct iso_usage *u = w->u;
    uint32_t extent = u->dirs[index].extent, sectors = u->dirs[index].sectors, s;
    uint8_t *data = malloc((size_t)sectors * ECMA119_SECTOR_SIZE);
    enum fsi_status status;
    const uint8_t *last = NULL;
    int records = 0;

    if (!data)
        return FSI_E_OUT_OF_MEMORY;
    u->dirs[index].first_child = u->dir_count;
    u->dirs[index].first_break = (uint32_t)u->break_count;
    u->dirs[index].has_breaks = 1;
    status = import_read(w->c, extent, sectors, data, "a directory");
    for (s = 0; s < sectors && status == FSI_OK; s++) {
        const uint8_t *sector = data + (size_t)s * ECMA119_SECTOR_SIZE;
        uint32_t p = 0;
        if (s > 0 && !sector[0])
            u->dirs[index].has_breaks = 0;  /* a sector without records */
        if (s > 0 && sector[0] && sector[0] >= RECORD_FIXED + 1 &&
            RECORD_FIXED + (uint32_t)sector[32] <= sector[0])
            status = note_break(w, index, sector, last);
        while (p < ECMA119_SECTOR_SIZE && status == FSI_OK) {
            uint8_t r = sector[p], id_length;
            uint32_t location, size;
            if (r == 0)
                break;
            if (r < RECORD_FIXED + 1 || p + r > ECMA119_SECTOR_SIZE ||
                RECORD_FIXED + (uint32_t)sector[p + 32] > r || sector[p + 1] ||
                sector[p + 26] || sector[p + 27]) {
                status = NOT_IN_PLACE;  /* malformed, extended attributes, interleaving */
                break;
            }
            id_length = sector[p + 32];
            location = get_le32(sector + p + 2);
            size = get_le32(sector + p + 10);
            last = sector + p;
            records++;
            if (records <= 2 && id_length == 1 && sector[p + 33] <= 1) {
                p += r;
                continue;
            }
            if ((uint64_t)location + (size + (uint64_t)ECMA119_SECTOR_SIZE - 1) /
                                         ECMA119_SECTOR_SIZE > w->c->disc->sector_count) {
                status = NOT_IN_PLACE;
                break;
            }
            if (sector[p + 25] & FLAG_DIRECTORY)
                status = note_dir(w, index, sector + p + 33, id_length, location, size,
                                  sector + p + 18);
            else
                status = note_run(&u->data, &u->data_count, &w->data_capacity, location,
                                  (uint32_t)(((uint64_t)size + ECMA119_SECTOR_SIZE - 1) /
                                             ECMA119_SECTOR_SIZE));
            p += r;
        }
    }
    u->dirs[index].child_count = u->dir_count - u->dirs[index].first_child;
    free(data);
    return status;
}

static int compare_dir_extents(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* 1 when two directories share an extent (a loop, or a hard-linked directory). */
static int directories_repeat(const struct iso_usage *u)
{
    uint32_t *extents = malloc((u->dir_count + 1) * sizeof(*extents)), i;
    int repeat = extents == NULL;

    for (i = 0; extents && i < u->dir_count; i++)
        extents[i] = u->dirs[i].extent;
    if (extents)
        qsort(extents, u->dir_count, sizeof(*extents), compare_dir_extents);
    for (i = 1; extents && i < u->dir_count && !repeat; i++)
        repeat = extents[i] == extents[i - 1];
    free(extents);
    return repeat;
}

void iso_usage_free(struct iso_usage *usage)
{
    free(usage->dirs);
    free(usage->metadata);
    free(usage->data);
    free(usage->breaks);
    memset(usage, 0, sizeof(*usage));
}

enum fsi_status iso_read_usage(const struct fsi_disc *disc, int joliet, struct iso_usage *usage)
{
    struct fsi_import_info info;
    struct import_context c;
    struct usage_walk w;
    uint8_t vd[ECMA119_SECTOR_SIZE];
    uint32_t where, i, table_sectors;
    enum fsi_status status;

    memset(usage, 0, sizeof(*usage));
    memset(&info, 0, sizeof(info));
    memset(&c, 0, sizeof(c));
    memset(&w, 0, sizeof(w));
    c.disc = disc;
    c.info = &info;
    c.budget = 2 * (uint64_t)disc->sector_count + 64;  /* a loop runs out of it */
    w.c = &c;
    w.u = usage;
    status = find_descriptor(&c, joliet, vd, &where);
    if (status == FSI_OK && !where)
        status = FSI_E_NOT_FOUND;
    if (status == FSI_OK && (get_le16(vd + 128) != ECMA119_SECTOR_SIZE || vd[156] < 34 ||
                             vd[156 + 1] || get_le32(vd + 144) || get_be32(vd + 152)))
        status = NOT_IN_PLACE;      /* another block size, or optional path tables */
    if (status != FSI_OK)
        return status;
    usage->descriptor_sector = where;
    /* The set up to its terminator. */
    for (i = ECMA119_SYSTEM_AREA_SECTORS; status == FSI_OK; i++) {
        uint8_t sector[ECMA119_SECTOR_SIZE];
        if (i >= ECMA119_SYSTEM_AREA_SECTORS + MAX_DESCRIPTORS)
            status = NOT_IN_PLACE;
        else
            status = import_read(&c, i, 1, sector, "a volume descriptor");
        if (status == FSI_OK && memcmp(sector + 1, ECMA119_STANDARD_ID, ECMA119_STANDARD_ID_SIZE))
            status = NOT_IN_PLACE;
        if (status == FSI_OK && sector[0] == ECMA119_VD_SET_TERMINATOR) {
            usage->terminator_sector = i;
            break;
        }
        if (status == FSI_OK && sector[0] == ECMA119_VD_BOOT_RECORD &&
            !memcmp(sector + 7, ELTORITO_SYSTEM_ID, sizeof(ELTORITO_SYSTEM_ID) - 1))
            status = note_boot(&w, i, get_le32(sector + 71));
    }
    if (status == FSI_OK)
        status = note_run(&usage->metadata, &usage->metadata_count, &w.metadata_capacity,
                          ECMA119_SYSTEM_AREA_SECTORS,
                          usage->terminator_sector + 1 - ECMA119_SYSTEM_AREA_SECTORS);
    usage->path_table_size = get_le32(vd + 132);
    usage->path_table[0] = get_le32(vd + 140);
    usage->path_table[1] = get_be32(vd + 148);
    table_sectors = (uint32_t)(((uint64_t)usage->path_table_size + ECMA119_SECTOR_SIZE - 1) /
                               ECMA119_SECTOR_SIZE);
    for (i = 0; i < 2 && status == FSI_OK; i++)
        if (usage->path_table[i] < ECMA119_SYSTEM_AREA_SECTORS ||
            (uint64_t)usage->path_table[i] + table_sectors > disc->sector_count)
            status = NOT_IN_PLACE;  /* where nothing can be kept */
        else
            status = note_run(&usage->metadata, &usage->metadata_count, &w.metadata_capacity,
                              usage->path_table[i], table_sectors);
    if (status == FSI_OK)
        status = note_dir(&w, 0, (const uint8_t *)"", 1, get_le32(vd + 156 + 2),
                          get_le32(vd + 156 + 10), vd + 156 + 18);
    for (i = 0; i < usage->dir_count && status == FSI_OK; i++)
        status = usage_directory(&w, i);     /* a loop runs out of the read budget */
    if (status == FSI_OK && directories_repeat(usage))
        status = NOT_IN_PLACE;
    if (status == FSI_OK) {
        usage->metadata_count = disc_runs_merge(usage->metadata, usage->metadata_count);
        usage->data_count = disc_runs_merge(usage->data, usage->data_count);
        if (runs_overlap(usage->metadata, usage->metadata_count, usage->data, usage->data_count))
            status = NOT_IN_PLACE;
    }
    free(w.dir_sectors);
    if (status != FSI_OK)
        iso_usage_free(usage);
    return status == FSI_E_OUT_OF_MEMORY || status == FSI_OK ? status : NOT_IN_PLACE;
}
