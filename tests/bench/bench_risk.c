/* Benchmark: monitoring classification, risk scores, matching and CJS
 * vulnerability on synthetic households (public API only). Run by hand; see
 * tests/bench/bench_risk.py and tests/bench/README.md.
 *
 *   bench_risk [N=1000000] [--repeat R] [--dump DIR] [--only classify|score]
 *
 * N households of Yunnan (province 53) in 2024, under the embedded policy
 * national_2021_monitoring (whose monitoring range for Yunnan 2024 is 8,700
 * yuan). Prints CPU seconds (best of R) and households per second for the
 * monitoring classification (pov_policy_monitor_dataset: triggers, groups,
 * reason codes), the risk score (the embedded model, line z = 5,800 so that
 * the model's monitoring line 1.5 z is the same 8,700 yuan), matching with
 * the embedded example programs, and the CJS three-step FGLS on N households
 * with 10 covariates; peak RSS. With --dump, writes the raw input columns,
 * the scores and the classification to DIR for the numpy comparison. With
 * --only, runs that stage alone (for perf or callgrind).
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
static const char *labour[] = {"ordinary", "ordinary", "ordinary", "skilled", "weak", "none",
                               "lost"};
static const char *causes[] = {"illness", "disability", "schooling", "disaster", "lack_land",
                               "lack_water", "lack_skills", "lack_labour", "lack_funds",
                               "poor_transport", "lack_drive", "other"};
/* registry_status: mostly exited or never registered, as in a 2024 register */
static const char *status[] = {"poor", "exited", "exited", "exited", "monitored_unstable",
                               "not_registered", "not_registered", "not_registered",
                               "not_registered", "monitored_marginal", "monitored_hardship",
                               "returned"};
static const char *safety[] = {"A", "A", "A", "A", "A", "A", "B", "B", "B", "C", "D"};

/* FNV-1a over bytes: fingerprints of whole results, to check that an
 * optimisation changes no output (compare with a build of the old tree). */
static unsigned long long fnv(unsigned long long h, const void *p, size_t len) {
    const unsigned char *c = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ c[i]) * 1099511628211ULL;
    return h;
}

/* Every criterion result (outcome, test, value, threshold, margin) of every
 * household, the groups and monitored flags, and the JSON of every 97th
 * household. */
static unsigned long long fingerprint_assessment(const pov_assessment *a) {
    unsigned long long h = 1469598103934665603ULL;
    size_t n = pov_assessment_count(a), nc = pov_assessment_criterion_count(a);
    for (size_t c = 0; c < nc; c++) {
        h = fnv(h, pov_assessment_outcomes(a, c), n);
        h = fnv(h, pov_assessment_values(a, c), n * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            pov_criterion_result r = {.size = sizeof r};
            CHECK(pov_assessment_get(a, i, c, &r));
            h = fnv(h, &r.outcome, sizeof r.outcome);
            h = fnv(h, &r.test, sizeof r.test);
            h = fnv(h, &r.value, sizeof r.value);
            h = fnv(h, &r.threshold, sizeof r.threshold);
            h = fnv(h, &r.margin, sizeof r.margin);
        }
    }
    h = fnv(h, pov_assessment_groups(a), n);
    h = fnv(h, pov_assessment_eligible(a), n);
    for (size_t i = 0; i < n; i += 97) {
        char *json;
        CHECK(pov_assessment_to_json(a, i, &json));
        h = fnv(h, json, strlen(json));
        pov_free(json);
    }
    return h;
}

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

static void dump_u8(const char *dir, const char *name, const uint8_t *v, size_t n) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.u8", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(v, 1, n, f) != n) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

static void dump_text(const char *dir, const char *name, const char *text) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

/* A number that is missing with probability p_missing. */
static void set_num(pov_household *h, const char *id, double value, double p_missing) {
    if (urand() < p_missing)
        return;
    CHECK(pov_household_set_number(h, id, value));
}

