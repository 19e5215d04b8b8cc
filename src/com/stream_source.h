/*
 * An IStream as the engine's callback source (include/openfsi/source.h): the bytes of a file
 * added with AddFile or put_Data are read from the caller's stream only while the image stream
 * is read. The source holds a reference on the stream; several trees (an image and its
 * snapshots) may share one source, and reads from several threads take turns on its lock.
 */
#ifndef OPENFSI_COM_STREAM_SOURCE_H
#define OPENFSI_COM_STREAM_SOURCE_H

#include "module.h"
#include "openfsi/source.h"

/*
 * Makes a source over `stream` and finds the stream's size (IStream::Stat, or a seek to its end
 * when Stat fails) and, where Stat gives them, its times (zero when not). The source returned
 * holds one hold: the tree that is given it releases it. On failure returns an HRESULT with
 * error information set.
 */
HRESULT stream_source_create(IStream *stream, REFIID iid, struct fsi_source *source,
                             uint64_t *size, FILETIME *created, FILETIME *accessed,
                             FILETIME *modified);

/* Lets go of a source made by stream_source_create that no tree took. */
void stream_source_discard(struct fsi_source *source);

/* The stream behind a source made here (with a new reference), or NULL for other sources. */
IStream *stream_source_stream(const struct fsi_source *source);

#endif
