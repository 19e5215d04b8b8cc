/*
 * Renders one sector of the UDF part of an image (udf_layout.h) from the layout: volume
 * recognition, volume descriptors, anchors, integrity, file set, file entries, file identifiers,
 * space bitmaps and the metadata partition's files. Nothing is stored rendered; the same layout
 * always gives the same bytes, so the mirror is rendered block for block from the main area.
 */
#include <string.h>

#include "byte_order.h"
#include "ecma167.h"
#include "udf_cs0.h"
#include "udf_descriptor.h"
#include "udf_layout.h"
#include "udf_time.h"

#define TAG_SERIAL 1
#define TIME_OFFSET_MINUTES 0           /* times are recorded as UTC (type 1, offset 0) */
#define MAX_EXTENT_LENGTH UDF_MAX_EXTENT_BYTES
#define METADATA_PARTITION_REFERENCE 1
#define PHYSICAL_PARTITION_REFERENCE 0
#define ALL_READ_EXECUTE 0x14A5u        /* r-x for owner, group and others */
#define ALL_READ 0x1084u                /* r-- for owner, group and others */

static uint32_t blocks_for(uint64_t bytes)
{
    return (uint32_t)((bytes + UDF_SECTOR_SIZE - 1) / UDF_SECTOR_SIZE);
}

/* The partition reference of file entries and identifiers. */
static uint16_t metadata_reference(const struct udf_volume *udf)
{
    return udf->metadata_partition ? METADATA_PARTITION_REFERENCE : PHYSICAL_PARTITION_REFERENCE;
}

/* The address, in the partition of file entries and identifiers, of physical block `block`. */
static uint32_t metadata_address(const struct udf_volume *udf, uint32_t block)
{
    return udf->metadata_partition ? block - udf->metadata_base : block;
}

static void finish(const struct udf_volume *udf, uint8_t *descriptor, uint16_t identifier,
                   uint32_t location, size_t length)
{
    udf_tag_finish(descriptor, identifier, udf->descriptor_version, TAG_SERIAL, location, length);
}

static void put_label(const struct fsi_image *image, uint8_t *field, size_t size)
{
    udf_put_dstring(field, size, image->volume_name, image->volume_name_length);
}

/* ---- Volume recognition and volume structure (ECMA-167 part 2 and 3) ---- */

static void render_recognition(const struct udf_volume *udf, uint32_t index, uint8_t *sector)
{
    struct udf_volume_structure_descriptor *vsd = (void *)sector;
    const char *id = index == 0   ? UDF_VSD_BEA01
                     : index == 2 ? UDF_VSD_TEA01
                     : udf->revision >= UDF_REVISION_2_00 ? UDF_VSD_NSR03
                                                          : UDF_VSD_NSR02;
    vsd->structure_type[0] = 0;
    memcpy(vsd->standard_identifier, id, UDF_VSD_IDENTIFIER_SIZE);
    vsd->structure_version[0] = UDF_VSD_VERSION;
}

/* The volume set identifier starts with 16 hex digits unique to the volume (UDF 2.2.2.5). */
static void put_volume_set_identifier(const struct fsi_image *image, uint8_t *field, size_t size)
{
    uint16_t text[16 + 32];
    uint64_t value = (uint64_t)image->options.creation_time;
    size_t i;

    for (i = 0; i < 16; i++)
        text[i] = (uint16_t)"0123456789ABCDEF"[(value >> (60 - 4 * i)) & 15];
    memcpy(text + 16, image->volume_name, image->volume_name_length * sizeof(uint16_t));
    udf_put_dstring(field, size, text, 16 + image->volume_name_length);
}

static void render_primary(const struct fsi_image *image, uint32_t location, uint8_t *sector)
{
    struct udf_primary_volume_descriptor *pvd = (void *)sector;

    put_le32(pvd->volume_descriptor_sequence_number, 0);
    put_le32(pvd->primary_volume_descriptor_number, 0);
    put_label(image, pvd->volume_identifier, sizeof(pvd->volume_identifier));
    put_le16(pvd->volume_sequence_number, 1);
    put_le16(pvd->maximum_volume_sequence_number, 1);
    put_le16(pvd->interchange_level, 2);
    put_le16(pvd->maximum_interchange_level, 3);
    put_le32(pvd->character_set_list, 1);
    put_le32(pvd->maximum_character_set_list, 1);
    put_volume_set_identifier(image, pvd->volume_set_identifier,
                              sizeof(pvd->volume_set_identifier));
    udf_put_charspec_cs0(&pvd->descriptor_character_set);
    udf_put_charspec_cs0(&pvd->explanatory_character_set);
    udf_put_implementation_regid(&pvd->application_identifier);
    udf_put_timestamp(&pvd->recording_date_and_time, image->options.creation_time,
                      TIME_OFFSET_MINUTES);
    udf_put_implementation_regid(&pvd->implementation_identifier);
    finish(image->udf, sector, UDF_TAG_PRIMARY_VOLUME_DESCRIPTOR, location, sizeof(*pvd));
}

