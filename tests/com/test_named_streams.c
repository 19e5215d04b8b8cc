/*
 * Named streams through COM (IFsiFileItem2::AddStream, RemoveStream, FsiNamedStreams,
 * IsNamedStream; IFsiNamedStreams; IFsiDirectoryItem2::AddTreeWithNamedStreams): the success
 * codes that say whether FileSystemsToCreate and UDFRevision record streams, every documented
 * failure, duplicates without regard to case, the collection (a live view) and its enumerators
 * (snapshots), what a stream item answers, rollback leaving streams alone, stream data read only
 * when the image is read, and images of UDF 2.01 and 2.60 (bridged with ISO 9660/Joliet and
 * alone) whose stream directories, names and bytes the tests' own UDF walk finds.
 */
#include "computed_stream.h"
#include "udf_test_walk.h"

#define FILE_TYPE_STREAM_DIRECTORY 13
#define ICB_FLAG_STREAM 0x2000

static IFsiFileItem2 *file_at(IFsiDirectoryItem *dir, const WCHAR *path)
{
    BSTR text = SysAllocString(path);
    IFsiFileItem2 *file = NULL;
    IFsiItem *item = NULL;

    assert_hr(S_OK, IFsiDirectoryItem_get_Item(dir, text, &item));
    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem2, (void **)&file));
    IFsiItem_Release(item);
    SysFreeString(text);
    return file;
}

/* AddStream with `size` bytes of the pattern of `seed`. */
static HRESULT add_stream(IFsiFileItem2 *file, const WCHAR *name, size_t size, unsigned seed)
{
    IStream *data = fsi_test_stream(size, seed);
    BSTR text = name ? SysAllocString(name) : NULL;
    HRESULT hr = IFsiFileItem2_AddStream(file, text, data);

    SysFreeString(text);
    IStream_Release(data);
    return hr;
}

static HRESULT remove_stream(IFsiFileItem2 *file, const WCHAR *name)
{
    BSTR text = name ? SysAllocString(name) : NULL;
    HRESULT hr = IFsiFileItem2_RemoveStream(file, text);

    SysFreeString(text);
    return hr;
}

static IFsiNamedStreams *streams_of(IFsiFileItem2 *file)
{
    IFsiNamedStreams *streams = NULL;
    assert_hr(S_OK, IFsiFileItem2_get_FsiNamedStreams(file, &streams));
    assert_non_null(streams);
    return streams;
}

static LONG stream_count(IFsiFileItem2 *file)
{
    IFsiNamedStreams *streams = streams_of(file);
    LONG count = -1;

    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    IFsiNamedStreams_Release(streams);
    return count;
}

/* The stream item at `index` of the file's collection. */
static IFsiFileItem2 *stream_at(IFsiFileItem2 *file, LONG index)
{
    IFsiNamedStreams *streams = streams_of(file);
    IFsiFileItem2 *stream = NULL;

    assert_hr(S_OK, IFsiNamedStreams_get_Item(streams, index, &stream));
    assert_non_null(stream);
    IFsiNamedStreams_Release(streams);
    return stream;
}

static void assert_bstr(BSTR actual, const WCHAR *expected)
{
    if (lstrcmpW(actual ? actual : L"", expected))
        fail_msg("got \"%ls\", expected \"%ls\"", actual ? actual : L"(null)", expected);
    SysFreeString(actual);
}

static void assert_name(IFsiFileItem2 *item, const WCHAR *expected)
{
    BSTR name = NULL;
    assert_hr(S_OK, IFsiFileItem2_get_Name(item, &name));
    assert_bstr(name, expected);
}

/* The last error's description mentions `word`. */
static void assert_message_has(const WCHAR *word)
{
    BSTR text = com_test_error_description();
    if (!text || !wcsstr(text, word))
        fail_msg("error description \"%ls\" lacks \"%ls\"", text ? text : L"(none)", word);
    SysFreeString(text);
}

/* ---- A stream that counts its reads and may lie about its size or fail Stat and Seek ---- */

static BYTE pattern_5(ULONGLONG offset) { return fsi_test_pattern((size_t)offset, 5); }

static struct computed_stream *test_stream(ULONGLONG claimed, ULONGLONG actual,
                                          BOOL cannot_tell)
{
    return computed_stream(claimed, actual, pattern_5, cannot_tell);
}

/* ---- The tests ---- */

static void test_add_stream_says_whether_the_file_systems_record_streams(void **state)
{
    static const struct {
        FsiFileSystems systems;
        LONG revision;
    } cases[] = {
        { FsiFileSystemISO9660 | FsiFileSystemJoliet, 0x260 },  /* no UDF: the revision is moot */
        { FsiFileSystemUDF, 0x102 }, { FsiFileSystemUDF, 0x150 }, { 7, 0x150 },
        { FsiFileSystemUDF, 0x200 }, { FsiFileSystemUDF, 0x201 }, { 7, 0x201 },
        { FsiFileSystemUDF, 0x250 }, { FsiFileSystemUDF, 0x260 }, { 7, 0x260 },
    };
    size_t i;
    (void)state;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        IFileSystemImage3 *image = udf_image(cases[i].systems, cases[i].revision, L"CODES");
        IFsiDirectoryItem *root = fsi_test_root(image);
        BOOL recorded = (cases[i].systems & FsiFileSystemUDF) && cases[i].revision >= 0x200;
        HRESULT expected = recorded ? S_OK : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED;
        IFsiFileItem2 *file;
        LONG files = 0;

        fsi_test_add_file(root, L"a.txt", 10, 1);
        file = file_at(root, L"a.txt");
        assert_hr(expected, add_stream(file, L"one", 5, 2));
        /* Added either way, as documented. */
        assert_hr(expected, add_stream(file, L"two", 0, 3));
        assert_int_equal(stream_count(file), 2);
        assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
        assert_int_equal(files, 1);                 /* streams are not files */
        assert_hr(S_OK, remove_stream(file, L"one"));
        assert_int_equal(stream_count(file), 1);
        IFsiFileItem2_Release(file);
        IFsiDirectoryItem_Release(root);
        IFileSystemImage3_Release(image);
    }
}

