/*
 * povmetrics — JSON helpers for the accumulators (see accum_json.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "accum_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

cJSON *povi_acc_xsum_json(const povi_xsum *s) {
    char *t = povi_xsum_to_string(s);
    if (!t)
        return NULL;
    cJSON *j = cJSON_CreateString(t);
    free(t);
    return j;
}

cJSON *povi_acc_hexfloat_json(double v) {
    char buf[40];
    snprintf(buf, sizeof buf, "%a", v);
    return cJSON_CreateString(buf);
}

int povi_acc_field_error(int code, const char *path, const char *msg) {
    povi_loc loc = POVI_LOC_NONE;
    loc.path = path;
    loc.source = "<string>";
    return povi_error_at(code, &loc, "%s", msg);
}

int povi_acc_get_field(const cJSON *obj, const char *name, const char *path, int kind,
                     const cJSON **out) {
    *out = NULL; /* defined on every path (callers test rc, but -O3 cannot see that) */
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return povi_acc_field_error(POV_EMISSING, path, "required field is missing");
    if (kind == POVI_ACC_STRING && !cJSON_IsString(v))
        return povi_acc_field_error(POV_ETYPE, path, "expected a string");
    if (kind == POVI_ACC_NUMBER && !cJSON_IsNumber(v))
        return povi_acc_field_error(POV_ETYPE, path, "expected a number");
    if (kind == POVI_ACC_ARRAY && !cJSON_IsArray(v))
        return povi_acc_field_error(POV_ETYPE, path, "expected an array");
    if (kind == POVI_ACC_OBJECT && !cJSON_IsObject(v))
        return povi_acc_field_error(POV_ETYPE, path, "expected an object");
    *out = v;
    return 0;
}

int povi_acc_parse_hexfloat(const cJSON *v, const char *path, double *out) {
    if (!cJSON_IsString(v))
        return povi_acc_field_error(POV_ETYPE, path, "expected a hexadecimal float string");
    char *end;
    *out = strtod(v->valuestring, &end);
    if (end == v->valuestring || *end)
        return povi_acc_field_error(POV_ESYNTAX, path, "malformed number");
    return 0;
}

int povi_acc_parse_sum(const cJSON *v, const char *path, povi_xsum *out) {
    if (!cJSON_IsString(v))
        return povi_acc_field_error(POV_ETYPE, path, "expected an exact sum string");
    if (povi_xsum_from_string(out, v->valuestring))
        return povi_acc_field_error(POV_ESYNTAX, path, "malformed exact sum (expected [-]0x<hex>p<exp>)");
    return 0;
}

int povi_acc_parse_count(const cJSON *v, const char *path, uint64_t *out) {
    double d = v->valuedouble;
    if (!(d >= 0 && d <= 9007199254740992.0 && d == floor(d)))
        return povi_acc_field_error(POV_ERANGE, path, "expected an integer count in [0, 2^53]");
    *out = (uint64_t)d;
    return 0;
}

int povi_acc_parse(const char *json, cJSON **out) {
    const char *end = NULL;
    *out = cJSON_ParseWithOpts(json, &end, 1);
    if (!*out) {
        size_t off = end ? (size_t)(end - json) : 0, line, col;
        povi_line_col(json, off, &line, &col);
        povi_loc loc = {"<string>", line, col, off, NULL};
        return povi_error_at(POV_ESYNTAX, &loc, "malformed JSON");
    }
    return 0;
}

int povi_acc_check_format(const cJSON *root, const char *format) {
    const cJSON *f = NULL;
    int rc;
    if (!cJSON_IsObject(root))
        return povi_acc_field_error(POV_ETYPE, "", "expected a JSON object");
    if ((rc = povi_acc_get_field(root, "format", "format", POVI_ACC_STRING, &f)))
        return rc;
    if (strcmp(f->valuestring, format) != 0) {
        povi_loc loc = POVI_LOC_NONE;
        loc.path = "format";
        loc.source = "<string>";
        return povi_error_at(POV_EFORMAT, &loc, "unsupported format \"%s\" (expected %s)",
                             f->valuestring, format);
    }
    return 0;
}
