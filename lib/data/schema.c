/*
 * Indicator schema: the core schema (table in core_schema.c) and extension
 * documents "povmetrics.schema/1".
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"

/* defined in core_schema.c */
extern const povi_indicator povi_core_indicators[POVI_CORE_COUNT];

struct pov_schema {
    gint refcount;          /* < 0: static (the core schema) */
    char *name;
    povi_indicator *ind;    /* n entries; the first POVI_CORE_COUNT copy the core table */
    size_t n;
    GHashTable *by_id;      /* id (owned by ind / static) -> index + 1 */
    GStringChunk *strings;  /* strings of extension indicators */
};

/* ---- ids ------------------------------------------------------------------ */

int povi_valid_id(const char *s) {
    if (!s || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    size_t i = 1;
    for (; s[i]; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return i <= 64;
}

int povi_valid_code(const char *s) {
    if (!s || !s[0])
        return 0;
    size_t i = 0;
    for (; s[i]; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return i <= 64;
}

/* ---- building ------------------------------------------------------------- */

static pov_schema *schema_alloc(size_t n) {
    pov_schema *s = g_new0(pov_schema, 1);
    s->refcount = 1;
    s->ind = g_new0(povi_indicator, n);
    s->n = 0;
    s->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    memcpy(s->ind, povi_core_indicators, sizeof povi_core_indicators);
    s->n = POVI_CORE_COUNT;
    for (size_t i = 0; i < POVI_CORE_COUNT; i++)
        g_hash_table_insert(s->by_id, (gpointer)s->ind[i].id, GSIZE_TO_POINTER(i + 1));
    return s;
}

static gpointer build_core(gpointer unused) {
    (void)unused;
    pov_schema *s = schema_alloc(POVI_CORE_COUNT);
    s->refcount = -1;
    s->name = g_strdup("core");
    return s;
}

const pov_schema *pov_schema_core(void) {
    static GOnce once = G_ONCE_INIT;
    return g_once(&once, build_core, NULL);
}

size_t pov_schema_core_count(void) { return POVI_CORE_COUNT; }

const pov_schema *povi_schema_ref(const pov_schema *schema) {
    pov_schema *s = (pov_schema *)schema;
    if (s && s->refcount >= 0)
        g_atomic_int_inc(&s->refcount);
    return schema;
}

void povi_schema_unref(const pov_schema *schema) {
    pov_schema *s = (pov_schema *)schema;
    if (!s || s->refcount < 0)
        return;
    if (!g_atomic_int_dec_and_test(&s->refcount))
        return;
    for (size_t i = POVI_CORE_COUNT; i < s->n; i++)
        g_free((gpointer)s->ind[i].codes);
    g_free(s->ind);
    g_hash_table_destroy(s->by_id);
    if (s->strings)
        g_string_chunk_free(s->strings);
    g_free(s->name);
    g_free(s);
}

void pov_schema_free(const pov_schema *schema) { povi_schema_unref(schema); }

/* ---- accessors ------------------------------------------------------------ */

const povi_indicator *povi_schema_get(const pov_schema *schema, size_t index) {
    return (schema && index < schema->n) ? &schema->ind[index] : NULL;
}

int povi_schema_lookup(const pov_schema *schema, const char *id, size_t len, size_t *out) {
    if (!schema || !id)
        return 0;
    char buf[72];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, id, len);
    buf[len] = '\0';
    gpointer v = g_hash_table_lookup(schema->by_id, buf);
    if (!v)
        return 0;
    if (out)
        *out = GPOINTER_TO_SIZE(v) - 1;
    return 1;
}

int32_t povi_schema_code_lookup(const pov_schema *schema, size_t index, const char *code,
                                size_t len) {
    const povi_indicator *ind = povi_schema_get(schema, index);
    if (!ind || !code)
        return -1;
    for (size_t k = 0; k < ind->n_codes; k++) {
        const char *c = ind->codes[k].code;
        /* memcmp, not strncmp: @p code may hold a NUL before @p len (fuzz_jsonl) */
        if (strlen(c) == len && memcmp(c, code, len) == 0)
            return (int32_t)k;
    }
    return -1;
}

const char *pov_schema_name(const pov_schema *schema) { return schema ? schema->name : NULL; }
size_t pov_schema_count(const pov_schema *schema) { return schema ? schema->n : 0; }

int pov_schema_find(const pov_schema *schema, const char *id, size_t *out) {
    if (!schema || !id)
        return povi_error(POV_EINVAL, "schema or id is NULL");
    if (!povi_schema_lookup(schema, id, strlen(id), out)) {
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, id};
        return povi_error_at(POV_ENOTFOUND, &loc, "no indicator '%s' in schema '%s'", id,
                             schema->name);
    }
    return 0;
}

#define IND_OR(ret)                                   \
    const povi_indicator *ind = povi_schema_get(schema, index); \
    if (!ind)                                         \
        return ret;

const char *pov_schema_id(const pov_schema *schema, size_t index) { IND_OR(NULL) return ind->id; }
const char *pov_schema_label_zh(const pov_schema *schema, size_t index) { IND_OR(NULL) return ind->label_zh; }
const char *pov_schema_label_en(const pov_schema *schema, size_t index) { IND_OR(NULL) return ind->label_en; }
const char *pov_schema_unit(const pov_schema *schema, size_t index) { IND_OR(NULL) return ind->unit; }
const char *pov_schema_description(const pov_schema *schema, size_t index) { IND_OR(NULL) return ind->description; }
const char *pov_schema_source(const pov_schema *schema, size_t index) { IND_OR(NULL) return ind->source; }

static int bad_index(const pov_schema *schema, size_t index) {
    if (!schema)
        return povi_error(POV_EINVAL, "schema is NULL");
    return povi_error(POV_EINVAL, "indicator index %zu out of range (schema has %zu)", index,
                      schema->n);
}

int pov_schema_level(const pov_schema *schema, size_t index) {
    IND_OR(bad_index(schema, index)) return (int)ind->level;
}
int pov_schema_type(const pov_schema *schema, size_t index) {
    IND_OR(bad_index(schema, index)) return (int)ind->type;
}
int pov_schema_required(const pov_schema *schema, size_t index) {
    IND_OR(bad_index(schema, index)) return ind->required ? 1 : 0;
}
int pov_schema_derived(const pov_schema *schema, size_t index) {
    IND_OR(bad_index(schema, index)) return ind->derived ? 1 : 0;
}
int pov_schema_range(const pov_schema *schema, size_t index, double *min_out, double *max_out) {
    IND_OR(bad_index(schema, index))
    int numeric = ind->type == POV_TYPE_NUMBER || ind->type == POV_TYPE_INTEGER;
    if (min_out)
        *min_out = numeric ? ind->min : -INFINITY;
    if (max_out)
        *max_out = numeric ? ind->max : INFINITY;
    return 0;
}
size_t pov_schema_code_count(const pov_schema *schema, size_t index) {
    IND_OR(0) return ind->n_codes;
}
const char *pov_schema_code(const pov_schema *schema, size_t index, size_t code) {
    IND_OR(NULL) return code < ind->n_codes ? ind->codes[code].code : NULL;
}
const char *pov_schema_code_label_zh(const pov_schema *schema, size_t index, size_t code) {
    IND_OR(NULL) return code < ind->n_codes ? ind->codes[code].label_zh : NULL;
}
const char *pov_schema_code_label_en(const pov_schema *schema, size_t index, size_t code) {
    IND_OR(NULL) return code < ind->n_codes ? ind->codes[code].label_en : NULL;
}
int pov_schema_find_code(const pov_schema *schema, size_t index, const char *code,
                         size_t *out) {
    IND_OR(bad_index(schema, index))
    if (!code)
        return povi_error(POV_EINVAL, "code is NULL");
    if (ind->type != POV_TYPE_CATEGORY)
        return povi_error(POV_ETYPE, "indicator '%s' is not a category", ind->id);
    int32_t k = povi_schema_code_lookup(schema, index, code, strlen(code));
    if (k < 0) {
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, ind->id};
        return povi_error_at(POV_ECODE, &loc, "'%s' is not a code of '%s'", code, ind->id);
    }
    if (out)
        *out = (size_t)k;
    return 0;
}

