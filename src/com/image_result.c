/*
 * FileSystemImageResult (IFileSystemImageResult2, IFileSystemImageResult): what
 * CreateResultImage returns — an image laid out by the engine, with the tree it was laid out
 * from. It hands out image streams (a new one, at position 0, on each call), the progress items
 * (one per file with data, one per run of metadata of one kind), the block count and size, the
 * disc id and the modified block ranges.
 *
 * DiscId is the volume label the image records: Microsoft documents it as "the disc volume name
 * for this file system image". ModifiedBlocks is built from a list of ranges; an image with no
 * previous session has one range, the whole image (Microsoft's page also allows E_NOTIMPL for
 * "record everything"; one explicit range tells the recorder the same and scripts can read it).
 *
 * Everything is decided when the result is made and never changes, so the object needs no lock.
 * It computes no sectors: the extents and their parts come from the engine.
 */
#include "image_result.h"
#include "dispatch.h"
#include "error_info.h"
#include "imapi2fserror.h"

struct image_result {
    IFileSystemImageResult2 IFileSystemImageResult2_iface;
    struct error_support errors;
    LONG ref;
    struct fsi_tree *tree;
    struct fsi_image *image;
    IUnknown *keep;             /* the disc imported items read from, or NULL */
    IProgressItems *progress;
    IBlockRangeList *modified;
};

static const IID *const image_result_error_iids[] = {
    &IID_IFileSystemImageResult, &IID_IFileSystemImageResult2, NULL
};

static inline struct image_result *impl_from_IFileSystemImageResult2(
    IFileSystemImageResult2 *iface)
{
    return CONTAINING_RECORD(iface, struct image_result, IFileSystemImageResult2_iface);
}

static HRESULT WINAPI image_result_QueryInterface(IFileSystemImageResult2 *iface, REFIID riid,
                                                  void **out)
{
    struct image_result *result = impl_from_IFileSystemImageResult2(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IFileSystemImageResult) ||
        IsEqualIID(riid, &IID_IFileSystemImageResult2))
        *out = &result->IFileSystemImageResult2_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &result->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI image_result_AddRef(IFileSystemImageResult2 *iface)
{
    return InterlockedIncrement(&impl_from_IFileSystemImageResult2(iface)->ref);
}

static void image_result_free(struct image_result *result)
{
    if (result->progress)
        IProgressItems_Release(result->progress);
    if (result->modified)
        IBlockRangeList_Release(result->modified);
    fsi_image_destroy(result->image);
    fsi_tree_destroy(result->tree);
    if (result->keep)
        IUnknown_Release(result->keep);
    HeapFree(GetProcessHeap(), 0, result);
}

static ULONG WINAPI image_result_Release(IFileSystemImageResult2 *iface)
{
    struct image_result *result = impl_from_IFileSystemImageResult2(iface);
    ULONG ref = InterlockedDecrement(&result->ref);

    if (!ref) {
        image_result_free(result);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(image_result, IFileSystemImageResult2, TID_IFileSystemImageResult2)

static HRESULT WINAPI image_result_get_ImageStream(IFileSystemImageResult2 *iface, IStream **out)
{
    struct image_result *result = impl_from_IFileSystemImageResult2(iface);
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImageResult, NULL);
    hr = image_stream_create(iface, result->image, 0, out);
    return FAILED(hr) ? com_error(hr, &IID_IFileSystemImageResult, NULL) : S_OK;
}

static HRESULT WINAPI image_result_get_ProgressItems(IFileSystemImageResult2 *iface,
                                                     IProgressItems **out)
{
    struct image_result *result = impl_from_IFileSystemImageResult2(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImageResult, NULL);
    IProgressItems_AddRef(result->progress);
    *out = result->progress;
    return S_OK;
}

static HRESULT WINAPI image_result_get_TotalBlocks(IFileSystemImageResult2 *iface, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImageResult, NULL);
    /* The stream's blocks: a later session's, from SessionStartBlock on. */
    *out = (LONG)(fsi_image_size(impl_from_IFileSystemImageResult2(iface)->image) / 2048);
    return S_OK;
}

