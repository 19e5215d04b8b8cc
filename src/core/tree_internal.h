/*
 * The tree's node as the rest of the engine sees it, and the tree's own state shared by the
 * files that implement it (tree.c: nodes, adding, attaching, removing; tree_changes.c: the change
 * log; tree_path.c: lookups and paths; tree_snapshot.c: copies). Only the tree changes a node. An
 * image keeps what its layout decides per node (data sectors, directory numbers) in its own
 * tables, indexed by the node's id, so several images can be laid out from one tree.
 *
 * Nodes live in the tree's arena and are never freed before the tree: a removed or rolled-back
 * node is only detached (no parent, not in the name table) and stays usable.
 */
#ifndef OPENFSI_CORE_TREE_INTERNAL_H
#define OPENFSI_CORE_TREE_INTERNAL_H

#include "arena.h"
#include "openfsi/import.h"
#include "openfsi/tree.h"

struct fsi_node {
    struct fsi_node *parent;            /* NULL for the root and a detached node */
    struct fsi_node *hash_next;         /* chain of the tree's name table (nodes with a parent) */
    struct fsi_node *all_next;          /* list of every node of the tree, for its destruction */
    struct fsi_tree *tree;              /* the tree that owns the node */
    struct fsi_node **children;         /* directories: in the order they were added */
    uint32_t child_count;
    uint32_t child_capacity;
    uint32_t index;                     /* position in parent->children or owner->streams */
    struct fsi_node **streams;          /* files: named streams, in the order they were added */
    uint32_t stream_count;
    uint32_t stream_capacity;
    struct fsi_node *stream_owner;      /* a named stream's file; NULL for other nodes */
    struct fsi_node *stream_file;       /* the file a stream was added to, kept after removal */
    const struct fsi_disc_extent *disc_extents; /* imported: where the data lies (held by the
                                                   node's callback source) */
    uint32_t disc_extent_count;
    /* Imported from UDF (udf_import.c): the sector of the file entry it was read from (0: none)
       and the unique id that entry records. An in-place layout over the same disc keeps the
       entry's block and id (udf_layout.c checks both against the disc before trusting them);
       new data does not change them, as the entry is rewritten where it is. */
    uint32_t udf_entry_sector;
    uint64_t udf_unique_id;
    const uint16_t *name;               /* in the tree's arena */
    uint16_t name_length;
    uint8_t is_directory;
    uint8_t hidden;
    uint8_t realtime;                   /* IFsiFileItem2::IsRealTime (UDF 2.01+ records it) */
    uint8_t attached;                   /* the root or reachable from it */
    fsi_time created;
    fsi_time accessed;
    fsi_time modified;
    uint64_t size;
    struct fsi_source source;           /* a host path points into the tree's arena */
    uint32_t id;                        /* 0 for the root, then 1, 2, ... in order of making */
};

/* One more than the largest node id of the tree: the size of a table indexed by node id. */
uint32_t tree_node_id_limit(const struct fsi_tree *tree);

/* ---- Shared by the tree's own files only. ---- */

enum tree_change_kind {
    TREE_CHANGE_ADD,            /* node was added to parent at index */
    TREE_CHANGE_ATTACH,         /* the detached node was put into parent at index */
    TREE_CHANGE_REMOVE,         /* node was taken out of parent, where it was at index */
    TREE_CHANGE_SET_DATA        /* node's size and source were old_size and old_source */
};

struct tree_change {
    enum tree_change_kind kind;
    struct fsi_node *node;
    struct fsi_node *parent;
    uint32_t index;
    uint64_t old_size;
    struct fsi_source old_source;       /* held by the entry until lock-in or destruction */
    const struct fsi_disc_extent *old_disc_extents;     /* imported data it pointed at */
    uint32_t old_disc_extent_count;
};

struct fsi_tree {
    struct arena arena;             /* nodes, names and host paths */
    struct fsi_node root;
    struct fsi_node *all_nodes;     /* every node but the root, newest first */
    struct fsi_node **buckets;      /* name table over (parent, case-folded name) */
    size_t bucket_count;            /* a power of two */
    size_t hashed_count;            /* nodes in the table: those that have a parent */
    uint32_t last_id;               /* the largest id given */
    size_t file_count;              /* attached only */
    size_t directory_count;         /* attached only, without the root */
    struct tree_change *changes;    /* the changes after locked_point, oldest first */
    size_t change_capacity;
    uint32_t change_point;          /* changes so far */
    uint32_t locked_point;          /* change_point at the last lock-in */
};

/* Releases a callback source's hold (nothing for the other kinds). */
void tree_release_source(const struct fsi_source *source);

/* Checks a file's source against its size and copies it into `copy`, a host path into the
   tree's arena. */
enum fsi_status tree_copy_source(struct fsi_tree *tree, uint64_t size,
                                 const struct fsi_source *source, struct fsi_source *copy);

/* A new detached node with a copy of `name` and the next id, on the tree's list of nodes. */
struct fsi_node *tree_new_node(struct fsi_tree *tree, const uint16_t *name, size_t length,
                               int is_directory);

/* Puts a node into the name table under its parent / takes it out. */
void tree_hash_insert(struct fsi_tree *tree, struct fsi_node *node);
void tree_hash_remove(struct fsi_tree *tree, struct fsi_node *node);

/* Puts the detached `node` into `parent` at `index` (room in parent->children and the name
   table must have been made) / takes `node` out of its parent. Both keep the sibling indexes,
   the attached flags and the counts exact. Neither fails. */
void tree_link(struct fsi_tree *tree, struct fsi_node *parent, struct fsi_node *node,
               uint32_t index);
void tree_unlink(struct fsi_tree *tree, struct fsi_node *node);

/* The node after `node` in a preorder walk of the subtree of `top` (top first), or NULL. */
struct fsi_node *tree_next_in_subtree(const struct fsi_node *top, const struct fsi_node *node);

/* Makes room for one more entry in the change log. */
enum fsi_status tree_reserve_change(struct fsi_tree *tree);
/* Appends an entry (room made by tree_reserve_change) and counts the change. */
void tree_log_change(struct fsi_tree *tree, enum tree_change_kind kind, struct fsi_node *node,
                     struct fsi_node *parent, uint32_t index, uint64_t old_size,
                     const struct fsi_source *old_source);
/* Releases what the change log holds and frees it (for the tree's destruction). */
void tree_free_changes(struct fsi_tree *tree);

#endif
