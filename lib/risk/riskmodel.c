/*
 * povmetrics — risk model (povmetrics.riskmodel/1): loading and scoring.
 * The factors and their inputs are documented in docs/risk.md.
 *
 * SPDX-License-Identifier: MIT
 */
/* The scoring loops compute every candidate value and then select (see
 * below). Under GCC's default -ftrapping-math, a division or product whose
 * result is selected is kept behind a branch (it might raise a floating-point
 * exception that the untaken path would not), which stops vectorisation and
 * mispredicts on the data-dependent choices. The library never inspects
 * floating-point exception flags, and this option changes no result (no
 * reassociation, no contraction, NaN and infinities as before). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics/risk.h"
#include "risk_internal.h"

#define MAX_POINTS 32

typedef struct rfactor {
    double weight;       /* maximum points */
    double missing;      /* score in [0,1] used when the input is missing */
    size_t n_points;
    double x[MAX_POINTS];
    double s[MAX_POINTS];
} rfactor;

struct pov_riskmodel {
    char *id;
    double multiple;
    rfactor f[POV_RISK_FACTOR_COUNT];
};

static const char *const factor_ids[POV_RISK_FACTOR_COUNT] = {
    "income_margin", "volatility", "dependency", "illness_disability",
    "rigid_expenditure", "transfer_reliance", "debt", "income_shock",
};

const char *pov_risk_factor_id(int factor) {
    if (factor < 0 || factor >= POV_RISK_FACTOR_COUNT)
        return NULL;
    return factor_ids[factor];
}

static int load_factor(const povi_json_src *src, const cJSON *node, const char *path, rfactor *f) {
    static const char *const keys[] = {"weight", "points", "missing", "note", NULL};
    int r = povi_rj_keys(src, node, path, keys);
    if (r)
        return r;
    if ((r = povi_rj_number(src, node, "weight", path, 1, &f->weight)) < 0)
        return r;
    char p[POVI_RJ_PATH];
    if (f->weight < 0) {
        povi_rj_join(p, path, "weight");
        return povi_json_error(POV_ERANGE, src, p, "a weight must be >= 0");
    }
    f->missing = 0;
    if ((r = povi_rj_number(src, node, "missing", path, 0, &f->missing)) < 0)
        return r;
    if (r == 1 && !(f->missing >= 0 && f->missing <= 1)) {
        povi_rj_join(p, path, "missing");
        return povi_json_error(POV_ERANGE, src, p, "'missing' must lie in [0, 1]");
    }
    const char *note;
    if ((r = povi_rj_string(src, node, "note", path, 0, &note)) < 0)
        return r;
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(node, "points");
    if (!pts)
        return povi_json_error(POV_EMISSING, src, path, "'points' is required");
    povi_rj_join(p, path, "points");
    if (!cJSON_IsArray(pts))
        return povi_json_error(POV_ETYPE, src, p, "'points' must be an array of [x, score] pairs");
    int np = cJSON_GetArraySize(pts);
    if (np < 1)
        return povi_json_error(POV_ERULE, src, p, "at least one point is required");
    if (np > MAX_POINTS)
        return povi_json_error(POV_ELIMIT, src, p, "at most %d points", MAX_POINTS);
    f->n_points = (size_t)np;
    size_t k = 0;
    for (const cJSON *pt = pts->child; pt; pt = pt->next, k++) {
        char q[POVI_RJ_PATH + 32];
        snprintf(q, sizeof q, "%s[%zu]", p, k);
        if (!cJSON_IsArray(pt) || cJSON_GetArraySize(pt) != 2)
            return povi_json_error(POV_ETYPE, src, q, "a point must be an [x, score] pair");
        const cJSON *a = pt->child, *b = a->next;
        if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b))
            return povi_json_error(POV_ETYPE, src, q, "a point must hold two numbers");
        if (!isfinite(a->valuedouble) || !isfinite(b->valuedouble))
            return povi_json_error(POV_ENONFINITE, src, q, "a point must be finite");
        if (!(b->valuedouble >= 0 && b->valuedouble <= 1))
            return povi_json_error(POV_ERANGE, src, q, "a point's score must lie in [0, 1]");
        if (k > 0 && !(a->valuedouble > f->x[k - 1]))
            return povi_json_error(POV_ERULE, src, q, "x values must increase strictly");
        f->x[k] = a->valuedouble;
        f->s[k] = b->valuedouble;
    }
    return 0;
}

