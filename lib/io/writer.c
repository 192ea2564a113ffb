/*
 * Writers: JSON array, JSON Lines and CSV (household table + members table),
 * always through a temporary file that is renamed into place on commit.
 *
 * Every household is rendered by the data model's JSON writer
 * (povi_dataset_row_to_json), so the three formats hold exactly the same
 * fields; CSV flattens that JSON: one column per household-level indicator,
 * a members table, and JSON text in the cells of nested fields.
 *
 * Writers have no "derived" option: rows are rendered without
 * POV_JSON_DERIVED, so neither the schema's derived indicators nor the values
 * the library filled into the history-based indicators
 * (povi_dataset_value_filled(): income_last_year, assistance_measures) are
 * written, only the values the caller gave. The income history and programme
 * records they come from are written, and every reader fills them again. In
 * CSV their columns exist (the indicators are not derived ones) and such a
 * cell is empty.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

struct pov_writer {
    int format;
    int sync;
    povi_afile main, mem;
    int has_mem;
    char *mem_path;
    int started;   /* header / '[' written */
    int failed;    /* a write failed: commit refuses */
    int committed;
    size_t count;
    const pov_schema *schema;
    GString *buf, *cell;
    /* CSV columns: names; index by name -> column + 1 */
    GPtrArray *hcols, *mcols;
    GHashTable *hidx, *midx;
    GPtrArray *hcells, *mcells; /* GString per column */
};

int pov_write_options_init(pov_write_options *opts) {
    if (!opts)
        return povi_error(POV_EINVAL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->sync = 1;
    return 0;
}

static void free_gstring(gpointer p) { g_string_free((GString *)p, TRUE); }

void pov_writer_free(pov_writer *w) {
    if (!w)
        return;
    if (!w->committed) {
        povi_afile_abort(&w->main);
        if (w->has_mem)
            povi_afile_abort(&w->mem);
    }
    if (w->buf)
        g_string_free(w->buf, TRUE);
    if (w->cell)
        g_string_free(w->cell, TRUE);
    if (w->hcols)
        g_ptr_array_free(w->hcols, TRUE);
    if (w->mcols)
        g_ptr_array_free(w->mcols, TRUE);
    if (w->hidx)
        g_hash_table_destroy(w->hidx);
    if (w->midx)
        g_hash_table_destroy(w->midx);
    if (w->hcells)
        g_ptr_array_free(w->hcells, TRUE);
    if (w->mcells)
        g_ptr_array_free(w->mcells, TRUE);
    if (w->schema)
        pov_schema_free(w->schema);
    free(w->mem_path);
    free(w);
}

int pov_writer_open(const char *path, int format, const pov_write_options *opts,
                    pov_writer **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!path)
        return povi_error(POV_EINVAL, "path is NULL");
    pov_write_options o;
    pov_write_options_init(&o);
    if (opts) {
        if (opts->size < sizeof(size_t) || opts->size > sizeof o)
            return povi_error(POV_EINVAL, "pov_write_options.size is %zu: initialise the "
                                          "options with pov_write_options_init()", opts->size);
        memcpy(&o, opts, opts->size);
    }
    if (format == POV_FORMAT_AUTO) {
        format = pov_format_from_path(path);
        if (format < 0)
            return format;
    }
    if (format != POV_FORMAT_JSON && format != POV_FORMAT_JSONL && format != POV_FORMAT_CSV)
        return povi_error(POV_EINVAL, "unknown format %d", format);
    pov_writer *w = calloc(1, sizeof *w);
    if (!w)
        return povi_error(POV_ENOMEM, "out of memory");
    w->format = format;
    w->sync = o.sync;
    w->buf = g_string_sized_new(1 << 16);
    w->cell = g_string_sized_new(256);
    int rc = povi_afile_open(&w->main, path);
    if (rc < 0) {
        w->committed = 1; /* nothing to abort */
        pov_writer_free(w);
        return rc;
    }
    if (format == POV_FORMAT_CSV && o.members_path) {
        w->mem_path = strdup(o.members_path);
        rc = w->mem_path ? povi_afile_open(&w->mem, o.members_path)
                         : povi_error(POV_ENOMEM, "out of memory");
        if (rc < 0) {
            pov_writer_free(w);
            return rc;
        }
        w->has_mem = 1;
    }
    *out = w;
    return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_add_col(GPtrArray *cols, GHashTable *idx, GPtrArray *cells, const char *name) {
    if (g_hash_table_contains(idx, name))
        return;
    char *k = g_strdup(name);
    g_ptr_array_add(cols, k);
    g_hash_table_insert(idx, k, GSIZE_TO_POINTER(cols->len));
    g_ptr_array_add(cells, g_string_sized_new(32));
}

void povi_csv_put(GString *out, const char *s, size_t n) {
    int quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = 1;
            break;
        }
    }
    if (!quote) {
        g_string_append_len(out, s, (gssize)n);
        return;
    }
    g_string_append_c(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, s[i]);
    }
    g_string_append_c(out, '"');
}