static void render_implementation_use(const struct fsi_image *image, uint32_t location,
                                      uint8_t *sector)
{
    struct udf_implementation_use_volume_descriptor *iuvd = (void *)sector;
    struct udf_lv_info *info = (void *)iuvd->implementation_use;

    put_le32(iuvd->volume_descriptor_sequence_number, 1);
    udf_put_udf_regid(&iuvd->implementation_identifier, UDF_ID_LV_INFO,
                      (uint16_t)image->udf->revision);
    udf_put_charspec_cs0(&info->lvi_charset);
    put_label(image, info->logical_volume_identifier, sizeof(info->logical_volume_identifier));
    udf_put_implementation_regid(&info->implementation_id);
    finish(image->udf, sector, UDF_TAG_IMPLEMENTATION_USE_VOLUME_DESCRIPTOR, location,
           sizeof(*iuvd));
}

static void render_partition(const struct fsi_image *image, uint32_t location, uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    struct udf_partition_descriptor *pd = (void *)sector;
    uint32_t bitmap_bytes = UDF_SBD_FIXED_SIZE + (udf->partition_length + 7) / 8;

    put_le32(pd->volume_descriptor_sequence_number, 2);
    put_le16(pd->partition_flags, UDF_PARTITION_FLAG_ALLOCATED);
    put_le16(pd->partition_number, 0);
    memcpy(pd->partition_contents.identifier,
           udf->revision >= UDF_REVISION_2_00 ? UDF_PARTITION_CONTENTS_NSR03
                                              : UDF_PARTITION_CONTENTS_NSR02,
           6);
    udf_put_short_ad(&pd->partition_contents_use.unallocated_space_bitmap, bitmap_bytes,
                     udf->bitmap_block);
    put_le32(pd->access_type, UDF_ACCESS_OVERWRITABLE);
    put_le32(pd->partition_starting_location, udf->partition_start);
    put_le32(pd->partition_length, udf->partition_length);
    udf_put_implementation_regid(&pd->implementation_identifier);
    finish(udf, sector, UDF_TAG_PARTITION_DESCRIPTOR, location, sizeof(*pd));
}

static void render_logical_volume(const struct fsi_image *image, uint32_t location,
                                  uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    struct udf_logical_volume_descriptor *lvd = (void *)sector;
    struct udf_partition_map_type1 *physical = (void *)(sector + UDF_LVD_FIXED_SIZE);
    struct udf_metadata_partition_map *metadata =
        (void *)(sector + UDF_LVD_FIXED_SIZE + sizeof(*physical));
    uint32_t maps = udf->metadata_partition ? 2 : 1;
    uint32_t map_bytes = sizeof(*physical) + (maps == 2 ? sizeof(*metadata) : 0);

    put_le32(lvd->volume_descriptor_sequence_number, 3);
    udf_put_charspec_cs0(&lvd->descriptor_character_set);
    put_label(image, lvd->logical_volume_identifier, sizeof(lvd->logical_volume_identifier));
    put_le32(lvd->logical_block_size, UDF_SECTOR_SIZE);
    udf_put_domain_regid(&lvd->domain_identifier, (uint16_t)udf->revision, 0);
    udf_put_long_ad(&lvd->logical_volume_contents_use, 2 * UDF_SECTOR_SIZE,
                    metadata_address(udf, udf->file_set_block), metadata_reference(udf), NULL);
    put_le32(lvd->map_table_length, map_bytes);
    put_le32(lvd->number_of_partition_maps, maps);
    udf_put_implementation_regid(&lvd->implementation_identifier);
    udf_put_extent_ad(&lvd->integrity_sequence_extent, 2 * UDF_SECTOR_SIZE,
                      udf->integrity_sector);
    physical->partition_map_type[0] = UDF_PARTITION_MAP_TYPE_1;
    physical->partition_map_length[0] = sizeof(*physical);
    put_le16(physical->volume_sequence_number, 1);
    put_le16(physical->partition_number, 0);
    if (maps == 2) {
        metadata->partition_map_type[0] = UDF_PARTITION_MAP_TYPE_2;
        metadata->partition_map_length[0] = sizeof(*metadata);
        udf_put_udf_regid(&metadata->partition_type_identifier, UDF_ID_METADATA_PARTITION,
                          (uint16_t)udf->revision);
        put_le16(metadata->volume_sequence_number, 1);
        put_le16(metadata->partition_number, 0);
        /* The metadata file's entry last of the three (udf_layout.c says why). */
        put_le32(metadata->metadata_file_location, udf->metadata_files_block + 2);
        put_le32(metadata->metadata_mirror_file_location, udf->metadata_files_block + 1);
        put_le32(metadata->metadata_bitmap_file_location, udf->metadata_files_block);
        put_le32(metadata->allocation_unit_size, 32);
        put_le16(metadata->alignment_unit_size, 1);
        metadata->flags[0] = udf->redundant_metadata ? UDF_METADATA_FLAG_DUPLICATE : 0;
    }
    finish(udf, sector, UDF_TAG_LOGICAL_VOLUME_DESCRIPTOR, location,
           UDF_LVD_FIXED_SIZE + map_bytes);
}

