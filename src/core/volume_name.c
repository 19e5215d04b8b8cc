/* Acceptance rule for volume labels (include/openfsi/volume_name.h). */
#include "openfsi/volume_name.h"

static int is_high_surrogate(uint16_t unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
static int is_low_surrogate(uint16_t unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

enum fsi_status fsi_volume_name_check(const uint16_t *name, size_t length)
{
    size_t i;

    if (length == 0)
        return FSI_OK;
    if (!name)
        return FSI_E_INVALID_ARGUMENT;
    if (length > FSI_VOLUME_NAME_MAX)
        return FSI_E_INVALID_VOLUME_NAME;
    for (i = 0; i < length; i++) {
        uint16_t unit = name[i];
        if (unit < 0x20 || unit == 0x7F)
            return FSI_E_INVALID_VOLUME_NAME;
        if (is_high_surrogate(unit)) {
            if (i + 1 == length || !is_low_surrogate(name[i + 1]))
                return FSI_E_INVALID_VOLUME_NAME;
            i++;
        } else if (is_low_surrogate(unit)) {
            return FSI_E_INVALID_VOLUME_NAME;
        }
    }
    return FSI_OK;
}

size_t fsi_volume_label(const uint16_t *name, size_t length, enum fsi_volume_label_system system,
                        uint16_t out[FSI_VOLUME_NAME_MAX])
{
    size_t limit = system == FSI_VOLUME_LABEL_JOLIET ? 16 : FSI_VOLUME_NAME_MAX, i;

    if (length > limit)
        length = limit;
    for (i = 0; i < length; i++) {
        uint16_t unit = name[i];
        if (system == FSI_VOLUME_LABEL_ISO9660) {
            /* ECMA-119 8.4.6: d-characters only. */
            if (unit >= 'a' && unit <= 'z')
                unit = (uint16_t)(unit - 'a' + 'A');
            if (!((unit >= 'A' && unit <= 'Z') || (unit >= '0' && unit <= '9')))
                unit = '_';
        }
        out[i] = unit;
    }
    return length;
}
