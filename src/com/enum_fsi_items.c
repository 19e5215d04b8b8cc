/* EnumFsiItems (enum_fsi_items.h): IEnumFsiItems and IEnumVARIANT over a copied node list. */
#include "enum_fsi_items.h"
#include "error_info.h"
#include "fsi_item.h"

struct node_list {
    LONG ref;                       /* shared by clones */
    struct file_system_image *owner;
    size_t count;
    struct fsi_node *nodes[1];
};

struct enum_fsi_items {
    IEnumFsiItems IEnumFsiItems_iface;
    IEnumVARIANT IEnumVARIANT_iface;
    LONG ref;
    struct node_list *list;
    size_t position;
};

static inline struct enum_fsi_items *impl_from_IEnumFsiItems(IEnumFsiItems *iface)
{
    return CONTAINING_RECORD(iface, struct enum_fsi_items, IEnumFsiItems_iface);
}

static inline struct enum_fsi_items *impl_from_IEnumVARIANT(IEnumVARIANT *iface)
{
    return CONTAINING_RECORD(iface, struct enum_fsi_items, IEnumVARIANT_iface);
}

static void node_list_release(struct node_list *list)
{
    if (InterlockedDecrement(&list->ref))
        return;
    if (list->owner)
        file_system_image_release(list->owner);
    HeapFree(GetProcessHeap(), 0, list);
}

static HRESULT enum_create(struct node_list *list, size_t position, REFIID riid, void **out);

static HRESULT WINAPI enum_fsi_items_QueryInterface(IEnumFsiItems *iface, REFIID riid, void **out)
{
    struct enum_fsi_items *e = impl_from_IEnumFsiItems(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumFsiItems))
        *out = &e->IEnumFsiItems_iface;
    else if (IsEqualIID(riid, &IID_IEnumVARIANT))
        *out = &e->IEnumVARIANT_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI enum_fsi_items_AddRef(IEnumFsiItems *iface)
{
    return InterlockedIncrement(&impl_from_IEnumFsiItems(iface)->ref);
}

static ULONG WINAPI enum_fsi_items_Release(IEnumFsiItems *iface)
{
    struct enum_fsi_items *e = impl_from_IEnumFsiItems(iface);
    ULONG ref = InterlockedDecrement(&e->ref);

    if (!ref) {
        node_list_release(e->list);
        HeapFree(GetProcessHeap(), 0, e);
        module_unlock();
    }
    return ref;
}

/* The next item as an IFsiItem, or S_FALSE at the end. */
static HRESULT next_item(struct enum_fsi_items *e, IFsiItem **item)
{
    struct node_list *list = e->list;
    HRESULT hr;

    if (e->position >= list->count)
        return S_FALSE;
    file_system_image_enter(list->owner);
    hr = fsi_item_create(list->owner, list->nodes[e->position], &IID_IFsiItem, (void **)item);
    file_system_image_leave(list->owner);
    if (SUCCEEDED(hr))
        e->position++;
    return hr;
}

