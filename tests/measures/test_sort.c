/*
 * White-box tests of the internal sorts (lib/measures/sort.c) and of the
 * weighted selection (lib/measures/select.c) against qsort,
 * on distributions that exercise every path: tiny inputs (insertion sort),
 * smooth data (two MSD radix levels + insertion sorts), one huge outlier (all data in one
 * bucket, so the next levels of the MSD radix sort must split it), many ties,
 * sorted and reversed input, negative numbers and signed zeros, every
 * exponent from subnormal to huge, and pairs (weights must travel with y).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "measures_internal.h"

static uint64_t st = 0x9E3779B97F4A7C15ULL;
static double urand(void) {
    st ^= st >> 12;
    st ^= st << 25;
    st ^= st >> 27;
    return (double)((st * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum dist { SMOOTH, OUTLIER, TIES, SORTED, REVERSED, MIXED_SIGN, WIDE, NDIST };

static void fill(double *y, size_t n, enum dist d) {
    for (size_t i = 0; i < n; i++) {
        switch (d) {
        case SMOOTH: y[i] = exp(8 + 2 * (urand() - 0.5)); break;
        case OUTLIER: y[i] = i == n / 2 ? 1e300 : 1000 + urand(); break;
        case TIES: y[i] = floor(urand() * 5); break;
        case SORTED: y[i] = (double)i * 0.5; break;
        case REVERSED: y[i] = (double)(n - i); break;
        case WIDE: /* every exponent from subnormal to huge, both signs, near-ties */
            y[i] = (urand() < 0.5 ? -1 : 1) *
                   ldexp(1.0 + (urand() < 0.5 ? 0x1p-52 * floor(urand() * 4) : urand()),
                         (int)floor(urand() * 2098) - 1074);
            break;
        default: {
            double u = urand();
            y[i] = u < 0.1 ? -0.0 : u < 0.2 ? 0.0 : u < 0.5 ? -exp(10 * urand()) : exp(10 * urand());
        }
        }
    }
}

static void check_doubles(size_t n, enum dist d) {
    double *a = malloc((n + 1) * sizeof *a), *t = malloc((n + 1) * sizeof *t),
           *r = malloc((n + 1) * sizeof *r);
    fill(a, n, d);
    memcpy(r, a, n * sizeof *a);
    qsort(r, n, sizeof *r, cmp_double);
    cr_assert_eq(povi_sort_doubles(a, t, n), 0);
    for (size_t i = 0; i < n; i++)
        cr_assert(a[i] == r[i], "n=%zu dist=%d i=%zu: %g != %g", n, d, i, a[i], r[i]);
    free(a);
    free(t);
    free(r);
}

static void check_pairs(size_t n, enum dist d) {
    double *y = malloc((n + 1) * sizeof *y);
    povi_pair *p = malloc((n + 1) * sizeof *p), *t = malloc((n + 1) * sizeof *t);
    fill(y, n, d);
    for (size_t i = 0; i < n; i++) {
        p[i].y = y[i];
        p[i].w = (double)i; /* remember where each element came from */
    }
    /* povi_sort_pairs_from() on the same data straight from (y, idx) arrays */
    double *idx = malloc((n + 1) * sizeof *idx);
    povi_pair *q = malloc((n + 1) * sizeof *q);
    for (size_t i = 0; i < n; i++)
        idx[i] = (double)i;
    cr_assert_eq(povi_sort_pairs_from(y, idx, n, q, t), 0);
    cr_assert_eq(povi_sort_pairs(p, t, n), 0);
    double *y0 = malloc((n + 1) * sizeof *y0);
    memcpy(y0, y, n * sizeof *y);
    qsort(y, n, sizeof *y, cmp_double);
    char *seen = calloc(n + 1, 1), *seen2 = calloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        cr_assert(p[i].y == y[i]);
        size_t from = (size_t)p[i].w;
        cr_assert(from < n && !seen[from]);
        seen[from] = 1;
        cr_assert(q[i].y == y[i], "from: n=%zu dist=%d i=%zu", n, d, i);
        from = (size_t)q[i].w;
        cr_assert(from < n && !seen2[from] && y0[from] == q[i].y);
        seen2[from] = 1;
    }
    /* w = NULL: unit weights */
    cr_assert_eq(povi_sort_pairs_from(y0, NULL, n, q, t), 0);
    for (size_t i = 0; i < n; i++)
        cr_assert(q[i].y == y[i] && q[i].w == 1.0);
    free(seen);
    free(seen2);
    free(idx);
    free(q);
    free(y0);
    free(y);
    free(p);
    free(t);
}

