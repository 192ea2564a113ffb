/*
 * povmetrics — assistance programs (帮扶项目), matching households to
 * programs (因户施策, 一户一策) under capacities and a budget, and budget
 * targeting of transfers that minimise FGT(alpha).
 * Formats and methods: docs/programs-format.md and docs/risk.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_PROGRAM_H
#define POVMETRICS_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"
#include "povmetrics/dataset.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Kinds of program, in this fixed order (`kind` codes of the format).
 * @since 0.1.0
 */
typedef enum pov_program_kind {
    POV_PROGRAM_INDUSTRY = 0,               /**< "industry" 产业扶贫 */
    POV_PROGRAM_EMPLOYMENT = 1,             /**< "employment" 就业扶贫 */
    POV_PROGRAM_RELOCATION = 2,             /**< "relocation" 易地扶贫搬迁 */
    POV_PROGRAM_EDUCATION = 3,              /**< "education" 教育扶贫 */
    POV_PROGRAM_HEALTH = 4,                 /**< "health" 健康扶贫 */
    POV_PROGRAM_HOUSING_RENOVATION = 5,     /**< "housing_renovation" 危房改造 */
    POV_PROGRAM_DRINKING_WATER = 6,         /**< "drinking_water" 饮水安全 */
    POV_PROGRAM_INFRASTRUCTURE = 7,         /**< "infrastructure" 基础设施 */
    POV_PROGRAM_SOCIAL_ASSISTANCE = 8,      /**< "social_assistance" 低保兜底与社会救助 */
    POV_PROGRAM_ECOLOGICAL_COMPENSATION = 9,/**< "ecological_compensation" 生态补偿 */
    POV_PROGRAM_MICROCREDIT = 10,           /**< "microcredit" 扶贫小额信贷 */
    POV_PROGRAM_EAST_WEST = 11,             /**< "east_west_collaboration" 东西部协作 */
    POV_PROGRAM_OTHER = 12,                 /**< "other" */
    POV_PROGRAM_KIND_COUNT = 13             /**< number of kinds */
} pov_program_kind;

/**
 * Risk reasons a program may address (`risks` codes of the format), the
 * monitoring risk types of the 2021 guidance (domain.md §4), as bits of the
 * per-household risk masks given to pov_match_run().
 * @since 0.1.0
 */
typedef enum pov_risk_reason {
    POV_REASON_ILLNESS = 0,             /**< "illness" */
    POV_REASON_DISABILITY = 1,          /**< "disability" */
    POV_REASON_SCHOOLING = 2,           /**< "schooling" */
    POV_REASON_DISASTER = 3,            /**< "disaster" */
    POV_REASON_ACCIDENT = 4,            /**< "accident" */
    POV_REASON_FAILED_INDUSTRY = 5,     /**< "failed_industry" */
    POV_REASON_UNSTABLE_EMPLOYMENT = 6, /**< "unstable_employment" */
    POV_REASON_LACK_LABOUR = 7,         /**< "lack_labour" */
    POV_REASON_UNSAFE_HOUSING = 8,      /**< "unsafe_housing" */
    POV_REASON_WATER = 9,               /**< "water" */
    POV_REASON_OTHER = 10,              /**< "other" */
    POV_REASON_COUNT = 11               /**< number of reasons */
} pov_risk_reason;

/** Code of kind @p kind ("industry", ...), NULL when out of range. Static. @since 0.1.0 */
POV_API const char *pov_program_kind_name(int kind);
/** Code of risk reason @p reason ("illness", ...), NULL when out of range. Static. @since 0.1.0 */
POV_API const char *pov_risk_reason_name(int reason);

/**
 * A set of programs (opaque, immutable, thread-safe to share), compiled
 * against a schema (eligibility conditions resolved).
 * @since 0.1.0
 */
typedef struct pov_programs pov_programs;

