/*
 * Paths in the tree (include/openfsi/tree.h): looking an item up by a path relative to a
 * directory, one name-table probe per component, and the full path IFsiItem::FullPath shows.
 * Paths here are the tree's own ("\\dir\\file"), not host paths and not on-disc identifiers.
 */
#include "names.h"
#include "tree_internal.h"

static int is_separator(uint16_t unit)
{
    return unit == '\\' || unit == '/';
}

/* The next component at or after `*position`: its start and length; 0 when there is none. */
static int next_component(const uint16_t *path, size_t length, size_t *position,
                          const uint16_t **start, size_t *component_length)
{
    size_t i = *position, begin;

    while (i < length && is_separator(path[i]))
        i++;
    if (i == length) {
        *position = i;
        return 0;
    }
    begin = i;
    while (i < length && !is_separator(path[i]))
        i++;
    *start = path + begin;
    *component_length = i - begin;
    *position = i;
    return 1;
}

/* Counts the components and checks all of them but the last `unchecked` ones. */
static enum fsi_status check_components(const uint16_t *path, size_t length, size_t unchecked,
                                        size_t *count)
{
    size_t position = 0, total = 0, n = 0, component_length;
    const uint16_t *component;

    while (next_component(path, length, &position, &component, &component_length))
        total++;
    position = 0;
    while (n + unchecked < total &&
           next_component(path, length, &position, &component, &component_length)) {
        if (name_check(component, component_length) != FSI_OK)
            return FSI_E_INVALID_PATH;
        n++;
    }
    *count = total;
    return FSI_OK;
}

/* Follows the first `count` components of `path` from `from`. */
static enum fsi_status walk(const struct fsi_tree *tree, const struct fsi_node *from,
                            const uint16_t *path, size_t length, size_t count,
                            struct fsi_node **out, size_t *position)
{
    struct fsi_node *node = (struct fsi_node *)from;
    size_t component_length, n;
    const uint16_t *component;

    *position = 0;
    for (n = 0; n < count; n++) {
        next_component(path, length, position, &component, &component_length);
        if (!node->is_directory)
            return FSI_E_NOT_DIRECTORY;
        node = fsi_tree_find(tree, node, component, component_length);
        if (!node)
            return FSI_E_NOT_FOUND;
    }
    *out = node;
    return FSI_OK;
}

enum fsi_status fsi_tree_lookup(const struct fsi_tree *tree, const struct fsi_node *from,
                                const uint16_t *path, size_t length, struct fsi_node **out)
{
    enum fsi_status status;
    size_t count, position;

    if (!out)
        return FSI_E_INVALID_ARGUMENT;
    *out = NULL;
    if (!tree || !from || from->tree != tree || (!path && length))
        return FSI_E_INVALID_ARGUMENT;
    status = check_components(path, length, 0, &count);
    if (status == FSI_OK)
        status = walk(tree, from, path, length, count, out, &position);
    if (status != FSI_OK)
        *out = NULL;
    return status;
}

enum fsi_status fsi_tree_lookup_parent(const struct fsi_tree *tree, const struct fsi_node *from,
                                       const uint16_t *path, size_t length,
                                       struct fsi_node **parent, const uint16_t **leaf,
                                       size_t *leaf_length)
{
    enum fsi_status status;
    size_t count, position;
    struct fsi_node *node = NULL;

    if (!parent || !leaf || !leaf_length)
        return FSI_E_INVALID_ARGUMENT;
    *parent = NULL;
    *leaf = NULL;
    *leaf_length = 0;
    if (!tree || !from || from->tree != tree || (!path && length))
        return FSI_E_INVALID_ARGUMENT;
    status = check_components(path, length, 1, &count);
    if (status == FSI_OK && !count)
        status = FSI_E_INVALID_PATH;
    if (status == FSI_OK)
        status = walk(tree, from, path, length, count - 1, &node, &position);
    if (status == FSI_OK && !node->is_directory)
        status = FSI_E_NOT_DIRECTORY;
    if (status != FSI_OK)
        return status;
    next_component(path, length, &position, leaf, leaf_length);
    *parent = node;
    return FSI_OK;
}

size_t fsi_node_path(const struct fsi_node *node, uint16_t *out, size_t capacity)
{
    const struct fsi_node *n;
    size_t total = 0, position, i;

    if (!node)
        return 0;
    if (!out)
        capacity = 0;
    if (node->stream_file) {
        /* A named stream: its file's path, ':' and its own name. */
        size_t file_length = fsi_node_path(node->stream_file, out, capacity);
        for (i = 0; i <= node->name_length; i++)
            if (file_length + i < capacity)
                out[file_length + i] = i ? node->name[i - 1] : ':';
        return file_length + 1 + node->name_length;
    }
    /* Every node on the way up but the root gives "\\name". */
    for (n = node; n && n != &n->tree->root; n = n->parent)
        total += 1 + (size_t)n->name_length;
    if (!total) {
        if (capacity)
            out[0] = '\\';
        return 1;
    }
    position = total;
    for (n = node; n && n != &n->tree->root; n = n->parent) {
        position -= n->name_length;
        for (i = 0; i < n->name_length && position + i < capacity; i++)
            out[position + i] = n->name[i];
        position--;
        if (position < capacity)
            out[position] = '\\';
    }
    return total;
}
