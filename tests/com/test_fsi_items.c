/*
 * FsiDirectoryItem, FsiFileItem and EnumFsiItems over a real image object: adding, finding,
 * listing and removing items by path, detached items and Add, AddTree from a host folder (with
 * and without its base folder, collisions where the folder prevails), file data from streams,
 * names and paths on disc, times and flags, and each documented failure.
 */
#include "fsi_test_util.h"
#include "computed_stream.h"

static IFsiItem *item_at(IFsiDirectoryItem *dir, const WCHAR *path)
{
    BSTR text = SysAllocString(path);
    IFsiItem *item = NULL;
    assert_hr(S_OK, IFsiDirectoryItem_get_Item(dir, text, &item));
    assert_non_null(item);
    SysFreeString(text);
    return item;
}

static HRESULT item_hr(IFsiDirectoryItem *dir, const WCHAR *path)
{
    BSTR text = SysAllocString(path);
    IFsiItem *item = (IFsiItem *)0x1;
    HRESULT hr = IFsiDirectoryItem_get_Item(dir, text, &item);
    if (SUCCEEDED(hr))
        IFsiItem_Release(item);
    else
        assert_null(item);
    SysFreeString(text);
    return hr;
}

static void assert_bstr(BSTR actual, const WCHAR *expected)
{
    if (lstrcmpW(actual, expected))
        fail_msg("got \"%ls\", expected \"%ls\"", actual ? actual : L"(null)", expected);
    SysFreeString(actual);
}

static LONG count_of(IFsiDirectoryItem *dir)
{
    LONG count = -1;
    assert_hr(S_OK, IFsiDirectoryItem_get_Count(dir, &count));
    return count;
}