static void render_volume_sequence(const struct fsi_image *image, uint32_t index,
                                   uint32_t within, uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    uint32_t location = udf->vds_sector[index] + within;

    switch (within) {
    case 0: render_primary(image, location, sector); break;
    case 1: render_implementation_use(image, location, sector); break;
    case 2: render_partition(image, location, sector); break;
    case 3: render_logical_volume(image, location, sector); break;
    case 4: {
        struct udf_unallocated_space_descriptor *usd = (void *)sector;
        put_le32(usd->volume_descriptor_sequence_number, 4);
        finish(udf, sector, UDF_TAG_UNALLOCATED_SPACE_DESCRIPTOR, location, UDF_USD_FIXED_SIZE);
        break;
    }
    case 5:
        finish(udf, sector, UDF_TAG_TERMINATING_DESCRIPTOR, location,
               sizeof(struct udf_terminating_descriptor));
        break;
    default: break;
    }
}

static void render_integrity(const struct fsi_image *image, uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    struct udf_logical_volume_integrity_descriptor *lvid = (void *)sector;
    uint32_t partitions = udf->metadata_partition ? 2 : 1, i;
    uint8_t *tables = sector + UDF_LVID_FIXED_SIZE;
    struct udf_lvid_implementation_use *use = (void *)(tables + 8 * partitions);
    uint16_t read_revision = udf->revision >= UDF_REVISION_2_50 ? UDF_REVISION_2_50
                                                                 : (uint16_t)udf->revision;

    udf_put_timestamp(&lvid->recording_date_and_time, image->options.creation_time,
                      TIME_OFFSET_MINUTES);
    put_le32(lvid->integrity_type, UDF_INTEGRITY_CLOSE);
    put_le64(lvid->logical_volume_contents_use.unique_id, udf->next_unique_id);
    put_le32(lvid->number_of_partitions, partitions);
    put_le32(lvid->length_of_implementation_use, UDF_LVID_IMPLEMENTATION_USE_FIXED_SIZE);
    for (i = 0; i < partitions; i++) {
        /* The metadata partition's counts are not kept (0xFFFFFFFF), as mkudffs does. */
        put_le32(tables + 4 * i, i ? 0xFFFFFFFFu : udf->free_blocks);
        put_le32(tables + 4 * (partitions + i), i ? 0xFFFFFFFFu : udf->partition_length);
    }
    udf_put_implementation_regid(&use->implementation_id);
    put_le32(use->number_of_files, udf->file_count);
    /* "FIDs identifying a stream directory are not included in the count" (UDF 2.50 2.2.6.4). */
    put_le32(use->number_of_directories, udf->directory_count);
    put_le16(use->minimum_udf_read_revision, read_revision);
    put_le16(use->minimum_udf_write_revision, (uint16_t)udf->revision);
    put_le16(use->maximum_udf_write_revision, (uint16_t)udf->revision);
    finish(udf, sector, UDF_TAG_LOGICAL_VOLUME_INTEGRITY_DESCRIPTOR, udf->integrity_sector,
           UDF_LVID_FIXED_SIZE + 8 * partitions + UDF_LVID_IMPLEMENTATION_USE_FIXED_SIZE);
}

