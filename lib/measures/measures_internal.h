/*
 * povmetrics — helpers shared by the measure modules (validation of weighted
 * data, sorting, sorted data with cumulative sums). Not installed, not API.
 *
 * Other modules (decompositions, accumulators, inference) may use these so
 * that every measure checks its input the same way.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_MEASURES_INTERNAL_H
#define POV_MEASURES_INTERNAL_H

#include <float.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "povmetrics/measures.h"

/* What the incomes must satisfy besides being finite. */
enum povi_ydomain {
    POVI_Y_ANY = 0,      /* any finite value */
    POVI_Y_NONNEG = 1,   /* y >= 0 */
    POVI_Y_POSITIVE = 2  /* y > 0 */
};

/*
 * Checks the arguments every measure shares: out != NULL, n > 0,
 * y != NULL. Returns 0 or POV_EINVAL / POV_EEMPTY with a message.
 */
int povi_check_args(const double *y, size_t n, const void *out);

/*
 * Full validation of (y, w): reports the first element (in index order, y[i]
 * before w[i]) that is NaN/Inf (POV_ENONFINITE), a negative weight
 * (POV_ERANGE) or an income outside @p ydom (POV_EDOMAIN, message says
 * @p what needs it). Then total weight 0 is POV_EEMPTY. On success stores the
 * total weight in *W (may be NULL). Does not check y/out pointers.
 */
int povi_check_yw(const double *y, const double *w, size_t n, enum povi_ydomain ydom,
                  const char *what, double *W);

/* 1 if x is finite (no NaN, no infinity); vectorises (no libm call). */
static inline int povi_finite(double x) { return x - x == 0.0; }

/* True when a weight is acceptable (finite, >= 0). NaN compares false. */
static inline int povi_weight_ok(double w) { return w >= 0.0 && w <= DBL_MAX; }

/* (income, weight) pair, the unit of sorting for weighted data. */
typedef struct povi_pair {
    double y;
    double w;
} povi_pair;

/*
 * Sorts ascending by value (MSD radix sort on the IEEE-754 bits over the
 * data's key range, insertion sort for small parts; see sort.c). @p tmp
 * must have room for n elements. The inputs must not contain NaN. -0.0 and
 * +0.0 are equal and may come in either order. Returns 0, POV_ENOMEM (the
 * counters are allocated) or POV_ELIMIT (n > UINT32_MAX).
 */
int povi_sort_doubles(double *a, double *tmp, size_t n);
int povi_sort_pairs(povi_pair *a, povi_pair *tmp, size_t n);

/*
 * Sorts the pairs (y[i], w[i]) (w NULL: weights 1) into @p out (n elements)
 * straight from the arrays, using @p tmp (n elements) as scratch; fewer
 * passes over memory than a copy followed by povi_sort_pairs(). The input
 * must be validated (no NaN). Errors as povi_sort_pairs().
 */
int povi_sort_pairs_from(const double *y, const double *w, size_t n, povi_pair *out,
                         povi_pair *tmp);

/*
 * Validates (y, w) as povi_check_args() + povi_check_sum() do (same errors;
 * @p visit stands for `out`), sorts the pairs (y[i], w[i]) (w NULL: weights
 * 1) and calls @p visit on consecutive runs of the sorted pairs in ascending
 * order: the runs concatenated are the sorted sequence, pairs with equal y in
 * their input order (-0.0 and +0.0 may come in either order). The pointer
 * passed to @p visit is valid only during the call. Needs n pairs of memory
 * plus the largest first-level bucket instead of the 2n of
 * povi_sort_pairs_from(), and no pass for the output. Errors as the checks
 * and povi_sort_pairs().
 */
typedef void (*povi_pair_visit)(const povi_pair *p, size_t m, void *ctx);
int povi_sort_pairs_visit(const double *y, const double *w, size_t n, povi_pair_visit visit,
                          void *ctx);


/*
 * Validated copy of (y, w) as pairs (weights 1 when w is NULL) and the total
 * weight; the caller frees *out. Errors as povi_check_args + povi_check_yw.
 */
int povi_pairs_copy(const double *y, const double *w, size_t n, povi_pair **out, double *W);

/* Unsigned key that orders like the double (as in sort.c); no NaN. */
static inline unsigned long long povi_key(double x) {
    unsigned long long u;
    memcpy(&u, &x, sizeof u);
    return u ^ ((0ULL - (u >> 63)) | 0x8000000000000000ULL);
}

/*
 * laeken's weighted quantile of (y, w) (w NULL: unit weights), validated by
 * the caller, total weight W > 0, straight from the arrays without a copy:
 * a pass for the key range, a pass summing the weights into 4096 buckets of
 * the key range, a pass gathering the bucket where the cumulative share
 * crosses @p prob, then a sort of that bucket (select.c). Same value and
 * rounding caveat as povi_select_quantile(). POV_ENOMEM.
 */
int povi_quantile_direct(const double *y, const double *w, size_t n, double W, double prob,
                         double *out);

