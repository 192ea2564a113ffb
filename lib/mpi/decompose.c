/*
 * povmetrics — subgroup decompositions (see include/povmetrics/decompose.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "povmetrics/decompose.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#define DECOMP_COLS 5

size_t pov_decomp_columns(void) {
    return DECOMP_COLS;
}

/* Neumaier's compensated sum: per-group sums stay accurate to a few ulps
 * without the memory of an exact accumulator per group. */
typedef struct csum {
    double s, c;
} csum;

static inline void csum_add(csum *a, double x) {
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}

static inline double csum_get(const csum *a) {
    return a->s + a->c;
}

static int name_error(int code, const char *name, const char *fmt, ...) POVI_PRINTF(3, 4);
static int name_error(int code, const char *name, const char *fmt, ...) {
    povi_loc loc = POVI_LOC_NONE;
    loc.path = name;
    va_list ap;
    va_start(ap, fmt);
    int rc = povi_error_atv(code, &loc, fmt, ap);
    va_end(ap);
    return rc;
}

/* path "arr[i]" in the thread's scratch buffer */
static _Thread_local char errpath[64];
#define path_error(code, arr, i, ...)                                                       \
    (snprintf(errpath, sizeof errpath, "%s[%zu]", (arr), (size_t)(i)),                      \
     name_error((code), errpath, __VA_ARGS__))

/* Checks shared by every decomposition. */
static int check_input(const double *y, const double *w, size_t n, const int32_t *group,
                       size_t n_groups, const double *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    if (n_groups == 0 || n_groups > INT32_MAX)
        return povi_error(POV_EINVAL, "n_groups must be in 1..%d", INT32_MAX);
    if (n == 0)
        return povi_error(POV_EEMPTY, "no observations (n = 0)");
    if (!y || !group)
        return povi_error(POV_EINVAL, "y and group must not be NULL");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            return path_error(POV_ENONFINITE, "y", i, "income is not finite (%g)", y[i]);
        if (w && !isfinite(w[i]))
            return path_error(POV_ENONFINITE, "w", i, "weight is not finite (%g)", w[i]);
        if (w && w[i] < 0)
            return path_error(POV_ERANGE, "w", i, "weight is negative (%g)", w[i]);
        if (group[i] < 0 || (size_t)group[i] >= n_groups)
            return path_error(POV_ERANGE, "group", i, "group id %ld is outside 0..n_groups-1",
                              (long)group[i]);
    }
    return 0;
}

static int empty_group_error(size_t g) {
    char path[48];
    snprintf(path, sizeof path, "groups[%zu]", g);
    povi_loc loc = POVI_LOC_NONE;
    loc.path = path;
    return povi_error_at(POV_EEMPTY, &loc, "group %zu has zero total weight", g);
}

/* kind 0: FGT(alpha); kind 1: Watts. */
static int poverty_decompose(const double *y, const double *w, size_t n, const int32_t *group,
                             size_t n_groups, double z, double alpha, int kind, double *out) {
    int rc = check_input(y, w, n, group, n_groups, out);
    if (rc)
        return rc;
    if (!isfinite(z) || z <= 0)
        return name_error(POV_EINVAL, "z", "poverty line must be finite and > 0, got %g", z);
    if (kind == 0 && (!isfinite(alpha) || alpha < 0))
        return name_error(POV_EINVAL, "alpha", "FGT exponent must be finite and >= 0, got %g",
                          alpha);
    csum *pop = calloc(n_groups, sizeof *pop), *num = calloc(n_groups, sizeof *num);
    if (!pop || !num) {
        free(pop);
        free(num);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const double yi = y[i], wi = w ? w[i] : 1.0;
        const size_t g = (size_t)group[i];
        csum_add(&pop[g], wi);
        if (!(yi < z))
            continue;
        double t;
        if (kind == 1) {
            if (yi <= 0) {
                free(pop);
                free(num);
                return path_error(POV_EDOMAIN, "y", i,
                                  "Watts index needs incomes > 0 below the line (%g)", yi);
            }
            t = log(z / yi);
        } else {
            const double gap = (z - yi) / z;
            t = alpha == 0 ? 1.0 : alpha == 1 ? gap : alpha == 2 ? gap * gap : pow(gap, alpha);
        }
        if (!isfinite(wi * t)) {
            free(pop);
            free(num);
            return path_error(POV_ERANGE, "y", i, "poverty term overflows (y = %g)", yi);
        }
        csum_add(&num[g], wi * t);
    }
    csum totpop = {0, 0}, totnum = {0, 0};
    for (size_t g = 0; g < n_groups; g++) {
        if (!(csum_get(&pop[g]) > 0)) {
            free(pop);
            free(num);
            return empty_group_error(g);
        }
        csum_add(&totpop, csum_get(&pop[g]));
        csum_add(&totnum, csum_get(&num[g]));
    }
    const double N = csum_get(&totpop), P = csum_get(&totnum) / N;
    for (size_t g = 0; g < n_groups; g++) {
        double *row = out + g * DECOMP_COLS;
        const double ng = csum_get(&pop[g]);
        row[0] = ng;
        row[1] = ng / N;
        row[2] = csum_get(&num[g]) / ng;
        row[3] = csum_get(&num[g]) / N; /* = share × value, without a second rounding */
        row[4] = P > 0 ? 100.0 * row[3] / P : 0.0;
    }
    double *tot = out + n_groups * DECOMP_COLS;
    tot[0] = N;
    tot[1] = 1.0;
    tot[2] = P;
    tot[3] = P;
    tot[4] = P > 0 ? 100.0 : 0.0;
    free(pop);
    free(num);
    return 0;
}

