/*
 * povmetrics — linearised standard errors and the Rao–Wu bootstrap.
 *
 * Everything here is written from the published formulas; the references
 * are next to each formula and collected in docs/measures-inference.md.
 *
 * The variance estimator used throughout (with-replacement design,
 * Taylor linearisation; e.g. Wolter 2007, "Introduction to Variance
 * Estimation", 2nd ed., §6.11; R survey's svyrecvar with no fpc):
 *     V = Σ_h n_h/(n_h − 1) Σ_{c in h} (t_hc − t̄_h)²,
 * where t_hc = Σ_{i in PSU c of stratum h} w_i u_i is the PSU total of the
 * weighted influence values u_i, t̄_h the mean of the t_hc in stratum h and
 * n_h the number of PSUs in stratum h. u_i is the derivative of the
 * estimator with respect to the weight w_i (Deville 1999, "Variance
 * estimation for complex statistics and estimators: linearization and
 * residual techniques", Survey Methodology 25(2), 193–203).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "povmetrics/inference.h"
#include "povmetrics/measures.h"
#include "povmetrics/mpi.h"
#include "rng.h"
#include "../measures/measures_internal.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---------------------------------------------------------------------- */
/* Public structs                                                          */
/* ---------------------------------------------------------------------- */

void pov_design_init(pov_design *design)
{
    if (design == NULL)
        return;
    memset(design, 0, sizeof *design);
    design->size = sizeof *design;
    design->strata = NULL;
    design->clusters = NULL;
    design->level = 0.95;
}

void pov_estimate_init(pov_estimate *est)
{
    if (est == NULL)
        return;
    memset(est, 0, sizeof *est);
    est->size = sizeof *est;
    est->value = est->se = est->ci_low = est->ci_high = NAN;
    est->pct_low = est->pct_high = NAN;
    est->level = NAN;
}

/* Sizes of the structs as released in 0.1.0: callers built against that
 * header pass these; later releases only append fields, and accept any
 * size >= these (writing or reading only what fits). */
#define POVI_ESTIMATE_V1_SIZE (offsetof(pov_estimate, reps) + sizeof(unsigned))
#define POVI_DESIGN_V1_SIZE (offsetof(pov_design, level) + sizeof(double))

/* Checks @p out before any work. */
static int check_out(const pov_estimate *out)
{
    if (out == NULL)
        return povi_error(POV_EINVAL, "out must not be NULL");
    if (out->size < POVI_ESTIMATE_V1_SIZE)
        return povi_error(POV_EINVAL,
                          "out->size is %zu, expected at least %zu: initialise it with "
                          "pov_estimate_init()",
                          out->size, (size_t)POVI_ESTIMATE_V1_SIZE);
    return POV_OK;
}

/* Checks @p design and reads its confidence level (0.95 for NULL). */
static int check_design(const pov_design *design, double *level)
{
    *level = 0.95;
    if (design == NULL)
        return POV_OK;
    if (design->size < POVI_DESIGN_V1_SIZE)
        return povi_error(POV_EINVAL,
                          "design->size is %zu, expected at least %zu: initialise it with "
                          "pov_design_init()",
                          design->size, (size_t)POVI_DESIGN_V1_SIZE);
    if (!(design->level > 0.0 && design->level < 1.0))
        return povi_error(POV_EINVAL, "design->level must be in (0, 1), got %g", design->level);
    *level = design->level;
    return POV_OK;
}

/* Writes @p est into @p out: only the fields that fit in the caller's size. */
static void write_out(pov_estimate *out, const pov_estimate *est)
{
    size_t size = out->size;
    memcpy(out, est, size < sizeof *est ? size : sizeof *est);
    out->size = size;
}

/* ---------------------------------------------------------------------- */
/* Standard normal quantile                                                */
/* ---------------------------------------------------------------------- */

/*
 * Φ⁻¹(p) for 0 < p < 1. Start from the rational approximation of
 * Abramowitz & Stegun (1964) 26.2.23 (|error| < 4.5e-4), then refine with
 * three Halley steps on Φ(x) − p, Φ(x) = erfc(−x/√2)/2 (C99 erfc), which
 * converge cubically to double precision. Works in the lower tail for
 * accuracy and reflects.
 */
