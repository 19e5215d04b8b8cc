/*
 * The tree's node as the rest of the engine sees it. Only the tree changes a node. An image keeps
 * what its layout decides per node (data sectors, directory numbers) in its own tables, indexed
 * by the node's id, so several images can be laid out from one tree.
 */
#ifndef OPENFSI_CORE_TREE_INTERNAL_H
#define OPENFSI_CORE_TREE_INTERNAL_H

#include "openfsi/tree.h"

struct fsi_node {
    struct fsi_node *parent;
    struct fsi_node *hash_next;         /* chain of the tree's name table */
    struct fsi_node **children;         /* directories: in the order they were added */
    uint32_t child_count;
    uint32_t child_capacity;
    const uint16_t *name;               /* in the tree's arena */
    uint16_t name_length;
    uint8_t is_directory;
    uint8_t hidden;
    fsi_time created;
    fsi_time accessed;
    fsi_time modified;
    uint64_t size;
    struct fsi_source source;           /* a host path points into the tree's arena */
    uint32_t id;                        /* 0 for the root, then 1, 2, ... in order of adding */
};

/* One more than the largest node id of the tree: the size of a table indexed by node id. */
uint32_t tree_node_id_limit(const struct fsi_tree *tree);

#endif
