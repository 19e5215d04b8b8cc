/*
 * FsiDirectoryItem (IFsiDirectoryItem, IFsiDirectoryItem2): a directory of the image, or one
 * made with CreateDirectoryItem and not added yet. It lists, finds, adds and removes items
 * through the engine's tree; paths are relative to this directory. Walking a folder of the
 * host for AddTree lives in host_tree.c.
 */
#include "fsi_item.h"
#include "dispatch.h"
#include "enum_fsi_items.h"
#include "error_info.h"
#include "host_tree.h"
#include "imapi2fserror.h"
#include "openfsi/image.h"
#include "stream_source.h"

struct directory_item {
    IFsiDirectoryItem2 IFsiDirectoryItem2_iface;
    struct error_support errors;
    LONG ref;
    struct fsi_item_base base;
};

static const IID *const directory_item_error_iids[] = {
    &IID_IFsiItem, &IID_IFsiDirectoryItem, &IID_IFsiDirectoryItem2, NULL
};

#define ERROR_IID (&IID_IFsiDirectoryItem)

static inline struct directory_item *impl_from_IFsiDirectoryItem2(IFsiDirectoryItem2 *iface)
{
    return CONTAINING_RECORD(iface, struct directory_item, IFsiDirectoryItem2_iface);
}

static HRESULT WINAPI directory_item_QueryInterface(IFsiDirectoryItem2 *iface, REFIID riid,
                                                    void **out)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IFsiItem) || IsEqualIID(riid, &IID_IFsiDirectoryItem) ||
        IsEqualIID(riid, &IID_IFsiDirectoryItem2))
        *out = &item->IFsiDirectoryItem2_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &item->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI directory_item_AddRef(IFsiDirectoryItem2 *iface)
{
    return InterlockedIncrement(&impl_from_IFsiDirectoryItem2(iface)->ref);
}

static ULONG WINAPI directory_item_Release(IFsiDirectoryItem2 *iface)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);
    ULONG ref = InterlockedDecrement(&item->ref);

    if (!ref) {
        fsi_item_base_cleanup(&item->base);
        HeapFree(GetProcessHeap(), 0, item);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(directory_item, IFsiDirectoryItem2, TID_IFsiDirectoryItem2)
FSI_ITEM_METHODS(directory_item, IFsiDirectoryItem2, impl_from_IFsiDirectoryItem2, ERROR_IID)

/* The children of this directory as a new enumerator. */
static HRESULT enumerate_children(struct directory_item *item, REFIID riid, void **out)
{
    struct fsi_node *node = item->base.node, **children;
    size_t count, i;
    HRESULT hr;

    file_system_image_enter(item->base.owner);
    count = fsi_node_child_count(node);
    children = HeapAlloc(GetProcessHeap(), 0, (count ? count : 1) * sizeof(*children));
    if (children) {
        for (i = 0; i < count; i++)
            children[i] = fsi_node_child(node, i);
        hr = enum_fsi_items_create(item->base.owner, children, count, riid, out);
        HeapFree(GetProcessHeap(), 0, children);
    } else {
        hr = E_OUTOFMEMORY;
    }
    file_system_image_leave(item->base.owner);
    return FAILED(hr) ? com_error(hr, ERROR_IID, NULL) : hr;
}

static HRESULT WINAPI directory_item_get__NewEnum(IFsiDirectoryItem2 *iface, IEnumVARIANT **out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    return enumerate_children(impl_from_IFsiDirectoryItem2(iface), &IID_IEnumVARIANT,
                              (void **)out);
}

static HRESULT WINAPI directory_item_get_EnumFsiItems(IFsiDirectoryItem2 *iface,
                                                      IEnumFsiItems **out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    return enumerate_children(impl_from_IFsiDirectoryItem2(iface), &IID_IEnumFsiItems,
                              (void **)out);
}

/* A path argument that names at least one item. */
static HRESULT check_path(BSTR path)
{
    if (!path || !SysStringLen(path))
        return com_error(IMAPI_E_INVALID_PATH, ERROR_IID, L"The path is empty.");
    return S_OK;
}

static HRESULT WINAPI directory_item_get_Item(IFsiDirectoryItem2 *iface, BSTR path,
                                              IFsiItem **out)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);
    struct fsi_node *found;
    enum fsi_status status;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    if (FAILED(hr = check_path(path)))
        return hr;
    file_system_image_enter(item->base.owner);
    status = fsi_tree_lookup(file_system_image_tree(item->base.owner), item->base.node,
                             (const uint16_t *)path, SysStringLen(path), &found);
    hr = status == FSI_OK ? fsi_item_create(item->base.owner, found, &IID_IFsiItem, (void **)out)
                          : com_error_from_status(status, ERROR_IID);
    file_system_image_leave(item->base.owner);
    return hr;
}