static int load_tree(const cJSON *root, const povi_json_src *src, pov_riskmodel *m) {
    static const char *const keys[] = {"format", "id", "version", "provenance", "description",
                                       "line_multiple", "factors", NULL};
    int r = povi_rj_format(src, root, "povmetrics.riskmodel/1");
    if (r)
        return r;
    if ((r = povi_rj_keys(src, root, "", keys)))
        return r;
    const char *s;
    if ((r = povi_rj_string(src, root, "id", "", 1, &s)) < 0)
        return r;
    m->id = g_strdup(s);
    for (const char *const *k = (const char *const[]){"version", "provenance", "description", NULL};
         *k; k++)
        if ((r = povi_rj_string(src, root, *k, "", 0, &s)) < 0)
            return r;
    m->multiple = 1.5;
    if ((r = povi_rj_number(src, root, "line_multiple", "", 0, &m->multiple)) < 0)
        return r;
    if (!(m->multiple > 0))
        return povi_json_error(POV_ERANGE, src, "line_multiple", "line_multiple must be > 0");
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(root, "factors");
    if (!fs)
        return povi_json_error(POV_EMISSING, src, "", "'factors' is required");
    const char *allowed[POV_RISK_FACTOR_COUNT + 1];
    for (int i = 0; i < POV_RISK_FACTOR_COUNT; i++)
        allowed[i] = factor_ids[i];
    allowed[POV_RISK_FACTOR_COUNT] = NULL;
    if ((r = povi_rj_keys(src, fs, "factors", allowed)))
        return r;
    double total = 0;
    for (int i = 0; i < POV_RISK_FACTOR_COUNT; i++) {
        const cJSON *node = cJSON_GetObjectItemCaseSensitive(fs, factor_ids[i]);
        if (!node)
            continue; /* weight 0 */
        char p[POVI_RJ_PATH];
        snprintf(p, sizeof p, "factors.%s", factor_ids[i]);
        if ((r = load_factor(src, node, p, &m->f[i])))
            return r;
        total += m->f[i].weight;
    }
    if (fabs(total - 100.0) > 1e-9)
        return povi_json_error(POV_ERULE, src, "factors",
                               "the factor weights must sum to 100, not %g", total);
    return 0;
}

int pov_riskmodel_load_string(const char *json, size_t len, const char *source_name,
                              pov_riskmodel **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!json)
        return povi_error(POV_EINVAL, "json is NULL");
    if (!source_name)
        source_name = "<string>";
    cJSON *root = NULL;
    int r = povi_json_parse(json, len, source_name, 0, &root);
    if (r)
        return r;
    povi_json_src src = {source_name, json, len, "", 0, 0};
    pov_riskmodel *m = calloc(1, sizeof *m);
    if (!m) {
        cJSON_Delete(root);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    r = load_tree(root, &src, m);
    cJSON_Delete(root);
    if (r) {
        pov_riskmodel_free(m);
        return r;
    }
    *out = m;
    return 0;
}

int pov_riskmodel_load_file(const char *path, pov_riskmodel **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    char *text;
    size_t len;
    int r = povi_rj_read_file(path, &text, &len);
    if (r)
        return r;
    r = pov_riskmodel_load_string(text, len, path, out);
    g_free(text);
    return r;
}

