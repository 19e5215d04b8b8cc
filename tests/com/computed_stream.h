/*
 * A read-only IStream for the COM tests whose bytes are computed from their offset, so it costs
 * no memory at any size (a 4.5 GiB file). It counts its reads (to show data is read only when the
 * image is), and can claim a size other than what it yields or be unable to tell its size at all
 * (Stat and Seek fail), or fail every read: the sources a test needs beyond fsi_test_stream().
 * read_whole_image() reads a new result's whole image stream, as a recorder would.
 */
#ifndef OPENFSI_TESTS_COM_COMPUTED_STREAM_H
#define OPENFSI_TESTS_COM_COMPUTED_STREAM_H

#include "fsi_test_util.h"

struct computed_stream {
    IStream IStream_iface;
    LONG ref;
    ULONGLONG claimed;          /* what Stat says */
    ULONGLONG actual;           /* what Read yields */
    BYTE (*byte_at)(ULONGLONG offset);
    BOOL cannot_tell_size;      /* Stat and Seek fail */
    BOOL read_fails;            /* Read fails with STG_E_READFAULT */
    ULONGLONG position;
    LONG reads;
};

static inline struct computed_stream *computed_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct computed_stream, IStream_iface);
}

static HRESULT WINAPI computed_QueryInterface(IStream *iface, REFIID riid, void **out)
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

static ULONG WINAPI computed_AddRef(IStream *iface)
{
    return InterlockedIncrement(&computed_from_IStream(iface)->ref);
}

static ULONG WINAPI computed_Release(IStream *iface)
{
    struct computed_stream *s = computed_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref)
        free(s);
    return ref;
}

static HRESULT WINAPI computed_Read(IStream *iface, void *buffer, ULONG size, ULONG *read)
{
    struct computed_stream *s = computed_from_IStream(iface);
    ULONG n = 0, i;

    InterlockedIncrement(&s->reads);
    if (s->read_fails)
        return STG_E_READFAULT;
    if (s->position < s->actual)
        n = (ULONG)min((ULONGLONG)size, s->actual - s->position);
    for (i = 0; i < n; i++)
        ((BYTE *)buffer)[i] = s->byte_at(s->position + i);
    s->position += n;
    if (read)
        *read = n;
    return n < size ? S_FALSE : S_OK;
}

static HRESULT WINAPI computed_Write(IStream *iface, const void *b, ULONG n, ULONG *w)
{
    (void)iface; (void)b; (void)n; (void)w;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI computed_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
                                    ULARGE_INTEGER *pos)
{
    struct computed_stream *s = computed_from_IStream(iface);
    if (s->cannot_tell_size)
        return STG_E_INVALIDFUNCTION;
    if (origin == STREAM_SEEK_SET)
        s->position = move.QuadPart;
    else if (origin == STREAM_SEEK_CUR)
        s->position += move.QuadPart;
    else
        s->position = s->claimed + move.QuadPart;
    if (pos)
        pos->QuadPart = s->position;
    return S_OK;
}

static HRESULT WINAPI computed_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return E_NOTIMPL;
}

static HRESULT WINAPI computed_CopyTo(IStream *iface, IStream *to, ULARGE_INTEGER n,
                                      ULARGE_INTEGER *r, ULARGE_INTEGER *w)
{
    (void)iface; (void)to; (void)n; (void)r; (void)w;
    return E_NOTIMPL;
}

static HRESULT WINAPI computed_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static HRESULT WINAPI computed_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI computed_LockRegion(IStream *iface, ULARGE_INTEGER o, ULARGE_INTEGER n,
                                          DWORD t)
{
    (void)iface; (void)o; (void)n; (void)t;
    return E_NOTIMPL;
}

static HRESULT WINAPI computed_UnlockRegion(IStream *iface, ULARGE_INTEGER o, ULARGE_INTEGER n,
                                            DWORD t)
{
    (void)iface; (void)o; (void)n; (void)t;
    return E_NOTIMPL;
}

static HRESULT WINAPI computed_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct computed_stream *s = computed_from_IStream(iface);
    (void)flags;
    if (s->cannot_tell_size)
        return STG_E_INVALIDFUNCTION;
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = s->claimed;
    return S_OK;
}

static HRESULT WINAPI computed_Clone(IStream *iface, IStream **out)
{
    (void)iface;
    *out = NULL;
    return E_NOTIMPL;
}

static const IStreamVtbl computed_stream_vtbl = {
    computed_QueryInterface, computed_AddRef, computed_Release, computed_Read, computed_Write,
    computed_Seek, computed_SetSize, computed_CopyTo, computed_Commit, computed_Revert,
    computed_LockRegion, computed_UnlockRegion, computed_Stat, computed_Clone,
};

/* A new stream (one reference) saying it holds `claimed` bytes and yielding `actual`. */
static inline struct computed_stream *computed_stream(ULONGLONG claimed, ULONGLONG actual,
                                                      BYTE (*byte_at)(ULONGLONG offset),
                                                      BOOL cannot_tell_size)
{
    struct computed_stream *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->IStream_iface.lpVtbl = &computed_stream_vtbl;
    s->ref = 1;
    s->claimed = claimed;
    s->actual = actual;
    s->byte_at = byte_at;
    s->cannot_tell_size = cannot_tell_size;
    return s;
}

/* Reads the whole image stream of a new result; returns the first failure or S_OK. */
static inline HRESULT read_whole_image(IFileSystemImage3 *image)
{
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    static BYTE buffer[1 << 16];
    ULONG got;
    HRESULT hr;

    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    do {
        got = 0;
        hr = IStream_Read(stream, buffer, sizeof(buffer), &got);
    } while (SUCCEEDED(hr) && got);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    return SUCCEEDED(hr) ? S_OK : hr;
}

#endif
