/*
 * The readers' common part (import.h, import_internal.h): identifying and dispatching to the
 * ISO 9660/Joliet and UDF readers, bounded sector reads, error sentences, and the source of an
 * imported file, which reads its bytes from the disc's extents when the image is read. That
 * source is reference counted, so snapshots of the tree share it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "openfsi/media.h"

#define BOUNCE_SECTORS 32

struct disc_data {
    int holds;
    const struct fsi_disc *disc;
    uint64_t size;
    size_t count;
    struct fsi_disc_extent extents[1];  /* count of them */
};

static enum fsi_status disc_data_read(void *context, uint64_t offset, void *buffer, size_t length,
                                      size_t *done)
{
    struct disc_data *data = context;
    uint8_t bounce[BOUNCE_SECTORS * IMPORT_SECTOR_SIZE];
    uint8_t *out = buffer;
    uint64_t extent_start = 0;
    size_t e = 0;

    *done = 0;
    if (offset >= data->size)
        return FSI_OK;
    if (length > data->size - offset)
        length = (size_t)(data->size - offset);
    while (length) {
        uint64_t extent_bytes, within;
        uint32_t sector, sectors;
        size_t skip, n;

        while (e < data->count &&
               offset >= extent_start + (uint64_t)data->extents[e].sector_count * IMPORT_SECTOR_SIZE) {
            extent_start += (uint64_t)data->extents[e].sector_count * IMPORT_SECTOR_SIZE;
            e++;
        }
        if (e == data->count)
            return FSI_E_SOURCE_READ;   /* the extents hold less than the size: refused at import */
        extent_bytes = (uint64_t)data->extents[e].sector_count * IMPORT_SECTOR_SIZE;
        within = offset - extent_start;
        sector = data->extents[e].first_sector + (uint32_t)(within / IMPORT_SECTOR_SIZE);
        skip = (size_t)(within % IMPORT_SECTOR_SIZE);
        n = length;
        if (n > extent_bytes - within)
            n = (size_t)(extent_bytes - within);
        if (n > sizeof(bounce) - skip)
            n = sizeof(bounce) - skip;
        sectors = (uint32_t)((skip + n + IMPORT_SECTOR_SIZE - 1) / IMPORT_SECTOR_SIZE);
        if ((uint64_t)sector + sectors > data->disc->sector_count ||
            data->disc->read(data->disc->context, sector, sectors, bounce) != FSI_OK)
            return FSI_E_SOURCE_READ;
        memcpy(out, bounce + skip, n);
        out += n;
        offset += n;
        length -= n;
        *done += n;
    }
    return FSI_OK;
}

static void disc_data_release(void *context)
{
    struct disc_data *data = context;
    if (--data->holds == 0)
        free(data);
}

static void disc_data_retain(void *context)
{
    ((struct disc_data *)context)->holds++;
}

static const struct fsi_source_callbacks disc_data_callbacks = { disc_data_read,
                                                                 disc_data_release,
                                                                 disc_data_retain };

enum fsi_status import_read(struct import_context *c, uint32_t first, uint32_t count,
                            void *buffer, const char *what)
{
    if ((uint64_t)first + count > c->disc->sector_count)
        return import_corrupt(c, what, first, "it lies beyond the end of the disc");
    if (count > c->budget)
        return import_corrupt(c, what, first,
                              "reading it would read more sectors than the disc holds twice "
                              "over (a loop?)");
    c->budget -= count;
    if (c->disc->read(c->disc->context, first, count, buffer) != FSI_OK) {
        snprintf(c->info->error, sizeof(c->info->error), "%s at sector %lu could not be read",
                 what, (unsigned long)first);
        return FSI_E_DISC_READ;
    }
    return FSI_OK;
}

enum fsi_status import_corrupt(struct import_context *c, const char *what, uint32_t sector,
                               const char *why)
{
    snprintf(c->info->error, sizeof(c->info->error), "%s at sector %lu: %s", what,
             (unsigned long)sector, why);
    return FSI_E_CORRUPT_FILE_SYSTEM;
}

/* A name for a message: printable ASCII as it is, anything else as '?'. */
static void printable_name(const uint16_t *name, size_t length, char *text, size_t size)
{
    size_t i, n = 0;

    for (i = 0; i < length && n + 1 < size; i++)
        text[n++] = name[i] < 0x80 && name[i] >= 0x20 ? (char)name[i] : '?';
    text[n] = 0;
}