const char *pov_riskmodel_default_json(void) {
    const char *data = NULL;
    size_t len;
    if (!povi_risk_embedded_find("riskmodel_default", &data, &len))
        return NULL;
    return data;
}

int pov_riskmodel_default(pov_riskmodel **out) {
    const char *data;
    size_t len;
    if (!povi_risk_embedded_find("riskmodel_default", &data, &len))
        return povi_error(POV_ERROR, "the default risk model is not embedded");
    return pov_riskmodel_load_string(data, len, "<embedded:riskmodel_default>", out);
}

void pov_riskmodel_free(pov_riskmodel *m) {
    if (!m)
        return;
    g_free(m->id);
    free(m);
}

const char *pov_riskmodel_id(const pov_riskmodel *m) {
    return m ? m->id : NULL;
}

double pov_riskmodel_line_multiple(const pov_riskmodel *m) {
    return m ? m->multiple : NAN;
}

double pov_riskmodel_weight(const pov_riskmodel *m, int factor) {
    if (!m || factor < 0 || factor >= POV_RISK_FACTOR_COUNT)
        return NAN;
    return m->f[factor].weight;
}

/* ---- scoring ------------------------------------------------------------ */

/*
 * Households are scored a block of BLOCK rows at a time, factor by factor:
 * the inputs of one factor for the whole block go into a small array, then
 * the piecewise-linear mapping runs over that array. The loops over columns
 * have no calls and no data-dependent branches (the compiler vectorises
 * them); only the variable-length parts (income history, members) are
 * per-household loops. Every input and contribution is computed with exactly
 * the operations, in the same order, of the one-household definition in
 * docs/risk.md, so results do not depend on the block layout.
 */
#define BLOCK 256

/* Code indices needed for the illness/disability factor. */
typedef struct codes {
    int32_t chronic, serious, grade_lo, grade_hi;
} codes;

static void resolve_codes(const pov_schema *schema, codes *c) {
    c->chronic = povi_schema_code_lookup(schema, POVI_HEALTH, "chronic_illness", 15);
    c->serious = povi_schema_code_lookup(schema, POVI_HEALTH, "serious_illness", 15);
    c->grade_lo = povi_schema_code_lookup(schema, POVI_DISABILITY_GRADE, "grade_1", 7);
    c->grade_hi = povi_schema_code_lookup(schema, POVI_DISABILITY_GRADE, "grade_4", 7);
}

/* Ratio a / b with the conventions of docs/risk.md for b <= 0 (NaN when
 * either is missing), written as selects so that loops over it vectorise. */
static inline double ratio(double a, double b) {
    const int bpos = b > 0, apos = a > 0, miss = isnan(a) | isnan(b);
    double q = a / (bpos ? b : 1.0);
    double r = bpos ? q : (apos ? INFINITY : 0.0);
    return miss ? NAN : r;
}

/* d / cnt. Dividing by 1, 2, 4 or 8 equals multiplying by the exact
 * reciprocal (both round the same exact quotient once), which avoids a
 * division in the dependency chain of Welford's recurrence. */
static inline double div_count(double d, size_t cnt) {
    static const double inv[9] = {0, 1, 0.5, 0, 0.25, 0, 0, 0, 0.125};
    return cnt <= 8 && inv[cnt] != 0 ? d * inv[cnt] : d / (double)cnt;
}

