/*
 * One item's on-disc name (include/openfsi/disc_names.h). Identifiers depend on the siblings
 * (collisions get suffixes in child order), so the whole directory's identifiers are made with
 * the layout's own functions (names.h, udf_names.h) and the item's is picked out. Nothing here is
 * kept: each call costs one pass over the item's directory (none for a UDF name that fits).
 */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "tree_internal.h"
#include "udf_cs0.h"
#include "udf_names.h"
#include "openfsi/disc_names.h"

/* Copies an identifier as a reader shows it: no ";1", no bare '.' before it. */
static size_t shown_identifier(const struct identifier *id, enum fsi_disc_name_system system,
                               uint16_t *out, size_t capacity)
{
    size_t unit_size = system == FSI_DISC_NAME_JOLIET ? 2 : 1;
    size_t count = id->length / unit_size, i;
    uint16_t units[128];

    for (i = 0; i < count && i < sizeof units / sizeof units[0]; i++)
        units[i] = unit_size == 2 ? (uint16_t)(id->bytes[2 * i] << 8 | id->bytes[2 * i + 1])
                                  : id->bytes[i];
    count = i;
    if (count >= 2 && units[count - 2] == ';' && units[count - 1] == '1')
        count -= 2;
    if (count >= 1 && units[count - 1] == '.')
        count--;
    for (i = 0; i < count && i < capacity; i++)
        out[i] = units[i];
    return count;
}

static void copy_units(const uint16_t *units, size_t count, uint16_t *out, size_t capacity)
{
    if (capacity)
        memcpy(out, units, (count < capacity ? count : capacity) * sizeof(uint16_t));
}

/* The UDF name: a name that fits is recorded whole whatever its siblings are called; only a
   long one needs the whole directory named (a named stream's siblings are its file's streams,
   which the stream directory names together). */
static enum fsi_status udf_disc_name(const struct fsi_node *node, uint16_t *out, size_t capacity,
                                     size_t *length)
{
    const struct fsi_node *owner = node->stream_owner;
    struct fsi_node *const *siblings = owner ? owner->streams
                                             : node->parent ? node->parent->children : NULL;
    uint32_t count = owner ? owner->stream_count : node->parent ? node->parent->child_count : 1;
    uint32_t i;
    uint8_t whole[UDF_NAME_MAX_SIZE];
    uint16_t shown[UDF_NAME_MAX_SIZE];
    struct udf_name *names;
    struct arena arena;
    enum fsi_status status;
    int ok = 0;

    if (udf_name_whole(node->name, node->name_length, whole)) {
        copy_units(node->name, node->name_length, out, capacity);
        *length = node->name_length;
        return FSI_OK;
    }
    names = malloc(count * sizeof(*names));
    if (!names)
        return FSI_E_OUT_OF_MEMORY;
    for (i = 0; i < count; i++) {
        const struct fsi_node *child = siblings ? siblings[i] : node;
        names[i].text = child->name;
        names[i].length = child->name_length;
    }
    if (count > 1)
        qsort(names, count, sizeof(*names), udf_name_compare);
    arena_init(&arena);
    status = udf_names_assign(names, count, &arena);
    for (i = 0; status == FSI_OK && i < count; i++)
        if (names[i].text == node->name) {
            *length = udf_cs0_decode(names[i].cs0, names[i].size, shown, UDF_NAME_MAX_SIZE, &ok);
            if (!ok)
                status = FSI_E_INVALID_NAME;
            copy_units(shown, *length, out, capacity);
            break;
        }
    arena_free(&arena);
    free(names);
    return status;
}

enum fsi_status fsi_disc_name(const struct fsi_node *node, enum fsi_disc_name_system system,
                              int iso9660_level, uint16_t *out, size_t capacity,
                              size_t *length)
{
    const struct fsi_node *parent;
    struct name_input *inputs;
    struct identifier *ids;
    struct arena arena;
    enum fsi_status status;
    uint32_t count, i, index = 0;

    if (!node || !length || (!out && capacity) || iso9660_level < 1 || iso9660_level > 3)
        return FSI_E_INVALID_ARGUMENT;
    *length = 0;
    if (node->id == 0)
        return FSI_OK;      /* the root */
    if (system == FSI_DISC_NAME_UDF)
        return udf_disc_name(node, out, capacity, length);

    /* A detached item has no siblings: it is named as if alone in a directory. */
    parent = node->parent;
    count = parent ? parent->child_count : 1;
    inputs = malloc(count * sizeof(*inputs));
    ids = malloc(count * sizeof(*ids));
    if (!inputs || !ids) {
        free(inputs);
        free(ids);
        return FSI_E_OUT_OF_MEMORY;
    }
    for (i = 0; i < count; i++) {
        const struct fsi_node *child = parent ? parent->children[i] : node;
        inputs[i].name = child->name;
        inputs[i].length = child->name_length;
        inputs[i].is_directory = child->is_directory;
        if (child == node)
            index = i;
    }
    arena_init(&arena);
    if (system == FSI_DISC_NAME_ISO9660)
        status = iso9660_identifiers(inputs, count, iso9660_level, &arena, ids);
    else
        status = joliet_identifiers(inputs, count, &arena, ids);
    if (status == FSI_OK)
        *length = shown_identifier(&ids[index], system, out, capacity);
    arena_free(&arena);
    free(inputs);
    free(ids);
    return status;
}
