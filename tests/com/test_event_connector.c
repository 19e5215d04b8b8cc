/*
 * OpenFsi.EventConnector (an openfsi extension): connects the events of an object to the
 * methods prefix + EventName of a handler, as WScript.ConnectObject does. A C handler with a
 * method "fsi_Update" receives the stream writer's Update events with their arguments; a
 * handler without it is skipped silently; DisconnectObject and releasing the connector end the
 * connection; bad arguments fail with a message.
 */
#include "event_sink.h"
#include "openfsi_ext.h"

#include <string.h>

/* A handler that knows one method name, and what its last call brought. */
struct handler {
    struct event_sink base;
    int calls;
    LONG copied, total;         /* the last two arguments of the last call */
    UINT args;
    WORD flags;
};

static void on_call(struct event_sink *base, DISPID member, WORD flags, DISPPARAMS *params)
{
    struct handler *handler = CONTAINING_RECORD(base, struct handler, base);

    assert_int_equal(member, EVENT_SINK_METHOD_ID);
    assert_true(params->cArgs >= 2);
    assert_int_equal(V_VT(&params->rgvarg[params->cArgs - 1]), VT_DISPATCH);
    handler->args = params->cArgs;
    handler->flags = flags;
    handler->copied = V_I4(&params->rgvarg[1]);
    handler->total = V_I4(&params->rgvarg[0]);
    handler->calls++;
}

static void handler_init(struct handler *handler, const WCHAR *method)
{
    memset(handler, 0, sizeof(*handler));
    event_sink_init(&handler->base, NULL, on_call, NULL);
    handler->base.method = method;
}

static IStream *stream_of(size_t size)
{
    IStream *stream = NULL;
    ULARGE_INTEGER length;
    assert_hr(S_OK, CreateStreamOnHGlobal(NULL, TRUE, &stream));
    length.QuadPart = size;
    assert_hr(S_OK, IStream_SetSize(stream, length));
    return stream;
}

static void write_once(IOpenFsiStreamWriter *writer, size_t size)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    IStream *stream = stream_of(size);
    BSTR target;

    assert_true(GetTempPathW(MAX_PATH, dir) > 0);
    wsprintfW(path, L"%sopenfsi_connector.bin", dir);
    target = SysAllocString(path);
    assert_hr(S_OK, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, target));
    DeleteFileW(path);
    SysFreeString(target);
    IStream_Release(stream);
}

/* Number of sinks advised on the writer's event connection point. */
static ULONG connections_of(IOpenFsiStreamWriter *writer)
{
    IConnectionPointContainer *container;
    IConnectionPoint *point;
    IEnumConnections *connections;
    CONNECTDATA data;
    ULONG count = 0;

    assert_hr(S_OK, IOpenFsiStreamWriter_QueryInterface(writer, &IID_IConnectionPointContainer,
                                                        (void **)&container));
    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DOpenFsiStreamWriterEvents, &point));
    assert_hr(S_OK, IConnectionPoint_EnumConnections(point, &connections));
    while (IEnumConnections_Next(connections, 1, &data, NULL) == S_OK) {
        IUnknown_Release(data.pUnk);
        count++;
    }
    IEnumConnections_Release(connections);
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    return count;
}

static void test_handler_method_receives_the_writer_updates(void **state)
{
    IOpenFsiEventConnector *connector =
        com_test_create(&CLSID_OpenFsiEventConnector, &IID_IOpenFsiEventConnector);
    IOpenFsiStreamWriter *writer =
        com_test_create(&CLSID_OpenFsiStreamWriter, &IID_IOpenFsiStreamWriter);
    struct handler handler;
    const WCHAR *method = L"fsi_Update";
    BSTR prefix = SysAllocString(L"fsi_");
    (void)state;
    handler_init(&handler, method);

    assert_hr(S_OK, IOpenFsiEventConnector_ConnectObject(connector, (IDispatch *)writer,
                                                         &handler.base.IDispatch_iface, prefix));
    assert_int_equal(connections_of(writer), 1);
    assert_true(handler.base.ref > 1);                       /* held by the connection */
    write_once(writer, 9 * 1024 * 1024);                /* an Update at 8 MiB, one at the end */
    assert_int_equal(handler.calls, 2);
    assert_int_equal(handler.args, 3);
    assert_int_equal(handler.flags, DISPATCH_METHOD);
    assert_int_equal(handler.copied, 9 * 512);
    assert_int_equal(handler.total, 9 * 512);

    assert_hr(S_OK, IOpenFsiEventConnector_DisconnectObject(connector, (IDispatch *)writer));
    assert_int_equal(connections_of(writer), 0);
    assert_int_equal(handler.base.ref, 1);
    write_once(writer, 100);
    assert_int_equal(handler.calls, 2);
    /* Disconnecting what is not connected does nothing. */
    assert_hr(S_OK, IOpenFsiEventConnector_DisconnectObject(connector, (IDispatch *)writer));

    SysFreeString(prefix);
    IOpenFsiStreamWriter_Release(writer);
    IOpenFsiEventConnector_Release(connector);
}

