/*
 * povmetrics — budget targeting: transfers that minimise FGT(alpha) under a
 * budget, compared with uniform and score-based transfers.
 * Methods and their optimality: docs/risk.md, "Budget targeting".
 *
 * FGT: J. Foster, J. Greer, E. Thorbecke (1984), Econometrica 52(3).
 * Water-filling for alpha = 2: minimising a sum of convex gaps under a linear
 * budget gives equal marginal gaps, i.e. the poorest are raised to a common
 * level (KKT conditions; e.g. Bourguignon & Fields 1990, "Poverty measures
 * and anti-poverty policy", Recherches Economiques de Louvain 56).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics/program.h"
#include "risk_internal.h"

/* Rounding slack: an income within this relative distance below the line
 * after a transfer that was meant to reach it counts as reaching it. */
#define REACH_EPS 1e-12
/* Exact knapsack limit: n_poor * (persons_poor + 1) cells. */
#define DP_LIMIT 20000000.0

static int check_inputs(const double *y, const double *s, size_t n, double z, double budget,
                        pov_target_result *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    if (out->size < sizeof *out)
        return povi_error(POV_EINVAL, "result.size must be sizeof(pov_target_result)");
    if (n == 0)
        return povi_error(POV_EEMPTY, "no households");
    if (!y || !s)
        return povi_error(POV_EINVAL, "y and hsize must not be NULL");
    if (!(isfinite(z) && z > 0))
        return povi_error(POV_EINVAL, "the line must be finite and > 0");
    if (!(isfinite(budget) && budget >= 0))
        return povi_error(POV_EINVAL, "the budget must be finite and >= 0");
    for (size_t i = 0; i < n; i++) {
        char p[48];
        povi_loc loc = POVI_LOC_NONE;
        loc.path = p;
        if (!isfinite(y[i])) {
            snprintf(p, sizeof p, "y[%zu]", i);
            return povi_error_at(POV_ENONFINITE, &loc, "%s is not finite", p);
        }
        if (!(isfinite(s[i]) && s[i] > 0)) {
            snprintf(p, sizeof p, "hsize[%zu]", i);
            return povi_error_at(isfinite(s[i]) ? POV_ERANGE : POV_ENONFINITE, &loc,
                                 "%s must be finite and > 0", p);
        }
    }
    return 0;
}

static void fgt3(const double *y, const double *s, const double *t, size_t n, double z,
                 double *f) {
    double N = 0, a0 = 0, a1 = 0, a2 = 0;
    for (size_t i = 0; i < n; i++) {
        double ti = t ? t[i] : 0.0;
        double yi = y[i] + ti / s[i];
        N += s[i];
        if (yi < z && !(ti > 0 && yi >= z * (1 - REACH_EPS))) {
            double g = (z - yi) / z;
            a0 += s[i];
            a1 += s[i] * g;
            a2 += s[i] * g * g;
        }
    }
    f[0] = a0 / N;
    f[1] = a1 / N;
    f[2] = a2 / N;
}

static void finish(const double *y, const double *s, const double *t, size_t n, double z,
                   pov_target_result *out) {
    fgt3(y, s, NULL, n, z, out->fgt_before);
    fgt3(y, s, t, n, z, out->fgt_after);
    double spent = 0, lifted = 0;
    for (size_t i = 0; i < n; i++) {
        spent += t[i];
        if (y[i] < z && t[i] > 0 && y[i] + t[i] / s[i] >= z * (1 - REACH_EPS))
            lifted += s[i];
    }
    out->spent = spent;
    out->persons_lifted = lifted;
    out->cost_per_lifted = lifted > 0 ? spent / lifted : NAN;
}

static void init_result(pov_target_result *out) {
    size_t sz = out->size;
    memset(out, 0, sizeof *out);
    out->size = sz;
    out->inclusion_error = NAN;
    out->exclusion_error = NAN;
    out->level = NAN;
}

