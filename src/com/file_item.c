/*
 * FsiFileItem (IFsiFileItem, IFsiFileItem2): a file of the image, one made with CreateFileItem
 * and not added yet, or a named stream of a file (IsNamedStream). Its data is a source in the
 * engine's tree: a host file (AddTree; a host file's alternate data stream for
 * AddTreeWithNamedStreams) or the caller's IStream (AddFile, put_Data, AddStream), read only
 * while the image is read. Real-time files and named streams are UDF features: both are kept
 * whatever the file systems, and the caller is told (IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED) when
 * the chosen ones will not record them (real-time from UDF 2.01, streams from UDF 2.00). A
 * stream item is this same object over the stream's node: what only a file has (streams of its
 * own, the real-time flag, new data) is refused on it as Microsoft documents.
 */
#include "fsi_item.h"

#include <shlwapi.h>
#include "dispatch.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "named_streams.h"
#include "openfsi/image.h"
#include "source_stream.h"
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
#define ERROR_IID2 (&IID_IFsiFileItem2)

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
    if (!*out && source->kind == FSI_SOURCE_CALLBACK &&
        FAILED(hr = source_stream_create(source, fsi_node_size(item->base.node), out)))
        *out = NULL;    /* an engine source (an imported file's) that cannot be held */
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
    if (item->base.stream_file)
        return com_error(IMAPI_E_READONLY, ERROR_IID,
                         L"A named stream's data is read-only: to replace it, remove the stream "
                         L"from its file (RemoveStream) and add it again (AddStream).");
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

/* What only a file has, refused on a named stream as documented. */
static HRESULT refuse_on_stream(BOOL real_time)
{
    return com_error(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, ERROR_IID2,
                     real_time ? L"This item is a named stream: named streams have no real-time "
                                 L"attribute."
                               : L"This item is a named stream: named streams cannot have named "
                                 L"streams of their own.");
}

static HRESULT WINAPI file_item_get_FsiNamedStreams(IFsiFileItem2 *iface,
                                                    IFsiNamedStreams **out)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID2, NULL);
    *out = NULL;
    if (item->base.stream_file)
        return refuse_on_stream(FALSE);
    return named_streams_create(item->base.owner, item->base.node, out);
}

static HRESULT WINAPI file_item_get_IsNamedStream(IFsiFileItem2 *iface, VARIANT_BOOL *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID2, NULL);
    *out = impl_from_IFsiFileItem2(iface)->base.stream_file ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* "The file to which the named stream will be added must already exist within the file system
   image" (and the same for RemoveStream). Call under the image's lock. */
static HRESULT check_in_image(struct file_item *item)
{
    if (fsi_node_is_attached(item->base.node))
        return S_OK;
    return com_error(IMAPI_E_NOT_IN_FILE_SYSTEM, ERROR_IID2,
                     L"This file is not in the image yet: add it to a directory of the image "
                     L"before adding or removing its named streams.");
}

static HRESULT check_stream_name(BSTR name)
{
    if (!SysStringLen(name))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID2, L"A named stream needs a name.");
    return S_OK;
}

/* S_OK when FileSystemsToCreate and UDFRevision record named streams (UDF 2.00 and later);
   otherwise the documented success code that says the image will not show them. */
static HRESULT streams_recorded(struct file_item *item)
{
    return file_system_image_udf_revision(item->base.owner) >= FSI_UDF_REVISION_2_00
               ? S_OK
               : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED;
}

static HRESULT WINAPI file_item_AddStream(IFsiFileItem2 *iface, BSTR name, IStream *data)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);
    FILETIME created, accessed, modified;
    struct fsi_source source;
    struct fsi_node *stream;
    enum fsi_status status;
    uint64_t size;
    HRESULT hr;

    if (!data)
        return com_error(E_POINTER, ERROR_IID2, L"AddStream needs the stream's data as an IStream.");
    if (item->base.stream_file)
        return refuse_on_stream(FALSE);
    if (FAILED(hr = check_stream_name(name)))
        return hr;
    /* The size now (Stat); the bytes only when the image is read, as for AddFile. */
    hr = stream_source_create(data, ERROR_IID2, &source, &size, &created, &accessed, &modified);
    if (FAILED(hr))
        return hr;
    file_system_image_enter(item->base.owner);
    hr = check_in_image(item);
    if (SUCCEEDED(hr))
        hr = fsi_item_check_name(item->base.owner, name, SysStringLen(name), ERROR_IID2);
    if (SUCCEEDED(hr)) {
        status = fsi_tree_add_stream(file_system_image_tree(item->base.owner), item->base.node,
                                     (const uint16_t *)name, SysStringLen(name), size, &source,
                                     &stream);
        if (status == FSI_E_INVALID_NAME)
            hr = com_error(IMAPI_E_INVALID_PARAM, ERROR_IID2,
                           L"That is not a valid stream name: no control characters, none of "
                           L"\\ / : * ? \" < > |, at most 255 characters.");
        else if (status == FSI_E_DUPLICATE_NAME)
            hr = com_error(IMAPI_E_DUP_NAME, ERROR_IID2,
                           L"The file already has a named stream of that name (names are "
                           L"compared without regard to case); remove it first to replace it.");
        else if (status != FSI_OK)
            hr = com_error_from_status(status, ERROR_IID2);
        else
            hr = streams_recorded(item);
    }
    file_system_image_leave(item->base.owner);
    if (FAILED(hr))
        stream_source_discard(&source);
    return hr;
}

/* An unknown name is IMAPI_E_ITEM_NOT_FOUND (Microsoft lists no code for it). */
static HRESULT WINAPI file_item_RemoveStream(IFsiFileItem2 *iface, BSTR name)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);
    struct fsi_node *stream;
    HRESULT hr;

    if (item->base.stream_file)
        return refuse_on_stream(FALSE);
    if (FAILED(hr = check_stream_name(name)))
        return hr;
    file_system_image_enter(item->base.owner);
    hr = check_in_image(item);
    if (SUCCEEDED(hr)) {
        stream = fsi_node_find_stream(item->base.node, (const uint16_t *)name, SysStringLen(name));
        if (!stream)
            hr = com_error(IMAPI_E_ITEM_NOT_FOUND, ERROR_IID2,
                           L"The file has no named stream of that name.");
        else
            hr = com_error_from_status(
                fsi_tree_remove_stream(file_system_image_tree(item->base.owner), stream),
                ERROR_IID2);
    }
    file_system_image_leave(item->base.owner);
    return hr;
}

static HRESULT WINAPI file_item_get_IsRealTime(IFsiFileItem2 *iface, VARIANT_BOOL *out)
{
    struct file_item *item = impl_from_IFsiFileItem2(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID2, NULL);
    if (item->base.stream_file)
        return refuse_on_stream(TRUE);
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

    if (item->base.stream_file)
        return refuse_on_stream(TRUE);
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
