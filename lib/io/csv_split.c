/*
 * Splitting one CSV record (RFC 4180) into fields.
 *
 * The record boundaries were found by povi_lr_next_csv(); here quoted fields
 * are unescaped ("" → ") and every field gets the line and byte column where
 * it starts, so errors point at the cell even after embedded newlines.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

void povi_csv_row_clear(povi_csv_row *row) {
    free(row->f);
    free(row->scratch);
    memset(row, 0, sizeof *row);
}

static inline int push_field(povi_csv_row *row, const char *s, size_t len, size_t line,
                             size_t col, int quoted) {
    if (POVI_UNLIKELY(row->n == row->cap)) {
        size_t ncap = row->cap ? row->cap * 2 : 32;
        povi_csv_field *nf = realloc(row->f, ncap * sizeof *nf);
        if (!nf)
            return povi_error(POV_ENOMEM, "out of memory splitting a CSV record");
        row->f = nf;
        row->cap = ncap;
    }
    row->f[row->n++] = (povi_csv_field){s, len, line, col, quoted};
    return 0;
}

int povi_csv_split(const povi_rec *rec, const char *source, povi_csv_row *row) {
    row->n = 0;
    if (rec->len + 1 > row->scap) {
        char *ns = realloc(row->scratch, rec->len + 1);
        if (!ns)
            return povi_error(POV_ENOMEM, "out of memory splitting a CSV record");
        row->scratch = ns;
        row->scap = rec->len + 1;
    }
    const char *t = rec->text;
    size_t n = rec->len;
    size_t i = 0;
    size_t line = rec->line;
    size_t line_start = 0; /* index in t where the current line starts */
    size_t col_base = rec->column; /* column of t[line_start] */
    char *out = row->scratch;
    for (;;) {
        size_t fcol = col_base + (i - line_start);
        size_t fline = line;
        if (i < n && t[i] == '"') {
            char *start = out;
            i++;
            for (;;) {
                if (i >= n) {
                    /* the scanner only hands out closed quotes; be safe anyway */
                    povi_loc loc = {source, fline, fcol, SIZE_MAX, NULL};
                    return povi_error_at(POV_ETRUNCATED, &loc, "unterminated quoted field");
                }
                char c = t[i];
                if (c == '"') {
                    if (i + 1 < n && t[i + 1] == '"') {
                        *out++ = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (c == '\n') {
                    line++;
                    line_start = i + 1;
                    col_base = 1;
                }
                *out++ = c;
                i++;
            }
            int r = push_field(row, start, (size_t)(out - start), fline, fcol, 1);
            if (r < 0)
                return r;
            if (i < n && t[i] != ',') {
                povi_loc loc = {source, line, col_base + (i - line_start), SIZE_MAX, NULL};
                return povi_error_at(POV_ESYNTAX, &loc,
                                     "expected ',' or the end of the record after a quoted field");
            }
        } else {
            size_t s = i;
            while (i < n && t[i] != ',') {
                if (t[i] == '"') {
                    povi_loc loc = {source, line, col_base + (i - line_start), SIZE_MAX, NULL};
                    return povi_error_at(POV_ESYNTAX, &loc,
                                         "a quote inside an unquoted field (quote the whole "
                                         "field and double the quote: \"a\"\"b\")");
                }
                i++;
            }
            int r = push_field(row, t + s, i - s, fline, fcol, 0);
            if (r < 0)
                return r;
        }
        if (i >= n)
            return 0;
        i++; /* the comma */
    }
}
