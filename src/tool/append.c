/*
 * `openfsi append IMAGE [--sequential] [--volume NAME] [--iso-level 1|2|3] [--no-joliet] PATH...`: adds a
 * session to an ISO 9660/Joliet image file, as a burner adds one to a write-once disc. The
 * latest session (the volume descriptors at sector 16) is imported, PATH's items are added over
 * it (a host directory merges into one of the same name, anything else replaces the item), and
 * the new session is laid out from the old one's end: old files' data is pointed at where it
 * lies, new data follows. The session is written after the old ones; then its volume descriptors
 * are copied to sector 16, as growing an image file (xorriso's overwriteable media) does, so any
 * reader finds the latest session there. Until that last step the file reads as before.
 * Appending to UDF comes with in-place updates (not yet).
 */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "append.h"
#include "image_file.h"
#include "openfsi/image.h"
#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/utf.h"
#include "scan.h"

#define SECTOR 2048
#define HEAD_FIRST 16               /* the volume descriptors' place (ECMA-119 6.2.1) */
#define HEAD_MAX 32                 /* descriptors copied at most, terminator included */
#define CHUNK (256u * 1024)

static int write_at(int fd, const uint8_t *data, size_t length, off_t offset)
{
    while (length) {
        ssize_t n = pwrite(fd, data, length, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        length -= (size_t)n;
        offset += n;
    }
    return 0;
}

/* The new session's bytes at its first sector, then its descriptors copied to sector 16. */
static int write_session(struct fsi_image *image, int fd, const char *path)
{
    static uint8_t buffer[CHUNK];
    uint32_t first = fsi_image_first_sector(image), i;
    uint64_t size = fsi_image_size(image), done = 0;
    struct fsi_reader *reader;
    enum fsi_status status = fsi_reader_create(image, &reader);

    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s\n", fsi_status_message(status));
        return 1;
    }
    while (done < size) {
        size_t n = size - done < CHUNK ? (size_t)(size - done) : CHUNK;
        status = fsi_reader_read(reader, done, buffer, n);
        if (status != FSI_OK) {
            fprintf(stderr, "openfsi: %s\n", fsi_reader_error(reader));
            fsi_reader_destroy(reader);
            return 1;
        }
        if (write_at(fd, buffer, n, (off_t)first * SECTOR + (off_t)done) != 0) {
            fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
            fsi_reader_destroy(reader);
            return 1;
        }
        done += n;
    }
    if (fsync(fd) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        fsi_reader_destroy(reader);
        return 1;
    }
    /* The descriptor set, up to its terminator, where readers look first. */
    for (i = 0; i < HEAD_MAX; i++) {
        status = fsi_reader_read(reader, (uint64_t)(HEAD_FIRST + i) * SECTOR, buffer, SECTOR);
        if (status != FSI_OK || write_at(fd, buffer, SECTOR, (off_t)(HEAD_FIRST + i) * SECTOR)) {
            fprintf(stderr, "openfsi: %s: the volume descriptors could not be written\n", path);
            fsi_reader_destroy(reader);
            return 1;
        }
        if (buffer[0] == 255)
            break;
    }
    fsi_reader_destroy(reader);
    return fsync(fd) == 0 ? 0 : 1;
}

int command_append(int argc, char **argv)
{
    struct scan_totals totals = { 1, 0, 0, 0, 0 };
    struct fsi_image_options options;
    struct fsi_import_info info;
    const char *path = NULL, *volume = NULL;
    uint16_t volume_units[64];
    struct fsi_image *image = NULL;
    uint8_t pvd[SECTOR];
    struct fsi_tree *tree;
    struct fsi_disc disc;
    enum fsi_status status;
    uint32_t found = 0, end;
    int i, first_path = 0, fd, joliet = -1, result;

    fsi_image_options_init(&options, tool_creation_time());
    for (i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--volume") && i + 1 < argc)
            volume = argv[++i];
        else if (!strcmp(argv[i], "--iso-level") && i + 1 < argc) {
            const char *level = argv[++i];
            if (strlen(level) != 1 || level[0] < '1' || level[0] > '3')
                return 2;
            options.iso9660_level = level[0] - '0';
        } else if (!strcmp(argv[i], "--no-joliet"))
            joliet = 0;
        else if (!strcmp(argv[i], "--sequential"))
            ;   /* the only way so far: in-place updates come with the random-write work */
        else if (argv[i][0] == '-')
            return 2;
        else if (!path)
            path = argv[i];
        else {
            first_path = i;
            break;
        }
    }
    if (!path || !first_path)
        return 2;
    fd = open(path, O_RDWR);
    if (fd < 0 || image_file_disc(&fd, &disc) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    fsi_disc_identify(&disc, 0, &found);
    if (found & FSI_FILE_SYSTEM_UDF) {
        fprintf(stderr, "openfsi: %s holds UDF: appending to UDF comes with in-place updates "
                        "(not implemented yet)\n", path);
        close(fd);
        return 1;
    }
    if (!(found & FSI_FILE_SYSTEM_ISO9660) || disc.read(disc.context, HEAD_FIRST, 1, pvd) != FSI_OK) {
        fprintf(stderr, "openfsi: %s: no ISO 9660 file system found\n", path);
        close(fd);
        return 1;
    }
    /* The latest session ends where its primary descriptor says (ECMA-119 8.4.8). */
    end = (uint32_t)pvd[80] | (uint32_t)pvd[81] << 8 | (uint32_t)pvd[82] << 16 |
          (uint32_t)pvd[83] << 24;
    if (end < disc.sector_count)
        end = disc.sector_count;
    options.session_start = end;
    options.joliet = joliet == 0 ? 0 : (found & FSI_FILE_SYSTEM_JOLIET) != 0;

    tree = fsi_tree_create();
    if (!tree) {
        close(fd);
        return 1;
    }
    status = fsi_disc_import(&disc, 0,
                             (found & FSI_FILE_SYSTEM_JOLIET) ? FSI_FILE_SYSTEM_JOLIET
                                                             : FSI_FILE_SYSTEM_ISO9660,
                             tree, &info);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: %s %s\n", path, fsi_status_message(status), info.error);
        fsi_tree_destroy(tree);
        close(fd);
        return 1;
    }
    if (volume) {
        size_t n = fsi_utf8_to_utf16(volume, strlen(volume), volume_units, 64);
        if (n > 32) {
            fprintf(stderr, "openfsi: the volume name is longer than 32 characters\n");
            fsi_tree_destroy(tree);
            close(fd);
            return 2;
        }
        options.volume_name = volume_units;
        options.volume_name_length = n;
    } else {
        options.volume_name = info.volume_name;
        options.volume_name_length = info.volume_name_length;
    }
    for (i = first_path; i < argc; i++)
        if (scan_path(tree, argv[i], &totals) != 0) {
            fsi_tree_destroy(tree);
            close(fd);
            return 1;
        }
    status = fsi_image_create(tree, &options, &image);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s\n", fsi_status_message(status));
        fsi_tree_destroy(tree);
        close(fd);
        return 1;
    }
    result = write_session(image, fd, path);
    if (result == 0)
        printf("openfsi: %s: a session of %llu sectors from sector %lu (%llu files and %llu "
               "directories added; %lu files kept from the earlier sessions)\n",
               path, (unsigned long long)(fsi_image_size(image) / SECTOR),
               (unsigned long)end, totals.files, totals.directories,
               (unsigned long)info.files);
    fsi_image_destroy(image);
    fsi_tree_destroy(tree);
    close(fd);
    return result;
}
