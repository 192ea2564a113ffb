/*
 * History-based indicators (docs/data-model.md, "History-based indicators"):
 * income_last_year and assistance_measures, declared by the monitoring
 * policies, are filled when missing from the household's income history
 * (the entry of year - 1) and programme records (those of the year or
 * earlier; none recorded: missing). A value the caller gave is kept. Also:
 * records added after the values were read count at the next read, options
 * of the older, smaller layout are not read past their size, and writers
 * leave filled values out unless asked for derived values.
 *
 * Every expected value is worked out by hand in the comments from the
 * households built here; the monitoring figures follow docs/policy-format.md
 * §14 (2020 range 1.5 × 4000 = 6000 yuan per person, income_drop at a 30 %
 * drop, elimination needs assistance_measures >= 1).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "povmetrics.h"

#define M20 "national_2020_monitoring"
#define M21 "national_2021_monitoring"

static void ok(int r, const char *what) {
    cr_assert_eq(r, 0, "%s: %d %s (%s)", what, r, pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
}

static pov_policy *load(const char *name) {
    pov_policy *p = NULL;
    ok(pov_policy_default(name, &p), name);
    return p;
}

/* A household of @p schema with id and, unless NaN, year. */
static pov_household *hh(const pov_schema *s, const char *id, double year) {
    pov_household *h = NULL;
    ok(pov_household_new(s, &h), "new");
    ok(pov_household_set_id(h, id), "id");
    if (!isnan(year))
        ok(pov_household_set_number(h, "year", year), "year");
    return h;
}

/* Value of a household indicator: asserts presence (NaN want = missing). */
static void expect_h(const pov_household *h, const char *id, double want) {
    double v = -1;
    int r = pov_household_get_number(h, id, &v);
    if (isnan(want)) {
        cr_assert_eq(r, 0, "%s: want missing, got %d (%g)", id, r, v);
        cr_assert(isnan(v));
    } else {
        cr_assert_eq(r, 1, "%s: want %g, got %d", id, want, r);
        cr_assert_eq(v, want, "%s: want %g, got %g", id, want, v);
    }
}

/* Column value of household @p hid in @p ds. */
static double col(const pov_dataset *ds, const char *hid, const char *id) {
    size_t row = 0, k = 0;
    ok(pov_dataset_find(ds, hid, &row), hid);
    ok(pov_schema_find(pov_dataset_schema(ds), id, &k), id);
    const double *c = pov_dataset_column_number(ds, k);
    cr_assert_not_null(c);
    return c[row];
}

static void expect_col(const pov_dataset *ds, const char *hid, const char *id, double want) {
    double v = col(ds, hid, id);
    if (isnan(want))
        cr_assert(isnan(v), "%s.%s: want missing, got %g", hid, id, v);
    else
        cr_assert_eq(v, want, "%s.%s: want %g, got %g", hid, id, want, v);
}

/* ---- income_last_year ------------------------------------------------------ */

Test(derive_history, income_last_year_from_the_year_before) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* year 2020: the 2019 entry (10000) is last year's income; 2018 and the
     * 2020 entry itself are not */
    pov_household *h = hh(s, "a", 2020);
    ok(pov_household_history_add(h, 2018, 8000), "2018");
    ok(pov_household_history_add(h, 2020, 6000), "2020");
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    expect_h(h, "income_last_year", 10000);
    /* a negative income is a valid history value and is taken as is */
    pov_household *g = hh(s, "b", 2016);
    ok(pov_household_history_add(g, 2015, -250.5), "2015");
    expect_h(g, "income_last_year", -250.5);
    /* the same through a dataset */
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append a");
    ok(pov_dataset_append(ds, g), "append b");
    expect_col(ds, "a", "income_last_year", 10000);
    expect_col(ds, "b", "income_last_year", -250.5);
    /* the schema does not mark it derived: the caller may set it */
    size_t k = 0;
    ok(pov_schema_find(s, "income_last_year", &k), "find");
    cr_assert_eq(pov_schema_derived(s, k), 0);
    pov_dataset_free(ds);
    pov_household_free(g);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(derive_history, income_last_year_missing_without_that_entry) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* year 2020, history 2017, 2018, 2020: a gap at 2019 -> missing (no
     * interpolation, no older year) */
    pov_household *h = hh(s, "gap", 2020);
    ok(pov_household_history_add(h, 2017, 9000), "2017");
    ok(pov_household_history_add(h, 2018, 8000), "2018");
    ok(pov_household_history_add(h, 2020, 5000), "2020");
    expect_h(h, "income_last_year", NAN);
    /* no history at all */
    pov_household *e = hh(s, "empty", 2020);
    expect_h(e, "income_last_year", NAN);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    ok(pov_dataset_append(ds, e), "append");
    expect_col(ds, "gap", "income_last_year", NAN);
    expect_col(ds, "empty", "income_last_year", NAN);
    pov_dataset_free(ds);
    pov_household_free(e);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- assistance_measures --------------------------------------------------- */