/* Inputs of rows [b, b + m) into x[f][k] (k = row - b). */
POVI_SIMD_CLONES
static void block_inputs(const povi_colview *v, const codes *c, size_t b, size_t m, double mline,
                         double x[POV_RISK_FACTOR_COUNT][BLOCK]) {
    const double *const *num = v->num;
    const double *pc = num[POVI_PER_CAPITA_NET_INCOME] + b, *net = num[POVI_NET_INCOME] + b;

    /* income margin (NaN income gives NaN) */
    for (size_t k = 0; k < m; k++)
        x[POV_RISK_INCOME_MARGIN][k] = (pc[k] - mline) / mline;

    /* volatility: CV (sample s.d. / mean) of the history plus the current
     * year (Welford's recurrence in history order, then the current year);
     * shock: income of the previous year (year - 1, or the last history
     * entry when the year is not recorded) against the current income */
    const double *yrc = num[POVI_YEAR] + b;
    const size_t *ho = v->hist_offsets + b;
    const int32_t *hy = v->hist_year;
    const double *hv = v->hist_value;
    /* The usual register has the same number H of history entries for every
     * household of a block: then the recurrence runs entry by entry over all
     * households of the block (the same operations in the same order per
     * household, but the divisions of neighbouring households no longer wait
     * for each other, and no loop has a data-dependent length). */
    const size_t hn = m ? ho[1] - ho[0] : 0;
    int regular = m > 0 && hn > 0 && hn <= 16;
    for (size_t k = 0; k < m && regular; k++)
        regular = ho[k + 1] - ho[k] == hn;
    if (regular) {
        double mean[BLOCK], m2[BLOCK], prev[BLOCK];
        int32_t yy[BLOCK];
        uint8_t has[BLOCK], cin[BLOCK];
        for (size_t k = 0; k < m; k++) {
            has[k] = !isnan(yrc[k]);
            yy[k] = has[k] ? (int32_t)yrc[k] : 0;
            cin[k] = 0;
            mean[k] = 0;
            m2[k] = 0;
            prev[k] = NAN;
        }
        const size_t h0 = ho[0];
        for (size_t q = 0; q < hn; q++) {
            const double *hvq = hv + h0 + q;
            const int32_t *hyq = hy + h0 + q;
            for (size_t k = 0; k < m; k++) {
                const double val = hvq[k * hn];
                const int32_t yq = hyq[k * hn];
                cin[k] |= has[k] & (yq == yy[k]);
                /* the previous year's income; without a year, the last entry */
                prev[k] = ((has[k] & (yq == yy[k] - 1)) | (has[k] ^ 1)) ? val : prev[k];
                const double d = val - mean[k];
                mean[k] += div_count(d, q + 1);
                m2[k] += d * (val - mean[k]);
            }
        }
        /* the current year, when recorded and not in the history, is one
         * more step of the recurrence (count hn + 1): both results are
         * computed and one is selected, so the loop has no branch */
        for (size_t k = 0; k < m; k++) {
            const double p = pc[k];
            const double pv = prev[k];
            const int add = !isnan(p) & !cin[k];
            const double d = p - mean[k];
            const double mk1 = mean[k] + div_count(d, hn + 1);
            const double m21 = m2[k] + d * (p - mk1);
            const double mk = add ? mk1 : mean[k], m2k = add ? m21 : m2[k];
            const int cnt = (int)hn + add; /* int: converts to double in vector lanes */
            const double vol = sqrt(m2k / (double)(cnt - 1)) / mk;
            x[POV_RISK_VOLATILITY][k] = (cnt >= 2 && mk > 0) ? vol : NAN;
            x[POV_RISK_INCOME_SHOCK][k] =
                (isnan(p) || isnan(pv) || !(pv > 0)) ? NAN : (pv - p) / pv;
        }
    }
    for (size_t k = 0; k < m && !regular; k++) {
        const double yr = yrc[k], p = pc[k];
        const int has_yr = !isnan(yr);
        const int32_t y = has_yr ? (int32_t)yr : 0;
        size_t h0 = ho[k], h1 = ho[k + 1];
        int current_in_hist = 0;
        double mean = 0, m2 = 0, prev = NAN;
        size_t cnt = 0;
        for (size_t q = h0; q < h1; q++) {
            double val = hv[q];
            if (has_yr && hy[q] == y)
                current_in_hist = 1;
            if (has_yr && hy[q] == y - 1)
                prev = val;
            cnt++;
            double d = val - mean;
            mean += div_count(d, cnt);
            m2 += d * (val - mean);
        }
        if (!has_yr && h1 > h0)
            prev = hv[h1 - 1];
        if (!isnan(p) && !current_in_hist) {
            cnt++;
            double d = p - mean;
            mean += div_count(d, cnt);
            m2 += d * (p - mean);
        }
        x[POV_RISK_VOLATILITY][k] =
            (cnt >= 2 && mean > 0) ? sqrt(m2 / (double)(cnt - 1)) / mean : NAN;
        x[POV_RISK_INCOME_SHOCK][k] =
            (isnan(p) || isnan(prev) || !(prev > 0)) ? NAN : (prev - p) / prev;
    }

    const double *dep = num[POVI_DEPENDENCY_RATIO] + b;
    for (size_t k = 0; k < m; k++)
        x[POV_RISK_DEPENDENCY][k] = dep[k];

    /* share of members ill (chronic/serious) or disabled (grades 1-4) */
    /* one pass over the block's members: running counts of the affected
     * ones, so that a household's count is a difference (no loop of
     * data-dependent length per household); chunks of MCHUNK members */
    const size_t *mo = v->member_offsets + b;
    const int32_t *health = v->cat[POVI_HEALTH], *dis = v->cat[POVI_DISABILITY_GRADE];
    /* affected members and members per household; the shares are divided
     * in one loop afterwards (int32: converts to double in vector lanes) */
    int32_t aff[BLOCK], size[BLOCK];
    for (size_t k0 = 0; k0 < m;) {
        enum { MCHUNK = 4 * BLOCK };
        const size_t r0 = mo[k0];
        size_t k1 = k0 + 1; /* households [k0, k1) whose members fit in the chunk */
        while (k1 < m && mo[k1 + 1] - r0 <= MCHUNK)
            k1++;
        const size_t nr = mo[k1] - r0;
        if (nr > MCHUNK) { /* one household larger than a chunk (not from the
                            * household API, which allows 100 members) */
            size_t affected = 0;
            for (size_t r = r0; r < mo[k1]; r++) {
                int32_t hh = health[r], dd = dis[r];
                affected += (hh >= 0 && (hh == c->chronic || hh == c->serious)) ||
                            (dd >= 0 && dd >= c->grade_lo && dd <= c->grade_hi);
            }
            aff[k0] = (int32_t)affected;
            size[k0] = (int32_t)nr;
            k0 = k1;
            continue;
        }
        uint32_t cum[MCHUNK + 1];
        cum[0] = 0;
        for (size_t q = 0; q < nr; q++) {
            int32_t hh = health[r0 + q], dd = dis[r0 + q];
            uint32_t f = ((hh >= 0) & ((hh == c->chronic) | (hh == c->serious))) |
                         ((dd >= 0) & (dd >= c->grade_lo) & (dd <= c->grade_hi));
            cum[q + 1] = cum[q] + f;
        }
        for (size_t k = k0; k < k1; k++) {
            const size_t m0 = mo[k] - r0, m1 = mo[k + 1] - r0;
            aff[k] = (int32_t)(cum[m1] - cum[m0]);
            size[k] = (int32_t)(m1 - m0);
        }
        k0 = k1;
    }
    for (size_t k = 0; k < m; k++) {
        const double q = (double)aff[k] / (double)(size[k] > 0 ? size[k] : 1);
        x[POV_RISK_ILLNESS_DISABILITY][k] = size[k] > 0 ? q : NAN;
    }

    /* rigid expenditure: the present ones of four columns, summed in order
     * (adding 0 for a missing one leaves the sum unchanged) */
    const double *e0 = num[POVI_EXP_MEDICAL] + b, *e1 = num[POVI_EXP_EDUCATION] + b,
                 *e2 = num[POVI_EXP_OTHER_RIGID] + b, *e3 = num[POVI_DISASTER_LOSS] + b;
    for (size_t k = 0; k < m; k++) {
        double s = 0;
        s += isnan(e0[k]) ? 0.0 : e0[k];
        s += isnan(e1[k]) ? 0.0 : e1[k];
        s += isnan(e2[k]) ? 0.0 : e2[k];
        s += isnan(e3[k]) ? 0.0 : e3[k];
        int any = !isnan(e0[k]) | !isnan(e1[k]) | !isnan(e2[k]) | !isnan(e3[k]);
        x[POV_RISK_RIGID_EXPENDITURE][k] = any ? ratio(s, net[k]) : NAN;
    }

    /* transfer reliance: income_transfer / gross income */
    const double *g0 = num[POVI_INCOME_WAGE] + b, *g1 = num[POVI_INCOME_OPERATING] + b,
                 *g2 = num[POVI_INCOME_PROPERTY] + b, *g3 = num[POVI_INCOME_TRANSFER] + b,
                 *g4 = num[POVI_INCOME_OTHER] + b;
    for (size_t k = 0; k < m; k++) {
        double s = 0;
        s += isnan(g0[k]) ? 0.0 : g0[k];
        s += isnan(g1[k]) ? 0.0 : g1[k];
        s += isnan(g2[k]) ? 0.0 : g2[k];
        s += isnan(g3[k]) ? 0.0 : g3[k];
        s += isnan(g4[k]) ? 0.0 : g4[k];
        /* s > 0 implies some component is present (a sum of zeros for
         * the missing ones is 0) */
        const double tr = isnan(g3[k]) ? 0.0 : g3[k];
        const double q = tr / (s > 0 ? s : 1.0);
        x[POV_RISK_TRANSFER_RELIANCE][k] = s > 0 ? q : NAN;
    }

    const double *debt = num[POVI_DEBT] + b;
    for (size_t k = 0; k < m; k++)
        x[POV_RISK_DEBT][k] = ratio(debt[k], net[k]);
}

