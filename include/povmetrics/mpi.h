/*
 * povmetrics — Alkire–Foster multidimensional poverty (adjusted headcount M0).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_MPI_H
#define POVMETRICS_MPI_H

#include "povmetrics/common.h"
#include "povmetrics/condition.h"
#include "povmetrics/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file
 * The Alkire–Foster counting method (Alkire and Foster 2011, "Counting and
 * multidimensional poverty measurement", J. Public Econ. 95(7–8):476–487;
 * OPHI's global MPI uses it with k = 1/3).
 *
 * Input is an n × d matrix @c x, row-major (person i, indicator j at
 * `x[i*d + j]`): either achievements with a deprivation cut-off z_j per
 * indicator, or (with no cut-offs) a 0/1 deprivation matrix.
 *
 *  - deprivation g0_ij = 1 when x_ij < z_j (direction POV_MPI_DEPRIVED_BELOW,
 *    the default: "less is worse") or x_ij > z_j (POV_MPI_DEPRIVED_ABOVE,
 *    "more is worse", e.g. persons per room). Equality is never a
 *    deprivation, as in the paper (deprived iff y_ij < z_j);
 *  - indicator weights w_j >= 0 are divided by their sum, so they sum to 1
 *    (pass any positive multiples, e.g. 1 1 2 or 1/6 …);
 *  - deprivation score c_i = Σ_j w_j g0_ij in [0, 1];
 *  - person i is poor when c_i >= k (OPHI convention, "at least k"), tested
 *    as c_i >= k − 1e-12 so that sums of weights such as 1/6 + 1/6 reach
 *    k = 1/3 despite rounding; k in (0, 1];
 *  - with person weights p_i (NULL: 1) and N = Σ p_i, q = Σ_{poor} p_i:
 *    H = q/N; A = Σ_{poor} p_i c_i / q (0 when nobody is poor);
 *    M0 = Σ_{poor} p_i c_i / N = H·A;
 *  - cardinal data (cut-offs given): normalised gap g_ij = (z_j − x_ij)/z_j
 *    (below) or (x_ij − z_j)/z_j (above) for deprived entries, 0 otherwise;
 *    M1 = Σ_{poor} p_i Σ_j w_j g_ij / N and M2 the same with g_ij². Gaps
 *    need z_j > 0;
 *  - uncensored headcount of j: Σ p_i g0_ij / N; censored headcount CH_j:
 *    the same over the poor only; M0 = Σ_j w_j CH_j; percentage contribution
 *    of j = 100·w_j·CH_j/M0 (0 for every indicator when M0 = 0);
 *  - subgroups (ids 0..n_groups−1): M0 = Σ_g (N_g/N)·M0_g; the contribution
 *    of g is 100·(N_g/N)·M0_g/M0 (0 when M0 = 0).
 *
 * Sums use compensated (Neumaier) summation in input order; results are
 * deterministic for a given input.
 */

/** Direction of deprivation of an indicator. @since 0.1.0 */
typedef enum pov_mpi_direction {
    POV_MPI_DEPRIVED_BELOW = 0, /**< deprived when x < cut-off (less is worse) */
    POV_MPI_DEPRIVED_ABOVE = 1  /**< deprived when x > cut-off (more is worse) */
} pov_mpi_direction;

/** Scalar results of pov_mpi_measure(). @since 0.1.0 */
typedef enum pov_mpi_stat {
    POV_MPI_H = 0,         /**< multidimensional headcount ratio */
    POV_MPI_A = 1,         /**< average deprivation share among the poor */
    POV_MPI_M0 = 2,        /**< adjusted headcount ratio H·A */
    POV_MPI_M1 = 3,        /**< adjusted poverty gap (cardinal data only) */
    POV_MPI_M2 = 4,        /**< adjusted FGT, squared gaps (cardinal data only) */
    POV_MPI_POPULATION = 5 /**< N = Σ person weights */
} pov_mpi_stat;

/**
 * Options of pov_mpi_new(). Initialise with POV_MPI_OPTIONS_INIT or
 * pov_mpi_options_init(); fields are only ever appended.
 * @since 0.1.0
 */
typedef struct pov_mpi_options {
    size_t size;                     /**< sizeof(pov_mpi_options) */
    const double *cutoffs;           /**< d deprivation cut-offs; NULL: x is a 0/1 matrix */
    const int32_t *direction;        /**< d pov_mpi_direction values; NULL: all below */
    const double *weights;           /**< d indicator weights; NULL: 1/d each */
    double k;                        /**< poverty cut-off in (0, 1]; no default (0) */
    const double *person_weights;    /**< n person weights; NULL: 1 each */
    const int32_t *group;            /**< n group ids in 0..n_groups−1, or NULL */
    size_t n_groups;                 /**< number of groups (0 when @c group is NULL) */
} pov_mpi_options;

/** Static initialiser for pov_mpi_options. @since 0.1.0 */
#define POV_MPI_OPTIONS_INIT {sizeof(pov_mpi_options), NULL, NULL, NULL, 0.0, NULL, NULL, 0}

