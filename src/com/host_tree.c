/* AddTree over the host's folders (host_tree.h). */
#include <stdio.h>
#include <stdlib.h>

#include "host_tree.h"
#include "error_info.h"
#include "fsi_item.h"
#include "imapi2fserror.h"

/* Deeper than any folder tree a disc can hold; stops a link loop the walk did not see. */
#define MAX_HOST_DEPTH 1000

/* A stream added to or taken off a file during the walk, to be undone if the walk fails (the
   change log does not hold streams). */
struct stream_change {
    struct fsi_node *stream;
    BOOL added;
};

struct host_walk {
    struct file_system_image *owner;
    struct fsi_tree *tree;
    const IID *iid;
    WCHAR *path;            /* the folder being read, grown as needed */
    size_t path_length;
    size_t path_capacity;
    BOOL with_streams;      /* AddTreeWithNamedStreams */
    struct stream_change *changes;
    size_t change_count;
    size_t change_capacity;
    WCHAR message[512];
};

struct host_entry {
    WIN32_FIND_DATAW data;
};

static void set_times_and_flags(struct fsi_node *node, const WIN32_FIND_DATAW *data)
{
    fsi_node_set_times(node, fsi_time_from_filetime(&data->ftCreationTime),
                       fsi_time_from_filetime(&data->ftLastAccessTime),
                       fsi_time_from_filetime(&data->ftLastWriteTime));
    fsi_node_set_hidden(node, (data->dwFileAttributes & FILE_ATTRIBUTE_HIDDEN) != 0);
}

/* Appends "\\name" to the walk's path; returns the old length to cut back to. */
static HRESULT push_name(struct host_walk *walk, const WCHAR *name, size_t *old_length)
{
    size_t length = wcslen(name), needed = walk->path_length + 1 + length + 3;

    if (needed > walk->path_capacity) {
        size_t capacity = needed * 2;
        WCHAR *path = HeapReAlloc(GetProcessHeap(), 0, walk->path, capacity * sizeof(WCHAR));
        if (!path)
            return E_OUTOFMEMORY;
        walk->path = path;
        walk->path_capacity = capacity;
    }
    *old_length = walk->path_length;
    walk->path[walk->path_length++] = '\\';
    memcpy(walk->path + walk->path_length, name, length * sizeof(WCHAR));
    walk->path_length += length;
    walk->path[walk->path_length] = 0;
    return S_OK;
}

static void pop_name(struct host_walk *walk, size_t old_length)
{
    walk->path_length = old_length;
    walk->path[old_length] = 0;
}

static HRESULT fail(struct host_walk *walk, HRESULT hr, const WCHAR *what)
{
    _snwprintf(walk->message, ARRAY_SIZE(walk->message), L"%ls '%ls'.", what, walk->path);
    walk->message[ARRAY_SIZE(walk->message) - 1] = 0;
    return com_error(hr, walk->iid, walk->message);
}

static int compare_entries(const void *a, const void *b)
{
    return wcscmp(((const struct host_entry *)a)->data.cFileName,
                  ((const struct host_entry *)b)->data.cFileName);
}

/* The entries of the walk's folder, sorted by name so that one folder always gives the same
   image (the host lists them in no fixed order). */