static void render_anchor(const struct udf_volume *udf, uint32_t location, uint8_t *sector)
{
    struct udf_anchor_volume_descriptor_pointer *avdp = (void *)sector;

    udf_put_extent_ad(&avdp->main_volume_descriptor_sequence_extent, 16 * UDF_SECTOR_SIZE,
                      udf->vds_sector[0]);
    udf_put_extent_ad(&avdp->reserve_volume_descriptor_sequence_extent, 16 * UDF_SECTOR_SIZE,
                      udf->vds_sector[1]);
    finish(udf, sector, UDF_TAG_ANCHOR_VOLUME_DESCRIPTOR_POINTER, location, sizeof(*avdp));
}

/* ---- File structure (ECMA-167 part 4) ---- */

static void render_file_set(const struct fsi_image *image, uint32_t within, uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    struct udf_file_set_descriptor *fsd = (void *)sector;

    if (within == 1) {
        finish(udf, sector, UDF_TAG_TERMINATING_DESCRIPTOR,
               metadata_address(udf, udf->file_set_block + 1),
               sizeof(struct udf_terminating_descriptor));
        return;
    }
    if (udf->in_place)      /* the descriptor is the old one: its recording time stays */
        memcpy(&fsd->recording_date_and_time, udf->file_set_time, sizeof(udf->file_set_time));
    else
        udf_put_timestamp(&fsd->recording_date_and_time, image->options.creation_time,
                          TIME_OFFSET_MINUTES);
    put_le16(fsd->interchange_level, 3);
    put_le16(fsd->maximum_interchange_level, 3);
    put_le32(fsd->character_set_list, 1);
    put_le32(fsd->maximum_character_set_list, 1);
    udf_put_charspec_cs0(&fsd->logical_volume_identifier_character_set);
    put_label(image, fsd->logical_volume_identifier, sizeof(fsd->logical_volume_identifier));
    udf_put_charspec_cs0(&fsd->file_set_character_set);
    put_label(image, fsd->file_set_identifier, sizeof(fsd->file_set_identifier));
    udf_put_long_ad(&fsd->root_directory_icb, UDF_SECTOR_SIZE,
                    metadata_address(udf, udf->fe_block[udf->dirs[0].node->id]),
                    metadata_reference(udf), NULL);
    udf_put_domain_regid(&fsd->domain_identifier, (uint16_t)udf->revision, 0);
    finish(udf, sector, UDF_TAG_FILE_SET_DESCRIPTOR, metadata_address(udf, udf->file_set_block),
           sizeof(*fsd));
}

/* What a file entry says, before it is recorded as a file entry or an extended one. */
struct entry_fields {
    int extended;               /* extended file entry (4/14.17): files with streams, streams */
    uint8_t file_type;
    uint16_t flags;             /* ICB flags beyond the allocation descriptor type */
    int long_ads;
    uint32_t permissions;
    uint16_t links;
    uint64_t length;            /* information length */
    uint64_t object_size;       /* extended: the length plus the streams' lengths */
    uint64_t unrecorded;        /* bytes of the length in unallocated extents (not recorded) */
    fsi_time accessed, modified, created;
    uint64_t unique_id;
    int has_stream_directory;
    uint32_t stream_directory_block;
    uint32_t location;          /* the entry's own block */
};

