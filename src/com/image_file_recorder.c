/*
 * The recorder of OpenFsi.ImageFileMedia (an openfsi extension): IDiscRecorder2 and
 * IDiscRecorder2Ex over an image file, so that IFileSystemImage::ImportFileSystem and
 * IdentifyFileSystemsOnDisc read a previous session from the file as they read it from a drive.
 * SendCommandGetDataFromDevice answers the commands those need, parsed exactly as MMC defines
 * them: READ(10), READ(12), READ CAPACITY(10) and READ TOC/PMA/ATIP format 1; a read beyond the
 * written sectors or any other command comes back with fixed-format sense data
 * (S_IMAPI_COMMAND_HAS_SENSE_DATA), as a drive answers. Its profile is DVD+R (write-once media)
 * or DVD+RW (rewritable).
 *
 * It never writes (OpenFsi.ImageFileMedia::Write does), and it is no drive: tray, media change
 * notification, mode pages, feature pages and the other raw commands are E_NOTIMPL.
 */
#include <stdio.h>

#include "image_file_state.h"
#include "dispatch.h"
#include "error_info.h"
#include "imapi2error.h"

/* SCSI sense keys and additional sense codes (SPC-4 4.5.6, MMC-6 annex F). */
#define SENSE_NOT_READY 0x02
#define SENSE_ILLEGAL_REQUEST 0x05
#define ASC_INVALID_OPCODE 0x20
#define ASC_LBA_OUT_OF_RANGE 0x21
#define ASC_INVALID_FIELD_IN_CDB 0x24
#define ASC_MEDIUM_NOT_PRESENT 0x3A

#define OP_READ_CAPACITY 0x25
#define OP_READ_10 0x28
#define OP_READ_TOC 0x43
#define OP_READ_12 0xA8

struct image_file_recorder {
    IDiscRecorder2 IDiscRecorder2_iface;
    IDiscRecorder2Ex IDiscRecorder2Ex_iface;
    struct error_support errors;
    LONG ref;
    struct image_file *file;
};

static const IID *const recorder_error_iids[] = { &IID_IDiscRecorder2, &IID_IDiscRecorder2Ex,
                                                  NULL };

static inline struct image_file_recorder *impl_from_IDiscRecorder2(IDiscRecorder2 *iface)
{
    return CONTAINING_RECORD(iface, struct image_file_recorder, IDiscRecorder2_iface);
}

static inline struct image_file_recorder *impl_from_IDiscRecorder2Ex(IDiscRecorder2Ex *iface)
{
    return CONTAINING_RECORD(iface, struct image_file_recorder, IDiscRecorder2Ex_iface);
}

static HRESULT WINAPI recorder_QueryInterface(IDiscRecorder2 *iface, REFIID riid, void **out)
{
    struct image_file_recorder *recorder = impl_from_IDiscRecorder2(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IDiscRecorder2))
        *out = &recorder->IDiscRecorder2_iface;
    else if (IsEqualIID(riid, &IID_IDiscRecorder2Ex))
        *out = &recorder->IDiscRecorder2Ex_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &recorder->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI recorder_AddRef(IDiscRecorder2 *iface)
{
    return InterlockedIncrement(&impl_from_IDiscRecorder2(iface)->ref);
}

