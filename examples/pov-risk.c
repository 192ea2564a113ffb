/*
 * pov-risk — households to monitor against return to poverty: risk score
 * (with the factors that drive it), vulnerability from the income history,
 * and a plan of assistance programs for each (一户一策).
 *
 *   pov-risk [--line Z] [--threshold SCORE] [--vuln P] [--budget YUAN]
 *            [--top N] [--model FILE.json] [--programs FILE.json]
 *            [--plans FILE.jsonl|FILE.csv] DATA
 *
 * A household is monitored when its risk score >= SCORE (default 50) or its
 * probability of being below the line next year >= P (default 0.5). Plans
 * are allocated highest score first under the programs' capacities and the
 * budget (default unlimited); --plans writes every monitored household's
 * plan (JSON Lines, or CSV for a name ending in .csv). Defaults: the national poverty line of the
 * latest year in the data (from the embedded national_2016 policy, which
 * names each line's source), the embedded illustrative model and programs.
 *
 * Uses the public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

static void usage(void) {
    fprintf(stderr,
            "usage: pov-risk [--line Z] [--threshold SCORE] [--vuln P] [--budget YUAN]\n"
            "                [--top N] [--model FILE.json] [--programs FILE.json]\n"
            "                [--plans FILE.jsonl|FILE.csv] DATA\n");
    exit(2);
}

static int fail(const char *what) {
    const pov_error *e = pov_error_last();
    fprintf(stderr, "pov-risk: %s: %s", what, pov_error_message(e));
    if (pov_error_line(e))
        fprintf(stderr, " (%s:%zu:%zu)", pov_error_source(e), pov_error_line(e),
                pov_error_column(e));
    if (pov_error_path(e)[0])
        fprintf(stderr, " at %s", pov_error_path(e));
    fprintf(stderr, " [%s]\n", pov_strerror(pov_error_code(e)));
    return 1;
}

static const double *g_scores;
static int by_score_desc(const void *a, const void *b) {
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (g_scores[i] != g_scores[j])
        return g_scores[i] > g_scores[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* The national poverty line of the latest year recorded in the data, from the
 * embedded national policy (each line there carries its source). */
static int line_of_data_year(const pov_dataset *ds, double *out) {
    size_t col;
    int year = 0, rc = pov_schema_find(pov_dataset_schema(ds), "year", &col);
    if (rc < 0)
        return rc;
    const double *years = pov_dataset_column_number(ds, col);
    for (size_t i = 0; i < pov_dataset_count(ds); i++)
        if (!isnan(years[i]) && years[i] > year)
            year = (int)years[i];
    pov_policy *policy = NULL;
    rc = pov_policy_default("national_2016", &policy);
    if (rc == 0)
        rc = pov_policy_poverty_line(policy, year, NULL, out);
    pov_policy_free(policy);
    return rc;
}

