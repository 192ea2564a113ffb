/*
 * povmetrics — risk model (povmetrics.riskmodel/1): loading and scoring.
 * The factors and their inputs are documented in docs/risk.md.
 *
 * SPDX-License-Identifier: MIT
 */
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

/* Piecewise-linear mapping, clamped outside the points (x may be +-inf). */
static double map_points(const rfactor *f, double x) {
    size_t n = f->n_points;
    if (x <= f->x[0])
        return f->s[0];
    if (x >= f->x[n - 1])
        return f->s[n - 1];
    size_t k = 1;
    while (f->x[k] < x)
        k++;
    double t = (x - f->x[k - 1]) / (f->x[k] - f->x[k - 1]);
    return f->s[k - 1] + t * (f->s[k] - f->s[k - 1]);
}

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

static double sum_present(const povi_colview *v, size_t i, const int *idx, size_t n, int *any) {
    double s = 0;
    *any = 0;
    for (size_t k = 0; k < n; k++) {
        double x = v->num[idx[k]][i];
        if (!isnan(x)) {
            s += x;
            *any = 1;
        }
    }
    return s;
}

/* Ratio a / b with the conventions of docs/risk.md for b <= 0. */
static double ratio(double a, double b) {
    if (isnan(a) || isnan(b))
        return NAN;
    if (b > 0)
        return a / b;
    return a > 0 ? INFINITY : 0.0;
}

/* The eight factor inputs of household i. */
static void factor_inputs(const povi_colview *v, const codes *c, size_t i, double mline,
                          double *x) {
    const double pc = v->num[POVI_PER_CAPITA_NET_INCOME][i];
    const double net = v->num[POVI_NET_INCOME][i];
    x[POV_RISK_INCOME_MARGIN] = isnan(pc) ? NAN : (pc - mline) / mline;

    /* volatility: CV (sample s.d. / mean) of the history plus the current year */
    const double yr = v->num[POVI_YEAR][i];
    size_t h0 = v->hist_offsets[i], h1 = v->hist_offsets[i + 1];
    int current_in_hist = 0;
    double mean = 0, m2 = 0;
    size_t cnt = 0;
    for (size_t k = h0; k < h1; k++) {
        double val = v->hist_value[k];
        if (!isnan(yr) && v->hist_year[k] == (int32_t)yr)
            current_in_hist = 1;
        cnt++;
        double d = val - mean;
        mean += d / (double)cnt;
        m2 += d * (val - mean);
    }
    if (!isnan(pc) && !current_in_hist) {
        cnt++;
        double d = pc - mean;
        mean += d / (double)cnt;
        m2 += d * (pc - mean);
    }
    x[POV_RISK_VOLATILITY] =
        (cnt >= 2 && mean > 0) ? sqrt(m2 / (double)(cnt - 1)) / mean : NAN;

    x[POV_RISK_DEPENDENCY] = v->num[POVI_DEPENDENCY_RATIO][i];

    size_t m0 = v->member_offsets[i], m1 = v->member_offsets[i + 1];
    if (m1 > m0) {
        const int32_t *health = v->cat[POVI_HEALTH], *dis = v->cat[POVI_DISABILITY_GRADE];
        size_t affected = 0;
        for (size_t r = m0; r < m1; r++) {
            int32_t hh = health[r], dd = dis[r];
            if ((hh >= 0 && (hh == c->chronic || hh == c->serious)) ||
                (dd >= 0 && dd >= c->grade_lo && dd <= c->grade_hi))
                affected++;
        }
        x[POV_RISK_ILLNESS_DISABILITY] = (double)affected / (double)(m1 - m0);
    } else {
        x[POV_RISK_ILLNESS_DISABILITY] = NAN;
    }

    static const int rigid_idx[] = {POVI_EXP_MEDICAL, POVI_EXP_EDUCATION, POVI_EXP_OTHER_RIGID,
                                    POVI_DISASTER_LOSS};
    int any;
    double rigid = sum_present(v, i, rigid_idx, 4, &any);
    x[POV_RISK_RIGID_EXPENDITURE] = any ? ratio(rigid, net) : NAN;

    static const int gross_idx[] = {POVI_INCOME_WAGE, POVI_INCOME_OPERATING, POVI_INCOME_PROPERTY,
                                    POVI_INCOME_TRANSFER, POVI_INCOME_OTHER};
    double gross = sum_present(v, i, gross_idx, 5, &any);
    double transfer = v->num[POVI_INCOME_TRANSFER][i];
    x[POV_RISK_TRANSFER_RELIANCE] =
        (any && gross > 0) ? (isnan(transfer) ? 0.0 : transfer) / gross : NAN;

    x[POV_RISK_DEBT] = ratio(v->num[POVI_DEBT][i], net);

    /* shock: income of the previous year (year - 1, or the last history entry
     * when the year is not recorded) against the current per-capita income */
    double prev = NAN;
    if (h1 > h0) {
        if (isnan(yr)) {
            prev = v->hist_value[h1 - 1];
        } else {
            for (size_t k = h0; k < h1; k++)
                if (v->hist_year[k] == (int32_t)yr - 1)
                    prev = v->hist_value[k];
        }
    }
    x[POV_RISK_INCOME_SHOCK] = (isnan(pc) || isnan(prev) || !(prev > 0)) ? NAN : (prev - pc) / prev;
}

static void score_rows(const pov_riskmodel *m, const povi_colview *v, double mline, size_t n,
                       double *scores, double *inputs, double *contrib, uint32_t *missing) {
    codes c;
    resolve_codes(v->schema, &c);
    for (size_t i = 0; i < n; i++) {
        double x[POV_RISK_FACTOR_COUNT], total = 0;
        uint32_t miss = 0;
        factor_inputs(v, &c, i, mline, x);
        for (int f = 0; f < POV_RISK_FACTOR_COUNT; f++) {
            const rfactor *fa = &m->f[f];
            double pts = 0;
            if (isnan(x[f])) {
                miss |= 1u << f;
                pts = fa->weight * fa->missing;
            } else if (fa->n_points) {
                pts = fa->weight * map_points(fa, x[f]);
            }
            total += pts;
            if (inputs)
                inputs[i * POV_RISK_FACTOR_COUNT + (size_t)f] = x[f];
            if (contrib)
                contrib[i * POV_RISK_FACTOR_COUNT + (size_t)f] = pts;
        }
        if (scores)
            scores[i] = total;
        if (missing)
            missing[i] = miss;
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
