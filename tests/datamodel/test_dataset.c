/* Tests of columnar datasets: append, lookup, columns, derived columns. */
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

static size_t idx(const char *id) {
    size_t i;
    OK(pov_schema_find(pov_schema_core(), id, &i));
    return i;
}

/* Household k: id "hh<k>", k+1 members aged 10*j + k, village "v<k%2>",
 * wage 1000*(k+1), housing_safety A/B alternating. */
static pov_household *make(int k) {
    pov_household *h = NULL;
    OK(pov_household_new(pov_schema_core(), &h));
    char id[32];
    snprintf(id, sizeof id, "hh%d", k);
    OK(pov_household_set_id(h, id));
    OK(pov_household_set_text(h, "village_code", k % 2 ? "v1" : "v0"));
    OK(pov_household_set_number(h, "income_wage", 1000.0 * (k + 1)));
    OK(pov_household_set_category(h, "housing_safety", k % 2 ? "B" : "A"));
    for (int j = 0; j <= k; j++) {
        OK(pov_household_member_add(h, NULL));
        OK(pov_household_member_set_number(h, (size_t)j, "age", 10.0 * j + k));
    }
    return h;
}

Test(dataset, append_and_columns) {
    pov_dataset *ds = NULL;
    OK(pov_dataset_new(pov_schema_core(), &ds));
    cr_assert_eq(pov_dataset_count(ds), 0);
    cr_assert_eq(pov_dataset_member_count(ds), 0);
    cr_assert_eq(pov_dataset_member_offsets(ds)[0], 0);
    cr_assert_eq(pov_dataset_schema(ds), pov_schema_core());
    for (int k = 0; k < 4; k++) {
        pov_household *h = make(k);
        OK(pov_dataset_append(ds, h));
        pov_household_free(h);
    }
    cr_assert_eq(pov_dataset_count(ds), 4);
    cr_assert_eq(pov_dataset_member_count(ds), 1 + 2 + 3 + 4);
    const size_t *off = pov_dataset_member_offsets(ds);
    const size_t want_off[] = {0, 1, 3, 6, 10};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(off[i], want_off[i]);
    const double *wage = pov_dataset_column_number(ds, idx("income_wage"));
    const double *size = pov_dataset_column_number(ds, idx("household_size"));
    const double *pc = pov_dataset_column_number(ds, idx("per_capita_net_income"));
    const double *age = pov_dataset_column_number(ds, idx("age"));
    const int32_t *safety = pov_dataset_column_category(ds, idx("housing_safety"));
    const int32_t *village = pov_dataset_column_category(ds, idx("village_code"));
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(wage[k], 1000.0 * (k + 1));
        cr_assert_eq(size[k], k + 1.0);
        cr_assert_eq(pc[k], 1000.0); /* 1000 (k+1) / (k+1) */
        cr_assert_eq(safety[k], k % 2); /* A = 0, B = 1 */
        cr_assert_str_eq(pov_dataset_string(ds, village[k]), k % 2 ? "v1" : "v0");
        for (size_t j = off[k]; j < off[k + 1]; j++)
            cr_assert_eq(age[j], 10.0 * (double)(j - off[k]) + k);
        char id[32];
        snprintf(id, sizeof id, "hh%d", k);
        cr_assert_str_eq(pov_dataset_id(ds, (size_t)k), id);
        size_t found = 99;
        OK(pov_dataset_find(ds, id, &found));
        cr_assert_eq(found, (size_t)k);
    }
    /* interned: the two villages share two strings */
    cr_assert_eq(village[0], village[2]);
    cr_assert_neq(village[0], village[1]);
    const char *t = NULL;
    cr_assert_eq(pov_dataset_get_text(ds, 3, idx("village_code"), &t), 1);
    cr_assert_str_eq(t, "v1");
    cr_assert_eq(pov_dataset_get_text(ds, 3, idx("province_code"), &t), 0);
    cr_assert_null(t);
    ASSERT_ERR(pov_dataset_get_text(ds, 4, idx("village_code"), &t), POV_ENOTFOUND, NULL);
    ASSERT_ERR(pov_dataset_get_text(ds, 0, idx("floor_area"), &t), POV_ETYPE, NULL);
    ASSERT_ERR(pov_dataset_get_text(ds, 0, 9999, &t), POV_EINVAL, NULL);
    ASSERT_ERR(pov_dataset_get_text(ds, 0, idx("village_code"), NULL), POV_EINVAL, NULL);
    ASSERT_ERR(pov_dataset_find(ds, "nope", NULL), POV_ENOTFOUND, NULL);
    ASSERT_ERR(pov_dataset_find(NULL, "hh1", NULL), POV_EINVAL, NULL);
    cr_assert_null(pov_dataset_id(ds, 4));
    cr_assert_null(pov_dataset_string(ds, -1));
    cr_assert_null(pov_dataset_string(ds, 1000));
    cr_assert_null(pov_dataset_column_number(ds, idx("housing_safety")));
    cr_assert_eq(pov_error_code(pov_error_last()), POV_ETYPE);
    cr_assert_null(pov_dataset_column_category(ds, idx("age")));
    cr_assert_eq(pov_error_code(pov_error_last()), POV_ETYPE);
    cr_assert_null(pov_dataset_column_number(ds, 9999));
    cr_assert_eq(pov_error_code(pov_error_last()), POV_EINVAL);
    cr_assert_null(pov_dataset_column_category(NULL, 0));
    pov_dataset_free(ds);
    pov_dataset_free(NULL);
}

