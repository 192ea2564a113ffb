/*
 * Tests of monitoring classification and risk elimination under a policy
 * (include/povmetrics/policy.h, docs/policy-format.md §12–§13).
 *
 * Expected values are hand-computed from domain.md §4/§5 and the households
 * built here: 2020 line 4000 (national_2016), so the 2020 monitoring range
 * is 1.5 × 4000 = 6000 yuan per person; Yunnan's 2024 range is 8700.
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

#define M20 "national_2020_monitoring"
#define M21 "national_2021_monitoring"

static void ok(int r, const char *what) {
    cr_assert_eq(r, 0, "%s: %s (%s)", what, pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
}

static pov_policy *load_default(const char *name) {
    pov_policy *p = NULL;
    ok(pov_policy_default(name, &p), name);
    return p;
}

static void load_bad(const char *json, int code, const char *path) {
    pov_policy *p = NULL;
    int r = pov_policy_load_string(json, strlen(json), "t.json", NULL, &p);
    cr_assert_eq(r, code, "got %d (%s at %s), want %d", r, pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()), code);
    cr_assert_null(p);
    cr_assert_str_eq(pov_error_path(pov_error_last()), path);
}

static size_t crit(const pov_policy *p, int level, const char *id) {
    size_t k = 0;
    ok(pov_policy_criterion_find(p, level, id, &k), id);
    return k;
}

typedef struct spec {
    const char *status;    /* registry_status, NULL: missing */
    const char *province;
    int size;              /* members aged 30, ordinary labour (0 labour when !labour) */
    int labour;
    double wage;           /* household wage income; NaN: missing */
    double medical, education, other_rigid, disaster; /* NaN: missing */
    double last_year;      /* income_last_year; NaN: missing */
} spec;

static const spec BASE = {"not_registered", "45", 1, 1, 10000, 0, 0, 0, 0, 10000};

static void set_num(pov_household *h, const char *id, double v) {
    if (!isnan(v))
        ok(pov_household_set_number(h, id, v), id);
}

static pov_household *make(const pov_policy *p, const char *id, const spec *s) {
    pov_household *h = NULL;
    ok(pov_household_new(pov_policy_schema(p), &h), "new");
    ok(pov_household_set_id(h, id), "id");
    ok(pov_household_set_text(h, "province_code", s->province), "province");
    if (s->status)
        ok(pov_household_set_category(h, "registry_status", s->status), "status");
    for (int m = 0; m < s->size; m++) {
        size_t k;
        ok(pov_household_member_add(h, &k), "member");
        ok(pov_household_member_set_number(h, k, "age", 30), "age");
        ok(pov_household_member_set_category(h, k, "labour_capacity",
                                             s->labour ? "ordinary" : "lost"), "labour");
        ok(pov_household_member_set_boolean(h, k, "medical_insurance", 1), "insurance");
        ok(pov_household_member_set_category(h, k, "schooling", "not_applicable"), "school");
    }
    set_num(h, "income_wage", s->wage);
    set_num(h, "exp_medical", s->medical);
    set_num(h, "exp_education", s->education);
    set_num(h, "exp_other_rigid", s->other_rigid);
    set_num(h, "disaster_loss", s->disaster);
    set_num(h, "income_last_year", s->last_year);
    ok(pov_household_set_number(h, "debt", 0), "debt");
    ok(pov_household_set_category(h, "housing_safety", "A"), "housing");
    ok(pov_household_set_boolean(h, "safe_water", 1), "water");
    return h;
}

/* Classifies one household: returns its group; *a receives the result. */
static int classify(const pov_policy *p, const spec *s, int year, pov_assessment **a) {
    pov_household *h = make(p, "h1", s);
    ok(pov_policy_monitor_household(p, h, year, a), "monitor");
    pov_household_free(h);
    cr_assert_eq(pov_assessment_count(*a), 1);
    cr_assert_eq(pov_assessment_level(*a), POV_POLICY_MONITORING);
    return pov_assessment_groups(*a)[0];
}

static int trigger(const pov_policy *p, const pov_assessment *a, const char *id,
                   pov_criterion_result *r) {
    pov_criterion_result tmp = {.size = sizeof tmp};
    if (!r)
        r = &tmp;
    r->size = sizeof *r;
    ok(pov_assessment_get(a, 0, crit(p, POV_POLICY_MONITORING, id), r), "get");
    return r->outcome;
}

/* ---- the embedded policies -------------------------------------------------- */

