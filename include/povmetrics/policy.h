/*
 * povmetrics — exit policies (如何退): poverty lines, the income definition
 * and the exit standards of households, villages and counties as named
 * criteria; household, "two no-worries, three guarantees", unit assessment and
 * report indicators; monitoring against return to poverty (groups, triggers,
 * reasons) and risk elimination. The document format is docs/policy-format.md.
 *
 * Threads: a compiled pov_policy is immutable and may be shared between
 * threads. Results (pov_assessment, pov_unit_result, pov_report) and
 * pov_unit_inputs are used by one thread at a time.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_POLICY_H
#define POVMETRICS_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"
#include "povmetrics/dataset.h"
#include "povmetrics/household.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A compiled policy (opaque, immutable, thread-safe to share). @since 0.1.0 */
typedef struct pov_policy pov_policy;

/** Caller-supplied unit-level inputs (collective income, road width...). @since 0.1.0 */
typedef struct pov_unit_inputs pov_unit_inputs;

/** Result of a household assessment (one or many households). @since 0.1.0 */
typedef struct pov_assessment pov_assessment;

/** Result of a village or county assessment. @since 0.1.0 */
typedef struct pov_unit_result pov_unit_result;

/** Report indicators by unit and year. @since 0.1.0 */
typedef struct pov_report pov_report;

/**
 * Level of a criterion.
 * @since 0.1.0
 */
typedef enum pov_policy_level {
    POV_POLICY_HOUSEHOLD = 0, /**< household exit standard */
    POV_POLICY_VILLAGE = 1,   /**< village exit standard (units by village_code) */
    POV_POLICY_COUNTY = 2,    /**< county exit standard (units by county_code) */
    POV_POLICY_MONITORING = 3, /**< monitoring triggers (防止返贫监测), household level */
    POV_POLICY_ELIMINATION = 4 /**< risk-elimination criteria (风险消除), household level */
} pov_policy_level;

/**
 * Monitoring group of a household (docs/policy-format.md §12), in precedence
 * order: when several groups apply, the lowest non-zero value wins.
 * @since 0.1.0
 */
typedef enum pov_monitor_group {
    POV_GROUP_NONE = 0,            /**< not to be monitored */
    POV_GROUP_UNSTABLE_EXITED = 1, /**< 脱贫不稳定户: exited but unstable */
    POV_GROUP_MARGINAL = 2,        /**< 边缘易致贫户: marginal, prone to poverty */
    POV_GROUP_SUDDEN_HARDSHIP = 3, /**< 突发严重困难户: sudden severe hardship */
    POV_GROUP_UNKNOWN = 4          /**< data needed to decide are missing (never a silent none) */
} pov_monitor_group;

/**
 * Outcome of a criterion, of exit eligibility or of a dimension. The values
 * equal those of pov_cond_state (FALSE, TRUE, MISSING).
 * @since 0.1.0
 */
typedef enum pov_outcome {
    POV_FAIL = 0,   /**< the criterion is not met */
    POV_PASS = 1,   /**< the criterion is met */
    POV_UNKNOWN = 2 /**< data needed to decide are missing (never a pass) */
} pov_outcome;

/**
 * The dimensions of "two no-worries, three guarantees" (两不愁三保障) plus
 * drinking water, in the order of pov_policy_two_three_household() output.
 * @since 0.1.0
 */
typedef enum pov_two_three {
    POV_TT_FOOD = 0,      /**< 不愁吃 */
    POV_TT_CLOTHING = 1,  /**< 不愁穿 */
    POV_TT_EDUCATION = 2, /**< 义务教育有保障 */
    POV_TT_MEDICAL = 3,   /**< 基本医疗有保障 */
    POV_TT_HOUSING = 4,   /**< 住房安全有保障 */
    POV_TT_WATER = 5,     /**< 饮水安全有保障 */
    POV_TT_COUNT = 6      /**< number of dimensions */
} pov_two_three;

