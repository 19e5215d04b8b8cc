/*
 * A read-only IStream over an engine source (source_stream.c): what IFsiFileItem::get_Data hands
 * out for a file whose bytes the engine reads itself, such as a file imported from a disc (read
 * from the disc as the stream is read).
 */
#ifndef OPENFSI_COM_SOURCE_STREAM_H
#define OPENFSI_COM_SOURCE_STREAM_H

#include "module.h"
#include "openfsi/source.h"

/* A stream of `size` bytes over callback source `source`, which it holds (retain/release). */
HRESULT source_stream_create(const struct fsi_source *source, ULONGLONG size, IStream **out);

#endif