static double norm_quantile(double p)
{
    double q = p < 0.5 ? p : 1.0 - p;
    double t = sqrt(-2.0 * log(q));
    double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                         (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
    for (int k = 0; k < 3; k++) {
        double e = 0.5 * erfc(-x / sqrt(2.0)) - q;
        double u = e * sqrt(2.0 * M_PI) * exp(0.5 * x * x);
        x = x - u / (1.0 + 0.5 * x * u);
    }
    return p < 0.5 ? x : -x;
}

/* ---------------------------------------------------------------------- */
/* The design plan: PSUs and strata as dense indices                       */
/* ---------------------------------------------------------------------- */

typedef struct plan {
    size_t n;
    size_t n_psu;
    size_t n_strata;
    int simple;          /* no strata and no clusters: PSU i = observation i */
    size_t *psu_of;      /* [n] PSU of each observation (NULL when simple) */
    size_t *stratum_of;  /* [n_psu] stratum of each PSU (NULL when simple) */
    size_t *strat_start; /* [n_strata + 1] offsets into psu_list */
    size_t *psu_list;    /* [n_psu] PSUs grouped by stratum */
} plan;

static void plan_free(plan *p)
{
    free(p->psu_of);
    free(p->stratum_of);
    free(p->strat_start);
    free(p->psu_list);
    memset(p, 0, sizeof *p);
}

/* Open-addressing map from 64-bit keys to dense indices 0, 1, 2, … */
typedef struct idmap {
    uint64_t *keys;
    size_t *vals; /* SIZE_MAX = empty slot */
    size_t mask;
    size_t count;
} idmap;

static int idmap_init(idmap *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->keys = malloc(cap * sizeof *m->keys);
    m->vals = malloc(cap * sizeof *m->vals);
    if (m->keys == NULL || m->vals == NULL) {
        free(m->keys);
        free(m->vals);
        return povi_error(POV_ENOMEM, "out of memory for the design's PSU table");
    }
    for (size_t i = 0; i < cap; i++)
        m->vals[i] = SIZE_MAX;
    m->mask = cap - 1;
    m->count = 0;
    return POV_OK;
}

static void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
}

/* Returns the dense index of @p key, inserting it if new; *is_new tells. */
static size_t idmap_get(idmap *m, uint64_t key, int *is_new)
{
    uint64_t h = key;
    size_t i = (size_t)povi_splitmix64(&h) & m->mask;
    while (m->vals[i] != SIZE_MAX) {
        if (m->keys[i] == key) {
            *is_new = 0;
            return m->vals[i];
        }
        i = (i + 1) & m->mask;
    }
    m->keys[i] = key;
    m->vals[i] = m->count++;
    *is_new = 1;
    return m->vals[i];
}

static int lonely_psu(const pov_design *d, size_t first_obs)
{
    char path[48];
    if (d != NULL && d->strata != NULL)
        snprintf(path, sizeof path, "strata[%zu]", first_obs);
    else if (d != NULL && d->clusters != NULL)
        snprintf(path, sizeof path, "clusters[%zu]", first_obs);
    else
        snprintf(path, sizeof path, "y");
    povi_loc loc = POVI_LOC_NONE;
    loc.path = path;
    return povi_error_at(POV_EDOMAIN, &loc,
                         "a stratum has a single PSU: its variance cannot be estimated "
                         "(merge it with another stratum)");
}

