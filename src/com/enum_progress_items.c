/*
 * EnumProgressItems: a position in a ProgressItems collection, answering IEnumProgressItems
 * (EnumProgressItems, for C and C++) and IEnumVARIANT (_NewEnum, for scripts' For Each and
 * Enumerator) over one shared position. It reads the collection only through its IProgressItems
 * methods and keeps it alive.
 *
 * Next returns S_FALSE when it fetches fewer items than asked for, as every IEnumXXXX does, so
 * that "while Next(1) == S_OK" loops end (Microsoft's page says S_OK in both cases).
 */
#include "image_result.h"
#include "error_info.h"

struct enum_progress_items {
    IEnumProgressItems IEnumProgressItems_iface;
    IEnumVARIANT IEnumVARIANT_iface;
    LONG ref;
    CRITICAL_SECTION lock;
    IProgressItems *items;
    ULONG count;
    ULONG next;
};

static inline struct enum_progress_items *impl_from_IEnumProgressItems(IEnumProgressItems *iface)
{
    return CONTAINING_RECORD(iface, struct enum_progress_items, IEnumProgressItems_iface);
}

static inline struct enum_progress_items *impl_from_IEnumVARIANT(IEnumVARIANT *iface)
{
    return CONTAINING_RECORD(iface, struct enum_progress_items, IEnumVARIANT_iface);
}

static HRESULT WINAPI enum_progress_items_QueryInterface(IEnumProgressItems *iface, REFIID riid,
                                                         void **out)
{
    struct enum_progress_items *e = impl_from_IEnumProgressItems(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumProgressItems))
        *out = &e->IEnumProgressItems_iface;
    else if (IsEqualIID(riid, &IID_IEnumVARIANT))
        *out = &e->IEnumVARIANT_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI enum_progress_items_AddRef(IEnumProgressItems *iface)
{
    return InterlockedIncrement(&impl_from_IEnumProgressItems(iface)->ref);
}

static ULONG WINAPI enum_progress_items_Release(IEnumProgressItems *iface)
{
    struct enum_progress_items *e = impl_from_IEnumProgressItems(iface);
    ULONG ref = InterlockedDecrement(&e->ref);

    if (!ref) {
        IProgressItems_Release(e->items);
        DeleteCriticalSection(&e->lock);
        HeapFree(GetProcessHeap(), 0, e);
        module_unlock();
    }
    return ref;
}

/* Up to `wanted` items from the position into `items`; how many in *fetched. */
static HRESULT fetch(struct enum_progress_items *e, ULONG wanted, IProgressItem **items,
                     ULONG *fetched)
{
    HRESULT hr = S_OK;
    ULONG n = 0;

    EnterCriticalSection(&e->lock);
    while (n < wanted && e->next < e->count) {
        hr = IProgressItems_get_Item(e->items, (LONG)e->next, &items[n]);
        if (FAILED(hr))
            break;
        e->next++;
        n++;
    }
    LeaveCriticalSection(&e->lock);
    if (FAILED(hr)) {
        while (n) {
            n--;
            IProgressItem_Release(items[n]);
        }
        *fetched = 0;
        return hr;
    }
    *fetched = n;
    return n == wanted ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_progress_items_Next(IEnumProgressItems *iface, ULONG celt,
                                               IProgressItem **rgelt, ULONG *fetched)
{
    struct enum_progress_items *e = impl_from_IEnumProgressItems(iface);
    ULONG n;
    HRESULT hr;

    if (!rgelt || (!fetched && celt != 1))
        return com_error(E_POINTER, &IID_IEnumProgressItems,
                         L"IEnumProgressItems::Next needs the item array, and a count pointer "
                         L"unless it asks for one item.");
    hr = fetch(e, celt, rgelt, &n);
    if (fetched)
        *fetched = n;
    return FAILED(hr) ? com_error(hr, &IID_IEnumProgressItems, NULL) : hr;
}

static HRESULT skip(struct enum_progress_items *e, ULONG celt)
{
    HRESULT hr;

    EnterCriticalSection(&e->lock);
    if (celt <= e->count - e->next) {
        e->next += celt;
        hr = S_OK;
    } else {
        e->next = e->count;
        hr = S_FALSE;
    }
    LeaveCriticalSection(&e->lock);
    return hr;
}

static HRESULT WINAPI enum_progress_items_Skip(IEnumProgressItems *iface, ULONG celt)
{
    return skip(impl_from_IEnumProgressItems(iface), celt);
}

static HRESULT WINAPI enum_progress_items_Reset(IEnumProgressItems *iface)
{
    struct enum_progress_items *e = impl_from_IEnumProgressItems(iface);

    EnterCriticalSection(&e->lock);
    e->next = 0;
    LeaveCriticalSection(&e->lock);
    return S_OK;
}

static HRESULT clone(struct enum_progress_items *e, REFIID riid, void **out)
{
    ULONG next;

    EnterCriticalSection(&e->lock);
    next = e->next;
    LeaveCriticalSection(&e->lock);
    return enum_progress_items_create(e->items, next, riid, out);
}

static HRESULT WINAPI enum_progress_items_Clone(IEnumProgressItems *iface,
                                                IEnumProgressItems **out)
{
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IEnumProgressItems, NULL);
    hr = clone(impl_from_IEnumProgressItems(iface), &IID_IEnumProgressItems, (void **)out);
    return FAILED(hr) ? com_error(hr, &IID_IEnumProgressItems, NULL) : S_OK;
}

