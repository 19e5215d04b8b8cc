/*
 * The multisession interface of OpenFsi.ImageFileMedia (an openfsi extension), as
 * IDiscFormat2Data::MultisessionInterfaces hands one out: IMultisessionSequential2 for write-once
 * media (DVD+R), IMultisessionRandomWrite for rewritable media (DVD+RW); one object answers the
 * kind its file plays and not the other. Its addresses come from the file at the moment they are
 * asked for, so an object put into a file-system image follows the sessions written since.
 *
 * Write-once media on a file: sessions follow each other, so the next one starts where the file
 * ends (NextWritableAddress = the sectors written) and the room left is the capacity less that.
 * After each session the media object copies the session's descriptors to the file's head
 * (sector 16 on, and the UDF anchor to 256), so the file reads as one volume whose head is the
 * latest session: the previous session is therefore reported as starting at 0
 * (StartAddressOfPreviousSession) and ending at the file's last sector. It reads and writes
 * nothing itself.
 */
#include "image_file_state.h"
#include "dispatch.h"
#include "error_info.h"
#include "imapi2error.h"

struct image_file_multisession {
    IMultisessionSequential2 IMultisessionSequential2_iface;
    IMultisessionRandomWrite IMultisessionRandomWrite_iface;
    struct error_support errors;
    LONG ref;
    struct image_file *file;
    IDiscRecorder2 *recorder;
    LONG in_use;                /* VARIANT_BOOL */
};

static const IID *const sequential_error_iids[] = {
    &IID_IMultisession, &IID_IMultisessionSequential, &IID_IMultisessionSequential2, NULL };
static const IID *const random_error_iids[] = {
    &IID_IMultisession, &IID_IMultisessionRandomWrite, NULL };

static inline struct image_file_multisession *
impl_from_IMultisessionSequential2(IMultisessionSequential2 *iface)
{
    return CONTAINING_RECORD(iface, struct image_file_multisession,
                             IMultisessionSequential2_iface);
}

static inline struct image_file_multisession *
impl_from_IMultisessionRandomWrite(IMultisessionRandomWrite *iface)
{
    return CONTAINING_RECORD(iface, struct image_file_multisession,
                             IMultisessionRandomWrite_iface);
}

static HRESULT multisession_query(struct image_file_multisession *object, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (!object->file->rewritable &&
        (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
         IsEqualIID(riid, &IID_IMultisession) || IsEqualIID(riid, &IID_IMultisessionSequential) ||
         IsEqualIID(riid, &IID_IMultisessionSequential2)))
        *out = &object->IMultisessionSequential2_iface;
    else if (object->file->rewritable &&
             (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
              IsEqualIID(riid, &IID_IMultisession) ||
              IsEqualIID(riid, &IID_IMultisessionRandomWrite)))
        *out = &object->IMultisessionRandomWrite_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &object->errors.ISupportErrorInfo_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG multisession_addref(struct image_file_multisession *object)
{
    return InterlockedIncrement(&object->ref);
}

static ULONG multisession_release(struct image_file_multisession *object)
{
    ULONG ref = InterlockedDecrement(&object->ref);

    if (!ref) {
        IDiscRecorder2_Release(object->recorder);
        image_file_release(object->file);
        HeapFree(GetProcessHeap(), 0, object);
        module_unlock();
    }
    return ref;
}

/* The file now; E_IMAPI_RECORDER_MEDIA_NO_MEDIA (with a message) once it is closed. */
static HRESULT current_status(struct image_file_multisession *object, REFIID iid,
                              struct image_file_status *status)
{
    image_file_status(object->file, status);
    if (!status->open)
        return com_error(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, iid,
                         L"The image file media was closed (OpenFsi.ImageFileMedia::Close or "
                         L"Open of another file).");
    return S_OK;
}

/* What the multisession getters report, from the file's state now. */
enum address {
    ADDRESS_FIRST_DATA_SESSION,     /* VARIANT_TRUE on blank media, as a LONG */
    ADDRESS_START_OF_PREVIOUS,
    ADDRESS_LAST_WRITTEN,           /* -1 on blank media */
    ADDRESS_NEXT_WRITABLE,
    ADDRESS_FREE_SECTORS,
    ADDRESS_TOTAL_SECTORS
};

static HRESULT address_of(struct image_file_multisession *object, REFIID iid, enum address what,
                          LONG *out)
{
    struct image_file_status status;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, iid, NULL);
    *out = 0;
    hr = current_status(object, iid, &status);
    if (FAILED(hr))
        return hr;
    switch (what) {
    case ADDRESS_FIRST_DATA_SESSION: *out = status.sectors ? VARIANT_FALSE : VARIANT_TRUE; break;
    /* 0, not the latest session's own first sector: the file's head shows the latest session
       (see the top of this file), so reading from 0 finds it, as on a single-session disc. */
    case ADDRESS_START_OF_PREVIOUS: *out = 0; break;
    case ADDRESS_LAST_WRITTEN: *out = (LONG)status.sectors - 1; break;
    case ADDRESS_NEXT_WRITABLE: *out = (LONG)status.sectors; break;
    case ADDRESS_FREE_SECTORS: *out = (LONG)(status.total_sectors - status.sectors); break;
    case ADDRESS_TOTAL_SECTORS: *out = (LONG)status.total_sectors; break;
    }
    return S_OK;
}

