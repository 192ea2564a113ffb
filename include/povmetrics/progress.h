/*
 * povmetrics — progress figures quoted in poverty reports.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_PROGRESS_H
#define POVMETRICS_PROGRESS_H

#include "povmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file
 * Small, exact helpers for the figures reports quote: incidence from counts,
 * change in percentage points, cumulative and average annual reduction,
 * compound annual growth rate. Each takes the number of years explicitly:
 * "2012–2019" is 8 years when counted from the end of 2011 to the end of
 * 2019 (or the years 2012..2019 inclusive), but 7 years from 2012 to 2019;
 * the caller decides and says so. Rates are fractions (0.18 for 18%).
 */

/**
 * Incidence (headcount ratio) from counts: @p poor / @p total.
 * @return 0; POV_EEMPTY when @p total is 0; POV_EDOMAIN when a count is
 *         negative or @p poor > @p total; POV_ENONFINITE for NaN/Inf
 * @since 0.1.0
 */
POV_API int pov_progress_incidence(double poor, double total, double *out);

/**
 * Change in percentage points between two rates given as fractions:
 * (@p rate1 − @p rate0) × 100. A fall is negative (18% → 0.6% gives −17.4).
 * @return 0 or POV_ENONFINITE
 * @since 0.1.0
 */
POV_API int pov_progress_change_pp(double rate0, double rate1, double *out);

/**
 * Cumulative reduction @p v0 − @p v1 (positive when the value fell).
 * @return 0 or POV_ENONFINITE
 * @since 0.1.0
 */
POV_API int pov_progress_reduction(double v0, double v1, double *out);

/**
 * Average annual reduction: @p total_reduction / @p years (Guangxi:
 * 9.32 million over the 8 years 2012–2019 gives 1.165 million a year).
 * @return 0; POV_EINVAL when @p years <= 0; POV_ENONFINITE for NaN/Inf
 * @since 0.1.0
 */
POV_API int pov_progress_annual_reduction(double total_reduction, double years, double *out);

/**
 * Compound annual growth rate (v1/v0)^(1/years) − 1 (Guangxi rural income in
 * poor areas, 9,467 yuan in 2015 to 13,676 in 2019 over 4 years: 0.0963).
 * @return 0; POV_EINVAL when @p years <= 0; POV_EDOMAIN when @p v0 <= 0 or
 *         @p v1 < 0; POV_ENONFINITE for NaN/Inf
 * @since 0.1.0
 */
POV_API int pov_cagr(double v0, double v1, double years, double *out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_PROGRESS_H */
