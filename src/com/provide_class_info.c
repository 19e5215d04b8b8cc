/* IProvideClassInfo2 for objects that describe their coclass (provide_class_info.h). */
#include "provide_class_info.h"
#include "dispatch.h"

static inline struct provide_class_info *impl_from_IProvideClassInfo2(IProvideClassInfo2 *iface)
{
    return CONTAINING_RECORD(iface, struct provide_class_info, IProvideClassInfo2_iface);
}

static HRESULT WINAPI provide_class_info_QueryInterface(IProvideClassInfo2 *iface, REFIID riid,
                                                        void **out)
{
    return IUnknown_QueryInterface(impl_from_IProvideClassInfo2(iface)->outer, riid, out);
}

static ULONG WINAPI provide_class_info_AddRef(IProvideClassInfo2 *iface)
{
    return IUnknown_AddRef(impl_from_IProvideClassInfo2(iface)->outer);
}

static ULONG WINAPI provide_class_info_Release(IProvideClassInfo2 *iface)
{
    return IUnknown_Release(impl_from_IProvideClassInfo2(iface)->outer);
}

static HRESULT WINAPI provide_class_info_GetClassInfo(IProvideClassInfo2 *iface, ITypeInfo **out)
{
    struct provide_class_info *info = impl_from_IProvideClassInfo2(iface);
    ITypeLib *typelib;
    HRESULT hr;

    if (!out)
        return E_POINTER;
    *out = NULL;
    hr = dispatch_get_type_lib(&typelib);
    if (FAILED(hr))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(typelib, info->clsid, out);
    ITypeLib_Release(typelib);
    return hr;
}

static HRESULT WINAPI provide_class_info_GetGUID(IProvideClassInfo2 *iface, DWORD kind, GUID *out)
{
    struct provide_class_info *info = impl_from_IProvideClassInfo2(iface);

    if (!out)
        return E_POINTER;
    *out = GUID_NULL;
    /* GUIDKIND_DEFAULT_SOURCE_DISP_IID is the only kind IProvideClassInfo2 defines. */
    if (kind != GUIDKIND_DEFAULT_SOURCE_DISP_IID || !info->source_iid)
        return E_INVALIDARG;
    *out = *info->source_iid;
    return S_OK;
}

static const IProvideClassInfo2Vtbl provide_class_info_vtbl = {
    provide_class_info_QueryInterface,
    provide_class_info_AddRef,
    provide_class_info_Release,
    provide_class_info_GetClassInfo,
    provide_class_info_GetGUID,
};

void provide_class_info_init(struct provide_class_info *info, IUnknown *outer,
                             const CLSID *clsid, const IID *source_iid)
{
    info->IProvideClassInfo2_iface.lpVtbl = &provide_class_info_vtbl;
    info->outer = outer;
    info->clsid = clsid;
    info->source_iid = source_iid;
}

BOOL provide_class_info_is_iid(REFIID riid)
{
    return IsEqualIID(riid, &IID_IProvideClassInfo) || IsEqualIID(riid, &IID_IProvideClassInfo2);
}
