/*
 * UDF on-disc structures as C structs: ECMA-167 3rd edition (1997) with the restrictions and
 * additions of OSTA UDF 2.60 (2005). Every field is a uint8_t array of the exact on-disc width (or
 * a struct made only of such arrays), so a struct is the layout itself: it has alignment 1, no
 * padding and needs no packing pragmas. Section numbers are ECMA-167's part/section ("3/10.1")
 * unless marked "UDF" (the OSTA specification's).
 *
 * Multi-byte numbers are little endian (ECMA-167 1/7.1.3, 1/7.1.5, 1/7.1.7) and are filled and read
 * with byte_order.h; timestamps with udf_time.h, dstrings with udf_cs0.h, tags, entity identifiers
 * and allocation descriptors with udf_descriptor.h. Reserved fields are named after their relative
 * byte position (RBP), which ECMA-167 counts from 0, so the name is the field's offset.
 *
 * Descriptors with a variable part (partition maps, allocation descriptors, file identifiers,
 * bitmaps) are declared up to their fixed size, *_FIXED_SIZE; the variable part follows at
 * (uint8_t *)descriptor + that size. This is only the layout: choosing identifiers, sizes and
 * positions is the writer's job.
 */
#ifndef OPENFSI_CORE_ECMA167_H
#define OPENFSI_CORE_ECMA167_H

#include <stdint.h>

#define UDF_SECTOR_SIZE 2048            /* logical sector and logical block of optical media */
/* The volume recognition sequence starts at byte 32768 (2/8.3): sector 16 of 2048 bytes. */
#define UDF_VRS_FIRST_SECTOR 16
/* The anchor volume descriptor pointer is at sector 256 and/or N - 256 and/or N - 1 (3/8.4.2.1). */
#define UDF_ANCHOR_SECTOR 256

/* ---- Basic types (part 1, part 3/7, part 4/7) ---- */

/* Character set specification (1/7.2.1). UDF uses only CS0 (UDF 2.1.2). */
struct udf_charspec {
    uint8_t character_set_type[1];      /* 1/7.2.1.1, UDF_CHARSPEC_TYPE_CS0 */
    uint8_t character_set_info[63];     /* 1/7.2.1.2, UDF_CHARSPEC_CS0_INFO, zero-padded */
};

#define UDF_CHARSPEC_TYPE_CS0 0
#define UDF_CHARSPEC_CS0_INFO "OSTA Compressed Unicode"     /* UDF 2.1.2 */

/* Timestamp (1/7.3). */
struct udf_timestamp {
    uint8_t type_and_timezone[2];       /* 1/7.3.1, UDF_TIMESTAMP_* (bits 12-15), offset (0-11) */
    uint8_t year[2];                    /* 1/7.3.2, 1-9999, signed 16-bit */
    uint8_t month[1];                   /* 1/7.3.3, 1-12 */
    uint8_t day[1];                     /* 1/7.3.4, 1-31 */
    uint8_t hour[1];                    /* 1/7.3.5, 0-23 */
    uint8_t minute[1];                  /* 1/7.3.6, 0-59 */
    uint8_t second[1];                  /* 1/7.3.7, 0-59 */
    uint8_t centiseconds[1];            /* 1/7.3.8, 0-99 */
    uint8_t hundreds_of_microseconds[1]; /* 1/7.3.9, 0-99 */
    uint8_t microseconds[1];            /* 1/7.3.10, 0-99 */
};

/* Type (1/7.3.1), in the top 4 bits of type_and_timezone. UDF records local time (UDF 2.1.4.1). */
#define UDF_TIMESTAMP_TYPE_UTC 0
#define UDF_TIMESTAMP_TYPE_LOCAL 1
#define UDF_TIMESTAMP_TYPE_AGREEMENT 2
#define UDF_TIMESTAMP_TYPE_SHIFT 12
#define UDF_TIMESTAMP_TIMEZONE_MASK 0x0FFF  /* minutes from UTC, 12-bit two's complement */
#define UDF_TIMESTAMP_TIMEZONE_MIN (-1440)
#define UDF_TIMESTAMP_TIMEZONE_MAX 1440
#define UDF_TIMESTAMP_TIMEZONE_UNSPECIFIED (-2047)

/* Entity identifier (1/7.4; UDF 2.1.5). */
struct udf_regid {
    uint8_t flags[1];                   /* 1/7.4.1, 0 in UDF */
    uint8_t identifier[23];             /* 1/7.4.2, zero-padded */
    uint8_t identifier_suffix[8];       /* 1/7.4.3, UDF 2.1.5.3 */
};

#define UDF_REGID_IDENTIFIER_SIZE 23
#define UDF_REGID_SUFFIX_SIZE 8

/* Descriptor tag (3/7.2, 4/7.2). */
struct udf_descriptor_tag {
    uint8_t tag_identifier[2];          /* 3/7.2.1, enum udf_tag_identifier */
    uint8_t descriptor_version[2];      /* 3/7.2.2, UDF_DESCRIPTOR_VERSION_* */
    uint8_t tag_checksum[1];            /* 3/7.2.3 */
    uint8_t reserved_5[1];              /* 3/7.2.4, zero */
    uint8_t tag_serial_number[2];       /* 3/7.2.5 */
    uint8_t descriptor_crc[2];          /* 3/7.2.6 */
    uint8_t descriptor_crc_length[2];   /* 3/7.2.7 */
    uint8_t tag_location[4];            /* 3/7.2.8 */
};

