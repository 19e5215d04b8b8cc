/*
 * Type information for IDispatch, loaded from the type library that the build embeds in this DLL.
 * Each ITypeInfo is loaded on first use and kept until the DLL unloads; the cache is shared by
 * all threads (ThreadingModel Both), so it is filled under a lock.
 */
#include "dispatch.h"

static const IID *const type_iids[TID_COUNT] = {
    [TID_IBootOptions] = &IID_IBootOptions,
    [TID_IProgressItem] = &IID_IProgressItem,
    [TID_IProgressItems] = &IID_IProgressItems,
    [TID_IFileSystemImageResult2] = &IID_IFileSystemImageResult2,
    [TID_IFsiFileItem2] = &IID_IFsiFileItem2,
    [TID_IFsiNamedStreams] = &IID_IFsiNamedStreams,
    [TID_IFsiDirectoryItem2] = &IID_IFsiDirectoryItem2,
    [TID_IFileSystemImage3] = &IID_IFileSystemImage3,
    [TID_IIsoImageManager] = &IID_IIsoImageManager,
    [TID_IBlockRange] = &IID_IBlockRange,
    [TID_IBlockRangeList] = &IID_IBlockRangeList,
    [TID_IOpenFsiStreamWriter] = &IID_IOpenFsiStreamWriter,
    [TID_IOpenFsiEventConnector] = &IID_IOpenFsiEventConnector,
    [TID_IOpenFsiImageFileMedia] = &IID_IOpenFsiImageFileMedia,
    [TID_IDiscRecorder2] = &IID_IDiscRecorder2,
    [TID_IMultisessionSequential2] = &IID_IMultisessionSequential2,
    [TID_IMultisessionRandomWrite] = &IID_IMultisessionRandomWrite,
};

static CRITICAL_SECTION cache_lock;

static ITypeLib *type_lib;
static ITypeInfo *type_infos[TID_COUNT];

HRESULT dispatch_get_type_lib(ITypeLib **typelib)
{
    HRESULT hr = S_OK;

    EnterCriticalSection(&cache_lock);
    if (!type_lib)
        hr = LoadTypeLibEx(module_path(), REGKIND_NONE, &type_lib);
    if (SUCCEEDED(hr)) {
        *typelib = type_lib;
        ITypeLib_AddRef(type_lib);
    }
    LeaveCriticalSection(&cache_lock);
    return hr;
}

HRESULT dispatch_get_type_info(enum type_id tid, ITypeInfo **info)
{
    ITypeLib *typelib;
    HRESULT hr;

    if ((unsigned)tid >= TID_COUNT)
        return E_INVALIDARG;
    hr = dispatch_get_type_lib(&typelib);
    if (FAILED(hr))
        return hr;
    EnterCriticalSection(&cache_lock);
    if (!type_infos[tid])
        hr = ITypeLib_GetTypeInfoOfGuid(typelib, type_iids[tid], &type_infos[tid]);
    if (SUCCEEDED(hr)) {
        *info = type_infos[tid];
        ITypeInfo_AddRef(*info);
    }
    LeaveCriticalSection(&cache_lock);
    ITypeLib_Release(typelib);
    return hr;
}

void dispatch_startup(void)
{
    InitializeCriticalSection(&cache_lock);
}

void dispatch_shutdown(BOOL process_exiting)
{
    unsigned i;

    /* At process exit other DLLs may be gone already: leave the references alone. */
    if (process_exiting)
        return;

    for (i = 0; i < TID_COUNT; i++)
        if (type_infos[i]) {
            ITypeInfo_Release(type_infos[i]);
            type_infos[i] = NULL;
        }
    if (type_lib) {
        ITypeLib_Release(type_lib);
        type_lib = NULL;
    }
    DeleteCriticalSection(&cache_lock);
}

