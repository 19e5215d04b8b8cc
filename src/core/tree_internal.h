/*
 * The tree's node as the rest of the engine sees it. Only the tree changes the first block of
 * fields; the layout fills the last block while it lays an image out.
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

    /* Filled by the layout of the image being made from the tree. */
    uint32_t data_lba;                  /* files: first sector of the data */
    uint32_t directory_index[2];        /* directories: index in each file system's list */
};

#endif
