/* Growing a malloc'd array by doubling (array_grow.h). */
#include <stdlib.h>

#include "array_grow.h"

enum fsi_status array_grow(void **items, size_t *capacity, size_t needed, size_t size)
{
    size_t wanted = *capacity ? *capacity : 16;
    void *grown;

    if (needed <= *capacity)
        return FSI_OK;
    while (wanted < needed)
        wanted *= 2;
    grown = realloc(*items, wanted * size);
    if (!grown)
        return FSI_E_OUT_OF_MEMORY;
    *items = grown;
    *capacity = wanted;
    return FSI_OK;
}
