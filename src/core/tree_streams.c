/*
 * Named streams of files (include/openfsi/tree.h): each file keeps its streams in an array of
 * nodes of their own, outside the name table and the change log. Few files have streams and few
 * streams each, so lookups scan the file's array.
 */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "tree_internal.h"

struct fsi_node *fsi_node_find_stream(const struct fsi_node *file, const uint16_t *name,
                                      size_t length)
{
    uint32_t i;

    if (!file || (!name && length))
        return NULL;
    for (i = 0; i < file->stream_count; i++)
        if (name_equal_nocase(file->streams[i]->name, file->streams[i]->name_length, name,
                              length))
            return file->streams[i];
    return NULL;
}

/* Room in the file's array for one more stream. */
static enum fsi_status make_room(struct fsi_node *file)
{
    uint32_t capacity;
    struct fsi_node **streams;

    if (file->stream_count < file->stream_capacity)
        return FSI_OK;
    capacity = file->stream_capacity ? file->stream_capacity * 2 : 4;
    streams = realloc(file->streams, capacity * sizeof(*streams));
    if (!streams)
        return FSI_E_OUT_OF_MEMORY;
    file->streams = streams;
    file->stream_capacity = capacity;
    return FSI_OK;
}

/* Appends `stream` to its file's streams (room made by make_room). */
static void link_stream(struct fsi_node *file, struct fsi_node *stream)
{
    stream->stream_owner = file;
    stream->index = file->stream_count;
    file->streams[file->stream_count++] = stream;
}

enum fsi_status fsi_tree_add_stream(struct fsi_tree *tree, struct fsi_node *file,
                                    const uint16_t *name, size_t length, uint64_t size,
                                    const struct fsi_source *source, struct fsi_node **out)
{
    struct fsi_node *stream;
    enum fsi_status status;

    if (out)
        *out = NULL;
    if (!tree || !file || !out || file->tree != tree || file->is_directory || file->stream_file ||
        (!name && length))
        return FSI_E_INVALID_ARGUMENT;
    status = name_check(name, length);
    if (status != FSI_OK)
        return status;
    if (fsi_node_find_stream(file, name, length))
        return FSI_E_DUPLICATE_NAME;
    status = make_room(file);
    if (status != FSI_OK)
        return status;
    stream = tree_new_node(tree, name, length, 0);
    if (!stream)
        return FSI_E_OUT_OF_MEMORY;
    status = tree_copy_source(tree, size, source, &stream->source);
    if (status != FSI_OK) {
        stream->source.kind = FSI_SOURCE_NONE;  /* the tree must not release the caller's */
        return status;
    }
    stream->size = size;
    stream->created = file->created;
    stream->accessed = file->accessed;
    stream->modified = file->modified;
    stream->stream_file = file;
    link_stream(file, stream);
    *out = stream;
    return FSI_OK;
}

enum fsi_status fsi_tree_remove_stream(struct fsi_tree *tree, struct fsi_node *stream)
{
    struct fsi_node *file;
    uint32_t i;

    if (!tree || !stream || stream->tree != tree || !stream->stream_owner)
        return FSI_E_INVALID_ARGUMENT;
    file = stream->stream_owner;
    for (i = stream->index + 1; i < file->stream_count; i++) {
        file->streams[i - 1] = file->streams[i];
        file->streams[i - 1]->index = i - 1;
    }
    file->stream_count--;
    stream->stream_owner = NULL;        /* detached, like a removed item; freed with the tree */
    return FSI_OK;
}

enum fsi_status fsi_tree_restore_stream(struct fsi_tree *tree, struct fsi_node *stream)
{
    struct fsi_node *file;
    enum fsi_status status;

    if (!tree || !stream || stream->tree != tree || !stream->stream_file || stream->stream_owner)
        return FSI_E_INVALID_ARGUMENT;
    file = stream->stream_file;
    if (fsi_node_find_stream(file, stream->name, stream->name_length))
        return FSI_E_DUPLICATE_NAME;
    status = make_room(file);
    if (status != FSI_OK)
        return status;
    link_stream(file, stream);
    return FSI_OK;
}

uint32_t fsi_node_stream_count(const struct fsi_node *file) { return file ? file->stream_count : 0; }

struct fsi_node *fsi_node_stream(const struct fsi_node *file, uint32_t index)
{
    return file && index < file->stream_count ? file->streams[index] : NULL;
}

struct fsi_node *fsi_node_stream_owner(const struct fsi_node *node)
{
    return node ? node->stream_owner : NULL;
}

struct fsi_node *fsi_node_stream_file(const struct fsi_node *node)
{
    return node ? node->stream_file : NULL;
}
