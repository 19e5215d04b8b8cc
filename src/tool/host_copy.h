/*
 * Copying a big host file's bytes into the image file from a mapping of it, a window at a time,
 * rather than reading them through a buffer: one copy instead of two, measured 20 % faster for
 * a 2 GiB file on ext4. Only write() touches the mapping, so a file that shrinks while it is
 * mapped makes write() fail with EFAULT rather than raise SIGBUS. Sizes are checked as the
 * engine's reader checks them: a file shorter or longer than the image records fails.
 */
#ifndef OPENFSI_TOOL_HOST_COPY_H
#define OPENFSI_TOOL_HOST_COPY_H

#include <stddef.h>
#include <stdint.h>

/* Runs of at least this many bytes are worth a mapping. */
#define HOST_COPY_MIN (1024u * 1024)

struct host_copy {
    char *path;                 /* the file open in `fd`, or NULL */
    int fd;
};

void host_copy_init(struct host_copy *copy);

/*
 * Writes up to `length` bytes of `path` from `file_offset` to `out` at its current position:
 * one window at most, so a caller can report progress between calls. `file_size` is the size
 * the image records for the file. Returns how many bytes it wrote (more than 0), or -1 with a
 * sentence in `message`.
 */
long long host_copy_write(struct host_copy *copy, int out, const char *path, uint64_t file_offset,
                          uint64_t length, uint64_t file_size, char *message,
                          size_t message_size);

void host_copy_close(struct host_copy *copy);

#endif
