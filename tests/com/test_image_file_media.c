/*
 * OpenFsi.ImageFileMedia (an openfsi extension): an image file as write-once media takes a
 * first session without multisession interfaces and three more through put_MultisessionInterfaces,
 * ImportFileSystem, added, removed and replaced files, CreateResultImage and Write, and after
 * each a fresh MsftFileSystemImage imports exactly the expected tree with its bytes (read back
 * through the media's recorder). The recorder answers READ(10)/READ(12), READ CAPACITY and READ
 * TOC like a drive, with sense data for reads beyond the written sectors and for other commands;
 * rewritable media is written from sector 0, or only the IBlockRangeList ranges of its stream;
 * and bad arguments get their documented errors.
 */
#include "fsi_test_util.h"
#include "openfsi_ext.h"

#define SECTOR 2048

struct expected_file {
    const WCHAR *path;      /* as the imported tree names it */
    size_t size;
    unsigned seed;
};

static void temp_image_path(WCHAR path[MAX_PATH], const WCHAR *name)
{
    WCHAR temp[MAX_PATH];
    GetTempPathW(MAX_PATH, temp);
    _snwprintf(path, MAX_PATH, L"%lsopenfsi-media-%lu-%ls", temp, GetCurrentProcessId(), name);
    DeleteFileW(path);
}

static IOpenFsiImageFileMedia *open_media(const WCHAR *path, BOOL rewritable, LONG total)
{
    IOpenFsiImageFileMedia *media =
        com_test_create(&CLSID_OpenFsiImageFileMedia, &IID_IOpenFsiImageFileMedia);
    BSTR text = SysAllocString(path);
    assert_hr(S_OK, IOpenFsiImageFileMedia_Open(media, text, rewritable ? VARIANT_TRUE
                                                                        : VARIANT_FALSE, total));
    SysFreeString(text);
    return media;
}

static SAFEARRAY *interfaces_of(IOpenFsiImageFileMedia *media)
{
    SAFEARRAY *array = NULL;
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_MultisessionInterfaces(media, &array));
    assert_non_null(array);
    return array;
}

/* The one multisession object of the array, queried for `iid`. */
static void *multisession_of(SAFEARRAY *array, REFIID iid, HRESULT expected)
{
    VARIANT *elements;
    LONG low = -1, high = -1;
    void *out = NULL;

    assert_hr(S_OK, SafeArrayGetLBound(array, 1, &low));
    assert_hr(S_OK, SafeArrayGetUBound(array, 1, &high));
    assert_int_equal(low, 0);
    assert_int_equal(high, 0);
    assert_hr(S_OK, SafeArrayAccessData(array, (void **)&elements));
    assert_int_equal(V_VT(&elements[0]), VT_DISPATCH);
    assert_hr(expected, IDispatch_QueryInterface(V_DISPATCH(&elements[0]), iid, &out));
    SafeArrayUnaccessData(array);
    return out;
}

static LONG next_writable(IOpenFsiImageFileMedia *media)
{
    LONG value = -7;
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_NextWritableAddress(media, &value));
    return value;
}

static double sectors_written(IOpenFsiImageFileMedia *media)
{
    DOUBLE value = -1;
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_SectorsWritten(media, &value));
    return value;
}

/* A new image object appending to `media`: interfaces put and the last session imported. */
static IFileSystemImage3 *import_from(IOpenFsiImageFileMedia *media)
{
    IFileSystemImage3 *image = fsi_test_image();
    SAFEARRAY *array = interfaces_of(media);
    FsiFileSystems imported = FsiFileSystemNone;

    assert_hr(S_OK, IFileSystemImage3_put_MultisessionInterfaces(image, array));
    SafeArrayDestroy(array);
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &imported));
    assert_int_equal(imported, FsiFileSystemJoliet);     /* the richest of ISO 9660 + Joliet */
    return image;
}

static IFsiFileItem *file_at(IFileSystemImage3 *image, const WCHAR *path)
{
    IFsiDirectoryItem *root = fsi_test_root(image);
    BSTR text = SysAllocString(path);
    IFsiItem *item = NULL;
    IFsiFileItem *file = NULL;

    if (FAILED(IFsiDirectoryItem_get_Item(root, text, &item)))
        fail_msg("%ls is not in the imported tree", path);
    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file));
    IFsiItem_Release(item);
    IFsiDirectoryItem_Release(root);
    SysFreeString(text);
    return file;
}

/* The whole file, as a reader that looks only at its start sees it. */
static BYTE *read_whole_file(const WCHAR *path, size_t *size)
{
    HANDLE handle = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    BYTE *data;

    assert_true(handle != INVALID_HANDLE_VALUE);
    *size = GetFileSize(handle, NULL);
    data = malloc(*size + 1);
    assert_non_null(data);
    assert_true(ReadFile(handle, data, (DWORD)*size, &got, NULL));
    assert_int_equal(got, *size);
    CloseHandle(handle);
    return data;
}

/* The file's size in the imported tree, and its bytes found through the Joliet tree at the
   file's head (sector 17 on), with the test's own walk. */
