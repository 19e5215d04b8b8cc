/*
 * OpenFsiImageFileMedia (IOpenFsiImageFileMedia), an openfsi extension with its own CLSID and
 * ProgID (OpenFsi.ImageFileMedia), not in Microsoft's DLL: an .iso/.udf image file used as the
 * media a file-system image adds sessions to. Open takes the file (missing or empty: blank media)
 * as write-once (DVD+R) or rewritable (DVD+RW) media; MultisessionInterfaces and Recorder hand
 * out what IDiscFormat2Data and a drive would (image_file_multisession.c,
 * image_file_recorder.c), so IFileSystemImage::put_MultisessionInterfaces and ImportFileSystem
 * read the previous session from the file; Write does what IDiscFormat2Data::Write does with the
 * result's ImageStream.
 *
 * Write-once: the stream is written at NextWritableAddress (the file's end), and then, for a
 * session after the first, the session's descriptors are copied to the file's head as the
 * engine's fsi_session_head_sectors() says, so that readers that look only at the start of a file
 * (isoinfo, 7-Zip, mounting it) see the latest session, as xorriso and growisofs leave a grown
 * image file. Rewritable: the stream is written from sector 0, or only the ranges its
 * IBlockRangeList names. It knows no file system itself: the head rule is the engine's.
 */
#include <stdio.h>

#include "image_file_state.h"
#include "dispatch.h"
#include "error_info.h"
#include "provide_class_info.h"
#include "imapi2error.h"
#include "openfsi/session_head.h"

#define COPY_SECTORS 512            /* 1 MiB at a time */

struct image_file_media {
    IOpenFsiImageFileMedia IOpenFsiImageFileMedia_iface;
    struct error_support errors;
    struct provide_class_info class_info;
    LONG ref;
    LONG busy;                      /* a Write is running */
    CRITICAL_SECTION lock;          /* guards the fields below */
    struct image_file *file;        /* NULL until Open, and after Close */
    IDiscRecorder2 *recorder;
    ULONG sectors_written;          /* by the last Write */
};

#define MEDIA_IID (&IID_IOpenFsiImageFileMedia)

static const IID *const media_error_iids[] = { &IID_IOpenFsiImageFileMedia, NULL };

static inline struct image_file_media *
impl_from_IOpenFsiImageFileMedia(IOpenFsiImageFileMedia *iface)
{
    return CONTAINING_RECORD(iface, struct image_file_media, IOpenFsiImageFileMedia_iface);
}

static HRESULT WINAPI media_QueryInterface(IOpenFsiImageFileMedia *iface, REFIID riid, void **out)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IOpenFsiImageFileMedia))
        *out = &media->IOpenFsiImageFileMedia_iface;
    else if (IsEqualIID(riid, &IID_ISupportErrorInfo))
        *out = &media->errors.ISupportErrorInfo_iface;
    else if (provide_class_info_is_iid(riid))
        *out = &media->class_info.IProvideClassInfo2_iface;
    else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI media_AddRef(IOpenFsiImageFileMedia *iface)
{
    return InterlockedIncrement(&impl_from_IOpenFsiImageFileMedia(iface)->ref);
}

/* Closes the file for every object over it and lets go of it (under the lock). */
static void drop_file(struct image_file_media *media)
{
    if (media->file) {
        image_file_close(media->file);
        image_file_release(media->file);
        media->file = NULL;
    }
    if (media->recorder) {
        IDiscRecorder2_Release(media->recorder);
        media->recorder = NULL;
    }
}

static ULONG WINAPI media_Release(IOpenFsiImageFileMedia *iface)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);
    ULONG ref = InterlockedDecrement(&media->ref);

    if (!ref) {
        drop_file(media);
        DeleteCriticalSection(&media->lock);
        HeapFree(GetProcessHeap(), 0, media);
        module_unlock();
    }
    return ref;
}

DISPATCH_METHODS(media, IOpenFsiImageFileMedia, TID_IOpenFsiImageFileMedia)