/* ---- loading extension documents ------------------------------------------ */

static const char *const level_names[] = {"household", "member"};
static const char *const type_names[] = {"number", "integer", "boolean", "category", "text"};

/* Reads an optional string member into the chunk. */
static int get_str(pov_schema *s, const povi_json_src *src, const cJSON *obj, const char *key,
                   const char *path, int required, const char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[160];
    snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return povi_json_error(POV_EMISSING, src, path, "'%s' is required", key);
        *out = "";
        return 0;
    }
    if (!cJSON_IsString(v))
        return povi_json_error(POV_ETYPE, src, p, "'%s' must be a string", key);
    if (!g_utf8_validate(v->valuestring, -1, NULL))
        return povi_json_error(POV_ETYPE, src, p, "'%s' is not valid UTF-8", key);
    *out = g_string_chunk_insert(s->strings, v->valuestring);
    return 0;
}

static int check_keys(const povi_json_src *src, const cJSON *obj, const char *path,
                      const char *const *allowed) {
    for (const cJSON *c = obj->child; c; c = c->next) {
        int ok = 0;
        for (size_t k = 0; allowed[k]; k++)
            if (strcmp(c->string, allowed[k]) == 0)
                ok = 1;
        char p[200];
        snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", c->string);
        if (!ok)
            return povi_json_error(POV_EUNKNOWN, src, p, "unknown field '%s'", c->string);
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return povi_json_error(POV_EDUPLICATE, src, p, "field '%s' given twice",
                                       c->string);
    }
    return 0;
}

