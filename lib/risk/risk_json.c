/*
 * povmetrics — JSON helpers for the risk model and program loaders, and the
 * least-squares solver used by the vulnerability estimates.
 *
 * SPDX-License-Identifier: MIT
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk_internal.h"

void povi_rj_join(char *out, const char *path, const char *key) {
    snprintf(out, POVI_RJ_PATH, "%s%s%s", path, path[0] ? "." : "", key);
}

int povi_rj_keys(const povi_json_src *src, const cJSON *obj, const char *path,
                 const char *const *allowed) {
    if (!cJSON_IsObject(obj))
        return povi_json_error(POV_ETYPE, src, path, "an object is required");
    for (const cJSON *c = obj->child; c; c = c->next) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(c->string, allowed[i]) == 0) {
                ok = 1;
                break;
            }
        char p[POVI_RJ_PATH];
        povi_rj_join(p, path, c->string);
        if (!ok)
            return povi_json_error(POV_EUNKNOWN, src, p, "unknown field '%s'", c->string);
        for (const cJSON *d = c->next; d; d = d->next)
            if (strcmp(c->string, d->string) == 0)
                return povi_json_error(POV_EDUPLICATE, src, p, "field '%s' appears twice",
                                       c->string);
    }
    return 0;
}

int povi_rj_number(const povi_json_src *src, const cJSON *obj, const char *key, const char *path,
                   int required, double *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            return povi_json_error(POV_EMISSING, src, path, "'%s' is required", key);
        return 0;
    }
    char p[POVI_RJ_PATH];
    povi_rj_join(p, path, key);
    if (!cJSON_IsNumber(v))
        return povi_json_error(POV_ETYPE, src, p, "'%s' must be a number", key);
    if (!isfinite(v->valuedouble))
        return povi_json_error(POV_ENONFINITE, src, p, "'%s' must be finite", key);
    *out = v->valuedouble;
    return 1;
}

int povi_rj_string(const povi_json_src *src, const cJSON *obj, const char *key, const char *path,
                   int required, const char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            return povi_json_error(POV_EMISSING, src, path, "'%s' is required", key);
        return 0;
    }
    if (!cJSON_IsString(v)) {
        char p[POVI_RJ_PATH];
        povi_rj_join(p, path, key);
        return povi_json_error(POV_ETYPE, src, p, "'%s' must be a string", key);
    }
    *out = v->valuestring;
    return 1;
}

int povi_rj_format(const povi_json_src *src, const cJSON *root, const char *format) {
    if (!cJSON_IsObject(root))
        return povi_json_error(POV_ETYPE, src, "", "the document must be a JSON object");
    const char *f = NULL;
    int r = povi_rj_string(src, root, "format", "", 1, &f);
    if (r < 0)
        return r;
    if (strcmp(f, format) != 0)
        return povi_json_error(POV_EFORMAT, src, "format", "format must be \"%s\", not \"%s\"",
                               format, f);
    return 0;
}

int povi_rj_read_file(const char *path, char **text, size_t *len) {
    if (!path)
        return povi_error(POV_EINVAL, "path is NULL");
    GError *err = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, text, &n, &err)) {
        povi_loc loc = POVI_LOC_NONE;
        loc.source = path;
        int r = povi_error_at(POV_EIO, &loc, "cannot read %s: %s", path, err->message);
        g_error_free(err);
        return r;
    }
    *len = n;
    return 0;
}

int povi_wls(const double *X, const double *v, const double *w, size_t n, size_t k, double *b) {
    double *A = calloc(k * k + k, sizeof *A);
    if (!A)
        return povi_error(POV_ENOMEM, "out of memory");
    double *c = A + k * k;
    /* Accumulate the upper triangle of X'WX and X'Wv in one pass. */
    for (size_t i = 0; i < n; i++) {
        const double *x = X + i * k;
        double wi = w ? w[i] : 1.0;
        for (size_t a = 0; a < k; a++) {
            double xa = wi * x[a];
            c[a] += xa * v[i];
            double *row = A + a * k;
            for (size_t bb = a; bb < k; bb++)
                row[bb] += xa * x[bb];
        }
    }
    double maxdiag = 0;
    for (size_t a = 0; a < k; a++)
        if (A[a * k + a] > maxdiag)
            maxdiag = A[a * k + a];
    /* Cholesky A = L L' stored in the lower triangle (A symmetric: use upper). */
    for (size_t j = 0; j < k; j++) {
        double d = A[j * k + j];
        for (size_t p = 0; p < j; p++)
            d -= A[j * k + p] * A[j * k + p];
        if (!(d > 1e-10 * maxdiag) || !(maxdiag > 0)) {
            free(A);
            return povi_error(POV_ESINGULAR,
                              "the covariates are collinear (pivot %zu of X'WX vanishes)", j);
        }
        double l = sqrt(d);
        A[j * k + j] = l;
        for (size_t i = j + 1; i < k; i++) {
            double s = A[j * k + i]; /* upper triangle holds the original entry (j, i) */
            for (size_t p = 0; p < j; p++)
                s -= A[i * k + p] * A[j * k + p];
            A[i * k + j] = s / l;
        }
    }
    /* Forward then backward substitution. */
    for (size_t i = 0; i < k; i++) {
        double s = c[i];
        for (size_t p = 0; p < i; p++)
            s -= A[i * k + p] * b[p];
        b[i] = s / A[i * k + i];
    }
    for (size_t i = k; i-- > 0;) {
        double s = b[i];
        for (size_t p = i + 1; p < k; p++)
            s -= A[p * k + i] * b[p];
        b[i] = s / A[i * k + i];
    }
    free(A);
    return 0;
}
