/*
 * povmetrics — mergeable accumulators (see include/povmetrics/accum.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "povmetrics/accum.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "accum_json.h"
#include "xsum.h"

#define ACC_MAX_ALPHAS 64
#define ACC_FORMAT "povmetrics.accum/1"

struct pov_accum {
    double z;
    size_t n_alphas;
    double alpha[ACC_MAX_ALPHAS];
    uint64_t count;
    uint64_t nonpositive; /* incomes <= 0 seen (Watts undefined) */
    povi_xsum sw, swy, swatts;
    povi_xsum *sfgt; /* n_alphas sums */
};

size_t pov_accum_max_alphas(void) {
    return ACC_MAX_ALPHAS;
}

static int check_params(double z, const double *alphas, size_t n_alphas) {
    if (!isfinite(z) || z <= 0) {
        povi_loc loc = POVI_LOC_NONE;
        loc.path = "z";
        return povi_error_at(POV_EINVAL, &loc, "poverty line must be finite and > 0, got %g", z);
    }
    if (n_alphas > ACC_MAX_ALPHAS)
        return povi_error(POV_ELIMIT, "at most %d FGT exponents per accumulator", ACC_MAX_ALPHAS);
    if (n_alphas && !alphas)
        return povi_error(POV_EINVAL, "alphas is NULL");
    for (size_t i = 0; i < n_alphas; i++) {
        if (!isfinite(alphas[i]) || alphas[i] < 0) {
            char path[40];
            snprintf(path, sizeof path, "alphas[%zu]", i);
            povi_loc loc = POVI_LOC_NONE;
            loc.path = path;
            return povi_error_at(POV_EINVAL, &loc, "FGT exponent must be finite and >= 0, got %g",
                                 alphas[i]);
        }
    }
    return 0;
}

