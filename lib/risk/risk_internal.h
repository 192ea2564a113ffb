/*
 * povmetrics — internal helpers of the risk and program modules (lib/risk).
 * Not installed, not API.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_RISK_INTERNAL_H
#define POVI_RISK_INTERNAL_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>

#include "../data/data_internal.h"
#include "internal.h"

#define POVI_RJ_PATH 320

/* Builds "path.key" (or "key" when path is empty) into out[POVI_RJ_PATH]. */
void povi_rj_join(char *out, const char *path, const char *key);

/* Fails with POV_ETYPE unless @p obj is an object, POV_EUNKNOWN on a key not
 * in the NULL-terminated @p allowed, POV_EDUPLICATE on a repeated key. */
int povi_rj_keys(const povi_json_src *src, const cJSON *obj, const char *path,
                 const char *const *allowed);

/* Number field: 1 present (*out set), 0 absent (error when required), < 0 error. */
int povi_rj_number(const povi_json_src *src, const cJSON *obj, const char *key, const char *path,
                   int required, double *out);

/* String field: 1 present (*out points into the cJSON tree), 0 absent, < 0 error. */
int povi_rj_string(const povi_json_src *src, const cJSON *obj, const char *key, const char *path,
                   int required, const char **out);

/* Checks the "format" field against @p format (POV_EMISSING, POV_ETYPE, POV_EFORMAT). */
int povi_rj_format(const povi_json_src *src, const cJSON *root, const char *format);

/* Reads a whole file (POV_EIO with the file name as source). Free with g_free. */
int povi_rj_read_file(const char *path, char **text, size_t *len);

/* Embedded documents of this module (lib/risk/defaults): riskmodel_default and
 * programs_example. Returns 1 and sets *data and *len, or 0. */
int povi_risk_embedded_find(const char *name, const char **data, size_t *len);

/* Standard normal distribution function, Phi(x) = erfc(-x / sqrt 2) / 2. */
static inline double povi_norm_cdf(double x) {
    return 0.5 * erfc(-x * 0.70710678118654752440);
}

/* Weighted least squares: solves (X' W X) b = X' W v by Cholesky.
 * X is n x k row-major, w n weights (NULL: 1). Returns 0 or POV_ESINGULAR
 * (a pivot below 1e-10 times the largest diagonal entry) / POV_ENOMEM. */
int povi_wls(const double *X, const double *v, const double *w, size_t n, size_t k, double *b);

#endif /* POVI_RISK_INTERNAL_H */
