/*
 * Tests of standard errors and confidence intervals (povmetrics/inference.h).
 *
 * Expected values come from hand calculation, from an independent numerical
 * derivative of the measure with respect to the weights (the linearised
 * variable is exactly that derivative, Deville 1999) fed into a separately
 * written variance formula, or from statistical agreement with the bootstrap.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

#define Z975 1.959963984540054  /* Φ⁻¹(0.975), tables */
#define Z950 1.6448536269514722 /* Φ⁻¹(0.95) */

static void assert_err(int rc, int code, const char *path)
{
    cr_assert_eq(rc, code, "rc %d, expected %d (%s)", rc, code,
                 pov_error_message(pov_error_last()));
    cr_assert_eq(pov_error_code(pov_error_last()), code);
    if (path != NULL)
        cr_assert_str_eq(pov_error_path(pov_error_last()), path);
}

static void assert_rel(double got, double want, double tol, const char *what)
{
    cr_assert(fabs(got - want) <= tol * fabs(want), "%s: got %.17g, want %.17g (rel tol %g)",
              what, got, want, tol);
}

/* ---- a test-local generator (independent of the library's) ------------- */

static uint64_t test_state;
static double unif(void)
{
    /* 64-bit LCG (Knuth MMIX constants), top 53 bits */
    test_state = test_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return ((double)(test_state >> 11) + 0.5) * 0x1.0p-53;
}
static double gauss(void)
{
    return sqrt(-2.0 * log(unif())) * cos(2.0 * 3.14159265358979323846 * unif());
}

/* ---- an independent variance formula ------------------------------------ */

/*
 * V = Σ_h n_h/(n_h−1) Σ_c (t_hc − t̄_h)² written the slow, obvious way:
 * for every stratum, list its distinct clusters, add up z per cluster.
 */
static double design_var(const double *z, size_t n, const int32_t *strata,
                         const int32_t *clusters)
{
    double v = 0.0;
    char *done = calloc(n, 1);
    for (size_t a = 0; a < n; a++) {
        if (done[a])
            continue;
        int32_t h = strata ? strata[a] : 0;
        double tot[256];
        int32_t ids[256];
        size_t nc = 0;
        for (size_t i = a; i < n; i++) {
            if ((strata ? strata[i] : 0) != h)
                continue;
            done[i] = 1;
            int32_t c = clusters ? clusters[i] : (int32_t)i;
            size_t k = 0;
            while (k < nc && ids[k] != c)
                k++;
            if (k == nc) {
                cr_assert_lt(nc, 256);
                ids[nc] = c;
                tot[nc++] = 0.0;
            }
            tot[k] += z[i];
        }
        double m = 0.0, ss = 0.0;
        for (size_t k = 0; k < nc; k++)
            m += tot[k] / (double)nc;
        for (size_t k = 0; k < nc; k++)
            ss += (tot[k] - m) * (tot[k] - m);
        v += (double)nc / (double)(nc - 1) * ss;
    }
    free(done);
    return v;
}

/* A measure as a function of the weights, for numerical derivatives. */
typedef int (*wmeasure)(const double *y, const double *w, size_t n, const double *par,
                        double *out);
static int m_mean(const double *y, const double *w, size_t n, const double *par, double *out)
{
    (void)par;
    return pov_mean(y, w, n, out);
}
static int m_fgt(const double *y, const double *w, size_t n, const double *par, double *out)
{
    return pov_fgt(y, w, n, par[0], par[1], out);
}
static int m_watts(const double *y, const double *w, size_t n, const double *par, double *out)
{
    return pov_watts(y, w, n, par[0], out);
}
static int m_gini(const double *y, const double *w, size_t n, const double *par, double *out)
{
    (void)par;
    return pov_gini(y, w, n, out);
}

/*
 * Expected linearised SE: z_k = w_k · ∂θ/∂w_k by central differences of the
 * library's point estimator (an independent route to the influence values),
 * then the design variance above.
 */
static double fd_se(wmeasure f, const double *y, const double *w, size_t n, const double *par,
                    const int32_t *strata, const int32_t *clusters)
{
    double *ww = malloc(n * sizeof *ww), *z = malloc(n * sizeof *z);
    for (size_t i = 0; i < n; i++)
        ww[i] = w ? w[i] : 1.0;
    for (size_t k = 0; k < n; k++) {
        double h = 1e-5 * ww[k], lo, hi, keep = ww[k];
        ww[k] = keep + h;
        cr_assert_eq(f(y, ww, n, par, &hi), 0);
        ww[k] = keep - h;
        cr_assert_eq(f(y, ww, n, par, &lo), 0);
        ww[k] = keep;
        z[k] = keep * (hi - lo) / (2.0 * h);
    }
    double v = design_var(z, n, strata, clusters);
    free(ww);
    free(z);
    return sqrt(v);
}

/* Small weighted data set used by several tests. */
static const double Y12[12] = {3.1, 0.7, 5.2, 1.9, 9.8, 2.4, 4.4, 0.9, 7.3, 2.0, 6.1, 1.5};
static const double W12[12] = {1.0, 2.5, 0.5, 3.0, 1.2, 2.0, 0.8, 1.7, 1.1, 2.2, 0.6, 1.4};
static const int32_t S12[12] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2};
static const int32_t C12[12] = {10, 10, 11, 11, 12, 12, 10, 10, 20, 20, 30, 30};

