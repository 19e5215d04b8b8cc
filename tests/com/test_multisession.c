/*
 * Five sessions on write-once media (and on rewritable media, where only ModifiedBlocks are
 * written and the disc must then hold the whole result stream), the way Microsoft's
 * documentation and samples add data to a disc: for each new session a new MsftFileSystemImage, MultisessionInterfaces from the data
 * writer (here the recorder double, recorder_double.h), ImportFileSystem, files added, removed
 * and replaced (removed and added again: put_Data on a file in the image is refused with
 * IMAPI_E_READONLY, as documented) through IFsiDirectoryItem, CreateResultImage, and the result's
 * ImageStream written as IDiscFormat2Data::Write would. After each session a fresh image imports
 * the disc again (each of its Joliet and UDF trees) and the tree, sizes, times and every byte must
 * be exactly the expected ones, for ISO 9660 + Joliet, UDF 1.02 and 2.50 alone, and the
 * ISO 9660 + Joliet + UDF 1.02 bridge; where there is an ISO 9660 tree, the bytes it points at in
 * the view are checked too, without openfsi. The import must read metadata only (no sector of a
 * kept file, fewer sectors than the big file alone), and writing the session must not read kept
 * files either.
 *
 * Each session's disc is also written as a view file with a manifest of the expected tree (under
 * OPENFSI_MULTISESSION_VIEWS when set, else under a temporary folder that is removed), which
 * check_multisession_views.sh has independent readers judge. A medium error in the previous
 * session's metadata fails the import cleanly.
 */
#include "fsi_test_util.h"
#include "recorder_double.h"

#include <math.h>

#define SECTOR 2048
#define VOLUME L"MULTI_SESSION"
#define MAX_ENTRIES 64
#define SESSIONS 5
#define BIG_SIZE (1024 * 1024)      /* data/big.bin: 512 sectors, more than all metadata */

struct entry {
    WCHAR path[96];             /* "docs\\guide.txt" */
    BOOL directory;
    ULONG size;
    unsigned seed;
    LONG mtime;                 /* Unix seconds, UTC */
    ULONG extent;               /* where the last view's ISO 9660 tree has its data (0: not known) */
};

struct model {
    struct entry entries[MAX_ENTRIES];
    int count;
};

struct config {
    const WCHAR *name;
    FsiFileSystems systems;
    LONG udf_revision;              /* 0: no UDF */
    LONG profile;
    FsiFileSystems imported;        /* what ImportFileSystem picks (UDF, then Joliet) */
    BOOL rewritable;                /* IMultisessionRandomWrite: ModifiedBlocks written in place */
};

static WCHAR folder[MAX_PATH];      /* the disc images; the views too unless the variable is set */
static WCHAR views[MAX_PATH];

static int setup(void **state)
{
    DWORD n;

    if (com_test_setup_sta(state))
        return -1;
    fsi_test_temp_folder(folder, L"multisession");
    n = GetEnvironmentVariableW(L"OPENFSI_MULTISESSION_VIEWS", views, MAX_PATH);
    if (!n || n >= MAX_PATH)
        lstrcpyW(views, folder);
    else
        CreateDirectoryW(views, NULL);
    return 0;
}

static int teardown(void **state)
{
    fsi_test_remove_folder(folder);
    return com_test_teardown(state);
}

/* Fails with the HRESULT and the IErrorInfo text of a step that had to succeed. */
static void expect_ok(HRESULT hr, const char *step, const WCHAR *config, int session)
{
    BSTR text;

    if (SUCCEEDED(hr))
        return;
    text = com_test_error_description();
    fail_msg("%ls session %d: %s failed with 0x%08lx: %ls", config, session, step,
             (unsigned long)hr, text ? text : L"(no error info)");
}

static DATE unix_to_date(LONG seconds)
{
    return 25569.0 + (double)seconds / 86400.0;
}

/* ---- The expected tree ---- */

static struct entry *model_find(struct model *model, const WCHAR *path)
{
    int i;
    for (i = 0; i < model->count; i++)
        if (!lstrcmpW(model->entries[i].path, path))
            return &model->entries[i];
    return NULL;
}

static struct entry *model_add(struct model *model, const WCHAR *path, BOOL directory)
{
    struct entry *e;

    assert_null(model_find(model, path));
    assert_true(model->count < MAX_ENTRIES);
    e = &model->entries[model->count++];
    memset(e, 0, sizeof(*e));
    lstrcpynW(e->path, path, ARRAY_SIZE(e->path));
    e->directory = directory;
    return e;
}

/* Takes `path` out, and with `tree` everything under it. */
static void model_remove(struct model *model, const WCHAR *path, BOOL tree)
{
    size_t n = lstrlenW(path);
    int i, kept = 0;

    assert_non_null(model_find(model, path));
    for (i = 0; i < model->count; i++) {
        const WCHAR *p = model->entries[i].path;
        BOOL gone = !lstrcmpW(p, path) || (tree && !wcsncmp(p, path, n) && p[n] == L'\\');
        if (!gone)
            model->entries[kept++] = model->entries[i];
    }
    model->count = kept;
}

