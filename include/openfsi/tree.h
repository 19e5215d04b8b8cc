/*
 * The tree of directories and files an image is made from. Names are UTF-16 code units, as
 * Windows and COM give them, and are unique within a directory without regard to case. Each file
 * has a declared size and a source for its bytes; each item has three times and a hidden flag.
 *
 * The tree knows nothing of file systems: identifiers, ordering and sectors are decided when an
 * image is laid out from it (openfsi/image.h). It is made for several hundred thousand items:
 * looking up a name is a hash-table probe.
 */
#ifndef OPENFSI_TREE_H
#define OPENFSI_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "openfsi/source.h"
#include "openfsi/status.h"
#include "openfsi/time.h"

struct fsi_tree;
struct fsi_node;

struct fsi_tree *fsi_tree_create(void);
void fsi_tree_destroy(struct fsi_tree *tree);

struct fsi_node *fsi_tree_root(struct fsi_tree *tree);

/*
 * Adds a directory or a file under `parent`. Fails with FSI_E_INVALID_NAME for a name Windows
 * would refuse, FSI_E_DUPLICATE_NAME when the directory already has an item of that name (any
 * case) and FSI_E_NOT_DIRECTORY when `parent` is a file (FSI_E_INVALID_ARGUMENT when `parent` is
 * NULL or belongs to another tree). `parent` may be a detached directory. A file's source is
 * copied (a host path into the tree's own memory); `out` may be NULL.
 */
enum fsi_status fsi_tree_add_directory(struct fsi_tree *tree, struct fsi_node *parent,
                                       const uint16_t *name, size_t length,
                                       struct fsi_node **out);
enum fsi_status fsi_tree_add_file(struct fsi_tree *tree, struct fsi_node *parent,
                                  const uint16_t *name, size_t length, uint64_t size,
                                  const struct fsi_source *source, struct fsi_node **out);

/*
 * Whether a name keeps to the restricted character set of UseRestrictedCharacterSet: "characters
 * that map directly to CP_ANSI (code points 32 through 127)", as Microsoft documents it.
 */
int fsi_name_is_restricted_ansi(const uint16_t *name, size_t length);

/* The child of `parent` with this name in any case, or NULL. */
struct fsi_node *fsi_tree_find(const struct fsi_tree *tree, const struct fsi_node *parent,
                               const uint16_t *name, size_t length);

/*
 * Files and directories below the root (attached items only: detached items and what lies below
 * them are not counted).
 */
size_t fsi_tree_file_count(const struct fsi_tree *tree);
size_t fsi_tree_directory_count(const struct fsi_tree *tree);   /* without the root */

/*
 * Detached items: IFileSystemImage::CreateFileItem and CreateDirectoryItem make items that are
 * not in the tree yet; IFsiDirectoryItem::Add attaches them. A detached directory may be given
 * children with fsi_tree_add_* (they stay detached with it). A node removed from the tree is
 * detached in the same way: its memory lives as long as the tree, so a caller may keep pointers
 * to nodes (a COM item wraps one) and attach them again. Fails with FSI_E_INVALID_NAME for a bad
 * name, FSI_E_INVALID_ARGUMENT for a bad source (as fsi_tree_add_file) or a NULL `out`.
 */
enum fsi_status fsi_tree_new_directory(struct fsi_tree *tree, const uint16_t *name,
                                       size_t length, struct fsi_node **out);
enum fsi_status fsi_tree_new_file(struct fsi_tree *tree, const uint16_t *name, size_t length,
                                  uint64_t size, const struct fsi_source *source,
                                  struct fsi_node **out);

/* Whether `node` is the root or reachable from it. */
int fsi_node_is_attached(const struct fsi_node *node);

/*
 * Puts the detached `node`, with everything below it, into directory `parent` (attached or
 * not). FSI_E_NOT_DIRECTORY when `parent` is a file, FSI_E_DUPLICATE_NAME when `parent` has an
 * item of that name, FSI_E_INVALID_ARGUMENT when `node` is the root, is not detached (it has a
 * parent) or is a named stream, `parent` is `node` or lies below it, or either belongs to another
 * tree.
 */
enum fsi_status fsi_tree_attach(struct fsi_tree *tree, struct fsi_node *parent,
                                struct fsi_node *node);