static ULONG WINAPI recorder_Release(IDiscRecorder2 *iface)
{
    struct image_file_recorder *recorder = impl_from_IDiscRecorder2(iface);
    ULONG ref = InterlockedDecrement(&recorder->ref);

    if (!ref) {
        image_file_release(recorder->file);
        HeapFree(GetProcessHeap(), 0, recorder);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(recorder, IDiscRecorder2, TID_IDiscRecorder2)

static HRESULT not_a_drive(const WCHAR *method)
{
    WCHAR message[256];

    _snwprintf(message, ARRAY_SIZE(message),
               L"%ls: image file media is not a drive; it only answers reads (READ(10), "
               L"READ(12), READ CAPACITY, READ TOC format 1) and its profiles.", method);
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(E_NOTIMPL, &IID_IDiscRecorder2, message);
}

static HRESULT WINAPI recorder_EjectMedia(IDiscRecorder2 *iface)
{
    (void)iface;
    return not_a_drive(L"IDiscRecorder2::EjectMedia");
}

static HRESULT WINAPI recorder_CloseTray(IDiscRecorder2 *iface)
{
    (void)iface;
    return not_a_drive(L"IDiscRecorder2::CloseTray");
}

static HRESULT WINAPI recorder_AcquireExclusiveAccess(IDiscRecorder2 *iface, VARIANT_BOOL force,
                                                      BSTR client)
{
    struct image_file_recorder *recorder = impl_from_IDiscRecorder2(iface);
    struct image_file *file = recorder->file;
    HRESULT hr = S_OK;

    (void)force;
    if (!client || !*client)
        return com_error(E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID, &IID_IDiscRecorder2,
                         L"AcquireExclusiveAccess needs the client's name.");
    /* Nested calls count; the media object's own writes take the file's lock instead. */
    EnterCriticalSection(&file->lock);
    if (!file->exclusive) {
        SysFreeString(file->exclusive_owner);
        file->exclusive_owner = SysAllocString(client);
        if (!file->exclusive_owner)
            hr = E_OUTOFMEMORY;
    }
    if (SUCCEEDED(hr))
        file->exclusive++;
    LeaveCriticalSection(&file->lock);
    return FAILED(hr) ? com_error(hr, &IID_IDiscRecorder2, NULL) : S_OK;
}

static HRESULT WINAPI recorder_ReleaseExclusiveAccess(IDiscRecorder2 *iface)
{
    struct image_file *file = impl_from_IDiscRecorder2(iface)->file;
    HRESULT hr = S_OK;

    EnterCriticalSection(&file->lock);
    if (!file->exclusive)
        hr = E_FAIL;
    else if (!--file->exclusive) {
        SysFreeString(file->exclusive_owner);
        file->exclusive_owner = NULL;
    }
    LeaveCriticalSection(&file->lock);
    return FAILED(hr) ? com_error(hr, &IID_IDiscRecorder2,
                                  L"ReleaseExclusiveAccess without AcquireExclusiveAccess.")
                      : S_OK;
}

static HRESULT WINAPI recorder_DisableMcn(IDiscRecorder2 *iface)
{
    (void)iface;
    return not_a_drive(L"IDiscRecorder2::DisableMcn");
}

static HRESULT WINAPI recorder_EnableMcn(IDiscRecorder2 *iface)
{
    (void)iface;
    return not_a_drive(L"IDiscRecorder2::EnableMcn");
}

static HRESULT WINAPI recorder_InitializeDiscRecorder(IDiscRecorder2 *iface, BSTR id)
{
    (void)iface; (void)id;
    return not_a_drive(L"IDiscRecorder2::InitializeDiscRecorder (the recorder is bound to its "
                       L"image file)");
}

static HRESULT string_out(BSTR *out, const WCHAR *text)
{
    if (!out)
        return com_error(E_POINTER, &IID_IDiscRecorder2, NULL);
    *out = SysAllocString(text);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, &IID_IDiscRecorder2, NULL);
}

static HRESULT WINAPI recorder_get_ActiveDiscRecorder(IDiscRecorder2 *iface, BSTR *out)
{
    struct image_file_recorder *recorder = impl_from_IDiscRecorder2(iface);
    WCHAR *id;
    size_t length;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IDiscRecorder2, NULL);
    length = lstrlenW(recorder->file->path) + 32;
    id = HeapAlloc(GetProcessHeap(), 0, length * sizeof(WCHAR));
    if (!id)
        return com_error(E_OUTOFMEMORY, &IID_IDiscRecorder2, NULL);
    _snwprintf(id, length, L"OpenFsi.ImageFileMedia:%ls", recorder->file->path);
    id[length - 1] = 0;
    hr = string_out(out, id);
    HeapFree(GetProcessHeap(), 0, id);
    return hr;
}

static HRESULT WINAPI recorder_get_VendorId(IDiscRecorder2 *iface, BSTR *out)
{
    (void)iface;
    return string_out(out, L"OpenFsi");
}

static HRESULT WINAPI recorder_get_ProductId(IDiscRecorder2 *iface, BSTR *out)
{
    (void)iface;
    return string_out(out, L"Image file media");
}