/* ---- IMultisession, shared ---- */

static HRESULT supported_now(struct image_file_multisession *object, VARIANT_BOOL *out)
{
    struct image_file_status status;

    if (!out)
        return com_error(E_POINTER, &IID_IMultisession, NULL);
    image_file_status(object->file, &status);
    /* Write-once: something to add to, and room to add it in. Rewritable media can always be
       written over, blank or not (put_MultisessionInterfaces takes them blank). */
    *out = status.open && (status.rewritable || (status.sectors &&
                                                 status.sectors < status.total_sectors))
               ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT put_in_use(struct image_file_multisession *object, VARIANT_BOOL value)
{
    InterlockedExchange(&object->in_use, value ? VARIANT_TRUE : VARIANT_FALSE);
    return S_OK;
}

static HRESULT get_in_use(struct image_file_multisession *object, VARIANT_BOOL *out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IMultisession, NULL);
    *out = (VARIANT_BOOL)object->in_use;
    return S_OK;
}

static HRESULT get_import_recorder(struct image_file_multisession *object, IDiscRecorder2 **out)
{
    if (!out)
        return com_error(E_POINTER, &IID_IMultisession, NULL);
    *out = object->recorder;
    IDiscRecorder2_AddRef(*out);
    return S_OK;
}

static HRESULT long_out(LONG *out, LONG value, REFIID iid)
{
    if (!out)
        return com_error(E_POINTER, iid, NULL);
    *out = value;
    return S_OK;
}

/* ---- IMultisessionSequential2 (write-once) ---- */

static HRESULT WINAPI sequential_QueryInterface(IMultisessionSequential2 *iface, REFIID riid,
                                                void **out)
{
    return multisession_query(impl_from_IMultisessionSequential2(iface), riid, out);
}

static ULONG WINAPI sequential_AddRef(IMultisessionSequential2 *iface)
{
    return multisession_addref(impl_from_IMultisessionSequential2(iface));
}

static ULONG WINAPI sequential_Release(IMultisessionSequential2 *iface)
{
    return multisession_release(impl_from_IMultisessionSequential2(iface));
}

DISPATCH_METHODS(sequential, IMultisessionSequential2, TID_IMultisessionSequential2)

static HRESULT WINAPI sequential_get_IsSupportedOnCurrentMediaState(
    IMultisessionSequential2 *iface, VARIANT_BOOL *out)
{
    return supported_now(impl_from_IMultisessionSequential2(iface), out);
}

static HRESULT WINAPI sequential_put_InUse(IMultisessionSequential2 *iface, VARIANT_BOOL value)
{
    return put_in_use(impl_from_IMultisessionSequential2(iface), value);
}

static HRESULT WINAPI sequential_get_InUse(IMultisessionSequential2 *iface, VARIANT_BOOL *out)
{
    return get_in_use(impl_from_IMultisessionSequential2(iface), out);
}

static HRESULT WINAPI sequential_get_ImportRecorder(IMultisessionSequential2 *iface,
                                                    IDiscRecorder2 **out)
{
    return get_import_recorder(impl_from_IMultisessionSequential2(iface), out);
}

static HRESULT WINAPI sequential_get_IsFirstDataSession(IMultisessionSequential2 *iface,
                                                        VARIANT_BOOL *out)
{
    LONG value = VARIANT_FALSE;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, &IID_IMultisessionSequential, NULL);
    hr = address_of(impl_from_IMultisessionSequential2(iface), &IID_IMultisessionSequential,
                    ADDRESS_FIRST_DATA_SESSION, &value);
    *out = (VARIANT_BOOL)value;
    return hr;
}

static HRESULT WINAPI sequential_get_StartAddressOfPreviousSession(IMultisessionSequential2 *iface, LONG *out)
{
    return address_of(impl_from_IMultisessionSequential2(iface), &IID_IMultisessionSequential, ADDRESS_START_OF_PREVIOUS, out);
}

static HRESULT WINAPI sequential_get_LastWrittenAddressOfPreviousSession(IMultisessionSequential2 *iface, LONG *out)
{
    return address_of(impl_from_IMultisessionSequential2(iface), &IID_IMultisessionSequential, ADDRESS_LAST_WRITTEN, out);
}

static HRESULT WINAPI sequential_get_NextWritableAddress(IMultisessionSequential2 *iface, LONG *out)
{
    return address_of(impl_from_IMultisessionSequential2(iface), &IID_IMultisessionSequential, ADDRESS_NEXT_WRITABLE, out);
}

static HRESULT WINAPI sequential_get_FreeSectorsOnMedia(IMultisessionSequential2 *iface, LONG *out)
{
    return address_of(impl_from_IMultisessionSequential2(iface), &IID_IMultisessionSequential, ADDRESS_FREE_SECTORS, out);
}

