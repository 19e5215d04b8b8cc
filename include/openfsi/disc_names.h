/*
 * The names an item gets on disc (IFsiItem::FileSystemName and FileSystemPath): its ISO 9660 or
 * Joliet identifier among its siblings, as a reader shows it. The identifiers themselves are
 * made by the layout's name rules (src/core/names.h); this only asks them for one item, so the
 * answer is the one an image made now would record.
 */
#ifndef OPENFSI_DISC_NAMES_H
#define OPENFSI_DISC_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/status.h"
#include "openfsi/tree.h"

enum fsi_disc_name_system {
    FSI_DISC_NAME_ISO9660,
    FSI_DISC_NAME_JOLIET
};

/*
 * The identifier `node` gets in `system` (ISO 9660 at `iso9660_level`), without the version
 * (";1") and without the '.' of a file name that has no extension; the root's is empty. Writes
 * at most `capacity` UTF-16 units to `out` and stores in `*length` how many the whole name has.
 */
enum fsi_status fsi_disc_name(const struct fsi_node *node, enum fsi_disc_name_system system,
                              int iso9660_level, uint16_t *out, size_t capacity,
                              size_t *length);

#endif
