/*
 * EnumFsiItems: the items of a directory (or a named-stream collection) as IEnumFsiItems, and
 * the same enumeration as IEnumVARIANT for _NewEnum (For Each in VBScript, Enumerator in
 * JScript). The list of nodes is copied when the enumerator is made, so items added or removed
 * afterwards do not disturb it.
 */
#ifndef OPENFSI_COM_ENUM_FSI_ITEMS_H
#define OPENFSI_COM_ENUM_FSI_ITEMS_H

#include "file_system_image.h"

/* `owner` may be NULL only when `count` is 0. Call under the image's lock. */
HRESULT enum_fsi_items_create(struct file_system_image *owner, struct fsi_node *const *nodes,
                              size_t count, REFIID riid, void **out);

#endif
