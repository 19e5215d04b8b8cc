/*
 * Per-media defaults (src/core/media.c): every IMAPI_MEDIA_PHYSICAL_TYPE Microsoft defines but
 * UNKNOWN has a row, CDs are ISO 9660 + Joliet at Microsoft's documented 332,800 sectors, DVDs
 * the UDF 1.02 bridge, Blu-ray UDF 2.50, and drive profiles map to the media they mean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "openfsi/media.h"

static void test_every_known_media_type_has_defaults(void **state)
{
    struct fsi_media_defaults defaults;
    int type;
    (void)state;

    assert_false(fsi_media_defaults(0, &defaults));       /* IMAPI_MEDIA_TYPE_UNKNOWN */
    assert_false(fsi_media_defaults(20, &defaults));
    for (type = 1; type <= 19; type++) {
        assert_true(fsi_media_defaults(type, &defaults));
        assert_true(defaults.file_systems != 0);
        assert_true(defaults.udf_revision >= 0x102 && defaults.udf_revision <= 0x260);
    }
}

static void test_cd_dvd_and_bd_defaults(void **state)
{
    struct fsi_media_defaults cd, dvd, bd;
    (void)state;

    assert_true(fsi_media_defaults(2, &cd));      /* CDR */
    assert_true(fsi_media_defaults(6, &dvd));     /* DVDPLUSR */
    assert_true(fsi_media_defaults(18, &bd));     /* BDR */
    assert_int_equal(cd.file_systems, FSI_FILE_SYSTEM_ISO9660 | FSI_FILE_SYSTEM_JOLIET);
    assert_int_equal(cd.sectors, 332800);
    assert_int_equal(dvd.file_systems,
                     FSI_FILE_SYSTEM_ISO9660 | FSI_FILE_SYSTEM_JOLIET | FSI_FILE_SYSTEM_UDF);
    assert_int_equal(dvd.udf_revision, 0x102);
    assert_int_equal(dvd.sectors, 2295104);
    assert_int_equal(bd.file_systems, FSI_FILE_SYSTEM_UDF);
    assert_int_equal(bd.udf_revision, 0x250);
    assert_int_equal(bd.sectors, 12219392);
}

static void test_profiles_map_to_media(void **state)
{
    (void)state;
    assert_int_equal(fsi_media_type_for_profile(0x09), 2);     /* CD-R */
    assert_int_equal(fsi_media_type_for_profile(0x1B), 6);     /* DVD+R */
    assert_int_equal(fsi_media_type_for_profile(0x2B), 8);     /* DVD+R DL */
    assert_int_equal(fsi_media_type_for_profile(0x41), 18);    /* BD-R SRM */
    assert_int_equal(fsi_media_type_for_profile(0x43), 19);    /* BD-RE */
    assert_int_equal(fsi_media_type_for_profile(0x00), 0);
    assert_int_equal(fsi_media_type_for_profile(0xFFFF), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_known_media_type_has_defaults),
        cmocka_unit_test(test_cd_dvd_and_bd_defaults),
        cmocka_unit_test(test_profiles_map_to_media),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
