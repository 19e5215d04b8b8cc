/*
 * What the items of a file system image share with it (file_system_image.c): the lock that
 * guards its tree, the tree itself, the settings that decide on-disc names, and the event
 * source. Items keep their image alive with a reference; the image never holds its items, so
 * there are no cycles.
 */
#ifndef OPENFSI_COM_FILE_SYSTEM_IMAGE_H
#define OPENFSI_COM_FILE_SYSTEM_IMAGE_H

#include "module.h"
#include "openfsi/tree.h"

struct file_system_image;

void file_system_image_addref(struct file_system_image *image);
void file_system_image_release(struct file_system_image *image);

/* Every use of the tree, and of any node in it, happens between these two. */
void file_system_image_enter(struct file_system_image *image);
void file_system_image_leave(struct file_system_image *image);
struct fsi_tree *file_system_image_tree(struct file_system_image *image);

/* The ISO 9660 interchange level names are made for (ISO9660InterchangeLevel). */
int file_system_image_iso9660_level(struct file_system_image *image);

/* The UDF revision the image will be written with (UDFRevision), 0 when FileSystemsToCreate
   leaves UDF out. */
uint32_t file_system_image_udf_revision(struct file_system_image *image);

/* Whether names are limited to what UseRestrictedCharacterSet allows. */
BOOL file_system_image_restricted_names(struct file_system_image *image);

/*
 * Raises DFileSystemImageEvents::Update(image, file, copied, total) to every advised sink. Call
 * it outside file_system_image_enter (sinks may call back into the image).
 */
void file_system_image_fire_update(struct file_system_image *image, const WCHAR *file,
                                   LONG copied_sectors, LONG total_sectors);

#endif
