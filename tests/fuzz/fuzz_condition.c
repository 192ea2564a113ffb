/*
 * Fuzz target: conditions (pov_condition_compile) evaluated on a small fixed
 * dataset. Invariants: errors as usual; evaluating one household gives the
 * same state and value as the same row of the dataset evaluation; booleans
 * are TRUE/FALSE/MISSING only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>

#include "fuzz_common.h"

static pov_dataset *fixed_ds; /* built once, kept for the whole run */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fixed_ds == NULL) {
        fixed_ds = fuzz_fixed_dataset();
    }
    pov_condition *c = NULL;
    int rc = pov_condition_compile(pov_schema_core(), (const char *)data, size, "<fuzz>", &c);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(c == NULL);
        return 0;
    }
    FUZZ_CHECK(c != NULL);
    int type = pov_condition_result_type(c);
    FUZZ_CHECK(type >= POV_COND_TYPE_NULL && type <= POV_COND_TYPE_TEXT);

    enum { N_MAX = 8 };
    size_t n = pov_dataset_count(fixed_ds);
    FUZZ_CHECK(n <= N_MAX);
    double values[N_MAX];
    uint8_t states[N_MAX];
    FUZZ_CHECK(pov_condition_eval_dataset(c, fixed_ds, values, states) == 0);
    for (size_t i = 0; i < n; i++) {
        pov_household *h = NULL;
        FUZZ_CHECK(pov_dataset_household(fixed_ds, i, &h) == 0);
        double v = 0;
        int st = -1;
        FUZZ_CHECK(pov_condition_eval_household(c, h, &v, &st) == 0);
        FUZZ_CHECK(st == states[i]);
        FUZZ_CHECK((isnan(v) && isnan(values[i])) || v == values[i]);
        if (type == POV_COND_TYPE_BOOLEAN) {
            FUZZ_CHECK(st == POV_COND_TRUE || st == POV_COND_FALSE || st == POV_COND_MISSING);
        }
        if (st == POV_COND_MISSING) {
            FUZZ_CHECK(isnan(v));
        }
        pov_household_free(h);
    }
    pov_condition_free(c);
    return 0;
}
