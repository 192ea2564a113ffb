/*
 * povmetrics — loading, validating and compiling scorecards
 * (`"format": "povmetrics.scorecard/1"`, docs/scorecard-format.md).
 *
 * The loader walks the parsed document once, checks every field (unknown
 * fields are errors), resolves indicator ids and category codes against the
 * scorecard's schema (core + the document's `indicators`), compiles
 * conditions, and checks bands (no overlap, no gap), category caps and
 * quotas. Every error carries its JSON path and line/column. On any error the
 * partly built object is destroyed and *out stays NULL.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/embedded.h"
#include "scoring_internal.h"

#define PATH_MAX_LEN 512

/* ---- lifetime ------------------------------------------------------------ */

static void bands_clear(povi_bands *b) {
    g_free(b->min);
    g_free(b->max);
    g_free(b->value);
    memset(b, 0, sizeof *b);
}

static void scorecard_destroy(pov_scorecard *sc) {
    if (!sc)
        return;
    for (size_t c = 0; c < sc->n_cats; c++) {
        g_free(sc->cats[c].id);
        g_free(sc->cats[c].label_zh);
        g_free(sc->cats[c].label_en);
    }
    g_free(sc->cats);
    for (size_t k = 0; k < sc->n_items; k++) {
        povi_item *it = &sc->items[k];
        g_free(it->id);
        g_free(it->label_zh);
        g_free(it->label_en);
        pov_condition_free(it->expr);
        bands_clear(&it->bands);
        g_free(it->map);
    }
    g_free(sc->items);
    for (size_t v = 0; v < sc->n_vetoes; v++) {
        povi_veto *ve = &sc->vetoes[v];
        g_free(ve->id);
        g_free(ve->label_zh);
        g_free(ve->label_en);
        g_free(ve->reason);
        pov_condition_free(ve->when);
    }
    g_free(sc->vetoes);
    for (size_t q = 0; q < sc->n_quota; q++)
        g_free(sc->quota_units[q]);
    g_free(sc->quota_units);
    g_free(sc->quota_values);
    bands_clear(&sc->likelihood);
    g_free(sc->id);
    g_free(sc->version);
    g_free(sc->title_en);
    g_free(sc->title_zh);
    g_free(sc->region);
    if (sc->schema)
        pov_schema_free(sc->schema);
    g_free(sc);
}

pov_scorecard *povi_scorecard_ref(pov_scorecard *sc) {
    g_atomic_int_inc(&sc->refs);
    return sc;
}

void pov_scorecard_free(pov_scorecard *sc) {
    if (sc && g_atomic_int_dec_and_test(&sc->refs))
        scorecard_destroy(sc);
}

/* ---- field helpers -------------------------------------------------------- */

typedef struct loader {
    const povi_json_src *src;
    pov_scorecard *sc;
} loader;

/* Formats a JSON path into a PATH_MAX_LEN buffer (truncating very long ones). */
static void pathf(char *out, const char *fmt, ...) POVI_PRINTF(2, 3);
static void pathf(char *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, PATH_MAX_LEN, fmt, ap);
    va_end(ap);
}

static void join(char *out, const char *path, const char *key) {
    pathf(out, "%s%s%s", path, path[0] ? "." : "", key);
}

static int check_keys(loader *L, const cJSON *obj, const char *path,
                      const char *const *allowed) {
    for (const cJSON *c = obj->child; c; c = c->next) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            if (strcmp(c->string, allowed[i]) == 0) {
                ok = 1;
                break;
            }
        char p[PATH_MAX_LEN];
        join(p, path, c->string);
        if (!ok)
            return povi_json_error(POV_EUNKNOWN, L->src, p, "unknown field '%s'", c->string);
        for (const cJSON *d = c->next; d; d = d->next)
            if (strcmp(c->string, d->string) == 0)
                return povi_json_error(POV_EDUPLICATE, L->src, p, "field '%s' appears twice",
                                       c->string);
    }
    return 0;
}