/* Validates (y, w) like povi_pairs_copy() without copying; stores Σ w. */
int povi_check_sum(const double *y, const double *w, size_t n, double *W);

/*
 * laeken's weighted quantile of p[0..n) with total weight W by selection
 * (reorders p; expected O(n)); see select.c for the one rounding caveat.
 * POV_EEMPTY if p is 0 or 1 and no weight is positive.
 */
int povi_select_quantile(povi_pair *p, size_t n, double W, double prob, double *out);

/*
 * Sorted data with cumulative sums:
 *   y[i] ascending; w[i] its weight (w == NULL: unit weights);
 *   cw[i] = w[0] + ... + w[i] (NULL for unit weights: cw[i] = i + 1);
 *   cy[i] = w[0] y[0] + ... + w[i] y[i];
 *   W = total weight (= cw[n-1]), T = total income (= cy[n-1]).
 * One allocation (mem); free with povi_sorted_clear().
 */
typedef struct povi_sorted {
    size_t n;
    const double *y;
    const double *w;
    const double *cw;
    const double *cy;
    double W;
    double T;
    void *mem;
} povi_sorted;

/* Validates (as povi_check_args + povi_check_yw with POVI_Y_ANY), copies,
 * sorts and sums. Returns 0, or an error with *s zeroed. */
int povi_sorted_init(povi_sorted *s, const double *y, const double *w, size_t n);
void povi_sorted_clear(povi_sorted *s);

/* Cumulative weight of the first k elements (k = 0..n). */
static inline double povi_sorted_cumw(const povi_sorted *s, size_t k) {
    if (k == 0)
        return 0.0;
    return s->cw ? s->cw[k - 1] : (double)k;
}
/* Cumulative income of the first k elements (k = 0..n). */
static inline double povi_sorted_cumy(const povi_sorted *s, size_t k) {
    return k == 0 ? 0.0 : s->cy[k - 1];
}
static inline double povi_sorted_weight(const povi_sorted *s, size_t i) {
    return s->w ? s->w[i] : 1.0;
}

/* Number of elements with y < t (lower bound), resp. y <= t (upper bound). */
size_t povi_sorted_count_below(const povi_sorted *s, double t);
size_t povi_sorted_count_at_most(const povi_sorted *s, double t);

/*
 * laeken's weighted quantile restricted to the first k elements (k <= n,
 * their total weight > 0): the smallest j < k with cumw(j+1) / cumw(k) > p;
 * p == 0 and p == 1 give the first/last element with positive weight.
 * p must be in [0, 1]. Returns the value.
 */
double povi_sorted_quantile_prefix(const povi_sorted *s, size_t k, double p);

/* Lorenz ordinate L(p) (income share of the poorest p of the weight);
 * needs T != 0. */
double povi_sorted_lorenz_at(const povi_sorted *s, double p);

/* Sum over the sorted data of w_i y_i (2 c_i − w_i), the core of the
 * laeken Gini, and of w_i y_i (2 c_i − 1) (convey). */
double povi_sorted_gini_sum(const povi_sorted *s);
double povi_sorted_gini_sum_convey(const povi_sorted *s);

/*
 * Single-pass weighted sum kernels. Both macros define
 *   static int NAME(const double *y, const double *w, size_t n,
 *                   const double *par, double lo, double *sum, double *wsum)
 * computing sum = Σ w_i · term(y_i) and wsum = Σ w_i (n when w is NULL). They
 * return nonzero when some y_i is not finite or not >= lo, or some weight is
 * NaN, infinite or negative; the caller then calls povi_check_yw() to report
 * the first offending element (the fast loop only keeps a flag).
 *
 * POVI_DEFINE_SUM_KERNEL(NAME, TERM): TERM is a scalar expression in `yi`
 * and `par[]`; for terms that call libm (log, pow), which dominate the cost.
 *
 * POVI_DEFINE_VEC_KERNEL(NAME, VTERM, TERM): a branch-free loop over blocks of
 * four with GCC/Clang vector extensions (VTERM is the same term written on the
 * vector `yv` with broadcast parameters `p0`, `p1`, and may use
 * POVI_VSELECT(mask, v) = mask ? v : 0); the tail and other compilers use
 * TERM. Four lanes also break the dependency chain of the sums, so the
 * summation order differs from a naive loop in the last bits.
 */
#define POVI_DEFINE_SUM_KERNEL(NAME, TERM)                                                   \
    static int NAME(const double *y, const double *w, size_t n, const double *par,          \
                    double lo, double *sum, double *wsum) {                                 \
        double acc = 0.0, sw = 0.0;                                                         \
        int bad = 0;                                                                        \
        (void)par;                                                                          \
        if (w) {                                                                            \
            for (size_t i = 0; i < n; i++) {                                                \
                double yi = y[i], wi = w[i];                                                \
                acc += wi * (TERM);                                                         \
                sw += wi;                                                                   \
                bad |= !povi_finite(yi) | !(yi >= lo) | !povi_weight_ok(wi);                \
            }                                                                               \
        } else {                                                                            \
            for (size_t i = 0; i < n; i++) {                                                \
                double yi = y[i];                                                           \
                acc += (TERM);                                                              \
                bad |= !povi_finite(yi) | !(yi >= lo);                                      \
            }                                                                               \
            sw = (double)n;                                                                 \
        }                                                                                   \
        *sum = acc;                                                                         \
        *wsum = sw;                                                                         \
        return bad;                                                                         \
    }

