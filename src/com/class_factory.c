/* IClassFactory for the creatable classes; aggregation is not supported. */
#include "module.h"
#include "class_table.h"

struct class_factory {
    IClassFactory IClassFactory_iface;
    LONG ref;
    const struct coclass_info *info;
};

static inline struct class_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct class_factory, IClassFactory_iface);
}

static HRESULT WINAPI class_factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory)) {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI class_factory_AddRef(IClassFactory *iface)
{
    return InterlockedIncrement(&impl_from_IClassFactory(iface)->ref);
}

static ULONG WINAPI class_factory_Release(IClassFactory *iface)
{
    struct class_factory *factory = impl_from_IClassFactory(iface);
    ULONG ref = InterlockedDecrement(&factory->ref);
    if (!ref) {
        HeapFree(GetProcessHeap(), 0, factory);
        module_unlock();
    }
    return ref;
}

static HRESULT WINAPI class_factory_CreateInstance(IClassFactory *iface, IUnknown *outer,
                                                   REFIID riid, void **out)
{
    struct class_factory *factory = impl_from_IClassFactory(iface);

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    return factory->info->create(riid, out);
}

static HRESULT WINAPI class_factory_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    if (lock)
        module_lock();
    else
        module_unlock();
    return S_OK;
}

static const IClassFactoryVtbl class_factory_vtbl = {
    class_factory_QueryInterface,
    class_factory_AddRef,
    class_factory_Release,
    class_factory_CreateInstance,
    class_factory_LockServer,
};

HRESULT class_factory_create(const struct coclass_info *info, REFIID riid, void **out)
{
    struct class_factory *factory;
    HRESULT hr;

    factory = HeapAlloc(GetProcessHeap(), 0, sizeof(*factory));
    if (!factory)
        return E_OUTOFMEMORY;
    factory->IClassFactory_iface.lpVtbl = &class_factory_vtbl;
    factory->ref = 1;
    factory->info = info;
    module_lock();
    hr = IClassFactory_QueryInterface(&factory->IClassFactory_iface, riid, out);
    IClassFactory_Release(&factory->IClassFactory_iface);
    return hr;
}
