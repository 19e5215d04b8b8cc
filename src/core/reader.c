/*
 * The image reader (include/openfsi/image.h): serves any byte range of an image. It finds the
 * extent of each sector, renders metadata sectors from the layout, reads file data from the
 * sources straight into the caller's buffer and zero-fills the padding. A source that ends early
 * or holds more than its file's declared size fails the read: an image must never be silently
 * wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base_disc.h"
#include "ecma119.h"
#include "eltorito.h"
#include "layout.h"
#include "udf_layout.h"
#include "source_read.h"
#include "openfsi/import.h"
#include "openfsi/utf.h"

#define NO_SECTOR 0xFFFFFFFFu

struct fsi_reader {
    const struct fsi_image *image;
    size_t last_extent;                 /* reads are mostly sequential: try this one first */
    struct open_host_file open;
    uint32_t rendered_sector;           /* which sector `sector` holds, or NO_SECTOR */
    uint8_t sector[ECMA119_SECTOR_SIZE];
    char error[1024];
};

enum fsi_status fsi_reader_create(const struct fsi_image *image, struct fsi_reader **out)
{
    struct fsi_reader *reader;

    if (!image || !out)
        return FSI_E_INVALID_ARGUMENT;
    reader = calloc(1, sizeof(*reader));
    if (!reader)
        return FSI_E_OUT_OF_MEMORY;
    reader->image = image;
    reader->rendered_sector = NO_SECTOR;
    *out = reader;
    return FSI_OK;
}

void fsi_reader_destroy(struct fsi_reader *reader)
{
    if (!reader)
        return;
    source_close(&reader->open);
    free(reader);
}

const char *fsi_reader_error(const struct fsi_reader *reader)
{
    return reader->error;
}

static size_t find_extent(struct fsi_reader *reader, uint32_t sector)
{
    const struct fsi_image *image = reader->image;
    const struct extent *e = &image->extents[reader->last_extent];

    if (sector >= e->first_sector && sector - e->first_sector < e->sector_count)
        return reader->last_extent;
    if (reader->last_extent + 1 < image->extent_count) {
        e = &image->extents[reader->last_extent + 1];
        if (sector >= e->first_sector && sector - e->first_sector < e->sector_count)
            return ++reader->last_extent;
    }
    reader->last_extent = layout_extent_of(image, sector);
    return reader->last_extent;
}

static void render_metadata(struct fsi_reader *reader, const struct extent *extent,
                            uint32_t sector)
{
    const struct fsi_image *image = reader->image;
    uint32_t within = sector - extent->first_sector;

    if (reader->rendered_sector == sector)
        return;
    switch (extent->content) {
    case CONTENT_VOLUME_DESCRIPTOR:
        render_volume_descriptor(image, (enum fs_kind)extent->index, reader->sector);
        break;
    case CONTENT_TERMINATOR:
        render_terminator(reader->sector);
        break;
    case CONTENT_PATH_TABLE: {
        const struct fs_tree *fs = &image->fs[extent->index / 2];
        uint64_t offset = (uint64_t)within * ECMA119_SECTOR_SIZE;
        size_t n = fs->path_table_size - offset < ECMA119_SECTOR_SIZE
                       ? (size_t)(fs->path_table_size - offset)
                       : ECMA119_SECTOR_SIZE;
        memset(reader->sector, 0, ECMA119_SECTOR_SIZE);
        memcpy(reader->sector, fs->path_table[extent->index % 2] + offset, n);
        break;
    }
    case CONTENT_DIRECTORY:
        render_directory_sector(image, (enum fs_kind)extent->fs, extent->index, within,
                                reader->sector);
        break;
    case CONTENT_UDF:
        udf_render_sector(image, extent, within, reader->sector);
        break;
    case CONTENT_BOOT_RECORD:
        render_boot_record(image, reader->sector);
        break;
    case CONTENT_BOOT_CATALOG:
        render_boot_catalog(image, reader->sector);
        break;
    case CONTENT_ALIAS:
        /* The session's own sector, then what differs where the copy lies. */
        render_metadata(reader, &image->extents[find_extent(reader, extent->index)],
                        extent->index);
        base_disc_adjust_alias(image, extent, sector, reader->sector);
        break;
    default:
        memset(reader->sector, 0, ECMA119_SECTOR_SIZE);
        break;
    }
    reader->rendered_sector = sector;
}

