/*
 * BootOptions (IBootOptions): the description of one El Torito boot image — its data stream,
 * manufacturer id, platform and emulation. It only holds and checks these values; the El Torito
 * writer reads them when an image is created.
 */
#include "module.h"
#include "dispatch.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "openfsi/boot_image.h"

struct boot_options {
    IBootOptions IBootOptions_iface;
    struct error_support errors;
    LONG ref;
    CRITICAL_SECTION lock;      /* ThreadingModel Both: callers may share the object */
    IStream *image;
    ULONG image_size;
    BSTR manufacturer;
    PlatformId platform;
    EmulationType emulation;
};

static const IID *const boot_options_error_iids[] = { &IID_IBootOptions, NULL };

static inline struct boot_options *impl_from_IBootOptions(IBootOptions *iface)
{
    return CONTAINING_RECORD(iface, struct boot_options, IBootOptions_iface);
}

static HRESULT WINAPI boot_options_QueryInterface(IBootOptions *iface, REFIID riid, void **out)
{
    struct boot_options *options = impl_from_IBootOptions(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IBootOptions))
        *out = &options->IBootOptions_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &options->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI boot_options_AddRef(IBootOptions *iface)
{
    return InterlockedIncrement(&impl_from_IBootOptions(iface)->ref);
}

static ULONG WINAPI boot_options_Release(IBootOptions *iface)
{
    struct boot_options *options = impl_from_IBootOptions(iface);
    ULONG ref = InterlockedDecrement(&options->ref);

    if (!ref) {
        if (options->image)
            IStream_Release(options->image);
        SysFreeString(options->manufacturer);
        DeleteCriticalSection(&options->lock);
        HeapFree(GetProcessHeap(), 0, options);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(boot_options, IBootOptions, TID_IBootOptions)

static HRESULT WINAPI boot_options_get_BootImage(IBootOptions *iface, IStream **out)
{
    struct boot_options *options = impl_from_IBootOptions(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IBootOptions, NULL);
    EnterCriticalSection(&options->lock);
    *out = options->image;
    if (*out)
        IStream_AddRef(*out);
    LeaveCriticalSection(&options->lock);
    return S_OK;
}

static HRESULT WINAPI boot_options_get_Manufacturer(IBootOptions *iface, BSTR *out)
{
    struct boot_options *options = impl_from_IBootOptions(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IBootOptions, NULL);
    EnterCriticalSection(&options->lock);
    *out = SysAllocString(options->manufacturer ? options->manufacturer : L"");
    LeaveCriticalSection(&options->lock);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, &IID_IBootOptions, NULL);
}

static HRESULT WINAPI boot_options_put_Manufacturer(IBootOptions *iface, BSTR value)
{
    struct boot_options *options = impl_from_IBootOptions(iface);
    BSTR copy;

    if (SysStringLen(value) > FSI_BOOT_MANUFACTURER_MAX)
        return com_error(E_INVALIDARG, &IID_IBootOptions,
                         L"The manufacturer id holds at most 24 characters (the ID string of the "
                         L"El Torito validation entry).");
    copy = SysAllocStringLen(value, SysStringLen(value));
    if (!copy)
        return com_error(E_OUTOFMEMORY, &IID_IBootOptions, NULL);
    EnterCriticalSection(&options->lock);
    SysFreeString(options->manufacturer);
    options->manufacturer = copy;
    LeaveCriticalSection(&options->lock);
    return S_OK;
}

static HRESULT WINAPI boot_options_get_PlatformId(IBootOptions *iface, PlatformId *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IBootOptions, NULL);
    *out = impl_from_IBootOptions(iface)->platform;
    return S_OK;
}

static HRESULT WINAPI boot_options_put_PlatformId(IBootOptions *iface, PlatformId value)
{
    if (!fsi_boot_platform_is_known(value))
        return com_error(E_INVALIDARG, &IID_IBootOptions,
                         L"The platform id is not one of PlatformX86, PlatformPowerPC, "
                         L"PlatformMac or PlatformEFI.");
    impl_from_IBootOptions(iface)->platform = value;
    return S_OK;
}