static const IEnumProgressItemsVtbl enum_progress_items_vtbl = {
    enum_progress_items_QueryInterface,
    enum_progress_items_AddRef,
    enum_progress_items_Release,
    enum_progress_items_Next,
    enum_progress_items_Skip,
    enum_progress_items_Reset,
    enum_progress_items_Clone,
};

/* IEnumVARIANT: the same position, items as VT_DISPATCH. */

static HRESULT WINAPI enum_variant_QueryInterface(IEnumVARIANT *iface, REFIID riid, void **out)
{
    struct enum_progress_items *e = impl_from_IEnumVARIANT(iface);
    return enum_progress_items_QueryInterface(&e->IEnumProgressItems_iface, riid, out);
}

static ULONG WINAPI enum_variant_AddRef(IEnumVARIANT *iface)
{
    return enum_progress_items_AddRef(&impl_from_IEnumVARIANT(iface)->IEnumProgressItems_iface);
}

static ULONG WINAPI enum_variant_Release(IEnumVARIANT *iface)
{
    return enum_progress_items_Release(&impl_from_IEnumVARIANT(iface)->IEnumProgressItems_iface);
}

static HRESULT WINAPI enum_variant_Next(IEnumVARIANT *iface, ULONG celt, VARIANT *rgvar,
                                        ULONG *fetched)
{
    struct enum_progress_items *e = impl_from_IEnumVARIANT(iface);
    IProgressItem **items;
    HRESULT hr;
    ULONG i, n;

    if (!rgvar || (!fetched && celt != 1))
        return com_error(E_POINTER, &IID_IEnumVARIANT,
                         L"IEnumVARIANT::Next needs the VARIANT array, and a count pointer "
                         L"unless it asks for one item.");
    if (fetched)
        *fetched = 0;
    if (!celt)
        return S_OK;
    items = HeapAlloc(GetProcessHeap(), 0, (SIZE_T)celt * sizeof(*items));
    if (!items)
        return com_error(E_OUTOFMEMORY, &IID_IEnumVARIANT, NULL);
    hr = fetch(e, celt, items, &n);
    for (i = 0; SUCCEEDED(hr) && i < n; i++) {
        VariantInit(&rgvar[i]);
        V_VT(&rgvar[i]) = VT_DISPATCH;
        V_DISPATCH(&rgvar[i]) = (IDispatch *)items[i];
    }
    HeapFree(GetProcessHeap(), 0, items);
    if (FAILED(hr))
        return com_error(hr, &IID_IEnumVARIANT, NULL);
    if (fetched)
        *fetched = n;
    return hr;
}

static HRESULT WINAPI enum_variant_Skip(IEnumVARIANT *iface, ULONG celt)
{
    return skip(impl_from_IEnumVARIANT(iface), celt);
}

static HRESULT WINAPI enum_variant_Reset(IEnumVARIANT *iface)
{
    return enum_progress_items_Reset(&impl_from_IEnumVARIANT(iface)->IEnumProgressItems_iface);
}

static HRESULT WINAPI enum_variant_Clone(IEnumVARIANT *iface, IEnumVARIANT **out)
{
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IEnumVARIANT, NULL);
    hr = clone(impl_from_IEnumVARIANT(iface), &IID_IEnumVARIANT, (void **)out);
    return FAILED(hr) ? com_error(hr, &IID_IEnumVARIANT, NULL) : S_OK;
}

static const IEnumVARIANTVtbl enum_variant_vtbl = {
    enum_variant_QueryInterface,
    enum_variant_AddRef,
    enum_variant_Release,
    enum_variant_Next,
    enum_variant_Skip,
    enum_variant_Reset,
    enum_variant_Clone,
};

HRESULT enum_progress_items_create(IProgressItems *items, ULONG next, REFIID riid, void **out)
{
    struct enum_progress_items *e;
    LONG count;
    HRESULT hr;

    *out = NULL;
    hr = IProgressItems_get_Count(items, &count);
    if (FAILED(hr))
        return hr;
    e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e));
    if (!e)
        return E_OUTOFMEMORY;
    e->IEnumProgressItems_iface.lpVtbl = &enum_progress_items_vtbl;
    e->IEnumVARIANT_iface.lpVtbl = &enum_variant_vtbl;
    e->ref = 1;
    InitializeCriticalSection(&e->lock);
    IProgressItems_AddRef(items);
    e->items = items;
    e->count = (ULONG)count;
    e->next = next > e->count ? e->count : next;
    module_lock();
    hr = enum_progress_items_QueryInterface(&e->IEnumProgressItems_iface, riid, out);
    enum_progress_items_Release(&e->IEnumProgressItems_iface);
    return hr;
}