static HRESULT WINAPI directory_item_get_Count(IFsiDirectoryItem2 *iface, LONG *out)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    file_system_image_enter(item->base.owner);
    *out = (LONG)fsi_node_child_count(item->base.node);
    file_system_image_leave(item->base.owner);
    return S_OK;
}

/* "You can add and remove files and directories only after the directory item has been added
   to the file system image." Call under the image's lock. */
static HRESULT check_in_image(struct directory_item *item)
{
    if (fsi_node_is_attached(item->base.node))
        return S_OK;
    return com_error(IMAPI_E_NOT_IN_FILE_SYSTEM, ERROR_IID,
                     L"This directory is not in the image yet: add it to a directory of the "
                     L"image before adding or removing items in it.");
}

/* Update events for a file just added (DFileSystemImageEvents: before its first sector and
   after its last; nothing is copied now, the data is read when the image is). */
void directory_item_report_file(struct file_system_image *owner, struct fsi_node *file)
{
    uint64_t sectors = (fsi_node_size(file) + 2047) / 2048;
    LONG total = sectors > 0x7FFFFFFF ? 0x7FFFFFFF : (LONG)sectors;
    size_t length = fsi_node_path(file, NULL, 0);
    WCHAR *path = HeapAlloc(GetProcessHeap(), 0, (length + 1) * sizeof(WCHAR));

    if (!path)
        return;
    fsi_node_path(file, (uint16_t *)path, length);
    path[length] = 0;
    file_system_image_fire_update(owner, path, 0, total);
    if (total)
        file_system_image_fire_update(owner, path, total, total);
    HeapFree(GetProcessHeap(), 0, path);
}

/* Finds the directory `path` would go in and its last part, under the image's lock. */
static HRESULT find_parent(struct directory_item *item, BSTR path, struct fsi_node **parent,
                           const uint16_t **leaf, size_t *leaf_length)
{
    enum fsi_status status;
    HRESULT hr;

    if (FAILED(hr = check_path(path)) || FAILED(hr = check_in_image(item)))
        return hr;
    status = fsi_tree_lookup_parent(file_system_image_tree(item->base.owner), item->base.node,
                                    (const uint16_t *)path, SysStringLen(path), parent, leaf,
                                    leaf_length);
    if (status == FSI_E_NOT_FOUND)
        return com_error(IMAPI_E_DIR_NOT_FOUND, ERROR_IID,
                         L"A directory on the path does not exist in the image.");
    return status == FSI_OK ? S_OK : com_error_from_status(status, ERROR_IID);
}

static HRESULT WINAPI directory_item_AddDirectory(IFsiDirectoryItem2 *iface, BSTR path)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);
    struct fsi_node *parent, *added;
    const uint16_t *leaf;
    size_t leaf_length;
    enum fsi_status status;
    HRESULT hr;

    file_system_image_enter(item->base.owner);
    hr = find_parent(item, path, &parent, &leaf, &leaf_length);
    if (SUCCEEDED(hr))
        hr = fsi_item_check_name(item->base.owner, leaf, leaf_length, ERROR_IID);
    if (SUCCEEDED(hr)) {
        status = fsi_tree_add_directory(file_system_image_tree(item->base.owner), parent, leaf,
                                        leaf_length, &added);
        if (status == FSI_OK) {
            fsi_time now = fsi_time_now();
            fsi_node_set_times(added, now, now, now);
        } else {
            hr = com_error_from_status(status, ERROR_IID);
        }
    }
    file_system_image_leave(item->base.owner);
    return hr;
}

/* A stream's time, or `otherwise` when the stream gives none. */
static fsi_time ticks_of(const FILETIME *time, fsi_time otherwise)
{
    fsi_time ticks = fsi_time_from_filetime(time);
    return ticks ? ticks : otherwise;
}

