/*
 * imapi2fserror.h - HRESULT values reported by the IMAPI2 file system image
 * component (imapi2fs), facility FACILITY_IMAPI2 (0xAA).
 *
 * Names and values match Microsoft's imapi2fserror.h (see
 * idl/SOURCES-imapi2.md).  The descriptions used at run time live in
 * src/com/error_table.c.
 */

#ifndef OPENFSI_IMAPI2FSERROR_H
#define OPENFSI_IMAPI2FSERROR_H

#ifndef _HRESULT_TYPEDEF_
# ifdef RC_INVOKED
#  define _HRESULT_TYPEDEF_(_sc) _sc
# else
#  define _HRESULT_TYPEDEF_(_sc) ((HRESULT)_sc)
# endif
#endif

#ifndef FACILITY_IMAPI2
#define FACILITY_IMAPI2 0xAA
#endif

/* Internal error */
#define IMAPI_E_FSI_INTERNAL_ERROR                             _HRESULT_TYPEDEF_(0xC0AAB100L)

/* General interface errors */
#define IMAPI_E_INVALID_PARAM                                  _HRESULT_TYPEDEF_(0xC0AAB101L)
#define IMAPI_E_READONLY                                       _HRESULT_TYPEDEF_(0xC0AAB102L)
#define IMAPI_E_NO_OUTPUT                                      _HRESULT_TYPEDEF_(0xC0AAB103L)
#define IMAPI_E_INVALID_VOLUME_NAME                            _HRESULT_TYPEDEF_(0xC0AAB104L)
#define IMAPI_E_INVALID_DATE                                   _HRESULT_TYPEDEF_(0xC0AAB105L)
#define IMAPI_E_FILE_SYSTEM_NOT_EMPTY                          _HRESULT_TYPEDEF_(0xC0AAB106L)

/* Item state */
#define IMAPI_E_NOT_FILE                                       _HRESULT_TYPEDEF_(0xC0AAB108L)
#define IMAPI_E_NOT_DIR                                        _HRESULT_TYPEDEF_(0xC0AAB109L)
#define IMAPI_E_DIR_NOT_EMPTY                                  _HRESULT_TYPEDEF_(0xC0AAB10AL)
#define IMAPI_E_NOT_IN_FILE_SYSTEM                             _HRESULT_TYPEDEF_(0xC0AAB10BL)

/* Naming */
#define IMAPI_E_INVALID_PATH                                   _HRESULT_TYPEDEF_(0xC0AAB110L)
#define IMAPI_E_RESTRICTED_NAME_VIOLATION                      _HRESULT_TYPEDEF_(0xC0AAB111L)
#define IMAPI_E_DUP_NAME                                       _HRESULT_TYPEDEF_(0xC0AAB112L)
#define IMAPI_E_NO_UNIQUE_NAME                                 _HRESULT_TYPEDEF_(0xC0AAB113L)

/* Item not found in the hierarchy */
#define IMAPI_E_ITEM_NOT_FOUND                                 _HRESULT_TYPEDEF_(0xC0AAB118L)
#define IMAPI_E_FILE_NOT_FOUND                                 _HRESULT_TYPEDEF_(0xC0AAB119L)
#define IMAPI_E_DIR_NOT_FOUND                                  _HRESULT_TYPEDEF_(0xC0AAB11AL)

/* Image size limits */
#define IMAPI_E_IMAGE_SIZE_LIMIT                               _HRESULT_TYPEDEF_(0xC0AAB120L)
#define IMAPI_E_IMAGE_TOO_BIG                                  _HRESULT_TYPEDEF_(0xC0AAB121L)

/* User data streams */
#define IMAPI_E_DATA_STREAM_INCONSISTENCY                      _HRESULT_TYPEDEF_(0xC0AAB128L)
#define IMAPI_E_DATA_STREAM_READ_FAILURE                       _HRESULT_TYPEDEF_(0xC0AAB129L)
#define IMAPI_E_DATA_STREAM_CREATE_FAILURE                     _HRESULT_TYPEDEF_(0xC0AAB12AL)
#define IMAPI_E_DIRECTORY_READ_FAILURE                         _HRESULT_TYPEDEF_(0xC0AAB12BL)

/* File-system-specific limits */
#define IMAPI_E_TOO_MANY_DIRS                                  _HRESULT_TYPEDEF_(0xC0AAB130L)
#define IMAPI_E_ISO9660_LEVELS                                 _HRESULT_TYPEDEF_(0xC0AAB131L)
#define IMAPI_E_DATA_TOO_BIG                                   _HRESULT_TYPEDEF_(0xC0AAB132L)
#define IMAPI_E_INCOMPATIBLE_PREVIOUS_SESSION                  _HRESULT_TYPEDEF_(0xC0AAB133L)

