/*
 * povmetrics — standard errors and confidence intervals for poverty and
 * inequality measures: linearised (influence-function) variances under a
 * with-replacement, optionally stratified and clustered design, and a
 * seeded, reproducible (Rao–Wu rescaling) bootstrap.
 *
 * Formulas, references and conventions: docs/measures-inference.md.
 *
 * Conventions shared by every function here:
 * - Data checks are those of the measure (see povmetrics/measures.h):
 *   n = 0 or zero total weight -> POV_EEMPTY; NaN/Inf -> POV_ENONFINITE with
 *   path `y[i]`/`w[i]`; negative weight -> POV_ERANGE with path `w[i]`.
 * - The design: observations are grouped into primary sampling units (PSUs)
 *   identified by the pair (stratum id, cluster id); without cluster ids each
 *   observation is its own PSU, without stratum ids there is one stratum.
 *   Every stratum needs at least 2 PSUs (POV_EDOMAIN with path `strata[i]`,
 *   i the first observation of the offending stratum; with no strata the path
 *   is `clusters[i]`, or `y` when n = 1).
 * - Intervals: ci_low/ci_high are normal intervals value ∓ z·se with
 *   z = Φ⁻¹(1 − (1 − level)/2); the bootstrap also fills the percentile
 *   interval pct_low/pct_high (NaN for linearised estimates).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_INFERENCE_H
#define POVMETRICS_INFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"
#include "povmetrics/mpi.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The sampling design and the confidence level.
 *
 * Initialise with pov_design_init() (which sets @c size), then fill in what
 * applies. The arrays are borrowed: they must hold n entries and stay valid
 * during the call that uses the design. New fields are only ever appended.
 * Passing NULL for a design means: no strata, no clusters, level 0.95.
 * @since 0.1.0
 */
typedef struct pov_design {
    size_t size;             /**< sizeof(pov_design), set by pov_design_init() */
    const int32_t *strata;   /**< n stratum ids, or NULL for a single stratum */
    const int32_t *clusters; /**< n PSU (cluster) ids, nested in strata, or NULL */
    double level;            /**< confidence level in (0, 1); init sets 0.95 */
} pov_design;

/**
 * Sets @p design to the defaults: @c size = sizeof(pov_design), no strata,
 * no clusters, level 0.95. NULL is a no-op.
 * @since 0.1.0
 */
POV_API void pov_design_init(pov_design *design);

/**
 * A point estimate with its standard error and intervals.
 *
 * The caller sets @c size (pov_estimate_init() does) before passing it as
 * @c out; the library writes only the fields that fit in @c size. New fields
 * are only ever appended.
 * @since 0.1.0
 */
typedef struct pov_estimate {
    size_t size;      /**< sizeof(pov_estimate), set by pov_estimate_init() */
    double value;     /**< the measure on the full sample */
    double se;        /**< standard error */
    double ci_low;    /**< normal interval: value − z·se */
    double ci_high;   /**< normal interval: value + z·se */
    double level;     /**< confidence level of the intervals */
    double pct_low;   /**< bootstrap percentile interval, lower end (NaN if linearised) */
    double pct_high;  /**< bootstrap percentile interval, upper end (NaN if linearised) */
    size_t n_psu;     /**< number of PSUs (= n without clusters) */
    size_t n_strata;  /**< number of strata (1 without strata) */
    unsigned reps;    /**< bootstrap replicates used; 0 for linearisation */
} pov_estimate;

/**
 * Sets @p est->size = sizeof(pov_estimate) and every other field to 0
 * (value fields to NaN). NULL is a no-op.
 * @since 0.1.0
 */
POV_API void pov_estimate_init(pov_estimate *est);

/* ---------------------------------------------------------------------- */
/* Linearised (influence-function) standard errors                         */
/* ---------------------------------------------------------------------- */

/**
 * Weighted mean with its linearised standard error; influence
 * u_i = (y_i − μ)/N.
 * @param design NULL for a simple with-replacement sample
 * @param out initialised with pov_estimate_init() (POV_EINVAL if NULL or
 *        its size is too small)
 * @since 0.1.0
 */
POV_API int pov_se_mean(const double *y, const double *w, size_t n, const pov_design *design,
                        pov_estimate *out);

/**
 * FGT(α) (pov_fgt(), poor: y < z) with its linearised standard error, the
 * line @p z held fixed: u_i = (p_i − FGT)/N with
 * p_i = 1[y_i < z]((z − y_i)/z)^α. With unit weights, no design and α = 0,
 * se = sqrt(H(1 − H)/(n − 1)).
 * @since 0.1.0
 */
POV_API int pov_se_fgt(const double *y, const double *w, size_t n, double z, double alpha,
                       const pov_design *design, pov_estimate *out);

/**
 * Watts index (pov_watts()) with its linearised standard error, line fixed:
 * u_i = (1[y_i < z] ln(z/y_i) − W)/N. Incomes must be > 0.
 * @since 0.1.0
 */
POV_API int pov_se_watts(const double *y, const double *w, size_t n, double z,
                         const pov_design *design, pov_estimate *out);

/**
 * Gini coefficient (pov_gini()) with its linearised standard error
 * (Langel & Tillé 2013, eq. for the weighted Gini): with N = Σw, T = Σwy,
 * u_k = [Σ_j w_j |y_k − y_j| − G (T + y_k N)] / (N T),
 * computed in O(n log n) from one sort.
 * @since 0.1.0
 */