static int plan_build(const pov_design *d, size_t n, plan *p)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    const int32_t *strata = d != NULL ? d->strata : NULL;
    const int32_t *clusters = d != NULL ? d->clusters : NULL;
    if (strata == NULL && clusters == NULL) {
        p->simple = 1;
        p->n_psu = n;
        p->n_strata = 1;
        if (n < 2)
            return lonely_psu(d, 0);
        return POV_OK;
    }

    int rc;
    idmap smap = {NULL, NULL, 0, 0}, pmap = {NULL, NULL, 0, 0};
    size_t *first_obs = NULL; /* first observation of each stratum */
    if ((rc = idmap_init(&smap, strata != NULL ? n : 1)) < 0)
        return rc;
    if ((rc = idmap_init(&pmap, n)) < 0) {
        idmap_free(&smap);
        return rc;
    }
    p->psu_of = malloc(n * sizeof *p->psu_of);
    p->stratum_of = malloc(n * sizeof *p->stratum_of); /* n_psu <= n */
    first_obs = malloc(n * sizeof *first_obs);
    if (p->psu_of == NULL || p->stratum_of == NULL || first_obs == NULL) {
        rc = povi_error(POV_ENOMEM, "out of memory for the design");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        int is_new;
        uint32_t s = strata != NULL ? (uint32_t)strata[i] : 0;
        size_t h = idmap_get(&smap, s, &is_new);
        if (is_new)
            first_obs[h] = i;
        size_t c;
        if (clusters != NULL) {
            uint64_t key = ((uint64_t)s << 32) | (uint32_t)clusters[i];
            c = idmap_get(&pmap, key, &is_new);
        } else {
            c = pmap.count++; /* each observation is its own PSU */
            is_new = 1;
        }
        if (is_new)
            p->stratum_of[c] = h;
        p->psu_of[i] = c;
    }
    p->n_strata = smap.count;
    p->n_psu = pmap.count;

    /* PSUs grouped by stratum (counting sort). */
    p->strat_start = calloc(p->n_strata + 1, sizeof *p->strat_start);
    p->psu_list = malloc(p->n_psu * sizeof *p->psu_list);
    if (p->strat_start == NULL || p->psu_list == NULL) {
        rc = povi_error(POV_ENOMEM, "out of memory for the design");
        goto fail;
    }
    for (size_t c = 0; c < p->n_psu; c++)
        p->strat_start[p->stratum_of[c] + 1]++;
    for (size_t h = 0; h < p->n_strata; h++) {
        if (p->strat_start[h + 1] < 2) {
            rc = lonely_psu(d, first_obs[h]);
            goto fail;
        }
        p->strat_start[h + 1] += p->strat_start[h];
    }
    /* fill using first_obs as a cursor array (it is no longer needed) */
    for (size_t h = 0; h < p->n_strata; h++)
        first_obs[h] = p->strat_start[h];
    for (size_t c = 0; c < p->n_psu; c++)
        p->psu_list[first_obs[p->stratum_of[c]]++] = c;

    free(first_obs);
    idmap_free(&smap);
    idmap_free(&pmap);
    return POV_OK;
fail:
    free(first_obs);
    idmap_free(&smap);
    idmap_free(&pmap);
    plan_free(p);
    return rc;
}

/*
 * V = Σ_h n_h/(n_h − 1) Σ_c (t_hc − t̄_h)² from the weighted influence values
 * z[0..n-1] (two passes per stratum for accuracy).
 */
static int plan_variance(const plan *p, const double *z, double *out)
{
    if (p->simple) {
        double s = 0.0;
        for (size_t i = 0; i < p->n; i++)
            s += z[i];
        double m = s / (double)p->n, ss = 0.0;
        for (size_t i = 0; i < p->n; i++) {
            double d = z[i] - m;
            ss += d * d;
        }
        *out = (double)p->n / (double)(p->n - 1) * ss;
        return POV_OK;
    }
    double *t = calloc(p->n_psu, sizeof *t);
    if (t == NULL)
        return povi_error(POV_ENOMEM, "out of memory for PSU totals");
    for (size_t i = 0; i < p->n; i++)
        t[p->psu_of[i]] += z[i];
    double v = 0.0;
    for (size_t h = 0; h < p->n_strata; h++) {
        size_t a = p->strat_start[h], b = p->strat_start[h + 1];
        double nh = (double)(b - a), s = 0.0, ss = 0.0;
        for (size_t k = a; k < b; k++)
            s += t[p->psu_list[k]];
        double m = s / nh;
        for (size_t k = a; k < b; k++) {
            double d = t[p->psu_list[k]] - m;
            ss += d * d;
        }
        v += nh / (nh - 1.0) * ss;
    }
    free(t);
    *out = v;
    return POV_OK;
}

/* Fills a linearised estimate from the value and the variance. */
static void finish_linearised(pov_estimate *est, double value, double var, double level,
                              const plan *p)
{
    pov_estimate_init(est);
    double zq = norm_quantile(1.0 - (1.0 - level) / 2.0);
    est->value = value;
    est->se = sqrt(var > 0.0 ? var : 0.0);
    est->ci_low = value - zq * est->se;
    est->ci_high = value + zq * est->se;
    est->level = level;
    est->n_psu = p->n_psu;
    est->n_strata = p->n_strata;
    est->reps = 0;
}

