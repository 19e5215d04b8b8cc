/*
 * The recorder test double itself (recorder_double.h), before the import tests rely on it: READ(10)
 * and READ(12) give the image file's bytes, reads outside the written sectors and injected faults
 * give CHECK CONDITION with the right sense data, READ CAPACITY / READ TOC / READ DISC
 * INFORMATION describe the sessions, the multisession objects report the addresses a drive would,
 * writing sessions updates the table of contents and the next writable address, and the view
 * file carries the last session's descriptors at sectors 16 and 256.
 */
#include "fsi_test_util.h"
#include "recorder_double.h"

#define SECTOR 2048

static WCHAR folder[MAX_PATH];

static int setup(void **state)
{
    if (com_test_setup_sta(state))
        return -1;
    fsi_test_temp_folder(folder, L"recorder-double");
    return 0;
}

static int teardown(void **state)
{
    fsi_test_remove_folder(folder);
    return com_test_teardown(state);
}

static void path_in_folder(WCHAR path[MAX_PATH], const WCHAR *name)
{
    _snwprintf(path, MAX_PATH, L"%ls\\%ls", folder, name);
}

/* The byte at `offset` of a stream made by fsi_test_stream(..., seed). */
static BYTE session_byte(size_t offset, unsigned seed)
{
    return fsi_test_pattern(offset, seed);
}

/* Whether `data` (`sectors` sectors) is sectors `first`.. of the session of `seed`. */
static int is_session_data(const BYTE *data, ULONG sectors, ULONG first, unsigned seed)
{
    size_t i;
    for (i = 0; i < (size_t)sectors * SECTOR; i++)
        if (data[i] != session_byte((size_t)first * SECTOR + i, seed))
            return 0;
    return 1;
}

static int is_zero(const BYTE *data, size_t size)
{
    size_t i;
    for (i = 0; i < size; i++)
        if (data[i])
            return 0;
    return 1;
}

static struct recorder_double *new_drive(const WCHAR *name, LONG profile, LONG total)
{
    struct recorder_double *drive = NULL;
    WCHAR path[MAX_PATH];

    path_in_folder(path, name);
    assert_hr(S_OK, recorder_double_create(path, profile, total, &drive));
    assert_non_null(drive);
    return drive;
}

/* Writes a session of `sectors` sectors of the pattern of `seed`. */
static HRESULT write_session(struct recorder_double *drive, ULONG sectors, unsigned seed)
{
    IStream *stream = fsi_test_stream((size_t)sectors * SECTOR, seed);
    HRESULT hr = recorder_double_write_session(drive, stream);
    IStream_Release(stream);
    return hr;
}

static HRESULT read10(struct recorder_double *drive, ULONG lba, ULONG count, BYTE *buffer,
                      ULONG size, ULONG *fetched, BYTE sense[18])
{
    BYTE cdb[10] = { 0x28 };
    cdb[2] = (BYTE)(lba >> 24); cdb[3] = (BYTE)(lba >> 16); cdb[4] = (BYTE)(lba >> 8);
    cdb[5] = (BYTE)lba;
    cdb[7] = (BYTE)(count >> 8); cdb[8] = (BYTE)count;
    return IDiscRecorder2Ex_SendCommandGetDataFromDevice(recorder_double_recorder_ex(drive), cdb,
                                                         sizeof(cdb), sense, 10, buffer, size,
                                                         fetched);
}

static HRESULT read12(struct recorder_double *drive, ULONG lba, ULONG count, BYTE *buffer,
                      ULONG size, ULONG *fetched, BYTE sense[18])
{
    BYTE cdb[12] = { 0xA8 };
    cdb[2] = (BYTE)(lba >> 24); cdb[3] = (BYTE)(lba >> 16); cdb[4] = (BYTE)(lba >> 8);
    cdb[5] = (BYTE)lba;
    cdb[6] = (BYTE)(count >> 24); cdb[7] = (BYTE)(count >> 16); cdb[8] = (BYTE)(count >> 8);
    cdb[9] = (BYTE)count;
    return IDiscRecorder2Ex_SendCommandGetDataFromDevice(recorder_double_recorder_ex(drive), cdb,
                                                         sizeof(cdb), sense, 10, buffer, size,
                                                         fetched);
}

static void assert_sense(const BYTE sense[18], BYTE key, BYTE asc, int info_valid, ULONG info)
{
    assert_int_equal(sense[0] & 0x7F, 0x70);
    assert_int_equal(!!(sense[0] & 0x80), !!info_valid);
    assert_int_equal(RECORDER_SENSE_KEY(sense), key);
    assert_int_equal(sense[7], 10);
    assert_int_equal(RECORDER_SENSE_ASC(sense), asc);
    assert_int_equal(RECORDER_SENSE_ASCQ(sense), 0);
    if (info_valid)
        assert_int_equal(RECORDER_SENSE_INFORMATION(sense), info);
}

/* The object in a one-element multisession array, as `riid` (NULL if it does not answer it). */
static void *multisession_object(SAFEARRAY *array, REFIID riid)
{
    LONG lower = -1, upper = -1, index = 0;
    VARIANT item;
    void *object = NULL;

    assert_int_equal(SafeArrayGetDim(array), 1);
    assert_hr(S_OK, SafeArrayGetLBound(array, 1, &lower));
    assert_hr(S_OK, SafeArrayGetUBound(array, 1, &upper));
    assert_int_equal(lower, 0);
    assert_int_equal(upper, 0);
    VariantInit(&item);
    assert_hr(S_OK, SafeArrayGetElement(array, &index, &item));
    assert_int_equal(V_VT(&item), VT_DISPATCH);
    if (FAILED(IDispatch_QueryInterface(V_DISPATCH(&item), riid, &object)))
        object = NULL;
    VariantClear(&item);
    return object;
}

static IMultisessionSequential2 *sequential_of(struct recorder_double *drive)
{
    SAFEARRAY *array = NULL;
    IMultisessionSequential2 *object;

    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    object = multisession_object(array, &IID_IMultisessionSequential2);
    assert_non_null(object);
    SafeArrayDestroy(array);
    return object;
}

struct sequential_state {
    VARIANT_BOOL supported, first;
    LONG start, last, next, free, unit;
};