static int enum_index(const povi_json_src *src, const cJSON *obj, const char *key,
                      const char *path, const char *const *names, size_t n, int *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[160];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (!v)
        return povi_json_error(POV_EMISSING, src, path, "'%s' is required", key);
    if (!cJSON_IsString(v))
        return povi_json_error(POV_ETYPE, src, p, "'%s' must be a string", key);
    for (size_t k = 0; k < n; k++)
        if (strcmp(v->valuestring, names[k]) == 0) {
            *out = (int)k;
            return 0;
        }
    return povi_json_error(POV_ECODE, src, p, "'%s' is not a valid %s", v->valuestring, key);
}

static int get_bound(const povi_json_src *src, const cJSON *obj, const char *key,
                     const char *path, int numeric, double dflt, double *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[160];
    snprintf(p, sizeof p, "%s.%s", path, key);
    *out = dflt;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!numeric)
        return povi_json_error(POV_EINVAL, src, p, "'%s' only applies to number and integer "
                               "indicators", key);
    if (!cJSON_IsNumber(v))
        return povi_json_error(POV_ETYPE, src, p, "'%s' must be a number", key);
    if (!isfinite(v->valuedouble))
        return povi_json_error(POV_ENONFINITE, src, p, "'%s' must be finite", key);
    *out = v->valuedouble;
    return 0;
}