static HRESULT read_folder(struct host_walk *walk, struct host_entry **out, size_t *count)
{
    struct host_entry *entries = NULL;
    size_t capacity = 0, old_length;
    WIN32_FIND_DATAW data;
    HANDLE find;
    HRESULT hr;

    *out = NULL;
    *count = 0;
    if (FAILED(hr = push_name(walk, L"*", &old_length)))
        return com_error(hr, walk->iid, NULL);
    find = FindFirstFileExW(walk->path, FindExInfoBasic, &data, FindExSearchNameMatch, NULL,
                            FIND_FIRST_EX_LARGE_FETCH);
    pop_name(walk, old_length);
    if (find == INVALID_HANDLE_VALUE)
        return fail(walk, IMAPI_E_DIRECTORY_READ_FAILURE, L"Cannot list the folder");
    do {
        if (!wcscmp(data.cFileName, L".") || !wcscmp(data.cFileName, L".."))
            continue;
        if (*count == capacity) {
            size_t more = capacity ? capacity * 2 : 64;
            struct host_entry *grown =
                entries ? HeapReAlloc(GetProcessHeap(), 0, entries, more * sizeof(*entries))
                        : HeapAlloc(GetProcessHeap(), 0, more * sizeof(*entries));
            if (!grown) {
                FindClose(find);
                HeapFree(GetProcessHeap(), 0, entries);
                return com_error(E_OUTOFMEMORY, walk->iid, NULL);
            }
            entries = grown;
            capacity = more;
        }
        entries[(*count)++].data = data;
    } while (FindNextFileW(find, &data));
    hr = GetLastError() == ERROR_NO_MORE_FILES ? S_OK : IMAPI_E_DIRECTORY_READ_FAILURE;
    FindClose(find);
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, entries);
        return fail(walk, hr, L"Cannot list the whole folder");
    }
    if (*count)
        qsort(entries, *count, sizeof(*entries), compare_entries);
    *out = entries;
    return S_OK;
}

/* The image's item of this name in `directory`, made to be of the wanted kind: an item of the
   other kind gives way (the folder's content prevails). */
static enum fsi_status clear_the_way(struct host_walk *walk, struct fsi_node *directory,
                                     const WCHAR *name, BOOL want_directory,
                                     struct fsi_node **existing)
{
    *existing = fsi_tree_find(walk->tree, directory, (const uint16_t *)name, wcslen(name));
    if (*existing && (fsi_node_is_directory(*existing) != 0) != (want_directory != FALSE)) {
        enum fsi_status status = fsi_tree_remove(walk->tree, *existing, 1);
        *existing = NULL;
        return status;
    }
    return FSI_OK;
}

/* Makes room to remember one more stream change. */
static HRESULT reserve_stream_change(struct host_walk *walk)
{
    size_t capacity;
    struct stream_change *grown;

    if (walk->change_count < walk->change_capacity)
        return S_OK;
    capacity = walk->change_capacity ? walk->change_capacity * 2 : 16;
    grown = walk->changes
                ? HeapReAlloc(GetProcessHeap(), 0, walk->changes, capacity * sizeof(*grown))
                : HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(*grown));
    if (!grown)
        return com_error(E_OUTOFMEMORY, walk->iid, NULL);
    walk->changes = grown;
    walk->change_capacity = capacity;
    return S_OK;
}

static void remember_stream_change(struct host_walk *walk, struct fsi_node *stream, BOOL added)
{
    walk->changes[walk->change_count].stream = stream;
    walk->changes[walk->change_count].added = added;
    walk->change_count++;
}

/* Newest first, so that a stream taken off comes back with no same-named stream in its way. */
static void undo_stream_changes(struct host_walk *walk)
{
    while (walk->change_count) {
        const struct stream_change *change = &walk->changes[--walk->change_count];
        if (change->added)
            fsi_tree_remove_stream(walk->tree, change->stream);
        else
            fsi_tree_restore_stream(walk->tree, change->stream);
    }
}

/*
 * One entry of FindFirstStreamW/FindNextStreamW, ":name:$DATA": its name, or NULL for the main
 * stream ("::$DATA") and for anything that is not a data stream.
 */
static const WCHAR *data_stream_name(const WCHAR *entry, size_t *length)
{
    const WCHAR *type;

    if (entry[0] != ':' || !(type = wcsrchr(entry + 1, ':')) || wcscmp(type, L":$DATA"))
        return NULL;
    *length = (size_t)(type - entry - 1);
    return *length ? entry + 1 : NULL;
}

