/*
 * The import methods of MsftFileSystemImage around the five-session flow (test_multisession.c),
 * over the recorder double: DFileSystemImageImportEvents::UpdateImport for every imported item
 * with the totals; items added before the import winning over the disc's, and a file meeting a
 * directory failing with the collision errors and leaving the tree as it was;
 * ImportSpecificFileSystem, ProbeSpecificFileSystem and IdentifyFileSystemsOnDisc; the settings an
 * import fixes (FileSystemsToCreate, SessionStartBlock) and ImportedVolumeName; the documented
 * failures of put_MultisessionInterfaces and of importing a disc without a file system;
 * CalculateDiscIdentifier; and a boot image refused in a later session.
 */
#include "event_sink.h"
#include "fsi_test_util.h"
#include "recorder_double.h"

#define VOLUME L"IMPORTED"

static WCHAR folder[MAX_PATH];

static int setup(void **state)
{
    if (com_test_setup_sta(state))
        return -1;
    fsi_test_temp_folder(folder, L"import_surface");
    return 0;
}

static int teardown(void **state)
{
    fsi_test_remove_folder(folder);
    return com_test_teardown(state);
}

/* A DVD+R with one ISO 9660 + Joliet session: \docs\a.txt, \docs\deep\, \b.txt. */
static struct recorder_double *disc_with_a_session(const WCHAR *name)
{
    struct recorder_double *drive = NULL;
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    WCHAR path[MAX_PATH];
    BSTR volume = SysAllocString(VOLUME);

    _snwprintf(path, MAX_PATH, L"%ls\\openfsi_%ls.disc", folder, name);
    assert_hr(S_OK, recorder_double_create(path, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, &drive));
    assert_hr(S_OK, IFileSystemImage3_put_VolumeName(image, volume));
    SysFreeString(volume);
    fsi_test_add_directory(root, L"docs");
    fsi_test_add_directory(root, L"docs\\deep");
    fsi_test_add_file(root, L"docs\\a.txt", 3000, 1);
    fsi_test_add_file(root, L"b.txt", 5000, 2);
    IFsiDirectoryItem_Release(root);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    assert_hr(S_OK, recorder_double_write_session(drive, stream));
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFileSystemImage3_Release(image);
    return drive;
}

/* A new image with the drive's multisession interfaces put. */
static IFileSystemImage3 *image_on(struct recorder_double *drive)
{
    IFileSystemImage3 *image = fsi_test_image();
    SAFEARRAY *array = NULL;

    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    assert_hr(S_OK, IFileSystemImage3_put_MultisessionInterfaces(image, array));
    SafeArrayDestroy(array);
    return image;
}

struct import_events {
    int count;
    LONG directories, total_directories, files, total_files;
    FsiFileSystems system;
    BOOL saw_a_txt, counts_rise;
};

static void on_update_import(struct event_sink *sink, DISPID member, WORD flags,
                             DISPPARAMS *params)
{
    struct import_events *events = sink->context;
    (void)flags;

    assert_int_equal(member, DISPID_DFILESYSTEMIMAGEIMPORTEVENTS_UPDATEIMPORT);
    assert_int_equal(params->cArgs, 7);
    /* Reverse order: object, fileSystem, currentItem, importedDirectoryItems,
       totalDirectoryItems, importedFileItems, totalFileItems. */
    assert_int_equal(V_VT(&params->rgvarg[6]), VT_DISPATCH);
    events->system = (FsiFileSystems)V_I4(&params->rgvarg[5]);
    if (!lstrcmpW(V_BSTR(&params->rgvarg[4]), L"\\docs\\a.txt"))
        events->saw_a_txt = TRUE;
    if (V_I4(&params->rgvarg[3]) + V_I4(&params->rgvarg[1]) != events->count + 1)
        events->counts_rise = FALSE;
    events->directories = V_I4(&params->rgvarg[3]);
    events->total_directories = V_I4(&params->rgvarg[2]);
    events->files = V_I4(&params->rgvarg[1]);
    events->total_files = V_I4(&params->rgvarg[0]);
    events->count++;
}

