/*
 * CSV household tables (RFC 4180) and the members table joined by
 * household_id. Cells are converted by the data model's text setter, so a
 * CSV cell gives the same codes as the same value in JSON; errors carry the
 * file, line and byte column of the cell and the path `[row].indicator` or
 * `[row].members[k].indicator`.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

#define ID_COLUMN "household_id"

void povi_csv_table_clear(povi_csv_table *t) {
    for (size_t i = 0; i < t->n_cols; i++)
        free(t->cols[i].name);
    free(t->cols);
    memset(t, 0, sizeof *t);
}

static povi_loc cell_loc(const char *source, const povi_csv_field *f, const char *path) {
    povi_loc loc = {source, f->line, f->column, SIZE_MAX, path};
    return loc;
}

/* Reads the header record into @p t. @p level: the level of the table. */
static int parse_header(const pov_schema *schema, const povi_rec *rec, const char *source,
                        int level, povi_csv_row *row, povi_csv_table *t) {
    int rc = povi_csv_split(rec, source, row);
    if (rc < 0)
        return rc;
    t->cols = calloc(row->n, sizeof *t->cols);
    if (!t->cols)
        return povi_error(POV_ENOMEM, "out of memory");
    t->n_cols = row->n;
    t->id_col = SIZE_MAX;
    t->have_header = 1;
    for (size_t c = 0; c < row->n; c++) {
        const povi_csv_field *f = &row->f[c];
        povi_csv_col *col = &t->cols[c];
        col->name = g_strndup(f->s, f->len);
        char *nm = col->name;
        /* allow surrounding blanks in header names */
        g_strstrip(nm);
        povi_loc loc = cell_loc(source, f, nm);
        for (size_t d = 0; d < c; d++) {
            if (strcmp(t->cols[d].name, nm) == 0)
                return povi_error_at(POV_EDUPLICATE, &loc,
                                     "column '%s' appears twice in the header (columns %zu and %zu)",
                                     nm, d + 1, c + 1);
        }
        size_t ind;
        if (strcmp(nm, ID_COLUMN) == 0) {
            col->kind = POVI_COL_ID;
            t->id_col = c;
        } else if (nm[0] == '\0') {
            return povi_error_at(POV_ESYNTAX, &loc, "column %zu has an empty name", c + 1);
        } else if (level == POV_LEVEL_HOUSEHOLD && strcmp(nm, "income_history") == 0) {
            col->kind = POVI_COL_HISTORY;
        } else if (level == POV_LEVEL_HOUSEHOLD && strcmp(nm, "programs") == 0) {
            col->kind = POVI_COL_PROGRAMS;
        } else if (povi_schema_lookup(schema, nm, strlen(nm), &ind)) {
            const povi_indicator *in = povi_schema_get(schema, ind);
            if ((int)in->level != level)
                return povi_error_at(POV_EFORMAT, &loc,
                                     "'%s' is a %s-level indicator; it belongs in the %s file", nm,
                                     in->level == POV_LEVEL_MEMBER ? "member" : "household",
                                     in->level == POV_LEVEL_MEMBER ? "members" : "household");
            if (in->derived && ind != POVI_HOUSEHOLD_SIZE) {
                col->kind = POVI_COL_SKIP; /* computed by the library, as in JSON */
            } else {
                col->kind = POVI_COL_IND;
                col->indicator = ind;
            }
        } else {
            col->kind = POVI_COL_EXTRA;
        }
    }
    if (t->id_col == SIZE_MAX) {
        povi_loc loc = {source, rec->line, 1, SIZE_MAX, ID_COLUMN};
        return povi_error_at(POV_EMISSING, &loc, "the header has no '" ID_COLUMN "' column");
    }
    return 0;
}

