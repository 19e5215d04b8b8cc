/*
 * multisession.h: picking the IMultisession to append through and asking it for the media's
 * addresses. Only the interfaces are used, so Microsoft's IDiscFormat2Data objects, our image-file
 * media and any other implementation serve alike. It reads nothing from the disc itself.
 */
#include "module.h"
#include "multisession.h"
#include "imapi2fserror.h"

/* The element's IMultisession, or NULL for anything else. */
static IMultisession *element_multisession(const VARIANT *element)
{
    IMultisession *multisession = NULL;
    IUnknown *unknown;

    if (V_VT(element) == VT_DISPATCH)
        unknown = (IUnknown *)V_DISPATCH(element);
    else if (V_VT(element) == VT_UNKNOWN)
        unknown = V_UNKNOWN(element);
    else if (V_VT(element) == (VT_VARIANT | VT_BYREF) && V_VARIANTREF(element))
        return element_multisession(V_VARIANTREF(element));
    else
        return NULL;
    if (!unknown ||
        FAILED(IUnknown_QueryInterface(unknown, &IID_IMultisession, (void **)&multisession)))
        return NULL;
    return multisession;
}

/* Whether we append through this kind: sequential (write-once) or random write (rewritable). */
static BOOL kind_known(IMultisession *multisession)
{
    IUnknown *kind = NULL;

    if (SUCCEEDED(IMultisession_QueryInterface(multisession, &IID_IMultisessionSequential,
                                               (void **)&kind)) ||
        SUCCEEDED(IMultisession_QueryInterface(multisession, &IID_IMultisessionRandomWrite,
                                               (void **)&kind))) {
        IUnknown_Release(kind);
        return TRUE;
    }
    return FALSE;
}

static BOOL supported_now(IMultisession *multisession)
{
    VARIANT_BOOL supported = VARIANT_FALSE;
    return SUCCEEDED(IMultisession_get_IsSupportedOnCurrentMediaState(multisession, &supported)) &&
           supported != VARIANT_FALSE;
}

HRESULT multisession_choose(SAFEARRAY *array, IMultisession **chosen, const WCHAR **message)
{
    IMultisession *in_use = NULL, *first_supported = NULL;
    BOOL any_known = FALSE;
    VARIANT *elements;
    LONG low, high, i;
    HRESULT hr = S_OK;

    *chosen = NULL;
    *message = NULL;
    if (SafeArrayGetDim(array) != 1 || FAILED(SafeArrayGetLBound(array, 1, &low)) ||
        FAILED(SafeArrayGetUBound(array, 1, &high)) ||
        SafeArrayGetElemsize(array) != sizeof(VARIANT)) {
        *message = L"MultisessionInterfaces takes a one-dimensional array of VARIANTs.";
        return E_INVALIDARG;
    }
    if (FAILED(SafeArrayAccessData(array, (void **)&elements)))
        return E_INVALIDARG;
    for (i = 0; i <= high - low && SUCCEEDED(hr); i++) {
        IMultisession *multisession = element_multisession(&elements[i]);
        VARIANT_BOOL used = VARIANT_FALSE;

        if (!multisession) {
            *message = L"An element of MultisessionInterfaces is not an IMultisession object.";
            hr = IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE;
            break;
        }
        if (kind_known(multisession)) {
            any_known = TRUE;
            if (SUCCEEDED(IMultisession_get_InUse(multisession, &used)) && used != VARIANT_FALSE) {
                if (in_use) {
                    *message = L"More than one of the MultisessionInterfaces is InUse: mark "
                               L"only the one to append through.";
                    hr = IMAPI_E_BAD_MULTISESSION_PARAMETER;
                } else if (!supported_now(multisession)) {
                    *message = L"The multisession interface marked InUse cannot append to the "
                               L"media in its current state.";
                    hr = IMAPI_E_NO_COMPATIBLE_MULTISESSION_TYPE;
                } else {
                    in_use = multisession;
                    IMultisession_AddRef(in_use);
                }
            } else if (!first_supported && supported_now(multisession)) {
                first_supported = multisession;
                IMultisession_AddRef(first_supported);
            }
        }
        IMultisession_Release(multisession);
    }
    SafeArrayUnaccessData(array);
    if (SUCCEEDED(hr) && !in_use && !first_supported) {
        if (any_known) {
            *message = L"The media is blank or closed: there is no session to add to.";
            hr = IMAPI_E_IMPORT_SEEK_FAILURE;
        } else {
            *message = L"None of the MultisessionInterfaces is of a kind the file-system image "
                       L"appends through (IMultisessionSequential, IMultisessionRandomWrite).";
            hr = IMAPI_E_NO_COMPATIBLE_MULTISESSION_TYPE;
        }
    }
    if (FAILED(hr)) {
        if (in_use)
            IMultisession_Release(in_use);
        if (first_supported)
            IMultisession_Release(first_supported);
        return hr;
    }
    if (in_use) {
        if (first_supported)
            IMultisession_Release(first_supported);
        *chosen = in_use;
        return S_OK;
    }
    IMultisession_put_InUse(first_supported, VARIANT_TRUE);
    *chosen = first_supported;
    return S_OK;
}

HRESULT multisession_media_read(IMultisession *multisession, struct multisession_media *media)
{
    IMultisessionSequential *sequential = NULL;
    IMultisessionRandomWrite *random = NULL;
    LONG start = 0, last = 0, next = 0, free_sectors = 0;
    HRESULT hr;

    memset(media, 0, sizeof(*media));
    if (SUCCEEDED(IMultisession_QueryInterface(multisession, &IID_IMultisessionSequential,
                                               (void **)&sequential))) {
        VARIANT_BOOL first = VARIANT_FALSE;
        hr = IMultisessionSequential_get_IsFirstDataSession(sequential, &first);
        if (SUCCEEDED(hr))
            hr = IMultisessionSequential_get_NextWritableAddress(sequential, &next);
        if (SUCCEEDED(hr))
            hr = IMultisessionSequential_get_FreeSectorsOnMedia(sequential, &free_sectors);
        if (SUCCEEDED(hr) && first == VARIANT_FALSE) {
            hr = IMultisessionSequential_get_StartAddressOfPreviousSession(sequential, &start);
            if (SUCCEEDED(hr))
                hr = IMultisessionSequential_get_LastWrittenAddressOfPreviousSession(sequential,
                                                                                   &last);
        }
        IMultisessionSequential_Release(sequential);
        media->blank = first != VARIANT_FALSE;
    } else if (SUCCEEDED(IMultisession_QueryInterface(multisession, &IID_IMultisessionRandomWrite,
                                                      (void **)&random))) {
        hr = IMultisessionRandomWrite_get_LastWrittenAddress(random, &last);
        if (SUCCEEDED(hr))
            hr = IMultisessionRandomWrite_get_TotalSectorsOnMedia(random, &free_sectors);
        IMultisessionRandomWrite_Release(random);
        media->random_write = TRUE;
        media->blank = last < 0;
    } else
        return IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE;
    if (FAILED(hr) || start < 0 || next < 0 || free_sectors < 0 ||
        (!media->blank && (last < start || (!media->random_write && next <= last))))
        return IMAPI_E_BAD_MULTISESSION_PARAMETER;
    media->previous_start = (ULONG)start;
    media->previous_last = (ULONG)last;
    media->next_writable = (ULONG)next;
    media->free_sectors = (ULONG)free_sectors;
    return S_OK;
}