Test(derive_history, measures_count_records_up_to_the_year) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* year 2020: xiaoe_credit 2018 (before), xiaoe_credit 2020 and relocation
     * 2020 (equal) count, dibao 2021 (after) does not -> 3 */
    pov_household *h = hh(s, "m", 2020);
    ok(pov_household_program_add(h, "xiaoe_credit", 2018), "p1");
    ok(pov_household_program_add(h, "dibao", 2021), "p2");
    ok(pov_household_program_add(h, "xiaoe_credit", 2020), "p3");
    ok(pov_household_program_add(h, "relocation", 2020), "p4");
    expect_h(h, "assistance_measures", 3);
    /* only a later record: the records say none by 2020 -> 0 */
    pov_household *later = hh(s, "later", 2020);
    ok(pov_household_program_add(later, "dibao", 2021), "p");
    expect_h(later, "assistance_measures", 0);
    /* no record at all: missing (not recorded is not "none") */
    pov_household *none = hh(s, "none", 2020);
    expect_h(none, "assistance_measures", NAN);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    ok(pov_dataset_append(ds, later), "append");
    ok(pov_dataset_append(ds, none), "append");
    expect_col(ds, "m", "assistance_measures", 3);
    expect_col(ds, "later", "assistance_measures", 0);
    expect_col(ds, "none", "assistance_measures", NAN);
    pov_dataset_free(ds);
    pov_household_free(none);
    pov_household_free(later);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(derive_history, outside_the_declared_range_stays_missing) {
    pov_policy *p = load(M20);
    /* assistance_measures is declared 0..1000: 1001 records of 2000 or
     * earlier would be 1001 -> not stored */
    pov_household *h = hh(pov_policy_schema(p), "many", 2000);
    char id[16];
    for (int k = 0; k < 1001; k++) {
        snprintf(id, sizeof id, "p%d", k);
        ok(pov_household_program_add(h, id, 2000), id);
    }
    expect_h(h, "assistance_measures", NAN);
    pov_household_free(h);
    pov_policy_free(p);
    /* a schema whose income_last_year has min 0: a negative history entry
     * is not stored */
    static const char doc[] =
        "{\"format\": \"povmetrics.schema/1\", \"indicators\": ["
        "{\"id\": \"income_last_year\", \"level\": \"household\", \"type\": \"number\","
        " \"min\": 0}]}";
    pov_schema *s = NULL;
    ok(pov_schema_load_string(doc, strlen(doc), NULL, &s), "schema");
    h = hh(s, "neg", 2016);
    ok(pov_household_history_add(h, 2015, -10), "2015");
    expect_h(h, "income_last_year", NAN);
    pov_household_free(h);
    h = hh(s, "pos", 2016);
    ok(pov_household_history_add(h, 2015, 10), "2015");
    expect_h(h, "income_last_year", 10);
    pov_household_free(h);
    pov_schema_free(s);
}

Test(derive_history, other_level_or_type_is_left_alone) {
    /* income_last_year as an integer, assistance_measures at member level:
     * not the indicators derive fills */
    static const char doc[] =
        "{\"format\": \"povmetrics.schema/1\", \"indicators\": ["
        "{\"id\": \"income_last_year\", \"level\": \"household\", \"type\": \"integer\"},"
        "{\"id\": \"assistance_measures\", \"level\": \"member\", \"type\": \"integer\"}]}";
    pov_schema *s = NULL;
    ok(pov_schema_load_string(doc, strlen(doc), NULL, &s), "schema");
    pov_household *h = hh(s, "x", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_program_add(h, "dibao", 2019), "p");
    size_t m = 0;
    ok(pov_household_member_add(h, &m), "member");
    expect_h(h, "income_last_year", NAN);
    double v = 0;
    cr_assert_eq(pov_household_member_get_number(h, m, "assistance_measures", &v), 0);
    pov_household_free(h);
    pov_schema_free(s);
}

/* ---- the household's year ---------------------------------------------------- */

Test(derive_history, no_year_keeps_both_missing) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* history and a programme, but no year: nothing to anchor "last year" or
     * "up to the year" -> both missing */
    pov_household *h = hh(s, "ny", NAN);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_history_add(h, 2018, 8000), "2018");
    ok(pov_household_program_add(h, "dibao", 2018), "p");
    expect_h(h, "income_last_year", NAN);
    expect_h(h, "assistance_measures", NAN);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    expect_col(ds, "ny", "income_last_year", NAN);
    expect_col(ds, "ny", "assistance_measures", NAN);
    /* with year 2020: 2019 -> 10000, dibao 2018 -> 1 */
    ok(pov_household_set_number(h, "year", 2020), "year");
    expect_h(h, "income_last_year", 10000);
    expect_h(h, "assistance_measures", 1);
    /* the derived values follow a change of year: 2019 -> history 2018 =
     * 8000, dibao 2018 still counts */
    ok(pov_household_set_number(h, "year", 2019), "year");
    expect_h(h, "income_last_year", 8000);
    expect_h(h, "assistance_measures", 1);
    /* 2018 -> no 2017 entry: missing; 1 record */
    ok(pov_household_set_number(h, "year", 2018), "year");
    expect_h(h, "income_last_year", NAN);
    expect_h(h, "assistance_measures", 1);
    /* 2017: the 2018 record is later -> 0 */
    ok(pov_household_set_number(h, "year", 2017), "year");
    expect_h(h, "assistance_measures", 0);
    /* year removed again: missing */
    ok(pov_household_set_missing(h, "year"), "no year");
    expect_h(h, "income_last_year", NAN);
    expect_h(h, "assistance_measures", NAN);
    pov_dataset_free(ds);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- the caller's values ------------------------------------------------------ */