static void test_add_stream_failures_are_the_documented_ones(void **state)
{
    static const WCHAR *const bad_names[] = {
        L"a:b", L"a\\b", L"a/b", L"*", L"what?", L"\"q\"", L"<", L">", L"|", L".", L"..",
        L"tab\there",
    };
    IFileSystemImage3 *image = udf_image(7, 0x201, L"FAILURES");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IStream *data = fsi_test_stream(4, 1);
    IFsiFileItem *detached = NULL;
    IFsiFileItem2 *file, *loose = NULL;
    struct computed_stream *mute = test_stream(0, 0, TRUE);
    BSTR name = SysAllocString(L"s"), empty = SysAllocString(L""), loose_name;
    WCHAR long_name[257];
    LONGLONG size = 0;
    size_t i;
    (void)state;

    fsi_test_add_file(root, L"f.bin", 3, 1);
    file = file_at(root, L"f.bin");
    assert_hr(E_POINTER, IFsiFileItem2_AddStream(file, name, NULL));
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiFileItem2_AddStream(file, NULL, data));
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiFileItem2_AddStream(file, empty, data));
    assert_message_has(L"name");
    for (i = 0; i < ARRAY_SIZE(bad_names); i++)
        if (add_stream(file, bad_names[i], 1, 0) != IMAPI_E_INVALID_PARAM)
            fail_msg("the stream name \"%ls\" was not refused", bad_names[i]);
    for (i = 0; i < 256; i++)
        long_name[i] = 'n';
    long_name[256] = 0;
    assert_hr(IMAPI_E_INVALID_PARAM, add_stream(file, long_name, 1, 0));
    long_name[255] = 0;
    assert_hr(S_OK, add_stream(file, long_name, 1, 0));    /* 255 characters are fine */

    /* Duplicates without regard to case; the first stream stays as it was. */
    assert_hr(S_OK, add_stream(file, L"Zone.Identifier", 7, 2));
    assert_hr(IMAPI_E_DUP_NAME, add_stream(file, L"zone.IDENTIFIER", 99, 3));
    assert_message_has(L"already");
    {
        IFsiFileItem2 *stream = stream_at(file, 1);
        assert_name(stream, L"Zone.Identifier");
        assert_hr(S_OK, IFsiFileItem2_get_DataSize(stream, &size));
        assert_int_equal(size, 7);
        IFsiFileItem2_Release(stream);
    }
    assert_int_equal(stream_count(file), 2);

    /* A stream that cannot tell its size. */
    assert_hr(IMAPI_E_DATA_STREAM_CREATE_FAILURE,
              IFsiFileItem2_AddStream(file, name, &mute->IStream_iface));
    assert_int_equal(stream_count(file), 2);

    /* Only files in the image: not one made with CreateFileItem, nor one removed. */
    loose_name = SysAllocString(L"loose.txt");
    assert_hr(S_OK, IFileSystemImage3_CreateFileItem(image, loose_name, &detached));
    assert_hr(S_OK, IFsiFileItem_QueryInterface(detached, &IID_IFsiFileItem2, (void **)&loose));
    assert_hr(IMAPI_E_NOT_IN_FILE_SYSTEM, add_stream(loose, L"s", 1, 0));
    assert_hr(IMAPI_E_NOT_IN_FILE_SYSTEM, remove_stream(loose, L"s"));
    assert_hr(S_OK, IFsiDirectoryItem_Add(root, (IFsiItem *)detached));
    assert_hr(S_OK, add_stream(loose, L"s", 1, 0));         /* once added, it can */
    assert_hr(S_OK, IFsiDirectoryItem_Remove(root, loose_name));
    assert_hr(IMAPI_E_NOT_IN_FILE_SYSTEM, add_stream(loose, L"t", 1, 0));
    assert_message_has(L"not in the image");
    assert_int_equal(stream_count(loose), 1);               /* it keeps what it had */

    /* UseRestrictedCharacterSet applies to stream names as to item names. */
    assert_hr(S_OK, IFileSystemImage3_put_UseRestrictedCharacterSet(image, VARIANT_TRUE));
    assert_hr(IMAPI_E_RESTRICTED_NAME_VIOLATION, add_stream(file, L"caf\x00e9", 1, 0));
    assert_hr(S_OK, IFileSystemImage3_put_UseRestrictedCharacterSet(image, VARIANT_FALSE));
    assert_hr(S_OK, add_stream(file, L"caf\x00e9", 1, 0));

    IStream_Release(&mute->IStream_iface);
    IFsiFileItem2_Release(loose);
    IFsiFileItem_Release(detached);
    SysFreeString(loose_name);
    SysFreeString(empty);
    SysFreeString(name);
    IStream_Release(data);
    IFsiFileItem2_Release(file);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_remove_stream_by_name_in_any_case(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x260, L"REMOVE");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiFileItem2 *file, *removed;
    VARIANT_BOOL flag = VARIANT_FALSE;
    BSTR text = NULL;
    (void)state;

    fsi_test_add_file(root, L"f.bin", 3, 1);
    file = file_at(root, L"f.bin");
    assert_hr(S_OK, add_stream(file, L"first", 2, 1));
    assert_hr(S_OK, add_stream(file, L"Second", 3, 2));
    removed = stream_at(file, 0);

    assert_hr(IMAPI_E_ITEM_NOT_FOUND, remove_stream(file, L"third"));
    assert_message_has(L"no named stream");
    assert_hr(IMAPI_E_INVALID_PARAM, remove_stream(file, NULL));
    assert_hr(IMAPI_E_INVALID_PARAM, remove_stream(file, L""));
    assert_hr(S_OK, remove_stream(file, L"FIRST"));
    assert_int_equal(stream_count(file), 1);
    assert_hr(IMAPI_E_ITEM_NOT_FOUND, remove_stream(file, L"first"));
    {
        IFsiFileItem2 *left = stream_at(file, 0);
        assert_name(left, L"Second");
        IFsiFileItem2_Release(left);
    }
    /* An item of a removed stream is still a stream item; the name can be used again. */
    assert_hr(S_OK, IFsiFileItem2_get_IsNamedStream(removed, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(S_OK, IFsiFileItem2_get_FullPath(removed, &text));
    assert_bstr(text, L"\\f.bin:first");
    assert_hr(S_OK, add_stream(file, L"first", 4, 3));
    assert_int_equal(stream_count(file), 2);
    /* Removing every stream leaves an empty collection. */
    assert_hr(S_OK, remove_stream(file, L"second"));
    assert_hr(S_OK, remove_stream(file, L"first"));
    assert_int_equal(stream_count(file), 0);

    IFsiFileItem2_Release(removed);
    IFsiFileItem2_Release(file);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_the_collection_is_live_and_its_enumerators_are_snapshots(void **state)
{
    static const WCHAR *const names[] = { L"gamma", L"alpha", L"beta" };
    IFileSystemImage3 *image = udf_image(7, 0x201, L"COLLECTION");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiNamedStreams *streams;
    IFsiFileItem2 *file, *item = (IFsiFileItem2 *)0x1;
    IEnumVARIANT *variants = NULL;
    IEnumFsiItems *items = NULL;
    IFsiItem *got[4] = { 0 };
    VARIANT values[4];
    ULONG fetched = 0, i;
    LONG count = -1;
    BSTR name;
    (void)state;

    fsi_test_add_file(root, L"f.bin", 3, 1);
    file = file_at(root, L"f.bin");
    streams = streams_of(file);                 /* taken before any stream exists */
    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    assert_int_equal(count, 0);
    for (i = 0; i < ARRAY_SIZE(names); i++)
        assert_hr(S_OK, add_stream(file, names[i], i + 1, i));
    /* Live: the collection sees what was added after it was taken. */
    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    assert_int_equal(count, 3);
    for (i = 0; i < ARRAY_SIZE(names); i++) {                /* zero-based, in added order */
        assert_hr(S_OK, IFsiNamedStreams_get_Item(streams, (LONG)i, &item));
        assert_name(item, names[i]);
        IFsiFileItem2_Release(item);
    }
    item = (IFsiFileItem2 *)0x1;
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiNamedStreams_get_Item(streams, 3, &item));
    assert_null(item);
    item = (IFsiFileItem2 *)0x1;
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiNamedStreams_get_Item(streams, -1, &item));
    assert_null(item);
    assert_hr(E_POINTER, IFsiNamedStreams_get_Item(streams, 0, NULL));
    assert_hr(E_POINTER, IFsiNamedStreams_get_Count(streams, NULL));
    assert_hr(E_POINTER, IFsiNamedStreams_get__NewEnum(streams, NULL));
    assert_hr(E_POINTER, IFsiNamedStreams_get_EnumNamedStreams(streams, NULL));
    assert_hr(E_POINTER, IFsiFileItem2_get_FsiNamedStreams(file, NULL));

    /* _NewEnum: IDispatch items (what For Each walks). */
    assert_hr(S_OK, IFsiNamedStreams_get__NewEnum(streams, &variants));
    assert_hr(S_FALSE, IEnumVARIANT_Next(variants, 4, values, &fetched));
    assert_int_equal(fetched, 3);
    for (i = 0; i < 3; i++) {
        IFsiFileItem2 *stream = NULL;
        VARIANT_BOOL flag = VARIANT_FALSE;
        assert_int_equal(V_VT(&values[i]), VT_DISPATCH);
        assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&values[i]), &IID_IFsiFileItem2,
                                                 (void **)&stream));
        assert_hr(S_OK, IFsiFileItem2_get_IsNamedStream(stream, &flag));
        assert_int_equal(flag, VARIANT_TRUE);
        assert_name(stream, names[i]);
        IFsiFileItem2_Release(stream);
        VariantClear(&values[i]);
    }
    /* EnumNamedStreams: IEnumFsiItems over the same streams. */
    assert_hr(S_OK, IFsiNamedStreams_get_EnumNamedStreams(streams, &items));
    assert_hr(S_FALSE, IEnumFsiItems_Next(items, 4, got, &fetched));
    assert_int_equal(fetched, 3);
    for (i = 0; i < 3; i++) {
        assert_hr(S_OK, IFsiItem_get_Name(got[i], &name));
        assert_bstr(name, names[i]);
        IFsiItem_Release(got[i]);
    }
    /* Snapshots: a stream added or removed later does not change them. */
    assert_hr(S_OK, add_stream(file, L"delta", 1, 9));
    assert_hr(S_OK, remove_stream(file, L"gamma"));
    assert_hr(S_OK, IEnumVARIANT_Reset(variants));
    assert_hr(S_FALSE, IEnumVARIANT_Next(variants, 4, values, &fetched));
    assert_int_equal(fetched, 3);
    for (i = 0; i < 3; i++)
        VariantClear(&values[i]);
    assert_hr(S_OK, IEnumFsiItems_Reset(items));
    assert_hr(S_OK, IEnumFsiItems_Next(items, 1, got, NULL));
    assert_hr(S_OK, IFsiItem_get_Name(got[0], &name));
    assert_bstr(name, L"gamma");                /* removed since, still a stream item */
    IFsiItem_Release(got[0]);
    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    assert_int_equal(count, 3);
    assert_hr(S_OK, IFsiNamedStreams_get_Item(streams, 2, &item));
    assert_name(item, L"delta");
    IFsiFileItem2_Release(item);

    IEnumFsiItems_Release(items);
    IEnumVARIANT_Release(variants);
    IFsiNamedStreams_Release(streams);
    IFsiFileItem2_Release(file);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_a_stream_item_answers_as_documented(void **state)
{
    IFileSystemImage3 *image = udf_image(7, 0x260, L"ITEM");
    IFsiDirectoryItem *root = fsi_test_root(image), *as_dir = NULL;
    IFsiFileItem2 *file, *stream;
    IFsiNamedStreams *none = (IFsiNamedStreams *)0x1;
    IStream *data = NULL, *other = fsi_test_stream(2, 0);
    VARIANT_BOOL flag = VARIANT_FALSE;
    DATE file_time = 0, stream_time = 0, set = 45000.5;
    LONGLONG size = 0;
    LONG low = 0, high = -1, files = 0;
    BYTE bytes[3000];
    ULONG got = 0, i;
    BSTR text = NULL;
    (void)state;

    fsi_test_add_directory(root, L"dir");
    fsi_test_add_file(root, L"dir\\a.txt", 10, 1);
    file = file_at(root, L"dir\\a.txt");
    assert_hr(S_OK, add_stream(file, L"Zone.Identifier", 2500, 7));
    stream = stream_at(file, 0);

    assert_hr(S_OK, IFsiFileItem2_get_IsNamedStream(stream, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(S_OK, IFsiFileItem2_get_IsNamedStream(file, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    assert_hr(E_POINTER, IFsiFileItem2_get_IsNamedStream(stream, NULL));
    assert_name(stream, L"Zone.Identifier");
    assert_hr(S_OK, IFsiFileItem2_get_FullPath(stream, &text));
    assert_bstr(text, L"\\dir\\a.txt:Zone.Identifier");
    assert_hr(S_OK, IFsiFileItem2_get_DataSize(stream, &size));
    assert_int_equal(size, 2500);
    assert_hr(S_OK, IFsiFileItem2_get_DataSize32BitLow(stream, &low));
    assert_hr(S_OK, IFsiFileItem2_get_DataSize32BitHigh(stream, &high));
    assert_int_equal(low, 2500);
    assert_int_equal(high, 0);
    /* Data: the stream's own bytes; read-only, replaced only by removing and adding again. */
    assert_hr(S_OK, IFsiFileItem2_get_Data(stream, &data));
    assert_hr(S_OK, IStream_Read(data, bytes, sizeof(bytes), &got));
    assert_int_equal(got, 2500);
    for (i = 0; i < got; i++)
        assert_int_equal(bytes[i], fsi_test_pattern(i, 7));
    IStream_Release(data);
    assert_hr(IMAPI_E_READONLY, IFsiFileItem2_put_Data(stream, other));
    assert_message_has(L"RemoveStream");
    /* Times and the hidden flag are the file's, also after they change; read-only here. */
    assert_hr(S_OK, IFsiFileItem2_put_LastModifiedTime(file, set));
    assert_hr(S_OK, IFsiFileItem2_get_LastModifiedTime(stream, &stream_time));
    assert_hr(S_OK, IFsiFileItem2_get_LastModifiedTime(file, &file_time));
    assert_true(stream_time == file_time);
    assert_true(stream_time > 44999 && stream_time < 45001);
    assert_hr(S_OK, IFsiFileItem2_get_CreationTime(stream, &stream_time));
    assert_hr(S_OK, IFsiFileItem2_get_CreationTime(file, &file_time));
    assert_true(stream_time == file_time);
    assert_hr(IMAPI_E_READONLY, IFsiFileItem2_put_CreationTime(stream, set));
    assert_hr(IMAPI_E_READONLY, IFsiFileItem2_put_LastAccessedTime(stream, set));
    assert_hr(IMAPI_E_READONLY, IFsiFileItem2_put_LastModifiedTime(stream, set));
    assert_hr(S_OK, IFsiFileItem2_put_IsHidden(file, VARIANT_TRUE));
    assert_hr(S_OK, IFsiFileItem2_get_IsHidden(stream, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(IMAPI_E_READONLY, IFsiFileItem2_put_IsHidden(stream, VARIANT_FALSE));
    /* What only files have. */
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, IFsiFileItem2_get_IsRealTime(stream, &flag));
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, IFsiFileItem2_put_IsRealTime(stream, VARIANT_TRUE));
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, IFsiFileItem2_get_FsiNamedStreams(stream, &none));
    assert_null(none);
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, add_stream(stream, L"inner", 1, 0));
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, remove_stream(stream, L"inner"));
    assert_message_has(L"named stream");
    /* Names on disc: UDF names streams, ISO 9660 and Joliet do not. */
    assert_hr(S_OK, IFsiFileItem2_FileSystemName(stream, FsiFileSystemUDF, &text));
    assert_bstr(text, L"Zone.Identifier");
    assert_hr(S_OK, IFsiFileItem2_FileSystemPath(stream, FsiFileSystemUDF, &text));
    assert_bstr(text, L"\\dir\\a.txt:Zone.Identifier");
    assert_hr(IMAPI_E_INVALID_PARAM,
              IFsiFileItem2_FileSystemName(stream, FsiFileSystemISO9660, &text));
    assert_hr(IMAPI_E_INVALID_PARAM,
              IFsiFileItem2_FileSystemPath(stream, FsiFileSystemJoliet, &text));
    /* A stream is not a directory and cannot be put into one. */
    assert_hr(E_NOINTERFACE, IFsiFileItem2_QueryInterface(stream, &IID_IFsiDirectoryItem,
                                                          (void **)&as_dir));
    assert_hr(IMAPI_E_INVALID_PARAM, IFsiDirectoryItem_Add(root, (IFsiItem *)stream));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 1);

    IStream_Release(other);
    IFsiFileItem2_Release(stream);
    IFsiFileItem2_Release(file);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* Streams are outside the change log: RollbackToChangePoint neither removes those added after
   the change point nor brings back those removed (a file that the rollback takes out of the
   image keeps its streams, and they come back with it). */
static void test_rollback_leaves_streams_alone(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x201, L"ROLLBACK");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiFileItem2 *kept, *later;
    LONG point = 0, files = -1;
    (void)state;

    fsi_test_add_file(root, L"kept.txt", 1, 0);
    kept = file_at(root, L"kept.txt");
    assert_hr(S_OK, add_stream(kept, L"old", 1, 0));
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &point));
    assert_hr(S_OK, add_stream(kept, L"new", 1, 0));
    assert_hr(S_OK, remove_stream(kept, L"old"));
    fsi_test_add_file(root, L"later.txt", 1, 0);
    later = file_at(root, L"later.txt");
    assert_hr(S_OK, add_stream(later, L"s", 1, 0));
    assert_hr(S_OK, IFileSystemImage3_RollbackToChangePoint(image, point));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 1);
    assert_int_equal(stream_count(kept), 1);
    {
        IFsiFileItem2 *stream = stream_at(kept, 0);
        assert_name(stream, L"new");
        IFsiFileItem2_Release(stream);
    }
    assert_int_equal(stream_count(later), 1);
    assert_hr(IMAPI_E_NOT_IN_FILE_SYSTEM, add_stream(later, L"t", 1, 0));
    IFsiFileItem2_Release(later);
    IFsiFileItem2_Release(kept);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_stream_data_is_read_only_while_the_image_is_read(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x102, L"LAZY");
    IFsiDirectoryItem *root = fsi_test_root(image);
    struct computed_stream *lazy = test_stream(3000, 3000, FALSE);
    struct computed_stream *short_one = test_stream(100, 10, FALSE);
    BSTR name = SysAllocString(L"lazy"), short_name = SysAllocString(L"short");
    IFsiFileItem2 *file;
    (void)state;

    fsi_test_add_file(root, L"f.bin", 3, 1);
    file = file_at(root, L"f.bin");
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
              IFsiFileItem2_AddStream(file, name, &lazy->IStream_iface));
    assert_int_equal(lazy->reads, 0);
    /* UDF 1.02 does not record streams: the image never reads them. */
    assert_hr(S_OK, read_whole_image(image));
    assert_int_equal(lazy->reads, 0);
    /* UDF 2.01 does. */
    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, 0x201));
    assert_hr(S_OK, read_whole_image(image));
    assert_true(lazy->reads > 0);
    /* A stream that gives fewer bytes than it said fails the read, as a file's data does. */
    assert_hr(S_OK, IFsiFileItem2_AddStream(file, short_name, &short_one->IStream_iface));
    assert_hr(IMAPI_E_DATA_STREAM_INCONSISTENCY, read_whole_image(image));
    assert_hr(S_OK, remove_stream(file, L"short"));
    assert_hr(S_OK, read_whole_image(image));

    IFsiFileItem2_Release(file);
    SysFreeString(name);
    SysFreeString(short_name);
    IStream_Release(&lazy->IStream_iface);
    IStream_Release(&short_one->IStream_iface);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* ---- On disc ---- */