#define UDF_DESCRIPTOR_TAG_SIZE 16
#define UDF_DESCRIPTOR_VERSION_NSR02 2  /* UDF before 2.00 (UDF 2.2.1.2) */
#define UDF_DESCRIPTOR_VERSION_NSR03 3  /* UDF 2.00 and later */

/* Tag identifiers (3/7.2.1 volume structures, 4/7.2.1 file structures). */
enum udf_tag_identifier {
    UDF_TAG_PRIMARY_VOLUME_DESCRIPTOR = 1,
    UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER = 2,
    UDF_TAG_VOLUME_DESCRIPTOR_POINTER = 3,
    UDF_TAG_IMPLEMENTATION_USE_VOLUME_DESCRIPTOR = 4,
    UDF_TAG_PARTITION_DESCRIPTOR = 5,
    UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR = 6,
    UDF_TAG_UNALLOCATED_SPACE_DESCRIPTOR = 7,
    UDF_TAG_TERMINATING_DESCRIPTOR = 8,
    UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR = 9,
    UDF_TAG_FILE_SET_DESCRIPTOR = 256,
    UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR = 257,
    UDF_TAG_ALLOCATION_EXTENT_DESCRIPTOR = 258,
    UDF_TAG_INDIRECT_ENTRY = 259,
    UDF_TAG_TERMINAL_ENTRY = 260,
    UDF_TAG_FILE_ENTRY = 261,
    UDF_TAG_EXTENDED_ATTRIBUTE_HEADER_DESCRIPTOR = 262,
    UDF_TAG_UNALLOCATED_SPACE_ENTRY = 263,
    UDF_TAG_SPACE_BITMAP_DESCRIPTOR = 264,
    UDF_TAG_PARTITION_INTEGRITY_ENTRY = 265,
    UDF_TAG_EXTENDED_FILE_ENTRY = 266
};

/* Extent descriptor (3/7.1): a byte length and a sector number, outside partitions. */
struct udf_extent_ad {
    uint8_t extent_length[4];           /* 3/7.1.1, bytes */
    uint8_t extent_location[4];         /* 3/7.1.2, sector; 0 when the length is 0 */
};

/* Recorded address (4/7.1): a logical block within a partition. */
struct udf_lb_addr {
    uint8_t logical_block_number[4];    /* 4/7.1.1 */
    uint8_t partition_reference_number[2]; /* 4/7.1.2, index in the partition maps */
};

/*
 * Allocation descriptor lengths (4/14.14.1.1): bytes in bits 0-29, the extent type in bits 30-31.
 * A short_ad's position is a block of the partition the ICB is in; a long_ad names the partition.
 */
#define UDF_EXTENT_LENGTH_MASK 0x3FFFFFFFu
#define UDF_EXTENT_RECORDED_ALLOCATED 0x00000000u
#define UDF_EXTENT_NOT_RECORDED_ALLOCATED 0x40000000u
#define UDF_EXTENT_NOT_RECORDED_NOT_ALLOCATED 0x80000000u
#define UDF_EXTENT_NEXT_ALLOCATION_DESCRIPTORS 0xC0000000u

/* Short allocation descriptor (4/14.14.1). */
struct udf_short_ad {
    uint8_t extent_length[4];           /* 4/14.14.1.1, length and UDF_EXTENT_* type */
    uint8_t extent_position[4];         /* 4/14.14.1.2, logical block */
};

/* Long allocation descriptor (4/14.14.2). */
struct udf_long_ad {
    uint8_t extent_length[4];           /* 4/14.14.2.1, length and UDF_EXTENT_* type */
    struct udf_lb_addr extent_location; /* 4/14.14.2.2 */
    uint8_t implementation_use[6];      /* 4/14.14.2.3; UDF 2.2.4.3: flags (2 bytes), 4 bytes */
};

/* ICB tag (4/14.6): the common head of file entries and other ICB entries. */
struct udf_icb_tag {
    uint8_t prior_recorded_number_of_direct_entries[4]; /* 4/14.6.1 */
    uint8_t strategy_type[2];           /* 4/14.6.2, UDF_ICB_STRATEGY_* */
    uint8_t strategy_parameter[2];      /* 4/14.6.3 */
    uint8_t maximum_number_of_entries[2]; /* 4/14.6.4, 1 for strategy 4 */
    uint8_t reserved_10[1];             /* 4/14.6.5, zero */
    uint8_t file_type[1];               /* 4/14.6.6, enum udf_file_type */
    struct udf_lb_addr parent_icb_location; /* 4/14.6.7 */
    uint8_t flags[2];                   /* 4/14.6.8, UDF_ICB_FLAG_* */
};

#define UDF_ICB_STRATEGY_4 4            /* 4/A.5; the strategy UDF uses (UDF 2.3.5.1) */
#define UDF_ICB_STRATEGY_4096 4096      /* UDF 6.6 */

