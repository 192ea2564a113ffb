/*
 * Tests of exit policies (include/povmetrics/policy.h, docs/policy-format.md).
 *
 * Expected values are hand-computed from domain.md §3/§5 (the thresholds) and
 * the households built here: e.g. 4 people on 52 m² = 13.0 m²/person (passes
 * ">= 13"), 51.96 m² = 12.99 (fails).
 *
 * SPDX-License-Identifier: MIT
 */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

#define NAT "national_2016"
#define GX "guangxi_2016"

static pov_policy *load_default(const char *name) {
    pov_policy *p = NULL;
    int r = pov_policy_default(name, &p);
    cr_assert_eq(r, 0, "default %s: %s", name, pov_error_message(pov_error_last()));
    return p;
}

static pov_policy *load_str(const char *json, int expect) {
    pov_policy *p = NULL;
    int r = pov_policy_load_string(json, strlen(json), "t.json", NULL, &p);
    cr_assert_eq(r, expect, "load: got %d (%s at %s), want %d", r,
                 pov_error_message(pov_error_last()), pov_error_path(pov_error_last()), expect);
    if (expect)
        cr_assert_null(p);
    return p;
}

static size_t crit(const pov_policy *p, int level, const char *id) {
    size_t k = 0;
    cr_assert_eq(pov_policy_criterion_find(p, level, id, &k), 0, "criterion %s", id);
    return k;
}

/* ---- households ------------------------------------------------------------ */

typedef struct hh_spec {
    int size;             /* members, all aged 30 with ordinary labour, insured */
    double floor_area;
    const char *structure, *safety;
    double income_wage;
    double litres, fetch, supply;
    double paddy;
} hh_spec;

static const hh_spec GOOD = {4, 60, "brick_concrete", "A", 4 * 3000.0, 40, 10, 95, 2.0};

static void set_ok(int r, const char *what) {
    cr_assert_eq(r, 0, "%s: %s (%s)", what, pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
}

/* A household on the policy's schema that passes every Guangxi household
 * criterion in 2016 (line 2952): income 3000 per person, 15 m² per person,
 * brick-concrete grade A, 40 L/day, 10 min, 95%, 0.5 mu paddy per person. */
static pov_household *make_hh(const pov_policy *p, const char *id, const hh_spec *s) {
    pov_household *h = NULL;
    set_ok(pov_household_new(pov_policy_schema(p), &h), "new");
    set_ok(pov_household_set_id(h, id), "id");
    set_ok(pov_household_set_text(h, "province_code", "45"), "province");
    set_ok(pov_household_set_text(h, "county_code", "450123"), "county");
    set_ok(pov_household_set_text(h, "village_code", "450123101"), "village");
    set_ok(pov_household_set_number(h, "year", 2016), "year");
    set_ok(pov_household_set_category(h, "registry_status", "poor"), "registry");
    for (int m = 0; m < s->size; m++) {
        size_t k;
        set_ok(pov_household_member_add(h, &k), "member");
        set_ok(pov_household_member_set_number(h, k, "age", 30), "age");
        set_ok(pov_household_member_set_category(h, k, "labour_capacity", "ordinary"), "lab");
        set_ok(pov_household_member_set_boolean(h, k, "medical_insurance", 1), "ins");
        set_ok(pov_household_member_set_category(h, k, "schooling", "not_applicable"), "sch");
        set_ok(pov_household_member_set_number(h, k, "migrant_months", 0), "migrant");
    }
    set_ok(pov_household_set_number(h, "dry_land_mu", 0), "dry");
    set_ok(pov_household_set_number(h, "economic_forest_mu", 0), "econ forest");
    set_ok(pov_household_set_number(h, "forest_mu", 0), "forest");
    set_ok(pov_household_set_number(h, "floor_area", s->floor_area), "floor");
    set_ok(pov_household_set_category(h, "housing_structure", s->structure), "structure");
    set_ok(pov_household_set_category(h, "housing_safety", s->safety), "safety");
    set_ok(pov_household_set_number(h, "income_wage", s->income_wage), "wage");
    set_ok(pov_household_set_number(h, "water_litres_per_day", s->litres), "litres");
    set_ok(pov_household_set_number(h, "water_fetch_minutes", s->fetch), "fetch");
    set_ok(pov_household_set_number(h, "water_supply_pct", s->supply), "supply");
    set_ok(pov_household_set_boolean(h, "safe_water", 1), "safe_water");
    set_ok(pov_household_set_number(h, "paddy_mu", s->paddy), "paddy");
    set_ok(pov_household_set_boolean(h, "road_hardened", 1), "road");
    set_ok(pov_household_set_boolean(h, "electricity", 1), "electricity");
    set_ok(pov_household_set_boolean(h, "tv", 1), "tv");
    const pov_schema *sc = pov_policy_schema(p);
    if (pov_schema_find(sc, "food_secure", NULL) == 0) {
        set_ok(pov_household_set_boolean(h, "food_secure", 1), "food");
        set_ok(pov_household_set_boolean(h, "clothing_secure", 1), "clothing");
    }
    if (pov_schema_find(sc, "has_shop", NULL) == 0) {
        const char *b[] = {"has_shop", "livestock_at_scale", "self_employed",
                           "other_stable_income", "dibao_ab", "industry_covered"};
        for (size_t k = 0; k < 6; k++)
            set_ok(pov_household_set_boolean(h, b[k], k == 5), b[k]);
    }
    return h;
}

/* Assesses one household and returns criterion @p id's result. */
static pov_criterion_result hh_result(const pov_policy *p, const pov_household *h, int year,
                                      const char *id, int *eligible) {
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_household(p, h, year, &a), "assess");
    cr_assert_eq(pov_assessment_count(a), 1);
    pov_criterion_result r = {.size = sizeof r};
    set_ok(pov_assessment_get(a, 0, crit(p, POV_POLICY_HOUSEHOLD, id), &r), "get");
    if (eligible)
        *eligible = pov_assessment_eligible(a)[0];
    pov_assessment_free(a);
    return r;
}

/* ---- loading the embedded policies ------------------------------------------ */

Test(policy_default, both_load_with_counts) {
    cr_assert_eq(pov_policy_default_count(), 4);
    cr_assert_str_eq(pov_policy_default_name(0), NAT);
    cr_assert_str_eq(pov_policy_default_name(1), GX);
    cr_assert_null(pov_policy_default_name(4));
    pov_policy *n = load_default(NAT), *g = load_default(GX);
    /* national: income + food, clothing, education, medical, housing, water */
    cr_assert_eq(pov_policy_criterion_count(n, POV_POLICY_HOUSEHOLD), 7);
    cr_assert_eq(pov_policy_criterion_count(n, POV_POLICY_VILLAGE), 1);
    cr_assert_eq(pov_policy_criterion_count(n, POV_POLICY_COUNTY), 4);
    /* Guangxi: national 7 (5 overridden) + 4 new (income source, road,
     * electricity, TV) = the 9 items of 八有一超 plus food and clothing;
     * village: incidence (overridden) + 11 = 十一有一低于; county: national 4
     * (incidence overridden) + 9 = 九有一低于 + the three assessment rates */
    cr_assert_eq(pov_policy_criterion_count(g, POV_POLICY_HOUSEHOLD), 11);
    cr_assert_eq(pov_policy_criterion_count(g, POV_POLICY_VILLAGE), 12);
    cr_assert_eq(pov_policy_criterion_count(g, POV_POLICY_COUNTY), 13);
    cr_assert_str_eq(pov_policy_id(g), GX);
    cr_assert_str_eq(pov_policy_inherits(g), NAT);
    cr_assert_str_eq(pov_policy_inherits(n), "");
    cr_assert_str_eq(pov_policy_region(g), "45");
    size_t k = crit(g, POV_POLICY_HOUSEHOLD, "safe_housing");
    cr_assert_str_eq(pov_policy_criterion_label_zh(g, POV_POLICY_HOUSEHOLD, k), "有安全住房");
    cr_assert_str_eq(pov_policy_criterion_label_en(g, POV_POLICY_HOUSEHOLD, k), "secure housing");
    cr_assert_str_eq(pov_policy_criterion_dimension(g, POV_POLICY_HOUSEHOLD, k), "housing");
    cr_assert(strstr(pov_policy_criterion_source(g, POV_POLICY_HOUSEHOLD, k), "八有一超"));
    k = crit(n, POV_POLICY_HOUSEHOLD, "safe_housing");
    cr_assert(strstr(pov_policy_criterion_source(n, POV_POLICY_HOUSEHOLD, k), "16号"));
    cr_assert_null(pov_policy_criterion_id(g, POV_POLICY_HOUSEHOLD, 11));
    cr_assert_null(pov_policy_criterion_id(g, 3, 0));
    cr_assert_eq(pov_policy_criterion_find(g, POV_POLICY_VILLAGE, "nope", NULL), POV_ENOTFOUND);
    pov_policy_free(n);
    pov_policy_free(g);
    pov_policy_free(NULL);
}

Test(policy_default, unknown_name) {
    pov_policy *p = (pov_policy *)1;
    cr_assert_eq(pov_policy_default("hunan_2017", &p), POV_ENOTFOUND);
    cr_assert_null(p);
    cr_assert(strstr(pov_error_message(pov_error_last()), "hunan_2017"));
    cr_assert_eq(pov_policy_default(NULL, &p), POV_EINVAL);
}

/* domain.md §5: lines by year; 2017 and 2018 are not confirmed, so absent. */
Test(policy_lines, national_lines) {
    pov_policy *p = load_default(GX); /* inherited from the national policy */
    const int years[] = {2010, 2011, 2012, 2013, 2014, 2015, 2016, 2019, 2020};
    const double amounts[] = {2300, 2536, 2625, 2736, 2800, 2855, 2952, 3218, 4000};
    for (size_t i = 0; i < 9; i++) {
        double v = 0;
        cr_assert_eq(pov_policy_poverty_line(p, years[i], NULL, &v), 0);
        cr_assert_eq(v, amounts[i], "%d: %g", years[i], v);
        cr_assert_eq(pov_policy_poverty_line(p, years[i], "450123", &v), 0);
        cr_assert_eq(v, amounts[i]);
    }
    double v = 0;
    cr_assert_eq(pov_policy_poverty_line(p, 2017, NULL, &v), POV_ENOTFOUND);
    cr_assert(isnan(v));
    cr_assert(strstr(pov_error_message(pov_error_last()), "2017"));
    cr_assert_eq(pov_policy_poverty_line(p, 2018, "45", &v), POV_ENOTFOUND);
    cr_assert(strstr(pov_policy_poverty_line_source(p, 2016, NULL), "云南调查年鉴2017"));
    cr_assert(strstr(pov_policy_poverty_line_source(p, 2019, NULL), "[weak]"));
    cr_assert(strstr(pov_policy_poverty_line_source(p, 2020, NULL), "[approximate]"));
    cr_assert_null(pov_policy_poverty_line_source(p, 2017, NULL));
    pov_policy_free(p);
}

static const char *LOCAL =
    "{\"format\": \"povmetrics.policy/1\", \"id\": \"local_2018\", \"title\": \"t\",\n"
    " \"version\": \"1\", \"region\": \"450123\", \"inherits\": \"guangxi_2016\",\n"
    " \"provenance\": {\"summary\": \"test\", \"sources\": [\n"
    "   {\"id\": \"loc\", \"status\": \"illustrative\", \"citation\": \"test figures\"}]},\n"
    " \"poverty_lines\": [{\"year\": 2018, \"region\": \"45\", \"amount\": 3100, \"source\": \"loc\"},\n"
    "                     {\"year\": 2016, \"region\": \"CN\", \"amount\": 2900, \"source\": \"loc\"}],\n"
    " \"overrides\": {\"village\": [{\"id\": \"collective_income\", \"source\": \"loc\",\n"
    "    \"tests\": [{\"kind\": \"input\", \"input\": \"collective_income\", \"op\": \">=\",\n"
    "               \"threshold\": 30000}]}],\n"
    "   \"household\": [{\"id\": \"safe_housing\", \"tests\": [{\"value\": {\"var\": "
    "\"floor_area_per_capita\"}, \"op\": \">=\", \"threshold\": 15}]}]}\n"
    "}";

