/*
 * UDF through COM: every FileSystemsToCreate with at least one file system (Joliet only with ISO
 * 9660) at every UDFRevision makes an image, written to a file in the temporary folder and read
 * back by the test's own small UDF walk (anchor at 256, the NSR02/NSR03 descriptor after BEA01
 * where it belongs, the logical volume identifier = VolumeName, the root directory's names);
 * IsRealTime and CreateRedundantUdfMetadataFiles say whether the chosen revision records them;
 * the per-media defaults (ChooseImageDefaultsForMediaType) give images of the right revision;
 * FileSystemName/FileSystemPath(UDF) give the names the image holds, long ones shortened; a file
 * of 4.5 GiB goes into a UDF-only image (and is refused with ISO 9660 below level 3); the
 * progress items of a UDF image tile it once with readable descriptions.
 */
#include "computed_stream.h"
#include "udf_test_walk.h"

static const LONG revisions[] = { 0x102, 0x150, 0x200, 0x201, 0x250, 0x260 };

static void add_sample_tree(IFsiDirectoryItem *root)
{
    fsi_test_add_file(root, L"Readme.txt", 100, 1);
    fsi_test_add_directory(root, L"Папка");
    fsi_test_add_file(root, L"Папка\\data.bin", 5000, 2);
    fsi_test_add_directory(root, L"empty");
}

static void test_every_file_system_combination_makes_an_image(void **state)
{
    static const FsiFileSystems combinations[] = {
        FsiFileSystemISO9660, FsiFileSystemISO9660 | FsiFileSystemJoliet, FsiFileSystemUDF,
        FsiFileSystemISO9660 | FsiFileSystemUDF,
        FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF,
    };
    WCHAR folder[MAX_PATH], path[MAX_PATH];
    size_t c, r;
    (void)state;

    fsi_test_temp_folder(folder, L"udf-combinations");
    for (c = 0; c < ARRAY_SIZE(combinations); c++)
        for (r = 0; r < ARRAY_SIZE(revisions); r++) {
            FsiFileSystems systems = combinations[c];
            BOOL udf = (systems & FsiFileSystemUDF) != 0;
            IFileSystemImage3 *image;
            IFsiDirectoryItem *root;
            IFileSystemImageResult *result = NULL;
            struct udf_view view;
            IStream *stream;
            WCHAR volume[32], names[8][256];
            ULONG blocks[8], used = 0;
            LONG total = 0;
            struct udf_entry_info entry;
            BSTR label = NULL;

            if (!udf && r > 0)
                continue;       /* the revision does not matter without UDF */
            _snwprintf(volume, ARRAY_SIZE(volume), L"Vol_%u_%lx", (unsigned)systems,
                       (unsigned long)revisions[r]);
            image = udf_image(systems, revisions[r], volume);
            root = fsi_test_root(image);
            add_sample_tree(root);
            assert_hr(S_OK, IFileSystemImage3_get_UsedBlocks(image, (LONG *)&used));
            assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
            assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &total));
            assert_int_equal(used, total);
            _snwprintf(path, MAX_PATH, L"%ls\\image-%u-%lx.iso", folder, (unsigned)systems,
                       (unsigned long)revisions[r]);
            stream = write_and_reopen(result, path);

            if (!udf) {
                BYTE sector[SECTOR];
                if (total > 256) {
                    read_sector(stream, 256, sector);
                    assert_int_not_equal(tag_id(sector, 256), TAG_ANCHOR);
                }
            } else {
                check_recognition(stream, (systems & FsiFileSystemISO9660) != 0,
                                  (systems & FsiFileSystemJoliet) != 0, revisions[r]);
                udf_open(stream, &view);
                assert_int_equal(view.sectors, (ULONG)total);
                assert_int_equal(wcscmp(view.volume, volume), 0);
                assert_hr(S_OK, IFileSystemImage3_get_VolumeNameUDF(image, &label));
                assert_int_equal(wcscmp(view.volume, label), 0);
                SysFreeString(label);
                assert_int_equal(read_directory_names(&view, view.root_icb, names, blocks, 8), 3);
                assert_int_equal(wcscmp(names[0], L"Readme.txt"), 0);      /* code-unit order */
                assert_int_equal(wcscmp(names[1], L"empty"), 0);
                assert_int_equal(wcscmp(names[2], L"Папка"), 0);
                read_entry(&view, udf_lookup(&view, L"Папка\\data.bin"), &entry);
                assert_int_equal(entry.size, 5000);
                assert_int_equal(entry.file_type, FILE_TYPE_REGULAR);
            }
            if (systems & FsiFileSystemISO9660) {
                BYTE sector[SECTOR];
                read_sector(stream, 16, sector);
                assert_memory_equal(sector + 1, "CD001", 5);
            }
            IStream_Release(stream);
            IFileSystemImageResult_Release(result);
            IFsiDirectoryItem_Release(root);
            IFileSystemImage3_Release(image);
            DeleteFileW(path);
        }
    fsi_test_remove_folder(folder);
}

