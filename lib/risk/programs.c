/*
 * povmetrics — assistance programs (povmetrics.programs/1): loading,
 * accessors, eligibility. Format: docs/programs-format.md.
 *
 * SPDX-License-Identifier: MIT
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rules/condition_internal.h"
#include "povmetrics/program.h"
#include "program_internal.h"

static const char *const kind_names[POV_PROGRAM_KIND_COUNT + 1] = {
    "industry", "employment", "relocation", "education", "health", "housing_renovation",
    "drinking_water", "infrastructure", "social_assistance", "ecological_compensation",
    "microcredit", "east_west_collaboration", "other", NULL};

static const char *const reason_names[POV_REASON_COUNT + 1] = {
    "illness", "disability", "schooling", "disaster", "accident", "failed_industry",
    "unstable_employment", "lack_labour", "unsafe_housing", "water", "other", NULL};

const char *pov_program_kind_name(int kind) {
    return kind >= 0 && kind < POV_PROGRAM_KIND_COUNT ? kind_names[kind] : NULL;
}

const char *pov_risk_reason_name(int reason) {
    return reason >= 0 && reason < POV_REASON_COUNT ? reason_names[reason] : NULL;
}

void povi_programs_destroy(pov_programs *p) {
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        g_free(p->prog[i].id);
        g_free(p->prog[i].title);
        g_free(p->prog[i].source);
        pov_condition_free(p->prog[i].cond);
    }
    free(p->prog);
    g_free(p->id);
    if (p->schema)
        povi_schema_unref(p->schema);
    free(p);
}

void pov_programs_free(pov_programs *p) {
    povi_programs_destroy(p);
}

/* A list of codes -> bit mask. */
static int code_list(const povi_json_src *src, const cJSON *obj, const char *key,
                     const char *path, const pov_schema *schema, uint32_t *mask) {
    *mask = 0;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!arr)
        return 0;
    char p[POVI_RJ_PATH];
    povi_rj_join(p, path, key);
    if (!cJSON_IsArray(arr))
        return povi_json_error(POV_ETYPE, src, p, "'%s' must be an array of codes", key);
    size_t k = 0;
    for (const cJSON *c = arr->child; c; c = c->next, k++) {
        char q[POVI_RJ_PATH + 16];
        snprintf(q, sizeof q, "%s[%zu]", p, k);
        if (!cJSON_IsString(c))
            return povi_json_error(POV_ETYPE, src, q, "a code must be a string");
        int32_t code = -1;
        if (schema) {
            code = povi_schema_code_lookup(schema, POVI_CAUSE_MAIN, c->valuestring,
                                           strlen(c->valuestring));
        } else {
            for (int i = 0; reason_names[i]; i++)
                if (strcmp(reason_names[i], c->valuestring) == 0)
                    code = i;
        }
        if (code < 0 || code >= 32)
            return povi_json_error(POV_ECODE, src, q, "unknown %s \"%s\"",
                                   schema ? "cause of poverty" : "risk reason", c->valuestring);
        if (*mask & (1u << code))
            return povi_json_error(POV_EDUPLICATE, src, q, "\"%s\" is listed twice",
                                   c->valuestring);
        *mask |= 1u << code;
    }
    return 0;
}