Test(derive_history, caller_value_is_kept) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    pov_derive_options off;
    pov_derive_options_init(&off);
    off.history_indicators = 0;
    /* history says 10000 and two measures, the caller says 7500 and 0 */
    pov_household *h = hh(s, "c", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_program_add(h, "dibao", 2019), "p1");
    ok(pov_household_program_add(h, "relocation", 2020), "p2");
    ok(pov_household_set_number(h, "income_last_year", 7500), "ily");
    ok(pov_household_set_number(h, "assistance_measures", 0), "am");
    expect_h(h, "income_last_year", 7500);
    expect_h(h, "assistance_measures", 0);
    /* ... and after derive with the switch off and on again */
    ok(pov_household_derive(h, &off), "off");
    expect_h(h, "income_last_year", 7500);
    expect_h(h, "assistance_measures", 0);
    ok(pov_household_derive(h, NULL), "again");
    expect_h(h, "income_last_year", 7500);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    expect_col(ds, "c", "income_last_year", 7500);
    expect_col(ds, "c", "assistance_measures", 0);
    ok(pov_dataset_derive(ds, NULL), "derive");
    expect_col(ds, "c", "income_last_year", 7500);
    expect_col(ds, "c", "assistance_measures", 0);
    pov_dataset_free(ds);
    pov_household_free(h);

    /* a derived value replaced by the caller's, then removed by the caller:
     * derived again */
    h = hh(s, "d", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_program_add(h, "dibao", 2019), "p1");
    expect_h(h, "income_last_year", 10000);
    expect_h(h, "assistance_measures", 1);
    ok(pov_household_set_number(h, "income_last_year", 9000), "ily");
    ok(pov_household_set_number(h, "assistance_measures", 4), "am");
    expect_h(h, "income_last_year", 9000);
    expect_h(h, "assistance_measures", 4);
    /* the caller's values survive a change of year (2021: no 2020 entry) */
    ok(pov_household_set_number(h, "year", 2021), "year");
    expect_h(h, "income_last_year", 9000);
    expect_h(h, "assistance_measures", 4);
    ok(pov_household_set_number(h, "year", 2020), "year");
    ok(pov_household_set_missing(h, "income_last_year"), "missing");
    ok(pov_household_set_missing(h, "assistance_measures"), "missing");
    expect_h(h, "income_last_year", 10000);
    expect_h(h, "assistance_measures", 1);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- copies ----------------------------------------------------------------- */

Test(derive_history, copies_know_which_values_were_derived) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    pov_household *h = hh(s, "a", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_history_add(h, 2020, 12000), "2020");
    expect_h(h, "income_last_year", 10000);
    pov_household *g = hh(s, "b", 2020);
    ok(pov_household_history_add(g, 2019, 10000), "2019");
    ok(pov_household_history_add(g, 2020, 12000), "2020");
    ok(pov_household_set_number(g, "income_last_year", 9999), "given");
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    ok(pov_dataset_append(ds, g), "append");
    /* a copy out of the dataset, moved to 2021: the derived value follows
     * the history (2020 -> 12000), the given one stays */
    pov_household *c = NULL;
    ok(pov_dataset_household(ds, 0, &c), "copy a");
    ok(pov_household_set_number(c, "year", 2021), "year");
    expect_h(c, "income_last_year", 12000);
    pov_household_free(c);
    ok(pov_dataset_household(ds, 1, &c), "copy b");
    ok(pov_household_set_number(c, "year", 2021), "year");
    expect_h(c, "income_last_year", 9999);
    /* pov_household_copy likewise */
    pov_household *c2 = NULL;
    ok(pov_household_copy(h, &c2), "copy");
    ok(pov_household_set_number(c2, "year", 2021), "year");
    expect_h(c2, "income_last_year", 12000);
    pov_household_free(c2);
    pov_household_free(c);
    pov_dataset_free(ds);
    pov_household_free(g);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- records added after the derived values were read -------------------------- */