static HRESULT WINAPI recorder_get_ProductRevision(IDiscRecorder2 *iface, BSTR *out)
{
    (void)iface;
    return string_out(out, L"1.0");
}

static HRESULT WINAPI recorder_get_VolumeName(IDiscRecorder2 *iface, BSTR *out)
{
    return string_out(out, impl_from_IDiscRecorder2(iface)->file->path);
}

/* A SAFEARRAY of `count` VARIANTs VT_I4 (may be 0). */
static HRESULT long_array(const LONG *values, ULONG count, SAFEARRAY **out)
{
    SAFEARRAY *array;
    VARIANT *elements;
    ULONG i;

    if (!out)
        return com_error(E_POINTER, &IID_IDiscRecorder2, NULL);
    *out = NULL;
    array = SafeArrayCreateVector(VT_VARIANT, 0, count);
    if (!array)
        return com_error(E_OUTOFMEMORY, &IID_IDiscRecorder2, NULL);
    if (count) {
        if (FAILED(SafeArrayAccessData(array, (void **)&elements))) {
            SafeArrayDestroy(array);
            return com_error(E_OUTOFMEMORY, &IID_IDiscRecorder2, NULL);
        }
        for (i = 0; i < count; i++) {
            V_VT(&elements[i]) = VT_I4;
            V_I4(&elements[i]) = values[i];
        }
        SafeArrayUnaccessData(array);
    }
    *out = array;
    return S_OK;
}

static HRESULT WINAPI recorder_get_VolumePathNames(IDiscRecorder2 *iface, SAFEARRAY **out)
{
    (void)iface;
    return long_array(NULL, 0, out);     /* no drive letter reaches a file as media */
}

static HRESULT WINAPI recorder_get_DeviceCanLoadMedia(IDiscRecorder2 *iface, VARIANT_BOOL *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IDiscRecorder2, NULL);
    *out = VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI recorder_get_LegacyDeviceNumber(IDiscRecorder2 *iface, LONG *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, &IID_IDiscRecorder2, NULL);
    *out = -1;                          /* no device */
    return S_OK;
}

static HRESULT WINAPI recorder_get_SupportedFeaturePages(IDiscRecorder2 *iface, SAFEARRAY **out)
{
    (void)iface;
    if (out)
        *out = NULL;
    return not_a_drive(L"IDiscRecorder2::SupportedFeaturePages");
}

static HRESULT WINAPI recorder_get_CurrentFeaturePages(IDiscRecorder2 *iface, SAFEARRAY **out)
{
    (void)iface;
    if (out)
        *out = NULL;
    return not_a_drive(L"IDiscRecorder2::CurrentFeaturePages");
}

static LONG profile_of(struct image_file_recorder *recorder)
{
    return recorder->file->rewritable ? IMAPI_PROFILE_TYPE_DVD_PLUS_RW
                                      : IMAPI_PROFILE_TYPE_DVD_PLUS_R;
}

static HRESULT WINAPI recorder_get_SupportedProfiles(IDiscRecorder2 *iface, SAFEARRAY **out)
{
    LONG profile = profile_of(impl_from_IDiscRecorder2(iface));
    return long_array(&profile, 1, out);
}

static HRESULT WINAPI recorder_get_CurrentProfiles(IDiscRecorder2 *iface, SAFEARRAY **out)
{
    LONG profile = profile_of(impl_from_IDiscRecorder2(iface));
    return long_array(&profile, 1, out);
}

static HRESULT WINAPI recorder_get_SupportedModePages(IDiscRecorder2 *iface, SAFEARRAY **out)
{
    (void)iface;
    if (out)
        *out = NULL;
    return not_a_drive(L"IDiscRecorder2::SupportedModePages");
}

static HRESULT WINAPI recorder_get_ExclusiveAccessOwner(IDiscRecorder2 *iface, BSTR *out)
{
    struct image_file *file = impl_from_IDiscRecorder2(iface)->file;
    HRESULT hr;

    EnterCriticalSection(&file->lock);
    hr = string_out(out, file->exclusive_owner ? file->exclusive_owner : L"");
    LeaveCriticalSection(&file->lock);
    return hr;
}

