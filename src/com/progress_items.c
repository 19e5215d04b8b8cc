/*
 * ProgressItems (IProgressItems): the collection of a result's progress items in sector order,
 * which together cover every sector of the image once. Item is zero-based, as Microsoft
 * documents; an index, block or description that matches no item is E_INVALIDARG, and a NULL
 * description E_FAIL. Each call hands out a new IProgressItem made from the stored span. The
 * collection does not decide what the items are: the result gives it the spans.
 */
#include <stdio.h>

#include "image_result.h"
#include "dispatch.h"
#include "error_info.h"

struct progress_items {
    IProgressItems IProgressItems_iface;
    struct error_support errors;
    LONG ref;
    struct progress_span *spans;        /* sector order, contiguous */
    size_t count;
};

static const IID *const progress_items_error_iids[] = { &IID_IProgressItems, NULL };

static inline struct progress_items *impl_from_IProgressItems(IProgressItems *iface)
{
    return CONTAINING_RECORD(iface, struct progress_items, IProgressItems_iface);
}

static void free_spans(struct progress_span *spans, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        SysFreeString(spans[i].description);
    if (spans)
        HeapFree(GetProcessHeap(), 0, spans);
}

static HRESULT WINAPI progress_items_QueryInterface(IProgressItems *iface, REFIID riid,
                                                    void **out)
{
    struct progress_items *items = impl_from_IProgressItems(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IProgressItems))
        *out = &items->IProgressItems_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &items->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI progress_items_AddRef(IProgressItems *iface)
{
    return InterlockedIncrement(&impl_from_IProgressItems(iface)->ref);
}

static ULONG WINAPI progress_items_Release(IProgressItems *iface)
{
    struct progress_items *items = impl_from_IProgressItems(iface);
    ULONG ref = InterlockedDecrement(&items->ref);

    if (!ref) {
        free_spans(items->spans, items->count);
        HeapFree(GetProcessHeap(), 0, items);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(progress_items, IProgressItems, TID_IProgressItems)

static HRESULT WINAPI progress_items_get__NewEnum(IProgressItems *iface, IEnumVARIANT **out)
{
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItems, NULL);
    hr = enum_progress_items_create(iface, 0, &IID_IEnumVARIANT, (void **)out);
    return FAILED(hr) ? com_error(hr, &IID_IProgressItems, NULL) : S_OK;
}

static HRESULT WINAPI progress_items_get_Item(IProgressItems *iface, LONG index,
                                              IProgressItem **out)
{
    struct progress_items *items = impl_from_IProgressItems(iface);
    WCHAR message[128];
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItems, NULL);
    *out = NULL;
    if (index < 0 || (size_t)index >= items->count) {
        _snwprintf(message, ARRAY_SIZE(message),
                   L"The progress item index %ld is out of range: the collection holds items 0 "
                   L"to %ld.", (long)index, (long)items->count - 1);
        message[ARRAY_SIZE(message) - 1] = 0;
        return com_error(E_INVALIDARG, &IID_IProgressItems, message);
    }
    hr = progress_item_create(&items->spans[index], out);
    return FAILED(hr) ? com_error(hr, &IID_IProgressItems, NULL) : S_OK;
}

static HRESULT WINAPI progress_items_get_Count(IProgressItems *iface, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IProgressItems, NULL);
    *out = (LONG)impl_from_IProgressItems(iface)->count;
    return S_OK;
}

static HRESULT WINAPI progress_items_ProgressItemFromBlock(IProgressItems *iface, ULONG block,
                                                           IProgressItem **out)
{
    struct progress_items *items = impl_from_IProgressItems(iface);
    size_t low = 0, high = items->count;
    WCHAR message[128];
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItems, NULL);
    *out = NULL;
    /* The spans are sorted and do not overlap: find the last one starting at or before block. */
    while (high - low > 1) {
        size_t middle = low + (high - low) / 2;
        if (items->spans[middle].first <= block)
            low = middle;
        else
            high = middle;
    }
    if (!items->count || block < items->spans[low].first || block > items->spans[low].last) {
        _snwprintf(message, ARRAY_SIZE(message),
                   L"Block %lu is not in the image: no progress item holds it.",
                   (unsigned long)block);
        message[ARRAY_SIZE(message) - 1] = 0;
        return com_error(E_INVALIDARG, &IID_IProgressItems, message);
    }
    hr = progress_item_create(&items->spans[low], out);
    return FAILED(hr) ? com_error(hr, &IID_IProgressItems, NULL) : S_OK;
}

static HRESULT WINAPI progress_items_ProgressItemFromDescription(IProgressItems *iface,
                                                                 BSTR description,
                                                                 IProgressItem **out)
{
    struct progress_items *items = impl_from_IProgressItems(iface);
    UINT length = SysStringLen(description);
    HRESULT hr;
    size_t i;

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItems, NULL);
    *out = NULL;
    if (!description)
        return com_error(E_FAIL, &IID_IProgressItems,
                         L"ProgressItemFromDescription needs a description (it was NULL).");
    /* Exact match, as Microsoft documents ("matches the value of the item's description"). */
    for (i = 0; i < items->count; i++)
        if (SysStringLen(items->spans[i].description) == length &&
            !memcmp(items->spans[i].description, description, length * sizeof(WCHAR))) {
            hr = progress_item_create(&items->spans[i], out);
            return FAILED(hr) ? com_error(hr, &IID_IProgressItems, NULL) : S_OK;
        }
    return com_error(E_INVALIDARG, &IID_IProgressItems,
                     L"No progress item has this description.");
}

static HRESULT WINAPI progress_items_get_EnumProgressItems(IProgressItems *iface,
                                                           IEnumProgressItems **out)
{
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IProgressItems, NULL);
    hr = enum_progress_items_create(iface, 0, &IID_IEnumProgressItems, (void **)out);
    return FAILED(hr) ? com_error(hr, &IID_IProgressItems, NULL) : S_OK;
}

static const IProgressItemsVtbl progress_items_vtbl = {
    progress_items_QueryInterface,
    progress_items_AddRef,
    progress_items_Release,
    progress_items_GetTypeInfoCount,
    progress_items_GetTypeInfo,
    progress_items_GetIDsOfNames,
    progress_items_Invoke,
    progress_items_get__NewEnum,
    progress_items_get_Item,
    progress_items_get_Count,
    progress_items_ProgressItemFromBlock,
    progress_items_ProgressItemFromDescription,
    progress_items_get_EnumProgressItems,
};

HRESULT progress_items_create(struct progress_span *spans, size_t count, IProgressItems **out)
{
    struct progress_items *items;

    *out = NULL;
    if (count > 0x7FFFFFFF) {
        free_spans(spans, count);
        return E_INVALIDARG;
    }
    items = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*items));
    if (!items) {
        free_spans(spans, count);
        return E_OUTOFMEMORY;
    }
    items->IProgressItems_iface.lpVtbl = &progress_items_vtbl;
    error_support_init(&items->errors, (IUnknown *)&items->IProgressItems_iface,
                       progress_items_error_iids);
    items->ref = 1;
    items->spans = spans;
    items->count = count;
    module_lock();
    *out = &items->IProgressItems_iface;
    return S_OK;
}