static HRESULT WINAPI media_Open(IOpenFsiImageFileMedia *iface, BSTR path,
                                 VARIANT_BOOL rewritable, LONG total_sectors)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);
    struct image_file *file = NULL;
    IDiscRecorder2 *recorder = NULL;
    WCHAR *message = NULL;
    HRESULT hr;

    if (!path || !*path)
        return com_error(E_INVALIDARG, MEDIA_IID, L"Open needs the path of the image file.");
    if (total_sectors < 0)
        return com_error(E_INVALIDARG, MEDIA_IID,
                         L"totalSectors is the media's capacity in 2048-byte sectors (0: a "
                         L"DVD's 2,295,104); it cannot be negative.");
    if (media->busy)
        return com_error(E_IMAPI_DF2DATA_WRITE_IN_PROGRESS, MEDIA_IID,
                         L"A Write is running on this media: wait for it to finish.");
    hr = image_file_open(path, rewritable != VARIANT_FALSE,
                         total_sectors ? (ULONG)total_sectors : IMAGE_FILE_DVD_SECTORS, &file,
                         &message);
    if (FAILED(hr)) {
        hr = com_error(hr, MEDIA_IID, message);
        HeapFree(GetProcessHeap(), 0, message);
        return hr;
    }
    hr = image_file_recorder_create(file, &recorder);
    if (FAILED(hr)) {
        image_file_release(file);
        return com_error(hr, MEDIA_IID, NULL);
    }
    EnterCriticalSection(&media->lock);
    drop_file(media);       /* objects handed out for an earlier file now see no media */
    media->file = file;
    media->recorder = recorder;
    media->sectors_written = 0;
    LeaveCriticalSection(&media->lock);
    return S_OK;
}

static HRESULT WINAPI media_Close(IOpenFsiImageFileMedia *iface)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);

    if (media->busy)
        return com_error(E_IMAPI_DF2DATA_WRITE_IN_PROGRESS, MEDIA_IID,
                         L"A Write is running on this media: wait for it to finish.");
    EnterCriticalSection(&media->lock);
    drop_file(media);
    LeaveCriticalSection(&media->lock);
    return S_OK;
}

/* The open file and its recorder, held for the caller; fails with a message when none is. */
static HRESULT hold_file(struct image_file_media *media, struct image_file **file,
                         IDiscRecorder2 **recorder)
{
    EnterCriticalSection(&media->lock);
    *file = media->file;
    if (*file)
        image_file_addref(*file);
    if (recorder) {
        *recorder = media->recorder;
        if (*recorder)
            IDiscRecorder2_AddRef(*recorder);
    }
    LeaveCriticalSection(&media->lock);
    if (!*file)
        return com_error(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, MEDIA_IID,
                         L"No image file is open: call Open first.");
    return S_OK;
}

static HRESULT WINAPI media_get_MultisessionInterfaces(IOpenFsiImageFileMedia *iface,
                                                       SAFEARRAY **out)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);
    struct image_file *file;
    IDiscRecorder2 *recorder;
    IDispatch *multisession = NULL;
    SAFEARRAY *array;
    VARIANT *element;
    LONG index = 0;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    *out = NULL;
    hr = hold_file(media, &file, &recorder);
    if (FAILED(hr))
        return hr;
    hr = image_file_multisession_create(file, recorder, &multisession);
    image_file_release(file);
    IDiscRecorder2_Release(recorder);
    if (FAILED(hr))
        return com_error(hr, MEDIA_IID, NULL);
    array = SafeArrayCreateVector(VT_VARIANT, 0, 1);
    if (!array || FAILED(SafeArrayPtrOfIndex(array, &index, (void **)&element))) {
        if (array)
            SafeArrayDestroy(array);
        IDispatch_Release(multisession);
        return com_error(E_OUTOFMEMORY, MEDIA_IID, NULL);
    }
    V_VT(element) = VT_DISPATCH;
    V_DISPATCH(element) = multisession;     /* the array owns it now */
    *out = array;
    return S_OK;
}

