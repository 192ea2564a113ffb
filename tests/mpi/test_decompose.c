/* Subgroup decompositions: hand-computed example, contributions add up,
 * GE within + between against an independent direct formula, bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "povmetrics.h"

static void expect_err(int rc, int code, const char *path) {
    cr_assert_eq(rc, code, "rc %d, want %d (%s)", rc, code, pov_error_message(pov_error_last()));
    if (path)
        cr_assert_str_eq(pov_error_path(pov_error_last()), path);
}

/* y, w and groups of the hand example:
 * group 0: y 1 3 5 with w 1 1 2 (N0 = 4), group 1: y 2 6 with w 1 3 (N1 = 4);
 * z = 4, so the poor are y = 1 (gap 3/4), 3 (1/4) in group 0, y = 2 (1/2) in 1. */
static const double HY[] = {1, 3, 5, 2, 6}, HW[] = {1, 1, 2, 1, 3};
static const int32_t HG[] = {0, 0, 0, 1, 1};

Test(decompose, fgt_hand_example) {
    cr_assert_eq(pov_decomp_columns(), 5);
    double out[3 * 5];
    /* FGT0: group 0: 2/4, group 1: 1/4, total 3/8; contributions
     * 0.5·0.5 = 0.25 and 0.5·0.25 = 0.125, percent 200/3 and 100/3 */
    cr_assert_eq(pov_fgt_decompose(HY, HW, 5, HG, 2, 4.0, 0.0, out), 0);
    const double want0[] = {4, 0.5, 0.5, 0.25, 200.0 / 3,  4, 0.5, 0.25, 0.125, 100.0 / 3,
                            8, 1, 0.375, 0.375, 100};
    for (int i = 0; i < 15; i++)
        cr_assert_float_eq(out[i], want0[i], 1e-13, "cell %d: %g", i, out[i]);
    /* FGT1: group 0: (0.75 + 0.25)/4 = 0.25, group 1: 0.5/4 = 0.125, total 1.5/8 */
    cr_assert_eq(pov_fgt_decompose(HY, HW, 5, HG, 2, 4.0, 1.0, out), 0);
    const double want1[] = {4, 0.5, 0.25, 0.125, 200.0 / 3,  4, 0.5, 0.125, 0.0625, 100.0 / 3,
                            8, 1, 0.1875, 0.1875, 100};
    for (int i = 0; i < 15; i++)
        cr_assert_float_eq(out[i], want1[i], 1e-13, "cell %d: %g", i, out[i]);
}

Test(decompose, watts_hand_example) {
    double out[15];
    cr_assert_eq(pov_watts_decompose(HY, HW, 5, HG, 2, 4.0, out), 0);
    const double g0 = (log(4.0) + log(4.0 / 3)) / 4, g1 = log(2.0) / 4, tot = (g0 + g1) / 2;
    cr_assert_float_eq(out[2], g0, 1e-15);
    cr_assert_float_eq(out[7], g1, 1e-15);
    cr_assert_float_eq(out[12], tot, 1e-15);
    cr_assert_float_eq(out[4] + out[9], 100.0, 1e-12);
    cr_assert_float_eq(out[4], 100 * g0 / 2 / tot, 1e-12);
}

static uint64_t rs = 12345;
static double unif(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) * 0x1p-53;
}

enum { N = 3000, G = 7 };
static double Y[N], W[N];
static int32_t GR[N];
static void make_data(void) {
    for (int i = 0; i < N; i++) {
        GR[i] = (int32_t)(i % G);
        Y[i] = (50 + 100 * GR[i]) * exp(2 * unif() - 1) * (0.5 + unif());
        W[i] = 0.5 + 3 * unif();
    }
}

Test(decompose, contributions_sum_to_total_and_match_pov_fgt) {
    make_data();
    double out[(G + 1) * 5];
    const double alphas[] = {0, 1, 2, 1.5};
    for (int a = 0; a < 4; a++) {
        cr_assert_eq(pov_fgt_decompose(Y, W, N, GR, G, 200.0, alphas[a], out), 0);
        double sum = 0, pct = 0, share = 0;
        for (int g = 0; g < G; g++) {
            sum += out[g * 5 + 3];
            pct += out[g * 5 + 4];
            share += out[g * 5 + 1];
            cr_assert_float_eq(out[g * 5 + 3], out[g * 5 + 1] * out[g * 5 + 2], 1e-15);
        }
        double total;
        cr_assert_eq(pov_fgt(Y, W, N, 200.0, alphas[a], &total), 0);
        cr_assert_float_eq(out[G * 5 + 2], total, 1e-13 * total);
        cr_assert_float_eq(sum, total, 1e-13 * total);
        cr_assert_float_eq(pct, 100.0, 1e-11);
        cr_assert_float_eq(share, 1.0, 1e-14);
    }
    cr_assert_eq(pov_watts_decompose(Y, W, N, GR, G, 200.0, out), 0);
    double sum = 0, total;
    for (int g = 0; g < G; g++)
        sum += out[g * 5 + 3];
    cr_assert_eq(pov_watts(Y, W, N, 200.0, &total), 0);
    cr_assert_float_eq(sum, total, 1e-13 * total);
}

