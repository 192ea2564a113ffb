/* pov_mpi_matrix_from_dataset(): Alkire–Foster input from a dataset's
 * households through conditions. Expected matrices and figures by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "povmetrics.h"

static void add(pov_dataset *ds, const char *json) {
    pov_household *h = NULL;
    int r = pov_household_from_json(pov_dataset_schema(ds), json, strlen(json), NULL, &h);
    cr_assert_eq(r, 0, "%s: %s", json, pov_error_message(pov_error_last()));
    cr_assert_eq(pov_dataset_append(ds, h), 0);
    pov_household_free(h);
}

static pov_condition *cond(const char *json) {
    pov_condition *c = NULL;
    int r = pov_condition_compile(pov_schema_core(), json, strlen(json), NULL, &c);
    cr_assert_eq(r, 0, "%s: %s", json, pov_error_message(pov_error_last()));
    return c;
}

/* Four households; deprivations in housing (grade C/D), water, schooling
 * (a member dropped out) and insurance (a member uninsured). */
static pov_dataset *four(void) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    add(ds, "{\"id\":\"a\",\"housing_safety\":\"A\",\"safe_water\":true,\"income_wage\":5000,"
            "\"members\":[{\"age\":40,\"medical_insurance\":true},{\"age\":10,\"schooling\":\"primary\","
            "\"medical_insurance\":true}]}");
    add(ds, "{\"id\":\"b\",\"housing_safety\":\"D\",\"safe_water\":false,\"income_wage\":1200,"
            "\"members\":[{\"age\":50,\"medical_insurance\":false}]}");
    add(ds, "{\"id\":\"c\",\"housing_safety\":\"C\",\"safe_water\":true,\"income_wage\":2400,"
            "\"members\":[{\"age\":35,\"medical_insurance\":true},{\"age\":12,\"schooling\":\"dropped_out\","
            "\"medical_insurance\":true}]}");
    add(ds, "{\"id\":\"d\",\"housing_safety\":\"B\",\"safe_water\":true,\"income_wage\":900,"
            "\"members\":[{\"age\":70,\"medical_insurance\":true}]}");
    return ds;
}

static const char *DEPRIVED[4] = {
    "{\"in\":[{\"var\":\"housing_safety\"},[\"C\",\"D\"]]}",
    "{\"!\":{\"var\":\"safe_water\"}}",
    /* adults have no schooling status: missing reads as not applicable */
    "{\"some\":[{\"var\":\"members\"},{\"==\":[{\"var\":[\"schooling\",\"not_applicable\"]},\"dropped_out\"]}]}",
    "{\"some\":[{\"var\":\"members\"},{\"==\":[{\"var\":\"medical_insurance\"},false]}]}",
};

Test(mpi_dataset, deprivations_from_conditions_then_af) {
    pov_dataset *ds = four();
    pov_condition *c[4];
    for (int j = 0; j < 4; j++)
        c[j] = cond(DEPRIVED[j]);
    double x[16];
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, (const pov_condition *const *)c, 4, x), 0, "%s",
                 pov_error_message(pov_error_last()));
    const double want[16] = {0, 0, 0, 0, /* a */
                             1, 1, 0, 1, /* b: D, no safe water, uninsured */
                             1, 0, 1, 0, /* c: C, a drop-out */
                             0, 0, 0, 0};
    for (int k = 0; k < 16; k++)
        cr_assert_eq(x[k], want[k], "x[%d][%d] = %g", k / 4, k % 4, x[k]);
    /* equal weights, k = 1/2: b (3/4) and c (2/4) are poor; H = 1/2,
     * A = (3/4 + 2/4) / 2 = 5/8, M0 = 5/16 */
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    o.k = 0.5;
    double hm[3];
    cr_assert_eq(pov_mpi_m0(x, 4, 4, &o, hm), 0, "%s", pov_error_message(pov_error_last()));
    cr_assert_float_eq(hm[0], 0.5, 1e-15);
    cr_assert_float_eq(hm[1], 0.625, 1e-15);
    cr_assert_float_eq(hm[2], 0.3125, 1e-15);
    for (int j = 0; j < 4; j++)
        pov_condition_free(c[j]);
    pov_dataset_free(ds);
}

