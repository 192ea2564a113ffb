/*
 * Shared helpers of the fuzz targets: invariant checks and small fixed
 * inputs. Header-only (static functions) so that each target stays one
 * translation unit for libFuzzer and for the replay driver.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_FUZZ_COMMON_H
#define POV_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

/* The entry point every target defines (libFuzzer's signature). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant failed: report and abort, so libFuzzer records a crash and
 * the replay test fails. */
#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/*
 * A failed call must return a negative code, leave a detail record with the
 * same code and a non-empty message.
 */
static inline void fuzz_check_error(int rc)
{
    FUZZ_CHECK(rc < 0);
    const pov_error *e = pov_error_last();
    FUZZ_CHECK(e != NULL);
    if (pov_error_code(e) != rc) {
        fprintf(stderr, "returned %d but pov_error_last() has %d (%s)\n", rc,
                pov_error_code(e), pov_error_message(e));
    }
    FUZZ_CHECK(pov_error_code(e) == rc);
    FUZZ_CHECK(pov_error_message(e) != NULL && pov_error_message(e)[0] != '\0');
    FUZZ_CHECK(pov_error_source(e) != NULL);
    FUZZ_CHECK(pov_error_path(e) != NULL);
    FUZZ_CHECK(strcmp(pov_strerror(rc), "unknown error code") != 0);
}

/* A copy of the input with a NUL terminator, for APIs that need one. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL) {
        abort();
    }
    if (size > 0) {
        memcpy(s, data, size);
    }
    s[size] = '\0';
    return s;
}

/* A small fixed dataset in JSON Lines: two complete households, with members,
 * and one sparse household with most values missing. */
static const char fuzz_fixed_jsonl[] =
    "{\"id\":\"h1\",\"county_code\":\"450121\",\"village_code\":\"450121101201\","
    "\"year\":2020,\"income_wage\":4000,\"income_operating\":500,\"income_property\":0,"
    "\"income_transfer\":300,\"income_other\":0,\"production_costs\":200,"
    "\"housing_structure\":\"earth\",\"housing_safety\":\"C\",\"floor_area\":40,"
    "\"safe_water\":false,\"electricity\":true,\"debt\":1000,"
    "\"members\":[{\"relation\":\"head\",\"age\":67,\"sex\":\"male\",\"health\":\"chronic_illness\"},"
    "{\"relation\":\"grandchild\",\"age\":9,\"sex\":\"female\",\"schooling\":\"primary\"}],"
    "\"income_history\":{\"2018\":1800,\"2019\":2100}}\n"
    "{\"id\":\"h2\",\"county_code\":\"450121\",\"village_code\":\"450121101202\","
    "\"year\":2020,\"income_wage\":46000,\"income_operating\":11000,\"income_property\":365,"
    "\"income_transfer\":400,\"income_other\":0,\"production_costs\":4000,"
    "\"housing_structure\":\"brick_concrete\",\"housing_safety\":\"A\",\"floor_area\":120,"
    "\"safe_water\":true,\"electricity\":true,\"cars\":1,"
    "\"members\":[{\"relation\":\"head\",\"age\":40,\"sex\":\"male\"},"
    "{\"relation\":\"spouse\",\"age\":38,\"sex\":\"female\"}]}\n"
    "{\"id\":\"h3\",\"year\":2020}\n";

/* Reads fuzz_fixed_jsonl (collect mode, so a fixture value the schema does
 * not accept costs one household, not the whole set). Aborts when nothing
 * loads: the fixture itself is then broken. */
static inline pov_dataset *fuzz_fixed_dataset(void)
{
    pov_read_options opts;
    pov_read_options_init(&opts);
    opts.mode = POV_READ_COLLECT;
    pov_dataset *ds = NULL;
    pov_read_report *rep = NULL;
    int rc = pov_dataset_read_buffer(pov_schema_core(), fuzz_fixed_jsonl,
                                     sizeof fuzz_fixed_jsonl - 1, "<fixed>", POV_FORMAT_JSONL,
                                     &opts, &ds, &rep);
    if (rc != 0 || ds == NULL || pov_dataset_count(ds) == 0) {
        fprintf(stderr, "fixed dataset does not load: %d %s\n", rc,
                pov_error_message(pov_error_last()));
        abort();
    }
    pov_read_report_free(rep);
    return ds;
}

#endif /* POV_FUZZ_COMMON_H */
