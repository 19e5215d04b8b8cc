/*
 * MsftFileSystemImage's methods about the sessions already on a disc: MultisessionInterfaces,
 * IdentifyFileSystemsOnDisc, ImportFileSystem, ImportSpecificFileSystem, ProbeSpecificFileSystem,
 * CalculateDiscIdentifier and ImportedVolumeName. The previous session is read through the
 * multisession interface's ImportRecorder with READ commands (recorder_disc.h) and walked by the
 * engine's readers into the object's tree, where an item added before wins over the disc's, and
 * UpdateImport is raised for each item once the session is read (so the totals are known). The
 * new session's place and room come from the media (multisession.h). Laying the session out is
 * file_system_image.c's, as for a first session.
 */
#include "file_system_image_impl.h"
#include "dispatch.h"
#include "imapi2error.h"
#include "imapi2fserror.h"
#include "openfsi/import.h"
#include "openfsi/media.h"

#define ONE_SYSTEM(s) ((s) == FsiFileSystemISO9660 || (s) == FsiFileSystemJoliet || \
                       (s) == FsiFileSystemUDF)

void file_system_image_import_cleanup(struct file_system_image *image)
{
    if (image->multisession)
        SafeArrayDestroy(image->multisession);
    if (image->multisession_in_use)
        IMultisession_Release(image->multisession_in_use);
    if (image->disc)
        IUnknown_Release(recorder_disc_unknown(image->disc));
    SysFreeString(image->imported_volume_name);
}

HRESULT WINAPI file_system_image_get_MultisessionInterfaces(IFileSystemImage3 *iface,
                                                            SAFEARRAY **out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    HRESULT hr = S_OK;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    EnterCriticalSection(&image->lock);
    if (!image->multisession)
        hr = IMAPI_E_MULTISESSION_NOT_SET;
    else if (FAILED(SafeArrayCopy(image->multisession, out)))
        hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&image->lock);
    return FAILED(hr) ? com_error(hr, ERROR_IID, NULL) : S_OK;
}

HRESULT WINAPI file_system_image_put_MultisessionInterfaces(IFileSystemImage3 *iface,
                                                            SAFEARRAY *value)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct multisession_media media;
    IMultisession *chosen = NULL;
    SAFEARRAY *copy = NULL;
    const WCHAR *message;
    HRESULT hr;

    if (!value)
        return com_error(E_POINTER, ERROR_IID, NULL);
    hr = multisession_choose(value, &chosen, &message);
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, message);
    hr = multisession_media_read(chosen, &media);
    if (FAILED(hr)) {
        IMultisession_Release(chosen);
        return com_error(hr, ERROR_IID, L"The multisession interface did not report the "
                                        L"media's addresses (NextWritableAddress, "
                                        L"FreeSectorsOnMedia ...).");
    }
    if (FAILED(SafeArrayCopy(value, &copy))) {
        IMultisession_Release(chosen);
        return com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
    }
    EnterCriticalSection(&image->lock);
    if (image->multisession)
        SafeArrayDestroy(image->multisession);
    if (image->multisession_in_use)
        IMultisession_Release(image->multisession_in_use);
    image->multisession = copy;
    image->multisession_in_use = chosen;
    image->media = media;
    /* The new session goes where the media can take it, in the room it has left. */
    image->session_start_block = media.random_write ? 0 : (LONG)media.next_writable;
    image->free_media_blocks = (LONG)media.free_sectors;
    LeaveCriticalSection(&image->lock);
    return S_OK;
}

/* A failure whose message is the engine's sentence (info->error) after `lead`. */
static HRESULT import_error(HRESULT hr, const WCHAR *lead, const char *detail)
{
    WCHAR message[512];
    size_t n = lstrlenW(lead);

    if (n > 200)
        n = 200;
    memcpy(message, lead, n * sizeof(WCHAR));
    if (!detail[0] ||
        !MultiByteToWideChar(CP_UTF8, 0, detail, -1, message + n, (int)(ARRAY_SIZE(message) - n)))
        message[n] = 0;
    message[ARRAY_SIZE(message) - 1] = 0;
    return com_error(hr, ERROR_IID, message);
}

