/*
 * com_create: "openfsi create" done through COM, as a Windows program that uses imapi2fs.dll
 * would do it: MsftFileSystemImage, AddTree for each folder, AddFile (a stream on the file) for
 * each file, CreateResultImage, and the ImageStream read to a file in 1 MiB pieces. The
 * conformance suite uses it as a writer (tests/conformance/standin/com.sh) and bench/ times it
 * beside the native tool; it is not a test by itself.
 *
 *   com_create create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] [--no-joliet]
 *                     [--udf REV [--no-iso] [--no-udf-mirror]] [--stream-test]
 *                     [--boot FILE [--boot-emulation none|floppy|hd] [--efi FILE]] [--time] PATH...
 *   com_create create --discard [options] PATH...
 *
 * The options are the native tool's (src/tool/main.c), set through the COM properties a program
 * would set: --udf REV (1.02, 1.50, 2.00, 2.01, 2.50, 2.60) adds FsiFileSystemUDF to
 * FileSystemsToCreate and sets UDFRevision; --no-iso leaves ISO 9660 and Joliet out (UDF alone);
 * --no-udf-mirror turns CreateRedundantUdfMetadataFiles off (2.50 and later).
 * --discard reads the whole ImageStream and writes nothing: the benchmark uses it to tell the
 * COM server's throughput from the cost of writing a file under Wine.
 * --stream-test gives every file added two named streams through IFsiFileItem2::AddStream,
 * "openfsi.test" and "Zone.Identifier", whose contents are made from the file's path in the
 * image (see test_stream_text), so that images with streams can be built and read back by
 * independent readers (UDF 2.00 and later record them).
 * --boot FILE makes an IBootOptions (AssignBootImage with a stream on FILE: a floppy-sized file
 * gets its floppy emulation, --boot-emulation none|hd set it), --efi FILE a second one with
 * PlatformId EFI; one goes to BootImageOptions, two to BootImageOptionsArray.
 * Exit status 0 done, 1 failed (the reason and the HRESULT on stderr), 2 wrong usage. With
 * --time it prints "com_create: build S s, stream S s, N bytes" on stdout.
 */
#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <shlwapi.h>
#include <stdio.h>
#include <wchar.h>
#include <wctype.h>

#include "imapi2.h"
#include "imapi2fs.h"

#define CHUNK (256u * 1024)

static int usage(void)
{
    fwprintf(stderr, L"usage: com_create create -o OUT.iso [--volume NAME] [--iso-level 1|2|3] "
                     L"[--no-joliet]\n"
                     L"                         [--udf 1.02|1.50|2.00|2.01|2.50|2.60 [--no-iso] "
                     L"[--no-udf-mirror]] [--stream-test] [--boot FILE [--boot-emulation none|floppy|hd] "
                     L"[--efi FILE]] [--time] PATH...\n");
    return 2;
}

/* "2.01" as 0x201 (UDFRevision's encoding); 0 when the text is not of that form. The server
   says whether it knows the revision. */
static LONG parse_udf_revision(const WCHAR *text)
{
    if (wcslen(text) != 4 || text[1] != '.' || !iswdigit(text[0]) || !iswdigit(text[2]) ||
        !iswdigit(text[3]))
        return 0;
    return (text[0] - '0') << 8 | (text[2] - '0') << 4 | (text[3] - '0');
}

static int failed(HRESULT hr, const WCHAR *what, const WCHAR *detail)
{
    IErrorInfo *info = NULL;
    BSTR text = NULL;

    if (GetErrorInfo(0, &info) == S_OK && info) {
        IErrorInfo_GetDescription(info, &text);
        IErrorInfo_Release(info);
    }
    fwprintf(stderr, L"com_create: %ls%ls%ls failed with 0x%08lx%ls%ls\n", what,
             detail ? L" " : L"", detail ? detail : L"", (unsigned long)hr, text ? L": " : L"",
             text ? text : L"");
    SysFreeString(text);
    return 1;
}

static double seconds_since(LARGE_INTEGER start)
{
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    return (double)(now.QuadPart - start.QuadPart) / (double)frequency.QuadPart;
}

/* Adds one PATH: a folder's contents go into the root, a file goes into the root. */
/* An IBootOptions for `file`: AssignBootImage picks a floppy emulation by size; `emulation` -1
   keeps it, else sets it. */
