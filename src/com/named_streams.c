/* FsiNamedStreams (named_streams.h): an empty collection of named streams. */
#include "named_streams.h"
#include "dispatch.h"
#include "enum_fsi_items.h"
#include "error_info.h"
#include "imapi2fserror.h"

struct named_streams {
    IFsiNamedStreams IFsiNamedStreams_iface;
    struct error_support errors;
    LONG ref;
};

static const IID *const named_streams_error_iids[] = { &IID_IFsiNamedStreams, NULL };

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
        HeapFree(GetProcessHeap(), 0, streams);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(named_streams, IFsiNamedStreams, TID_IFsiNamedStreams)

static HRESULT WINAPI named_streams_get__NewEnum(IFsiNamedStreams *iface, IEnumVARIANT **out)
{
    HRESULT hr;

    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IFsiNamedStreams, NULL);
    hr = enum_fsi_items_create(NULL, NULL, 0, &IID_IEnumVARIANT, (void **)out);
    return FAILED(hr) ? com_error(hr, &IID_IFsiNamedStreams, NULL) : hr;
}

static HRESULT WINAPI named_streams_get_Item(IFsiNamedStreams *iface, LONG index,
                                             IFsiFileItem2 **out)
{
    (void)iface;
    (void)index;
    if (!out)
        return com_error(E_POINTER, &IID_IFsiNamedStreams, NULL);
    *out = NULL;
    return com_error(E_INVALIDARG, &IID_IFsiNamedStreams,
                     L"The index is out of range: the file has no named streams.");
}

static HRESULT WINAPI named_streams_get_Count(IFsiNamedStreams *iface, LONG *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IFsiNamedStreams, NULL);
    *out = 0;
    return S_OK;
}

static HRESULT WINAPI named_streams_get_EnumNamedStreams(IFsiNamedStreams *iface,
                                                         IEnumFsiItems **out)
{
    HRESULT hr;

    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IFsiNamedStreams, NULL);
    hr = enum_fsi_items_create(NULL, NULL, 0, &IID_IEnumFsiItems, (void **)out);
    return FAILED(hr) ? com_error(hr, &IID_IFsiNamedStreams, NULL) : hr;
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

HRESULT named_streams_create_empty(IFsiNamedStreams **out)
{
    struct named_streams *streams;

    *out = NULL;
    streams = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*streams));
    if (!streams)
        return com_error(E_OUTOFMEMORY, &IID_IFsiNamedStreams, NULL);
    streams->IFsiNamedStreams_iface.lpVtbl = &named_streams_vtbl;
    error_support_init(&streams->errors, (IUnknown *)&streams->IFsiNamedStreams_iface,
                       named_streams_error_iids);
    streams->ref = 1;
    module_lock();
    *out = &streams->IFsiNamedStreams_iface;
    return S_OK;
}
