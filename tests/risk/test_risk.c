/*
 * Tests of include/povmetrics/risk.h: risk model loading (every error with
 * its path), hand-computed risk scores at and around the mapping points,
 * missing inputs, vulnerability from income histories (against the closed
 * form Phi((ln z - mu)/sigma) computed here with erfc), the CJS three-step
 * FGLS (against an independent Gaussian-elimination solve of the normal
 * equations written in this file, and a hand-solved intercept-only case),
 * the population summary, and transitions between two registers.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

#define EPS 1e-9

static double phi(double x) {
    return 0.5 * erfc(-x / sqrt(2.0));
}

static void expect_error(int r, int code, const char *path) {
    cr_assert_eq(r, code, "got %d (%s) want %d; message %s", r, pov_strerror(r), code,
                 pov_error_message(pov_error_last()));
    if (path)
        cr_assert_str_eq(pov_error_path(pov_error_last()), path, "path: %s",
                         pov_error_path(pov_error_last()));
}

static pov_household *hh(const char *json) {
    pov_household *h = NULL;
    int r = pov_household_from_json(pov_schema_core(), json, strlen(json), NULL, &h);
    cr_assert_eq(r, 0, "household: %s at %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    return h;
}

static pov_dataset *ds_of(const char *const *rows, size_t n) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    for (size_t i = 0; i < n; i++) {
        pov_household *h = hh(rows[i]);
        cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
        pov_household_free(h);
    }
    return ds;
}

static pov_riskmodel *model(const char *json) {
    pov_riskmodel *m = NULL;
    int r = pov_riskmodel_load_string(json, strlen(json), "t.json", &m);
    cr_assert_eq(r, 0, "model: %s at %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    return m;
}

/* ---- risk model loading -------------------------------------------------- */

Test(riskmodel, default_loads) {
    pov_riskmodel *m = NULL;
    cr_assert_eq(pov_riskmodel_default(&m), 0);
    cr_assert_str_eq(pov_riskmodel_id(m), "illustrative_2021");
    cr_assert_float_eq(pov_riskmodel_line_multiple(m), 1.5, EPS);
    double total = 0;
    for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++)
        total += pov_riskmodel_weight(m, f);
    cr_assert_float_eq(total, 100.0, EPS);
    cr_assert(isnan(pov_riskmodel_weight(m, 8)));
    cr_assert_str_eq(pov_risk_factor_id(POV_RISK_DEBT), "debt");
    cr_assert_null(pov_risk_factor_id(-1));
    cr_assert(strstr(pov_riskmodel_default_json(), "illustrative") != NULL);
    pov_riskmodel_free(m);
    pov_riskmodel_free(NULL);
}

#define HEAD "{\"format\":\"povmetrics.riskmodel/1\",\"id\":\"t\","