static void test_file_data_is_shared_by_iso9660_and_udf(void **state)
{
    IFileSystemImage3 *image = udf_image(7, 0x260, L"SHARED");
    IFsiDirectoryItem *root = fsi_test_root(image);
    struct udf_entry_info entry;
    struct udf_view view;
    ULONG sectors, extent = 0, size = 0;
    BYTE flags = 0, *data;
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    (void)state;

    fsi_test_add_file(root, L"shared.bin", 3 * SECTOR + 5, 4);
    data = fsi_test_read_image(image, &sectors);
    fsi_test_assert_file(data, sectors, "SHARED.BIN;1", 3 * SECTOR + 5, 4);
    assert_true(fsi_test_iso_lookup(data, sectors, "SHARED.BIN;1", 0, &extent, &size, &flags));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    udf_open(stream, &view);
    read_entry(&view, udf_lookup(&view, L"shared.bin"), &entry);
    assert_int_equal(entry.size, 3 * SECTOR + 5);
    assert_int_equal(view.partition_start + block_of(&entry, 0), extent);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    free(data);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_the_default_volume_name_is_recorded_by_udf_too(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x150, NULL);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    struct udf_view view;
    BSTR disc = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_DiscId(result, &disc));
    assert_int_equal(SysStringLen(disc), 15);       /* YYYYMMDD_HHMMSS */
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    udf_open(stream, &view);
    assert_int_equal(wcscmp(view.volume, disc), 0);
    assert_int_equal(wcscmp(view.pvd_volume, disc), 0);
    SysFreeString(disc);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFileSystemImage3_Release(image);
}

static void test_real_time_is_recorded_from_udf_2_01(void **state)
{
    size_t r;
    (void)state;

    for (r = 0; r < ARRAY_SIZE(revisions); r++) {
        IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, revisions[r], L"RT");
        IFsiDirectoryItem *root = fsi_test_root(image);
        IFileSystemImageResult *result = NULL;
        IFsiFileItem2 *file = NULL;
        IFsiItem *item = NULL;
        IStream *stream = NULL;
        struct udf_entry_info entry;
        struct udf_view view;
        BSTR path = SysAllocString(L"movie.vob");
        BOOL recorded = revisions[r] >= 0x201;

        fsi_test_add_file(root, L"movie.vob", 10, 3);
        assert_hr(S_OK, IFsiDirectoryItem_get_Item(root, path, &item));
        assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem2, (void **)&file));
        assert_hr(recorded ? S_OK : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
                  IFsiFileItem2_put_IsRealTime(file, VARIANT_TRUE));
        assert_hr(S_OK, IFsiFileItem2_put_IsRealTime(file, VARIANT_FALSE));
        assert_hr(recorded ? S_OK : IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
                  IFsiFileItem2_put_IsRealTime(file, VARIANT_TRUE));
        assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
        assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
        udf_open(stream, &view);
        read_entry(&view, udf_lookup(&view, L"movie.vob"), &entry);
        assert_int_equal(entry.file_type, recorded ? FILE_TYPE_REAL_TIME : FILE_TYPE_REGULAR);

        /* Without UDF in FileSystemsToCreate nothing records it, whatever UDFRevision says. */
        assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, 3));
        assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
                  IFsiFileItem2_put_IsRealTime(file, VARIANT_TRUE));
        IStream_Release(stream);
        IFileSystemImageResult_Release(result);
        SysFreeString(path);
        IFsiItem_Release(item);
        IFsiFileItem2_Release(file);
        IFsiDirectoryItem_Release(root);
        IFileSystemImage3_Release(image);
    }
}