static int load_indicator(pov_schema *s, const povi_json_src *src, const cJSON *o, size_t k) {
    static const char *const allowed[] = {"id", "label_zh", "label_en", "level", "type",
                                          "unit", "min", "max", "codes", "required",
                                          "description", "source", NULL};
    static const char *const code_allowed[] = {"code", "label_zh", "label_en", NULL};
    char path[64];
    snprintf(path, sizeof path, "indicators[%zu]", k);
    if (!cJSON_IsObject(o))
        return povi_json_error(POV_ETYPE, src, path, "an indicator must be an object");
    int r = check_keys(src, o, path, allowed);
    if (r)
        return r;
    povi_indicator *ind = &s->ind[s->n];
    memset(ind, 0, sizeof *ind);
    char p[96];
    if ((r = get_str(s, src, o, "id", path, 1, &ind->id)))
        return r;
    snprintf(p, sizeof p, "%s.id", path);
    if (!povi_valid_id(ind->id))
        return povi_json_error(POV_EINVAL, src, p, "'%s' is not a valid indicator id "
                               "(snake_case ASCII, [a-z][a-z0-9_]*, at most 64 bytes)", ind->id);
    if (g_hash_table_contains(s->by_id, ind->id))
        return povi_json_error(POV_EDUPLICATE, src, p, "indicator '%s' is already defined%s",
                               ind->id, povi_schema_lookup(pov_schema_core(), ind->id,
                                                           strlen(ind->id), NULL)
                                            ? " by the core schema"
                                            : "");
    if ((r = get_str(s, src, o, "label_zh", path, 0, &ind->label_zh)) ||
        (r = get_str(s, src, o, "label_en", path, 0, &ind->label_en)) ||
        (r = get_str(s, src, o, "unit", path, 0, &ind->unit)) ||
        (r = get_str(s, src, o, "description", path, 0, &ind->description)) ||
        (r = get_str(s, src, o, "source", path, 0, &ind->source)))
        return r;
    int lv, ty;
    if ((r = enum_index(src, o, "level", path, level_names, 2, &lv)) ||
        (r = enum_index(src, o, "type", path, type_names, 5, &ty)))
        return r;
    ind->level = (pov_level)lv;
    ind->type = (pov_type)ty;
    int numeric = ty == POV_TYPE_NUMBER || ty == POV_TYPE_INTEGER;
    if ((r = get_bound(src, o, "min", path, numeric, -INFINITY, &ind->min)) ||
        (r = get_bound(src, o, "max", path, numeric, INFINITY, &ind->max)))
        return r;
    if (ind->min > ind->max) {
        snprintf(p, sizeof p, "%s.min", path);
        return povi_json_error(POV_ERULE, src, p, "min %g is greater than max %g", ind->min,
                               ind->max);
    }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(o, "required");
    if (req) {
        snprintf(p, sizeof p, "%s.required", path);
        if (!cJSON_IsBool(req))
            return povi_json_error(POV_ETYPE, src, p, "'required' must be true or false");
        ind->required = cJSON_IsTrue(req);
    }
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(o, "codes");
    snprintf(p, sizeof p, "%s.codes", path);
    if (ty != POV_TYPE_CATEGORY) {
        if (codes)
            return povi_json_error(POV_EINVAL, src, p, "'codes' only applies to category "
                                   "indicators");
    } else {
        if (!codes)
            return povi_json_error(POV_EMISSING, src, path, "a category needs 'codes'");
        if (!cJSON_IsArray(codes))
            return povi_json_error(POV_ETYPE, src, p, "'codes' must be an array");
        size_t nc = (size_t)cJSON_GetArraySize(codes);
        if (nc == 0)
            return povi_json_error(POV_EEMPTY, src, p, "'codes' is empty");
        if (nc > INT32_MAX)
            return povi_json_error(POV_ELIMIT, src, p, "too many codes");
        povi_code *cs = g_new0(povi_code, nc);
        ind->codes = cs; /* freed with the schema even on error (n counts it below) */
        s->n++;
        size_t j = 0;
        for (const cJSON *c = codes->child; c; c = c->next, j++) {
            char cp[128];
            snprintf(cp, sizeof cp, "%s[%zu]", p, j);
            if (!cJSON_IsObject(c))
                return povi_json_error(POV_ETYPE, src, cp, "a code must be an object");
            if ((r = check_keys(src, c, cp, code_allowed)) ||
                (r = get_str(s, src, c, "code", cp, 1, &cs[j].code)) ||
                (r = get_str(s, src, c, "label_zh", cp, 0, &cs[j].label_zh)) ||
                (r = get_str(s, src, c, "label_en", cp, 0, &cs[j].label_en)))
                return r;
            char ccp[140];
            snprintf(ccp, sizeof ccp, "%s.code", cp);
            if (!povi_valid_code(cs[j].code))
                return povi_json_error(POV_EINVAL, src, ccp, "'%s' is not a valid code "
                                       "([A-Za-z0-9_]+, at most 64 bytes)", cs[j].code);
            for (size_t i = 0; i < j; i++)
                if (strcmp(cs[i].code, cs[j].code) == 0)
                    return povi_json_error(POV_EDUPLICATE, src, ccp, "code '%s' given twice",
                                           cs[j].code);
        }
        ind->n_codes = nc;
        s->n--;
    }
    g_hash_table_insert(s->by_id, (gpointer)ind->id, GSIZE_TO_POINTER(s->n + 1));
    s->n++;
    return 0;
}

