/*
 * A bump allocator for the many small, long-lived pieces of metadata an image needs (names,
 * identifiers, per-directory tables). Everything allocated from an arena is freed at once with
 * it; nothing is freed alone.
 */
#ifndef OPENFSI_CORE_ARENA_H
#define OPENFSI_CORE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *blocks;
    size_t used;        /* bytes used in the first (current) block */
    size_t capacity;    /* bytes in the current block */
};

void arena_init(struct arena *arena);
void arena_free(struct arena *arena);

/* `size` bytes aligned for any object, or NULL when out of memory. */
void *arena_alloc(struct arena *arena, size_t size);

/* A copy of `size` bytes, or NULL when out of memory. */
void *arena_copy(struct arena *arena, const void *data, size_t size);

#endif
