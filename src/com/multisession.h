/*
 * The media a file-system image adds a session to, as IDiscFormat2Data::MultisessionInterfaces
 * describes it (multisession.c): choosing the IMultisession to use from the array a caller puts,
 * with Microsoft's rules and errors, and reading the addresses the next session needs.
 */
#ifndef OPENFSI_COM_MULTISESSION_H
#define OPENFSI_COM_MULTISESSION_H

#include "module.h"

struct multisession_media {
    BOOL random_write;          /* IMultisessionRandomWrite (rewritable); else sequential */
    BOOL blank;                 /* nothing written yet: no previous session to import */
    ULONG previous_start;       /* first sector of the previous session (0 when rewritable) */
    ULONG previous_last;        /* its last written sector */
    ULONG next_writable;        /* where the new session starts (0 when rewritable) */
    ULONG free_sectors;         /* room for the new session */
};

/*
 * The IMultisession of `array` (a SAFEARRAY of VARIANT VT_DISPATCH) to use: the one InUse, or else
 * the first one supported on the current media, which is then marked InUse. Fails as
 * put_MultisessionInterfaces documents: IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE for an element
 * that is no IMultisession, IMAPI_E_BAD_MULTISESSION_PARAMETER for more than one InUse,
 * IMAPI_E_NO_COMPATIBLE_MULTISESSION_TYPE when none is of a kind we append to, and
 * IMAPI_E_IMPORT_SEEK_FAILURE for blank write-once media. `message` gets a sentence on failure.
 */
HRESULT multisession_choose(SAFEARRAY *array, IMultisession **chosen, const WCHAR **message);

/* The addresses of `multisession` now (IMAPI_E_BAD_MULTISESSION_PARAMETER when it cannot say). */
HRESULT multisession_media_read(IMultisession *multisession, struct multisession_media *media);

#endif