/* File types (4/14.6.6; 248-255 are the UDF's, UDF 2.3.5.2, 2.2.13, 6.11). */
enum udf_file_type {
    UDF_FILE_TYPE_UNSPECIFIED = 0,
    UDF_FILE_TYPE_UNALLOCATED_SPACE_ENTRY = 1,
    UDF_FILE_TYPE_PARTITION_INTEGRITY_ENTRY = 2,
    UDF_FILE_TYPE_INDIRECT_ENTRY = 3,
    UDF_FILE_TYPE_DIRECTORY = 4,
    UDF_FILE_TYPE_REGULAR = 5,          /* "a random access sequence of bytes" */
    UDF_FILE_TYPE_BLOCK_DEVICE = 6,
    UDF_FILE_TYPE_CHARACTER_DEVICE = 7,
    UDF_FILE_TYPE_EXTENDED_ATTRIBUTES = 8,
    UDF_FILE_TYPE_FIFO = 9,
    UDF_FILE_TYPE_SOCKET = 10,
    UDF_FILE_TYPE_TERMINAL_ENTRY = 11,
    UDF_FILE_TYPE_SYMLINK = 12,
    UDF_FILE_TYPE_STREAM_DIRECTORY = 13,
    UDF_FILE_TYPE_VAT = 248,            /* UDF 2.2.11 */
    UDF_FILE_TYPE_REAL_TIME = 249,      /* UDF 6.11 */
    UDF_FILE_TYPE_METADATA = 250,       /* UDF 2.2.13.1 */
    UDF_FILE_TYPE_METADATA_MIRROR = 251,
    UDF_FILE_TYPE_METADATA_BITMAP = 252 /* UDF 2.2.13.2 */
};

/* ICB flags (4/14.6.8). Bits 0-2 say how the allocation descriptors are recorded. */
#define UDF_ICB_FLAG_AD_MASK 0x0007
#define UDF_ICB_FLAG_AD_SHORT 0x0000
#define UDF_ICB_FLAG_AD_LONG 0x0001
#define UDF_ICB_FLAG_AD_EXTENDED 0x0002
#define UDF_ICB_FLAG_AD_EMBEDDED 0x0003  /* the data itself in the allocation descriptors field */
#define UDF_ICB_FLAG_SORTED 0x0008
#define UDF_ICB_FLAG_NON_RELOCATABLE 0x0010
#define UDF_ICB_FLAG_ARCHIVE 0x0020
#define UDF_ICB_FLAG_SETUID 0x0040
#define UDF_ICB_FLAG_SETGID 0x0080
#define UDF_ICB_FLAG_STICKY 0x0100
#define UDF_ICB_FLAG_CONTIGUOUS 0x0200
#define UDF_ICB_FLAG_SYSTEM 0x0400
#define UDF_ICB_FLAG_TRANSFORMED 0x0800
#define UDF_ICB_FLAG_MULTI_VERSIONS 0x1000
#define UDF_ICB_FLAG_STREAM 0x2000

/* ---- Volume recognition (part 2) ---- */

/* Volume structure descriptor (2/9.1): BEA01, NSR02/NSR03 (3/9.1), TEA01. One sector each. */
struct udf_volume_structure_descriptor {
    uint8_t structure_type[1];          /* 2/9.1.1, 0 */
    uint8_t standard_identifier[5];     /* 2/9.1.2, UDF_VSD_*, no terminator on disc */
    uint8_t structure_version[1];       /* 2/9.1.3, 1 */
    uint8_t structure_data[2041];       /* 2/9.1.4, zeros */
};

#define UDF_VSD_IDENTIFIER_SIZE 5
#define UDF_VSD_BEA01 "BEA01"           /* 2/9.2, beginning extended area */
#define UDF_VSD_NSR02 "NSR02"           /* ECMA-167 2nd edition; UDF before 2.00 */
#define UDF_VSD_NSR03 "NSR03"           /* 3/9.1; UDF 2.00 and later */
#define UDF_VSD_TEA01 "TEA01"           /* 2/9.3, terminating extended area */
#define UDF_VSD_VERSION 1

/* ---- Volume structure (part 3) ---- */

/* Primary volume descriptor (3/10.1; UDF 2.2.2). */
struct udf_primary_volume_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.1.1, UDF_TAG_PRIMARY_VOLUME_DESCRIPTOR */
    uint8_t volume_descriptor_sequence_number[4]; /* 3/10.1.2 */
    uint8_t primary_volume_descriptor_number[4];  /* 3/10.1.3 */
    uint8_t volume_identifier[32];      /* 3/10.1.4, dstring */
    uint8_t volume_sequence_number[2];  /* 3/10.1.5 */
    uint8_t maximum_volume_sequence_number[2]; /* 3/10.1.6 */
    uint8_t interchange_level[2];       /* 3/10.1.7 */
    uint8_t maximum_interchange_level[2]; /* 3/10.1.8 */
    uint8_t character_set_list[4];      /* 3/10.1.9, 1 (CS0 only) */
    uint8_t maximum_character_set_list[4]; /* 3/10.1.10 */
    uint8_t volume_set_identifier[128]; /* 3/10.1.11, dstring */
    struct udf_charspec descriptor_character_set;  /* 3/10.1.12 */
    struct udf_charspec explanatory_character_set; /* 3/10.1.13 */
    struct udf_extent_ad volume_abstract;          /* 3/10.1.14 */
    struct udf_extent_ad volume_copyright_notice;  /* 3/10.1.15 */
    struct udf_regid application_identifier;       /* 3/10.1.16 */
    struct udf_timestamp recording_date_and_time;  /* 3/10.1.17 */
    struct udf_regid implementation_identifier;    /* 3/10.1.18 */
    uint8_t implementation_use[64];     /* 3/10.1.19 */
    uint8_t predecessor_volume_descriptor_sequence_location[4]; /* 3/10.1.20 */
    uint8_t flags[2];                   /* 3/10.1.21, bit 0: volume set identifier is common */
    uint8_t reserved_490[22];           /* 3/10.1.22, zeros */
};