/* Records `e` with the allocation descriptors of `length` bytes from `block` (or `ads`). */
static void emit_entry(const struct udf_volume *udf, const struct entry_fields *e,
                       const uint8_t *ads, uint32_t ad_bytes, uint8_t *sector)
{
    struct udf_icb_tag *icb = (void *)(sector + UDF_DESCRIPTOR_TAG_SIZE);
    size_t fixed = e->extended ? UDF_EFE_FIXED_SIZE : UDF_FE_FIXED_SIZE;
    uint64_t blocks = blocks_for(e->length - e->unrecorded);

    put_le16(icb->strategy_type, UDF_ICB_STRATEGY_4);
    put_le16(icb->maximum_number_of_entries, 1);
    icb->file_type[0] = e->file_type;
    put_le16(icb->flags, (uint16_t)((e->long_ads ? UDF_ICB_FLAG_AD_LONG : UDF_ICB_FLAG_AD_SHORT) |
                                    e->flags));
    memcpy(sector + fixed, ads, ad_bytes);
    if (e->extended) {
        struct udf_extended_file_entry *efe = (void *)sector;
        put_le32(efe->uid, 0xFFFFFFFFu);
        put_le32(efe->gid, 0xFFFFFFFFu);
        put_le32(efe->permissions, e->permissions);
        put_le16(efe->file_link_count, e->links);
        put_le64(efe->information_length, e->length);
        put_le64(efe->object_size, e->object_size);
        put_le64(efe->logical_blocks_recorded, blocks);
        udf_put_timestamp(&efe->access_date_and_time, e->accessed, TIME_OFFSET_MINUTES);
        udf_put_timestamp(&efe->modification_date_and_time, e->modified, TIME_OFFSET_MINUTES);
        udf_put_timestamp(&efe->creation_date_and_time, e->created, TIME_OFFSET_MINUTES);
        udf_put_timestamp(&efe->attribute_date_and_time, e->modified, TIME_OFFSET_MINUTES);
        put_le32(efe->checkpoint, 1);
        if (e->has_stream_directory)
            udf_put_long_ad(&efe->stream_directory_icb, UDF_SECTOR_SIZE,
                            e->stream_directory_block, metadata_reference(udf), NULL);
        udf_put_implementation_regid(&efe->implementation_identifier);
        put_le64(efe->unique_id, e->unique_id);
        put_le32(efe->length_of_allocation_descriptors, ad_bytes);
        finish(udf, sector, UDF_TAG_EXTENDED_FILE_ENTRY, e->location, fixed + ad_bytes);
    } else {
        struct udf_file_entry *fe = (void *)sector;
        put_le32(fe->uid, 0xFFFFFFFFu);
        put_le32(fe->gid, 0xFFFFFFFFu);
        put_le32(fe->permissions, e->permissions);
        put_le16(fe->file_link_count, e->links);
        put_le64(fe->information_length, e->length);
        put_le64(fe->logical_blocks_recorded, blocks);
        udf_put_timestamp(&fe->access_date_and_time, e->accessed, TIME_OFFSET_MINUTES);
        udf_put_timestamp(&fe->modification_date_and_time, e->modified, TIME_OFFSET_MINUTES);
        udf_put_timestamp(&fe->attribute_date_and_time, e->modified, TIME_OFFSET_MINUTES);
        put_le32(fe->checkpoint, 1);
        udf_put_implementation_regid(&fe->implementation_identifier);
        put_le64(fe->unique_id, e->unique_id);
        put_le32(fe->length_of_allocation_descriptors, ad_bytes);
        finish(udf, sector, UDF_TAG_FILE_ENTRY, e->location, fixed + ad_bytes);
    }
}

/* Short or long allocation descriptors for `length` bytes from partition block `block`, of
   extent type `type` (UDF_EXTENT_*). */
static uint32_t put_extents(uint8_t *out, int long_ads, uint64_t length, uint32_t block,
                            uint32_t type)
{
    uint32_t used = 0;

    while (length) {
        uint32_t piece = length > MAX_EXTENT_LENGTH ? MAX_EXTENT_LENGTH : (uint32_t)length;
        if (long_ads) {
            udf_put_long_ad((struct udf_long_ad *)(out + used), piece | type, block,
                            PHYSICAL_PARTITION_REFERENCE, NULL);
            used += sizeof(struct udf_long_ad);
        } else {
            udf_put_short_ad((struct udf_short_ad *)(out + used), piece | type,
                             type == UDF_EXTENT_NOT_RECORDED_NOT_ALLOCATED ? 0 : block);
            used += sizeof(struct udf_short_ad);
        }
        block += piece / UDF_SECTOR_SIZE;
        length -= piece;
    }
    return used;
}

static uint32_t put_allocation(uint8_t *out, int long_ads, uint64_t length, uint32_t block)
{
    return put_extents(out, long_ads, length, block, UDF_EXTENT_RECORDED_ALLOCATED);
}

/* The descriptors of data an earlier session recorded: one or more per disc extent
   (udf_can_point_at checked that they lie in the partition and fit the entry). */
static uint32_t put_kept_allocation(const struct udf_volume *udf, const struct fsi_node *node,
                                    int long_ads, uint8_t *out)
{
    uint64_t left = node->size;
    uint32_t used = 0;
    size_t i;

    for (i = 0; i < node->disc_extent_count && left; i++) {
        const struct fsi_disc_extent *x = &node->disc_extents[i];
        uint64_t bytes = (uint64_t)x->sector_count * UDF_SECTOR_SIZE;
        if (bytes > left)
            bytes = left;
        used += put_allocation(out + used, long_ads, bytes, x->first_sector - udf->partition_start);
        left -= bytes;
    }
    return used;
}

/* The identifier stream of a directory or stream directory, as one short descriptor. */
static void directory_fields(const struct udf_volume *udf, const struct udf_dir *dir,
                             struct entry_fields *e, uint8_t *ads, uint32_t *ad_bytes)
{
    e->permissions = ALL_READ_EXECUTE;
    e->length = e->object_size = dir->stream_size;
    udf_put_short_ad((struct udf_short_ad *)ads, dir->stream_size,
                     metadata_address(udf, dir->stream_block));
    *ad_bytes = sizeof(struct udf_short_ad);
}

