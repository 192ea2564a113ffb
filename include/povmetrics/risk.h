/*
 * povmetrics — return-to-poverty risk: explained risk scores, vulnerability
 * (probability of being poor next year) and transitions between two years'
 * registers. Methods, formulas and references: docs/risk.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_RISK_H
#define POVMETRICS_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"
#include "povmetrics/dataset.h"
#include "povmetrics/household.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Risk score                                                                */
/* ======================================================================== */

/**
 * A compiled risk model (opaque, immutable, thread-safe to share), loaded
 * from a `"format": "povmetrics.riskmodel/1"` document (docs/risk.md).
 * @since 0.1.0
 */
typedef struct pov_riskmodel pov_riskmodel;

/**
 * The factors of a risk model, in this fixed order (arrays of per-factor
 * results have POV_RISK_FACTOR_COUNT entries per household in this order).
 * @since 0.1.0
 */
typedef enum pov_risk_factor {
    POV_RISK_INCOME_MARGIN = 0,     /**< (income - m*z) / (m*z), m*z the monitoring line */
    POV_RISK_VOLATILITY = 1,        /**< coefficient of variation of per-capita income history */
    POV_RISK_DEPENDENCY = 2,        /**< dependency_ratio */
    POV_RISK_ILLNESS_DISABILITY = 3,/**< share of members ill (chronic/serious) or disabled */
    POV_RISK_RIGID_EXPENDITURE = 4, /**< (medical + education + other rigid + disaster loss) / net income */
    POV_RISK_TRANSFER_RELIANCE = 5, /**< income_transfer / gross income */
    POV_RISK_DEBT = 6,              /**< debt / net income */
    POV_RISK_INCOME_SHOCK = 7,      /**< drop of per-capita income against the previous year, as a share */
    POV_RISK_FACTOR_COUNT = 8       /**< number of factors */
} pov_risk_factor;

/**
 * Loads a risk model from JSON text.
 *
 * Errors carry the JSON path (e.g. `factors.debt.points[2]`) and line/column:
 * POV_ESYNTAX, POV_ETRUNCATED, POV_EFORMAT (format tag), POV_EUNKNOWN
 * (unknown field or factor), POV_EMISSING, POV_ETYPE, POV_ENONFINITE,
 * POV_ERANGE (a point score outside [0, 1], a negative weight, a multiple
 * <= 0), POV_ERULE (points not increasing in x, weights not summing to 100).
 * @param json the document (@p len bytes; need not be NUL-terminated)
 * @param source_name name for error reports (NULL: "<string>")
 * @param out receives the model; free with pov_riskmodel_free()
 * @since 0.1.0
 */
POV_API int pov_riskmodel_load_string(const char *json, size_t len, const char *source_name,
                                      pov_riskmodel **out);

/** Same as pov_riskmodel_load_string() from a file (POV_EIO when unreadable). @since 0.1.0 */
POV_API int pov_riskmodel_load_file(const char *path, pov_riskmodel **out);

/**
 * The embedded default model ("illustrative_2021": illustrative weights and
 * mappings, not an official scheme; lib/risk/defaults/riskmodel_default.json).
 * @param out receives the model; free with pov_riskmodel_free()
 * @since 0.1.0
 */
POV_API int pov_riskmodel_default(pov_riskmodel **out);

/** Text of the embedded default model (static, NUL-terminated). @since 0.1.0 */
POV_API const char *pov_riskmodel_default_json(void);

/** Frees a model; NULL is a no-op. @since 0.1.0 */
POV_API void pov_riskmodel_free(pov_riskmodel *model);

/** Model id (owned by the model). @since 0.1.0 */
POV_API const char *pov_riskmodel_id(const pov_riskmodel *model);

/** Multiple of the poverty line that gives the monitoring line (e.g. 1.5); NaN for NULL. @since 0.1.0 */
POV_API double pov_riskmodel_line_multiple(const pov_riskmodel *model);

