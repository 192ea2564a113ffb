/*
 * povmetrics — exit policies: loading, inheritance, validation, compilation
 * and the read-only accessors. The format is documented in
 * docs/policy-format.md; the embedded policies are lib/policy/defaults/ (JSON).
 *
 * Loading works on JSON: the parent's resolved document is copied, the
 * child's additions and overrides (field by field) are applied, and
 * the result is compiled item by item. Each item remembers where it came from
 * (a path in the child's text, or "inherited"), so an error in an override
 * is reported at `overrides.<level>[i]...` with its line and column.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/embedded.h"
#include "policy_internal.h"

#define PATH_MAX_LEN 512
#define THR_MAX_DEPTH 8

static const char *const level_names[POVI_NLEVELS] = {"household", "village", "county",
                                                      "monitoring", "risk_elimination"};
static const char *const group_names[POVI_NGROUPS] = {"unstable_exited", "marginal",
                                                      "sudden_hardship"};
static const char *const dim_names[] = {"food",  "clothing", "education", "medical",
                                        "housing", "water",  "income",    "other"};
#define N_DIMS (sizeof dim_names / sizeof dim_names[0])

/* ---- small helpers -------------------------------------------------------- */

static const povi_json_src no_src = {NULL, NULL, 0, "", 0, 0};

/* Records an error at @p path of @p src (NULL: an inherited item, no text). */
static int perr(const povi_json_src *src, const char *path, int code, const char *fmt, ...)
    POVI_PRINTF(4, 5);
static int perr(const povi_json_src *src, const char *path, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    int r = povi_json_error(code, src ? src : &no_src, path, "%s", msg);
    g_free(msg);
    return r;
}

static void sub(char *out, const char *base, const char *key) {
    POVI_SNPRINTF(out, PATH_MAX_LEN, "%s%s%s", base, base[0] ? "." : "", key);
}

static void subi(char *out, const char *base, const char *key, size_t i) {
    if (key)
        POVI_SNPRINTF(out, PATH_MAX_LEN, "%s%s%s[%zu]", base, base[0] ? "." : "", key, i);
    else
        POVI_SNPRINTF(out, PATH_MAX_LEN, "%s[%zu]", base, i);
}

static int check_keys(const povi_json_src *src, const char *path, const cJSON *obj,
                      const char *const *allowed) {
    for (const cJSON *c = obj->child; c; c = c->next) {
        int ok = 0;
        for (size_t k = 0; allowed[k]; k++)
            if (strcmp(c->string, allowed[k]) == 0)
                ok = 1;
        if (!ok) {
            char p[PATH_MAX_LEN];
            sub(p, path, c->string);
            return perr(src, p, POV_EUNKNOWN, "unknown field '%s'", c->string);
        }
    }
    return 0;
}

static const cJSON *item(const cJSON *obj, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A string field: *out is the string or NULL when absent and optional. */
static int get_str(const povi_json_src *src, const char *path, const cJSON *obj, const char *key,
                   int required, const char **out) {
    const cJSON *v = item(obj, key);
    char p[PATH_MAX_LEN];
    sub(p, path, key);
    *out = NULL;
    if (!v) {
        if (required)
            return perr(src, path, POV_EMISSING, "'%s' is required", key);
        return 0;
    }
    if (!cJSON_IsString(v) || !v->valuestring)
        return perr(src, p, POV_ETYPE, "'%s' must be a string", key);
    if (required && !v->valuestring[0])
        return perr(src, p, POV_EINVAL, "'%s' must not be empty", key);
    *out = v->valuestring;
    return 0;
}

/* {"zh": ..., "en": ...}; a plain string when @p plain_ok (both set to it). */
static int get_label(const povi_json_src *src, const char *path, const cJSON *obj,
                     const char *key, int plain_ok, char **zh, char **en) {
    const cJSON *v = item(obj, key);
    char p[PATH_MAX_LEN];
    sub(p, path, key);
    if (!v)
        return perr(src, path, POV_EMISSING, "'%s' is required", key);
    if (plain_ok && cJSON_IsString(v)) {
        *zh = g_strdup(v->valuestring);
        *en = g_strdup(v->valuestring);
        return 0;
    }
    if (!cJSON_IsObject(v))
        return perr(src, p, POV_ETYPE, "'%s' must be an object {\"zh\": ..., \"en\": ...}%s",
                    key, plain_ok ? " or a string" : "");
    static const char *const allowed[] = {"zh", "en", NULL};
    int r = check_keys(src, p, v, allowed);
    const char *z, *e;
    if (r || (r = get_str(src, p, v, "zh", 1, &z)) || (r = get_str(src, p, v, "en", 1, &e)))
        return r;
    *zh = g_strdup(z);
    *en = g_strdup(e);
    return 0;
}

static int parse_op(const povi_json_src *src, const char *path, const cJSON *obj, int *out) {
    static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    const char *s;
    int r = get_str(src, path, obj, "op", 1, &s);
    if (r)
        return r;
    for (int k = 0; k < 6; k++)
        if (strcmp(s, ops[k]) == 0) {
            *out = k;
            return 0;
        }
    char p[PATH_MAX_LEN];
    sub(p, path, "op");
    return perr(src, p, POV_EUNKNOWN, "unknown operator '%s' (expected <, <=, >, >=, == or !=)",
                s);
}

const char *povi_op_name(int op) {
    static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    return op >= 0 && op < 6 ? ops[op] : "?";
}

static int parse_year_text(const char *s, int *out) {
    if (!s || !*s)
        return -1;
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (*e || errno || v < 1949 || v > 2100)
        return -1;
    *out = (int)v;
    return 0;
}

/* ---- thresholds ------------------------------------------------------------ */

static void thr_clear(povi_thr *t) {
    for (size_t i = 0; i < t->n; i++) {
        thr_clear(&t->items[i]);
        if (t->keys)
            g_free(t->keys[i]);
    }
    g_free(t->items);
    g_free(t->keys);
    g_free(t->years);
    if (t->deflt) {
        thr_clear(t->deflt);
        g_free(t->deflt);
    }
    memset(t, 0, sizeof *t);
}

/* Flags: 1 numeric leaf seen, 2 boolean leaf seen. */
static int parse_thr(const povi_json_src *src, const char *path, const cJSON *v, povi_thr *t,
                     int depth, int *flags) {
    memset(t, 0, sizeof *t);
    if (depth > THR_MAX_DEPTH)
        return perr(src, path, POV_ELIMIT, "threshold nested deeper than %d levels",
                    THR_MAX_DEPTH);
    if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble))
            return perr(src, path, POV_ENONFINITE, "threshold is not a finite number");
        t->kind = POVI_THR_NUMBER;
        t->value = v->valuedouble;
        *flags |= 1;
        return 0;
    }
    if (cJSON_IsBool(v)) {
        t->kind = POVI_THR_BOOL;
        t->value = cJSON_IsTrue(v) ? 1.0 : 0.0;
        *flags |= 2;
        return 0;
    }
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "poverty_line") == 0) {
            t->kind = POVI_THR_LINE;
            *flags |= 1;
            return 0;
        }
        return perr(src, path, POV_ETYPE,
                    "threshold must be a number, true/false, \"poverty_line\", or a by_year / "
                    "by_region object, not the string \"%s\"", v->valuestring);
    }
    if (!cJSON_IsObject(v))
        return perr(src, path, POV_ETYPE,
                    "threshold must be a number, true/false, \"poverty_line\", or a by_year / "
                    "by_region object");
    const cJSON *times = item(v, "poverty_line_times");
    if (times) { /* {"poverty_line_times": 1.5}: a multiple of the line (§7) */
        char tp[PATH_MAX_LEN];
        sub(tp, path, "poverty_line_times");
        if (v->child->next) {
            const cJSON *other = v->child == times ? v->child->next : v->child;
            sub(tp, path, other->string);
            return perr(src, tp, POV_EUNKNOWN, "'poverty_line_times' stands alone, not with '%s'",
                        other->string);
        }
        if (!cJSON_IsNumber(times))
            return perr(src, tp, POV_ETYPE, "'poverty_line_times' must be a number");
        if (!isfinite(times->valuedouble))
            return perr(src, tp, POV_ENONFINITE, "'poverty_line_times' is not finite");
        if (!(times->valuedouble > 0))
            return perr(src, tp, POV_ERANGE, "'poverty_line_times' must be > 0");
        t->kind = POVI_THR_LINE_TIMES;
        t->value = times->valuedouble;
        *flags |= 1;
        return 0;
    }
    static const char *const allowed[] = {"by_year", "between", "by_region", "default", NULL};
    int r = check_keys(src, path, v, allowed);
    if (r)
        return r;
    const cJSON *by_year = item(v, "by_year"), *by_region = item(v, "by_region");
    if (!!by_year == !!by_region)
        return perr(src, path, POV_ERULE, "a threshold object needs exactly one of 'by_year' "
                                          "and 'by_region'");
    char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
    if (by_year) {
        if (item(v, "default")) {
            sub(p, path, "default");
            return perr(src, p, POV_EUNKNOWN, "'default' belongs to by_region thresholds");
        }
        t->kind = POVI_THR_BY_YEAR;
        const char *between;
        if ((r = get_str(src, path, v, "between", 0, &between)))
            return r;
        if (between && strcmp(between, "step") == 0)
            t->step = 1;
        else if (between && strcmp(between, "error") != 0) {
            sub(p, path, "between");
            return perr(src, p, POV_EUNKNOWN, "'between' must be \"step\" or \"error\"");
        }
        sub(p, path, "by_year");
        if (!cJSON_IsObject(by_year) || !by_year->child)
            return perr(src, p, POV_ETYPE, "'by_year' must be a non-empty object of years");
        size_t n = (size_t)cJSON_GetArraySize(by_year);
        t->years = g_new0(int, n);
        t->items = g_new0(povi_thr, n);
        for (const cJSON *c = by_year->child; c; c = c->next) {
            sub(q, p, c->string);
            int y;
            if (parse_year_text(c->string, &y))
                return perr(src, q, POV_ERANGE, "'%s' is not a year (1949..2100)", c->string);
            /* insertion into the sorted prefix */
            size_t k = t->n;
            while (k > 0 && t->years[k - 1] > y)
                k--;
            if (k > 0 && t->years[k - 1] == y)
                return perr(src, q, POV_EDUPLICATE, "year %d given twice", y);
            memmove(t->years + k + 1, t->years + k, (t->n - k) * sizeof *t->years);
            memmove(t->items + k + 1, t->items + k, (t->n - k) * sizeof *t->items);
            t->years[k] = y;
            t->n++;
            if ((r = parse_thr(src, q, c, &t->items[k], depth + 1, flags)))
                return r;
        }
        return 0;
    }
    if (item(v, "between")) {
        sub(p, path, "between");
        return perr(src, p, POV_EUNKNOWN, "'between' belongs to by_year thresholds");
    }
    t->kind = POVI_THR_BY_REGION;
    sub(p, path, "by_region");
    if (!cJSON_IsObject(by_region))
        return perr(src, p, POV_ETYPE, "'by_region' must be an object of region codes");
    size_t n = (size_t)cJSON_GetArraySize(by_region);
    t->keys = g_new0(char *, n ? n : 1);
    t->items = g_new0(povi_thr, n ? n : 1);
    for (const cJSON *c = by_region->child; c; c = c->next) {
        sub(q, p, c->string);
        if (!c->string[0])
            return perr(src, q, POV_EINVAL, "empty region code");
        for (size_t k = 0; k < t->n; k++)
            if (strcmp(t->keys[k], c->string) == 0)
                return perr(src, q, POV_EDUPLICATE, "region '%s' given twice", c->string);
        t->keys[t->n] = g_strdup(c->string);
        t->n++;
        if ((r = parse_thr(src, q, c, &t->items[t->n - 1], depth + 1, flags)))
            return r;
    }
    const cJSON *d = item(v, "default");
    if (d) {
        sub(p, path, "default");
        t->deflt = g_new0(povi_thr, 1);
        if ((r = parse_thr(src, p, d, t->deflt, depth + 1, flags)))
            return r;
    } else if (t->n == 0) {
        return perr(src, p, POV_ERULE, "'by_region' without entries needs a 'default'");
    }
    return 0;
}