Test(dataset, append_errors_leave_it_unchanged) {
    pov_dataset *ds = NULL;
    OK(pov_dataset_new(pov_schema_core(), &ds));
    pov_household *h = make(1);
    OK(pov_dataset_append(ds, h));
    ASSERT_ERR(pov_dataset_append(ds, h), POV_EDUPLICATE, "id");
    cr_assert_not_null(strstr(pov_error_message(pov_error_last()), "hh1"));
    pov_household *noid = NULL;
    OK(pov_household_new(pov_schema_core(), &noid));
    ASSERT_ERR(pov_dataset_append(ds, noid), POV_EMISSING, "id");
    OK(pov_household_set_id(noid, "x"));
    OK(pov_household_member_add(noid, NULL));
    ASSERT_ERR(pov_dataset_append(ds, noid), POV_EMISSING, "members[0].age");
    const char *doc = "{\"format\":\"povmetrics.schema/1\",\"indicators\":[]}";
    pov_schema *other = NULL;
    OK(pov_schema_load_string(doc, strlen(doc), NULL, &other));
    pov_household *foreign = NULL;
    OK(pov_household_new(other, &foreign));
    OK(pov_household_set_id(foreign, "f"));
    ASSERT_ERR(pov_dataset_append(ds, foreign), POV_EINVAL, NULL);
    cr_assert_eq(pov_dataset_count(ds), 1);
    cr_assert_eq(pov_dataset_member_count(ds), 2);
    ASSERT_ERR(pov_dataset_append(NULL, h), POV_EINVAL, NULL);
    ASSERT_ERR(pov_dataset_append(ds, NULL), POV_EINVAL, NULL);
    pov_dataset *ds2 = NULL;
    ASSERT_ERR(pov_dataset_new(NULL, &ds2), POV_EINVAL, NULL);
    cr_assert_null(ds2);
    ASSERT_ERR(pov_dataset_new(pov_schema_core(), NULL), POV_EINVAL, NULL);
    pov_household_free(foreign);
    pov_schema_free(other);
    pov_household_free(noid);
    pov_household_free(h);
    pov_dataset_free(ds);
}

Test(dataset, household_view_round_trips) {
    const char *text =
        "{\"id\":\"a\",\"village_code\":\"v\",\"income_operating\":5000,\"production_costs\":1000,"
        "\"members\":[{\"age\":40,\"x_m\":1},{\"age\":8,\"schooling\":\"primary\"}],"
        "\"income_history\":{\"2014\":1800},\"programs\":[{\"id\":\"p1\",\"year\":2016}],"
        "\"x_h\":{\"a\":null}}";
    pov_household *h = NULL;
    OK(pov_household_from_json(pov_schema_core(), text, strlen(text), NULL, &h));
    char *j0 = NULL;
    OK(pov_household_to_json(h, 0, &j0));
    cr_assert_str_eq(j0, text); /* already in canonical order */
    pov_dataset *ds = NULL;
    OK(pov_dataset_new(pov_schema_core(), &ds));
    pov_household *first = make(0);
    OK(pov_dataset_append(ds, first));
    OK(pov_dataset_append(ds, h));
    pov_household *back = NULL;
    OK(pov_dataset_household(ds, 1, &back));
    char *j1 = NULL;
    OK(pov_household_to_json(back, 0, &j1));
    cr_assert_str_eq(j1, text);
    /* per capita (5000 - 1000) / 2 */
    double v;
    cr_assert_eq(pov_household_get_number(back, "per_capita_net_income", &v), 1);
    cr_assert_eq(v, 2000.0);
    /* a copy: changing it leaves the dataset alone */
    OK(pov_household_set_number(back, "income_operating", 1));
    cr_assert_eq(pov_dataset_column_number(ds, idx("income_operating"))[1], 5000.0);
    povi_colview cv;
    povi_dataset_colview(ds, &cv);
    cr_assert_eq(cv.n_households, 2);
    cr_assert_eq(cv.n_members, 3);
    cr_assert_eq(cv.hist_offsets[1], 0);
    cr_assert_eq(cv.hist_offsets[2], 1);
    cr_assert_eq(cv.hist_year[0], 2014);
    cr_assert_eq(cv.hist_value[0], 1800.0);
    cr_assert_eq(cv.prog_offsets[2], 1);
    cr_assert_str_eq(cv.strings[cv.prog_id[0]], "p1");
    cr_assert_eq(cv.prog_year[0], 2016);
    GString *g = g_string_new(NULL);
    OK(povi_dataset_row_to_json(ds, 1, 0, g));
    cr_assert_str_eq(g->str, text);
    ASSERT_ERR(povi_dataset_row_to_json(ds, 2, 0, g), POV_ENOTFOUND, NULL);
    g_string_free(g, TRUE);
    pov_household *none = NULL;
    ASSERT_ERR(pov_dataset_household(ds, 2, &none), POV_ENOTFOUND, NULL);
    cr_assert_null(none);
    ASSERT_ERR(pov_dataset_household(NULL, 0, &none), POV_EINVAL, NULL);
    ASSERT_ERR(pov_dataset_household(ds, 0, NULL), POV_EINVAL, NULL);
    pov_free(j0);
    pov_free(j1);
    pov_household_free(back);
    pov_household_free(first);
    pov_household_free(h);
    pov_dataset_free(ds);
}

