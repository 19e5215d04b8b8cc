/*
 * OpenFsiStreamWriter (IOpenFsiStreamWriter), an openfsi extension with its own CLSID and ProgID
 * (OpenFsi.StreamWriter): writes an IStream, such as IFileSystemImageResult.ImageStream, to a
 * file, which scripts cannot do themselves. It copies from the stream's current position to its
 * end through a 1 MiB buffer into a temporary file beside the target, renamed over the target
 * at the end, so a failure leaves no partial file. It raises DOpenFsiStreamWriterEvents::Update
 * about every 8 MiB and once at the end.
 *
 * It is not an image builder and knows nothing of file systems: any stream will do.
 */
#include <stdio.h>

#include "module.h"
#include "connection_points.h"
#include "dispatch.h"
#include "error_info.h"
#include "provide_class_info.h"

#define COPY_BUFFER_SIZE (1024 * 1024)
#define UPDATE_INTERVAL ((ULONGLONG)8 * 1024 * 1024)
#define SECTOR_SIZE 2048

struct stream_writer {
    IOpenFsiStreamWriter IOpenFsiStreamWriter_iface;
    struct error_support errors;
    struct connection_points events;
    struct provide_class_info class_info;
    LONG ref;
    LONG busy;                  /* a WriteToFile is running (another call is refused) */
    CRITICAL_SECTION lock;
    ULONGLONG bytes_written;    /* of the current or last WriteToFile */
};

static const IID *const stream_writer_error_iids[] = { &IID_IOpenFsiStreamWriter, NULL };

static const IID *const stream_writer_event_iids[] = { &IID_DOpenFsiStreamWriterEvents, NULL };

static inline struct stream_writer *impl_from_IOpenFsiStreamWriter(IOpenFsiStreamWriter *iface)
{
    return CONTAINING_RECORD(iface, struct stream_writer, IOpenFsiStreamWriter_iface);
}

static HRESULT WINAPI stream_writer_QueryInterface(IOpenFsiStreamWriter *iface, REFIID riid,
                                                   void **out)
{
    struct stream_writer *writer = impl_from_IOpenFsiStreamWriter(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IOpenFsiStreamWriter))
        *out = &writer->IOpenFsiStreamWriter_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &writer->errors.ISupportErrorInfo_iface;
    else if (IsEqualIID(riid, &IID_IConnectionPointContainer))
        *out = &writer->events.IConnectionPointContainer_iface;
    else if (provide_class_info_is_iid(riid))
        *out = &writer->class_info.IProvideClassInfo2_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI stream_writer_AddRef(IOpenFsiStreamWriter *iface)
{
    return InterlockedIncrement(&impl_from_IOpenFsiStreamWriter(iface)->ref);
}