static const IDiscRecorder2Vtbl recorder_vtbl = {
    recorder_QueryInterface,
    recorder_AddRef,
    recorder_Release,
    recorder_GetTypeInfoCount,
    recorder_GetTypeInfo,
    recorder_GetIDsOfNames,
    recorder_Invoke,
    recorder_EjectMedia,
    recorder_CloseTray,
    recorder_AcquireExclusiveAccess,
    recorder_ReleaseExclusiveAccess,
    recorder_DisableMcn,
    recorder_EnableMcn,
    recorder_InitializeDiscRecorder,
    recorder_get_ActiveDiscRecorder,
    recorder_get_VendorId,
    recorder_get_ProductId,
    recorder_get_ProductRevision,
    recorder_get_VolumeName,
    recorder_get_VolumePathNames,
    recorder_get_DeviceCanLoadMedia,
    recorder_get_LegacyDeviceNumber,
    recorder_get_SupportedFeaturePages,
    recorder_get_CurrentFeaturePages,
    recorder_get_SupportedProfiles,
    recorder_get_CurrentProfiles,
    recorder_get_SupportedModePages,
    recorder_get_ExclusiveAccessOwner,
};

/* ---- IDiscRecorder2Ex ---- */

static HRESULT WINAPI recorder_ex_QueryInterface(IDiscRecorder2Ex *iface, REFIID riid, void **out)
{
    return recorder_QueryInterface(&impl_from_IDiscRecorder2Ex(iface)->IDiscRecorder2_iface, riid,
                                   out);
}

static ULONG WINAPI recorder_ex_AddRef(IDiscRecorder2Ex *iface)
{
    return recorder_AddRef(&impl_from_IDiscRecorder2Ex(iface)->IDiscRecorder2_iface);
}

static ULONG WINAPI recorder_ex_Release(IDiscRecorder2Ex *iface)
{
    return recorder_Release(&impl_from_IDiscRecorder2Ex(iface)->IDiscRecorder2_iface);
}

static HRESULT ex_not_a_drive(const WCHAR *method)
{
    WCHAR message[256];

    _snwprintf(message, ARRAY_SIZE(message),
               L"%ls: image file media is not a drive; SendCommandGetDataFromDevice answers "
               L"READ(10), READ(12), READ CAPACITY and READ TOC format 1.", method);
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(E_NOTIMPL, &IID_IDiscRecorder2Ex, message);
}

static HRESULT WINAPI recorder_ex_SendCommandNoData(IDiscRecorder2Ex *iface, BYTE *cdb,
                                                    ULONG cdb_size, BYTE sense[18],
                                                    ULONG timeout)
{
    (void)iface; (void)cdb; (void)cdb_size; (void)sense; (void)timeout;
    return ex_not_a_drive(L"IDiscRecorder2Ex::SendCommandNoData");
}

static HRESULT WINAPI recorder_ex_SendCommandSendDataToDevice(IDiscRecorder2Ex *iface, BYTE *cdb,
                                                              ULONG cdb_size, BYTE sense[18],
                                                              ULONG timeout, BYTE *buffer,
                                                              ULONG size)
{
    (void)iface; (void)cdb; (void)cdb_size; (void)sense; (void)timeout; (void)buffer; (void)size;
    return ex_not_a_drive(L"IDiscRecorder2Ex::SendCommandSendDataToDevice (writing goes through "
                          L"OpenFsi.ImageFileMedia::Write)");
}

static ULONG get_be32(const BYTE *p)
{
    return (ULONG)p[0] << 24 | (ULONG)p[1] << 16 | (ULONG)p[2] << 8 | p[3];
}

static void put_be32(BYTE *p, ULONG value)
{
    p[0] = (BYTE)(value >> 24);
    p[1] = (BYTE)(value >> 16);
    p[2] = (BYTE)(value >> 8);
    p[3] = (BYTE)value;
}