static HRESULT WINAPI directory_item_AddFile(IFsiDirectoryItem2 *iface, BSTR path,
                                             IStream *data)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);
    FILETIME created, accessed, modified;
    struct fsi_node *parent, *added;
    struct fsi_source source;
    const uint16_t *leaf;
    size_t leaf_length;
    enum fsi_status status;
    uint64_t size;
    HRESULT hr;

    if (!data)
        return com_error(E_POINTER, ERROR_IID, L"AddFile needs the file's data as an IStream.");
    hr = stream_source_create(data, ERROR_IID, &source, &size, &created, &accessed, &modified);
    if (FAILED(hr))
        return hr;
    file_system_image_enter(item->base.owner);
    hr = find_parent(item, path, &parent, &leaf, &leaf_length);
    if (SUCCEEDED(hr))
        hr = fsi_item_check_name(item->base.owner, leaf, leaf_length, ERROR_IID);
    if (SUCCEEDED(hr)) {
        status = fsi_tree_add_file(file_system_image_tree(item->base.owner), parent, leaf,
                                   leaf_length, size, &source, &added);
        if (status == FSI_OK) {
            fsi_time now = fsi_time_now();
            fsi_node_set_times(added, ticks_of(&created, now), ticks_of(&accessed, now),
                               ticks_of(&modified, now));
            directory_item_report_file(item->base.owner, added);
        } else {
            hr = com_error_from_status(status, ERROR_IID);
        }
    }
    file_system_image_leave(item->base.owner);
    if (FAILED(hr))
        stream_source_discard(&source);
    return hr;
}

static HRESULT add_tree(IFsiDirectoryItem2 *iface, BSTR source, VARIANT_BOOL include_base,
                        BOOL with_streams)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);

    HRESULT hr;

    if (!source || !SysStringLen(source))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID, L"The source directory path is empty.");
    file_system_image_enter(item->base.owner);
    hr = check_in_image(item);
    file_system_image_leave(item->base.owner);
    if (FAILED(hr))
        return hr;
    return host_tree_add(item->base.owner, item->base.node, source, include_base != VARIANT_FALSE,
                         with_streams, ERROR_IID);
}

static HRESULT WINAPI directory_item_AddTree(IFsiDirectoryItem2 *iface, BSTR source,
                                             VARIANT_BOOL include_base)
{
    return add_tree(iface, source, include_base, FALSE);
}

static HRESULT WINAPI directory_item_Add(IFsiDirectoryItem2 *iface, IFsiItem *added)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);
    const struct fsi_item_base *other;
    enum fsi_status status;
    HRESULT hr;

    if (!added)
        return com_error(E_POINTER, ERROR_IID, NULL);
    other = fsi_item_unwrap((IUnknown *)added);
    if (!other || other->owner != item->base.owner)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"Only items made by this file system image can be added to it.");
    if (other->stream_file)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"A named stream belongs to its file and cannot be put into a "
                         L"directory: add a file item made with CreateFileItem instead.");
    file_system_image_enter(item->base.owner);
    if (FAILED(hr = check_in_image(item))) {
        file_system_image_leave(item->base.owner);
        return hr;
    }
    status = fsi_tree_attach(file_system_image_tree(item->base.owner), item->base.node,
                             other->node);
    if (status == FSI_OK && !fsi_node_is_directory(other->node))
        directory_item_report_file(item->base.owner, other->node);
    file_system_image_leave(item->base.owner);
    if (status == FSI_E_INVALID_ARGUMENT)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"The item is already in a directory, or this directory lies inside it.");
    return status == FSI_OK ? S_OK : com_error_from_status(status, ERROR_IID);
}

