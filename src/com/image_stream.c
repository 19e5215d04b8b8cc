/*
 * ImageStream (IStream): the bytes of a result image, read on demand through the stream's own
 * engine reader, so file data is fetched from its sources only when the caller reads it. The
 * stream is read-only (Write and SetSize are STG_E_ACCESSDENIED), may be seeked anywhere at or
 * beyond the end like a file (reads there give 0 bytes), and answers IBlockRangeList with its
 * result's ModifiedBlocks, which is how the IMAPI2 data recorder learns which sectors to write.
 *
 * The recorder reads on its own MTA thread while the thread that made the stream waits without
 * pumping messages, so the stream aggregates the free-threaded marshaler: another apartment gets
 * this very object, and a lock of its own serialises Read, Seek and the other methods. It does
 * not render or compute anything itself; the reader does.
 */
#include "image_result.h"
#include "dispatch.h"
#include "error_info.h"
#include "stream_copy.h"

struct image_stream {
    IStream IStream_iface;
    IBlockRangeList IBlockRangeList_iface;
    struct error_support errors;
    LONG ref;
    CRITICAL_SECTION lock;              /* position and reader */
    IUnknown *marshaler;                /* aggregated free-threaded marshaler */
    IFileSystemImageResult2 *result;    /* keeps the image alive */
    const struct fsi_image *image;
    struct fsi_reader *reader;
    ULONGLONG size;
    ULONGLONG position;
};

static const IID *const image_stream_error_iids[] = {
    &IID_ISequentialStream, &IID_IStream, &IID_IBlockRangeList, NULL
};

static inline struct image_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct image_stream, IStream_iface);
}

static inline struct image_stream *impl_from_IBlockRangeList(IBlockRangeList *iface)
{
    return CONTAINING_RECORD(iface, struct image_stream, IBlockRangeList_iface);
}

static HRESULT WINAPI image_stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    struct image_stream *stream = impl_from_IStream(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_ISequentialStream) ||
        IsEqualIID(riid, &IID_IStream))
        *out = &stream->IStream_iface;
    else if (IsEqualIID(riid, &IID_IBlockRangeList) || IsEqualIID(riid, &IID_IDispatch))
        *out = &stream->IBlockRangeList_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &stream->errors.ISupportErrorInfo_iface;
    else if (IsEqualIID(riid, &IID_IMarshal))
        return IUnknown_QueryInterface(stream->marshaler, riid, out);
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI image_stream_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI image_stream_Release(IStream *iface)
{
    struct image_stream *stream = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&stream->ref);

    if (!ref) {
        if (stream->marshaler)
            IUnknown_Release(stream->marshaler);
        fsi_reader_destroy(stream->reader);
        if (stream->result)
            IFileSystemImageResult2_Release(stream->result);
        DeleteCriticalSection(&stream->lock);
        HeapFree(GetProcessHeap(), 0, stream);
        module_unlock();
    }
    return ref;
}

/* A failed read: the engine's HRESULT, described by the reader's sentence naming the file. */
static HRESULT read_error(struct image_stream *stream, enum fsi_status status)
{
    WCHAR message[512];
    const char *text = fsi_reader_error(stream->reader);

    if (!text || !*text)
        return com_error_from_status(status, &IID_IStream);
    if (!MultiByteToWideChar(CP_UTF8, 0, text, -1, message, ARRAY_SIZE(message))) {
        /* Too long for the buffer: keep what fits. */
        MultiByteToWideChar(CP_UTF8, 0, text, (int)ARRAY_SIZE(message) - 1, message,
                            ARRAY_SIZE(message) - 1);
        message[ARRAY_SIZE(message) - 1] = 0;
    }
    return com_error(hresult_from_status(status), &IID_IStream, message);
}

/* Reads at the position and advances it; the caller holds the lock. */
static HRESULT read_locked(struct image_stream *stream, void *buffer, ULONG wanted, ULONG *done)
{
    enum fsi_status status;
    ULONG n = 0;

    *done = 0;
    if (stream->position < stream->size)
        n = (ULONG)min((ULONGLONG)wanted, stream->size - stream->position);
    if (!n)
        return S_OK;
    status = fsi_reader_read(stream->reader, stream->position, buffer, n);
    if (status != FSI_OK)
        return read_error(stream, status);
    stream->position += n;
    *done = n;
    return S_OK;
}

