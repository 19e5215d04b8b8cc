/*
 * The tree's change log (include/openfsi/tree.h: change points): one entry per add, attach,
 * remove and new file data since the last lock-in, so that a rollback undoes them newest first in
 * time proportional to the changes undone. An entry of new file data holds the old source until
 * the change is locked in (then it is released) or rolled back (then the newer one is).
 *
 * Undoing never allocates: a removed node goes back into room its parent's child array and the
 * name table still have, since neither shrinks. It does not record times or hidden flags, which
 * are not changes.
 */
#include <stdlib.h>

#include "tree_internal.h"

enum fsi_status tree_reserve_change(struct fsi_tree *tree)
{
    size_t used = tree->change_point - tree->locked_point;
    struct tree_change *changes;
    size_t capacity;

    if (tree->change_point == UINT32_MAX)
        return FSI_E_OUT_OF_MEMORY;
    if (used < tree->change_capacity)
        return FSI_OK;
    capacity = tree->change_capacity ? tree->change_capacity * 2 : 64;
    if (capacity > (size_t)-1 / sizeof(*changes))
        return FSI_E_OUT_OF_MEMORY;
    changes = realloc(tree->changes, capacity * sizeof(*changes));
    if (!changes)
        return FSI_E_OUT_OF_MEMORY;
    tree->changes = changes;
    tree->change_capacity = capacity;
    return FSI_OK;
}

void tree_log_change(struct fsi_tree *tree, enum tree_change_kind kind, struct fsi_node *node,
                     struct fsi_node *parent, uint32_t index, uint64_t old_size,
                     const struct fsi_source *old_source)
{
    struct tree_change *change = &tree->changes[tree->change_point - tree->locked_point];

    change->kind = kind;
    change->node = node;
    change->parent = parent;
    change->index = index;
    change->old_size = old_size;
    change->old_disc_extents = node->disc_extents;
    change->old_disc_extent_count = node->disc_extent_count;
    if (old_source)
        change->old_source = *old_source;
    else
        change->old_source.kind = FSI_SOURCE_NONE;
    tree->change_point++;
}

void tree_free_changes(struct fsi_tree *tree)
{
    size_t i, used = tree->change_point - tree->locked_point;

    for (i = 0; i < used; i++)
        if (tree->changes[i].kind == TREE_CHANGE_SET_DATA)
            tree_release_source(&tree->changes[i].old_source);
    free(tree->changes);
    tree->changes = NULL;
    tree->change_capacity = 0;
    tree->locked_point = tree->change_point;
}

uint32_t fsi_tree_change_point(const struct fsi_tree *tree)
{
    return tree->change_point;
}

static void undo(struct fsi_tree *tree, const struct tree_change *change)
{
    struct fsi_node *node = change->node;

    switch (change->kind) {
    case TREE_CHANGE_ADD:
    case TREE_CHANGE_ATTACH:
        tree_unlink(tree, node);
        break;
    case TREE_CHANGE_REMOVE:
        tree_link(tree, change->parent, node, change->index);
        break;
    case TREE_CHANGE_SET_DATA:
        tree_release_source(&node->source);
        node->source = change->old_source;
        node->size = change->old_size;
        node->disc_extents = change->old_disc_extents;
        node->disc_extent_count = change->old_disc_extent_count;
        break;
    }
}

enum fsi_status fsi_tree_rollback(struct fsi_tree *tree, uint32_t point)
{
    if (!tree || point > tree->change_point || point < tree->locked_point)
        return FSI_E_INVALID_ARGUMENT;
    while (tree->change_point > point) {
        tree->change_point--;
        undo(tree, &tree->changes[tree->change_point - tree->locked_point]);
    }
    return FSI_OK;
}

void fsi_tree_lock_in(struct fsi_tree *tree)
{
    if (tree)
        tree_free_changes(tree);
}