/* ---------------------------------------------------------------------- */

Test(init, defaults) {
    pov_design d;
    memset(&d, 0x5a, sizeof d);
    pov_design_init(&d);
    cr_assert_eq(d.size, sizeof(pov_design));
    cr_assert_null(d.strata);
    cr_assert_null(d.clusters);
    cr_assert_eq(d.level, 0.95);
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(e.size, sizeof(pov_estimate));
    cr_assert(isnan(e.value) && isnan(e.se) && isnan(e.pct_low) && isnan(e.pct_high));
    cr_assert_eq(e.reps, 0);
    cr_assert_eq(e.n_psu, 0);
    pov_design_init(NULL);   /* no-ops */
    pov_estimate_init(NULL);
}

Test(se_fgt, headcount_unit_weights_hand_formula) {
    /* 4 of 10 below 4.5: H = 0.4. The with-replacement linearised variance
     * is n/(n−1) · (1/n²) Σ (p_i − H)² = H(1 − H)/(n − 1). */
    double y[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_fgt(y, NULL, 10, 4.5, 0.0, NULL, &e), 0);
    cr_assert_eq(e.value, 0.4);
    assert_rel(e.se, sqrt(0.4 * 0.6 / 9.0), 1e-14, "se");
    assert_rel(e.ci_low, 0.4 - Z975 * e.se, 1e-13, "ci_low");
    assert_rel(e.ci_high, 0.4 + Z975 * e.se, 1e-13, "ci_high");
    cr_assert_eq(e.level, 0.95);
    cr_assert(isnan(e.pct_low) && isnan(e.pct_high));
    cr_assert_eq(e.n_psu, 10);
    cr_assert_eq(e.n_strata, 1);
    cr_assert_eq(e.reps, 0);
}

Test(se_fgt, line_is_strict) {
    /* y = 4 equals the line: not poor (pov_fgt's convention). */
    double y[5] = {1, 2, 4, 6, 8};
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_fgt(y, NULL, 5, 4.0, 0.0, NULL, &e), 0);
    cr_assert_eq(e.value, 0.4);
    assert_rel(e.se, sqrt(0.4 * 0.6 / 4.0), 1e-14, "se");
}

Test(se_fgt, gap_and_squared_gap_hand) {
    /* y = {1, 3, 5, 7}, z = 4: gaps 3/4, 1/4, 0, 0.
     * α = 1: P1 = 0.25, p − P1 = {0.5, 0, −0.25, −0.25}, Σ² = 0.375;
     * V = (4/3) · 0.375/16 = 1/32. */
    double y[4] = {1, 3, 5, 7};
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_fgt(y, NULL, 4, 4.0, 1.0, NULL, &e), 0);
    assert_rel(e.value, 0.25, 1e-15, "P1");
    assert_rel(e.se, sqrt(1.0 / 32.0), 1e-14, "se P1");
    /* α = 2: p = {9/16, 1/16, 0, 0}, P2 = 10/64; p − P2 = {26, −6, −10, −10}/64,
     * Σ² = 912/4096; V = (4/3) · 912/4096/16 = 76/4096. */
    cr_assert_eq(pov_se_fgt(y, NULL, 4, 4.0, 2.0, NULL, &e), 0);
    assert_rel(e.value, 10.0 / 64.0, 1e-15, "P2");
    assert_rel(e.se, sqrt(76.0 / 4096.0), 1e-14, "se P2");
}

Test(se_mean, stratified_clustered_hand) {
    /* y = 2,4,…,12, unit weights: μ = 7, z_i = (y_i − 7)/6 = {−5,−3,−1,1,3,5}/6.
     * Stratum 1: PSUs {0,1} and {2}: totals −8/6, −1/6, mean −4.5/6,
     *   2/1 · 2 · (3.5/6)² = 49/36.
     * Stratum 2: three single-observation PSUs 1/6, 3/6, 5/6 (cluster ids
     *   reused from stratum 1 are different PSUs): 3/2 · 8/36 = 12/36.
     * V = 61/36. */
    double y[6] = {2, 4, 6, 8, 10, 12};
    int32_t s[6] = {1, 1, 1, 2, 2, 2};
    int32_t c[6] = {1, 1, 2, 1, 2, 3};
    pov_design d;
    pov_design_init(&d);
    d.strata = s;
    d.clusters = c;
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_mean(y, NULL, 6, &d, &e), 0);
    assert_rel(e.value, 7.0, 1e-15, "mean");
    assert_rel(e.se, sqrt(61.0) / 6.0, 1e-14, "se");
    cr_assert_eq(e.n_psu, 5);
    cr_assert_eq(e.n_strata, 2);
}

Test(se_mean, unit_weights_is_s_over_root_n) {
    /* Simple design: V = n/(n−1) Σ ((y−ȳ)/n)² = s²/n with s² the sample variance. */
    double y[5] = {2, 4, 4, 5, 10};
    /* ȳ = 5, Σ(y−ȳ)² = 9+1+1+0+25 = 36, s² = 9, s²/n = 1.8 */
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_mean(y, NULL, 5, NULL, &e), 0);
    assert_rel(e.se, sqrt(1.8), 1e-14, "se");
}