Test(derive_history, records_added_after_a_read_count) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* year 2020 and no record yet: both missing, and read as such (which
     * brings the derived values up to date) */
    pov_household *h = hh(s, "r", 2020);
    expect_h(h, "income_last_year", NAN);
    expect_h(h, "assistance_measures", NAN);
    /* each record added afterwards counts at the next read, with nothing
     * else set in between: the 2019 entry is last year's income (10000) */
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    expect_h(h, "income_last_year", 10000);
    /* an entry of another year changes nothing: still the 2019 one */
    ok(pov_household_history_add(h, 2018, 8000), "2018");
    expect_h(h, "income_last_year", 10000);
    /* a 2021 record is later than 2020: 0 measures; then 2020: 1 */
    ok(pov_household_program_add(h, "dibao", 2021), "2021");
    expect_h(h, "assistance_measures", 0);
    ok(pov_household_program_add(h, "relocation", 2020), "2020");
    expect_h(h, "assistance_measures", 1);
    /* the JSON writer reads them too: a 2018 record -> 2018 and 2020 count, 2 */
    ok(pov_household_program_add(h, "xiaoe_credit", 2018), "2018");
    char *js = NULL;
    ok(pov_household_to_json(h, POV_JSON_DERIVED, &js), "json");
    cr_assert_not_null(strstr(js, "\"assistance_measures\":2"), "%s", js);
    cr_assert_not_null(strstr(js, "\"income_last_year\":10000"), "%s", js);
    pov_free(js);
    /* a rejected record (2019 again) leaves the values as they are */
    cr_assert_eq(pov_household_history_add(h, 2019, 5), POV_EDUPLICATE);
    expect_h(h, "income_last_year", 10000);
    expect_h(h, "assistance_measures", 2);
    /* a given value stays given when a record comes after it is read */
    pov_household *g = hh(s, "g", 2020);
    ok(pov_household_set_number(g, "income_last_year", 7000), "given");
    expect_h(g, "income_last_year", 7000);
    ok(pov_household_history_add(g, 2019, 10000), "2019");
    expect_h(g, "income_last_year", 7000);
    pov_household_free(g);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- options of the older layout are read up to their size ----------------------- */