Test(sort, doubles_all_paths) {
    const size_t sizes[] = {0, 1, 2, 31, 32, 33, 100, 1000, 5000, 70000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int d = 0; d < NDIST; d++)
            check_doubles(sizes[s], (enum dist)d);
}

Test(sort, pairs_all_paths) {
    const size_t sizes[] = {0, 1, 5, 33, 1000, 70000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int d = 0; d < NDIST; d++)
            check_pairs(sizes[s], (enum dist)d);
}

Test(sort, payload_follows_value) {
    enum { N = 20000 };
    static povi_pair p[N], t[N];
    for (size_t i = 0; i < N; i++) {
        p[i].y = floor(exp(5 + 4 * urand()));
        p[i].w = -p[i].y; /* the weight encodes its own value */
    }
    cr_assert_eq(povi_sort_pairs(p, t, N), 0);
    for (size_t i = 0; i < N; i++) {
        cr_assert_eq(p[i].w, -p[i].y);
        if (i)
            cr_assert(p[i - 1].y <= p[i].y);
    }
}

/* laeken's rule by sorting with qsort and scanning (reference). */
static int cmp_pair(const void *a, const void *b) {
    double x = ((const povi_pair *)a)->y, y = ((const povi_pair *)b)->y;
    return (x > y) - (x < y);
}

static double ref_quantile(const povi_pair *in, size_t n, double W, double prob) {
    povi_pair *p = malloc(n * sizeof *p);
    memcpy(p, in, n * sizeof *p);
    qsort(p, n, sizeof *p, cmp_pair);
    double r = NAN, acc = 0;
    if (prob <= 0 || prob >= 1) {
        for (size_t i = 0; i < n; i++)
            if (p[i].w > 0) {
                r = p[i].y;
                if (prob <= 0)
                    break;
            }
    } else {
        for (size_t i = 0; i < n; i++) {
            acc += p[i].w;
            if (acc / W > prob) {
                r = p[i].y;
                break;
            }
        }
    }
    free(p);
    return r;
}

Test(select, matches_sort_and_scan) {
    const size_t sizes[] = {1, 2, 7, 33, 200, 5000};
    const double probs[] = {0, 0.001, 0.2, 0.25, 0.5, 0.8, 0.999, 1};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        for (int d = 0; d < NDIST; d++) {
            double *y = malloc(n * sizeof *y);
            povi_pair *p = malloc(n * sizeof *p);
            fill(y, n, (enum dist)d);
            double W = 0;
            for (size_t i = 0; i < n; i++) {
                p[i].y = y[i];
                p[i].w = floor(urand() * 3); /* integer weights 0..2: exact sums */
                W += p[i].w;
            }
            if (W == 0) {
                p[0].w = 1;
                W = 1;
            }
            double *wv = malloc(n * sizeof *wv);
            for (size_t i = 0; i < n; i++)
                wv[i] = p[i].w;
            for (size_t k = 0; k < sizeof probs / sizeof *probs; k++) {
                double want = ref_quantile(p, n, W, probs[k]), got;
                /* the histogram version straight from the arrays (before the
                 * selection reorders p); y and wv are in the same order */
                cr_assert_eq(povi_quantile_direct(y, wv, n, W, probs[k], &got), 0);
                cr_assert(got == want, "direct n=%zu dist=%d p=%g: %g != %g", n, d, probs[k],
                          got, want);
                cr_assert_eq(povi_select_quantile(p, n, W, probs[k], &got), 0);
                cr_assert(got == want, "n=%zu dist=%d p=%g: %g != %g", n, d, probs[k], got,
                          want);
            }
            /* unit weights (w = NULL) against the same rule with weights 1 */
            for (size_t i = 0; i < n; i++) {
                p[i].y = y[i];
                p[i].w = 1.0;
            }
            for (size_t k = 0; k < sizeof probs / sizeof *probs; k++) {
                double want = ref_quantile(p, n, (double)n, probs[k]), got;
                cr_assert_eq(povi_quantile_direct(y, NULL, n, (double)n, probs[k], &got), 0);
                cr_assert(got == want, "unit n=%zu dist=%d p=%g", n, d, probs[k]);
            }
            free(wv);
            free(y);
            free(p);
        }
    }
}