static void render_file_entry(const struct fsi_image *image, const struct fsi_node *node,
                              uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    /* A named stream has its file's times (openfsi/tree.h), as on NTFS. */
    const struct fsi_node *timed = node->stream_owner ? node->stream_owner : node;
    uint8_t ads[FSI_SECTOR_SIZE];
    struct entry_fields e;
    uint32_t ad_bytes, i;

    memset(&e, 0, sizeof(e));
    e.accessed = timed->accessed;
    e.modified = timed->modified;
    e.created = timed->created;
    e.unique_id = udf->unique_id[node->id];
    e.location = metadata_address(udf, udf->fe_block[node->id]);
    e.links = 1;
    if (node->is_directory) {
        const struct udf_dir *dir = &udf->dirs[udf->dir_index[node->id]];
        e.file_type = UDF_FILE_TYPE_DIRECTORY;
        e.links = (uint16_t)(1 + dir->subdirectory_count);
        directory_fields(udf, dir, &e, ads, &ad_bytes);
    } else {
        e.long_ads = udf->metadata_partition;
        e.file_type = node->realtime && !node->stream_owner && udf->revision >= UDF_REVISION_2_01
                          ? UDF_FILE_TYPE_REAL_TIME
                          : UDF_FILE_TYPE_REGULAR;
        e.permissions = ALL_READ;
        e.length = e.object_size = node->size;
        if (node->stream_owner) {
            e.extended = 1;
            e.flags = UDF_ICB_FLAG_STREAM;
        } else if (udf->streams && node->stream_count) {
            const struct udf_dir *streams = &udf->dirs[udf->stream_dir_index[node->id]];
            e.extended = 1;
            e.has_stream_directory = 1;
            e.stream_directory_block = metadata_address(udf, streams->fe_block);
            for (i = 0; i < node->stream_count; i++)
                e.object_size += node->streams[i]->size;
        }
        if (udf_data_in_place(image, node))
            ad_bytes = put_kept_allocation(udf, node, e.long_ads, ads);
        else
            ad_bytes = put_allocation(ads, e.long_ads, node->size,
                                      image->data_lba[node->id] - udf->partition_start);
    }
    emit_entry(udf, &e, ads, ad_bytes, sector);
}

/* A file's stream directory (file type 13, UDF 2.60 3.3.5.1). */
static void render_stream_directory_entry(const struct fsi_image *image, uint32_t index,
                                          uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    const struct udf_dir *dir = &udf->dirs[index];
    uint8_t ads[sizeof(struct udf_short_ad)];
    struct entry_fields e;
    uint32_t ad_bytes;

    memset(&e, 0, sizeof(e));
    e.extended = 1;
    e.file_type = UDF_FILE_TYPE_STREAM_DIRECTORY;
    e.links = 1;
    e.accessed = dir->owner->accessed;
    e.modified = dir->owner->modified;
    e.created = dir->owner->created;
    e.unique_id = dir->unique_id;
    e.location = metadata_address(udf, dir->fe_block);
    directory_fields(udf, dir, &e, ads, &ad_bytes);
    emit_entry(udf, &e, ads, ad_bytes, sector);
}

/* One file identifier at `out`; returns its size. */
static uint32_t render_identifier(const struct udf_volume *udf, const struct udf_dir *dir,
                                  const struct udf_entry *entry, uint32_t offset, uint8_t *out)
{
    struct udf_file_identifier_descriptor *fid = (void *)out;
    const struct fsi_node *target = entry       ? entry->node
                                    : dir->owner ? dir->owner
                                                 : udf->dirs[dir->parent].node;
    uint8_t name_size = entry ? entry->name_size : 0;
    uint32_t size = UDF_FID_SIZE(0, name_size);
    uint8_t characteristics = 0, use[6] = { 0 };

    memset(out, 0, size);
    put_le16(fid->file_version_number, 1);
    if (!entry)
        characteristics = UDF_FID_DIRECTORY | UDF_FID_PARENT;
    else {
        if (target->is_directory)
            characteristics |= UDF_FID_DIRECTORY;
        if (target->hidden)
            characteristics |= UDF_FID_HIDDEN;
        memcpy(out + UDF_FID_FIXED_SIZE, entry->name, name_size);
    }
    fid->file_characteristics[0] = characteristics;
    fid->length_of_file_identifier[0] = name_size;
    put_le32(use + 2, (uint32_t)udf->unique_id[target->id]);  /* UDF 2.3.4.3: its low 32 bits */
    udf_put_long_ad(&fid->icb, UDF_SECTOR_SIZE, metadata_address(udf, udf->fe_block[target->id]),
                    metadata_reference(udf),
                    use);
    finish(udf, out, UDF_TAG_FILE_IDENTIFIER_DESCRIPTOR,
           metadata_address(udf, dir->stream_block + offset / UDF_SECTOR_SIZE), size);
    return size;
}

