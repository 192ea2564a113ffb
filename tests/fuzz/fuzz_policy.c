/*
 * Fuzz target: policy documents (pov_policy_load_string, no parent).
 * Invariants: errors as usual; a policy that loads serialises
 * (pov_policy_to_json), the text loads again and serialises to the same
 * text; a fixed household derived with the policy's income definition can be
 * assessed (or fails with a proper error, e.g. no poverty line for the year).
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

static const char fixed_household[] =
    "{\"id\":\"h1\",\"county_code\":\"450121\",\"village_code\":\"450121101201\","
    "\"year\":2016,\"income_wage\":2000,\"income_operating\":500,\"income_property\":0,"
    "\"income_transfer\":300,\"income_other\":0,\"production_costs\":200,"
    "\"housing_structure\":\"earth\",\"housing_safety\":\"C\",\"safe_water\":false,"
    "\"members\":[{\"relation\":\"head\",\"age\":67,\"sex\":\"male\"},"
    "{\"relation\":\"grandchild\",\"age\":9,\"sex\":\"female\",\"schooling\":\"dropped_out\"}]}";

static void assess(const pov_policy *p)
{
    pov_household *h = NULL;
    int rc = pov_household_from_json(pov_policy_schema(p), fixed_household,
                                     sizeof fixed_household - 1, "<fixed>", &h);
    if (rc != 0) { /* the policy's schema may make a fixture value invalid */
        fuzz_check_error(rc);
        return;
    }
    pov_derive_options d;
    pov_derive_options_init(&d);
    FUZZ_CHECK(pov_policy_derive_options(p, &d) == 0);
    rc = pov_household_derive(h, &d);
    if (rc == 0) {
        pov_assessment *a = NULL;
        rc = pov_policy_assess_household(p, h, 2016, &a);
        if (rc != 0) {
            fuzz_check_error(rc);
            FUZZ_CHECK(a == NULL);
        } else {
            FUZZ_CHECK(pov_assessment_count(a) == 1);
            char *j = NULL;
            FUZZ_CHECK(pov_assessment_to_json(a, 0, &j) == 0);
            pov_free(j);
        }
        pov_assessment_free(a);
    } else {
        fuzz_check_error(rc);
    }
    pov_household_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pov_policy *p = NULL;
    int rc = pov_policy_load_string((const char *)data, size, "<fuzz>", NULL, &p);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(p == NULL);
        return 0;
    }
    FUZZ_CHECK(p != NULL);
    FUZZ_CHECK(pov_policy_id(p) != NULL);

    char *t1 = NULL;
    FUZZ_CHECK(pov_policy_to_json(p, &t1) == 0 && t1 != NULL);
    pov_policy *p2 = NULL;
    rc = pov_policy_load_string(t1, strlen(t1), "<roundtrip>", NULL, &p2);
    if (rc != 0) {
        fprintf(stderr, "re-reading failed: %s at %s\n%s\n", pov_error_message(pov_error_last()),
                pov_error_path(pov_error_last()), t1);
    }
    FUZZ_CHECK(rc == 0 && p2 != NULL);
    char *t2 = NULL;
    FUZZ_CHECK(pov_policy_to_json(p2, &t2) == 0 && t2 != NULL);
    if (strcmp(t1, t2) != 0) {
        fprintf(stderr, "round trip differs:\n%s\n%s\n", t1, t2);
    }
    FUZZ_CHECK(strcmp(t1, t2) == 0);
    pov_free(t1);
    pov_free(t2);
    pov_policy_free(p2);

    assess(p);
    pov_policy_free(p);
    return 0;
}
