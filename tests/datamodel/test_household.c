/* Tests of households: typed values, members, history, programmes, derived
 * indicators (expected values computed by hand in the comments), JSON. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data_internal.h"
#include "povmetrics.h"

#define ASSERT_ERR(expr, code, path_)                                                 \
    do {                                                                              \
        int rc_ = (expr);                                                             \
        cr_assert_eq(rc_, (code), "%s: got %d (%s), want %d", #expr, rc_,             \
                     pov_error_message(pov_error_last()), (code));                    \
        if ((path_) != NULL)                                                          \
            cr_assert_str_eq(pov_error_path(pov_error_last()), (const char *)(path_)); \
    } while (0)
#define OK(expr)                                                                      \
    do {                                                                              \
        int rc_ = (expr);                                                             \
        cr_assert_eq(rc_, 0, "%s: %d %s (%s)", #expr, rc_,                            \
                     pov_error_message(pov_error_last()), pov_error_path(pov_error_last())); \
    } while (0)

static pov_household *new_h(void) {
    pov_household *h = NULL;
    OK(pov_household_new(pov_schema_core(), &h));
    return h;
}

static double num(const pov_household *h, const char *id) {
    double v;
    int r = pov_household_get_number(h, id, &v);
    cr_assert_geq(r, 0, "%s: %s", id, pov_error_message(pov_error_last()));
    return v;
}

Test(values, new_household_is_empty) {
    pov_household *h = new_h();
    cr_assert_null(pov_household_id(h));
    cr_assert_eq(pov_household_member_count(h), 0);
    cr_assert_eq(pov_household_schema(h), pov_schema_core());
    double v = 1;
    cr_assert_eq(pov_household_get_number(h, "floor_area", &v), 0);
    cr_assert(isnan(v));
    cr_assert(isnan(num(h, "household_size")));
    cr_assert(isnan(num(h, "per_capita_net_income")));
    const char *s = "x";
    cr_assert_eq(pov_household_get_category(h, "housing_safety", &s), 0);
    cr_assert_null(s);
    cr_assert_eq(pov_household_get_text(h, "village_code", &s), 0);
    cr_assert_null(s);
    int b = 5;
    cr_assert_eq(pov_household_get_boolean(h, "safe_water", &b), 0);
    ASSERT_ERR(pov_household_validate(h), POV_EMISSING, "id");
    pov_household_free(h);
    pov_household_free(NULL);
}

Test(values, set_and_get_each_type) {
    pov_household *h = new_h();
    OK(pov_household_set_id(h, "450123-0001"));
    cr_assert_str_eq(pov_household_id(h), "450123-0001");
    OK(pov_household_set_number(h, "floor_area", 85.5));
    cr_assert_eq(num(h, "floor_area"), 85.5);
    OK(pov_household_set_number(h, "year", 2015));
    double v;
    cr_assert_eq(pov_household_get_number(h, "year", &v), 1);
    cr_assert_eq(v, 2015.0);
    OK(pov_household_set_boolean(h, "safe_water", 7));
    int b = -1;
    cr_assert_eq(pov_household_get_boolean(h, "safe_water", &b), 1);
    cr_assert_eq(b, 1);
    cr_assert_eq(num(h, "safe_water"), 1.0); /* booleans read as numbers too */
    OK(pov_household_set_category(h, "housing_structure", "brick_wood"));
    const char *code = NULL;
    cr_assert_eq(pov_household_get_category(h, "housing_structure", &code), 1);
    cr_assert_str_eq(code, "brick_wood");
    OK(pov_household_set_text(h, "village_code", "4501230101"));
    const char *t = NULL;
    cr_assert_eq(pov_household_get_text(h, "village_code", &t), 1);
    cr_assert_str_eq(t, "4501230101");
    OK(pov_household_set_missing(h, "floor_area"));
    cr_assert_eq(pov_household_get_number(h, "floor_area", &v), 0);
    OK(pov_household_set_missing(h, "housing_structure"));
    cr_assert_eq(pov_household_get_category(h, "housing_structure", &code), 0);
    pov_household_free(h);
}

Test(values, bad_values_are_rejected_with_their_code) {
    pov_household *h = new_h();
    OK(pov_household_set_number(h, "floor_area", 60));
    ASSERT_ERR(pov_household_set_number(h, "floor_area", NAN), POV_ENONFINITE, "floor_area");
    ASSERT_ERR(pov_household_set_number(h, "floor_area", INFINITY), POV_ENONFINITE, "floor_area");
    ASSERT_ERR(pov_household_set_number(h, "floor_area", -1), POV_ERANGE, "floor_area");
    ASSERT_ERR(pov_household_set_number(h, "floor_area", 10000.5), POV_ERANGE, "floor_area");
    cr_assert_eq(num(h, "floor_area"), 60.0); /* the old value stays */
    ASSERT_ERR(pov_household_set_number(h, "year", 2015.5), POV_ETYPE, "year");
    ASSERT_ERR(pov_household_set_number(h, "housing_safety", 1), POV_ETYPE, "housing_safety");
    ASSERT_ERR(pov_household_set_number(h, "safe_water", 1), POV_ETYPE, "safe_water");
    ASSERT_ERR(pov_household_set_boolean(h, "floor_area", 1), POV_ETYPE, "floor_area");
    ASSERT_ERR(pov_household_set_category(h, "housing_safety", "E"), POV_ECODE, "housing_safety");
    ASSERT_ERR(pov_household_set_category(h, "housing_safety", "a"), POV_ECODE, "housing_safety");
    ASSERT_ERR(pov_household_set_category(h, "floor_area", "A"), POV_ETYPE, "floor_area");
    ASSERT_ERR(pov_household_set_text(h, "housing_safety", "A"), POV_ETYPE, "housing_safety");
    ASSERT_ERR(pov_household_set_category(h, "village_code", "A"), POV_ETYPE, "village_code");
    ASSERT_ERR(pov_household_set_text(h, "village_code", "\xff\xfe"), POV_ETYPE, "village_code");
    ASSERT_ERR(pov_household_set_number(h, "no_such", 1), POV_ENOTFOUND, "no_such");
    ASSERT_ERR(pov_household_set_number(h, "age", 30), POV_EINVAL, "age");
    ASSERT_ERR(pov_household_set_number(h, "per_capita_net_income", 3000), POV_EINVAL,
               "per_capita_net_income");
    ASSERT_ERR(pov_household_set_missing(h, "labour_count"), POV_EINVAL, "labour_count");
    ASSERT_ERR(pov_household_set_category(h, "housing_safety", NULL), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_set_text(h, "village_code", NULL), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_set_number(NULL, "floor_area", 1), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_set_number(h, NULL, 1), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_set_id(h, ""), POV_EINVAL, "id");
    ASSERT_ERR(pov_household_set_id(h, NULL), POV_EINVAL, NULL);
    double v;
    const char *s;
    int b;
    ASSERT_ERR(pov_household_get_number(h, "housing_safety", &v), POV_ETYPE, "housing_safety");
    ASSERT_ERR(pov_household_get_category(h, "floor_area", &s), POV_ETYPE, "floor_area");
    ASSERT_ERR(pov_household_get_text(h, "floor_area", &s), POV_ETYPE, "floor_area");
    ASSERT_ERR(pov_household_get_boolean(h, "floor_area", &b), POV_ETYPE, "floor_area");
    ASSERT_ERR(pov_household_get_number(h, "nope", &v), POV_ENOTFOUND, "nope");
    pov_household_free(h);
}