Test(derive_history, older_options_are_not_read_past_their_size) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    pov_household *h = hh(s, "a", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    /* a caller built against the header before history_indicators: its
     * options are exactly the fields up to school_age_max, here in a heap
     * block of that size, so that reading past them is a heap overflow
     * (reported by the ASan build and valgrind) */
    size_t old = offsetof(pov_derive_options, history_indicators);
    pov_derive_options def;
    pov_derive_options_init(&def);
    def.size = old;
    def.labour_age_max = 59; /* one changed field, to see the copy was taken */
    pov_derive_options *o = malloc(old);
    cr_assert_not_null(o);
    memcpy(o, &def, old);
    ok(pov_household_derive(h, o), "household, older size");
    ok(pov_dataset_derive(ds, o), "dataset, older size");
    free(o);
    /* history_indicators takes its default (on) for both */
    expect_h(h, "income_last_year", 10000);
    expect_col(ds, "a", "income_last_year", 10000);
    /* and stays on for later recomputations with the kept options */
    ok(pov_household_set_number(h, "year", 2021), "year");
    ok(pov_household_history_add(h, 2020, 9000), "2020");
    expect_h(h, "income_last_year", 9000);
    ok(pov_household_derive(h, NULL), "kept options");
    expect_h(h, "income_last_year", 9000);
    pov_dataset_free(ds);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- writers: values derive filled in are not written as given -------------------- */

/* The whole file at @p path, NUL-terminated. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    cr_assert(n < sizeof buf - 1);
    fclose(f);
    buf[n] = '\0';
    char *out = malloc(n + 1);
    cr_assert_not_null(out);
    memcpy(out, buf, n + 1);
    return out;
}

/* Cell @p col of the CSV record starting at @p line (RFC 4180 quoting) into
 * @p out; returns the start of the next record. */
static const char *csv_cell(const char *line, size_t col, char *out, size_t cap) {
    size_t c = 0, k = 0;
    const char *q = line;
    int quoted = 0;
    out[0] = '\0';
    for (; *q; q++) {
        if (quoted) {
            if (*q == '"' && q[1] == '"')
                q++;
            else if (*q == '"') {
                quoted = 0;
                continue;
            }
        } else if (*q == '"') {
            quoted = 1;
            continue;
        } else if (*q == ',' || *q == '\n') {
            if (*q == '\n')
                break;
            c++;
            continue;
        }
        if (c == col && k + 1 < cap) {
            out[k++] = *q;
            out[k] = '\0';
        }
    }
    return *q ? q + 1 : q;
}

/* Index of column @p name in the CSV header line @p text. */
static size_t csv_col(const char *text, const char *name) {
    char cell[128];
    for (size_t c = 0; c < 200; c++) {
        csv_cell(text, c, cell, sizeof cell);
        if (strcmp(cell, name) == 0)
            return c;
    }
    cr_assert_fail("no column %s", name);
    return 0;
}

/* Cell @p name of CSV record @p rec (1 = the first after the header). */
static void csv_get(const char *text, size_t rec, const char *name, char *out, size_t cap) {
    size_t c = csv_col(text, name);
    const char *line = text;
    for (size_t r = 0; r < rec; r++)
        line = csv_cell(line, 0, out, cap);
    csv_cell(line, c, out, cap);
}

Test(derive_history, writers_leave_filled_values_out) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* f: history {2019: 10000}, dibao 2020 -> filled 10000 and 1;
     * g: the same records, but the caller gives 7000 and 0 */
    pov_household *f = hh(s, "f", 2020);
    ok(pov_household_history_add(f, 2019, 10000), "2019");
    ok(pov_household_program_add(f, "dibao", 2020), "p");
    expect_h(f, "income_last_year", 10000);
    expect_h(f, "assistance_measures", 1);
    pov_household *g = hh(s, "g", 2020);
    ok(pov_household_history_add(g, 2019, 10000), "2019");
    ok(pov_household_program_add(g, "dibao", 2019), "p");
    ok(pov_household_set_number(g, "income_last_year", 7000), "given");
    ok(pov_household_set_number(g, "assistance_measures", 0), "given");
    /* written by hand: id, the indicators present in schema order (year,
     * then the policy's income_last_year and assistance_measures), the
     * history, the programmes; f's filled values are not among them */
    static const char fj[] = "{\"id\":\"f\",\"year\":2020,\"income_history\":{\"2019\":10000},"
                             "\"programs\":[{\"id\":\"dibao\",\"year\":2020}]}";
    static const char gj[] = "{\"id\":\"g\",\"year\":2020,\"income_last_year\":7000,"
                             "\"assistance_measures\":0,\"income_history\":{\"2019\":10000},"
                             "\"programs\":[{\"id\":\"dibao\",\"year\":2019}]}";
    char *js = NULL;
    ok(pov_household_to_json(f, 0, &js), "f");
    cr_assert_str_eq(js, fj);
    pov_free(js);
    ok(pov_household_to_json(g, 0, &js), "g");
    cr_assert_str_eq(js, gj);
    pov_free(js);
    /* with POV_JSON_DERIVED the filled values are written */
    ok(pov_household_to_json(f, POV_JSON_DERIVED, &js), "f derived");
    cr_assert_not_null(strstr(js, ",\"income_last_year\":10000,"), "%s", js);
    cr_assert_not_null(strstr(js, ",\"assistance_measures\":1,"), "%s", js);
    /* ... and read back, they are given: they stay with the switch off */
    pov_derive_options off;
    pov_derive_options_init(&off);
    off.history_indicators = 0;
    pov_household *back = NULL;
    ok(pov_household_from_json(s, js, strlen(js), NULL, &back), "read derived");
    pov_free(js);
    ok(pov_household_derive(back, &off), "off");
    expect_h(back, "income_last_year", 10000);
    expect_h(back, "assistance_measures", 1);
    pov_household_free(back);
    /* without it, read back, f's values are filled again (the switch
     * removes them) and g's stay given */
    ok(pov_household_to_json(f, 0, &js), "f");
    ok(pov_household_from_json(s, js, strlen(js), NULL, &back), "read f");
    pov_free(js);
    expect_h(back, "income_last_year", 10000);
    expect_h(back, "assistance_measures", 1);
    ok(pov_household_derive(back, &off), "off");
    expect_h(back, "income_last_year", NAN);
    expect_h(back, "assistance_measures", NAN);
    pov_household_free(back);

    /* the dataset writers */
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, f), "append f");
    ok(pov_dataset_append(ds, g), "append g");
    char dir[] = "/tmp/pov_derive_history_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char jl[128], ja[128], cs[128];
    snprintf(jl, sizeof jl, "%s/h.jsonl", dir);
    snprintf(ja, sizeof ja, "%s/h.json", dir);
    snprintf(cs, sizeof cs, "%s/h.csv", dir);
    pov_write_options wo;
    pov_write_options_init(&wo);
    wo.sync = 0;
    ok(pov_dataset_write_file(ds, jl, POV_FORMAT_JSONL, &wo), "jsonl");
    ok(pov_dataset_write_file(ds, ja, POV_FORMAT_JSON, &wo), "json");
    ok(pov_dataset_write_file(ds, cs, POV_FORMAT_CSV, &wo), "csv");
    char want[1024];
    snprintf(want, sizeof want, "%s\n%s\n", fj, gj);
    char *text = slurp(jl);
    cr_assert_str_eq(text, want);
    free(text);
    snprintf(want, sizeof want, "[\n%s,\n%s\n]\n", fj, gj);
    text = slurp(ja);
    cr_assert_str_eq(text, want);
    free(text);
    /* CSV: the columns are there; f's cells are empty, g's hold its values */
    text = slurp(cs);
    char cell[128];
    csv_get(text, 1, "household_id", cell, sizeof cell);
    cr_assert_str_eq(cell, "f");
    csv_get(text, 1, "income_last_year", cell, sizeof cell);
    cr_assert_str_eq(cell, "");
    csv_get(text, 1, "assistance_measures", cell, sizeof cell);
    cr_assert_str_eq(cell, "");
    csv_get(text, 1, "income_history", cell, sizeof cell);
    cr_assert_str_eq(cell, "{\"2019\":10000}");
    csv_get(text, 2, "household_id", cell, sizeof cell);
    cr_assert_str_eq(cell, "g");
    csv_get(text, 2, "income_last_year", cell, sizeof cell);
    cr_assert_str_eq(cell, "7000");
    csv_get(text, 2, "assistance_measures", cell, sizeof cell);
    cr_assert_str_eq(cell, "0");
    free(text);
    /* each file read back: f filled again, g given; with the switch off
     * only g's values remain */
    const char *paths[] = {jl, ja, cs};
    for (size_t k = 0; k < 3; k++) {
        pov_dataset *r = NULL;
        ok(pov_dataset_read_file(s, paths[k], POV_FORMAT_AUTO, NULL, &r, NULL), paths[k]);
        expect_col(r, "f", "income_last_year", 10000);
        expect_col(r, "f", "assistance_measures", 1);
        expect_col(r, "g", "income_last_year", 7000);
        expect_col(r, "g", "assistance_measures", 0);
        ok(pov_dataset_derive(r, &off), "off");
        expect_col(r, "f", "income_last_year", NAN);
        expect_col(r, "f", "assistance_measures", NAN);
        expect_col(r, "g", "income_last_year", 7000);
        expect_col(r, "g", "assistance_measures", 0);
        pov_dataset_free(r);
        cr_assert_eq(unlink(paths[k]), 0);
    }
    cr_assert_eq(rmdir(dir), 0);
    pov_dataset_free(ds);
    pov_household_free(g);
    pov_household_free(f);
    pov_policy_free(p);
}

