/*
 * The result of IFileSystemImage::CreateResultImage: the image stream (an ISO 9660 + Joliet image
 * read on demand; Seek, Clone, CopyTo, Stat, refused writes, IBlockRangeList, and use from an MTA
 * thread after marshalling), TotalBlocks, BlockSize, DiscId, ModifiedBlocks, and the progress
 * items with their enumerators and lookups. Until the image object holds a tree the result is an
 * image of the root alone, so the progress items are the metadata runs.
 */
#include "com_test.h"

#define VOLUME L"RESULT_TEST"

static IFileSystemImageResult2 *make_result(const WCHAR *volume)
{
    IFileSystemImage *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
    IFileSystemImageResult *result = NULL;
    IFileSystemImageResult2 *result2 = NULL;
    BSTR name = SysAllocString(volume);

    assert_hr(S_OK, IFileSystemImage_put_VolumeName(image, name));
    assert_hr(S_OK, IFileSystemImage_CreateResultImage(image, &result));
    assert_non_null(result);
    assert_hr(S_OK, IFileSystemImageResult_QueryInterface(result, &IID_IFileSystemImageResult2,
                                                          (void **)&result2));
    IFileSystemImageResult_Release(result);
    SysFreeString(name);
    IFileSystemImage_Release(image);     /* the result lives on by itself */
    return result2;
}

static IStream *image_stream(IFileSystemImageResult2 *result)
{
    IStream *stream = NULL;
    assert_hr(S_OK, IFileSystemImageResult2_get_ImageStream(result, &stream));
    assert_non_null(stream);
    return stream;
}

static ULONGLONG stream_size(IStream *stream)
{
    STATSTG stat;
    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_NONAME));
    return stat.cbSize.QuadPart;
}

/* Reads the stream from its position to the end in odd-sized pieces. */
static BYTE *read_rest(IStream *stream, ULONGLONG expected)
{
    BYTE *data = malloc((size_t)expected + 1);
    ULONGLONG total = 0;
    ULONG got;

    assert_non_null(data);
    for (;;) {
        ULONG want = (ULONG)min((ULONGLONG)7777, expected + 1 - total);
        got = 12345;
        assert_hr(S_OK, IStream_Read(stream, data + total, want, &got));
        if (!got)
            break;
        total += got;
        assert_true(total <= expected);
    }
    assert_int_equal(total, expected);
    return data;
}

static void seek(IStream *stream, LONGLONG move, DWORD origin, ULONGLONG expected)
{
    LARGE_INTEGER distance;
    ULARGE_INTEGER position;

    distance.QuadPart = move;
    position.QuadPart = 0xDEADBEEF;
    assert_hr(S_OK, IStream_Seek(stream, distance, origin, &position));
    assert_int_equal(position.QuadPart, expected);
}

static void test_total_blocks_block_size_and_stream_size_agree(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    LONG blocks = 0, block_size = 0;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult2_get_BlockSize(result, &block_size));
    assert_int_equal(block_size, 2048);
    /* The root alone: system area, 3 descriptors, 4 path tables, 2 root directories. */
    assert_int_equal(blocks, 16 + 3 + 4 + 2);
    assert_int_equal(stream_size(stream), (ULONGLONG)blocks * block_size);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

static void test_disc_id_is_the_volume_name(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    BSTR id = NULL;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_DiscId(result, &id));
    assert_int_equal(lstrcmpW(id, VOLUME), 0);
    SysFreeString(id);
    IFileSystemImageResult2_Release(result);
}