const povi_line *povi_policy_line(const pov_policy *p, int year, const char *const *codes,
                                  size_t n) {
    const povi_line *best = NULL, *national = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < p->n_lines; i++) {
        const povi_line *l = &p->lines[i];
        if (l->year != year)
            continue;
        if (strcmp(l->region, "CN") == 0) {
            national = l;
            continue;
        }
        size_t len = strlen(l->region);
        for (size_t k = 0; k < n; k++)
            if (codes[k] && strncmp(codes[k], l->region, len) == 0 && len > best_len) {
                best = l;
                best_len = len;
            }
    }
    return best ? best : national;
}

int povi_thr_resolve(const pov_policy *p, const povi_thr *t, int year, const char *const *codes,
                     size_t n, double *out, const char **why) {
    switch (t->kind) {
    case POVI_THR_NUMBER:
    case POVI_THR_BOOL:
        *out = t->value;
        return 0;
    case POVI_THR_LINE:
    case POVI_THR_LINE_TIMES: {
        const povi_line *l = povi_policy_line(p, year, codes, n);
        if (!l) {
            *why = "poverty line";
            return POV_ENOTFOUND;
        }
        *out = t->kind == POVI_THR_LINE ? l->amount : t->value * l->amount;
        return 0;
    }
    case POVI_THR_BY_YEAR: {
        size_t k = t->n;
        for (size_t i = 0; i < t->n; i++)
            if (t->years[i] == year || (t->step && t->years[i] <= year))
                k = i;
        if (k == t->n) {
            *why = "year";
            return POV_ENOTFOUND;
        }
        return povi_thr_resolve(p, &t->items[k], year, codes, n, out, why);
    }
    default: { /* BY_REGION: the longest key that prefixes one of the codes */
        size_t best = t->n, best_len = 0;
        for (size_t i = 0; i < t->n; i++) {
            size_t len = strlen(t->keys[i]);
            for (size_t c = 0; c < n; c++)
                if (codes[c] && strncmp(codes[c], t->keys[i], len) == 0 && len > best_len) {
                    best = i;
                    best_len = len;
                }
        }
        if (best < t->n)
            return povi_thr_resolve(p, &t->items[best], year, codes, n, out, why);
        if (t->deflt)
            return povi_thr_resolve(p, t->deflt, year, codes, n, out, why);
        *why = "region";
        return POV_ENOTFOUND;
    }
    }
}

