/*
 * Readers: options, reports, the streaming reader and the JSON / JSON Lines
 * record loop. CSV lives in csv.c.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader_internal.h"

/* ---- options -------------------------------------------------------------- */

int pov_read_options_init(pov_read_options *opts) {
    if (!opts)
        return povi_error(POV_EINVAL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->mode = POV_READ_STRICT;
    opts->batch_size = POV_READ_DEFAULT_BATCH;
    opts->max_line = POV_READ_DEFAULT_MAX_LINE;
    opts->max_depth = POV_READ_DEFAULT_MAX_DEPTH;
    opts->max_rejects = 0;
    opts->check_duplicates = 1;
    return 0;
}

int pov_format_from_path(const char *path) {
    if (!path)
        return povi_error(POV_EINVAL, "path is NULL");
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (strcasecmp(dot, ".json") == 0)
            return POV_FORMAT_JSON;
        if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0)
            return POV_FORMAT_JSONL;
        if (strcasecmp(dot, ".csv") == 0)
            return POV_FORMAT_CSV;
    }
    povi_loc loc = POVI_LOC_NONE;
    loc.source = path;
    return povi_error_at(POV_EFORMAT, &loc,
                         "cannot tell the format of '%s' from its extension "
                         "(.json, .jsonl, .ndjson or .csv); pass the format explicitly", path);
}

/* Copies the caller's options, accepting older (smaller) structs. */
static int copy_options(pov_read_options *dst, const pov_read_options *src) {
    pov_read_options_init(dst);
    if (!src)
        return 0;
    if (src->size < offsetof(pov_read_options, members_path) + sizeof(const char *) ||
        src->size > sizeof *src)
        return povi_error(POV_EINVAL, "pov_read_options.size is %zu: initialise the options "
                                      "with pov_read_options_init()", src->size);
    memcpy(dst, src, src->size);
    dst->size = sizeof *dst;
    if (dst->mode != POV_READ_STRICT && dst->mode != POV_READ_COLLECT)
        return povi_error(POV_EINVAL, "unknown read mode %d", dst->mode);
    if (dst->batch_size == 0)
        return povi_error(POV_EINVAL, "batch_size must be at least 1");
    if (dst->max_line == 0 || dst->max_line > ((size_t)1 << 40))
        return povi_error(POV_EINVAL, "max_line must be between 1 and 2^40 bytes");
    if (dst->max_depth == 0 || dst->max_depth > 10000)
        return povi_error(POV_EINVAL, "max_depth must be between 1 and 10000");
    return 0;
}

/* ---- report ------------------------------------------------------------- */

static pov_read_report *report_new(void) {
    pov_read_report *rep = calloc(1, sizeof *rep);
    if (!rep)
        return NULL;
    rep->rejects = g_array_new(FALSE, FALSE, sizeof(povi_reject));
    rep->strings = g_string_chunk_new(4096);
    return rep;
}

void pov_read_report_free(pov_read_report *report) {
    if (!report)
        return;
    g_array_free(report->rejects, TRUE);
    g_string_chunk_free(report->strings);
    free(report);
}

size_t pov_read_report_read(const pov_read_report *r) { return r ? r->n_read : 0; }
size_t pov_read_report_accepted(const pov_read_report *r) { return r ? r->n_accepted : 0; }
size_t pov_read_report_rejected(const pov_read_report *r) { return r ? r->n_rejected : 0; }

static const povi_reject *reject_at(const pov_read_report *r, size_t i) {
    if (!r || i >= r->rejects->len)
        return NULL;
    return &g_array_index(r->rejects, povi_reject, i);
}

int pov_read_report_reject_code(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->code : 0;
}
size_t pov_read_report_reject_line(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->line : 0;
}
size_t pov_read_report_reject_column(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->column : 0;
}
const char *pov_read_report_reject_source(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->source : "";
}
const char *pov_read_report_reject_message(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->message : "";
}
const char *pov_read_report_reject_path(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->path : "";
}
const char *pov_read_report_reject_text(const pov_read_report *r, size_t i) {
    const povi_reject *j = reject_at(r, i);
    return j ? j->text : "";
}

