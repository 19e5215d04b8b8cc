/*
 * MsftFileSystemImage: the volume name and its per-file-system forms, Microsoft's documented
 * defaults and the checks on each setting, change points, Exists, UsedBlocks and the media
 * limit, per-media defaults (also from a recorder), snapshots taken by CreateResultImage, Update
 * events, and the parts that are later work (import) saying E_NOTIMPL or the error Microsoft
 * documents. UDF images are test_udf_image.c's, boot images test_eltorito_image.c's.
 */
#include "event_sink.h"
#include "fsi_test_util.h"
#include "recorder_double.h"

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

static void assert_long(HRESULT (STDMETHODCALLTYPE *get)(IFileSystemImage3 *, LONG *),
                        IFileSystemImage3 *image, LONG expected)
{
    LONG value = -12345;
    assert_hr(S_OK, get(image, &value));
    assert_int_equal(value, expected);
}

static void test_defaults_are_microsofts(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    const IFileSystemImage3Vtbl *v = image->lpVtbl;
    FsiFileSystems systems = 0;
    VARIANT_BOOL flag;
    BSTR text = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_get_FileSystemsToCreate(image, &systems));
    assert_int_equal(systems, FsiFileSystemISO9660 | FsiFileSystemJoliet);
    assert_long(v->get_ISO9660InterchangeLevel, image, 2);
    assert_long(v->get_UDFRevision, image, 0x102);
    assert_long(v->get_FreeMediaBlocks, image, 332800);
    assert_long(v->get_SessionStartBlock, image, 0);
    assert_long(v->get_FileCount, image, 0);
    assert_long(v->get_DirectoryCount, image, 0);
    assert_hr(S_OK, IFileSystemImage3_get_StrictFileSystemCompliance(image, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    assert_hr(S_OK, IFileSystemImage3_get_UseRestrictedCharacterSet(image, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    assert_hr(S_OK, IFileSystemImage3_get_CreateRedundantUdfMetadataFiles(image, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(S_OK, IFileSystemImage3_get_WorkingDirectory(image, &text));
    assert_true(SysStringLen(text) > 0);
    SysFreeString(text);
    assert_hr(S_OK, IFileSystemImage3_get_ImportedVolumeName(image, &text));
    assert_int_equal(SysStringLen(text), 0);
    SysFreeString(text);
    IFileSystemImage3_Release(image);
}

static void assert_array(SAFEARRAY *array, VARTYPE type, const LONG *expected, LONG count)
{
    LONG low = -1, high = -1, i;
    VARIANT *items;

    assert_hr(S_OK, SafeArrayGetLBound(array, 1, &low));
    assert_hr(S_OK, SafeArrayGetUBound(array, 1, &high));
    assert_int_equal(low, 0);
    assert_int_equal(high, count - 1);
    assert_hr(S_OK, SafeArrayAccessData(array, (void **)&items));
    for (i = 0; i < count; i++) {
        assert_int_equal(V_VT(&items[i]), type);
        assert_int_equal(V_I4(&items[i]), expected[i]);
    }
    SafeArrayUnaccessData(array);
    SafeArrayDestroy(array);
}

static void test_settings_are_checked(void **state)
{
    static const LONG revisions[] = { 0x102, 0x150, 0x200, 0x201, 0x250, 0x260 };
    static const LONG levels[] = { 1, 2, 3 };
    IFileSystemImage3 *image = fsi_test_image();
    SAFEARRAY *array = NULL;
    BSTR missing = SysAllocString(L"C:\\no\\such\\folder"), temp = NULL;
    (void)state;

    assert_hr(IMAPI_E_NO_OUTPUT, IFileSystemImage3_put_FileSystemsToCreate(image, 0));
    assert_hr(IMAPI_E_INVALID_PARAM,
              IFileSystemImage3_put_FileSystemsToCreate(image, FsiFileSystemJoliet));
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_put_FileSystemsToCreate(image, 8));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, FsiFileSystemUDF));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, FsiFileSystemISO9660));
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_put_UDFRevision(image, 0x103));
    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, 0x250));
    assert_long(image->lpVtbl->get_UDFRevision, image, 0x250);
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_put_ISO9660InterchangeLevel(image, 4));
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_put_ISO9660InterchangeLevel(image, 0));
    assert_hr(S_OK, IFileSystemImage3_put_ISO9660InterchangeLevel(image, 3));
    assert_long(image->lpVtbl->get_ISO9660InterchangeLevel, image, 3);
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_put_FreeMediaBlocks(image, -1));
    assert_hr(S_OK, IFileSystemImage3_put_FreeMediaBlocks(image, 0));
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_put_SessionStartBlock(image, -5));
    assert_hr(IMAPI_E_INVALID_WORKING_DIRECTORY,
              IFileSystemImage3_put_WorkingDirectory(image, missing));
    assert_hr(S_OK, IFileSystemImage3_get_WorkingDirectory(image, &temp));
    assert_hr(S_OK, IFileSystemImage3_put_WorkingDirectory(image, temp));
    /* Redundant UDF metadata needs UDF 2.50: recorded, but said to be left out. */
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
              IFileSystemImage3_put_CreateRedundantUdfMetadataFiles(image, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_get_UDFRevisionsSupported(image, &array));
    assert_array(array, VT_I4, revisions, ARRAY_SIZE(revisions));
    assert_hr(S_OK, IFileSystemImage3_get_ISO9660InterchangeLevelsSupported(image, &array));
    assert_array(array, VT_UI4, levels, ARRAY_SIZE(levels));
    SysFreeString(temp);
    SysFreeString(missing);
    IFileSystemImage3_Release(image);
}

