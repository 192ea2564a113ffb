/*
 * povmetrics — the condition language, internal API (not installed).
 *
 * Rule loaders (scorecard items and vetoes, policy, monitoring triggers,
 * program eligibility) compile a cJSON node of their document with
 * povi_condition_compile_node() and evaluate the compiled condition over the
 * columns of a dataset (povi_colview) with povi_condition_eval_view() (one
 * household) or povi_condition_eval_batch() (a range of households, tight loop). Both run
 * the same interpreter (condition_eval.c); neither allocates.
 *
 * The language and its missing-value rules are documented in
 * docs/conditions.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_CONDITION_INTERNAL_H
#define POVI_CONDITION_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "../data/data_internal.h"
#include "povmetrics/condition.h"

/* Maximum operator nesting depth of an expression (POV_ELIMIT beyond). */
#define POVI_COND_MAX_DEPTH 64
/* Evaluation stack slots; a condition needing more fails to compile with
 * POV_ELIMIT. The interpreter keeps the stack in a local array. */
#define POVI_COND_STACK_MAX 256

/* Static types of the language. */
typedef enum povi_ctype {
    POVI_T_ANY = 0,      /* the `null` literal: missing, compatible with every type */
    POVI_T_NUMBER = 1,   /* number or integer indicator, arithmetic result */
    POVI_T_BOOLEAN = 2,  /* boolean indicator, comparison or logic result */
    POVI_T_CATEGORY = 3, /* code index of one category indicator */
    POVI_T_TEXT = 4      /* free text (only `missing` and presence tests) */
} povi_ctype;

/* What the compiler needs to know about an indicator. */
typedef struct povi_cond_ind {
    int32_t index;        /* column index in the view */
    uint8_t member_level; /* 1 = member-level, 0 = household-level */
    uint8_t type;         /* povi_ctype: NUMBER, BOOLEAN, CATEGORY or TEXT */
} povi_cond_ind;

/*
 * Resolves names at compile time. find() returns 0 and fills @p out, or
 * POV_ENOTFOUND (without recording an error). find_code() returns the code
 * index (>= 0) of @p code for category indicator @p index, or -1.
 */
typedef struct povi_cond_resolver {
    const void *ctx;
    int (*find)(const void *ctx, const char *id, povi_cond_ind *out);
    int32_t (*find_code)(const void *ctx, int32_t index, const char *code);
} povi_cond_resolver;

/*
 * Compiles @p node against @p resolver. Errors are reported through
 * povi_json_error() with @p src (may be NULL): the path is
 * src->base_path + the path inside the condition (e.g.
 * "vetoes[2].condition" + "and[1].>=[0]"), and when src->text is set, the
 * line, column and offset of that node. On failure *out is NULL.
 */
int povi_condition_compile_resolver(const povi_cond_resolver *resolver, const cJSON *node,
                                    const povi_json_src *src, pov_condition **out);

/* Same, resolving names against @p schema (indicator ids, levels, types and
 * category codes). This is what rule loaders call. */
int povi_condition_compile_node(const pov_schema *schema, const cJSON *node,
                                const povi_json_src *src, pov_condition **out);

/* Evaluates for household @p i of @p cols: returns the value (booleans 0/1,
 * numbers, category code indices as doubles) or NaN when missing. */
double povi_condition_eval_view(const pov_condition *c, const povi_colview *cols, size_t i);

/* Evaluates households [begin, end) of @p cols into values[i - begin] and
 * states[i - begin] (pov_cond_state; either output may be NULL). */
void povi_condition_eval_batch(const pov_condition *c, const povi_colview *cols, size_t begin,
                               size_t end, double *values, uint8_t *states);

/* Same as povi_condition_eval_batch(), always one household at a time (the
 * reference evaluator: tests compare the block evaluator with it). */
void povi_condition_eval_scalar(const pov_condition *c, const povi_colview *cols, size_t begin,
                                size_t end, double *values, uint8_t *states);

/* 1 if povi_condition_eval_batch() evaluates @p c a block of households at a
 * time (else one household at a time). */
int povi_condition_blockable(const pov_condition *c);

/* The state for value @p v of a condition of result type @p type. */
uint8_t povi_condition_state_of(const pov_condition *c, double v);

/* Indicator indices the condition reads (each once, ascending). Owned by @p c. */
const int32_t *povi_condition_inputs(const pov_condition *c, size_t *n);

/* For a category-typed condition, the indicator whose codes the value indexes
 * (-1 otherwise). */
int32_t povi_condition_category_indicator(const pov_condition *c);

#endif /* POVI_CONDITION_INTERNAL_H */
