/*
 * IStream::CopyTo for the read-only streams of this DLL (image_stream.c, source_stream.c): reads
 * through the stream's own Read, writes to the target, and says how much of each was done.
 */
#ifndef OPENFSI_COM_STREAM_COPY_H
#define OPENFSI_COM_STREAM_COPY_H

#include "module.h"

HRESULT stream_copy_to(IStream *from, IStream *target, ULARGE_INTEGER size,
                       ULARGE_INTEGER *read_total, ULARGE_INTEGER *written_total);

#endif
