/*
 * El Torito through COM: CreateResultImage with BootImageOptions (one IBootOptions) and
 * BootImageOptionsArray (a BIOS + UEFI pair). A small parser here finds the boot record, the
 * catalog's entries and the boot images' bytes in the image stream; bad boot settings get
 * Microsoft's codes with a message, and the last of the two settings decides.
 */
#include "fsi_test_util.h"
#include "imapi2fserror.h"

static IBootOptions *boot_options(IStream *stream, PlatformId platform, const WCHAR *manufacturer)
{
    IBootOptions *boot = com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
    BSTR name = SysAllocString(manufacturer);
    assert_hr(S_OK, IBootOptions_put_PlatformId(boot, platform));
    assert_hr(S_OK, IBootOptions_put_Manufacturer(boot, name));
    assert_hr(S_OK, IBootOptions_AssignBootImage(boot, stream));
    SysFreeString(name);
    return boot;
}

static unsigned le16(const BYTE *p) { return p[0] | p[1] << 8; }
static ULONG le32(const BYTE *p) { return (ULONG)p[0] | (ULONG)p[1] << 8 | (ULONG)p[2] << 16 | (ULONG)p[3] << 24; }

/* One boot entry as the parser found it. */
struct found_entry {
    BYTE platform;
    BYTE media;
    unsigned count;
    ULONG rba;
};

/* Parses the boot record at sector 17 and its catalog; returns the entries found. */
static size_t parse_catalog(const BYTE *image, ULONG sectors, char id[25], struct found_entry *out,
                            size_t capacity)
{
    const BYTE *record = image + 17 * 2048, *catalog, *p;
    unsigned sum = 0;
    size_t n = 0, i;
    ULONG at;

    assert_int_equal(record[0], 0);
    assert_memory_equal(record + 1, "CD001", 5);
    assert_memory_equal(record + 7, "EL TORITO SPECIFICATION", 23);
    at = le32(record + 0x47);
    assert_true(at < sectors);
    catalog = image + (size_t)at * 2048;
    assert_int_equal(catalog[0], 1);
    assert_int_equal(catalog[30], 0x55);
    assert_int_equal(catalog[31], 0xAA);
    for (i = 0; i < 32; i += 2)
        sum += le16(catalog + i);
    assert_int_equal(sum & 0xFFFF, 0);
    memcpy(id, catalog + 4, 24);
    id[24] = 0;
    assert_int_equal(catalog[32], 0x88);
    out[n].platform = catalog[1];
    out[n].media = catalog[33];
    out[n].count = le16(catalog + 38);
    out[n].rba = le32(catalog + 40);
    n++;
    for (p = catalog + 64; p < catalog + 2048 && (p[0] == 0x90 || p[0] == 0x91); ) {
        unsigned entries = le16(p + 2), e;
        BYTE platform = p[1], last = p[0] == 0x91;
        p += 32;
        for (e = 0; e < entries && n < capacity; e++, p += 32) {
            assert_int_equal(p[0], 0x88);
            out[n].platform = platform;
            out[n].media = p[1];
            out[n].count = le16(p + 6);
            out[n].rba = le32(p + 8);
            n++;
        }
        if (last)
            break;
    }
    return n;
}

static void assert_pattern(const BYTE *image, ULONG sectors, ULONG rba, size_t size, unsigned seed)
{
    size_t i;
    assert_true(rba + (size + 2047) / 2048 <= sectors);
    for (i = 0; i < size; i++)
        if (image[(size_t)rba * 2048 + i] != fsi_test_pattern(i, seed))
            fail_msg("boot image byte %u at sector %lu differs", (unsigned)i, (unsigned long)rba);
}

static BYTE *read_result(IFileSystemImageResult *result, ULONG *sectors)
{
    IStream *stream = NULL;
    LONG blocks = 0;
    ULONG got = 0;
    BYTE *data;

    assert_hr(S_OK, IFileSystemImageResult_get_TotalBlocks(result, &blocks));
    assert_hr(S_OK, IFileSystemImageResult_get_ImageStream(result, &stream));
    data = malloc((size_t)blocks * 2048);
    assert_non_null(data);
    assert_hr(S_OK, IStream_Read(stream, data, (ULONG)blocks * 2048, &got));
    assert_int_equal(got, (ULONG)blocks * 2048);
    IStream_Release(stream);
    *sectors = (ULONG)blocks;
    return data;
}

