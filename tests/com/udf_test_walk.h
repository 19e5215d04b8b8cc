/*
 * A small UDF reader over an IStream, the tests' own (it shares nothing with openfsi): the anchor
 * at 256, the main volume descriptor sequence, the file set, file entries (plain and extended),
 * allocation descriptors and directories' identifiers, looked up by path; and the few COM steps
 * the UDF tests share (an image of given file systems and revision, its result written to a file
 * and read back). Every length read from the image is checked before use.
 */
#ifndef OPENFSI_TESTS_COM_UDF_TEST_WALK_H
#define OPENFSI_TESTS_COM_UDF_TEST_WALK_H

#include "fsi_test_util.h"

#define SECTOR 2048
#define TAG_PVD 1
#define TAG_ANCHOR 2
#define TAG_PARTITION 5
#define TAG_LOGICAL_VOLUME 6
#define TAG_TERMINATOR 8
#define TAG_FILE_SET 256
#define TAG_FID 257
#define TAG_FILE_ENTRY 261
#define TAG_EXTENDED_FILE_ENTRY 266
#define FILE_TYPE_REGULAR 5
#define FILE_TYPE_REAL_TIME 249

static inline ULONG le16(const BYTE *p) { return p[0] | p[1] << 8; }
static inline ULONG le32(const BYTE *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (ULONG)p[3] << 24;
}
static inline ULONGLONG le64(const BYTE *p) { return le32(p) | (ULONGLONG)le32(p + 4) << 32; }

struct udf_view {
    IStream *stream;
    ULONG sectors;
    ULONG partition_start;
    ULONG root_icb;                 /* block of the root's file entry */
    WCHAR volume[130];              /* the logical volume identifier */
    WCHAR pvd_volume[33];           /* the primary volume descriptor's volume identifier */
};

static inline void read_sector(IStream *stream, ULONGLONG sector, BYTE *out)
{
    LARGE_INTEGER at;
    ULONG got = 0;

    at.QuadPart = (LONGLONG)(sector * SECTOR);
    assert_hr(S_OK, IStream_Seek(stream, at, STREAM_SEEK_SET, NULL));
    assert_hr(S_OK, IStream_Read(stream, out, SECTOR, &got));
    assert_int_equal(got, SECTOR);
}

/* The tag's identifier, after checking its checksum and that it says where it is. */
static inline ULONG tag_id(const BYTE *tag, ULONG location)
{
    unsigned sum = 0, i;

    for (i = 0; i < 16; i++)
        if (i != 4)
            sum += tag[i];
    if ((sum & 0xFF) != tag[4] || le32(tag + 12) != location)
        return 0;
    return le16(tag);
}

/* CS0 (ids 8 and 16) to UTF-16; returns the number of units. */
static inline size_t cs0_decode(const BYTE *in, size_t length, WCHAR *out)
{
    size_t i, n = 0;

    if (!length)
        return 0;
    if (in[0] == 8)
        for (i = 1; i < length; i++)
            out[n++] = in[i];
    else if (in[0] == 16)
        for (i = 1; i + 1 < length; i += 2)
            out[n++] = (WCHAR)(in[i] << 8 | in[i + 1]);
    else
        fail_msg("CS0 compression id %u", in[0]);
    return n;
}

static inline void dstring(const BYTE *field, size_t size, WCHAR *out)
{
    size_t used = field[size - 1];
    assert_true(used < size);
    out[cs0_decode(field, used, out)] = 0;
}

/*
 * Checks the volume recognition sequence: ISO 9660's descriptors first when `iso` (CD001, the
 * Joliet supplementary one when `joliet`, the terminator), then BEA01, NSR02 or NSR03, TEA01 in
 * the next three sectors.
 */
static inline void check_recognition(IStream *stream, BOOL iso, BOOL joliet, LONG revision)
{
    const char *nsr = revision >= 0x200 ? "NSR03" : "NSR02";
    BYTE sector[SECTOR];
    ULONG at = 16;

    if (iso) {
        read_sector(stream, at++, sector);
        assert_memory_equal(sector + 1, "CD001", 5);
        assert_int_equal(sector[0], 1);
        if (joliet) {
            read_sector(stream, at++, sector);
            assert_memory_equal(sector + 1, "CD001", 5);
            assert_int_equal(sector[0], 2);
        }
        read_sector(stream, at++, sector);
        assert_memory_equal(sector + 1, "CD001", 5);
        assert_int_equal(sector[0], 255);
    }
    read_sector(stream, at++, sector);
    assert_memory_equal(sector + 1, "BEA01", 5);
    read_sector(stream, at++, sector);
    if (memcmp(sector + 1, nsr, 5))
        fail_msg("sector %lu holds %.5s, not %s", at - 1, (const char *)sector + 1, nsr);
    read_sector(stream, at++, sector);
    assert_memory_equal(sector + 1, "TEA01", 5);
    if (!iso) {
        read_sector(stream, 16, sector);
        assert_memory_equal(sector + 1, "BEA01", 5);    /* no ISO 9660 descriptor before it */
    }
}

