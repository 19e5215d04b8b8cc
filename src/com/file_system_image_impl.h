/*
 * What MsftFileSystemImage's own files share (file_system_image.c: the object, its settings and
 * the image it lays out; file_system_image_import.c: MultisessionInterfaces and importing the
 * previous session). Items and results see the object only through file_system_image.h.
 */
#ifndef OPENFSI_COM_FILE_SYSTEM_IMAGE_IMPL_H
#define OPENFSI_COM_FILE_SYSTEM_IMAGE_IMPL_H

#include "module.h"
#include "openfsi/tree.h"
#include "connection_points.h"
#include "error_info.h"
#include "multisession.h"
#include "provide_class_info.h"
#include "recorder_disc.h"

struct file_system_image {
    IFileSystemImage3 IFileSystemImage3_iface;
    struct error_support errors;
    struct connection_points events;
    struct provide_class_info class_info;
    LONG ref;
    CRITICAL_SECTION lock;      /* ThreadingModel Both: guards everything below and the tree */
    struct fsi_tree *tree;
    BSTR volume_name;
    BSTR working_directory;     /* NULL: the user's temporary folder */
    FsiFileSystems file_systems;
    LONG iso9660_level;
    LONG udf_revision;
    LONG free_media_blocks;     /* 0: no limit */
    LONG session_start_block;
    VARIANT_BOOL strict;
    VARIANT_BOOL restricted_names;
    VARIANT_BOOL stage_files;
    VARIANT_BOOL redundant_udf_metadata;
    IBootOptions *boot_options;
    SAFEARRAY *boot_options_array;
    BOOL boot_from_array;       /* put_BootImageOptionsArray came last: it decides the images */
    SAFEARRAY *multisession;    /* as put_MultisessionInterfaces was given it */
    IMultisession *multisession_in_use;
    struct multisession_media media;    /* what it said when it was put */
    struct recorder_disc *disc; /* the disc of the last import (it holds earlier ones) */
    FsiFileSystems imported;    /* the file system imported; FsiFileSystemNone before */
    FsiFileSystems found;       /* the file systems the imported session has */
    BSTR imported_volume_name;
    ULONG udf_partition_start;  /* the imported UDF partition's start (0: none imported) */
    ULONGLONG udf_next_unique_id;   /* and its next unique id */
};

#define ERROR_IID (&IID_IFileSystemImage)

static inline struct file_system_image *impl_from_IFileSystemImage3(IFileSystemImage3 *iface)
{
    return CONTAINING_RECORD(iface, struct file_system_image, IFileSystemImage3_iface);
}

/* file_system_image_import.c: the IFileSystemImage methods about earlier sessions. */
HRESULT WINAPI file_system_image_get_MultisessionInterfaces(IFileSystemImage3 *iface,
                                                            SAFEARRAY **out);
HRESULT WINAPI file_system_image_put_MultisessionInterfaces(IFileSystemImage3 *iface,
                                                            SAFEARRAY *value);
HRESULT WINAPI file_system_image_ImportFileSystem(IFileSystemImage3 *iface, FsiFileSystems *out);
HRESULT WINAPI file_system_image_ImportSpecificFileSystem(IFileSystemImage3 *iface,
                                                          FsiFileSystems system);
HRESULT WINAPI file_system_image_ProbeSpecificFileSystem(IFileSystemImage3 *iface,
                                                         FsiFileSystems system,
                                                         VARIANT_BOOL *appendable);
HRESULT WINAPI file_system_image_IdentifyFileSystemsOnDisc(IFileSystemImage3 *iface,
                                                           IDiscRecorder2 *recorder,
                                                           FsiFileSystems *out);
HRESULT WINAPI file_system_image_GetDefaultFileSystemForImport(IFileSystemImage3 *iface,
                                                               FsiFileSystems systems,
                                                               FsiFileSystems *out);
HRESULT WINAPI file_system_image_CalculateDiscIdentifier(IFileSystemImage3 *iface, BSTR *out);
HRESULT WINAPI file_system_image_get_ImportedVolumeName(IFileSystemImage3 *iface, BSTR *out);
/* Releases what the import methods hold (for the object's destruction). */
void file_system_image_import_cleanup(struct file_system_image *image);

#endif
