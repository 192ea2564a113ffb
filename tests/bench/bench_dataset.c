/* Benchmark: appending synthetic households to a dataset (public API only).
 * usage: bench_dataset [N=1000000]
 * Each household has an id, 5 region codes, 8 numeric and 2 category values
 * and 1-6 members with 4 values each; it is filled once per record into one
 * reused pov_household (the path a reader takes) and appended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "povmetrics.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the build machine may be shared */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if ((x) < 0) {                                                                   \
            fprintf(stderr, "%s: %s\n", #x, pov_error_message(pov_error_last()));        \
            return 1;                                                                    \
        }                                                                                \
    } while (0)

/* Builds household k (the work a reader does per record). */
static pov_household *build(const pov_schema *s, size_t k) {
    static const char *cap[] = {"ordinary", "skilled", "weak", "none", "lost"};
    char id[32], village[16];
    pov_household *h = NULL;
    if (pov_household_new(s, &h) < 0)
        return NULL;
    snprintf(id, sizeof id, "450123%010zu", k);
    snprintf(village, sizeof village, "45012301%02zu", (k / 300) % 100);
    int r = 0;
    r |= pov_household_set_id(h, id);
    r |= pov_household_set_text(h, "province_code", "45");
    r |= pov_household_set_text(h, "city_code", "4501");
    r |= pov_household_set_text(h, "county_code", "450123");
    r |= pov_household_set_text(h, "township_code", "45012301");
    r |= pov_household_set_text(h, "village_code", village);
    r |= pov_household_set_number(h, "year", 2015);
    r |= pov_household_set_number(h, "income_wage", (double)(k % 20000));
    r |= pov_household_set_number(h, "income_operating", (double)(k % 7000));
    r |= pov_household_set_number(h, "income_transfer", 1200);
    r |= pov_household_set_number(h, "production_costs", 800);
    r |= pov_household_set_number(h, "floor_area", 40 + (double)(k % 100));
    r |= pov_household_set_boolean(h, "safe_water", (int)(k % 5 != 0));
    r |= pov_household_set_boolean(h, "electricity", 1);
    r |= pov_household_set_category(h, "housing_safety", k % 4 ? "B" : "C");
    r |= pov_household_set_category(h, "housing_structure", "brick_concrete");
    size_t nm = 1 + k % 6;
    for (size_t j = 0; j < nm; j++) {
        r |= pov_household_member_add(h, NULL);
        r |= pov_household_member_set_number(h, j, "age", (double)((k * 7 + j * 13) % 90));
        r |= pov_household_member_set_category(h, j, "sex", j % 2 ? "female" : "male");
        r |= pov_household_member_set_category(h, j, "labour_capacity", cap[(k + j) % 5]);
        r |= pov_household_member_set_boolean(h, j, "medical_insurance", (int)((k + j) % 9 != 0));
    }
    if (r < 0) {
        fprintf(stderr, "build: %s\n", pov_error_message(pov_error_last()));
        pov_household_free(h);
        return NULL;
    }
    return h;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    /* optional MODE "build" or "append": run one pass only (for perf stat) */
    const char *mode = argc > 2 ? argv[2] : "both";
    int do_build = strcmp(mode, "append") != 0, do_append = strcmp(mode, "build") != 0;
    const pov_schema *s = pov_schema_core();
    /* pass 1: build and free only; pass 2: build, append, free. The append
     * cost is the difference (timing each call would cost more than it). */
    double t0 = now();
    for (size_t k = 0; do_build && k < n; k++) {
        pov_household *h = build(s, k);
        if (!h)
            return 1;
        pov_household_free(h);
    }
    double t_build = now() - t0;
    pov_dataset *ds = NULL;
    CHECK(pov_dataset_new(s, &ds));
    t0 = now();
    for (size_t k = 0; do_append && k < n; k++) {
        pov_household *h = build(s, k);
        if (!h)
            return 1;
        CHECK(pov_dataset_append(ds, h));
        pov_household_free(h);
    }
    double t_both = now() - t0;
    double t_append = t_both - t_build;
    printf("households: %zu, members: %zu\n", pov_dataset_count(ds), pov_dataset_member_count(ds));
    printf("build households (public setters, new/free each): %.3f s CPU, %.0f ns each\n",
           t_build, 1e9 * t_build / (double)n);
    printf("pov_dataset_append: %.3f s CPU total, %.0f ns per household\n", t_append,
           1e9 * t_append / (double)n);
    pov_dataset_free(ds);
    return 0;
}