#if defined(__GNUC__) && !defined(POVI_NO_VECTOR_EXT)
/* Two-lane vectors map onto SSE2/NEON registers everywhere; two of them per
 * iteration give four independent partial sums. */
typedef double povi_v2d __attribute__((vector_size(16)));
typedef long long povi_v2i __attribute__((vector_size(16)));
#define POVI_VSELECT(mask, v) ((povi_v2d)((povi_v2i)(v) & (mask)))
#define POVI_VEC_STEP_(OFF, ACC, SW, GOOD, VTERM)                                            \
    {                                                                                       \
        povi_v2d yv;                                                                        \
        memcpy(&yv, y + i + (OFF), sizeof yv);                                              \
        if (w) {                                                                            \
            povi_v2d wv;                                                                    \
            memcpy(&wv, w + i + (OFF), sizeof wv);                                          \
            ACC += wv * (VTERM);                                                            \
            SW += wv;                                                                       \
            GOOD &= ((yv - yv) == zero) & (yv >= lov) & (wv >= zero) & (wv <= maxv);        \
        } else {                                                                            \
            ACC += (VTERM);                                                                 \
            GOOD &= ((yv - yv) == zero) & (yv >= lov);                                      \
        }                                                                                   \
    }
#define POVI_DEFINE_VEC_KERNEL(NAME, VTERM, TERM)                                            \
    static int NAME(const double *y, const double *w, size_t n, const double *par,          \
                    double lo, double *sum, double *wsum) {                                 \
        const povi_v2d zero = {0, 0}, lov = zero + lo, maxv = zero + DBL_MAX;               \
        const povi_v2d p0 = zero + par[0], p1 = zero + par[1];                              \
        povi_v2d a0 = zero, a1 = zero, s0 = zero, s1 = zero;                                \
        povi_v2i g0 = (povi_v2i){0, 0} - 1, g1 = g0;                                        \
        (void)p0;                                                                           \
        (void)p1;                                                                           \
        size_t i = 0;                                                                       \
        for (; i + 4 <= n; i += 4) {                                                        \
            POVI_VEC_STEP_(0, a0, s0, g0, VTERM)                                            \
            POVI_VEC_STEP_(2, a1, s1, g1, VTERM)                                            \
        }                                                                                   \
        povi_v2i g = g0 & g1;                                                               \
        int bad = !(g[0] & g[1]);                                                           \
        double tail = 0.0, tw = 0.0;                                                        \
        for (; i < n; i++) {                                                                \
            double yi = y[i], wi = w ? w[i] : 1.0;                                          \
            tail += wi * (TERM);                                                            \
            tw += wi;                                                                       \
            bad |= !povi_finite(yi) | !(yi >= lo) | !povi_weight_ok(wi);                    \
        }                                                                                   \
        *sum = ((a0[0] + a1[0]) + (a0[1] + a1[1])) + tail;                                  \
        *wsum = w ? ((s0[0] + s1[0]) + (s0[1] + s1[1])) + tw : (double)n;                   \
        return bad;                                                                         \
    }
#else
#define POVI_DEFINE_VEC_KERNEL(NAME, VTERM, TERM) POVI_DEFINE_SUM_KERNEL(NAME, TERM)
#endif

/* Lower bounds for the `lo` argument of the kernels. */
#define POVI_LO_ANY (-DBL_MAX)
#define POVI_LO_NONNEG 0.0
#define POVI_LO_POSITIVE DBL_TRUE_MIN

/* The public handle is a povi_sorted. */
struct pov_sorted {
    povi_sorted s;
};

/* In a function returning int: sorts (y, w, n) into a local `const
 * povi_sorted *s`, evaluates @p body (an int status expression using s and
 * out), frees and returns the status. */
#define POVI_WITH_SORTED(y, w, n, out, body)                                                \
    do {                                                                                   \
        if (!(out))                                                                        \
            return povi_error(POV_EINVAL, "out must not be NULL");                         \
        povi_sorted s_;                                                                    \
        int rc_ = povi_sorted_init(&s_, (y), (w), (n));                                    \
        if (rc_)                                                                           \
            return rc_;                                                                    \
        const povi_sorted *s = &s_;                                                        \
        rc_ = (body);                                                                      \
        povi_sorted_clear(&s_);                                                            \
        return rc_;                                                                        \
    } while (0)

#endif /* POV_MEASURES_INTERNAL_H */
