/* Big host files copied from a mapping (host_copy.h). */
#define _GNU_SOURCE                 /* MAP_POPULATE */
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_copy.h"

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

#define WINDOW (8u * 1024 * 1024)   /* mapped at a time; bounds what the mapping adds to RSS */
#define PIECE (256u * 1024)         /* written at a time, like the tool's other writes */

void host_copy_init(struct host_copy *copy)
{
    copy->path = NULL;
    copy->fd = -1;
}

void host_copy_close(struct host_copy *copy)
{
    if (copy->fd >= 0)
        close(copy->fd);
    free(copy->path);
    host_copy_init(copy);
}

/* Opens `path` unless it is open already, and checks it still has `file_size` bytes. */
static int open_checked(struct host_copy *copy, const char *path, uint64_t file_size,
                        char *message, size_t message_size)
{
    struct stat st;

    if (copy->path && !strcmp(copy->path, path))
        return 0;
    host_copy_close(copy);
    copy->fd = open(path, O_RDONLY);
    if (copy->fd < 0) {
        snprintf(message, message_size, "cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    if (fstat(copy->fd, &st) != 0 || (uint64_t)st.st_size != file_size) {
        snprintf(message, message_size, "'%s' %s", path,
                 (uint64_t)st.st_size < file_size
                     ? "ended early: it is shorter than when the image was laid out"
                     : "has more bytes than the file's size in the image");
        host_copy_close(copy);
        return -1;
    }
    copy->path = strdup(path);
    if (!copy->path) {
        snprintf(message, message_size, "out of memory");
        host_copy_close(copy);
        return -1;
    }
    return 0;
}

long long host_copy_write(struct host_copy *copy, int out, const char *path, uint64_t file_offset,
                          uint64_t length, uint64_t file_size, char *message,
                          size_t message_size)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), start, lead, mapped, written = 0;
    uint8_t *map;

    if (open_checked(copy, path, file_size, message, message_size) != 0)
        return -1;
    if (length > WINDOW)
        length = WINDOW;
    start = file_offset / page * page;
    lead = file_offset - start;
    mapped = lead + length;
    map = mmap(NULL, (size_t)mapped, PROT_READ, MAP_SHARED | MAP_POPULATE, copy->fd,
               (off_t)start);
    if (map == MAP_FAILED) {
        snprintf(message, message_size, "cannot map '%s': %s", path, strerror(errno));
        return -1;
    }
    while (written < length) {
        size_t n = length - written < PIECE ? (size_t)(length - written) : PIECE;
        ssize_t put = write(out, map + lead + written, n);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            /* EFAULT: the mapping lost its pages, so the file shrank under us. */
            if (put < 0 && errno == EFAULT)
                snprintf(message, message_size, "'%s' ended early: it shrank while it was read",
                         path);
            else
                snprintf(message, message_size, "cannot write the image: %s",
                         put < 0 ? strerror(errno) : "no progress");
            munmap(map, (size_t)mapped);
            return -1;
        }
        written += (uint64_t)put;
    }
    munmap(map, (size_t)mapped);
    /* Its last bytes: the reader's check that the file has not grown since the layout. */
    if (file_offset + written == file_size) {
        uint8_t probe;
        ssize_t more = pread(copy->fd, &probe, 1, (off_t)file_size);
        if (more != 0) {
            snprintf(message, message_size, "'%s' %s", path,
                     more > 0 ? "has more bytes than the file's size in the image"
                              : "could not be read to its end");
            return -1;
        }
    }
    return (long long)written;
}