static void test_volume_name_per_file_system(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    BSTR name = SysAllocString(L"Holiday photos 2026 v2"), text = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_put_VolumeName(image, name));
    assert_hr(S_OK, IFileSystemImage3_get_VolumeNameISO9660(image, &text));
    assert_int_equal(lstrcmpW(text, L"HOLIDAY_PHOTOS_2026_V2"), 0);
    SysFreeString(text);
    assert_hr(S_OK, IFileSystemImage3_get_VolumeNameJoliet(image, &text));
    assert_int_equal(lstrcmpW(text, L"Holiday photos 2"), 0);
    SysFreeString(text);
    assert_hr(S_OK, IFileSystemImage3_get_VolumeNameUDF(image, &text));
    assert_int_equal(lstrcmpW(text, L"Holiday photos 2026 v2"), 0);
    SysFreeString(text);
    SysFreeString(name);
    IFileSystemImage3_Release(image);
}

static void test_change_points_roll_back_and_lock_in(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    LONG start = -1, middle = -1, now = -1;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &start));
    fsi_test_add_file(root, L"a.txt", 1, 0);
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &middle));
    assert_true(middle > start);
    fsi_test_add_directory(root, L"d");
    fsi_test_add_file(root, L"d\\b.txt", 1, 0);
    assert_long(image->lpVtbl->get_FileCount, image, 2);
    assert_hr(S_OK, IFileSystemImage3_RollbackToChangePoint(image, middle));
    assert_long(image->lpVtbl->get_FileCount, image, 1);
    assert_long(image->lpVtbl->get_DirectoryCount, image, 0);
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &now));
    assert_int_equal(now, middle);
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_RollbackToChangePoint(image, now + 1));
    assert_hr(S_OK, IFileSystemImage3_LockInChangePoint(image));
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_RollbackToChangePoint(image, start));
    assert_long(image->lpVtbl->get_FileCount, image, 1);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_strict_compliance_only_on_an_empty_image(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_put_StrictFileSystemCompliance(image, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_put_StrictFileSystemCompliance(image, VARIANT_FALSE));
    fsi_test_add_file(root, L"a.txt", 1, 0);
    assert_hr(IMAPI_E_FILE_SYSTEM_NOT_EMPTY,
              IFileSystemImage3_put_StrictFileSystemCompliance(image, VARIANT_TRUE));
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static FsiItemType exists(IFileSystemImage3 *image, const WCHAR *path, HRESULT expected)
{
    BSTR text = SysAllocString(path);
    FsiItemType type = (FsiItemType)77;
    assert_hr(expected, IFileSystemImage3_Exists(image, text, &type));
    SysFreeString(text);
    return type;
}

static void test_exists_tells_files_directories_and_nothing(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    (void)state;

    fsi_test_add_directory(root, L"d");
    fsi_test_add_file(root, L"d\\f.txt", 1, 0);
    assert_int_equal(exists(image, L"\\d", S_OK), FsiItemDirectory);
    assert_int_equal(exists(image, L"/D/F.TXT", S_OK), FsiItemFile);
    assert_int_equal(exists(image, L"\\d\\none", S_OK), FsiItemNotFound);
    assert_int_equal(exists(image, L"\\d\\f.txt\\x", S_OK), FsiItemNotFound);
    exists(image, L"d\\f.txt", IMAPI_E_INVALID_PATH);    /* not fully qualified */
    exists(image, L"\\a*", IMAPI_E_INVALID_PATH);
    assert_hr(E_POINTER, IFileSystemImage3_Exists(image, NULL, NULL));
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_used_blocks_and_the_media_limit(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    LONG used = 0, total = 0;
    (void)state;

    fsi_test_add_file(root, L"big.bin", 100 * 2048, 1);
    assert_hr(S_OK, IFileSystemImage3_get_UsedBlocks(image, &used));
    assert_hr(S_OK, IFileSystemImage3_put_FreeMediaBlocks(image, used));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &total));
    assert_int_equal(total, used);
    IFileSystemImageResult_Release(result);
    result = (IFileSystemImageResult *)0x1;
    assert_hr(S_OK, IFileSystemImage3_put_FreeMediaBlocks(image, used - 1));
    assert_hr(IMAPI_E_IMAGE_TOO_BIG, IFileSystemImage3_CreateResultImage(image, &result));
    assert_null(result);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_a_result_is_a_snapshot(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    BSTR name = SysAllocString(L"a.bin");
    LONG before = 0;
    ULONG got = 0;
    BYTE *bytes;
    (void)state;

    fsi_test_add_file(root, L"a.bin", 5000, 6);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &before));
    /* Change the image after the result was made: the result does not move. */
    assert_hr(S_OK, IFsiDirectoryItem_Remove(root, name));
    fsi_test_add_file(root, L"b.bin", 90000, 7);
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    bytes = malloc((size_t)before * 2048);
    assert_hr(S_OK, IStream_Read(stream, bytes, (ULONG)before * 2048, &got));
    assert_int_equal(got, (ULONG)before * 2048);
    fsi_test_assert_file(bytes, (ULONG)before, "A.BIN;1", 5000, 6);
    free(bytes);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    SysFreeString(name);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_later_work_says_not_implemented_or_multisession_not_set(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFileSystemImageResult *result = NULL;
    IBootOptions *boot = com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
    FsiFileSystems systems = 0;
    VARIANT_BOOL appendable;
    SAFEARRAY *array = NULL;
    BSTR text = NULL;
    (void)state;

    assert_hr(IMAPI_E_MULTISESSION_NOT_SET, IFileSystemImage3_ImportFileSystem(image, &systems));
    assert_hr(IMAPI_E_MULTISESSION_NOT_SET,
              IFileSystemImage3_ImportSpecificFileSystem(image, FsiFileSystemUDF));
    assert_hr(IMAPI_E_MULTISESSION_NOT_SET,
              IFileSystemImage3_ProbeSpecificFileSystem(image, FsiFileSystemUDF, &appendable));
    assert_hr(IMAPI_E_MULTISESSION_NOT_SET, IFileSystemImage3_CalculateDiscIdentifier(image, &text));
    assert_hr(IMAPI_E_MULTISESSION_NOT_SET,
              IFileSystemImage3_get_MultisessionInterfaces(image, &array));
    assert_hr(S_OK, IFileSystemImage3_GetDefaultFileSystemForImport(
                        image, FsiFileSystemISO9660 | FsiFileSystemJoliet, &systems));
    assert_int_equal(systems, FsiFileSystemJoliet);
    assert_hr(S_OK, IFileSystemImage3_GetDefaultFileSystemForImport(image, 7, &systems));
    assert_int_equal(systems, FsiFileSystemUDF);
    assert_hr(IMAPI_E_NO_SUPPORTED_FILE_SYSTEM,
              IFileSystemImage3_GetDefaultFileSystemForImport(image, 0, &systems));

    /* UDF is written (test_udf_image.c); boot images are (test_eltorito_image.c), but a boot
       options object without an image is refused, with UDF or without. */
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, 7));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    IFileSystemImageResult_Release(result);
    result = NULL;
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptions(image, boot));
    assert_hr(IMAPI_E_BOOT_IMAGE_DATA, IFileSystemImage3_CreateResultImage(image, &result));
    text = com_test_error_description();
    assert_non_null(wcsstr(text, L"AssignBootImage"));
    SysFreeString(text);
    assert_null(result);
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, 3));
    assert_hr(IMAPI_E_BOOT_IMAGE_DATA, IFileSystemImage3_CreateResultImage(image, &result));
    assert_null(result);
    IBootOptions_Release(boot);
    IFileSystemImage3_Release(image);
}

