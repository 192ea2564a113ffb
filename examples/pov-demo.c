/*
 * pov-demo — the README's main example: one report on a household file,
 * touching each engine through the public API only.
 *
 *   1. read the households (strict: the first bad record stops with its location);
 *   2. measure poverty of per-capita net income against the policy's line;
 *   3. score with the embedded Guangxi-style scorecard and identify candidates;
 *   4. assess the households against the policy's exit standard and
 *      "two no-worries, three guarantees".
 *
 * usage: pov-demo [HOUSEHOLDS.jsonl|.json|.csv] [POLICY]   (defaults: the bundled
 * sample, guangxi_2016)
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <povmetrics.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
    const pov_error *e = pov_error_last();
    fprintf(stderr, "pov-demo: %s: %s", what, pov_error_message(e));
    if (*pov_error_source(e))
        fprintf(stderr, " [%s:%zu:%zu]", pov_error_source(e), pov_error_line(e),
                pov_error_column(e));
    if (*pov_error_path(e))
        fprintf(stderr, " at %s", pov_error_path(e));
    fputc('\n', stderr);
    return 1;
}

static const double *column(const pov_dataset *ds, const char *id) {
    size_t k;
    if (pov_schema_find(pov_dataset_schema(ds), id, &k) < 0)
        return NULL;
    return pov_dataset_column_number(ds, k);
}

/* Households with a known value: copies (y, weight) pairs into the buffers. */
static size_t known(const double *y, const double *w, size_t n, double *ky, double *kw) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(y[i]) && !isnan(w[i])) {
            ky[m] = y[i];
            kw[m] = w[i];
            m++;
        }
    }
    return m;
}

static void measures(const pov_dataset *ds, double line) {
    size_t n = pov_dataset_count(ds);
    const double *y = column(ds, "per_capita_net_income");
    const double *size = column(ds, "household_size");
    double *ky = malloc((n ? n : 1) * sizeof *ky), *kw = malloc((n ? n : 1) * sizeof *kw);
    if (!y || !size || !ky || !kw) {
        free(ky);
        free(kw);
        return;
    }
    size_t m = known(y, size, n, ky, kw); /* person-weighted: weight = household size */
    const double alphas[3] = {0, 1, 2};
    double fgt[3], gini, arpr;
    if (pov_fgt_many(ky, kw, m, line, alphas, 3, fgt) < 0 || pov_gini(ky, kw, m, &gini) < 0 ||
        pov_arpr(ky, kw, m, 0.6, &arpr) < 0) {
        fail("measures");
    } else {
        printf("\nPoverty of per-capita net income (people, line %.0f yuan; %zu of %zu "
               "households with income):\n", line, m, n);
        printf("  headcount ratio %.1f%%   poverty gap %.4f   squared gap %.4f\n",
               100 * fgt[0], fgt[1], fgt[2]);
        printf("  Gini %.3f   at-risk-of-poverty rate (60%% of median) %.1f%%\n", gini,
               100 * arpr);
    }
    free(ky);
    free(kw);
}

static int scoring(const pov_dataset *ds) {
    pov_scorecard *sc = NULL;
    pov_score_result *res = NULL;
    pov_identification *id = NULL;
    pov_score_options so;
    pov_score_options_init(&so);
    so.mode = POV_SCORE_LENIENT; /* missing inputs score 0 and are counted */
    so.detail = POV_SCORE_DETAIL_TOTALS;
    if (pov_scorecard_default("guangxi_style_2015", &sc) < 0)
        return fail("scorecard");
    if (pov_scorecard_score(sc, ds, &so, &res) < 0 || pov_score_result_identify(res, NULL, &id) < 0) {
        pov_score_result_free(res);
        pov_scorecard_free(sc);
        return fail("scoring");
    }
    printf("\nScorecard %s (%zu items, %zu vetoes; points illustrative):\n", pov_scorecard_id(sc),
           pov_scorecard_item_count(sc), pov_scorecard_veto_count(sc));
    printf("  %-14s %10s %8s %10s %8s %7s %7s\n", "village", "households", "people",
           "identified", "people", "vetoed", "review");
    for (size_t u = 0; u < pov_identification_unit_count(id); u++) {
        const char *code;
        pov_unit_counts c = {.size = sizeof c};
        pov_identification_unit(id, u, &code, &c);
        printf("  %-14s %10zu %8.0f %10zu %8.0f %7zu %7zu\n", code, c.households, c.people,
               c.identified, c.identified_people, c.vetoed, c.review);
    }
    pov_identification_free(id);
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    return 0;
}