/*
 * Points of one factor over a block: weight * s(x), s the piecewise-linear
 * mapping clamped outside its points (x may be +-inf), weight * missing for
 * NaN; sets bit @p f of miss[k] for NaN. Segment k covers (x[k-1], x[k]]
 * (the last one excludes its end, which takes s[n-1] directly), the same
 * choice as a search from the left; each segment's formula is applied where
 * it holds, as a select.
 */
POVI_SIMD_CLONES
static void block_points(const rfactor *fa, int f, const double *x, size_t m, double *pts,
                         uint64_t *miss) {
    const double w = fa->weight, wmiss = fa->weight * fa->missing;
    const size_t np = fa->n_points;
    const uint64_t bit = UINT64_C(1) << f;
    for (size_t k = 0; k < m; k++)
        miss[k] |= isnan(x[k]) ? bit : 0;
    if (np == 0) {
        for (size_t k = 0; k < m; k++)
            pts[k] = isnan(x[k]) ? wmiss : 0.0;
        return;
    }
    const double x0 = fa->x[0], s0 = fa->s[0], sl = fa->s[np - 1];
    if (np == 2) { /* one segment: one fused loop */
        const double x1 = fa->x[1], dx = x1 - x0, ds = sl - s0;
        /* selects with bitwise masks: no branch per row (the segment
         * taken is data-dependent, so branches mispredict), vectorised */
        for (size_t k = 0; k < m; k++) {
            const double xv = x[k];
            const double val = s0 + ((xv - x0) / dx) * ds;
            const int lo = xv <= x0, in = (xv > x0) & (xv < x1), nan = xv != xv;
            double sc = lo ? s0 : sl;
            sc = in ? val : sc;
            const double p = w * sc;
            pts[k] = nan ? wmiss : p;
        }
        return;
    }
    double sc[BLOCK];
    for (size_t k = 0; k < m; k++)
        sc[k] = x[k] <= x0 ? s0 : sl; /* NaN and x >= x[n-1]: s[n-1] (NaN handled below) */
    for (size_t q = 1; q < np; q++) {
        const double xa = fa->x[q - 1], xb = fa->x[q], sa = fa->s[q - 1], sb = fa->s[q];
        const double dx = xb - xa, ds = sb - sa;
        const int last = q == np - 1;
        if (last) {
            for (size_t k = 0; k < m; k++) {
                double val = sa + ((x[k] - xa) / dx) * ds;
                sc[k] = ((x[k] > xa) & (x[k] < xb)) ? val : sc[k];
            }
        } else {
            for (size_t k = 0; k < m; k++) {
                double val = sa + ((x[k] - xa) / dx) * ds;
                sc[k] = ((x[k] > xa) & (x[k] <= xb)) ? val : sc[k];
            }
        }
    }
    for (size_t k = 0; k < m; k++)
        pts[k] = isnan(x[k]) ? wmiss : w * sc[k];
}