/* ---- Changes made through IFsiDirectoryItem, mirrored in the model ---- */

struct session_context {
    IFsiDirectoryItem *root;
    struct model *model;
    const WCHAR *config;
    int session;
    LONG clock;                     /* the next file time */
};

static IFsiItem *item_at(struct session_context *s, const WCHAR *path)
{
    BSTR name = SysAllocString(path);
    IFsiItem *item = NULL;
    HRESULT hr = IFsiDirectoryItem_get_Item(s->root, name, &item);
    SysFreeString(name);
    expect_ok(hr, "IFsiDirectoryItem::get_Item", s->config, s->session);
    assert_non_null(item);
    return item;
}

static void set_time(struct session_context *s, const WCHAR *path, struct entry *e)
{
    IFsiItem *item = item_at(s, path);
    e->mtime = s->clock++;
    expect_ok(IFsiItem_put_LastModifiedTime(item, unix_to_date(e->mtime)),
              "IFsiItem::put_LastModifiedTime", s->config, s->session);
    IFsiItem_Release(item);
}

static void add_directory(struct session_context *s, const WCHAR *path)
{
    BSTR name = SysAllocString(path);
    expect_ok(IFsiDirectoryItem_AddDirectory(s->root, name), "AddDirectory", s->config,
              s->session);
    SysFreeString(name);
    model_add(s->model, path, TRUE);
}

static void add_file(struct session_context *s, const WCHAR *path, ULONG size, unsigned seed)
{
    IStream *stream = fsi_test_stream(size, seed);
    BSTR name = SysAllocString(path);
    struct entry *e;

    expect_ok(IFsiDirectoryItem_AddFile(s->root, name, stream), "AddFile", s->config, s->session);
    SysFreeString(name);
    IStream_Release(stream);
    e = model_add(s->model, path, FALSE);
    e->size = size;
    e->seed = seed;
    set_time(s, path, e);
}

/* put_Data on a file in the image is refused: "the contents of the file becomes read-only once
   the file item is added" (IFsiFileItem::put_Data), imported files included. */
static void assert_data_read_only(struct session_context *s, const WCHAR *path)
{
    IFsiItem *item = item_at(s, path);
    IFsiFileItem *file = NULL;
    IStream *stream = fsi_test_stream(10, 99);

    assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file));
    assert_hr(IMAPI_E_READONLY, IFsiFileItem_put_Data(file, stream));
    IStream_Release(stream);
    IFsiFileItem_Release(file);
    IFsiItem_Release(item);
}

static void remove_item(struct session_context *s, const WCHAR *path, BOOL tree)
{
    BSTR name = SysAllocString(path);
    expect_ok(tree ? IFsiDirectoryItem_RemoveTree(s->root, name)
                   : IFsiDirectoryItem_Remove(s->root, name),
              tree ? "RemoveTree" : "Remove", s->config, s->session);
    SysFreeString(name);
    model_remove(s->model, path, tree);
}

/* A file replaced: the old one removed, one of the same name added with other data. */
static void replace_file(struct session_context *s, const WCHAR *path, ULONG size, unsigned seed)
{
    assert_data_read_only(s, path);
    remove_item(s, path, FALSE);
    add_file(s, path, size, seed);
}

/* What each session changes: adds, removals (of files and of a tree), replacements both ways. */
static void change_tree(struct session_context *s)
{
    switch (s->session) {
    case 1:
        add_file(s, L"readme.txt", 100, 1);
        add_directory(s, L"docs");
        add_file(s, L"docs\\guide.txt", 5000, 2);
        add_directory(s, L"docs\\old");
        add_file(s, L"docs\\old\\notes.txt", 300, 3);
        add_directory(s, L"data");
        add_file(s, L"data\\big.bin", BIG_SIZE, 4);
        add_file(s, L"Read Me.txt", 0, 5);
        break;
    case 2:
        add_file(s, L"data\\new.bin", 70000, 6);
        replace_file(s, L"readme.txt", 200, 7);
        remove_item(s, L"docs\\old\\notes.txt", FALSE);
        break;
    case 3:
        remove_item(s, L"docs\\old", TRUE);
        add_directory(s, L"music");
        add_file(s, L"music\\a.txt", 2049, 8);
        replace_file(s, L"docs\\guide.txt", 3000, 9);
        break;
    case 4:
        replace_file(s, L"data\\new.bin", 4096, 10);
        add_directory(s, L"docs\\deep");
        add_directory(s, L"docs\\deep\\er");
        add_file(s, L"docs\\deep\\er\\file.txt", 10, 11);
        break;
    case 5:
        remove_item(s, L"Read Me.txt", FALSE);
        add_file(s, L"zeta.txt", 1, 12);
        replace_file(s, L"data\\big.bin", 600000, 13);
        remove_item(s, L"music", TRUE);
        break;
    }
}