/*
 * Takes `node` out of its directory; it becomes detached with everything below it. A directory
 * with children is removed only when `recursive` (FSI_E_DIRECTORY_NOT_EMPTY otherwise).
 * FSI_E_INVALID_ARGUMENT for the root or a node that has no parent.
 */
enum fsi_status fsi_tree_remove(struct fsi_tree *tree, struct fsi_node *node, int recursive);

/*
 * Gives file `node` new data (IFsiFileItem::put_Data); FSI_E_INVALID_ARGUMENT for a directory.
 * The source is copied as fsi_tree_add_file copies it. The old source is released when the
 * change can no longer be rolled back (fsi_tree_lock_in) or with the tree.
 */
enum fsi_status fsi_tree_set_file_data(struct fsi_tree *tree, struct fsi_node *node,
                                       uint64_t size, const struct fsi_source *source);

/*
 * Change points (IFileSystemImage::ChangePoint, RollbackToChangePoint, LockInChangePoint).
 * Every successful fsi_tree_add_*, fsi_tree_attach, fsi_tree_remove and fsi_tree_set_file_data
 * is one change, whether or not it touches the attached tree; making detached items, times and
 * the hidden flag are not. The change point is the number of changes so far.
 * fsi_tree_rollback undoes, newest first, every change after `point`: added items become
 * detached (their nodes stay valid), removed items go back where they were (same place among
 * their siblings), attached items become detached again, replaced data comes back.
 * FSI_E_INVALID_ARGUMENT when `point` is later than now or earlier than the last lock-in.
 * Undoing new file data lets go of (releases) the newer source at once.
 * fsi_tree_lock_in forgets the changes so far: no rollback to a point before it. It releases the
 * old sources replaced by fsi_tree_set_file_data; a node keeps its own source, whether attached or
 * not, until the tree is destroyed.
 */
uint32_t fsi_tree_change_point(const struct fsi_tree *tree);
enum fsi_status fsi_tree_rollback(struct fsi_tree *tree, uint32_t point);
void fsi_tree_lock_in(struct fsi_tree *tree);
/* The node that change number `change` (from the last lock-in to now) added with
   fsi_tree_add_*, or NULL for a change of another kind or out of that range: what an import
   added, in the order it was read. */
struct fsi_node *fsi_tree_added_node(const struct fsi_tree *tree, uint32_t change);

/*
 * Paths relative to a directory: components separated by '\\' or '/'; separators at the start
 * and the end, and repeated ones, are ignored. Every component is checked first
 * (FSI_E_INVALID_PATH when one is not a valid name), then followed: FSI_E_NOT_FOUND when one does
 * not exist, FSI_E_NOT_DIRECTORY when one before the last (or `from`) is a file.
 * fsi_tree_lookup finds the item; a path without components ("", "\\") gives `from` itself.
 * fsi_tree_lookup_parent finds the directory the last component would be in (which must exist;
 * FSI_E_INVALID_PATH when the path has no component) and returns that component, unchecked,
 * inside `path`. FSI_E_INVALID_ARGUMENT for NULL arguments or a `from` of another tree.
 */
enum fsi_status fsi_tree_lookup(const struct fsi_tree *tree, const struct fsi_node *from,
                                const uint16_t *path, size_t length, struct fsi_node **out);
enum fsi_status fsi_tree_lookup_parent(const struct fsi_tree *tree, const struct fsi_node *from,
                                       const uint16_t *path, size_t length,
                                       struct fsi_node **parent, const uint16_t **leaf,
                                       size_t *leaf_length);

/*
 * The full path of `node` as IFsiItem::FullPath gives it: "\\" for the root, "\\dir\\file" below
 * it; a detached node's path starts at its topmost detached ancestor ("\\name"); a named stream's
 * is its file's path, ':' and the stream's name ("\\dir\\file:stream", as Windows writes it). Writes at most
 * `capacity` units (no NUL; the start of the path when it is longer) and returns how many the
 * whole path needs; `out` may be NULL when `capacity` is 0.
 */
size_t fsi_node_path(const struct fsi_node *node, uint16_t *out, size_t capacity);