static int check_width(const povi_csv_table *t, const povi_csv_row *row, const povi_rec *rec,
                       const char *source) {
    if (row->n == t->n_cols)
        return 0;
    povi_loc loc = {source, rec->line, 1, SIZE_MAX, NULL};
    if (row->n > t->n_cols) {
        loc.line = row->f[t->n_cols].line;
        loc.column = row->f[t->n_cols].column;
    } else {
        const povi_csv_field *last = &row->f[row->n - 1];
        loc.line = last->line;
        loc.column = last->column + last->len;
    }
    return povi_error_at(POV_ESYNTAX, &loc, "the record has %zu fields but the header has %zu",
                         row->n, t->n_cols);
}

/* Cells of unknown columns: a cell that is a JSON number, true, false,
 * null, or a JSON string/object/array text is kept as that JSON value;
 * any other cell is kept as a JSON string (docs/data-formats.md). The writer
 * writes a string that would read back as something else as a JSON string
 * literal, so unknown fields round-trip exactly. */
static int looks_like_json_scalar(const char *s, size_t n) {
    if (n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "null", 4) == 0))
        return 1;
    if (n == 5 && memcmp(s, "false", 5) == 0)
        return 1;
    /* JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n)
        return 0;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        return 0;
    }
    if (i < n && s[i] == '.') {
        i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i == n;
}

/* Adds the cell of an unknown column as an unknown field. */
static int add_extra(pov_reader *r, size_t member, const char *key, const povi_csv_field *f) {
    if (looks_like_json_scalar(f->s, f->len))
        return povi_household_add_extra(r->h, member, key, f->s, f->len);
    if (f->len > 0 && (f->s[0] == '{' || f->s[0] == '[' || f->s[0] == '"')) {
        cJSON *v = NULL;
        if (povi_json_parse(f->s, f->len, "", (int)r->opts.max_depth, &v) == 0) {
            cJSON_Delete(v);
            return povi_household_add_extra(r->h, member, key, f->s, f->len);
        }
    }
    g_string_truncate(r->tmp, 0);
    povi_json_append_string(r->tmp, f->s, f->len);
    return povi_household_add_extra(r->h, member, key, r->tmp->str, r->tmp->len);
}

/* Re-records the current error at cell @p f with the path prefixed by
 * "[index]" or "[index].members[member]" (member SIZE_MAX: none). The
 * prefix is only formatted here, on the error path. */
static int at_cell(const char *source, const povi_csv_field *f, size_t index, size_t member) {
    char prefix[64];
    if (member == SIZE_MAX)
        snprintf(prefix, sizeof prefix, "[%zu]", index);
    else
        snprintf(prefix, sizeof prefix, "[%zu].members[%zu]", index, member);
    const pov_error *e = pov_error_last();
    int code = pov_error_code(e);
    char path[600], msg[1024];
    const char *p = pov_error_path(e);
    const char *sep = (p[0] && p[0] != '[' && p[0] != '.') ? "." : "";
    snprintf(path, sizeof path, "%s%s%s", prefix, sep, p);
    snprintf(msg, sizeof msg, "%s", pov_error_message(e));
    povi_loc loc = cell_loc(source, f, path);
    return povi_error_at(code, &loc, "%s", msg);
}

/* income_history / programs cells hold the JSON value of the same field of
 * the household JSON; they are read through the JSON path of the data model
 * into a scratch household and copied over. */
