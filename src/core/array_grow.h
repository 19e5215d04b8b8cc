/* Growing a malloc'd array by doubling, for the engine's lists that grow one item at a time. */
#ifndef OPENFSI_CORE_ARRAY_GROW_H
#define OPENFSI_CORE_ARRAY_GROW_H

#include <stddef.h>

#include "openfsi/status.h"

/* Makes `*items` (of `size`-byte items, `*capacity` of them) hold at least `needed`;
   FSI_E_OUT_OF_MEMORY leaves it as it was. */
enum fsi_status array_grow(void **items, size_t *capacity, size_t needed, size_t size);

#endif
