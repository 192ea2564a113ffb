/*
 * Poverty measures: FGT(α), Watts, Sen, Sen–Shorrocks–Thon, relative lines.
 *
 * References:
 * - Foster, J., Greer, J., Thorbecke, E. (1984), "A class of decomposable
 *   poverty measures", Econometrica 52(3), 761–766.
 * - Watts, H. W. (1968), "An economic definition of poverty", in D. P.
 *   Moynihan (ed.), On Understanding Poverty, Basic Books.
 * - Sen, A. (1976), "Poverty: an ordinal approach to measurement",
 *   Econometrica 44(2), 219–231.
 * - Shorrocks, A. F. (1995), "Revisiting the Sen poverty index",
 *   Econometrica 63(5), 1225–1230.
 *
 * A person is poor when y < z (strictly).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "measures_internal.h"

/* par[0] = z, par[1] = 1/z, par[2] = alpha. Gap ratio g = (z − y)/z, counted
 * only when y < z (equivalently g > 0). */
#define GAP(yi) ((par[0] - (yi)) * par[1])
#define VGAP ((p0 - yv) * p1)
POVI_DEFINE_VEC_KERNEL(k_fgt0, POVI_VSELECT(yv < p0, zero + 1.0), (yi < par[0] ? 1.0 : 0.0))
POVI_DEFINE_VEC_KERNEL(k_fgt1, POVI_VSELECT(VGAP > zero, VGAP), (GAP(yi) > 0.0 ? GAP(yi) : 0.0))
POVI_DEFINE_VEC_KERNEL(k_fgt2, POVI_VSELECT(VGAP > zero, VGAP * VGAP),
                       (GAP(yi) > 0.0 ? GAP(yi) * GAP(yi) : 0.0))
POVI_DEFINE_SUM_KERNEL(k_fgta, (yi < par[0] ? pow(GAP(yi), par[2]) : 0.0))

/*
 * Watts sum Σ_{y_i < z} w_i ln(z / y_i) with the checks folded in (y_i > 0).
 * Only the poor need a log, and in income data they are scattered at random,
 * so a branch around log() is mispredicted about once per poor person. The
 * loop works in blocks: a branch-free pass stores every income and weight
 * into a small buffer and advances the write position only for the poor
 * (and validates, sums the weights), then libm's log runs over the packed
 * poor without any branch. Same kernel contract as POVI_DEFINE_SUM_KERNEL.
 */
#define WATTS_BLOCK 256

#if defined(__SSE2__)
/*
 * The same with SSE2, four observations per step and fewer instructions
 * (libm's log is latency-bound, so the work around it is what costs; this
 * version needs about 30% fewer instructions per observation than the one
 * below): the poor are found with two vector comparisons and one movmskpd,
 * and instead of copying incomes and weights, the step appends the positions
 * of its poor within the block as bytes, all four at once: the 4-bit mask
 * selects the packed byte offsets of its set bits (WATTS_POS) and their
 * count (WATTS_POP); the log loop then reads y and w at those positions (in
 * L1), and sums the block's weights on the side (their chain of dependent
 * additions, one per observation, then overlaps the log calls instead of
 * limiting the checking loop). The poor are visited in input order and the
 * weights summed one by one in input order, so the sums are those of the
 * loop below, bit for bit.
 * Full blocks only; the last partial block goes through the scalar loop.
 */
static const uint32_t WATTS_POS[16] = {
    0x00000000, 0x00000000, 0x00000001, 0x00000100, 0x00000002, 0x00000200,
    0x00000201, 0x00020100, 0x00000003, 0x00000300, 0x00000301, 0x00030100,
    0x00000302, 0x00030200, 0x00030201, 0x03020100,
};
static const uint8_t WATTS_POP[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};