static void test_media_defaults_from_a_type_and_from_a_recorder(void **state)
{
    static const LONG writer[] = { 0x08, 0x09, 0x1B, 0x41 };
    IFileSystemImage3 *image = fsi_test_image();
    struct recorder_double *drive = NULL, *empty = NULL;
    FsiFileSystems systems = 0;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_ChooseImageDefaultsForMediaType(image,
                                                                      IMAPI_MEDIA_TYPE_BDR));
    assert_hr(S_OK, IFileSystemImage3_get_FileSystemsToCreate(image, &systems));
    assert_int_equal(systems, FsiFileSystemUDF);
    assert_long(image->lpVtbl->get_UDFRevision, image, 0x250);
    assert_long(image->lpVtbl->get_FreeMediaBlocks, image, 12219392);
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_ChooseImageDefaultsForMediaType(image, 99));

    /* A drive with a blank DVD+R (the recorder double) that supports CD, DVD+R and BD-R. */
    assert_hr(S_OK, recorder_double_create(NULL, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, &drive));
    recorder_double_set_supported_profiles(drive, writer, ARRAY_SIZE(writer));
    assert_hr(S_OK, IFileSystemImage3_ChooseImageDefaults(image, recorder_double_recorder(drive)));
    assert_hr(S_OK, IFileSystemImage3_get_FileSystemsToCreate(image, &systems));
    assert_int_equal(systems, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF);
    assert_long(image->lpVtbl->get_FreeMediaBlocks, image, 2295104);
    assert_hr(S_OK, IFileSystemImage3_SetMaxMediaBlocksFromDevice(
                        image, recorder_double_recorder(drive)));
    assert_long(image->lpVtbl->get_FreeMediaBlocks, image, 12219392);      /* BD-R */

    /* The same drive without a disc. */
    assert_hr(S_OK, recorder_double_create(NULL, 0, 0, &empty));
    recorder_double_set_supported_profiles(empty, writer, ARRAY_SIZE(writer));
    assert_hr(E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
              IFileSystemImage3_ChooseImageDefaults(image, recorder_double_recorder(empty)));
    assert_hr(E_POINTER, IFileSystemImage3_ChooseImageDefaults(image, NULL));
    assert_hr(E_POINTER, IFileSystemImage3_SetMaxMediaBlocksFromDevice(image, NULL));
    recorder_double_release(empty);
    recorder_double_release(drive);
    IFileSystemImage3_Release(image);
}

