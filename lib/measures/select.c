/*
 * Weighted quantile by selection (expected O(n), no full sort), used by the
 * one-shot functions that need only a few order statistics (pov_quantile,
 * pov_arpt, pov_arpr, pov_rmpg, pov_qsr, the median line).
 *
 * It returns the same value as the sorted rule of laeken's
 * weightedQuantile() (see quantile.c): the smallest y with
 * (weight of all y' <= y) / W > p. Partial weight sums are formed in a
 * different order than a running sum over sorted data, so when a cumulative
 * share equals p to within rounding the two can pick neighbouring values;
 * with integer or unit weights the sums are exact and the results identical.
 *
 * Quickselect with a three-way partition (ties are common in income data)
 * around the median of three values; if it has not finished after
 * 2 log2(n) + 8 rounds it sorts the remaining range, so the worst case is
 * O(n log n).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>

#include "measures_internal.h"

#define SELECT_SMALL 32

static void swap_pair(povi_pair *a, povi_pair *b) {
    povi_pair t = *a;
    *a = *b;
    *b = t;
}

static unsigned log2_floor(size_t n) {
    unsigned b = 0;
    while (n >>= 1)
        b++;
    return b;
}

/* Scans a sorted range: first element whose cumulative share exceeds p. */
static double scan_sorted(const povi_pair *p, size_t n, double acc, double W, double prob) {
    for (size_t i = 0; i < n; i++) {
        acc += p[i].w;
        if (acc / W > prob)
            return p[i].y;
    }
    /* only reachable by rounding at the very end: the largest positive-weight value */
    size_t i = n;
    while (i > 1 && !(p[i - 1].w > 0.0))
        i--;
    return p[i - 1].y;
}

int povi_select_quantile(povi_pair *p, size_t n, double W, double prob, double *out) {
    if (prob <= 0.0 || prob >= 1.0) { /* smallest / largest y with positive weight */
        int found = 0;
        double best = 0.0;
        for (size_t i = 0; i < n; i++)
            if (p[i].w > 0.0 && (!found || (prob <= 0.0 ? p[i].y < best : p[i].y > best))) {
                best = p[i].y;
                found = 1;
            }
        if (!found)
            return povi_error(POV_EEMPTY, "no observation has a positive weight");
        *out = best;
        return 0;
    }
    size_t lo = 0, hi = n;
    double acc = 0.0; /* weight of everything left of lo */
    unsigned rounds = 2 * log2_floor(n) + 8;
    while (hi - lo > SELECT_SMALL) {
        if (rounds-- == 0) {
            size_t m = hi - lo;
            povi_pair *tmp = malloc(m * sizeof *tmp);
            if (!tmp)
                return povi_error(POV_ENOMEM, "out of memory selecting a quantile");
            int rc = povi_sort_pairs(p + lo, tmp, m);
            free(tmp);
            if (rc)
                return rc;
            *out = scan_sorted(p + lo, m, acc, W, prob);
            return 0;
        }
        size_t mid = lo + (hi - lo) / 2;
        double x0 = p[lo].y, x1 = p[mid].y, x2 = p[hi - 1].y;
        double piv = x0 < x1 ? (x1 < x2 ? x1 : (x0 < x2 ? x2 : x0))
                             : (x0 < x2 ? x0 : (x1 < x2 ? x2 : x1));
        /* three-way partition: [lo, lt) < piv, [lt, i) == piv, [gt, hi) > piv */
        size_t lt = lo, i = lo, gt = hi;
        double wl = 0.0, we = 0.0;
        while (i < gt) {
            double v = p[i].y;
            if (v < piv) {
                wl += p[i].w;
                swap_pair(&p[lt++], &p[i++]);
            } else if (v > piv) {
                swap_pair(&p[i], &p[--gt]);
            } else {
                we += p[i].w;
                i++;
            }
        }
        if ((acc + wl) / W > prob) {
            hi = lt;
        } else if ((acc + wl + we) / W > prob) {
            *out = piv;
            return 0;
        } else {
            acc += wl + we;
            lo = gt;
        }
    }
    /* small range: insertion sort, then scan */
    for (size_t a = lo + 1; a < hi; a++) {
        povi_pair x = p[a];
        size_t b = a;
        while (b > lo && p[b - 1].y > x.y) {
            p[b] = p[b - 1];
            b--;
        }
        p[b] = x;
    }
    *out = scan_sorted(p + lo, hi - lo, acc, W, prob);
    return 0;
}