static HRESULT make_boot_options(const WCHAR *file, PlatformId platform, int emulation,
                                 IBootOptions **out)
{
    IStream *data = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_BootOptions, NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IBootOptions, (void **)out);

    if (SUCCEEDED(hr))
        hr = SHCreateStreamOnFileEx(file, STGM_READ | STGM_SHARE_DENY_WRITE, FILE_ATTRIBUTE_NORMAL,
                                    FALSE, NULL, &data);
    if (SUCCEEDED(hr))
        hr = IBootOptions_AssignBootImage(*out, data);
    if (SUCCEEDED(hr))
        hr = IBootOptions_put_PlatformId(*out, platform);
    if (SUCCEEDED(hr) && emulation >= 0)
        hr = IBootOptions_put_Emulation(*out, (EmulationType)emulation);
    if (data)
        IStream_Release(data);
    return hr;
}

/* BootImageOptions for one image, BootImageOptionsArray for two. */
static HRESULT set_boot_images(IFileSystemImage *image, const WCHAR *bios, int emulation,
                               const WCHAR *efi)
{
    IBootOptions *options[2] = { NULL, NULL };
    HRESULT hr = make_boot_options(bios, PlatformX86, emulation, &options[0]);

    if (SUCCEEDED(hr) && efi)
        hr = make_boot_options(efi, PlatformEFI, EmulationNone, &options[1]);
    if (SUCCEEDED(hr) && !efi)
        hr = IFileSystemImage_put_BootImageOptions(image, options[0]);
    else if (SUCCEEDED(hr)) {
        SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, 2);
        LONG k;
        hr = array ? S_OK : E_OUTOFMEMORY;
        for (k = 0; k < 2 && SUCCEEDED(hr); k++) {
            VARIANT v;
            V_VT(&v) = VT_DISPATCH;
            V_DISPATCH(&v) = (IDispatch *)options[k];
            hr = SafeArrayPutElement(array, &k, &v);   /* copies, taking its own reference */
        }
        if (SUCCEEDED(hr)) {
            IFileSystemImage2 *image2 = NULL;   /* BootImageOptionsArray is IFileSystemImage2's */
            hr = IFileSystemImage_QueryInterface(image, &IID_IFileSystemImage2, (void **)&image2);
            if (SUCCEEDED(hr)) {
                hr = IFileSystemImage2_put_BootImageOptionsArray(image2, array);
                IFileSystemImage2_Release(image2);
            }
        }
        if (array)
            SafeArrayDestroy(array);
    }
    if (options[0])
        IBootOptions_Release(options[0]);
    if (options[1])
        IBootOptions_Release(options[1]);
    return hr;
}

static HRESULT add_path(IFsiDirectoryItem *root, const WCHAR *path)
{
    DWORD attributes = GetFileAttributesW(path);
    const WCHAR *name;
    IStream *stream = NULL;
    BSTR text, leaf;
    HRESULT hr;

    if (attributes == INVALID_FILE_ATTRIBUTES)
        return HRESULT_FROM_WIN32(GetLastError());
    text = SysAllocString(path);
    if (attributes & FILE_ATTRIBUTE_DIRECTORY) {
        hr = IFsiDirectoryItem_AddTree(root, text, VARIANT_FALSE);
        SysFreeString(text);
        return hr;
    }
    name = wcsrchr(path, '\\');
    leaf = SysAllocString(name ? name + 1 : path);
    hr = SHCreateStreamOnFileEx(path, STGM_READ | STGM_SHARE_DENY_WRITE, FILE_ATTRIBUTE_NORMAL,
                                FALSE, NULL, &stream);
    if (SUCCEEDED(hr)) {
        hr = IFsiDirectoryItem_AddFile(root, leaf, stream);
        IStream_Release(stream);
    }
    SysFreeString(leaf);
    SysFreeString(text);
    return hr;
}

/*
 * The contents of --stream-test's streams of the file at `path` (its FullPath in the image), as
 * UTF-8: "openfsi.test" says whose stream it is, "Zone.Identifier" is what Windows writes for a
 * downloaded file, with the path as its referrer.
 */
