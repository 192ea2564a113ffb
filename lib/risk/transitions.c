/*
 * povmetrics — transitions between two years' registers (entries, exits,
 * returns to poverty 返贫, persistent poverty), in total and by unit.
 * Definitions: docs/risk.md, "Transitions".
 *
 * SPDX-License-Identifier: MIT
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics/risk.h"
#include "risk_internal.h"

#define NS POV_TRANSITION_STATES
enum { ST_MISSING = 7, ST_ABSENT = 8 };

static const char *const state_names[NS] = {
    "not_registered", "poor", "exited", "returned", "monitored_unstable",
    "monitored_marginal", "monitored_hardship", "missing", "absent"};

struct pov_transitions {
    size_t n_units;
    char **unit;
    double *counts; /* (n_units + 1) x NS x NS; the last block is the total */
};

const char *pov_transition_state_name(size_t s) {
    return s < NS ? state_names[s] : NULL;
}

void pov_transitions_free(pov_transitions *t) {
    if (!t)
        return;
    for (size_t u = 0; u < t->n_units; u++)
        g_free(t->unit[u]);
    free(t->unit);
    free(t->counts);
    free(t);
}

/* Maps a dataset's registry_status code index to the state (by code name, so
 * the mapping holds for any schema). */
static int status_map(const pov_schema *s, int *map, size_t nmap) {
    size_t nc = pov_schema_code_count(s, POVI_REGISTRY_STATUS);
    if (nc > nmap)
        nc = nmap;
    for (size_t c = 0; c < nmap; c++)
        map[c] = ST_MISSING;
    for (size_t c = 0; c < nc; c++) {
        const char *code = pov_schema_code(s, POVI_REGISTRY_STATUS, c);
        for (int k = 0; k < 7; k++)
            if (code && strcmp(code, state_names[k]) == 0)
                map[c] = k;
    }
    return 0;
}

static int state_of(const int32_t *col, const int *map, size_t i) {
    int32_t c = col[i];
    if (c < 0 || c >= 32)
        return ST_MISSING;
    return map[c];
}

static int check_unit(const pov_dataset *ds, size_t ind) {
    const pov_schema *s = pov_dataset_schema(ds);
    if (ind >= pov_schema_count(s) || pov_schema_type(s, ind) != POV_TYPE_TEXT ||
        pov_schema_level(s, ind) != POV_LEVEL_HOUSEHOLD)
        return povi_error(POV_EINVAL, "unit_indicator must be a household-level text indicator");
    return 0;
}

static int check_weight(const pov_dataset *ds, size_t ind) {
    const pov_schema *s = pov_dataset_schema(ds);
    int type = ind < pov_schema_count(s) ? pov_schema_type(s, ind) : -1;
    if ((type != POV_TYPE_NUMBER && type != POV_TYPE_INTEGER) ||
        pov_schema_level(s, ind) != POV_LEVEL_HOUSEHOLD)
        return povi_error(POV_EINVAL,
                          "weight_indicator must be a household-level number or integer indicator");
    return 0;
}

/* Reports the bad weight @p w (NaN, infinite or negative) of row @p row of
 * register @p name: POV_EINVAL naming the register (also as the source), the
 * household and the indicator (path "[row].<indicator>"). */
static int bad_weight(const pov_dataset *ds, const char *name, size_t ind, size_t row, double w) {
    const char *id = pov_dataset_id(ds, row), *ind_id = pov_schema_id(pov_dataset_schema(ds), ind);
    char path[POVI_RJ_PATH];
    snprintf(path, sizeof path, "[%zu].%s", row, ind_id);
    povi_loc loc = POVI_LOC_NONE;
    loc.source = name;
    loc.path = path;
    if (isnan(w))
        return povi_error_at(POV_EINVAL, &loc,
                             "%s register: household \"%s\" has no %s (missing or NaN); a "
                             "weight must be finite and >= 0",
                             name, id ? id : "", ind_id);
    return povi_error_at(POV_EINVAL, &loc,
                         "%s register: household \"%s\" has %s %g; a weight must be finite "
                         "and >= 0",
                         name, id ? id : "", ind_id, w);
}

/* Weight of row @p row of register @p name (@p ds, weight column @p col;
 * NULL: unweighted, 1); a bad one is reported by bad_weight(). */
