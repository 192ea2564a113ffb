/*
 * povmetrics — Alkire–Foster input matrices built from a dataset.
 *
 * Each column of the n × d matrix is one compiled condition evaluated for
 * every household: a numeric condition gives an achievement (compared with the
 * cut-offs of pov_mpi_options), a boolean one a deprivation (1 deprived, 0
 * not). Built on the public condition and dataset API only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "povmetrics/condition.h"
#include "povmetrics/dataset.h"
#include "povmetrics/mpi.h"

int pov_mpi_matrix_from_dataset(const pov_dataset *ds, const pov_condition *const *columns,
                                size_t d, double *x) {
    if (!ds || !columns || !x)
        return povi_error(POV_EINVAL, "%s is NULL", !ds ? "ds" : !columns ? "columns" : "x");
    if (d == 0)
        return povi_error(POV_EINVAL, "d must be at least 1");
    char path[64];
    int kinds = 0; /* bit 0: some numeric column, bit 1: some boolean column */
    for (size_t j = 0; j < d; j++) {
        snprintf(path, sizeof path, "columns[%zu]", j);
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        if (!columns[j])
            return povi_error_at(POV_EINVAL, &loc, "column %zu: the condition is NULL", j);
        int t = pov_condition_result_type(columns[j]);
        if (t == POV_COND_TYPE_NUMBER)
            kinds |= 1;
        else if (t == POV_COND_TYPE_BOOLEAN)
            kinds |= 2;
        else
            return povi_error_at(POV_ETYPE, &loc,
                                 "column %zu: the condition gives a %s; an achievement must be a "
                                 "number and a deprivation a boolean",
                                 j, t == POV_COND_TYPE_CATEGORY ? "category code"
                                    : t == POV_COND_TYPE_TEXT   ? "text"
                                                                : "null");
    }
    if (kinds == 3)
        return povi_error_at(POV_ETYPE, &(povi_loc){NULL, 0, 0, SIZE_MAX, "columns"},
                             "the columns mix numbers (achievements, compared with cut-offs) and "
                             "booleans (deprivations): make every column one kind");
    size_t n = pov_dataset_count(ds);
    if (n > SIZE_MAX / sizeof(double) / d)
        return povi_error(POV_ENOMEM, "%zu households × %zu columns overflow", n, d);
    /* every column is evaluated and checked before @p x is written, so a
     * failure leaves the caller's matrix untouched */
    double *col = g_new(double, n ? n : 1);
    double *tmp = n ? povi_big_alloc(n * d * sizeof(double)) : NULL;
    int r = 0;
    for (size_t j = 0; j < d && r == 0; j++) {
        snprintf(path, sizeof path, "columns[%zu]", j);
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        if ((r = pov_condition_eval_dataset(columns[j], ds, col, NULL)) != 0) {
            povi_error_prefix_path(path);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (isnan(col[i])) {
                const char *id = pov_dataset_id(ds, i);
                r = povi_error_at(POV_EMISSING, &loc,
                                  "household \"%s\" (row %zu): column %zu is missing (say in the "
                                  "condition what a missing input means, e.g. {\"var\": [\"x\", 0]})",
                                  id ? id : "", i, j);
                break;
            }
            tmp[i * d + j] = col[i];
        }
    }
    if (r == 0 && n)
        memcpy(x, tmp, n * d * sizeof(double));
    g_free(col);
    povi_big_free(tmp);
    return r;
}