static const cJSON *get(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* String field; *out is a new copy ("" default when optional and absent). */
static int get_str(loader *L, const cJSON *obj, const char *key, const char *path, int required,
                   char **out) {
    const cJSON *v = get(obj, key);
    char p[PATH_MAX_LEN];
    join(p, path, key);
    if (!v) {
        if (required)
            return povi_json_error(POV_EMISSING, L->src, path, "'%s' is required", key);
        *out = g_strdup("");
        return 0;
    }
    if (!cJSON_IsString(v))
        return povi_json_error(POV_ETYPE, L->src, p, "'%s' must be a string", key);
    *out = g_strdup(v->valuestring);
    return 0;
}

static int num_value(loader *L, const cJSON *v, const char *p, double *out) {
    if (!cJSON_IsNumber(v))
        return povi_json_error(POV_ETYPE, L->src, p, "a number is required");
    if (!isfinite(v->valuedouble))
        return povi_json_error(POV_ENONFINITE, L->src, p, "the number must be finite");
    *out = v->valuedouble;
    return 0;
}

/* Number field; returns 1 through *present when given. */
static int get_num(loader *L, const cJSON *obj, const char *key, const char *path, int required,
                   double *out, int *present) {
    const cJSON *v = get(obj, key);
    char p[PATH_MAX_LEN];
    join(p, path, key);
    if (present)
        *present = v != NULL;
    if (!v) {
        if (required)
            return povi_json_error(POV_EMISSING, L->src, path, "'%s' is required", key);
        return 0;
    }
    return num_value(L, v, p, out);
}

static int enum_of(loader *L, const cJSON *obj, const char *key, const char *path,
                   const char *const *names, int *out) {
    const cJSON *v = get(obj, key);
    char p[PATH_MAX_LEN];
    join(p, path, key);
    if (!v)
        return povi_json_error(POV_EMISSING, L->src, path, "'%s' is required", key);
    if (!cJSON_IsString(v))
        return povi_json_error(POV_ETYPE, L->src, p, "'%s' must be a string", key);
    for (int i = 0; names[i]; i++)
        if (strcmp(v->valuestring, names[i]) == 0) {
            *out = i;
            return 0;
        }
    GString *list = g_string_new(NULL);
    for (int i = 0; names[i]; i++)
        g_string_append_printf(list, "%s\"%s\"", i ? ", " : "", names[i]);
    int r = povi_json_error(POV_EINVAL, L->src, p, "'%s' must be one of %s, not \"%s\"", key,
                            list->str, v->valuestring);
    g_string_free(list, TRUE);
    return r;
}

static int get_id(loader *L, const cJSON *obj, const char *path, char **out) {
    int r = get_str(L, obj, "id", path, 1, out);
    if (r)
        return r;
    if (!povi_valid_id(*out)) {
        char p[PATH_MAX_LEN];
        join(p, path, "id");
        return povi_json_error(POV_EINVAL, L->src, p,
                               "id \"%s\" must be snake_case ASCII ([a-z][a-z0-9_]*, at most 64 bytes)",
                               *out);
    }
    return 0;
}

/* ---- bands ---------------------------------------------------------------- */

/* Parses bands at @p path (an array of {min, max, <valkey>}). Checks order,
 * overlaps and gaps; the first band may have min null (-inf), the last max
 * null (+inf). For probabilities, values must lie in [0, 1]. */
static int parse_bands(loader *L, const cJSON *arr, const char *path, const char *valkey,
                       povi_bands *b) {
    const char *const allowed[] = {"min", "max", valkey, "note", NULL};
    if (!cJSON_IsArray(arr))
        return povi_json_error(POV_ETYPE, L->src, path, "bands must be an array");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0)
        return povi_json_error(POV_ERULE, L->src, path, "at least one band is required");
    b->min = g_new(double, n);
    b->max = g_new(double, n);
    b->value = g_new(double, n);
    b->n = n;
    size_t j = 0;
    for (const cJSON *e = arr->child; e; e = e->next, j++) {
        char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
        pathf(p, "%s[%zu]", path, j);
        if (!cJSON_IsObject(e))
            return povi_json_error(POV_ETYPE, L->src, p, "a band must be an object");
        int r = check_keys(L, e, p, allowed);
        if (r)
            return r;
        const cJSON *mn = get(e, "min"), *mx = get(e, "max");
        if (!mn)
            return povi_json_error(POV_EMISSING, L->src, p, "'min' is required (null for no lower bound)");
        if (!mx)
            return povi_json_error(POV_EMISSING, L->src, p, "'max' is required (null for no upper bound)");
        join(q, p, "min");
        if (cJSON_IsNull(mn)) {
            if (j != 0)
                return povi_json_error(POV_ERULE, L->src, q, "only the first band may have no lower bound");
            b->min[j] = -INFINITY;
        } else if ((r = num_value(L, mn, q, &b->min[j]))) {
            return r;
        }
        join(q, p, "max");
        if (cJSON_IsNull(mx)) {
            if (j != n - 1)
                return povi_json_error(POV_ERULE, L->src, q, "only the last band may have no upper bound");
            b->max[j] = INFINITY;
        } else if ((r = num_value(L, mx, q, &b->max[j]))) {
            return r;
        }
        if (!(b->min[j] < b->max[j]))
            return povi_json_error(POV_ERULE, L->src, q, "band [%g, %g) is empty: min must be below max",
                                   b->min[j], b->max[j]);
        if ((r = get_num(L, e, valkey, p, 1, &b->value[j], NULL)))
            return r;
        if (strcmp(valkey, "probability") == 0 && (b->value[j] < 0 || b->value[j] > 1)) {
            join(q, p, valkey);
            return povi_json_error(POV_ERANGE, L->src, q, "a probability must lie in [0, 1]");
        }
        if (j > 0) {
            join(q, p, "min");
            if (b->max[j - 1] > b->min[j])
                return povi_json_error(POV_ERULE, L->src, q,
                                       "band %zu [%g, %g) overlaps band %zu [%g, %g)", j, b->min[j],
                                       b->max[j], j - 1, b->min[j - 1], b->max[j - 1]);
            if (b->max[j - 1] < b->min[j])
                return povi_json_error(POV_ERULE, L->src, q,
                                       "gap between band %zu (ends at %g) and band %zu (starts at %g)",
                                       j - 1, b->max[j - 1], j, b->min[j]);
        }
    }
    return 0;
}

