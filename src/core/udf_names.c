/*
 * The UDF names of a directory's entries (udf_names.h): whole CS0 names first, then the short
 * forms of those that do not fit, each unique among its siblings.
 */
#include <string.h>

#include "udf_cs0.h"
#include "udf_descriptor.h"
#include "udf_names.h"

#define MARK_UNITS 5                /* "#XXXX" */

int udf_name_order(const uint16_t *a, size_t a_length, const uint16_t *b, size_t b_length)
{
    size_t n = a_length < b_length ? a_length : b_length, i;

    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return a_length < b_length ? -1 : a_length > b_length;
}

int udf_name_compare(const void *a, const void *b)
{
    const struct udf_name *x = a, *y = b;
    return udf_name_order(x->text, x->length, y->text, y->length);
}

size_t udf_name_whole(const uint16_t *name, size_t length, uint8_t *out)
{
    return udf_cs0_encode(name, length, out, UDF_NAME_MAX_SIZE);
}

static int name_taken(const struct udf_name *names, size_t count, const uint8_t *cs0,
                      size_t size)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (names[i].cs0 && names[i].size == size && !memcmp(names[i].cs0, cs0, size))
            return 1;
    return 0;
}

/*
 * The CRC of the whole name is taken over its UTF-16 units as little-endian bytes. The text keeps
 * as many characters as fit before the mark (never half a surrogate pair); when the short form
 * is taken, the mark is the CRC plus 1, plus 2, ...
 */
static enum fsi_status shorten(struct udf_name *names, size_t count, size_t e,
                               struct arena *arena)
{
    const uint16_t *name = names[e].text;
    uint16_t text[UDF_NAME_MAX_SIZE + MARK_UNITS];
    uint8_t crc_bytes[2 * UDF_NAME_MAX_SIZE], bytes[UDF_NAME_MAX_SIZE];
    size_t keep = names[e].length, size = 0, i;
    unsigned attempt;
    uint16_t crc;

    if (keep > UDF_NAME_MAX_SIZE)
        return FSI_E_INVALID_NAME;      /* the tree holds no longer name */
    for (i = 0; i < keep; i++) {
        crc_bytes[2 * i] = (uint8_t)(name[i] & 0xFF);
        crc_bytes[2 * i + 1] = (uint8_t)(name[i] >> 8);
    }
    crc = udf_crc(crc_bytes, 2 * keep);
    for (attempt = 0; attempt < 0x10000u; attempt++) {
        uint16_t mark = (uint16_t)(crc + attempt);
        for (;;) {
            if (keep && name[keep - 1] >= 0xD800 && name[keep - 1] < 0xDC00)
                keep--;
            memcpy(text, name, keep * sizeof(uint16_t));
            text[keep] = '#';
            for (i = 0; i < 4; i++)
                text[keep + 1 + i] = (uint16_t)"0123456789ABCDEF"[(mark >> (12 - 4 * i)) & 15];
            size = udf_cs0_encode(text, keep + MARK_UNITS, bytes, UDF_NAME_MAX_SIZE);
            if (size || !keep)
                break;
            keep--;
        }
        if (!size)
            return FSI_E_INVALID_NAME;
        if (!name_taken(names, count, bytes, size)) {
            names[e].cs0 = arena_copy(arena, bytes, size);
            names[e].size = (uint8_t)size;
            return names[e].cs0 ? FSI_OK : FSI_E_OUT_OF_MEMORY;
        }
    }
    return FSI_E_INVALID_NAME;
}

enum fsi_status udf_names_assign(struct udf_name *names, size_t count, struct arena *arena)
{
    uint8_t bytes[UDF_NAME_MAX_SIZE];
    enum fsi_status status;
    size_t i, size;

    /* Whole names first, so a shortened one can be checked against all of them. */
    for (i = 0; i < count; i++) {
        names[i].cs0 = NULL;
        names[i].size = 0;
        size = udf_name_whole(names[i].text, names[i].length, bytes);
        if (!size)
            continue;
        names[i].cs0 = arena_copy(arena, bytes, size);
        if (!names[i].cs0)
            return FSI_E_OUT_OF_MEMORY;
        names[i].size = (uint8_t)size;
    }
    for (i = 0; i < count; i++)
        if (!names[i].cs0) {
            status = shorten(names, count, i, arena);
            if (status != FSI_OK)
                return status;
        }
    return FSI_OK;
}