static void test_media_defaults_make_images_their_discs_can_read(void **state)
{
    static const struct {
        IMAPI_MEDIA_PHYSICAL_TYPE media;
        FsiFileSystems systems;
        LONG revision;
    } kinds[] = {
        { IMAPI_MEDIA_TYPE_CDR, FsiFileSystemISO9660 | FsiFileSystemJoliet, 0 },
        { IMAPI_MEDIA_TYPE_DVDPLUSR, 7, 0x102 },
        { IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER, 7, 0x102 },
        { IMAPI_MEDIA_TYPE_DISK, FsiFileSystemUDF, 0x201 },
        { IMAPI_MEDIA_TYPE_HDDVDR, FsiFileSystemUDF, 0x250 },
        { IMAPI_MEDIA_TYPE_BDR, FsiFileSystemUDF, 0x250 },
        { IMAPI_MEDIA_TYPE_BDRE, FsiFileSystemUDF, 0x250 },
    };
    size_t i;
    (void)state;

    for (i = 0; i < ARRAY_SIZE(kinds); i++) {
        IFileSystemImage3 *image = fsi_test_image();
        IFsiDirectoryItem *root = fsi_test_root(image);
        IFileSystemImageResult *result = NULL;
        FsiFileSystems systems = 0;
        IStream *stream = NULL;
        struct udf_view view;
        LONG revision = 0;

        assert_hr(S_OK, IFileSystemImage3_ChooseImageDefaultsForMediaType(image, kinds[i].media));
        assert_hr(S_OK, IFileSystemImage3_get_FileSystemsToCreate(image, &systems));
        assert_int_equal(systems, kinds[i].systems);
        assert_hr(S_OK, IFileSystemImage3_get_UDFRevision(image, &revision));
        if (kinds[i].revision)
            assert_int_equal(revision, kinds[i].revision);
        add_sample_tree(root);
        assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
        assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
        if (systems & FsiFileSystemUDF) {
            check_recognition(stream, (systems & FsiFileSystemISO9660) != 0,
                              (systems & FsiFileSystemJoliet) != 0, revision);
            udf_open(stream, &view);
            udf_lookup(&view, L"Папка\\data.bin");
        }
        IStream_Release(stream);
        IFileSystemImageResult_Release(result);
        IFsiDirectoryItem_Release(root);
        IFileSystemImage3_Release(image);
    }
}

/* The progress item count whose description is `text`. */
static LONG items_named(IProgressItems *items, const WCHAR *text)
{
    LONG count = 0, i, found = 0;

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
    return found;
}

