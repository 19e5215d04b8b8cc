/*
 * MsftIsoImageManager (IIsoImageManager): names an existing ISO image, by path or by stream, so
 * that it can be validated before it is burned. Validate reads the image through the engine's
 * readers (fsi_disc_validate), a clone of the stream serving as the disc, so the caller's stream
 * position is left alone.
 */
#include "module.h"

#include <shlwapi.h>
#include "dispatch.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "openfsi/import.h"

struct iso_image_manager {
    IIsoImageManager IIsoImageManager_iface;
    struct error_support errors;
    LONG ref;
    CRITICAL_SECTION lock;
    BSTR path;          /* NULL when the image was given as a stream */
    IStream *stream;
};

static const IID *const iso_image_manager_error_iids[] = { &IID_IIsoImageManager, NULL };

static inline struct iso_image_manager *impl_from_IIsoImageManager(IIsoImageManager *iface)
{
    return CONTAINING_RECORD(iface, struct iso_image_manager, IIsoImageManager_iface);
}

static HRESULT WINAPI iso_image_manager_QueryInterface(IIsoImageManager *iface, REFIID riid,
                                                       void **out)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IIsoImageManager))
        *out = &manager->IIsoImageManager_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &manager->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI iso_image_manager_AddRef(IIsoImageManager *iface)
{
    return InterlockedIncrement(&impl_from_IIsoImageManager(iface)->ref);
}

static void forget_image(struct iso_image_manager *manager)
{
    SysFreeString(manager->path);
    manager->path = NULL;
    if (manager->stream)
        IStream_Release(manager->stream);
    manager->stream = NULL;
}

static ULONG WINAPI iso_image_manager_Release(IIsoImageManager *iface)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);
    ULONG ref = InterlockedDecrement(&manager->ref);

    if (!ref) {
        forget_image(manager);
        DeleteCriticalSection(&manager->lock);
        HeapFree(GetProcessHeap(), 0, manager);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(iso_image_manager, IIsoImageManager, TID_IIsoImageManager)

static HRESULT WINAPI iso_image_manager_get_Path(IIsoImageManager *iface, BSTR *out)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IIsoImageManager, NULL);
    EnterCriticalSection(&manager->lock);
    *out = SysAllocString(manager->path ? manager->path : L"");
    LeaveCriticalSection(&manager->lock);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, &IID_IIsoImageManager, NULL);
}

static HRESULT WINAPI iso_image_manager_get_Stream(IIsoImageManager *iface, IStream **out)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IIsoImageManager, NULL);
    EnterCriticalSection(&manager->lock);
    *out = manager->stream;
    if (*out)
        IStream_AddRef(*out);
    LeaveCriticalSection(&manager->lock);
    return S_OK;
}

static HRESULT WINAPI iso_image_manager_SetPath(IIsoImageManager *iface, BSTR path)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);
    IStream *stream;
    BSTR copy;
    HRESULT hr;

    if (!path || !*path)
        return com_error(E_INVALIDARG, &IID_IIsoImageManager, L"The image path is empty.");
    hr = SHCreateStreamOnFileEx(path, STGM_READ | STGM_SHARE_DENY_WRITE, FILE_ATTRIBUTE_NORMAL,
                                FALSE, NULL, &stream);
    if (FAILED(hr))
        return com_error(hr, &IID_IIsoImageManager, L"The image file cannot be opened for reading.");
    copy = SysAllocString(path);
    if (!copy) {
        IStream_Release(stream);
        return com_error(E_OUTOFMEMORY, &IID_IIsoImageManager, NULL);
    }
    EnterCriticalSection(&manager->lock);
    forget_image(manager);
    manager->path = copy;
    manager->stream = stream;
    LeaveCriticalSection(&manager->lock);
    return S_OK;
}

static HRESULT WINAPI iso_image_manager_SetStream(IIsoImageManager *iface, IStream *stream)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);

    if (!stream)
        return com_error(E_POINTER, &IID_IIsoImageManager, NULL);
    IStream_AddRef(stream);
    EnterCriticalSection(&manager->lock);
    forget_image(manager);
    manager->stream = stream;
    LeaveCriticalSection(&manager->lock);
    return S_OK;
}

/* The image's sectors, read through its stream. */
static enum fsi_status stream_disc_read(void *context, uint32_t first, uint32_t count,
                                        void *buffer)
{
    IStream *stream = context;
    LARGE_INTEGER at;
    ULONG want = count * 2048u, got = 0;

    at.QuadPart = (LONGLONG)first * 2048;
    if (FAILED(IStream_Seek(stream, at, STREAM_SEEK_SET, NULL)) ||
        FAILED(IStream_Read(stream, buffer, want, &got)) || got != want)
        return FSI_E_DISC_READ;
    return FSI_OK;
}

