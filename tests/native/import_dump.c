/*
 * import_dump: a small test program that imports a file system from an image file with
 * fsi_disc_import() and prints what it found, or copies it out, so shell tests can compare an
 * image made by another tool (genisoimage, mkudffs) with the tree it was made from.
 *
 *   import_dump [--iso9660 | --joliet | --udf] IMAGE [OUTDIR]
 *
 * It prints the import's status line ("status N volume NAME revision R files F directories D"),
 * then one line per item in preorder: "d PATH" or "f SIZE MTIME [h][r] PATH" (MTIME in whole
 * Unix seconds), named streams as "s SIZE PATH:NAME". With OUTDIR it also writes every file's
 * bytes (read through the imported source, that is from the image) below OUTDIR and sets its
 * modification time. The exit status is 0 only when the import succeeded; on failure the
 * error sentence is printed. It is a test aid, not the tool's `ls`.
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

#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/tree.h"
#include "openfsi/utf.h"

static enum fsi_status read_sectors(void *context, uint32_t first, uint32_t count, void *buffer)
{
    int fd = *(int *)context;
    size_t want = (size_t)count * 2048, got = 0;

    while (got < want) {
        ssize_t n = pread(fd, (char *)buffer + got, want - got, (off_t)first * 2048 + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FSI_E_DISC_READ;
        got += (size_t)n;
    }
    return FSI_OK;
}

static void utf8_name(const uint16_t *name, size_t length, char *out, size_t capacity)
{
    fsi_utf16_to_utf8(name, length, out, capacity);
}

/* Copies a file's (or stream's) bytes through its source into `path`. */
static int extract(const struct fsi_node *node, const char *path)
{
    const struct fsi_source *source = fsi_node_source(node);
    uint64_t size = fsi_node_size(node), offset = 0;
    static char buffer[1 << 16];
    FILE *out = fopen(path, "wb");

    if (!out)
        return -1;
    while (offset < size) {
        size_t want = size - offset < sizeof(buffer) ? (size_t)(size - offset) : sizeof(buffer);
        size_t done = 0;
        if (source->kind == FSI_SOURCE_CALLBACK) {
            if (source->u.callback.callbacks->read(source->u.callback.context, offset, buffer,
                                                   want, &done) != FSI_OK || !done)
                break;
        } else if (source->kind == FSI_SOURCE_MEMORY && offset + want <= source->u.memory.size) {
            memcpy(buffer, (const char *)source->u.memory.data + offset, want);
            done = want;
        } else {
            break;
        }
        if (fwrite(buffer, 1, done, out) != done)
            break;
        offset += done;
    }
    if (fclose(out) != 0 || offset != size)
        return -1;
    return 0;
}

static int dump(struct fsi_node *directory, const char *path, const char *outdir)
{
    size_t i, count = fsi_node_child_count(directory);
    int failed = 0;

    for (i = 0; i < count; i++) {
        struct fsi_node *node = fsi_node_child(directory, i);
        size_t length;
        const uint16_t *name = fsi_node_name(node, &length);
        char utf8[1024], child[4096], target[8192];
        fsi_time created, accessed, modified;
        uint32_t s;

        utf8_name(name, length, utf8, sizeof(utf8));
        snprintf(child, sizeof(child), "%s/%s", path, utf8);
        if (outdir)
            snprintf(target, sizeof(target), "%s%s", outdir, child);
        fsi_node_times(node, &created, &accessed, &modified);
        if (fsi_node_is_directory(node)) {
            printf("d %s\n", child);
            if (outdir && mkdir(target, 0755) != 0 && errno != EEXIST)
                failed = 1;
            failed |= dump(node, child, outdir);
            continue;
        }
        printf("f %llu %lld %s%s%s\n", (unsigned long long)fsi_node_size(node),
               (long long)fsi_time_to_unix(modified, NULL), fsi_node_is_hidden(node) ? "h" : "",
               fsi_node_is_realtime(node) ? "r" : "", child);
        for (s = 0; s < fsi_node_stream_count(node); s++) {
            struct fsi_node *stream = fsi_node_stream(node, s);
            const uint16_t *stream_name = fsi_node_name(stream, &length);
            utf8_name(stream_name, length, utf8, sizeof(utf8));
            printf("s %llu %s:%s\n", (unsigned long long)fsi_node_size(stream), child, utf8);
        }
        if (outdir) {
            struct timespec times[2];
            int32_t ns = 0;
            int64_t seconds = fsi_time_to_unix(modified, &ns);
            if (extract(node, target) != 0) {
                fprintf(stderr, "import_dump: cannot copy %s\n", child);
                failed = 1;
                continue;
            }
            times[0].tv_sec = times[1].tv_sec = (time_t)seconds;
            times[0].tv_nsec = times[1].tv_nsec = ns;
            utimensat(AT_FDCWD, target, times, 0);
        }
    }
    return failed;
}

int main(int argc, char **argv)
{
    uint32_t file_system = FSI_FILE_SYSTEM_UDF;
    struct fsi_import_info info;
    struct fsi_disc disc;
    struct fsi_tree *tree;
    enum fsi_status status;
    struct stat st;
    char label[512];
    int fd, arg = 1, failed;

    if (arg < argc && !strcmp(argv[arg], "--iso9660"))
        file_system = FSI_FILE_SYSTEM_ISO9660, arg++;
    else if (arg < argc && !strcmp(argv[arg], "--joliet"))
        file_system = FSI_FILE_SYSTEM_JOLIET, arg++;
    else if (arg < argc && !strcmp(argv[arg], "--udf"))
        arg++;
    if (arg >= argc || argc - arg > 2) {
        fprintf(stderr, "usage: import_dump [--iso9660 | --joliet | --udf] IMAGE [OUTDIR]\n");
        return 2;
    }
    fd = open(argv[arg], O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[arg]);
        return 2;
    }
    disc.read = read_sectors;
    disc.context = &fd;
    disc.sector_count = (uint32_t)(st.st_size / 2048);
    tree = fsi_tree_create();
    if (!tree)
        return 2;
    status = fsi_disc_import(&disc, 0, file_system, tree, &info);
    utf8_name(info.volume_name, info.volume_name_length, label, sizeof(label));
    printf("status %d volume %s revision %04x files %u directories %u\n", (int)status, label,
           (unsigned)info.udf_revision, (unsigned)info.files, (unsigned)info.directories);
    if (status != FSI_OK) {
        printf("error %s\n", info.error);
        fsi_tree_destroy(tree);
        close(fd);
        return 1;
    }
    if (arg + 1 < argc && mkdir(argv[arg + 1], 0755) != 0 && errno != EEXIST) {
        perror(argv[arg + 1]);
        failed = 1;
    } else {
        failed = dump(fsi_tree_root(tree), "", arg + 1 < argc ? argv[arg + 1] : NULL);
    }
    fsi_tree_destroy(tree);
    close(fd);
    return failed;
}