/** Sets @p opts to POV_MPI_OPTIONS_INIT. @since 0.1.0 */
POV_API void pov_mpi_options_init(pov_mpi_options *opts);

/** Size of pov_mpi_options in this library build (for bindings). @since 0.1.0 */
POV_API size_t pov_mpi_options_size(void);

/** Opaque Alkire–Foster result. @since 0.1.0 */
typedef struct pov_mpi pov_mpi;

/**
 * Computes every Alkire–Foster figure for @p x (n × d, row-major).
 *
 * Errors (with field paths): POV_EINVAL for NULL @p x / @p opts / @p out,
 * d = 0, opts->size too small, k outside (0, 1] (`k`), a direction other
 * than 0/1 (`direction[j]`), all indicator weights 0 (`weights`) or a group
 * array without n_groups; POV_EEMPTY for n = 0 or N = 0, or a group without
 * weight (`groups[g]`); POV_ENONFINITE for NaN/Inf in `x[i][j]`,
 * `cutoffs[j]`, `weights[j]` or `w[i]`; POV_ERANGE for a negative weight
 * (`weights[j]`, `w[i]`) or a group id out of range (`group[i]`);
 * POV_EDOMAIN for a 0/1 matrix entry other than 0 or 1 (`x[i][j]`);
 * POV_ERANGE when a person's normalised gaps overflow (path `x[i]`);
 * POV_ENOMEM.
 *
 * @param out receives the result; free with pov_mpi_free()
 * @since 0.1.0
 */
POV_API int pov_mpi_new(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                        pov_mpi **out);

/**
 * H, A and M0 only, in one pass over @p x (n × d, row-major) that validates
 * and sums together, without building the tables of pov_mpi_new() (no
 * allocation for d <= 64): the fast path when only the headline figures are
 * wanted. Same options, definitions, identification (c_i >= k − 1e-12, the
 * scores summed in the same order, so the same persons are poor) and error
 * codes/paths as pov_mpi_new(), except that subgroups are not supported
 * (@c group must be NULL and @c n_groups 0, else POV_EINVAL, path `group`)
 * and an overflowing sum of person weights is POV_ERANGE (path `w`). The
 * totals are plain double sums, so the results can differ from
 * pov_mpi_measure()'s (compensated sums) in the last bits.
 *
 * @param out receives 3 values: H, A, M0
 * @since 0.1.0
 */
POV_API int pov_mpi_m0(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                       double *out);

/**
 * Builds the n × d input matrix of pov_mpi_new() / pov_mpi_m0() from a
 * dataset (n = pov_dataset_count(ds), row-major, households in dataset
 * order): column j is condition @p columns[j] (compiled with
 * pov_condition_compile() on the dataset's schema) evaluated for every
 * household. Numeric conditions give achievements, to be compared with the
 * options' cut-offs; boolean conditions give a 0/1 deprivation matrix (1 =
 * deprived), for use without cut-offs. For example, guarantees of the "two
 * no-worries, three guarantees" as deprivations on core indicators:
 * housing `{"in": [{"var": "housing_safety"}, ["C", "D"]]}`, water
 * `{"!": {"var": "safe_water"}}`, education `{"some": [{"var": "members"},
 * {"==": [{"var": ["schooling", "not_applicable"]}, "dropped_out"]}]}`.
 *
 * A missing value is an error, never a guess: say in the condition what a
 * missing input means (`{"var": ["x", 0]}`, `missing`, `if`). On any error
 * @p x is left untouched.
 *
 * @param x array of n × d doubles that receives the matrix
 * @return 0; POV_EINVAL for NULL arguments, d = 0 or a NULL condition (path
 *         `columns[j]`) or a condition compiled for an incompatible schema;
 *         POV_ETYPE for a condition that is neither numeric nor boolean
 *         (`columns[j]`) or for columns that mix the two kinds (`columns`);
 *         POV_EMISSING naming the household (id and row) whose value is
 *         missing (`columns[j]`); POV_ENOMEM
 * @since 0.1.0
 */
POV_API int pov_mpi_matrix_from_dataset(const pov_dataset *ds, const pov_condition *const *columns,
                                        size_t d, double *x);

/** Frees @p m; NULL is a no-op. @since 0.1.0 */
POV_API void pov_mpi_free(pov_mpi *m);

/** Number of persons n. @since 0.1.0 */
POV_API size_t pov_mpi_persons(const pov_mpi *m);
/** Number of indicators d. @since 0.1.0 */
POV_API size_t pov_mpi_indicators(const pov_mpi *m);
/** Number of groups (0 without groups). @since 0.1.0 */
POV_API size_t pov_mpi_groups(const pov_mpi *m);

/**
 * One scalar result.
 * @return 0; POV_EINVAL for an unknown @p stat; POV_ESTATE for M1/M2 on a
 *         0/1 matrix; POV_EDOMAIN for M1/M2 when a cut-off is <= 0
 * @since 0.1.0
 */