ptrdiff_t povi_bands_find(const povi_bands *b, double v) {
    if (!(v == v) || b->n == 0)
        return -1;
    /* binary search: last band with min <= v */
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->min[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    size_t j = lo - 1;
    return v < b->max[j] ? (ptrdiff_t)j : -1;
}

/* ---- schema extension ---------------------------------------------------- */

static int load_extension(loader *L, const cJSON *inds, const char *name) {
    if (!cJSON_IsArray(inds))
        return povi_json_error(POV_ETYPE, L->src, "indicators", "'indicators' must be an array");
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format", "povmetrics.schema/1");
    cJSON_AddStringToObject(doc, "name", name);
    cJSON_AddItemToObject(doc, "indicators", cJSON_Duplicate(inds, 1));
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        return povi_error(POV_ENOMEM, "out of memory");
    pov_schema *schema = NULL;
    int r = pov_schema_load_string(text, strlen(text), L->src->source, &schema);
    cJSON_free(text);
    if (r) {
        /* Re-report at the same path, located in the scorecard's own text. */
        const pov_error *e = pov_error_last();
        char *msg = g_strdup(pov_error_message(e));
        char *path = g_strdup(pov_error_path(e));
        r = povi_json_error(r, L->src, path, "%s", msg);
        g_free(msg);
        g_free(path);
        return r;
    }
    L->sc->schema = schema;
    return 0;
}

/* ---- items ---------------------------------------------------------------- */

static int compile_cond(loader *L, const cJSON *node, const char *path, pov_condition **out) {
    povi_json_src s = *L->src;
    s.base_path = path;
    return povi_condition_compile_node(L->sc->schema, node, &s, out);
}

static const char *type_name(int t) {
    switch (t) {
    case POVI_T_NUMBER: return "number";
    case POVI_T_BOOLEAN: return "boolean";
    case POVI_T_CATEGORY: return "category";
    case POVI_T_TEXT: return "text";
    default: return "null";
    }
}

static int load_item(loader *L, const cJSON *o, const char *path, povi_item *it, double cap,
                     GHashTable *ids) {
    static const char *const allowed[] = {"id", "label_zh", "label_en", "indicator", "expr",
                                          "bands", "map", "default", "per_unit", "boolean",
                                          "min", "max", "missing", "description", "note", NULL};
    char p[PATH_MAX_LEN];
    int r;
    if (!cJSON_IsObject(o))
        return povi_json_error(POV_ETYPE, L->src, path, "an item must be an object");
    if ((r = check_keys(L, o, path, allowed)) || (r = get_id(L, o, path, &it->id)) ||
        (r = get_str(L, o, "label_zh", path, 0, &it->label_zh)) ||
        (r = get_str(L, o, "label_en", path, 0, &it->label_en)))
        return r;
    join(p, path, "id");
    if (g_hash_table_contains(ids, it->id))
        return povi_json_error(POV_EDUPLICATE, L->src, p, "item id \"%s\" is used twice", it->id);
    g_hash_table_add(ids, it->id);

    /* the input: an indicator or an expression */
    const cJSON *ind = get(o, "indicator"), *expr = get(o, "expr");
    it->indicator = -1;
    it->in_cat_ind = -1;
    if (ind && expr)
        return povi_json_error(POV_ERULE, L->src, path, "give 'indicator' or 'expr', not both");
    if (!ind && !expr)
        return povi_json_error(POV_EMISSING, L->src, path, "'indicator' or 'expr' is required");
    if (ind) {
        join(p, path, "indicator");
        if (!cJSON_IsString(ind))
            return povi_json_error(POV_ETYPE, L->src, p, "'indicator' must be a string");
        size_t idx;
        if (!povi_schema_lookup(L->sc->schema, ind->valuestring, strlen(ind->valuestring), &idx))
            return povi_json_error(POV_ENOTFOUND, L->src, p, "unknown indicator \"%s\"",
                                   ind->valuestring);
        const povi_indicator *pi = povi_schema_get(L->sc->schema, idx);
        if (pi->level != POV_LEVEL_HOUSEHOLD)
            return povi_json_error(POV_ERULE, L->src, p,
                                   "\"%s\" is a member-level indicator: use an expression over members",
                                   pi->id);
        it->indicator = (int32_t)idx;
        switch (pi->type) {
        case POV_TYPE_NUMBER:
        case POV_TYPE_INTEGER: it->in_type = POVI_T_NUMBER; break;
        case POV_TYPE_BOOLEAN: it->in_type = POVI_T_BOOLEAN; break;
        case POV_TYPE_CATEGORY:
            it->in_type = POVI_T_CATEGORY;
            it->in_cat_ind = (int32_t)idx;
            break;
        default:
            return povi_json_error(POV_ETYPE, L->src, p, "text indicator \"%s\" cannot be scored",
                                   pi->id);
        }
    } else {
        join(p, path, "expr");
        if ((r = compile_cond(L, expr, p, &it->expr)))
            return r;
        int t = pov_condition_result_type(it->expr);
        it->in_type = t == POV_COND_TYPE_NUMBER     ? POVI_T_NUMBER
                      : t == POV_COND_TYPE_BOOLEAN  ? POVI_T_BOOLEAN
                      : t == POV_COND_TYPE_CATEGORY ? POVI_T_CATEGORY
                                                    : POVI_T_TEXT;
        if (it->in_type == POVI_T_TEXT)
            return povi_json_error(POV_ETYPE, L->src, p, "the expression must give a number, boolean or category");
        if (it->in_type == POVI_T_CATEGORY)
            it->in_cat_ind = povi_condition_category_indicator(it->expr);
    }

    /* exactly one scoring form */
    static const char *const forms[] = {"bands", "map", "per_unit", "boolean"};
    int nforms = 0, form = POVI_FORM_EXPR;
    for (int f = 0; f < 4; f++)
        if (get(o, forms[f])) {
            nforms++;
            form = f;
        }
    if (nforms > 1)
        return povi_json_error(POV_ERULE, L->src, path,
                               "give exactly one scoring form (bands, map, per_unit, boolean or a points expression)");
    if (nforms == 0 && !expr)
        return povi_json_error(POV_EMISSING, L->src, path,
                               "a scoring form is required: bands, map, per_unit or boolean");
    it->form = (povi_form)form;
    static const int need[] = {POVI_T_NUMBER, POVI_T_CATEGORY, POVI_T_NUMBER, POVI_T_BOOLEAN,
                               POVI_T_NUMBER};
    if (it->in_type != need[form]) {
        join(p, path, ind ? "indicator" : "expr");
        return povi_json_error(POV_ETYPE, L->src, p, "scoring form '%s' needs a %s input, not %s",
                               form == POVI_FORM_EXPR ? "expr" : forms[form],
                               type_name(need[form]), type_name(it->in_type));
    }
    int has_min = get(o, "min") != NULL, has_max = get(o, "max") != NULL;
    if (form != POVI_FORM_EXPR && (has_min || has_max)) {
        join(p, path, has_min ? "min" : "max");
        return povi_json_error(POV_ERULE, L->src, p, "'min'/'max' belong to a points expression only");
    }
    if (form != POVI_FORM_MAP && get(o, "default")) {
        join(p, path, "default");
        return povi_json_error(POV_ERULE, L->src, p, "'default' belongs to a 'map' only");
    }

    /* the maximum points and where they are written, for the cap check */
    char maxpath[PATH_MAX_LEN] = "";
    double mx = -INFINITY;
    switch (it->form) {
    case POVI_FORM_BANDS: {
        join(p, path, "bands");
        if ((r = parse_bands(L, get(o, "bands"), p, "points", &it->bands)))
            return r;
        for (size_t j = 0; j < it->bands.n; j++)
            if (it->bands.value[j] > mx) {
                mx = it->bands.value[j];
                pathf(maxpath, "%s[%zu].points", p, j);
            }
        break;
    }
    case POVI_FORM_MAP: {
        const cJSON *m = get(o, "map");
        join(p, path, "map");
        if (!cJSON_IsObject(m))
            return povi_json_error(POV_ETYPE, L->src, p, "'map' must be an object {code: points}");
        if (it->in_cat_ind < 0)
            return povi_json_error(POV_ETYPE, L->src, p, "'map' needs a category input");
        it->n_codes = pov_schema_code_count(L->sc->schema, (size_t)it->in_cat_ind);
        it->map = g_new(double, it->n_codes);
        for (size_t c = 0; c < it->n_codes; c++)
            it->map[c] = NAN;
        if ((r = get_num(L, o, "default", path, 0, &it->dflt, &it->has_default)))
            return r;
        for (const cJSON *e = m->child; e; e = e->next) {
            char q[PATH_MAX_LEN];
            join(q, p, e->string);
            int32_t code = povi_schema_code_lookup(L->sc->schema, (size_t)it->in_cat_ind,
                                                   e->string, strlen(e->string));
            if (code < 0)
                return povi_json_error(POV_ECODE, L->src, q, "\"%s\" is not a code of \"%s\"",
                                       e->string,
                                       pov_schema_id(L->sc->schema, (size_t)it->in_cat_ind));
            if (!isnan(it->map[code]))
                return povi_json_error(POV_EDUPLICATE, L->src, q, "code \"%s\" is mapped twice",
                                       e->string);
            if ((r = num_value(L, e, q, &it->map[code])))
                return r;
            if (it->map[code] > mx) {
                mx = it->map[code];
                pathf(maxpath, "%s", q);
            }
        }
        for (size_t c = 0; c < it->n_codes && !it->has_default; c++)
            if (isnan(it->map[c]))
                return povi_json_error(POV_ERULE, L->src, p,
                                       "code \"%s\" is not mapped and there is no 'default'",
                                       pov_schema_code(L->sc->schema, (size_t)it->in_cat_ind, c));
        if (it->has_default && it->dflt > mx) {
            mx = it->dflt;
            join(maxpath, path, "default");
        }
        break;
    }
    case POVI_FORM_PER_UNIT: {
        static const char *const pu_allowed[] = {"points", "cap", "per", NULL};
        const cJSON *pu = get(o, "per_unit");
        join(p, path, "per_unit");
        if (!cJSON_IsObject(pu))
            return povi_json_error(POV_ETYPE, L->src, p, "'per_unit' must be an object");
        int has_per = 0;
        if ((r = check_keys(L, pu, p, pu_allowed)) ||
            (r = get_num(L, pu, "points", p, 1, &it->pu_points, NULL)) ||
            (r = get_num(L, pu, "cap", p, 1, &it->pu_cap, NULL)) ||
            (r = get_num(L, pu, "per", p, 0, &it->pu_per, &has_per)))
            return r;
        char q[PATH_MAX_LEN];
        if (it->pu_points == 0) {
            join(q, p, "points");
            return povi_json_error(POV_ERANGE, L->src, q, "points per unit must not be 0");
        }
        if (!(it->pu_cap > 0)) {
            join(q, p, "cap");
            return povi_json_error(POV_ERANGE, L->src, q, "'cap' must be > 0");
        }
        if (!has_per)
            it->pu_per = 1;
        else if (!(it->pu_per > 0)) {
            join(q, p, "per");
            return povi_json_error(POV_ERANGE, L->src, q, "'per' must be > 0");
        }
        mx = it->pu_cap;
        join(maxpath, p, "cap");
        break;
    }
    case POVI_FORM_BOOLEAN: {
        static const char *const b_allowed[] = {"true", "false", NULL};
        const cJSON *bo = get(o, "boolean");
        join(p, path, "boolean");
        if (!cJSON_IsObject(bo))
            return povi_json_error(POV_ETYPE, L->src, p, "'boolean' must be an object {\"true\": points, \"false\": points}");
        if ((r = check_keys(L, bo, p, b_allowed)) ||
            (r = get_num(L, bo, "true", p, 1, &it->b_true, NULL)) ||
            (r = get_num(L, bo, "false", p, 1, &it->b_false, NULL)))
            return r;
        mx = it->b_true >= it->b_false ? it->b_true : it->b_false;
        join(maxpath, p, it->b_true >= it->b_false ? "true" : "false");
        break;
    }
    case POVI_FORM_EXPR: {
        if ((r = get_num(L, o, "min", path, 1, &it->e_min, NULL)) ||
            (r = get_num(L, o, "max", path, 1, &it->e_max, NULL)))
            return r;
        if (!(it->e_min <= it->e_max)) {
            join(p, path, "max");
            return povi_json_error(POV_ERULE, L->src, p, "'max' must be >= 'min'");
        }
        mx = it->e_max;
        join(maxpath, path, "max");
        break;
    }
    }
    if ((r = get_num(L, o, "missing", path, 0, &it->missing_points, &it->has_missing)))
        return r;
    if (it->has_missing && it->missing_points > mx) {
        mx = it->missing_points;
        join(maxpath, path, "missing");
    }
    it->max_points = mx;
    if (mx > cap)
        return povi_json_error(POV_ERULE, L->src, maxpath,
                               "%g points is above the category cap of %g", mx, cap);
    return 0;
}

/* ---- top level ------------------------------------------------------------ */

static int load_categories(loader *L, const cJSON *cats) {
    static const char *const allowed[] = {"id", "label_zh", "label_en", "step", "cap", "items",
                                          "description", "note", NULL};
    static const char *const steps[] = {"look", "count", "compare", "other", NULL};
    pov_scorecard *sc = L->sc;
    if (!cats)
        return povi_json_error(POV_EMISSING, L->src, "", "'categories' is required");
    if (!cJSON_IsArray(cats))
        return povi_json_error(POV_ETYPE, L->src, "categories", "'categories' must be an array");
    size_t nc = (size_t)cJSON_GetArraySize(cats);
    if (nc == 0)
        return povi_json_error(POV_ERULE, L->src, "categories", "at least one category is required");
    size_t ni = 0;
    for (const cJSON *c = cats->child; c; c = c->next) {
        const cJSON *items = cJSON_IsObject(c) ? get(c, "items") : NULL;
        if (cJSON_IsArray(items))
            ni += (size_t)cJSON_GetArraySize(items);
    }
    sc->cats = g_new0(povi_category, nc);
    sc->items = g_new0(povi_item, ni ? ni : 1);
    GHashTable *cat_ids = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *item_ids = g_hash_table_new(g_str_hash, g_str_equal);
    int r = 0;
    size_t ci = 0;
    sc->max_total = 0;
    for (const cJSON *c = cats->child; c && !r; c = c->next, ci++) {
        char path[PATH_MAX_LEN], p[PATH_MAX_LEN];
        pathf(path, "categories[%zu]", ci);
        povi_category *cat = &sc->cats[ci];
        sc->n_cats = ci + 1;
        if (!cJSON_IsObject(c)) {
            r = povi_json_error(POV_ETYPE, L->src, path, "a category must be an object");
            break;
        }
        int has_cap = 0;
        if ((r = check_keys(L, c, path, allowed)) || (r = get_id(L, c, path, &cat->id)) ||
            (r = get_str(L, c, "label_zh", path, 0, &cat->label_zh)) ||
            (r = get_str(L, c, "label_en", path, 0, &cat->label_en)) ||
            (r = enum_of(L, c, "step", path, steps, &cat->step)) ||
            (r = get_num(L, c, "cap", path, 0, &cat->cap, &has_cap)))
            break;
        join(p, path, "id");
        if (g_hash_table_contains(cat_ids, cat->id)) {
            r = povi_json_error(POV_EDUPLICATE, L->src, p, "category id \"%s\" is used twice", cat->id);
            break;
        }
        g_hash_table_add(cat_ids, cat->id);
        if (!has_cap)
            cat->cap = INFINITY;
        else if (!(cat->cap > 0)) {
            join(p, path, "cap");
            r = povi_json_error(POV_ERANGE, L->src, p, "'cap' must be > 0");
            break;
        }
        const cJSON *items = get(c, "items");
        join(p, path, "items");
        if (!items) {
            r = povi_json_error(POV_EMISSING, L->src, path, "'items' is required");
            break;
        }
        if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0) {
            r = povi_json_error(cJSON_IsArray(items) ? POV_ERULE : POV_ETYPE, L->src, p,
                                "'items' must be a non-empty array");
            break;
        }
        cat->first_item = sc->n_items;
        size_t k = 0;
        double sum_max = 0;
        for (const cJSON *it = items->child; it; it = it->next, k++) {
            char ip[PATH_MAX_LEN];
            pathf(ip, "%s[%zu]", p, k);
            povi_item *item = &sc->items[sc->n_items++];
            item->category = ci;
            if ((r = load_item(L, it, ip, item, cat->cap, item_ids)))
                break;
            sum_max += item->max_points;
            cat->n_items++;
        }
        sc->max_total += sum_max < cat->cap ? sum_max : cat->cap;
    }
    g_hash_table_destroy(cat_ids);
    g_hash_table_destroy(item_ids);
    return r;
}

