/*
 * `openfsi ls IMAGE [--iso9660 | --joliet | --udf]`: lists what the engine's readers find in an
 * image file, one line per item ("d" or "f", size, modification time, path), directories before
 * their contents, entries in the order the disc records them. Without a choice it reads UDF, then
 * Joliet, then ISO 9660, as Windows prefers them.
 */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "image_file.h"
#include "list.h"
#include "openfsi/import.h"
#include "openfsi/media.h"
#include "openfsi/utf.h"

static void print_node(struct fsi_node *node, const char *path)
{
    fsi_time created, accessed, modified;
    int32_t nanoseconds = 0;
    time_t seconds;
    struct tm tm;
    char when[32];

    fsi_node_times(node, &created, &accessed, &modified);
    seconds = (time_t)fsi_time_to_unix(modified, &nanoseconds);
    gmtime_r(&seconds, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    printf("%c %12llu %s.%06ld %s%s\n", fsi_node_is_directory(node) ? 'd' : 'f',
           (unsigned long long)fsi_node_size(node), when, (long)(nanoseconds / 1000), path,
           fsi_node_is_hidden(node) ? " (hidden)" : "");
}

static void print_tree(struct fsi_node *dir, char *path, size_t used, size_t size)
{
    uint32_t i, count = fsi_node_child_count(dir);

    for (i = 0; i < count; i++) {
        struct fsi_node *child = fsi_node_child(dir, i);
        size_t length, n;
        const uint16_t *name = fsi_node_name(child, &length);
        if (used + 2 >= size)
            return;
        path[used] = '/';
        n = fsi_utf16_to_utf8(name, length, path + used + 1, size - used - 1);
        path[used + 1 + n] = 0;
        print_node(child, path);
        if (fsi_node_is_directory(child))
            print_tree(child, path, used + 1 + n, size);
        path[used] = 0;
    }
}

int command_list(int argc, char **argv)
{
    uint32_t wanted = 0, found = 0, system = 0;
    struct fsi_import_info info;
    const char *image = NULL;
    struct fsi_tree *tree;
    struct fsi_disc disc;
    enum fsi_status status;
    char path[8192] = "", label[512];
    int i, fd;

    for (i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--iso9660"))
            wanted = FSI_FILE_SYSTEM_ISO9660;
        else if (!strcmp(argv[i], "--joliet"))
            wanted = FSI_FILE_SYSTEM_JOLIET;
        else if (!strcmp(argv[i], "--udf"))
            wanted = FSI_FILE_SYSTEM_UDF;
        else if (argv[i][0] == '-' || image)
            return 2;
        else
            image = argv[i];
    }
    if (!image)
        return 2;
    fd = open(image, O_RDONLY);
    if (fd < 0 || image_file_disc(&fd, &disc) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", image, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    fsi_disc_identify(&disc, 0, &found);
    system = wanted ? wanted : fsi_preferred_file_system(found);
    if (!system || !(found & system)) {
        fprintf(stderr, "openfsi: %s: no %s file system found\n", image,
                system ? (system == FSI_FILE_SYSTEM_UDF ? "UDF"
                          : system == FSI_FILE_SYSTEM_JOLIET ? "Joliet" : "ISO 9660")
                       : "ISO 9660, Joliet or UDF");
        close(fd);
        return 1;
    }
    tree = fsi_tree_create();
    if (!tree) {
        close(fd);
        return 1;
    }
    status = fsi_disc_import(&disc, 0, system, tree, &info);
    if (status != FSI_OK) {
        fprintf(stderr, "openfsi: %s: %s%s%s\n", image, fsi_status_message(status),
                info.error[0] ? " " : "", info.error);
        fsi_tree_destroy(tree);
        close(fd);
        return 1;
    }
    fsi_utf16_to_utf8(info.volume_name, info.volume_name_length, label, sizeof(label));
    printf("# %s, volume \"%s\", %lu files, %lu directories\n",
           system == FSI_FILE_SYSTEM_UDF ? "UDF" : system == FSI_FILE_SYSTEM_JOLIET ? "Joliet"
                                                                                   : "ISO 9660",
           label, (unsigned long)info.files, (unsigned long)info.directories);
    print_tree(fsi_tree_root(tree), path, 0, sizeof(path));
    fsi_tree_destroy(tree);
    close(fd);
    return 0;
}
