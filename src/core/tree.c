/*
 * The tree of items (include/openfsi/tree.h): nodes, their children in insertion order, one hash
 * table over (parent, case-folded name) so that adding and finding stay O(1) however large a
 * directory grows, detached items, attaching and removing. The change log and rollback are in
 * tree_changes.c, paths in tree_path.c, copies in tree_snapshot.c.
 *
 * A node is never freed before its tree (a COM item holds a raw pointer to it): removing one only
 * detaches it. Every node with a parent, attached or not, is in the name table exactly once.
 */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "tree_internal.h"

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
    tree->root.attached = 1;
    tree->root.tree = tree;
    return tree;
}

void tree_release_source(const struct fsi_source *source)
{
    if (source->kind == FSI_SOURCE_CALLBACK && source->u.callback.callbacks->release)
        source->u.callback.callbacks->release(source->u.callback.context);
}

void fsi_tree_destroy(struct fsi_tree *tree)
{
    struct fsi_node *node;

    if (!tree)
        return;
    for (node = tree->all_nodes; node; node = node->all_next) {
        tree_release_source(&node->source);
        free(node->children);
        free(node->streams);
    }
    free(tree->root.children);
    tree_free_changes(tree);
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

    if (!tree || !parent || (!name && length))
        return NULL;
    for (node = tree->buckets[bucket_of(tree, parent, name, length)]; node; node = node->hash_next)
        if (node->parent == parent &&
            name_equal_nocase(node->name, node->name_length, name, length))
            return node;
    return NULL;
}

void tree_hash_insert(struct fsi_tree *tree, struct fsi_node *node)
{
    size_t b = bucket_of(tree, node->parent, node->name, node->name_length);

    node->hash_next = tree->buckets[b];
    tree->buckets[b] = node;
    tree->hashed_count++;
}

void tree_hash_remove(struct fsi_tree *tree, struct fsi_node *node)
{
    struct fsi_node **link = &tree->buckets[bucket_of(tree, node->parent, node->name,
                                                       node->name_length)];

    while (*link && *link != node)
        link = &(*link)->hash_next;
    if (*link) {
        *link = node->hash_next;
        tree->hashed_count--;
    }
    node->hash_next = NULL;
}

/* Doubles the table when it would hold more nodes than buckets. */
static enum fsi_status make_room_in_table(struct fsi_tree *tree)
{
    size_t count = tree->bucket_count * 2, i;
    struct fsi_node **buckets, **old = tree->buckets;
    size_t old_count = tree->bucket_count;

    if (tree->hashed_count < tree->bucket_count)
        return FSI_OK;
    buckets = calloc(count, sizeof(*buckets));
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

static enum fsi_status make_room_for_child(struct fsi_node *parent)
{
    uint32_t capacity;
    struct fsi_node **children;