/* Common prologue: checks out and design; returns the level. */
static int prologue(const pov_design *design, pov_estimate *out, double *level)
{
    int rc = check_out(out);
    if (rc < 0)
        return rc;
    return check_design(design, level);
}

static double total_weight(const double *w, size_t n)
{
    if (w == NULL)
        return (double)n;
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += w[i];
    return s;
}

/* Allocates the influence array, builds the plan. On failure frees both. */
static int setup(const pov_design *design, size_t n, plan *p, double **z)
{
    int rc = plan_build(design, n, p);
    if (rc < 0)
        return rc;
    *z = malloc(n * sizeof **z);
    if (*z == NULL) {
        plan_free(p);
        return povi_error(POV_ENOMEM, "out of memory for %zu influence values", n);
    }
    return POV_OK;
}

/* Variance from z, writes the estimate, frees z and the plan. */
static int conclude(plan *p, double *z, double value, double level, pov_estimate *out)
{
    double var = 0.0;
    int rc = plan_variance(p, z, &var);
    if (rc == POV_OK) {
        pov_estimate est;
        finish_linearised(&est, value, var, level, p);
        write_out(out, &est);
    }
    free(z);
    plan_free(p);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Linearised standard errors                                              */
/* ---------------------------------------------------------------------- */

int pov_se_mean(const double *y, const double *w, size_t n, const pov_design *design,
                pov_estimate *out)
{
    double level, mu;
    int rc = prologue(design, out, &level);
    if (rc < 0 || (rc = pov_mean(y, w, n, &mu)) < 0)
        return rc;
    plan p;
    double *z;
    if ((rc = setup(design, n, &p, &z)) < 0)
        return rc;
    /* u_i = (y_i − μ)/N: derivative of Σwy/Σw with respect to w_i. */
    double N = total_weight(w, n);
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        z[i] = wi * (y[i] - mu) / N;
    }
    return conclude(&p, z, mu, level, out);
}

/* Linearised SE of a mean of per-observation contributions c(y_i): the
 * contributions are computed by @p contrib. */
typedef double (*contrib_fn)(double y, double z, double alpha);

static double contrib_fgt(double y, double z, double alpha)
{
    if (!(y < z))
        return 0.0;
    double g = (z - y) / z;
    if (alpha == 0.0)
        return 1.0;
    if (alpha == 1.0)
        return g;
    if (alpha == 2.0)
        return g * g;
    return pow(g, alpha);
}

static double contrib_watts(double y, double z, double alpha)
{
    (void)alpha;
    return y < z ? log(z / y) : 0.0;
}

static int se_line_measure(const double *y, const double *w, size_t n, double line,
                           double alpha, contrib_fn contrib, double value, double level,
                           const pov_design *design, pov_estimate *out)
{
    plan p;
    double *z;
    int rc = setup(design, n, &p, &z);
    if (rc < 0)
        return rc;
    /* Ratio of totals Σ w p / Σ w with the line fixed: u_i = (p_i − value)/N. */
    double N = total_weight(w, n);
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        z[i] = wi * (contrib(y[i], line, alpha) - value) / N;
    }
    return conclude(&p, z, value, level, out);
}

int pov_se_fgt(const double *y, const double *w, size_t n, double z, double alpha,
               const pov_design *design, pov_estimate *out)
{
    double level, value;
    int rc = prologue(design, out, &level);
    if (rc < 0 || (rc = pov_fgt(y, w, n, z, alpha, &value)) < 0)
        return rc;
    return se_line_measure(y, w, n, z, alpha, contrib_fgt, value, level, design, out);
}

int pov_se_watts(const double *y, const double *w, size_t n, double z,
                 const pov_design *design, pov_estimate *out)
{
    double level, value;
    int rc = prologue(design, out, &level);
    if (rc < 0 || (rc = pov_watts(y, w, n, z, &value)) < 0)
        return rc;
    return se_line_measure(y, w, n, z, 0.0, contrib_watts, value, level, design, out);
}

