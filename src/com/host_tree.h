/*
 * AddTree: mirrors a folder of the host into a directory of the image. Files become host-file
 * sources (opened only while the image is read, so a tree of 100,000 files holds no handles),
 * with the folder's times and hidden flags. Where the image already has an item of a name, the
 * folder's content prevails, as Microsoft documents; if anything fails, the image goes back to
 * its state before the call.
 *
 * With `with_streams` (AddTreeWithNamedStreams) each file's alternate data streams
 * (FindFirstStreamW; not the main "::$DATA") become its named streams, read from "file:name" when
 * the image is read; a file of the image that the folder overwrites takes the folder file's
 * streams in place of its own (plain AddTree leaves an overwritten file's streams alone). A
 * failure also undoes the stream changes. Where the host lists no streams (ERROR_HANDLE_EOF, as
 * Wine's FindFirstStreamW always answers, or a file system without streams) files have none.
 */
#ifndef OPENFSI_COM_HOST_TREE_H
#define OPENFSI_COM_HOST_TREE_H

#include "file_system_image.h"

HRESULT host_tree_add(struct file_system_image *owner, struct fsi_node *directory,
                      const WCHAR *source, BOOL include_base, BOOL with_streams, REFIID iid);

#endif