static HRESULT WINAPI media_get_Recorder(IOpenFsiImageFileMedia *iface, IDiscRecorder2 **out)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);
    struct image_file *file;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    *out = NULL;
    hr = hold_file(media, &file, out);
    if (SUCCEEDED(hr))
        image_file_release(file);
    return hr;
}

/* A failure while writing, with the sector it happened at. */
static HRESULT write_failure(HRESULT hr, const WCHAR *what, ULONG sector)
{
    WCHAR message[256];

    _snwprintf(message, ARRAY_SIZE(message), L"%ls (at sector %lu).", what,
               (unsigned long)sector);
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(hr, MEDIA_IID, message);
}

/* Copies stream sectors [first, first + count) to the file's sectors from `to`. */
static HRESULT copy_run(struct image_file *file, IStream *stream, ULONG first, ULONG count,
                        ULONG to, BYTE *buffer)
{
    LARGE_INTEGER at;
    HRESULT hr;

    at.QuadPart = (LONGLONG)first * IMAGE_FILE_SECTOR;
    hr = IStream_Seek(stream, at, STREAM_SEEK_SET, NULL);
    if (FAILED(hr))
        return write_failure(hr, L"The stream cannot seek to the sectors to write", first);
    while (count) {
        ULONG run = count < COPY_SECTORS ? count : COPY_SECTORS;
        ULONG want = run * IMAGE_FILE_SECTOR, got = 0;

        hr = IStream_Read(stream, buffer, want, &got);
        if (FAILED(hr))
            return write_failure(hr, L"Reading the image stream failed", first);
        if (got != want)
            return write_failure(E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED,
                                 L"The image stream ended before the size it reported", first);
        hr = image_file_write(file, (ULONGLONG)to * IMAGE_FILE_SECTOR, buffer, want);
        if (FAILED(hr))
            return write_failure(hr, L"Writing the image file failed", to);
        first += run;
        to += run;
        count -= run;
    }
    return S_OK;
}

/* The ranges of the stream's IBlockRangeList, checked against its `sectors`; NULL when the
   stream has none (then all of it is written). */
static HRESULT stream_ranges(IUnknown *object, ULONG sectors, LONG **ranges, ULONG *count)
{
    IBlockRangeList *list = NULL;
    SAFEARRAY *array = NULL;
    VARIANT *elements;
    LONG low, high, i;
    HRESULT hr;

    *ranges = NULL;
    *count = 0;
    if (FAILED(IUnknown_QueryInterface(object, &IID_IBlockRangeList, (void **)&list)) || !list)
        return S_OK;
    hr = IBlockRangeList_get_BlockRanges(list, &array);
    IBlockRangeList_Release(list);
    if (FAILED(hr) || !array)
        return com_error(FAILED(hr) ? hr : E_INVALIDARG, MEDIA_IID,
                         L"The image stream's IBlockRangeList did not give its ranges.");
    if (FAILED(SafeArrayGetLBound(array, 1, &low)) || FAILED(SafeArrayGetUBound(array, 1, &high)) ||
        SafeArrayGetElemsize(array) != sizeof(VARIANT) ||
        FAILED(SafeArrayAccessData(array, (void **)&elements))) {
        SafeArrayDestroy(array);
        return com_error(E_INVALIDARG, MEDIA_IID,
                         L"IBlockRangeList::BlockRanges is not an array of VARIANTs.");
    }
    hr = S_OK;
    if (high >= low) {
        *ranges = HeapAlloc(GetProcessHeap(), 0, (size_t)(high - low + 1) * 2 * sizeof(LONG));
        if (!*ranges)
            hr = E_OUTOFMEMORY;
    }
    for (i = 0; SUCCEEDED(hr) && i <= high - low; i++) {
        IBlockRange *range = NULL;
        LONG start = -1, end = -1;

        if ((V_VT(&elements[i]) != VT_DISPATCH && V_VT(&elements[i]) != VT_UNKNOWN) ||
            !V_UNKNOWN(&elements[i]) ||
            FAILED(IUnknown_QueryInterface(V_UNKNOWN(&elements[i]), &IID_IBlockRange,
                                           (void **)&range))) {
            hr = E_INVALIDARG;
            break;
        }
        IBlockRange_get_StartLba(range, &start);
        IBlockRange_get_EndLba(range, &end);
        IBlockRange_Release(range);
        if (start < 0 || end < start || (ULONG)end >= sectors) {
            hr = E_INVALIDARG;
            break;
        }
        (*ranges)[2 * *count] = start;
        (*ranges)[2 * *count + 1] = end;
        (*count)++;
    }
    SafeArrayUnaccessData(array);
    SafeArrayDestroy(array);
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, *ranges);
        *ranges = NULL;
        *count = 0;
        return com_error(hr, MEDIA_IID, hr == E_OUTOFMEMORY ? NULL :
                         L"A range of the image stream's IBlockRangeList is not an IBlockRange "
                         L"within the stream (StartLba <= EndLba < the stream's sectors).");
    }
    return S_OK;
}

