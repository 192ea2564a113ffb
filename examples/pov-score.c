/*
 * pov-score — score a household file with a scorecard and identify the poor
 * households: per-household results as JSON Lines or CSV, and a per-unit
 * summary with a text histogram of scores.
 *
 *   pov-score [options] HOUSEHOLDS [MEMBERS.csv]
 *
 *   -c FILE      scorecard file (povmetrics.scorecard/1)
 *   -d NAME      embedded scorecard (guangxi_style_2015 (default), ppi_style)
 *   -s           strict mode: a missing input is an error (default: lenient)
 *   -o FILE      write per-household results (.jsonl or .csv by extension)
 *   -l LEVEL     summary level: village (default) or county
 *   -t CUTOFF    override the scorecard's cut-off
 *   -e ID        print the explanation of household ID
 *
 * HOUSEHOLDS is .json, .jsonl or .csv (with an optional members CSV). Uses the
 * public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "povmetrics.h"

static int fail(const char *what) {
    const pov_error *e = pov_error_last();
    fprintf(stderr, "pov-score: %s: %s", what, pov_error_message(e));
    if (pov_error_source(e)[0])
        fprintf(stderr, " (%s", pov_error_source(e));
    if (pov_error_line(e))
        fprintf(stderr, ", line %zu, column %zu", pov_error_line(e), pov_error_column(e));
    if (pov_error_source(e)[0])
        fprintf(stderr, ")");
    if (pov_error_path(e)[0])
        fprintf(stderr, " at %s", pov_error_path(e));
    fprintf(stderr, "\n");
    return 1;
}

static void usage(void) {
    fprintf(stderr,
            "usage: pov-score [-c SCORECARD.json | -d NAME] [-s] [-o OUT.jsonl|OUT.csv]\n"
            "                 [-l village|county] [-t CUTOFF] [-e HOUSEHOLD_ID] HOUSEHOLDS [MEMBERS.csv]\n");
}

int main(int argc, char **argv) {
    const char *card_file = NULL, *card_name = NULL, *out_path = NULL, *explain_id = NULL;
    int strict = 0, level = POV_UNIT_VILLAGE;
    double cutoff = NAN;
    int opt;
    while ((opt = getopt(argc, argv, "c:d:so:l:t:e:h")) != -1) {
        switch (opt) {
        case 'c': card_file = optarg; break;
        case 'd': card_name = optarg; break;
        case 's': strict = 1; break;
        case 'o': out_path = optarg; break;
        case 'l':
            if (strcmp(optarg, "county") == 0)
                level = POV_UNIT_COUNTY;
            else if (strcmp(optarg, "village") != 0) {
                usage();
                return 2;
            }
            break;
        case 't': cutoff = strtod(optarg, NULL); break;
        case 'e': explain_id = optarg; break;
        default: usage(); return opt == 'h' ? 0 : 2;
        }
    }
    if (optind >= argc) {
        usage();
        return 2;
    }
    const char *input = argv[optind];
    const char *members = optind + 1 < argc ? argv[optind + 1] : NULL;

    pov_scorecard *sc = NULL;
    if (card_file ? pov_scorecard_load_file(card_file, &sc) : pov_scorecard_default(card_name, &sc))
        return fail("cannot load the scorecard");

    pov_read_options ro;
    pov_read_options_init(&ro);
    ro.members_path = members;
    pov_dataset *ds = NULL;
    if (pov_dataset_read_file(pov_scorecard_schema(sc), input, POV_FORMAT_AUTO, &ro, &ds, NULL)) {
        pov_scorecard_free(sc);
        return fail("cannot read the households");
    }

    pov_score_options so;
    pov_score_options_init(&so);
    so.mode = strict ? POV_SCORE_STRICT : POV_SCORE_LENIENT;
    pov_score_result *res = NULL;
    int rc = 0;
    if (pov_scorecard_score(sc, ds, &so, &res)) {
        rc = fail("cannot score");
        goto out;
    }
    pov_identify_options io;
    pov_identify_options_init(&io);
    io.cutoff = cutoff;
    io.level = level;
    pov_identification *id = NULL;
    if (pov_score_result_identify(res, &io, &id)) {
        rc = fail("cannot identify");
        goto out;
    }
    if (out_path) {
        int fmt = pov_format_from_path(out_path);
        if (fmt != POV_FORMAT_JSONL && fmt != POV_FORMAT_CSV) {
            fprintf(stderr, "pov-score: %s: write .jsonl or .csv\n", out_path);
            rc = 2;
        } else if (pov_score_result_write(res, out_path, fmt)) {
            rc = fail("cannot write the results");
        }
    }

    size_t n = pov_score_result_count(res);
    const double *adj = pov_score_result_adjusted(res);
    const int32_t *st = pov_identification_statuses(id);
    printf("Scorecard %s %s: %s\n", pov_scorecard_id(sc), pov_scorecard_version(sc),
           pov_scorecard_title(sc));
    printf("%zu households scored (%s mode); higher score = better off\n\n", n,
           strict ? "strict" : "lenient");
    printf("%-16s %10s %8s %10s %8s %7s %8s\n", level == POV_UNIT_COUNTY ? "county" : "village",
           "households", "people", "identified", "people", "vetoed", "review");
    size_t tot_id = 0, tot_v = 0, tot_hh = 0;
    for (size_t u = 0; u < pov_identification_unit_count(id); u++) {
        const char *code;
        pov_unit_counts c = {.size = sizeof c};
        pov_identification_unit(id, u, &code, &c);
        printf("%-16s %10zu %8.0f %10zu %8.0f %7zu %8zu\n", code[0] ? code : "(none)", c.households,
               c.people, c.identified, c.identified_people, c.vetoed, c.review);
        tot_id += c.identified;
        tot_v += c.vetoed;
        tot_hh += c.households;
    }
    printf("%-16s %10zu %8s %10zu %8s %7zu\n\n", "total", tot_hh, "", tot_id, "", tot_v);

    /* histogram of adjusted scores in bins of a tenth of the maximum */
    double maxt = pov_scorecard_max_total(sc);
    double width = maxt > 0 ? maxt / 10 : 10;
    size_t bins[11] = {0}, peak = 1;
    for (size_t i = 0; i < n; i++) {
        int b = (int)floor(adj[i] / width);
        b = b < 0 ? 0 : b > 10 ? 10 : b;
        bins[b]++;
    }
    for (int b = 0; b < 11; b++)
        if (bins[b] > peak)
            peak = bins[b];
    printf("Scores (adjusted)\n");
    for (int b = 0; b < 11; b++) {
        if (b == 10 && bins[b] == 0)
            break;
        printf("  %5.1f–%-5.1f %6zu ", b * width, (b + 1) * width, bins[b]);
        int len = (int)(50.0 * (double)bins[b] / (double)peak + 0.5);
        for (int k = 0; k < len; k++)
            fputs("█", stdout);
        putchar('\n');
    }
    double rate;
    if (pov_score_result_poverty_rate(res, &rate) == 0)
        printf("\nPoverty rate (mean of PPI likelihoods): %.1f%%\n", 100 * rate);

    if (explain_id) {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(pov_score_result_household_id(res, i), explain_id) == 0)
                break;
        if (i == n) {
            fprintf(stderr, "pov-score: no household %s\n", explain_id);
            rc = 1;
        } else {
            char *txt = NULL;
            if (pov_score_result_explain(res, i, POV_EXPLAIN_TEXT, &txt) == 0) {
                printf("\n%s", txt);
                printf("Status: %s%s\n",
                       st[i] == POV_IDENT_IDENTIFIED ? "identified"
                       : st[i] == POV_IDENT_VETOED   ? "vetoed"
                                                     : "not identified",
                       pov_identification_review(id, i) == 1 ? " (on the review list)" : "");
                pov_free(txt);
            }
        }
    }
    pov_identification_free(id);
out:
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
    return rc;
}
