/*
 * OpenFsiEventConnector (IOpenFsiEventConnector), an openfsi extension with its own CLSID and
 * ProgID (OpenFsi.EventConnector): what WScript.ConnectObject does, for script hosts that lack
 * it (Wine's cscript). ConnectObject advises, on every connection point of the source, a sink
 * that turns event DISPID N into a call of the handler's method prefix + <name of N>, looked up
 * with the handler's GetIDsOfNames each time and invoked as DISPATCH_METHOD with the event's
 * arguments; a handler without that method is skipped silently, as WSH does. Event names come
 * from our type library, or from the type library of the source's own type information.
 *
 * It raises no events itself and does not marshal: events arrive on the thread that raises them.
 */
#include "module.h"
#include "dispatch.h"
#include "error_info.h"

#include <dispex.h>

/* IID_IDispatchEx (dispex.h); mingw-w64's libuuid does not define it. */
static const IID iid_dispatch_ex = {
    0xa6ef9860, 0xc720, 0x11d0, { 0x93, 0x37, 0x00, 0xa0, 0xc9, 0x0d, 0xca, 0xa9 }
};

/* ------------------------------------------------------------------------------------------ */
/* The sink advised on one connection point                                                    */
/* ------------------------------------------------------------------------------------------ */

struct event_name {
    DISPID id;
    BSTR method;                /* prefix + event name */
};

struct event_sink {
    IDispatch IDispatch_iface;
    LONG ref;
    IID iid;                    /* the event interface, which the sink also answers */
    IDispatch *handler;
    IDispatchEx *handler_ex;    /* the handler's IDispatchEx, if it has one, else NULL */
    struct event_name *names;
    UINT name_count;
};

static inline struct event_sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct event_sink, IDispatch_iface);
}

static HRESULT WINAPI event_sink_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct event_sink *sink = impl_from_IDispatch(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &sink->iid)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI event_sink_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&impl_from_IDispatch(iface)->ref);
}

static ULONG WINAPI event_sink_Release(IDispatch *iface)
{
    struct event_sink *sink = impl_from_IDispatch(iface);
    ULONG ref = InterlockedDecrement(&sink->ref);
    UINT i;

    if (!ref) {
        for (i = 0; i < sink->name_count; i++)
            SysFreeString(sink->names[i].method);
        HeapFree(GetProcessHeap(), 0, sink->names);
        if (sink->handler_ex)
            IDispatchEx_Release(sink->handler_ex);
        IDispatch_Release(sink->handler);
        HeapFree(GetProcessHeap(), 0, sink);
        module_unlock();
    }
    return ref;
}

static HRESULT WINAPI event_sink_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    if (!count)
        return E_POINTER;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI event_sink_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid,
                                             ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid;
    if (!info)
        return E_POINTER;
    *info = NULL;
    return DISP_E_BADINDEX;
}

static HRESULT WINAPI event_sink_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names,
                                               UINT count, LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;   /* only the source calls a sink, and by DISPID */
}

static HRESULT WINAPI event_sink_Invoke(IDispatch *iface, DISPID member, REFIID riid, LCID lcid,
                                        WORD flags, DISPPARAMS *params, VARIANT *result,
                                        EXCEPINFO *excep, UINT *arg_err)
{
    struct event_sink *sink = impl_from_IDispatch(iface);
    DISPPARAMS no_params = { NULL, NULL, 0, 0 };
    LPOLESTR name = NULL;
    DISPID id;
    UINT i;

    (void)riid; (void)flags;
    for (i = 0; i < sink->name_count; i++)
        if (sink->names[i].id == member)
            name = sink->names[i].method;
    if (!name)
        return DISP_E_MEMBERNOTFOUND;
    if (!params)
        params = &no_params;
    /*
     * Looked up on every event: a script may define its handler after connecting. Script
     * objects are asked through IDispatchEx (Wine's VBScript class instances answer only
     * that), case-insensitively as GetIDsOfNames would.
     */
    if (sink->handler_ex) {
        BSTR method = SysAllocString(name);
        HRESULT hr = method ? IDispatchEx_GetDispID(sink->handler_ex, method,
                                                    fdexNameCaseInsensitive, &id)
                            : E_OUTOFMEMORY;
        SysFreeString(method);
        if (FAILED(hr))
            return S_OK;
        return IDispatchEx_InvokeEx(sink->handler_ex, id, lcid, DISPATCH_METHOD, params, result,
                                    excep, NULL);
    }
    if (FAILED(IDispatch_GetIDsOfNames(sink->handler, &IID_NULL, &name, 1, lcid, &id)))
        return S_OK;
    return IDispatch_Invoke(sink->handler, id, &IID_NULL, lcid, DISPATCH_METHOD, params, result,
                            excep, arg_err);
}

