/*
 * povmetrics — scorecards as data: household scoring, explanations,
 * deliberation adjustments (五议), identification by cut-off or quota, and
 * PPI-style poverty likelihoods.
 *
 * A scorecard is a JSON document (`"format": "povmetrics.scorecard/1"`,
 * documented in docs/scorecard-format.md). Loading validates it completely
 * and compiles it into an immutable pov_scorecard (indicator names resolved to
 * column indices, conditions compiled); nothing half-built is ever returned.
 * Scoring runs over the columns of a dataset; scoring one household is the
 * same code on a one-row view.
 *
 * Threads: a pov_scorecard is immutable and may be shared by any number of
 * threads. A pov_score_result and a pov_identification are used by one thread
 * at a time.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_SCORECARD_H
#define POVMETRICS_SCORECARD_H

#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"
#include "povmetrics/dataset.h"
#include "povmetrics/household.h"
#include "povmetrics/io.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A compiled scorecard (opaque, immutable, thread-safe to share). @since 0.1.0 */
typedef struct pov_scorecard pov_scorecard;
/** The scores of a set of households (opaque). @since 0.1.0 */
typedef struct pov_score_result pov_score_result;
/** The outcome of identification over a score result (opaque). @since 0.1.0 */
typedef struct pov_identification pov_identification;

/* ---- loading ------------------------------------------------------------ */

/**
 * Loads and validates a scorecard file.
 *
 * Errors (each with the JSON path, e.g. `categories[2].items[5].bands[1].min`,
 * and line/column in the file): POV_EIO (cannot read), POV_ESYNTAX /
 * POV_ETRUNCATED / POV_ELIMIT (bad JSON), POV_EFORMAT (format tag missing or
 * not `povmetrics.scorecard/1`), POV_EUNKNOWN (unknown field or operator),
 * POV_EMISSING (required field missing), POV_ETYPE (wrong JSON type, or an
 * indicator of the wrong type for its scoring form), POV_ENOTFOUND (unknown
 * indicator), POV_ECODE (unknown category code), POV_EDUPLICATE (repeated id),
 * POV_ERULE (overlapping or gapped bands, points above a category cap, an
 * unmapped code without default, a scoring form missing or given twice, ...),
 * POV_ERANGE / POV_ENONFINITE (bad numbers).
 * @param path file name (UTF-8)
 * @param out receives the scorecard (free with pov_scorecard_free()); NULL on failure
 * @since 0.1.0
 */
POV_API int pov_scorecard_load_file(const char *path, pov_scorecard **out);

/**
 * Same as pov_scorecard_load_file() from text in memory.
 * @param json the document (need not be NUL-terminated)
 * @param len its length in bytes
 * @param source_name name used in error reports (NULL gives "<string>")
 * @param out receives the scorecard; NULL on failure
 * @since 0.1.0
 */
POV_API int pov_scorecard_load_string(const char *json, size_t len, const char *source_name,
                                      pov_scorecard **out);

/**
 * Loads a scorecard embedded in the library (needs no files):
 * `"guangxi_style_2015"` (18 categories, 98 items, 8 vetoes; structure after
 * Guangxi 2015, point values illustrative) or `"ppi_style"` (ten questions and
 * a score → poverty-likelihood table; illustrative). NULL gives
 * `"guangxi_style_2015"`.
 * @return 0, POV_ENOTFOUND for an unknown name, or a load error
 * @since 0.1.0
 */
POV_API int pov_scorecard_default(const char *name, pov_scorecard **out);

/**
 * The JSON text of an embedded scorecard, exactly as in
 * lib/rules/defaults/<name>.json. The text is static (never freed) and
 * NUL-terminated.
 * @param name as for pov_scorecard_default() (NULL gives the Guangxi-style one)
 * @param json_out receives the text
 * @param len_out receives its length in bytes (may be NULL)
 * @return 0 or POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_scorecard_default_json(const char *name, const char **json_out, size_t *len_out);

/** Frees a scorecard; NULL is a no-op. Results keep what they need alive. @since 0.1.0 */
POV_API void pov_scorecard_free(pov_scorecard *sc);

/**
 * @defgroup scorecard_props Scorecard properties
 * Strings are owned by the scorecard and live as long as it; NULL for a bad
 * argument or index.
 * @{
 */
/** Scorecard id (e.g. "guangxi_style_2015"). @since 0.1.0 */
POV_API const char *pov_scorecard_id(const pov_scorecard *sc);
/** Version string of the document. @since 0.1.0 */
POV_API const char *pov_scorecard_version(const pov_scorecard *sc);
/** English title ("" when not given). @since 0.1.0 */
POV_API const char *pov_scorecard_title(const pov_scorecard *sc);
/**
 * The schema the scorecard was compiled against: the core schema plus the
 * indicators the document declares in `indicators` (if any). Read household
 * files with it to fill the extension indicators. Owned by the scorecard.
 * @since 0.1.0
 */