Test(policy_inherit, lines_and_overrides) {
    pov_policy *p = load_str(LOCAL, 0);
    double v;
    cr_assert_eq(pov_policy_poverty_line(p, 2018, "450123", &v), 0);
    cr_assert_eq(v, 3100);
    cr_assert_eq(pov_policy_poverty_line(p, 2018, "43", &v), POV_ENOTFOUND); /* only Guangxi */
    cr_assert_eq(pov_policy_poverty_line(p, 2016, NULL, &v), 0);
    cr_assert_eq(v, 2900); /* replaced the inherited national line */
    cr_assert_eq(pov_policy_poverty_line(p, 2015, NULL, &v), 0);
    cr_assert_eq(v, 2855); /* inherited */
    size_t k = crit(p, POV_POLICY_VILLAGE, "collective_income");
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2018, "450123", &v), 0);
    cr_assert_eq(v, 30000);
    /* the override replaced tests but kept the inherited condition and label */
    k = crit(p, POV_POLICY_HOUSEHOLD, "safe_housing");
    cr_assert_str_eq(pov_policy_criterion_label_zh(p, POV_POLICY_HOUSEHOLD, k), "有安全住房");
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_HOUSEHOLD, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 15);
    cr_assert_eq(pov_policy_criterion_count(p, POV_POLICY_HOUSEHOLD), 11);
    /* the resolved document reloads to the same policy */
    char *json = NULL;
    cr_assert_eq(pov_policy_to_json(p, &json), 0);
    cr_assert_null(strstr(json, "\"inherits\""));
    pov_policy *q = load_str(json, 0);
    cr_assert_eq(pov_policy_criterion_count(q, POV_POLICY_COUNTY), 13);
    cr_assert_eq(pov_policy_threshold(q, POV_POLICY_HOUSEHOLD, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 15);
    pov_free(json);
    pov_policy_free(q);
    pov_policy_free(p);
}

Test(policy_inherit, explicit_parent) {
    pov_policy *g = load_default(GX);
    pov_policy_load_options o;
    pov_policy_load_options_init(&o);
    o.parent = g;
    pov_policy *p = NULL;
    cr_assert_eq(pov_policy_load_string(LOCAL, strlen(LOCAL), NULL, &o, &p), 0);
    pov_policy_free(g); /* p keeps nothing of g alive that it needs */
    cr_assert_eq(pov_policy_criterion_count(p, POV_POLICY_VILLAGE), 12);
    pov_policy_free(p);
    pov_policy *n = load_default(NAT);
    o.parent = n; /* LOCAL inherits guangxi_2016, not national_2016 */
    cr_assert_eq(pov_policy_load_string(LOCAL, strlen(LOCAL), NULL, &o, &p), POV_EINVAL);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "inherits");
    pov_policy_free(n);
}

/* ---- thresholds by year and region ------------------------------------------- */

Test(policy_thresholds, guangxi_year_schedules) {
    pov_policy *p = load_default(GX);
    double v;
    size_t k = crit(p, POV_POLICY_VILLAGE, "collective_income");
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2017, NULL, &v), 0);
    cr_assert_eq(v, 20000);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2020, NULL, &v), 0);
    cr_assert_eq(v, 50000);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2018, NULL, &v),
                 POV_ENOTFOUND); /* "between": "error": not published */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, NULL, &v),
                 POV_ENOTFOUND);
    k = crit(p, POV_POLICY_VILLAGE, "housing"); /* 95% (2016 version), 98% from 2017 */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 0.95);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2019, NULL, &v), 0);
    cr_assert_eq(v, 0.98);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2015, NULL, &v),
                 POV_ENOTFOUND);
    k = crit(p, POV_POLICY_VILLAGE, "incidence"); /* < 5% (2016), < 3% from 2017 */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 0.05);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2020, NULL, &v), 0);
    cr_assert_eq(v, 0.03);
    k = crit(p, POV_POLICY_COUNTY, "housing"); /* renovation 90% (2017) -> 100% (2020) */
    cr_assert_eq(pov_policy_criterion_test_count(p, POV_POLICY_COUNTY, k), 2);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 1, 2017, NULL, &v), 0);
    cr_assert_eq(v, 0.90);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 1, 2020, NULL, &v), 0);
    cr_assert_eq(v, 1.0);
    k = crit(p, POV_POLICY_COUNTY, "education"); /* retention 90% -> 93% */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 0, 2017, NULL, &v), 0);
    cr_assert_eq(v, 0.90);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 0, 2020, NULL, &v), 0);
    cr_assert_eq(v, 0.93);
    k = crit(p, POV_POLICY_COUNTY, "social_security"); /* dibao line >= poverty line */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 2952);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 0, 2017, NULL, &v),
                 POV_ENOTFOUND);
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 5, 2017, NULL, &v), POV_EINVAL);
    pov_policy_free(p);
}

Test(policy_thresholds, national_western_incidence) {
    pov_policy *p = load_default(NAT);
    size_t k = crit(p, POV_POLICY_VILLAGE, "incidence");
    double v;
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, "450123101", &v), 0);
    cr_assert_eq(v, 0.03); /* Guangxi is western */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, "530102", &v), 0);
    cr_assert_eq(v, 0.03); /* Yunnan */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, "430102", &v), 0);
    cr_assert_eq(v, 0.02); /* Hunan: not western */
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_VILLAGE, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 0.02);
    k = crit(p, POV_POLICY_COUNTY, "public_approval");
    cr_assert_eq(pov_policy_threshold(p, POV_POLICY_COUNTY, k, 0, 2016, NULL, &v), 0);
    cr_assert_eq(v, 0.90);
    pov_policy_free(p);
}

/* ---- household assessment at and around thresholds ---------------------------- */

Test(policy_household, good_household_passes_everything) {
    pov_policy *p = load_default(GX);
    pov_household *h = make_hh(p, "h1", &GOOD);
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_household(p, h, 2016, &a), "assess");
    cr_assert_eq(pov_assessment_criterion_count(a), 11);
    for (size_t c = 0; c < 11; c++)
        cr_assert_eq(pov_assessment_outcomes(a, c)[0], POV_PASS, "criterion %s",
                     pov_policy_criterion_id(p, 0, c));
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_PASS);
    for (int d = 0; d < POV_TT_COUNT; d++)
        cr_assert_eq(pov_assessment_two_three(a, d)[0], POV_PASS);
    cr_assert_null(pov_assessment_two_three(a, POV_TT_COUNT));
    cr_assert_null(pov_assessment_outcomes(a, 11));
    /* income: 12000 / 4 = 3000 > 2952, margin 48 */
    pov_criterion_result r = {.size = sizeof r};
    set_ok(pov_assessment_get(a, 0, crit(p, 0, "income_above_line"), &r), "get");
    cr_assert_eq(r.value, 3000);
    cr_assert_eq(r.threshold, 2952);
    cr_assert_eq(r.margin, 48);
    /* housing: 60 / 4 = 15 m² >= 13, margin 2 */
    set_ok(pov_assessment_get(a, 0, crit(p, 0, "safe_housing"), &r), "get");
    cr_assert_eq(r.test, 0);
    cr_assert_eq(r.value, 15);
    cr_assert_eq(r.threshold, 13);
    cr_assert_eq(r.margin, 2);
    char *json = NULL;
    cr_assert_eq(pov_assessment_to_json(a, 0, &json), 0);
    cr_assert(strstr(json, "\"eligible\":\"pass\""));
    cr_assert(strstr(json, "\"id\":\"safe_housing\",\"outcome\":\"pass\",\"test\":0,\"value\":15"));
    pov_free(json);
    cr_assert_eq(pov_assessment_to_json(a, 1, &json), POV_EINVAL);
    cr_assert_eq(pov_assessment_get(a, 1, 0, &r), POV_EINVAL);
    r.size = 0;
    cr_assert_eq(pov_assessment_get(a, 0, 0, &r), POV_EINVAL);
    pov_assessment_free(a);
    pov_assessment_free(NULL);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, floor_area_13_per_person) {
    pov_policy *p = load_default(GX);
    hh_spec s = GOOD;
    s.floor_area = 52; /* 13.00 per person: passes (>=) */
    pov_household *h = make_hh(p, "h", &s);
    pov_criterion_result r = hh_result(p, h, 2016, "safe_housing", NULL);
    cr_assert_eq(r.outcome, POV_PASS);
    cr_assert_eq(r.value, 13);
    cr_assert_eq(r.margin, 0);
    set_ok(pov_household_set_number(h, "floor_area", 51.96), "floor"); /* 12.99 */
    int el;
    r = hh_result(p, h, 2016, "safe_housing", &el);
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_float_eq(r.value, 12.99, 1e-12);
    cr_assert_float_eq(r.margin, -0.01, 1e-12);
    cr_assert_eq(el, POV_FAIL);
    /* the national standard has no area rule: grade A passes there */
    pov_policy *n = load_default(NAT);
    pov_household *hn = make_hh(n, "hn", &s);
    set_ok(pov_household_set_number(hn, "floor_area", 40), "floor"); /* 10 m² */
    r = hh_result(n, hn, 2016, "safe_housing", NULL);
    cr_assert_eq(r.outcome, POV_PASS);
    cr_assert_eq(r.test, -1);
    cr_assert_eq(r.value, 1); /* the condition's value */
    pov_household_free(hn);
    pov_policy_free(n);
    /* structure and grade: earth structure or grade C fail whatever the area */
    set_ok(pov_household_set_number(h, "floor_area", 80), "floor");
    set_ok(pov_household_set_category(h, "housing_safety", "C"), "grade");
    r = hh_result(p, h, 2016, "safe_housing", NULL);
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_eq(r.test, -1);
    set_ok(pov_household_set_category(h, "housing_safety", "B"), "grade");
    set_ok(pov_household_set_category(h, "housing_structure", "earth"), "structure");
    cr_assert_eq(hh_result(p, h, 2016, "safe_housing", NULL).outcome, POV_FAIL);
    set_ok(pov_household_set_category(h, "housing_structure", "timber"), "structure");
    cr_assert_eq(hh_result(p, h, 2016, "safe_housing", NULL).outcome, POV_PASS);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, income_strictly_above_line) {
    pov_policy *p = load_default(GX);
    hh_spec s = GOOD;
    s.income_wage = 4 * 2952.0; /* exactly the 2016 line: not above */
    pov_household *h = make_hh(p, "h", &s);
    pov_criterion_result r = hh_result(p, h, 2016, "income_above_line", NULL);
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_eq(r.margin, 0);
    set_ok(pov_household_set_number(h, "income_wage", 4 * 2952.0 + 4), "wage"); /* 2953 */
    r = hh_result(p, h, 2016, "income_above_line", NULL);
    cr_assert_eq(r.outcome, POV_PASS);
    cr_assert_eq(r.margin, 1);
    /* production costs are subtracted, the basic pension excluded:
     * (11812 + 800 - 400 - 800) / 4 = 2853 < 2952 */
    set_ok(pov_household_set_number(h, "income_transfer", 800), "transfer");
    set_ok(pov_household_set_number(h, "transfer_basic_pension", 800), "pension");
    set_ok(pov_household_set_number(h, "production_costs", 400), "costs");
    r = hh_result(p, h, 2016, "income_above_line", NULL);
    cr_assert_eq(r.value, 2853);
    cr_assert_eq(r.outcome, POV_FAIL);
    /* 2015 line 2855: 2853 still fails by 2; 2010 line 2300 passes */
    r = hh_result(p, h, 2015, "income_above_line", NULL);
    cr_assert_eq(r.threshold, 2855);
    cr_assert_eq(r.margin, -2);
    cr_assert_eq(hh_result(p, h, 2010, "income_above_line", NULL).outcome, POV_PASS);
    /* a year without a line is an error, never a pass */
    pov_assessment *a = NULL;
    cr_assert_eq(pov_policy_assess_household(p, h, 2017, &a), POV_ENOTFOUND);
    cr_assert_null(a);
    cr_assert(strstr(pov_error_message(pov_error_last()), "income_above_line"));
    cr_assert(strstr(pov_error_message(pov_error_last()), "2017"));
    cr_assert_eq(pov_policy_assess_household(p, h, 1900, &a), POV_EINVAL);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, water_35_litres_20_minutes_90_percent) {
    pov_policy *p = load_default(GX);
    struct { double l, f, s; int outcome, test; double value, margin; } cases[] = {
        {35, 20, 90, POV_PASS, 0, 35, 0},     /* all exactly at the thresholds */
        {34.9, 20, 90, POV_FAIL, 0, 34.9, -0.1},
        {35, 20.5, 90, POV_FAIL, 1, 20.5, -0.5},
        {35, 20, 89.9, POV_FAIL, 2, 89.9, -0.1},
        {30, 30, 80, POV_FAIL, 0, 30, -5},    /* first failing test reported */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hh_spec s = GOOD;
        s.litres = cases[i].l;
        s.fetch = cases[i].f;
        s.supply = cases[i].s;
        pov_household *h = make_hh(p, "h", &s);
        pov_criterion_result r = hh_result(p, h, 2016, "safe_water", NULL);
        cr_assert_eq(r.outcome, cases[i].outcome, "case %zu", i);
        cr_assert_eq(r.test, cases[i].test, "case %zu", i);
        cr_assert_float_eq(r.value, cases[i].value, 1e-12, "case %zu", i);
        cr_assert_float_eq(r.margin, cases[i].margin, 1e-9, "case %zu", i);
        pov_household_free(h);
    }
    pov_policy_free(p);
}

