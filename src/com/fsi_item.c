/*
 * The IFsiItem part shared by directory and file items (fsi_item.h): names, paths, times and
 * the hidden flag of the wrapped node, read and changed under the image's lock. On-disc names
 * come from the engine (openfsi/disc_names.h); nothing here decides one.
 */
#include <math.h>

#include "fsi_item.h"
#include "error_info.h"
#include "imapi2fserror.h"
#include "openfsi/disc_names.h"

/* 1899-12-30 00:00 UTC, the zero of OLE dates, as FILETIME ticks. */
#define DATE_ZERO_TICKS 94353120000000000.0
#define TICKS_PER_DAY 864000000000.0
#define TICKS_PER_MILLISECOND 10000

void fsi_item_base_init(struct fsi_item_base *base, struct file_system_image *owner,
                        struct fsi_node *node)
{
    base->owner = owner;
    base->node = node;
    base->stream_file = fsi_node_stream_file(node);
    file_system_image_addref(owner);
}

void fsi_item_base_cleanup(struct fsi_item_base *base)
{
    file_system_image_release(base->owner);
}

HRESULT fsi_item_create(struct file_system_image *owner, struct fsi_node *node, REFIID riid,
                        void **out)
{
    return fsi_node_is_directory(node) ? directory_item_create(owner, node, riid, out)
                                       : file_item_create(owner, node, riid, out);
}

const struct fsi_item_base *fsi_item_unwrap(IUnknown *item)
{
    const struct fsi_item_base *base = directory_item_unwrap(item);
    return base ? base : file_item_unwrap(item);
}

/* An OLE date's whole part counts days and its fraction the time of day, also before 1899. */
fsi_time fsi_time_from_date(DATE date)
{
    double whole = date < 0 ? ceil(date) : floor(date);
    double ticks = (whole + fabs(date - whole)) * TICKS_PER_DAY + DATE_ZERO_TICKS;
    double ms = floor(ticks / TICKS_PER_MILLISECOND + 0.5);

    return (fsi_time)ms * TICKS_PER_MILLISECOND;
}

DATE fsi_time_to_date(fsi_time time)
{
    double days = ((double)time - DATE_ZERO_TICKS) / TICKS_PER_DAY;
    double whole = floor(days);

    return days >= 0 ? days : whole - (days - whole);
}

fsi_time fsi_time_from_filetime(const FILETIME *time)
{
    ULARGE_INTEGER ticks;

    ticks.LowPart = time->dwLowDateTime;
    ticks.HighPart = time->dwHighDateTime;
    return (fsi_time)ticks.QuadPart;
}

fsi_time fsi_time_now(void)
{
    FILETIME now;

    GetSystemTimeAsFileTime(&now);
    return fsi_time_from_filetime(&now);
}

HRESULT fsi_item_check_name(struct file_system_image *owner, const WCHAR *name, size_t length,
                            REFIID iid)
{
    if (!file_system_image_restricted_names(owner) ||
        fsi_name_is_restricted_ansi((const uint16_t *)name, length))
        return S_OK;
    return com_error(IMAPI_E_RESTRICTED_NAME_VIOLATION, iid, NULL);
}

HRESULT fsi_item_get_name(const struct fsi_item_base *base, REFIID iid, BSTR *out)
{
    const uint16_t *name;
    size_t length;

    if (!out)
        return com_error(E_POINTER, iid, NULL);
    file_system_image_enter(base->owner);
    name = fsi_node_name(base->node, &length);
    *out = SysAllocStringLen(name, (UINT)length);
    file_system_image_leave(base->owner);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, iid, NULL);
}

/* A named stream's is its file's path, ':' and its name (fsi_node_path). */
HRESULT fsi_item_get_full_path(const struct fsi_item_base *base, REFIID iid, BSTR *out)
{
    size_t length;

    if (!out)
        return com_error(E_POINTER, iid, NULL);
    file_system_image_enter(base->owner);
    length = fsi_node_path(base->node, NULL, 0);
    *out = SysAllocStringLen(NULL, (UINT)length);
    if (*out)
        fsi_node_path(base->node, (uint16_t *)*out, length);
    file_system_image_leave(base->owner);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, iid, NULL);
}

/* What a named stream shows of its file cannot be changed through the stream. */
static HRESULT stream_is_read_only(REFIID iid)
{
    return com_error(IMAPI_E_READONLY, iid,
                     L"A named stream has its file's times and hidden flag: set them on the "
                     L"file item.");
}

HRESULT fsi_item_get_time(const struct fsi_item_base *base, REFIID iid, enum fsi_item_time which,
                          DATE *out)
{
    fsi_time times[3];

    if (!out)
        return com_error(E_POINTER, iid, NULL);
    file_system_image_enter(base->owner);
    fsi_node_times(base->stream_file ? base->stream_file : base->node, &times[0], &times[1],
                   &times[2]);
    file_system_image_leave(base->owner);
    *out = fsi_time_to_date(times[which]);
    return S_OK;
}

HRESULT fsi_item_put_time(const struct fsi_item_base *base, REFIID iid, enum fsi_item_time which,
                          DATE value)
{
    fsi_time times[3];

    /* A FILETIME starts in 1601 and ISO 9660 records years 1900 to 2155; scripts that pass
       nonsense (NaN, year 30000) are told so rather than getting a wrapped date. */
    if (base->stream_file)
        return stream_is_read_only(iid);
    if (!(value >= -109205.0 && value <= 2958465.0))
        return com_error(IMAPI_E_INVALID_DATE, iid,
                         L"The date is outside the years 1601 to 9999.");
    file_system_image_enter(base->owner);
    fsi_node_times(base->node, &times[0], &times[1], &times[2]);
    times[which] = fsi_time_from_date(value);
    fsi_node_set_times(base->node, times[0], times[1], times[2]);
    file_system_image_leave(base->owner);
    return S_OK;
}

