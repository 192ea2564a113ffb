/*
 * povmetrics — conditions: the one expression language of every rule file.
 *
 * A condition is a JsonLogic-style expression (`{"op": [args]}`) over a
 * household's indicators and its members, e.g.
 *
 *     {"and": [{"<": [{"var": "per_capita_net_income"}, 2300]},
 *              {"some": [{"var": "members"}, {">=": [{"var": "age"}, 60]}]}]}
 *
 * It is compiled once against a schema (indicator names, levels, types and
 * category codes resolved; type, arity and code errors reported with the JSON
 * path and, for text, line and column) into a compact program, then evaluated
 * for one household or for every household of a dataset without allocating.
 * Values are three-valued: true, false, or missing (an input was missing).
 * The operators, their missing-value rules and the limits are documented in
 * docs/conditions.md.
 *
 * Threads: a compiled pov_condition is immutable; it may be evaluated from
 * any number of threads at once.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_CONDITION_H
#define POVMETRICS_CONDITION_H

#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"
#include "povmetrics/dataset.h"
#include "povmetrics/household.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A compiled condition (opaque, immutable, thread-safe to share). @since 0.1.0 */
typedef struct pov_condition pov_condition;

/**
 * State of an evaluated condition.
 * @since 0.1.0
 */
typedef enum pov_cond_state {
    POV_COND_FALSE = 0,   /**< boolean result: false (value 0) */
    POV_COND_TRUE = 1,    /**< boolean result: true (value 1) */
    POV_COND_MISSING = 2, /**< the result is missing (value NaN) */
    POV_COND_VALUE = 3    /**< a number or category code index is in the value */
} pov_cond_state;

/**
 * Static type of a condition's result.
 * @since 0.1.0
 */
typedef enum pov_cond_type {
    POV_COND_TYPE_NULL = 0,     /**< the expression is the literal null (always missing) */
    POV_COND_TYPE_NUMBER = 1,   /**< a number (state VALUE or MISSING) */
    POV_COND_TYPE_BOOLEAN = 2,  /**< true/false/missing */
    POV_COND_TYPE_CATEGORY = 3, /**< a code index of one category indicator (VALUE or MISSING) */
    POV_COND_TYPE_TEXT = 4      /**< a text indicator: only presence is known (VALUE or MISSING) */
} pov_cond_type;

/**
 * Compiles the JSON text @p json (@p len bytes, or NUL-terminated when
 * @p len is SIZE_MAX) against @p schema.
 *
 * Errors (pov_error_last() has the JSON path of the offending node, e.g.
 * `and[1].>=[0]`, and its line, column and byte offset in @p json):
 * malformed JSON -> POV_ESYNTAX (POV_ETRUNCATED when the text ends early,
 * POV_ELIMIT when nested deeper than 136 levels); an unknown operator -> POV_EUNKNOWN; a
 * wrong number of arguments or a misplaced construct (a member-level
 * indicator outside a member quantifier, nested quantifiers, an object with
 * several keys) -> POV_ERULE; an unknown indicator -> POV_ENOTFOUND; a
 * string that is not a code of the category it is compared with ->
 * POV_ECODE; operands of incompatible types -> POV_ETYPE; a non-finite number
 * -> POV_ENONFINITE; nesting deeper than 64 operators -> POV_ELIMIT; NULL
 * arguments -> POV_EINVAL; out of memory -> POV_ENOMEM. Nothing is returned
 * on failure.
 *
 * The condition keeps a reference to @p schema; the caller may free its own.
 *
 * @param source_name name used in error messages (file name); NULL gives "<string>"
 * @param out receives the compiled condition (free with pov_condition_free()); NULL on failure
 * @since 0.1.0
 */
POV_API int pov_condition_compile(const pov_schema *schema, const char *json, size_t len,
                                  const char *source_name, pov_condition **out);

/** Frees a compiled condition; NULL is a no-op. @since 0.1.0 */
POV_API void pov_condition_free(pov_condition *cond);

/**
 * Static type of the condition's result: a pov_cond_type, or POV_EINVAL when
 * @p cond is NULL.
 * @since 0.1.0
 */
POV_API int pov_condition_result_type(const pov_condition *cond);

/**
 * Evaluates @p cond for one household.
 *
 * @param value_out receives the value: 0/1 for booleans, the number, or the
 *        category code index; NaN when missing (may be NULL)
 * @param state_out receives a pov_cond_state (may be NULL)
 * @return 0, or POV_EINVAL when @p cond or @p h is NULL, or when @p h uses
 *         another schema than the condition and the condition reads
 *         indicators outside the core schema
 * @since 0.1.0
 */
POV_API int pov_condition_eval_household(const pov_condition *cond, const pov_household *h,
                                         double *value_out, int *state_out);

/**
 * Evaluates @p cond for every household of @p ds, in dataset order.
 *
 * Runs the same interpreter as pov_condition_eval_household() in one tight
 * loop over the dataset's columns.
 *
 * @param values_out array of pov_dataset_count(ds) doubles (may be NULL)
 * @param states_out array of pov_dataset_count(ds) pov_cond_state bytes (may be NULL)
 * @return 0, or POV_EINVAL when @p cond or @p ds is NULL or the schemas are
 *         incompatible (as for pov_condition_eval_household())
 * @since 0.1.0
 */
POV_API int pov_condition_eval_dataset(const pov_condition *cond, const pov_dataset *ds,
                                       double *values_out, uint8_t *states_out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_CONDITION_H */