Test(monitoring, defaults) {
    cr_assert_eq(pov_policy_default_count(), 4);
    cr_assert_str_eq(pov_policy_default_name(2), M20);
    cr_assert_str_eq(pov_policy_default_name(3), M21);
    pov_policy *p = load_default(M20), *q = load_default(M21);
    cr_assert_str_eq(pov_policy_inherits(p), "national_2016");
    cr_assert_str_eq(pov_policy_inherits(q), M20);
    /* the nine risk types of domain.md §4 */
    cr_assert_eq(pov_policy_reason_count(p), 9);
    cr_assert_str_eq(pov_policy_reason(p, 0), "illness");
    cr_assert_str_eq(pov_policy_reason(p, 8), "other");
    cr_assert_null(pov_policy_reason(p, 9));
    cr_assert_eq(pov_policy_reason_count(q), 9);
    /* 2020: two groups; 2021: three */
    cr_assert_eq(pov_policy_group_defined(p, POV_GROUP_UNSTABLE_EXITED), 1);
    cr_assert_eq(pov_policy_group_defined(p, POV_GROUP_MARGINAL), 1);
    cr_assert_eq(pov_policy_group_defined(p, POV_GROUP_SUDDEN_HARDSHIP), 0);
    cr_assert_eq(pov_policy_group_defined(q, POV_GROUP_SUDDEN_HARDSHIP), 1);
    cr_assert_eq(pov_policy_group_defined(q, 0), POV_EINVAL);
    cr_assert_eq(pov_policy_group_defined(q, 4), POV_EINVAL);
    cr_assert_eq(pov_policy_group_defined(NULL, 1), POV_EINVAL);
    /* triggers: reasons and groups; the 2021 overrides move the rigid-spending
     * triggers from the marginal group to sudden hardship */
    size_t inc = crit(p, POV_POLICY_MONITORING, "income_below_range");
    cr_assert_str_eq(pov_policy_trigger_reason(p, inc), "");
    cr_assert_eq(pov_policy_trigger_groups(p, inc), 3u);
    size_t med = crit(p, POV_POLICY_MONITORING, "rigid_medical");
    cr_assert_str_eq(pov_policy_trigger_reason(p, med), "illness");
    cr_assert_eq(pov_policy_trigger_groups(p, med), 3u);
    cr_assert_eq(pov_policy_trigger_groups(q, crit(q, POV_POLICY_MONITORING, "rigid_medical")),
                 5u);
    cr_assert_str_eq(
        pov_policy_trigger_reason(q, crit(q, POV_POLICY_MONITORING, "labour_loss")),
        "lack_of_labour");
    cr_assert_null(pov_policy_trigger_reason(p, 999));
    cr_assert_eq(pov_policy_trigger_groups(p, 999), 0u);
    cr_assert_eq(pov_policy_criterion_count(p, POV_POLICY_ELIMINATION), 0);
    cr_assert_eq(pov_policy_criterion_count(q, POV_POLICY_ELIMINATION), 9);
    /* thresholds: 1.5 × the 2020 line 4000 = 6000; Yunnan 8700 in 2024 */
    double t;
    ok(pov_policy_threshold(p, POV_POLICY_MONITORING, inc, 0, 2020, NULL, &t), "thr");
    cr_assert_float_eq(t, 6000.0, 1e-9);
    ok(pov_policy_threshold(p, POV_POLICY_MONITORING, inc, 0, 2016, NULL, &t), "thr 2016");
    cr_assert_float_eq(t, 1.5 * 2952, 1e-9);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_MONITORING, inc, 0, 2018, NULL, &t),
                 POV_ENOTFOUND); /* no 2018 line */
    size_t inc21 = crit(q, POV_POLICY_MONITORING, "income_below_range");
    ok(pov_policy_threshold(q, POV_POLICY_MONITORING, inc21, 0, 2025, "530102", &t), "yn");
    cr_assert_float_eq(t, 8700.0, 1e-9);
    cr_assert_eq(pov_policy_threshold(q, POV_POLICY_MONITORING, inc21, 0, 2023, "53", &t),
                 POV_ENOTFOUND);
    cr_assert_eq(pov_policy_threshold(q, POV_POLICY_MONITORING, inc21, 0, 2024, "45", &t),
                 POV_ENOTFOUND);
    cr_assert_str_eq(pov_monitor_group_name(POV_GROUP_MARGINAL), "marginal");
    cr_assert_str_eq(pov_monitor_group_name(POV_GROUP_UNKNOWN), "unknown");
    cr_assert_null(pov_monitor_group_name(5));
    cr_assert_null(pov_monitor_group_name(-1));
    /* the resolved document keeps the sections */
    char *json = NULL;
    ok(pov_policy_to_json(q, &json), "to_json");
    cr_assert(strstr(json, "\"monitoring_groups\""));
    cr_assert(strstr(json, "\"risk_elimination\""));
    pov_policy *back = NULL;
    ok(pov_policy_load_string(json, strlen(json), "resolved", NULL, &back), "reload");
    cr_assert_eq(pov_policy_criterion_count(back, POV_POLICY_MONITORING),
                 pov_policy_criterion_count(q, POV_POLICY_MONITORING));
    cr_assert_eq(pov_policy_group_defined(back, POV_GROUP_SUDDEN_HARDSHIP), 1);
    pov_policy_free(back);
    pov_free(json);
    pov_policy_free(p);
    pov_policy_free(q);
}

/* ---- thresholds ----------------------------------------------------------------- */

Test(monitoring, income_at_one_and_a_half_lines) {
    pov_policy *p = load_default(M20);
    pov_assessment *a = NULL;
    spec s = BASE;
    s.wage = 6000; /* exactly 1.5 × 4000: "below" does not hold */
    s.last_year = 6000;
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_NONE);
    pov_criterion_result r;
    cr_assert_eq(trigger(p, a, "income_below_range", &r), POV_FAIL);
    cr_assert_float_eq(r.value, 6000.0, 1e-9);
    cr_assert_float_eq(r.threshold, 6000.0, 1e-9);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_FAIL);
    pov_assessment_free(a);
    s.wage = 5999.99;
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_MARGINAL);
    cr_assert_eq(trigger(p, a, "income_below_range", &r), POV_PASS);
    cr_assert_float_eq(r.margin, 6000.0 - 5999.99, 1e-9);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_PASS);
    pov_assessment_free(a);
    /* two people: 11999 / 2 = 5999.5 per person */
    s.size = 2;
    s.wage = 11999;
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_MARGINAL);
    pov_assessment_free(a);
    /* an exited household with the same income: unstable exited */
    s.status = "exited";
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_UNSTABLE_EXITED);
    pov_assessment_free(a);
    /* a registered poor household is in neither group */
    s.status = "poor";
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_NONE);
    pov_assessment_free(a);
    /* 2018 has no poverty line: an error naming the year */
    pov_household *h = make(p, "h1", &s);
    cr_assert_eq(pov_policy_monitor_household(p, h, 2018, &a), POV_ENOTFOUND);
    cr_assert_null(a);
    cr_assert(strstr(pov_error_message(pov_error_last()), "2018"));
    cr_assert(strstr(pov_error_message(pov_error_last()), "income_below_range"));
    pov_household_free(h);
    pov_policy_free(p);
}

