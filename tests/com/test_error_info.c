/*
 * Every failure carries a readable IErrorInfo: the objects say they support error info for their
 * interfaces, and a failing call leaves a description, source and interface GUID behind.
 */
#include "com_test.h"

static void test_objects_support_error_info_for_their_interfaces(void **state)
{
    IFileSystemImage *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
    ISupportErrorInfo *support = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_QueryInterface(image, &IID_ISupportErrorInfo,
                                                    (void **)&support));
    assert_hr(S_OK, ISupportErrorInfo_InterfaceSupportsErrorInfo(support, &IID_IFileSystemImage));
    assert_hr(S_OK, ISupportErrorInfo_InterfaceSupportsErrorInfo(support, &IID_IFileSystemImage2));
    assert_hr(S_OK, ISupportErrorInfo_InterfaceSupportsErrorInfo(support, &IID_IFileSystemImage3));
    assert_hr(S_FALSE, ISupportErrorInfo_InterfaceSupportsErrorInfo(support, &IID_IStream));
    ISupportErrorInfo_Release(support);
    IFileSystemImage_Release(image);
}

static void test_failure_leaves_description_source_and_guid(void **state)
{
    IFileSystemImage *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
    BSTR name = SysAllocString(L"0123456789012345678901234567890123456789");
    IErrorInfo *info = NULL;
    BSTR text = NULL;
    GUID guid;
    (void)state;

    SetErrorInfo(0, NULL);
    assert_hr(IMAPI_E_INVALID_VOLUME_NAME, IFileSystemImage_put_VolumeName(image, name));
    assert_hr(S_OK, GetErrorInfo(0, &info));
    assert_hr(S_OK, IErrorInfo_GetDescription(info, &text));
    assert_non_null(text);
    assert_non_null(wcsstr(text, L"32 characters"));
    SysFreeString(text);
    assert_hr(S_OK, IErrorInfo_GetSource(info, &text));
    assert_int_equal(lstrcmpW(text, L"IMAPI2FS"), 0);
    SysFreeString(text);
    assert_hr(S_OK, IErrorInfo_GetGUID(info, &guid));
    assert_true(IsEqualGUID(&guid, &IID_IFileSystemImage));
    IErrorInfo_Release(info);
    SysFreeString(name);
    IFileSystemImage_Release(image);
}

static void test_null_out_pointer_is_described_too(void **state)
{
    IBootOptions *boot = com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
    BSTR text;
    (void)state;

    SetErrorInfo(0, NULL);
    assert_hr(E_POINTER, IBootOptions_get_Manufacturer(boot, NULL));
    text = com_test_error_description();
    assert_non_null(text);
    assert_true(SysStringLen(text) > 0);
    SysFreeString(text);
    IBootOptions_Release(boot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objects_support_error_info_for_their_interfaces),
        cmocka_unit_test(test_failure_leaves_description_source_and_guid),
        cmocka_unit_test(test_null_out_pointer_is_described_too),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
