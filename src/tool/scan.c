/*
 * POSIX directory scanning for the tool (scan.h). Symbolic links to files are followed (their
 * target's data goes into the image); links to directories and special files are skipped with a
 * warning, which also keeps link cycles out.
 */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scan.h"
#include "openfsi/utf.h"

#define NAME_UNITS 1024

static fsi_time to_fsi_time(struct timespec t)
{
    return fsi_time_from_unix((int64_t)t.tv_sec, (int32_t)t.tv_nsec);
}

static void set_times(struct fsi_node *node, const struct stat *st)
{
    fsi_node_set_times(node, to_fsi_time(st->st_ctim), to_fsi_time(st->st_atim),
                       to_fsi_time(st->st_mtim));
}

static int report(const char *path, enum fsi_status status)
{
    fprintf(stderr, "openfsi: %s: %s\n", path, fsi_status_message(status));
    return -1;
}

/* SCAN_MERGE: the host entry `path` would replace `node`; says which item, and how to allow it. */
static int refuse_replacement(const char *path, const struct fsi_node *node)
{
    uint16_t units[NAME_UNITS];
    char text[4 * NAME_UNITS + 1];
    size_t length = fsi_node_path(node, units, NAME_UNITS), n, i;

    n = fsi_utf16_to_utf8(units, length < NAME_UNITS ? length : NAME_UNITS, text, sizeof(text));
    if (n > sizeof(text) - 1)
        n = sizeof(text) - 1;
    for (i = 0; i < n; i++)
        if (text[i] == '\\')
            text[i] = '/';
    fprintf(stderr, "openfsi: %s would replace the image's %s %s (--replace allows it)\n", path,
            fsi_node_is_directory(node) ? "directory" : "file", text);
    return -1;
}

static int add_entry(struct fsi_tree *tree, struct fsi_node *parent, const char *path,
                     const char *name, struct scan_totals *totals);

static int add_directory_contents(struct fsi_tree *tree, struct fsi_node *directory,
                                  const char *path, struct scan_totals *totals)
{
    DIR *dir = opendir(path);
    struct dirent *entry;
    int result = 0;

    if (!dir) {
        fprintf(stderr, "openfsi: cannot open directory %s: %s\n", path, strerror(errno));
        return -1;
    }
    while (result == 0 && (errno = 0, entry = readdir(dir))) {
        char *child;
        size_t length;
        if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
            continue;
        length = strlen(path) + strlen(entry->d_name) + 2;
        child = malloc(length);
        if (!child) {
            fprintf(stderr, "openfsi: out of memory\n");
            result = -1;
            break;
        }
        snprintf(child, length, "%s/%s", path, entry->d_name);
        result = add_entry(tree, directory, child, entry->d_name, totals);
        free(child);
    }
    if (result == 0 && errno) {
        fprintf(stderr, "openfsi: cannot read directory %s: %s\n", path, strerror(errno));
        result = -1;
    }
    closedir(dir);
    return result;
}

static int add_entry(struct fsi_tree *tree, struct fsi_node *parent, const char *path,
                     const char *name, struct scan_totals *totals)
{
    uint16_t units[NAME_UNITS];
    size_t length = fsi_utf8_to_utf16(name, strlen(name), units, NAME_UNITS);
    struct fsi_node *node;
    enum fsi_status status;
    struct stat st, link;

    if (length > NAME_UNITS)
        return report(path, FSI_E_INVALID_NAME);
    if (lstat(path, &link) != 0 || stat(path, &st) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        return -1;
    }
    node = totals->over_existing != SCAN_REFUSE ? fsi_tree_find(tree, parent, units, length)
                                                : NULL;
    if (node && !(S_ISDIR(st.st_mode) && fsi_node_is_directory(node))) {
        if (totals->over_existing != SCAN_REPLACE)
            return refuse_replacement(path, node);
        status = fsi_tree_remove(tree, node, 1);    /* the host's entry prevails */
        if (status != FSI_OK)
            return report(path, status);
        totals->replaced++;
        node = NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        if (S_ISLNK(link.st_mode)) {
            fprintf(stderr, "openfsi: warning: skipping %s (a link to a directory)\n", path);
            totals->skipped++;
            return 0;
        }
        if (node)   /* merged into the one already there, which keeps its times: a directory
                       that only gains entries changes nothing else (in place: one sector) */
            return add_directory_contents(tree, node, path, totals);
        status = fsi_tree_add_directory(tree, parent, units, length, &node);
        if (status != FSI_OK)
            return report(path, status);
        set_times(node, &st);
        totals->directories++;
        return add_directory_contents(tree, node, path, totals);
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "openfsi: warning: skipping %s (not a regular file)\n", path);
        totals->skipped++;
        return 0;
    }
    {
        struct fsi_source source = st.st_size ? fsi_source_host_file(path)
                                              : (struct fsi_source){ FSI_SOURCE_NONE, { 0 } };
        status = fsi_tree_add_file(tree, parent, units, length, (uint64_t)st.st_size, &source,
                                   &node);
    }
    if (status != FSI_OK)
        return report(path, status);
    set_times(node, &st);
    totals->files++;
    totals->bytes += (unsigned long long)st.st_size;
    return 0;
}

int scan_path(struct fsi_tree *tree, const char *path, struct scan_totals *totals)
{
    struct stat st;
    const char *name;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "openfsi: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        /* A new image's root takes the folder's times; an appended-to image's keeps its own. */
        if (totals->over_existing == SCAN_REFUSE)
            set_times(fsi_tree_root(tree), &st);
        return add_directory_contents(tree, fsi_tree_root(tree), path, totals);
    }
    name = strrchr(path, '/');
    name = name ? name + 1 : path;
    return add_entry(tree, fsi_tree_root(tree), path, name, totals);
}