int main(int argc, char **argv) {
    double line = NAN, threshold = 50, vthr = 0.5, budget = INFINITY;
    size_t top = 20;
    const char *model_path = NULL, *prog_path = NULL, *plans_path = NULL, *data = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--line") && a + 1 < argc)
            line = atof(argv[++a]);
        else if (!strcmp(argv[a], "--threshold") && a + 1 < argc)
            threshold = atof(argv[++a]);
        else if (!strcmp(argv[a], "--vuln") && a + 1 < argc)
            vthr = atof(argv[++a]);
        else if (!strcmp(argv[a], "--budget") && a + 1 < argc)
            budget = atof(argv[++a]);
        else if (!strcmp(argv[a], "--top") && a + 1 < argc)
            top = (size_t)atol(argv[++a]);
        else if (!strcmp(argv[a], "--model") && a + 1 < argc)
            model_path = argv[++a];
        else if (!strcmp(argv[a], "--programs") && a + 1 < argc)
            prog_path = argv[++a];
        else if (!strcmp(argv[a], "--plans") && a + 1 < argc)
            plans_path = argv[++a];
        else if (argv[a][0] == '-' || data)
            usage();
        else
            data = argv[a];
    }
    if (!data)
        usage();
    pov_dataset *ds = NULL;
    pov_riskmodel *model = NULL;
    pov_programs *progs = NULL;
    pov_match *match = NULL;
    int rc = 1;
    double *scores = NULL, *contrib = NULL, *vuln = NULL, *prio = NULL;
    uint32_t *miss = NULL;
    uint8_t *sel = NULL;
    size_t *order = NULL, *rank = NULL;
    if (pov_dataset_read_file(pov_schema_core(), data, POV_FORMAT_AUTO, NULL, &ds, NULL))
        return fail(data);
    if (isnan(line) && line_of_data_year(ds, &line)) {
        fail("poverty line (give --line)");
        goto out;
    }
    if ((model_path ? pov_riskmodel_load_file(model_path, &model) : pov_riskmodel_default(&model))) {
        fail("risk model");
        goto out;
    }
    if ((prog_path ? pov_programs_load_file(pov_schema_core(), prog_path, &progs)
                   : pov_programs_default(pov_schema_core(), &progs))) {
        fail("programs");
        goto out;
    }
    size_t n = pov_dataset_count(ds);
    scores = malloc(n * sizeof *scores);
    contrib = malloc(n * POV_RISK_FACTOR_COUNT * sizeof *contrib);
    vuln = malloc(n * sizeof *vuln);
    prio = malloc(n * sizeof *prio);
    miss = malloc(n * sizeof *miss);
    sel = malloc(n);
    order = malloc(n * sizeof *order);
    rank = malloc(n * sizeof *rank);
    if (!scores || !contrib || !vuln || !prio || !miss || !sel || !order || !rank) {
        fprintf(stderr, "pov-risk: out of memory\n");
        goto out;
    }
    if (pov_risk_score_dataset(model, ds, line, scores, NULL, contrib, miss)) {
        fail("risk score");
        goto out;
    }
    pov_vuln_options vo;
    pov_vuln_options_init(&vo);
    vo.allow_gaps = 1;
    if (pov_vulnerability_history_dataset(ds, line, &vo, vuln)) {
        fail("vulnerability");
        goto out;
    }
    size_t n_sel = 0;
    for (size_t i = 0; i < n; i++) {
        sel[i] = scores[i] >= threshold || (!isnan(vuln[i]) && vuln[i] >= vthr);
        n_sel += sel[i];
        prio[i] = -scores[i]; /* highest risk first */
    }
    double rate = NAN, expected = NAN;
    pov_vulnerability_summary(vuln, NULL, n, 0.5, &rate, &expected);
    printf("pov-risk: %zu households, line %.0f (monitoring line %.0f = %.2g x line)\n", n, line,
           line * pov_riskmodel_line_multiple(model), pov_riskmodel_line_multiple(model));
    printf("model %s (illustrative); vulnerability rate %.1f%%, expected poverty %.1f%%\n",
           pov_riskmodel_id(model), 100 * rate, 100 * expected);
    printf("monitored (score >= %g or vulnerability >= %g): %zu\n\n", threshold, vthr, n_sel);
    if (n_sel == 0) {
        rc = 0;
        goto out;
    }
    pov_match_options mo;
    pov_match_options_init(&mo);
    mo.budget = budget;
    if (pov_match_run(progs, ds, sel, prio, NULL, &mo, &match)) {
        fail("matching");
        goto out;
    }
    if (plans_path) {
        int csv = pov_format_from_path(plans_path) == POV_FORMAT_CSV;
        if (pov_match_write(match, progs, ds, plans_path, csv ? POV_FORMAT_CSV : POV_FORMAT_JSONL)) {
            fail(plans_path);
            goto out;
        }
    }
    for (size_t k = 0; k < pov_match_count(match); k++) {
        size_t idx;
        pov_match_household(match, k, &idx, NULL);
        rank[idx] = k;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (sel[i])
            order[m++] = i;
    g_scores = scores;
    qsort(order, m, sizeof *order, by_score_desc);
    static const char *why[] = {"assigned", "no eligible program", "programs full",
                                "budget exhausted"};
    printf("%-20s %6s %6s  %-44s %s\n", "household", "score", "P(poor)", "main risk factors (points)",
           "plan");
    for (size_t r = 0; r < m && r < top; r++) {
        size_t i = order[r];
        /* the three factors with the most points */
        int best[3] = {-1, -1, -1};
        for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++) {
            double v = contrib[i * POV_RISK_FACTOR_COUNT + (size_t)f];
            for (int b = 0; b < 3; b++)
                if (best[b] < 0 || v > contrib[i * POV_RISK_FACTOR_COUNT + (size_t)best[b]]) {
                    for (int c = 2; c > b; c--)
                        best[c] = best[c - 1];
                    best[b] = f;
                    break;
                }
        }
        char reasons[128] = "";
        for (int b = 0; b < 3; b++) {
            double v = contrib[i * POV_RISK_FACTOR_COUNT + (size_t)best[b]];
            if (v <= 0)
                break;
            char part[48];
            snprintf(part, sizeof part, "%s%s %.0f%s", b ? ", " : "", pov_risk_factor_id(best[b]),
                     v, (miss[i] >> best[b]) & 1 ? "?" : "");
            strncat(reasons, part, sizeof reasons - strlen(reasons) - 1);
        }
        const size_t *plan;
        size_t np;
        int reason;
        pov_match_household(match, rank[i], NULL, &reason);
        pov_match_assigned(match, rank[i], &plan, &np);
        char vbuf[16];
        if (isnan(vuln[i]))
            snprintf(vbuf, sizeof vbuf, "n/a");
        else
            snprintf(vbuf, sizeof vbuf, "%.2f", vuln[i]);
        printf("%-20s %6.1f %6s  %-44s ", pov_dataset_id(ds, i), scores[i], vbuf, reasons);
        if (np == 0)
            printf("(none: %s)", why[reason]);
        for (size_t j = 0; j < np; j++)
            printf("%s%s", j ? " + " : "", pov_programs_id(progs, plan[j]));
        printf("\n");
    }
    double cov, kinds[POV_PROGRAM_KIND_COUNT];
    pov_match_coverage(match, &cov, kinds);
    printf("\ncoverage: %.1f%% of monitored households have a measure; spent %.0f yuan\n",
           100 * cov, pov_match_spent(match));
    printf("by kind:");
    for (int k = 0; k < POV_PROGRAM_KIND_COUNT; k++)
        if (kinds[k] > 0)
            printf(" %s %.0f%%", pov_program_kind_name(k), 100 * kinds[k]);
    printf("\nby county:");
    for (size_t u = 0; u < pov_match_unit_count(match); u++) {
        const char *code;
        size_t cnt;
        double c;
        pov_match_unit(match, u, &code, &cnt, &c);
        printf(" %s %.0f%% of %zu", code[0] ? code : "(none)", 100 * c, cnt);
    }
    printf("\n(? = input missing; scores and programs are illustrative, see docs/risk.md)\n");
    rc = 0;
out:
    free(scores);
    free(contrib);
    free(vuln);
    free(prio);
    free(miss);
    free(sel);
    free(order);
    free(rank);
    pov_match_free(match);
    pov_programs_free(progs);
    pov_riskmodel_free(model);
    pov_dataset_free(ds);
    return rc;
}