/**
 * Outcome of one criterion for one household or unit.
 * Set `size = sizeof(pov_criterion_result)` before the call; fields may be
 * appended in later versions.
 * @since 0.1.0
 */
typedef struct pov_criterion_result {
    size_t size;      /**< sizeof(pov_criterion_result), set by the caller */
    int outcome;      /**< a pov_outcome */
    int test;         /**< index of the reported test (-1: the criterion has none) */
    double value;     /**< value of the reported test (NaN when missing or no test) */
    double threshold; /**< its threshold (NaN when the criterion has no test) */
    double margin;    /**< value - threshold for > and >=, threshold - value for < and <=;
                           NaN for == and != or when either is NaN */
} pov_criterion_result;

/**
 * Options of pov_policy_load_file() / pov_policy_load_string().
 * Initialise with pov_policy_load_options_init().
 * @since 0.1.0
 */
typedef struct pov_policy_load_options {
    size_t size;              /**< sizeof(pov_policy_load_options) */
    const pov_policy *parent; /**< the policy named by "inherits" (NULL: an embedded policy) */
} pov_policy_load_options;

/** Initialises @p opts (no parent). @since 0.1.0 */
POV_API void pov_policy_load_options_init(pov_policy_load_options *opts);

/**
 * Loads, validates and compiles a `povmetrics.policy/1` document.
 *
 * Errors carry the JSON path (e.g. `overrides.village[0].id`), line and
 * column: POV_ESYNTAX / POV_ETRUNCATED / POV_ELIMIT (JSON), POV_EFORMAT
 * (format tag), POV_EUNKNOWN (unknown field), POV_EMISSING (required field),
 * POV_ETYPE (wrong type, e.g. a string threshold), POV_ERANGE (bad year,
 * amount <= 0), POV_ENONFINITE, POV_EDUPLICATE (duplicate id or line),
 * POV_ENOTFOUND (unknown parent, source id, criterion id in an override or in
 * `household_criterion`, unknown indicator in a condition), POV_ERULE
 * (inconsistent: a criterion with neither condition nor tests), and the
 * condition language's codes for conditions (docs/conditions.md).
 * @param opts options (NULL: defaults)
 * @param out receives the policy; free with pov_policy_free()
 * @since 0.1.0
 */
POV_API int pov_policy_load_string(const char *json, size_t len, const char *source_name,
                                   const pov_policy_load_options *opts, pov_policy **out);

/** Same from a file (POV_EIO when it cannot be read). @since 0.1.0 */
POV_API int pov_policy_load_file(const char *path, const pov_policy_load_options *opts,
                                 pov_policy **out);

/**
 * Loads an embedded policy by name ("national_2016", "guangxi_2016"); works
 * with no files present. @return 0 or POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_policy_default(const char *name, pov_policy **out);

/** Number of embedded policies. @since 0.1.0 */
POV_API size_t pov_policy_default_count(void);

/** Name of embedded policy @p i (static string), NULL past the end. @since 0.1.0 */
POV_API const char *pov_policy_default_name(size_t i);

/** Releases a policy (reference counted: results keep it alive). NULL is a no-op. @since 0.1.0 */
POV_API void pov_policy_free(const pov_policy *policy);

/**
 * @defgroup policy_info Policy properties
 * Strings are owned by the policy and live as long as it; never NULL for a
 * valid policy ("" when absent).
 * @{
 */
/** Policy id. @since 0.1.0 */
POV_API const char *pov_policy_id(const pov_policy *policy);
/** Chinese title. @since 0.1.0 */
POV_API const char *pov_policy_title_zh(const pov_policy *policy);
/** English title. @since 0.1.0 */
POV_API const char *pov_policy_title_en(const pov_policy *policy);
/** Document version. @since 0.1.0 */
POV_API const char *pov_policy_version(const pov_policy *policy);
/** Region code ("CN", "45", ...). @since 0.1.0 */
POV_API const char *pov_policy_region(const pov_policy *policy);
/** Id of the parent policy ("" when none). @since 0.1.0 */
POV_API const char *pov_policy_inherits(const pov_policy *policy);
/**
 * Schema the criteria are compiled against: the core schema plus the
 * policy's `indicators` (the core schema itself when it declares none). Read
 * household files with it to record those indicators. Owned by the policy.
 * @since 0.1.0
 */