static HRESULT WINAPI iso_image_manager_Validate(IIsoImageManager *iface)
{
    struct iso_image_manager *manager = impl_from_IIsoImageManager(iface);
    struct fsi_import_info info;
    struct fsi_disc disc;
    IStream *stream = NULL;
    enum fsi_status status;
    ULARGE_INTEGER size;
    LARGE_INTEGER zero;
    STATSTG stat;
    HRESULT hr;

    EnterCriticalSection(&manager->lock);
    if (manager->stream && FAILED(IStream_Clone(manager->stream, &stream))) {
        stream = manager->stream;       /* no clone: read it and put its position back */
        IStream_AddRef(stream);
    }
    LeaveCriticalSection(&manager->lock);
    if (!stream)
        return com_error(IMAPI_E_IMAGEMANAGER_NO_IMAGE, &IID_IIsoImageManager,
                         L"No image to validate: call SetPath or SetStream first.");
    zero.QuadPart = 0;
    if (FAILED(IStream_Seek(stream, zero, STREAM_SEEK_CUR, &size)))
        size.QuadPart = 0;
    hr = IStream_Stat(stream, &stat, STATFLAG_NONAME);
    if (FAILED(hr)) {
        IStream_Release(stream);
        return com_error(IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND, &IID_IIsoImageManager,
                         L"The image's size cannot be read from its stream.");
    }
    if (stat.cbSize.QuadPart % 2048) {
        IStream_Release(stream);
        return com_error(IMAPI_E_IMAGEMANAGER_IMAGE_NOT_ALIGNED, &IID_IIsoImageManager,
                         L"The image's size is not a multiple of 2048 bytes (whole sectors).");
    }
    if (stat.cbSize.QuadPart / 2048 > 0x7FFFFFFF) {
        IStream_Release(stream);
        return com_error(IMAPI_E_IMAGEMANAGER_IMAGE_TOO_BIG, &IID_IIsoImageManager,
                         L"The image has more than 2^31 - 1 sectors.");
    }
    disc.read = stream_disc_read;
    disc.context = stream;
    disc.sector_count = (uint32_t)(stat.cbSize.QuadPart / 2048);
    status = fsi_disc_validate(&disc, &info);
    {
        LARGE_INTEGER back;
        back.QuadPart = (LONGLONG)size.QuadPart;
        IStream_Seek(stream, back, STREAM_SEEK_SET, NULL);
    }
    IStream_Release(stream);
    if (status == FSI_OK)
        return S_OK;
    if (status == FSI_E_OUT_OF_MEMORY)
        return com_error(E_OUTOFMEMORY, &IID_IIsoImageManager, L"Out of memory.");
    {
        static const WCHAR lead[] = L"The image holds no valid file system: ";
        WCHAR message[ARRAY_SIZE(lead) + 300];
        memcpy(message, lead, sizeof(lead));
        if (!MultiByteToWideChar(CP_UTF8, 0,
                                 info.error[0] ? info.error : fsi_status_message(status), -1,
                                 message + ARRAY_SIZE(lead) - 1, 300))
            message[ARRAY_SIZE(lead) - 1] = 0;
        message[ARRAY_SIZE(message) - 1] = 0;
        return com_error(IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND, &IID_IIsoImageManager, message);
    }
}

static const IIsoImageManagerVtbl iso_image_manager_vtbl = {
    iso_image_manager_QueryInterface,
    iso_image_manager_AddRef,
    iso_image_manager_Release,
    iso_image_manager_GetTypeInfoCount,
    iso_image_manager_GetTypeInfo,
    iso_image_manager_GetIDsOfNames,
    iso_image_manager_Invoke,
    iso_image_manager_get_Path,
    iso_image_manager_get_Stream,
    iso_image_manager_SetPath,
    iso_image_manager_SetStream,
    iso_image_manager_Validate,
};

HRESULT iso_image_manager_create(REFIID riid, void **out)
{
    struct iso_image_manager *manager;
    HRESULT hr;

    manager = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*manager));
    if (!manager)
        return E_OUTOFMEMORY;
    manager->IIsoImageManager_iface.lpVtbl = &iso_image_manager_vtbl;
    error_support_init(&manager->errors, (IUnknown *)&manager->IIsoImageManager_iface,
                       iso_image_manager_error_iids);
    manager->ref = 1;
    InitializeCriticalSection(&manager->lock);
    module_lock();
    hr = IIsoImageManager_QueryInterface(&manager->IIsoImageManager_iface, riid, out);
    IIsoImageManager_Release(&manager->IIsoImageManager_iface);
    return hr;
}
