/*
 * The tree of items (include/openfsi/tree.h): nodes, their children in insertion order, and one
 * hash table over (parent, case-folded name) so that adding and finding stay O(1) however large
 * a directory grows.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "names.h"
#include "tree_internal.h"

struct fsi_tree {
    struct arena arena;             /* nodes, names and host paths */
    struct fsi_node root;
    struct fsi_node **buckets;
    size_t bucket_count;            /* a power of two */
    size_t node_count;              /* in the table: every node but the root; the last id */
    size_t file_count;
    size_t directory_count;
};

#define FIRST_BUCKET_COUNT 1024

static size_t bucket_of(const struct fsi_tree *tree, const struct fsi_node *parent,
                        const uint16_t *name, size_t length)
{
    uint64_t h = name_hash_nocase(name, length);
    h ^= (uint64_t)(uintptr_t)parent * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return (size_t)(h & (tree->bucket_count - 1));
}

struct fsi_tree *fsi_tree_create(void)
{
    struct fsi_tree *tree = calloc(1, sizeof(*tree));

    if (!tree)
        return NULL;
    arena_init(&tree->arena);
    tree->bucket_count = FIRST_BUCKET_COUNT;
    tree->buckets = calloc(tree->bucket_count, sizeof(*tree->buckets));
    if (!tree->buckets) {
        free(tree);
        return NULL;
    }
    tree->root.is_directory = 1;
    return tree;
}

static void release_sources_and_children(struct fsi_node *node)
{
    uint32_t i;

    for (i = 0; i < node->child_count; i++)
        release_sources_and_children(node->children[i]);
    if (node->source.kind == FSI_SOURCE_CALLBACK && node->source.u.callback.callbacks->release)
        node->source.u.callback.callbacks->release(node->source.u.callback.context);
    free(node->children);
}

void fsi_tree_destroy(struct fsi_tree *tree)
{
    if (!tree)
        return;
    release_sources_and_children(&tree->root);
    free(tree->buckets);
    arena_free(&tree->arena);
    free(tree);
}

struct fsi_node *fsi_tree_root(struct fsi_tree *tree)
{
    return &tree->root;
}

struct fsi_node *fsi_tree_find(const struct fsi_tree *tree, const struct fsi_node *parent,
                               const uint16_t *name, size_t length)
{
    struct fsi_node *node;

    for (node = tree->buckets[bucket_of(tree, parent, name, length)]; node; node = node->hash_next)
        if (node->parent == parent &&
            name_equal_nocase(node->name, node->name_length, name, length))
            return node;
    return NULL;
}

/* Doubles the table when it holds more nodes than buckets. */
static enum fsi_status grow_table(struct fsi_tree *tree)
{
    size_t count = tree->bucket_count * 2, i;
    struct fsi_node **buckets = calloc(count, sizeof(*buckets));
    struct fsi_node **old = tree->buckets;
    size_t old_count = tree->bucket_count;

    if (!buckets)
        return FSI_E_OUT_OF_MEMORY;
    tree->buckets = buckets;
    tree->bucket_count = count;
    for (i = 0; i < old_count; i++) {
        struct fsi_node *node = old[i];
        while (node) {
            struct fsi_node *next = node->hash_next;
            size_t b = bucket_of(tree, node->parent, node->name, node->name_length);
            node->hash_next = buckets[b];
            buckets[b] = node;
            node = next;
        }
    }
    free(old);
    return FSI_OK;
}

static enum fsi_status append_child(struct fsi_node *parent, struct fsi_node *child)
{
    if (parent->child_count == parent->child_capacity) {
        uint32_t capacity = parent->child_capacity ? parent->child_capacity * 2 : 4;
        struct fsi_node **children;
        if (capacity < parent->child_capacity)
            return FSI_E_OUT_OF_MEMORY;
        children = realloc(parent->children, capacity * sizeof(*children));
        if (!children)
            return FSI_E_OUT_OF_MEMORY;
        parent->children = children;
        parent->child_capacity = capacity;
    }
    parent->children[parent->child_count++] = child;
    return FSI_OK;
}

