/*
 * Renders ISO 9660 and Joliet metadata sectors from the layout (layout.h): the primary and the
 * Joliet supplementary volume descriptor, the set terminator and any sector of a directory.
 * Every byte here is decided by the layout; nothing is remembered between calls, so any sector
 * can be rendered at any time, in any order.
 */
#include <string.h>

#include "byte_order.h"
#include "ecma119.h"
#include "iso_time.h"
#include "layout.h"
#include "openfsi/volume_name.h"

static fsi_time time_or_default(const struct fsi_image *image, fsi_time t)
{
    return t ? t : image->options.creation_time;
}

static void write_dir_record(uint8_t *p, uint8_t length, const struct identifier *id,
                             uint32_t extent, uint32_t data_length, fsi_time when, uint8_t flags)
{
    struct ecma119_dir_record *record = (struct ecma119_dir_record *)p;

    record->length[0] = length;
    put_both32(record->extent, extent);
    put_both32(record->data_length, data_length);
    iso_dir_record_date(when, 0, record->recording_date);
    record->flags[0] = flags;
    put_both16(record->volume_seq_number, 1);
    record->file_id_length[0] = id->length;
    memcpy(p + ECMA119_DIR_RECORD_FIXED_SIZE, id->bytes, id->length);
}

/* In place: a directory without a time keeps the date its old record shows (layout.h). */
static void keep_old_date(uint8_t *p, const struct fs_dir *dir)
{
    if (dir->old_date)
        memcpy(((struct ecma119_dir_record *)p)->recording_date, dir->old_date, 7);
}

static void write_directory_self_record(const struct fsi_image *image, uint8_t *p,
                                        const struct fs_dir *dir, uint8_t id_byte)
{
    struct identifier id;
    id.bytes = &id_byte;
    id.length = 1;
    write_dir_record(p, 34, &id, dir->first_sector, dir->sector_count * ECMA119_SECTOR_SIZE,
                     time_or_default(image, dir->node->modified),
                     (uint8_t)(ECMA119_FLAG_DIRECTORY | (dir->node->hidden ? ECMA119_FLAG_HIDDEN : 0)));
    keep_old_date(p, dir);
}

/* The `piece`th directory record of `entry`. */
static void write_entry_record(const struct fsi_image *image, const struct fs_tree *fs,
                               uint8_t *p, const struct fs_entry *entry, uint32_t piece)
{
    const struct fsi_node *node = entry->node;
    uint8_t flags = node->hidden ? ECMA119_FLAG_HIDDEN : 0;
    fsi_time when = time_or_default(image, node->modified);

    if (node->is_directory) {
        const struct fs_dir *child = &fs->dirs[image->directory_index[fs->kind][node->id]];
        write_dir_record(p, entry->record_length, &entry->id, child->first_sector,
                         child->sector_count * ECMA119_SECTOR_SIZE, when,
                         (uint8_t)(flags | ECMA119_FLAG_DIRECTORY));
        keep_old_date(p, child);
    } else {
        uint64_t offset = (uint64_t)piece * MAX_EXTENT_BYTES;
        int last = piece + 1 == entry->record_count;
        uint32_t length = last ? (uint32_t)(node->size - offset) : MAX_EXTENT_BYTES;
        uint32_t extent =
            node->size ? image->data_lba[node->id] + (uint32_t)(offset / ECMA119_SECTOR_SIZE) : 0;
        write_dir_record(p, entry->record_length, &entry->id, extent, length, when,
                         (uint8_t)(flags | (last ? 0 : ECMA119_FLAG_MULTI_EXTENT)));
    }
}

void render_directory_sector(const struct fsi_image *image, enum fs_kind kind, uint32_t index,
                             uint32_t sector_in_dir, uint8_t *sector)
{
    const struct fs_tree *fs = &image->fs[kind];
    const struct fs_dir *dir = &fs->dirs[index];
    struct record_position at = dir->sector_starts[sector_in_dir];
    struct record_position end;
    uint32_t used = 0;

    memset(sector, 0, ECMA119_SECTOR_SIZE);
    if (sector_in_dir + 1 < dir->sector_count) {
        end = dir->sector_starts[sector_in_dir + 1];
    } else {
        end.entry = dir->entry_count;
        end.piece = 0;
    }
    if (sector_in_dir == 0) {
        write_directory_self_record(image, sector, dir, 0);
        write_directory_self_record(image, sector + 34, &fs->dirs[dir->parent], 1);
        used = 68;
    }
    while (at.entry < end.entry || (at.entry == end.entry && at.piece < end.piece)) {
        const struct fs_entry *entry = &dir->entries[at.entry];
        write_entry_record(image, fs, sector + used, entry, at.piece);
        used += entry->record_length;
        if (++at.piece == entry->record_count) {
            at.entry++;
            at.piece = 0;
        }
    }
}

