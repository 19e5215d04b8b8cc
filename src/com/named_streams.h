/*
 * FsiNamedStreams: the named streams of one file (IFsiFileItem2::FsiNamedStreams). The
 * collection is a live view: Count and Item always answer for the file's streams as they are
 * now, while _NewEnum and EnumNamedStreams hand out enumerators over the streams at the time of
 * the call, as Microsoft documents for _NewEnum. Items are FsiFileItem objects whose
 * IsNamedStream is TRUE.
 */
#ifndef OPENFSI_COM_NAMED_STREAMS_H
#define OPENFSI_COM_NAMED_STREAMS_H

#include "file_system_image.h"

/* The collection of `file`'s streams; `file` is a file of `owner`'s tree. */
HRESULT named_streams_create(struct file_system_image *owner, struct fsi_node *file,
                             IFsiNamedStreams **out);

#endif
