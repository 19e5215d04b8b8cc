/*
 * MsftFileSystemImage as an event source: it offers connection points for
 * DFileSystemImageEvents and DFileSystemImageImportEvents, takes IDispatch sinks, hands out
 * cookies and takes them back, and refuses what it does not know. IEnumConnectionPoints lists
 * both points and IEnumConnections the sinks advised, each with Next/Skip/Reset/Clone.
 */
#include "event_sink.h"


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
    struct event_sink sink;
    IConnectionPoint *point = NULL;
    DWORD first = 0, second = 0;
    (void)state;
    event_sink_init(&sink, NULL, NULL, NULL);

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
    struct event_sink sink;
    IConnectionPoint *point = NULL;
    DWORD cookie = 1;
    (void)state;
    event_sink_init(&sink, NULL, NULL, NULL);

    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(E_POINTER, IConnectionPoint_Advise(point, (IUnknown *)&sink.IDispatch_iface, NULL));
    assert_hr(E_INVALIDARG, IConnectionPoint_Advise(point, NULL, &cookie));
    assert_int_equal(cookie, 0);
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    assert_int_equal(sink.ref, 1);
}

static void test_enum_connection_points_lists_both_points(void **state)
{
    IConnectionPointContainer *container = create_container();
    IEnumConnectionPoints *points = NULL, *clone = NULL;
    IConnectionPoint *got[3] = { NULL, NULL, NULL };
    ULONG fetched = 99;
    IID iid;
    (void)state;

    assert_hr(E_POINTER, IConnectionPointContainer_EnumConnectionPoints(container, NULL));
    assert_hr(S_OK, IConnectionPointContainer_EnumConnectionPoints(container, &points));
    assert_hr(S_FALSE, IEnumConnectionPoints_Next(points, 3, got, &fetched));
    assert_int_equal(fetched, 2);
    assert_hr(S_OK, IConnectionPoint_GetConnectionInterface(got[0], &iid));
    assert_true(IsEqualIID(&iid, &IID_DFileSystemImageEvents));
    assert_hr(S_OK, IConnectionPoint_GetConnectionInterface(got[1], &iid));
    assert_true(IsEqualIID(&iid, &IID_DFileSystemImageImportEvents));
    assert_null(got[2]);
    IConnectionPoint_Release(got[0]);
    IConnectionPoint_Release(got[1]);
    assert_hr(S_FALSE, IEnumConnectionPoints_Next(points, 1, got, NULL));

    assert_hr(S_OK, IEnumConnectionPoints_Reset(points));
    assert_hr(S_OK, IEnumConnectionPoints_Skip(points, 1));
    assert_hr(S_OK, IEnumConnectionPoints_Clone(points, &clone));
    assert_hr(S_OK, IEnumConnectionPoints_Next(clone, 1, got, NULL));
    assert_hr(S_OK, IConnectionPoint_GetConnectionInterface(got[0], &iid));
    assert_true(IsEqualIID(&iid, &IID_DFileSystemImageImportEvents));
    IConnectionPoint_Release(got[0]);
    assert_hr(S_FALSE, IEnumConnectionPoints_Skip(points, 5));
    assert_hr(S_FALSE, IEnumConnectionPoints_Next(points, 1, got, NULL));
    assert_hr(E_POINTER, IEnumConnectionPoints_Next(points, 2, got, NULL));
    IEnumConnectionPoints_Release(clone);

    /* The enumerator keeps the object alive. */
    IConnectionPointContainer_Release(container);
    assert_hr(S_OK, IEnumConnectionPoints_Reset(points));
    assert_hr(S_OK, IEnumConnectionPoints_Next(points, 1, got, NULL));
    IConnectionPoint_Release(got[0]);
    IEnumConnectionPoints_Release(points);
}

static void test_enum_connections_is_a_snapshot_holding_the_sinks(void **state)
{
    IConnectionPointContainer *container = create_container();
    struct event_sink first, second;
    IEnumConnections *connections = NULL, *clone = NULL;
    IConnectionPoint *point = NULL;
    CONNECTDATA data[3];
    DWORD cookie1 = 0, cookie2 = 0;
    ULONG fetched = 0;
    (void)state;
    event_sink_init(&first, NULL, NULL, NULL);
    event_sink_init(&second, NULL, NULL, NULL);

    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(E_POINTER, IConnectionPoint_EnumConnections(point, NULL));
    assert_hr(S_OK, IConnectionPoint_EnumConnections(point, &connections));
    assert_hr(S_FALSE, IEnumConnections_Next(connections, 1, data, NULL));   /* none yet */
    IEnumConnections_Release(connections);

    assert_hr(S_OK, IConnectionPoint_Advise(point, (IUnknown *)&first.IDispatch_iface, &cookie1));
    assert_hr(S_OK, IConnectionPoint_Advise(point, (IUnknown *)&second.IDispatch_iface, &cookie2));
    assert_hr(S_OK, IConnectionPoint_EnumConnections(point, &connections));
    assert_int_equal(first.ref, 3);                 /* Advise's and the snapshot's */

    /* Unadvising does not change the snapshot, which still holds the sink. */
    assert_hr(S_OK, IConnectionPoint_Unadvise(point, cookie1));
    assert_int_equal(first.ref, 2);
    assert_hr(S_FALSE, IEnumConnections_Next(connections, 3, data, &fetched));
    assert_int_equal(fetched, 2);
    assert_ptr_equal(data[0].pUnk, (IUnknown *)&first.IDispatch_iface);
    assert_int_equal(data[0].dwCookie, cookie1);
    assert_ptr_equal(data[1].pUnk, (IUnknown *)&second.IDispatch_iface);
    assert_int_equal(data[1].dwCookie, cookie2);
    assert_int_equal(first.ref, 3);                 /* Next hands out a reference */
    IUnknown_Release(data[0].pUnk);
    IUnknown_Release(data[1].pUnk);

    assert_hr(S_OK, IEnumConnections_Reset(connections));
    assert_hr(S_OK, IEnumConnections_Skip(connections, 1));
    assert_hr(S_OK, IEnumConnections_Clone(connections, &clone));
    assert_hr(S_OK, IEnumConnections_Next(clone, 1, data, NULL));
    assert_ptr_equal(data[0].pUnk, (IUnknown *)&second.IDispatch_iface);
    IUnknown_Release(data[0].pUnk);
    assert_hr(S_FALSE, IEnumConnections_Skip(clone, 1));
    assert_hr(E_POINTER, IEnumConnections_Next(clone, 2, data, NULL));
    IEnumConnections_Release(clone);
    IEnumConnections_Release(connections);
    assert_int_equal(first.ref, 1);
    assert_int_equal(second.ref, 2);

    assert_hr(S_OK, IConnectionPoint_Unadvise(point, cookie2));
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    assert_int_equal(second.ref, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_event_interfaces_have_a_connection_point),
        cmocka_unit_test(test_unknown_event_interface_has_no_connection_point),
        cmocka_unit_test(test_advise_holds_the_sink_until_unadvise),
        cmocka_unit_test(test_advise_checks_its_arguments),
        cmocka_unit_test(test_enum_connection_points_lists_both_points),
        cmocka_unit_test(test_enum_connections_is_a_snapshot_holding_the_sinks),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
