/* UTF-8 <-> UTF-16 (include/openfsi/utf.h). */
#include "openfsi/utf.h"

#define REPLACEMENT 0xFFFD

/* Decodes one code point at text[*i] and advances *i; malformed input yields U+FFFD. */
static uint32_t decode_utf8(const unsigned char *text, size_t length, size_t *i)
{
    unsigned char c = text[(*i)++];
    uint32_t cp, min;
    int more;

    if (c < 0x80)
        return c;
    if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; more = 1; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; more = 2; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; more = 3; min = 0x10000; }
    else return REPLACEMENT;
    while (more--) {
        if (*i >= length || (text[*i] & 0xC0) != 0x80)
            return REPLACEMENT;
        cp = (cp << 6) | (text[(*i)++] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return REPLACEMENT;
    return cp;
}

size_t fsi_utf8_to_utf16(const char *text, size_t length, uint16_t *out, size_t capacity)
{
    const unsigned char *bytes = (const unsigned char *)text;
    size_t i = 0, n = 0;

    while (i < length) {
        uint32_t cp = decode_utf8(bytes, length, &i);
        if (cp >= 0x10000) {
            if (n + 1 < capacity) {
                out[n] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
                out[n + 1] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            }
            n += 2;
        } else {
            if (n < capacity)
                out[n] = (uint16_t)cp;
            n++;
        }
    }
    return n;
}

static size_t put_utf8(uint32_t cp, char *out, size_t n, size_t capacity)
{
    unsigned char b[4];
    size_t count, k;

    if (cp < 0x80) { b[0] = (unsigned char)cp; count = 1; }
    else if (cp < 0x800) { b[0] = (unsigned char)(0xC0 | (cp >> 6)); b[1] = (unsigned char)(0x80 | (cp & 0x3F)); count = 2; }
    else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        count = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        count = 4;
    }
    for (k = 0; k < count; k++)
        if (n + k + 1 < capacity)
            out[n + k] = (char)b[k];
    return count;
}

size_t fsi_utf16_to_utf8(const uint16_t *text, size_t length, char *out, size_t capacity)
{
    size_t i, n = 0;

    for (i = 0; i < length; i++) {
        uint32_t cp = text[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < length && text[i + 1] >= 0xDC00 &&
            text[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (text[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = REPLACEMENT;
        }
        n += put_utf8(cp, out, n, capacity);
    }
    if (capacity)
        out[n < capacity ? n : capacity - 1] = 0;
    return n;
}
