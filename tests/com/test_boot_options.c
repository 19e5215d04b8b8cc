/*
 * BootOptions: Microsoft's defaults, the manufacturer id, platform and emulation checks, and a
 * boot image whose floppy size sets the emulation as Microsoft documents for AssignBootImage.
 */
#include "com_test.h"

static IStream *stream_of_size(SIZE_T size)
{
    IStream *stream = NULL;
    ULARGE_INTEGER length;
    assert_hr(S_OK, CreateStreamOnHGlobal(NULL, TRUE, &stream));
    length.QuadPart = size;
    assert_hr(S_OK, IStream_SetSize(stream, length));
    return stream;
}

static IBootOptions *create_boot_options(void)
{
    return com_test_create(&CLSID_BootOptions, &IID_IBootOptions);
}

static void test_defaults_are_x86_no_emulation_and_no_image(void **state)
{
    IBootOptions *boot = create_boot_options();
    PlatformId platform = PlatformEFI;
    EmulationType emulation = EmulationHardDisk;
    IStream *image = (IStream *)0xdeadbeef;
    ULONG size = 1;
    BSTR manufacturer = NULL;
    (void)state;

    assert_hr(S_OK, IBootOptions_get_PlatformId(boot, &platform));
    assert_int_equal(platform, PlatformX86);
    assert_hr(S_OK, IBootOptions_get_Emulation(boot, &emulation));
    assert_int_equal(emulation, EmulationNone);
    assert_hr(S_OK, IBootOptions_get_BootImage(boot, &image));
    assert_null(image);
    assert_hr(S_OK, IBootOptions_get_ImageSize(boot, &size));
    assert_int_equal(size, 0);
    assert_hr(S_OK, IBootOptions_get_Manufacturer(boot, &manufacturer));
    assert_int_equal(SysStringLen(manufacturer), 0);
    SysFreeString(manufacturer);
    IBootOptions_Release(boot);
}

static void test_manufacturer_round_trips_and_is_limited_to_24(void **state)
{
    IBootOptions *boot = create_boot_options();
    BSTR name = SysAllocString(L"openfsi test suite");
    BSTR too_long = SysAllocString(L"0123456789012345678901234");
    BSTR read = NULL;
    (void)state;

    assert_hr(S_OK, IBootOptions_put_Manufacturer(boot, name));
    assert_hr(E_INVALIDARG, IBootOptions_put_Manufacturer(boot, too_long));
    assert_hr(S_OK, IBootOptions_get_Manufacturer(boot, &read));
    assert_int_equal(lstrcmpW(read, name), 0);
    SysFreeString(read);
    SysFreeString(too_long);
    SysFreeString(name);
    IBootOptions_Release(boot);
}

static void test_platform_accepts_el_torito_ids_only(void **state)
{
    IBootOptions *boot = create_boot_options();
    PlatformId platform;
    (void)state;

    assert_hr(S_OK, IBootOptions_put_PlatformId(boot, PlatformEFI));
    assert_hr(S_OK, IBootOptions_get_PlatformId(boot, &platform));
    assert_int_equal(platform, PlatformEFI);
    assert_hr(E_INVALIDARG, IBootOptions_put_PlatformId(boot, (PlatformId)7));
    assert_hr(S_OK, IBootOptions_get_PlatformId(boot, &platform));
    assert_int_equal(platform, PlatformEFI);
    IBootOptions_Release(boot);
}

static void test_floppy_sized_image_selects_floppy_emulation(void **state)
{
    IBootOptions *boot = create_boot_options();
    IStream *floppy = stream_of_size(1474560), *read = NULL;
    EmulationType emulation;
    ULONG size;
    (void)state;

    assert_hr(S_OK, IBootOptions_AssignBootImage(boot, floppy));
    assert_hr(S_OK, IBootOptions_get_Emulation(boot, &emulation));
    assert_int_equal(emulation, Emulation144MFloppy);
    assert_hr(S_OK, IBootOptions_get_ImageSize(boot, &size));
    assert_int_equal(size, 1474560);
    assert_hr(S_OK, IBootOptions_get_BootImage(boot, &read));
    assert_ptr_equal(read, floppy);
    IStream_Release(read);

    /* Microsoft lets the caller override the emulation the size implied. */
    assert_hr(S_OK, IBootOptions_put_Emulation(boot, EmulationNone));
    IBootOptions_Release(boot);
    IStream_Release(floppy);
}

static void test_emulation_must_fit_the_image_size(void **state)
{
    IBootOptions *boot = create_boot_options();
    IStream *image = stream_of_size(4 * 2048);
    EmulationType emulation;
    (void)state;

    assert_hr(S_OK, IBootOptions_AssignBootImage(boot, image));
    assert_hr(IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH,
              IBootOptions_put_Emulation(boot, Emulation12MFloppy));
    assert_hr(S_OK, IBootOptions_put_Emulation(boot, EmulationHardDisk));
    assert_hr(S_OK, IBootOptions_get_Emulation(boot, &emulation));
    assert_int_equal(emulation, EmulationHardDisk);
    assert_hr(E_INVALIDARG, IBootOptions_put_Emulation(boot, (EmulationType)9));
    IBootOptions_Release(boot);
    IStream_Release(image);
}

static void test_bad_boot_images_are_refused(void **state)
{
    IBootOptions *boot = create_boot_options();
    IStream *empty = stream_of_size(0);
    (void)state;

    assert_hr(E_POINTER, IBootOptions_AssignBootImage(boot, NULL));
    assert_hr(IMAPI_E_BOOT_IMAGE_DATA, IBootOptions_AssignBootImage(boot, empty));
    assert_hr(E_POINTER, IBootOptions_get_BootImage(boot, NULL));
    assert_hr(E_POINTER, IBootOptions_get_ImageSize(boot, NULL));
    IBootOptions_Release(boot);
    IStream_Release(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_x86_no_emulation_and_no_image),
        cmocka_unit_test(test_manufacturer_round_trips_and_is_limited_to_24),
        cmocka_unit_test(test_platform_accepts_el_torito_ids_only),
        cmocka_unit_test(test_floppy_sized_image_selects_floppy_emulation),
        cmocka_unit_test(test_emulation_must_fit_the_image_size),
        cmocka_unit_test(test_bad_boot_images_are_refused),
    };
    return cmocka_run_group_tests(tests, com_test_setup_sta, com_test_teardown);
}
