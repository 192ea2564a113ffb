/*
 * Fuzz target: accumulator state (pov_accum_deserialize, which takes a
 * NUL-terminated string: the input is copied and terminated; an embedded NUL
 * simply ends the text). Invariants: errors as usual; a state that loads
 * serialises, loads again and serialises to the same text (the format is
 * exact), and its results can be queried.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strndup(data, size);
    pov_accum *a = NULL;
    int rc = pov_accum_deserialize(text, &a);
    free(text);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(a == NULL);
        return 0;
    }
    FUZZ_CHECK(a != NULL);
    char *t1 = NULL;
    FUZZ_CHECK(pov_accum_serialize(a, &t1) == 0 && t1 != NULL);
    pov_accum *b = NULL;
    rc = pov_accum_deserialize(t1, &b);
    if (rc != 0) {
        fprintf(stderr, "re-reading failed: %s at %s\n%s\n", pov_error_message(pov_error_last()),
                pov_error_path(pov_error_last()), t1);
    }
    FUZZ_CHECK(rc == 0 && b != NULL);
    char *t2 = NULL;
    FUZZ_CHECK(pov_accum_serialize(b, &t2) == 0 && t2 != NULL);
    FUZZ_CHECK(strcmp(t1, t2) == 0);
    pov_free(t1);
    pov_free(t2);

    /* Results: a value or a proper error, and the same for both copies. */
    double x = NAN, y = NAN;
    int r1 = pov_accum_mean(a, &x), r2 = pov_accum_mean(b, &y);
    FUZZ_CHECK(r1 == r2);
    if (r1 != 0) {
        fuzz_check_error(r1);
    } else {
        FUZZ_CHECK(memcmp(&x, &y, sizeof x) == 0);
    }
    for (size_t i = 0; i < pov_accum_n_alphas(a); i++) {
        r1 = pov_accum_fgt(a, i, &x);
        r2 = pov_accum_fgt(b, i, &y);
        FUZZ_CHECK(r1 == r2);
        if (r1 == 0) {
            FUZZ_CHECK(memcmp(&x, &y, sizeof x) == 0);
        }
    }
    r1 = pov_accum_watts(a, &x);
    r2 = pov_accum_watts(b, &y);
    FUZZ_CHECK(r1 == r2);
    (void)pov_accum_population(a, &x);

    /* Merging a state into its copy must work or fail cleanly. */
    rc = pov_accum_merge(b, a);
    if (rc != 0) {
        fuzz_check_error(rc);
    }
    pov_accum_free(a);
    pov_accum_free(b);
    return 0;
}