int main(int argc, char **argv) {
    size_t n = 1000000;
    int repeat = 1;
    const char *dir = NULL, *only = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--dump") && a + 1 < argc)
            dir = argv[++a];
        else if (!strcmp(argv[a], "--only") && a + 1 < argc)
            only = argv[++a];
        else if (!strcmp(argv[a], "--repeat") && a + 1 < argc)
            repeat = atoi(argv[++a]) > 0 ? atoi(argv[a]) : 1;
        else
            n = (size_t)atof(argv[a]);
    }
    const int year = 2024;
    pov_policy *policy;
    CHECK(pov_policy_default("national_2021_monitoring", &policy));
    const pov_schema *s = pov_policy_schema(policy);
    pov_dataset *ds;
    CHECK(pov_dataset_new(s, &ds));
    pov_household *h;
    CHECK(pov_household_new(s, &h));
    char id[32], village[32];
    double *hist = malloc(3 * n * sizeof *hist); /* the generated history, for --dump */
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        pov_household_free(h);
        CHECK(pov_household_new(s, &h));
        snprintf(id, sizeof id, "h%09zu", i);
        CHECK(pov_household_set_id(h, id));
        CHECK(pov_household_set_number(h, "year", year));
        /* 250 households per village, listed village by village */
        size_t vil = i / 250;
        const char *county = vil % 3 ? "530121" : "530122";
        snprintf(village, sizeof village, "%s%06zu", county, vil);
        CHECK(pov_household_set_text(h, "province_code", "53"));
        CHECK(pov_household_set_text(h, "county_code", county));
        CHECK(pov_household_set_text(h, "village_code", village));
        if (urand() >= 0.01) /* 1 % unknown status */
            CHECK(pov_household_set_category(h, "registry_status",
                                             status[(size_t)(12 * urand())]));
        CHECK(pov_household_set_number(h, "income_wage", floor(60000 * urand() * urand())));
        CHECK(pov_household_set_number(h, "income_operating", floor(24000 * urand())));
        CHECK(pov_household_set_number(h, "income_transfer", floor(6000 * urand())));
        CHECK(pov_household_set_number(h, "production_costs", floor(6000 * urand())));
        set_num(h, "exp_medical", urand() < 0.3 ? floor(30000 * urand()) : 0, 0.01);
        set_num(h, "exp_education", floor(6000 * urand()), 0.01);
        set_num(h, "exp_other_rigid", urand() < 0.1 ? floor(10000 * urand()) : 0, 0.01);
        set_num(h, "disaster_loss", urand() < 0.1 ? floor(20000 * urand()) : 0, 0.01);
        CHECK(pov_household_set_number(h, "debt", urand() < 0.4 ? floor(60000 * urand()) : 0));
        CHECK(pov_household_set_category(h, "cause_main", causes[(size_t)(12 * urand())]));
        CHECK(pov_household_set_boolean(h, "road_hardened", urand() < 0.9));
        CHECK(pov_household_set_number(h, "forest_mu", floor(10 * urand())));
        if (urand() >= 0.02)
            CHECK(pov_household_set_category(h, "housing_safety",
                                             safety[(size_t)(11 * urand())]));
        if (urand() >= 0.01)
            CHECK(pov_household_set_boolean(h, "safe_water", urand() < 0.95));
        size_t m = 1 + (size_t)(5 * urand());
        for (size_t k = 0; k < m; k++) {
            size_t mi;
            CHECK(pov_household_member_add(h, &mi));
            CHECK(pov_household_member_set_number(h, mi, "age", floor(80 * urand())));
            CHECK(pov_household_member_set_category(h, mi, "health", health[(size_t)(6 * urand())]));
            CHECK(pov_household_member_set_category(h, mi, "disability_grade", dis[(size_t)(7 * urand())]));
            CHECK(pov_household_member_set_category(h, mi, "labour_capacity",
                                                    labour[(size_t)(7 * urand())]));
        }
        double base = 3000 + 24000 * urand();
        for (int y = year - 3; y < year; y++) {
            double v = floor(base * (0.7 + 0.6 * urand()));
            hist[3 * i + (size_t)(y - year + 3)] = v;
            CHECK(pov_household_history_add(h, y, v));
        }
        /* the monitoring policy reads last year's income from its own indicator */
        set_num(h, "income_last_year", hist[3 * i + 2], 0.01);
        CHECK(pov_dataset_append(ds, h));
    }
    pov_household_free(h);
    pov_derive_options dopt;
    CHECK(pov_policy_derive_options(policy, &dopt));
    CHECK(pov_dataset_derive(ds, &dopt));
    double t_build = now() - t0;
    printf("n=%zu build_s=%.2f\n", n, t_build);

    /* monitoring classification: triggers, groups, reasons */
    pov_assessment *mon = NULL;
    double t_class = INFINITY;
    int want_class = !only || !strcmp(only, "classify"), want_score = !only || !strcmp(only, "score");
    if (only && !want_class && !want_score) {
        fprintf(stderr, "--only: classify or score, not '%s'\n", only);
        return 2;
    }
    for (int rep = 0; rep < (want_class ? repeat : 1); rep++) {
        pov_assessment_free(mon);
        t0 = now();
        CHECK(pov_policy_monitor_dataset(policy, ds, year, &mon));
        double t = now() - t0;
        t_class = t < t_class ? t : t_class;
    }
    const uint8_t *grp = pov_assessment_groups(mon);
    size_t cnt[POV_GROUP_UNKNOWN + 1] = {0};
    for (size_t i = 0; i < n; i++)
        cnt[grp[i]]++;
    printf("classify_s=%.3f classify_hh_per_s=%.0f unstable=%zu marginal=%zu hardship=%zu "
           "none=%zu unknown=%zu\n",
           t_class, (double)n / t_class, cnt[1], cnt[2], cnt[3], cnt[0], cnt[4]);

    pov_riskmodel *model;
    CHECK(pov_riskmodel_default(&model));
    const double z = 5800;
    double *scores = malloc(n * sizeof *scores);
    double *contrib = malloc(n * 8 * sizeof *contrib);
    uint32_t *miss = malloc(n * sizeof *miss);
    double t_score = INFINITY;
    for (int rep = 0; rep < (want_score ? repeat : 1); rep++) {
        t0 = now();
        CHECK(pov_risk_score_dataset(model, ds, z, scores, NULL, contrib, miss));
        double t = now() - t0;
        t_score = t < t_score ? t : t_score;
    }
    printf("risk_score_s=%.3f risk_score_hh_per_s=%.0f\n", t_score, (double)n / t_score);
    {
        /* fingerprints (not timed): the classification, and the scores with
         * their inputs, contributions and missing masks */
        double *inputs = malloc(n * 8 * sizeof *inputs);
        CHECK(pov_risk_score_dataset(model, ds, z, NULL, inputs, NULL, NULL));
        unsigned long long hs = 1469598103934665603ULL;
        hs = fnv(hs, scores, n * sizeof *scores);
        hs = fnv(hs, contrib, n * 8 * sizeof *contrib);
        hs = fnv(hs, miss, n * sizeof *miss);
        hs = fnv(hs, inputs, n * 8 * sizeof *inputs);
        free(inputs);
        printf("classify_fingerprint=%016llx score_fingerprint=%016llx\n",
               fingerprint_assessment(mon), hs);
    }
    printf("classify_and_score_s=%.3f classify_and_score_hh_per_s=%.0f\n", t_class + t_score,
           (double)n / (t_class + t_score));
    if (only) {
        free(hist);
        free(scores);
        free(contrib);
        free(miss);
        pov_assessment_free(mon);
        pov_riskmodel_free(model);
        pov_dataset_free(ds);
        pov_policy_free(policy);
        return 0;
    }

    pov_programs *progs;
    CHECK(pov_programs_default(s, &progs));
    pov_match *match = NULL;
    double t_match = INFINITY;
    for (int rep = 0; rep < repeat; rep++) {
        pov_match_free(match);
        t0 = now();
        CHECK(pov_match_run(progs, ds, NULL, NULL, NULL, NULL, &match));
        double t = now() - t0;
        t_match = t < t_match ? t : t_match;
    }
    double cov;
    CHECK(pov_match_coverage(match, &cov, NULL));
    /* a fingerprint of the allocation, to check that it does not change */
    unsigned long long fp = 1469598103934665603ULL;
    for (size_t k = 0; k < pov_match_count(match); k++) {
        size_t hi, na, nc;
        int reason;
        const size_t *asg, *cand;
        CHECK(pov_match_household(match, k, &hi, &reason));
        CHECK(pov_match_assigned(match, k, &asg, &na));
        CHECK(pov_match_candidates(match, k, &cand, &nc));
        fp = (fp ^ hi) * 1099511628211ULL;
        fp = (fp ^ (unsigned)reason) * 1099511628211ULL;
        for (size_t q = 0; q < na; q++)
            fp = (fp ^ asg[q]) * 1099511628211ULL;
        for (size_t q = 0; q < nc; q++)
            fp = (fp ^ (cand[q] + 1000)) * 1099511628211ULL;
    }
    printf("match_s=%.3f match_hh_per_s=%.0f coverage=%.4f spent=%.0f units=%zu "
           "fingerprint=%016llx\n",
           t_match, (double)n / t_match, cov, pov_match_spent(match),
           pov_match_unit_count(match), fp);
    printf("all_three_hh_per_s=%.0f\n", (double)n / (t_class + t_score + t_match));

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
    double t_cjs = INFINITY;
    for (int rep = 0; rep < repeat; rep++) {
        t0 = now();
        CHECK(pov_vulnerability_cjs(X, y, n, k, exp(8.2), p, NULL, NULL, &floored));
        double t = now() - t0;
        t_cjs = t < t_cjs ? t : t_cjs;
    }
    double rate, ex;
    CHECK(pov_vulnerability_summary(p, NULL, n, 0.5, &rate, &ex));
    printf("cjs_s=%.3f cjs_k=%zu floored=%zu vulnerable=%.3f expected=%.3f\n", t_cjs, k, floored,
           rate, ex);

    if (dir) {
        size_t idx;
        const char *cols[] = {"per_capita_net_income", "net_income", "dependency_ratio",
                              "exp_medical", "exp_education", "exp_other_rigid", "disaster_loss",
                              "income_wage", "income_operating", "income_property",
                              "income_transfer", "income_other", "debt", "household_size",
                              "labour_count", "safe_water", "income_last_year"};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            CHECK(pov_schema_find(s, cols[c], &idx));
            dump(dir, cols[c], pov_dataset_column_number(ds, idx), n);
        }
        /* categories as codes (NaN when missing), province as a number */
        double *col = malloc(n * sizeof *col);
        const char *cats[] = {"registry_status", "housing_safety"};
        for (size_t c = 0; c < 2; c++) {
            CHECK(pov_schema_find(s, cats[c], &idx));
            const int32_t *cc = pov_dataset_column_category(ds, idx);
            for (size_t i = 0; i < n; i++)
                col[i] = cc[i] < 0 ? NAN : (double)cc[i];
            dump(dir, cats[c], col, n);
        }
        {
            char path[1024];
            snprintf(path, sizeof path, "%s/codes.json", dir);
            FILE *f = fopen(path, "w");
            if (!f) {
                fprintf(stderr, "cannot write %s\n", path);
                exit(1);
            }
            fputc('{', f);
            for (size_t c = 0; c < 2; c++) {
                CHECK(pov_schema_find(s, cats[c], &idx));
                fprintf(f, "%s\"%s\":[", c ? "," : "", cats[c]);
                for (size_t q = 0; q < pov_schema_code_count(s, idx); q++)
                    fprintf(f, "%s\"%s\"", q ? "," : "", pov_schema_code(s, idx, q));
                fputc(']', f);
            }
            fputs("}\n", f);
            fclose(f);
        }
        CHECK(pov_schema_find(s, "province_code", &idx));
        for (size_t i = 0; i < n; i++) {
            const char *t = NULL;
            CHECK(pov_dataset_get_text(ds, i, idx, &t));
            col[i] = t ? atof(t) : NAN;
        }
        dump(dir, "province_code", col, n);
        free(col);
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
        dump(dir, "history", hist, 3 * n); /* year-3 .. year-1 per household */
        dump(dir, "scores", scores, n);
        free(offd);
        /* the classification: resolved policy, trigger outcomes, groups,
         * monitored flags, and the library's JSON of every 500th household */
        char *json;
        CHECK(pov_policy_to_json(policy, &json));
        dump_text(dir, "policy.json", json);
        pov_free(json);
        for (size_t c = 0; c < pov_assessment_criterion_count(mon); c++) {
            char name[64];
            snprintf(name, sizeof name, "trigger_%s",
                     pov_policy_criterion_id(policy, POV_POLICY_MONITORING, c));
            dump_u8(dir, name, pov_assessment_outcomes(mon, c), n);
        }
        dump_u8(dir, "group", grp, n);
        dump_u8(dir, "monitored", pov_assessment_eligible(mon), n);
        char path[1024];
        snprintf(path, sizeof path, "%s/sample.jsonl", dir);
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "cannot write %s\n", path);
            exit(1);
        }
        for (size_t i = 0; i < n; i += 500) {
            CHECK(pov_assessment_to_json(mon, i, &json));
            fprintf(f, "{\"row\":%zu,\"result\":%s}\n", i, json);
            pov_free(json);
        }
        fclose(f);
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
    pov_assessment_free(mon);
    pov_match_free(match);
    pov_programs_free(progs);
    pov_riskmodel_free(model);
    pov_dataset_free(ds);
    pov_policy_free(policy);
    return 0;
}
