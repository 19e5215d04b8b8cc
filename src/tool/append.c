/*
 * `openfsi append IMAGE [--sequential] [--replace] [--remove PATH]... [--volume NAME]
 * [--iso-level 1|2|3] [--no-joliet] [PATH...]`: adds a session to an ISO 9660, Joliet and/or UDF
 * image file. The latest session is imported (its richest file system: UDF, then Joliet, then
 * ISO 9660); each --remove PATH takes an item (a directory with all it holds) out of that tree;
 * then PATH's items are added over it: a host directory merges into one of the same name, and a
 * host item that would replace an item of the image is refused unless --replace is given. The new
 * session is laid out from the old one's end with the old session's file systems (the UDF
 * revision included): old files' data is pointed at where it lies, new data follows. With UDF the
 * new partition starts where the old one did, so it covers the old data, and unique ids go on
 * from the old volume's.
 *
 * By default the image is grown in place, as on rewritable media: the engine makes an image over
 * the file itself (fsi_image_options.base), lists by reading the sectors that differ from the
 * file's (fsi_image_modified), and only those are written, in the engine's order: the new session
 * first, then (after an fsync, so that it is on the disk first) the head that switches readers
 * over (the volume descriptors at 16, the UDF anchor at 256, the file set descriptor at the old
 * partition's block 0). Each range written is printed, and a summary with the precision of the
 * list (the written sectors that, read from the file just before, already held their new bytes).
 * When the engine cannot lay the session out over the file (FSI_E_INCOMPATIBLE_SESSION: the
 * file's head does not have the structures the new one would be copied over), nothing is written.
 *
 * --sequential writes the whole new session after the old ones, as a burner adds one to a
 * write-once disc; then, as growing an image file (xorriso's overwriteable media) does, what
 * readers look for at the start of the file is made the new session's: its volume descriptors and
 * UDF volume recognition sequence are copied to sector 16, its anchor to sector 256, and its file
 * set descriptor to the old partition's block 0 (where readers that ignore the logical volume's
 * file set location look). Each copy goes only where the old session has the same kind of
 * structure, so no old data is overwritten. Until those copies the file reads as before (for
 * readers that look at 16 and 256 first). It writes the same bytes as the default but for the
 * sectors that did not change; it is kept as the engine-independent way.
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
#include "openfsi/session_head.h"
#include "openfsi/utf.h"
#include "scan.h"

#define SECTOR 2048
#define HEAD_FIRST 16               /* the volume descriptors' place (ECMA-119 6.2.1) */
#define CHUNK (256u * 1024)

/* What readers look for first, made the new session's (include/openfsi/session_head.h): its
   descriptors at 16, its anchor at 256, its file set descriptor at the partition's block 0. */
static int copy_head(int fd, uint32_t first, const char *path)
{
    uint8_t sector[SECTOR];
    struct fsi_session_head head;
    struct fsi_disc disc;
    enum fsi_status status;
    uint32_t n;

    if (image_file_disc(&fd, &disc) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        return 1;
    }
    status = fsi_session_head_sectors(&disc, first, &head);
    for (n = 0; status == FSI_OK && n < fsi_session_head_count(&head); n++) {
        uint32_t target = fsi_session_head_target(&head, n);
        status = fsi_session_head_render(&disc, &head, target, sector);
        if (status == FSI_OK && file_write_at(fd, sector, SECTOR, (off_t)target * SECTOR) != 0) {
            fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
            return 1;
        }
    }
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: the new session's head cannot be copied to the start of "
                        "the file: %s\n", path, fsi_status_message(status));
        return 1;
    }
    return 0;
}

/* The new session's bytes at its first sector, then what readers look for first. On a failure
   before the head is copied the file is cut back to its old size: it reads as before. */
static int write_session(struct fsi_image *image, int fd, off_t old_size, const char *path)
{
    static uint8_t buffer[CHUNK];
    uint32_t first = fsi_image_first_sector(image);
    uint64_t size = fsi_image_size(image), done = 0;
    struct fsi_reader *reader;
    enum fsi_status status = fsi_reader_create(image, &reader);
    int result = 0;

    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s\n", fsi_status_message(status));
        return 1;
    }
    while (done < size && result == 0) {
        size_t n = size - done < CHUNK ? (size_t)(size - done) : CHUNK;
        status = fsi_reader_read(reader, done, buffer, n);
        if (status != FSI_OK) {
            fprintf(stderr, "openfsi: %s\n", fsi_reader_error(reader));
            result = 1;
        } else if (file_write_at(fd, buffer, n, (off_t)first * SECTOR + (off_t)done) != 0) {
            fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
            result = 1;
        }
        done += n;
    }
    fsi_reader_destroy(reader);
    if (result == 0 && fsync(fd) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        result = 1;
    }
    if (result == 0)
        result = copy_head(fd, first, path);
    if (result != 0) {
        if (ftruncate(fd, old_size) == 0)
            fprintf(stderr, "openfsi: %s: nothing was added (the file is as it was)\n", path);
        return 1;
    }
    return fsync(fd) == 0 ? 0 : 1;
}

