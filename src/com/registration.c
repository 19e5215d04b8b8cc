/*
 * DllRegisterServer and DllUnregisterServer: for every creatable class the CLSID key
 * (InprocServer32 with ThreadingModel Both, ProgID, VersionIndependentProgID, TypeLib, Version),
 * both ProgIDs, and the type library. Unregistering removes exactly those keys.
 *
 * On 64-bit Windows (and in a WoW64 Wine prefix) the x86_64 DLL in system32 and the i686 DLL in
 * syswow64 are registered each by its own regsvr32: the CLSID keys live in each side's registry
 * view, but the ProgID keys and the type library's key are shared by both views. So a DLL
 * unregistering itself leaves a ProgID alone while the other view still registers the class
 * (UnRegisterTypeLib already keeps the other side's entry of the type library).
 */
#include <stdio.h>

#include "module.h"
#include "class_table.h"

#define TYPELIB_VERSION L"1.0"

static HRESULT set_value(HKEY key, const WCHAR *subkey, const WCHAR *name, const WCHAR *value)
{
    HKEY child;
    LSTATUS status;

    status = RegCreateKeyExW(key, subkey, 0, NULL, 0, KEY_WRITE, NULL, &child, NULL);
    if (status != ERROR_SUCCESS)
        return HRESULT_FROM_WIN32(status);
    status = RegSetValueExW(child, name, 0, REG_SZ, (const BYTE *)value,
                            (DWORD)((lstrlenW(value) + 1) * sizeof(WCHAR)));
    RegCloseKey(child);
    return HRESULT_FROM_WIN32(status);
}

/* Deletes a key of HKEY_CLASSES_ROOT with everything below it; a missing key is fine. */
static HRESULT delete_tree(const WCHAR *subkey)
{
    LSTATUS status = RegDeleteTreeW(HKEY_CLASSES_ROOT, subkey);
    if (status == ERROR_SUCCESS || status == ERROR_FILE_NOT_FOUND || status == ERROR_PATH_NOT_FOUND)
        return S_OK;
    return HRESULT_FROM_WIN32(status);
}

static void clsid_key(const CLSID *clsid, WCHAR *key, size_t size)
{
    WCHAR text[39];
    StringFromGUID2(clsid, text, 39);
    _snwprintf(key, size, L"CLSID\\%ls", text);
    key[size - 1] = 0;
}

static HRESULT register_class(const struct coclass_info *info)
{
    WCHAR key[64], sub[128], clsid[39], libid[39];
    HRESULT hr;

    StringFromGUID2(info->clsid, clsid, 39);
    StringFromGUID2(&LIBID_IMAPI2FS, libid, 39);
    clsid_key(info->clsid, key, ARRAY_SIZE(key));

    hr = set_value(HKEY_CLASSES_ROOT, key, NULL, info->description);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\InprocServer32", key);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, module_path());
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, L"ThreadingModel", L"Both");
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\ProgID", key);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, info->progid);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\VersionIndependentProgID", key);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, info->vi_progid);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\TypeLib", key);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, libid);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\Version", key);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, TYPELIB_VERSION);

    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, info->progid, NULL, info->description);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\CLSID", info->progid);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, clsid);

    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, info->vi_progid, NULL, info->description);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\CLSID", info->vi_progid);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, clsid);
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\CurVer", info->vi_progid);
    if (SUCCEEDED(hr)) hr = set_value(HKEY_CLASSES_ROOT, sub, NULL, info->progid);
    return hr;
}

/* The other registry view than this process's: the 32-bit one for the 64-bit DLL, the 64-bit
 * one for the 32-bit DLL under WoW64; 0 when there is none (32-bit Windows). */
static REGSAM other_registry_view(void)
{
    BOOL wow64 = FALSE;

    if (sizeof(void *) == 8)
        return KEY_WOW64_32KEY;
    if (IsWow64Process(GetCurrentProcess(), &wow64) && wow64)
        return KEY_WOW64_64KEY;
    return 0;
}

/* Whether the other side's DLL still registers the class (its view has an InprocServer32). */
static BOOL registered_in_other_view(const WCHAR *clsid_key_name)
{
    REGSAM view = other_registry_view();
    WCHAR sub[96];
    HKEY key;

    if (!view)
        return FALSE;
    _snwprintf(sub, ARRAY_SIZE(sub), L"%ls\\InprocServer32", clsid_key_name);
    sub[ARRAY_SIZE(sub) - 1] = 0;
    if (RegOpenKeyExW(HKEY_CLASSES_ROOT, sub, 0, KEY_READ | view, &key) != ERROR_SUCCESS)
        return FALSE;
    RegCloseKey(key);
    return TRUE;
}

static HRESULT unregister_class(const struct coclass_info *info)
{
    WCHAR key[64];
    HRESULT hr, result = S_OK;

    clsid_key(info->clsid, key, ARRAY_SIZE(key));
    if (FAILED(hr = delete_tree(key))) result = hr;
    /* The ProgIDs are shared with the other view: kept while its DLL registers the class. */
    if (registered_in_other_view(key))
        return result;
    if (FAILED(hr = delete_tree(info->progid))) result = hr;
    if (FAILED(hr = delete_tree(info->vi_progid))) result = hr;
    return result;
}

static HRESULT register_type_library(void)
{
    ITypeLib *typelib;
    HRESULT hr;

    hr = LoadTypeLibEx(module_path(), REGKIND_NONE, &typelib);
    if (FAILED(hr))
        return hr;
    hr = RegisterTypeLib(typelib, (OLECHAR *)module_path(), NULL);
    ITypeLib_Release(typelib);
    return hr;
}

static HRESULT unregister_type_library(void)
{
    HRESULT hr = UnRegisterTypeLib(&LIBID_IMAPI2FS, 1, 0, LOCALE_NEUTRAL,
                                   sizeof(void *) == 8 ? SYS_WIN64 : SYS_WIN32);
    return hr == TYPE_E_REGISTRYACCESS || hr == TYPE_E_CANTLOADLIBRARY ? S_OK : hr;
}

HRESULT WINAPI DllRegisterServer(void)
{
    HRESULT hr = S_OK;
    size_t i;

    for (i = 0; i < creatable_class_count && SUCCEEDED(hr); i++)
        hr = register_class(&creatable_classes[i]);
    if (SUCCEEDED(hr))
        hr = register_type_library();
    if (FAILED(hr))
        DllUnregisterServer();
    return hr;
}

HRESULT WINAPI DllUnregisterServer(void)
{
    HRESULT hr, result = S_OK;
    size_t i;

    for (i = 0; i < creatable_class_count; i++)
        if (FAILED(hr = unregister_class(&creatable_classes[i])))
            result = hr;
    if (FAILED(hr = unregister_type_library()))
        result = hr;
    return result;
}
