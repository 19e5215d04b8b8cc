/*
 * Adds host files and directories to an engine tree, as `openfsi create PATH...` does: a
 * directory contributes its contents, a file itself. This is the one part of the tool that
 * talks to the host's file system API (POSIX here).
 */
#ifndef OPENFSI_TOOL_SCAN_H
#define OPENFSI_TOOL_SCAN_H

#include "openfsi/tree.h"

struct scan_totals {
    /* In: 0 refuses a name already in the directory (create); 1 lets the host's entry prevail
       (append): a directory merges into the one there, anything else replaces it. */
    int over_existing;
    /* Out: what was added. */
    unsigned long long files;
    unsigned long long directories;
    unsigned long long bytes;
    unsigned long long skipped;     /* special files and symbolic links to directories */
};

/* Returns 0, or -1 after printing why to stderr. */
int scan_path(struct fsi_tree *tree, const char *path, struct scan_totals *totals);

#endif