int pov_accum_new(double z, const double *alphas, size_t n_alphas, pov_accum **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    int rc = check_params(z, alphas, n_alphas);
    if (rc)
        return rc;
    pov_accum *a = calloc(1, sizeof *a);
    povi_xsum *s = calloc(n_alphas ? n_alphas : 1, sizeof *s);
    if (!a || !s) {
        free(a);
        free(s);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    a->z = z;
    a->n_alphas = n_alphas;
    for (size_t i = 0; i < n_alphas; i++)
        a->alpha[i] = alphas[i];
    a->sfgt = s;
    pov_accum_reset(a);
    *out = a;
    return 0;
}

void pov_accum_free(pov_accum *acc) {
    if (!acc)
        return;
    free(acc->sfgt);
    free(acc);
}

void pov_accum_reset(pov_accum *acc) {
    if (!acc)
        return;
    acc->count = 0;
    acc->nonpositive = 0;
    povi_xsum_init(&acc->sw);
    povi_xsum_init(&acc->swy);
    povi_xsum_init(&acc->swatts);
    for (size_t i = 0; i < acc->n_alphas; i++)
        povi_xsum_init(&acc->sfgt[i]);
}

/* FGT term w·g^α, with the special cases that keep α = 0, 1, 2 exact. */
static inline double fgt_term(double w, double g, double a) {
    if (a == 0)
        return w;
    if (a == 1)
        return w * g;
    if (a == 2)
        return w * (g * g);
    return w * pow(g, a);
}

static int elem_error(int code, const char *arr, size_t i, const char *fmt, ...)
    POVI_PRINTF(4, 5);
static int elem_error(int code, const char *arr, size_t i, const char *fmt, ...) {
    char path[48];
    snprintf(path, sizeof path, "%s[%zu]", arr, i);
    povi_loc loc = POVI_LOC_NONE;
    loc.path = path;
    va_list ap;
    va_start(ap, fmt);
    int rc = povi_error_atv(code, &loc, fmt, ap);
    va_end(ap);
    return rc;
}

int pov_accum_update(pov_accum *acc, const double *y, const double *w, size_t n) {
    if (!acc)
        return povi_error(POV_EINVAL, "accumulator is NULL");
    if (n == 0)
        return 0;
    if (!y)
        return povi_error(POV_EINVAL, "y is NULL");
    /* Validate the whole batch first: a failed update changes nothing. */
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]))
            return elem_error(POV_ENONFINITE, "y", i, "income is not finite (%g)", y[i]);
        if (w) {
            if (!isfinite(w[i]))
                return elem_error(POV_ENONFINITE, "w", i, "weight is not finite (%g)", w[i]);
            if (w[i] < 0)
                return elem_error(POV_ERANGE, "w", i, "weight is negative (%g)", w[i]);
            if (!isfinite(w[i] * y[i]))
                return elem_error(POV_ERANGE, "w", i, "weight times income overflows (w = %g)",
                                  w[i]);
        }
        /* Terms that could overflow: gaps above 1 (negative incomes) and the
         * Watts log of z over a tiny positive income. Checked here so that a
         * failed batch adds nothing. */
        const double wi = w ? w[i] : 1.0, g = (acc->z - y[i]) / acc->z;
        if (y[i] < acc->z && !(g <= 1))
            for (size_t j = 0; j < acc->n_alphas; j++)
                if (!isfinite(fgt_term(wi, g, acc->alpha[j])))
                    return elem_error(POV_ERANGE, "y", i, "FGT term overflows (y = %g)", y[i]);
        if (y[i] > 0 && y[i] < acc->z && !isfinite(wi * log(acc->z / y[i])))
            return elem_error(POV_ERANGE, "y", i, "Watts term overflows (y = %g)", y[i]);
    }
    const double z = acc->z;
    for (size_t i = 0; i < n; i++) {
        const double yi = y[i], wi = w ? w[i] : 1.0;
        povi_xsum_add(&acc->sw, wi);
        povi_xsum_add(&acc->swy, wi * yi);
        if (yi <= 0)
            acc->nonpositive++;
        if (!(yi < z))
            continue;
        const double g = (z - yi) / z;
        for (size_t j = 0; j < acc->n_alphas; j++)
            povi_xsum_add(&acc->sfgt[j], fgt_term(wi, g, acc->alpha[j]));
        if (yi > 0)
            povi_xsum_add(&acc->swatts, wi * log(z / yi));
    }
    acc->count += n;
    return 0;
}

static int same_params(const pov_accum *a, const pov_accum *b) {
    if (a->z != b->z || a->n_alphas != b->n_alphas)
        return 0;
    for (size_t i = 0; i < a->n_alphas; i++)
        if (a->alpha[i] != b->alpha[i])
            return 0;
    return 1;
}

int pov_accum_merge(pov_accum *acc, const pov_accum *other) {
    if (!acc || !other)
        return povi_error(POV_EINVAL, "accumulator is NULL");
    if (!same_params(acc, other))
        return povi_error(POV_EINVAL,
                          "cannot merge accumulators with different lines or FGT exponents");
    /* povi_xsum_add_sum copies its second argument, so acc == other is fine */
    uint64_t count = other->count, nonpos = other->nonpositive;
    povi_xsum_add_sum(&acc->sw, &other->sw);
    povi_xsum_add_sum(&acc->swy, &other->swy);
    povi_xsum_add_sum(&acc->swatts, &other->swatts);
    for (size_t i = 0; i < acc->n_alphas; i++)
        povi_xsum_add_sum(&acc->sfgt[i], &other->sfgt[i]);
    acc->count += count;
    acc->nonpositive += nonpos;
    return 0;
}

double pov_accum_line(const pov_accum *acc) {
    return acc ? acc->z : NAN;
}

size_t pov_accum_n_alphas(const pov_accum *acc) {
    return acc ? acc->n_alphas : 0;
}

double pov_accum_alpha(const pov_accum *acc, size_t i) {
    return acc && i < acc->n_alphas ? acc->alpha[i] : NAN;
}