Test(se_mean, weighted_and_design_match_numerical_derivative) {
    pov_design d;
    pov_design_init(&d);
    d.strata = S12;
    d.clusters = C12;
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_mean(Y12, W12, 12, &d, &e), 0);
    assert_rel(e.se, fd_se(m_mean, Y12, W12, 12, NULL, S12, C12), 1e-6, "se");
    cr_assert_eq(pov_se_mean(Y12, W12, 12, NULL, &e), 0);
    assert_rel(e.se, fd_se(m_mean, Y12, W12, 12, NULL, NULL, NULL), 1e-6, "se simple");
}

Test(se_fgt, weighted_designs_match_numerical_derivative) {
    pov_design d;
    pov_design_init(&d);
    pov_estimate e;
    pov_estimate_init(&e);
    for (int alpha = 0; alpha <= 3; alpha++) {
        double par[2] = {4.0, alpha + 0.5 * (alpha == 3)}; /* α = 0, 1, 2, 3.5 */
        const int32_t *strata[3] = {NULL, S12, NULL};
        const int32_t *clusters[3] = {NULL, C12, C12};
        for (int k = 0; k < 3; k++) {
            d.strata = strata[k];
            d.clusters = clusters[k];
            cr_assert_eq(pov_se_fgt(Y12, W12, 12, par[0], par[1], &d, &e), 0);
            double v;
            cr_assert_eq(pov_fgt(Y12, W12, 12, par[0], par[1], &v), 0);
            cr_assert_eq(e.value, v);
            assert_rel(e.se, fd_se(m_fgt, Y12, W12, 12, par, strata[k], clusters[k]), 1e-6,
                       "se fgt");
        }
    }
}

Test(se_watts, matches_numerical_derivative_and_hand) {
    /* Hand: y = {1, 2, 4, 8}, z = 4: p = {ln 4, ln 2, 0, 0}; W = 3 ln2 / 4.
     * p − W = ln2 · {5/4, 1/4, −3/4, −3/4}, Σ² = ln²2 · 44/16;
     * V = (4/3) · ln²2 · (44/16)/16 = ln²2 · 11/48. */
    double y[4] = {1, 2, 4, 8};
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_watts(y, NULL, 4, 4.0, NULL, &e), 0);
    assert_rel(e.value, 0.75 * log(2.0), 1e-15, "W");
    assert_rel(e.se, log(2.0) * sqrt(11.0 / 48.0), 1e-14, "se");

    pov_design d;
    pov_design_init(&d);
    d.strata = S12;
    d.clusters = C12;
    double par[1] = {3.0};
    cr_assert_eq(pov_se_watts(Y12, W12, 12, 3.0, &d, &e), 0);
    assert_rel(e.se, fd_se(m_watts, Y12, W12, 12, par, S12, C12), 1e-6, "se watts");
}

Test(se_gini, matches_numerical_derivative) {
    pov_design d;
    pov_design_init(&d);
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_gini(Y12, W12, 12, NULL, &e), 0);
    double g;
    cr_assert_eq(pov_gini(Y12, W12, 12, &g), 0);
    cr_assert_eq(e.value, g);
    assert_rel(e.se, fd_se(m_gini, Y12, W12, 12, NULL, NULL, NULL), 1e-6, "se");
    d.strata = S12;
    d.clusters = C12;
    cr_assert_eq(pov_se_gini(Y12, W12, 12, &d, &e), 0);
    assert_rel(e.se, fd_se(m_gini, Y12, W12, 12, NULL, S12, C12), 1e-6, "se design");
    /* unit weights, ties */
    double yt[8] = {1, 2, 2, 2, 5, 5, 9, 0};
    cr_assert_eq(pov_se_gini(yt, NULL, 8, NULL, &e), 0);
    assert_rel(e.se, fd_se(m_gini, yt, NULL, 8, NULL, NULL, NULL), 1e-6, "se ties");
}

Test(se_gini, hand_two_points) {
    /* y = {1, 3}, unit weights: G = |1−3|·2/(2·4·4) = 1/4, N = 2, T = 4.
     * u_1 = [Σ|1−y| − G(T + 1·N)]/(NT) = [2 − 6/4]/8 = 1/16;
     * u_2 = [2 − (4 + 6)/4]/8 = −1/16. V = 2/1 · 2 · (1/16)² = 1/64. */
    double y[2] = {1, 3};
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_gini(y, NULL, 2, NULL, &e), 0);
    assert_rel(e.value, 0.25, 1e-15, "G");
    assert_rel(e.se, 0.125, 1e-14, "se");
}

/* arpr: the formula written out again, with pieces from measures.h. */
static double arpr_se_expected(const double *y, const double *w, size_t n, double share)
{
    double R, t, q1, q3, N = 0, S = 0, V = 0;
    size_t npos = 0;
    cr_assert_eq(pov_arpr(y, w, n, share, &R), 0);
    cr_assert_eq(pov_arpt(y, w, n, share, &t), 0);
    cr_assert_eq(pov_quantile(y, w, n, 0.25, &q1), 0);
    cr_assert_eq(pov_quantile(y, w, n, 0.75, &q3), 0);
    double M = t / share;
    for (size_t i = 0; i < n; i++) {
        N += w[i];
        S += w[i] * y[i];
        npos += w[i] > 0;
    }
    for (size_t i = 0; i < n; i++)
        V += w[i] * (y[i] - S / N) * (y[i] - S / N);
    double sd = sqrt(V / N), r = (q3 - q1) / 1.34;
    double h = 0.9 * fmin(sd, r) * pow((double)npos, -0.2);
    double ft = 0, fm = 0;
    for (size_t i = 0; i < n; i++) {
        ft += w[i] * exp(-0.5 * pow((t - y[i]) / h, 2)) / sqrt(2 * M_PI) / h / N;
        fm += w[i] * exp(-0.5 * pow((M - y[i]) / h, 2)) / sqrt(2 * M_PI) / h / N;
    }
    double z[64], mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        double u = (y[i] < t) - R - share * ft / fm * ((y[i] <= M) - 0.5);
        z[i] = w[i] * u / N;
        mean += z[i] / (double)n;
    }
    for (size_t i = 0; i < n; i++)
        ss += (z[i] - mean) * (z[i] - mean);
    return sqrt((double)n / (double)(n - 1) * ss);
}