static const char *code_name(int code) {
    static const char *const names[] = {
        "POV_OK", "POV_ERROR", "POV_ENOMEM", "POV_EINVAL", "POV_EIO", "POV_ENOTFOUND",
        "POV_ESYNTAX", "POV_ETYPE", "POV_ERANGE", "POV_ENONFINITE", "POV_ECODE",
        "POV_EMISSING", "POV_EDUPLICATE", "POV_EORPHAN", "POV_ELIMIT", "POV_ETRUNCATED",
        "POV_EFORMAT", "POV_EUNKNOWN", "POV_EDOMAIN", "POV_EEMPTY", "POV_ESTATE",
        "POV_ERULE", "POV_ESINGULAR"};
    if (code <= 0 && -code < (int)(sizeof names / sizeof names[0]))
        return names[-code];
    return "POV_ERROR";
}

int pov_read_report_write(const pov_read_report *report, const char *path) {
    if (!report || !path)
        return povi_error(POV_EINVAL, "report and path must not be NULL");
    povi_afile af;
    int rc = povi_afile_open(&af, path);
    if (rc < 0)
        return rc;
    GString *s = g_string_sized_new(1024);
    for (size_t i = 0; i < report->rejects->len; i++) {
        const povi_reject *j = &g_array_index(report->rejects, povi_reject, i);
        g_string_truncate(s, 0);
        g_string_append(s, "{\"source\":");
        povi_json_append_string(s, j->source, strlen(j->source));
        g_string_append_printf(s, ",\"line\":%zu,\"column\":%zu,\"code\":\"%s\",\"message\":",
                               j->line, j->column, code_name(j->code));
        povi_json_append_string(s, j->message, strlen(j->message));
        g_string_append(s, ",\"path\":");
        povi_json_append_string(s, j->path, strlen(j->path));
        g_string_append(s, ",\"text\":");
        povi_json_append_string(s, j->text, strlen(j->text));
        g_string_append(s, "}\n");
        povi_afile_write(&af, s->str, s->len);
    }
    g_string_free(s, TRUE);
    return povi_afile_commit(&af, 1);
}

/* ---- rejecting and accepting records -------------------------------------- */

/* Keeps at most POVI_REJECT_TEXT_MAX bytes, cut at a UTF-8 boundary. */
static const char *keep_text(GStringChunk *chunk, const char *t, size_t len) {
    if (!t)
        return g_string_chunk_insert_len(chunk, "", 0);
    if (len <= POVI_REJECT_TEXT_MAX)
        return g_string_chunk_insert_len(chunk, t, (gssize)len);
    size_t keep = POVI_REJECT_TEXT_MAX - 3;
    while (keep > 0 && ((unsigned char)t[keep] & 0xC0) == 0x80)
        keep--;
    char buf[POVI_REJECT_TEXT_MAX + 1];
    memcpy(buf, t, keep);
    memcpy(buf + keep, "...", 3);
    return g_string_chunk_insert_len(chunk, buf, (gssize)(keep + 3));
}

int povi_reader_reject(pov_reader *r, const povi_rec *rec, int code) {
    if (r->opts.mode != POV_READ_COLLECT)
        return code;
    const pov_error *e = pov_error_last();
    pov_read_report *rep = r->report;
    povi_reject j;
    const char *src = pov_error_source(e);
    j.source = g_string_chunk_insert_const(rep->strings, *src ? src : r->source);
    j.message = g_string_chunk_insert(rep->strings, pov_error_message(e));
    j.path = g_string_chunk_insert(rep->strings, pov_error_path(e));
    j.text = keep_text(rep->strings, rec ? rec->text : NULL, rec ? rec->len : 0);
    j.line = pov_error_line(e);
    j.column = pov_error_column(e);
    j.code = code;
    g_array_append_val(rep->rejects, j);
    rep->n_rejected++;
    if (r->opts.max_rejects && rep->n_rejected > r->opts.max_rejects) {
        povi_loc loc = {j.source, j.line, j.column, SIZE_MAX, j.path};
        return povi_error_at(POV_ELIMIT, &loc, "more than %zu bad records (max_rejects)",
                             r->opts.max_rejects);
    }
    return 1;
}

