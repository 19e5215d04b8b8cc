/*
 * UDF descriptor tags, entity identifiers and allocation descriptors (src/core/udf_descriptor.h).
 * The CRC takes eight bytes at a time (udf_crc_table.h): a walk of a 100,000-file volume checks
 * and renders hundreds of thousands of descriptors.
 */
#include <string.h>

#include "udf_descriptor.h"
#include "udf_crc_table.h"
#include "byte_order.h"

uint16_t udf_crc(const uint8_t *data, size_t length)
{
    const uint16_t(*t)[256] = udf_crc_table;
    unsigned crc = 0;

    if (!data)
        return 0;
    for (; length >= 8; data += 8, length -= 8)
        crc = t[7][(crc >> 8) ^ data[0]] ^ t[6][(crc & 0xFF) ^ data[1]] ^ t[5][data[2]] ^
              t[4][data[3]] ^ t[3][data[4]] ^ t[2][data[5]] ^ t[1][data[6]] ^ t[0][data[7]];
    for (; length; data++, length--)
        crc = ((crc << 8) ^ t[0][(crc >> 8) ^ *data]) & 0xFFFF;
    return (uint16_t)crc;
}

uint8_t udf_tag_checksum(const uint8_t *tag)
{
    unsigned sum = 0;
    int i;

    for (i = 0; i < UDF_DESCRIPTOR_TAG_SIZE; i++)
        if (i != 4)
            sum += tag[i];
    return (uint8_t)sum;
}

void udf_tag_finish_crc(uint8_t *descriptor, uint16_t identifier, uint16_t version,
                        uint16_t serial, uint32_t location, uint16_t crc_length)
{
    struct udf_descriptor_tag *tag = (struct udf_descriptor_tag *)descriptor;

    if (!descriptor)
        return;
    put_le16(tag->tag_identifier, identifier);
    put_le16(tag->descriptor_version, version);
    tag->tag_checksum[0] = 0;
    tag->reserved_5[0] = 0;
    put_le16(tag->tag_serial_number, serial);
    put_le16(tag->descriptor_crc, udf_crc(descriptor + UDF_DESCRIPTOR_TAG_SIZE, crc_length));
    put_le16(tag->descriptor_crc_length, crc_length);
    put_le32(tag->tag_location, location);
    tag->tag_checksum[0] = udf_tag_checksum(descriptor);
}

void udf_tag_finish(uint8_t *descriptor, uint16_t identifier, uint16_t version, uint16_t serial,
                    uint32_t location, size_t length)
{
    size_t crc_length;

    if (!descriptor || length < UDF_DESCRIPTOR_TAG_SIZE)
        return;
    crc_length = length - UDF_DESCRIPTOR_TAG_SIZE;
    if (crc_length > 0xFFFF)
        crc_length = 0xFFFF;
    udf_tag_finish_crc(descriptor, identifier, version, serial, location, (uint16_t)crc_length);
}

int udf_tag_check(const uint8_t *descriptor, size_t available, uint32_t location,
                  uint16_t *identifier)
{
    const struct udf_descriptor_tag *tag = (const struct udf_descriptor_tag *)descriptor;
    size_t crc_length;

    if (!descriptor || available < UDF_DESCRIPTOR_TAG_SIZE)
        return 0;
    if (identifier)
        *identifier = get_le16(tag->tag_identifier);
    if (tag->tag_checksum[0] != udf_tag_checksum(descriptor) || tag->reserved_5[0] != 0)
        return 0;
    if (get_le32(tag->tag_location) != location)
        return 0;
    crc_length = get_le16(tag->descriptor_crc_length);
    if (crc_length > available - UDF_DESCRIPTOR_TAG_SIZE)
        return 0;
    return udf_crc(descriptor + UDF_DESCRIPTOR_TAG_SIZE, crc_length)
           == get_le16(tag->descriptor_crc);
}

void udf_put_charspec_cs0(struct udf_charspec *c)
{
    if (!c)
        return;
    memset(c, 0, sizeof(*c));
    c->character_set_type[0] = UDF_CHARSPEC_TYPE_CS0;
    memcpy(c->character_set_info, UDF_CHARSPEC_CS0_INFO, sizeof(UDF_CHARSPEC_CS0_INFO) - 1);
}

void udf_put_regid(struct udf_regid *r, const char *identifier, const uint8_t suffix[8])
{
    size_t length;

    if (!r)
        return;
    memset(r, 0, sizeof(*r));
    if (identifier) {
        length = strlen(identifier);
        if (length > UDF_REGID_IDENTIFIER_SIZE)
            length = UDF_REGID_IDENTIFIER_SIZE;
        memcpy(r->identifier, identifier, length);
    }
    if (suffix)
        memcpy(r->identifier_suffix, suffix, UDF_REGID_SUFFIX_SIZE);
}

void udf_put_domain_regid(struct udf_regid *r, uint16_t revision, uint8_t domain_flags)
{
    uint8_t suffix[UDF_REGID_SUFFIX_SIZE] = { 0 };

    put_le16(suffix, revision);
    suffix[2] = domain_flags;
    udf_put_regid(r, UDF_ID_DOMAIN, suffix);
}

void udf_put_udf_regid(struct udf_regid *r, const char *identifier, uint16_t revision)
{
    uint8_t suffix[UDF_REGID_SUFFIX_SIZE] = { 0 };

    put_le16(suffix, revision);
    suffix[2] = UDF_OPENFSI_OS_CLASS;
    suffix[3] = UDF_OPENFSI_OS_IDENTIFIER;
    udf_put_regid(r, identifier, suffix);
}

void udf_put_implementation_regid(struct udf_regid *r)
{
    uint8_t suffix[UDF_REGID_SUFFIX_SIZE] = { 0 };

    suffix[0] = UDF_OPENFSI_OS_CLASS;
    suffix[1] = UDF_OPENFSI_OS_IDENTIFIER;
    udf_put_regid(r, UDF_OPENFSI_IMPLEMENTATION_ID, suffix);
}

void udf_put_extent_ad(struct udf_extent_ad *a, uint32_t length, uint32_t location)
{
    if (!a)
        return;
    put_le32(a->extent_length, length);
    put_le32(a->extent_location, location);
}

void udf_put_lb_addr(struct udf_lb_addr *a, uint32_t block, uint16_t partition)
{
    if (!a)
        return;
    put_le32(a->logical_block_number, block);
    put_le16(a->partition_reference_number, partition);
}

void udf_put_short_ad(struct udf_short_ad *a, uint32_t length_with_type, uint32_t position)
{
    if (!a)
        return;
    put_le32(a->extent_length, length_with_type);
    put_le32(a->extent_position, position);
}

void udf_put_long_ad(struct udf_long_ad *a, uint32_t length_with_type, uint32_t block,
                     uint16_t partition, const uint8_t impl_use[6])
{
    if (!a)
        return;
    put_le32(a->extent_length, length_with_type);
    udf_put_lb_addr(&a->extent_location, block, partition);
    if (impl_use)
        memcpy(a->implementation_use, impl_use, sizeof(a->implementation_use));
    else
        memset(a->implementation_use, 0, sizeof(a->implementation_use));
}