HRESULT fsi_item_get_hidden(const struct fsi_item_base *base, REFIID iid, VARIANT_BOOL *out)
{
    if (!out)
        return com_error(E_POINTER, iid, NULL);
    file_system_image_enter(base->owner);
    *out = fsi_node_is_hidden(base->stream_file ? base->stream_file : base->node) ? VARIANT_TRUE
                                                                                   : VARIANT_FALSE;
    file_system_image_leave(base->owner);
    return S_OK;
}

HRESULT fsi_item_put_hidden(const struct fsi_item_base *base, REFIID iid, VARIANT_BOOL value)
{
    if (base->stream_file)
        return stream_is_read_only(iid);
    file_system_image_enter(base->owner);
    fsi_node_set_hidden(base->node, value != VARIANT_FALSE);
    file_system_image_leave(base->owner);
    return S_OK;
}

/* Appends the name `node` has in `system` to `out` (at `*used` of `capacity` units). */
static enum fsi_status append_disc_name(const struct fsi_node *node, FsiFileSystems system,
                                        int level, WCHAR *out, size_t capacity, size_t *used)
{
    enum fsi_disc_name_system which = system == FsiFileSystemISO9660 ? FSI_DISC_NAME_ISO9660
                                      : system == FsiFileSystemJoliet ? FSI_DISC_NAME_JOLIET
                                                                      : FSI_DISC_NAME_UDF;
    size_t length = 0;
    enum fsi_status status;

    status = fsi_disc_name(node, which, level, (uint16_t *)out + *used,
                           *used < capacity ? capacity - *used : 0, &length);
    *used += length;
    return status;
}

static BOOL is_one_file_system(FsiFileSystems system)
{
    return system == FsiFileSystemISO9660 || system == FsiFileSystemJoliet ||
           system == FsiFileSystemUDF;
}

/* Every path on disc fits: at most 255 units a name and a few hundred levels of nesting are
   far within 32767 units, the longest path Windows has. */
#define DISC_PATH_MAX 32767

static HRESULT disc_path(const struct fsi_item_base *base, REFIID iid, FsiFileSystems system,
                         BOOL whole_path, BSTR *out)
{
    const struct fsi_node *chain[512];
    const struct fsi_node *node;
    enum fsi_status status = FSI_OK;
    size_t depth = 0, used = 0, i;
    WCHAR *text;
    int level;

    if (!out)
        return com_error(E_POINTER, iid, NULL);
    *out = NULL;
    if (!is_one_file_system(system))
        return com_error(E_INVALIDARG, iid,
                         L"Name one file system: FsiFileSystemISO9660, FsiFileSystemJoliet or "
                         L"FsiFileSystemUDF.");
    if (base->stream_file && system != FsiFileSystemUDF)
        return com_error(IMAPI_E_INVALID_PARAM, iid,
                         L"ISO 9660 and Joliet do not record named streams: only UDF 2.00 and "
                         L"later names them.");
    text = HeapAlloc(GetProcessHeap(), 0, DISC_PATH_MAX * sizeof(WCHAR));
    if (!text)
        return com_error(E_OUTOFMEMORY, iid, NULL);
    file_system_image_enter(base->owner);
    level = file_system_image_iso9660_level(base->owner);
    /* A named stream: its file's path, then ':' and the stream's own name. */
    for (node = base->stream_file ? base->stream_file : base->node;
         node && depth < ARRAY_SIZE(chain); node = fsi_node_parent(node))
        chain[depth++] = node;
    if (!whole_path)
        depth = base->stream_file ? 0 : depth ? 1 : 0;
    for (i = depth; i-- > 0 && status == FSI_OK;) {
        if (!fsi_node_parent(chain[i]) && fsi_node_is_attached(chain[i]))
            continue;   /* the root: no name of its own */
        if (whole_path && used < DISC_PATH_MAX)
            text[used++] = '\\';
        status = append_disc_name(chain[i], system, level, text, DISC_PATH_MAX, &used);
    }
    if (base->stream_file && status == FSI_OK) {
        if (whole_path && used < DISC_PATH_MAX)
            text[used++] = ':';
        status = append_disc_name(base->node, system, level, text, DISC_PATH_MAX, &used);
    }
    if (whole_path && used == 0)
        text[used++] = '\\';
    file_system_image_leave(base->owner);
    if (status == FSI_OK && used > DISC_PATH_MAX)
        status = FSI_E_INVALID_PATH;
    if (status == FSI_OK)
        *out = SysAllocStringLen(text, (UINT)used);
    HeapFree(GetProcessHeap(), 0, text);
    if (status != FSI_OK)
        return com_error_from_status(status, iid);
    return *out ? S_OK : com_error(E_OUTOFMEMORY, iid, NULL);
}

HRESULT fsi_item_file_system_name(const struct fsi_item_base *base, REFIID iid,
                                  FsiFileSystems system, BSTR *out)
{
    return disc_path(base, iid, system, FALSE, out);
}

HRESULT fsi_item_file_system_path(const struct fsi_item_base *base, REFIID iid,
                                  FsiFileSystems system, BSTR *out)
{
    return disc_path(base, iid, system, TRUE, out);
}
