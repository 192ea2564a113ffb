/*
 * Tests of the plan writers of include/povmetrics/program.h:
 * pov_match_household_to_json() and pov_match_write(). The plans of a
 * four-household example are traced by hand (priority, candidate ranking,
 * capacity and budget) and the expected JSON and CSV texts are written out
 * here, including the CSV quoting of a household id with a comma and a quote
 * and of the JSON-array columns; then the error cases and that a failed write
 * leaves nothing at the target and no temporary file beside it.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "povmetrics.h"
#include "risk_fixtures.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = malloc(1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

/* Number of entries of @p dir other than . and .. */
static size_t dir_entries(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* A: industry, lack_funds, capacity 1, cost 100, effect 50 (0.5 per yuan)
 * B: health, illness, only with a chronically ill member, cost 200, effect 12.5
 * C: employment, lack_funds + lack_skills, capacity 5, cost 1000, effect 600 (0.6) */
static const char *PROGS = "{\"format\":\"povmetrics.programs/1\",\"id\":\"w\",\"programs\":["
    "{\"id\":\"A\",\"kind\":\"industry\",\"causes\":[\"lack_funds\"],\"capacity\":1,"
    "\"unit_cost\":100,\"income_effect\":50},"
    "{\"id\":\"B\",\"kind\":\"health\",\"causes\":[\"illness\"],"
    "\"eligibility\":{\"some\":[{\"var\":\"members\"},{\"==\":[{\"var\":\"health\"},\"chronic_illness\"]}]},"
    "\"capacity\":10,\"unit_cost\":200,\"income_effect\":12.5},"
    "{\"id\":\"C\",\"kind\":\"employment\",\"causes\":[\"lack_funds\",\"lack_skills\"],"
    "\"capacity\":5,\"unit_cost\":1000,\"income_effect\":600}]}";

/* Priority = per-capita income: row 1 (800), row 3 (900), row 0 (1000), row 2 (1200). */
static const char *ROWS[] = {
    "{\"id\":\"h1\",\"income_wage\":1000,\"cause_main\":\"lack_funds\","
    "\"cause_other1\":\"lack_skills\",\"members\":[{\"age\":30}]}",
    "{\"id\":\"h\\\"2,x\",\"income_wage\":800,\"cause_main\":\"lack_funds\","
    "\"members\":[{\"age\":30}]}",
    "{\"id\":\"h3\",\"income_wage\":1200,\"cause_main\":\"illness\","
    "\"members\":[{\"age\":30,\"health\":\"chronic_illness\"}]}",
    "{\"id\":\"h4\",\"income_wage\":900,\"cause_main\":\"marriage\",\"members\":[{\"age\":30}]}",
};

#define PA "{\"id\":\"A\",\"kind\":\"industry\",\"unit_cost\":100,\"income_effect\":50}"
#define PB "{\"id\":\"B\",\"kind\":\"health\",\"unit_cost\":200,\"income_effect\":12.5}"
#define PC "{\"id\":\"C\",\"kind\":\"employment\",\"unit_cost\":1000,\"income_effect\":600}"

/* Unlimited budget:
 *  k0 row 1: C and A both address lack_funds (1 need); C has more effect per
 *     yuan -> candidates C, A; takes both (max 2); A is now full.
 *  k1 row 3: marriage, nothing addresses it.
 *  k2 row 0: C addresses 2 needs, A 1 -> C, A; A is full -> C only.
 *  k3 row 2: B (eligible: chronic illness). */
static const char *PLANS[] = {
    "{\"id\":\"h\\\"2,x\",\"index\":1,\"reason\":\"assigned\",\"assigned\":[" PC "," PA "],"
    "\"candidates\":[\"C\",\"A\"]}",
    "{\"id\":\"h4\",\"index\":3,\"reason\":\"no_eligible\",\"assigned\":[],\"candidates\":[]}",
    "{\"id\":\"h1\",\"index\":0,\"reason\":\"assigned\",\"assigned\":[" PC "],"
    "\"candidates\":[\"C\",\"A\"]}",
    "{\"id\":\"h3\",\"index\":2,\"reason\":\"assigned\",\"assigned\":[" PB "],"
    "\"candidates\":[\"B\"]}",
};

/* The same in CSV: JSON fields quoted with their quotes doubled. */
#define QA "{\"\"id\"\":\"\"A\"\",\"\"kind\"\":\"\"industry\"\",\"\"unit_cost\"\":100,\"\"income_effect\"\":50}"
#define QB "{\"\"id\"\":\"\"B\"\",\"\"kind\"\":\"\"health\"\",\"\"unit_cost\"\":200,\"\"income_effect\"\":12.5}"
#define QC "{\"\"id\"\":\"\"C\"\",\"\"kind\"\":\"\"employment\"\",\"\"unit_cost\"\":1000,\"\"income_effect\"\":600}"
static const char *CSV =
    "id,index,reason,assigned,candidates\r\n"
    "\"h\"\"2,x\",1,assigned,\"[" QC "," QA "]\",\"[\"\"C\"\",\"\"A\"\"]\"\r\n"
    "h4,3,no_eligible,[],[]\r\n"
    "h1,0,assigned,\"[" QC "]\",\"[\"\"C\"\",\"\"A\"\"]\"\r\n"
    "h3,2,assigned,\"[" QB "]\",\"[\"\"B\"\"]\"\r\n";

Test(match_write, plans_by_hand) {
    pov_programs *p = load(PROGS);
    pov_dataset *ds = ds_of(ROWS, 4);
    pov_match *m = NULL;
    cr_assert_eq(pov_match_run(p, ds, NULL, NULL, NULL, NULL, &m), 0);
    cr_assert_eq(pov_match_count(m), 4);
    for (size_t k = 0; k < 4; k++) {
        char *js = NULL;
        cr_assert_eq(pov_match_household_to_json(m, p, ds, k, &js), 0, "%s",
                     pov_error_message(pov_error_last()));
        cr_assert_str_eq(js, PLANS[k], "k=%zu", k);
        pov_free(js);
    }

    char dir[] = "/tmp/pov_match_write_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/plans.jsonl", dir);
    cr_assert_eq(pov_match_write(m, p, ds, path, POV_FORMAT_JSONL), 0, "%s",
                 pov_error_message(pov_error_last()));
    char want[4096] = "";
    for (size_t k = 0; k < 4; k++) {
        strcat(want, PLANS[k]);
        strcat(want, "\n");
    }
    char *got = slurp(path, NULL);
    cr_assert_str_eq(got, want);
    free(got);
    cr_assert_eq(unlink(path), 0);

    snprintf(path, sizeof path, "%s/plans.csv", dir);
    cr_assert_eq(pov_match_write(m, p, ds, path, POV_FORMAT_CSV), 0, "%s",
                 pov_error_message(pov_error_last()));
    got = slurp(path, NULL);
    cr_assert_str_eq(got, CSV);
    free(got);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(dir_entries(dir), 0); /* no temporary file left behind */
    cr_assert_eq(rmdir(dir), 0);
    pov_match_free(m);

    /* budget 1500: k0 spends 1100; k2 finds C too dear and A full -> budget */
    pov_match_options o;
    pov_match_options_init(&o);
    o.budget = 1500;
    cr_assert_eq(pov_match_run(p, ds, NULL, NULL, NULL, &o, &m), 0);
    char *js = NULL;
    cr_assert_eq(pov_match_household_to_json(m, p, ds, 2, &js), 0);
    cr_assert_str_eq(js, "{\"id\":\"h1\",\"index\":0,\"reason\":\"budget\",\"assigned\":[],"
                         "\"candidates\":[\"C\",\"A\"]}");
    pov_free(js);
    pov_match_free(m);

    /* a selection: the plans are those of the selected households only */
    uint8_t sel[4] = {0, 0, 1, 0};
    cr_assert_eq(pov_match_run(p, ds, sel, NULL, NULL, NULL, &m), 0);
    cr_assert_eq(pov_match_household_to_json(m, p, ds, 0, &js), 0);
    cr_assert_str_eq(js, PLANS[3]);
    pov_free(js);
    js = (char *)sel;
    cr_assert_eq(pov_match_household_to_json(m, p, ds, 1, &js), POV_ENOTFOUND);
    cr_assert_null(js);
    pov_match_free(m);
    pov_dataset_free(ds);
    pov_programs_free(p);
}

