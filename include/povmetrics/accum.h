/*
 * povmetrics — mergeable accumulators for sum-based poverty measures.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_ACCUM_H
#define POVMETRICS_ACCUM_H

#include "povmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file
 * Streaming and distributed computation of sum-based measures.
 *
 * A `pov_accum` holds, for one poverty line z and a list of FGT exponents,
 * the sums Σw, Σw·y, Σ_{y<z} w·((z−y)/z)^α for each α and Σ_{y<z} w·ln(z/y),
 * plus the number of observations. Feed it batches with pov_accum_update(),
 * combine accumulators built on other partitions (or machines, through
 * pov_accum_serialize() / pov_accum_deserialize()) with pov_accum_merge(),
 * and read the measures at any time.
 *
 * **Exactness.** Every sum is kept exactly (a superaccumulator of 32-bit
 * digits spanning the whole double range, no rounding at all) and rounded
 * once when a measure is read, to nearest with ties to even. Each person's
 * term is one IEEE operation sequence of that person's own values, so the
 * results are bit-for-bit identical however the data were split into batches
 * and in whatever order batches and accumulators were merged. Measures are
 * `round(Σ term) / round(Σ w)`.
 *
 * Per-person terms: gap g = (z − y)/z for y < z (strictly below the line);
 * g^0 = 1, g^1 = g, g^2 = g·g, otherwise pow(g, α); term = w·g^α. Watts term
 * = w·log(z/y). Mean term = w·y.
 *
 * **Order statistics are not offered.** A median, quantile, Gini or a
 * relative (median-based) line cannot be obtained exactly from merged
 * partial sums; use the array functions on the full data for those.
 *
 * **Threads.** An accumulator is used by one thread at a time; separate
 * accumulators may be updated concurrently and merged afterwards.
 */

/** Opaque accumulator. @since 0.1.0 */
typedef struct pov_accum pov_accum;

/** Largest number of FGT exponents one accumulator holds (64). @since 0.1.0 */
POV_API size_t pov_accum_max_alphas(void);

/**
 * Creates an empty accumulator for poverty line @p z and FGT exponents
 * @p alphas (copied).
 *
 * @param z        poverty line, finite and > 0 (else POV_EINVAL, path `z`)
 * @param alphas   FGT exponents, each finite and >= 0 (else POV_EINVAL, path
 *                 `alphas[i]`); may be NULL when @p n_alphas is 0
 * @param n_alphas at most pov_accum_max_alphas() (else POV_ELIMIT)
 * @param out      receives the handle; free it with pov_accum_free()
 * @return 0, POV_EINVAL, POV_ELIMIT or POV_ENOMEM
 * @since 0.1.0
 */
POV_API int pov_accum_new(double z, const double *alphas, size_t n_alphas, pov_accum **out);

/** Frees @p acc; NULL is a no-op. @since 0.1.0 */
POV_API void pov_accum_free(pov_accum *acc);

/**
 * Adds a batch of observations.
 *
 * The batch is validated first and added only if it is valid, so a failed
 * call leaves the accumulator unchanged. Incomes at or below zero are
 * accepted (FGT is defined for them), but make pov_accum_watts() fail.
 *
 * @param y incomes (finite; NaN/Inf -> POV_ENONFINITE, path `y[i]`)
 * @param w weights (finite, >= 0; else POV_ENONFINITE / POV_ERANGE with
 *          path `w[i]`, as in measures.h), NULL for unit weights
 * @param n batch size; 0 is allowed and changes nothing
 * @return 0, POV_EINVAL (NULL @p acc, or NULL @p y with n > 0),
 *         POV_ENONFINITE, or POV_ERANGE (negative weight, or a product w·y
 *         or an FGT term that overflows; path `w[i]` or `y[i]`)
 * @since 0.1.0
 */
POV_API int pov_accum_update(pov_accum *acc, const double *y, const double *w, size_t n);

/**
 * Adds the state of @p other to @p acc (exactly). @p other is unchanged and
 * may be @p acc itself.
 *
 * @return 0, or POV_EINVAL when the lines or the exponent lists differ
 *         (compared bitwise, in order)
 * @since 0.1.0
 */
POV_API int pov_accum_merge(pov_accum *acc, const pov_accum *other);

/** Forgets all observations, keeping line and exponents. @since 0.1.0 */
POV_API void pov_accum_reset(pov_accum *acc);

/** Poverty line of @p acc. @since 0.1.0 */
POV_API double pov_accum_line(const pov_accum *acc);
/** Number of FGT exponents of @p acc. @since 0.1.0 */
POV_API size_t pov_accum_n_alphas(const pov_accum *acc);
/** FGT exponent @p i of @p acc (NaN if @p i is out of range). @since 0.1.0 */
POV_API double pov_accum_alpha(const pov_accum *acc, size_t i);

/** Number of observations added (including zero-weight ones). @since 0.1.0 */
POV_API uint64_t pov_accum_count(const pov_accum *acc);

/**
 * Population Σw (correctly rounded).
 * @return 0 or POV_ERANGE if the sum overflows a double
 * @since 0.1.0
 */
POV_API int pov_accum_population(const pov_accum *acc, double *out);

/**
 * Weighted mean Σw·y / Σw.
 * @return 0, POV_EEMPTY when Σw = 0, POV_ERANGE on overflow
 * @since 0.1.0
 */
POV_API int pov_accum_mean(const pov_accum *acc, double *out);

/**
 * FGT(α_i) = Σ_{y<z} w·g^α_i / Σw for exponent number @p i.
 * @return 0, POV_EINVAL (path `alphas[i]`) when @p i >= pov_accum_n_alphas(),
 *         POV_EEMPTY when Σw = 0
 * @since 0.1.0
 */
POV_API int pov_accum_fgt(const pov_accum *acc, size_t i, double *out);

/**
 * Watts index Σ_{y<z} w·log(z/y) / Σw.
 * @return 0, POV_EEMPTY when Σw = 0, POV_EDOMAIN when an income <= 0 was
 *         added (whatever its weight)
 * @since 0.1.0
 */
POV_API int pov_accum_watts(const pov_accum *acc, double *out);

/**
 * Writes the complete state as a JSON document (format tag
 * `povmetrics.accum/1`): line and exponents as C99 hexadecimal floats,
 * every sum as an exact hexadecimal integer times a power of two, e.g.
 * `"0x1a8p-4"`. Reading it back with pov_accum_deserialize() gives an
 * accumulator whose results are bit-for-bit those of @p acc.
 *
 * @param out receives a NUL-terminated string; free it with pov_free()
 * @return 0, POV_EINVAL or POV_ENOMEM
 * @since 0.1.0
 */
POV_API int pov_accum_serialize(const pov_accum *acc, char **out);

/**
 * Rebuilds an accumulator from pov_accum_serialize() output.
 *
 * @return 0; POV_ESYNTAX (not JSON, with line and column, or a malformed
 *         exact number, with its path); POV_EFORMAT (wrong format tag, path
 *         `format`); POV_EMISSING / POV_ETYPE (path of the field);
 *         POV_EINVAL (bad line or exponent) or POV_ENOMEM
 * @since 0.1.0
 */
POV_API int pov_accum_deserialize(const char *json, pov_accum **out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_ACCUM_H */