static void test_add_directory_and_file_then_find_them_by_path(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiItem *item;
    IFsiFileItem *file = NULL;
    LONGLONG size = 0;
    BSTR text = NULL;
    LONG files = 0, dirs = 0;
    (void)state;

    fsi_test_add_directory(root, L"docs");
    fsi_test_add_directory(root, L"docs\\deep");
    fsi_test_add_file(root, L"docs/deep/readme.txt", 5000, 1);
    fsi_test_add_file(root, L"top.bin", 10, 2);

    item = item_at(root, L"\\DOCS\\Deep\\README.TXT");      /* any case, either separator */
    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file));
    assert_hr(S_OK, IFsiFileItem_get_DataSize(file, &size));
    assert_int_equal(size, 5000);
    assert_hr(S_OK, IFsiItem_get_Name(item, &text));
    assert_bstr(text, L"readme.txt");
    assert_hr(S_OK, IFsiItem_get_FullPath(item, &text));
    assert_bstr(text, L"\\docs\\deep\\readme.txt");
    IFsiFileItem_Release(file);
    IFsiItem_Release(item);

    assert_int_equal(count_of(root), 2);
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_hr(S_OK, IFileSystemImage3_get_DirectoryCount(image, &dirs));
    assert_int_equal(files, 2);
    assert_int_equal(dirs, 2);
    assert_hr(S_OK, IFsiDirectoryItem_get_FullPath(root, &text));
    assert_bstr(text, L"\\");
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_bad_paths_duplicates_and_missing_items_fail_as_documented(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IStream *stream = fsi_test_stream(1, 0);
    BSTR dup = SysAllocString(L"A.TXT"), bad = SysAllocString(L"a*b"), deep =
        SysAllocString(L"missing\\x"), empty = SysAllocString(L""), through =
        SysAllocString(L"a.txt\\x");
    (void)state;

    fsi_test_add_file(root, L"a.txt", 1, 0);
    assert_hr(IMAPI_E_DUP_NAME, IFsiDirectoryItem_AddFile(root, dup, stream));
    assert_hr(IMAPI_E_DUP_NAME, IFsiDirectoryItem_AddDirectory(root, dup));
    assert_hr(IMAPI_E_INVALID_PATH, IFsiDirectoryItem_AddDirectory(root, bad));
    assert_hr(IMAPI_E_INVALID_PATH, IFsiDirectoryItem_AddDirectory(root, empty));
    assert_hr(IMAPI_E_INVALID_PATH, IFsiDirectoryItem_AddDirectory(root, NULL));
    assert_hr(IMAPI_E_DIR_NOT_FOUND, IFsiDirectoryItem_AddDirectory(root, deep));
    assert_hr(IMAPI_E_NOT_DIR, IFsiDirectoryItem_AddFile(root, through, stream));
    assert_hr(E_POINTER, IFsiDirectoryItem_AddFile(root, dup, NULL));
    assert_hr(IMAPI_E_ITEM_NOT_FOUND, item_hr(root, L"nothing.txt"));
    assert_hr(IMAPI_E_INVALID_PATH, item_hr(root, L"a?b"));
    assert_hr(E_POINTER, IFsiDirectoryItem_get_Item(root, dup, NULL));
    assert_hr(E_POINTER, IFsiDirectoryItem_get_Count(root, NULL));
    assert_hr(E_POINTER, IFsiDirectoryItem_get_Name(root, NULL));
    assert_hr(E_POINTER, IFsiDirectoryItem_get_EnumFsiItems(root, NULL));
    assert_hr(E_POINTER, IFsiDirectoryItem_get__NewEnum(root, NULL));
    assert_hr(E_POINTER, IFsiDirectoryItem_Add(root, NULL));
    assert_int_equal(count_of(root), 1);
    {
        BSTR text = NULL;
        HRESULT hr = IFsiDirectoryItem_AddDirectory(root, bad);
        assert_hr(IMAPI_E_INVALID_PATH, hr);
        text = com_test_error_description();
        assert_non_null(text);
        assert_true(SysStringLen(text) > 10);
        SysFreeString(text);
    }
    SysFreeString(dup);
    SysFreeString(bad);
    SysFreeString(deep);
    SysFreeString(empty);
    SysFreeString(through);
    IStream_Release(stream);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_remove_and_remove_tree(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    BSTR dir = SysAllocString(L"d"), file = SysAllocString(L"d\\f.txt"),
         slash = SysAllocString(L"\\"), gone = SysAllocString(L"gone"),
         top = SysAllocString(L"top.txt");
    IFsiItem *kept;
    BSTR name = NULL;
    LONG files = -1;
    (void)state;

    fsi_test_add_directory(root, L"d");
    fsi_test_add_file(root, L"d\\f.txt", 3, 0);
    fsi_test_add_file(root, L"top.txt", 3, 0);
    kept = item_at(root, L"d\\f.txt");

    assert_hr(IMAPI_E_DIR_NOT_EMPTY, IFsiDirectoryItem_Remove(root, dir));
    assert_hr(IMAPI_E_NOT_DIR, IFsiDirectoryItem_RemoveTree(root, top));
    assert_hr(IMAPI_E_DIR_NOT_FOUND, IFsiDirectoryItem_RemoveTree(root, gone));
    assert_hr(IMAPI_E_ITEM_NOT_FOUND, IFsiDirectoryItem_Remove(root, gone));
    assert_hr(S_OK, IFsiDirectoryItem_Remove(root, file));
    assert_hr(IMAPI_E_ITEM_NOT_FOUND, IFsiDirectoryItem_Remove(root, file));  /* removed item */
    assert_hr(S_OK, IFsiDirectoryItem_Remove(root, dir));
    assert_int_equal(count_of(root), 1);
    /* An item object outlives its removal. */
    assert_hr(S_OK, IFsiItem_get_Name(kept, &name));
    assert_bstr(name, L"f.txt");

    fsi_test_add_directory(root, L"d");
    fsi_test_add_file(root, L"d\\f.txt", 3, 0);
    assert_hr(S_OK, IFsiDirectoryItem_RemoveTree(root, dir));
    assert_hr(IMAPI_E_ITEM_NOT_FOUND, item_hr(root, L"d"));
    fsi_test_add_file(root, L"x.txt", 3, 0);
    assert_hr(S_OK, IFsiDirectoryItem_RemoveTree(root, slash));        /* the whole image */
    assert_int_equal(count_of(root), 0);
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 0);
    IFsiItem_Release(kept);
    SysFreeString(dir);
    SysFreeString(file);
    SysFreeString(slash);
    SysFreeString(gone);
    SysFreeString(top);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_detached_items_are_added_with_add(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFileSystemImage3 *other = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiDirectoryItem *dir = NULL, *foreign = NULL;
    IFsiFileItem *file = NULL, *refused = (IFsiFileItem *)0x1;
    IStream *data = fsi_test_stream(100, 3);
    BSTR dir_name = SysAllocString(L"made"), file_name = SysAllocString(L"made.bin"),
         text = NULL, bad = SysAllocString(L"a|b");
    LONGLONG size = 0;
    ULONG sectors;
    BYTE *bytes;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_CreateDirectoryItem(image, dir_name, &dir));
    assert_hr(S_OK, IFileSystemImage3_CreateFileItem(image, file_name, &file));
    assert_hr(IMAPI_E_INVALID_PARAM, IFileSystemImage3_CreateFileItem(image, bad, &refused));
    assert_null(refused);
    /* A directory that is not in the image yet takes no items. */
    assert_hr(IMAPI_E_NOT_IN_FILE_SYSTEM, IFsiDirectoryItem_AddDirectory(dir, file_name));
    assert_hr(S_OK, IFsiFileItem_put_Data(file, data));
    assert_hr(S_OK, IFsiFileItem_get_DataSize(file, &size));
    assert_int_equal(size, 100);
    assert_hr(S_OK, IFsiFileItem_get_FullPath(file, &text));
    assert_bstr(text, L"\\made.bin");

    assert_hr(S_OK, IFsiDirectoryItem_Add(root, (IFsiItem *)dir));
    assert_hr(S_OK, IFsiDirectoryItem_Add(dir, (IFsiItem *)file));
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiDirectoryItem_Add(root, (IFsiItem *)file));
    assert_hr(S_OK, IFsiFileItem_get_FullPath(file, &text));
    assert_bstr(text, L"\\made\\made.bin");
    /* Once in the image, a file's data is read-only. */
    assert_hr(IMAPI_E_READONLY, IFsiFileItem_put_Data(file, data));
    /* Items of another image are refused. */
    assert_hr(S_OK, IFileSystemImage3_CreateDirectoryItem(other, dir_name, &foreign));
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiDirectoryItem_Add(root, (IFsiItem *)foreign));

    bytes = fsi_test_read_image(image, &sectors);
    fsi_test_assert_file(bytes, sectors, "MADE/MADE.BIN;1", 100, 3);
    free(bytes);

    IFsiDirectoryItem_Release(foreign);
    IFsiFileItem_Release(file);
    IFsiDirectoryItem_Release(dir);
    IStream_Release(data);
    SysFreeString(dir_name);
    SysFreeString(file_name);
    SysFreeString(bad);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(other);
    IFileSystemImage3_Release(image);
}