static void test_update_import_is_raised_for_every_item(void **state)
{
    struct recorder_double *drive = disc_with_a_session(L"events");
    IFileSystemImage3 *image = image_on(drive);
    IConnectionPointContainer *container = NULL;
    IConnectionPoint *point = NULL;
    struct import_events events = { 0, 0, 0, 0, 0, FsiFileSystemNone, FALSE, TRUE };
    struct event_sink sink;
    FsiFileSystems found = FsiFileSystemNone;
    DWORD cookie = 0;
    (void)state;

    event_sink_init(&sink, &IID_DFileSystemImageImportEvents, on_update_import, &events);
    assert_hr(S_OK, IFileSystemImage3_QueryInterface(image, &IID_IConnectionPointContainer,
                                                     (void **)&container));
    assert_hr(S_OK, IConnectionPointContainer_FindConnectionPoint(
                        container, &IID_DFileSystemImageImportEvents, &point));
    assert_hr(S_OK, IConnectionPoint_Advise(point, (IUnknown *)&sink.IDispatch_iface, &cookie));
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_int_equal(found, FsiFileSystemJoliet);
    assert_int_equal(events.count, 4);              /* docs, docs\deep, docs\a.txt, b.txt */
    assert_int_equal(events.system, FsiFileSystemJoliet);
    assert_true(events.saw_a_txt);
    assert_true(events.counts_rise);
    assert_int_equal(events.directories, 2);
    assert_int_equal(events.total_directories, 2);
    assert_int_equal(events.files, 2);
    assert_int_equal(events.total_files, 2);
    assert_hr(S_OK, IConnectionPoint_Unadvise(point, cookie));
    IConnectionPoint_Release(point);
    IConnectionPointContainer_Release(container);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

static LONGLONG size_of(IFileSystemImage3 *image, const WCHAR *path)
{
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiItem *item = NULL;
    IFsiFileItem *file = NULL;
    LONGLONG size = -1;
    BSTR name = SysAllocString(path);

    assert_hr(S_OK, IFsiDirectoryItem_get_Item(root, name, &item));
    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file));
    assert_hr(S_OK, IFsiFileItem_get_DataSize(file, &size));
    IFsiFileItem_Release(file);
    IFsiItem_Release(item);
    IFsiDirectoryItem_Release(root);
    SysFreeString(name);
    return size;
}

static void test_items_added_before_the_import_win(void **state)
{
    struct recorder_double *drive = disc_with_a_session(L"before");
    IFileSystemImage3 *image = image_on(drive);
    IFsiDirectoryItem *root = fsi_test_root(image);
    FsiFileSystems found = FsiFileSystemNone;
    LONG files = -1;
    (void)state;

    fsi_test_add_file(root, L"b.txt", 77, 9);               /* ours wins over the disc's */
    fsi_test_add_directory(root, L"docs");                  /* the disc's entries merge in */
    fsi_test_add_file(root, L"docs\\mine.txt", 10, 3);
    IFsiDirectoryItem_Release(root);
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_true(size_of(image, L"b.txt") == 77);
    assert_true(size_of(image, L"docs\\a.txt") == 3000);
    assert_true(size_of(image, L"docs\\mine.txt") == 10);
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 3);
    IFileSystemImage3_Release(image);

    /* A file where the disc has a directory: refused, and the tree is as it was. */
    image = image_on(drive);
    root = fsi_test_root(image);
    fsi_test_add_file(root, L"docs", 5, 4);
    IFsiDirectoryItem_Release(root);
    assert_hr(IMAPI_E_IMPORT_TYPE_COLLISION_DIRECTORY_EXISTS_AS_FILE,
              IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 1);
    IFileSystemImage3_Release(image);

    /* A directory where the disc has a file. */
    image = image_on(drive);
    root = fsi_test_root(image);
    fsi_test_add_directory(root, L"b.txt");
    IFsiDirectoryItem_Release(root);
    assert_hr(IMAPI_E_IMPORT_TYPE_COLLISION_FILE_EXISTS_AS_DIRECTORY,
              IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 0);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

static void test_specific_file_systems_probe_and_identify(void **state)
{
    struct recorder_double *drive = disc_with_a_session(L"specific");
    IFileSystemImage3 *image = image_on(drive);
    FsiFileSystems found = FsiFileSystemNone;
    VARIANT_BOOL appendable = VARIANT_TRUE;
    LONG files = -1;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_IdentifyFileSystemsOnDisc(
                        image, recorder_double_recorder(drive), &found));
    assert_int_equal(found, FsiFileSystemISO9660 | FsiFileSystemJoliet);
    assert_hr(S_OK, IFileSystemImage3_ProbeSpecificFileSystem(image, FsiFileSystemJoliet,
                                                              &appendable));
    assert_int_equal(appendable, VARIANT_TRUE);
    assert_hr(S_OK, IFileSystemImage3_ProbeSpecificFileSystem(image, FsiFileSystemUDF,
                                                              &appendable));
    assert_int_equal(appendable, VARIANT_FALSE);
    assert_hr(IMAPI_E_INVALID_PARAM,
              IFileSystemImage3_ProbeSpecificFileSystem(image, FsiFileSystemISO9660 |
                                                                   FsiFileSystemUDF,
                                                        &appendable));
    assert_hr(IMAPI_E_FILE_SYSTEM_NOT_FOUND,
              IFileSystemImage3_ImportSpecificFileSystem(image, FsiFileSystemUDF));
    assert_hr(S_OK, IFileSystemImage3_ImportSpecificFileSystem(image, FsiFileSystemISO9660));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 2);
    {
        /* The ISO 9660 names, as the ISO 9660 hierarchy records them. */
        BSTR path = SysAllocString(L"\\DOCS\\A.TXT");
        FsiItemType type = FsiItemNotFound;
        assert_hr(S_OK, IFileSystemImage3_Exists(image, path, &type));
        assert_int_equal(type, FsiItemFile);
        SysFreeString(path);
    }
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