HRESULT dispatch_type_info_count(UINT *count)
{
    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

HRESULT dispatch_type_info(enum type_id tid, UINT index, ITypeInfo **info)
{
    if (!info)
        return E_POINTER;
    *info = NULL;
    if (index != 0)
        return DISP_E_BADINDEX;
    return dispatch_get_type_info(tid, info);
}

HRESULT dispatch_ids_of_names(enum type_id tid, REFIID riid, LPOLESTR *names, UINT count,
                              DISPID *ids)
{
    ITypeInfo *info;
    HRESULT hr;

    if (!IsEqualIID(riid, &IID_NULL))
        return DISP_E_UNKNOWNINTERFACE;
    if (!names || !ids)
        return E_POINTER;
    hr = dispatch_get_type_info(tid, &info);
    if (FAILED(hr))
        return hr;
    hr = ITypeInfo_GetIDsOfNames(info, names, count, ids);
    ITypeInfo_Release(info);
    return hr;
}

/* A failed call as ITypeInfo::Invoke reports one: DISP_E_EXCEPTION, with the HRESULT and the
   thread's error information in `excep`. */
static HRESULT exception_from_error_info(HRESULT hr, EXCEPINFO *excep)
{
    IErrorInfo *info = NULL;

    memset(excep, 0, sizeof(*excep));
    excep->scode = hr;
    if (GetErrorInfo(0, &info) == S_OK && info) {
        IErrorInfo_GetSource(info, &excep->bstrSource);
        IErrorInfo_GetDescription(info, &excep->bstrDescription);
        IErrorInfo_GetHelpFile(info, &excep->bstrHelpFile);
        IErrorInfo_GetHelpContext(info, &excep->dwHelpContext);
        IErrorInfo_Release(info);
    }
    return DISP_E_EXCEPTION;
}

/* Whether a function's only parameter is an [out, retval] interface pointer. */
static BOOL returns_object(const FUNCDESC *desc)
{
    const ELEMDESC *param;

    if (desc->cParams != 1)
        return FALSE;
    param = &desc->lprgelemdescParam[0];
    return (param->paramdesc.wParamFlags & PARAMFLAG_FRETVAL) && param->tdesc.vt == VT_PTR &&
           param->tdesc.lptdesc->vt == VT_PTR &&
           (param->tdesc.lptdesc->lptdesc->vt == VT_USERDEFINED ||
            param->tdesc.lptdesc->lptdesc->vt == VT_DISPATCH);
}

/*
 * ITypeInfo::Invoke calls no restricted member whose DISPID is positive (Wine's as Windows':
 * only _NewEnum's negative DISPID gets through). IFsiFileItem2::FsiNamedStreams is restricted in
 * Microsoft's IDL, yet it is the way to a file's named streams, which scripts walk with For Each
 * or Enumerator. So a restricted property get without arguments that returns an automation
 * object is called here through its vtable slot, from the vtable half of the dual interface.
 */
static HRESULT invoke_restricted_get(ITypeInfo *info, void *iface, DISPID member, WORD flags,
                                     DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep)
{
    ITypeInfo *vtable_info = NULL;
    FUNCDESC *desc = NULL;
    TYPEATTR *attr = NULL;
    HREFTYPE href;
    HRESULT hr = DISP_E_MEMBERNOTFOUND;
    UINT i;

    if (member < 0 || !(flags & DISPATCH_PROPERTYGET) || (params && params->cArgs))
        return hr;
    if (FAILED(ITypeInfo_GetRefTypeOfImplType(info, -1, &href)) ||
        FAILED(ITypeInfo_GetRefTypeInfo(info, href, &vtable_info)))
        return hr;
    if (SUCCEEDED(ITypeInfo_GetTypeAttr(vtable_info, &attr))) {
        for (i = 0; i < attr->cFuncs && !desc; i++) {
            if (FAILED(ITypeInfo_GetFuncDesc(vtable_info, i, &desc)))
                continue;
            if (desc->memid != member || desc->invkind != INVOKE_PROPERTYGET ||
                !(desc->wFuncFlags & FUNCFLAG_FRESTRICTED) || !returns_object(desc)) {
                ITypeInfo_ReleaseFuncDesc(vtable_info, desc);
                desc = NULL;
            }
        }
        ITypeInfo_ReleaseTypeAttr(vtable_info, attr);
    }
    if (desc) {
        IUnknown *object = NULL;
        IDispatch *dispatch = NULL;
        VARIANTARG arg, *args[1] = { &arg };
        VARTYPE types[1] = { VT_BYREF | VT_UNKNOWN };
        VARIANT returned;

        V_VT(&arg) = VT_BYREF | VT_UNKNOWN;
        V_UNKNOWNREF(&arg) = &object;
        VariantInit(&returned);
        hr = DispCallFunc(iface, desc->oVft, desc->callconv, VT_ERROR, 1, types, args,
                          &returned);
        if (SUCCEEDED(hr))
            hr = V_ERROR(&returned);
        if (SUCCEEDED(hr) && object)
            hr = IUnknown_QueryInterface(object, &IID_IDispatch, (void **)&dispatch);
        if (object)
            IUnknown_Release(object);
        if (hr == E_NOINTERFACE)
            hr = DISP_E_MEMBERNOTFOUND;     /* not an object a script could use */
        if (SUCCEEDED(hr) && result) {
            V_VT(result) = VT_DISPATCH;
            V_DISPATCH(result) = dispatch;
        } else if (dispatch) {
            IDispatch_Release(dispatch);
        }
        if (FAILED(hr) && hr != DISP_E_MEMBERNOTFOUND && excep)
            hr = exception_from_error_info(hr, excep);
        ITypeInfo_ReleaseFuncDesc(vtable_info, desc);
    }
    ITypeInfo_Release(vtable_info);
    return hr;
}

HRESULT dispatch_invoke(enum type_id tid, void *iface, DISPID member, REFIID riid, WORD flags,
                        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    ITypeInfo *info;
    HRESULT hr;

    if (!IsEqualIID(riid, &IID_NULL))
        return DISP_E_UNKNOWNINTERFACE;
    /*
     * Wine's JScript asks for _NewEnum (a property get) with DISPATCH_METHOD alone when a script
     * writes "new Enumerator(collection)"; Wine's ITypeInfo::Invoke then finds no member. Serve
     * it as the property get it is.
     */
    if (member == DISPID_NEWENUM && flags == DISPATCH_METHOD)
        flags |= DISPATCH_PROPERTYGET;
    hr = dispatch_get_type_info(tid, &info);
    if (FAILED(hr))
        return hr;
    hr = ITypeInfo_Invoke(info, iface, member, flags, params, result, excep, arg_err);
    /* The same for a property with arguments called like a method, as JScript writes
       "dir.Item(path)": Windows serves the property get, Wine's ITypeInfo::Invoke does not. */
    if (hr == DISP_E_MEMBERNOTFOUND && flags == DISPATCH_METHOD)
        hr = ITypeInfo_Invoke(info, iface, member, DISPATCH_METHOD | DISPATCH_PROPERTYGET,
                              params, result, excep, arg_err);
    if (hr == DISP_E_MEMBERNOTFOUND)
        hr = invoke_restricted_get(info, iface, member, flags, params, result, excep);
    ITypeInfo_Release(info);
    return hr;
}