uint64_t pov_accum_count(const pov_accum *acc) {
    return acc ? acc->count : 0;
}

static int rounded(const povi_xsum *s, const char *what, double *out) {
    int ovf;
    *out = povi_xsum_round(s, &ovf);
    if (ovf)
        return povi_error(POV_ERANGE, "%s overflows a double", what);
    return 0;
}

/* Σterm / Σw, with the common checks. */
static int ratio(const pov_accum *acc, const povi_xsum *num, const char *what, double *out) {
    if (!acc || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    double sw, sn;
    int rc = rounded(&acc->sw, "total weight", &sw);
    if (rc)
        return rc;
    if (sw == 0)
        return povi_error(POV_EEMPTY, "total weight is 0 (%llu observations)",
                          (unsigned long long)acc->count);
    if ((rc = rounded(num, what, &sn)))
        return rc;
    *out = sn / sw;
    return 0;
}

int pov_accum_population(const pov_accum *acc, double *out) {
    if (!acc || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    return rounded(&acc->sw, "total weight", out);
}

int pov_accum_mean(const pov_accum *acc, double *out) {
    return ratio(acc, acc ? &acc->swy : NULL, "sum of w*y", out);
}

int pov_accum_fgt(const pov_accum *acc, size_t i, double *out) {
    if (acc && i >= acc->n_alphas) {
        char path[40];
        snprintf(path, sizeof path, "alphas[%zu]", i);
        povi_loc loc = POVI_LOC_NONE;
        loc.path = path;
        return povi_error_at(POV_EINVAL, &loc, "the accumulator has %zu FGT exponents",
                             acc->n_alphas);
    }
    return ratio(acc, acc ? &acc->sfgt[i] : NULL, "FGT sum", out);
}

int pov_accum_watts(const pov_accum *acc, double *out) {
    if (acc && acc->nonpositive)
        return povi_error(POV_EDOMAIN, "Watts index undefined: %llu incomes are <= 0",
                          (unsigned long long)acc->nonpositive);
    return ratio(acc, acc ? &acc->swatts : NULL, "Watts sum", out);
}

/* ---- serialisation ------------------------------------------------------ */

int pov_accum_serialize(const pov_accum *acc, char **out) {
    if (!acc || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    *out = NULL;
    cJSON *root = cJSON_CreateObject(), *alphas = cJSON_CreateArray(),
          *sums = cJSON_CreateObject(), *fgt = cJSON_CreateArray();
    int ok = root && alphas && sums && fgt;
    if (ok) {
        cJSON_AddItemToObject(root, "format", cJSON_CreateString(ACC_FORMAT));
        cJSON_AddItemToObject(root, "line", povi_acc_hexfloat_json(acc->z));
        cJSON_AddItemToObject(root, "alphas", alphas);
        cJSON_AddItemToObject(root, "count", cJSON_CreateNumber((double)acc->count));
        cJSON_AddItemToObject(root, "nonpositive", cJSON_CreateNumber((double)acc->nonpositive));
        cJSON_AddItemToObject(root, "sums", sums);
        cJSON_AddItemToObject(sums, "w", povi_acc_xsum_json(&acc->sw));
        cJSON_AddItemToObject(sums, "wy", povi_acc_xsum_json(&acc->swy));
        cJSON_AddItemToObject(sums, "watts", povi_acc_xsum_json(&acc->swatts));
        cJSON_AddItemToObject(sums, "fgt", fgt);
        for (size_t i = 0; i < acc->n_alphas; i++) {
            cJSON_AddItemToArray(alphas, povi_acc_hexfloat_json(acc->alpha[i]));
            cJSON_AddItemToArray(fgt, povi_acc_xsum_json(&acc->sfgt[i]));
        }
        /* a failed allocation anywhere above leaves a NULL somewhere: count */
        ok = cJSON_GetArraySize(alphas) == (int)acc->n_alphas &&
             cJSON_GetArraySize(fgt) == (int)acc->n_alphas && cJSON_GetArraySize(sums) == 4 &&
             cJSON_GetArraySize(root) == 6;
    } else {
        cJSON_Delete(alphas);
        cJSON_Delete(sums);
        cJSON_Delete(fgt);
    }
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        return povi_error(POV_ENOMEM, "out of memory");
    /* hand out memory from our own allocator (pov_free = free) */
    *out = text;
    return 0;
}

static int deserialize(const cJSON *root, pov_accum **out) {
    const cJSON *line = NULL, *alphas = NULL, *count = NULL, *nonpos = NULL, *sums = NULL,
                *sw = NULL, *swy = NULL, *swatts = NULL, *fgt = NULL;
    int rc;
    if ((rc = povi_acc_check_format(root, ACC_FORMAT)))
        return rc;
    if ((rc = povi_acc_get_field(root, "line", "line", POVI_ACC_STRING, &line)) ||
        (rc = povi_acc_get_field(root, "alphas", "alphas", POVI_ACC_ARRAY, &alphas)) ||
        (rc = povi_acc_get_field(root, "count", "count", POVI_ACC_NUMBER, &count)) ||
        (rc = povi_acc_get_field(root, "nonpositive", "nonpositive", POVI_ACC_NUMBER, &nonpos)) ||
        (rc = povi_acc_get_field(root, "sums", "sums", POVI_ACC_OBJECT, &sums)) ||
        (rc = povi_acc_get_field(sums, "w", "sums.w", POVI_ACC_STRING, &sw)) ||
        (rc = povi_acc_get_field(sums, "wy", "sums.wy", POVI_ACC_STRING, &swy)) ||
        (rc = povi_acc_get_field(sums, "watts", "sums.watts", POVI_ACC_STRING, &swatts)) ||
        (rc = povi_acc_get_field(sums, "fgt", "sums.fgt", POVI_ACC_ARRAY, &fgt)))
        return rc;
    double z, al[ACC_MAX_ALPHAS];
    size_t na = (size_t)cJSON_GetArraySize(alphas);
    if ((rc = povi_acc_parse_hexfloat(line, "line", &z)))
        return rc;
    if (na > ACC_MAX_ALPHAS)
        return povi_acc_field_error(POV_ELIMIT, "alphas", "too many FGT exponents");
    if ((size_t)cJSON_GetArraySize(fgt) != na)
        return povi_acc_field_error(POV_EINVAL, "sums.fgt", "needs one sum per FGT exponent");
    char path[48];
    for (size_t i = 0; i < na; i++) {
        snprintf(path, sizeof path, "alphas[%zu]", i);
        if ((rc = povi_acc_parse_hexfloat(cJSON_GetArrayItem(alphas, (int)i), path, &al[i])))
            return rc;
    }
    pov_accum *a;
    if ((rc = pov_accum_new(z, al, na, &a)))
        return rc;
    if ((rc = povi_acc_parse_count(count, "count", &a->count)) ||
        (rc = povi_acc_parse_count(nonpos, "nonpositive", &a->nonpositive)) ||
        (rc = povi_acc_parse_sum(sw, "sums.w", &a->sw)) || (rc = povi_acc_parse_sum(swy, "sums.wy", &a->swy)) ||
        (rc = povi_acc_parse_sum(swatts, "sums.watts", &a->swatts))) {
        pov_accum_free(a);
        return rc;
    }
    for (size_t i = 0; i < na; i++) {
        snprintf(path, sizeof path, "sums.fgt[%zu]", i);
        if ((rc = povi_acc_parse_sum(cJSON_GetArrayItem(fgt, (int)i), path, &a->sfgt[i]))) {
            pov_accum_free(a);
            return rc;
        }
    }
    *out = a;
    return 0;
}

int pov_accum_deserialize(const char *json, pov_accum **out) {
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