/* Anchor volume descriptor pointer (3/10.2). */
struct udf_anchor_volume_descriptor_pointer {
    struct udf_descriptor_tag tag;      /* 3/10.2.1, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER */
    struct udf_extent_ad main_volume_descriptor_sequence_extent;    /* 3/10.2.2 */
    struct udf_extent_ad reserve_volume_descriptor_sequence_extent; /* 3/10.2.3 */
    uint8_t reserved_32[480];           /* 3/10.2.4, zeros */
};

/* Volume descriptor pointer (3/10.3): where a volume descriptor sequence continues. */
struct udf_volume_descriptor_pointer {
    struct udf_descriptor_tag tag;      /* 3/10.3.1, UDF_TAG_VOLUME_DESCRIPTOR_POINTER */
    uint8_t volume_descriptor_sequence_number[4]; /* 3/10.3.2 */
    struct udf_extent_ad next_volume_descriptor_sequence_extent; /* 3/10.3.3 */
    uint8_t reserved_28[484];           /* 3/10.3.4, zeros */
};

/* Implementation use volume descriptor (3/10.4; UDF 2.2.7). */
struct udf_implementation_use_volume_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.4.1, UDF_TAG_IMPLEMENTATION_USE_VOLUME_DESCRIPTOR */
    uint8_t volume_descriptor_sequence_number[4]; /* 3/10.4.2 */
    struct udf_regid implementation_identifier; /* 3/10.4.3, "*UDF LV Info" (UDF 2.2.7.1) */
    uint8_t implementation_use[460];    /* 3/10.4.4, struct udf_lv_info in UDF */
};

/* Logical volume information (UDF 2.2.7.2): the implementation use of the descriptor above. */
struct udf_lv_info {
    struct udf_charspec lvi_charset;    /* CS0 */
    uint8_t logical_volume_identifier[128]; /* dstring, the logical volume descriptor's */
    uint8_t lv_info1[36];               /* dstrings: owner name, organisation, contact */
    uint8_t lv_info2[36];
    uint8_t lv_info3[36];
    struct udf_regid implementation_id; /* the implementation that wrote this descriptor */
    uint8_t implementation_use[128];
};

/* Partition header descriptor (4/14.3): the partition contents use of a +NSR0x partition. */
struct udf_partition_header_descriptor {
    struct udf_short_ad unallocated_space_table;  /* 4/14.3.1 */
    struct udf_short_ad unallocated_space_bitmap; /* 4/14.3.2 */
    struct udf_short_ad partition_integrity_table; /* 4/14.3.3, unused in UDF */
    struct udf_short_ad freed_space_table;        /* 4/14.3.4 */
    struct udf_short_ad freed_space_bitmap;       /* 4/14.3.5 */
    uint8_t reserved_40[88];            /* 4/14.3.6, zeros */
};

/* Partition descriptor (3/10.5; UDF 2.2.14). */
struct udf_partition_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.5.1, UDF_TAG_PARTITION_DESCRIPTOR */
    uint8_t volume_descriptor_sequence_number[4]; /* 3/10.5.2 */
    uint8_t partition_flags[2];         /* 3/10.5.3, bit 0: space is allocated */
    uint8_t partition_number[2];        /* 3/10.5.4 */
    struct udf_regid partition_contents; /* 3/10.5.5, UDF_PARTITION_CONTENTS_* */
    struct udf_partition_header_descriptor partition_contents_use; /* 3/10.5.6 */
    uint8_t access_type[4];             /* 3/10.5.7, enum udf_partition_access_type */
    uint8_t partition_starting_location[4]; /* 3/10.5.8, sector */
    uint8_t partition_length[4];        /* 3/10.5.9, sectors */
    struct udf_regid implementation_identifier; /* 3/10.5.10 */
    uint8_t implementation_use[128];    /* 3/10.5.11 */
    uint8_t reserved_356[156];          /* 3/10.5.12, zeros */
};

#define UDF_PARTITION_FLAG_ALLOCATED 0x0001
#define UDF_PARTITION_CONTENTS_NSR02 "+NSR02"
#define UDF_PARTITION_CONTENTS_NSR03 "+NSR03"

/* Partition access types (3/10.5.7). */
enum udf_partition_access_type {
    UDF_ACCESS_UNSPECIFIED = 0,
    UDF_ACCESS_READ_ONLY = 1,
    UDF_ACCESS_WRITE_ONCE = 2,
    UDF_ACCESS_REWRITABLE = 3,
    UDF_ACCESS_OVERWRITABLE = 4
};

/*
 * Logical volume descriptor (3/10.6; UDF 2.2.4): the 440-byte fixed part. map_table_length bytes
 * of partition maps follow at (uint8_t *)lvd + UDF_LVD_FIXED_SIZE.
 */
struct udf_logical_volume_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.6.1, UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR */
    uint8_t volume_descriptor_sequence_number[4]; /* 3/10.6.2 */
    struct udf_charspec descriptor_character_set; /* 3/10.6.3 */
    uint8_t logical_volume_identifier[128]; /* 3/10.6.4, dstring */
    uint8_t logical_block_size[4];      /* 3/10.6.5, bytes */
    struct udf_regid domain_identifier; /* 3/10.6.6, "*OSTA UDF Compliant" */
    struct udf_long_ad logical_volume_contents_use; /* 3/10.6.7, the FSD's place (UDF 2.2.4.4) */
    uint8_t map_table_length[4];        /* 3/10.6.8, bytes of partition maps */
    uint8_t number_of_partition_maps[4]; /* 3/10.6.9 */
    struct udf_regid implementation_identifier; /* 3/10.6.10 */
    uint8_t implementation_use[128];    /* 3/10.6.11 */
    struct udf_extent_ad integrity_sequence_extent; /* 3/10.6.12 */
};

