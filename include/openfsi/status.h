/*
 * Result codes of the portable engine.
 *
 * The engine knows nothing of HRESULTs: every engine call returns one of these, and the COM shell
 * maps each to Microsoft's documented IMAPI_E_* value (src/com/status_map.c). Keep the list in
 * step with fsi_status_message().
 */
#ifndef OPENFSI_STATUS_H
#define OPENFSI_STATUS_H

enum fsi_status {
    FSI_OK = 0,
    FSI_E_OUT_OF_MEMORY,
    FSI_E_INVALID_ARGUMENT,
    FSI_E_INVALID_VOLUME_NAME,
    FSI_E_DUPLICATE_NAME,
    FSI_E_NOT_DIRECTORY,
    FSI_E_SOURCE_READ,
    FSI_E_SOURCE_SHORT,
    FSI_E_SOURCE_LONG,
    FSI_E_FILE_TOO_LARGE,
    FSI_E_IMAGE_TOO_LARGE,
    FSI_E_DIRECTORY_TOO_DEEP,
    FSI_E_INVALID_NAME,
    FSI_E_TOO_MANY_NAMES,
    FSI_E_NOT_FOUND,
    FSI_E_DIRECTORY_NOT_EMPTY,
    FSI_E_INVALID_PATH,
    FSI_E_NOT_IMPLEMENTED,
    FSI_E_CORRUPT_FILE_SYSTEM,
    FSI_E_DISC_READ,
    FSI_E_IMPORT_FILE_IS_DIRECTORY,     /* an imported file meets a directory already in the tree */
    FSI_E_IMPORT_DIRECTORY_IS_FILE,     /* an imported directory meets a file already in the tree */
    FSI_E_INCOMPATIBLE_SESSION,         /* the disc's layout does not take this session in place */
    FSI_STATUS_COUNT
};

/* A one-line English description of a status, never NULL. */
const char *fsi_status_message(enum fsi_status status);

#endif