/* Asserts that `path`'s file entry has a stream directory naming exactly `count` streams with
   the UDF names of the file's stream items and their bytes (the pattern of seeds[i]). */
static void assert_streams_on_disc(const struct udf_view *view, IFsiFileItem2 *file,
                                   const WCHAR *path, LONG count, const unsigned *seeds)
{
    static WCHAR names[16][256];
    ULONG blocks[16], file_block = udf_lookup(view, path), parent = 0, directory;
    struct udf_entry_info entry, stream_dir, stream;
    LONG i, k;

    read_entry(view, file_block, &entry);
    directory = udf_stream_directory(&entry);
    if (!count) {
        assert_int_equal(directory, 0);
        return;
    }
    assert_int_equal(entry.tag, TAG_EXTENDED_FILE_ENTRY);
    if (!directory)
        fail_msg("%ls has no stream directory", path);
    read_entry(view, directory, &stream_dir);
    assert_int_equal(stream_dir.file_type, FILE_TYPE_STREAM_DIRECTORY);
    assert_int_equal(read_directory_entries(view, directory, names, blocks, 16, &parent),
                     (size_t)count);
    assert_int_equal(parent, file_block);                   /* the parent is the file */
    for (i = 0; i < count; i++) {
        IFsiFileItem2 *item = stream_at(file, i);
        LONGLONG size = 0;
        BSTR disc_name = NULL;
        BYTE *bytes;
        size_t b;

        assert_hr(S_OK, IFsiFileItem2_FileSystemName(item, FsiFileSystemUDF, &disc_name));
        assert_hr(S_OK, IFsiFileItem2_get_DataSize(item, &size));
        for (k = 0; k < count && wcscmp(names[k], disc_name); k++)
            ;
        if (k == count)
            fail_msg("%ls: the stream %ls is not in the stream directory", path, disc_name);
        read_entry(view, blocks[k], &stream);
        assert_int_equal(stream.tag, TAG_EXTENDED_FILE_ENTRY);
        assert_int_equal(stream.file_type, FILE_TYPE_REGULAR);
        assert_true(le16(stream.sector + 16 + 18) & ICB_FLAG_STREAM);
        assert_int_equal(stream.size, (ULONGLONG)size);
        assert_memory_equal(stream.sector + 80, entry.sector + 80, 36);  /* the file's times */
        bytes = udf_read_data(view, &stream);
        for (b = 0; b < (size_t)size; b++)
            if (bytes[b] != fsi_test_pattern(b, seeds[i]))
                fail_msg("%ls:%ls: byte %lu differs", path, disc_name, (unsigned long)b);
        free(bytes);
        SysFreeString(disc_name);
        IFsiFileItem2_Release(item);
    }
}

