/*
 * The names UDF records for the entries of one directory (ECMA-167 4/14.4, UDF 2.60 2.1.1): each
 * entry's UTF-16 name in OSTA CS0, whole when it fits the 255 bytes of a file identifier, else
 * shortened to as many whole characters as fit before "#XXXX" (four hex digits of a CRC of the
 * whole name, as UDF 2.60 4.2.2.1.1 makes when reading) and kept unique among its siblings. The
 * writer (udf_layout.c) records these names and IFsiItem::FileSystemName (disc_names.c) shows
 * them, so both ask this file and the two cannot disagree.
 *
 * It only names; it does not decide which names the tree accepts, nor lay anything out.
 */
#ifndef OPENFSI_CORE_UDF_NAMES_H
#define OPENFSI_CORE_UDF_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "openfsi/status.h"

#define UDF_NAME_MAX_SIZE 255       /* L_FI is one byte (4/14.4.4) */

/* One entry of a directory: its name in, what UDF records for it out. */
struct udf_name {
    const uint16_t *text;           /* UTF-16, as the tree holds it */
    size_t length;
    const uint8_t *cs0;             /* CS0, compression id first (in the caller's arena) */
    uint8_t size;                   /* bytes of cs0: 2 to UDF_NAME_MAX_SIZE */
};

/* The order of a directory's entries: by UTF-16 code units, a prefix first (<0, 0, >0). */
int udf_name_order(const uint16_t *a, size_t a_length, const uint16_t *b, size_t b_length);

/* qsort() comparator of struct udf_name by udf_name_order(). */
int udf_name_compare(const void *a, const void *b);

/*
 * `name` in CS0, whole, into `out` (UDF_NAME_MAX_SIZE bytes); 0 when it does not fit (or is
 * empty). A name that fits is always recorded so by udf_names_assign().
 */
size_t udf_name_whole(const uint16_t *name, size_t length, uint8_t *out);

/*
 * Names every entry of one directory. `names` holds the entries in directory order (sorted with
 * udf_name_compare(); the names must differ, as the tree's do). Every name that fits is kept
 * whole; then, in order, each one that does not is shortened and, should that collide with a
 * whole name or an earlier shortened one, the next CRC value is tried. The CS0 bytes are copied
 * into `arena`. FSI_E_INVALID_NAME when no unique short form exists (65,536 collisions),
 * FSI_E_OUT_OF_MEMORY.
 */
enum fsi_status udf_names_assign(struct udf_name *names, size_t count, struct arena *arena);

#endif
