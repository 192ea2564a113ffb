/* Tests of the core: version, status strings, error detail. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "povmetrics.h"

Test(version, macros_match_runtime) {
    cr_assert_str_eq(pov_version(), POV_VERSION_STRING);
    cr_assert_eq(pov_version_number(),
                 POV_VERSION_MAJOR * 10000 + POV_VERSION_MINOR * 100 + POV_VERSION_PATCH);
    cr_assert(POV_VERSION_CHECK(0, 0, 1));
    cr_assert(POV_VERSION_CHECK(POV_VERSION_MAJOR, POV_VERSION_MINOR, POV_VERSION_PATCH));
    cr_assert_not(POV_VERSION_CHECK(POV_VERSION_MAJOR + 1, 0, 0));
}

Test(status, codes_are_frozen) {
    /* The numeric values are ABI: this test fails if anyone renumbers them. */
    cr_assert_eq(POV_OK, 0);
    cr_assert_eq(POV_ERROR, -1);
    cr_assert_eq(POV_ENOMEM, -2);
    cr_assert_eq(POV_EINVAL, -3);
    cr_assert_eq(POV_EIO, -4);
    cr_assert_eq(POV_ENOTFOUND, -5);
    cr_assert_eq(POV_ESYNTAX, -6);
    cr_assert_eq(POV_ETYPE, -7);
    cr_assert_eq(POV_ERANGE, -8);
    cr_assert_eq(POV_ENONFINITE, -9);
    cr_assert_eq(POV_ECODE, -10);
    cr_assert_eq(POV_EMISSING, -11);
    cr_assert_eq(POV_EDUPLICATE, -12);
    cr_assert_eq(POV_EORPHAN, -13);
    cr_assert_eq(POV_ELIMIT, -14);
    cr_assert_eq(POV_ETRUNCATED, -15);
    cr_assert_eq(POV_EFORMAT, -16);
    cr_assert_eq(POV_EUNKNOWN, -17);
    cr_assert_eq(POV_EDOMAIN, -18);
    cr_assert_eq(POV_EEMPTY, -19);
    cr_assert_eq(POV_ESTATE, -20);
    cr_assert_eq(POV_ERULE, -21);
    cr_assert_eq(POV_ESINGULAR, -22);
}

Test(status, strerror_is_distinct_and_total) {
    for (int a = 0; a >= -22; a--) {
        cr_assert_neq(strcmp(pov_strerror(a), "unknown error code"), 0, "code %d", a);
        for (int b = a - 1; b >= -22; b--)
            cr_assert_str_neq(pov_strerror(a), pov_strerror(b), "codes %d and %d", a, b);
    }
    cr_assert_str_eq(pov_strerror(-9999), "unknown error code");
    cr_assert_str_eq(pov_strerror(1), "unknown error code");
}

Test(error, cleared_state) {
    pov_error_clear();
    const pov_error *e = pov_error_last();
    cr_assert_not_null(e);
    cr_assert_eq(pov_error_code(e), 0);
    cr_assert_str_eq(pov_error_message(e), "");
    cr_assert_str_eq(pov_error_source(e), "");
    cr_assert_str_eq(pov_error_path(e), "");
    cr_assert_eq(pov_error_line(e), 0);
    cr_assert_eq(pov_error_column(e), 0);
    cr_assert_eq(pov_error_offset(e), SIZE_MAX);
}

Test(error, null_accessors_are_safe) {
    cr_assert_eq(pov_error_code(NULL), 0);
    cr_assert_str_eq(pov_error_message(NULL), "");
    cr_assert_str_eq(pov_error_source(NULL), "");
    cr_assert_str_eq(pov_error_path(NULL), "");
    cr_assert_eq(pov_error_line(NULL), 0);
    cr_assert_eq(pov_error_column(NULL), 0);
    cr_assert_eq(pov_error_offset(NULL), SIZE_MAX);
}

Test(memory, free_null_is_noop) {
    pov_free(NULL);
}