static inline int weight_of(const double *col, const pov_dataset *ds, const char *name,
                            size_t ind, size_t row, double *out) {
    double w = col ? col[row] : 1;
    *out = w;
    return w >= 0 && w < INFINITY ? 0 : bad_weight(ds, name, ind, row, w);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int pov_transitions_compute(const pov_dataset *before, const pov_dataset *after,
                            size_t unit_indicator, pov_transitions **out) {
    return pov_transitions_compute_weighted(before, after, unit_indicator, SIZE_MAX, out);
}

int pov_transitions_compute_weighted(const pov_dataset *before, const pov_dataset *after,
                                     size_t unit_indicator, size_t weight_indicator,
                                     pov_transitions **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!before || !after)
        return povi_error(POV_EINVAL, "both datasets are required");
    int r;
    if (unit_indicator != SIZE_MAX &&
        ((r = check_unit(before, unit_indicator)) || (r = check_unit(after, unit_indicator))))
        return r;
    if (weight_indicator != SIZE_MAX && ((r = check_weight(before, weight_indicator)) ||
                                         (r = check_weight(after, weight_indicator))))
        return r;
    povi_colview a, b;
    povi_dataset_colview(before, &a);
    povi_dataset_colview(after, &b);
    int map_a[32], map_b[32];
    status_map(a.schema, map_a, 32);
    status_map(b.schema, map_b, 32);

    /* Units: distinct codes over both registers (the second year's wins). */
    GHashTable *units = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *codes = g_ptr_array_new();
    size_t *match_ab = malloc((a.n_households + 1) * sizeof *match_ab);
    uint8_t *seen_b = calloc(b.n_households + 1, 1);
    pov_transitions *t = calloc(1, sizeof *t);
    if (!match_ab || !seen_b || !t) {
        r = povi_error(POV_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < a.n_households; i++) {
        size_t j;
        match_ab[i] = pov_dataset_find(after, pov_dataset_id(before, i), &j) == 0 ? j : SIZE_MAX;
        if (match_ab[i] != SIZE_MAX)
            seen_b[j] = 1;
    }
#define UNIT_CODE(view, row) \
    ((view).cat[unit_indicator][row] >= 0 ? (view).strings[(view).cat[unit_indicator][row]] : "")
    if (unit_indicator != SIZE_MAX) {
        for (size_t pass = 0; pass < 2; pass++) {
            const povi_colview *vw = pass ? &a : &b;
            for (size_t i = 0; i < vw->n_households; i++) {
                if (pass && match_ab[i] != SIZE_MAX)
                    continue;
                const char *code = UNIT_CODE(*vw, i);
                if (!g_hash_table_contains(units, code)) {
                    g_hash_table_add(units, (gpointer)code);
                    g_ptr_array_add(codes, (gpointer)code);
                }
            }
        }
        qsort(codes->pdata, codes->len, sizeof(gpointer), cmp_str);
        g_hash_table_remove_all(units);
        t->unit = calloc(codes->len + 1, sizeof *t->unit);
        if (!t->unit) {
            r = povi_error(POV_ENOMEM, "out of memory");
            goto fail;
        }
        t->n_units = codes->len;
        for (guint u = 0; u < codes->len; u++) {
            t->unit[u] = g_strdup(codes->pdata[u]);
            g_hash_table_insert(units, codes->pdata[u], GSIZE_TO_POINTER((gsize)u));
        }
    }
    t->counts = calloc((t->n_units + 1) * NS * NS, sizeof *t->counts);
    if (!t->counts) {
        r = povi_error(POV_ENOMEM, "out of memory");
        goto fail;
    }
    double *total = t->counts + t->n_units * NS * NS;
    const int32_t *sa = a.cat[POVI_REGISTRY_STATUS], *sb = b.cat[POVI_REGISTRY_STATUS];
    /* Weights: the second register's when the household is there, else the
     * first's; without a weight indicator every household counts 1. */
    const double *wa = weight_indicator != SIZE_MAX ? a.num[weight_indicator] : NULL;
    const double *wb = weight_indicator != SIZE_MAX ? b.num[weight_indicator] : NULL;
    for (size_t i = 0; i < a.n_households; i++) {
        size_t j = match_ab[i];
        int from = state_of(sa, map_a, i);
        int to = j == SIZE_MAX ? ST_ABSENT : state_of(sb, map_b, j);
        double w;
        if ((r = j == SIZE_MAX ? weight_of(wa, before, "before", weight_indicator, i, &w)
                               : weight_of(wb, after, "after", weight_indicator, j, &w)))
            goto fail;
        total[from * NS + to] += w;
        if (t->n_units) {
            const char *code = j == SIZE_MAX ? UNIT_CODE(a, i) : UNIT_CODE(b, j);
            size_t u = GPOINTER_TO_SIZE(g_hash_table_lookup(units, code));
            t->counts[u * NS * NS + (size_t)from * NS + (size_t)to] += w;
        }
    }
    for (size_t j = 0; j < b.n_households; j++) {
        if (seen_b[j])
            continue;
        int to = state_of(sb, map_b, j);
        double w;
        if ((r = weight_of(wb, after, "after", weight_indicator, j, &w)))
            goto fail;
        total[ST_ABSENT * NS + to] += w;
        if (t->n_units) {
            size_t u = GPOINTER_TO_SIZE(g_hash_table_lookup(units, UNIT_CODE(b, j)));
            t->counts[u * NS * NS + (size_t)ST_ABSENT * NS + (size_t)to] += w;
        }
    }
#undef UNIT_CODE
    g_hash_table_destroy(units);
    g_ptr_array_free(codes, TRUE);
    free(match_ab);
    free(seen_b);
    *out = t;
    return 0;
fail:
    g_hash_table_destroy(units);
    g_ptr_array_free(codes, TRUE);
    free(match_ab);
    free(seen_b);
    pov_transitions_free(t);
    return r;
}

size_t pov_transitions_unit_count(const pov_transitions *t) {
    return t ? t->n_units : 0;
}

const char *pov_transitions_unit(const pov_transitions *t, size_t u) {
    return t && u < t->n_units ? t->unit[u] : NULL;
}

static const double *block(const pov_transitions *t, size_t unit) {
    if (unit == SIZE_MAX)
        return t->counts + t->n_units * NS * NS;
    return t->counts + unit * NS * NS;
}

static int check(const pov_transitions *t, size_t unit, const void *out) {
    if (!t || !out)
        return povi_error(POV_EINVAL, "NULL argument");
    if (unit != SIZE_MAX && unit >= t->n_units)
        return povi_error(POV_ENOTFOUND, "no unit %zu (have %zu)", unit, t->n_units);
    return 0;
}

int pov_transitions_matrix(const pov_transitions *t, size_t unit, double *out) {
    int r = check(t, unit, out);
    if (r)
        return r;
    memcpy(out, block(t, unit), NS * NS * sizeof *out);
    return 0;
}

static int is_poor(int s) {
    return s == 1 || s == 3; /* poor, returned */
}
static int is_exited(int s) {
    return s == 2 || s == 4; /* exited, monitored_unstable */
}

int pov_transitions_summary(const pov_transitions *t, size_t unit, pov_transition_summary *out) {
    int r = check(t, unit, out);
    if (r)
        return r;
    if (out->size < sizeof *out)
        return povi_error(POV_EINVAL, "summary.size must be sizeof(pov_transition_summary)");
    const double *c = block(t, unit);
    pov_transition_summary s;
    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    double entry_den = 0, poor_den = 0, exit_den = 0;
    for (int f = 0; f < NS; f++)
        for (int to = 0; to < NS; to++) {
            double x = c[f * NS + to];
            if (x == 0)
                continue;
            s.households += x;
            if (is_poor(f))
                s.poor_before += x;
            if (is_poor(to))
                s.poor_after += x;
            if (to == ST_ABSENT)
                continue;
            if (is_poor(f)) {
                poor_den += x;
                if (is_poor(to))
                    s.persistent += x;
                if (is_exited(to))
                    s.exits += x;
            } else if (is_exited(f)) {
                exit_den += x;
                if (is_poor(to))
                    s.returns += x;
            } else {
                entry_den += x;
                if (is_poor(to))
                    s.entries += x;
            }
        }
    s.entry_rate = entry_den > 0 ? s.entries / entry_den : NAN;
    s.exit_rate = poor_den > 0 ? s.exits / poor_den : NAN;
    s.persistence_rate = poor_den > 0 ? s.persistent / poor_den : NAN;
    s.return_rate = exit_den > 0 ? s.returns / exit_den : NAN;
    *out = s;
    return 0;
}
