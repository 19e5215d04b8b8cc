/*
 * What FsiDirectoryItem and FsiFileItem share: each wraps one node of its image's tree (a
 * pointer that stays valid as long as the tree, even after the item is removed) and answers the
 * IFsiItem part of its interface through the functions here, which the FSI_ITEM_METHODS macro
 * turns into vtable methods. A new wrapper is made each time an item is handed out.
 *
 * A named stream of a file is an FsiFileItem too (IsNamedStream): its base knows the stream's
 * file, whose path, times and hidden flag it shows (FullPath is the file's path, ':' and the
 * stream's name, as Windows writes a stream's path); those are read-only on a stream.
 */
#ifndef OPENFSI_COM_FSI_ITEM_H
#define OPENFSI_COM_FSI_ITEM_H

#include "file_system_image.h"

struct fsi_item_base {
    struct file_system_image *owner;    /* holds a reference */
    struct fsi_node *node;
    struct fsi_node *stream_file;       /* a named stream's file (also once removed); else NULL */
};

/* Makes the item object for `node`: a directory item or a file item, as the node is. */
HRESULT fsi_item_create(struct file_system_image *owner, struct fsi_node *node, REFIID riid,
                        void **out);

/* The base of an item made by this DLL, or NULL for anything else. */
const struct fsi_item_base *fsi_item_unwrap(IUnknown *item);
const struct fsi_item_base *directory_item_unwrap(IUnknown *item);
const struct fsi_item_base *file_item_unwrap(IUnknown *item);

HRESULT directory_item_create(struct file_system_image *owner, struct fsi_node *node,
                              REFIID riid, void **out);
HRESULT file_item_create(struct file_system_image *owner, struct fsi_node *node, REFIID riid,
                         void **out);

/*
 * IMAPI_E_RESTRICTED_NAME_VIOLATION when UseRestrictedCharacterSet is on and `name` leaves
 * the restricted set; S_OK otherwise. Call under the image's lock.
 */
HRESULT fsi_item_check_name(struct file_system_image *owner, const WCHAR *name, size_t length,
                            REFIID iid);

/* Raises the Update events for a file just added to the image (call under the image's lock). */
void directory_item_report_file(struct file_system_image *owner, struct fsi_node *file);

void fsi_item_base_init(struct fsi_item_base *base, struct file_system_image *owner,
                        struct fsi_node *node);
void fsi_item_base_cleanup(struct fsi_item_base *base);

enum fsi_item_time { FSI_ITEM_CREATED, FSI_ITEM_ACCESSED, FSI_ITEM_MODIFIED };

HRESULT fsi_item_get_name(const struct fsi_item_base *base, REFIID iid, BSTR *out);
HRESULT fsi_item_get_full_path(const struct fsi_item_base *base, REFIID iid, BSTR *out);
HRESULT fsi_item_get_time(const struct fsi_item_base *base, REFIID iid, enum fsi_item_time which,
                          DATE *out);
HRESULT fsi_item_put_time(const struct fsi_item_base *base, REFIID iid, enum fsi_item_time which,
                          DATE value);
HRESULT fsi_item_get_hidden(const struct fsi_item_base *base, REFIID iid, VARIANT_BOOL *out);
HRESULT fsi_item_put_hidden(const struct fsi_item_base *base, REFIID iid, VARIANT_BOOL value);
HRESULT fsi_item_file_system_name(const struct fsi_item_base *base, REFIID iid,
                                  FsiFileSystems system, BSTR *out);
HRESULT fsi_item_file_system_path(const struct fsi_item_base *base, REFIID iid,
                                  FsiFileSystems system, BSTR *out);

/* Times: an OLE DATE (days since 1899-12-30, UTC here) and the engine's FILETIME ticks. */
fsi_time fsi_time_from_date(DATE date);
DATE fsi_time_to_date(fsi_time time);
fsi_time fsi_time_now(void);
/* A FILETIME is the engine's time already: the same ticks from the same epoch. */
fsi_time fsi_time_from_filetime(const FILETIME *time);

/*
 * The IFsiItem methods of an item type `type` whose object has a `struct fsi_item_base base`
 * and an impl_from function `impl`; `iid` names the interface errors are raised for.
 */
#define FSI_ITEM_METHODS(prefix, type, impl, iid)                                               \
    static HRESULT WINAPI prefix##_get_Name(type *iface, BSTR *out)                             \
    { return fsi_item_get_name(&impl(iface)->base, iid, out); }                                 \
    static HRESULT WINAPI prefix##_get_FullPath(type *iface, BSTR *out)                         \
    { return fsi_item_get_full_path(&impl(iface)->base, iid, out); }                            \
    static HRESULT WINAPI prefix##_get_CreationTime(type *iface, DATE *out)                     \
    { return fsi_item_get_time(&impl(iface)->base, iid, FSI_ITEM_CREATED, out); }               \
    static HRESULT WINAPI prefix##_put_CreationTime(type *iface, DATE value)                    \
    { return fsi_item_put_time(&impl(iface)->base, iid, FSI_ITEM_CREATED, value); }             \
    static HRESULT WINAPI prefix##_get_LastAccessedTime(type *iface, DATE *out)                 \
    { return fsi_item_get_time(&impl(iface)->base, iid, FSI_ITEM_ACCESSED, out); }              \
    static HRESULT WINAPI prefix##_put_LastAccessedTime(type *iface, DATE value)                \
    { return fsi_item_put_time(&impl(iface)->base, iid, FSI_ITEM_ACCESSED, value); }            \
    static HRESULT WINAPI prefix##_get_LastModifiedTime(type *iface, DATE *out)                 \
    { return fsi_item_get_time(&impl(iface)->base, iid, FSI_ITEM_MODIFIED, out); }              \
    static HRESULT WINAPI prefix##_put_LastModifiedTime(type *iface, DATE value)                \
    { return fsi_item_put_time(&impl(iface)->base, iid, FSI_ITEM_MODIFIED, value); }            \
    static HRESULT WINAPI prefix##_get_IsHidden(type *iface, VARIANT_BOOL *out)                 \
    { return fsi_item_get_hidden(&impl(iface)->base, iid, out); }                               \
    static HRESULT WINAPI prefix##_put_IsHidden(type *iface, VARIANT_BOOL value)                \
    { return fsi_item_put_hidden(&impl(iface)->base, iid, value); }                             \
    static HRESULT WINAPI prefix##_FileSystemName(type *iface, FsiFileSystems system, BSTR *out)\
    { return fsi_item_file_system_name(&impl(iface)->base, iid, system, out); }                 \
    static HRESULT WINAPI prefix##_FileSystemPath(type *iface, FsiFileSystems system, BSTR *out)\
    { return fsi_item_file_system_path(&impl(iface)->base, iid, system, out); }

#define FSI_ITEM_VTABLE_ENTRIES(prefix)                                                         \
    prefix##_get_Name, prefix##_get_FullPath, prefix##_get_CreationTime,                        \
    prefix##_put_CreationTime, prefix##_get_LastAccessedTime, prefix##_put_LastAccessedTime,    \
    prefix##_get_LastModifiedTime, prefix##_put_LastModifiedTime, prefix##_get_IsHidden,        \
    prefix##_put_IsHidden, prefix##_FileSystemName, prefix##_FileSystemPath

#endif