int povi_reader_accept(pov_reader *r, pov_dataset *ds, const povi_rec *rec, const char *text,
                       size_t len) {
    (void)rec;
    (void)text;
    (void)len;
    const char *id = pov_household_id(r->h);
    if (r->ids && id) {
        if (g_hash_table_contains(r->ids, id)) {
            povi_loc loc = POVI_LOC_NONE;
            loc.path = "id";
            return povi_error_at(POV_EDUPLICATE, &loc, "duplicate household id '%s'", id);
        }
    }
    int rc = pov_dataset_append(ds, r->h);
    if (rc < 0)
        return rc;
    if (r->ids && id) {
        char *k = g_string_chunk_insert(r->id_chunk, id);
        g_hash_table_add(r->ids, k);
    }
    r->report->n_accepted++;
    return 0;
}

/* ---- relocating errors ------------------------------------------------------ */

typedef struct err_copy {
    int code;
    size_t line, column, offset;
    char source[512], path[512], message[1024];
} err_copy;

static void err_save(err_copy *c) {
    const pov_error *e = pov_error_last();
    c->code = pov_error_code(e);
    c->line = pov_error_line(e);
    c->column = pov_error_column(e);
    c->offset = pov_error_offset(e);
    snprintf(c->source, sizeof c->source, "%s", pov_error_source(e));
    snprintf(c->path, sizeof c->path, "%s", pov_error_path(e));
    snprintf(c->message, sizeof c->message, "%s", pov_error_message(e));
}

/* An error reported relative to the record text (line 1 = the record's first
 * line): shift it to the file and prefix the path with "[index]". */
static int relocate_rel(pov_reader *r, const povi_rec *rec, size_t index) {
    err_copy c;
    err_save(&c);
    char path[600];
    const char *sep = (c.path[0] && c.path[0] != '[' && c.path[0] != '.') ? "." : "";
    snprintf(path, sizeof path, "[%zu]%s%s", index, sep, c.path);
    povi_loc loc = {r->source, 0, 0, SIZE_MAX, path};
    if (c.line) {
        loc.line = c.line + rec->line - 1;
        loc.column = c.column + (c.line == 1 ? rec->column - 1 : 0);
    }
    if (c.offset != SIZE_MAX)
        loc.offset = c.offset + (size_t)rec->offset;
    return povi_error_at(c.code, &loc, "%s", c.message);
}

/* An error already absolute in lines (povi_json_src with line_base) but with
 * columns of the record's first line counted from the record start. */
static int fix_first_line(const povi_rec *rec) {
    err_copy c;
    err_save(&c);
    if (rec->column <= 1 || c.line != rec->line)
        return c.code;
    povi_loc loc = {c.source, c.line, c.column + rec->column - 1, c.offset, c.path};
    return povi_error_at(c.code, &loc, "%s", c.message);
}

/* ---- JSON and JSON Lines --------------------------------------------------- */

static int is_blank(const povi_rec *rec) {
    for (size_t i = 0; i < rec->len; i++) {
        char c = rec->text[i];
        if (c != ' ' && c != '\t' && c != '\r')
            return 0;
    }
    return 1;
}