Test(members, add_set_get_remove) {
    pov_household *h = new_h();
    size_t m = 99;
    OK(pov_household_member_add(h, &m));
    cr_assert_eq(m, 0);
    OK(pov_household_member_add(h, &m));
    cr_assert_eq(m, 1);
    cr_assert_eq(pov_household_member_count(h), 2);
    OK(pov_household_member_set_number(h, 0, "age", 45));
    OK(pov_household_member_set_category(h, 0, "relation", "head"));
    OK(pov_household_member_set_boolean(h, 0, "medical_insurance", 1));
    OK(pov_household_member_set_number(h, 1, "age", 12));
    double v;
    cr_assert_eq(pov_household_member_get_number(h, 1, "age", &v), 1);
    cr_assert_eq(v, 12.0);
    const char *code;
    cr_assert_eq(pov_household_member_get_category(h, 0, "relation", &code), 1);
    cr_assert_str_eq(code, "head");
    int b;
    cr_assert_eq(pov_household_member_get_boolean(h, 0, "medical_insurance", &b), 1);
    cr_assert_eq(b, 1);
    cr_assert_eq(pov_household_member_get_boolean(h, 1, "medical_insurance", &b), 0);
    ASSERT_ERR(pov_household_member_set_number(h, 0, "age", 300), POV_ERANGE, "members[0].age");
    ASSERT_ERR(pov_household_member_set_number(h, 1, "age", -1), POV_ERANGE, "members[1].age");
    ASSERT_ERR(pov_household_member_set_number(h, 2, "age", 30), POV_ENOTFOUND, "members[2].age");
    ASSERT_ERR(pov_household_member_set_number(h, 0, "floor_area", 3), POV_EINVAL,
               "members[0].floor_area");
    ASSERT_ERR(pov_household_member_set_category(h, 0, "sex", "unknown"), POV_ECODE,
               "members[0].sex");
    ASSERT_ERR(pov_household_member_get_number(h, SIZE_MAX, "age", &v), POV_ENOTFOUND, NULL);
    ASSERT_ERR(pov_household_member_get_text(h, 0, "age", &code), POV_ETYPE, "members[0].age");
    ASSERT_ERR(pov_household_member_get_category(h, 5, "sex", &code), POV_ENOTFOUND, NULL);
    cr_assert_eq(pov_household_member_get_text(h, 0, "province_code", &code), POV_EINVAL);
    ASSERT_ERR(pov_household_member_get_boolean(h, SIZE_MAX, "medical_insurance", &b),
               POV_ENOTFOUND, NULL);
    OK(pov_household_member_set_missing(h, 0, "relation"));
    cr_assert_eq(pov_household_member_get_category(h, 0, "relation", &code), 0);
    cr_assert_eq(num(h, "household_size"), 2.0);
    /* remove member 0: the 12-year-old moves to index 0 */
    OK(pov_household_member_remove(h, 0));
    cr_assert_eq(pov_household_member_count(h), 1);
    cr_assert_eq(pov_household_member_get_number(h, 0, "age", &v), 1);
    cr_assert_eq(v, 12.0);
    cr_assert_eq(num(h, "household_size"), 1.0);
    ASSERT_ERR(pov_household_member_remove(h, 1), POV_ENOTFOUND, NULL);
    pov_household_free(h);
}

Test(members, text_indicators_in_an_extension) {
    const char *doc = "{\"format\":\"povmetrics.schema/1\",\"indicators\":[{\"id\":\"nickname\","
                      "\"level\":\"member\",\"type\":\"text\"}]}";
    pov_schema *s = NULL;
    OK(pov_schema_load_string(doc, strlen(doc), NULL, &s));
    pov_household *h = NULL;
    OK(pov_household_new(s, &h));
    pov_schema_free(s);
    OK(pov_household_member_add(h, NULL));
    OK(pov_household_member_set_text(h, 0, "nickname", "阿明"));
    const char *t;
    cr_assert_eq(pov_household_member_get_text(h, 0, "nickname", &t), 1);
    cr_assert_str_eq(t, "阿明");
    pov_household_free(h);
}