static void test_stream_is_an_iso_with_the_volume_name_and_joliet(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    ULONGLONG size = stream_size(stream);
    BYTE *image = read_rest(stream, size);
    const BYTE *pvd = image + 16 * 2048, *svd = image + 17 * 2048;
    char label[33];
    int i;
    (void)state;

    assert_memory_equal(pvd, "\1CD001", 6);
    memcpy(label, pvd + 40, 32);
    label[32] = 0;
    assert_string_equal(label, "RESULT_TEST                     ");
    /* Volume space size, both-endian, equals TotalBlocks. */
    assert_int_equal(pvd[80] | pvd[81] << 8 | pvd[82] << 16 | pvd[83] << 24, size / 2048);
    assert_memory_equal(svd, "\2CD001", 6);
    assert_memory_equal(svd + 88, "%/E", 3);
    for (i = 0; i < 11; i++) {
        assert_int_equal(svd[40 + 2 * i], 0);
        assert_int_equal(svd[41 + 2 * i], VOLUME[i]);
    }
    assert_int_equal(image[18 * 2048], 255);    /* terminator */
    free(image);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

static void test_each_image_stream_is_new_and_starts_at_zero(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *first = image_stream(result), *second;
    (void)state;

    seek(first, 5000, STREAM_SEEK_SET, 5000);
    second = image_stream(result);
    assert_ptr_not_equal(first, second);
    seek(second, 0, STREAM_SEEK_CUR, 0);
    seek(first, 0, STREAM_SEEK_CUR, 5000);
    IStream_Release(first);
    IStream_Release(second);
    IFileSystemImageResult2_Release(result);
}

static void test_seek_and_read_at_odd_offsets_match_a_full_read(void **state)
{
    static const ULONGLONG offsets[] = { 0, 1, 2047, 2048, 2049, 16 * 2048 + 3, 40001 };
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    ULONGLONG size = stream_size(stream);
    BYTE *whole = read_rest(stream, size), piece[3000];
    LARGE_INTEGER distance;
    ULONG got;
    size_t i;
    (void)state;

    for (i = 0; i < ARRAY_SIZE(offsets); i++) {
        seek(stream, (LONGLONG)offsets[i], STREAM_SEEK_SET, offsets[i]);
        assert_hr(S_OK, IStream_Read(stream, piece, 2999, &got));
        assert_int_equal(got, 2999);
        assert_memory_equal(piece, whole + offsets[i], 2999);
        seek(stream, 0, STREAM_SEEK_CUR, offsets[i] + 2999);
    }
    /* From the current position and from the end; a short read only at the end. */
    seek(stream, 100, STREAM_SEEK_SET, 100);
    seek(stream, 77, STREAM_SEEK_CUR, 177);
    seek(stream, -50, STREAM_SEEK_CUR, 127);
    assert_hr(S_OK, IStream_Read(stream, piece, 10, &got));
    assert_memory_equal(piece, whole + 127, 10);
    seek(stream, -1000, STREAM_SEEK_END, size - 1000);
    assert_hr(S_OK, IStream_Read(stream, piece, sizeof(piece), &got));
    assert_int_equal(got, 1000);
    assert_memory_equal(piece, whole + size - 1000, 1000);
    /* Beyond the end like a file: allowed, reads give nothing. */
    seek(stream, 4096, STREAM_SEEK_END, size + 4096);
    got = 1;
    assert_hr(S_OK, IStream_Read(stream, piece, 10, &got));
    assert_int_equal(got, 0);
    /* Before the start and an unknown origin are refused; the position stays. */
    distance.QuadPart = -1;
    assert_hr(STG_E_INVALIDFUNCTION, IStream_Seek(stream, distance, STREAM_SEEK_SET, NULL));
    distance.QuadPart = -(LONGLONG)size - 1;
    assert_hr(STG_E_INVALIDFUNCTION, IStream_Seek(stream, distance, STREAM_SEEK_END, NULL));
    distance.QuadPart = 0;
    assert_hr(STG_E_INVALIDFUNCTION, IStream_Seek(stream, distance, 3, NULL));
    seek(stream, 0, STREAM_SEEK_CUR, size + 4096);
    /* A NULL count pointer is allowed. */
    seek(stream, 2048 * 16, STREAM_SEEK_SET, 2048 * 16);
    assert_hr(S_OK, IStream_Read(stream, piece, 6, NULL));
    assert_memory_equal(piece, "\1CD001", 6);
    free(whole);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

static void test_clone_has_its_own_position(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result), *clone = NULL;
    ULONGLONG size = stream_size(stream);
    BYTE *whole = read_rest(stream, size), piece[100];
    ULONG got;
    (void)state;

    seek(stream, 3000, STREAM_SEEK_SET, 3000);
    assert_hr(S_OK, IStream_Clone(stream, &clone));
    assert_non_null(clone);
    assert_ptr_not_equal(clone, stream);
    seek(clone, 0, STREAM_SEEK_CUR, 3000);      /* starts where the original was */
    seek(clone, 16 * 2048, STREAM_SEEK_SET, 16 * 2048);
    seek(stream, 0, STREAM_SEEK_CUR, 3000);     /* the original did not move */
    assert_hr(S_OK, IStream_Read(stream, piece, sizeof(piece), &got));
    assert_memory_equal(piece, whole + 3000, sizeof(piece));
    assert_hr(S_OK, IStream_Read(clone, piece, sizeof(piece), &got));
    assert_memory_equal(piece, whole + 16 * 2048, sizeof(piece));
    assert_int_equal(stream_size(clone), size);
    /* The clone outlives the original and the result. */
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
    seek(clone, 0, STREAM_SEEK_SET, 0);
    free(read_rest(clone, size));
    IStream_Release(clone);
    free(whole);
}

static void test_copy_to_gives_the_same_bytes(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result), *target = NULL;
    ULONGLONG size = stream_size(stream);
    BYTE *whole = read_rest(stream, size), *copied;
    ULARGE_INTEGER count, read, written;
    (void)state;

    seek(stream, 0, STREAM_SEEK_SET, 0);
    assert_hr(S_OK, CreateStreamOnHGlobal(NULL, TRUE, &target));
    count.QuadPart = ~(ULONGLONG)0;     /* everything */
    assert_hr(S_OK, IStream_CopyTo(stream, target, count, &read, &written));
    assert_int_equal(read.QuadPart, size);
    assert_int_equal(written.QuadPart, size);
    assert_int_equal(stream_size(target), size);
    seek(target, 0, STREAM_SEEK_SET, 0);
    copied = read_rest(target, size);
    assert_memory_equal(copied, whole, (size_t)size);
    free(copied);
    /* A part of it, from an odd offset: the position moves by what was copied. */
    seek(stream, 1001, STREAM_SEEK_SET, 1001);
    seek(target, 0, STREAM_SEEK_SET, 0);
    count.QuadPart = 5000;
    assert_hr(S_OK, IStream_CopyTo(stream, target, count, &read, NULL));
    assert_int_equal(read.QuadPart, 5000);
    seek(stream, 0, STREAM_SEEK_CUR, 6001);
    seek(target, 0, STREAM_SEEK_SET, 0);
    copied = read_rest(target, size);
    assert_memory_equal(copied, whole + 1001, 5000);
    free(copied);
    count.QuadPart = 10;
    assert_hr(E_POINTER, IStream_CopyTo(stream, NULL, count, NULL, NULL));
    free(whole);
    IStream_Release(target);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

static void test_writes_are_refused(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    ULARGE_INTEGER size, offset;
    ULONG written = 99;
    BSTR text;
    (void)state;

    SetErrorInfo(0, NULL);
    assert_hr(STG_E_ACCESSDENIED, IStream_Write(stream, "x", 1, &written));
    assert_int_equal(written, 0);
    text = com_test_error_description();
    assert_non_null(text);
    assert_non_null(wcsstr(text, L"read-only"));
    SysFreeString(text);
    size.QuadPart = 10;
    assert_hr(STG_E_ACCESSDENIED, IStream_SetSize(stream, size));
    offset.QuadPart = 0;
    assert_hr(STG_E_INVALIDFUNCTION, IStream_LockRegion(stream, offset, size, LOCK_WRITE));
    assert_hr(STG_E_INVALIDFUNCTION, IStream_UnlockRegion(stream, offset, size, LOCK_WRITE));
    assert_hr(S_OK, IStream_Commit(stream, STGC_DEFAULT));
    assert_hr(S_OK, IStream_Revert(stream));
    assert_int_equal(stream_size(stream), 25 * 2048);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

static void test_stat_names_the_stream_unless_asked_not_to(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    STATSTG stat;
    (void)state;

    memset(&stat, 0xCC, sizeof(stat));
    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_NONAME));
    assert_null(stat.pwcsName);
    assert_int_equal(stat.type, STGTY_STREAM);
    assert_int_equal(stat.cbSize.QuadPart, 25 * 2048);
    assert_hr(S_OK, IStream_Stat(stream, &stat, STATFLAG_DEFAULT));
    assert_non_null(stat.pwcsName);
    assert_int_equal(lstrcmpW(stat.pwcsName, VOLUME L".iso"), 0);
    CoTaskMemFree(stat.pwcsName);
    assert_hr(STG_E_INVALIDFUNCTION, IStream_Stat(stream, &stat, 0x100));
    assert_hr(E_POINTER, IStream_Stat(stream, NULL, STATFLAG_NONAME));
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

/* Checks a BlockRanges array: exactly one range, 0 to blocks - 1. */
/* One range, first to last inclusive. */
static void check_one_range(SAFEARRAY *ranges, LONG first, LONG last)
{
    LONG lower = -1, upper = -1, start = -1, end = -1, index = 0;
    IBlockRange *range = NULL;
    VARIANT value;

    assert_non_null(ranges);
    assert_int_equal(SafeArrayGetDim(ranges), 1);
    assert_hr(S_OK, SafeArrayGetLBound(ranges, 1, &lower));
    assert_hr(S_OK, SafeArrayGetUBound(ranges, 1, &upper));
    assert_int_equal(lower, 0);
    assert_int_equal(upper, 0);
    VariantInit(&value);
    assert_hr(S_OK, SafeArrayGetElement(ranges, &index, &value));
    assert_int_equal(V_VT(&value), VT_DISPATCH);
    assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&value), &IID_IBlockRange,
                                             (void **)&range));
    assert_hr(S_OK, IBlockRange_get_StartLba(range, &start));
    assert_hr(S_OK, IBlockRange_get_EndLba(range, &end));
    assert_int_equal(start, first);
    assert_int_equal(end, last);
    assert_hr(E_POINTER, IBlockRange_get_StartLba(range, NULL));
    assert_hr(E_POINTER, IBlockRange_get_EndLba(range, NULL));
    IBlockRange_Release(range);
    VariantClear(&value);
}