static const IDispatchVtbl event_sink_vtbl = {
    event_sink_QueryInterface,
    event_sink_AddRef,
    event_sink_Release,
    event_sink_GetTypeInfoCount,
    event_sink_GetTypeInfo,
    event_sink_GetIDsOfNames,
    event_sink_Invoke,
};

/* The type information of event interface `iid`: ours, else from the source's type library. */
static HRESULT find_event_type_info(IDispatch *source, REFIID iid, ITypeInfo **out)
{
    ITypeInfo *source_info = NULL;
    ITypeLib *typelib = NULL;
    UINT index;
    HRESULT hr;

    *out = NULL;
    if (SUCCEEDED(dispatch_get_type_lib(&typelib))) {
        hr = ITypeLib_GetTypeInfoOfGuid(typelib, iid, out);
        ITypeLib_Release(typelib);
        if (SUCCEEDED(hr))
            return hr;
    }
    hr = IDispatch_GetTypeInfo(source, 0, LOCALE_USER_DEFAULT, &source_info);
    if (FAILED(hr) || !source_info)
        return FAILED(hr) ? hr : TYPE_E_ELEMENTNOTFOUND;
    hr = ITypeInfo_GetContainingTypeLib(source_info, &typelib, &index);
    ITypeInfo_Release(source_info);
    if (FAILED(hr))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(typelib, iid, out);
    ITypeLib_Release(typelib);
    return hr;
}

/* A sink for event interface `info` that calls `handler`'s prefix + name methods. */
static HRESULT event_sink_create(ITypeInfo *info, REFIID iid, IDispatch *handler,
                                 const WCHAR *prefix, struct event_sink **out)
{
    UINT prefix_length = lstrlenW(prefix), i;
    struct event_sink *sink;
    TYPEATTR *attr;
    HRESULT hr;

    *out = NULL;
    hr = ITypeInfo_GetTypeAttr(info, &attr);
    if (FAILED(hr))
        return hr;
    sink = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sink));
    if (sink)
        sink->names = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                                (attr->cFuncs ? attr->cFuncs : 1) * sizeof(*sink->names));
    if (!sink || !sink->names) {
        ITypeInfo_ReleaseTypeAttr(info, attr);
        HeapFree(GetProcessHeap(), 0, sink);
        return E_OUTOFMEMORY;
    }
    sink->IDispatch_iface.lpVtbl = &event_sink_vtbl;
    sink->ref = 1;
    sink->iid = *iid;
    sink->handler = handler;
    IDispatch_AddRef(handler);
    if (FAILED(IDispatch_QueryInterface(handler, &iid_dispatch_ex, (void **)&sink->handler_ex)))
        sink->handler_ex = NULL;
    module_lock();

    for (i = 0; i < attr->cFuncs && SUCCEEDED(hr); i++) {
        FUNCDESC *func;
        BSTR name = NULL;
        UINT got = 0;

        if (FAILED(ITypeInfo_GetFuncDesc(info, i, &func)))
            continue;
        /* IUnknown and IDispatch themselves, listed by some dispinterfaces, are not events. */
        if (!(func->wFuncFlags & FUNCFLAG_FRESTRICTED) &&
            SUCCEEDED(ITypeInfo_GetNames(info, func->memid, &name, 1, &got)) && got) {
            UINT length = SysStringLen(name);
            BSTR method = SysAllocStringLen(NULL, prefix_length + length);
            if (method) {
                memcpy(method, prefix, prefix_length * sizeof(WCHAR));
                memcpy(method + prefix_length, name, length * sizeof(WCHAR));
                sink->names[sink->name_count].id = func->memid;
                sink->names[sink->name_count].method = method;
                sink->name_count++;
            } else
                hr = E_OUTOFMEMORY;
        }
        SysFreeString(name);
        ITypeInfo_ReleaseFuncDesc(info, func);
    }
    ITypeInfo_ReleaseTypeAttr(info, attr);
    if (FAILED(hr)) {
        IDispatch_Release(&sink->IDispatch_iface);
        return hr;
    }
    *out = sink;
    return S_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The connector                                                                               */
