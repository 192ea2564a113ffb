/*
 * povmetrics — Alkire–Foster multidimensional poverty (see
 * include/povmetrics/mpi.h for the definitions and references).
 *
 * SPDX-License-Identifier: MIT
 */
#include "povmetrics/mpi.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mpi_internal.h"

#if defined(__GNUC__) && !defined(POVI_NO_VECTOR_EXT)
typedef double v2d __attribute__((vector_size(16)));
typedef long long v2i __attribute__((vector_size(16)));
#endif

#define MPI_IND_COLS 4
#define MPI_GROUP_COLS 6

typedef struct csum {
    double s, c;
} csum;

/* Neumaier's compensated summation. */
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

struct pov_mpi {
    size_t n, d, n_groups;
    double k;
    int cardinal;       /* cut-offs given: M1, M2 defined */
    int gaps_defined;   /* every cut-off > 0 */
    double N, H, A, M0, M1, M2;
    double *wj;         /* d normalised indicator weights */
    double *ind;        /* d × MPI_IND_COLS */
    double *groups;     /* n_groups × MPI_GROUP_COLS */
    double *score;      /* n deprivation scores */
    double *pw;         /* n person weights (NULL: unit) */
};

void pov_mpi_options_init(pov_mpi_options *opts) {
    if (opts) {
        pov_mpi_options o = POV_MPI_OPTIONS_INIT;
        *opts = o;
    }
}

size_t pov_mpi_options_size(void) {
    return sizeof(pov_mpi_options);
}

size_t pov_mpi_indicator_columns(void) {
    return MPI_IND_COLS;
}

size_t pov_mpi_group_columns(void) {
    return MPI_GROUP_COLS;
}

static int err_path(int code, const char *path, const char *fmt, ...) POVI_PRINTF(3, 4);
static int err_path(int code, const char *path, const char *fmt, ...) {
    povi_loc loc = POVI_LOC_NONE;
    loc.path = path;
    va_list ap;
    va_start(ap, fmt);
    int rc = povi_error_atv(code, &loc, fmt, ap);
    va_end(ap);
    return rc;
}

/* path "arr[i]" or "x[i][j]" in the thread's scratch buffer */
static _Thread_local char errpath[64];
#define err_index(code, arr, i, ...)                                                        \
    (snprintf(errpath, sizeof errpath, "%s[%zu]", (arr), (size_t)(i)),                      \
     err_path((code), errpath, __VA_ARGS__))
#define err_cell(code, i, j, ...)                                                           \
    (snprintf(errpath, sizeof errpath, "x[%zu][%zu]", (size_t)(i), (size_t)(j)),            \
     err_path((code), errpath, __VA_ARGS__))

int povi_mpi_check_spec(size_t d, const pov_mpi_options *o) {
    if (!o || o->size < sizeof(pov_mpi_options))
        return povi_error(POV_EINVAL, "options missing or opts->size too small");
    if (d == 0)
        return povi_error(POV_EINVAL, "need at least one indicator (d = 0)");
    if (!isfinite(o->k) || !(o->k > 0 && o->k <= 1))
        return err_path(POV_EINVAL, "k", "poverty cut-off k must be in (0, 1], got %g", o->k);
    double sum = 0;
    for (size_t j = 0; j < d; j++) {
        if (o->cutoffs && !isfinite(o->cutoffs[j]))
            return err_index(POV_ENONFINITE, "cutoffs", j, "cut-off is not finite (%g)",
                             o->cutoffs[j]);
        if (o->direction && o->direction[j] != POV_MPI_DEPRIVED_BELOW &&
            o->direction[j] != POV_MPI_DEPRIVED_ABOVE)
            return err_index(POV_EINVAL, "direction", j, "direction must be 0 or 1, got %ld",
                             (long)o->direction[j]);
        if (o->weights) {
            if (!isfinite(o->weights[j]))
                return err_index(POV_ENONFINITE, "weights", j, "weight is not finite (%g)",
                                 o->weights[j]);
            if (o->weights[j] < 0)
                return err_index(POV_ERANGE, "weights", j, "weight is negative (%g)",
                                 o->weights[j]);
            sum += o->weights[j];
        }
    }
    if (o->weights && !(sum > 0 && isfinite(sum)))
        return err_path(POV_EINVAL, "weights", "indicator weights sum to %g", sum);
    return 0;
}