/* A disc over the previous session of the media in use (under the lock). */
static HRESULT open_previous_session(struct file_system_image *image,
                                     struct multisession_media *media,
                                     struct recorder_disc **disc)
{
    IDiscRecorder2 *recorder = NULL;
    HRESULT hr;

    *disc = NULL;
    if (!image->multisession_in_use)
        return com_error(IMAPI_E_MULTISESSION_NOT_SET, ERROR_IID, NULL);
    /* Read again: the media may have changed since the interfaces were put. */
    hr = multisession_media_read(image->multisession_in_use, media);
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, L"The multisession interface did not report the "
                                        L"media's addresses.");
    if (media->blank)
        return com_error(IMAPI_E_EMPTY_DISC, ERROR_IID,
                         L"The media is blank: there is no session to import.");
    hr = IMultisession_get_ImportRecorder(image->multisession_in_use, &recorder);
    if (FAILED(hr) || !recorder)
        return com_error(FAILED(hr) ? hr : IMAPI_E_BAD_MULTISESSION_PARAMETER, ERROR_IID,
                         L"The multisession interface has no ImportRecorder to read the "
                         L"previous session with.");
    hr = recorder_disc_create(recorder, media->previous_last + 1,
                              image->disc ? recorder_disc_unknown(image->disc) : NULL, disc);
    IDiscRecorder2_Release(recorder);
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, L"The ImportRecorder does not answer IDiscRecorder2Ex, "
                                        L"through which the previous session is read.");
    return S_OK;
}

static void close_disc(struct recorder_disc *disc)
{
    if (disc)
        IUnknown_Release(recorder_disc_unknown(disc));
}

/* The file systems of the previous session (under the lock). */
static HRESULT identify_previous(struct file_system_image *image, struct recorder_disc **disc,
                                 struct multisession_media *media, uint32_t *found)
{
    HRESULT hr = open_previous_session(image, media, disc);

    *found = 0;
    if (FAILED(hr))
        return hr;
    if (fsi_disc_identify(recorder_disc_fsi(*disc), media->previous_start, found) != FSI_OK) {
        close_disc(*disc);
        *disc = NULL;
        return com_error(IMAPI_E_IMPORT_READ_FAILURE, ERROR_IID,
                         L"The previous session's volume descriptors could not be read.");
    }
    return S_OK;
}

/* DFileSystemImageImportEvents::UpdateImport for every file and directory the import added
   (changes `point` on), in the order they were read, with the totals (under the lock). */
static void fire_update_import(struct file_system_image *image, uint32_t point,
                               FsiFileSystems system)
{
    uint32_t change, end = fsi_tree_change_point(image->tree);
    LONG files = 0, directories = 0, total_files = 0, total_directories = 0;
    WCHAR *path;

    for (change = point; change < end; change++) {
        struct fsi_node *node = fsi_tree_added_node(image->tree, change);
        if (node && !fsi_node_stream_owner(node))
            fsi_node_is_directory(node) ? total_directories++ : total_files++;
    }
    path = HeapAlloc(GetProcessHeap(), 0, 32768 * sizeof(WCHAR));
    if (!path)
        return;
    for (change = point; change < end; change++) {
        struct fsi_node *node = fsi_tree_added_node(image->tree, change);
        DISPPARAMS params;
        VARIANT args[7];
        size_t length;

        if (!node || fsi_node_stream_owner(node))
            continue;
        fsi_node_is_directory(node) ? directories++ : files++;
        length = fsi_node_path(node, (uint16_t *)path, 32767);
        path[length < 32767 ? length : 32767] = 0;
        /* Arguments in reverse order: object, fileSystem, currentItem, importedDirectoryItems,
           totalDirectoryItems, importedFileItems, totalFileItems. */
        V_VT(&args[6]) = VT_DISPATCH;
        V_DISPATCH(&args[6]) = (IDispatch *)&image->IFileSystemImage3_iface;
        V_VT(&args[5]) = VT_I4;
        V_I4(&args[5]) = (LONG)system;
        V_VT(&args[4]) = VT_BSTR;
        V_BSTR(&args[4]) = SysAllocString(path);
        V_VT(&args[3]) = VT_I4;
        V_I4(&args[3]) = directories;
        V_VT(&args[2]) = VT_I4;
        V_I4(&args[2]) = total_directories;
        V_VT(&args[1]) = VT_I4;
        V_I4(&args[1]) = files;
        V_VT(&args[0]) = VT_I4;
        V_I4(&args[0]) = total_files;
        params.rgvarg = args;
        params.rgdispidNamedArgs = NULL;
        params.cArgs = 7;
        params.cNamedArgs = 0;
        if (V_BSTR(&args[4]))
            connection_points_fire(&image->events, &IID_DFileSystemImageImportEvents,
                                   DISPID_DFILESYSTEMIMAGEIMPORTEVENTS_UPDATEIMPORT, &params);
        SysFreeString(V_BSTR(&args[4]));
    }
    HeapFree(GetProcessHeap(), 0, path);
}

