/*
 * MsftFileSystemImage (IFileSystemImage, IFileSystemImage2, IFileSystemImage3): the object
 * scripts and programs start from. It owns the tree of items (the engine's fsi_tree), the
 * settings that decide what CreateResultImage lays out, and raises DFileSystemImageEvents and
 * DFileSystemImageImportEvents through IConnectionPointContainer. Items (fsi_item.h) share its
 * lock and tree through file_system_image.h; the result (image_result.h) gets a snapshot of the
 * tree, so later changes here do not disturb an image being read.
 *
 * BootImageOptions / BootImageOptionsArray go to the engine's El Torito writer as boot entries
 * (boot_entries.h). MultisessionInterfaces and importing the previous session are
 * file_system_image_import.c's; a later session is laid out here from SessionStartBlock and
 * FreeMediaBlocks as the media set them. Appending in place to rewritable media is later work
 * (E_NOTIMPL with a message, README: status).
 */
#include "file_system_image_impl.h"
#include "boot_entries.h"
#include "connection_points.h"
#include "dispatch.h"
#include "error_info.h"
#include "file_system_image.h"
#include "fsi_item.h"
#include "image_result.h"
#include "imapi2error.h"
#include "imapi2fserror.h"
#include "openfsi/import.h"
#include "openfsi/image.h"
#include "openfsi/media.h"
#include "openfsi/volume_name.h"
#include "provide_class_info.h"

/* What Microsoft's DLL reports; the writers behind these flags are the engine's. */
#define SUPPORTED_FILE_SYSTEMS (FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF)

/* put_FreeMediaBlocks: "By default, 332,800 blocks are used" (a 74-minute, 650 MB CD). */
#define DEFAULT_FREE_MEDIA_BLOCKS 332800

static const LONG udf_revisions[] = { 0x102, 0x150, 0x200, 0x201, 0x250, 0x260 };
static const LONG iso9660_levels[] = { 1, 2, 3 };

static const IID *const file_system_image_error_iids[] = {
    &IID_IFileSystemImage, &IID_IFileSystemImage2, &IID_IFileSystemImage3, NULL
};

static const IID *const file_system_image_event_iids[] = {
    &IID_DFileSystemImageEvents, &IID_DFileSystemImageImportEvents, NULL
};

/* ---- What items share (file_system_image.h) ---- */

void file_system_image_addref(struct file_system_image *image)
{
    IFileSystemImage3_AddRef(&image->IFileSystemImage3_iface);
}

void file_system_image_release(struct file_system_image *image)
{
    IFileSystemImage3_Release(&image->IFileSystemImage3_iface);
}

void file_system_image_enter(struct file_system_image *image)
{
    EnterCriticalSection(&image->lock);
}

void file_system_image_leave(struct file_system_image *image)
{
    LeaveCriticalSection(&image->lock);
}

struct fsi_tree *file_system_image_tree(struct file_system_image *image)
{
    return image->tree;
}

int file_system_image_iso9660_level(struct file_system_image *image)
{
    return (int)image->iso9660_level;
}

uint32_t file_system_image_udf_revision(struct file_system_image *image)
{
    return (image->file_systems & FsiFileSystemUDF) ? (uint32_t)image->udf_revision : 0;
}

BOOL file_system_image_restricted_names(struct file_system_image *image)
{
    return image->restricted_names != VARIANT_FALSE;
}

void file_system_image_fire_update(struct file_system_image *image, const WCHAR *file,
                                   LONG copied_sectors, LONG total_sectors)
{
    DISPPARAMS params;
    VARIANT args[4];

    /* Arguments go in reverse order: object, currentFile, copiedSectors, totalSectors. */
    V_VT(&args[3]) = VT_DISPATCH;
    V_DISPATCH(&args[3]) = (IDispatch *)&image->IFileSystemImage3_iface;
    V_VT(&args[2]) = VT_BSTR;
    V_BSTR(&args[2]) = SysAllocString(file);
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = copied_sectors;
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = total_sectors;
    params.rgvarg = args;
    params.rgdispidNamedArgs = NULL;
    params.cArgs = 4;
    params.cNamedArgs = 0;
    if (V_BSTR(&args[2]))
        connection_points_fire(&image->events, &IID_DFileSystemImageEvents,
                               DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE, &params);
    SysFreeString(V_BSTR(&args[2]));
}

/* ---- IUnknown, IDispatch ---- */

static HRESULT WINAPI file_system_image_QueryInterface(IFileSystemImage3 *iface, REFIID riid,
                                                       void **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IFileSystemImage) || IsEqualIID(riid, &IID_IFileSystemImage2) ||
        IsEqualIID(riid, &IID_IFileSystemImage3))
        *out = &image->IFileSystemImage3_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &image->errors.ISupportErrorInfo_iface;
    else if (IsEqualIID(riid, &IID_IConnectionPointContainer))
        *out = &image->events.IConnectionPointContainer_iface;
    else if (provide_class_info_is_iid(riid))
        *out = &image->class_info.IProvideClassInfo2_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI file_system_image_AddRef(IFileSystemImage3 *iface)
{
    return InterlockedIncrement(&impl_from_IFileSystemImage3(iface)->ref);
}