int povi_thr_regional(const pov_policy *p, const povi_thr *t, int year) {
    switch (t->kind) {
    case POVI_THR_LINE:
    case POVI_THR_LINE_TIMES:
        for (size_t i = 0; i < p->n_lines; i++)
            if (p->lines[i].year == year && strcmp(p->lines[i].region, "CN") != 0)
                return 1;
        return 0;
    case POVI_THR_BY_REGION:
        return 1;
    case POVI_THR_BY_YEAR:
        for (size_t i = 0; i < t->n; i++)
            if (povi_thr_regional(p, &t->items[i], year))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* ---- the fast path for simple conditions ------------------------------------ */

static void fast_clear(povi_fast *f) {
    for (size_t i = 0; i < f->n; i++)
        fast_clear(&f->kids[i]);
    g_free(f->kids);
    f->kids = NULL;
    f->n = 0;
}

/* A {"var": "<name>"} node: the household indicator, or NULL. */
static const povi_indicator *fast_var(const pov_schema *schema, const cJSON *node, size_t *idx) {
    if (!cJSON_IsObject(node) || !node->child || node->child->next ||
        strcmp(node->child->string, "var") != 0 || !cJSON_IsString(node->child))
        return NULL;
    const char *name = node->child->valuestring;
    if (!povi_schema_lookup(schema, name, strlen(name), idx))
        return NULL;
    const povi_indicator *ind = povi_schema_get(schema, *idx);
    return ind->level == POV_LEVEL_HOUSEHOLD ? ind : NULL;
}

static int fast_fill(const pov_schema *schema, const cJSON *node, povi_fast *f, int depth) {
    memset(f, 0, sizeof *f);
    if (depth > 16 || !cJSON_IsObject(node) || !node->child || node->child->next)
        return 0;
    const char *op = node->child->string;
    const cJSON *args = node->child;
    static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    static const int flipped[] = {POVI_OP_GT, POVI_OP_GE, POVI_OP_LT, POVI_OP_LE, POVI_OP_EQ,
                                  POVI_OP_NE};
    for (int k = 0; k < 6; k++) {
        if (strcmp(op, ops[k]) != 0)
            continue;
        if (!cJSON_IsArray(args) || cJSON_GetArraySize(args) != 2)
            return 0;
        const cJSON *a = args->child, *b = a->next;
        int o = k;
        size_t idx;
        const povi_indicator *ind = fast_var(schema, a, &idx);
        if (!ind) {
            ind = fast_var(schema, b, &idx);
            const cJSON *t = a;
            a = b;
            b = t;
            o = flipped[k];
        }
        if (!ind)
            return 0;
        if (ind->type == POV_TYPE_CATEGORY && cJSON_IsString(b) && (o == POVI_OP_EQ || o == POVI_OP_NE)) {
            int32_t code = povi_schema_code_lookup(schema, idx, b->valuestring,
                                                   strlen(b->valuestring));
            if (code < 0 || code >= 64)
                return 0;
            f->kind = POVI_FAST_IN;
            f->col = (int32_t)idx;
            f->codes = UINT64_C(1) << code;
            if (o == POVI_OP_NE) { /* != code: not (in [code]) */
                povi_fast in = *f;
                memset(f, 0, sizeof *f);
                f->kind = POVI_FAST_NOT;
                f->n = 1;
                f->kids = g_new0(povi_fast, 1);
                f->kids[0] = in;
            }
            return 1;
        }
        if (ind->type == POV_TYPE_CATEGORY || ind->type == POV_TYPE_TEXT)
            return 0;
        double v;
        if (cJSON_IsBool(b) && ind->type == POV_TYPE_BOOLEAN)
            v = cJSON_IsTrue(b) ? 1.0 : 0.0;
        else if (cJSON_IsNumber(b) && ind->type != POV_TYPE_BOOLEAN && isfinite(b->valuedouble))
            v = b->valuedouble;
        else
            return 0;
        f->kind = POVI_FAST_CMP;
        f->op = o;
        f->col = (int32_t)idx;
        f->k = v;
        return 1;
    }
    if (strcmp(op, "in") == 0) {
        if (!cJSON_IsArray(args) || cJSON_GetArraySize(args) != 2)
            return 0;
        size_t idx;
        const povi_indicator *ind = fast_var(schema, args->child, &idx);
        const cJSON *list = args->child->next;
        if (!ind || ind->type != POV_TYPE_CATEGORY || !cJSON_IsArray(list))
            return 0;
        f->kind = POVI_FAST_IN;
        f->col = (int32_t)idx;
        for (const cJSON *c = list->child; c; c = c->next) {
            if (!cJSON_IsString(c))
                return 0;
            int32_t code = povi_schema_code_lookup(schema, idx, c->valuestring,
                                                   strlen(c->valuestring));
            if (code < 0 || code >= 64)
                return 0;
            f->codes |= UINT64_C(1) << code;
        }
        return 1;
    }
    int is_and = strcmp(op, "and") == 0, is_or = strcmp(op, "or") == 0;
    int is_not = strcmp(op, "!") == 0;
    if (!is_and && !is_or && !is_not)
        return 0;
    const cJSON *first = cJSON_IsArray(args) ? args->child : args;
    size_t n = cJSON_IsArray(args) ? (size_t)cJSON_GetArraySize(args) : 1;
    if (n == 0 || (is_not && n != 1))
        return 0;
    f->kind = is_and ? POVI_FAST_AND : is_or ? POVI_FAST_OR : POVI_FAST_NOT;
    f->kids = g_new0(povi_fast, n);
    for (const cJSON *c = first; c && f->n < n; c = c->next) {
        if (!fast_fill(schema, c, &f->kids[f->n], depth + 1)) {
            fast_clear(f);
            return 0;
        }
        f->n++;
    }
    return 1;
}

void povi_fast_free(povi_fast *f) {
    if (!f)
        return;
    fast_clear(f);
    g_free(f);
}

povi_fast *povi_fast_build(const pov_schema *schema, const cJSON *node) {
    povi_fast *f = g_new0(povi_fast, 1);
    if (!fast_fill(schema, node, f, 0)) {
        fast_clear(f);
        g_free(f);
        return NULL;
    }
    return f;
}

/* ---- criteria ------------------------------------------------------------- */

static void crit_clear(povi_pcrit *c) {
    g_free(c->id);
    g_free(c->label_zh);
    g_free(c->label_en);
    g_free(c->source);
    g_free(c->dimension);
    g_free(c->group);
    g_free(c->note);
    pov_condition_free(c->cond);
    povi_fast_free(c->fast);
    for (size_t i = 0; i < c->n_tests; i++) {
        pov_condition_free(c->tests[i].expr);
        povi_fast_free(c->tests[i].fast);
        g_free(c->tests[i].input);
        thr_clear(&c->tests[i].thr);
    }
    g_free(c->tests);
}

static const povi_source *find_source(const pov_policy *p, const char *id) {
    for (size_t i = 0; i < p->n_sources; i++)
        if (strcmp(p->sources[i].id, id) == 0)
            return &p->sources[i];
    return NULL;
}

static void note_inputs(povi_pcrit *c, const pov_condition *cond) {
    size_t n;
    const int32_t *in = povi_condition_inputs(cond, &n);
    if (n && in[n - 1] > c->max_input)
        c->max_input = in[n - 1];
}

/* Compiles a condition node at @p path; requires a boolean (or, when
 * @p numeric_ok, a number) result. */
static int compile_cond(const pov_policy *p, const povi_json_src *src, const char *path,
                        const cJSON *node, int numeric_ok, pov_condition **out) {
    povi_json_src s = src ? *src : no_src;
    s.base_path = path;
    int r = povi_condition_compile_node(p->schema, node, &s, out);
    if (r)
        return r;
    int t = pov_condition_result_type(*out);
    if (t == POV_COND_TYPE_BOOLEAN || (numeric_ok && t == POV_COND_TYPE_NUMBER))
        return 0;
    pov_condition_free(*out);
    *out = NULL;
    return perr(src, path, POV_ETYPE, "the expression must give %s",
                numeric_ok ? "a number or a boolean" : "a boolean");
}

static int parse_test(const pov_policy *p, int level, const povi_json_src *src, const char *path,
                      const cJSON *v, const povi_pcrit *hh, size_t n_hh, povi_ptest *t) {
    char q[PATH_MAX_LEN];
    int r;
    t->hh_crit = -1;
    t->direct = -1;
    if (!cJSON_IsObject(v))
        return perr(src, path, POV_ETYPE, "a test must be an object");
    if (POVI_HH_LEVEL(level)) {
        static const char *const allowed[] = {"value", "op", "threshold", NULL};
        if ((r = check_keys(src, path, v, allowed)))
            return r;
        t->kind = POVI_TEST_VALUE;
        const cJSON *val = item(v, "value");
        if (!val)
            return perr(src, path, POV_EMISSING, "'value' is required");
        sub(q, path, "value");
        if ((r = compile_cond(p, src, q, val, 1, &t->expr)))
            return r;
        /* fast path: a plain household number is read from its column */
        const cJSON *var = cJSON_IsObject(val) && val->child && !val->child->next
                               ? item(val, "var") : NULL;
        size_t idx;
        if (var && cJSON_IsString(var) &&
            povi_schema_lookup(p->schema, var->valuestring, strlen(var->valuestring), &idx)) {
            const povi_indicator *ind = povi_schema_get(p->schema, idx);
            if (ind->level == POV_LEVEL_HOUSEHOLD &&
                (ind->type == POV_TYPE_NUMBER || ind->type == POV_TYPE_INTEGER))
                t->direct = (int32_t)idx;
        }
    } else {
        static const char *const allowed[] = {"kind", "among", "household_criterion",
                                              "condition", "input", "op", "threshold", NULL};
        if ((r = check_keys(src, path, v, allowed)))
            return r;
        const char *kind, *among, *hc, *input;
        if ((r = get_str(src, path, v, "kind", 1, &kind)))
            return r;
        sub(q, path, "kind");
        if (strcmp(kind, "share") == 0)
            t->kind = POVI_TEST_SHARE;
        else if (strcmp(kind, "incidence") == 0)
            t->kind = POVI_TEST_INCIDENCE;
        else if (strcmp(kind, "input") == 0)
            t->kind = POVI_TEST_INPUT;
        else
            return perr(src, q, POV_EUNKNOWN,
                        "unknown test kind '%s' (expected share, incidence or input)", kind);
        static const char *const only_share[] = {"among", "household_criterion", "condition"};
        for (size_t k = 0; k < 3; k++)
            if (t->kind != POVI_TEST_SHARE && item(v, only_share[k])) {
                sub(q, path, only_share[k]);
                return perr(src, q, POV_EUNKNOWN, "'%s' belongs to share tests", only_share[k]);
            }
        if (t->kind != POVI_TEST_INPUT && item(v, "input")) {
            sub(q, path, "input");
            return perr(src, q, POV_EUNKNOWN, "'input' belongs to input tests");
        }
        if (t->kind == POVI_TEST_SHARE) {
            if ((r = get_str(src, path, v, "among", 1, &among)))
                return r;
            if (strcmp(among, "poor") == 0)
                t->among_poor = 1;
            else if (strcmp(among, "all") != 0) {
                sub(q, path, "among");
                return perr(src, q, POV_EUNKNOWN, "'among' must be \"all\" or \"poor\"");
            }
            if ((r = get_str(src, path, v, "household_criterion", 0, &hc)))
                return r;
            const cJSON *cond = item(v, "condition");
            if (!!hc == !!cond)
                return perr(src, path, POV_ERULE, "a share test needs exactly one of "
                                                  "'household_criterion' and 'condition'");
            if (hc) {
                for (size_t k = 0; k < n_hh; k++)
                    if (strcmp(hh[k].id, hc) == 0)
                        t->hh_crit = (int)k;
                if (t->hh_crit < 0) {
                    sub(q, path, "household_criterion");
                    return perr(src, q, POV_ENOTFOUND, "no household criterion '%s'", hc);
                }
            } else {
                sub(q, path, "condition");
                if ((r = compile_cond(p, src, q, cond, 0, &t->expr)))
                    return r;
                t->fast = povi_fast_build(p->schema, cond);
            }
        } else if (t->kind == POVI_TEST_INPUT) {
            if ((r = get_str(src, path, v, "input", 1, &input)))
                return r;
            t->input = g_strdup(input);
        }
    }
    if ((r = parse_op(src, path, v, &t->op)))
        return r;
    const cJSON *thr = item(v, "threshold");
    if (!thr)
        return perr(src, path, POV_EMISSING, "'threshold' is required");
    sub(q, path, "threshold");
    int flags = 0;
    if ((r = parse_thr(src, q, thr, &t->thr, 0, &flags)))
        return r;
    if (flags == 3)
        return perr(src, q, POV_ETYPE, "a threshold cannot mix numbers and booleans");
    t->want_bool = flags == 2;
    if (t->want_bool && t->op != POVI_OP_EQ && t->op != POVI_OP_NE)
        return perr(src, q, POV_ETYPE, "a boolean threshold needs == or !=");
    if (t->want_bool && (t->kind == POVI_TEST_SHARE || t->kind == POVI_TEST_INCIDENCE))
        return perr(src, q, POV_ETYPE, "a %s threshold must be a number",
                    t->kind == POVI_TEST_SHARE ? "share" : "incidence");
    if (t->kind == POVI_TEST_VALUE) {
        int is_bool = pov_condition_result_type(t->expr) == POV_COND_TYPE_BOOLEAN;
        if (is_bool != t->want_bool)
            return perr(src, q, POV_ETYPE, "the value is a %s but the threshold is a %s",
                        is_bool ? "boolean" : "number", t->want_bool ? "boolean" : "number");
    }
    return 0;
}

/* `reason` (a declared code, optional) and `groups` (non-empty array of group
 * ids, default all three) of a monitoring trigger (§12). */
static int parse_monitoring_fields(const pov_policy *p, const povi_json_src *src,
                                   const char *path, const cJSON *v, povi_pcrit *c) {
    char q[PATH_MAX_LEN];
    const char *reason;
    int r = get_str(src, path, v, "reason", 0, &reason);
    if (r)
        return r;
    if (reason) {
        for (size_t k = 0; k < p->n_reasons; k++)
            if (strcmp(p->reasons[k], reason) == 0)
                c->reason = (int)k;
        if (c->reason < 0) {
            sub(q, path, "reason");
            return perr(src, q, POV_ENOTFOUND,
                        "reason '%s' is not in monitoring_reasons", reason);
        }
    }
    const cJSON *g = item(v, "groups");
    if (!g) {
        c->groups = (1u << POVI_NGROUPS) - 1;
        return 0;
    }
    sub(q, path, "groups");
    if (!cJSON_IsArray(g) || !g->child)
        return perr(src, q, POV_ETYPE, "'groups' must be a non-empty array of group ids");
    size_t i = 0;
    for (const cJSON *e = g->child; e; e = e->next, i++) {
        char qi[PATH_MAX_LEN];
        POVI_SNPRINTF(qi, sizeof qi, "%s[%zu]", q, i);
        if (!cJSON_IsString(e))
            return perr(src, qi, POV_ETYPE, "a group id must be a string");
        int k = -1;
        for (int j = 0; j < POVI_NGROUPS; j++)
            if (strcmp(group_names[j], e->valuestring) == 0)
                k = j;
        if (k < 0)
            return perr(src, qi, POV_EUNKNOWN,
                        "unknown monitoring group '%s' (unstable_exited, marginal, "
                        "sudden_hardship)", e->valuestring);
        c->groups |= 1u << k;
    }
    return 0;
}

static int parse_crit(const pov_policy *p, int level, const povi_json_src *src,
                      const char *path, const cJSON *v, const povi_pcrit *hh, size_t n_hh,
                      povi_pcrit *c) {
    memset(c, 0, sizeof *c);
    c->dim = -1;
    c->max_input = -1;
    if (!cJSON_IsObject(v))
        return perr(src, path, POV_ETYPE, "a criterion must be an object");
    static const char *const hh_allowed[] = {"id", "label", "source", "dimension", "group",
                                             "note", "illustrative", "condition", "tests",
                                             NULL};
    static const char *const unit_allowed[] = {"id",   "label", "source", "group", "note",
                                               "illustrative", "tests", NULL};
    static const char *const mon_allowed[] = {"id",   "label", "source", "reason", "groups",
                                              "note", "illustrative", "condition", "tests",
                                              NULL};
    static const char *const elim_allowed[] = {"id",   "label", "source", "note",
                                               "illustrative", "condition", "tests", NULL};
    c->reason = -1;
    int r = check_keys(src, path, v,
                       level == POV_POLICY_HOUSEHOLD    ? hh_allowed
                       : level == POV_POLICY_MONITORING ? mon_allowed
                       : level == POV_POLICY_ELIMINATION ? elim_allowed
                                                         : unit_allowed);
    if (r)
        return r;
    const char *id, *source, *dim, *group, *note;
    char q[PATH_MAX_LEN];
    if ((r = get_str(src, path, v, "id", 1, &id)))
        return r;
    if (!povi_valid_id(id)) {
        sub(q, path, "id");
        return perr(src, q, POV_EINVAL, "criterion id '%s' must match [a-z][a-z0-9_]* "
                                        "(at most 64 bytes)", id);
    }
    c->id = g_strdup(id);
    if ((r = get_label(src, path, v, "label", 0, &c->label_zh, &c->label_en)))
        return r;
    if ((r = get_str(src, path, v, "source", 1, &source)))
        return r;
    const povi_source *s = find_source(p, source);
    if (!s) {
        sub(q, path, "source");
        return perr(src, q, POV_ENOTFOUND, "no source '%s' in provenance.sources", source);
    }
    c->source = g_strdup(s->display);
    if ((r = get_str(src, path, v, "group", 0, &group)) ||
        (r = get_str(src, path, v, "note", 0, &note)))
        return r;
    c->group = g_strdup(group ? group : "");
    c->note = g_strdup(note ? note : "");
    const cJSON *ill = item(v, "illustrative");
    if (ill && !cJSON_IsBool(ill)) {
        sub(q, path, "illustrative");
        return perr(src, q, POV_ETYPE, "'illustrative' must be true or false");
    }
    if (level == POV_POLICY_MONITORING && (r = parse_monitoring_fields(p, src, path, v, c)))
        return r;
    if (POVI_HH_LEVEL(level)) {
        if ((r = get_str(src, path, v, "dimension", 0, &dim)))
            return r;
        if (!dim)
            dim = level == POV_POLICY_HOUSEHOLD ? "other" : "";
        for (size_t k = 0; k < N_DIMS; k++)
            if (strcmp(dim, dim_names[k]) == 0)
                c->dim = k < POV_TT_COUNT ? (int)k : -1;
        if (c->dim < 0 && strcmp(dim, "income") != 0 && strcmp(dim, "other") != 0 && dim[0]) {
            sub(q, path, "dimension");
            return perr(src, q, POV_EUNKNOWN,
                        "unknown dimension '%s' (food, clothing, education, medical, housing, "
                        "water, income, other)", dim);
        }
        c->dimension = g_strdup(dim);
        const cJSON *cond = item(v, "condition");
        if (cond) {
            sub(q, path, "condition");
            if ((r = compile_cond(p, src, q, cond, 0, &c->cond)))
                return r;
            note_inputs(c, c->cond);
            c->fast = povi_fast_build(p->schema, cond);
        }
    } else {
        c->dimension = g_strdup("");
    }
    const cJSON *tests = item(v, "tests");
    if (tests) {
        sub(q, path, "tests");
        if (!cJSON_IsArray(tests))
            return perr(src, q, POV_ETYPE, "'tests' must be an array");
        c->n_tests = (size_t)cJSON_GetArraySize(tests);
        c->tests = g_new0(povi_ptest, c->n_tests ? c->n_tests : 1);
        size_t i = 0;
        for (const cJSON *t = tests->child; t; t = t->next, i++) {
            char tp[PATH_MAX_LEN];
            subi(tp, path, "tests", i);
            c->tests[i].hh_crit = -1;
            if ((r = parse_test(p, level, src, tp, t, hh, n_hh, &c->tests[i])))
                return r;
            if (c->tests[i].expr)
                note_inputs(c, c->tests[i].expr);
        }
    }
    if (!c->cond && c->n_tests == 0)
        return perr(src, path, POV_ERULE, "criterion '%s' has neither a condition nor tests",
                    c->id);
    return 0;
}

/* ---- resolution ------------------------------------------------------------- */

/* Applies an override to a criterion: each field given replaces the
 * parent's field as a whole (a condition or a label is not merged key by
 * key), null removes it. Consumes @p target. */
static cJSON *apply_override(cJSON *target, const cJSON *patch) {
    for (const cJSON *m = patch->child; m; m = m->next) {
        if (cJSON_IsNull(m)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
            continue;
        }
        cJSON *nv = cJSON_Duplicate(m, 1);
        if (cJSON_GetObjectItemCaseSensitive(target, m->string))
            cJSON_ReplaceItemInObjectCaseSensitive(target, m->string, nv);
        else
            cJSON_AddItemToObject(target, m->string, nv);
    }
    return target;
}

/* Where a resolved item came from: the child document (path in its text) or
 * the parent (path NULL). */
typedef struct origin {
    cJSON *node;  /* inside the resolved document */
    char *path;   /* NULL: inherited */
} origin;

static void origins_free(GArray *a) {
    if (!a)
        return;
    for (guint i = 0; i < a->len; i++)
        g_free(g_array_index(a, origin, i).path);
    g_array_free(a, TRUE);
}

static void policy_destroy(pov_policy *p) {
    g_free(p->id);
    g_free(p->title_zh);
    g_free(p->title_en);
    g_free(p->version);
    g_free(p->region);
    g_free(p->inherits);
    cJSON_Delete(p->resolved);
    pov_schema_free(p->schema);
    for (size_t i = 0; i < p->n_sources; i++) {
        g_free(p->sources[i].id);
        g_free(p->sources[i].status);
        g_free(p->sources[i].citation);
        g_free(p->sources[i].display);
    }
    g_free(p->sources);
    for (size_t i = 0; i < p->n_lines; i++) {
        g_free(p->lines[i].region);
        g_free(p->lines[i].source);
    }
    g_free(p->lines);
    pov_condition_free(p->poor);
    povi_fast_free(p->poor_fast);
    for (int l = 0; l < POVI_NLEVELS; l++) {
        for (size_t i = 0; i < p->n_crit[l]; i++)
            crit_clear(&p->crit[l][i]);
        g_free(p->crit[l]);
    }
    for (size_t i = 0; i < p->n_reasons; i++)
        g_free(p->reasons[i]);
    g_free(p->reasons);
    for (int g = 0; g < POVI_NGROUPS; g++)
        pov_condition_free(p->group_cond[g]);
    g_free(p);
}

const pov_policy *povi_policy_ref(const pov_policy *p) {
    if (p)
        g_atomic_int_inc(&((pov_policy *)p)->refcount);
    return p;
}

void pov_policy_free(const pov_policy *policy) {
    if (policy && g_atomic_int_dec_and_test(&((pov_policy *)policy)->refcount))
        policy_destroy((pov_policy *)policy);
}

static int add_sources(pov_policy *p, const povi_json_src *src, const cJSON *prov,
                       cJSON *resolved_sources) {
    char path[PATH_MAX_LEN];
    static const char *const allowed[] = {"summary", "sources", NULL};
    if (!cJSON_IsObject(prov))
        return perr(src, "provenance", POV_ETYPE, "'provenance' must be an object");
    int r = check_keys(src, "provenance", prov, allowed);
    const char *summary;
    if (r || (r = get_str(src, "provenance", prov, "summary", 1, &summary)))
        return r;
    const cJSON *sources = item(prov, "sources");
    if (!sources)
        return perr(src, "provenance", POV_EMISSING, "'sources' is required");
    if (!cJSON_IsArray(sources))
        return perr(src, "provenance.sources", POV_ETYPE, "'sources' must be an array");
    size_t n = (size_t)cJSON_GetArraySize(sources);
    p->sources = g_renew(povi_source, p->sources, p->n_sources + n + 1);
    size_t i = 0;
    for (const cJSON *s = sources->child; s; s = s->next, i++) {
        subi(path, "provenance", "sources", i);
        if (!cJSON_IsObject(s))
            return perr(src, path, POV_ETYPE, "a source must be an object");
        static const char *const sallowed[] = {"id", "status", "citation", "url", NULL};
        const char *id, *status, *citation, *url;
        if ((r = check_keys(src, path, s, sallowed)) ||
            (r = get_str(src, path, s, "id", 1, &id)) ||
            (r = get_str(src, path, s, "status", 1, &status)) ||
            (r = get_str(src, path, s, "citation", 1, &citation)) ||
            (r = get_str(src, path, s, "url", 0, &url)))
            return r;
        char q[PATH_MAX_LEN];
        if (find_source(p, id)) {
            sub(q, path, "id");
            return perr(src, q, POV_EDUPLICATE, "source '%s' is already defined", id);
        }
        if (strcmp(status, "confirmed") && strcmp(status, "weak") &&
            strcmp(status, "approximate") && strcmp(status, "illustrative")) {
            sub(q, path, "status");
            return perr(src, q, POV_EUNKNOWN, "unknown status '%s' (confirmed, weak, approximate, "
                                              "illustrative)", status);
        }
        povi_source *ps = &p->sources[p->n_sources++];
        ps->id = g_strdup(id);
        ps->status = g_strdup(status);
        ps->citation = g_strdup(citation);
        ps->display = g_strdup_printf("%s [%s]", citation, status);
        cJSON_AddItemToArray(resolved_sources, cJSON_Duplicate(s, 1));
    }
    return 0;
}

static int parse_line(pov_policy *p, const povi_json_src *src, const char *path, const cJSON *v,
                      povi_line *out) {
    if (!cJSON_IsObject(v))
        return perr(src, path, POV_ETYPE, "a poverty line must be an object");
    static const char *const allowed[] = {"year", "region", "amount", "source", "note", NULL};
    int r = check_keys(src, path, v, allowed);
    const char *region, *source, *note;
    if (r || (r = get_str(src, path, v, "region", 1, &region)) ||
        (r = get_str(src, path, v, "source", 1, &source)) ||
        (r = get_str(src, path, v, "note", 0, &note)))
        return r;
    char q[PATH_MAX_LEN];
    const cJSON *y = item(v, "year"), *a = item(v, "amount");
    if (!y)
        return perr(src, path, POV_EMISSING, "'year' is required");
    if (!a)
        return perr(src, path, POV_EMISSING, "'amount' is required");
    sub(q, path, "year");
    if (!cJSON_IsNumber(y) || y->valuedouble != floor(y->valuedouble))
        return perr(src, q, POV_ETYPE, "'year' must be an integer");
    if (y->valuedouble < 1949 || y->valuedouble > 2100)
        return perr(src, q, POV_ERANGE, "year %g outside 1949..2100", y->valuedouble);
    sub(q, path, "amount");
    if (!cJSON_IsNumber(a))
        return perr(src, q, POV_ETYPE, "'amount' must be a number");
    if (!isfinite(a->valuedouble))
        return perr(src, q, POV_ENONFINITE, "'amount' is not finite");
    if (a->valuedouble <= 0)
        return perr(src, q, POV_ERANGE, "'amount' must be > 0");
    const povi_source *s = find_source(p, source);
    if (!s) {
        sub(q, path, "source");
        return perr(src, q, POV_ENOTFOUND, "no source '%s' in provenance.sources", source);
    }
    out->year = (int)y->valuedouble;
    out->region = g_strdup(region);
    out->amount = a->valuedouble;
    out->source = g_strdup(s->display);
    return 0;
}

static int parse_income(pov_policy *p, const povi_json_src *src, const cJSON *v) {
    const char *path = "income_definition";
    if (!cJSON_IsObject(v))
        return perr(src, path, POV_ETYPE, "'income_definition' must be an object");
    static const char *const allowed[] = {"components", "excluded", "subtract_production_costs",
                                          "divide_by", "source", NULL};
    int r = check_keys(src, path, v, allowed);
    const char *div, *source;
    if (r || (r = get_str(src, path, v, "divide_by", 1, &div)) ||
        (r = get_str(src, path, v, "source", 1, &source)))
        return r;
    if (strcmp(div, "household_size") != 0)
        return perr(src, "income_definition.divide_by", POV_EUNKNOWN,
                    "'divide_by' must be \"household_size\"");
    if (!find_source(p, source))
        return perr(src, "income_definition.source", POV_ENOTFOUND,
                    "no source '%s' in provenance.sources", source);
    static const char *const comp_names[] = {"wage", "operating", "property", "transfer",
                                             "other", NULL};
    static const unsigned comp_flags[] = {POV_INCOME_WAGE, POV_INCOME_OPERATING,
                                          POV_INCOME_PROPERTY, POV_INCOME_TRANSFER,
                                          POV_INCOME_OTHER};
    static const char *const excl_names[] = {"basic_pension", "dibao_c", "temporary_relief",
                                             NULL};
    static const unsigned excl_flags[] = {POV_INCOME_EXCL_BASIC_PENSION, POV_INCOME_EXCL_DIBAO_C,
                                          POV_INCOME_EXCL_TEMP_RELIEF};
    pov_derive_options_init(&p->derive);
    for (int pass = 0; pass < 2; pass++) {
        const char *key = pass ? "excluded" : "components";
        const char *const *names = pass ? excl_names : comp_names;
        const unsigned *flags = pass ? excl_flags : comp_flags;
        unsigned acc = 0;
        char q[PATH_MAX_LEN], e[PATH_MAX_LEN];
        sub(q, path, key);
        const cJSON *arr = item(v, key);
        if (!arr)
            return perr(src, path, POV_EMISSING, "'%s' is required", key);
        if (!cJSON_IsArray(arr) || (!pass && !arr->child))
            return perr(src, q, POV_ETYPE, "'%s' must be a%s array of names", key,
                        pass ? "n" : " non-empty");
        size_t i = 0;
        for (const cJSON *c = arr->child; c; c = c->next, i++) {
            subi(e, q, NULL, i);
            if (!cJSON_IsString(c))
                return perr(src, e, POV_ETYPE, "expected a name");
            int k = -1;
            for (int j = 0; names[j]; j++)
                if (strcmp(names[j], c->valuestring) == 0)
                    k = j;
            if (k < 0)
                return perr(src, e, POV_EUNKNOWN, "unknown %s '%s'",
                            pass ? "excluded item" : "income component", c->valuestring);
            if (acc & flags[k])
                return perr(src, e, POV_EDUPLICATE, "'%s' listed twice", c->valuestring);
            acc |= flags[k];
        }
        if (pass)
            p->derive.income_exclusions = acc;
        else
            p->derive.income_components = acc;
    }
    const cJSON *spc = item(v, "subtract_production_costs");
    if (!spc)
        return perr(src, path, POV_EMISSING, "'subtract_production_costs' is required");
    if (!cJSON_IsBool(spc))
        return perr(src, "income_definition.subtract_production_costs", POV_ETYPE,
                    "'subtract_production_costs' must be true or false");
    p->derive.subtract_production_costs = cJSON_IsTrue(spc);
    return 0;
}

/* Builds the schema from the resolved indicators; remaps error paths to the
 * child document (the child's indicators follow the parent's). */
static int build_schema(pov_policy *p, const povi_json_src *src, const cJSON *inds,
                        size_t n_parent) {
    if (!inds || !inds->child) {
        p->schema = pov_schema_core();
        return 0;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format", "povmetrics.schema/1");
    cJSON_AddStringToObject(doc, "name", p->id);
    cJSON_AddItemToObject(doc, "indicators", cJSON_Duplicate(inds, 1));
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        return povi_error(POV_ENOMEM, "out of memory");
    pov_schema *s = NULL;
    int r = pov_schema_load_string(text, strlen(text), src && src->source ? src->source : "",
                                   &s);
    free(text);
    if (r == 0) {
        p->schema = s;
        return 0;
    }
    const pov_error *e = pov_error_last();
    char *msg = g_strdup(pov_error_message(e));
    const char *ep = pov_error_path(e);
    char np[PATH_MAX_LEN];
    unsigned long k;
    char *rest = NULL;
    int inherited = 0;
    if (strncmp(ep, "indicators[", 11) == 0 && (k = strtoul(ep + 11, &rest, 10), *rest == ']')) {
        if (k >= n_parent)
            POVI_SNPRINTF(np, sizeof np, "indicators[%lu%s", k - n_parent, rest);
        else
            {
            inherited = 1;
            POVI_SNPRINTF(np, sizeof np, "%s", ep);
        }
    } else {
        POVI_SNPRINTF(np, sizeof np, "indicators");
    }
    r = perr(inherited ? NULL : src, np, r, "%s", msg);
    g_free(msg);
    return r;
}

/* `monitoring_reasons` (accumulated from the parent) and `monitoring_groups`
 * (the child's entry for a group replaces the parent's, null removes it);
 * written to the resolved document @p R (§12). */
static int parse_monitoring(pov_policy *p, const povi_json_src *src, const cJSON *root,
                            const cJSON *PR, cJSON *R) {
    char q[PATH_MAX_LEN];
    int r;
    const cJSON *pr = PR ? item(PR, "monitoring_reasons") : NULL;
    const cJSON *cr = item(root, "monitoring_reasons");
    if (cr && !cJSON_IsArray(cr))
        return perr(src, "monitoring_reasons", POV_ETYPE,
                    "'monitoring_reasons' must be an array of codes");
    size_t cap = (size_t)cJSON_GetArraySize(pr) + (size_t)cJSON_GetArraySize(cr) + 1;
    p->reasons = g_new0(char *, cap);
    cJSON *rr = cJSON_CreateArray();
    cJSON_AddItemToObject(R, "monitoring_reasons", rr);
    for (const cJSON *e = pr ? pr->child : NULL; e; e = e->next) {
        p->reasons[p->n_reasons++] = g_strdup(e->valuestring);
        cJSON_AddItemToArray(rr, cJSON_CreateString(e->valuestring));
    }
    size_t n_inherited = p->n_reasons, i = 0;
    for (const cJSON *e = cr ? cr->child : NULL; e; e = e->next, i++) {
        POVI_SNPRINTF(q, sizeof q, "monitoring_reasons[%zu]", i);
        if (!cJSON_IsString(e))
            return perr(src, q, POV_ETYPE, "a reason code must be a string");
        if (!povi_valid_id(e->valuestring))
            return perr(src, q, POV_EINVAL, "reason code '%s' must match [a-z][a-z0-9_]*",
                        e->valuestring);
        size_t k = p->n_reasons;
        for (size_t j = 0; j < p->n_reasons; j++)
            if (strcmp(p->reasons[j], e->valuestring) == 0)
                k = j;
        if (k < n_inherited)
            continue; /* already declared by an ancestor */
        if (k < p->n_reasons)
            return perr(src, q, POV_EDUPLICATE, "reason '%s' is declared twice", e->valuestring);
        p->reasons[p->n_reasons++] = g_strdup(e->valuestring);
        cJSON_AddItemToArray(rr, cJSON_CreateString(e->valuestring));
    }
    const cJSON *pg = PR ? item(PR, "monitoring_groups") : NULL;
    const cJSON *cg = item(root, "monitoring_groups");
    if (cg && !cJSON_IsObject(cg))
        return perr(src, "monitoring_groups", POV_ETYPE, "'monitoring_groups' must be an object");
    for (const cJSON *e = cg ? cg->child : NULL; e; e = e->next) {
        int k = -1;
        for (int j = 0; j < POVI_NGROUPS; j++)
            if (strcmp(group_names[j], e->string) == 0)
                k = j;
        if (k < 0) {
            sub(q, "monitoring_groups", e->string);
            return perr(src, q, POV_EUNKNOWN,
                        "unknown monitoring group '%s' (unstable_exited, marginal, "
                        "sudden_hardship)", e->string);
        }
    }
    cJSON *rg = cJSON_CreateObject();
    cJSON_AddItemToObject(R, "monitoring_groups", rg);
    for (int g = 0; g < POVI_NGROUPS; g++) {
        p->group_max_input[g] = -1;
        const cJSON *own = cg ? item(cg, group_names[g]) : NULL;
        const cJSON *use = own ? own : (pg ? item(pg, group_names[g]) : NULL);
        if (!use || cJSON_IsNull(use))
            continue;
        char gp[PATH_MAX_LEN];
        sub(gp, "monitoring_groups", group_names[g]);
        const povi_json_src *s = own ? src : NULL;
        if (!cJSON_IsObject(use))
            return perr(s, gp, POV_ETYPE, "a monitoring group must be an object "
                                          "{\"condition\", \"source\", \"note\"?}");
        static const char *const allowed[] = {"condition", "source", "note", NULL};
        if ((r = check_keys(s, gp, use, allowed)))
            return r;
        const char *source, *note;
        if ((r = get_str(s, gp, use, "source", 1, &source)) ||
            (r = get_str(s, gp, use, "note", 0, &note)))
            return r;
        if (!find_source(p, source)) {
            sub(q, gp, "source");
            return perr(s, q, POV_ENOTFOUND, "no source '%s' in provenance.sources", source);
        }
        const cJSON *cond = item(use, "condition");
        if (!cond)
            return perr(s, gp, POV_EMISSING, "'condition' is required");
        sub(q, gp, "condition");
        if ((r = compile_cond(p, s, q, cond, 0, &p->group_cond[g])))
            return r;
        size_t n;
        const int32_t *in = povi_condition_inputs(p->group_cond[g], &n);
        if (n)
            p->group_max_input[g] = in[n - 1];
        cJSON_AddItemToObject(rg, group_names[g], cJSON_Duplicate(use, 1));
    }
    return 0;
}

static int compile_level(pov_policy *p, int level, GArray *orig, const povi_json_src *src) {
    p->n_crit[level] = orig->len;
    p->crit[level] = g_new0(povi_pcrit, orig->len ? orig->len : 1);
    for (guint i = 0; i < orig->len; i++) {
        origin *o = &g_array_index(orig, origin, i);
        char path[PATH_MAX_LEN];
        POVI_SNPRINTF(path, sizeof path, "%s", o->path ? o->path : level_names[level]);
        int r = parse_crit(p, level, o->path ? src : NULL, path, o->node, p->crit[POV_POLICY_HOUSEHOLD],
                           level == POV_POLICY_HOUSEHOLD ? i : p->n_crit[POV_POLICY_HOUSEHOLD],
                           &p->crit[level][i]);
        if (r)
            return r;
        for (guint j = 0; j < i; j++)
            if (strcmp(p->crit[level][j].id, p->crit[level][i].id) == 0) {
                char q[PATH_MAX_LEN];
                sub(q, path, "id");
                return perr(o->path ? src : NULL, q, POV_EDUPLICATE,
                            "criterion '%s' is already defined at the %s level (use overrides "
                            "to change an inherited criterion)",
                            p->crit[level][i].id, level_names[level]);
            }
    }
    return 0;
}

static int load_doc(const char *json, size_t len, const char *source,
                    const pov_policy_load_options *opts, pov_policy **out) {
    cJSON *root = NULL;
    int r = povi_json_parse(json, len, source, 2 * POVI_COND_MAX_DEPTH + 16, &root);
    if (r)
        return r;
    povi_json_src srcv = {source, json, len, "", 0, 0};
    const povi_json_src *src = &srcv;
    pov_policy *p = g_new0(pov_policy, 1);
    p->refcount = 1;
    const pov_policy *parent = NULL;
    GArray *orig[POVI_NLEVELS] = {NULL};
    cJSON *R = cJSON_CreateObject();
    p->resolved = R;

    if (!cJSON_IsObject(root)) {
        r = perr(src, "", POV_ETYPE, "a policy document must be a JSON object");
        goto fail;
    }
    const cJSON *fmt = item(root, "format");
    if (!fmt) {
        r = perr(src, "", POV_EFORMAT, "missing \"format\": \"povmetrics.policy/1\"");
        goto fail;
    }
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "povmetrics.policy/1") != 0) {
        r = perr(src, "format", POV_EFORMAT, "unsupported format (expected "
                                              "\"povmetrics.policy/1\")");
        goto fail;
    }
    static const char *const allowed[] = {
        "format",         "id",        "title",        "version",   "region",
        "inherits",       "provenance", "indicators",  "poverty_lines", "income_definition",
        "poor_household", "household", "village",      "county",    "overrides",
        "monitoring_reasons", "monitoring_groups", "monitoring", "risk_elimination", NULL};
    if ((r = check_keys(src, "", root, allowed)))
        goto fail;
    const char *id, *version, *region, *inherits;
    if ((r = get_str(src, "", root, "id", 1, &id)) ||
        (r = get_str(src, "", root, "version", 1, &version)) ||
        (r = get_str(src, "", root, "region", 1, &region)) ||
        (r = get_str(src, "", root, "inherits", 0, &inherits)) ||
        (r = get_label(src, "", root, "title", 1, &p->title_zh, &p->title_en)))
        goto fail;
    if (!povi_valid_id(id)) {
        r = perr(src, "id", POV_EINVAL, "policy id '%s' must match [a-z][a-z0-9_]*", id);
        goto fail;
    }
    p->id = g_strdup(id);
    p->version = g_strdup(version);
    p->region = g_strdup(region);
    p->inherits = g_strdup(inherits ? inherits : "");

    /* the parent */
    pov_policy *own_parent = NULL;
    if (inherits) {
        if (strcmp(inherits, id) == 0) {
            r = perr(src, "inherits", POV_ERULE, "a policy cannot inherit from itself");
            goto fail;
        }
        if (opts && opts->parent) {
            if (strcmp(opts->parent->id, inherits) != 0) {
                r = perr(src, "inherits", POV_EINVAL,
                         "the document inherits '%s' but the parent given is '%s'", inherits,
                         opts->parent->id);
                goto fail;
            }
            parent = povi_policy_ref(opts->parent);
        } else {
            r = pov_policy_default(inherits, &own_parent);
            if (r == POV_ENOTFOUND) {
                r = perr(src, "inherits", POV_ENOTFOUND,
                         "no policy '%s' to inherit from (embedded: national_2016, "
                         "guangxi_2016, national_2020_monitoring, national_2021_monitoring; or "
                         "pass it as the parent)", inherits);
                goto fail;
            }
            if (r)
                goto fail;
            parent = own_parent;
        }
    } else if (item(root, "overrides")) {
        r = perr(src, "overrides", POV_ERULE, "'overrides' needs 'inherits'");
        goto fail;
    }
    const cJSON *PR = parent ? parent->resolved : NULL;

    /* header of the resolved document */
    cJSON_AddStringToObject(R, "format", "povmetrics.policy/1");
    cJSON_AddStringToObject(R, "id", id);
    cJSON_AddItemToObject(R, "title", cJSON_Duplicate(item(root, "title"), 1));
    cJSON_AddStringToObject(R, "version", version);
    cJSON_AddStringToObject(R, "region", region);

    /* sources */
    const cJSON *prov = item(root, "provenance");
    if (!prov) {
        r = perr(src, "", POV_EMISSING, "'provenance' is required");
        goto fail;
    }
    cJSON *rprov = cJSON_AddObjectToObject(R, "provenance");
    cJSON_AddItemToObject(rprov, "summary", cJSON_Duplicate(item(prov, "summary"), 1));
    cJSON *rsources = cJSON_AddArrayToObject(rprov, "sources");
    if (parent) {
        const cJSON *ps = item(item(PR, "provenance"), "sources");
        for (const cJSON *s = ps ? ps->child : NULL; s; s = s->next)
            cJSON_AddItemToArray(rsources, cJSON_Duplicate(s, 1));
        p->sources = g_new0(povi_source, parent->n_sources + 1);
        for (size_t i = 0; i < parent->n_sources; i++) {
            povi_source *d = &p->sources[p->n_sources++];
            d->id = g_strdup(parent->sources[i].id);
            d->status = g_strdup(parent->sources[i].status);
            d->citation = g_strdup(parent->sources[i].citation);
            d->display = g_strdup(parent->sources[i].display);
        }
    }
    if ((r = add_sources(p, src, prov, rsources)))
        goto fail;

    /* indicators -> schema */
    {
        cJSON *rinds = cJSON_CreateArray();
        size_t n_parent = 0;
        const cJSON *pi = PR ? item(PR, "indicators") : NULL;
        for (const cJSON *c = pi ? pi->child : NULL; c; c = c->next, n_parent++)
            cJSON_AddItemToArray(rinds, cJSON_Duplicate(c, 1));
        const cJSON *ci = item(root, "indicators");
        if (ci && !cJSON_IsArray(ci)) {
            cJSON_Delete(rinds);
            r = perr(src, "indicators", POV_ETYPE, "'indicators' must be an array");
            goto fail;
        }
        for (const cJSON *c = ci ? ci->child : NULL; c; c = c->next)
            cJSON_AddItemToArray(rinds, cJSON_Duplicate(c, 1));
        if (rinds->child)
            cJSON_AddItemToObject(R, "indicators", rinds);
        else
            cJSON_Delete(rinds);
        if ((r = build_schema(p, src, item(R, "indicators"), n_parent)))
            goto fail;
    }

    /* poverty lines */
    {
        cJSON *rlines = cJSON_AddArrayToObject(R, "poverty_lines");
        if (parent) {
            p->lines = g_new0(povi_line, parent->n_lines + 1);
            const cJSON *pl = item(PR, "poverty_lines");
            const cJSON *c = pl ? pl->child : NULL;
            for (size_t i = 0; i < parent->n_lines; i++, c = c ? c->next : NULL) {
                povi_line *d = &p->lines[p->n_lines++];
                *d = parent->lines[i];
                d->region = g_strdup(d->region);
                d->source = g_strdup(d->source);
                cJSON_AddItemToArray(rlines, cJSON_Duplicate(c, 1));
            }
        }
        const cJSON *cl = item(root, "poverty_lines");
        if (!cl && !parent) {
            r = perr(src, "", POV_EMISSING, "'poverty_lines' is required");
            goto fail;
        }
        if (cl && !cJSON_IsArray(cl)) {
            r = perr(src, "poverty_lines", POV_ETYPE, "'poverty_lines' must be an array");
            goto fail;
        }
        size_t n_inherited = p->n_lines, i = 0;
        p->lines = g_renew(povi_line, p->lines, p->n_lines + (size_t)cJSON_GetArraySize(cl) + 1);
        for (const cJSON *c = cl ? cl->child : NULL; c; c = c->next, i++) {
            char path[PATH_MAX_LEN];
            subi(path, "", "poverty_lines", i);
            povi_line l;
            if ((r = parse_line(p, src, path, c, &l)))
                goto fail;
            size_t k = SIZE_MAX;
            for (size_t j = 0; j < p->n_lines; j++)
                if (p->lines[j].year == l.year && strcmp(p->lines[j].region, l.region) == 0)
                    k = j;
            if (k != SIZE_MAX && k >= n_inherited) {
                g_free(l.region);
                g_free(l.source);
                r = perr(src, path, POV_EDUPLICATE, "a line for %d and region '%s' is already "
                                                    "given", p->lines[k].year, p->lines[k].region);
                goto fail;
            }
            if (k != SIZE_MAX) { /* the child replaces the parent's line */
                g_free(p->lines[k].region);
                g_free(p->lines[k].source);
                p->lines[k] = l;
                cJSON_ReplaceItemInArray(rlines, (int)k, cJSON_Duplicate(c, 1));
            } else {
                p->lines[p->n_lines++] = l;
                cJSON_AddItemToArray(rlines, cJSON_Duplicate(c, 1));
            }
        }
    }

    /* income definition, poor households */
    {
        const cJSON *ci = item(root, "income_definition");
        if (ci) {
            if ((r = parse_income(p, src, ci)))
                goto fail;
            cJSON_AddItemToObject(R, "income_definition", cJSON_Duplicate(ci, 1));
        } else if (parent) {
            p->derive = parent->derive;
            cJSON_AddItemToObject(R, "income_definition",
                                  cJSON_Duplicate(item(PR, "income_definition"), 1));
        } else {
            r = perr(src, "", POV_EMISSING, "'income_definition' is required");
            goto fail;
        }
        const cJSON *cp = item(root, "poor_household");
        const cJSON *use = cp ? cp : (PR ? item(PR, "poor_household") : NULL);
        if (!use) {
            r = perr(src, "", POV_EMISSING, "'poor_household' is required");
            goto fail;
        }
        if ((r = compile_cond(p, cp ? src : NULL, "poor_household", use, 0, &p->poor)))
            goto fail;
        p->poor_fast = povi_fast_build(p->schema, use);
        cJSON_AddItemToObject(R, "poor_household", cJSON_Duplicate(use, 1));
    }

    /* monitoring reasons and groups (§12) */
    if ((r = parse_monitoring(p, src, root, PR, R)))
        goto fail;

    /* criteria: inherited, overridden, added */
    const cJSON *ov = item(root, "overrides");
    if (ov) {
        if (!cJSON_IsObject(ov)) {
            r = perr(src, "overrides", POV_ETYPE, "'overrides' must be an object");
            goto fail;
        }
        static const char *const oallowed[] = {"household", "village", "county", "monitoring",
                                               "risk_elimination", NULL};
        if ((r = check_keys(src, "overrides", ov, oallowed)))
            goto fail;
    }
    for (int l = 0; l < POVI_NLEVELS; l++) {
        const char *ln = level_names[l];
        cJSON *arr = cJSON_AddArrayToObject(R, ln);
        orig[l] = g_array_new(FALSE, TRUE, sizeof(origin));
        const cJSON *pa = PR ? item(PR, ln) : NULL;
        for (const cJSON *c = pa ? pa->child : NULL; c; c = c->next) {
            cJSON *d = cJSON_Duplicate(c, 1);
            cJSON_AddItemToArray(arr, d);
            origin o = {d, NULL};
            g_array_append_val(orig[l], o);
        }
        const cJSON *oa = ov ? item(ov, ln) : NULL;
        char path[PATH_MAX_LEN], q[PATH_MAX_LEN];
        if (oa && !cJSON_IsArray(oa)) {
            sub(path, "overrides", ln);
            r = perr(src, path, POV_ETYPE, "'overrides.%s' must be an array", ln);
            goto fail;
        }
        size_t i = 0;
        for (const cJSON *c = oa ? oa->child : NULL; c; c = c->next, i++) {
            POVI_SNPRINTF(path, sizeof path, "overrides.%s[%zu]", ln, i);
            if (!cJSON_IsObject(c)) {
                r = perr(src, path, POV_ETYPE, "an override must be an object");
                goto fail;
            }
            const char *oid;
            if ((r = get_str(src, path, c, "id", 1, &oid)))
                goto fail;
            guint k = orig[l]->len;
            for (guint j = 0; j < orig[l]->len; j++) {
                const cJSON *jid = item(g_array_index(orig[l], origin, j).node, "id");
                if (cJSON_IsString(jid) && strcmp(jid->valuestring, oid) == 0)
                    k = j;
            }
            if (k == orig[l]->len) {
                sub(q, path, "id");
                r = perr(src, q, POV_ENOTFOUND, "no inherited %s criterion '%s' to override", ln,
                         oid);
                goto fail;
            }
            origin *o = &g_array_index(orig[l], origin, k);
            if (o->path) {
                sub(q, path, "id");
                r = perr(src, q, POV_EDUPLICATE, "criterion '%s' is overridden twice", oid);
                goto fail;
            }
            cJSON *merged = apply_override(cJSON_Duplicate(o->node, 1), c);
            cJSON_ReplaceItemInArray(arr, (int)k, merged);
            o->node = merged;
            o->path = g_strdup(path);
        }
        const cJSON *na = item(root, ln);
        if (!na && !parent && l == POV_POLICY_HOUSEHOLD) {
            r = perr(src, "", POV_EMISSING, "'household' is required");
            goto fail;
        }
        if (na && !cJSON_IsArray(na)) {
            r = perr(src, ln, POV_ETYPE, "'%s' must be an array of criteria", ln);
            goto fail;
        }
        i = 0;
        for (const cJSON *c = na ? na->child : NULL; c; c = c->next, i++) {
            cJSON *d = cJSON_Duplicate(c, 1);
            cJSON_AddItemToArray(arr, d);
            origin o = {d, NULL};
            subi(path, "", ln, i);
            o.path = g_strdup(path);
            g_array_append_val(orig[l], o);
        }
        if ((r = compile_level(p, l, orig[l], src)))
            goto fail;
    }
    for (int l = 0; l < POVI_NLEVELS; l++)
        origins_free(orig[l]);
    pov_policy_free(parent);
    cJSON_Delete(root);
    *out = p;
    return 0;
fail:
    for (int l = 0; l < POVI_NLEVELS; l++)
        origins_free(orig[l]);
    pov_policy_free(parent);
    cJSON_Delete(root);
    policy_destroy(p);
    return r;
}

/* ---- public: loading ---------------------------------------------------------- */

void pov_policy_load_options_init(pov_policy_load_options *opts) {
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
}

int pov_policy_load_string(const char *json, size_t len, const char *source_name,
                           const pov_policy_load_options *opts, pov_policy **out) {
    if (out)
        *out = NULL;
    if (!json || !out)
        return povi_error(POV_EINVAL, "pov_policy_load_string: NULL argument");
    if (opts && opts->size < sizeof(size_t) + sizeof(void *))
        return povi_error(POV_EINVAL, "pov_policy_load_options.size is not set");
    return load_doc(json, len, source_name ? source_name : "<string>", opts, out);
}

int pov_policy_load_file(const char *path, const pov_policy_load_options *opts,
                         pov_policy **out) {
    if (out)
        *out = NULL;
    if (!path || !out)
        return povi_error(POV_EINVAL, "pov_policy_load_file: NULL argument");
    gchar *text = NULL;
    gsize len = 0;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &text, &len, &ge)) {
        povi_loc loc = {path, 0, 0, SIZE_MAX, NULL};
        int r = povi_error_at(POV_EIO, &loc, "cannot read policy file: %s",
                              ge ? ge->message : "?");
        g_clear_error(&ge);
        return r;
    }
    int r = pov_policy_load_string(text, len, path, opts, out);
    g_free(text);
    return r;
}

