/*
 * Two DLLs in one WoW64 prefix, as on 64-bit Windows: the x86_64 imapi2fs.dll in system32 and the
 * i686 one in syswow64, each registered by its own regsvr32 into its own registry view (CLSID
 * keys) and into the keys both views share (ProgIDs, the type library's key). Built for both
 * sides; run with the stage of registration as its one argument:
 *   both     both DLLs registered: this side's client is served by this side's DLL, each view's
 *            InprocServer32 names its own folder's file (of its own machine type), the type
 *            library has an entry per side, and an image builds
 *   only32   after the 64-bit regsvr32 /u: the 64-bit view has none of our CLSID keys and the
 *            64-bit client creates no class (REGDB_E_CLASSNOTREG), while the 32-bit view is whole,
 *            the shared ProgIDs and the 32-bit type library entry are kept, and the 32-bit client
 *            still gets its DLL and builds an image
 * It does not check what is left after both are unregistered: test_unregistered does, per side.
 */
#include "fsi_test_util.h"
#include "openfsi_ext.h"

static const char *stage;

static const CLSID *const creatable[] = {
    &CLSID_MsftFileSystemImage, &CLSID_MsftIsoImageManager, &CLSID_BootOptions,
    &CLSID_OpenFsiStreamWriter, &CLSID_OpenFsiEventConnector, &CLSID_OpenFsiImageFileMedia,
};

static const WCHAR *const progids[] = {
    L"IMAPI2FS.MsftFileSystemImage", L"IMAPI2FS.MsftFileSystemImage.1",
    L"IMAPI2FS.MsftIsoImageManager", L"IMAPI2FS.BootOptions", L"OpenFsi.StreamWriter",
    L"OpenFsi.ImageFileMedia",
};

static BOOL is_64bit(void) { return sizeof(void *) == 8; }
static REGSAM my_view(void) { return is_64bit() ? KEY_WOW64_64KEY : KEY_WOW64_32KEY; }
static REGSAM other_view(void) { return is_64bit() ? KEY_WOW64_32KEY : KEY_WOW64_64KEY; }
static const WCHAR *folder_of(REGSAM view)
{
    return view == KEY_WOW64_64KEY ? L"\\system32\\imapi2fs.dll" : L"\\syswow64\\imapi2fs.dll";
}
static WORD machine_of(REGSAM view)
{
    return view == KEY_WOW64_64KEY ? IMAGE_FILE_MACHINE_AMD64 : IMAGE_FILE_MACHINE_I386;
}

static BOOL ends_with_i(const WCHAR *text, const WCHAR *tail)
{
    size_t n = wcslen(text), m = wcslen(tail);
    return n >= m && !lstrcmpiW(text + n - m, tail);
}

/* The default value of HKCR\CLSID\{clsid}\InprocServer32 in one view, or FALSE if absent. */
static BOOL inproc_server(const CLSID *clsid, REGSAM view, WCHAR *path, DWORD size)
{
    WCHAR key[96], text[39];
    DWORD bytes = size * sizeof(WCHAR);
    HKEY handle;
    LSTATUS status;

    StringFromGUID2(clsid, text, 39);
    _snwprintf(key, ARRAY_SIZE(key), L"CLSID\\%ls\\InprocServer32", text);
    if (RegOpenKeyExW(HKEY_CLASSES_ROOT, key, 0, KEY_READ | view, &handle) != ERROR_SUCCESS)
        return FALSE;
    status = RegQueryValueExW(handle, NULL, NULL, NULL, (BYTE *)path, &bytes);
    RegCloseKey(handle);
    assert_int_equal(status, ERROR_SUCCESS);
    return TRUE;
}

/* The type library's path for one side (TypeLib\{LIBID}\1.0\0\win32 or win64), or FALSE. */
static BOOL typelib_entry(const WCHAR *syskind, WCHAR *path, DWORD size)
{
    WCHAR key[96], text[39];
    LONG bytes = (LONG)(size * sizeof(WCHAR));

    StringFromGUID2(&LIBID_IMAPI2FS, text, 39);
    _snwprintf(key, ARRAY_SIZE(key), L"TypeLib\\%ls\\1.0\\0\\%ls", text, syskind);
    return RegQueryValueW(HKEY_CLASSES_ROOT, key, path, &bytes) == ERROR_SUCCESS;
}

/* The machine type in a PE file's header, read from the file itself (for a 32-bit process, with
 * file-system redirection off so that system32 is the real one). */
static WORD file_machine(const WCHAR *path)
{
    BYTE header[4096];
    DWORD got = 0, pe;
    PVOID redirection = NULL;
    BOOL wow64 = FALSE, redirected = FALSE;
    HANDLE file;

    if (!is_64bit() && IsWow64Process(GetCurrentProcess(), &wow64) && wow64)
        redirected = Wow64DisableWow64FsRedirection(&redirection);
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (redirected)
        Wow64RevertWow64FsRedirection(redirection);
    if (file == INVALID_HANDLE_VALUE)
        fail_msg("cannot open %ls: error %lu", path, GetLastError());
    assert_true(ReadFile(file, header, sizeof(header), &got, NULL));
    CloseHandle(file);
    assert_true(got >= 0x40);
    pe = *(DWORD *)(header + 0x3C);
    assert_true(pe + 6 <= got);
    assert_memory_equal(header + pe, "PE\0\0", 4);
    return *(WORD *)(header + pe + 4);
}

