/*
 * The DLL's entry points: DllMain, DllGetClassObject and DllCanUnloadNow, and the count of live
 * objects and locks. Registration lives in registration.c.
 */
#include "module.h"
#include "class_table.h"
#include "dispatch.h"

HINSTANCE module_instance;
static LONG module_refs;
static WCHAR module_file[MAX_PATH];

void module_lock(void) { InterlockedIncrement(&module_refs); }
void module_unlock(void) { InterlockedDecrement(&module_refs); }

const WCHAR *module_path(void) { return module_file; }

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        module_instance = instance;
        DisableThreadLibraryCalls(instance);
        if (!GetModuleFileNameW(instance, module_file, MAX_PATH) ||
            GetLastError() == ERROR_INSUFFICIENT_BUFFER)
            return FALSE;
        dispatch_startup();
        break;
    case DLL_PROCESS_DETACH:
        dispatch_shutdown(reserved != NULL);
        break;
    }
    return TRUE;
}

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    const struct coclass_info *info;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!clsid || !riid)
        return E_INVALIDARG;
    info = creatable_class_find(clsid);
    if (!info)
        return CLASS_E_CLASSNOTAVAILABLE;
    return class_factory_create(info, riid, out);
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    return module_refs == 0 ? S_OK : S_FALSE;
}