static void assert_sequential(IMultisessionSequential2 *ms, const struct sequential_state *want)
{
    VARIANT_BOOL b = 7;
    LONG v = 12345;

    assert_hr(S_OK, IMultisessionSequential2_get_IsSupportedOnCurrentMediaState(ms, &b));
    assert_int_equal(b, want->supported);
    assert_hr(S_OK, IMultisessionSequential2_get_IsFirstDataSession(ms, &b));
    assert_int_equal(b, want->first);
    assert_hr(S_OK, IMultisessionSequential2_get_StartAddressOfPreviousSession(ms, &v));
    assert_int_equal(v, want->start);
    assert_hr(S_OK, IMultisessionSequential2_get_LastWrittenAddressOfPreviousSession(ms, &v));
    assert_int_equal(v, want->last);
    assert_hr(S_OK, IMultisessionSequential2_get_NextWritableAddress(ms, &v));
    assert_int_equal(v, want->next);
    assert_hr(S_OK, IMultisessionSequential2_get_FreeSectorsOnMedia(ms, &v));
    assert_int_equal(v, want->free);
    assert_hr(S_OK, IMultisessionSequential2_get_WriteUnitSize(ms, &v));
    assert_int_equal(v, want->unit);
}

/* ---- Reads ---- */

static void test_read10_and_read12_return_the_sectors_of_the_image_file(void **state)
{
    struct recorder_double *drive = new_drive(L"reads.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0);
    struct recorder_double_stats stats;
    BYTE buffer[8 * SECTOR], sense[18];
    ULONG fetched = 99;
    (void)state;

    assert_hr(S_OK, write_session(drive, 40, 3));
    recorder_double_reset_stats(drive);

    memset(sense, 0xCC, sizeof(sense));
    assert_hr(S_OK, read10(drive, 5, 3, buffer, sizeof(buffer), &fetched, sense));
    assert_int_equal(fetched, 3 * SECTOR);
    assert_true(is_session_data(buffer, 3, 5, 3));
    assert_int_equal(sense[0], 0);          /* no sense data after success */

    fetched = 99;
    assert_hr(S_OK, read12(drive, 39, 1, buffer, SECTOR, &fetched, sense));
    assert_int_equal(fetched, SECTOR);
    assert_true(is_session_data(buffer, 1, 39, 3));
    assert_hr(S_OK, read12(drive, 0, 8, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 8, 0, 3));

    /* Transfer length 0 transfers nothing and is not an error. */
    fetched = 99;
    assert_hr(S_OK, read10(drive, 2, 0, buffer, sizeof(buffer), &fetched, sense));
    assert_int_equal(fetched, 0);

    recorder_double_get_stats(drive, &stats);
    assert_int_equal(stats.read_commands, 4);
    assert_int_equal(stats.failed_reads, 0);
    assert_int_equal(stats.sectors_read, 3 + 1 + 8);
    assert_int_equal(recorder_double_sectors_read(drive, 0, 40), 9);   /* 0..7 and 39 */
    assert_int_equal(recorder_double_sectors_read(drive, 8, 31), 0);
    assert_int_equal(recorder_double_sectors_read(drive, 39, 1), 1);
    recorder_double_release(drive);
}

static void test_reads_outside_the_written_sectors_fail_with_lba_out_of_range(void **state)
{
    struct recorder_double *drive = new_drive(L"range.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0);
    struct recorder_double_stats stats;
    BYTE buffer[4 * SECTOR], sense[18];
    ULONG fetched = 99;
    (void)state;

    /* Blank media: nothing can be read. */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 0, 1, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 0);
    assert_int_equal(fetched, 0);

    assert_hr(S_OK, write_session(drive, 20, 1));       /* sectors 0..19 */
    assert_hr(S_OK, write_session(drive, 20, 2));       /* 48..67 after rounding and the gap */
    assert_int_equal(recorder_double_next_writable_address(drive), 96);

    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 20, 1, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 20);
    /* A read running off the end of a session names the first sector that is not there. */
    fetched = 99;
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read12(drive, 18, 4, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 20);
    assert_int_equal(fetched, 0);
    /* The gap between the sessions, the end of the last one, far beyond, the largest LBA. */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 47, 2, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 47);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 66, 3, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 68);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read12(drive, 3000000, 1, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 3000000);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read12(drive, 0xFFFFFFFF, 1, buffer,
                                                     sizeof(buffer), &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 0xFFFFFFFF);

    assert_hr(S_OK, read10(drive, 48, 2, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 2, 0, 2));
    recorder_double_get_stats(drive, &stats);
    assert_int_equal(stats.read_commands, 8);
    assert_int_equal(stats.failed_reads, 7);
    assert_int_equal(stats.sectors_read, 2);
    recorder_double_release(drive);
}

static void test_bad_commands_and_buffers_are_refused(void **state)
{
    struct recorder_double *drive = new_drive(L"args.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0);
    IDiscRecorder2Ex *ex = recorder_double_recorder_ex(drive);
    BYTE cdb[12] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1 }, buffer[4 * SECTOR], sense[18];
    BYTE unknown[10] = { 0x5C }, tur[6] = { 0x00 };
    ULONG fetched = 99, value = 0;
    (void)state;

    assert_hr(S_OK, write_session(drive, 16, 1));
    assert_hr(E_POINTER, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, NULL, 10, sense, 10,
                                                                       buffer, SECTOR, &fetched));
    assert_hr(E_POINTER, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 10, NULL, 10,
                                                                       buffer, SECTOR, &fetched));
    assert_hr(E_POINTER, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 10, sense, 10,
                                                                       NULL, SECTOR, &fetched));
    assert_hr(E_POINTER, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 10, sense, 10,
                                                                       buffer, SECTOR, NULL));
    /* CdbSize outside 6..16, shorter than the command, BufferSize 0. */
    assert_hr(E_INVALIDARG, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 5, sense, 10,
                                                                          buffer, SECTOR, &fetched));
    assert_hr(E_INVALIDARG, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 17, sense, 10,
                                                                          buffer, SECTOR, &fetched));
    assert_hr(E_INVALIDARG, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 6, sense, 10,
                                                                          buffer, SECTOR, &fetched));
    assert_hr(E_INVALIDARG, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 10, sense, 10,
                                                                          buffer, 0, &fetched));
    /* A buffer smaller than the transfer, and one larger than the adapter can take. */
    fetched = 99;
    assert_hr(E_INVALIDARG, read10(drive, 0, 2, buffer, 2 * SECTOR - 1, &fetched, sense));
    assert_int_equal(fetched, 0);
    assert_hr(S_OK, IDiscRecorder2Ex_GetMaximumPageAlignedTransferSize(ex, &value));
    assert_int_equal(value, 128 * 1024);
    recorder_double_set_max_transfer(drive, 2 * SECTOR);
    assert_hr(S_OK, IDiscRecorder2Ex_GetMaximumNonPageAlignedTransferSize(ex, &value));
    assert_int_equal(value, 2 * SECTOR);
    assert_hr(E_INVALIDARG, read10(drive, 0, 1, buffer, 3 * SECTOR, &fetched, sense));
    assert_hr(S_OK, read10(drive, 0, 2, buffer, 2 * SECTOR, &fetched, sense));
    assert_int_equal(fetched, 2 * SECTOR);

    /* An operation code the double does not know: INVALID COMMAND OPERATION CODE. */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, unknown, 10, sense, 10, buffer,
                                                            SECTOR, &fetched));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x20, 0, 0);
    assert_hr(S_OK, IDiscRecorder2Ex_SendCommandNoData(ex, tur, 6, sense, 10));
    assert_hr(E_NOTIMPL, IDiscRecorder2Ex_SendCommandSendDataToDevice(ex, tur, 6, sense, 10,
                                                                      buffer, SECTOR));
    recorder_double_release(drive);
}