POV_API const pov_schema *pov_policy_schema(const pov_policy *policy);
/**
 * The policy's income definition as derive options (for pov_dataset_derive()).
 * @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_policy_derive_options(const pov_policy *policy, pov_derive_options *out);
/**
 * Poverty line of @p year for @p region (longest matching region prefix,
 * else the national "CN" line; NULL region = "CN"), yuan/person/year.
 * @return 0, POV_ENOTFOUND (no line for that year: message names it)
 * @since 0.1.0
 */
POV_API int pov_policy_poverty_line(const pov_policy *policy, int year, const char *region,
                                    double *out);
/** Citation of the source of that line, NULL when there is none. @since 0.1.0 */
POV_API const char *pov_policy_poverty_line_source(const pov_policy *policy, int year,
                                                   const char *region);
/** Number of criteria of @p level (a pov_policy_level). @since 0.1.0 */
POV_API size_t pov_policy_criterion_count(const pov_policy *policy, int level);
/** Index of criterion @p id of @p level. @return 0, POV_ENOTFOUND, POV_EINVAL @since 0.1.0 */
POV_API int pov_policy_criterion_find(const pov_policy *policy, int level, const char *id,
                                      size_t *out);
/** Criterion id; NULL for a bad level or index (same for the accessors below). @since 0.1.0 */
POV_API const char *pov_policy_criterion_id(const pov_policy *policy, int level, size_t index);
/** Chinese label. @since 0.1.0 */
POV_API const char *pov_policy_criterion_label_zh(const pov_policy *policy, int level,
                                                  size_t index);
/** English label. @since 0.1.0 */
POV_API const char *pov_policy_criterion_label_en(const pov_policy *policy, int level,
                                                  size_t index);
/** Citation of the criterion's source (with its status in brackets). @since 0.1.0 */
POV_API const char *pov_policy_criterion_source(const pov_policy *policy, int level,
                                                size_t index);
/** Dimension ("food", ..., "water", "income", "other"; "" for unit criteria). @since 0.1.0 */
POV_API const char *pov_policy_criterion_dimension(const pov_policy *policy, int level,
                                                   size_t index);
/** Number of tests of the criterion (0 for a bad level or index). @since 0.1.0 */
POV_API size_t pov_policy_criterion_test_count(const pov_policy *policy, int level,
                                               size_t index);
/**
 * Threshold of test @p test of a criterion for @p year and @p region (a code
 * or NULL), resolved as in the assessment.
 * @return 0, POV_ENOTFOUND (no value for that year or region, or no poverty
 *         line), POV_EINVAL (bad index)
 * @since 0.1.0
 */
POV_API int pov_policy_threshold(const pov_policy *policy, int level, size_t index, size_t test,
                                 int year, const char *region, double *out);
/**
 * Writes the resolved policy (inheritance applied, overrides merged) as a
 * `povmetrics.policy/1` document without `inherits`/`overrides`.
 * @param out receives a NUL-terminated string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_policy_to_json(const pov_policy *policy, char **out);
/** @} */

/* ---- household assessment ------------------------------------------------ */

/**
 * Assesses every household of @p ds against the household criteria with the
 * thresholds and poverty lines of @p year.
 *
 * The dataset must use the policy's schema, or a schema whose indicators up
 * to pov_schema_count(pov_policy_schema()) have the same ids and types, or
 * the core schema (criteria that read the policy's own indicators are then
 * unknown for every household). It must have been derived with the policy's
 * income definition.
 * @return 0, POV_EINVAL (NULL, year out of 1949..2100, incompatible schema),
 *         POV_ESTATE (other income definition), POV_ENOTFOUND (no poverty line
 *         or threshold for the year: message names the criterion/household)
 * @param out receives the result; free with pov_assessment_free()
 * @since 0.1.0
 */
