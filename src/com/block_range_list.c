/*
 * BlockRangeList (IBlockRangeList): the sector ranges a recorder must write, in the order it
 * should write them, as a SAFEARRAY of VARIANTs each holding an IBlockRange (VT_DISPATCH) so that
 * scripts can read it. The list only holds the ranges it was given; computing them (the whole
 * image, or what differs from the previous session) is done by whoever makes the list.
 */
#include "image_result.h"
#include "dispatch.h"
#include "error_info.h"

struct block_range_list {
    IBlockRangeList IBlockRangeList_iface;
    struct error_support errors;
    LONG ref;
    size_t count;
    struct block_span spans[];
};

static const IID *const block_range_list_error_iids[] = { &IID_IBlockRangeList, NULL };

static inline struct block_range_list *impl_from_IBlockRangeList(IBlockRangeList *iface)
{
    return CONTAINING_RECORD(iface, struct block_range_list, IBlockRangeList_iface);
}

static HRESULT WINAPI block_range_list_QueryInterface(IBlockRangeList *iface, REFIID riid,
                                                      void **out)
{
    struct block_range_list *list = impl_from_IBlockRangeList(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IBlockRangeList))
        *out = &list->IBlockRangeList_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &list->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI block_range_list_AddRef(IBlockRangeList *iface)
{
    return InterlockedIncrement(&impl_from_IBlockRangeList(iface)->ref);
}

static ULONG WINAPI block_range_list_Release(IBlockRangeList *iface)
{
    struct block_range_list *list = impl_from_IBlockRangeList(iface);
    ULONG ref = InterlockedDecrement(&list->ref);

    if (!ref) {
        HeapFree(GetProcessHeap(), 0, list);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(block_range_list, IBlockRangeList, TID_IBlockRangeList)

static HRESULT WINAPI block_range_list_get_BlockRanges(IBlockRangeList *iface, SAFEARRAY **out)
{
    struct block_range_list *list = impl_from_IBlockRangeList(iface);
    SAFEARRAY *array;
    VARIANT *values;
    HRESULT hr;
    LONG i;

    if (!out)
        return com_error(E_POINTER, &IID_IBlockRangeList, NULL);
    *out = NULL;
    array = SafeArrayCreateVector(VT_VARIANT, 0, (ULONG)list->count);
    if (!array)
        return com_error(E_OUTOFMEMORY, &IID_IBlockRangeList, NULL);
    hr = SafeArrayAccessData(array, (void **)&values);
    if (FAILED(hr)) {
        SafeArrayDestroy(array);
        return com_error(hr, &IID_IBlockRangeList, NULL);
    }
    for (i = 0; i < (LONG)list->count && SUCCEEDED(hr); i++) {
        IBlockRange *range;
        hr = block_range_create(list->spans[i].first, list->spans[i].last, &range);
        if (SUCCEEDED(hr)) {
            V_VT(&values[i]) = VT_DISPATCH;
            V_DISPATCH(&values[i]) = (IDispatch *)range;
        }
    }
    SafeArrayUnaccessData(array);
    if (FAILED(hr)) {
        SafeArrayDestroy(array);    /* clears the VARIANTs made so far */
        return com_error(hr, &IID_IBlockRangeList, NULL);
    }
    *out = array;
    return S_OK;
}

static const IBlockRangeListVtbl block_range_list_vtbl = {
    block_range_list_QueryInterface,
    block_range_list_AddRef,
    block_range_list_Release,
    block_range_list_GetTypeInfoCount,
    block_range_list_GetTypeInfo,
    block_range_list_GetIDsOfNames,
    block_range_list_Invoke,
    block_range_list_get_BlockRanges,
};

HRESULT block_range_list_create(const struct block_span *spans, size_t count,
                                IBlockRangeList **out)
{
    struct block_range_list *list;
    size_t i;

    *out = NULL;
    if (count > 0x7FFFFFFF / sizeof(*spans))
        return E_INVALIDARG;
    for (i = 0; i < count; i++)
        if (spans[i].first > spans[i].last)
            return E_INVALIDARG;
    list = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                     sizeof(*list) + count * sizeof(*spans));
    if (!list)
        return E_OUTOFMEMORY;
    list->IBlockRangeList_iface.lpVtbl = &block_range_list_vtbl;
    error_support_init(&list->errors, (IUnknown *)&list->IBlockRangeList_iface,
                       block_range_list_error_iids);
    list->ref = 1;
    list->count = count;
    if (count)
        memcpy(list->spans, spans, count * sizeof(*spans));
    module_lock();
    *out = &list->IBlockRangeList_iface;
    return S_OK;
}
