/*
 * The El Torito writer (eltorito.h): checks the boot entries, places the catalog and the boot
 * images on the volume map and renders the boot record and the catalog. The catalog holds the
 * validation entry, the initial/default entry for the first image and, for every further image,
 * a section of its own (header and one entry) under that image's platform id, so a BIOS + UEFI
 * pair has its UEFI entry in a 0xEF section. It does not write boot info tables, hybrid MBRs or
 * partition tables, and it does not read boot images except the MBR byte hard disk emulation
 * records.
 */
#include <stdio.h>
#include <string.h>

#include "byte_order.h"
#include "ecma119.h"
#include "eltorito.h"
#include "layout.h"
#include "source_read.h"

static uint32_t sectors_for(uint64_t bytes)
{
    return (uint32_t)((bytes + ECMA119_SECTOR_SIZE - 1) / ECMA119_SECTOR_SIZE);
}

static int manufacturer_is_valid(const char *text)
{
    size_t i;
    if (!text)
        return 1;
    for (i = 0; text[i]; i++)
        if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7E ||
            i >= FSI_BOOT_MANUFACTURER_MAX)
            return 0;
    return 1;
}

enum fsi_status eltorito_check_options(const struct fsi_image_options *options)
{
    size_t i;

    if (!options->boot_entry_count)
        return FSI_OK;
    if (!options->boot_entries || options->boot_entry_count > FSI_BOOT_ENTRY_MAX ||
        !options->iso9660)
        return FSI_E_INVALID_ARGUMENT;
    for (i = 0; i < options->boot_entry_count; i++) {
        const struct fsi_boot_entry *entry = &options->boot_entries[i];
        if (!fsi_boot_platform_is_known(entry->platform) ||
            !fsi_boot_emulation_fits(entry->emulation, entry->size) || !entry->size ||
            sectors_for(entry->size) == 0 || entry->size > MAX_EXTENT_BYTES ||
            !manufacturer_is_valid(entry->manufacturer))
            return FSI_E_INVALID_ARGUMENT;
        switch (entry->source.kind) {
        case FSI_SOURCE_HOST_FILE:
            if (!entry->source.u.host_path)
                return FSI_E_INVALID_ARGUMENT;
            break;
        case FSI_SOURCE_MEMORY:
            if (!entry->source.u.memory.data)
                return FSI_E_INVALID_ARGUMENT;
            break;
        case FSI_SOURCE_CALLBACK:
            if (!entry->source.u.callback.callbacks || !entry->source.u.callback.callbacks->read)
                return FSI_E_INVALID_ARGUMENT;
            break;
        default:
            return FSI_E_INVALID_ARGUMENT;
        }
    }
    return FSI_OK;
}

/* 512-byte sectors the BIOS loads: 1 with emulation (the boot sector of the emulated medium);
   without, the caller's count or the whole image, as genisoimage and xorriso record it. */
static uint16_t load_sector_count(const struct fsi_boot_entry *entry)
{
    uint64_t sectors;

    if (entry->emulation != FSI_BOOT_EMULATION_NONE)
        return 1;
    if (entry->load_sectors)
        return entry->load_sectors;
    sectors = (entry->size + ELTORITO_VIRTUAL_SECTOR - 1) / ELTORITO_VIRTUAL_SECTOR;
    return sectors > 0xFFFF ? 0xFFFF : (uint16_t)sectors;
}

/* Hard disk emulation records the type of the image's one partition (El Torito 2.2, offset 4):
   byte 4 of the first partition table entry of its master boot record, at 0x1C2. */
static enum fsi_status read_partition_type(const struct fsi_node *node, uint8_t *type)
{
    struct open_host_file open;
    uint8_t byte = 0;
    size_t done = 0;
    char message[256];
    enum fsi_status status;

    *type = 0;
    if (node->size <= 0x1C2)
        return FSI_OK;
    memset(&open, 0, sizeof(open));
    status = source_read(&open, node, 0x1C2, &byte, 1, &done, message, sizeof(message));
    source_close(&open);
    if (status == FSI_OK && done == 1)
        *type = byte;
    return status == FSI_OK && done != 1 ? FSI_E_SOURCE_SHORT : status;
}

enum fsi_status eltorito_prepare(struct fsi_image *image)
{
    const struct fsi_image_options *options = &image->options;
    struct eltorito *torito;
    enum fsi_status status;
    size_t i;

    image->eltorito = NULL;
    if (!options->boot_entry_count)
        return FSI_OK;
    torito = arena_alloc(&image->arena, sizeof(*torito));
    if (!torito)
        return FSI_E_OUT_OF_MEMORY;
    memset(torito, 0, sizeof(*torito));
    torito->images = arena_alloc(&image->arena, options->boot_entry_count * sizeof(*torito->images));
    if (!torito->images)
        return FSI_E_OUT_OF_MEMORY;
    memset(torito->images, 0, options->boot_entry_count * sizeof(*torito->images));
    /* Counted as they are filled in: eltorito_free lets go of exactly those. */
    image->eltorito = torito;
    for (i = 0; i < options->boot_entry_count; i++) {
        const struct fsi_boot_entry *entry = &options->boot_entries[i];
        struct eltorito_image *boot = &torito->images[i];

        boot->node.size = entry->size;
        boot->node.source = entry->source;
        if (entry->source.kind == FSI_SOURCE_HOST_FILE) {
            boot->node.source.u.host_path = arena_copy(
                &image->arena, entry->source.u.host_path, strlen(entry->source.u.host_path) + 1);
            if (!boot->node.source.u.host_path)
                return FSI_E_OUT_OF_MEMORY;
        }
        if (entry->source.kind == FSI_SOURCE_CALLBACK && entry->source.u.callback.callbacks->retain)
            entry->source.u.callback.callbacks->retain(entry->source.u.callback.context);
        torito->count++;
        boot->platform = entry->platform;
        boot->emulation = entry->emulation;
        boot->load_segment = entry->load_segment;
        boot->sector_count = load_sector_count(entry);
        if (entry->manufacturer)
            memcpy(boot->manufacturer, entry->manufacturer, strlen(entry->manufacturer));
        if (entry->emulation == FSI_BOOT_EMULATION_HARD_DISK) {
            status = read_partition_type(&boot->node, &boot->system_type);
            if (status != FSI_OK)
                return status;
        }
    }
    return FSI_OK;
}

