/*
 * FsiFileItem (IFsiFileItem, IFsiFileItem2): a file of the image, or one made with
 * CreateFileItem and not added yet. Its data is a source in the engine's tree: a host file
 * (AddTree) or the caller's IStream (AddFile, put_Data), read only while the image is read.
 * Named streams and real-time files are UDF features: the real-time flag is kept and recorded
 * by UDF 2.01 and later (the caller is told when the chosen file systems will not show it);
 * named streams are refused with E_NOTIMPL and a message, as the UDF writer does not record them
 * yet (README: status).
 */
#include "fsi_item.h"

#include <shlwapi.h>
#include "dispatch.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "named_streams.h"
#include "openfsi/image.h"
#include "stream_source.h"

struct file_item {
    IFsiFileItem2 IFsiFileItem2_iface;
    struct error_support errors;
    LONG ref;
    struct fsi_item_base base;
};

static const IID *const file_item_error_iids[] = {
    &IID_IFsiItem, &IID_IFsiFileItem, &IID_IFsiFileItem2, NULL
};

#define ERROR_IID (&IID_IFsiFileItem)

static inline struct file_item *impl_from_IFsiFileItem2(IFsiFileItem2 *iface)
{
    return CONTAINING_RECORD(iface, struct file_item, IFsiFileItem2_iface);
}

static HRESULT WINAPI file_item_QueryInterface(IFsiFileItem2 *iface, REFIID riid, void **out)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IFsiItem) || IsEqualIID(riid, &IID_IFsiFileItem) ||
        IsEqualIID(riid, &IID_IFsiFileItem2))
        *out = &item->IFsiFileItem2_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &item->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI file_item_AddRef(IFsiFileItem2 *iface)
{
    return InterlockedIncrement(&impl_from_IFsiFileItem2(iface)->ref);
}

static ULONG WINAPI file_item_Release(IFsiFileItem2 *iface)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);
    ULONG ref = InterlockedDecrement(&item->ref);

    if (!ref) {
        fsi_item_base_cleanup(&item->base);
        HeapFree(GetProcessHeap(), 0, item);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(file_item, IFsiFileItem2, TID_IFsiFileItem2)
FSI_ITEM_METHODS(file_item, IFsiFileItem2, impl_from_IFsiFileItem2, ERROR_IID)

static uint64_t data_size(struct file_item *item)
{
    uint64_t size;

    file_system_image_enter(item->base.owner);
    size = fsi_node_size(item->base.node);
    file_system_image_leave(item->base.owner);
    return size;
}

static HRESULT WINAPI file_item_get_DataSize(IFsiFileItem2 *iface, LONGLONG *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = (LONGLONG)data_size(impl_from_IFsiFileItem2(iface));
    return S_OK;
}

static HRESULT WINAPI file_item_get_DataSize32BitLow(IFsiFileItem2 *iface, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = (LONG)(data_size(impl_from_IFsiFileItem2(iface)) & 0xFFFFFFFFu);
    return S_OK;
}

static HRESULT WINAPI file_item_get_DataSize32BitHigh(IFsiFileItem2 *iface, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = (LONG)(data_size(impl_from_IFsiFileItem2(iface)) >> 32);
    return S_OK;
}

/* A read stream over a host file, opened by its UTF-16 name. */
static HRESULT open_host_file(const char *utf8_path, IStream **out)
{
    int units = MultiByteToWideChar(CP_UTF8, 0, utf8_path, -1, NULL, 0);
    WCHAR *path = units > 0 ? HeapAlloc(GetProcessHeap(), 0, units * sizeof(WCHAR)) : NULL;
    HRESULT hr;

    if (!path)
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    MultiByteToWideChar(CP_UTF8, 0, utf8_path, -1, path, units);
    hr = SHCreateStreamOnFileEx(path, STGM_READ | STGM_SHARE_DENY_NONE, FILE_ATTRIBUTE_NORMAL,
                                FALSE, NULL, out);
    HeapFree(GetProcessHeap(), 0, path);
    if (FAILED(hr))
        return com_error(IMAPI_E_DATA_STREAM_CREATE_FAILURE, ERROR_IID,
                         L"The file this item was added from cannot be opened any more.");
    return S_OK;
}

static HRESULT WINAPI file_item_get_Data(IFsiFileItem2 *iface, IStream **out)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);
    const struct fsi_source *source;
    char *host_path = NULL;
    HRESULT hr = S_OK;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    file_system_image_enter(item->base.owner);
    source = fsi_node_source(item->base.node);
    *out = stream_source_stream(source);
    if (!*out && source->kind == FSI_SOURCE_HOST_FILE) {
        size_t length = strlen(source->u.host_path) + 1;
        host_path = HeapAlloc(GetProcessHeap(), 0, length);
        if (host_path)
            memcpy(host_path, source->u.host_path, length);
        else
            hr = E_OUTOFMEMORY;
    }
    file_system_image_leave(item->base.owner);
    if (*out) {
        /* The caller gets the stream the data comes from, at its start. */
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        IStream_Seek(*out, zero, STREAM_SEEK_SET, NULL);
        return S_OK;
    }
    if (host_path) {
        hr = open_host_file(host_path, out);
        HeapFree(GetProcessHeap(), 0, host_path);
        return hr;
    }
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, NULL);
    /* An empty file: an empty stream. */
    hr = CreateStreamOnHGlobal(NULL, TRUE, out);
    return FAILED(hr) ? com_error(hr, ERROR_IID, NULL) : S_OK;
}

