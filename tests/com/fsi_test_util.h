/*
 * Helpers for the Windows tests that build images through COM: an image object, memory streams
 * with known bytes, a whole image stream read into memory, and a host folder made for AddTree.
 */
#ifndef OPENFSI_TESTS_COM_FSI_TEST_UTIL_H
#define OPENFSI_TESTS_COM_FSI_TEST_UTIL_H

#include "com_test.h"

#include <stdio.h>
#include <stdlib.h>

static inline IFileSystemImage3 *fsi_test_image(void)
{
    return com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage3);
}

static inline IFsiDirectoryItem *fsi_test_root(IFileSystemImage3 *image)
{
    IFsiDirectoryItem *root = NULL;
    assert_hr(S_OK, IFileSystemImage3_get_Root(image, &root));
    assert_non_null(root);
    return root;
}

/* A stream holding `size` bytes of a pattern that depends on `seed` and the offset. */
static inline IStream *fsi_test_stream(size_t size, unsigned seed)
{
    HGLOBAL memory = GlobalAlloc(GMEM_MOVEABLE, size ? size : 1);
    IStream *stream = NULL;
    BYTE *bytes;
    size_t i;

    assert_non_null(memory);
    bytes = GlobalLock(memory);
    for (i = 0; i < size; i++)
        bytes[i] = (BYTE)(i * 7 + seed + (i >> 11));
    GlobalUnlock(memory);
    assert_hr(S_OK, CreateStreamOnHGlobal(memory, TRUE, &stream));
    if (size == 0) {
        ULARGE_INTEGER zero;
        zero.QuadPart = 0;
        IStream_SetSize(stream, zero);
    } else {
        ULARGE_INTEGER exact;
        exact.QuadPart = size;
        IStream_SetSize(stream, exact);
    }
    return stream;
}

static inline BYTE fsi_test_pattern(size_t i, unsigned seed)
{
    return (BYTE)(i * 7 + seed + (i >> 11));
}

static inline void fsi_test_add_file(IFsiDirectoryItem *dir, const WCHAR *path, size_t size,
                                     unsigned seed)
{
    IStream *stream = fsi_test_stream(size, seed);
    BSTR name = SysAllocString(path);
    assert_hr(S_OK, IFsiDirectoryItem_AddFile(dir, name, stream));
    SysFreeString(name);
    IStream_Release(stream);
}

static inline void fsi_test_add_directory(IFsiDirectoryItem *dir, const WCHAR *path)
{
    BSTR name = SysAllocString(path);
    assert_hr(S_OK, IFsiDirectoryItem_AddDirectory(dir, name));
    SysFreeString(name);
}

/* The whole image of `image` read through its result's stream; frees with free(). */
static inline BYTE *fsi_test_read_image(IFileSystemImage3 *image, ULONG *sectors)
{
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    LONG blocks = 0;
    BYTE *data;
    ULONG got = 0;

    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    data = malloc((size_t)blocks * 2048);
    assert_non_null(data);
    assert_hr(S_OK, IStream_Read(stream, data, (ULONG)blocks * 2048, &got));
    assert_int_equal(got, (ULONG)blocks * 2048);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    *sectors = (ULONG)blocks;
    return data;
}

/* A fresh folder under the temporary folder (deleted with fsi_test_remove_folder). */
static inline void fsi_test_temp_folder(WCHAR path[MAX_PATH], const WCHAR *name)
{
    WCHAR temp[MAX_PATH];
    GetTempPathW(MAX_PATH, temp);
    _snwprintf(path, MAX_PATH, L"%lsopenfsi-%ls-%lu", temp, name, GetCurrentProcessId());
    CreateDirectoryW(path, NULL);
}

static inline void fsi_test_write_host_file(const WCHAR *folder, const WCHAR *name,
                                            const void *data, DWORD size)
{
    WCHAR path[MAX_PATH];
    HANDLE file;
    DWORD written = 0;

    _snwprintf(path, MAX_PATH, L"%ls\\%ls", folder, name);
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        fail_msg("cannot create %ls: error %lu", path, GetLastError());
    assert_true(WriteFile(file, data, size, &written, NULL));
    assert_int_equal(written, size);
    CloseHandle(file);
}

