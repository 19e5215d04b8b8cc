/*
 * MsftFileSystemImage (IFileSystemImage, IFileSystemImage2, IFileSystemImage3): the object
 * scripts and programs start from. It raises DFileSystemImageEvents and
 * DFileSystemImageImportEvents through IConnectionPointContainer.
 *
 * This stage of the project holds the volume name and reports the supported file systems; the
 * methods that need the image engine (tree, layout, writers, import) return E_NOTIMPL with a
 * message until the engine lands, as the README's status table says.
 */
#include "module.h"
#include "connection_points.h"
#include "dispatch.h"
#include "error_info.h"
#include "image_result.h"
#include "imapi2fserror.h"
#include "openfsi/image.h"
#include "openfsi/volume_name.h"

/* What Microsoft's DLL reports; the writers behind these flags are the engine's. */
#define SUPPORTED_FILE_SYSTEMS (FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF)

struct file_system_image {
    IFileSystemImage3 IFileSystemImage3_iface;
    struct error_support errors;
    struct connection_points events;
    LONG ref;
    CRITICAL_SECTION lock;      /* ThreadingModel Both: callers may share the object */
    BSTR volume_name;
};

static const IID *const file_system_image_error_iids[] = {
    &IID_IFileSystemImage, &IID_IFileSystemImage2, &IID_IFileSystemImage3, NULL
};

static const IID *const file_system_image_event_iids[] = {
    &IID_DFileSystemImageEvents, &IID_DFileSystemImageImportEvents, NULL
};

static inline struct file_system_image *impl_from_IFileSystemImage3(IFileSystemImage3 *iface)
{
    return CONTAINING_RECORD(iface, struct file_system_image, IFileSystemImage3_iface);
}

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
        SysFreeString(image->volume_name);
        DeleteCriticalSection(&image->lock);
        HeapFree(GetProcessHeap(), 0, image);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(file_system_image, IFileSystemImage3, TID_IFileSystemImage3)

static HRESULT WINAPI file_system_image_get_VolumeName(IFileSystemImage3 *iface, BSTR *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImage, NULL);
    EnterCriticalSection(&image->lock);
    *out = SysAllocStringLen(image->volume_name, SysStringLen(image->volume_name));
    LeaveCriticalSection(&image->lock);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, &IID_IFileSystemImage, NULL);
}

static HRESULT WINAPI file_system_image_put_VolumeName(IFileSystemImage3 *iface, BSTR value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    UINT length = SysStringLen(value);
    enum fsi_status status;
    BSTR copy;

    status = fsi_volume_name_check((const uint16_t *)value, length);
    if (status != FSI_OK)
        return com_error_from_status(status, &IID_IFileSystemImage);
    copy = SysAllocStringLen(value, length);
    if (!copy)
        return com_error(E_OUTOFMEMORY, &IID_IFileSystemImage, NULL);
    EnterCriticalSection(&image->lock);
    SysFreeString(image->volume_name);
    image->volume_name = copy;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

static HRESULT WINAPI file_system_image_get_FileSystemsSupported(IFileSystemImage3 *iface,
                                                                 FsiFileSystems *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImage, NULL);
    *out = SUPPORTED_FILE_SYSTEMS;
    return S_OK;
}

static HRESULT WINAPI file_system_image_CreateResultImage(IFileSystemImage3 *iface,
                                                          IFileSystemImageResult **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct fsi_image_options options;
    struct fsi_image *laid_out;
    enum fsi_status status;
    struct fsi_tree *tree;
    ULARGE_INTEGER now;
    FILETIME time;

    if (!out)
        return com_error(E_POINTER, &IID_IFileSystemImage, NULL);
    *out = NULL;
    GetSystemTimeAsFileTime(&time);
    now.LowPart = time.dwLowDateTime;
    now.HighPart = time.dwHighDateTime;
    fsi_image_options_init(&options, (fsi_time)now.QuadPart);

    tree = fsi_tree_create();   /* until the image holds its tree */
    if (!tree)
        return com_error(E_OUTOFMEMORY, &IID_IFileSystemImage, NULL);
    EnterCriticalSection(&image->lock);
    options.volume_name = (const uint16_t *)image->volume_name;
    options.volume_name_length = SysStringLen(image->volume_name);
    status = fsi_image_create(tree, &options, &laid_out);   /* copies the label */
    LeaveCriticalSection(&image->lock);
    if (status != FSI_OK) {
        fsi_tree_destroy(tree);
        return com_error_from_status(status, &IID_IFileSystemImage);
    }
    return image_result_create(tree, laid_out, out);
}