/* Appends `text` to the NUL-terminated `out` of `size` bytes, cutting it off when full. */
static void append(char *out, size_t size, const char *text)
{
    size_t used = strlen(out), n = strlen(text);
    if (used + 1 >= size)
        return;
    if (n > size - used - 1)
        n = size - used - 1;
    memcpy(out + used, text, n);
    out[used + n] = 0;
}

/* "/dir/file" of a node, for messages. */
static void append_node_path(const struct fsi_node *node, char *out, size_t size)
{
    char name[768];

    if (!node->parent)
        return;
    append_node_path(node->parent, out, size);
    fsi_utf16_to_utf8(node->name, node->name_length, name, sizeof(name));
    append(out, size, "/");
    append(out, size, name);
}

static enum fsi_status source_failure(struct fsi_reader *reader, const struct fsi_node *node,
                                      enum fsi_status status, const char *detail)
{
    reader->error[0] = 0;
    if (!node->tree)    /* a boot image's private node (eltorito.h) */
        append(reader->error, sizeof(reader->error), "the El Torito boot image");
    append_node_path(node, reader->error, sizeof(reader->error));
    append(reader->error, sizeof(reader->error), ": ");
    append(reader->error, sizeof(reader->error), fsi_status_message(status));
    append(reader->error, sizeof(reader->error), " (");
    append(reader->error, sizeof(reader->error), detail);
    append(reader->error, sizeof(reader->error), ")");
    source_close(&reader->open);
    return status;
}

/* File bytes [offset, offset + length) of `node`, zero past its size. */
static enum fsi_status read_file_bytes(struct fsi_reader *reader, const struct fsi_node *node,
                                       uint64_t offset, uint8_t *buffer, size_t length)
{
    char detail[768] = "";
    size_t data = 0, done = 0;
    enum fsi_status status;

    if (offset < node->size)
        data = node->size - offset < length ? (size_t)(node->size - offset) : length;
    while (done < data) {
        size_t got;
        status = source_read(&reader->open, node, offset + done, buffer + done, data - done, &got,
                             detail, sizeof(detail));
        if (status != FSI_OK)
            return source_failure(reader, node, status, detail);
        if (got == 0)
            return source_failure(reader, node, FSI_E_SOURCE_SHORT, "the source ended early");
        done += got;
    }
    if (data && offset + data == node->size) {
        uint8_t probe;
        size_t got = 0;
        status = source_read(&reader->open, node, node->size, &probe, 1, &got, detail,
                             sizeof(detail));
        if (status != FSI_OK)
            return source_failure(reader, node, status, detail);
        if (got)
            return source_failure(reader, node, FSI_E_SOURCE_LONG,
                                  "the source has more bytes than the file's size");
    }
    memset(buffer + data, 0, length - data);
    return FSI_OK;
}

/* Kept sectors of the base disc at byte `offset` of the disc: whole sectors straight into `out`,
   a part of one through the reader's sector buffer. *chunk may shrink to what was done. */
static enum fsi_status read_disc_bytes(struct fsi_reader *reader, uint64_t offset, uint8_t *out,
                                       size_t *chunk)
{
    const struct fsi_disc *disc = reader->image->options.base;
    uint32_t sector = (uint32_t)(offset / ECMA119_SECTOR_SIZE);
    size_t within = (size_t)(offset % ECMA119_SECTOR_SIZE);

    if (!within && *chunk >= ECMA119_SECTOR_SIZE) {
        uint32_t count = (uint32_t)(*chunk / ECMA119_SECTOR_SIZE);
        if (count > 256)
            count = 256;
        *chunk = (size_t)count * ECMA119_SECTOR_SIZE;
        if ((uint64_t)sector + count <= disc->sector_count &&
            disc->read(disc->context, sector, count, out) == FSI_OK)
            return FSI_OK;
    } else {
        if (*chunk > ECMA119_SECTOR_SIZE - within)
            *chunk = ECMA119_SECTOR_SIZE - within;
        if (reader->rendered_sector != sector) {
            reader->rendered_sector = NO_SECTOR;
            if (sector < disc->sector_count &&
                disc->read(disc->context, sector, 1, reader->sector) == FSI_OK)
                reader->rendered_sector = sector;
        }
        if (reader->rendered_sector == sector) {
            memcpy(out, reader->sector + within, *chunk);
            return FSI_OK;
        }
    }
    snprintf(reader->error, sizeof(reader->error),
             "sector %lu of the disc the image is written over could not be read",
             (unsigned long)sector);
    return FSI_E_DISC_READ;
}