Test(members, limit_of_100) {
    pov_household *h = new_h();
    for (int i = 0; i < 100; i++)
        OK(pov_household_member_add(h, NULL));
    ASSERT_ERR(pov_household_member_add(h, NULL), POV_ELIMIT, "members");
    pov_household_free(h);
}

/* The household used for the derived indicators (hand calculation):
 *   #0 head   45 ordinary  insured        -> labour
 *   #1 spouse 43 weak      insured        -> labour
 *   #2 child  12 none, dropped_out, not insured -> out of school, uninsured
 *   #3 parent 70 lost      insured
 *   #4 child  17 ordinary, senior_secondary, insurance missing -> labour
 * size 5, labour 3, dependency (5-3)/3, out of school 1, uninsured 1.
 * income: 12000 + 8000 + 500 + 3000 + 200 = 23700; excluded 1200 + 600 + 300
 * = 2100; costs 3500 -> net 18100, per capita 3620; floor 100 m2 -> 20/person. */
static pov_household *family(void) {
    pov_household *h = new_h();
    OK(pov_household_set_id(h, "fam"));
    static const struct {
        int age;
        const char *rel, *cap, *sch;
        int ins;
    } m[] = {{45, "head", "ordinary", "not_applicable", 1},
             {43, "spouse", "weak", "not_applicable", 1},
             {12, "child", "none", "dropped_out", 0},
             {70, "parent", "lost", "not_applicable", 1},
             {17, "child", "ordinary", "senior_secondary", -1}};
    for (size_t i = 0; i < 5; i++) {
        OK(pov_household_member_add(h, NULL));
        OK(pov_household_member_set_number(h, i, "age", m[i].age));
        OK(pov_household_member_set_category(h, i, "relation", m[i].rel));
        OK(pov_household_member_set_category(h, i, "labour_capacity", m[i].cap));
        OK(pov_household_member_set_category(h, i, "schooling", m[i].sch));
        if (m[i].ins >= 0)
            OK(pov_household_member_set_boolean(h, i, "medical_insurance", m[i].ins));
    }
    OK(pov_household_set_number(h, "income_wage", 12000));
    OK(pov_household_set_number(h, "income_operating", 8000));
    OK(pov_household_set_number(h, "income_property", 500));
    OK(pov_household_set_number(h, "income_transfer", 3000));
    OK(pov_household_set_number(h, "income_other", 200));
    OK(pov_household_set_number(h, "transfer_basic_pension", 1200));
    OK(pov_household_set_number(h, "transfer_dibao_c", 600));
    OK(pov_household_set_number(h, "transfer_temporary_relief", 300));
    OK(pov_household_set_number(h, "production_costs", 3500));
    OK(pov_household_set_number(h, "floor_area", 100));
    return h;
}

Test(derived, national_definition) {
    pov_household *h = family();
    cr_assert_eq(num(h, "household_size"), 5.0);
    cr_assert_eq(num(h, "labour_count"), 3.0);
    cr_assert_float_eq(num(h, "dependency_ratio"), 2.0 / 3.0, 1e-15);
    cr_assert_eq(num(h, "school_age_out_of_school"), 1.0);
    cr_assert_eq(num(h, "uninsured_members"), 1.0);
    cr_assert_eq(num(h, "net_income"), 18100.0);
    cr_assert_eq(num(h, "per_capita_net_income"), 3620.0);
    cr_assert_eq(num(h, "floor_area_per_capita"), 20.0);
    /* recomputed on set: +500 wage -> net 18600, per capita 3720 */
    OK(pov_household_set_number(h, "income_wage", 12500));
    cr_assert_eq(num(h, "per_capita_net_income"), 3720.0);
    pov_household_free(h);
}

Test(derived, other_options) {
    pov_household *h = family();
    pov_derive_options o;
    pov_derive_options_init(&o);
    cr_assert_eq(o.size, sizeof o);
    cr_assert_eq(o.labour_age_min, 16);
    cr_assert_eq(o.labour_age_max, 64);
    cr_assert_eq(o.school_age_min, 6);
    cr_assert_eq(o.school_age_max, 15);
    /* wage + operating only, costs kept: 20000 / 5 = 4000 */
    o.income_components = POV_INCOME_WAGE | POV_INCOME_OPERATING;
    o.subtract_production_costs = 0;
    /* working ages 18..60: only #0 and #1 -> labour 2, dependency 3/2 */
    o.labour_age_min = 18;
    o.labour_age_max = 60;
    /* school ages 13..15: the 12-year-old no longer counts */
    o.school_age_min = 13;
    OK(pov_household_derive(h, &o));
    cr_assert_eq(num(h, "per_capita_net_income"), 4000.0);
    cr_assert_eq(num(h, "labour_count"), 2.0);
    cr_assert_eq(num(h, "dependency_ratio"), 1.5);
    cr_assert_eq(num(h, "school_age_out_of_school"), 0.0);
    /* options stick for later recomputations */
    OK(pov_household_set_number(h, "income_wage", 13000));
    cr_assert_eq(num(h, "per_capita_net_income"), 4200.0);
    /* transfer counted, exclusions none: 12000+8000+500+3000+200 - 3500 = 20200 */
    pov_derive_options_init(&o);
    o.income_exclusions = 0;
    OK(pov_household_set_number(h, "income_wage", 12000));
    OK(pov_household_derive(h, &o));
    cr_assert_eq(num(h, "net_income"), 20200.0);
    OK(pov_household_derive(h, NULL));
    cr_assert_eq(num(h, "net_income"), 20200.0);
    pov_derive_options bad = o;
    bad.size = 4;
    ASSERT_ERR(pov_household_derive(h, &bad), POV_EINVAL, NULL);
    bad = o;
    bad.income_components = 0;
    ASSERT_ERR(pov_household_derive(h, &bad), POV_EINVAL, NULL);
    bad = o;
    bad.income_components = 0x40;
    ASSERT_ERR(pov_household_derive(h, &bad), POV_EINVAL, NULL);
    bad = o;
    bad.income_exclusions = 0x10;
    ASSERT_ERR(pov_household_derive(h, &bad), POV_EINVAL, NULL);
    bad = o;
    bad.labour_age_min = 70;
    ASSERT_ERR(pov_household_derive(h, &bad), POV_EINVAL, NULL);
    bad = o;
    bad.school_age_max = 200;
    ASSERT_ERR(pov_household_derive(h, &bad), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_derive(NULL, NULL), POV_EINVAL, NULL);
    pov_derive_options_init(NULL);
    pov_household_free(h);
}