Test(select, no_positive_weight) {
    povi_pair p[3] = {{1, 0}, {2, 0}, {3, 0}};
    double r;
    cr_assert_eq(povi_select_quantile(p, 3, 1.0, 0.0, &r), POV_EEMPTY);
    cr_assert_eq(povi_select_quantile(p, 3, 1.0, 1.0, &r), POV_EEMPTY);
    const double y[3] = {1, 2, 3}, w[3] = {0, 0, 0};
    cr_assert_eq(povi_quantile_direct(y, w, 3, 1.0, 0.0, &r), POV_EEMPTY);
    cr_assert_eq(povi_quantile_direct(y, w, 3, 1.0, 1.0, &r), POV_EEMPTY);
}

/* ---- povi_sort_pairs_visit(): sorted runs handed to a visitor ---- */

typedef struct collect {
    povi_pair *p;
    size_t n, calls;
} collect;

static void collect_visit(const povi_pair *p, size_t m, void *ctx) {
    collect *c = ctx;
    cr_assert(m > 0, "a visit with no pairs");
    memcpy(c->p + c->n, p, m * sizeof *p);
    c->n += m;
    c->calls++;
}

/* Stable reference: by value, ties by original index (the weight slot). */
static int cmp_pair_stable(const void *a, const void *b) {
    const povi_pair *x = a, *y = b;
    if (x->y != y->y)
        return (x->y > y->y) - (x->y < y->y);
    return (x->w > y->w) - (x->w < y->w);
}

static void check_visit(size_t n, enum dist d) {
    double *y = malloc((n + 1) * sizeof *y), *idx = malloc((n + 1) * sizeof *idx);
    povi_pair *ref = malloc((n + 1) * sizeof *ref);
    collect c = {malloc((n + 1) * sizeof *c.p), 0, 0};
    fill(y, n, d);
    for (size_t i = 0; i < n; i++) {
        idx[i] = (double)(i + 1); /* the weight remembers where the pair came from */
        ref[i].y = y[i];
        ref[i].w = (double)(i + 1);
    }
    qsort(ref, n, sizeof *ref, cmp_pair_stable);
    int rc = povi_sort_pairs_visit(y, idx, n, collect_visit, &c);
    if (n == 0) {
        cr_assert_eq(rc, POV_EEMPTY);
    } else {
        cr_assert_eq(rc, 0, "n=%zu dist=%d", n, d);
        cr_assert_eq(c.n, n);
        for (size_t i = 0; i < n; i++) {
            cr_assert(c.p[i].y == ref[i].y, "n=%zu dist=%d i=%zu: %g != %g", n, d, i,
                      c.p[i].y, ref[i].y);
            size_t from = (size_t)c.p[i].w - 1;
            cr_assert(from < n && memcmp(&y[from], &c.p[i].y, sizeof(double)) == 0,
                      "the weight must travel with its own value (bit for bit)");
            /* stable: equal values in input order; -0.0 and +0.0 are exempt */
            if (c.p[i].y != 0.0)
                cr_assert(c.p[i].w == ref[i].w, "n=%zu dist=%d i=%zu: tie order", n, d, i);
        }
        /* unit weights */
        c.n = c.calls = 0;
        cr_assert_eq(povi_sort_pairs_visit(y, NULL, n, collect_visit, &c), 0);
        cr_assert_eq(c.n, n);
        for (size_t i = 0; i < n; i++)
            cr_assert(c.p[i].y == ref[i].y && c.p[i].w == 1.0);
    }
    free(c.p);
    free(ref);
    free(idx);
    free(y);
}