static HRESULT remove_path(struct directory_item *item, BSTR path, int recursive)
{
    struct fsi_tree *tree = file_system_image_tree(item->base.owner);
    struct fsi_node *found;
    enum fsi_status status;
    HRESULT hr;

    if (!path)
        return com_error(IMAPI_E_INVALID_PATH, ERROR_IID, L"The path is empty.");
    file_system_image_enter(item->base.owner);
    if (FAILED(hr = check_in_image(item))) {
        file_system_image_leave(item->base.owner);
        return hr;
    }
    status = fsi_tree_lookup(tree, item->base.node, (const uint16_t *)path, SysStringLen(path),
                             &found);
    if (status == FSI_OK && found == item->base.node && recursive) {
        /* RemoveTree("\\") on a directory empties it: on the root, the whole image. */
        while (status == FSI_OK && fsi_node_child_count(found))
            status = fsi_tree_remove(tree, fsi_node_child(found, fsi_node_child_count(found) - 1),
                                     1);
    } else if (status == FSI_OK && found == item->base.node) {
        status = FSI_E_INVALID_PATH;
    } else if (status == FSI_OK && recursive && !fsi_node_is_directory(found)) {
        hr = com_error(IMAPI_E_NOT_DIR, ERROR_IID,
                       L"RemoveTree removes directories: use Remove for a file.");
    } else if (status == FSI_OK) {
        status = fsi_tree_remove(tree, found, recursive);
    } else if (status == FSI_E_NOT_FOUND && recursive) {
        hr = com_error(IMAPI_E_DIR_NOT_FOUND, ERROR_IID, L"The directory does not exist.");
    }
    file_system_image_leave(item->base.owner);
    if (FAILED(hr))
        return hr;
    return status == FSI_OK ? S_OK : com_error_from_status(status, ERROR_IID);
}

static HRESULT WINAPI directory_item_Remove(IFsiDirectoryItem2 *iface, BSTR path)
{
    return remove_path(impl_from_IFsiDirectoryItem2(iface), path, 0);
}

static HRESULT WINAPI directory_item_RemoveTree(IFsiDirectoryItem2 *iface, BSTR path)
{
    return remove_path(impl_from_IFsiDirectoryItem2(iface), path, 1);
}

/* AddTree, with each file's alternate data streams as its named streams (host_tree.h). As
   Microsoft documents, success is IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED when FileSystemsToCreate
   and UDFRevision do not record named streams (UDF 2.00 and later): they are kept all the same. */
static HRESULT WINAPI directory_item_AddTreeWithNamedStreams(IFsiDirectoryItem2 *iface,
                                                             BSTR source,
                                                             VARIANT_BOOL include_base)
{
    struct directory_item *item = impl_from_IFsiDirectoryItem2(iface);
    HRESULT hr = add_tree(iface, source, include_base, TRUE);
    uint32_t revision;

    if (FAILED(hr))
        return hr;
    file_system_image_enter(item->base.owner);
    revision = file_system_image_udf_revision(item->base.owner);
    file_system_image_leave(item->base.owner);
    return revision >= FSI_UDF_REVISION_2_00 ? S_OK : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED;
}

static const IFsiDirectoryItem2Vtbl directory_item_vtbl = {
    directory_item_QueryInterface,
    directory_item_AddRef,
    directory_item_Release,
    directory_item_GetTypeInfoCount,
    directory_item_GetTypeInfo,
    directory_item_GetIDsOfNames,
    directory_item_Invoke,
    FSI_ITEM_VTABLE_ENTRIES(directory_item),
    directory_item_get__NewEnum,
    directory_item_get_Item,
    directory_item_get_Count,
    directory_item_get_EnumFsiItems,
    directory_item_AddDirectory,
    directory_item_AddFile,
    directory_item_AddTree,
    directory_item_Add,
    directory_item_Remove,
    directory_item_RemoveTree,
    directory_item_AddTreeWithNamedStreams,
};

const struct fsi_item_base *directory_item_unwrap(IUnknown *unknown)
{
    IFsiDirectoryItem2 *iface = (IFsiDirectoryItem2 *)unknown;

    if (!unknown || iface->lpVtbl != &directory_item_vtbl)
        return NULL;
    return &impl_from_IFsiDirectoryItem2(iface)->base;
}

HRESULT directory_item_create(struct file_system_image *owner, struct fsi_node *node,
                              REFIID riid, void **out)
{
    struct directory_item *item;
    HRESULT hr;

    item = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*item));
    if (!item)
        return E_OUTOFMEMORY;
    item->IFsiDirectoryItem2_iface.lpVtbl = &directory_item_vtbl;
    error_support_init(&item->errors, (IUnknown *)&item->IFsiDirectoryItem2_iface,
                       directory_item_error_iids);
    item->ref = 1;
    fsi_item_base_init(&item->base, owner, node);
    module_lock();
    hr = directory_item_QueryInterface(&item->IFsiDirectoryItem2_iface, riid, out);
    directory_item_Release(&item->IFsiDirectoryItem2_iface);
    return hr;
}