Test(policy_household, missing_data_is_unknown_never_pass) {
    pov_policy *p = load_default(GX);
    pov_household *h = make_hh(p, "h", &GOOD);
    set_ok(pov_household_set_missing(h, "water_fetch_minutes"), "missing");
    int el;
    pov_criterion_result r = hh_result(p, h, 2016, "safe_water", &el);
    cr_assert_eq(r.outcome, POV_UNKNOWN);
    cr_assert_eq(r.test, 1);
    cr_assert(isnan(r.value));
    cr_assert_eq(r.threshold, 20);
    cr_assert(isnan(r.margin));
    cr_assert_eq(el, POV_UNKNOWN);
    /* a known failure beats an unknown */
    set_ok(pov_household_set_number(h, "water_litres_per_day", 10), "litres");
    cr_assert_eq(hh_result(p, h, 2016, "safe_water", &el).outcome, POV_FAIL);
    cr_assert_eq(el, POV_FAIL);
    pov_household_free(h);
    h = make_hh(p, "h", &GOOD);
    set_ok(pov_household_set_missing(h, "housing_safety"), "missing");
    r = hh_result(p, h, 2016, "safe_housing", NULL);
    cr_assert_eq(r.outcome, POV_UNKNOWN);
    cr_assert_eq(r.test, -1); /* the condition is what is unknown */
    set_ok(pov_household_set_missing(h, "food_secure"), "missing");
    cr_assert_eq(hh_result(p, h, 2016, "food", NULL).outcome, POV_UNKNOWN);
    /* one member's insurance unknown: medical unknown, not passed */
    set_ok(pov_household_member_set_missing(h, 2, "medical_insurance"), "missing");
    r = hh_result(p, h, 2016, "basic_medical", NULL);
    cr_assert_eq(r.outcome, POV_UNKNOWN);
    cr_assert(isnan(r.value));
    set_ok(pov_household_member_set_boolean(h, 1, "medical_insurance", 0), "ins");
    r = hh_result(p, h, 2016, "basic_medical", NULL); /* one uninsured: fails */
    cr_assert_eq(r.outcome, POV_FAIL);
    cr_assert_eq(r.value, 1);
    cr_assert_eq(r.threshold, 0);
    /* income: every component missing -> per-capita income missing */
    set_ok(pov_household_set_missing(h, "income_wage"), "missing");
    cr_assert_eq(hh_result(p, h, 2016, "income_above_line", NULL).outcome, POV_UNKNOWN);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, no_member_records_is_unknown) {
    pov_policy *p = load_default(GX);
    hh_spec s = GOOD;
    s.size = 0;
    pov_household *h = make_hh(p, "h", &s);
    set_ok(pov_household_set_number(h, "household_size", 4), "size");
    cr_assert_eq(hh_result(p, h, 2016, "basic_medical", NULL).outcome, POV_UNKNOWN);
    cr_assert_eq(hh_result(p, h, 2016, "compulsory_education", NULL).outcome, POV_UNKNOWN);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, compulsory_education_ages_6_to_15) {
    pov_policy *p = load_default(GX);
    struct { int age; const char *schooling; int outcome; } cases[] = {
        {10, "dropped_out", POV_FAIL},    {15, "dropped_out", POV_FAIL},
        {16, "dropped_out", POV_PASS},    {6, "never_enrolled", POV_FAIL},
        {5, "never_enrolled", POV_PASS},  {12, "suspended", POV_FAIL},
        {12, "junior_secondary", POV_PASS}, {9, "home_tuition", POV_PASS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pov_household *h = make_hh(p, "h", &GOOD);
        set_ok(pov_household_member_set_number(h, 3, "age", cases[i].age), "age");
        set_ok(pov_household_member_set_category(h, 3, "schooling", cases[i].schooling), "s");
        pov_criterion_result r = hh_result(p, h, 2016, "compulsory_education", NULL);
        cr_assert_eq(r.outcome, cases[i].outcome, "case %zu", i);
        cr_assert_eq(r.value, cases[i].outcome == POV_FAIL ? 1 : 0, "case %zu", i);
        pov_household_free(h);
    }
    /* a known drop-out fails even when another child's schooling is unknown */
    {
        pov_household *h2 = make_hh(p, "h2", &GOOD);
        set_ok(pov_household_member_set_number(h2, 2, "age", 9), "age");
        set_ok(pov_household_member_set_missing(h2, 2, "schooling"), "s");
        cr_assert_eq(hh_result(p, h2, 2016, "compulsory_education", NULL).outcome, POV_UNKNOWN);
        set_ok(pov_household_member_set_number(h2, 3, "age", 11), "age");
        set_ok(pov_household_member_set_category(h2, 3, "schooling", "dropped_out"), "s");
        pov_criterion_result r = hh_result(p, h2, 2016, "compulsory_education", NULL);
        cr_assert_eq(r.outcome, POV_FAIL);
        cr_assert_eq(r.value, 1);
        pov_household_free(h2);
    }
    /* schooling unknown for a 10-year-old: unknown; for a 30-year-old: irrelevant */
    pov_household *h = make_hh(p, "h", &GOOD);
    set_ok(pov_household_member_set_missing(h, 3, "schooling"), "s");
    cr_assert_eq(hh_result(p, h, 2016, "compulsory_education", NULL).outcome, POV_PASS);
    set_ok(pov_household_member_set_number(h, 3, "age", 10), "age");
    cr_assert_eq(hh_result(p, h, 2016, "compulsory_education", NULL).outcome, POV_UNKNOWN);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, income_source_land_per_person) {
    pov_policy *p = load_default(GX);
    hh_spec s = GOOD;
    s.paddy = 2.0; /* 0.5 mu per person: passes */
    pov_household *h = make_hh(p, "h", &s);
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_PASS);
    set_ok(pov_household_set_number(h, "paddy_mu", 1.96), "paddy"); /* 0.49 */
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_FAIL);
    set_ok(pov_household_set_number(h, "forest_mu", 20), "forest"); /* 5 mu per person */
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_PASS);
    set_ok(pov_household_set_number(h, "forest_mu", 19.9), "forest");
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_FAIL);
    /* a member away for 7 months (> 6) counts; 6 does not */
    set_ok(pov_household_member_set_number(h, 0, "migrant_months", 6), "migrant");
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_FAIL);
    set_ok(pov_household_member_set_number(h, 0, "migrant_months", 7), "migrant");
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_PASS);
    set_ok(pov_household_member_set_number(h, 0, "migrant_months", 0), "migrant");
    /* unknown shop status with no other source: unknown */
    set_ok(pov_household_set_missing(h, "has_shop"), "shop");
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_UNKNOWN);
    pov_household_free(h);
    /* without labour (all aged 70): A/B-class dibao decides */
    h = make_hh(p, "h", &s);
    for (size_t m = 0; m < 4; m++)
        set_ok(pov_household_member_set_number(h, m, "age", 70), "age");
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_FAIL);
    set_ok(pov_household_set_boolean(h, "dibao_ab", 1), "dibao");
    cr_assert_eq(hh_result(p, h, 2016, "income_source", NULL).outcome, POV_PASS);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, tv_or_smartphone) {
    pov_policy *p = load_default(GX);
    pov_household *h = make_hh(p, "h", &GOOD);
    set_ok(pov_household_set_boolean(h, "tv", 0), "tv");
    cr_assert_eq(hh_result(p, h, 2016, "tv", NULL).outcome, POV_UNKNOWN); /* phone missing */
    set_ok(pov_household_set_boolean(h, "phone", 1), "phone");
    cr_assert_eq(hh_result(p, h, 2016, "tv", NULL).outcome, POV_PASS);
    set_ok(pov_household_set_boolean(h, "phone", 0), "phone");
    cr_assert_eq(hh_result(p, h, 2016, "tv", NULL).outcome, POV_FAIL);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, two_three_call) {
    pov_policy *p = load_default(GX);
    pov_household *h = make_hh(p, "h", &GOOD);
    set_ok(pov_household_set_missing(h, "clothing_secure"), "clothing");
    set_ok(pov_household_set_category(h, "housing_safety", "D"), "grade");
    set_ok(pov_household_set_number(h, "income_wage", 100), "wage"); /* not a dimension */
    int out[POV_TT_COUNT];
    set_ok(pov_policy_two_three_household(p, h, 2016, out), "two_three");
    cr_assert_eq(out[POV_TT_FOOD], POV_PASS);
    cr_assert_eq(out[POV_TT_CLOTHING], POV_UNKNOWN);
    cr_assert_eq(out[POV_TT_EDUCATION], POV_PASS);
    cr_assert_eq(out[POV_TT_MEDICAL], POV_PASS);
    cr_assert_eq(out[POV_TT_HOUSING], POV_FAIL);
    cr_assert_eq(out[POV_TT_WATER], POV_PASS);
    /* the income criterion is not part of the call: 2017 has no line, yet
     * the six dimensions are computable */
    set_ok(pov_policy_two_three_household(p, h, 2017, out), "two_three 2017");
    cr_assert_eq(out[POV_TT_HOUSING], POV_FAIL);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    set_ok(pov_dataset_append(ds, h), "append");
    pov_household_set_id(h, "h2");
    set_ok(pov_household_set_category(h, "housing_safety", "A"), "grade");
    set_ok(pov_dataset_append(ds, h), "append");
    uint8_t dd[2 * POV_TT_COUNT];
    set_ok(pov_policy_two_three_dataset(p, ds, 2016, dd), "dataset");
    cr_assert_eq(dd[POV_TT_HOUSING * 2 + 0], POV_FAIL);
    cr_assert_eq(dd[POV_TT_HOUSING * 2 + 1], POV_PASS);
    cr_assert_eq(dd[POV_TT_CLOTHING * 2 + 1], POV_UNKNOWN);
    cr_assert_eq(pov_policy_two_three_dataset(p, ds, 2016, NULL), POV_EINVAL);
    cr_assert_eq(pov_policy_two_three_household(NULL, h, 2016, out), POV_EINVAL);
    pov_dataset_free(ds);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, core_schema_data_leave_policy_indicators_unknown) {
    pov_policy *p = load_default(GX);
    pov_household *h = NULL;
    set_ok(pov_household_new(pov_schema_core(), &h), "new");
    set_ok(pov_household_set_id(h, "c1"), "id");
    set_ok(pov_household_set_number(h, "household_size", 2), "size");
    set_ok(pov_household_set_number(h, "income_wage", 8000), "wage");
    set_ok(pov_household_set_boolean(h, "electricity", 1), "el");
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_household(p, h, 2016, &a), "assess");
    pov_criterion_result r = {.size = sizeof r};
    pov_assessment_get(a, 0, crit(p, 0, "food"), &r);
    cr_assert_eq(r.outcome, POV_UNKNOWN);
    pov_assessment_get(a, 0, crit(p, 0, "electricity"), &r);
    cr_assert_eq(r.outcome, POV_PASS);
    pov_assessment_get(a, 0, crit(p, 0, "income_above_line"), &r);
    cr_assert_eq(r.outcome, POV_PASS); /* 4000 > 2952 */
    cr_assert_eq(pov_assessment_eligible(a)[0], POV_UNKNOWN);
    pov_assessment_free(a);
    pov_household_free(h);
    pov_policy_free(p);
}