static int json_cell(pov_reader *r, const char *field, const povi_csv_field *f,
                     size_t index) {
    if (f->len == 0)
        return 0;
    int fast = povi_json_fast_cell(r->h, strcmp(field, "programs") == 0, f->s, f->len);
    if (fast > 0)
        return 0;
    if (fast < 0)
        return at_cell(r->source, f, index, SIZE_MAX);
    cJSON *v = NULL;
    int rc = povi_json_parse(f->s, f->len, r->source, (int)r->opts.max_depth, &v);
    if (rc < 0) {
        /* position inside the cell: keep the cell's, the message says more */
        povi_error_prefix_path(field);
        return at_cell(r->source, f, index, SIZE_MAX);
    }
    cJSON *obj = cJSON_CreateObject();
    if (!obj) {
        cJSON_Delete(v);
        return povi_error(POV_ENOMEM, "out of memory");
    }
    cJSON_AddStringToObject(obj, "id", "-"); /* the scratch household needs one */
    cJSON_AddItemToObject(obj, field, v);
    pov_household *tmp = NULL;
    povi_json_src src = {r->source, NULL, 0, "", 0, 0};
    rc = povi_household_from_cjson(r->schema, obj, &src, &tmp);
    cJSON_Delete(obj);
    if (rc < 0)
        return at_cell(r->source, f, index, SIZE_MAX);
    if (strcmp(field, "income_history") == 0) {
        for (size_t k = 0; k < pov_household_history_count(tmp) && rc >= 0; k++) {
            int year;
            double value;
            pov_household_history_get(tmp, k, &year, &value);
            rc = pov_household_history_add(r->h, year, value);
        }
    } else {
        for (size_t k = 0; k < pov_household_program_count(tmp) && rc >= 0; k++) {
            const char *id;
            int year;
            pov_household_program_get(tmp, k, &id, &year);
            rc = pov_household_program_add(r->h, id, year);
        }
    }
    pov_household_free(tmp);
    if (rc < 0)
        return at_cell(r->source, f, index, SIZE_MAX);
    return 0;
}

/* ---- members file ------------------------------------------------------------ */

void povi_csv_members_free(povi_members *m) {
    if (!m)
        return;
    if (m->map)
        g_mapped_file_unref(m->map);
    if (m->rows)
        g_array_free(m->rows, TRUE);
    if (m->groups)
        g_array_free(m->groups, TRUE);
    if (m->by_id)
        g_hash_table_destroy(m->by_id);
    if (m->id_chunk)
        g_string_chunk_free(m->id_chunk);
    povi_csv_row_clear(&m->row);
    povi_csv_table_clear(&m->table);
    free(m->source);
    free(m);
}

