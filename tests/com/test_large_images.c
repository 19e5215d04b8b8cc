/*
 * Sizes that test a 32-bit build (this program runs for both sides): an image larger than 4 GiB
 * read whole through its ImageStream, so every offset past 2^32 is computed in 64 bits, and a
 * tree of 100,000 files built, laid out and streamed within a 32-bit address space. The file data
 * comes from streams that cost no memory; each 2048-byte block of the big file begins with its
 * own 64-bit offset, so a block read from a wrong place (an offset cut to 32 bits) is seen.
 * It does not judge the images with other readers: the conformance tests and
 * wine32.com_boot_images do that for images made by the 32-bit DLL.
 */
#include "udf_test_walk.h"
#include "computed_stream.h"

#include <psapi.h>

#define BIG_SIZE ((4608ull << 20) + 777)    /* 4.5 GiB and a partial block */
#define GIB (1ull << 30)

static BYTE block_fill(ULONGLONG block) { return (BYTE)(block * 31 + (block >> 21) * 7 + 1); }

/* Byte `offset` of the big file: its block's offset in the first 8 bytes, then a fill byte. */
static BYTE big_byte(ULONGLONG offset)
{
    ULONG in = (ULONG)(offset % SECTOR);
    ULONGLONG block = offset / SECTOR;
    return in < 8 ? (BYTE)((block * SECTOR) >> (8 * in)) : block_fill(block);
}

/* computed_stream's Read, a block at a time (the per-byte one is slow for 4.5 GiB). */
static HRESULT WINAPI big_Read(IStream *iface, void *buffer, ULONG size, ULONG *read)
{
    struct computed_stream *s = computed_from_IStream(iface);
    BYTE *out = buffer;
    ULONG n = 0;

    if (s->position < s->actual)
        n = (ULONG)min((ULONGLONG)size, s->actual - s->position);
    while (n) {
        ULONGLONG at = s->position;
        ULONG in = (ULONG)(at % SECTOR), run = min(n, SECTOR - in), i = 0;
        for (; i < run && in + i < 8; i++)
            out[i] = big_byte(at + i);
        if (i < run)
            memset(out + i, block_fill(at / SECTOR), run - i);
        out += run;
        s->position += run;
        n -= run;
    }
    if (read)
        *read = (ULONG)(out - (BYTE *)buffer);
    return out - (BYTE *)buffer < (ptrdiff_t)size ? S_FALSE : S_OK;
}

static IStream *big_stream(void)
{
    static IStreamVtbl vtbl;
    struct computed_stream *s = computed_stream(BIG_SIZE, BIG_SIZE, big_byte, FALSE);
    vtbl = computed_stream_vtbl;
    vtbl.Read = big_Read;
    s->IStream_iface.lpVtbl = &vtbl;
    return &s->IStream_iface;
}

static BYTE small_byte(ULONGLONG offset) { return (BYTE)(offset * 7 + 3); }

static void add_stream(IFsiDirectoryItem *root, const WCHAR *path, IStream *data)
{
    BSTR name = SysAllocString(path);
    assert_hr(S_OK, IFsiDirectoryItem_AddFile(root, name, data));
    SysFreeString(name);
    IStream_Release(data);
}

static void print_memory(const char *when)
{
    PROCESS_MEMORY_COUNTERS counters;
    memset(&counters, 0, sizeof(counters));
    counters.cb = sizeof(counters);
    assert_true(GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)));
    printf("%s-bit client, %s: peak private memory %lu MiB\n", sizeof(void *) == 8 ? "64" : "32",
           when, (unsigned long)(counters.PeakPagefileUsage >> 20));
    /* Far below the 2 GiB a 32-bit process has. */
    assert_true(counters.PeakPagefileUsage < (SIZE_T)512 << 20);
}

