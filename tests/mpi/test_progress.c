/* Progress figures: the seed's published Guangxi figures and bad input. */
#include <criterion/criterion.h>
#include <math.h>

#include "povmetrics.h"

static void expect_err(int rc, int code) {
    cr_assert_eq(rc, code, "rc %d, want %d", rc, code);
    cr_assert_eq(pov_error_code(pov_error_last()), code);
}

Test(progress, guangxi_annual_reduction) {
    /* 9.32 million fewer poor over 2012–2019, counted as 8 years: 1.165
     * million a year (Guangxi Daily 2020-09-24). Division by 8 is exact. */
    double v;
    cr_assert_eq(pov_progress_annual_reduction(9.32, 8, &v), 0);
    cr_assert_eq(v, 1.165);
    /* national 2012–2016: 98.99 − 43.35 = 55.64 million over 4 years = 13.91 */
    double red;
    cr_assert_eq(pov_progress_reduction(98.99, 43.35, &red), 0);
    cr_assert_float_eq(red, 55.64, 1e-12);
    cr_assert_eq(pov_progress_annual_reduction(red, 4, &v), 0);
    cr_assert_float_eq(v, 13.91, 1e-12);
}

Test(progress, guangxi_income_cagr) {
    /* 9,467 yuan (2015) → 13,676 (2019): (13676/9467)^(1/4) − 1 = 0.0963 */
    double v;
    cr_assert_eq(pov_cagr(9467, 13676, 4, &v), 0);
    cr_assert_eq(round(v * 1e4) / 1e4, 0.0963);
    cr_assert_float_eq(v, pow(13676.0 / 9467.0, 0.25) - 1, 1e-15);
    cr_assert_eq(pov_cagr(100, 100, 3, &v), 0);
    cr_assert_eq(v, 0.0);
    cr_assert_eq(pov_cagr(100, 0, 3, &v), 0);
    cr_assert_eq(v, -1.0);
    cr_assert_eq(pov_cagr(100, 121, 2, &v), 0);
    cr_assert_float_eq(v, 0.1, 1e-15);
}

Test(progress, incidence_and_points) {
    double v;
    cr_assert_eq(pov_progress_incidence(18, 100, &v), 0);
    cr_assert_eq(v, 0.18);
    cr_assert_eq(pov_progress_incidence(0, 5, &v), 0);
    cr_assert_eq(v, 0.0);
    /* 18% → 0.6%: −17.4 percentage points */
    cr_assert_eq(pov_progress_change_pp(0.18, 0.006, &v), 0);
    cr_assert_float_eq(v, -17.4, 1e-12);
    cr_assert_eq(pov_progress_change_pp(0.102, 0.045, &v), 0);
    cr_assert_float_eq(v, -5.7, 1e-12);
}

Test(progress, bad_input) {
    double v;
    expect_err(pov_progress_incidence(1, 0, &v), POV_EEMPTY);
    expect_err(pov_progress_incidence(-1, 10, &v), POV_EDOMAIN);
    expect_err(pov_progress_incidence(11, 10, &v), POV_EDOMAIN);
    expect_err(pov_progress_incidence(NAN, 10, &v), POV_ENONFINITE);
    expect_err(pov_progress_incidence(1, 10, NULL), POV_EINVAL);
    expect_err(pov_progress_change_pp(INFINITY, 0, &v), POV_ENONFINITE);
    expect_err(pov_progress_reduction(0, NAN, &v), POV_ENONFINITE);
    expect_err(pov_progress_annual_reduction(9.32, 0, &v), POV_EINVAL);
    expect_err(pov_progress_annual_reduction(9.32, -8, &v), POV_EINVAL);
    expect_err(pov_progress_annual_reduction(NAN, 8, &v), POV_ENONFINITE);
    expect_err(pov_cagr(9467, 13676, 0, &v), POV_EINVAL);
    expect_err(pov_cagr(9467, 13676, -1, &v), POV_EINVAL);
    expect_err(pov_cagr(9467, 13676, NAN, &v), POV_ENONFINITE);
    expect_err(pov_cagr(0, 13676, 4, &v), POV_EDOMAIN);
    expect_err(pov_cagr(-5, 13676, 4, &v), POV_EDOMAIN);
    expect_err(pov_cagr(5, -1, 4, &v), POV_EDOMAIN);
    expect_err(pov_cagr(5, 1, 4, NULL), POV_EINVAL);
}