/* The sectors of `ranges` from the image's reader into the file, in the listed order; an fsync
   before the first range over the file's old sectors (the head: everything it points at is on
   the disk first) and at the end. `unchanged` counts the written sectors whose old bytes, read
   just before, were already the new ones. */
static int write_ranges(struct fsi_image *image, int fd, const struct fsi_block_range *ranges,
                        size_t count, uint32_t old_sectors, const char *path, uint64_t *written,
                        uint64_t *unchanged)
{
    static uint8_t buffer[CHUNK], old[CHUNK];
    const uint32_t chunk_sectors = CHUNK / SECTOR;
    struct fsi_reader *reader;
    enum fsi_status status = fsi_reader_create(image, &reader);
    int barrier = 0;
    size_t r;

    *written = *unchanged = 0;
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s\n", fsi_status_message(status));
        return 1;
    }
    for (r = 0; r < count; r++) {
        uint64_t sector = ranges[r].first, last = ranges[r].last;
        if (!barrier && sector < old_sectors && *written) {
            if (fsync(fd) != 0) {
                fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
                fsi_reader_destroy(reader);
                return 1;
            }
            barrier = 1;
        }
        while (sector <= last) {
            uint32_t n = last - sector + 1 < chunk_sectors ? (uint32_t)(last - sector + 1)
                                                           : chunk_sectors, i;
            status = fsi_reader_read(reader, sector * SECTOR, buffer, (size_t)n * SECTOR);
            if (status != FSI_OK) {
                fprintf(stderr, "openfsi: %s (nothing after sector %llu was written)\n",
                        fsi_reader_error(reader), (unsigned long long)sector);
                fsi_reader_destroy(reader);
                return 1;
            }
            for (i = 0; i < n && sector + i < old_sectors; i++)
                if (file_read_at(fd, old, SECTOR, (off_t)((sector + i) * SECTOR)) == 0 &&
                    !memcmp(old, buffer + (size_t)i * SECTOR, SECTOR))
                    (*unchanged)++;
            if (file_write_at(fd, buffer, (size_t)n * SECTOR, (off_t)(sector * SECTOR)) != 0) {
                fprintf(stderr, "openfsi: %s: %s (at sector %llu)\n", path, strerror(errno),
                        (unsigned long long)sector);
                fsi_reader_destroy(reader);
                return 1;
            }
            *written += n;
            sector += n;
        }
        printf("openfsi: wrote sectors %lu-%lu (%lu)\n", (unsigned long)ranges[r].first,
               (unsigned long)ranges[r].last,
               (unsigned long)(ranges[r].last - ranges[r].first + 1));
    }
    fsi_reader_destroy(reader);
    if (fsync(fd) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

/* --remove PATH: the item at PATH (a directory with everything below it) taken out of the
   imported tree. */
static int remove_item(struct fsi_tree *tree, const char *image_path, const char *item)
{
    uint16_t units[1024];
    size_t length = fsi_utf8_to_utf16(item, strlen(item), units, 1024);
    struct fsi_node *node = NULL;
    enum fsi_status status;

    if (length > 1024) {
        fprintf(stderr, "openfsi: %s: --remove %s: the path is too long\n", image_path, item);
        return 1;
    }
    status = fsi_tree_lookup(tree, fsi_tree_root(tree), units, length, &node);
    if (status == FSI_E_NOT_FOUND || status == FSI_E_NOT_DIRECTORY) {
        fprintf(stderr, "openfsi: %s: --remove %s: no such file or directory in the image\n",
                image_path, item);
        return 1;
    }
    if (status == FSI_OK && node == fsi_tree_root(tree)) {
        fprintf(stderr, "openfsi: %s: --remove %s: the root cannot be removed\n", image_path,
                item);
        return 1;
    }
    if (status == FSI_OK)
        status = fsi_tree_remove(tree, node, 1);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: --remove %s: %s\n", image_path, item,
                fsi_status_message(status));
        return 1;
    }
    return 0;
}

/* How many sectors of the data of `node` and what it holds (an imported file's data on the
   disc) have been read: none, when an append reads only metadata. */
static uint64_t data_sectors_read(const struct fsi_node *node)
{
    uint64_t found = 0;
    size_t i, n = 0;
    const struct fsi_disc_extent *extents = fsi_node_disc_extents(node, &n);

    if (extents)
        found += image_file_sectors_read_of(extents, n);
    for (i = 0; i < fsi_node_stream_count(node); i++)
        found += data_sectors_read(fsi_node_stream(node, (uint32_t)i));
    for (i = 0; fsi_node_is_directory(node) && i < fsi_node_child_count(node); i++)
        found += data_sectors_read(fsi_node_child(node, i));
    return found;
}

