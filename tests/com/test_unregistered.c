/*
 * Runs after `regsvr32 /u`: none of the keys DllRegisterServer wrote is left — no CLSID key, no
 * ProgID, no type library registration — and creating the classes fails as for any unknown class.
 */
#include "com_test.h"
#include "openfsi_ext.h"

static const CLSID *const registered_clsids[] = {
    &CLSID_MsftFileSystemImage, &CLSID_MsftIsoImageManager, &CLSID_BootOptions,
    &CLSID_OpenFsiStreamWriter, &CLSID_OpenFsiEventConnector,
};

static const WCHAR *const registered_progids[] = {
    L"IMAPI2FS.MsftFileSystemImage.1", L"IMAPI2FS.MsftFileSystemImage",
    L"IMAPI2FS.MsftIsoImageManager.1", L"IMAPI2FS.MsftIsoImageManager",
    L"IMAPI2FS.BootOptions.1", L"IMAPI2FS.BootOptions",
    L"OpenFsi.StreamWriter.1", L"OpenFsi.StreamWriter",
    L"OpenFsi.EventConnector.1", L"OpenFsi.EventConnector",
};

static int key_exists(HKEY root, const WCHAR *path)
{
    HKEY key;
    if (RegOpenKeyExW(root, path, 0, KEY_READ, &key) != ERROR_SUCCESS)
        return 0;
    RegCloseKey(key);
    return 1;
}

static void test_no_clsid_key_is_left(void **state)
{
    WCHAR key[64], text[39];
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(registered_clsids); i++) {
        StringFromGUID2(registered_clsids[i], text, 39);
        wsprintfW(key, L"CLSID\\%s", text);
        assert_false(key_exists(HKEY_CLASSES_ROOT, key));
    }
}

static void test_no_progid_is_left(void **state)
{
    CLSID clsid;
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(registered_progids); i++) {
        assert_false(key_exists(HKEY_CLASSES_ROOT, registered_progids[i]));
        assert_hr(CO_E_CLASSSTRING, CLSIDFromProgID(registered_progids[i], &clsid));
    }
}

static void test_type_library_registration_is_gone(void **state)
{
    WCHAR key[64], text[39];
    ITypeLib *typelib = NULL;
    (void)state;
    StringFromGUID2(&LIBID_IMAPI2FS, text, 39);
    wsprintfW(key, L"TypeLib\\%s", text);
    assert_false(key_exists(HKEY_CLASSES_ROOT, key));
    assert_true(FAILED(LoadRegTypeLib(&LIBID_IMAPI2FS, 1, 0, LOCALE_NEUTRAL, &typelib)));
}

static void test_interfaces_of_the_type_library_are_gone(void **state)
{
    static const IID *const iids[] = {
        &IID_IFileSystemImage, &IID_IBootOptions,
        &IID_IOpenFsiStreamWriter, &IID_DOpenFsiStreamWriterEvents, &IID_IOpenFsiEventConnector,
    };
    WCHAR key[64], text[39];
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(iids); i++) {
        StringFromGUID2(iids[i], text, 39);
        wsprintfW(key, L"Interface\\%s", text);
        assert_false(key_exists(HKEY_CLASSES_ROOT, key));
    }
}

static void test_classes_can_no_longer_be_created(void **state)
{
    IUnknown *object = NULL;
    size_t i;
    (void)state;
    for (i = 0; i < ARRAY_SIZE(registered_clsids); i++)
        assert_hr(REGDB_E_CLASSNOTREG, CoCreateInstance(registered_clsids[i], NULL,
                                                        CLSCTX_INPROC_SERVER, &IID_IUnknown,
                                                        (void **)&object));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_clsid_key_is_left),
        cmocka_unit_test(test_no_progid_is_left),
        cmocka_unit_test(test_type_library_registration_is_gone),
        cmocka_unit_test(test_interfaces_of_the_type_library_are_gone),
        cmocka_unit_test(test_classes_can_no_longer_be_created),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