static int json_read_one(pov_reader *r, pov_dataset *ds) {
    povi_rec rec = {0};
    int k;
    if (r->format == POV_FORMAT_JSONL) {
        do {
            k = povi_lr_next_line(&r->lr, &rec);
        } while (k == 1 && is_blank(&rec));
    } else {
        k = povi_lr_next_json_elem(&r->lr, &rec, r->opts.max_depth);
    }
    if (k == 0)
        return 0;
    if (k < 0) {
        if ((k == POV_ETRUNCATED) && r->opts.mode == POV_READ_COLLECT) {
            r->report->n_read++;
            int rr = povi_reader_reject(r, NULL, k);
            r->done = 1;
            return rr < 0 ? rr : 0;
        }
        return k;
    }
    size_t idx = r->index++;
    r->report->n_read++;
    if (k == 2) {
        int code = pov_error_code(pov_error_last());
        char pfx[32];
        snprintf(pfx, sizeof pfx, "[%zu]", idx);
        povi_error_prefix_path(pfx);
        return povi_reader_reject(r, &rec, code);
    }
    char base[32];
    snprintf(base, sizeof base, "[%zu]", idx);
    int rc;
    if (!r->no_fast && povi_json_fast_fill(r, rec.text, rec.len)) {
        povi_json_src fsrc = {r->source, rec.text, rec.len, "", rec.line - 1, (size_t)rec.offset};
        rc = povi_reader_accept(r, ds, &rec, rec.text, rec.len);
        if (rc < 0) {
            err_copy c;
            err_save(&c);
            povi_json_error(c.code, &fsrc, c.path, "%s", c.message);
            rc = fix_first_line(&rec);
            povi_error_prefix_path(base);
            return povi_reader_reject(r, &rec, rc);
        }
        return 1;
    }
    cJSON *obj = NULL;
    rc = povi_json_parse(rec.text, rec.len, r->source, (int)r->opts.max_depth, &obj);
    if (rc < 0) {
        const pov_error *e = pov_error_last();
        size_t off = pov_error_offset(e);
        size_t tok = (rc == POV_ESYNTAX || rc == POV_ENONFINITE) && off != SIZE_MAX
                         ? povi_json_nonfinite_token(rec.text, rec.len, off)
                         : 0;
        if (tok && !*pov_error_path(e)) {
            /* NaN / Infinity as Python's json module writes them: not JSON,
             * but clearly a non-finite number, so say so (with its path). */
            povi_loc loc = {r->source, pov_error_line(e), pov_error_column(e), off, NULL};
            g_string_truncate(r->tmp, 0);
            povi_json_path_at(rec.text, rec.len, off, r->tmp);
            loc.path = r->tmp->str;
            povi_error_at(POV_ENONFINITE, &loc,
                          "%.*s is not a finite number (JSON has no NaN or Infinity; leave the "
                          "field out or use null for a missing value)", (int)tok, rec.text + off);
        }
        rc = relocate_rel(r, &rec, idx);
        return povi_reader_reject(r, &rec, rc);
    }
    /* paths are located within the record's text, then prefixed by [index] */
    povi_json_src src = {r->source, rec.text, rec.len, "", rec.line - 1, (size_t)rec.offset};
    povi_household_reset(r->h);
    rc = povi_household_fill_from_cjson(r->h, obj, &src);
    cJSON_Delete(obj);
    if (rc < 0) {
        rc = fix_first_line(&rec);
        povi_error_prefix_path(base);
        return povi_reader_reject(r, &rec, rc);
    }
    rc = povi_reader_accept(r, ds, &rec, rec.text, rec.len);
    if (rc < 0) {
        err_copy c;
        err_save(&c);
        povi_json_error(c.code, &src, c.path, "%s", c.message);
        rc = fix_first_line(&rec);
        povi_error_prefix_path(base);
        return povi_reader_reject(r, &rec, rc);
    }
    return 1;
}

/* ---- the reader object ---------------------------------------------------- */

void pov_reader_free(pov_reader *r) {
    if (!r)
        return;
    if (r->lr_open)
        povi_lr_close(&r->lr);
    pov_household_free(r->h);
    pov_read_report_free(r->report);
    if (r->ids)
        g_hash_table_destroy(r->ids);
    if (r->id_chunk)
        g_string_chunk_free(r->id_chunk);
    povi_csv_row_clear(&r->row);
    povi_csv_table_clear(&r->table);
    povi_csv_members_free(r->members);
    if (r->tmp)
        g_string_free(r->tmp, TRUE);
    free(r->fast_seen);
    free(r->fast_cache);
    if (r->fast_keys)
        g_string_free(r->fast_keys, TRUE);
    if (r->fast_mkeys)
        g_string_free(r->fast_mkeys, TRUE);
    free(r->source);
    free(r->rejects_path);
    pov_schema_free(r->schema);
    free(r);
}