static void assert_file_bytes(IFileSystemImage3 *image, const BYTE *disc, size_t disc_size,
                              const struct expected_file *expected)
{
    IFsiFileItem *file = file_at(image, expected->path);
    BSTR text = SysAllocString(expected->path);
    FsiItemType type = FsiItemNotFound;
    LONGLONG size = -1;
    ULONG extent = 0, length = 0;
    BYTE flags = 0;
    char joliet[MAX_PATH];
    size_t i;

    assert_hr(S_OK, IFileSystemImage3_Exists(image, text, &type));
    assert_int_equal(type, FsiItemFile);
    SysFreeString(text);
    assert_hr(S_OK, IFsiFileItem_get_DataSize(file, &size));
    if (size != (LONGLONG)expected->size)
        fail_msg("%ls: %I64d bytes, expected %lu", expected->path, size,
                 (unsigned long)expected->size);
    IFsiFileItem_Release(file);
    for (i = 0; expected->path[i + 1]; i++)
        joliet[i] = expected->path[i + 1] == L'\\' ? '/' : (char)expected->path[i + 1];
    joliet[i] = 0;
    if (!fsi_test_iso_lookup(disc, (ULONG)(disc_size / SECTOR), joliet, 1, &extent, &length,
                             &flags))
        fail_msg("%s is not in the Joliet tree at the file's head", joliet);
    assert_int_equal(length, expected->size);
    assert_true((size_t)extent * SECTOR + length <= disc_size);
    for (i = 0; i < expected->size; i++)
        if (disc[(size_t)extent * SECTOR + i] != fsi_test_pattern(i, expected->seed))
            fail_msg("%s: byte %lu differs", joliet, (unsigned long)i);
}

/* A fresh import of the media holds exactly these files and `directories` directories (the
   root not counted). */
static void assert_media_tree(IOpenFsiImageFileMedia *media, const struct expected_file *files,
                              size_t count, LONG directories)
{
    IFileSystemImage3 *image = import_from(media);
    LONG file_count = -1, directory_count = -1;
    BSTR path = NULL;
    size_t i, disc_size;
    BYTE *disc;

    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &file_count));
    assert_hr(S_OK, IFileSystemImage3_get_DirectoryCount(image, &directory_count));
    assert_int_equal(file_count, count);
    assert_int_equal(directory_count, directories);
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_Path(media, &path));
    disc = read_whole_file(path, &disc_size);
    SysFreeString(path);
    for (i = 0; i < count; i++)
        assert_file_bytes(image, disc, disc_size, &files[i]);
    free(disc);
    IFileSystemImage3_Release(image);
}

static void write_result(IFileSystemImage3 *image, IOpenFsiImageFileMedia *media, LONG *blocks)
{
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;

    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, blocks));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    assert_hr(S_OK, IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
}

static void remove_item(IFileSystemImage3 *image, const WCHAR *path)
{
    IFsiDirectoryItem *root = fsi_test_root(image);
    BSTR text = SysAllocString(path);
    assert_hr(S_OK, IFsiDirectoryItem_Remove(root, text));
    SysFreeString(text);
    IFsiDirectoryItem_Release(root);
}

/* An imported file's data is read-only in the tree (as Microsoft documents for added items):
   it is replaced by removing it and adding a new item whose data is put first. */
static void replace_data(IFileSystemImage3 *image, const WCHAR *path, size_t size, unsigned seed)
{
    const WCHAR *slash = wcsrchr(path, L'\\');
    IFsiDirectoryItem *root = fsi_test_root(image), *parent = NULL;
    IFsiItem *item = NULL;
    IFsiFileItem *file = NULL;
    IStream *stream = fsi_test_stream(size, seed);
    BSTR name = SysAllocString(slash + 1);
    BSTR parent_path = SysAllocStringLen(path, (UINT)(slash - path));

    remove_item(image, path);
    assert_hr(S_OK, IFileSystemImage3_CreateFileItem(image, name, &file));
    assert_hr(S_OK, IFsiFileItem_put_Data(file, stream));
    if (SysStringLen(parent_path)) {
        assert_hr(S_OK, IFsiDirectoryItem_get_Item(root, parent_path, &item));
        assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiDirectoryItem, (void **)&parent));
        IFsiItem_Release(item);
    } else {
        parent = root;
        IFsiDirectoryItem_AddRef(parent);
    }
    assert_hr(S_OK, IFsiDirectoryItem_Add(parent, (IFsiItem *)file));
    IFsiDirectoryItem_Release(parent);
    IFsiFileItem_Release(file);
    IStream_Release(stream);
    SysFreeString(name);
    SysFreeString(parent_path);
    IFsiDirectoryItem_Release(root);
}

static void add_file(IFileSystemImage3 *image, const WCHAR *path, size_t size, unsigned seed)
{
    IFsiDirectoryItem *root = fsi_test_root(image);
    fsi_test_add_file(root, path, size, seed);
    IFsiDirectoryItem_Release(root);
}

static void add_directory(IFileSystemImage3 *image, const WCHAR *path)
{
    IFsiDirectoryItem *root = fsi_test_root(image);
    fsi_test_add_directory(root, path);
    IFsiDirectoryItem_Release(root);
}

static LONGLONG file_size(const WCHAR *path)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    assert_true(GetFileAttributesExW(path, GetFileExInfoStandard, &data));
    return (LONGLONG)data.nFileSizeHigh << 32 | data.nFileSizeLow;
}

