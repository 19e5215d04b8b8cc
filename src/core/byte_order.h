/*
 * Fixed-width integers in on-disc byte order: the only place in the engine that shifts bytes for
 * endianness. Writers store into and readers load from plain byte arrays, so nothing here depends
 * on the host's byte order or alignment. ECMA-119 numbers its formats in 7.1 to 7.3: little endian
 * (7.2.1, 7.3.1), big endian (7.2.2, 7.3.2) and "both byte orders" (7.2.3, 7.3.3), which is the
 * little-endian copy followed by the big-endian one.
 *
 * Readers of "both" fields return the little-endian half, as Linux's fs/isofs does, and say
 * whether the big-endian half agreed, so a reader of a hostile disc decides what a mismatch means
 * rather than having it decided here.
 */
#ifndef OPENFSI_CORE_BYTE_ORDER_H
#define OPENFSI_CORE_BYTE_ORDER_H

#include <stdint.h>

static inline void put_le16(uint8_t *p, uint16_t value)
{
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t value)
{
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
    p[2] = (uint8_t)(value >> 16);
    p[3] = (uint8_t)(value >> 24);
}

static inline void put_le64(uint8_t *p, uint64_t value)
{
    put_le32(p, (uint32_t)value);
    put_le32(p + 4, (uint32_t)(value >> 32));
}

static inline void put_be16(uint8_t *p, uint16_t value)
{
    p[0] = (uint8_t)(value >> 8);
    p[1] = (uint8_t)value;
}

static inline void put_be32(uint8_t *p, uint32_t value)
{
    p[0] = (uint8_t)(value >> 24);
    p[1] = (uint8_t)(value >> 16);
    p[2] = (uint8_t)(value >> 8);
    p[3] = (uint8_t)value;
}

/* ECMA-119 7.2.3: 4 bytes, little endian then big endian. */
static inline void put_both16(uint8_t *p, uint16_t value)
{
    put_le16(p, value);
    put_be16(p + 2, value);
}

/* ECMA-119 7.3.3: 8 bytes, little endian then big endian. */
static inline void put_both32(uint8_t *p, uint32_t value)
{
    put_le32(p, value);
    put_be32(p + 4, value);
}

static inline uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t get_le32(const uint8_t *p)
{
    /* Widen before shifting: p[3] << 24 on a promoted int would overflow for p[3] >= 0x80. */
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t get_le64(const uint8_t *p)
{
    return (uint64_t)get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

static inline uint16_t get_be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* The little-endian half; *consistent (may be NULL) is 1 if the big-endian half agrees, else 0. */
static inline uint16_t get_both16(const uint8_t *p, int *consistent)
{
    uint16_t value = get_le16(p);
    if (consistent)
        *consistent = get_be16(p + 2) == value;
    return value;
}

static inline uint32_t get_both32(const uint8_t *p, int *consistent)
{
    uint32_t value = get_le32(p);
    if (consistent)
        *consistent = get_be32(p + 4) == value;
    return value;
}

#endif