static inline __attribute__((always_inline)) int
watts_sse2(const double *y, const double *w, size_t n, double z, double lo, double *sum,
           double *wsum, const int weighted) {
    const __m128d zv = _mm_set1_pd(z), lov = _mm_set1_pd(lo);
    const __m128d absmask = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
    __m128i flags = _mm_setzero_si128(), above = flags; /* as in k_watts() below */
    uint8_t pos[WATTS_BLOCK + 4];
    double acc = 0.0, sw = 0.0;
    size_t b0 = 0;
    for (; n - b0 >= WATTS_BLOCK; b0 += WATTS_BLOCK) {
        const double *yy = y + b0, *ww = weighted ? w + b0 : NULL;
        size_t k = 0;
        uint32_t base = 0; /* the step's first position in every byte */
        for (size_t i = 0; i < WATTS_BLOCK; i += 4, base += 0x04040404u) {
            __m128d y0 = _mm_loadu_pd(yy + i), y1 = _mm_loadu_pd(yy + i + 2);
            __m128d ge0 = _mm_cmpge_pd(y0, lov), ge1 = _mm_cmpge_pd(y1, lov);
            above = _mm_sub_epi64(above, _mm_castpd_si128(ge0));
            above = _mm_sub_epi64(above, _mm_castpd_si128(ge1));
            __m128d f = _mm_or_pd(_mm_sub_pd(y0, y0), _mm_sub_pd(y1, y1));
            if (weighted) {
                __m128d w0 = _mm_loadu_pd(ww + i), w1 = _mm_loadu_pd(ww + i + 2);
                f = _mm_or_pd(f, _mm_sub_pd(_mm_and_pd(w0, absmask), w0));
                f = _mm_or_pd(f, _mm_sub_pd(_mm_and_pd(w1, absmask), w1));
            }
            flags = _mm_or_si128(flags, _mm_castpd_si128(f));
            unsigned m = (unsigned)_mm_movemask_pd(_mm_and_pd(_mm_cmplt_pd(y0, zv), ge0)) |
                         (unsigned)_mm_movemask_pd(_mm_and_pd(_mm_cmplt_pd(y1, zv), ge1)) << 2;
            uint32_t v = WATTS_POS[m] + base; /* bytes stay below 256: no carries */
            memcpy(pos + k, &v, sizeof v);
            k += WATTS_POP[m];
        }
        if (weighted) {
            /* the block's weights are summed here, four per log, in order:
             * the chain of additions then runs while log() computes */
            size_t q = 0;
            for (size_t j = 0; j < k; j++) {
                acc += ww[pos[j]] * log(z / yy[pos[j]]);
                if (q < WATTS_BLOCK) {
                    sw += ww[q];
                    sw += ww[q + 1];
                    sw += ww[q + 2];
                    sw += ww[q + 3];
                    q += 4;
                }
            }
            for (; q < WATTS_BLOCK; q++)
                sw += ww[q];
        } else {
            for (size_t j = 0; j < k; j++)
                acc += log(z / yy[pos[j]]);
        }
    }
    long long a[2];
    memcpy(a, &above, sizeof a);
    int bad = _mm_movemask_epi8(_mm_cmpeq_epi32(flags, _mm_setzero_si128())) != 0xFFFF ||
              (size_t)(a[0] + a[1]) != b0;
    for (size_t i = b0; i < n; i++) { /* the last partial block */
        double yi = y[i], wi = weighted ? w[i] : 1.0;
        if ((yi < z) & (yi >= lo))
            acc += weighted ? wi * log(z / yi) : log(z / yi);
        sw += wi;
        bad |= !povi_finite(yi) | !(yi >= lo) | !povi_weight_ok(wi);
    }
    *sum = acc;
    *wsum = weighted ? sw : (double)n;
    return bad;
}
#endif