/* Fixed-format sense data (SPC-4 4.5.3), current error; `information` is valid when not ~0. */
static HRESULT sense_data(BYTE sense[18], BYTE key, BYTE asc, ULONG information)
{
    memset(sense, 0, 18);
    sense[0] = information != ~0u ? 0xF0 : 0x70;
    sense[2] = key;
    if (information != ~0u)
        put_be32(sense + 3, information);
    sense[7] = 10;                      /* additional sense length: bytes 8-17 */
    sense[12] = asc;
    sense[13] = 0;
    return S_IMAPI_COMMAND_HAS_SENSE_DATA;
}

static HRESULT read_blocks(struct image_file *file, const struct image_file_status *status,
                           ULONG lba, ULONG count, BYTE sense[18], BYTE *buffer, ULONG size,
                           ULONG *fetched)
{
    HRESULT hr;

    if (lba >= status->sectors || count > status->sectors - lba)
        return sense_data(sense, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE,
                          lba >= status->sectors ? lba : status->sectors);
    if (!count)
        return S_OK;
    if (count > size / IMAGE_FILE_SECTOR)
        return com_error(E_INVALIDARG, &IID_IDiscRecorder2Ex,
                         L"The buffer is smaller than the sectors the READ command asks for.");
    hr = image_file_read(file, lba, count, buffer);
    if (hr == E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return sense_data(sense, SENSE_NOT_READY, ASC_MEDIUM_NOT_PRESENT, ~0u);
    if (FAILED(hr))
        return com_error(hr, &IID_IDiscRecorder2Ex, L"The image file could not be read.");
    *fetched = count * IMAGE_FILE_SECTOR;
    return S_OK;
}

static HRESULT WINAPI recorder_ex_SendCommandGetDataFromDevice(IDiscRecorder2Ex *iface,
                                                               BYTE *cdb, ULONG cdb_size,
                                                               BYTE sense[18], ULONG timeout,
                                                               BYTE *buffer, ULONG size,
                                                               ULONG *fetched)
{
    struct image_file_recorder *recorder = impl_from_IDiscRecorder2Ex(iface);
    struct image_file_status status;
    BYTE data[12];
    ULONG length;

    (void)timeout;
    if (!cdb || !sense || !buffer || !fetched)
        return com_error(E_POINTER, &IID_IDiscRecorder2Ex, NULL);
    *fetched = 0;
    memset(sense, 0, 18);
    if (cdb_size < 6 || cdb_size > 16 || !size)
        return com_error(E_INVALIDARG, &IID_IDiscRecorder2Ex,
                         L"A command block is 6 to 16 bytes and the buffer not empty.");
    image_file_status(recorder->file, &status);
    if (!status.open)
        return sense_data(sense, SENSE_NOT_READY, ASC_MEDIUM_NOT_PRESENT, ~0u);
    switch (cdb[0]) {
    case OP_READ_10:    /* MMC-6 6.15: LBA in bytes 2-5, transfer length in 7-8 */
        if (cdb_size != 10)
            break;
        return read_blocks(recorder->file, &status, get_be32(cdb + 2),
                           (ULONG)cdb[7] << 8 | cdb[8], sense, buffer, size, fetched);
    case OP_READ_12:    /* MMC-6 6.16: LBA in bytes 2-5, transfer length in 6-9 */
        if (cdb_size != 12)
            break;
        return read_blocks(recorder->file, &status, get_be32(cdb + 2), get_be32(cdb + 6), sense,
                           buffer, size, fetched);
    case OP_READ_CAPACITY:  /* MMC-6 6.23: the last recorded block and the block length */
        if (cdb_size != 10)
            break;
        /* Blank media has no recorded block: the last one is -1, and so sectors = last + 1 = 0. */
        put_be32(data, status.sectors - 1);
        put_be32(data + 4, IMAGE_FILE_SECTOR);
        length = size < 8 ? size : 8;
        memcpy(buffer, data, length);
        *fetched = length;
        return S_OK;
    case OP_READ_TOC:   /* MMC-6 6.26: format in byte 2 bits 0-3, allocation length in 7-8 */
        if (cdb_size != 10)
            break;
        if ((cdb[1] & 0x02) || (cdb[2] & 0x0F) != 1)    /* MSF addresses, other formats */
            return sense_data(sense, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB, ~0u);
        if (!status.sectors)
            return sense_data(sense, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB, ~0u);
        /* Format 1, session information: one complete session starting at 0, since the file's
           head (sector 16 on) always shows the latest session (image_file_media.c). */
        memset(data, 0, sizeof(data));
        data[1] = 10;           /* TOC data length: the bytes after this field */
        data[2] = 1;            /* first complete session */
        data[3] = 1;            /* last complete session */
        data[5] = 0x14;         /* ADR 1, control 4: a data track */
        data[6] = 1;            /* first track in the last complete session */
        put_be32(data + 8, 0);
        length = (ULONG)cdb[7] << 8 | cdb[8];
        if (length > sizeof(data))
            length = sizeof(data);
        if (length > size)
            length = size;
        memcpy(buffer, data, length);
        *fetched = length;
        return S_OK;
    default:
        return sense_data(sense, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, ~0u);
    }
    /* A known command in a command block of the wrong size. */
    return sense_data(sense, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB, ~0u);
}

static HRESULT WINAPI recorder_ex_ReadDvdStructure(IDiscRecorder2Ex *iface, ULONG format,
                                                   ULONG address, ULONG layer, ULONG agid,
                                                   BYTE **data, ULONG *count)
{
    (void)iface; (void)format; (void)address; (void)layer; (void)agid;
    if (data)
        *data = NULL;
    if (count)
        *count = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::ReadDvdStructure");
}

static HRESULT WINAPI recorder_ex_SendDvdStructure(IDiscRecorder2Ex *iface, ULONG format,
                                                   BYTE *data, ULONG count)
{
    (void)iface; (void)format; (void)data; (void)count;
    return ex_not_a_drive(L"IDiscRecorder2Ex::SendDvdStructure");
}

static HRESULT WINAPI recorder_ex_GetAdapterDescriptor(IDiscRecorder2Ex *iface, BYTE **data,
                                                       ULONG *size)
{
    (void)iface;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetAdapterDescriptor");
}

static HRESULT WINAPI recorder_ex_GetDeviceDescriptor(IDiscRecorder2Ex *iface, BYTE **data,
                                                      ULONG *size)
{
    (void)iface;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetDeviceDescriptor");
}

static HRESULT WINAPI recorder_ex_GetDiscInformation(IDiscRecorder2Ex *iface, BYTE **data,
                                                     ULONG *size)
{
    (void)iface;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetDiscInformation");
}

static HRESULT WINAPI recorder_ex_GetTrackInformation(IDiscRecorder2Ex *iface, ULONG address,
                                                      IMAPI_READ_TRACK_ADDRESS_TYPE type,
                                                      BYTE **data, ULONG *size)
{
    (void)iface; (void)address; (void)type;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetTrackInformation");
}

static HRESULT WINAPI recorder_ex_GetFeaturePage(IDiscRecorder2Ex *iface,
                                                 IMAPI_FEATURE_PAGE_TYPE feature,
                                                 BOOLEAN current, BYTE **data, ULONG *size)
{
    (void)iface; (void)feature; (void)current;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetFeaturePage");
}

static HRESULT WINAPI recorder_ex_GetModePage(IDiscRecorder2Ex *iface, IMAPI_MODE_PAGE_TYPE page,
                                              IMAPI_MODE_PAGE_REQUEST_TYPE type, BYTE **data,
                                              ULONG *size)
{
    (void)iface; (void)page; (void)type;
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetModePage");
}

static HRESULT WINAPI recorder_ex_SetModePage(IDiscRecorder2Ex *iface,
                                              IMAPI_MODE_PAGE_REQUEST_TYPE type, BYTE *data,
                                              ULONG size)
{
    (void)iface; (void)type; (void)data; (void)size;
    return ex_not_a_drive(L"IDiscRecorder2Ex::SetModePage");
}

static HRESULT WINAPI recorder_ex_GetSupportedFeaturePages(IDiscRecorder2Ex *iface,
                                                           BOOLEAN current,
                                                           IMAPI_FEATURE_PAGE_TYPE **pages,
                                                           ULONG *count)
{
    (void)iface; (void)current;
    if (pages)
        *pages = NULL;
    if (count)
        *count = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetSupportedFeaturePages");
}

static HRESULT WINAPI recorder_ex_GetSupportedProfiles(IDiscRecorder2Ex *iface, BOOLEAN current,
                                                       IMAPI_PROFILE_TYPE **profiles,
                                                       ULONG *count)
{
    struct image_file_recorder *recorder = impl_from_IDiscRecorder2Ex(iface);

    (void)current;      /* the one profile is current whenever the file is open */
    if (!profiles || !count)
        return com_error(E_POINTER, &IID_IDiscRecorder2Ex, NULL);
    *count = 0;
    *profiles = CoTaskMemAlloc(sizeof(**profiles));
    if (!*profiles)
        return com_error(E_OUTOFMEMORY, &IID_IDiscRecorder2Ex, NULL);
    **profiles = (IMAPI_PROFILE_TYPE)profile_of(recorder);
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetSupportedModePages(IDiscRecorder2Ex *iface,
                                                        IMAPI_MODE_PAGE_REQUEST_TYPE type,
                                                        IMAPI_MODE_PAGE_TYPE **pages,
                                                        ULONG *count)
{
    (void)iface; (void)type;
    if (pages)
        *pages = NULL;
    if (count)
        *count = 0;
    return ex_not_a_drive(L"IDiscRecorder2Ex::GetSupportedModePages");
}

static HRESULT WINAPI recorder_ex_GetByteAlignmentMask(IDiscRecorder2Ex *iface, ULONG *value)
{
    (void)iface;
    if (!value)
        return com_error(E_POINTER, &IID_IDiscRecorder2Ex, NULL);
    *value = 0;                 /* any buffer will do */
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetMaximumNonPageAlignedTransferSize(IDiscRecorder2Ex *iface,
                                                                       ULONG *value)
{
    (void)iface;
    if (!value)
        return com_error(E_POINTER, &IID_IDiscRecorder2Ex, NULL);
    *value = 0x7fffffff;        /* a file has no transfer limit of its own */
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetMaximumPageAlignedTransferSize(IDiscRecorder2Ex *iface,
                                                                    ULONG *value)
{
    (void)iface;
    if (!value)
        return com_error(E_POINTER, &IID_IDiscRecorder2Ex, NULL);
    *value = 0x7fffffff;
    return S_OK;
}

static const IDiscRecorder2ExVtbl recorder_ex_vtbl = {
    recorder_ex_QueryInterface,
    recorder_ex_AddRef,
    recorder_ex_Release,
    recorder_ex_SendCommandNoData,
    recorder_ex_SendCommandSendDataToDevice,
    recorder_ex_SendCommandGetDataFromDevice,
    recorder_ex_ReadDvdStructure,
    recorder_ex_SendDvdStructure,
    recorder_ex_GetAdapterDescriptor,
    recorder_ex_GetDeviceDescriptor,
    recorder_ex_GetDiscInformation,
    recorder_ex_GetTrackInformation,
    recorder_ex_GetFeaturePage,
    recorder_ex_GetModePage,
    recorder_ex_SetModePage,
    recorder_ex_GetSupportedFeaturePages,
    recorder_ex_GetSupportedProfiles,
    recorder_ex_GetSupportedModePages,
    recorder_ex_GetByteAlignmentMask,
    recorder_ex_GetMaximumNonPageAlignedTransferSize,
    recorder_ex_GetMaximumPageAlignedTransferSize,
};

HRESULT image_file_recorder_create(struct image_file *file, IDiscRecorder2 **out)
{
    struct image_file_recorder *recorder;

    *out = NULL;
    recorder = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*recorder));
    if (!recorder)
        return E_OUTOFMEMORY;
    recorder->IDiscRecorder2_iface.lpVtbl = &recorder_vtbl;
    recorder->IDiscRecorder2Ex_iface.lpVtbl = &recorder_ex_vtbl;
    error_support_init(&recorder->errors, (IUnknown *)&recorder->IDiscRecorder2_iface,
                       recorder_error_iids);
    recorder->ref = 1;
    recorder->file = file;
    image_file_addref(file);
    module_lock();
    *out = &recorder->IDiscRecorder2_iface;
    return S_OK;
}
