/*
 * Tests of the univariate poverty and inequality measures.
 *
 * Expected values come from (a) hand calculations written out in the
 * comments, (b) independent direct formulas written here (O(n^2) mean
 * absolute difference Gini, replicated observations for integer weights,
 * naive loops), or (c) R laeken 0.5.2 (Debian r-cran-laeken), run by hand on
 * the fixed data sets below; those numbers are marked "laeken 0.5.2".
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

#define TOL 1e-12

static void expect_near(double got, double want, double tol) {
    cr_assert(fabs(got - want) <= tol * (1.0 + fabs(want)), "got %.17g, want %.17g", got, want);
}

/* Checks a failing call's code and, when path is not NULL, the error path. */
#define EXPECT_ERR(call, want_code, want_path)                                                \
    do {                                                                                      \
        pov_error_clear();                                                                    \
        int rc_ = (call);                                                                     \
        cr_assert_eq(rc_, (want_code), "%s returned %d, want %d (%s)", #call, rc_,           \
                     (want_code), pov_error_message(pov_error_last()));                       \
        cr_assert_eq(pov_error_code(pov_error_last()), (want_code));                          \
        cr_assert(pov_error_message(pov_error_last())[0] != '\0');                            \
        if ((want_path) != NULL)                                                              \
            cr_assert_str_eq(pov_error_path(pov_error_last()), (const char *)(want_path));    \
    } while (0)

#define OK(call) cr_assert_eq((call), 0, "%s failed: %s", #call, pov_error_message(pov_error_last()))

/* Deterministic pseudo-random numbers (xorshift64*). */
static uint64_t rng_state = 88172645463325252ULL;
static double urand(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}
/* Log-normal-ish incomes with ties (rounded to whole units). */
static void fill_incomes(double *y, size_t n) {
    for (size_t i = 0; i < n; i++)
        y[i] = floor(exp(7.0 + 1.0 * (urand() + urand() + urand() - 1.5)));
}

/* Weighted data set A and its sorted form (for hand calculations):
 *   y: 1   2   3   5  5  7  8   9  12  15
 *   w: 1  2.5 1.5  3  2  2 1.5  1  0.5  1     N = 16, T = Σ w y = 91.5
 *   cumulative weight c: 1 3.5 5 8 10 12 13.5 14.5 15 16 */
static const double A_y[] = {3, 7, 1, 12, 5, 9, 2, 15, 5, 8};
static const double A_w[] = {1.5, 2, 1, 0.5, 3, 1, 2.5, 1, 2, 1.5};
#define A_N 10
/* Unit-weight data set B = 1..10. */
static const double B_y[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
#define B_N 10

/* ------------------------------------------------------------------ */
/* Independent reference formulas                                      */
/* ------------------------------------------------------------------ */

/* Gini as weighted mean absolute difference: Σ_i Σ_j w_i w_j |y_i − y_j| / (2 N T). */
static double gini_mad(const double *y, const double *w, size_t n) {
    double N = 0, T = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        N += wi;
        T += wi * y[i];
        for (size_t j = 0; j < n; j++)
            s += wi * (w ? w[j] : 1.0) * fabs(y[i] - y[j]);
    }
    return s / (2.0 * N * T);
}

