/*
 * FsiNamedStreams (named_streams.h): a view of one file's streams in the engine's tree, read
 * under the image's lock on every call. It holds its image, never the items it hands out.
 */
#include "named_streams.h"
#include "dispatch.h"
#include "enum_fsi_items.h"
#include "error_info.h"
#include "fsi_item.h"
#include "imapi2fserror.h"

struct named_streams {
    IFsiNamedStreams IFsiNamedStreams_iface;
    struct error_support errors;
    LONG ref;
    struct file_system_image *owner;    /* holds a reference */
    struct fsi_node *file;
};

static const IID *const named_streams_error_iids[] = { &IID_IFsiNamedStreams, NULL };

#define ERROR_IID (&IID_IFsiNamedStreams)

static inline struct named_streams *impl_from_IFsiNamedStreams(IFsiNamedStreams *iface)
{
    return CONTAINING_RECORD(iface, struct named_streams, IFsiNamedStreams_iface);
}

static HRESULT WINAPI named_streams_QueryInterface(IFsiNamedStreams *iface, REFIID riid,
                                                   void **out)
{
    struct named_streams *streams = impl_from_IFsiNamedStreams(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IFsiNamedStreams))
        *out = &streams->IFsiNamedStreams_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &streams->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI named_streams_AddRef(IFsiNamedStreams *iface)
{
    return InterlockedIncrement(&impl_from_IFsiNamedStreams(iface)->ref);
}

static ULONG WINAPI named_streams_Release(IFsiNamedStreams *iface)
{
    struct named_streams *streams = impl_from_IFsiNamedStreams(iface);
    ULONG ref = InterlockedDecrement(&streams->ref);

    if (!ref) {
        file_system_image_release(streams->owner);
        HeapFree(GetProcessHeap(), 0, streams);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(named_streams, IFsiNamedStreams, TID_IFsiNamedStreams)

/* An enumerator over the file's streams as they are now. */
static HRESULT enumerate_streams(struct named_streams *streams, REFIID riid, void **out)
{
    struct fsi_node **nodes;
    uint32_t count, i;
    HRESULT hr;

    file_system_image_enter(streams->owner);
    count = fsi_node_stream_count(streams->file);
    nodes = HeapAlloc(GetProcessHeap(), 0, (count ? count : 1) * sizeof(*nodes));
    if (nodes) {
        for (i = 0; i < count; i++)
            nodes[i] = fsi_node_stream(streams->file, i);
        hr = enum_fsi_items_create(streams->owner, nodes, count, riid, out);
        HeapFree(GetProcessHeap(), 0, nodes);
    } else {
        hr = E_OUTOFMEMORY;
    }
    file_system_image_leave(streams->owner);
    return FAILED(hr) ? com_error(hr, ERROR_IID, NULL) : hr;
}

static HRESULT WINAPI named_streams_get__NewEnum(IFsiNamedStreams *iface, IEnumVARIANT **out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    return enumerate_streams(impl_from_IFsiNamedStreams(iface), &IID_IEnumVARIANT, (void **)out);
}

/* "The index number is zero-based"; out of range (or negative) is IMAPI_E_INVALID_PARAM. */
static HRESULT WINAPI named_streams_get_Item(IFsiNamedStreams *iface, LONG index,
                                             IFsiFileItem2 **out)
{
    struct named_streams *streams = impl_from_IFsiNamedStreams(iface);
    struct fsi_node *stream;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    file_system_image_enter(streams->owner);
    stream = index >= 0 ? fsi_node_stream(streams->file, (uint32_t)index) : NULL;
    hr = stream ? file_item_create(streams->owner, stream, &IID_IFsiFileItem2, (void **)out)
                : com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                            L"The index is out of range: named streams are counted from 0 to "
                            L"Count - 1.");
    file_system_image_leave(streams->owner);
    return hr;
}

static HRESULT WINAPI named_streams_get_Count(IFsiNamedStreams *iface, LONG *out)
{
    struct named_streams *streams = impl_from_IFsiNamedStreams(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    file_system_image_enter(streams->owner);
    *out = (LONG)fsi_node_stream_count(streams->file);
    file_system_image_leave(streams->owner);
    return S_OK;
}

static HRESULT WINAPI named_streams_get_EnumNamedStreams(IFsiNamedStreams *iface,
                                                         IEnumFsiItems **out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    return enumerate_streams(impl_from_IFsiNamedStreams(iface), &IID_IEnumFsiItems, (void **)out);
}

static const IFsiNamedStreamsVtbl named_streams_vtbl = {
    named_streams_QueryInterface,
    named_streams_AddRef,
    named_streams_Release,
    named_streams_GetTypeInfoCount,
    named_streams_GetTypeInfo,
    named_streams_GetIDsOfNames,
    named_streams_Invoke,
    named_streams_get__NewEnum,
    named_streams_get_Item,
    named_streams_get_Count,
    named_streams_get_EnumNamedStreams,
};

HRESULT named_streams_create(struct file_system_image *owner, struct fsi_node *file,
                             IFsiNamedStreams **out)
{
    struct named_streams *streams;

    *out = NULL;
    streams = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*streams));
    if (!streams)
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    streams->IFsiNamedStreams_iface.lpVtbl = &named_streams_vtbl;
    error_support_init(&streams->errors, (IUnknown *)&streams->IFsiNamedStreams_iface,
                       named_streams_error_iids);
    streams->ref = 1;
    streams->owner = owner;
    streams->file = file;
    file_system_image_addref(owner);
    module_lock();
    *out = &streams->IFsiNamedStreams_iface;
    return S_OK;
}
