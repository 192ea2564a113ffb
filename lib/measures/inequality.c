/*
 * Moment-based inequality measures: mean, generalised entropy GE(α) with
 * Theil T (α = 1) and the mean log deviation (α = 0), Atkinson(ε),
 * coefficient of variation.
 *
 * References:
 * - Shorrocks, A. F. (1980), "The class of additively decomposable
 *   inequality measures", Econometrica 48(3), 613–625.
 * - Theil, H. (1967), Economics and Information Theory, North-Holland.
 * - Atkinson, A. B. (1970), "On the measurement of inequality", Journal of
 *   Economic Theory 2(3), 244–263.
 *
 * Each measure makes two passes: the mean (with the input checks), then the
 * sum that depends on it. Incomes are divided by the mean before powers are
 * taken, so large incomes do not overflow.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>

#include "measures_internal.h"

/* par[0] = 1/μ, par[1] = exponent */
POVI_DEFINE_VEC_KERNEL(k_sum_y, yv, yi)
POVI_DEFINE_SUM_KERNEL(k_ge_alpha, pow(yi * par[0], par[1]))
POVI_DEFINE_SUM_KERNEL(k_theil, (yi > 0.0 ? yi * par[0] * log(yi * par[0]) : 0.0))
POVI_DEFINE_SUM_KERNEL(k_log_ratio, log(yi * par[0]))
POVI_DEFINE_VEC_KERNEL(k_sq_dev, (yv * p0 - 1.0) * (yv * p0 - 1.0),
                       (yi * par[0] - 1.0) * (yi * par[0] - 1.0))

static double lo_of(enum povi_ydomain d) {
    return d == POVI_Y_POSITIVE ? POVI_LO_POSITIVE : d == POVI_Y_NONNEG ? POVI_LO_NONNEG
                                                                         : POVI_LO_ANY;
}

/* Checks the input and computes W and μ. */
static int mean_pass(const double *y, const double *w, size_t n, enum povi_ydomain ydom,
                     const char *what, double *W, double *mu) {
    double sum, par[2] = {0.0, 0.0};
    int bad = k_sum_y(y, w, n, par, lo_of(ydom), &sum, W);
    if (bad || !(*W > 0.0) || !povi_finite(*W)) {
        int rc = povi_check_yw(y, w, n, ydom, what, W);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    *mu = sum / *W;
    return 0;
}

/* (1/N) Σ w_i f(y_i / μ) for a kernel computing f; the data were checked. */
static double mean_of(int (*k)(const double *, const double *, size_t, const double *, double,
                               double *, double *),
                      const double *y, const double *w, size_t n, double inv_mu, double e) {
    double par[2] = {inv_mu, e}, sum, W;
    (void)k(y, w, n, par, POVI_LO_ANY, &sum, &W);
    return sum / W;
}

int pov_mean(const double *y, const double *w, size_t n, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    double W, mu;
    if ((rc = mean_pass(y, w, n, POVI_Y_ANY, NULL, &W, &mu)))
        return rc;
    *out = mu;
    return 0;
}

static int need_positive_mean(double mu, const char *what) {
    if (!(mu > 0.0))
        return povi_error(POV_EDOMAIN, "%s needs a positive mean income (it is %g)", what, mu);
    return 0;
}

int pov_ge(const double *y, const double *w, size_t n, double alpha, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    if (!povi_finite(alpha))
        return povi_error(POV_EINVAL, "GE alpha = %g must be finite", alpha);
    const char *what = alpha == 0.0 ? "the mean log deviation (GE(0))"
                       : alpha == 1.0 ? "the Theil index (GE(1))" : "GE(alpha)";
    enum povi_ydomain dom = alpha <= 0.0 ? POVI_Y_POSITIVE : POVI_Y_NONNEG;
    double W, mu;
    if ((rc = mean_pass(y, w, n, dom, what, &W, &mu)))
        return rc;
    if ((rc = need_positive_mean(mu, what)))
        return rc;
    double r;
    if (alpha == 0.0) /* MLD = (1/N) Σ w ln(μ/y) = −(1/N) Σ w ln(y/μ) */
        r = -mean_of(k_log_ratio, y, w, n, 1.0 / mu, 0.0);
    else if (alpha == 1.0) /* Theil T = (1/N) Σ w (y/μ) ln(y/μ) */
        r = mean_of(k_theil, y, w, n, 1.0 / mu, 0.0);
    else /* (1/(α(α−1))) ((1/N) Σ w (y/μ)^α − 1) */
        r = (mean_of(k_ge_alpha, y, w, n, 1.0 / mu, alpha) - 1.0) / (alpha * (alpha - 1.0));
    if (!povi_finite(r))
        return povi_error(POV_ERANGE, "%s overflows for this data", what);
    *out = r;
    return 0;
}

int pov_theil(const double *y, const double *w, size_t n, double *out) {
    return pov_ge(y, w, n, 1.0, out);
}

int pov_mld(const double *y, const double *w, size_t n, double *out) {
    return pov_ge(y, w, n, 0.0, out);
}

int pov_atkinson(const double *y, const double *w, size_t n, double epsilon, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    if (!(epsilon >= 0.0 && epsilon <= DBL_MAX))
        return povi_error(POV_EINVAL, "Atkinson epsilon = %g must be finite and >= 0", epsilon);
    enum povi_ydomain dom = epsilon >= 1.0 ? POVI_Y_POSITIVE : POVI_Y_NONNEG;
    double W, mu;
    if ((rc = mean_pass(y, w, n, dom, "the Atkinson index", &W, &mu)))
        return rc;
    if ((rc = need_positive_mean(mu, "the Atkinson index")))
        return rc;
    double r;
    if (epsilon == 1.0) /* A = 1 − exp((1/N) Σ w ln(y/μ)) */
        r = 1.0 - exp(mean_of(k_log_ratio, y, w, n, 1.0 / mu, 0.0));
    else /* A = 1 − ((1/N) Σ w (y/μ)^(1−ε))^(1/(1−ε)) */
        r = 1.0 - pow(mean_of(k_ge_alpha, y, w, n, 1.0 / mu, 1.0 - epsilon),
                      1.0 / (1.0 - epsilon));
    if (!povi_finite(r))
        return povi_error(POV_ERANGE, "the Atkinson index overflows for this data");
    *out = r;
    return 0;
}

int pov_cv(const double *y, const double *w, size_t n, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    double W, mu;
    if ((rc = mean_pass(y, w, n, POVI_Y_ANY, NULL, &W, &mu)))
        return rc;
    if ((rc = need_positive_mean(mu, "the coefficient of variation")))
        return rc;
    /* CV = sqrt((1/N) Σ w (y/μ − 1)²) */
    *out = sqrt(mean_of(k_sq_dev, y, w, n, 1.0 / mu, 0.0));
    return 0;
}
