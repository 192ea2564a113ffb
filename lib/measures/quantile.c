/*
 * Sorted data and the order-statistic measures on it: weighted quantiles
 * (R laeken's rule), Gini coefficients (laeken's and convey's formulas),
 * Lorenz curve, quantile shares, S80/S20 and Palma ratios.
 *
 * References: Alfons & Templ (2013), "Estimation of Social Exclusion
 * Indicators from Complex Surveys: The R Package laeken", J. Stat. Softw.
 * 54(15) (weightedQuantile(), gini()); R package convey, svygini()
 * (Osier 2009); Palma (2011); Cobham & Sumner (2013) for the Palma ratio.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measures_internal.h"

/* ---------------------------------------------------------------------- */
/* povi_sorted                                                              */
/* ---------------------------------------------------------------------- */

/*
 * Validates, copies and sorts: on success *buf is a block of 2n doubles
 * (unit weights) or 4n doubles (pairs) whose first half holds the sorted
 * values (doubles, or povi_pair), the second half is scratch.
 */
static int copy_sorted(const double *y, const double *w, size_t n, double **buf) {
    *buf = NULL;
    int rc = povi_check_args(y, n, buf);
    if (rc)
        return rc;
    if (n > SIZE_MAX / (4 * sizeof(double)))
        return povi_error(POV_ENOMEM, "too many observations (%zu)", n);
    double *b = povi_big_try_alloc((w ? 4 : 2) * n * sizeof *b);
    if (!b)
        return povi_error(POV_ENOMEM, "out of memory copying %zu observations", n);
    int bad = 0;
    double W = 0.0;
    if (!w) {
        for (size_t i = 0; i < n; i++) {
            b[i] = y[i];
            bad |= !povi_finite(y[i]);
        }
        W = (double)n;
    } else { /* validate only: the sort reads the arrays themselves */
        for (size_t i = 0; i < n; i++) {
            W += w[i];
            bad |= !povi_finite(y[i]) | !povi_weight_ok(w[i]);
        }
    }
    if (bad || !(W > 0.0) || !povi_finite(W)) {
        free(b);
        rc = povi_check_yw(y, w, n, POVI_Y_ANY, NULL, NULL);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    rc = w ? povi_sort_pairs_from(y, w, n, (povi_pair *)b, (povi_pair *)(b + 2 * n))
           : povi_sort_doubles(b, b + n, n);
    if (rc) {
        free(b);
        return rc;
    }
    *buf = b;
    return 0;
}

int povi_sorted_init(povi_sorted *s, const double *y, const double *w, size_t n) {
    memset(s, 0, sizeof *s);
    double *buf;
    int rc = copy_sorted(y, w, n, &buf);
    if (rc)
        return rc;
    s->n = n;
    s->mem = buf;
    if (!w) {
        double *a = buf, *cy = buf + n, cum = 0.0;
        for (size_t i = 0; i < n; i++) {
            cum += a[i];
            cy[i] = cum;
        }
        s->y = a;
        s->cy = cy;
        s->W = (double)n;
        s->T = cum;
        return 0;
    }
    /* de-interleave into the upper half, then cumulative sums in the lower */
    const povi_pair *pairs = (const povi_pair *)buf;
    double *ys = buf + 2 * n, *ws = buf + 3 * n, *cw = buf, *cy = buf + n;
    for (size_t i = 0; i < n; i++) {
        ys[i] = pairs[i].y;
        ws[i] = pairs[i].w;
    }
    double cumw = 0.0, cumy = 0.0;
    for (size_t i = 0; i < n; i++) {
        cumw += ws[i];
        cumy += ws[i] * ys[i];
        cw[i] = cumw;
        cy[i] = cumy;
    }
    s->y = ys;
    s->w = ws;
    s->cw = cw;
    s->cy = cy;
    s->W = cumw;
    s->T = cumy;
    return 0;
}

void povi_sorted_clear(povi_sorted *s) {
    if (!s)
        return;
    free(s->mem);
    memset(s, 0, sizeof *s);
}

size_t povi_sorted_count_below(const povi_sorted *s, double t) {
    size_t lo = 0, hi = s->n; /* first index with y >= t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->y[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t povi_sorted_count_at_most(const povi_sorted *s, double t) {
    size_t lo = 0, hi = s->n; /* first index with y > t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->y[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * laeken 0.5 weightedQuantile(): with rw = cumsum(w)/sum(w),
 * q = x[min(which(rw > p))] for 0 < p < 1 (its branch for rw == p can never
 * be taken after selecting rw > p, so it is not reproduced); x[1] and x[n]
 * for p = 0 and 1, here restricted to positive weights.
 */
double povi_sorted_quantile_prefix(const povi_sorted *s, size_t k, double p) {
    if (p <= 0.0 || p >= 1.0) {
        if (!s->w)
            return p <= 0.0 ? s->y[0] : s->y[k - 1];
        if (p <= 0.0) {
            size_t i = 0;
            while (i + 1 < k && !(s->w[i] > 0.0))
                i++;
            return s->y[i];
        }
        size_t i = k - 1;
        while (i > 0 && !(s->w[i] > 0.0))
            i--;
        return s->y[i];
    }
    double Wk = povi_sorted_cumw(s, k);
    size_t lo = 0, hi = k - 1; /* smallest j with cumw(j+1) / Wk > p */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (povi_sorted_cumw(s, mid + 1) / Wk > p)
            hi = mid;
        else
            lo = mid + 1;
    }
    return s->y[lo];
}

double povi_sorted_lorenz_at(const povi_sorted *s, double p) {
    if (p >= 1.0)
        return 1.0;
    double P = p * s->W;
    /* m = number of leading elements whose cumulative weight is <= P */
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (povi_sorted_cumw(s, mid) <= P)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t m = lo;
    if (m >= s->n)
        return 1.0;
    double part = (P - povi_sorted_cumw(s, m)) * s->y[m];
    return (povi_sorted_cumy(s, m) + part) / s->T;
}

/* Same summation order as gini_oneshot(), so both give identical bits. */
double povi_sorted_gini_sum(const povi_sorted *s) {
    const double *y = s->y;
    double S = 0.0;
    if (!s->w) {
        for (size_t i = 0; i < s->n; i++) /* c_i = i + 1: y_i (2 (i + 1) − 1) */
            S += y[i] * (double)(2 * i + 1);
        return S;
    }
    for (size_t i = 0; i < s->n; i++)
        S += (s->w[i] * y[i]) * (2.0 * s->cw[i] - s->w[i]);
    return S;
}

double povi_sorted_gini_sum_convey(const povi_sorted *s) {
    if (!s->w)
        return povi_sorted_gini_sum(s);
    double S = 0.0;
    for (size_t i = 0; i < s->n; i++)
        S += (s->w[i] * s->y[i]) * (2.0 * s->cw[i] - 1.0);
    return S;
}

/* ---------------------------------------------------------------------- */
/* Measures on sorted data                                                  */
/* ---------------------------------------------------------------------- */

static int check_sorted(const pov_sorted *h, const void *out) {
    if (!h)
        return povi_error(POV_EINVAL, "sorted data handle must not be NULL");
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    return 0;
}

static int check_p(double p, const char *name) {
    if (!(p >= 0.0 && p <= 1.0))
        return povi_error(POV_EINVAL, "%s = %g must be in [0, 1]", name, p);
    return 0;
}

static int need_positive_total(const povi_sorted *s, const char *what) {
    if (!(s->T > 0.0))
        return povi_error(POV_EDOMAIN, "%s needs a positive total income (it is %g)", what, s->T);
    return 0;
}

static int sorted_quantile(const povi_sorted *s, double p, double *out) {
    int rc = check_p(p, "p");
    if (rc)
        return rc;
    *out = povi_sorted_quantile_prefix(s, s->n, p);
    return 0;
}

static int sorted_gini(const povi_sorted *s, int convey, double *out) {
    int rc = need_positive_total(s, "the Gini coefficient");
    if (rc)
        return rc;
    double sum = convey ? povi_sorted_gini_sum_convey(s) : povi_sorted_gini_sum(s);
    *out = sum / s->W / s->T - 1.0;
    return 0;
}

static int check_grid(const double *p, size_t np, const void *out) {
    if (np > 0 && (!p || !out))
        return povi_error(POV_EINVAL, "p and out must not be NULL when np = %zu > 0", np);
    for (size_t j = 0; j < np; j++) {
        if (!(p[j] >= 0.0 && p[j] <= 1.0)) {
            char path[48];
            snprintf(path, sizeof path, "p[%zu]", j);
            povi_loc loc = POVI_LOC_NONE;
            loc.path = path;
            return povi_error_at(POV_EINVAL, &loc, "%s = %g must be in [0, 1]", path, p[j]);
        }
    }
    return 0;
}

static int sorted_lorenz(const povi_sorted *s, const double *p, size_t np, double *out) {
    int rc = need_positive_total(s, "the Lorenz curve");
    if (rc)
        return rc;
    for (size_t j = 0; j < np; j++)
        out[j] = povi_sorted_lorenz_at(s, p[j]);
    return 0;
}

static int check_share_range(double p_lo, double p_hi) {
    if (!(p_lo >= 0.0 && p_hi <= 1.0 && p_lo < p_hi))
        return povi_error(POV_EINVAL, "need 0 <= p_lo < p_hi <= 1 (got %g, %g)", p_lo, p_hi);
    return 0;
}

static int sorted_quantile_share(const povi_sorted *s, double p_lo, double p_hi, double *out) {
    int rc = need_positive_total(s, "an income share");
    if (rc)
        return rc;
    *out = povi_sorted_lorenz_at(s, p_hi) - povi_sorted_lorenz_at(s, p_lo);
    return 0;
}

/* (1 - L(top)) / L(bottom) */
static int sorted_share_ratio(const povi_sorted *s, double top, double bottom, const char *what,
                              double *out) {
    int rc = need_positive_total(s, what);
    if (rc)
        return rc;
    double lb = povi_sorted_lorenz_at(s, bottom);
    if (!(lb > 0.0))
        return povi_error(POV_EDOMAIN, "%s: the bottom %g%% hold no income", what, 100 * bottom);
    *out = (1.0 - povi_sorted_lorenz_at(s, top)) / lb;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Public API                                                               */
/* ---------------------------------------------------------------------- */

int pov_sorted_new(const double *y, const double *w, size_t n, pov_sorted **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    *out = NULL;
    pov_sorted *h = malloc(sizeof *h);
    if (!h)
        return povi_error(POV_ENOMEM, "out of memory");
    int rc = povi_sorted_init(&h->s, y, w, n);
    if (rc) {
        free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void pov_sorted_free(pov_sorted *h) {
    if (!h)
        return;
    povi_sorted_clear(&h->s);
    free(h);
}

size_t pov_sorted_count(const pov_sorted *h) { return h ? h->s.n : 0; }
double pov_sorted_total_weight(const pov_sorted *h) { return h ? h->s.W : 0.0; }

int pov_sorted_quantile(const pov_sorted *h, double p, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_quantile(&h->s, p, out);
}

int pov_sorted_gini(const pov_sorted *h, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_gini(&h->s, 0, out);
}

int pov_sorted_gini_convey(const pov_sorted *h, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_gini(&h->s, 1, out);
}

int pov_sorted_lorenz(const pov_sorted *h, const double *p, size_t np, double *out) {
    if (!h)
        return povi_error(POV_EINVAL, "sorted data handle must not be NULL");
    int rc = check_grid(p, np, out);
    return rc ? rc : sorted_lorenz(&h->s, p, np, out);
}

int pov_sorted_quantile_share(const pov_sorted *h, double p_lo, double p_hi, double *out) {
    int rc = check_sorted(h, out);
    if (!rc)
        rc = check_share_range(p_lo, p_hi);
    return rc ? rc : sorted_quantile_share(&h->s, p_lo, p_hi, out);
}

/* One-shot quantile by a weighted histogram of the key range (select.c):
 * four passes that only read the arrays, no copy. */
int pov_quantile(const double *y, const double *w, size_t n, double p, double *out) {
    int rc = check_p(p, "p");
    if (rc)
        return rc;
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    double W;
    if ((rc = povi_check_sum(y, w, n, &W)))
        return rc;
    return povi_quantile_direct(y, w, n, W, p, out);
}

/* One-shot Gini: the same sums as povi_sorted_gini_sum[_convey]() in one
 * pass over the sorted data, without building the cumulative arrays; the sums
 * are taken bucket by bucket as the sort finishes each one (in cache), so the
 * sorted data are never stored whole. */
typedef struct gini_acc {
    double W, T, S;
    int convey;
} gini_acc;

static void gini_visit(const povi_pair *p, size_t m, void *ctx) {
    gini_acc *a = ctx;
    double W = a->W, T = a->T, S = a->S;
    if (a->convey) {
        for (size_t i = 0; i < m; i++) {
            double wy = p[i].w * p[i].y;
            W += p[i].w;
            T += wy;
            S += wy * (2.0 * W - 1.0);
        }
    } else {
        for (size_t i = 0; i < m; i++) {
            double wy = p[i].w * p[i].y;
            W += p[i].w;
            T += wy;
            S += wy * (2.0 * W - p[i].w);
        }
    }
    a->W = W;
    a->T = T;
    a->S = S;
}

static int gini_oneshot(const double *y, const double *w, size_t n, int convey, double *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    double W = 0.0, T = 0.0, S = 0.0;
    if (!w) {
        double *buf;
        int rc = copy_sorted(y, w, n, &buf);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            T += buf[i];
            S += buf[i] * (double)(2 * i + 1); /* unit weights: c_i = i + 1 */
        }
        W = (double)n;
        free(buf);
    } else {
        gini_acc a = {0.0, 0.0, 0.0, convey};
        int rc = povi_sort_pairs_visit(y, w, n, gini_visit, &a); /* validates */
        if (rc)
            return rc;
        W = a.W;
        T = a.T;
        S = a.S;
    }
    if (!(T > 0.0))
        return povi_error(POV_EDOMAIN, "the Gini coefficient needs a positive total income "
                                       "(it is %g)", T);
    *out = S / W / T - 1.0;
    return 0;
}

int pov_gini(const double *y, const double *w, size_t n, double *out) {
    return gini_oneshot(y, w, n, 0, out);
}

int pov_gini_convey(const double *y, const double *w, size_t n, double *out) {
    return gini_oneshot(y, w, n, 1, out);
}

int pov_lorenz(const double *y, const double *w, size_t n, const double *p, size_t np,
               double *out) {
    int rc = check_grid(p, np, out);
    if (rc)
        return rc;
    if (np == 0) {
        /* still validate the data so bad input never passes silently */
        double W;
        rc = povi_check_args(y, n, &W);
        return rc ? rc : povi_check_yw(y, w, n, POVI_Y_ANY, NULL, &W);
    }
    POVI_WITH_SORTED(y, w, n, out, sorted_lorenz(s, p, np, out));
}

int pov_quantile_share(const double *y, const double *w, size_t n, double p_lo, double p_hi,
                       double *out) {
    int rc = check_share_range(p_lo, p_hi);
    if (rc)
        return rc;
    POVI_WITH_SORTED(y, w, n, out, sorted_quantile_share(s, p_lo, p_hi, out));
}

/* S80/S20 = (1 - L(0.8)) / L(0.2) (Eurostat's definition of the income
 * quintile share ratio, here on the interpolated Lorenz curve). */
int pov_s80s20(const double *y, const double *w, size_t n, double *out) {
    POVI_WITH_SORTED(y, w, n, out, sorted_share_ratio(s, 0.8, 0.2, "S80/S20", out));
}

/* Palma ratio: share of the top 10% over the share of the bottom 40%
 * (Palma 2011; Cobham & Sumner 2013). */
int pov_palma(const double *y, const double *w, size_t n, double *out) {
    POVI_WITH_SORTED(y, w, n, out, sorted_share_ratio(s, 0.9, 0.4, "the Palma ratio", out));
}
