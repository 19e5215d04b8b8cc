/*
 * error_table.h - names and user-facing descriptions of the IMAPI2 HRESULTs
 * declared in idl/imapi2fserror.h and idl/imapi2error.h.
 *
 * The table is plain data (no COM calls).  It is used to fill in the
 * description of IErrorInfo objects and for diagnostics.
 */

#ifndef OPENFSI_ERROR_TABLE_H
#define OPENFSI_ERROR_TABLE_H

#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

struct imapi_error_info {
    HRESULT hr;             /* the HRESULT value */
    const char *name;       /* its symbolic name, e.g. "IMAPI_E_DUP_NAME" */
    const WCHAR *message;   /* a one-sentence description for users */
};

/* Entry for hr, or NULL when hr is not an IMAPI2 HRESULT known to the table. */
const struct imapi_error_info *imapi_error_lookup(HRESULT hr);

/* Number of entries in the table. */
size_t imapi_error_count(void);

/* Entry number i (0 <= i < imapi_error_count()), or NULL when out of range.
 * Entries are sorted by the HRESULT taken as an unsigned 32-bit value, so
 * the success codes (0x00AA....) come first, then 0x80AA...., then 0xC0AA..... */
const struct imapi_error_info *imapi_error_at(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* OPENFSI_ERROR_TABLE_H */