static HRESULT WINAPI image_stream_Read(IStream *iface, void *buffer, ULONG wanted, ULONG *done)
{
    struct image_stream *stream = impl_from_IStream(iface);
    ULONG n;
    HRESULT hr;

    if (done)
        *done = 0;
    if (!buffer)
        return com_error(E_POINTER, &IID_IStream, NULL);
    EnterCriticalSection(&stream->lock);
    hr = read_locked(stream, buffer, wanted, &n);
    LeaveCriticalSection(&stream->lock);
    if (done)
        *done = n;
    return hr;
}

static HRESULT WINAPI image_stream_Write(IStream *iface, const void *buffer, ULONG size,
                                         ULONG *written)
{
    (void)iface; (void)buffer; (void)size;
    if (written)
        *written = 0;
    return com_error(STG_E_ACCESSDENIED, &IID_IStream,
                     L"The image stream is read-only: a result image cannot be written to.");
}

static HRESULT WINAPI image_stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
                                        ULARGE_INTEGER *new_position)
{
    struct image_stream *stream = impl_from_IStream(iface);
    HRESULT hr;

    EnterCriticalSection(&stream->lock);
    hr = stream_seek(&stream->position, stream->size, move, origin);
    if (new_position)
        new_position->QuadPart = stream->position;
    LeaveCriticalSection(&stream->lock);
    return hr;
}

static HRESULT WINAPI image_stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return com_error(STG_E_ACCESSDENIED, &IID_IStream,
                     L"The image stream is read-only: its size is the image's.");
}

static HRESULT WINAPI image_stream_CopyTo(IStream *iface, IStream *target, ULARGE_INTEGER size,
                                          ULARGE_INTEGER *read_total,
                                          ULARGE_INTEGER *written_total)
{
    return stream_copy_to(iface, target, size, read_total, written_total);
}

static HRESULT WINAPI image_stream_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static HRESULT WINAPI image_stream_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI image_stream_LockRegion(IStream *iface, ULARGE_INTEGER offset,
                                              ULARGE_INTEGER size, DWORD type)
{
    (void)iface; (void)offset; (void)size; (void)type;
    return com_error(STG_E_INVALIDFUNCTION, &IID_IStream,
                     L"The image stream does not lock regions (it is read-only).");
}

static HRESULT WINAPI image_stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset,
                                                ULARGE_INTEGER size, DWORD type)
{
    (void)iface; (void)offset; (void)size; (void)type;
    return com_error(STG_E_INVALIDFUNCTION, &IID_IStream,
                     L"The image stream does not lock regions (it is read-only).");
}

/* The name Stat gives: the volume label with ".iso", as a file of the image would be called. */
static WCHAR *stream_name(const struct fsi_image *image)
{
    static const WCHAR suffix[] = L".iso";
    size_t length;
    const uint16_t *label = fsi_image_volume_name(image, &length);
    WCHAR *name = CoTaskMemAlloc((length + ARRAY_SIZE(suffix)) * sizeof(WCHAR));

    if (!name)
        return NULL;
    memcpy(name, label, length * sizeof(WCHAR));
    memcpy(name + length, suffix, sizeof(suffix));
    return name;
}

static HRESULT WINAPI image_stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct image_stream *stream = impl_from_IStream(iface);

    if (!stat)
        return com_error(E_POINTER, &IID_IStream, NULL);
    if (flags & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return com_error(STG_E_INVALIDFUNCTION, &IID_IStream,
                         L"Stat takes STATFLAG_DEFAULT, STATFLAG_NONAME or STATFLAG_NOOPEN.");
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = stream->size;
    stat->grfMode = STGM_READ | STGM_SHARE_DENY_WRITE;
    if (!(flags & STATFLAG_NONAME)) {
        stat->pwcsName = stream_name(stream->image);
        if (!stat->pwcsName)
            return com_error(E_OUTOFMEMORY, &IID_IStream, NULL);
    }
    return S_OK;
}