/* Fills an identifier field with ISO 9660 spaces or Joliet UCS-2 spaces (big endian 0x0020). */
static void fill_spaces(uint8_t *field, size_t size, enum fs_kind kind)
{
    size_t i;
    if (kind == FS_ISO9660) {
        memset(field, ' ', size);
        return;
    }
    for (i = 0; i + 1 < size; i += 2)
        put_be16(field + i, 0x0020);
    if (size % 2)
        field[size - 1] = 0;
}

/* The volume label as d-characters (8.4.6) or UCS-2 (Joliet: 16 characters). */
static void write_volume_id(const struct fsi_image *image, enum fs_kind kind, uint8_t field[32])
{
    uint16_t label[FSI_VOLUME_NAME_MAX];
    size_t length = fsi_volume_label(image->volume_name, image->volume_name_length,
                                     kind == FS_JOLIET ? FSI_VOLUME_LABEL_JOLIET
                                                       : FSI_VOLUME_LABEL_ISO9660,
                                     label), i;

    fill_spaces(field, 32, kind);
    for (i = 0; i < length; i++) {
        if (kind == FS_JOLIET)
            put_be16(field + 2 * i, label[i]);
        else
            field[i] = (uint8_t)label[i];
    }
}

void render_volume_descriptor(const struct fsi_image *image, enum fs_kind kind, uint8_t *sector)
{
    /* The primary and the supplementary descriptor share one layout (8.4, 8.5); the primary
       leaves the flags and escape sequences (its unused fields) zero. */
    struct ecma119_supplementary_volume_descriptor *vd =
        (struct ecma119_supplementary_volume_descriptor *)sector;
    const struct fs_tree *fs = &image->fs[kind];
    const struct fs_dir *root = &fs->dirs[0];
    struct identifier root_id;
    uint8_t root_id_byte = 0;

    memset(sector, 0, ECMA119_SECTOR_SIZE);
    vd->type[0] = kind == FS_ISO9660 ? ECMA119_VD_PRIMARY : ECMA119_VD_SUPPLEMENTARY;
    memcpy(vd->standard_id, ECMA119_STANDARD_ID, ECMA119_STANDARD_ID_SIZE);
    vd->version[0] = ECMA119_VD_VERSION;
    fill_spaces(vd->system_id, sizeof(vd->system_id), kind);
    write_volume_id(image, kind, vd->volume_id);
    put_both32(vd->volume_space_size, image->sector_count);
    if (kind == FS_JOLIET)
        memcpy(vd->escape_sequences, JOLIET_ESCAPE_UCS2_LEVEL_3, JOLIET_ESCAPE_SIZE);
    put_both16(vd->volume_set_size, 1);
    put_both16(vd->volume_seq_number, 1);
    put_both16(vd->logical_block_size, ECMA119_SECTOR_SIZE);
    put_both32(vd->path_table_size, fs->path_table_size);
    put_le32(vd->l_path_table_pos, fs->path_table_sector[0]);
    put_be32(vd->m_path_table_pos, fs->path_table_sector[1]);

    root_id.bytes = &root_id_byte;
    root_id.length = 1;
    write_dir_record(vd->root_dir_record, ECMA119_ROOT_DIR_RECORD_SIZE, &root_id,
                     root->first_sector, root->sector_count * ECMA119_SECTOR_SIZE,
                     time_or_default(image, root->node->modified), ECMA119_FLAG_DIRECTORY);
    keep_old_date(vd->root_dir_record, root);

    fill_spaces(vd->volume_set_id, sizeof(vd->volume_set_id), kind);
    fill_spaces(vd->publisher_id, sizeof(vd->publisher_id), kind);
    fill_spaces(vd->data_preparer_id, sizeof(vd->data_preparer_id), kind);
    fill_spaces(vd->application_id, sizeof(vd->application_id), kind);
    fill_spaces(vd->copyright_file_id, sizeof(vd->copyright_file_id), kind);
    fill_spaces(vd->abstract_file_id, sizeof(vd->abstract_file_id), kind);
    fill_spaces(vd->bibliographic_file_id, sizeof(vd->bibliographic_file_id), kind);
    iso_volume_date(image->options.creation_time, 0, vd->creation_date);
    iso_volume_date(image->options.creation_time, 0, vd->modification_date);
    iso_volume_date_unset(vd->expiration_date);
    iso_volume_date_unset(vd->effective_date);
    vd->file_structure_version[0] = ECMA119_FILE_STRUCTURE_VERSION;
}

void render_terminator(uint8_t *sector)
{
    struct ecma119_volume_descriptor_set_terminator *vd =
        (struct ecma119_volume_descriptor_set_terminator *)sector;

    memset(sector, 0, ECMA119_SECTOR_SIZE);
    vd->type[0] = ECMA119_VD_SET_TERMINATOR;
    memcpy(vd->standard_id, ECMA119_STANDARD_ID, ECMA119_STANDARD_ID_SIZE);
    vd->version[0] = ECMA119_VD_VERSION;
}