/* Anchor at 256, main volume descriptor sequence, file set descriptor. */
static inline void udf_open(IStream *stream, struct udf_view *view)
{
    BYTE sector[SECTOR];
    ULONG vds, vds_sectors, i, fsd = 0, id;
    STATSTG stat;
    BOOL have_pd = FALSE, have_lvd = FALSE;

    memset(view, 0, sizeof(*view));
    view->stream = stream;
    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_NONAME));
    view->sectors = (ULONG)(stat.cbSize.QuadPart / SECTOR);
    read_sector(stream, 256, sector);
    assert_int_equal(tag_id(sector, 256), TAG_ANCHOR);
    vds_sectors = le32(sector + 16) / SECTOR;
    vds = le32(sector + 20);
    assert_true(vds_sectors > 0 && vds + vds_sectors < view->sectors);
    for (i = 0; i < vds_sectors; i++) {
        read_sector(stream, vds + i, sector);
        id = tag_id(sector, vds + i);
        if (id == TAG_PVD)
            dstring(sector + 24, 32, view->pvd_volume);
        else if (id == TAG_PARTITION) {
            view->partition_start = le32(sector + 188);
            have_pd = TRUE;
        } else if (id == TAG_LOGICAL_VOLUME) {
            dstring(sector + 84, 128, view->volume);
            assert_int_equal(le32(sector + 212), SECTOR);
            fsd = le32(sector + 252);
            have_lvd = TRUE;
        } else if (id == TAG_TERMINATOR || id == 0)
            break;
    }
    assert_true(have_pd && have_lvd);
    /* From 2.50 the file set is in the metadata partition, whose block n is physical block n
       of the partition in openfsi's images (one extent from block 0): the same arithmetic. */
    read_sector(stream, view->partition_start + fsd, sector);
    assert_int_equal(tag_id(sector, fsd), TAG_FILE_SET);
    view->root_icb = le32(sector + 400 + 4);
}

struct udf_entry_info {
    ULONG tag;                      /* TAG_FILE_ENTRY or TAG_EXTENDED_FILE_ENTRY */
    ULONGLONG size;                 /* information length */
    BYTE file_type;
    ULONG ad_type;                  /* 0 short_ad, 1 long_ad, 3 embedded */
    BYTE sector[SECTOR];            /* the entry itself */
    ULONG ad_offset, ad_length;
};

static inline void read_entry(const struct udf_view *view, ULONG block,
                              struct udf_entry_info *info)
{
    ULONG id;

    read_sector(view->stream, view->partition_start + (ULONGLONG)block, info->sector);
    id = tag_id(info->sector, block);
    assert_true(id == TAG_FILE_ENTRY || id == TAG_EXTENDED_FILE_ENTRY);
    info->tag = id;
    info->file_type = info->sector[27];
    info->ad_type = le16(info->sector + 34) & 7;
    info->size = le64(info->sector + 56);
    if (id == TAG_FILE_ENTRY) {
        info->ad_offset = 176 + le32(info->sector + 168);
        info->ad_length = le32(info->sector + 172);
    } else {
        info->ad_offset = 216 + le32(info->sector + 208);
        info->ad_length = le32(info->sector + 212);
    }
    assert_true(info->ad_offset + info->ad_length <= SECTOR);
}

/* The partition block holding byte `offset` of an entry's data (short or long ADs). */
static inline ULONG block_of(const struct udf_entry_info *info, ULONGLONG offset)
{
    ULONG at = 0, step = info->ad_type == 0 ? 8 : 16;

    assert_true(info->ad_type == 0 || info->ad_type == 1);
    for (at = 0; at + step <= info->ad_length; at += step) {
        const BYTE *ad = info->sector + info->ad_offset + at;
        ULONG length = le32(ad) & 0x3FFFFFFF;
        if (offset < length)
            return le32(ad + 4) + (ULONG)(offset / SECTOR);
        offset -= length;
    }
    fail_msg("offset beyond the allocation descriptors");
    return 0;
}

/* The bytes of an entry's data (embedded, or in short or long ADs); free with free(). */
static inline BYTE *udf_read_data(const struct udf_view *view, const struct udf_entry_info *entry)
{
    BYTE *data, sector[SECTOR];
    ULONGLONG i;

    assert_true(entry->size < 64 * SECTOR);     /* the tests' streams and directories are small */
    data = malloc((size_t)entry->size + 1);
    assert_non_null(data);
    if (entry->ad_type == 3) {
        assert_true(entry->size <= entry->ad_length);
        memcpy(data, entry->sector + entry->ad_offset, (size_t)entry->size);
        return data;
    }
    for (i = 0; i < entry->size; i += SECTOR) {
        ULONGLONG piece = entry->size - i < SECTOR ? entry->size - i : SECTOR;
        read_sector(view->stream, view->partition_start + (ULONGLONG)block_of(entry, i), sector);
        memcpy(data + i, sector, (size_t)piece);
    }
    return data;
}

