/*
 * povmetrics — mergeable Alkire–Foster accumulator (see
 * include/povmetrics/mpi.h). Identification and per-person terms are the
 * same operations as pov_mpi_new(); only the summation differs (exact here).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accum_json.h"
#include "internal.h"
#include "mpi_internal.h"
#include "xsum.h"

#define MACC_FORMAT "povmetrics.mpi-accum/1"

struct pov_mpi_accum {
    size_t d;
    double k;
    int cardinal, gaps_defined;
    double *z;       /* d cut-offs (cardinal only) */
    int32_t *dir;    /* d directions */
    double *w_raw;   /* d weights as given (serialised; re-normalised identically) */
    int has_w;       /* weights were given */
    double *wj;      /* d normalised weights */
    unsigned char *dep; /* d scratch flags for one person */
    uint64_t count;
    /* sums: N, q, Σp·c, M1 sum, M2 sum, then d uncensored and d censored
     * headcount sums; a batch is added to the scratch copy first and
     * committed only if it succeeds */
    size_t n_sums;
    povi_xsum *sums, *scratch;
};

enum { S_N, S_Q, S_SC, S_M1, S_M2, S_UH };
#define UH(a, s, j) (&(s)[S_UH + (j)])
#define CH(a, s, j) (&(s)[S_UH + (a)->d + (j)])

void pov_mpi_accum_free(pov_mpi_accum *a) {
    if (!a)
        return;
    free(a->z);
    free(a->dir);
    free(a->w_raw);
    free(a->wj);
    free(a->dep);
    free(a->sums);
    free(a->scratch);
    free(a);
}

