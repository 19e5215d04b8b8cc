/*
 * MsftFileSystemImage at this stage: the volume name round-trips and is checked, the supported
 * file systems are Microsoft's, pointers are checked, and the methods that need the engine say
 * E_NOTIMPL.
 */
#include "com_test.h"

static IFileSystemImage *create_image(void)
{
    return com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
}

static void test_volume_name_round_trips(void **state)
{
    IFileSystemImage *image = create_image();
    BSTR name = SysAllocString(L"Holiday 2026"), read = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_put_VolumeName(image, name));
    assert_hr(S_OK, IFileSystemImage_get_VolumeName(image, &read));
    assert_int_equal(lstrcmpW(read, name), 0);
    SysFreeString(read);
    SysFreeString(name);
    IFileSystemImage_Release(image);
}

static void test_volume_name_starts_empty_and_accepts_empty(void **state)
{
    IFileSystemImage *image = create_image();
    BSTR read = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_get_VolumeName(image, &read));
    assert_int_equal(SysStringLen(read), 0);
    SysFreeString(read);
    assert_hr(S_OK, IFileSystemImage_put_VolumeName(image, NULL));
    IFileSystemImage_Release(image);
}

static void test_invalid_volume_names_are_refused_and_old_name_kept(void **state)
{
    IFileSystemImage *image = create_image();
    BSTR good = SysAllocString(L"KEEP");
    BSTR long_name = SysAllocString(L"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456");    /* 33 */
    BSTR control = SysAllocString(L"TAB\tNAME");
    BSTR read = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_put_VolumeName(image, good));
    assert_hr(IMAPI_E_INVALID_VOLUME_NAME, IFileSystemImage_put_VolumeName(image, long_name));
    assert_hr(IMAPI_E_INVALID_VOLUME_NAME, IFileSystemImage_put_VolumeName(image, control));
    assert_hr(S_OK, IFileSystemImage_get_VolumeName(image, &read));
    assert_int_equal(lstrcmpW(read, L"KEEP"), 0);
    SysFreeString(read);
    SysFreeString(control);
    SysFreeString(long_name);
    SysFreeString(good);
    IFileSystemImage_Release(image);
}

static void test_file_systems_supported_are_iso9660_joliet_and_udf(void **state)
{
    IFileSystemImage *image = create_image();
    FsiFileSystems systems = FsiFileSystemNone;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_get_FileSystemsSupported(image, &systems));
    assert_int_equal(systems, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF);
    IFileSystemImage_Release(image);
}

static void test_null_out_pointers_are_refused(void **state)
{
    IFileSystemImage *image = create_image();
    (void)state;

    assert_hr(E_POINTER, IFileSystemImage_get_VolumeName(image, NULL));
    assert_hr(E_POINTER, IFileSystemImage_get_FileSystemsSupported(image, NULL));
    IFileSystemImage_Release(image);
}

static void test_engine_methods_are_not_implemented_yet(void **state)
{
    IFileSystemImage3 *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage3);
    IFsiDirectoryItem *root = NULL;
    VARIANT_BOOL appendable;
    (void)state;

    assert_hr(E_NOTIMPL, IFileSystemImage3_get_Root(image, &root));
    assert_hr(E_NOTIMPL, IFileSystemImage3_ProbeSpecificFileSystem(image, FsiFileSystemUDF,
                                                                    &appendable));
    assert_null(root);
    IFileSystemImage3_Release(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_volume_name_round_trips),
        cmocka_unit_test(test_volume_name_starts_empty_and_accepts_empty),
        cmocka_unit_test(test_invalid_volume_names_are_refused_and_old_name_kept),
        cmocka_unit_test(test_file_systems_supported_are_iso9660_joliet_and_udf),
        cmocka_unit_test(test_null_out_pointers_are_refused),
        cmocka_unit_test(test_engine_methods_are_not_implemented_yet),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