static void test_an_image_over_4_gib_is_streamed_whole_with_64_bit_offsets(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemISO9660 | FsiFileSystemJoliet |
                                         FsiFileSystemUDF, 0x102, L"BIG");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    struct udf_entry_info big, after;
    struct udf_view view;
    static BYTE buffer[1 << 20];
    ULONGLONG size, position = 0, first, after_at, k, checked = 0;
    LARGE_INTEGER move;
    ULARGE_INTEGER end;
    STATSTG stat;
    LONG total = 0;
    BYTE sector[SECTOR];
    ULONG got, i;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_put_FreeMediaBlocks(image, 0));
    assert_hr(S_OK, IFileSystemImage3_put_ISO9660InterchangeLevel(image, 3));
    add_stream(root, L"big.bin", big_stream());
    add_stream(root, L"zz after.txt",
               &computed_stream(5000, 5000, small_byte, FALSE)->IStream_iface);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &total));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    size = (ULONGLONG)total * SECTOR;
    assert_true(size > BIG_SIZE);
    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_NONAME));
    assert_true(stat.cbSize.QuadPart == size);
    move.QuadPart = 0;
    assert_hr(S_OK, IStream_Seek(stream, move, STREAM_SEEK_END, &end));
    assert_true(end.QuadPart == size);

    /* Where the data lies, from the UDF side: one run for big.bin, the small file after it. */
    udf_open(stream, &view);
    read_entry(&view, udf_lookup(&view, L"big.bin"), &big);
    assert_true(big.size == BIG_SIZE);
    first = view.partition_start + (ULONGLONG)block_of(&big, 0);
    for (k = 1; k * GIB < BIG_SIZE; k++)
        assert_true(view.partition_start + (ULONGLONG)block_of(&big, k * GIB) ==
                    first + k * GIB / SECTOR);
    read_entry(&view, udf_lookup(&view, L"zz after.txt"), &after);
    after_at = (view.partition_start + (ULONGLONG)block_of(&after, 0)) * SECTOR;
    assert_true(after_at > 0x100000000ull);

    /* The whole stream, read in order as a recorder reads it; every block of big.bin checked. */
    move.QuadPart = 0;
    assert_hr(S_OK, IStream_Seek(stream, move, STREAM_SEEK_SET, NULL));
    while (position < size) {
        got = 0;
        assert_true(SUCCEEDED(IStream_Read(stream, buffer, sizeof(buffer), &got)));
        assert_true(got > 0 && got % SECTOR == 0);
        for (i = 0; i < got; i += SECTOR) {
            ULONGLONG block = (position + i) / SECTOR;
            if (block >= first && block - first < BIG_SIZE / SECTOR) {
                ULONGLONG offset = (block - first) * SECTOR;
                if (le64(buffer + i) != offset || buffer[i + SECTOR - 1] != block_fill(block - first))
                    fail_msg("image block %llu should hold big.bin's byte %llu",
                             (unsigned long long)block, (unsigned long long)offset);
                checked++;
            }
            if ((position + i) == after_at)
                for (k = 0; k < 5000 && k < SECTOR; k++)
                    assert_int_equal(buffer[i + k], small_byte(k));
        }
        position += got;
    }
    assert_true(position == size);
    got = 1;
    assert_true(SUCCEEDED(IStream_Read(stream, buffer, 1, &got)));
    assert_int_equal(got, 0);
    assert_true(checked == BIG_SIZE / SECTOR);

    /* Seeks past 4 GiB land where the sequential read found the same bytes. */
    read_sector(stream, first + 0x100000000ull / SECTOR + 3, sector);
    assert_true(le64(sector) == 0x100000000ull + 3 * SECTOR);
    read_sector(stream, after_at / SECTOR, sector);
    assert_int_equal(sector[4999 % SECTOR], small_byte(4999 % SECTOR));
    printf("streamed %llu bytes (%ld blocks); big.bin's %llu blocks all in place\n",
           (unsigned long long)size, (long)total, (unsigned long long)checked);
    print_memory("4.5 GiB image");

    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

/* 50 folders of 50 folders of 40 files: 100,000 files, 2,550 folders. */
#define TOP 50
#define SUB 50
#define FILES 40

static BYTE tree_byte(ULONGLONG offset) { return (BYTE)(offset + 0x41); }

static void test_a_tree_of_100000_files_fits_in_a_32_bit_address_space(void **state)
{
    IFileSystemImage3 *image = udf_image(FsiFileSystemISO9660 | FsiFileSystemJoliet |
                                         FsiFileSystemUDF, 0x102, L"MANY");
    IFsiDirectoryItem *root = fsi_test_root(image);
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL;
    struct udf_entry_info entry;
    struct udf_view view;
    static BYTE buffer[1 << 20];
    WCHAR path[64];
    ULONGLONG size, position = 0;
    LONG files = 0, dirs = 0, total = 0;
    BYTE *data;
    ULONG got, a, b, f;
    (void)state;

    assert_hr(S_OK, IFileSystemImage3_put_FreeMediaBlocks(image, 0));
    for (a = 0; a < TOP; a++) {
        _snwprintf(path, ARRAY_SIZE(path), L"folder %02lu", a);
        fsi_test_add_directory(root, path);
        for (b = 0; b < SUB; b++) {
            _snwprintf(path, ARRAY_SIZE(path), L"folder %02lu\\sub %02lu", a, b);
            fsi_test_add_directory(root, path);
            for (f = 0; f < FILES; f++) {
                _snwprintf(path, ARRAY_SIZE(path), L"folder %02lu\\sub %02lu\\file %02lu.txt", a,
                           b, f);
                add_stream(root, path, &computed_stream(a + b + f + 1, a + b + f + 1, tree_byte,
                                                        FALSE)->IStream_iface);
            }
        }
    }
    assert_hr(S_OK, IFileSystemImage3_get_FileCount(image, &files));
    assert_hr(S_OK, IFileSystemImage3_get_DirectoryCount(image, &dirs));
    assert_int_equal(files, TOP * SUB * FILES);
    assert_int_equal(dirs, TOP + TOP * SUB);
    print_memory("100,000 files added");

    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &total));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    size = (ULONGLONG)total * SECTOR;
    while (position < size) {
        got = 0;
        assert_true(SUCCEEDED(IStream_Read(stream, buffer, sizeof(buffer), &got)));
        assert_true(got > 0);
        position += got;
    }
    assert_true(position == size);

    /* Files at the start, the middle and the end of the tree hold their bytes. */
    udf_open(stream, &view);
    for (a = 0; a < TOP; a += TOP / 2 - 1) {
        b = (a * 7) % SUB, f = FILES - 1 - a % FILES;
        _snwprintf(path, ARRAY_SIZE(path), L"folder %02lu\\sub %02lu\\file %02lu.txt", a, b, f);
        read_entry(&view, udf_lookup(&view, path), &entry);
        assert_true(entry.size == a + b + f + 1);
        data = udf_read_data(&view, &entry);
        for (got = 0; got < entry.size; got++)
            assert_int_equal(data[got], tree_byte(got));
        free(data);
    }
    printf("100,000 files in %lu folders: %ld blocks streamed\n", (unsigned long)dirs, (long)total);
    print_memory("100,000-file image");

    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_image_over_4_gib_is_streamed_whole_with_64_bit_offsets),
        cmocka_unit_test(test_a_tree_of_100000_files_fits_in_a_32_bit_address_space),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
