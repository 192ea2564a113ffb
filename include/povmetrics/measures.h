/*
 * povmetrics — univariate poverty and inequality measures on weighted data.
 *
 * Every function takes plain arrays: incomes @p y, optional weights @p w
 * (NULL means every weight is 1) and a count @p n. The result is written to
 * @p out only on success. Formulas, conventions and references are in
 * docs/measures.md; the short form is in each comment below.
 *
 * Common conventions:
 * - Input checks (same for every function, first failure reported):
 *   `n == 0` or all weights 0 -> POV_EEMPTY; `y == NULL` (or `w == NULL`
 *   where required) with n > 0, or @p out NULL -> POV_EINVAL; NaN or
 *   infinity in y or w -> POV_ENONFINITE with error path `y[i]` / `w[i]`;
 *   a negative weight -> POV_ERANGE with path `w[i]`; an income the measure
 *   cannot take (log of 0, ...) -> POV_EDOMAIN with path `y[i]`; a bad
 *   scalar parameter (line, alpha, share, p) -> POV_EINVAL.
 * - Poverty lines are strict: a person is poor when `y < z`. A person whose
 *   income equals the line exactly is not poor.
 * - Rates, gaps, shares and Gini coefficients are fractions (0..1), not
 *   percentages (R's laeken reports the same numbers multiplied by 100).
 * - Weighted quantiles follow R laeken 0.5's weightedQuantile(): sort by y;
 *   with cumulative weights c_i and total W, Q(p) = y_k for the smallest k
 *   with c_k / W > p; Q(0) and Q(1) are the smallest and largest y with a
 *   positive weight.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_MEASURES_H
#define POVMETRICS_MEASURES_H

#include <stddef.h>

#include "povmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------- */
/* Poverty                                                                 */
/* ---------------------------------------------------------------------- */

/**
 * Foster–Greer–Thorbecke index
 * FGT(α) = (1/N) Σ w_i · 1[y_i < z] · ((z − y_i)/z)^α, N = Σ w_i.
 *
 * α = 0 gives the headcount ratio, α = 1 the poverty gap index, α = 2 the
 * squared poverty gap. Negative incomes are allowed (their gap exceeds 1).
 * @param z poverty line, finite and > 0 (else POV_EINVAL)
 * @param alpha finite and >= 0 (else POV_EINVAL)
 * @since 0.1.0
 */
POV_API int pov_fgt(const double *y, const double *w, size_t n, double z, double alpha,
                    double *out);

/**
 * FGT for several α at once: out[j] = FGT(alpha[j]) for j < k (out has room
 * for k values). One pass over the data computes every α in {0, 1, 2}
 * together (headcount, gap and squared gap for the cost of one); each other
 * α costs one more pass. Checks as pov_fgt(); a bad α[j] is POV_EINVAL with
 * path `alpha[j]`. With k = 0 only the data are checked.
 * @since 0.1.0
 */
POV_API int pov_fgt_many(const double *y, const double *w, size_t n, double z,
                         const double *alpha, size_t k, double *out);

/**
 * Watts index W = (1/N) Σ_{y_i < z} w_i · ln(z / y_i).
 *
 * Every income must be > 0 (POV_EDOMAIN with path `y[i]` otherwise).
 * @param z poverty line, finite and > 0
 * @since 0.1.0
 */
POV_API int pov_watts(const double *y, const double *w, size_t n, double z, double *out);

/**
 * Sen index, replication-invariant form S = H · (I + (1 − I) · G_p), where
 * H = FGT(0), I = 1 − μ_p / z is the income-gap ratio of the poor (μ_p their
 * weighted mean) and G_p the Gini coefficient (pov_gini()'s formula) of the
 * incomes of the poor. 0 when nobody is poor.
 * @since 0.1.0
 */
POV_API int pov_sen(const double *y, const double *w, size_t n, double z, double *out);

/**
 * Sen–Shorrocks–Thon index SST = FGT(1) · (1 + G_x), where G_x is the Gini
 * coefficient (pov_gini()'s formula) of the poverty-gap ratios
 * x_i = max(0, (z − y_i)/z) over the whole population. 0 when nobody is poor.
 * @since 0.1.0
 */
POV_API int pov_sst(const double *y, const double *w, size_t n, double z, double *out);

/** Selects the reference statistic of a relative poverty line. @since 0.1.0 */
typedef enum pov_line_kind {
    POV_LINE_MEAN = 1,   /**< share × weighted mean */
    POV_LINE_MEDIAN = 2  /**< share × weighted median (laeken's quantile rule) */
} pov_line_kind;

/**
 * Relative poverty line: @p share times the weighted mean or median.
 * @param kind POV_LINE_MEAN or POV_LINE_MEDIAN (anything else: POV_EINVAL)
 * @param share finite and > 0, e.g. 0.5 or 0.6
 * @since 0.1.0
 */