static HRESULT WINAPI file_item_put_Data(IFsiFileItem2 *iface, IStream *data)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);
    FILETIME created, accessed, modified;
    struct fsi_source source;
    enum fsi_status status;
    uint64_t size;
    HRESULT hr;

    if (!data)
        return com_error(E_POINTER, ERROR_IID, L"put_Data needs the file's data as an IStream.");
    hr = stream_source_create(data, ERROR_IID, &source, &size, &created, &accessed, &modified);
    if (FAILED(hr))
        return hr;
    file_system_image_enter(item->base.owner);
    /* "The contents of the file becomes read-only once the file item is added." */
    if (fsi_node_is_attached(item->base.node)) {
        file_system_image_leave(item->base.owner);
        stream_source_discard(&source);
        return com_error(IMAPI_E_READONLY, ERROR_IID,
                         L"The file is in the image, so its data is read-only: remove it and add "
                         L"a new item to replace it.");
    }
    status = fsi_tree_set_file_data(file_system_image_tree(item->base.owner), item->base.node,
                                    size, &source);
    file_system_image_leave(item->base.owner);
    if (status != FSI_OK) {
        stream_source_discard(&source);
        return com_error_from_status(status, ERROR_IID);
    }
    return S_OK;
}

static HRESULT WINAPI file_item_get_FsiNamedStreams(IFsiFileItem2 *iface,
                                                    IFsiNamedStreams **out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    return named_streams_create_empty(out);
}

static HRESULT WINAPI file_item_get_IsNamedStream(IFsiFileItem2 *iface, VARIANT_BOOL *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI file_item_AddStream(IFsiFileItem2 *iface, BSTR name, IStream *data)
{
    (void)iface;
    if (!name || !data)
        return com_error(E_POINTER, ERROR_IID, NULL);
    return com_error(E_NOTIMPL, &IID_IFsiFileItem2,
                     L"Named streams are not written yet: openfsi's UDF writer does not record "
                     L"them (see the status table in README.md).");
}

static HRESULT WINAPI file_item_RemoveStream(IFsiFileItem2 *iface, BSTR name)
{
    (void)iface;
    if (!name)
        return com_error(E_POINTER, ERROR_IID, NULL);
    return com_error(IMAPI_E_ITEM_NOT_FOUND, &IID_IFsiFileItem2,
                     L"The file has no named stream of that name.");
}

static HRESULT WINAPI file_item_get_IsRealTime(IFsiFileItem2 *iface, VARIANT_BOOL *out)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    file_system_image_enter(item->base.owner);
    *out = fsi_node_is_realtime(item->base.node) ? VARIANT_TRUE : VARIANT_FALSE;
    file_system_image_leave(item->base.owner);
    return S_OK;
}

/* Recorded either way; only UDF 2.01 and later mark a file real-time, so setting it with no such
   UDF in FileSystemsToCreate says, as Microsoft documents, that the image will not show it. */
static HRESULT WINAPI file_item_put_IsRealTime(IFsiFileItem2 *iface, VARIANT_BOOL value)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);
    BOOL recorded;

    file_system_image_enter(item->base.owner);
    fsi_node_set_realtime(item->base.node, value != VARIANT_FALSE);
    recorded = file_system_image_udf_revision(item->base.owner) >= FSI_UDF_REVISION_2_01;
    file_system_image_leave(item->base.owner);
    return value == VARIANT_FALSE || recorded ? S_OK : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED;
}

static const IFsiFileItem2Vtbl file_item_vtbl = {
    file_item_QueryInterface,
    file_item_AddRef,
    file_item_Release,
    file_item_GetTypeInfoCount,
    file_item_GetTypeInfo,
    file_item_GetIDsOfNames,
    file_item_Invoke,
    FSI_ITEM_VTABLE_ENTRIES(file_item),
    file_item_get_DataSize,
    file_item_get_DataSize32BitLow,
    file_item_get_DataSize32BitHigh,
    file_item_get_Data,
    file_item_put_Data,
    file_item_get_FsiNamedStreams,
    file_item_get_IsNamedStream,
    file_item_AddStream,
    file_item_RemoveStream,
    file_item_get_IsRealTime,
    file_item_put_IsRealTime,
};

const struct fsi_item_base *file_item_unwrap(IUnknown *unknown)
{
    IFsiFileItem2 *iface = (IFsiFileItem2 *)unknown;

    if (!unknown || iface->lpVtbl != &file_item_vtbl)
        return NULL;
    return &impl_from_IFsiFileItem2(iface)->base;
}

HRESULT file_item_create(struct file_system_image *owner, struct fsi_node *node, REFIID riid,
                         void **out)
{
    struct file_item *item;
    HRESULT hr;

    item = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*item));
    if (!item)
        return E_OUTOFMEMORY;
    item->IFsiFileItem2_iface.lpVtbl = &file_item_vtbl;
    error_support_init(&item->errors, (IUnknown *)&item->IFsiFileItem2_iface,
                       file_item_error_iids);
    item->ref = 1;
    fsi_item_base_init(&item->base, owner, node);
    module_lock();
    hr = file_item_QueryInterface(&item->IFsiFileItem2_iface, riid, out);
    file_item_Release(&item->IFsiFileItem2_iface);
    return hr;
}