static void test_modified_blocks_are_the_whole_image(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IBlockRangeList *list = NULL;
    SAFEARRAY *ranges = NULL;
    LONG blocks;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult2_get_ModifiedBlocks(result, &list));
    assert_non_null(list);
    assert_hr(S_OK, IBlockRangeList_get_BlockRanges(list, &ranges));
    check_one_range(ranges, 0, blocks - 1);
    SafeArrayDestroy(ranges);
    assert_hr(E_POINTER, IBlockRangeList_get_BlockRanges(list, NULL));
    IBlockRangeList_Release(list);
    IFileSystemImageResult2_Release(result);
}

/* A session after sector 1000 (SessionStartBlock set by hand, nothing imported): the stream holds
   only it, TotalBlocks counts its blocks, and ModifiedBlocks is its range on the disc. */
static void test_a_later_session_starts_at_session_start_block(void **state)
{
    IFileSystemImage *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
    IFileSystemImageResult *result = NULL;
    IFileSystemImageResult2 *result2 = NULL;
    IBlockRangeList *list = NULL;
    SAFEARRAY *ranges = NULL;
    IStream *stream;
    BYTE *bytes;
    LONG blocks = 0;
    (void)state;

    assert_hr(S_OK, IFileSystemImage_put_SessionStartBlock(image, 1000));
    assert_hr(S_OK, IFileSystemImage_CreateResultImage(image, &result));
    assert_hr(S_OK, IFileSystemImageResult_QueryInterface(result, &IID_IFileSystemImageResult2,
                                                          (void **)&result2));
    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result2, &blocks));
    assert_true(blocks > 16 && blocks < 1000);
    stream = image_stream(result2);
    assert_true(stream_size(stream) == (ULONGLONG)blocks * 2048);
    bytes = read_rest(stream, (ULONGLONG)blocks * 2048);
    /* The primary descriptor at the session's sector 16 counts the disc from sector 0. */
    assert_int_equal(bytes[16 * 2048], 1);
    assert_memory_equal(bytes + 16 * 2048 + 1, "CD001", 5);
    assert_int_equal(*(DWORD *)(bytes + 16 * 2048 + 80), 1000 + blocks);
    free(bytes);
    IStream_Release(stream);
    assert_hr(S_OK, IFileSystemImageResult2_get_ModifiedBlocks(result2, &list));
    assert_hr(S_OK, IBlockRangeList_get_BlockRanges(list, &ranges));
    check_one_range(ranges, 1000, 1000 + blocks - 1);
    SafeArrayDestroy(ranges);
    IBlockRangeList_Release(list);
    IFileSystemImageResult2_Release(result2);
    IFileSystemImageResult_Release(result);
    IFileSystemImage_Release(image);
}