    if (parent->child_count < parent->child_capacity)
        return FSI_OK;
    capacity = parent->child_capacity ? parent->child_capacity * 2 : 4;
    if (capacity < parent->child_capacity)
        return FSI_E_OUT_OF_MEMORY;
    children = realloc(parent->children, (size_t)capacity * sizeof(*children));
    if (!children)
        return FSI_E_OUT_OF_MEMORY;
    parent->children = children;
    parent->child_capacity = capacity;
    return FSI_OK;
}

struct fsi_node *tree_next_in_subtree(const struct fsi_node *top, const struct fsi_node *node)
{
    if (node->child_count)
        return node->children[0];
    while (node != top) {
        const struct fsi_node *parent = node->parent;
        if (node->index + 1 < parent->child_count)
            return parent->children[node->index + 1];
        node = parent;
    }
    return NULL;
}

/* Sets the attached flag of `top` and everything below it and counts them in or out. */
static void mark_subtree(struct fsi_tree *tree, struct fsi_node *top, int attached)
{
    struct fsi_node *node;

    for (node = top; node; node = tree_next_in_subtree(top, node)) {
        node->attached = (uint8_t)attached;
        if (node->is_directory)
            tree->directory_count += attached ? 1 : (size_t)-1;
        else
            tree->file_count += attached ? 1 : (size_t)-1;
    }
}

void tree_link(struct fsi_tree *tree, struct fsi_node *parent, struct fsi_node *node,
               uint32_t index)
{
    uint32_t i;

    memmove(parent->children + index + 1, parent->children + index,
            (size_t)(parent->child_count - index) * sizeof(*parent->children));
    parent->children[index] = node;
    parent->child_count++;
    for (i = index; i < parent->child_count; i++)
        parent->children[i]->index = i;
    node->parent = parent;
    tree_hash_insert(tree, node);
    if (parent->attached)
        mark_subtree(tree, node, 1);
}

void tree_unlink(struct fsi_tree *tree, struct fsi_node *node)
{
    struct fsi_node *parent = node->parent;
    uint32_t i;

    if (node->attached)
        mark_subtree(tree, node, 0);
    tree_hash_remove(tree, node);
    memmove(parent->children + node->index, parent->children + node->index + 1,
            (size_t)(parent->child_count - node->index - 1) * sizeof(*parent->children));
    parent->child_count--;
    for (i = node->index; i < parent->child_count; i++)
        parent->children[i]->index = i;
    node->parent = NULL;
    node->index = 0;
}

struct fsi_node *tree_new_node(struct fsi_tree *tree, const uint16_t *name, size_t length,
                               int is_directory)
{
    struct fsi_node *node;

    if (tree->last_id == UINT32_MAX - 1)
        return NULL;
    node = arena_alloc(&tree->arena, sizeof(*node));
    if (!node)
        return NULL;
    memset(node, 0, sizeof(*node));
    node->name = arena_copy(&tree->arena, name, length * sizeof(*name));
    if (!node->name)
        return NULL;
    node->name_length = (uint16_t)length;
    node->is_directory = (uint8_t)(is_directory != 0);
    node->tree = tree;
    node->id = ++tree->last_id;
    node->all_next = tree->all_nodes;
    tree->all_nodes = node;
    return node;
}

enum fsi_status tree_copy_source(struct fsi_tree *tree, uint64_t size,
                                 const struct fsi_source *source, struct fsi_source *copy)
{
    if (!source)
        return FSI_E_INVALID_ARGUMENT;
    *copy = *source;
    switch (source->kind) {
    case FSI_SOURCE_NONE:
        if (size)
            return FSI_E_INVALID_ARGUMENT;
        return FSI_OK;
    case FSI_SOURCE_HOST_FILE:
        if (!source->u.host_path)
            return FSI_E_INVALID_ARGUMENT;
        copy->u.host_path = arena_copy(&tree->arena, source->u.host_path,
                                       strlen(source->u.host_path) + 1);
        return copy->u.host_path ? FSI_OK : FSI_E_OUT_OF_MEMORY;
    case FSI_SOURCE_MEMORY:
        if (!source->u.memory.data && source->u.memory.size)
            return FSI_E_INVALID_ARGUMENT;
        return FSI_OK;
    case FSI_SOURCE_CALLBACK:
        if (!source->u.callback.callbacks || !source->u.callback.callbacks->read)
            return FSI_E_INVALID_ARGUMENT;
        return FSI_OK;
    default:
        return FSI_E_INVALID_ARGUMENT;
    }
}

/* Checks a name for a new item and, with `parent`, that it may go there. */
static enum fsi_status check_new_item(const struct fsi_tree *tree, const struct fsi_node *parent,
                                      const uint16_t *name, size_t length)
{
    enum fsi_status status;

    if (!tree || (!name && length))
        return FSI_E_INVALID_ARGUMENT;
    if (parent && parent->tree != tree)
        return FSI_E_INVALID_ARGUMENT;
    if (parent && !parent->is_directory)
        return FSI_E_NOT_DIRECTORY;
    status = name_check(name, length);
    if (status != FSI_OK)
        return status;
    if (parent && fsi_tree_find(tree, parent, name, length))
        return FSI_E_DUPLICATE_NAME;
    return FSI_OK;
}

/* Makes room for `node`'s move into `parent` and for its change entry. */
static enum fsi_status make_room_to_link(struct fsi_tree *tree, struct fsi_node *parent)
{
    enum fsi_status status = tree_reserve_change(tree);