POV_API int pov_mpi_measure(const pov_mpi *m, pov_mpi_stat stat, double *out);

/** Columns of pov_mpi_indicator_table() (4). @since 0.1.0 */
POV_API size_t pov_mpi_indicator_columns(void);

/**
 * Per-indicator table, d rows × 4 columns, row-major: uncensored headcount
 * ratio, censored headcount ratio, normalised weight w_j, percentage
 * contribution to M0.
 * @since 0.1.0
 */
POV_API int pov_mpi_indicator_table(const pov_mpi *m, double *out);

/** Columns of pov_mpi_group_table() (6). @since 0.1.0 */
POV_API size_t pov_mpi_group_columns(void);

/**
 * Subgroup decomposition, n_groups rows × 6 columns, row-major: population
 * N_g, population share N_g/N, H_g, A_g, M0_g, percentage contribution to M0.
 * @return 0, or POV_ESTATE when no groups were given
 * @since 0.1.0
 */
POV_API int pov_mpi_group_table(const pov_mpi *m, double *out);

/**
 * Deprivation scores c_i (uncensored), n values.
 * @since 0.1.0
 */
POV_API int pov_mpi_scores(const pov_mpi *m, double *out);

/**
 * H, A and M0 for each poverty cut-off in @p ks (each in (0, 1], else
 * POV_EINVAL with path `ks[i]`), identified with the same rule and
 * tolerance as pov_mpi_new(); at the handle's own k the figures equal
 * pov_mpi_measure() exactly.
 *
 * @param out n_k rows × 3 columns (H, A, M0), row-major
 * @since 0.1.0
 */
POV_API int pov_mpi_k_range(const pov_mpi *m, const double *ks, size_t n_k, double *out);

/* ---------------------------------------------------------------------- */
/* Mergeable accumulator                                                   */
/* ---------------------------------------------------------------------- */

/**
 * Opaque mergeable Alkire–Foster accumulator: streams persons in batches,
 * merges partitions, serialises its state. Every sum (N, q, Σ p·c over the
 * poor, the M1/M2 sums and the per-indicator headcount sums) is kept exactly
 * (the superaccumulator of accum.h) and rounded once when read, so merged
 * results are bit-for-bit those of a single pass, whatever the batches and
 * merge order. They agree with pov_mpi_new() (compensated sums) to rounding.
 * @since 0.1.0
 */
typedef struct pov_mpi_accum pov_mpi_accum;

/**
 * Creates an empty accumulator for @p d indicators. Uses the fields
 * cutoffs, direction, weights and k of @p opts (copied; same checks and
 * error paths as pov_mpi_new()); person weights come with each batch, and
 * person_weights / group must be NULL (POV_EINVAL). Subgroups: use one
 * accumulator per group.
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_new(size_t d, const pov_mpi_options *opts, pov_mpi_accum **out);

/** Frees @p acc; NULL is a no-op. @since 0.1.0 */
POV_API void pov_mpi_accum_free(pov_mpi_accum *acc);

/**
 * Adds @p n persons (rows of @p x, n × d row-major) with person weights
 * @p w (NULL: 1). The batch is validated first (paths `x[i][j]`, `w[i]`
 * relative to the batch; POV_ERANGE, path `x[i]`, when normalised gaps
 * overflow); a failed call adds nothing. n = 0 is a no-op.
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_update(pov_mpi_accum *acc, const double *x, const double *w,
                                 size_t n);

/**
 * Adds @p other's state to @p acc (exact). POV_EINVAL unless both have the
 * same d, k, cut-offs, directions and weights (bitwise).
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_merge(pov_mpi_accum *acc, const pov_mpi_accum *other);

/** Number of indicators d. @since 0.1.0 */
POV_API size_t pov_mpi_accum_indicators(const pov_mpi_accum *acc);

/** Number of persons added (zero-weight ones included). @since 0.1.0 */
POV_API uint64_t pov_mpi_accum_count(const pov_mpi_accum *acc);

/**
 * One scalar result, as pov_mpi_measure(); POV_EEMPTY while N = 0
 * (except POV_MPI_POPULATION).
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_measure(const pov_mpi_accum *acc, pov_mpi_stat stat, double *out);

/**
 * Per-indicator table as pov_mpi_indicator_table() (d × 4); POV_EEMPTY
 * while N = 0.
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_indicator_table(const pov_mpi_accum *acc, double *out);

/**
 * JSON state (format `povmetrics.mpi-accum/1`; numbers exact, as in
 * pov_accum_serialize()). Free @p out with pov_free().
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_serialize(const pov_mpi_accum *acc, char **out);

/**
 * Rebuilds an accumulator from pov_mpi_accum_serialize() output. Errors as
 * pov_accum_deserialize() (POV_ESYNTAX, POV_EFORMAT, POV_EMISSING,
 * POV_ETYPE with field paths) plus the checks of pov_mpi_accum_new().
 * @since 0.1.0
 */
POV_API int pov_mpi_accum_deserialize(const char *json, pov_mpi_accum **out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_MPI_H */