/* ---- the switch ----------------------------------------------------------------- */

Test(derive_history, switch_off_and_on) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    pov_derive_options o;
    pov_derive_options_init(&o);
    cr_assert_eq(o.history_indicators, 1);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    pov_household *h = hh(s, "derived", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_program_add(h, "dibao", 2020), "p");
    ok(pov_dataset_append(ds, h), "append");
    pov_household_free(h);
    h = hh(s, "given", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_household_set_number(h, "income_last_year", 5000), "ily");
    ok(pov_dataset_append(ds, h), "append");
    pov_household_free(h);
    expect_col(ds, "derived", "income_last_year", 10000);
    expect_col(ds, "derived", "assistance_measures", 1);
    /* off: the derived values go, the given one stays */
    o.history_indicators = 0;
    ok(pov_dataset_derive(ds, &o), "off");
    expect_col(ds, "derived", "income_last_year", NAN);
    expect_col(ds, "derived", "assistance_measures", NAN);
    expect_col(ds, "given", "income_last_year", 5000);
    /* the dataset keeps the options for later appends */
    h = hh(s, "later", 2020);
    ok(pov_household_history_add(h, 2019, 3000), "2019");
    ok(pov_dataset_append(ds, h), "append");
    expect_col(ds, "later", "income_last_year", NAN);
    pov_household *c = NULL;
    ok(pov_dataset_household(ds, 0, &c), "copy");
    expect_h(c, "income_last_year", NAN);
    pov_household_free(c);
    /* the household on its own: off */
    ok(pov_household_derive(h, &o), "household off");
    expect_h(h, "income_last_year", NAN);
    pov_household_free(h);
    /* on again */
    o.history_indicators = 1;
    ok(pov_dataset_derive(ds, &o), "on");
    expect_col(ds, "derived", "income_last_year", 10000);
    expect_col(ds, "derived", "assistance_measures", 1);
    expect_col(ds, "given", "income_last_year", 5000);
    expect_col(ds, "later", "income_last_year", 3000);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

Test(derive_history, options_of_the_older_size) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    pov_household *h = hh(s, "a", 2020);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_dataset_append(ds, h), "append");
    /* options that end before history_indicators: the field is not read
     * (here 0) and takes its default, on */
    pov_derive_options o;
    pov_derive_options_init(&o);
    o.history_indicators = 0;
    o.size = offsetof(pov_derive_options, history_indicators);
    ok(pov_dataset_derive(ds, &o), "old size");
    expect_col(ds, "a", "income_last_year", 10000);
    ok(pov_household_derive(h, &o), "old size household");
    expect_h(h, "income_last_year", 10000);
    /* shorter than the first layout: rejected */
    o.size = offsetof(pov_derive_options, school_age_max);
    cr_assert_eq(pov_dataset_derive(ds, &o), POV_EINVAL);
    cr_assert_eq(pov_household_derive(h, &o), POV_EINVAL);
    expect_col(ds, "a", "income_last_year", 10000);
    pov_household_free(h);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- readers ------------------------------------------------------------------ */

/* The three households of every reader test:
 *   h1: year 2020, history {2019: 10000}, dibao 2020       -> 10000, 1
 *   h2: year 2020, given 7000 and 0, history {2019: 10000}, dibao 2019 -> 7000, 0
 *   h3: no year, history {2019: 10000}, dibao 2019         -> missing, missing */
static void expect_readers(const pov_dataset *ds) {
    cr_assert_eq(pov_dataset_count(ds), 3);
    expect_col(ds, "h1", "income_last_year", 10000);
    expect_col(ds, "h1", "assistance_measures", 1);
    expect_col(ds, "h2", "income_last_year", 7000);
    expect_col(ds, "h2", "assistance_measures", 0);
    expect_col(ds, "h3", "income_last_year", NAN);
    expect_col(ds, "h3", "assistance_measures", NAN);
}

/* h2 holds an escaped string, which sends it through the reference JSON path
 * instead of the fast one */