Test(match_write, errors) {
    pov_programs *p = load(PROGS);
    pov_dataset *ds = ds_of(ROWS, 4);
    pov_match *m = NULL;
    cr_assert_eq(pov_match_run(p, ds, NULL, NULL, NULL, NULL, &m), 0);
    char *js = NULL;
    cr_assert_eq(pov_match_household_to_json(NULL, p, ds, 0, &js), POV_EINVAL);
    cr_assert_eq(pov_match_household_to_json(m, NULL, ds, 0, &js), POV_EINVAL);
    cr_assert_eq(pov_match_household_to_json(m, p, NULL, 0, &js), POV_EINVAL);
    cr_assert_eq(pov_match_household_to_json(m, p, ds, 0, NULL), POV_EINVAL);
    cr_assert_eq(pov_match_household_to_json(m, p, ds, 4, &js), POV_ENOTFOUND);
    cr_assert_null(js);

    /* not the program set or dataset of the match (counts differ) */
    const char *two = "{\"format\":\"povmetrics.programs/1\",\"id\":\"2\",\"programs\":["
        "{\"id\":\"A\",\"kind\":\"industry\",\"causes\":[\"lack_funds\"],\"unit_cost\":1},"
        "{\"id\":\"C\",\"kind\":\"employment\",\"causes\":[\"lack_funds\"],\"unit_cost\":1}]}";
    pov_programs *p2 = load(two);
    pov_dataset *ds3 = ds_of(ROWS, 3);
    cr_assert_eq(pov_match_household_to_json(m, p2, ds, 0, &js), POV_EINVAL);
    cr_assert(strstr(pov_error_message(pov_error_last()), "3 programs"), "%s",
              pov_error_message(pov_error_last()));
    cr_assert_eq(pov_match_household_to_json(m, p, ds3, 0, &js), POV_EINVAL);
    cr_assert(strstr(pov_error_message(pov_error_last()), "4 households"), "%s",
              pov_error_message(pov_error_last()));
    cr_assert_null(js);

    char dir[] = "/tmp/pov_match_write_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/plans.csv", dir);
    cr_assert_eq(pov_match_write(m, p2, ds, path, POV_FORMAT_CSV), POV_EINVAL);
    cr_assert_eq(pov_match_write(m, p, ds3, path, POV_FORMAT_CSV), POV_EINVAL);
    cr_assert_eq(pov_match_write(NULL, p, ds, path, POV_FORMAT_CSV), POV_EINVAL);
    cr_assert_eq(pov_match_write(m, p, ds, NULL, POV_FORMAT_CSV), POV_EINVAL);
    cr_assert_eq(pov_match_write(m, p, ds, "", POV_FORMAT_CSV), POV_EINVAL);
    int formats[] = {POV_FORMAT_AUTO, POV_FORMAT_JSON, 99, -1};
    for (size_t f = 0; f < 4; f++)
        cr_assert_eq(pov_match_write(m, p, ds, path, formats[f]), POV_EINVAL, "format %d",
                     formats[f]);
    cr_assert_eq(dir_entries(dir), 0);

    /* unwritable: a directory that does not exist */
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no/such/dir/plans.jsonl", dir);
    cr_assert_eq(pov_match_write(m, p, ds, missing, POV_FORMAT_JSONL), POV_EIO);
    cr_assert_str_eq(pov_error_source(pov_error_last()), missing);
    cr_assert_eq(dir_entries(dir), 0);

    /* the rename fails (the target is a directory): the temporary file is
     * removed and the target is as it was (works as root too) */
    char target[160];
    snprintf(target, sizeof target, "%s/plans.jsonl", dir);
    cr_assert_eq(mkdir(target, 0700), 0);
    cr_assert_eq(pov_match_write(m, p, ds, target, POV_FORMAT_JSONL), POV_EIO);
    cr_assert_str_eq(pov_error_source(pov_error_last()), target);
    cr_assert_eq(dir_entries(dir), 1); /* only the directory plans.jsonl */
    struct stat st;
    cr_assert_eq(stat(target, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    cr_assert_eq(dir_entries(target), 0);
    cr_assert_eq(rmdir(target), 0);

    /* a file already at the path is kept when the arguments are bad, and
     * replaced on success */
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("old\n", f);
    fclose(f);
    cr_assert_eq(pov_match_write(m, p2, ds, path, POV_FORMAT_CSV), POV_EINVAL);
    char *got = slurp(path, NULL);
    cr_assert_str_eq(got, "old\n");
    free(got);
    cr_assert_eq(pov_match_write(m, p, ds, path, POV_FORMAT_CSV), 0);
    got = slurp(path, NULL);
    cr_assert_str_eq(got, CSV);
    free(got);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(dir_entries(dir), 0);
    cr_assert_eq(rmdir(dir), 0);

    pov_programs_free(p2);
    pov_dataset_free(ds3);
    pov_match_free(m);
    pov_dataset_free(ds);
    pov_programs_free(p);
}
