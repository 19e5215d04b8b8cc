/*
 * OpenFsi.StreamWriter (an openfsi extension): a stream is written from its position to its end
 * into a new file, byte for byte; Update events arrive every 8 MiB and once at the end; a bad
 * path, a non-stream argument, NULL pointers and a failing stream fail with a message and leave
 * no file, partial or temporary, behind.
 */
#include "event_sink.h"
#include "openfsi_ext.h"

#include <stdio.h>
#include <string.h>

#define MIB (1024 * 1024)

static BYTE pattern_byte(size_t i) { return (BYTE)((i * 131u + (i >> 13)) & 0xff); }

/* A stream on global memory with `size` bytes of the pattern, positioned at 0. */
static IStream *pattern_stream(size_t size)
{
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, size ? size : 1);
    IStream *stream = NULL;
    BYTE *bytes;
    size_t i;

    assert_non_null(memory);
    bytes = GlobalLock(memory);
    for (i = 0; i < size; i++)
        bytes[i] = pattern_byte(i);
    GlobalUnlock(memory);
    assert_hr(S_OK, CreateStreamOnHGlobal(memory, TRUE, &stream));
    if (!size) {
        ULARGE_INTEGER zero = { { 0 } };
        assert_hr(S_OK, IStream_SetSize(stream, zero));
    } else {
        ULARGE_INTEGER length;
        length.QuadPart = size;
        assert_hr(S_OK, IStream_SetSize(stream, length));
    }
    return stream;
}

static void temp_path(const WCHAR *name, WCHAR *path)
{
    WCHAR dir[MAX_PATH];
    assert_true(GetTempPathW(MAX_PATH, dir) > 0);
    wsprintfW(path, L"%sopenfsi_writer_%s", dir, name);
}

static int file_exists(const WCHAR *path)
{
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

/* Number of files whose name starts with `path` (the target and any temporary beside it). */
static int files_starting_with(const WCHAR *path)
{
    WCHAR pattern[MAX_PATH + 2];
    WIN32_FIND_DATAW found;
    HANDLE search;
    int count = 0;

    wsprintfW(pattern, L"%s*", path);
    search = FindFirstFileW(pattern, &found);
    if (search == INVALID_HANDLE_VALUE)
        return 0;
    do
        count++;
    while (FindNextFileW(search, &found));
    FindClose(search);
    return count;
}

/* Reads the file back and checks it is the pattern from `offset`, `size` bytes long. */
static void assert_file_is_pattern(const WCHAR *path, size_t offset, size_t size)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    BYTE *bytes = malloc(size ? size : 1);
    DWORD got = 0;
    LARGE_INTEGER length;
    size_t i, bad = 0;

    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(GetFileSizeEx(file, &length));
    assert_int_equal(length.QuadPart, size);
    assert_true(ReadFile(file, bytes, (DWORD)size, &got, NULL));
    assert_int_equal(got, size);
    for (i = 0; i < size; i++)
        if (bytes[i] != pattern_byte(offset + i))
            bad++;
    assert_int_equal(bad, 0);
    free(bytes);
    CloseHandle(file);
}

/* ---- a C sink for DOpenFsiStreamWriterEvents ---- */

struct update_sink {
    struct event_sink base;
    int updates;
    LONG copied[16];
    LONG total[16];
    IDispatch *object;          /* the object argument of the last event (not held) */
    double bytes_in_event;      /* the writer's BytesWritten, read during the last event */
};

static void on_update(struct event_sink *base, DISPID member, WORD flags, DISPPARAMS *params)
{
    struct update_sink *sink = CONTAINING_RECORD(base, struct update_sink, base);
    IOpenFsiStreamWriter *writer;

    assert_int_equal(member, DISPID_DOPENFSISTREAMWRITEREVENTS_UPDATE);
    assert_int_equal(flags, DISPATCH_METHOD);
    assert_int_equal(params->cArgs, 3);
    assert_int_equal(V_VT(&params->rgvarg[2]), VT_DISPATCH);
    assert_int_equal(V_VT(&params->rgvarg[1]), VT_I4);
    assert_int_equal(V_VT(&params->rgvarg[0]), VT_I4);
    if (sink->updates < 16) {
        sink->copied[sink->updates] = V_I4(&params->rgvarg[1]);
        sink->total[sink->updates] = V_I4(&params->rgvarg[0]);
    }
    sink->updates++;
    sink->object = V_DISPATCH(&params->rgvarg[2]);
    assert_hr(S_OK, IDispatch_QueryInterface(sink->object, &IID_IOpenFsiStreamWriter,
                                             (void **)&writer));
    assert_hr(S_OK, IOpenFsiStreamWriter_get_BytesWritten(writer, &sink->bytes_in_event));
    IOpenFsiStreamWriter_Release(writer);
}