Test(se_arpr, matches_formula) {
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_arpr(Y12, W12, 12, 0.6, NULL, &e), 0);
    double R;
    cr_assert_eq(pov_arpr(Y12, W12, 12, 0.6, &R), 0);
    cr_assert_eq(e.value, R);
    assert_rel(e.se, arpr_se_expected(Y12, W12, 12, 0.6), 1e-12, "se");
    cr_assert_eq(pov_se_arpr(Y12, W12, 12, 0.5, NULL, &e), 0);
    assert_rel(e.se, arpr_se_expected(Y12, W12, 12, 0.5), 1e-12, "se 0.5");
}

Test(se_arpr, no_spread_is_domain_error) {
    double y[4] = {5, 5, 5, 5};
    pov_estimate e;
    pov_estimate_init(&e);
    assert_err(pov_se_arpr(y, NULL, 4, 0.6, NULL, &e), POV_EDOMAIN, "y");
}

Test(level, ninety_percent) {
    double y[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    pov_design d;
    pov_design_init(&d);
    d.level = 0.90;
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_mean(y, NULL, 10, &d, &e), 0);
    cr_assert_eq(e.level, 0.90);
    assert_rel(e.ci_high - e.value, Z950 * e.se, 1e-13, "half-width");
    d.level = 0.99; /* Φ⁻¹(0.995) = 2.5758293035489004 */
    cr_assert_eq(pov_se_mean(y, NULL, 10, &d, &e), 0);
    assert_rel(e.value - e.ci_low, 2.5758293035489004 * e.se, 1e-13, "half-width 99");
}

/* ---- bad input --------------------------------------------------------- */

Test(errors, out_and_design_checks) {
    double y[3] = {1, 2, 3};
    pov_estimate e;
    pov_estimate_init(&e);
    assert_err(pov_se_mean(y, NULL, 3, NULL, NULL), POV_EINVAL, NULL);
    pov_estimate small = e;
    small.size = 8;
    assert_err(pov_se_mean(y, NULL, 3, NULL, &small), POV_EINVAL, NULL);
    /* a caller built against a later header (larger struct): only the known
     * fields are written, the rest is left alone */
    struct {
        pov_estimate e;
        double extra;
    } big;
    pov_estimate_init(&big.e);
    big.e.size = sizeof big;
    big.extra = 42.0;
    cr_assert_eq(pov_se_mean(y, NULL, 3, NULL, &big.e), 0);
    cr_assert_eq(big.e.size, sizeof big);
    cr_assert_eq(big.extra, 42.0);
    cr_assert_eq(big.e.value, 2.0);
    pov_design d;
    pov_design_init(&d);
    d.size = 4;
    assert_err(pov_se_mean(y, NULL, 3, &d, &e), POV_EINVAL, NULL);
    pov_design_init(&d);
    d.level = 1.0;
    assert_err(pov_se_gini(y, NULL, 3, &d, &e), POV_EINVAL, NULL);
    d.level = NAN;
    assert_err(pov_se_fgt(y, NULL, 3, 2.0, 0.0, &d, &e), POV_EINVAL, NULL);
    d.level = 0.0;
    assert_err(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 3, &d, 10, 1, NULL, &e),
               POV_EINVAL, NULL);
}

Test(errors, data_checks_come_from_the_measure) {
    double y[4] = {1, 2, NAN, 4};
    double w[4] = {1, -1, 1, 1};
    double ok[4] = {1, 2, 3, 4};
    pov_estimate e;
    pov_estimate_init(&e);
    assert_err(pov_se_mean(y, NULL, 4, NULL, &e), POV_ENONFINITE, "y[2]");
    assert_err(pov_se_fgt(y, NULL, 4, 2.0, 0.0, NULL, &e), POV_ENONFINITE, "y[2]");
    assert_err(pov_se_watts(y, NULL, 4, 2.0, NULL, &e), POV_ENONFINITE, "y[2]");
    assert_err(pov_se_gini(y, NULL, 4, NULL, &e), POV_ENONFINITE, "y[2]");
    assert_err(pov_se_arpr(y, NULL, 4, 0.6, NULL, &e), POV_ENONFINITE, "y[2]");
    assert_err(pov_se_gini(ok, w, 4, NULL, &e), POV_ERANGE, "w[1]");
    assert_err(pov_se_fgt(ok, w, 4, 2.0, 1.0, NULL, &e), POV_ERANGE, "w[1]");
    assert_err(pov_se_mean(ok, NULL, 0, NULL, &e), POV_EEMPTY, NULL);
    assert_err(pov_se_arpr(ok, NULL, 0, 0.6, NULL, &e), POV_EEMPTY, NULL);
    double zero[4] = {0, 0, 0, 0};
    assert_err(pov_se_gini(ok, zero, 4, NULL, &e), POV_EEMPTY, NULL);
    assert_err(pov_se_fgt(ok, NULL, 4, 0.0, 0.0, NULL, &e), POV_EINVAL, NULL); /* line 0 */
    assert_err(pov_se_fgt(ok, NULL, 4, 2.0, -1.0, NULL, &e), POV_EINVAL, NULL);
    double y0[3] = {0, 1, 2};
    assert_err(pov_se_watts(y0, NULL, 3, 1.5, NULL, &e), POV_EDOMAIN, "y[0]");
    assert_err(pov_se_arpr(ok, NULL, 4, 0.0, NULL, &e), POV_EINVAL, NULL);
    /* the output is untouched on failure */
    cr_assert(isnan(e.value));
}

