/*
 * povmetrics — exit policies: household assessment, "two no-worries, three
 * guarantees", unit inputs, village/county assessment and report indicators.
 * Semantics: docs/policy-format.md §5–§7 and §10.
 *
 * One code path: a household is assessed as the one-row dataset behind it.
 * The household pass runs criterion by criterion over blocks of rows, so the
 * condition interpreter works in tight loops over columns and nothing is
 * allocated per household.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_internal.h"

#define BLOCK 1024
#define N_CODES 5 /* province, city, county, township, village */
#define TEXT_BLOCKERS 5 /* blocking households listed per criterion in text reports */

static const char *const level_names[POVI_NLEVELS] = {"household", "village", "county",
                                                      "monitoring", "risk_elimination"};
static const int code_cols[N_CODES] = {POVI_PROVINCE_CODE, POVI_CITY_CODE, POVI_COUNTY_CODE,
                                       POVI_TOWNSHIP_CODE, POVI_VILLAGE_CODE};

static int cmp_op(int op, double v, double t) {
    switch (op) {
    case POVI_OP_LT: return v < t;
    case POVI_OP_LE: return v <= t;
    case POVI_OP_GT: return v > t;
    case POVI_OP_GE: return v >= t;
    case POVI_OP_EQ: return v == t;
    default: return v != t;
    }
}

/* ok[k] = cmp_op(op, x[k], t) for k < m, one loop per operator. */
static void cmp_block(int op, const double *x, double t, size_t m, uint8_t *ok) {
    switch (op) {
    case POVI_OP_LT: for (size_t k = 0; k < m; k++) ok[k] = x[k] < t; break;
    case POVI_OP_LE: for (size_t k = 0; k < m; k++) ok[k] = x[k] <= t; break;
    case POVI_OP_GT: for (size_t k = 0; k < m; k++) ok[k] = x[k] > t; break;
    case POVI_OP_GE: for (size_t k = 0; k < m; k++) ok[k] = x[k] >= t; break;
    case POVI_OP_EQ: for (size_t k = 0; k < m; k++) ok[k] = x[k] == t; break;
    default: for (size_t k = 0; k < m; k++) ok[k] = x[k] != t; break;
    }
}

static double margin_of(int op, double v, double t) {
    if (isnan(v) || isnan(t))
        return NAN;
    switch (op) {
    case POVI_OP_GT:
    case POVI_OP_GE: return v - t;
    case POVI_OP_LT:
    case POVI_OP_LE: return t - v;
    default: return NAN;
    }
}

static const char *outcome_name(int o) {
    return o == POV_PASS ? "pass" : o == POV_FAIL ? "fail" : "unknown";
}

/* Region codes of row @p i of @p v (NULL where missing). */
static void row_codes(const povi_colview *v, size_t i, const char **codes) {
    for (int k = 0; k < N_CODES; k++) {
        const int32_t *col = v->cat[code_cols[k]];
        int32_t s = col ? col[i] : -1;
        codes[k] = s >= 0 && (size_t)s < v->n_strings ? v->strings[s] : NULL;
    }
}

static const char *row_id(const povi_colview *v, size_t i) {
    int32_t s = v->ids ? v->ids[i] : -1;
    return s >= 0 && (size_t)s < v->n_strings ? v->strings[s] : "?";
}

/* ======================================================================== */
/* Fast path for simple conditions (see policy_internal.h)                   */
/* ======================================================================== */

/* out[k] = MISSING for NaN, else x[k] op t (one loop per operator). */
POVI_SIMD_CLONES
static void fast_cmp_block(int op, const double *x, double t, size_t m, uint8_t *out) {
#define FAST_CMP(expr)                                                                     \
    for (size_t k = 0; k < m; k++) {                                                       \
        const uint8_t miss = x[k] != x[k];                                                 \
        out[k] = (uint8_t)((miss << 1) | ((miss ^ 1u) & (uint8_t)(expr)));                 \
    }
    switch (op) {
    case POVI_OP_LT: FAST_CMP(x[k] < t) break;
    case POVI_OP_LE: FAST_CMP(x[k] <= t) break;
    case POVI_OP_GT: FAST_CMP(x[k] > t) break;
    case POVI_OP_GE: FAST_CMP(x[k] >= t) break;
    case POVI_OP_EQ: FAST_CMP(x[k] == t) break;
    default: FAST_CMP(x[k] != t) break;
    }
#undef FAST_CMP
}

/* out[k] = MISSING for a missing code (< 0), else whether the code is in the
 * set (bit x of codes; codes >= 64 are never in it). */
POVI_SIMD_CLONES
static void fast_in_block(const int32_t *col, uint64_t codes, size_t m, uint8_t *out) {
    /* the set as two 32-bit words, and the states first as 32-bit values,
     * so that the loop is one of 32-bit lanes (variable shifts included) */
    const uint32_t lo = (uint32_t)codes, hi = (uint32_t)(codes >> 32);
    uint32_t st[BLOCK];
    for (size_t k = 0; k < m; k++) {
        const uint32_t ux = (uint32_t)col[k]; /* a missing code (< 0) is >= 2^31 here */
        const uint32_t hi_mask = (uint32_t)((int32_t)(ux << 26) >> 31); /* all ones if bit 5 */
        const uint32_t word = lo ^ ((lo ^ hi) & hi_mask);
        /* below 64: (ux - 64) wraps to the top bit (written without a
         * comparison, which would keep the loop from vectorising); the
         * missing codes, for which this is wrong, are decided by miss */
        const uint32_t below64 = (ux - 64u) >> 31;
        const uint32_t in = ((word >> (ux & 31u)) & 1u) & below64;
        const uint32_t miss = ux >> 31;
        st[k] = (miss << 1) | ((miss ^ 1u) & in);
    }
    for (size_t k = 0; k < m; k++)
        out[k] = (uint8_t)st[k];
}

/* Exchanges 1 and 2, keeps 0. */
static inline uint8_t swap12(uint8_t x) { return (uint8_t)(x ^ ((uint8_t)-(x != 0) & 3u)); }

static void fast_block(const povi_fast *f, const povi_colview *v, size_t b, size_t m,
                       uint8_t *out) {
    switch (f->kind) {
    case POVI_FAST_CMP: {
        const double *col = v->num[f->col];
        if (!col)
            memset(out, POV_COND_MISSING, m);
        else
            fast_cmp_block(f->op, col + b, f->k, m, out);
        return;
    }
    case POVI_FAST_IN: {
        const int32_t *col = v->cat[f->col];
        if (!col)
            memset(out, POV_COND_MISSING, m);
        else
            fast_in_block(col + b, f->codes, m, out);
        return;
    }
    case POVI_FAST_NOT:
        fast_block(&f->kids[0], v, b, m, out);
        for (size_t k = 0; k < m; k++) /* 0 <-> 1, 2 stays */
            out[k] = (uint8_t)(out[k] ^ ((out[k] >> 1) ^ 1u));
        return;
    default: { /* AND / OR, Kleene: AND is the minimum in the order FALSE <
                * MISSING < TRUE, OR the maximum; swapping the codes 1 and 2
                * turns states into ranks in that order, and back */
        uint8_t tmp[BLOCK];
        const int is_and = f->kind == POVI_FAST_AND;
        if (f->n == 0) {
            memset(out, is_and ? POV_COND_TRUE : POV_COND_FALSE, m);
            return;
        }
        fast_block(&f->kids[0], v, b, m, out);
        for (size_t c = 1; c < f->n; c++) {
            fast_block(&f->kids[c], v, b, m, tmp);
            for (size_t k = 0; k < m; k++) {
                const uint8_t ra = swap12(out[k]), rb = swap12(tmp[k]);
                out[k] = swap12(is_and ? (ra < rb ? ra : rb) : (ra > rb ? ra : rb));
            }
        }
        return;
    }
    }
}

void povi_fast_eval(const povi_fast *f, const povi_colview *v, size_t begin, size_t end,
                    uint8_t *out) {
    for (size_t b = begin; b < end; b += BLOCK) {
        size_t m = end - b < BLOCK ? end - b : BLOCK;
        fast_block(f, v, b, m, out + (b - begin));
    }
}

/* States of a (boolean) condition over rows [begin, end), fast path or interpreter. */
static void cond_states(const pov_condition *c, const povi_fast *f, const povi_colview *v,
                        size_t begin, size_t end, double *values, uint8_t *states) {
    if (f) {
        povi_fast_eval(f, v, begin, end, states);
        if (values)
            for (size_t i = 0; i < end - begin; i++)
                values[i] = states[i] == POV_COND_MISSING ? NAN : (double)states[i];
    } else {
        povi_condition_eval_batch(c, v, begin, end, values, states);
    }
}

/* ======================================================================== */
/* Household assessment                                                      */
/* ======================================================================== */

struct pov_assessment {
    const pov_policy *policy; /* reference held */
    int level;          /* POV_POLICY_HOUSEHOLD, _MONITORING or _ELIMINATION */
    size_t n, nc, max_tests;
    uint8_t *outcome;   /* [nc * n] */
    int8_t *test;       /* [nc * n] reported test, -1 = the condition / none */
    /* Reported values, stored once per distinct array (see value_at()):
     * vmode[c] says how criterion c's value of a row is found, vcol[c] is
     * its array in `value` (NULL for VAL_STATE), vmat[c] the array
     * pov_assessment_values() built on first use (under vlock). */
    double *value;      /* [slots * n] */
    uint8_t *vmode;     /* [nc] */
    double **vcol;      /* [nc] */
    double **vmat;      /* [nc] */
    GMutex vlock;
    double *thr_const;  /* [nc * max_tests] */
    double **thr_row;   /* [nc]: per-row threshold of the reported test, or NULL */
    uint8_t *eligible;  /* [n] */
    uint8_t *tt;        /* [POV_TT_COUNT * n] */
    uint8_t *group;     /* monitoring: [n] pov_monitor_group */
};

/* How a criterion's reported value of a row is found:
 * VAL_OWN    its own array, row by row (the general case);
 * VAL_TEST   the test's value from an array that criteria with the same test
 *            value (the same column, or the same shared expression) share,
 *            or, in rows where the condition is reported, the condition's
 *            value, which the outcome gives (a fast-path condition is
 *            reported only when false, outcome FAIL, value 0, or missing,
 *            outcome UNKNOWN, value NaN);
 * VAL_STATE  a fast-path condition without tests: the outcome is the
 *            condition's state, and the value 1, 0 or NaN follows from it. */
enum { VAL_OWN = 0, VAL_TEST = 1, VAL_STATE = 2 };

static double state_of_outcome(uint8_t o) {
    return o == POV_PASS ? 1.0 : o == POV_FAIL ? 0.0 : (double)NAN;
}

static double value_at(const pov_assessment *a, size_t row, size_t c) {
    const size_t k = c * a->n + row;
    switch (a->vmode[c]) {
    case VAL_OWN: return a->vcol[c][row];
    case VAL_TEST:
        if (a->test[k] >= 0)
            return a->vcol[c][row];
        return state_of_outcome(a->outcome[k]);
    default: return state_of_outcome(a->outcome[k]);
    }
}

void pov_assessment_free(pov_assessment *a) {
    if (!a)
        return;
    pov_policy_free(a->policy);
    povi_big_free(a->outcome);
    povi_big_free(a->test);
    povi_big_free(a->value);
    if (a->vmat)
        for (size_t c = 0; c < a->nc; c++)
            povi_big_free(a->vmat[c]);
    free(a->vmat);
    free(a->vcol);
    free(a->vmode);
    g_mutex_clear(&a->vlock);
    free(a->thr_const);
    if (a->thr_row)
        for (size_t c = 0; c < a->nc; c++)
            povi_big_free(a->thr_row[c]);
    free(a->thr_row);
    povi_big_free(a->eligible);
    povi_big_free(a->tt);
    povi_big_free(a->group);
    free(a);
}

/* Checks schema and income definition; fills avail[c] (criterion computable). */
static int check_data(const pov_policy *p, int level, const povi_colview *v,
                      const pov_derive_options *o, uint8_t *avail, size_t *limit_out) {
    const pov_schema *ds = v->schema, *ps = p->schema;
    size_t nps = pov_schema_count(ps), nds = pov_schema_count(ds), core = pov_schema_core_count();
    size_t limit = nps; /* indicators < limit are usable */
    if (ds != ps) {
        if (nds == core) {
            limit = core;
        } else {
            if (nds < nps)
                return povi_error(POV_EINVAL,
                                  "the data use schema '%s', which lacks indicators of the "
                                  "policy's schema '%s' (read the data with pov_policy_schema())",
                                  pov_schema_name(ds), pov_schema_name(ps));
            for (size_t k = core; k < nps; k++) {
                const povi_indicator *a = povi_schema_get(ps, k), *b = povi_schema_get(ds, k);
                if (strcmp(a->id, b->id) != 0 || a->type != b->type || a->level != b->level)
                    return povi_error(POV_EINVAL,
                                      "indicator %zu of the data's schema '%s' is '%s', the "
                                      "policy's schema '%s' has '%s' there",
                                      k, pov_schema_name(ds), b->id, pov_schema_name(ps), a->id);
            }
        }
    }
    if (o->income_components != p->derive.income_components ||
        o->income_exclusions != p->derive.income_exclusions ||
        !o->subtract_production_costs != !p->derive.subtract_production_costs)
        return povi_error(POV_ESTATE,
                          "the data were derived with another income definition than policy "
                          "'%s' (derive them with pov_policy_derive_options())", p->id);
    for (size_t c = 0; c < p->n_crit[level]; c++)
        avail[c] = p->crit[level][c].max_input < (int32_t)limit;
    *limit_out = limit;
    return 0;
}