POV_API int pov_relative_line(const double *y, const double *w, size_t n, int kind,
                              double share, double *out);

/* ---------------------------------------------------------------------- */
/* Location and inequality                                                 */
/* ---------------------------------------------------------------------- */

/** Weighted mean Σ w_i y_i / Σ w_i. @since 0.1.0 */
POV_API int pov_mean(const double *y, const double *w, size_t n, double *out);

/**
 * Weighted quantile by R laeken's rule (see the file comment).
 * @param p in [0, 1] (else POV_EINVAL)
 * @since 0.1.0
 */
POV_API int pov_quantile(const double *y, const double *w, size_t n, double p, double *out);

/**
 * Gini coefficient, R laeken's weighted formula (0..1 scale):
 * with y sorted ascending, c_i the cumulative weight, N = Σ w_i, T = Σ w_i y_i:
 * G = (2 Σ w_i y_i c_i − Σ w_i² y_i) / (N · T) − 1.
 * With unit weights this equals Σ_i Σ_j |y_i − y_j| / (2 n² μ).
 * T must be > 0 (POV_EDOMAIN otherwise); negative incomes are allowed.
 * @since 0.1.0
 */
POV_API int pov_gini(const double *y, const double *w, size_t n, double *out);

/**
 * Gini coefficient, R convey's formula (svygini(), CalcGini):
 * G = Σ (2 c_i − 1) w_i y_i / (N · T) − 1. It differs from pov_gini() by
 * Σ (w_i − 1) w_i y_i / (N · T), so the two agree for unit weights, but
 * convey's value changes when all weights are rescaled.
 * @since 0.1.0
 */
POV_API int pov_gini_convey(const double *y, const double *w, size_t n, double *out);

/**
 * Generalised entropy GE(α) (Shorrocks 1980), μ the weighted mean:
 * α = 0: mean log deviation (1/N) Σ w_i ln(μ / y_i);
 * α = 1: Theil T (1/N) Σ w_i (y_i/μ) ln(y_i/μ) (y_i = 0 contributes 0);
 * otherwise (1/(α(α−1))) · ((1/N) Σ w_i (y_i/μ)^α − 1).
 * Negative incomes are POV_EDOMAIN; zero incomes too when α <= 0.
 * @param alpha any finite value
 * @since 0.1.0
 */
POV_API int pov_ge(const double *y, const double *w, size_t n, double alpha, double *out);

/** Theil T index, GE(1). @since 0.1.0 */
POV_API int pov_theil(const double *y, const double *w, size_t n, double *out);

/** Mean log deviation (Theil L), GE(0). Incomes must be > 0. @since 0.1.0 */
POV_API int pov_mld(const double *y, const double *w, size_t n, double *out);

/**
 * Atkinson index (Atkinson 1970) with inequality aversion ε >= 0:
 * ε ≠ 1: A = 1 − ((1/N) Σ w_i (y_i/μ)^(1−ε))^(1/(1−ε));
 * ε = 1: A = 1 − exp((1/N) Σ w_i ln y_i) / μ.
 * Negative incomes are POV_EDOMAIN; zero incomes too when ε >= 1.
 * @since 0.1.0
 */
POV_API int pov_atkinson(const double *y, const double *w, size_t n, double epsilon,
                         double *out);

/**
 * Coefficient of variation σ/μ with the population (weighted, divisor N)
 * standard deviation σ = sqrt((1/N) Σ w_i (y_i − μ)²). μ must be > 0.
 * @since 0.1.0
 */
POV_API int pov_cv(const double *y, const double *w, size_t n, double *out);

/**
 * Lorenz curve ordinates L(p[j]) for j < np, written to out[0..np-1].
 *
 * L is the piecewise-linear generalised Lorenz curve of the sorted data
 * divided by T = Σ w_i y_i: a unit of weight w_i straddling p·N contributes
 * the fraction of its weight below p·N. Each p[j] in [0, 1]; T > 0.
 * @since 0.1.0
 */
POV_API int pov_lorenz(const double *y, const double *w, size_t n, const double *p, size_t np,
                       double *out);

/**
 * Income share of the population between cumulative population shares
 * @p p_lo and @p p_hi: L(p_hi) − L(p_lo) with pov_lorenz()'s curve.
 * Needs 0 <= p_lo < p_hi <= 1. Decile d's share is (p_lo, p_hi) = ((d−1)/10, d/10).
 * @since 0.1.0
 */
POV_API int pov_quantile_share(const double *y, const double *w, size_t n, double p_lo,
                               double p_hi, double *out);

/**
 * S80/S20 ratio from the Lorenz curve: (1 − L(0.8)) / L(0.2). For the EU-SILC
 * (laeken) quintile share ratio use pov_qsr().
 * @since 0.1.0
 */