POVI_SIMD_CLONES
static void score_rows(const pov_riskmodel *m, const povi_colview *v, double mline, size_t n,
                       double *scores, double *inputs, double *contrib, uint32_t *missing) {
    codes c;
    resolve_codes(v->schema, &c);
    double x[POV_RISK_FACTOR_COUNT][BLOCK], pts[POV_RISK_FACTOR_COUNT][BLOCK];
    uint64_t miss[BLOCK];
    for (size_t b = 0; b < n; b += BLOCK) {
        size_t bm = n - b < BLOCK ? n - b : BLOCK;
        block_inputs(v, &c, b, bm, mline, x);
        memset(miss, 0, sizeof miss);
        for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++)
            block_points(&m->f[f], f, x[f], bm, pts[f], miss);
        if (scores) {
            double *so = scores + b;
            for (size_t k = 0; k < bm; k++)
                so[k] = 0;
            for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++) /* in factor order */
                for (size_t k = 0; k < bm; k++)
                    so[k] += pts[f][k];
        }
        if (missing)
            for (size_t k = 0; k < bm; k++)
                missing[b + k] = (uint32_t)miss[k];
        if (inputs) {
            double *io = inputs + b * POV_RISK_FACTOR_COUNT;
            for (size_t k = 0; k < bm; k++)
                for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++)
                    io[k * POV_RISK_FACTOR_COUNT + (size_t)f] = x[f][k];
        }
        if (contrib) {
            double *co = contrib + b * POV_RISK_FACTOR_COUNT;
            for (size_t k = 0; k < bm; k++)
                for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++)
                    co[k * POV_RISK_FACTOR_COUNT + (size_t)f] = pts[f][k];
        }
    }
}

