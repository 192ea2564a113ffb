/*
 * Sorting of incomes and (income, weight) pairs, ascending.
 *
 * Doubles are mapped to unsigned 64-bit keys that order like the values
 * (flip every bit of a negative number, only the sign bit of a non-negative
 * one). -0.0 and +0.0 are equal and may end up in either order; no measure
 * can tell them apart. NaN must not be present (callers validate first).
 * Elements with equal values otherwise keep their input order (every step
 * below is stable), so the order of ties, and with it every sum over the
 * sorted data, depends only on the input.
 *
 * Algorithm: most-significant-digit radix sort on the key range of the data.
 * Each level finds the smallest and largest key of its part (or knows them
 * from the level above) and spreads the part over 2^b buckets by
 * (key − min) >> shift into the other buffer, with two to four buckets per
 * element: b = bit_length(m) + 1 for a part of m elements, at most TOP_BITS
 * (12) for a part too big for the cache, where more buckets than the TLB and
 * the L2 cache can follow would make the scatter slow, and at most SUB_BITS
 * (14) for smaller parts. It recurses into every bucket with more than
 * SMALL_N elements; the other buckets hold a handful of elements each, and
 * one insertion-sort pass over the whole part then puts them in order (an
 * element only moves within its bucket, so the pass costs little more than a
 * scan, and much less than an insertion sort per bucket, whose loop exits
 * are mispredicted). Because a bucket's keys differ by less than 2^shift,
 * every level removes at least 4 bits of key range, so there are at most 18
 * levels and the work is O(n) per level whatever the distribution (one
 * outlier, ties, negative numbers). Income keys are close to a log scale, so
 * for income data the first level already leaves buckets of a few thousand
 * elements that the second level sorts in cache: two passes over memory
 * instead of the six of a plain 11-bit LSD radix sort. Already sorted input
 * is detected in one pass and left alone.
 *
 * On 10^6 and 10^7 log-normal incomes with weights (tests/bench), compared
 * with the previous version of this file (2^11 buckets per level, about four
 * elements per bucket, an insertion sort per bucket), pov_gini() became about
 * 1.6 times as fast at 10^6 and 2.8 times at 10^7 (CPU time on a loaded
 * machine; half the data reads and branch mispredictions at 10^6 by
 * callgrind's count), by, in order of effect:
 * not storing the sorted data whole (povi_sort_pairs_visit()), huge pages
 * for the scatter buffer (povi_big_try_alloc()), the write-combining scatter
 * (top_scatter()), one insertion pass per part with more buckets, and
 * folding the validation into the key-range pass. Then (2026-11-30), with
 * the same buckets and so the same order, bit for bit: parts that fit in the
 * cache keep their bucket numbers from the histogram for the scatter instead
 * of computing every key twice, the counters are summed four at a time
 * (prefix_counts()), and the validation pass uses minpd/maxpd and the
 * comparison-free checks of poverty.c, the insertion pass copies only the
 * elements that move, the scatter loop no longer tests w per element, and
 * povi_sort_pairs_visit() counts its top-level histogram during the
 * validation pass (fold_top(); one read of y fewer): about a fifth fewer
 * instructions for pov_gini() at 10^6 (callgrind: 155 to 123 million),
 * which is now bound by memory traffic,
 * page faults of the scatter buffer and branch mispredictions rather than
 * by instructions.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "measures_internal.h"

#define SMALL_N 32     /* parts this small: insertion sort only */
#define TOP_BITS 12    /* at most 2^12 buckets for a part bigger than BIG_PART */
#define SUB_BITS 14    /* at most 2^14 buckets for smaller parts */
#define BIG_PART 65536 /* elements; 1 MiB of pairs, about what the L2 cache holds */
#define WC_MIN_N 65536 /* write-combining scatter from this many pairs on */
#define MAX_LEVELS 20  /* > 64 / 4 + 2: the depth bound argued above */
#define LEVEL_COUNTS ((1u << SUB_BITS) + 1)
#define IDX_CAP BIG_PART /* parts up to this size keep their bucket numbers (uint16) */
/* counter rows and the bucket-number scratch, one allocation */
#define IDX_OF(cnt) ((uint16_t *)((cnt) + (size_t)MAX_LEVELS * LEVEL_COUNTS))
#define SCRATCH_BYTES ((size_t)MAX_LEVELS * LEVEL_COUNTS * sizeof(uint32_t) + IDX_CAP * sizeof(uint16_t))

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

