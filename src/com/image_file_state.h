/*
 * The image file behind OpenFsi.ImageFileMedia (image_file_state.c), shared by the media object,
 * its recorder (image_file_recorder.c) and its multisession objects (image_file_multisession.c):
 * the open file, what kind of media it plays, its capacity and how many sectors are written. Every
 * object that reads or writes the file holds a reference; Close (or opening another file) closes
 * it for all of them, after which reads answer "no media". It knows nothing of file systems.
 */
#ifndef OPENFSI_COM_IMAGE_FILE_STATE_H
#define OPENFSI_COM_IMAGE_FILE_STATE_H

#include "module.h"
#include "openfsi/import.h"

#define IMAGE_FILE_SECTOR 2048
#define IMAGE_FILE_DVD_SECTORS 2295104     /* a DVD+R's capacity, the default */

struct image_file {
    LONG ref;
    CRITICAL_SECTION lock;      /* one read or write at a time; guards everything below */
    HANDLE handle;              /* INVALID_HANDLE_VALUE once closed */
    WCHAR *path;
    BOOL rewritable;            /* DVD+RW (IMultisessionRandomWrite); else DVD+R */
    ULONG total_sectors;        /* capacity */
    ULONG sectors;              /* written: the file's size in sectors */
    LONG exclusive;             /* nesting of IDiscRecorder2::AcquireExclusiveAccess */
    BSTR exclusive_owner;
};

/* What the objects see of the file at one moment. */
struct image_file_status {
    BOOL open;
    BOOL rewritable;
    ULONG total_sectors;
    ULONG sectors;
};

/*
 * Opens (or creates: a missing or empty file is blank media) the file at `path`. Fails with
 * the system's error or E_INVALIDARG (a size that is not whole sectors or exceeds the capacity);
 * `message` then gets a sentence (the caller frees it with HeapFree).
 */
HRESULT image_file_open(const WCHAR *path, BOOL rewritable, ULONG total_sectors,
                        struct image_file **out, WCHAR **message);
void image_file_addref(struct image_file *file);
void image_file_release(struct image_file *file);
void image_file_close(struct image_file *file);
void image_file_status(struct image_file *file, struct image_file_status *status);

/* Reads whole sectors below the written end (S_OK; E_INVALIDARG past it; or the system's). */
HRESULT image_file_read(struct image_file *file, ULONG first, ULONG count, BYTE *buffer);
/* Writes bytes at `offset` (no check against the capacity: the caller checks). */
HRESULT image_file_write(struct image_file *file, ULONGLONG offset, const BYTE *data,
                         ULONG size);
/* Sets the written end to `sectors`, growing or (to undo a failed write) shrinking the file. */
HRESULT image_file_set_sectors(struct image_file *file, ULONG sectors);
HRESULT image_file_flush(struct image_file *file);

/* The engine's view of the file's first `sector_count` sectors (valid while `file` is held). */
void image_file_disc(struct image_file *file, ULONG sector_count, struct fsi_disc *disc);

/* The recorder and multisession objects over a file (each holds it). */
HRESULT image_file_recorder_create(struct image_file *file, IDiscRecorder2 **out);
HRESULT image_file_multisession_create(struct image_file *file, IDiscRecorder2 *recorder,
                                       IDispatch **out);

#endif