static void test_enumerators_list_children_in_order(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    static const WCHAR *names[] = { L"c.txt", L"a", L"b.txt" };
    IEnumFsiItems *items = NULL, *clone = NULL;
    IEnumVARIANT *variants = NULL;
    IFsiItem *got[4] = { 0 };
    VARIANT values[4];
    ULONG fetched = 0, i;
    BSTR name;
    (void)state;

    fsi_test_add_file(root, names[0], 1, 0);
    fsi_test_add_directory(root, names[1]);
    fsi_test_add_file(root, names[2], 1, 0);

    assert_hr(S_OK, IFsiDirectoryItem_get_EnumFsiItems(root, &items));
    assert_hr(S_FALSE, IEnumFsiItems_Next(items, 4, got, &fetched));
    assert_int_equal(fetched, 3);
    for (i = 0; i < 3; i++) {
        assert_hr(S_OK, IFsiItem_get_Name(got[i], &name));
        assert_bstr(name, names[i]);
        IFsiItem_Release(got[i]);
    }
    assert_hr(S_OK, IEnumFsiItems_Reset(items));
    assert_hr(S_OK, IEnumFsiItems_Skip(items, 1));
    assert_hr(S_OK, IEnumFsiItems_Clone(items, &clone));
    assert_hr(S_OK, IEnumFsiItems_Next(clone, 1, got, NULL));
    assert_hr(S_OK, IFsiItem_get_Name(got[0], &name));
    assert_bstr(name, names[1]);
    IFsiItem_Release(got[0]);
    assert_hr(S_FALSE, IEnumFsiItems_Skip(items, 5));
    assert_hr(S_FALSE, IEnumFsiItems_Next(items, 1, got, &fetched));
    assert_int_equal(fetched, 0);
    assert_hr(E_POINTER, IEnumFsiItems_Next(items, 2, got, NULL));
    assert_hr(E_POINTER, IEnumFsiItems_Clone(items, NULL));

    assert_hr(S_OK, IFsiDirectoryItem_get__NewEnum(root, &variants));
    assert_hr(S_FALSE, IEnumVARIANT_Next(variants, 4, values, &fetched));
    assert_int_equal(fetched, 3);
    for (i = 0; i < 3; i++) {
        IFsiItem *item = NULL;
        assert_int_equal(V_VT(&values[i]), VT_DISPATCH);
        assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&values[i]), &IID_IFsiItem,
                                                 (void **)&item));
        assert_hr(S_OK, IFsiItem_get_Name(item, &name));
        assert_bstr(name, names[i]);
        IFsiItem_Release(item);
        VariantClear(&values[i]);
    }
    /* The enumerator is a snapshot: an item added later is not in it. */
    fsi_test_add_file(root, L"later.txt", 1, 0);
    assert_hr(S_OK, IEnumVARIANT_Reset(variants));
    assert_hr(S_FALSE, IEnumVARIANT_Next(variants, 4, values, &fetched));
    assert_int_equal(fetched, 3);
    for (i = 0; i < 3; i++)
        VariantClear(&values[i]);

    IEnumVARIANT_Release(variants);
    IEnumFsiItems_Release(clone);
    IEnumFsiItems_Release(items);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_names_on_disc_times_and_hidden_flag(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiItem *item;
    BSTR text = NULL;
    DATE when = 0, set = 45000.25;  /* 2023-03-15 06:00 */
    VARIANT_BOOL hidden = VARIANT_TRUE;
    (void)state;

    fsi_test_add_directory(root, L"My Documents");
    fsi_test_add_file(root, L"My Documents\\a long file name.text", 1, 0);
    item = item_at(root, L"My Documents\\a long file name.text");
    assert_hr(S_OK, IFsiItem_FileSystemName(item, FsiFileSystemISO9660, &text));
    assert_bstr(text, L"A_LONG_FILE_NAME.TEXT");
    assert_hr(S_OK, IFsiItem_FileSystemPath(item, FsiFileSystemISO9660, &text));
    assert_bstr(text, L"\\MY_DOCUMENTS\\A_LONG_FILE_NAME.TEXT");
    assert_hr(S_OK, IFsiItem_FileSystemName(item, FsiFileSystemJoliet, &text));
    assert_bstr(text, L"a long file name.text");
    assert_hr(S_OK, IFsiItem_FileSystemPath(item, FsiFileSystemUDF, &text));
    assert_bstr(text, L"\\My Documents\\a long file name.text");
    assert_hr(E_INVALIDARG, IFsiItem_FileSystemName(item, FsiFileSystemISO9660 |
                                                    FsiFileSystemJoliet, &text));
    assert_hr(E_POINTER, IFsiItem_FileSystemPath(item, FsiFileSystemJoliet, NULL));

    assert_hr(S_OK, IFsiItem_put_LastModifiedTime(item, set));
    assert_hr(S_OK, IFsiItem_get_LastModifiedTime(item, &when));
    assert_true(when > set - 1e-8 && when < set + 1e-8);
    assert_hr(IMAPI_E_INVALID_DATE, IFsiItem_put_CreationTime(item, 1e9));
    assert_hr(S_OK, IFsiItem_get_IsHidden(item, &hidden));
    assert_int_equal(hidden, VARIANT_FALSE);
    assert_hr(S_OK, IFsiItem_put_IsHidden(item, VARIANT_TRUE));
    assert_hr(S_OK, IFsiItem_get_IsHidden(item, &hidden));
    assert_int_equal(hidden, VARIANT_TRUE);
    IFsiItem_Release(item);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* A stream that claims a size but fails (or ends early) when read. */
static BYTE letter_x(ULONGLONG offset) { (void)offset; return 'x'; }

static IStream *bad_stream(ULONGLONG claimed, ULONGLONG actual, BOOL fails)
{
    struct computed_stream *s = computed_stream(claimed, actual, letter_x, FALSE);
    s->read_fails = fails;
    return &s->IStream_iface;
}

static void test_failing_or_inconsistent_source_streams_fail_the_image_read(void **state)
{
    static const struct { ULONGLONG claimed, actual; BOOL fails; HRESULT expected; } cases[] = {
        { 10000, 0, TRUE, IMAPI_E_DATA_STREAM_READ_FAILURE },
        { 10000, 4000, FALSE, IMAPI_E_DATA_STREAM_INCONSISTENCY },   /* shrank */
        { 10000, 20000, FALSE, IMAPI_E_DATA_STREAM_INCONSISTENCY },  /* grew */
        { 10000, 10000, FALSE, S_OK },
    };
    size_t i;
    (void)state;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        IFileSystemImage3 *image = fsi_test_image();
        IFsiDirectoryItem *root = fsi_test_root(image);
        IStream *stream = bad_stream(cases[i].claimed, cases[i].actual, cases[i].fails);
        BSTR name = SysAllocString(L"broken.bin");
        HRESULT hr;

        assert_hr(S_OK, IFsiDirectoryItem_AddFile(root, name, stream));
        hr = read_whole_image(image);
        assert_hr(cases[i].expected, hr);
        if (FAILED(hr)) {
            BSTR text = com_test_error_description();
            assert_non_null(text);
            if (!wcsstr(text, L"broken.bin"))
                fail_msg("the message does not name the file: %ls", text);
            SysFreeString(text);
        }
        SysFreeString(name);
        IStream_Release(stream);
        IFsiDirectoryItem_Release(root);
        IFileSystemImage3_Release(image);
    }
}