static enum fsi_status bad_entry(struct import_context *c, enum fsi_status status,
                                 const uint16_t *name, size_t length)
{
    char text[200];

    printable_name(name, length, text, sizeof(text));
    snprintf(c->info->error, sizeof(c->info->error), "the entry \"%s\" cannot be imported: %s",
             text, fsi_status_message(status));
    return status == FSI_E_OUT_OF_MEMORY ? status : FSI_E_CORRUPT_FILE_SYSTEM;
}

/* Checks `extents` against the disc and `size`; *data gets the source's state (NULL for no
   bytes). */
static enum fsi_status make_disc_data(struct import_context *c, uint64_t size,
                                      const struct fsi_disc_extent *extents, size_t count,
                                      struct disc_data **data)
{
    uint64_t held = 0;
    size_t i;

    *data = NULL;
    for (i = 0; i < count; i++) {
        if ((uint64_t)extents[i].first_sector + extents[i].sector_count > c->disc->sector_count)
            return import_corrupt(c, "a file's data", extents[i].first_sector,
                                  "it lies beyond the end of the disc");
        held += (uint64_t)extents[i].sector_count * IMPORT_SECTOR_SIZE;
    }
    if (held < size)
        return import_corrupt(c, "a file's data", count ? extents[0].first_sector : 0,
                              "its extents hold fewer bytes than its size");
    if (!size)
        return FSI_OK;
    *data = malloc(sizeof(**data) + (count ? count - 1 : 0) * sizeof((*data)->extents[0]));
    if (!*data)
        return FSI_E_OUT_OF_MEMORY;
    (*data)->holds = 1;
    (*data)->disc = c->disc;
    (*data)->size = size;
    (*data)->count = count;
    memcpy((*data)->extents, extents, count * sizeof(*extents));
    return FSI_OK;
}

int import_is_new(const struct import_context *c, const struct fsi_node *node)
{
    return node->id >= c->first_id;
}

/* The item of `parent` named `name` that was in the tree before the import, or NULL. */
static struct fsi_node *older_item(struct import_context *c, struct fsi_node *parent,
                                   const uint16_t *name, size_t length)
{
    struct fsi_node *node = fsi_tree_find(c->tree, parent, name, length);
    return node && !import_is_new(c, node) ? node : NULL;
}

static enum fsi_status collision(struct import_context *c, enum fsi_status status,
                                 const uint16_t *name, size_t length)
{
    char text[200];

    printable_name(name, length, text, sizeof(text));
    snprintf(c->info->error, sizeof(c->info->error), "\"%s\": %s", text,
             fsi_status_message(status));
    return status;
}

/* Adds a file to directory `parent`, or a named stream to file `parent` when `stream`. */
static enum fsi_status add_item(struct import_context *c, struct fsi_node *parent, int stream,
                                const uint16_t *name, size_t length, uint64_t size,
                                const struct fsi_source *source, struct fsi_node **out)
{
    struct fsi_node *node = NULL, *older = stream ? NULL : older_item(c, parent, name, length);
    enum fsi_status status;

    if (older && fsi_node_is_directory(older)) {
        if (out)
            *out = NULL;
        return collision(c, FSI_E_IMPORT_FILE_IS_DIRECTORY, name, length);
    }
    if (older)
        status = fsi_tree_new_file(c->tree, name, length, size, source, &node);
    else if (stream)
        status = fsi_tree_add_stream(c->tree, parent, name, length, size, source, &node);
    else
        status = fsi_tree_add_file(c->tree, parent, name, length, size, source, &node);
    if (out)
        *out = node;
    return status == FSI_OK ? status : bad_entry(c, status, name, length);
}