/* Imports `wanted` (one file system, or None for the richest found) into the tree. */
static HRESULT import_session(struct file_system_image *image, FsiFileSystems wanted,
                              FsiFileSystems *imported)
{
    struct multisession_media media;
    struct recorder_disc *disc = NULL;
    struct fsi_import_info info;
    enum fsi_status status;
    uint32_t found, system, point;
    HRESULT hr;

    EnterCriticalSection(&image->lock);
    hr = identify_previous(image, &disc, &media, &found);
    if (FAILED(hr))
        goto done;
    if (!found) {
        hr = com_error(IMAPI_E_NO_SUPPORTED_FILE_SYSTEM, ERROR_IID,
                       L"The previous session holds no ISO 9660, Joliet or UDF file system.");
        goto done;
    }
    system = wanted ? (uint32_t)wanted : fsi_preferred_file_system(found);
    if (!(found & system)) {
        hr = com_error(IMAPI_E_FILE_SYSTEM_NOT_FOUND, ERROR_IID,
                       L"The previous session does not hold the file system asked for.");
        goto done;
    }
    point = fsi_tree_change_point(image->tree);
    status = fsi_disc_import(recorder_disc_fsi(disc), media.previous_start, system, image->tree,
                             &info);
    if (status != FSI_OK) {
        /* Nothing half-imported stays: the tree goes back to what it was. */
        fsi_tree_rollback(image->tree, point);
        hr = import_error(hresult_from_status(status), L"The previous session cannot be "
                                                      L"imported: ",
                          info.error[0] ? info.error : fsi_status_message(status));
        goto done;
    }
    SysFreeString(image->imported_volume_name);
    image->imported_volume_name = SysAllocStringLen((const OLECHAR *)info.volume_name,
                                                    (UINT)info.volume_name_length);
    if (image->disc)
        IUnknown_Release(recorder_disc_unknown(image->disc));  /* the new disc holds it */
    image->disc = disc;
    disc = NULL;
    image->imported = (FsiFileSystems)system;
    image->found = (FsiFileSystems)found;
    /* The next session continues what is on the disc: its file systems and UDF revision. */
    image->file_systems = (FsiFileSystems)found;
    if (found & FSI_FILE_SYSTEM_UDF && info.udf_revision)
        image->udf_revision = (LONG)info.udf_revision;
    /* A UDF session goes on in the old partition (its data pointed at) with new unique ids, and
       keeps a metadata mirror only if the disc has one. */
    if (system == FSI_FILE_SYSTEM_UDF) {
        image->udf_partition_start = info.udf_partition_start;
        image->udf_next_unique_id = info.udf_next_unique_id;
        if (info.udf_revision >= 0x250)
            image->redundant_udf_metadata = info.udf_duplicate_metadata ? VARIANT_TRUE
                                                                        : VARIANT_FALSE;
    }
    image->media = media;
    image->session_start_block = media.random_write ? 0 : (LONG)media.next_writable;
    image->free_media_blocks = (LONG)media.free_sectors;
    *imported = (FsiFileSystems)system;
    fire_update_import(image, point, (FsiFileSystems)system);
done:
    close_disc(disc);
    LeaveCriticalSection(&image->lock);
    return hr;
}

