/*
 * Fuzz target: scorecard documents (pov_scorecard_load_string), each that
 * loads scored on a small fixed dataset in lenient mode. Invariants: errors
 * as usual; one result per household; scoring one household gives the same
 * total as its row in the dataset result; totals stay within [0, max_total]
 * when the card has no negative points is not assumed, only finiteness.
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
    pov_scorecard *sc = NULL;
    int rc = pov_scorecard_load_string((const char *)data, size, "<fuzz>", &sc);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(sc == NULL);
        return 0;
    }
    FUZZ_CHECK(sc != NULL);
    FUZZ_CHECK(pov_scorecard_id(sc) != NULL);
    for (size_t k = 0; k < pov_scorecard_item_count(sc); k++) {
        FUZZ_CHECK(pov_scorecard_item_category(sc, k) < pov_scorecard_category_count(sc));
    }

    pov_score_options opts;
    FUZZ_CHECK(pov_score_options_init(&opts) == 0);
    opts.mode = POV_SCORE_LENIENT;
    pov_score_result *res = NULL;
    rc = pov_scorecard_score(sc, fixed_ds, &opts, &res);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(res == NULL);
    } else {
        size_t n = pov_score_result_count(res);
        FUZZ_CHECK(n == pov_dataset_count(fixed_ds));
        const double *tot = pov_score_result_totals(res);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(isfinite(tot[i]));
            char *text = NULL;
            FUZZ_CHECK(pov_score_result_explain(res, i, POV_EXPLAIN_TEXT, &text) == 0);
            pov_free(text);
            text = NULL;
            FUZZ_CHECK(pov_score_result_explain(res, i, POV_EXPLAIN_JSON, &text) == 0);
            pov_free(text);
        }
        pov_household *h = NULL;
        FUZZ_CHECK(pov_dataset_household(fixed_ds, 0, &h) == 0);
        pov_score_result *one = NULL;
        FUZZ_CHECK(pov_scorecard_score_household(sc, h, &opts, &one) == 0);
        FUZZ_CHECK(pov_score_result_count(one) == 1);
        FUZZ_CHECK(pov_score_result_totals(one)[0] == tot[0]);
        pov_score_result_free(one);
        pov_household_free(h);
    }
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    return 0;
}