static void update_sink_init(struct update_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    event_sink_init(&sink->base, &IID_DOpenFsiStreamWriterEvents, on_update, NULL);
}

static IOpenFsiStreamWriter *create_writer(void)
{
    return com_test_create(&CLSID_OpenFsiStreamWriter, &IID_IOpenFsiStreamWriter);
}

static DWORD advise(IOpenFsiStreamWriter *writer, struct update_sink *sink, IConnectionPoint **point)
{
    IConnectionPointContainer *container = NULL;
    DWORD cookie = 0;

    assert_hr(S_OK, IOpenFsiStreamWriter_QueryInterface(writer, &IID_IConnectionPointContainer,
                                                        (void **)&container));
    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DOpenFsiStreamWriterEvents, point));
    IConnectionPointContainer_Release(container);
    assert_hr(S_OK,
              IConnectionPoint_Advise(*point, (IUnknown *)&sink->base.IDispatch_iface, &cookie));
    return cookie;
}

static void test_20_mib_stream_is_written_byte_for_byte_with_updates(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    struct update_sink sink;
    IStream *stream = pattern_stream(20 * MIB + 5);
    IConnectionPoint *point;
    WCHAR path[MAX_PATH];
    BSTR target;
    double bytes = -1;
    DWORD cookie;
    (void)state;

    update_sink_init(&sink);
    temp_path(L"20mib.bin", path);
    DeleteFileW(path);
    target = SysAllocString(path);
    cookie = advise(writer, &sink, &point);
    assert_hr(S_OK, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, target));
    assert_file_is_pattern(path, 0, 20 * MIB + 5);
    assert_int_equal(files_starting_with(path), 1);   /* no temporary file left */
    assert_hr(S_OK, IOpenFsiStreamWriter_get_BytesWritten(writer, &bytes));
    assert_true(bytes == 20.0 * MIB + 5);

    /* Every 8 MiB (at 8 and 16), then once at the end; sectors of 2048 bytes rounded up. */
    assert_int_equal(sink.updates, 3);
    assert_int_equal(sink.copied[0], 8 * MIB / 2048);
    assert_int_equal(sink.copied[1], 16 * MIB / 2048);
    assert_int_equal(sink.copied[2], 20 * MIB / 2048 + 1);
    assert_int_equal(sink.total[0], 20 * MIB / 2048 + 1);
    assert_int_equal(sink.total[2], 20 * MIB / 2048 + 1);
    assert_ptr_equal(sink.object, (IDispatch *)writer);
    assert_true(sink.bytes_in_event == 20.0 * MIB + 5);

    assert_hr(S_OK, IConnectionPoint_Unadvise(point, cookie));
    IConnectionPoint_Release(point);
    assert_int_equal(sink.base.ref, 1);
    DeleteFileW(path);
    SysFreeString(target);
    IStream_Release(stream);
    IOpenFsiStreamWriter_Release(writer);
}

static void test_writing_starts_at_the_stream_position_and_replaces_the_file(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    IStream *stream = pattern_stream(3 * MIB);
    LARGE_INTEGER offset;
    WCHAR path[MAX_PATH];
    BSTR target;
    (void)state;

    temp_path(L"offset.bin", path);
    target = SysAllocString(path);
    assert_hr(S_OK, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, target));
    assert_file_is_pattern(path, 0, 3 * MIB);
    offset.QuadPart = 1000;
    assert_hr(S_OK, IStream_Seek(stream, offset, STREAM_SEEK_SET, NULL));
    assert_hr(S_OK, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, target));
    assert_file_is_pattern(path, 1000, 3 * MIB - 1000);
    /* At its end, the stream writes an empty file. */
    assert_hr(S_OK, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, target));
    assert_file_is_pattern(path, 0, 0);
    assert_int_equal(files_starting_with(path), 1);
    DeleteFileW(path);
    SysFreeString(target);
    IStream_Release(stream);
    IOpenFsiStreamWriter_Release(writer);
}

