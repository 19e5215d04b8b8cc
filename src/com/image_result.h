/*
 * The objects CreateResultImage hands out: the result (FileSystemImageResult), its image stream,
 * its progress items and its modified block ranges. These are the constructors the objects use to
 * make one another; none of these classes is creatable by CLSID.
 */
#ifndef OPENFSI_COM_IMAGE_RESULT_H
#define OPENFSI_COM_IMAGE_RESULT_H

#include "module.h"
#include "openfsi/image.h"
#include "openfsi/tree.h"

/*
 * A result over `image`, laid out from `snapshot`. The result owns both: it destroys the image,
 * then the tree, when its last reference goes, and destroys both when it fails to be made.
 * `keep` (may be NULL; its reference is taken over, also on failure) is released after them: the
 * disc that imported items read from.
 */
HRESULT image_result_create(struct fsi_tree *snapshot, struct fsi_image *image, IUnknown *keep,
                            IFileSystemImageResult **out);

/*
 * A new IStream over `image`, positioned at `position`, with its own reader. It keeps `result`
 * (which owns the image) alive and answers IBlockRangeList with the result's ModifiedBlocks.
 */
HRESULT image_stream_create(IFileSystemImageResult2 *result, const struct fsi_image *image,
                            ULONGLONG position, IStream **out);

/* A block range, first and last sector inclusive. */
struct block_span {
    ULONG first;
    ULONG last;
};

HRESULT block_range_create(ULONG first, ULONG last, IBlockRange **out);
/* A list holding a copy of `count` spans, in the order given. */
HRESULT block_range_list_create(const struct block_span *spans, size_t count,
                                IBlockRangeList **out);

/* One progress item: a described run of sectors, first and last inclusive. */
struct progress_span {
    BSTR description;
    ULONG first;
    ULONG last;
};

HRESULT progress_item_create(const struct progress_span *span, IProgressItem **out);
/*
 * A collection of `count` spans in sector order. It takes the array (HeapAlloc'd) and the
 * descriptions in it, also when it fails.
 */
HRESULT progress_items_create(struct progress_span *spans, size_t count, IProgressItems **out);
/*
 * An enumerator over `items` from position `next`; it answers IEnumProgressItems and IEnumVARIANT
 * and is returned as `riid`.
 */
HRESULT enum_progress_items_create(IProgressItems *items, ULONG next, REFIID riid, void **out);

#endif
