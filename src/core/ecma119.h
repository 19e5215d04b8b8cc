/*
 * ISO 9660 on-disc records as C structs. Every field is a uint8_t array of the exact on-disc
 * width, so a struct is the layout itself: it has alignment 1, no padding and needs no packing
 * pragmas. Section numbers are those of ECMA-119 2nd edition (1987), which is ISO 9660:1988.
 *
 * Fields are filled and read with byte_order.h and iso_time.h; the comment on a numeric field
 * names its recording format (7.x). Field names follow the standard's; unused and reserved fields
 * are named after their first byte position (BP, counted from 1, so offset = BP - 1).
 *
 * This is only the layout: choosing identifiers, sizes and positions is the writer's job.
 */
#ifndef OPENFSI_CORE_ECMA119_H
#define OPENFSI_CORE_ECMA119_H

#include <stdint.h>

#define ECMA119_SECTOR_SIZE 2048        /* logical sector (6.1.2) and, here, logical block */
#define ECMA119_SYSTEM_AREA_SECTORS 16  /* sectors 0-15 (6.2.1); descriptors start at 16 */

/* Volume descriptor types (8.1.1). */
enum ecma119_volume_descriptor_type {
    ECMA119_VD_BOOT_RECORD = 0,
    ECMA119_VD_PRIMARY = 1,
    ECMA119_VD_SUPPLEMENTARY = 2,
    ECMA119_VD_PARTITION = 3,
    ECMA119_VD_SET_TERMINATOR = 255
};

#define ECMA119_STANDARD_ID "CD001"     /* 8.1.2, 5 bytes, no terminator on disc */
#define ECMA119_STANDARD_ID_SIZE 5
#define ECMA119_VD_VERSION 1            /* 8.1.3 */
#define ECMA119_FILE_STRUCTURE_VERSION 1 /* 8.4.30 */

/*
 * Joliet escape sequences for the supplementary volume descriptor's escape_sequences field, one
 * per UCS-2 level (Joliet specification, Microsoft 1995). 3 bytes each, no terminator on disc.
 */
#define JOLIET_ESCAPE_UCS2_LEVEL_1 "%/@"
#define JOLIET_ESCAPE_UCS2_LEVEL_2 "%/C"
#define JOLIET_ESCAPE_UCS2_LEVEL_3 "%/E"
#define JOLIET_ESCAPE_SIZE 3

/* File flags of a directory record (9.1.6). */
#define ECMA119_FLAG_HIDDEN 0x01        /* the standard's "Existence" bit */
#define ECMA119_FLAG_DIRECTORY 0x02
#define ECMA119_FLAG_ASSOCIATED 0x04
#define ECMA119_FLAG_RECORD 0x08        /* record format in the extended attribute record */
#define ECMA119_FLAG_PROTECTION 0x10    /* owner and permissions in the extended attribute record */
#define ECMA119_FLAG_MULTI_EXTENT 0x80  /* not the file's final directory record */

/*
 * Directory record (9.1): the 33-byte fixed part. The file identifier (9.1.11) of file_id_length
 * bytes follows at (uint8_t *)record + ECMA119_DIR_RECORD_FIXED_SIZE, then a padding byte when
 * file_id_length is even (9.1.12), then system use data up to length (9.1.13). A record never
 * crosses a logical sector boundary.
 */
struct ecma119_dir_record {
    uint8_t length[1];                  /* 9.1.1, whole record, 7.1.1 */
    uint8_t ext_attr_length[1];         /* 9.1.2, 7.1.1 */
    uint8_t extent[8];                  /* 9.1.3, first logical block, 7.3.3 */
    uint8_t data_length[8];             /* 9.1.4, bytes, 7.3.3 */
    uint8_t recording_date[7];          /* 9.1.5, iso_dir_record_date() */
    uint8_t flags[1];                   /* 9.1.6, ECMA119_FLAG_* */
    uint8_t file_unit_size[1];          /* 9.1.7, 7.1.1, 0 unless interleaved */
    uint8_t interleave_gap[1];          /* 9.1.8, 7.1.1 */
    uint8_t volume_seq_number[4];       /* 9.1.9, 7.2.3 */
    uint8_t file_id_length[1];          /* 9.1.10, 7.1.1 */
};

#define ECMA119_DIR_RECORD_FIXED_SIZE 33
#define ECMA119_DIR_RECORD_MAX_SIZE 255
/* The root's record in a volume descriptor: the fixed part and a one-byte identifier 0x00. */
#define ECMA119_ROOT_DIR_RECORD_SIZE 34