static void test_missing_directory_fails_with_a_message_and_no_file(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    IStream *stream = pattern_stream(4096);
    WCHAR path[MAX_PATH];
    BSTR target, message;
    (void)state;

    temp_path(L"no_such_dir\\out.bin", path);
    target = SysAllocString(path);
    assert_hr(HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND),
              IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, target));
    message = com_test_error_description();
    assert_non_null(message);
    assert_non_null(wcsstr(message, path));
    SysFreeString(message);
    assert_false(file_exists(path));
    SysFreeString(target);
    IStream_Release(stream);
    IOpenFsiStreamWriter_Release(writer);
}

static void test_argument_that_is_not_a_stream_is_invalid(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    IUnknown *not_a_stream = com_test_create(&CLSID_BootOptions, &IID_IUnknown);
    WCHAR path[MAX_PATH];
    BSTR target, message;
    (void)state;

    temp_path(L"not_stream.bin", path);
    DeleteFileW(path);
    target = SysAllocString(path);
    assert_hr(E_INVALIDARG, IOpenFsiStreamWriter_WriteToFile(writer, not_a_stream, target));
    message = com_test_error_description();
    assert_non_null(message);
    assert_non_null(wcsstr(message, L"IStream"));
    SysFreeString(message);
    assert_false(file_exists(path));
    SysFreeString(target);
    IUnknown_Release(not_a_stream);
    IOpenFsiStreamWriter_Release(writer);
}

static void test_null_pointers_and_empty_path_are_refused(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    IStream *stream = pattern_stream(16);
    BSTR empty = SysAllocString(L""), target = SysAllocString(L"x.bin");
    (void)state;

    assert_hr(E_POINTER, IOpenFsiStreamWriter_WriteToFile(writer, NULL, target));
    assert_hr(E_INVALIDARG, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, NULL));
    assert_hr(E_INVALIDARG, IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)stream, empty));
    assert_hr(E_POINTER, IOpenFsiStreamWriter_get_BytesWritten(writer, NULL));
    assert_false(file_exists(L"x.bin"));
    SysFreeString(empty);
    SysFreeString(target);
    IStream_Release(stream);
    IOpenFsiStreamWriter_Release(writer);
}

/* ---- an IStream whose Read fails after `good` bytes ---- */

#define BROKEN_STREAM_FAILURE STG_E_READFAULT

struct broken_stream {
    IStream IStream_iface;
    LONG ref;
    ULONGLONG position, good, size;
};

static inline struct broken_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct broken_stream, IStream_iface);
}

static HRESULT WINAPI broken_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IStream) ||
        IsEqualIID(riid, &IID_ISequentialStream)) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI broken_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI broken_Release(IStream *iface)
{
    return InterlockedDecrement(&impl_from_IStream(iface)->ref);
}

static HRESULT WINAPI broken_Read(IStream *iface, void *buffer, ULONG size, ULONG *read)
{
    struct broken_stream *stream = impl_from_IStream(iface);
    ULONG n = size;
    size_t i;

    if (read)
        *read = 0;
    if (stream->position >= stream->good)
        return BROKEN_STREAM_FAILURE;
    if (n > stream->good - stream->position)
        n = (ULONG)(stream->good - stream->position);
    for (i = 0; i < n; i++)
        ((BYTE *)buffer)[i] = pattern_byte(stream->position + i);
    stream->position += n;
    if (read)
        *read = n;
    return S_OK;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
static HRESULT WINAPI broken_Write(IStream *iface, const void *b, ULONG n, ULONG *w) { return STG_E_ACCESSDENIED; }
static HRESULT WINAPI broken_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct broken_stream *stream = impl_from_IStream(iface);
    if (origin != STREAM_SEEK_CUR || move.QuadPart)
        return E_NOTIMPL;
    if (pos)
        pos->QuadPart = stream->position;
    return S_OK;
}
static HRESULT WINAPI broken_SetSize(IStream *iface, ULARGE_INTEGER size) { return E_NOTIMPL; }
static HRESULT WINAPI broken_CopyTo(IStream *iface, IStream *to, ULARGE_INTEGER n, ULARGE_INTEGER *r, ULARGE_INTEGER *w) { return E_NOTIMPL; }
static HRESULT WINAPI broken_Commit(IStream *iface, DWORD flags) { return E_NOTIMPL; }
static HRESULT WINAPI broken_Revert(IStream *iface) { return E_NOTIMPL; }
static HRESULT WINAPI broken_LockRegion(IStream *iface, ULARGE_INTEGER o, ULARGE_INTEGER n, DWORD t) { return E_NOTIMPL; }
static HRESULT WINAPI broken_UnlockRegion(IStream *iface, ULARGE_INTEGER o, ULARGE_INTEGER n, DWORD t) { return E_NOTIMPL; }
static HRESULT WINAPI broken_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = impl_from_IStream(iface)->size;
    return S_OK;
}
static HRESULT WINAPI broken_Clone(IStream *iface, IStream **out) { return E_NOTIMPL; }
#pragma GCC diagnostic pop