Test(derived, no_labour_and_no_members) {
    pov_household *h = new_h();
    /* no member records: member-based values missing */
    OK(pov_household_set_number(h, "income_wage", 3000));
    cr_assert_eq(num(h, "net_income"), 3000.0);
    cr_assert(isnan(num(h, "per_capita_net_income")));
    cr_assert(isnan(num(h, "labour_count")));
    cr_assert(isnan(num(h, "dependency_ratio")));
    /* declared size without members: 3000 / 2 */
    OK(pov_household_set_number(h, "household_size", 2));
    cr_assert_eq(num(h, "per_capita_net_income"), 1500.0);
    ASSERT_ERR(pov_household_set_number(h, "household_size", 0), POV_ERANGE, "household_size");
    ASSERT_ERR(pov_household_set_number(h, "household_size", -3), POV_ERANGE, "household_size");
    ASSERT_ERR(pov_household_set_number(h, "household_size", 2.5), POV_ETYPE, "household_size");
    /* one 70-year-old: labour 0 -> dependency 1 / max(0, 1) = 1 */
    OK(pov_household_member_add(h, NULL));
    OK(pov_household_member_set_number(h, 0, "age", 70));
    cr_assert_eq(num(h, "household_size"), 1.0);
    cr_assert_eq(num(h, "labour_count"), 0.0);
    cr_assert_eq(num(h, "dependency_ratio"), 1.0);
    cr_assert_eq(num(h, "per_capita_net_income"), 3000.0);
    ASSERT_ERR(pov_household_set_number(h, "household_size", 2), POV_ERANGE, "household_size");
    OK(pov_household_set_number(h, "household_size", 1));
    /* all income components missing -> net income missing */
    OK(pov_household_set_missing(h, "income_wage"));
    OK(pov_household_set_number(h, "production_costs", 100));
    cr_assert(isnan(num(h, "net_income")));
    pov_household_free(h);
}

Test(history, add_find_gaps) {
    pov_household *h = new_h();
    cr_assert_eq(pov_household_history_gaps(h), 0);
    OK(pov_household_history_add(h, 2016, 3100));
    OK(pov_household_history_add(h, 2013, 2000.5));
    OK(pov_household_history_add(h, 2014, -150)); /* net income may be negative */
    cr_assert_eq(pov_household_history_count(h), 3);
    int y;
    double v;
    OK(pov_household_history_get(h, 0, &y, &v));
    cr_assert_eq(y, 2013);
    cr_assert_eq(v, 2000.5);
    OK(pov_household_history_get(h, 2, &y, &v));
    cr_assert_eq(y, 2016);
    cr_assert_eq(pov_household_history_find(h, 2014, &v), 1);
    cr_assert_eq(v, -150.0);
    cr_assert_eq(pov_household_history_find(h, 2015, &v), 0);
    cr_assert(isnan(v));
    cr_assert_eq(pov_household_history_gaps(h), 1); /* 2013..2016 without 2015 */
    ASSERT_ERR(pov_household_history_add(h, 2014, 1), POV_EDUPLICATE, "income_history.2014");
    ASSERT_ERR(pov_household_history_add(h, 1800, 1), POV_ERANGE, "income_history.1800");
    ASSERT_ERR(pov_household_history_add(h, 2017, NAN), POV_ENONFINITE, "income_history.2017");
    ASSERT_ERR(pov_household_history_add(h, 2017, 2e9), POV_ERANGE, "income_history.2017");
    ASSERT_ERR(pov_household_history_get(h, 3, &y, &v), POV_ENOTFOUND, NULL);
    cr_assert_eq(pov_household_history_count(h), 3);
    pov_household_free(h);
}

Test(programs, add_and_get) {
    pov_household *h = new_h();
    OK(pov_household_program_add(h, "xiaoe_credit", 2016));
    OK(pov_household_program_add(h, "xiaoe_credit", 2017));
    OK(pov_household_program_add(h, "relocation", 2016));
    cr_assert_eq(pov_household_program_count(h), 3);
    const char *id;
    int y;
    OK(pov_household_program_get(h, 2, &id, &y));
    cr_assert_str_eq(id, "relocation");
    cr_assert_eq(y, 2016);
    ASSERT_ERR(pov_household_program_add(h, "xiaoe_credit", 2016), POV_EDUPLICATE, "programs[3]");
    ASSERT_ERR(pov_household_program_add(h, "bad id", 2016), POV_EINVAL, "programs[3]");
    ASSERT_ERR(pov_household_program_add(h, "", 2016), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_program_add(h, "ok", 3000), POV_ERANGE, NULL);
    ASSERT_ERR(pov_household_program_get(h, 3, &id, &y), POV_ENOTFOUND, NULL);
    pov_household_free(h);
}

