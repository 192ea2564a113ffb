/*
 * pov-demo — the README's main example: one report on a household file,
 * touching each engine through the public API only.
 *
 *   1. read the households (strict: the first bad record stops with its location);
 *   2. measure poverty of per-capita net income against the policy's line;
 *   3. score with the embedded Guangxi-style scorecard and identify candidates
 *      (score spread, identified / vetoed per village, vetoes hit, and a short
 *      explanation of three households);
 *   4. assess the registered poor households against the policy's exit
 *      standard: "two no-worries, three guarantees" as pass / fail / unknown
 *      counts and the criteria that most often block exit.
 *
 * The file is read twice: with the policy's schema and with the scorecard's,
 * so that each engine sees the extension indicators it declares.
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

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/*
 * Prints a short form of the library's text explanation of household @p i:
 * the score line, then each category as "id points/cap" (taken from the
 * category lines of pov_score_result_explain()), then the veto and status
 * lines. `pov-score -e ID` prints the full explanation, item by item.
 */
static void explain_short(const pov_score_result *res, size_t i, int32_t status) {
    char *text = NULL;
    if (pov_score_result_explain(res, i, POV_EXPLAIN_TEXT, &text) < 0) {
        fail("explain");
        return;
    }
    printf("  %s\n", pov_score_result_household_id(res, i));
    int col = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (line[0] == '[') { /* "[二看 look] housing_structure 住房结构: 10 (cap 10)" */
            char id[64];
            double pts, cap;
            const char *rest = strchr(line, ']');
            const char *colon = strrchr(line, ':');
            if (rest && colon && sscanf(rest + 1, " %63s", id) == 1 &&
                sscanf(colon + 1, " %lf (cap %lf)", &pts, &cap) == 2) {
                if (col == 0)
                    fputs("     ", stdout);
                printf(" %s %g/%g%s", id, pts, cap, pts < cap / 2 ? "!" : "");
                if (++col == 5) {
                    putchar('\n');
                    col = 0;
                }
            }
        } else if (!strncmp(line, "Raw score", 9) || !strncmp(line, "VETO", 4) ||
                   !strncmp(line, "Missing", 7)) {
            if (col) {
                putchar('\n');
                col = 0;
            }
            printf("    %s\n", line);
        }
        line = nl ? nl + 1 : NULL;
    }
    if (col)
        putchar('\n');
    printf("    Status: %s\n", status == POV_IDENT_IDENTIFIED ? "identified (below the cut-off)"
                              : status == POV_IDENT_VETOED  ? "vetoed (not eligible, whatever the score)"
                                                            : "not identified");
    pov_free(text);
}