static const IStreamVtbl broken_vtbl = {
    broken_QueryInterface, broken_AddRef, broken_Release, broken_Read, broken_Write, broken_Seek,
    broken_SetSize, broken_CopyTo, broken_Commit, broken_Revert, broken_LockRegion,
    broken_UnlockRegion, broken_Stat, broken_Clone,
};

static void test_failing_stream_returns_its_error_and_leaves_no_file(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    struct broken_stream stream = { { &broken_vtbl }, 1, 0, 10 * MIB + 77, 12 * MIB };
    WCHAR path[MAX_PATH];
    BSTR target, message;
    HANDLE old;
    DWORD put;
    double bytes = 0;
    (void)state;

    /* An existing file of that name is left as it was. */
    temp_path(L"broken.bin", path);
    old = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(old != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(old, "old", 3, &put, NULL));
    CloseHandle(old);

    target = SysAllocString(path);
    assert_hr(BROKEN_STREAM_FAILURE,
              IOpenFsiStreamWriter_WriteToFile(writer, (IUnknown *)&stream.IStream_iface, target));
    message = com_test_error_description();
    assert_non_null(message);
    assert_non_null(wcsstr(message, path));
    SysFreeString(message);
    assert_hr(S_OK, IOpenFsiStreamWriter_get_BytesWritten(writer, &bytes));
    assert_true(bytes == 10.0 * MIB + 77);
    assert_int_equal(files_starting_with(path), 1);   /* the old file only, no partial one */
    {
        HANDLE file = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
        LARGE_INTEGER length;
        assert_true(GetFileSizeEx(file, &length));
        assert_int_equal(length.QuadPart, 3);
        CloseHandle(file);
    }
    assert_int_equal(stream.ref, 1);
    DeleteFileW(path);
    SysFreeString(target);
    IOpenFsiStreamWriter_Release(writer);
}

static void test_class_info_names_the_coclass_and_its_event_interface(void **state)
{
    IOpenFsiStreamWriter *writer = create_writer();
    IProvideClassInfo2 *info = NULL;
    ITypeInfo *class_info = NULL;
    TYPEATTR *attr;
    GUID guid;
    (void)state;

    assert_hr(S_OK, IOpenFsiStreamWriter_QueryInterface(writer, &IID_IProvideClassInfo2,
                                                        (void **)&info));
    assert_hr(S_OK, IProvideClassInfo2_GetGUID(info, GUIDKIND_DEFAULT_SOURCE_DISP_IID, &guid));
    assert_true(IsEqualGUID(&guid, &IID_DOpenFsiStreamWriterEvents));
    assert_hr(E_INVALIDARG, IProvideClassInfo2_GetGUID(info, 99, &guid));
    assert_hr(E_POINTER, IProvideClassInfo2_GetGUID(info, GUIDKIND_DEFAULT_SOURCE_DISP_IID, NULL));
    assert_hr(S_OK, IProvideClassInfo2_GetClassInfo(info, &class_info));
    assert_hr(S_OK, ITypeInfo_GetTypeAttr(class_info, &attr));
    assert_true(IsEqualGUID(&attr->guid, &CLSID_OpenFsiStreamWriter));
    assert_int_equal(attr->typekind, TKIND_COCLASS);
    ITypeInfo_ReleaseTypeAttr(class_info, attr);
    ITypeInfo_Release(class_info);
    IProvideClassInfo2_Release(info);
    IOpenFsiStreamWriter_Release(writer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_20_mib_stream_is_written_byte_for_byte_with_updates),
        cmocka_unit_test(test_writing_starts_at_the_stream_position_and_replaces_the_file),
        cmocka_unit_test(test_missing_directory_fails_with_a_message_and_no_file),
        cmocka_unit_test(test_argument_that_is_not_a_stream_is_invalid),
        cmocka_unit_test(test_null_pointers_and_empty_path_are_refused),
        cmocka_unit_test(test_failing_stream_returns_its_error_and_leaves_no_file),
        cmocka_unit_test(test_class_info_names_the_coclass_and_its_event_interface),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
