/* Benchmark: risk scores, matching and CJS vulnerability on synthetic
 * households (public API only). Run by hand; see tests/bench/bench_risk.py.
 *
 *   bench_risk [N=1000000] [--dump DIR]
 *
 * Prints households per second (CPU time) for risk scoring, matching with
 * the embedded example programs, and the CJS three-step FGLS on N households
 * with 10 covariates; peak RSS. With --dump, writes the raw input columns
 * and the scores as float64 files to DIR for the numpy comparison.
 *
 * SPDX-License-Identifier: MIT
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
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static unsigned long long rng = 88172645463325252ULL;
static double urand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * (1.0 / 9007199254740992.0);
}

#define CHECK(x)                                                                  \
    do {                                                                          \
        if ((x) < 0) {                                                            \
            fprintf(stderr, "%s: %s at %s\n", #x, pov_error_message(pov_error_last()), \
                    pov_error_path(pov_error_last()));                            \
            exit(1);                                                              \
        }                                                                         \
    } while (0)

static const char *health[] = {"healthy", "healthy", "healthy", "weak", "chronic_illness",
                               "serious_illness"};
static const char *dis[] = {"none", "none", "none", "none", "none", "grade_2", "grade_4"};
static const char *causes[] = {"illness", "disability", "schooling", "disaster", "lack_land",
                               "lack_water", "lack_skills", "lack_labour", "lack_funds",
                               "poor_transport", "lack_drive", "other"};

static void dump(const char *dir, const char *name, const double *v, size_t n) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.f64", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(v, sizeof *v, n, f) != n) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

int main(int argc, char **argv) {
    size_t n = 1000000;
    const char *dir = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--dump") && a + 1 < argc)
            dir = argv[++a];
        else
            n = (size_t)atof(argv[a]);
    }
    const pov_schema *s = pov_schema_core();
    pov_dataset *ds;
    CHECK(pov_dataset_new(s, &ds));
    pov_household *h;
    CHECK(pov_household_new(s, &h));
    char id[32];
    double *hist = malloc(3 * n * sizeof *hist); /* the generated history, for --dump */
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        pov_household_free(h);
        CHECK(pov_household_new(s, &h));
        snprintf(id, sizeof id, "h%09zu", i);
        CHECK(pov_household_set_id(h, id));
        CHECK(pov_household_set_number(h, "year", 2020));
        CHECK(pov_household_set_text(h, "county_code", i % 3 ? "450121" : "450122"));
        CHECK(pov_household_set_number(h, "income_wage", floor(20000 * urand() * urand())));
        CHECK(pov_household_set_number(h, "income_operating", floor(8000 * urand())));
        CHECK(pov_household_set_number(h, "income_transfer", floor(3000 * urand())));
        CHECK(pov_household_set_number(h, "production_costs", floor(2000 * urand())));
        CHECK(pov_household_set_number(h, "exp_medical", urand() < 0.3 ? floor(8000 * urand()) : 0));
        CHECK(pov_household_set_number(h, "exp_education", floor(2000 * urand())));
        if (urand() < 0.1)
            CHECK(pov_household_set_number(h, "disaster_loss", floor(5000 * urand())));
        CHECK(pov_household_set_number(h, "debt", urand() < 0.4 ? floor(30000 * urand()) : 0));
        CHECK(pov_household_set_category(h, "cause_main", causes[(size_t)(12 * urand())]));
        CHECK(pov_household_set_boolean(h, "road_hardened", urand() < 0.9));
        CHECK(pov_household_set_number(h, "forest_mu", floor(10 * urand())));
        size_t m = 1 + (size_t)(5 * urand());
        for (size_t k = 0; k < m; k++) {
            size_t mi;
            CHECK(pov_household_member_add(h, &mi));
            CHECK(pov_household_member_set_number(h, mi, "age", floor(80 * urand())));
            CHECK(pov_household_member_set_category(h, mi, "health", health[(size_t)(6 * urand())]));
            CHECK(pov_household_member_set_category(h, mi, "disability_grade", dis[(size_t)(7 * urand())]));
        }
        double base = 1000 + 8000 * urand();
        for (int y = 2017; y < 2020; y++) {
            hist[3 * i + (size_t)(y - 2017)] = floor(base * (0.7 + 0.6 * urand()));
            CHECK(pov_household_history_add(h, y, hist[3 * i + (size_t)(y - 2017)]));
        }
        CHECK(pov_dataset_append(ds, h));
    }
    pov_household_free(h);
    double t_build = now() - t0;
    printf("n=%zu build_s=%.2f\n", n, t_build);

    pov_riskmodel *model;
    CHECK(pov_riskmodel_default(&model));
    double *scores = malloc(n * sizeof *scores);
    double *contrib = malloc(n * 8 * sizeof *contrib);
    uint32_t *miss = malloc(n * sizeof *miss);
    t0 = now();
    CHECK(pov_risk_score_dataset(model, ds, 4000, scores, NULL, contrib, miss));
    double t_score = now() - t0;
    printf("risk_score_s=%.3f risk_score_hh_per_s=%.0f\n", t_score, (double)n / t_score);

    pov_programs *progs;
    CHECK(pov_programs_default(s, &progs));
    pov_match *match;
    t0 = now();
    CHECK(pov_match_run(progs, ds, NULL, NULL, NULL, NULL, &match));
    double t_match = now() - t0;
    double cov;
    CHECK(pov_match_coverage(match, &cov, NULL));
    printf("match_s=%.3f match_hh_per_s=%.0f coverage=%.3f spent=%.0f\n", t_match,
           (double)n / t_match, cov, pov_match_spent(match));
    printf("score_and_match_hh_per_s=%.0f\n", (double)n / (t_score + t_match));

    /* CJS on n households, 10 covariates (intercept + 9) */
    size_t k = 10;
    double *X = malloc(n * k * sizeof *X), *y = malloc(n * sizeof *y), *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        double mean = 8, sd = 0.3;
        X[i * k] = 1;
        for (size_t j = 1; j < k; j++) {
            X[i * k + j] = urand();
            mean += 0.1 * (double)j * X[i * k + j] / (double)k;
            sd += 0.02 * X[i * k + j];
        }
        double u = urand() + urand() + urand() - 1.5; /* roughly normal, variance 1/4 */
        y[i] = exp(mean + 2 * sd * u);
    }
    size_t floored;
    t0 = now();
    CHECK(pov_vulnerability_cjs(X, y, n, k, exp(8.2), p, NULL, NULL, &floored));
    double t_cjs = now() - t0;
    double rate, ex;
    CHECK(pov_vulnerability_summary(p, NULL, n, 0.5, &rate, &ex));
    printf("cjs_s=%.3f cjs_k=%zu floored=%zu vulnerable=%.3f expected=%.3f\n", t_cjs, k, floored,
           rate, ex);

    if (dir) {
        size_t idx;
        const char *cols[] = {"per_capita_net_income", "net_income", "dependency_ratio",
                              "exp_medical", "exp_education", "exp_other_rigid", "disaster_loss",
                              "income_wage", "income_operating", "income_property",
                              "income_transfer", "income_other", "debt", "household_size"};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            CHECK(pov_schema_find(s, cols[c], &idx));
            dump(dir, cols[c], pov_dataset_column_number(ds, idx), n);
        }
        /* member flags: ill or disabled (1/0), and offsets */
        size_t nm = pov_dataset_member_count(ds), hi, di;
        CHECK(pov_schema_find(s, "health", &hi));
        CHECK(pov_schema_find(s, "disability_grade", &di));
        const int32_t *hc = pov_dataset_column_category(ds, hi), *dc = pov_dataset_column_category(ds, di);
        double *flag = malloc((nm ? nm : 1) * sizeof *flag);
        for (size_t r = 0; r < nm; r++)
            flag[r] = (hc[r] == 2 || hc[r] == 3 || (dc[r] >= 1 && dc[r] <= 4)) ? 1 : 0;
        dump(dir, "member_ill", flag, nm);
        free(flag);
        const size_t *off = pov_dataset_member_offsets(ds);
        double *offd = malloc((n + 1) * sizeof *offd);
        for (size_t i = 0; i <= n; i++)
            offd[i] = (double)off[i];
        dump(dir, "member_offsets", offd, n + 1);
        dump(dir, "history", hist, 3 * n); /* 2017, 2018, 2019 per household */
        dump(dir, "scores", scores, n);
        free(offd);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb=%.1f\n", (double)ru.ru_maxrss / 1024.0);
    free(hist);
    free(X);
    free(y);
    free(p);
    free(scores);
    free(contrib);
    free(miss);
    pov_match_free(match);
    pov_programs_free(progs);
    pov_riskmodel_free(model);
    pov_dataset_free(ds);
    return 0;
}