Test(errors, single_psu_strata) {
    double y[4] = {1, 2, 3, 4};
    pov_estimate e;
    pov_estimate_init(&e);
    assert_err(pov_se_mean(y, NULL, 1, NULL, &e), POV_EDOMAIN, "y");
    pov_design d;
    pov_design_init(&d);
    int32_t s[4] = {7, 7, 8, 7};
    d.strata = s;
    assert_err(pov_se_mean(y, NULL, 4, &d, &e), POV_EDOMAIN, "strata[2]");
    int32_t s2[4] = {7, 7, 8, 8};
    int32_t c[4] = {1, 2, 3, 3};
    d.strata = s2;
    d.clusters = c;
    assert_err(pov_se_fgt(y, NULL, 4, 2.5, 0.0, &d, &e), POV_EDOMAIN, "strata[2]");
    int32_t one[4] = {5, 5, 5, 5};
    d.strata = NULL;
    d.clusters = one;
    assert_err(pov_se_gini(y, NULL, 4, &d, &e), POV_EDOMAIN, "clusters[0]");
    assert_err(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 4, &d, 10, 1, NULL, &e),
               POV_EDOMAIN, "clusters[0]");
}

static int failing_stat(const double *y, const double *w, size_t n, double *out, void *ud)
{
    int *calls = ud;
    (void)y, (void)w, (void)n;
    *out = 1.0;
    if (++*calls == 3)
        return POV_EDOMAIN; /* without setting error detail */
    return 0;
}

static int nan_stat(const double *y, const double *w, size_t n, double *out, void *ud)
{
    int *calls = ud;
    (void)y, (void)w, (void)n;
    *out = ++*calls == 1 ? 1.0 : NAN;
    return 0;
}

Test(errors, bootstrap_arguments) {
    double y[4] = {1, 2, 3, 4};
    pov_estimate e;
    pov_estimate_init(&e);
    assert_err(pov_bootstrap(NULL, NULL, y, NULL, 4, NULL, 10, 1, NULL, &e), POV_EINVAL, NULL);
    assert_err(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 4, NULL, 1, 1, NULL, &e),
               POV_EINVAL, NULL);
    assert_err(pov_bootstrap_measure(0, 0, 0, y, NULL, 4, NULL, 10, 1, NULL, &e), POV_EINVAL,
               NULL);
    assert_err(pov_bootstrap_measure(99, 0, 0, y, NULL, 4, NULL, 10, 1, NULL, &e), POV_EINVAL,
               NULL);
    assert_err(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 0, NULL, 10, 1, NULL, &e),
               POV_EEMPTY, NULL);
    assert_err(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, NULL, NULL, 4, NULL, 10, 1, NULL, &e),
               POV_EINVAL, NULL);
    assert_err(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 4, NULL, 10, 1, NULL, NULL),
               POV_EINVAL, NULL);
    /* the measure's own checks */
    double bad[4] = {1, INFINITY, 3, 4};
    assert_err(pov_bootstrap_measure(POV_BOOT_GINI, 0, 0, bad, NULL, 4, NULL, 10, 1, NULL, &e),
               POV_ENONFINITE, "y[1]");
    assert_err(pov_bootstrap_measure(POV_BOOT_FGT, -1.0, 0, y, NULL, 4, NULL, 10, 1, NULL, &e),
               POV_EINVAL, NULL);
    assert_err(pov_bootstrap_measure(POV_BOOT_QUANTILE, 1.5, 0, y, NULL, 4, NULL, 10, 1, NULL,
                                     &e),
               POV_EINVAL, NULL);
    /* a failing statistic's code is returned */
    int calls = 0;
    assert_err(pov_bootstrap(failing_stat, &calls, y, NULL, 4, NULL, 10, 1, NULL, &e),
               POV_EDOMAIN, NULL);
    cr_assert_eq(calls, 3);
    calls = 0;
    assert_err(pov_bootstrap(nan_stat, &calls, y, NULL, 4, NULL, 10, 1, NULL, &e), POV_EDOMAIN,
               NULL);
    cr_assert(isnan(e.value));
}

/* ---- bootstrap --------------------------------------------------------- */

typedef struct seen {
    const double *y;
    size_t calls;
    int ok;
} seen;

