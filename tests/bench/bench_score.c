/* Benchmark: scoring synthetic households with a scorecard (public API only).
 *
 * usage: bench_score [N=1000000] [SCORECARD=guangxi_style_2015] [MODES=both|totals|items]
 *                    [REPEAT=3]   (REPEAT: scoring runs per mode, best kept; raise it to profile)
 *
 * Builds N households on the scorecard's schema (every household-level input
 * indicator set at random: numbers on a plausible scale, booleans, category
 * codes; 1–6 members; veto facts rare), then times pov_scorecard_score() with
 * totals-only and with per-item detail, and identification. Prints
 * "key=value" lines read by bench_score.py. Distributions are illustrative:
 * this measures speed, not poverty.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "povmetrics.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the build machine is shared */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static unsigned long long rng = 88172645463325252ULL;
static double urand(void) { /* xorshift64 */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * (1.0 / 9007199254740992.0);
}

#define CHECK(x)                                                                     \
    do {                                                                             \
        if ((x) < 0) {                                                               \
            fprintf(stderr, "%s: %s\n", #x, pov_error_message(pov_error_last()));    \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

static int contains(const char *s, const char *t) { return strstr(s, t) != NULL; }

/* A random value on a plausible scale for a numeric indicator id. */
static double number_for(const char *id, int integer) {
    double v;
    if (contains(id, "income") || contains(id, "exp_") || contains(id, "debt") ||
        contains(id, "cost") || contains(id, "transfer") || contains(id, "value") ||
        contains(id, "loss"))
        v = urand() < 0.3 ? 0 : 20000 * urand() * urand();
    else if (contains(id, "floor_area"))
        v = 20 + 130 * urand();
    else if (contains(id, "_mu") || contains(id, "land") || contains(id, "pond"))
        v = 5 * urand();
    else if (contains(id, "minutes"))
        v = 40 * urand();
    else if (contains(id, "pct"))
        v = 80 + 20 * urand();
    else if (contains(id, "litres"))
        v = 20 + 60 * urand();
    else if (strcmp(id, "cars") == 0)
        v = urand() < 0.03;
    else if (strcmp(id, "year") == 0)
        v = 2015;
    else
        v = 6 * urand();
    return integer ? floor(v) : v;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    const char *card = argc > 2 ? argv[2] : "guangxi_style_2015";
    const char *modes = argc > 3 ? argv[3] : "both"; /* one mode: for instruction counts */
    int repeat = argc > 4 ? atoi(argv[4]) : 3;
    if (repeat < 1)
        repeat = 1;
    pov_scorecard *sc = NULL;
    CHECK(pov_scorecard_default(card, &sc));
    const pov_schema *s = pov_scorecard_schema(sc);
    size_t ni = pov_schema_count(s);
    pov_dataset *ds = NULL;
    CHECK(pov_dataset_new(s, &ds));
    double t0 = now();
    static const char *cap[] = {"ordinary", "skilled", "weak", "none", "lost"};
    static const char *health[] = {"healthy", "healthy", "healthy", "weak", "chronic_illness", "serious_illness"};
    for (size_t k = 0; k < n; k++) {
        pov_household *h = NULL;
        CHECK(pov_household_new(s, &h));
        char id[32], village[16];
        snprintf(id, sizeof id, "450123%010zu", k);
        snprintf(village, sizeof village, "45012301%03zu", (k / 300) % 1000);
        CHECK(pov_household_set_id(h, id));
        CHECK(pov_household_set_text(h, "county_code", "450123"));
        CHECK(pov_household_set_text(h, "village_code", village));
        for (size_t i = 0; i < ni; i++) {
            if (pov_schema_level(s, i) != POV_LEVEL_HOUSEHOLD || pov_schema_derived(s, i) == 1)
                continue;
            const char *iid = pov_schema_id(s, i);
            if (strncmp(iid, "cause_", 6) == 0) /* causes must not repeat: leave them out */
                continue;
            switch (pov_schema_type(s, i)) {
            case POV_TYPE_NUMBER:
            case POV_TYPE_INTEGER:
                CHECK(pov_household_set_number(h, iid, number_for(iid, pov_schema_type(s, i) == POV_TYPE_INTEGER)));
                break;
            case POV_TYPE_BOOLEAN: {
                /* veto facts are rare */
                int rare = strcmp(iid, "town_property") == 0 || strcmp(iid, "purchased_land") == 0 ||
                           strcmp(iid, "owns_company") == 0 || strcmp(iid, "drugs_gambling") == 0 ||
                           strcmp(iid, "employs_labour") == 0 || strcmp(iid, "private_school_abroad") == 0;
                CHECK(pov_household_set_boolean(h, iid, urand() < (rare ? 0.01 : 0.5)));
                break;
            }
            case POV_TYPE_CATEGORY: {
                size_t nc = pov_schema_code_count(s, i);
                CHECK(pov_household_set_category(h, iid, pov_schema_code(s, i, (size_t)(urand() * (double)nc))));
                break;
            }
            default:
                break;
            }
        }
        size_t nm = 1 + (size_t)(urand() * 6);
        for (size_t j = 0; j < nm; j++) {
            CHECK(pov_household_member_add(h, NULL));
            CHECK(pov_household_member_set_number(h, j, "age", floor(urand() * 90)));
            CHECK(pov_household_member_set_category(h, j, "labour_capacity", cap[(size_t)(urand() * 5)]));
            CHECK(pov_household_member_set_category(h, j, "health", health[(size_t)(urand() * 6)]));
            CHECK(pov_household_member_set_category(h, j, "disability_grade", urand() < 0.05 ? "grade_3" : "none"));
            CHECK(pov_household_member_set_category(h, j, "schooling", urand() < 0.03 ? "dropped_out" : "graduated"));
            CHECK(pov_household_member_set_number(h, j, "migrant_months", floor(urand() * 12)));
            CHECK(pov_household_member_set_boolean(h, j, "medical_insurance", urand() < 0.95));
            CHECK(pov_household_member_set_boolean(h, j, "public_funds_paid", urand() < 0.005));
        }
        CHECK(pov_dataset_append(ds, h));
        pov_household_free(h);
    }
    double t1 = now();
    printf("households=%zu\nitems=%zu\nbuild_seconds=%.3f\n", n, pov_scorecard_item_count(sc), t1 - t0);

    pov_score_options o;
    pov_score_options_init(&o);
    o.mode = POV_SCORE_LENIENT;
    const char *names[] = {"totals", "items"};
    for (int d = 0; d < 2; d++) {
        if (strcmp(modes, "both") != 0 && strcmp(modes, names[d]) != 0)
            continue;
        o.detail = d == 0 ? POV_SCORE_DETAIL_TOTALS : POV_SCORE_DETAIL_ITEMS;
        double best = INFINITY;
        pov_score_result *res = NULL;
        for (int rep = 0; rep < repeat; rep++) {
            pov_score_result_free(res);
            res = NULL;
            double a = now();
            CHECK(pov_scorecard_score(sc, ds, &o, &res));
            double b = now() - a;
            if (b < best)
                best = b;
        }
        printf("score_%s_seconds=%.4f\nscore_%s_households_per_second=%.0f\n", names[d], best,
               names[d], (double)n / best);
        if (d == 0) {
            const double *t = pov_score_result_totals(res);
            double sum = 0;
            for (size_t i = 0; i < n; i++)
                sum += t[i];
            printf("mean_score=%.3f\n", sum / (double)n);
            double a = now();
            pov_identification *id = NULL;
            CHECK(pov_score_result_identify(res, NULL, &id));
            printf("identify_seconds=%.4f\n", now() - a);
            pov_identification_free(id);
        }
        pov_score_result_free(res);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb=%.1f\n", (double)ru.ru_maxrss / 1024.0);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
    return 0;
}