static void test_an_import_fixes_the_file_systems_and_the_session_start(void **state)
{
    struct recorder_double *drive = disc_with_a_session(L"settings");
    IFileSystemImage3 *image = image_on(drive);
    FsiFileSystems found = FsiFileSystemNone, systems = FsiFileSystemNone;
    LONG start = -1;
    BSTR name = (BSTR)1;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_get_ImportedVolumeName(image, &name));
    assert_null(name);                          /* "NULL until a file system is imported" */
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IFileSystemImage3_get_ImportedVolumeName(image, &name));
    assert_non_null(name);
    assert_int_equal(lstrcmpW(name, VOLUME), 0);
    SysFreeString(name);
    assert_hr(S_OK, IFileSystemImage3_get_FileSystemsToCreate(image, &systems));
    assert_int_equal(systems, FsiFileSystemISO9660 | FsiFileSystemJoliet);
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, systems));
    assert_hr(IMAPI_E_FILE_SYSTEM_CHANGE_NOT_ALLOWED,
              IFileSystemImage3_put_FileSystemsToCreate(image, systems | FsiFileSystemUDF));
    assert_hr(S_OK, IFileSystemImage3_get_SessionStartBlock(image, &start));
    assert_int_equal(start, recorder_double_next_writable_address(drive));
    assert_hr(S_OK, IFileSystemImage3_put_SessionStartBlock(image, start));
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE,
              IFileSystemImage3_put_SessionStartBlock(image, start + 100));
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

static void test_multisession_interfaces_fail_as_documented(void **state)
{
    struct recorder_double *drive = NULL, *blank = NULL;
    IFileSystemImage3 *image = fsi_test_image();
    IBootOptions *boot = com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
    SAFEARRAY *array = NULL, *two;
    FsiFileSystems found = FsiFileSystemNone;
    VARIANT element;
    LONG index;
    WCHAR path[MAX_PATH];
    (void)state;

    assert_hr(IMAPI_E_MULTISESSION_NOT_SET,
              IFileSystemImage3_get_MultisessionInterfaces(image, &array));
    assert_hr(IMAPI_E_MULTISESSION_NOT_SET, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(E_POINTER, IFileSystemImage3_put_MultisessionInterfaces(image, NULL));

    /* An element that is no IMultisession. */
    array = SafeArrayCreateVector(VT_VARIANT, 0, 1);
    index = 0;
    V_VT(&element) = VT_DISPATCH;
    V_DISPATCH(&element) = (IDispatch *)boot;
    assert_hr(S_OK, SafeArrayPutElement(array, &index, &element));
    assert_hr(IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE,
              IFileSystemImage3_put_MultisessionInterfaces(image, array));
    SafeArrayDestroy(array);

    /* Two interfaces InUse. */
    drive = disc_with_a_session(L"twice");
    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    two = SafeArrayCreateVector(VT_VARIANT, 0, 2);
    for (index = 0; index < 2; index++) {
        LONG zero = 0;
        IMultisession *multisession = NULL;
        VariantInit(&element);
        if (index == 0)
            assert_hr(S_OK, SafeArrayGetElement(array, &zero, &element));
        else {
            SAFEARRAY *other = NULL;
            assert_hr(S_OK, recorder_double_multisession(drive, &other));
            assert_hr(S_OK, SafeArrayGetElement(other, &zero, &element));
            SafeArrayDestroy(other);
        }
        assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&element), &IID_IMultisession,
                                                 (void **)&multisession));
        assert_hr(S_OK, IMultisession_put_InUse(multisession, VARIANT_TRUE));
        IMultisession_Release(multisession);
        assert_hr(S_OK, SafeArrayPutElement(two, &index, &element));
        VariantClear(&element);
    }
    assert_hr(IMAPI_E_BAD_MULTISESSION_PARAMETER,
              IFileSystemImage3_put_MultisessionInterfaces(image, two));
    SafeArrayDestroy(two);
    SafeArrayDestroy(array);

    /* Blank write-once media. */
    _snwprintf(path, MAX_PATH, L"%ls\\openfsi_blank.disc", folder);
    assert_hr(S_OK, recorder_double_create(path, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, &blank));
    assert_hr(S_OK, recorder_double_multisession(blank, &array));
    assert_hr(IMAPI_E_IMPORT_SEEK_FAILURE,
              IFileSystemImage3_put_MultisessionInterfaces(image, array));
    SafeArrayDestroy(array);
    assert_hr(IMAPI_E_EMPTY_DISC,
              IFileSystemImage3_IdentifyFileSystemsOnDisc(image, recorder_double_recorder(blank),
                                                          &found));
    recorder_double_release(blank);
    recorder_double_release(drive);
    IBootOptions_Release(boot);
    IFileSystemImage3_Release(image);
}