int povi_pairs_copy(const double *y, const double *w, size_t n, povi_pair **out, double *W) {
    *out = NULL;
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    if (n > SIZE_MAX / sizeof(povi_pair))
        return povi_error(POV_ENOMEM, "too many observations (%zu)", n);
    povi_pair *p = malloc(n * sizeof *p);
    if (!p)
        return povi_error(POV_ENOMEM, "out of memory copying %zu observations", n);
    int bad = 0;
    double sw = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        p[i].y = y[i];
        p[i].w = wi;
        sw += wi;
        bad |= !povi_finite(y[i]) | !povi_weight_ok(wi);
    }
    if (!w)
        sw = (double)n;
    if (bad || !(sw > 0.0) || !povi_finite(sw)) {
        free(p);
        rc = povi_check_yw(y, w, n, POVI_Y_ANY, NULL, NULL);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    *out = p;
    *W = sw;
    return 0;
}

int povi_check_sum(const double *y, const double *w, size_t n, double *W) {
    int rc = povi_check_args(y, n, W);
    if (rc)
        return rc;
    int bad = 0;
    double sw = 0.0;
    if (w) {
        for (size_t i = 0; i < n; i++) {
            sw += w[i];
            bad |= !povi_finite(y[i]) | !povi_weight_ok(w[i]);
        }
    } else {
        for (size_t i = 0; i < n; i++)
            bad |= !povi_finite(y[i]);
        sw = (double)n;
    }
    if (bad || !(sw > 0.0) || !povi_finite(sw)) {
        rc = povi_check_yw(y, w, n, POVI_Y_ANY, NULL, NULL);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    *W = sw;
    return 0;
}

#define HIST_BITS 12

int povi_quantile_direct(const double *y, const double *w, size_t n, double W, double prob,
                         double *out) {
    if (prob <= 0.0 || prob >= 1.0) { /* smallest / largest y with positive weight */
        int found = 0;
        double best = 0.0;
        for (size_t i = 0; i < n; i++)
            if ((!w || w[i] > 0.0) && (!found || (prob <= 0.0 ? y[i] < best : y[i] > best))) {
                best = y[i];
                found = 1;
            }
        if (!found)
            return povi_error(POV_EEMPTY, "no observation has a positive weight");
        *out = best;
        return 0;
    }
    unsigned long long kmin = ~0ULL, kmax = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned long long k = povi_key(y[i]);
        kmin = k < kmin ? k : kmin;
        kmax = k > kmax ? k : kmax;
    }
    if (kmin == kmax) { /* all equal */
        *out = y[0];
        return 0;
    }
    unsigned bits = 0;
    for (unsigned long long r = kmax - kmin; r; r >>= 1)
        bits++;
    unsigned bb = bits < HIST_BITS ? bits : HIST_BITS, shift = bits - bb;
    size_t nb = (size_t)1 << bb;
    double *hw = calloc(nb, sizeof *hw);
    size_t *hc = calloc(nb, sizeof *hc);
    if (!hw || !hc) {
        free(hw);
        free(hc);
        return povi_error(POV_ENOMEM, "out of memory selecting a quantile");
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((povi_key(y[i]) - kmin) >> shift);
        hw[b] += w ? w[i] : 1.0;
        hc[b]++;
    }
    /* the bucket where the cumulative share first exceeds prob; if rounding
     * leaves none, the last bucket with positive weight */
    double acc = 0.0;
    size_t bstar = nb, blast = 0;
    for (size_t b = 0; b < nb; b++) {
        if (hw[b] > 0.0)
            blast = b;
        if (bstar == nb && (acc + hw[b]) / W > prob)
            bstar = b;
        if (bstar == nb)
            acc += hw[b];
    }
    if (bstar == nb) {
        acc = 0.0;
        for (size_t b = 0; b < blast; b++)
            acc += hw[b];
        bstar = blast;
    }
    size_t m = hc[bstar];
    free(hw);
    free(hc);
    povi_pair *p = malloc(2 * m * sizeof *p);
    if (!p)
        return povi_error(POV_ENOMEM, "out of memory selecting a quantile");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if ((size_t)((povi_key(y[i]) - kmin) >> shift) == bstar) {
            p[k].y = y[i];
            p[k].w = w ? w[i] : 1.0;
            k++;
        }
    int rc = povi_sort_pairs(p, p + m, m);
    if (!rc)
        *out = scan_sorted(p, m, acc, W, prob);
    free(p);
    return rc;
}
