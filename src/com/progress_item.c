/*
 * ProgressItem (IProgressItem): one described run of sectors of a result image — a file's data
 * or a part of the file-system metadata — that a burning program shows while the recorder writes
 * those sectors. It holds a copy of the description and the two block numbers, nothing more.
 */
#include "image_result.h"
#include "dispatch.h"
#include "error_info.h"

struct progress_item {
    IProgressItem IProgressItem_iface;
    struct error_support errors;
    LONG ref;
    BSTR description;
    ULONG first;
    ULONG last;
};

static const IID *const progress_item_error_iids[] = { &IID_IProgressItem, NULL };

static inline struct progress_item *impl_from_IProgressItem(IProgressItem *iface)
{
    return CONTAINING_RECORD(iface, struct progress_item, IProgressItem_iface);
}

static HRESULT WINAPI progress_item_QueryInterface(IProgressItem *iface, REFIID riid, void **out)
{
    struct progress_item *item = impl_from_IProgressItem(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IProgressItem))
        *out = &item->IProgressItem_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &item->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI progress_item_AddRef(IProgressItem *iface)
{
    return InterlockedIncrement(&impl_from_IProgressItem(iface)->ref);
}

static ULONG WINAPI progress_item_Release(IProgressItem *iface)
{
    struct progress_item *item = impl_from_IProgressItem(iface);
    ULONG ref = InterlockedDecrement(&item->ref);

    if (!ref) {
        SysFreeString(item->description);
        HeapFree(GetProcessHeap(), 0, item);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(progress_item, IProgressItem, TID_IProgressItem)

static HRESULT WINAPI progress_item_get_Description(IProgressItem *iface, BSTR *out)
{
    struct progress_item *item = impl_from_IProgressItem(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItem, NULL);
    *out = SysAllocStringLen(item->description, SysStringLen(item->description));
    return *out ? S_OK : com_error(E_OUTOFMEMORY, &IID_IProgressItem, NULL);
}

static HRESULT WINAPI progress_item_get_FirstBlock(IProgressItem *iface, ULONG *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IProgressItem, NULL);
    *out = impl_from_IProgressItem(iface)->first;
    return S_OK;
}

static HRESULT WINAPI progress_item_get_LastBlock(IProgressItem *iface, ULONG *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IProgressItem, NULL);
    *out = impl_from_IProgressItem(iface)->last;
    return S_OK;
}

static HRESULT WINAPI progress_item_get_BlockCount(IProgressItem *iface, ULONG *out)
{
    struct progress_item *item = impl_from_IProgressItem(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItem, NULL);
    *out = item->last - item->first + 1;
    return S_OK;
}

static const IProgressItemVtbl progress_item_vtbl = {
    progress_item_QueryInterface,
    progress_item_AddRef,
    progress_item_Release,
    progress_item_GetTypeInfoCount,
    progress_item_GetTypeInfo,
    progress_item_GetIDsOfNames,
    progress_item_Invoke,
    progress_item_get_Description,
    progress_item_get_FirstBlock,
    progress_item_get_LastBlock,
    progress_item_get_BlockCount,
};

HRESULT progress_item_create(const struct progress_span *span, IProgressItem **out)
{
    struct progress_item *item;

    *out = NULL;
    if (span->first > span->last)
        return E_INVALIDARG;
    item = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*item));
    if (!item)
        return E_OUTOFMEMORY;
    item->description = SysAllocStringLen(span->description, SysStringLen(span->description));
    if (!item->description) {
        HeapFree(GetProcessHeap(), 0, item);
        return E_OUTOFMEMORY;
    }
    item->IProgressItem_iface.lpVtbl = &progress_item_vtbl;
    error_support_init(&item->errors, (IUnknown *)&item->IProgressItem_iface,
                       progress_item_error_iids);
    item->ref = 1;
    item->first = span->first;
    item->last = span->last;
    module_lock();
    *out = &item->IProgressItem_iface;
    return S_OK;
}