int pov_schema_load_string(const char *json, size_t len, const char *source_name,
                           pov_schema **out) {
    static const char *const allowed[] = {"format", "name", "version", "provenance",
                                          "description", "indicators", NULL};
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
    pov_schema *s = NULL;
    if (!cJSON_IsObject(root)) {
        r = povi_json_error(POV_ETYPE, &src, "", "a schema document must be a JSON object");
        goto done;
    }
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!fmt) {
        r = povi_json_error(POV_EFORMAT, &src, "", "missing \"format\": "
                            "\"povmetrics.schema/1\"");
        goto done;
    }
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "povmetrics.schema/1") != 0) {
        r = povi_json_error(POV_EFORMAT, &src, "format", "unsupported format (expected "
                            "\"povmetrics.schema/1\")");
        goto done;
    }
    if ((r = check_keys(&src, root, "", allowed)))
        goto done;
    const cJSON *inds = cJSON_GetObjectItemCaseSensitive(root, "indicators");
    if (!inds) {
        r = povi_json_error(POV_EMISSING, &src, "", "'indicators' is required");
        goto done;
    }
    if (!cJSON_IsArray(inds)) {
        r = povi_json_error(POV_ETYPE, &src, "indicators", "'indicators' must be an array");
        goto done;
    }
    size_t n = (size_t)cJSON_GetArraySize(inds);
    s = schema_alloc(POVI_CORE_COUNT + n);
    s->strings = g_string_chunk_new(1024);
    const char *name = "";
    if ((r = get_str(s, &src, root, "name", "", 0, &name)) ||
        (r = get_str(s, &src, root, "version", "", 0, &(const char *){NULL})) ||
        (r = get_str(s, &src, root, "provenance", "", 0, &(const char *){NULL})) ||
        (r = get_str(s, &src, root, "description", "", 0, &(const char *){NULL})))
        goto done;
    s->name = g_strdup(name[0] ? name : srcname);
    size_t k = 0;
    for (const cJSON *o = inds->child; o; o = o->next, k++)
        if ((r = load_indicator(s, &src, o, k)))
            goto done;
    *out = s;
    s = NULL;
done:
    if (s)
        povi_schema_unref(s);
    cJSON_Delete(root);
    return r;
}

int pov_schema_load_file(const char *path, pov_schema **out) {
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
        int r = povi_error_at(POV_EIO, &loc, "cannot read schema: %s", err->message);
        g_error_free(err);
        return r;
    }
    int r = pov_schema_load_string(text, len, path, out);
    g_free(text);
    return r;
}

/* ---- writing -------------------------------------------------------------- */

static void kv_str(GString *o, const char *key, const char *v) {
    g_string_append_c(o, ',');
    povi_json_append_string(o, key, strlen(key));
    g_string_append_c(o, ':');
    povi_json_append_string(o, v ? v : "", v ? strlen(v) : 0);
}

int pov_schema_to_json(const pov_schema *schema, char **out) {
    if (!schema || !out)
        return povi_error(POV_EINVAL, "schema or out is NULL");
    GString *o = g_string_sized_new(32768);
    g_string_append(o, "{\"format\":\"povmetrics.schema/1\"");
    kv_str(o, "name", schema->name);
    g_string_append(o, ",\"indicators\":[");
    for (size_t i = 0; i < schema->n; i++) {
        const povi_indicator *ind = &schema->ind[i];
        g_string_append(o, i ? ",\n{" : "\n{");
        g_string_append(o, "\"id\":");
        povi_json_append_string(o, ind->id, strlen(ind->id));
        kv_str(o, "label_zh", ind->label_zh);
        kv_str(o, "label_en", ind->label_en);
        kv_str(o, "level", level_names[ind->level]);
        kv_str(o, "type", type_names[ind->type]);
        kv_str(o, "unit", ind->unit);
        if ((ind->type == POV_TYPE_NUMBER || ind->type == POV_TYPE_INTEGER)) {
            if (isfinite(ind->min)) {
                g_string_append(o, ",\"min\":");
                povi_json_append_number(o, ind->min);
            }
            if (isfinite(ind->max)) {
                g_string_append(o, ",\"max\":");
                povi_json_append_number(o, ind->max);
            }
        }
        if (ind->n_codes) {
            g_string_append(o, ",\"codes\":[");
            for (size_t k = 0; k < ind->n_codes; k++) {
                g_string_append(o, k ? ",{\"code\":" : "{\"code\":");
                povi_json_append_string(o, ind->codes[k].code, strlen(ind->codes[k].code));
                kv_str(o, "label_zh", ind->codes[k].label_zh);
                kv_str(o, "label_en", ind->codes[k].label_en);
                g_string_append_c(o, '}');
            }
            g_string_append_c(o, ']');
        }
        g_string_append_printf(o, ",\"required\":%s,\"derived\":%s,\"core\":%s",
                               ind->required ? "true" : "false",
                               ind->derived ? "true" : "false", ind->core ? "true" : "false");
        kv_str(o, "description", ind->description);
        kv_str(o, "source", ind->source);
        g_string_append_c(o, '}');
    }
    g_string_append(o, "\n]}\n");
    char *res = malloc(o->len + 1);
    if (!res) {
        g_string_free(o, TRUE);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    memcpy(res, o->str, o->len + 1);
    g_string_free(o, TRUE);
    *out = res;
    return 0;
}