static const char *const default_names[] = {"national_2016", "guangxi_2016",
                                            "national_2020_monitoring",
                                            "national_2021_monitoring"};
#define N_DEFAULTS (sizeof default_names / sizeof default_names[0])

int pov_policy_default(const char *name, pov_policy **out) {
    if (out)
        *out = NULL;
    if (!name || !out)
        return povi_error(POV_EINVAL, "pov_policy_default: NULL argument");
    int known = 0;
    for (size_t i = 0; i < N_DEFAULTS; i++)
        known |= strcmp(default_names[i], name) == 0;
    const char *data;
    size_t len;
    if (!known || !povi_embedded_find(name, &data, &len))
        return povi_error(POV_ENOTFOUND,
                          "no embedded policy '%s' (national_2016, guangxi_2016, "
                          "national_2020_monitoring, national_2021_monitoring)", name);
    char src[96];
    POVI_SNPRINTF(src, sizeof src, "<embedded %s>", name);
    return load_doc(data, len, src, NULL, out);
}

size_t pov_policy_default_count(void) { return N_DEFAULTS; }

const char *pov_policy_default_name(size_t i) { return i < N_DEFAULTS ? default_names[i] : NULL; }

/* ---- public: properties -------------------------------------------------------- */

#define STR_OR_EMPTY(p, f) ((p) ? (p)->f : NULL)
const char *pov_policy_id(const pov_policy *p) { return STR_OR_EMPTY(p, id); }
const char *pov_policy_title_zh(const pov_policy *p) { return STR_OR_EMPTY(p, title_zh); }
const char *pov_policy_title_en(const pov_policy *p) { return STR_OR_EMPTY(p, title_en); }
const char *pov_policy_version(const pov_policy *p) { return STR_OR_EMPTY(p, version); }
const char *pov_policy_region(const pov_policy *p) { return STR_OR_EMPTY(p, region); }
const char *pov_policy_inherits(const pov_policy *p) { return STR_OR_EMPTY(p, inherits); }
const pov_schema *pov_policy_schema(const pov_policy *p) { return p ? p->schema : NULL; }