static void test_bios_and_uefi_pair_through_the_array(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IFsiDirectoryItem *root = fsi_test_root(image);
    IStream *bios = fsi_test_stream(2048, 11), *efi = fsi_test_stream(40000, 12);
    IBootOptions *boot[2];
    IFileSystemImageResult *result = NULL;
    SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, 2);
    struct found_entry found[4];
    char id[25];
    ULONG sectors;
    BYTE *bytes;
    LONG i;
    (void)state;

    fsi_test_add_file(root, L"readme.txt", 100, 1);
    boot[0] = boot_options(bios, PlatformX86, L"openfsi");
    boot[1] = boot_options(efi, PlatformEFI, L"");
    for (i = 0; i < 2; i++) {
        VARIANT v;
        V_VT(&v) = VT_DISPATCH;
        V_DISPATCH(&v) = (IDispatch *)boot[i];
        assert_hr(S_OK, SafeArrayPutElement(array, &i, &v));
    }
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptionsArray(image, array));
    SafeArrayDestroy(array);
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    /* The result keeps the boot images' streams: everything else can go. */
    IBootOptions_Release(boot[0]);
    IBootOptions_Release(boot[1]);
    IStream_Release(bios);
    IStream_Release(efi);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage3_Release(image);

    bytes = read_result(result, &sectors);
    assert_int_equal(parse_catalog(bytes, sectors, id, found, 4), 2);
    assert_string_equal(id, "openfsi");
    assert_int_equal(found[0].platform, 0);
    assert_int_equal(found[0].media, 0);
    assert_int_equal(found[0].count, 4);
    assert_int_equal(found[1].platform, 0xEF);
    assert_int_equal(found[1].media, 0);
    assert_int_equal(found[1].count, (40000 + 511) / 512);
    assert_pattern(bytes, sectors, found[0].rba, 2048, 11);
    assert_pattern(bytes, sectors, found[1].rba, 40000, 12);
    fsi_test_assert_file(bytes, sectors, "README.TXT;1", 100, 1);
    free(bytes);
    IFileSystemImageResult_Release(result);
}

static void test_floppy_through_boot_image_options(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IStream *floppy = fsi_test_stream(1474560, 13);
    IBootOptions *boot = boot_options(floppy, PlatformX86, L"A FLOPPY");
    IFileSystemImageResult *result = NULL;
    struct found_entry found[2];
    EmulationType emulation;
    char id[25];
    ULONG sectors;
    BYTE *bytes;
    (void)state;

    assert_hr(S_OK, IBootOptions_get_Emulation(boot, &emulation));
    assert_int_equal(emulation, Emulation144MFloppy);
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptions(image, boot));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    bytes = read_result(result, &sectors);
    assert_int_equal(parse_catalog(bytes, sectors, id, found, 2), 1);
    assert_string_equal(id, "A FLOPPY");
    assert_int_equal(found[0].media, 2);
    assert_int_equal(found[0].count, 1);
    assert_pattern(bytes, sectors, found[0].rba, 1474560, 13);
    free(bytes);
    IFileSystemImageResult_Release(result);
    IBootOptions_Release(boot);
    IStream_Release(floppy);
    IFileSystemImage3_Release(image);
}

static void test_bad_boot_settings_are_refused_with_a_message(void **state)
{
    IFileSystemImage3 *image = fsi_test_image();
    IBootOptions *empty = com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
    IStream *stream = fsi_test_stream(4096, 14);
    IBootOptions *boot = boot_options(stream, PlatformX86, L"");
    IFileSystemImageResult *result = NULL;
    SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, 1);
    VARIANT v;
    LONG index = 0;
    BSTR text;
    (void)state;

    /* A boot options object without an image. */
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptions(image, empty));
    assert_hr(IMAPI_E_BOOT_IMAGE_DATA, IFileSystemImage3_CreateResultImage(image, &result));
    assert_null(result);
    text = com_test_error_description();
    assert_non_null(wcsstr(text, L"AssignBootImage"));
    SysFreeString(text);

    /* El Torito needs ISO 9660. */
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptions(image, boot));
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, FsiFileSystemUDF));
    assert_hr(IMAPI_E_BOOT_IMAGE_DATA, IFileSystemImage3_CreateResultImage(image, &result));
    text = com_test_error_description();
    assert_non_null(wcsstr(text, L"ISO 9660"));
    SysFreeString(text);
    assert_hr(S_OK, IFileSystemImage3_put_FileSystemsToCreate(image, FsiFileSystemISO9660));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    IFileSystemImageResult_Release(result);
    result = NULL;

    /* An array element that is not a boot options object. */
    V_VT(&v) = VT_I4;
    V_I4(&v) = 5;
    assert_hr(S_OK, SafeArrayPutElement(array, &index, &v));
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptionsArray(image, array));
    assert_hr(E_INVALIDARG, IFileSystemImage3_CreateResultImage(image, &result));
    assert_null(result);
    text = com_test_error_description();
    assert_non_null(wcsstr(text, L"BootImageOptionsArray"));
    SysFreeString(text);

    /* The last of the two settings decides: BootImageOptions again, then an empty array (a disc
       that does not boot: no boot record at sector 17). */
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptions(image, boot));
    assert_hr(S_OK, IFileSystemImage3_CreateResultImage(image, &result));
    IFileSystemImageResult_Release(result);
    result = NULL;
    SafeArrayDestroy(array);
    array = SafeArrayCreateVector(VT_VARIANT, 0, 0);
    assert_hr(S_OK, IFileSystemImage3_put_BootImageOptionsArray(image, array));
    {
        ULONG sectors;
        BYTE *bytes = fsi_test_read_image(image, &sectors);
        assert_int_equal(bytes[17 * 2048], 255);    /* the terminator follows the primary */
        free(bytes);
    }

    SafeArrayDestroy(array);
    IBootOptions_Release(boot);
    IBootOptions_Release(empty);
    IStream_Release(stream);
    IFileSystemImage3_Release(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bios_and_uefi_pair_through_the_array),
        cmocka_unit_test(test_floppy_through_boot_image_options),
        cmocka_unit_test(test_bad_boot_settings_are_refused_with_a_message),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