typedef struct gap_item {
    double key;
    size_t i;
} gap_item;

static int cmp_gap(const void *a, const void *b) {
    const gap_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* alpha = 0: lift the most persons to the line. */
static int headcount(const double *y, const double *s, size_t n, double z, double B, double *t,
                     int *exact) {
    size_t np = 0;
    double persons = 0;
    int whole = 1;
    for (size_t i = 0; i < n; i++)
        if (y[i] < z) {
            np++;
            persons += s[i];
            if (s[i] != floor(s[i]) || s[i] > 1e6)
                whole = 0;
        }
    if (np == 0) {
        *exact = 1;
        return 0;
    }
    gap_item *it = malloc(np * sizeof *it);
    if (!it)
        return povi_error(POV_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] < z) {
            it[k].key = z - y[i];
            it[k++].i = i;
        }
    const double slack = B * 1e-12 + 1e-9;
    if (whole && (double)np * (persons + 1) <= DP_LIMIT) {
        /* Exact 0/1 knapsack over persons: dp[p] = least cost lifting exactly p. */
        size_t P = (size_t)persons;
        double *dp = malloc((P + 1) * sizeof *dp);
        uint8_t *keep = calloc((np * (P + 1) + 7) / 8, 1);
        if (!dp || !keep) {
            free(dp);
            free(keep);
            free(it);
            return povi_error(POV_ENOMEM, "out of memory");
        }
        dp[0] = 0;
        for (size_t p = 1; p <= P; p++)
            dp[p] = INFINITY;
        for (k = 0; k < np; k++) {
            size_t i = it[k].i, w = (size_t)s[i];
            double c = it[k].key * s[i];
            for (size_t p = P; p >= w && p > 0; p--) {
                double cand = dp[p - w] + c;
                if (cand < dp[p]) {
                    dp[p] = cand;
                    size_t bit = k * (P + 1) + p;
                    keep[bit / 8] |= (uint8_t)(1u << (bit % 8));
                }
            }
        }
        size_t best = 0;
        for (size_t p = 0; p <= P; p++)
            if (dp[p] <= B + slack)
                best = p;
        size_t p = best;
        for (k = np; k-- > 0 && p > 0;) {
            size_t bit = k * (P + 1) + p;
            if (keep[bit / 8] & (1u << (bit % 8))) {
                size_t i = it[k].i;
                t[i] = it[k].key * s[i];
                p -= (size_t)s[i];
            }
        }
        free(dp);
        free(keep);
        *exact = 1;
    } else {
        /* Greedy by cost per person lifted (= the gap), nearest to the line
         * first, skipping households that no longer fit. */
        qsort(it, np, sizeof *it, cmp_gap);
        double left = B;
        for (k = 0; k < np; k++) {
            size_t i = it[k].i;
            double c = it[k].key * s[i];
            if (c <= left + slack) {
                t[i] = c;
                left -= c;
            }
        }
        *exact = 0;
    }
    free(it);
    return 0;
}

/* alpha = 1, 2: raise the poorest to a common level (water-filling). */
static int waterfill(const double *y, const double *s, size_t n, double z, double B, double *t,
                     double *level) {
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] < z)
            np++;
    if (np == 0 || B == 0) {
        *level = np ? -INFINITY : z;
        if (np) {
            /* nothing to spend: the level is the lowest income */
            double lo = INFINITY;
            for (size_t i = 0; i < n; i++)
                if (y[i] < lo)
                    lo = y[i];
            *level = lo;
        }
        return 0;
    }
    gap_item *it = malloc(np * sizeof *it);
    if (!it)
        return povi_error(POV_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] < z) {
            it[k].key = y[i];
            it[k++].i = i;
        }
    qsort(it, np, sizeof *it, cmp_gap);
    double S = 0, Y = 0, lv = z;
    for (k = 0; k < np; k++) {
        size_t i = it[k].i;
        S += s[i];
        Y += s[i] * y[i];
        double next = k + 1 < np ? it[k + 1].key : z;
        if (next * S - Y >= B) { /* the level lies in [y_k, next] */
            lv = (B + Y) / S;
            if (lv > next)
                lv = next;
            break;
        }
    }
    for (k = 0; k < np; k++) {
        size_t i = it[k].i;
        if (y[i] < lv)
            t[i] = (lv - y[i]) * s[i];
    }
    *level = lv;
    free(it);
    return 0;
}