/* Shift that spreads a part of m elements whose keys span a range of @p bits
 * bits over about one bucket per element (2^(bits − shift) buckets), within
 * the caps explained at the top; at least 16 buckets unless the range is
 * smaller. */
static unsigned bucket_shift(unsigned bits, size_t m) {
    unsigned cap = m > BIG_PART ? TOP_BITS : SUB_BITS;
    unsigned bb = bit_length((uint64_t)m) + 1;
    bb = bb < 4 ? 4 : bb > cap ? cap : bb;
    return bb > bits ? 0 : bits - bb;
}

/*
 * Turns the counts c[1..nb] (c[0] = 0) into bucket ends, c[b] = c[1] + ... +
 * c[b], and tells whether some count exceeds SMALL_N. With SSE2 four counters
 * at a time (a prefix sum within the vector, plus the running total): at the
 * levels that run in cache there are two to four counters per element, so
 * this loop cost about as much as the histogram itself.
 */
static int prefix_counts(uint32_t *c, size_t nb) {
    size_t b = 1;
    uint32_t run = 0;
    int big = 0;
#if defined(__SSE2__)
    /* unsigned count > SMALL_N as a signed comparison with the sign bits flipped */
    const __m128i flip = _mm_set1_epi32(INT32_MIN);
    const __m128i thr = _mm_set1_epi32((int32_t)((uint32_t)SMALL_N ^ 0x80000000u));
    __m128i carry = _mm_setzero_si128(), over = carry;
    for (; b + 3 <= nb; b += 4) {
        __m128i v = _mm_loadu_si128((const __m128i *)(c + b));
        over = _mm_or_si128(over, _mm_cmpgt_epi32(_mm_xor_si128(v, flip), thr));
        v = _mm_add_epi32(v, _mm_slli_si128(v, 4));
        v = _mm_add_epi32(v, _mm_slli_si128(v, 8));
        v = _mm_add_epi32(v, carry);
        _mm_storeu_si128((__m128i *)(c + b), v);
        carry = _mm_shuffle_epi32(v, _MM_SHUFFLE(3, 3, 3, 3));
    }
    big = _mm_movemask_epi8(over) != 0;
    run = (uint32_t)_mm_cvtsi128_si32(carry);
#endif
    for (; b <= nb; b++) {
        big |= c[b] > SMALL_N;
        run += c[b];
        c[b] = run;
    }
    return big;
}

/* One template for both element types. msd_X sorts the n elements of src
 * into dst (src is scratch afterwards); cnt holds MAX_LEVELS * LEVEL_COUNTS
 * counters, one row per level, followed by the IDX_CAP bucket numbers
 * (SCRATCH_BYTES in all; IDX_OF). */