/* What DFileSystemImageEvents::Update sends, as a test sink records it. */
struct update_record {
    int calls;
    WCHAR last_file[64];
    LONG copied[8], total[8];
};

static void on_update(struct event_sink *sink, DISPID member, WORD flags, DISPPARAMS *params)
{
    struct update_record *record = sink->context;
    (void)flags;

    assert_int_equal(member, DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE);
    assert_int_equal(params->cArgs, 4);
    assert_int_equal(V_VT(&params->rgvarg[3]), VT_DISPATCH);
    assert_int_equal(V_VT(&params->rgvarg[2]), VT_BSTR);
    if (record->calls < 8) {
        lstrcpynW(record->last_file, V_BSTR(&params->rgvarg[2]), 64);
        record->copied[record->calls] = V_I4(&params->rgvarg[1]);
        record->total[record->calls] = V_I4(&params->rgvarg[0]);
    }
    record->calls++;
}

static void test_adding_a_file_raises_update_events(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IConnectionPointContainer *container = NULL;
    IConnectionPoint *point = NULL;
    struct update_record record;
    struct event_sink sink;
    DWORD cookie = 0;
    (void)state;

    memset(&record, 0, sizeof(record));
    event_sink_init(&sink, &IID_DFileSystemImageEvents, on_update, &record);
    assert_hr(S_OK, IFileSystemImage3_QueryInterface(image, &IID_IConnectionPointContainer,
                                                     (void **)&container));
    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageEvents, &point));
    assert_hr(S_OK, IConnectionPoint_Advise(point, (IUnknown *)&sink.IDispatch_iface, &cookie));
    fsi_test_add_directory(root, L"d");
    fsi_test_add_file(root, L"d\\x.bin", 3 * 1024 * 1024 + 1, 0);
    assert_int_equal(record.calls, 2);
    assert_int_equal(lstrcmpW(record.last_file, L"\\d\\x.bin"), 0);
    assert_int_equal(record.copied[0], 0);
    assert_int_equal(record.total[0], 1537);
    assert_int_equal(record.copied[1], 1537);
    assert_int_equal(record.total[1], 1537);
    assert_hr(S_OK, IConnectionPoint_Unadvise(point, cookie));
    fsi_test_add_file(root, L"y.bin", 10, 0);
    assert_int_equal(record.calls, 2);
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    IFsiDirectoryItem_Release(root);
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
        cmocka_unit_test(test_defaults_are_microsofts),
        cmocka_unit_test(test_settings_are_checked),
        cmocka_unit_test(test_volume_name_per_file_system),
        cmocka_unit_test(test_change_points_roll_back_and_lock_in),
        cmocka_unit_test(test_strict_compliance_only_on_an_empty_image),
        cmocka_unit_test(test_exists_tells_files_directories_and_nothing),
        cmocka_unit_test(test_used_blocks_and_the_media_limit),
        cmocka_unit_test(test_a_result_is_a_snapshot),
        cmocka_unit_test(test_later_work_says_not_implemented_or_multisession_not_set),
        cmocka_unit_test(test_media_defaults_from_a_type_and_from_a_recorder),
        cmocka_unit_test(test_adding_a_file_raises_update_events),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
