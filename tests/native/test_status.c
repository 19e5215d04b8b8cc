/* Every engine status has its own message (include/openfsi/status.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "openfsi/status.h"

static void test_every_status_has_a_distinct_message(void **state)
{
    int i, j;
    (void)state;
    for (i = 0; i < FSI_STATUS_COUNT; i++) {
        const char *m = fsi_status_message((enum fsi_status)i);
        assert_non_null(m);
        assert_string_not_equal(m, "Unknown error.");
        for (j = 0; j < i; j++)
            assert_string_not_equal(m, fsi_status_message((enum fsi_status)j));
    }
}

static void test_out_of_range_status_is_unknown(void **state)
{
    (void)state;
    assert_string_equal(fsi_status_message(FSI_STATUS_COUNT), "Unknown error.");
    assert_string_equal(fsi_status_message((enum fsi_status)-1), "Unknown error.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_a_distinct_message),
        cmocka_unit_test(test_out_of_range_status_is_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