static void test_stream_answers_block_range_list_and_imarshal(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    IBlockRangeList *list = NULL;
    IUnknown *unknown = NULL, *from_list = NULL;
    IMarshal *marshal = NULL;
    SAFEARRAY *ranges = NULL;
    LONG blocks;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result, &blocks));
    IFileSystemImageResult2_Release(result);    /* the stream keeps it alive */
    assert_hr(S_OK, IStream_QueryInterface(stream, &IID_IBlockRangeList, (void **)&list));
    assert_hr(S_OK, IBlockRangeList_get_BlockRanges(list, &ranges));
    check_one_range(ranges, 0, blocks - 1);
    SafeArrayDestroy(ranges);
    /* One object: the list's IUnknown is the stream's. */
    assert_hr(S_OK, IStream_QueryInterface(stream, &IID_IUnknown, (void **)&unknown));
    assert_hr(S_OK, IBlockRangeList_QueryInterface(list, &IID_IUnknown, (void **)&from_list));
    assert_ptr_equal(unknown, from_list);
    assert_hr(S_OK, IStream_QueryInterface(stream, &IID_IMarshal, (void **)&marshal));
    assert_non_null(marshal);
    IMarshal_Release(marshal);
    IUnknown_Release(unknown);
    IUnknown_Release(from_list);
    IBlockRangeList_Release(list);
    IStream_Release(stream);
}