/* The result has a progress item described `text`. */
static void assert_progress_item(IFileSystemImageResult *result, const WCHAR *text)
{
    IProgressItems *items = NULL;
    LONG count = 0, i, found = 0;

    assert_hr(S_OK, IFileSystemImageResult_get_ProgressItems(result, &items));
    assert_hr(S_OK, IProgressItems_get_Count(items, &count));
    for (i = 0; i < count; i++) {
        IProgressItem *item = NULL;
        BSTR description = NULL;
        assert_hr(S_OK, IProgressItems_get_Item(items, i, &item));
        assert_hr(S_OK, IProgressItem_get_Description(item, &description));
        found += !wcscmp(description, text);
        SysFreeString(description);
        IProgressItem_Release(item);
    }
    IProgressItems_Release(items);
    if (found != 1)
        fail_msg("%ld progress items are described \"%ls\"", found, text);
}

static void test_udf_2_01_and_2_60_record_the_streams(void **state)
{
    static const struct {
        FsiFileSystems systems;
        LONG revision;
    } cases[] = {
        { 7, 0x201 }, { FsiFileSystemUDF, 0x201 }, { 7, 0x260 }, { FsiFileSystemUDF, 0x260 },
    };
    static const unsigned top_seeds[] = { 11, 12, 13 }, deep_seeds[] = { 21, 22, 23 };
    WCHAR folder[MAX_PATH], path[MAX_PATH], long_a[131], long_b[131];
    size_t c, i;
    (void)state;

    for (i = 0; i < 129; i++)
        long_a[i] = long_b[i] = 0x0436;                /* 'ж': too long for CS0 at 130 */
    long_a[129] = 'a';
    long_b[129] = 'b';
    long_a[130] = long_b[130] = 0;
    fsi_test_temp_folder(folder, L"streams-on-disc");
    for (c = 0; c < ARRAY_SIZE(cases); c++) {
        IFileSystemImage3 *image = udf_image(cases[c].systems, cases[c].revision, L"STREAMS");
        IFsiDirectoryItem *root = fsi_test_root(image);
        IFileSystemImageResult *result = NULL;
        IFsiFileItem2 *top, *deep, *plain;
        IStream *stream;
        struct udf_view view;
        BSTR a_name = NULL, b_name = NULL;

        fsi_test_add_file(root, L"top.txt", 100, 1);
        fsi_test_add_directory(root, L"Папка");
        fsi_test_add_file(root, L"Папка\\deep.bin", 3000, 2);
        fsi_test_add_file(root, L"plain.txt", 5, 3);
        top = file_at(root, L"top.txt");
        deep = file_at(root, L"Папка\\deep.bin");
        plain = file_at(root, L"plain.txt");
        assert_hr(S_OK, add_stream(top, L"Zone.Identifier", 26, top_seeds[0]));
        assert_hr(S_OK, add_stream(top, L"empty", 0, top_seeds[1]));
        assert_hr(S_OK, add_stream(top, L"big", 5000, top_seeds[2]));
        assert_hr(S_OK, add_stream(deep, long_a, 3, deep_seeds[0]));
        assert_hr(S_OK, add_stream(deep, long_b, 4, deep_seeds[1]));
        /* The long names are shortened, each its own way, as the stream directory holds them;
           a third stream named exactly as the first was shortened makes the first give way,
           as among the entries of a directory. */
        {
            IFsiFileItem2 *sa = stream_at(deep, 0), *sb = stream_at(deep, 1);
            BSTR again = NULL;
            assert_hr(S_OK, IFsiFileItem2_FileSystemName(sa, FsiFileSystemUDF, &a_name));
            assert_hr(S_OK, IFsiFileItem2_FileSystemName(sb, FsiFileSystemUDF, &b_name));
            assert_true(SysStringLen(a_name) < 130 && wcschr(a_name, '#'));
            assert_int_not_equal(wcscmp(a_name, b_name), 0);
            assert_hr(S_OK, add_stream(deep, a_name, 5, deep_seeds[2]));
            assert_hr(S_OK, IFsiFileItem2_FileSystemName(sa, FsiFileSystemUDF, &again));
            assert_int_not_equal(wcscmp(again, a_name), 0);
            assert_int_not_equal(wcscmp(again, b_name), 0);
            SysFreeString(again);
            SysFreeString(a_name);
            SysFreeString(b_name);
            IFsiFileItem2_Release(sa);
            IFsiFileItem2_Release(sb);
        }
        /* Changed after the streams were added: the streams are recorded with these times. */
        assert_hr(S_OK, IFsiFileItem2_put_LastModifiedTime(top, 44000.25));

        assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
        assert_progress_item(result, L"\\top.txt:big");     /* a stream's data, named so */
        /* The result is made from a snapshot: a stream added now is not in it. */
        assert_hr(S_OK, add_stream(plain, L"after", 1, 0));
        _snwprintf(path, MAX_PATH, L"%ls\\streams-%u-%lx.iso", folder,
                   (unsigned)cases[c].systems, (unsigned long)cases[c].revision);
        stream = write_and_reopen(result, path);
        udf_open(stream, &view);
        assert_streams_on_disc(&view, top, L"top.txt", 3, top_seeds);
        assert_streams_on_disc(&view, deep, L"Папка\\deep.bin", 3, deep_seeds);
        assert_streams_on_disc(&view, plain, L"plain.txt", 0, NULL);   /* added after */
        if (cases[c].systems & FsiFileSystemISO9660) {
            /* The bridge's ISO 9660 side has the files whole, their streams aside. */
            ULONG sectors;
            BYTE *bytes = fsi_test_read_image(image, &sectors);
            fsi_test_assert_file(bytes, sectors, "TOP.TXT;1", 100, 1);
            fsi_test_assert_file(bytes, sectors, "PLAIN.TXT;1", 5, 3);
            free(bytes);
        }
        IStream_Release(stream);
        DeleteFileW(path);
        IFileSystemImageResult_Release(result);
        IFsiFileItem2_Release(plain);
        IFsiFileItem2_Release(deep);
        IFsiFileItem2_Release(top);
        IFsiDirectoryItem_Release(root);
        IFileSystemImage3_Release(image);
    }
    fsi_test_remove_folder(folder);
}