static int reader_new(const pov_schema *schema, int format, const pov_read_options *opts,
                      const char *source, int whole, pov_reader **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!schema)
        return povi_error(POV_EINVAL, "schema is NULL");
    if (format != POV_FORMAT_JSON && format != POV_FORMAT_JSONL && format != POV_FORMAT_CSV)
        return povi_error(POV_EINVAL, "unknown format %d", format);
    pov_reader *r = calloc(1, sizeof *r);
    if (!r)
        return povi_error(POV_ENOMEM, "out of memory");
    int rc = copy_options(&r->opts, opts);
    if (rc < 0) {
        free(r);
        return rc;
    }
    r->schema = povi_schema_ref(schema);
    r->format = format;
    r->whole = whole;
    r->source = strdup(source);
    r->report = report_new();
    r->tmp = g_string_sized_new(256);
    /* testing knob: read every JSON record through the reference path */
    r->no_fast = getenv("POVMETRICS_JSON_REFERENCE") != NULL;
    if (r->opts.rejects_path)
        r->rejects_path = strdup(r->opts.rejects_path);
    r->opts.rejects_path = NULL;
    r->opts.members_path = opts ? opts->members_path : NULL;
    if (!r->source || !r->report || (opts && opts->rejects_path && !r->rejects_path)) {
        pov_reader_free(r);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    if (!whole && r->opts.check_duplicates) {
        r->ids = g_hash_table_new(g_str_hash, g_str_equal);
        r->id_chunk = g_string_chunk_new(1 << 16);
    }
    rc = pov_household_new(schema, &r->h);
    if (rc < 0) {
        pov_reader_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

static int reader_open_any(const pov_schema *schema, const char *path, const char *data,
                           size_t len, const char *name, int format,
                           const pov_read_options *opts, int whole, pov_reader **out) {
    if (out)
        *out = NULL;
    if (path) {
        if (format == POV_FORMAT_AUTO) {
            format = pov_format_from_path(path);
            if (format < 0)
                return format;
        }
    } else if (format == POV_FORMAT_AUTO) {
        return povi_error(POV_EINVAL, "POV_FORMAT_AUTO needs a file name; give the format");
    }
    pov_reader *r;
    int rc = reader_new(schema, format, opts, path ? path : (name ? name : "<buffer>"), whole, &r);
    if (rc < 0)
        return rc;
    if (path) {
        rc = povi_lr_open_file(&r->lr, path, r->opts.max_line);
        if (rc < 0) {
            pov_reader_free(r);
            return rc;
        }
    } else {
        povi_lr_open_mem(&r->lr, data ? data : "", data ? len : 0, r->source, r->opts.max_line);
    }
    r->lr.source = r->source;
    r->lr_open = 1;
    if (format == POV_FORMAT_CSV && path && r->opts.members_path) {
        rc = povi_csv_members_open(r, r->opts.members_path, NULL, 0, NULL);
        if (rc < 0) {
            pov_reader_free(r);
            return rc;
        }
    }
    *out = r;
    return 0;
}

int pov_reader_open(const pov_schema *schema, const char *path, int format,
                    const pov_read_options *opts, pov_reader **out) {
    if (!path) {
        if (out)
            *out = NULL;
        return povi_error(POV_EINVAL, "path is NULL");
    }
    return reader_open_any(schema, path, NULL, 0, NULL, format, opts, 0, out);
}

int pov_reader_open_buffer(const pov_schema *schema, const char *data, size_t len,
                           const char *source_name, int format, const pov_read_options *opts,
                           pov_reader **out) {
    if (!data && len) {
        if (out)
            *out = NULL;
        return povi_error(POV_EINVAL, "data is NULL");
    }
    return reader_open_any(schema, NULL, data, len, source_name, format, opts, 0, out);
}

const pov_read_report *pov_reader_report(const pov_reader *r) { return r ? r->report : NULL; }

static int read_one(pov_reader *r, pov_dataset *ds) {
    if (r->format == POV_FORMAT_CSV)
        return povi_csv_read_one(r, ds);
    return json_read_one(r, ds);
}

/* Finishes a read: orphan members, rejects file. */
static int reader_finish(pov_reader *r) {
    if (r->done == 2)
        return 0;
    if (r->members) {
        int rc = povi_csv_orphans(r);
        if (rc < 0)
            return rc;
    }
    if (r->opts.mode == POV_READ_COLLECT && r->rejects_path) {
        int rc = pov_read_report_write(r->report, r->rejects_path);
        if (rc < 0)
            return rc;
    }
    r->done = 2;
    return 0;
}

/* Reads up to @p limit records into @p ds: > 0 records consumed, 0 end. */
static int reader_fill(pov_reader *r, pov_dataset *ds, size_t limit) {
    size_t before = pov_dataset_count(ds);
    size_t consumed = 0;
    while (pov_dataset_count(ds) - before < limit) {
        if (r->done)
            break;
        int k = read_one(r, ds);
        if (k < 0) {
            r->status = k;
            return k;
        }
        if (k == 0) {
            r->done = 1;
            break;
        }
        consumed++;
    }
    return consumed > 0 ? 1 : 0;
}

int pov_reader_next(pov_reader *r, pov_dataset **out) {
    if (out)
        *out = NULL;
    if (!r || !out)
        return povi_error(POV_EINVAL, "reader and out must not be NULL");
    if (r->status < 0)
        return povi_error(r->status, "the reader stopped after an earlier error (%s)",
                          pov_strerror(r->status));
    pov_dataset *ds;
    int rc = pov_dataset_new(r->schema, &ds);
    if (rc < 0)
        return rc;
    for (;;) {
        rc = reader_fill(r, ds, r->opts.batch_size);
        if (rc < 0) {
            pov_dataset_free(ds);
            return rc;
        }
        if (pov_dataset_count(ds) > 0)
            break;
        if (r->done) {
            pov_dataset_free(ds);
            rc = reader_finish(r);
            if (rc < 0) {
                r->status = rc;
                return rc;
            }
            return 0;
        }
    }
    size_t n = pov_dataset_count(ds);
    *out = ds;
    return n > (size_t)INT32_MAX ? INT32_MAX : (int)n;
}

static int read_whole(pov_reader *r, pov_dataset **out, pov_read_report **report_out) {
    pov_dataset *ds = NULL;
    int rc = pov_dataset_new(r->schema, &ds);
    while (rc >= 0) {
        rc = reader_fill(r, ds, SIZE_MAX);
        if (rc < 0)
            break;
        if (r->done) {
            rc = reader_finish(r);
            break;
        }
    }
    if (report_out) {
        *report_out = r->report;
        r->report = NULL;
    }
    if (rc < 0) {
        pov_dataset_free(ds);
        pov_reader_free(r);
        return rc;
    }
    pov_reader_free(r);
    *out = ds;
    return 0;
}

int pov_dataset_read_file(const pov_schema *schema, const char *path, int format,
                          const pov_read_options *opts, pov_dataset **out,
                          pov_read_report **report_out) {
    if (report_out)
        *report_out = NULL;
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!path)
        return povi_error(POV_EINVAL, "path is NULL");
    pov_reader *r;
    int rc = reader_open_any(schema, path, NULL, 0, NULL, format, opts, 1, &r);
    if (rc < 0)
        return rc;
    return read_whole(r, out, report_out);
}

int pov_dataset_read_buffer(const pov_schema *schema, const char *data, size_t len,
                            const char *source_name, int format, const pov_read_options *opts,
                            pov_dataset **out, pov_read_report **report_out) {
    if (report_out)
        *report_out = NULL;
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!data && len)
        return povi_error(POV_EINVAL, "data is NULL");
    pov_reader *r;
    int rc = reader_open_any(schema, NULL, data, len, source_name, format, opts, 1, &r);
    if (rc < 0)
        return rc;
    return read_whole(r, out, report_out);
}

int pov_dataset_read_csv_buffers(const pov_schema *schema, const char *households,
                                 size_t households_len, const char *households_name,
                                 const char *members, size_t members_len,
                                 const char *members_name, const pov_read_options *opts,
                                 pov_dataset **out, pov_read_report **report_out) {
    if (report_out)
        *report_out = NULL;
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if ((!households && households_len) || (!members && members_len))
        return povi_error(POV_EINVAL, "data is NULL");
    pov_reader *r;
    int rc = reader_open_any(schema, NULL, households, households_len,
                             households_name ? households_name : "<households>",
                             POV_FORMAT_CSV, opts, 1, &r);
    if (rc < 0)
        return rc;
    if (members) {
        rc = povi_csv_members_open(r, NULL, members, members_len,
                                   members_name ? members_name : "<members>");
        if (rc < 0) {
            pov_reader_free(r);
            return rc;
        }
    }
    return read_whole(r, out, report_out);
}
