/*
 * Adds host files and directories to an engine tree, as `openfsi create PATH...` does: a
 * directory contributes its contents, a file itself. This is the one part of the tool that
 * talks to the host's file system API (POSIX here).
 */
#ifndef OPENFSI_TOOL_SCAN_H
#define OPENFSI_TOOL_SCAN_H

#include "openfsi/tree.h"

/* What a host entry does to an item of its name already in the image. */
enum scan_existing {
    SCAN_REFUSE = 0,    /* create: the name is refused (the tree's duplicate-name error) */
    SCAN_MERGE,         /* append: a directory merges into the one there; any other meeting (a
                           file over a file or a directory, a directory over a file) is refused
                           with a message naming the item, before anything is written */
    SCAN_REPLACE        /* append --replace: directories merge, otherwise the host's entry
                           replaces the item */
};

struct scan_totals {
    int over_existing;              /* in: an enum scan_existing */
    /* Out: what was added. */
    unsigned long long files;
    unsigned long long directories;
    unsigned long long bytes;
    unsigned long long skipped;     /* special files and symbolic links to directories */
    unsigned long long replaced;    /* SCAN_REPLACE: items of the image the host's replaced */
};

/* Returns 0, or -1 after printing why to stderr. */
int scan_path(struct fsi_tree *tree, const char *path, struct scan_totals *totals);

#endif