static int check_line(const pov_riskmodel *m, double line) {
    if (!m)
        return povi_error(POV_EINVAL, "model is NULL");
    if (!(isfinite(line) && line > 0))
        return povi_error(POV_EINVAL, "the poverty line must be finite and > 0, not %g", line);
    return 0;
}

int pov_risk_score_dataset(const pov_riskmodel *m, const pov_dataset *ds, double line,
                           double *scores_out, double *inputs_out, double *contrib_out,
                           uint32_t *missing_out) {
    int r = check_line(m, line);
    if (r)
        return r;
    if (!ds)
        return povi_error(POV_EINVAL, "dataset is NULL");
    povi_colview v;
    povi_dataset_colview(ds, &v);
    score_rows(m, &v, line * m->multiple, v.n_households, scores_out, inputs_out, contrib_out,
               missing_out);
    return 0;
}

int pov_risk_score_household(const pov_riskmodel *m, const pov_household *h, double line,
                             double *score_out, double *inputs_out, double *contrib_out,
                             uint32_t *missing_out) {
    int r = check_line(m, line);
    if (r)
        return r;
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    povi_colview v;
    povi_household_colview(h, &v);
    score_rows(m, &v, line * m->multiple, 1, score_out, inputs_out, contrib_out, missing_out);
    return 0;
}
