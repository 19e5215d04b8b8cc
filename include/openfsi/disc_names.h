/*
 * The names an item gets on disc (IFsiItem::FileSystemName and FileSystemPath): its ISO 9660 or
 * Joliet identifier, or its UDF name, among its siblings, as a reader shows it. The names
 * themselves are made by the layout's name rules (src/core/names.h, src/core/udf_names.h); this
 * only asks them for one item, so the answer is the one an image made now would record.
 */
#ifndef OPENFSI_DISC_NAMES_H
#define OPENFSI_DISC_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/status.h"
#include "openfsi/tree.h"

enum fsi_disc_name_system {
    FSI_DISC_NAME_ISO9660,
    FSI_DISC_NAME_JOLIET,
    FSI_DISC_NAME_UDF       /* the name whole, or shortened to fit 255 CS0 bytes */
};

/*
 * The identifier `node` gets in `system` (ISO 9660 at `iso9660_level`), without the version
 * (";1") and without the '.' of a file name that has no extension; the root's is empty. In UDF
 * it is the item's own name, or "prefix#XXXX" when the name does not fit. Writes
 * at most `capacity` UTF-16 units to `out` and stores in `*length` how many the whole name has.
 */
enum fsi_status fsi_disc_name(const struct fsi_node *node, enum fsi_disc_name_system system,
                              int iso9660_level, uint16_t *out, size_t capacity,
                              size_t *length);

#endif