/* Sector `within` of a directory's identifiers; an identifier may cross into the next sector. */
static void render_directory(const struct udf_volume *udf, uint32_t index, uint32_t within,
                             uint8_t *sector)
{
    const struct udf_dir *dir = &udf->dirs[index];
    uint32_t begin = within * UDF_SECTOR_SIZE, end = begin + UDF_SECTOR_SIZE, offset;
    uint8_t fid[UDF_FID_SIZE(0, 255)];
    uint32_t low = 0, high = dir->entry_count;
    int64_t e;

    /* The last identifier starting at or before `begin`: -1 is the parent's. */
    while (low < high) {
        uint32_t middle = low + (high - low) / 2;
        if (dir->entries[middle].fid_offset <= begin)
            low = middle + 1;
        else
            high = middle;
    }
    for (e = (int64_t)low - 1; e < (int64_t)dir->entry_count; e++) {
        uint32_t size, from, to;
        offset = e < 0 ? 0 : dir->entries[e].fid_offset;
        if (offset >= end)
            break;
        size = render_identifier(udf, dir, e < 0 ? NULL : &dir->entries[e], offset, fid);
        from = offset > begin ? offset : begin;
        to = offset + size < end ? offset + size : end;
        if (to > from)
            memcpy(sector + (from - begin), fid + (from - offset), to - from);
    }
}

void udf_render_directory_sector(const struct udf_volume *udf, uint32_t index, uint32_t within,
                                 uint8_t *sector)
{
    memset(sector, 0, UDF_SECTOR_SIZE);
    render_directory(udf, index, within, sector);
}

/* 1 when the sector lies in an extent free for allocation: a gap, slack, or a kept sector the
   new tree does not use (in place). */
static int is_free(const struct extent *extent)
{
    return extent->content == CONTENT_ZERO ||
           (extent->content == CONTENT_UDF && extent->fs == UDF_PIECE_SLACK) ||
           (extent->content == CONTENT_DISC && extent->index == 1);
}

/*
 * Sector `within` of a space bitmap descriptor over `bits` blocks from physical partition block
 * `first_block`; bits below `whole_until` are allocated whatever is there (the metadata file's
 * extent in the physical bitmap, and in a later session everything before its area).
 */
static void render_bitmap(const struct fsi_image *image, uint32_t location, uint32_t first_block,
                          uint32_t bits, uint32_t whole_until, uint32_t within, uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    uint64_t begin = (uint64_t)within * UDF_SECTOR_SIZE, end = begin + UDF_SECTOR_SIZE;
    uint64_t bitmap_end = UDF_SBD_FIXED_SIZE + ((uint64_t)bits + 7) / 8, byte;
    uint32_t block, last_block;
    size_t e;

    if (within == 0) {
        struct udf_space_bitmap_descriptor *sbd = (void *)sector;
        put_le32(sbd->number_of_bits, bits);
        put_le32(sbd->number_of_bytes, (bits + 7) / 8);
        finish(udf, sector, UDF_TAG_SPACE_BITMAP_DESCRIPTOR, location, UDF_SBD_FIXED_SIZE);
    }
    if (begin >= bitmap_end)
        return;
    byte = begin < UDF_SBD_FIXED_SIZE ? UDF_SBD_FIXED_SIZE : begin;
    block = (uint32_t)((byte - UDF_SBD_FIXED_SIZE) * 8);
    last_block = (uint32_t)(((end < bitmap_end ? end : bitmap_end) - UDF_SBD_FIXED_SIZE) * 8);
    if (last_block > bits)
        last_block = bits;
    e = layout_extent_of(image, udf->partition_start + first_block + block);
    while (block < last_block) {
        const struct extent *extent = &image->extents[e];
        uint32_t extent_end =
            extent->first_sector + extent->sector_count - udf->partition_start - first_block;
        uint32_t stop = extent_end < last_block ? extent_end : last_block;
        if (is_free(extent))
            for (; block < stop; block++)
                if (block >= whole_until)
                    sector[UDF_SBD_FIXED_SIZE + block / 8 - begin] |= (uint8_t)(1u << (block % 8));
        block = stop;
        e++;
    }
}