#define REC1 "{\"id\":\"h1\",\"year\":2020,\"income_history\":{\"2019\":10000}," \
             "\"programs\":[{\"id\":\"dibao\",\"year\":2020}],\"members\":[{\"age\":40}]}"
#define REC2 "{\"id\":\"h2\",\"year\":2020,\"income_last_year\":7000,\"assistance_measures\":0," \
             "\"x_note\":\"a \\\"quoted\\\" note\",\"income_history\":{\"2019\":10000}," \
             "\"programs\":[{\"id\":\"dibao\",\"year\":2019}]}"
#define REC3 "{\"id\":\"h3\",\"income_history\":{\"2019\":10000}," \
             "\"programs\":[{\"id\":\"dibao\",\"year\":2019}]}"

Test(derive_history, json_and_jsonl_readers) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    static const char json[] = "[" REC1 ",\n" REC2 ",\n" REC3 "]\n";
    static const char jsonl[] = REC1 "\n" REC2 "\n" REC3 "\n";
    pov_dataset *ds = NULL;
    ok(pov_dataset_read_buffer(s, json, strlen(json), "t.json", POV_FORMAT_JSON, NULL, &ds,
                               NULL), "json");
    expect_readers(ds);
    pov_dataset_free(ds);
    ok(pov_dataset_read_buffer(s, jsonl, strlen(jsonl), "t.jsonl", POV_FORMAT_JSONL, NULL, &ds,
                               NULL), "jsonl");
    expect_readers(ds);
    pov_dataset_free(ds);
    /* one household from JSON */
    pov_household *h = NULL;
    ok(pov_household_from_json(s, REC1, strlen(REC1), NULL, &h), "household");
    expect_h(h, "income_last_year", 10000);
    expect_h(h, "assistance_measures", 1);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(derive_history, csv_reader_with_members) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    static const char households[] =
        "household_id,year,income_last_year,assistance_measures,income_history,programs\n"
        "h1,2020,,,\"{\"\"2019\"\":10000}\",\"[{\"\"id\"\":\"\"dibao\"\",\"\"year\"\":2020}]\"\n"
        "h2,2020,7000,0,\"{\"\"2019\"\":10000}\",\"[{\"\"id\"\":\"\"dibao\"\",\"\"year\"\":2019}]\"\n"
        "h3,,,,\"{\"\"2019\"\":10000}\",\"[{\"\"id\"\":\"\"dibao\"\",\"\"year\"\":2019}]\"\n";
    static const char members[] = "household_id,age\nh1,40\nh3,30\nh3,5\n";
    pov_dataset *ds = NULL;
    ok(pov_dataset_read_csv_buffers(s, households, strlen(households), "h.csv", members,
                                    strlen(members), "m.csv", NULL, &ds, NULL), "csv");
    expect_readers(ds);
    cr_assert_eq(pov_dataset_member_count(ds), 3);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- the policies that read them -------------------------------------------------- */

/* A marginal household of 2020 (not registered, Guangxi) with one working
 * member and no rigid spending; per-capita net income = @p wage. */
static pov_household *monitored(const pov_schema *s, const char *id, double wage) {
    pov_household *h = hh(s, id, 2020);
    ok(pov_household_set_text(h, "province_code", "45"), "province");
    ok(pov_household_set_category(h, "registry_status", "not_registered"), "status");
    size_t m = 0;
    ok(pov_household_member_add(h, &m), "member");
    ok(pov_household_member_set_number(h, m, "age", 30), "age");
    ok(pov_household_member_set_category(h, m, "labour_capacity", "ordinary"), "labour");
    ok(pov_household_set_number(h, "income_wage", wage), "wage");
    static const char *const zero[] = {"exp_medical", "exp_education", "exp_other_rigid",
                                       "disaster_loss", "debt"};
    for (size_t k = 0; k < 5; k++)
        ok(pov_household_set_number(h, zero[k], 0), zero[k]);
    return h;
}

static pov_criterion_result result(const pov_policy *p, const pov_assessment *a, size_t row,
                                   int level, const char *id) {
    size_t c = 0;
    ok(pov_policy_criterion_find(p, level, id, &c), id);
    pov_criterion_result r = {.size = sizeof r};
    ok(pov_assessment_get(a, row, c, &r), "get");
    return r;
}