static enum fsi_status add_from_extents(struct import_context *c, struct fsi_node *parent,
                                        int stream, const uint16_t *name, size_t length,
                                        uint64_t size, const struct fsi_disc_extent *extents,
                                        size_t count, struct fsi_node **out)
{
    struct fsi_source none = { FSI_SOURCE_NONE, { NULL } }, source;
    struct disc_data *data;
    struct fsi_node *node;
    enum fsi_status status = make_disc_data(c, size, extents, count, &data);

    if (status != FSI_OK)
        return status;
    if (!data)
        return add_item(c, parent, stream, name, length, 0, &none, out);
    source = fsi_source_callback(&disc_data_callbacks, data);
    status = add_item(c, parent, stream, name, length, size, &source, &node);
    if (status != FSI_OK) {
        free(data);
        return status;
    }
    node->disc_extents = data->extents;
    node->disc_extent_count = (uint32_t)count;
    if (out)
        *out = node;
    return FSI_OK;
}

enum fsi_status import_add_file(struct import_context *c, struct fsi_node *parent,
                                const uint16_t *name, size_t length, uint64_t size,
                                const struct fsi_disc_extent *extents, size_t count,
                                struct fsi_node **out)
{
    return add_from_extents(c, parent, 0, name, length, size, extents, count, out);
}

enum fsi_status import_add_stream(struct import_context *c, struct fsi_node *file,
                                  const uint16_t *name, size_t length, uint64_t size,
                                  const struct fsi_disc_extent *extents, size_t count,
                                  struct fsi_node **out)
{
    return add_from_extents(c, file, 1, name, length, size, extents, count, out);
}

/* The bytes of a file recorded inside a descriptor, copied at import (reference counted). */
struct embedded_data {
    int holds;
    size_t size;
    uint8_t bytes[1];                   /* size of them */
};

static enum fsi_status embedded_read(void *context, uint64_t offset, void *buffer, size_t length,
                                     size_t *done)
{
    const struct embedded_data *data = context;

    *done = 0;
    if (offset >= data->size)
        return FSI_OK;
    if (length > data->size - offset)
        length = (size_t)(data->size - offset);
    memcpy(buffer, data->bytes + offset, length);
    *done = length;
    return FSI_OK;
}

static void embedded_release(void *context)
{
    struct embedded_data *data = context;
    if (--data->holds == 0)
        free(data);
}

static void embedded_retain(void *context)
{
    ((struct embedded_data *)context)->holds++;
}

static const struct fsi_source_callbacks embedded_callbacks = { embedded_read, embedded_release,
                                                                embedded_retain };

enum fsi_status import_add_embedded(struct import_context *c, struct fsi_node *parent,
                                    int stream, const uint16_t *name, size_t length,
                                    const uint8_t *bytes, size_t size, struct fsi_node **out)
{
    struct fsi_source none = { FSI_SOURCE_NONE, { NULL } }, source;
    struct embedded_data *data;
    enum fsi_status status;

    if (!size)
        return add_item(c, parent, stream, name, length, 0, &none, out);
    data = malloc(sizeof(*data) + size - 1);
    if (!data)
        return FSI_E_OUT_OF_MEMORY;
    data->holds = 1;
    data->size = size;
    memcpy(data->bytes, bytes, size);
    source = fsi_source_callback(&embedded_callbacks, data);
    status = add_item(c, parent, stream, name, length, size, &source, out);
    if (status != FSI_OK)
        free(data);
    return status;
}

enum fsi_status import_add_directory(struct import_context *c, struct fsi_node *parent,
                                     const uint16_t *name, size_t length, struct fsi_node **out)
{
    struct fsi_node *older = older_item(c, parent, name, length);
    enum fsi_status status;

    if (older) {
        *out = fsi_node_is_directory(older) ? older : NULL;
        return *out ? FSI_OK : collision(c, FSI_E_IMPORT_DIRECTORY_IS_FILE, name, length);
    }
    status = fsi_tree_add_directory(c->tree, parent, name, length, out);
    return status == FSI_OK ? status : bad_entry(c, status, name, length);
}

static void context_init(struct import_context *c, const struct fsi_disc *disc,
                         uint32_t session_start, struct fsi_tree *tree,
                         struct fsi_import_info *info)
{
    memset(c, 0, sizeof(*c));
    c->disc = disc;
    c->session_start = session_start;
    c->tree = tree;
    c->info = info;
    c->budget = 2 * (uint64_t)disc->sector_count + 1024;
    c->first_id = tree ? tree_node_id_limit(tree) : 0;
}