/* ---- Checking a disc against the model ---- */

/*
 * A file's size and time must be the expected ones (a failure at once). Its bytes, read through
 * IFsiFileItem::get_Data, are checked too; a difference there is counted in *problems and
 * reported when the five sessions are done, so that one missing feature does not hide the rest.
 */
static void check_file_item(IFsiFileItem *file, const struct entry *e, const WCHAR *config,
                            int session, int *problems)
{
    LONGLONG size = -1;
    IStream *data = NULL;
    BYTE *bytes = malloc(e->size + 1);
    ULONG got = 0, extra = 0, i;
    DATE when = 0;

    assert_non_null(bytes);
    assert_hr(S_OK, IFsiFileItem_get_DataSize(file, &size));
    if (size != (LONGLONG)e->size)
        fail_msg("%ls session %d: %ls has %ld bytes, expected %lu", config, session, e->path,
                 (long)size, (unsigned long)e->size);
    assert_hr(S_OK, IFsiFileItem_get_LastModifiedTime(file, &when));
    if (fabs(when - unix_to_date(e->mtime)) > 0.5 / 86400)
        fail_msg("%ls session %d: %ls modified at %.6f, expected %.6f", config, session, e->path,
                 when, unix_to_date(e->mtime));
    expect_ok(IFsiFileItem_get_Data(file, &data), "IFsiFileItem::get_Data", config, session);
    while (got < e->size) {
        ULONG n = 0;
        expect_ok(IStream_Read(data, bytes + got, e->size - got, &n), "reading an imported file",
                  config, session);
        if (!n)
            break;
        got += n;
    }
    IStream_Read(data, bytes + got, 1, &extra);
    IStream_Release(data);
    if ((got != e->size || extra) && *problems >= 6) {
        ++*problems;            /* reported already for other files: only counted */
    } else if (got != e->size || extra) {
        print_error("%ls session %d: IFsiFileItem::get_Data of the imported %ls gives %lu%s "
                    "bytes, expected %lu\n", config, session, e->path, (unsigned long)got,
                    extra ? " or more" : "", (unsigned long)e->size);
        ++*problems;
    } else {
        for (i = 0; i < e->size; i++)
            if (bytes[i] != fsi_test_pattern(i, e->seed))
                break;
        if (i < e->size && *problems >= 6) {
            ++*problems;
        } else if (i < e->size) {
            print_error("%ls session %d: %ls: byte %lu is %u, expected %u\n", config, session,
                        e->path, (unsigned long)i, bytes[i], fsi_test_pattern(i, e->seed));
            ++*problems;
        }
    }
    free(bytes);
}

/* Walks an imported directory: every item must be in the model, as a file or directory. */
static int walk_imported(IFsiDirectoryItem *dir, struct model *model, const WCHAR *config,
                         int session, int *problems)
{
    IEnumFsiItems *items = NULL;
    IFsiItem *item = NULL;
    ULONG fetched = 0;
    int seen = 0;

    assert_hr(S_OK, IFsiDirectoryItem_get_EnumFsiItems(dir, &items));
    while (IEnumFsiItems_Next(items, 1, &item, &fetched) == S_OK && fetched == 1) {
        IFsiDirectoryItem *subdir = NULL;
        IFsiFileItem *file = NULL;
        BSTR full = NULL;
        struct entry *e;

        assert_hr(S_OK, IFsiItem_get_FullPath(item, &full));
        e = model_find(model, full + 1);                    /* past the leading "\" */
        if (!e)
            fail_msg("%ls session %d: the disc holds %ls, which should not be there", config,
                     session, full);
        if (SUCCEEDED(IFsiItem_QueryInterface(item, &IID_IFsiDirectoryItem, (void **)&subdir))) {
            if (!e->directory)
                fail_msg("%ls session %d: %ls is a directory, expected a file", config, session,
                         full);
            seen += 1 + walk_imported(subdir, model, config, session, problems);
            IFsiDirectoryItem_Release(subdir);
        } else {
            assert_hr(S_OK, IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file));
            if (e->directory)
                fail_msg("%ls session %d: %ls is a file, expected a directory", config, session,
                         full);
            check_file_item(file, e, config, session, problems);
            IFsiFileItem_Release(file);
            seen++;
        }
        SysFreeString(full);
        IFsiItem_Release(item);
    }
    IEnumFsiItems_Release(items);
    return seen;
}