#define DEFINE_SORTS(SUFFIX, T, VAL)                                                        \
    static void insertion_##SUFFIX(T *a, size_t n) {                                        \
        for (size_t i = 1; i < n; i++) {                                                    \
            double v = VAL(&a[i]);                                                          \
            if (VAL(&a[i - 1]) > v) { /* rare after a radix level: no copy otherwise */     \
                T x = a[i];                                                                 \
                size_t j = i;                                                               \
                do {                                                                        \
                    a[j] = a[j - 1];                                                        \
                    j--;                                                                    \
                } while (j > 0 && VAL(&a[j - 1]) > v);                                      \
                a[j] = x;                                                                   \
            }                                                                               \
        }                                                                                   \
    }                                                                                       \
                                                                                            \
    static void msd_##SUFFIX(T *src, T *dst, size_t n, uint32_t *cnt, unsigned level);     \
                                                                                            \
    /* keys of src[0..n) in [kmin, kmin + 2^bits) */                                        \
    static void msd_range_##SUFFIX(T *src, T *dst, size_t n, uint32_t *cnt, unsigned level, \
                                   uint64_t kmin, unsigned bits) {                          \
        if (bits == 0) { /* all keys equal */                                               \
            memcpy(dst, src, n * sizeof *src);                                              \
            return;                                                                         \
        }                                                                                   \
        unsigned shift = bucket_shift(bits, n);                                             \
        size_t nb = (size_t)1 << (bits - shift);                                            \
        uint32_t *c = cnt + (size_t)level * LEVEL_COUNTS;                                   \
        memset(c, 0, (nb + 1) * sizeof *c);                                                 \
        int big;                                                                            \
        if (n <= IDX_CAP) { /* bucket numbers computed once (nb <= 2^SUB_BITS) */           \
            uint16_t *idx = IDX_OF(cnt);                                                    \
            for (size_t i = 0; i < n; i++) {                                                \
                uint16_t b = (uint16_t)((key_of(VAL(&src[i])) - kmin) >> shift);            \
                idx[i] = b;                                                                 \
                c[b + 1]++;                                                                 \
            }                                                                               \
            big = prefix_counts(c, nb);                                                     \
            /* c[b] = start of bucket b; after the scatter c[b] = its end */                \
            for (size_t i = 0; i < n; i++)                                                  \
                dst[c[idx[i]]++] = src[i];                                                  \
        } else {                                                                            \
            for (size_t i = 0; i < n; i++)                                                  \
                c[((key_of(VAL(&src[i])) - kmin) >> shift) + 1]++;                          \
            big = prefix_counts(c, nb);                                                     \
            for (size_t i = 0; i < n; i++)                                                  \
                dst[c[(key_of(VAL(&src[i])) - kmin) >> shift]++] = src[i];                  \
        }                                                                                   \
        if (big) { /* recurse into the buckets with more than SMALL_N elements */           \
            size_t lo = 0;                                                                  \
            for (size_t b = 0; b < nb; b++) {                                               \
                size_t hi = c[b], m = hi - lo;                                              \
                if (m > SMALL_N) {                                                          \
                    msd_##SUFFIX(dst + lo, src + lo, m, cnt, level + 1);                    \
                    memcpy(dst + lo, src + lo, m * sizeof *src);                            \
                }                                                                           \
                lo = hi;                                                                    \
            }                                                                               \
        }                                                                                   \
        insertion_##SUFFIX(dst, n); /* the small buckets; a scan over the rest */           \
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
        msd_range_##SUFFIX(src, dst, n, cnt, level, kmin, bit_length(kmax - kmin));         \
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
        uint32_t *cnt = malloc(SCRATCH_BYTES);                                              \
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
 * The top level of the sorts straight from the caller's (y, w) arrays: the
 * data are not first copied into a pair array. A first pass over y finds
 * the key range and detects sorted input (and, for povi_sort_pairs_visit(),
 * validates the data); a histogram pass over y counts the buckets; a scatter
 * pass copies the pairs (y[i], w[i]) from the arrays into their buckets in
 * @p out. The buckets are then finished one by one in cache.
 */
typedef struct top_level {
    uint64_t kmin;
    unsigned shift;
    size_t nb;     /* number of buckets */
    size_t mmax;   /* size of the largest bucket */
    uint32_t *cnt; /* SCRATCH_BYTES: MAX_LEVELS rows of counters (row 0: bucket ends), IDX_OF */
} top_level;

/* Key range and sortedness of y (no NaN). */
static int key_range(const double *y, size_t n, uint64_t *kmin, uint64_t *kmax) {
    uint64_t lo = UINT64_MAX, hi = 0;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(y[i]);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
        sorted &= i == 0 || y[i - 1] <= y[i];
    }
    *kmin = lo;
    *kmax = hi;
    return sorted;
}

/* Histogram pass over y (kmin < kmax); allocates t->cnt. */
/* Turns the bucket counts t->cnt[1 .. nb] into bucket starts (cnt[b] = rows
 * before bucket b) and records the largest bucket in t->mmax. */
static void counts_to_starts(top_level *t) {
    uint32_t *c = t->cnt;
    size_t mmax = 0;
    for (size_t b = 1; b <= t->nb; b++) {
        mmax = c[b] > mmax ? c[b] : mmax;
        c[b] += c[b - 1];
    }
    t->mmax = mmax;
}