POV_API int pov_s80s20(const double *y, const double *w, size_t n, double *out);

/** Palma ratio (1 − L(0.9)) / L(0.4): top 10% share over bottom 40%. @since 0.1.0 */
POV_API int pov_palma(const double *y, const double *w, size_t n, double *out);

/* ---------------------------------------------------------------------- */
/* EU-SILC indicators, R laeken conventions                                */
/* ---------------------------------------------------------------------- */

/**
 * At-risk-of-poverty threshold: @p share (0.6 in EU-SILC) times the weighted
 * median (laeken's quantile rule). @since 0.1.0
 */
POV_API int pov_arpt(const double *y, const double *w, size_t n, double share, double *out);

/**
 * At-risk-of-poverty rate: weight share with y < pov_arpt() (strict, as in
 * laeken's weightedRate()), as a fraction. @since 0.1.0
 */
POV_API int pov_arpr(const double *y, const double *w, size_t n, double share, double *out);

/**
 * Quintile share ratio as laeken's quintileRatio(): with q1 = Q(0.2) and
 * q4 = Q(0.8), Σ_{y > q4} w y / Σ_{y <= q1} w y. The denominator must be > 0.
 * @since 0.1.0
 */
POV_API int pov_qsr(const double *y, const double *w, size_t n, double *out);

/**
 * Relative median at-risk-of-poverty gap as laeken's rmpg(): t = pov_arpt(),
 * m = weighted median of the incomes y < t; (t − m) / t as a fraction.
 * Nobody below t is POV_EEMPTY; t <= 0 is POV_EDOMAIN.
 * @since 0.1.0
 */
POV_API int pov_rmpg(const double *y, const double *w, size_t n, double share, double *out);

/* ---------------------------------------------------------------------- */
/* Sorted data: several order statistics from one sort                     */
/* ---------------------------------------------------------------------- */

/**
 * Data sorted once, for several order-statistic measures. Immutable after
 * creation, so it may be read from several threads at once.
 *
 * The pov_sorted_* results equal those of the one-shot functions, except
 * that pov_quantile(), pov_arpt(), pov_arpr(), pov_qsr() and pov_rmpg()
 * select rather than sort and add weights in another order: their rates may
 * differ in the last bits, and a quantile may be the neighbouring value when
 * a cumulative weight share equals p within rounding (never with unit or
 * integer weights). See docs/measures.md.
 * @since 0.1.0
 */
typedef struct pov_sorted pov_sorted;

/**
 * Validates and sorts (y, w) (a copy; the inputs may be freed afterwards).
 * Checks as for every measure (POV_EEMPTY, POV_ENONFINITE, POV_ERANGE ...);
 * POV_ENOMEM if memory runs out. Free with pov_sorted_free().
 * @since 0.1.0
 */
POV_API int pov_sorted_new(const double *y, const double *w, size_t n, pov_sorted **out);

/** Frees @p s; NULL is a no-op. @since 0.1.0 */
POV_API void pov_sorted_free(pov_sorted *s);

/** Number of observations (including zero-weight ones); 0 for NULL. @since 0.1.0 */
POV_API size_t pov_sorted_count(const pov_sorted *s);

/** Total weight N = Σ w_i; 0 for NULL. @since 0.1.0 */
POV_API double pov_sorted_total_weight(const pov_sorted *s);

/** As pov_quantile(). @since 0.1.0 */
POV_API int pov_sorted_quantile(const pov_sorted *s, double p, double *out);
/** As pov_gini(). @since 0.1.0 */
POV_API int pov_sorted_gini(const pov_sorted *s, double *out);
/** As pov_gini_convey(). @since 0.1.0 */
POV_API int pov_sorted_gini_convey(const pov_sorted *s, double *out);
/** As pov_arpt(). @since 0.1.0 */
POV_API int pov_sorted_arpt(const pov_sorted *s, double share, double *out);
/** As pov_arpr(). @since 0.1.0 */
POV_API int pov_sorted_arpr(const pov_sorted *s, double share, double *out);
/** As pov_qsr(). @since 0.1.0 */
POV_API int pov_sorted_qsr(const pov_sorted *s, double *out);
/** As pov_rmpg(). @since 0.1.0 */
POV_API int pov_sorted_rmpg(const pov_sorted *s, double share, double *out);
/** As pov_lorenz(). @since 0.1.0 */
POV_API int pov_sorted_lorenz(const pov_sorted *s, const double *p, size_t np, double *out);
/** As pov_quantile_share(). @since 0.1.0 */
POV_API int pov_sorted_quantile_share(const pov_sorted *s, double p_lo, double p_hi,
                                      double *out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_MEASURES_H */