POV_API int pov_policy_assess_dataset(const pov_policy *policy, const pov_dataset *ds, int year,
                                      pov_assessment **out);

/** Same for one household (the same code on its one-row dataset). @since 0.1.0 */
POV_API int pov_policy_assess_household(const pov_policy *policy, const pov_household *h,
                                        int year, pov_assessment **out);

/** Frees an assessment. NULL is a no-op. @since 0.1.0 */
POV_API void pov_assessment_free(pov_assessment *a);
/** Number of households assessed. @since 0.1.0 */
POV_API size_t pov_assessment_count(const pov_assessment *a);
/** Number of household criteria (columns). @since 0.1.0 */
POV_API size_t pov_assessment_criterion_count(const pov_assessment *a);
/**
 * Outcome, reported value, threshold and margin of criterion @p criterion
 * for household @p row. @return 0 or POV_EINVAL (index, size)
 * @since 0.1.0
 */
POV_API int pov_assessment_get(const pov_assessment *a, size_t row, size_t criterion,
                               pov_criterion_result *out);
/**
 * Outcomes (pov_outcome bytes) of criterion @p criterion for every household
 * (pov_assessment_count() entries, owned by @p a). NULL for a bad index.
 * @since 0.1.0
 */
POV_API const uint8_t *pov_assessment_outcomes(const pov_assessment *a, size_t criterion);
/**
 * Reported values of criterion @p criterion for every household
 * (pov_assessment_count() entries, owned by @p a; the value of
 * pov_assessment_get()). Criteria that share their values with others, or
 * whose values follow from their outcomes, get the array built on the first
 * call (safe from several threads); NULL for a bad index, or POV_ENOMEM in
 * pov_error_last() when that array cannot be allocated.
 * @since 0.1.0
 */
POV_API const double *pov_assessment_values(const pov_assessment *a, size_t criterion);
/** Exit eligibility (pov_outcome bytes) of every household (owned by @p a). @since 0.1.0 */
POV_API const uint8_t *pov_assessment_eligible(const pov_assessment *a);
/**
 * Outcome of "two no-worries, three guarantees" dimension @p dim (a
 * pov_two_three) for every household (owned by @p a), NULL for a bad @p dim.
 * @since 0.1.0
 */
POV_API const uint8_t *pov_assessment_two_three(const pov_assessment *a, int dim);
/**
 * Writes household @p row's result as JSON (criteria with outcome, value,
 * threshold, margin; eligibility; two-three dimensions).
 * @param out receives a NUL-terminated string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_assessment_to_json(const pov_assessment *a, size_t row, char **out);

/**
 * "Two no-worries, three guarantees" for one household: @p out receives
 * POV_TT_COUNT pov_outcome values (food, clothing, education, medical,
 * housing, water). A dimension without criteria in the policy is unknown.
 * @return as pov_policy_assess_household()
 * @since 0.1.0
 */
POV_API int pov_policy_two_three_household(const pov_policy *policy, const pov_household *h,
                                           int year, int *out);

/**
 * Same for every household of @p ds: @p out receives POV_TT_COUNT ×
 * pov_dataset_count() bytes, dimension-major (out[dim * n + row]).
 * @since 0.1.0
 */
POV_API int pov_policy_two_three_dataset(const pov_policy *policy, const pov_dataset *ds,
                                         int year, uint8_t *out);

/* ---- monitoring and risk elimination ------------------------------------- */