static void test_four_sessions_on_write_once_media(void **state)
{
    static const struct expected_file first[] = {
        { L"\\a.txt", 3000, 1 }, { L"\\docs\\b.bin", 100000, 2 }, { L"\\docs\\c.txt", 10, 3 },
        { L"\\old.txt", 5000, 4 },
    };
    static const struct expected_file second[] = {
        { L"\\a.txt", 4000, 6 }, { L"\\docs\\b.bin", 100000, 2 }, { L"\\docs\\c.txt", 10, 3 },
        { L"\\docs\\new\\d.bin", 70000, 5 },
    };
    static const struct expected_file third[] = {
        { L"\\a.txt", 4000, 6 }, { L"\\docs\\b.bin", 100000, 2 },
        { L"\\docs\\new\\d.bin", 70000, 5 }, { L"\\e.txt", 1, 7 },
    };
    static const struct expected_file fourth[] = {
        { L"\\a.txt", 4000, 6 }, { L"\\docs\\b.bin", 20000, 8 },
        { L"\\docs\\new\\d.bin", 70000, 5 }, { L"\\e.txt", 1, 7 },
        { L"\\docs\\new\\f.txt", 2049, 9 },
    };
    WCHAR path[MAX_PATH];
    IOpenFsiImageFileMedia *media;
    IMultisessionSequential2 *sequential;
    IMultisessionRandomWrite *random;
    IFileSystemImage3 *image;
    SAFEARRAY *array;
    VARIANT_BOOL flag = VARIANT_TRUE;
    LONG blocks = 0, start, value = -1;
    (void)state;

    temp_image_path(path, L"sessions.iso");
    media = open_media(path, FALSE, 0);
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_IsBlank(media, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_int_equal(next_writable(media), 0);
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_TotalSectors(media, &value));
    assert_int_equal(value, 2295104);

    /* Blank write-once media: one IMultisessionSequential2, which cannot be appended to yet. */
    array = interfaces_of(media);
    sequential = multisession_of(array, &IID_IMultisessionSequential2, S_OK);
    random = multisession_of(array, &IID_IMultisessionRandomWrite, E_NOINTERFACE);
    assert_null(random);
    assert_hr(S_OK, IMultisessionSequential2_get_IsSupportedOnCurrentMediaState(sequential, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    assert_hr(S_OK, IMultisessionSequential2_get_IsFirstDataSession(sequential, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(S_OK, IMultisessionSequential2_get_FreeSectorsOnMedia(sequential, &value));
    assert_int_equal(value, 2295104);
    image = fsi_test_image();
    assert_hr(IMAPI_E_IMPORT_SEEK_FAILURE,
              IFileSystemImage3_put_MultisessionInterfaces(image, array));
    SafeArrayDestroy(array);

    /* Session 1, without multisession interfaces. */
    add_file(image, L"\\a.txt", 3000, 1);
    add_directory(image, L"\\docs");
    add_file(image, L"\\docs\\b.bin", 100000, 2);
    add_file(image, L"\\docs\\c.txt", 10, 3);
    add_file(image, L"\\old.txt", 5000, 4);
    write_result(image, media, &blocks);
    IFileSystemImage3_Release(image);
    assert_true(sectors_written(media) == blocks);
    assert_int_equal(next_writable(media), blocks);
    assert_int_equal(file_size(path), (LONGLONG)blocks * SECTOR);
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_IsBlank(media, &flag));
    assert_int_equal(flag, VARIANT_FALSE);
    /* The object handed out before follows the media. */
    assert_hr(S_OK, IMultisessionSequential2_get_IsSupportedOnCurrentMediaState(sequential, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_hr(S_OK, IMultisessionSequential2_get_NextWritableAddress(sequential, &value));
    assert_int_equal(value, blocks);
    assert_hr(S_OK, IMultisessionSequential2_get_StartAddressOfPreviousSession(sequential, &value));
    assert_int_equal(value, 0);
    assert_hr(S_OK, IMultisessionSequential2_get_LastWrittenAddressOfPreviousSession(sequential,
                                                                                     &value));
    assert_int_equal(value, blocks - 1);
    assert_media_tree(media, first, ARRAY_SIZE(first), 1);

    /* Session 2: a.txt replaced, old.txt removed, a directory with a file added. */
    start = next_writable(media);
    image = import_from(media);
    assert_hr(S_OK, IFileSystemImage3_get_SessionStartBlock(image, &value));
    assert_int_equal(value, start);
    replace_data(image, L"\\a.txt", 4000, 6);
    remove_item(image, L"\\old.txt");
    add_directory(image, L"\\docs\\new");
    add_file(image, L"\\docs\\new\\d.bin", 70000, 5);
    write_result(image, media, &blocks);
    IFileSystemImage3_Release(image);
    /* TotalBlocks counts the session's sectors, which follow the first session's. */
    assert_int_equal(next_writable(media), start + blocks);
    assert_true(sectors_written(media) == blocks);
    assert_media_tree(media, second, ARRAY_SIZE(second), 2);

    /* Session 3: c.txt removed, e.txt added; b.bin and d.bin are pointed at, not copied. */
    start = next_writable(media);
    image = import_from(media);
    remove_item(image, L"\\docs\\c.txt");
    add_file(image, L"\\e.txt", 1, 7);
    write_result(image, media, &blocks);
    IFileSystemImage3_Release(image);
    assert_true(sectors_written(media) < 40);
    assert_int_equal(next_writable(media), start + (LONG)sectors_written(media));
    assert_media_tree(media, third, ARRAY_SIZE(third), 2);

    /* Session 4: b.bin replaced, f.txt added. */
    image = import_from(media);
    replace_data(image, L"\\docs\\b.bin", 20000, 8);
    add_file(image, L"\\docs\\new\\f.txt", 2049, 9);
    write_result(image, media, &blocks);
    IFileSystemImage3_Release(image);
    assert_media_tree(media, fourth, ARRAY_SIZE(fourth), 2);
    assert_int_equal(file_size(path), (LONGLONG)next_writable(media) * SECTOR);

    /* The same file opened again is the same media. */
    assert_hr(S_OK, IOpenFsiImageFileMedia_Close(media));
    assert_hr(E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
              IMultisessionSequential2_get_NextWritableAddress(sequential, &value));
    IMultisessionSequential2_Release(sequential);
    IOpenFsiImageFileMedia_Release(media);
    media = open_media(path, FALSE, 0);
    assert_media_tree(media, fourth, ARRAY_SIZE(fourth), 2);
    IOpenFsiImageFileMedia_Release(media);
    DeleteFileW(path);
}

/* ---- the recorder ---- */

static HRESULT send_read(IDiscRecorder2Ex *drive, BYTE opcode, ULONG lba, ULONG count,
                         ULONG cdb_size, BYTE *buffer, ULONG size, BYTE sense[18],
                         ULONG *fetched)
{
    BYTE cdb[16];

    memset(cdb, 0, sizeof(cdb));
    cdb[0] = opcode;
    cdb[2] = (BYTE)(lba >> 24);
    cdb[3] = (BYTE)(lba >> 16);
    cdb[4] = (BYTE)(lba >> 8);
    cdb[5] = (BYTE)lba;
    if (opcode == 0x28) {
        cdb[7] = (BYTE)(count >> 8);
        cdb[8] = (BYTE)count;
    } else {
        cdb[6] = (BYTE)(count >> 24);
        cdb[7] = (BYTE)(count >> 16);
        cdb[8] = (BYTE)(count >> 8);
        cdb[9] = (BYTE)count;
    }
    *fetched = 12345;
    memset(sense, 0xCC, 18);
    return IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, cdb, cdb_size, sense, 10, buffer,
                                                         size, fetched);
}

static void assert_sense(const BYTE sense[18], BYTE key, BYTE asc)
{
    assert_int_equal(sense[0] & 0x7F, 0x70);
    assert_int_equal(sense[2] & 0x0F, key);
    assert_int_equal(sense[7], 10);
    assert_int_equal(sense[12], asc);
    assert_int_equal(sense[13], 0);
}

static IDiscRecorder2Ex *drive_of(IOpenFsiImageFileMedia *media, IDiscRecorder2 **recorder)
{
    IDiscRecorder2Ex *drive = NULL;
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_Recorder(media, recorder));
    assert_hr(S_OK, IDiscRecorder2_QueryInterface(*recorder, &IID_IDiscRecorder2Ex,
                                                  (void **)&drive));
    return drive;
}

static LONG first_profile(SAFEARRAY *array)
{
    VARIANT *elements;
    LONG profile;
    assert_hr(S_OK, SafeArrayAccessData(array, (void **)&elements));
    assert_int_equal(V_VT(&elements[0]), VT_I4);
    profile = V_I4(&elements[0]);
    SafeArrayUnaccessData(array);
    SafeArrayDestroy(array);
    return profile;
}

static void test_recorder_answers_reads_like_a_drive(void **state)
{
    WCHAR path[MAX_PATH];
    IOpenFsiImageFileMedia *media;
    IDiscRecorder2 *recorder = NULL;
    IDiscRecorder2Ex *drive;
    IFileSystemImage3 *image;
    FsiFileSystems found = FsiFileSystemNone;
    SAFEARRAY *profiles = NULL;
    BYTE *buffer = malloc(64 * SECTOR), sense[18], cdb[10];
    BYTE file_sector[SECTOR];
    ULONG fetched, sectors;
    LONG blocks = 0;
    HANDLE handle;
    DWORD got;
    (void)state;

    temp_image_path(path, L"reads.iso");
    media = open_media(path, FALSE, 0);
    drive = drive_of(media, &recorder);

    /* Blank: READ CAPACITY says no recorded block; reads are out of range. */
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x25;
    assert_hr(S_OK, IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, cdb, 10, sense, 10,
                                                                  buffer, 8, &fetched));
    assert_int_equal(fetched, 8);
    assert_int_equal(buffer[0] & buffer[1] & buffer[2] & buffer[3], 0xFF);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0x28, 0, 1, 10, buffer, SECTOR, sense, &fetched));
    assert_sense(sense, 5, 0x21);

    image = fsi_test_image();
    add_file(image, L"\\x.bin", 50000, 11);
    write_result(image, media, &blocks);
    IFileSystemImage3_Release(image);
    sectors = (ULONG)blocks;

    handle = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
    assert_true(handle != INVALID_HANDLE_VALUE);
    SetFilePointer(handle, 16 * SECTOR, NULL, FILE_BEGIN);
    assert_true(ReadFile(handle, file_sector, SECTOR, &got, NULL));
    CloseHandle(handle);

    /* READ(10) and READ(12) give the file's sectors. */
    assert_hr(S_OK, send_read(drive, 0x28, 16, 1, 10, buffer, SECTOR, sense, &fetched));
    assert_int_equal(fetched, SECTOR);
    assert_memory_equal(buffer, file_sector, SECTOR);
    assert_memory_equal(buffer + 1, "CD001", 5);
    assert_hr(S_OK, send_read(drive, 0xA8, 15, 2, 12, buffer, 2 * SECTOR, sense, &fetched));
    assert_int_equal(fetched, 2 * SECTOR);
    assert_memory_equal(buffer + SECTOR, file_sector, SECTOR);
    assert_hr(S_OK, send_read(drive, 0x28, sectors - 1, 1, 10, buffer, SECTOR, sense, &fetched));
    assert_hr(S_OK, send_read(drive, 0x28, 0, 0, 10, buffer, SECTOR, sense, &fetched));
    assert_int_equal(fetched, 0);

    /* Beyond the written sectors: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE. */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0x28, sectors, 1, 10, buffer, SECTOR, sense, &fetched));
    assert_int_equal(fetched, 0);
    assert_sense(sense, 5, 0x21);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0xA8, sectors - 1, 2, 12, buffer, 2 * SECTOR, sense, &fetched));
    assert_sense(sense, 5, 0x21);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0xA8, 0xFFFFFFFF, 1, 12, buffer, SECTOR, sense, &fetched));
    assert_sense(sense, 5, 0x21);
    /* A READ(10) in a 12-byte block, an unknown command, a buffer too small. */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0x28, 16, 1, 12, buffer, SECTOR, sense, &fetched));
    assert_sense(sense, 5, 0x24);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0x12, 0, 0, 6, buffer, SECTOR, sense, &fetched));
    assert_sense(sense, 5, 0x20);
    assert_hr(E_INVALIDARG, send_read(drive, 0x28, 16, 2, 10, buffer, SECTOR, sense, &fetched));
    assert_hr(E_POINTER, IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, NULL, 10, sense, 10,
                                                                       buffer, 8, &fetched));

    /* READ CAPACITY: the last sector and 2048; READ TOC format 1: one session at 0. */
    assert_hr(S_OK, IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, cdb, 10, sense, 10,
                                                                  buffer, 8, &fetched));
    assert_int_equal((ULONG)buffer[0] << 24 | buffer[1] << 16 | buffer[2] << 8 | buffer[3],
                     sectors - 1);
    assert_int_equal(buffer[6] << 8 | buffer[7], SECTOR);
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x43;
    cdb[2] = 1;
    cdb[8] = 12;
    memset(buffer, 0xCC, 12);
    assert_hr(S_OK, IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, cdb, 10, sense, 10,
                                                                  buffer, 12, &fetched));
    assert_int_equal(fetched, 12);
    assert_int_equal(buffer[1], 10);
    assert_int_equal(buffer[3], 1);
    assert_int_equal(buffer[8] | buffer[9] | buffer[10] | buffer[11], 0);
    cdb[2] = 0;                     /* format 0 is not answered */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, cdb, 10, sense, 10, buffer, 12,
                                                            &fetched));
    assert_sense(sense, 5, 0x24);

    /* Its profile is DVD+R; IdentifyFileSystemsOnDisc reads through it. */
    assert_hr(S_OK, IDiscRecorder2_get_CurrentProfiles(recorder, &profiles));
    assert_int_equal(first_profile(profiles), IMAPI_PROFILE_TYPE_DVD_PLUS_R);
    image = fsi_test_image();
    assert_hr(S_OK, IFileSystemImage3_IdentifyFileSystemsOnDisc(image, recorder, &found));
    assert_int_equal(found, FsiFileSystemISO9660 | FsiFileSystemJoliet);
    IFileSystemImage3_Release(image);

    /* Closed: NOT READY, MEDIUM NOT PRESENT. */
    assert_hr(S_OK, IOpenFsiImageFileMedia_Close(media));
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              send_read(drive, 0x28, 16, 1, 10, buffer, SECTOR, sense, &fetched));
    assert_sense(sense, 2, 0x3A);
    assert_hr(E_NOTIMPL, IDiscRecorder2_EjectMedia(recorder));

    IDiscRecorder2Ex_Release(drive);
    IDiscRecorder2_Release(recorder);
    IOpenFsiImageFileMedia_Release(media);
    free(buffer);
    DeleteFileW(path);
}