/* Every item of the collection by index, checked to tile the image in order. */
static LONG check_items_tile_the_image(IProgressItems *items, LONG blocks)
{
    LONG count = 0, i;
    ULONG next = 0;

    assert_hr(S_OK, IProgressItems_get_Count(items, &count));
    assert_true(count > 0);
    for (i = 0; i < count; i++) {
        IProgressItem *item = NULL;
        ULONG first, last, n;
        BSTR text = NULL;
        assert_hr(S_OK, IProgressItems_get_Item(items, i, &item));
        assert_hr(S_OK, IProgressItem_get_FirstBlock(item, &first));
        assert_hr(S_OK, IProgressItem_get_LastBlock(item, &last));
        assert_hr(S_OK, IProgressItem_get_BlockCount(item, &n));
        assert_hr(S_OK, IProgressItem_get_Description(item, &text));
        assert_true(SysStringLen(text) > 0);
        assert_int_equal(first, next);
        assert_true(last >= first);
        assert_int_equal(n, last - first + 1);
        next = last + 1;
        SysFreeString(text);
        IProgressItem_Release(item);
    }
    assert_int_equal(next, (ULONG)blocks);
    return count;
}

static void assert_same_item(IProgressItem *item, IProgressItems *items, LONG index)
{
    IProgressItem *expected = NULL;
    ULONG a, b;
    BSTR x = NULL, y = NULL;

    assert_hr(S_OK, IProgressItems_get_Item(items, index, &expected));
    assert_hr(S_OK, IProgressItem_get_FirstBlock(item, &a));
    assert_hr(S_OK, IProgressItem_get_FirstBlock(expected, &b));
    assert_int_equal(a, b);
    assert_hr(S_OK, IProgressItem_get_LastBlock(item, &a));
    assert_hr(S_OK, IProgressItem_get_LastBlock(expected, &b));
    assert_int_equal(a, b);
    assert_hr(S_OK, IProgressItem_get_Description(item, &x));
    assert_hr(S_OK, IProgressItem_get_Description(expected, &y));
    assert_int_equal(lstrcmpW(x, y), 0);
    SysFreeString(x);
    SysFreeString(y);
    IProgressItem_Release(expected);
}

static void test_progress_items_cover_every_sector_once_in_order(void **state)
{
    static const WCHAR *const expected[] = {
        L"System area", L"Volume descriptors", L"ISO 9660 path tables", L"Joliet path tables",
        L"ISO 9660 directories", L"Joliet directories",
    };
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IProgressItems *items = NULL;
    LONG blocks, count, i;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult2_get_ProgressItems(result, &items));
    count = check_items_tile_the_image(items, blocks);
    assert_int_equal(count, ARRAY_SIZE(expected));
    for (i = 0; i < count; i++) {
        IProgressItem *item = NULL;
        BSTR text = NULL;
        assert_hr(S_OK, IProgressItems_get_Item(items, i, &item));
        assert_hr(S_OK, IProgressItem_get_Description(item, &text));
        assert_int_equal(lstrcmpW(text, expected[i]), 0);
        SysFreeString(text);
        IProgressItem_Release(item);
    }
    IProgressItems_Release(items);
    IFileSystemImageResult2_Release(result);
}

