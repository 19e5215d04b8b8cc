/*
 * The tree of directories and files an image is made from. Names are UTF-16 code units, as
 * Windows and COM give them, and are unique within a directory without regard to case. Each file
 * has a declared size and a source for its bytes; each item has three times and a hidden flag.
 *
 * The tree knows nothing of file systems: identifiers, ordering and sectors are decided when an
 * image is laid out from it (openfsi/image.h). It is made for several hundred thousand items:
 * looking up a name is a hash-table probe.
 */
#ifndef OPENFSI_TREE_H
#define OPENFSI_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/source.h"
#include "openfsi/status.h"
#include "openfsi/time.h"

struct fsi_tree;
struct fsi_node;

struct fsi_tree *fsi_tree_create(void);
void fsi_tree_destroy(struct fsi_tree *tree);

struct fsi_node *fsi_tree_root(struct fsi_tree *tree);

/*
 * Adds a directory or a file under `parent`. Fails with FSI_E_INVALID_NAME for a name Windows
 * would refuse, FSI_E_DUPLICATE_NAME when the directory already has an item of that name (any
 * case) and FSI_E_NOT_DIRECTORY when `parent` is a file. A file's source is copied (a host path
 * into the tree's own memory); `out` may be NULL.
 */
enum fsi_status fsi_tree_add_directory(struct fsi_tree *tree, struct fsi_node *parent,
                                       const uint16_t *name, size_t length,
                                       struct fsi_node **out);
enum fsi_status fsi_tree_add_file(struct fsi_tree *tree, struct fsi_node *parent,
                                  const uint16_t *name, size_t length, uint64_t size,
                                  const struct fsi_source *source, struct fsi_node **out);

/* The child of `parent` with this name in any case, or NULL. */
struct fsi_node *fsi_tree_find(const struct fsi_tree *tree, const struct fsi_node *parent,
                               const uint16_t *name, size_t length);

size_t fsi_tree_file_count(const struct fsi_tree *tree);
size_t fsi_tree_directory_count(const struct fsi_tree *tree);   /* without the root */

void fsi_node_set_times(struct fsi_node *node, fsi_time created, fsi_time accessed,
                        fsi_time modified);
void fsi_node_set_hidden(struct fsi_node *node, int hidden);

int fsi_node_is_directory(const struct fsi_node *node);
const uint16_t *fsi_node_name(const struct fsi_node *node, size_t *length);
uint64_t fsi_node_size(const struct fsi_node *node);
struct fsi_node *fsi_node_parent(const struct fsi_node *node);
size_t fsi_node_child_count(const struct fsi_node *node);
struct fsi_node *fsi_node_child(const struct fsi_node *node, size_t index);

#endif
