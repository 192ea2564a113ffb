/*
 * povmetrics — identification (精准识别) over score results: a fixed cut-off
 * or a quota per unit filled lowest score first, with a deterministic
 * tie-break, vetoes, a review list near the line, and per-unit counts.
 *
 * Why both rules: China fixed poverty numbers by scale control (规模控制) —
 * quotas from survey estimates broken down to counties — while some counties
 * reported a fixed line (e.g. "under 60 points"); which one Guangxi's counties
 * applied in 2015 is not confirmed (../shared/domain.md §2), so both are
 * configuration.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scoring_internal.h"

int pov_identify_options_init(pov_identify_options *opts) {
    if (!opts)
        return povi_error(POV_EINVAL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->cutoff = NAN;
    opts->margin = NAN;
    opts->level = POV_UNIT_VILLAGE;
    return 0;
}

void pov_identification_free(pov_identification *id) {
    if (!id)
        return;
    g_free(id->status);
    g_free(id->review);
    for (size_t u = 0; u < id->n_units; u++)
        g_free(id->unit_codes[u]);
    g_free(id->unit_codes);
    g_free(id->units);
    g_free(id);
}

static ptrdiff_t quota_find(const pov_scorecard *sc, const char *code) {
    size_t lo = 0, hi = sc->n_quota;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sc->quota_units[mid], code);
        if (c == 0)
            return (ptrdiff_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int pov_score_result_identify(const pov_score_result *res, const pov_identify_options *opts,
                              pov_identification **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!res)
        return povi_error(POV_EINVAL, "res is NULL");
    pov_identify_options def;
    if (!opts) {
        pov_identify_options_init(&def);
        opts = &def;
    }
    if (opts->size < sizeof(pov_identify_options))
        return povi_error(POV_EINVAL, "opts->size is too small: call pov_identify_options_init()");
    const pov_scorecard *sc = res->sc;
    int quota = sc->rule == POVI_RULE_QUOTA && isnan(opts->cutoff);
    double cutoff = isnan(opts->cutoff) ? sc->cutoff : opts->cutoff;
    if (!quota && !isfinite(cutoff))
        return povi_error(POV_ENONFINITE, "the cut-off must be finite");
    double margin = isnan(opts->margin) ? sc->review_margin : opts->margin;
    if (!(margin >= 0) || isinf(margin))
        return povi_error(POV_EINVAL, "the review margin must be a finite number >= 0");
    int level = quota ? sc->quota_level : opts->level;
    if (level != POV_UNIT_VILLAGE && level != POV_UNIT_COUNTY)
        return povi_error(POV_EINVAL, "unknown unit level %d", level);

    size_t n = res->n, nu = res->n_units[level];
    const int32_t *unit = res->unit[level];
    /* quotas first, so that a missing one fails before anything is built */
    double *q = g_new(double, nu ? nu : 1);
    size_t *unit_hh = g_new0(size_t, nu ? nu : 1);
    for (size_t i = 0; i < n; i++)
        unit_hh[unit[i]]++;
    for (size_t u = 0; u < nu; u++) {
        q[u] = NAN;
        if (!quota)
            continue;
        const char *code = res->unit_codes[level][u];
        if (sc->quota_by == POVI_BY_SHARE) {
            /* round half up: a share of 0.1 of 25 households is 3 */
            q[u] = floor(sc->quota_share * (double)unit_hh[u] + 0.5);
        } else {
            ptrdiff_t k = quota_find(sc, code);
            if (k < 0) {
                g_free(q);
                g_free(unit_hh);
                return povi_error(POV_ENOTFOUND, "scorecard \"%s\" has no quota for %s \"%s\"",
                                  sc->id, level == POV_UNIT_COUNTY ? "county" : "village", code);
            }
            q[u] = sc->quota_values[k];
        }
    }

    pov_identification *id = g_new0(pov_identification, 1);
    id->n = n;
    id->status = g_new0(int32_t, n ? n : 1);
    id->review = g_new0(uint8_t, n ? n : 1);
    id->n_units = nu;
    id->unit_codes = g_new0(char *, nu ? nu : 1);
    id->units = g_new0(pov_unit_counts, nu ? nu : 1);
    size_t *order = g_new(size_t, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    povi_score_sort(order, n, unit, res->adjusted, res->pcni, res->ids);

    size_t start = 0;
    while (start < n) {
        size_t end = start;
        int32_t u = unit[order[start]];
        while (end < n && unit[order[end]] == u)
            end++;
        pov_unit_counts *uc = &id->units[u];
        uc->quota = q[u];
        double line = quota ? NAN : cutoff;
        size_t taken = 0;
        double people_taken = 0;
        int full = 0;
        for (size_t r = start; r < end; r++) {
            size_t i = order[r];
            uc->households++;
            uc->people += res->people[i];
            if (res->veto_hits[i]) {
                id->status[i] = POV_IDENT_VETOED;
                uc->vetoed++;
                continue;
            }
            int take;
            if (!quota) {
                take = res->adjusted[i] < cutoff;
            } else if (full) {
                take = 0;
            } else if (sc->quota_by == POVI_BY_PEOPLE) {
                take = people_taken + res->people[i] <= q[u];
                full = !take; /* no skipping ahead to smaller households */
            } else {
                take = (double)taken < q[u];
                full = !take;
            }
            if (take) {
                id->status[i] = POV_IDENT_IDENTIFIED;
                taken++;
                people_taken += res->people[i];
                if (quota)
                    line = res->adjusted[i];
            }
        }
        uc->identified = taken;
        uc->identified_people = people_taken;
        uc->line = line;
        if (line == line)
            for (size_t r = start; r < end; r++) {
                size_t i = order[r];
                if (!res->veto_hits[i] && fabs(res->adjusted[i] - line) <= margin) {
                    id->review[i] = 1;
                    uc->review++;
                }
            }
        start = end;
    }
    for (size_t u = 0; u < nu; u++) {
        id->units[u].size = sizeof(pov_unit_counts);
        id->unit_codes[u] = g_strdup(res->unit_codes[level][u]);
        if (id->units[u].households == 0) /* cannot happen: every unit has a household */
            id->units[u].line = NAN;
    }
    g_free(order);
    g_free(q);
    g_free(unit_hh);
    *out = id;
    return 0;
}

size_t pov_identification_count(const pov_identification *id) { return id ? id->n : 0; }

const int32_t *pov_identification_statuses(const pov_identification *id) {
    return id ? id->status : NULL;
}

int pov_identification_review(const pov_identification *id, size_t i) {
    if (!id || i >= id->n)
        return povi_error(POV_EINVAL, "household index out of range");
    return id->review[i];
}

size_t pov_identification_unit_count(const pov_identification *id) { return id ? id->n_units : 0; }

int pov_identification_unit(const pov_identification *id, size_t u, const char **code_out,
                            pov_unit_counts *counts_out) {
    if (!id || u >= id->n_units)
        return povi_error(POV_EINVAL, "unit index out of range");
    if (code_out)
        *code_out = id->unit_codes[u];
    if (counts_out) {
        size_t want = counts_out->size;
        if (want < sizeof(size_t))
            return povi_error(POV_EINVAL, "counts_out->size must be set to sizeof(pov_unit_counts)");
        if (want > sizeof(pov_unit_counts))
            want = sizeof(pov_unit_counts);
        pov_unit_counts tmp = id->units[u];
        tmp.size = want;
        memcpy(counts_out, &tmp, want);
    }
    return 0;
}