static int check_stat(const double *y, const double *w, size_t n, double *out, void *ud)
{
    seen *s = ud;
    s->calls++;
    if (y != s->y || w == NULL)
        s->ok = 0; /* y must be the caller's array, never a copy */
    return pov_mean(y, w, n, out);
}

Test(bootstrap, same_seed_same_result_and_y_not_copied) {
    enum { N = 500, B = 50 };
    double y[N], w[N];
    test_state = 11;
    for (int i = 0; i < N; i++) {
        y[i] = exp(gauss());
        w[i] = 0.5 + unif();
    }
    double r1[B], r2[B], r3[B];
    pov_estimate a, b, c;
    pov_estimate_init(&a);
    pov_estimate_init(&b);
    pov_estimate_init(&c);
    seen s = {y, 0, 1};
    cr_assert_eq(pov_bootstrap(check_stat, &s, y, w, N, NULL, B, 2024, r1, &a), 0);
    cr_assert(s.ok);
    cr_assert_eq(s.calls, B + 1);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, w, N, NULL, B, 2024, r2, &b), 0);
    cr_assert_eq(memcmp(r1, r2, sizeof r1), 0);
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, w, N, NULL, B, 2025, r3, &c), 0);
    cr_assert_neq(memcmp(r1, r3, sizeof r1), 0);
    cr_assert_eq(a.value, c.value);
    cr_assert_eq(a.reps, B);
    double mu;
    cr_assert_eq(pov_mean(y, w, N, &mu), 0);
    cr_assert_eq(a.value, mu);
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

Test(bootstrap, se_and_intervals_from_the_replicates) {
    enum { N = 300, B = 101 };
    double y[N];
    test_state = 5;
    for (int i = 0; i < N; i++)
        y[i] = 10.0 + 3.0 * gauss();
    double r[B];
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_QUANTILE, 0.5, 0, y, NULL, N, NULL, B, 9, r, &e),
                 0);
    double m = 0, ss = 0;
    for (int b = 0; b < B; b++)
        m += r[b] / B;
    for (int b = 0; b < B; b++)
        ss += (r[b] - m) * (r[b] - m);
    assert_rel(e.se, sqrt(ss / (B - 1)), 1e-12, "se");
    assert_rel(e.ci_low, e.value - Z975 * e.se, 1e-12, "normal ci");
    /* percentile interval, type 7: position (B−1)·0.025 = 2.5 and 97.5 */
    qsort(r, B, sizeof *r, cmpd);
    assert_rel(e.pct_low, r[2] + 0.5 * (r[3] - r[2]), 1e-12, "pct_low");
    assert_rel(e.pct_high, r[97] + 0.5 * (r[98] - r[97]), 1e-12, "pct_high");
    cr_assert_eq(e.n_psu, N);
    cr_assert_eq(e.n_strata, 1);
}

Test(bootstrap, rao_wu_two_psus_per_stratum) {
    /* Two strata of two one-observation PSUs: each stratum draws n_h − 1 = 1
     * PSU, which gets weight 1·1·2/1 = 2, the other 0. The replicate mean is
     * (y_a + y_b)/2 with a in {0, 1}, b in {2, 3}: 5.5, 10.5, 6 or 11. */
    double y[4] = {1, 2, 10, 20};
    int32_t s[4] = {0, 0, 1, 1};
    pov_design d;
    pov_design_init(&d);
    d.strata = s;
    double r[200];
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 4, &d, 200, 3, r, &e), 0);
    int hit[4] = {0};
    const double want[4] = {5.5, 10.5, 6.0, 11.0};
    for (int b = 0; b < 200; b++) {
        int k = 0;
        while (k < 4 && r[b] != want[k])
            k++;
        cr_assert_lt(k, 4, "replicate %d = %g", b, r[b]);
        hit[k]++;
    }
    for (int k = 0; k < 4; k++)
        cr_assert_gt(hit[k], 20, "combination %d drawn %d times of 200", k, hit[k]);
    cr_assert_eq(e.n_strata, 2);
    cr_assert_eq(e.n_psu, 4);
}

Test(bootstrap, clusters_move_together) {
    /* Three clusters of two observations; y equal within a cluster and the
     * statistic is the mean, so each replicate is a weighted mean of cluster
     * values with weights in multiples of 3/2 (n_h = 3, two draws). */
    double y[6] = {1, 1, 4, 4, 10, 10};
    int32_t c[6] = {7, 7, 8, 8, 9, 9};
    pov_design d;
    pov_design_init(&d);
    d.clusters = c;
    double r[100];
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, 6, &d, 100, 1, r, &e), 0);
    for (int b = 0; b < 100; b++) {
        /* two draws among {1, 4, 10}: mean of the two drawn values */
        const double ok[6] = {1, 4, 10, 2.5, 5.5, 7};
        int k = 0;
        while (k < 6 && fabs(r[b] - ok[k]) > 1e-12)
            k++;
        cr_assert_lt(k, 6, "replicate %d = %g", b, r[b]);
    }
    cr_assert_eq(e.n_psu, 3);
}

Test(bootstrap, mean_se_is_sigma_over_root_n) {
    /* iid N(0, 2²), n = 20000: SE of the mean is σ/√n = 2/√20000. With 400
     * replicates the bootstrap SE has a relative sd of about 1/√800 = 3.5%. */
    enum { N = 20000 };
    double *y = malloc(N * sizeof *y);
    test_state = 77;
    for (int i = 0; i < N; i++)
        y[i] = 2.0 * gauss();
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, N, NULL, 400, 1, NULL, &e),
                 0);
    assert_rel(e.se, 2.0 / sqrt((double)N), 0.10, "bootstrap se of the mean");
    free(y);
}