/* Scripts reach the recorder and multisession objects through IDispatch. */
static void test_objects_dispatch_from_the_type_library(void **state)
{
    static OLECHAR vendor[] = L"VendorId", next[] = L"NextWritableAddress";
    LPOLESTR name;
    WCHAR path[MAX_PATH];
    IOpenFsiImageFileMedia *media;
    IDiscRecorder2 *recorder = NULL;
    IDispatch *multisession;
    SAFEARRAY *array;
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    VARIANT result;
    DISPID id = 0;
    (void)state;

    temp_image_path(path, L"dispatch.iso");
    media = open_media(path, FALSE, 1000);
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_Recorder(media, &recorder));
    name = vendor;
    assert_hr(S_OK, IDiscRecorder2_GetIDsOfNames(recorder, &IID_NULL, &name, 1, 0, &id));
    VariantInit(&result);
    assert_hr(S_OK, IDiscRecorder2_Invoke(recorder, id, &IID_NULL, 0, DISPATCH_PROPERTYGET,
                                          &none, &result, NULL, NULL));
    assert_int_equal(V_VT(&result), VT_BSTR);
    assert_int_equal(lstrcmpW(V_BSTR(&result), L"OpenFsi"), 0);
    VariantClear(&result);

    array = interfaces_of(media);
    multisession = multisession_of(array, &IID_IDispatch, S_OK);
    name = next;
    assert_hr(S_OK, IDispatch_GetIDsOfNames(multisession, &IID_NULL, &name, 1, 0, &id));
    assert_hr(S_OK, IDispatch_Invoke(multisession, id, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none,
                                     &result, NULL, NULL));
    assert_int_equal(V_VT(&result), VT_I4);
    assert_int_equal(V_I4(&result), 0);
    IDispatch_Release(multisession);
    SafeArrayDestroy(array);
    IDiscRecorder2_Release(recorder);
    IOpenFsiImageFileMedia_Release(media);
    DeleteFileW(path);
}

