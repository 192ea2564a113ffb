/*
 * Fuzz target: schema documents (pov_schema_load_string). A schema that loads
 * must serialise, and a household and a one-line dataset must be readable
 * against it.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pov_schema *s = NULL;
    int rc = pov_schema_load_string((const char *)data, size, "<fuzz>", &s);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(s == NULL);
        return 0;
    }
    FUZZ_CHECK(s != NULL);
    FUZZ_CHECK(pov_schema_count(s) >= pov_schema_core_count());
    for (size_t i = 0; i < pov_schema_count(s); i++) {
        FUZZ_CHECK(pov_schema_id(s, i) != NULL);
        size_t found = SIZE_MAX;
        FUZZ_CHECK(pov_schema_find(s, pov_schema_id(s, i), &found) >= 0);
        FUZZ_CHECK(found == i);
    }
    char *text = NULL;
    FUZZ_CHECK(pov_schema_to_json(s, &text) == 0 && text != NULL);
    pov_free(text);

    static const char hh[] = "{\"id\":\"x\",\"year\":2020,\"members\":[{\"age\":30}]}";
    pov_household *h = NULL;
    rc = pov_household_from_json(s, hh, sizeof hh - 1, "<fixed>", &h);
    if (rc != 0) {
        fuzz_check_error(rc);
    } else {
        char *j = NULL;
        FUZZ_CHECK(pov_household_to_json(h, POV_JSON_DERIVED, &j) == 0);
        pov_free(j);
    }
    pov_household_free(h);
    pov_schema_free(s);
    return 0;
}