/* The file of the module whose code serves an object: the module holding its vtable. */
static void serving_module(IUnknown *object, WCHAR *path, DWORD size)
{
    HMODULE module = NULL;
    IMAGE_NT_HEADERS *nt;

    assert_true(GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                                   (const WCHAR *)*(void **)object, &module));
    assert_true(GetModuleFileNameW(module, path, size) > 0);
    nt = (IMAGE_NT_HEADERS *)((BYTE *)module + ((IMAGE_DOS_HEADER *)module)->e_lfanew);
    assert_int_equal(nt->FileHeader.Machine, machine_of(my_view()));
}

/* A small image through this side's DLL: AddFile, CreateResultImage, the whole stream read. */
static void build_an_image(void)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    BYTE *data;
    ULONG sectors = 0;

    fsi_test_add_file(root, L"side.txt", 5000, is_64bit() ? 64 : 32);
    data = fsi_test_read_image(image, &sectors);
    assert_true(sectors > 16);
    assert_memory_equal(data + 16 * 2048 + 1, "CD001", 5);
    free(data);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void check_view_names_its_folder(REGSAM view)
{
    WCHAR path[MAX_PATH];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(creatable); i++) {
        assert_true(inproc_server(creatable[i], view, path, MAX_PATH));
        if (!ends_with_i(path, folder_of(view)))
            fail_msg("the %s view names %ls, not a file ending %ls",
                     view == KEY_WOW64_64KEY ? "64-bit" : "32-bit", path, folder_of(view));
    }
    assert_int_equal(file_machine(path), machine_of(view));
}

static void check_view_is_empty(REGSAM view)
{
    WCHAR path[MAX_PATH];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(creatable); i++)
        if (inproc_server(creatable[i], view, path, MAX_PATH))
            fail_msg("the %s view still names %ls", view == KEY_WOW64_64KEY ? "64-bit" : "32-bit",
                     path);
}

static void check_this_side_is_served_by_its_dll(void)
{
    WCHAR registered[MAX_PATH], loaded[MAX_PATH];
    CLSID clsid;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(creatable); i++) {
        IUnknown *object = com_test_create(creatable[i], &IID_IUnknown);
        assert_true(inproc_server(creatable[i], my_view(), registered, MAX_PATH));
        serving_module(object, loaded, MAX_PATH);
        if (lstrcmpiW(registered, loaded))
            fail_msg("class %u is served by %ls, but this view registers %ls", (unsigned)i,
                     loaded, registered);
        IUnknown_Release(object);
    }
    for (i = 0; i < ARRAY_SIZE(progids); i++)
        assert_hr(S_OK, CLSIDFromProgID(progids[i], &clsid));
    build_an_image();
}

static void test_with_both_registered_each_side_gets_its_own_dll(void **state)
{
    WCHAR path[MAX_PATH];
    (void)state;
    if (strcmp(stage, "both"))
        skip();
    check_view_names_its_folder(my_view());
    check_view_names_its_folder(other_view());
    check_this_side_is_served_by_its_dll();
    /* One type library key, one entry per side, each naming its own folder's file. */
    assert_true(typelib_entry(L"win64", path, MAX_PATH));
    assert_true(ends_with_i(path, folder_of(KEY_WOW64_64KEY)));
    assert_true(typelib_entry(L"win32", path, MAX_PATH));
    assert_true(ends_with_i(path, folder_of(KEY_WOW64_32KEY)));
}

static void test_after_unregistering_the_64_bit_dll_the_32_bit_one_is_whole(void **state)
{
    WCHAR path[MAX_PATH];
    CLSID clsid;
    IUnknown *object = NULL;
    ITypeLib *typelib = NULL;
    size_t i;
    (void)state;
    if (strcmp(stage, "only32"))
        skip();
    check_view_is_empty(KEY_WOW64_64KEY);
    check_view_names_its_folder(KEY_WOW64_32KEY);
    /* The ProgIDs are shared: the 32-bit DLL still registers their classes. */
    for (i = 0; i < ARRAY_SIZE(progids); i++)
        assert_hr(S_OK, CLSIDFromProgID(progids[i], &clsid));
    assert_false(typelib_entry(L"win64", path, MAX_PATH));
    assert_true(typelib_entry(L"win32", path, MAX_PATH));
    assert_true(ends_with_i(path, folder_of(KEY_WOW64_32KEY)));
    if (is_64bit()) {
        for (i = 0; i < ARRAY_SIZE(creatable); i++) {
            assert_hr(REGDB_E_CLASSNOTREG, CoCreateInstance(creatable[i], NULL,
                                                            CLSCTX_INPROC_SERVER, &IID_IUnknown,
                                                            (void **)&object));
            assert_null(object);
        }
    } else {
        check_this_side_is_served_by_its_dll();
        assert_hr(S_OK, LoadRegTypeLib(&LIBID_IMAPI2FS, 1, 0, LOCALE_NEUTRAL, &typelib));
        ITypeLib_Release(typelib);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_with_both_registered_each_side_gets_its_own_dll),
        cmocka_unit_test(test_after_unregistering_the_64_bit_dll_the_32_bit_one_is_whole),
    };
    if (argc != 2 || (strcmp(argv[1], "both") && strcmp(argv[1], "only32"))) {
        fprintf(stderr, "usage: %s both|only32\n", argv[0]);
        return 2;
    }
    stage = argv[1];
    printf("%s client, stage %s\n", is_64bit() ? "64-bit" : "32-bit", stage);
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