static void test_redundant_metadata_is_a_choice_from_udf_2_50(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemUDF, 0x250, L"MIRROR");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *with = NULL, *without = NULL;
    IProgressItems *items = NULL;
    LONG with_blocks = 0, without_blocks = 0;
    VARIANT_BOOL flag = VARIANT_FALSE;
    (void)state;

    fsi_test_add_file(root, L"a.txt", 10, 1);
    assert_hr(S_OK, IFileSystemImage3_get_CreateRedundantUdfMetadataFiles(image, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &with));
    assert_hr(S_OK, IFileSystemImage3_put_CreateRedundantUdfMetadataFiles(image, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &without));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(with, &with_blocks));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(without, &without_blocks));
    assert_true(without_blocks < with_blocks);
    assert_hr(S_OK, IFileSystemImageResult_get_ProgressItems(with, &items));
    assert_int_equal(items_named(items, L"UDF metadata mirror"), 1);
    IProgressItems_Release(items);
    assert_hr(S_OK, IFileSystemImageResult_get_ProgressItems(without, &items));
    assert_int_equal(items_named(items, L"UDF metadata mirror"), 0);
    IProgressItems_Release(items);

    /* Below 2.50, or without UDF, there is no mirror to make: kept, and said so. */
    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, 0x260));
    assert_hr(S_OK, IFileSystemImage3_put_CreateRedundantUdfMetadataFiles(image, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, 0x201));
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
              IFileSystemImage3_put_CreateRedundantUdfMetadataFiles(image, VARIANT_TRUE));
    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, 0x250));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, 3));
    assert_hr(IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED,
              IFileSystemImage3_put_CreateRedundantUdfMetadataFiles(image, VARIANT_FALSE));
    assert_hr(S_OK, IFileSystemImage3_get_CreateRedundantUdfMetadataFiles(image, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    IFileSystemImageResult_Release(with);
    IFileSystemImageResult_Release(without);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void assert_udf_name(IFsiDirectoryItem *root, const WCHAR *path, const WCHAR *name,
                            const WCHAR *disc_path)
{
    BSTR where = SysAllocString(path), text = NULL;
    IFsiItem *item = NULL;

    assert_hr(S_OK, IFsiDirectoryItem_get_Item(root, where, &item));
    assert_hr(S_OK, IFsiItem_FileSystemName(item, FsiFileSystemUDF, &text));
    if (wcscmp(text, name))
        fail_msg("UDF name of %ls: %ls", path, text);
    SysFreeString(text);
    assert_hr(S_OK, IFsiItem_FileSystemPath(item, FsiFileSystemUDF, &text));
    if (wcscmp(text, disc_path))
        fail_msg("UDF path of %ls: %ls", path, text);
    SysFreeString(text);
    IFsiItem_Release(item);
    SysFreeString(where);
}

static void test_long_names_are_shortened_as_the_image_records_them(void **state)
{
    WCHAR ascii[256], cyrillic[201], nested[460], short_ascii[256], short_cyrillic[201];
    WCHAR expected_path[520];
    IFileSystemImage3 *image = udf_image(7, 0x201, L"LONG");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    struct udf_view view;
    BSTR text = NULL, where;
    IFsiItem *item = NULL;
    size_t i;
    (void)state;

    for (i = 0; i < 255; i++)
        ascii[i] = 'a' + (WCHAR)(i % 26);
    ascii[255] = 0;
    for (i = 0; i < 200; i++)
        cyrillic[i] = 0x0430 + (WCHAR)(i % 32);
    cyrillic[200] = 0;
    fsi_test_add_file(root, ascii, 1, 1);
    fsi_test_add_directory(root, cyrillic);
    _snwprintf(nested, ARRAY_SIZE(nested), L"%ls\\%ls", cyrillic, ascii);
    fsi_test_add_file(root, nested, 2, 2);
    fsi_test_add_file(root, L"short name.txt", 3, 3);

    /* What the items say: 249 Latin characters or 122 Cyrillic ones, then "#XXXX". */
    where = SysAllocString(ascii);
    assert_hr(S_OK, IFsiDirectoryItem_get_Item(root, where, &item));
    assert_hr(S_OK, IFsiItem_FileSystemName(item, FsiFileSystemUDF, &text));
    assert_int_equal(SysStringLen(text), 254);
    assert_memory_equal(text, ascii, 249 * sizeof(WCHAR));
    assert_int_equal(text[249], '#');
    wcscpy(short_ascii, text);
    SysFreeString(text);
    IFsiItem_Release(item);
    SysFreeString(where);
    where = SysAllocString(cyrillic);
    assert_hr(S_OK, IFsiDirectoryItem_get_Item(root, where, &item));
    assert_hr(S_OK, IFsiItem_FileSystemName(item, FsiFileSystemUDF, &text));
    assert_int_equal(SysStringLen(text), 127);
    assert_memory_equal(text, cyrillic, 122 * sizeof(WCHAR));
    assert_int_equal(text[122], '#');
    wcscpy(short_cyrillic, text);
    SysFreeString(text);
    IFsiItem_Release(item);
    SysFreeString(where);

    _snwprintf(expected_path, ARRAY_SIZE(expected_path), L"\\%ls", short_ascii);
    assert_udf_name(root, ascii, short_ascii, expected_path);
    _snwprintf(expected_path, ARRAY_SIZE(expected_path), L"\\%ls\\%ls", short_cyrillic,
               short_ascii);
    assert_udf_name(root, nested, short_ascii, expected_path);
    assert_udf_name(root, L"short name.txt", L"short name.txt", L"\\short name.txt");

    /* The image holds exactly those names: the walk finds every item by them. */
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    udf_open(stream, &view);
    udf_lookup(&view, short_ascii);
    udf_lookup(&view, short_cyrillic);
    _snwprintf(expected_path, ARRAY_SIZE(expected_path), L"%ls\\%ls", short_cyrillic,
               short_ascii);
    udf_lookup(&view, expected_path);
    udf_lookup(&view, L"short name.txt");
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* ---- A 4.5 GiB file: a stream whose bytes are computed from their offset ---- */

#define BIG_SIZE (4608ull << 20)

static BYTE big_byte(ULONGLONG offset) { return (BYTE)(offset * 13 + (offset >> 20) + 7); }

static IStream *big_stream(void)
{
    return &computed_stream(BIG_SIZE, BIG_SIZE, big_byte, FALSE)->IStream_iface;
}

static void test_a_file_of_4_5_gib_goes_into_a_udf_only_image(void **state)
{
    static const ULONGLONG probes[] = { 0, 0xFFFFF800ull, 0x100000000ull, 0x100000000ull + 12345,
                                        0x3FFFF800ull, BIG_SIZE - SECTOR };
    IFileSystemImage3 *image = udf_image(FsiFileSystemISO9660 | FsiFileSystemJoliet, 0x102,
                                         L"BIG");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    IStream *data = big_stream(), *stream = NULL;
    BSTR name = SysAllocString(L"big.bin"), text = NULL;
    struct udf_entry_info entry;
    struct udf_view view;
    BYTE sector[SECTOR];
    LONG total = 0, used = 0;
    size_t p, i, k;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_put_FreeMediaBlocks(image, 0));
    assert_hr(S_OK, IFsiDirectoryItem_AddFile(root, name, data));
    /* ISO 9660 below level 3 cannot record it... */
    assert_hr(IMAPI_E_DATA_TOO_BIG, IFileSystemImage3_CreateResultImage(image, &result));
    text = com_test_error_description();
    assert_non_null(text);
    assert_non_null(wcsstr(text, L"UDF"));
    SysFreeString(text);
    assert_hr(IMAPI_E_DATA_TOO_BIG, IFileSystemImage3_get_UsedBlocks(image, &used));
    /* ...UDF alone can, at every revision. */
    for (i = 0; i < ARRAY_SIZE(revisions); i++) {
        assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, revisions[i]));
        assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, FsiFileSystemUDF));
        assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
        assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &total));
        assert_true((ULONGLONG)total > BIG_SIZE / SECTOR);
        assert_true((ULONGLONG)total < BIG_SIZE / SECTOR + 2000);
        assert_hr(S_OK, IFileSystemImage3_get_UsedBlocks(image, &used));
        assert_int_equal(used, total);
        assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
        udf_open(stream, &view);
        read_entry(&view, udf_lookup(&view, L"big.bin"), &entry);
        assert_int_equal(entry.size, BIG_SIZE);
        /* The data is where the allocation descriptors say, across 1 GiB extents and 4 GiB. */
        for (p = 0; p < ARRAY_SIZE(probes); p++) {
            ULONGLONG at = probes[p] / SECTOR * SECTOR;
            read_sector(stream, view.partition_start + (ULONGLONG)block_of(&entry, at), sector);
            for (k = 0; k < SECTOR; k += 511)
                if (sector[k] != big_byte(at + k))
                    fail_msg("byte %llu of big.bin differs", (unsigned long long)(at + k));
        }
        IStream_Release(stream);
        IFileSystemImageResult_Release(result);
    }
    /* ISO 9660 level 3 records it too (multi-extent), bridged with UDF. */
    assert_hr(S_OK, IFileSystemImage3_put_ISO9660InterchangeLevel(image, 3));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, 7));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    IFileSystemImageResult_Release(result);
    IStream_Release(data);
    SysFreeString(name);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

