/* The UDF reader (import_internal.h). Not written yet: it finds nothing. */
#include "import_internal.h"

int udf_import_identify(struct import_context *c)
{
    (void)c;
    return 0;
}

enum fsi_status udf_import(struct import_context *c)
{
    (void)c;
    return FSI_E_NOT_IMPLEMENTED;
}