/* Threshold of test @p t for row @p i (per-row resolution with a one-entry
 * cache keyed by year and village string). */
typedef struct thr_cache {
    int year;
    int32_t village;
    double value;
    int valid;
} thr_cache;

static int row_thr(const pov_policy *p, int level, const povi_pcrit *c, size_t t,
                   const povi_colview *v, size_t i, int year, thr_cache *cache, double *out) {
    const int32_t *vcol = v->cat[POVI_VILLAGE_CODE];
    int32_t vs = vcol ? vcol[i] : -1;
    if (cache->valid && cache->year == year && cache->village == vs && vs >= 0) {
        *out = cache->value;
        return 0;
    }
    const char *codes[N_CODES];
    row_codes(v, i, codes);
    const char *why = "";
    int r = povi_thr_resolve(p, &c->tests[t].thr, year, codes, N_CODES, out, &why);
    if (r)
        return povi_error(r, "%s criterion '%s': no %s value for %d (household %s%s%s)",
                          level_names[level], c->id, why, year, row_id(v, i), codes[4] ? ", village " : "",
                          codes[4] ? codes[4] : "");
    *cache = (thr_cache){year, vs, *out, 1};
    return 0;
}

/* out[i] = the combination of the outcomes of the criteria of dimension @p d
 * (-1: all criteria): FAIL if one fails, else UNKNOWN if one is unknown, else
 * PASS; UNKNOWN when there is no such criterion (@p crit NULL: none at all).
 * Flags are or-ed a block at a time (no branch per household). */
static void combine_outcomes(const pov_assessment *a, const povi_pcrit *crit, int d,
                             uint8_t *out) {
    size_t n = a->n;
    int any = 0;
    for (size_t c = 0; crit && c < a->nc; c++)
        any |= d < 0 || crit[c].dim == d;
    if (!any) {
        memset(out, POV_UNKNOWN, n);
        return;
    }
    for (size_t b = 0; b < n; b += BLOCK) {
        size_t m = n - b < BLOCK ? n - b : BLOCK;
        uint8_t fail[BLOCK] = {0}, unk[BLOCK] = {0};
        for (size_t c = 0; c < a->nc; c++) {
            if (d >= 0 && crit[c].dim != d)
                continue;
            const uint8_t *oc = a->outcome + c * n + b;
            for (size_t k = 0; k < m; k++) {
                fail[k] |= oc[k] == POV_FAIL;
                unk[k] |= oc[k] == POV_UNKNOWN;
            }
        }
        for (size_t k = 0; k < m; k++)
            out[b + k] = fail[k] ? POV_FAIL : unk[k] ? POV_UNKNOWN : POV_PASS;
    }
}

/* ok[k] = cmp_op(op, x[k], t[k]) for k < m (per-row thresholds). */
static void cmp_block_rows(int op, const double *x, const double *t, size_t m, uint8_t *ok) {
    switch (op) {
    case POVI_OP_LT: for (size_t k = 0; k < m; k++) ok[k] = x[k] < t[k]; break;
    case POVI_OP_LE: for (size_t k = 0; k < m; k++) ok[k] = x[k] <= t[k]; break;
    case POVI_OP_GT: for (size_t k = 0; k < m; k++) ok[k] = x[k] > t[k]; break;
    case POVI_OP_GE: for (size_t k = 0; k < m; k++) ok[k] = x[k] >= t[k]; break;
    case POVI_OP_EQ: for (size_t k = 0; k < m; k++) ok[k] = x[k] == t[k]; break;
    default: for (size_t k = 0; k < m; k++) ok[k] = x[k] != t[k]; break;
    }
}

/*
 * One criterion with at most one test, over one block of m rows, in one loop
 * per pass (the common shape: every trigger of the embedded monitoring
 * policies). Same results as the general path of assess_rows: st are the
 * condition's states (NULL: no condition) and cv its values (NULL: 0/1/NaN
 * from the states, as the fast path gives), x the test's values and th its
 * per-row thresholds (NULL: the constant thc). Writes outcome, reported test
 * (0, or -1 for the condition), value and, with per-row thresholds, the
 * reported threshold into tr. The flags are constants in each copy of the
 * loop (see simple_block), so the loop has no test of them.
 */
#if defined(__GNUC__)
#define POVI_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define POVI_ALWAYS_INLINE inline
#endif
static inline uint64_t to_bits(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}
static inline double from_bits(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}
/* The value of a condition state: 0, 1, or NaN for POV_COND_MISSING (2),
 * without a branch. */
static inline double state_value(uint8_t s) {
    const uint64_t miss = (uint64_t)0 - (uint64_t)(s >> 1);
    return from_bits((to_bits((double)s) & ~miss) | (to_bits(NAN) & miss));
}

_Static_assert(POV_FAIL == 0 && POV_PASS == 1 && POV_UNKNOWN == 2 && POV_COND_FALSE == 0 &&
                   POV_COND_TRUE == 1 && POV_COND_MISSING == 2,
               "simple_rows computes outcomes and states arithmetically");
static POVI_ALWAYS_INLINE void simple_rows(int op, int has_st, int has_cv, int has_th, size_t m,
                                           const uint8_t *st, const double *cv, const double *x,
                                           const double *th, double thc, uint8_t *oc,
                                           int8_t *tc, double *vc, double *tr) {
    /* three passes over the block, each one type wide so that it vectorises:
     * the test's flags (doubles in, bytes out), the outcome and the reported
     * part (bytes only), the reported value (doubles, selected by a byte) */
    uint8_t fl[BLOCK], rep[BLOCK];
    for (size_t k = 0; k < m; k++) {
        const double xv = x[k], t = has_th ? th[k] : thc;
        const int miss = xv != xv, ok = cmp_op(op, xv, t);
        fl[k] = (uint8_t)(miss | (((miss ^ 1) & (ok ^ 1)) << 1)); /* bit 0 missing, 1 fails */
    }
    /* Blame order: failing test, false condition, unknown test, missing
     * condition. Outcome: FAIL (0) if the test fails or the condition is
     * false, else UNKNOWN (2) if either is missing, else PASS (1). */
    for (size_t k = 0; k < m; k++) {
        const uint8_t s = has_st ? st[k] : (uint8_t)POV_COND_TRUE;
        const uint8_t miss = fl[k] & 1u, ff = fl[k] >> 1;
        const uint8_t cf = s == POV_COND_FALSE, cu = s >> 1; /* s == POV_COND_MISSING */
        const uint8_t fail = ff | cf;
        const uint8_t o = (uint8_t)((fail ^ 1u) * (1u + (miss | cu)));
        const uint8_t cond_rep = (ff ^ 1u) & (cf | ((miss ^ 1u) & cu));
        oc[k] = o;
        tc[k] = (int8_t)-cond_rep;
        rep[k] = cond_rep;
    }
    /* selects on the bits (a conditional here becomes a branch per row) */
    for (size_t k = 0; k < m; k++) {
        const double cval = has_cv ? cv[k] : has_st ? state_value(st[k]) : (double)NAN;
        const uint64_t mk = (uint64_t)0 - rep[k];
        vc[k] = from_bits((to_bits(x[k]) & ~mk) | (to_bits(cval) & mk));
        if (has_th)
            tr[k] = from_bits((to_bits(th[k]) & ~mk) | (to_bits(NAN) & mk));
    }
}

/* A criterion with a condition and no test: the condition is reported. */
POVI_SIMD_CLONES
static void cond_only_rows(size_t m, const uint8_t *st, const double *cv, uint8_t *oc,
                           int8_t *tc, double *vc) {
    for (size_t k = 0; k < m; k++) {
        const uint8_t s = st[k]; /* FALSE -> FAIL, TRUE -> PASS, MISSING -> UNKNOWN */
        oc[k] = s;
        tc[k] = -1;
    }
    if (cv)
        memcpy(vc, cv, m * sizeof *vc);
    else
        for (size_t k = 0; k < m; k++)
            vc[k] = state_value(st[k]);
}

#define SIMPLE_OPS(has_st, has_cv, has_th)                                                   \
    switch (op) {                                                                            \
    case POVI_OP_LT: simple_rows(POVI_OP_LT, has_st, has_cv, has_th, SIMPLE_ARGS); break;    \
    case POVI_OP_LE: simple_rows(POVI_OP_LE, has_st, has_cv, has_th, SIMPLE_ARGS); break;    \
    case POVI_OP_GT: simple_rows(POVI_OP_GT, has_st, has_cv, has_th, SIMPLE_ARGS); break;    \
    case POVI_OP_GE: simple_rows(POVI_OP_GE, has_st, has_cv, has_th, SIMPLE_ARGS); break;    \
    case POVI_OP_EQ: simple_rows(POVI_OP_EQ, has_st, has_cv, has_th, SIMPLE_ARGS); break;    \
    default: simple_rows(POVI_OP_NE, has_st, has_cv, has_th, SIMPLE_ARGS); break;            \
    }
#define SIMPLE_ARGS m, st, cv, x, th, thc, oc, tc, vc, tr

/* simple_rows for one test (x non-NULL), with its flags as constants. */
POVI_SIMD_CLONES
static void simple_block(int op, size_t m, const uint8_t *st, const double *cv, const double *x,
                         const double *th, double thc, uint8_t *oc, int8_t *tc, double *vc,
                         double *tr) {
    if (!st) {
        if (th)
            SIMPLE_OPS(0, 0, 1)
        else
            SIMPLE_OPS(0, 0, 0)
    } else if (!cv) {
        if (th)
            SIMPLE_OPS(1, 0, 1)
        else
            SIMPLE_OPS(1, 0, 0)
    } else {
        if (th)
            SIMPLE_OPS(1, 1, 1)
        else
            SIMPLE_OPS(1, 1, 0)
    }
}
#undef SIMPLE_ARGS
#undef SIMPLE_OPS

/* The "value" node of test @p t of criterion @p cr in the resolved policy
 * document, or NULL. */
static const cJSON *test_value_node(const pov_policy *p, int level, const povi_pcrit *cr,
                                    size_t t) {
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(p->resolved, level_names[level]);
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
        if (!cJSON_IsString(id) || strcmp(id->valuestring, cr->id) != 0)
            continue;
        const cJSON *tests = cJSON_GetObjectItemCaseSensitive(item, "tests");
        const cJSON *te = cJSON_GetArrayItem(tests, (int)t);
        return cJSON_GetObjectItemCaseSensitive(te, "value");
    }
    return NULL;
}

/*
 * Value storage of an assessment (see value_at()): criteria of the simple
 * shape (one test, a fast-path condition or none) keep their test's values in
 * an array shared by the criteria with the same test value (the same column,
 * or the same shared expression: src); fast-path conditions without tests
 * need no array; the others have their own. Sets a->vmode, a->vcol and
 * a->value; writer[c] = 1 for the criterion that fills a shared array.
 * Criteria not evaluated (@p mask) read NaN.
 */
static int plan_values(pov_assessment *a, const povi_pcrit *crit, size_t n, const uint8_t *mask,
                       const uint8_t *avail, const size_t *tbase, const size_t *src,
                       uint8_t *writer) {
    const size_t nc = a->nc;
    size_t *slot = malloc((nc + 1) * sizeof *slot), nslots = 0;
    if (!slot)
        return povi_error(POV_ENOMEM, "out of memory");
    for (size_t c = 0; c < nc; c++) {
        const povi_pcrit *cr = &crit[c];
        const int evaluated = !(mask && !mask[c]) && avail[c];
        const int fast_or_none = !cr->cond || cr->fast;
        if (evaluated && cr->n_tests == 0 && cr->cond && cr->fast) {
            a->vmode[c] = VAL_STATE;
            continue;
        }
        a->vmode[c] = evaluated && cr->n_tests == 1 && fast_or_none ? VAL_TEST : VAL_OWN;
        slot[c] = SIZE_MAX;
        if (a->vmode[c] == VAL_TEST) {
            const povi_ptest *te = &cr->tests[0];
            for (size_t c2 = 0; c2 < c && slot[c] == SIZE_MAX; c2++) {
                const povi_ptest *t2 = &crit[c2].tests[0];
                if (a->vmode[c2] == VAL_TEST &&
                    (te->direct >= 0 ? t2->direct == te->direct
                                     : t2->direct < 0 && src[tbase[c2]] == src[tbase[c]]))
                    slot[c] = slot[c2];
            }
        }
        if (slot[c] == SIZE_MAX) {
            slot[c] = nslots++;
            writer[c] = 1;
        }
    }
    a->value = povi_big_try_alloc((nslots ? nslots : 1) * (n ? n : 1) * sizeof(double));
    if (!a->value) {
        free(slot);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < nc; c++) {
        a->vcol[c] = a->vmode[c] == VAL_STATE ? NULL : a->value + slot[c] * n;
        if (mask && !mask[c])
            for (size_t i = 0; i < n; i++)
                a->vcol[c][i] = NAN;
    }
    free(slot);
    return 0;
}