static HRESULT WINAPI image_stream_Clone(IStream *iface, IStream **out)
{
    struct image_stream *stream = impl_from_IStream(iface);
    ULONGLONG position;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IStream, NULL);
    EnterCriticalSection(&stream->lock);
    position = stream->position;
    LeaveCriticalSection(&stream->lock);
    hr = image_stream_create(stream->result, stream->image, position, out);
    return FAILED(hr) ? com_error(hr, &IID_IStream, NULL) : S_OK;
}

static const IStreamVtbl image_stream_vtbl = {
    image_stream_QueryInterface,
    image_stream_AddRef,
    image_stream_Release,
    image_stream_Read,
    image_stream_Write,
    image_stream_Seek,
    image_stream_SetSize,
    image_stream_CopyTo,
    image_stream_Commit,
    image_stream_Revert,
    image_stream_LockRegion,
    image_stream_UnlockRegion,
    image_stream_Stat,
    image_stream_Clone,
};

/* IBlockRangeList on the stream: the result's ModifiedBlocks. */

static HRESULT WINAPI stream_ranges_QueryInterface(IBlockRangeList *iface, REFIID riid,
                                                   void **out)
{
    return image_stream_QueryInterface(&impl_from_IBlockRangeList(iface)->IStream_iface, riid,
                                       out);
}

static ULONG WINAPI stream_ranges_AddRef(IBlockRangeList *iface)
{
    return image_stream_AddRef(&impl_from_IBlockRangeList(iface)->IStream_iface);
}

static ULONG WINAPI stream_ranges_Release(IBlockRangeList *iface)
{
    return image_stream_Release(&impl_from_IBlockRangeList(iface)->IStream_iface);
}

DISPATCH_METHODS(stream_ranges, IBlockRangeList, TID_IBlockRangeList)

static HRESULT WINAPI stream_ranges_get_BlockRanges(IBlockRangeList *iface, SAFEARRAY **out)
{
    struct image_stream *stream = impl_from_IBlockRangeList(iface);
    IBlockRangeList *list;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IBlockRangeList, NULL);
    *out = NULL;
    hr = IFileSystemImageResult2_get_ModifiedBlocks(stream->result, &list);
    if (FAILED(hr))
        return hr;      /* the result has described it */
    hr = IBlockRangeList_get_BlockRanges(list, out);
    IBlockRangeList_Release(list);
    return hr;
}

static const IBlockRangeListVtbl stream_ranges_vtbl = {
    stream_ranges_QueryInterface,
    stream_ranges_AddRef,
    stream_ranges_Release,
    stream_ranges_GetTypeInfoCount,
    stream_ranges_GetTypeInfo,
    stream_ranges_GetIDsOfNames,
    stream_ranges_Invoke,
    stream_ranges_get_BlockRanges,
};

HRESULT image_stream_create(IFileSystemImageResult2 *result, const struct fsi_image *image,
                            ULONGLONG position, IStream **out)
{
    struct image_stream *stream;
    enum fsi_status status;
    HRESULT hr;

    *out = NULL;
    stream = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*stream));
    if (!stream)
        return E_OUTOFMEMORY;
    stream->IStream_iface.lpVtbl = &image_stream_vtbl;
    stream->IBlockRangeList_iface.lpVtbl = &stream_ranges_vtbl;
    error_support_init(&stream->errors, (IUnknown *)&stream->IStream_iface,
                       image_stream_error_iids);
    stream->ref = 1;
    InitializeCriticalSection(&stream->lock);
    IFileSystemImageResult2_AddRef(result);
    stream->result = result;
    stream->image = image;
    stream->size = fsi_image_size(image);
    stream->position = position;
    module_lock();

    status = fsi_reader_create(image, &stream->reader);
    if (status != FSI_OK) {
        image_stream_Release(&stream->IStream_iface);
        return hresult_from_status(status);
    }
    hr = CoCreateFreeThreadedMarshaler((IUnknown *)&stream->IStream_iface, &stream->marshaler);
    if (FAILED(hr)) {
        image_stream_Release(&stream->IStream_iface);
        return hr;
    }
    *out = &stream->IStream_iface;
    return S_OK;
}
