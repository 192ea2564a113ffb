/*
 * povmetrics — progress figures (see include/povmetrics/progress.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "povmetrics/progress.h"

#include <math.h>

#include "internal.h"

static int finite2(double a, double b, double *out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    if (!isfinite(a) || !isfinite(b))
        return povi_error(POV_ENONFINITE, "arguments must be finite (got %g, %g)", a, b);
    return 0;
}

int pov_progress_incidence(double poor, double total, double *out) {
    int rc = finite2(poor, total, out);
    if (rc)
        return rc;
    if (poor < 0 || total < 0)
        return povi_error(POV_EDOMAIN, "counts must be >= 0 (poor %g, total %g)", poor, total);
    if (total == 0)
        return povi_error(POV_EEMPTY, "total population is 0");
    if (poor > total)
        return povi_error(POV_EDOMAIN, "poor count %g exceeds the total %g", poor, total);
    *out = poor / total;
    return 0;
}

int pov_progress_change_pp(double rate0, double rate1, double *out) {
    int rc = finite2(rate0, rate1, out);
    if (rc)
        return rc;
    *out = (rate1 - rate0) * 100.0;
    return 0;
}

int pov_progress_reduction(double v0, double v1, double *out) {
    int rc = finite2(v0, v1, out);
    if (rc)
        return rc;
    *out = v0 - v1;
    return 0;
}

int pov_progress_annual_reduction(double total_reduction, double years, double *out) {
    int rc = finite2(total_reduction, years, out);
    if (rc)
        return rc;
    if (years <= 0)
        return povi_error(POV_EINVAL, "number of years must be > 0, got %g", years);
    *out = total_reduction / years;
    return 0;
}

int pov_cagr(double v0, double v1, double years, double *out) {
    int rc = finite2(v0, v1, out);
    if (rc)
        return rc;
    if (!isfinite(years))
        return povi_error(POV_ENONFINITE, "number of years must be finite");
    if (years <= 0)
        return povi_error(POV_EINVAL, "number of years must be > 0, got %g", years);
    if (v0 <= 0 || v1 < 0)
        return povi_error(POV_EDOMAIN, "growth rate needs v0 > 0 and v1 >= 0 (got %g, %g)", v0,
                          v1);
    /* expm1(log(r)/t) avoids the cancellation of pow(r, 1/t) - 1 for small
     * rates; v1 = 0 gives log 0 = -inf and expm1(-inf) = -1 exactly. */
    *out = expm1(log(v1 / v0) / years);
    return 0;
}