/* A host path as UTF-8 (the engine's host-file sources); free with HeapFree. */
static char *utf8_path(const WCHAR *path)
{
    int bytes = WideCharToMultiByte(CP_UTF8, 0, path, -1, NULL, 0, NULL, NULL);
    char *utf8 = bytes > 0 ? HeapAlloc(GetProcessHeap(), 0, bytes) : NULL;

    if (utf8)
        WideCharToMultiByte(CP_UTF8, 0, path, -1, utf8, bytes, NULL, NULL);
    return utf8;
}

/* Adds the host stream `name` of the walk's file (read from "file:name") to `file`. */
static HRESULT add_host_stream(struct host_walk *walk, struct fsi_node *file, const WCHAR *name,
                               size_t length, uint64_t size)
{
    size_t units = walk->path_length + 1 + length + 1;
    WCHAR *path = HeapAlloc(GetProcessHeap(), 0, units * sizeof(WCHAR));
    char *utf8 = NULL;
    struct fsi_source source = { FSI_SOURCE_NONE, { 0 } };
    struct fsi_node *stream;
    enum fsi_status status;
    HRESULT hr;

    if (!path)
        return com_error(E_OUTOFMEMORY, walk->iid, NULL);
    _snwprintf(path, units, L"%ls:%.*ls", walk->path, (int)length, name);
    path[units - 1] = 0;
    if (size && !(utf8 = utf8_path(path))) {
        HeapFree(GetProcessHeap(), 0, path);
        return com_error(E_OUTOFMEMORY, walk->iid, NULL);
    }
    if (utf8)
        source = fsi_source_host_file(utf8);
    hr = fsi_item_check_name(walk->owner, name, length, walk->iid);
    if (SUCCEEDED(hr))
        hr = reserve_stream_change(walk);
    if (SUCCEEDED(hr)) {
        status = fsi_tree_add_stream(walk->tree, file, (const uint16_t *)name, length, size,
                                     &source, &stream);
        if (status == FSI_OK) {
            remember_stream_change(walk, stream, TRUE);
        } else if (status == FSI_E_INVALID_NAME) {
            _snwprintf(walk->message, ARRAY_SIZE(walk->message),
                       L"The named stream '%ls' has a name the image cannot hold.", path);
            walk->message[ARRAY_SIZE(walk->message) - 1] = 0;
            hr = com_error(IMAPI_E_INVALID_PARAM, walk->iid, walk->message);
        } else {
            hr = com_error_from_status(status, walk->iid);
        }
    }
    HeapFree(GetProcessHeap(), 0, utf8);    /* the tree keeps its own copy of the path */
    HeapFree(GetProcessHeap(), 0, path);
    return hr;
}

/* Why FindFirstStreamW lists nothing for a file that has no named streams to give. */
static BOOL no_streams_to_list(DWORD error)
{
    return error == ERROR_HANDLE_EOF ||             /* none (Wine: always) */
           error == ERROR_INVALID_PARAMETER ||      /* a file system without streams (FAT) */
           error == ERROR_INVALID_FUNCTION || error == ERROR_NOT_SUPPORTED ||
           error == ERROR_CALL_NOT_IMPLEMENTED;
}

/* Gives `file` the named streams of the walk's host file; `replace`: the image's file is being
   overwritten by the folder's, so its own streams go first. */
static HRESULT add_host_streams(struct host_walk *walk, struct fsi_node *file, BOOL replace)
{
    WIN32_FIND_STREAM_DATA data;
    HANDLE find;
    HRESULT hr = S_OK;

    while (replace && fsi_node_stream_count(file)) {
        struct fsi_node *old = fsi_node_stream(file, fsi_node_stream_count(file) - 1);
        if (FAILED(hr = reserve_stream_change(walk)))
            return hr;
        fsi_tree_remove_stream(walk->tree, old);
        remember_stream_change(walk, old, FALSE);
    }
    find = FindFirstStreamW(walk->path, FindStreamInfoStandard, &data, 0);
    if (find == INVALID_HANDLE_VALUE) {
        if (no_streams_to_list(GetLastError()))
            return S_OK;
        return fail(walk, IMAPI_E_DATA_STREAM_CREATE_FAILURE,
                    L"Cannot list the named streams of");
    }
    do {
        size_t length;
        const WCHAR *name = data_stream_name(data.cStreamName, &length);
        if (name)
            hr = add_host_stream(walk, file, name, length, (uint64_t)data.StreamSize.QuadPart);
    } while (SUCCEEDED(hr) && FindNextStreamW(find, &data));
    if (SUCCEEDED(hr) && GetLastError() != ERROR_HANDLE_EOF)
        hr = fail(walk, IMAPI_E_DATA_STREAM_CREATE_FAILURE,
                  L"Cannot list all the named streams of");
    FindClose(find);
    return hr;
}

