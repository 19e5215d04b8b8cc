/*
 * The recorder test double (see recorder_double.h): a drive with a disc over an image file.
 * Three COM objects live here because they are one fake device: the drive (IDiscRecorder2 and
 * IDiscRecorder2Ex on one object), and the multisession objects it hands out
 * (IMultisessionSequential2 for write-once media, IMultisessionRandomWrite for rewritable media),
 * which hold a reference to the drive and read its state whenever they are asked.
 *
 * What is a drive's behaviour here is taken from MMC-6/SPC-3 and Microsoft's IMAPI2
 * documentation: READ(10)/(12) take a big-endian LBA and transfer length; a failed command
 * returns S_IMAPI_COMMAND_HAS_SENSE_DATA with fixed-format sense data; blank sequential media
 * report -1 as the previous session's addresses and 0 as the next writable address. Where the
 * standards leave the drive a choice, the double picks the strict one (a read of an unwritten
 * sector fails rather than returning zeros) so that a client relying on luck is caught.
 * IDispatch is not served from a type library: scripts do not drive this double.
 */
#include "recorder_double.h"

#include <stdlib.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif

#define SECTOR 2048
#define MAX_FAULTS 8
#define MAX_PROFILES 32

struct fault_range {
    LONG first, count;
};

struct recorder_double {
    IDiscRecorder2 IDiscRecorder2_iface;
    IDiscRecorder2Ex IDiscRecorder2Ex_iface;
    LONG ref;
    CRITICAL_SECTION lock;

    HANDLE file;                /* INVALID_HANDLE_VALUE without a disc */
    LONG profile;               /* 0: no disc */
    BOOL rewritable;
    BOOL finalized;
    LONG total_sectors;
    LONG write_unit;
    LONG session_gap;
    struct recorder_session *sessions;
    ULONG session_count, session_capacity;

    struct fault_range faults[MAX_FAULTS];
    ULONG fault_count;
    ULONG max_transfer;
    LONG supported[MAX_PROFILES];
    ULONG supported_count;
    BSTR exclusive_owner;
    LONG exclusive_count;

    struct recorder_double_stats stats;
    BYTE *read_map;             /* one bit per sector of the disc */
};

static inline struct recorder_double *impl_from_IDiscRecorder2(IDiscRecorder2 *iface)
{
    return CONTAINING_RECORD(iface, struct recorder_double, IDiscRecorder2_iface);
}

static inline struct recorder_double *impl_from_IDiscRecorder2Ex(IDiscRecorder2Ex *iface)
{
    return CONTAINING_RECORD(iface, struct recorder_double, IDiscRecorder2Ex_iface);
}

/* ---- The media ---- */

struct media_kind {
    LONG profile;
    BOOL rewritable;
    LONG capacity;          /* the usual number of sectors */
    LONG write_unit;
    const IMAPI_FEATURE_PAGE_TYPE *features;
    ULONG feature_count;
};

static const IMAPI_FEATURE_PAGE_TYPE dvd_dash_r_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_INCREMENTAL_STREAMING_WRITABLE, IMAPI_FEATURE_PAGE_TYPE_DVD_DASH_WRITE,
};
static const IMAPI_FEATURE_PAGE_TYPE dvd_plus_r_features[] = { IMAPI_FEATURE_PAGE_TYPE_DVD_PLUS_R };
static const IMAPI_FEATURE_PAGE_TYPE dvd_plus_r_dl_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_DVD_PLUS_R, IMAPI_FEATURE_PAGE_TYPE_DVD_PLUS_R_DUAL_LAYER,
};
static const IMAPI_FEATURE_PAGE_TYPE dvd_plus_rw_features[] = { IMAPI_FEATURE_PAGE_TYPE_DVD_PLUS_RW };
static const IMAPI_FEATURE_PAGE_TYPE dvd_dash_rw_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_RESTRICTED_OVERWRITE, IMAPI_FEATURE_PAGE_TYPE_FORMATTABLE,
};
static const IMAPI_FEATURE_PAGE_TYPE random_writable_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_RANDOMLY_WRITABLE, IMAPI_FEATURE_PAGE_TYPE_FORMATTABLE,
    IMAPI_FEATURE_PAGE_TYPE_HARDWARE_DEFECT_MANAGEMENT,
};
static const IMAPI_FEATURE_PAGE_TYPE bd_r_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_BD_READ, IMAPI_FEATURE_PAGE_TYPE_BD_WRITE,
};
static const IMAPI_FEATURE_PAGE_TYPE bd_re_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_BD_READ, IMAPI_FEATURE_PAGE_TYPE_BD_WRITE,
    IMAPI_FEATURE_PAGE_TYPE_RANDOMLY_WRITABLE, IMAPI_FEATURE_PAGE_TYPE_FORMATTABLE,
    IMAPI_FEATURE_PAGE_TYPE_HARDWARE_DEFECT_MANAGEMENT,
};

/* Capacities as openfsi's ChooseImageDefaultsForMediaType assumes them. */
static const struct media_kind media_kinds[] = {
#define KIND(profile, rw, capacity, unit, features) \
    { profile, rw, capacity, unit, features, ARRAY_SIZE(features) }
    KIND(IMAPI_PROFILE_TYPE_DVD_DASH_RECORDABLE, FALSE, 2298496, 16, dvd_dash_r_features),
    KIND(IMAPI_PROFILE_TYPE_DVD_PLUS_R, FALSE, 2295104, 16, dvd_plus_r_features),
    KIND(IMAPI_PROFILE_TYPE_DVD_PLUS_R_DUAL, FALSE, 4173824, 16, dvd_plus_r_dl_features),
    KIND(IMAPI_PROFILE_TYPE_BD_R_SEQUENTIAL, FALSE, 12219392, 32, bd_r_features),
    KIND(IMAPI_PROFILE_TYPE_DVD_RAM, TRUE, 2236704, 16, random_writable_features),
    KIND(IMAPI_PROFILE_TYPE_DVD_DASH_REWRITABLE, TRUE, 2298496, 16, dvd_dash_rw_features),
    KIND(IMAPI_PROFILE_TYPE_DVD_PLUS_RW, TRUE, 2295104, 16, dvd_plus_rw_features),
    KIND(IMAPI_PROFILE_TYPE_BD_REWRITABLE, TRUE, 12219392, 32, bd_re_features),
#undef KIND
};

/* Features every DVD/BD drive reports as current with a disc in it. */
static const IMAPI_FEATURE_PAGE_TYPE common_features[] = {
    IMAPI_FEATURE_PAGE_TYPE_PROFILE_LIST, IMAPI_FEATURE_PAGE_TYPE_CORE,
    IMAPI_FEATURE_PAGE_TYPE_MORPHING, IMAPI_FEATURE_PAGE_TYPE_REMOVABLE_MEDIUM,
    IMAPI_FEATURE_PAGE_TYPE_RANDOMLY_READABLE, IMAPI_FEATURE_PAGE_TYPE_DVD_READ,
};

/* A DVD and BD writer. */
static const LONG default_supported_profiles[] = {
    IMAPI_PROFILE_TYPE_CDROM, IMAPI_PROFILE_TYPE_CD_RECORDABLE, IMAPI_PROFILE_TYPE_CD_REWRITABLE,
    IMAPI_PROFILE_TYPE_DVDROM, IMAPI_PROFILE_TYPE_DVD_DASH_RECORDABLE, IMAPI_PROFILE_TYPE_DVD_RAM,
    IMAPI_PROFILE_TYPE_DVD_DASH_REWRITABLE, IMAPI_PROFILE_TYPE_DVD_DASH_RW_SEQUENTIAL,
    IMAPI_PROFILE_TYPE_DVD_PLUS_RW, IMAPI_PROFILE_TYPE_DVD_PLUS_R,
    IMAPI_PROFILE_TYPE_DVD_PLUS_R_DUAL, IMAPI_PROFILE_TYPE_BD_ROM,
    IMAPI_PROFILE_TYPE_BD_R_SEQUENTIAL, IMAPI_PROFILE_TYPE_BD_REWRITABLE,
};

static const struct media_kind *find_media_kind(LONG profile)
{
    size_t i;
    for (i = 0; i < ARRAY_SIZE(media_kinds); i++)
        if (media_kinds[i].profile == profile)
            return &media_kinds[i];
    return NULL;
}

static inline LONG round_up(LONG value, LONG unit)
{
    return (LONG)(((LONGLONG)value + unit - 1) / unit * unit);
}

/* The last written sector of the disc, -1 if nothing is. */
static LONG last_written(const struct recorder_double *drive)
{
    return drive->session_count ? drive->sessions[drive->session_count - 1].last : -1;
}

/* Where a new sequential session would start; caller holds the lock. */
static LONG next_writable(const struct recorder_double *drive)
{
    if (!drive->session_count)
        return 0;
    return round_up(last_written(drive) + 1, drive->write_unit) + drive->session_gap;
}

static LONG free_sectors(const struct recorder_double *drive)
{
    LONG next = next_writable(drive);
    if (drive->finalized || next >= drive->total_sectors)
        return 0;
    return drive->total_sectors - next;
}

/* Whether a sequential session can be appended and imported from. */
static BOOL appendable(const struct recorder_double *drive)
{
    return drive->profile && !drive->rewritable && drive->session_count && !drive->finalized &&
           free_sectors(drive) > 0;
}

static BOOL sector_written(const struct recorder_double *drive, ULONGLONG lba)
{
    ULONG i;
    for (i = 0; i < drive->session_count; i++)
        if ((LONGLONG)lba >= drive->sessions[i].start && (LONGLONG)lba <= drive->sessions[i].last)
            return TRUE;
    return FALSE;
}