/*
 * The names in a directory's (or a stream directory's) identifiers with their file entries; the
 * parent's identifier is not among them, its file entry goes to `parent` (may be NULL).
 */
static inline size_t read_directory_entries(const struct udf_view *view, ULONG icb,
                                            WCHAR names[][256], ULONG *blocks, size_t capacity,
                                            ULONG *parent)
{
    struct udf_entry_info dir;
    BYTE *data;
    size_t at = 0, count = 0;

    read_entry(view, icb, &dir);
    assert_true(dir.size > 0);
    data = udf_read_data(view, &dir);
    while (at + 38 <= dir.size) {
        const BYTE *fid = data + at;
        ULONG l_fi = fid[19], l_iu = le16(fid + 36);
        assert_int_equal(le16(fid), TAG_FID);
        assert_true(at + 38 + l_iu + l_fi <= dir.size);
        if (fid[18] & 0x08) {
            if (parent)
                *parent = le32(fid + 24);
        } else if (count < capacity) {
            names[count][cs0_decode(fid + 38 + l_iu, l_fi, names[count])] = 0;
            blocks[count] = le32(fid + 24);
            count++;
        }
        at += (38 + l_iu + l_fi + 3) & ~3u;
    }
    free(data);
    return count;
}

static inline size_t read_directory_names(const struct udf_view *view, ULONG icb,
                                          WCHAR names[][256], ULONG *blocks, size_t capacity)
{
    return read_directory_entries(view, icb, names, blocks, capacity, NULL);
}

/* The block of a file's stream directory (the extended file entry's stream directory ICB,
   ECMA-167 4/14.17), or 0 when it has none. */
static inline ULONG udf_stream_directory(const struct udf_entry_info *entry)
{
    if (entry->tag != TAG_EXTENDED_FILE_ENTRY || !(le32(entry->sector + 152) & 0x3FFFFFFF))
        return 0;
    return le32(entry->sector + 152 + 4);
}

/* The file entry block of `path` ("a\\b"), or fails the test. */
static inline ULONG udf_lookup(const struct udf_view *view, const WCHAR *path)
{
    static WCHAR names[64][256];
    ULONG blocks[64], icb = view->root_icb;
    WCHAR part[256];

    while (*path) {
        size_t n = wcscspn(path, L"\\"), count, i;
        memcpy(part, path, n * sizeof(WCHAR));
        part[n] = 0;
        path += n + (path[n] == '\\');
        count = read_directory_names(view, icb, names, blocks, ARRAY_SIZE(names));
        for (i = 0; i < count && wcscmp(names[i], part); i++)
            ;
        if (i == count)
            fail_msg("%ls is not in the UDF directory", part);
        icb = blocks[i];
    }
    return icb;
}

/* ---- Building images through COM ---- */

static inline IFileSystemImage3 *udf_image(FsiFileSystems systems, LONG revision,
                                           const WCHAR *volume)
{
    IFileSystemImage3 *image = fsi_test_image();
    BSTR name = SysAllocString(volume);

    assert_hr(S_OK, IFileSystemImage3_put_UDFRevision(image, revision));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, systems));
    if (volume)
        assert_hr(S_OK, IFileSystemImage3_put_VolumeName(image, name));
    SysFreeString(name);
    return image;
}

/* Writes the result's image stream to `path` and opens the file again as a stream in memory. */
static inline IStream *write_and_reopen(IFileSystemImageResult *result, const WCHAR *path)
{
    IStream *stream = NULL, *copy = NULL;
    static BYTE buffer[1 << 16];
    HANDLE file;
    ULONG got;
    DWORD done;
    HGLOBAL memory;
    BYTE *bytes;
    LARGE_INTEGER size;

    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    for (;;) {
        got = 0;
        assert_hr(S_OK, IStream_Read(stream, buffer, sizeof(buffer), &got));
        if (!got)
            break;
        assert_true(WriteFile(file, buffer, got, &done, NULL) && done == got);
    }
    CloseHandle(file);
    IStream_Release(stream);

    file = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(file != INVALID_HANDLE_VALUE);
    assert_true(GetFileSizeEx(file, &size));
    memory = GlobalAlloc(GMEM_MOVEABLE, (SIZE_T)size.QuadPart);
    assert_non_null(memory);
    bytes = GlobalLock(memory);
    assert_true(ReadFile(file, bytes, (DWORD)size.QuadPart, &done, NULL));
    assert_int_equal(done, (DWORD)size.QuadPart);
    GlobalUnlock(memory);
    CloseHandle(file);
    assert_hr(S_OK, CreateStreamOnHGlobal(memory, TRUE, &copy));
    return copy;
}

#endif