static int scoring(const pov_scorecard *sc, const pov_dataset *ds) {
    pov_score_result *res = NULL;
    pov_identification *id = NULL;
    pov_score_options so;
    pov_score_options_init(&so);
    so.mode = POV_SCORE_LENIENT; /* missing inputs score the item's `missing` points, counted */
    so.detail = POV_SCORE_DETAIL_ITEMS; /* needed for the explanations */
    if (pov_scorecard_score(sc, ds, &so, &res) < 0 || pov_score_result_identify(res, NULL, &id) < 0) {
        pov_score_result_free(res);
        return fail("scoring");
    }
    size_t n = pov_score_result_count(res);
    const double *adj = pov_score_result_adjusted(res);
    const int32_t *status = pov_identification_statuses(id);
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    size_t missing = 0;
    if (!sorted) {
        pov_identification_free(id);
        pov_score_result_free(res);
        return fail("memory");
    }
    for (size_t i = 0; i < n; i++) {
        sorted[i] = adj[i];
        missing += pov_score_result_missing_count(res, i) > 0;
    }
    qsort(sorted, n, sizeof *sorted, cmp_double);
    printf("\nScorecard %s (%zu items, %zu vetoes; points and cut-off illustrative; higher = "
           "better off):\n", pov_scorecard_id(sc), pov_scorecard_item_count(sc),
           pov_scorecard_veto_count(sc));
    if (n)
        printf("  scores: min %.1f  10%% %.1f  median %.1f  90%% %.1f  max %.1f (of %.0f); "
               "%zu households with a missing input\n", sorted[0], sorted[n / 10], sorted[n / 2],
               sorted[n - 1 - n / 10], sorted[n - 1], pov_scorecard_max_total(sc), missing);
    free(sorted);
    printf("  %-14s %10s %8s %10s %8s %7s %7s\n", "village", "households", "people",
           "identified", "people", "vetoed", "review");
    for (size_t u = 0; u < pov_identification_unit_count(id); u++) {
        const char *code;
        pov_unit_counts c = {.size = sizeof c};
        pov_identification_unit(id, u, &code, &c);
        printf("  %-14s %10zu %8.0f %10zu %8.0f %7zu %7zu\n", code, c.households, c.people,
               c.identified, c.identified_people, c.vetoed, c.review);
    }
    printf("  vetoes hit:");
    for (size_t v = 0; v < pov_scorecard_veto_count(sc); v++) {
        size_t hits = 0;
        for (size_t i = 0; i < n; i++)
            hits += pov_score_result_veto_hit(res, i, v) == 1;
        printf(" %s %zu", pov_scorecard_veto_id(sc, v), hits);
    }
    putchar('\n');
    /* examples: the lowest-scoring identified household, one near the cut-off, one vetoed */
    size_t low = SIZE_MAX, near = SIZE_MAX, vetoed = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (status[i] == POV_IDENT_IDENTIFIED) {
            if (low == SIZE_MAX || adj[i] < adj[low])
                low = i;
            if (near == SIZE_MAX || adj[i] > adj[near])
                near = i;
        } else if (status[i] == POV_IDENT_VETOED && vetoed == SIZE_MAX) {
            vetoed = i;
        }
    }
    printf("  Why, for three households (category points/cap, ! = under half; full: "
           "pov-score -e ID):\n");
    size_t examples[3] = {low, near, vetoed};
    for (int e = 0; e < 3; e++)
        if (examples[e] != SIZE_MAX && (e == 0 || examples[e] != examples[0]))
            explain_short(res, examples[e], status[examples[e]]);
    pov_identification_free(id);
    pov_score_result_free(res);
    return 0;
}

typedef struct blocker {
    size_t index, fail, unknown;
} blocker;

