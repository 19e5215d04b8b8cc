/*
 * source_stream.h: a read-only IStream over an engine callback source, at a position of its
 * own. Reads go to the source's read callback (an imported file's reads the disc); Write and
 * SetSize are refused with STG_E_ACCESSDENIED, as the data of an imported file cannot be changed
 * in place (put_Data replaces it). Clone shares the source. A lock serialises the stream's own
 * methods; the source serialises its reads itself.
 */
#include "module.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "source_stream.h"
#include "stream_copy.h"

struct source_stream {
    IStream IStream_iface;
    LONG ref;
    CRITICAL_SECTION lock;
    struct fsi_source source;       /* held */
    ULONGLONG size;
    ULONGLONG position;
};

static inline struct source_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct source_stream, IStream_iface);
}

static HRESULT WINAPI source_stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_ISequentialStream) ||
        IsEqualIID(riid, &IID_IStream)) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI source_stream_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI source_stream_Release(IStream *iface)
{
    struct source_stream *stream = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&stream->ref);

    if (!ref) {
        stream->source.u.callback.callbacks->release(stream->source.u.callback.context);
        DeleteCriticalSection(&stream->lock);
        HeapFree(GetProcessHeap(), 0, stream);
        module_unlock();
    }
    return ref;
}

static HRESULT WINAPI source_stream_Read(IStream *iface, void *buffer, ULONG wanted, ULONG *done)
{
    struct source_stream *stream = impl_from_IStream(iface);
    const struct fsi_source_callbacks *callbacks = stream->source.u.callback.callbacks;
    size_t got = 0;
    HRESULT hr = S_OK;

    if (done)
        *done = 0;
    if (!buffer)
        return com_error(E_POINTER, &IID_IStream, NULL);
    EnterCriticalSection(&stream->lock);
    if (stream->position < stream->size) {
        ULONGLONG left = stream->size - stream->position;
        size_t n = left < wanted ? (size_t)left : wanted;
        if (callbacks->read(stream->source.u.callback.context, stream->position, buffer, n,
                            &got) != FSI_OK || got != n)
            hr = com_error(IMAPI_E_IMPORT_READ_FAILURE, &IID_IStream,
                           L"The file's bytes could not be read from the disc.");
        else
            stream->position += got;
    }
    LeaveCriticalSection(&stream->lock);
    if (done)
        *done = SUCCEEDED(hr) ? (ULONG)got : 0;
    return hr;
}

static HRESULT WINAPI source_stream_Write(IStream *iface, const void *buffer, ULONG size,
                                          ULONG *written)
{
    (void)iface; (void)buffer; (void)size;
    if (written)
        *written = 0;
    return com_error(STG_E_ACCESSDENIED, &IID_IStream,
                     L"This file's data is read-only: give the item new data with put_Data.");
}

static HRESULT WINAPI source_stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
                                         ULARGE_INTEGER *new_position)
{
    struct source_stream *stream = impl_from_IStream(iface);
    HRESULT hr;

    EnterCriticalSection(&stream->lock);
    hr = stream_seek(&stream->position, stream->size, move, origin);
    if (new_position)
        new_position->QuadPart = stream->position;
    LeaveCriticalSection(&stream->lock);
    return hr;
}

static HRESULT WINAPI source_stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return com_error(STG_E_ACCESSDENIED, &IID_IStream, L"This file's data is read-only.");
}

static HRESULT WINAPI source_stream_CopyTo(IStream *iface, IStream *target, ULARGE_INTEGER size,
                                           ULARGE_INTEGER *read, ULARGE_INTEGER *written)
{
    return stream_copy_to(iface, target, size, read, written);
}

static HRESULT WINAPI source_stream_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static HRESULT WINAPI source_stream_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI source_stream_LockRegion(IStream *iface, ULARGE_INTEGER offset,
                                               ULARGE_INTEGER size, DWORD type)
{
    (void)iface; (void)offset; (void)size; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI source_stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset,
                                                 ULARGE_INTEGER size, DWORD type)
{
    (void)iface; (void)offset; (void)size; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI source_stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct source_stream *stream = impl_from_IStream(iface);

    (void)flags;
    if (!stat)
        return com_error(E_POINTER, &IID_IStream, NULL);
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = stream->size;
    stat->grfMode = STGM_READ;
    return S_OK;
}

static HRESULT WINAPI source_stream_Clone(IStream *iface, IStream **out)
{
    struct source_stream *stream = impl_from_IStream(iface);
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IStream, NULL);
    hr = source_stream_create(&stream->source, stream->size, out);
    if (SUCCEEDED(hr)) {
        EnterCriticalSection(&stream->lock);
        impl_from_IStream(*out)->position = stream->position;
        LeaveCriticalSection(&stream->lock);
    }
    return hr;
}

static const IStreamVtbl source_stream_vtbl = {
    source_stream_QueryInterface,
    source_stream_AddRef,
    source_stream_Release,
    source_stream_Read,
    source_stream_Write,
    source_stream_Seek,
    source_stream_SetSize,
    source_stream_CopyTo,
    source_stream_Commit,
    source_stream_Revert,
    source_stream_LockRegion,
    source_stream_UnlockRegion,
    source_stream_Stat,
    source_stream_Clone,
};

HRESULT source_stream_create(const struct fsi_source *source, ULONGLONG size, IStream **out)
{
    struct source_stream *stream;

    *out = NULL;
    /* The stream holds the source as a snapshot of the tree would. */
    if (source->kind != FSI_SOURCE_CALLBACK || !source->u.callback.callbacks->retain ||
        !source->u.callback.callbacks->release)
        return E_INVALIDARG;
    stream = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*stream));
    if (!stream)
        return E_OUTOFMEMORY;
    stream->IStream_iface.lpVtbl = &source_stream_vtbl;
    stream->ref = 1;
    InitializeCriticalSection(&stream->lock);
    stream->source = *source;
    stream->size = size;
    source->u.callback.callbacks->retain(source->u.callback.context);
    module_lock();
    *out = &stream->IStream_iface;
    return S_OK;
}
