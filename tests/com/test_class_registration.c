/*
 * Registration as Windows has it: every creatable coclass can be made with CoCreateInstance by
 * CLSID, both ProgIDs resolve, InprocServer32 says ThreadingModel Both, the type library is
 * registered (with openfsi's extension classes and interfaces in it), aggregation is refused, and DllCanUnloadNow counts objects and locks.
 */
#include "com_test.h"
#include "openfsi_ext.h"

struct creatable_class {
    const CLSID *clsid;
    const WCHAR *progid;
    const WCHAR *vi_progid;
};

static const struct creatable_class creatable_classes[] = {
    { &CLSID_MsftFileSystemImage, L"IMAPI2FS.MsftFileSystemImage.1", L"IMAPI2FS.MsftFileSystemImage" },
    { &CLSID_MsftIsoImageManager, L"IMAPI2FS.MsftIsoImageManager.1", L"IMAPI2FS.MsftIsoImageManager" },
    { &CLSID_BootOptions, L"IMAPI2FS.BootOptions.1", L"IMAPI2FS.BootOptions" },
    /* openfsi's own extensions */
    { &CLSID_OpenFsiStreamWriter, L"OpenFsi.StreamWriter.1", L"OpenFsi.StreamWriter" },
    { &CLSID_OpenFsiEventConnector, L"OpenFsi.EventConnector.1", L"OpenFsi.EventConnector" },
    { &CLSID_OpenFsiImageFileMedia, L"OpenFsi.ImageFileMedia.1", L"OpenFsi.ImageFileMedia" },
};

/* Classes that only the DLL itself hands out: not registered for CoCreateInstance. */
static const CLSID *const internal_classes[] = {
    &CLSID_FsiStream, &CLSID_FileSystemImageResult, &CLSID_ProgressItem, &CLSID_EnumProgressItems,
    &CLSID_ProgressItems, &CLSID_FsiDirectoryItem, &CLSID_FsiFileItem, &CLSID_EnumFsiItems,
    &CLSID_FsiNamedStreams, &CLSID_BlockRange, &CLSID_BlockRangeList,
};

static void read_clsid_value(const CLSID *clsid, const WCHAR *subkey, const WCHAR *name,
                             WCHAR *value, DWORD size)
{
    WCHAR key[128], text[39];
    DWORD bytes = size * sizeof(WCHAR);

    StringFromGUID2(clsid, text, 39);
    wsprintfW(key, L"CLSID\\%s\\%s", text, subkey);
    assert_int_equal(RegGetValueW(HKEY_CLASSES_ROOT, key, name, RRF_RT_REG_SZ, NULL, value, &bytes),
                     ERROR_SUCCESS);
}

static void test_every_creatable_class_is_made_by_clsid(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(creatable_classes); i++) {
        IUnknown *object = com_test_create(creatable_classes[i].clsid, &IID_IUnknown);
        IUnknown_Release(object);
    }
}

static void test_both_progids_resolve_to_the_clsid(void **state)
{
    size_t i;
    CLSID clsid;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(creatable_classes); i++) {
        assert_hr(S_OK, CLSIDFromProgID(creatable_classes[i].progid, &clsid));
        assert_true(IsEqualCLSID(&clsid, creatable_classes[i].clsid));
        assert_hr(S_OK, CLSIDFromProgID(creatable_classes[i].vi_progid, &clsid));
        assert_true(IsEqualCLSID(&clsid, creatable_classes[i].clsid));
    }
}

static void test_clsid_keys_name_the_dll_progids_and_threading_model(void **state)
{
    WCHAR value[MAX_PATH];
    size_t i, length;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(creatable_classes); i++) {
        read_clsid_value(creatable_classes[i].clsid, L"InprocServer32", L"ThreadingModel", value,
                         MAX_PATH);
        assert_int_equal(lstrcmpW(value, L"Both"), 0);
        read_clsid_value(creatable_classes[i].clsid, L"InprocServer32", NULL, value, MAX_PATH);
        length = lstrlenW(value);
        assert_true(length > 12);
        assert_int_equal(lstrcmpiW(value + length - 12, L"imapi2fs.dll"), 0);
        assert_int_not_equal(GetFileAttributesW(value), INVALID_FILE_ATTRIBUTES);
        read_clsid_value(creatable_classes[i].clsid, L"ProgID", NULL, value, MAX_PATH);
        assert_int_equal(lstrcmpW(value, creatable_classes[i].progid), 0);
        read_clsid_value(creatable_classes[i].clsid, L"VersionIndependentProgID", NULL, value,
                         MAX_PATH);
        assert_int_equal(lstrcmpW(value, creatable_classes[i].vi_progid), 0);
    }
}