    if (status == FSI_OK)
        status = make_room_for_child(parent);
    if (status == FSI_OK)
        status = make_room_in_table(tree);
    return status;
}

static enum fsi_status add_node(struct fsi_tree *tree, struct fsi_node *parent,
                                const uint16_t *name, size_t length, int is_directory,
                                uint64_t size, const struct fsi_source *source,
                                struct fsi_node **out)
{
    struct fsi_node *node;
    enum fsi_status status;

    if (!parent)
        return FSI_E_INVALID_ARGUMENT;
    status = check_new_item(tree, parent, name, length);
    if (status == FSI_OK)
        status = make_room_to_link(tree, parent);
    if (status != FSI_OK)
        return status;
    node = tree_new_node(tree, name, length, is_directory);
    if (!node)
        return FSI_E_OUT_OF_MEMORY;
    node->size = size;
    if (source)
        node->source = *source;
    tree_link(tree, parent, node, parent->child_count);
    tree_log_change(tree, TREE_CHANGE_ADD, node, parent, node->index, 0, NULL);
    if (out)
        *out = node;
    return FSI_OK;
}

enum fsi_status fsi_tree_add_directory(struct fsi_tree *tree, struct fsi_node *parent,
                                       const uint16_t *name, size_t length,
                                       struct fsi_node **out)
{
    return add_node(tree, parent, name, length, 1, 0, NULL, out);
}

enum fsi_status fsi_tree_add_file(struct fsi_tree *tree, struct fsi_node *parent,
                                  const uint16_t *name, size_t length, uint64_t size,
                                  const struct fsi_source *source, struct fsi_node **out)
{
    struct fsi_source copy;
    enum fsi_status status;

    if (!tree)
        return FSI_E_INVALID_ARGUMENT;
    status = tree_copy_source(tree, size, source, &copy);
    if (status != FSI_OK)
        return status;
    return add_node(tree, parent, name, length, 0, size, &copy, out);
}

enum fsi_status fsi_tree_new_directory(struct fsi_tree *tree, const uint16_t *name,
                                       size_t length, struct fsi_node **out)
{
    struct fsi_node *node;
    enum fsi_status status;

    if (!out)
        return FSI_E_INVALID_ARGUMENT;
    *out = NULL;
    status = check_new_item(tree, NULL, name, length);
    if (status != FSI_OK)
        return status;
    node = tree_new_node(tree, name, length, 1);
    if (!node)
        return FSI_E_OUT_OF_MEMORY;
    *out = node;
    return FSI_OK;
}

enum fsi_status fsi_tree_new_file(struct fsi_tree *tree, const uint16_t *name, size_t length,
                                  uint64_t size, const struct fsi_source *source,
                                  struct fsi_node **out)
{
    struct fsi_source copy;
    struct fsi_node *node;
    enum fsi_status status;

    if (!out)
        return FSI_E_INVALID_ARGUMENT;
    *out = NULL;
    status = check_new_item(tree, NULL, name, length);
    if (status == FSI_OK)
        status = tree_copy_source(tree, size, source, &copy);
    if (status != FSI_OK)
        return status;
    node = tree_new_node(tree, name, length, 0);
    if (!node)
        return FSI_E_OUT_OF_MEMORY;
    node->size = size;
    node->source = copy;
    *out = node;
    return FSI_OK;
}

int fsi_node_is_attached(const struct fsi_node *node)
{
    return node && node->attached;
}

enum fsi_status fsi_tree_attach(struct fsi_tree *tree, struct fsi_node *parent,
                                struct fsi_node *node)
{
    const struct fsi_node *above;
    enum fsi_status status;

