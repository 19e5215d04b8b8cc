/*
 * MsftIsoImageManager: an image named by path opens a stream on the file, an image given as a
 * stream is kept, bad paths fail with a message, and Validate reads the image with the engine's
 * readers: our ISO 9660, Joliet and UDF images pass (the stream keeps its position); unaligned,
 * empty, truncated and corrupt ones fail with Microsoft's codes and a message saying where.
 */
#include "com_test.h"
#include "fsi_test_util.h"

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

/* The last failure's IErrorInfo description contains `text`. */
static void assert_error_mentions(const WCHAR *text)
{
    BSTR description = com_test_error_description();
    assert_non_null(description);
    if (!wcsstr(description, text))
        fail_msg("\"%ls\" is not in the error description \"%ls\"", text, description);
    SysFreeString(description);
}

/* An HGLOBAL stream holding `size` bytes of `data` (NULL: zeros). */
static IStream *memory_stream(const BYTE *data, SIZE_T size)
{
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE | GMEM_ZEROINIT, size ? size : 1);
    IStream *stream = NULL;
    ULARGE_INTEGER length;

    assert_non_null(memory);
    if (data)
        memcpy(GlobalLock(memory), data, size), GlobalUnlock(memory);
    assert_hr(S_OK, CreateStreamOnHGlobal(memory, TRUE, &stream));
    length.QuadPart = size;
    assert_hr(S_OK, IStream_SetSize(stream, length));
    return stream;
}

static HRESULT validate(IIsoImageManager *manager, IStream *stream)
{
    assert_hr(S_OK, IIsoImageManager_SetStream(manager, stream));
    return IIsoImageManager_Validate(manager);
}

/* The bytes of an image of a small tree with the given file systems. */
static BYTE *image_bytes(LONG file_systems, ULONG *sectors)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    BYTE *bytes;

    fsi_test_add_directory(root, L"dir");
    fsi_test_add_file(root, L"dir\\a.bin", 5000, 1);
    fsi_test_add_file(root, L"b.txt", 10, 2);
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, file_systems));
    bytes = fsi_test_read_image(image, sectors);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
    return bytes;
}

static void test_validate_needs_an_image(void **state)
{
    IIsoImageManager *manager = create_manager();
    (void)state;

    assert_hr(IMAPI_E_IMAGEMANAGER_NO_IMAGE, IIsoImageManager_Validate(manager));
    assert_error_mentions(L"SetPath");
    IIsoImageManager_Release(manager);
}

static void test_validate_accepts_our_images_and_leaves_the_stream_where_it_was(void **state)
{
    static const LONG systems[] = { FsiFileSystemISO9660, FsiFileSystemISO9660 | FsiFileSystemJoliet,
                                    FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF,
                                    FsiFileSystemUDF };
    IIsoImageManager *manager = create_manager();
    size_t i;
    (void)state;

    for (i = 0; i < ARRAY_SIZE(systems); i++) {
        ULONG sectors = 0;
        BYTE *bytes = image_bytes(systems[i], &sectors);
        IStream *stream = memory_stream(bytes, (SIZE_T)sectors * 2048);
        LARGE_INTEGER move;
        ULARGE_INTEGER at;
        move.QuadPart = 4096;
        assert_hr(S_OK, IStream_Seek(stream, move, STREAM_SEEK_SET, NULL));
        assert_hr(S_OK, validate(manager, stream));
        move.QuadPart = 0;
        assert_hr(S_OK, IStream_Seek(stream, move, STREAM_SEEK_CUR, &at));
        assert_int_equal(at.QuadPart, 4096);
        IStream_Release(stream);
        free(bytes);
    }
    IIsoImageManager_Release(manager);
}

static void test_validate_rejects_unaligned_empty_truncated_and_corrupt_images(void **state)
{
    IIsoImageManager *manager = create_manager();
    ULONG sectors = 0, root;
    BYTE *bytes = image_bytes(FsiFileSystemISO9660 | FsiFileSystemJoliet, &sectors);
    IStream *stream;
    (void)state;

    stream = memory_stream(bytes, 1000);
    assert_hr(IMAPI_E_IMAGEMANAGER_IMAGE_NOT_ALIGNED, validate(manager, stream));
    IStream_Release(stream);
    stream = memory_stream(NULL, 64 * 2048);
    assert_hr(IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND, validate(manager, stream));
    assert_error_mentions(L"no ISO 9660, Joliet or UDF");
    IStream_Release(stream);
    /* Cut after the volume descriptors: the directories are missing. */
    stream = memory_stream(bytes, 19 * 2048);
    assert_hr(IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND, validate(manager, stream));
    assert_error_mentions(L"sector");
    IStream_Release(stream);
    /* The Joliet root's extent pointed beyond the image. */
    root = 17 * 2048 + 156 + 2;
    bytes[root] = 0xF0, bytes[root + 1] = 0xFF, bytes[root + 2] = 0xFF, bytes[root + 3] = 0x0F;
    stream = memory_stream(bytes, (SIZE_T)sectors * 2048);
    assert_hr(IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND, validate(manager, stream));
    assert_error_mentions(L"beyond the end");
    IStream_Release(stream);
    free(bytes);
    IIsoImageManager_Release(manager);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_opens_a_stream_on_the_file),
        cmocka_unit_test(test_missing_file_fails_and_says_why),
        cmocka_unit_test(test_stream_is_kept_and_path_cleared),
        cmocka_unit_test(test_validate_needs_an_image),
        cmocka_unit_test(test_validate_accepts_our_images_and_leaves_the_stream_where_it_was),
        cmocka_unit_test(test_validate_rejects_unaligned_empty_truncated_and_corrupt_images),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