int pov_fgt_decompose(const double *y, const double *w, size_t n, const int32_t *group,
                      size_t n_groups, double z, double alpha, double *out) {
    return poverty_decompose(y, w, n, group, n_groups, z, alpha, 0, out);
}

int pov_watts_decompose(const double *y, const double *w, size_t n, const int32_t *group,
                        size_t n_groups, double z, double *out) {
    return poverty_decompose(y, w, n, group, n_groups, z, 0.0, 1, out);
}

/* Summand of GE(alpha) for ratio r = y/mu (see the header). */
static inline double ge_term(double r, double alpha) {
    if (alpha == 0)
        return -log(r);
    if (alpha == 1)
        return r > 0 ? r * log(r) : 0.0;
    if (alpha == 2)
        return r * r;
    return pow(r, alpha);
}

/* GE from the weighted mean of its summands. */
static inline double ge_finish(double mean_term, double alpha) {
    if (alpha == 0 || alpha == 1)
        return mean_term;
    return (mean_term - 1.0) / (alpha * (alpha - 1.0));
}

int pov_ge_decompose(const double *y, const double *w, size_t n, const int32_t *group,
                     size_t n_groups, double alpha, double *out) {
    int rc = check_input(y, w, n, group, n_groups, out);
    if (rc)
        return rc;
    if (!isfinite(alpha))
        return name_error(POV_EINVAL, "alpha", "GE exponent must be finite, got %g", alpha);
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (alpha <= 0 && y[i] == 0))
            return path_error(POV_EDOMAIN, "y", i, "GE(%g) needs incomes %s 0 (got %g)", alpha,
                              alpha <= 0 ? ">" : ">=", y[i]);
    }
    csum *acc = calloc(3 * n_groups, sizeof *acc); /* per group: Σw, Σwy, Σw·term */
    double *mu = malloc(n_groups * sizeof *mu);
    if (!acc || !mu) {
        free(acc);
        free(mu);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const double wi = w ? w[i] : 1.0;
        const size_t g = (size_t)group[i];
        csum_add(&acc[3 * g], wi);
        if (!isfinite(wi * y[i])) {
            free(acc);
            free(mu);
            return path_error(POV_ERANGE, "w", i, "weight times income overflows (w = %g)", wi);
        }
        csum_add(&acc[3 * g + 1], wi * y[i]);
    }
    csum N = {0, 0}, Y = {0, 0};
    for (size_t g = 0; g < n_groups; g++) {
        const double ng = csum_get(&acc[3 * g]);
        if (!(ng > 0)) {
            free(acc);
            free(mu);
            return empty_group_error(g);
        }
        mu[g] = csum_get(&acc[3 * g + 1]) / ng;
        if (!(mu[g] > 0)) {
            const double bad = mu[g];
            free(acc);
            free(mu);
            char path[48];
            snprintf(path, sizeof path, "groups[%zu]", g);
            return name_error(POV_EDOMAIN, path, "group mean must be > 0 (%g)", bad);
        }
        csum_add(&N, ng);
        csum_add(&Y, csum_get(&acc[3 * g + 1]));
    }
    const double Nt = csum_get(&N), m = csum_get(&Y) / Nt;
    /* second pass: group and total summands */
    csum total = {0, 0};
    for (size_t i = 0; i < n; i++) {
        const double wi = w ? w[i] : 1.0;
        const size_t g = (size_t)group[i];
        const double tg = wi * ge_term(y[i] / mu[g], alpha), tt = wi * ge_term(y[i] / m, alpha);
        if (!isfinite(tg) || !isfinite(tt)) {
            free(acc);
            free(mu);
            return path_error(POV_ERANGE, "y", i, "GE term overflows (y = %g)", y[i]);
        }
        csum_add(&acc[3 * g + 2], tg);
        csum_add(&total, tt);
    }
    double within = 0, between_sum = 0;
    for (size_t g = 0; g < n_groups; g++) {
        const double ng = csum_get(&acc[3 * g]);
        const double v = ng / Nt, s = v * mu[g] / m, r = mu[g] / m;
        const double ge_g = ge_finish(csum_get(&acc[3 * g + 2]) / ng, alpha);
        /* weight v^(1-α) s^α: v for α = 0, s for α = 1 */
        const double wg = alpha == 0 ? v : alpha == 1 ? s : pow(v, 1.0 - alpha) * pow(s, alpha);
        within += wg * ge_g;
        between_sum += v * ge_term(r, alpha);
        double *row = out + 3 + 4 * g;
        row[0] = v;
        row[1] = s;
        row[2] = mu[g];
        row[3] = ge_g;
    }
    out[0] = ge_finish(csum_get(&total) / Nt, alpha);
    out[1] = within;
    out[2] = ge_finish(between_sum, alpha);
    free(acc);
    free(mu);
    return 0;
}
