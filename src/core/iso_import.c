/* The ISO 9660 and Joliet reader (import_internal.h). Not written yet: it finds nothing. */
#include "import_internal.h"

int iso_import_identify(struct import_context *c, uint32_t *file_systems)
{
    (void)c;
    (void)file_systems;
    return 0;
}

enum fsi_status iso_import(struct import_context *c, int joliet)
{
    (void)c;
    (void)joliet;
    return FSI_E_NOT_IMPLEMENTED;
}