static enum fsi_status add_node(struct fsi_tree *tree, struct fsi_node *parent,
                                const uint16_t *name, size_t length, struct fsi_node **out)
{
    struct fsi_node *node;
    enum fsi_status status;
    size_t b;

    if (!tree || !parent || (!name && length))
        return FSI_E_INVALID_ARGUMENT;
    if (!parent->is_directory)
        return FSI_E_NOT_DIRECTORY;
    status = name_check(name, length);
    if (status != FSI_OK)
        return status;
    if (fsi_tree_find(tree, parent, name, length))
        return FSI_E_DUPLICATE_NAME;
    if (tree->node_count >= tree->bucket_count && grow_table(tree) != FSI_OK)
        return FSI_E_OUT_OF_MEMORY;

    node = arena_alloc(&tree->arena, sizeof(*node));
    if (!node)
        return FSI_E_OUT_OF_MEMORY;
    memset(node, 0, sizeof(*node));
    node->name = arena_copy(&tree->arena, name, length * sizeof(*name));
    if (!node->name)
        return FSI_E_OUT_OF_MEMORY;
    node->name_length = (uint16_t)length;
    node->parent = parent;
    status = append_child(parent, node);
    if (status != FSI_OK)
        return status;
    b = bucket_of(tree, parent, name, length);
    node->hash_next = tree->buckets[b];
    tree->buckets[b] = node;
    tree->node_count++;
    node->id = (uint32_t)tree->node_count;
    *out = node;
    return FSI_OK;
}

enum fsi_status fsi_tree_add_directory(struct fsi_tree *tree, struct fsi_node *parent,
                                       const uint16_t *name, size_t length,
                                       struct fsi_node **out)
{
    struct fsi_node *node;
    enum fsi_status status = add_node(tree, parent, name, length, &node);

    if (status != FSI_OK)
        return status;
    node->is_directory = 1;
    tree->directory_count++;
    if (out)
        *out = node;
    return FSI_OK;
}

enum fsi_status fsi_tree_add_file(struct fsi_tree *tree, struct fsi_node *parent,
                                  const uint16_t *name, size_t length, uint64_t size,
                                  const struct fsi_source *source, struct fsi_node **out)
{
    struct fsi_source copy;
    struct fsi_node *node;
    enum fsi_status status;

    if (!source)
        return FSI_E_INVALID_ARGUMENT;
    copy = *source;
    switch (source->kind) {
    case FSI_SOURCE_NONE:
        if (size)
            return FSI_E_INVALID_ARGUMENT;
        break;
    case FSI_SOURCE_HOST_FILE:
        if (!source->u.host_path)
            return FSI_E_INVALID_ARGUMENT;
        copy.u.host_path = arena_copy(&tree->arena, source->u.host_path,
                                      strlen(source->u.host_path) + 1);
        if (!copy.u.host_path)
            return FSI_E_OUT_OF_MEMORY;
        break;
    case FSI_SOURCE_MEMORY:
        if (!source->u.memory.data && source->u.memory.size)
            return FSI_E_INVALID_ARGUMENT;
        break;
    case FSI_SOURCE_CALLBACK:
        if (!source->u.callback.callbacks || !source->u.callback.callbacks->read)
            return FSI_E_INVALID_ARGUMENT;
        break;
    default:
        return FSI_E_INVALID_ARGUMENT;
    }
    status = add_node(tree, parent, name, length, &node);
    if (status != FSI_OK)
        return status;
    node->size = size;
    node->source = copy;
    tree->file_count++;
    if (out)
        *out = node;
    return FSI_OK;
}

size_t fsi_tree_file_count(const struct fsi_tree *tree) { return tree->file_count; }
uint32_t tree_node_id_limit(const struct fsi_tree *tree) { return (uint32_t)tree->node_count + 1; }
size_t fsi_tree_directory_count(const struct fsi_tree *tree) { return tree->directory_count; }

void fsi_node_set_times(struct fsi_node *node, fsi_time created, fsi_time accessed,
                        fsi_time modified)
{
    node->created = created;
    node->accessed = accessed;
    node->modified = modified;
}

void fsi_node_set_hidden(struct fsi_node *node, int hidden) { node->hidden = hidden != 0; }
int fsi_node_is_directory(const struct fsi_node *node) { return node->is_directory; }
uint64_t fsi_node_size(const struct fsi_node *node) { return node->size; }
struct fsi_node *fsi_node_parent(const struct fsi_node *node) { return node->parent; }
size_t fsi_node_child_count(const struct fsi_node *node) { return node->child_count; }

const uint16_t *fsi_node_name(const struct fsi_node *node, size_t *length)
{
    if (length)
        *length = node->name_length;
    return node->name;
}

struct fsi_node *fsi_node_child(const struct fsi_node *node, size_t index)
{
    return index < node->child_count ? node->children[index] : NULL;
}