Test(riskmodel, bad_documents) {
    pov_riskmodel *m = NULL;
    struct {
        const char *json;
        int code;
        const char *path;
    } cases[] = {
        {"{\"format\":\"povmetrics.riskmodel/2\",\"id\":\"t\",\"factors\":{}}", POV_EFORMAT, "format"},
        {HEAD "\"factors\":{\"foo\":{\"weight\":100,\"points\":[[0,0]]}}}", POV_EUNKNOWN, "factors.foo"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":90,\"points\":[[0,0]]}}}", POV_ERULE, "factors"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":100,\"points\":[[0,0],[1,1.5]]}}}", POV_ERANGE,
         "factors.debt.points[1]"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":100,\"points\":[[1,0],[1,1]]}}}", POV_ERULE,
         "factors.debt.points[1]"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":-1,\"points\":[[0,0]]}}}", POV_ERANGE,
         "factors.debt.weight"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":100}}}", POV_EMISSING, "factors.debt"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":100,\"points\":[[0,0]],\"colour\":1}}}", POV_EUNKNOWN,
         "factors.debt.colour"},
        {HEAD "\"line_multiple\":0,\"factors\":{\"debt\":{\"weight\":100,\"points\":[[0,0]]}}}",
         POV_ERANGE, "line_multiple"},
        {HEAD "\"factors\":{\"debt\":{\"weight\":100,\"points\":[[0,\"x\"]]}}}", POV_ETYPE,
         "factors.debt.points[0]"},
        {"{\"format\":\"povmetrics.riskmodel/1\",\"factors\":{}}", POV_EMISSING, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = pov_riskmodel_load_string(cases[i].json, strlen(cases[i].json), NULL, &m);
        cr_assert_null(m);
        expect_error(r, cases[i].code, cases[i].path);
    }
    expect_error(pov_riskmodel_load_string("{", 1, NULL, &m), POV_ETRUNCATED, NULL);
    expect_error(pov_riskmodel_load_file("/nonexistent/x.json", &m), POV_EIO, NULL);
}

/* ---- risk score ---------------------------------------------------------- */

/* One factor, weight 100: the score is 100 * s(x). */
Test(riskscore, income_margin_points) {
    pov_riskmodel *m = model(HEAD "\"line_multiple\":1.5,\"factors\":{\"income_margin\":"
                                  "{\"weight\":100,\"points\":[[-1,1],[0,0.5],[1,0]],\"missing\":0.25}}}");
    /* two adults, z = 2000, monitoring line 3000 */
#define TMPL "{\"id\":\"h\",\"income_wage\":%g,\"members\":[{\"age\":40},{\"age\":38}]}"
    struct {
        double wage, want;
    } cases[] = {
        {6000, 50},    /* pc 3000: x = 0 -> 0.5 */
        {9000, 25},    /* pc 4500: x = 0.5 -> 0.25 */
        {12000, 0},    /* x = 1 -> 0 */
        {20000, 0},    /* clamped */
        {0, 100},      /* x = -1 -> 1 */
        {3000, 75},    /* pc 1500: x = -0.5 -> 0.75 */
        {6060, 49.5},  /* pc 3030: x = 0.01 -> 0.495 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, TMPL, cases[i].wage);
        pov_household *h = hh(buf);
        double s, in[8], c[8];
        uint32_t miss;
        cr_assert_eq(pov_risk_score_household(m, h, 2000, &s, in, c, &miss), 0);
        cr_assert_float_eq(s, cases[i].want, 1e-9, "wage %g: %g", cases[i].wage, s);
        cr_assert_float_eq(c[0], cases[i].want, 1e-9);
        cr_assert_float_eq(in[0], (cases[i].wage / 2 - 3000) / 3000, 1e-12);
        cr_assert_eq(miss & 1u, 0);
        pov_household_free(h);
    }
    /* no income at all: missing -> 100 * 0.25, bit 0 set */
    pov_household *h = hh("{\"id\":\"h\",\"members\":[{\"age\":40}]}");
    double s;
    uint32_t miss;
    cr_assert_eq(pov_risk_score_household(m, h, 2000, &s, NULL, NULL, &miss), 0);
    cr_assert_float_eq(s, 25, 1e-12);
    cr_assert(miss & (1u << POV_RISK_INCOME_MARGIN));
    expect_error(pov_risk_score_household(m, h, 0, &s, NULL, NULL, NULL), POV_EINVAL, NULL);
    expect_error(pov_risk_score_household(m, h, NAN, &s, NULL, NULL, NULL), POV_EINVAL, NULL);
    expect_error(pov_risk_score_household(NULL, h, 1, &s, NULL, NULL, NULL), POV_EINVAL, NULL);
    pov_household_free(h);
    pov_riskmodel_free(m);
}

/* Independent piecewise-linear interpolation for the default model check. */
static double interp(const double (*pts)[2], size_t n, double x) {
    if (x <= pts[0][0])
        return pts[0][1];
    for (size_t k = 1; k < n; k++)
        if (x <= pts[k][0])
            return pts[k - 1][1] +
                   (x - pts[k - 1][0]) / (pts[k][0] - pts[k - 1][0]) * (pts[k][1] - pts[k - 1][1]);
    return pts[n - 1][1];
}

static const char *FULL_HH =
    "{\"id\":\"F\",\"year\":2020,\"income_wage\":10000,\"income_operating\":4000,"
    "\"income_transfer\":2000,\"production_costs\":2000,\"exp_medical\":3000,"
    "\"exp_education\":1000,\"disaster_loss\":500,\"debt\":21000,"
    "\"members\":[{\"age\":40,\"labour_capacity\":\"ordinary\",\"health\":\"healthy\"},"
    "{\"age\":38,\"labour_capacity\":\"ordinary\",\"health\":\"chronic_illness\"},"
    "{\"age\":10,\"schooling\":\"primary\"},"
    "{\"age\":70,\"labour_capacity\":\"none\",\"disability_grade\":\"grade_2\"}],"
    "\"income_history\":{\"2018\":4000,\"2019\":4200}}";

Test(riskscore, default_model_by_hand) {
    pov_riskmodel *m = NULL;
    cr_assert_eq(pov_riskmodel_default(&m), 0);
    pov_household *h = hh(FULL_HH);
    double s, in[8], c[8];
    uint32_t miss;
    cr_assert_eq(pov_risk_score_household(m, h, 2500, &s, in, c, &miss), 0);
    cr_assert_eq(miss, 0u);
    /* net = 10000 + 4000 + 2000 - 2000 = 14000, size 4, pc 3500, line 1.5*2500 */
    double want_x[8] = {
        (3500 - 3750) / 3750.0,
        sqrt(130000.0) / 3900.0, /* history 4000, 4200 + current 3500: mean 3900, var 260000/2 */
        1.0,                     /* (4 - 2) / 2 labourers */
        0.5,                     /* chronic illness + grade_2 out of 4 */
        4500 / 14000.0,
        2000 / 16000.0,
        21000 / 14000.0,
        (4200 - 3500) / 4200.0,
    };
    static const double p0[][2] = {{-1.0 / 3, 1}, {0, 0.6}, {0.5, 0.2}, {1, 0}};
    static const double p1[][2] = {{0.1, 0}, {0.5, 1}};
    static const double p2[][2] = {{0.5, 0}, {3, 1}};
    static const double p3[][2] = {{0, 0}, {0.5, 1}};
    static const double p4[][2] = {{0.1, 0}, {1, 1}};
    static const double p5[][2] = {{0.2, 0}, {0.8, 1}};
    static const double p6[][2] = {{0.5, 0}, {3, 1}};
    static const double p7[][2] = {{0, 0}, {0.3, 1}};
    double w[8] = {30, 10, 10, 15, 15, 5, 5, 10};
    double want[8] = {
        w[0] * interp(p0, 4, want_x[0]), w[1] * interp(p1, 2, want_x[1]),
        w[2] * interp(p2, 2, want_x[2]), w[3] * interp(p3, 2, want_x[3]),
        w[4] * interp(p4, 2, want_x[4]), w[5] * interp(p5, 2, want_x[5]),
        w[6] * interp(p6, 2, want_x[6]), w[7] * interp(p7, 2, want_x[7])};
    /* by hand: margin -1/15 -> 0.6 + (1/15)/(1/3)*0.4 = 0.68 -> 20.4 points */
    cr_assert_float_eq(want[0], 20.4, 1e-9);
    double total = 0;
    for (int f = 0; f < 8; f++) {
        cr_assert_float_eq(in[f], want_x[f], 1e-12, "factor %d input %g", f, in[f]);
        cr_assert_float_eq(c[f], want[f], 1e-9, "factor %d points %g", f, c[f]);
        total += want[f];
    }
    cr_assert_float_eq(s, total, 1e-9);
    /* dataset path gives the same numbers */
    pov_dataset *ds = ds_of((const char *const[]){FULL_HH}, 1);
    double s2, c2[8];
    cr_assert_eq(pov_risk_score_dataset(m, ds, 2500, &s2, NULL, c2, NULL), 0);
    cr_assert_float_eq(s2, s, 1e-12);
    pov_dataset_free(ds);
    pov_household_free(h);
    pov_riskmodel_free(m);
}

Test(riskscore, ratios_with_nonpositive_income) {
    pov_riskmodel *m = NULL;
    cr_assert_eq(pov_riskmodel_default(&m), 0);
    /* net income 0 with rigid spending and debt: both ratios +inf -> full points */
    pov_household *h = hh("{\"id\":\"z\",\"income_wage\":1000,\"production_costs\":1000,"
                          "\"exp_medical\":10,\"debt\":5,\"members\":[{\"age\":30}]}");
    double in[8], c[8];
    uint32_t miss;
    cr_assert_eq(pov_risk_score_household(m, h, 2000, NULL, in, c, &miss), 0);
    cr_assert(isinf(in[POV_RISK_RIGID_EXPENDITURE]));
    cr_assert_float_eq(c[POV_RISK_RIGID_EXPENDITURE], 15, EPS);
    cr_assert_float_eq(c[POV_RISK_DEBT], 5, EPS);
    /* no history, no year: volatility and shock missing (0 points, flagged) */
    cr_assert(miss & (1u << POV_RISK_VOLATILITY));
    cr_assert(miss & (1u << POV_RISK_INCOME_SHOCK));
    cr_assert_float_eq(c[POV_RISK_VOLATILITY], 0, EPS);
    pov_household_free(h);
    pov_riskmodel_free(m);
}

/* Scores are computed a block of households at a time: a dataset of 700
 * rows (blocks of 256 and a partial one) cycling through hand-computed cases,
 * in an order that puts each case at every position of a block, must give
 * every row its case's value, points, inputs and missing bits. */
Test(riskscore, dataset_blocks_by_hand) {
    pov_riskmodel *m = model(HEAD "\"line_multiple\":1.5,\"factors\":{"
                                  "\"income_margin\":{\"weight\":60,\"points\":[[-1,1],[0,0.5],[1,0]],"
                                  "\"missing\":0.25},"
                                  "\"debt\":{\"weight\":40,\"points\":[[0.5,0],[3,1]],\"missing\":0.5}}}");
    /* two adults, z = 2000, monitoring line 3000; net income = wage */
    struct {
        const char *json;
        double margin_x, margin_pts, debt_x, debt_pts;
        uint32_t miss;
    } cases[] = {
        /* pc 3000: x = 0, an interior point -> 0.5 exactly; debt 3000/6000 = 0.5 -> 0 */
        {"\"income_wage\":6000,\"debt\":3000", 0, 30, 0.5, 0, 0},
        /* pc 4500: x = 0.5 -> 0.25; debt 9000/9000 = 1 -> 0.2 */
        {"\"income_wage\":9000,\"debt\":9000", 0.5, 15, 1, 8, 0},
        /* x = 1 -> 0 (last point); debt 36000/12000 = 3 -> 1 (last point) */
        {"\"income_wage\":12000,\"debt\":36000", 1, 0, 3, 40, 0},
        /* pc 1500: x = -0.5 -> 0.75; no debt recorded: missing -> 40 * 0.5 */
        {"\"income_wage\":3000", -0.5, 45, NAN, 20, 1u << POV_RISK_DEBT},
        /* x = -1 (first point) -> 1; debt with zero income: +inf -> 1 */
        {"\"income_wage\":0,\"debt\":10", -1, 60, INFINITY, 40, 0},
        /* nothing recorded: both missing -> 60 * 0.25 + 40 * 0.5 */
        {"\"year\":2020", NAN, 15, NAN, 20,
         (1u << POV_RISK_INCOME_MARGIN) | (1u << POV_RISK_DEBT)},
        /* beyond both ends: x = 3 -> 0 points; debt 100/12000 below 0.5 -> 0 */
        {"\"income_wage\":24000,\"debt\":100", 3, 0, 100 / 24000.0, 0, 0},
    };
    const size_t nc = sizeof cases / sizeof cases[0], n = 700;
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        snprintf(buf, sizeof buf,
                 "{\"id\":\"r%zu\",%s,\"members\":[{\"age\":40},{\"age\":38}]}", i,
                 cases[(i * 3 + i / 7) % nc].json);
        pov_household *h = hh(buf);
        cr_assert_eq(pov_dataset_append(ds, h), 0);
        pov_household_free(h);
    }
    double *s = malloc(n * sizeof *s), *in = malloc(8 * n * sizeof *in),
           *c = malloc(8 * n * sizeof *c);
    uint32_t *miss = malloc(n * sizeof *miss);
    cr_assert_eq(pov_risk_score_dataset(m, ds, 2000, s, in, c, miss), 0);
    for (size_t i = 0; i < n; i++) {
        size_t k = (i * 3 + i / 7) % nc;
        const double *x = in + 8 * i, *pt = c + 8 * i;
        cr_assert_float_eq(s[i], cases[k].margin_pts + cases[k].debt_pts, 1e-9, "row %zu: %g", i,
                           s[i]);
        cr_assert_float_eq(pt[POV_RISK_INCOME_MARGIN], cases[k].margin_pts, 1e-9, "row %zu", i);
        cr_assert_float_eq(pt[POV_RISK_DEBT], cases[k].debt_pts, 1e-9, "row %zu", i);
        /* (factors outside the model are flagged too: only these two bits are checked) */
        cr_assert_eq(miss[i] & ((1u << POV_RISK_INCOME_MARGIN) | (1u << POV_RISK_DEBT)),
                     cases[k].miss, "row %zu: mask %u", i, miss[i]);
        if (isnan(cases[k].margin_x))
            cr_assert(isnan(x[POV_RISK_INCOME_MARGIN]));
        else
            cr_assert_float_eq(x[POV_RISK_INCOME_MARGIN], cases[k].margin_x, 1e-12, "row %zu", i);
        if (isinf(cases[k].debt_x))
            cr_assert(isinf(x[POV_RISK_DEBT]) && x[POV_RISK_DEBT] > 0);
        else if (isnan(cases[k].debt_x))
            cr_assert(isnan(x[POV_RISK_DEBT]));
        else
            cr_assert_float_eq(x[POV_RISK_DEBT], cases[k].debt_x, 1e-12, "row %zu", i);
        /* factors without weight contribute nothing */
        cr_assert_eq(pt[POV_RISK_VOLATILITY], 0.0);
    }
    /* outputs may be NULL independently */
    double *s2 = malloc(n * sizeof *s2);
    cr_assert_eq(pov_risk_score_dataset(m, ds, 2000, s2, NULL, NULL, NULL), 0);
    cr_assert_eq(memcmp(s, s2, n * sizeof *s), 0);
    free(s);
    free(s2);
    free(in);
    free(c);
    free(miss);
    pov_dataset_free(ds);
    pov_riskmodel_free(m);
}

/* Volatility and shock over 600 households: blocks where every household has
 * three history years (scored entry by entry across the block) and a block
 * with one to four years; the year itself in the history (not counted
 * twice), no year (the shock uses the last entry), no current income. By
 * hand: CV = sample s.d. / mean by the two-pass formula; shock = (prev -
 * income) / prev. */
Test(riskscore, volatility_and_shock_by_block) {
    pov_riskmodel *m = NULL;
    cr_assert_eq(pov_riskmodel_default(&m), 0);
    const size_t n = 600;
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    double *want_cv = malloc(n * sizeof *want_cv), *want_shock = malloc(n * sizeof *want_shock);
    for (size_t i = 0; i < n; i++) {
        /* rows 256..511 (the second block of 256): 1 to 4 years; else 3 */
        size_t years = i >= 256 && i < 512 ? 1 + i % 4 : 3;
        int has_year = i % 7 != 3, has_income = i % 11 != 5, year_in_hist = i % 13 == 4;
        double inc = 3000 + (double)((i * 97) % 5000), vals[5];
        size_t nv = 0;
        char hist[256] = "", item[64];
        for (size_t q = 0; q < years; q++) {
            int y = (int)(2024 - years + q + (year_in_hist ? 1 : 0)); /* ends at 2023 or 2024 */
            double v = 2000 + (double)((i * 31 + q * 577) % 6000);
            snprintf(item, sizeof item, "%s\"%d\":%g", q ? "," : "", y, v);
            strcat(hist, item);
            vals[nv++] = v;
        }
        /* the current income joins unless the year is recorded in the history */
        int current_recorded = has_year && year_in_hist;
        if (has_income && !current_recorded)
            vals[nv++] = inc;
        double mean = 0, ss = 0;
        for (size_t q = 0; q < nv; q++)
            mean += vals[q] / (double)nv;
        for (size_t q = 0; q < nv; q++)
            ss += (vals[q] - mean) * (vals[q] - mean);
        want_cv[i] = nv >= 2 ? sqrt(ss / (double)(nv - 1)) / mean : NAN;
        /* previous year: 2023 when the year (2024) is known, else the last entry */
        double prev = NAN;
        if (!has_year)
            prev = vals[years - 1];
        else
            for (size_t q = 0; q < years; q++)
                if ((int)(2024 - years + q + (year_in_hist ? 1 : 0)) == 2023)
                    prev = vals[q];
        want_shock[i] = has_income && !isnan(prev) ? (prev - inc) / prev : NAN;
        char buf[512];
        snprintf(buf, sizeof buf, "{\"id\":\"h%zu\",%s%s\"members\":[{\"age\":40}],"
                 "\"income_history\":{%s}}", i, has_year ? "\"year\":2024," : "",
                 has_income ? (snprintf(item, sizeof item, "\"income_wage\":%g,", inc), item) : "",
                 hist);
        pov_household *h = hh(buf);
        cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
        pov_household_free(h);
    }
    double *in = malloc(8 * n * sizeof *in);
    cr_assert_eq(pov_risk_score_dataset(m, ds, 2000, NULL, in, NULL, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        double cv = in[8 * i + POV_RISK_VOLATILITY], sh = in[8 * i + POV_RISK_INCOME_SHOCK];
        if (isnan(want_cv[i]))
            cr_assert(isnan(cv), "row %zu: %g", i, cv);
        else
            cr_assert_float_eq(cv, want_cv[i], 1e-12 * want_cv[i] + 1e-15, "row %zu: %.17g vs %.17g",
                               i, cv, want_cv[i]);
        if (isnan(want_shock[i]))
            cr_assert(isnan(sh), "row %zu: %g", i, sh);
        else
            cr_assert_eq(sh, want_shock[i], "row %zu: %g vs %g", i, sh, want_shock[i]);
    }
    free(want_cv);
    free(want_shock);
    free(in);
    pov_dataset_free(ds);
    pov_riskmodel_free(m);
}

/* The illness/disability share over a dataset whose members span several of
 * the scorer's member chunks (1,024 members): households of 90 to 100
 * members among small ones and households without members (missing);
 * share = affected members / members, by hand from the pattern below. */
Test(riskscore, illness_share_over_member_chunks) {
    pov_riskmodel *m = NULL;
    cr_assert_eq(pov_riskmodel_default(&m), 0);
    const size_t n = 1200, big = 700, big_size = 100;
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    double *want = malloc(n * sizeof *want);
    for (size_t i = 0; i < n; i++) {
        pov_household *h = NULL;
        cr_assert_eq(pov_household_new(pov_schema_core(), &h), 0);
        char id[16];
        snprintf(id, sizeof id, "h%zu", i);
        cr_assert_eq(pov_household_set_id(h, id), 0);
        size_t size = i == big ? big_size : (i >= 300 && i < 560) ? 90 + i % 11 : i % 6;
        size_t affected = 0;
        for (size_t j = 0; j < size; j++) {
            size_t k;
            cr_assert_eq(pov_household_member_add(h, &k), 0);
            cr_assert_eq(pov_household_member_set_number(h, k, "age", 40), 0);
            /* ill: chronic or serious; disabled: grades 1-4; weak health and
             * no disability do not count */
            int ill = i == big ? j % 4 == 0 : (i + j) % 3 == 0;
            int disabled = i != big && (i + j) % 5 == 1;
            const char *health = ill ? (j % 2 ? "serious_illness" : "chronic_illness")
                                     : (j % 2 ? "weak" : "healthy");
            cr_assert_eq(pov_household_member_set_category(h, k, "health", health), 0);
            cr_assert_eq(pov_household_member_set_category(h, k, "disability_grade",
                                                           disabled ? "grade_2" : "none"),
                         0);
            affected += ill || disabled;
        }
        want[i] = size ? (double)affected / (double)size : NAN;
        cr_assert_eq(pov_dataset_append(ds, h), 0, "row %zu: %s", i,
                     pov_error_message(pov_error_last()));
        pov_household_free(h);
    }
    cr_assert_float_eq(want[big], 0.25, 1e-15); /* 25 of 100 */
    double *in = malloc(8 * n * sizeof *in);
    uint32_t *miss = malloc(n * sizeof *miss);
    cr_assert_eq(pov_risk_score_dataset(m, ds, 2000, NULL, in, NULL, miss), 0);
    for (size_t i = 0; i < n; i++) {
        double x = in[8 * i + POV_RISK_ILLNESS_DISABILITY];
        if (isnan(want[i])) {
            cr_assert(isnan(x), "row %zu: %g", i, x);
            cr_assert(miss[i] & (1u << POV_RISK_ILLNESS_DISABILITY), "row %zu", i);
        } else {
            cr_assert_eq(x, want[i], "row %zu: %g, want %g", i, x, want[i]);
            cr_assert_eq(miss[i] & (1u << POV_RISK_ILLNESS_DISABILITY), 0u, "row %zu", i);
        }
    }
    free(want);
    free(in);
    free(miss);
    pov_dataset_free(ds);
    pov_riskmodel_free(m);
}

/* ---- monitoring groups: simple base conditions (fast path) and others -------- */

/* One household of Yunnan in 2024 (monitoring range 8,700): @p size members
 * aged 40 (0: none, so household_size is missing), wage income, no rigid
 * spending, last year's income equal to this year's, safe housing and water. */
static pov_household *mon_hh(const pov_policy *p, const char *id, const char *status, int size,
                             double wage) {
    pov_household *h = NULL;
    cr_assert_eq(pov_household_new(pov_policy_schema(p), &h), 0);
    cr_assert_eq(pov_household_set_id(h, id), 0);
    cr_assert_eq(pov_household_set_text(h, "province_code", "53"), 0);
    if (status)
        cr_assert_eq(pov_household_set_category(h, "registry_status", status), 0);
    for (int k = 0; k < size; k++) {
        size_t mi;
        cr_assert_eq(pov_household_member_add(h, &mi), 0);
        cr_assert_eq(pov_household_member_set_number(h, mi, "age", 40), 0);
    }
    cr_assert_eq(pov_household_set_number(h, "income_wage", wage), 0);
    static const char *const zero[] = {"exp_medical", "exp_education", "exp_other_rigid",
                                       "disaster_loss"};
    for (int k = 0; k < 4; k++)
        cr_assert_eq(pov_household_set_number(h, zero[k], 0), 0);
    cr_assert_eq(pov_household_set_number(h, "income_last_year", size ? wage / size : 1), 0);
    cr_assert_eq(pov_household_set_category(h, "housing_safety", "A"), 0);
    cr_assert_eq(pov_household_set_boolean(h, "safe_water", 1), 0);
    return h;
}

/* The marginal group's base condition is replaced by one with arithmetic
 * (not of the simple shape, so it runs in the interpreter): the groups are
 * those of the three-valued rules of docs/policy-format.md §12, the same as
 * under the embedded policy where the condition differs only for a
 * household without members. */
Test(monitoring_groups, interpreted_and_fast_base_conditions) {
    const char *doc =
        "{\"format\":\"povmetrics.policy/1\",\"id\":\"g\",\"title\":\"t\",\"version\":\"1\","
        "\"region\":\"53\",\"inherits\":\"national_2021_monitoring\","
        "\"provenance\":{\"summary\":\"s\",\"sources\":[{\"id\":\"loc\",\"status\":\"illustrative\","
        "\"citation\":\"c\"}]},"
        "\"monitoring_groups\":{\"marginal\":{\"condition\":{\"and\":["
        "{\"in\":[{\"var\":\"registry_status\"},[\"not_registered\",\"monitored_marginal\"]]},"
        "{\">=\":[{\"-\":[{\"var\":\"household_size\"},1]},0]}]},\"source\":\"loc\"}}}";
    pov_policy *p = NULL, *q = NULL;
    cr_assert_eq(pov_policy_load_string(doc, strlen(doc), "g.json", NULL, &p), 0, "%s at %s",
                 pov_error_message(pov_error_last()), pov_error_path(pov_error_last()));
    cr_assert_eq(pov_policy_default("national_2021_monitoring", &q), 0);
    struct {
        const char *status;
        int size;
        double wage;
        int want_p, want_q;
    } cases[] = {
        /* pc 5,000 < 8,700: income trigger fires */
        {"not_registered", 2, 10000, POV_GROUP_MARGINAL, POV_GROUP_MARGINAL},
        {"exited", 2, 10000, POV_GROUP_UNSTABLE_EXITED, POV_GROUP_UNSTABLE_EXITED},
        {"poor", 2, 10000, POV_GROUP_NONE, POV_GROUP_NONE},
        /* pc 10,000: nothing fires */
        {"not_registered", 1, 10000, POV_GROUP_NONE, POV_GROUP_NONE},
        /* pc 8,700 exactly: does not fire */
        {"monitored_marginal", 2, 17400, POV_GROUP_NONE, POV_GROUP_NONE},
        /* no status: every base condition missing, the income trigger fired */
        {NULL, 2, 10000, POV_GROUP_UNKNOWN, POV_GROUP_UNKNOWN},
        /* no members: size and income missing; marginal's base is missing
         * under p, true under q; its trigger unknown either way */
        {"not_registered", 0, 10000, POV_GROUP_UNKNOWN, POV_GROUP_UNKNOWN},
        /* exited without members: unstable's trigger unknown -> unknown */
        {"exited", 0, 10000, POV_GROUP_UNKNOWN, POV_GROUP_UNKNOWN},
    };
    const size_t nc = sizeof cases / sizeof cases[0], n = 2 * 1024 + 10; /* several blocks */
    const pov_policy *pols[2] = {p, q};
    for (int w = 0; w < 2; w++) {
        pov_dataset *ds = NULL;
        cr_assert_eq(pov_dataset_new(pov_policy_schema(pols[w]), &ds), 0);
        for (size_t i = 0; i < n; i++) {
            char id[32];
            snprintf(id, sizeof id, "h%zu", i);
            size_t k = (i * 5 + i / 9) % nc;
            pov_household *h = mon_hh(pols[w], id, cases[k].status, cases[k].size, cases[k].wage);
            cr_assert_eq(pov_dataset_append(ds, h), 0);
            pov_household_free(h);
        }
        pov_assessment *a = NULL;
        cr_assert_eq(pov_policy_monitor_dataset(pols[w], ds, 2024, &a), 0, "%s",
                     pov_error_message(pov_error_last()));
        const uint8_t *g = pov_assessment_groups(a), *mon = pov_assessment_eligible(a);
        for (size_t i = 0; i < n; i++) {
            size_t k = (i * 5 + i / 9) % nc;
            int want = w == 0 ? cases[k].want_p : cases[k].want_q;
            cr_assert_eq(g[i], want, "policy %d row %zu case %zu: group %d want %d", w, i, k,
                         g[i], want);
            int want_mon = want == POV_GROUP_NONE      ? POV_FAIL
                           : want == POV_GROUP_UNKNOWN ? POV_UNKNOWN
                                                       : POV_PASS;
            cr_assert_eq(mon[i], want_mon, "row %zu", i);
        }
        pov_assessment_free(a);
        pov_dataset_free(ds);
    }
    pov_policy_free(p);
    pov_policy_free(q);
}

/* ---- vulnerability from histories ------------------------------------------ */

static void logstats(const double *y, size_t T, double *mu, double *m2) {
    double s = 0;
    for (size_t j = 0; j < T; j++)
        s += log(y[j]);
    *mu = s / (double)T;
    double q = 0;
    for (size_t j = 0; j < T; j++)
        q += (log(y[j]) - *mu) * (log(y[j]) - *mu);
    *m2 = q; /* sum of squares */
}

Test(vulnerability, history_closed_form) {
    double inc[] = {1000, 1200, 900, 3000, 3300, 2800, 3100, 500, 600};
    int32_t yrs[] = {2018, 2019, 2020, 2017, 2018, 2019, 2020, 2019, 2020};
    size_t off[] = {0, 3, 7, 9};
    double z = 1100;
    pov_vuln_options o;
    pov_vuln_options_init(&o);
    cr_assert_eq(o.min_years, 3);
    cr_assert_float_eq(o.shrink_years, 2.0, 0);
    double P[3], mu[3], sg[3];
    cr_assert_eq(pov_vulnerability_history(inc, yrs, off, 3, NULL, z, &o, P, mu, sg), 0);
    double m0, q0, m1, q1, m2, q2;
    logstats(inc, 3, &m0, &q0);
    logstats(inc + 3, 4, &m1, &q1);
    logstats(inc + 7, 2, &m2, &q2);
    double pooled = (q0 + q1 + q2) / (2 + 3 + 1);
    double v0 = (q0 + 2 * pooled) / (2 + 2), v1 = (q1 + 2 * pooled) / (3 + 2);
    cr_assert_float_eq(mu[0], m0, 1e-12);
    cr_assert_float_eq(sg[0], sqrt(v0), 1e-12);
    cr_assert_float_eq(P[0], phi((log(z) - m0) / sqrt(v0)), 1e-12);
    cr_assert_float_eq(P[1], phi((log(z) - m1) / sqrt(v1)), 1e-12);
    cr_assert(isnan(P[2]) && isnan(mu[2]) && isnan(sg[2])); /* 2 years < 3 */
    /* k = 0: own sample variance */
    o.shrink_years = 0;
    cr_assert_eq(pov_vulnerability_history(inc, yrs, off, 3, NULL, z, &o, P, NULL, NULL), 0);
    cr_assert_float_eq(P[0], phi((log(z) - m0) / sqrt(q0 / 2)), 1e-12);
    /* min_years 2: the short history gets an estimate too */
    o.min_years = 2;
    cr_assert_eq(pov_vulnerability_history(inc, yrs, off, 3, NULL, z, &o, P, NULL, NULL), 0);
    cr_assert_float_eq(P[2], phi((log(z) - m2) / sqrt(q2 / 1)), 1e-12);
    /* groups: pooled variance per group */
    int32_t g[] = {7, 9, 7};
    pov_vuln_options_init(&o);
    cr_assert_eq(pov_vulnerability_history(inc, NULL, off, 3, g, z, &o, P, NULL, NULL), 0);
    double pooled7 = (q0 + q2) / (2 + 1), pooled9 = q1 / 3;
    cr_assert_float_eq(P[0], phi((log(z) - m0) / sqrt((q0 + 2 * pooled7) / 4)), 1e-12);
    cr_assert_float_eq(P[1], phi((log(z) - m1) / sqrt((q1 + 2 * pooled9) / 5)), 1e-12);
}

Test(vulnerability, zero_variance_and_threshold) {
    double inc[] = {1000, 1000, 1000};
    size_t off[] = {0, 3};
    pov_vuln_options o;
    pov_vuln_options_init(&o);
    o.shrink_years = 0;
    double P;
    cr_assert_eq(pov_vulnerability_history(inc, NULL, off, 1, NULL, 1000.0001, &o, &P, NULL, NULL), 0);
    cr_assert_float_eq(P, 1.0, 0);
    cr_assert_eq(pov_vulnerability_history(inc, NULL, off, 1, NULL, 1000, &o, &P, NULL, NULL), 0);
    cr_assert_float_eq(P, 0.0, 0); /* y < z is strict */
    /* income exactly at the line with variance: P = 0.5 */
    double inc2[] = {500, 2000, 1000};
    cr_assert_eq(pov_vulnerability_history(inc2, NULL, off, 1, NULL, 1000, &o, &P, NULL, NULL), 0);
    cr_assert_float_eq(P, 0.5, 1e-12);
}

Test(vulnerability, history_errors) {
    double inc[] = {1000, 1200, 900};
    size_t off[] = {0, 3};
    double P;
    int32_t dup[] = {2018, 2018, 2019}, gap[] = {2016, 2018, 2019}, dec[] = {2019, 2018, 2020};
    expect_error(pov_vulnerability_history(inc, dup, off, 1, NULL, 1000, NULL, &P, NULL, NULL),
                 POV_EDUPLICATE, "years[1]");
    expect_error(pov_vulnerability_history(inc, gap, off, 1, NULL, 1000, NULL, &P, NULL, NULL),
                 POV_ERANGE, "years[1]");
    expect_error(pov_vulnerability_history(inc, dec, off, 1, NULL, 1000, NULL, &P, NULL, NULL),
                 POV_EINVAL, "years[1]");
    pov_vuln_options o;
    pov_vuln_options_init(&o);
    o.allow_gaps = 1;
    cr_assert_eq(pov_vulnerability_history(inc, gap, off, 1, NULL, 1000, &o, &P, NULL, NULL), 0);
    double bad[] = {1000, 0, 900};
    expect_error(pov_vulnerability_history(bad, NULL, off, 1, NULL, 1000, NULL, &P, NULL, NULL),
                 POV_EDOMAIN, "income[1]");
    double nan_[] = {1000, NAN, 900};
    expect_error(pov_vulnerability_history(nan_, NULL, off, 1, NULL, 1000, NULL, &P, NULL, NULL),
                 POV_ENONFINITE, "income[1]");
    expect_error(pov_vulnerability_history(inc, NULL, off, 1, NULL, 0, NULL, &P, NULL, NULL),
                 POV_EINVAL, NULL);
    /* shrinkage needs a pooled variance: a group with only one-year histories */
    size_t off2[] = {0, 1, 3};
    int32_t g[] = {1, 2};
    expect_error(pov_vulnerability_history(inc, NULL, off2, 2, g, 1000, NULL, NULL, NULL, NULL),
                 POV_EEMPTY, "groups[0]");
    size_t bad_off[] = {0, 3, 2};
    expect_error(pov_vulnerability_history(inc, NULL, bad_off, 2, NULL, 1000, NULL, NULL, NULL, NULL),
                 POV_EINVAL, "offsets[2]");
}

Test(vulnerability, history_dataset) {
    const char *rows[] = {
        "{\"id\":\"a\",\"year\":2020,\"income_wage\":2000,\"members\":[{\"age\":30}],"
        "\"income_history\":{\"2017\":1500,\"2018\":1800,\"2019\":2400}}",
        "{\"id\":\"b\",\"year\":2020,\"income_wage\":3000,\"members\":[{\"age\":30}],"
        "\"income_history\":{\"2019\":2500,\"2020\":2600}}",
        "{\"id\":\"c\",\"year\":2020,\"income_wage\":3000,\"members\":[{\"age\":30}],"
        "\"income_history\":{\"2016\":2500,\"2019\":2600}}",
    };
    pov_dataset *ds = ds_of(rows, 2);
    double P[2];
    cr_assert_eq(pov_vulnerability_history_dataset(ds, 2200, NULL, P), 0);
    /* a: 1500, 1800, 2400, 2000 (current). b: 2500, 2600 (2020 recorded: current ignored) */
    double inc[] = {1500, 1800, 2400, 2000, 2500, 2600};
    size_t off[] = {0, 4, 6};
    double Q[2];
    cr_assert_eq(pov_vulnerability_history(inc, NULL, off, 2, NULL, 2200, NULL, Q, NULL, NULL), 0);
    cr_assert_float_eq(P[0], Q[0], 1e-12);
    cr_assert(isnan(P[1]));
    pov_dataset_free(ds);
    ds = ds_of(rows, 3);
    expect_error(pov_vulnerability_history_dataset(ds, 2200, NULL, P), POV_ERANGE,
                 "[2].income_history.2019");
    pov_dataset_free(ds);
    const char *neg[] = {"{\"id\":\"n\",\"year\":2020,\"income_wage\":100,\"production_costs\":500,"
                         "\"members\":[{\"age\":30}],\"income_history\":{\"2019\":10}}"};
    ds = ds_of(neg, 1);
    expect_error(pov_vulnerability_history_dataset(ds, 2200, NULL, P), POV_EDOMAIN,
                 "[0].per_capita_net_income");
    pov_dataset_free(ds);
}

Test(vulnerability, summary) {
    double p[] = {0.2, 0.5, 0.9, NAN, 0.49};
    double w[] = {1, 2, 3, 100, 4};
    double rate, ex;
    cr_assert_eq(pov_vulnerability_summary(p, w, 5, 0.5, &rate, &ex), 0);
    cr_assert_float_eq(rate, 5.0 / 10, 1e-12);
    cr_assert_float_eq(ex, (0.2 + 1.0 + 2.7 + 1.96) / 10, 1e-12);
    cr_assert_eq(pov_vulnerability_summary(p, NULL, 5, 0.5, &rate, &ex), 0);
    cr_assert_float_eq(rate, 0.5, 1e-12);
    double bad[] = {0.2, 1.5};
    expect_error(pov_vulnerability_summary(bad, NULL, 2, 0.5, &rate, &ex), POV_ERANGE, "prob[1]");
    double wneg[] = {1, -1};
    expect_error(pov_vulnerability_summary(p, wneg, 2, 0.5, &rate, &ex), POV_ERANGE, "w[1]");
    double allnan[] = {NAN};
    expect_error(pov_vulnerability_summary(allnan, NULL, 1, 0.5, &rate, &ex), POV_EEMPTY, NULL);
}

/* ---- CJS FGLS -------------------------------------------------------------- */

/* Independent weighted least squares by Gaussian elimination with partial
 * pivoting on the normal equations. */
static void gauss_wls(const double *X, const double *v, const double *w, size_t n, size_t k,
                      double *b) {
    double A[8][9];
    for (size_t a = 0; a < k; a++) {
        for (size_t c = 0; c <= k; c++)
            A[a][c] = 0;
        for (size_t i = 0; i < n; i++) {
            double wi = w ? w[i] : 1;
            for (size_t c = 0; c < k; c++)
                A[a][c] += wi * X[i * k + a] * X[i * k + c];
            A[a][k] += wi * X[i * k + a] * v[i];
        }
    }
    for (size_t c = 0; c < k; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < k; r++)
            if (fabs(A[r][c]) > fabs(A[piv][c]))
                piv = r;
        for (size_t j = 0; j <= k; j++) {
            double t = A[c][j];
            A[c][j] = A[piv][j];
            A[piv][j] = t;
        }
        for (size_t r = 0; r < k; r++) {
            if (r == c)
                continue;
            double f = A[r][c] / A[c][c];
            for (size_t j = c; j <= k; j++)
                A[r][j] -= f * A[c][j];
        }
    }
    for (size_t c = 0; c < k; c++)
        b[c] = A[c][k] / A[c][c];
}

Test(cjs, matches_independent_solve) {
    /* Pairs of households with equal covariates and residuals +c and -c,
     * c^2 = 0.04 + 0.05 x1: every step is then exact by hand: b = (8, 0.2,
     * -0.5) and t = (0.04, 0.05, 0). The independent solve checks the same. */
    enum { N = 40, K = 3 };
    double X[N * K], y[N];
    unsigned s = 12345;
    for (size_t i = 0; i < N; i += 2) {
        s = s * 1103515245u + 12345u;
        double x1 = (double)(s >> 16 & 0x7fff) / 32768.0 * 4;
        s = s * 1103515245u + 12345u;
        double x2 = (double)(s >> 16 & 0x7fff) / 32768.0;
        double c = sqrt(0.04 + 0.05 * x1);
        for (size_t h = 0; h < 2; h++) {
            X[(i + h) * K] = 1;
            X[(i + h) * K + 1] = x1;
            X[(i + h) * K + 2] = x2;
            y[i + h] = exp(8 + 0.2 * x1 - 0.5 * x2 + (h ? -c : c));
        }
    }
    double z = exp(8.1);
    double P[N], beta[K], theta[K];
    size_t floored = 99;
    cr_assert_eq(pov_vulnerability_cjs(X, y, N, K, z, P, beta, theta, &floored), 0);
    /* the same three steps, independently */
    double ly[N], e2[N], w[N], h[N], b[K], t[K];
    for (size_t i = 0; i < N; i++)
        ly[i] = log(y[i]);
    gauss_wls(X, ly, NULL, N, K, b);
    for (size_t i = 0; i < N; i++) {
        double f = b[0] + b[1] * X[i * K + 1] + b[2] * X[i * K + 2];
        e2[i] = (ly[i] - f) * (ly[i] - f);
    }
    gauss_wls(X, e2, NULL, N, K, t);
    for (size_t i = 0; i < N; i++) {
        h[i] = t[0] + t[1] * X[i * K + 1] + t[2] * X[i * K + 2];
        cr_assert(h[i] > 0, "the test data must give positive OLS variances");
        w[i] = 1 / (h[i] * h[i]);
    }
    gauss_wls(X, e2, w, N, K, t);
    for (size_t i = 0; i < N; i++) {
        h[i] = t[0] + t[1] * X[i * K + 1] + t[2] * X[i * K + 2];
        cr_assert(h[i] > 0);
        w[i] = 1 / h[i];
    }
    gauss_wls(X, ly, w, N, K, b);
    cr_assert_eq(floored, 0);
    double hand_b[K] = {8, 0.2, -0.5}, hand_t[K] = {0.04, 0.05, 0};
    for (size_t j = 0; j < K; j++) {
        cr_assert_float_eq(beta[j], hand_b[j], 1e-9);
        cr_assert_float_eq(theta[j], hand_t[j], 1e-9);
    }
    for (size_t j = 0; j < K; j++) {
        cr_assert_float_eq(beta[j], b[j], 1e-9 * (1 + fabs(b[j])));
        cr_assert_float_eq(theta[j], t[j], 1e-9 * (1 + fabs(t[j])));
    }
    for (size_t i = 0; i < N; i++) {
        double f = b[0] + b[1] * X[i * K + 1] + b[2] * X[i * K + 2];
        cr_assert_float_eq(P[i], phi((log(z) - f) / sqrt(h[i])), 1e-9);
    }
}

Test(cjs, intercept_only_by_hand) {
    /* k = 1: b = mean ln y, t = mean squared deviation, v = Phi((ln z - b)/sqrt(t)) */
    double X[] = {1, 1, 1, 1};
    double y[] = {1000, 2000, 4000, 8000};
    double P[4], beta, theta;
    cr_assert_eq(pov_vulnerability_cjs(X, y, 4, 1, 3000, P, &beta, &theta, NULL), 0);
    double m = log(1000) + 1.5 * log(2.0); /* mean of ln y */
    double var = (2.25 + 0.25 + 0.25 + 2.25) * log(2.0) * log(2.0) / 4;
    cr_assert_float_eq(beta, m, 1e-12);
    cr_assert_float_eq(theta, var, 1e-12);
    cr_assert_float_eq(P[2], phi((log(3000) - m) / sqrt(var)), 1e-12);
}

Test(cjs, errors) {
    double X[] = {1, 2, 1, 4, 1, 6, 1, 8};
    double y[] = {100, 200, 300, 400};
    double P[4];
    expect_error(pov_vulnerability_cjs(X, y, 2, 2, 250, P, NULL, NULL, NULL), POV_ESINGULAR, NULL);
    double C[] = {1, 2, 1, 2, 1, 2, 1, 2}; /* second column = 2 x intercept */
    expect_error(pov_vulnerability_cjs(C, y, 4, 2, 250, P, NULL, NULL, NULL), POV_ESINGULAR, NULL);
    double y0[] = {100, 200, 0, 400};
    expect_error(pov_vulnerability_cjs(X, y0, 4, 2, 250, P, NULL, NULL, NULL), POV_EDOMAIN, "y[2]");
    double yneg[] = {100, -1, 5, 400};
    expect_error(pov_vulnerability_cjs(X, yneg, 4, 2, 250, P, NULL, NULL, NULL), POV_EDOMAIN, "y[1]");
    double Xn[] = {1, 2, NAN, 4, 1, 6, 1, 8};
    expect_error(pov_vulnerability_cjs(Xn, y, 4, 2, 250, P, NULL, NULL, NULL), POV_ENONFINITE,
                 "X[1][0]");
    expect_error(pov_vulnerability_cjs(X, y, 4, 2, -1, P, NULL, NULL, NULL), POV_EINVAL, NULL);
}

/* ---- transitions ----------------------------------------------------------- */

#define R(id, v, st) "{\"id\":\"" id "\",\"village_code\":\"" v "\",\"registry_status\":\"" st "\"}"

Test(transitions, counts_and_rates) {
    const char *y1[] = {
        R("a", "V1", "poor"), R("b", "V1", "poor"), R("c", "V1", "exited"),
        R("d", "V2", "not_registered"), R("e", "V2", "monitored_unstable"), R("f", "V2", "poor"),
        R("g", "V2", "exited"),
    };
    const char *y2[] = {
        R("a", "V1", "exited"), R("b", "V1", "poor"), R("c", "V1", "returned"),
        R("d", "V2", "poor"), R("e", "V2", "exited"), R("h", "V2", "poor"),
        R("g", "V2", "exited"),
    };
    pov_dataset *d1 = ds_of(y1, 7), *d2 = ds_of(y2, 7);
    size_t vc;
    cr_assert_eq(pov_schema_find(pov_schema_core(), "village_code", &vc), 0);
    pov_transitions *t = NULL;
    cr_assert_eq(pov_transitions_compute(d1, d2, vc, &t), 0);
    cr_assert_eq(pov_transitions_unit_count(t), 2);
    cr_assert_str_eq(pov_transitions_unit(t, 0), "V1");
    cr_assert_str_eq(pov_transition_state_name(8), "absent");
    cr_assert_str_eq(pov_transition_state_name(1), "poor");
    double M[81];
    cr_assert_eq(pov_transitions_matrix(t, SIZE_MAX, M), 0);
    cr_assert_float_eq(M[1 * 9 + 2], 1, 0);  /* a: poor -> exited */
    cr_assert_float_eq(M[1 * 9 + 1], 1, 0);  /* b */
    cr_assert_float_eq(M[2 * 9 + 3], 1, 0);  /* c: exited -> returned */
    cr_assert_float_eq(M[1 * 9 + 8], 1, 0);  /* f: poor -> absent */
    cr_assert_float_eq(M[8 * 9 + 1], 1, 0);  /* h: absent -> poor */
    pov_transition_summary s = {.size = sizeof s};
    cr_assert_eq(pov_transitions_summary(t, SIZE_MAX, &s), 0);
    cr_assert_float_eq(s.households, 8, 0);
    cr_assert_float_eq(s.poor_before, 3, 0);   /* a b f */
    cr_assert_float_eq(s.poor_after, 4, 0);    /* b c d h */
    cr_assert_float_eq(s.exits, 1, 0);         /* a */
    cr_assert_float_eq(s.persistent, 1, 0);    /* b */
    cr_assert_float_eq(s.returns, 1, 0);       /* c */
    cr_assert_float_eq(s.entries, 2, 0);       /* d, h */
    cr_assert_float_eq(s.exit_rate, 0.5, 1e-12);       /* a, b present in both */
    cr_assert_float_eq(s.return_rate, 1.0 / 3, 1e-12); /* c, e, g */
    cr_assert_float_eq(s.entry_rate, 1.0, 1e-12);      /* d, h */
    cr_assert_float_eq(s.persistence_rate, 0.5, 1e-12);
    cr_assert_eq(pov_transitions_summary(t, 0, &s), 0); /* V1: a b c */
    cr_assert_float_eq(s.households, 3, 0);
    cr_assert_float_eq(s.returns, 1, 0);
    cr_assert_float_eq(s.return_rate, 1, 0);
    cr_assert(isnan(s.entry_rate));
    expect_error(pov_transitions_summary(t, 5, &s), POV_ENOTFOUND, NULL);
    pov_transition_summary small = {.size = 8};
    expect_error(pov_transitions_summary(t, 0, &small), POV_EINVAL, NULL);
    pov_transitions_free(t);
    cr_assert_eq(pov_transitions_compute(d1, d2, SIZE_MAX, &t), 0);
    cr_assert_eq(pov_transitions_unit_count(t), 0);
    expect_error(pov_transitions_matrix(t, 0, M), POV_ENOTFOUND, NULL);
    pov_transitions_free(t);
    size_t yi;
    cr_assert_eq(pov_schema_find(pov_schema_core(), "year", &yi), 0);
    expect_error(pov_transitions_compute(d1, d2, yi, &t), POV_EINVAL, NULL);
    pov_transitions_free(NULL);
    pov_dataset_free(d1);
    pov_dataset_free(d2);
}