Test(policy_household, other_income_definition_is_refused) {
    pov_policy *p = load_default(GX);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    pov_derive_options o;
    pov_derive_options_init(&o);
    o.income_exclusions = 0;
    set_ok(pov_dataset_derive(ds, &o), "derive");
    pov_assessment *a = NULL;
    cr_assert_eq(pov_policy_assess_dataset(p, ds, 2016, &a), POV_ESTATE);
    cr_assert_null(a);
    pov_derive_options want;
    set_ok(pov_policy_derive_options(p, &want), "options");
    cr_assert_eq(want.income_components, POV_INCOME_ALL);
    cr_assert_eq(want.income_exclusions, POV_INCOME_EXCL_ALL);
    cr_assert_eq(want.subtract_production_costs, 1);
    set_ok(pov_dataset_derive(ds, &want), "derive");
    set_ok(pov_policy_assess_dataset(p, ds, 2016, &a), "assess");
    cr_assert_eq(pov_assessment_count(a), 0);
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

Test(policy_household, batch_equals_single) {
    pov_policy *p = load_default(GX);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    const double areas[] = {52, 51.96, 60, 40, 100};
    const double litres[] = {35, 40, 34.9, 50, 35};
    for (size_t i = 0; i < 5; i++) {
        hh_spec s = GOOD;
        s.floor_area = areas[i];
        s.litres = litres[i];
        char id[8];
        snprintf(id, sizeof id, "b%zu", i);
        pov_household *h = make_hh(p, id, &s);
        if (i == 4)
            set_ok(pov_household_set_missing(h, "food_secure"), "food");
        set_ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_dataset(p, ds, 2016, &a), "assess");
    const uint8_t expect_el[] = {POV_PASS, POV_FAIL, POV_FAIL, POV_FAIL, POV_UNKNOWN};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(pov_assessment_eligible(a)[i], expect_el[i], "row %zu", i);
        pov_household *h = NULL;
        set_ok(pov_dataset_household(ds, i, &h), "household");
        pov_assessment *b = NULL;
        set_ok(pov_policy_assess_household(p, h, 2016, &b), "single");
        for (size_t c = 0; c < pov_assessment_criterion_count(a); c++) {
            pov_criterion_result x = {.size = sizeof x}, y = {.size = sizeof y};
            pov_assessment_get(a, i, c, &x);
            pov_assessment_get(b, 0, c, &y);
            cr_assert_eq(x.outcome, y.outcome);
            cr_assert_eq(x.test, y.test);
            cr_assert(x.value == y.value || (isnan(x.value) && isnan(y.value)));
        }
        pov_assessment_free(b);
        pov_household_free(h);
    }
    cr_assert_eq(pov_assessment_values(a, crit(p, 0, "safe_housing"))[3], 10);
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- unit assessment ---------------------------------------------------------- */

/* A small policy isolating one criterion of each kind. */
static const char *UNITP =
    "{\"format\": \"povmetrics.policy/1\", \"id\": \"unit_test\", \"title\": \"t\",\n"
    " \"version\": \"1\", \"region\": \"CN\",\n"
    " \"provenance\": {\"summary\": \"s\", \"sources\": [{\"id\": \"s\", \"status\": "
    "\"illustrative\", \"citation\": \"test\"}]},\n"
    " \"poverty_lines\": [{\"year\": 2016, \"region\": \"CN\", \"amount\": 2952, \"source\": "
    "\"s\"}],\n"
    " \"income_definition\": {\"components\": [\"operating\", \"wage\", \"property\", "
    "\"transfer\", \"other\"], \"excluded\": [\"basic_pension\", \"dibao_c\", "
    "\"temporary_relief\"], \"subtract_production_costs\": true, \"divide_by\": "
    "\"household_size\", \"source\": \"s\"},\n"
    " \"poor_household\": {\"==\": [{\"var\": \"registry_status\"}, \"poor\"]},\n"
    " \"household\": [{\"id\": \"housing\", \"label\": {\"zh\": \"住\", \"en\": \"h\"}, "
    "\"source\": \"s\", \"dimension\": \"housing\",\n"
    "    \"tests\": [{\"value\": {\"var\": \"floor_area_per_capita\"}, \"op\": \">=\", "
    "\"threshold\": 13}]}],\n"
    " \"village\": [\n"
    "  {\"id\": \"housing\", \"label\": {\"zh\": \"住\", \"en\": \"h\"}, \"source\": \"s\",\n"
    "   \"tests\": [{\"kind\": \"share\", \"among\": \"all\", \"household_criterion\": "
    "\"housing\", \"op\": \">=\", \"threshold\": 0.98}]},\n"
    "  {\"id\": \"incidence\", \"label\": {\"zh\": \"率\", \"en\": \"i\"}, \"source\": \"s\",\n"
    "   \"tests\": [{\"kind\": \"incidence\", \"op\": \"<\", \"threshold\": 0.03}]},\n"
    "  {\"id\": \"income\", \"label\": {\"zh\": \"集\", \"en\": \"c\"}, \"source\": \"s\",\n"
    "   \"tests\": [{\"kind\": \"input\", \"input\": \"collective_income\", \"op\": \">=\", "
    "\"threshold\": 20000},\n"
    "             {\"kind\": \"input\", \"input\": \"good_committee\", \"op\": \"==\", "
    "\"threshold\": true}]}]\n"
    "}";

/* @p n households of one person each in village V1; the first @p bad have 12
 * m² (fail housing); the first @p poor are registered poor and (having 12
 * m²... or not) fail the exit standard when they are among the bad ones. */
static pov_dataset *village(const pov_policy *p, size_t n, size_t bad, size_t poor,
                            size_t unknown) {
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    for (size_t i = 0; i < n; i++) {
        pov_household *h = NULL;
        char id[32];
        snprintf(id, sizeof id, "v%03zu", i);
        set_ok(pov_household_new(pov_policy_schema(p), &h), "new");
        set_ok(pov_household_set_id(h, id), "id");
        set_ok(pov_household_set_text(h, "province_code", "45"), "prov");
        set_ok(pov_household_set_text(h, "county_code", "450123"), "county");
        set_ok(pov_household_set_text(h, "village_code", "V1"), "village");
        set_ok(pov_household_set_number(h, "year", 2016), "year");
        set_ok(pov_household_member_add(h, NULL), "member");
        set_ok(pov_household_member_set_number(h, 0, "age", 40), "age");
        set_ok(pov_household_set_category(h, "registry_status", i < poor ? "poor" : "not_registered"),
               "reg");
        if (i < bad)
            set_ok(pov_household_set_number(h, "floor_area", 12), "area");
        else if (i < bad + unknown)
            ; /* floor area missing: unknown */
        else
            set_ok(pov_household_set_number(h, "floor_area", 20), "area");
        set_ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    return ds;
}

static pov_unit_inputs *inputs_v1(double income, int committee) {
    pov_unit_inputs *in = NULL;
    set_ok(pov_unit_inputs_new(&in), "inputs");
    set_ok(pov_unit_inputs_set_number(in, "V1", "collective_income", income), "set");
    set_ok(pov_unit_inputs_set_boolean(in, "V1", "good_committee", committee), "set");
    return in;
}

static pov_criterion_result unit_get(const pov_unit_result *r, size_t c) {
    pov_criterion_result x = {.size = sizeof x};
    set_ok(pov_unit_result_get(r, 0, c, &x), "unit get");
    return x;
}

Test(policy_units, share_98_percent_and_incidence_3_percent) {
    pov_policy *p = load_str(UNITP, 0);
    /* 100 households: 2 fail housing -> share 0.98 (passes >= 0.98); the 2
     * failing ones are registered poor -> incidence 2/100 = 0.02 (< 0.03) */
    pov_dataset *ds = village(p, 100, 2, 2, 0);
    pov_unit_inputs *in = inputs_v1(20000, 1);
    pov_unit_result *r = NULL;
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    cr_assert_eq(pov_unit_result_count(r), 1);
    cr_assert_str_eq(pov_unit_result_code(r, 0), "V1");
    cr_assert_eq(pov_unit_result_households(r, 0), 100);
    cr_assert_eq(pov_unit_result_criterion_count(r), 3);
    pov_criterion_result x = unit_get(r, 0);
    cr_assert_eq(x.outcome, POV_PASS);
    cr_assert_float_eq(x.value, 0.98, 1e-15);
    cr_assert_float_eq(x.margin, 0, 1e-15);
    x = unit_get(r, 1);
    cr_assert_eq(x.outcome, POV_PASS);
    cr_assert_float_eq(x.value, 0.02, 1e-15);
    cr_assert_float_eq(x.margin, 0.01, 1e-15);
    x = unit_get(r, 2);
    cr_assert_eq(x.outcome, POV_PASS);
    cr_assert_eq(x.value, 20000);
    cr_assert_eq(x.margin, 0);
    cr_assert_eq(pov_unit_result_outcome(r, 0), POV_PASS);
    cr_assert_eq(pov_unit_result_blocker_count(r, 0), 0);
    pov_unit_result_free(r);
    pov_dataset_free(ds);
    /* 3 failing, 3 poor: share 0.97 fails, incidence 0.03 fails (not < 3%) */
    ds = village(p, 100, 3, 3, 0);
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    x = unit_get(r, 0);
    cr_assert_eq(x.outcome, POV_FAIL);
    cr_assert_float_eq(x.value, 0.97, 1e-15);
    cr_assert_float_eq(x.margin, -0.01, 1e-15);
    x = unit_get(r, 1);
    cr_assert_eq(x.outcome, POV_FAIL);
    cr_assert_float_eq(x.value, 0.03, 1e-15);
    cr_assert_eq(pov_unit_result_outcome(r, 0), POV_FAIL);
    /* blockers: 3 for housing + 3 for incidence */
    cr_assert_eq(pov_unit_result_blocker_count(r, 0), 6);
    size_t row, uc;
    int hc, oc;
    set_ok(pov_unit_result_blocker(r, 0, 0, &row, &uc, &hc, &oc), "blocker");
    cr_assert_eq(row, 0);
    cr_assert_eq(uc, 0);
    cr_assert_eq(hc, 0);
    cr_assert_eq(oc, POV_FAIL);
    char *reason = NULL;
    set_ok(pov_unit_result_blocker_reason(r, 0, 0, &reason), "reason");
    cr_assert_str_eq(reason, "household v000: housing fails (value 12, threshold >= 13) "
                             "[blocks housing]");
    pov_free(reason);
    set_ok(pov_unit_result_blocker(r, 0, 5, &row, &uc, &hc, &oc), "blocker");
    cr_assert_eq(row, 2);
    cr_assert_eq(uc, 1);
    cr_assert_eq(pov_unit_result_blocker(r, 0, 6, &row, &uc, &hc, &oc), POV_EINVAL);
    char *text = NULL, *json = NULL;
    set_ok(pov_unit_result_to_string(r, 1, &text), "text");
    cr_assert(strstr(text, "Village V1 (unit_test, 2016): 100 households, 100 people: NOT "
                           "ELIGIBLE"));
    cr_assert(strstr(text, "-0.01"));
    set_ok(pov_unit_result_to_string(r, 0, &json), "json");
    cr_assert(strstr(json, "\"outcome\":\"fail\""));
    cr_assert(strstr(json, "\"household\":\"v002\""));
    pov_free(text);
    pov_free(json);
    pov_unit_result_free(r);
    pov_unit_result_free(NULL);
    pov_dataset_free(ds);
    pov_unit_inputs_free(in);
    pov_policy_free(p);
}

Test(policy_units, unknown_households_bound_the_share) {
    pov_policy *p = load_str(UNITP, 0);
    pov_unit_inputs *in = inputs_v1(30000, 1);
    /* 100 households, 1 failing, 1 unknown: share in [0.98, 0.99]: passes */
    pov_dataset *ds = village(p, 100, 1, 0, 1);
    pov_unit_result *r = NULL;
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    pov_criterion_result x = unit_get(r, 0);
    cr_assert_eq(x.outcome, POV_PASS);
    cr_assert_float_eq(x.value, 0.98, 1e-15);
    pov_unit_result_free(r);
    pov_dataset_free(ds);
    /* 2 failing, 1 unknown: share in [0.97, 0.98]: unknown, value 0.97 */
    ds = village(p, 100, 2, 0, 1);
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    x = unit_get(r, 0);
    cr_assert_eq(x.outcome, POV_UNKNOWN);
    cr_assert_float_eq(x.value, 0.97, 1e-15);
    cr_assert_eq(pov_unit_result_outcome(r, 0), POV_UNKNOWN);
    cr_assert_eq(pov_unit_result_blocker_count(r, 0), 3);
    int oc;
    set_ok(pov_unit_result_blocker(r, 0, 2, NULL, NULL, NULL, &oc), "blocker");
    cr_assert_eq(oc, POV_UNKNOWN);
    pov_unit_result_free(r);
    pov_dataset_free(ds);
    /* incidence: 2 poor failing + 1 poor unknown of 100: [0.02, 0.03]: unknown */
    ds = village(p, 100, 2, 3, 1);
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    x = unit_get(r, 1);
    cr_assert_eq(x.outcome, POV_UNKNOWN);
    cr_assert_float_eq(x.value, 0.03, 1e-15); /* reported unfavourably */
    pov_unit_result_free(r);
    pov_dataset_free(ds);
    pov_unit_inputs_free(in);
    pov_policy_free(p);
}

Test(policy_units, inputs_thresholds_and_errors) {
    pov_policy *p = load_str(UNITP, 0);
    pov_dataset *ds = village(p, 10, 0, 0, 0);
    pov_unit_inputs *in = inputs_v1(19999, 1);
    pov_unit_result *r = NULL;
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    pov_criterion_result x = unit_get(r, 2);
    cr_assert_eq(x.outcome, POV_FAIL);
    cr_assert_eq(x.margin, -1);
    pov_unit_result_free(r);
    pov_unit_inputs_free(in);
    in = inputs_v1(25000, 0); /* committee false: second test fails */
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    x = unit_get(r, 2);
    cr_assert_eq(x.outcome, POV_FAIL);
    cr_assert_eq(x.test, 1);
    cr_assert(isnan(x.margin));
    pov_unit_result_free(r);
    pov_unit_inputs_free(in);
    /* a missing input names the unit and the input */
    set_ok(pov_unit_inputs_new(&in), "new");
    set_ok(pov_unit_inputs_set_boolean(in, "V1", "good_committee", 1), "set");
    cr_assert_eq(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r),
                 POV_EMISSING);
    cr_assert_null(r);
    const char *msg = pov_error_message(pov_error_last());
    cr_assert(strstr(msg, "V1") && strstr(msg, "collective_income"), "%s", msg);
    cr_assert_eq(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, NULL, &r),
                 POV_EMISSING);
    /* a boolean where a number is needed */
    set_ok(pov_unit_inputs_set_boolean(in, "V1", "collective_income", 1), "set");
    cr_assert_eq(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), POV_ETYPE);
    cr_assert_eq(pov_unit_inputs_set_number(in, "V1", "x", NAN), POV_ENONFINITE);
    cr_assert_eq(pov_unit_inputs_set_number(in, "", "x", 1), POV_EINVAL);
    cr_assert_eq(pov_policy_assess_units(p, ds, POV_POLICY_HOUSEHOLD, 2016, in, &r), POV_EINVAL);
    pov_unit_inputs_free(in);
    pov_unit_inputs_free(NULL);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