/*
 * Path table record (9.4): the 8-byte fixed part. The directory identifier of dir_id_length bytes
 * follows, then a padding byte when dir_id_length is odd (9.4.6). extent and parent_number are
 * little endian in the type L table and big endian in the type M table.
 */
struct ecma119_path_table_record {
    uint8_t dir_id_length[1];           /* 9.4.1, 7.1.1 */
    uint8_t ext_attr_length[1];         /* 9.4.2, 7.1.1 */
    uint8_t extent[4];                  /* 9.4.3, 7.3.1 or 7.3.2 */
    uint8_t parent_number[2];           /* 9.4.4, 7.2.1 or 7.2.2 */
};

#define ECMA119_PATH_TABLE_RECORD_FIXED_SIZE 8

/* Volume descriptor (8.1): what every descriptor type has in common. */
struct ecma119_volume_descriptor {
    uint8_t type[1];                    /* 8.1.1, enum ecma119_volume_descriptor_type */
    uint8_t standard_id[5];             /* 8.1.2, ECMA119_STANDARD_ID */
    uint8_t version[1];                 /* 8.1.3 */
    uint8_t data[2041];                 /* 8.1.4 */
};

/* Boot record (8.2); El Torito's boot record volume descriptor is one. */
struct ecma119_boot_record {
    uint8_t type[1];                    /* 8.2.1, ECMA119_VD_BOOT_RECORD */
    uint8_t standard_id[5];             /* 8.2.2 */
    uint8_t version[1];                 /* 8.2.3 */
    uint8_t boot_system_id[32];         /* 8.2.4, a-characters */
    uint8_t boot_id[32];                /* 8.2.5, a-characters */
    uint8_t boot_system_use[1977];      /* 8.2.6 */
};

/* Volume descriptor set terminator (8.3). */
struct ecma119_volume_descriptor_set_terminator {
    uint8_t type[1];                    /* 8.3.1, ECMA119_VD_SET_TERMINATOR */
    uint8_t standard_id[5];             /* 8.3.2 */
    uint8_t version[1];                 /* 8.3.3 */
    uint8_t reserved_8[2041];           /* 8.3.4, zeros */
};

/* Primary volume descriptor (8.4). Identifiers are space-padded; dates are iso_volume_date(). */
struct ecma119_primary_volume_descriptor {
    uint8_t type[1];                    /* 8.4.1, ECMA119_VD_PRIMARY */
    uint8_t standard_id[5];             /* 8.4.2 */
    uint8_t version[1];                 /* 8.4.3 */
    uint8_t unused_8[1];                /* 8.4.4 */
    uint8_t system_id[32];              /* 8.4.5, a-characters */
    uint8_t volume_id[32];              /* 8.4.6, d-characters */
    uint8_t unused_73[8];               /* 8.4.7 */
    uint8_t volume_space_size[8];       /* 8.4.8, logical blocks, 7.3.3 */
    uint8_t unused_89[32];              /* 8.4.9 */
    uint8_t volume_set_size[4];         /* 8.4.10, 7.2.3 */
    uint8_t volume_seq_number[4];       /* 8.4.11, 7.2.3 */
    uint8_t logical_block_size[4];      /* 8.4.12, 7.2.3 */
    uint8_t path_table_size[8];         /* 8.4.13, bytes, 7.3.3 */
    uint8_t l_path_table_pos[4];        /* 8.4.14, type L path table, 7.3.1 */
    uint8_t opt_l_path_table_pos[4];    /* 8.4.15, 7.3.1, 0 when absent */
    uint8_t m_path_table_pos[4];        /* 8.4.16, type M path table, 7.3.2 */
    uint8_t opt_m_path_table_pos[4];    /* 8.4.17, 7.3.2, 0 when absent */
    uint8_t root_dir_record[34];        /* 8.4.18, ECMA119_ROOT_DIR_RECORD_SIZE */
    uint8_t volume_set_id[128];         /* 8.4.19, d-characters */
    uint8_t publisher_id[128];          /* 8.4.20, a-characters or 0x5F and a file name */
    uint8_t data_preparer_id[128];      /* 8.4.21, likewise */
    uint8_t application_id[128];        /* 8.4.22, likewise */
    uint8_t copyright_file_id[37];      /* 8.4.23 */
    uint8_t abstract_file_id[37];       /* 8.4.24 */
    uint8_t bibliographic_file_id[37];  /* 8.4.25 */
    uint8_t creation_date[17];          /* 8.4.26 */
    uint8_t modification_date[17];      /* 8.4.27 */
    uint8_t expiration_date[17];        /* 8.4.28 */
    uint8_t effective_date[17];         /* 8.4.29 */
    uint8_t file_structure_version[1];  /* 8.4.30, ECMA119_FILE_STRUCTURE_VERSION */
    uint8_t reserved_883[1];            /* 8.4.31, zero */
    uint8_t application_use[512];       /* 8.4.32 */
    uint8_t reserved_1396[653];         /* 8.4.33, zeros */
};