static void test_enumerators_agree_with_the_collection(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IProgressItems *items = NULL;
    IEnumProgressItems *e = NULL, *clone = NULL;
    IEnumVARIANT *ev = NULL, *ev_clone = NULL;
    IProgressItem *batch[64];
    VARIANT values[64];
    ULONG fetched, i;
    LONG count;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_ProgressItems(result, &items));
    assert_hr(S_OK, IProgressItems_get_Count(items, &count));

    /* IEnumProgressItems: one at a time, then all at once, Skip, Reset, Clone. */
    assert_hr(S_OK, IProgressItems_get_EnumProgressItems(items, &e));
    for (i = 0; i < (ULONG)count; i++) {
        assert_hr(S_OK, IEnumProgressItems_Next(e, 1, batch, NULL));
        assert_same_item(batch[0], items, (LONG)i);
        IProgressItem_Release(batch[0]);
    }
    fetched = 7;
    assert_hr(S_FALSE, IEnumProgressItems_Next(e, 1, batch, &fetched));
    assert_int_equal(fetched, 0);
    assert_hr(S_OK, IEnumProgressItems_Reset(e));
    assert_hr(S_FALSE, IEnumProgressItems_Next(e, ARRAY_SIZE(batch), batch, &fetched));
    assert_int_equal(fetched, count);
    for (i = 0; i < fetched; i++) {
        assert_same_item(batch[i], items, (LONG)i);
        IProgressItem_Release(batch[i]);
    }
    assert_hr(S_OK, IEnumProgressItems_Reset(e));
    assert_hr(S_OK, IEnumProgressItems_Skip(e, 2));
    assert_hr(S_OK, IEnumProgressItems_Clone(e, &clone));
    assert_hr(S_OK, IEnumProgressItems_Next(e, 1, batch, NULL));
    assert_same_item(batch[0], items, 2);
    IProgressItem_Release(batch[0]);
    assert_hr(S_OK, IEnumProgressItems_Next(clone, 1, batch, NULL));   /* its own position */
    assert_same_item(batch[0], items, 2);
    IProgressItem_Release(batch[0]);
    assert_hr(S_FALSE, IEnumProgressItems_Skip(clone, (ULONG)count));
    assert_hr(S_FALSE, IEnumProgressItems_Next(clone, 2, batch, &fetched));
    assert_int_equal(fetched, 0);
    assert_hr(E_POINTER, IEnumProgressItems_Next(e, 2, batch, NULL));
    assert_hr(E_POINTER, IEnumProgressItems_Next(e, 1, NULL, &fetched));
    assert_hr(E_POINTER, IEnumProgressItems_Clone(e, NULL));

    /* IEnumVARIANT (_NewEnum): the same items as VT_DISPATCH. */
    assert_hr(S_OK, IProgressItems_get__NewEnum(items, &ev));
    assert_hr(S_FALSE, IEnumVARIANT_Next(ev, ARRAY_SIZE(values), values, &fetched));
    assert_int_equal(fetched, count);
    for (i = 0; i < fetched; i++) {
        IProgressItem *item = NULL;
        assert_int_equal(V_VT(&values[i]), VT_DISPATCH);
        assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&values[i]), &IID_IProgressItem,
                                                 (void **)&item));
        assert_same_item(item, items, (LONG)i);
        IProgressItem_Release(item);
        VariantClear(&values[i]);
    }
    assert_hr(S_OK, IEnumVARIANT_Reset(ev));
    assert_hr(S_OK, IEnumVARIANT_Skip(ev, (ULONG)count - 1));
    assert_hr(S_OK, IEnumVARIANT_Clone(ev, &ev_clone));
    assert_hr(S_OK, IEnumVARIANT_Next(ev_clone, 1, values, NULL));
    VariantClear(&values[0]);
    assert_hr(S_FALSE, IEnumVARIANT_Next(ev_clone, 1, values, &fetched));
    assert_int_equal(fetched, 0);
    assert_hr(S_OK, IEnumVARIANT_Next(ev, 1, values, &fetched));     /* not moved by the clone */
    assert_int_equal(fetched, 1);
    VariantClear(&values[0]);

    IEnumVARIANT_Release(ev_clone);
    IEnumVARIANT_Release(ev);
    IEnumProgressItems_Release(clone);
    IEnumProgressItems_Release(e);
    IProgressItems_Release(items);
    IFileSystemImageResult2_Release(result);
}

static void test_lookups_find_the_item_and_fail_as_documented(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IProgressItems *items = NULL;
    IProgressItem *item = NULL;
    LONG count, blocks, i;
    BSTR text;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult2_get_ProgressItems(result, &items));
    assert_hr(S_OK, IProgressItems_get_Count(items, &count));
    for (i = 0; i < count; i++) {
        ULONG first, last;
        BSTR description = NULL;
        IProgressItem *found = NULL;
        assert_hr(S_OK, IProgressItems_get_Item(items, i, &item));
        assert_hr(S_OK, IProgressItem_get_FirstBlock(item, &first));
        assert_hr(S_OK, IProgressItem_get_LastBlock(item, &last));
        assert_hr(S_OK, IProgressItem_get_Description(item, &description));
        assert_hr(S_OK, IProgressItems_ProgressItemFromBlock(items, first, &found));
        assert_same_item(found, items, i);
        IProgressItem_Release(found);
        assert_hr(S_OK, IProgressItems_ProgressItemFromBlock(items, last, &found));
        assert_same_item(found, items, i);
        IProgressItem_Release(found);
        assert_hr(S_OK, IProgressItems_ProgressItemFromDescription(items, description, &found));
        assert_same_item(found, items, i);
        IProgressItem_Release(found);
        SysFreeString(description);
        IProgressItem_Release(item);
    }

    /* Item is zero-based; outside 0..Count-1 is E_INVALIDARG with a message. */
    item = (IProgressItem *)0xdead;
    SetErrorInfo(0, NULL);
    assert_hr(E_INVALIDARG, IProgressItems_get_Item(items, count, &item));
    assert_null(item);
    text = com_test_error_description();
    assert_non_null(text);
    assert_non_null(wcsstr(text, L"out of range"));
    SysFreeString(text);
    assert_hr(E_INVALIDARG, IProgressItems_get_Item(items, -1, &item));
    assert_hr(E_INVALIDARG, IProgressItems_ProgressItemFromBlock(items, (ULONG)blocks, &item));
    assert_hr(E_INVALIDARG, IProgressItems_ProgressItemFromBlock(items, 0xFFFFFFFFu, &item));
    text = SysAllocString(L"\\no such file.txt");
    assert_hr(E_INVALIDARG, IProgressItems_ProgressItemFromDescription(items, text, &item));
    SysFreeString(text);
    text = SysAllocString(L"system area");      /* exact match only */
    assert_hr(E_INVALIDARG, IProgressItems_ProgressItemFromDescription(items, text, &item));
    SysFreeString(text);
    assert_hr(E_FAIL, IProgressItems_ProgressItemFromDescription(items, NULL, &item));
    assert_null(item);
    IProgressItems_Release(items);
    IFileSystemImageResult2_Release(result);
}