/**
 * Loads a `"format": "povmetrics.programs/1"` document (docs/programs-format.md).
 * Errors carry the JSON path (e.g. `programs[3].kind`) and line/column:
 * POV_ESYNTAX, POV_ETRUNCATED, POV_EFORMAT, POV_EUNKNOWN (unknown field),
 * POV_EMISSING, POV_ETYPE, POV_ENONFINITE, POV_ECODE (unknown kind, cause or
 * risk reason), POV_ERANGE (negative capacity, cost or effect; capacity not
 * whole), POV_EDUPLICATE (repeated program id), POV_ERULE (no cause and no
 * risk reason), and the condition compiler's codes for `eligibility`
 * (POV_ENOTFOUND for an unknown indicator, path `programs[2].eligibility.<...>`).
 * @param schema schema the eligibility conditions refer to (kept alive)
 * @param out receives the set; free with pov_programs_free()
 * @since 0.1.0
 */
POV_API int pov_programs_load_string(const pov_schema *schema, const char *json, size_t len,
                                     const char *source_name, pov_programs **out);

/** Same from a file (POV_EIO when unreadable). @since 0.1.0 */
POV_API int pov_programs_load_file(const pov_schema *schema, const char *path, pov_programs **out);

/**
 * The embedded example set ("illustrative_example": one or more programs of
 * every kind, illustrative values, not an official list).
 * @since 0.1.0
 */
POV_API int pov_programs_default(const pov_schema *schema, pov_programs **out);

/** Text of the embedded example set (static, NUL-terminated). @since 0.1.0 */
POV_API const char *pov_programs_default_json(void);

/** Frees a program set; NULL is a no-op. @since 0.1.0 */
POV_API void pov_programs_free(pov_programs *p);

/** Number of programs. @since 0.1.0 */
POV_API size_t pov_programs_count(const pov_programs *p);
/** Id of program @p i (owned by @p p), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_programs_id(const pov_programs *p, size_t i);
/** Title of program @p i ("" when none; owned by @p p), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_programs_title(const pov_programs *p, size_t i);
/** Source of program @p i ("" when none; owned by @p p), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_programs_source(const pov_programs *p, size_t i);
/** Kind of program @p i (a pov_program_kind) or POV_EINVAL. @since 0.1.0 */
POV_API int pov_programs_kind(const pov_programs *p, size_t i);
/** Capacity in households (INFINITY when unlimited); NaN when out of range. @since 0.1.0 */
POV_API double pov_programs_capacity(const pov_programs *p, size_t i);
/** Unit cost (yuan per household); NaN when out of range. @since 0.1.0 */
POV_API double pov_programs_unit_cost(const pov_programs *p, size_t i);
/** Expected effect on per-capita income (yuan/person/year); NaN when out of range. @since 0.1.0 */
POV_API double pov_programs_income_effect(const pov_programs *p, size_t i);
/**
 * Causes addressed, as a bit mask over the codes of `cause_main` in the
 * schema (bit c = code index c); 0 when out of range.
 * @since 0.1.0
 */
POV_API uint32_t pov_programs_causes(const pov_programs *p, size_t i);
/** Risk reasons addressed, as a bit mask of pov_risk_reason; 0 when out of range. @since 0.1.0 */
POV_API uint32_t pov_programs_risks(const pov_programs *p, size_t i);

/**
 * Eligibility of every household of @p ds for every program:
 * out[i * count + j] = 1 when program j's condition is true for household i,
 * 0 when false or missing (missing is not eligible).
 * @return 0, POV_EINVAL (NULL, schema of @p ds incompatible)
 * @since 0.1.0
 */
POV_API int pov_programs_eligibility(const pov_programs *p, const pov_dataset *ds, uint8_t *out);

/* ======================================================================== */
/* Matching (一户一策)                                                       */
/* ======================================================================== */

/** Why a selected household got no measure. @since 0.1.0 */
typedef enum pov_match_reason {
    POV_MATCH_ASSIGNED = 0,    /**< at least one measure assigned */
    POV_MATCH_NO_ELIGIBLE = 1, /**< no eligible program addresses its causes or risks */
    POV_MATCH_CAPACITY = 2,    /**< candidates exist but all were full */
    POV_MATCH_BUDGET = 3       /**< a candidate had room but the budget was exhausted */
} pov_match_reason;

/** Name of pov_match_reason @p reason ("assigned", "no_eligible", "capacity", "budget"; static), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_match_reason_name(int reason);

/**
 * Matching options; initialise with pov_match_options_init().
 * @since 0.1.0
 */