static inline void fsi_test_remove_folder(const WCHAR *folder)
{
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAW data;
    HANDLE find;

    _snwprintf(pattern, MAX_PATH, L"%ls\\*", folder);
    find = FindFirstFileW(pattern, &data);
    if (find != INVALID_HANDLE_VALUE) {
        do {
            if (!wcscmp(data.cFileName, L".") || !wcscmp(data.cFileName, L".."))
                continue;
            _snwprintf(path, MAX_PATH, L"%ls\\%ls", folder, data.cFileName);
            if (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                fsi_test_remove_folder(path);
            else
                DeleteFileW(path);
        } while (FindNextFileW(find, &data));
        FindClose(find);
    }
    RemoveDirectoryW(folder);
}

/* Finds `needle` in `data`; returns its offset or -1. */
static inline long fsi_test_find(const BYTE *data, size_t size, const void *needle, size_t length)
{
    size_t i;
    for (i = 0; i + length <= size; i++)
        if (!memcmp(data + i, needle, length))
            return (long)i;
    return -1;
}

/*
 * Looks up a path ("DIR/FILE.TXT;1", identifiers as recorded) in the ISO 9660 tree of an image
 * in memory (joliet: the Joliet tree, identifiers given in ASCII and compared as UCS-2). A test's
 * own small walk, to check what the image says without the engine's code.
 */
static inline int fsi_test_iso_lookup(const BYTE *image, ULONG sectors, const char *path,
                                      int joliet, ULONG *extent, ULONG *size, BYTE *flags)
{
    const BYTE *vd = image + (joliet ? 17 : 16) * 2048;
    const BYTE *root = vd + 156;
    ULONG dir_extent = root[2] | root[3] << 8 | root[4] << 16 | (ULONG)root[5] << 24;
    ULONG dir_size = root[10] | root[11] << 8 | root[12] << 16 | (ULONG)root[13] << 24;
    char part[256];

    while (*path) {
        size_t n = strcspn(path, "/"), at;
        int found = 0;
        memcpy(part, path, n);
        part[n] = 0;
        path += n + (path[n] == '/');
        for (at = 0; at < dir_size && !found;) {
            const BYTE *r;
            size_t length, k, id_length;
            if (dir_extent + (at / 2048) >= sectors)
                return 0;
            r = image + (size_t)dir_extent * 2048 + at;
            length = r[0];
            if (!length) {
                at = (at / 2048 + 1) * 2048;
                continue;
            }
            id_length = r[32];
            if (joliet) {
                found = id_length == 2 * n;
                for (k = 0; found && k < n; k++)
                    found = r[33 + 2 * k] == 0 && r[34 + 2 * k] == (BYTE)part[k];
            } else {
                found = id_length == n && !memcmp(r + 33, part, n);
            }
            if (found) {
                dir_extent = r[2] | r[3] << 8 | r[4] << 16 | (ULONG)r[5] << 24;
                dir_size = r[10] | r[11] << 8 | r[12] << 16 | (ULONG)r[13] << 24;
                *flags = r[25];
            }
            at += length;
        }
        if (!found)
            return 0;
    }
    *extent = dir_extent;
    *size = dir_size;
    return 1;
}

/* Asserts that `path` in the ISO 9660 tree holds `size` bytes of the pattern of `seed`. */
static inline void fsi_test_assert_file(const BYTE *image, ULONG sectors, const char *path,
                                        size_t size, unsigned seed)
{
    ULONG extent = 0, length = 0;
    BYTE flags = 0;
    size_t i;

    if (!fsi_test_iso_lookup(image, sectors, path, 0, &extent, &length, &flags))
        fail_msg("%s is not in the image", path);
    assert_int_equal(length, size);
    assert_true(extent + (length + 2047) / 2048 <= sectors);
    for (i = 0; i < size; i++)
        if (image[(size_t)extent * 2048 + i] != fsi_test_pattern(i, seed))
            fail_msg("%s: byte %lu differs", path, (unsigned long)i);
}

#endif
