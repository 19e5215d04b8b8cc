/* The tool's shared pieces (image_file.h): the creation time, and sector reads from a file. */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image_file.h"

#define SECTOR 2048

static uint64_t sectors_read;           /* by every image-file disc of this run */
static uint8_t *read_map;               /* the last disc made: a bit per sector read */
static uint32_t read_map_sectors;

fsi_time tool_creation_time(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    struct timespec t;

    if (epoch && *epoch)
        return fsi_time_from_unix(strtoll(epoch, NULL, 10), 0);
    clock_gettime(CLOCK_REALTIME, &t);
    return fsi_time_from_unix((int64_t)t.tv_sec, (int32_t)t.tv_nsec);
}

/* All `length` bytes at `offset`, through interruptions and short transfers: 0, or -1. */
static int transfer(int fd, void *data, size_t length, off_t offset, int writing)
{
    char *p = data;

    while (length) {
        ssize_t n = writing ? pwrite(fd, p, length, offset) : pread(fd, p, length, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        length -= (size_t)n;
        offset += n;
    }
    return 0;
}

int file_read_at(int fd, void *data, size_t length, off_t offset)
{
    return transfer(fd, data, length, offset, 0);
}

int file_write_at(int fd, const void *data, size_t length, off_t offset)
{
    return transfer(fd, (void *)data, length, offset, 1);
}

static enum fsi_status read_sectors(void *context, uint32_t first, uint32_t count, void *buffer)
{
    if (file_read_at(*(int *)context, buffer, (size_t)count * SECTOR, (off_t)first * SECTOR) != 0)
        return FSI_E_DISC_READ;
    sectors_read += count;
    for (; read_map && count && first < read_map_sectors; first++, count--)
        read_map[first / 8] |= (uint8_t)(1u << (first % 8));
    return FSI_OK;
}

uint64_t image_file_sectors_read(void)
{
    return sectors_read;
}

uint64_t image_file_sectors_read_of(const struct fsi_disc_extent *extents, size_t count)
{
    uint64_t found = 0;
    size_t i;

    for (i = 0; read_map && i < count; i++) {
        uint64_t s = extents[i].first_sector, end = s + extents[i].sector_count;
        for (; s < end && s < read_map_sectors; s++)
            found += (read_map[s / 8] >> (s % 8)) & 1;
    }
    return found;
}

int image_file_disc(int *fd, struct fsi_disc *disc)
{
    struct stat st;
    uint64_t sectors;

    if (fstat(*fd, &st) != 0)
        return -1;
    sectors = (uint64_t)st.st_size / SECTOR;
    disc->read = read_sectors;
    disc->context = fd;
    disc->sector_count = sectors > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)sectors;
    free(read_map);
    read_map = calloc((size_t)disc->sector_count / 8 + 1, 1);  /* no map: nothing counted */
    read_map_sectors = read_map ? disc->sector_count : 0;
    return 0;
}
