/*
 * pov-monitor — village and county exit report from a household file and a
 * policy: each criterion's value, threshold and margin, the overall result,
 * the households that block exit, and the report indicators (incidence,
 * exits, coverage shares, mean income of poor households and its growth).
 *
 *   pov-monitor [--policy NAME|FILE.json] [--level village|county|both]
 *               [--year YEAR] [--inputs UNIT_INPUTS.json] [--json] DATA
 *
 * DATA: .json, .jsonl or .csv household file (read with the policy's schema).
 * UNIT_INPUTS: {"<unit code>": {"<input>": number | true | false}}; the
 * bundled examples/data/pov-monitor-inputs.json is illustrative, made up for
 * the synthetic sample.
 *
 * Uses the public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

static void usage(void) {
    fprintf(stderr,
            "usage: pov-monitor [--policy NAME|FILE.json] [--level village|county|both]\n"
            "                   [--year YEAR] [--inputs UNIT_INPUTS.json] [--json] DATA\n"
            "YEAR defaults to the latest year recorded in DATA.\n"
            "embedded policies: national_2016, guangxi_2016 (default)\n");
    exit(2);
}

static int fail(const char *what) {
    const pov_error *e = pov_error_last();
    fprintf(stderr, "pov-monitor: %s: %s", what, pov_error_message(e));
    if (pov_error_source(e)[0])
        fprintf(stderr, " (%s", pov_error_source(e));
    if (pov_error_line(e))
        fprintf(stderr, ":%zu:%zu", pov_error_line(e), pov_error_column(e));
    if (pov_error_source(e)[0])
        fprintf(stderr, ")");
    if (pov_error_path(e)[0])
        fprintf(stderr, " at %s", pov_error_path(e));
    fprintf(stderr, " [%s]\n", pov_strerror(pov_error_code(e)));
    return 1;
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static const char *pct(double v, char *buf, size_t n) {
    if (v != v)
        snprintf(buf, n, "%7s", "n/a");
    else
        snprintf(buf, n, "%6.1f%%", 100 * v);
    return buf;
}

static void print_report(const pov_report *r, int json) {
    char buf[32];
    if (json) {
        char *s = NULL;
        if (pov_report_to_json(r, &s) == 0)
            printf("%s", s);
        pov_free(s);
        return;
    }
    printf("(shares in %%; n/a = undefined, e.g. growth without the previous year)\n");
    printf("%-14s %4s %6s %6s %6s %8s %5s %7s %7s %7s %7s %9s %7s\n", "unit", "year", "hh",
           "people", "poorhh", "incid.", "exits", "school", "insured", "housing", "water",
           "mean inc", "growth");
    for (size_t k = 0; k < pov_report_count(r); k++) {
        printf("%-14s %4d %6.0f %6.0f %6.0f %7.2f%% %5.0f %6.1f%% %6.1f%% %6.1f%% %6.1f%% %9.0f "
               "%s\n",
               pov_report_unit(r, k), pov_report_year(r, k),
               pov_report_value(r, k, POV_REPORT_HOUSEHOLDS),
               pov_report_value(r, k, POV_REPORT_PEOPLE),
               pov_report_value(r, k, POV_REPORT_POOR_HOUSEHOLDS),
               100 * pov_report_value(r, k, POV_REPORT_INCIDENCE),
               pov_report_value(r, k, POV_REPORT_EXITS),
               100 * pov_report_value(r, k, POV_REPORT_EDUCATION_ENROLMENT),
               100 * pov_report_value(r, k, POV_REPORT_MEDICAL_PARTICIPATION),
               100 * pov_report_value(r, k, POV_REPORT_SAFE_HOUSING_SHARE),
               100 * pov_report_value(r, k, POV_REPORT_SAFE_WATER_SHARE),
               pov_report_value(r, k, POV_REPORT_MEAN_INCOME_POOR),
               pct(pov_report_value(r, k, POV_REPORT_INCOME_GROWTH), buf, sizeof buf));
    }
}

int main(int argc, char **argv) {
    const char *policy_name = "guangxi_2016", *level = "both", *inputs_path = NULL,
               *data = NULL;
    int year = 0, json = 0; /* 0: the latest year recorded in the data */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--policy") == 0 && v)
            policy_name = v, i++;
        else if (strcmp(a, "--level") == 0 && v)
            level = v, i++;
        else if (strcmp(a, "--year") == 0 && v)
            year = atoi(v), i++;
        else if (strcmp(a, "--inputs") == 0 && v)
            inputs_path = v, i++;
        else if (strcmp(a, "--json") == 0)
            json = 1;
        else if (a[0] == '-' || data)
            usage();
        else
            data = a;
    }
    if (!data || (strcmp(level, "village") && strcmp(level, "county") && strcmp(level, "both")))
        usage();

    pov_policy *policy = NULL;
    size_t nlen = strlen(policy_name);
    int rc = nlen > 5 && strcmp(policy_name + nlen - 5, ".json") == 0
                 ? pov_policy_load_file(policy_name, NULL, &policy)
                 : pov_policy_default(policy_name, &policy);
    if (rc)
        return fail("policy");

    pov_dataset *ds = NULL;
    if (pov_dataset_read_file(pov_policy_schema(policy), data, POV_FORMAT_AUTO, NULL, &ds, NULL)) {
        pov_policy_free(policy);
        return fail("reading households");
    }
    pov_derive_options opts;
    pov_policy_derive_options(policy, &opts);
    pov_dataset_derive(ds, &opts);
    size_t year_col;
    if (year == 0 && pov_schema_find(pov_dataset_schema(ds), "year", &year_col) == 0) {
        const double *years = pov_dataset_column_number(ds, year_col);
        for (size_t i = 0; i < pov_dataset_count(ds); i++)
            if (years[i] == years[i] && years[i] > year) /* skip NaN (missing) */
                year = (int)years[i];
    }
    if (year == 0) {
        fprintf(stderr, "pov-monitor: the data record no year; give --year\n");
        pov_dataset_free(ds);
        pov_policy_free(policy);
        return 2;
    }

    pov_unit_inputs *inputs = NULL;
    pov_unit_inputs_new(&inputs);
    if (inputs_path) {
        size_t len = 0;
        char *text = read_all(inputs_path, &len);
        if (!text) {
            fprintf(stderr, "pov-monitor: cannot read %s\n", inputs_path);
            rc = 1;
            goto done;
        }
        rc = pov_unit_inputs_load_string(inputs, text, len, inputs_path);
        free(text);
        if (rc) {
            rc = fail("unit inputs");
            goto done;
        }
    }

    if (json)
        printf("{\"policy\":\"%s\",\"year\":%d,\"units\":[", pov_policy_id(policy), year);
    else
        printf("%s — %s\n%zu households, year %d\n\n", pov_policy_id(policy),
               pov_policy_title_en(policy), pov_dataset_count(ds), year);
    int levels[2], nl = 0;
    if (strcmp(level, "county") != 0)
        levels[nl++] = POV_POLICY_VILLAGE;
    if (strcmp(level, "village") != 0)
        levels[nl++] = POV_POLICY_COUNTY;
    for (int k = 0; k < nl; k++) {
        pov_unit_result *r = NULL;
        if (pov_policy_assess_units(policy, ds, levels[k], year, inputs, &r)) {
            rc = fail(levels[k] == POV_POLICY_VILLAGE ? "village assessment"
                                                      : "county assessment");
            goto done;
        }
        char *s = NULL;
        pov_unit_result_to_string(r, !json, &s);
        printf("%s%s", json && k ? "," : "", s ? s : "");
        if (!json)
            printf("\n");
        pov_free(s);
        pov_unit_result_free(r);
    }
    if (json)
        printf("],\"report\":");
    else
        printf("Report indicators (poor = registered poor households):\n");
    pov_report *rep = NULL;
    if (pov_policy_report(policy, ds, levels[0], &rep)) {
        rc = fail("report");
        goto done;
    }
    print_report(rep, json);
    pov_report_free(rep);
    if (json)
        printf("}\n");
done:
    pov_unit_inputs_free(inputs);
    pov_dataset_free(ds);
    pov_policy_free(policy);
    return rc;
}