static void test_null_pointers_are_refused(void **state)
{
    IFileSystemImage *image = com_test_create(&CLSID_MsftFileSystemImage, &IID_IFileSystemImage);
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    IProgressItems *items = NULL;
    IProgressItem *item = NULL;
    BSTR text;
    (void)state;

    SetErrorInfo(0, NULL);
    assert_hr(E_POINTER, IFileSystemImage_CreateResultImage(image, NULL));
    text = com_test_error_description();
    assert_non_null(text);
    SysFreeString(text);
    assert_hr(E_POINTER, IFileSystemImageResult2_get_ImageStream(result, NULL));
    assert_hr(E_POINTER, IFileSystemImageResult2_get_ProgressItems(result, NULL));
    assert_hr(E_POINTER, IFileSystemImageResult2_get_TotalBlocks(result, NULL));
    assert_hr(E_POINTER, IFileSystemImageResult2_get_BlockSize(result, NULL));
    assert_hr(E_POINTER, IFileSystemImageResult2_get_DiscId(result, NULL));
    assert_hr(E_POINTER, IFileSystemImageResult2_get_ModifiedBlocks(result, NULL));
    assert_hr(E_POINTER, IStream_Read(stream, NULL, 10, NULL));
    assert_hr(E_POINTER, IStream_Clone(stream, NULL));

    assert_hr(S_OK, IFileSystemImageResult2_get_ProgressItems(result, &items));
    assert_hr(E_POINTER, IProgressItems_get__NewEnum(items, NULL));
    assert_hr(E_POINTER, IProgressItems_get_Item(items, 0, NULL));
    assert_hr(E_POINTER, IProgressItems_get_Count(items, NULL));
    assert_hr(E_POINTER, IProgressItems_ProgressItemFromBlock(items, 0, NULL));
    assert_hr(E_POINTER, IProgressItems_ProgressItemFromDescription(items, NULL, NULL));
    assert_hr(E_POINTER, IProgressItems_get_EnumProgressItems(items, NULL));
    assert_hr(S_OK, IProgressItems_get_Item(items, 0, &item));
    assert_hr(E_POINTER, IProgressItem_get_Description(item, NULL));
    assert_hr(E_POINTER, IProgressItem_get_FirstBlock(item, NULL));
    assert_hr(E_POINTER, IProgressItem_get_LastBlock(item, NULL));
    assert_hr(E_POINTER, IProgressItem_get_BlockCount(item, NULL));
    IProgressItem_Release(item);
    IProgressItems_Release(items);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
    IFileSystemImage_Release(image);
}

struct mta_reader {
    IStream *marshalled;
    IStream *seen;          /* the pointer the MTA thread got */
    BYTE *data;
    ULONGLONG size;
    HRESULT hr;
};

static DWORD WINAPI read_on_mta_thread(void *arg)
{
    struct mta_reader *reader = arg;
    IStream *stream = NULL;
    ULONGLONG total = 0;
    LARGE_INTEGER zero;
    ULONG got;

    reader->hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(reader->hr))
        return 1;
    reader->hr = CoGetInterfaceAndReleaseStream(reader->marshalled, &IID_IStream,
                                                (void **)&stream);
    if (SUCCEEDED(reader->hr)) {
        reader->seen = stream;
        zero.QuadPart = 0;
        reader->hr = IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL);
        while (SUCCEEDED(reader->hr) && total < reader->size) {
            reader->hr = IStream_Read(stream, reader->data + total, 4099, &got);
            if (!got)
                break;
            total += got;
        }
        if (SUCCEEDED(reader->hr) && total != reader->size)
            reader->hr = E_FAIL;
        IStream_Release(stream);
    }
    CoUninitialize();
    return 0;
}

static void test_stream_marshalled_to_an_mta_thread_reads_the_image(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IStream *stream = image_stream(result);
    ULONGLONG size = stream_size(stream);
    BYTE *here = read_rest(stream, size);
    struct mta_reader reader;
    HANDLE thread;
    (void)state;

    memset(&reader, 0, sizeof(reader));
    reader.size = size;
    reader.data = calloc(1, (size_t)size);
    assert_non_null(reader.data);
    assert_hr(S_OK, CoMarshalInterThreadInterfaceInStream(&IID_IStream, (IUnknown *)stream,
                                                          &reader.marshalled));
    thread = CreateThread(NULL, 0, read_on_mta_thread, &reader, 0, NULL);
    assert_non_null(thread);
    /* The STA thread does not pump messages while it waits, as a recorder's caller does. */
    assert_int_equal(WaitForSingleObject(thread, 30000), WAIT_OBJECT_0);
    CloseHandle(thread);
    assert_hr(S_OK, reader.hr);
    assert_ptr_equal(reader.seen, stream);      /* free-threaded: the object itself */
    assert_memory_equal(reader.data, here, (size_t)size);
    free(reader.data);
    free(here);
    IStream_Release(stream);
    IFileSystemImageResult2_Release(result);
}