Test(policy_units, inputs_from_json) {
    pov_unit_inputs *in = NULL;
    set_ok(pov_unit_inputs_new(&in), "new");
    const char *ok = "{\"V1\": {\"collective_income\": 20000, \"good_committee\": true}}";
    set_ok(pov_unit_inputs_load_string(in, ok, strlen(ok), NULL), "load");
    const char *bad = "{\"V1\": {\"collective_income\": \"lots\"}}";
    cr_assert_eq(pov_unit_inputs_load_string(in, bad, strlen(bad), "in.json"), POV_ETYPE);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "V1.collective_income");
    cr_assert_eq(pov_error_line(pov_error_last()), 1);
    cr_assert_eq(pov_error_column(pov_error_last()), 30);
    const char *bad2 = "[1]";
    cr_assert_eq(pov_unit_inputs_load_string(in, bad2, strlen(bad2), NULL), POV_ETYPE);
    const char *bad3 = "{\"V1\": 3}";
    cr_assert_eq(pov_unit_inputs_load_string(in, bad3, strlen(bad3), NULL), POV_ETYPE);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "V1");
    const char *bad4 = "{\"V1\": {";
    cr_assert_eq(pov_unit_inputs_load_string(in, bad4, strlen(bad4), NULL), POV_ETRUNCATED);
    pov_policy *p = load_str(UNITP, 0);
    pov_dataset *ds = village(p, 10, 0, 0, 0);
    pov_unit_result *r = NULL;
    set_ok(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r), "units");
    cr_assert_eq(pov_unit_result_outcome(r, 0), POV_PASS);
    pov_unit_result_free(r);
    pov_dataset_free(ds);
    pov_policy_free(p);
    pov_unit_inputs_free(in);
}

Test(policy_units, household_without_unit_code) {
    pov_policy *p = load_str(UNITP, 0);
    pov_dataset *ds = village(p, 3, 0, 0, 0);
    pov_household *h = NULL;
    set_ok(pov_household_new(pov_policy_schema(p), &h), "new");
    set_ok(pov_household_set_id(h, "lost"), "id");
    set_ok(pov_household_member_add(h, NULL), "member");
    set_ok(pov_household_member_set_number(h, 0, "age", 40), "age");
    set_ok(pov_dataset_append(ds, h), "append");
    pov_household_free(h);
    pov_unit_result *r = NULL;
    cr_assert_eq(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, NULL, &r),
                 POV_EMISSING);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "[3].village_code");
    cr_assert(strstr(pov_error_message(pov_error_last()), "lost"));
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* Guangxi's full village standard with complete data for one village. */
Test(policy_units, guangxi_village_and_county) {
    pov_policy *p = load_default(GX);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    /* 50 households of 4 people; 1 poor household fails housing (10 m²):
     * share 49/50 = 0.98 passes; incidence 4/200 = 0.02 < 0.03 passes */
    for (int i = 0; i < 50; i++) {
        char id[16];
        snprintf(id, sizeof id, "g%02d", i);
        hh_spec s = GOOD;
        if (i == 0)
            s.floor_area = 40;
        pov_household *h = make_hh(p, id, &s);
        if (i >= 10)
            set_ok(pov_household_set_category(h, "registry_status", "exited"), "reg");
        set_ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    const char *inputs =
        "{\"450123101\": {\"village_road_width_m\": 4.5, \"hamlet_road_width_m\": 3.5,"
        " \"has_office\": true, \"has_clinic\": true, \"has_culture_room\": true,"
        " \"has_broadband\": true, \"pension_enrolment\": 0.9, \"collective_income\": 20000,"
        " \"good_committee\": true},"
        " \"450123\": {\"wrongful_exit_rate\": 0.019, \"missed_identification_rate\": 0.0,"
        " \"public_approval\": 0.95, \"dangerous_housing_renovated\": 0.9,"
        " \"education_retention\": 0.952, \"villages_road_share\": 0.98,"
        " \"public_services\": true, \"dibao_line\": 3000, \"pension_enrolment\": 0.95,"
        " \"income_growth_above_national\": true}}";
    pov_unit_inputs *in = NULL;
    set_ok(pov_unit_inputs_new(&in), "new");
    set_ok(pov_unit_inputs_load_string(in, inputs, strlen(inputs), NULL), "inputs");
    pov_unit_result *r = NULL;
    /* 2016: collective income has no published 2016 value -> error */
    cr_assert_eq(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2016, in, &r),
                 POV_ENOTFOUND);
    cr_assert(strstr(pov_error_message(pov_error_last()), "collective_income"));
    /* every year of the schedule needs a poverty line too: use a policy that
     * adds a 2017 line (illustrative) */
    const char *y2017 =
        "{\"format\": \"povmetrics.policy/1\", \"id\": \"gx_2017_test\", \"title\": \"t\","
        " \"version\": \"1\", \"region\": \"45\", \"inherits\": \"guangxi_2016\","
        " \"provenance\": {\"summary\": \"s\", \"sources\": [{\"id\": \"t\", \"status\":"
        " \"illustrative\", \"citation\": \"test line\"}]},"
        " \"poverty_lines\": [{\"year\": 2017, \"region\": \"CN\", \"amount\": 2952,"
        " \"source\": \"t\"}]}";
    pov_policy *q = load_str(y2017, 0);
    set_ok(pov_policy_assess_units(q, ds, POV_POLICY_VILLAGE, 2017, in, &r), "village");
    cr_assert_eq(pov_unit_result_count(r), 1);
    for (size_t c = 0; c < pov_unit_result_criterion_count(r); c++) {
        pov_criterion_result x = unit_get(r, c);
        cr_assert_eq(x.outcome, POV_PASS, "criterion %s",
                     pov_policy_criterion_id(q, POV_POLICY_VILLAGE, c));
    }
    cr_assert_float_eq(unit_get(r, crit(q, 1, "housing")).value, 0.98, 1e-15);
    cr_assert_float_eq(unit_get(r, crit(q, 1, "incidence")).value, 0.02, 1e-15);
    cr_assert_eq(pov_unit_result_outcome(r, 0), POV_PASS);
    pov_unit_result_free(r);
    set_ok(pov_policy_assess_units(q, ds, POV_POLICY_COUNTY, 2017, in, &r), "county");
    cr_assert_str_eq(pov_unit_result_code(r, 0), "450123");
    for (size_t c = 0; c < pov_unit_result_criterion_count(r); c++)
        cr_assert_eq(unit_get(r, c).outcome, POV_PASS, "criterion %s",
                     pov_policy_criterion_id(q, POV_POLICY_COUNTY, c));
    cr_assert_float_eq(unit_get(r, crit(q, 2, "social_security")).margin, 48, 1e-9);
    pov_unit_result_free(r);
    /* wrongful exits at 2%: not below 2% */
    set_ok(pov_unit_inputs_set_number(in, "450123", "wrongful_exit_rate", 0.02), "set");
    set_ok(pov_policy_assess_units(q, ds, POV_POLICY_COUNTY, 2017, in, &r), "county");
    cr_assert_eq(unit_get(r, crit(q, 2, "wrongful_exit_rate")).outcome, POV_FAIL);
    cr_assert_eq(pov_unit_result_outcome(r, 0), POV_FAIL);
    pov_unit_result_free(r);
    pov_unit_inputs_free(in);
    pov_policy_free(q);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- report ------------------------------------------------------------------- */

Test(policy_report, incidence_income_growth) {
    pov_policy *p = load_str(UNITP, 0);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_policy_schema(p), &ds), "ds");
    /* village V1: 2015: 2 poor (incomes 2000, 2400 per person, sizes 1 and 2)
     * + 1 non-poor of size 2; 2016: the same with incomes 2200, 3000.
     * 2015: people 5, poor people 3, incidence 0.6, mean income (2000+2400)/2
     * = 2200; 2016: mean (2200+3000)/2 = 2600, growth 2600/2200 - 1. */
    const int years[] = {2015, 2015, 2015, 2016, 2016, 2016};
    const int sizes[] = {1, 2, 2, 1, 2, 2};
    const double inc[] = {2000, 2400, 9000, 2200, 3000, 9000};
    const int poor[] = {1, 1, 0, 1, 1, 0};
    for (int i = 0; i < 6; i++) {
        pov_household *h = NULL;
        char id[8];
        snprintf(id, sizeof id, "r%d", i);
        set_ok(pov_household_new(pov_policy_schema(p), &h), "new");
        set_ok(pov_household_set_id(h, id), "id");
        set_ok(pov_household_set_text(h, "county_code", "C1"), "c");
        set_ok(pov_household_set_text(h, "village_code", "V1"), "v");
        set_ok(pov_household_set_number(h, "year", years[i]), "y");
        set_ok(pov_household_set_category(h, "registry_status", poor[i] ? "poor" : "not_registered"),
               "reg");
        for (int m = 0; m < sizes[i]; m++) {
            size_t k;
            set_ok(pov_household_member_add(h, &k), "m");
            set_ok(pov_household_member_set_number(h, k, "age", m == 1 ? 10 : 40), "age");
            set_ok(pov_household_member_set_boolean(h, k, "medical_insurance", !(i == 1 && m == 1)),
                   "ins");
            set_ok(pov_household_member_set_category(h, k, "schooling",
                                                     m == 1 ? (i == 4 ? "dropped_out" : "primary")
                                                            : "not_applicable"), "s");
        }
        set_ok(pov_household_set_number(h, "income_wage", inc[i] * sizes[i]), "wage");
        set_ok(pov_household_set_number(h, "floor_area", i == 0 ? 10 : 14.0 * sizes[i]), "area");
        set_ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    pov_report *r = NULL;
    set_ok(pov_policy_report(p, ds, POV_POLICY_VILLAGE, &r), "report");
    cr_assert_eq(pov_report_count(r), 2);
    cr_assert_str_eq(pov_report_unit(r, 0), "V1");
    cr_assert_eq(pov_report_year(r, 0), 2015);
    cr_assert_eq(pov_report_year(r, 1), 2016);
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_HOUSEHOLDS), 3);
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_PEOPLE), 5);
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_POOR_HOUSEHOLDS), 2);
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_POOR_PEOPLE), 3);
    cr_assert_float_eq(pov_report_value(r, 0, POV_REPORT_INCIDENCE), 0.6, 1e-15);
    /* exits: poor households meeting the (housing-only) standard: r1 in 2015
     * (28 m² / 2 = 14), r3 and r4 in 2016 */
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_EXITS), 1);
    cr_assert_eq(pov_report_value(r, 1, POV_REPORT_EXITS), 2);
    /* safe housing share among poor: 2015 1/2, 2016 2/2 */
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_SAFE_HOUSING_SHARE), 0.5);
    cr_assert_eq(pov_report_value(r, 1, POV_REPORT_SAFE_HOUSING_SHARE), 1.0);
    /* no water criterion in this policy: the water dimension is unknown -> 0 */
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_SAFE_WATER_SHARE), 0.0);
    /* medical: 2015 poor members 3, one uninsured (r1's child): 2/3 */
    cr_assert_float_eq(pov_report_value(r, 0, POV_REPORT_MEDICAL_PARTICIPATION), 2.0 / 3,
                       1e-15);
    cr_assert_eq(pov_report_value(r, 1, POV_REPORT_MEDICAL_PARTICIPATION), 1.0);
    /* education: 2015 one child (r1) in school: 1; 2016 r4's child dropped out: 0 */
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_EDUCATION_ENROLMENT), 1.0);
    cr_assert_eq(pov_report_value(r, 1, POV_REPORT_EDUCATION_ENROLMENT), 0.0);
    cr_assert_eq(pov_report_value(r, 0, POV_REPORT_MEAN_INCOME_POOR), 2200);
    cr_assert_eq(pov_report_value(r, 1, POV_REPORT_MEAN_INCOME_POOR), 2600);
    cr_assert(isnan(pov_report_value(r, 0, POV_REPORT_INCOME_GROWTH)));
    cr_assert_float_eq(pov_report_value(r, 1, POV_REPORT_INCOME_GROWTH), 2600.0 / 2200 - 1,
                       1e-15);
    cr_assert(isnan(pov_report_value(r, 2, 0)));
    cr_assert(isnan(pov_report_value(r, 0, POV_REPORT_FIELD_COUNT)));
    cr_assert_str_eq(pov_report_field_name(POV_REPORT_INCIDENCE), "incidence");
    cr_assert_null(pov_report_field_name(-1));
    char *json = NULL;
    set_ok(pov_report_to_json(r, &json), "json");
    cr_assert(strstr(json, "\"unit\":\"V1\",\"year\":2015,\"households\":3,\"people\":5"));
    cr_assert(strstr(json, "\"income_growth\":null"));
    pov_free(json);
    pov_report_free(r);
    /* counties */
    set_ok(pov_policy_report(p, ds, POV_POLICY_COUNTY, &r), "report");
    cr_assert_str_eq(pov_report_unit(r, 0), "C1");
    cr_assert_eq(pov_report_count(r), 2);
    pov_report_free(r);
    pov_report_free(NULL);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* ---- bad documents: code, path, line, column ----------------------------------- */