/**
 * Classifies every household of @p ds for @p year under the policy's
 * monitoring section (docs/policy-format.md §12): each trigger (criterion of
 * level POV_POLICY_MONITORING) is evaluated like a household criterion —
 * outcome POV_PASS means the trigger **fired**, with its value and threshold
 * (pov_assessment_get()) —, then each household gets a pov_monitor_group
 * (pov_assessment_groups()); pov_assessment_eligible() holds whether it is
 * to be monitored (PASS), not (FAIL) or unknown. The reasons of a household
 * are the reason codes (pov_policy_trigger_reason()) of its fired triggers.
 * Requirements on @p ds are those of pov_policy_assess_dataset().
 * @return 0, POV_EINVAL, POV_ESTATE, POV_ENOTFOUND (no monitoring triggers in
 *         the policy; no threshold or poverty line for the year: the message
 *         names the trigger, the year and, for regional values, the household)
 * @param out receives the result; free with pov_assessment_free()
 * @since 0.1.0
 */
POV_API int pov_policy_monitor_dataset(const pov_policy *policy, const pov_dataset *ds, int year,
                                       pov_assessment **out);

/** Same for one household (the same code on its one-row dataset). @since 0.1.0 */
POV_API int pov_policy_monitor_household(const pov_policy *policy, const pov_household *h,
                                         int year, pov_assessment **out);

/**
 * Risk-elimination check (风险消除, docs/policy-format.md §13) of every
 * household of @p ds for @p year: each criterion of level
 * POV_POLICY_ELIMINATION as a household criterion; pov_assessment_eligible()
 * is PASS when all pass (eligible), FAIL when any fails (the failing ones are
 * the reasons), UNKNOWN otherwise.
 * @return as pov_policy_monitor_dataset() (POV_ENOTFOUND: no risk_elimination
 *         criteria)
 * @param out receives the result; free with pov_assessment_free()
 * @since 0.1.0
 */
POV_API int pov_policy_eliminate_dataset(const pov_policy *policy, const pov_dataset *ds,
                                         int year, pov_assessment **out);

/** Same for one household (the same code on its one-row dataset). @since 0.1.0 */
POV_API int pov_policy_eliminate_household(const pov_policy *policy, const pov_household *h,
                                           int year, pov_assessment **out);

/**
 * Level (pov_policy_level) whose criteria are the columns of @p a:
 * POV_POLICY_HOUSEHOLD, POV_POLICY_MONITORING or POV_POLICY_ELIMINATION;
 * POV_EINVAL for NULL.
 * @since 0.1.0
 */
POV_API int pov_assessment_level(const pov_assessment *a);

/**
 * Monitoring group (pov_monitor_group bytes) of every household (owned by
 * @p a); NULL unless @p a comes from pov_policy_monitor_dataset() or
 * pov_policy_monitor_household().
 * @since 0.1.0
 */
POV_API const uint8_t *pov_assessment_groups(const pov_assessment *a);

/** Name of a pov_monitor_group ("none", "unstable_exited", ..., "unknown"; static), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_monitor_group_name(int group);

/** Number of declared monitoring reason codes (`monitoring_reasons`). @since 0.1.0 */
POV_API size_t pov_policy_reason_count(const pov_policy *policy);

/** Reason code @p i (owned by the policy), NULL past the end. @since 0.1.0 */
POV_API const char *pov_policy_reason(const pov_policy *policy, size_t i);

/**
 * Reason code of monitoring trigger @p index (owned by the policy; "" when
 * the trigger names none, e.g. the income test), NULL for a bad index.
 * @since 0.1.0
 */
POV_API const char *pov_policy_trigger_reason(const pov_policy *policy, size_t index);

/**
 * Groups monitoring trigger @p index counts for, as a bit set: bit (g − 1)
 * for pov_monitor_group g (0 for a bad index).
 * @since 0.1.0
 */
POV_API unsigned pov_policy_trigger_groups(const pov_policy *policy, size_t index);

/**
 * Whether the policy defines monitoring group @p group (1..3): 1 yes, 0 no
 * (a group without a condition never applies), POV_EINVAL for a bad group.
 * @since 0.1.0
 */
