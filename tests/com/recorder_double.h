/*
 * A test double of an optical drive with a disc in it, for the Windows test programs: it is what
 * IMAPI2's recorder and data writer would be to imapi2fs.dll, over an image file instead of a
 * disc. The disc's sectors live in the file at their own offsets (sector n at byte n * 2048);
 * its table of contents (the first and last sector of each closed session) lives in memory, as
 * a drive reads it from the disc's lead-in.
 *
 * The double answers IDiscRecorder2 (profiles, plausible INQUIRY strings) and IDiscRecorder2Ex,
 * whose SendCommandGetDataFromDevice serves READ(10), READ(12), READ CAPACITY(10), READ TOC
 * format 1 and READ DISC INFORMATION as an MMC drive does, failing reads outside the written
 * sectors with CHECK CONDITION and fixed-format sense data. It hands out IMultisessionSequential2
 * (write-once media) or IMultisessionRandomWrite (rewritable media) objects as
 * IDiscFormat2Data::get_MultisessionInterfaces does, writes a session as IDiscFormat2Data::Write
 * does, and writes a "view" file that a file-based reader sees as the disc's last session.
 * It can fail reads of chosen sectors with a medium error, and it counts what is read, so tests
 * can tell that an import reads metadata only.
 *
 * It deliberately is not a drive emulator: no writing through SCSI commands, no CD sub-channel,
 * no mode pages, no media events; the other IDiscRecorder2Ex methods answer E_NOTIMPL. It does
 * not use cmocka, so a failure shows as an HRESULT the test checks.
 */
#ifndef OPENFSI_TESTS_COM_RECORDER_DOUBLE_H
#define OPENFSI_TESTS_COM_RECORDER_DOUBLE_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include <windows.h>
#include <ole2.h>
#include <oleauto.h>

#include "imapi2.h"
#include "imapi2error.h"

/* Fixed-format sense data (SPC-3 4.5.3) as the double returns it in SenseBuffer. */
#define RECORDER_SENSE_KEY(sense) ((sense)[2] & 0x0F)
#define RECORDER_SENSE_ASC(sense) ((sense)[12])
#define RECORDER_SENSE_ASCQ(sense) ((sense)[13])
#define RECORDER_SENSE_INFORMATION(sense) \
    ((ULONG)(sense)[3] << 24 | (ULONG)(sense)[4] << 16 | (ULONG)(sense)[5] << 8 | (sense)[6])

enum {
    RECORDER_SENSE_NOT_READY = 0x2,         /* ASC 0x3A: medium not present */
    RECORDER_SENSE_MEDIUM_ERROR = 0x3,      /* ASC 0x11: unrecovered read error */
    RECORDER_SENSE_ILLEGAL_REQUEST = 0x5,   /* ASC 0x21 LBA out of range, 0x20 bad opcode,
                                               0x24 invalid field in CDB */
};

/* One closed session in the table of contents: its first and last written sector. */
struct recorder_session {
    LONG start;
    LONG last;
};

/* What the double was asked to read since it was made or its counters were reset. */
struct recorder_double_stats {
    LONG read_commands;         /* READ(10) and READ(12) commands, failed ones included */
    LONG failed_reads;          /* of those, the ones answered with CHECK CONDITION */
    LONGLONG sectors_read;      /* sectors transferred by the successful ones */
    LONG other_commands;        /* every other command sent through IDiscRecorder2Ex */
    LONGLONG sectors_written;   /* sectors written by write_session and write_ranges */
};

struct recorder_double;

/*
 * A drive holding a blank disc of the given MMC profile (IMAPI_PROFILE_TYPE): write-once
 * 0x11 DVD-R, 0x1B DVD+R, 0x2B DVD+R DL, 0x41 BD-R; rewritable 0x12 DVD-RAM, 0x13 DVD-RW
 * (restricted overwrite), 0x1A DVD+RW, 0x43 BD-RE; or 0 for a drive with no disc.
 * total_sectors 0 takes the usual capacity of the profile. The disc lives in the file `path`,
 * created or emptied here (NULL: a temporary file deleted with the double). A blank rewritable
 * disc is formatted and has nothing written yet. One reference; release with
 * recorder_double_release.
 */
HRESULT recorder_double_create(const WCHAR *path, LONG profile, LONG total_sectors,
                               struct recorder_double **out);

/*
 * A drive holding a disc whose sectors are already in the file `path` (kept as it is) and
 * whose table of contents is `sessions` (in order, not overlapping; on rewritable media at most
 * one, starting at sector 0). E_INVALIDARG for a table that cannot be.
 */
HRESULT recorder_double_insert(const WCHAR *path, LONG profile, LONG total_sectors,
                               const struct recorder_session *sessions, ULONG count,
                               struct recorder_double **out);

