/*
 * Fuzz target: one household from JSON (pov_household_from_json).
 * Invariants: an error sets a negative code with a message; a household that
 * parses serialises, parses again and serialises to the same text (also with
 * POV_JSON_DERIVED, whose extra fields are ignored when read back).
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_common.h"

static void roundtrip(const pov_household *h, unsigned flags)
{
    char *text1 = NULL;
    int rc = pov_household_to_json(h, flags, &text1);
    FUZZ_CHECK(rc == 0 && text1 != NULL);
    pov_household *h2 = NULL;
    rc = pov_household_from_json(pov_schema_core(), text1, strlen(text1), "<roundtrip>", &h2);
    if (rc != 0) {
        fprintf(stderr, "re-reading failed: %s at %s\n%s\n", pov_error_message(pov_error_last()),
                pov_error_path(pov_error_last()), text1);
    }
    FUZZ_CHECK(rc == 0 && h2 != NULL);
    char *text2 = NULL;
    rc = pov_household_to_json(h2, flags, &text2);
    FUZZ_CHECK(rc == 0 && text2 != NULL);
    if (strcmp(text1, text2) != 0) {
        fprintf(stderr, "round trip differs:\n%s\n%s\n", text1, text2);
    }
    FUZZ_CHECK(strcmp(text1, text2) == 0);
    pov_free(text1);
    pov_free(text2);
    pov_household_free(h2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pov_household *h = NULL;
    int rc = pov_household_from_json(pov_schema_core(), (const char *)data, size, "<fuzz>", &h);
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(h == NULL);
        return 0;
    }
    FUZZ_CHECK(h != NULL);
    roundtrip(h, 0);
    roundtrip(h, POV_JSON_DERIVED);
    /* A copy serialises like the original. */
    pov_household *c = NULL;
    FUZZ_CHECK(pov_household_copy(h, &c) == 0);
    char *a = NULL, *b = NULL;
    FUZZ_CHECK(pov_household_to_json(h, POV_JSON_PRETTY, &a) == 0);
    FUZZ_CHECK(pov_household_to_json(c, POV_JSON_PRETTY, &b) == 0);
    FUZZ_CHECK(strcmp(a, b) == 0);
    pov_free(a);
    pov_free(b);
    pov_household_free(c);
    (void)pov_household_validate(h);
    pov_household_free(h);
    return 0;
}