Test(mpi_dataset, achievements_with_cutoffs) {
    pov_dataset *ds = four();
    /* per-capita wage income and the share of insured members */
    pov_condition *c[2] = {
        cond("{\"/\":[{\"var\":\"income_wage\"},{\"var\":\"household_size\"}]}"),
        cond("{\"-\":[1,{\"/\":[{\"count\":[{\"var\":\"members\"},{\"==\":[{\"var\":\"medical_insurance\"},"
             "false]}]},{\"var\":\"household_size\"}]}]}"),
    };
    double x[8];
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, (const pov_condition *const *)c, 2, x), 0, "%s",
                 pov_error_message(pov_error_last()));
    const double want[8] = {2500, 1, 1200, 0, 1200, 1, 900, 1};
    for (int k = 0; k < 8; k++)
        cr_assert_eq(x[k], want[k], "x[%d][%d] = %g", k / 2, k % 2, x[k]);
    /* cut-offs 1000 yuan and full coverage (1): d is deprived in income,
     * b in coverage; k = 1/2 -> both poor, each with c_i = 1/2:
     * H = 1/2, A = 1/2, M0 = 1/4 */
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    const double z[2] = {1000, 1};
    o.cutoffs = z;
    o.k = 0.5;
    double hm[3];
    cr_assert_eq(pov_mpi_m0(x, 4, 2, &o, hm), 0, "%s", pov_error_message(pov_error_last()));
    cr_assert_float_eq(hm[0], 0.5, 1e-15);
    cr_assert_float_eq(hm[1], 0.5, 1e-15);
    cr_assert_float_eq(hm[2], 0.25, 1e-15);
    pov_condition_free(c[0]);
    pov_condition_free(c[1]);
    pov_dataset_free(ds);
}

Test(mpi_dataset, errors_leave_the_matrix_untouched) {
    pov_dataset *ds = four();
    add(ds, "{\"id\":\"e\",\"housing_safety\":\"A\",\"members\":[{\"age\":30}]}"); /* no safe_water */
    pov_condition *water = cond(DEPRIVED[1]);
    pov_condition *housing = cond(DEPRIVED[0]);
    pov_condition *grade = cond("{\"var\":\"housing_safety\"}");
    pov_condition *income = cond("{\"var\":\"income_wage\"}");
    double x[10];
    for (int k = 0; k < 10; k++)
        x[k] = -7;
    const pov_condition *cols[2] = {housing, water};
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, cols, 2, x), POV_EMISSING);
    const pov_error *e = pov_error_last();
    cr_assert_str_eq(pov_error_path(e), "columns[1]");
    cr_assert_not_null(strstr(pov_error_message(e), "\"e\" (row 4)"), "%s", pov_error_message(e));
    for (int k = 0; k < 10; k++)
        cr_assert_eq(x[k], -7, "x[%d] was written", k);
    /* the same deprivation with the missing case decided in the condition:
     * missing water counts as deprived */
    pov_condition *water2 = cond("{\"!\":{\"var\":[\"safe_water\",false]}}");
    cols[1] = water2;
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, cols, 2, x), 0, "%s", pov_error_message(pov_error_last()));
    cr_assert_eq(x[9], 1);
    cr_assert_eq(x[8], 0);
    /* wrong kinds */
    const pov_condition *bad[2] = {grade, NULL};
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, bad, 1, x), POV_ETYPE);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "columns[0]");
    const pov_condition *mixed[2] = {income, housing};
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, mixed, 2, x), POV_ETYPE);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "columns");
    const pov_condition *null1[2] = {housing, NULL};
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, null1, 2, x), POV_EINVAL);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "columns[1]");
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, cols, 0, x), POV_EINVAL);
    cr_assert_eq(pov_mpi_matrix_from_dataset(NULL, cols, 2, x), POV_EINVAL);
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, NULL, 2, x), POV_EINVAL);
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, cols, 2, NULL), POV_EINVAL);
    pov_condition_free(water);
    pov_condition_free(water2);
    pov_condition_free(housing);
    pov_condition_free(grade);
    pov_condition_free(income);
    pov_dataset_free(ds);
}

Test(mpi_dataset, empty_dataset_writes_nothing) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    pov_condition *c = cond(DEPRIVED[1]);
    double x[1] = {-7};
    cr_assert_eq(pov_mpi_matrix_from_dataset(ds, (const pov_condition *const *)&c, 1, x), 0);
    cr_assert_eq(x[0], -7);
    pov_condition_free(c);
    pov_dataset_free(ds);
}