ULONG recorder_double_add_ref(struct recorder_double *drive);
ULONG recorder_double_release(struct recorder_double *drive);

/* The drive as IDiscRecorder2 and as IDiscRecorder2Ex (borrowed: no reference is added). */
IDiscRecorder2 *recorder_double_recorder(struct recorder_double *drive);
IDiscRecorder2Ex *recorder_double_recorder_ex(struct recorder_double *drive);

/* The table of contents: the number of closed sessions, and one of them (FALSE if none). */
ULONG recorder_double_session_count(struct recorder_double *drive);
BOOL recorder_double_session(struct recorder_double *drive, ULONG index,
                             struct recorder_session *out);
/* The first sector a new session would start at (sequential media), -1 if none can. */
LONG recorder_double_next_writable_address(struct recorder_double *drive);

/*
 * What IDiscFormat2Data::get_MultisessionInterfaces returns for the disc: a SAFEARRAY of VARIANT
 * VT_DISPATCH holding one new IMultisessionSequential2 object (write-once media, blank or not) or
 * one IMultisessionRandomWrite object (rewritable media). Each object reads the drive's state
 * when asked, so it stays true after a session is written. E_IMAPI_RECORDER_MEDIA_NO_MEDIA
 * without a disc.
 */
HRESULT recorder_double_multisession(struct recorder_double *drive, SAFEARRAY **out);

/*
 * What IDiscFormat2Data::Write does with `image` (read whole from its start; a multiple of 2048
 * bytes): on write-once media it is written at the next writable address and closed as a new
 * session; on rewritable media it is the whole disc from sector 0. E_INVALIDARG for a stream
 * that is empty or not whole sectors, E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA when it
 * does not fit, E_IMAPI_DF2DATA_INVALID_MEDIA_STATE on a finalized disc, the stream's own failure
 * when it cannot be read.
 */
HRESULT recorder_double_write_session(struct recorder_double *drive, IStream *image);

/*
 * Rewritable media only: writes the sectors of `ranges` (IBlockRange StartLba..EndLba, as
 * IFileSystemImageResult2::ModifiedBlocks gives them) from `image`, the stream of the whole
 * disc, at the same sectors; nothing else changes. E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED on
 * write-once media.
 */
HRESULT recorder_double_write_ranges(struct recorder_double *drive, IStream *image,
                                     IBlockRangeList *ranges);

/* Closes the disc (no further session can be written), as finalizing a DVD±R does. */
void recorder_double_finalize(struct recorder_double *drive);

/*
 * Writes a file that a reader of plain image files sees as the disc's last session, as growing
 * an image file does (openfsi append): every sector up to the disc's last written one (unwritten
 * gaps as zeros); then, when the last session starts at S > 0, its volume descriptors and UDF
 * recognition sequence (S+16 on) over the first session's at 16 (old ones beyond the new set
 * cleared), its UDF anchor (S+256) at 256 with the tag's location made 256, and, when its
 * partition starts in an earlier session, its file set descriptor at that partition's first
 * block (tag location 0) for readers that look for it there. Each copy goes only where the first
 * session has the same kind of structure, so no data is overwritten; E_FAIL when the new session
 * has more volume descriptors than fit. A blank disc gives an empty file.
 */
HRESULT recorder_double_write_view(struct recorder_double *drive, const WCHAR *path);

/*
 * Fault injection: READ commands touching sectors first .. first+count-1 fail with MEDIUM
 * ERROR (sense key 3, ASC 0x11 unrecovered read error, the first bad sector as information).
 * Up to 8 ranges; count 0 clears them all.
 */
void recorder_double_fail_reads(struct recorder_double *drive, LONG first, LONG count);

/*
 * The largest BufferSize a command may use (GetMaximumPageAlignedTransferSize and
 * GetMaximumNonPageAlignedTransferSize report it; a larger buffer is refused with E_INVALIDARG,
 * as the storage stack refuses a transfer its adapter cannot do). 128 KiB unless set.
 */
void recorder_double_set_max_transfer(struct recorder_double *drive, ULONG bytes);

/* Unwritten sectors a closed session leaves before the next one, after rounding its end up to
 * the write unit (16 unless set, as a lead-out/lead-in would). */
void recorder_double_set_session_gap(struct recorder_double *drive, LONG sectors);

/* The profiles the drive claims to support (default: CD, DVD and BD ones). */
void recorder_double_set_supported_profiles(struct recorder_double *drive, const LONG *profiles,
                                            ULONG count);

void recorder_double_get_stats(struct recorder_double *drive, struct recorder_double_stats *out);
void recorder_double_reset_stats(struct recorder_double *drive);
/* How many of the sectors first .. first+count-1 were read (at least once) since the reset. */
LONG recorder_double_sectors_read(struct recorder_double *drive, LONG first, LONG count);

#endif
