/* IConnectionPointContainer and IConnectionPoint for event sources, with their enumerators
   (connection_points.h). */
#include "connection_points.h"
#include <stddef.h>

static inline struct connection_points *impl_from_IConnectionPointContainer(
    IConnectionPointContainer *iface)
{
    return CONTAINING_RECORD(iface, struct connection_points, IConnectionPointContainer_iface);
}

static inline struct connection_point *impl_from_IConnectionPoint(IConnectionPoint *iface)
{
    return CONTAINING_RECORD(iface, struct connection_point, IConnectionPoint_iface);
}

/*
 * IEnumConnectionPoints: walks the container's fixed list of points. It holds a reference to
 * the object, which owns the points.
 */
struct point_enum {
    IEnumConnectionPoints IEnumConnectionPoints_iface;
    LONG ref;
    struct connection_points *owner;
    size_t next;
};

static const IEnumConnectionPointsVtbl point_enum_vtbl;

static inline struct point_enum *impl_from_IEnumConnectionPoints(IEnumConnectionPoints *iface)
{
    return CONTAINING_RECORD(iface, struct point_enum, IEnumConnectionPoints_iface);
}

static HRESULT point_enum_create(struct connection_points *owner, size_t next,
                                 IEnumConnectionPoints **out)
{
    struct point_enum *points = HeapAlloc(GetProcessHeap(), 0, sizeof(*points));

    if (!points)
        return E_OUTOFMEMORY;
    points->IEnumConnectionPoints_iface.lpVtbl = &point_enum_vtbl;
    points->ref = 1;
    points->owner = owner;
    points->next = next;
    IUnknown_AddRef(owner->outer);
    module_lock();
    *out = &points->IEnumConnectionPoints_iface;
    return S_OK;
}