int pov_target_optimal(const double *y, const double *hsize, size_t n, double z, double budget,
                       int alpha, double *transfer_out, pov_target_result *out) {
    int r = check_inputs(y, hsize, n, z, budget, out);
    if (r)
        return r;
    if (alpha < 0 || alpha > 2)
        return povi_error(POV_EINVAL, "alpha must be 0, 1 or 2");
    init_result(out);
    double *t = calloc(n, sizeof *t);
    if (!t)
        return povi_error(POV_ENOMEM, "out of memory");
    if (alpha == 0) {
        r = headcount(y, hsize, n, z, budget, t, &out->exact);
    } else {
        r = waterfill(y, hsize, n, z, budget, t, &out->level);
        out->exact = 1;
    }
    if (!r) {
        finish(y, hsize, t, n, z, out);
        if (transfer_out)
            memcpy(transfer_out, t, n * sizeof *t);
    }
    free(t);
    return r;
}

int pov_target_uniform(const double *y, const double *hsize, size_t n, double z, double budget,
                       double *transfer_out, pov_target_result *out) {
    int r = check_inputs(y, hsize, n, z, budget, out);
    if (r)
        return r;
    init_result(out);
    double *t = calloc(n, sizeof *t);
    if (!t)
        return povi_error(POV_ENOMEM, "out of memory");
    double P = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] < z)
            P += hsize[i];
    for (size_t i = 0; i < n; i++)
        if (y[i] < z)
            t[i] = budget * hsize[i] / P;
    finish(y, hsize, t, n, z, out);
    if (transfer_out)
        memcpy(transfer_out, t, n * sizeof *t);
    free(t);
    return 0;
}

int pov_target_score(const double *y, const double *hsize, const double *score, size_t n,
                     double z, double budget, double cutoff, double *transfer_out,
                     pov_target_result *out) {
    int r = check_inputs(y, hsize, n, z, budget, out);
    if (r)
        return r;
    if (!score)
        return povi_error(POV_EINVAL, "score is NULL");
    if (isnan(cutoff))
        return povi_error(POV_EINVAL, "cutoff is NaN");
    for (size_t i = 0; i < n; i++)
        if (!isfinite(score[i])) {
            char p[48];
            snprintf(p, sizeof p, "score[%zu]", i);
            povi_loc loc = POVI_LOC_NONE;
            loc.path = p;
            return povi_error_at(POV_ENONFINITE, &loc, "%s is not finite", p);
        }
    init_result(out);
    double *t = calloc(n, sizeof *t);
    if (!t)
        return povi_error(POV_ENOMEM, "out of memory");
    double targeted = 0, incl = 0, poor = 0, excl = 0;
    for (size_t i = 0; i < n; i++) {
        int tg = score[i] < cutoff, pr = y[i] < z;
        if (tg) {
            targeted += hsize[i];
            if (!pr)
                incl += hsize[i];
        }
        if (pr) {
            poor += hsize[i];
            if (!tg)
                excl += hsize[i];
        }
    }
    if (targeted > 0)
        for (size_t i = 0; i < n; i++)
            if (score[i] < cutoff)
                t[i] = budget * hsize[i] / targeted;
    finish(y, hsize, t, n, z, out);
    out->inclusion_error = targeted > 0 ? incl / targeted : NAN;
    out->exclusion_error = poor > 0 ? excl / poor : NAN;
    if (transfer_out)
        memcpy(transfer_out, t, n * sizeof *t);
    free(t);
    return 0;
}