static int top_histogram(const double *y, size_t n, uint64_t kmin, uint64_t kmax, top_level *t) {
    t->cnt = malloc(SCRATCH_BYTES);
    if (!t->cnt)
        return povi_error(POV_ENOMEM, "out of memory sorting %zu values", n);
    unsigned bits = bit_length(kmax - kmin);
    t->kmin = kmin;
    t->shift = bucket_shift(bits, n);
    t->nb = (size_t)1 << (bits - t->shift);
    uint32_t *c = t->cnt;
    memset(c, 0, (t->nb + 1) * sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[((key_of(y[i]) - kmin) >> t->shift) + 1]++;
    counts_to_starts(t);
    return 0;
}

/* Scatter pass: afterwards cnt[b] is the end of bucket b in out. */
static void top_scatter_plain(const double *y, const double *w, size_t n, const top_level *t,
                              povi_pair *out) {
    uint32_t *c = t->cnt;
    const uint64_t kmin = t->kmin;
    const unsigned shift = t->shift;
    for (size_t i = 0; i < n; i++) {
        povi_pair *d = &out[c[(key_of(y[i]) - kmin) >> shift]++];
        d->y = y[i];
        d->w = w ? w[i] : 1.0;
    }
}

/*
 * The same with software write-combining, for outputs bigger than the cache:
 * storing each pair straight to its bucket touches a new cache line of the
 * output every fourth pair of a bucket, and with 2^11 buckets filling at once
 * each such line must first be read from memory (read for ownership), which
 * makes the plain scatter the slowest pass of the sort. Here each bucket
 * collects the four pairs of its current 64-byte line of the output in a
 * staging line (2^11 of them: 128 KiB, in the L2 cache) and the line is
 * written whole when full, with non-temporal stores on x86-64, which skip
 * the read. Lines that the bucket shares with its neighbour (its first and
 * last) are written pair by pair. @p out must be 64-byte aligned.
 */
#define LINE_PAIRS 4 /* pairs per 64-byte line */
typedef struct stage_line {
    povi_pair p[LINE_PAIRS];
} stage_line;

static inline void write_line(povi_pair *dst, const stage_line *src) {
#if defined(__SSE2__)
    const __m128i *s = (const __m128i *)src->p;
    __m128i *d = (__m128i *)dst;
    _mm_stream_si128(d, _mm_load_si128(s));
    _mm_stream_si128(d + 1, _mm_load_si128(s + 1));
    _mm_stream_si128(d + 2, _mm_load_si128(s + 2));
    _mm_stream_si128(d + 3, _mm_load_si128(s + 3));
#else
    memcpy(dst, src->p, sizeof src->p);
#endif
}

/* The loop of top_scatter(), inlined twice so that `weighted` is a constant
 * (no test of w per element). */
#if defined(__GNUC__)
#define SORT_INLINE static inline __attribute__((always_inline))
#else
#define SORT_INLINE static inline
#endif
SORT_INLINE void wc_loop(const double *y, const double *w, size_t n, uint64_t kmin,
                         unsigned shift, uint32_t *c, const uint32_t *start, stage_line *stage,
                         povi_pair *out, const int weighted) {
    for (size_t i = 0; i < n; i++) {
        size_t b = (key_of(y[i]) - kmin) >> shift;
        uint32_t pos = c[b]++;
        povi_pair *sp = &stage[b].p[pos % LINE_PAIRS];
#if defined(__SSE2__) /* one 16-byte store, so write_line() can load it back at once */
        _mm_store_pd(&sp->y, _mm_set_pd(weighted ? w[i] : 1.0, y[i]));
#else
        sp->y = y[i];
        sp->w = weighted ? w[i] : 1.0;
#endif
        if (pos % LINE_PAIRS == LINE_PAIRS - 1) {
            uint32_t first = pos - (LINE_PAIRS - 1);
            if (first >= start[b]) {
                write_line(out + first, &stage[b]);
            } else { /* the bucket's first line, shared with the one before */
                for (uint32_t k = start[b]; k <= pos; k++)
                    out[k] = stage[b].p[k % LINE_PAIRS];
            }
        }
    }
}

static int top_scatter(const double *y, const double *w, size_t n, const top_level *t,
                       povi_pair *out) {
    if (n < WC_MIN_N || ((uintptr_t)out & 63) != 0) {
        top_scatter_plain(y, w, n, t, out);
        return 0;
    }
    const size_t nb = t->nb;
    stage_line *stage = NULL;
    if (posix_memalign((void **)&stage, 64, (nb + 1) * sizeof *stage + nb * sizeof(uint32_t)))
        return povi_error(POV_ENOMEM, "out of memory sorting %zu values", n);
    uint32_t *start = (uint32_t *)(stage + nb + 1), *c = t->cnt;
    memcpy(start, c, nb * sizeof *start);
    if (w)
        wc_loop(y, w, n, t->kmin, t->shift, c, start, stage, out, 1);
    else
        wc_loop(y, NULL, n, t->kmin, t->shift, c, start, stage, out, 0);
#if defined(__SSE2__)
    _mm_sfence(); /* order the non-temporal stores before the reads below */
#endif
    for (size_t b = 0; b < nb; b++) { /* the unwritten tail of each bucket */
        uint32_t end = c[b], k = end - end % LINE_PAIRS;
        if (k < start[b])
            k = start[b];
        for (; k < end; k++)
            out[k] = stage[b].p[k % LINE_PAIRS];
    }
    free(stage);
    return 0;
}

/*
 * povi_sort_pairs_from(): the buckets are sorted in cache through @p tmp and
 * copied back to @p out, so there is no copy of the whole result at the end.
 * That saves three of the seven passes over memory of copy +
 * povi_sort_pairs() for 10^7 pairs. Sorted input is copied as it is.
 */
int povi_sort_pairs_from(const double *y, const double *w, size_t n, povi_pair *out,
                         povi_pair *tmp) {
    if (n > UINT32_MAX) /* counters are 32-bit */
        return povi_error(POV_ELIMIT, "cannot sort more than %u values", UINT32_MAX);
    uint64_t kmin, kmax;
    int sorted = key_range(y, n, &kmin, &kmax);
    if (sorted || n <= SMALL_N) { /* equal keys are equal values: sorted */
        for (size_t i = 0; i < n; i++) {
            out[i].y = y[i];
            out[i].w = w ? w[i] : 1.0;
        }
        if (!sorted)
            insertion_pairs(out, n);
        return 0;
    }
    top_level t;
    int rc = top_histogram(y, n, kmin, kmax, &t);
    if (rc)
        return rc;
    if ((rc = top_scatter(y, w, n, &t, out))) {
        free(t.cnt);
        return rc;
    }
    size_t lo = 0;
    for (size_t b = 0; b < t.nb; b++) {
        size_t hi = t.cnt[b], m = hi - lo;
        if (m <= SMALL_N) {
            insertion_pairs(out + lo, m);
        } else {
            uint64_t kb = t.kmin + ((uint64_t)b << t.shift);
            msd_range_pairs(out + lo, tmp + lo, m, t.cnt, 1, kb, t.shift);
            memcpy(out + lo, tmp + lo, m * sizeof *out);
        }
        lo = hi;
    }
    free(t.cnt);
    return 0;
}

/*
 * povi_sort_pairs_visit(): the sorted pairs are never stored as a whole. The
 * scatter goes into a buffer of n pairs; then each bucket, in ascending
 * order, is sorted into a scratch buffer of the largest bucket's size (in
 * cache for income data) and handed to the visitor right there. A one-pass
 * consumer such as the Gini sums thus reads the sorted data while they are
 * in cache, and there is neither a copy back nor a second buffer of n pairs:
 * 2 doubles per observation instead of 4, and two passes over memory fewer.
 * The validation is folded into the key-range pass (one pass fewer again),
 * and so, above 65536 pairs, is the top-level histogram (fold_top()).
 */
/*
 * The top-level histogram folded into the validation pass of
 * povi_sort_pairs_visit() (n > BIG_PART): one read of y fewer. The bucket
 * width is not known before that pass has seen the whole key range, so the
 * pass counts keys in 2^FOLD_BITS bins of a width 2^s chosen from the first
 * FOLD_GUESS values (s = bit_length(their key range) − TOP_BITS; the
 * top-level shift of the whole data can only be as large or larger). Bins of
 * width 2^s add up exactly to buckets of width 2^shift whose edges are
 * multiples of 2^shift, so the folded top level uses such aligned buckets
 * (its lowest edge is kmin rounded down) instead of buckets starting at kmin
 * exactly. When a key falls outside the window of bins (the first values
 * were not representative: sorted-like or outlying data), the separate pass
 * top_histogram() runs as before.
 *
 * Aligned or not, radix buckets followed by the stable insertion pass order
 * the pairs by key and, for equal keys, by input position. Keys differ for
 * equal values only for -0.0 and +0.0, whose relative order depends on the
 * buckets (the insertion pass compares values); so when both occur, the
 * folded histogram is not used and the buckets are exactly those of
 * top_histogram(). Every result is therefore the same bit for bit.
 */
#define FOLD_BITS 15
#define FOLD_GUESS 4096

typedef struct fold_hist {
    uint32_t *h;   /* 2^FOLD_BITS counters, NULL if not folding */
    uint64_t base; /* a key k is counted in bin (k >> s) − base, modulo 2^64 */
    unsigned s;
    uint64_t out; /* nonzero if some key fell outside the bins */
} fold_hist;

static void fold_init(fold_hist *f, const double *y, size_t n) {
    f->h = NULL;
    f->out = 0;
    f->base = 0;
    f->s = 0;
    if (n <= BIG_PART)
        return;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < FOLD_GUESS; i++) { /* NaN: rejected by the pass anyway */
        uint64_t k = key_of(y[i]);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    unsigned bits = bit_length(hi - lo);
    f->s = bits > TOP_BITS ? bits - TOP_BITS : 0;
    uint64_t l = lo >> f->s, mid = l + ((hi >> f->s) - l) / 2; /* the sample in the middle */
    f->base = mid - ((uint64_t)1 << (FOLD_BITS - 1));
    f->h = calloc((size_t)1 << FOLD_BITS, sizeof *f->h); /* NULL: not folding */
}

/* counts y in the bins h (base, s: as in fold_hist); returns the bits that
 * fall outside the window */
static inline uint64_t fold_count(uint32_t *h, uint64_t base, unsigned s, double y) {
    uint64_t j = (key_of(y) >> s) - base;
    h[j & (((uint64_t)1 << FOLD_BITS) - 1)]++;
    return j >> FOLD_BITS;
}

/* The top level from the folded counts: 1 if done, 0 if it does not apply
 * (see above), or POV_ENOMEM. */
static int fold_top(const fold_hist *f, size_t n, uint64_t kmin, uint64_t kmax, top_level *t) {
    const uint64_t win = (uint64_t)1 << FOLD_BITS;
    uint64_t jn = (key_of(-0.0) >> f->s) - f->base, jp = (key_of(0.0) >> f->s) - f->base;
    uint64_t jlo = (kmin >> f->s) - f->base, jhi = (kmax >> f->s) - f->base;
    if (!f->h || f->out || jlo >= win || jhi >= win || jlo > jhi)
        return 0;
    if (jn < win && jp < win && f->h[jn] && f->h[jp])
        return 0; /* maybe both -0.0 and +0.0: the buckets of top_histogram() */
    unsigned shift = bucket_shift(bit_length(kmax - kmin), n);
    if (shift < f->s) /* cannot happen (the sample's range is smaller): safety */
        return 0;
    if (!(t->cnt = malloc(SCRATCH_BYTES)))
        return povi_error(POV_ENOMEM, "out of memory sorting %zu values", n);
    uint64_t off = kmin & ~(((uint64_t)1 << shift) - 1);
    t->kmin = off;
    t->shift = shift;
    t->nb = (size_t)((kmax - off) >> shift) + 1; /* at most 2^TOP_BITS + 1 */
    uint32_t *c = t->cnt;
    memset(c, 0, (t->nb + 1) * sizeof *c);
    for (uint64_t j = jlo; j <= jhi; j++)
        if (f->h[j]) /* bin j: keys k with k >> s == base + j, all in one bucket */
            c[((((f->base + j) << f->s) - off) >> shift) + 1] += f->h[j];
    counts_to_starts(t);
    return 1;
}

#define VISIT_CHUNK 256

int povi_sort_pairs_visit(const double *y, const double *w, size_t n, povi_pair_visit visit,
                          void *ctx) {
    int rc = povi_check_args(y, n, visit);
    if (rc)
        return rc;
    if (n > UINT32_MAX) /* counters are 32-bit */
        return povi_error(POV_ELIMIT, "cannot sort more than %u values", UINT32_MAX);
    /* Value range, sortedness and validation (as povi_check_sum(), with the
     * weights summed in the same order) in one pass; two lanes at a time
     * where the compiler has vector extensions. */
    double ymin = y[0], ymax = y[0], sw = w ? w[0] : 1.0;
    int sorted = 1, bad = (povi_finite(y[0]) ^ 1) | (povi_weight_ok(sw) ^ 1);
    size_t i = 1;
    fold_hist fold;
    fold_init(&fold, y, n);
    /* locals, so the counts (uint32_t) cannot alias the parameters */
    uint32_t *const fh = fold.h;
    const uint64_t fbase = fold.base;
    const unsigned fs = fold.s;
    uint64_t fout = fh ? fold_count(fh, fbase, fs, y[0]) : 0;
#if defined(__GNUC__) && !defined(POVI_NO_VECTOR_EXT)
    {
        const povi_v2d zero = {0, 0}, one = zero + 1.0;
        const povi_v2i absmask = {INT64_MAX, INT64_MAX};
        povi_v2d vmin = zero + ymin, vmax = vmin;
        povi_v2i flags = {0, 0}, up = flags - 1;
#if defined(__SSE2__)
        const __m128i vsign = _mm_set1_epi64x(INT64_MIN), vbase = _mm_set1_epi64x((long long)fbase);
        const __m128i vfs = _mm_cvtsi32_si128((int)fs);
        const __m128i vmask = _mm_set1_epi64x(((long long)1 << FOLD_BITS) - 1);
        __m128i vout = _mm_setzero_si128();
#endif
        for (; i + 2 <= n; i += 2) {
            povi_v2d yv, pv, wv = one;
            memcpy(&yv, y + i, sizeof yv);
            memcpy(&pv, y + i - 1, sizeof pv);
            if (w)
                memcpy(&wv, w + i, sizeof wv);
#if defined(__SSE2__) /* minpd/maxpd: (yv < vmin ? yv : vmin), as below */
            vmin = (povi_v2d)_mm_min_pd((__m128d)yv, (__m128d)vmin);
            vmax = (povi_v2d)_mm_max_pd((__m128d)yv, (__m128d)vmax);
#else
            povi_v2i lt = yv < vmin, gt = yv > vmax;
            vmin = (povi_v2d)(((povi_v2i)yv & lt) | ((povi_v2i)vmin & ~lt));
            vmax = (povi_v2d)(((povi_v2i)yv & gt) | ((povi_v2i)vmax & ~gt));
#endif
            up &= pv <= yv;
            /* as in fgt012_pass() (poverty.c): y is finite iff y − y is +0,
             * w is finite and >= 0 iff |w| − w is +0; no comparisons */
            flags |= (povi_v2i)(yv - yv) | (povi_v2i)((povi_v2d)((povi_v2i)wv & absmask) - wv);
            sw += wv[0];
            sw += wv[1];
            if (fh) { /* the test is taken out of the loop by the compiler */
#if defined(__SSE2__) /* both keys at once: as key_of(), then the bin */
                __m128i u = _mm_castpd_si128((__m128d)yv);
                __m128i neg = _mm_shuffle_epi32(_mm_srai_epi32(u, 31), _MM_SHUFFLE(3, 3, 1, 1));
                __m128i j = _mm_sub_epi64(
                    _mm_srl_epi64(_mm_xor_si128(u, _mm_or_si128(neg, vsign)), vfs), vbase);
                vout = _mm_or_si128(vout, _mm_srli_epi64(j, FOLD_BITS));
                j = _mm_and_si128(j, vmask);
                fh[_mm_cvtsi128_si32(j)]++;
                fh[_mm_cvtsi128_si32(_mm_shuffle_epi32(j, _MM_SHUFFLE(1, 0, 3, 2)))]++;
#else
                fout |= fold_count(fh, fbase, fs, yv[0]);
                fout |= fold_count(fh, fbase, fs, yv[1]);
#endif
            }
        }
        bad |= (flags[0] | flags[1]) != 0;
        sorted = up[0] && up[1];
#if defined(__SSE2__)
        fout |= (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi32(vout, _mm_setzero_si128())) != 0xFFFF;
#endif
        ymin = vmin[0] < vmin[1] ? vmin[0] : vmin[1];
        ymax = vmax[0] > vmax[1] ? vmax[0] : vmax[1];
    }
#endif
    for (; i < n; i++) {
        double yi = y[i], wi = w ? w[i] : 1.0;
        ymin = yi < ymin ? yi : ymin;
        ymax = yi > ymax ? yi : ymax;
        sorted &= y[i - 1] <= yi;
        sw += wi;
        bad |= (povi_finite(yi) ^ 1) | (povi_weight_ok(wi) ^ 1);
        if (fh)
            fout |= fold_count(fh, fbase, fs, yi);
    }
    fold.out = fout;
    if (bad || !(sw > 0.0) || !povi_finite(sw) || sorted) {
        free(fold.h);
        fold.h = NULL;
    }
    if (bad || !(sw > 0.0) || !povi_finite(sw)) {
        rc = povi_check_yw(y, w, n, POVI_Y_ANY, NULL, NULL);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    if (sorted || n <= SMALL_N) { /* equal keys are equal values: sorted */
        povi_pair chunk[VISIT_CHUNK];
        for (size_t lo = 0; lo < n; lo += VISIT_CHUNK) {
            size_t m = n - lo < VISIT_CHUNK ? n - lo : VISIT_CHUNK;
            for (size_t k = 0; k < m; k++) {
                chunk[k].y = y[lo + k];
                chunk[k].w = w ? w[lo + k] : 1.0;
            }
            if (!sorted)
                insertion_pairs(chunk, m); /* n <= SMALL_N: one chunk */
            visit(chunk, m, ctx);
        }
        return 0;
    }
    /* the smallest and largest key: the value comparisons above do not tell
     * -0.0 (the smaller key) from +0.0 */
    uint64_t kmin = key_of(ymin == 0.0 ? -0.0 : ymin), kmax = key_of(ymax == 0.0 ? 0.0 : ymax);
    top_level t = {0, 0, 0, 0, NULL};
    rc = fold.h ? fold_top(&fold, n, kmin, kmax, &t) : 0;
    free(fold.h);
    if (rc < 0)
        return rc;
    if (rc == 0 && (rc = top_histogram(y, n, kmin, kmax, &t)))
        return rc;
    povi_pair *buf = povi_big_try_alloc(n * sizeof *buf);
    povi_pair *tmp = t.mmax > SMALL_N ? malloc(t.mmax * sizeof *tmp) : NULL;
    if (!buf || (t.mmax > SMALL_N && !tmp)) {
        free(buf);
        free(tmp);
        free(t.cnt);
        return povi_error(POV_ENOMEM, "out of memory sorting %zu values", n);
    }
    if ((rc = top_scatter(y, w, n, &t, buf))) {
        free(buf);
        free(tmp);
        free(t.cnt);
        return rc;
    }
    size_t lo = 0;
    for (size_t b = 0; b < t.nb; b++) {
        size_t hi = t.cnt[b], m = hi - lo;
        if (m > SMALL_N) { /* the keys of bucket b lie in [kb, kb + 2^shift) */
            uint64_t kb = t.kmin + ((uint64_t)b << t.shift);
            msd_range_pairs(buf + lo, tmp, m, t.cnt, 1, kb, t.shift);
            visit(tmp, m, ctx);
        } else if (m > 0) {
            insertion_pairs(buf + lo, m);
            visit(buf + lo, m, ctx);
        }
        lo = hi;
    }
    free(tmp);
    free(buf);
    free(t.cnt);
    return 0;
}
