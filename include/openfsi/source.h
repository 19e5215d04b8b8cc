/*
 * Where a file's bytes come from. The engine never holds file data: it asks the source for the
 * bytes while the image is being read, so memory does not grow with the data.
 *
 * A source is a host file (opened by path only while it is read), a memory buffer that the caller
 * keeps alive, or a read callback (what a COM IStream plugs into). A source that fails, or yields
 * fewer or more bytes than the size declared for its file, makes the image read fail.
 */
#ifndef OPENFSI_SOURCE_H
#define OPENFSI_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/status.h"

enum fsi_source_kind {
    FSI_SOURCE_NONE,        /* no data: only for 0-byte files */
    FSI_SOURCE_HOST_FILE,
    FSI_SOURCE_MEMORY,
    FSI_SOURCE_CALLBACK
};

struct fsi_source_callbacks {
    /*
     * Reads up to `length` bytes at `offset` into `buffer` and stores how many it read in `*done`;
     * fewer than `length` only at the end of the data. Returns FSI_OK or FSI_E_SOURCE_READ.
     */
    enum fsi_status (*read)(void *context, uint64_t offset, void *buffer, size_t length,
                            size_t *done);
    /* Called once when the tree lets go of the source (may be NULL). */
    void (*release)(void *context);
    /* Called when a copy of the tree (fsi_tree_snapshot) takes one more hold of the source, to
       be matched by one more release (may be NULL when release is NULL). */
    void (*retain)(void *context);
};

struct fsi_source {
    enum fsi_source_kind kind;
    union {
        const char *host_path;                  /* UTF-8; the tree keeps its own copy */
        struct {
            const void *data;                   /* owned by the caller, alive as long as the tree */
            size_t size;
        } memory;
        struct {
            const struct fsi_source_callbacks *callbacks;
            void *context;
        } callback;
    } u;
};

static inline struct fsi_source fsi_source_host_file(const char *path)
{
    struct fsi_source source;
    source.kind = FSI_SOURCE_HOST_FILE;
    source.u.host_path = path;
    return source;
}

static inline struct fsi_source fsi_source_memory(const void *data, size_t size)
{
    struct fsi_source source;
    source.kind = FSI_SOURCE_MEMORY;
    source.u.memory.data = data;
    source.u.memory.size = size;
    return source;
}

static inline struct fsi_source fsi_source_callback(const struct fsi_source_callbacks *callbacks,
                                                    void *context)
{
    struct fsi_source source;
    source.kind = FSI_SOURCE_CALLBACK;
    source.u.callback.callbacks = callbacks;
    source.u.callback.context = context;
    return source;
}

#endif