/*
 * A copy of the attached tree (the root and everything below it, children in the same order,
 * with names, sizes, times, hidden flags and sources), for an image that must stay as it was
 * when the original changes. A callback source is shared: the copy calls its `retain` once per
 * file and `release` once per file when destroyed. Detached items and the change log are not
 * copied; node ids of the copy are its own (1..n in preorder). FSI_E_INVALID_ARGUMENT when a
 * copied callback source has `release` but no `retain` (the copy could not take its own hold).
 */
enum fsi_status fsi_tree_snapshot(const struct fsi_tree *tree, struct fsi_tree **copy);

void fsi_node_set_times(struct fsi_node *node, fsi_time created, fsi_time accessed,
                        fsi_time modified);
void fsi_node_set_hidden(struct fsi_node *node, int hidden);
void fsi_node_times(const struct fsi_node *node, fsi_time *created, fsi_time *accessed,
                    fsi_time *modified);
int fsi_node_is_hidden(const struct fsi_node *node);
/* The real-time flag of a file (IFsiFileItem2::IsRealTime): kept for the writers that record
   it (UDF 2.01 and later); like times and the hidden flag, not a change. */
void fsi_node_set_realtime(struct fsi_node *node, int realtime);
int fsi_node_is_realtime(const struct fsi_node *node);
/* The source of a file's data as the tree holds it (kind FSI_SOURCE_NONE for a directory or a
   file given no data). */
const struct fsi_source *fsi_node_source(const struct fsi_node *node);

/*
 * Named streams of a file (IFsiFileItem2::FsiNamedStreams; UDF 2.00 and later record them, the
 * other file systems ignore them). A stream is a node of its own with a name, a size and a source,
 * unique among its file's streams without regard to case; it has no parent, is never among a
 * directory's children and is not counted as a file. It has no times of its own: the writers
 * record a stream with its file's times. Adding or removing a stream is not a change of the
 * change log (a rollback leaves a file's streams as they are). fsi_tree_add_stream fails with
 * FSI_E_INVALID_ARGUMENT when `file` is a directory or a stream, FSI_E_INVALID_NAME for a bad
 * name and FSI_E_DUPLICATE_NAME when the file has a stream of that name already.
 */
enum fsi_status fsi_tree_add_stream(struct fsi_tree *tree, struct fsi_node *file,
                                    const uint16_t *name, size_t length, uint64_t size,
                                    const struct fsi_source *source, struct fsi_node **out);
/* Takes `stream` out of its file (FSI_E_INVALID_ARGUMENT when it is not a stream of one). */
enum fsi_status fsi_tree_remove_stream(struct fsi_tree *tree, struct fsi_node *stream);
/*
 * Puts a stream taken out by fsi_tree_remove_stream back on its file, last among its streams (to
 * undo a removal). FSI_E_INVALID_ARGUMENT when `stream` is not a removed stream, and
 * FSI_E_DUPLICATE_NAME when the file has a stream of its name again.
 */
enum fsi_status fsi_tree_restore_stream(struct fsi_tree *tree, struct fsi_node *stream);
uint32_t fsi_node_stream_count(const struct fsi_node *file);
struct fsi_node *fsi_node_stream(const struct fsi_node *file, uint32_t index);
/* The stream of `file` named `name` (without regard to case), or NULL. */
struct fsi_node *fsi_node_find_stream(const struct fsi_node *file, const uint16_t *name,
                                      size_t length);
/* The file a named stream belongs to; NULL for every other node. */
struct fsi_node *fsi_node_stream_owner(const struct fsi_node *node);
/*
 * The file a named stream was added to, whether or not it is still one of the file's streams;
 * NULL for a node that was never a stream. A stream, even removed, stays a stream: it is never
 * put into a directory (fsi_tree_attach) nor given streams of its own.
 */
struct fsi_node *fsi_node_stream_file(const struct fsi_node *node);

int fsi_node_is_directory(const struct fsi_node *node);
const uint16_t *fsi_node_name(const struct fsi_node *node, size_t *length);
uint64_t fsi_node_size(const struct fsi_node *node);
struct fsi_node *fsi_node_parent(const struct fsi_node *node);
size_t fsi_node_child_count(const struct fsi_node *node);
struct fsi_node *fsi_node_child(const struct fsi_node *node, size_t index);

#endif
