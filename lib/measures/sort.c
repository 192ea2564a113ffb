/*
 * Sorting of incomes and (income, weight) pairs, ascending.
 *
 * Doubles are mapped to unsigned 64-bit keys that order like the values
 * (flip every bit of a negative number, only the sign bit of a non-negative
 * one). -0.0 and +0.0 are equal and may end up in either order; no measure
 * can tell them apart. NaN must not be present (callers validate first).
 *
 * Algorithm: most-significant-digit radix sort on the key range of the data.
 * Each level finds the smallest and largest key of its part, spreads the part
 * over 2^b buckets by (key − min) >> shift (b up to 11, about 4 elements per
 * bucket for small parts) into the other buffer, and recurses into every
 * bucket with more than SMALL_N elements; small buckets get an insertion
 * sort. Because a bucket's keys differ by less than 2^shift, every level
 * removes at least 4 bits of key range, so there are at most 18 levels and
 * the work is O(n) per level whatever the distribution (one outlier, ties,
 * negative numbers). Income keys are close to a log scale, so for income data
 * the first level already leaves buckets of a few hundred elements that the
 * second level sorts in cache: two passes over memory instead of the six of a
 * plain 11-bit LSD radix sort, which on the development machine made the sort
 * of 10^6 (y, w) pairs about twice as fast. Already sorted input is detected
 * in one pass and left alone.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "measures_internal.h"

#define SMALL_N 32     /* insertion sort at or below this */
#define MAX_BITS 11    /* at most 2^11 buckets per level */
#define MAX_LEVELS 20  /* > 64 / 4 + 2: the depth bound argued above */
#define LEVEL_COUNTS ((1u << MAX_BITS) + 1)

static inline uint64_t key_of(double x) {
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    uint64_t mask = (uint64_t)(-(int64_t)(u >> 63)) | UINT64_C(0x8000000000000000);
    return u ^ mask;
}

static inline double val_of(const double *p) { return *p; }
static inline double val_of_pair(const povi_pair *p) { return p->y; }

static unsigned bit_length(uint64_t x) {
    unsigned b = 0;
    while (x) {
        b++;
        x >>= 1;
    }
    return b;
}

/* One template for both element types. msd_X sorts the n elements of src
 * into dst (src is scratch afterwards); cnt holds MAX_LEVELS * LEVEL_COUNTS
 * counters, one row per level. */
#define DEFINE_SORTS(SUFFIX, T, VAL)                                                        \
    static void insertion_##SUFFIX(T *a, size_t n) {                                        \
        for (size_t i = 1; i < n; i++) {                                                    \
            T x = a[i];                                                                     \
            double v = VAL(&x);                                                             \
            size_t j = i;                                                                   \
            while (j > 0 && VAL(&a[j - 1]) > v) {                                           \
                a[j] = a[j - 1];                                                            \
                j--;                                                                        \
            }                                                                               \
            a[j] = x;                                                                       \
        }                                                                                   \
    }                                                                                       \
                                                                                            \
    static void msd_##SUFFIX(T *src, T *dst, size_t n, uint32_t *cnt, unsigned level) {     \
        uint64_t kmin = UINT64_MAX, kmax = 0;                                               \
        for (size_t i = 0; i < n; i++) {                                                    \
            uint64_t k = key_of(VAL(&src[i]));                                              \
            kmin = k < kmin ? k : kmin;                                                     \
            kmax = k > kmax ? k : kmax;                                                     \
        }                                                                                   \
        if (kmin == kmax || level >= MAX_LEVELS) { /* all equal (level bound: safety) */    \
            memcpy(dst, src, n * sizeof *src);                                              \
            if (kmin != kmax)                                                               \
                insertion_##SUFFIX(dst, n);                                                 \
            return;                                                                         \
        }                                                                                   \
        unsigned bits = bit_length(kmax - kmin);                                            \
        unsigned want = bit_length((uint64_t)(n / 4));                                      \
        unsigned bb = want < 4 ? 4 : want > MAX_BITS ? MAX_BITS : want;                     \
        if (bb > bits)                                                                      \
            bb = bits;                                                                      \
        unsigned shift = bits - bb;                                                         \
        size_t nb = (size_t)1 << bb;                                                        \
        uint32_t *c = cnt + (size_t)level * LEVEL_COUNTS;                                   \
        memset(c, 0, (nb + 1) * sizeof *c);                                                 \
        for (size_t i = 0; i < n; i++)                                                      \
            c[((key_of(VAL(&src[i])) - kmin) >> shift) + 1]++;                              \
        for (size_t b = 1; b <= nb; b++)                                                    \
            c[b] += c[b - 1];                                                               \
        /* c[b] = start of bucket b; after the scatter c[b] = its end */                    \
        for (size_t i = 0; i < n; i++)                                                      \
            dst[c[(key_of(VAL(&src[i])) - kmin) >> shift]++] = src[i];                      \
        size_t lo = 0;                                                                      \
        for (size_t b = 0; b < nb; b++) {                                                   \
            size_t hi = c[b], m = hi - lo;                                                  \
            if (m <= SMALL_N) {                                                             \
                insertion_##SUFFIX(dst + lo, m);                                            \
            } else {                                                                        \
                msd_##SUFFIX(dst + lo, src + lo, m, cnt, level + 1);                        \
                memcpy(dst + lo, src + lo, m * sizeof *src);                                \
            }                                                                               \
            lo = hi;                                                                        \
        }                                                                                   \
    }                                                                                       \
                                                                                            \
    int povi_sort_##SUFFIX(T *a, T *tmp, size_t n) {                                        \
        if (n <= SMALL_N) {                                                                 \
            insertion_##SUFFIX(a, n);                                                       \
            return 0;                                                                       \
        }                                                                                   \
        if (n > UINT32_MAX) /* counters are 32-bit */                                       \
            return povi_error(POV_ELIMIT, "cannot sort more than %u values", UINT32_MAX);   \
        int sorted = 1;                                                                     \
        for (size_t i = 1; i < n; i++)                                                      \
            sorted &= VAL(&a[i - 1]) <= VAL(&a[i]);                                         \
        if (sorted)                                                                         \
            return 0;                                                                       \
        uint32_t *cnt = malloc((size_t)MAX_LEVELS * LEVEL_COUNTS * sizeof *cnt);            \
        if (!cnt)                                                                           \
            return povi_error(POV_ENOMEM, "out of memory sorting %zu values", n);           \
        msd_##SUFFIX(a, tmp, n, cnt, 0);                                                    \
        memcpy(a, tmp, n * sizeof *a);                                                      \
        free(cnt);                                                                          \
        return 0;                                                                           \
    }

