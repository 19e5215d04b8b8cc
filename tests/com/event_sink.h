/*
 * A test event sink: a minimal IDispatch that counts its references and hands each Invoke to the
 * test's own function. Connection-point tests (the image's Update events, the stream writer's,
 * the enumerators, the event connector) share it instead of each writing an IDispatch. Given a
 * method name it also answers GetIDsOfNames for that one name (any case), as a script handler
 * does, with EVENT_SINK_METHOD_ID, and counts the lookups.
 */
#ifndef OPENFSI_TESTS_COM_EVENT_SINK_H
#define OPENFSI_TESTS_COM_EVENT_SINK_H

#include "com_test.h"

#define EVENT_SINK_METHOD_ID 42

struct event_sink;
typedef void (*event_sink_handler)(struct event_sink *sink, DISPID member, WORD flags,
                                   DISPPARAMS *params);

struct event_sink {
    IDispatch IDispatch_iface;
    LONG ref;
    const IID *events;          /* the event interface it also answers (may be NULL) */
    event_sink_handler handler; /* may be NULL: events are then only accepted */
    void *context;              /* the test's own state */
    const WCHAR *method;        /* the one name GetIDsOfNames knows, or NULL for none */
    int lookups;                /* GetIDsOfNames calls */
};

static inline struct event_sink *event_sink_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct event_sink, IDispatch_iface);
}

static HRESULT WINAPI event_sink_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct event_sink *sink = event_sink_from_IDispatch(iface);

    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        (sink->events && IsEqualIID(riid, sink->events))) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI event_sink_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&event_sink_from_IDispatch(iface)->ref);
}

static ULONG WINAPI event_sink_Release(IDispatch *iface)
{
    return InterlockedDecrement(&event_sink_from_IDispatch(iface)->ref);
}

static HRESULT WINAPI event_sink_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI event_sink_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid,
                                             ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid; (void)info;
    return E_NOTIMPL;
}

static HRESULT WINAPI event_sink_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names,
                                               UINT count, LCID lcid, DISPID *ids)
{
    struct event_sink *sink = event_sink_from_IDispatch(iface);
    (void)riid; (void)lcid;

    if (!sink->method)
        return E_NOTIMPL;
    assert_int_equal(count, 1);
    sink->lookups++;
    if (lstrcmpiW(names[0], sink->method)) {
        ids[0] = DISPID_UNKNOWN;
        return DISP_E_UNKNOWNNAME;
    }
    ids[0] = EVENT_SINK_METHOD_ID;
    return S_OK;
}

static HRESULT WINAPI event_sink_Invoke(IDispatch *iface, DISPID member, REFIID riid, LCID lcid,
                                        WORD flags, DISPPARAMS *params, VARIANT *result,
                                        EXCEPINFO *excep, UINT *arg_err)
{
    struct event_sink *sink = event_sink_from_IDispatch(iface);
    (void)riid; (void)lcid; (void)result; (void)excep; (void)arg_err;
    if (sink->handler)
        sink->handler(sink, member, flags, params);
    return S_OK;
}

static const IDispatchVtbl event_sink_vtbl = {
    event_sink_QueryInterface, event_sink_AddRef, event_sink_Release,
    event_sink_GetTypeInfoCount, event_sink_GetTypeInfo, event_sink_GetIDsOfNames,
    event_sink_Invoke,
};

static inline void event_sink_init(struct event_sink *sink, const IID *events,
                                   event_sink_handler handler, void *context)
{
    sink->IDispatch_iface.lpVtbl = &event_sink_vtbl;
    sink->ref = 1;
    sink->events = events;
    sink->handler = handler;
    sink->context = context;
    sink->method = NULL;
    sink->lookups = 0;
}

#endif