int pov_policy_derive_options(const pov_policy *p, pov_derive_options *out) {
    if (!p || !out)
        return povi_error(POV_EINVAL, "pov_policy_derive_options: NULL argument");
    *out = p->derive;
    return 0;
}

int pov_policy_poverty_line(const pov_policy *p, int year, const char *region, double *out) {
    if (!p || !out)
        return povi_error(POV_EINVAL, "pov_policy_poverty_line: NULL argument");
    *out = NAN;
    const povi_line *l = povi_policy_line(p, year, &region, 1);
    if (!l)
        return povi_error(POV_ENOTFOUND, "policy '%s' has no poverty line for %d%s%s", p->id,
                          year, region ? " and region " : "", region ? region : "");
    *out = l->amount;
    return 0;
}

const char *pov_policy_poverty_line_source(const pov_policy *p, int year, const char *region) {
    if (!p)
        return NULL;
    const povi_line *l = povi_policy_line(p, year, &region, 1);
    return l ? l->source : NULL;
}

static const povi_pcrit *get_crit(const pov_policy *p, int level, size_t i) {
    if (!p || level < 0 || level >= POVI_NLEVELS || i >= p->n_crit[level])
        return NULL;
    return &p->crit[level][i];
}

size_t pov_policy_criterion_count(const pov_policy *p, int level) {
    return p && level >= 0 && level < POVI_NLEVELS ? p->n_crit[level] : 0;
}