Test(sort, visit_all_paths) {
    /* 70000 and 300000 take the write-combining scatter (>= 65536 pairs), and
     * 300000 also a first-level part bigger than 65536 for OUTLIER and TIES */
    const size_t sizes[] = {0, 1, 2, 5, 32, 33, 257, 1000, 70000, 300000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int d = 0; d < NDIST; d++)
            check_visit(sizes[s], (enum dist)d);
}

Test(sort, visit_signed_zeros_and_negatives) {
    /* -0.0 and +0.0 between negative and positive numbers, many duplicates */
    enum { N = 100000 };
    double *y = malloc(N * sizeof *y);
    povi_pair *out = malloc(N * sizeof *out);
    for (size_t i = 0; i < N; i++) {
        double u = urand();
        y[i] = u < 0.2 ? -0.0 : u < 0.4 ? 0.0 : u < 0.7 ? -floor(10 * urand()) : floor(10 * urand());
    }
    collect c = {out, 0, 0};
    cr_assert_eq(povi_sort_pairs_visit(y, NULL, N, collect_visit, &c), 0);
    cr_assert_eq(c.n, N);
    size_t neg = 0, zero = 0;
    for (size_t i = 0; i < N; i++) {
        neg += y[i] < 0;
        zero += y[i] == 0;
        if (i)
            cr_assert(out[i - 1].y <= out[i].y, "i=%zu: %g > %g", i, out[i - 1].y, out[i].y);
    }
    for (size_t i = 0; i < N; i++)
        cr_assert(i < neg ? out[i].y < 0 : i < neg + zero ? out[i].y == 0 : out[i].y > 0);
    free(out);
    free(y);
}

Test(sort, visit_validates) {
    const double y[4] = {3, 1, NAN, 2}, w[4] = {1, 1, 1, 1}, wneg[4] = {1, -1, 1, 1},
                 y2[4] = {3, 1, 4, 2}, w0[4] = {0, 0, 0, 0};
    collect c = {malloc(8 * sizeof(povi_pair)), 0, 0};
    cr_assert_eq(povi_sort_pairs_visit(y, w, 4, collect_visit, &c), POV_ENONFINITE);
    cr_assert_eq(povi_sort_pairs_visit(y2, wneg, 4, collect_visit, &c), POV_ERANGE);
    cr_assert_eq(povi_sort_pairs_visit(y2, w0, 4, collect_visit, &c), POV_EEMPTY);
    cr_assert_eq(povi_sort_pairs_visit(NULL, w, 4, collect_visit, &c), POV_EINVAL);
    cr_assert_eq(c.calls, 0, "nothing is visited on bad input");
    free(c.p);
}

/* pov_gini() (sorting by visits) against the same sums over a stable qsort:
 * the order of the pairs, ties included, and so every bit must agree. */
Test(sort, gini_matches_stable_qsort_sums) {
    const size_t sizes[] = {1, 40, 5000, 70000, 300000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        double *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w);
        povi_pair *p = malloc(n * sizeof *p);
        for (int d = 0; d < NDIST; d++) {
            fill(y, n, (enum dist)d);
            for (size_t i = 0; i < n; i++) {
                y[i] = fabs(y[i]) + (d == TIES ? 1.0 : 0.0); /* positive total */
                if (d == WIDE)
                    y[i] = fmin(y[i], 1e300 / (double)n);
                w[i] = 0.25 + urand();
                p[i].y = y[i];
                p[i].w = (double)i;
            }
            qsort(p, n, sizeof *p, cmp_pair_stable);
            double W = 0, T = 0, S = 0, Sc = 0, Wc = 0;
            for (size_t i = 0; i < n; i++) {
                double wi = w[(size_t)p[i].w], wy = wi * p[i].y;
                W += wi;
                T += wy;
                S += wy * (2.0 * W - wi);
                Wc += wi;
                Sc += wy * (2.0 * Wc - 1.0);
            }
            double g, gc;
            if (!(T > 0))
                continue;
            cr_assert_eq(pov_gini(y, w, n, &g), 0);
            cr_assert(g == S / W / T - 1.0, "n=%zu dist=%d: %.17g != %.17g", n, d, g,
                      S / W / T - 1.0);
            cr_assert_eq(pov_gini_convey(y, w, n, &gc), 0);
            cr_assert(gc == Sc / W / T - 1.0, "convey n=%zu dist=%d", n, d);
        }
        free(p);
        free(w);
        free(y);
    }
}

