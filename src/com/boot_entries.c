/*
 * BootImageOptions / BootImageOptionsArray as El Torito entries for the engine (boot_entries.h).
 * It reads each IBootOptions through its interface (any implementation will do), checks what the
 * engine would refuse so the caller gets Microsoft's code and a sentence, and makes a stream
 * source of the boot image. It lays nothing out.
 */
#include "module.h"
#include "boot_entries.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "stream_source.h"
#include "openfsi/boot_image.h"

void boot_entries_discard(struct boot_entries *set)
{
    size_t i;
    for (i = 0; i < set->count; i++)
        stream_source_discard(&set->entries[i].source);
    set->count = 0;
}

static HRESULT add_entry(IBootOptions *options, REFIID iid, struct boot_entries *set)
{
    struct fsi_boot_entry *entry = &set->entries[set->count];
    char *manufacturer = set->manufacturers[set->count];
    FILETIME created, accessed, modified;
    IStream *stream = NULL;
    BSTR name = NULL;
    PlatformId platform;
    EmulationType emulation;
    uint64_t size = 0;
    UINT i, length;
    HRESULT hr;

    if (set->count >= FSI_BOOT_ENTRY_MAX)
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, iid,
                         L"BootImageOptionsArray holds more than 32 boot images, more than one "
                         L"boot catalog sector describes.");
    memset(entry, 0, sizeof(*entry));
    hr = IBootOptions_get_PlatformId(options, &platform);
    if (SUCCEEDED(hr))
        hr = IBootOptions_get_Emulation(options, &emulation);
    if (SUCCEEDED(hr))
        hr = IBootOptions_get_Manufacturer(options, &name);
    if (SUCCEEDED(hr))
        hr = IBootOptions_get_BootImage(options, &stream);
    if (FAILED(hr)) {
        SysFreeString(name);
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, iid,
                         L"A boot options object did not answer PlatformId, Emulation, "
                         L"Manufacturer or BootImage.");
    }
    length = SysStringLen(name);
    memset(manufacturer, 0, FSI_BOOT_MANUFACTURER_MAX + 1);
    for (i = 0; i < length && i < FSI_BOOT_MANUFACTURER_MAX; i++) {
        if (name[i] < 0x20 || name[i] > 0x7E)
            break;
        manufacturer[i] = (char)name[i];
    }
    SysFreeString(name);
    if (i < length) {
        if (stream)
            IStream_Release(stream);
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, iid,
                         L"The boot image's Manufacturer must be at most 24 printable ASCII "
                         L"characters (the El Torito validation entry's ID string).");
    }
    if (!stream)
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, iid,
                         L"A boot options object has no boot image: call AssignBootImage first.");
    if (!fsi_boot_platform_is_known((int)platform) || !fsi_boot_emulation_is_known((int)emulation)) {
        IStream_Release(stream);
        return com_error(E_INVALIDARG, iid,
                         L"The boot image's PlatformId or Emulation is not one IMAPI defines.");
    }
    hr = stream_source_create(stream, iid, &entry->source, &size, &created, &accessed, &modified);
    IStream_Release(stream);
    if (FAILED(hr))
        return hr;
    if (!size || size > 0xFFFFF800u) {
        stream_source_discard(&entry->source);
        return com_error(IMAPI_E_BOOT_IMAGE_DATA, iid,
                         L"The boot image stream is empty or 4 GiB or larger.");
    }
    if (!fsi_boot_emulation_fits((enum fsi_boot_emulation)emulation, size)) {
        stream_source_discard(&entry->source);
        return com_error(IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH, iid,
                         L"Floppy emulation needs a boot image of exactly 1.2 MB (1228800 "
                         L"bytes), 1.44 MB (1474560) or 2.88 MB (2949120).");
    }
    entry->platform = (enum fsi_boot_platform)platform;
    entry->emulation = (enum fsi_boot_emulation)emulation;
    entry->manufacturer = manufacturer;
    entry->size = size;
    set->count++;
    return S_OK;
}

/* The IBootOptions of one array element, or NULL with a failure. */
static HRESULT element_options(SAFEARRAY *array, VARTYPE type, LONG index, REFIID iid,
                               IBootOptions **out)
{
    IUnknown *unknown = NULL;
    VARIANT v;
    HRESULT hr;

    *out = NULL;
    if (type == VT_VARIANT) {
        VariantInit(&v);
        hr = SafeArrayGetElement(array, &index, &v);
        if (SUCCEEDED(hr)) {
            if ((V_VT(&v) == VT_DISPATCH || V_VT(&v) == VT_UNKNOWN) && V_UNKNOWN(&v))
                hr = IUnknown_QueryInterface(V_UNKNOWN(&v), &IID_IBootOptions, (void **)out);
            else if ((V_VT(&v) == (VT_DISPATCH | VT_BYREF) || V_VT(&v) == (VT_UNKNOWN | VT_BYREF)) &&
                     V_UNKNOWNREF(&v) && *V_UNKNOWNREF(&v))
                hr = IUnknown_QueryInterface(*V_UNKNOWNREF(&v), &IID_IBootOptions, (void **)out);
            else
                hr = E_NOINTERFACE;
            VariantClear(&v);
        }
    } else {
        hr = SafeArrayGetElement(array, &index, &unknown);
        if (SUCCEEDED(hr)) {
            hr = unknown ? IUnknown_QueryInterface(unknown, &IID_IBootOptions, (void **)out)
                         : E_NOINTERFACE;
            if (unknown)
                IUnknown_Release(unknown);
        }
    }
    if (FAILED(hr))
        return com_error(E_INVALIDARG, iid,
                         L"BootImageOptionsArray must hold only BootOptions objects.");
    return S_OK;
}

HRESULT boot_entries_collect(IBootOptions *single, SAFEARRAY *array, REFIID iid,
                             struct boot_entries *set)
{
    LONG lower = 0, upper = -1, i;
    VARTYPE type = VT_EMPTY;
    HRESULT hr = S_OK;

    set->count = 0;
    if (array) {
        if (SafeArrayGetDim(array) != 1 || FAILED(SafeArrayGetVartype(array, &type)) ||
            (type != VT_VARIANT && type != VT_DISPATCH && type != VT_UNKNOWN) ||
            FAILED(SafeArrayGetLBound(array, 1, &lower)) ||
            FAILED(SafeArrayGetUBound(array, 1, &upper)))
            return com_error(E_INVALIDARG, iid,
                             L"BootImageOptionsArray must be a one-dimensional array of "
                             L"BootOptions objects.");
    }
    if (array) {
        for (i = lower; i <= upper && SUCCEEDED(hr); i++) {
            IBootOptions *options;
            hr = element_options(array, type, i, iid, &options);
            if (SUCCEEDED(hr)) {
                hr = add_entry(options, iid, set);
                IBootOptions_Release(options);
            }
        }
    } else if (single) {
        hr = add_entry(single, iid, set);
    }
    if (FAILED(hr))
        boot_entries_discard(set);
    return hr;
}
