/*
 * povmetrics — decomposition of poverty and inequality by population subgroup.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_DECOMPOSE_H
#define POVMETRICS_DECOMPOSE_H

#include "povmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file
 * Subgroup decompositions on plain arrays.
 *
 * **Groups.** Group ids are `int32_t` in 0 .. @c n_groups − 1 (factorise
 * other codes first). An id outside that range is POV_ERANGE with path
 * `group[i]` (the input element). Every group must have positive total
 * weight: a group with no observations or only zero weights is POV_EEMPTY
 * with path `groups[g]` (the output row), because its poverty or inequality
 * is undefined and a silently missing row would make the contributions look
 * complete.
 *
 * **Poverty (FGT, Watts).** Additive decomposability (Foster, Greer and
 * Thorbecke 1984): P = Σ_g (N_g/N)·P_g. The output is a row-major matrix of
 * (@c n_groups + 1) rows × pov_decomp_columns() columns; row g describes
 * group g and the last row the whole population. Columns:
 *  0. population N_g = Σ_{i∈g} w_i
 *  1. population share N_g/N
 *  2. the measure within the group, P_g
 *  3. absolute contribution (N_g/N)·P_g
 *  4. percentage contribution 100·(N_g/N)·P_g / P (0 for every group when
 *     P = 0, i.e. nobody is poor)
 * The total row holds N, 1, P, P and 100 (0 when P = 0). Contributions sum to
 * P up to rounding. Input checks follow the univariate measures: NaN/Inf →
 * POV_ENONFINITE (`y[i]`, `w[i]`), negative weight → POV_ERANGE (`w[i]`),
 * n = 0 or total weight 0 → POV_EEMPTY, line not finite and > 0 →
 * POV_EINVAL (`z`); a weighted term that overflows a double (e.g. the
 * squared gap of an income of −1e300) → POV_ERANGE (`y[i]` or `w[i]`).
 */

/** Number of columns of the poverty decomposition matrix (5). @since 0.1.0 */
POV_API size_t pov_decomp_columns(void);

/**
 * FGT(α) by subgroup: poor means y < z; gap (z − y)/z; α >= 0 (else
 * POV_EINVAL, path `alpha`).
 *
 * @param out (n_groups + 1) × pov_decomp_columns() doubles, row-major
 * @since 0.1.0
 */
POV_API int pov_fgt_decompose(const double *y, const double *w, size_t n, const int32_t *group,
                              size_t n_groups, double z, double alpha, double *out);

/**
 * Watts index Σ_{y<z} w·ln(z/y)/N by subgroup; a poor income <= 0 is
 * POV_EDOMAIN (path `y[i]`).
 *
 * @param out (n_groups + 1) × pov_decomp_columns() doubles, row-major
 * @since 0.1.0
 */
POV_API int pov_watts_decompose(const double *y, const double *w, size_t n,
                                const int32_t *group, size_t n_groups, double z, double *out);

/**
 * Generalised entropy GE(α) decomposed into within- and between-group parts
 * (Shorrocks 1980, Econometrica 48(3); 1984, Econometrica 52(6)).
 *
 * With population shares v_g = N_g/N, means μ_g and μ, and income shares
 * s_g = v_g·μ_g/μ:
 *  - GE(α) = [Σ w_i (y_i/μ)^α / N − 1] / (α(α−1)) for α ∉ {0, 1};
 *    GE(0) = −Σ w_i ln(y_i/μ)/N (mean log deviation);
 *    GE(1) = Σ w_i (y_i/μ) ln(y_i/μ)/N (Theil T, with 0·ln 0 = 0);
 *  - within = Σ_g v_g^(1−α) s_g^α GE_g, i.e. population-share weights for
 *    α = 0 and income-share weights for α = 1;
 *  - between = GE(α) of the distribution where everyone has their group
 *    mean: [Σ_g v_g (μ_g/μ)^α − 1]/(α(α−1)), −Σ_g v_g ln(μ_g/μ), or
 *    Σ_g s_g ln(μ_g/μ);
 *  - total = within + between exactly in theory (here up to rounding); the
 *    reported total is computed directly from the data, not as the sum.
 *
 * Incomes must be > 0 for α <= 0 and >= 0 otherwise (else POV_EDOMAIN,
 * path `y[i]`); every group mean must be > 0 (else POV_EDOMAIN, path
 * `groups[g]`). α must be finite (POV_EINVAL, path `alpha`).
 *
 * @param out 3 + 4·n_groups doubles: total, within, between, then per group
 *            g the row (population share v_g, income share s_g, mean μ_g,
 *            GE_g)
 * @since 0.1.0
 */
POV_API int pov_ge_decompose(const double *y, const double *w, size_t n, const int32_t *group,
                             size_t n_groups, double alpha, double *out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_DECOMPOSE_H */