POV_API const pov_schema *pov_scorecard_schema(const pov_scorecard *sc);
/** Number of categories. @since 0.1.0 */
POV_API size_t pov_scorecard_category_count(const pov_scorecard *sc);
/** Id of category @p c. @since 0.1.0 */
POV_API const char *pov_scorecard_category_id(const pov_scorecard *sc, size_t c);
/** Number of items over all categories (items are numbered in document order). @since 0.1.0 */
POV_API size_t pov_scorecard_item_count(const pov_scorecard *sc);
/** Id of item @p k. @since 0.1.0 */
POV_API const char *pov_scorecard_item_id(const pov_scorecard *sc, size_t k);
/** Category index of item @p k, or SIZE_MAX for a bad index. @since 0.1.0 */
POV_API size_t pov_scorecard_item_category(const pov_scorecard *sc, size_t k);
/** Number of veto rules. @since 0.1.0 */
POV_API size_t pov_scorecard_veto_count(const pov_scorecard *sc);
/** Id of veto @p v. @since 0.1.0 */
POV_API const char *pov_scorecard_veto_id(const pov_scorecard *sc, size_t v);
/**
 * Highest possible total (sum over categories of min(cap, sum of item
 * maxima)).
 * @return the maximum, or NaN for NULL
 * @since 0.1.0
 */
POV_API double pov_scorecard_max_total(const pov_scorecard *sc);
/** @} */

/* ---- scoring ------------------------------------------------------------ */

/**
 * What happens when an input an item needs is missing and the item declares
 * no `missing` points.
 * @since 0.1.0
 */
typedef enum pov_score_mode {
    POV_SCORE_STRICT = 0, /**< scoring fails with POV_EMISSING naming the household and indicator */
    POV_SCORE_LENIENT = 1 /**< the item scores 0, is flagged in the result and counted */
} pov_score_mode;

/**
 * How much a result keeps per household.
 * @since 0.1.0
 */
typedef enum pov_score_detail {
    POV_SCORE_DETAIL_ITEMS = 0, /**< per item: input value, points, flags (explanations need this) */
    POV_SCORE_DETAIL_TOTALS = 1 /**< totals, category subtotals, vetoes and missing counts only */
} pov_score_detail;

/**
 * Options of pov_scorecard_score(). Initialise with pov_score_options_init();
 * fields are only ever added at the end.
 * @since 0.1.0
 */
typedef struct pov_score_options {
    size_t size; /**< sizeof(pov_score_options), set by pov_score_options_init() */
    int mode;    /**< a pov_score_mode; default POV_SCORE_STRICT */
    int detail;  /**< a pov_score_detail; default POV_SCORE_DETAIL_ITEMS */
} pov_score_options;

/** Sets @p opts to the defaults. @return 0 or POV_EINVAL. @since 0.1.0 */
POV_API int pov_score_options_init(pov_score_options *opts);

/**
 * Scores every household of @p ds, in dataset order.
 *
 * Indicators are matched by id: the core indicators always match; extension
 * indicators of the scorecard that @p ds does not have are treated as missing.
 * A dataset indicator with the same id but another type is POV_ETYPE.
 * Ranks and percentiles within village and county are computed on the raw
 * score (四比 comes before 五议).
 *
 * @param opts NULL for the defaults (strict, item detail)
 * @param out receives the result (free with pov_score_result_free()); NULL on failure
 * @return 0; POV_EMISSING in strict mode (path `[row].indicator_id`, message
 *         naming the household id and item); POV_ETYPE; POV_EINVAL; POV_ENOMEM
 * @since 0.1.0
 */
POV_API int pov_scorecard_score(const pov_scorecard *sc, const pov_dataset *ds,
                                const pov_score_options *opts, pov_score_result **out);

/**
 * Scores one household (the same code as pov_scorecard_score() on a one-row
 * view). Ranks are 1 of 1.
 * @since 0.1.0
 */
POV_API int pov_scorecard_score_household(const pov_scorecard *sc, const pov_household *h,
                                          const pov_score_options *opts,
                                          pov_score_result **out);

/** Frees a result; NULL is a no-op. @since 0.1.0 */
POV_API void pov_score_result_free(pov_score_result *res);

/** Number of households scored. @since 0.1.0 */
POV_API size_t pov_score_result_count(const pov_score_result *res);

/** Id of household @p i (owned by the result), NULL out of range. @since 0.1.0 */
POV_API const char *pov_score_result_household_id(const pov_score_result *res, size_t i);

/**
 * Raw totals, one per household (pov_score_result_count() entries), owned by
 * the result. NULL for a NULL result.
 * @since 0.1.0
 */
POV_API const double *pov_score_result_totals(const pov_score_result *res);

