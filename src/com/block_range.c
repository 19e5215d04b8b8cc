/*
 * BlockRange (IBlockRange): one contiguous run of sectors, StartLba to EndLba inclusive, as a
 * modified-blocks list reports it. It only holds the two numbers; which sectors changed is the
 * engine's to decide.
 */
#include "image_result.h"
#include "dispatch.h"
#include "error_info.h"

struct block_range {
    IBlockRange IBlockRange_iface;
    struct error_support errors;
    LONG ref;
    ULONG first;
    ULONG last;
};

static const IID *const block_range_error_iids[] = { &IID_IBlockRange, NULL };

static inline struct block_range *impl_from_IBlockRange(IBlockRange *iface)
{
    return CONTAINING_RECORD(iface, struct block_range, IBlockRange_iface);
}

static HRESULT WINAPI block_range_QueryInterface(IBlockRange *iface, REFIID riid, void **out)
{
    struct block_range *range = impl_from_IBlockRange(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IBlockRange))
        *out = &range->IBlockRange_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &range->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI block_range_AddRef(IBlockRange *iface)
{
    return InterlockedIncrement(&impl_from_IBlockRange(iface)->ref);
}

static ULONG WINAPI block_range_Release(IBlockRange *iface)
{
    struct block_range *range = impl_from_IBlockRange(iface);
    ULONG ref = InterlockedDecrement(&range->ref);

    if (!ref) {
        HeapFree(GetProcessHeap(), 0, range);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(block_range, IBlockRange, TID_IBlockRange)

static HRESULT WINAPI block_range_get_StartLba(IBlockRange *iface, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IBlockRange, NULL);
    *out = (LONG)impl_from_IBlockRange(iface)->first;
    return S_OK;
}

static HRESULT WINAPI block_range_get_EndLba(IBlockRange *iface, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IBlockRange, NULL);
    *out = (LONG)impl_from_IBlockRange(iface)->last;
    return S_OK;
}

static const IBlockRangeVtbl block_range_vtbl = {
    block_range_QueryInterface,
    block_range_AddRef,
    block_range_Release,
    block_range_GetTypeInfoCount,
    block_range_GetTypeInfo,
    block_range_GetIDsOfNames,
    block_range_Invoke,
    block_range_get_StartLba,
    block_range_get_EndLba,
};

HRESULT block_range_create(ULONG first, ULONG last, IBlockRange **out)
{
    struct block_range *range;

    *out = NULL;
    if (first > last)
        return E_INVALIDARG;
    range = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*range));
    if (!range)
        return E_OUTOFMEMORY;
    range->IBlockRange_iface.lpVtbl = &block_range_vtbl;
    error_support_init(&range->errors, (IUnknown *)&range->IBlockRange_iface,
                       block_range_error_iids);
    range->ref = 1;
    range->first = first;
    range->last = last;
    module_lock();
    *out = &range->IBlockRange_iface;
    return S_OK;
}