#define UDF_LVD_FIXED_SIZE 440

/* Partition map types (3/10.7.1.1). */
#define UDF_PARTITION_MAP_TYPE_1 1
#define UDF_PARTITION_MAP_TYPE_2 2

/* Type 1 partition map (3/10.7.2). */
struct udf_partition_map_type1 {
    uint8_t partition_map_type[1];      /* 3/10.7.2.1, UDF_PARTITION_MAP_TYPE_1 */
    uint8_t partition_map_length[1];    /* 3/10.7.2.2, 6 */
    uint8_t volume_sequence_number[2];  /* 3/10.7.2.3 */
    uint8_t partition_number[2];        /* 3/10.7.2.4 */
};

/* Metadata partition map (UDF 2.2.10), a type 2 partition map (3/10.7.3). */
struct udf_metadata_partition_map {
    uint8_t partition_map_type[1];      /* UDF_PARTITION_MAP_TYPE_2 */
    uint8_t partition_map_length[1];    /* 64 */
    uint8_t reserved_2[2];              /* zeros */
    struct udf_regid partition_type_identifier; /* "*UDF Metadata Partition" */
    uint8_t volume_sequence_number[2];
    uint8_t partition_number[2];        /* the physical partition holding the metadata files */
    uint8_t metadata_file_location[4];  /* logical block in that partition */
    uint8_t metadata_mirror_file_location[4];
    uint8_t metadata_bitmap_file_location[4]; /* 0xFFFFFFFF when there is none */
    uint8_t allocation_unit_size[4];    /* blocks */
    uint8_t alignment_unit_size[2];     /* blocks */
    uint8_t flags[1];                   /* UDF_METADATA_FLAG_* */
    uint8_t reserved_59[5];             /* zeros */
};

#define UDF_METADATA_FLAG_DUPLICATE 0x01 /* the mirror file's data is a copy, not shared */
#define UDF_METADATA_NO_BITMAP 0xFFFFFFFFu

/*
 * Unallocated space descriptor (3/10.8; UDF 2.2.5): the 24-byte fixed part. The extent
 * descriptors (struct udf_extent_ad) follow at (uint8_t *)usd + UDF_USD_FIXED_SIZE.
 */
struct udf_unallocated_space_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.8.1, UDF_TAG_UNALLOCATED_SPACE_DESCRIPTOR */
    uint8_t volume_descriptor_sequence_number[4]; /* 3/10.8.2 */
    uint8_t number_of_allocation_descriptors[4];  /* 3/10.8.3 */
};

#define UDF_USD_FIXED_SIZE 24

/* Terminating descriptor (3/10.9). */
struct udf_terminating_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.9.1, UDF_TAG_TERMINATING_DESCRIPTOR */
    uint8_t reserved_16[496];           /* 3/10.9.2, zeros */
};

/* Logical volume header descriptor (4/14.15): the LVID's logical volume contents use. */
struct udf_logical_volume_header_descriptor {
    uint8_t unique_id[8];               /* 4/14.15.1, next unique id to assign (UDF 3.2.1.1) */
    uint8_t reserved_8[24];             /* 4/14.15.2, zeros */
};

/*
 * Logical volume integrity descriptor (3/10.10; UDF 2.2.6): the 80-byte fixed part. Then come
 * number_of_partitions 32-bit free space counts (3/10.10.8), as many 32-bit partition sizes
 * (3/10.10.9) and length_of_implementation_use bytes (3/10.10.10), which UDF fills with a
 * struct udf_lvid_implementation_use.
 */
struct udf_logical_volume_integrity_descriptor {
    struct udf_descriptor_tag tag;      /* 3/10.10.1, UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR */
    struct udf_timestamp recording_date_and_time; /* 3/10.10.2 */
    uint8_t integrity_type[4];          /* 3/10.10.3, UDF_INTEGRITY_* */
    struct udf_extent_ad next_integrity_extent;   /* 3/10.10.4 */
    struct udf_logical_volume_header_descriptor logical_volume_contents_use; /* 3/10.10.5 */
    uint8_t number_of_partitions[4];    /* 3/10.10.6 */
    uint8_t length_of_implementation_use[4]; /* 3/10.10.7 */
};

#define UDF_LVID_FIXED_SIZE 80
#define UDF_INTEGRITY_OPEN 0
#define UDF_INTEGRITY_CLOSE 1

/*
 * The LVID's implementation use (UDF 2.2.6.4): the 46-byte fixed part; implementation-specific
 * bytes may follow.
 */
struct udf_lvid_implementation_use {
    struct udf_regid implementation_id;
    uint8_t number_of_files[4];
    uint8_t number_of_directories[4];   /* the root included */
    uint8_t minimum_udf_read_revision[2];  /* BCD, 0x0260 for 2.60 */
    uint8_t minimum_udf_write_revision[2];
    uint8_t maximum_udf_write_revision[2];
};

#define UDF_LVID_IMPLEMENTATION_USE_FIXED_SIZE 46

/* ---- File structure (part 4) ---- */