static int k_watts(const double *y, const double *w, size_t n, const double *par, double lo,
                   double *sum, double *wsum) {
    const double z = par[0];
#if defined(__SSE2__)
    if (w)
        return watts_sse2(y, w, n, z, lo, sum, wsum, 1);
    return watts_sse2(y, NULL, n, z, lo, sum, wsum, 0);
#endif
    double yb[WATTS_BLOCK], wb[WATTS_BLOCK];
    double acc = 0.0, sw = 0.0;
    int bad = 0;
    for (size_t b0 = 0; b0 < n; b0 += WATTS_BLOCK) {
        size_t m = n - b0 < WATTS_BLOCK ? n - b0 : WATTS_BLOCK, k = 0;
        const double *yy = y + b0;
        if (w) {
            const double *ww = w + b0;
            size_t i = 0;
#if defined(__GNUC__) && !defined(POVI_NO_VECTOR_EXT)
            /* the checks two lanes at a time (they were most of the cost of
             * this pass); the weights are still summed one by one, in order */
            /* as in fgt012_pass(): y finite iff y − y is +0, w finite and
             * >= 0 iff |w| − w is +0; y >= lo is counted */
            const povi_v2d zv = {z, z}, lov = {lo, lo};
            const povi_v2i absmask = {INT64_MAX, INT64_MAX};
            povi_v2i flags = {0, 0}, above = {0, 0};
            for (; i + 2 <= m; i += 2) {
                povi_v2d yv, wv;
                memcpy(&yv, yy + i, sizeof yv);
                memcpy(&wv, ww + i, sizeof wv);
                povi_v2i poor = (yv < zv) & (yv >= lov);
                above -= yv >= lov; /* -1 per lane where true */
                flags |= (povi_v2i)(yv - yv) | (povi_v2i)((povi_v2d)((povi_v2i)wv & absmask) - wv);
                yb[k] = yv[0];
                wb[k] = wv[0];
                k += (size_t)(poor[0] & 1);
                yb[k] = yv[1];
                wb[k] = wv[1];
                k += (size_t)(poor[1] & 1);
                sw += wv[0];
                sw += wv[1];
            }
            bad |= (flags[0] | flags[1]) != 0 || (size_t)(above[0] + above[1]) != i;
#endif
            for (; i < m; i++) {
                double yi = yy[i], wi = ww[i];
                yb[k] = yi;
                wb[k] = wi;
                k += (size_t)((yi < z) & (yi > 0.0));
                sw += wi;
                bad |= !povi_finite(yi) | !(yi >= lo) | !povi_weight_ok(wi);
            }
            for (size_t j = 0; j < k; j++)
                acc += wb[j] * log(z / yb[j]);
        } else {
            for (size_t i = 0; i < m; i++) {
                double yi = yy[i];
                yb[k] = yi;
                k += (size_t)((yi < z) & (yi > 0.0));
                bad |= !povi_finite(yi) | !(yi >= lo);
            }
            for (size_t j = 0; j < k; j++)
                acc += log(z / yb[j]);
        }
    }
    *sum = acc;
    *wsum = w ? sw : (double)n;
    return bad;
}

/*
 * FGT(0), FGT(1) and FGT(2) sums in one pass: s[0] = Σ w 1[y < z],
 * s[1] = Σ w g, s[2] = Σ w g², g = max(0, (z − y)/z); *W = Σ w.
 * Returns nonzero on bad input (as the sum kernels).
 */
static int fgt012_pass(const double *y, const double *w, size_t n, double z, double s[3],
                       double *W) {
    double iz = 1.0 / z, t0 = 0.0, t1 = 0.0, t2 = 0.0, tw = 0.0;
    int bad = 0;
    size_t i = 0;
#if defined(__GNUC__) && !defined(POVI_NO_VECTOR_EXT)
    const povi_v2d zero = {0, 0}, one = {1.0, 1.0}, zv = {z, z}, izv = {iz, iz};
    const povi_v2i absmask = {INT64_MAX, INT64_MAX};
    povi_v2d a0 = zero, a1 = zero, a2 = zero, sw = zero;
    /* Checks without comparisons (GCC turned a mask accumulated with &= into
     * per-lane scalar selects, the slowest part of the loop): y is finite iff
     * y − y is +0, and w is finite and >= 0 iff |w| − w is +0 (-0.0 included,
     * as w >= 0 says); OR-ing their bits leaves `flags` zero iff all pass. */
    povi_v2i flags = {0, 0};
    for (; i + 2 <= n; i += 2) {
        povi_v2d yv, wv = one;
        memcpy(&yv, y + i, sizeof yv);
        if (w)
            memcpy(&wv, w + i, sizeof wv);
        povi_v2i poor = yv < zv;
        povi_v2d g = POVI_VSELECT(poor, (zv - yv) * izv);
        povi_v2d wg = wv * g;
        a0 += POVI_VSELECT(poor, wv);
        a1 += wg;
        a2 += wg * g;
        sw += wv;
        flags |= (povi_v2i)(yv - yv) | (povi_v2i)((povi_v2d)((povi_v2i)wv & absmask) - wv);
    }
    bad = (flags[0] | flags[1]) != 0;
    t0 = a0[0] + a0[1];
    t1 = a1[0] + a1[1];
    t2 = a2[0] + a2[1];
    tw = sw[0] + sw[1];
#endif
    for (; i < n; i++) {
        double yi = y[i], wi = w ? w[i] : 1.0;
        double g = yi < z ? (z - yi) * iz : 0.0;
        t0 += yi < z ? wi : 0.0;
        t1 += wi * g;
        t2 += wi * g * g;
        tw += wi;
        bad |= !povi_finite(yi) | !povi_weight_ok(wi);
    }
    s[0] = t0;
    s[1] = t1;
    s[2] = t2;
    *W = w ? tw : (double)n;
    return bad;
}