int pov_mpi_accum_new(size_t d, const pov_mpi_options *opts, pov_mpi_accum **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    int rc = povi_mpi_check_spec(d, opts);
    if (rc)
        return rc;
    if (opts->person_weights || opts->group)
        return povi_error(POV_EINVAL, "person weights come with each batch and groups need "
                                      "one accumulator each: set person_weights and group "
                                      "to NULL");
    if (d > 1u << 20)
        return povi_error(POV_ELIMIT, "too many indicators (%zu)", d);
    pov_mpi_accum *a = calloc(1, sizeof *a);
    if (a) {
        a->z = calloc(d, sizeof *a->z);
        a->dir = calloc(d, sizeof *a->dir);
        a->w_raw = calloc(d, sizeof *a->w_raw);
        a->wj = calloc(d, sizeof *a->wj);
        a->dep = calloc(d, 1);
        a->n_sums = S_UH + 2 * d;
        a->sums = calloc(a->n_sums, sizeof *a->sums);
        a->scratch = calloc(a->n_sums, sizeof *a->scratch);
    }
    if (!a || !a->z || !a->dir || !a->w_raw || !a->wj || !a->dep || !a->sums || !a->scratch) {
        pov_mpi_accum_free(a);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    a->d = d;
    a->k = opts->k;
    a->cardinal = opts->cutoffs != NULL;
    a->gaps_defined = a->cardinal;
    a->has_w = opts->weights != NULL;
    for (size_t j = 0; j < d; j++) {
        a->z[j] = a->cardinal ? opts->cutoffs[j] : 1.0;
        a->dir[j] = opts->direction ? opts->direction[j] : POV_MPI_DEPRIVED_BELOW;
        a->w_raw[j] = opts->weights ? opts->weights[j] : 1.0;
        if (a->cardinal && !(a->z[j] > 0))
            a->gaps_defined = 0;
    }
    povi_mpi_weights(d, opts->weights, a->wj);
    /* xsums start zeroed by calloc */
    *out = a;
    return 0;
}

int pov_mpi_accum_update(pov_mpi_accum *a, const double *x, const double *w, size_t n) {
    if (!a)
        return povi_error(POV_EINVAL, "accumulator is NULL");
    if (n == 0)
        return 0;
    if (!x)
        return povi_error(POV_EINVAL, "x is NULL");
    if (n > SIZE_MAX / a->d)
        return povi_error(POV_EINVAL, "n × d overflows");
    int rc = povi_mpi_check_rows(x, n, a->d, !a->cardinal, w);
    if (rc)
        return rc;
    const size_t d = a->d;
    const double kk = a->k - POVI_MPI_K_TOL;
    povi_xsum *t = a->scratch;
    memcpy(t, a->sums, a->n_sums * sizeof *t);
    for (size_t i = 0; i < n; i++) {
        const double *row = x + i * d;
        const double p = w ? w[i] : 1.0;
        double c = 0;
        for (size_t j = 0; j < d; j++) {
            int dep = a->cardinal ? povi_mpi_deprived(row[j], a->z[j], a->dir[j]) : row[j] == 1;
            a->dep[j] = (unsigned char)dep;
            if (dep) {
                c += a->wj[j];
                povi_xsum_add(UH(a, t, j), p);
            }
        }
        povi_xsum_add(&t[S_N], p);
        if (!(c >= kk))
            continue;
        povi_xsum_add(&t[S_Q], p);
        povi_xsum_add(&t[S_SC], p * c);
        double g1 = 0, g2 = 0;
        for (size_t j = 0; j < d; j++) {
            if (!a->dep[j])
                continue;
            povi_xsum_add(CH(a, t, j), p);
            if (a->gaps_defined) {
                const double z = a->z[j];
                const double g = a->dir[j] ? (row[j] - z) / z : (z - row[j]) / z;
                g1 += a->wj[j] * g;
                g2 += a->wj[j] * (g * g);
            }
        }
        if (a->gaps_defined) {
            if (!isfinite(p * g1) || !isfinite(p * g2)) {
                char path[40];
                snprintf(path, sizeof path, "x[%zu]", i);
                povi_loc loc = POVI_LOC_NONE;
                loc.path = path;
                return povi_error_at(POV_ERANGE, &loc, "normalised gaps overflow (person %zu)",
                                     i); /* the scratch copy is dropped: nothing added */
            }
            povi_xsum_add(&t[S_M1], p * g1);
            povi_xsum_add(&t[S_M2], p * g2);
        }
    }
    a->scratch = a->sums;
    a->sums = t;
    a->count += n;
    return 0;
}

static int same_spec(const pov_mpi_accum *a, const pov_mpi_accum *b) {
    if (a->d != b->d || a->k != b->k || a->cardinal != b->cardinal)
        return 0;
    for (size_t j = 0; j < a->d; j++)
        if (a->z[j] != b->z[j] || a->dir[j] != b->dir[j] || a->wj[j] != b->wj[j])
            return 0;
    return 1;
}

int pov_mpi_accum_merge(pov_mpi_accum *a, const pov_mpi_accum *b) {
    if (!a || !b)
        return povi_error(POV_EINVAL, "accumulator is NULL");
    if (!same_spec(a, b))
        return povi_error(POV_EINVAL, "cannot merge accumulators with different indicators, "
                                      "cut-offs, directions, weights or k");
    /* povi_xsum_add_sum copies its second argument: a == b is fine */
    const uint64_t count = b->count;
    for (size_t s = 0; s < a->n_sums; s++)
        povi_xsum_add_sum(&a->sums[s], &b->sums[s]);
    a->count += count;
    return 0;
}

size_t pov_mpi_accum_indicators(const pov_mpi_accum *a) {
    return a ? a->d : 0;
}

uint64_t pov_mpi_accum_count(const pov_mpi_accum *a) {
    return a ? a->count : 0;
}

static double rnd(const povi_xsum *s) {
    int ovf;
    return povi_xsum_round(s, &ovf); /* sums of weights of finite inputs: ±inf reported as is */
}

/* N, or POV_EEMPTY. */
static int population(const pov_mpi_accum *a, double *N) {
    *N = rnd(&a->sums[S_N]);
    if (!(*N > 0))
        return povi_error(POV_EEMPTY, "total person weight is 0 (%llu persons)",
                          (unsigned long long)a->count);
    if (!isfinite(*N))
        return povi_error(POV_ERANGE, "total person weight overflows");
    return 0;
}

int pov_mpi_accum_measure(const pov_mpi_accum *a, pov_mpi_stat stat, double *out) {
    if (!a || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    if (stat == POV_MPI_POPULATION) {
        *out = rnd(&a->sums[S_N]);
        return 0;
    }
    if ((stat == POV_MPI_M1 || stat == POV_MPI_M2)) {
        if (!a->cardinal)
            return povi_error(POV_ESTATE, "M1 and M2 need achievements and cut-offs, "
                                          "not a 0/1 deprivation matrix");
        if (!a->gaps_defined)
            return povi_error(POV_EDOMAIN, "normalised gaps need every cut-off > 0");
    }
    double N;
    int rc = population(a, &N);
    if (rc)
        return rc;
    const double Q = rnd(&a->sums[S_Q]), SC = rnd(&a->sums[S_SC]);
    switch (stat) {
    case POV_MPI_H: *out = Q / N; return 0;
    case POV_MPI_A: *out = Q > 0 ? SC / Q : 0.0; return 0;
    case POV_MPI_M0: *out = SC / N; return 0;
    case POV_MPI_M1: *out = rnd(&a->sums[S_M1]) / N; return 0;
    case POV_MPI_M2: *out = rnd(&a->sums[S_M2]) / N; return 0;
    case POV_MPI_POPULATION: break;
    }
    return povi_error(POV_EINVAL, "unknown statistic %d", (int)stat);
}

int pov_mpi_accum_indicator_table(const pov_mpi_accum *a, double *out) {
    if (!a || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    double N;
    int rc = population(a, &N);
    if (rc)
        return rc;
    const double M0 = rnd(&a->sums[S_SC]) / N;
    for (size_t j = 0; j < a->d; j++) {
        double *r = out + 4 * j;
        r[0] = rnd(UH(a, a->sums, j)) / N;
        r[1] = rnd(CH(a, a->sums, j)) / N;
        r[2] = a->wj[j];
        r[3] = M0 > 0 ? 100.0 * a->wj[j] * r[1] / M0 : 0.0;
    }
    return 0;
}

/* ---- serialisation ------------------------------------------------------ */

int pov_mpi_accum_serialize(const pov_mpi_accum *a, char **out) {
    if (!a || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    *out = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *cut = a->cardinal ? cJSON_CreateArray() : cJSON_CreateNull();
    cJSON *dir = cJSON_CreateArray(), *wts = a->has_w ? cJSON_CreateArray() : cJSON_CreateNull();
    cJSON *sums = cJSON_CreateObject(), *uh = cJSON_CreateArray(), *ch = cJSON_CreateArray();
    int ok = root && cut && dir && wts && sums && uh && ch;
    if (!ok) {
        cJSON_Delete(root);
        cJSON_Delete(cut);
        cJSON_Delete(dir);
        cJSON_Delete(wts);
        cJSON_Delete(sums);
        cJSON_Delete(uh);
        cJSON_Delete(ch);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    cJSON_AddItemToObject(root, "format", cJSON_CreateString(MACC_FORMAT));
    cJSON_AddItemToObject(root, "k", povi_acc_hexfloat_json(a->k));
    cJSON_AddItemToObject(root, "cutoffs", cut);
    cJSON_AddItemToObject(root, "direction", dir);
    cJSON_AddItemToObject(root, "weights", wts);
    cJSON_AddItemToObject(root, "count", cJSON_CreateNumber((double)a->count));
    cJSON_AddItemToObject(root, "sums", sums);
    cJSON_AddItemToObject(sums, "n", povi_acc_xsum_json(&a->sums[S_N]));
    cJSON_AddItemToObject(sums, "q", povi_acc_xsum_json(&a->sums[S_Q]));
    cJSON_AddItemToObject(sums, "score", povi_acc_xsum_json(&a->sums[S_SC]));
    cJSON_AddItemToObject(sums, "m1", povi_acc_xsum_json(&a->sums[S_M1]));
    cJSON_AddItemToObject(sums, "m2", povi_acc_xsum_json(&a->sums[S_M2]));
    cJSON_AddItemToObject(sums, "uncensored", uh);
    cJSON_AddItemToObject(sums, "censored", ch);
    for (size_t j = 0; j < a->d; j++) {
        if (a->cardinal)
            cJSON_AddItemToArray(cut, povi_acc_hexfloat_json(a->z[j]));
        cJSON_AddItemToArray(dir, cJSON_CreateNumber(a->dir[j]));
        if (a->has_w)
            cJSON_AddItemToArray(wts, povi_acc_hexfloat_json(a->w_raw[j]));
        cJSON_AddItemToArray(uh, povi_acc_xsum_json(UH(a, a->sums, j)));
        cJSON_AddItemToArray(ch, povi_acc_xsum_json(CH(a, a->sums, j)));
    }
    const int d = (int)a->d;
    ok = cJSON_GetArraySize(root) == 7 && cJSON_GetArraySize(sums) == 7 &&
         cJSON_GetArraySize(dir) == d && cJSON_GetArraySize(uh) == d &&
         cJSON_GetArraySize(ch) == d && (!a->cardinal || cJSON_GetArraySize(cut) == d) &&
         (!a->has_w || cJSON_GetArraySize(wts) == d);
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return povi_error(POV_ENOMEM, "out of memory");
    *out = text;
    return 0;
}

/* Reads an array of d hexadecimal floats (or null when @p nullable). */
static int hex_array(const cJSON *root, const char *name, size_t d, int nullable, double **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
    *out = NULL;
    if (!v)
        return povi_acc_field_error(POV_EMISSING, name, "required field is missing");
    if (nullable && cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsArray(v))
        return povi_acc_field_error(POV_ETYPE, name, "expected an array");
    if ((size_t)cJSON_GetArraySize(v) != d)
        return povi_acc_field_error(POV_EINVAL, name, "needs one value per indicator");
    double *a = malloc(d * sizeof *a);
    if (!a)
        return povi_error(POV_ENOMEM, "out of memory");
    char path[48];
    for (size_t j = 0; j < d; j++) {
        snprintf(path, sizeof path, "%s[%zu]", name, j);
        int rc = povi_acc_parse_hexfloat(cJSON_GetArrayItem(v, (int)j), path, &a[j]);
        if (rc) {
            free(a);
            return rc;
        }
    }
    *out = a;
    return 0;
}

static int sum_array(const cJSON *sums, const char *name, size_t d, povi_xsum *out) {
    const cJSON *v = NULL;
    char path[48];
    snprintf(path, sizeof path, "sums.%s", name);
    int rc = povi_acc_get_field(sums, name, path, POVI_ACC_ARRAY, &v);
    if (rc)
        return rc;
    if ((size_t)cJSON_GetArraySize(v) != d)
        return povi_acc_field_error(POV_EINVAL, path, "needs one sum per indicator");
    for (size_t j = 0; j < d; j++) {
        snprintf(path, sizeof path, "sums.%s[%zu]", name, j);
        if ((rc = povi_acc_parse_sum(cJSON_GetArrayItem(v, (int)j), path, &out[j])))
            return rc;
    }
    return 0;
}

static int deserialize(const cJSON *root, pov_mpi_accum **out) {
    int rc = povi_acc_check_format(root, MACC_FORMAT);
    if (rc)
        return rc;
    const cJSON *k = NULL, *dirv = NULL, *count = NULL, *sums = NULL, *n = NULL, *q = NULL,
                *sc = NULL, *s1 = NULL, *s2 = NULL;
    if ((rc = povi_acc_get_field(root, "k", "k", POVI_ACC_STRING, &k)) ||
        (rc = povi_acc_get_field(root, "direction", "direction", POVI_ACC_ARRAY, &dirv)) ||
        (rc = povi_acc_get_field(root, "count", "count", POVI_ACC_NUMBER, &count)) ||
        (rc = povi_acc_get_field(root, "sums", "sums", POVI_ACC_OBJECT, &sums)) ||
        (rc = povi_acc_get_field(sums, "n", "sums.n", POVI_ACC_STRING, &n)) ||
        (rc = povi_acc_get_field(sums, "q", "sums.q", POVI_ACC_STRING, &q)) ||
        (rc = povi_acc_get_field(sums, "score", "sums.score", POVI_ACC_STRING, &sc)) ||
        (rc = povi_acc_get_field(sums, "m1", "sums.m1", POVI_ACC_STRING, &s1)) ||
        (rc = povi_acc_get_field(sums, "m2", "sums.m2", POVI_ACC_STRING, &s2)))
        return rc;
    const size_t d = (size_t)cJSON_GetArraySize(dirv);
    if (d == 0 || d > 1u << 20)
        return povi_acc_field_error(POV_EINVAL, "direction", "needs 1 to 2^20 indicators");
    int32_t *dir = malloc(d * sizeof *dir);
    double *cut = NULL, *wts = NULL;
    if (!dir)
        return povi_error(POV_ENOMEM, "out of memory");
    char path[48];
    for (size_t j = 0; j < d && !rc; j++) {
        const cJSON *e = cJSON_GetArrayItem(dirv, (int)j);
        snprintf(path, sizeof path, "direction[%zu]", j);
        if (!cJSON_IsNumber(e) || (e->valuedouble != 0 && e->valuedouble != 1))
            rc = povi_acc_field_error(POV_ETYPE, path, "expected 0 or 1");
        else
            dir[j] = (int32_t)e->valuedouble;
    }
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    pov_mpi_accum *a = NULL;
    if (!rc && !(rc = hex_array(root, "cutoffs", d, 1, &cut)) &&
        !(rc = hex_array(root, "weights", d, 1, &wts)) &&
        !(rc = povi_acc_parse_hexfloat(k, "k", &o.k))) {
        o.cutoffs = cut;
        o.direction = dir;
        o.weights = wts;
        rc = pov_mpi_accum_new(d, &o, &a);
    }
    if (!rc && !((rc = povi_acc_parse_count(count, "count", &a->count)) ||
                 (rc = povi_acc_parse_sum(n, "sums.n", &a->sums[S_N])) ||
                 (rc = povi_acc_parse_sum(q, "sums.q", &a->sums[S_Q])) ||
                 (rc = povi_acc_parse_sum(sc, "sums.score", &a->sums[S_SC])) ||
                 (rc = povi_acc_parse_sum(s1, "sums.m1", &a->sums[S_M1])) ||
                 (rc = povi_acc_parse_sum(s2, "sums.m2", &a->sums[S_M2])) ||
                 (rc = sum_array(sums, "uncensored", d, UH(a, a->sums, 0))) ||
                 (rc = sum_array(sums, "censored", d, CH(a, a->sums, 0))))) {
        *out = a;
        a = NULL;
    }
    pov_mpi_accum_free(a);
    free(dir);
    free(cut);
    free(wts);
    return rc;
}

int pov_mpi_accum_deserialize(const char *json, pov_mpi_accum **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!json)
        return povi_error(POV_EINVAL, "json is NULL");
    cJSON *root;
    int rc = povi_acc_parse(json, &root);
    if (rc)
        return rc;
    rc = deserialize(root, out);
    cJSON_Delete(root);
    return rc;
}