int povi_csv_members_open(pov_reader *r, const char *path, const char *data, size_t len,
                          const char *name) {
    povi_members *m = calloc(1, sizeof *m);
    if (!m)
        return povi_error(POV_ENOMEM, "out of memory");
    r->members = m;
    m->source = strdup(path ? path : name);
    if (!m->source)
        return povi_error(POV_ENOMEM, "out of memory");
    if (path) {
        GError *gerr = NULL;
        m->map = g_mapped_file_new(path, FALSE, &gerr);
        if (!m->map) {
            povi_loc loc = POVI_LOC_NONE;
            loc.source = path;
            int rc = povi_error_at(POV_EIO, &loc, "cannot open members file '%s': %s", path,
                                   gerr ? gerr->message : "unknown error");
            g_clear_error(&gerr);
            return rc;
        }
        m->data = g_mapped_file_get_contents(m->map);
        m->len = g_mapped_file_get_length(m->map);
        if (!m->data)
            m->data = "";
    } else {
        m->data = data ? data : "";
        m->len = data ? len : 0;
    }
    m->rows = g_array_new(FALSE, FALSE, sizeof(povi_member_row));
    m->groups = g_array_new(FALSE, FALSE, sizeof(povi_member_group));
    m->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    m->id_chunk = g_string_chunk_new(1 << 16);

    /* Index the rows by household id: one pass, no conversion yet. */
    povi_lr lr;
    povi_lr_open_mem(&lr, m->data, m->len, m->source, r->opts.max_line);
    povi_rec rec;
    int k = povi_lr_next_csv(&lr, &rec);
    if (k < 0)
        return k;
    if (k == 2)
        return pov_error_code(pov_error_last());
    if (k == 0)
        return 0; /* empty members file: no members */
    int rc = parse_header(r->schema, &rec, m->source, POV_LEVEL_MEMBER, &m->row, &m->table);
    if (rc < 0)
        return rc;
    GString *key = g_string_sized_new(64);
    while ((k = povi_lr_next_csv(&lr, &rec)) != 0) {
        if (k < 0 || k == 2) {
            g_string_free(key, TRUE);
            return k < 0 ? k : pov_error_code(pov_error_last());
        }
        if (rec.len == 0)
            continue;
        /* only the household id is needed now; rows are split and checked
         * in full when their household is read */
        povi_csv_field first;
        const povi_csv_field *f = &first;
        const char *comma;
        if (m->table.id_col == 0 && rec.text[0] != '"' &&
            !memchr(rec.text, '"', (comma = memchr(rec.text, ',', rec.len))
                                       ? (size_t)(comma - rec.text) : rec.len)) {
            first = (povi_csv_field){rec.text, comma ? (size_t)(comma - rec.text) : rec.len,
                                     rec.line, 1, 0};
        } else {
            rc = povi_csv_split(&rec, m->source, &m->row);
            if (rc < 0 || (rc = check_width(&m->table, &m->row, &rec, m->source)) < 0) {
                g_string_free(key, TRUE);
                return rc;
            }
            f = &m->row.f[m->table.id_col];
        }
        if (f->len == 0) {
            g_string_free(key, TRUE);
            povi_loc loc = cell_loc(m->source, f, ID_COLUMN);
            return povi_error_at(POV_EMISSING, &loc, "a members row without a household id");
        }
        g_string_truncate(key, 0);
        g_string_append_len(key, f->s, (gssize)f->len);
        size_t row_index = m->rows->len;
        povi_member_row mr = {(size_t)(rec.text - m->data), rec.len, rec.line, SIZE_MAX, 0};
        gpointer found = g_hash_table_lookup(m->by_id, key->str);
        if (found) {
            size_t g = GPOINTER_TO_SIZE(found) - 1;
            mr.group = g;
            /* append to the group's chain: walk from its first row. Chains
             * are short (a household's members), so this stays linear. */
            size_t j = g_array_index(m->groups, povi_member_group, g).first;
            while (g_array_index(m->rows, povi_member_row, j).next != SIZE_MAX)
                j = g_array_index(m->rows, povi_member_row, j).next;
            g_array_index(m->rows, povi_member_row, j).next = row_index;
        } else {
            povi_member_group grp = {row_index, 0};
            mr.group = m->groups->len;
            g_array_append_val(m->groups, grp);
            char *kk = g_string_chunk_insert_len(m->id_chunk, key->str, (gssize)key->len);
            g_hash_table_insert(m->by_id, kk, GSIZE_TO_POINTER(m->groups->len));
        }
        g_array_append_val(m->rows, mr);
    }
    g_string_free(key, TRUE);
    return 0;
}

/* Adds the members of household @p id (row @p index) to r->h. */
static int attach_members(pov_reader *r, const char *id, size_t index) {
    povi_members *m = r->members;
    gpointer found = g_hash_table_lookup(m->by_id, id);
    if (!found)
        return 0;
    size_t g = GPOINTER_TO_SIZE(found) - 1;
    povi_member_group *grp = &g_array_index(m->groups, povi_member_group, g);
    grp->claimed = 1;
    size_t k = 0;
    for (size_t j = grp->first; j != SIZE_MAX;
         j = g_array_index(m->rows, povi_member_row, j).next, k++) {
        const povi_member_row *mr = &g_array_index(m->rows, povi_member_row, j);
        povi_rec rec = {m->data + mr->offset, mr->len, mr->line, 1, 1, mr->offset};
        int rc = povi_csv_split(&rec, m->source, &m->row);
        if (rc < 0 || (rc = check_width(&m->table, &m->row, &rec, m->source)) < 0)
            return rc;
        size_t mi;
        rc = pov_household_member_add(r->h, &mi);
        if (rc < 0)
            return rc;
        for (size_t c = 0; c < m->table.n_cols; c++) {
            const povi_csv_col *col = &m->table.cols[c];
            const povi_csv_field *f = &m->row.f[c];
            if (col->kind == POVI_COL_IND) {
                rc = povi_household_set_from_string(r->h, mi, col->indicator, f->s, f->len);
                if (rc < 0)
                    return at_cell(m->source, f, index, mi);
            } else if (col->kind == POVI_COL_EXTRA && f->len > 0) {
                rc = add_extra(r, mi, col->name, f);
                if (rc < 0)
                    return at_cell(m->source, f, index, mi);
            }
        }
    }
    return 0;
}