typedef struct pov_match_options {
    size_t size;           /**< sizeof(pov_match_options) */
    double budget;         /**< total budget in yuan (INFINITY = unlimited, the default) */
    size_t max_measures;   /**< most measures per household (default 2, >= 1) */
    size_t unit_indicator; /**< household-level text indicator for coverage by unit,
                                SIZE_MAX = none (default: county_code) */
} pov_match_options;

/** Fills @p opts with the defaults. @since 0.1.0 */
POV_API void pov_match_options_init(pov_match_options *opts);

/** A matching result (opaque). @since 0.1.0 */
typedef struct pov_match pov_match;

/**
 * Matches the selected households of @p ds to programs (docs/programs-format.md,
 * "Matching"). Priority: ascending @p priority (NULL: per_capita_net_income;
 * missing/NaN last), ties by household id (byte order). Candidates of a
 * household: programs whose eligibility is true and that address its
 * cause_main/cause_other1/cause_other2 or a risk in @p risk_mask, ranked by
 * (addresses cause_main, number of needs addressed, income effect per yuan,
 * program order). In priority order each household takes its candidates in
 * rank order while capacity and budget allow, up to max_measures.
 * @param selected n flags (non-zero = household to plan for); NULL = all
 * @param priority n values, lower = needier (may be NULL)
 * @param risk_mask n masks of pov_risk_reason bits (may be NULL)
 * @param opts NULL: defaults
 * @param out receives the result; free with pov_match_free()
 * @return 0, POV_EINVAL (NULL, bad options), POV_EEMPTY (nothing selected)
 * @since 0.1.0
 */
POV_API int pov_match_run(const pov_programs *p, const pov_dataset *ds, const uint8_t *selected,
                          const double *priority, const uint32_t *risk_mask,
                          const pov_match_options *opts, pov_match **out);

/** Frees a result; NULL is a no-op. @since 0.1.0 */
POV_API void pov_match_free(pov_match *m);

/** Number of selected households. @since 0.1.0 */
POV_API size_t pov_match_count(const pov_match *m);

/**
 * The k-th selected household in priority order.
 * @param index_out its dataset index (may be NULL)
 * @param reason_out a pov_match_reason (may be NULL)
 * @return 0, POV_EINVAL, POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_match_household(const pov_match *m, size_t k, size_t *index_out, int *reason_out);

/**
 * Ranked candidates (program indices) of the k-th household.
 * @param programs_out receives a pointer to @p count_out indices, owned by @p m
 * @since 0.1.0
 */
POV_API int pov_match_candidates(const pov_match *m, size_t k, const size_t **programs_out,
                                 size_t *count_out);

/** Assigned programs of the k-th household, in assignment order (as pov_match_candidates()). @since 0.1.0 */
POV_API int pov_match_assigned(const pov_match *m, size_t k, const size_t **programs_out,
                               size_t *count_out);

/** Total cost of the assigned measures (yuan). @since 0.1.0 */
POV_API double pov_match_spent(const pov_match *m);

/**
 * Coverage: share of selected households with at least one measure
 * (@p overall_out) and with a measure of each kind (@p by_kind_out,
 * POV_PROGRAM_KIND_COUNT entries; either may be NULL).
 * @since 0.1.0
 */
POV_API int pov_match_coverage(const pov_match *m, double *overall_out, double *by_kind_out);

/** Number of units (sorted by code; 0 when no unit indicator). @since 0.1.0 */
POV_API size_t pov_match_unit_count(const pov_match *m);

/**
 * Unit @p u: code (owned by @p m; "" for a missing code), number of selected
 * households and the share of them with at least one measure.
 * @return 0, POV_EINVAL, POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_match_unit(const pov_match *m, size_t u, const char **code_out,
                           size_t *selected_out, double *coverage_out);

/**
 * The plan (一户一策) of the k-th selected household (priority order) as one
 * JSON object:
 * `{"id": household id, "index": dataset index, "reason": "assigned" |
 * "no_eligible" | "capacity" | "budget", "assigned": [{"id", "kind",
 * "unit_cost", "income_effect"}, ...] in assignment order, "candidates":
 * [program ids, best-ranked first]}` (docs/programs-format.md, "Plans").
 * @param p, ds the program set and dataset the match was run with (checked
 *        by their counts)
 * @param out receives a NUL-terminated UTF-8 string; free with pov_free()
 * @return 0, POV_EINVAL (NULL; @p p or @p ds not those of the match),
 *         POV_ENOTFOUND (k >= pov_match_count())
 * @since 0.1.0
 */