typedef struct bad_case {
    const char *name;
    const char *json;
    int code;
    const char *path;
    size_t line, column;
} bad_case;

#define HDR                                                                              \
    "{\"format\": \"povmetrics.policy/1\", \"id\": \"x\", \"title\": \"t\", \"version\": "  \
    "\"1\", \"region\": \"45\", \"inherits\": \"guangxi_2016\",\n \"provenance\": "       \
    "{\"summary\": \"s\", \"sources\": [{\"id\": \"s\", \"status\": \"confirmed\", "      \
    "\"citation\": \"c\"}]},\n"

static const bad_case BAD[] = {
    {"unknown override id", HDR " \"overrides\": {\"village\": [\n  {\"id\": \"colective_income\", "
     "\"source\": \"s\"}]}}", POV_ENOTFOUND, "overrides.village[0].id", 4, 10},
    {"threshold wrong type", HDR " \"overrides\": {\"village\": [{\"id\": \"collective_income\",\n"
     "   \"tests\": [{\"kind\": \"input\", \"input\": \"collective_income\", \"op\": \">=\", "
     "\"threshold\": \"20000\"}]}]}}", POV_ETYPE, "overrides.village[0].tests[0].threshold", 4, 87},
    {"boolean threshold with >=", HDR " \"village\": [{\"id\": \"extra\", \"label\": {\"zh\": \"z\","
     " \"en\": \"e\"}, \"source\": \"s\", \"tests\": [{\"kind\": \"input\", \"input\": \"a\","
     " \"op\": \">=\", \"threshold\": true}]}]}", POV_ETYPE, "village[0].tests[0].threshold", 3, 0},
    {"unknown field", HDR " \"household\": [], \"villages\": []}", POV_EUNKNOWN, "villages", 3, 31}, /* column of its value */
    {"unknown field in criterion", HDR " \"county\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\","
     " \"en\": \"e\"}, \"source\": \"s\", \"treshold\": 1, \"tests\": []}]}", POV_EUNKNOWN,
     "county[0].treshold", 3, 0},
    {"unknown source", HDR " \"county\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\": \"e\"},"
     " \"source\": \"nope\", \"tests\": [{\"kind\": \"incidence\", \"op\": \"<\", \"threshold\":"
     " 0.1}]}]}", POV_ENOTFOUND, "county[0].source", 3, 0},
    {"duplicate criterion", HDR " \"county\": [{\"id\": \"incidence\", \"label\": {\"zh\": \"z\","
     " \"en\": \"e\"}, \"source\": \"s\", \"tests\": [{\"kind\": \"incidence\", \"op\": \"<\","
     " \"threshold\": 0.1}]}]}", POV_EDUPLICATE, "county[0].id", 3, 0},
    {"unknown operator", HDR " \"county\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\":"
     " \"e\"}, \"source\": \"s\", \"tests\": [{\"kind\": \"incidence\", \"op\": \"=<\","
     " \"threshold\": 0.1}]}]}", POV_EUNKNOWN, "county[0].tests[0].op", 3, 0},
    {"unknown test kind", HDR " \"county\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\":"
     " \"e\"}, \"source\": \"s\", \"tests\": [{\"kind\": \"ratio\", \"op\": \"<\","
     " \"threshold\": 0.1}]}]}", POV_EUNKNOWN, "county[0].tests[0].kind", 3, 0},
    {"unknown household criterion", HDR " \"village\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\","
     " \"en\": \"e\"}, \"source\": \"s\", \"tests\": [{\"kind\": \"share\", \"among\": \"all\","
     " \"household_criterion\": \"roof\", \"op\": \">=\", \"threshold\": 0.9}]}]}",
     POV_ENOTFOUND, "village[0].tests[0].household_criterion", 3, 0},
    {"unknown indicator", HDR " \"household\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\":"
     " \"e\"}, \"source\": \"s\", \"condition\": {\"==\": [{\"var\": \"roof_colour\"}, 1]}}]}",
     POV_ENOTFOUND, NULL, 3, 0},
    {"bad year key", HDR " \"overrides\": {\"village\": [{\"id\": \"collective_income\", \"tests\":"
     " [{\"kind\": \"input\", \"input\": \"c\", \"op\": \">=\", \"threshold\": {\"by_year\":"
     " {\"20x7\": 1}}}]}]}}", POV_ERANGE, "overrides.village[0].tests[0].threshold.by_year.20x7",
     3, 0},
    {"negative line", HDR " \"poverty_lines\": [{\"year\": 2018, \"region\": \"CN\", \"amount\":"
     " -1, \"source\": \"s\"}]}", POV_ERANGE, "poverty_lines[0].amount", 3, 0},
    {"duplicate line", HDR " \"poverty_lines\": [{\"year\": 2018, \"region\": \"CN\", \"amount\":"
     " 1, \"source\": \"s\"}, {\"year\": 2018, \"region\": \"CN\", \"amount\": 2, \"source\":"
     " \"s\"}]}", POV_EDUPLICATE, "poverty_lines[1]", 3, 0},
    {"criterion without rule", HDR " \"household\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\","
     " \"en\": \"e\"}, \"source\": \"s\"}]}", POV_ERULE, "household[0]", 3, 0},
    {"unknown parent", "{\"format\": \"povmetrics.policy/1\", \"id\": \"x\", \"title\": \"t\","
     " \"version\": \"1\", \"region\": \"45\", \"inherits\": \"hunan_2017\", \"provenance\":"
     " {\"summary\": \"s\", \"sources\": []}}", POV_ENOTFOUND, "inherits", 1, 0},
    {"format", "{\"format\": \"povmetrics.policy/2\"}", POV_EFORMAT, "format", 1, 12},
    {"no format", "{\"id\": \"x\"}", POV_EFORMAT, "", 1, 1},
    {"syntax", "{\"format\": \"povmetrics.policy/1\",\n \"id\": }", POV_ESYNTAX, NULL, 2, 0},
    {"string threshold", HDR " \"overrides\": {\"household\": [{\"id\": \"safe_housing\", \"tests\":"
     " [{\"value\": {\"var\": \"floor_area_per_capita\"}, \"op\": \">=\", \"threshold\":"
     " \"13\"}]}]}}", POV_ETYPE, "overrides.household[0].tests[0].threshold", 3, 0},
    {"value type mismatch", HDR " \"household\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\":"
     " \"e\"}, \"source\": \"s\", \"tests\": [{\"value\": {\"var\": \"electricity\"}, \"op\":"
     " \">=\", \"threshold\": 1}]}]}", POV_ETYPE, "household[0].tests[0].threshold", 3, 0},
    {"overrides without inherits", "{\"format\": \"povmetrics.policy/1\", \"id\": \"x\", \"title\":"
     " \"t\", \"version\": \"1\", \"region\": \"45\", \"overrides\": {}}", POV_ERULE, "overrides",
     1, 0},
    {"unknown dimension", HDR " \"household\": [{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\":"
     " \"e\"}, \"source\": \"s\", \"dimension\": \"shelter\", \"condition\": {\"var\":"
     " \"electricity\"}}]}", POV_EUNKNOWN, "household[0].dimension", 3, 0},
    {"bad income component", "{\"format\": \"povmetrics.policy/1\", \"id\": \"x\", \"title\": \"t\","
     " \"version\": \"1\", \"region\": \"45\", \"provenance\": {\"summary\": \"s\", \"sources\":"
     " [{\"id\": \"s\", \"status\": \"confirmed\", \"citation\": \"c\"}]}, \"poverty_lines\": [],"
     " \"income_definition\": {\"components\": [\"wages\"], \"excluded\": [],"
     " \"subtract_production_costs\": true, \"divide_by\": \"household_size\", \"source\": \"s\"},"
     " \"poor_household\": {\"var\": \"electricity\"}, \"household\": []}", POV_EUNKNOWN,
     "income_definition.components[0]", 1, 0},
    {"bad source status", "{\"format\": \"povmetrics.policy/1\", \"id\": \"x\", \"title\": \"t\","
     " \"version\": \"1\", \"region\": \"45\", \"inherits\": \"guangxi_2016\", \"provenance\":"
     " {\"summary\": \"s\", \"sources\": [{\"id\": \"a\", \"status\": \"official\", \"citation\":"
     " \"c\"}]}}", POV_EUNKNOWN, "provenance.sources[0].status", 1, 0},
};