/**
 * Adjusted totals (raw total + deliberation adjustments), one per household,
 * owned by the result; they change when pov_score_result_adjust() is called.
 * @since 0.1.0
 */
POV_API const double *pov_score_result_adjusted(const pov_score_result *res);

/** Subtotal of category @p c for household @p i (after the cap); NaN for bad indices. @since 0.1.0 */
POV_API double pov_score_result_category(const pov_score_result *res, size_t i, size_t c);

/**
 * Points of item @p k for household @p i; NaN for bad indices or without
 * item detail.
 * @since 0.1.0
 */
POV_API double pov_score_result_item_points(const pov_score_result *res, size_t i, size_t k);

/**
 * The input value item @p k used for household @p i: the number, 0/1 for a
 * boolean, or the category code index; NaN when missing, for bad indices or
 * without item detail.
 * @since 0.1.0
 */
POV_API double pov_score_result_item_value(const pov_score_result *res, size_t i, size_t k);

/**
 * 1 if item @p k's input was missing (or outside every band) for household
 * @p i, 0 if not; POV_EINVAL for bad indices, POV_ESTATE without item detail.
 * @since 0.1.0
 */
POV_API int pov_score_result_item_missing(const pov_score_result *res, size_t i, size_t k);

/** Number of items of household @p i whose input was missing (0 for a bad index). @since 0.1.0 */
POV_API size_t pov_score_result_missing_count(const pov_score_result *res, size_t i);

/** Number of veto rules that hit household @p i (0 for a bad index). @since 0.1.0 */
POV_API size_t pov_score_result_veto_count(const pov_score_result *res, size_t i);

/**
 * 1 if veto @p v hit household @p i, 0 if its condition was false, 2 if it
 * could not be checked (its condition was missing: the veto does not apply);
 * POV_EINVAL for bad indices.
 * @since 0.1.0
 */
POV_API int pov_score_result_veto_hit(const pov_score_result *res, size_t i, size_t v);

/**
 * Unit levels for ranks and quotas.
 * @since 0.1.0
 */
typedef enum pov_unit_level {
    POV_UNIT_VILLAGE = 0, /**< village_code */
    POV_UNIT_COUNTY = 1   /**< county_code */
} pov_unit_level;

/**
 * Rank of household @p i within its village or county (四比): 1 = lowest raw
 * score (poorest), ties broken by lower per-capita net income, then by
 * household id (byte order). The percentile is 100 × rank / n.
 * @param rank_out, n_out, percentile_out outputs (each may be NULL)
 * @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_score_result_rank(const pov_score_result *res, size_t i, int level,
                                  size_t *rank_out, size_t *n_out, double *percentile_out);

/**
 * Records a deliberation (五议) adjustment for household @p i. The adjusted
 * score becomes the raw score plus the sum of the household's adjustments;
 * the raw score is never changed.
 * @param points finite, non-zero; the sum for the household must stay within
 *        ± the scorecard's `deliberation.max_adjustment`
 * @param reason, who, when non-empty texts (when: e.g. an ISO 8601 date); copied
 * @return 0; POV_ERANGE beyond the limit (nothing recorded); POV_ENONFINITE;
 *         POV_EINVAL (bad index, zero points, empty text)
 * @since 0.1.0
 */
POV_API int pov_score_result_adjust(pov_score_result *res, size_t i, double points,
                                    const char *reason, const char *who, const char *when);

/** Number of adjustments recorded for household @p i. @since 0.1.0 */
POV_API size_t pov_score_result_adjustment_count(const pov_score_result *res, size_t i);

/**
 * Explanation formats.
 * @since 0.1.0
 */
typedef enum pov_explain_format {
    POV_EXPLAIN_TEXT = 0, /**< lines a village cadre can read */
    POV_EXPLAIN_JSON = 1  /**< one JSON object (documented in docs/scorecard-format.md) */
} pov_explain_format;

/**
 * Explains household @p i's score: every item with the value used and the
 * rule that gave its points (e.g. `housing_structure = brick_wood → 4 points
 * (map)`), category subtotals and caps, vetoes, missing inputs,
 * adjustments (raw and adjusted score) and ranks.
 * @param out receives a NUL-terminated UTF-8 string; free with pov_free()
 * @return 0, POV_EINVAL, POV_ESTATE (result without item detail)
 * @since 0.1.0
 */
POV_API int pov_score_result_explain(const pov_score_result *res, size_t i, int format,
                                     char **out);

/**
 * Poverty likelihood of household @p i from the scorecard's `likelihood`
 * table at its raw score; NaN without a table or for a bad index.
 * @since 0.1.0
 */
POV_API double pov_score_result_likelihood(const pov_score_result *res, size_t i);