static void test_before_udf_2_00_no_stream_is_recorded(void **state)
{
    static const LONG revisions[] = { 0x102, 0x150 };
    size_t r;
    (void)state;

    for (r = 0; r < ARRAY_SIZE(revisions); r++) {
        IFileSystemImage3 *image = udf_image(7, revisions[r], L"OLD");
        IFsiDirectoryItem *root = fsi_test_root(image);
        IFileSystemImageResult *result = NULL;
        IStream *stream = NULL;
        struct udf_entry_info entry;
        struct udf_view view;
        IFsiFileItem2 *file;

        fsi_test_add_file(root, L"f.txt", 10, 1);
        file = file_at(root, L"f.txt");
        assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED, add_stream(file, L"s", 10, 2));
        assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
        assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
        udf_open(stream, &view);
        read_entry(&view, udf_lookup(&view, L"f.txt"), &entry);
        assert_int_equal(entry.tag, TAG_FILE_ENTRY);       /* no extended entry, no streams */
        assert_int_equal(entry.size, 10);
        IStream_Release(stream);
        IFileSystemImageResult_Release(result);
        IFsiFileItem2_Release(file);
        IFsiDirectoryItem_Release(root);
        IFileSystemImage3_Release(image);
    }
}

/* ---- Through IDispatch, as scripts get there ---- */