int povi_mpi_check_rows(const double *x, size_t n, size_t d, int binary, const double *pw) {
    for (size_t i = 0; i < n; i++) {
        const double *row = x + i * d;
        for (size_t j = 0; j < d; j++) {
            if (!isfinite(row[j]))
                return err_cell(POV_ENONFINITE, i, j, "value is not finite (%g)", row[j]);
            if (binary && row[j] != 0 && row[j] != 1)
                return err_cell(POV_EDOMAIN, i, j, "0/1 deprivation matrix holds %g", row[j]);
        }
        if (pw) {
            if (!isfinite(pw[i]))
                return err_index(POV_ENONFINITE, "w", i, "person weight is not finite (%g)",
                                 pw[i]);
            if (pw[i] < 0)
                return err_index(POV_ERANGE, "w", i, "person weight is negative (%g)", pw[i]);
        }
    }
    return 0;
}

void povi_mpi_weights(size_t d, const double *weights, double *wj) {
    double wsum = 0;
    for (size_t j = 0; j < d; j++)
        wsum += weights ? weights[j] : 1.0;
    for (size_t j = 0; j < d; j++)
        wj[j] = (weights ? weights[j] : 1.0) / wsum;
}

static int check_options(const double *x, size_t n, size_t d, const pov_mpi_options *o) {
    int rc = povi_mpi_check_spec(d, o);
    if (rc)
        return rc;
    if (n == 0)
        return povi_error(POV_EEMPTY, "no persons (n = 0)");
    if (!x)
        return povi_error(POV_EINVAL, "x is NULL");
    if (n > SIZE_MAX / d)
        return povi_error(POV_EINVAL, "n × d overflows");
    if (o->group && o->n_groups == 0)
        return povi_error(POV_EINVAL, "group ids given without n_groups");
    if (o->n_groups > INT32_MAX)
        return povi_error(POV_EINVAL, "too many groups");
    if ((rc = povi_mpi_check_rows(x, n, d, !o->cutoffs, o->person_weights)))
        return rc;
    if (o->group)
        for (size_t i = 0; i < n; i++)
            if (o->group[i] < 0 || (size_t)o->group[i] >= o->n_groups)
                return err_index(POV_ERANGE, "group", i,
                                 "group id %ld is outside 0..n_groups-1", (long)o->group[i]);
    return 0;
}

void pov_mpi_free(pov_mpi *m) {
    if (!m)
        return;
    free(m->wj);
    free(m->ind);
    free(m->groups);
    free(m->score);
    free(m->pw);
    free(m);
}