/*
 * Langel & Tillé (2013), "Variance estimation of the Gini index: revisiting a
 * result several times published", JRSS A 176(2), 521–540, linearised
 * variable of the weighted Gini G = ΣΣ w_k w_l |y_k − y_l| / (2 N T):
 *   u_k = [2 N_k (y_k − T_k/N_k) + T − N y_k − G (T + y_k N)] / (N T),
 * with N_k = Σ_{y_l ≤ y_k} w_l and T_k = Σ_{y_l ≤ y_k} w_l y_l; the first three
 * terms are Σ_l w_l |y_k − y_l|. Cumulating in sorted order, tied values may
 * be included or not in N_k, T_k: they add w_l (y_k − y_l) = 0 either way.
 * pov_gini()'s laeken formula (2 Σ w y c − Σ w² y)/(N T) − 1 equals the ΣΣ
 * form exactly, so u_k is the exact derivative of pov_gini() in w_k.
 */
static inline double gini_z(double wk, double yk, double Nk, double Tk, double N, double T,
                            double G)
{
    double absdev = 2.0 * (Nk * yk - Tk) + T - N * yk;
    return wk * (absdev - G * (T + yk * N)) / (N * T);
}

int pov_se_gini(const double *y, const double *w, size_t n, const pov_design *design,
                pov_estimate *out)
{
    double level, G;
    int rc = prologue(design, out, &level);
    if (rc < 0)
        return rc;
    int simple = design == NULL || (design->strata == NULL && design->clusters == NULL);
    if (simple) {
        /* One sort serves the value and the influence values: the variance of
         * a simple design does not depend on the order of the observations. */
        povi_sorted s;
        if ((rc = povi_sorted_init(&s, y, w, n)) < 0)
            return rc;
        if (!(s.T > 0.0)) {
            povi_sorted_clear(&s);
            return pov_gini(y, w, n, &G); /* reports pov_gini()'s error */
        }
        G = povi_sorted_gini_sum(&s) / s.W / s.T - 1.0; /* as pov_gini() */
        plan p;
        double *z;
        if ((rc = setup(design, n, &p, &z)) < 0) {
            povi_sorted_clear(&s);
            return rc;
        }
        for (size_t k = 0; k < n; k++)
            z[k] = gini_z(povi_sorted_weight(&s, k), s.y[k], povi_sorted_cumw(&s, k + 1),
                          s.cy[k], s.W, s.T, G);
        povi_sorted_clear(&s);
        return conclude(&p, z, G, level, out);
    }

    /* With a design the influence values are needed in the original order:
     * sort (y, index) pairs (the index rides in the weight slot; exact for
     * n < 2^53). */
    if ((rc = pov_gini(y, w, n, &G)) < 0)
        return rc;
    plan p;
    double *z;
    if ((rc = setup(design, n, &p, &z)) < 0)
        return rc;
    povi_pair *a = malloc(2 * n * sizeof *a);
    if (a == NULL) {
        free(z);
        plan_free(&p);
        return povi_error(POV_ENOMEM, "out of memory to sort %zu incomes", n);
    }
    double N = 0.0, T = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        a[i].y = y[i];
        a[i].w = (double)i;
        N += wi;
        T += wi * y[i];
    }
    if ((rc = povi_sort_pairs(a, a + n, n)) < 0) {
        free(a);
        free(z);
        plan_free(&p);
        return rc;
    }
    double Nk = 0.0, Tk = 0.0;
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)a[k].w;
        double wi = w != NULL ? w[i] : 1.0;
        Nk += wi;
        Tk += wi * a[k].y;
        z[i] = gini_z(wi, a[k].y, Nk, Tk, N, T, G);
    }
    free(a);
    return conclude(&p, z, G, level, out);
}

/* Gaussian kernel density estimate f(x) = Σ w_i φ((x − y_i)/h) / (N h). */
static double kde_gauss(const double *y, const double *w, size_t n, double N, double h, double x)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        double u = (x - y[i]) / h;
        if (wi > 0.0 && u > -40.0 && u < 40.0)
            s += wi * exp(-0.5 * u * u);
    }
    return s / (N * h * sqrt(2.0 * M_PI));
}

