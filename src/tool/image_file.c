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

fsi_time tool_creation_time(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    struct timespec t;

    if (epoch && *epoch)
        return fsi_time_from_unix(strtoll(epoch, NULL, 10), 0);
    clock_gettime(CLOCK_REALTIME, &t);
    return fsi_time_from_unix((int64_t)t.tv_sec, (int32_t)t.tv_nsec);
}

static enum fsi_status read_sectors(void *context, uint32_t first, uint32_t count, void *buffer)
{
    int fd = *(int *)context;
    size_t want = (size_t)count * SECTOR, got = 0;

    while (got < want) {
        ssize_t n = pread(fd, (char *)buffer + got, want - got, (off_t)first * SECTOR + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FSI_E_DISC_READ;
        got += (size_t)n;
    }
    sectors_read += count;
    return FSI_OK;
}

uint64_t image_file_sectors_read(void)
{
    return sectors_read;
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
    return 0;
}
