/*
 * FsiNamedStreams: the named streams of a file. Only UDF records named streams, and openfsi's
 * UDF writer does not record them yet, so every file's collection is empty for now; the object
 * is real so that scripts that look at it (Count, For Each) work.
 */
#ifndef OPENFSI_COM_NAMED_STREAMS_H
#define OPENFSI_COM_NAMED_STREAMS_H

#include "module.h"

HRESULT named_streams_create_empty(IFsiNamedStreams **out);

#endif