int pov_se_arpr(const double *y, const double *w, size_t n, double share,
                const pov_design *design, pov_estimate *out)
{
    double level, R, t, q1, q3;
    int rc = prologue(design, out, &level);
    if (rc < 0)
        return rc;
    /* One sort for the rate, the threshold and the quartiles (pov_sorted_*
     * give exactly pov_arpr(), pov_arpt() and pov_quantile()). */
    pov_sorted *sd = NULL;
    if ((rc = pov_sorted_new(y, w, n, &sd)) < 0)
        return rc;
    if ((rc = pov_sorted_arpr(sd, share, &R)) < 0 || (rc = pov_sorted_arpt(sd, share, &t)) < 0 ||
        (rc = pov_sorted_quantile(sd, 0.25, &q1)) < 0 ||
        (rc = pov_sorted_quantile(sd, 0.75, &q3)) < 0) {
        pov_sorted_free(sd);
        return rc;
    }
    pov_sorted_free(sd);
    double M = t / share; /* the weighted median (laeken's rule) */

    /* Silverman (1986), "Density Estimation for Statistics and Data
     * Analysis", eq. (3.31): h = 0.9 · min(σ, IQR/1.34) · n^(−1/5). */
    double N = 0.0, S = 0.0;
    size_t npos = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        N += wi;
        S += wi * y[i];
        npos += wi > 0.0;
    }
    double mu = S / N, V = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0, d = y[i] - mu;
        V += wi * d * d;
    }
    double sigma = sqrt(V / N), iqr = (q3 - q1) / 1.34;
    double spread = (iqr > 0.0 && iqr < sigma) ? iqr : sigma;
    if (!(spread > 0.0)) {
        povi_loc loc = POVI_LOC_NONE;
        loc.path = "y";
        return povi_error_at(POV_EDOMAIN, &loc,
                             "the incomes have no spread: the density at the threshold, "
                             "needed for the standard error, is undefined");
    }
    double h = 0.9 * spread * pow((double)npos, -0.2);
    double ft = kde_gauss(y, w, n, N, h, t), fm = kde_gauss(y, w, n, N, h, M);
    if (!(fm > 0.0))
        return povi_error(POV_EDOMAIN, "the estimated density at the median is 0");

    plan p;
    double *z;
    if ((rc = setup(design, n, &p, &z)) < 0)
        return rc;
    /* Deville (1999); Osier (2009), "Variance estimation for complex
     * indicators of poverty and inequality using linearization techniques",
     * Survey Research Methods 3(3), 167–195:
     *   u_i = {1[y_i < t] − R − share · f(t)/f(M) · (1[y_i ≤ M] − 1/2)} / N. */
    double k = share * ft / fm;
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        double u = (y[i] < t ? 1.0 : 0.0) - R - k * ((y[i] <= M ? 1.0 : 0.0) - 0.5);
        z[i] = wi * u / N;
    }
    return conclude(&p, z, R, level, out);
}

/* ---------------------------------------------------------------------- */
/* Bootstrap                                                               */
/* ---------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, v = *(const double *)b;
    return (x > v) - (x < v);
}

/* Quantile of sorted x[0..m-1] by linear interpolation between order
 * statistics at (m − 1)p (Hyndman & Fan 1996, definition 7; R's default). */
static double quantile_type7(const double *x, size_t m, double prob)
{
    double hpos = (double)(m - 1) * prob;
    size_t lo = (size_t)floor(hpos);
    if (lo + 1 >= m)
        return x[m - 1];
    return x[lo] + (hpos - (double)lo) * (x[lo + 1] - x[lo]);
}