/** Weight (maximum points) of factor @p factor; NaN when out of range. @since 0.1.0 */
POV_API double pov_riskmodel_weight(const pov_riskmodel *model, int factor);

/** Id of factor @p factor ("income_margin", ...); NULL when out of range. Static. @since 0.1.0 */
POV_API const char *pov_risk_factor_id(int factor);

/**
 * Risk scores of every household of @p ds (0 = no risk, 100 = highest).
 *
 * score = sum over factors of weight * s(x), with s the factor's
 * piecewise-linear mapping (clamped outside its points) and x its input
 * (docs/risk.md). A factor whose input is missing contributes
 * weight * missing_score and sets its bit in @p missing_out.
 *
 * @param line poverty line z (yuan/person/year, > 0); the monitoring line is
 *        z * pov_riskmodel_line_multiple()
 * @param scores_out n scores (may be NULL)
 * @param inputs_out n * POV_RISK_FACTOR_COUNT factor inputs x, NaN when
 *        missing (may be NULL)
 * @param contrib_out n * POV_RISK_FACTOR_COUNT contributions in points (may be NULL)
 * @param missing_out n bit masks, bit f set when factor f's input is missing (may be NULL)
 * @return 0, POV_EINVAL (NULL model/dataset, line not finite and > 0)
 * @since 0.1.0
 */
POV_API int pov_risk_score_dataset(const pov_riskmodel *model, const pov_dataset *ds, double line,
                                   double *scores_out, double *inputs_out, double *contrib_out,
                                   uint32_t *missing_out);

/**
 * Same as pov_risk_score_dataset() for one household (same code path).
 * @param inputs_out, contrib_out POV_RISK_FACTOR_COUNT entries each (may be NULL)
 * @since 0.1.0
 */
POV_API int pov_risk_score_household(const pov_riskmodel *model, const pov_household *h,
                                     double line, double *score_out, double *inputs_out,
                                     double *contrib_out, uint32_t *missing_out);

/* ======================================================================== */
/* Vulnerability                                                             */
/* ======================================================================== */

/**
 * Options of the history-based vulnerability estimate. Initialise with
 * pov_vuln_options_init(); starts with `size` so fields can be appended.
 * @since 0.1.0
 */
typedef struct pov_vuln_options {
    size_t size;          /**< sizeof(pov_vuln_options) */
    size_t min_years;     /**< fewer observed years: probability NaN (default 3) */
    double shrink_years;  /**< k pseudo-years of the pooled variance (default 2; 0 = none) */
    int allow_gaps;       /**< 0: a gap between years is POV_ERANGE (default); 1: allowed */
} pov_vuln_options;

/** Fills @p opts with the defaults (min_years 3, shrink_years 2, allow_gaps 0). @since 0.1.0 */
POV_API void pov_vuln_options_init(pov_vuln_options *opts);

/**
 * Vulnerability from each household's own income history (log-normal model).
 *
 * Household i has the observations offsets[i] .. offsets[i+1]-1 of @p income
 * (per-capita income, > 0) and @p years. With T_i observations of log income
 * l: mu_i = mean(l), s_i^2 = sample variance (denominator T_i - 1),
 * pooled variance of the household's group
 * s_p^2 = sum (T_j - 1) s_j^2 / sum (T_j - 1) over households with T_j >= 2,
 * shrunk variance sigma_i^2 = ((T_i - 1) s_i^2 + k s_p^2) / (T_i - 1 + k),
 * and P_i = Phi((ln z - mu_i) / sigma_i) (sigma_i = 0: 1 if mu_i < ln z, else 0).
 * Households with T_i < min_years get NaN in every output.
 *
 * @param years observation years (may be NULL: no checks); within a household
 *        they must increase (a repeat is POV_EDUPLICATE, a decrease POV_EINVAL,
 *        a gap POV_ERANGE unless allow_gaps; path `years[j]`)
 * @param offsets n + 1 offsets into income/years, non-decreasing, offsets[0] = 0
 * @param groups n group ids for the pooled variance (may be NULL: one group)
 * @param opts options (NULL: defaults)
 * @param prob_out, mu_out, sigma_out n entries each (any may be NULL)
 * @return 0, POV_EINVAL, POV_EDOMAIN (income <= 0, path `income[j]`),
 *         POV_ENONFINITE (`income[j]`), POV_EEMPTY (k > 0 and a group has no
 *         household with two or more years, path `groups[i]`)
 * @since 0.1.0
 */