POV_API int pov_match_household_to_json(const pov_match *m, const pov_programs *p,
                                        const pov_dataset *ds, size_t k, char **out);

/**
 * Writes every selected household's plan, in priority order, to @p path:
 * POV_FORMAT_JSONL, one pov_match_household_to_json() object per line; or
 * POV_FORMAT_CSV (RFC 4180, CRLF) with the columns
 * `id,index,reason,assigned,candidates`, the last two holding the JSON
 * arrays of the JSON form as quoted fields. The file is replaced atomically
 * (temporary file, fsync, rename): on error nothing is left at @p path and a
 * file already there is unchanged.
 * @param p, ds the program set and dataset the match was run with (checked
 *        by their counts)
 * @param format POV_FORMAT_JSONL or POV_FORMAT_CSV (io.h)
 * @return 0, POV_EINVAL (NULL, other format, @p p or @p ds not those of the
 *         match), POV_EIO (source = @p path)
 * @since 0.1.0
 */
POV_API int pov_match_write(const pov_match *m, const pov_programs *p, const pov_dataset *ds,
                            const char *path, int format);

/* ======================================================================== */
/* Budget targeting                                                          */
/* ======================================================================== */

/**
 * Outcome of a transfer allocation. Persons are household sizes; FGT uses
 * person weights and strict poverty (y < z).
 * @since 0.1.0
 */
typedef struct pov_target_result {
    size_t size;            /**< sizeof(pov_target_result), set by the caller */
    double fgt_before[3];   /**< FGT0, FGT1, FGT2 before transfers */
    double fgt_after[3];    /**< FGT0, FGT1, FGT2 after transfers */
    double spent;           /**< total transferred (yuan) */
    double persons_lifted;  /**< persons poor before and not poor after */
    double cost_per_lifted; /**< spent / persons_lifted (NaN when none lifted) */
    double inclusion_error; /**< score targeting: non-poor persons among targeted persons (share); else NaN */
    double exclusion_error; /**< score targeting: poor persons not targeted (share of poor); else NaN */
    int exact;              /**< 1 when the allocation is proven optimal, 0 for the bounded greedy */
    double level;           /**< alpha 1 and 2: the common level t the poorest are raised to; else NaN */
} pov_target_result;

/**
 * Transfer allocation minimising FGT(@p alpha) under budget @p budget
 * (docs/risk.md, "Budget targeting"): alpha 0 lifts the most persons
 * (exact knapsack by dynamic programming over persons when sizes are whole
 * and n_poor * persons_poor <= 2e7, else greedy nearest-to-line first, at
 * most max household size persons below the optimum); alpha 1 and 2 raise
 * the poorest to a common level t (water-filling, t solved exactly), which is
 * optimal for both.
 * @param y n per-capita incomes (finite); @param hsize n household sizes (> 0)
 * @param transfer_out n household transfers in yuan (may be NULL)
 * @return 0, POV_EINVAL (alpha not 0/1/2, z <= 0, budget < 0 or not finite,
 *         NULL out), POV_ENONFINITE (`y[i]`), POV_ERANGE (`hsize[i]` <= 0), POV_EEMPTY (n = 0)
 * @since 0.1.0
 */
POV_API int pov_target_optimal(const double *y, const double *hsize, size_t n, double z,
                               double budget, int alpha, double *transfer_out,
                               pov_target_result *out);

/**
 * Uniform transfers: every poor household gets budget * hsize_i / (poor
 * persons), the same amount per person. Errors as pov_target_optimal().
 * @since 0.1.0
 */
POV_API int pov_target_uniform(const double *y, const double *hsize, size_t n, double z,
                               double budget, double *transfer_out, pov_target_result *out);

/**
 * Score-based targeting: households with score < @p cutoff are targeted and
 * share the budget equally per person (whether poor or not); inclusion and
 * exclusion errors against y < z are reported. Errors as pov_target_optimal(),
 * plus POV_ENONFINITE for `score[i]`.
 * @since 0.1.0
 */
POV_API int pov_target_score(const double *y, const double *hsize, const double *score, size_t n,
                             double z, double budget, double cutoff, double *transfer_out,
                             pov_target_result *out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_PROGRAM_H */