static void test_progress_items_tile_a_udf_image_once(void **state)
{
    static const WCHAR *const bridge[] = {
        L"System area", L"Volume descriptors", L"UDF volume recognition sequence",
        L"ISO 9660 path tables", L"Joliet path tables", L"ISO 9660 directories",
        L"Joliet directories", L"UDF volume descriptors", L"UDF file set descriptor",
        L"UDF file entries", L"UDF directories", L"UDF space bitmap", L"Unused sectors",
    };
    static const LONG systems[] = { FsiFileSystemUDF, 7 };
    size_t s, r, k;
    (void)state;

    for (s = 0; s < ARRAY_SIZE(systems); s++)
        for (r = 0; r < ARRAY_SIZE(revisions); r++) {
            IFileSystemImage3 *image = udf_image(systems[s], revisions[r], L"PROGRESS");
            IFsiDirectoryItem *root = fsi_test_root(image);
            IFileSystemImageResult *result = NULL;
            IProgressItems *items = NULL;
            LONG total = 0, count = 0, i, next = 0, system_areas = 0;

            add_sample_tree(root);
            fsi_test_add_file(root, L"Папка\\more.bin", 3 * SECTOR, 5);
            assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
            assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &total));
            assert_hr(S_OK, IFileSystemImageResult_get_ProgressItems(result, &items));
            assert_hr(S_OK, IProgressItems_get_Count(items, &count));
            for (i = 0; i < count; i++) {
                IProgressItem *item = NULL;
                ULONG first = 0, last = 0, blocks = 0;
                BSTR text = NULL;
                assert_hr(S_OK, IProgressItems_get_Item(items, i, &item));
                assert_hr(S_OK, IProgressItem_get_FirstBlock(item, &first));
                assert_hr(S_OK, IProgressItem_get_LastBlock(item, &last));
                assert_hr(S_OK, IProgressItem_get_BlockCount(item, &blocks));
                assert_hr(S_OK, IProgressItem_get_Description(item, &text));
                assert_int_equal(first, (ULONG)next);
                assert_int_equal(blocks, last - first + 1);
                assert_true(SysStringLen(text) > 0);
                if (!wcscmp(text, L"System area")) {
                    assert_int_equal(first, 0);
                    assert_int_equal(last, 15);
                    system_areas++;
                }
                next = (LONG)last + 1;
                SysFreeString(text);
                IProgressItem_Release(item);
            }
            assert_int_equal(next, total);
            assert_int_equal(system_areas, 1);
            /* Each file once, under its path in the image. */
            assert_int_equal(items_named(items, L"\\Readme.txt"), 1);
            assert_int_equal(items_named(items, L"\\Папка\\data.bin"), 1);
            assert_int_equal(items_named(items, L"\\Папка\\more.bin"), 1);
            for (k = 0; k < ARRAY_SIZE(bridge); k++) {
                BOOL iso_part = !wcsncmp(bridge[k], L"ISO", 3) ||
                                !wcsncmp(bridge[k], L"Joliet", 6) ||
                                !wcscmp(bridge[k], L"Volume descriptors");
                BOOL expected = systems[s] == 7 || !iso_part;
                if (expected != (items_named(items, bridge[k]) > 0))
                    fail_msg("systems %ld, UDF %lx: \"%ls\" %ls", systems[s],
                             (unsigned long)revisions[r], bridge[k],
                             expected ? L"missing" : L"unexpected");
            }
            assert_int_equal(items_named(items, L"UDF metadata mirror"),
                             revisions[r] >= 0x250 ? 1 : 0);
            IProgressItems_Release(items);
            IFileSystemImageResult_Release(result);
            IFsiDirectoryItem_Release(root);
            IFileSystemImage3_Release(image);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_system_combination_makes_an_image),
        cmocka_unit_test(test_file_data_is_shared_by_iso9660_and_udf),
        cmocka_unit_test(test_the_default_volume_name_is_recorded_by_udf_too),
        cmocka_unit_test(test_real_time_is_recorded_from_udf_2_01),
        cmocka_unit_test(test_redundant_metadata_is_a_choice_from_udf_2_50),
        cmocka_unit_test(test_media_defaults_make_images_their_discs_can_read),
        cmocka_unit_test(test_long_names_are_shortened_as_the_image_records_them),
        cmocka_unit_test(test_a_file_of_4_5_gib_goes_into_a_udf_only_image),
        cmocka_unit_test(test_progress_items_tile_a_udf_image_once),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