/* The default: the image made over the file, and only the sectors that differ written. */
static int append_in_place(struct fsi_tree *tree, struct fsi_image_options *options,
                           struct fsi_disc *disc, int fd, const char *path,
                           const struct scan_totals *totals, size_t removed)
{
    struct fsi_block_range *ranges = NULL;
    struct fsi_modified_stats stats;
    struct fsi_image *image = NULL;
    uint64_t written = 0, unchanged = 0, data_read;
    size_t count = 0;
    enum fsi_status status;
    int result;

    options->base = disc;
    options->in_place = 1;          /* over the old volume where that is safe, else a session */
    options->session_start = (options->session_start + 15) / 16 * 16;
    status = fsi_image_create(tree, options, &image);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: %s Nothing was written%s\n", path,
                fsi_status_message(status),
                status == FSI_E_INCOMPATIBLE_SESSION
                    ? "; --sequential may add the session after the image's end instead." : ".");
        return 1;
    }
    status = fsi_image_modified(image, &ranges, &count, &stats);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: the sectors to write cannot be listed: %s Nothing was "
                        "written.\n", path, fsi_status_message(status));
        fsi_image_destroy(image);
        return 1;
    }
    data_read = data_sectors_read(fsi_tree_root(tree));
    result = write_ranges(image, fd, ranges, count, disc->sector_count, path, &written,
                          &unchanged);
    if (result == 0)
        printf("openfsi: %s: wrote %llu sectors in %lu ranges; the image has %lu sectors, "
               "%s%.0lu; %llu sectors compared; %llu sectors read from "
               "the image (%llu of the kept files' data); %llu of the %llu written "
               "(%.2f%%) were unchanged (%llu files and %llu directories added, %lu items "
               "removed, %llu replaced, %lu files kept)\n",
               path, (unsigned long long)written, (unsigned long)count,
               (unsigned long)fsi_image_sector_count(image),
               fsi_image_in_place(image) ? "updated in place" : "the new session from sector ",
               (unsigned long)(fsi_image_in_place(image) ? 0 : options->session_start),
               (unsigned long long)stats.compared,
               (unsigned long long)image_file_sectors_read(), (unsigned long long)data_read,
               (unsigned long long)unchanged, (unsigned long long)written,
               written ? 100.0 * (double)unchanged / (double)written : 0.0, totals->files,
               totals->directories, (unsigned long)removed, totals->replaced,
               (unsigned long)(fsi_tree_file_count(tree) - totals->files));
    free(ranges);
    fsi_image_destroy(image);
    return result;
}

/* --sequential: the session after the old ones, then the head copied. */
static int append_sequential(struct fsi_tree *tree, const struct fsi_image_options *options,
                             int fd, const char *path, const struct scan_totals *totals,
                             size_t removed)
{
    struct fsi_image *image = NULL;
    enum fsi_status status = fsi_image_create(tree, options, &image);
    struct stat before;
    int result;

    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: %s Nothing was written.\n", path,
                fsi_status_message(status));
        return 1;
    }
    if (fstat(fd, &before) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        fsi_image_destroy(image);
        return 1;
    }
    result = write_session(image, fd, before.st_size, path);
    if (result == 0)
        printf("openfsi: %s: a session of %llu sectors from sector %lu (%llu files and %llu "
               "directories added, %lu items removed, %llu replaced, %lu files kept from the "
               "earlier sessions)\n",
               path, (unsigned long long)(fsi_image_size(image) / SECTOR),
               (unsigned long)options->session_start, totals->files, totals->directories,
               (unsigned long)removed, totals->replaced,
               (unsigned long)(fsi_tree_file_count(tree) - totals->files));
    fsi_image_destroy(image);
    return result;
}

