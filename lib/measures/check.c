/*
 * Input validation shared by every measure.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "measures_internal.h"

int povi_check_args(const double *y, size_t n, const void *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out must not be NULL");
    if (n == 0)
        return povi_error(POV_EEMPTY, "no observations (n = 0)");
    if (!y)
        return povi_error(POV_EINVAL, "y must not be NULL when n = %zu > 0", n);
    return 0;
}

/* Reports element @p i of array @p arr ("y" or "w") with path "arr[i]". */
#define ELEM_ERROR(code, arr, i, fmt, ...)                                              \
    do {                                                                               \
        char path_[48];                                                                \
        snprintf(path_, sizeof path_, "%s[%zu]", (arr), (i));                          \
        povi_loc loc_ = POVI_LOC_NONE;                                                 \
        loc_.path = path_;                                                             \
        return povi_error_at((code), &loc_, "%s " fmt, path_, __VA_ARGS__);           \
    } while (0)

int povi_check_yw(const double *y, const double *w, size_t n, enum povi_ydomain ydom,
                  const char *what, double *W) {
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        double yi = y[i];
        if (!povi_finite(yi))
            ELEM_ERROR(POV_ENONFINITE, "y", i, "is %g: incomes must be finite", yi);
        if (w) {
            double wi = w[i];
            if (!povi_finite(wi))
                ELEM_ERROR(POV_ENONFINITE, "w", i, "is %g: weights must be finite", wi);
            if (wi < 0.0)
                ELEM_ERROR(POV_ERANGE, "w", i, "is %g: weights must be >= 0", wi);
            total += wi;
        }
        if (ydom == POVI_Y_POSITIVE && !(yi > 0.0))
            ELEM_ERROR(POV_EDOMAIN, "y", i, "is %g: %s needs incomes > 0", yi,
                       what ? what : "this measure");
        if (ydom == POVI_Y_NONNEG && !(yi >= 0.0))
            ELEM_ERROR(POV_EDOMAIN, "y", i, "is %g: %s needs incomes >= 0", yi,
                       what ? what : "this measure");
    }
    if (!w)
        total = (double)n;
    if (!(total > 0.0))
        return povi_error(POV_EEMPTY, "total weight is 0 (all %zu weights are zero)", n);
    if (!povi_finite(total))
        return povi_error(POV_ERANGE, "the sum of the weights overflows");
    if (W)
        *W = total;
    return 0;
}