static int load_vetoes(loader *L, const cJSON *vs) {
    static const char *const allowed[] = {"id", "label_zh", "label_en", "reason", "when",
                                          "illustrative", "description", "note", NULL};
    pov_scorecard *sc = L->sc;
    if (!vs)
        return 0;
    if (!cJSON_IsArray(vs))
        return povi_json_error(POV_ETYPE, L->src, "vetoes", "'vetoes' must be an array");
    size_t n = (size_t)cJSON_GetArraySize(vs);
    sc->vetoes = g_new0(povi_veto, n ? n : 1);
    size_t v = 0;
    for (const cJSON *o = vs->child; o; o = o->next, v++) {
        char path[PATH_MAX_LEN], p[PATH_MAX_LEN];
        pathf(path, "vetoes[%zu]", v);
        povi_veto *ve = &sc->vetoes[v];
        sc->n_vetoes = v + 1;
        int r;
        if (!cJSON_IsObject(o))
            return povi_json_error(POV_ETYPE, L->src, path, "a veto must be an object");
        if ((r = check_keys(L, o, path, allowed)) || (r = get_id(L, o, path, &ve->id)) ||
            (r = get_str(L, o, "label_zh", path, 0, &ve->label_zh)) ||
            (r = get_str(L, o, "label_en", path, 0, &ve->label_en)) ||
            (r = get_str(L, o, "reason", path, 1, &ve->reason)))
            return r;
        for (size_t w = 0; w < v; w++)
            if (strcmp(sc->vetoes[w].id, ve->id) == 0) {
                join(p, path, "id");
                return povi_json_error(POV_EDUPLICATE, L->src, p, "veto id \"%s\" is used twice", ve->id);
            }
        const cJSON *ill = get(o, "illustrative");
        if (ill) {
            join(p, path, "illustrative");
            if (!cJSON_IsBool(ill))
                return povi_json_error(POV_ETYPE, L->src, p, "'illustrative' must be true or false");
            ve->illustrative = cJSON_IsTrue(ill);
        }
        const cJSON *when = get(o, "when");
        if (!when)
            return povi_json_error(POV_EMISSING, L->src, path, "'when' (the veto condition) is required");
        join(p, path, "when");
        if ((r = compile_cond(L, when, p, &ve->when)))
            return r;
        if (pov_condition_result_type(ve->when) != POV_COND_TYPE_BOOLEAN)
            return povi_json_error(POV_ETYPE, L->src, p, "a veto condition must be true or false");
    }
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_identification(loader *L, const cJSON *o) {
    static const char *const allowed[] = {"cutoff", "quota", "note", NULL};
    static const char *const q_allowed[] = {"level", "by", "values", "share", NULL};
    static const char *const levels[] = {"village", "county", NULL};
    static const char *const bys[] = {"households", "people", "share", NULL};
    pov_scorecard *sc = L->sc;
    int r;
    if (!o)
        return povi_json_error(POV_EMISSING, L->src, "", "'identification' is required");
    if (!cJSON_IsObject(o))
        return povi_json_error(POV_ETYPE, L->src, "identification", "'identification' must be an object");
    if ((r = check_keys(L, o, "identification", allowed)))
        return r;
    const cJSON *cut = get(o, "cutoff"), *quota = get(o, "quota");
    if ((cut != NULL) == (quota != NULL))
        return povi_json_error(cut ? POV_ERULE : POV_EMISSING, L->src, "identification",
                               "give exactly one of 'cutoff' and 'quota'");
    if (cut) {
        sc->rule = POVI_RULE_CUTOFF;
        return num_value(L, cut, "identification.cutoff", &sc->cutoff);
    }
    sc->rule = POVI_RULE_QUOTA;
    sc->cutoff = NAN;
    const char *qp = "identification.quota";
    if (!cJSON_IsObject(quota))
        return povi_json_error(POV_ETYPE, L->src, qp, "'quota' must be an object");
    int by;
    if ((r = check_keys(L, quota, qp, q_allowed)) ||
        (r = enum_of(L, quota, "level", qp, levels, &sc->quota_level)) ||
        (r = enum_of(L, quota, "by", qp, bys, &by)))
        return r;
    sc->quota_by = (povi_quota_by)by;
    const cJSON *vals = get(quota, "values"), *share = get(quota, "share");
    if (by == POVI_BY_SHARE) {
        if (vals)
            return povi_json_error(POV_ERULE, L->src, "identification.quota.values",
                                   "a share quota takes 'share', not 'values'");
        if (!share)
            return povi_json_error(POV_EMISSING, L->src, qp, "'share' is required");
        if ((r = num_value(L, share, "identification.quota.share", &sc->quota_share)))
            return r;
        if (sc->quota_share < 0 || sc->quota_share > 1)
            return povi_json_error(POV_ERANGE, L->src, "identification.quota.share",
                                   "'share' must lie in [0, 1]");
        return 0;
    }
    if (share)
        return povi_json_error(POV_ERULE, L->src, "identification.quota.share",
                               "'share' belongs to \"by\": \"share\" only");
    if (!vals)
        return povi_json_error(POV_EMISSING, L->src, qp, "'values' {unit code: quota} is required");
    if (!cJSON_IsObject(vals))
        return povi_json_error(POV_ETYPE, L->src, "identification.quota.values",
                               "'values' must be an object {unit code: quota}");
    size_t n = (size_t)cJSON_GetArraySize(vals);
    sc->quota_units = g_new0(char *, n ? n : 1);
    sc->quota_values = g_new0(double, n ? n : 1);
    /* sort (code, value) pairs by code: keep values aligned through an index */
    typedef struct { char *code; double v; } pair;
    pair *pairs = g_new0(pair, n ? n : 1);
    size_t i = 0;
    for (const cJSON *e = vals->child; e; e = e->next, i++) {
        char p[PATH_MAX_LEN];
        join(p, "identification.quota.values", e->string);
        double v = 0;
        if ((r = num_value(L, e, p, &v)))
            break;
        if (v < 0) {
            r = povi_json_error(POV_ERANGE, L->src, p, "a quota must be >= 0");
            break;
        }
        for (size_t j = 0; j < i && !r; j++)
            if (strcmp(pairs[j].code, e->string) == 0)
                r = povi_json_error(POV_EDUPLICATE, L->src, p, "unit \"%s\" appears twice", e->string);
        if (r)
            break;
        pairs[i].code = e->string;
        pairs[i].v = v;
    }
    if (!r) {
        qsort(pairs, n, sizeof *pairs, cmp_str);
        for (i = 0; i < n; i++) {
            sc->quota_units[i] = g_strdup(pairs[i].code);
            sc->quota_values[i] = pairs[i].v;
        }
        sc->n_quota = n;
    }
    g_free(pairs);
    return r;
}

static int load_root(loader *L, const cJSON *root) {
    static const char *const allowed[] = {"format", "id", "title_zh", "title_en", "version",
                                          "region", "provenance", "direction", "indicators",
                                          "categories", "vetoes", "deliberation",
                                          "identification", "review_margin", "likelihood",
                                          "description", "note", NULL};
    static const char *const dirs[] = {"higher_better_off", NULL};
    pov_scorecard *sc = L->sc;
    int r;
    if (!cJSON_IsObject(root))
        return povi_json_error(POV_ETYPE, L->src, "", "a scorecard must be a JSON object");
    const cJSON *fmt = get(root, "format");
    if (!fmt)
        return povi_json_error(POV_EFORMAT, L->src, "", "missing \"format\": \"povmetrics.scorecard/1\"");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "povmetrics.scorecard/1") != 0)
        return povi_json_error(POV_EFORMAT, L->src, "format",
                               "unsupported format (expected \"povmetrics.scorecard/1\")");
    if ((r = check_keys(L, root, "", allowed)) || (r = get_id(L, root, "", &sc->id)) ||
        (r = get_str(L, root, "version", "", 1, &sc->version)) ||
        (r = get_str(L, root, "title_zh", "", 0, &sc->title_zh)) ||
        (r = get_str(L, root, "title_en", "", 0, &sc->title_en)) ||
        (r = get_str(L, root, "region", "", 0, &sc->region)))
        return r;
    int dir;
    if ((r = enum_of(L, root, "direction", "", dirs, &dir)))
        return r;
    const cJSON *prov = get(root, "provenance");
    if (!prov)
        return povi_json_error(POV_EMISSING, L->src, "", "'provenance' (sources, confirmed and illustrative parts) is required");
    if (!cJSON_IsObject(prov))
        return povi_json_error(POV_ETYPE, L->src, "provenance", "'provenance' must be an object");
    {
        static const char *const p_allowed[] = {"summary", "sources", "confirmed",
                                                "illustrative", NULL};
        if ((r = check_keys(L, prov, "provenance", p_allowed)))
            return r;
        const cJSON *srcs = get(prov, "sources");
        if (!srcs)
            return povi_json_error(POV_EMISSING, L->src, "provenance", "'sources' is required");
        if (!cJSON_IsArray(srcs))
            return povi_json_error(POV_ETYPE, L->src, "provenance.sources", "'sources' must be an array");
    }
    const cJSON *inds = get(root, "indicators");
    if (inds) {
        if ((r = load_extension(L, inds, sc->id)))
            return r;
    } else {
        sc->schema = pov_schema_core();
    }
    if ((r = load_categories(L, get(root, "categories"))) ||
        (r = load_vetoes(L, get(root, "vetoes"))))
        return r;
    const cJSON *del = get(root, "deliberation");
    sc->max_adjustment = 0;
    if (del) {
        static const char *const d_allowed[] = {"max_adjustment", NULL};
        if (!cJSON_IsObject(del))
            return povi_json_error(POV_ETYPE, L->src, "deliberation", "'deliberation' must be an object");
        if ((r = check_keys(L, del, "deliberation", d_allowed)) ||
            (r = get_num(L, del, "max_adjustment", "deliberation", 1, &sc->max_adjustment, NULL)))
            return r;
        if (sc->max_adjustment < 0)
            return povi_json_error(POV_ERANGE, L->src, "deliberation.max_adjustment", "must be >= 0");
    }
    if ((r = load_identification(L, get(root, "identification"))))
        return r;
    int has_margin = 0;
    if ((r = get_num(L, root, "review_margin", "", 0, &sc->review_margin, &has_margin)))
        return r;
    if (!has_margin)
        sc->review_margin = 0;
    else if (sc->review_margin < 0)
        return povi_json_error(POV_ERANGE, L->src, "review_margin", "must be >= 0");
    const cJSON *lik = get(root, "likelihood");
    if (lik && (r = parse_bands(L, lik, "likelihood", "probability", &sc->likelihood)))
        return r;
    return 0;
}