/* ---- a stream that names its ranges (IBlockRangeList), as an in-place update's will ---- */

struct test_range {
    IBlockRange IBlockRange_iface;
    LONG ref, start, end;
};

static struct test_range *impl_from_IBlockRange(IBlockRange *iface)
{
    return CONTAINING_RECORD(iface, struct test_range, IBlockRange_iface);
}

static HRESULT WINAPI range_QueryInterface(IBlockRange *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IBlockRange)) {
        *out = iface;
        IBlockRange_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI range_AddRef(IBlockRange *iface)
{
    return InterlockedIncrement(&impl_from_IBlockRange(iface)->ref);
}

static ULONG WINAPI range_Release(IBlockRange *iface)
{
    struct test_range *range = impl_from_IBlockRange(iface);
    ULONG ref = InterlockedDecrement(&range->ref);
    if (!ref)
        free(range);
    return ref;
}

static HRESULT WINAPI range_GetTypeInfoCount(IBlockRange *iface, UINT *count)
{
    (void)iface;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI range_GetTypeInfo(IBlockRange *iface, UINT index, LCID lcid,
                                        ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid; (void)info;
    return E_NOTIMPL;
}

static HRESULT WINAPI range_GetIDsOfNames(IBlockRange *iface, REFIID riid, LPOLESTR *names,
                                          UINT count, LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI range_Invoke(IBlockRange *iface, DISPID id, REFIID riid, LCID lcid,
                                   WORD flags, DISPPARAMS *params, VARIANT *result,
                                   EXCEPINFO *excep, UINT *arg)
{
    (void)iface; (void)id; (void)riid; (void)lcid; (void)flags; (void)params; (void)result;
    (void)excep; (void)arg;
    return E_NOTIMPL;
}

static HRESULT WINAPI range_get_StartLba(IBlockRange *iface, LONG *value)
{
    *value = impl_from_IBlockRange(iface)->start;
    return S_OK;
}

static HRESULT WINAPI range_get_EndLba(IBlockRange *iface, LONG *value)
{
    *value = impl_from_IBlockRange(iface)->end;
    return S_OK;
}

static const IBlockRangeVtbl range_vtbl = {
    range_QueryInterface, range_AddRef, range_Release, range_GetTypeInfoCount,
    range_GetTypeInfo, range_GetIDsOfNames, range_Invoke, range_get_StartLba, range_get_EndLba,
};

struct ranged_stream {
    IStream IStream_iface;
    IBlockRangeList IBlockRangeList_iface;
    LONG ref;
    IStream *inner;
    const LONG *ranges;     /* start, end pairs */
    size_t count;
};

static struct ranged_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct ranged_stream, IStream_iface);
}

static struct ranged_stream *impl_from_IBlockRangeList(IBlockRangeList *iface)
{
    return CONTAINING_RECORD(iface, struct ranged_stream, IBlockRangeList_iface);
}

static HRESULT WINAPI ranged_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    struct ranged_stream *stream = impl_from_IStream(iface);
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IStream) ||
        IsEqualIID(riid, &IID_ISequentialStream))
        *out = &stream->IStream_iface;
    else if (IsEqualIID(riid, &IID_IBlockRangeList))
        *out = &stream->IBlockRangeList_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IStream_AddRef(iface);
    return S_OK;
}