/**
 * Poverty rate of all scored households: the mean of their likelihoods
 * (never the likelihood of the mean score).
 * @return 0, POV_ESTATE (no likelihood table), POV_EEMPTY (no households)
 * @since 0.1.0
 */
POV_API int pov_score_result_poverty_rate(const pov_score_result *res, double *out);

/**
 * Writes one record per household (id, village, county, raw and adjusted
 * score, category subtotals, veto ids, missing count, ranks, likelihood, and
 * the deliberation adjustments with reason, who and when) as JSON Lines or
 * CSV, atomically: a temporary file in the same directory, fsync'd, renamed
 * over @p path (see docs/scorecard-format.md for the columns).
 * @param format POV_FORMAT_JSONL or POV_FORMAT_CSV (io.h)
 * @return 0, POV_EIO, POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_score_result_write(const pov_score_result *res, const char *path, int format);

/* ---- identification ---------------------------------------------------- */

/**
 * Options of pov_score_result_identify(). Initialise with
 * pov_identify_options_init().
 * @since 0.1.0
 */
typedef struct pov_identify_options {
    size_t size;   /**< sizeof(pov_identify_options) */
    double cutoff; /**< overrides the scorecard's cut-off (NaN = use the scorecard's rule) */
    double margin; /**< overrides the review margin (NaN = the scorecard's) */
    int level;     /**< pov_unit_level of the per-unit counts under a cut-off rule (default village) */
} pov_identify_options;

/** Sets @p opts to the defaults (NaN, NaN, village). @return 0 or POV_EINVAL. @since 0.1.0 */
POV_API int pov_identify_options_init(pov_identify_options *opts);

/**
 * Status of a household after identification.
 * @since 0.1.0
 */
typedef enum pov_ident_status {
    POV_IDENT_NOT = 0,        /**< not identified */
    POV_IDENT_IDENTIFIED = 1, /**< identified as poor (a candidate for the registry) */
    POV_IDENT_VETOED = 2      /**< excluded by a veto, whatever its score */
} pov_ident_status;

/**
 * Identifies households on the adjusted scores of @p res with the
 * scorecard's rule (or the cut-off in @p opts):
 * - cut-off: identified when adjusted score < cut-off and no veto hit;
 * - quota per unit: non-vetoed households of each unit in order of adjusted
 *   score, then lower per-capita net income (missing last), then household id
 *   (byte order); taken while the count of households (or people) stays within
 *   the unit's quota; a share quota is round(share × households of the unit).
 * The review list holds non-vetoed households whose adjusted score is within
 * the margin of the line (the cut-off, or under a quota the score of the
 * unit's last identified household).
 * @param opts NULL for the defaults
 * @param out receives the identification (free with pov_identification_free())
 * @return 0; POV_ENOTFOUND (a unit without a quota value); POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_score_result_identify(const pov_score_result *res,
                                      const pov_identify_options *opts,
                                      pov_identification **out);

/** Frees an identification; NULL is a no-op. @since 0.1.0 */
POV_API void pov_identification_free(pov_identification *id);

/** Number of households (as in the score result). @since 0.1.0 */
POV_API size_t pov_identification_count(const pov_identification *id);

/**
 * Statuses (pov_ident_status), one int32 per household, owned by the
 * identification. NULL for NULL.
 * @since 0.1.0
 */
POV_API const int32_t *pov_identification_statuses(const pov_identification *id);

/** 1 if household @p i is on the review list, 0 if not, POV_EINVAL for a bad index. @since 0.1.0 */
POV_API int pov_identification_review(const pov_identification *id, size_t i);

/** Number of units (villages or counties) in the per-unit counts. @since 0.1.0 */
POV_API size_t pov_identification_unit_count(const pov_identification *id);

/**
 * Counts for one unit. Initialise @c size with sizeof(pov_unit_counts) (or
 * call with a zeroed struct whose size is set); fields are only ever added at
 * the end.
 * @since 0.1.0
 */
typedef struct pov_unit_counts {
    size_t size;                /**< sizeof(pov_unit_counts) */
    size_t households;          /**< households of the unit */
    double people;              /**< people (sum of household_size) */
    size_t identified;          /**< identified households */
    double identified_people;   /**< people in identified households */
    size_t vetoed;              /**< vetoed households */
    size_t review;              /**< households on the review list */
    double quota;               /**< the unit's quota (NaN under a cut-off rule) */
    double line;                /**< the cut-off, or the score of the last identified household */
} pov_unit_counts;

/**
 * Code of unit @p u (village or county code; "" for households without one)
 * and its counts. Units are in byte order of their codes.
 * @param code_out receives the code, owned by the identification (may be NULL)
 * @param counts_out filled up to counts_out->size bytes (may be NULL)
 * @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_identification_unit(const pov_identification *id, size_t u,
                                    const char **code_out, pov_unit_counts *counts_out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_SCORECARD_H */