static char *test_stream_text(const WCHAR *stream, const WCHAR *path, ULONG *length)
{
    WCHAR text[1200];
    char *utf8;
    int bytes;

    if (!wcscmp(stream, L"openfsi.test"))
        _snwprintf(text, ARRAYSIZE(text), L"openfsi named stream test of %ls\n", path);
    else
        _snwprintf(text, ARRAYSIZE(text),
                   L"[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=file://%ls\r\n", path);
    text[ARRAYSIZE(text) - 1] = 0;
    bytes = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    utf8 = bytes > 0 ? HeapAlloc(GetProcessHeap(), 0, bytes) : NULL;
    if (!utf8)
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, bytes, NULL, NULL);
    *length = (ULONG)bytes - 1;
    return utf8;
}

/* AddStream of --stream-test's two streams to `file`. */
static HRESULT add_test_streams_to_file(IFsiFileItem2 *file)
{
    static const WCHAR *const names[] = { L"openfsi.test", L"Zone.Identifier" };
    BSTR path = NULL;
    HRESULT hr;
    size_t i;

    if (FAILED(hr = IFsiFileItem2_get_FullPath(file, &path)))
        return hr;
    for (i = 0; i < ARRAYSIZE(names) && SUCCEEDED(hr); i++) {
        ULONG length = 0;
        char *text = test_stream_text(names[i], path, &length);
        IStream *stream = text ? SHCreateMemStream((const BYTE *)text, length) : NULL;
        BSTR name = SysAllocString(names[i]);

        /* IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED (a success) when the image will not show it. */
        hr = stream && name ? IFsiFileItem2_AddStream(file, name, stream) : E_OUTOFMEMORY;
        if (FAILED(hr))
            failed(hr, L"AddStream", path);
        SysFreeString(name);
        if (stream)
            IStream_Release(stream);
        HeapFree(GetProcessHeap(), 0, text);
    }
    SysFreeString(path);
    return hr;
}

/* --stream-test over every file below `dir`. */
static HRESULT add_test_streams(IFsiDirectoryItem *dir)
{
    IEnumFsiItems *items = NULL;
    IFsiItem *item = NULL;
    HRESULT hr;

    if (FAILED(hr = IFsiDirectoryItem_get_EnumFsiItems(dir, &items)))
        return hr;
    while (SUCCEEDED(hr) && IEnumFsiItems_Next(items, 1, &item, NULL) == S_OK) {
        IFsiDirectoryItem *subdir = NULL;
        IFsiFileItem2 *file = NULL;

        if (SUCCEEDED(IFsiItem_QueryInterface(item, &IID_IFsiDirectoryItem, (void **)&subdir))) {
            hr = add_test_streams(subdir);
            IFsiDirectoryItem_Release(subdir);
        } else if (SUCCEEDED(hr = IFsiItem_QueryInterface(item, &IID_IFsiFileItem2,
                                                           (void **)&file))) {
            hr = add_test_streams_to_file(file);
            IFsiFileItem2_Release(file);
        }
        IFsiItem_Release(item);
    }
    IEnumFsiItems_Release(items);
    return hr;
}

/* Reads the whole image stream into `out`; a temporary name is renamed at the end. */
static HRESULT write_stream(IStream *stream, const WCHAR *out, ULONGLONG *bytes)
{
    WCHAR temp[MAX_PATH + 8];
    BYTE *buffer = HeapAlloc(GetProcessHeap(), 0, CHUNK);
    HANDLE file;
    HRESULT hr = S_OK;

    *bytes = 0;
    if (!buffer)
        return E_OUTOFMEMORY;
    _snwprintf(temp, ARRAYSIZE(temp), L"%ls.part", out);
    temp[ARRAYSIZE(temp) - 1] = 0;
    /* A new file, not CREATE_ALWAYS: Wine's server truncates what CREATE_ALWAYS opens (even a
       file it has just made), and ext4 then writes the whole file back at close (auto_da_alloc),
       1.1 s more for a 2 GiB image here. */
    DeleteFileW(temp);
    file = CreateFileW(temp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        HeapFree(GetProcessHeap(), 0, buffer);
        return HRESULT_FROM_WIN32(GetLastError());
    }
    for (;;) {
        ULONG got = 0;
        DWORD written = 0;
        hr = IStream_Read(stream, buffer, CHUNK, &got);
        if (FAILED(hr) || !got)
            break;
        if (!WriteFile(file, buffer, got, &written, NULL) || written != got) {
            hr = HRESULT_FROM_WIN32(GetLastError());
            break;
        }
        *bytes += got;
    }
    CloseHandle(file);
    HeapFree(GetProcessHeap(), 0, buffer);
    if (SUCCEEDED(hr) && !MoveFileExW(temp, out, MOVEFILE_REPLACE_EXISTING))
        hr = HRESULT_FROM_WIN32(GetLastError());
    if (FAILED(hr))
        DeleteFileW(temp);
    return SUCCEEDED(hr) ? S_OK : hr;
}