static ULONG WINAPI ranged_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI ranged_Release(IStream *iface)
{
    struct ranged_stream *stream = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&stream->ref);
    if (!ref) {
        IStream_Release(stream->inner);
        free(stream);
    }
    return ref;
}

static HRESULT WINAPI ranged_Read(IStream *iface, void *data, ULONG size, ULONG *got)
{
    return IStream_Read(impl_from_IStream(iface)->inner, data, size, got);
}

static HRESULT WINAPI ranged_Write(IStream *iface, const void *data, ULONG size, ULONG *put)
{
    (void)iface; (void)data; (void)size; (void)put;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI ranged_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
                                  ULARGE_INTEGER *position)
{
    return IStream_Seek(impl_from_IStream(iface)->inner, move, origin, position);
}

static HRESULT WINAPI ranged_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return E_NOTIMPL;
}

static HRESULT WINAPI ranged_CopyTo(IStream *iface, IStream *to, ULARGE_INTEGER size,
                                    ULARGE_INTEGER *read, ULARGE_INTEGER *written)
{
    (void)iface; (void)to; (void)size; (void)read; (void)written;
    return E_NOTIMPL;
}

static HRESULT WINAPI ranged_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static HRESULT WINAPI ranged_Revert(IStream *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT WINAPI ranged_LockRegion(IStream *iface, ULARGE_INTEGER offset,
                                        ULARGE_INTEGER size, DWORD type)
{
    (void)iface; (void)offset; (void)size; (void)type;
    return E_NOTIMPL;
}

static HRESULT WINAPI ranged_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    return IStream_Stat(impl_from_IStream(iface)->inner, stat, flags);
}

static HRESULT WINAPI ranged_Clone(IStream *iface, IStream **out)
{
    (void)iface;
    *out = NULL;
    return E_NOTIMPL;
}

static const IStreamVtbl ranged_vtbl = {
    ranged_QueryInterface, ranged_AddRef, ranged_Release, ranged_Read, ranged_Write,
    ranged_Seek, ranged_SetSize, ranged_CopyTo, ranged_Commit, ranged_Revert, ranged_LockRegion,
    ranged_LockRegion, ranged_Stat, ranged_Clone,
};

static HRESULT WINAPI list_QueryInterface(IBlockRangeList *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IDispatch) || IsEqualIID(riid, &IID_IBlockRangeList)) {
        *out = iface;
        IBlockRangeList_AddRef(iface);
        return S_OK;
    }
    return ranged_QueryInterface(&impl_from_IBlockRangeList(iface)->IStream_iface, riid, out);
}