Test(monitoring, income_drop_at_the_share) {
    pov_policy *p = load_default(M20);
    pov_assessment *a = NULL;
    spec s = BASE;
    s.last_year = 10000;
    s.wage = 7000; /* (10000 - 7000) / 10000 = 0.3: ">= 0.3" fires */
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_MARGINAL);
    pov_criterion_result r;
    cr_assert_eq(trigger(p, a, "income_drop", &r), POV_PASS);
    cr_assert_float_eq(r.value, 0.3, 1e-12);
    cr_assert_eq(trigger(p, a, "income_below_range", NULL), POV_FAIL); /* 7000 > 6000 */
    char *json = NULL;
    ok(pov_assessment_to_json(a, 0, &json), "json");
    cr_assert(strstr(json, "\"group\":\"marginal\""), "%s", json);
    cr_assert(strstr(json, "\"reasons\":[\"other\"]"), "%s", json);
    cr_assert(strstr(json, "\"monitored\":\"pass\""), "%s", json);
    pov_free(json);
    pov_assessment_free(a);
    s.wage = 7001; /* 0.2999 */
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_NONE);
    cr_assert_eq(trigger(p, a, "income_drop", &r), POV_FAIL);
    cr_assert_float_eq(r.value, 0.2999, 1e-12);
    pov_assessment_free(a);
    /* last year's income 0: the share is missing, so unknown */
    s.last_year = 0;
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_UNKNOWN);
    cr_assert_eq(trigger(p, a, "income_drop", NULL), POV_UNKNOWN);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_UNKNOWN);
    pov_assessment_free(a);
    pov_policy_free(p);
}

Test(monitoring, rigid_spending_equal_to_income) {
    pov_policy *p = load_default(M20);
    pov_assessment *a = NULL;
    spec s = BASE;
    s.wage = 8000;
    s.last_year = 8000;
    s.medical = 5000;
    s.education = 3000; /* 8000 = income: "above" does not hold */
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_NONE);
    pov_criterion_result r;
    cr_assert_eq(trigger(p, a, "rigid_medical", &r), POV_FAIL);
    cr_assert_float_eq(r.value, 0.0, 1e-9);
    cr_assert_float_eq(r.threshold, 0.0, 1e-9);
    pov_assessment_free(a);
    s.education = 3001; /* one yuan above: both components are named */
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_MARGINAL);
    cr_assert_eq(trigger(p, a, "rigid_medical", &r), POV_PASS);
    cr_assert_float_eq(r.value, 1.0, 1e-9);
    cr_assert_eq(trigger(p, a, "rigid_schooling", NULL), POV_PASS);
    cr_assert_eq(trigger(p, a, "rigid_disaster", NULL), POV_FAIL); /* no disaster loss */
    char *json = NULL;
    ok(pov_assessment_to_json(a, 0, &json), "json");
    cr_assert(strstr(json, "\"reasons\":[\"illness\",\"schooling\"]"), "%s", json);
    pov_free(json);
    pov_assessment_free(a);
    /* 2021: the same household (above Yunnan's 8700) is in sudden hardship */
    pov_policy *q = load_default(M21);
    s.province = "53";
    s.wage = 9000;
    s.last_year = 9000;
    s.medical = 9001;
    s.education = 0;
    cr_assert_eq(classify(q, &s, 2024, &a), POV_GROUP_SUDDEN_HARDSHIP);
    cr_assert_eq(trigger(q, a, "income_below_range", NULL), POV_FAIL);
    pov_assessment_free(a);
    /* precedence: an exited household with the same shock is unstable exited */
    s.status = "exited";
    cr_assert_eq(classify(q, &s, 2024, &a), POV_GROUP_UNSTABLE_EXITED);
    pov_assessment_free(a);
    /* 2021 marginal: income 8699 < 8700, no shock */
    s.status = "not_registered";
    s.medical = 0;
    s.wage = 8699;
    s.last_year = 8699;
    cr_assert_eq(classify(q, &s, 2025, &a), POV_GROUP_MARGINAL);
    pov_assessment_free(a);
    s.wage = 8700;
    s.last_year = 8700;
    cr_assert_eq(classify(q, &s, 2025, &a), POV_GROUP_NONE);
    pov_assessment_free(a);
    /* outside Yunnan, or in 2023, no range is given: an error, not "none" */
    pov_household *h = make(q, "h9", &s);
    cr_assert_eq(pov_policy_monitor_household(q, h, 2023, &a), POV_ENOTFOUND);
    cr_assert(strstr(pov_error_message(pov_error_last()), "2023"));
    pov_household_free(h);
    s.province = "45";
    h = make(q, "h9", &s);
    cr_assert_eq(pov_policy_monitor_household(q, h, 2024, &a), POV_ENOTFOUND);
    cr_assert(strstr(pov_error_message(pov_error_last()), "h9"));
    pov_household_free(h);
    pov_policy_free(q);
    pov_policy_free(p);
}

Test(monitoring, shocks_2021) {
    pov_policy *q = load_default(M21);
    pov_assessment *a = NULL;
    spec s = BASE;
    s.province = "53";
    s.labour = 0; /* labour_count 0 */
    cr_assert_eq(classify(q, &s, 2024, &a), POV_GROUP_SUDDEN_HARDSHIP);
    cr_assert_eq(trigger(q, a, "labour_loss", NULL), POV_PASS);
    char *json = NULL;
    ok(pov_assessment_to_json(a, 0, &json), "json");
    cr_assert(strstr(json, "\"reasons\":[\"lack_of_labour\"]"), "%s", json);
    pov_free(json);
    pov_assessment_free(a);
    s.labour = 1;
    pov_household *h = make(q, "h1", &s);
    ok(pov_household_set_category(h, "housing_safety", "C"), "grade");
    ok(pov_policy_monitor_household(q, h, 2024, &a), "monitor");
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_SUDDEN_HARDSHIP);
    cr_assert_eq(trigger(q, a, "unsafe_housing", NULL), POV_PASS);
    pov_assessment_free(a);
    ok(pov_household_set_category(h, "housing_safety", "B"), "grade");
    ok(pov_household_set_boolean(h, "safe_water", 0), "water");
    ok(pov_policy_monitor_household(q, h, 2024, &a), "monitor");
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_SUDDEN_HARDSHIP);
    cr_assert_eq(trigger(q, a, "unsafe_water", NULL), POV_PASS);
    cr_assert_eq(trigger(q, a, "unsafe_housing", NULL), POV_FAIL);
    pov_assessment_free(a);
    pov_household_free(h);
    pov_policy_free(q);
}