/* A fresh image imports `system` from the disc: exactly the model must come back. */
static void check_disc(struct recorder_double *drive, const struct config *c, int session,
                       FsiFileSystems system, struct model *model, int *problems)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root;
    SAFEARRAY *array = NULL;
    LONG files = -1, directories = -1, want_files = 0, want_directories = 0;
    BSTR label = NULL;
    int i, seen;

    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    expect_ok(IFileSystemImage3_put_MultisessionInterfaces(image, array),
              "put_MultisessionInterfaces (check)", c->name, session);
    SafeArrayDestroy(array);
    expect_ok(IFileSystemImage3_ImportSpecificFileSystem(image, system),
              "ImportSpecificFileSystem (check)", c->name, session);
    assert_hr(S_OK, IFileSystemImage3_get_ImportedVolumeName(image, &label));
    if (!label || lstrcmpW(label, VOLUME))
        fail_msg("%ls session %d: imported volume name %ls", c->name, session,
                 label ? label : L"(null)");
    SysFreeString(label);
    for (i = 0; i < model->count; i++)
        model->entries[i].directory ? want_directories++ : want_files++;
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_hr(S_OK, IFileSystemImage3_get_DirectoryCount(image, &directories));
    if (files != want_files || directories != want_directories)
        fail_msg("%ls session %d (file system %d): %ld files and %ld directories imported, "
                 "expected %ld and %ld", c->name, session, (int)system, (long)files,
                 (long)directories, (long)want_files, (long)want_directories);
    root = fsi_test_root(image);
    seen = walk_imported(root, model, c->name, session, problems);
    assert_int_equal(seen, model->count);       /* and so every expected item was there */
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* ---- View files and manifests ---- */

static void write_text(HANDLE file, const char *text)
{
    DWORD written = 0;
    assert_true(WriteFile(file, text, (DWORD)strlen(text), &written, NULL));
}

static void write_manifest(const struct config *c, int session, const struct model *model)
{
    WCHAR path[MAX_PATH];
    char line[512], utf8[300];
    HANDLE file;
    int i;

    _snwprintf(path, MAX_PATH, L"%ls\\%ls-session%d.manifest", views, c->name, session);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    WideCharToMultiByte(CP_UTF8, 0, VOLUME, -1, utf8, sizeof(utf8), NULL, NULL);
    snprintf(line, sizeof(line), "volume\t%s\nfilesystems\t%d\n", utf8, (int)c->systems);
    write_text(file, line);
    if (c->udf_revision) {
        snprintf(line, sizeof(line), "udf\t%lx.%02lx\n", (unsigned long)(c->udf_revision >> 8),
                 (unsigned long)(c->udf_revision & 0xFF));
        write_text(file, line);
    }
    for (i = 0; i < model->count; i++) {
        const struct entry *e = &model->entries[i];
        char *p;
        WideCharToMultiByte(CP_UTF8, 0, e->path, -1, utf8, sizeof(utf8), NULL, NULL);
        for (p = utf8; *p; p++)
            if (*p == '\\')
                *p = '/';
        if (e->directory)
            snprintf(line, sizeof(line), "dir\t%s\n", utf8);
        else
            snprintf(line, sizeof(line), "file\t%lu\t%u\t%ld\t%s\n", (unsigned long)e->size,
                     e->seed, (long)e->mtime, utf8);
        write_text(file, line);
    }
    CloseHandle(file);
}

/* The ISO 9660 identifier openfsi records for one of this test's names. */
static void iso_path(const WCHAR *path, BOOL directory, char *out, size_t size)
{
    size_t n = 0;
    for (; *path && n + 3 < size; path++)
        out[n++] = *path == L'\\' ? '/' : (*path >= L'a' && *path <= L'z') ? (char)(*path - 32)
                 : ((*path >= L'A' && *path <= L'Z') || (*path >= L'0' && *path <= L'9') ||
                    *path == L'.' || *path == L'_') ? (char)*path : '_';
    if (!directory) {
        out[n++] = ';';
        out[n++] = '1';
    }
    out[n] = 0;
}

/* Writes the session's view and manifest, and notes where the ISO 9660 tree has each file. */
static void write_view(struct recorder_double *drive, const struct config *c, int session,
                       struct model *model)
{
    WCHAR path[MAX_PATH];
    HANDLE file;
    BYTE *image;
    DWORD size, got = 0;
    int i;

    _snwprintf(path, MAX_PATH, L"%ls\\%ls-session%d.iso", views, c->name, session);
    expect_ok(recorder_double_write_view(drive, path), "recorder_double_write_view", c->name,
              session);
    write_manifest(c, session, model);
    if (!(c->systems & FsiFileSystemISO9660))
        return;
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    size = GetFileSize(file, NULL);
    image = malloc(size);
    assert_non_null(image);
    assert_true(ReadFile(file, image, size, &got, NULL));
    CloseHandle(file);
    for (i = 0; i < model->count; i++) {
        struct entry *e = &model->entries[i];
        ULONG extent = 0, length = 0;
        BYTE flags = 0;
        char name[200];
        if (e->directory)
            continue;
        iso_path(e->path, FALSE, name, sizeof(name));
        if (!fsi_test_iso_lookup(image, size / SECTOR, name, 0, &extent, &length, &flags))
            fail_msg("%ls session %d: %s is not in the view's ISO 9660 tree", c->name, session,
                     name);
        assert_int_equal(length, e->size);
        e->extent = e->size ? extent : 0;
        /* The bytes the ISO 9660 tree points at, read from the view without openfsi. */
        fsi_test_assert_file(image, size / SECTOR, name, e->size, e->seed);
    }
    free(image);
}

