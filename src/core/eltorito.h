/*
 * El Torito 1.0 ("El Torito" Bootable CD-ROM Format Specification, Phoenix/IBM 1995): the on-disc
 * structures, named after the sections that define them, and the writer's part of the layout.
 * The boot record volume descriptor goes right after the primary descriptor (as genisoimage and
 * xorriso put it), the catalog and the boot images anywhere the volume map has room. Neither the
 * catalog nor the images are entered in a directory. Rendering is from the layout alone, like the
 * other metadata; a boot image's bytes are read from its source by the image reader.
 */
#ifndef OPENFSI_CORE_ELTORITO_H
#define OPENFSI_CORE_ELTORITO_H

#include <stdint.h>

#include "tree_internal.h"
#include "openfsi/image.h"

#define ELTORITO_SYSTEM_ID "EL TORITO SPECIFICATION"
#define ELTORITO_ENTRY_SIZE 32
#define ELTORITO_VIRTUAL_SECTOR 512

/* 2.0: the boot record volume descriptor (a type 0 descriptor of ECMA-119 8.2). */
struct eltorito_boot_record_volume_descriptor {
    uint8_t type[1];                    /* 0 */
    uint8_t standard_id[5];             /* "CD001" */
    uint8_t version[1];                 /* 1 */
    uint8_t boot_system_id[32];         /* "EL TORITO SPECIFICATION", zero padded */
    uint8_t unused[32];
    uint8_t catalog_sector[4];          /* little endian */
};

/* 2.1: the validation entry, first in the catalog. */
#define ELTORITO_HEADER_ID 0x01
#define ELTORITO_KEY_55 0x55
#define ELTORITO_KEY_AA 0xAA
struct eltorito_validation_entry {
    uint8_t header_id[1];               /* 1 */
    uint8_t platform_id[1];
    uint8_t reserved[2];
    uint8_t id_string[24];              /* the manufacturer */
    uint8_t checksum[2];                /* little endian: all 16 words of the entry sum to 0 */
    uint8_t key[2];                     /* 0x55 0xAA */
};

/* 2.2: the initial/default entry, and 2.4: a section entry (the same first 12 bytes). */
#define ELTORITO_BOOTABLE 0x88
struct eltorito_section_entry {
    uint8_t boot_indicator[1];          /* 0x88 bootable */
    uint8_t boot_media_type[1];         /* enum fsi_boot_emulation */
    uint8_t load_segment[2];            /* little endian; 0: 0x7C0 */
    uint8_t system_type[1];             /* hard disk emulation: the partition's type byte */
    uint8_t unused[1];
    uint8_t sector_count[2];            /* 512-byte virtual sectors the BIOS loads */
    uint8_t load_rba[4];                /* the image's first 2048-byte sector */
    uint8_t selection_criteria_type[1]; /* 2.4 only; 0: none */
    uint8_t vendor_unique[19];
};

/* 2.3: a section header entry; 0x91 marks the last section. */
#define ELTORITO_SECTION_HEADER 0x90
#define ELTORITO_SECTION_HEADER_LAST 0x91
struct eltorito_section_header_entry {
    uint8_t header_indicator[1];
    uint8_t platform_id[1];
    uint8_t section_entry_count[2];     /* little endian */
    uint8_t id_string[28];
};

/* One boot image as laid out. Its node is private to the image (no parent, no name): it only
   carries the size and source, so the reader reads it as it reads a file. */
struct eltorito_image {
    struct fsi_node node;
    enum fsi_boot_platform platform;
    enum fsi_boot_emulation emulation;
    uint16_t load_segment;
    uint16_t sector_count;
    uint8_t system_type;
    char manufacturer[28];
    uint32_t first_sector;
};

struct eltorito {
    struct eltorito_image *images;
    size_t count;
    uint32_t catalog_sector;
};

struct fsi_image;

/* FSI_E_INVALID_ARGUMENT when the options' boot entries break the rules of image.h. */
enum fsi_status eltorito_check_options(const struct fsi_image_options *options);

/* Copies the entries into the image (host paths, manufacturers), takes a hold of each callback
   source (callbacks->retain) and, for hard disk emulation, reads the partition type from the
   image's master boot record. */
enum fsi_status eltorito_prepare(struct fsi_image *image);
/* Lets go of the holds eltorito_prepare took (before the arena goes). */
void eltorito_free(struct fsi_image *image);

/* Places the catalog (at or above `metadata_floor`) and every boot image's data (at or above
   `data_floor`). */
enum fsi_status eltorito_place(struct fsi_image *image, uint32_t metadata_floor,
                               uint32_t data_floor);

void render_boot_record(const struct fsi_image *image, uint8_t *sector);
void render_boot_catalog(const struct fsi_image *image, uint8_t *sector);

#endif
