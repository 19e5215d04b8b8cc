/* El Torito boot image rules (include/openfsi/boot_image.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openfsi/boot_image.h"

static void test_floppy_sized_images_imply_their_floppy_emulation(void **state)
{
    (void)state;
    assert_int_equal(fsi_boot_emulation_for_size(1228800, FSI_BOOT_EMULATION_NONE),
                     FSI_BOOT_EMULATION_FLOPPY_1_2M);
    assert_int_equal(fsi_boot_emulation_for_size(1474560, FSI_BOOT_EMULATION_NONE),
                     FSI_BOOT_EMULATION_FLOPPY_1_44M);
    assert_int_equal(fsi_boot_emulation_for_size(2949120, FSI_BOOT_EMULATION_HARD_DISK),
                     FSI_BOOT_EMULATION_FLOPPY_2_88M);
}

static void test_other_sizes_keep_the_current_emulation(void **state)
{
    (void)state;
    assert_int_equal(fsi_boot_emulation_for_size(2048, FSI_BOOT_EMULATION_NONE),
                     FSI_BOOT_EMULATION_NONE);
    assert_int_equal(fsi_boot_emulation_for_size(1474561, FSI_BOOT_EMULATION_HARD_DISK),
                     FSI_BOOT_EMULATION_HARD_DISK);
    assert_int_equal(fsi_boot_emulation_for_size(0, FSI_BOOT_EMULATION_NONE),
                     FSI_BOOT_EMULATION_NONE);
}

static void test_floppy_emulation_needs_the_exact_size(void **state)
{
    (void)state;
    assert_true(fsi_boot_emulation_fits(FSI_BOOT_EMULATION_FLOPPY_1_44M, 1474560));
    assert_false(fsi_boot_emulation_fits(FSI_BOOT_EMULATION_FLOPPY_1_44M, 1228800));
    assert_false(fsi_boot_emulation_fits(FSI_BOOT_EMULATION_FLOPPY_2_88M, 2048));
    assert_true(fsi_boot_emulation_fits(FSI_BOOT_EMULATION_NONE, 2048));
    assert_true(fsi_boot_emulation_fits(FSI_BOOT_EMULATION_HARD_DISK, 10 * 1024 * 1024));
    assert_false(fsi_boot_emulation_fits((enum fsi_boot_emulation)5, 2048));
}

static void test_known_values_are_el_toritos(void **state)
{
    (void)state;
    assert_true(fsi_boot_emulation_is_known(0));
    assert_true(fsi_boot_emulation_is_known(4));
    assert_false(fsi_boot_emulation_is_known(5));
    assert_false(fsi_boot_emulation_is_known(-1));
    assert_true(fsi_boot_platform_is_known(0));
    assert_true(fsi_boot_platform_is_known(1));
    assert_true(fsi_boot_platform_is_known(2));
    assert_true(fsi_boot_platform_is_known(0xEF));
    assert_false(fsi_boot_platform_is_known(3));
    assert_false(fsi_boot_platform_is_known(0xEE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floppy_sized_images_imply_their_floppy_emulation),
        cmocka_unit_test(test_other_sizes_keep_the_current_emulation),
        cmocka_unit_test(test_floppy_emulation_needs_the_exact_size),
        cmocka_unit_test(test_known_values_are_el_toritos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