/* Fails when any sector of a file the disc already held was read. */
static void assert_no_file_data_read(struct recorder_double *drive, const struct model *model,
                                     const WCHAR *config, int session, const char *when)
{
    int i;
    for (i = 0; i < model->count; i++) {
        const struct entry *e = &model->entries[i];
        LONG n;
        if (e->directory || !e->extent)
            continue;
        n = recorder_double_sectors_read(drive, (LONG)e->extent,
                                         (LONG)((e->size + SECTOR - 1) / SECTOR));
        if (n)
            fail_msg("%ls session %d: %s read %ld sectors of %ls's data", config, session, when,
                     (long)n, e->path);
    }
}

/* ---- The flow ---- */

/* The whole stream, read from its start. */
static BYTE *read_stream(IStream *stream, ULONGLONG *size)
{
    STATSTG stat;
    LARGE_INTEGER zero;
    BYTE *bytes;
    ULONG got = 0;

    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_NONAME));
    *size = stat.cbSize.QuadPart;
    bytes = malloc((size_t)*size + 1);
    assert_non_null(bytes);
    zero.QuadPart = 0;
    assert_hr(S_OK, IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL));
    assert_hr(S_OK, IStream_Read(stream, bytes, (ULONG)*size, &got));
    assert_int_equal(got, (ULONG)*size);
    assert_hr(S_OK, IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL));
    return bytes;
}

/* Rewritable media: only ModifiedBlocks are written (what the stream's IBlockRangeList says
   too), and the disc then holds the full result stream byte for byte. */
static void write_modified_blocks(struct recorder_double *drive, IFileSystemImageResult *result,
                                  IStream *stream, const WCHAR *disc, const struct config *c,
                                  int session, const struct model *model)
{
    IFileSystemImageResult2 *result2 = NULL;
    IBlockRangeList *list = NULL, *from_stream = NULL;
    SAFEARRAY *ranges = NULL, *again = NULL;
    LONG low = 0, high = -1, high2 = -1, i, listed = 0, blocks = 0;
    ULONGLONG size, disc_size;
    BYTE *image, *written;
    HANDLE file;
    DWORD got = 0;

    assert_hr(S_OK, IFileSystemImageResult_QueryInterface(result, &IID_IFileSystemImageResult2,
                                                          (void **)&result2));
    assert_hr(S_OK, IFileSystemImageResult2_get_ModifiedBlocks(result2, &list));
    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result2, &blocks));
    assert_hr(S_OK, IBlockRangeList_get_BlockRanges(list, &ranges));
    assert_hr(S_OK, SafeArrayGetLBound(ranges, 1, &low));
    assert_hr(S_OK, SafeArrayGetUBound(ranges, 1, &high));
    assert_true(high >= low);
    for (i = low; i <= high; i++) {
        VARIANT v;
        IBlockRange *range = NULL;
        LONG start = -1, end = -1;
        VariantInit(&v);
        assert_hr(S_OK, SafeArrayGetElement(ranges, &i, &v));
        assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&v), &IID_IBlockRange,
                                                 (void **)&range));
        assert_hr(S_OK, IBlockRange_get_StartLba(range, &start));
        assert_hr(S_OK, IBlockRange_get_EndLba(range, &end));
        assert_true(start >= 0 && end >= start && end < blocks);
        listed += end - start + 1;
        IBlockRange_Release(range);
        VariantClear(&v);
    }
    /* The recorder asks the stream itself. */
    assert_hr(S_OK, IStream_QueryInterface(stream, &IID_IBlockRangeList, (void **)&from_stream));
    assert_hr(S_OK, IBlockRangeList_get_BlockRanges(from_stream, &again));
    assert_hr(S_OK, SafeArrayGetUBound(again, 1, &high2));
    assert_int_equal(high2, high);
    /* CreateResultImage measured the ranges by reading metadata only, no kept file's data. */
    assert_no_file_data_read(drive, model, c->name, session, "CreateResultImage");
    recorder_double_reset_stats(drive);
    expect_ok(recorder_double_write_ranges(drive, stream, from_stream), "writing ModifiedBlocks",
              c->name, session);
    /* Writing read no kept file; the comparison below reads the whole disc, so it is not
       counted. */
    assert_no_file_data_read(drive, model, c->name, session, "writing ModifiedBlocks");
    printf("%ls session %d: ModifiedBlocks %ld sectors in %ld ranges of %ld\n", c->name,
           session, (long)listed, (long)(high - low + 1), (long)blocks);

    image = read_stream(stream, &size);
    assert_true(size == (ULONGLONG)blocks * SECTOR);
    file = CreateFileW(disc, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       0, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    disc_size = GetFileSize(file, NULL);
    assert_true(disc_size >= size);
    written = malloc((size_t)size + 1);
    assert_non_null(written);
    assert_true(ReadFile(file, written, (DWORD)size, &got, NULL) && got == (DWORD)size);
    CloseHandle(file);
    if (memcmp(written, image, (size_t)size))
        fail_msg("%ls session %d: the disc with ModifiedBlocks written differs from the result "
                 "stream", c->name, session);
    free(written);
    free(image);
    recorder_double_reset_stats(drive);
    SafeArrayDestroy(again);
    SafeArrayDestroy(ranges);
    IBlockRangeList_Release(from_stream);
    IBlockRangeList_Release(list);
    IFileSystemImageResult2_Release(result2);
}