static HRESULT WINAPI image_result_get_BlockSize(IFileSystemImageResult2 *iface, LONG *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImageResult, NULL);
    *out = FSI_SECTOR_SIZE;
    return S_OK;
}

static HRESULT WINAPI image_result_get_DiscId(IFileSystemImageResult2 *iface, BSTR *out)
{
    struct image_result *result = impl_from_IFileSystemImageResult2(iface);
    const uint16_t *label;
    size_t length;

    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImageResult, NULL);
    label = fsi_image_volume_name(result->image, &length);
    *out = SysAllocStringLen((const WCHAR *)label, (UINT)length);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, &IID_IFileSystemImageResult, NULL);
}

static HRESULT WINAPI image_result_get_ModifiedBlocks(IFileSystemImageResult2 *iface,
                                                      IBlockRangeList **out)
{
    struct image_result *result = impl_from_IFileSystemImageResult2(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImageResult2, NULL);
    IBlockRangeList_AddRef(result->modified);
    *out = result->modified;
    return S_OK;
}

static const IFileSystemImageResult2Vtbl image_result_vtbl = {
    image_result_QueryInterface,
    image_result_AddRef,
    image_result_Release,
    image_result_GetTypeInfoCount,
    image_result_GetTypeInfo,
    image_result_GetIDsOfNames,
    image_result_Invoke,
    image_result_get_ImageStream,
    image_result_get_ProgressItems,
    image_result_get_TotalBlocks,
    image_result_get_BlockSize,
    image_result_get_DiscId,
    image_result_get_ModifiedBlocks,
};

/* The full path of a file in the image, "\\dir\\file.txt". */
static BSTR file_path(const struct fsi_node *file)
{
    size_t length = fsi_node_path(file, NULL, 0);
    BSTR path;

    if (length > 0x7FFFFFFF / sizeof(WCHAR))
        return NULL;
    path = SysAllocStringLen(NULL, (UINT)length);
    if (path)
        fsi_node_path(file, (uint16_t *)path, length);
    return path;
}

/* What a run of metadata holds, in words a burning program can show. */
static const WCHAR *metadata_description(const struct fsi_extent_info *info)
{
    int joliet = info->hierarchy == FSI_HIERARCHY_JOLIET;

    switch (info->part) {
    case FSI_PART_SYSTEM_AREA: return L"System area";
    case FSI_PART_VOLUME_DESCRIPTORS: return L"Volume descriptors";
    case FSI_PART_PATH_TABLES: return joliet ? L"Joliet path tables" : L"ISO 9660 path tables";
    case FSI_PART_DIRECTORIES: return joliet ? L"Joliet directories" : L"ISO 9660 directories";
    case FSI_PART_UDF_RECOGNITION: return L"UDF volume recognition sequence";
    case FSI_PART_UDF_DESCRIPTORS: return L"UDF volume descriptors";
    case FSI_PART_UDF_FILE_SET: return L"UDF file set descriptor";
    case FSI_PART_UDF_FILE_ENTRIES: return L"UDF file entries";
    case FSI_PART_UDF_DIRECTORIES: return L"UDF directories";
    case FSI_PART_UDF_SPACE_BITMAP: return L"UDF space bitmap";
    case FSI_PART_UDF_METADATA_MIRROR: return L"UDF metadata mirror";
    case FSI_PART_UNUSED: return L"Unused sectors";
    case FSI_PART_BOOT_CATALOG: return L"El Torito boot catalog";
    case FSI_PART_BOOT_IMAGE: return L"El Torito boot image";
    case FSI_PART_KEPT: return L"Sectors kept from the disc";
    case FSI_PART_FILE_DATA: break;
    }
    return L"File system data";
}

