/*
 * OSTA Compressed Unicode (UDF 2.60 2.1.1), the CS0 encoding of every UDF name and label, from
 * and to UTF-16: a compression id, then either one byte per character (id 8, characters up to
 * U+00FF) or big-endian 16-bit units (id 16, UTF-16 from UDF 2.00 on). Also dstrings (ECMA-167
 * 1/7.2.12, UDF 2.1.3): fixed-size fields holding CS0 and, in the last byte, its length.
 *
 * Which names are legal and how long ones are shortened is the caller's business; this file only
 * encodes and cuts at whole characters.
 */
#ifndef OPENFSI_CORE_UDF_CS0_H
#define OPENFSI_CORE_UDF_CS0_H

#include <stddef.h>
#include <stdint.h>

#define UDF_CS0_COMPRESSION_8 8
#define UDF_CS0_COMPRESSION_16 16

/*
 * Encodes with compression id 8 when every unit is <= 0xFF, else 16 (big-endian units). Returns
 * the bytes written, compression id included; 0 when `length` is 0 or the result would not fit in
 * `capacity` (the caller then shortens the name).
 */
size_t udf_cs0_encode(const uint16_t *text, size_t length, uint8_t *out, size_t capacity);

/* The number of bytes udf_cs0_encode() would need: 0 for no text, else 1 + length or 2 * length. */
size_t udf_cs0_encoded_size(const uint16_t *text, size_t length);

/*
 * A dstring field (1/7.2.12) of `size` bytes (2 to 256): CS0 bytes, zero fill, the used length
 * (compression id included) in the last byte; no text gives an all-zero field. Text that does not
 * fit is cut at a whole character: never half a 16-bit unit, never a lone high surrogate. A cut
 * text that is Latin-1 for longer than the 16-bit form would hold is recorded with id 8.
 */
void udf_put_dstring(uint8_t *field, size_t size, const uint16_t *text, size_t length);

/*
 * Decodes CS0 (ids 8 and 16) into UTF-16 and returns the number of units, with *ok (may be NULL)
 * set to 1. With out NULL it only counts. Fails, returning 0 with *ok = 0, on another compression
 * id, an odd number of bytes after id 16, or more units than `capacity`. No bytes at all decode
 * to no text (0, *ok = 1).
 */
size_t udf_cs0_decode(const uint8_t *in, size_t length, uint16_t *out, size_t capacity, int *ok);

/*
 * Decodes a dstring field of `size` bytes as udf_cs0_decode() does; also fails when its length
 * byte exceeds size - 1.
 */
size_t udf_get_dstring(const uint8_t *field, size_t size, uint16_t *out, size_t capacity,
                       int *ok);

#endif