HRESULT WINAPI file_system_image_ImportFileSystem(IFileSystemImage3 *iface, FsiFileSystems *out)
{
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = FsiFileSystemNone;
    return import_session(impl_from_IFileSystemImage3(iface), FsiFileSystemNone, out);
}

HRESULT WINAPI file_system_image_ImportSpecificFileSystem(IFileSystemImage3 *iface,
                                                          FsiFileSystems system)
{
    FsiFileSystems imported;

    if (!ONE_SYSTEM(system))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID, L"Name one file system to import.");
    return import_session(impl_from_IFileSystemImage3(iface), system, &imported);
}

HRESULT WINAPI file_system_image_ProbeSpecificFileSystem(IFileSystemImage3 *iface,
                                                         FsiFileSystems system,
                                                         VARIANT_BOOL *appendable)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    struct multisession_media media;
    struct recorder_disc *disc = NULL;
    uint32_t found = 0;
    HRESULT hr;

    if (!appendable)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *appendable = VARIANT_FALSE;
    if (!ONE_SYSTEM(system))
        return com_error(IMAPI_E_INVALID_PARAM, ERROR_IID, L"Name one file system to probe.");
    EnterCriticalSection(&image->lock);
    hr = identify_previous(image, &disc, &media, &found);
    close_disc(disc);
    LeaveCriticalSection(&image->lock);
    if (FAILED(hr))
        return hr;
    *appendable = (found & (uint32_t)system) ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