/* One span per file with data and per run of extents of one metadata part, in sector order. */
static HRESULT build_progress_items(const struct fsi_image *image, IProgressItems **out)
{
    size_t count = fsi_image_extent_count(image), used = 0, i;
    const WCHAR *previous = NULL;
    struct progress_span *spans;
    struct fsi_extent_info info;

    *out = NULL;
    spans = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(*spans));
    if (!spans)
        return E_OUTOFMEMORY;
    for (i = 0; i < count; i++) {
        fsi_image_extent(image, i, &info);
        /* A later session's stream starts at its first sector: nothing before is written. */
        if (!info.sector_count ||
            info.first_sector + info.sector_count <= fsi_image_first_sector(image))
            continue;
        if (info.kind == FSI_EXTENT_FILE && info.file) {
            spans[used].description = file_path(info.file);
            previous = NULL;
        } else {
            const WCHAR *description = metadata_description(&info);
            if (previous == description) {
                spans[used - 1].last = info.first_sector + info.sector_count - 1;
                continue;
            }
            spans[used].description = SysAllocString(description);
            previous = description;
        }
        if (!spans[used].description) {
            progress_items_create(spans, used, out);    /* frees what was made */
            if (*out)
                IProgressItems_Release(*out);
            *out = NULL;
            return E_OUTOFMEMORY;
        }
        spans[used].first = info.first_sector;
        spans[used].last = info.first_sector + info.sector_count - 1;
        used++;
    }
    return progress_items_create(spans, used, out);
}

/* What image_result_create was given, let go when it fails. */
static HRESULT discard(struct fsi_tree *snapshot, struct fsi_image *image, IUnknown *keep,
                       HRESULT hr)
{
    fsi_image_destroy(image);
    fsi_tree_destroy(snapshot);
    if (keep)
        IUnknown_Release(keep);
    return hr;
}

HRESULT image_result_create(struct fsi_tree *snapshot, struct fsi_image *image, IUnknown *keep,
                            IFileSystemImageResult **out)
{
    struct image_result *result;
    struct block_span session;
    HRESULT hr;

    if (!out)
        return discard(snapshot, image, keep, E_POINTER);
    *out = NULL;
    if (!image || !snapshot)
        return discard(snapshot, image, keep,
                       com_error(E_INVALIDARG, &IID_IFileSystemImage,
                                 L"There is no image to return."));
    if (fsi_image_sector_count(image) > 0x7FFFFFFFu)
        return discard(snapshot, image, keep,
                       com_error(IMAPI_E_IMAGE_TOO_BIG, &IID_IFileSystemImage,
                                 L"The image has more blocks than TotalBlocks can report "
                                 L"(2^31 - 1)."));
    result = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*result));
    if (!result)
        return discard(snapshot, image, keep, com_error(E_OUTOFMEMORY, &IID_IFileSystemImage,
                                                        NULL));
    result->IFileSystemImageResult2_iface.lpVtbl = &image_result_vtbl;
    error_support_init(&result->errors, (IUnknown *)&result->IFileSystemImageResult2_iface,
                       image_result_error_iids);
    result->ref = 1;
    result->tree = snapshot;
    result->image = image;
    result->keep = keep;

    /* A new session, whole or after earlier ones: the recorder writes every one of its sectors. */
    session.first = fsi_image_first_sector(image);
    session.last = fsi_image_sector_count(image) ? fsi_image_sector_count(image) - 1 : 0;
    hr = build_progress_items(image, &result->progress);
    if (SUCCEEDED(hr))
        hr = block_range_list_create(&session,
                                     fsi_image_sector_count(image) > session.first ? 1 : 0,
                                     &result->modified);
    if (FAILED(hr)) {
        image_result_free(result);
        return com_error(hr, &IID_IFileSystemImage, NULL);
    }
    module_lock();
    *out = (IFileSystemImageResult *)&result->IFileSystemImageResult2_iface;
    return S_OK;
}