static HRESULT WINAPI enum_fsi_items_Next(IEnumFsiItems *iface, ULONG count, IFsiItem **items,
                                          ULONG *fetched)
{
    struct enum_fsi_items *e = impl_from_IEnumFsiItems(iface);
    HRESULT hr = S_OK;
    ULONG done = 0;

    if (!items || (count > 1 && !fetched))
        return E_POINTER;
    while (done < count) {
        hr = next_item(e, &items[done]);
        if (hr != S_OK)
            break;
        done++;
    }
    if (FAILED(hr))
        for (; done; done--)
            IFsiItem_Release(items[done - 1]);
    if (fetched)
        *fetched = done;
    if (FAILED(hr))
        return hr;
    return done == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_fsi_items_Skip(IEnumFsiItems *iface, ULONG count)
{
    struct enum_fsi_items *e = impl_from_IEnumFsiItems(iface);
    size_t left = e->list->count - e->position;

    if (count > left) {
        e->position = e->list->count;
        return S_FALSE;
    }
    e->position += count;
    return S_OK;
}

static HRESULT WINAPI enum_fsi_items_Reset(IEnumFsiItems *iface)
{
    impl_from_IEnumFsiItems(iface)->position = 0;
    return S_OK;
}

static HRESULT WINAPI enum_fsi_items_Clone(IEnumFsiItems *iface, IEnumFsiItems **out)
{
    struct enum_fsi_items *e = impl_from_IEnumFsiItems(iface);

    if (!out)
        return E_POINTER;
    return enum_create(e->list, e->position, &IID_IEnumFsiItems, (void **)out);
}

static const IEnumFsiItemsVtbl enum_fsi_items_vtbl = {
    enum_fsi_items_QueryInterface,
    enum_fsi_items_AddRef,
    enum_fsi_items_Release,
    enum_fsi_items_Next,
    enum_fsi_items_Skip,
    enum_fsi_items_Reset,
    enum_fsi_items_Clone,
};

static HRESULT WINAPI enum_variant_QueryInterface(IEnumVARIANT *iface, REFIID riid, void **out)
{
    return enum_fsi_items_QueryInterface(&impl_from_IEnumVARIANT(iface)->IEnumFsiItems_iface,
                                         riid, out);
}

static ULONG WINAPI enum_variant_AddRef(IEnumVARIANT *iface)
{
    return enum_fsi_items_AddRef(&impl_from_IEnumVARIANT(iface)->IEnumFsiItems_iface);
}

static ULONG WINAPI enum_variant_Release(IEnumVARIANT *iface)
{
    return enum_fsi_items_Release(&impl_from_IEnumVARIANT(iface)->IEnumFsiItems_iface);
}

static HRESULT WINAPI enum_variant_Next(IEnumVARIANT *iface, ULONG count, VARIANT *values,
                                        ULONG *fetched)
{
    struct enum_fsi_items *e = impl_from_IEnumVARIANT(iface);
    HRESULT hr = S_OK;
    ULONG done = 0;

    if (!values)
        return E_POINTER;
    while (done < count) {
        IFsiItem *item;
        hr = next_item(e, &item);
        if (hr != S_OK)
            break;
        V_VT(&values[done]) = VT_DISPATCH;
        V_DISPATCH(&values[done]) = (IDispatch *)item;
        done++;
    }
    if (FAILED(hr))
        for (; done; done--)
            VariantClear(&values[done - 1]);
    if (fetched)
        *fetched = done;
    if (FAILED(hr))
        return hr;
    return done == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_variant_Skip(IEnumVARIANT *iface, ULONG count)
{
    return enum_fsi_items_Skip(&impl_from_IEnumVARIANT(iface)->IEnumFsiItems_iface, count);
}

static HRESULT WINAPI enum_variant_Reset(IEnumVARIANT *iface)
{
    return enum_fsi_items_Reset(&impl_from_IEnumVARIANT(iface)->IEnumFsiItems_iface);
}

static HRESULT WINAPI enum_variant_Clone(IEnumVARIANT *iface, IEnumVARIANT **out)
{
    struct enum_fsi_items *e = impl_from_IEnumVARIANT(iface);

    if (!out)
        return E_POINTER;
    return enum_create(e->list, e->position, &IID_IEnumVARIANT, (void **)out);
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

static HRESULT enum_create(struct node_list *list, size_t position, REFIID riid, void **out)
{
    struct enum_fsi_items *e;
    HRESULT hr;

    *out = NULL;
    e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e));
    if (!e)
        return E_OUTOFMEMORY;
    e->IEnumFsiItems_iface.lpVtbl = &enum_fsi_items_vtbl;
    e->IEnumVARIANT_iface.lpVtbl = &enum_variant_vtbl;
    e->ref = 1;
    e->list = list;
    e->position = position;
    InterlockedIncrement(&list->ref);
    module_lock();
    hr = enum_fsi_items_QueryInterface(&e->IEnumFsiItems_iface, riid, out);
    enum_fsi_items_Release(&e->IEnumFsiItems_iface);
    return hr;
}

HRESULT enum_fsi_items_create(struct file_system_image *owner, struct fsi_node *const *nodes,
                              size_t count, REFIID riid, void **out)
{
    struct node_list *list;
    HRESULT hr;

    if (!out)
        return E_POINTER;
    list = HeapAlloc(GetProcessHeap(), 0,
                     FIELD_OFFSET(struct node_list, nodes[count ? count : 1]));
    if (!list)
        return E_OUTOFMEMORY;
    list->ref = 1;
    list->owner = owner;
    list->count = count;
    if (count)
        memcpy(list->nodes, nodes, count * sizeof(*nodes));
    if (owner)
        file_system_image_addref(owner);
    hr = enum_create(list, 0, riid, out);
    node_list_release(list);
    return hr;
}
