/*
 * DllRegisterServer and DllUnregisterServer: for every creatable class the CLSID key
 * (InprocServer32 with ThreadingModel Both, ProgID, VersionIndependentProgID, TypeLib, Version),
 * both ProgIDs, and the type library. Unregistering removes exactly those keys.
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

static HRESULT unregister_class(const struct coclass_info *info)
{
    WCHAR key[64];
    HRESULT hr, result = S_OK;

    clsid_key(info->clsid, key, ARRAY_SIZE(key));
    if (FAILED(hr = delete_tree(key))) result = hr;
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