int pov_bootstrap(pov_statistic_fn stat, void *user_data, const double *y, const double *w,
                  size_t n, const pov_design *design, unsigned reps, uint64_t seed,
                  double *replicates, pov_estimate *out)
{
    double level;
    int rc = prologue(design, out, &level);
    if (rc < 0)
        return rc;
    if (stat == NULL)
        return povi_error(POV_EINVAL, "stat must not be NULL");
    if (reps < 2)
        return povi_error(POV_EINVAL, "reps must be at least 2, got %u", reps);
    if (n == 0)
        return povi_error(POV_EEMPTY, "no observations (n = 0)");
    if (y == NULL)
        return povi_error(POV_EINVAL, "y must not be NULL");

    double *wrep = malloc(n * sizeof *wrep);
    if (wrep == NULL)
        return povi_error(POV_ENOMEM, "out of memory for %zu replicate weights", n);
    for (size_t i = 0; i < n; i++)
        wrep[i] = w != NULL ? w[i] : 1.0;
    double value;
    pov_error_clear();
    rc = stat(y, wrep, n, &value, user_data);
    if (rc < 0) {
        if (pov_error_code(pov_error_last()) == 0)
            povi_error(rc, "the statistic failed on the full sample");
        free(wrep);
        return rc;
    }
    if (!isfinite(value)) {
        free(wrep);
        return povi_error(POV_EDOMAIN, "the statistic is not finite on the full sample");
    }

    plan p;
    double *rep = NULL, *factor = NULL;
    size_t *count = NULL;
    if ((rc = plan_build(design, n, &p)) < 0) {
        free(wrep);
        return rc;
    }
    rep = malloc((size_t)reps * sizeof *rep);
    factor = malloc(p.n_psu * sizeof *factor);
    count = malloc(p.n_psu * sizeof *count);
    if (rep == NULL || factor == NULL || count == NULL) {
        rc = povi_error(POV_ENOMEM, "out of memory for the bootstrap");
        goto done;
    }

    povi_rng rng;
    povi_rng_seed(&rng, seed);
    for (unsigned b = 0; b < reps; b++) {
        /* Rao & Wu (1988), "Resampling inference with complex survey data",
         * JASA 83, 231–241, rescaling bootstrap with m_h = n_h − 1 (Rao, Wu
         * & Yue 1992, Survey Methodology 18, 209–217): draw n_h − 1 PSUs with
         * replacement in each stratum; w*_i = w_i · r_c · n_h/(n_h − 1). */
        memset(count, 0, p.n_psu * sizeof *count);
        for (size_t h = 0; h < p.n_strata; h++) {
            size_t a = p.simple ? 0 : p.strat_start[h];
            size_t nh = p.simple ? n : p.strat_start[h + 1] - a;
            for (size_t d = 0; d + 1 < nh; d++) {
                size_t k = a + (size_t)povi_rng_below(&rng, nh);
                count[p.simple ? k : p.psu_list[k]]++;
            }
            double scale = (double)nh / (double)(nh - 1);
            for (size_t k = a; k < a + nh; k++) {
                size_t c = p.simple ? k : p.psu_list[k];
                factor[c] = (double)count[c] * scale;
            }
        }
        for (size_t i = 0; i < n; i++) {
            double wi = w != NULL ? w[i] : 1.0;
            wrep[i] = wi * factor[p.simple ? i : p.psu_of[i]];
        }
        double v;
        pov_error_clear();
        rc = stat(y, wrep, n, &v, user_data);
        if (rc < 0) {
            if (pov_error_code(pov_error_last()) == 0) /* a callback that set no detail */
                povi_error(rc, "the statistic failed on bootstrap replicate %u", b);
            goto done;
        }
        if (!isfinite(v)) {
            rc = povi_error(POV_EDOMAIN, "bootstrap replicate %u gave a non-finite value", b);
            goto done;
        }
        rep[b] = v;
    }

    double s = 0.0, ss = 0.0;
    for (unsigned b = 0; b < reps; b++)
        s += rep[b];
    double m = s / reps;
    for (unsigned b = 0; b < reps; b++)
        ss += (rep[b] - m) * (rep[b] - m);
    if (replicates != NULL)
        memcpy(replicates, rep, (size_t)reps * sizeof *rep);
    qsort(rep, reps, sizeof *rep, cmp_double);

    pov_estimate est;
    finish_linearised(&est, value, ss / (reps - 1), level, &p);
    est.pct_low = quantile_type7(rep, reps, (1.0 - level) / 2.0);
    est.pct_high = quantile_type7(rep, reps, 1.0 - (1.0 - level) / 2.0);
    est.reps = reps;
    write_out(out, &est);
    rc = POV_OK;
done:
    free(rep);
    free(factor);
    free(count);
    free(wrep);
    plan_free(&p);
    return rc;
}

typedef struct builtin {
    int measure;
    double a, b;
} builtin;