/* A session of zeros: nothing to import. */
static void test_a_session_without_a_file_system(void **state)
{
    struct recorder_double *drive = NULL;
    struct recorder_session session = { 0, 299 };
    IFileSystemImage3 *image;
    FsiFileSystems found = FsiFileSystemNone;
    WCHAR path[MAX_PATH];
    HANDLE file;
    BYTE zeros[2048];
    DWORD written;
    int i;
    (void)state;

    _snwprintf(path, MAX_PATH, L"%ls\\openfsi_zeros.disc", folder);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    memset(zeros, 0, sizeof(zeros));
    for (i = 0; i < 300; i++)
        assert_true(WriteFile(file, zeros, sizeof(zeros), &written, NULL));
    CloseHandle(file);
    assert_hr(S_OK, recorder_double_insert(path, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, &session, 1,
                                           &drive));
    image = image_on(drive);
    assert_hr(IMAPI_E_NO_SUPPORTED_FILE_SYSTEM,
              IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IFileSystemImage3_IdentifyFileSystemsOnDisc(
                        image, recorder_double_recorder(drive), &found));
    assert_int_equal(found, FsiFileSystemNone);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
    DeleteFileW(path);
}

static void test_disc_identifier_follows_the_sessions(void **state)
{
    struct recorder_double *drive = disc_with_a_session(L"identifier");
    IFileSystemImage3 *image = image_on(drive), *again = image_on(drive);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    FsiFileSystems found;
    BSTR first = NULL, same = NULL, later = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_CalculateDiscIdentifier(image, &first));
    assert_hr(S_OK, IFileSystemImage3_CalculateDiscIdentifier(again, &same));
    assert_true(SysStringLen(first) >= 8);
    assert_int_equal(lstrcmpW(first, same), 0);
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    assert_hr(S_OK, recorder_double_write_session(drive, stream));
    assert_hr(S_OK, IFileSystemImage3_CalculateDiscIdentifier(again, &later));
    assert_true(lstrcmpW(first, later) != 0);
    SysFreeString(first);
    SysFreeString(same);
    SysFreeString(later);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFileSystemImage3_Release(again);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

static void test_a_boot_image_is_refused_in_a_later_session(void **state)
{
    struct recorder_double *drive = disc_with_a_session(L"boot");
    IFileSystemImage3 *image = image_on(drive);
    IBootOptions *boot = com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
    IFileSystemImageResult *result = NULL;
    IStream *loader = fsi_test_stream(2048, 5);
    FsiFileSystems found;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IBootOptions_AssignBootImage(boot, loader));
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptions(image, boot));
    assert_hr(IMAPI_E_BOOT_OBJECT_CONFLICT, IFileSystemImage3_CreateResultImage(image, &result));
    assert_null(result);
    IStream_Release(loader);
    IBootOptions_Release(boot);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_import_is_raised_for_every_item),
        cmocka_unit_test(test_items_added_before_the_import_win),
        cmocka_unit_test(test_specific_file_systems_probe_and_identify),
        cmocka_unit_test(test_an_import_fixes_the_file_systems_and_the_session_start),
        cmocka_unit_test(test_multisession_interfaces_fail_as_documented),
        cmocka_unit_test(test_a_session_without_a_file_system),
        cmocka_unit_test(test_disc_identifier_follows_the_sessions),
        cmocka_unit_test(test_a_boot_image_is_refused_in_a_later_session),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