int pov_scorecard_load_string(const char *json, size_t len, const char *source_name,
                              pov_scorecard **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!json)
        return povi_error(POV_EINVAL, "json is NULL");
    const char *srcname = source_name ? source_name : "<string>";
    cJSON *root = NULL;
    int r = povi_json_parse(json, len, srcname, 0, &root);
    if (r)
        return r;
    povi_json_src src = {srcname, json, len, "", 0, 0};
    pov_scorecard *sc = g_new0(pov_scorecard, 1);
    sc->refs = 1;
    loader L = {&src, sc};
    r = load_root(&L, root);
    cJSON_Delete(root);
    if (r) {
        scorecard_destroy(sc);
        return r;
    }
    *out = sc;
    return 0;
}

int pov_scorecard_load_file(const char *path, pov_scorecard **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!path)
        return povi_error(POV_EINVAL, "path is NULL");
    gchar *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        povi_loc loc = {path, 0, 0, SIZE_MAX, NULL};
        int r = povi_error_at(POV_EIO, &loc, "cannot read scorecard: %s", err->message);
        g_error_free(err);
        return r;
    }
    int r = pov_scorecard_load_string(text, len, path, out);
    g_free(text);
    return r;
}

int pov_scorecard_default_json(const char *name, const char **json_out, size_t *len_out) {
    if (!json_out)
        return povi_error(POV_EINVAL, "json_out is NULL");
    *json_out = NULL;
    if (!name)
        name = "guangxi_style_2015";
    size_t len;
    if (!povi_embedded_find(name, json_out, &len))
        return povi_error(POV_ENOTFOUND, "no embedded scorecard named \"%s\" "
                                         "(have \"guangxi_style_2015\", \"ppi_style\")", name);
    if (len_out)
        *len_out = len;
    return 0;
}