static HRESULT WINAPI boot_options_get_Emulation(IBootOptions *iface, EmulationType *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IBootOptions, NULL);
    *out = impl_from_IBootOptions(iface)->emulation;
    return S_OK;
}

static HRESULT WINAPI boot_options_put_Emulation(IBootOptions *iface, EmulationType value)
{
    struct boot_options *options = impl_from_IBootOptions(iface);
    HRESULT hr = S_OK;

    if (!fsi_boot_emulation_is_known(value))
        return com_error(E_INVALIDARG, &IID_IBootOptions,
                         L"The emulation type is not a value of EmulationType.");
    EnterCriticalSection(&options->lock);
    if (options->image &&
        !fsi_boot_emulation_fits((enum fsi_boot_emulation)value, options->image_size))
        hr = IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH;
    else
        options->emulation = value;
    LeaveCriticalSection(&options->lock);
    return FAILED(hr) ? com_error(hr, &IID_IBootOptions, NULL) : S_OK;
}

static HRESULT WINAPI boot_options_get_ImageSize(IBootOptions *iface, ULONG *out)
{
    struct boot_options *options = impl_from_IBootOptions(iface);

    if (!out)
        return com_error(E_POINTER, &IID_IBootOptions, NULL);
    EnterCriticalSection(&options->lock);
    *out = options->image_size;
    LeaveCriticalSection(&options->lock);
    return S_OK;
}

static HRESULT WINAPI boot_options_AssignBootImage(IBootOptions *iface, IStream *image)
{
    struct boot_options *options = impl_from_IBootOptions(iface);
    STATSTG stat;
    HRESULT hr;

    if (!image)
        return com_error(E_POINTER, &IID_IBootOptions, NULL);
    hr = IStream_Stat(image, &stat, STATFLAG_NONAME);
    if (FAILED(hr))
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, &IID_IBootOptions,
                         L"The boot image stream could not tell its size (IStream::Stat failed).");
    if (stat.cbSize.QuadPart == 0 || stat.cbSize.QuadPart > 0xFFFFFFFFu)
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, &IID_IBootOptions,
                         L"The boot image must hold between 1 byte and 4 GiB - 1 bytes.");

    IStream_AddRef(image);
    EnterCriticalSection(&options->lock);
    if (options->image)
        IStream_Release(options->image);
    options->image = image;
    options->image_size = (ULONG)stat.cbSize.QuadPart;
    options->emulation = (EmulationType)fsi_boot_emulation_for_size(
        stat.cbSize.QuadPart, (enum fsi_boot_emulation)options->emulation);
    LeaveCriticalSection(&options->lock);
    return S_OK;
}

static const IBootOptionsVtbl boot_options_vtbl = {
    boot_options_QueryInterface,
    boot_options_AddRef,
    boot_options_Release,
    boot_options_GetTypeInfoCount,
    boot_options_GetTypeInfo,
    boot_options_GetIDsOfNames,
    boot_options_Invoke,
    boot_options_get_BootImage,
    boot_options_get_Manufacturer,
    boot_options_put_Manufacturer,
    boot_options_get_PlatformId,
    boot_options_put_PlatformId,
    boot_options_get_Emulation,
    boot_options_put_Emulation,
    boot_options_get_ImageSize,
    boot_options_AssignBootImage,
};

HRESULT boot_options_create(REFIID riid, void **out)
{
    struct boot_options *options;
    HRESULT hr;

    options = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*options));
    if (!options)
        return E_OUTOFMEMORY;
    options->IBootOptions_iface.lpVtbl = &boot_options_vtbl;
    error_support_init(&options->errors, (IUnknown *)&options->IBootOptions_iface,
                       boot_options_error_iids);
    options->ref = 1;
    InitializeCriticalSection(&options->lock);
    options->platform = PlatformX86;
    options->emulation = EmulationNone;
    module_lock();
    hr = IBootOptions_QueryInterface(&options->IBootOptions_iface, riid, out);
    IBootOptions_Release(&options->IBootOptions_iface);
    return hr;
}