Test(validate, required_and_causes) {
    pov_household *h = new_h();
    OK(pov_household_set_id(h, "h"));
    OK(pov_household_validate(h));
    OK(pov_household_member_add(h, NULL));
    OK(pov_household_member_add(h, NULL));
    OK(pov_household_member_set_number(h, 0, "age", 30));
    ASSERT_ERR(pov_household_validate(h), POV_EMISSING, "members[1].age");
    OK(pov_household_member_set_number(h, 1, "age", 3));
    OK(pov_household_validate(h));
    OK(pov_household_set_category(h, "cause_other1", "illness"));
    ASSERT_ERR(pov_household_validate(h), POV_EMISSING, "cause_main");
    OK(pov_household_set_category(h, "cause_main", "illness"));
    ASSERT_ERR(pov_household_validate(h), POV_EDUPLICATE, "cause_other1");
    OK(pov_household_set_category(h, "cause_main", "lack_labour"));
    OK(pov_household_set_category(h, "cause_other2", "lack_labour"));
    ASSERT_ERR(pov_household_validate(h), POV_EDUPLICATE, "cause_other2");
    OK(pov_household_set_category(h, "cause_other2", "marriage"));
    OK(pov_household_validate(h));
    ASSERT_ERR(pov_household_validate(NULL), POV_EINVAL, NULL);
    pov_household_free(h);
}

Test(copy, deep_copy_is_independent) {
    pov_household *h = family();
    OK(pov_household_history_add(h, 2014, 2300));
    OK(pov_household_program_add(h, "xiaoe_credit", 2016));
    pov_household *c = NULL;
    OK(pov_household_copy(h, &c));
    OK(pov_household_set_number(h, "floor_area", 50));
    cr_assert_eq(num(c, "floor_area"), 100.0);
    cr_assert_eq(num(c, "per_capita_net_income"), 3620.0);
    cr_assert_eq(pov_household_member_count(c), 5);
    cr_assert_eq(pov_household_history_count(c), 1);
    cr_assert_eq(pov_household_program_count(c), 1);
    cr_assert_str_eq(pov_household_id(c), "fam");
    pov_household_free(c);
    ASSERT_ERR(pov_household_copy(NULL, &c), POV_EINVAL, NULL);
    cr_assert_null(c);
    pov_household_free(h);
}

/* ---- JSON ------------------------------------------------------------------ */

static const char *example =
    "{\"id\": \"450123-001\", \"x_local_note\": \"kept\", \"village_code\": \"4501230101\",\n"
    " \"year\": 2015, \"registry_status\": \"poor\", \"income_wage\": 12000,\n"
    " \"floor_area\": 85.5, \"safe_water\": true, \"housing_safety\": \"B\",\n"
    " \"members\": [{\"relation\": \"head\", \"age\": 45, \"x_phone_owner\": true},\n"
    "             {\"age\": 12, \"schooling\": \"dropped_out\", \"x_note\": {\"k\": [1, 2]}}],\n"
    " \"income_history\": {\"2016\": 3100, \"2014\": 2300.25},\n"
    " \"programs\": [{\"id\": \"xiaoe_credit\", \"year\": 2016}],\n"
    " \"x_gps\": [108.3, 22.8], \"per_capita_net_income\": 1}\n";

/* written by hand: id, indicators in schema order, members, history (sorted),
 * programs, then unknown fields in input order */
static const char *example_out =
    "{\"id\":\"450123-001\",\"village_code\":\"4501230101\",\"year\":2015,"
    "\"registry_status\":\"poor\",\"income_wage\":12000,\"housing_safety\":\"B\","
    "\"floor_area\":85.5,\"safe_water\":true,"
    "\"members\":[{\"relation\":\"head\",\"age\":45,\"x_phone_owner\":true},"
    "{\"age\":12,\"schooling\":\"dropped_out\",\"x_note\":{\"k\":[1,2]}}],"
    "\"income_history\":{\"2014\":2300.25,\"2016\":3100},"
    "\"programs\":[{\"id\":\"xiaoe_credit\",\"year\":2016}],"
    "\"x_local_note\":\"kept\",\"x_gps\":[108.3,22.8]}";

Test(json, read_write_round_trip) {
    pov_household *h = NULL;
    OK(pov_household_from_json(pov_schema_core(), example, strlen(example), "ex.json", &h));
    cr_assert_str_eq(pov_household_id(h), "450123-001");
    cr_assert_eq(pov_household_member_count(h), 2);
    cr_assert_eq(num(h, "floor_area"), 85.5);
    /* per capita: 12000 / 2 members (the input value 1 is recomputed) */
    cr_assert_eq(num(h, "per_capita_net_income"), 6000.0);
    char *out = NULL;
    OK(pov_household_to_json(h, 0, &out));
    cr_assert_str_eq(out, example_out);
    pov_household *h2 = NULL;
    OK(pov_household_from_json(pov_schema_core(), out, strlen(out), NULL, &h2));
    char *out2 = NULL;
    OK(pov_household_to_json(h2, 0, &out2));
    cr_assert_str_eq(out, out2);
    /* with derived values, and back: identical again */
    char *d1 = NULL, *d2 = NULL;
    OK(pov_household_to_json(h2, POV_JSON_DERIVED, &d1));
    cr_assert_not_null(strstr(d1, "\"household_size\":2,"));
    cr_assert_not_null(strstr(d1, "\"per_capita_net_income\":6000,"));
    cr_assert_not_null(strstr(d1, "\"labour_count\":1,")); /* the 45-year-old */
    pov_household *h3 = NULL;
    OK(pov_household_from_json(pov_schema_core(), d1, strlen(d1), NULL, &h3));
    OK(pov_household_to_json(h3, POV_JSON_DERIVED, &d2));
    cr_assert_str_eq(d1, d2);
    /* pretty output parses to the same document */
    char *p = NULL;
    OK(pov_household_to_json(h, POV_JSON_PRETTY, &p));
    cr_assert_not_null(strchr(p, '\n'));
    pov_household *h4 = NULL;
    OK(pov_household_from_json(pov_schema_core(), p, strlen(p), NULL, &h4));
    char *out4 = NULL;
    OK(pov_household_to_json(h4, 0, &out4));
    cr_assert_str_eq(out4, example_out);
    pov_free(p);
    ASSERT_ERR(pov_household_to_json(h, 0x80, &p), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_to_json(NULL, 0, &p), POV_EINVAL, NULL);
    cr_assert_null(p);
    pov_free(out);
    pov_free(out2);
    pov_free(out4);
    pov_free(d1);
    pov_free(d2);
    pov_free(p);
    pov_household_free(h);
    pov_household_free(h2);
    pov_household_free(h3);
    pov_household_free(h4);
}

