/*
 * povmetrics — internals of the readers and writers. Not installed, not API.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_IO_INTERNAL_H
#define POV_IO_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

#include "internal.h"

/* ---- buffered input (linereader.c) --------------------------------------
 *
 * A povi_lr reads a file through one buffer (or scans a memory block without
 * copying) and hands out records: plain lines, CSV records (which may span
 * lines inside quotes) or the elements of a top-level JSON array. A record
 * points into the buffer and stays valid until the next call. Line numbers
 * are 1-based physical lines ('\n'); columns are 1-based bytes from the
 * start of the line (a UTF-8 BOM at the start of the input is skipped and
 * not counted). A trailing '\r' (CRLF) is removed from every line.
 */
typedef struct povi_lr {
    FILE *fp;           /* NULL for memory input */
    char *buf;          /* owned buffer (file) or the caller's memory */
    size_t cap;         /* allocated size of buf (file input) */
    size_t beg, end;    /* unread data is buf[beg, end) */
    uint64_t base;      /* absolute offset of buf[0] in the input */
    size_t line;        /* line number at buf[beg] */
    uint64_t line_off;  /* absolute offset of the start of that line */
    size_t max_rec;     /* longest record in bytes */
    int eof;            /* no more data can be read */
    int err;            /* a read error happened */
    int started;        /* BOM check done */
    const char *source; /* name for errors */
    /* JSON array state (json.c) */
    int arr_state;      /* 0 before '[', 1 expecting element, 2 expecting ',' or ']', 3 done */
    size_t arr_index;
} povi_lr;

typedef struct povi_rec {
    const char *text; /* record bytes (not NUL-terminated; for lines, without the newline) */
    size_t len;
    size_t line;      /* line where it starts */
    size_t column;    /* column where it starts (1 for lines and CSV records) */
    size_t nlines;    /* physical lines spanned (1 for a one-line record) */
    uint64_t offset;  /* absolute byte offset of text[0] */
} povi_rec;

int povi_lr_open_file(povi_lr *lr, const char *path, size_t max_rec);
void povi_lr_open_mem(povi_lr *lr, const char *data, size_t len, const char *source,
                      size_t max_rec);
void povi_lr_close(povi_lr *lr);

/* Next line. 1 = got one, 0 = end, < 0 = fatal error (recorded), 2 = a
 * bad record whose error is recorded in pov_error_last() (an over-long line,
 * already skipped, rec->text empty), so reading may go on. */
int povi_lr_next_line(povi_lr *lr, povi_rec *rec);

/* Next CSV record (quotes may hide newlines). 1/0/<0 as above. An
 * unterminated quote at the end is POV_ETRUNCATED at the opening quote. */
int povi_lr_next_csv(povi_lr *lr, povi_rec *rec);

/* Next element of a top-level JSON array (json_scan.c). 1/0/2/<0 as above
 * (2: nesting too deep, rec holds the element); the element text runs from
 * its first to its last byte. */
int povi_lr_next_json_elem(povi_lr *lr, povi_rec *rec, size_t max_depth);

/* Internal to the scanners: make more bytes available after buf[end];
 * keeps buf[beg, end). Returns the number of bytes added, 0 at EOF, < 0 on
 * error. */
long povi_lr_fill(povi_lr *lr);

/* Checks the nesting depth of one JSON text (strings skipped). Returns 0 or
 * POV_ELIMIT with *err_off set to the offset of the bracket that is one too
 * deep; also reports unbalanced brackets as a hint via return 1. */
int povi_json_depth_check(const char *text, size_t len, size_t max_depth, size_t *err_off);

/* Length of a NaN/Infinity token (as Python's json module writes them:
 * NaN, Infinity, -Infinity; also nan, inf, -inf) at text[off], else 0. */
size_t povi_json_nonfinite_token(const char *text, size_t len, size_t off);

/* Appends to @p out the field path (e.g. "members[1].age") of the value at
 * byte @p off of a JSON text, found by scanning the text before it. */
void povi_json_path_at(const char *text, size_t len, size_t off, GString *out);

/* ---- CSV fields (csv.c) ----------------------------------------------- */
typedef struct povi_csv_field {
    const char *s; /* unescaped value (points into the record or the scratch buffer) */
    size_t len;
    size_t line;   /* where the field starts */
    size_t column;
    int quoted;
} povi_csv_field;

typedef struct povi_csv_row {
    povi_csv_field *f;
    size_t n, cap;
    char *scratch; /* unescaped quoted values */
    size_t scap;
} povi_csv_row;

/* Splits one record into fields; ESYNTAX for a stray quote. */
int povi_csv_split(const povi_rec *rec, const char *source, povi_csv_row *row);
/* Appends the n bytes of s as one CSV field (RFC 4180): quoted, with quotes
 * doubled, when it holds a comma, a quote or a line break. Every CSV writer
 * of the library uses it (datasets, score results, matching plans). */
void povi_csv_put(GString *out, const char *s, size_t n);
void povi_csv_row_clear(povi_csv_row *row);

/* ---- atomic files (atomic.c) -------------------------------------------- */
typedef struct povi_afile {
    FILE *fp;
    char *path;     /* final name */
    char *tmp_path; /* temporary name in the same directory */
    int failed;
} povi_afile;

int povi_afile_open(povi_afile *af, const char *path);
int povi_afile_commit(povi_afile *af, int sync);
void povi_afile_abort(povi_afile *af);
/* Writes bytes; remembers a failure (reported by commit). */
void povi_afile_write(povi_afile *af, const void *data, size_t len);


#endif /* POV_IO_INTERNAL_H */
