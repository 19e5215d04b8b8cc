/*
 * recorder_disc.h: sectors of a disc read with SCSI commands through IDiscRecorder2Ex. Reads go in
 * runs of at most 32 sectors (64 KiB, what every drive transfers at once) and are serialized, as
 * one drive answers one command at a time; a command that comes back with sense data or fewer
 * bytes than asked fails the read. It is not a recorder: it never writes.
 */
#include "module.h"
#include "recorder_disc.h"
#include "imapi2error.h"
#include "imapi2fserror.h"

#define SECTOR 2048
#define RUN_SECTORS 32
#define READ_TIMEOUT 60             /* seconds, for a drive that must spin up first */

struct recorder_disc {
    IUnknown IUnknown_iface;
    LONG ref;
    CRITICAL_SECTION lock;          /* one command at a time */
    IDiscRecorder2Ex *drive;
    IUnknown *previous;
    struct fsi_disc disc;
};

static inline struct recorder_disc *impl_from_IUnknown(IUnknown *iface)
{
    return CONTAINING_RECORD(iface, struct recorder_disc, IUnknown_iface);
}

static HRESULT WINAPI recorder_disc_QueryInterface(IUnknown *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown)) {
        *out = iface;
        IUnknown_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI recorder_disc_AddRef(IUnknown *iface)
{
    return InterlockedIncrement(&impl_from_IUnknown(iface)->ref);
}

static ULONG WINAPI recorder_disc_Release(IUnknown *iface)
{
    struct recorder_disc *disc = impl_from_IUnknown(iface);
    ULONG ref = InterlockedDecrement(&disc->ref);

    if (!ref) {
        IDiscRecorder2Ex_Release(disc->drive);
        if (disc->previous)
            IUnknown_Release(disc->previous);
        DeleteCriticalSection(&disc->lock);
        HeapFree(GetProcessHeap(), 0, disc);
        module_unlock();
    }
    return ref;
}

static const IUnknownVtbl recorder_disc_vtbl = {
    recorder_disc_QueryInterface,
    recorder_disc_AddRef,
    recorder_disc_Release,
};

static void put_be32(BYTE *p, ULONG value)
{
    p[0] = (BYTE)(value >> 24);
    p[1] = (BYTE)(value >> 16);
    p[2] = (BYTE)(value >> 8);
    p[3] = (BYTE)value;
}

static ULONG get_be32(const BYTE *p)
{
    return (ULONG)p[0] << 24 | (ULONG)p[1] << 16 | (ULONG)p[2] << 8 | p[3];
}

/* One command that fetches exactly `size` bytes; S_OK or a failure. */
static HRESULT fetch(IDiscRecorder2Ex *drive, BYTE *cdb, ULONG cdb_size, BYTE *buffer,
                     ULONG size)
{
    BYTE sense[18];
    ULONG fetched = 0;
    HRESULT hr;

    memset(sense, 0, sizeof(sense));
    hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(drive, cdb, cdb_size, sense, READ_TIMEOUT,
                                                       buffer, size, &fetched);
    if (hr == S_IMAPI_COMMAND_HAS_SENSE_DATA)
        return IMAPI_E_IMPORT_READ_FAILURE;
    if (FAILED(hr))
        return hr;
    return fetched == size ? S_OK : IMAPI_E_IMPORT_READ_FAILURE;
}

/* READ(10) for runs the 16-bit transfer length holds (all of ours), READ(12) beyond. */
static HRESULT read_sectors(IDiscRecorder2Ex *drive, ULONG first, ULONG count, BYTE *buffer)
{
    BYTE cdb[12];

    memset(cdb, 0, sizeof(cdb));
    if (count <= 0xFFFF) {
        cdb[0] = 0x28;
        put_be32(cdb + 2, first);
        cdb[7] = (BYTE)(count >> 8);
        cdb[8] = (BYTE)count;
        return fetch(drive, cdb, 10, buffer, count * SECTOR);
    }
    cdb[0] = 0xA8;
    put_be32(cdb + 2, first);
    put_be32(cdb + 6, count);
    return fetch(drive, cdb, 12, buffer, count * SECTOR);
}

static enum fsi_status recorder_disc_read(void *context, uint32_t first, uint32_t count,
                                          void *buffer)
{
    struct recorder_disc *disc = context;
    BYTE *out = buffer;
    HRESULT hr = S_OK;

    EnterCriticalSection(&disc->lock);
    while (count && SUCCEEDED(hr)) {
        ULONG run = count < RUN_SECTORS ? count : RUN_SECTORS;
        hr = read_sectors(disc->drive, first, run, out);
        first += run;
        count -= run;
        out += (size_t)run * SECTOR;
    }
    LeaveCriticalSection(&disc->lock);
    return SUCCEEDED(hr) ? FSI_OK : FSI_E_DISC_READ;
}

HRESULT recorder_disc_create(IDiscRecorder2 *recorder, ULONG sector_count, IUnknown *previous,
                             struct recorder_disc **out)
{
    struct recorder_disc *disc;
    IDiscRecorder2Ex *drive = NULL;

    *out = NULL;
    if (FAILED(IDiscRecorder2_QueryInterface(recorder, &IID_IDiscRecorder2Ex, (void **)&drive)) ||
        !drive)
        return IMAPI_E_BAD_MULTISESSION_PARAMETER;
    disc = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*disc));
    if (!disc) {
        IDiscRecorder2Ex_Release(drive);
        return E_OUTOFMEMORY;
    }
    disc->IUnknown_iface.lpVtbl = &recorder_disc_vtbl;
    disc->ref = 1;
    InitializeCriticalSection(&disc->lock);
    disc->drive = drive;
    disc->previous = previous;
    if (previous)
        IUnknown_AddRef(previous);
    disc->disc.read = recorder_disc_read;
    disc->disc.context = disc;
    disc->disc.sector_count = sector_count;
    module_lock();
    *out = disc;
    return S_OK;
}

const struct fsi_disc *recorder_disc_fsi(struct recorder_disc *disc)
{
    return &disc->disc;
}

IUnknown *recorder_disc_unknown(struct recorder_disc *disc)
{
    return &disc->IUnknown_iface;
}

HRESULT recorder_read_capacity(IDiscRecorder2Ex *drive, ULONG *sectors)
{
    BYTE cdb[10], data[8];
    HRESULT hr;

    *sectors = 0;
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x25;
    hr = fetch(drive, cdb, sizeof(cdb), data, sizeof(data));
    if (SUCCEEDED(hr))
        *sectors = get_be32(data) + 1;
    return hr;
}

ULONG recorder_last_session_start(IDiscRecorder2Ex *drive)
{
    BYTE cdb[10], data[12];

    /* READ TOC/PMA/ATIP, format 1 (MMC-6 6.40.3.3): the first track of the last session. */
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x43;
    cdb[2] = 0x01;
    cdb[8] = sizeof(data);
    if (FAILED(fetch(drive, cdb, sizeof(cdb), data, sizeof(data))))
        return 0;
    return get_be32(data + 8);
}

int recorder_disc_is_blank(IDiscRecorder2Ex *drive)
{
    BYTE cdb[10], data[34];

    /* READ DISC INFORMATION (MMC-6 6.22): disc status 0 is an empty disc. */
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x51;
    cdb[8] = sizeof(data);
    if (FAILED(fetch(drive, cdb, sizeof(cdb), data, sizeof(data))))
        return 0;
    return (data[2] & 0x03) == 0;
}