Test(policy_load, bad_documents) {
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_case *b = &BAD[i];
        pov_policy *p = (pov_policy *)1;
        int r = pov_policy_load_string(b->json, strlen(b->json), "bad.json", NULL, &p);
        const pov_error *e = pov_error_last();
        cr_assert_eq(r, b->code, "%s: got %d (%s at '%s')", b->name, r, pov_error_message(e),
                     pov_error_path(e));
        cr_assert_null(p, "%s", b->name);
        if (b->path)
            cr_assert_str_eq(pov_error_path(e), b->path, "%s", b->name);
        cr_assert_str_eq(pov_error_source(e), "bad.json", "%s", b->name);
        if (b->line)
            cr_assert_eq(pov_error_line(e), b->line, "%s: line %zu", b->name, pov_error_line(e));
        if (b->column)
            cr_assert_eq(pov_error_column(e), b->column, "%s: column %zu", b->name,
                         pov_error_column(e));
    }
}

Test(policy_load, unknown_indicator_path) {
    const char *j = BAD[10].json;
    pov_policy *p = NULL;
    cr_assert_eq(pov_policy_load_string(j, strlen(j), NULL, NULL, &p), POV_ENOTFOUND);
    const char *path = pov_error_path(pov_error_last());
    cr_assert(strncmp(path, "household[0].condition", 22) == 0, "%s", path);
    cr_assert(strstr(pov_error_message(pov_error_last()), "roof_colour"));
}

Test(policy_load, files_and_null_arguments) {
    pov_policy *p = NULL;
    cr_assert_eq(pov_policy_load_file("/nonexistent/policy.json", NULL, &p), POV_EIO);
    cr_assert_str_eq(pov_error_source(pov_error_last()), "/nonexistent/policy.json");
    cr_assert_eq(pov_policy_load_file(NULL, NULL, &p), POV_EINVAL);
    cr_assert_eq(pov_policy_load_string(NULL, 0, NULL, NULL, &p), POV_EINVAL);
    pov_policy_load_options o = {0};
    cr_assert_eq(pov_policy_load_string("{}", 2, NULL, &o, &p), POV_EINVAL); /* size unset */
    char path[512];
    const char *root = getenv("POV_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/lib/policy/defaults/guangxi_2016.json", root ? root : ".");
    cr_assert_eq(pov_policy_load_file(path, NULL, &p), 0, "%s", pov_error_message(pov_error_last()));
    cr_assert_eq(pov_policy_criterion_count(p, POV_POLICY_COUNTY), 13);
    cr_assert_str_eq(pov_policy_title_en(p), pov_policy_title_en(p));
    cr_assert(strlen(pov_policy_title_zh(p)) > 0);
    cr_assert_str_eq(pov_policy_version(p), "2016.1");
    pov_policy_free(p);
    cr_assert_null(pov_policy_id(NULL));
    cr_assert_eq(pov_policy_criterion_count(NULL, 0), 0);
    double v;
    cr_assert_eq(pov_policy_poverty_line(NULL, 2016, NULL, &v), POV_EINVAL);
    cr_assert_eq(pov_policy_derive_options(NULL, NULL), POV_EINVAL);
    cr_assert_null(pov_policy_schema(NULL));
    char *s;
    cr_assert_eq(pov_policy_to_json(NULL, &s), POV_EINVAL);
}

Test(policy_load, policy_schema_has_its_indicators) {
    pov_policy *g = load_default(GX);
    const pov_schema *s = pov_policy_schema(g);
    cr_assert_eq(pov_schema_count(s), pov_schema_core_count() + 8);
    cr_assert_eq(pov_schema_find(s, "food_secure", NULL), 0);
    cr_assert_eq(pov_schema_find(s, "industry_covered", NULL), 0);
    pov_policy_free(g);
}

/* A policy of household criteria only (JSON array elements @p criteria),
 * with extension indicators @p indicators (JSON array elements, or NULL), an
 * illustrative source "s" and the national income definition. */
#define HOUSEHOLD_POLICY_FMT \
        "{\"format\": \"povmetrics.policy/1\", \"id\": \"test\", \"title\": \"t\"," \
        " \"version\": \"1\", \"region\": \"CN\", \"provenance\": {\"summary\": \"s\"," \
        " \"sources\": [{\"id\": \"s\", \"status\": \"illustrative\", \"citation\": \"c\"}]}," \
        " \"indicators\": [%s]," \
        " \"poverty_lines\": [], \"income_definition\": {\"components\": [\"wage\"," \
        " \"operating\", \"property\", \"transfer\", \"other\"], \"excluded\":" \
        " [\"basic_pension\", \"dibao_c\", \"temporary_relief\"]," \
        " \"subtract_production_costs\": true, \"divide_by\":" \
        " \"household_size\", \"source\": \"s\"}," \
        " \"poor_household\": {\"!=\": [{\"var\": \"registry_status\"}, \"poor\"]}," \
        " \"household\": [%s]}"
static pov_policy *household_policy(const char *indicators, const char *criteria) {
    size_t n = strlen(HOUSEHOLD_POLICY_FMT) + strlen(criteria) + 1;
    n += indicators ? strlen(indicators) : 0;
    char *doc = malloc(n);
    cr_assert_not_null(doc);
    snprintf(doc, n, HOUSEHOLD_POLICY_FMT, indicators ? indicators : "", criteria);
    pov_policy *p = load_str(doc, 0);
    free(doc);
    return p;
}

/* The policy evaluates simple household conditions on a fast path; it must
 * agree with the condition interpreter (pov_condition_eval_dataset) on every
 * combination of true / false / missing inputs. */
Test(policy_household, fast_path_matches_interpreter) {
    const char *cond =
        "{\"or\": [{\"!\": {\"==\": [{\"var\": \"tv\"}, true]}},"
        " {\"and\": [{\"!=\": [{\"var\": \"housing_safety\"}, \"D\"]},"
        "            {\">=\": [{\"var\": \"floor_area\"}, 50]}]},"
        " {\"<\": [30, {\"var\": \"water_litres_per_day\"}]},"
        " {\"in\": [{\"var\": \"housing_structure\"}, [\"earth\", \"simple\"]]}]}";
    char crit[1024];
    snprintf(crit, sizeof crit,
             "{\"id\": \"c\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
             " \"condition\": %s}", cond);
    pov_policy *p = household_policy(NULL, crit);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_schema_core(), &ds), "ds");
    /* 3 x 3 x 3 x 3 x 3 combinations: value a, value b, or missing */
    const char *grades[] = {"A", "D", NULL};
    const char *structs[] = {"earth", "brick_wood", NULL};
    const double areas[] = {60, 40, NAN}, litres[] = {31, 30, NAN};
    const int tvs[] = {1, 0, -1};
    size_t n = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 3; c++)
                for (int d = 0; d < 3; d++)
                    for (int e = 0; e < 3; e++) {
                        pov_household *h = NULL;
                        char id[16];
                        snprintf(id, sizeof id, "f%zu", n++);
                        set_ok(pov_household_new(pov_schema_core(), &h), "new");
                        set_ok(pov_household_set_id(h, id), "id");
                        if (tvs[a] >= 0)
                            set_ok(pov_household_set_boolean(h, "tv", tvs[a]), "tv");
                        if (grades[b])
                            set_ok(pov_household_set_category(h, "housing_safety", grades[b]), "g");
                        if (!isnan(areas[c]))
                            set_ok(pov_household_set_number(h, "floor_area", areas[c]), "a");
                        if (!isnan(litres[d]))
                            set_ok(pov_household_set_number(h, "water_litres_per_day", litres[d]), "l");
                        if (structs[e])
                            set_ok(pov_household_set_category(h, "housing_structure", structs[e]), "s");
                        if (n % 2)
                            set_ok(pov_household_set_category(h, "registry_status", "poor"), "r");
                        set_ok(pov_dataset_append(ds, h), "append");
                        pov_household_free(h);
                    }
    pov_condition *c = NULL;
    set_ok(pov_condition_compile(pov_schema_core(), cond, strlen(cond), NULL, &c), "compile");
    uint8_t *st = malloc(n);
    set_ok(pov_condition_eval_dataset(c, ds, NULL, st), "eval");
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_dataset(p, ds, 2016, &a), "assess");
    const uint8_t *oc = pov_assessment_outcomes(a, 0);
    size_t seen[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(oc[i], st[i], "household %zu", i);
        seen[st[i]]++;
    }
    cr_assert(seen[0] && seen[1] && seen[2]); /* all three outcomes exercised */
    pov_assessment_free(a);
    free(st);
    pov_condition_free(c);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* The fast path tests a code against a 64-bit set held as two 32-bit words:
 * codes 0..31 in one, 32..63 in the other; codes from 64 up are never in the
 * set. A category of 70 codes exercises both words, the boundary between them
 * (31, 32), and codes 64..69, which share their low six bits with listed codes
 * (69 with 5); the expected outcomes are written out by hand and also checked
 * against the interpreter. */