/* ------------------------------------------------------------------------------------------ */

struct connection {
    struct connection *next;
    IUnknown *source;           /* the source's identity, for DisconnectObject */
    IConnectionPoint *point;
    DWORD cookie;
};

struct event_connector {
    IOpenFsiEventConnector IOpenFsiEventConnector_iface;
    struct error_support errors;
    LONG ref;
    CRITICAL_SECTION lock;
    struct connection *connections;
};

static const IID *const event_connector_error_iids[] = { &IID_IOpenFsiEventConnector, NULL };

static inline struct event_connector *impl_from_IOpenFsiEventConnector(
    IOpenFsiEventConnector *iface)
{
    return CONTAINING_RECORD(iface, struct event_connector, IOpenFsiEventConnector_iface);
}

static void connection_close(struct connection *connection)
{
    IConnectionPoint_Unadvise(connection->point, connection->cookie);
    IConnectionPoint_Release(connection->point);
    IUnknown_Release(connection->source);
    HeapFree(GetProcessHeap(), 0, connection);
}

/* Takes out of the list, under the lock, the connections of `source` (all if NULL). */
static struct connection *take_connections(struct event_connector *connector, IUnknown *source)
{
    struct connection **link, *taken = NULL;

    EnterCriticalSection(&connector->lock);
    link = &connector->connections;
    while (*link) {
        struct connection *connection = *link;
        if (!source || connection->source == source) {
            *link = connection->next;
            connection->next = taken;
            taken = connection;
        } else
            link = &connection->next;
    }
    LeaveCriticalSection(&connector->lock);
    return taken;
}

/* Unadvises outside the lock: the source may call back into its sinks. */
static void close_connections(struct connection *connections)
{
    while (connections) {
        struct connection *next = connections->next;
        connection_close(connections);
        connections = next;
    }
}

static HRESULT WINAPI event_connector_QueryInterface(IOpenFsiEventConnector *iface, REFIID riid,
                                                     void **out)
{
    struct event_connector *connector = impl_from_IOpenFsiEventConnector(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IOpenFsiEventConnector))
        *out = &connector->IOpenFsiEventConnector_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &connector->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI event_connector_AddRef(IOpenFsiEventConnector *iface)
{
    return InterlockedIncrement(&impl_from_IOpenFsiEventConnector(iface)->ref);
}

static ULONG WINAPI event_connector_Release(IOpenFsiEventConnector *iface)
{
    struct event_connector *connector = impl_from_IOpenFsiEventConnector(iface);
    ULONG ref = InterlockedDecrement(&connector->ref);

    if (!ref) {
        close_connections(take_connections(connector, NULL));
        DeleteCriticalSection(&connector->lock);
        HeapFree(GetProcessHeap(), 0, connector);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(event_connector, IOpenFsiEventConnector, TID_IOpenFsiEventConnector)

/* Advises a sink on `point`; S_FALSE if the point's events cannot be named (skipped). */
static HRESULT connect_point(struct event_connector *connector, IUnknown *identity,
                             IDispatch *source, IConnectionPoint *point, IDispatch *handler,
                             const WCHAR *prefix)
{
    struct connection *connection;
    struct event_sink *sink;
    ITypeInfo *info;
    IID iid;
    HRESULT hr;

    hr = IConnectionPoint_GetConnectionInterface(point, &iid);
    if (FAILED(hr))
        return hr;
    if (FAILED(find_event_type_info(source, &iid, &info)))
        return S_FALSE;
    hr = event_sink_create(info, &iid, handler, prefix, &sink);
    ITypeInfo_Release(info);
    if (FAILED(hr))
        return hr;
    connection = HeapAlloc(GetProcessHeap(), 0, sizeof(*connection));
    if (!connection) {
        IDispatch_Release(&sink->IDispatch_iface);
        return E_OUTOFMEMORY;
    }
    hr = IConnectionPoint_Advise(point, (IUnknown *)&sink->IDispatch_iface, &connection->cookie);
    IDispatch_Release(&sink->IDispatch_iface);        /* the source holds it now */
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, connection);
        return hr;
    }
    connection->point = point;
    IConnectionPoint_AddRef(point);
    connection->source = identity;
    IUnknown_AddRef(identity);
    EnterCriticalSection(&connector->lock);
    connection->next = connector->connections;
    connector->connections = connection;
    LeaveCriticalSection(&connector->lock);
    return S_OK;
}