static HRESULT WINAPI sequential_get_WriteUnitSize(IMultisessionSequential2 *iface, LONG *out)
{
    (void)iface;
    return long_out(out, 1, &IID_IMultisessionSequential2);   /* a file takes any sector */
}

static const IMultisessionSequential2Vtbl sequential_vtbl = {
    sequential_QueryInterface,
    sequential_AddRef,
    sequential_Release,
    sequential_GetTypeInfoCount,
    sequential_GetTypeInfo,
    sequential_GetIDsOfNames,
    sequential_Invoke,
    sequential_get_IsSupportedOnCurrentMediaState,
    sequential_put_InUse,
    sequential_get_InUse,
    sequential_get_ImportRecorder,
    sequential_get_IsFirstDataSession,
    sequential_get_StartAddressOfPreviousSession,
    sequential_get_LastWrittenAddressOfPreviousSession,
    sequential_get_NextWritableAddress,
    sequential_get_FreeSectorsOnMedia,
    sequential_get_WriteUnitSize,
};

/* ---- IMultisessionRandomWrite (rewritable) ---- */

static HRESULT WINAPI random_QueryInterface(IMultisessionRandomWrite *iface, REFIID riid,
                                            void **out)
{
    return multisession_query(impl_from_IMultisessionRandomWrite(iface), riid, out);
}

static ULONG WINAPI random_AddRef(IMultisessionRandomWrite *iface)
{
    return multisession_addref(impl_from_IMultisessionRandomWrite(iface));
}

static ULONG WINAPI random_Release(IMultisessionRandomWrite *iface)
{
    return multisession_release(impl_from_IMultisessionRandomWrite(iface));
}

DISPATCH_METHODS(random, IMultisessionRandomWrite, TID_IMultisessionRandomWrite)

static HRESULT WINAPI random_get_IsSupportedOnCurrentMediaState(IMultisessionRandomWrite *iface,
                                                                VARIANT_BOOL *out)
{
    return supported_now(impl_from_IMultisessionRandomWrite(iface), out);
}

static HRESULT WINAPI random_put_InUse(IMultisessionRandomWrite *iface, VARIANT_BOOL value)
{
    return put_in_use(impl_from_IMultisessionRandomWrite(iface), value);
}

static HRESULT WINAPI random_get_InUse(IMultisessionRandomWrite *iface, VARIANT_BOOL *out)
{
    return get_in_use(impl_from_IMultisessionRandomWrite(iface), out);
}

static HRESULT WINAPI random_get_ImportRecorder(IMultisessionRandomWrite *iface,
                                                IDiscRecorder2 **out)
{
    return get_import_recorder(impl_from_IMultisessionRandomWrite(iface), out);
}

static HRESULT WINAPI random_get_WriteUnitSize(IMultisessionRandomWrite *iface, LONG *out)
{
    (void)iface;
    return long_out(out, 1, &IID_IMultisessionRandomWrite);
}

static HRESULT WINAPI random_get_LastWrittenAddress(IMultisessionRandomWrite *iface, LONG *out)
{
    return address_of(impl_from_IMultisessionRandomWrite(iface), &IID_IMultisessionRandomWrite, ADDRESS_LAST_WRITTEN, out);
}

static HRESULT WINAPI random_get_TotalSectorsOnMedia(IMultisessionRandomWrite *iface, LONG *out)
{
    return address_of(impl_from_IMultisessionRandomWrite(iface), &IID_IMultisessionRandomWrite, ADDRESS_TOTAL_SECTORS, out);
}

static const IMultisessionRandomWriteVtbl random_vtbl = {
    random_QueryInterface,
    random_AddRef,
    random_Release,
    random_GetTypeInfoCount,
    random_GetTypeInfo,
    random_GetIDsOfNames,
    random_Invoke,
    random_get_IsSupportedOnCurrentMediaState,
    random_put_InUse,
    random_get_InUse,
    random_get_ImportRecorder,
    random_get_WriteUnitSize,
    random_get_LastWrittenAddress,
    random_get_TotalSectorsOnMedia,
};

HRESULT image_file_multisession_create(struct image_file *file, IDiscRecorder2 *recorder,
                                       IDispatch **out)
{
    struct image_file_multisession *object;

    *out = NULL;
    object = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*object));
    if (!object)
        return E_OUTOFMEMORY;
    object->IMultisessionSequential2_iface.lpVtbl = &sequential_vtbl;
    object->IMultisessionRandomWrite_iface.lpVtbl = &random_vtbl;
    error_support_init(&object->errors,
                       file->rewritable ? (IUnknown *)&object->IMultisessionRandomWrite_iface
                                        : (IUnknown *)&object->IMultisessionSequential2_iface,
                       file->rewritable ? random_error_iids : sequential_error_iids);
    object->ref = 1;
    object->file = file;
    image_file_addref(file);
    object->recorder = recorder;
    IDiscRecorder2_AddRef(recorder);
    object->in_use = VARIANT_FALSE;
    module_lock();
    *out = file->rewritable ? (IDispatch *)&object->IMultisessionRandomWrite_iface
                            : (IDispatch *)&object->IMultisessionSequential2_iface;
    return S_OK;
}
