/* Messages for the engine's result codes (include/openfsi/status.h). */
#include "openfsi/status.h"

static const char *const status_messages[FSI_STATUS_COUNT] = {
    [FSI_OK] = "The operation succeeded.",
    [FSI_E_OUT_OF_MEMORY] = "Not enough memory to complete the operation.",
    [FSI_E_INVALID_ARGUMENT] = "An argument is not valid.",
    [FSI_E_INVALID_VOLUME_NAME] =
        "The volume name is not valid: it must be at most 32 characters, without control "
        "characters.",
};

const char *fsi_status_message(enum fsi_status status)
{
    if ((unsigned)status >= FSI_STATUS_COUNT || !status_messages[status])
        return "Unknown error.";
    return status_messages[status];
}