static void test_handler_without_the_method_is_skipped(void **state)
{
    IOpenFsiEventConnector *connector =
        com_test_create(&CLSID_OpenFsiEventConnector, &IID_IOpenFsiEventConnector);
    IOpenFsiStreamWriter *writer =
        com_test_create(&CLSID_OpenFsiStreamWriter, &IID_IOpenFsiStreamWriter);
    struct handler handler;
    const WCHAR *method = L"other_Update";
    BSTR prefix = SysAllocString(L"fsi_");
    (void)state;
    handler_init(&handler, method);

    assert_hr(S_OK, IOpenFsiEventConnector_ConnectObject(connector, (IDispatch *)writer,
                                                         &handler.base.IDispatch_iface, prefix));
    write_once(writer, 1000);
    assert_int_equal(handler.calls, 0);
    assert_int_equal(handler.base.lookups, 1);               /* it was asked for fsi_Update */
    SysFreeString(prefix);
    /* Releasing the connector ends its connections. */
    IOpenFsiEventConnector_Release(connector);
    assert_int_equal(connections_of(writer), 0);
    assert_int_equal(handler.base.ref, 1);
    IOpenFsiStreamWriter_Release(writer);
}

static void test_file_system_image_events_are_connected_by_name(void **state)
{
    IOpenFsiEventConnector *connector =
        com_test_create(&CLSID_OpenFsiEventConnector, &IID_IOpenFsiEventConnector);
    IDispatch *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IDispatch);
    struct handler handler;
    const WCHAR *method = L"fsi_Update";
    BSTR prefix = SysAllocString(L"fsi_");
    IConnectionPointContainer *container;
    IConnectionPoint *point;
    IEnumConnections *connections;
    CONNECTDATA data;
    VARIANT args[4];
    DISPPARAMS params = { args, NULL, 4, 0 };
    IDispatch *sink;
    (void)state;
    handler_init(&handler, method);

    /* Both event interfaces of MsftFileSystemImage get a sink. */
    assert_hr(S_OK, IOpenFsiEventConnector_ConnectObject(connector, image,
                                                         &handler.base.IDispatch_iface, prefix));
    assert_hr(S_OK, IDispatch_QueryInterface(image, &IID_IConnectionPointContainer,
                                             (void **)&container));
    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(S_OK, IConnectionPoint_EnumConnections(point, &connections));
    assert_hr(S_OK, IEnumConnections_Next(connections, 1, &data, NULL));
    IEnumConnections_Release(connections);

    /* Raise DFileSystemImageEvents::Update on the sink as the image would. */
    assert_hr(S_OK, IUnknown_QueryInterface(data.pUnk, &IID_IDispatch, (void **)&sink));
    V_VT(&args[3]) = VT_DISPATCH; V_DISPATCH(&args[3]) = image;
    V_VT(&args[2]) = VT_BSTR; V_BSTR(&args[2]) = SysAllocString(L"\\a.txt");
    V_VT(&args[1]) = VT_I4; V_I4(&args[1]) = 5;
    V_VT(&args[0]) = VT_I4; V_I4(&args[0]) = 7;
    assert_hr(S_OK, IDispatch_Invoke(sink, DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE, &IID_NULL, 0,
                                     DISPATCH_METHOD, &params, NULL, NULL, NULL));
    assert_int_equal(handler.calls, 1);
    assert_int_equal(handler.args, 4);
    assert_int_equal(handler.copied, 5);
    assert_int_equal(handler.total, 7);
    /* A DISPID the event interface does not have is not an event. */
    assert_hr(DISP_E_MEMBERNOTFOUND, IDispatch_Invoke(sink, 12345, &IID_NULL, 0, DISPATCH_METHOD,
                                                      &params, NULL, NULL, NULL));
    assert_int_equal(handler.calls, 1);
    SysFreeString(V_BSTR(&args[2]));
    IDispatch_Release(sink);
    IUnknown_Release(data.pUnk);

    assert_hr(S_OK, IOpenFsiEventConnector_DisconnectObject(connector, image));
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    assert_int_equal(handler.base.ref, 1);
    SysFreeString(prefix);
    IDispatch_Release(image);
    IOpenFsiEventConnector_Release(connector);
}

static void test_bad_arguments_fail_with_a_message(void **state)
{
    IOpenFsiEventConnector *connector =
        com_test_create(&CLSID_OpenFsiEventConnector, &IID_IOpenFsiEventConnector);
    IDispatch *boot = com_test_create(&CLSID_BootOptions, &IID_IDispatch);
    struct handler handler;
    const WCHAR *method = L"x_Update";
    BSTR prefix = SysAllocString(L"x_"), message;
    (void)state;
    handler_init(&handler, method);

    assert_hr(E_POINTER, IOpenFsiEventConnector_ConnectObject(connector, NULL,
                                                              &handler.base.IDispatch_iface, prefix));
    assert_hr(E_POINTER, IOpenFsiEventConnector_ConnectObject(connector, boot, NULL, prefix));
    assert_hr(E_POINTER, IOpenFsiEventConnector_DisconnectObject(connector, NULL));
    /* BootOptions raises no events. */
    assert_hr(E_NOINTERFACE, IOpenFsiEventConnector_ConnectObject(connector, boot,
                                                                  &handler.base.IDispatch_iface,
                                                                  prefix));
    message = com_test_error_description();
    assert_non_null(message);
    assert_non_null(wcsstr(message, L"no events"));
    SysFreeString(message);
    assert_int_equal(handler.base.ref, 1);
    SysFreeString(prefix);
    IDispatch_Release(boot);
    IOpenFsiEventConnector_Release(connector);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handler_method_receives_the_writer_updates),
        cmocka_unit_test(test_handler_without_the_method_is_skipped),
        cmocka_unit_test(test_file_system_image_events_are_connected_by_name),
        cmocka_unit_test(test_bad_arguments_fail_with_a_message),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