static int exits(const pov_policy *policy, const pov_dataset *ds, int year) {
    pov_assessment *a = NULL;
    if (pov_policy_assess_dataset(policy, ds, year, &a) < 0)
        return fail("assessment");
    size_t n = pov_assessment_count(a), tally[3] = {0, 0, 0};
    const uint8_t *eligible = pov_assessment_eligible(a);
    for (size_t i = 0; i < n; i++)
        tally[eligible[i] <= POV_UNKNOWN ? eligible[i] : POV_UNKNOWN]++;
    printf("\nHousehold exit standard of %s (%d):\n", pov_policy_id(policy), year);
    printf("  meets it %zu   does not %zu   unknown (data missing) %zu\n", tally[POV_PASS],
           tally[POV_FAIL], tally[POV_UNKNOWN]);
    static const char *dims[POV_TT_COUNT] = {"food", "clothing", "education", "medical",
                                             "housing", "water"};
    printf("  two no-worries, three guarantees (+ water), share secure:");
    for (int d = 0; d < POV_TT_COUNT; d++) {
        const uint8_t *o = pov_assessment_two_three(a, d);
        size_t pass = 0;
        for (size_t i = 0; i < n; i++)
            pass += o[i] == POV_PASS;
        printf(" %s %.0f%%", dims[d], n ? 100.0 * (double)pass / (double)n : 0.0);
    }
    putchar('\n');
    pov_assessment_free(a);
    return 0;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/data/sample.jsonl";
    const char *policy_name = argc > 2 ? argv[2] : "guangxi_2016";
    if (argc > 3 || (argc > 1 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: pov-demo [HOUSEHOLDS.jsonl|.json|.csv] [POLICY]\n");
        return 2;
    }
    pov_policy *policy = NULL;
    if (pov_policy_default(policy_name, &policy) < 0)
        return fail(policy_name);
    pov_dataset *ds = NULL;
    if (pov_dataset_read_file(pov_policy_schema(policy), path, POV_FORMAT_AUTO, NULL, &ds, NULL) < 0) {
        pov_policy_free(policy);
        return fail(path);
    }
    /* Net income by the policy's definition (which transfers are excluded). */
    pov_derive_options dopts;
    int rc = pov_policy_derive_options(policy, &dopts);
    if (rc == 0)
        rc = pov_dataset_derive(ds, &dopts);
    const double *years = column(ds, "year");
    int year = (years && pov_dataset_count(ds) && !isnan(years[0])) ? (int)years[0] : 0;
    double line = NAN;
    if (rc == 0)
        rc = pov_policy_poverty_line(policy, year, NULL, &line);
    if (rc < 0) {
        pov_dataset_free(ds);
        pov_policy_free(policy);
        return fail("policy");
    }
    printf("povmetrics %s — %s: %zu households, %zu people, year %d\n", pov_version(), path,
           pov_dataset_count(ds), pov_dataset_member_count(ds), year);
    const char *src = pov_policy_poverty_line_source(policy, year, NULL);
    printf("National poverty line %d: %.0f yuan per person (%s)\n", year, line,
           src ? src : "no source given");
    measures(ds, line);
    int bad = scoring(ds);
    bad |= exits(policy, ds, year);
    pov_dataset_free(ds);
    pov_policy_free(policy);
    return bad;
}