int pov_mpi_new(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
                pov_mpi **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    int rc = check_options(x, n, d, opts);
    if (rc)
        return rc;
    const pov_mpi_options *o = opts;
    const size_t G = o->group ? o->n_groups : 0;
    pov_mpi *m = calloc(1, sizeof *m);
    csum *sums = NULL; /* 2d indicator sums, then 3 per group */
    if (m) {
        m->wj = malloc(d * sizeof *m->wj);
        m->ind = calloc(d * MPI_IND_COLS, sizeof *m->ind);
        m->groups = G ? calloc(G * MPI_GROUP_COLS, sizeof *m->groups) : NULL;
        m->score = malloc(n * sizeof *m->score);
        m->pw = o->person_weights ? malloc(n * sizeof *m->pw) : NULL;
        sums = calloc(2 * d + 3 * G, sizeof *sums);
    }
    if (!m || !m->wj || !m->ind || (G && !m->groups) || !m->score ||
        (o->person_weights && !m->pw) || !sums) {
        pov_mpi_free(m);
        free(sums);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    m->n = n;
    m->d = d;
    m->n_groups = G;
    m->k = o->k;
    m->cardinal = o->cutoffs != NULL;
    m->gaps_defined = m->cardinal;
    povi_mpi_weights(d, o->weights, m->wj);
    for (size_t j = 0; j < d; j++)
        if (m->cardinal && !(o->cutoffs[j] > 0))
            m->gaps_defined = 0;
    if (o->person_weights)
        memcpy(m->pw, o->person_weights, n * sizeof *m->pw);

    csum *uh = sums, *ch = sums + d, *gs = sums + 2 * d;
    csum N = {0, 0}, q = {0, 0}, sc = {0, 0}, s1 = {0, 0}, s2 = {0, 0};
    const double kk = o->k - POVI_MPI_K_TOL;
    for (size_t i = 0; i < n; i++) {
        const double *row = x + i * d;
        const double p = o->person_weights ? o->person_weights[i] : 1.0;
        double c = 0;
        for (size_t j = 0; j < d; j++) {
            int dep = m->cardinal
                          ? povi_mpi_deprived(row[j], o->cutoffs[j], o->direction ? o->direction[j] : 0)
                          : row[j] == 1;
            if (dep) {
                c += m->wj[j];
                csum_add(&uh[j], p);
            }
        }
        m->score[i] = c;
        csum_add(&N, p);
        if (G)
            csum_add(&gs[3 * (size_t)o->group[i]], p);
        if (!(c >= kk))
            continue;
        /* poor: censored sums */
        csum_add(&q, p);
        csum_add(&sc, p * c);
        if (G) {
            csum_add(&gs[3 * (size_t)o->group[i] + 1], p);
            csum_add(&gs[3 * (size_t)o->group[i] + 2], p * c);
        }
        double g1 = 0, g2 = 0;
        for (size_t j = 0; j < d; j++) {
            const double z = m->cardinal ? o->cutoffs[j] : 1.0;
            const int dir = o->direction ? o->direction[j] : 0;
            int dep = m->cardinal ? povi_mpi_deprived(row[j], z, dir) : row[j] == 1;
            if (!dep)
                continue;
            csum_add(&ch[j], p);
            if (m->gaps_defined) {
                const double g = dir ? (row[j] - z) / z : (z - row[j]) / z;
                g1 += m->wj[j] * g;
                g2 += m->wj[j] * (g * g);
            }
        }
        if (m->gaps_defined) {
            if (!isfinite(p * g1) || !isfinite(p * g2)) {
                pov_mpi_free(m);
                free(sums);
                return err_index(POV_ERANGE, "x", i, "normalised gaps overflow (person %zu)", i);
            }
            csum_add(&s1, p * g1);
            csum_add(&s2, p * g2);
        }
    }
    m->N = csum_get(&N);
    if (!(m->N > 0)) {
        pov_mpi_free(m);
        free(sums);
        return povi_error(POV_EEMPTY, "total person weight is 0");
    }
    const double Q = csum_get(&q), SC = csum_get(&sc);
    m->H = Q / m->N;
    m->A = Q > 0 ? SC / Q : 0.0;
    m->M0 = SC / m->N;
    m->M1 = m->gaps_defined ? csum_get(&s1) / m->N : NAN;
    m->M2 = m->gaps_defined ? csum_get(&s2) / m->N : NAN;
    for (size_t j = 0; j < d; j++) {
        double *r = m->ind + j * MPI_IND_COLS;
        r[0] = csum_get(&uh[j]) / m->N;
        r[1] = csum_get(&ch[j]) / m->N;
        r[2] = m->wj[j];
        r[3] = m->M0 > 0 ? 100.0 * m->wj[j] * r[1] / m->M0 : 0.0;
    }
    for (size_t g = 0; g < G; g++) {
        const double ng = csum_get(&gs[3 * g]), qg = csum_get(&gs[3 * g + 1]),
                     scg = csum_get(&gs[3 * g + 2]);
        if (!(ng > 0)) {
            pov_mpi_free(m);
            free(sums);
            char path[48];
            snprintf(path, sizeof path, "groups[%zu]", g);
            return err_path(POV_EEMPTY, path, "group has zero total weight (%g)", ng);
        }
        double *r = m->groups + g * MPI_GROUP_COLS;
        r[0] = ng;
        r[1] = ng / m->N;
        r[2] = qg / ng;
        r[3] = qg > 0 ? scg / qg : 0.0;
        r[4] = scg / ng;
        r[5] = SC > 0 ? 100.0 * scg / SC : 0.0; /* = 100·(N_g/N)·M0_g/M0 */
    }
    free(sums);
    *out = m;
    return 0;
}

size_t pov_mpi_persons(const pov_mpi *m) {
    return m ? m->n : 0;
}

size_t pov_mpi_indicators(const pov_mpi *m) {
    return m ? m->d : 0;
}

size_t pov_mpi_groups(const pov_mpi *m) {
    return m ? m->n_groups : 0;
}

int pov_mpi_measure(const pov_mpi *m, pov_mpi_stat stat, double *out) {
    if (!m || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    switch (stat) {
    case POV_MPI_H: *out = m->H; return 0;
    case POV_MPI_A: *out = m->A; return 0;
    case POV_MPI_M0: *out = m->M0; return 0;
    case POV_MPI_POPULATION: *out = m->N; return 0;
    case POV_MPI_M1:
    case POV_MPI_M2:
        if (!m->cardinal)
            return povi_error(POV_ESTATE, "M1 and M2 need achievements and cut-offs, "
                                          "not a 0/1 deprivation matrix");
        if (!m->gaps_defined)
            return povi_error(POV_EDOMAIN, "normalised gaps need every cut-off > 0");
        *out = stat == POV_MPI_M1 ? m->M1 : m->M2;
        return 0;
    }
    return povi_error(POV_EINVAL, "unknown statistic %d", (int)stat);
}

int pov_mpi_indicator_table(const pov_mpi *m, double *out) {
    if (!m || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    memcpy(out, m->ind, m->d * MPI_IND_COLS * sizeof *out);
    return 0;
}

int pov_mpi_group_table(const pov_mpi *m, double *out) {
    if (!m || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    if (!m->n_groups)
        return povi_error(POV_ESTATE, "no groups were given to pov_mpi_new()");
    memcpy(out, m->groups, m->n_groups * MPI_GROUP_COLS * sizeof *out);
    return 0;
}

int pov_mpi_scores(const pov_mpi *m, double *out) {
    if (!m || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    memcpy(out, m->score, m->n * sizeof *out);
    return 0;
}

int pov_mpi_k_range(const pov_mpi *m, const double *ks, size_t n_k, double *out) {
    if (!m || (n_k && (!ks || !out)))
        return povi_error(POV_EINVAL, "NULL argument");
    for (size_t t = 0; t < n_k; t++)
        if (!isfinite(ks[t]) || !(ks[t] > 0 && ks[t] <= 1))
            return err_index(POV_EINVAL, "ks", t, "poverty cut-off must be in (0, 1], got %g",
                             ks[t]);
    for (size_t t = 0; t < n_k; t++) {
        const double kk = ks[t] - POVI_MPI_K_TOL;
        csum N = {0, 0}, q = {0, 0}, sc = {0, 0};
        /* same summation order as pov_mpi_new(), so results coincide */
        for (size_t i = 0; i < m->n; i++) {
            const double p = m->pw ? m->pw[i] : 1.0, c = m->score[i];
            csum_add(&N, p);
            if (c >= kk) {
                csum_add(&q, p);
                csum_add(&sc, p * c);
            }
        }
        const double Nt = csum_get(&N), Q = csum_get(&q), SC = csum_get(&sc);
        out[3 * t] = Q / Nt;
        out[3 * t + 1] = Q > 0 ? SC / Q : 0.0;
        out[3 * t + 2] = SC / Nt;
    }
    return 0;
}

/*
 * Fast path for H, A and M0 only: one pass over the row-major matrix that
 * validates and sums together, no tables, no per-person storage. Scores are
 * summed in indicator order exactly as in pov_mpi_new(), so the
 * identification (c_i >= k − 1e-12) is the same bit for bit; the three
 * totals are plain double sums (two interleaved partial sums each), which
 * can differ from pov_mpi_new()'s compensated sums in the last bits. On bad
 * input the matrix is re-checked by povi_mpi_check_rows() for the exact
 * error and path.
 */
int pov_mpi_m0(const double *x, size_t n, size_t d, const pov_mpi_options *opts,
               double *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    int rc = povi_mpi_check_spec(d, opts);
    if (rc)
        return rc;
    const pov_mpi_options *o = opts;
    if (o->group || o->n_groups)
        return err_path(POV_EINVAL, "group",
                        "pov_mpi_m0() has no subgroups; use pov_mpi_new() for them");
    if (n == 0)
        return povi_error(POV_EEMPTY, "no persons (n = 0)");
    if (!x)
        return povi_error(POV_EINVAL, "x is NULL");
    if (n > SIZE_MAX / d)
        return povi_error(POV_EINVAL, "n × d overflows");
    enum { SMALL_D = 64 };
    double wj_small[SMALL_D], zj_small[SMALL_D];
    double *wj = wj_small, *zj = zj_small, *heap = NULL;
    if (d > SMALL_D) {
        heap = malloc(2 * d * sizeof *heap);
        if (!heap)
            return povi_error(POV_ENOMEM, "out of memory");
        wj = heap;
        zj = heap + d;
    }
    povi_mpi_weights(d, o->weights, wj);
    const int binary = !o->cutoffs;
    const double *pw = o->person_weights;
    /* "above" indicators are tested as −x < −z so one comparison serves both */
    int above_any = 0;
    for (size_t j = 0; j < d; j++) {
        int above = o->direction && o->direction[j] == POV_MPI_DEPRIVED_ABOVE;
        zj[j] = binary ? 0.5 : (above ? -o->cutoffs[j] : o->cutoffs[j]);
        above_any |= above;
    }
    const double kk = o->k - POVI_MPI_K_TOL;
    double N0 = 0, N1 = 0, q0 = 0, q1 = 0, s0 = 0, s1 = 0;
    int bad = 0;
    size_t i = 0;
#if defined(__GNUC__) && !defined(POVI_NO_VECTOR_EXT)
    /* Four rows at a time, rows (i, i+1) in the two lanes of one vector and
     * (i+2, i+3) in another: each lane sums its own row's score in indicator
     * order and adds to the even (lane 0) or odd (lane 1) partial sums in row
     * order, exactly the operations of the scalar loop below, so the results
     * are the same bit for bit. What changes is that the four scores are
     * independent chains of additions that run side by side, and the
     * checks are branch-free. Indicators "above" are negated by flipping the
     * sign bit (exact), so one comparison v < z serves both directions. */
    {
        const v2d zero = {0, 0}, one = {1.0, 1.0}, maxv = {DBL_MAX, DBL_MAX}, kv = {kk, kk};
        /* The checks leave no comparison in the inner loop: an entry v of a
         * 0/1 matrix is valid iff v*v − v is +0 (for any other v it is
         * nonzero, infinite or NaN; -0.0 gives +0 and is valid, as 0), an
         * achievement iff v − v is +0 (finite); OR-ing the bits of these
         * values leaves `flags` zero iff every entry is valid. */
        v2i flags = {0, 0};
        v2d Nv = zero, qv = zero, sv = zero;
        long long sgn_small[SMALL_D];
        long long *sgn = sgn_small;
        if (!binary && d > SMALL_D) {
            sgn = malloc(d * sizeof *sgn);
            if (!sgn) {
                free(heap);
                return povi_error(POV_ENOMEM, "out of memory");
            }
        }
        if (!binary)
            for (size_t j = 0; j < d; j++)
                sgn[j] = above_any && o->direction[j] == POV_MPI_DEPRIVED_ABOVE
                             ? (long long)0x8000000000000000ULL
                             : 0;
        for (; i + 4 <= n; i += 4) {
            const double *r0 = x + i * d, *r1 = r0 + d, *r2 = r1 + d, *r3 = r2 + d;
            v2d ca = zero, cb = zero;
            if (binary) {
                for (size_t j = 0; j < d; j++) {
                    v2d va = {r0[j], r1[j]}, vb = {r2[j], r3[j]}, wv = {wj[j], wj[j]};
                    ca += (v2d)((v2i)wv & (va == one));
                    cb += (v2d)((v2i)wv & (vb == one));
                    flags |= (v2i)(va * va - va) | (v2i)(vb * vb - vb);
                }
            } else if (!above_any) {
                for (size_t j = 0; j < d; j++) {
                    v2d va = {r0[j], r1[j]}, vb = {r2[j], r3[j]};
                    v2d zv = {zj[j], zj[j]}, wv = {wj[j], wj[j]};
                    ca += (v2d)((v2i)wv & (va < zv));
                    cb += (v2d)((v2i)wv & (vb < zv));
                    flags |= (v2i)(va - va) | (v2i)(vb - vb);
                }
            } else {
                for (size_t j = 0; j < d; j++) {
                    v2i sj = {sgn[j], sgn[j]};
                    v2d va = (v2d)((v2i)((v2d){r0[j], r1[j]}) ^ sj);
                    v2d vb = (v2d)((v2i)((v2d){r2[j], r3[j]}) ^ sj);
                    v2d zv = {zj[j], zj[j]}, wv = {wj[j], wj[j]};
                    ca += (v2d)((v2i)wv & (va < zv));
                    cb += (v2d)((v2i)wv & (vb < zv));
                    flags |= (v2i)(va - va) | (v2i)(vb - vb);
                }
            }
            v2d pa = one, pb = one;
            if (pw) {
                pa = (v2d){pw[i], pw[i + 1]};
                pb = (v2d){pw[i + 2], pw[i + 3]};
                flags |= ~((pa >= zero) & (pa <= maxv) & (pb >= zero) & (pb <= maxv));
            }
            v2d ppa = (v2d)((v2i)pa & (ca >= kv)), ppb = (v2d)((v2i)pb & (cb >= kv));
            Nv += pa;
            qv += ppa;
            sv += ppa * ca;
            Nv += pb;
            qv += ppb;
            sv += ppb * cb;
        }
        if (sgn != sgn_small)
            free(sgn);
        bad = (flags[0] | flags[1]) != 0;
        N0 = Nv[0];
        N1 = Nv[1];
        q0 = qv[0];
        q1 = qv[1];
        s0 = sv[0];
        s1 = sv[1];
    }
#endif
    for (; i < n; i++) {
        const double *row = x + i * d;
        const double p = pw ? pw[i] : 1.0;
        double c = 0;
        if (binary) {
            for (size_t j = 0; j < d; j++) {
                double v = row[j];
                c += v == 1.0 ? wj[j] : 0.0;
                bad |= !(v == 0.0 || v == 1.0);
            }
        } else if (!above_any) {
            for (size_t j = 0; j < d; j++) {
                double v = row[j];
                c += v < zj[j] ? wj[j] : 0.0;
                bad |= !(v - v == 0.0);
            }
        } else {
            for (size_t j = 0; j < d; j++) {
                int above = o->direction[j] == POV_MPI_DEPRIVED_ABOVE;
                double v = above ? -row[j] : row[j];
                c += v < zj[j] ? wj[j] : 0.0;
                bad |= !(v - v == 0.0);
            }
        }
        bad |= !(p >= 0.0 && p <= DBL_MAX);
        int poor = c >= kk;
        double pp = poor ? p : 0.0;
        if (i & 1) {
            N1 += p;
            q1 += pp;
            s1 += pp * c;
        } else {
            N0 += p;
            q0 += pp;
            s0 += pp * c;
        }
    }
    free(heap);
    if (bad) {
        rc = povi_mpi_check_rows(x, n, d, binary, pw);
        return rc ? rc : povi_error(POV_ERROR, "internal error: inconsistent input check");
    }
    const double N = N0 + N1, Q = q0 + q1, SC = s0 + s1;
    if (!(N > 0))
        return povi_error(POV_EEMPTY, "total person weight is 0");
    if (!isfinite(N))
        return err_path(POV_ERANGE, "w", "the sum of the person weights overflows");
    out[0] = Q / N;
    out[1] = Q > 0 ? SC / Q : 0.0;
    out[2] = SC / N;
    return 0;
}