Test(json, declared_size_round_trip) {
    const char *t = "{\"id\":\"s\",\"household_size\":4,\"income_wage\":8000}";
    pov_household *h = NULL;
    OK(pov_household_from_json(pov_schema_core(), t, strlen(t), NULL, &h));
    cr_assert_eq(num(h, "per_capita_net_income"), 2000.0);
    char *out = NULL;
    OK(pov_household_to_json(h, 0, &out));
    cr_assert_str_eq(out, t);
    pov_free(out);
    pov_household_free(h);
    /* equal to the member count: accepted */
    t = "{\"id\":\"s\",\"household_size\":1,\"members\":[{\"age\":3}]}";
    OK(pov_household_from_json(pov_schema_core(), t, strlen(t), NULL, &h));
    pov_household_free(h);
}

static void expect_json_fail(const char *text, int code, const char *path, size_t line,
                             size_t column) {
    pov_household *h = (pov_household *)1;
    int r = pov_household_from_json(pov_schema_core(), text, strlen(text), "in.json", &h);
    const pov_error *e = pov_error_last();
    cr_assert_eq(r, code, "got %d (%s) want %d for %s", r, pov_error_message(e), code, text);
    cr_assert_null(h);
    cr_assert_str_eq(pov_error_source(e), "in.json");
    if (path)
        cr_assert_str_eq(pov_error_path(e), path, "path %s want %s", pov_error_path(e), path);
    if (line) {
        cr_assert_eq(pov_error_line(e), line, "line %zu want %zu: %s", pov_error_line(e), line,
                     text);
        cr_assert_eq(pov_error_column(e), column, "column %zu want %zu: %s",
                     pov_error_column(e), column, text);
    }
}