static HRESULT WINAPI event_connector_ConnectObject(IOpenFsiEventConnector *iface,
                                                    IDispatch *source, IDispatch *handler,
                                                    BSTR prefix)
{
    struct event_connector *connector = impl_from_IOpenFsiEventConnector(iface);
    IConnectionPointContainer *container;
    IEnumConnectionPoints *points;
    IConnectionPoint *point;
    IUnknown *identity;
    HRESULT hr, failure = S_OK;
    ULONG connected = 0;

    if (!source || !handler)
        return com_error(E_POINTER, &IID_IOpenFsiEventConnector,
                         source ? L"ConnectObject needs a handler object: it is NULL."
                                : L"ConnectObject needs an event source: it is NULL.");
    if (FAILED(IDispatch_QueryInterface(source, &IID_IConnectionPointContainer,
                                        (void **)&container)))
        return com_error(E_NOINTERFACE, &IID_IOpenFsiEventConnector,
                         L"The object given to ConnectObject raises no events "
                         L"(it has no IConnectionPointContainer).");
    hr = IConnectionPointContainer_EnumConnectionPoints(container, &points);
    IConnectionPointContainer_Release(container);
    if (FAILED(hr))
        return com_error(hr, &IID_IOpenFsiEventConnector,
                         L"The object given to ConnectObject cannot list its events.");
    hr = IDispatch_QueryInterface(source, &IID_IUnknown, (void **)&identity);
    if (FAILED(hr)) {
        IEnumConnectionPoints_Release(points);
        return com_error(hr, &IID_IOpenFsiEventConnector, NULL);
    }
    while (IEnumConnectionPoints_Next(points, 1, &point, NULL) == S_OK) {
        hr = connect_point(connector, identity, source, point, handler, prefix ? prefix : L"");
        IConnectionPoint_Release(point);
        if (hr == S_OK)
            connected++;
        else if (FAILED(hr))
            failure = hr;
    }
    IEnumConnectionPoints_Release(points);
    IUnknown_Release(identity);
    if (connected)
        return S_OK;
    if (FAILED(failure))
        return com_error(failure, &IID_IOpenFsiEventConnector,
                         L"ConnectObject could not connect to the object's events.");
    return com_error(CONNECT_E_NOCONNECTION, &IID_IOpenFsiEventConnector,
                     L"The object given to ConnectObject has no events described by a type "
                     L"library.");
}

static HRESULT WINAPI event_connector_DisconnectObject(IOpenFsiEventConnector *iface,
                                                       IDispatch *source)
{
    struct event_connector *connector = impl_from_IOpenFsiEventConnector(iface);
    IUnknown *identity;

    if (!source)
        return com_error(E_POINTER, &IID_IOpenFsiEventConnector,
                         L"DisconnectObject needs the event source: it is NULL.");
    if (FAILED(IDispatch_QueryInterface(source, &IID_IUnknown, (void **)&identity)))
        return com_error(E_INVALIDARG, &IID_IOpenFsiEventConnector, NULL);
    /* An object that is not connected is no error, as with WScript.DisconnectObject. */
    close_connections(take_connections(connector, identity));
    IUnknown_Release(identity);
    return S_OK;
}

static const IOpenFsiEventConnectorVtbl event_connector_vtbl = {
    event_connector_QueryInterface,
    event_connector_AddRef,
    event_connector_Release,
    event_connector_GetTypeInfoCount,
    event_connector_GetTypeInfo,
    event_connector_GetIDsOfNames,
    event_connector_Invoke,
    event_connector_ConnectObject,
    event_connector_DisconnectObject,
};

HRESULT event_connector_create(REFIID riid, void **out)
{
    struct event_connector *connector;
    HRESULT hr;

    connector = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*connector));
    if (!connector)
        return E_OUTOFMEMORY;
    connector->IOpenFsiEventConnector_iface.lpVtbl = &event_connector_vtbl;
    error_support_init(&connector->errors, (IUnknown *)&connector->IOpenFsiEventConnector_iface,
                       event_connector_error_iids);
    connector->ref = 1;
    InitializeCriticalSection(&connector->lock);
    module_lock();
    hr = IOpenFsiEventConnector_QueryInterface(&connector->IOpenFsiEventConnector_iface, riid, out);
    IOpenFsiEventConnector_Release(&connector->IOpenFsiEventConnector_iface);
    return hr;
}