static void run_sessions(const struct config *c)
{
    struct recorder_double *drive = NULL;
    struct model model;
    struct recorder_double_stats stats;
    WCHAR disc[MAX_PATH];
    LONG clock = 1700000000;
    int session, problems = 0;

    memset(&model, 0, sizeof(model));
    _snwprintf(disc, MAX_PATH, L"%ls\\%ls.disc", folder, c->name);
    assert_hr(S_OK, recorder_double_create(disc, c->profile, 0, &drive));

    for (session = 1; session <= SESSIONS; session++) {
        IFileSystemImage3 *image = fsi_test_image();
        IFileSystemImageResult *result = NULL;
        IStream *stream = NULL;
        struct session_context s;
        struct recorder_session written;
        FsiFileSystems found = FsiFileSystemNone;
        BSTR name = SysAllocString(VOLUME);
        LONG next = recorder_double_next_writable_address(drive), value = -1;

        assert_hr(S_OK, IFileSystemImage3_put_VolumeName(image, name));
        SysFreeString(name);
        assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, c->systems));
        if (c->udf_revision)
            assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, c->udf_revision));

        if (session > 1) {
            /* Microsoft's flow for media that are not blank. */
            SAFEARRAY *array = NULL;
            IMultisession *multisession = NULL;
            VARIANT item;
            VARIANT_BOOL in_use = VARIANT_FALSE;
            LONG index = 0, free_sectors = 0;

            assert_hr(S_OK, recorder_double_multisession(drive, &array));
            expect_ok(IFileSystemImage3_put_MultisessionInterfaces(image, array),
                      "put_MultisessionInterfaces", c->name, session);
            VariantInit(&item);
            assert_hr(S_OK, SafeArrayGetElement(array, &index, &item));
            assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&item), &IID_IMultisession,
                                                     (void **)&multisession));
            assert_hr(S_OK, IMultisession_get_InUse(multisession, &in_use));
            assert_int_equal(in_use, VARIANT_TRUE);     /* the image chose it */
            if (c->rewritable) {
                /* The whole media is the room; the image starts at sector 0. */
                IMultisessionRandomWrite *random = NULL;
                assert_hr(S_OK, IMultisession_QueryInterface(multisession,
                                                             &IID_IMultisessionRandomWrite,
                                                             (void **)&random));
                assert_hr(S_OK, IMultisessionRandomWrite_get_TotalSectorsOnMedia(random,
                                                                                 &free_sectors));
                IMultisessionRandomWrite_Release(random);
                next = 0;
            } else {
                IMultisessionSequential2 *sequential = NULL;
                assert_hr(S_OK, IMultisession_QueryInterface(multisession,
                                                             &IID_IMultisessionSequential2,
                                                             (void **)&sequential));
                assert_hr(S_OK, IMultisessionSequential2_get_FreeSectorsOnMedia(sequential,
                                                                                &free_sectors));
                IMultisessionSequential2_Release(sequential);
            }
            IMultisession_Release(multisession);
            VariantClear(&item);
            SafeArrayDestroy(array);

            recorder_double_reset_stats(drive);
            expect_ok(IFileSystemImage3_ImportFileSystem(image, &found), "ImportFileSystem",
                      c->name, session);
            assert_int_equal(found, c->imported);
            /* Metadata only: no sector of any file, and less than the big file alone holds. */
            assert_no_file_data_read(drive, &model, c->name, session, "ImportFileSystem");
            recorder_double_get_stats(drive, &stats);
            if (stats.sectors_read >= BIG_SIZE / SECTOR)
                fail_msg("%ls session %d: ImportFileSystem read %ld sectors", c->name, session,
                         (long)stats.sectors_read);
            assert_hr(S_OK, IFileSystemImage3_get_SessionStartBlock(image, &value));
            assert_int_equal(value, next);
            assert_hr(S_OK, IFileSystemImage3_get_FreeMediaBlocks(image, &value));
            assert_int_equal(value, free_sectors);
        }

        s.root = fsi_test_root(image);
        s.model = &model;
        s.config = c->name;
        s.session = session;
        s.clock = clock;
        change_tree(&s);
        clock = s.clock + 1000;
        IFsiDirectoryItem_Release(s.root);

        recorder_double_reset_stats(drive);
        expect_ok(IFileSystemImage3_CreateResultImage(image, &result), "CreateResultImage",
                  c->name, session);
        assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
        if (c->rewritable && session > 1)
            write_modified_blocks(drive, result, stream, disc, c, session, &model);
        else
            expect_ok(recorder_double_write_session(drive, stream), "writing the session",
                      c->name, session);
        /* Kept files stay where they are: writing the session read none of them. */
        assert_no_file_data_read(drive, &model, c->name, session, "writing the session");
        IStream_Release(stream);
        IFileSystemImageResult_Release(result);
        IFileSystemImage3_Release(image);

        assert_int_equal(recorder_double_session_count(drive), c->rewritable ? 1 : session);
        assert_true(recorder_double_session(drive, c->rewritable ? 0 : (ULONG)session - 1,
                                            &written));
        assert_int_equal(written.start, c->rewritable ? 0 : next);

        /* What a reader of the disc sees now: each file system on it, exactly the model. */
        image = fsi_test_image();
        found = FsiFileSystemNone;
        expect_ok(IFileSystemImage3_IdentifyFileSystemsOnDisc(image, recorder_double_recorder(drive),
                                                              &found),
                  "IdentifyFileSystemsOnDisc", c->name, session);
        assert_int_equal(found, c->systems);
        IFileSystemImage3_Release(image);
        if (c->systems & FsiFileSystemJoliet)
            check_disc(drive, c, session, FsiFileSystemJoliet, &model, &problems);
        if (c->systems & FsiFileSystemUDF)
            check_disc(drive, c, session, FsiFileSystemUDF, &model, &problems);
        write_view(drive, c, session, &model);
    }
    recorder_double_release(drive);
    if (problems)
        fail_msg("%ls: %d reads of imported files through IFsiFileItem::get_Data gave other "
                 "bytes than the files hold (the first 6 are above); the tree, sizes and times "
                 "were right in all %d sessions", c->name, problems, SESSIONS);
}