/* Expands integer weights into repeated rows. Returns the new count. */
static size_t replicate(const double *y, const double *w, size_t n, double *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (int r = 0; r < (int)w[i]; r++)
            out[k++] = y[i];
    return k;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ------------------------------------------------------------------ */
/* FGT                                                                 */
/* ------------------------------------------------------------------ */

Test(fgt, hand_unit_weights) {
    /* y = 1..5, z = 3: poor are 1 and 2 (3 equals the line: not poor).
     * FGT0 = 2/5; FGT1 = (2/3 + 1/3)/5 = 1/5; FGT2 = (4/9 + 1/9)/5 = 1/9;
     * FGT(0.5) = (sqrt(2/3) + sqrt(1/3))/5. */
    const double y[] = {1, 2, 3, 4, 5};
    double r;
    OK(pov_fgt(y, NULL, 5, 3.0, 0.0, &r));
    expect_near(r, 0.4, TOL);
    OK(pov_fgt(y, NULL, 5, 3.0, 1.0, &r));
    expect_near(r, 0.2, TOL);
    OK(pov_fgt(y, NULL, 5, 3.0, 2.0, &r));
    expect_near(r, 1.0 / 9.0, TOL);
    OK(pov_fgt(y, NULL, 5, 3.0, 0.5, &r));
    expect_near(r, (sqrt(2.0 / 3.0) + sqrt(1.0 / 3.0)) / 5.0, TOL);
    OK(pov_fgt(y, NULL, 5, 3.0, 3.0, &r)); /* (8/27 + 1/27)/5 = 1/15 */
    expect_near(r, 1.0 / 15.0, TOL);
}

Test(fgt, hand_weighted) {
    /* y = 1,2,3,4; w = 2,1,1,4; z = 2.5; N = 8. Poor: 1 (w 2), 2 (w 1).
     * FGT0 = 3/8; FGT1 = (2*0.6 + 1*0.2)/8 = 0.175;
     * FGT2 = (2*0.36 + 1*0.04)/8 = 0.095. */
    const double y[] = {1, 2, 3, 4}, w[] = {2, 1, 1, 4};
    double r;
    OK(pov_fgt(y, w, 4, 2.5, 0.0, &r));
    expect_near(r, 0.375, TOL);
    OK(pov_fgt(y, w, 4, 2.5, 1.0, &r));
    expect_near(r, 0.175, TOL);
    OK(pov_fgt(y, w, 4, 2.5, 2.0, &r));
    expect_near(r, 0.095, TOL);
}

Test(fgt, person_at_the_line_is_not_poor) {
    const double y[] = {2, 2, 2};
    double r;
    for (double a = 0; a <= 2; a += 0.5) {
        OK(pov_fgt(y, NULL, 3, 2.0, a, &r));
        cr_assert_eq(r, 0.0);
    }
    OK(pov_fgt(y, NULL, 3, nextafter(2.0, 3.0), 0.0, &r));
    cr_assert_eq(r, 1.0);
}

Test(fgt, negative_income_has_gap_above_one) {
    /* y = -1, 5; z = 2: gap of -1 is (2 - (-1))/2 = 1.5; FGT1 = 1.5/2 */
    const double y[] = {-1, 5};
    double r;
    OK(pov_fgt(y, NULL, 2, 2.0, 1.0, &r));
    expect_near(r, 0.75, TOL);
}

Test(fgt, matches_naive_loop_and_replication) {
    enum { N = 1003 };
    static double y[N], w[N], rep[N * 5];
    fill_incomes(y, N);
    for (size_t i = 0; i < N; i++)
        w[i] = (double)(1 + (int)(urand() * 5)); /* 1..5 */
    size_t m = replicate(y, w, N, rep);
    double z = 1100.0;
    const double alphas[] = {0, 1, 2, 0.5, 1.7, 3};
    for (size_t a = 0; a < sizeof alphas / sizeof *alphas; a++) {
        double num = 0, den = 0;
        for (size_t i = 0; i < N; i++) {
            den += w[i];
            if (y[i] < z)
                num += w[i] * pow((z - y[i]) / z, alphas[a]);
        }
        double r, r_rep, r_unit, num_u = 0;
        OK(pov_fgt(y, w, N, z, alphas[a], &r));
        expect_near(r, num / den, 1e-12);
        OK(pov_fgt(rep, NULL, m, z, alphas[a], &r_rep));
        expect_near(r, r_rep, 1e-12);
        for (size_t i = 0; i < N; i++)
            if (y[i] < z)
                num_u += pow((z - y[i]) / z, alphas[a]);
        OK(pov_fgt(y, NULL, N, z, alphas[a], &r_unit));
        expect_near(r_unit, num_u / N, 1e-12);
    }
}

Test(fgt, zero_weight_rows_do_not_count) {
    const double y[] = {1, 10, 1}, w[] = {1, 1, 0};
    double r;
    OK(pov_fgt(y, w, 3, 5.0, 0.0, &r));
    expect_near(r, 0.5, TOL);
}

Test(fgt, many_alphas_in_one_call) {
    /* y = 1..5, z = 3 as in hand_unit_weights: 2/5, 1/5, 1/9, and α = 3: 1/15 */
    const double y[] = {1, 2, 3, 4, 5};
    const double alpha[] = {2, 0, 3, 1, 0};
    double out[5];
    OK(pov_fgt_many(y, NULL, 5, 3.0, alpha, 5, out));
    expect_near(out[0], 1.0 / 9.0, TOL);
    expect_near(out[1], 0.4, TOL);
    expect_near(out[2], 1.0 / 15.0, TOL);
    expect_near(out[3], 0.2, TOL);
    expect_near(out[4], 0.4, TOL);
    /* odd and even n, weights with zeros: same as pov_fgt one α at a time */
    enum { N = 1001 };
    static double yy[N], w[N];
    fill_incomes(yy, N);
    for (size_t i = 0; i < N; i++)
        w[i] = urand() < 0.1 ? 0.0 : 3 * urand();
    const double al[] = {0, 1, 2, 0.5, 2.5};
    for (size_t m = N - 1; m <= N; m++) {
        double many[5], one;
        OK(pov_fgt_many(yy, w, m, 1100.0, al, 5, many));
        for (int j = 0; j < 5; j++) {
            OK(pov_fgt(yy, w, m, 1100.0, al[j], &one));
            expect_near(many[j], one, 1e-13);
        }
        OK(pov_fgt_many(yy, NULL, m, 1100.0, al, 5, many));
        for (int j = 0; j < 5; j++) {
            OK(pov_fgt(yy, NULL, m, 1100.0, al[j], &one));
            expect_near(many[j], one, 1e-13);
        }
    }
    /* errors */
    const double bad_alpha[] = {0, 1, -1};
    EXPECT_ERR(pov_fgt_many(y, NULL, 5, 3.0, bad_alpha, 3, out), POV_EINVAL, "alpha[2]");
    EXPECT_ERR(pov_fgt_many(y, NULL, 5, 3.0, NULL, 3, out), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt_many(y, NULL, 5, 3.0, alpha, 3, NULL), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt_many(y, NULL, 5, 0.0, alpha, 3, out), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt_many(y, NULL, 0, 3.0, alpha, 3, out), POV_EEMPTY, NULL);
    OK(pov_fgt_many(y, NULL, 5, 3.0, NULL, 0, NULL));
    const double yn[] = {1, 2, 3, NAN, 5};
    EXPECT_ERR(pov_fgt_many(yn, NULL, 5, 3.0, NULL, 0, NULL), POV_ENONFINITE, "y[3]");
    const double wn[] = {1, 1, 1, 1, -1};
    EXPECT_ERR(pov_fgt_many(y, wn, 5, 3.0, alpha, 2, out), POV_ERANGE, "w[4]");
    const double a15[] = {1.5};
    EXPECT_ERR(pov_fgt_many(y, wn, 5, 3.0, a15, 1, out), POV_ERANGE, "w[4]");
}

Test(fgt, bad_arguments) {
    const double y[] = {1, 2, 3}, w[] = {1, 1, 1};
    double r;
    EXPECT_ERR(pov_fgt(y, w, 3, 0.0, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 3, -1.0, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 3, NAN, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 3, INFINITY, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 3, 2.0, -1.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 3, 2.0, NAN, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(NULL, w, 3, 2.0, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 3, 2.0, 0.0, NULL), POV_EINVAL, NULL);
    EXPECT_ERR(pov_fgt(y, w, 0, 2.0, 0.0, &r), POV_EEMPTY, NULL);
    EXPECT_ERR(pov_fgt(NULL, NULL, 0, 2.0, 0.0, &r), POV_EEMPTY, NULL);
}

Test(fgt, bad_data_names_the_element) {
    double y[] = {1, 2, 3, 4, 5, 6, 7}, w[] = {1, 1, 1, 1, 1, 1, 1};
    const double zero_w[] = {0, 0, 0, 0, 0, 0, 0};
    double r;
    EXPECT_ERR(pov_fgt(y, zero_w, 7, 2.0, 0.0, &r), POV_EEMPTY, NULL);
    w[5] = -1;
    EXPECT_ERR(pov_fgt(y, w, 7, 2.0, 0.0, &r), POV_ERANGE, "w[5]");
    w[5] = NAN;
    EXPECT_ERR(pov_fgt(y, w, 7, 2.0, 0.0, &r), POV_ENONFINITE, "w[5]");
    w[5] = INFINITY;
    EXPECT_ERR(pov_fgt(y, w, 7, 2.0, 1.0, &r), POV_ENONFINITE, "w[5]");
    w[5] = 1;
    y[3] = NAN;
    EXPECT_ERR(pov_fgt(y, w, 7, 2.0, 2.0, &r), POV_ENONFINITE, "y[3]");
    EXPECT_ERR(pov_fgt(y, NULL, 7, 2.0, 0.0, &r), POV_ENONFINITE, "y[3]");
    y[3] = -INFINITY;
    EXPECT_ERR(pov_fgt(y, NULL, 7, 2.0, 0.7, &r), POV_ENONFINITE, "y[3]");
    /* the first bad element wins */
    y[3] = 4;
    y[6] = NAN;
    w[1] = -2;
    EXPECT_ERR(pov_fgt(y, w, 7, 2.0, 0.0, &r), POV_ERANGE, "w[1]");
}

/* pov_fgt_many() and pov_watts() check two elements at a time (without
 * comparisons for FGT: y − y and |w| − w are +0 exactly for valid values):
 * every kind of bad value at every position, in the paired loop and in the
 * odd tail, is found and named; -0.0 weights and incomes are valid. */
Test(fgt, paired_checks_every_position) {
    enum { M = 9 };
    const double bad_w[] = {-1.0, -DBL_TRUE_MIN, NAN, INFINITY, -INFINITY};
    const int bad_w_code[] = {POV_ERANGE, POV_ERANGE, POV_ENONFINITE, POV_ENONFINITE,
                              POV_ENONFINITE};
    const double bad_y[] = {NAN, INFINITY, -INFINITY};
    const double al[3] = {0, 1, 2};
    double out[3], r;
    for (size_t pos = 0; pos < M; pos++) {
        double y[M], w[M];
        for (size_t i = 0; i < M; i++) {
            y[i] = (double)(i + 1);
            w[i] = 1.0;
        }
        char path[16];
        for (size_t k = 0; k < sizeof bad_w / sizeof *bad_w; k++) {
            w[pos] = bad_w[k];
            snprintf(path, sizeof path, "w[%zu]", pos);
            EXPECT_ERR(pov_fgt_many(y, w, M, 5.0, al, 3, out), bad_w_code[k], path);
            EXPECT_ERR(pov_watts(y, w, M, 5.0, &r), bad_w_code[k], path);
        }
        w[pos] = -0.0; /* a zero weight, valid */
        OK(pov_fgt_many(y, w, M, 5.0, al, 3, out));
        OK(pov_watts(y, w, M, 5.0, &r));
        w[pos] = 1.0;
        for (size_t k = 0; k < sizeof bad_y / sizeof *bad_y; k++) {
            y[pos] = bad_y[k];
            snprintf(path, sizeof path, "y[%zu]", pos);
            EXPECT_ERR(pov_fgt_many(y, w, M, 5.0, al, 3, out), POV_ENONFINITE, path);
            EXPECT_ERR(pov_fgt_many(y, NULL, M, 5.0, al, 3, out), POV_ENONFINITE, path);
            EXPECT_ERR(pov_watts(y, w, M, 5.0, &r), POV_ENONFINITE, path);
        }
        y[pos] = -0.0; /* valid for FGT (gap 1), not for Watts */
        OK(pov_fgt_many(y, w, M, 5.0, al, 3, out));
        EXPECT_ERR(pov_watts(y, w, M, 5.0, &r), POV_EDOMAIN, path);
    }
}

/* ------------------------------------------------------------------ */
/* Watts, Sen, SST                                                     */
/* ------------------------------------------------------------------ */

Test(watts, hand) {
    /* y = 1, 2, 4; z = 2: only 1 is poor (2 equals the line): ln(2)/3.
     * Weights 3, 1, 1: 3 ln 2 / 5. */
    const double y[] = {1, 2, 4}, w[] = {3, 1, 1};
    double r;
    OK(pov_watts(y, NULL, 3, 2.0, &r));
    expect_near(r, log(2.0) / 3.0, TOL);
    OK(pov_watts(y, w, 3, 2.0, &r));
    expect_near(r, 3.0 * log(2.0) / 5.0, TOL);
}

Test(watts, zero_or_negative_income) {
    const double y0[] = {1, 0, 4}, yn[] = {1, 3, -4};
    double r;
    EXPECT_ERR(pov_watts(y0, NULL, 3, 2.0, &r), POV_EDOMAIN, "y[1]");
    EXPECT_ERR(pov_watts(yn, NULL, 3, 2.0, &r), POV_EDOMAIN, "y[2]");
    EXPECT_ERR(pov_watts(yn, NULL, 3, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_watts(yn, NULL, 0, 1.0, &r), POV_EEMPTY, NULL);
}

/* Sen by its definition H (I + (1 − I) G_p), G_p by the O(n^2) formula. */
static double sen_ref(const double *y, const double *w, size_t n, double z) {
    double yp[256], wp[256], N = 0, Np = 0, Tp = 0;
    size_t q = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        N += wi;
        if (y[i] < z) {
            yp[q] = y[i];
            wp[q++] = wi;
            Np += wi;
            Tp += wi * y[i];
        }
    }
    if (q == 0)
        return 0.0;
    double H = Np / N, I = 1.0 - Tp / Np / z;
    return H * (I + (1.0 - I) * gini_mad(yp, wp, q));
}

/* SST by its definition P1 (1 + G_x), G_x of the gap ratios, O(n^2). */
static double sst_ref(const double *y, const double *w, size_t n, double z) {
    double x[256], p1 = 0, N = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        x[i] = y[i] < z ? (z - y[i]) / z : 0.0;
        p1 += wi * x[i];
        N += wi;
    }
    p1 /= N;
    return p1 == 0 ? 0.0 : p1 * (1.0 + gini_mad(x, w, n));
}

Test(sen, hand) {
    /* y = 1..5, z = 3: H = 0.4, mean of the poor 1.5, I = 0.5;
     * G_p of {1, 2} = (|1-2| * 2) / (2 * 2^2 * 1.5) = 1/6;
     * S = 0.4 (0.5 + 0.5/6) = 0.4 * 7/12 = 7/30. */
    const double y[] = {1, 2, 3, 4, 5};
    double r;
    OK(pov_sen(y, NULL, 5, 3.0, &r));
    expect_near(r, 7.0 / 30.0, TOL);
    OK(pov_sen(y, NULL, 5, 1.0, &r)); /* nobody poor */
    cr_assert_eq(r, 0.0);
}

Test(sst, hand) {
    /* y = 1..5, z = 3: gaps x = 2/3, 1/3, 0, 0, 0; P1 = 1/5.
     * Σ_ij |x_i − x_j| = 2 (1/3 + 3*2/3 + 3*1/3) = 2 * 10/3 = 20/3;
     * G_x = (20/3) / (2 * 25 * 1/5) = 2/3; SST = 1/5 * 5/3 = 1/3. */
    const double y[] = {1, 2, 3, 4, 5};
    double r;
    OK(pov_sst(y, NULL, 5, 3.0, &r));
    expect_near(r, 1.0 / 3.0, TOL);
    OK(pov_sst(y, NULL, 5, 0.5, &r));
    cr_assert_eq(r, 0.0);
}

Test(sen, matches_definition_weighted) {
    enum { N = 150 };
    double y[N], w[N];
    fill_incomes(y, N);
    for (size_t i = 0; i < N; i++)
        w[i] = 0.25 + 3 * urand();
    w[7] = 0.0;
    const double lines[] = {300, 800, 1100, 5000};
    for (size_t k = 0; k < 4; k++) {
        double r;
        OK(pov_sen(y, w, N, lines[k], &r));
        expect_near(r, sen_ref(y, w, N, lines[k]), 1e-12);
        OK(pov_sen(y, NULL, N, lines[k], &r));
        expect_near(r, sen_ref(y, NULL, N, lines[k]), 1e-12);
        OK(pov_sst(y, w, N, lines[k], &r));
        expect_near(r, sst_ref(y, w, N, lines[k]), 1e-12);
        OK(pov_sst(y, NULL, N, lines[k], &r));
        expect_near(r, sst_ref(y, NULL, N, lines[k]), 1e-12);
    }
}

Test(sen, zero_incomes_and_errors) {
    /* all poor at 0: I = 1, so S = H = 2/3 whatever G_p */
    const double y[] = {0, 0, 5};
    double r;
    OK(pov_sen(y, NULL, 3, 2.0, &r));
    expect_near(r, 2.0 / 3.0, TOL);
    /* SST: x = 1, 1, 0: P1 = 2/3, G_x = (2*2*1)/(2*9*(2/3)) = 1/3, SST = 2/3*4/3 */
    OK(pov_sst(y, NULL, 3, 2.0, &r));
    expect_near(r, 8.0 / 9.0, TOL);
    const double w[] = {1, -1, 1};
    EXPECT_ERR(pov_sen(y, w, 3, 2.0, &r), POV_ERANGE, "w[1]");
    EXPECT_ERR(pov_sst(y, w, 3, 2.0, &r), POV_ERANGE, "w[1]");
    EXPECT_ERR(pov_sen(y, NULL, 3, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sst(y, NULL, 0, 1.0, &r), POV_EEMPTY, NULL);
    const double yn[] = {1, NAN};
    EXPECT_ERR(pov_sst(yn, NULL, 2, 1.0, &r), POV_ENONFINITE, "y[1]");
}

/* ------------------------------------------------------------------ */
/* Relative lines and mean                                             */
/* ------------------------------------------------------------------ */

Test(relative_line, mean_and_median) {
    double r;
    /* mean of 1..10 = 5.5, half of it 2.75; laeken median of 1..10 = 6 (the
     * first i with i/10 > 0.5), 60% of it 3.6 */
    OK(pov_relative_line(B_y, NULL, B_N, POV_LINE_MEAN, 0.5, &r));
    expect_near(r, 2.75, TOL);
    OK(pov_relative_line(B_y, NULL, B_N, POV_LINE_MEDIAN, 0.6, &r));
    expect_near(r, 3.6, TOL);
    /* data set A: mean 91.5/16, weighted median 5 */
    OK(pov_relative_line(A_y, A_w, A_N, POV_LINE_MEAN, 1.0, &r));
    expect_near(r, 91.5 / 16.0, TOL);
    OK(pov_relative_line(A_y, A_w, A_N, POV_LINE_MEDIAN, 0.5, &r));
    expect_near(r, 2.5, TOL);
    EXPECT_ERR(pov_relative_line(B_y, NULL, B_N, 0, 0.5, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_relative_line(B_y, NULL, B_N, POV_LINE_MEAN | POV_LINE_MEDIAN, 0.5, &r),
               POV_EINVAL, NULL);
    EXPECT_ERR(pov_relative_line(B_y, NULL, B_N, POV_LINE_MEAN, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_relative_line(B_y, NULL, B_N, POV_LINE_MEAN, NAN, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_relative_line(B_y, NULL, 0, POV_LINE_MEDIAN, 0.6, &r), POV_EEMPTY, NULL);
    EXPECT_ERR(pov_relative_line(B_y, NULL, B_N, POV_LINE_MEDIAN, 0.6, NULL), POV_EINVAL, NULL);
}

Test(mean, hand_and_errors) {
    double r;
    OK(pov_mean(A_y, A_w, A_N, &r));
    expect_near(r, 91.5 / 16.0, TOL);
    OK(pov_mean(B_y, NULL, B_N, &r));
    expect_near(r, 5.5, TOL);
    const double zw[] = {0, 0};
    EXPECT_ERR(pov_mean(B_y, zw, 2, &r), POV_EEMPTY, NULL);
    const double y[] = {1, INFINITY};
    EXPECT_ERR(pov_mean(y, NULL, 2, &r), POV_ENONFINITE, "y[1]");
}

/* ------------------------------------------------------------------ */
/* Quantiles                                                           */
/* ------------------------------------------------------------------ */

Test(quantile, laeken_reference) {
    /* laeken 0.5.2: weightedQuantile(A_y, A_w, probs = c(0, .1, .2, .25, .5, .8, .9, 1))
     *   = 1 2 2 3 5 8 9 15; by hand: c/N = .0625 .21875 .3125 .5 .625 .75 .84375
     *   .90625 .9375 1, take the first y with c/N > p (p = .5 -> 5, not 3). */
    const double p[] = {0, .1, .2, .25, .5, .8, .9, 1}, want[] = {1, 2, 2, 3, 5, 8, 9, 15};
    for (size_t i = 0; i < 8; i++) {
        double r;
        OK(pov_quantile(A_y, A_w, A_N, p[i], &r));
        cr_assert_eq(r, want[i], "p = %g: got %g want %g", p[i], r, want[i]);
    }
    /* laeken 0.5.2: weightedQuantile(1:10, probs = c(.1, .2, .5, .8)) = 2 3 6 9 */
    const double pu[] = {.1, .2, .5, .8}, wu[] = {2, 3, 6, 9};
    for (size_t i = 0; i < 4; i++) {
        double r;
        OK(pov_quantile(B_y, NULL, B_N, pu[i], &r));
        cr_assert_eq(r, wu[i]);
    }
}

Test(quantile, zero_weights_at_the_ends_are_skipped) {
    const double y[] = {0, 5, 7, 100}, w[] = {0, 1, 1, 0};
    double r;
    OK(pov_quantile(y, w, 4, 0.0, &r));
    cr_assert_eq(r, 5);
    OK(pov_quantile(y, w, 4, 1.0, &r));
    cr_assert_eq(r, 7);
    OK(pov_quantile(y, w, 4, 0.5, &r)); /* c/N = 0, .5, 1, 1 -> first > .5 is 7 */
    cr_assert_eq(r, 7);
}

/* The laeken rule by a linear scan over data sorted with qsort. */
static double quantile_ref(const double *y, const double *w, size_t n, double p) {
    double (*pr)[2] = malloc(n * sizeof *pr);
    for (size_t i = 0; i < n; i++) {
        pr[i][0] = y[i];
        pr[i][1] = w ? w[i] : 1.0;
    }
    qsort(pr, n, sizeof *pr, cmp_double); /* compares the first member */
    double W = 0, c = 0, r = NAN;
    for (size_t i = 0; i < n; i++)
        W += pr[i][1];
    for (size_t i = 0; i < n; i++) {
        c += pr[i][1];
        if (c / W > p) {
            r = pr[i][0];
            break;
        }
    }
    free(pr);
    return r;
}

Test(quantile, large_random_with_negatives_and_ties) {
    enum { N = 5000 };
    static double y[N], w[N];
    for (size_t i = 0; i < N; i++) {
        double u = urand();
        y[i] = u < 0.05 ? -floor(urand() * 50) : u < 0.1 ? 0.0 : u < 0.12 ? -0.0
               : u < 0.14 ? 1e300 * urand() : floor(exp(5 + 3 * urand())) / 7.0;
        w[i] = floor(urand() * 4); /* 0..3, some zero */
    }
    pov_sorted *s;
    OK(pov_sorted_new(y, w, N, &s));
    for (double p = 0.001; p < 1.0; p += 0.0371) {
        double r, r2;
        OK(pov_quantile(y, w, N, p, &r));
        cr_assert_eq(r, quantile_ref(y, w, N, p), "p = %g", p);
        OK(pov_sorted_quantile(s, p, &r2));
        cr_assert_eq(r, r2);
        OK(pov_quantile(y, NULL, N, p, &r));
        cr_assert_eq(r, quantile_ref(y, NULL, N, p), "p = %g", p);
    }
    pov_sorted_free(s);
}

Test(quantile, bad_p) {
    double r;
    EXPECT_ERR(pov_quantile(B_y, NULL, B_N, -0.1, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_quantile(B_y, NULL, B_N, 1.5, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_quantile(B_y, NULL, B_N, NAN, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_quantile(B_y, NULL, 0, 0.5, &r), POV_EEMPTY, NULL);
    const double w[] = {1, 1, -1};
    EXPECT_ERR(pov_quantile(B_y, w, 3, 0.5, &r), POV_ERANGE, "w[2]");
}

/* ------------------------------------------------------------------ */
/* Gini                                                                */
/* ------------------------------------------------------------------ */

Test(gini, laeken_reference_and_hand) {
    double r;
    /* laeken 0.5.2: gini(A_y, A_w)$value = 32.83811475409837. By hand:
     * Σ w y (2c − w) = 1 + 22.5 + 38.25 + 195 + 180 + 308 + 306 + 252 + 177 + 465
     * = 1944.75; G = 1944.75 / (16 * 91.5) − 1 = 0.328381147540983... */
    OK(pov_gini(A_y, A_w, A_N, &r));
    expect_near(r, 1944.75 / 1464.0 - 1.0, TOL);
    expect_near(r, 0.3283811475409837, 1e-14);
    /* laeken 0.5.2: gini(1:10)$value = 30.000000000000004; by hand the mean
     * absolute difference of 1..10 is 330*2/100 = 3.3, G = 3.3 / (2 * 5.5) = 0.3 */
    OK(pov_gini(B_y, NULL, B_N, &r));
    expect_near(r, 0.3, TOL);
}

Test(gini, convey_formula_hand) {
    /* convey CalcGini: Σ (2c − 1) w y / (N T) − 1 on data set A:
     * 1*1 + 5*6 + 4.5*9 + 15*15 + 10*19 + 14*23 + 12*26 + 9*28 + 6*29 + 15*31
     * = 2011.5; G = 2011.5 / 1464 − 1 */
    double r;
    OK(pov_gini_convey(A_y, A_w, A_N, &r));
    expect_near(r, 2011.5 / 1464.0 - 1.0, TOL);
    /* equal to laeken's with unit weights */
    OK(pov_gini_convey(B_y, NULL, B_N, &r));
    expect_near(r, 0.3, TOL);
    const double ones[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    OK(pov_gini_convey(B_y, ones, B_N, &r));
    expect_near(r, 0.3, TOL);
}

Test(gini, matches_mean_absolute_difference) {
    enum { N = 300 };
    double y[N], w[N];
    fill_incomes(y, N);
    for (size_t i = 0; i < N; i++)
        w[i] = urand() < 0.1 ? 0.0 : 0.1 + 5 * urand();
    double r;
    OK(pov_gini(y, w, N, &r));
    expect_near(r, gini_mad(y, w, N), 1e-12);
    OK(pov_gini(y, NULL, N, &r));
    expect_near(r, gini_mad(y, NULL, N), 1e-12);
    /* convey differs by Σ (w − 1) w y / (N T) */
    double N_ = 0, T = 0, d = 0, rc;
    for (size_t i = 0; i < N; i++) {
        N_ += w[i];
        T += w[i] * y[i];
        d += (w[i] - 1) * w[i] * y[i];
    }
    OK(pov_gini(y, w, N, &r));
    OK(pov_gini_convey(y, w, N, &rc));
    expect_near(rc - r, d / (N_ * T), 1e-10);
}

Test(gini, integer_weights_equal_replicated_rows) {
    enum { N = 200 };
    double y[N], w[N], rep[N * 4];
    fill_incomes(y, N);
    for (size_t i = 0; i < N; i++)
        w[i] = (double)(int)(urand() * 4);
    w[0] = 2;
    size_t m = replicate(y, w, N, rep);
    double a, b;
    OK(pov_gini(y, w, N, &a));
    OK(pov_gini(rep, NULL, m, &b));
    expect_near(a, b, 1e-12);
    /* weights 2 everywhere = every row twice */
    double w2[N], dup[2 * N];
    for (size_t i = 0; i < N; i++) {
        w2[i] = 2;
        dup[2 * i] = dup[2 * i + 1] = y[i];
    }
    OK(pov_gini(y, w2, N, &a));
    OK(pov_gini(dup, NULL, 2 * N, &b));
    expect_near(a, b, 1e-12);
    /* laeken's value does not depend on the scale of the weights */
    for (size_t i = 0; i < N; i++)
        w2[i] = 0.37 * w[i];
    OK(pov_gini(y, w2, N, &b));
    OK(pov_gini(y, w, N, &a));
    expect_near(a, b, 1e-12);
}

Test(gini, negative_incomes_and_domain) {
    /* y = -1, 1, 3: Σ_ij |d| = 2 (2 + 4 + 2) = 16; G = 16 / (2 * 9 * 1) = 8/9 */
    const double y[] = {-1, 1, 3};
    double r;
    OK(pov_gini(y, NULL, 3, &r));
    expect_near(r, 8.0 / 9.0, TOL);
    const double z[] = {-1, 1}, zeros[] = {0, 0, 0};
    EXPECT_ERR(pov_gini(z, NULL, 2, &r), POV_EDOMAIN, NULL);
    EXPECT_ERR(pov_gini(zeros, NULL, 3, &r), POV_EDOMAIN, NULL);
    EXPECT_ERR(pov_gini_convey(zeros, NULL, 3, &r), POV_EDOMAIN, NULL);
    const double yn[] = {1, 2, NAN};
    EXPECT_ERR(pov_gini(yn, NULL, 3, &r), POV_ENONFINITE, "y[2]");
    const double w[] = {1, INFINITY, 1};
    EXPECT_ERR(pov_gini(y, w, 3, &r), POV_ENONFINITE, "w[1]");
    const double wz[] = {0, 0, 0};
    EXPECT_ERR(pov_gini(y, wz, 3, &r), POV_EEMPTY, NULL);
    EXPECT_ERR(pov_gini(y, NULL, 0, &r), POV_EEMPTY, NULL);
    EXPECT_ERR(pov_gini(NULL, NULL, 3, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_gini(y, NULL, 3, NULL), POV_EINVAL, NULL);
    /* one observation: no inequality */
    OK(pov_gini(y + 2, NULL, 1, &r));
    expect_near(r, 0.0, TOL);
}

Test(gini, large_sort_path) {
    /* n > 64 goes through the radix sort; compare with qsorted input */
    enum { N = 2000 };
    static double y[N], s[N];
    fill_incomes(y, N);
    memcpy(s, y, sizeof y);
    qsort(s, N, sizeof *s, cmp_double);
    double T = 0, acc = 0;
    for (size_t i = 0; i < N; i++) {
        T += s[i];
        acc += s[i] * (double)(2 * i + 1); /* (2 rank − 1) y, rank 1-based */
    }
    double r;
    OK(pov_gini(y, NULL, N, &r));
    expect_near(r, acc / ((double)N * T) - 1.0, 1e-12);
}

/* ------------------------------------------------------------------ */
/* GE, Atkinson, CV                                                    */
/* ------------------------------------------------------------------ */

Test(ge, hand) {
    /* y = 1, 2, 3, 4; μ = 2.5 */
    const double y[] = {1, 2, 3, 4};
    double r;
    /* MLD = (ln 2.5 + ln 1.25 + ln(2.5/3) + ln 0.625) / 4 */
    OK(pov_mld(y, NULL, 4, &r));
    expect_near(r, (log(2.5) + log(1.25) + log(2.5 / 3) + log(0.625)) / 4, TOL);
    OK(pov_ge(y, NULL, 4, 0.0, &r));
    expect_near(r, (log(2.5) + log(1.25) + log(2.5 / 3) + log(0.625)) / 4, TOL);
    /* Theil = Σ (y/μ) ln(y/μ) / 4 */
    double t = (0.4 * log(0.4) + 0.8 * log(0.8) + 1.2 * log(1.2) + 1.6 * log(1.6)) / 4;
    OK(pov_theil(y, NULL, 4, &r));
    expect_near(r, t, TOL);
    /* GE(2) = ((0.16 + 0.64 + 1.44 + 2.56)/4 − 1) / 2 = (1.2 − 1)/2 = 0.1 = CV²/2 */
    OK(pov_ge(y, NULL, 4, 2.0, &r));
    expect_near(r, 0.1, TOL);
    double cv;
    OK(pov_cv(y, NULL, 4, &cv));
    expect_near(cv * cv / 2, 0.1, TOL);
    /* GE(-1) = ((2.5 + 1.25 + 2.5/3 + 0.625)/4 − 1) / 2 */
    OK(pov_ge(y, NULL, 4, -1.0, &r));
    expect_near(r, ((2.5 + 1.25 + 2.5 / 3 + 0.625) / 4 - 1) / 2, TOL);
    /* continuity at α = 1 and α = 0 */
    OK(pov_ge(y, NULL, 4, 1.0 + 1e-7, &r));
    expect_near(r, t, 1e-6);
    OK(pov_ge(y, NULL, 4, 1e-7, &r));
    expect_near(r, (log(2.5) + log(1.25) + log(2.5 / 3) + log(0.625)) / 4, 1e-6);
}

Test(ge, weights_equal_replication) {
    enum { N = 101 };
    double y[N], w[N], rep[N * 3];
    fill_incomes(y, N);
    for (size_t i = 0; i < N; i++)
        w[i] = (double)(1 + (int)(urand() * 3));
    size_t m = replicate(y, w, N, rep);
    const double alphas[] = {-1, 0, 0.5, 1, 2, 3};
    for (size_t k = 0; k < 6; k++) {
        double a, b;
        OK(pov_ge(y, w, N, alphas[k], &a));
        OK(pov_ge(rep, NULL, m, alphas[k], &b));
        expect_near(a, b, 1e-11);
    }
    const double eps[] = {0, 0.5, 1, 2, 3.5};
    for (size_t k = 0; k < 5; k++) {
        double a, b;
        OK(pov_atkinson(y, w, N, eps[k], &a));
        OK(pov_atkinson(rep, NULL, m, eps[k], &b));
        expect_near(a, b, 1e-11);
    }
    double a, b;
    OK(pov_cv(y, w, N, &a));
    OK(pov_cv(rep, NULL, m, &b));
    expect_near(a, b, 1e-11);
}

Test(ge, zero_and_negative_incomes) {
    const double y0[] = {0, 2}, yn[] = {3, -1, 2};
    double r;
    /* Theil with a zero income: (0 + 2 ln 2)/2 = ln 2 */
    OK(pov_theil(y0, NULL, 2, &r));
    expect_near(r, log(2.0), TOL);
    /* GE(0.5) with a zero: (1/(0.5 * -0.5)) ((0 + sqrt 2)/2 − 1) */
    OK(pov_ge(y0, NULL, 2, 0.5, &r));
    expect_near(r, (sqrt(2.0) / 2 - 1) / -0.25, TOL);
    EXPECT_ERR(pov_mld(y0, NULL, 2, &r), POV_EDOMAIN, "y[0]");
    EXPECT_ERR(pov_ge(y0, NULL, 2, -1.0, &r), POV_EDOMAIN, "y[0]");
    EXPECT_ERR(pov_mld(yn, NULL, 3, &r), POV_EDOMAIN, "y[1]");
    EXPECT_ERR(pov_theil(yn, NULL, 3, &r), POV_EDOMAIN, "y[1]");
    EXPECT_ERR(pov_ge(yn, NULL, 3, 2.0, &r), POV_EDOMAIN, "y[1]");
    EXPECT_ERR(pov_ge(y0, NULL, 2, NAN, &r), POV_EINVAL, NULL);
    const double zeros[] = {0, 0};
    EXPECT_ERR(pov_theil(zeros, NULL, 2, &r), POV_EDOMAIN, NULL);
    EXPECT_ERR(pov_ge(y0, NULL, 0, 2.0, &r), POV_EEMPTY, NULL);
}

Test(atkinson, hand) {
    /* y = 1, 4: μ = 2.5. ε = 1: geometric mean 2, A = 1 − 2/2.5 = 0.2.
     * ε = 2: harmonic mean 2/(1 + 1/4) = 1.6, A = 0.36.
     * ε = 0.5: ((1 + 2)/2)² = 2.25, A = 1 − 2.25/2.5 = 0.1. ε = 0: 0. */
    const double y[] = {1, 4};
    double r;
    OK(pov_atkinson(y, NULL, 2, 1.0, &r));
    expect_near(r, 0.2, TOL);
    OK(pov_atkinson(y, NULL, 2, 2.0, &r));
    expect_near(r, 0.36, TOL);
    OK(pov_atkinson(y, NULL, 2, 0.5, &r));
    expect_near(r, 0.1, TOL);
    OK(pov_atkinson(y, NULL, 2, 0.0, &r));
    expect_near(r, 0.0, TOL);
    /* ε = 0.5 with a zero: y = 0, 4: ((0 + 2)/2)² = 1, μ = 2, A = 0.5 */
    const double y0[] = {0, 4};
    OK(pov_atkinson(y0, NULL, 2, 0.5, &r));
    expect_near(r, 0.5, TOL);
    EXPECT_ERR(pov_atkinson(y0, NULL, 2, 1.0, &r), POV_EDOMAIN, "y[0]");
    EXPECT_ERR(pov_atkinson(y0, NULL, 2, 2.0, &r), POV_EDOMAIN, "y[0]");
    const double yn[] = {1, -4};
    EXPECT_ERR(pov_atkinson(yn, NULL, 2, 0.5, &r), POV_EDOMAIN, "y[1]");
    EXPECT_ERR(pov_atkinson(y, NULL, 2, -0.5, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_atkinson(y, NULL, 2, INFINITY, &r), POV_EINVAL, NULL);
}

Test(cv, hand_and_errors) {
    /* y = 1..4: population variance 1.25, CV = sqrt(1.25)/2.5 */
    const double y[] = {1, 2, 3, 4}, w[] = {1, 1, 1, 1};
    double r;
    OK(pov_cv(y, w, 4, &r));
    expect_near(r, sqrt(1.25) / 2.5, TOL);
    const double y0[] = {-1, 1};
    EXPECT_ERR(pov_cv(y0, NULL, 2, &r), POV_EDOMAIN, NULL);
    const double wn[] = {1, 1, NAN, 1};
    EXPECT_ERR(pov_cv(y, wn, 4, &r), POV_ENONFINITE, "w[2]");
}

/* ------------------------------------------------------------------ */
/* Lorenz curve, shares, ratios                                        */
/* ------------------------------------------------------------------ */

Test(lorenz, hand) {
    /* y = 1..4, T = 10: L(.25) = .1, L(.5) = .3, L(.75) = .6; L(.125) = half of
     * the first unit = 0.05; L(.6): 2.4 units = 1 + 2 + 0.4*3 = 4.2 -> 0.42 */
    const double y[] = {4, 2, 3, 1};
    const double p[] = {0, 0.125, 0.25, 0.5, 0.6, 0.75, 1};
    const double want[] = {0, 0.05, 0.1, 0.3, 0.42, 0.6, 1};
    double out[7];
    OK(pov_lorenz(y, NULL, 4, p, 7, out));
    for (int i = 0; i < 7; i++)
        expect_near(out[i], want[i], TOL);
    /* with integer weights equal to replicated rows */
    const double w[] = {2, 1, 3, 1}, rep[] = {4, 4, 2, 3, 3, 3, 1};
    double a[7], b[7];
    OK(pov_lorenz(y, w, 4, p, 7, a));
    OK(pov_lorenz(rep, NULL, 7, p, 7, b));
    for (int i = 0; i < 7; i++)
        expect_near(a[i], b[i], TOL);
    OK(pov_lorenz(y, NULL, 4, NULL, 0, NULL));
    const double bad_p[] = {0.5, 1.5};
    EXPECT_ERR(pov_lorenz(y, NULL, 4, bad_p, 2, out), POV_EINVAL, "p[1]");
    EXPECT_ERR(pov_lorenz(y, NULL, 4, NULL, 2, out), POV_EINVAL, NULL);
    const double wneg[] = {1, 1, -1, 1};
    EXPECT_ERR(pov_lorenz(y, wneg, 4, NULL, 0, NULL), POV_ERANGE, "w[2]");
    const double zeros[] = {0, 0};
    EXPECT_ERR(pov_lorenz(zeros, NULL, 2, p, 7, out), POV_EDOMAIN, NULL);
}

Test(shares, hand) {
    double r;
    /* 1..10, T = 55: bottom 20% hold 3/55, top 20% 19/55, bottom 40% 10/55,
     * top 10% 10/55: S80/S20 = 19/3, Palma = 1 */
    OK(pov_quantile_share(B_y, NULL, B_N, 0.0, 0.2, &r));
    expect_near(r, 3.0 / 55, TOL);
    OK(pov_quantile_share(B_y, NULL, B_N, 0.8, 1.0, &r));
    expect_near(r, 19.0 / 55, TOL);
    OK(pov_s80s20(B_y, NULL, B_N, &r));
    expect_near(r, 19.0 / 3.0, TOL);
    OK(pov_palma(B_y, NULL, B_N, &r));
    expect_near(r, 1.0, TOL);
    /* decile shares add up to 1 */
    double sum = 0;
    for (int d = 1; d <= 10; d++) {
        OK(pov_quantile_share(A_y, A_w, A_N, (d - 1) / 10.0, d / 10.0, &r));
        cr_assert(r >= 0);
        sum += r;
    }
    expect_near(sum, 1.0, 1e-12);
    /* data set A, bottom 25% = 4 units of weight: 1*1 + 2.5*2 + 0.5*3 = 7.5 of 91.5 */
    OK(pov_quantile_share(A_y, A_w, A_N, 0.0, 0.25, &r));
    expect_near(r, 7.5 / 91.5, TOL);
    EXPECT_ERR(pov_quantile_share(B_y, NULL, B_N, 0.5, 0.5, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_quantile_share(B_y, NULL, B_N, -0.1, 0.5, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_quantile_share(B_y, NULL, B_N, 0.1, NAN, &r), POV_EINVAL, NULL);
    const double poor[] = {0, 0, 0, 0, 10};
    EXPECT_ERR(pov_s80s20(poor, NULL, 5, &r), POV_EDOMAIN, NULL);
    EXPECT_ERR(pov_palma(poor, NULL, 5, &r), POV_EDOMAIN, NULL);
    EXPECT_ERR(pov_palma(poor, NULL, 0, &r), POV_EEMPTY, NULL);
}

/* ------------------------------------------------------------------ */
/* EU-SILC (laeken)                                                    */
/* ------------------------------------------------------------------ */

Test(eusilc, laeken_reference_weighted) {
    double r;
    /* laeken 0.5.2 on data set A: arpt = 3, arpr = 21.875 (%), qsr = 5,
     * rmpg = 33.333333333333336 (%).
     * By hand: median 5, arpt 0.6*5 = 3; below 3: weights 1 + 2.5 = 3.5 -> 3.5/16;
     * q1 = Q(.2) = 2, q4 = Q(.8) = 8: top 9 + 6 + 15 = 30, bottom 1 + 5 = 6 -> 5;
     * poor 1 (w 1), 2 (w 2.5): median 2, gap (3 − 2)/3. */
    OK(pov_arpt(A_y, A_w, A_N, 0.6, &r));
    expect_near(r, 3.0, TOL);
    OK(pov_arpr(A_y, A_w, A_N, 0.6, &r));
    expect_near(r, 0.21875, TOL);
    OK(pov_arpr(A_y, A_w, A_N, 0.5, &r)); /* laeken arpr(p = 0.5): 21.875 */
    expect_near(r, 0.21875, TOL);
    OK(pov_qsr(A_y, A_w, A_N, &r));
    expect_near(r, 5.0, TOL);
    OK(pov_rmpg(A_y, A_w, A_N, 0.6, &r));
    expect_near(r, 1.0 / 3.0, TOL);
}

Test(eusilc, laeken_reference_unit) {
    double r;
    /* laeken 0.5.2 on 1..10: arpt 3.5999999999999996, arpr 30 (%),
     * qsr 1.6666666666666667 (q1 = 3, q4 = 9: 10 / (1 + 2 + 3)),
     * rmpg 44.444444444444443 (%) (poor 1, 2, 3: median 2, (3.6 − 2)/3.6). */
    OK(pov_arpt(B_y, NULL, B_N, 0.6, &r));
    expect_near(r, 3.6, TOL);
    OK(pov_arpr(B_y, NULL, B_N, 0.6, &r));
    expect_near(r, 0.3, TOL);
    OK(pov_qsr(B_y, NULL, B_N, &r));
    expect_near(r, 10.0 / 6.0, TOL);
    OK(pov_rmpg(B_y, NULL, B_N, 0.6, &r));
    expect_near(r, 1.6 / 3.6, TOL);
}

Test(eusilc, person_at_threshold_is_not_at_risk) {
    /* median of 1,2,4,6,8 is 4; half of it is 2: only 1 is below (2 is not) */
    const double y[] = {8, 2, 4, 1, 6};
    double r;
    OK(pov_arpr(y, NULL, 5, 0.5, &r));
    expect_near(r, 0.2, TOL);
}

Test(eusilc, errors) {
    double r;
    const double flat[] = {5, 5, 5};
    EXPECT_ERR(pov_rmpg(flat, NULL, 3, 0.6, &r), POV_EEMPTY, NULL);
    const double zmed[] = {0, 0, 0, 1}; /* median 0 -> threshold 0 */
    EXPECT_ERR(pov_rmpg(zmed, NULL, 4, 0.6, &r), POV_EDOMAIN, NULL);
    const double zq[] = {0, 0, 0, 0, 0, 1, 2, 3, 4, 5}; /* bottom quintile income 0 */
    EXPECT_ERR(pov_qsr(zq, NULL, 10, &r), POV_EDOMAIN, NULL);
    EXPECT_ERR(pov_arpr(B_y, NULL, B_N, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_arpt(B_y, NULL, B_N, -0.6, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_rmpg(B_y, NULL, B_N, NAN, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_arpr(B_y, NULL, 0, 0.6, &r), POV_EEMPTY, NULL);
    const double w[] = {1, 1, 1, -3, 1, 1, 1, 1, 1, 1};
    EXPECT_ERR(pov_arpr(B_y, w, B_N, 0.6, &r), POV_ERANGE, "w[3]");
    EXPECT_ERR(pov_qsr(B_y, w, B_N, &r), POV_ERANGE, "w[3]");
    EXPECT_ERR(pov_arpt(NULL, NULL, 2, 0.6, &r), POV_EINVAL, NULL);
}

/* ------------------------------------------------------------------ */
/* Sorted handle                                                       */
/* ------------------------------------------------------------------ */

Test(sorted, same_results_as_direct_calls) {
    enum { N = 777 };
    static double y[N], w[N];
    fill_incomes(y, N);
    for (size_t i = 0; i < N; i++)
        w[i] = 0.5 + urand();
    for (int weighted = 0; weighted < 2; weighted++) {
        const double *ww = weighted ? w : NULL;
        pov_sorted *s;
        OK(pov_sorted_new(y, ww, N, &s));
        cr_assert_eq(pov_sorted_count(s), N);
        double W = 0;
        for (size_t i = 0; i < N; i++)
            W += ww ? ww[i] : 1.0;
        expect_near(pov_sorted_total_weight(s), W, 1e-12);
        double a, b;
        OK(pov_sorted_gini(s, &a));
        OK(pov_gini(y, ww, N, &b));
        cr_assert_eq(a, b);
        OK(pov_sorted_gini_convey(s, &a));
        OK(pov_gini_convey(y, ww, N, &b));
        cr_assert_eq(a, b);
        OK(pov_sorted_arpt(s, 0.6, &a));
        OK(pov_arpt(y, ww, N, 0.6, &b));
        cr_assert_eq(a, b);
        OK(pov_sorted_arpr(s, 0.6, &a));
        OK(pov_arpr(y, ww, N, 0.6, &b));
        expect_near(a, b, 1e-13); /* one-shot sums in another order */
        OK(pov_sorted_qsr(s, &a));
        OK(pov_qsr(y, ww, N, &b));
        expect_near(a, b, 1e-13); /* one-shot sums in another order */
        OK(pov_sorted_rmpg(s, 0.6, &a));
        OK(pov_rmpg(y, ww, N, 0.6, &b));
        expect_near(a, b, 1e-13); /* one-shot sums in another order */
        OK(pov_sorted_quantile_share(s, 0.1, 0.35, &a));
        OK(pov_quantile_share(y, ww, N, 0.1, 0.35, &b));
        cr_assert_eq(a, b);
        const double p[] = {0.1, 0.5, 0.9};
        double la[3], lb[3];
        OK(pov_sorted_lorenz(s, p, 3, la));
        OK(pov_lorenz(y, ww, N, p, 3, lb));
        cr_assert_arr_eq(la, lb, sizeof la);
        /* arpr by a direct count */
        double t, below = 0;
        OK(pov_sorted_arpt(s, 0.6, &t));
        for (size_t i = 0; i < N; i++)
            if (y[i] < t)
                below += ww ? ww[i] : 1.0;
        OK(pov_sorted_arpr(s, 0.6, &a));
        expect_near(a, below / W, 1e-12);
        pov_sorted_free(s);
    }
}

Test(sorted, errors_and_null) {
    pov_sorted_free(NULL);
    cr_assert_eq(pov_sorted_count(NULL), 0);
    cr_assert_eq(pov_sorted_total_weight(NULL), 0.0);
    double r;
    EXPECT_ERR(pov_sorted_gini(NULL, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_quantile(NULL, 0.5, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_arpr(NULL, 0.6, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_lorenz(NULL, NULL, 0, NULL), POV_EINVAL, NULL);
    pov_sorted *s = (pov_sorted *)1;
    const double w[] = {1, NAN};
    EXPECT_ERR(pov_sorted_new(B_y, w, 2, &s), POV_ENONFINITE, "w[1]");
    cr_assert_null(s);
    EXPECT_ERR(pov_sorted_new(B_y, NULL, 0, &s), POV_EEMPTY, NULL);
    EXPECT_ERR(pov_sorted_new(B_y, NULL, 2, NULL), POV_EINVAL, NULL);
    OK(pov_sorted_new(B_y, NULL, B_N, &s));
    EXPECT_ERR(pov_sorted_quantile(s, 2.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_gini(s, NULL), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_quantile_share(s, 0.5, 0.2, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_arpt(s, 0.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_rmpg(s, -1.0, &r), POV_EINVAL, NULL);
    EXPECT_ERR(pov_sorted_qsr(s, NULL), POV_EINVAL, NULL);
    OK(pov_sorted_quantile(s, 0.5, &r));
    cr_assert_eq(r, 6.0);
    pov_sorted_free(s);
}

/* Watts over many blocks of the packed-poor loop (n not a multiple of the
 * block size), against a direct long-double sum; a bad element far from
 * the start is still reported with its index. */
Test(watts, many_blocks_against_direct_sum) {
    enum { NW = 1000 };
    static double y[NW], w[NW];
    long double s = 0, sw = 0, su = 0;
    const double z = 60.0;
    for (int i = 0; i < NW; i++) {
        y[i] = 1.0 + (double)((i * 37) % 101); /* 1..101, about 59 % poor */
        w[i] = 0.5 + (double)(i % 7) / 4.0;
        sw += w[i];
        if (y[i] < z) {
            s += w[i] * logl((long double)z / y[i]);
            su += logl((long double)z / y[i]);
        }
    }
    double r;
    OK(pov_watts(y, w, NW, z, &r));
    expect_near(r, (double)(s / sw), 1e-14);
    OK(pov_watts(y, NULL, NW, z, &r));
    expect_near(r, (double)(su / NW), 1e-14);
    y[777] = -1.0;
    EXPECT_ERR(pov_watts(y, w, NW, z, &r), POV_EDOMAIN, "y[777]");
    y[777] = 5.0;
    w[600] = NAN;
    EXPECT_ERR(pov_watts(y, w, NW, z, &r), POV_ENONFINITE, "w[600]");
}

/* The SSE2 Watts loop (full blocks of 256 observations, four at a time, the
 * poor found by a 4-bit mask and packed as byte positions through a table
 * of the 16 masks) against the definition summed in input order: every
 * mask pattern, every lane, blocks and the partial last block. The kernel
 * promises input order for both sums, so the result is exact. */
Test(watts, block_masks_against_in_order_sum) {
    enum { NW = 3 * 256 + 7 };
    static double y[NW], w[NW];
    const double z = 10.0;
    const size_t sizes[] = {1, 4, 255, 256, 257, 512, 515, NW};
    for (size_t i = 0; i < NW; i++) {
        unsigned pattern = (unsigned)(i / 4) % 16; /* each mask in turn */
        int poor = (pattern >> (i % 4)) & 1;
        /* poor: 1..9.x; not poor: 10 (y == z is not poor) or more */
        y[i] = poor ? 1.0 + (double)(i % 9) + 0.25 * (double)(i % 3) : 10.0 + (double)(i % 5);
        w[i] = 0.5 + (double)(i % 11) / 8.0;
    }
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        double acc = 0.0, accu = 0.0, sw = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (y[i] < z) {
                acc += w[i] * log(z / y[i]);
                accu += log(z / y[i]);
            }
            sw += w[i];
        }
        double r;
        OK(pov_watts(y, w, n, z, &r));
        cr_assert(r == acc / sw, "n=%zu: %.17g != %.17g", n, r, acc / sw);
        OK(pov_watts(y, NULL, n, z, &r));
        cr_assert(r == accu / (double)n, "unweighted n=%zu: %.17g != %.17g", n, r,
                  accu / (double)n);
    }
}

/* Checks in the SSE2 Watts loop: a bad value in any lane of a full block,
 * in the last full block and in the partial block is found and named;
 * -0.0 weights and the smallest positive income are valid. */
Test(watts, block_checks_every_lane) {
    enum { NW = 2 * 256 + 5 };
    static double y[NW], w[NW];
    const size_t at[] = {0, 1, 2, 3, 5, 254, 255, 256, 258, 511, 512, 516};
    const double bad_w[] = {-1.0, -DBL_TRUE_MIN, NAN, INFINITY};
    const int bad_w_code[] = {POV_ERANGE, POV_ERANGE, POV_ENONFINITE, POV_ENONFINITE};
    const double bad_y[] = {NAN, INFINITY, -INFINITY, 0.0, -0.0, -3.0};
    const int bad_y_code[] = {POV_ENONFINITE, POV_ENONFINITE, POV_ENONFINITE,
                              POV_EDOMAIN, POV_EDOMAIN, POV_EDOMAIN};
    double r;
    for (size_t a = 0; a < sizeof at / sizeof *at; a++) {
        size_t pos = at[a];
        for (size_t i = 0; i < NW; i++) {
            y[i] = 1.0 + (double)(i % 13);
            w[i] = 1.0;
        }
        char path[16];
        snprintf(path, sizeof path, "w[%zu]", pos);
        for (size_t k = 0; k < sizeof bad_w / sizeof *bad_w; k++) {
            w[pos] = bad_w[k];
            EXPECT_ERR(pov_watts(y, w, NW, 5.0, &r), bad_w_code[k], path);
        }
        w[pos] = -0.0;
        OK(pov_watts(y, w, NW, 5.0, &r));
        w[pos] = 1.0;
        snprintf(path, sizeof path, "y[%zu]", pos);
        for (size_t k = 0; k < sizeof bad_y / sizeof *bad_y; k++) {
            y[pos] = bad_y[k];
            EXPECT_ERR(pov_watts(y, w, NW, 5.0, &r), bad_y_code[k], path);
            EXPECT_ERR(pov_watts(y, NULL, NW, 5.0, &r), bad_y_code[k], path);
        }
        y[pos] = DBL_TRUE_MIN; /* the smallest income > 0: valid */
        OK(pov_watts(y, w, NW, 5.0, &r));
    }
}
