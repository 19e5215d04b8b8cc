/*
 * A copy of the attached tree (fsi_tree_snapshot in include/openfsi/tree.h), for a result image
 * that must not see later changes of the original. One preorder walk of the original, in O(n)
 * and without recursion or a stack however deep the tree is; the copy's nodes get ids 1..n in
 * that order. The copy shares callback sources (taking one more hold of each through `retain`),
 * has its own copies of names and host paths, and starts with an empty change log.
 */
#include <stdlib.h>

#include "tree_internal.h"

/* Whether every attached callback source that must be released can also be retained. */
static int sources_can_be_shared(const struct fsi_tree *tree)
{
    const struct fsi_node *node;

    for (node = &tree->root; node; node = tree_next_in_subtree(&tree->root, node)) {
        uint32_t i;
        for (i = 0; i <= node->stream_count; i++) {
            const struct fsi_source *source = i ? &node->streams[i - 1]->source : &node->source;
            if (source->kind == FSI_SOURCE_CALLBACK && source->u.callback.callbacks->release &&
                !source->u.callback.callbacks->retain)
                return 0;
        }
    }
    return 1;
}

/* Copies of the named streams of `original` on `file`, sharing their callback sources. */
static enum fsi_status copy_streams(struct fsi_tree *copy, struct fsi_node *file,
                                    const struct fsi_node *original)
{
    uint32_t i;

    for (i = 0; i < original->stream_count; i++) {
        const struct fsi_node *from = original->streams[i];
        struct fsi_node *stream = NULL;
        enum fsi_status status = fsi_tree_add_stream(copy, file, from->name, from->name_length,
                                                     from->size, &from->source, &stream);
        if (status != FSI_OK)
            return status;
        if (stream->source.kind == FSI_SOURCE_CALLBACK && stream->source.u.callback.callbacks->retain)
            stream->source.u.callback.callbacks->retain(stream->source.u.callback.context);
        stream->created = from->created;
        stream->accessed = from->accessed;
        stream->modified = from->modified;
        stream->disc_extents = from->disc_extents;
        stream->disc_extent_count = from->disc_extent_count;
    }
    return FSI_OK;
}

/* Sizes the copy's name table for `count` nodes, so it never grows while copying. */
static enum fsi_status size_table(struct fsi_tree *copy, size_t count)
{
    size_t buckets = copy->bucket_count;
    struct fsi_node **table;

    while (buckets < count && buckets < ((size_t)-1 >> 1) / sizeof(*table))
        buckets *= 2;
    if (buckets == copy->bucket_count)
        return FSI_OK;
    table = calloc(buckets, sizeof(*table));
    if (!table)
        return FSI_E_OUT_OF_MEMORY;
    free(copy->buckets);
    copy->buckets = table;
    copy->bucket_count = buckets;
    return FSI_OK;
}

/* Gives a copied directory room for exactly as many children as its original has. */
static enum fsi_status make_child_array(struct fsi_node *copy, const struct fsi_node *original)
{
    if (!original->child_count)
        return FSI_OK;
    copy->children = malloc((size_t)original->child_count * sizeof(*copy->children));
    if (!copy->children)
        return FSI_E_OUT_OF_MEMORY;
    copy->child_capacity = original->child_count;
    return FSI_OK;
}

/* A copy of `original`, appended to `parent` in `copy`. */
static enum fsi_status copy_node(struct fsi_tree *copy, struct fsi_node *parent,
                                 const struct fsi_node *original, struct fsi_node **out)
{
    struct fsi_node *node = tree_new_node(copy, original->name, original->name_length,
                                          original->is_directory);
    enum fsi_status status;

    if (!node)
        return FSI_E_OUT_OF_MEMORY;
    node->hidden = original->hidden;
    node->realtime = original->realtime;
    node->created = original->created;
    node->accessed = original->accessed;
    node->modified = original->modified;
    node->size = original->size;
    node->disc_extents = original->disc_extents;
    node->disc_extent_count = original->disc_extent_count;
    node->udf_entry_sector = original->udf_entry_sector;
    node->udf_unique_id = original->udf_unique_id;
    status = tree_copy_source(copy, original->size, &original->source, &node->source);
    if (status != FSI_OK) {
        node->source.kind = FSI_SOURCE_NONE;
        return status;
    }
    /* From here the copy holds the source: its destruction releases it. */
    if (node->source.kind == FSI_SOURCE_CALLBACK && node->source.u.callback.callbacks->retain)
        node->source.u.callback.callbacks->retain(node->source.u.callback.context);
    if (node->is_directory) {
        status = make_child_array(node, original);
        if (status != FSI_OK)
            return status;
    }
    status = copy_streams(copy, node, original);
    if (status != FSI_OK)
        return status;
    node->index = parent->child_count;
    parent->children[parent->child_count++] = node;
    node->parent = parent;
    node->attached = 1;
    tree_hash_insert(copy, node);
    if (node->is_directory)
        copy->directory_count++;
    else
        copy->file_count++;
    *out = node;
    return FSI_OK;
}

enum fsi_status fsi_tree_snapshot(const struct fsi_tree *tree, struct fsi_tree **copy)
{
    const struct fsi_node *original, *previous;
    struct fsi_node *last;
    struct fsi_tree *result;
    enum fsi_status status;

    if (!copy)
        return FSI_E_INVALID_ARGUMENT;
    *copy = NULL;
    if (!tree)
        return FSI_E_INVALID_ARGUMENT;
    if (!sources_can_be_shared(tree))
        return FSI_E_INVALID_ARGUMENT;
    result = fsi_tree_create();
    if (!result)
        return FSI_E_OUT_OF_MEMORY;
    result->root.hidden = tree->root.hidden;
    result->root.created = tree->root.created;
    result->root.accessed = tree->root.accessed;
    result->root.modified = tree->root.modified;
    result->root.udf_entry_sector = tree->root.udf_entry_sector;
    result->root.udf_unique_id = tree->root.udf_unique_id;
    status = size_table(result, tree->file_count + tree->directory_count);
    if (status == FSI_OK)
        status = make_child_array(&result->root, &tree->root);

    /* `last` is the copy of `previous`, the original copied last. The next original goes into
       `last` when the walk goes down, else into the copy of one of its ancestors. */
    previous = &tree->root;
    last = &result->root;
    for (original = tree_next_in_subtree(&tree->root, &tree->root);
         status == FSI_OK && original; original = tree_next_in_subtree(&tree->root, original)) {
        const struct fsi_node *above = previous;
        struct fsi_node *parent = last;
        while (above != original->parent) {
            above = above->parent;
            parent = parent->parent;
        }
        status = copy_node(result, parent, original, &last);
        previous = original;
    }
    if (status != FSI_OK) {
        fsi_tree_destroy(result);
        return status;
    }
    *copy = result;
    return FSI_OK;
}