/* Rewritable: the whole stream from sector 0, or only its ranges. */
static HRESULT write_rewritable(struct image_file *file, IUnknown *object, IStream *stream,
                                ULONG sectors, const struct image_file_status *status,
                                BYTE *buffer, ULONG *written)
{
    LONG *ranges;
    ULONG count, i, end = status->sectors;
    HRESULT hr;

    if (sectors > status->total_sectors)
        return com_error(E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA, MEDIA_IID,
                         L"The image stream is larger than the media (totalSectors).");
    hr = stream_ranges(object, sectors, &ranges, &count);
    if (FAILED(hr))
        return hr;
    if (!ranges) {
        hr = copy_run(file, stream, 0, sectors, 0, buffer);
        *written = sectors;
        if (sectors > end)
            end = sectors;
    }
    for (i = 0; ranges && i < count && SUCCEEDED(hr); i++) {
        ULONG first = (ULONG)ranges[2 * i], run = (ULONG)ranges[2 * i + 1] - first + 1;
        hr = copy_run(file, stream, first, run, first, buffer);
        *written += run;
        if (first + run > end)
            end = first + run;
    }
    HeapFree(GetProcessHeap(), 0, ranges);
    /* The written end only grows: what lies beyond the stream stays, as on a disc. */
    if (SUCCEEDED(hr))
        hr = image_file_set_sectors(file, end);
    if (SUCCEEDED(hr))
        hr = image_file_flush(file);
    return FAILED(hr) ? com_error(hr, MEDIA_IID, NULL) : hr;
}

/* Write-once, after a session at `start` > 0: its descriptors to the file's head. */
static HRESULT copy_head(struct image_file *file, ULONG start, ULONG end)
{
    struct fsi_session_head head;
    struct fsi_disc disc;
    BYTE sector[IMAGE_FILE_SECTOR];
    WCHAR message[256];
    enum fsi_status status;
    uint32_t n, count;
    HRESULT hr = S_OK;

    image_file_disc(file, end, &disc);
    status = fsi_session_head_sectors(&disc, start, &head);
    if (status == FSI_E_NOT_FOUND)
        return S_OK;    /* a session without volume descriptors (raw data): no head to show */
    for (n = 0, count = status == FSI_OK ? fsi_session_head_count(&head) : 0;
         n < count && status == FSI_OK && SUCCEEDED(hr); n++) {
        uint32_t target = fsi_session_head_target(&head, n);
        status = fsi_session_head_render(&disc, &head, target, sector);
        if (status == FSI_OK)
            hr = image_file_write(file, (ULONGLONG)target * IMAGE_FILE_SECTOR, sector,
                                  sizeof(sector));
    }
    if (status == FSI_OK && SUCCEEDED(hr))
        hr = image_file_flush(file);
    if (status == FSI_OK && SUCCEEDED(hr))
        return S_OK;
    _snwprintf(message, ARRAY_SIZE(message),
               L"The session was written at sector %lu, but its volume descriptors could not be "
               L"copied to the start of the file (%hs): readers that look only at the start "
               L"still see the previous session.", (unsigned long)start,
               status != FSI_OK ? fsi_status_message(status) : "writing failed");
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(status != FSI_OK ? hresult_from_status(status) : hr, MEDIA_IID, message);
}