int pov_policy_criterion_find(const pov_policy *p, int level, const char *id, size_t *out) {
    if (!p || !id || level < 0 || level >= POVI_NLEVELS)
        return povi_error(POV_EINVAL, "pov_policy_criterion_find: bad argument");
    for (size_t i = 0; i < p->n_crit[level]; i++)
        if (strcmp(p->crit[level][i].id, id) == 0) {
            if (out)
                *out = i;
            return 0;
        }
    return povi_error(POV_ENOTFOUND, "policy '%s' has no %s criterion '%s'", p->id,
                      level_names[level], id);
}

#define CRIT_STR(fn, field)                                                       \
    const char *fn(const pov_policy *p, int level, size_t i) {                    \
        const povi_pcrit *c = get_crit(p, level, i);                              \
        return c ? c->field : NULL;                                               \
    }
CRIT_STR(pov_policy_criterion_id, id)
CRIT_STR(pov_policy_criterion_label_zh, label_zh)
CRIT_STR(pov_policy_criterion_label_en, label_en)
CRIT_STR(pov_policy_criterion_source, source)
CRIT_STR(pov_policy_criterion_dimension, dimension)

size_t pov_policy_criterion_test_count(const pov_policy *p, int level, size_t i) {
    const povi_pcrit *c = get_crit(p, level, i);
    return c ? c->n_tests : 0;
}