/* File set descriptor (4/14.1; UDF 2.3.2). */
struct udf_file_set_descriptor {
    struct udf_descriptor_tag tag;      /* 4/14.1.1, UDF_TAG_FILE_SET_DESCRIPTOR */
    struct udf_timestamp recording_date_and_time; /* 4/14.1.2 */
    uint8_t interchange_level[2];       /* 4/14.1.3, 3 */
    uint8_t maximum_interchange_level[2]; /* 4/14.1.4, 3 */
    uint8_t character_set_list[4];      /* 4/14.1.5, 1 */
    uint8_t maximum_character_set_list[4]; /* 4/14.1.6, 1 */
    uint8_t file_set_number[4];         /* 4/14.1.7 */
    uint8_t file_set_descriptor_number[4]; /* 4/14.1.8 */
    struct udf_charspec logical_volume_identifier_character_set; /* 4/14.1.9 */
    uint8_t logical_volume_identifier[128]; /* 4/14.1.10, dstring */
    struct udf_charspec file_set_character_set; /* 4/14.1.11 */
    uint8_t file_set_identifier[32];    /* 4/14.1.12, dstring */
    uint8_t copyright_file_identifier[32]; /* 4/14.1.13, dstring */
    uint8_t abstract_file_identifier[32];  /* 4/14.1.14, dstring */
    struct udf_long_ad root_directory_icb; /* 4/14.1.15 */
    struct udf_regid domain_identifier; /* 4/14.1.16, "*OSTA UDF Compliant" */
    struct udf_long_ad next_extent;     /* 4/14.1.17, zeros when none */
    struct udf_long_ad system_stream_directory_icb; /* 4/14.1.18, UDF 2.00+ */
    uint8_t reserved_480[32];           /* 4/14.1.19, zeros */
};

/*
 * File identifier descriptor (4/14.4; UDF 2.3.4): the 38-byte fixed part. Then come
 * length_of_implementation_use bytes (4/14.4.7), the file identifier of length_of_file_identifier
 * bytes in CS0 (4/14.4.8, no length byte) and zero padding up to a multiple of 4 bytes in all
 * (4/14.4.9): UDF_FID_SIZE().
 */
struct udf_file_identifier_descriptor {
    struct udf_descriptor_tag tag;      /* 4/14.4.1, UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR */
    uint8_t file_version_number[2];     /* 4/14.4.2, 1 */
    uint8_t file_characteristics[1];    /* 4/14.4.3, UDF_FID_* */
    uint8_t length_of_file_identifier[1]; /* 4/14.4.4 */
    struct udf_long_ad icb;             /* 4/14.4.5, the file's (extended) file entry */
    uint8_t length_of_implementation_use[2]; /* 4/14.4.6 */
};

#define UDF_FID_FIXED_SIZE 38
/* The whole descriptor's size: fixed part, implementation use, identifier, padding (4/14.4.9). */
#define UDF_FID_SIZE(implementation_use_length, identifier_length) \
    ((UDF_FID_FIXED_SIZE + (implementation_use_length) + (identifier_length) + 3) / 4 * 4)

/* File characteristics (4/14.4.3). */
#define UDF_FID_HIDDEN 0x01
#define UDF_FID_DIRECTORY 0x02
#define UDF_FID_DELETED 0x04
#define UDF_FID_PARENT 0x08
#define UDF_FID_METADATA 0x10           /* a stream directory's metadata stream (UDF 3.3.5) */

/*
 * Allocation extent descriptor (4/14.5): the 24-byte head of an extent continuing an ICB's
 * allocation descriptors; length_of_allocation_descriptors bytes of them follow.
 */
struct udf_allocation_extent_descriptor {
    struct udf_descriptor_tag tag;      /* 4/14.5.1, UDF_TAG_ALLOCATION_EXTENT_DESCRIPTOR */
    uint8_t previous_allocation_extent_location[4]; /* 4/14.5.2, 0 in UDF (UDF 2.3.11) */
    uint8_t length_of_allocation_descriptors[4];    /* 4/14.5.3 */
};

#define UDF_AED_FIXED_SIZE 24

/*
 * File entry (4/14.9; UDF 2.3.6), used by UDF before 2.00 (and allowed after): the 176-byte fixed
 * part. length_of_extended_attributes bytes of extended attributes follow at
 * (uint8_t *)fe + UDF_FE_FIXED_SIZE, then length_of_allocation_descriptors bytes of allocation
 * descriptors (or the embedded data).
 */
struct udf_file_entry {
    struct udf_descriptor_tag tag;      /* 4/14.9.1, UDF_TAG_FILE_ENTRY */
    struct udf_icb_tag icb_tag;         /* 4/14.9.2 */
    uint8_t uid[4];                     /* 4/14.9.3, 0xFFFFFFFF: none (UDF 3.3.3.1) */
    uint8_t gid[4];                     /* 4/14.9.4 */
    uint8_t permissions[4];             /* 4/14.9.5, UDF_PERM_* */
    uint8_t file_link_count[2];         /* 4/14.9.6 */
    uint8_t record_format[1];           /* 4/14.9.7, 0 */
    uint8_t record_display_attributes[1]; /* 4/14.9.8, 0 */
    uint8_t record_length[4];           /* 4/14.9.9, 0 */
    uint8_t information_length[8];      /* 4/14.9.10, bytes */
    uint8_t logical_blocks_recorded[8]; /* 4/14.9.11 */
    struct udf_timestamp access_date_and_time;       /* 4/14.9.12 */
    struct udf_timestamp modification_date_and_time; /* 4/14.9.13 */
    struct udf_timestamp attribute_date_and_time;    /* 4/14.9.14 */
    uint8_t checkpoint[4];              /* 4/14.9.15, 1 */
    struct udf_long_ad extended_attribute_icb;       /* 4/14.9.16 */
    struct udf_regid implementation_identifier;      /* 4/14.9.17 */
    uint8_t unique_id[8];               /* 4/14.9.18 */
    uint8_t length_of_extended_attributes[4];        /* 4/14.9.19 */
    uint8_t length_of_allocation_descriptors[4];     /* 4/14.9.20 */
};