/* ---- missing data -------------------------------------------------------------- */

Test(monitoring, missing_is_unknown) {
    pov_policy *p = load_default(M20);
    pov_assessment *a = NULL;
    spec s = BASE;
    s.wage = NAN; /* no income recorded: income trigger unknown */
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_UNKNOWN);
    cr_assert_eq(trigger(p, a, "income_below_range", NULL), POV_UNKNOWN);
    pov_assessment_free(a);
    /* missing registry status: which group is unknown */
    s = BASE;
    s.wage = 5000;
    s.status = NULL;
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_UNKNOWN);
    cr_assert_eq(trigger(p, a, "income_below_range", NULL), POV_PASS);
    pov_assessment_free(a);
    /* a fired trigger does not hide an unknown group before it... */
    s.status = "not_registered";
    s.medical = NAN; /* rigid_medical unknown, income fires anyway */
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_MARGINAL);
    cr_assert_eq(trigger(p, a, "rigid_medical", NULL), POV_UNKNOWN);
    pov_assessment_free(a);
    /* ...but an unknown trigger with nothing fired is unknown, never none */
    s.wage = 9000;
    s.last_year = 9000;
    cr_assert_eq(classify(p, &s, 2020, &a), POV_GROUP_UNKNOWN);
    pov_assessment_free(a);
    /* a dataset on the core schema lacks income_last_year: unknown */
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(pov_schema_core(), &ds), "ds");
    pov_household *h = NULL;
    ok(pov_household_new(pov_schema_core(), &h), "hh");
    ok(pov_household_set_id(h, "c1"), "id");
    ok(pov_household_set_category(h, "registry_status", "exited"), "status");
    ok(pov_household_set_number(h, "income_wage", 9000), "wage");
    size_t k;
    ok(pov_household_member_add(h, &k), "member");
    ok(pov_household_member_set_number(h, k, "age", 30), "age");
    ok(pov_dataset_append(ds, h), "append");
    ok(pov_policy_monitor_dataset(p, ds, 2020, &a), "monitor core");
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_UNKNOWN);
    cr_assert_eq(trigger(p, a, "income_drop", NULL), POV_UNKNOWN);
    pov_assessment_free(a);
    pov_household_free(h);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- batch = single ---------------------------------------------------------- */

Test(monitoring, dataset_matches_households) {
    pov_policy *p = load_default(M20);
    static const double wages[] = {5000, 6000, 7000, NAN, 12000};
    static const char *const status[] = {"exited", "not_registered", "exited", "exited", "poor"};
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    int single[5];
    for (size_t i = 0; i < 5; i++) {
        spec s = BASE;
        s.wage = wages[i];
        s.status = status[i];
        s.last_year = 7000;
        char id[8];
        snprintf(id, sizeof id, "h%zu", i);
        pov_household *h = make(p, id, &s);
        ok(pov_dataset_append(ds, h), "append");
        pov_assessment *a = NULL;
        ok(pov_policy_monitor_household(p, h, 2020, &a), "single");
        single[i] = pov_assessment_groups(a)[0];
        pov_assessment_free(a);
        pov_household_free(h);
    }
    pov_assessment *a = NULL;
    ok(pov_policy_monitor_dataset(p, ds, 2020, &a), "batch");
    const uint8_t *g = pov_assessment_groups(a);
    /* hand: 5000 < 6000 exited -> unstable; 6000 not below; 7000 none;
     * missing -> unknown; poor -> none */
    static const int want[] = {POV_GROUP_UNSTABLE_EXITED, POV_GROUP_NONE, POV_GROUP_NONE,
                               POV_GROUP_UNKNOWN, POV_GROUP_NONE};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(g[i], want[i], "row %zu", i);
        cr_assert_eq(single[i], want[i], "single %zu", i);
    }
    cr_assert_null(pov_assessment_groups(NULL));
    cr_assert_eq(pov_assessment_level(NULL), POV_EINVAL);
    /* a household assessment has no groups */
    pov_assessment *e = NULL;
    ok(pov_policy_assess_dataset(p, ds, 2020, &e), "assess");
    cr_assert_null(pov_assessment_groups(e));
    cr_assert_eq(pov_assessment_level(e), POV_POLICY_HOUSEHOLD);
    pov_assessment_free(e);
    /* no elimination criteria in the 2020 policy */
    cr_assert_eq(pov_policy_eliminate_dataset(p, ds, 2020, &e), POV_ENOTFOUND);
    cr_assert_eq(pov_policy_monitor_dataset(NULL, ds, 2020, &e), POV_EINVAL);
    cr_assert_eq(pov_policy_monitor_dataset(p, ds, 1900, &e), POV_EINVAL);
    cr_assert_eq(pov_policy_monitor_household(p, NULL, 2020, &e), POV_EINVAL);
    cr_assert_eq(pov_policy_eliminate_household(p, NULL, 2020, &e), POV_EINVAL);
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- risk elimination ------------------------------------------------------- */

static pov_household *elim_hh(const pov_policy *q, double months_above, double months_id,
                              double measures, int labour) {
    spec s = BASE;
    s.province = "53";
    s.status = "monitored_marginal";
    s.labour = labour;
    pov_household *h = make(q, "e1", &s);
    set_num(h, "months_income_above_range", months_above);
    set_num(h, "months_since_identification", months_id);
    set_num(h, "assistance_measures", measures);
    ok(pov_household_set_boolean(h, "rigid_spending_resolved", 1), "resolved");
    return h;
}