static void test_a_drive_without_a_disc_is_not_ready(void **state)
{
    struct recorder_double *drive = NULL;
    BYTE buffer[SECTOR], sense[18], tur[6] = { 0x00 };
    SAFEARRAY *array = (SAFEARRAY *)1;
    ULONG fetched = 99;
    (void)state;

    assert_hr(S_OK, recorder_double_create(NULL, 0, 0, &drive));
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 0, 1, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_NOT_READY, 0x3A, 0, 0);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA,
              IDiscRecorder2Ex_SendCommandNoData(recorder_double_recorder_ex(drive), tur, 6,
                                                 sense, 10));
    assert_sense(sense, RECORDER_SENSE_NOT_READY, 0x3A, 0, 0);
    assert_hr(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, recorder_double_multisession(drive, &array));
    assert_null(array);
    assert_hr(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, write_session(drive, 16, 1));
    recorder_double_release(drive);
    assert_hr(E_INVALIDARG, recorder_double_create(NULL, 0x09 /* CD-R: not modelled */, 0,
                                                   &drive));
}

static void test_injected_faults_fail_with_a_medium_error(void **state)
{
    struct recorder_double *drive = new_drive(L"faults.img", IMAPI_PROFILE_TYPE_BD_R_SEQUENTIAL, 0);
    struct recorder_double_stats stats;
    BYTE buffer[4 * SECTOR], sense[18];
    ULONG fetched = 99;
    (void)state;

    assert_hr(S_OK, write_session(drive, 32, 5));
    recorder_double_fail_reads(drive, 10, 3);
    recorder_double_reset_stats(drive);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 8, 4, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_MEDIUM_ERROR, 0x11, 1, 10);
    assert_int_equal(fetched, 0);
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read12(drive, 12, 1, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_MEDIUM_ERROR, 0x11, 1, 12);
    assert_hr(S_OK, read10(drive, 13, 4, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 4, 13, 5));
    recorder_double_get_stats(drive, &stats);
    assert_int_equal(stats.read_commands, 3);
    assert_int_equal(stats.failed_reads, 2);
    assert_int_equal(stats.sectors_read, 4);
    assert_int_equal(recorder_double_sectors_read(drive, 8, 5), 0);   /* failed reads count none */

    recorder_double_fail_reads(drive, 0, 0);
    assert_hr(S_OK, read10(drive, 8, 4, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 4, 8, 5));
    recorder_double_release(drive);
}

/* ---- The disc's description ---- */

static HRESULT get_data(struct recorder_double *drive, const BYTE *cdb, ULONG cdb_size,
                        BYTE *buffer, ULONG size, ULONG *fetched, BYTE sense[18])
{
    BYTE copy[16];
    memcpy(copy, cdb, cdb_size);
    return IDiscRecorder2Ex_SendCommandGetDataFromDevice(recorder_double_recorder_ex(drive), copy,
                                                         cdb_size, sense, 10, buffer, size,
                                                         fetched);
}

static ULONG be32_at(const BYTE *p)
{
    return (ULONG)p[0] << 24 | (ULONG)p[1] << 16 | (ULONG)p[2] << 8 | p[3];
}

