/*
 * povmetrics — matching households to programs (因户施策, 一户一策) under
 * capacities and a budget; coverage. Rules: docs/programs-format.md.
 *
 * SPDX-License-Identifier: MIT
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program_internal.h"

struct pov_match {
    size_t n_sel;
    size_t *hh;        /* [k] dataset index of the k-th selected household */
    int *reason;       /* [k] pov_match_reason */
    size_t *cand_off;  /* n_sel + 1 */
    size_t *cand;      /* ranked candidates */
    size_t *asg_off;   /* n_sel + 1 */
    size_t *asg;       /* assigned programs */
    double spent;
    double covered;
    double by_kind[POV_PROGRAM_KIND_COUNT];
    size_t n_units;
    char **unit_code;
    size_t *unit_sel;
    size_t *unit_cov;
};

void pov_match_options_init(pov_match_options *o) {
    if (!o)
        return;
    o->size = sizeof *o;
    o->budget = INFINITY;
    o->max_measures = 2;
    o->unit_indicator = POVI_COUNTY_CODE;
}

void pov_match_free(pov_match *m) {
    if (!m)
        return;
    free(m->hh);
    free(m->reason);
    free(m->cand_off);
    free(m->cand);
    free(m->asg_off);
    free(m->asg);
    for (size_t u = 0; u < m->n_units; u++)
        g_free(m->unit_code[u]);
    free(m->unit_code);
    free(m->unit_sel);
    free(m->unit_cov);
    free(m);
}

typedef struct prio_item {
    double key;
    const char *id;
    size_t index;
} prio_item;

static int cmp_prio(const void *a, const void *b) {
    const prio_item *x = a, *y = b;
    int xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn)
        return xn - yn; /* missing last */
    if (!xn && x->key != y->key)
        return x->key < y->key ? -1 : 1;
    int c = strcmp(x->id ? x->id : "", y->id ? y->id : "");
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Candidate ranking key (docs/programs-format.md). */
typedef struct cand_item {
    int main_hit;
    int hits;
    double eff; /* income effect per yuan */
    size_t prog;
} cand_item;

static int cmp_cand(const cand_item *a, const cand_item *b) {
    if (a->main_hit != b->main_hit)
        return b->main_hit - a->main_hit;
    if (a->hits != b->hits)
        return b->hits - a->hits;
    if (a->eff != b->eff)
        return a->eff > b->eff ? -1 : 1;
    return a->prog < b->prog ? -1 : a->prog > b->prog;
}