static int eliminate(const pov_policy *q, pov_household *h, pov_assessment **a) {
    ok(pov_policy_eliminate_household(q, h, 2024, a), "eliminate");
    cr_assert_eq(pov_assessment_level(*a), POV_POLICY_ELIMINATION);
    cr_assert_null(pov_assessment_groups(*a));
    return pov_assessment_eligible(*a)[0];
}

/* The four rigid-spending triggers share one test expression (the sum of the
 * four rigid items minus net income), which the dataset pass evaluates once
 * per block of rows: over 2,500 households (three blocks), each trigger's
 * outcome, reported test and value follow the rules by hand. */
Test(monitoring, rigid_triggers_share_one_sum) {
    pov_policy *p = load_default(M20);
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    enum { N = 2500 };
    static double item[N][4], wage[N];
    for (size_t i = 0; i < N; i++) {
        spec s = BASE;
        s.wage = wage[i] = 1000 + (double)((i * 37) % 9000);
        s.medical = item[i][0] = i % 5 == 0 ? NAN : (double)((i * 13) % 7) * 1000;
        s.education = item[i][1] = (double)(i % 3) * 1500;
        s.other_rigid = item[i][2] = i % 11 == 0 ? NAN : (i % 4 == 1 ? 2000 : 0);
        s.disaster = item[i][3] = (i * 7) % 10 < 3 ? 4000 : 0;
        char id[16];
        snprintf(id, sizeof id, "h%zu", i);
        pov_household *h = make(p, id, &s);
        ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    pov_assessment *a = NULL;
    ok(pov_policy_monitor_dataset(p, ds, 2020, &a), "monitor");
    /* trigger -> the item its condition (item > 0) reads */
    static const char *const ids[4] = {"rigid_medical", "rigid_schooling", "rigid_other",
                                       "rigid_disaster"};
    static const int which[4] = {0, 1, 2, 3};
    for (int t = 0; t < 4; t++) {
        size_t c = crit(p, POV_POLICY_MONITORING, ids[t]);
        for (size_t i = 0; i < N; i++) {
            const double *x = item[i];
            /* the sum is missing when one item is (net income = the wage) */
            double v = isnan(x[0]) || isnan(x[1]) || isnan(x[2]) || isnan(x[3])
                           ? NAN
                           : x[0] + x[1] + x[2] + x[3] - wage[i];
            double own = x[which[t]];
            int test_fails = !isnan(v) && !(v > 0), cond_false = !isnan(own) && own == 0;
            int want, want_test;
            double want_value;
            /* blame: failing test, false condition, unknown test, missing condition */
            if (test_fails) {
                want = POV_FAIL, want_test = 0, want_value = v;
            } else if (cond_false) {
                want = POV_FAIL, want_test = -1, want_value = 0;
            } else if (isnan(v)) {
                want = POV_UNKNOWN, want_test = 0, want_value = NAN;
            } else { /* the item is present here (else the sum is missing) */
                want = POV_PASS, want_test = 0, want_value = v;
            }
            pov_criterion_result r = {.size = sizeof r};
            ok(pov_assessment_get(a, i, c, &r), "get");
            cr_assert_eq(r.outcome, want, "%s row %zu: %d %d %g", ids[t], i, r.outcome, r.test, r.value);
            cr_assert_eq(r.test, want_test, "%s row %zu", ids[t], i);
            if (isnan(want_value))
                cr_assert(isnan(r.value), "%s row %zu: %g", ids[t], i, r.value);
            else
                cr_assert_eq(r.value, want_value, "%s row %zu", ids[t], i);
            double vv = pov_assessment_values(a, c)[i];
            cr_assert(vv == r.value || (isnan(vv) && isnan(r.value)), "%s row %zu", ids[t], i);
            if (want_test == 0)
                cr_assert_eq(r.threshold, 0.0);
            else
                cr_assert(isnan(r.threshold));
        }
    }
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* A dataset with two households lacking a threshold: the error names the
 * first criterion in declaration order that lacks one, and its first
 * household, even when a later criterion fails on an earlier row (the pass
 * runs block by block over all criteria). */
Test(monitoring_bad, first_missing_threshold_in_criterion_order) {
    const char *doc =
        "{\"format\":\"povmetrics.policy/1\",\"id\":\"x\",\"title\":\"t\",\"version\":\"1\","
        "\"region\":\"CN\",\"inherits\":\"national_2021_monitoring\","
        "\"provenance\":{\"summary\":\"s\",\"sources\":[]},"
        "\"monitoring\":[{\"id\":\"debt_county\",\"label\":{\"zh\":\"a\",\"en\":\"b\"},"
        "\"source\":\"cn_monitoring_2021\",\"tests\":[{\"value\":{\"var\":\"debt\"},"
        "\"op\":\">\",\"threshold\":{\"by_region\":{\"530121\":50000}}}]}]}";
    pov_policy *p = NULL;
    ok(pov_policy_load_string(doc, strlen(doc), "t.json", NULL, &p), "load");
    cr_assert_lt(crit(p, POV_POLICY_MONITORING, "income_below_range"),
                 crit(p, POV_POLICY_MONITORING, "debt_county"));
    pov_dataset *ds = NULL;
    ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    /* row 5: another county (no debt threshold); row 1300 (the second block):
     * Guangxi (no monitoring range, and no debt threshold) */
    for (size_t i = 0; i < 1400; i++) {
        spec s = BASE;
        s.province = i == 1300 ? "45" : "53";
        char id[16];
        snprintf(id, sizeof id, "h%zu", i);
        pov_household *h = make(p, id, &s);
        ok(pov_household_set_text(h, "county_code",
                                  i == 5 ? "530122" : i == 1300 ? "450101" : "530121"),
           "county");
        ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    pov_assessment *a = NULL;
    int rc = pov_policy_monitor_dataset(p, ds, 2024, &a);
    cr_assert_eq(rc, POV_ENOTFOUND, "%d %s", rc, rc ? pov_error_message(pov_error_last()) : "");
    cr_assert_null(a);
    const char *msg = pov_error_message(pov_error_last());
    cr_assert(strstr(msg, "'income_below_range'"), "%s", msg);
    cr_assert(strstr(msg, "h1300"), "%s", msg);
    /* without row 1300's problem, the later criterion's row 5 is reported */
    pov_dataset_free(ds);
    ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    for (size_t i = 0; i < 1400; i++) {
        spec s = BASE;
        s.province = "53";
        char id[16];
        snprintf(id, sizeof id, "h%zu", i);
        pov_household *h = make(p, id, &s);
        ok(pov_household_set_text(h, "county_code", i == 5 ? "530122" : "530121"), "county");
        ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    rc = pov_policy_monitor_dataset(p, ds, 2024, &a);
    cr_assert_eq(rc, POV_ENOTFOUND, "%d %s", rc, rc ? pov_error_message(pov_error_last()) : "");
    msg = pov_error_message(pov_error_last());
    cr_assert(strstr(msg, "'debt_county'"), "%s", msg);
    cr_assert(strstr(msg, "h5"), "%s", msg);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

Test(elimination, six_months_and_labour) {
    pov_policy *q = load_default(M21);
    pov_assessment *a = NULL;
    pov_household *h = elim_hh(q, 6, 6, 1, 1);
    cr_assert_eq(eliminate(q, h, &a), POV_PASS);
    char *json = NULL;
    ok(pov_assessment_to_json(a, 0, &json), "json");
    cr_assert(strstr(json, "\"level\":\"risk_elimination\""), "%s", json);
    cr_assert(strstr(json, "\"eligible\":\"pass\""), "%s", json);
    pov_free(json);
    pov_assessment_free(a);
    pov_household_free(h);
    /* 5 months above the range */
    h = elim_hh(q, 5, 6, 1, 1);
    cr_assert_eq(eliminate(q, h, &a), POV_FAIL);
    pov_criterion_result r = {.size = sizeof r};
    ok(pov_assessment_get(a, 0, crit(q, POV_POLICY_ELIMINATION, "income_stably_above"), &r),
       "get");
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_float_eq(r.value, 5.0, 1e-9);
    cr_assert_float_eq(r.threshold, 6.0, 1e-9);
    cr_assert_float_eq(r.margin, -1.0, 1e-9);
    pov_assessment_free(a);
    pov_household_free(h);
    /* 5 months since identification */
    h = elim_hh(q, 12, 5, 1, 1);
    cr_assert_eq(eliminate(q, h, &a), POV_FAIL);
    ok(pov_assessment_get(a, 0, crit(q, POV_POLICY_ELIMINATION, "months_since_identification"),
                          &r), "get");
    cr_assert_eq(r.outcome, POV_FAIL);
    pov_assessment_free(a);
    pov_household_free(h);
    /* no assistance measure */
    h = elim_hh(q, 12, 12, 0, 1);
    cr_assert_eq(eliminate(q, h, &a), POV_FAIL);
    pov_assessment_free(a);
    pov_household_free(h);
    /* nobody able to work: never eliminated */
    h = elim_hh(q, 12, 12, 3, 0);
    cr_assert_eq(eliminate(q, h, &a), POV_FAIL);
    ok(pov_assessment_get(a, 0, crit(q, POV_POLICY_ELIMINATION, "has_labour"), &r), "get");
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_float_eq(r.value, 0.0, 1e-9);
    pov_assessment_free(a);
    pov_household_free(h);
    /* months missing: unknown, never eligible */
    h = elim_hh(q, NAN, 12, 3, 1);
    cr_assert_eq(eliminate(q, h, &a), POV_UNKNOWN);
    pov_assessment_free(a);
    pov_household_free(h);
    /* missing but another criterion fails: not eligible */
    h = elim_hh(q, NAN, 12, 0, 1);
    cr_assert_eq(eliminate(q, h, &a), POV_FAIL);
    pov_assessment_free(a);
    pov_household_free(h);
    pov_policy_free(q);
}

/* ---- inheritance and overrides ------------------------------------------------ */

Test(monitoring, overrides) {
    /* a province supplies its 2022 range of 6,500 (domain.md §4: "one place")
     * and requires 12 months above the range */
    const char *doc =
        "{\"format\":\"povmetrics.policy/1\",\"id\":\"prov\",\"title\":\"t\",\"version\":\"1\","
        "\"region\":\"45\",\"inherits\":\"national_2021_monitoring\","
        "\"provenance\":{\"summary\":\"s\",\"sources\":[{\"id\":\"loc\",\"status\":\"illustrative\","
        "\"citation\":\"c\"}]},"
        "\"monitoring_reasons\":[\"illness\",\"debt\"],"
        "\"monitoring_groups\":{\"sudden_hardship\":null},"
        "\"overrides\":{\"monitoring\":[{\"id\":\"income_below_range\",\"tests\":[{\"value\":{\"var\":"
        "\"per_capita_net_income\"},\"op\":\"<\",\"threshold\":{\"by_year\":{\"2022\":6500}}}]},"
        "{\"id\":\"labour_loss\",\"groups\":[\"marginal\"]}],"
        "\"risk_elimination\":[{\"id\":\"income_stably_above\",\"tests\":[{\"value\":{\"var\":"
        "\"months_income_above_range\"},\"op\":\">=\",\"threshold\":12}]}]},"
        "\"monitoring\":[{\"id\":\"debt_high\",\"label\":{\"zh\":\"负债\",\"en\":\"debt\"},"
        "\"source\":\"loc\",\"reason\":\"debt\",\"tests\":[{\"value\":{\"var\":\"debt\"},"
        "\"op\":\">\",\"threshold\":50000}]}]}";
    pov_policy *p = NULL;
    ok(pov_policy_load_string(doc, strlen(doc), "prov.json", NULL, &p), "load");
    cr_assert_eq(pov_policy_reason_count(p), 10); /* illness inherited, debt added */
    cr_assert_str_eq(pov_policy_reason(p, 9), "debt");
    cr_assert_eq(pov_policy_group_defined(p, POV_GROUP_SUDDEN_HARDSHIP), 0); /* removed */
    size_t d = crit(p, POV_POLICY_MONITORING, "debt_high");
    cr_assert_eq(pov_policy_trigger_groups(p, d), 7u); /* default: all groups */
    cr_assert_eq(pov_policy_trigger_groups(p, crit(p, POV_POLICY_MONITORING, "labour_loss")),
                 2u);
    double t;
    ok(pov_policy_threshold(p, POV_POLICY_MONITORING, crit(p, POV_POLICY_MONITORING,
                                                           "income_below_range"),
                            0, 2022, "45", &t), "thr");
    cr_assert_float_eq(t, 6500.0, 1e-9);
    ok(pov_policy_threshold(p, POV_POLICY_ELIMINATION,
                            crit(p, POV_POLICY_ELIMINATION, "income_stably_above"), 0, 2022,
                            NULL, &t), "thr elim");
    cr_assert_float_eq(t, 12.0, 1e-9);
    pov_assessment *a = NULL;
    spec s = BASE;
    s.wage = 6499; /* below 6500 */
    s.last_year = 6499;
    cr_assert_eq(classify(p, &s, 2022, &a), POV_GROUP_MARGINAL);
    pov_assessment_free(a);
    s.wage = 6500;
    s.last_year = 6500;
    cr_assert_eq(classify(p, &s, 2022, &a), POV_GROUP_NONE);
    pov_assessment_free(a);
    /* no labour: marginal now (sudden hardship removed) */
    s.labour = 0;
    cr_assert_eq(classify(p, &s, 2022, &a), POV_GROUP_MARGINAL);
    pov_assessment_free(a);
    pov_household *h = elim_hh(p, 6, 6, 1, 1);
    cr_assert_eq(eliminate(p, h, &a), POV_FAIL); /* 6 < 12 */
    pov_assessment_free(a);
    pov_household_free(h);
    pov_policy_free(p);
}

/* Precedence when an earlier group is undecided: a trigger of sudden
 * hardship alone fires, while the unstable-exited membership is missing
 * (base true, its only undecided trigger unknown). The first group that is
 * not false decides, so the group is unknown, not sudden hardship; once the
 * unknown trigger is decided (no drop), sudden hardship. */
Test(monitoring, missing_earlier_group_decides_unknown) {
    const char *doc =
        "{\"format\":\"povmetrics.policy/1\",\"id\":\"prec\",\"title\":\"t\",\"version\":\"1\","
        "\"region\":\"53\",\"inherits\":\"national_2021_monitoring\","
        "\"provenance\":{\"summary\":\"s\",\"sources\":[{\"id\":\"loc\",\"status\":\"illustrative\","
        "\"citation\":\"c\"}]},"
        "\"monitoring\":[{\"id\":\"debt_high\",\"label\":{\"zh\":\"负债\",\"en\":\"debt\"},"
        "\"source\":\"loc\",\"reason\":\"other\",\"groups\":[\"sudden_hardship\"],"
        "\"tests\":[{\"value\":{\"var\":\"debt\"},\"op\":\">\",\"threshold\":50000}]}]}";
    pov_policy *p = NULL;
    ok(pov_policy_load_string(doc, strlen(doc), "prec.json", NULL, &p), "load");
    spec s = BASE;
    s.status = "exited";
    s.province = "53";
    s.wage = 20000;      /* far above Yunnan's 8,700 */
    s.last_year = NAN;   /* income_drop unknown */
    pov_household *h = make(p, "h1", &s);
    ok(pov_household_set_number(h, "year", 2024), "year");
    ok(pov_household_set_number(h, "debt", 60000), "debt");
    pov_assessment *a = NULL;
    ok(pov_policy_monitor_household(p, h, 2024, &a), "monitor");
    cr_assert_eq(trigger(p, a, "debt_high", NULL), POV_PASS);
    cr_assert_eq(trigger(p, a, "income_drop", NULL), POV_UNKNOWN);
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_UNKNOWN);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_UNKNOWN);
    pov_assessment_free(a);
    ok(pov_household_set_number(h, "income_last_year", 20000), "last year");
    ok(pov_policy_monitor_household(p, h, 2024, &a), "monitor");
    cr_assert_eq(trigger(p, a, "income_drop", NULL), POV_FAIL);
    cr_assert_eq(pov_assessment_groups(a)[0], POV_GROUP_SUDDEN_HARDSHIP);
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_PASS);
    pov_assessment_free(a);
    pov_household_free(h);
    pov_policy_free(p);
}

/* ---- bad input ---------------------------------------------------------------- */

#define HEAD                                                                              \
    "{\"format\":\"povmetrics.policy/1\",\"id\":\"x\",\"title\":\"t\",\"version\":\"1\","     \
    "\"region\":\"CN\",\"inherits\":\"national_2020_monitoring\","                           \
    "\"provenance\":{\"summary\":\"s\",\"sources\":[]},"
#define TRIG(extra)                                                                       \
    "\"monitoring\":[{\"id\":\"t1\",\"label\":{\"zh\":\"a\",\"en\":\"b\"},"                   \
    "\"source\":\"cn_monitoring_2020\"," extra "}]}"
#define TEST_INC(thr)                                                                     \
    "\"tests\":[{\"value\":{\"var\":\"per_capita_net_income\"},\"op\":\"<\",\"threshold\":" thr \
    "}]"

Test(monitoring_bad, unknown_codes) {
    load_bad(HEAD TRIG("\"reason\":\"gambling\"," TEST_INC("1")), POV_ENOTFOUND,
             "monitoring[0].reason");
    load_bad(HEAD TRIG("\"groups\":[\"marginal\",\"rich\"]," TEST_INC("1")), POV_EUNKNOWN,
             "monitoring[0].groups[1]");
    load_bad(HEAD TRIG("\"groups\":[]," TEST_INC("1")), POV_ETYPE, "monitoring[0].groups");
    load_bad(HEAD TRIG("\"groups\":[3]," TEST_INC("1")), POV_ETYPE, "monitoring[0].groups[0]");
    load_bad(HEAD TRIG("\"dimension\":\"income\"," TEST_INC("1")), POV_EUNKNOWN,
             "monitoring[0].dimension");
    load_bad(HEAD "\"monitoring_groups\":{\"rich\":{\"condition\":true,\"source\":\"s\"}}}",
             POV_EUNKNOWN, "monitoring_groups.rich");
    load_bad(HEAD "\"monitoring_groups\":{\"marginal\":{\"source\":\"cn_monitoring_2020\"}}}",
             POV_EMISSING, "monitoring_groups.marginal");
    load_bad(HEAD "\"monitoring_groups\":{\"marginal\":{\"condition\":{\"var\":\"debt\"},"
                  "\"source\":\"cn_monitoring_2020\"}}}",
             POV_ETYPE, "monitoring_groups.marginal.condition");
    load_bad(HEAD "\"monitoring_groups\":{\"marginal\":{\"condition\":{\"var\":\"safe_water\"},"
                  "\"source\":\"nope\"}}}",
             POV_ENOTFOUND, "monitoring_groups.marginal.source");
    load_bad(HEAD "\"monitoring_groups\":[]}", POV_ETYPE, "monitoring_groups");
    load_bad(HEAD "\"monitoring_reasons\":[\"ok\", 3]}", POV_ETYPE, "monitoring_reasons[1]");
    load_bad(HEAD "\"monitoring_reasons\":[\"Bad Code\"]}", POV_EINVAL, "monitoring_reasons[0]");
    load_bad(HEAD "\"monitoring_reasons\":[\"debt\",\"debt\"]}", POV_EDUPLICATE,
             "monitoring_reasons[1]");
    load_bad(HEAD "\"monitoring_reasons\":\"illness\"}", POV_ETYPE, "monitoring_reasons");
    load_bad(HEAD "\"overrides\":{\"monitoring\":[{\"id\":\"no_such\"}]}}", POV_ENOTFOUND,
             "overrides.monitoring[0].id");
    load_bad(HEAD "\"overrides\":{\"risk_elimination\":[{\"id\":\"has_labour\"}]}}", POV_ENOTFOUND,
             "overrides.risk_elimination[0].id");
    load_bad(HEAD "\"risk_elimination\":[{\"id\":\"e\",\"label\":{\"zh\":\"a\",\"en\":\"b\"},"
                  "\"source\":\"cn_monitoring_2020\",\"reason\":\"illness\",\"condition\":true}]}",
             POV_EUNKNOWN, "risk_elimination[0].reason");
    load_bad(HEAD "\"monitoring\":{}}", POV_ETYPE, "monitoring");
}

Test(monitoring_bad, thresholds) {
    load_bad(HEAD TRIG(TEST_INC("{\"poverty_line_times\":\"1.5\"}")), POV_ETYPE,
             "monitoring[0].tests[0].threshold.poverty_line_times");
    load_bad(HEAD TRIG(TEST_INC("{\"poverty_line_times\":0}")), POV_ERANGE,
             "monitoring[0].tests[0].threshold.poverty_line_times");
    load_bad(HEAD TRIG(TEST_INC("{\"poverty_line_times\":1.5,\"default\":1}")), POV_EUNKNOWN,
             "monitoring[0].tests[0].threshold.default");
    load_bad(HEAD TRIG(TEST_INC("\"1.5x\"")), POV_ETYPE, "monitoring[0].tests[0].threshold");
    load_bad(HEAD TRIG(TEST_INC("{\"by_year\":{\"20x2\":6500}}")), POV_ERANGE,
             "monitoring[0].tests[0].threshold.by_year.20x2");
    load_bad(HEAD TRIG(TEST_INC("true")), POV_ETYPE, "monitoring[0].tests[0].threshold");
    load_bad(HEAD TRIG("\"tests\":[{\"value\":{\"var\":\"no_such\"},\"op\":\"<\",\"threshold\":1}]"),
             POV_ENOTFOUND, "monitoring[0].tests[0].value.var");
    /* a missing threshold for a year is an error at classification time */
    const char *doc = HEAD "\"overrides\":{\"monitoring\":[{\"id\":\"income_below_range\","
                           TEST_INC("{\"by_year\":{\"2022\":6500}}") "}]}}";
    pov_policy *p = NULL;
    ok(pov_policy_load_string(doc, strlen(doc), "t.json", NULL, &p), "load");
    pov_assessment *a = NULL;
    spec s = BASE;
    int g = classify(p, &s, 2022, &a);
    char *js = NULL;
    ok(pov_assessment_to_json(a, 0, &js), "json");
    cr_assert_eq(g, POV_GROUP_NONE, "%s", js);
    pov_free(js);
    pov_assessment_free(a);
    pov_household *h = make(p, "h1", &s);
    cr_assert_eq(pov_policy_monitor_household(p, h, 2023, &a), POV_ENOTFOUND);
    cr_assert(strstr(pov_error_message(pov_error_last()),
                     "monitoring criterion 'income_below_range'"),
              "%s", pov_error_message(pov_error_last()));
    cr_assert(strstr(pov_error_message(pov_error_last()), "2023"));
    pov_household_free(h);
    pov_policy_free(p);
}
