/*
 * EU-SILC poverty indicators with the conventions of R's laeken package
 * (Alfons & Templ 2013, J. Stat. Softw. 54(15); laeken 0.5 functions arpt(),
 * arpr()/weightedRate(), quintileRatio()/qsr(), rmpg()/relativeGap()), which
 * implement Eurostat's definitions (EU-SILC common cross-sectional
 * indicators, Working group on Statistics on Income and Living Conditions
 * 2004, doc. EU-SILC 131-rev/04).
 *
 * Results are fractions; laeken multiplies rates, gaps by 100.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>

#include "measures_internal.h"

static int check_share(double share) {
    if (!(share > 0.0 && share <= DBL_MAX))
        return povi_error(POV_EINVAL, "share = %g must be finite and > 0", share);
    return 0;
}

/* arpt = share * weighted median (laeken: p * incMedian()). */
static double arpt_of(const povi_sorted *s, double share) {
    return share * povi_sorted_quantile_prefix(s, s->n, 0.5);
}

static int sorted_arpt(const povi_sorted *s, double share, double *out) {
    int rc = check_share(share);
    if (rc)
        return rc;
    *out = arpt_of(s, share);
    return 0;
}

/* laeken weightedRate(): sum(w[x < t]) / sum(w); strict "<". */
static int sorted_arpr(const povi_sorted *s, double share, double *out) {
    int rc = check_share(share);
    if (rc)
        return rc;
    double t = arpt_of(s, share);
    size_t k = povi_sorted_count_below(s, t);
    *out = povi_sorted_cumw(s, k) / s->W;
    return 0;
}

/* laeken quintileRatio(): q = (Q(0.2), Q(0.8));
 * sum(w[x > q4] x[x > q4]) / sum(w[x <= q1] x[x <= q1]). */
static int sorted_qsr(const povi_sorted *s, double *out) {
    double q1 = povi_sorted_quantile_prefix(s, s->n, 0.2);
    double q4 = povi_sorted_quantile_prefix(s, s->n, 0.8);
    double bottom = povi_sorted_cumy(s, povi_sorted_count_at_most(s, q1));
    double top = s->T - povi_sorted_cumy(s, povi_sorted_count_at_most(s, q4));
    if (!(bottom > 0.0))
        return povi_error(POV_EDOMAIN,
                          "quintile share ratio: the bottom quintile's income is %g (must be > 0)",
                          bottom);
    *out = top / bottom;
    return 0;
}

/* laeken relativeGap(): t = arpt; m = weightedMedian(x[x < t]);
 * (t - m) / t. */
static int sorted_rmpg(const povi_sorted *s, double share, double *out) {
    int rc = check_share(share);
    if (rc)
        return rc;
    double t = arpt_of(s, share);
    if (!(t > 0.0))
        return povi_error(POV_EDOMAIN, "relative median poverty gap: the threshold is %g "
                                       "(must be > 0)", t);
    size_t k = povi_sorted_count_below(s, t);
    if (k == 0 || !(povi_sorted_cumw(s, k) > 0.0))
        return povi_error(POV_EEMPTY, "relative median poverty gap: nobody is below the "
                                      "threshold %g", t);
    double m = povi_sorted_quantile_prefix(s, k, 0.5);
    *out = (t - m) / t;
    return 0;
}

static int check_sorted(const pov_sorted *h, const void *out) {
    if (!h)
        return povi_error(POV_EINVAL, "sorted data handle must not be NULL");
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    return 0;
}

int pov_sorted_arpt(const pov_sorted *h, double share, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_arpt(&h->s, share, out);
}

int pov_sorted_arpr(const pov_sorted *h, double share, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_arpr(&h->s, share, out);
}

int pov_sorted_qsr(const pov_sorted *h, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_qsr(&h->s, out);
}

