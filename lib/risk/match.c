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

#include "../io/io_internal.h"
#include "povmetrics/io.h"
#include "program_internal.h"

struct pov_match {
    size_t n_households; /* of the dataset the match ran on */
    size_t n_programs;   /* of the program set it ran with */
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

/* Unsigned integer with the order of cmp_prio() on keys: -0 = +0, every NaN
 * equal and after all numbers. */
static inline uint64_t key_bits(double x) {
    if (isnan(x))
        return UINT64_MAX;
    if (x == 0)
        x = 0; /* -0 -> +0 */
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

/* Sorts @p items, which are in increasing row order, by (key, row) — the
 * order of cmp_prio() when the ids increase with the row: a stable least-significant-digit radix sort on key_bits()
 * (8 passes of 8 bits; passes where every item has the same digit are
 * skipped), so equal keys keep their row order. Returns 0 or -1 (no memory). */
static int sort_prio_rows(prio_item *items, size_t n) {
    uint64_t *kb = malloc((n ? n : 1) * sizeof *kb), *kb2 = malloc((n ? n : 1) * sizeof *kb2);
    prio_item *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!kb || !kb2 || !tmp) {
        free(kb);
        free(kb2);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        kb[i] = key_bits(items[i].key);
    prio_item *src = items, *dst = tmp;
    uint64_t *ks = kb, *kd = kb2;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((ks[i] >> shift) & 0xff) + 1]++;
        int trivial = 0;
        for (int d = 1; d <= 256; d++)
            trivial |= count[d] == n;
        if (trivial)
            continue;
        for (int d = 1; d <= 256; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < n; i++) {
            size_t pos = count[(ks[i] >> shift) & 0xff]++;
            dst[pos] = src[i];
            kd[pos] = ks[i];
        }
        prio_item *t = src;
        src = dst;
        dst = t;
        uint64_t *tk = ks;
        ks = kd;
        kd = tk;
    }
    if (src != items)
        memcpy(items, src, n * sizeof *items);
    free(kb);
    free(kb2);
    free(tmp);
    return 0;
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

/* Bits set in x (portable: the builtin is a library call without -mpopcnt). */
static inline int popcount32(uint32_t x) {
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    return (int)((x * 0x01010101u) >> 24);
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

    uint8_t *elig = NULL, *assigned = NULL, *need = NULL;
    uint32_t *hcauses = NULL;
    size_t *cand_ds_off = NULL;
    uint32_t *cand_ds = NULL;
    int done = 0;
    pov_match *m = calloc(1, sizeof *m);
    prio_item *items = malloc(n_sel * sizeof *items);
    cand_item *scratch = malloc(P * sizeof *scratch);
    double *cap = malloc(P * sizeof *cap);
    double *prog_eff = malloc((P ? P : 1) * sizeof *prog_eff); /* income effect per yuan */
    /* Eligibility of every household for every program with a condition,
     * evaluated program by program in one tight loop over the columns:
     * elig[j * n + i] is a pov_cond_state (n * P bytes). */
    elig = malloc(n * P > 0 ? n * P : 1);
    if (!m || !items || !scratch || !cap || !elig || !prog_eff)
        goto nomem;
    for (size_t j = 0; j < P; j++) {
        const povi_program *g = &p->prog[j];
        prog_eff[j] = g->unit_cost > 0 ? g->income_effect / g->unit_cost
                                       : (g->income_effect > 0 ? INFINITY : 0.0);
    }
    /* Causes of every household (bits over cause codes). */
    const int32_t *cm = v.cat[POVI_CAUSE_MAIN], *c1 = v.cat[POVI_CAUSE_OTHER1],
                  *c2 = v.cat[POVI_CAUSE_OTHER2];
    hcauses = malloc((n ? n : 1) * sizeof *hcauses);
    need = malloc(n ? n : 1);
    if (!hcauses || !need)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        hcauses[i] = ((cm[i] >= 0 && cm[i] < 32) ? 1u << cm[i] : 0) |
                     ((c1[i] >= 0 && c1[i] < 32) ? 1u << c1[i] : 0) |
                     ((c2[i] >= 0 && c2[i] < 32) ? 1u << c2[i] : 0);
    /* Eligibility is read only where a selected household's causes or risks
     * meet the program's: when those are a minority, the condition runs on
     * them alone (one household at a time), else on all rows in one batch.
     * Both give the same states. */
    for (size_t j = 0; j < P; j++) {
        const povi_program *g = &p->prog[j];
        if (!g->cond)
            continue;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t rk = risk_mask ? risk_mask[i] : 0;
            uint8_t nd = (!selected || selected[i]) &&
                         ((g->causes & hcauses[i]) | (g->risks & rk)) != 0;
            need[i] = nd;
            cnt += nd;
        }
        uint8_t *ej = elig + j * n;
        if (cnt * 4 >= n) {
            povi_condition_eval_batch(g->cond, &v, 0, n, NULL, ej);
        } else {
            for (size_t i = 0; i < n; i++)
                if (need[i])
                    ej[i] = povi_condition_state_of(g->cond,
                                                    povi_condition_eval_view(g->cond, &v, i));
        }
    }
    free(need);
    need = NULL;
    m->n_households = n;
    m->n_programs = P;
    m->n_sel = n_sel;
    m->hh = malloc(n_sel * sizeof *m->hh);
    m->reason = malloc(n_sel * sizeof *m->reason);
    m->cand_off = malloc((n_sel + 1) * sizeof *m->cand_off);
    m->asg_off = malloc((n_sel + 1) * sizeof *m->asg_off);
    if (!m->hh || !m->reason || !m->cand_off || !m->asg_off)
        goto nomem;
    /* Candidates of every selected household, ranked, in dataset order
     * (they do not depend on the allocation): one sequential pass over the
     * columns and the eligibility matrix. cand_ds[cand_ds_off[i] ..
     * cand_ds_off[i+1]) are household i's programs in rank order. */
    cand_ds_off = malloc((n + 1) * sizeof *cand_ds_off);
    size_t cds_cap = n_sel * 2 + 16, ncd = 0;
    cand_ds = malloc(cds_cap * sizeof *cand_ds);
    if (!cand_ds_off || !cand_ds)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        cand_ds_off[i] = ncd;
        if (selected && !selected[i])
            continue;
        uint32_t main_bit = (cm[i] >= 0 && cm[i] < 32) ? 1u << cm[i] : 0;
        uint32_t causes = hcauses[i];
        uint32_t risks = risk_mask ? risk_mask[i] : 0;
        size_t ns = 0;
        for (size_t j = 0; j < P; j++) {
            const povi_program *g = &p->prog[j];
            uint32_t hc = g->causes & causes, hr = g->risks & risks;
            if (!(hc | hr) || (g->cond && elig[j * n + i] != POV_COND_TRUE))
                continue;
            int hits = popcount32(hc) + popcount32(hr);
            cand_item c = {(g->causes & main_bit) != 0, hits, prog_eff[j], j};
            /* insertion sort: P is small */
            size_t pos = ns;
            while (pos > 0 && cmp_cand(&c, &scratch[pos - 1]) < 0) {
                scratch[pos] = scratch[pos - 1];
                pos--;
            }
            scratch[pos] = c;
            ns++;
        }
        if (ncd + ns > cds_cap) {
            while (ncd + ns > cds_cap)
                cds_cap *= 2;
            uint32_t *t = realloc(cand_ds, cds_cap * sizeof *t);
            if (!t)
                goto nomem;
            cand_ds = t;
        }
        for (size_t q = 0; q < ns; q++)
            cand_ds[ncd++] = (uint32_t)scratch[q].prog;
    }
    cand_ds_off[n] = ncd;
    free(elig);
    elig = NULL;

    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (selected && !selected[i])
            continue;
        items[k].key = priority ? priority[i] : v.num[POVI_PER_CAPITA_NET_INCOME][i];
        items[k].id = pov_dataset_id(ds, i);
        items[k].index = i;
        k++;
    }
    /* When the ids increase with the row (registers listed by id), the order
     * (key, id, row) is the order (key, row): sort without reading strings,
     * by a radix sort on the keys. */
    int ids_sorted = 1;
    for (k = 1; k < n_sel && ids_sorted; k++)
        ids_sorted = strcmp(items[k - 1].id ? items[k - 1].id : "",
                            items[k].id ? items[k].id : "") < 0;
    if (ids_sorted) {
        if (sort_prio_rows(items, n_sel))
            goto nomem;
    } else {
        qsort(items, n_sel, sizeof *items, cmp_prio);
    }
    for (size_t j = 0; j < P; j++)
        cap[j] = p->prog[j].capacity;

    /* Allocation in priority order: each household reads only its own
     * candidate list. */
    size_t asg_cap = n_sel + 16, nc = 0, na = 0;
    m->cand = malloc((ncd ? ncd : 1) * sizeof *m->cand);
    m->asg = malloc(asg_cap * sizeof *m->asg);
    assigned = calloc(n ? n : 1, 1);
    if (!m->cand || !m->asg || !assigned)
        goto nomem;
    double budget_left = o.budget;
    size_t covered = 0, kind_cov[POV_PROGRAM_KIND_COUNT] = {0};
    for (k = 0; k < n_sel; k++) {
        size_t i = items[k].index;
        m->hh[k] = i;
        m->cand_off[k] = nc;
        m->asg_off[k] = na;
        const uint32_t *list = cand_ds + cand_ds_off[i];
        size_t ns = cand_ds_off[i + 1] - cand_ds_off[i];
        int blocked_budget = 0, kinds_here = 0;
        size_t got = 0;
        for (size_t s = 0; s < ns; s++) {
            size_t j = list[s];
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
            assigned[i] = 1;
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

    /* Coverage by unit: distinct unit codes (a missing code is ""), sorted.
     * Households are visited in dataset order; each distinct string index
     * of the unit column is looked up by its text once. */
    if (o.unit_indicator != SIZE_MAX) {
        const int32_t *uc = v.cat[o.unit_indicator];
        int32_t *ustr = malloc((v.n_strings + 1) * sizeof *ustr); /* [s + 1], [0]: missing */
        int32_t *hu = malloc((n ? n : 1) * sizeof *hu);           /* provisional unit of row */
        GHashTable *map = g_hash_table_new(g_str_hash, g_str_equal);
        GPtrArray *codes = g_ptr_array_new();
        if (!ustr || !hu) {
            free(ustr);
            free(hu);
            g_hash_table_destroy(map);
            g_ptr_array_free(codes, TRUE);
            goto nomem;
        }
        for (size_t q = 0; q <= v.n_strings; q++)
            ustr[q] = -1;
        for (size_t i = 0; i < n; i++) {
            if (selected && !selected[i])
                continue;
            int32_t s = uc[i] >= 0 ? uc[i] : -1;
            int32_t u = ustr[s + 1];
            if (u < 0) {
                const char *code = s >= 0 ? v.strings[s] : "";
                gpointer val;
                if (g_hash_table_lookup_extended(map, code, NULL, &val)) {
                    u = (int32_t)GPOINTER_TO_SIZE(val);
                } else {
                    u = (int32_t)codes->len;
                    g_hash_table_insert(map, (gpointer)code, GSIZE_TO_POINTER((gsize)u));
                    g_ptr_array_add(codes, (gpointer)code);
                }
                ustr[s + 1] = u;
            }
            hu[i] = u;
        }
        /* sorted order of the provisional units */
        size_t nu = codes->len;
        const char **sorted = malloc((nu + 1) * sizeof *sorted);
        int32_t *rank = malloc((nu + 1) * sizeof *rank);
        m->unit_code = calloc(nu + 1, sizeof *m->unit_code);
        m->unit_sel = calloc(nu + 1, sizeof *m->unit_sel);
        m->unit_cov = calloc(nu + 1, sizeof *m->unit_cov);
        if (!sorted || !rank || !m->unit_code || !m->unit_sel || !m->unit_cov) {
            free(sorted);
            free(rank);
            free(ustr);
            free(hu);
            g_hash_table_destroy(map);
            g_ptr_array_free(codes, TRUE);
            goto nomem;
        }
        m->n_units = nu;
        for (size_t u = 0; u < nu; u++)
            sorted[u] = codes->pdata[u];
        qsort(sorted, nu, sizeof *sorted, unit_cmp);
        for (size_t u = 0; u < nu; u++) {
            m->unit_code[u] = g_strdup(sorted[u]);
            /* distinct codes: the provisional index of sorted[u] */
            rank[GPOINTER_TO_SIZE(g_hash_table_lookup(map, sorted[u]))] = (int32_t)u;
        }
        for (size_t i = 0; i < n; i++) {
            if (selected && !selected[i])
                continue;
            size_t u = (size_t)rank[hu[i]];
            m->unit_sel[u]++;
            m->unit_cov[u] += assigned[i];
        }
        free(sorted);
        free(rank);
        free(ustr);
        free(hu);
        g_hash_table_destroy(map);
        g_ptr_array_free(codes, TRUE);
    }
    *out = m;
    done = 1;
nomem: /* also the way out on success (done), with m handed over */
    free(items);
    free(scratch);
    free(cap);
    free(elig);
    free(prog_eff);
    free(hcauses);
    free(need);
    free(cand_ds_off);
    free(cand_ds);
    free(assigned);
    if (done)
        return 0;
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

/* ---- plans (一户一策): one household's JSON, files of all ------------------ */

static const char *const match_reason_names[] = {"assigned", "no_eligible", "capacity", "budget"};

const char *pov_match_reason_name(int reason) {
    return reason >= 0 && reason <= POV_MATCH_BUDGET ? match_reason_names[reason] : NULL;
}

/* @p p and @p ds must be those the match ran with, as far as counts tell. */
static int check_inputs(const pov_match *m, const pov_programs *p, const pov_dataset *ds) {
    if (!m)
        return povi_error(POV_EINVAL, "match is NULL");
    int r = povi_programs_check_dataset(p, ds);
    if (r)
        return r;
    if (p->n != m->n_programs)
        return povi_error(POV_EINVAL,
                          "the match was run with %zu programs, this program set has %zu",
                          m->n_programs, p->n);
    if (pov_dataset_count(ds) != m->n_households)
        return povi_error(POV_EINVAL,
                          "the match was run on %zu households, this dataset has %zu",
                          m->n_households, pov_dataset_count(ds));
    return 0;
}

static void jstr(GString *o, const char *s) {
    if (s)
        povi_json_append_string(o, s, strlen(s));
    else
        g_string_append(o, "null");
}

static void jnum(GString *o, double v) {
    if (isfinite(v))
        povi_json_append_number(o, v);
    else
        g_string_append(o, "null");
}

/* Assigned programs of plan k: [{"id", "kind", "unit_cost", "income_effect"}, ...]. */
static void assigned_json(const pov_match *m, const pov_programs *p, size_t k, GString *o) {
    g_string_append_c(o, '[');
    for (size_t q = m->asg_off[k]; q < m->asg_off[k + 1]; q++) {
        const povi_program *g = &p->prog[m->asg[q]];
        g_string_append(o, q > m->asg_off[k] ? ",{\"id\":" : "{\"id\":");
        jstr(o, g->id);
        g_string_append(o, ",\"kind\":");
        jstr(o, pov_program_kind_name(g->kind));
        g_string_append(o, ",\"unit_cost\":");
        jnum(o, g->unit_cost);
        g_string_append(o, ",\"income_effect\":");
        jnum(o, g->income_effect);
        g_string_append_c(o, '}');
    }
    g_string_append_c(o, ']');
}

/* Ranked candidates of plan k: program ids, best first. */
static void candidates_json(const pov_match *m, const pov_programs *p, size_t k, GString *o) {
    g_string_append_c(o, '[');
    for (size_t q = m->cand_off[k]; q < m->cand_off[k + 1]; q++) {
        if (q > m->cand_off[k])
            g_string_append_c(o, ',');
        jstr(o, p->prog[m->cand[q]].id);
    }
    g_string_append_c(o, ']');
}

static void plan_json(const pov_match *m, const pov_programs *p, const pov_dataset *ds, size_t k,
                      GString *o) {
    g_string_append(o, "{\"id\":");
    jstr(o, pov_dataset_id(ds, m->hh[k]));
    g_string_append_printf(o, ",\"index\":%zu,\"reason\":\"%s\",\"assigned\":", m->hh[k],
                           match_reason_names[m->reason[k]]);
    assigned_json(m, p, k, o);
    g_string_append(o, ",\"candidates\":");
    candidates_json(m, p, k, o);
    g_string_append_c(o, '}');
}

int pov_match_household_to_json(const pov_match *m, const pov_programs *p, const pov_dataset *ds,
                                 size_t k, char **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    int r = check_inputs(m, p, ds);
    if (r || (r = check_k(m, k)))
        return r;
    GString *o = g_string_sized_new(256);
    plan_json(m, p, ds, k, o);
    *out = g_string_free(o, FALSE); /* g_malloc is malloc (GLib >= 2.46): pov_free() releases it */
    return 0;
}

int pov_match_write(const pov_match *m, const pov_programs *p, const pov_dataset *ds,
                    const char *path, int format) {
    int r = check_inputs(m, p, ds);
    if (r)
        return r;
    if (!path)
        return povi_error(POV_EINVAL, "path is NULL");
    if (format != POV_FORMAT_JSONL && format != POV_FORMAT_CSV)
        return povi_error(POV_EINVAL, "format must be POV_FORMAT_JSONL or POV_FORMAT_CSV, not %d",
                          format);
    int csv = format == POV_FORMAT_CSV;
    povi_afile af;
    r = povi_afile_open(&af, path);
    if (r)
        return r;
    GString *o = g_string_sized_new(1 << 16), *cell = g_string_new(NULL);
    if (csv)
        g_string_append(o, "id,index,reason,assigned,candidates\r\n");
    for (size_t k = 0; k < m->n_sel; k++) {
        if (csv) {
            const char *id = pov_dataset_id(ds, m->hh[k]);
            povi_csv_put(o, id ? id : "", id ? strlen(id) : 0);
            g_string_append_printf(o, ",%zu,%s,", m->hh[k], match_reason_names[m->reason[k]]);
            g_string_truncate(cell, 0);
            assigned_json(m, p, k, cell);
            povi_csv_put(o, cell->str, cell->len);
            g_string_append_c(o, ',');
            g_string_truncate(cell, 0);
            candidates_json(m, p, k, cell);
            povi_csv_put(o, cell->str, cell->len);
            g_string_append(o, "\r\n");
        } else {
            plan_json(m, p, ds, k, o);
            g_string_append_c(o, '\n');
        }
        if (o->len >= (1 << 16)) {
            povi_afile_write(&af, o->str, o->len);
            g_string_truncate(o, 0);
        }
    }
    povi_afile_write(&af, o->str, o->len);
    g_string_free(o, TRUE);
    g_string_free(cell, TRUE);
    return povi_afile_commit(&af, 1);
}
