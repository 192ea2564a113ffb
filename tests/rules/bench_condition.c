/*
 * Measurement (not a test): nanoseconds per household to evaluate a
 * condition of 10 operators (not counting var) over 1,000,000 households with
 * 0-5 members each, through pov_condition_eval_dataset().
 *
 *   meson setup build-bench -Dbench=true && ninja -C build-bench
 *   build-bench/tests/rules/bench_condition [n_households]
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "povmetrics.h"

static const char *SCHEMA_JSON =
    "{\"format\": \"povmetrics.schema/1\", \"name\": \"bench\", \"indicators\": ["
    "{\"id\": \"b_income\", \"level\": \"household\", \"type\": \"number\"},"
    "{\"id\": \"b_size\", \"level\": \"household\", \"type\": \"number\"},"
    "{\"id\": \"b_car\", \"level\": \"household\", \"type\": \"boolean\"},"
    "{\"id\": \"b_house\", \"level\": \"household\", \"type\": \"category\","
    " \"codes\": [{\"code\": \"concrete\"}, {\"code\": \"brick\"}, {\"code\": \"mud\"}]},"
    
    "{\"id\": \"b_ill\", \"level\": \"member\", \"type\": \"boolean\"}"
    "]}";

/* 10 operators: and, or, <, /, in, !, some, and, >=, + */
static const char *EXPR =
    "{\"and\": ["
    "  {\"or\": [{\"<\": [{\"/\": [{\"var\": \"b_income\"}, {\"var\": \"b_size\"}]}, 4000]},"
    "           {\"in\": [{\"var\": \"b_house\"}, [\"mud\"]]}]},"
    "  {\"!\": {\"var\": \"b_car\"}},"
    "  {\"some\": [{\"var\": \"members\"}, {\"and\": [{\">=\": [{\"+\": [{\"var\": \"age\"}, 0]}, 60]},"
    "                                           {\"var\": \"b_ill\"}]}]}"
    "]}";

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: robust to a loaded machine */
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define CHECK(x)                                                                               \
    do {                                                                                       \
        int rc_ = (x);                                                                         \
        if (rc_ < 0) {                                                                         \
            fprintf(stderr, "%s: %d %s\n", #x, rc_, pov_error_message(pov_error_last()));     \
            return 1;                                                                          \
        }                                                                                      \
    } while (0)

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    pov_schema *s;
    CHECK(pov_schema_load_string(SCHEMA_JSON, strlen(SCHEMA_JSON), "bench", &s));
    pov_dataset *ds;
    CHECK(pov_dataset_new(s, &ds));
    pov_household *h;
    CHECK(pov_household_new(s, &h));
    const char *houses[3] = {"concrete", "brick", "mud"};
    unsigned long long r = 88172645463325252ull;
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        pov_household *x;
        CHECK(pov_household_new(s, &x));
        char id[32];
        snprintf(id, sizeof id, "h%zu", i);
        CHECK(pov_household_set_id(x, id));
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        int members = (int)(r % 6);
        CHECK(pov_household_set_number(x, "b_income", (double)(r % 40000)));
        CHECK(pov_household_set_number(x, "b_size", members ? members : 1));
        CHECK(pov_household_set_boolean(x, "b_car", (r >> 20) % 7 == 0));
        CHECK(pov_household_set_category(x, "b_house", houses[(r >> 24) % 3]));
        for (int m = 0; m < members; m++) {
            size_t mi;
            r ^= r << 13; r ^= r >> 7; r ^= r << 17;
            CHECK(pov_household_member_add(x, &mi));
            CHECK(pov_household_member_set_number(x, mi, "age", (double)(r % 90)));
            CHECK(pov_household_member_set_boolean(x, mi, "b_ill", (r >> 30) % 4 == 0));
        }
        CHECK(pov_dataset_append(ds, x));
        pov_household_free(x);
    }
    double t_build = now() - t0;
    pov_condition *c;
    CHECK(pov_condition_compile(s, EXPR, strlen(EXPR), "bench", &c));
    double *values = malloc(n * sizeof *values);
    uint8_t *states = malloc(n);
    if (!values || !states)
        return 1;
    double best = INFINITY;
    for (int rep = 0; rep < 5; rep++) {
        t0 = now();
        CHECK(pov_condition_eval_dataset(c, ds, values, states));
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    size_t counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++)
        counts[states[i] & 3]++;
    /* the single-household path on the first 10,000 households, for comparison */
    size_t n1 = n < 10000 ? n : 10000;
    pov_household **hs = malloc(n1 * sizeof *hs);
    if (!hs)
        return 1;
    for (size_t i = 0; i < n1; i++)
        CHECK(pov_dataset_household(ds, i, &hs[i]));
    double t_single = 0;
    for (int pass = 0; pass < 2; pass++) { /* the first pass also derives (lazily) */
        t0 = now();
        for (size_t i = 0; i < n1; i++) {
            double v;
            int st;
            CHECK(pov_condition_eval_household(c, hs[i], &v, &st));
        }
        t_single = now() - t0;
    }
    for (size_t i = 0; i < n1; i++)
        pov_household_free(hs[i]);
    free(hs);
    printf("households: %zu, members: %zu (built in %.2f s)\n", n, pov_dataset_member_count(ds),
           t_build);
    printf("batch: best of 5 = %.3f s, %.1f ns per household\n", best, best * 1e9 / (double)n);
    printf("single-household calls (second pass): %.1f ns per household\n",
           t_single * 1e9 / (double)n1);
    printf("true %zu, false %zu, missing %zu\n", counts[POV_COND_TRUE], counts[POV_COND_FALSE],
           counts[POV_COND_MISSING]);
    free(values);
    free(states);
    pov_condition_free(c);
    pov_household_free(h);
    pov_dataset_free(ds);
    pov_schema_free(s);
    return 0;
}