/*
 * Methods that need the engine. Each returns E_NOTIMPL with a message naming it; parameters are
 * unused on purpose.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define NOT_YET(interface, method, ...)                                                        \
    static HRESULT WINAPI file_system_image_##method(IFileSystemImage3 *iface, __VA_ARGS__)    \
    {                                                                                          \
        return com_not_implemented(&IID_##interface, L"" #interface "::" #method);             \
    }
#define NOT_YET_NO_ARGS(interface, method)                                                     \
    static HRESULT WINAPI file_system_image_##method(IFileSystemImage3 *iface)                 \
    {                                                                                          \
        return com_not_implemented(&IID_##interface, L"" #interface "::" #method);             \
    }

NOT_YET(IFileSystemImage, get_Root, IFsiDirectoryItem **out)
NOT_YET(IFileSystemImage, get_SessionStartBlock, LONG *out)
NOT_YET(IFileSystemImage, put_SessionStartBlock, LONG value)
NOT_YET(IFileSystemImage, get_FreeMediaBlocks, LONG *out)
NOT_YET(IFileSystemImage, put_FreeMediaBlocks, LONG value)
NOT_YET(IFileSystemImage, SetMaxMediaBlocksFromDevice, IDiscRecorder2 *recorder)
NOT_YET(IFileSystemImage, get_UsedBlocks, LONG *out)
NOT_YET(IFileSystemImage, get_ImportedVolumeName, BSTR *out)
NOT_YET(IFileSystemImage, get_BootImageOptions, IBootOptions **out)
NOT_YET(IFileSystemImage, put_BootImageOptions, IBootOptions *value)
NOT_YET(IFileSystemImage, get_FileCount, LONG *out)
NOT_YET(IFileSystemImage, get_DirectoryCount, LONG *out)
NOT_YET(IFileSystemImage, get_WorkingDirectory, BSTR *out)
NOT_YET(IFileSystemImage, put_WorkingDirectory, BSTR value)
NOT_YET(IFileSystemImage, get_ChangePoint, LONG *out)
NOT_YET(IFileSystemImage, get_StrictFileSystemCompliance, VARIANT_BOOL *out)
NOT_YET(IFileSystemImage, put_StrictFileSystemCompliance, VARIANT_BOOL value)
NOT_YET(IFileSystemImage, get_UseRestrictedCharacterSet, VARIANT_BOOL *out)
NOT_YET(IFileSystemImage, put_UseRestrictedCharacterSet, VARIANT_BOOL value)
NOT_YET(IFileSystemImage, get_FileSystemsToCreate, FsiFileSystems *out)
NOT_YET(IFileSystemImage, put_FileSystemsToCreate, FsiFileSystems value)
NOT_YET(IFileSystemImage, put_UDFRevision, LONG value)
NOT_YET(IFileSystemImage, get_UDFRevision, LONG *out)
NOT_YET(IFileSystemImage, get_UDFRevisionsSupported, SAFEARRAY **out)
NOT_YET(IFileSystemImage, ChooseImageDefaults, IDiscRecorder2 *recorder)
NOT_YET(IFileSystemImage, ChooseImageDefaultsForMediaType, IMAPI_MEDIA_PHYSICAL_TYPE type)
NOT_YET(IFileSystemImage, put_ISO9660InterchangeLevel, LONG value)
NOT_YET(IFileSystemImage, get_ISO9660InterchangeLevel, LONG *out)
NOT_YET(IFileSystemImage, get_ISO9660InterchangeLevelsSupported, SAFEARRAY **out)
NOT_YET(IFileSystemImage, Exists, BSTR path, FsiItemType *type)
NOT_YET(IFileSystemImage, CalculateDiscIdentifier, BSTR *out)
NOT_YET(IFileSystemImage, IdentifyFileSystemsOnDisc, IDiscRecorder2 *recorder,
        FsiFileSystems *out)
NOT_YET(IFileSystemImage, GetDefaultFileSystemForImport, FsiFileSystems systems,
        FsiFileSystems *out)
NOT_YET(IFileSystemImage, ImportFileSystem, FsiFileSystems *out)
NOT_YET(IFileSystemImage, ImportSpecificFileSystem, FsiFileSystems system)
NOT_YET(IFileSystemImage, RollbackToChangePoint, LONG change_point)
NOT_YET_NO_ARGS(IFileSystemImage, LockInChangePoint)
NOT_YET(IFileSystemImage, CreateDirectoryItem, BSTR name, IFsiDirectoryItem **out)
NOT_YET(IFileSystemImage, CreateFileItem, BSTR name, IFsiFileItem **out)
NOT_YET(IFileSystemImage, get_VolumeNameUDF, BSTR *out)
NOT_YET(IFileSystemImage, get_VolumeNameJoliet, BSTR *out)
NOT_YET(IFileSystemImage, get_VolumeNameISO9660, BSTR *out)
NOT_YET(IFileSystemImage, get_StageFiles, VARIANT_BOOL *out)
NOT_YET(IFileSystemImage, put_StageFiles, VARIANT_BOOL value)
NOT_YET(IFileSystemImage, get_MultisessionInterfaces, SAFEARRAY **out)
NOT_YET(IFileSystemImage, put_MultisessionInterfaces, SAFEARRAY *value)
NOT_YET(IFileSystemImage2, get_BootImageOptionsArray, SAFEARRAY **out)
NOT_YET(IFileSystemImage2, put_BootImageOptionsArray, SAFEARRAY *value)
NOT_YET(IFileSystemImage3, get_CreateRedundantUdfMetadataFiles, VARIANT_BOOL *out)
NOT_YET(IFileSystemImage3, put_CreateRedundantUdfMetadataFiles, VARIANT_BOOL value)
NOT_YET(IFileSystemImage3, ProbeSpecificFileSystem, FsiFileSystems system,
        VARIANT_BOOL *appendable)

#undef NOT_YET
#undef NOT_YET_NO_ARGS
#pragma GCC diagnostic pop

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
    image->ref = 1;
    InitializeCriticalSection(&image->lock);
    module_lock();
    hr = IFileSystemImage3_QueryInterface(&image->IFileSystemImage3_iface, riid, out);
    IFileSystemImage3_Release(&image->IFileSystemImage3_iface);
    return hr;
}
