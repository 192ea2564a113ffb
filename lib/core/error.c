/*
 * Thread-local error detail and status strings.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define POVI_MSG_MAX 1024
#define POVI_SRC_MAX 512
#define POVI_PATH_MAX 512

/* Fixed-size, thread-local storage: no allocation, nothing to free at thread
 * exit, and reporting an error can never itself fail. Over-long texts are
 * truncated (with "…" appended). */
struct pov_error {
    int code;
    size_t line;
    size_t column;
    size_t offset;
    char message[POVI_MSG_MAX];
    char source[POVI_SRC_MAX];
    char path[POVI_PATH_MAX];
};

static _Thread_local struct pov_error tls_error = {0, 0, 0, SIZE_MAX, "", "", ""};

static void copy_trunc(char *dst, size_t cap, const char *src) {
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    /* keep room for "..." and do not cut a UTF-8 sequence in half */
    size_t keep = cap - 4;
    while (keep > 0 && ((unsigned char)src[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(dst, src, keep);
    memcpy(dst + keep, "...", 4);
}

const char *pov_strerror(int code) {
    switch (code) {
    case POV_OK: return "success";
    case POV_ERROR: return "unspecified error";
    case POV_ENOMEM: return "out of memory";
    case POV_EINVAL: return "invalid argument";
    case POV_EIO: return "input/output error";
    case POV_ENOTFOUND: return "not found";
    case POV_ESYNTAX: return "syntax error";
    case POV_ETYPE: return "wrong type";
    case POV_ERANGE: return "value out of range";
    case POV_ENONFINITE: return "NaN or infinite value";
    case POV_ECODE: return "unknown category code";
    case POV_EMISSING: return "required field missing";
    case POV_EDUPLICATE: return "duplicate identifier";
    case POV_EORPHAN: return "record refers to a missing parent";
    case POV_ELIMIT: return "limit exceeded";
    case POV_ETRUNCATED: return "input truncated";
    case POV_EFORMAT: return "unsupported format";
    case POV_EUNKNOWN: return "unknown field or operator";
    case POV_EDOMAIN: return "measure undefined for this data";
    case POV_EEMPTY: return "no data";
    case POV_ESTATE: return "operation not allowed in this state";
    case POV_ERULE: return "inconsistent rule";
    case POV_ESINGULAR: return "singular problem";
    default: return "unknown error code";
    }
}

const pov_error *pov_error_last(void) { return &tls_error; }

void pov_error_clear(void) {
    tls_error.code = 0;
    tls_error.line = 0;
    tls_error.column = 0;
    tls_error.offset = SIZE_MAX;
    tls_error.message[0] = '\0';
    tls_error.source[0] = '\0';
    tls_error.path[0] = '\0';
}

int pov_error_code(const pov_error *err) { return err ? err->code : 0; }
const char *pov_error_message(const pov_error *err) { return err ? err->message : ""; }
const char *pov_error_source(const pov_error *err) { return err ? err->source : ""; }
size_t pov_error_line(const pov_error *err) { return err ? err->line : 0; }
size_t pov_error_column(const pov_error *err) { return err ? err->column : 0; }
size_t pov_error_offset(const pov_error *err) { return err ? err->offset : SIZE_MAX; }
const char *pov_error_path(const pov_error *err) { return err ? err->path : ""; }

void pov_free(void *ptr) { free(ptr); }

int povi_error_atv(int code, const povi_loc *loc, const char *fmt, va_list ap) {
    struct pov_error *e = &tls_error;
    char buf[POVI_MSG_MAX + 8];
    if (fmt)
        vsnprintf(buf, sizeof buf, fmt, ap);
    else
        snprintf(buf, sizeof buf, "%s", pov_strerror(code));
    e->code = code;
    copy_trunc(e->message, sizeof e->message, buf);
    if (loc) {
        copy_trunc(e->source, sizeof e->source, loc->source);
        copy_trunc(e->path, sizeof e->path, loc->path);
        e->line = loc->line;
        e->column = loc->column;
        e->offset = loc->offset;
    } else {
        e->source[0] = '\0';
        e->path[0] = '\0';
        e->line = 0;
        e->column = 0;
        e->offset = SIZE_MAX;
    }
    return code;
}

int povi_error_at(int code, const povi_loc *loc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    povi_error_atv(code, loc, fmt, ap);
    va_end(ap);
    return code;
}

int povi_error(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    povi_error_atv(code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

void povi_error_prefix_path(const char *prefix) {
    if (!prefix || !*prefix)
        return;
    char buf[POVI_PATH_MAX * 2];
    const char *rest = tls_error.path;
    /* "[3]" + ".age" or "[3]" + "[2]" concatenate directly; "[3]" + "age"
     * needs a dot. */
    const char *sep = (rest[0] && rest[0] != '[' && rest[0] != '.') ? "." : "";
    snprintf(buf, sizeof buf, "%s%s%s", prefix, sep, rest);
    copy_trunc(tls_error.path, sizeof tls_error.path, buf);
}

void povi_error_set_source_if_empty(const char *source) {
    if (source && tls_error.source[0] == '\0')
        copy_trunc(tls_error.source, sizeof tls_error.source, source);
}

void povi_line_col(const char *text, size_t offset, size_t *line, size_t *column) {
    size_t l = 1, c = 1;
    for (size_t i = 0; i < offset && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    if (line)
        *line = l;
    if (column)
        *column = c;
}
