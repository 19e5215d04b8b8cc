/*
 * The small pieces every UDF descriptor is made of (ecma167.h): the descriptor tag with its CRC
 * and checksum (ECMA-167 3/7.2), the character set specification, entity identifiers (1/7.4, UDF
 * 2.60 2.1.5) and extent and allocation descriptors. Writers fill a descriptor's body, then call
 * udf_tag_finish() last; readers check a tag with udf_tag_check() before trusting the body.
 *
 * What goes into a descriptor, and where it lies, is the writer's business, not this file's.
 */
#ifndef OPENFSI_CORE_UDF_DESCRIPTOR_H
#define OPENFSI_CORE_UDF_DESCRIPTOR_H

#include <stddef.h>
#include <stdint.h>

#include "ecma167.h"

/* Our implementation identifier (UDF 2.1.5.2: "*" and the developer's name). */
#define UDF_OPENFSI_IMPLEMENTATION_ID "*openfsi"

/*
 * The operating system recorded in implementation and UDF identifier suffixes (UDF 6.3): the one
 * the engine is built for.
 */
#if defined(_WIN32)
#define UDF_OPENFSI_OS_CLASS UDF_OS_CLASS_WINNT
#define UDF_OPENFSI_OS_IDENTIFIER UDF_OS_ID_GENERIC
#elif defined(__linux__)
#define UDF_OPENFSI_OS_CLASS UDF_OS_CLASS_UNIX
#define UDF_OPENFSI_OS_IDENTIFIER UDF_OS_ID_UNIX_LINUX
#else
#define UDF_OPENFSI_OS_CLASS UDF_OS_CLASS_UNIX
#define UDF_OPENFSI_OS_IDENTIFIER UDF_OS_ID_GENERIC
#endif

/* CRC-ITU-T, x^16 + x^12 + x^5 + 1, initial value 0, not reflected (ECMA-167 1/7.2.6). */
uint16_t udf_crc(const uint8_t *data, size_t length);

/* The tag checksum (3/7.2.3): the sum of bytes 0-3 and 5-15 of `tag`, modulo 256. */
uint8_t udf_tag_checksum(const uint8_t *tag);

/*
 * Finalises the 16-byte tag at the start of `descriptor` (of `length` bytes in all, tag included):
 * identifier, descriptor version (UDF_DESCRIPTOR_VERSION_NSR02 below UDF 2.00, _NSR03 from 2.00),
 * serial number, tag location (the logical block within its partition for file structures, the
 * sector for volume structures), CRC length and CRC over bytes 16..length-1, then the checksum.
 * Call after the body is final. The CRC length field has 16 bits: a longer descriptor has its
 * first 65535 bytes after the tag covered. Does nothing when `length` is below 16.
 */
void udf_tag_finish(uint8_t *descriptor, uint16_t identifier, uint16_t version, uint16_t serial,
                    uint32_t location, size_t length);

/*
 * The same with the CRC over only the `crc_length` bytes after the tag, for descriptors whose CRC
 * covers less than the whole: mkudffs, for one, covers only the 8 fixed bytes of a space bitmap
 * descriptor, whose bitmap may exceed what the CRC length can say.
 */
void udf_tag_finish_crc(uint8_t *descriptor, uint16_t identifier, uint16_t version,
                        uint16_t serial, uint32_t location, uint16_t crc_length);

/*
 * 1 when the tag at `descriptor` is consistent: checksum, reserved byte zero, tag location equal
 * to `location`, the CRC length within `available` bytes (tag included) and the CRC right; else
 * 0. *identifier (may be NULL) receives the tag identifier whenever the 16 tag bytes are there,
 * so a caller can say what it refused.
 */
int udf_tag_check(const uint8_t *descriptor, size_t available, uint32_t location,
                  uint16_t *identifier);

/* Character set specification: type CS0, "OSTA Compressed Unicode" (UDF 2.1.2). */
void udf_put_charspec_cs0(struct udf_charspec *c);

/*
 * Entity identifiers (1/7.4, UDF 2.1.5); the flags byte is 0, the identifier zero-padded (cut at
 * 23 bytes).
 *  - udf_put_regid: any identifier ("+NSR03"...) with the given suffix (NULL: zeros).
 *  - udf_put_domain_regid: UDF_ID_DOMAIN with the UDF revision (BCD, 0x0260) and domain flags
 *    (UDF_DOMAIN_FLAG_*) in the domain identifier suffix (UDF 2.1.5.3).
 *  - udf_put_udf_regid: a UDF identifier (UDF_ID_LV_INFO, UDF_ID_METADATA_PARTITION...) with the
 *    revision and our OS class and identifier in the UDF identifier suffix.
 *  - udf_put_implementation_regid: UDF_OPENFSI_IMPLEMENTATION_ID with our OS class and identifier
 *    in the implementation identifier suffix, its 6 implementation use bytes zero.
 */
void udf_put_regid(struct udf_regid *r, const char *identifier, const uint8_t suffix[8]);
void udf_put_domain_regid(struct udf_regid *r, uint16_t revision, uint8_t domain_flags);
void udf_put_udf_regid(struct udf_regid *r, const char *identifier, uint16_t revision);
void udf_put_implementation_regid(struct udf_regid *r);

/* Extent and allocation descriptors. length_with_type: bytes | UDF_EXTENT_* type. */
void udf_put_extent_ad(struct udf_extent_ad *a, uint32_t length, uint32_t location);
void udf_put_lb_addr(struct udf_lb_addr *a, uint32_t block, uint16_t partition);
void udf_put_short_ad(struct udf_short_ad *a, uint32_t length_with_type, uint32_t position);
/* impl_use may be NULL (zeros). */
void udf_put_long_ad(struct udf_long_ad *a, uint32_t length_with_type, uint32_t block,
                     uint16_t partition, const uint8_t impl_use[6]);

#endif