Test(dataset, derive_with_other_options) {
    pov_dataset *ds = NULL;
    OK(pov_dataset_new(pov_schema_core(), &ds));
    pov_household *h = NULL;
    /* wage 6000, transfer 2000 of which pension 800, costs 1000, 2 members:
     * national: (6000 + 2000 - 800 - 1000) / 2 = 3100
     * wage only, costs kept: 6000 / 2 = 3000 */
    const char *t = "{\"id\":\"d\",\"income_wage\":6000,\"income_transfer\":2000,"
                    "\"transfer_basic_pension\":800,\"production_costs\":1000,"
                    "\"members\":[{\"age\":30},{\"age\":5}]}";
    OK(pov_household_from_json(pov_schema_core(), t, strlen(t), NULL, &h));
    OK(pov_dataset_append(ds, h));
    size_t pci = idx("per_capita_net_income");
    cr_assert_eq(pov_dataset_column_number(ds, pci)[0], 3100.0);
    pov_derive_options o;
    pov_derive_options_init(&o);
    o.income_components = POV_INCOME_WAGE;
    o.subtract_production_costs = 0;
    OK(pov_dataset_derive(ds, &o));
    cr_assert_eq(pov_dataset_column_number(ds, pci)[0], 3000.0);
    /* later appends use the dataset's options */
    OK(pov_household_set_id(h, "d2"));
    OK(pov_dataset_append(ds, h));
    cr_assert_eq(pov_dataset_column_number(ds, pci)[1], 3000.0);
    cr_assert_eq(povi_dataset_options(ds)->income_components, POV_INCOME_WAGE);
    OK(pov_dataset_derive(ds, NULL));
    o.size = 0;
    ASSERT_ERR(pov_dataset_derive(ds, &o), POV_EINVAL, NULL);
    ASSERT_ERR(pov_dataset_derive(NULL, NULL), POV_EINVAL, NULL);
    pov_household_free(h);
    pov_dataset_free(ds);
}

Test(dataset, many_households_sum_check) {
    /* 200,000 households, members 1..4: compare column sums with the
     * generator's own arithmetic */
    pov_dataset *ds = NULL;
    OK(pov_dataset_new(pov_schema_core(), &ds));
    pov_household *h = NULL;
    OK(pov_household_new(pov_schema_core(), &h));
    const size_t n = 200000;
    double want_wage = 0, want_age = 0;
    size_t want_members = 0;
    char id[32];
    for (size_t k = 0; k < n; k++) {
        povi_household_reset(h);
        snprintf(id, sizeof id, "%zu", k);
        OK(pov_household_set_id(h, id));
        OK(pov_household_set_text(h, "village_code", k % 3 ? "a" : "b"));
        OK(pov_household_set_number(h, "income_wage", (double)(k % 1000)));
        want_wage += (double)(k % 1000);
        size_t nm = 1 + k % 4;
        for (size_t j = 0; j < nm; j++) {
            OK(pov_household_member_add(h, NULL));
            OK(pov_household_member_set_number(h, j, "age", (double)((k + j) % 90)));
            want_age += (double)((k + j) % 90);
        }
        want_members += nm;
        OK(pov_dataset_append(ds, h));
    }
    cr_assert_eq(pov_dataset_count(ds), n);
    cr_assert_eq(pov_dataset_member_count(ds), want_members);
    const double *wage = pov_dataset_column_number(ds, idx("income_wage"));
    const double *age = pov_dataset_column_number(ds, idx("age"));
    double sw = 0, sa = 0;
    for (size_t k = 0; k < n; k++)
        sw += wage[k];
    for (size_t j = 0; j < want_members; j++)
        sa += age[j];
    cr_assert_eq(sw, want_wage);
    cr_assert_eq(sa, want_age);
    size_t found;
    OK(pov_dataset_find(ds, "123456", &found));
    cr_assert_eq(found, 123456);
    pov_household_free(h);
    pov_dataset_free(ds);
}