static HRESULT add_file(struct host_walk *walk, struct fsi_node *directory,
                        const WIN32_FIND_DATAW *data)
{
    uint64_t size = (uint64_t)data->nFileSizeHigh << 32 | data->nFileSizeLow;
    struct fsi_node *file;
    HRESULT hr;
    struct fsi_source source;
    enum fsi_status status;
    BOOL overwritten;
    char *utf8 = utf8_path(walk->path);

    if (!utf8)
        return com_error(E_OUTOFMEMORY, walk->iid, NULL);
    source = size ? fsi_source_host_file(utf8) : (struct fsi_source){ FSI_SOURCE_NONE, { 0 } };

    if (FAILED(hr = fsi_item_check_name(walk->owner, data->cFileName, wcslen(data->cFileName),
                                        walk->iid))) {
        HeapFree(GetProcessHeap(), 0, utf8);
        return hr;
    }
    status = clear_the_way(walk, directory, data->cFileName, FALSE, &file);
    overwritten = file != NULL;
    if (status == FSI_OK && file)
        status = fsi_tree_set_file_data(walk->tree, file, size, &source);
    else if (status == FSI_OK)
        status = fsi_tree_add_file(walk->tree, directory, (const uint16_t *)data->cFileName,
                                   wcslen(data->cFileName), size, &source, &file);
    HeapFree(GetProcessHeap(), 0, utf8);   /* the tree keeps its own copy of the path */
    if (status != FSI_OK)
        return com_error_from_status(status, walk->iid);
    set_times_and_flags(file, data);
    if (walk->with_streams && FAILED(hr = add_host_streams(walk, file, overwritten)))
        return hr;
    directory_item_report_file(walk->owner, file);
    return S_OK;
}

static HRESULT add_folder(struct host_walk *walk, struct fsi_node *directory, unsigned depth);

static HRESULT add_subfolder(struct host_walk *walk, struct fsi_node *directory,
                             const WIN32_FIND_DATAW *data, unsigned depth)
{
    struct fsi_node *child;
    enum fsi_status status;
    HRESULT hr;

    if (FAILED(hr = fsi_item_check_name(walk->owner, data->cFileName, wcslen(data->cFileName),
                                        walk->iid)))
        return hr;
    status = clear_the_way(walk, directory, data->cFileName, TRUE, &child);
    if (status == FSI_OK && !child)
        status = fsi_tree_add_directory(walk->tree, directory, (const uint16_t *)data->cFileName,
                                        wcslen(data->cFileName), &child);
    if (status != FSI_OK)
        return com_error_from_status(status, walk->iid);
    set_times_and_flags(child, data);
    return add_folder(walk, child, depth + 1);
}