POV_API int pov_policy_group_defined(const pov_policy *policy, int group);

/* ---- unit inputs ---------------------------------------------------------- */

/** Creates an empty set of unit inputs. @since 0.1.0 */
POV_API int pov_unit_inputs_new(pov_unit_inputs **out);
/** Frees unit inputs. NULL is a no-op. @since 0.1.0 */
POV_API void pov_unit_inputs_free(pov_unit_inputs *in);
/**
 * Sets numeric input @p name of unit @p unit (a village or county code).
 * @return 0, POV_EINVAL (NULL/empty), POV_ENONFINITE
 * @since 0.1.0
 */
POV_API int pov_unit_inputs_set_number(pov_unit_inputs *in, const char *unit, const char *name,
                                       double value);
/** Sets boolean input @p name of unit @p unit. @since 0.1.0 */
POV_API int pov_unit_inputs_set_boolean(pov_unit_inputs *in, const char *unit, const char *name,
                                        int value);
/**
 * Reads inputs from JSON `{"<unit code>": {"<name>": number | true | false}}`
 * and adds them to @p in (later values replace earlier ones).
 * Errors with path and line/column: POV_ESYNTAX, POV_ETYPE, POV_ENONFINITE.
 * @since 0.1.0
 */
POV_API int pov_unit_inputs_load_string(pov_unit_inputs *in, const char *json, size_t len,
                                        const char *source_name);

/* ---- unit assessment ------------------------------------------------------ */

/**
 * Assesses every village (@p level POV_POLICY_VILLAGE, units by village_code)
 * or county (POV_POLICY_COUNTY, by county_code) of @p ds for @p year: the
 * household assessment, then each unit criterion from the unit's households
 * and @p inputs. Units are sorted by code.
 * @param inputs unit inputs (may be NULL when no criterion needs one)
 * @return 0, errors of pov_policy_assess_dataset(), POV_EMISSING (a household
 *         without the unit code — path `[row].village_code` —, or a missing
 *         unit input: message names the unit and the input), POV_ETYPE (a
 *         boolean input where a number is needed or the reverse), POV_EEMPTY
 *         (a share over no households: names the unit), POV_EINVAL
 * @param out receives the result; free with pov_unit_result_free()
 * @since 0.1.0
 */
POV_API int pov_policy_assess_units(const pov_policy *policy, const pov_dataset *ds, int level,
                                    int year, const pov_unit_inputs *inputs,
                                    pov_unit_result **out);

/** Frees a unit result. NULL is a no-op. @since 0.1.0 */
POV_API void pov_unit_result_free(pov_unit_result *r);
/** Number of units. @since 0.1.0 */
POV_API size_t pov_unit_result_count(const pov_unit_result *r);
/** Number of unit criteria. @since 0.1.0 */
POV_API size_t pov_unit_result_criterion_count(const pov_unit_result *r);
/** Code of unit @p unit (owned by @p r), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_unit_result_code(const pov_unit_result *r, size_t unit);
/** Number of households of unit @p unit (0 when out of range). @since 0.1.0 */
POV_API size_t pov_unit_result_households(const pov_unit_result *r, size_t unit);
/** Overall exit outcome (pov_outcome) of unit @p unit, POV_EINVAL when out of range. @since 0.1.0 */
POV_API int pov_unit_result_outcome(const pov_unit_result *r, size_t unit);
/**
 * Criterion @p criterion of unit @p unit: outcome, value, threshold and
 * margin of its reported test. @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_unit_result_get(const pov_unit_result *r, size_t unit, size_t criterion,
                                pov_criterion_result *out);
/** Number of blocking households of unit @p unit. @since 0.1.0 */
POV_API size_t pov_unit_result_blocker_count(const pov_unit_result *r, size_t unit);
/**
 * Blocking household @p k of unit @p unit.
 * @param row_out dataset row of the household (may be NULL)
 * @param criterion_out unit criterion it blocks (may be NULL)
 * @param household_criterion_out household criterion that fails or is
 *        unknown, or -1 (may be NULL)
 * @param out its outcome on that household criterion (POV_FAIL or POV_UNKNOWN)
 * @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_unit_result_blocker(const pov_unit_result *r, size_t unit, size_t k,
                                    size_t *row_out, size_t *criterion_out,
                                    int *household_criterion_out, int *out);
/**
 * Reason text of a blocker, e.g. `household gx-001: safe_housing fails
 * (value 9.5, threshold >= 13) [blocks housing]`.
 * @param out receives a NUL-terminated string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_unit_result_blocker_reason(const pov_unit_result *r, size_t unit, size_t k,
                                           char **out);
/**
 * Writes the result as JSON (`"text": 0`) or as a plain-text report
 * (`text`: non-zero) with each criterion's value, threshold and margin.
 * @param out receives a NUL-terminated string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_unit_result_to_string(const pov_unit_result *r, int text, char **out);

/* ---- report indicators ---------------------------------------------------- */