int pov_scorecard_default(const char *name, pov_scorecard **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    const char *json;
    size_t len;
    int r = pov_scorecard_default_json(name, &json, &len);
    if (r)
        return r;
    char src[128];
    pathf(src, "<embedded:%s>", name ? name : "guangxi_style_2015");
    return pov_scorecard_load_string(json, len, src, out);
}

/* ---- properties ----------------------------------------------------------- */

const char *pov_scorecard_id(const pov_scorecard *sc) { return sc ? sc->id : NULL; }
const char *pov_scorecard_version(const pov_scorecard *sc) { return sc ? sc->version : NULL; }
const char *pov_scorecard_title(const pov_scorecard *sc) { return sc ? sc->title_en : NULL; }
const pov_schema *pov_scorecard_schema(const pov_scorecard *sc) { return sc ? sc->schema : NULL; }
size_t pov_scorecard_category_count(const pov_scorecard *sc) { return sc ? sc->n_cats : 0; }
const char *pov_scorecard_category_id(const pov_scorecard *sc, size_t c) {
    return sc && c < sc->n_cats ? sc->cats[c].id : NULL;
}
size_t pov_scorecard_item_count(const pov_scorecard *sc) { return sc ? sc->n_items : 0; }
const char *pov_scorecard_item_id(const pov_scorecard *sc, size_t k) {
    return sc && k < sc->n_items ? sc->items[k].id : NULL;
}
size_t pov_scorecard_item_category(const pov_scorecard *sc, size_t k) {
    return sc && k < sc->n_items ? sc->items[k].category : SIZE_MAX;
}
size_t pov_scorecard_veto_count(const pov_scorecard *sc) { return sc ? sc->n_vetoes : 0; }
const char *pov_scorecard_veto_id(const pov_scorecard *sc, size_t v) {
    return sc && v < sc->n_vetoes ? sc->vetoes[v].id : NULL;
}
double pov_scorecard_max_total(const pov_scorecard *sc) { return sc ? sc->max_total : NAN; }