int pov_policy_threshold(const pov_policy *p, int level, size_t i, size_t test, int year,
                         const char *region, double *out) {
    const povi_pcrit *c = get_crit(p, level, i);
    if (!c || test >= c->n_tests || !out)
        return povi_error(POV_EINVAL, "pov_policy_threshold: bad argument");
    *out = NAN;
    const char *why = "";
    int r = povi_thr_resolve(p, &c->tests[test].thr, year, &region, 1, out, &why);
    if (r)
        return povi_error(r, "criterion '%s' test %zu: no %s value for %d%s%s", c->id, test, why,
                          year, region ? " and region " : "", region ? region : "");
    return 0;
}

int pov_policy_to_json(const pov_policy *p, char **out) {
    if (out)
        *out = NULL;
    if (!p || !out)
        return povi_error(POV_EINVAL, "pov_policy_to_json: NULL argument");
    char *s = cJSON_Print(p->resolved);
    if (!s)
        return povi_error(POV_ENOMEM, "out of memory");
    /* hand out memory from the library's allocator (pov_free = free) */
    *out = strdup(s);
    cJSON_free(s);
    return *out ? 0 : povi_error(POV_ENOMEM, "out of memory");
}

/* ---- public: monitoring ------------------------------------------------------- */

size_t pov_policy_reason_count(const pov_policy *p) { return p ? p->n_reasons : 0; }

const char *pov_policy_reason(const pov_policy *p, size_t i) {
    return p && i < p->n_reasons ? p->reasons[i] : NULL;
}

const char *pov_policy_trigger_reason(const pov_policy *p, size_t i) {
    const povi_pcrit *c = get_crit(p, POV_POLICY_MONITORING, i);
    if (!c)
        return NULL;
    return c->reason >= 0 ? p->reasons[c->reason] : "";
}

unsigned pov_policy_trigger_groups(const pov_policy *p, size_t i) {
    const povi_pcrit *c = get_crit(p, POV_POLICY_MONITORING, i);
    return c ? c->groups : 0u;
}

int pov_policy_group_defined(const pov_policy *p, int group) {
    if (!p || group < 1 || group > POVI_NGROUPS)
        return povi_error(POV_EINVAL, "pov_policy_group_defined: bad argument");
    return p->group_cond[group - 1] != NULL;
}