static BOOL sector_faulty(const struct recorder_double *drive, ULONGLONG lba)
{
    ULONG i;
    for (i = 0; i < drive->fault_count; i++)
        if ((LONGLONG)lba >= drive->faults[i].first &&
            (LONGLONG)lba < (LONGLONG)drive->faults[i].first + drive->faults[i].count)
            return TRUE;
    return FALSE;
}

static HRESULT add_session(struct recorder_double *drive, LONG start, LONG last)
{
    if (drive->session_count == drive->session_capacity) {
        ULONG capacity = drive->session_capacity ? drive->session_capacity * 2 : 8;
        struct recorder_session *grown = realloc(drive->sessions, capacity * sizeof(*grown));
        if (!grown)
            return E_OUTOFMEMORY;
        drive->sessions = grown;
        drive->session_capacity = capacity;
    }
    drive->sessions[drive->session_count].start = start;
    drive->sessions[drive->session_count].last = last;
    drive->session_count++;
    return S_OK;
}

/* ---- The image file ---- */

static HRESULT file_at(HANDLE file, LONGLONG offset)
{
    LARGE_INTEGER to;
    to.QuadPart = offset;
    return SetFilePointerEx(file, to, NULL, FILE_BEGIN) ? S_OK : HRESULT_FROM_WIN32(GetLastError());
}

/* Reads `size` bytes at `offset`; what lies past the file's end reads as zeros. */
static HRESULT file_read(HANDLE file, LONGLONG offset, BYTE *buffer, ULONG size)
{
    ULONG done = 0;
    HRESULT hr = file_at(file, offset);

    while (SUCCEEDED(hr) && done < size) {
        DWORD got = 0;
        if (!ReadFile(file, buffer + done, size - done, &got, NULL))
            return HRESULT_FROM_WIN32(GetLastError());
        if (!got)
            break;
        done += got;
    }
    if (SUCCEEDED(hr))
        memset(buffer + done, 0, size - done);
    return hr;
}

static HRESULT file_write(HANDLE file, LONGLONG offset, const BYTE *buffer, ULONG size)
{
    DWORD written = 0;
    HRESULT hr = file_at(file, offset);

    if (FAILED(hr))
        return hr;
    if (!WriteFile(file, buffer, size, &written, NULL))
        return HRESULT_FROM_WIN32(GetLastError());
    return written == size ? S_OK : HRESULT_FROM_WIN32(ERROR_DISK_FULL);
}

/* Reads exactly `size` bytes of a stream. */
static HRESULT stream_read_exactly(IStream *stream, BYTE *buffer, ULONG size)
{
    ULONG done = 0;
    while (done < size) {
        ULONG got = 0;
        HRESULT hr = IStream_Read(stream, buffer + done, size - done, &got);
        if (FAILED(hr))
            return hr;
        if (!got)
            return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
        done += got;
    }
    return S_OK;
}

static HRESULT stream_seek(IStream *stream, ULONGLONG offset)
{
    LARGE_INTEGER to;
    to.QuadPart = (LONGLONG)offset;
    return IStream_Seek(stream, to, STREAM_SEEK_SET, NULL);
}

/* Copies `sectors` sectors of `stream` (from its position) to the disc at `lba`. */
static HRESULT copy_stream_to_disc(struct recorder_double *drive, IStream *stream, LONG lba,
                                   LONG sectors)
{
    enum { CHUNK = 32 };
    BYTE *buffer = malloc(CHUNK * SECTOR);
    HRESULT hr = buffer ? S_OK : E_OUTOFMEMORY;
    LONG done = 0;

    while (SUCCEEDED(hr) && done < sectors) {
        LONG n = min(CHUNK, sectors - done);
        hr = stream_read_exactly(stream, buffer, (ULONG)n * SECTOR);
        if (SUCCEEDED(hr))
            hr = file_write(drive->file, (LONGLONG)(lba + done) * SECTOR, buffer, (ULONG)n * SECTOR);
        if (SUCCEEDED(hr)) {
            done += n;
            drive->stats.sectors_written += n;
        }
    }
    free(buffer);
    return hr;
}

/* ---- Sense data and CDB fields ---- */

static inline ULONG be16(const BYTE *p) { return (ULONG)p[0] << 8 | p[1]; }
static inline ULONG be32(const BYTE *p)
{
    return (ULONG)p[0] << 24 | (ULONG)p[1] << 16 | (ULONG)p[2] << 8 | p[3];
}
static inline void put_be16(BYTE *p, ULONG v) { p[0] = (BYTE)(v >> 8); p[1] = (BYTE)v; }
static inline void put_be32(BYTE *p, ULONG v)
{
    p[0] = (BYTE)(v >> 24); p[1] = (BYTE)(v >> 16); p[2] = (BYTE)(v >> 8); p[3] = (BYTE)v;
}

/* CHECK CONDITION: fixed-format sense data (SPC-3 4.5.3), the information field when valid. */
static HRESULT check_condition(BYTE sense[18], BYTE key, BYTE asc, BYTE ascq, BOOL info_valid,
                               ULONG information)
{
    memset(sense, 0, 18);
    sense[0] = 0x70 | (info_valid ? 0x80 : 0);     /* current error, fixed format */
    sense[2] = key;
    if (info_valid)
        put_be32(sense + 3, information);
    sense[7] = 18 - 8;                              /* additional sense length */
    sense[12] = asc;
    sense[13] = ascq;
    return S_IMAPI_COMMAND_HAS_SENSE_DATA;
}

static HRESULT no_medium(BYTE sense[18])
{
    return check_condition(sense, RECORDER_SENSE_NOT_READY, 0x3A, 0x00, FALSE, 0);
}

static HRESULT invalid_field_in_cdb(BYTE sense[18])
{
    return check_condition(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x24, 0x00, FALSE, 0);
}

/* Returns `size` bytes of a response to a command with an allocation length. */
static HRESULT transfer(const BYTE *response, ULONG size, ULONG allocation, BYTE *buffer,
                        ULONG buffer_size, ULONG *fetched)
{
    ULONG n = min(size, allocation);
    if (n > buffer_size)
        return E_INVALIDARG;
    memcpy(buffer, response, n);
    *fetched = n;
    return S_OK;
}

/* ---- The commands ---- */

/* READ(10) and READ(12) (MMC-6 6.15, 6.16). */
static HRESULT command_read(struct recorder_double *drive, const BYTE *cdb, BYTE sense[18],
                            BYTE *buffer, ULONG buffer_size, ULONG *fetched)
{
    ULONGLONG lba = be32(cdb + 2), i;
    ULONGLONG count = cdb[0] == 0x28 ? be16(cdb + 7) : be32(cdb + 6);
    HRESULT hr;

    drive->stats.read_commands++;
    if (count * SECTOR > buffer_size)
        return E_INVALIDARG;       /* the buffer cannot take what the command asks for */
    if (!drive->profile) {
        drive->stats.failed_reads++;
        return no_medium(sense);
    }
    for (i = lba; i < lba + count; i++) {
        if (!sector_written(drive, i)) {
            drive->stats.failed_reads++;
            return check_condition(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 0x00, TRUE,
                                   (ULONG)i);
        }
        if (sector_faulty(drive, i)) {
            drive->stats.failed_reads++;
            return check_condition(sense, RECORDER_SENSE_MEDIUM_ERROR, 0x11, 0x00, TRUE, (ULONG)i);
        }
    }
    if (!count)
        return S_OK;
    hr = file_read(drive->file, (LONGLONG)lba * SECTOR, buffer, (ULONG)(count * SECTOR));
    if (FAILED(hr))
        return hr;
    for (i = lba; i < lba + count; i++)
        drive->read_map[i / 8] |= (BYTE)(1 << (i % 8));
    drive->stats.sectors_read += (LONGLONG)count;
    *fetched = (ULONG)(count * SECTOR);
    return S_OK;
}

/* READ CAPACITY(10) (MMC-6 6.23): the last readable sector and the block length. */
static HRESULT command_read_capacity(struct recorder_double *drive, BYTE sense[18], BYTE *buffer,
                                     ULONG buffer_size, ULONG *fetched)
{
    BYTE response[8];
    LONG last;

    if (!drive->profile)
        return no_medium(sense);
    if (drive->rewritable)
        last = drive->total_sectors - 1;
    else
        last = drive->session_count ? last_written(drive) : 0;
    put_be32(response, (ULONG)last);
    put_be32(response + 4, SECTOR);
    return transfer(response, sizeof(response), sizeof(response), buffer, buffer_size, fetched);
}

/* LBA to the MSF of READ TOC with the MSF bit (the 150-frame pre-gap added). */
static void put_address(BYTE *p, LONG lba, BOOL msf)
{
    if (msf) {
        ULONG frames = (ULONG)lba + 150;
        p[0] = 0;
        p[1] = (BYTE)(frames / (75 * 60));
        p[2] = (BYTE)(frames / 75 % 60);
        p[3] = (BYTE)(frames % 75);
    } else {
        put_be32(p, (ULONG)lba);
    }
}

/* READ TOC/PMA/ATIP (MMC-6 6.26) formats 0 (the TOC: one data track per session) and 1
 * (session information). Blank media have no TOC. */