enum fsi_status fsi_disc_identify(const struct fsi_disc *disc, uint32_t session_start,
                                  uint32_t *file_systems)
{
    struct fsi_import_info info;
    struct import_context c;

    if (!disc || !disc->read || !file_systems)
        return FSI_E_INVALID_ARGUMENT;
    memset(&info, 0, sizeof(info));
    context_init(&c, disc, session_start, NULL, &info);
    *file_systems = 0;
    iso_import_identify(&c, file_systems);
    if (udf_import_identify(&c))
        *file_systems |= FSI_FILE_SYSTEM_UDF;
    return FSI_OK;
}

enum fsi_status fsi_disc_import(const struct fsi_disc *disc, uint32_t session_start,
                                uint32_t file_system, struct fsi_tree *tree,
                                struct fsi_import_info *info)
{
    struct import_context c;

    if (!disc || !disc->read || !tree || !info)
        return FSI_E_INVALID_ARGUMENT;
    memset(info, 0, sizeof(*info));
    context_init(&c, disc, session_start, tree, info);
    info->file_system = file_system;
    switch (file_system) {
    case FSI_FILE_SYSTEM_ISO9660: return iso_import(&c, 0);
    case FSI_FILE_SYSTEM_JOLIET: return iso_import(&c, 1);
    case FSI_FILE_SYSTEM_UDF: return udf_import(&c);
    default: return FSI_E_INVALID_ARGUMENT;
    }
}

enum fsi_status udf_read_usage(const struct fsi_disc *disc, struct udf_usage *usage)
{
    struct fsi_import_info info;
    struct import_context c;
    struct fsi_tree *tree;
    enum fsi_status status;

    memset(usage, 0, sizeof(*usage));
    if (!disc || !disc->read)
        return FSI_E_INVALID_ARGUMENT;
    tree = fsi_tree_create();
    if (!tree)
        return FSI_E_OUT_OF_MEMORY;
    memset(&info, 0, sizeof(info));
    context_init(&c, disc, 0, tree, &info);
    info.file_system = FSI_FILE_SYSTEM_UDF;
    usage->plain = 1;
    c.usage = usage;
    status = udf_import(&c);
    fsi_tree_destroy(tree);
    if (status == FSI_OK)
        udf_usage_sort(usage);
    else
        udf_usage_free(usage);
    return status;
}

uint32_t fsi_preferred_file_system(uint32_t found)
{
    if (found & FSI_FILE_SYSTEM_UDF)
        return FSI_FILE_SYSTEM_UDF;
    if (found & FSI_FILE_SYSTEM_JOLIET)
        return FSI_FILE_SYSTEM_JOLIET;
    return found & FSI_FILE_SYSTEM_ISO9660;
}

enum fsi_status fsi_disc_validate(const struct fsi_disc *disc, struct fsi_import_info *info)
{
    uint32_t found = 0, system;
    enum fsi_status status;
    struct fsi_tree *tree;

    if (!disc || !info)
        return FSI_E_INVALID_ARGUMENT;
    memset(info, 0, sizeof(*info));
    status = fsi_disc_identify(disc, 0, &found);
    if (status != FSI_OK)
        return status;
    system = fsi_preferred_file_system(found);
    if (!system) {
        snprintf(info->error, sizeof(info->error),
                 "no ISO 9660, Joliet or UDF volume descriptors were found");
        return FSI_E_NOT_FOUND;
    }
    tree = fsi_tree_create();
    if (!tree)
        return FSI_E_OUT_OF_MEMORY;
    status = fsi_disc_import(disc, 0, system, tree, info);
    fsi_tree_destroy(tree);
    return status;
}

int import_node_reads_disc(const struct fsi_node *node, const struct fsi_disc *disc)
{
    const struct disc_data *data;

    if (!node->disc_extent_count || node->source.kind != FSI_SOURCE_CALLBACK ||
        node->source.u.callback.callbacks != &disc_data_callbacks)
        return 0;
    data = node->source.u.callback.context;
    return data->extents == node->disc_extents && data->disc->read == disc->read &&
           data->disc->context == disc->context;
}

const struct fsi_disc_extent *fsi_node_disc_extents(const struct fsi_node *node, size_t *count)
{
    *count = node ? node->disc_extent_count : 0;
    return node ? node->disc_extents : NULL;
}