/* Direct GE(α) of the elements with group == g (g < 0: everyone),
 * written from the textbook formula, independent of the library. */
static double ge_direct(double alpha, int g, double *pop, double *mean) {
    long double sw = 0, swy = 0, t = 0;
    for (int i = 0; i < N; i++)
        if (g < 0 || GR[i] == g) {
            sw += W[i];
            swy += W[i] * Y[i];
        }
    long double mu = swy / sw;
    for (int i = 0; i < N; i++)
        if (g < 0 || GR[i] == g) {
            long double r = Y[i] / mu;
            if (alpha == 0)
                t += W[i] * logl(1 / r);
            else if (alpha == 1)
                t += W[i] * r * logl(r);
            else
                t += W[i] * powl(r, alpha);
        }
    *pop = (double)sw;
    *mean = (double)mu;
    if (alpha == 0 || alpha == 1)
        return (double)(t / sw);
    return (double)((t / sw - 1) / (alpha * (alpha - 1)));
}

Test(decompose, ge_within_plus_between_is_total) {
    make_data();
    double out[3 + 4 * G];
    const double alphas[] = {-1, 0, 0.5, 1, 2, 3};
    for (int a = 0; a < 6; a++) {
        const double al = alphas[a];
        cr_assert_eq(pov_ge_decompose(Y, W, N, GR, G, al, out), 0);
        double npop, mu;
        double total = ge_direct(al, -1, &npop, &mu);
        cr_assert_float_eq(out[0], total, 1e-12 * total, "alpha %g", al);
        cr_assert_float_eq(out[1] + out[2], total, 1e-12 * total, "alpha %g", al);
        double lib_ge;
        cr_assert_eq(pov_ge(Y, W, N, al, &lib_ge), 0);
        cr_assert_float_eq(out[0], lib_ge, 1e-12 * lib_ge);
        /* within from independently computed group GEs and Shorrocks weights */
        double within = 0, between = 0;
        for (int g = 0; g < G; g++) {
            double pg, mg, ge_g = ge_direct(al, g, &pg, &mg);
            double v = pg / npop, s = v * mg / mu;
            within += pow(v, 1 - al) * pow(s, al) * ge_g;
            if (al == 0)
                between -= v * log(mg / mu);
            else if (al == 1)
                between += s * log(mg / mu);
            else
                between += v * pow(mg / mu, al);
            cr_assert_float_eq(out[3 + 4 * g + 3], ge_g, 1e-12 * ge_g);
            cr_assert_float_eq(out[3 + 4 * g + 0], v, 1e-14);
            cr_assert_float_eq(out[3 + 4 * g + 1], s, 1e-14);
            cr_assert_float_eq(out[3 + 4 * g + 2], mg, 1e-12 * mg);
        }
        if (al != 0 && al != 1)
            between = (between - 1) / (al * (al - 1));
        cr_assert_float_eq(out[1], within, 1e-12 * within, "alpha %g", al);
        cr_assert_float_eq(out[2], between, 1e-10 * between + 1e-15, "alpha %g", al);
    }
}

Test(decompose, ge_hand_example) {
    /* two groups, no within inequality: y = 1 1 | 3 3, μ = 2.
     * MLD: between = −(½ ln ½ + ½ ln 3/2) = ½ ln(4/3), within = 0.
     * Theil T: between = ¼ ln ½ + ¾ ln 3/2. */
    const double y[] = {1, 1, 3, 3};
    const int32_t g[] = {0, 0, 1, 1};
    double out[3 + 8];
    cr_assert_eq(pov_ge_decompose(y, NULL, 4, g, 2, 0.0, out), 0);
    cr_assert_float_eq(out[0], 0.5 * log(4.0 / 3), 1e-15);
    cr_assert_float_eq(out[1], 0.0, 1e-15);
    cr_assert_float_eq(out[2], 0.5 * log(4.0 / 3), 1e-15);
    cr_assert_eq(pov_ge_decompose(y, NULL, 4, g, 2, 1.0, out), 0);
    cr_assert_float_eq(out[2], 0.25 * log(0.5) + 0.75 * log(1.5), 1e-15);
    cr_assert_float_eq(out[5], 1.0, 0); /* group 0 mean */
    cr_assert_float_eq(out[4], 0.25, 1e-15); /* group 0 income share */
}