/*
 * Supplementary volume descriptor (8.5): the primary's layout with volume_flags at BP 8 and
 * escape_sequences at BP 89. Joliet is one, with a JOLIET_ESCAPE_* sequence and big-endian UCS-2
 * identifiers in place of a- and d-characters.
 */
struct ecma119_supplementary_volume_descriptor {
    uint8_t type[1];                    /* 8.5.1, ECMA119_VD_SUPPLEMENTARY */
    uint8_t standard_id[5];
    uint8_t version[1];                 /* 8.5.2 */
    uint8_t volume_flags[1];            /* 8.5.3, bit 0: an escape sequence is not ISO 2375 */
    uint8_t system_id[32];              /* 8.5.4 */
    uint8_t volume_id[32];              /* 8.5.5 */
    uint8_t unused_73[8];
    uint8_t volume_space_size[8];       /* 7.3.3 */
    uint8_t escape_sequences[32];       /* 8.5.6, zero-padded */
    uint8_t volume_set_size[4];         /* 7.2.3 */
    uint8_t volume_seq_number[4];       /* 7.2.3 */
    uint8_t logical_block_size[4];      /* 7.2.3 */
    uint8_t path_table_size[8];         /* 7.3.3 */
    uint8_t l_path_table_pos[4];        /* 7.3.1 */
    uint8_t opt_l_path_table_pos[4];    /* 7.3.1 */
    uint8_t m_path_table_pos[4];        /* 7.3.2 */
    uint8_t opt_m_path_table_pos[4];    /* 7.3.2 */
    uint8_t root_dir_record[34];
    uint8_t volume_set_id[128];         /* 8.5.7 */
    uint8_t publisher_id[128];          /* 8.5.8 */
    uint8_t data_preparer_id[128];      /* 8.5.9 */
    uint8_t application_id[128];        /* 8.5.10 */
    uint8_t copyright_file_id[37];      /* 8.5.11 */
    uint8_t abstract_file_id[37];       /* 8.5.12 */
    uint8_t bibliographic_file_id[37];  /* 8.5.13 */
    uint8_t creation_date[17];
    uint8_t modification_date[17];
    uint8_t expiration_date[17];
    uint8_t effective_date[17];
    uint8_t file_structure_version[1];
    uint8_t reserved_883[1];
    uint8_t application_use[512];
    uint8_t reserved_1396[653];
};

/*
 * A compile-time size check without C11's _Static_assert: the array size is -1, an error, when
 * the layout is wrong. Byte arrays have alignment 1, so only a typo in a width can trip it.
 */
#define ECMA119_CHECK_SIZE(name, type, size) \
    typedef char ecma119_size_check_##name[(sizeof(type) == (size)) ? 1 : -1]

ECMA119_CHECK_SIZE(dir_record, struct ecma119_dir_record, ECMA119_DIR_RECORD_FIXED_SIZE);
ECMA119_CHECK_SIZE(path_table_record, struct ecma119_path_table_record,
                   ECMA119_PATH_TABLE_RECORD_FIXED_SIZE);
ECMA119_CHECK_SIZE(volume_descriptor, struct ecma119_volume_descriptor, ECMA119_SECTOR_SIZE);
ECMA119_CHECK_SIZE(boot_record, struct ecma119_boot_record, ECMA119_SECTOR_SIZE);
ECMA119_CHECK_SIZE(set_terminator, struct ecma119_volume_descriptor_set_terminator,
                   ECMA119_SECTOR_SIZE);
ECMA119_CHECK_SIZE(primary, struct ecma119_primary_volume_descriptor, ECMA119_SECTOR_SIZE);
ECMA119_CHECK_SIZE(supplementary, struct ecma119_supplementary_volume_descriptor,
                   ECMA119_SECTOR_SIZE);

#endif
