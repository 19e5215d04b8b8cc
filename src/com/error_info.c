/* IErrorInfo for failing methods, and the shared ISupportErrorInfo part (error_info.h). */
#include <stdio.h>

#include "error_info.h"
#include "error_table.h"
#include "imapi2fserror.h"

/* Texts for the generic COM errors, which Microsoft's IMAPI tables do not carry. */
static const WCHAR *generic_message(HRESULT hr)
{
    switch (hr) {
    case E_POINTER: return L"A required pointer argument is NULL.";
    case E_INVALIDARG: return L"An argument is not valid.";
    case E_OUTOFMEMORY: return L"Not enough memory to complete the operation.";
    case E_NOTIMPL: return L"This method is not implemented.";
    case E_FAIL: return L"The operation failed.";
    }
    return NULL;
}

HRESULT com_error(HRESULT hr, REFIID iid, const WCHAR *message)
{
    ICreateErrorInfo *create;
    IErrorInfo *info;

    if (!message) {
        const struct imapi_error_info *known = imapi_error_lookup(hr);
        message = known ? known->message : generic_message(hr);
    }
    if (FAILED(CreateErrorInfo(&create)))
        return hr;
    ICreateErrorInfo_SetGUID(create, iid);
    ICreateErrorInfo_SetSource(create, (LPOLESTR)L"IMAPI2FS");
    if (message)
        ICreateErrorInfo_SetDescription(create, (LPOLESTR)message);
    if (SUCCEEDED(ICreateErrorInfo_QueryInterface(create, &IID_IErrorInfo, (void **)&info))) {
        SetErrorInfo(0, info);
        IErrorInfo_Release(info);
    }
    ICreateErrorInfo_Release(create);
    return hr;
}

HRESULT com_not_implemented(REFIID iid, const WCHAR *method)
{
    WCHAR message[256];

    _snwprintf(message, ARRAY_SIZE(message),
               L"%ls is not implemented yet in openfsi (see the status table in README.md).",
               method);
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(E_NOTIMPL, iid, message);
}

HRESULT hresult_from_status(enum fsi_status status)
{
    switch (status) {
    case FSI_OK: return S_OK;
    case FSI_E_OUT_OF_MEMORY: return E_OUTOFMEMORY;
    case FSI_E_INVALID_ARGUMENT: return E_INVALIDARG;
    case FSI_E_INVALID_VOLUME_NAME: return IMAPI_E_INVALID_VOLUME_NAME;
    case FSI_E_DUPLICATE_NAME: return IMAPI_E_DUP_NAME;
    case FSI_E_NOT_DIRECTORY: return IMAPI_E_NOT_DIR;
    case FSI_E_SOURCE_READ: return IMAPI_E_DATA_STREAM_READ_FAILURE;
    case FSI_E_SOURCE_SHORT:
    case FSI_E_SOURCE_LONG: return IMAPI_E_DATA_STREAM_INCONSISTENCY;
    case FSI_E_FILE_TOO_LARGE: return IMAPI_E_DATA_TOO_BIG;
    case FSI_E_IMAGE_TOO_LARGE: return IMAPI_E_IMAGE_TOO_BIG;
    case FSI_E_DIRECTORY_TOO_DEEP: return IMAPI_E_ISO9660_LEVELS;
    case FSI_E_INVALID_NAME: return IMAPI_E_INVALID_PATH;
    case FSI_E_TOO_MANY_NAMES: return IMAPI_E_NO_UNIQUE_NAME;
    case FSI_E_NOT_FOUND: return IMAPI_E_ITEM_NOT_FOUND;
    case FSI_E_DIRECTORY_NOT_EMPTY: return IMAPI_E_DIR_NOT_EMPTY;
    case FSI_E_INVALID_PATH: return IMAPI_E_INVALID_PATH;
    case FSI_E_NOT_IMPLEMENTED: return E_NOTIMPL;
    case FSI_E_CORRUPT_FILE_SYSTEM: return IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR;
    case FSI_E_DISC_READ: return IMAPI_E_IMPORT_READ_FAILURE;
    case FSI_E_IMPORT_FILE_IS_DIRECTORY: return IMAPI_E_IMPORT_TYPE_COLLISION_FILE_EXISTS_AS_DIRECTORY;
    case FSI_E_IMPORT_DIRECTORY_IS_FILE: return IMAPI_E_IMPORT_TYPE_COLLISION_DIRECTORY_EXISTS_AS_FILE;
    case FSI_E_INCOMPATIBLE_SESSION: return IMAPI_E_INCOMPATIBLE_PREVIOUS_SESSION;
    case FSI_STATUS_COUNT: break;
    }
    return IMAPI_E_FSI_INTERNAL_ERROR;
}

HRESULT com_error_from_status(enum fsi_status status, REFIID iid)
{
    WCHAR message[256];
    const char *text = fsi_status_message(status);
    HRESULT hr = hresult_from_status(status);

    if (SUCCEEDED(hr))
        return hr;
    if (!MultiByteToWideChar(CP_UTF8, 0, text, -1, message, ARRAY_SIZE(message)))
        return com_error(hr, iid, NULL);
    return com_error(hr, iid, message);
}

static inline struct error_support *impl_from_ISupportErrorInfo(ISupportErrorInfo *iface)
{
    return CONTAINING_RECORD(iface, struct error_support, ISupportErrorInfo_iface);
}

static HRESULT WINAPI error_support_QueryInterface(ISupportErrorInfo *iface, REFIID riid,
                                                   void **out)
{
    IUnknown *outer = impl_from_ISupportErrorInfo(iface)->outer;
    return IUnknown_QueryInterface(outer, riid, out);
}

static ULONG WINAPI error_support_AddRef(ISupportErrorInfo *iface)
{
    return IUnknown_AddRef(impl_from_ISupportErrorInfo(iface)->outer);
}

static ULONG WINAPI error_support_Release(ISupportErrorInfo *iface)
{
    return IUnknown_Release(impl_from_ISupportErrorInfo(iface)->outer);
}

static HRESULT WINAPI error_support_InterfaceSupportsErrorInfo(ISupportErrorInfo *iface,
                                                               REFIID riid)
{
    const IID *const *iid;

    for (iid = impl_from_ISupportErrorInfo(iface)->iids; *iid; iid++)
        if (IsEqualIID(riid, *iid))
            return S_OK;
    return S_FALSE;
}

static const ISupportErrorInfoVtbl error_support_vtbl = {
    error_support_QueryInterface,
    error_support_AddRef,
    error_support_Release,
    error_support_InterfaceSupportsErrorInfo,
};

void error_support_init(struct error_support *support, IUnknown *outer, const IID *const *iids)
{
    support->ISupportErrorInfo_iface.lpVtbl = &error_support_vtbl;
    support->outer = outer;
    support->iids = iids;
}