/*
 * Assesses rows of @p v. @p years: per-row years (NULL: @p year for every
 * row). @p mask: criteria to evaluate (NULL: all). Fills @p a, whose arrays
 * are allocated by the caller.
 *
 * Block by block, every criterion of the block in turn (the columns of a
 * block stay in cache across criteria), so that a test expression that
 * several criteria share (the monitoring policies' rigid-spending sum is the
 * test of four triggers) is evaluated once per block: tests with the same
 * "value" in the resolved document and no direct column read the first one's
 * values. The per-row work is loops of selects without branches.
 *
 * Errors: the one the criterion-by-criterion order would meet first (the
 * lowest criterion, and in it the first row). Once criterion c fails, only
 * criteria before c are evaluated further, so errors are raised in strictly
 * decreasing criterion order and the last one raised is that one.
 */
static int assess_rows(const pov_policy *p, const povi_colview *v, int year, const int *years,
                       const uint8_t *mask, const uint8_t *avail, pov_assessment *a) {
    size_t n = v->n_households, nc = p->n_crit[a->level];
    const povi_pcrit *crit = p->crit[a->level];
    size_t nt = 0; /* tests in all */
    for (size_t c = 0; c < nc; c++)
        nt += crit[c].n_tests;
    size_t mt = a->max_tests ? a->max_tests : 1;
    /* per flat test: its block of values; per test of the current criterion:
     * the per-row thresholds; per criterion: regional flag, first flat test,
     * and 8 threshold caches */
    double *vbuf = malloc(((nt ? nt : 1) + mt + 1) * BLOCK * sizeof(double));
    size_t *tbase = malloc((nc + 1) * sizeof *tbase), *src = malloc((nt + 1) * sizeof *src);
    uint8_t *regional = calloc(nc + 1, 1);
    thr_cache *caches = calloc(nc * 8 + 1, sizeof *caches);
    const double **tv = malloc(mt * sizeof *tv); /* values of test t of the criterion */
    uint8_t *writer = calloc(nc + 1, 1); /* criterion c fills its shared value array */
    if (!vbuf || !tbase || !src || !regional || !caches || !tv || !writer) {
        free(writer);
        free(tv);
        free(vbuf);
        free(tbase);
        free(src);
        free(regional);
        free(caches);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    double *ths = vbuf + (nt ? nt : 1) * BLOCK, *nanblk = ths + mt * BLOCK;
    for (size_t k = 0; k < BLOCK; k++)
        nanblk[k] = NAN;
    /* shared test expressions */
    for (size_t c = 0, f = 0; c < nc; c++) {
        tbase[c] = f;
        for (size_t t = 0; t < crit[c].n_tests; t++, f++) {
            src[f] = f;
            if (crit[c].tests[t].direct >= 0 || !crit[c].tests[t].expr || (mask && !mask[c]) ||
                !avail[c])
                continue;
            const cJSON *node = test_value_node(p, a->level, &crit[c], t);
            for (size_t c2 = 0, f2 = 0; node && c2 < c && src[f] == f; c2++)
                for (size_t t2 = 0; t2 < crit[c2].n_tests; t2++, f2++)
                    if (src[f2] == f2 && crit[c2].tests[t2].direct < 0 && crit[c2].tests[t2].expr &&
                        !(mask && !mask[c2]) && avail[c2]) {
                        const cJSON *n2 = test_value_node(p, a->level, &crit[c2], t2);
                        if (n2 && cJSON_Compare(node, n2, 1)) {
                            src[f] = f2;
                            break;
                        }
                    }
        }
    }
    int rc = plan_values(a, crit, n, mask, avail, tbase, src, writer);
    size_t err_c = rc ? 0 : nc; /* criteria >= err_c have failed or follow one that has */
    /* thresholds: constant, or per row */
    for (size_t c = 0; c < nc && !rc; c++) {
        if (mask && !mask[c])
            continue;
        const povi_pcrit *cr = &crit[c];
        int reg = years != NULL;
        for (size_t t = 0; t < cr->n_tests && !reg; t++)
            reg = povi_thr_regional(p, &cr->tests[t].thr, year);
        regional[c] = (uint8_t)reg;
        double *tconst = a->thr_const + c * a->max_tests;
        if (!reg) {
            for (size_t t = 0; t < cr->n_tests; t++) {
                const char *why = "";
                int r = povi_thr_resolve(p, &cr->tests[t].thr, year, NULL, 0, &tconst[t], &why);
                if (r) {
                    rc = povi_error(r, "%s criterion '%s': no %s value for %d",
                                    level_names[a->level], cr->id, why, year);
                    break;
                }
            }
        } else if (cr->n_tests && !(a->thr_row[c] = povi_big_try_alloc(n * sizeof(double)))) {
            rc = povi_error(POV_ENOMEM, "out of memory");
        }
        if (rc) {
            err_c = c;
            break;
        }
        if (!avail[c]) { /* data not collected in this schema: unknown */
            uint8_t *oc = a->outcome + c * n;
            int8_t *tc = a->test + c * n;
            double *vc = a->vcol[c], *trow = a->thr_row[c];
            for (size_t i = 0; i < n; i++) {
                oc[i] = POV_UNKNOWN;
                tc[i] = cr->n_tests ? 0 : -1;
                vc[i] = NAN;
                if (trow)
                    trow[i] = NAN;
            }
        }
    }
    for (size_t b = 0; b < n && err_c > 0; b += BLOCK) {
        size_t e = b + BLOCK < n ? b + BLOCK : n, m = e - b;
        for (size_t c = 0; c < nc && c < err_c; c++) {
            if ((mask && !mask[c]) || !avail[c])
                continue;
            const povi_pcrit *cr = &crit[c];
            const double *tconst = a->thr_const + c * a->max_tests;
            thr_cache *cache = caches + c * 8;
            uint8_t st[BLOCK], cfail[BLOCK], cunk[BLOCK], ok[BLOCK];
            int8_t ffail[BLOCK], funk[BLOCK];
            double cval[BLOCK];
            int erow = 0, r;
            if (cr->n_tests <= 1 && (cr->cond || cr->n_tests)) {
                /* the common shape: one loop per row */
                const uint8_t *sp = NULL;
                const double *cv = NULL, *x = NULL, *th = NULL;
                if (cr->cond && cr->fast) {
                    povi_fast_eval(cr->fast, v, b, e, st);
                    sp = st;
                } else if (cr->cond) {
                    povi_condition_eval_batch(cr->cond, v, b, e, cval, st);
                    sp = st;
                    cv = cval;
                }
                if (cr->n_tests) {
                    const povi_ptest *te = &cr->tests[0];
                    size_t f = tbase[c];
                    if (te->direct >= 0) {
                        const double *col = v->num[te->direct];
                        x = col ? col + b : nanblk;
                    } else if (src[f] != f) {
                        x = vbuf + src[f] * BLOCK;
                    } else {
                        povi_condition_eval_batch(te->expr, v, b, e, vbuf + f * BLOCK, NULL);
                        x = vbuf + f * BLOCK;
                    }
                    if (regional[c]) {
                        double *tb = ths;
                        const int32_t *vcol = v->cat[POVI_VILLAGE_CODE];
                        thr_cache *ca = &cache[0];
                        for (size_t k = 0; k < m && !erow; k++) {
                            int y = years ? years[b + k] : year;
                            int32_t vs = vcol ? vcol[b + k] : -1;
                            if (ca->valid && ca->year == y && ca->village == vs && vs >= 0)
                                tb[k] = ca->value;
                            else if ((r = row_thr(p, a->level, cr, 0, v, b + k, y, ca, &tb[k]))) {
                                rc = r; /* later successful calls must not reset it */
                                erow = 1;
                            }
                        }
                        if (erow) {
                            err_c = c;
                            break;
                        }
                        th = tb;
                    }
                }
                /* values: into the criterion's own array, or (shared and
                 * derived values, see value_at()) into a scratch block */
                double *vout = a->vmode[c] == VAL_OWN ? a->vcol[c] + b : cval;
                if (x && a->vmode[c] == VAL_TEST && writer[c])
                    memcpy(a->vcol[c] + b, x, m * sizeof *x);
                if (x)
                    simple_block(cr->tests[0].op, m, sp, cv, x, th, tconst[0],
                                 a->outcome + c * n + b, a->test + c * n + b, vout,
                                 th ? a->thr_row[c] + b : NULL);
                else
                    cond_only_rows(m, sp, cv, a->outcome + c * n + b, a->test + c * n + b,
                                   vout);
                continue;
            }
            if (cr->cond) {
                cond_states(cr->cond, cr->fast, v, b, e, cval, st);
                for (size_t k = 0; k < m; k++) {
                    cfail[k] = st[k] == POV_COND_FALSE;
                    cunk[k] = st[k] == POV_COND_MISSING;
                }
            } else {
                memset(cfail, 0, m);
                memset(cunk, 0, m);
                for (size_t k = 0; k < m; k++)
                    cval[k] = NAN;
            }
            memset(ffail, -2, m);
            memset(funk, -2, m);
            for (size_t t = 0; t < cr->n_tests; t++) {
                const povi_ptest *te = &cr->tests[t];
                size_t f = tbase[c] + t;
                double *own = vbuf + f * BLOCK;
                const double *vals;
                if (te->direct >= 0) { /* a plain household number: its column */
                    const double *col = v->num[te->direct];
                    vals = col ? col + b : nanblk;
                } else if (src[f] != f) { /* the same expression as an earlier test */
                    vals = vbuf + src[f] * BLOCK;
                } else {
                    povi_condition_eval_batch(te->expr, v, b, e, own, NULL);
                    vals = own;
                }
                tv[t] = vals;
                if (!regional[c]) { /* one threshold */
                    cmp_block(te->op, vals, tconst[t], m, ok);
                } else {
                    double *th = ths + t * BLOCK;
                    const int32_t *vcol = v->cat[POVI_VILLAGE_CODE];
                    thr_cache *ca = &cache[t & 7];
                    for (size_t k = 0; k < m; k++) {
                        int y = years ? years[b + k] : year;
                        int32_t vs = vcol ? vcol[b + k] : -1;
                        if (ca->valid && ca->year == y && ca->village == vs && vs >= 0) {
                            th[k] = ca->value;
                            continue;
                        }
                        if ((r = row_thr(p, a->level, cr, t, v, b + k, y, ca, &th[k]))) {
                            rc = r;
                            erow = 1;
                            break;
                        }
                    }
                    if (erow)
                        break;
                    cmp_block_rows(te->op, vals, th, m, ok);
                }
                /* first unknown (NaN value) and first failing test per row */
                const int8_t tt = (int8_t)t;
                for (size_t k = 0; k < m; k++) {
                    const int miss = vals[k] != vals[k];
                    funk[k] = ((funk[k] == -2) & miss) ? tt : funk[k];
                    ffail[k] = ((ffail[k] == -2) & !miss & !ok[k]) ? tt : ffail[k];
                }
            }
            if (erow) {
                err_c = c;
                break;
            }
            /* blame order: failing test, false condition, unknown test, missing
             * condition; then the reported test's value (and threshold), or
             * the condition's value */
            uint8_t *oc = a->outcome + c * n + b;
            int8_t *tc = a->test + c * n + b;
            double *vc = a->vcol[c] + b;
            const int8_t pass_rep = cr->n_tests ? 0 : -1;
            for (size_t k = 0; k < m; k++) {
                const int8_t ff = ffail[k], fu = funk[k];
                const int fail = (ff >= 0) | cfail[k], unk = (fu >= 0) | cunk[k];
                int8_t rep = cunk[k] ? -1 : pass_rep;
                rep = fu >= 0 ? fu : rep;
                rep = cfail[k] ? -1 : rep;
                rep = ff >= 0 ? ff : rep;
                uint8_t o = unk ? POV_UNKNOWN : POV_PASS;
                oc[k] = fail ? POV_FAIL : o;
                tc[k] = rep;
            }
            if (cr->n_tests == 1) {
                const double *v0 = tv[0];
                for (size_t k = 0; k < m; k++)
                    vc[k] = tc[k] < 0 ? cval[k] : v0[k];
            } else {
                memcpy(vc, cval, m * sizeof *vc);
                for (size_t t = 0; t < cr->n_tests; t++) {
                    const double *vt = tv[t];
                    const int8_t tt = (int8_t)t;
                    for (size_t k = 0; k < m; k++)
                        vc[k] = tc[k] == tt ? vt[k] : vc[k];
                }
            }
            if (a->thr_row[c]) {
                double *tr = a->thr_row[c] + b;
                for (size_t k = 0; k < m; k++)
                    tr[k] = NAN;
                for (size_t t = 0; t < cr->n_tests; t++) {
                    const double *th = ths + t * BLOCK;
                    const int8_t tt = (int8_t)t;
                    for (size_t k = 0; k < m; k++)
                        tr[k] = tc[k] == tt ? th[k] : tr[k];
                }
            }
        }
    }
    free(vbuf);
    free(tbase);
    free(src);
    free(regional);
    free(caches);
    free(tv);
    free(writer);
    if (rc)
        return rc;
    /* eligibility and the six dimensions (monitoring: the groups decide the
     * monitored flag, monitor_groups() writes it) */
    if (a->eligible && !a->group)
        combine_outcomes(a, nc ? crit : NULL, -1, a->eligible);
    if (a->tt)
        for (int d = 0; d < POV_TT_COUNT; d++)
            combine_outcomes(a, crit, d, a->tt + (size_t)d * n);
    return 0;
}

static int check_year(int year) {
    if (year < 1949 || year > 2100)
        return povi_error(POV_EINVAL, "year %d outside 1949..2100", year);
    return 0;
}

static int monitor_groups(const pov_policy *p, const povi_colview *v, size_t limit,
                          pov_assessment *a);

#define assess_view(p, v, o, year, years, mask, want_tt, out)                                   \
    assess_view_level(p, POV_POLICY_HOUSEHOLD, v, o, year, years, mask, want_tt, out)

/* Allocates and computes an assessment of @p v on the criteria of @p level. */
static int assess_view_level(const pov_policy *p, int level, const povi_colview *v,
                             const pov_derive_options *o, int year, const int *years,
                             const uint8_t *mask, int want_tt, pov_assessment **out) {
    *out = NULL;
    size_t nc = p->n_crit[level], n = v->n_households, limit = 0;
    uint8_t *avail = calloc(nc ? nc : 1, 1);
    if (!avail)
        return povi_error(POV_ENOMEM, "out of memory");
    int r = check_data(p, level, v, o, avail, &limit);
    if (r) {
        free(avail);
        return r;
    }
    pov_assessment *a = calloc(1, sizeof *a);
    if (!a) {
        free(avail);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    g_mutex_init(&a->vlock);
    a->policy = povi_policy_ref(p);
    a->level = level;
    a->n = n;
    a->nc = nc;
    for (size_t c = 0; c < nc; c++)
        if (p->crit[level][c].n_tests > a->max_tests)
            a->max_tests = p->crit[level][c].n_tests;
    size_t cells = (nc * n) > 0 ? nc * n : 1;
    /* the per-household arrays are large: huge pages where offered */
    a->outcome = povi_big_try_alloc(cells);
    a->test = povi_big_try_alloc(cells);
    a->vmode = calloc(nc + 1, 1);
    a->vcol = calloc(nc + 1, sizeof *a->vcol);
    a->vmat = calloc(nc + 1, sizeof *a->vmat);
    a->thr_const = calloc(nc * a->max_tests + 1, sizeof(double));
    a->thr_row = calloc(nc + 1, sizeof(double *));
    a->eligible = povi_big_try_alloc(n ? n : 1);
    a->tt = want_tt ? povi_big_try_alloc(POV_TT_COUNT * (n ? n : 1)) : NULL;
    a->group = level == POV_POLICY_MONITORING ? povi_big_try_alloc(n ? n : 1) : NULL;
    if (!a->outcome || !a->test || !a->vmode || !a->vcol || !a->vmat || !a->thr_const || !a->thr_row || !a->eligible ||
        (want_tt && !a->tt) || (level == POV_POLICY_MONITORING && !a->group)) {
        free(avail);
        pov_assessment_free(a);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    if (mask) { /* criteria not evaluated read as unknown */
        memset(a->outcome, POV_UNKNOWN, cells);
        memset(a->test, -1, cells);
    }
    r = assess_rows(p, v, year, years, mask, avail, a);
    free(avail);
    if (!r && a->group)
        r = monitor_groups(p, v, limit, a);
    if (r) {
        pov_assessment_free(a);
        return r;
    }
    *out = a;
    return 0;
}

int pov_policy_assess_dataset(const pov_policy *p, const pov_dataset *ds, int year,
                              pov_assessment **out) {
    if (out)
        *out = NULL;
    if (!p || !ds || !out)
        return povi_error(POV_EINVAL, "pov_policy_assess_dataset: NULL argument");
    int r = check_year(year);
    if (r)
        return r;
    povi_colview v;
    povi_dataset_colview(ds, &v);
    return assess_view(p, &v, povi_dataset_options(ds), year, NULL, NULL, 1, out);
}

int pov_policy_assess_household(const pov_policy *p, const pov_household *h, int year,
                                pov_assessment **out) {
    if (out)
        *out = NULL;
    if (!p || !h || !out)
        return povi_error(POV_EINVAL, "pov_policy_assess_household: NULL argument");
    return pov_policy_assess_dataset(p, povi_household_dataset(h), year, out);
}

/* ---- monitoring and risk elimination (docs/policy-format.md §12, §13) ---- */

/* Group of every household: group g's membership is its base condition AND
 * (some trigger of g fired), in three-valued logic (a trigger that is unknown
 * counts as missing). The first group in precedence order (unstable_exited,
 * marginal, sudden_hardship) whose membership is true wins, provided every
 * group before it is false; an earlier missing membership, or no true one
 * with some missing, gives POV_GROUP_UNKNOWN. Groups without a condition in
 * the policy are false. Monitored (a->eligible): group 1..3 -> PASS, none ->
 * FAIL, unknown -> UNKNOWN.
 *
 * Base conditions of the simple shape (the embedded policies': `in` or `==`
 * on registry_status) run on the fast path, the others in the interpreter;
 * the folds below are branch-free loops over a block of rows. */
/* Membership of one group over a block: trigger TRUE if one fired, else
 * MISSING if one is unknown, else FALSE; membership = base AND trigger
 * (Kleene: FALSE if either is, TRUE if both are, else MISSING). */
POVI_SIMD_CLONES
static void group_membership(size_t m, const uint8_t *fired, const uint8_t *unk,
                             const uint8_t *base, uint8_t *memb) {
    for (size_t k = 0; k < m; k++) {
        const uint8_t trig = (uint8_t)(fired[k] | ((fired[k] ^ 1u) & unk[k]) << 1);
        const uint8_t bk = base[k];
        const uint8_t nz = (uint8_t)((bk != 0) & (trig != 0));
        memb[k] = (uint8_t)(nz * (1u + ((bk | trig) >> 1)));
    }
}

/* The first group (in precedence order) whose membership is not FALSE
 * decides: TRUE gives the group, MISSING gives POV_GROUP_UNKNOWN; monitored
 * (eligible) is PASS for groups 1..3, FAIL for none, UNKNOWN for unknown. */
POVI_SIMD_CLONES
static void group_decide(size_t m, uint8_t memb[][BLOCK], uint8_t *go, uint8_t *el) {
    for (size_t k = 0; k < m; k++) {
        uint8_t grp = POV_GROUP_NONE;
        for (int g = POVI_NGROUPS - 1; g >= 0; g--) {
            const uint8_t s = memb[g][k];
            const uint8_t t = (uint8_t)-(s == POV_COND_TRUE), mi = (uint8_t)-(s >> 1);
            const uint8_t val = (uint8_t)((t & (uint8_t)(g + 1)) | (mi & POV_GROUP_UNKNOWN));
            grp = (uint8_t)((grp & (uint8_t)~(t | mi)) | val);
        }
        go[k] = grp;
        el[k] = (uint8_t)((grp != POV_GROUP_NONE) * (1u + (grp == POV_GROUP_UNKNOWN)));
    }
}

static int monitor_groups(const pov_policy *p, const povi_colview *v, size_t limit,
                          pov_assessment *a) {
    size_t n = a->n;
    povi_fast *gfast[POVI_NGROUPS] = {NULL};
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(p->resolved, "monitoring_groups");
    for (int g = 0; g < POVI_NGROUPS; g++) {
        if (!p->group_cond[g] || p->group_max_input[g] >= (int32_t)limit)
            continue;
        const cJSON *grp = cJSON_GetObjectItemCaseSensitive(groups, pov_monitor_group_name(g + 1));
        const cJSON *cond = cJSON_GetObjectItemCaseSensitive(grp, "condition");
        if (cond)
            gfast[g] = povi_fast_build(p->schema, cond);
    }
    uint8_t base[BLOCK], fired[BLOCK], unk[BLOCK], memb[POVI_NGROUPS][BLOCK];
    for (size_t b = 0; b < n; b += BLOCK) {
        size_t e = b + BLOCK < n ? b + BLOCK : n, m = e - b;
        for (int g = 0; g < POVI_NGROUPS; g++) {
            const pov_condition *gc = p->group_cond[g];
            if (!gc) {
                memset(memb[g], POV_COND_FALSE, m);
                continue;
            }
            if (p->group_max_input[g] >= (int32_t)limit)
                memset(base, POV_COND_MISSING, m);
            else
                cond_states(gc, gfast[g], v, b, e, NULL, base);
            memset(fired, 0, m);
            memset(unk, 0, m);
            for (size_t c = 0; c < a->nc; c++) {
                if (!(p->crit[POV_POLICY_MONITORING][c].groups & (1u << g)))
                    continue;
                const uint8_t *oc = a->outcome + c * n + b;
                for (size_t k = 0; k < m; k++) {
                    fired[k] |= oc[k] == POV_PASS;
                    unk[k] |= oc[k] == POV_UNKNOWN;
                }
            }
            group_membership(m, fired, unk, base, memb[g]);
        }
        group_decide(m, memb, a->group + b, a->eligible + b);
    }
    for (int g = 0; g < POVI_NGROUPS; g++)
        povi_fast_free(gfast[g]);
    return 0;
}

static int level_dataset(const pov_policy *p, int level, const pov_dataset *ds, int year,
                         const char *fn, pov_assessment **out) {
    if (out)
        *out = NULL;
    if (!p || !ds || !out)
        return povi_error(POV_EINVAL, "%s: NULL argument", fn);
    int r = check_year(year);
    if (r)
        return r;
    if (p->n_crit[level] == 0)
        return povi_error(POV_ENOTFOUND, "policy '%s' has no %s criteria", p->id,
                          level_names[level]);
    povi_colview v;
    povi_dataset_colview(ds, &v);
    return assess_view_level(p, level, &v, povi_dataset_options(ds), year, NULL, NULL, 0, out);
}

int pov_policy_monitor_dataset(const pov_policy *p, const pov_dataset *ds, int year,
                               pov_assessment **out) {
    return level_dataset(p, POV_POLICY_MONITORING, ds, year, "pov_policy_monitor_dataset", out);
}

int pov_policy_monitor_household(const pov_policy *p, const pov_household *h, int year,
                                 pov_assessment **out) {
    if (out)
        *out = NULL;
    if (!p || !h || !out)
        return povi_error(POV_EINVAL, "pov_policy_monitor_household: NULL argument");
    return pov_policy_monitor_dataset(p, povi_household_dataset(h), year, out);
}

int pov_policy_eliminate_dataset(const pov_policy *p, const pov_dataset *ds, int year,
                                 pov_assessment **out) {
    return level_dataset(p, POV_POLICY_ELIMINATION, ds, year, "pov_policy_eliminate_dataset",
                         out);
}

int pov_policy_eliminate_household(const pov_policy *p, const pov_household *h, int year,
                                   pov_assessment **out) {
    if (out)
        *out = NULL;
    if (!p || !h || !out)
        return povi_error(POV_EINVAL, "pov_policy_eliminate_household: NULL argument");
    return pov_policy_eliminate_dataset(p, povi_household_dataset(h), year, out);
}

int pov_assessment_level(const pov_assessment *a) {
    return a ? a->level : povi_error(POV_EINVAL, "pov_assessment_level: NULL argument");
}

const uint8_t *pov_assessment_groups(const pov_assessment *a) { return a ? a->group : NULL; }

const char *pov_monitor_group_name(int group) {
    static const char *const names[] = {"none", "unstable_exited", "marginal",
                                        "sudden_hardship", "unknown"};
    return group >= 0 && group <= POV_GROUP_UNKNOWN ? names[group] : NULL;
}

/* Only the criteria of the six dimensions. */
static int two_three(const pov_policy *p, const pov_dataset *ds, int year, pov_assessment **a) {
    size_t nc = p->n_crit[POV_POLICY_HOUSEHOLD];
    uint8_t *mask = calloc(nc ? nc : 1, 1);
    if (!mask)
        return povi_error(POV_ENOMEM, "out of memory");
    for (size_t c = 0; c < nc; c++)
        mask[c] = p->crit[POV_POLICY_HOUSEHOLD][c].dim >= 0;
    povi_colview v;
    povi_dataset_colview(ds, &v);
    int r = assess_view(p, &v, povi_dataset_options(ds), year, NULL, mask, 1, a);
    free(mask);
    return r;
}

int pov_policy_two_three_household(const pov_policy *p, const pov_household *h, int year,
                                   int *out) {
    if (!p || !h || !out)
        return povi_error(POV_EINVAL, "pov_policy_two_three_household: NULL argument");
    int r = check_year(year);
    if (r)
        return r;
    pov_assessment *a;
    if ((r = two_three(p, povi_household_dataset(h), year, &a)))
        return r;
    for (int d = 0; d < POV_TT_COUNT; d++)
        out[d] = a->tt[d];
    pov_assessment_free(a);
    return 0;
}

int pov_policy_two_three_dataset(const pov_policy *p, const pov_dataset *ds, int year,
                                 uint8_t *out) {
    if (!p || !ds || !out)
        return povi_error(POV_EINVAL, "pov_policy_two_three_dataset: NULL argument");
    int r = check_year(year);
    if (r)
        return r;
    pov_assessment *a;
    if ((r = two_three(p, ds, year, &a)))
        return r;
    memcpy(out, a->tt, POV_TT_COUNT * a->n);
    pov_assessment_free(a);
    return 0;
}

size_t pov_assessment_count(const pov_assessment *a) { return a ? a->n : 0; }
size_t pov_assessment_criterion_count(const pov_assessment *a) { return a ? a->nc : 0; }

static double assess_thr(const pov_assessment *a, size_t row, size_t c) {
    int t = a->test[c * a->n + row];
    if (t < 0)
        return NAN;
    return a->thr_row[c] ? a->thr_row[c][row] : a->thr_const[c * a->max_tests + (size_t)t];
}

int pov_assessment_get(const pov_assessment *a, size_t row, size_t c, pov_criterion_result *out) {
    if (!a || !out || row >= a->n || c >= a->nc)
        return povi_error(POV_EINVAL, "pov_assessment_get: bad argument");
    if (out->size < sizeof *out)
        return povi_error(POV_EINVAL, "pov_criterion_result.size is not set");
    size_t k = c * a->n + row;
    out->outcome = a->outcome[k];
    out->test = a->test[k];
    out->value = value_at(a, row, c);
    out->threshold = assess_thr(a, row, c);
    out->margin = out->test < 0
                      ? NAN
                      : margin_of(a->policy->crit[a->level][c].tests[out->test].op, out->value,
                                  out->threshold);
    return 0;
}

const uint8_t *pov_assessment_outcomes(const pov_assessment *a, size_t c) {
    return a && c < a->nc ? a->outcome + c * a->n : NULL;
}
const double *pov_assessment_values(const pov_assessment *a, size_t c) {
    if (!a || c >= a->nc)
        return NULL;
    if (a->vmode[c] == VAL_OWN)
        return a->vcol[c];
    /* built on first use, once (the assessment is shared read-only) */
    pov_assessment *w = (pov_assessment *)a;
    g_mutex_lock(&w->vlock);
    if (!w->vmat[c] && (w->vmat[c] = povi_big_try_alloc((a->n ? a->n : 1) * sizeof(double))))
        for (size_t i = 0; i < a->n; i++)
            w->vmat[c][i] = value_at(a, i, c);
    double *r = w->vmat[c];
    g_mutex_unlock(&w->vlock);
    if (!r)
        povi_error(POV_ENOMEM, "out of memory");
    return r;
}
const uint8_t *pov_assessment_eligible(const pov_assessment *a) { return a ? a->eligible : NULL; }
const uint8_t *pov_assessment_two_three(const pov_assessment *a, int d) {
    return a && a->tt && d >= 0 && d < POV_TT_COUNT ? a->tt + (size_t)d * a->n : NULL;
}

static void append_num(GString *s, double v) {
    if (isfinite(v))
        povi_json_append_number(s, v);
    else
        g_string_append(s, "null");
}

static const char *const tt_names[POV_TT_COUNT] = {"food",    "clothing", "education",
                                                   "medical", "housing",  "water"};

int pov_assessment_to_json(const pov_assessment *a, size_t row, char **out) {
    if (out)
        *out = NULL;
    if (!a || !out || row >= a->n)
        return povi_error(POV_EINVAL, "pov_assessment_to_json: bad argument");
    const pov_policy *p = a->policy;
    GString *s = g_string_new("{\"policy\":");
    povi_json_append_string(s, p->id, strlen(p->id));
    g_string_append(s, ",\"criteria\":[");
    for (size_t c = 0; c < a->nc; c++) {
        pov_criterion_result r = {.size = sizeof r};
        pov_assessment_get(a, row, c, &r);
        const povi_pcrit *cr = &p->crit[a->level][c];
        g_string_append(s, c ? ",{\"id\":" : "{\"id\":");
        povi_json_append_string(s, cr->id, strlen(cr->id));
        g_string_append_printf(s, ",\"outcome\":\"%s\",\"test\":%d,\"value\":",
                               outcome_name(r.outcome), r.test);
        append_num(s, r.value);
        g_string_append_printf(s, ",\"op\":\"%s\",\"threshold\":",
                               r.test >= 0 ? povi_op_name(cr->tests[r.test].op) : "");
        append_num(s, r.threshold);
        g_string_append(s, ",\"margin\":");
        append_num(s, r.margin);
        if (a->level == POV_POLICY_MONITORING) {
            g_string_append(s, ",\"reason\":");
            if (cr->reason >= 0)
                povi_json_append_string(s, p->reasons[cr->reason], strlen(p->reasons[cr->reason]));
            else
                g_string_append(s, "null");
        }
        g_string_append_c(s, '}');
    }
    g_string_append_printf(s, "],\"level\":\"%s\"", level_names[a->level]);
    if (a->group) {
        g_string_append_printf(s, ",\"monitored\":\"%s\",\"group\":\"%s\",\"reasons\":[",
                               outcome_name(a->eligible[row]),
                               pov_monitor_group_name(a->group[row]));
        /* reasons of the fired triggers, each once, in declaration order */
        int first = 1;
        for (size_t k = 0; k < p->n_reasons; k++) {
            int hit = 0;
            for (size_t c = 0; c < a->nc && !hit; c++)
                hit = p->crit[a->level][c].reason == (int)k &&
                      a->outcome[c * a->n + row] == POV_PASS;
            if (!hit)
                continue;
            if (!first)
                g_string_append_c(s, ',');
            first = 0;
            povi_json_append_string(s, p->reasons[k], strlen(p->reasons[k]));
        }
        g_string_append_c(s, ']');
    } else {
        g_string_append_printf(s, ",\"eligible\":\"%s\"", outcome_name(a->eligible[row]));
    }
    if (a->tt) {
        g_string_append(s, ",\"two_three\":{");
        for (int d = 0; d < POV_TT_COUNT; d++)
            g_string_append_printf(s, "%s\"%s\":\"%s\"", d ? "," : "", tt_names[d],
                                   outcome_name(a->tt[(size_t)d * a->n + row]));
        g_string_append_c(s, '}');
    }
    g_string_append_c(s, '}');
    *out = strdup(s->str);
    g_string_free(s, TRUE);
    return *out ? 0 : povi_error(POV_ENOMEM, "out of memory");
}

/* ======================================================================== */
/* Unit inputs                                                                */
/* ======================================================================== */

typedef struct input_val {
    double value;
    int is_bool;
} input_val;

struct pov_unit_inputs {
    GHashTable *map; /* "unit\x1fname" -> input_val */
};

int pov_unit_inputs_new(pov_unit_inputs **out) {
    if (!out)
        return povi_error(POV_EINVAL, "pov_unit_inputs_new: NULL argument");
    pov_unit_inputs *in = calloc(1, sizeof *in);
    if (!in)
        return povi_error(POV_ENOMEM, "out of memory");
    in->map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    *out = in;
    return 0;
}

void pov_unit_inputs_free(pov_unit_inputs *in) {
    if (!in)
        return;
    g_hash_table_destroy(in->map);
    free(in);
}

static int inputs_set(pov_unit_inputs *in, const char *unit, const char *name, double v,
                      int is_bool) {
    if (!in || !unit || !name || !*unit || !*name)
        return povi_error(POV_EINVAL, "unit inputs: NULL or empty unit or name");
    if (!isfinite(v))
        return povi_error(POV_ENONFINITE, "unit %s input '%s' is not a finite number", unit,
                          name);
    input_val *iv = g_new(input_val, 1);
    iv->value = v;
    iv->is_bool = is_bool;
    g_hash_table_replace(in->map, g_strdup_printf("%s\x1f%s", unit, name), iv);
    return 0;
}

int pov_unit_inputs_set_number(pov_unit_inputs *in, const char *unit, const char *name,
                               double value) {
    return inputs_set(in, unit, name, value, 0);
}

int pov_unit_inputs_set_boolean(pov_unit_inputs *in, const char *unit, const char *name,
                                int value) {
    return inputs_set(in, unit, name, value ? 1.0 : 0.0, 1);
}

int pov_unit_inputs_load_string(pov_unit_inputs *in, const char *json, size_t len,
                                const char *source_name) {
    if (!in || !json)
        return povi_error(POV_EINVAL, "pov_unit_inputs_load_string: NULL argument");
    const char *source = source_name ? source_name : "<string>";
    cJSON *root = NULL;
    int r = povi_json_parse(json, len, source, 8, &root);
    if (r)
        return r;
    povi_json_src src = {source, json, len, "", 0, 0};
    char path[512];
    if (!cJSON_IsObject(root)) {
        r = povi_json_error(POV_ETYPE, &src, "", "unit inputs must be an object "
                                                 "{\"<unit code>\": {\"<name>\": value}}");
        goto done;
    }
    for (const cJSON *u = root->child; u && !r; u = u->next) {
        if (!cJSON_IsObject(u)) {
            r = povi_json_error(POV_ETYPE, &src, u->string, "the inputs of unit %s must be an "
                                                            "object", u->string);
            break;
        }
        for (const cJSON *x = u->child; x && !r; x = x->next) {
            POVI_SNPRINTF(path, sizeof path, "%s.%s", u->string, x->string);
            if (cJSON_IsBool(x))
                r = inputs_set(in, u->string, x->string, cJSON_IsTrue(x), 1);
            else if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
                r = inputs_set(in, u->string, x->string, x->valuedouble, 0);
            else if (cJSON_IsNumber(x))
                r = povi_json_error(POV_ENONFINITE, &src, path, "not a finite number");
            else
                r = povi_json_error(POV_ETYPE, &src, path,
                                    "a unit input must be a number or true/false");
            if (r && !cJSON_IsNumber(x) && !cJSON_IsBool(x))
                break;
            if (r) /* inputs_set failed without a location */
                r = povi_json_error(r, &src, path, "%s", pov_error_message(pov_error_last()));
        }
    }
done:
    cJSON_Delete(root);
    return r;
}

static const input_val *inputs_get(const pov_unit_inputs *in, const char *unit,
                                   const char *name) {
    if (!in)
        return NULL;
    char *k = g_strdup_printf("%s\x1f%s", unit, name);
    const input_val *v = g_hash_table_lookup(in->map, k);
    g_free(k);
    return v;
}

/* ======================================================================== */
/* Unit assessment                                                           */
/* ======================================================================== */

/* One blocking household of a unit (there may be millions: kept small; the
 * unit is the one whose boff[] range holds it). */
typedef struct blocker {
    size_t row;
    double value, threshold;
    const char *hid;  /* in the result's string chunk, one copy per household */
    uint16_t crit;
    int16_t hh_crit;  /* -1: not a household criterion */
    uint8_t outcome;  /* POV_FAIL / POV_UNKNOWN */
    uint8_t why;      /* 0 criterion, 1 share condition, 2 registry status unknown */
    int8_t op;
} blocker;

typedef struct ucell {
    uint8_t outcome;
    int8_t test;
    double value, threshold, margin;
} ucell;

struct pov_unit_result {
    const pov_policy *policy;
    int level, year;
    size_t nu, nc;
    char **codes;
    size_t *n_hh;
    double *people;
    uint8_t *outcome;  /* [nu] */
    ucell *cells;      /* [nu * nc] */
    size_t *boff;      /* [nu + 1] */
    blocker *bl;
    size_t nbl;
    GStringChunk *ids; /* ids of blocking households (no allocation per blocker) */
};

void pov_unit_result_free(pov_unit_result *r) {
    if (!r)
        return;
    pov_policy_free(r->policy);
    if (r->codes)
        for (size_t u = 0; u < r->nu; u++)
            g_free(r->codes[u]);
    free(r->codes);
    free(r->n_hh);
    free(r->people);
    free(r->outcome);
    free(r->cells);
    free(r->boff);
    free(r->bl);
    if (r->ids)
        g_string_chunk_free(r->ids);
    free(r);
}

/* Groups the rows of @p v by the text column @p col: unit_of[i], and the
 * sorted distinct codes. */
typedef struct grouping {
    uint32_t *unit_of;
    char **codes;   /* owned copies, sorted */
    size_t *first;  /* first row of each unit */
    size_t nu;
} grouping;

static void grouping_clear(grouping *g) {
    free(g->unit_of);
    if (g->codes)
        for (size_t u = 0; u < g->nu; u++)
            g_free(g->codes[u]);
    free(g->codes);
    free(g->first);
    memset(g, 0, sizeof *g);
}

typedef struct code_idx {
    const char *code;
    size_t idx;
} code_idx;

static int cmp_code_idx(const void *x, const void *y) {
    return strcmp(((const code_idx *)x)->code, ((const code_idx *)y)->code);
}

static int group_rows(const povi_colview *v, int col, const char *colname, grouping *g) {
    size_t n = v->n_households;
    memset(g, 0, sizeof *g);
    const int32_t *c = v->cat[col];
    g->unit_of = malloc((n ? n : 1) * sizeof *g->unit_of);
    if (!g->unit_of)
        return povi_error(POV_ENOMEM, "out of memory");
    GHashTable *map = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *codes = g_ptr_array_new();
    GArray *first = g_array_new(FALSE, FALSE, sizeof(size_t));
    int32_t last_s = -1;
    uint32_t last_u = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t s = c ? c[i] : -1;
        if (s < 0 || (size_t)s >= v->n_strings) {
            g_hash_table_destroy(map);
            g_ptr_array_free(codes, TRUE);
            g_array_free(first, TRUE);
            char path[64];
            POVI_SNPRINTF(path, sizeof path, "[%zu].%s", i, colname);
            povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
            return povi_error_at(POV_EMISSING, &loc, "household %s has no %s", row_id(v, i),
                                 colname);
        }
        if (s == last_s && i > 0) {
            g->unit_of[i] = last_u;
            continue;
        }
        const char *code = v->strings[s];
        gpointer val;
        uint32_t u;
        if (g_hash_table_lookup_extended(map, code, NULL, &val)) {
            u = (uint32_t)GPOINTER_TO_SIZE(val);
        } else {
            u = codes->len;
            g_hash_table_insert(map, (gpointer)code, GSIZE_TO_POINTER((gsize)u));
            g_ptr_array_add(codes, (gpointer)code);
            g_array_append_val(first, i);
        }
        g->unit_of[i] = u;
        last_s = s;
        last_u = u;
    }
    g_hash_table_destroy(map);
    size_t nu = codes->len;
    /* sort units by code and renumber */
    code_idx *order = malloc((nu ? nu : 1) * sizeof *order);
    uint32_t *rank = malloc((nu ? nu : 1) * sizeof *rank);
    g->codes = malloc((nu ? nu : 1) * sizeof *g->codes);
    g->first = malloc((nu ? nu : 1) * sizeof *g->first);
    if (!order || !rank || !g->codes || !g->first) {
        free(order);
        free(rank);
        g_ptr_array_free(codes, TRUE);
        g_array_free(first, TRUE);
        grouping_clear(g);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    for (size_t u = 0; u < nu; u++)
        order[u] = (code_idx){codes->pdata[u], u};
    qsort(order, nu, sizeof *order, cmp_code_idx); /* codes are distinct: no ties */
    for (size_t k = 0; k < nu; k++) {
        rank[order[k].idx] = (uint32_t)k;
        g->codes[k] = g_strdup(order[k].code);
        g->first[k] = g_array_index(first, size_t, order[k].idx);
    }
    for (size_t i = 0; i < n; i++)
        g->unit_of[i] = rank[g->unit_of[i]];
    g->nu = nu;
    free(order);
    free(rank);
    g_ptr_array_free(codes, TRUE);
    g_array_free(first, TRUE);
    return 0;
}

/* Outcome of a test from the two bounds of its value. */
static uint8_t bounds_outcome(int op, double lo, double hi, double th) {
    if (isnan(lo) || isnan(hi))
        return POV_UNKNOWN;
    int a = cmp_op(op, lo, th), b = cmp_op(op, hi, th);
    return a && b ? POV_PASS : (!a && !b ? POV_FAIL : POV_UNKNOWN);
}

typedef struct share_acc {
    double base, met, unk; /* households in the base; passing; unknown outcome */
    double maybe, maybe_pass; /* base membership unknown; of which passing */
} share_acc;

/* Appends a blocker; the household's id is copied into @p ids the first time
 * the household blocks (@p hid_of_row: the copies by row). */
static void add_blocker(GArray *bl, GStringChunk *ids, const char **hid_of_row,
                        const povi_colview *v, size_t crit, size_t row, int hh_crit, int outcome,
                        int why, double value, double threshold, int op) {
    if (!hid_of_row[row])
        hid_of_row[row] = g_string_chunk_insert(ids, row_id(v, row));
    blocker b = {row,           value,           threshold,        hid_of_row[row],
                 (uint16_t)crit, (int16_t)hh_crit, (uint8_t)outcome, (uint8_t)why,
                 (int8_t)op};
    g_array_append_val(bl, b);
}

/* Reported test, value and threshold of household criterion @p c for row
 * @p i (pov_assessment_get() without the checks). */
static int crit_report(const pov_assessment *a, size_t i, size_t c, double *value,
                       double *threshold) {
    size_t k = c * a->n + i;
    int t = a->test[k];
    *value = value_at(a, i, c);
    *threshold = t < 0 ? NAN
                 : a->thr_row[c] ? a->thr_row[c][i]
                                 : a->thr_const[c * a->max_tests + (size_t)t];
    return t;
}

/* First failing, else first unknown, household criterion of row @p i. */
static int first_blame(const pov_assessment *a, size_t i, int *outcome) {
    int unk = -1;
    for (size_t c = 0; c < a->nc; c++) {
        uint8_t o = a->outcome[c * a->n + i];
        if (o == POV_FAIL) {
            *outcome = POV_FAIL;
            return (int)c;
        }
        if (o == POV_UNKNOWN && unk < 0)
            unk = (int)c;
    }
    *outcome = POV_UNKNOWN;
    return unk;
}

int pov_policy_assess_units(const pov_policy *p, const pov_dataset *ds, int level, int year,
                            const pov_unit_inputs *inputs, pov_unit_result **out) {
    if (out)
        *out = NULL;
    if (!p || !ds || !out || (level != POV_POLICY_VILLAGE && level != POV_POLICY_COUNTY))
        return povi_error(POV_EINVAL, "pov_policy_assess_units: NULL argument or bad level");
    int rc = check_year(year);
    if (rc)
        return rc;
    povi_colview v;
    povi_dataset_colview(ds, &v);
    size_t n = v.n_households;
    pov_assessment *a = NULL;
    uint8_t *poor = NULL, *cst = NULL;
    grouping g = {0};
    GArray *bl = g_array_new(FALSE, FALSE, sizeof(blocker));
    pov_unit_result *res = calloc(1, sizeof *res);
    share_acc *acc = NULL;
    const char **hid_of_row = calloc(n ? n : 1, sizeof *hid_of_row);
    if (!res || !hid_of_row) {
        rc = povi_error(POV_ENOMEM, "out of memory");
        goto done;
    }
    res->policy = povi_policy_ref(p);
    res->ids = g_string_chunk_new(4096);
    res->level = level;
    res->year = year;
    if ((rc = assess_view(p, &v, povi_dataset_options(ds), year, NULL, NULL, 0, &a)))
        goto done;
    poor = malloc(n ? n : 1);
    cst = malloc(n ? n : 1);
    if (!poor || !cst) {
        rc = povi_error(POV_ENOMEM, "out of memory");
        goto done;
    }
    cond_states(p->poor, p->poor_fast, &v, 0, n, NULL, poor);
    int col = level == POV_POLICY_VILLAGE ? POVI_VILLAGE_CODE : POVI_COUNTY_CODE;
    if ((rc = group_rows(&v, col, level == POV_POLICY_VILLAGE ? "village_code" : "county_code",
                         &g)))
        goto done;
    size_t nu = g.nu, nc = p->n_crit[level];
    const povi_pcrit *crit = p->crit[level];
    if (nc > UINT16_MAX || p->n_crit[POV_POLICY_HOUSEHOLD] > INT16_MAX) {
        rc = povi_error(POV_ELIMIT, "policy '%s': too many criteria", p->id);
        goto done;
    }
    res->nu = nu;
    res->nc = nc;
    res->codes = g.codes;
    g.codes = NULL;
    res->n_hh = calloc(nu + 1, sizeof *res->n_hh);
    res->people = calloc(nu + 1, sizeof *res->people);
    res->outcome = malloc(nu + 1);
    res->cells = calloc(nu * nc + 1, sizeof *res->cells);
    res->boff = calloc(nu + 1, sizeof *res->boff);
    acc = calloc(nu + 1, sizeof *acc);
    if (!res->n_hh || !res->people || !res->outcome || !res->cells || !res->boff || !acc) {
        rc = povi_error(POV_ENOMEM, "out of memory");
        goto done;
    }
    const double *size = v.num[POVI_HOUSEHOLD_SIZE];
    for (size_t i = 0; i < n; i++) {
        res->n_hh[g.unit_of[i]]++;
        res->people[g.unit_of[i]] += size ? size[i] : NAN; /* NaN: unknown people */
    }
    for (size_t u = 0; u < nu; u++)
        res->outcome[u] = nc ? POV_PASS : POV_UNKNOWN;

    for (size_t c = 0; c < nc; c++) {
        const povi_pcrit *cr = &crit[c];
        for (size_t u = 0; u < nu; u++) {
            ucell *cell = &res->cells[u * nc + c];
            cell->outcome = POV_PASS;
            cell->test = cr->n_tests ? 0 : -1;
            cell->value = cell->threshold = cell->margin = NAN;
        }
        int8_t *ffail = malloc(nu + 1), *funk = malloc(nu + 1);
        if (!ffail || !funk) {
            free(ffail);
            free(funk);
            rc = povi_error(POV_ENOMEM, "out of memory");
            goto done;
        }
        memset(ffail, -1, nu + 1);
        memset(funk, -1, nu + 1);
        uint8_t *toc = malloc((nu + 1) * cr->n_tests + 1);
        double *tv = malloc((nu + 1) * cr->n_tests * sizeof(double) + sizeof(double));
        double *tt = malloc((nu + 1) * cr->n_tests * sizeof(double) + sizeof(double));
        if (!tv || !tt || !toc) {
            free(ffail);
            free(funk);
            free(toc);
            free(tv);
            free(tt);
            rc = povi_error(POV_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t t = 0; t < cr->n_tests && !rc; t++) {
            const povi_ptest *te = &cr->tests[t];
            /* household side of the test */
            const uint8_t *hs = NULL;
            if (te->kind == POVI_TEST_SHARE) {
                if (te->hh_crit >= 0) {
                    hs = a->outcome + (size_t)te->hh_crit * n;
                } else {
                    cond_states(te->expr, te->fast, &v, 0, n, NULL, cst);
                    hs = cst;
                }
                memset(acc, 0, (nu + 1) * sizeof *acc);
                for (size_t i = 0; i < n; i++) {
                    share_acc *s = &acc[g.unit_of[i]];
                    uint8_t in_base = te->among_poor ? poor[i] : POV_COND_TRUE;
                    if (in_base == POV_COND_FALSE)
                        continue;
                    if (in_base == POV_COND_MISSING) {
                        s->maybe++;
                        s->maybe_pass += hs[i] == POV_PASS;
                        continue;
                    }
                    s->base++;
                    if (hs[i] == POV_PASS)
                        s->met++;
                    else if (hs[i] == POV_UNKNOWN)
                        s->unk++;
                }
            } else if (te->kind == POVI_TEST_INCIDENCE) {
                memset(acc, 0, (nu + 1) * sizeof *acc);
                for (size_t i = 0; i < n; i++) {
                    share_acc *s = &acc[g.unit_of[i]];
                    double sz = size ? size[i] : NAN;
                    uint8_t e = a->eligible[i];
                    if (poor[i] == POV_COND_TRUE && e == POV_FAIL)
                        s->met += sz; /* certainly remaining poor */
                    else if ((poor[i] == POV_COND_TRUE && e == POV_UNKNOWN) ||
                             (poor[i] == POV_COND_MISSING && e != POV_PASS))
                        s->unk += sz; /* possibly remaining poor */
                }
            }
            for (size_t u = 0; u < nu; u++) {
                const char *codes[N_CODES];
                row_codes(&v, g.first[u], codes);
                /* a unit is located by its own code and its parents' */
                if (level == POV_POLICY_COUNTY)
                    codes[3] = codes[4] = NULL;
                double th;
                const char *why = "";
                int r = povi_thr_resolve(p, &te->thr, year, codes, N_CODES, &th, &why);
                if (r) {
                    rc = povi_error(r, "%s %s, criterion '%s': no %s value for %d",
                                    level_names[level], res->codes[u], cr->id, why, year);
                    break;
                }
                double lo = NAN, hi = NAN;
                const share_acc *s = &acc[u];
                if (te->kind == POVI_TEST_SHARE) {
                    double den = s->base + s->maybe;
                    if (den == 0) {
                        rc = povi_error(POV_EEMPTY, "%s %s, criterion '%s': no %shouseholds to "
                                                    "compute the share over",
                                        level_names[level], res->codes[u], cr->id,
                                        te->among_poor ? "poor " : "");
                        break;
                    }
                    /* bounds over the unknowns: the lowest share counts unknown
                     * outcomes as failing and lets households of unknown registry
                     * status join the base only when they do not pass; the highest
                     * the reverse (NaN when that base would be empty) */
                    double dlo = s->base + s->maybe - s->maybe_pass;
                    double dhi = s->base + s->maybe_pass;
                    lo = dlo > 0 ? s->met / dlo : NAN;
                    hi = dhi > 0 ? (s->met + s->unk + s->maybe_pass) / dhi : NAN;
                } else if (te->kind == POVI_TEST_INCIDENCE) {
                    const input_val *pop = inputs_get(inputs, res->codes[u], "population");
                    double den = pop ? pop->value : res->people[u];
                    if (pop && (pop->is_bool || pop->value <= 0)) {
                        rc = povi_error(POV_ETYPE, "%s %s: input 'population' must be a "
                                                   "positive number",
                                        level_names[level], res->codes[u]);
                        break;
                    }
                    if (den == 0 && !isnan(den)) {
                        rc = povi_error(POV_EEMPTY, "%s %s: no people to compute incidence over",
                                        level_names[level], res->codes[u]);
                        break;
                    }
                    lo = s->met / den;
                    hi = (s->met + s->unk) / den;
                } else {
                    const input_val *iv = inputs_get(inputs, res->codes[u], te->input);
                    if (!iv) {
                        rc = povi_error(POV_EMISSING, "%s %s has no input '%s' (needed by "
                                                      "criterion '%s')",
                                        level_names[level], res->codes[u], te->input, cr->id);
                        break;
                    }
                    if (iv->is_bool != te->want_bool) {
                        rc = povi_error(POV_ETYPE, "%s %s: input '%s' must be %s (criterion "
                                                   "'%s')",
                                        level_names[level], res->codes[u], te->input,
                                        te->want_bool ? "true or false" : "a number", cr->id);
                        break;
                    }
                    lo = hi = iv->value;
                }
                uint8_t o = bounds_outcome(te->op, lo, hi, th);
                /* report the unfavourable bound */
                double val = (te->op == POVI_OP_LT || te->op == POVI_OP_LE) ? hi : lo;
                toc[u * cr->n_tests + t] = o;
                tv[u * cr->n_tests + t] = val;
                tt[u * cr->n_tests + t] = th;
                if (o == POV_FAIL && ffail[u] < 0)
                    ffail[u] = (int8_t)t;
                if (o == POV_UNKNOWN && funk[u] < 0)
                    funk[u] = (int8_t)t;
            }
            if (rc)
                break;
            /* blockers: households of units where this test did not pass */
            if (te->kind == POVI_TEST_SHARE || te->kind == POVI_TEST_INCIDENCE) {
                for (size_t i = 0; i < n; i++) {
                    size_t u = g.unit_of[i];
                    if (toc[u * cr->n_tests + t] == POV_PASS)
                        continue;
                    if (te->kind == POVI_TEST_SHARE) {
                        uint8_t in_base = te->among_poor ? poor[i] : POV_COND_TRUE;
                        if (in_base == POV_COND_FALSE)
                            continue;
                        if (hs[i] == POV_PASS)
                            continue;
                        if (te->hh_crit >= 0) {
                            double val, thr;
                            int ht = crit_report(a, i, (size_t)te->hh_crit, &val, &thr);
                            int op = ht >= 0 ? p->crit[0][te->hh_crit].tests[ht].op : -1;
                            add_blocker(bl, res->ids, hid_of_row, &v, c, i, te->hh_crit, hs[i],
                                        0, val, thr, op);
                        } else {
                            add_blocker(bl, res->ids, hid_of_row, &v, c, i, -1, hs[i], 1, NAN,
                                        NAN, -1);
                        }
                    } else {
                        if (a->eligible[i] == POV_PASS || poor[i] == POV_COND_FALSE)
                            continue;
                        int oc;
                        int hc = first_blame(a, i, &oc);
                        double val = NAN, thr = NAN;
                        int op = -1;
                        if (hc >= 0) {
                            int ht = crit_report(a, i, (size_t)hc, &val, &thr);
                            op = ht >= 0 ? p->crit[0][hc].tests[ht].op : -1;
                        }
                        add_blocker(bl, res->ids, hid_of_row, &v, c, i, hc, oc,
                                    poor[i] == POV_COND_MISSING ? 2 : 0, val, thr, op);
                    }
                }
            }
        }
        if (!rc) {
            for (size_t u = 0; u < nu; u++) {
                ucell *cell = &res->cells[u * nc + c];
                int rep = ffail[u] >= 0 ? ffail[u] : funk[u] >= 0 ? funk[u] : 0;
                cell->outcome = ffail[u] >= 0 ? POV_FAIL : funk[u] >= 0 ? POV_UNKNOWN : POV_PASS;
                if (cr->n_tests) {
                    cell->test = (int8_t)rep;
                    cell->value = tv[u * cr->n_tests + (size_t)rep];
                    cell->threshold = tt[u * cr->n_tests + (size_t)rep];
                    cell->margin = margin_of(cr->tests[rep].op, cell->value, cell->threshold);
                }
                if (cell->outcome == POV_FAIL)
                    res->outcome[u] = POV_FAIL;
                else if (cell->outcome == POV_UNKNOWN && res->outcome[u] == POV_PASS)
                    res->outcome[u] = POV_UNKNOWN;
            }
        }
        free(ffail);
        free(funk);
        free(toc);
        free(tv);
        free(tt);
        if (rc)
            goto done;
    }
    /* blockers grouped by unit: a stable counting sort keeps, within a unit,
     * the order of collection (criterion, then dataset row) */
    res->nbl = bl->len;
    res->bl = malloc((res->nbl ? res->nbl : 1) * sizeof *res->bl);
    if (!res->bl) {
        rc = povi_error(POV_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < res->nbl; k++)
        res->boff[g.unit_of[g_array_index(bl, blocker, k).row] + 1]++;
    for (size_t u = 0; u < nu; u++)
        res->boff[u + 1] += res->boff[u];
    {
        size_t *fill = malloc((nu + 1) * sizeof *fill);
        if (!fill) {
            rc = povi_error(POV_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(fill, res->boff, (nu + 1) * sizeof *fill);
        for (size_t k = 0; k < res->nbl; k++) {
            const blocker *b = &g_array_index(bl, blocker, k);
            res->bl[fill[g.unit_of[b->row]]++] = *b;
        }
        free(fill);
    }
done:
    if (bl)
        g_array_free(bl, TRUE);
    free(hid_of_row);
    pov_assessment_free(a);
    free(poor);
    free(cst);
    free(acc);
    grouping_clear(&g);
    if (rc) {
        pov_unit_result_free(res);
        return rc;
    }
    *out = res;
    return 0;
}

size_t pov_unit_result_count(const pov_unit_result *r) { return r ? r->nu : 0; }
size_t pov_unit_result_criterion_count(const pov_unit_result *r) { return r ? r->nc : 0; }
const char *pov_unit_result_code(const pov_unit_result *r, size_t u) {
    return r && u < r->nu ? r->codes[u] : NULL;
}
size_t pov_unit_result_households(const pov_unit_result *r, size_t u) {
    return r && u < r->nu ? r->n_hh[u] : 0;
}
int pov_unit_result_outcome(const pov_unit_result *r, size_t u) {
    if (!r || u >= r->nu)
        return povi_error(POV_EINVAL, "pov_unit_result_outcome: bad argument");
    return r->outcome[u];
}

int pov_unit_result_get(const pov_unit_result *r, size_t u, size_t c, pov_criterion_result *out) {
    if (!r || !out || u >= r->nu || c >= r->nc)
        return povi_error(POV_EINVAL, "pov_unit_result_get: bad argument");
    if (out->size < sizeof *out)
        return povi_error(POV_EINVAL, "pov_criterion_result.size is not set");
    const ucell *cell = &r->cells[u * r->nc + c];
    out->outcome = cell->outcome;
    out->test = cell->test;
    out->value = cell->value;
    out->threshold = cell->threshold;
    out->margin = cell->margin;
    return 0;
}

size_t pov_unit_result_blocker_count(const pov_unit_result *r, size_t u) {
    return r && u < r->nu ? r->boff[u + 1] - r->boff[u] : 0;
}

static const blocker *get_blocker(const pov_unit_result *r, size_t u, size_t k) {
    if (!r || u >= r->nu || k >= r->boff[u + 1] - r->boff[u])
        return NULL;
    return &r->bl[r->boff[u] + k];
}

int pov_unit_result_blocker(const pov_unit_result *r, size_t u, size_t k, size_t *row_out,
                            size_t *criterion_out, int *household_criterion_out, int *out) {
    const blocker *b = get_blocker(r, u, k);
    if (!b)
        return povi_error(POV_EINVAL, "pov_unit_result_blocker: bad argument");
    if (row_out)
        *row_out = b->row;
    if (criterion_out)
        *criterion_out = b->crit;
    if (household_criterion_out)
        *household_criterion_out = b->hh_crit;
    if (out)
        *out = b->outcome;
    return 0;
}

static void fmt_num(GString *s, double v) {
    if (isnan(v))
        g_string_append(s, "n/a");
    else
        g_string_append_printf(s, "%.6g", v);
}

static void blocker_text(const pov_unit_result *r, const blocker *b, GString *s) {
    const pov_policy *p = r->policy;
    g_string_append_printf(s, "household %s: ", b->hid);
    if (b->why == 2) {
        g_string_append(s, "registry status unknown");
    } else if (b->why == 1) {
        g_string_append_printf(s, "%s the condition",
                               b->outcome == POV_FAIL ? "does not meet" : "unknown on");
    } else if (b->hh_crit >= 0) {
        g_string_append_printf(s, "%s %s", p->crit[0][b->hh_crit].id,
                               b->outcome == POV_FAIL ? "fails" : "unknown (missing data)");
        if (b->op >= 0) {
            g_string_append(s, " (value ");
            fmt_num(s, b->value);
            g_string_append_printf(s, ", threshold %s ", povi_op_name(b->op));
            fmt_num(s, b->threshold);
            g_string_append_c(s, ')');
        } else {
            g_string_append(s, " (its condition)");
        }
    } else {
        g_string_append(s, "exit eligibility unknown");
    }
    g_string_append_printf(s, " [blocks %s]", p->crit[r->level][b->crit].id);
}

int pov_unit_result_blocker_reason(const pov_unit_result *r, size_t u, size_t k, char **out) {
    if (out)
        *out = NULL;
    const blocker *b = get_blocker(r, u, k);
    if (!b || !out)
        return povi_error(POV_EINVAL, "pov_unit_result_blocker_reason: bad argument");
    GString *s = g_string_new(NULL);
    blocker_text(r, b, s);
    *out = strdup(s->str);
    g_string_free(s, TRUE);
    return *out ? 0 : povi_error(POV_ENOMEM, "out of memory");
}

int pov_unit_result_to_string(const pov_unit_result *r, int text, char **out) {
    if (out)
        *out = NULL;
    if (!r || !out)
        return povi_error(POV_EINVAL, "pov_unit_result_to_string: NULL argument");
    const pov_policy *p = r->policy;
    const povi_pcrit *crit = p->crit[r->level];
    GString *s = g_string_new(NULL);
    if (!text) {
        g_string_append(s, "{\"policy\":");
        povi_json_append_string(s, p->id, strlen(p->id));
        g_string_append_printf(s, ",\"level\":\"%s\",\"year\":%d,\"units\":[",
                               level_names[r->level], r->year);
    }
    for (size_t u = 0; u < r->nu; u++) {
        if (text) {
            g_string_append_printf(s, "%s %s (%s, %d): %zu households, ",
                                   r->level == POV_POLICY_VILLAGE ? "Village" : "County",
                                   r->codes[u], p->id, r->year, r->n_hh[u]);
            fmt_num(s, r->people[u]);
            g_string_append_printf(s, " people: %s\n",
                                   r->outcome[u] == POV_PASS   ? "ELIGIBLE TO EXIT"
                                   : r->outcome[u] == POV_FAIL ? "NOT ELIGIBLE"
                                                               : "UNKNOWN (missing data)");
            g_string_append_printf(s, "  %-28s %-8s %12s %4s %12s %12s\n", "criterion",
                                   "outcome", "value", "op", "threshold", "margin");
        } else {
            g_string_append(s, u ? ",{\"code\":" : "{\"code\":");
            povi_json_append_string(s, r->codes[u], strlen(r->codes[u]));
            g_string_append_printf(s, ",\"households\":%zu,\"people\":", r->n_hh[u]);
            append_num(s, r->people[u]);
            g_string_append_printf(s, ",\"outcome\":\"%s\",\"criteria\":[",
                                   outcome_name(r->outcome[u]));
        }
        for (size_t c = 0; c < r->nc; c++) {
            const ucell *cell = &r->cells[u * r->nc + c];
            const char *op = cell->test >= 0 ? povi_op_name(crit[c].tests[cell->test].op) : "";
            if (text) {
                g_string_append_printf(s, "  %-28s %-8s ", crit[c].id,
                                       outcome_name(cell->outcome));
                GString *t = g_string_new(NULL);
                fmt_num(t, cell->value);
                g_string_append_printf(s, "%12s %4s ", t->str, op);
                g_string_truncate(t, 0);
                fmt_num(t, cell->threshold);
                g_string_append_printf(s, "%12s ", t->str);
                g_string_truncate(t, 0);
                if (isnan(cell->margin))
                    g_string_append(t, "n/a");
                else
                    g_string_append_printf(t, "%+.6g", cell->margin);
                g_string_append_printf(s, "%12s\n", t->str);
                g_string_free(t, TRUE);
            } else {
                g_string_append(s, c ? ",{\"id\":" : "{\"id\":");
                povi_json_append_string(s, crit[c].id, strlen(crit[c].id));
                g_string_append_printf(s, ",\"outcome\":\"%s\",\"test\":%d,\"value\":",
                                       outcome_name(cell->outcome), cell->test);
                append_num(s, cell->value);
                g_string_append_printf(s, ",\"op\":\"%s\",\"threshold\":", op);
                append_num(s, cell->threshold);
                g_string_append(s, ",\"margin\":");
                append_num(s, cell->margin);
                g_string_append_c(s, '}');
            }
        }
        size_t nb = r->boff[u + 1] - r->boff[u];
        if (text) {
            /* per unit criterion: the first TEXT_BLOCKERS, then a count */
            size_t k = 0;
            while (k < nb) {
                size_t c = r->bl[r->boff[u] + k].crit, end = k;
                while (end < nb && r->bl[r->boff[u] + end].crit == c)
                    end++;
                g_string_append_printf(s, "  households blocking %s (%zu):\n", crit[c].id,
                                       end - k);
                for (size_t j = k; j < end && j < k + TEXT_BLOCKERS; j++) {
                    g_string_append(s, "    ");
                    blocker_text(r, &r->bl[r->boff[u] + j], s);
                    g_string_append_c(s, '\n');
                }
                if (end - k > TEXT_BLOCKERS)
                    g_string_append_printf(s, "    ... and %zu more (all of them in the JSON "
                                              "output)\n", end - k - TEXT_BLOCKERS);
                k = end;
            }
        } else {
            g_string_append(s, "],\"blockers\":[");
            for (size_t k = 0; k < nb; k++) {
                const blocker *b = &r->bl[r->boff[u] + k];
                GString *t = g_string_new(NULL);
                blocker_text(r, b, t);
                g_string_append(s, k ? ",{\"household\":" : "{\"household\":");
                povi_json_append_string(s, b->hid, strlen(b->hid));
                g_string_append(s, ",\"criterion\":");
                const char *cid = crit[b->crit].id;
                povi_json_append_string(s, cid, strlen(cid));
                g_string_append(s, ",\"household_criterion\":");
                if (b->hh_crit >= 0) {
                    const char *hid = p->crit[0][b->hh_crit].id;
                    povi_json_append_string(s, hid, strlen(hid));
                } else {
                    g_string_append(s, "null");
                }
                g_string_append_printf(s, ",\"outcome\":\"%s\",\"reason\":",
                                       outcome_name(b->outcome));
                povi_json_append_string(s, t->str, t->len);
                g_string_append_c(s, '}');
                g_string_free(t, TRUE);
            }
            g_string_append(s, "]}");
        }
    }
    if (!text)
        g_string_append(s, "]}");
    *out = strdup(s->str);
    g_string_free(s, TRUE);
    return *out ? 0 : povi_error(POV_ENOMEM, "out of memory");
}

/* ======================================================================== */
/* Report indicators                                                          */
/* ======================================================================== */

struct pov_report {
    size_t n;
    char **units;
    int *years;
    double *vals; /* [n * POV_REPORT_FIELD_COUNT] */
};

static const char *const field_names[POV_REPORT_FIELD_COUNT] = {
    "households",          "people",           "poor_households",       "poor_people",
    "incidence",           "exits",            "education_enrolment",   "medical_participation",
    "safe_housing_share",  "safe_water_share", "mean_income_poor",      "income_growth"};

const char *pov_report_field_name(int f) {
    return f >= 0 && f < POV_REPORT_FIELD_COUNT ? field_names[f] : NULL;
}

void pov_report_free(pov_report *r) {
    if (!r)
        return;
    if (r->units)
        for (size_t k = 0; k < r->n; k++)
            g_free(r->units[k]);
    free(r->units);
    free(r->years);
    free(r->vals);
    free(r);
}

typedef struct rkey {
    uint32_t unit;
    int year;
} rkey;

static int cmp_rkey(const void *x, const void *y) {
    const rkey *a = x, *b = y;
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    return (a->year > b->year) - (a->year < b->year);
}

int pov_policy_report(const pov_policy *p, const pov_dataset *ds, int level, pov_report **out) {
    if (out)
        *out = NULL;
    if (!p || !ds || !out || (level != POV_POLICY_VILLAGE && level != POV_POLICY_COUNTY))
        return povi_error(POV_EINVAL, "pov_policy_report: NULL argument or bad level");
    povi_colview v;
    povi_dataset_colview(ds, &v);
    size_t n = v.n_households;
    int rc = 0;
    int *years = malloc((n ? n : 1) * sizeof *years);
    uint8_t *poor = malloc(n ? n : 1);
    rkey *keys = malloc((n ? n : 1) * sizeof *keys);
    size_t *grp = malloc((n ? n : 1) * sizeof *grp);
    pov_assessment *a = NULL;
    grouping g = {0};
    pov_report *rep = calloc(1, sizeof *rep);
    double *acc = NULL;
    if (!years || !poor || !keys || !grp || !rep) {
        rc = povi_error(POV_ENOMEM, "out of memory");
        goto done;
    }
    const double *ycol = v.num[POVI_YEAR];
    for (size_t i = 0; i < n; i++) {
        double y = ycol ? ycol[i] : NAN;
        if (isnan(y)) {
            char path[64];
            POVI_SNPRINTF(path, sizeof path, "[%zu].year", i);
            povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
            rc = povi_error_at(POV_EMISSING, &loc, "household %s has no year", row_id(&v, i));
            goto done;
        }
        years[i] = (int)y;
    }
    if ((rc = assess_view(p, &v, povi_dataset_options(ds), n ? years[0] : 2000, years, NULL, 1,
                          &a)))
        goto done;
    cond_states(p->poor, p->poor_fast, &v, 0, n, NULL, poor);
    int col = level == POV_POLICY_VILLAGE ? POVI_VILLAGE_CODE : POVI_COUNTY_CODE;
    if ((rc = group_rows(&v, col, level == POV_POLICY_VILLAGE ? "village_code" : "county_code",
                         &g)))
        goto done;
    /* distinct (unit, year), sorted */
    for (size_t i = 0; i < n; i++)
        keys[i] = (rkey){g.unit_of[i], years[i]};
    qsort(keys, n, sizeof *keys, cmp_rkey);
    size_t nr = 0;
    for (size_t i = 0; i < n; i++)
        if (nr == 0 || cmp_rkey(&keys[nr - 1], &keys[i]) != 0)
            keys[nr++] = keys[i];
    for (size_t i = 0; i < n; i++) {
        rkey k = {g.unit_of[i], years[i]};
        size_t lo = 0, hi = nr;
        while (lo < hi) { /* binary search */
            size_t mid = (lo + hi) / 2;
            if (cmp_rkey(&keys[mid], &k) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        grp[i] = lo;
    }
    /* accumulators per row: 16 slots */
    enum { HH, PEOPLE, PHH, PPEOPLE, EXITS, EDU_IN, EDU_ALL, MED_IN, MED_ALL, HOUSE, WATER,
           INC_SUM, INC_N, NACC };
    acc = calloc(nr * NACC + 1, sizeof *acc);
    rep->units = calloc(nr + 1, sizeof *rep->units);
    rep->years = calloc(nr + 1, sizeof *rep->years);
    rep->vals = malloc((nr * POV_REPORT_FIELD_COUNT + 1) * sizeof *rep->vals);
    if (!acc || !rep->units || !rep->years || !rep->vals) {
        rc = povi_error(POV_ENOMEM, "out of memory");
        goto done;
    }
    rep->n = nr;
    const double *size = v.num[POVI_HOUSEHOLD_SIZE], *inc = v.num[POVI_PER_CAPITA_NET_INCOME];
    const double *age = v.num[POVI_AGE], *ins = v.num[POVI_MEDICAL_INSURANCE];
    const int32_t *school = v.cat[POVI_SCHOOLING];
    const pov_derive_options *o = povi_dataset_options(ds);
    const uint8_t *th = a->tt + (size_t)POV_TT_HOUSING * n, *tw = a->tt + (size_t)POV_TT_WATER * n;
    for (size_t i = 0; i < n; i++) {
        double *s = acc + grp[i] * NACC;
        double sz = size ? size[i] : NAN;
        s[HH] += 1;
        if (!isnan(sz))
            s[PEOPLE] += sz;
        if (poor[i] != POV_COND_TRUE)
            continue;
        s[PHH] += 1;
        if (!isnan(sz))
            s[PPEOPLE] += sz;
        s[EXITS] += a->eligible[i] == POV_PASS;
        s[HOUSE] += th[i] == POV_PASS;
        s[WATER] += tw[i] == POV_PASS;
        if (inc && !isnan(inc[i])) {
            s[INC_SUM] += inc[i];
            s[INC_N] += 1;
        }
        for (size_t m = v.member_offsets[i]; m < v.member_offsets[i + 1]; m++) {
            if (ins && !isnan(ins[m])) {
                s[MED_ALL] += 1;
                s[MED_IN] += ins[m] != 0;
            }
            if (age && school && !isnan(age[m]) && age[m] >= o->school_age_min &&
                age[m] <= o->school_age_max && school[m] >= 0) {
                s[EDU_ALL] += 1;
                s[EDU_IN] += school[m] != POVI_SCHOOL_NEVER_ENROLLED &&
                             school[m] != POVI_SCHOOL_DROPPED_OUT &&
                             school[m] != POVI_SCHOOL_SUSPENDED;
            }
        }
    }
#define RATIO(a_, b_) ((b_) > 0 ? (a_) / (b_) : NAN)
    for (size_t k = 0; k < nr; k++) {
        const double *s = acc + k * NACC;
        double *f = rep->vals + k * POV_REPORT_FIELD_COUNT;
        rep->units[k] = g_strdup(g.codes[keys[k].unit]);
        rep->years[k] = keys[k].year;
        f[POV_REPORT_HOUSEHOLDS] = s[HH];
        f[POV_REPORT_PEOPLE] = s[PEOPLE];
        f[POV_REPORT_POOR_HOUSEHOLDS] = s[PHH];
        f[POV_REPORT_POOR_PEOPLE] = s[PPEOPLE];
        f[POV_REPORT_INCIDENCE] = RATIO(s[PPEOPLE], s[PEOPLE]);
        f[POV_REPORT_EXITS] = s[EXITS];
        f[POV_REPORT_EDUCATION_ENROLMENT] = RATIO(s[EDU_IN], s[EDU_ALL]);
        f[POV_REPORT_MEDICAL_PARTICIPATION] = RATIO(s[MED_IN], s[MED_ALL]);
        f[POV_REPORT_SAFE_HOUSING_SHARE] = RATIO(s[HOUSE], s[PHH]);
        f[POV_REPORT_SAFE_WATER_SHARE] = RATIO(s[WATER], s[PHH]);
        f[POV_REPORT_MEAN_INCOME_POOR] = RATIO(s[INC_SUM], s[INC_N]);
        f[POV_REPORT_INCOME_GROWTH] = NAN;
        if (k > 0 && keys[k - 1].unit == keys[k].unit && keys[k - 1].year == keys[k].year - 1) {
            double prev = rep->vals[(k - 1) * POV_REPORT_FIELD_COUNT + POV_REPORT_MEAN_INCOME_POOR];
            double cur = f[POV_REPORT_MEAN_INCOME_POOR];
            if (prev > 0 && !isnan(cur))
                f[POV_REPORT_INCOME_GROWTH] = cur / prev - 1;
        }
    }
#undef RATIO
done:
    free(years);
    free(poor);
    free(keys);
    free(grp);
    free(acc);
    pov_assessment_free(a);
    grouping_clear(&g);
    if (rc) {
        pov_report_free(rep);
        return rc;
    }
    *out = rep;
    return 0;
}

size_t pov_report_count(const pov_report *r) { return r ? r->n : 0; }
const char *pov_report_unit(const pov_report *r, size_t row) {
    return r && row < r->n ? r->units[row] : NULL;
}
int pov_report_year(const pov_report *r, size_t row) {
    return r && row < r->n ? r->years[row] : 0;
}
double pov_report_value(const pov_report *r, size_t row, int f) {
    if (!r || row >= r->n || f < 0 || f >= POV_REPORT_FIELD_COUNT)
        return NAN;
    return r->vals[row * POV_REPORT_FIELD_COUNT + (size_t)f];
}

int pov_report_to_json(const pov_report *r, char **out) {
    if (out)
        *out = NULL;
    if (!r || !out)
        return povi_error(POV_EINVAL, "pov_report_to_json: NULL argument");
    GString *s = g_string_new("[");
    for (size_t k = 0; k < r->n; k++) {
        g_string_append(s, k ? ",{\"unit\":" : "{\"unit\":");
        povi_json_append_string(s, r->units[k], strlen(r->units[k]));
        g_string_append_printf(s, ",\"year\":%d", r->years[k]);
        for (int f = 0; f < POV_REPORT_FIELD_COUNT; f++) {
            g_string_append_printf(s, ",\"%s\":", field_names[f]);
            append_num(s, r->vals[k * POV_REPORT_FIELD_COUNT + (size_t)f]);
        }
        g_string_append_c(s, '}');
    }
    g_string_append_c(s, ']');
    *out = strdup(s->str);
    g_string_free(s, TRUE);
    return *out ? 0 : povi_error(POV_ENOMEM, "out of memory");
}
