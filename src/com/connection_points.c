/* IConnectionPointContainer and IConnectionPoint for event sources (connection_points.h). */
#include "connection_points.h"
#include "error_info.h"

static inline struct connection_points *impl_from_IConnectionPointContainer(
    IConnectionPointContainer *iface)
{
    return CONTAINING_RECORD(iface, struct connection_points, IConnectionPointContainer_iface);
}

static inline struct connection_point *impl_from_IConnectionPoint(IConnectionPoint *iface)
{
    return CONTAINING_RECORD(iface, struct connection_point, IConnectionPoint_iface);
}

static HRESULT WINAPI container_QueryInterface(IConnectionPointContainer *iface, REFIID riid,
                                               void **out)
{
    return IUnknown_QueryInterface(impl_from_IConnectionPointContainer(iface)->outer, riid, out);
}

static ULONG WINAPI container_AddRef(IConnectionPointContainer *iface)
{
    return IUnknown_AddRef(impl_from_IConnectionPointContainer(iface)->outer);
}

static ULONG WINAPI container_Release(IConnectionPointContainer *iface)
{
    return IUnknown_Release(impl_from_IConnectionPointContainer(iface)->outer);
}

static HRESULT WINAPI container_EnumConnectionPoints(IConnectionPointContainer *iface,
                                                     IEnumConnectionPoints **out)
{
    (void)iface;
    if (!out)
        return E_POINTER;
    *out = NULL;
    return com_not_implemented(&IID_IConnectionPointContainer,
                               L"IConnectionPointContainer::EnumConnectionPoints");
}

static HRESULT WINAPI container_FindConnectionPoint(IConnectionPointContainer *iface,
                                                    REFIID riid, IConnectionPoint **out)
{
    struct connection_points *cp = impl_from_IConnectionPointContainer(iface);
    size_t i;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!riid)
        return E_INVALIDARG;
    for (i = 0; i < cp->count; i++)
        if (IsEqualIID(riid, cp->points[i].iid)) {
            *out = &cp->points[i].IConnectionPoint_iface;
            IConnectionPoint_AddRef(*out);
            return S_OK;
        }
    return CONNECT_E_NOCONNECTION;
}

static const IConnectionPointContainerVtbl container_vtbl = {
    container_QueryInterface,
    container_AddRef,
    container_Release,
    container_EnumConnectionPoints,
    container_FindConnectionPoint,
};

static HRESULT WINAPI point_QueryInterface(IConnectionPoint *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IConnectionPoint)) {
        *out = iface;
        IConnectionPoint_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI point_AddRef(IConnectionPoint *iface)
{
    return IUnknown_AddRef(impl_from_IConnectionPoint(iface)->owner->outer);
}

static ULONG WINAPI point_Release(IConnectionPoint *iface)
{
    return IUnknown_Release(impl_from_IConnectionPoint(iface)->owner->outer);
}

static HRESULT WINAPI point_GetConnectionInterface(IConnectionPoint *iface, IID *iid)
{
    if (!iid)
        return E_POINTER;
    *iid = *impl_from_IConnectionPoint(iface)->iid;
    return S_OK;
}

static HRESULT WINAPI point_GetConnectionPointContainer(IConnectionPoint *iface,
                                                        IConnectionPointContainer **out)
{
    struct connection_points *cp = impl_from_IConnectionPoint(iface)->owner;

    if (!out)
        return E_POINTER;
    *out = &cp->IConnectionPointContainer_iface;
    IConnectionPointContainer_AddRef(*out);
    return S_OK;
}

static HRESULT WINAPI point_Advise(IConnectionPoint *iface, IUnknown *sink, DWORD *cookie)
{
    struct connection_point *point = impl_from_IConnectionPoint(iface);
    IDispatch *dispatch, **slots;
    DWORD i;

    if (!cookie)
        return E_POINTER;
    *cookie = 0;
    if (!sink)
        return E_INVALIDARG;
    /* Event interfaces are dispinterfaces; script sinks only answer IDispatch. */
    if (FAILED(IUnknown_QueryInterface(sink, point->iid, (void **)&dispatch)) &&
        FAILED(IUnknown_QueryInterface(sink, &IID_IDispatch, (void **)&dispatch)))
        return CONNECT_E_CANNOTCONNECT;

    EnterCriticalSection(&point->owner->lock);
    for (i = 0; i < point->sink_slots && point->sinks[i]; i++)
        ;
    if (i == point->sink_slots) {
        DWORD slots_wanted = point->sink_slots ? point->sink_slots * 2 : 4;
        slots = point->sinks
                    ? HeapReAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, point->sinks,
                                  slots_wanted * sizeof(*slots))
                    : HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, slots_wanted * sizeof(*slots));
        if (!slots) {
            LeaveCriticalSection(&point->owner->lock);
            IDispatch_Release(dispatch);
            return E_OUTOFMEMORY;
        }
        point->sinks = slots;
        point->sink_slots = slots_wanted;
    }
    point->sinks[i] = dispatch;
    *cookie = i + 1;
    LeaveCriticalSection(&point->owner->lock);
    return S_OK;
}

