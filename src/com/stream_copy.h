/*
 * What the read-only streams of this DLL (image_stream.c, source_stream.c) share: IStream::Seek's
 * arithmetic, and CopyTo, which reads through the stream's own Read, writes to the target, and
 * says how much of each was done.
 */
#ifndef OPENFSI_COM_STREAM_COPY_H
#define OPENFSI_COM_STREAM_COPY_H

#include "module.h"

/* Moves *position (of a stream of `size` bytes) as Seek does: anywhere at or past the end, never
   before the start; STG_E_INVALIDFUNCTION (with a message) and no move otherwise. */
HRESULT stream_seek(ULONGLONG *position, ULONGLONG size, LARGE_INTEGER move, DWORD origin);

HRESULT stream_copy_to(IStream *from, IStream *target, ULARGE_INTEGER size,
                       ULARGE_INTEGER *read_total, ULARGE_INTEGER *written_total);

#endif
