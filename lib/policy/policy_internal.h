/*
 * povmetrics — exit policies, internal layout shared by policy_load.c and
 * policy_assess.c. Not installed, not API. The format is docs/policy-format.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_POLICY_INTERNAL_H
#define POVI_POLICY_INTERNAL_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdio.h>

#include "../rules/condition_internal.h"
#include "../data/data_internal.h"
#include "povmetrics/policy.h"

#define POVI_NLEVELS 5

/* Household-shaped levels: criteria with a condition and value tests. */
#define POVI_HH_LEVEL(l) \
    ((l) == POV_POLICY_HOUSEHOLD || (l) == POV_POLICY_MONITORING || (l) == POV_POLICY_ELIMINATION)

/* Monitoring groups, in precedence order (docs/policy-format.md §12). */
#define POVI_NGROUPS 3

/* Formatting into fixed buffers where truncation is acceptable (error paths
 * and messages): GLib's g_snprintf, which gcc's truncation warning ignores. */
#define POVI_SNPRINTF g_snprintf

/* Comparison operators of tests. */
enum { POVI_OP_LT, POVI_OP_LE, POVI_OP_GT, POVI_OP_GE, POVI_OP_EQ, POVI_OP_NE };

/* Threshold kinds (docs/policy-format.md §7). */
enum { POVI_THR_NUMBER, POVI_THR_BOOL, POVI_THR_LINE, POVI_THR_BY_YEAR, POVI_THR_BY_REGION,
       POVI_THR_LINE_TIMES /* value x the poverty line */ };

typedef struct povi_thr povi_thr;
struct povi_thr {
    int kind;
    double value;    /* NUMBER, BOOL (0/1) */
    int step;        /* BY_YEAR: 1 = "step", 0 = "error" */
    size_t n;        /* BY_YEAR / BY_REGION entries */
    int *years;      /* BY_YEAR: ascending */
    char **keys;     /* BY_REGION: region code prefixes */
    povi_thr *items; /* [n] */
    povi_thr *deflt; /* BY_REGION default, or NULL */
};

/*
 * Fast path for simple household-level conditions, evaluated a block of rows
 * at a time straight from the columns (no interpreter): comparisons of a
 * household number or boolean with a literal, `in` on a household category
 * with literal codes, and/or/! of those. Same three-valued semantics as the
 * condition language (docs/conditions.md): a missing input gives missing;
 * `and`: false wins, then missing; `or`: true wins, then missing.
 */
enum { POVI_FAST_CMP, POVI_FAST_IN, POVI_FAST_AND, POVI_FAST_OR, POVI_FAST_NOT };

typedef struct povi_fast povi_fast;
struct povi_fast {
    int kind;
    int op;          /* CMP: POVI_OP_* */
    int32_t col;     /* CMP: number/boolean column; IN: category column */
    double k;        /* CMP: the literal */
    uint64_t codes;  /* IN: bit set of code indices (codes < 64) */
    size_t n;        /* AND / OR / NOT: children */
    povi_fast *kids;
};

/* Builds the fast form of a compiled-valid condition node, or NULL when the
 * node is not of the simple shape. */
povi_fast *povi_fast_build(const pov_schema *schema, const cJSON *node);
void povi_fast_free(povi_fast *f);
/* Evaluates rows [begin, end) into out[] as pov_cond_state bytes (0/1/2). */
void povi_fast_eval(const povi_fast *f, const povi_colview *v, size_t begin, size_t end,
                    uint8_t *out);

/* Test kinds. */
enum { POVI_TEST_VALUE, POVI_TEST_SHARE, POVI_TEST_INCIDENCE, POVI_TEST_INPUT };

typedef struct povi_ptest {
    int kind;
    pov_condition *expr; /* VALUE: the value; SHARE: the condition (or NULL) */
    povi_fast *fast;     /* SHARE condition on the fast path, or NULL */
    int among_poor;      /* SHARE */
    int hh_crit;         /* SHARE on a household criterion: its index, else -1 */
    char *input;         /* INPUT: name */
    int op;
    int want_bool;       /* the threshold is a boolean (input must be one) */
    int32_t direct;      /* VALUE that is {"var": household number}: its column, else -1 */
    povi_thr thr;
} povi_ptest;

typedef struct povi_pcrit {
    char *id, *label_zh, *label_en, *source, *dimension, *group, *note;
    int dim;             /* pov_two_three, or -1 */
    pov_condition *cond; /* household level, may be NULL */
    povi_fast *fast;     /* the same condition on the fast path, or NULL */
    povi_ptest *tests;
    size_t n_tests;
    int32_t max_input;   /* largest indicator index read (-1: none) */
    int reason;          /* monitoring: index into pov_policy.reasons, -1 none */
    unsigned groups;     /* monitoring: bit g set = counts for group g+1 */
} povi_pcrit;

typedef struct povi_line {
    int year;
    char *region;
    double amount;
    char *source;        /* citation */
} povi_line;

typedef struct povi_source {
    char *id, *status, *citation, *display;
} povi_source;

struct pov_policy {
    gint refcount;
    char *id, *title_zh, *title_en, *version, *region, *inherits;
    cJSON *resolved;     /* the resolved document (pov_policy_to_json, children) */
    const pov_schema *schema;
    povi_source *sources;
    size_t n_sources;
    povi_line *lines;
    size_t n_lines;
    pov_derive_options derive;
    pov_condition *poor;
    povi_fast *poor_fast;
    povi_pcrit *crit[POVI_NLEVELS];
    size_t n_crit[POVI_NLEVELS];
    char **reasons;      /* monitoring reason codes (declared list) */
    size_t n_reasons;
    pov_condition *group_cond[POVI_NGROUPS]; /* base condition per group, NULL: not defined */
    int32_t group_max_input[POVI_NGROUPS];
};

/* Resolves threshold @p t for @p year and the region codes @p codes (n of
 * them, any may be NULL). Returns 0 or POV_ENOTFOUND without recording an
 * error; *why says what is missing ("year", "region", "line"). */
int povi_thr_resolve(const pov_policy *p, const povi_thr *t, int year, const char *const *codes,
                     size_t n, double *out, const char **why);

/* 1 if @p t may differ between regions for @p year. */
int povi_thr_regional(const pov_policy *p, const povi_thr *t, int year);

/* Poverty line lookup by region codes; NULL when none. */
const povi_line *povi_policy_line(const pov_policy *p, int year, const char *const *codes,
                                  size_t n);

const pov_policy *povi_policy_ref(const pov_policy *p);

const char *povi_op_name(int op);

#endif /* POVI_POLICY_INTERNAL_H */