static ULONG WINAPI stream_writer_Release(IOpenFsiStreamWriter *iface)
{
    struct stream_writer *writer = impl_from_IOpenFsiStreamWriter(iface);
    ULONG ref = InterlockedDecrement(&writer->ref);

    if (!ref) {
        connection_points_cleanup(&writer->events);
        DeleteCriticalSection(&writer->lock);
        HeapFree(GetProcessHeap(), 0, writer);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(stream_writer, IOpenFsiStreamWriter, TID_IOpenFsiStreamWriter)

/* Bytes as 2048-byte sectors, rounded up, as a LONG (saturating). */
static LONG sectors_of(ULONGLONG bytes)
{
    ULONGLONG sectors = (bytes + SECTOR_SIZE - 1) / SECTOR_SIZE;
    return sectors > 0x7fffffff ? 0x7fffffff : (LONG)sectors;
}

static void fire_update(struct stream_writer *writer, ULONGLONG copied, LONGLONG total)
{
    VARIANT args[3];
    DISPPARAMS params = { args, NULL, 3, 0 };

    /* Arguments go in reverse order: object, copiedSectors, totalSectors. */
    V_VT(&args[2]) = VT_DISPATCH;
    V_DISPATCH(&args[2]) = (IDispatch *)&writer->IOpenFsiStreamWriter_iface;
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = sectors_of(copied);
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = total < 0 ? -1 : sectors_of((ULONGLONG)total);
    connection_points_fire(&writer->events, &IID_DOpenFsiStreamWriterEvents,
                           DISPID_DOPENFSISTREAMWRITEREVENTS_UPDATE, &params);
}

static void set_bytes_written(struct stream_writer *writer, ULONGLONG bytes)
{
    EnterCriticalSection(&writer->lock);
    writer->bytes_written = bytes;
    LeaveCriticalSection(&writer->lock);
}

/* Sets IErrorInfo to "<what> '<path>' ...: <system text>" and returns hr. */
static HRESULT write_error(HRESULT hr, const WCHAR *what, const WCHAR *path, ULONGLONG done)
{
    WCHAR message[1024], system[256];
    DWORD length;

    length = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                            (DWORD)hr, 0, system, ARRAY_SIZE(system), NULL);
    while (length && (system[length - 1] == L'\n' || system[length - 1] == L'\r' ||
                      system[length - 1] == L' '))
        system[--length] = 0;
    if (!length)
        _snwprintf(system, ARRAY_SIZE(system), L"error 0x%08lX", (unsigned long)hr);
    _snwprintf(message, ARRAY_SIZE(message), L"%ls '%ls' failed after %I64u bytes: %ls", what,
               path, done, system);
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(hr, &IID_IOpenFsiStreamWriter, message);
}

static HRESULT last_error_hresult(void)
{
    DWORD error = GetLastError();
    return error ? HRESULT_FROM_WIN32(error) : E_FAIL;
}

/* A name beside `path` that no other writer uses: "<path>.<pid>-<n>.openfsi-partial". */
static WCHAR *temporary_name(const WCHAR *path)
{
    static LONG counter;
    size_t length = lstrlenW(path) + 48;
    WCHAR *name = HeapAlloc(GetProcessHeap(), 0, length * sizeof(WCHAR));

    if (name)
        _snwprintf(name, length, L"%ls.%lu-%ld.openfsi-partial", path,
                   (unsigned long)GetCurrentProcessId(), (long)InterlockedIncrement(&counter));
    return name;
}

/*
 * Copies `stream` from its position to its end into `file`. `total` is the byte count expected
 * (-1 if the stream cannot tell). Returns S_OK or the failure with IErrorInfo set.
 */
static HRESULT copy_stream(struct stream_writer *writer, IStream *stream, HANDLE file,
                           const WCHAR *path, LONGLONG total, BYTE *buffer, ULONGLONG *copied)
{
    ULONGLONG next_update = UPDATE_INTERVAL;
    HRESULT hr;

    for (;;) {
        ULONG got = 0;
        DWORD put = 0;

        hr = IStream_Read(stream, buffer, COPY_BUFFER_SIZE, &got);
        if (FAILED(hr))
            return write_error(hr, L"Reading the stream for", path, *copied);
        if (!got)
            return S_OK;
        if (!WriteFile(file, buffer, got, &put, NULL) || put != got)
            return write_error(last_error_hresult(), L"Writing", path, *copied);
        *copied += got;
        set_bytes_written(writer, *copied);
        /* Every 8 MiB, except when that is the end: the final Update comes after the rename. */
        if (*copied >= next_update && (total < 0 || *copied < (ULONGLONG)total)) {
            fire_update(writer, *copied, total);
            while (next_update <= *copied)
                next_update += UPDATE_INTERVAL;
        }
    }
}

/* Bytes from the stream's position to its end, or -1 if the stream cannot say. */
static LONGLONG bytes_left(IStream *stream)
{
    LARGE_INTEGER zero = { { 0 } };
    ULARGE_INTEGER position;
    STATSTG stat;

    if (FAILED(IStream_Seek(stream, zero, STREAM_SEEK_CUR, &position)) ||
        FAILED(IStream_Stat(stream, &stat, STATFLAG_NONAME)) ||
        stat.cbSize.QuadPart < position.QuadPart ||
        stat.cbSize.QuadPart - position.QuadPart > (ULONGLONG)0x7fffffffffffffff)
        return -1;
    return (LONGLONG)(stat.cbSize.QuadPart - position.QuadPart);
}

static HRESULT write_stream_to_file(struct stream_writer *writer, IStream *stream,
                                    const WCHAR *path)
{
    LONGLONG total = bytes_left(stream);
    ULONGLONG copied = 0;
    WCHAR *partial;
    BYTE *buffer;
    HANDLE file;
    HRESULT hr;

    partial = temporary_name(path);
    buffer = HeapAlloc(GetProcessHeap(), 0, COPY_BUFFER_SIZE);
    if (!partial || !buffer) {
        HeapFree(GetProcessHeap(), 0, partial);
        HeapFree(GetProcessHeap(), 0, buffer);
        return com_error(E_OUTOFMEMORY, &IID_IOpenFsiStreamWriter, NULL);
    }

    file = CreateFileW(partial, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                       FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        hr = write_error(last_error_hresult(), L"Creating", path, 0);
        goto done;
    }
    /* Reserve the space up front when the size is known: a full disk fails at once. */
    if (total > 0) {
        LARGE_INTEGER end, start = { { 0 } };
        end.QuadPart = total;
        if (!SetFilePointerEx(file, end, NULL, FILE_BEGIN) || !SetEndOfFile(file) ||
            !SetFilePointerEx(file, start, NULL, FILE_BEGIN)) {
            hr = write_error(last_error_hresult(), L"Reserving space for", path, 0);
            CloseHandle(file);
            DeleteFileW(partial);
            goto done;
        }
    }

    hr = copy_stream(writer, stream, file, path, total, buffer, &copied);
    if (SUCCEEDED(hr) && !SetEndOfFile(file))       /* a stream shorter than it said */
        hr = write_error(last_error_hresult(), L"Writing", path, copied);
    if (!CloseHandle(file) && SUCCEEDED(hr))
        hr = write_error(last_error_hresult(), L"Closing", path, copied);
    if (SUCCEEDED(hr) && !MoveFileExW(partial, path, MOVEFILE_REPLACE_EXISTING))
        hr = write_error(last_error_hresult(), L"Renaming the finished file to", path, copied);
    if (FAILED(hr)) {
        DeleteFileW(partial);
        goto done;
    }
    fire_update(writer, copied, (LONGLONG)copied);     /* at the end, all there was is all */

done:
    HeapFree(GetProcessHeap(), 0, buffer);
    HeapFree(GetProcessHeap(), 0, partial);
    return hr;
}

static HRESULT WINAPI stream_writer_WriteToFile(IOpenFsiStreamWriter *iface, IUnknown *object,
                                                BSTR path)
{
    struct stream_writer *writer = impl_from_IOpenFsiStreamWriter(iface);
    IStream *stream;
    HRESULT hr;

    if (!object)
        return com_error(E_POINTER, &IID_IOpenFsiStreamWriter,
                         L"WriteToFile needs a stream: the first argument is NULL.");
    if (!path || !*path)
        return com_error(E_INVALIDARG, &IID_IOpenFsiStreamWriter,
                         L"WriteToFile needs the path of the file to write: it is empty.");
    if (FAILED(IUnknown_QueryInterface(object, &IID_IStream, (void **)&stream)))
        return com_error(E_INVALIDARG, &IID_IOpenFsiStreamWriter,
                         L"The first argument of WriteToFile is not a stream (IStream), such as "
                         L"IFileSystemImageResult.ImageStream.");
    if (InterlockedCompareExchange(&writer->busy, 1, 0)) {
        IStream_Release(stream);
        return com_error(E_UNEXPECTED, &IID_IOpenFsiStreamWriter,
                         L"This writer is already writing a stream: wait for it to finish.");
    }
    set_bytes_written(writer, 0);
    hr = write_stream_to_file(writer, stream, path);
    InterlockedExchange(&writer->busy, 0);
    IStream_Release(stream);
    return hr;
}

static HRESULT WINAPI stream_writer_get_BytesWritten(IOpenFsiStreamWriter *iface, DOUBLE *out)
{
    struct stream_writer *writer = impl_from_IOpenFsiStreamWriter(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IOpenFsiStreamWriter, NULL);
    EnterCriticalSection(&writer->lock);
    *out = (DOUBLE)writer->bytes_written;
    LeaveCriticalSection(&writer->lock);
    return S_OK;
}

static const IOpenFsiStreamWriterVtbl stream_writer_vtbl = {
    stream_writer_QueryInterface,
    stream_writer_AddRef,
    stream_writer_Release,
    stream_writer_GetTypeInfoCount,
    stream_writer_GetTypeInfo,
    stream_writer_GetIDsOfNames,
    stream_writer_Invoke,
    stream_writer_WriteToFile,
    stream_writer_get_BytesWritten,
};

HRESULT stream_writer_create(REFIID riid, void **out)
{
    struct stream_writer *writer;
    HRESULT hr;

    writer = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*writer));
    if (!writer)
        return E_OUTOFMEMORY;
    writer->IOpenFsiStreamWriter_iface.lpVtbl = &stream_writer_vtbl;
    error_support_init(&writer->errors, (IUnknown *)&writer->IOpenFsiStreamWriter_iface,
                       stream_writer_error_iids);
    connection_points_init(&writer->events, (IUnknown *)&writer->IOpenFsiStreamWriter_iface,
                           stream_writer_event_iids);
    provide_class_info_init(&writer->class_info, (IUnknown *)&writer->IOpenFsiStreamWriter_iface,
                            &CLSID_OpenFsiStreamWriter, &IID_DOpenFsiStreamWriterEvents);
    writer->ref = 1;
    InitializeCriticalSection(&writer->lock);
    module_lock();
    hr = IOpenFsiStreamWriter_QueryInterface(&writer->IOpenFsiStreamWriter_iface, riid, out);
    IOpenFsiStreamWriter_Release(&writer->IOpenFsiStreamWriter_iface);
    return hr;
}