static void test_version_independent_progid_points_to_current_version(void **state)
{
    WCHAR key[128], value[128];
    DWORD bytes;
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(creatable_classes); i++) {
        bytes = sizeof(value);
        wsprintfW(key, L"%s\\CurVer", creatable_classes[i].vi_progid);
        assert_int_equal(RegGetValueW(HKEY_CLASSES_ROOT, key, NULL, RRF_RT_REG_SZ, NULL, value,
                                      &bytes), ERROR_SUCCESS);
        assert_int_equal(lstrcmpW(value, creatable_classes[i].progid), 0);
    }
}

static void test_type_library_is_registered(void **state)
{
    ITypeLib *typelib = NULL;
    TLIBATTR *attr;
    (void)state;
    assert_hr(S_OK, LoadRegTypeLib(&LIBID_IMAPI2FS, 1, 0, LOCALE_NEUTRAL, &typelib));
    assert_hr(S_OK, ITypeLib_GetLibAttr(typelib, &attr));
    assert_true(IsEqualGUID(&attr->guid, &LIBID_IMAPI2FS));
    assert_int_equal(attr->wMajorVerNum, 1);
    assert_int_equal(attr->wMinorVerNum, 0);
    ITypeLib_ReleaseTLibAttr(typelib, attr);
    ITypeLib_Release(typelib);
}

/* The extension interfaces are registered with the type library, as Microsoft's are. */
static void test_extension_interfaces_are_registered_with_the_type_library(void **state)
{
    static const IID *const iids[] = {
        &IID_IOpenFsiStreamWriter, &IID_DOpenFsiStreamWriterEvents, &IID_IOpenFsiEventConnector,
        &IID_IOpenFsiImageFileMedia, &IID_IMultisessionSequential2, &IID_IMultisessionRandomWrite,
        &IID_IFileSystemImage,
    };
    WCHAR key[128], text[39], value[39];
    ITypeLib *typelib = NULL;
    ITypeInfo *info = NULL;
    DWORD bytes;
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(iids); i++) {
        StringFromGUID2(iids[i], text, 39);
        wsprintfW(key, L"Interface\\%s\\TypeLib", text);
        bytes = sizeof(value);
        assert_int_equal(RegGetValueW(HKEY_CLASSES_ROOT, key, NULL, RRF_RT_REG_SZ, NULL, value,
                                      &bytes), ERROR_SUCCESS);
        StringFromGUID2(&LIBID_IMAPI2FS, text, 39);
        assert_int_equal(lstrcmpiW(value, text), 0);
    }
    assert_hr(S_OK, LoadRegTypeLib(&LIBID_IMAPI2FS, 1, 0, LOCALE_NEUTRAL, &typelib));
    assert_hr(S_OK, ITypeLib_GetTypeInfoOfGuid(typelib, &CLSID_OpenFsiStreamWriter, &info));
    ITypeInfo_Release(info);
    assert_hr(S_OK, ITypeLib_GetTypeInfoOfGuid(typelib, &CLSID_OpenFsiEventConnector, &info));
    ITypeInfo_Release(info);
    assert_hr(S_OK, ITypeLib_GetTypeInfoOfGuid(typelib, &CLSID_OpenFsiImageFileMedia, &info));
    ITypeInfo_Release(info);
    ITypeLib_Release(typelib);
}

static void test_internal_classes_are_not_creatable(void **state)
{
    IUnknown *object;
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(internal_classes); i++) {
        object = (IUnknown *)0xdeadbeef;
        assert_hr(REGDB_E_CLASSNOTREG, CoCreateInstance(internal_classes[i], NULL,
                                                        CLSCTX_INPROC_SERVER, &IID_IUnknown,
                                                        (void **)&object));
        assert_null(object);
    }
}