int command_append(int argc, char **argv)
{
    struct scan_totals totals = { SCAN_MERGE, 0, 0, 0, 0, 0 };
    struct fsi_image_options options;
    struct fsi_import_info info;
    const char *path = NULL, *volume = NULL;
    const char **removes;
    size_t remove_count = 0, k;
    uint16_t volume_units[64];
    uint8_t pvd[SECTOR];
    struct fsi_tree *tree;
    struct fsi_disc disc;
    enum fsi_status status;
    uint32_t found = 0, end, system;
    int i, first_path = 0, fd, joliet = -1, sequential = 0, result = 1;

    removes = malloc((size_t)(argc + 1) * sizeof(*removes));
    if (!removes) {
        fprintf(stderr, "openfsi: out of memory\n");
        return 1;
    }
    fsi_image_options_init(&options, tool_creation_time());
    for (i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--volume") && i + 1 < argc)
            volume = argv[++i];
        else if (!strcmp(argv[i], "--iso-level") && i + 1 < argc) {
            const char *level = argv[++i];
            if (strlen(level) != 1 || level[0] < '1' || level[0] > '3') {
                free(removes);
                return 2;
            }
            options.iso9660_level = level[0] - '0';
        } else if (!strcmp(argv[i], "--no-joliet"))
            joliet = 0;
        else if (!strcmp(argv[i], "--sequential"))
            sequential = 1;
        else if (!strcmp(argv[i], "--replace"))
            totals.over_existing = SCAN_REPLACE;
        else if (!strcmp(argv[i], "--remove") && i + 1 < argc)
            removes[remove_count++] = argv[++i];
        else if (argv[i][0] == '-') {
            free(removes);
            return 2;
        } else if (!path)
            path = argv[i];
        else {
            first_path = i;
            break;
        }
    }
    if (!path || (!first_path && !remove_count)) {
        free(removes);
        return 2;
    }
    if (!first_path)
        first_path = argc;
    fd = open(path, O_RDWR);
    if (fd < 0 || image_file_disc(&fd, &disc) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(removes);
        return 1;
    }
    tree = fsi_tree_create();
    if (!tree) {
        fprintf(stderr, "openfsi: out of memory\n");
        goto done;
    }
    fsi_disc_identify(&disc, 0, &found);
    system = fsi_preferred_file_system(found);
    if (!system) {
        fprintf(stderr, "openfsi: %s: no ISO 9660, Joliet or UDF file system found\n", path);
        goto done;
    }
    end = disc.sector_count;
    if (found & FSI_FILE_SYSTEM_ISO9660) {
        uint32_t recorded;
        if (disc.read(disc.context, HEAD_FIRST, 1, pvd) != FSI_OK) {
            fprintf(stderr, "openfsi: %s: the primary volume descriptor cannot be read\n", path);
            goto done;
        }
        /* The latest session ends where its primary descriptor says (ECMA-119 8.4.8). */
        recorded = (uint32_t)pvd[80] | (uint32_t)pvd[81] << 8 | (uint32_t)pvd[82] << 16 |
                   (uint32_t)pvd[83] << 24;
        if (recorded > end)
            end = recorded;
    }
    options.session_start = end;
    options.iso9660 = (found & FSI_FILE_SYSTEM_ISO9660) != 0;
    options.joliet = joliet == 0 ? 0 : (found & FSI_FILE_SYSTEM_JOLIET) != 0;

    status = fsi_disc_import(&disc, 0, system, tree, &info);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: %s %s\n", path, fsi_status_message(status), info.error);
        goto done;
    }
    if (found & FSI_FILE_SYSTEM_UDF) {
        /* The old session's UDF again, its partition going on from the old one's start so that
           it covers the old data, and unique ids after the old ones. */
        if (!fsi_udf_revision_is_supported(info.udf_revision)) {
            fprintf(stderr, "openfsi: %s: UDF revision %x.%02x cannot be written\n", path,
                    (unsigned)(info.udf_revision >> 8), (unsigned)(info.udf_revision & 0xFF));
            goto done;
        }
        options.udf_revision = info.udf_revision;
        options.udf_redundant_metadata =
            info.udf_revision < FSI_UDF_REVISION_2_50 || info.udf_duplicate_metadata;
        options.udf_first_unique_id = info.udf_next_unique_id;
        /* A partition an engine cannot extend (before sector 257, or past the old end): a
           partition of the new session alone, into which old data is copied. */
        if (system == FSI_FILE_SYSTEM_UDF && info.udf_partition_start > 256 &&
            info.udf_partition_start <= end)
            options.udf_partition_start = info.udf_partition_start;
    }
    if (volume) {
        size_t n = fsi_utf8_to_utf16(volume, strlen(volume), volume_units, 64);
        if (n > 32) {
            fprintf(stderr, "openfsi: the volume name is longer than 32 characters\n");
            result = 2;
            goto done;
        }
        options.volume_name = volume_units;
        options.volume_name_length = n;
    } else {
        options.volume_name = info.volume_name;
        options.volume_name_length = info.volume_name_length;
    }
    /* Removals first, so that a PATH may put back an item of a removed name. */
    for (k = 0; k < remove_count; k++)
        if (remove_item(tree, path, removes[k]) != 0)
            goto done;
    for (i = first_path; i < argc; i++)
        if (scan_path(tree, argv[i], &totals) != 0)
            goto done;
    result = sequential ? append_sequential(tree, &options, fd, path, &totals, remove_count)
                        : append_in_place(tree, &options, &disc, fd, path, &totals, remove_count);
done:
    if (tree)
        fsi_tree_destroy(tree);
    close(fd);
    free(removes);
    return result;
}