POV_API int pov_se_gini(const double *y, const double *w, size_t n, const pov_design *design,
                        pov_estimate *out);

/**
 * At-risk-of-poverty rate (pov_arpr(), threshold @p share × weighted median)
 * with its linearised standard error including the estimated threshold
 * (Deville 1999; Osier 2009):
 * u_i = {1[y_i < t] − R − share·f(t)/f(M)·(1[y_i ≤ M] − 1/2)}/N,
 * f a Gaussian kernel density estimate with Silverman's bandwidth
 * h = 0.9·min(σ, IQR/1.34)·n⁻¹ᐟ⁵ (weighted σ and IQR; n the number of
 * observations with positive weight).
 * @since 0.1.0
 */
POV_API int pov_se_arpr(const double *y, const double *w, size_t n, double share,
                        const pov_design *design, pov_estimate *out);

/**
 * Alkire–Foster adjusted headcount ratio M0 (pov_mpi_new() with the same
 * @p x, @p n, @p d, @p opts; person weights from opts->person_weights) with
 * its linearised standard error. Identification does not depend on the
 * person weights, so M0 is the ratio of totals Σ p_i m_i / Σ p_i of the
 * censored deprivation scores m_i = c_i·1[i poor], and
 * u_i = (m_i − M0)/N (the cut-offs and k held fixed). Errors as
 * pov_mpi_new(), plus the design's.
 * @since 0.1.0
 */
POV_API int pov_se_m0(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                      const pov_design *design, pov_estimate *out);

/* ---------------------------------------------------------------------- */
/* Bootstrap                                                               */
/* ---------------------------------------------------------------------- */

/**
 * A statistic for pov_bootstrap(): computes a value from (y, w, n) into
 * @p out and returns 0, or a negative POV_E* code (which the bootstrap
 * returns). @p w is never NULL. Must not keep the pointers.
 * @since 0.1.0
 */
typedef int (*pov_statistic_fn)(const double *y, const double *w, size_t n, double *out,
                                void *user_data);

/**
 * Built-in statistics for pov_bootstrap_measure(), with the meaning of its
 * parameters @c a and @c b.
 * @since 0.1.0
 */
typedef enum pov_boot_measure {
    POV_BOOT_MEAN = 1,     /**< pov_mean() (a, b unused) */
    POV_BOOT_FGT = 2,      /**< pov_fgt(): a = line z, b = alpha */
    POV_BOOT_WATTS = 3,    /**< pov_watts(): a = line z */
    POV_BOOT_GINI = 4,     /**< pov_gini() */
    POV_BOOT_ARPR = 5,     /**< pov_arpr(): a = share */
    POV_BOOT_ARPT = 6,     /**< pov_arpt(): a = share */
    POV_BOOT_QUANTILE = 7  /**< pov_quantile(): a = p */
} pov_boot_measure;

/**
 * Rao–Wu rescaling bootstrap of any statistic.
 *
 * In each of @p reps replicates, every stratum h with n_h PSUs draws
 * n_h − 1 PSUs with replacement (uniformly, xoshiro256** seeded through
 * splitmix64 from @p seed); a PSU drawn r times gets its weights multiplied
 * by r·n_h/(n_h − 1). The statistic is evaluated on the original @p y with
 * the replicate weights (y is never copied). se is the standard deviation
 * of the replicate values (divisor reps − 1); value is the statistic on the
 * full sample. The same inputs and seed give bit-identical results.
 * The statistic is first evaluated on the full sample (its errors, e.g. bad
 * data, are returned as they are); a replicate whose statistic fails (for
 * instance zero total weight, POV_EEMPTY) stops the bootstrap with that
 * code, and a non-finite replicate value is POV_EDOMAIN.
 * @param stat the statistic (NULL: POV_EINVAL)
 * @param y the incomes, passed unchanged to @p stat (NULL: POV_EINVAL;
 *        n = 0: POV_EEMPTY)
 * @param reps at least 2 (else POV_EINVAL)
 * @param replicates NULL, or room for @p reps values: receives the
 *        replicate values in drawing order
 * @since 0.1.0
 */
POV_API int pov_bootstrap(pov_statistic_fn stat, void *user_data, const double *y,
                          const double *w, size_t n, const pov_design *design, unsigned reps,
                          uint64_t seed, double *replicates, pov_estimate *out);

/**
 * pov_bootstrap() of a built-in measure (see pov_boot_measure for @p a and
 * @p b). An unknown @p measure is POV_EINVAL; bad parameters give the
 * measure's own error.
 * @since 0.1.0
 */
POV_API int pov_bootstrap_measure(int measure, double a, double b, const double *y,
                                  const double *w, size_t n, const pov_design *design,
                                  unsigned reps, uint64_t seed, double *replicates,
                                  pov_estimate *out);

/**
 * pov_bootstrap() of the Alkire–Foster M0 (see pov_se_m0()): the censored
 * scores are computed once, and each replicate is their replicate-weighted
 * mean. value is pov_mpi_measure()'s M0.
 * @since 0.1.0
 */
POV_API int pov_bootstrap_m0(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                             const pov_design *design, unsigned reps, uint64_t seed,
                             double *replicates, pov_estimate *out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_INFERENCE_H */