/* Write-once: at the file's end, then the head. A failed write leaves the file as it was. */
static HRESULT write_once(struct image_file *file, IStream *stream, ULONG sectors,
                          const struct image_file_status *status, BYTE *buffer, ULONG *written)
{
    ULONG start = status->sectors;
    HRESULT hr;

    if (sectors > status->total_sectors - start)
        return com_error(E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA, MEDIA_IID,
                         L"The image stream is larger than the room left on the media "
                         L"(FreeSectorsOnMedia).");
    hr = copy_run(file, stream, 0, sectors, start, buffer);
    if (SUCCEEDED(hr)) {
        hr = image_file_set_sectors(file, start + sectors);
        if (SUCCEEDED(hr))
            hr = image_file_flush(file);
        if (FAILED(hr))
            hr = com_error(hr, MEDIA_IID, L"The image file could not be extended.");
    }
    if (FAILED(hr)) {
        image_file_set_sectors(file, start);
        return hr;
    }
    *written = sectors;
    return start ? copy_head(file, start, start + sectors) : S_OK;
}

static HRESULT WINAPI media_Write(IOpenFsiImageFileMedia *iface, IUnknown *object)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);
    struct image_file_status status;
    struct image_file *file = NULL;
    IStream *stream = NULL;
    BYTE *buffer = NULL;
    ULONG written = 0;
    STATSTG stat;
    HRESULT hr;

    if (!object)
        return com_error(E_POINTER, MEDIA_IID,
                         L"Write needs the image stream (IFileSystemImageResult.ImageStream).");
    if (FAILED(IUnknown_QueryInterface(object, &IID_IStream, (void **)&stream)) || !stream)
        return com_error(E_INVALIDARG, MEDIA_IID,
                         L"The argument of Write is not a stream (IStream), such as "
                         L"IFileSystemImageResult.ImageStream.");
    hr = hold_file(media, &file, NULL);
    if (FAILED(hr)) {
        IStream_Release(stream);
        return hr;
    }
    if (InterlockedCompareExchange(&media->busy, 1, 0)) {
        IStream_Release(stream);
        image_file_release(file);
        return com_error(E_IMAPI_DF2DATA_WRITE_IN_PROGRESS, MEDIA_IID,
                         L"A Write is already running on this media.");
    }
    image_file_status(file, &status);
    memset(&stat, 0, sizeof(stat));
    if (!status.open)
        hr = com_error(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, MEDIA_IID, L"The image file was closed.");
    else if (FAILED(IStream_Stat(stream, &stat, STATFLAG_NONAME)) || !stat.cbSize.QuadPart ||
             stat.cbSize.QuadPart % IMAGE_FILE_SECTOR ||
             stat.cbSize.QuadPart / IMAGE_FILE_SECTOR > 0x7fffffff)
        hr = com_error(E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED, MEDIA_IID,
                       L"The stream must say its size (IStream::Stat), a whole number of "
                       L"2048-byte sectors, not 0.");
    else if (!(buffer = HeapAlloc(GetProcessHeap(), 0, COPY_SECTORS * IMAGE_FILE_SECTOR)))
        hr = com_error(E_OUTOFMEMORY, MEDIA_IID, NULL);
    else {
        ULONG sectors = (ULONG)(stat.cbSize.QuadPart / IMAGE_FILE_SECTOR);
        hr = status.rewritable
                 ? write_rewritable(file, object, stream, sectors, &status, buffer, &written)
                 : write_once(file, stream, sectors, &status, buffer, &written);
    }
    EnterCriticalSection(&media->lock);
    media->sectors_written = written;
    LeaveCriticalSection(&media->lock);
    InterlockedExchange(&media->busy, 0);
    HeapFree(GetProcessHeap(), 0, buffer);
    IStream_Release(stream);
    image_file_release(file);
    return hr;
}