static int unit_cmp(const void *a, const void *b) {
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

int pov_match_run(const pov_programs *p, const pov_dataset *ds, const uint8_t *selected,
                  const double *priority, const uint32_t *risk_mask,
                  const pov_match_options *opts, pov_match **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    int r = povi_programs_check_dataset(p, ds);
    if (r)
        return r;
    pov_match_options o;
    pov_match_options_init(&o);
    if (opts) {
        if (opts->size < sizeof o)
            return povi_error(POV_EINVAL, "options.size is too small (%zu)", opts->size);
        o = *opts;
    }
    if (isnan(o.budget) || o.budget < 0)
        return povi_error(POV_EINVAL, "the budget must be >= 0 (INFINITY for none)");
    if (o.max_measures < 1)
        return povi_error(POV_EINVAL, "max_measures must be >= 1");
    const pov_schema *schema = pov_dataset_schema(ds);
    if (o.unit_indicator != SIZE_MAX) {
        if (o.unit_indicator >= pov_schema_count(schema) ||
            pov_schema_type(schema, o.unit_indicator) != POV_TYPE_TEXT ||
            pov_schema_level(schema, o.unit_indicator) != POV_LEVEL_HOUSEHOLD)
            return povi_error(POV_EINVAL,
                              "unit_indicator must be a household-level text indicator");
    }
    povi_colview v;
    povi_dataset_colview(ds, &v);
    size_t n = v.n_households, P = p->n;
    size_t n_sel = 0;
    for (size_t i = 0; i < n; i++)
        if (!selected || selected[i])
            n_sel++;
    if (n_sel == 0)
        return povi_error(POV_EEMPTY, "no household is selected");

    uint8_t *elig = NULL;
    pov_match *m = calloc(1, sizeof *m);
    prio_item *items = malloc(n_sel * sizeof *items);
    cand_item *scratch = malloc(P * sizeof *scratch);
    double *cap = malloc(P * sizeof *cap);
    /* Eligibility of every household for every program with a condition,
     * evaluated program by program in one tight loop over the columns:
     * elig[j * n + i] is a pov_cond_state (n * P bytes). */
    elig = malloc(n * P > 0 ? n * P : 1);
    if (!m || !items || !scratch || !cap || !elig)
        goto nomem;
    for (size_t j = 0; j < P; j++)
        if (p->prog[j].cond)
            povi_condition_eval_batch(p->prog[j].cond, &v, 0, n, NULL, elig + j * n);
    m->n_sel = n_sel;
    m->hh = malloc(n_sel * sizeof *m->hh);
    m->reason = malloc(n_sel * sizeof *m->reason);
    m->cand_off = malloc((n_sel + 1) * sizeof *m->cand_off);
    m->asg_off = malloc((n_sel + 1) * sizeof *m->asg_off);
    if (!m->hh || !m->reason || !m->cand_off || !m->asg_off)
        goto nomem;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (selected && !selected[i])
            continue;
        items[k].key = priority ? priority[i] : v.num[POVI_PER_CAPITA_NET_INCOME][i];
        items[k].id = pov_dataset_id(ds, i);
        items[k].index = i;
        k++;
    }
    qsort(items, n_sel, sizeof *items, cmp_prio);
    for (size_t j = 0; j < P; j++)
        cap[j] = p->prog[j].capacity;

    size_t cand_cap = n_sel * 2 + 16, asg_cap = n_sel + 16, nc = 0, na = 0;
    m->cand = malloc(cand_cap * sizeof *m->cand);
    m->asg = malloc(asg_cap * sizeof *m->asg);
    if (!m->cand || !m->asg)
        goto nomem;
    const int32_t *cm = v.cat[POVI_CAUSE_MAIN], *c1 = v.cat[POVI_CAUSE_OTHER1],
                  *c2 = v.cat[POVI_CAUSE_OTHER2];
    double budget_left = o.budget;
    size_t covered = 0, kind_cov[POV_PROGRAM_KIND_COUNT] = {0};
    for (k = 0; k < n_sel; k++) {
        size_t i = items[k].index;
        m->hh[k] = i;
        m->cand_off[k] = nc;
        m->asg_off[k] = na;
        uint32_t main_bit = (cm[i] >= 0 && cm[i] < 32) ? 1u << cm[i] : 0;
        uint32_t causes = main_bit | ((c1[i] >= 0 && c1[i] < 32) ? 1u << c1[i] : 0) |
                          ((c2[i] >= 0 && c2[i] < 32) ? 1u << c2[i] : 0);
        uint32_t risks = risk_mask ? risk_mask[i] : 0;
        size_t ns = 0;
        for (size_t j = 0; j < P; j++) {
            const povi_program *g = &p->prog[j];
            int hits = __builtin_popcount(g->causes & causes) + __builtin_popcount(g->risks & risks);
            if (!hits || (g->cond && elig[j * n + i] != POV_COND_TRUE))
                continue;
            cand_item c = {(g->causes & main_bit) != 0, hits,
                           g->unit_cost > 0 ? g->income_effect / g->unit_cost
                                            : (g->income_effect > 0 ? INFINITY : 0.0),
                           j};
            /* insertion sort: P is small */
            size_t pos = ns;
            while (pos > 0 && cmp_cand(&c, &scratch[pos - 1]) < 0) {
                scratch[pos] = scratch[pos - 1];
                pos--;
            }
            scratch[pos] = c;
            ns++;
        }
        if (nc + ns > cand_cap) {
            while (nc + ns > cand_cap)
                cand_cap *= 2;
            size_t *t = realloc(m->cand, cand_cap * sizeof *t);
            if (!t)
                goto nomem;
            m->cand = t;
        }
        int blocked_budget = 0, kinds_here = 0;
        size_t got = 0;
        for (size_t s = 0; s < ns; s++) {
            size_t j = scratch[s].prog;
            m->cand[nc++] = j;
            if (got >= o.max_measures)
                continue;
            const povi_program *g = &p->prog[j];
            if (!(cap[j] >= 1))
                continue;
            if (g->unit_cost > budget_left) {
                blocked_budget = 1;
                continue;
            }
            cap[j] -= 1;
            budget_left -= g->unit_cost;
            m->spent += g->unit_cost;
            if (na == asg_cap) {
                asg_cap *= 2;
                size_t *t = realloc(m->asg, asg_cap * sizeof *t);
                if (!t)
                    goto nomem;
                m->asg = t;
            }
            m->asg[na++] = j;
            got++;
            kinds_here |= 1 << g->kind;
        }
        if (got) {
            m->reason[k] = POV_MATCH_ASSIGNED;
            covered++;
            for (int kd = 0; kd < POV_PROGRAM_KIND_COUNT; kd++)
                if (kinds_here & (1 << kd))
                    kind_cov[kd]++;
        } else if (ns == 0) {
            m->reason[k] = POV_MATCH_NO_ELIGIBLE;
        } else {
            m->reason[k] = blocked_budget ? POV_MATCH_BUDGET : POV_MATCH_CAPACITY;
        }
    }
    m->cand_off[n_sel] = nc;
    m->asg_off[n_sel] = na;
    m->covered = (double)covered / (double)n_sel;
    for (int kd = 0; kd < POV_PROGRAM_KIND_COUNT; kd++)
        m->by_kind[kd] = (double)kind_cov[kd] / (double)n_sel;

    /* Coverage by unit: distinct unit codes, sorted. */
    if (o.unit_indicator != SIZE_MAX) {
        const int32_t *uc = v.cat[o.unit_indicator];
        GHashTable *map = g_hash_table_new(g_str_hash, g_str_equal);
        GPtrArray *codes = g_ptr_array_new();
        for (k = 0; k < n_sel; k++) {
            int32_t s = uc[m->hh[k]];
            const char *code = s >= 0 ? v.strings[s] : "";
            if (!g_hash_table_contains(map, code)) {
                g_hash_table_add(map, (gpointer)code);
                g_ptr_array_add(codes, (gpointer)code);
            }
        }
        qsort(codes->pdata, codes->len, sizeof(gpointer), unit_cmp);
        m->n_units = codes->len;
        m->unit_code = calloc(codes->len + 1, sizeof *m->unit_code);
        m->unit_sel = calloc(codes->len + 1, sizeof *m->unit_sel);
        m->unit_cov = calloc(codes->len + 1, sizeof *m->unit_cov);
        if (!m->unit_code || !m->unit_sel || !m->unit_cov) {
            g_hash_table_destroy(map);
            g_ptr_array_free(codes, TRUE);
            m->n_units = 0;
            goto nomem;
        }
        g_hash_table_remove_all(map);
        for (guint u = 0; u < codes->len; u++) {
            m->unit_code[u] = g_strdup(codes->pdata[u]);
            g_hash_table_insert(map, codes->pdata[u], GSIZE_TO_POINTER((gsize)u + 1));
        }
        for (k = 0; k < n_sel; k++) {
            int32_t s = uc[m->hh[k]];
            const char *code = s >= 0 ? v.strings[s] : "";
            size_t u = GPOINTER_TO_SIZE(g_hash_table_lookup(map, code)) - 1;
            m->unit_sel[u]++;
            if (m->reason[k] == POV_MATCH_ASSIGNED)
                m->unit_cov[u]++;
        }
        g_hash_table_destroy(map);
        g_ptr_array_free(codes, TRUE);
    }
    free(items);
    free(scratch);
    free(cap);
    free(elig);
    *out = m;
    return 0;
nomem:
    free(items);
    free(scratch);
    free(cap);
    free(elig);
    pov_match_free(m);
    return povi_error(POV_ENOMEM, "out of memory");
}

