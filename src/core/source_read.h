/*
 * Reading a file's bytes from its source, for the image reader. A host file stays open between
 * calls (reads are mostly sequential through one file) and is closed when another file is read
 * or the reader is destroyed.
 */
#ifndef OPENFSI_CORE_SOURCE_READ_H
#define OPENFSI_CORE_SOURCE_READ_H

#include <stdio.h>

#include "tree_internal.h"

struct open_host_file {
    const struct fsi_node *node;
    FILE *file;
    uint64_t position;
};

/*
 * Reads up to `length` bytes at `offset` of `node`'s data; `*done` gets how many (fewer only at
 * the end of the source). `message` (of `message_size` bytes) says why on failure.
 */
enum fsi_status source_read(struct open_host_file *open, const struct fsi_node *node,
                            uint64_t offset, void *buffer, size_t length, size_t *done,
                            char *message, size_t message_size);

void source_close(struct open_host_file *open);

#endif