Test(derive_history, income_drop_fires_from_history) {
    pov_policy *p = load(M20);
    const pov_schema *s = pov_policy_schema(p);
    /* history {2019: 10000}, 2020 per-capita net income 6000: drop
     * (10000 - 6000) / 10000 = 0.4 >= 0.3 -> fires; 6000 is not below the
     * range 6000, so income_drop alone makes the household marginal */
    pov_household *h = monitored(s, "drop", 6000);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    expect_h(h, "per_capita_net_income", 6000);
    pov_assessment *a = NULL;
    ok(pov_policy_monitor_household(p, h, 2020, &a), "monitor");
    pov_criterion_result r = result(p, a, 0, POV_POLICY_MONITORING, "income_drop");
    cr_assert_eq(r.outcome, POV_PASS);
    cr_assert_float_eq(r.value, 0.4, 1e-15);
    cr_assert_eq(r.threshold, 0.3);
    cr_assert_eq(result(p, a, 0, POV_POLICY_MONITORING, "income_below_range").outcome, POV_FAIL);
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_MARGINAL);
    pov_assessment_free(a);
    /* the same with the switch off: last year's income unknown, so the
     * trigger and the group are unknown */
    pov_derive_options o;
    pov_derive_options_init(&o);
    o.history_indicators = 0;
    ok(pov_household_derive(h, &o), "off");
    ok(pov_policy_monitor_household(p, h, 2020, &a), "monitor off");
    cr_assert_eq(result(p, a, 0, POV_POLICY_MONITORING, "income_drop").outcome, POV_UNKNOWN);
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_UNKNOWN);
    pov_assessment_free(a);
    pov_household_free(h);

    /* a dataset: the drop fires for the history household (0.4), not for
     * one whose 2019 income was 8000 ((8000 - 6000) / 8000 = 0.25 < 0.3) */
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    h = monitored(s, "d1", 6000);
    ok(pov_household_history_add(h, 2019, 10000), "2019");
    ok(pov_dataset_append(ds, h), "append");
    pov_household_free(h);
    h = monitored(s, "d2", 6000);
    ok(pov_household_history_add(h, 2019, 8000), "2019");
    ok(pov_dataset_append(ds, h), "append");
    pov_household_free(h);
    ok(pov_policy_monitor_dataset(p, ds, 2020, &a), "monitor ds");
    r = result(p, a, 0, POV_POLICY_MONITORING, "income_drop");
    cr_assert_eq(r.outcome, POV_PASS);
    cr_assert_float_eq(r.value, 0.4, 1e-15);
    r = result(p, a, 1, POV_POLICY_MONITORING, "income_drop");
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_float_eq(r.value, 0.25, 1e-15);
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

Test(derive_history, elimination_measure_from_a_programme_record) {
    pov_policy *q = load(M21);
    const pov_schema *s = pov_policy_schema(q);
    /* Yunnan, monitored marginal, 2024; every elimination criterion met by
     * the values set here, assistance_measures only through the 2023
     * enrolment in dibao -> 1 >= 1 passes and the household is eligible */
    pov_household *h = hh(s, "e", 2024);
    ok(pov_household_set_text(h, "province_code", "53"), "province");
    ok(pov_household_set_category(h, "registry_status", "monitored_marginal"), "status");
    size_t m = 0;
    ok(pov_household_member_add(h, &m), "member");
    ok(pov_household_member_set_number(h, m, "age", 30), "age");
    ok(pov_household_member_set_category(h, m, "labour_capacity", "ordinary"), "labour");
    ok(pov_household_member_set_boolean(h, m, "medical_insurance", 1), "insurance");
    ok(pov_household_member_set_category(h, m, "schooling", "not_applicable"), "school");
    ok(pov_household_set_category(h, "housing_safety", "A"), "housing");
    ok(pov_household_set_boolean(h, "safe_water", 1), "water");
    ok(pov_household_set_number(h, "months_income_above_range", 6), "months above");
    ok(pov_household_set_number(h, "months_since_identification", 6), "months id");
    ok(pov_household_set_boolean(h, "rigid_spending_resolved", 1), "resolved");
    /* without a record the criterion is unknown, hence the household */
    pov_assessment *a = NULL;
    ok(pov_policy_eliminate_household(q, h, 2024, &a), "eliminate");
    cr_assert_eq(result(q, a, 0, POV_POLICY_ELIMINATION, "assistance_measure").outcome,
                 POV_UNKNOWN);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_UNKNOWN);
    pov_assessment_free(a);
    /* a 2025 record only: 0 measures by 2024 -> fails. Adding the record
     * after the assessment above read the derived values is enough: it marks
     * them for recomputing */
    ok(pov_household_program_add(h, "relocation", 2025), "2025");
    ok(pov_policy_eliminate_household(q, h, 2024, &a), "eliminate");
    pov_criterion_result r = result(q, a, 0, POV_POLICY_ELIMINATION, "assistance_measure");
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_eq(r.value, 0);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_FAIL);
    pov_assessment_free(a);
    /* and the 2023 record: 1 -> passes, eligible */
    ok(pov_household_program_add(h, "dibao", 2023), "2023");
    ok(pov_policy_eliminate_household(q, h, 2024, &a), "eliminate");
    r = result(q, a, 0, POV_POLICY_ELIMINATION, "assistance_measure");
    cr_assert_eq(r.outcome, POV_PASS);
    cr_assert_eq(r.value, 1);
    cr_assert_eq(r.threshold, 1);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_PASS);
    pov_assessment_free(a);
    /* the same through a dataset */
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(s, &ds), "ds");
    ok(pov_dataset_append(ds, h), "append");
    ok(pov_policy_eliminate_dataset(q, ds, 2024, &a), "eliminate ds");
    cr_assert_eq(result(q, a, 0, POV_POLICY_ELIMINATION, "assistance_measure").outcome, POV_PASS);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_PASS);
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_household_free(h);
    pov_policy_free(q);
}
