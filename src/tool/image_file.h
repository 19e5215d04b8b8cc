/*
 * What the tool's commands share: the creation time they record, and an image file seen as the
 * engine's disc (include/openfsi/import.h) for `ls` and `append`.
 */
#ifndef OPENFSI_TOOL_IMAGE_FILE_H
#define OPENFSI_TOOL_IMAGE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "openfsi/import.h"
#include "openfsi/time.h"

/* SOURCE_DATE_EPOCH when set (reproducible images), else now. */
fsi_time tool_creation_time(void);

/* `disc` reads 2048-byte sectors of the open file `*fd` (its sector count from the file's size;
   `fd` must outlive the disc). Returns 0, or -1 with errno when the size cannot be read. */
int image_file_disc(int *fd, struct fsi_disc *disc);

/* pread/pwrite of all `length` bytes at `offset`, through interruptions: 0, or -1 (errno). */
int file_read_at(int fd, void *data, size_t length, off_t offset);
int file_write_at(int fd, const void *data, size_t length, off_t offset);

/* Sectors read so far through the discs image_file_disc made (what an append had to read). */
uint64_t image_file_sectors_read(void);
/* How many sectors of `extents` the last disc image_file_disc made has read (each counted once,
   however often it was read). */
uint64_t image_file_sectors_read_of(const struct fsi_disc_extent *extents, size_t count);

#endif