static int is_special_key(const char *k) {
    return strcmp(k, "id") == 0 || strcmp(k, "members") == 0;
}

/* Would the reader take this text for something other than a plain string
 * in an unknown column? (see add_extra in csv.c) */
static int reads_as_json(const char *s) {
    if (!*s)
        return 1; /* an empty cell means missing */
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0 || strcmp(s, "null") == 0)
        return 1;
    if (*s == '{' || *s == '[' || *s == '"')
        return 1;
    char *end;
    (void)strtod(s, &end);
    return *end == '\0';
}

/* Renders one JSON value as cell text into w->cell. @p known: the column is
 * an indicator (strings are plain text) rather than an unknown field. */
static int render(pov_writer *w, const cJSON *v, int known) {
    g_string_truncate(w->cell, 0);
    if (cJSON_IsString(v)) {
        if (!known && reads_as_json(v->valuestring))
            povi_json_append_string(w->cell, v->valuestring, strlen(v->valuestring));
        else
            g_string_append(w->cell, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        povi_json_append_number(w->cell, v->valuedouble);
    } else if (cJSON_IsTrue(v)) {
        g_string_append(w->cell, "true");
    } else if (cJSON_IsFalse(v)) {
        g_string_append(w->cell, "false");
    } else if (cJSON_IsNull(v)) {
        g_string_append(w->cell, "null");
    } else {
        char *t = cJSON_PrintUnformatted(v);
        if (!t)
            return povi_error(POV_ENOMEM, "out of memory");
        g_string_append(w->cell, t);
        cJSON_free(t);
    }
    return 0;
}

static int csv_is_known(const pov_schema *schema, const char *name) {
    size_t ind;
    return povi_schema_lookup(schema, name, strlen(name), &ind) ||
           strcmp(name, "income_history") == 0 || strcmp(name, "programs") == 0;
}

static void csv_header(pov_writer *w, const pov_dataset *ds) {
    const pov_schema *schema = pov_dataset_schema(ds);
    w->hcols = g_ptr_array_new_with_free_func(g_free);
    w->mcols = g_ptr_array_new_with_free_func(g_free);
    w->hidx = g_hash_table_new(g_str_hash, g_str_equal);
    w->midx = g_hash_table_new(g_str_hash, g_str_equal);
    w->hcells = g_ptr_array_new_with_free_func(free_gstring);
    w->mcells = g_ptr_array_new_with_free_func(free_gstring);
    csv_add_col(w->hcols, w->hidx, w->hcells, "household_id");
    csv_add_col(w->mcols, w->midx, w->mcells, "household_id");
    size_t n = pov_schema_count(schema);
    for (size_t i = 0; i < n; i++) {
        const povi_indicator *in = povi_schema_get(schema, i);
        if (in->derived)
            continue;
        if (in->level == POV_LEVEL_HOUSEHOLD)
            csv_add_col(w->hcols, w->hidx, w->hcells, in->id);
        else
            csv_add_col(w->mcols, w->midx, w->mcells, in->id);
    }
}

/* Adds the extra keys of household JSON @p obj to the columns. */
static void csv_scan_keys(pov_writer *w, const cJSON *obj) {
    for (const cJSON *it = obj->child; it; it = it->next) {
        if (is_special_key(it->string))
            continue;
        csv_add_col(w->hcols, w->hidx, w->hcells, it->string);
    }
    const cJSON *mem = cJSON_GetObjectItemCaseSensitive(obj, "members");
    for (const cJSON *m = mem ? mem->child : NULL; m; m = m->next)
        for (const cJSON *it = m->child; it; it = it->next)
            csv_add_col(w->mcols, w->midx, w->mcells, it->string);
}

static void csv_emit_header(GString *out, GPtrArray *cols) {
    for (guint c = 0; c < cols->len; c++) {
        if (c)
            g_string_append_c(out, ',');
        const char *nm = g_ptr_array_index(cols, c);
        povi_csv_put(out, nm, strlen(nm));
    }
    g_string_append_c(out, '\n');
}

static void csv_emit_row(GString *out, GPtrArray *cells) {
    for (guint c = 0; c < cells->len; c++) {
        GString *s = g_ptr_array_index(cells, c);
        if (c)
            g_string_append_c(out, ',');
        povi_csv_put(out, s->str, s->len);
        g_string_truncate(s, 0);
    }
    g_string_append_c(out, '\n');
}

static int csv_fill(pov_writer *w, GHashTable *idx, GPtrArray *cells, const cJSON *obj,
                    const char *id, int level_members) {
    g_string_assign(g_ptr_array_index(cells, 0), id);
    for (const cJSON *it = obj->child; it; it = it->next) {
        if (!level_members && is_special_key(it->string))
            continue;
        if (strcmp(it->string, "household_id") == 0) {
            povi_loc loc = POVI_LOC_NONE;
            loc.path = "household_id";
            return povi_error_at(POV_EUNKNOWN, &loc,
                                 "household '%s' has a field named 'household_id', which CSV "
                                 "uses for the id column; write JSON or JSON Lines instead", id);
        }
        gpointer col = g_hash_table_lookup(idx, it->string);
        if (!col) {
            povi_loc loc = POVI_LOC_NONE;
            loc.path = it->string;
            return povi_error_at(POV_EUNKNOWN, &loc,
                                 "field '%s' of household '%s' is not among the CSV columns "
                                 "fixed by the first batch", it->string, id);
        }
        int rc = render(w, it, csv_is_known(w->schema, it->string));
        if (rc < 0)
            return rc;
        g_string_assign(g_ptr_array_index(cells, GPOINTER_TO_SIZE(col) - 1), w->cell->str);
    }
    return 0;
}

static int csv_write_rows(pov_writer *w, const pov_dataset *ds) {
    size_t n = pov_dataset_count(ds);
    cJSON **objs = NULL;
    int rc = 0;
    if (!w->started) {
        csv_header(w, ds);
        /* the extra columns come from the first batch */
        for (size_t i = 0; i < n && rc >= 0; i++) {
            g_string_truncate(w->buf, 0);
            rc = povi_dataset_row_to_json(ds, i, 0, w->buf);
            if (rc < 0)
                break;
            cJSON *o = cJSON_ParseWithLength(w->buf->str, w->buf->len);
            if (!o)
                return povi_error(POV_ENOMEM, "cannot re-read household JSON");
            csv_scan_keys(w, o);
            cJSON_Delete(o);
        }
        if (rc < 0)
            return rc;
        g_string_truncate(w->buf, 0);
        csv_emit_header(w->buf, w->hcols);
        povi_afile_write(&w->main, w->buf->str, w->buf->len);
        if (w->has_mem) {
            g_string_truncate(w->buf, 0);
            csv_emit_header(w->buf, w->mcols);
            povi_afile_write(&w->mem, w->buf->str, w->buf->len);
        }
        w->started = 1;
    }
    (void)objs;
    GString *json = g_string_sized_new(1024);
    GString *mout = g_string_sized_new(1 << 16);
    g_string_truncate(w->buf, 0);
    for (size_t i = 0; i < n; i++) {
        g_string_truncate(json, 0);
        rc = povi_dataset_row_to_json(ds, i, 0, json);
        if (rc < 0)
            break;
        cJSON *o = cJSON_ParseWithLength(json->str, json->len);
        if (!o) {
            rc = povi_error(POV_ENOMEM, "cannot re-read household JSON");
            break;
        }
        const char *id = pov_dataset_id(ds, i);
        rc = csv_fill(w, w->hidx, w->hcells, o, id ? id : "", 0);
        if (rc >= 0) {
            csv_emit_row(w->buf, w->hcells);
            const cJSON *mem = cJSON_GetObjectItemCaseSensitive(o, "members");
            if (mem && cJSON_GetArraySize(mem) > 0 && !w->has_mem) {
                povi_loc loc = POVI_LOC_NONE;
                loc.path = "members";
                rc = povi_error_at(POV_EINVAL, &loc,
                                   "household '%s' has members: give members_path in the write "
                                   "options so that they are not lost", id ? id : "");
            }
            for (const cJSON *m = mem ? mem->child : NULL; m && rc >= 0; m = m->next) {
                rc = csv_fill(w, w->midx, w->mcells, m, id ? id : "", 1);
                if (rc >= 0)
                    csv_emit_row(mout, w->mcells);
            }
        }
        cJSON_Delete(o);
        if (rc < 0)
            break;
        if (w->buf->len > (1u << 20)) {
            povi_afile_write(&w->main, w->buf->str, w->buf->len);
            g_string_truncate(w->buf, 0);
        }
        if (mout->len > (1u << 20)) {
            povi_afile_write(&w->mem, mout->str, mout->len);
            g_string_truncate(mout, 0);
        }
    }
    if (rc >= 0) {
        povi_afile_write(&w->main, w->buf->str, w->buf->len);
        if (w->has_mem)
            povi_afile_write(&w->mem, mout->str, mout->len);
    }
    g_string_truncate(w->buf, 0);
    g_string_free(json, TRUE);
    g_string_free(mout, TRUE);
    return rc < 0 ? rc : 0;
}

/* ---- JSON / JSONL ----------------------------------------------------------- */

static int json_write_rows(pov_writer *w, const pov_dataset *ds) {
    size_t n = pov_dataset_count(ds);
    g_string_truncate(w->buf, 0);
    if (n > 0 && !w->started && w->format == POV_FORMAT_JSON)
        g_string_append_c(w->buf, '[');
    if (n > 0)
        w->started = 1;
    for (size_t i = 0; i < n; i++) {
        if (w->format == POV_FORMAT_JSON)
            g_string_append(w->buf, w->count + i ? ",\n" : "\n");
        int rc = povi_dataset_row_to_json(ds, i, 0, w->buf);
        if (rc < 0)
            return rc;
        if (w->format == POV_FORMAT_JSONL)
            g_string_append_c(w->buf, '\n');
        if (w->buf->len > (1u << 20)) {
            povi_afile_write(&w->main, w->buf->str, w->buf->len);
            g_string_truncate(w->buf, 0);
        }
    }
    povi_afile_write(&w->main, w->buf->str, w->buf->len);
    g_string_truncate(w->buf, 0);
    return 0;
}

int pov_writer_write(pov_writer *w, const pov_dataset *ds) {
    if (!w || !ds)
        return povi_error(POV_EINVAL, "writer and dataset must not be NULL");
    if (w->committed)
        return povi_error(POV_ESTATE, "the writer was already committed");
    if (w->failed)
        return povi_error(POV_ESTATE, "the writer failed earlier; free it");
    if (!w->schema)
        w->schema = povi_schema_ref(pov_dataset_schema(ds));
    int rc = w->format == POV_FORMAT_CSV ? csv_write_rows(w, ds) : json_write_rows(w, ds);
    if (rc < 0) {
        w->failed = 1;
        return rc;
    }
    w->count += pov_dataset_count(ds);
    return 0;
}

int pov_writer_commit(pov_writer *w) {
    if (!w)
        return povi_error(POV_EINVAL, "writer is NULL");
    if (w->committed)
        return povi_error(POV_ESTATE, "the writer was already committed");
    if (w->failed)
        return povi_error(POV_ESTATE, "the writer failed earlier; nothing was replaced");
    if (w->format == POV_FORMAT_JSON)
        povi_afile_write(&w->main, w->started ? "\n]\n" : "[]\n", 3);
    else if (w->format == POV_FORMAT_CSV && !w->started) {
        povi_afile_write(&w->main, "household_id\n", 13);
        if (w->has_mem)
            povi_afile_write(&w->mem, "household_id\n", 13);
    }
    /* members first: if the main file fails after, both stay as they were
     * only for the main one; commit order keeps the household file (the one
     * users open) consistent with what exists. */
    int rc = 0;
    if (w->has_mem) {
        rc = povi_afile_commit(&w->mem, w->sync);
        if (rc < 0) {
            w->failed = 1;
            return rc;
        }
    }
    rc = povi_afile_commit(&w->main, w->sync);
    w->committed = 1;
    return rc;
}

int pov_dataset_write_file(const pov_dataset *ds, const char *path, int format,
                           const pov_write_options *opts) {
    if (!ds)
        return povi_error(POV_EINVAL, "dataset is NULL");
    pov_writer *w;
    int rc = pov_writer_open(path, format, opts, &w);
    if (rc < 0)
        return rc;
    rc = pov_writer_write(w, ds);
    if (rc >= 0)
        rc = pov_writer_commit(w);
    pov_writer_free(w);
    return rc;
}
