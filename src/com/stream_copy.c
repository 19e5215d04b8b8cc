/*
 * stream_copy.h: Seek's arithmetic, and CopyTo in 1 MiB steps. A target that takes fewer bytes
 * than it is given ends the copy with STG_E_MEDIUMFULL, as a full disk would.
 */
#include "module.h"
#include "error_info.h"
#include "stream_copy.h"

#define COPY_BUFFER_SIZE (1024 * 1024)

HRESULT stream_copy_to(IStream *from, IStream *target, ULARGE_INTEGER size,
                       ULARGE_INTEGER *read_total, ULARGE_INTEGER *written_total)
{
    ULONGLONG remaining = size.QuadPart, read_sum = 0, written_sum = 0;
    HRESULT hr = S_OK;
    BYTE *buffer;

    if (read_total)
        read_total->QuadPart = 0;
    if (written_total)
        written_total->QuadPart = 0;
    if (!target)
        return com_error(E_POINTER, &IID_IStream, NULL);
    buffer = HeapAlloc(GetProcessHeap(), 0, COPY_BUFFER_SIZE);
    if (!buffer)
        return com_error(E_OUTOFMEMORY, &IID_IStream, NULL);
    while (remaining) {
        ULONG got = 0, put = 0;

        hr = IStream_Read(from, buffer, (ULONG)min(remaining, (ULONGLONG)COPY_BUFFER_SIZE), &got);
        if (FAILED(hr) || !got)
            break;
        read_sum += got;
        remaining -= got;
        hr = IStream_Write(target, buffer, got, &put);
        written_sum += put;
        if (FAILED(hr))
            break;
        if (put < got) {
            hr = com_error(STG_E_MEDIUMFULL, &IID_IStream,
                           L"The target stream took fewer bytes than it was given.");
            break;
        }
    }
    HeapFree(GetProcessHeap(), 0, buffer);
    if (read_total)
        read_total->QuadPart = read_sum;
    if (written_total)
        written_total->QuadPart = written_sum;
    return hr;
}

HRESULT stream_seek(ULONGLONG *position, ULONGLONG size, LARGE_INTEGER move, DWORD origin)
{
    LONGLONG base;

    switch (origin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = (LONGLONG)*position; break;
    case STREAM_SEEK_END: base = (LONGLONG)size; break;
    default:
        return com_error(STG_E_INVALIDFUNCTION, &IID_IStream,
                         L"The seek origin is not STREAM_SEEK_SET, STREAM_SEEK_CUR or "
                         L"STREAM_SEEK_END.");
    }
    if ((move.QuadPart > 0 && base > MAXLONGLONG - move.QuadPart) || base + move.QuadPart < 0)
        return com_error(STG_E_INVALIDFUNCTION, &IID_IStream,
                         L"The seek would move the position before the start of the stream "
                         L"(or beyond the largest position).");
    *position = (ULONGLONG)(base + move.QuadPart);
    return S_OK;
}