static HRESULT WINAPI point_Unadvise(IConnectionPoint *iface, DWORD cookie)
{
    struct connection_point *point = impl_from_IConnectionPoint(iface);
    IDispatch *sink = NULL;

    EnterCriticalSection(&point->owner->lock);
    if (cookie >= 1 && cookie <= point->sink_slots) {
        sink = point->sinks[cookie - 1];
        point->sinks[cookie - 1] = NULL;
    }
    LeaveCriticalSection(&point->owner->lock);
    if (!sink)
        return CONNECT_E_NOCONNECTION;
    IDispatch_Release(sink);
    return S_OK;
}

static HRESULT WINAPI point_EnumConnections(IConnectionPoint *iface, IEnumConnections **out)
{
    (void)iface;
    if (!out)
        return E_POINTER;
    *out = NULL;
    return com_not_implemented(&IID_IConnectionPoint, L"IConnectionPoint::EnumConnections");
}

static const IConnectionPointVtbl point_vtbl = {
    point_QueryInterface,
    point_AddRef,
    point_Release,
    point_GetConnectionInterface,
    point_GetConnectionPointContainer,
    point_Advise,
    point_Unadvise,
    point_EnumConnections,
};

void connection_points_init(struct connection_points *cp, IUnknown *outer,
                            const IID *const *iids)
{
    cp->IConnectionPointContainer_iface.lpVtbl = &container_vtbl;
    cp->outer = outer;
    InitializeCriticalSection(&cp->lock);
    for (cp->count = 0; iids[cp->count] && cp->count < CONNECTION_POINTS_MAX; cp->count++) {
        struct connection_point *point = &cp->points[cp->count];
        point->IConnectionPoint_iface.lpVtbl = &point_vtbl;
        point->owner = cp;
        point->iid = iids[cp->count];
        point->sinks = NULL;
        point->sink_slots = 0;
    }
}

void connection_points_cleanup(struct connection_points *cp)
{
    size_t i;
    DWORD j;

    for (i = 0; i < cp->count; i++) {
        struct connection_point *point = &cp->points[i];
        for (j = 0; j < point->sink_slots; j++)
            if (point->sinks[j])
                IDispatch_Release(point->sinks[j]);
        HeapFree(GetProcessHeap(), 0, point->sinks);
    }
    DeleteCriticalSection(&cp->lock);
}

void connection_points_fire(struct connection_points *cp, const IID *iid, DISPID member,
                            DISPPARAMS *params)
{
    struct connection_point *point = NULL;
    IDispatch **sinks;
    DWORD i, count = 0;

    for (i = 0; i < cp->count; i++)
        if (IsEqualIID(iid, cp->points[i].iid))
            point = &cp->points[i];
    if (!point)
        return;

    /* Call the sinks outside the lock: a sink may unadvise or call back into the object. */
    EnterCriticalSection(&cp->lock);
    sinks = point->sink_slots ? HeapAlloc(GetProcessHeap(), 0, point->sink_slots * sizeof(*sinks))
                              : NULL;
    if (sinks)
        for (i = 0; i < point->sink_slots; i++)
            if (point->sinks[i]) {
                sinks[count] = point->sinks[i];
                IDispatch_AddRef(sinks[count]);
                count++;
            }
    LeaveCriticalSection(&cp->lock);

    for (i = 0; i < count; i++) {
        VARIANT result;
        VariantInit(&result);
        IDispatch_Invoke(sinks[i], member, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD,
                         params, &result, NULL, NULL);
        VariantClear(&result);
        IDispatch_Release(sinks[i]);
    }
    HeapFree(GetProcessHeap(), 0, sinks);
}