/* Parts of up to 65536 elements (IDX_CAP in sort.c) keep their bucket
 * numbers between the histogram and the scatter; bigger ones compute them
 * twice. Both sides of the boundary, at the top level (n itself) and as a
 * first-level part (OUTLIER puts all but one element into one bucket), for
 * every sort; the order is checked against qsort, ties by input position. */
Test(sort, part_size_boundary) {
    const size_t sizes[] = {65535, 65536, 65537, 65538};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        check_doubles(sizes[s], OUTLIER);
        check_doubles(sizes[s], SMOOTH);
        check_pairs(sizes[s], OUTLIER);
        check_visit(sizes[s], OUTLIER);
        check_visit(sizes[s], TIES);
        check_visit(sizes[s], WIDE);
    }
}

/* Above 65536 pairs the top-level histogram is counted during the validation
 * pass in bins sized from the first 4096 values, with buckets aligned to
 * their width (sort.c, fold_top()); it falls back to the separate pass when
 * a later value leaves the bins or when both -0.0 and +0.0 occur. The order
 * is the same either way: by value, ties (including +0.0 among themselves)
 * in input order, checked here against a stable qsort on every path. */
static void check_visit_exact(const double *y, size_t n) {
    double *idx = malloc(n * sizeof *idx);
    povi_pair *ref = malloc(n * sizeof *ref);
    collect c = {malloc(n * sizeof *c.p), 0, 0};
    for (size_t i = 0; i < n; i++) {
        idx[i] = (double)(i + 1);
        ref[i].y = y[i];
        ref[i].w = (double)(i + 1);
    }
    qsort(ref, n, sizeof *ref, cmp_pair_stable);
    cr_assert_eq(povi_sort_pairs_visit(y, idx, n, collect_visit, &c), 0);
    cr_assert_eq(c.n, n);
    for (size_t i = 0; i < n; i++)
        cr_assert(memcmp(&c.p[i], &ref[i], sizeof ref[i]) == 0, "n=%zu i=%zu: (%g, %g) != (%g, %g)",
                  n, i, c.p[i].y, c.p[i].w, ref[i].y, ref[i].w);
    free(c.p);
    free(ref);
    free(idx);
}

Test(sort, visit_folded_histogram_paths) {
    enum { N = 150000 };
    double *y = malloc(N * sizeof *y);
    /* representative start: folded; +0.0 (no -0.0) and negatives with ties */
    for (size_t i = 0; i < N; i++) {
        double u = urand();
        y[i] = u < 0.2 ? 0.0 : u < 0.5 ? -1.0 - floor(100 * urand()) : floor(exp(12 * urand()));
    }
    check_visit_exact(y, N);
    /* the same with -0.0 only */
    for (size_t i = 0; i < N; i++)
        y[i] = y[i] == 0.0 ? -0.0 : y[i];
    check_visit_exact(y, N);
    /* a narrow start (the first 4096 values within a few ulps), then the rest
     * spread wide: the bins overflow, the separate pass runs */
    for (size_t i = 0; i < N; i++)
        y[i] = i < 4096 ? 1000.0 + (double)(i % 3) * 0x1p-40 : exp(20 * urand());
    check_visit_exact(y, N);
    /* the whole range within the first values' bins, kmin not a multiple of
     * the bucket width: the aligned top level has one bucket more */
    for (size_t i = 0; i < N; i++)
        y[i] = 3.0 + 5.0 * urand();
    y[0] = 3.0;
    y[1] = 8.0;
    check_visit_exact(y, N);
    free(y);
}