void eltorito_free(struct fsi_image *image)
{
    size_t i;

    for (i = 0; image->eltorito && i < image->eltorito->count; i++) {
        const struct fsi_source *source = &image->eltorito->images[i].node.source;
        if (source->kind == FSI_SOURCE_CALLBACK && source->u.callback.callbacks->retain &&
            source->u.callback.callbacks->release)
            source->u.callback.callbacks->release(source->u.callback.context);
    }
    image->eltorito = NULL;
}

enum fsi_status eltorito_place(struct fsi_image *image, uint32_t metadata_floor,
                               uint32_t data_floor)
{
    struct eltorito *torito = image->eltorito;
    struct extent extent;
    enum fsi_status status;
    size_t i;

    if (!torito)
        return FSI_OK;
    memset(&extent, 0, sizeof(extent));
    extent.sector_count = 1;
    extent.content = CONTENT_BOOT_CATALOG;
    status = volume_map_allocate(&image->map, metadata_floor, &extent);
    if (status != FSI_OK)
        return status;
    torito->catalog_sector = extent.first_sector;
    for (i = 0; i < torito->count; i++) {
        struct eltorito_image *boot = &torito->images[i];
        memset(&extent, 0, sizeof(extent));
        extent.sector_count = sectors_for(boot->node.size);
        extent.content = CONTENT_BOOT_IMAGE;
        extent.index = (uint32_t)i;
        extent.file = &boot->node;
        status = volume_map_allocate(&image->map, data_floor, &extent);
        if (status != FSI_OK)
            return status;
        boot->first_sector = extent.first_sector;
    }
    return FSI_OK;
}

void render_boot_record(const struct fsi_image *image, uint8_t *sector)
{
    struct eltorito_boot_record_volume_descriptor *vd =
        (struct eltorito_boot_record_volume_descriptor *)sector;

    memset(sector, 0, ECMA119_SECTOR_SIZE);
    vd->type[0] = ECMA119_VD_BOOT_RECORD;
    memcpy(vd->standard_id, ECMA119_STANDARD_ID, ECMA119_STANDARD_ID_SIZE);
    vd->version[0] = ECMA119_VD_VERSION;
    memcpy(vd->boot_system_id, ELTORITO_SYSTEM_ID, sizeof(ELTORITO_SYSTEM_ID) - 1);
    put_le32(vd->catalog_sector, image->eltorito->catalog_sector);
}

static void write_section_entry(const struct eltorito_image *boot, uint8_t *p)
{
    struct eltorito_section_entry *entry = (struct eltorito_section_entry *)p;

    entry->boot_indicator[0] = ELTORITO_BOOTABLE;
    entry->boot_media_type[0] = (uint8_t)boot->emulation;
    put_le16(entry->load_segment, boot->load_segment);
    entry->system_type[0] = boot->system_type;
    put_le16(entry->sector_count, boot->sector_count);
    put_le32(entry->load_rba, boot->first_sector);
}

void render_boot_catalog(const struct fsi_image *image, uint8_t *sector)
{
    const struct eltorito *torito = image->eltorito;
    struct eltorito_validation_entry *validation = (struct eltorito_validation_entry *)sector;
    uint16_t sum = 0;
    size_t i, at;

    memset(sector, 0, ECMA119_SECTOR_SIZE);
    validation->header_id[0] = ELTORITO_HEADER_ID;
    validation->platform_id[0] = (uint8_t)torito->images[0].platform;
    memcpy(validation->id_string, torito->images[0].manufacturer, sizeof(validation->id_string));
    validation->key[0] = ELTORITO_KEY_55;
    validation->key[1] = ELTORITO_KEY_AA;
    for (i = 0; i < ELTORITO_ENTRY_SIZE; i += 2)
        sum = (uint16_t)(sum + (sector[i] | (sector[i + 1] << 8)));
    put_le16(validation->checksum, (uint16_t)(0x10000u - sum));

    write_section_entry(&torito->images[0], sector + ELTORITO_ENTRY_SIZE);
    at = 2 * ELTORITO_ENTRY_SIZE;
    for (i = 1; i < torito->count; i++) {
        struct eltorito_section_header_entry *header =
            (struct eltorito_section_header_entry *)(sector + at);
        header->header_indicator[0] =
            i + 1 == torito->count ? ELTORITO_SECTION_HEADER_LAST : ELTORITO_SECTION_HEADER;
        header->platform_id[0] = (uint8_t)torito->images[i].platform;
        put_le16(header->section_entry_count, 1);
        memcpy(header->id_string, torito->images[i].manufacturer, sizeof(header->id_string));
        write_section_entry(&torito->images[i], sector + at + ELTORITO_ENTRY_SIZE);
        at += 2 * ELTORITO_ENTRY_SIZE;
    }
}
