/*
 * A disc read through a recorder (recorder_disc.c): the engine's fsi_disc over
 * IDiscRecorder2Ex::SendCommandGetDataFromDevice with SCSI READ(10)/READ(12), which every drive
 * and Microsoft's IMAPI2 recorder objects answer. ImportFileSystem and IdentifyFileSystemsOnDisc
 * read the previous session through it, and imported files read their bytes through it while
 * an image stream is read, so it lives as long as any tree or result that holds imported items:
 * it is an IUnknown that the file-system image and each result keep.
 */
#ifndef OPENFSI_COM_RECORDER_DISC_H
#define OPENFSI_COM_RECORDER_DISC_H

#include "module.h"
#include "openfsi/import.h"

struct recorder_disc;

/*
 * A disc of `sector_count` readable sectors over `recorder`, which must answer IDiscRecorder2Ex
 * (IMAPI_E_BAD_MULTISESSION_PARAMETER otherwise). `previous` (may be NULL) is held as long as the
 * new disc: the disc of an earlier import, whose items the tree may still hold.
 */
HRESULT recorder_disc_create(IDiscRecorder2 *recorder, ULONG sector_count, IUnknown *previous,
                             struct recorder_disc **out);

/* What the engine reads from; valid as long as the disc. */
const struct fsi_disc *recorder_disc_fsi(struct recorder_disc *disc);
IUnknown *recorder_disc_unknown(struct recorder_disc *disc);

/* The recorder's READ CAPACITY (last sector + 1) and the first sector of the disc's last session
   (READ TOC/PMA/ATIP, session information; 0 when the drive does not say). */
HRESULT recorder_read_capacity(IDiscRecorder2Ex *drive, ULONG *sectors);
ULONG recorder_last_session_start(IDiscRecorder2Ex *drive);
/* 1 when the drive says its disc is blank (READ DISC INFORMATION); 0 otherwise or unknown. */
int recorder_disc_is_blank(IDiscRecorder2Ex *drive);

#endif