static int builtin_stat(const double *y, const double *w, size_t n, double *out, void *ud)
{
    const builtin *m = ud;
    switch (m->measure) {
    case POV_BOOT_MEAN:
        return pov_mean(y, w, n, out);
    case POV_BOOT_FGT:
        return pov_fgt(y, w, n, m->a, m->b, out);
    case POV_BOOT_WATTS:
        return pov_watts(y, w, n, m->a, out);
    case POV_BOOT_GINI:
        return pov_gini(y, w, n, out);
    case POV_BOOT_ARPR:
        return pov_arpr(y, w, n, m->a, out);
    case POV_BOOT_ARPT:
        return pov_arpt(y, w, n, m->a, out);
    case POV_BOOT_QUANTILE:
        return pov_quantile(y, w, n, m->a, out);
    default:
        return povi_error(POV_EINVAL, "unknown bootstrap measure %d", m->measure);
    }
}

int pov_bootstrap_measure(int measure, double a, double b, const double *y, const double *w,
                          size_t n, const pov_design *design, unsigned reps, uint64_t seed,
                          double *replicates, pov_estimate *out)
{
    if (measure < POV_BOOT_MEAN || measure > POV_BOOT_QUANTILE)
        return povi_error(POV_EINVAL, "unknown bootstrap measure %d", measure);
    builtin m = {measure, a, b};
    return pov_bootstrap(builtin_stat, &m, y, w, n, design, reps, seed, replicates, out);
}

/* ---------------------------------------------------------------------- */
/* Alkire–Foster M0                                                        */
/* ---------------------------------------------------------------------- */

/*
 * Computes M0 with pov_mpi_new() and the censored scores m_i = c_i when
 * person i is poor (c_i >= k − 1e-12, pov_mpi_new()'s documented rule), else 0.
 * On success *m is a malloc'ed array of n values.
 */
static int m0_censored(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                       double *m0, double **m)
{
    pov_mpi *h = NULL;
    int rc = pov_mpi_new(x, n, d, opts, &h);
    if (rc < 0)
        return rc;
    double *c = malloc(n * sizeof *c);
    if (c == NULL) {
        pov_mpi_free(h);
        return povi_error(POV_ENOMEM, "out of memory for %zu deprivation scores", n);
    }
    if ((rc = pov_mpi_measure(h, POV_MPI_M0, m0)) < 0 || (rc = pov_mpi_scores(h, c)) < 0) {
        free(c);
        pov_mpi_free(h);
        return rc;
    }
    pov_mpi_free(h);
    for (size_t i = 0; i < n; i++)
        if (!(c[i] >= opts->k - 1e-12))
            c[i] = 0.0;
    *m = c;
    return POV_OK;
}

int pov_se_m0(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
              const pov_design *design, pov_estimate *out)
{
    double level, M0, *m;
    int rc = prologue(design, out, &level);
    if (rc < 0 || (rc = m0_censored(x, n, d, opts, &M0, &m)) < 0)
        return rc;
    const double *w = opts->person_weights;
    plan p;
    double *z;
    if ((rc = setup(design, n, &p, &z)) < 0) {
        free(m);
        return rc;
    }
    /* M0 = Σ p_i m_i / N, identification fixed: u_i = (m_i − M0)/N. */
    double N = total_weight(w, n);
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0;
        z[i] = wi * (m[i] - M0) / N;
    }
    free(m);
    return conclude(&p, z, M0, level, out);
}

int pov_bootstrap_m0(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                     const pov_design *design, unsigned reps, uint64_t seed,
                     double *replicates, pov_estimate *out)
{
    double level, M0, *m;
    int rc = prologue(design, out, &level);
    if (rc < 0 || (rc = m0_censored(x, n, d, opts, &M0, &m)) < 0)
        return rc;
    /* Person weights do not enter identification, so each replicate's M0
     * is the replicate-weighted mean of the censored scores. */
    rc = pov_bootstrap_measure(POV_BOOT_MEAN, 0.0, 0.0, m, opts->person_weights, n, design,
                               reps, seed, replicates, out);
    free(m);
    if (rc < 0)
        return rc;
    double zq = norm_quantile(1.0 - (1.0 - level) / 2.0);
    out->value = M0;
    out->ci_low = M0 - zq * out->se;
    out->ci_high = M0 + zq * out->se;
    return POV_OK;
}