/* most blocking first (fail + unknown), then by criterion order */
static int cmp_blocker(const void *a, const void *b) {
    const blocker *x = a, *y = b;
    size_t nx = x->fail + x->unknown, ny = y->fail + y->unknown;
    if (nx != ny)
        return nx < ny ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static int exits(const pov_policy *policy, const pov_dataset *ds, int year) {
    pov_assessment *a = NULL;
    if (pov_policy_assess_dataset(policy, ds, year, &a) < 0)
        return fail("assessment");
    size_t n = pov_assessment_count(a);
    /* the exit standard applies to registered poor households */
    size_t k;
    int32_t poor_code = -1;
    const int32_t *reg = NULL;
    if (pov_schema_find(pov_dataset_schema(ds), "registry_status", &k) == 0) {
        size_t c;
        reg = pov_dataset_column_category(ds, k);
        if (pov_schema_find_code(pov_dataset_schema(ds), k, "poor", &c) == 0)
            poor_code = (int32_t)c;
    }
    uint8_t *sel = calloc(n ? n : 1, 1);
    if (!sel) {
        pov_assessment_free(a);
        return fail("memory");
    }
    size_t npoor = 0;
    for (size_t i = 0; i < n; i++) {
        sel[i] = reg && reg[i] == poor_code;
        npoor += sel[i];
    }
    const uint8_t *eligible = pov_assessment_eligible(a);
    size_t tally[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        if (sel[i])
            tally[eligible[i] <= POV_UNKNOWN ? eligible[i] : POV_UNKNOWN]++;
    printf("\nExit standard of %s (%d), %zu registered poor households:\n", pov_policy_id(policy),
           year, npoor);
    printf("  could exit %zu   cannot yet %zu   undecided (data missing) %zu\n", tally[POV_PASS],
           tally[POV_FAIL], tally[POV_UNKNOWN]);
    static const char *dims[POV_TT_COUNT] = {"food", "clothing", "education", "medical",
                                             "housing", "water"};
    printf("  two no-worries, three guarantees (+ water)   pass  fail  unknown\n");
    for (int d = 0; d < POV_TT_COUNT; d++) {
        const uint8_t *o = pov_assessment_two_three(a, d);
        size_t t[3] = {0, 0, 0};
        for (size_t i = 0; i < n; i++)
            if (sel[i])
                t[o[i] <= POV_UNKNOWN ? o[i] : POV_UNKNOWN]++;
        printf("    %-42s %5zu %5zu %8zu\n", dims[d], t[POV_PASS], t[POV_FAIL], t[POV_UNKNOWN]);
    }
    /* criteria that most often block exit: fail or unknown among the poor */
    size_t nc = pov_assessment_criterion_count(a);
    blocker *bl = malloc((nc ? nc : 1) * sizeof *bl);
    if (!bl) {
        free(sel);
        pov_assessment_free(a);
        return fail("memory");
    }
    for (size_t c = 0; c < nc; c++) {
        const uint8_t *o = pov_assessment_outcomes(a, c);
        bl[c] = (blocker){c, 0, 0};
        for (size_t i = 0; i < n; i++) {
            bl[c].fail += sel[i] && o[i] == POV_FAIL;
            bl[c].unknown += sel[i] && o[i] == POV_UNKNOWN;
        }
    }
    qsort(bl, nc, sizeof *bl, cmp_blocker);
    printf("  what blocks exit most often (households failing / unknown):\n");
    for (size_t c = 0; c < nc && c < 4 && bl[c].fail + bl[c].unknown > 0; c++) {
        const char *lab = pov_policy_criterion_label_en(policy, POV_POLICY_HOUSEHOLD, bl[c].index);
        printf("    %-20s %3zu / %-3zu  %s\n",
               pov_policy_criterion_id(policy, POV_POLICY_HOUSEHOLD, bl[c].index), bl[c].fail,
               bl[c].unknown, lab ? lab : "");
    }
    free(bl);
    free(sel);
    pov_assessment_free(a);
    return 0;
}

/* Reads @p path with @p schema and derives incomes with the policy's definition. */
static int read_derived(const pov_schema *schema, const char *path, const pov_derive_options *d,
                        pov_dataset **out) {
    if (pov_dataset_read_file(schema, path, POV_FORMAT_AUTO, NULL, out, NULL) < 0)
        return fail(path);
    if (pov_dataset_derive(*out, d) < 0) {
        pov_dataset_free(*out);
        *out = NULL;
        return fail("derive");
    }
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
    pov_scorecard *sc = NULL;
    if (pov_policy_default(policy_name, &policy) < 0)
        return fail(policy_name);
    if (pov_scorecard_default("guangxi_style_2015", &sc) < 0) {
        pov_policy_free(policy);
        return fail("scorecard");
    }
    /* Net income by the policy's definition (which transfers are excluded). */
    pov_derive_options dopts;
    if (pov_policy_derive_options(policy, &dopts) < 0) {
        pov_scorecard_free(sc);
        pov_policy_free(policy);
        return fail("policy");
    }
    /*
     * Each engine sees its extension indicators only through the schema the
     * file is read with: the policy's schema (food_secure, has_shop, dibao_ab,
     * …) for the exit assessment, the scorecard's (has_fridge, cooking_fuel,
     * …) for scoring. The sample is small, so it is simply read twice.
     */
    pov_dataset *ds = NULL, *dss = NULL;
    if (read_derived(pov_policy_schema(policy), path, &dopts, &ds) ||
        read_derived(pov_scorecard_schema(sc), path, &dopts, &dss)) {
        pov_dataset_free(ds);
        pov_scorecard_free(sc);
        pov_policy_free(policy);
        return 1;
    }
    const double *years = column(ds, "year");
    int year = (years && pov_dataset_count(ds) && !isnan(years[0])) ? (int)years[0] : 0;
    double line = NAN;
    if (pov_policy_poverty_line(policy, year, NULL, &line) < 0) {
        pov_dataset_free(dss);
        pov_dataset_free(ds);
        pov_scorecard_free(sc);
        pov_policy_free(policy);
        return fail("policy");
    }
    printf("povmetrics %s — %s: %zu households, %zu people, year %d\n", pov_version(), path,
           pov_dataset_count(ds), pov_dataset_member_count(ds), year);
    printf("National poverty line %d: %.0f yuan per person per year (policy %s)\n", year, line,
           pov_policy_id(policy));
    measures(ds, line);
    int bad = scoring(sc, dss);
    bad |= exits(policy, ds, year);
    pov_dataset_free(dss);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
    pov_policy_free(policy);
    return bad;
}
