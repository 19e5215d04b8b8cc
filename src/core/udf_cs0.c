/* OSTA Compressed Unicode and dstrings (src/core/udf_cs0.h). */
#include <string.h>

#include "udf_cs0.h"
#include "byte_order.h"

/* A dstring's length byte cannot count more than 255 bytes. */
#define DSTRING_MAX_USED 255

/* The number of leading units that fit in 8 bits. */
static size_t latin1_prefix(const uint16_t *text, size_t length)
{
    size_t i = 0;
    while (i < length && text[i] <= 0xFF)
        i++;
    return i;
}

static int is_high_surrogate(uint16_t unit)
{
    return unit >= 0xD800 && unit <= 0xDBFF;
}

size_t udf_cs0_encoded_size(const uint16_t *text, size_t length)
{
    if (!text || length == 0)
        return 0;
    if (latin1_prefix(text, length) == length)
        return 1 + length;
    return 1 + 2 * length;
}

size_t udf_cs0_encode(const uint16_t *text, size_t length, uint8_t *out, size_t capacity)
{
    size_t needed = udf_cs0_encoded_size(text, length);
    size_t i;

    if (needed == 0 || !out || needed > capacity)
        return 0;
    if (needed == 1 + length) {
        out[0] = UDF_CS0_COMPRESSION_8;
        for (i = 0; i < length; i++)
            out[1 + i] = (uint8_t)text[i];
    } else {
        out[0] = UDF_CS0_COMPRESSION_16;
        for (i = 0; i < length; i++)
            put_be16(out + 1 + 2 * i, text[i]);
    }
    return needed;
}

void udf_put_dstring(uint8_t *field, size_t size, const uint16_t *text, size_t length)
{
    size_t capacity, latin1, n8, n16, used;

    if (!field || size == 0)
        return;
    memset(field, 0, size);
    if (!text || length == 0 || size < 2)
        return;
    capacity = size - 1;
    if (capacity > DSTRING_MAX_USED)
        capacity = DSTRING_MAX_USED;

    used = udf_cs0_encode(text, length, field, capacity);
    if (used == 0) {
        /* Too long: keep the longest prefix of whole characters in either form. */
        latin1 = latin1_prefix(text, length);
        n8 = latin1 < capacity - 1 ? latin1 : capacity - 1;
        n16 = (capacity - 1) / 2;
        if (n16 > length)
            n16 = length;
        if (n16 > 0 && n16 < length && is_high_surrogate(text[n16 - 1]))
            n16--;
        used = udf_cs0_encode(text, n8 >= n16 ? n8 : n16, field, capacity);
    }
    field[size - 1] = (uint8_t)used;
}

size_t udf_cs0_decode(const uint8_t *in, size_t length, uint16_t *out, size_t capacity, int *ok)
{
    size_t count, i;

    if (ok)
        *ok = 0;
    if (length == 0) {
        if (ok)
            *ok = 1;
        return 0;
    }
    if (!in)
        return 0;
    if (in[0] == UDF_CS0_COMPRESSION_8)
        count = length - 1;
    else if (in[0] == UDF_CS0_COMPRESSION_16 && (length - 1) % 2 == 0)
        count = (length - 1) / 2;
    else
        return 0;
    if (out) {
        if (count > capacity)
            return 0;
        for (i = 0; i < count; i++)
            out[i] = in[0] == UDF_CS0_COMPRESSION_8 ? in[1 + i] : get_be16(in + 1 + 2 * i);
    }
    if (ok)
        *ok = 1;
    return count;
}

size_t udf_get_dstring(const uint8_t *field, size_t size, uint16_t *out, size_t capacity,
                       int *ok)
{
    if (ok)
        *ok = 0;
    if (!field || size == 0 || field[size - 1] > size - 1)
        return 0;
    return udf_cs0_decode(field, field[size - 1], out, capacity, ok);
}