static int load_program(const pov_schema *schema, const povi_json_src *src, const cJSON *node,
                        const char *path, povi_program *pr) {
    static const char *const keys[] = {"id", "kind", "title", "eligibility", "causes", "risks",
                                       "capacity", "unit_cost", "income_effect", "source",
                                       "note", NULL};
    int r = povi_rj_keys(src, node, path, keys);
    if (r)
        return r;
    const char *s;
    char p[POVI_RJ_PATH];
    if ((r = povi_rj_string(src, node, "id", path, 1, &s)) < 0)
        return r;
    povi_rj_join(p, path, "id");
    if (!povi_valid_code(s))
        return povi_json_error(POV_EINVAL, src, p, "a program id must match [A-Za-z0-9_]+");
    pr->id = g_strdup(s);
    if ((r = povi_rj_string(src, node, "kind", path, 1, &s)) < 0)
        return r;
    pr->kind = -1;
    for (int i = 0; kind_names[i]; i++)
        if (strcmp(kind_names[i], s) == 0)
            pr->kind = i;
    if (pr->kind < 0) {
        povi_rj_join(p, path, "kind");
        return povi_json_error(POV_ECODE, src, p, "unknown program kind \"%s\"", s);
    }
    s = "";
    if ((r = povi_rj_string(src, node, "title", path, 0, &s)) < 0)
        return r;
    pr->title = g_strdup(s);
    s = "";
    if ((r = povi_rj_string(src, node, "source", path, 0, &s)) < 0)
        return r;
    pr->source = g_strdup(s);
    if ((r = povi_rj_string(src, node, "note", path, 0, &s)) < 0)
        return r;
    if ((r = code_list(src, node, "causes", path, schema, &pr->causes)))
        return r;
    if ((r = code_list(src, node, "risks", path, NULL, &pr->risks)))
        return r;
    if (!pr->causes && !pr->risks)
        return povi_json_error(POV_ERULE, src, path,
                               "a program must address at least one cause or risk reason");
    pr->capacity = INFINITY;
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(node, "capacity");
    if (cap && !cJSON_IsNull(cap)) {
        if ((r = povi_rj_number(src, node, "capacity", path, 1, &pr->capacity)) < 0)
            return r;
        povi_rj_join(p, path, "capacity");
        if (pr->capacity < 0 || pr->capacity != floor(pr->capacity))
            return povi_json_error(POV_ERANGE, src, p,
                                   "capacity must be a whole number >= 0 (households)");
    }
    if ((r = povi_rj_number(src, node, "unit_cost", path, 1, &pr->unit_cost)) < 0)
        return r;
    if (pr->unit_cost < 0) {
        povi_rj_join(p, path, "unit_cost");
        return povi_json_error(POV_ERANGE, src, p, "unit_cost must be >= 0");
    }
    pr->income_effect = 0;
    if ((r = povi_rj_number(src, node, "income_effect", path, 0, &pr->income_effect)) < 0)
        return r;
    if (pr->income_effect < 0) {
        povi_rj_join(p, path, "income_effect");
        return povi_json_error(POV_ERANGE, src, p, "income_effect must be >= 0");
    }
    const cJSON *el = cJSON_GetObjectItemCaseSensitive(node, "eligibility");
    if (el) {
        povi_rj_join(p, path, "eligibility");
        povi_json_src sub = *src;
        sub.base_path = p;
        if ((r = povi_condition_compile_node(schema, el, &sub, &pr->cond)))
            return r;
        int t = pov_condition_result_type(pr->cond);
        if (t != POV_COND_TYPE_BOOLEAN)
            return povi_json_error(POV_ETYPE, src, p, "eligibility must be a boolean condition");
    }
    return 0;
}

static int load_tree(const cJSON *root, const povi_json_src *src, pov_programs *p) {
    static const char *const keys[] = {"format", "id", "version", "provenance", "description",
                                       "programs", NULL};
    int r = povi_rj_format(src, root, "povmetrics.programs/1");
    if (r)
        return r;
    if ((r = povi_rj_keys(src, root, "", keys)))
        return r;
    const char *s;
    if ((r = povi_rj_string(src, root, "id", "", 1, &s)) < 0)
        return r;
    p->id = g_strdup(s);
    for (const char *const *k = (const char *const[]){"version", "provenance", "description", NULL};
         *k; k++)
        if ((r = povi_rj_string(src, root, *k, "", 0, &s)) < 0)
            return r;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "programs");
    if (!arr)
        return povi_json_error(POV_EMISSING, src, "", "'programs' is required");
    if (!cJSON_IsArray(arr))
        return povi_json_error(POV_ETYPE, src, "programs", "'programs' must be an array");
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0)
        return povi_json_error(POV_EEMPTY, src, "programs", "at least one program is required");
    p->prog = calloc(n, sizeof *p->prog);
    if (!p->prog)
        return povi_error(POV_ENOMEM, "out of memory");
    size_t i = 0;
    for (const cJSON *node = arr->child; node; node = node->next, i++) {
        char path[64];
        snprintf(path, sizeof path, "programs[%zu]", i);
        p->n = i + 1;
        if ((r = load_program(p->schema, src, node, path, &p->prog[i])))
            return r;
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->prog[j].id, p->prog[i].id) == 0) {
                char q[80];
                snprintf(q, sizeof q, "%s.id", path);
                return povi_json_error(POV_EDUPLICATE, src, q, "program id \"%s\" is used twice",
                                       p->prog[i].id);
            }
    }
    return 0;
}