static void test_five_sessions_iso9660_joliet(void **state)
{
    static const struct config c = { L"iso9660-joliet", FsiFileSystemISO9660 | FsiFileSystemJoliet,
                                      0, IMAPI_PROFILE_TYPE_DVD_PLUS_R, FsiFileSystemJoliet, FALSE };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_udf_102(void **state)
{
    static const struct config c = { L"udf102", FsiFileSystemUDF, 0x102,
                                      IMAPI_PROFILE_TYPE_DVD_DASH_RECORDABLE, FsiFileSystemUDF, FALSE };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_udf_250(void **state)
{
    static const struct config c = { L"udf250", FsiFileSystemUDF, 0x250,
                                      IMAPI_PROFILE_TYPE_BD_R_SEQUENTIAL, FsiFileSystemUDF, FALSE };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_bridge(void **state)
{
    static const struct config c = {
        L"bridge", FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 0x102,
        IMAPI_PROFILE_TYPE_DVD_PLUS_R, FsiFileSystemUDF, FALSE
    };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_rewritable_iso9660_joliet(void **state)
{
    static const struct config c = { L"rw-iso9660-joliet",
                                      FsiFileSystemISO9660 | FsiFileSystemJoliet, 0,
                                      IMAPI_PROFILE_TYPE_DVD_PLUS_RW, FsiFileSystemJoliet, TRUE };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_rewritable_udf_102(void **state)
{
    static const struct config c = { L"rw-udf102", FsiFileSystemUDF, 0x102,
                                      IMAPI_PROFILE_TYPE_DVD_PLUS_RW, FsiFileSystemUDF, TRUE };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_rewritable_udf_250(void **state)
{
    static const struct config c = { L"rw-udf250", FsiFileSystemUDF, 0x250,
                                      IMAPI_PROFILE_TYPE_BD_REWRITABLE, FsiFileSystemUDF, TRUE };
    (void)state;
    run_sessions(&c);
}

static void test_five_sessions_rewritable_bridge(void **state)
{
    static const struct config c = {
        L"rw-bridge", FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 0x102,
        IMAPI_PROFILE_TYPE_DVD_PLUS_RW, FsiFileSystemUDF, TRUE
    };
    (void)state;
    run_sessions(&c);
}

/* On rewritable media the media's room bounds the whole image (it covers the disc from sector
   0): what does not fit fails CreateResultImage with IMAPI_E_IMAGE_TOO_BIG, before anything is
   written; what fits is laid out within it. */
static void test_a_session_too_big_for_rewritable_media_fails_before_writing(void **state)
{
    struct recorder_double *drive = NULL;
    struct recorder_double_stats stats;
    IFileSystemImage3 *image = fsi_test_image();
    IFileSystemImageResult *result = NULL;
    IFsiDirectoryItem *root = fsi_test_root(image);
    IStream *stream = NULL;
    SAFEARRAY *array = NULL;
    FsiFileSystems found = FsiFileSystemNone;
    LONG value = -1;
    WCHAR disc[MAX_PATH];
    BSTR text;
    (void)state;

    _snwprintf(disc, MAX_PATH, L"%ls\\too-big.disc", folder);
    assert_hr(S_OK, recorder_double_create(disc, IMAPI_PROFILE_TYPE_DVD_PLUS_RW, 3000, &drive));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(
                        image, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF));
    fsi_test_add_file(root, L"first.bin", 100000, 1);
    IFsiDirectoryItem_Release(root);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    assert_hr(S_OK, recorder_double_write_session(drive, stream));
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFileSystemImage3_Release(image);

    image = fsi_test_image();
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(
                        image, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF));
    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    assert_hr(S_OK, IFileSystemImage3_put_MultisessionInterfaces(image, array));
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_hr(S_OK, IFileSystemImage3_get_FreeMediaBlocks(image, &value));
    assert_int_equal(value, 3000);
    root = fsi_test_root(image);
    fsi_test_add_file(root, L"big.bin", 3000 * SECTOR, 2);
    recorder_double_reset_stats(drive);
    assert_hr(IMAPI_E_IMAGE_TOO_BIG, IFileSystemImage3_CreateResultImage(image, &result));
    assert_null(result);
    text = com_test_error_description();
    assert_non_null(text);
    assert_non_null(wcsstr(text, L"FreeMediaBlocks"));
    SysFreeString(text);
    recorder_double_get_stats(drive, &stats);
    assert_int_equal(stats.sectors_written, 0);

    /* Without the big file it fits. */
    text = SysAllocString(L"big.bin");
    assert_hr(S_OK, IFsiDirectoryItem_Remove(root, text));
    SysFreeString(text);
    fsi_test_add_file(root, L"small.bin", 500 * SECTOR, 3);
    IFsiDirectoryItem_Release(root);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &value));
    assert_true(value > 0 && value <= 3000);
    IFileSystemImageResult_Release(result);
    SafeArrayDestroy(array);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

/* A medium error under the previous session's metadata fails the import, and nothing of it stays;
   the same image imports once the error is gone. */
static void test_a_medium_error_fails_the_import_cleanly(void **state)
{
    struct recorder_double *drive = NULL;
    IFileSystemImage3 *image = fsi_test_image();
    IFileSystemImageResult *result = NULL;
    IFsiDirectoryItem *root = fsi_test_root(image);
    IStream *stream = NULL;
    SAFEARRAY *array = NULL;
    FsiFileSystems found = FsiFileSystemNone;
    LONG files = -1;
    WCHAR disc[MAX_PATH];
    struct recorder_session first;
    HRESULT hr;
    (void)state;

    _snwprintf(disc, MAX_PATH, L"%ls\\medium-error.disc", folder);
    assert_hr(S_OK, recorder_double_create(disc, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, &drive));
    fsi_test_add_directory(root, L"d");
    fsi_test_add_file(root, L"d\\x.bin", 5000, 1);
    IFsiDirectoryItem_Release(root);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    assert_hr(S_OK, recorder_double_write_session(drive, stream));
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFileSystemImage3_Release(image);
    assert_true(recorder_double_session(drive, 0, &first));

    /* Everything after the volume descriptors (primary, Joliet, terminator at 16..18) fails:
       the path tables and directories cannot be read. */
    recorder_double_fail_reads(drive, first.start + 19, first.last - first.start - 18);
    image = fsi_test_image();
    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    assert_hr(S_OK, IFileSystemImage3_put_MultisessionInterfaces(image, array));
    hr = IFileSystemImage3_ImportFileSystem(image, &found);
    assert_true(FAILED(hr));
    assert_hr(IMAPI_E_IMPORT_READ_FAILURE, hr);
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 0);

    recorder_double_fail_reads(drive, 0, 0);
    assert_hr(S_OK, IFileSystemImage3_ImportFileSystem(image, &found));
    assert_int_equal(found, FsiFileSystemJoliet);
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_int_equal(files, 1);
    SafeArrayDestroy(array);
    IFileSystemImage3_Release(image);
    recorder_double_release(drive);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_five_sessions_iso9660_joliet),
        cmocka_unit_test(test_five_sessions_udf_102),
        cmocka_unit_test(test_five_sessions_udf_250),
        cmocka_unit_test(test_five_sessions_bridge),
        cmocka_unit_test(test_five_sessions_rewritable_iso9660_joliet),
        cmocka_unit_test(test_five_sessions_rewritable_udf_102),
        cmocka_unit_test(test_five_sessions_rewritable_udf_250),
        cmocka_unit_test(test_five_sessions_rewritable_bridge),
        cmocka_unit_test(test_a_session_too_big_for_rewritable_media_fails_before_writing),
        cmocka_unit_test(test_a_medium_error_fails_the_import_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
