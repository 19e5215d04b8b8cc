/* Bump allocator (arena.h). Blocks grow geometrically up to 1 MiB; larger requests get their own. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_FIRST_BLOCK 4096
#define ARENA_MAX_BLOCK (1024 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
    struct arena_block *next;
    /* data follows, aligned */
};

#define BLOCK_HEADER ((sizeof(struct arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

void arena_init(struct arena *arena)
{
    arena->blocks = NULL;
    arena->used = 0;
    arena->capacity = 0;
}

void arena_free(struct arena *arena)
{
    struct arena_block *block = arena->blocks;
    while (block) {
        struct arena_block *next = block->next;
        free(block);
        block = next;
    }
    arena_init(arena);
}

void *arena_alloc(struct arena *arena, size_t size)
{
    size_t aligned = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct arena_block *block;
    size_t capacity;

    if (aligned < size)
        return NULL;
    if (arena->blocks && arena->capacity - arena->used >= aligned) {
        void *p = (char *)arena->blocks + BLOCK_HEADER + arena->used;
        arena->used += aligned;
        return p;
    }
    capacity = arena->capacity ? arena->capacity * 2 : ARENA_FIRST_BLOCK;
    if (capacity > ARENA_MAX_BLOCK)
        capacity = ARENA_MAX_BLOCK;
    if (capacity < aligned)
        capacity = aligned;
    if (capacity > (size_t)-1 - BLOCK_HEADER)
        return NULL;
    block = malloc(BLOCK_HEADER + capacity);
    if (!block)
        return NULL;
    if (capacity > ARENA_MAX_BLOCK && arena->blocks) {
        /* An oversized request: keep it behind the current block so that block stays in use. */
        block->next = arena->blocks->next;
        arena->blocks->next = block;
        return (char *)block + BLOCK_HEADER;
    }
    block->next = arena->blocks;
    arena->blocks = block;
    arena->capacity = capacity;
    arena->used = aligned;
    return (char *)block + BLOCK_HEADER;
}

void *arena_copy(struct arena *arena, const void *data, size_t size)
{
    void *p = arena_alloc(arena, size ? size : 1);
    if (p && size)
        memcpy(p, data, size);
    return p;
}
