/* IStream sources for file data (stream_source.h). */
#include "stream_source.h"
#include "error_info.h"
#include "imapi2fserror.h"

struct stream_source {
    LONG ref;
    IStream *stream;
    CRITICAL_SECTION lock;      /* one seek and read at a time */
    ULONGLONG position;         /* where the stream is, when known */
    BOOL position_known;
};

/* Reads are done in pieces IStream::Read can count (ULONG). */
#define MAX_READ_PIECE (1u << 30)

static enum fsi_status stream_source_read(void *context, uint64_t offset, void *buffer,
                                          size_t length, size_t *done)
{
    struct stream_source *source = context;
    enum fsi_status status = FSI_OK;

    *done = 0;
    EnterCriticalSection(&source->lock);
    if (!source->position_known || source->position != offset) {
        LARGE_INTEGER move;
        move.QuadPart = (LONGLONG)offset;
        source->position_known = FALSE;
        if (FAILED(IStream_Seek(source->stream, move, STREAM_SEEK_SET, NULL)))
            status = FSI_E_SOURCE_READ;
    }
    while (status == FSI_OK && *done < length) {
        size_t left = length - *done;
        ULONG piece = left > MAX_READ_PIECE ? MAX_READ_PIECE : (ULONG)left, got = 0;
        HRESULT hr = IStream_Read(source->stream, (BYTE *)buffer + *done, piece, &got);
        if (FAILED(hr) || got > piece) {
            status = FSI_E_SOURCE_READ;
            break;
        }
        *done += got;
        if (got < piece)
            break;      /* the end of the stream */
    }
    source->position = offset + *done;
    source->position_known = status == FSI_OK;
    LeaveCriticalSection(&source->lock);
    return status;
}

static void stream_source_retain(void *context)
{
    InterlockedIncrement(&((struct stream_source *)context)->ref);
}

static void stream_source_release(void *context)
{
    struct stream_source *source = context;

    if (InterlockedDecrement(&source->ref))
        return;
    IStream_Release(source->stream);
    DeleteCriticalSection(&source->lock);
    HeapFree(GetProcessHeap(), 0, source);
}

static const struct fsi_source_callbacks stream_source_callbacks = {
    stream_source_read, stream_source_release, stream_source_retain
};

/* The size of a stream that cannot Stat: seek to its end, then back to the start. */
static HRESULT size_by_seeking(IStream *stream, uint64_t *size)
{
    LARGE_INTEGER zero;
    ULARGE_INTEGER end;
    HRESULT hr;

    zero.QuadPart = 0;
    hr = IStream_Seek(stream, zero, STREAM_SEEK_END, &end);
    if (SUCCEEDED(hr))
        hr = IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL);
    if (SUCCEEDED(hr))
        *size = end.QuadPart;
    return hr;
}

HRESULT stream_source_create(IStream *stream, REFIID iid, struct fsi_source *out,
                             uint64_t *size, FILETIME *created, FILETIME *accessed,
                             FILETIME *modified)
{
    struct stream_source *source;
    STATSTG stat;
    HRESULT hr;

    memset(created, 0, sizeof(*created));
    memset(accessed, 0, sizeof(*accessed));
    memset(modified, 0, sizeof(*modified));
    memset(&stat, 0, sizeof(stat));
    hr = IStream_Stat(stream, &stat, STATFLAG_NONAME);
    if (SUCCEEDED(hr)) {
        *size = stat.cbSize.QuadPart;
        *created = stat.ctime;
        *accessed = stat.atime;
        *modified = stat.mtime;
    } else {
        hr = size_by_seeking(stream, size);
    }
    if (FAILED(hr))
        return com_error(IMAPI_E_DATA_STREAM_CREATE_FAILURE, iid,
                         L"The file's data stream cannot tell its size: IStream::Stat and "
                         L"IStream::Seek both failed.");

    source = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*source));
    if (!source)
        return com_error(E_OUTOFMEMORY, iid, NULL);
    source->ref = 1;
    source->stream = stream;
    IStream_AddRef(stream);
    InitializeCriticalSection(&source->lock);
    *out = fsi_source_callback(&stream_source_callbacks, source);
    return S_OK;
}

void stream_source_discard(struct fsi_source *source)
{
    if (source->kind == FSI_SOURCE_CALLBACK &&
        source->u.callback.callbacks == &stream_source_callbacks)
        stream_source_release(source->u.callback.context);
    source->kind = FSI_SOURCE_NONE;
}

IStream *stream_source_stream(const struct fsi_source *source)
{
    IStream *stream;

    if (source->kind != FSI_SOURCE_CALLBACK ||
        source->u.callback.callbacks != &stream_source_callbacks)
        return NULL;
    stream = ((struct stream_source *)source->u.callback.context)->stream;
    IStream_AddRef(stream);
    return stream;
}