DEFINE_SORTS(doubles, double, val_of)
DEFINE_SORTS(pairs, povi_pair, val_of_pair)

/*
 * Sorting straight from the caller's (y, w) arrays: the first level of the
 * radix sort reads y for the key range and the histogram and scatters the
 * pairs (y[i], w[i]) from the arrays into their buckets, so the data are not
 * first copied into a pair array and the result is not copied back from the
 * scratch buffer at the end (each bucket is sorted in cache and copied back
 * there). That saves three of the seven passes over memory of
 * copy + povi_sort_pairs() for 10^7 pairs. Already sorted input is detected
 * in the key-range pass and copied as it is.
 */
int povi_sort_pairs_from(const double *y, const double *w, size_t n, povi_pair *out,
                         povi_pair *tmp) {
    if (n > UINT32_MAX) /* counters are 32-bit */
        return povi_error(POV_ELIMIT, "cannot sort more than %u values", UINT32_MAX);
    uint64_t kmin = UINT64_MAX, kmax = 0;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(y[i]);
        kmin = k < kmin ? k : kmin;
        kmax = k > kmax ? k : kmax;
        sorted &= i == 0 || y[i - 1] <= y[i];
    }
    if (sorted || n <= SMALL_N || kmin == kmax) {
        for (size_t i = 0; i < n; i++) {
            out[i].y = y[i];
            out[i].w = w ? w[i] : 1.0;
        }
        if (!sorted)
            insertion_pairs(out, n); /* n small, or all equal (then a no-op scan) */
        return 0;
    }
    uint32_t *cnt = malloc((size_t)MAX_LEVELS * LEVEL_COUNTS * sizeof *cnt);
    if (!cnt)
        return povi_error(POV_ENOMEM, "out of memory sorting %zu values", n);
    unsigned bits = bit_length(kmax - kmin);
    unsigned want = bit_length((uint64_t)(n / 4));
    unsigned bb = want < 4 ? 4 : want > MAX_BITS ? MAX_BITS : want;
    if (bb > bits)
        bb = bits;
    unsigned shift = bits - bb;
    size_t nb = (size_t)1 << bb;
    uint32_t *c = cnt; /* level 0 row */
    memset(c, 0, (nb + 1) * sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[((key_of(y[i]) - kmin) >> shift) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        c[b] += c[b - 1];
    if (w) {
        for (size_t i = 0; i < n; i++) {
            povi_pair *d = &out[c[(key_of(y[i]) - kmin) >> shift]++];
            d->y = y[i];
            d->w = w[i];
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            povi_pair *d = &out[c[(key_of(y[i]) - kmin) >> shift]++];
            d->y = y[i];
            d->w = 1.0;
        }
    }
    size_t lo = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t hi = c[b], m = hi - lo;
        if (m <= SMALL_N) {
            insertion_pairs(out + lo, m);
        } else {
            msd_pairs(out + lo, tmp + lo, m, cnt, 1);
            memcpy(out + lo, tmp + lo, m * sizeof *out);
        }
        lo = hi;
    }
    free(cnt);
    return 0;
}