static HRESULT command_read_toc(struct recorder_double *drive, const BYTE *cdb, BYTE sense[18],
                                BYTE *buffer, ULONG buffer_size, ULONG *fetched)
{
    BOOL msf = (cdb[1] & 0x02) != 0;
    ULONG format = cdb[2] & 0x0F, allocation = be16(cdb + 7), n = drive->session_count, size;
    BYTE response[4 + 8 * 100];
    ULONG i;

    if (!drive->profile)
        return no_medium(sense);
    if (!n || n > 99)
        return invalid_field_in_cdb(sense);
    memset(response, 0, sizeof(response));
    if (format == 1) {
        size = 12;
        response[2] = 1;
        response[3] = (BYTE)n;
        response[5] = 0x14;                 /* ADR 1, CONTROL 4: data track */
        response[6] = (BYTE)n;
        put_address(response + 8, drive->sessions[n - 1].start, msf);
    } else if (format == 0) {
        ULONG first = cdb[6];
        BYTE *d = response + 4;
        if (first > n && first != 0xAA)
            return invalid_field_in_cdb(sense);
        response[2] = 1;
        response[3] = (BYTE)n;
        for (i = 1; i <= n && first != 0xAA; i++) {
            if (i < first)
                continue;
            d[1] = 0x14;
            d[2] = (BYTE)i;
            put_address(d + 4, drive->sessions[i - 1].start, msf);
            d += 8;
        }
        d[1] = 0x14;
        d[2] = 0xAA;                        /* the lead-out */
        put_address(d + 4, last_written(drive) + 1, msf);
        d += 8;
        size = (ULONG)(d - response);
    } else {
        return invalid_field_in_cdb(sense);
    }
    put_be16(response, size - 2);
    return transfer(response, size, allocation, buffer, buffer_size, fetched);
}

/* The standard disc information block (MMC-6 6.22.3.1): 34 bytes. An appendable disc counts
 * its open, empty session (and track) after the closed ones. */
static void disc_information(const struct recorder_double *drive, BYTE response[34])
{
    ULONG sessions, status, last_state;

    memset(response, 0, 34);
    put_be16(response, 34 - 2);
    if (drive->rewritable) {
        status = 3;                         /* random-access media */
        last_state = 3;
        sessions = 1;
        response[2] = 0x10;                 /* erasable */
    } else if (!drive->session_count) {
        status = 0;                         /* empty */
        last_state = 0;
        sessions = 1;
    } else if (drive->finalized) {
        status = 2;                         /* complete */
        last_state = 3;
        sessions = drive->session_count;
    } else {
        status = 1;                         /* incomplete: appendable */
        last_state = 0;
        sessions = drive->session_count + 1;
    }
    response[2] |= (BYTE)(last_state << 2 | status);
    response[3] = 1;                        /* first track on the disc */
    response[4] = (BYTE)sessions;
    response[5] = (BYTE)sessions;           /* one track per session */
    response[6] = (BYTE)sessions;
    response[7] = 0x20;                     /* unrestricted use */
    response[9] = (BYTE)(sessions >> 8);
    response[10] = (BYTE)(sessions >> 8);
    response[11] = (BYTE)(sessions >> 8);
    if (status <= 1) {
        put_be32(response + 16, (ULONG)next_writable(drive));
        put_be32(response + 20, (ULONG)drive->total_sectors);
    } else {
        put_be32(response + 16, 0xFFFFFFFF);
        put_be32(response + 20, 0xFFFFFFFF);
    }
}

static HRESULT command_read_disc_information(struct recorder_double *drive, const BYTE *cdb,
                                             BYTE sense[18], BYTE *buffer, ULONG buffer_size,
                                             ULONG *fetched)
{
    BYTE response[34];

    if (!drive->profile)
        return no_medium(sense);
    if (cdb[1] & 0x07)
        return invalid_field_in_cdb(sense);     /* only the standard information */
    disc_information(drive, response);
    return transfer(response, sizeof(response), be16(cdb + 7), buffer, buffer_size, fetched);
}

static void put_padded(BYTE *p, const char *text, size_t width)
{
    size_t n = strlen(text);
    memset(p, ' ', width);
    memcpy(p, text, min(n, width));
}

#define DOUBLE_VENDOR "OPENFSI"
#define DOUBLE_PRODUCT "RECORDER DOUBLE"
#define DOUBLE_REVISION "1.00"

/* INQUIRY (SPC-3 6.4.2): standard data of a CD/DVD device with removable media. */
static HRESULT command_inquiry(const BYTE *cdb, BYTE sense[18], BYTE *buffer, ULONG buffer_size,
                               ULONG *fetched)
{
    BYTE response[36];

    if (cdb[1] & 0x01)
        return invalid_field_in_cdb(sense);     /* no vital product data pages */
    memset(response, 0, sizeof(response));
    response[0] = 0x05;
    response[1] = 0x80;
    response[2] = 0x05;
    response[3] = 0x02;
    response[4] = sizeof(response) - 5;
    put_padded(response + 8, DOUBLE_VENDOR, 8);
    put_padded(response + 16, DOUBLE_PRODUCT, 16);
    put_padded(response + 32, DOUBLE_REVISION, 4);
    return transfer(response, sizeof(response), be16(cdb + 3), buffer, buffer_size, fetched);
}

/* The length of a CDB by its operation code's group (SPC-3 4.3.4). */
static ULONG cdb_length(BYTE opcode)
{
    switch (opcode >> 5) {
    case 0: return 6;
    case 1: case 2: return 10;
    case 4: return 16;
    case 5: return 12;
    default: return 6;
    }
}

/* ---- IDiscRecorder2Ex ---- */

static HRESULT WINAPI recorder_ex_QueryInterface(IDiscRecorder2Ex *iface, REFIID riid, void **out)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2Ex(iface);
    return IDiscRecorder2_QueryInterface(&drive->IDiscRecorder2_iface, riid, out);
}

static ULONG WINAPI recorder_ex_AddRef(IDiscRecorder2Ex *iface)
{
    return recorder_double_add_ref(impl_from_IDiscRecorder2Ex(iface));
}

static ULONG WINAPI recorder_ex_Release(IDiscRecorder2Ex *iface)
{
    return recorder_double_release(impl_from_IDiscRecorder2Ex(iface));
}

static HRESULT WINAPI recorder_ex_SendCommandNoData(IDiscRecorder2Ex *iface, BYTE *cdb,
                                                    ULONG cdb_size, BYTE sense[18], ULONG timeout)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2Ex(iface);
    HRESULT hr;
    (void)timeout;

    if (!cdb || !sense)
        return E_POINTER;
    if (cdb_size < 6 || cdb_size > 16 || cdb_size < cdb_length(cdb[0]))
        return E_INVALIDARG;
    memset(sense, 0, 18);
    EnterCriticalSection(&drive->lock);
    drive->stats.other_commands++;
    if (cdb[0] != 0x00)        /* TEST UNIT READY is the only command without data we know */
        hr = check_condition(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x20, 0x00, FALSE, 0);
    else
        hr = drive->profile ? S_OK : no_medium(sense);
    LeaveCriticalSection(&drive->lock);
    return hr;
}

static HRESULT WINAPI recorder_ex_SendCommandSendDataToDevice(IDiscRecorder2Ex *iface, BYTE *cdb,
                                                              ULONG cdb_size, BYTE sense[18],
                                                              ULONG timeout, BYTE *buffer,
                                                              ULONG buffer_size)
{
    (void)iface; (void)cdb; (void)cdb_size; (void)sense; (void)timeout; (void)buffer;
    (void)buffer_size;
    return E_NOTIMPL;       /* the double is written through recorder_double_write_* only */
}

static HRESULT WINAPI recorder_ex_SendCommandGetDataFromDevice(IDiscRecorder2Ex *iface, BYTE *cdb,
                                                               ULONG cdb_size, BYTE sense[18],
                                                               ULONG timeout, BYTE *buffer,
                                                               ULONG buffer_size, ULONG *fetched)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2Ex(iface);
    HRESULT hr;
    (void)timeout;

    if (!cdb || !sense || !buffer || !fetched)
        return E_POINTER;
    *fetched = 0;
    if (cdb_size < 6 || cdb_size > 16 || cdb_size < cdb_length(cdb[0]) || !buffer_size)
        return E_INVALIDARG;
    memset(sense, 0, 18);
    EnterCriticalSection(&drive->lock);
    if (buffer_size > drive->max_transfer) {
        hr = E_INVALIDARG;      /* more than the adapter can move in one transfer */
    } else {
        switch (cdb[0]) {
        case 0x28: /* READ(10) */
        case 0xA8: /* READ(12) */
            hr = command_read(drive, cdb, sense, buffer, buffer_size, fetched);
            break;
        case 0x25: /* READ CAPACITY(10) */
            drive->stats.other_commands++;
            hr = command_read_capacity(drive, sense, buffer, buffer_size, fetched);
            break;
        case 0x43: /* READ TOC/PMA/ATIP */
            drive->stats.other_commands++;
            hr = command_read_toc(drive, cdb, sense, buffer, buffer_size, fetched);
            break;
        case 0x51: /* READ DISC INFORMATION */
            drive->stats.other_commands++;
            hr = command_read_disc_information(drive, cdb, sense, buffer, buffer_size, fetched);
            break;
        case 0x12: /* INQUIRY */
            drive->stats.other_commands++;
            hr = command_inquiry(cdb, sense, buffer, buffer_size, fetched);
            break;
        default:   /* INVALID COMMAND OPERATION CODE */
            drive->stats.other_commands++;
            hr = check_condition(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x20, 0x00, FALSE, 0);
            break;
        }
    }
    LeaveCriticalSection(&drive->lock);
    return hr;
}