int pov_sorted_rmpg(const pov_sorted *h, double share, double *out) {
    int rc = check_sorted(h, out);
    return rc ? rc : sorted_rmpg(&h->s, share, out);
}


/*
 * One-shot versions: no full sort. pov_arpt() and pov_arpr() find the median
 * with povi_quantile_direct() (weighted histogram, reads the arrays without
 * copying them); pov_qsr() and pov_rmpg() use a validated copy and weighted
 * selection (select.c). All O(n) expected. They agree with the pov_sorted_*
 * functions except, possibly, in the last bits (sums in another order) or
 * when a cumulative weight share equals 0.5 (0.2, 0.8) within rounding.
 */
int pov_arpt(const double *y, const double *w, size_t n, double share, double *out) {
    int rc = check_share(share);
    if (rc)
        return rc;
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    double W, med;
    if ((rc = povi_check_sum(y, w, n, &W)))
        return rc;
    rc = povi_quantile_direct(y, w, n, W, 0.5, &med);
    if (!rc)
        *out = share * med;
    return rc;
}

int pov_arpr(const double *y, const double *w, size_t n, double share, double *out) {
    int rc = check_share(share);
    if (rc)
        return rc;
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    double W, med;
    if ((rc = povi_check_sum(y, w, n, &W)))
        return rc;
    if ((rc = povi_quantile_direct(y, w, n, W, 0.5, &med)))
        return rc;
    double t = share * med, below = 0.0;
    if (w) {
        for (size_t i = 0; i < n; i++) /* laeken weightedRate(): strict "<" */
            below += y[i] < t ? w[i] : 0.0;
    } else {
        for (size_t i = 0; i < n; i++)
            below += y[i] < t ? 1.0 : 0.0;
    }
    *out = below / W;
    return 0;
}

int pov_qsr(const double *y, const double *w, size_t n, double *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    povi_pair *p;
    double W, q1, q4;
    int rc = povi_pairs_copy(y, w, n, &p, &W);
    if (rc)
        return rc;
    if ((rc = povi_select_quantile(p, n, W, 0.2, &q1)) ||
        (rc = povi_select_quantile(p, n, W, 0.8, &q4))) {
        free(p);
        return rc;
    }
    double bottom = 0.0, top = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wy = p[i].w * p[i].y;
        bottom += p[i].y <= q1 ? wy : 0.0;
        top += p[i].y > q4 ? wy : 0.0;
    }
    free(p);
    if (!(bottom > 0.0))
        return povi_error(POV_EDOMAIN,
                          "quintile share ratio: the bottom quintile's income is %g (must be > 0)",
                          bottom);
    *out = top / bottom;
    return 0;
}

int pov_rmpg(const double *y, const double *w, size_t n, double share, double *out) {
    int rc = check_share(share);
    if (rc)
        return rc;
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    povi_pair *p;
    double W, med;
    if ((rc = povi_pairs_copy(y, w, n, &p, &W)))
        return rc;
    if ((rc = povi_select_quantile(p, n, W, 0.5, &med))) {
        free(p);
        return rc;
    }
    double t = share * med;
    if (!(t > 0.0)) {
        free(p);
        return povi_error(POV_EDOMAIN, "relative median poverty gap: the threshold is %g "
                                       "(must be > 0)", t);
    }
    /* move the incomes below t to the front */
    size_t k = 0;
    double Wp = 0.0;
    for (size_t i = 0; i < n; i++)
        if (p[i].y < t) {
            Wp += p[i].w;
            povi_pair tmp = p[k];
            p[k++] = p[i];
            p[i] = tmp;
        }
    if (k == 0 || !(Wp > 0.0)) {
        free(p);
        return povi_error(POV_EEMPTY, "relative median poverty gap: nobody is below the "
                                      "threshold %g", t);
    }
    double m;
    rc = povi_select_quantile(p, k, Wp, 0.5, &m);
    free(p);
    if (!rc)
        *out = (t - m) / t;
    return rc;
}