static HRESULT WINAPI point_enum_QueryInterface(IEnumConnectionPoints *iface, REFIID riid,
                                                void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumConnectionPoints)) {
        *out = iface;
        IEnumConnectionPoints_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI point_enum_AddRef(IEnumConnectionPoints *iface)
{
    return InterlockedIncrement(&impl_from_IEnumConnectionPoints(iface)->ref);
}

static ULONG WINAPI point_enum_Release(IEnumConnectionPoints *iface)
{
    struct point_enum *points = impl_from_IEnumConnectionPoints(iface);
    ULONG ref = InterlockedDecrement(&points->ref);

    if (!ref) {
        IUnknown_Release(points->owner->outer);
        HeapFree(GetProcessHeap(), 0, points);
        module_unlock();
    }
    return ref;
}

static HRESULT WINAPI point_enum_Next(IEnumConnectionPoints *iface, ULONG count,
                                      IConnectionPoint **out, ULONG *fetched)
{
    struct point_enum *points = impl_from_IEnumConnectionPoints(iface);
    ULONG done = 0;

    if (fetched)
        *fetched = 0;
    if (!out || (count > 1 && !fetched))
        return E_POINTER;
    while (done < count && points->next < points->owner->count) {
        out[done] = &points->owner->points[points->next++].IConnectionPoint_iface;
        IConnectionPoint_AddRef(out[done]);
        done++;
    }
    if (fetched)
        *fetched = done;
    return done == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI point_enum_Skip(IEnumConnectionPoints *iface, ULONG count)
{
    struct point_enum *points = impl_from_IEnumConnectionPoints(iface);
    size_t left = points->owner->count - points->next;

    if (count > left) {
        points->next = points->owner->count;
        return S_FALSE;
    }
    points->next += count;
    return S_OK;
}

static HRESULT WINAPI point_enum_Reset(IEnumConnectionPoints *iface)
{
    impl_from_IEnumConnectionPoints(iface)->next = 0;
    return S_OK;
}

static HRESULT WINAPI point_enum_Clone(IEnumConnectionPoints *iface, IEnumConnectionPoints **out)
{
    struct point_enum *points = impl_from_IEnumConnectionPoints(iface);

    if (!out)
        return E_POINTER;
    *out = NULL;
    return point_enum_create(points->owner, points->next, out);
}

static const IEnumConnectionPointsVtbl point_enum_vtbl = {
    point_enum_QueryInterface,
    point_enum_AddRef,
    point_enum_Release,
    point_enum_Next,
    point_enum_Skip,
    point_enum_Reset,
    point_enum_Clone,
};

/*
 * IEnumConnections: a snapshot of one point's connections, taken by EnumConnections. It holds a
 * reference to every sink in it (released with the enumerator) and none to the object.
 */
struct connection_enum {
    IEnumConnections IEnumConnections_iface;
    LONG ref;
    ULONG count;
    ULONG next;
    CONNECTDATA data[];
};

static const IEnumConnectionsVtbl connection_enum_vtbl;

static inline struct connection_enum *impl_from_IEnumConnections(IEnumConnections *iface)
{
    return CONTAINING_RECORD(iface, struct connection_enum, IEnumConnections_iface);
}

/* An empty enumerator with room for `slots` connections. */
static struct connection_enum *connection_enum_alloc(DWORD slots)
{
    struct connection_enum *connections =
        HeapAlloc(GetProcessHeap(), 0, offsetof(struct connection_enum, data[slots]));

    if (!connections)
        return NULL;
    connections->IEnumConnections_iface.lpVtbl = &connection_enum_vtbl;
    connections->ref = 1;
    connections->count = 0;
    connections->next = 0;
    module_lock();
    return connections;
}

static HRESULT WINAPI connection_enum_QueryInterface(IEnumConnections *iface, REFIID riid,
                                                     void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IEnumConnections)) {
        *out = iface;
        IEnumConnections_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI connection_enum_AddRef(IEnumConnections *iface)
{
    return InterlockedIncrement(&impl_from_IEnumConnections(iface)->ref);
}

static ULONG WINAPI connection_enum_Release(IEnumConnections *iface)
{
    struct connection_enum *connections = impl_from_IEnumConnections(iface);
    ULONG ref = InterlockedDecrement(&connections->ref);
    ULONG i;

    if (!ref) {
        for (i = 0; i < connections->count; i++)
            IUnknown_Release(connections->data[i].pUnk);
        HeapFree(GetProcessHeap(), 0, connections);
        module_unlock();
    }
    return ref;
}

static HRESULT WINAPI connection_enum_Next(IEnumConnections *iface, ULONG count, CONNECTDATA *out,
                                           ULONG *fetched)
{
    struct connection_enum *connections = impl_from_IEnumConnections(iface);
    ULONG done = 0;

    if (fetched)
        *fetched = 0;
    if (!out || (count > 1 && !fetched))
        return E_POINTER;
    while (done < count && connections->next < connections->count) {
        out[done] = connections->data[connections->next++];
        IUnknown_AddRef(out[done].pUnk);
        done++;
    }
    if (fetched)
        *fetched = done;
    return done == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI connection_enum_Skip(IEnumConnections *iface, ULONG count)
{
    struct connection_enum *connections = impl_from_IEnumConnections(iface);

    if (count > connections->count - connections->next) {
        connections->next = connections->count;
        return S_FALSE;
    }
    connections->next += count;
    return S_OK;
}

static HRESULT WINAPI connection_enum_Reset(IEnumConnections *iface)
{
    impl_from_IEnumConnections(iface)->next = 0;
    return S_OK;
}

static HRESULT WINAPI connection_enum_Clone(IEnumConnections *iface, IEnumConnections **out)
{
    struct connection_enum *connections = impl_from_IEnumConnections(iface), *copy;
    ULONG i;

    if (!out)
        return E_POINTER;
    *out = NULL;
    copy = connection_enum_alloc(connections->count);
    if (!copy)
        return E_OUTOFMEMORY;
    for (i = 0; i < connections->count; i++) {
        copy->data[i] = connections->data[i];
        IUnknown_AddRef(copy->data[i].pUnk);
    }
    copy->count = connections->count;
    copy->next = connections->next;
    *out = &copy->IEnumConnections_iface;
    return S_OK;
}

static const IEnumConnectionsVtbl connection_enum_vtbl = {
    connection_enum_QueryInterface,
    connection_enum_AddRef,
    connection_enum_Release,
    connection_enum_Next,
    connection_enum_Skip,
    connection_enum_Reset,
    connection_enum_Clone,
};

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
    if (!out)
        return E_POINTER;
    *out = NULL;
    return point_enum_create(impl_from_IConnectionPointContainer(iface), 0, out);
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
    struct connection_point *point = impl_from_IConnectionPoint(iface);
    struct connection_enum *connections;
    DWORD i;

    if (!out)
        return E_POINTER;
    *out = NULL;
    /* A snapshot of the sinks advised now, each with a reference of its own. */
    EnterCriticalSection(&point->owner->lock);
    connections = connection_enum_alloc(point->sink_slots);
    if (connections)
        for (i = 0; i < point->sink_slots; i++)
            if (point->sinks[i]) {
                CONNECTDATA *data = &connections->data[connections->count++];
                data->pUnk = (IUnknown *)point->sinks[i];
                data->dwCookie = i + 1;
                IUnknown_AddRef(data->pUnk);
            }
    LeaveCriticalSection(&point->owner->lock);
    if (!connections)
        return E_OUTOFMEMORY;
    *out = &connections->IEnumConnections_iface;
    return S_OK;
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