Test(json, bad_input_codes_and_locations) {
    /* age 300 on line 3: "  {\"age\": " is 10 bytes, the value at column 11 */
    expect_json_fail("{\"id\": \"h1\",\n \"members\": [\n  {\"age\": 300}]}", POV_ERANGE,
                     "members[0].age", 3, 11);
    /* a string where a number is expected: value after 13 + 15 bytes */
    expect_json_fail("{\"id\": \"h1\", \"income_wage\": \"12000\"}", POV_ETYPE, "income_wage",
                     1, 29);
    expect_json_fail("{\"id\": \"h1\", \"income_wage\": NaN}", POV_ENONFINITE, NULL, 1, 29);
    expect_json_fail("{\"id\": \"h1\", \"income_wage\": -Infinity}", POV_ENONFINITE, NULL, 1,
                     29);
    expect_json_fail("{\"id\": \"h1\", \"income_wage\": 1e999}", POV_ENONFINITE, "income_wage",
                     1, 29);
    expect_json_fail("{\"id\": \"h1\", \"housing_safety\": \"E\"}", POV_ECODE, "housing_safety",
                     1, 32);
    expect_json_fail("{\"year\": 2015}", POV_EMISSING, "id", 1, 1);
    /* missing required age: located at the member object (column 23) */
    expect_json_fail("{\"id\":\"h1\",\"members\":[{\"sex\":\"male\"}]}", POV_EMISSING,
                     "members[0].age", 1, 23);
    expect_json_fail("{\"id\":\"h1\",\"year\":2015,\"year\":2016}", POV_EDUPLICATE, "year", 0, 0);
    expect_json_fail("{\"id\":\"h1\",\"x\":1,\"x\":2}", POV_EDUPLICATE, "x", 0, 0);
    expect_json_fail("{\"id\":\"h1\",\"id\":\"h2\"}", POV_EDUPLICATE, "id", 0, 0);
    expect_json_fail("{\"id\":\"h1\",\"members\":[{\"age\":3,\"age\":4}]}", POV_EDUPLICATE,
                     "members[0].age", 0, 0);
    expect_json_fail("{\"id\":\"h1\",\"household_size\":0}", POV_ERANGE, "household_size", 1, 29);
    expect_json_fail("{\"id\":\"h1\",\"household_size\":-2}", POV_ERANGE, "household_size", 1, 29);
    expect_json_fail("{\"id\":\"h1\",\"household_size\":2.5}", POV_ETYPE, "household_size", 1, 29);
    expect_json_fail("{\"id\":\"h1\",\"household_size\":\"3\"}", POV_ETYPE, "household_size", 1,
                     29);
    expect_json_fail("{\"id\":\"h1\",\"household_size\":[3]}", POV_ETYPE, "household_size", 1, 29);
    expect_json_fail("{\"id\":\"h1\",\"household_size\":3,\"members\":[{\"age\":3},{\"age\":4}]}",
                     POV_ERANGE, "household_size", 1, 29);
    expect_json_fail("{\"id\": \"h1\",, }", POV_ESYNTAX, NULL, 1, 13);
    expect_json_fail("{\"id\": \"h1\",\n \"members\": [", POV_ETRUNCATED, NULL, 2, 14);
    expect_json_fail("{\"id\": \"h1\", \"village_code\": \"45", POV_ETRUNCATED, NULL, 1, 33);
    expect_json_fail("", POV_ETRUNCATED, NULL, 1, 1);
    expect_json_fail("{\"id\":\"h1\"} x", POV_ESYNTAX, NULL, 1, 13);
    expect_json_fail("{\"id\":\"h1\",\"age\":5}", POV_EUNKNOWN, "age", 1, 18);
    expect_json_fail("{\"id\":\"h1\",\"members\":[{\"age\":5,\"year\":2015}]}", POV_EUNKNOWN,
                     "members[0].year", 1, 39);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"id\":\"a\",\"year\":2016,\"note\":1}]}",
                     POV_EUNKNOWN, "programs[0].note", 1, 53);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"year\":2016}]}", POV_EMISSING,
                     "programs[0]", 1, 24);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"id\":\"a\"}]}", POV_EMISSING, "programs[0]",
                     1, 24);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"id\":3,\"year\":2016}]}", POV_ETYPE,
                     "programs[0].id", 1, 30);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"id\":\"a\",\"year\":\"2016\"}]}", POV_ETYPE,
                     "programs[0].year", 1, 41);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"id\":\"a\",\"year\":1}]}", POV_ERANGE,
                     "programs[0].year", 1, 41);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[{\"id\":\"a\",\"year\":2016},{\"id\":\"a\","
                     "\"year\":2016}]}",
                     POV_EDUPLICATE, "programs[1]", 1, 47);
    expect_json_fail("{\"id\":\"h1\",\"programs\":{}}", POV_ETYPE, "programs", 1, 23);
    expect_json_fail("{\"id\":\"h1\",\"programs\":[3]}", POV_ETYPE, "programs[0]", 1, 24);
    expect_json_fail("{\"id\":\"h1\",\"income_history\":{\"20x4\":1}}", POV_ETYPE,
                     "income_history.20x4", 1, 37);
    expect_json_fail("{\"id\":\"h1\",\"income_history\":{\"2014\":\"1\"}}", POV_ETYPE,
                     "income_history.2014", 1, 37);
    expect_json_fail("{\"id\":\"h1\",\"income_history\":{\"2014\":1,\"2014\":2}}", POV_EDUPLICATE,
                     "income_history.2014", 0, 0);
    expect_json_fail("{\"id\":\"h1\",\"income_history\":[]}", POV_ETYPE, "income_history", 1, 29);
    expect_json_fail("{\"id\":\"h1\",\"cause_main\":\"illness\",\"cause_other1\":\"illness\"}",
                     POV_EDUPLICATE, "cause_other1", 1, 50);
    expect_json_fail("[1]", POV_ETYPE, "", 1, 1);
    expect_json_fail("{\"id\":\"h1\",\"safe_water\":1}", POV_ETYPE, "safe_water", 1, 25);
    expect_json_fail("{\"id\":\"h1\",\"housing_safety\":1}", POV_ETYPE, "housing_safety", 1, 29);
    expect_json_fail("{\"id\":\"h1\",\"village_code\":45}", POV_ETYPE, "village_code", 1, 27);
    expect_json_fail("{\"id\":\"h1\",\"floor_area\":{}}", POV_ETYPE, "floor_area", 1, 25);
    expect_json_fail("{\"id\":\"h1\",\"members\":{}}", POV_ETYPE, "members", 1, 22);
    expect_json_fail("{\"id\":\"h1\",\"members\":[7]}", POV_ETYPE, "members[0]", 1, 23);
    expect_json_fail("{\"id\":17}", POV_ETYPE, "id", 1, 7);
    expect_json_fail("{\"id\":\"\"}", POV_EINVAL, "id", 1, 7);
    /* nesting deeper than POV_JSON_MAX_DEPTH (64) inside an unknown field */
    GString *g = g_string_new("{\"id\":\"h1\",\"x_deep\":");
    for (int i = 0; i < 80; i++)
        g_string_append_c(g, '[');
    for (int i = 0; i < 80; i++)
        g_string_append_c(g, ']');
    g_string_append_c(g, '}');
    /* prefix 20 bytes; the object is level 1, the 64th '[' opens level 65 */
    expect_json_fail(g->str, POV_ELIMIT, NULL, 1, 20 + 64);
    g_string_free(g, TRUE);
    pov_household *h = NULL;
    ASSERT_ERR(pov_household_from_json(NULL, "{}", 2, NULL, &h), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_from_json(pov_schema_core(), NULL, 0, NULL, &h), POV_EINVAL, NULL);
    ASSERT_ERR(pov_household_from_json(pov_schema_core(), "{}", 2, NULL, NULL), POV_EINVAL, NULL);
}

Test(json, text_needs_no_terminator) {
    /* only the first 11 bytes are the document */
    const char buf[] = "{\"id\":\"h1\"}GARBAGE";
    pov_household *h = NULL;
    OK(pov_household_from_json(pov_schema_core(), buf, 11, NULL, &h));
    cr_assert_str_eq(pov_household_id(h), "h1");
    pov_household_free(h);
}

/* ---- internal helpers used by the readers ---------------------------------- */

Test(internal, from_cjson_with_base_location) {
    const char *doc = "[{\"id\":\"a\"},{\"id\":\"b\",\"year\":\"x\"}]";
    cJSON *root = NULL;
    OK(povi_json_parse(doc, strlen(doc), "f.json", 0, &root));
    povi_json_src src = {"f.json", doc, strlen(doc), "[1]", 9, 100};
    pov_household *h = NULL;
    /* "[{\"id\":\"a\"},{\"id\":\"b\",\"year\":" is 29 bytes: value at column 30 */
    ASSERT_ERR(povi_household_from_cjson(pov_schema_core(), cJSON_GetArrayItem(root, 1), &src, &h),
               POV_ETYPE, "[1].year");
    cr_assert_eq(pov_error_line(pov_error_last()), 10);
    cr_assert_eq(pov_error_column(pov_error_last()), 30);
    cr_assert_eq(pov_error_offset(pov_error_last()), 129);
    cr_assert_null(h);
    src.base_path = "[0]";
    OK(povi_household_from_cjson(pov_schema_core(), cJSON_GetArrayItem(root, 0), &src, &h));
    /* refill the same household from another record */
    povi_household_reset(h);
    cr_assert_null(pov_household_id(h));
    const char *rec = "{\"id\":\"c\",\"floor_area\":40,\"members\":[{\"age\":9}]}";
    cJSON *r2 = NULL;
    OK(povi_json_parse(rec, strlen(rec), "g", 0, &r2));
    povi_json_src src2 = {"g", rec, strlen(rec), NULL, 0, 0};
    OK(povi_household_fill_from_cjson(h, r2, &src2));
    cr_assert_str_eq(pov_household_id(h), "c");
    cr_assert_eq(num(h, "floor_area_per_capita"), 40.0);
    povi_colview cv;
    povi_household_colview(h, &cv);
    cr_assert_eq(cv.n_households, 1);
    cr_assert_eq(cv.n_members, 1);
    cr_assert_eq(cv.num[POVI_AGE][0], 9.0);
    cr_assert_eq(cv.member_offsets[1], 1);
    cr_assert_str_eq(cv.strings[cv.ids[0]], "c");
    cr_assert_eq(pov_dataset_count(povi_household_dataset(h)), 1);
    cJSON_Delete(r2);
    cJSON_Delete(root);
    pov_household_free(h);
}