static ULONG WINAPI file_system_image_Release(IFileSystemImage3 *iface)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    ULONG ref = InterlockedDecrement(&image->ref);

    if (!ref) {
        connection_points_cleanup(&image->events);
        fsi_tree_destroy(image->tree);
        file_system_image_import_cleanup(image);    /* after the tree that reads the disc */
        SysFreeString(image->volume_name);
        SysFreeString(image->working_directory);
        if (image->boot_options)
            IBootOptions_Release(image->boot_options);
        if (image->boot_options_array)
            SafeArrayDestroy(image->boot_options_array);
        DeleteCriticalSection(&image->lock);
        HeapFree(GetProcessHeap(), 0, image);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(file_system_image, IFileSystemImage3, TID_IFileSystemImage3)

/* ---- Small helpers ---- */

static HRESULT get_long(struct file_system_image *image, const LONG *field, LONG *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    *out = *field;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT get_bool(struct file_system_image *image, const VARIANT_BOOL *field,
                        VARIANT_BOOL *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    *out = *field ? VARIANT_TRUE : VARIANT_FALSE;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT put_bool(struct file_system_image *image, VARIANT_BOOL *field, VARIANT_BOOL value)
{
    EnterCriticalSection(&image->lock);
    *field = value ? VARIANT_TRUE : VARIANT_FALSE;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

/* A SAFEARRAY of VARIANTs holding these numbers as `type` (VT_I4 or VT_UI4, as Microsoft
   documents each list), as scripts read them (VBArray, For Each). */
static HRESULT number_array(const LONG *values, ULONG count, VARTYPE type, SAFEARRAY **out)
{
    SAFEARRAY *array;
    VARIANT *items;
    ULONG i;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    array = SafeArrayCreateVector(VT_VARIANT, 0, count);
    if (!array)
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    if (FAILED(SafeArrayAccessData(array, (void **)&items))) {
        SafeArrayDestroy(array);
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    }
    for (i = 0; i < count; i++) {
        V_VT(&items[i]) = type;
        V_I4(&items[i]) = values[i];    /* lVal and ulVal share the storage */
    }
    SafeArrayUnaccessData(array);
    *out = array;
    return S_OK;
}

static HRESULT copy_array(SAFEARRAY *from, SAFEARRAY **out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    if (!from)
        return S_OK;
    return FAILED(SafeArrayCopy(from, out)) ? com_error(E_OUTOFMEMORY, ERROR_IID, NULL) : S_OK;
}

static HRESULT put_array(struct file_system_image *image, SAFEARRAY **field, SAFEARRAY *value)
{
    SAFEARRAY *copy = NULL;

    if (value && FAILED(SafeArrayCopy(value, &copy)))
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    if (*field)
        SafeArrayDestroy(*field);
    *field = copy;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

/* ---- The tree ---- */

static HRESULT WINAPI file_system_image_get_Root(IFileSystemImage3 *iface, IFsiDirectoryItem **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    hr = directory_item_create(image, fsi_tree_root(image->tree), &IID_IFsiDirectoryItem,
                               (void **)out);
    LeaveCriticalSection(&image->lock);
    return FAILED(hr) ? com_error(hr, ERROR_IID, NULL) : hr;
}

static HRESULT count_of(struct file_system_image *image, BOOL files, LONG *out)
{
    size_t count;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    count = files ? fsi_tree_file_count(image->tree) : fsi_tree_directory_count(image->tree);
    LeaveCriticalSection(&image->lock);
    *out = count > 0x7FFFFFFF ? 0x7FFFFFFF : (LONG)count;
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_FileCount(IFileSystemImage3 *iface, LONG *out)
{
    return count_of(impl_from_IFileSystemImage3(iface), TRUE, out);
}

static HRESULT WINAPI file_system_image_get_DirectoryCount(IFileSystemImage3 *iface, LONG *out)
{
    return count_of(impl_from_IFileSystemImage3(iface), FALSE, out);
}

static HRESULT WINAPI file_system_image_get_ChangePoint(IFileSystemImage3 *iface, LONG *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    *out = (LONG)fsi_tree_change_point(image->tree);
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_RollbackToChangePoint(IFileSystemImage3 *iface,
                                                              LONG change_point)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    enum fsi_status status = FSI_E_INVALID_ARGUMENT;

    EnterCriticalSection(&image->lock);
    if (change_point >= 0)
        status = fsi_tree_rollback(image->tree, (uint32_t)change_point);
    LeaveCriticalSection(&image->lock);
    if (status == FSI_E_INVALID_ARGUMENT)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"The change point is not one this image can go back to: it is later "
                         L"than the current one, or earlier than the last LockInChangePoint.");
    return status == FSI_OK ? S_OK : com_error_from_status(status, ERROR_IID);
}

static HRESULT WINAPI file_system_image_LockInChangePoint(IFileSystemImage3 *iface)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    EnterCriticalSection(&image->lock);
    fsi_tree_lock_in(image->tree);
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_Exists(IFileSystemImage3 *iface, BSTR path,
                                               FsiItemType *type)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct fsi_node *node;
    enum fsi_status status;

    if (!type)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *type = FsiItemNotFound;
    if (!path || (path[0] != '\\' && path[0] != '/'))
        return com_error(IMAPI_E_INVALID_PATH, ERROR_IID,
                         L"The path is not fully qualified: it must begin with '\\' or '/' "
                         L"(the image's root).");
    EnterCriticalSection(&image->lock);
    status = fsi_tree_lookup(image->tree, fsi_tree_root(image->tree), (const uint16_t *)path,
                             SysStringLen(path), &node);
    if (status == FSI_OK)
        *type = fsi_node_is_directory(node) ? FsiItemDirectory : FsiItemFile;
    LeaveCriticalSection(&image->lock);
    /* A path through a file, or to nothing, names no item: not an error. */
    if (status == FSI_OK || status == FSI_E_NOT_FOUND || status == FSI_E_NOT_DIRECTORY)
        return S_OK;
    return com_error_from_status(status, ERROR_IID);
}

static HRESULT create_detached(struct file_system_image *image, BSTR name, BOOL directory,
                               REFIID riid, void **out)
{
    struct fsi_node *node;
    enum fsi_status status;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    if (!name || !SysStringLen(name))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID, L"The item name is empty.");
    EnterCriticalSection(&image->lock);
    hr = fsi_item_check_name(image, name, SysStringLen(name), ERROR_IID);
    if (FAILED(hr)) {
        LeaveCriticalSection(&image->lock);
        return hr;
    }
    if (directory)
        status = fsi_tree_new_directory(image->tree, (const uint16_t *)name, SysStringLen(name),
                                        &node);
    else
        status = fsi_tree_new_file(image->tree, (const uint16_t *)name, SysStringLen(name), 0,
                                   &(struct fsi_source){ FSI_SOURCE_NONE, { 0 } }, &node);
    if (status == FSI_OK) {
        fsi_time now = fsi_time_now();
        fsi_node_set_times(node, now, now, now);
        hr = fsi_item_create(image, node, riid, out);
        if (FAILED(hr))
            hr = com_error(hr, ERROR_IID, NULL);
    } else if (status == FSI_E_INVALID_NAME) {
        hr = com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                       L"The provided name is not valid: it must be 1 to 255 characters, not "
                       L"\".\" or \"..\", without control characters or any of \\ / : * ? \" < > |.");
    } else {
        hr = com_error_from_status(status, ERROR_IID);
    }
    LeaveCriticalSection(&image->lock);
    return hr;
}

static HRESULT WINAPI file_system_image_CreateDirectoryItem(IFileSystemImage3 *iface, BSTR name,
                                                            IFsiDirectoryItem **out)
{
    return create_detached(impl_from_IFileSystemImage3(iface), name, TRUE,
                           &IID_IFsiDirectoryItem, (void **)out);
}

static HRESULT WINAPI file_system_image_CreateFileItem(IFileSystemImage3 *iface, BSTR name,
                                                       IFsiFileItem **out)
{
    return create_detached(impl_from_IFileSystemImage3(iface), name, FALSE, &IID_IFsiFileItem,
                           (void **)out);
}

/* ---- Laying out the image ---- */

/* The engine's options for the current settings (FileSystemsToCreate, UDFRevision,
   CreateRedundantUdfMetadataFiles, BootImageOptions ...), or a failure for settings no writer
   serves yet. Call under the lock; the volume name stays owned by `image`, the boot entries by
   `boot` (boot_entries_discard once the engine's image is made). */
static HRESULT image_options(struct file_system_image *image, struct fsi_image_options *options,
                             struct boot_entries *boot)
{
    HRESULT hr;

    fsi_image_options_init(options, fsi_time_now());
    boot->count = 0;
    options->iso9660 = (image->file_systems & FsiFileSystemISO9660) != 0;
    options->iso9660_level = (int)image->iso9660_level;
    options->joliet = (image->file_systems & FsiFileSystemJoliet) != 0;
    options->udf_revision = (image->file_systems & FsiFileSystemUDF)
                                ? (uint32_t)image->udf_revision : 0;
    options->udf_redundant_metadata = image->redundant_udf_metadata != VARIANT_FALSE;
    options->strict = image->strict != VARIANT_FALSE;
    options->volume_name = (const uint16_t *)image->volume_name;
    options->volume_name_length = SysStringLen(image->volume_name);
    options->session_start = (uint32_t)image->session_start_block;
    options->udf_partition_start = (uint32_t)image->udf_partition_start;
    options->udf_first_unique_id = image->udf_next_unique_id;
    /* FreeMediaBlocks is the session's room; the engine counts sectors from the disc's start. */
    options->max_sectors = image->free_media_blocks
                               ? (uint32_t)image->session_start_block +
                                     (uint32_t)image->free_media_blocks
                               : 0;
    if (image->imported && image->media.random_write) {
        /* Rewritable media: the image covers the disc from sector 0 over what it holds (the
           imported disc); the new session follows the old one at a write unit's boundary, and
           the media's total room bounds it. */
        ULONG unit = image->media.write_unit ? image->media.write_unit : 16;
        options->base = recorder_disc_fsi(image->disc);
        options->in_place = 1;      /* over the old volume where that is safe */
        options->session_start = (uint32_t)((image->media.previous_last + unit) / unit * unit);
        options->max_sectors = (uint32_t)image->free_media_blocks;
    }
    /* The last of put_BootImageOptions and put_BootImageOptionsArray decides (an empty array
       makes a disc that does not boot). */
    if (image->boot_from_array ? image->boot_options_array != NULL : image->boot_options != NULL) {
        if (image->imported)
            return com_error(IMAPI_E_BOOT_OBJECT_CONFLICT, ERROR_IID,
                             L"A boot image can only be put in a disc's first session: this "
                             L"image adds to an imported one (clear BootImageOptions, or make a "
                             L"new disc).");
        if (!options->iso9660)
            return com_error(IMAPI_E_BOOT_IMAGE_DATA, ERROR_IID,
                             L"A boot image needs ISO 9660 in FileSystemsToCreate: El Torito is "
                             L"recorded among its volume descriptors.");
        hr = boot_entries_collect(image->boot_from_array ? NULL : image->boot_options,
                                  image->boot_from_array ? image->boot_options_array : NULL,
                                  ERROR_IID, boot);
        if (FAILED(hr))
            return hr;
        options->boot_entries = boot->entries;
        options->boot_entry_count = boot->count;
    }
    return S_OK;
}

/* Why the engine could not lay the image out, in the settings' words. */
static HRESULT layout_error(enum fsi_status status, const struct fsi_image_options *options)
{
    if (status == FSI_E_IMAGE_TOO_LARGE && options->max_sectors)
        return com_error(IMAPI_E_IMAGE_TOO_BIG, ERROR_IID,
                         L"The image does not fit in FreeMediaBlocks: make FreeMediaBlocks "
                         L"larger (0 means no limit) or take items out.");
    if (status == FSI_E_FILE_TOO_LARGE)
        return com_error(IMAPI_E_DATA_TOO_BIG, ERROR_IID,
                         L"A file of 4 GiB or more needs ISO9660InterchangeLevel 3, or UDF "
                         L"without ISO 9660 (FileSystemsToCreate = FsiFileSystemUDF).");
    return com_error_from_status(status, ERROR_IID);
}

static HRESULT WINAPI file_system_image_CreateResultImage(IFileSystemImage3 *iface,
                                                          IFileSystemImageResult **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct fsi_image_options options;
    struct boot_entries boot;
    struct fsi_tree *snapshot = NULL;
    struct fsi_image *laid_out = NULL;
    enum fsi_status status;
    IUnknown *disc;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    EnterCriticalSection(&image->lock);
    hr = image_options(image, &options, &boot);
    if (SUCCEEDED(hr)) {
        status = fsi_tree_snapshot(image->tree, &snapshot);
        if (status == FSI_OK)
            status = fsi_image_create(snapshot, &options, &laid_out);
        if (status != FSI_OK)
            hr = layout_error(status, &options);
    }
    boot_entries_discard(&boot);    /* the engine's image holds the boot images' streams */
    /* Imported items read the disc: the result keeps it. */
    disc = image->disc ? recorder_disc_unknown(image->disc) : NULL;
    if (disc)
        IUnknown_AddRef(disc);
    LeaveCriticalSection(&image->lock);
    if (FAILED(hr)) {
        fsi_image_destroy(laid_out);
        fsi_tree_destroy(snapshot);
        if (disc)
            IUnknown_Release(disc);
        return hr;
    }
    return image_result_create(snapshot, laid_out, disc, out);
}

static HRESULT WINAPI file_system_image_get_UsedBlocks(IFileSystemImage3 *iface, LONG *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct fsi_image_options options;
    struct boot_entries boot;
    struct fsi_image *laid_out = NULL;
    enum fsi_status status = FSI_OK;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = 0;
    /* Laid out for the media's room as CreateResultImage does (UDF's space bitmap covers it),
       so the count is TotalBlocks of a result made now; an image too big for the room is
       counted without it. */
    EnterCriticalSection(&image->lock);
    hr = image_options(image, &options, &boot);
    if (SUCCEEDED(hr))
        status = fsi_image_create(image->tree, &options, &laid_out);
    if (SUCCEEDED(hr) && status == FSI_E_IMAGE_TOO_LARGE && options.max_sectors) {
        options.max_sectors = 0;
        status = fsi_image_create(image->tree, &options, &laid_out);
    }
    boot_entries_discard(&boot);
    LeaveCriticalSection(&image->lock);
    if (FAILED(hr))
        return hr;
    if (status != FSI_OK)
        return layout_error(status, &options);
    *out = (LONG)fsi_image_sector_count(laid_out);
    fsi_image_destroy(laid_out);
    return S_OK;
}

/* ---- Settings ---- */

static HRESULT WINAPI file_system_image_get_VolumeName(IFileSystemImage3 *iface, BSTR *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    *out = SysAllocStringLen(image->volume_name, SysStringLen(image->volume_name));
    LeaveCriticalSection(&image->lock);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
}

static HRESULT WINAPI file_system_image_put_VolumeName(IFileSystemImage3 *iface, BSTR value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    UINT length = SysStringLen(value);
    enum fsi_status status;
    BSTR copy;

    status = fsi_volume_name_check((const uint16_t *)value, length);
    if (status != FSI_OK)
        return com_error_from_status(status, ERROR_IID);
    copy = SysAllocStringLen(value, length);
    if (!copy)
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    SysFreeString(image->volume_name);
    image->volume_name = copy;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

/* The label as one file system records it. */
static HRESULT volume_label(struct file_system_image *image, enum fsi_volume_label_system system,
                            BSTR *out)
{
    uint16_t label[FSI_VOLUME_NAME_MAX];
    size_t length;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    length = fsi_volume_label((const uint16_t *)image->volume_name,
                              SysStringLen(image->volume_name), system, label);
    LeaveCriticalSection(&image->lock);
    *out = SysAllocStringLen(label, (UINT)length);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
}

static HRESULT WINAPI file_system_image_get_VolumeNameUDF(IFileSystemImage3 *iface, BSTR *out)
{
    return volume_label(impl_from_IFileSystemImage3(iface), FSI_VOLUME_LABEL_UDF, out);
}

static HRESULT WINAPI file_system_image_get_VolumeNameJoliet(IFileSystemImage3 *iface, BSTR *out)
{
    return volume_label(impl_from_IFileSystemImage3(iface), FSI_VOLUME_LABEL_JOLIET, out);
}

static HRESULT WINAPI file_system_image_get_VolumeNameISO9660(IFileSystemImage3 *iface,
                                                              BSTR *out)
{
    return volume_label(impl_from_IFileSystemImage3(iface), FSI_VOLUME_LABEL_ISO9660, out);
}

static HRESULT WINAPI file_system_image_get_FileSystemsSupported(IFileSystemImage3 *iface,
                                                                 FsiFileSystems *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = SUPPORTED_FILE_SYSTEMS;
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_FileSystemsToCreate(IFileSystemImage3 *iface,
                                                                FsiFileSystems *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    *out = image->file_systems;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_put_FileSystemsToCreate(IFileSystemImage3 *iface,
                                                                FsiFileSystems value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (value == FsiFileSystemNone)
        return com_error(IMAPI_E_NO_OUTPUT, ERROR_IID,
                         L"FileSystemsToCreate must name at least one file system.");
    if (value & ~SUPPORTED_FILE_SYSTEMS)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"FileSystemsToCreate must name one or more of FsiFileSystemISO9660, "
                         L"FsiFileSystemJoliet and FsiFileSystemUDF.");
    if ((value & FsiFileSystemJoliet) && !(value & FsiFileSystemISO9660))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"Joliet is an extension of ISO 9660: FsiFileSystemJoliet needs "
                         L"FsiFileSystemISO9660 too.");
    EnterCriticalSection(&image->lock);
    if (image->imported && value != image->file_systems) {
        LeaveCriticalSection(&image->lock);
        return com_error(IMAPI_E_FILE_SYSTEM_CHANGE_NOT_ALLOWED, ERROR_IID,
                         L"The new session must have the file systems of the imported one.");
    }
    image->file_systems = value;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_put_UDFRevision(IFileSystemImage3 *iface, LONG value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    size_t i;

    for (i = 0; i < ARRAY_SIZE(udf_revisions) && udf_revisions[i] != value; i++)
        ;
    if (i == ARRAY_SIZE(udf_revisions))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"UDFRevision must be one of UDFRevisionsSupported: 0x102, 0x150, 0x200, "
                         L"0x201, 0x250 or 0x260.");
    EnterCriticalSection(&image->lock);
    if ((image->found & FsiFileSystemUDF) && value != image->udf_revision) {
        LeaveCriticalSection(&image->lock);
        return com_error(IMAPI_E_UDF_REVISION_CHANGE_NOT_ALLOWED, ERROR_IID, NULL);
    }
    image->udf_revision = value;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_UDFRevision(IFileSystemImage3 *iface, LONG *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_long(image, &image->udf_revision, out);
}

static HRESULT WINAPI file_system_image_get_UDFRevisionsSupported(IFileSystemImage3 *iface,
                                                                  SAFEARRAY **out)
{
    (void)iface;
    return number_array(udf_revisions, ARRAY_SIZE(udf_revisions), VT_I4, out);
}

static HRESULT WINAPI file_system_image_put_ISO9660InterchangeLevel(IFileSystemImage3 *iface,
                                                                    LONG value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (value < 1 || value > 3)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"ISO9660InterchangeLevel must be 1, 2 or 3.");
    EnterCriticalSection(&image->lock);
    image->iso9660_level = value;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_ISO9660InterchangeLevel(IFileSystemImage3 *iface,
                                                                    LONG *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_long(image, &image->iso9660_level, out);
}

static HRESULT WINAPI file_system_image_get_ISO9660InterchangeLevelsSupported(
    IFileSystemImage3 *iface, SAFEARRAY **out)
{
    (void)iface;
    return number_array(iso9660_levels, ARRAY_SIZE(iso9660_levels), VT_UI4, out);
}

static HRESULT WINAPI file_system_image_get_SessionStartBlock(IFileSystemImage3 *iface, LONG *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_long(image, &image->session_start_block, out);
}

static HRESULT WINAPI file_system_image_put_SessionStartBlock(IFileSystemImage3 *iface,
                                                              LONG value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (value < 0)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"SessionStartBlock cannot be negative.");
    EnterCriticalSection(&image->lock);
    if (image->imported && value != image->session_start_block) {
        LeaveCriticalSection(&image->lock);
        return com_error(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, ERROR_IID,
                         L"A session was imported: the new one starts where the media says "
                         L"(SessionStartBlock cannot be changed).");
    }
    image->session_start_block = value;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_FreeMediaBlocks(IFileSystemImage3 *iface, LONG *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_long(image, &image->free_media_blocks, out);
}

static HRESULT WINAPI file_system_image_put_FreeMediaBlocks(IFileSystemImage3 *iface, LONG value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (value < 0)
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"FreeMediaBlocks cannot be negative (0 means no limit).");
    EnterCriticalSection(&image->lock);
    image->free_media_blocks = value;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT apply_media_defaults(struct file_system_image *image, int media_type)
{
    struct fsi_media_defaults defaults;

    if (!fsi_media_defaults(media_type, &defaults))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID,
                         L"The media type is not one of IMAPI_MEDIA_PHYSICAL_TYPE's known "
                         L"kinds of disc.");
    EnterCriticalSection(&image->lock);
    image->file_systems = (FsiFileSystems)defaults.file_systems;
    image->udf_revision = (LONG)defaults.udf_revision;
    image->free_media_blocks = (LONG)defaults.sectors;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_ChooseImageDefaultsForMediaType(
    IFileSystemImage3 *iface, IMAPI_MEDIA_PHYSICAL_TYPE type)
{
    return apply_media_defaults(impl_from_IFileSystemImage3(iface), (int)type);
}

/* The profiles a recorder lists (CurrentProfiles or SupportedProfiles) as media kinds. */
static HRESULT recorder_media(IDiscRecorder2 *recorder, BOOL current, int *kinds, ULONG capacity,
                              ULONG *count)
{
    SAFEARRAY *profiles = NULL;
    VARIANT *items;
    LONG low, high, i;
    HRESULT hr;

    *count = 0;
    hr = current ? IDiscRecorder2_get_CurrentProfiles(recorder, &profiles)
                 : IDiscRecorder2_get_SupportedProfiles(recorder, &profiles);
    if (FAILED(hr))
        return hr;
    if (!profiles)
        return S_OK;
    if (SUCCEEDED(SafeArrayGetLBound(profiles, 1, &low)) &&
        SUCCEEDED(SafeArrayGetUBound(profiles, 1, &high)) &&
        SafeArrayGetElemsize(profiles) == sizeof(VARIANT) &&
        SUCCEEDED(SafeArrayAccessData(profiles, (void **)&items))) {
        for (i = 0; i <= high - low && *count < capacity; i++) {
            VARIANT number;
            VariantInit(&number);
            if (SUCCEEDED(VariantChangeType(&number, &items[i], 0, VT_I4))) {
                int kind = fsi_media_type_for_profile(V_I4(&number));
                if (kind)
                    kinds[(*count)++] = kind;
            }
        }
        SafeArrayUnaccessData(profiles);
    }
    SafeArrayDestroy(profiles);
    return S_OK;
}

static HRESULT WINAPI file_system_image_ChooseImageDefaults(IFileSystemImage3 *iface,
                                                            IDiscRecorder2 *recorder)
{
    int kinds[64];
    ULONG count;
    HRESULT hr;

    if (!recorder)
        return com_error(E_POINTER, ERROR_IID, NULL);
    hr = recorder_media(recorder, TRUE, kinds, ARRAY_SIZE(kinds), &count);
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, L"The recorder did not report its current profile.");
    if (!count)
        return com_error(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, ERROR_IID,
                         L"The recorder reports no disc it can write: insert a disc first.");
    return apply_media_defaults(impl_from_IFileSystemImage3(iface), kinds[0]);
}

static HRESULT WINAPI file_system_image_SetMaxMediaBlocksFromDevice(IFileSystemImage3 *iface,
                                                                    IDiscRecorder2 *recorder)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct fsi_media_defaults defaults;
    uint32_t largest = 0;
    int kinds[64];
    ULONG count, i;
    HRESULT hr;

    if (!recorder)
        return com_error(E_POINTER, ERROR_IID, NULL);
    hr = recorder_media(recorder, FALSE, kinds, ARRAY_SIZE(kinds), &count);
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, L"The recorder did not report its profiles.");
    for (i = 0; i < count; i++)
        if (fsi_media_defaults(kinds[i], &defaults) && defaults.sectors > largest)
            largest = defaults.sectors;
    if (!largest)
        return com_error(E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, ERROR_IID,
                         L"The recorder supports no kind of disc with a known capacity.");
    EnterCriticalSection(&image->lock);
    image->free_media_blocks = (LONG)largest;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_StrictFileSystemCompliance(IFileSystemImage3 *iface,
                                                                       VARIANT_BOOL *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_bool(image, &image->strict, out);
}

static HRESULT WINAPI file_system_image_put_StrictFileSystemCompliance(IFileSystemImage3 *iface,
                                                                       VARIANT_BOOL value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    HRESULT hr = S_OK;

    /* "You can specify VARIANT_TRUE only when the file system image is empty." */
    EnterCriticalSection(&image->lock);
    if (value && !image->strict && fsi_node_child_count(fsi_tree_root(image->tree)))
        hr = com_error(IMAPI_E_FILE_SYSTEM_NOT_EMPTY, ERROR_IID,
                       L"StrictFileSystemCompliance can be turned on only while the image is "
                       L"empty.");
    else
        image->strict = value ? VARIANT_TRUE : VARIANT_FALSE;
    LeaveCriticalSection(&image->lock);
    return hr;
}

static HRESULT WINAPI file_system_image_get_UseRestrictedCharacterSet(IFileSystemImage3 *iface,
                                                                      VARIANT_BOOL *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_bool(image, &image->restricted_names, out);
}

static HRESULT WINAPI file_system_image_put_UseRestrictedCharacterSet(IFileSystemImage3 *iface,
                                                                      VARIANT_BOOL value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return put_bool(image, &image->restricted_names, value);
}

static HRESULT WINAPI file_system_image_get_StageFiles(IFileSystemImage3 *iface,
                                                       VARIANT_BOOL *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_bool(image, &image->stage_files, out);
}

static HRESULT WINAPI file_system_image_put_StageFiles(IFileSystemImage3 *iface,
                                                       VARIANT_BOOL value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return put_bool(image, &image->stage_files, value);
}

static HRESULT WINAPI file_system_image_get_CreateRedundantUdfMetadataFiles(
    IFileSystemImage3 *iface, VARIANT_BOOL *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    return get_bool(image, &image->redundant_udf_metadata, out);
}

static HRESULT WINAPI file_system_image_put_CreateRedundantUdfMetadataFiles(
    IFileSystemImage3 *iface, VARIANT_BOOL value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    BOOL applies;

    EnterCriticalSection(&image->lock);
    image->redundant_udf_metadata = value ? VARIANT_TRUE : VARIANT_FALSE;
    applies = (image->file_systems & FsiFileSystemUDF) && image->udf_revision >= 0x250;
    LeaveCriticalSection(&image->lock);
    /* Recorded either way; only UDF 2.50 and later have a metadata mirror to make. */
    return applies ? S_OK : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED;
}

static HRESULT WINAPI file_system_image_get_WorkingDirectory(IFileSystemImage3 *iface, BSTR *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    WCHAR temp[MAX_PATH + 1];

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    if (image->working_directory)
        *out = SysAllocStringLen(image->working_directory,
                                 SysStringLen(image->working_directory));
    else
        *out = SysAllocString(GetTempPathW(ARRAY_SIZE(temp), temp) ? temp : L"");
    LeaveCriticalSection(&image->lock);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
}

static HRESULT WINAPI file_system_image_put_WorkingDirectory(IFileSystemImage3 *iface, BSTR value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    DWORD attributes;
    BSTR copy;

    if (!value || !SysStringLen(value))
        return com_error(IMAPI_E_INVALID_WORKING_DIRECTORY, ERROR_IID,
                         L"The working directory path is empty.");
    attributes = GetFileAttributesW(value);
    if (attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_DIRECTORY))
        return com_error(IMAPI_E_INVALID_WORKING_DIRECTORY, ERROR_IID,
                         L"The working directory does not exist or is not a folder.");
    copy = SysAllocStringLen(value, SysStringLen(value));
    if (!copy)
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    SysFreeString(image->working_directory);
    image->working_directory = copy;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_BootImageOptions(IFileSystemImage3 *iface,
                                                             IBootOptions **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    EnterCriticalSection(&image->lock);
    *out = image->boot_options;
    if (*out)
        IBootOptions_AddRef(*out);
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_put_BootImageOptions(IFileSystemImage3 *iface,
                                                             IBootOptions *value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    IBootOptions *old;

    if (value)
        IBootOptions_AddRef(value);
    EnterCriticalSection(&image->lock);
    old = image->boot_options;
    image->boot_options = value;
    image->boot_from_array = FALSE;
    LeaveCriticalSection(&image->lock);
    if (old)
        IBootOptions_Release(old);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_BootImageOptionsArray(IFileSystemImage3 *iface,
                                                                  SAFEARRAY **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    HRESULT hr;

    EnterCriticalSection(&image->lock);
    hr = copy_array(image->boot_options_array, out);
    LeaveCriticalSection(&image->lock);
    return hr;
}

static HRESULT WINAPI file_system_image_put_BootImageOptionsArray(IFileSystemImage3 *iface,
                                                                  SAFEARRAY *value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    HRESULT hr = put_array(image, &image->boot_options_array, value);

    if (SUCCEEDED(hr)) {
        EnterCriticalSection(&image->lock);
        image->boot_from_array = TRUE;
        LeaveCriticalSection(&image->lock);
    }
    return hr;
}

static const IFileSystemImage3Vtbl file_system_image_vtbl = {
    file_system_image_QueryInterface,
    file_system_image_AddRef,
    file_system_image_Release,
    file_system_image_GetTypeInfoCount,
    file_system_image_GetTypeInfo,
    file_system_image_GetIDsOfNames,
    file_system_image_Invoke,
    /* IFileSystemImage */
    file_system_image_get_Root,
    file_system_image_get_SessionStartBlock,
    file_system_image_put_SessionStartBlock,
    file_system_image_get_FreeMediaBlocks,
    file_system_image_put_FreeMediaBlocks,
    file_system_image_SetMaxMediaBlocksFromDevice,
    file_system_image_get_UsedBlocks,
    file_system_image_get_VolumeName,
    file_system_image_put_VolumeName,
    file_system_image_get_ImportedVolumeName,
    file_system_image_get_BootImageOptions,
    file_system_image_put_BootImageOptions,
    file_system_image_get_FileCount,
    file_system_image_get_DirectoryCount,
    file_system_image_get_WorkingDirectory,
    file_system_image_put_WorkingDirectory,
    file_system_image_get_ChangePoint,
    file_system_image_get_StrictFileSystemCompliance,
    file_system_image_put_StrictFileSystemCompliance,
    file_system_image_get_UseRestrictedCharacterSet,
    file_system_image_put_UseRestrictedCharacterSet,
    file_system_image_get_FileSystemsToCreate,
    file_system_image_put_FileSystemsToCreate,
    file_system_image_get_FileSystemsSupported,
    file_system_image_put_UDFRevision,
    file_system_image_get_UDFRevision,
    file_system_image_get_UDFRevisionsSupported,
    file_system_image_ChooseImageDefaults,
    file_system_image_ChooseImageDefaultsForMediaType,
    file_system_image_put_ISO9660InterchangeLevel,
    file_system_image_get_ISO9660InterchangeLevel,
    file_system_image_get_ISO9660InterchangeLevelsSupported,
    file_system_image_CreateResultImage,
    file_system_image_Exists,
    file_system_image_CalculateDiscIdentifier,
    file_system_image_IdentifyFileSystemsOnDisc,
    file_system_image_GetDefaultFileSystemForImport,
    file_system_image_ImportFileSystem,
    file_system_image_ImportSpecificFileSystem,
    file_system_image_RollbackToChangePoint,
    file_system_image_LockInChangePoint,
    file_system_image_CreateDirectoryItem,
    file_system_image_CreateFileItem,
    file_system_image_get_VolumeNameUDF,
    file_system_image_get_VolumeNameJoliet,
    file_system_image_get_VolumeNameISO9660,
    file_system_image_get_StageFiles,
    file_system_image_put_StageFiles,
    file_system_image_get_MultisessionInterfaces,
    file_system_image_put_MultisessionInterfaces,
    /* IFileSystemImage2 */
    file_system_image_get_BootImageOptionsArray,
    file_system_image_put_BootImageOptionsArray,
    /* IFileSystemImage3 */
    file_system_image_get_CreateRedundantUdfMetadataFiles,
    file_system_image_put_CreateRedundantUdfMetadataFiles,
    file_system_image_ProbeSpecificFileSystem,
};

HRESULT file_system_image_create(REFIID riid, void **out)
{
    struct file_system_image *image;
    HRESULT hr;

    image = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*image));
    if (!image)
        return E_OUTOFMEMORY;
    image->IFileSystemImage3_iface.lpVtbl = &file_system_image_vtbl;
    error_support_init(&image->errors, (IUnknown *)&image->IFileSystemImage3_iface,
                       file_system_image_error_iids);
    connection_points_init(&image->events, (IUnknown *)&image->IFileSystemImage3_iface,
                           file_system_image_event_iids);
    provide_class_info_init(&image->class_info, (IUnknown *)&image->IFileSystemImage3_iface,
                            &CLSID_MsftFileSystemImage, &IID_DFileSystemImageEvents);
    image->ref = 1;
    InitializeCriticalSection(&image->lock);
    image->tree = fsi_tree_create();
    image->file_systems = FsiFileSystemISO9660 | FsiFileSystemJoliet;
    image->iso9660_level = 2;
    image->udf_revision = 0x102;
    image->stage_files = VARIANT_TRUE;
    image->redundant_udf_metadata = VARIANT_TRUE;        /* IFileSystemImage3's page */
    image->free_media_blocks = DEFAULT_FREE_MEDIA_BLOCKS;
    module_lock();
    if (!image->tree) {
        IFileSystemImage3_Release(&image->IFileSystemImage3_iface);
        return E_OUTOFMEMORY;
    }
    hr = IFileSystemImage3_QueryInterface(&image->IFileSystemImage3_iface, riid, out);
    IFileSystemImage3_Release(&image->IFileSystemImage3_iface);
    return hr;
}
