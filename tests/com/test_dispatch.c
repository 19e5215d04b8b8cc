/*
 * IDispatch on the objects, as scripts use it: names map to Microsoft's DISPIDs, properties are
 * read and written through Invoke, and a failing method comes back as DISP_E_EXCEPTION with the
 * HRESULT and its message in EXCEPINFO.
 */
#include "com_test.h"

static DISPID dispid_of(IDispatch *dispatch, const WCHAR *name)
{
    LPOLESTR names[1] = { (LPOLESTR)name };
    DISPID id = DISPID_UNKNOWN;
    assert_hr(S_OK, IDispatch_GetIDsOfNames(dispatch, &IID_NULL, names, 1, LOCALE_USER_DEFAULT, &id));
    return id;
}

static void test_names_map_to_microsofts_dispids(void **state)
{
    IDispatch *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IDispatch);
    IDispatch *boot = com_test_create(&CLSID_BootOptions, &IID_IDispatch);
    IDispatch *manager = com_test_create(&CLSID_MsftIsoImageManager, &IID_IDispatch);
    (void)state;

    assert_int_equal(dispid_of(image, L"Root"), DISPID_IFILESYSTEMIMAGE_ROOT);
    assert_int_equal(dispid_of(image, L"VolumeName"), DISPID_IFILESYSTEMIMAGE_VOLUMENAME);
    assert_int_equal(dispid_of(image, L"volumename"), DISPID_IFILESYSTEMIMAGE_VOLUMENAME);
    assert_int_equal(dispid_of(image, L"CreateResultImage"),
                     DISPID_IFILESYSTEMIMAGE_CREATERESULTIMAGE);
    assert_int_equal(dispid_of(image, L"FileSystemsSupported"),
                     DISPID_IFILESYSTEMIMAGE_FILESYSTEMSSUPPORTED);
    assert_int_equal(dispid_of(image, L"BootImageOptionsArray"),
                     DISPID_IFILESYSTEMIMAGE2_BOOTIMAGEOPTIONSARRAY);
    assert_int_equal(dispid_of(image, L"ProbeSpecificFileSystem"),
                     DISPID_IFILESYSTEMIMAGE3_PROBESPECIFICFILESYSTEM);
    assert_int_equal(dispid_of(boot, L"Manufacturer"), DISPID_IBOOTOPTIONS_MANUFACTURER);
    assert_int_equal(dispid_of(boot, L"AssignBootImage"), DISPID_IBOOTOPTIONS_ASSIGNBOOTIMAGE);
    assert_int_equal(dispid_of(manager, L"Path"), DISPID_IISOIMAGEMANAGER_PATH);
    assert_int_equal(dispid_of(manager, L"Validate"), DISPID_IISOIMAGEMANAGER_VALIDATE);

    IDispatch_Release(manager);
    IDispatch_Release(boot);
    IDispatch_Release(image);
}

static void test_unknown_name_is_reported(void **state)
{
    IDispatch *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IDispatch);
    LPOLESTR names[1] = { (LPOLESTR)L"NoSuchProperty" };
    DISPID id;
    (void)state;
    assert_hr(DISP_E_UNKNOWNNAME, IDispatch_GetIDsOfNames(image, &IID_NULL, names, 1, 0, &id));
    IDispatch_Release(image);
}

static void test_type_info_describes_the_most_derived_interface(void **state)
{
    IDispatch *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IDispatch);
    ITypeInfo *info = NULL;
    TYPEATTR *attr;
    UINT count = 0;
    (void)state;

    assert_hr(S_OK, IDispatch_GetTypeInfoCount(image, &count));
    assert_int_equal(count, 1);
    assert_hr(S_OK, IDispatch_GetTypeInfo(image, 0, LOCALE_USER_DEFAULT, &info));
    assert_hr(S_OK, ITypeInfo_GetTypeAttr(info, &attr));
    assert_true(IsEqualGUID(&attr->guid, &IID_IFileSystemImage3));
    ITypeInfo_ReleaseTypeAttr(info, attr);
    ITypeInfo_Release(info);
    assert_hr(DISP_E_BADINDEX, IDispatch_GetTypeInfo(image, 1, LOCALE_USER_DEFAULT, &info));
    IDispatch_Release(image);
}

/* Sets VolumeName through IDispatch::Invoke as a script engine does (a named DISPID_PROPERTYPUT
   argument); `excep` may be NULL. */
static HRESULT invoke_put_volume_name(IDispatch *image, const WCHAR *name, EXCEPINFO *excep)
{
    DISPID put_id = DISPID_PROPERTYPUT;
    DISPPARAMS put = { 0 };
    VARIANT value;
    HRESULT hr;

    V_VT(&value) = VT_BSTR;
    V_BSTR(&value) = SysAllocString(name);
    put.rgvarg = &value;
    put.cArgs = 1;
    put.rgdispidNamedArgs = &put_id;
    put.cNamedArgs = 1;
    hr = IDispatch_Invoke(image, DISPID_IFILESYSTEMIMAGE_VOLUMENAME, &IID_NULL, 0,
                          DISPATCH_PROPERTYPUT, &put, NULL, excep, NULL);
    VariantClear(&value);
    return hr;
}

static void test_property_put_and_get_through_invoke(void **state)
{
    IDispatch *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IDispatch);
    DISPPARAMS get = { 0 };
    VARIANT result;
    (void)state;

    assert_hr(S_OK, invoke_put_volume_name(image, L"SCRIPTED", NULL));

    VariantInit(&result);
    assert_hr(S_OK, IDispatch_Invoke(image, DISPID_IFILESYSTEMIMAGE_VOLUMENAME, &IID_NULL, 0,
                                     DISPATCH_PROPERTYGET, &get, &result, NULL, NULL));
    assert_int_equal(V_VT(&result), VT_BSTR);
    assert_int_equal(lstrcmpW(V_BSTR(&result), L"SCRIPTED"), 0);
    VariantClear(&result);

    assert_hr(S_OK, IDispatch_Invoke(image, DISPID_IFILESYSTEMIMAGE_FILESYSTEMSSUPPORTED,
                                     &IID_NULL, 0, DISPATCH_PROPERTYGET, &get, &result, NULL,
                                     NULL));
    assert_int_equal(V_VT(&result), VT_I4);
    assert_int_equal(V_I4(&result), FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF);
    IDispatch_Release(image);
}

static void test_failure_reaches_the_caller_as_an_exception(void **state)
{
    IDispatch *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IDispatch);
    EXCEPINFO excep;
    (void)state;

    memset(&excep, 0, sizeof(excep));
    assert_hr(DISP_E_EXCEPTION, invoke_put_volume_name(
                                    image, L"A label far longer than any disc file system can record",
                                    &excep));
    assert_hr(IMAPI_E_INVALID_VOLUME_NAME, excep.scode);
    assert_non_null(excep.bstrDescription);
    assert_true(SysStringLen(excep.bstrDescription) > 10);
    SysFreeString(excep.bstrDescription);
    SysFreeString(excep.bstrSource);
    SysFreeString(excep.bstrHelpFile);
    IDispatch_Release(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_map_to_microsofts_dispids),
        cmocka_unit_test(test_unknown_name_is_reported),
        cmocka_unit_test(test_type_info_describes_the_most_derived_interface),
        cmocka_unit_test(test_property_put_and_get_through_invoke),
        cmocka_unit_test(test_failure_reaches_the_caller_as_an_exception),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