/* Stash file */
#define IMAPI_E_STASHFILE_OPEN_FAILURE                         _HRESULT_TYPEDEF_(0xC0AAB138L)
#define IMAPI_E_STASHFILE_SEEK_FAILURE                         _HRESULT_TYPEDEF_(0xC0AAB139L)
#define IMAPI_E_STASHFILE_WRITE_FAILURE                        _HRESULT_TYPEDEF_(0xC0AAB13AL)
#define IMAPI_E_STASHFILE_READ_FAILURE                         _HRESULT_TYPEDEF_(0xC0AAB13BL)

/* Working directory */
#define IMAPI_E_INVALID_WORKING_DIRECTORY                      _HRESULT_TYPEDEF_(0xC0AAB140L)
#define IMAPI_E_WORKING_DIRECTORY_SPACE                        _HRESULT_TYPEDEF_(0xC0AAB141L)
#define IMAPI_E_STASHFILE_MOVE                                 _HRESULT_TYPEDEF_(0xC0AAB142L)

/* Boot image */
#define IMAPI_E_BOOT_IMAGE_DATA                                _HRESULT_TYPEDEF_(0xC0AAB148L)
#define IMAPI_E_BOOT_OBJECT_CONFLICT                           _HRESULT_TYPEDEF_(0xC0AAB149L)
#define IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH             _HRESULT_TYPEDEF_(0xC0AAB14AL)

/* Import and multisession */
#define IMAPI_E_EMPTY_DISC                                     _HRESULT_TYPEDEF_(0xC0AAB150L)
#define IMAPI_E_NO_SUPPORTED_FILE_SYSTEM                       _HRESULT_TYPEDEF_(0xC0AAB151L)
#define IMAPI_E_FILE_SYSTEM_NOT_FOUND                          _HRESULT_TYPEDEF_(0xC0AAB152L)
#define IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR             _HRESULT_TYPEDEF_(0xC0AAB153L)
#define IMAPI_E_FILE_SYSTEM_FEATURE_NOT_SUPPORTED              _HRESULT_TYPEDEF_(0xC0AAB154L)
#define IMAPI_E_IMPORT_TYPE_COLLISION_FILE_EXISTS_AS_DIRECTORY _HRESULT_TYPEDEF_(0xC0AAB155L)
#define IMAPI_E_IMPORT_SEEK_FAILURE                            _HRESULT_TYPEDEF_(0xC0AAB156L)
#define IMAPI_E_IMPORT_READ_FAILURE                            _HRESULT_TYPEDEF_(0xC0AAB157L)
#define IMAPI_E_DISC_MISMATCH                                  _HRESULT_TYPEDEF_(0xC0AAB158L)
#define IMAPI_E_IMPORT_MEDIA_NOT_ALLOWED                       _HRESULT_TYPEDEF_(0xC0AAB159L)
#define IMAPI_E_UDF_NOT_WRITE_COMPATIBLE                       _HRESULT_TYPEDEF_(0xC0AAB15AL)
#define IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE                 _HRESULT_TYPEDEF_(0xC0AAB15BL)
#define IMAPI_E_NO_COMPATIBLE_MULTISESSION_TYPE                _HRESULT_TYPEDEF_(0xC0AAB15CL)
#define IMAPI_E_MULTISESSION_NOT_SET                           _HRESULT_TYPEDEF_(0xC0AAB15DL)
#define IMAPI_E_IMPORT_TYPE_COLLISION_DIRECTORY_EXISTS_AS_FILE _HRESULT_TYPEDEF_(0xC0AAB15EL)
#define IMAPI_S_IMAGE_FEATURE_NOT_SUPPORTED                    _HRESULT_TYPEDEF_(0x00AAB15FL)
#define IMAPI_E_PROPERTY_NOT_ACCESSIBLE                        _HRESULT_TYPEDEF_(0xC0AAB160L)
#define IMAPI_E_UDF_REVISION_CHANGE_NOT_ALLOWED                _HRESULT_TYPEDEF_(0xC0AAB161L)
#define IMAPI_E_BAD_MULTISESSION_PARAMETER                     _HRESULT_TYPEDEF_(0xC0AAB162L)
#define IMAPI_E_FILE_SYSTEM_CHANGE_NOT_ALLOWED                 _HRESULT_TYPEDEF_(0xC0AAB163L)

/* IIsoImageManager */
#define IMAPI_E_IMAGEMANAGER_IMAGE_NOT_ALIGNED                 _HRESULT_TYPEDEF_(0xC0AAB200L)
#define IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND                 _HRESULT_TYPEDEF_(0xC0AAB201L)
#define IMAPI_E_IMAGEMANAGER_NO_IMAGE                          _HRESULT_TYPEDEF_(0xC0AAB202L)
#define IMAPI_E_IMAGEMANAGER_IMAGE_TOO_BIG                     _HRESULT_TYPEDEF_(0xC0AAB203L)

#endif /* OPENFSI_IMAPI2FSERROR_H */