POV_API int pov_vulnerability_history(const double *income, const int32_t *years,
                                      const size_t *offsets, size_t n, const int32_t *groups,
                                      double line, const pov_vuln_options *opts,
                                      double *prob_out, double *mu_out, double *sigma_out);

/**
 * pov_vulnerability_history() on a dataset: each household's income history
 * plus its current per_capita_net_income (as year `year`, unless that year is
 * already in the history). Non-positive incomes give POV_EDOMAIN with path
 * `[i].income_history.<year>`; gaps follow @p opts.
 * @param prob_out pov_dataset_count(ds) probabilities (NaN: too short)
 * @since 0.1.0
 */
POV_API int pov_vulnerability_history_dataset(const pov_dataset *ds, double line,
                                              const pov_vuln_options *opts, double *prob_out);

/**
 * Chaudhuri, Jalan & Suryahadi (2002) vulnerability from one cross-section.
 *
 * Model ln y_i = X_i b + e_i, Var(e_i) = X_i t. Three steps (docs/risk.md):
 * OLS of ln y on X; OLS of the squared residuals on X, then the same
 * regression weighted by 1/(X_i t_OLS)^2 (FGLS for t); finally ln y on X
 * weighted by 1/(X_i t_FGLS) (FGLS for b). v_i = Phi((ln z - X_i b)/sqrt(X_i t)).
 * Fitted variances below 1e-6 times the mean squared OLS residual are
 * floored at that value (counted in @p floored_out).
 *
 * @param X n x k covariates, row-major; include a column of ones for an intercept
 * @param y n incomes (> 0)
 * @param prob_out n probabilities (may be NULL)
 * @param beta_out k coefficients b (may be NULL); @param theta_out k coefficients t (may be NULL)
 * @param floored_out number of floored variances (may be NULL)
 * @return 0, POV_EINVAL, POV_ESINGULAR (n <= k or collinear covariates),
 *         POV_EDOMAIN (y[i] <= 0, path `y[i]`), POV_ENONFINITE (`y[i]`, `X[i][j]`)
 * @since 0.1.0
 */
POV_API int pov_vulnerability_cjs(const double *X, const double *y, size_t n, size_t k,
                                  double line, double *prob_out, double *beta_out,
                                  double *theta_out, size_t *floored_out);

/**
 * Population vulnerability rate (weighted share with probability >= @p threshold,
 * usually 0.5) and expected poverty (weighted mean probability). NaN
 * probabilities are skipped.
 * @param w weights (NULL: all 1; must be >= 0 and finite)
 * @return 0, POV_EINVAL, POV_ERANGE (probability outside [0,1] or negative
 *         weight, path `prob[i]`/`w[i]`), POV_EEMPTY (no usable probability
 *         or zero total weight)
 * @since 0.1.0
 */
POV_API int pov_vulnerability_summary(const double *prob, const double *w, size_t n,
                                      double threshold, double *rate_out, double *expected_out);

/* ======================================================================== */
/* Transitions                                                               */
/* ======================================================================== */

/**
 * Transitions between two years' registers (opaque result). States are the
 * seven registry_status codes in core-schema order, then "missing" (status
 * not recorded) and "absent" (household not in that year's register).
 * @since 0.1.0
 */
typedef struct pov_transitions pov_transitions;

/** Number of states (9). @since 0.1.0 */
#define POV_TRANSITION_STATES 9

/**
 * Summary of a unit's transitions (household counts, or weighted sums from
 * pov_transitions_compute_weighted(); rates as fractions, NaN when the
 * denominator is 0). Definitions in docs/risk.md.
 * @since 0.1.0
 */