Test(bootstrap, agrees_with_linearisation_lognormal, .timeout = 240) {
    /* Log-normal(0, 1) incomes, n = 20000, weights uniform on [0.5, 1.5]. The
     * bootstrap SE has a relative sd of about 1/sqrt(2B): 2.2% with B = 1000
     * (FGT0, cheap), 3.5% with B = 400 (Gini, arpr: one sort per replicate). */
    enum { N = 20000 };
    double *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    test_state = 20000;
    for (int i = 0; i < N; i++) {
        y[i] = exp(gauss());
        w[i] = 0.5 + unif();
    }
    double med;
    cr_assert_eq(pov_quantile(y, w, N, 0.5, &med), 0);
    pov_estimate lin, boot;
    pov_estimate_init(&lin);
    pov_estimate_init(&boot);
    const unsigned B = 400;

    cr_assert_eq(pov_se_fgt(y, w, N, 0.6 * med, 0.0, NULL, &lin), 0);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_FGT, 0.6 * med, 0.0, y, w, N, NULL, 1000, 1, NULL,
                                       &boot),
                 0);
    cr_assert_eq(lin.value, boot.value);
    assert_rel(boot.se, lin.se, 0.10, "FGT0");
    cr_log_info("FGT0 lin %g boot %g", lin.se, boot.se);

    cr_assert_eq(pov_se_gini(y, w, N, NULL, &lin), 0);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_GINI, 0, 0, y, w, N, NULL, B, 2, NULL, &boot), 0);
    assert_rel(boot.se, lin.se, 0.10, "Gini");
    cr_log_info("Gini lin %g boot %g", lin.se, boot.se);

    cr_assert_eq(pov_se_arpr(y, w, N, 0.6, NULL, &lin), 0);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_ARPR, 0.6, 0, y, w, N, NULL, B, 3, NULL, &boot),
                 0);
    assert_rel(boot.se, lin.se, 0.10, "arpr");
    cr_log_info("arpr lin %g boot %g", lin.se, boot.se);
    free(y);
    free(w);
}

Test(bootstrap, agrees_with_linearisation_clustered) {
    /* 200 clusters of 10 in 4 strata with a cluster effect: the design
     * variance (linearised) and the Rao–Wu bootstrap agree. */
    enum { N = 2000 };
    double *y = malloc(N * sizeof *y);
    int32_t *s = malloc(N * sizeof *s), *c = malloc(N * sizeof *c);
    test_state = 99;
    for (int k = 0; k < 200; k++) {
        double u = 0.5 * gauss();
        for (int j = 0; j < 10; j++) {
            int i = k * 10 + j;
            y[i] = exp(1.0 + u + 0.7 * gauss());
            s[i] = k % 4;
            c[i] = k / 4;
        }
    }
    pov_design d;
    pov_design_init(&d);
    d.strata = s;
    d.clusters = c;
    pov_estimate lin, boot;
    pov_estimate_init(&lin);
    pov_estimate_init(&boot);
    cr_assert_eq(pov_se_mean(y, NULL, N, &d, &lin), 0);
    cr_assert_eq(lin.n_psu, 200);
    cr_assert_eq(lin.n_strata, 4);
    cr_assert_eq(pov_bootstrap_measure(POV_BOOT_MEAN, 0, 0, y, NULL, N, &d, 400, 4, NULL, &boot),
                 0);
    assert_rel(boot.se, lin.se, 0.10, "clustered mean");
    free(y);
    free(s);
    free(c);
}

/* ---- Alkire–Foster M0 ---------------------------------------------------- */

Test(se_m0, hand_zero_one_matrix) {
    /* 0/1 deprivations, equal weights, k = 1/3. Scores c = {2/3, 0, 1/3, 1}; all
     * but person 2 are poor, m = c, M0 = 2/4 = 1/2.
     * m − M0 = {1/6, −1/2, −1/6, 1/2}: Σ² = 20/36; V = (4/3)(20/36)/16 = 5/108. */
    double x[12] = {1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1};
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    o.k = 1.0 / 3.0;
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_m0(x, 4, 3, &o, NULL, &e), 0);
    assert_rel(e.value, 0.5, 1e-15, "M0");
    assert_rel(e.se, sqrt(5.0 / 108.0), 1e-14, "se");
    /* k = 1/2: person 3 (c = 1/3) is no longer poor: m = {2/3, 0, 0, 1}, M0 = 5/12.
     * m − M0 = {3, −5, −5, 7}/12: Σ² = 108/144 = 3/4; V = (4/3)(3/4)/16 = 1/16. */
    o.k = 0.5;
    cr_assert_eq(pov_se_m0(x, 4, 3, &o, NULL, &e), 0);
    assert_rel(e.value, 5.0 / 12.0, 1e-15, "M0 k=1/2");
    assert_rel(e.se, 0.25, 1e-14, "se k=1/2");
}

