/*
 * image_file_state.h: the open image file that OpenFsi.ImageFileMedia and its objects share.
 * Plain file I/O in whole sectors under one lock, with the written end kept apart from the file's
 * size so a session being written is not readable before it is complete. No COM object lives here
 * and no sector is interpreted.
 */
#include <stdio.h>

#include "image_file_state.h"
#include "imapi2error.h"

static WCHAR *message_printf(const WCHAR *format, const WCHAR *path)
{
    size_t length = lstrlenW(format) + lstrlenW(path) + 1;
    WCHAR *text = HeapAlloc(GetProcessHeap(), 0, length * sizeof(WCHAR));

    if (text) {
        _snwprintf(text, length, format, path);
        text[length - 1] = 0;
    }
    return text;
}

HRESULT image_file_open(const WCHAR *path, BOOL rewritable, ULONG total_sectors,
                        struct image_file **out, WCHAR **message)
{
    struct image_file *file;
    LARGE_INTEGER size;
    HANDLE handle;
    HRESULT hr;

    *out = NULL;
    *message = NULL;
    handle = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, NULL);
    if (handle == INVALID_HANDLE_VALUE) {
        hr = HRESULT_FROM_WIN32(GetLastError());
        *message = message_printf(L"The image file '%ls' cannot be opened for reading and "
                                  L"writing.", path);
        return hr;
    }
    if (!GetFileSizeEx(handle, &size)) {
        hr = HRESULT_FROM_WIN32(GetLastError());
        CloseHandle(handle);
        return hr;
    }
    if (size.QuadPart % IMAGE_FILE_SECTOR) {
        CloseHandle(handle);
        *message = message_printf(L"The image file '%ls' is not a whole number of 2048-byte "
                                  L"sectors.", path);
        return E_INVALIDARG;
    }
    if ((ULONGLONG)size.QuadPart / IMAGE_FILE_SECTOR > total_sectors) {
        CloseHandle(handle);
        *message = message_printf(L"The image file '%ls' holds more sectors than the media's "
                                  L"capacity (totalSectors).", path);
        return E_INVALIDARG;
    }
    file = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*file));
    if (file)
        file->path = HeapAlloc(GetProcessHeap(), 0, (lstrlenW(path) + 1) * sizeof(WCHAR));
    if (!file || !file->path) {
        if (file)
            HeapFree(GetProcessHeap(), 0, file);
        CloseHandle(handle);
        return E_OUTOFMEMORY;
    }
    lstrcpyW(file->path, path);
    file->ref = 1;
    InitializeCriticalSection(&file->lock);
    file->handle = handle;
    file->rewritable = rewritable;
    file->total_sectors = total_sectors;
    file->sectors = (ULONG)(size.QuadPart / IMAGE_FILE_SECTOR);
    *out = file;
    return S_OK;
}

void image_file_addref(struct image_file *file)
{
    InterlockedIncrement(&file->ref);
}

void image_file_close(struct image_file *file)
{
    EnterCriticalSection(&file->lock);
    if (file->handle != INVALID_HANDLE_VALUE) {
        CloseHandle(file->handle);
        file->handle = INVALID_HANDLE_VALUE;
    }
    LeaveCriticalSection(&file->lock);
}

void image_file_release(struct image_file *file)
{
    if (InterlockedDecrement(&file->ref))
        return;
    image_file_close(file);
    SysFreeString(file->exclusive_owner);
    DeleteCriticalSection(&file->lock);
    HeapFree(GetProcessHeap(), 0, file->path);
    HeapFree(GetProcessHeap(), 0, file);
}

void image_file_status(struct image_file *file, struct image_file_status *status)
{
    EnterCriticalSection(&file->lock);
    status->open = file->handle != INVALID_HANDLE_VALUE;
    status->rewritable = file->rewritable;
    status->total_sectors = file->total_sectors;
    status->sectors = file->sectors;
    LeaveCriticalSection(&file->lock);
}

static HRESULT seek(HANDLE handle, ULONGLONG offset)
{
    LARGE_INTEGER at;

    at.QuadPart = (LONGLONG)offset;
    return SetFilePointerEx(handle, at, NULL, FILE_BEGIN) ? S_OK
                                                          : HRESULT_FROM_WIN32(GetLastError());
}

HRESULT image_file_read(struct image_file *file, ULONG first, ULONG count, BYTE *buffer)
{
    ULONGLONG bytes = (ULONGLONG)count * IMAGE_FILE_SECTOR;
    HRESULT hr = S_OK;
    DWORD got;

    EnterCriticalSection(&file->lock);
    if (file->handle == INVALID_HANDLE_VALUE)
        hr = E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    else if (first > file->sectors || count > file->sectors - first || bytes > 0x7fffffff)
        hr = E_INVALIDARG;
    else
        hr = seek(file->handle, (ULONGLONG)first * IMAGE_FILE_SECTOR);
    if (SUCCEEDED(hr) && count &&
        (!ReadFile(file->handle, buffer, (DWORD)bytes, &got, NULL) || got != bytes))
        hr = E_FAIL;
    LeaveCriticalSection(&file->lock);
    return hr;
}

HRESULT image_file_write(struct image_file *file, ULONGLONG offset, const BYTE *data, ULONG size)
{
    HRESULT hr;
    DWORD put;

    EnterCriticalSection(&file->lock);
    hr = file->handle == INVALID_HANDLE_VALUE ? E_IMAPI_RECORDER_MEDIA_NO_MEDIA
                                              : seek(file->handle, offset);
    if (SUCCEEDED(hr) && (!WriteFile(file->handle, data, size, &put, NULL) || put != size))
        hr = HRESULT_FROM_WIN32(GetLastError() ? GetLastError() : ERROR_WRITE_FAULT);
    LeaveCriticalSection(&file->lock);
    return hr;
}

HRESULT image_file_set_sectors(struct image_file *file, ULONG sectors)
{
    HRESULT hr;

    EnterCriticalSection(&file->lock);
    hr = file->handle == INVALID_HANDLE_VALUE
             ? E_IMAPI_RECORDER_MEDIA_NO_MEDIA
             : seek(file->handle, (ULONGLONG)sectors * IMAGE_FILE_SECTOR);
    if (SUCCEEDED(hr) && !SetEndOfFile(file->handle))
        hr = HRESULT_FROM_WIN32(GetLastError());
    if (SUCCEEDED(hr))
        file->sectors = sectors;
    LeaveCriticalSection(&file->lock);
    return hr;
}

HRESULT image_file_flush(struct image_file *file)
{
    HRESULT hr = S_OK;

    EnterCriticalSection(&file->lock);
    if (file->handle == INVALID_HANDLE_VALUE)
        hr = E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    else if (!FlushFileBuffers(file->handle))
        hr = HRESULT_FROM_WIN32(GetLastError());
    LeaveCriticalSection(&file->lock);
    return hr;
}

static enum fsi_status disc_read(void *context, uint32_t first, uint32_t count, void *buffer)
{
    return SUCCEEDED(image_file_read(context, first, count, buffer)) ? FSI_OK : FSI_E_DISC_READ;
}

void image_file_disc(struct image_file *file, ULONG sector_count, struct fsi_disc *disc)
{
    disc->read = disc_read;
    disc->context = file;
    disc->sector_count = sector_count;
}