Test(internal, set_from_string_and_extras) {
    pov_household *h = new_h();
    OK(pov_household_set_id(h, "csv1"));
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "12.5", 4));
    cr_assert_eq(num(h, "floor_area"), 12.5);
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "", 0));
    cr_assert(isnan(num(h, "floor_area")));
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "12,5", 4), POV_ETYPE,
               "floor_area");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, " 1", 2), POV_ETYPE,
               "floor_area");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "0x10", 4), POV_ETYPE,
               "floor_area");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "NaN", 3),
               POV_ENONFINITE, "floor_area");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "-inf", 4),
               POV_ENONFINITE, "floor_area");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_FLOOR_AREA, "1e999", 5),
               POV_ENONFINITE, "floor_area");
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_SAFE_WATER, "TRUE", 4));
    int b;
    cr_assert_eq(pov_household_get_boolean(h, "safe_water", &b), 1);
    cr_assert_eq(b, 1);
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_SAFE_WATER, "0", 1));
    cr_assert_eq(pov_household_get_boolean(h, "safe_water", &b), 1);
    cr_assert_eq(b, 0);
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_SAFE_WATER, "2", 1), POV_ETYPE,
               "safe_water");
    /* a cell is not NUL-terminated: "Bx" with length 1 is "B" */
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_HOUSING_SAFETY, "Bx", 1));
    const char *code;
    cr_assert_eq(pov_household_get_category(h, "housing_safety", &code), 1);
    cr_assert_str_eq(code, "B");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_HOUSING_SAFETY, "Z", 1), POV_ECODE,
               "housing_safety");
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_VILLAGE_CODE, "4501230101,", 10));
    const char *t;
    cr_assert_eq(pov_household_get_text(h, "village_code", &t), 1);
    cr_assert_str_eq(t, "4501230101");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_HOUSEHOLD_SIZE, "0", 1),
               POV_ERANGE, "household_size");
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_HOUSEHOLD_SIZE, "-1", 2),
               POV_ERANGE, "household_size");
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_HOUSEHOLD_SIZE, "3", 1));
    OK(povi_household_set_from_string(h, SIZE_MAX, POVI_PER_CAPITA_NET_INCOME, "99", 2));
    ASSERT_ERR(povi_household_set_from_string(h, SIZE_MAX, POVI_AGE, "3", 1), POV_EINVAL, "age");
    ASSERT_ERR(povi_household_set_from_string(h, 0, POVI_AGE, "3", 1), POV_ENOTFOUND, "age");
    OK(pov_household_member_add(h, NULL));
    ASSERT_ERR(povi_household_set_from_string(h, 0, POVI_AGE, "300", 3), POV_ERANGE, "age");
    OK(povi_household_set_from_string(h, 0, POVI_AGE, "30", 2));
    ASSERT_ERR(povi_household_set_from_string(h, 0, POVI_FLOOR_AREA, "3", 1), POV_EINVAL, NULL);
    OK(povi_household_add_extra(h, SIZE_MAX, "x_a", "1", 1));
    OK(povi_household_add_extra(h, SIZE_MAX, "x_b", "\"two\"", 5));
    OK(povi_household_add_extra(h, 0, "x_m", "[true]", 6));
    ASSERT_ERR(povi_household_add_extra(h, 1, "x_m", "1", 1), POV_ENOTFOUND, NULL);
    ASSERT_ERR(povi_household_add_extra(h, 0, "x_m", "", 0), POV_EINVAL, NULL);
    pov_household_derive(h, NULL);
    char *out = NULL;
    OK(pov_household_to_json(h, 0, &out));
    cr_assert_str_eq(out, "{\"id\":\"csv1\",\"village_code\":\"4501230101\",\"housing_safety\":\"B\","
                          "\"safe_water\":false,\"members\":[{\"age\":30,\"x_m\":[true]}],"
                          "\"x_a\":1,\"x_b\":\"two\"}");
    pov_free(out);
    pov_household_free(h);
}

Test(internal, json_parse_errors) {
    cJSON *root = NULL;
    ASSERT_ERR(povi_json_parse("[[1]]", 5, "d", 1, &root), POV_ELIMIT, NULL);
    cr_assert_eq(pov_error_column(pov_error_last()), 2);
    OK(povi_json_parse("[[1]]", 5, "d", 2, &root));
    cJSON_Delete(root);
    ASSERT_ERR(povi_json_parse("\"abc", 4, "d", 0, &root), POV_ETRUNCATED, NULL);
    ASSERT_ERR(povi_json_parse("{\"a\":tru}", 9, "d", 0, &root), POV_ESYNTAX, NULL);
    ASSERT_ERR(povi_json_parse("{}", 2, "d", 0, NULL), POV_EINVAL, NULL);
    /* a string containing brackets does not count as nesting */
    OK(povi_json_parse("[\"[[[[\"]", 8, "d", 2, &root));
    cJSON_Delete(root);
}
