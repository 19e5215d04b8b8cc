/*
 * MsftIsoImageManager: an image named by path opens a stream on the file, an image given as a
 * stream is kept, bad paths fail with a message, and Validate says it is not implemented yet.
 */
#include "com_test.h"

static IIsoImageManager *create_manager(void)
{
    return com_test_create(&CLSID_MsftIsoImageManager, &IID_IIsoImageManager);
}

static void make_file(const WCHAR *path, DWORD size)
{
    HANDLE file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_int_not_equal(SetFilePointer(file, (LONG)size, NULL, FILE_BEGIN), INVALID_SET_FILE_POINTER);
    assert_true(SetEndOfFile(file));
    CloseHandle(file);
}

static void test_path_opens_a_stream_on_the_file(void **state)
{
    IIsoImageManager *manager = create_manager();
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    BSTR bpath, read = NULL;
    IStream *stream = NULL;
    STATSTG stat;
    (void)state;

    GetTempPathW(MAX_PATH, dir);
    GetTempFileNameW(dir, L"fsi", 0, path);
    make_file(path, 16 * 2048);
    bpath = SysAllocString(path);

    assert_hr(S_OK, IIsoImageManager_SetPath(manager, bpath));
    assert_hr(S_OK, IIsoImageManager_get_Path(manager, &read));
    assert_int_equal(lstrcmpW(read, path), 0);
    assert_hr(S_OK, IIsoImageManager_get_Stream(manager, &stream));
    assert_non_null(stream);
    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_NONAME));
    assert_int_equal(stat.cbSize.QuadPart, 16 * 2048);
    IStream_Release(stream);
    IIsoImageManager_Release(manager);
    SysFreeString(read);
    SysFreeString(bpath);
    DeleteFileW(path);
}

static void test_missing_file_fails_and_says_why(void **state)
{
    IIsoImageManager *manager = create_manager();
    BSTR path = SysAllocString(L"C:\\no\\such\\dir\\image.iso");
    BSTR text;
    HRESULT hr;
    (void)state;

    SetErrorInfo(0, NULL);
    hr = IIsoImageManager_SetPath(manager, path);
    assert_true(FAILED(hr));
    text = com_test_error_description();
    assert_non_null(text);
    assert_non_null(wcsstr(text, L"cannot be opened"));
    SysFreeString(text);
    assert_hr(E_INVALIDARG, IIsoImageManager_SetPath(manager, NULL));
    SysFreeString(path);
    IIsoImageManager_Release(manager);
}

static void test_stream_is_kept_and_path_cleared(void **state)
{
    IIsoImageManager *manager = create_manager();
    IStream *stream = NULL, *read = NULL;
    BSTR path = NULL;
    (void)state;

    assert_hr(S_OK, CreateStreamOnHGlobal(NULL, TRUE, &stream));
    assert_hr(S_OK, IIsoImageManager_SetStream(manager, stream));
    assert_hr(S_OK, IIsoImageManager_get_Stream(manager, &read));
    assert_ptr_equal(read, stream);
    IStream_Release(read);
    assert_hr(S_OK, IIsoImageManager_get_Path(manager, &path));
    assert_int_equal(SysStringLen(path), 0);
    SysFreeString(path);
    assert_hr(E_POINTER, IIsoImageManager_SetStream(manager, NULL));
    assert_hr(E_POINTER, IIsoImageManager_get_Stream(manager, NULL));
    IIsoImageManager_Release(manager);
    IStream_Release(stream);
}

static void test_validate_needs_an_image_and_is_not_implemented_yet(void **state)
{
    IIsoImageManager *manager = create_manager();
    IStream *stream = NULL;
    (void)state;

    assert_hr(E_UNEXPECTED, IIsoImageManager_Validate(manager));
    assert_hr(S_OK, CreateStreamOnHGlobal(NULL, TRUE, &stream));
    assert_hr(S_OK, IIsoImageManager_SetStream(manager, stream));
    assert_hr(E_NOTIMPL, IIsoImageManager_Validate(manager));
    IIsoImageManager_Release(manager);
    IStream_Release(stream);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_opens_a_stream_on_the_file),
        cmocka_unit_test(test_missing_file_fails_and_says_why),
        cmocka_unit_test(test_stream_is_kept_and_path_cleared),
        cmocka_unit_test(test_validate_needs_an_image_and_is_not_implemented_yet),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