/* M0 as a function of person weights, through pov_mpi_new(). */
static const double *m0_x;
static size_t m0_d;
static double m0_k;
static int m_m0(const double *y, const double *w, size_t n, const double *par, double *out)
{
    (void)y, (void)par;
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    o.k = m0_k;
    o.person_weights = w;
    pov_mpi *h;
    int rc = pov_mpi_new(m0_x, n, m0_d, &o, &h);
    if (rc == 0)
        rc = pov_mpi_measure(h, POV_MPI_M0, out);
    pov_mpi_free(h);
    return rc;
}

Test(se_m0, weighted_design_matches_numerical_derivative) {
    enum { N = 12, D = 4 };
    double x[N * D];
    test_state = 3;
    for (int i = 0; i < N * D; i++)
        x[i] = unif() < 0.4;
    m0_x = x;
    m0_d = D;
    m0_k = 0.25;
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    o.k = m0_k;
    o.person_weights = W12;
    pov_design d;
    pov_design_init(&d);
    d.strata = S12;
    d.clusters = C12;
    pov_estimate e;
    pov_estimate_init(&e);
    cr_assert_eq(pov_se_m0(x, N, D, &o, &d, &e), 0);
    double m0;
    cr_assert_eq(m_m0(NULL, W12, N, NULL, &m0), 0);
    cr_assert_eq(e.value, m0);
    assert_rel(e.se, fd_se(m_m0, Y12, W12, N, NULL, S12, C12), 1e-6, "se m0");
}

Test(se_m0, bootstrap_reproducible_and_agrees) {
    enum { N = 5000, D = 10 };
    double *x = malloc(N * D * sizeof *x), *pw = malloc(N * sizeof *pw);
    test_state = 10;
    for (int i = 0; i < N; i++) {
        double frail = unif(); /* correlated deprivations */
        pw[i] = 0.5 + unif();
        for (int j = 0; j < D; j++)
            x[i * D + j] = unif() < 0.5 * frail;
    }
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    o.k = 1.0 / 3.0;
    o.person_weights = pw;
    pov_estimate lin, b1, b2;
    pov_estimate_init(&lin);
    pov_estimate_init(&b1);
    pov_estimate_init(&b2);
    cr_assert_eq(pov_se_m0(x, N, D, &o, NULL, &lin), 0);
    cr_assert_eq(pov_bootstrap_m0(x, N, D, &o, NULL, 400, 8, NULL, &b1), 0);
    cr_assert_eq(pov_bootstrap_m0(x, N, D, &o, NULL, 400, 8, NULL, &b2), 0);
    cr_assert_eq(memcmp(&b1, &b2, sizeof b1), 0);
    cr_assert_eq(b1.value, lin.value);
    assert_rel(b1.ci_high, b1.value + Z975 * b1.se, 1e-12, "ci");
    assert_rel(b1.se, lin.se, 0.10, "M0 bootstrap vs linearised");
    cr_log_info("M0 %g lin %g boot %g", lin.value, lin.se, b1.se);
    free(x);
    free(pw);
}

Test(se_m0, errors_from_pov_mpi_new) {
    double x[4] = {1, 0, 0, 1};
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    pov_estimate e;
    pov_estimate_init(&e);
    assert_err(pov_se_m0(x, 2, 2, &o, NULL, &e), POV_EINVAL, "k"); /* k not set */
    assert_err(pov_bootstrap_m0(x, 2, 2, &o, NULL, 10, 1, NULL, &e), POV_EINVAL, "k");
    assert_err(pov_se_m0(x, 2, 2, NULL, NULL, &e), POV_EINVAL, NULL);
    o.k = 0.5;
    assert_err(pov_se_m0(x, 0, 2, &o, NULL, &e), POV_EEMPTY, NULL);
    double bad[4] = {1, 0, 2, 1};
    assert_err(pov_se_m0(bad, 2, 2, &o, NULL, &e), POV_EDOMAIN, NULL);
    double pw[2] = {1, -1};
    o.person_weights = pw;
    assert_err(pov_se_m0(x, 2, 2, &o, NULL, &e), POV_ERANGE, NULL);
    o.person_weights = NULL;
    assert_err(pov_se_m0(x, 2, 2, &o, NULL, NULL), POV_EINVAL, NULL);
    assert_err(pov_bootstrap_m0(x, 2, 2, &o, NULL, 1, 1, NULL, &e), POV_EINVAL, NULL);
    cr_assert(isnan(e.value));
}

Test(se_gini, design_path_equals_simple_path_for_trivial_design) {
    /* Clusters 0..n−1 in one stratum are the simple design, computed by the
     * other code path (sort of (y, index) pairs, PSU totals). n is large
     * enough for the radix sort, with ties. */
    enum { N = 5000 };
    double *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    int32_t *c = malloc(N * sizeof *c);
    test_state = 12;
    for (int i = 0; i < N; i++) {
        y[i] = floor(100.0 * exp(gauss())) / 10.0; /* ties */
        w[i] = 0.5 + unif();
        c[i] = N - i;
    }
    pov_design d;
    pov_design_init(&d);
    d.clusters = c;
    pov_estimate a, b;
    pov_estimate_init(&a);
    pov_estimate_init(&b);
    cr_assert_eq(pov_se_gini(y, w, N, NULL, &a), 0);
    cr_assert_eq(pov_se_gini(y, w, N, &d, &b), 0);
    cr_assert_eq(a.value, b.value);
    assert_rel(b.se, a.se, 1e-10, "se");
    cr_assert_eq(b.n_psu, N);
    free(y);
    free(w);
    free(c);
}