/**
 * Report indicators (columns of pov_report).
 * @since 0.1.0
 */
typedef enum pov_report_field {
    POV_REPORT_HOUSEHOLDS = 0,        /**< households */
    POV_REPORT_PEOPLE = 1,            /**< people (sum of household_size) */
    POV_REPORT_POOR_HOUSEHOLDS = 2,   /**< registered poor households (poor_household) */
    POV_REPORT_POOR_PEOPLE = 3,       /**< people in them */
    POV_REPORT_INCIDENCE = 4,         /**< poor people / people */
    POV_REPORT_EXITS = 5,             /**< poor households eligible to exit */
    POV_REPORT_EDUCATION_ENROLMENT = 6, /**< poor households' members aged 6-15 in school / with known schooling */
    POV_REPORT_MEDICAL_PARTICIPATION = 7, /**< poor households' insured members / members with known insurance */
    POV_REPORT_SAFE_HOUSING_SHARE = 8, /**< poor households passing the housing dimension / poor households */
    POV_REPORT_SAFE_WATER_SHARE = 9,  /**< same for water */
    POV_REPORT_MEAN_INCOME_POOR = 10, /**< mean per-capita net income of poor households (known values) */
    POV_REPORT_INCOME_GROWTH = 11,    /**< growth of that mean over the unit's previous year (NaN if absent) */
    POV_REPORT_FIELD_COUNT = 12       /**< number of fields */
} pov_report_field;

/**
 * Computes the report indicators for each unit (@p level VILLAGE or COUNTY)
 * and year (the households' `year`) of @p ds, sorted by unit then year.
 * Thresholds and lines are those of each row's year.
 * @return 0, POV_EMISSING (a household without unit code or year), errors of
 *         pov_policy_assess_dataset()
 * @param out receives the report; free with pov_report_free()
 * @since 0.1.0
 */
POV_API int pov_policy_report(const pov_policy *policy, const pov_dataset *ds, int level,
                              pov_report **out);
/** Frees a report. NULL is a no-op. @since 0.1.0 */
POV_API void pov_report_free(pov_report *r);
/** Number of rows (unit × year). @since 0.1.0 */
POV_API size_t pov_report_count(const pov_report *r);
/** Unit code of row @p row (owned by @p r), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_report_unit(const pov_report *r, size_t row);
/** Year of row @p row (0 when out of range). @since 0.1.0 */
POV_API int pov_report_year(const pov_report *r, size_t row);
/** Field @p field (a pov_report_field) of row @p row; NaN when undefined or out of range. @since 0.1.0 */
POV_API double pov_report_value(const pov_report *r, size_t row, int field);
/** Name of a field ("households", "incidence", ...), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_report_field_name(int field);
/**
 * Writes the report as a JSON array of objects.
 * @param out receives a NUL-terminated string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_report_to_json(const pov_report *r, char **out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_POLICY_H */