static HRESULT WINAPI recorder_ex_ReadDvdStructure(IDiscRecorder2Ex *iface, ULONG format,
                                                   ULONG address, ULONG layer, ULONG agid,
                                                   BYTE **data, ULONG *count)
{
    (void)iface; (void)format; (void)address; (void)layer; (void)agid;
    if (!data || !count)
        return E_POINTER;
    *data = NULL;
    *count = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_SendDvdStructure(IDiscRecorder2Ex *iface, ULONG format,
                                                   BYTE *data, ULONG count)
{
    (void)iface; (void)format; (void)data; (void)count;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetAdapterDescriptor(IDiscRecorder2Ex *iface, BYTE **data,
                                                       ULONG *size)
{
    (void)iface;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetDeviceDescriptor(IDiscRecorder2Ex *iface, BYTE **data,
                                                      ULONG *size)
{
    (void)iface;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetDiscInformation(IDiscRecorder2Ex *iface, BYTE **data,
                                                     ULONG *size)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2Ex(iface);
    BYTE *block;

    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    if (!drive->profile)
        return E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    if (!(block = CoTaskMemAlloc(34)))
        return E_OUTOFMEMORY;
    EnterCriticalSection(&drive->lock);
    disc_information(drive, block);
    LeaveCriticalSection(&drive->lock);
    *data = block;
    *size = 34;
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetTrackInformation(IDiscRecorder2Ex *iface, ULONG address,
                                                      IMAPI_READ_TRACK_ADDRESS_TYPE type,
                                                      BYTE **data, ULONG *size)
{
    (void)iface; (void)address; (void)type;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetFeaturePage(IDiscRecorder2Ex *iface,
                                                 IMAPI_FEATURE_PAGE_TYPE feature, BOOLEAN current,
                                                 BYTE **data, ULONG *size)
{
    (void)iface; (void)feature; (void)current;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetModePage(IDiscRecorder2Ex *iface, IMAPI_MODE_PAGE_TYPE page,
                                              IMAPI_MODE_PAGE_REQUEST_TYPE type, BYTE **data,
                                              ULONG *size)
{
    (void)iface; (void)page; (void)type;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_SetModePage(IDiscRecorder2Ex *iface,
                                              IMAPI_MODE_PAGE_REQUEST_TYPE type, BYTE *data,
                                              ULONG size)
{
    (void)iface; (void)type; (void)data; (void)size;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetSupportedFeaturePages(IDiscRecorder2Ex *iface,
                                                           BOOLEAN current,
                                                           IMAPI_FEATURE_PAGE_TYPE **pages,
                                                           ULONG *count)
{
    (void)iface; (void)current;
    if (!pages || !count)
        return E_POINTER;
    *pages = NULL;
    *count = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetSupportedProfiles(IDiscRecorder2Ex *iface, BOOLEAN current,
                                                       IMAPI_PROFILE_TYPE **profiles, ULONG *count)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2Ex(iface);
    ULONG i, n = current ? (drive->profile ? 1 : 0) : drive->supported_count;

    if (!profiles || !count)
        return E_POINTER;
    *profiles = NULL;
    *count = 0;
    if (!(*profiles = CoTaskMemAlloc(max(n, 1) * sizeof(**profiles))))
        return E_OUTOFMEMORY;
    for (i = 0; i < n; i++)
        (*profiles)[i] = (IMAPI_PROFILE_TYPE)(current ? drive->profile : drive->supported[i]);
    *count = n;
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetSupportedModePages(IDiscRecorder2Ex *iface,
                                                        IMAPI_MODE_PAGE_REQUEST_TYPE type,
                                                        IMAPI_MODE_PAGE_TYPE **pages, ULONG *count)
{
    (void)iface; (void)type;
    if (!pages || !count)
        return E_POINTER;
    *pages = NULL;
    *count = 0;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_ex_GetByteAlignmentMask(IDiscRecorder2Ex *iface, ULONG *value)
{
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = 0;             /* any buffer will do: the double checks no alignment */
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetMaximumNonPageAlignedTransferSize(IDiscRecorder2Ex *iface,
                                                                      ULONG *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscRecorder2Ex(iface)->max_transfer;
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetMaximumPageAlignedTransferSize(IDiscRecorder2Ex *iface,
                                                                   ULONG *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscRecorder2Ex(iface)->max_transfer;
    return S_OK;
}

static const IDiscRecorder2ExVtbl recorder_ex_vtbl = {
    recorder_ex_QueryInterface,
    recorder_ex_AddRef,
    recorder_ex_Release,
    recorder_ex_SendCommandNoData,
    recorder_ex_SendCommandSendDataToDevice,
    recorder_ex_SendCommandGetDataFromDevice,
    recorder_ex_ReadDvdStructure,
    recorder_ex_SendDvdStructure,
    recorder_ex_GetAdapterDescriptor,
    recorder_ex_GetDeviceDescriptor,
    recorder_ex_GetDiscInformation,
    recorder_ex_GetTrackInformation,
    recorder_ex_GetFeaturePage,
    recorder_ex_GetModePage,
    recorder_ex_SetModePage,
    recorder_ex_GetSupportedFeaturePages,
    recorder_ex_GetSupportedProfiles,
    recorder_ex_GetSupportedModePages,
    recorder_ex_GetByteAlignmentMask,
    recorder_ex_GetMaximumNonPageAlignedTransferSize,
    recorder_ex_GetMaximumPageAlignedTransferSize,
};

/* ---- IDiscRecorder2 ---- */

static HRESULT WINAPI recorder_QueryInterface(IDiscRecorder2 *iface, REFIID riid, void **out)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2(iface);

    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IDiscRecorder2)) {
        *out = &drive->IDiscRecorder2_iface;
    } else if (IsEqualIID(riid, &IID_IDiscRecorder2Ex)) {
        *out = &drive->IDiscRecorder2Ex_iface;
    } else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    recorder_double_add_ref(drive);
    return S_OK;
}

static ULONG WINAPI recorder_AddRef(IDiscRecorder2 *iface)
{
    return recorder_double_add_ref(impl_from_IDiscRecorder2(iface));
}

static ULONG WINAPI recorder_Release(IDiscRecorder2 *iface)
{
    return recorder_double_release(impl_from_IDiscRecorder2(iface));
}

/* IDispatch of the double's objects: no type information, so no late binding. */
static HRESULT dispatch_type_info_count(UINT *count)
{
    if (!count)
        return E_POINTER;
    *count = 0;
    return S_OK;
}

static HRESULT dispatch_type_info(ITypeInfo **info)
{
    if (!info)
        return E_POINTER;
    *info = NULL;
    return DISP_E_BADINDEX;
}

static HRESULT WINAPI recorder_GetTypeInfoCount(IDiscRecorder2 *iface, UINT *count)
{
    (void)iface;
    return dispatch_type_info_count(count);
}

static HRESULT WINAPI recorder_GetTypeInfo(IDiscRecorder2 *iface, UINT index, LCID lcid,
                                           ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid;
    return dispatch_type_info(info);
}

static HRESULT WINAPI recorder_GetIDsOfNames(IDiscRecorder2 *iface, REFIID riid, LPOLESTR *names,
                                             UINT count, LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_Invoke(IDiscRecorder2 *iface, DISPID member, REFIID riid, LCID lcid,
                                      WORD flags, DISPPARAMS *params, VARIANT *result,
                                      EXCEPINFO *excep, UINT *arg_error)
{
    (void)iface; (void)member; (void)riid; (void)lcid; (void)flags; (void)params; (void)result;
    (void)excep; (void)arg_error;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_EjectMedia(IDiscRecorder2 *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_CloseTray(IDiscRecorder2 *iface)
{
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT WINAPI recorder_AcquireExclusiveAccess(IDiscRecorder2 *iface, VARIANT_BOOL force,
                                                      BSTR client)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2(iface);
    HRESULT hr = S_OK;
    (void)force;

    if (!client || !*client)
        return E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID;
    EnterCriticalSection(&drive->lock);
    if (drive->exclusive_count && wcscmp(drive->exclusive_owner, client) && !force) {
        hr = E_IMAPI_RECORDER_LOCKED;
    } else {
        if (!drive->exclusive_count || wcscmp(drive->exclusive_owner, client)) {
            SysFreeString(drive->exclusive_owner);
            drive->exclusive_owner = SysAllocString(client);
            drive->exclusive_count = 0;
        }
        drive->exclusive_count++;
    }
    LeaveCriticalSection(&drive->lock);
    return hr;
}

static HRESULT WINAPI recorder_ReleaseExclusiveAccess(IDiscRecorder2 *iface)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2(iface);

    EnterCriticalSection(&drive->lock);
    if (drive->exclusive_count && !--drive->exclusive_count) {
        SysFreeString(drive->exclusive_owner);
        drive->exclusive_owner = NULL;
    }
    LeaveCriticalSection(&drive->lock);
    return S_OK;
}

static HRESULT WINAPI recorder_DisableMcn(IDiscRecorder2 *iface)
{
    (void)iface;
    return S_OK;            /* the double sends no media change notifications anyway */
}

static HRESULT WINAPI recorder_EnableMcn(IDiscRecorder2 *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI recorder_InitializeDiscRecorder(IDiscRecorder2 *iface, BSTR id)
{
    (void)iface; (void)id;
    return E_NOTIMPL;       /* the double is its one drive from the start */
}

static HRESULT string_out(const WCHAR *text, BSTR *out)
{
    if (!out)
        return E_POINTER;
    *out = SysAllocString(text);
    return *out ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI recorder_get_ActiveDiscRecorder(IDiscRecorder2 *iface, BSTR *value)
{
    (void)iface;
    return string_out(L"\\\\?\\scsi#cdrom&ven_openfsi&prod_recorder_double#4&0&000000#"
                      L"{53f56308-b6bf-11d0-94f2-00a0c91efb8b}", value);
}

static HRESULT WINAPI recorder_get_VendorId(IDiscRecorder2 *iface, BSTR *value)
{
    (void)iface;
    return string_out(L"" DOUBLE_VENDOR, value);
}

static HRESULT WINAPI recorder_get_ProductId(IDiscRecorder2 *iface, BSTR *value)
{
    (void)iface;
    return string_out(L"" DOUBLE_PRODUCT, value);
}

static HRESULT WINAPI recorder_get_ProductRevision(IDiscRecorder2 *iface, BSTR *value)
{
    (void)iface;
    return string_out(L"" DOUBLE_REVISION, value);
}

static HRESULT WINAPI recorder_get_VolumeName(IDiscRecorder2 *iface, BSTR *value)
{
    (void)iface;
    return string_out(L"\\\\?\\Volume{6f70656e-6673-6900-7265-636f72646572}\\", value);
}

/* A SAFEARRAY of VARIANTs from `count` values, as VT_I4 or, with `strings`, VT_BSTR. */
static HRESULT variant_array(const LONG *values, const WCHAR *const *strings, ULONG count,
                             SAFEARRAY **out)
{
    SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, count);
    VARIANT *items;
    ULONG i;

    if (!array)
        return E_OUTOFMEMORY;
    SafeArrayAccessData(array, (void **)&items);
    for (i = 0; i < count; i++) {
        if (strings) {
            V_VT(&items[i]) = VT_BSTR;
            V_BSTR(&items[i]) = SysAllocString(strings[i]);
        } else {
            V_VT(&items[i]) = VT_I4;
            V_I4(&items[i]) = values[i];
        }
    }
    SafeArrayUnaccessData(array);
    *out = array;
    return S_OK;
}

static HRESULT WINAPI recorder_get_VolumePathNames(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    static const WCHAR *const paths[] = { L"R:\\" };
    (void)iface;
    if (!value)
        return E_POINTER;
    return variant_array(NULL, paths, 1, value);
}

static HRESULT WINAPI recorder_get_DeviceCanLoadMedia(IDiscRecorder2 *iface, VARIANT_BOOL *value)
{
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = VARIANT_TRUE;
    return S_OK;
}

static HRESULT WINAPI recorder_get_LegacyDeviceNumber(IDiscRecorder2 *iface, LONG *value)
{
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = 0;
    return S_OK;
}

/* The feature codes of the drive (supported) or of the drive with this disc (current). */
static HRESULT feature_pages(const struct recorder_double *drive, BOOL current, SAFEARRAY **out)
{
    LONG codes[64];
    ULONG n = 0, i, k;

    for (i = 0; i < ARRAY_SIZE(common_features); i++)
        codes[n++] = common_features[i];
    for (i = 0; i < ARRAY_SIZE(media_kinds); i++) {
        const struct media_kind *kind = &media_kinds[i];
        if (current && kind->profile != drive->profile)
            continue;
        for (k = 0; k < kind->feature_count; k++) {
            ULONG j;
            for (j = 0; j < n && codes[j] != (LONG)kind->features[k]; j++)
                ;
            if (j == n && n < ARRAY_SIZE(codes))
                codes[n++] = kind->features[k];
        }
    }
    if (current && !drive->profile)
        n = 3;              /* no disc: profile list, core and morphing only */
    return variant_array(codes, NULL, n, out);
}

static HRESULT WINAPI recorder_get_SupportedFeaturePages(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    if (!value)
        return E_POINTER;
    return feature_pages(impl_from_IDiscRecorder2(iface), FALSE, value);
}

static HRESULT WINAPI recorder_get_CurrentFeaturePages(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    if (!value)
        return E_POINTER;
    return feature_pages(impl_from_IDiscRecorder2(iface), TRUE, value);
}

static HRESULT WINAPI recorder_get_SupportedProfiles(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2(iface);
    if (!value)
        return E_POINTER;
    return variant_array(drive->supported, NULL, drive->supported_count, value);
}

static HRESULT WINAPI recorder_get_CurrentProfiles(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2(iface);
    if (!value)
        return E_POINTER;
    return variant_array(&drive->profile, NULL, drive->profile ? 1 : 0, value);
}

static HRESULT WINAPI recorder_get_SupportedModePages(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = NULL;
    return E_NOTIMPL;       /* the double has no mode pages */
}

static HRESULT WINAPI recorder_get_ExclusiveAccessOwner(IDiscRecorder2 *iface, BSTR *value)
{
    struct recorder_double *drive = impl_from_IDiscRecorder2(iface);
    HRESULT hr;

    EnterCriticalSection(&drive->lock);
    hr = string_out(drive->exclusive_owner ? drive->exclusive_owner : L"", value);
    LeaveCriticalSection(&drive->lock);
    return hr;
}

static const IDiscRecorder2Vtbl recorder_vtbl = {
    recorder_QueryInterface,
    recorder_AddRef,
    recorder_Release,
    recorder_GetTypeInfoCount,
    recorder_GetTypeInfo,
    recorder_GetIDsOfNames,
    recorder_Invoke,
    recorder_EjectMedia,
    recorder_CloseTray,
    recorder_AcquireExclusiveAccess,
    recorder_ReleaseExclusiveAccess,
    recorder_DisableMcn,
    recorder_EnableMcn,
    recorder_InitializeDiscRecorder,
    recorder_get_ActiveDiscRecorder,
    recorder_get_VendorId,
    recorder_get_ProductId,
    recorder_get_ProductRevision,
    recorder_get_VolumeName,
    recorder_get_VolumePathNames,
    recorder_get_DeviceCanLoadMedia,
    recorder_get_LegacyDeviceNumber,
    recorder_get_SupportedFeaturePages,
    recorder_get_CurrentFeaturePages,
    recorder_get_SupportedProfiles,
    recorder_get_CurrentProfiles,
    recorder_get_SupportedModePages,
    recorder_get_ExclusiveAccessOwner,
};

/* ---- IMultisessionSequential2 ---- */

struct sequential {
    IMultisessionSequential2 IMultisessionSequential2_iface;
    LONG ref;
    struct recorder_double *drive;
    VARIANT_BOOL in_use;
};

static inline struct sequential *impl_from_IMultisessionSequential2(IMultisessionSequential2 *iface)
{
    return CONTAINING_RECORD(iface, struct sequential, IMultisessionSequential2_iface);
}

static HRESULT WINAPI sequential_QueryInterface(IMultisessionSequential2 *iface, REFIID riid,
                                               void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IMultisession) || IsEqualIID(riid, &IID_IMultisessionSequential) ||
        IsEqualIID(riid, &IID_IMultisessionSequential2)) {
        *out = iface;
        IMultisessionSequential2_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sequential_AddRef(IMultisessionSequential2 *iface)
{
    return InterlockedIncrement(&impl_from_IMultisessionSequential2(iface)->ref);
}

static ULONG WINAPI sequential_Release(IMultisessionSequential2 *iface)
{
    struct sequential *object = impl_from_IMultisessionSequential2(iface);
    ULONG ref = InterlockedDecrement(&object->ref);
    if (!ref) {
        recorder_double_release(object->drive);
        free(object);
    }
    return ref;
}

static HRESULT WINAPI sequential_GetTypeInfoCount(IMultisessionSequential2 *iface, UINT *count)
{
    (void)iface;
    return dispatch_type_info_count(count);
}

static HRESULT WINAPI sequential_GetTypeInfo(IMultisessionSequential2 *iface, UINT index,
                                             LCID lcid, ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid;
    return dispatch_type_info(info);
}

static HRESULT WINAPI sequential_GetIDsOfNames(IMultisessionSequential2 *iface, REFIID riid,
                                               LPOLESTR *names, UINT count, LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI sequential_Invoke(IMultisessionSequential2 *iface, DISPID member,
                                        REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                        VARIANT *result, EXCEPINFO *excep, UINT *arg_error)
{
    (void)iface; (void)member; (void)riid; (void)lcid; (void)flags; (void)params; (void)result;
    (void)excep; (void)arg_error;
    return E_NOTIMPL;
}

/* Reads one LONG of the drive's state under its lock. */
static HRESULT drive_long(struct recorder_double *drive, LONG (*get)(const struct recorder_double *),
                          LONG *value)
{
    if (!value)
        return E_POINTER;
    EnterCriticalSection(&drive->lock);
    *value = get(drive);
    LeaveCriticalSection(&drive->lock);
    return S_OK;
}

static LONG state_appendable(const struct recorder_double *d) { return appendable(d); }
static LONG state_first_data_session(const struct recorder_double *d) { return !d->session_count; }
static LONG state_previous_start(const struct recorder_double *d)
{
    return d->session_count ? d->sessions[d->session_count - 1].start : -1;
}
static LONG state_previous_last(const struct recorder_double *d) { return last_written(d); }
static LONG state_next_writable(const struct recorder_double *d) { return next_writable(d); }
static LONG state_free_sectors(const struct recorder_double *d) { return free_sectors(d); }
static LONG state_write_unit(const struct recorder_double *d) { return d->write_unit; }
static LONG state_total_sectors(const struct recorder_double *d) { return d->total_sectors; }

static HRESULT drive_bool(struct recorder_double *drive, LONG (*get)(const struct recorder_double *),
                          VARIANT_BOOL *value)
{
    LONG on = 0;
    if (!value)
        return E_POINTER;
    drive_long(drive, get, &on);
    *value = on ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI sequential_get_IsSupportedOnCurrentMediaState(IMultisessionSequential2 *iface,
                                                                    VARIANT_BOOL *value)
{
    return drive_bool(impl_from_IMultisessionSequential2(iface)->drive, state_appendable, value);
}

static HRESULT WINAPI sequential_put_InUse(IMultisessionSequential2 *iface, VARIANT_BOOL value)
{
    impl_from_IMultisessionSequential2(iface)->in_use = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI sequential_get_InUse(IMultisessionSequential2 *iface, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IMultisessionSequential2(iface)->in_use;
    return S_OK;
}

static HRESULT WINAPI sequential_get_ImportRecorder(IMultisessionSequential2 *iface,
                                                    IDiscRecorder2 **value)
{
    struct sequential *object = impl_from_IMultisessionSequential2(iface);
    if (!value)
        return E_POINTER;
    *value = &object->drive->IDiscRecorder2_iface;
    IDiscRecorder2_AddRef(*value);
    return S_OK;
}

static HRESULT WINAPI sequential_get_IsFirstDataSession(IMultisessionSequential2 *iface,
                                                        VARIANT_BOOL *value)
{
    return drive_bool(impl_from_IMultisessionSequential2(iface)->drive, state_first_data_session,
                      value);
}

static HRESULT WINAPI sequential_get_StartAddressOfPreviousSession(IMultisessionSequential2 *iface,
                                                                   LONG *value)
{
    return drive_long(impl_from_IMultisessionSequential2(iface)->drive, state_previous_start,
                      value);
}

static HRESULT WINAPI sequential_get_LastWrittenAddressOfPreviousSession(
    IMultisessionSequential2 *iface, LONG *value)
{
    return drive_long(impl_from_IMultisessionSequential2(iface)->drive, state_previous_last, value);
}

static HRESULT WINAPI sequential_get_NextWritableAddress(IMultisessionSequential2 *iface,
                                                         LONG *value)
{
    return drive_long(impl_from_IMultisessionSequential2(iface)->drive, state_next_writable, value);
}

static HRESULT WINAPI sequential_get_FreeSectorsOnMedia(IMultisessionSequential2 *iface,
                                                        LONG *value)
{
    return drive_long(impl_from_IMultisessionSequential2(iface)->drive, state_free_sectors, value);
}

static HRESULT WINAPI sequential_get_WriteUnitSize(IMultisessionSequential2 *iface, LONG *value)
{
    return drive_long(impl_from_IMultisessionSequential2(iface)->drive, state_write_unit, value);
}

static const IMultisessionSequential2Vtbl sequential_vtbl = {
    sequential_QueryInterface,
    sequential_AddRef,
    sequential_Release,
    sequential_GetTypeInfoCount,
    sequential_GetTypeInfo,
    sequential_GetIDsOfNames,
    sequential_Invoke,
    sequential_get_IsSupportedOnCurrentMediaState,
    sequential_put_InUse,
    sequential_get_InUse,
    sequential_get_ImportRecorder,
    sequential_get_IsFirstDataSession,
    sequential_get_StartAddressOfPreviousSession,
    sequential_get_LastWrittenAddressOfPreviousSession,
    sequential_get_NextWritableAddress,
    sequential_get_FreeSectorsOnMedia,
    sequential_get_WriteUnitSize,
};

/* ---- IMultisessionRandomWrite ---- */

struct random_write {
    IMultisessionRandomWrite IMultisessionRandomWrite_iface;
    LONG ref;
    struct recorder_double *drive;
    VARIANT_BOOL in_use;
};

static inline struct random_write *impl_from_IMultisessionRandomWrite(IMultisessionRandomWrite *iface)
{
    return CONTAINING_RECORD(iface, struct random_write, IMultisessionRandomWrite_iface);
}

static HRESULT WINAPI random_write_QueryInterface(IMultisessionRandomWrite *iface, REFIID riid,
                                                  void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IMultisession) || IsEqualIID(riid, &IID_IMultisessionRandomWrite)) {
        *out = iface;
        IMultisessionRandomWrite_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI random_write_AddRef(IMultisessionRandomWrite *iface)
{
    return InterlockedIncrement(&impl_from_IMultisessionRandomWrite(iface)->ref);
}

static ULONG WINAPI random_write_Release(IMultisessionRandomWrite *iface)
{
    struct random_write *object = impl_from_IMultisessionRandomWrite(iface);
    ULONG ref = InterlockedDecrement(&object->ref);
    if (!ref) {
        recorder_double_release(object->drive);
        free(object);
    }
    return ref;
}

static HRESULT WINAPI random_write_GetTypeInfoCount(IMultisessionRandomWrite *iface, UINT *count)
{
    (void)iface;
    return dispatch_type_info_count(count);
}

static HRESULT WINAPI random_write_GetTypeInfo(IMultisessionRandomWrite *iface, UINT index,
                                               LCID lcid, ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid;
    return dispatch_type_info(info);
}

static HRESULT WINAPI random_write_GetIDsOfNames(IMultisessionRandomWrite *iface, REFIID riid,
                                                 LPOLESTR *names, UINT count, LCID lcid,
                                                 DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI random_write_Invoke(IMultisessionRandomWrite *iface, DISPID member,
                                          REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                          VARIANT *result, EXCEPINFO *excep, UINT *arg_error)
{
    (void)iface; (void)member; (void)riid; (void)lcid; (void)flags; (void)params; (void)result;
    (void)excep; (void)arg_error;
    return E_NOTIMPL;
}

static HRESULT WINAPI random_write_get_IsSupportedOnCurrentMediaState(
    IMultisessionRandomWrite *iface, VARIANT_BOOL *value)
{
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = VARIANT_TRUE;      /* formatted rewritable media can always be updated */
    return S_OK;
}

static HRESULT WINAPI random_write_put_InUse(IMultisessionRandomWrite *iface, VARIANT_BOOL value)
{
    impl_from_IMultisessionRandomWrite(iface)->in_use = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI random_write_get_InUse(IMultisessionRandomWrite *iface, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IMultisessionRandomWrite(iface)->in_use;
    return S_OK;
}

static HRESULT WINAPI random_write_get_ImportRecorder(IMultisessionRandomWrite *iface,
                                                      IDiscRecorder2 **value)
{
    struct random_write *object = impl_from_IMultisessionRandomWrite(iface);
    if (!value)
        return E_POINTER;
    *value = &object->drive->IDiscRecorder2_iface;
    IDiscRecorder2_AddRef(*value);
    return S_OK;
}

static HRESULT WINAPI random_write_get_WriteUnitSize(IMultisessionRandomWrite *iface, LONG *value)
{
    return drive_long(impl_from_IMultisessionRandomWrite(iface)->drive, state_write_unit, value);
}

static HRESULT WINAPI random_write_get_LastWrittenAddress(IMultisessionRandomWrite *iface,
                                                          LONG *value)
{
    return drive_long(impl_from_IMultisessionRandomWrite(iface)->drive, state_previous_last, value);
}

static HRESULT WINAPI random_write_get_TotalSectorsOnMedia(IMultisessionRandomWrite *iface,
                                                           LONG *value)
{
    return drive_long(impl_from_IMultisessionRandomWrite(iface)->drive, state_total_sectors, value);
}

static const IMultisessionRandomWriteVtbl random_write_vtbl = {
    random_write_QueryInterface,
    random_write_AddRef,
    random_write_Release,
    random_write_GetTypeInfoCount,
    random_write_GetTypeInfo,
    random_write_GetIDsOfNames,
    random_write_Invoke,
    random_write_get_IsSupportedOnCurrentMediaState,
    random_write_put_InUse,
    random_write_get_InUse,
    random_write_get_ImportRecorder,
    random_write_get_WriteUnitSize,
    random_write_get_LastWrittenAddress,
    random_write_get_TotalSectorsOnMedia,
};

/* ---- The double's own API ---- */

static HRESULT drive_new(LONG profile, LONG total_sectors, struct recorder_double **out)
{
    const struct media_kind *kind = find_media_kind(profile);
    struct recorder_double *drive;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if ((profile && !kind) || total_sectors < 0)
        return E_INVALIDARG;
    if (!(drive = calloc(1, sizeof(*drive))))
        return E_OUTOFMEMORY;
    drive->IDiscRecorder2_iface.lpVtbl = &recorder_vtbl;
    drive->IDiscRecorder2Ex_iface.lpVtbl = &recorder_ex_vtbl;
    drive->ref = 1;
    InitializeCriticalSection(&drive->lock);
    drive->file = INVALID_HANDLE_VALUE;
    drive->profile = profile;
    drive->rewritable = kind && kind->rewritable;
    drive->total_sectors = kind ? (total_sectors ? total_sectors : kind->capacity) : 0;
    drive->write_unit = kind ? kind->write_unit : 16;
    drive->session_gap = 16;
    drive->max_transfer = 128 * 1024;
    memcpy(drive->supported, default_supported_profiles, sizeof(default_supported_profiles));
    drive->supported_count = ARRAY_SIZE(default_supported_profiles);
    drive->read_map = calloc((size_t)drive->total_sectors / 8 + 1, 1);
    if (!drive->read_map) {
        recorder_double_release(drive);
        return E_OUTOFMEMORY;
    }
    *out = drive;
    return S_OK;
}

static HRESULT drive_open_file(struct recorder_double *drive, const WCHAR *path, BOOL create)
{
    WCHAR temp_dir[MAX_PATH], temp[MAX_PATH];
    DWORD flags = FILE_ATTRIBUTE_NORMAL;

    if (!path) {
        if (!GetTempPathW(MAX_PATH, temp_dir) || !GetTempFileNameW(temp_dir, L"rdd", 0, temp))
            return HRESULT_FROM_WIN32(GetLastError());
        path = temp;
        flags |= FILE_FLAG_DELETE_ON_CLOSE;
    }
    drive->file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE,
                              NULL, create ? CREATE_ALWAYS : OPEN_EXISTING, flags, NULL);
    return drive->file == INVALID_HANDLE_VALUE ? HRESULT_FROM_WIN32(GetLastError()) : S_OK;
}

HRESULT recorder_double_create(const WCHAR *path, LONG profile, LONG total_sectors,
                               struct recorder_double **out)
{
    HRESULT hr = drive_new(profile, total_sectors, out);

    if (FAILED(hr) || !profile)
        return hr;
    hr = drive_open_file(*out, path, TRUE);
    if (FAILED(hr)) {
        recorder_double_release(*out);
        *out = NULL;
    }
    return hr;
}

HRESULT recorder_double_insert(const WCHAR *path, LONG profile, LONG total_sectors,
                               const struct recorder_session *sessions, ULONG count,
                               struct recorder_double **out)
{
    struct recorder_double *drive;
    HRESULT hr;
    ULONG i;

    if (!path || (count && !sessions) || !out)
        return E_POINTER;
    *out = NULL;
    if (!profile)
        return E_INVALIDARG;
    if (FAILED(hr = drive_new(profile, total_sectors, &drive)))
        return hr;
    for (i = 0; i < count && SUCCEEDED(hr); i++) {
        const struct recorder_session *s = &sessions[i];
        LONG floor = i ? sessions[i - 1].last + 1 : 0;
        if (s->start < floor || s->last < s->start || s->last >= drive->total_sectors ||
            (drive->rewritable && (i > 0 || s->start != 0)))
            hr = E_INVALIDARG;
        else
            hr = add_session(drive, s->start, s->last);
    }
    if (SUCCEEDED(hr))
        hr = drive_open_file(drive, path, FALSE);
    if (FAILED(hr)) {
        recorder_double_release(drive);
        return hr;
    }
    *out = drive;
    return S_OK;
}

ULONG recorder_double_add_ref(struct recorder_double *drive)
{
    return InterlockedIncrement(&drive->ref);
}

ULONG recorder_double_release(struct recorder_double *drive)
{
    ULONG ref = InterlockedDecrement(&drive->ref);
    if (!ref) {
        if (drive->file != INVALID_HANDLE_VALUE)
            CloseHandle(drive->file);
        SysFreeString(drive->exclusive_owner);
        free(drive->sessions);
        free(drive->read_map);
        DeleteCriticalSection(&drive->lock);
        free(drive);
    }
    return ref;
}

IDiscRecorder2 *recorder_double_recorder(struct recorder_double *drive)
{
    return &drive->IDiscRecorder2_iface;
}

IDiscRecorder2Ex *recorder_double_recorder_ex(struct recorder_double *drive)
{
    return &drive->IDiscRecorder2Ex_iface;
}

ULONG recorder_double_session_count(struct recorder_double *drive)
{
    ULONG n;
    EnterCriticalSection(&drive->lock);
    n = drive->session_count;
    LeaveCriticalSection(&drive->lock);
    return n;
}

BOOL recorder_double_session(struct recorder_double *drive, ULONG index,
                             struct recorder_session *out)
{
    BOOL found;
    EnterCriticalSection(&drive->lock);
    found = index < drive->session_count;
    if (found)
        *out = drive->sessions[index];
    LeaveCriticalSection(&drive->lock);
    return found;
}

LONG recorder_double_next_writable_address(struct recorder_double *drive)
{
    LONG next;
    EnterCriticalSection(&drive->lock);
    next = drive->profile && !drive->rewritable && !drive->finalized ? next_writable(drive) : -1;
    LeaveCriticalSection(&drive->lock);
    return next;
}

HRESULT recorder_double_multisession(struct recorder_double *drive, SAFEARRAY **out)
{
    SAFEARRAY *array;
    VARIANT *item;
    IDispatch *object;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!drive->profile)
        return E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    if (drive->rewritable) {
        struct random_write *rw = calloc(1, sizeof(*rw));
        if (!rw)
            return E_OUTOFMEMORY;
        rw->IMultisessionRandomWrite_iface.lpVtbl = &random_write_vtbl;
        rw->ref = 1;
        rw->drive = drive;
        object = (IDispatch *)&rw->IMultisessionRandomWrite_iface;
    } else {
        struct sequential *seq = calloc(1, sizeof(*seq));
        if (!seq)
            return E_OUTOFMEMORY;
        seq->IMultisessionSequential2_iface.lpVtbl = &sequential_vtbl;
        seq->ref = 1;
        seq->drive = drive;
        object = (IDispatch *)&seq->IMultisessionSequential2_iface;
    }
    recorder_double_add_ref(drive);
    if (!(array = SafeArrayCreateVector(VT_VARIANT, 0, 1))) {
        IDispatch_Release(object);
        return E_OUTOFMEMORY;
    }
    SafeArrayAccessData(array, (void **)&item);
    V_VT(item) = VT_DISPATCH;
    V_DISPATCH(item) = object;          /* the array owns the one reference */
    SafeArrayUnaccessData(array);
    *out = array;
    return S_OK;
}

HRESULT recorder_double_write_session(struct recorder_double *drive, IStream *image)
{
    STATSTG stat;
    LONG sectors, start;
    HRESULT hr;

    if (!image)
        return E_POINTER;
    if (!drive->profile)
        return E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    memset(&stat, 0, sizeof(stat));
    if (FAILED(hr = IStream_Stat(image, &stat, STATFLAG_NONAME)))
        return hr;
    if (!stat.cbSize.QuadPart || stat.cbSize.QuadPart % SECTOR ||
        stat.cbSize.QuadPart / SECTOR > 0x7FFFFFFF)
        return E_INVALIDARG;
    sectors = (LONG)(stat.cbSize.QuadPart / SECTOR);
    EnterCriticalSection(&drive->lock);
    start = drive->rewritable ? 0 : next_writable(drive);
    if (!drive->rewritable && drive->finalized)
        hr = E_IMAPI_DF2DATA_INVALID_MEDIA_STATE;
    else if ((LONGLONG)start + sectors > drive->total_sectors)
        hr = E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA;
    else if (FAILED(hr = stream_seek(image, 0)))
        ;
    else if (SUCCEEDED(hr = copy_stream_to_disc(drive, image, start, sectors))) {
        if (drive->rewritable) {
            LONG last = max(last_written(drive), sectors - 1);
            drive->session_count = 0;
            hr = add_session(drive, 0, last);
        } else {
            hr = add_session(drive, start, start + sectors - 1);
        }
    }
    LeaveCriticalSection(&drive->lock);
    return hr;
}

static HRESULT range_bounds(IDispatch *dispatch, LONG *first, LONG *last)
{
    IBlockRange *range = NULL;
    HRESULT hr = IDispatch_QueryInterface(dispatch, &IID_IBlockRange, (void **)&range);
    if (SUCCEEDED(hr))
        hr = IBlockRange_get_StartLba(range, first);
    if (SUCCEEDED(hr))
        hr = IBlockRange_get_EndLba(range, last);
    if (range)
        IBlockRange_Release(range);
    return hr;
}

HRESULT recorder_double_write_ranges(struct recorder_double *drive, IStream *image,
                                     IBlockRangeList *ranges)
{
    SAFEARRAY *array = NULL;
    VARIANT *items = NULL;
    LONG lower = 0, upper = -1, i;
    STATSTG stat;
    HRESULT hr;

    if (!image || !ranges)
        return E_POINTER;
    if (!drive->profile)
        return E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    if (!drive->rewritable)
        return E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED;
    memset(&stat, 0, sizeof(stat));
    if (FAILED(hr = IStream_Stat(image, &stat, STATFLAG_NONAME)))
        return hr;
    if (FAILED(hr = IBlockRangeList_get_BlockRanges(ranges, &array)))
        return hr;
    if (!array || SafeArrayGetDim(array) != 1) {
        if (array)
            SafeArrayDestroy(array);
        return E_INVALIDARG;
    }
    SafeArrayGetLBound(array, 1, &lower);
    SafeArrayGetUBound(array, 1, &upper);
    SafeArrayAccessData(array, (void **)&items);
    EnterCriticalSection(&drive->lock);
    for (i = 0; SUCCEEDED(hr) && i <= upper - lower; i++) {
        LONG first = 0, last = -1;
        if (V_VT(&items[i]) != VT_DISPATCH || !V_DISPATCH(&items[i]))
            hr = E_INVALIDARG;
        else
            hr = range_bounds(V_DISPATCH(&items[i]), &first, &last);
        if (FAILED(hr))
            break;
        if (first < 0 || last < first || last >= drive->total_sectors ||
            (ULONGLONG)(last + 1) * SECTOR > stat.cbSize.QuadPart)
            hr = E_INVALIDARG;
        else if (SUCCEEDED(hr = stream_seek(image, (ULONGLONG)first * SECTOR)))
            hr = copy_stream_to_disc(drive, image, first, last - first + 1);
        if (SUCCEEDED(hr) && last > last_written(drive)) {
            drive->session_count = 0;
            hr = add_session(drive, 0, last);
        }
    }
    LeaveCriticalSection(&drive->lock);
    SafeArrayUnaccessData(array);
    SafeArrayDestroy(array);
    return hr;
}

void recorder_double_finalize(struct recorder_double *drive)
{
    EnterCriticalSection(&drive->lock);
    drive->finalized = TRUE;
    LeaveCriticalSection(&drive->lock);
}

/* ---- The view file ---- */

static inline ULONG le32(const BYTE *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (ULONG)p[3] << 24;
}

/* An ISO 9660 volume descriptor or a UDF volume structure (ECMA-119 8.1, ECMA-167 2/9.1). */
static BOOL is_volume_structure(const BYTE *sector)
{
    static const char ids[][6] = { "CD001", "BEA01", "NSR02", "NSR03", "TEA01", "BOOT2" };
    size_t i;
    for (i = 0; i < ARRAY_SIZE(ids); i++)
        if (!memcmp(sector + 1, ids[i], 5))
            return TRUE;
    return FALSE;
}

/* Whether `sector` holds a UDF descriptor tag `id` (good checksum) recorded for `location`
   (ECMA-167 3/7.2). */
static BOOL has_tag(const BYTE *sector, ULONG id, ULONG location)
{
    unsigned sum = 0, i;
    for (i = 0; i < 16; i++)
        if (i != 4)
            sum += sector[i];
    return (ULONG)(sector[0] | sector[1] << 8) == id && (BYTE)sum == sector[4] &&
           le32(sector + 12) == location;
}

/* A descriptor recorded at another place: its tag location and checksum change (the CRC covers
   only what follows the tag). */
static void move_tag(BYTE *sector, ULONG location)
{
    unsigned sum = 0, i;
    sector[12] = (BYTE)location;
    sector[13] = (BYTE)(location >> 8);
    sector[14] = (BYTE)(location >> 16);
    sector[15] = (BYTE)(location >> 24);
    for (i = 0; i < 16; i++)
        if (i != 4)
            sum += sector[i];
    sector[4] = (BYTE)sum;
}

/* One sector of the disc as a reader gets it (zeros where nothing is written); FALSE if none. */
static BOOL disc_sector(struct recorder_double *drive, LONG lba, BYTE *out)
{
    if (lba < 0 || !sector_written(drive, (ULONGLONG)lba) ||
        FAILED(file_read(drive->file, (LONGLONG)lba * SECTOR, out, SECTOR))) {
        memset(out, 0, SECTOR);
        return FALSE;
    }
    return TRUE;
}

enum { UDF_TAG_ANCHOR = 2, UDF_TAG_PARTITION = 5, UDF_TAG_LOGICAL_VOLUME = 6,
       UDF_TAG_TERMINATOR = 8, UDF_TAG_FILE_SET = 256 };

/*
 * The last session's file set descriptor, when the session's anchor (`anchor`, at S+256) leads
 * to a partition that starts in an earlier session (so readers that take the file set from the
 * partition's first block find the old one there): its sector and the partition's start.
 */
static BOOL last_file_set(struct recorder_double *drive, const BYTE *anchor, LONG session,
                          LONG *fsd, LONG *partition_start)
{
    ULONG length = le32(anchor + 16), location = le32(anchor + 20), i;
    LONG start = -1, lbn = -1;
    BYTE sector[SECTOR];

    for (i = 0; i < length / SECTOR && i < 64; i++) {
        if (!disc_sector(drive, (LONG)(location + i), sector))
            break;
        if (has_tag(sector, UDF_TAG_PARTITION, location + i))
            start = (LONG)le32(sector + 188);           /* partition starting location */
        else if (has_tag(sector, UDF_TAG_LOGICAL_VOLUME, location + i))
            lbn = (LONG)le32(sector + 252);             /* the file set's long_ad block */
        else if (has_tag(sector, UDF_TAG_TERMINATOR, location + i))
            break;
    }
    if (start <= 0 || start >= session || lbn < 0)
        return FALSE;
    *fsd = start + lbn;         /* openfsi maps a metadata partition onto the physical one */
    *partition_start = start;
    return disc_sector(drive, *fsd, sector) && has_tag(sector, UDF_TAG_FILE_SET, (ULONG)lbn);
}

HRESULT recorder_double_write_view(struct recorder_double *drive, const WCHAR *path)
{
    enum { CHUNK = 32, HEAD_FIRST = 16, HEAD_MAX = 16, ANCHOR = 256 };
    BYTE *buffer, sector[SECTOR];
    HANDLE view;
    HRESULT hr = S_OK;
    LONG end, at, start = -1, last = -1, fresh = 0, old = 0, k, fsd = 0, partition = 0;

    if (!path)
        return E_POINTER;
    if (!(buffer = malloc(CHUNK * SECTOR)))
        return E_OUTOFMEMORY;
    view = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (view == INVALID_HANDLE_VALUE) {
        free(buffer);
        return HRESULT_FROM_WIN32(GetLastError());
    }
    EnterCriticalSection(&drive->lock);
    end = last_written(drive) + 1;
    if (drive->session_count) {
        start = drive->sessions[drive->session_count - 1].start;
        last = drive->sessions[drive->session_count - 1].last;
    }
    /* The disc as it is, sector by sector; what no session holds is zeros. */
    for (at = 0; SUCCEEDED(hr) && at < end; at += CHUNK) {
        LONG n = min(CHUNK, end - at);
        hr = file_read(drive->file, (LONGLONG)at * SECTOR, buffer, (ULONG)n * SECTOR);
        for (k = 0; SUCCEEDED(hr) && k < n; k++)
            if (!sector_written(drive, (ULONGLONG)(at + k)))
                memset(buffer + (size_t)k * SECTOR, 0, SECTOR);
        if (SUCCEEDED(hr))
            hr = file_write(view, (LONGLONG)at * SECTOR, buffer, (ULONG)n * SECTOR);
    }
    if (SUCCEEDED(hr) && start > 0) {
        /* The last session's volume descriptors and recognition sequence at 16, over the first
           session's (where there are more old ones, the rest are cleared); never over data. */
        while (fresh < HEAD_MAX && disc_sector(drive, start + HEAD_FIRST + fresh, sector) &&
               start + HEAD_FIRST + fresh <= last && is_volume_structure(sector))
            fresh++;
        while (old < HEAD_MAX && disc_sector(drive, HEAD_FIRST + old, sector) &&
               is_volume_structure(sector))
            old++;
        if (fresh > old)
            hr = E_FAIL;        /* no room at 16 without overwriting the first session's data */
        for (k = 0; SUCCEEDED(hr) && k < old; k++) {
            disc_sector(drive, k < fresh ? start + HEAD_FIRST + k : -1, sector);
            hr = file_write(view, (LONGLONG)(HEAD_FIRST + k) * SECTOR, sector, SECTOR);
        }
        /* UDF: the session's anchor at 256 where the disc has one, and its file set descriptor
           at the partition's first block when the partition began in an earlier session. */
        if (SUCCEEDED(hr) && start + ANCHOR <= last &&
            disc_sector(drive, start + ANCHOR, buffer) &&
            has_tag(buffer, UDF_TAG_ANCHOR, (ULONG)(start + ANCHOR)) &&
            disc_sector(drive, ANCHOR, sector) && has_tag(sector, UDF_TAG_ANCHOR, ANCHOR)) {
            if (last_file_set(drive, buffer, start, &fsd, &partition) &&
                disc_sector(drive, partition, sector) && has_tag(sector, UDF_TAG_FILE_SET, 0)) {
                disc_sector(drive, fsd, sector);
                move_tag(sector, 0);
                hr = file_write(view, (LONGLONG)partition * SECTOR, sector, SECTOR);
            }
            move_tag(buffer, ANCHOR);
            if (SUCCEEDED(hr))
                hr = file_write(view, (LONGLONG)ANCHOR * SECTOR, buffer, SECTOR);
        }
    }
    LeaveCriticalSection(&drive->lock);
    CloseHandle(view);
    free(buffer);
    if (FAILED(hr))
        DeleteFileW(path);
    return hr;
}

void recorder_double_fail_reads(struct recorder_double *drive, LONG first, LONG count)
{
    EnterCriticalSection(&drive->lock);
    if (count <= 0)
        drive->fault_count = 0;
    else if (drive->fault_count < MAX_FAULTS) {
        drive->faults[drive->fault_count].first = first;
        drive->faults[drive->fault_count].count = count;
        drive->fault_count++;
    }
    LeaveCriticalSection(&drive->lock);
}

void recorder_double_set_max_transfer(struct recorder_double *drive, ULONG bytes)
{
    EnterCriticalSection(&drive->lock);
    drive->max_transfer = bytes ? bytes : 1;
    LeaveCriticalSection(&drive->lock);
}

void recorder_double_set_session_gap(struct recorder_double *drive, LONG sectors)
{
    EnterCriticalSection(&drive->lock);
    drive->session_gap = max(sectors, 0);
    LeaveCriticalSection(&drive->lock);
}

void recorder_double_set_supported_profiles(struct recorder_double *drive, const LONG *profiles,
                                            ULONG count)
{
    EnterCriticalSection(&drive->lock);
    drive->supported_count = min(count, MAX_PROFILES);
    memcpy(drive->supported, profiles, drive->supported_count * sizeof(*profiles));
    LeaveCriticalSection(&drive->lock);
}

void recorder_double_get_stats(struct recorder_double *drive, struct recorder_double_stats *out)
{
    EnterCriticalSection(&drive->lock);
    *out = drive->stats;
    LeaveCriticalSection(&drive->lock);
}

void recorder_double_reset_stats(struct recorder_double *drive)
{
    EnterCriticalSection(&drive->lock);
    memset(&drive->stats, 0, sizeof(drive->stats));
    memset(drive->read_map, 0, (size_t)drive->total_sectors / 8 + 1);
    LeaveCriticalSection(&drive->lock);
}

LONG recorder_double_sectors_read(struct recorder_double *drive, LONG first, LONG count)
{
    LONG n = 0, i;
    EnterCriticalSection(&drive->lock);
    for (i = max(first, 0); i < first + count && i < drive->total_sectors; i++)
        if (drive->read_map[i / 8] & (1 << (i % 8)))
            n++;
    LeaveCriticalSection(&drive->lock);
    return n;
}