/* For an error path "members[k].name", finds the line and column of that
 * cell (or the row start) in the members file. */
static int member_cell(pov_reader *r, const char *id, const char *path, size_t *k_out,
                       size_t *line, size_t *col) {
    povi_members *m = r->members;
    if (strncmp(path, "members[", 8) != 0)
        return 0;
    char *end;
    unsigned long k = strtoul(path + 8, &end, 10);
    if (*end != ']')
        return 0;
    const char *name = end[1] == '.' ? end + 2 : "";
    gpointer found = g_hash_table_lookup(m->by_id, id);
    if (!found)
        return 0;
    size_t j = g_array_index(m->groups, povi_member_group, GPOINTER_TO_SIZE(found) - 1).first;
    for (unsigned long i = 0; i < k && j != SIZE_MAX; i++)
        j = g_array_index(m->rows, povi_member_row, j).next;
    if (j == SIZE_MAX)
        return 0;
    const povi_member_row *mr = &g_array_index(m->rows, povi_member_row, j);
    povi_rec rec = {m->data + mr->offset, mr->len, mr->line, 1, 1, mr->offset};
    *k_out = k;
    *line = mr->line;
    *col = 1;
    if (povi_csv_split(&rec, m->source, &m->row) == 0) {
        for (size_t c = 0; c < m->table.n_cols && c < m->row.n; c++) {
            if (strcmp(m->table.cols[c].name, name) == 0) {
                *line = m->row.f[c].line;
                *col = m->row.f[c].column;
            }
        }
    }
    return 1;
}