/* What a script engine does: _NewEnum and BlockRanges through IDispatch::Invoke. */
static void test_scripts_reach_the_enumerator_and_the_ranges_through_invoke(void **state)
{
    IFileSystemImageResult2 *result = make_result(VOLUME);
    IProgressItems *items = NULL;
    IBlockRangeList *list = NULL;
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    IEnumVARIANT *e = NULL;
    VARIANT value;
    LONG blocks;
    (void)state;

    assert_hr(S_OK, IFileSystemImageResult2_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult2_get_ProgressItems(result, &items));
    VariantInit(&value);
    assert_hr(S_OK, IProgressItems_Invoke(items, DISPID_NEWENUM, &IID_NULL, 0,
                                          DISPATCH_PROPERTYGET | DISPATCH_METHOD, &none, &value,
                                          NULL, NULL));
    assert_true(V_VT(&value) == VT_UNKNOWN || V_VT(&value) == VT_DISPATCH);
    assert_hr(S_OK, IUnknown_QueryInterface(V_UNKNOWN(&value), &IID_IEnumVARIANT, (void **)&e));
    IEnumVARIANT_Release(e);
    VariantClear(&value);
    /* As Wine's JScript asks for it in "new Enumerator(items)". */
    assert_hr(S_OK, IProgressItems_Invoke(items, DISPID_NEWENUM, &IID_NULL, 0, DISPATCH_METHOD,
                                          &none, &value, NULL, NULL));
    assert_true(V_VT(&value) == VT_UNKNOWN || V_VT(&value) == VT_DISPATCH);
    VariantClear(&value);

    assert_hr(S_OK, IFileSystemImageResult2_Invoke(result, DISPID_IFILESYSTEMIMAGERESULT2_MODIFIEDBLOCKS,
                                                   &IID_NULL, 0, DISPATCH_PROPERTYGET, &none,
                                                   &value, NULL, NULL));
    assert_int_equal(V_VT(&value), VT_DISPATCH);
    assert_hr(S_OK, IDispatch_QueryInterface(V_DISPATCH(&value), &IID_IBlockRangeList,
                                             (void **)&list));
    VariantClear(&value);
    assert_hr(S_OK, IBlockRangeList_Invoke(list, DISPID_IBLOCKRANGELIST_BLOCKRANGES, &IID_NULL, 0,
                                           DISPATCH_PROPERTYGET, &none, &value, NULL, NULL));
    assert_int_equal(V_VT(&value), VT_ARRAY | VT_VARIANT);
    check_one_range(V_ARRAY(&value), 0, blocks - 1);
    VariantClear(&value);
    IBlockRangeList_Release(list);
    IProgressItems_Release(items);
    IFileSystemImageResult2_Release(result);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_total_blocks_block_size_and_stream_size_agree),
        cmocka_unit_test(test_disc_id_is_the_volume_name),
        cmocka_unit_test(test_stream_is_an_iso_with_the_volume_name_and_joliet),
        cmocka_unit_test(test_each_image_stream_is_new_and_starts_at_zero),
        cmocka_unit_test(test_seek_and_read_at_odd_offsets_match_a_full_read),
        cmocka_unit_test(test_clone_has_its_own_position),
        cmocka_unit_test(test_copy_to_gives_the_same_bytes),
        cmocka_unit_test(test_writes_are_refused),
        cmocka_unit_test(test_stat_names_the_stream_unless_asked_not_to),
        cmocka_unit_test(test_modified_blocks_are_the_whole_image),
        cmocka_unit_test(test_a_later_session_starts_at_session_start_block),
        cmocka_unit_test(test_stream_answers_block_range_list_and_imarshal),
        cmocka_unit_test(test_progress_items_cover_every_sector_once_in_order),
        cmocka_unit_test(test_enumerators_agree_with_the_collection),
        cmocka_unit_test(test_lookups_find_the_item_and_fail_as_documented),
        cmocka_unit_test(test_null_pointers_are_refused),
        cmocka_unit_test(test_stream_marshalled_to_an_mta_thread_reads_the_image),
        cmocka_unit_test(test_scripts_reach_the_enumerator_and_the_ranges_through_invoke),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