static void test_aggregation_is_refused(void **state)
{
    IUnknown *outer = com_test_create(&CLSID_BootOptions, &IID_IUnknown);
    IUnknown *object = (IUnknown *)0xdeadbeef;
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(creatable_classes); i++) {
        assert_hr(CLASS_E_NOAGGREGATION, CoCreateInstance(creatable_classes[i].clsid, outer,
                                                          CLSCTX_INPROC_SERVER, &IID_IUnknown,
                                                          (void **)&object));
        assert_null(object);
    }
    IUnknown_Release(outer);
}

typedef HRESULT(WINAPI *get_class_object_fn)(REFCLSID, REFIID, void **);
typedef HRESULT(WINAPI *can_unload_fn)(void);

static HMODULE load_registered_dll(void)
{
    WCHAR path[MAX_PATH];
    HMODULE dll;
    read_clsid_value(&CLSID_MsftFileSystemImage, L"InprocServer32", NULL, path, MAX_PATH);
    dll = LoadLibraryW(path);
    assert_non_null(dll);
    return dll;
}

static void test_can_unload_counts_objects_factories_and_locks(void **state)
{
    HMODULE dll = load_registered_dll();
    get_class_object_fn get_class_object =
        (get_class_object_fn)(void (*)(void))GetProcAddress(dll, "DllGetClassObject");
    can_unload_fn can_unload = (can_unload_fn)(void (*)(void))GetProcAddress(dll, "DllCanUnloadNow");
    IClassFactory *factory = NULL;
    IUnknown *object = NULL;
    (void)state;

    assert_non_null(get_class_object);
    assert_non_null(can_unload);
    CoFreeUnusedLibraries();
    assert_hr(S_OK, can_unload());

    assert_hr(S_OK, get_class_object(&CLSID_MsftFileSystemImage, &IID_IClassFactory,
                                     (void **)&factory));
    assert_hr(S_FALSE, can_unload());
    assert_hr(S_OK, IClassFactory_CreateInstance(factory, NULL, &IID_IUnknown, (void **)&object));
    assert_hr(S_OK, IClassFactory_LockServer(factory, TRUE));
    IClassFactory_Release(factory);
    assert_hr(S_FALSE, can_unload());
    IUnknown_Release(object);
    assert_hr(S_FALSE, can_unload());               /* the lock is still held */
    assert_hr(S_OK, get_class_object(&CLSID_MsftFileSystemImage, &IID_IClassFactory,
                                     (void **)&factory));
    assert_hr(S_OK, IClassFactory_LockServer(factory, FALSE));
    IClassFactory_Release(factory);
    assert_hr(S_OK, can_unload());
    FreeLibrary(dll);
}

static void test_class_object_for_unknown_clsid_is_not_available(void **state)
{
    HMODULE dll = load_registered_dll();
    get_class_object_fn get_class_object =
        (get_class_object_fn)(void (*)(void))GetProcAddress(dll, "DllGetClassObject");
    void *factory = (void *)0xdeadbeef;
    (void)state;

    assert_hr(CLASS_E_CLASSNOTAVAILABLE, get_class_object(&CLSID_FsiStream, &IID_IClassFactory,
                                                          &factory));
    assert_null(factory);
    assert_hr(E_POINTER, get_class_object(&CLSID_BootOptions, &IID_IClassFactory, NULL));
    FreeLibrary(dll);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_creatable_class_is_made_by_clsid),
        cmocka_unit_test(test_both_progids_resolve_to_the_clsid),
        cmocka_unit_test(test_clsid_keys_name_the_dll_progids_and_threading_model),
        cmocka_unit_test(test_version_independent_progid_points_to_current_version),
        cmocka_unit_test(test_type_library_is_registered),
        cmocka_unit_test(test_extension_interfaces_are_registered_with_the_type_library),
        cmocka_unit_test(test_internal_classes_are_not_creatable),
        cmocka_unit_test(test_aggregation_is_refused),
        cmocka_unit_test(test_can_unload_counts_objects_factories_and_locks),
        cmocka_unit_test(test_class_object_for_unknown_clsid_is_not_available),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