    if (!tree || !parent || !node || parent->tree != tree || node->tree != tree)
        return FSI_E_INVALID_ARGUMENT;
    if (node == &tree->root || node->parent || node->stream_file)
        return FSI_E_INVALID_ARGUMENT;
    if (!parent->is_directory)
        return FSI_E_NOT_DIRECTORY;
    for (above = parent; above; above = above->parent)
        if (above == node)
            return FSI_E_INVALID_ARGUMENT;
    if (fsi_tree_find(tree, parent, node->name, node->name_length))
        return FSI_E_DUPLICATE_NAME;
    status = make_room_to_link(tree, parent);
    if (status != FSI_OK)
        return status;
    tree_link(tree, parent, node, parent->child_count);
    tree_log_change(tree, TREE_CHANGE_ATTACH, node, parent, node->index, 0, NULL);
    return FSI_OK;
}

enum fsi_status fsi_tree_remove(struct fsi_tree *tree, struct fsi_node *node, int recursive)
{
    struct fsi_node *parent;
    uint32_t index;
    enum fsi_status status;

    if (!tree || !node || node->tree != tree || node == &tree->root || !node->parent)
        return FSI_E_INVALID_ARGUMENT;
    if (node->child_count && !recursive)
        return FSI_E_DIRECTORY_NOT_EMPTY;
    status = tree_reserve_change(tree);
    if (status != FSI_OK)
        return status;
    parent = node->parent;
    index = node->index;
    tree_unlink(tree, node);
    tree_log_change(tree, TREE_CHANGE_REMOVE, node, parent, index, 0, NULL);
    return FSI_OK;
}

enum fsi_status fsi_tree_set_file_data(struct fsi_tree *tree, struct fsi_node *node,
                                       uint64_t size, const struct fsi_source *source)
{
    struct fsi_source copy;
    enum fsi_status status;

    if (!tree || !node || node->tree != tree || node->is_directory)
        return FSI_E_INVALID_ARGUMENT;
    status = tree_copy_source(tree, size, source, &copy);
    if (status == FSI_OK)
        status = tree_reserve_change(tree);
    if (status != FSI_OK)
        return status;
    tree_log_change(tree, TREE_CHANGE_SET_DATA, node, node->parent, node->index, node->size,
                    &node->source);
    node->size = size;
    node->source = copy;
    /* The new data is not where an imported file's data lay: a later session must not point
       its record at the old sectors (rollback gives them back). */
    node->disc_extents = NULL;
    node->disc_extent_count = 0;
    return FSI_OK;
}

size_t fsi_tree_file_count(const struct fsi_tree *tree) { return tree->file_count; }
uint32_t tree_node_id_limit(const struct fsi_tree *tree) { return tree->last_id + 1; }
size_t fsi_tree_directory_count(const struct fsi_tree *tree) { return tree->directory_count; }

void fsi_node_set_times(struct fsi_node *node, fsi_time created, fsi_time accessed,
                        fsi_time modified)
{
    node->created = created;
    node->accessed = accessed;
    node->modified = modified;
}

void fsi_node_times(const struct fsi_node *node, fsi_time *created, fsi_time *accessed,
                    fsi_time *modified)
{
    if (created)
        *created = node->created;
    if (accessed)
        *accessed = node->accessed;
    if (modified)
        *modified = node->modified;
}

void fsi_node_set_hidden(struct fsi_node *node, int hidden) { node->hidden = hidden != 0; }
int fsi_node_is_hidden(const struct fsi_node *node) { return node->hidden; }
void fsi_node_set_realtime(struct fsi_node *node, int realtime)
{
    node->realtime = realtime != 0;
}
int fsi_node_is_realtime(const struct fsi_node *node) { return node->realtime; }
const struct fsi_source *fsi_node_source(const struct fsi_node *node) { return &node->source; }
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
