/*
 * MsftFileSystemImage as an event source: it offers connection points for
 * DFileSystemImageEvents and DFileSystemImageImportEvents, takes IDispatch sinks, hands out
 * cookies and takes them back, and refuses what it does not know.
 */
#include "com_test.h"

/* A minimal IDispatch sink that counts its references. */
struct sink {
    IDispatch IDispatch_iface;
    LONG ref;
};

static inline struct sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, IDispatch_iface);
}

static HRESULT WINAPI sink_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&impl_from_IDispatch(iface)->ref);
}

static ULONG WINAPI sink_Release(IDispatch *iface)
{
    return InterlockedDecrement(&impl_from_IDispatch(iface)->ref);
}

static HRESULT WINAPI sink_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI sink_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid, ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid; (void)info;
    return E_NOTIMPL;
}

static HRESULT WINAPI sink_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names,
                                         UINT count, LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID member, REFIID riid, LCID lcid,
                                  WORD flags, DISPPARAMS *params, VARIANT *result,
                                  EXCEPINFO *excep, UINT *arg_err)
{
    (void)iface; (void)member; (void)riid; (void)lcid; (void)flags; (void)params;
    (void)result; (void)excep; (void)arg_err;
    return S_OK;
}

static const IDispatchVtbl sink_vtbl = {
    sink_QueryInterface, sink_AddRef, sink_Release, sink_GetTypeInfoCount, sink_GetTypeInfo,
    sink_GetIDsOfNames, sink_Invoke,
};

static IConnectionPointContainer *create_container(void)
{
    return com_test_create(&CLSID_MsftFileSystemImage, &IID_IConnectionPointContainer);
}

static void test_both_event_interfaces_have_a_connection_point(void **state)
{
    IConnectionPointContainer *container = create_container();
    IConnectionPointContainer *back = NULL;
    IConnectionPoint *point = NULL;
    IID iid;
    (void)state;

    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(S_OK, IConnectionPoint_GetConnectionInterface(point, &iid));
    assert_true(IsEqualIID(&iid, &IID_DFileSystemImageEvents));
    assert_hr(S_OK, IConnectionPoint_GetConnectionPointContainer(point, &back));
    assert_ptr_equal(back, container);
    IConnectionPointContainer_Release(back);
    IConnectionPoint_Release(point);

    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageImportEvents, &point));
    assert_hr(S_OK, IConnectionPoint_GetConnectionInterface(point, &iid));
    assert_true(IsEqualIID(&iid, &IID_DFileSystemImageImportEvents));
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
}

static void test_unknown_event_interface_has_no_connection_point(void **state)
{
    IConnectionPointContainer *container = create_container();
    IConnectionPoint *point = (IConnectionPoint *)0xdeadbeef;
    (void)state;

    assert_hr(CONNECT_E_NOCONNECTION, IConnectionPointContainer_FindConnectionPoint(
                                          container, &IID_IDispatch, &point));
    assert_null(point);
    assert_hr(E_POINTER, IConnectionPointContainer_FindConnectionPoint(
                             container, &IID_DFileSystemImageEvents, NULL));
    IConnectionPointContainer_Release(container);
}

static void test_advise_holds_the_sink_until_unadvise(void **state)
{
    IConnectionPointContainer *container = create_container();
    struct sink sink = { { &sink_vtbl }, 1 };
    IConnectionPoint *point = NULL;
    DWORD first = 0, second = 0;
    (void)state;

    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(S_OK, IConnectionPoint_Advise(point, (IUnknown *)&sink.IDispatch_iface, &first));
    assert_hr(S_OK, IConnectionPoint_Advise(point, (IUnknown *)&sink.IDispatch_iface, &second));
    assert_int_not_equal(first, 0);
    assert_int_not_equal(second, 0);
    assert_int_not_equal(first, second);
    assert_int_equal(sink.ref, 3);

    assert_hr(S_OK, IConnectionPoint_Unadvise(point, first));
    assert_int_equal(sink.ref, 2);
    assert_hr(CONNECT_E_NOCONNECTION, IConnectionPoint_Unadvise(point, first));
    assert_hr(CONNECT_E_NOCONNECTION, IConnectionPoint_Unadvise(point, 0));
    assert_hr(CONNECT_E_NOCONNECTION, IConnectionPoint_Unadvise(point, 999));

    /* Releasing the image lets go of the sinks still advised. */
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    assert_int_equal(sink.ref, 1);
}

static void test_advise_checks_its_arguments(void **state)
{
    IConnectionPointContainer *container = create_container();
    struct sink sink = { { &sink_vtbl }, 1 };
    IConnectionPoint *point = NULL;
    DWORD cookie = 1;
    (void)state;

    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(E_POINTER, IConnectionPoint_Advise(point, (IUnknown *)&sink.IDispatch_iface, NULL));
    assert_hr(E_INVALIDARG, IConnectionPoint_Advise(point, NULL, &cookie));
    assert_int_equal(cookie, 0);
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    assert_int_equal(sink.ref, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_event_interfaces_have_a_connection_point),
        cmocka_unit_test(test_unknown_event_interface_has_no_connection_point),
        cmocka_unit_test(test_advise_holds_the_sink_until_unadvise),
        cmocka_unit_test(test_advise_checks_its_arguments),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