#define UDF_FE_FIXED_SIZE 176

/*
 * Extended file entry (4/14.17; UDF 2.3.6), UDF 2.00 and later: the 216-byte fixed part, followed
 * like the file entry's by extended attributes and allocation descriptors.
 */
struct udf_extended_file_entry {
    struct udf_descriptor_tag tag;      /* 4/14.17.1, UDF_TAG_EXTENDED_FILE_ENTRY */
    struct udf_icb_tag icb_tag;         /* 4/14.17.2 */
    uint8_t uid[4];                     /* 4/14.17.3 */
    uint8_t gid[4];                     /* 4/14.17.4 */
    uint8_t permissions[4];             /* 4/14.17.5 */
    uint8_t file_link_count[2];         /* 4/14.17.6 */
    uint8_t record_format[1];           /* 4/14.17.7 */
    uint8_t record_display_attributes[1]; /* 4/14.17.8 */
    uint8_t record_length[4];           /* 4/14.17.9 */
    uint8_t information_length[8];      /* 4/14.17.10 */
    uint8_t object_size[8];             /* 4/14.17.11, information length plus streams */
    uint8_t logical_blocks_recorded[8]; /* 4/14.17.12 */
    struct udf_timestamp access_date_and_time;       /* 4/14.17.13 */
    struct udf_timestamp modification_date_and_time; /* 4/14.17.14 */
    struct udf_timestamp creation_date_and_time;     /* 4/14.17.15 */
    struct udf_timestamp attribute_date_and_time;    /* 4/14.17.16 */
    uint8_t checkpoint[4];              /* 4/14.17.17 */
    uint8_t reserved_132[4];            /* 4/14.17.18, zeros */
    struct udf_long_ad extended_attribute_icb;       /* 4/14.17.19 */
    struct udf_long_ad stream_directory_icb;         /* 4/14.17.20 */
    struct udf_regid implementation_identifier;      /* 4/14.17.21 */
    uint8_t unique_id[8];               /* 4/14.17.22 */
    uint8_t length_of_extended_attributes[4];        /* 4/14.17.23 */
    uint8_t length_of_allocation_descriptors[4];     /* 4/14.17.24 */
};

#define UDF_EFE_FIXED_SIZE 216

/* Permissions (4/14.9.5): other in bits 0-4, group in 5-9, owner in 10-14. */
#define UDF_PERM_OTHER_EXECUTE 0x00000001u
#define UDF_PERM_OTHER_WRITE 0x00000002u
#define UDF_PERM_OTHER_READ 0x00000004u
#define UDF_PERM_OTHER_CHANGE_ATTRIBUTES 0x00000008u
#define UDF_PERM_OTHER_DELETE 0x00000010u
#define UDF_PERM_GROUP_EXECUTE 0x00000020u
#define UDF_PERM_GROUP_WRITE 0x00000040u
#define UDF_PERM_GROUP_READ 0x00000080u
#define UDF_PERM_GROUP_CHANGE_ATTRIBUTES 0x00000100u
#define UDF_PERM_GROUP_DELETE 0x00000200u
#define UDF_PERM_OWNER_EXECUTE 0x00000400u
#define UDF_PERM_OWNER_WRITE 0x00000800u
#define UDF_PERM_OWNER_READ 0x00001000u
#define UDF_PERM_OWNER_CHANGE_ATTRIBUTES 0x00002000u
#define UDF_PERM_OWNER_DELETE 0x00004000u

/*
 * Space bitmap descriptor (4/14.12; UDF 2.3.8): the 24-byte fixed part. number_of_bytes bytes of
 * bitmap follow at (uint8_t *)sbd + UDF_SBD_FIXED_SIZE; a set bit is a free block.
 */
struct udf_space_bitmap_descriptor {
    struct udf_descriptor_tag tag;      /* 4/14.12.1, UDF_TAG_SPACE_BITMAP_DESCRIPTOR */
    uint8_t number_of_bits[4];          /* 4/14.12.2, blocks in the partition */
    uint8_t number_of_bytes[4];         /* 4/14.12.3, (bits + 7) / 8 */
};

#define UDF_SBD_FIXED_SIZE 24

/* ---- Entity identifiers (UDF 2.1.5.2) and their suffixes (UDF 2.1.5.3) ---- */

#define UDF_ID_DOMAIN "*OSTA UDF Compliant"     /* domain identifier */
#define UDF_ID_LV_INFO "*UDF LV Info"           /* implementation use volume descriptor */
#define UDF_ID_METADATA_PARTITION "*UDF Metadata Partition"
#define UDF_ID_VIRTUAL_PARTITION "*UDF Virtual Partition"
#define UDF_ID_SPARABLE_PARTITION "*UDF Sparable Partition"
#define UDF_ID_FREE_EA_SPACE "*UDF FreeEASpace"
#define UDF_ID_FREE_APP_EA_SPACE "*UDF FreeAppEASpace"

