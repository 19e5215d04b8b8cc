/* Reading file data from host files, memory and callbacks (source_read.h). */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200112L
#define _FILE_OFFSET_BITS 64
#endif

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "source_read.h"
#include "openfsi/utf.h"

#if defined(_WIN32)
#include <stdlib.h>
#include <wchar.h>
#endif

/* 64-bit seeking is not C99: it is fseeko on POSIX and _fseeki64 on Windows. */
#if defined(_WIN32)
#define seek_to(file, offset) _fseeki64((file), (__int64)(offset), SEEK_SET)
#else
#define seek_to(file, offset) fseeko((file), (off_t)(offset), SEEK_SET)
#endif

/* Host paths are UTF-8; Windows' fopen would read them in the ANSI code page, so open by the
   UTF-16 path there. */
static FILE *open_for_reading(const char *path)
{
#if defined(_WIN32)
    size_t length = strlen(path);
    size_t units = fsi_utf8_to_utf16(path, length, NULL, 0);
    wchar_t *wide = malloc((units + 1) * sizeof(wchar_t));
    FILE *file;

    if (!wide)
        return NULL;
    fsi_utf8_to_utf16(path, length, (uint16_t *)wide, units);
    wide[units] = 0;
    file = _wfopen(wide, L"rb");
    free(wide);
    return file;
#else
    return fopen(path, "rb");
#endif
}

void source_close(struct open_host_file *open)
{
    if (open->file)
        fclose(open->file);
    open->file = NULL;
    open->node = NULL;
    open->position = 0;
}

static enum fsi_status read_host_file(struct open_host_file *open, const struct fsi_node *node,
                                      uint64_t offset, void *buffer, size_t length, size_t *done,
                                      char *message, size_t message_size)
{
    const char *path = node->source.u.host_path;

    if (open->node != node) {
        source_close(open);
        open->file = open_for_reading(path);
        if (!open->file) {
            snprintf(message, message_size, "cannot open '%s': %s", path, strerror(errno));
            return FSI_E_SOURCE_READ;
        }
        /* Reads go straight into the caller's buffer: no stdio buffering. */
        setvbuf(open->file, NULL, _IONBF, 0);
        open->node = node;
        open->position = 0;
    }
    if (open->position != offset) {
        if (seek_to(open->file, offset) != 0) {
            snprintf(message, message_size, "cannot seek in '%s': %s", path, strerror(errno));
            source_close(open);
            return FSI_E_SOURCE_READ;
        }
        open->position = offset;
    }
    *done = fread(buffer, 1, length, open->file);
    open->position += *done;
    if (*done < length && ferror(open->file)) {
        snprintf(message, message_size, "cannot read '%s': %s", path, strerror(errno));
        source_close(open);
        return FSI_E_SOURCE_READ;
    }
    if (*done < length)
        clearerr(open->file);  /* end of file: a later read may still be asked for */
    return FSI_OK;
}

enum fsi_status source_read(struct open_host_file *open, const struct fsi_node *node,
                            uint64_t offset, void *buffer, size_t length, size_t *done,
                            char *message, size_t message_size)
{
    const struct fsi_source *source = &node->source;
    enum fsi_status status;

    *done = 0;
    switch (source->kind) {
    case FSI_SOURCE_NONE:
        return FSI_OK;
    case FSI_SOURCE_HOST_FILE:
        return read_host_file(open, node, offset, buffer, length, done, message, message_size);
    case FSI_SOURCE_MEMORY:
        if (offset < source->u.memory.size) {
            size_t available = (size_t)(source->u.memory.size - offset);
            *done = length < available ? length : available;
            memcpy(buffer, (const char *)source->u.memory.data + offset, *done);
        }
        return FSI_OK;
    case FSI_SOURCE_CALLBACK:
        status = source->u.callback.callbacks->read(source->u.callback.context, offset, buffer,
                                                    length, done);
        if (status != FSI_OK) {
            snprintf(message, message_size, "the data source failed to deliver the bytes");
            return FSI_E_SOURCE_READ;
        }
        if (*done > length) {
            snprintf(message, message_size, "the data source claims more bytes than asked for");
            return FSI_E_SOURCE_READ;
        }
        return FSI_OK;
    }
    return FSI_E_INVALID_ARGUMENT;
}