typedef struct pov_transition_summary {
    size_t size;             /**< sizeof(pov_transition_summary), set by the caller */
    double households;       /**< households in either register */
    double poor_before;      /**< poor (poor or returned) in the first year */
    double poor_after;       /**< poor (poor or returned) in the second year */
    double entries;          /**< year 1 neither poor nor exited (incl. absent) -> poor */
    double exits;            /**< poor -> exited or monitored_unstable */
    double returns;          /**< exited or monitored_unstable -> poor (返贫) */
    double persistent;       /**< poor -> poor */
    double entry_rate;       /**< entries / households in year 2 that were neither poor nor exited in year 1 */
    double exit_rate;        /**< exits / households poor in year 1 and present in year 2 */
    double return_rate;      /**< returns / households exited in year 1 and present in year 2 */
    double persistence_rate; /**< persistent / households poor in year 1 and present in year 2 */
} pov_transition_summary;

/**
 * Matches households of @p before and @p after by id and counts transitions,
 * in total and by unit.
 * @param unit_indicator index of a household-level text indicator giving the
 *        unit (e.g. the index of `county_code` or `village_code`), or SIZE_MAX
 *        for no units. A household's unit is taken from the second register
 *        when present there; households with a missing unit go to unit "".
 * @param out receives the result; free with pov_transitions_free()
 * @return 0, POV_EINVAL (NULL, indicator not a household-level text indicator)
 * @since 0.1.0
 */
POV_API int pov_transitions_compute(const pov_dataset *before, const pov_dataset *after,
                                    size_t unit_indicator, pov_transitions **out);

/**
 * Same as pov_transitions_compute(), each household counting with a weight:
 * persons (the index of `household_size`) or a survey weight. The matrix,
 * the summary counts and the rates' numerators and denominators are then
 * weighted sums (rate = weighted count / weighted denominator).
 * @param weight_indicator index of a household-level number or integer
 *        indicator. A household's weight is taken from the second register
 *        when it is there, else from the first. SIZE_MAX: every household
 *        weighs 1 (exactly pov_transitions_compute()).
 * @param out receives the result (NULL on error); free with pov_transitions_free()
 * @return 0, POV_EINVAL (NULL; unit or weight indicator of the wrong type or
 *         level; a missing, NaN, infinite or negative weight of a counted
 *         household: the error's source is the register, "before" or
 *         "after", its path `[row].<indicator>` and the message names the
 *         household id)
 * @since 0.1.0
 */
POV_API int pov_transitions_compute_weighted(const pov_dataset *before, const pov_dataset *after,
                                             size_t unit_indicator, size_t weight_indicator,
                                             pov_transitions **out);

/** Frees a result; NULL is a no-op. @since 0.1.0 */
POV_API void pov_transitions_free(pov_transitions *t);

/** Name of state @p s ("poor", ..., "missing", "absent"), NULL when out of range. Static. @since 0.1.0 */
POV_API const char *pov_transition_state_name(size_t s);

/** Number of units (sorted by code), 0 without units. @since 0.1.0 */
POV_API size_t pov_transitions_unit_count(const pov_transitions *t);

/** Code of unit @p u (owned by @p t), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_transitions_unit(const pov_transitions *t, size_t u);

/**
 * Transition counts: out[from * POV_TRANSITION_STATES + to] households (or
 * their summed weights).
 * @param unit a unit index, or SIZE_MAX for all households
 * @param out POV_TRANSITION_STATES^2 doubles
 * @return 0, POV_EINVAL, POV_ENOTFOUND (unit out of range)
 * @since 0.1.0
 */
POV_API int pov_transitions_matrix(const pov_transitions *t, size_t unit, double *out);

/**
 * Summary counts and rates of @p unit (SIZE_MAX = all households).
 * @param out its `size` must be set to sizeof(pov_transition_summary) (or an older size)
 * @return 0, POV_EINVAL, POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_transitions_summary(const pov_transitions *t, size_t unit,
                                    pov_transition_summary *out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_RISK_H */