/* FsiNamedStreams is restricted in Microsoft's IDL, and ITypeInfo::Invoke calls no restricted
   member with a positive DISPID: openfsi's IDispatch serves it all the same (README: scripts). */
static void test_scripts_reach_fsi_named_streams_through_idispatch(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x201, L"DISPATCH");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiFileItem2 *file, *stream;
    IFsiNamedStreams *streams = NULL;
    IDispatch *dispatch = NULL;
    DISPPARAMS none = { NULL, NULL, 0, 0 }, one;
    VARIANT result, arg;
    EXCEPINFO excep;
    OLECHAR *name = (OLECHAR *)L"FsiNamedStreams";
    DISPID id = 0;
    LONG count = 0;
    (void)state;

    fsi_test_add_file(root, L"f.bin", 3, 1);
    file = file_at(root, L"f.bin");
    assert_hr(S_OK, add_stream(file, L"s", 2, 1));
    assert_hr(S_OK, IFsiFileItem2_QueryInterface(file, &IID_IDispatch, (void **)&dispatch));
    assert_hr(S_OK, IDispatch_GetIDsOfNames(dispatch, &IID_NULL, &name, 1, 0, &id));
    assert_int_equal(id, 45);
    VariantInit(&result);
    assert_hr(S_OK, IDispatch_Invoke(dispatch, id, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none,
                                     &result, NULL, NULL));
    assert_int_equal(V_VT(&result), VT_DISPATCH);
    assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&result), &IID_IFsiNamedStreams,
                                             (void **)&streams));
    assert_hr(S_OK, IFsiNamedStreams_get_Count(streams, &count));
    assert_int_equal(count, 1);
    IFsiNamedStreams_Release(streams);
    VariantClear(&result);
    /* JScript's "file.FsiNamedStreams" may come as a method call too. */
    assert_hr(S_OK, IDispatch_Invoke(dispatch, id, &IID_NULL, 0,
                                     DISPATCH_METHOD | DISPATCH_PROPERTYGET, &none, &result,
                                     NULL, NULL));
    assert_int_equal(V_VT(&result), VT_DISPATCH);
    VariantClear(&result);
    /* It takes no argument. */
    V_VT(&arg) = VT_I4;
    V_I4(&arg) = 0;
    one.rgvarg = &arg;
    one.rgdispidNamedArgs = NULL;
    one.cArgs = 1;
    one.cNamedArgs = 0;
    assert_true(FAILED(IDispatch_Invoke(dispatch, id, &IID_NULL, 0, DISPATCH_PROPERTYGET, &one,
                                        &result, NULL, NULL)));
    IDispatch_Release(dispatch);

    /* On a stream: the documented failure, as an exception with its text. */
    stream = stream_at(file, 0);
    assert_hr(S_OK, IFsiFileItem2_QueryInterface(stream, &IID_IDispatch, (void **)&dispatch));
    memset(&excep, 0, sizeof(excep));
    assert_hr(DISP_E_EXCEPTION, IDispatch_Invoke(dispatch, id, &IID_NULL, 0,
                                                 DISPATCH_PROPERTYGET, &none, &result, &excep,
                                                 NULL));
    assert_hr(IMAPI_E_PROPERTY_NOT_ACCESSIBLE, excep.scode);
    assert_non_null(excep.bstrDescription);
    assert_non_null(wcsstr(excep.bstrDescription, L"named stream"));
    SysFreeString(excep.bstrDescription);
    SysFreeString(excep.bstrSource);
    SysFreeString(excep.bstrHelpFile);
    IDispatch_Release(dispatch);

    IFsiFileItem2_Release(stream);
    IFsiFileItem2_Release(file);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* Whatever a caller does with the streams (collections, enumerators as scripts make them, stream
   items, a result image read whole), the stream given to AddStream is let go with the image. */