static HRESULT add_folder(struct host_walk *walk, struct fsi_node *directory, unsigned depth)
{
    struct host_entry *entries;
    size_t count, i, old_length;
    HRESULT hr;

    if (depth > MAX_HOST_DEPTH)
        return fail(walk, IMAPI_E_DIRECTORY_READ_FAILURE, L"The folder tree is too deep at");
    if (FAILED(hr = read_folder(walk, &entries, &count)))
        return hr;
    for (i = 0; i < count && SUCCEEDED(hr); i++) {
        const WIN32_FIND_DATAW *data = &entries[i].data;
        if (FAILED(hr = push_name(walk, data->cFileName, &old_length))) {
            hr = com_error(hr, walk->iid, NULL);
            break;
        }
        if (!(data->dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
            hr = add_file(walk, directory, data);
        else if (!(data->dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
            hr = add_subfolder(walk, directory, data, depth);
        /* A linked folder is not followed: it could lead back up the tree. */
        pop_name(walk, old_length);
    }
    HeapFree(GetProcessHeap(), 0, entries);
    return hr;
}

/* The source folder without trailing separators (but "C:\" stays whole). */
static HRESULT start_path(struct host_walk *walk, const WCHAR *source)
{
    size_t length = wcslen(source);

    while (length > 1 && (source[length - 1] == '\\' || source[length - 1] == '/') &&
           !(length == 3 && source[1] == ':'))
        length--;
    walk->path_capacity = length + 64;
    walk->path = HeapAlloc(GetProcessHeap(), 0, walk->path_capacity * sizeof(WCHAR));
    if (!walk->path)
        return E_OUTOFMEMORY;
    memcpy(walk->path, source, length * sizeof(WCHAR));
    walk->path_length = length;
    if (length && walk->path[length - 1] == '\\')
        walk->path_length--;        /* "C:\" + "\*" would be doubled */
    walk->path[walk->path_length] = 0;
    return S_OK;
}

/* The last part of the source folder's path, for includeBaseDirectory. */
static const WCHAR *base_name(const WCHAR *path)
{
    const WCHAR *name = path, *p;

    for (p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            name = p + 1;
    return name;
}

HRESULT host_tree_add(struct file_system_image *owner, struct fsi_node *directory,
                      const WCHAR *source, BOOL include_base, BOOL with_streams, REFIID iid)
{
    struct host_walk walk;
    WIN32_FILE_ATTRIBUTE_DATA attributes;
    uint32_t change_point;
    HRESULT hr;

    memset(&walk, 0, sizeof(walk));
    walk.owner = owner;
    walk.iid = iid;
    walk.with_streams = with_streams;
    if (FAILED(start_path(&walk, source)))
        return com_error(E_OUTOFMEMORY, iid, NULL);
    if (!GetFileAttributesExW(walk.path, GetFileExInfoStandard, &attributes)) {
        hr = fail(&walk, HRESULT_FROM_WIN32(GetLastError()), L"Cannot find the source folder");
        HeapFree(GetProcessHeap(), 0, walk.path);
        return hr;
    }
    if (!(attributes.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
        hr = fail(&walk, IMAPI_E_INVALID_PARAM, L"The source is not a folder:");
        HeapFree(GetProcessHeap(), 0, walk.path);
        return hr;
    }

    file_system_image_enter(owner);
    walk.tree = file_system_image_tree(owner);
    change_point = fsi_tree_change_point(walk.tree);
    if (!fsi_node_is_directory(directory)) {
        hr = com_error(IMAPI_E_NOT_DIR, iid, NULL);
    } else if (include_base && *base_name(walk.path)) {
        WIN32_FIND_DATAW data;
        memset(&data, 0, sizeof(data));
        lstrcpynW(data.cFileName, base_name(walk.path), MAX_PATH);
        data.dwFileAttributes = attributes.dwFileAttributes;
        data.ftCreationTime = attributes.ftCreationTime;
        data.ftLastAccessTime = attributes.ftLastAccessTime;
        data.ftLastWriteTime = attributes.ftLastWriteTime;
        hr = add_subfolder(&walk, directory, &data, 0);
    } else {
        hr = add_folder(&walk, directory, 0);
    }
    if (FAILED(hr)) {
        undo_stream_changes(&walk);
        fsi_tree_rollback(walk.tree, change_point);
    }
    file_system_image_leave(owner);
    HeapFree(GetProcessHeap(), 0, walk.changes);
    HeapFree(GetProcessHeap(), 0, walk.path);
    return hr;
}