Test(decompose, nobody_poor_gives_zero_percentages) {
    double out[15];
    cr_assert_eq(pov_fgt_decompose(HY, HW, 5, HG, 2, 0.5, 0.0, out), 0);
    for (int r = 0; r < 3; r++) {
        cr_assert_eq(out[r * 5 + 2], 0.0);
        cr_assert_eq(out[r * 5 + 4], 0.0);
    }
}

Test(decompose, bad_input) {
    double out[3 * 5 + 16];
    const double ynan[] = {1, NAN, 5, 2, 6}, wneg[] = {1, 1, -2, 1, 3}, winf[] = {1, 1, 2, INFINITY, 1};
    const int32_t gbad[] = {0, 0, 2, 1, 1}, gneg[] = {0, -1, 0, 1, 1}, gone[] = {0, 0, 0, 0, 0};
    expect_err(pov_fgt_decompose(HY, HW, 0, HG, 2, 4, 0, out), POV_EEMPTY, NULL);
    expect_err(pov_fgt_decompose(HY, HW, 5, HG, 0, 4, 0, out), POV_EINVAL, NULL);
    expect_err(pov_fgt_decompose(HY, HW, 5, HG, 2, 4, 0, NULL), POV_EINVAL, NULL);
    expect_err(pov_fgt_decompose(HY, HW, 5, NULL, 2, 4, 0, out), POV_EINVAL, NULL);
    expect_err(pov_fgt_decompose(ynan, HW, 5, HG, 2, 4, 0, out), POV_ENONFINITE, "y[1]");
    expect_err(pov_fgt_decompose(HY, wneg, 5, HG, 2, 4, 0, out), POV_ERANGE, "w[2]");
    expect_err(pov_fgt_decompose(HY, winf, 5, HG, 2, 4, 0, out), POV_ENONFINITE, "w[3]");
    expect_err(pov_fgt_decompose(HY, HW, 5, gbad, 2, 4, 0, out), POV_ERANGE, "group[2]");
    expect_err(pov_fgt_decompose(HY, HW, 5, gneg, 2, 4, 0, out), POV_ERANGE, "group[1]");
    expect_err(pov_fgt_decompose(HY, HW, 5, gone, 2, 4, 0, out), POV_EEMPTY, "groups[1]");
    expect_err(pov_fgt_decompose(HY, HW, 5, gone, 3, 4, 0, out), POV_EEMPTY, "groups[1]");
    const double w0[] = {1, 1, 2, 0, 0};
    expect_err(pov_fgt_decompose(HY, w0, 5, HG, 2, 4, 0, out), POV_EEMPTY, "groups[1]");
    expect_err(pov_fgt_decompose(HY, HW, 5, HG, 2, 0, 0, out), POV_EINVAL, "z");
    expect_err(pov_fgt_decompose(HY, HW, 5, HG, 2, NAN, 0, out), POV_EINVAL, "z");
    expect_err(pov_fgt_decompose(HY, HW, 5, HG, 2, 4, -1, out), POV_EINVAL, "alpha");
    const double yz[] = {1, 0, 5, 2, 6};
    expect_err(pov_watts_decompose(yz, HW, 5, HG, 2, 4, out), POV_EDOMAIN, "y[1]");
    expect_err(pov_ge_decompose(yz, HW, 5, HG, 2, 0, out), POV_EDOMAIN, "y[1]");
    cr_assert_eq(pov_ge_decompose(yz, HW, 5, HG, 2, 2, out), 0); /* zero allowed for α > 0 */
    const double yn[] = {1, -1, 5, 2, 6};
    expect_err(pov_ge_decompose(yn, HW, 5, HG, 2, 2, out), POV_EDOMAIN, "y[1]");
    const double y00[] = {1, 3, 5, 0, 0};
    expect_err(pov_ge_decompose(y00, HW, 5, HG, 2, 2, out), POV_EDOMAIN, "groups[1]");
    expect_err(pov_ge_decompose(HY, HW, 5, HG, 2, NAN, out), POV_EINVAL, "alpha");
    expect_err(pov_ge_decompose(HY, HW, 5, gone, 2, 0.5, out), POV_EEMPTY, "groups[1]");
}

Test(decompose, overflowing_terms) {
    const double y[] = {0.5, -1e300};
    const int32_t g[] = {0, 0};
    double out[10];
    expect_err(pov_fgt_decompose(y, NULL, 2, g, 1, 1.0, 2.0, out), POV_ERANGE, "y[1]");
    const double y2[] = {1, 1e10};
    double out2[7];
    expect_err(pov_ge_decompose(y2, NULL, 2, g, 1, 1100.0, out2), POV_ERANGE, NULL);
    const double wbig[] = {1e300, 1};
    const double y3[] = {1e300, 1};
    expect_err(pov_ge_decompose(y3, wbig, 2, g, 1, 2.0, out2), POV_ERANGE, "w[0]");
}