static void test_file_sizes_of_4_gib_and_more_split_into_32_bit_halves(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IStream *stream = bad_stream(0x100000005ull, 0, TRUE);
    BSTR name = SysAllocString(L"huge.bin");
    IFsiItem *item;
    IFsiFileItem *file = NULL;
    LONG low = 0, high = 0;
    (void)state;

    assert_hr(S_OK, IFsiDirectoryItem_AddFile(root, name, stream));
    item = item_at(root, L"huge.bin");
    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file));
    assert_hr(S_OK, IFsiFileItem_get_DataSize32BitLow(file, &low));
    assert_hr(S_OK, IFsiFileItem_get_DataSize32BitHigh(file, &high));
    assert_int_equal(low, 5);
    assert_int_equal(high, 1);
    IFsiFileItem_Release(file);
    IFsiItem_Release(item);
    SysFreeString(name);
    IStream_Release(stream);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_data_gives_the_files_stream_and_a_file_starts_without_named_streams(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiItem *item;
    IFsiFileItem2 *file = NULL;
    IFsiNamedStreams *streams = NULL;
    IStream *data = NULL;
    BYTE bytes[40];
    ULONG got = 0, i;
    LONG count = -1;
    VARIANT_BOOL flag = VARIANT_TRUE;
    BSTR name = SysAllocString(L"s");
    (void)state;

    fsi_test_add_file(root, L"f.bin", 40, 9);
    item = item_at(root, L"f.bin");
    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem2, (void **)&file));
    assert_hr(S_OK, IFsiFileItem2_get_Data(file, &data));
    assert_hr(S_OK, IStream_Read(data, bytes, sizeof(bytes), &got));
    assert_int_equal(got, 40);
    for (i = 0; i < 40; i++)
        assert_int_equal(bytes[i], fsi_test_pattern(i, 9));
    assert_hr(S_OK, IFsiFileItem2_get_FsiNamedStreams(file, &streams));
    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    assert_int_equal(count, 0);
    assert_hr(S_OK, IFsiFileItem2_get_IsNamedStream(file, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    /* Kept, but the default file systems (no UDF 2.00+) do not record it (test_named_streams). */
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED, IFsiFileItem2_AddStream(file, name, data));
    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    assert_int_equal(count, 1);
    assert_hr(S_OK, IFsiFileItem2_get_IsRealTime(file, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    assert_hr(S_OK, IFsiFileItem2_put_IsRealTime(file, VARIANT_FALSE));
    /* Kept, but the default file systems (ISO 9660 + Joliet, no UDF 2.01+) cannot show it. */
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED, IFsiFileItem2_put_IsRealTime(file, VARIANT_TRUE));
    assert_hr(S_OK, IFsiFileItem2_get_IsRealTime(file, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    IFsiNamedStreams_Release(streams);
    IStream_Release(data);
    IFsiFileItem2_Release(file);
    IFsiItem_Release(item);
    SysFreeString(name);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_add_tree_mirrors_a_folder_with_or_without_its_base(void **state)
{
    WCHAR folder[MAX_PATH], sub[MAX_PATH];
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    BYTE data[3000];
    BSTR source;
    ULONG sectors, i;
    BYTE *bytes;
    LONG files = 0;
    (void)state;

    for (i = 0; i < sizeof(data); i++)
        data[i] = fsi_test_pattern(i, 4);
    fsi_test_temp_folder(folder, L"addtree");
    _snwprintf(sub, MAX_PATH, L"%ls\\Sub Folder", folder);
    CreateDirectoryW(sub, NULL);
    fsi_test_write_host_file(folder, L"one.bin", data, sizeof(data));
    fsi_test_write_host_file(sub, L"two.bin", data, 1000);
    fsi_test_write_host_file(sub, L"empty.txt", data, 0);
    source = SysAllocString(folder);

    assert_hr(S_OK, IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 3);
    /* Again, with the base folder: the folder itself becomes a directory. */
    assert_hr(S_OK, IFsiDirectoryItem_AddTree(root, source, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 6);
    /* And again: the folder's content prevails, nothing is doubled. */
    assert_hr(S_OK, IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 6);

    bytes = fsi_test_read_image(image, &sectors);
    fsi_test_assert_file(bytes, sectors, "ONE.BIN;1", 3000, 4);
    fsi_test_assert_file(bytes, sectors, "SUB_FOLDER/TWO.BIN;1", 1000, 4);
    fsi_test_assert_file(bytes, sectors, "SUB_FOLDER/EMPTY.TXT;1", 0, 4);
    {
        char base[64];
        WideCharToMultiByte(CP_UTF8, 0, wcsrchr(folder, '\\') + 1, -1, base, sizeof(base), NULL,
                            NULL);
        for (i = 0; base[i]; i++)
            base[i] = base[i] == '-' ? '_' : (char)toupper((unsigned char)base[i]);
        strcat(base, "/ONE.BIN;1");
        fsi_test_assert_file(bytes, sectors, base, 3000, 4);
    }
    free(bytes);
    SysFreeString(source);
    fsi_test_remove_folder(folder);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_add_tree_of_a_missing_folder_fails_and_changes_nothing(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    BSTR missing = SysAllocString(L"C:\\no\\such\\folder");
    LONG point = -1, after = -1;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &point));
    assert_true(FAILED(IFsiDirectoryItem_AddTree(root, missing, VARIANT_TRUE)));
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiDirectoryItem_AddTree(root, NULL, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &after));
    assert_int_equal(point, after);
    assert_int_equal(count_of(root), 0);
    SysFreeString(missing);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_restricted_names_and_add_tree_failing_midway_change_nothing(void **state)
{
    WCHAR folder[MAX_PATH], sub[MAX_PATH];
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiFileItem *file = NULL;
    BSTR accented = SysAllocString(L"caf\x00e9"), plain = SysAllocString(L"cafe"), source;
    LONG before = -1, after = -1, files = -1;
    (void)state;

    fsi_test_add_file(root, L"kept.txt", 1, 0);
    assert_hr(S_OK, IFileSystemImage3_put_UseRestrictedCharacterSet(image, VARIANT_TRUE));
    assert_hr(IMAPI_E_RESTRICTED_NAME_VIOLATION, IFsiDirectoryItem_AddDirectory(root, accented));
    assert_hr(IMAPI_E_RESTRICTED_NAME_VIOLATION,
              IFileSystemImage3_CreateFileItem(image, accented, &file));
    assert_hr(S_OK, IFsiDirectoryItem_AddDirectory(root, plain));

    /* A folder whose last entry breaks the rule: what AddTree added before it goes again. */
    fsi_test_temp_folder(folder, L"restricted");
    _snwprintf(sub, MAX_PATH, L"%ls\\a first", folder);
    CreateDirectoryW(sub, NULL);
    fsi_test_write_host_file(sub, L"one.txt", "1", 1);
    fsi_test_write_host_file(folder, L"b.txt", "2", 1);
    fsi_test_write_host_file(folder, L"z \x00e9t\x00e9.txt", "3", 1);
    source = SysAllocString(folder);
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &before));
    assert_hr(IMAPI_E_RESTRICTED_NAME_VIOLATION,
              IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &after));
    assert_int_equal(after, before);
    assert_int_equal(count_of(root), 2);
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 1);
    assert_hr(IMAPI_E_ITEM_NOT_FOUND, item_hr(root, L"a first"));
    /* Without the restriction the same folder goes in whole. */
    assert_hr(S_OK, IFileSystemImage3_put_UseRestrictedCharacterSet(image, VARIANT_FALSE));
    assert_hr(S_OK, IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 4);

    fsi_test_remove_folder(folder);
    SysFreeString(source);
    SysFreeString(accented);
    SysFreeString(plain);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_directory_and_file_then_find_them_by_path),
        cmocka_unit_test(test_bad_paths_duplicates_and_missing_items_fail_as_documented),
        cmocka_unit_test(test_remove_and_remove_tree),
        cmocka_unit_test(test_detached_items_are_added_with_add),
        cmocka_unit_test(test_enumerators_list_children_in_order),
        cmocka_unit_test(test_names_on_disc_times_and_hidden_flag),
        cmocka_unit_test(test_failing_or_inconsistent_source_streams_fail_the_image_read),
        cmocka_unit_test(test_file_sizes_of_4_gib_and_more_split_into_32_bit_halves),
        cmocka_unit_test(test_data_gives_the_files_stream_and_a_file_starts_without_named_streams),
        cmocka_unit_test(test_add_tree_mirrors_a_folder_with_or_without_its_base),
        cmocka_unit_test(test_add_tree_of_a_missing_folder_fails_and_changes_nothing),
        cmocka_unit_test(test_restricted_names_and_add_tree_failing_midway_change_nothing),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