static void test_the_source_stream_is_let_go_with_the_image(void **state)
{
    IFileSystemImage3 *image = udf_image(7, 0x260, L"RELEASE");
    IFsiDirectoryItem *root = fsi_test_root(image);
    struct computed_stream *data = test_stream(100, 100, FALSE);
    BSTR name = SysAllocString(L"s");
    IFsiNamedStreams *streams;
    IFsiFileItem2 *file, *stream;
    IEnumFsiItems *items = NULL;
    IDispatch *dispatch = NULL;
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    IEnumVARIANT *variants = NULL;
    IFsiItem *got = NULL;
    VARIANT result, value;
    ULONG fetched = 0;
    (void)state;

    fsi_test_add_file(root, L"f.bin", 3, 1);
    file = file_at(root, L"f.bin");
    assert_hr(S_OK, IFsiFileItem2_AddStream(file, name, &data->IStream_iface));
    assert_true(data->ref > 1);
    streams = streams_of(file);
    stream = stream_at(file, 0);
    assert_hr(S_OK, IFsiNamedStreams_get_EnumNamedStreams(streams, &items));
    assert_hr(S_OK, IEnumFsiItems_Next(items, 1, &got, NULL));
    /* _NewEnum as JScript's Enumerator asks for it. */
    assert_hr(S_OK, IFsiNamedStreams_QueryInterface(streams, &IID_IDispatch, (void **)&dispatch));
    VariantInit(&result);
    assert_hr(S_OK, IDispatch_Invoke(dispatch, DISPID_NEWENUM, &IID_NULL, 0, DISPATCH_METHOD,
                                     &none, &result, NULL, NULL));
    assert_hr(S_OK, IUnknown_QueryInterface(V_UNKNOWN(&result), &IID_IEnumVARIANT,
                                            (void **)&variants));
    VariantClear(&result);
    assert_hr(S_OK, IEnumVARIANT_Next(variants, 1, &value, &fetched));
    VariantClear(&value);
    assert_hr(S_OK, read_whole_image(image));

    IEnumVARIANT_Release(variants);
    IDispatch_Release(dispatch);
    IFsiItem_Release(got);
    IEnumFsiItems_Release(items);
    IFsiFileItem2_Release(stream);
    IFsiNamedStreams_Release(streams);
    IFsiFileItem2_Release(file);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
    assert_int_equal(data->ref, 1);         /* the test's own reference only */
    IStream_Release(&data->IStream_iface);
    SysFreeString(name);
}