/*
 * The metadata file, its mirror and its bitmap file (UDF 2.2.13), in the physical partition. The
 * metadata file is one extent from physical block metadata_base; in a later session whose
 * identity mapping (base 0) covers old sessions' blocks, the mirror shares those old blocks
 * (they are no metadata of this session) and copies only this session's area.
 */
static void render_metadata_files(const struct fsi_image *image, uint32_t within,
                                  uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;
    uint32_t base = udf->metadata_base, ad_bytes = 0;
    uint64_t length = (uint64_t)(udf->metadata_blocks - base) * UDF_SECTOR_SIZE;
    uint8_t ads[FSI_SECTOR_SIZE];
    struct entry_fields e;

    memset(&e, 0, sizeof(e));
    e.file_type = within == 2   ? UDF_FILE_TYPE_METADATA
                  : within == 1 ? UDF_FILE_TYPE_METADATA_MIRROR
                                : UDF_FILE_TYPE_METADATA_BITMAP;
    e.links = 1;
    e.accessed = e.modified = e.created = image->options.creation_time;
    e.location = udf->metadata_files_block + within;
    e.length = length;
    if (within == 0) {
        e.length = UDF_SBD_FIXED_SIZE + (udf->metadata_blocks - base + 7) / 8;
        ad_bytes = put_allocation(ads, 0, e.length, udf->metadata_bitmap_block);
    } else if (within == 2 || !udf->redundant_metadata) {
        ad_bytes = put_allocation(ads, 0, length, base);
    } else {
        uint64_t shared = (uint64_t)(udf->area_block - base) * UDF_SECTOR_SIZE;
        ad_bytes = put_allocation(ads, 0, shared, base);
        ad_bytes += put_allocation(ads + ad_bytes, 0, length - shared, udf->mirror_block);
    }
    e.object_size = e.length;
    emit_entry(udf, &e, ads, ad_bytes, sector);
}

void udf_render_sector(const struct fsi_image *image, const struct extent *extent,
                       uint32_t within, uint8_t *sector)
{
    const struct udf_volume *udf = image->udf;

    memset(sector, 0, UDF_SECTOR_SIZE);
    switch ((enum udf_piece)extent->fs) {
    case UDF_PIECE_RECOGNITION: render_recognition(udf, within, sector); break;
    case UDF_PIECE_VOLUME_SEQUENCE:
        render_volume_sequence(image, extent->index, within, sector);
        break;
    case UDF_PIECE_INTEGRITY:
        if (within == 0)
            render_integrity(image, sector);
        else
            finish(udf, sector, UDF_TAG_TERMINATING_DESCRIPTOR, udf->integrity_sector + 1,
                   sizeof(struct udf_terminating_descriptor));
        break;
    case UDF_PIECE_ANCHOR: render_anchor(udf, extent->first_sector, sector); break;
    case UDF_PIECE_FILE_SET: render_file_set(image, within, sector); break;
    case UDF_PIECE_FILE_ENTRIES:
        render_file_entry(image, udf->fe_nodes[extent->index + within], sector);
        break;
    case UDF_PIECE_DIRECTORY: render_directory(udf, extent->index, within, sector); break;
    case UDF_PIECE_SPACE_BITMAP:
        render_bitmap(image, udf->bitmap_block, 0, udf->partition_length,
                      udf->metadata_partition ? udf->metadata_blocks : udf->area_block, within,
                      sector);
        break;
    case UDF_PIECE_METADATA_FILES: render_metadata_files(image, within, sector); break;
    case UDF_PIECE_METADATA_BITMAP:
        render_bitmap(image, udf->metadata_bitmap_block, udf->metadata_base,
                      udf->metadata_blocks - udf->metadata_base,
                      udf->area_block - udf->metadata_base, within, sector);
        break;
    case UDF_PIECE_MIRROR: {    /* mirror block mirror_block + n copies block area_block + n */
        uint32_t at = extent->first_sector + within - udf->mirror_block + udf->area_block;
        const struct extent *main = &image->extents[layout_extent_of(image, at)];
        if (main->content == CONTENT_UDF && main->fs != UDF_PIECE_MIRROR)
            udf_render_sector(image, main, at - main->first_sector, sector);
        break;
    }
    case UDF_PIECE_STREAM_DIRECTORY_ENTRY:
        render_stream_directory_entry(image, extent->index, sector);
        break;
    case UDF_PIECE_SLACK: break;
    }
}