static void test_capacity_toc_and_disc_information_describe_the_sessions(void **state)
{
    static const BYTE capacity[10] = { 0x25 };
    static const BYTE session_info[10] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 12 };
    static const BYTE session_info_msf[10] = { 0x43, 2, 1, 0, 0, 0, 0, 0, 12 };
    static const BYTE toc[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 100 };
    static const BYTE toc_short[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 4 };
    static const BYTE disc_info[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34 };
    static const BYTE inquiry[6] = { 0x12, 0, 0, 0, 36 };
    struct recorder_double *drive = new_drive(L"toc.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 1000);
    BYTE data[200], sense[18];
    ULONG fetched = 0;
    (void)state;

    /* Blank: no TOC, an empty disc. */
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, get_data(drive, session_info, 10, data,
                                                       sizeof(data), &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x24, 0, 0);
    assert_hr(S_OK, get_data(drive, disc_info, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(fetched, 34);
    assert_int_equal(data[2] & 0x03, 0);                /* empty */
    assert_int_equal(data[4], 1);

    assert_hr(S_OK, write_session(drive, 100, 1));      /* 0..99 */
    assert_hr(S_OK, write_session(drive, 30, 2));       /* 128..157 */

    assert_hr(S_OK, get_data(drive, capacity, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(fetched, 8);
    assert_int_equal(be32_at(data), 157);
    assert_int_equal(be32_at(data + 4), 2048);

    assert_hr(S_OK, get_data(drive, session_info, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(fetched, 12);
    assert_int_equal(data[0] << 8 | data[1], 10);
    assert_int_equal(data[2], 1);                       /* first and last complete session */
    assert_int_equal(data[3], 2);
    assert_int_equal(data[5], 0x14);
    assert_int_equal(data[6], 2);                       /* its first track */
    assert_int_equal(be32_at(data + 8), 128);
    assert_hr(S_OK, get_data(drive, session_info_msf, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(data[9], 0);                       /* 128 + 150 frames = 00:03:53 */
    assert_int_equal(data[10], 3);
    assert_int_equal(data[11], 53);

    assert_hr(S_OK, get_data(drive, toc, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(fetched, 4 + 3 * 8);
    assert_int_equal(data[3], 2);
    assert_int_equal(data[4 + 2], 1);
    assert_int_equal(be32_at(data + 4 + 4), 0);
    assert_int_equal(data[12 + 2], 2);
    assert_int_equal(be32_at(data + 12 + 4), 128);
    assert_int_equal(data[20 + 2], 0xAA);
    assert_int_equal(be32_at(data + 20 + 4), 158);
    /* The allocation length cuts the answer short; the length field still tells it all. */
    assert_hr(S_OK, get_data(drive, toc_short, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(fetched, 4);
    assert_int_equal(data[0] << 8 | data[1], 2 + 3 * 8);

    assert_hr(S_OK, get_data(drive, disc_info, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(data[2] & 0x03, 1);                /* incomplete: appendable */
    assert_int_equal(data[2] >> 2 & 0x03, 0);           /* the last (open) session is empty */
    assert_int_equal(data[4], 3);                       /* two closed sessions and the open one */
    assert_int_equal(be32_at(data + 16), 176);          /* where the next one starts */
    assert_int_equal(be32_at(data + 20), 1000);
    recorder_double_finalize(drive);
    assert_hr(S_OK, get_data(drive, disc_info, 10, data, sizeof(data), &fetched, sense));
    assert_int_equal(data[2] & 0x03, 2);
    assert_int_equal(data[4], 2);

    assert_hr(S_OK, get_data(drive, inquiry, 6, data, sizeof(data), &fetched, sense));
    assert_int_equal(fetched, 36);
    assert_int_equal(data[0], 0x05);
    assert_memory_equal(data + 8, "OPENFSI ", 8);
    recorder_double_release(drive);
}

static void test_the_recorder_reports_profiles_and_names(void **state)
{
    static const LONG writer[] = { 0x08, 0x1B, 0x41 };
    struct recorder_double *drive = new_drive(L"names.img", IMAPI_PROFILE_TYPE_BD_REWRITABLE, 0);
    IDiscRecorder2 *recorder = recorder_double_recorder(drive);
    IDiscRecorder2Ex *ex = NULL;
    IDiscRecorder2 *back = NULL;
    IMAPI_PROFILE_TYPE *profiles = NULL;
    SAFEARRAY *array = NULL;
    VARIANT item;
    ULONG count = 0;
    LONG index = 0, upper = -1;
    BSTR text = NULL;
    (void)state;

    assert_hr(S_OK, IDiscRecorder2_QueryInterface(recorder, &IID_IDiscRecorder2Ex, (void **)&ex));
    assert_ptr_equal(ex, recorder_double_recorder_ex(drive));
    assert_hr(S_OK, IDiscRecorder2Ex_QueryInterface(ex, &IID_IDiscRecorder2, (void **)&back));
    assert_ptr_equal(back, recorder);
    IDiscRecorder2_Release(back);
    IDiscRecorder2Ex_Release(ex);

    assert_hr(S_OK, IDiscRecorder2_get_CurrentProfiles(recorder, &array));
    assert_hr(S_OK, SafeArrayGetUBound(array, 1, &upper));
    assert_int_equal(upper, 0);
    VariantInit(&item);
    assert_hr(S_OK, SafeArrayGetElement(array, &index, &item));
    assert_int_equal(V_VT(&item), VT_I4);
    assert_int_equal(V_I4(&item), IMAPI_PROFILE_TYPE_BD_REWRITABLE);
    SafeArrayDestroy(array);

    recorder_double_set_supported_profiles(drive, writer, ARRAY_SIZE(writer));
    assert_hr(S_OK, IDiscRecorder2_get_SupportedProfiles(recorder, &array));
    assert_hr(S_OK, SafeArrayGetUBound(array, 1, &upper));
    assert_int_equal(upper, 2);
    index = 2;
    assert_hr(S_OK, SafeArrayGetElement(array, &index, &item));
    assert_int_equal(V_I4(&item), 0x41);
    SafeArrayDestroy(array);
    assert_hr(S_OK, IDiscRecorder2Ex_GetSupportedProfiles(recorder_double_recorder_ex(drive), 0,
                                                          &profiles, &count));
    assert_int_equal(count, 3);
    assert_int_equal(profiles[1], 0x1B);
    CoTaskMemFree(profiles);

    assert_hr(S_OK, IDiscRecorder2_get_VendorId(recorder, &text));
    assert_int_equal(lstrcmpW(text, L"OPENFSI"), 0);
    SysFreeString(text);
    assert_hr(S_OK, IDiscRecorder2_get_ProductId(recorder, &text));
    assert_int_equal(lstrcmpW(text, L"RECORDER DOUBLE"), 0);
    SysFreeString(text);
    assert_hr(S_OK, IDiscRecorder2_get_ActiveDiscRecorder(recorder, &text));
    assert_non_null(wcsstr(text, L"ven_openfsi"));
    SysFreeString(text);
    assert_hr(E_POINTER, IDiscRecorder2_get_VolumeName(recorder, NULL));
    assert_hr(E_NOTIMPL, IDiscRecorder2_EjectMedia(recorder));
    recorder_double_release(drive);
}

/* ---- Multisession objects and sessions ---- */

static void test_sequential_multisession_reports_the_addresses(void **state)
{
    struct recorder_double *drive = new_drive(L"seq.img", IMAPI_PROFILE_TYPE_DVD_DASH_RECORDABLE,
                                              10000);
    IMultisessionSequential2 *ms = sequential_of(drive);
    IDiscRecorder2 *import = NULL;
    IDiscRecorder2Ex *ex = NULL;
    struct sequential_state want;
    VARIANT_BOOL in_use = 7;
    BYTE buffer[SECTOR], sense[18], cdb[10] = { 0x28, 0, 0, 0, 0, 128, 0, 0, 1 };
    ULONG fetched = 0;
    (void)state;

    /* Blank: nothing to import, the first session starts at 0. */
    want.supported = VARIANT_FALSE;
    want.first = VARIANT_TRUE;
    want.start = -1;
    want.last = -1;
    want.next = 0;
    want.free = 10000;
    want.unit = 16;
    assert_sequential(ms, &want);
    assert_hr(S_OK, IMultisessionSequential2_get_InUse(ms, &in_use));
    assert_int_equal(in_use, VARIANT_FALSE);
    assert_hr(S_OK, IMultisessionSequential2_put_InUse(ms, VARIANT_TRUE));
    assert_hr(S_OK, IMultisessionSequential2_get_InUse(ms, &in_use));
    assert_int_equal(in_use, VARIANT_TRUE);
    assert_hr(E_POINTER, IMultisessionSequential2_get_NextWritableAddress(ms, NULL));

    /* The objects read the drive when asked: after a session they tell the new state. */
    assert_hr(S_OK, write_session(drive, 100, 1));
    want.supported = VARIANT_TRUE;
    want.first = VARIANT_FALSE;
    want.start = 0;
    want.last = 99;
    want.next = 128;            /* 100 rounded up to 112, then the gap of 16 */
    want.free = 10000 - 128;
    assert_sequential(ms, &want);
    assert_hr(S_OK, write_session(drive, 17, 2));
    want.start = 128;
    want.last = 144;
    want.next = 176;
    want.free = 10000 - 176;
    assert_sequential(ms, &want);

    /* The import recorder is the drive; it outlives the caller's own reference. */
    assert_hr(S_OK, IMultisessionSequential2_get_ImportRecorder(ms, &import));
    recorder_double_release(drive);
    assert_hr(S_OK, IDiscRecorder2_QueryInterface(import, &IID_IDiscRecorder2Ex, (void **)&ex));
    assert_hr(S_OK, IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, 10, sense, 10, buffer,
                                                                  SECTOR, &fetched));
    assert_true(is_session_data(buffer, 1, 0, 2));
    IDiscRecorder2Ex_Release(ex);
    IDiscRecorder2_Release(import);
    IMultisessionSequential2_Release(ms);
}

static void test_bd_r_write_unit_and_a_finalized_disc(void **state)
{
    struct recorder_double *drive = new_drive(L"bdr.img", IMAPI_PROFILE_TYPE_BD_R_SEQUENTIAL, 5000);
    IMultisessionSequential2 *ms;
    struct sequential_state want;
    SAFEARRAY *array = NULL;
    (void)state;

    recorder_double_set_session_gap(drive, 0);
    assert_hr(S_OK, write_session(drive, 33, 1));
    ms = sequential_of(drive);
    want.supported = VARIANT_TRUE;
    want.first = VARIANT_FALSE;
    want.start = 0;
    want.last = 32;
    want.next = 64;             /* 33 rounded up to the BD write unit of 32 */
    want.free = 5000 - 64;
    want.unit = 32;
    assert_sequential(ms, &want);
    recorder_double_finalize(drive);
    want.supported = VARIANT_FALSE;
    want.free = 0;
    assert_sequential(ms, &want);
    assert_hr(E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, write_session(drive, 16, 2));
    assert_int_equal(recorder_double_session_count(drive), 1);
    /* A sequential disc answers no IMultisessionRandomWrite. */
    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    assert_null(multisession_object(array, &IID_IMultisessionRandomWrite));
    SafeArrayDestroy(array);
    IMultisessionSequential2_Release(ms);
    recorder_double_release(drive);
}

static void test_writing_sessions_updates_the_toc_and_the_next_writable_address(void **state)
{
    struct recorder_double *drive = new_drive(L"two.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 400);
    struct recorder_session session;
    struct recorder_double_stats stats;
    BYTE buffer[2 * SECTOR], sense[18];
    IStream *odd;
    ULONG fetched = 0;
    (void)state;

    assert_int_equal(recorder_double_session_count(drive), 0);
    assert_int_equal(recorder_double_next_writable_address(drive), 0);
    assert_hr(S_OK, write_session(drive, 100, 1));
    assert_int_equal(recorder_double_session_count(drive), 1);
    assert_true(recorder_double_session(drive, 0, &session));
    assert_int_equal(session.start, 0);
    assert_int_equal(session.last, 99);
    assert_int_equal(recorder_double_next_writable_address(drive), 128);

    assert_hr(S_OK, write_session(drive, 50, 2));
    assert_int_equal(recorder_double_session_count(drive), 2);
    assert_true(recorder_double_session(drive, 1, &session));
    assert_int_equal(session.start, 128);
    assert_int_equal(session.last, 177);
    assert_false(recorder_double_session(drive, 2, &session));
    assert_int_equal(recorder_double_next_writable_address(drive), 208);
    recorder_double_get_stats(drive, &stats);
    assert_int_equal(stats.sectors_written, 150);

    /* Each session's sectors are where the TOC says, the first session untouched. */
    assert_hr(S_OK, read10(drive, 128, 1, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 1, 0, 2));
    assert_hr(S_OK, read10(drive, 98, 2, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 2, 98, 1));

    /* Too large for what is left (400 - 208), not whole sectors, empty. */
    assert_hr(E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA, write_session(drive, 193, 3));
    odd = fsi_test_stream(SECTOR + 1, 4);
    assert_hr(E_INVALIDARG, recorder_double_write_session(drive, odd));
    IStream_Release(odd);
    assert_hr(E_INVALIDARG, write_session(drive, 0, 4));
    assert_hr(E_POINTER, recorder_double_write_session(drive, NULL));
    assert_int_equal(recorder_double_session_count(drive), 2);
    assert_hr(S_OK, write_session(drive, 192, 3));      /* exactly what is left */
    assert_int_equal(recorder_double_session_count(drive), 3);
    recorder_double_release(drive);
}

static void test_a_disc_can_be_inserted_with_its_sessions(void **state)
{
    struct recorder_double *drive = new_drive(L"insert.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0);
    struct recorder_session sessions[2], bad[2] = { { 0, 20 }, { 10, 30 } };
    struct recorder_double *again = NULL;
    BYTE buffer[SECTOR], sense[18];
    ULONG fetched = 0;
    WCHAR path[MAX_PATH];
    (void)state;

    assert_hr(S_OK, write_session(drive, 20, 1));
    assert_hr(S_OK, write_session(drive, 20, 2));
    assert_true(recorder_double_session(drive, 0, &sessions[0]));
    assert_true(recorder_double_session(drive, 1, &sessions[1]));
    recorder_double_release(drive);

    path_in_folder(path, L"insert.img");
    assert_hr(E_INVALIDARG, recorder_double_insert(path, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, bad, 2,
                                                   &again));
    assert_null(again);
    assert_hr(S_OK, recorder_double_insert(path, IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0, sessions, 2,
                                           &again));
    assert_int_equal(recorder_double_session_count(again), 2);
    assert_hr(S_OK, read10(again, (ULONG)sessions[1].start + 3, 1, buffer, sizeof(buffer),
                           &fetched, sense));
    assert_true(is_session_data(buffer, 1, 3, 2));
    recorder_double_release(again);
    /* Rewritable media hold one session from sector 0. */
    assert_hr(E_INVALIDARG, recorder_double_insert(path, IMAPI_PROFILE_TYPE_DVD_PLUS_RW, 0,
                                                   sessions, 2, &again));
}

/* A list of block ranges, as IFileSystemImageResult2::ModifiedBlocks gives one. */
struct test_range {
    IBlockRange IBlockRange_iface;
    LONG first, last;
};

struct test_range_list {
    IBlockRangeList IBlockRangeList_iface;
    struct test_range ranges[4];
    ULONG count;
};

static HRESULT WINAPI range_QueryInterface(IBlockRange *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IBlockRange)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI range_AddRef(IBlockRange *iface) { (void)iface; return 2; }
static ULONG WINAPI range_Release(IBlockRange *iface) { (void)iface; return 1; }
static HRESULT WINAPI range_GetTypeInfoCount(IBlockRange *iface, UINT *n)
{
    (void)iface;
    *n = 0;
    return S_OK;
}
static HRESULT WINAPI range_GetTypeInfo(IBlockRange *iface, UINT i, LCID l, ITypeInfo **t)
{
    (void)iface; (void)i; (void)l; (void)t;
    return E_NOTIMPL;
}
static HRESULT WINAPI range_GetIDsOfNames(IBlockRange *iface, REFIID r, LPOLESTR *n, UINT c,
                                          LCID l, DISPID *d)
{
    (void)iface; (void)r; (void)n; (void)c; (void)l; (void)d;
    return E_NOTIMPL;
}
static HRESULT WINAPI range_Invoke(IBlockRange *iface, DISPID m, REFIID r, LCID l, WORD f,
                                   DISPPARAMS *p, VARIANT *v, EXCEPINFO *e, UINT *a)
{
    (void)iface; (void)m; (void)r; (void)l; (void)f; (void)p; (void)v; (void)e; (void)a;
    return E_NOTIMPL;
}
static HRESULT WINAPI range_get_StartLba(IBlockRange *iface, LONG *value)
{
    *value = CONTAINING_RECORD(iface, struct test_range, IBlockRange_iface)->first;
    return S_OK;
}
static HRESULT WINAPI range_get_EndLba(IBlockRange *iface, LONG *value)
{
    *value = CONTAINING_RECORD(iface, struct test_range, IBlockRange_iface)->last;
    return S_OK;
}
static const IBlockRangeVtbl range_vtbl = {
    range_QueryInterface, range_AddRef, range_Release, range_GetTypeInfoCount, range_GetTypeInfo,
    range_GetIDsOfNames, range_Invoke, range_get_StartLba, range_get_EndLba,
};

static HRESULT WINAPI list_QueryInterface(IBlockRangeList *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) ||
        IsEqualIID(riid, &IID_IBlockRangeList)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI list_AddRef(IBlockRangeList *iface) { (void)iface; return 2; }
static ULONG WINAPI list_Release(IBlockRangeList *iface) { (void)iface; return 1; }
static HRESULT WINAPI list_GetTypeInfoCount(IBlockRangeList *iface, UINT *n)
{
    (void)iface;
    *n = 0;
    return S_OK;
}
static HRESULT WINAPI list_GetTypeInfo(IBlockRangeList *iface, UINT i, LCID l, ITypeInfo **t)
{
    (void)iface; (void)i; (void)l; (void)t;
    return E_NOTIMPL;
}
static HRESULT WINAPI list_GetIDsOfNames(IBlockRangeList *iface, REFIID r, LPOLESTR *n, UINT c,
                                         LCID l, DISPID *d)
{
    (void)iface; (void)r; (void)n; (void)c; (void)l; (void)d;
    return E_NOTIMPL;
}
static HRESULT WINAPI list_Invoke(IBlockRangeList *iface, DISPID m, REFIID r, LCID l, WORD f,
                                  DISPPARAMS *p, VARIANT *v, EXCEPINFO *e, UINT *a)
{
    (void)iface; (void)m; (void)r; (void)l; (void)f; (void)p; (void)v; (void)e; (void)a;
    return E_NOTIMPL;
}
static HRESULT WINAPI list_get_BlockRanges(IBlockRangeList *iface, SAFEARRAY **value)
{
    struct test_range_list *list = CONTAINING_RECORD(iface, struct test_range_list,
                                                     IBlockRangeList_iface);
    SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, list->count);
    VARIANT *items;
    ULONG i;

    SafeArrayAccessData(array, (void **)&items);
    for (i = 0; i < list->count; i++) {
        V_VT(&items[i]) = VT_DISPATCH;
        V_DISPATCH(&items[i]) = (IDispatch *)&list->ranges[i].IBlockRange_iface;
    }
    SafeArrayUnaccessData(array);
    *value = array;
    return S_OK;
}
static const IBlockRangeListVtbl list_vtbl = {
    list_QueryInterface, list_AddRef, list_Release, list_GetTypeInfoCount, list_GetTypeInfo,
    list_GetIDsOfNames, list_Invoke, list_get_BlockRanges,
};

static void test_rewritable_media_are_random_write_and_take_block_ranges(void **state)
{
    struct recorder_double *drive = new_drive(L"rw.img", IMAPI_PROFILE_TYPE_DVD_PLUS_RW, 3000);
    struct test_range_list list;
    struct recorder_double_stats stats;
    IMultisessionRandomWrite *rw;
    SAFEARRAY *array = NULL;
    BYTE buffer[4 * SECTOR], sense[18];
    IStream *whole;
    VARIANT_BOOL supported = VARIANT_FALSE;
    ULONG fetched = 0;
    LONG value = 0;
    (void)state;

    assert_hr(S_OK, recorder_double_multisession(drive, &array));
    assert_null(multisession_object(array, &IID_IMultisessionSequential));
    rw = multisession_object(array, &IID_IMultisessionRandomWrite);
    assert_non_null(rw);
    SafeArrayDestroy(array);
    assert_hr(S_OK, IMultisessionRandomWrite_get_IsSupportedOnCurrentMediaState(rw, &supported));
    assert_int_equal(supported, VARIANT_TRUE);
    assert_hr(S_OK, IMultisessionRandomWrite_get_LastWrittenAddress(rw, &value));
    assert_int_equal(value, -1);
    assert_hr(S_OK, IMultisessionRandomWrite_get_TotalSectorsOnMedia(rw, &value));
    assert_int_equal(value, 3000);
    assert_hr(S_OK, IMultisessionRandomWrite_get_WriteUnitSize(rw, &value));
    assert_int_equal(value, 16);

    /* A whole image from sector 0, then a second whole image over it. */
    assert_hr(S_OK, write_session(drive, 100, 1));
    assert_hr(S_OK, IMultisessionRandomWrite_get_LastWrittenAddress(rw, &value));
    assert_int_equal(value, 99);
    assert_hr(S_OK, write_session(drive, 120, 2));
    assert_hr(S_OK, IMultisessionRandomWrite_get_LastWrittenAddress(rw, &value));
    assert_int_equal(value, 119);
    assert_int_equal(recorder_double_session_count(drive), 1);
    assert_int_equal(recorder_double_next_writable_address(drive), -1);
    assert_hr(S_OK, read10(drive, 0, 2, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 2, 0, 2));

    /* Only the listed ranges of a third image are written. */
    list.IBlockRangeList_iface.lpVtbl = &list_vtbl;
    list.count = 2;
    list.ranges[0].IBlockRange_iface.lpVtbl = &range_vtbl;
    list.ranges[0].first = 10;
    list.ranges[0].last = 11;
    list.ranges[1].IBlockRange_iface.lpVtbl = &range_vtbl;
    list.ranges[1].first = 125;
    list.ranges[1].last = 129;
    whole = fsi_test_stream(130 * SECTOR, 3);
    recorder_double_reset_stats(drive);
    assert_hr(S_OK, recorder_double_write_ranges(drive, whole, &list.IBlockRangeList_iface));
    recorder_double_get_stats(drive, &stats);
    assert_int_equal(stats.sectors_written, 7);
    assert_hr(S_OK, IMultisessionRandomWrite_get_LastWrittenAddress(rw, &value));
    assert_int_equal(value, 129);
    assert_hr(S_OK, read10(drive, 9, 4, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 1, 9, 2));
    assert_true(is_session_data(buffer + SECTOR, 2, 10, 3));
    assert_true(is_session_data(buffer + 3 * SECTOR, 1, 12, 2));
    /* Sectors 120..124 were never written: formatted media read them as zeros. */
    assert_hr(S_OK, read10(drive, 124, 1, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_zero(buffer, SECTOR));
    assert_hr(S_IMAPI_COMMAND_HAS_SENSE_DATA, read10(drive, 130, 1, buffer, sizeof(buffer),
                                                     &fetched, sense));
    assert_sense(sense, RECORDER_SENSE_ILLEGAL_REQUEST, 0x21, 1, 130);
    assert_hr(S_OK, read10(drive, 127, 1, buffer, sizeof(buffer), &fetched, sense));
    assert_true(is_session_data(buffer, 1, 127, 3));
    list.ranges[1].last = 130;      /* beyond the image stream */
    assert_hr(E_INVALIDARG, recorder_double_write_ranges(drive, whole, &list.IBlockRangeList_iface));
    IStream_Release(whole);
    IMultisessionRandomWrite_Release(rw);
    recorder_double_release(drive);
}

/* ---- The view file ---- */

static BYTE *read_host_file(const WCHAR *path, DWORD *size)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    BYTE *data;
    DWORD got = 0;

    assert_true(file != INVALID_HANDLE_VALUE);
    *size = GetFileSize(file, NULL);
    data = malloc(*size + 1);
    assert_non_null(data);
    assert_true(ReadFile(file, data, *size, &got, NULL));
    assert_int_equal(got, *size);
    CloseHandle(file);
    return data;
}

static void put_le32(BYTE *p, ULONG v)
{
    p[0] = (BYTE)v; p[1] = (BYTE)(v >> 8); p[2] = (BYTE)(v >> 16); p[3] = (BYTE)(v >> 24);
}

static ULONG get_le32(const BYTE *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (ULONG)p[3] << 24;
}

/* A UDF descriptor tag (ECMA-167 3/7.2): identifier, version 2, location, checksum. */
static void make_tag(BYTE *sector, ULONG id, ULONG location)
{
    unsigned sum = 0, i;
    sector[0] = (BYTE)id;
    sector[1] = (BYTE)(id >> 8);
    sector[2] = 2;
    sector[3] = 0;
    put_le32(sector + 12, location);
    for (i = 0; i < 16; i++)
        if (i != 4)
            sum += sector[i];
    sector[4] = (BYTE)sum;
}

static int tag_says(const BYTE *sector, ULONG id, ULONG location)
{
    unsigned sum = 0, i;
    for (i = 0; i < 16; i++)
        if (i != 4)
            sum += sector[i];
    return (sector[0] | sector[1] << 8) == (int)id && (BYTE)sum == sector[4] &&
           get_le32(sector + 12) == location;
}

/*
 * A session of `sectors` sectors (the pattern of `seed`) to be written at `start`: `descriptors`
 * volume structures at 16 (ISO 9660 descriptors, then a UDF recognition sequence) and, with a
 * `partition` start, UDF's anchor at 256 leading to a partition descriptor and a logical volume
 * descriptor at 32, whose file set descriptor is at 257 (all relative to the session).
 */
static BYTE *make_session(ULONG sectors, unsigned seed, LONG start, LONG partition,
                          int descriptors)
{
    static const char *const ids[] = { "CD001", "CD001", "CD001", "BEA01", "NSR02", "TEA01",
                                       "BOOT2" };
    static const BYTE types[] = { 1, 2, 255, 0, 0, 0, 0 };
    BYTE *data = malloc((size_t)sectors * SECTOR);
    size_t i;
    int k;

    assert_non_null(data);
    for (i = 0; i < (size_t)sectors * SECTOR; i++)
        data[i] = session_byte(i, seed);
    for (k = 0; k < descriptors; k++) {
        BYTE *d = data + (size_t)(16 + k) * SECTOR;
        memset(d, 0, SECTOR);
        d[0] = types[k];
        memcpy(d + 1, ids[k], 5);
        d[6] = 1;
    }
    if (partition) {
        BYTE *pd = data + 32 * SECTOR, *lvd = data + 33 * SECTOR, *term = data + 34 * SECTOR;
        BYTE *anchor = data + 256 * SECTOR, *fsd = data + 257 * SECTOR;
        put_le32(pd + 188, (ULONG)partition);
        make_tag(pd, 5, (ULONG)start + 32);
        put_le32(lvd + 252, (ULONG)(start + 257 - partition));
        make_tag(lvd, 6, (ULONG)start + 33);
        make_tag(term, 8, (ULONG)start + 34);
        put_le32(anchor + 16, 3 * SECTOR);
        put_le32(anchor + 20, (ULONG)start + 32);
        make_tag(anchor, 2, (ULONG)start + 256);
        make_tag(fsd, 256, (ULONG)(start + 257 - partition));
    }
    return data;
}

static HRESULT write_bytes(struct recorder_double *drive, const BYTE *data, ULONG sectors)
{
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, (SIZE_T)sectors * SECTOR);
    IStream *stream = NULL;
    HRESULT hr;

    assert_non_null(memory);
    memcpy(GlobalLock(memory), data, (size_t)sectors * SECTOR);
    GlobalUnlock(memory);
    assert_hr(S_OK, CreateStreamOnHGlobal(memory, TRUE, &stream));
    hr = recorder_double_write_session(drive, stream);
    IStream_Release(stream);
    return hr;
}

static void test_the_view_puts_the_last_sessions_structures_where_readers_look(void **state)
{
    struct recorder_double *drive = new_drive(L"view.img", IMAPI_PROFILE_TYPE_DVD_PLUS_R, 0);
    BYTE *one = make_session(300, 1, 0, 257, 6);        /* 0..299, UDF partition from 257 */
    BYTE *two = make_session(300, 2, 320, 257, 5);      /* 320..619, the partition continued */
    BYTE *three = make_session(40, 3, 640, 0, 3);       /* 640..679, no UDF */
    BYTE *four = make_session(40, 4, 704, 0, 7);        /* more descriptors than fit at 16 */
    WCHAR view[MAX_PATH];
    BYTE *data, expected[SECTOR];
    DWORD size = 0;
    (void)state;

    path_in_folder(view, L"view0.iso");
    assert_hr(S_OK, recorder_double_write_view(drive, view));
    data = read_host_file(view, &size);
    assert_int_equal(size, 0);                          /* blank */
    free(data);

    /* One session at 0: the view is the disc as it is. */
    assert_hr(S_OK, write_bytes(drive, one, 300));
    path_in_folder(view, L"view1.iso");
    assert_hr(S_OK, recorder_double_write_view(drive, view));
    data = read_host_file(view, &size);
    assert_int_equal(size, 300 * SECTOR);
    assert_memory_equal(data, one, 300 * SECTOR);
    free(data);

    assert_hr(S_OK, write_bytes(drive, two, 300));
    assert_int_equal(recorder_double_next_writable_address(drive), 640);
    path_in_folder(view, L"view2.iso");
    assert_hr(S_OK, recorder_double_write_view(drive, view));
    data = read_host_file(view, &size);
    assert_int_equal(size, 620 * SECTOR);
    assert_memory_equal(data, one, 16 * SECTOR);                    /* the system area */
    assert_memory_equal(data + 16 * SECTOR, two + 16 * SECTOR, 5 * SECTOR);
    assert_true(is_zero(data + 21 * SECTOR, SECTOR));               /* the old 6th, cleared */
    assert_memory_equal(data + 22 * SECTOR, one + 22 * SECTOR, 234 * SECTOR);  /* data kept */
    /* The anchor at 256, its tag saying 256; the rest of it the second session's. */
    assert_true(tag_says(data + 256 * SECTOR, 2, 256));
    assert_memory_equal(data + 256 * SECTOR + 16, two + 256 * SECTOR + 16, SECTOR - 16);
    assert_int_equal(get_le32(data + 256 * SECTOR + 20), 352);      /* its VDS on the disc */
    /* The file set descriptor at the partition's first block, its tag saying block 0. */
    assert_true(tag_says(data + 257 * SECTOR, 256, 0));
    assert_memory_equal(data + 257 * SECTOR + 16, two + 257 * SECTOR + 16, SECTOR - 16);
    assert_memory_equal(data + 258 * SECTOR, one + 258 * SECTOR, 42 * SECTOR);
    assert_true(is_zero(data + 300 * SECTOR, 20 * SECTOR));         /* the gap */
    assert_memory_equal(data + 320 * SECTOR, two, 300 * SECTOR);    /* the session itself */
    free(data);

    /* A last session without UDF: its three descriptors at 16, the first session's anchor and
       file set left alone. */
    assert_hr(S_OK, write_bytes(drive, three, 40));
    path_in_folder(view, L"view3.iso");
    assert_hr(S_OK, recorder_double_write_view(drive, view));
    data = read_host_file(view, &size);
    assert_int_equal(size, 680 * SECTOR);
    assert_memory_equal(data + 16 * SECTOR, three + 16 * SECTOR, 3 * SECTOR);
    memset(expected, 0, sizeof(expected));
    assert_memory_equal(data + 19 * SECTOR, expected, SECTOR);
    assert_memory_equal(data + 21 * SECTOR, expected, SECTOR);
    assert_memory_equal(data + 22 * SECTOR, one + 22 * SECTOR, SECTOR);
    assert_memory_equal(data + 256 * SECTOR, one + 256 * SECTOR, 2 * SECTOR);
    free(data);

    /* Seven descriptors do not fit over the first session's six: no view. */
    assert_hr(S_OK, write_bytes(drive, four, 40));
    path_in_folder(view, L"view4.iso");
    assert_hr(E_FAIL, recorder_double_write_view(drive, view));
    assert_int_equal(GetFileAttributesW(view), INVALID_FILE_ATTRIBUTES);
    assert_hr(E_POINTER, recorder_double_write_view(drive, NULL));
    free(one);
    free(two);
    free(three);
    free(four);
    recorder_double_release(drive);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read10_and_read12_return_the_sectors_of_the_image_file),
        cmocka_unit_test(test_reads_outside_the_written_sectors_fail_with_lba_out_of_range),
        cmocka_unit_test(test_bad_commands_and_buffers_are_refused),
        cmocka_unit_test(test_a_drive_without_a_disc_is_not_ready),
        cmocka_unit_test(test_injected_faults_fail_with_a_medium_error),
        cmocka_unit_test(test_capacity_toc_and_disc_information_describe_the_sessions),
        cmocka_unit_test(test_the_recorder_reports_profiles_and_names),
        cmocka_unit_test(test_sequential_multisession_reports_the_addresses),
        cmocka_unit_test(test_bd_r_write_unit_and_a_finalized_disc),
        cmocka_unit_test(test_writing_sessions_updates_the_toc_and_the_next_writable_address),
        cmocka_unit_test(test_a_disc_can_be_inserted_with_its_sessions),
        cmocka_unit_test(test_rewritable_media_are_random_write_and_take_block_ranges),
        cmocka_unit_test(test_the_view_puts_the_last_sessions_structures_where_readers_look),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