Test(policy_household, fast_path_codes_in_both_words) {
    char codes[70 * 24 + 1] = "";
    for (int k = 0; k < 70; k++) {
        char one[32];
        snprintf(one, sizeof one, "%s{\"code\": \"c%02d\"}", k ? ", " : "", k);
        strcat(codes, one);
    }
    const char *cond_in = "{\"in\": [{\"var\": \"district\"}, [\"c00\", \"c05\", \"c31\", \"c32\","
                          " \"c33\", \"c39\"]]}";
    const char *cond_eq = "{\"==\": [{\"var\": \"district\"}, \"c35\"]}";
    const char *cond_ne = "{\"!=\": [{\"var\": \"district\"}, \"c30\"]}";
    char ind[70 * 24 + 128], crits[1024];
    snprintf(ind, sizeof ind,
             "{\"id\": \"district\", \"level\": \"household\", \"type\": \"category\","
             " \"codes\": [%s]}", codes);
    snprintf(crits, sizeof crits,
             "{\"id\": \"in\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
             " \"condition\": %s},"
             "{\"id\": \"eq\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
             " \"condition\": %s},"
             "{\"id\": \"ne\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
             " \"condition\": %s}", cond_in, cond_eq, cond_ne);
    pov_policy *p = household_policy(ind, crits);
    const pov_schema *s = pov_policy_schema(p);
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(s, &ds), "ds");
    /* households 0..69 have code c<i>; household 70 has none */
    for (int i = 0; i <= 70; i++) {
        pov_household *h = NULL;
        char id[16], code[8];
        snprintf(id, sizeof id, "d%d", i);
        set_ok(pov_household_new(s, &h), "new");
        set_ok(pov_household_set_id(h, id), "id");
        if (i < 70) {
            snprintf(code, sizeof code, "c%02d", i);
            set_ok(pov_household_set_category(h, "district", code), "district");
        }
        set_ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_dataset(p, ds, 2016, &a), "assess");
    const uint8_t *oc_in = pov_assessment_outcomes(a, crit(p, POV_POLICY_HOUSEHOLD, "in"));
    const uint8_t *oc_eq = pov_assessment_outcomes(a, crit(p, POV_POLICY_HOUSEHOLD, "eq"));
    const uint8_t *oc_ne = pov_assessment_outcomes(a, crit(p, POV_POLICY_HOUSEHOLD, "ne"));
    const double *v_in = pov_assessment_values(a, crit(p, POV_POLICY_HOUSEHOLD, "in"));
    for (int i = 0; i < 70; i++) {
        const int in = i == 0 || i == 5 || i == 31 || i == 32 || i == 33 || i == 39;
        cr_assert_eq(oc_in[i], in ? POV_PASS : POV_FAIL, "in, code c%02d", i);
        cr_assert_eq(v_in[i], in ? 1.0 : 0.0, "value of in, code c%02d", i);
        cr_assert_eq(oc_eq[i], i == 35 ? POV_PASS : POV_FAIL, "==, code c%02d", i);
        cr_assert_eq(oc_ne[i], i == 30 ? POV_FAIL : POV_PASS, "!=, code c%02d", i);
    }
    cr_assert_eq(oc_in[70], POV_UNKNOWN);
    cr_assert(isnan(v_in[70]));
    cr_assert_eq(oc_eq[70], POV_UNKNOWN);
    cr_assert_eq(oc_ne[70], POV_UNKNOWN);
    /* and the interpreter agrees */
    const char *conds[3] = {cond_in, cond_eq, cond_ne};
    const uint8_t *ocs[3] = {oc_in, oc_eq, oc_ne};
    uint8_t st[71];
    for (int c = 0; c < 3; c++) {
        pov_condition *cc = NULL;
        set_ok(pov_condition_compile(s, conds[c], strlen(conds[c]), NULL, &cc), "compile");
        set_ok(pov_condition_eval_dataset(cc, ds, NULL, st), "eval");
        for (int i = 0; i <= 70; i++)
            cr_assert_eq(ocs[c][i], st[i], "condition %d, household %d", c, i);
        pov_condition_free(cc);
    }
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* Reported values are stored once per distinct test value (criteria with
 * the same column or the same expression share them) and, where the
 * condition is reported, follow from the outcome; pov_assessment_get() and
 * pov_assessment_values() must give exactly the value of the rules of
 * docs/policy-format.md §5 either way. Criteria: a and b share the column
 * debt; c and d share the expression medical + education; e is a condition
 * alone; f has a condition the fast path does not take ("!" of a boolean
 * variable); g has another expression of the same columns (its own array).
 * Values by hand for five households. */
Test(policy_household, reported_values_shared_and_derived) {
    const char *crits =
        "{\"id\": \"a\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"condition\": {\"in\": [{\"var\": \"housing_safety\"}, [\"C\", \"D\"]]},"
        " \"tests\": [{\"value\": {\"var\": \"debt\"}, \"op\": \">\", \"threshold\": 1000}]},"
        "{\"id\": \"b\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"tests\": [{\"value\": {\"var\": \"debt\"}, \"op\": \">=\", \"threshold\": 500}]},"
        "{\"id\": \"c\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"condition\": {\">\": [{\"var\": \"exp_medical\"}, 0]},"
        " \"tests\": [{\"value\": {\"+\": [{\"var\": \"exp_medical\"}, {\"var\": \"exp_education\"}]},"
        " \"op\": \">\", \"threshold\": 100}]},"
        "{\"id\": \"d\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"condition\": {\">\": [{\"var\": \"exp_education\"}, 0]},"
        " \"tests\": [{\"value\": {\"+\": [{\"var\": \"exp_medical\"}, {\"var\": \"exp_education\"}]},"
        " \"op\": \">\", \"threshold\": 50}]},"
        "{\"id\": \"e\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"condition\": {\"==\": [{\"var\": \"tv\"}, true]}},"
        "{\"id\": \"f\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"condition\": {\"!\": {\"var\": \"tv\"}},"
        " \"tests\": [{\"value\": {\"var\": \"debt\"}, \"op\": \"<\", \"threshold\": 100}]},"
        "{\"id\": \"g\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
        " \"tests\": [{\"value\": {\"-\": [{\"var\": \"exp_medical\"}, {\"var\": \"exp_education\"}]},"
        " \"op\": \"<\", \"threshold\": 0}]}";
    pov_policy *p = household_policy(NULL, crits);
    /* housing, debt, medical, education, tv (-1 missing) */
    struct { const char *housing; double debt, med, edu; int tv; } h[5] = {
        {"A", 2000, 60, 0, 1},
        {"D", NAN, NAN, 80, 0},
        {NULL, 50, 200, 10, -1},
        {"C", 1500, 0, 0, 1},
        {NULL, 5000, 10, 5, 1},
    };
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_schema_core(), &ds), "ds");
    for (int i = 0; i < 5; i++) {
        pov_household *hh = NULL;
        char id[8];
        snprintf(id, sizeof id, "v%d", i);
        set_ok(pov_household_new(pov_schema_core(), &hh), "new");
        set_ok(pov_household_set_id(hh, id), "id");
        if (h[i].housing)
            set_ok(pov_household_set_category(hh, "housing_safety", h[i].housing), "housing");
        if (!isnan(h[i].debt))
            set_ok(pov_household_set_number(hh, "debt", h[i].debt), "debt");
        if (!isnan(h[i].med))
            set_ok(pov_household_set_number(hh, "exp_medical", h[i].med), "med");
        if (!isnan(h[i].edu))
            set_ok(pov_household_set_number(hh, "exp_education", h[i].edu), "edu");
        if (h[i].tv >= 0)
            set_ok(pov_household_set_boolean(hh, "tv", h[i].tv), "tv");
        set_ok(pov_dataset_append(ds, hh), "append");
        pov_household_free(hh);
    }
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_dataset(p, ds, 2016, &a), "assess");
    const char *ids = "abcdefg";
    /* outcome (F fail, P pass, U unknown), reported test, value; N = NaN */
    const double N = NAN;
    const struct { char o; int t; double v; } want[7][5] = {
        /* a: test first, then a false condition, then the unknown test */
        {{'F', -1, 0}, {'U', 0, N}, {'F', 0, 50}, {'P', 0, 1500}, {'U', -1, N}},
        /* b: no condition */
        {{'P', 0, 2000}, {'U', 0, N}, {'F', 0, 50}, {'P', 0, 1500}, {'P', 0, 5000}},
        /* c: medical > 0, medical + education > 100 */
        {{'F', 0, 60}, {'U', 0, N}, {'P', 0, 210}, {'F', 0, 0}, {'F', 0, 15}},
        /* d: education > 0, the same sum > 50 */
        {{'F', -1, 0}, {'U', 0, N}, {'P', 0, 210}, {'F', 0, 0}, {'F', 0, 15}},
        /* e: tv, a condition alone */
        {{'P', -1, 1}, {'F', -1, 0}, {'U', -1, N}, {'P', -1, 1}, {'P', -1, 1}},
        /* f: not tv (interpreted), debt < 100 */
        {{'F', 0, 2000}, {'U', 0, N}, {'U', -1, N}, {'F', 0, 1500}, {'F', 0, 5000}},
        /* g: medical - education < 0 */
        {{'F', 0, 60}, {'U', 0, N}, {'F', 0, 190}, {'F', 0, 0}, {'F', 0, 5}},
    };
    for (int c = 0; c < 7; c++) {
        char cid[2] = {ids[c], 0};
        size_t ci = crit(p, POV_POLICY_HOUSEHOLD, cid);
        const double *vals = pov_assessment_values(a, ci);
        cr_assert_not_null(vals);
        cr_assert_eq(pov_assessment_values(a, ci), vals, "built once");
        for (int i = 0; i < 5; i++) {
            pov_criterion_result r = {.size = sizeof r};
            set_ok(pov_assessment_get(a, (size_t)i, ci, &r), "get");
            const int o = want[c][i].o == 'P' ? POV_PASS : want[c][i].o == 'F' ? POV_FAIL
                                                                                : POV_UNKNOWN;
            cr_assert_eq(r.outcome, o, "%s, household %d: outcome %d", cid, i, r.outcome);
            cr_assert_eq(r.test, want[c][i].t, "%s, household %d: test %d", cid, i, r.test);
            if (isnan(want[c][i].v)) {
                cr_assert(isnan(r.value), "%s, household %d: value %g", cid, i, r.value);
                cr_assert(isnan(vals[i]), "%s, household %d: array", cid, i);
            } else {
                cr_assert_eq(r.value, want[c][i].v, "%s, household %d: value %g", cid, i,
                             r.value);
                cr_assert_eq(vals[i], want[c][i].v, "%s, household %d: array", cid, i);
            }
        }
    }
    cr_assert_null(pov_assessment_values(a, 7));
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}

/* pov_assessment_values() builds a derived array on first use; callers in
 * several threads must all get the same, complete array. */
typedef struct values_call {
    const pov_assessment *a;
    size_t c;
    const double *got;
} values_call;

static void *values_thread(void *arg) {
    values_call *vc = arg;
    vc->got = pov_assessment_values(vc->a, vc->c);
    return NULL;
}

Test(policy_household, derived_values_built_once_across_threads) {
    pov_policy *p = household_policy(
        NULL, "{\"id\": \"tv\", \"label\": {\"zh\": \"z\", \"en\": \"e\"}, \"source\": \"s\","
              " \"condition\": {\"==\": [{\"var\": \"tv\"}, true]}}");
    enum { N = 20000, T = 4 };
    pov_dataset *ds = NULL;
    set_ok(pov_dataset_new(pov_schema_core(), &ds), "ds");
    for (int i = 0; i < N; i++) {
        pov_household *h = NULL;
        char id[16];
        snprintf(id, sizeof id, "t%d", i);
        set_ok(pov_household_new(pov_schema_core(), &h), "new");
        set_ok(pov_household_set_id(h, id), "id");
        if (i % 3 != 2)
            set_ok(pov_household_set_boolean(h, "tv", i % 3 == 0), "tv");
        set_ok(pov_dataset_append(ds, h), "append");
        pov_household_free(h);
    }
    pov_assessment *a = NULL;
    set_ok(pov_policy_assess_dataset(p, ds, 2016, &a), "assess");
    pthread_t th[T];
    values_call calls[T];
    for (int t = 0; t < T; t++) {
        calls[t] = (values_call){a, 0, NULL};
        cr_assert_eq(pthread_create(&th[t], NULL, values_thread, &calls[t]), 0);
    }
    for (int t = 0; t < T; t++)
        cr_assert_eq(pthread_join(th[t], NULL), 0);
    for (int t = 1; t < T; t++)
        cr_assert_eq(calls[t].got, calls[0].got, "thread %d got another array", t);
    const double *v = calls[0].got;
    cr_assert_not_null(v);
    for (int i = 0; i < N; i++) {
        if (i % 3 == 2)
            cr_assert(isnan(v[i]), "household %d", i);
        else
            cr_assert_eq(v[i], i % 3 == 0 ? 1.0 : 0.0, "household %d", i);
    }
    pov_assessment_free(a);
    pov_dataset_free(ds);
    pov_policy_free(p);
}