/* Domain flags of the domain identifier's suffix (UDF 2.1.5.3). */
#define UDF_DOMAIN_FLAG_HARD_WRITE_PROTECT 0x01
#define UDF_DOMAIN_FLAG_SOFT_WRITE_PROTECT 0x02

/* UDF revisions, recorded as BCD (UDF 2.1.5.3). */
#define UDF_REVISION_1_02 0x0102
#define UDF_REVISION_1_50 0x0150
#define UDF_REVISION_2_00 0x0200
#define UDF_REVISION_2_01 0x0201
#define UDF_REVISION_2_50 0x0250
#define UDF_REVISION_2_60 0x0260

/* Operating system classes and identifiers of suffixes (UDF 6.3). */
#define UDF_OS_CLASS_UNDEFINED 0
#define UDF_OS_CLASS_DOS 1
#define UDF_OS_CLASS_OS2 2
#define UDF_OS_CLASS_MACOS 3
#define UDF_OS_CLASS_UNIX 4
#define UDF_OS_CLASS_WIN9X 5
#define UDF_OS_CLASS_WINNT 6
#define UDF_OS_CLASS_OS400 7
#define UDF_OS_CLASS_BEOS 8
#define UDF_OS_CLASS_WINCE 9
#define UDF_OS_ID_GENERIC 0             /* the class's only or unspecified system */
#define UDF_OS_ID_UNIX_LINUX 5

/* ---- Size checks ---- */

/*
 * A compile-time size check without C11's _Static_assert (the engine is C99): the array size is
 * -1, an error, when the layout is wrong. Byte arrays have alignment 1, so only a typo in a width
 * can trip it.
 */
#define UDF_CHECK_SIZE(name, type, size) \
    typedef char udf_size_check_##name[(sizeof(type) == (size)) ? 1 : -1]

UDF_CHECK_SIZE(charspec, struct udf_charspec, 64);
UDF_CHECK_SIZE(timestamp, struct udf_timestamp, 12);
UDF_CHECK_SIZE(regid, struct udf_regid, 32);
UDF_CHECK_SIZE(descriptor_tag, struct udf_descriptor_tag, UDF_DESCRIPTOR_TAG_SIZE);
UDF_CHECK_SIZE(extent_ad, struct udf_extent_ad, 8);
UDF_CHECK_SIZE(lb_addr, struct udf_lb_addr, 6);
UDF_CHECK_SIZE(short_ad, struct udf_short_ad, 8);
UDF_CHECK_SIZE(long_ad, struct udf_long_ad, 16);
UDF_CHECK_SIZE(icb_tag, struct udf_icb_tag, 20);
UDF_CHECK_SIZE(volume_structure_descriptor, struct udf_volume_structure_descriptor,
               UDF_SECTOR_SIZE);
UDF_CHECK_SIZE(primary_volume_descriptor, struct udf_primary_volume_descriptor, 512);
UDF_CHECK_SIZE(anchor, struct udf_anchor_volume_descriptor_pointer, 512);
UDF_CHECK_SIZE(volume_descriptor_pointer, struct udf_volume_descriptor_pointer, 512);
UDF_CHECK_SIZE(implementation_use_volume_descriptor,
               struct udf_implementation_use_volume_descriptor, 512);
UDF_CHECK_SIZE(lv_info, struct udf_lv_info, 460);
UDF_CHECK_SIZE(partition_header_descriptor, struct udf_partition_header_descriptor, 128);
UDF_CHECK_SIZE(partition_descriptor, struct udf_partition_descriptor, 512);
UDF_CHECK_SIZE(logical_volume_descriptor, struct udf_logical_volume_descriptor,
               UDF_LVD_FIXED_SIZE);
UDF_CHECK_SIZE(partition_map_type1, struct udf_partition_map_type1, 6);
UDF_CHECK_SIZE(metadata_partition_map, struct udf_metadata_partition_map, 64);
UDF_CHECK_SIZE(unallocated_space_descriptor, struct udf_unallocated_space_descriptor,
               UDF_USD_FIXED_SIZE);
UDF_CHECK_SIZE(terminating_descriptor, struct udf_terminating_descriptor, 512);
UDF_CHECK_SIZE(logical_volume_header_descriptor, struct udf_logical_volume_header_descriptor, 32);
UDF_CHECK_SIZE(logical_volume_integrity_descriptor,
               struct udf_logical_volume_integrity_descriptor, UDF_LVID_FIXED_SIZE);
UDF_CHECK_SIZE(lvid_implementation_use, struct udf_lvid_implementation_use,
               UDF_LVID_IMPLEMENTATION_USE_FIXED_SIZE);
UDF_CHECK_SIZE(file_set_descriptor, struct udf_file_set_descriptor, 512);
UDF_CHECK_SIZE(file_identifier_descriptor, struct udf_file_identifier_descriptor,
               UDF_FID_FIXED_SIZE);
UDF_CHECK_SIZE(allocation_extent_descriptor, struct udf_allocation_extent_descriptor,
               UDF_AED_FIXED_SIZE);
UDF_CHECK_SIZE(file_entry, struct udf_file_entry, UDF_FE_FIXED_SIZE);
UDF_CHECK_SIZE(extended_file_entry, struct udf_extended_file_entry, UDF_EFE_FIXED_SIZE);
UDF_CHECK_SIZE(space_bitmap_descriptor, struct udf_space_bitmap_descriptor, UDF_SBD_FIXED_SIZE);

#endif