enum fsi_status fsi_reader_read(struct fsi_reader *reader, uint64_t offset, void *buffer,
                                size_t length)
{
    const struct fsi_image *image = reader->image;
    uint64_t size = fsi_image_size(image);
    uint8_t *out = buffer;

    reader->error[0] = 0;
    if (!buffer && length)
        return FSI_E_INVALID_ARGUMENT;
    if (offset > size || length > size - offset) {
        snprintf(reader->error, sizeof(reader->error),
                 "read beyond the end of the image (%llu bytes)", (unsigned long long)size);
        return FSI_E_INVALID_ARGUMENT;
    }
    offset += (uint64_t)fsi_image_first_sector(image) * ECMA119_SECTOR_SIZE;
    while (length) {
        uint32_t sector = (uint32_t)(offset / ECMA119_SECTOR_SIZE);
        const struct extent *extent = &image->extents[find_extent(reader, sector)];
        uint64_t extent_start = (uint64_t)extent->first_sector * ECMA119_SECTOR_SIZE;
        uint64_t extent_end = extent_start + (uint64_t)extent->sector_count * ECMA119_SECTOR_SIZE;
        size_t chunk = extent_end - offset < length ? (size_t)(extent_end - offset) : length;

        if (extent->content == CONTENT_ZERO) {
            memset(out, 0, chunk);
        } else if (extent->content == CONTENT_DISC) {
            enum fsi_status status = read_disc_bytes(reader, offset, out, &chunk);
            if (status != FSI_OK)
                return status;
        } else if (extent->content == CONTENT_FILE || extent->content == CONTENT_BOOT_IMAGE) {
            enum fsi_status status =
                read_file_bytes(reader, extent->file, offset - extent_start, out, chunk);
            if (status != FSI_OK)
                return status;
        } else {
            size_t within = (size_t)(offset % ECMA119_SECTOR_SIZE);
            chunk = ECMA119_SECTOR_SIZE - within < chunk ? ECMA119_SECTOR_SIZE - within : chunk;
            render_metadata(reader, extent, sector);
            memcpy(out, reader->sector + within, chunk);
        }
        out += chunk;
        offset += chunk;
        length -= chunk;
    }
    return FSI_OK;
}

uint64_t fsi_image_host_run(const struct fsi_image *image, uint64_t offset, const char **path,
                            uint64_t *file_offset, uint64_t *file_size)
{
    uint64_t at, start, end;
    uint32_t sector;
    const struct extent *extent;
    const struct fsi_node *node;

    if (!image || offset >= fsi_image_size(image))
        return 0;
    at = offset + (uint64_t)fsi_image_first_sector(image) * ECMA119_SECTOR_SIZE;
    sector = (uint32_t)(at / ECMA119_SECTOR_SIZE);
    extent = &image->extents[layout_extent_of(image, sector)];
    node = extent->file;
    if (extent->content != CONTENT_FILE || !node || node->source.kind != FSI_SOURCE_HOST_FILE)
        return 0;
    start = (uint64_t)extent->first_sector * ECMA119_SECTOR_SIZE;
    if (at - start >= node->size)
        return 0;                   /* the padding after its last byte */
    if (path)
        *path = node->source.u.host_path;
    if (file_offset)
        *file_offset = at - start;
    if (file_size)
        *file_size = node->size;
    /* As the reader has it, a file's data is one extent; never run past it regardless. */
    end = start + (uint64_t)extent->sector_count * ECMA119_SECTOR_SIZE;
    return node->size - (at - start) < end - at ? node->size - (at - start) : end - at;
}