HRESULT WINAPI file_system_image_IdentifyFileSystemsOnDisc(IFileSystemImage3 *iface,
                                                           IDiscRecorder2 *recorder,
                                                           FsiFileSystems *out)
{
    struct recorder_disc *disc = NULL;
    IDiscRecorder2Ex *drive = NULL;
    ULONG sectors = 0, start;
    uint32_t found = 0;
    HRESULT hr;

    (void)iface;
    if (!recorder || !out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = FsiFileSystemNone;
    if (FAILED(IDiscRecorder2_QueryInterface(recorder, &IID_IDiscRecorder2Ex, (void **)&drive)))
        return com_error(E_NOINTERFACE, ERROR_IID,
                         L"The recorder does not answer IDiscRecorder2Ex, through which the "
                         L"disc is read.");
    if (recorder_disc_is_blank(drive)) {
        IDiscRecorder2Ex_Release(drive);
        return com_error(IMAPI_E_EMPTY_DISC, ERROR_IID, L"The disc is blank.");
    }
    hr = recorder_read_capacity(drive, &sectors);
    start = recorder_last_session_start(drive);
    IDiscRecorder2Ex_Release(drive);
    if (FAILED(hr))
        return com_error(IMAPI_E_IMPORT_READ_FAILURE, ERROR_IID,
                         L"The recorder did not say how many sectors the disc holds (READ "
                         L"CAPACITY).");
    if (!sectors)
        return com_error(IMAPI_E_EMPTY_DISC, ERROR_IID, L"The disc is blank.");
    hr = recorder_disc_create(recorder, sectors, NULL, &disc);
    if (FAILED(hr))
        return com_error(hr, ERROR_IID, NULL);
    if (start >= sectors ||
        fsi_disc_identify(recorder_disc_fsi(disc), start, &found) != FSI_OK)
        hr = com_error(IMAPI_E_IMPORT_READ_FAILURE, ERROR_IID,
                       L"The disc's volume descriptors could not be read.");
    close_disc(disc);
    if (SUCCEEDED(hr))
        *out = (FsiFileSystems)found;
    return hr;
}

HRESULT WINAPI file_system_image_GetDefaultFileSystemForImport(IFileSystemImage3 *iface,
                                                               FsiFileSystems systems,
                                                               FsiFileSystems *out)
{
    (void)iface;
    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    /* The engine's choice (FsiFileSystems has the engine's bit values, media.h). */
    *out = (FsiFileSystems)fsi_preferred_file_system((uint32_t)systems);
    if (*out == FsiFileSystemNone)
        return com_error(IMAPI_E_NO_SUPPORTED_FILE_SYSTEM, ERROR_IID, NULL);
    return S_OK;
}

/* FNV-1a, 64 bits: a stable digest, not a secret. */
static ULONGLONG digest(ULONGLONG hash, const BYTE *bytes, size_t length)
{
    size_t i;

    for (i = 0; i < length; i++) {
        hash ^= bytes[i];
        hash *= 0x100000001B3ull;
    }
    return hash;
}

HRESULT WINAPI file_system_image_CalculateDiscIdentifier(IFileSystemImage3 *iface, BSTR *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);
    BYTE *sectors = NULL;
    struct multisession_media media;
    struct recorder_disc *disc = NULL;
    ULONGLONG hash = 0xCBF29CE484222325ull;
    WCHAR text[40];
    ULONG addresses[3];
    HRESULT hr;

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    *out = NULL;
    EnterCriticalSection(&image->lock);
    if (!image->multisession_in_use) {
        LeaveCriticalSection(&image->lock);
        return com_error(IMAPI_E_MULTISESSION_NOT_SET, ERROR_IID, NULL);
    }
    /* The media's addresses and, when there is one, the previous session's volume descriptors:
       the same disc in the same state gives the same string, another session another. */
    hr = multisession_media_read(image->multisession_in_use, &media);
    if (SUCCEEDED(hr) && !media.blank) {
        hr = open_previous_session(image, &media, &disc);
        if (SUCCEEDED(hr)) {
            const struct fsi_disc *fsi = recorder_disc_fsi(disc);
            ULONG first = media.previous_start + 16;
            ULONG count = first < fsi->sector_count ? fsi->sector_count - first : 0;
            if (count > 16)
                count = 16;
            if (count)
                sectors = HeapAlloc(GetProcessHeap(), 0, (size_t)count * 2048);
            if (sectors && fsi->read(fsi->context, first, count, sectors) == FSI_OK)
                hash = digest(hash, sectors, (size_t)count * 2048);
            HeapFree(GetProcessHeap(), 0, sectors);
            close_disc(disc);
        }
    }
    LeaveCriticalSection(&image->lock);
    if (FAILED(hr))
        return hr == IMAPI_E_BAD_MULTISESSION_PARAMETER
                   ? com_error(hr, ERROR_IID, L"The multisession interface did not report the "
                                              L"media's addresses.")
                   : hr;
    addresses[0] = media.previous_start;
    addresses[1] = media.previous_last;
    addresses[2] = media.next_writable;
    hash = digest(hash, (const BYTE *)addresses, sizeof(addresses));
    wsprintfW(text, L"%08lX%08lX", (ULONG)(hash >> 32), (ULONG)hash);
    *out = SysAllocString(text);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
}

HRESULT WINAPI file_system_image_get_ImportedVolumeName(IFileSystemImage3 *iface, BSTR *out)
{
    struct file_system_image *image = impl_from_IFileSystemImage3(iface);

    if (!out)
        return com_error(E_POINTER, ERROR_IID, NULL);
    /* "Is NULL until a file system is imported." */
    EnterCriticalSection(&image->lock);
    *out = image->imported_volume_name ? SysAllocString(image->imported_volume_name) : NULL;
    LeaveCriticalSection(&image->lock);
    return (*out || !image->imported_volume_name) ? S_OK : com_error(E_OUTOFMEMORY, ERROR_IID, NULL);
}