/* Reads the whole image stream and keeps nothing (--discard). */
static HRESULT read_stream(IStream *stream, ULONGLONG *bytes)
{
    BYTE *buffer = HeapAlloc(GetProcessHeap(), 0, CHUNK);
    HRESULT hr;
    ULONG got;

    *bytes = 0;
    if (!buffer)
        return E_OUTOFMEMORY;
    do {
        got = 0;
        hr = IStream_Read(stream, buffer, CHUNK, &got);
        *bytes += got;
    } while (SUCCEEDED(hr) && got);
    HeapFree(GetProcessHeap(), 0, buffer);
    return SUCCEEDED(hr) ? S_OK : hr;
}

int wmain(int argc, WCHAR **argv)
{
    const WCHAR *out = NULL, *volume = NULL;
    IFileSystemImage *image = NULL;
    IFileSystemImage3 *image3 = NULL;
    IFsiDirectoryItem *root = NULL;
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    LONG level = 2, udf = 0;
    BOOL joliet = TRUE, iso = TRUE, udf_mirror = TRUE, timing = FALSE, discard = FALSE;
    BOOL stream_test = FALSE;
    const WCHAR *boot = NULL, *efi = NULL;
    int boot_emulation = -1;
    FsiFileSystems systems;
    LARGE_INTEGER start, streamed;
    ULONGLONG bytes = 0;
    double build_time;
    HRESULT hr;
    int i, status = 1;

    if (argc < 2 || wcscmp(argv[1], L"create"))
        return usage();
    for (i = 2; i < argc && argv[i][0] == '-'; i++) {
        if (!wcscmp(argv[i], L"-o") && i + 1 < argc)
            out = argv[++i];
        else if (!wcscmp(argv[i], L"--volume") && i + 1 < argc)
            volume = argv[++i];
        else if (!wcscmp(argv[i], L"--iso-level") && i + 1 < argc)
            level = _wtoi(argv[++i]);
        else if (!wcscmp(argv[i], L"--no-joliet"))
            joliet = FALSE;
        else if (!wcscmp(argv[i], L"--udf") && i + 1 < argc) {
            udf = parse_udf_revision(argv[++i]);
            if (!udf) {
                fwprintf(stderr, L"com_create: a UDF revision is written 1.02, 1.50, 2.00, 2.01, "
                                 L"2.50 or 2.60, not %ls\n", argv[i]);
                return 2;
            }
        } else if (!wcscmp(argv[i], L"--no-iso"))
            iso = FALSE;
        else if (!wcscmp(argv[i], L"--no-udf-mirror"))
            udf_mirror = FALSE;
        else if (!wcscmp(argv[i], L"--boot") && i + 1 < argc)
            boot = argv[++i];
        else if (!wcscmp(argv[i], L"--efi") && i + 1 < argc)
            efi = argv[++i];
        else if (!wcscmp(argv[i], L"--boot-emulation") && i + 1 < argc) {
            const WCHAR *kind = argv[++i];
            if (!wcscmp(kind, L"none"))
                boot_emulation = EmulationNone;
            else if (!wcscmp(kind, L"hd"))
                boot_emulation = EmulationHardDisk;
            else if (!wcscmp(kind, L"floppy"))
                boot_emulation = -1;        /* AssignBootImage's choice by size */
            else {
                fwprintf(stderr, L"com_create: unknown boot emulation %ls\n", kind);
                return 2;
            }
        } else if (!wcscmp(argv[i], L"--stream-test"))
            stream_test = TRUE;
        else if (!wcscmp(argv[i], L"--time"))
            timing = TRUE;
        else if (!wcscmp(argv[i], L"--discard"))
            discard = TRUE;
        else if (!wcscmp(argv[i], L"--")) {
            i++;
            break;
        } else
            return usage();
    }
    if ((!out && !discard) || i >= argc)
        return usage();
    if (!iso && !udf) {
        fwprintf(stderr, L"com_create: --no-iso needs --udf: an image needs a file system\n");
        return 2;
    }
    systems = udf ? FsiFileSystemUDF : FsiFileSystemNone;
    if (iso)
        systems |= FsiFileSystemISO9660 | (joliet ? FsiFileSystemJoliet : FsiFileSystemNone);

    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    QueryPerformanceCounter(&start);
    hr = CoCreateInstance(&CLSID_MsftFileSystemImage, NULL, CLSCTX_INPROC_SERVER,
                          &IID_IFileSystemImage, (void **)&image);
    if (FAILED(hr)) {
        status = failed(hr, L"CoCreateInstance(MsftFileSystemImage)", NULL);
        goto done;
    }
    /* No media limit: the image is a file (Microsoft's default is a 650 MB CD). */
    IFileSystemImage_put_FreeMediaBlocks(image, 0);
    if (FAILED(hr = IFileSystemImage_put_ISO9660InterchangeLevel(image, level))) {
        status = failed(hr, L"ISO9660InterchangeLevel", NULL);
        goto done;
    }
    if (udf && FAILED(hr = IFileSystemImage_put_UDFRevision(image, udf))) {
        status = failed(hr, L"UDFRevision", NULL);
        goto done;
    }
    if (FAILED(hr = IFileSystemImage_put_FileSystemsToCreate(image, systems))) {
        status = failed(hr, L"FileSystemsToCreate", NULL);
        goto done;
    }
    if (!udf_mirror) {
        /* IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED (a success) below 2.50: there is no mirror. */
        hr = IFileSystemImage_QueryInterface(image, &IID_IFileSystemImage3, (void **)&image3);
        if (SUCCEEDED(hr))
            hr = IFileSystemImage3_put_CreateRedundantUdfMetadataFiles(image3, VARIANT_FALSE);
        if (FAILED(hr)) {
            status = failed(hr, L"CreateRedundantUdfMetadataFiles", NULL);
            goto done;
        }
    }
    if (volume) {
        BSTR name = SysAllocString(volume);
        hr = IFileSystemImage_put_VolumeName(image, name);
        SysFreeString(name);
        if (FAILED(hr)) {
            status = failed(hr, L"VolumeName", volume);
            goto done;
        }
    }
    if (boot && FAILED(hr = set_boot_images(image, boot, boot_emulation, efi))) {
        status = failed(hr, L"the boot images", boot);
        goto done;
    }
    if (FAILED(hr = IFileSystemImage_get_Root(image, &root))) {
        status = failed(hr, L"Root", NULL);
        goto done;
    }
    for (; i < argc; i++)
        if (FAILED(hr = add_path(root, argv[i]))) {
            status = failed(hr, L"adding", argv[i]);
            goto done;
        }
    if (stream_test && FAILED(hr = add_test_streams(root))) {
        status = failed(hr, L"adding the test streams", NULL);
        goto done;
    }
    if (FAILED(hr = IFileSystemImage_CreateResultImage(image, &result))) {
        status = failed(hr, L"CreateResultImage", NULL);
        goto done;
    }
    if (FAILED(hr = IFileSystemImageResult_get_ImageStream(result, &stream))) {
        status = failed(hr, L"ImageStream", NULL);
        goto done;
    }
    build_time = seconds_since(start);
    QueryPerformanceCounter(&streamed);
    if (FAILED(hr = discard ? read_stream(stream, &bytes) : write_stream(stream, out, &bytes))) {
        status = failed(hr, discard ? L"reading the image stream" : L"writing", out);
        goto done;
    }
    if (timing)
        wprintf(L"com_create: build %.3f s, stream %.3f s, %llu bytes\n", build_time,
                seconds_since(streamed), bytes);
    status = 0;
done:
    if (stream)
        IStream_Release(stream);
    if (result)
        IFileSystemImageResult_Release(result);
    if (root)
        IFsiDirectoryItem_Release(root);
    if (image3)
        IFileSystemImage3_Release(image3);
    if (image)
        IFileSystemImage_Release(image);
    CoUninitialize();
    return status;
}