int pov_programs_load_string(const pov_schema *schema, const char *json, size_t len,
                             const char *source_name, pov_programs **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!schema || !json)
        return povi_error(POV_EINVAL, "schema and json must not be NULL");
    if (!source_name)
        source_name = "<string>";
    cJSON *root = NULL;
    int r = povi_json_parse(json, len, source_name, 0, &root);
    if (r)
        return r;
    povi_json_src src = {source_name, json, len, "", 0, 0};
    pov_programs *p = calloc(1, sizeof *p);
    if (!p) {
        cJSON_Delete(root);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    p->schema = povi_schema_ref(schema);
    r = load_tree(root, &src, p);
    cJSON_Delete(root);
    if (r) {
        povi_programs_destroy(p);
        return r;
    }
    *out = p;
    return 0;
}

int pov_programs_load_file(const pov_schema *schema, const char *path, pov_programs **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    char *text;
    size_t len;
    int r = povi_rj_read_file(path, &text, &len);
    if (r)
        return r;
    r = pov_programs_load_string(schema, text, len, path, out);
    g_free(text);
    return r;
}

const char *pov_programs_default_json(void) {
    const char *data = NULL;
    size_t len;
    if (!povi_risk_embedded_find("programs_example", &data, &len))
        return NULL;
    return data;
}

int pov_programs_default(const pov_schema *schema, pov_programs **out) {
    const char *data;
    size_t len;
    if (!povi_risk_embedded_find("programs_example", &data, &len))
        return povi_error(POV_ERROR, "the example programs are not embedded");
    return pov_programs_load_string(schema, data, len, "<embedded:programs_example>", out);
}

size_t pov_programs_count(const pov_programs *p) {
    return p ? p->n : 0;
}

#define GET(p, i) ((p) && (i) < (p)->n ? &(p)->prog[i] : NULL)

const char *pov_programs_id(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->id : NULL;
}
const char *pov_programs_title(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->title : NULL;
}
const char *pov_programs_source(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->source : NULL;
}
int pov_programs_kind(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->kind : povi_error(POV_EINVAL, "no program %zu", i);
}
double pov_programs_capacity(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->capacity : NAN;
}
double pov_programs_unit_cost(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->unit_cost : NAN;
}
double pov_programs_income_effect(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->income_effect : NAN;
}
uint32_t pov_programs_causes(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->causes : 0;
}
uint32_t pov_programs_risks(const pov_programs *p, size_t i) {
    const povi_program *g = GET(p, i);
    return g ? g->risks : 0;
}

int povi_programs_check_dataset(const pov_programs *p, const pov_dataset *ds) {
    if (!p || !ds)
        return povi_error(POV_EINVAL, "programs and dataset must not be NULL");
    const pov_schema *s = pov_dataset_schema(ds);
    if (s != p->schema) {
        /* Conditions on extension indicators need the very same schema. */
        for (size_t j = 0; j < p->n; j++) {
            if (!p->prog[j].cond)
                continue;
            size_t ni;
            const int32_t *in = povi_condition_inputs(p->prog[j].cond, &ni);
            for (size_t k = 0; k < ni; k++)
                if ((size_t)in[k] >= pov_schema_core_count())
                    return povi_error(POV_EINVAL,
                                      "the dataset's schema differs from the programs' schema "
                                      "and program \"%s\" reads extension indicators",
                                      p->prog[j].id);
        }
    }
    return 0;
}

int pov_programs_eligibility(const pov_programs *p, const pov_dataset *ds, uint8_t *out) {
    int r = povi_programs_check_dataset(p, ds);
    if (r)
        return r;
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    povi_colview v;
    povi_dataset_colview(ds, &v);
    for (size_t i = 0; i < v.n_households; i++)
        for (size_t j = 0; j < p->n; j++)
            out[i * p->n + j] = povi_program_eligible(&p->prog[j], &v, i);
    return 0;
}