size_t pov_match_count(const pov_match *m) {
    return m ? m->n_sel : 0;
}

static int check_k(const pov_match *m, size_t k) {
    if (!m)
        return povi_error(POV_EINVAL, "match is NULL");
    if (k >= m->n_sel)
        return povi_error(POV_ENOTFOUND, "no selected household %zu (have %zu)", k, m->n_sel);
    return 0;
}

int pov_match_household(const pov_match *m, size_t k, size_t *index_out, int *reason_out) {
    int r = check_k(m, k);
    if (r)
        return r;
    if (index_out)
        *index_out = m->hh[k];
    if (reason_out)
        *reason_out = m->reason[k];
    return 0;
}

int pov_match_candidates(const pov_match *m, size_t k, const size_t **programs_out,
                         size_t *count_out) {
    int r = check_k(m, k);
    if (r)
        return r;
    if (programs_out)
        *programs_out = m->cand + m->cand_off[k];
    if (count_out)
        *count_out = m->cand_off[k + 1] - m->cand_off[k];
    return 0;
}

int pov_match_assigned(const pov_match *m, size_t k, const size_t **programs_out,
                       size_t *count_out) {
    int r = check_k(m, k);
    if (r)
        return r;
    if (programs_out)
        *programs_out = m->asg + m->asg_off[k];
    if (count_out)
        *count_out = m->asg_off[k + 1] - m->asg_off[k];
    return 0;
}

double pov_match_spent(const pov_match *m) {
    return m ? m->spent : NAN;
}

int pov_match_coverage(const pov_match *m, double *overall_out, double *by_kind_out) {
    if (!m)
        return povi_error(POV_EINVAL, "match is NULL");
    if (overall_out)
        *overall_out = m->covered;
    if (by_kind_out)
        memcpy(by_kind_out, m->by_kind, sizeof m->by_kind);
    return 0;
}

size_t pov_match_unit_count(const pov_match *m) {
    return m ? m->n_units : 0;
}

int pov_match_unit(const pov_match *m, size_t u, const char **code_out, size_t *selected_out,
                   double *coverage_out) {
    if (!m)
        return povi_error(POV_EINVAL, "match is NULL");
    if (u >= m->n_units)
        return povi_error(POV_ENOTFOUND, "no unit %zu (have %zu)", u, m->n_units);
    if (code_out)
        *code_out = m->unit_code[u];
    if (selected_out)
        *selected_out = m->unit_sel[u];
    if (coverage_out)
        *coverage_out = (double)m->unit_cov[u] / (double)m->unit_sel[u];
    return 0;
}