/* ---- AddTreeWithNamedStreams ---- */

/* Whether the host lists a file's streams at all: on NTFS every file has "::$DATA"; Wine 8's
   FindFirstStreamW is a stub that answers ERROR_HANDLE_EOF for every file. */
static BOOL host_lists_streams(const WCHAR *file)
{
    WIN32_FIND_STREAM_DATA data;
    HANDLE find = FindFirstStreamW(file, FindStreamInfoStandard, &data, 0);

    if (find == INVALID_HANDLE_VALUE)
        return FALSE;
    FindClose(find);
    return TRUE;
}

static void test_add_tree_with_named_streams_adds_the_tree_and_the_host_streams(void **state)
{
    WCHAR folder[MAX_PATH], sub[MAX_PATH], probe[MAX_PATH];
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x201, L"HOSTSTREAMS");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFsiDirectoryItem2 *root2 = NULL;
    IFsiFileItem2 *one, *two;
    BSTR source;
    LONG files = 0, point = 0, after = 0;
    BYTE data[300];
    BOOL streams;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(data); i++)
        data[i] = fsi_test_pattern(i, 4);
    assert_hr(S_OK, IFsiDirectoryItem_QueryInterface(root, &IID_IFsiDirectoryItem2,
                                                     (void **)&root2));
    fsi_test_temp_folder(folder, L"addtree-streams");
    _snwprintf(sub, MAX_PATH, L"%ls\\sub", folder);
    CreateDirectoryW(sub, NULL);
    fsi_test_write_host_file(folder, L"one.txt", data, 300);
    fsi_test_write_host_file(sub, L"two.txt", data, 10);
    _snwprintf(probe, MAX_PATH, L"%ls\\one.txt", folder);
    streams = host_lists_streams(probe);
    if (streams) {
        fsi_test_write_host_file(folder, L"one.txt:Zone.Identifier", data, 26);
        fsi_test_write_host_file(sub, L"two.txt:extra", data + 1, 5);
    } else {
        print_message("Wine: FindFirstStreamW lists no streams (ERROR_HANDLE_EOF), so only the "
                      "case of files without alternate data streams can be checked here.\n");
    }
    source = SysAllocString(folder);

    /* An image file the folder overwrites takes the folder file's streams (none under Wine). */
    fsi_test_add_file(root, L"one.txt", 1, 0);
    one = file_at(root, L"one.txt");
    assert_hr(S_OK, add_stream(one, L"old", 1, 0));
    /* Plain AddTree leaves an overwritten file's streams as they are. */
    assert_hr(S_OK, IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE));
    assert_int_equal(stream_count(one), 1);

    assert_hr(S_OK, IFsiDirectoryItem2_AddTreeWithNamedStreams(root2, source, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 2);
    two = file_at(root, L"sub\\two.txt");
    assert_int_equal(stream_count(one), streams ? 1 : 0);
    assert_int_equal(stream_count(two), streams ? 1 : 0);
    if (streams) {
        IFsiFileItem2 *zone = stream_at(one, 0);
        LONGLONG size = 0;
        assert_name(zone, L"Zone.Identifier");
        assert_hr(S_OK, IFsiFileItem2_get_DataSize(zone, &size));
        assert_int_equal(size, 26);
        IFsiFileItem2_Release(zone);
    }
    assert_hr(S_OK, read_whole_image(image));

    /* Without UDF 2.00+ the same call says the streams will not show. */
    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, 0x150));
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
              IFsiDirectoryItem2_AddTreeWithNamedStreams(root2, source, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 4);
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, 3));
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
              IFsiDirectoryItem2_AddTreeWithNamedStreams(root2, source, VARIANT_FALSE));

    /* A call that fails midway undoes its stream changes too: "old" comes back. */
    if (streams)
        assert_hr(S_OK, remove_stream(one, L"Zone.Identifier"));
    assert_int_equal(stream_count(one), 0);
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED, add_stream(one, L"old", 1, 0));
    fsi_test_write_host_file(folder, L"z caf\x00e9.txt", data, 1);
    assert_hr(S_OK, IFileSystemImage3_put_UseRestrictedCharacterSet(image, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &point));
    assert_hr(IMAPI_E_RESTRICTED_NAME_VIOLATION,
              IFsiDirectoryItem2_AddTreeWithNamedStreams(root2, source, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_ChangePoint(image, &after));
    assert_int_equal(after, point);
    assert_int_equal(stream_count(one), 1);
    {
        IFsiFileItem2 *old = stream_at(one, 0);
        assert_name(old, L"old");
        IFsiFileItem2_Release(old);
    }
    assert_hr(IMAPI_E_INVALID_PARAM,
              IFsiDirectoryItem2_AddTreeWithNamedStreams(root2, NULL, VARIANT_FALSE));

    IFsiFileItem2_Release(two);
    IFsiFileItem2_Release(one);
    SysFreeString(source);
    fsi_test_remove_folder(folder);
    IFsiDirectoryItem2_Release(root2);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_stream_says_whether_the_file_systems_record_streams),
        cmocka_unit_test(test_add_stream_failures_are_the_documented_ones),
        cmocka_unit_test(test_remove_stream_by_name_in_any_case),
        cmocka_unit_test(test_the_collection_is_live_and_its_enumerators_are_snapshots),
        cmocka_unit_test(test_a_stream_item_answers_as_documented),
        cmocka_unit_test(test_rollback_leaves_streams_alone),
        cmocka_unit_test(test_stream_data_is_read_only_while_the_image_is_read),
        cmocka_unit_test(test_udf_2_01_and_2_60_record_the_streams),
        cmocka_unit_test(test_before_udf_2_00_no_stream_is_recorded),
        cmocka_unit_test(test_scripts_reach_fsi_named_streams_through_idispatch),
        cmocka_unit_test(test_the_source_stream_is_let_go_with_the_image),
        cmocka_unit_test(test_add_tree_with_named_streams_adds_the_tree_and_the_host_streams),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