/* The file's state now; before Open (or after Close), hold_file's failure. */
static HRESULT current_status(struct image_file_media *media, struct image_file_status *status)
{
    struct image_file *file;
    HRESULT hr = hold_file(media, &file, NULL);

    if (FAILED(hr))
        return hr;
    image_file_status(file, status);
    image_file_release(file);
    return S_OK;
}

static HRESULT WINAPI media_get_IsBlank(IOpenFsiImageFileMedia *iface, VARIANT_BOOL *out)
{
    struct image_file_status status;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    *out = VARIANT_FALSE;
    hr = current_status(impl_from_IOpenFsiImageFileMedia(iface), &status);
    if (SUCCEEDED(hr))
        *out = status.sectors ? VARIANT_FALSE : VARIANT_TRUE;
    return hr;
}

static HRESULT WINAPI media_get_NextWritableAddress(IOpenFsiImageFileMedia *iface, LONG *out)
{
    struct image_file_status status;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    *out = 0;
    hr = current_status(impl_from_IOpenFsiImageFileMedia(iface), &status);
    /* Rewritable media is written from sector 0. */
    if (SUCCEEDED(hr))
        *out = status.rewritable ? 0 : (LONG)status.sectors;
    return hr;
}

static HRESULT WINAPI media_get_SectorsWritten(IOpenFsiImageFileMedia *iface, DOUBLE *out)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    EnterCriticalSection(&media->lock);
    *out = (DOUBLE)media->sectors_written;
    LeaveCriticalSection(&media->lock);
    return S_OK;
}

static HRESULT WINAPI media_get_TotalSectors(IOpenFsiImageFileMedia *iface, LONG *out)
{
    struct image_file_status status;
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    *out = 0;
    hr = current_status(impl_from_IOpenFsiImageFileMedia(iface), &status);
    if (SUCCEEDED(hr))
        *out = (LONG)status.total_sectors;
    return hr;
}

static HRESULT WINAPI media_get_Path(IOpenFsiImageFileMedia *iface, BSTR *out)
{
    struct image_file_media *media = impl_from_IOpenFsiImageFileMedia(iface);

    if (!out)
        return com_error(E_POINTER, MEDIA_IID, NULL);
    EnterCriticalSection(&media->lock);
    *out = SysAllocString(media->file ? media->file->path : L"");
    LeaveCriticalSection(&media->lock);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, MEDIA_IID, NULL);
}

static const IOpenFsiImageFileMediaVtbl media_vtbl = {
    media_QueryInterface,
    media_AddRef,
    media_Release,
    media_GetTypeInfoCount,
    media_GetTypeInfo,
    media_GetIDsOfNames,
    media_Invoke,
    media_Open,
    media_Close,
    media_get_MultisessionInterfaces,
    media_get_Recorder,
    media_Write,
    media_get_IsBlank,
    media_get_NextWritableAddress,
    media_get_SectorsWritten,
    media_get_TotalSectors,
    media_get_Path,
};

HRESULT image_file_media_create(REFIID riid, void **out)
{
    struct image_file_media *media;
    HRESULT hr;

    media = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*media));
    if (!media)
        return E_OUTOFMEMORY;
    media->IOpenFsiImageFileMedia_iface.lpVtbl = &media_vtbl;
    error_support_init(&media->errors, (IUnknown *)&media->IOpenFsiImageFileMedia_iface,
                       media_error_iids);
    provide_class_info_init(&media->class_info, (IUnknown *)&media->IOpenFsiImageFileMedia_iface,
                            &CLSID_OpenFsiImageFileMedia, NULL);
    media->ref = 1;
    InitializeCriticalSection(&media->lock);
    module_lock();
    hr = IOpenFsiImageFileMedia_QueryInterface(&media->IOpenFsiImageFileMedia_iface, riid, out);
    IOpenFsiImageFileMedia_Release(&media->IOpenFsiImageFileMedia_iface);
    return hr;
}