static int check_line(double z) {
    if (!(z > 0.0 && z <= DBL_MAX))
        return povi_error(POV_EINVAL, "poverty line z = %g must be finite and > 0", z);
    return 0;
}

typedef int (*sum_kernel)(const double *, const double *, size_t, const double *, double,
                          double *, double *);

/* Runs a kernel and turns its result into a mean per unit of weight. */
static int run_mean_kernel(sum_kernel k, const double *y, const double *w, size_t n,
                           const double *par, enum povi_ydomain ydom, const char *what,
                           double *out) {
    double lo = ydom == POVI_Y_POSITIVE ? POVI_LO_POSITIVE
                : ydom == POVI_Y_NONNEG ? POVI_LO_NONNEG : POVI_LO_ANY;
    double sum, W;
    int bad = k(y, w, n, par, lo, &sum, &W);
    if (bad || !(W > 0.0) || !povi_finite(W)) {
        int rc = povi_check_yw(y, w, n, ydom, what, &W);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    *out = sum / W;
    return 0;
}

int pov_fgt(const double *y, const double *w, size_t n, double z, double alpha, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    if ((rc = check_line(z)))
        return rc;
    if (!(alpha >= 0.0 && alpha <= DBL_MAX))
        return povi_error(POV_EINVAL, "FGT alpha = %g must be finite and >= 0", alpha);
    /* FGT(α) = (1/N) Σ w_i 1[y_i < z] ((z − y_i)/z)^α */
    double par[3] = {z, 1.0 / z, alpha};
    sum_kernel k = alpha == 0.0 ? k_fgt0 : alpha == 1.0 ? k_fgt1 : alpha == 2.0 ? k_fgt2 : k_fgta;
    return run_mean_kernel(k, y, w, n, par, POVI_Y_ANY, NULL, out);
}

int pov_fgt_many(const double *y, const double *w, size_t n, double z, const double *alpha,
                 size_t k, double *out) {
    if (k > 0 && !out)
        return povi_error(POV_EINVAL, "out must not be NULL when k = %zu > 0", k);
    double W = 0.0;
    int rc = povi_check_args(y, n, &W); /* out may be NULL when k = 0 */
    if (rc)
        return rc;
    if ((rc = check_line(z)))
        return rc;
    if (k > 0 && !alpha)
        return povi_error(POV_EINVAL, "alpha must not be NULL when k = %zu > 0", k);
    int need012 = 0;
    for (size_t j = 0; j < k; j++) {
        if (!(alpha[j] >= 0.0 && alpha[j] <= DBL_MAX)) {
            char path[48];
            snprintf(path, sizeof path, "alpha[%zu]", j);
            povi_loc loc = POVI_LOC_NONE;
            loc.path = path;
            return povi_error_at(POV_EINVAL, &loc, "%s = %g must be finite and >= 0", path,
                                 alpha[j]);
        }
        need012 |= alpha[j] == 0.0 || alpha[j] == 1.0 || alpha[j] == 2.0;
    }
    double s[3] = {0, 0, 0};
    if (need012 || k == 0) { /* k == 0 still validates the data */
        int bad = fgt012_pass(y, w, n, z, s, &W);
        if (bad || !(W > 0.0) || !povi_finite(W)) {
            rc = povi_check_yw(y, w, n, POVI_Y_ANY, NULL, &W);
            return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
        }
    }
    double par[3] = {z, 1.0 / z, 0.0};
    for (size_t j = 0; j < k; j++) {
        double a = alpha[j];
        if (a == 0.0 || a == 1.0 || a == 2.0) {
            out[j] = s[(int)a] / W;
        } else {
            par[2] = a;
            if ((rc = run_mean_kernel(k_fgta, y, w, n, par, POVI_Y_ANY, NULL, &out[j])))
                return rc;
        }
    }
    return 0;
}

int pov_watts(const double *y, const double *w, size_t n, double z, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    if ((rc = check_line(z)))
        return rc;
    /* W = (1/N) Σ_{y_i < z} w_i ln(z / y_i); every y_i must be > 0 */
    double par[3] = {z, 1.0 / z, 0.0};
    return run_mean_kernel(k_watts, y, w, n, par, POVI_Y_POSITIVE, "the Watts index", out);
}

/*
 * Sen and SST from the sorted incomes of the poor. With the poor sorted
 * ascending, c_i their inclusive cumulative weight, N_p = Σ_poor w,
 * T_p = Σ_poor w y, A = Σ_poor w_i y_i (2 c_i − w_i), N the population:
 *
 *   Sen = H (I + (1 − I) G_p), H = N_p/N, I = 1 − T_p/(N_p z),
 *         G_p = A/(N_p T_p) − 1 (laeken's weighted Gini of the poor);
 *   so H (1 − I) G_p = (A/N_p − T_p) / (N z), which needs no division by T_p.
 *
 *   SST = P1 (1 + G_x), G_x the Gini of the gap ratios x_i = (z − y_i)/z
 *   (0 for the non-poor). Sorted by x ascending, the non-poor come first
 *   and the poor in descending y, where poor i's inclusive cumulative
 *   weight is N − c_i + w_i. With T_x = Σ w x = N P1:
 *   P1 (1 + G_x) = Σ_poor w_i x_i (2 (N − c_i + w_i) − w_i) / N².
 */
static int sen_sst(const double *y, const double *w, size_t n, double z, int sst, double *out) {
    int rc = povi_check_args(y, n, out);
    if (rc)
        return rc;
    if ((rc = check_line(z)))
        return rc;
    double W = 0.0;
    size_t q = 0;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        bad |= !povi_finite(y[i]) | !povi_weight_ok(wi);
        W += wi;
        q += y[i] < z;
    }
    if (bad || !(W > 0.0) || !povi_finite(W)) {
        rc = povi_check_yw(y, w, n, POVI_Y_ANY, NULL, &W);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    if (q == 0) {
        *out = 0.0;
        return 0;
    }
    povi_pair *p = malloc(2 * q * sizeof *p);
    if (!p)
        return povi_error(POV_ENOMEM, "out of memory (%zu poor observations)", q);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] < z) {
            p[k].y = y[i];
            p[k].w = w ? w[i] : 1.0;
            k++;
        }
    rc = povi_sort_pairs(p, p + q, q);
    if (rc) {
        free(p);
        return rc;
    }
    double c = 0.0, Tp = 0.0, A = 0.0, B = 0.0;
    for (size_t i = 0; i < q; i++) {
        double wi = p[i].w, yi = p[i].y;
        c += wi;
        Tp += wi * yi;
        A += wi * yi * (2.0 * c - wi);
        B += wi * ((z - yi) / z) * (2.0 * (W - c + wi) - wi);
    }
    free(p);
    double Np = c;
    if (!(Np > 0.0)) { /* only zero-weight observations are poor */
        *out = 0.0;
        return 0;
    }
    if (sst) {
        *out = B / W / W;
    } else {
        double H = Np / W, I = 1.0 - Tp / (Np * z);
        *out = H * I + (A / Np - Tp) / (W * z);
    }
    return 0;
}

int pov_sen(const double *y, const double *w, size_t n, double z, double *out) {
    return sen_sst(y, w, n, z, 0, out);
}

int pov_sst(const double *y, const double *w, size_t n, double z, double *out) {
    return sen_sst(y, w, n, z, 1, out);
}

int pov_relative_line(const double *y, const double *w, size_t n, int kind, double share,
                      double *out) {
    if (kind != POV_LINE_MEAN && kind != POV_LINE_MEDIAN)
        return povi_error(POV_EINVAL, "kind = %d must be POV_LINE_MEAN (1) or POV_LINE_MEDIAN (2)",
                          kind);
    if (!(share > 0.0 && share <= DBL_MAX))
        return povi_error(POV_EINVAL, "share = %g must be finite and > 0", share);
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    double m;
    int rc = kind == POV_LINE_MEAN ? pov_mean(y, w, n, &m) : pov_quantile(y, w, n, 0.5, &m);
    if (rc)
        return rc;
    *out = share * m;
    return 0;
}