int povi_csv_orphans(pov_reader *r) {
    povi_members *m = r->members;
    if (m->orphans_done)
        return 0;
    m->orphans_done = 1;
    for (size_t j = 0; j < m->rows->len; j++) {
        const povi_member_row *mr = &g_array_index(m->rows, povi_member_row, j);
        if (g_array_index(m->groups, povi_member_group, mr->group).claimed)
            continue;
        povi_rec rec = {m->data + mr->offset, mr->len, mr->line, 1, 1, mr->offset};
        int rc = povi_csv_split(&rec, m->source, &m->row);
        if (rc < 0 || (rc = check_width(&m->table, &m->row, &rec, m->source)) < 0)
            return rc;
        const povi_csv_field *f = &m->row.f[m->table.id_col];
        povi_loc loc = cell_loc(m->source, f, ID_COLUMN);
        rc = povi_error_at(POV_EORPHAN, &loc,
                           "members row refers to household '%.*s', which is not in the "
                           "household file", (int)f->len, f->s);
        r->report->n_read++;
        rc = povi_reader_reject(r, &rec, rc);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- household rows ---------------------------------------------------------- */

int povi_csv_read_one(pov_reader *r, pov_dataset *ds) {
    povi_rec rec;
    int k;
    if (!r->table.have_header) {
        do {
            k = povi_lr_next_csv(&r->lr, &rec);
        } while (k == 1 && rec.len == 0);
        if (k <= 0)
            return k;
        if (k == 2)
            return pov_error_code(pov_error_last());
        int rc = parse_header(r->schema, &rec, r->source, POV_LEVEL_HOUSEHOLD, &r->row, &r->table);
        if (rc < 0)
            return rc;
    }
    do {
        k = povi_lr_next_csv(&r->lr, &rec);
    } while (k == 1 && rec.len == 0);
    if (k == 0)
        return 0;
    if (k < 0) {
        if (k == POV_ETRUNCATED && r->opts.mode == POV_READ_COLLECT) {
            r->report->n_read++;
            int rr = povi_reader_reject(r, NULL, k);
            r->done = 1;
            return rr < 0 ? rr : 0;
        }
        return k;
    }
    size_t idx = r->index++;
    r->report->n_read++;
    char prefix[40];
    if (k == 2) {
        snprintf(prefix, sizeof prefix, "[%zu]", idx);
        povi_error_prefix_path(prefix);
        return povi_reader_reject(r, &rec, pov_error_code(pov_error_last()));
    }
    int rc = povi_csv_split(&rec, r->source, &r->row);
    if (rc < 0 || (rc = check_width(&r->table, &r->row, &rec, r->source)) < 0) {
        snprintf(prefix, sizeof prefix, "[%zu]", idx);
        povi_error_prefix_path(prefix);
        return povi_reader_reject(r, &rec, rc);
    }
    povi_household_reset(r->h);
    const povi_csv_field *idf = &r->row.f[r->table.id_col];
    for (size_t c = 0; c < r->table.n_cols; c++) {
        const povi_csv_col *col = &r->table.cols[c];
        const povi_csv_field *f = &r->row.f[c];
        switch (col->kind) {
        case POVI_COL_ID:
            if (f->len > 0) {
                g_string_truncate(r->tmp, 0);
                g_string_append_len(r->tmp, f->s, (gssize)f->len);
                rc = pov_household_set_id(r->h, r->tmp->str);
                if (rc < 0) {
                    povi_loc loc = cell_loc(r->source, f, NULL);
                    char path[64];
                    snprintf(path, sizeof path, "[%zu].id", idx);
                    loc.path = path;
                    rc = povi_error_at(rc, &loc, "invalid household id");
                }
            }
            break;
        case POVI_COL_IND:
            rc = povi_household_set_from_string(r->h, SIZE_MAX, col->indicator, f->s, f->len);
            if (rc < 0)
                rc = at_cell(r->source, f, idx, SIZE_MAX);
            break;
        case POVI_COL_HISTORY:
            rc = json_cell(r, "income_history", f, idx);
            break;
        case POVI_COL_PROGRAMS:
            rc = json_cell(r, "programs", f, idx);
            break;
        case POVI_COL_EXTRA:
            if (f->len > 0) {
                rc = add_extra(r, SIZE_MAX, col->name, f);
                if (rc < 0)
                    rc = at_cell(r->source, f, idx, SIZE_MAX);
            }
            break;
        default:
            break;
        }
        if (rc < 0)
            return povi_reader_reject(r, &rec, rc);
    }
    const char *hid = pov_household_id(r->h);
    if (r->members && hid) {
        rc = attach_members(r, hid, idx);
        if (rc < 0)
            return povi_reader_reject(r, &rec, rc);
    }
    rc = povi_reader_accept(r, ds, &rec, NULL, 0);
    if (rc < 0) {
        /* missing/duplicate: point at the cell when the field has a column */
        const char *p = pov_error_path(pov_error_last());
        const povi_csv_field *f = NULL;
        if (strcmp(p, "id") == 0) {
            f = idf;
        } else {
            for (size_t c = 0; c < r->table.n_cols; c++)
                if (r->table.cols[c].kind == POVI_COL_IND && strcmp(r->table.cols[c].name, p) == 0)
                    f = &r->row.f[c];
        }
        size_t mk, mline, mcol;
        if (f) {
            rc = at_cell(r->source, f, idx, SIZE_MAX);
        } else if (r->members && hid && member_cell(r, hid, p, &mk, &mline, &mcol)) {
            povi_csv_field mf = {rec.text, 0, mline, mcol, 0};
            rc = at_cell(r->members->source, &mf, idx, SIZE_MAX);
        } else {
            povi_csv_field whole = {rec.text, 0, rec.line, rec.column, 0};
            rc = at_cell(r->source, &whole, idx, SIZE_MAX);
        }
        return povi_reader_reject(r, &rec, rc);
    }
    return 1;
}