static ULONG WINAPI list_AddRef(IBlockRangeList *iface)
{
    return ranged_AddRef(&impl_from_IBlockRangeList(iface)->IStream_iface);
}

static ULONG WINAPI list_Release(IBlockRangeList *iface)
{
    return ranged_Release(&impl_from_IBlockRangeList(iface)->IStream_iface);
}

static HRESULT WINAPI list_GetTypeInfoCount(IBlockRangeList *iface, UINT *count)
{
    (void)iface;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI list_GetTypeInfo(IBlockRangeList *iface, UINT index, LCID lcid,
                                       ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid; (void)info;
    return E_NOTIMPL;
}

static HRESULT WINAPI list_GetIDsOfNames(IBlockRangeList *iface, REFIID riid, LPOLESTR *names,
                                         UINT count, LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI list_Invoke(IBlockRangeList *iface, DISPID id, REFIID riid, LCID lcid,
                                  WORD flags, DISPPARAMS *params, VARIANT *result,
                                  EXCEPINFO *excep, UINT *arg)
{
    (void)iface; (void)id; (void)riid; (void)lcid; (void)flags; (void)params; (void)result;
    (void)excep; (void)arg;
    return E_NOTIMPL;
}

static HRESULT WINAPI list_get_BlockRanges(IBlockRangeList *iface, SAFEARRAY **out)
{
    struct ranged_stream *stream = impl_from_IBlockRangeList(iface);
    SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, (ULONG)stream->count);
    VARIANT *elements;
    size_t i;

    SafeArrayAccessData(array, (void **)&elements);
    for (i = 0; i < stream->count; i++) {
        struct test_range *range = calloc(1, sizeof(*range));
        range->IBlockRange_iface.lpVtbl = &range_vtbl;
        range->ref = 1;
        range->start = stream->ranges[2 * i];
        range->end = stream->ranges[2 * i + 1];
        V_VT(&elements[i]) = VT_DISPATCH;
        V_DISPATCH(&elements[i]) = (IDispatch *)&range->IBlockRange_iface;
    }
    SafeArrayUnaccessData(array);
    *out = array;
    return S_OK;
}

static const IBlockRangeListVtbl list_vtbl = {
    list_QueryInterface, list_AddRef, list_Release, list_GetTypeInfoCount, list_GetTypeInfo,
    list_GetIDsOfNames, list_Invoke, list_get_BlockRanges,
};

static IStream *ranged_stream(size_t sectors, unsigned seed, const LONG *ranges, size_t count)
{
    struct ranged_stream *stream = calloc(1, sizeof(*stream));
    stream->IStream_iface.lpVtbl = &ranged_vtbl;
    stream->IBlockRangeList_iface.lpVtbl = &list_vtbl;
    stream->ref = 1;
    stream->inner = fsi_test_stream(sectors * SECTOR, seed);
    stream->ranges = ranges;
    stream->count = count;
    return &stream->IStream_iface;
}

static void test_rewritable_media_writes_from_zero_or_only_the_ranges(void **state)
{
    LONG ranges[6], outside[2];
    WCHAR path[MAX_PATH];
    IOpenFsiImageFileMedia *media;
    IMultisessionRandomWrite *random;
    IMultisessionSequential *sequential;
    IFileSystemImage3 *image;
    IStream *stream;
    SAFEARRAY *array, *profiles = NULL;
    IDiscRecorder2 *recorder = NULL;
    VARIANT_BOOL flag = VARIANT_TRUE;
    LONG blocks = 0, value = 0;
    BYTE *before, *after;
    size_t before_size, after_size, i;
    static const struct expected_file files[] = { { L"\\r.bin", 40000, 21 } };
    (void)state;

    temp_image_path(path, L"rewritable.iso");
    media = open_media(path, TRUE, 5000);
    array = interfaces_of(media);
    random = multisession_of(array, &IID_IMultisessionRandomWrite, S_OK);
    sequential = multisession_of(array, &IID_IMultisessionSequential, E_NOINTERFACE);
    assert_null(sequential);
    assert_hr(S_OK, IMultisessionRandomWrite_get_LastWrittenAddress(random, &value));
    assert_int_equal(value, -1);
    image = fsi_test_image();
    /* Rewritable media take the interfaces blank (Microsoft: only write-once media refuse);
       there is nothing to import yet. */
    assert_hr(S_OK, IFileSystemImage3_put_MultisessionInterfaces(image, array));
    {
        FsiFileSystems found = FsiFileSystemNone;
        assert_hr(IMAPI_E_EMPTY_DISC, IFileSystemImage3_ImportFileSystem(image, &found));
    }
    SafeArrayDestroy(array);
    assert_hr(S_OK, IOpenFsiImageFileMedia_get_Recorder(media, &recorder));
    assert_hr(S_OK, IDiscRecorder2_get_SupportedProfiles(recorder, &profiles));
    assert_int_equal(first_profile(profiles), IMAPI_PROFILE_TYPE_DVD_PLUS_RW);
    IDiscRecorder2_Release(recorder);

    /* A first image goes to sector 0 (the image stream's ranges are all of it). */
    add_file(image, L"\\r.bin", 40000, 21);
    write_result(image, media, &blocks);
    IFileSystemImage3_Release(image);
    assert_true(sectors_written(media) == blocks);
    assert_int_equal(next_writable(media), 0);
    assert_hr(S_OK, IMultisessionRandomWrite_get_LastWrittenAddress(random, &value));
    assert_int_equal(value, blocks - 1);
    assert_hr(S_OK, IMultisessionRandomWrite_get_TotalSectorsOnMedia(random, &value));
    assert_int_equal(value, 5000);
    assert_hr(S_OK, IMultisessionRandomWrite_get_IsSupportedOnCurrentMediaState(random, &flag));
    assert_int_equal(flag, VARIANT_TRUE);
    assert_media_tree(media, files, 1, 0);

    /* Only the ranges are written; one beyond the end grows the written area. */
    ranges[0] = 2;
    ranges[1] = 3;
    ranges[2] = ranges[3] = blocks - 1;
    ranges[4] = ranges[5] = blocks + 1;
    before = read_whole_file(path, &before_size);
    stream = ranged_stream(blocks + 2, 99, ranges, ARRAY_SIZE(ranges) / 2);
    assert_hr(S_OK, IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);
    assert_true(sectors_written(media) == 4);
    after = read_whole_file(path, &after_size);
    assert_int_equal(after_size, (size_t)(blocks + 2) * SECTOR);
    for (i = 0; i < after_size; i++) {
        size_t sector = i / SECTOR;
        BOOL in_range = sector == 2 || sector == 3 || sector == (size_t)blocks - 1 ||
                        sector == (size_t)blocks + 1;
        BYTE expected = in_range ? fsi_test_pattern(i, 99)
                                 : (i < before_size ? before[i] : 0);
        if (after[i] != expected)
            fail_msg("byte %lu (sector %lu) is %u, expected %u", (unsigned long)i,
                     (unsigned long)sector, after[i], expected);
    }
    free(before);
    free(after);

    /* A range outside the stream is refused before anything is written. */
    outside[0] = 5;
    outside[1] = blocks + 2;
    stream = ranged_stream(blocks + 2, 7, outside, 1);
    assert_hr(E_INVALIDARG, IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);

    IMultisessionRandomWrite_Release(random);
    IOpenFsiImageFileMedia_Release(media);
    DeleteFileW(path);
}

static void test_bad_arguments_and_streams_fail(void **state)
{
    WCHAR path[MAX_PATH];
    IOpenFsiImageFileMedia *media =
        com_test_create(&CLSID_OpenFsiImageFileMedia, &IID_IOpenFsiImageFileMedia);
    BSTR text, empty = SysAllocString(L"");
    IStream *stream;
    SAFEARRAY *array = (SAFEARRAY *)1;
    IDiscRecorder2 *recorder = (IDiscRecorder2 *)1;
    BYTE junk[1000];
    BSTR description;
    (void)state;

    assert_hr(E_INVALIDARG, IOpenFsiImageFileMedia_Open(media, NULL, VARIANT_FALSE, 0));
    assert_hr(E_INVALIDARG, IOpenFsiImageFileMedia_Open(media, empty, VARIANT_FALSE, 0));
    description = com_test_error_description();
    assert_non_null(description);
    SysFreeString(description);
    /* Nothing open yet. */
    assert_hr(E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
              IOpenFsiImageFileMedia_get_MultisessionInterfaces(media, &array));
    assert_null(array);
    assert_hr(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, IOpenFsiImageFileMedia_get_Recorder(media,
                                                                                &recorder));
    assert_null(recorder);
    assert_hr(E_POINTER, IOpenFsiImageFileMedia_get_IsBlank(media, NULL));
    assert_hr(E_POINTER, IOpenFsiImageFileMedia_Write(media, NULL));

    /* A file that is not whole sectors. */
    temp_image_path(path, L"junk.iso");
    memset(junk, 1, sizeof(junk));
    {
        HANDLE handle = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        DWORD put;
        WriteFile(handle, junk, sizeof(junk), &put, NULL);
        CloseHandle(handle);
    }
    text = SysAllocString(path);
    assert_hr(E_INVALIDARG, IOpenFsiImageFileMedia_Open(media, text, VARIANT_FALSE, 0));
    assert_hr(E_INVALIDARG, IOpenFsiImageFileMedia_Open(media, text, VARIANT_FALSE, -1));
    DeleteFileW(path);

    /* Streams that are not whole sectors, empty, too large, or not streams. */
    assert_hr(S_OK, IOpenFsiImageFileMedia_Open(media, text, VARIANT_FALSE, 20));
    stream = fsi_test_stream(3000, 1);
    assert_hr(E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED,
              IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);
    stream = fsi_test_stream(0, 1);
    assert_hr(E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED,
              IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);
    stream = fsi_test_stream(21 * SECTOR, 1);
    assert_hr(E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA,
              IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);
    assert_int_equal(file_size(path), 0);
    /* Raw data is a session too, without a head to copy. */
    stream = fsi_test_stream(12 * SECTOR, 1);
    assert_hr(S_OK, IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    assert_hr(E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA,
              IOpenFsiImageFileMedia_Write(media, (IUnknown *)stream));
    IStream_Release(stream);
    assert_int_equal(next_writable(media), 12);
    assert_hr(E_INVALIDARG, IOpenFsiImageFileMedia_Write(media, (IUnknown *)media));

    IOpenFsiImageFileMedia_Release(media);
    DeleteFileW(path);
    SysFreeString(text);
    SysFreeString(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_sessions_on_write_once_media),
        cmocka_unit_test(test_recorder_answers_reads_like_a_drive),
        cmocka_unit_test(test_objects_dispatch_from_the_type_library),
        cmocka_unit_test(test_rewritable_media_writes_from_zero_or_only_the_ranges),
        cmocka_unit_test(test_bad_arguments_and_streams_fail),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
