/*
 * Fixtures shared by the programme and matching tests: a dataset of core
 * households from JSON records, and a programme set from a JSON document
 * (both fail the test with the library's error message and path).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_TEST_RISK_FIXTURES_H
#define POV_TEST_RISK_FIXTURES_H

#include <criterion/criterion.h>
#include <string.h>

#include "povmetrics.h"

static inline pov_dataset *ds_of(const char *const *rows, size_t n) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    for (size_t i = 0; i < n; i++) {
        pov_household *h = NULL;
        int r = pov_household_from_json(pov_schema_core(), rows[i], strlen(rows[i]), NULL, &h);
        cr_assert_eq(r, 0, "%s at %s", pov_error_message(pov_error_last()),
                     pov_error_path(pov_error_last()));
        cr_assert_eq(pov_dataset_append(ds, h), 0);
        pov_household_free(h);
    }
    return ds;
}

static inline pov_programs *load(const char *json) {
    pov_programs *p = NULL;
    int r = pov_programs_load_string(pov_schema_core(), json, strlen(json), "p.json", &p);
    cr_assert_eq(r, 0, "%s at %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    return p;
}

#endif
